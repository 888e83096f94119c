//! What the files of a team folder are, from their names alone: this copy's own file, other
//! members' files, a publish under way, or what sync tools leave behind when two machines
//! changed the same file (a "conflicted copy") or while a file is on its way.

use serde::Serialize;

/// Extension of project files, and so of member files.
const EXTENSION: &str = ".fouille";

/// What a name in the team folder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// This copy's own published file.
    Own,
    /// Another member's published file.
    Member,
    /// A member's publish under way (a temporary name, renamed when complete).
    InProgress,
    /// Left by a sync tool or another program: never merged.
    Debris(Debris),
    /// Something else (a README, a sub-folder…): left alone.
    Other,
}

/// The kinds of leftovers a team folder collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Debris {
    /// Two versions of a member's file met: the sync tool kept both (Syncthing's
    /// `.sync-conflict-`, Dropbox's and Nextcloud's `(conflicted copy …)`, `-Conflit`…).
    ConflictCopy,
    /// A file still being transferred by the sync tool (`.partial`, `.part`, `~syncthing~`).
    Transfer,
    /// A lock file of an office program (`~$…`, `.~lock.…#`).
    OfficeLock,
    /// A project was opened right inside the folder: its journal, log or lock travelled.
    ProjectSidecar,
}

/// The name of a coder's file in the folder: the name in lowercase ASCII letters and
/// digits (so every file system and sync tool keeps it), then the first 8 characters of
/// the coder's GUID, so that two namesakes never share a file.
pub fn member_file_name(coder_name: &str, coder_guid: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::new();
    // Decomposed, an accented letter is its base letter and a mark; the marks go.
    for c in coder_name.nfd().filter(|c| c.is_ascii()) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "codeur" } else { slug };
    let prefix: String = coder_guid.chars().filter(|c| *c != '-').take(8).collect();
    format!("{slug}-{prefix}{EXTENSION}")
}

/// The temporary name a publish writes under before renaming: it starts with a dot (sync
/// tools and file browsers skip it) and names the member file it becomes.
pub fn temporary_name(file_name: &str, unique: &str) -> String {
    format!(".{file_name}.tmp-{unique}")
}

/// Whether `name` is one of `file_name`'s temporary names.
pub fn is_temporary_of(name: &str, file_name: &str) -> bool {
    name.starts_with(&format!(".{file_name}.tmp-"))
}

/// What `name` stands for in a folder where this copy publishes as `own`.
pub fn classify(name: &str, own: &str) -> Entry {
    let lower = name.to_lowercase();
    if name == own {
        return Entry::Own;
    }
    if let Some(debris) = debris(&lower) {
        return Entry::Debris(debris);
    }
    if lower.starts_with('.') && lower.contains(".fouille.tmp-") {
        return Entry::InProgress;
    }
    if lower.ends_with(EXTENSION) && !lower.starts_with('.') {
        return Entry::Member;
    }
    Entry::Other
}

fn debris(lower: &str) -> Option<Debris> {
    let conflict_marks = ["sync-conflict", "conflicted copy", "conflit", "conflict"];
    if conflict_marks.iter().any(|m| lower.contains(m)) {
        return Some(Debris::ConflictCopy);
    }
    if lower.starts_with("~$") || (lower.starts_with(".~lock.") && lower.ends_with('#')) {
        return Some(Debris::OfficeLock);
    }
    let transfer_ends = [".partial", ".part", ".crdownload", ".tmp"];
    if lower.starts_with("~syncthing~")
        || lower.starts_with(".syncthing.")
        || (!lower.contains(".fouille.tmp-") && transfer_ends.iter().any(|e| lower.ends_with(e)))
    {
        return Some(Debris::Transfer);
    }
    let sidecars = ["-wal", "-shm", "-journal", ".lock"];
    if sidecars
        .iter()
        .any(|s| lower.ends_with(&format!("{EXTENSION}{s}")))
    {
        return Some(Debris::ProjectSidecar);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_plain_and_unique_per_coder() {
        let name = member_file_name("Yann Le Gall", "3f2a9c1d-0000-4000-8000-000000000000");
        assert_eq!(name, "yann-le-gall-3f2a9c1d.fouille");
        assert_eq!(
            member_file_name("Aurélie Nguyên", "ab-cd"),
            "aurelie-nguyen-abcd.fouille"
        );
        assert_eq!(
            member_file_name("  ", "12345678"),
            "codeur-12345678.fouille"
        );
    }

    #[test]
    fn sync_tools_leftovers_are_recognised() {
        let own = "yann-3f2a9c1d.fouille";
        let cases = [
            ("yann-3f2a9c1d.fouille", Entry::Own),
            ("lea-0a1b2c3d.fouille", Entry::Member),
            ("LEA-0A1B2C3D.FOUILLE", Entry::Member),
            (
                "lea-0a1b2c3d.sync-conflict-20261207-101010-ABCDEFG.fouille",
                Entry::Debris(Debris::ConflictCopy),
            ),
            (
                "lea-0a1b2c3d (conflicted copy 2026-12-07 101010).fouille",
                Entry::Debris(Debris::ConflictCopy),
            ),
            (
                "lea-0a1b2c3d (Yann's conflicted copy 2026-12-07).fouille",
                Entry::Debris(Debris::ConflictCopy),
            ),
            (
                "lea-0a1b2c3d-Conflit-2026.fouille",
                Entry::Debris(Debris::ConflictCopy),
            ),
            (
                "lea-0a1b2c3d.fouille.partial",
                Entry::Debris(Debris::Transfer),
            ),
            (
                "~syncthing~lea-0a1b2c3d.fouille.tmp",
                Entry::Debris(Debris::Transfer),
            ),
            ("~$rapport.docx", Entry::Debris(Debris::OfficeLock)),
            (".~lock.rapport.odt#", Entry::Debris(Debris::OfficeLock)),
            (
                "lea-0a1b2c3d.fouille-wal",
                Entry::Debris(Debris::ProjectSidecar),
            ),
            (
                "lea-0a1b2c3d.fouille.lock",
                Entry::Debris(Debris::ProjectSidecar),
            ),
            (".lea-0a1b2c3d.fouille.tmp-42-7", Entry::InProgress),
            ("LISEZMOI.txt", Entry::Other),
        ];
        for (name, expected) in cases {
            assert_eq!(classify(name, own), expected, "{name}");
        }
        assert!(is_temporary_of(&temporary_name(own, "1-2"), own));
        assert!(!is_temporary_of(".lea-0a1b2c3d.fouille.tmp-1", own));
    }
}
