//! Publishing: this copy's state written into the team folder as its own member file, in
//! one piece. The copy is made under a temporary name and renamed once it is whole and on
//! disk, so that a sync tool, or another member gathering, only ever sees the previous
//! complete file or the new complete file; a publish killed half-way leaves a temporary
//! file that the next publish removes.

use std::path::{Path, PathBuf};

use super::names::{is_temporary_of, temporary_name};
use super::{FolderError, FolderResult};
use crate::store::Project;
use crate::store::team_folder::Membership;

/// Writes the project into `membership.folder` as its member file and returns its path.
pub fn publish(project: &Project, membership: &Membership) -> FolderResult<PathBuf> {
    let folder = super::existing_folder(&membership.folder)?;
    remove_own_temporaries(&folder, &membership.file_name);
    let unique = format!("{}-{}", std::process::id(), crate::model::now_ms());
    let temporary = folder.join(temporary_name(&membership.file_name, &unique));
    let target = folder.join(&membership.file_name);
    let result = write_whole(project, &temporary, &target);
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
        let _ = std::fs::remove_file(sibling(&temporary, "-journal"));
    }
    result.map(|()| target)
}

/// Copies the project to `temporary` (its rollback journal mode: one self-contained file),
/// strips what belongs to this copy alone, syncs it and renames it over `target`.
fn write_whole(project: &Project, temporary: &Path, target: &Path) -> FolderResult<()> {
    project.checkpoint()?;
    project.backup_to(temporary)?;
    crate::store::team_folder::prepare_for_folder(temporary)?;
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| FolderError::Io { path, source }
    };
    std::fs::File::open(temporary)
        .and_then(|f| f.sync_all())
        .map_err(io(temporary))?;
    std::fs::rename(temporary, target).map_err(io(target))?;
    // The rename itself reaches the disk with the folder's entry.
    if let Some(parent) = target.parent()
        && let Ok(dir) = std::fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes what an earlier publish of this member left when it was killed half-way: only
/// this member's temporary names, never another member's publish under way.
fn remove_own_temporaries(folder: &Path, file_name: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if is_temporary_of(&name, file_name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}
