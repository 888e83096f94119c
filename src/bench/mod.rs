//! `fouille bench`: generates a deterministic corpus at a chosen scale and times the
//! operations researchers wait on, each as the median of several runs, against the targets
//! of BENCHMARKS.md.

pub mod corpus;
mod folder;
pub mod frames;
mod lexical;
pub mod load;
mod phases;
mod rng;
pub mod run;
pub mod survey;
pub mod transcribe;

pub use rng::SplitMix;

use serde::Serialize;
use std::time::Instant;

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// The median (or the single value).
    pub value: f64,
    /// Unit (`ms`, `s`, `MB`, `ratio`).
    pub unit: String,
    /// The target, as text (e.g. `≤ 30 ms`), if any.
    pub target: Option<String>,
    /// Whether the target is met.
    pub met: Option<bool>,
    /// Every run's value, in run order; `value` is their median.
    pub runs: Vec<f64>,
    /// A note (sizes involved, what is included).
    pub note: String,
}

/// Median of values (0 when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Times `f` `runs` times; returns milliseconds of each run and the last result.
pub fn time_ms<T, E>(runs: usize, mut f: impl FnMut() -> Result<T, E>) -> Result<(Vec<f64>, T), E> {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let out = f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    Ok((times, last.expect("at least one run")))
}

/// CPU time the hypervisor gave to other machines so far, in clock ticks (Linux: the
/// `steal` column of `/proc/stat`), if known: on a shared virtual machine it slows every
/// figure without showing in them.
pub fn stolen_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    cpu.split_whitespace().nth(7)?.parse().ok()
}

/// Times a fixed piece of work, the same on every run and every scale: folding 4 MB of
/// accented text for search and sorting 500,000 numbers (memory and branches, as the
/// figures are). Timed at the start and the end of a run, it tells a slow stretch of the
/// machine (frequency, neighbours on the host) from a slow change: the figures of a run
/// whose fixed work took longer were slowed across the board.
pub fn fixed_work_ms() -> f64 {
    let text = "L'œuvre du cœur : « coopération », réflexes publics, Ærø. ".repeat(70_000);
    let mut numbers: Vec<u64> = (0..500_000u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17))
        .collect();
    let t = Instant::now();
    let folded = crate::model::text::fold_for_search(&text);
    numbers.sort_unstable();
    let elapsed = t.elapsed().as_secs_f64() * 1000.0;
    std::hint::black_box((folded.len(), numbers.first().copied()));
    elapsed
}

/// Peak resident memory of this process in MB (Linux: VmHWM), if known.
pub fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// Starts a new peak-memory measure: gives freed heap back to the system, then resets the
/// peak (Linux: `clear_refs` 5), so that [`peak_rss_mb`] tells the peak since now. Returns
/// whether the system allowed it; elsewhere the peak stays the whole process's.
pub fn reset_peak_rss() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    PHASE_START_RSS.set(if reset { status_mb("VmRSS:") } else { None });
    reset
}

thread_local! {
    static PHASE_START_RSS: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Resident memory (MB) when [`reset_peak_rss`] last succeeded: what the process already
/// held when the phase began (the binary's pages, the open project's cache…).
pub fn phase_start_rss_mb() -> Option<f64> {
    PHASE_START_RSS.get()
}

fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

impl Figure {
    /// A figure in MB with an upper-bound target.
    pub fn mb(name: &str, value: f64, max_mb: Option<f64>, note: impl Into<String>) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: "MB".into(),
            target: max_mb.map(|m| format!("≤ {m} MB")),
            met: max_mb.map(|m| value <= m),
            runs: vec![value],
            note: note.into(),
        }
    }

    /// A figure in ms with an upper-bound target.
    pub fn ms(name: &str, runs: Vec<f64>, max_ms: Option<f64>, note: impl Into<String>) -> Figure {
        let value = median(&runs);
        Figure {
            name: name.into(),
            value,
            unit: "ms".into(),
            target: max_ms.map(|m| format!("≤ {m} ms")),
            met: max_ms.map(|m| value <= m),
            runs,
            note: note.into(),
        }
    }
}
