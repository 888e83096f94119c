//! The per-user folders Fouille keeps things in, by platform convention: settings (the
//! remembered speech model), data (the sample project), and the cache (a fetched model).

use std::path::PathBuf;

/// Which kind of per-user folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Config,
    Data,
    Cache,
}

fn env(key: &str) -> Option<PathBuf> {
    std::env::var_os(key)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `<base>/fouille` for `kind`: on Windows `%APPDATA%`; on macOS `~/Library/Application
/// Support` for settings and data; otherwise (and for the cache on macOS, where
/// `whisper/fetch-model.sh` puts the model) the XDG variable, else its usual place under the
/// home folder. Falls back to the temporary folder when no home is known.
fn user_dir(kind: Kind) -> PathBuf {
    let base = if cfg!(target_os = "windows") {
        env("APPDATA")
    } else if cfg!(target_os = "macos") && kind != Kind::Cache {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        let (var, under) = match kind {
            Kind::Config => ("XDG_CONFIG_HOME", ".config"),
            Kind::Data => ("XDG_DATA_HOME", ".local/share"),
            Kind::Cache => ("XDG_CACHE_HOME", ".cache"),
        };
        env(var).or_else(|| env("HOME").map(|h| h.join(under)))
    };
    base.unwrap_or_else(std::env::temp_dir).join("fouille")
}

/// Fouille's settings folder (`$XDG_CONFIG_HOME/fouille`, `~/.config/fouille`…).
pub fn config_dir() -> PathBuf {
    user_dir(Kind::Config)
}

/// Fouille's data folder (`$XDG_DATA_HOME/fouille`, `~/.local/share/fouille`…).
pub fn data_dir() -> PathBuf {
    user_dir(Kind::Data)
}

/// Fouille's cache folder (`$XDG_CACHE_HOME/fouille`, `~/.cache/fouille`…).
pub fn cache_dir() -> PathBuf {
    user_dir(Kind::Cache)
}

/// The user's documents folder (`~/Documents` when it exists, else the home folder), where
/// a file written for the user goes when nothing better is known; `None` without a home.
pub fn documents_dir() -> Option<PathBuf> {
    let home = env("HOME").or_else(|| env("USERPROFILE"))?;
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
}
