//! Files the app writes for the user: the folder exports go to by default, and opening a
//! written file (or its folder) with the system's own programs. No egui here: what is
//! started is a plain [`Launch`], so tests check the command built instead of starting it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The folder a project's exports go to when none was chosen yet: the project's own folder,
/// unless the project lives in Fouille's data folder (the bundled sample), which nobody
/// browses: then `documents` (the user's documents folder), when known.
pub fn default_export_folder(project: &Path, app_data: &Path, documents: Option<&Path>) -> PathBuf {
    let folder = project
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match documents {
        Some(documents) if folder.starts_with(app_data) => documents.to_path_buf(),
        _ => folder.to_path_buf(),
    }
}

/// A program to start and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The program (`xdg-open`, `open`, `explorer`).
    pub program: String,
    /// Its arguments.
    pub args: Vec<OsString>,
}

/// The command that opens `path` with its usual application, or (`reveal`) shows it in
/// the file manager, on the operating system `os` (as [`std::env::consts::OS`] names it).
/// The freedesktop opener cannot select a file: it opens the folder.
pub fn open_command(path: &Path, reveal: bool, os: &str) -> Launch {
    let launch = |program: &str, args: Vec<OsString>| Launch {
        program: program.to_string(),
        args,
    };
    match (os, reveal) {
        ("macos", false) => launch("open", vec![path.into()]),
        ("macos", true) => launch("open", vec!["-R".into(), path.into()]),
        ("windows", false) => launch("explorer", vec![path.into()]),
        ("windows", true) => {
            let mut select = OsString::from("/select,");
            select.push(path);
            launch("explorer", vec![select])
        }
        (_, false) => launch("xdg-open", vec![path.into()]),
        (_, true) => {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
            launch("xdg-open", vec![folder.unwrap_or(Path::new(".")).into()])
        }
    }
}

/// What starts the programs: the system, or (tests) a list that only records them.
#[derive(Debug, Clone, Default)]
pub enum Launcher {
    /// Start them, detached.
    #[default]
    System,
    /// Record them without starting anything.
    Record(Arc<Mutex<Vec<Launch>>>),
}

impl Launcher {
    /// Opens `path`, or shows it in its folder (`reveal`), on this operating system.
    pub fn open(&self, path: &Path, reveal: bool) -> std::io::Result<()> {
        let launch = open_command(path, reveal, std::env::consts::OS);
        match self {
            Launcher::System => {
                let mut child = std::process::Command::new(&launch.program)
                    .args(&launch.args)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()?;
                // Waited for on a thread of its own, so it does not linger as a zombie.
                std::thread::spawn(move || child.wait());
                Ok(())
            }
            Launcher::Record(list) => {
                list.lock()
                    .map_err(|_| std::io::Error::other("launch log poisoned"))?
                    .push(launch);
                Ok(())
            }
        }
    }

    /// What was started so far (only a recording launcher remembers).
    pub fn launched(&self) -> Vec<Launch> {
        match self {
            Launcher::System => Vec::new(),
            Launcher::Record(list) => list.lock().map(|l| l.clone()).unwrap_or_default(),
        }
    }
}

/// The last file an export wrote, set by the job that wrote it (on the worker) and read by
/// the screen that offers to open it.
#[derive(Debug, Clone, Default)]
pub struct Written(Arc<Mutex<Option<PathBuf>>>);

impl Written {
    /// Records a file written.
    pub fn set(&self, path: PathBuf) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(path);
        }
    }

    /// The last file written, if any.
    pub fn get(&self) -> Option<PathBuf> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_per_system() {
        let file = Path::new("/home/a/rapport.odt");
        assert_eq!(
            open_command(file, false, "linux"),
            Launch {
                program: "xdg-open".into(),
                args: vec!["/home/a/rapport.odt".into()]
            }
        );
        assert_eq!(
            open_command(file, true, "linux").args,
            vec![OsString::from("/home/a")]
        );
        assert_eq!(
            open_command(file, true, "macos").args,
            vec![OsString::from("-R"), OsString::from("/home/a/rapport.odt")]
        );
        assert_eq!(
            open_command(file, true, "windows").args,
            vec![OsString::from("/select,/home/a/rapport.odt")]
        );
    }

    #[test]
    fn the_sample_exports_to_documents_other_projects_beside_themselves() {
        let data = Path::new("/home/a/.local/share/fouille");
        let docs = Path::new("/home/a/Documents");
        assert_eq!(
            default_export_folder(&data.join("exemple.fouille"), data, Some(docs)),
            docs
        );
        assert_eq!(
            default_export_folder(Path::new("/terrain/p.fouille"), data, Some(docs)),
            Path::new("/terrain")
        );
        assert_eq!(
            default_export_folder(Path::new("p.fouille"), data, Some(docs)),
            Path::new(".")
        );
    }
}
