//! Which Whisper model folder to use. The user chooses it once (`--model DIR`, the app's
//! settings, or `FOUILLE_WHISPER_MODEL`); a folder that loaded is remembered in the user's
//! configuration folder, so both the command line and the app find it next time.

use std::path::{Path, PathBuf};

use super::SpeechError;

/// The environment variable naming a model folder.
pub const ENV: &str = "FOUILLE_WHISPER_MODEL";

/// Fouille's settings folder, where the chosen model folder is remembered.
pub fn config_dir() -> PathBuf {
    crate::user_dirs::config_dir()
}

/// The file holding the remembered model folder (one line, the folder's path).
fn remembered_file() -> PathBuf {
    config_dir().join("whisper-model")
}

/// The model folder chosen last, if any.
pub fn remembered() -> Option<PathBuf> {
    let text = std::fs::read_to_string(remembered_file()).ok()?;
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| PathBuf::from(line))
}

/// Remembers `dir` as the model folder (written whole then renamed, so a crash never
/// leaves half a path).
pub fn remember(dir: &Path) -> Result<(), SpeechError> {
    let file = remembered_file();
    let err = |source| SpeechError::Settings {
        path: file.clone(),
        source,
    };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    std::fs::create_dir_all(config_dir()).map_err(err)?;
    let partial = file.with_extension("partial");
    std::fs::write(&partial, format!("{}\n", dir.display())).map_err(err)?;
    std::fs::rename(&partial, &file).map_err(err)
}

/// Where `whisper/fetch-model.sh` puts the model by default (`$XDG_CACHE_HOME/fouille/
/// whisper-base` or `~/.cache/fouille/whisper-base`), so a fetched model needs no setting.
pub fn default_dir() -> Option<PathBuf> {
    let dir = crate::user_dirs::cache_dir().join("whisper-base");
    dir.join("model.bin").is_file().then_some(dir)
}

/// The folder to load: `given`, else `FOUILLE_WHISPER_MODEL`, else the remembered one,
/// else the fetched one in the cache folder.
pub fn resolve(given: Option<&Path>) -> Result<PathBuf, SpeechError> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    remembered()
        .or_else(default_dir)
        .ok_or(SpeechError::NoModel)
}
