//! Damage: finding it (pages that fail their checksum, a file cut short), naming what it
//! touches (which document, which excerpt), and telling the user what to do (the last
//! backup and the command that restores it).

use std::io::Read;
use std::path::Path;

use rusqlite::Connection;

use super::{StoreError, backup, vfs};

/// What is wrong with a damaged project file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// Pages (1-based) fail their checksum, of `total` pages.
    BadPages {
        /// The failing pages (at most the first few hundred are kept).
        pages: Vec<u32>,
        /// Pages in the file.
        total: u32,
    },
    /// The file holds fewer pages than its header declares (or a partial last page).
    CutShort {
        /// Pages the header declares that the file does not hold.
        missing: u32,
        /// Pages the file should hold.
        total: u32,
    },
    /// The file is shorter than an SQLite header.
    HeaderCutShort,
    /// A page failed its checksum as SQLite read it.
    ReadFault {
        /// The page (1-based), when known.
        page: Option<u32>,
    },
    /// SQLite found its own structures broken; its words.
    Malformed(String),
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::BadPages { pages, total } => {
                let shown: Vec<String> = pages.iter().take(8).map(u32::to_string).collect();
                let more = if pages.len() > 8 { ", …" } else { "" };
                write!(
                    f,
                    "{} of {total} pages fail their checksum (pages {}{more}): the file was changed outside Fouille, or the disk is failing",
                    pages.len(),
                    shown.join(", ")
                )
            }
            Damage::CutShort { missing, total } => {
                write!(
                    f,
                    "the file is cut short: {missing} of its {total} pages are missing"
                )
            }
            Damage::HeaderCutShort => write!(f, "the file is cut short inside its header"),
            Damage::ReadFault { page: Some(page) } => write!(
                f,
                "page {page} fails its checksum: the file was changed outside Fouille, or the disk is failing"
            ),
            Damage::ReadFault { page: None } => write!(f, "a page fails its checksum"),
            Damage::Malformed(words) => write!(f, "SQLite reports: {words}"),
        }
    }
}

/// What a scan of a project file's pages found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageScan {
    /// Pages in the file.
    pub pages: u32,
    /// Pages (1-based) whose checksum fails.
    pub bad_pages: Vec<u32>,
    /// Pages the header declares but the file does not hold (a file cut short), or 0.
    pub missing_pages: u32,
    /// The file has page checksums at all (older projects get them at their first open).
    pub checksummed: bool,
}

impl PageScan {
    /// Nothing wrong was found.
    pub fn is_sound(&self) -> bool {
        self.bad_pages.is_empty() && self.missing_pages == 0
    }

    /// What was found (`None` when sound); a file cut short is said first.
    pub fn damage(&self) -> Option<Damage> {
        if self.missing_pages > 0 {
            return Some(Damage::CutShort {
                missing: self.missing_pages,
                total: self.pages + self.missing_pages,
            });
        }
        (!self.bad_pages.is_empty()).then(|| Damage::BadPages {
            pages: self.bad_pages.iter().take(500).copied().collect(),
            total: self.pages,
        })
    }
}

/// Checks the length of the file at `path` against its header and, when `read_pages`, reads
/// every page and checks its checksum (without SQLite: the file's bytes as they are on
/// disk). A file whose header asks for no checksums is only checked for its length.
pub fn scan_pages(path: &Path, read_pages: bool) -> std::io::Result<PageScan> {
    let mut file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let mut header = [0u8; 100];
    file.read_exact(&mut header)?;
    let Some((page_size, reserved)) = vfs::header_layout(&header) else {
        return Ok(PageScan::default());
    };
    let page_size = u64::from(page_size);
    let pages = u32::try_from(length / page_size).unwrap_or(u32::MAX);
    let mut scan = PageScan {
        pages,
        missing_pages: declared_pages(&header).saturating_sub(pages),
        checksummed: reserved == vfs::RESERVED_BYTES,
        ..PageScan::default()
    };
    if length % page_size != 0 {
        scan.missing_pages = scan.missing_pages.max(1);
    }
    if !scan.checksummed || !read_pages {
        return Ok(scan);
    }
    let mut file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut page = vec![0u8; page_size as usize];
    for number in 1..=u64::from(pages) {
        file.read_exact(&mut page)?;
        if !vfs::page_is_sound(&page, number) {
            scan.bad_pages.push(number as u32);
        }
    }
    Ok(scan)
}

/// The database size the header declares, in pages, when the header vouches for it (its
/// change counter matches the "version valid for" field), else 0.
fn declared_pages(header: &[u8; 100]) -> u32 {
    let word = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    if word(24) == word(92) { word(28) } else { 0 }
}

/// The error for a page that failed its checksum while SQLite read it (the checksum layer
/// noted which).
pub(crate) fn checksum_fault() -> StoreError {
    let fault = vfs::take_fault();
    let path = fault.as_ref().map(|f| f.path.clone()).unwrap_or_default();
    damaged(
        &path,
        Damage::ReadFault {
            page: fault.and_then(|f| f.page),
        },
    )
}

/// The error for SQLite finding its own structures broken ("malformed").
pub(crate) fn structure_fault(error: &rusqlite::Error) -> StoreError {
    let path = vfs::take_fault().map(|f| f.path).unwrap_or_default();
    damaged(&path, Damage::Malformed(error.to_string()))
}

/// A [`StoreError::Damaged`] for `path`, with its newest backup.
pub fn damaged(path: &str, detail: Damage) -> StoreError {
    let last_backup = if path.is_empty() {
        None
    } else {
        backup::list(Path::new(path))
            .ok()
            .and_then(|list| list.into_iter().next())
    };
    StoreError::Damaged {
        path: path.to_string(),
        detail,
        last_backup,
    }
}

/// What to do about a damaged project: restore its newest backup, or, without one, keep a
/// copy and see what `check` can still read.
pub fn restore_advice(path: &str, last_backup: Option<&backup::BackupInfo>) -> String {
    match last_backup {
        Some(b) => format!(
            "the last backup is from {} — restore it with `fouille restore {path} {}`, or in the app under Project → Backups (the damaged file is kept as a backup first)",
            b.created,
            b.path.display()
        ),
        None => format!(
            "there is no backup of it: copy {path} somewhere safe before anything else, then run `fouille check {path}` to see which documents and excerpts are affected"
        ),
    }
}

impl StoreError {
    /// Names the project in a damage report made where the file was not known.
    pub fn in_project(self, project: &Path) -> StoreError {
        match self {
            StoreError::Damaged { path, detail, .. } if path.is_empty() => {
                damaged(&project.display().to_string(), detail)
            }
            other => other,
        }
    }
}

/// Turns the checking of checksums off (to read around damage) or back on, for this
/// connection's main file.
pub fn set_verification(conn: &Connection, on: bool) -> rusqlite::Result<()> {
    let value = if on { "on" } else { "off" };
    conn.query_row(
        &format!("PRAGMA {} = {value}", vfs::VERIFY_PRAGMA),
        [],
        |_| Ok(()),
    )
    .or_else(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Ok(()),
        other => Err(other),
    })
}

/// For each damaged page, the table or index that holds it (on a connection with checks
/// off: SQLite's `dbstat` table maps pages to what they hold).
pub fn owners_of_pages(
    forensic: &Connection,
    pages: &[u32],
) -> rusqlite::Result<Vec<(u32, String)>> {
    let mut stmt = forensic.prepare("SELECT name FROM dbstat WHERE pageno = ?1")?;
    let mut out = Vec::new();
    for &page in pages {
        let owner: Option<String> = stmt.query_row([page], |r| r.get(0)).ok();
        out.push((page, owner.unwrap_or_else(|| "free space".into())));
    }
    Ok(out)
}

/// The rows of `table` that cannot be read whole on `checking` (a page on their way fails
/// its checksum), each described by `describe` run on `forensic` (checks off, so it reads
/// what is left).
pub fn unreadable_rows(
    checking: &Connection,
    forensic: &Connection,
    table: &str,
    describe: &str,
) -> rusqlite::Result<Vec<String>> {
    let ids: Vec<i64> = forensic
        .prepare(&format!("SELECT id FROM {table}"))
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let mut read = checking.prepare(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
    let mut out = Vec::new();
    for id in ids {
        let whole = read.query_row([id], |r| {
            for i in 0..r.as_ref().column_count() {
                r.get_ref(i)?;
            }
            Ok(())
        });
        if whole.is_err() {
            vfs::take_fault();
            out.push(
                forensic
                    .query_row(describe, [id], |r| r.get(0))
                    .unwrap_or_else(|_| format!("{table} row {id}")),
            );
        }
    }
    Ok(out)
}
