//! `fouille bench`.

use std::path::PathBuf;

use super::print_json;
use crate::bench::frames::{FrameOptions, FrameReport, MeasureFrames};

/// Arguments of `fouille bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// small (CI smoke test), medium or large (1,000 interviews, 100,000 codings).
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// Runs per figure (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Working folder (default: a temporary folder, removed after).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Skip the document-view frame times.
    #[arg(long)]
    pub no_frames: bool,
    /// Only these groups of figures, comma-separated: import, queries, tables, reports,
    /// merge, agreement, qdpx, lexical, survey, frames; or transcribe alone (automatic
    /// transcription of --audio, beside faster-whisper when --peer-python is given).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Measure this project (left by an earlier run with --dir) instead of generating one;
    /// skips the import. The project is only read.
    #[arg(long)]
    pub project: Option<PathBuf>,
    /// Sizes of the survey tables the survey group imports, comma-separated (default: 2,000
    /// rows at small scale, 20,000 medium, 200,000 large).
    #[arg(long, value_delimiter = ',')]
    pub survey_rows: Vec<usize>,
    /// Recordings for the transcribe group (default: whisper/tests/data/long.wav, from the
    /// source folder).
    #[arg(long)]
    pub audio: Vec<PathBuf>,
    /// Whisper model folder for the transcribe group, in faster-whisper's form so that the
    /// peer reads the same files (default: as `fouille transcribe` finds it).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// A Python with faster-whisper installed: the transcribe group then runs it on the
    /// same audio and model, float32 and int8, in the same run.
    #[arg(long)]
    pub peer_python: Option<PathBuf>,
    /// The script that runs faster-whisper (default: whisper/tools/peer.py).
    #[arg(long, default_value = "whisper/tools/peer.py")]
    pub peer_script: PathBuf,
}

pub(super) fn bench(args: BenchArgs, measure_frames: MeasureFrames) -> anyhow::Result<()> {
    let temp = std::env::temp_dir().join(format!("fouille-bench-{}", std::process::id()));
    let dir = args.dir.clone().unwrap_or_else(|| temp.clone());
    let json = args.json;
    if args.only.iter().any(|g| g.trim() == "transcribe") {
        anyhow::ensure!(
            args.only.len() == 1,
            "the transcribe group runs alone: --only transcribe"
        );
        let result = transcribe_bench(&args, &dir);
        if args.dir.is_none() {
            let _ = std::fs::remove_dir_all(&temp);
        }
        return result;
    }
    let mut options = crate::bench::run::RunOptions::new(&args.scale, args.runs);
    options.project = args.project.clone();
    options.survey_rows = args.survey_rows.clone();
    let mut frames = !args.no_frames;
    if !args.only.is_empty() {
        frames = false;
        for name in &args.only {
            if name.trim() == "frames" {
                frames = !args.no_frames;
            } else {
                options.only.push(crate::bench::run::Phase::parse(name).ok_or_else(|| {
                    anyhow::anyhow!("unknown group « {name} » (import, queries, tables, reports, merge, agreement, qdpx, lexical, survey, frames, transcribe)")
                })?);
            }
        }
    }
    if options.project.is_some() && options.only.contains(&crate::bench::run::Phase::Import) {
        anyhow::bail!(
            "--project measures an existing project: the import group needs a generated corpus"
        );
    }
    let progress = |f: &crate::bench::Figure| {
        if !json {
            print_figure(f);
        }
    };
    let frames_only = !args.only.is_empty() && options.only.is_empty();
    let result = if frames_only {
        let spec = crate::bench::corpus::CorpusSpec::scale(&args.scale).ok_or_else(|| {
            anyhow::anyhow!("unknown scale « {} » (small, medium, large)", args.scale)
        })?;
        Ok(crate::bench::run::BenchReport {
            scale: args.scale.clone(),
            spec,
            words: 0,
            chars: 0,
            figures: Vec::new(),
            date: crate::model::format_ms(crate::model::now_ms()),
        })
    } else {
        crate::bench::run::run_with(&options, &dir, progress)
    };
    let mut report = result;
    if frames && let Ok(report) = &mut report {
        // The Analysis screen is timed on the corpus just measured (or the one given).
        let analysis_project = args
            .project
            .clone()
            .or_else(|| Some(dir.join("bench.fouille")).filter(|p| p.exists()));
        let options = FrameOptions {
            chars: report.spec.long_transcript_chars.max(300_000),
            codings: report.spec.long_transcript_codings.max(5_000),
            analysis_project,
            ..Default::default()
        };
        // The document view's frame time on the longest transcript (300k chars, 5,000
        // codings at every scale: the target is about one long document, not the corpus).
        let measured = measure_frames(options).map_err(anyhow::Error::msg);
        match measured {
            Ok(measured) => push_frame_figures(report, &measured, json),
            Err(e) => {
                if args.dir.is_none() {
                    let _ = std::fs::remove_dir_all(&temp);
                }
                return Err(e);
            }
        }
    }
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    let report = report?;
    if json {
        print_json(&report)?;
    }
    Ok(())
}

/// Adds the frame benchmark's figures (mean and worst frame of each phase, against 16 and
/// 33 ms) to the report, printing them as they come unless the output is JSON.
fn push_frame_figures(
    report: &mut crate::bench::run::BenchReport,
    frames: &FrameReport,
    json: bool,
) {
    for phase in &frames.phases {
        for (what, value, target) in [
            ("mean", phase.mean_ms, 16.0),
            ("worst", phase.worst_ms, 33.0),
        ] {
            let f = crate::bench::Figure {
                name: format!("frame {what}: {}", phase.phase),
                value,
                unit: "ms".into(),
                target: Some(format!("≤ {target} ms")),
                met: Some(value <= target),
                runs: vec![value],
                note: format!(
                    "{} chars, {} codings, {} frames",
                    frames.chars, frames.codings, phase.frames
                ),
            };
            if !json {
                println!(
                    "{:<44} {:>10.2} {:<5} {:<10} {:<6} {}",
                    f.name,
                    f.value,
                    f.unit,
                    f.target.as_deref().unwrap_or(""),
                    if f.met == Some(true) { "ok" } else { "MISSED" },
                    f.note
                );
            }
            report.figures.push(f);
        }
    }
}

/// `--only transcribe`: the figures of [`crate::bench::transcribe`], printed as the others.
fn transcribe_bench(args: &BenchArgs, dir: &std::path::Path) -> anyhow::Result<()> {
    let audio = if args.audio.is_empty() {
        vec![PathBuf::from("whisper/tests/data/long.wav")]
    } else {
        args.audio.clone()
    };
    let bench = crate::bench::transcribe::TranscribeBench {
        fouille: std::env::current_exe()?,
        model: crate::speech::model_dir::resolve(args.model.as_deref())?,
        audio,
        peer: args
            .peer_python
            .clone()
            .map(|py| (py, args.peer_script.clone())),
        dir: dir.to_path_buf(),
    };
    let json = args.json;
    let mut progress = |f: &crate::bench::Figure| {
        if !json {
            print_figure(f);
        }
    };
    if !json {
        println!(
            "{} cores; load {}",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        );
    }
    let figures = crate::bench::transcribe::measure(&bench, &mut progress)?;
    if json {
        print_json(&figures)?;
    }
    Ok(())
}

/// One figure as a line of the table the command prints.
fn print_figure(f: &crate::bench::Figure) {
    let target = f.target.as_deref().unwrap_or("");
    let met = match f.met {
        Some(true) => "ok",
        Some(false) => "MISSED",
        None => "",
    };
    println!(
        "{:<44} {:>10.2} {:<5} {:<10} {:<6} {}",
        f.name, f.value, f.unit, target, met, f.note
    );
}
