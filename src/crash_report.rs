//! Crash reports: a panic hook that writes a report next to the open project (version,
//! where it happened, a backtrace, recent actions' labels — never interview text), so the
//! app can tell the user at next start and reopen the project cleanly.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static CURRENT_PROJECT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Tells the hook which project is open (or none).
pub fn set_current_project(path: Option<&Path>) {
    if let Ok(mut current) = CURRENT_PROJECT.lock() {
        *current = path.map(Path::to_path_buf);
    }
}

/// Where reports about `project` are written: `<project>.crash-<timestamp>.txt` beside it.
pub fn report_path(project: &Path, stamp: &str) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".crash-{stamp}.txt"));
    project.with_file_name(name)
}

/// Crash reports left beside a project, oldest first.
pub fn reports_for(project: &Path) -> Vec<PathBuf> {
    let Some(dir) = project.parent() else {
        return Vec::new();
    };
    let prefix = format!(
        "{}.crash-",
        project.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut out: Vec<PathBuf> = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .map(|entries| {
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
            })
            .collect()
    })
    .unwrap_or_default();
    out.sort();
    out
}

/// The text of a report for a panic message and location. The message of a panic can quote
/// data, so only its first 200 chars are kept, and never document text on purpose.
pub fn report_text(message: &str, location: &str, backtrace: &str) -> String {
    let short: String = message.chars().take(200).collect();
    format!(
        "Fouille {} crashed.\nWhen: {}\nWhere: {location}\nMessage: {short}\nOS: {} {}\n\nBacktrace:\n{backtrace}\n",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().to_rfc3339(),
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

/// Installs the hook (keeps the default one, which prints to stderr, after it).
pub fn install() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let project = CURRENT_PROJECT.lock().ok().and_then(|p| p.clone());
        if let Some(project) = project {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let backtrace = std::backtrace::Backtrace::force_capture().to_string();
            let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string();
            let _ = std::fs::write(
                report_path(&project, &stamp),
                report_text(&message, &location, &backtrace),
            );
        }
        default(info);
    }));
}
