//! Team work through a shared folder (Nextcloud, Syncthing, a network drive, a USB stick),
//! without a server. Each member's copy **publishes** its whole state as one file of its
//! own in the folder (`<name>-<guid prefix>.fouille`, written by nobody else) and
//! **gathers** the other members' files into itself with the merge by identity. No file
//! is ever written by two people, and the merge's laws (idempotent, order-free,
//! associative) make the order and repetition of gathers irrelevant: after everyone has
//! published and gathered once more, every copy holds the same content.
//!
//! What never travels: the project's lock, its write-ahead log, its backups, the undo
//! history and this copy's own membership (the folder's path is the member's machine's).

pub mod gather;
pub mod names;
pub mod publish;

use std::path::{Path, PathBuf};

use crate::store::team_folder::{self, GatherRow, Membership};
use crate::store::{Project, StoreError};
use crate::team::TeamError;
use crate::team::merge::MergeOptions;

pub use gather::{GatherOutcome, SkipReason};
pub use names::Debris;

/// What can go wrong with a team folder; each says what to do in both languages
/// (`i18n::errors`).
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The project has not joined a team folder.
    #[error("this project has not joined a team folder (fouille team join PROJECT FOLDER)")]
    NotJoined,
    /// The folder is not there (unmounted drive, sync client stopped, typo).
    #[error("the team folder {folder} is not there")]
    FolderMissing {
        /// The folder as given or recorded.
        folder: String,
    },
    /// The project file itself lies in the team folder: its lock and journal would travel.
    #[error(
        "{project} lies inside the team folder: keep the project outside it, the folder only holds the published copies"
    )]
    ProjectInsideFolder {
        /// The project file.
        project: String,
    },
    /// A file of the folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The project could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The merge failed.
    #[error(transparent)]
    Team(#[from] TeamError),
}

/// Result of team folder operations.
pub type FolderResult<T> = Result<T, FolderError>;

/// A member seen in the folder, for the status.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    /// Their file in the folder.
    pub file_name: String,
    /// Their name (as their last merged file said; else from the file's name).
    pub name: String,
    /// When they last published, ms since the epoch (the file's time of change).
    pub published_at: Option<i64>,
    /// What their file brought at the last gather that merged it.
    pub last_gather: Option<GatherRow>,
    /// This copy's own file.
    pub is_self: bool,
}

/// The state of this copy's team folder.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    /// The membership.
    pub membership: Membership,
    /// Every member file in the folder, this copy's own included.
    pub members: Vec<Member>,
    /// Sync tools' leftovers in the folder.
    pub debris: Vec<gather::FoundDebris>,
}

/// Joins `folder`: from now on this copy publishes there as its coder and gathers the
/// others' files. Joining again (another folder, or the same one) replaces the membership.
pub fn join(project: &Project, folder: &Path) -> FolderResult<Membership> {
    let folder_text = folder.display().to_string();
    let folder = existing_folder(&folder_text)?;
    let project_full =
        std::fs::canonicalize(project.path()).unwrap_or_else(|_| project.path().to_path_buf());
    if project_full.starts_with(&folder) {
        return Err(FolderError::ProjectInsideFolder {
            project: project.path().display().to_string(),
        });
    }
    let coder = project.coder()?;
    let membership = Membership {
        folder: folder.display().to_string(),
        file_name: names::member_file_name(&coder.name, coder.guid.as_str()),
        coder_guid: coder.guid.to_string(),
        coder_name: coder.name,
        joined_at: crate::model::now_ms(),
    };
    team_folder::join(project.conn(), &membership)?;
    Ok(membership)
}

/// The membership, or [`FolderError::NotJoined`].
pub fn membership(project: &Project) -> FolderResult<Membership> {
    team_folder::membership(project.conn())?.ok_or(FolderError::NotJoined)
}

/// What a synchronisation did: the gather, then the publish.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncOutcome {
    /// The others' files merged, skipped, unchanged; the leftovers found.
    pub gather: GatherOutcome,
    /// This copy's file, as published after the gather.
    pub published: String,
}

/// Gathers the others' files, then publishes this copy (with what it just gathered, so
/// that a member who only reaches part of the team still passes the rest on).
pub fn sync(project: &mut Project, options: &MergeOptions) -> FolderResult<SyncOutcome> {
    let membership = membership(project)?;
    let gather = gather::gather(project, &membership, options)?;
    let published = publish::publish(project, &membership)?;
    Ok(SyncOutcome {
        gather,
        published: published.display().to_string(),
    })
}

/// Leaves the folder: this copy stops publishing and gathering. Its file stays in the
/// folder, so that the others keep everything it brought (its codings stay, signed by
/// their coder); `remove_file` takes it away too.
pub fn leave(project: &Project, remove_file: bool) -> FolderResult<Membership> {
    let membership = membership(project)?;
    if remove_file {
        let path = Path::new(&membership.folder).join(&membership.file_name);
        if path.exists() {
            std::fs::remove_file(&path).map_err(|source| FolderError::Io {
                path: path.display().to_string(),
                source,
            })?;
        }
    }
    team_folder::leave(project.conn())?;
    Ok(membership)
}

/// The members found in the folder, their last publish and what they last brought.
pub fn status(project: &Project) -> FolderResult<Status> {
    let membership = membership(project)?;
    let folder = existing_folder(&membership.folder)?;
    let gathers = team_folder::gathers(project.conn(), 10_000)?;
    let mut members = Vec::new();
    let mut debris = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&folder)
        .map_err(|source| FolderError::Io {
            path: folder.display().to_string(),
            source,
        })?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    entries.sort();
    for name in entries {
        let entry = names::classify(&name, &membership.file_name);
        let is_self = entry == names::Entry::Own;
        match entry {
            names::Entry::Own | names::Entry::Member => {
                let last = gathers.iter().find(|g| g.file_name == name).cloned();
                members.push(Member {
                    name: if is_self {
                        membership.coder_name.clone()
                    } else {
                        last.as_ref().map_or_else(
                            || name.trim_end_matches(".fouille").to_string(),
                            |g| g.member.clone(),
                        )
                    },
                    published_at: modified_ms(&folder.join(&name)),
                    last_gather: last,
                    file_name: name,
                    is_self,
                });
            }
            names::Entry::Debris(kind) => debris.push(gather::FoundDebris {
                file_name: name,
                kind,
            }),
            names::Entry::InProgress | names::Entry::Other => {}
        }
    }
    Ok(Status {
        membership,
        members,
        debris,
    })
}

/// The folder, resolved, when it exists.
fn existing_folder(folder: &str) -> FolderResult<PathBuf> {
    let path = Path::new(folder);
    if !path.is_dir() {
        return Err(FolderError::FolderMissing {
            folder: folder.to_string(),
        });
    }
    Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn modified_ms(path: &Path) -> Option<i64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_millis()).ok()
}

/// What a member's file brought, as one line in `tr`'s language (the status on both faces).
pub fn brought_line(tr: &crate::i18n::I18n, b: &team_folder::Brought) -> String {
    tr.f(
        "cli.team.brought",
        &[
            ("codings", &b.codings.to_string()),
            ("codes", &b.codes.to_string()),
            ("memos", &b.memos.to_string()),
            ("documents", &b.documents.to_string()),
            ("changed", &b.changed.to_string()),
            ("conflicts", &b.conflicts.to_string()),
        ],
    )
}

/// A time in ms since the epoch as the local date and minute (when a member published).
pub fn local_minute(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| {
            d.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
