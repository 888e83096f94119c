//! `fouille bench --only transcribe`: automatic transcription timed as a user meets it
//! (`fouille transcribe` run as a child process, model loading excluded from the real-time
//! factor), beside faster-whisper on the same model folder and audio in the same run when
//! its Python is given. Each tool runs in its own process, so that each peak memory is its
//! own (`wait4`'s resource usage).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Figure;

/// What to measure.
#[derive(Debug, Clone)]
pub struct TranscribeBench {
    /// The Fouille binary (the running one).
    pub fouille: PathBuf,
    /// The Whisper model folder (faster-whisper form, so both tools can read it).
    pub model: PathBuf,
    /// The recordings.
    pub audio: Vec<PathBuf>,
    /// A Python with faster-whisper installed, and the script that runs it
    /// (`whisper/tools/peer.py`): the peer, skipped when `None`.
    pub peer: Option<(PathBuf, PathBuf)>,
    /// A folder for the scratch projects.
    pub dir: PathBuf,
}

/// One run of one tool on one recording.
#[derive(Debug, Clone)]
struct Run {
    /// Seconds of transcription, model loading excluded.
    seconds: f64,
    /// Length of the recording, s.
    audio_s: f64,
    /// Peak resident memory of the process, MB.
    peak_mb: f64,
}

/// Runs every tool on every recording and returns the figures, in order, passing each to
/// `progress` as it is made.
pub fn measure(
    bench: &TranscribeBench,
    progress: &mut dyn FnMut(&Figure),
) -> anyhow::Result<Vec<Figure>> {
    std::fs::create_dir_all(&bench.dir)?;
    let mut figures = Vec::new();
    let mut push = |f: Figure| {
        progress(&f);
        figures.push(f);
    };
    for (i, audio) in bench.audio.iter().enumerate() {
        let name = audio
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into());
        let ours = run_fouille(bench, audio, i)?;
        figures_of(&name, "Fouille", &ours, Some((0.5, "≤ 0.5")))
            .into_iter()
            .for_each(&mut push);
        let Some((python, script)) = &bench.peer else {
            continue;
        };
        for compute in ["float32", "int8"] {
            let peer = run_peer(&bench.dir, python, script, &bench.model, audio, compute)?;
            let tool = format!("faster-whisper {compute}");
            figures_of(&name, &tool, &peer, None)
                .into_iter()
                .for_each(&mut push);
            if compute == "float32" {
                push(figure(
                    format!("transcribe {name}: Fouille ÷ faster-whisper float32"),
                    ours.seconds / peer.seconds.max(1e-9),
                    "ratio",
                    Some((2.0, "≤ 2")),
                    "time against time, same audio, same model files",
                ));
            }
        }
    }
    Ok(figures)
}

/// The real-time factor and peak memory of one run.
fn figures_of(audio: &str, tool: &str, run: &Run, target: Option<(f64, &str)>) -> Vec<Figure> {
    let note = format!(
        "{:.2} s for {:.1} s of audio, model loading excluded",
        run.seconds, run.audio_s
    );
    vec![
        figure(
            format!("transcribe {audio}: {tool} real-time factor"),
            run.seconds / run.audio_s.max(1e-9),
            "ratio",
            target,
            &note,
        ),
        figure(
            format!("transcribe {audio}: {tool} peak memory"),
            run.peak_mb,
            "MB",
            target.map(|_| (1024.0, "≤ 1024")),
            "resident, whole process",
        ),
    ]
}

fn figure(name: String, value: f64, unit: &str, target: Option<(f64, &str)>, note: &str) -> Figure {
    Figure {
        name,
        value,
        unit: unit.into(),
        target: target.map(|(_, t)| t.to_string()),
        met: target.map(|(limit, _)| value <= limit),
        runs: vec![value],
        note: note.into(),
    }
}

/// `fouille transcribe` into a scratch project; its `--json` outcome says how long the
/// recognition took and how long the recording is.
fn run_fouille(bench: &TranscribeBench, audio: &Path, i: usize) -> anyhow::Result<Run> {
    let project = bench.dir.join(format!("transcribe-{i}.fouille"));
    let _ = std::fs::remove_file(&project);
    let created = Command::new(&bench.fouille)
        .arg("new")
        .arg(&project)
        .output()?;
    anyhow::ensure!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let mut cmd = Command::new(&bench.fouille);
    cmd.arg("transcribe")
        .arg(&project)
        .arg(audio)
        .arg("--model")
        .arg(&bench.model);
    cmd.arg("--json");
    let (out, _, peak_mb) = run_measured(cmd, &bench.dir)?;
    let json: serde_json::Value = serde_json::from_str(&out)?;
    let outcome = &json[0];
    Ok(Run {
        seconds: outcome["seconds"].as_f64().unwrap_or(f64::NAN),
        audio_s: outcome["duration_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0,
        peak_mb,
    })
}

/// faster-whisper through `peer.py`, which prints "… audio D s, transcribed in T s …" on
/// standard error.
fn run_peer(
    dir: &Path,
    python: &Path,
    script: &Path,
    model: &Path,
    audio: &Path,
    compute: &str,
) -> anyhow::Result<Run> {
    let mut cmd = Command::new(python);
    cmd.arg(script).arg(model).arg(audio).arg(compute);
    let (_, err, peak_mb) = run_measured(cmd, dir)?;
    let number_after = |label: &str| -> Option<f64> {
        let at = err.rfind(label)? + label.len();
        err[at..].split_whitespace().next()?.parse().ok()
    };
    let (Some(seconds), Some(audio_s)) = (number_after("transcribed in "), number_after("audio "))
    else {
        anyhow::bail!("faster-whisper said: {err}");
    };
    Ok(Run {
        seconds,
        audio_s,
        peak_mb,
    })
}

/// Runs a command to its end; returns its standard output and error and its peak resident
/// memory in MB. Output goes through files, so the child never blocks on a full pipe while
/// this process waits for it with `wait4`.
fn run_measured(mut cmd: Command, dir: &Path) -> anyhow::Result<(String, String, f64)> {
    let (out, err) = (dir.join("child.out"), dir.join("child.err"));
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out)?)
        .stderr(std::fs::File::create(&err)?);
    let child = cmd.spawn()?;
    let (status, peak_kb) = wait_with_rusage(child.id())?;
    let stdout = std::fs::read_to_string(&out)?;
    let stderr = std::fs::read_to_string(&err)?;
    anyhow::ensure!(status == 0, "{cmd:?} failed: {stderr}");
    Ok((stdout, stderr, peak_kb as f64 / 1024.0))
}

/// Waits for the child `pid`; its exit status and peak resident memory (kB, as Linux
/// reports it).
fn wait_with_rusage(pid: u32) -> anyhow::Result<(i32, i64)> {
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills; pid is our own child, not yet waited.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    anyhow::ensure!(
        got == pid as i32,
        "wait4: {}",
        std::io::Error::last_os_error()
    );
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, usage.ru_maxrss))
}
