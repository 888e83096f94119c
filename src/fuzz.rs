//! A small mutation fuzzer for every importer and the offset conversions, run by
//! `fouille fuzz --target T --minutes N` (and briefly by the tests). Inputs are mutated from
//! real files (structure-aware for zip formats: the XML inside is mutated and re-zipped);
//! each runs on its own thread with a time limit, so a panic or a hang is caught, saved and
//! reported.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::bench::SplitMix;
use crate::import::safe_zip::{SafeZip, ZipLimits};

/// Every fuzz target: an importer by file extension, or `offsets` for the position
/// conversions; `fouille fuzz --target all` runs them all.
pub const TARGETS: &[&str] = &["txt", "docx", "odt", "srt", "vtt", "csv", "offsets"];

/// Seeds: real files of each format.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let all: &[&[u8]] = match target {
        "txt" | "offsets" => &[
            include_bytes!("../tests/data/import/crlf_bom_emoji.txt"),
            include_bytes!("../tests/data/import/utf16le_bom.txt"),
            include_bytes!("../tests/data/import/utf16be_bom.txt"),
        ],
        "docx" => &[include_bytes!("../tests/data/import/interview.docx")],
        "odt" => &[include_bytes!("../tests/data/import/interview.odt")],
        "srt" => &[include_bytes!("../tests/data/import/sample.srt")],
        "vtt" => &[include_bytes!("../tests/data/import/sample.vtt")],
        "csv" => &[include_bytes!("../tests/data/import/cp1252_survey.csv")],
        _ => &[],
    };
    all.iter().map(|b| b.to_vec()).collect()
}

/// Runs one input through a target (whatever it returns; only panics and hangs matter).
pub fn run_target(target: &str, bytes: &[u8]) {
    match target {
        "txt" => drop(crate::import::parse_by_extension("txt", bytes)),
        "docx" => drop(crate::import::parse_by_extension("docx", bytes)),
        "odt" => drop(crate::import::parse_by_extension("odt", bytes)),
        "srt" => drop(crate::import::parse_by_extension("srt", bytes)),
        "vtt" => drop(crate::import::parse_by_extension("vtt", bytes)),
        "csv" => drop(crate::import::survey::read_survey(bytes)),
        "offsets" => {
            use crate::model::text::*;
            let text = normalize_text(&String::from_utf8_lossy(bytes));
            let len = char_len(&text);
            for scheme in PositionScheme::all() {
                let map = PositionMap::new(&text, scheme);
                for p in [
                    0,
                    1,
                    len / 2,
                    len,
                    len + 3,
                    map.foreign_len(),
                    usize::MAX / 2,
                ] {
                    let c = map.to_char_floor(p);
                    assert!(c <= len);
                    if let Some(c) = map.to_char_exact(p) {
                        assert_eq!(map.to_foreign(c), Some(p));
                    }
                }
            }
            let offsets: Vec<usize> = (0..=len + 1).step_by(7).collect();
            let bytes_at = chars_to_bytes_sorted(&text, &offsets);
            for (o, b) in offsets.iter().zip(bytes_at) {
                assert_eq!(b, char_to_byte(&text, *o));
            }
        }
        _ => {}
    }
}

fn mutate_bytes(rng: &mut SplitMix, data: &mut Vec<u8>, others: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = [
                    0, 0xff, b'<', b'>', b'&', b'"', b'\r', b'\n', 0xc3, 0xf0, b';', b':',
                ][rng.below(12)];
            }
            2 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let insert: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
                data.splice(i..i, insert);
            }
            3 if len > 1 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                data.drain(i..i + n);
            }
            4 if len > 1 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(256) + 1);
                let chunk = data[i..i + n].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, chunk);
            }
            5 if len > 0 => data.truncate(rng.below(len)),
            6 if !others.is_empty() => {
                let other = &others[rng.below(others.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = rng.below((other.len() - i).min(128) + 1);
                    let at = rng.below(data.len() + 1);
                    data.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            _ => {
                let snippets: [&[u8]; 6] = [
                    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
                    b"&a;",
                    b"\xef\xbb\xbf",
                    b"\xff\xfe",
                    b"00:00:01,000 --> ",
                    b"\"\"\"",
                ];
                let s = snippets[rng.below(snippets.len())];
                let at = rng.below(data.len() + 1);
                data.splice(at..at, s.iter().copied());
            }
        }
    }
}

/// Mutates one XML entry inside a zip and re-zips it (structure-aware fuzzing of docx/odt).
fn mutate_zip(rng: &mut SplitMix, data: &[u8], others: &[Vec<u8>]) -> Option<Vec<u8>> {
    let mut zip = SafeZip::open(data, ZipLimits::default()).ok()?;
    let names = zip.names();
    let target = names
        .iter()
        .filter(|n| n.ends_with(".xml"))
        .nth(rng.below(3))?
        .clone();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in &names {
        let mut content = zip.read(name).ok()?;
        if *name == target {
            mutate_bytes(rng, &mut content, others);
        }
        writer.start_file(name.as_str(), options).ok()?;
        writer.write_all(&content).ok()?;
    }
    Some(writer.finish().ok()?.into_inner())
}

/// Outcome of a fuzzing run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FuzzReport {
    /// Inputs run, per target.
    pub runs: Vec<(String, usize)>,
    /// Failures (panics or hangs), each with the file the input was saved to.
    pub failures: Vec<String>,
}

/// Fuzzes `targets` for `budget` each (or `max_runs` inputs each, whichever comes first);
/// failing inputs are saved in `crash_dir`.
pub fn fuzz(
    targets: &[&str],
    budget: Duration,
    max_runs: usize,
    seed: u64,
    crash_dir: &Path,
) -> FuzzReport {
    let mut report = FuzzReport::default();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for &target in targets {
        let seeds = seeds(target);
        let mut rng = SplitMix(seed ^ target.len() as u64 * 0x1234_5678);
        let start = Instant::now();
        let mut runs = 0;
        while start.elapsed() < budget && runs < max_runs && !seeds.is_empty() {
            let base = &seeds[rng.below(seeds.len())];
            let input = if (target == "docx" || target == "odt") && rng.below(2) == 0 {
                mutate_zip(&mut rng, base, &seeds).unwrap_or_else(|| base.clone())
            } else {
                let mut b = base.clone();
                mutate_bytes(&mut rng, &mut b, &seeds);
                b
            };
            runs += 1;
            let (tx, rx) = mpsc::channel();
            let owned = input.clone();
            let name = target.to_string();
            let handle = std::thread::spawn(move || {
                let ok = std::panic::catch_unwind(|| run_target(&name, &owned)).is_ok();
                let _ = tx.send(ok);
            });
            let failure = match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(true) => None,
                Ok(false) => Some("panic"),
                Err(_) => Some("hang (over 10 s)"),
            };
            if failure.is_none() {
                let _ = handle.join();
            }
            if let Some(kind) = failure {
                let _ = std::fs::create_dir_all(crash_dir);
                let file: PathBuf = crash_dir.join(format!("{target}-{seed}-{runs}.bin"));
                let _ = std::fs::write(&file, &input);
                report.failures.push(format!(
                    "{target}: {kind}, input saved to {}",
                    file.display()
                ));
            }
        }
        report.runs.push((target.to_string(), runs));
    }
    std::panic::set_hook(previous_hook);
    report
}

/// Reads a saved failing input back (to turn it into a regression test).
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    std::fs::File::open(path)?.read_to_end(&mut out)?;
    Ok(out)
}
