//! A defensive reader for zip archives from untrusted sources (docx, odt, qdpx).
//!
//! It refuses entry names that would escape a folder (`..`, absolute paths, drive
//! letters, backslash tricks), and reads each entry through a bounded loop that stops as
//! soon as the bytes actually decompressed pass a limit: the sizes declared in the
//! archive's headers are never trusted. A zip bomb is caught by the ratio of bytes
//! produced to compressed bytes actually consumed, measured while reading.

use super::FormatError;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Limits applied while reading an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Most entries the archive may list.
    pub max_entries: usize,
    /// Most bytes one entry may decompress to.
    pub max_entry_bytes: u64,
    /// Most bytes all reads from this archive may decompress to, added up.
    pub max_total_bytes: u64,
    /// Highest ratio of decompressed to compressed bytes, checked for entries above
    /// [`RATIO_CHECK_THRESHOLD_BYTES`] decompressed.
    pub max_ratio: u64,
}

impl ZipLimits {
    /// The error for an archive that decompresses to more than the total limit.
    fn archive_too_large(&self) -> FormatError {
        FormatError::ArchiveTooLarge {
            max_bytes: self.max_total_bytes,
        }
    }
}

/// Entries smaller than this (decompressed) are not held to [`ZipLimits::max_ratio`]:
/// small, very repetitive XML parts legitimately compress well.
pub const RATIO_CHECK_THRESHOLD_BYTES: u64 = 1024 * 1024;

impl Default for ZipLimits {
    fn default() -> ZipLimits {
        ZipLimits {
            max_entries: 10_000,
            max_entry_bytes: 512 * 1024 * 1024,
            max_total_bytes: 1024 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// What an archive is read from: its bytes in memory, or its file.
trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

/// A reader over the archive (its bytes in memory, or its file) that counts how many
/// bytes were read through it, so the compressed bytes an entry really consumed can be
/// measured.
struct CountingCursor {
    inner: Box<dyn Source>,
    bytes_read: Arc<AtomicU64>,
}

impl Read for CountingCursor {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for CountingCursor {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A zip archive opened defensively; see the module documentation.
pub struct SafeZip {
    archive: zip::ZipArchive<CountingCursor>,
    names: Vec<String>,
    bytes_read: Arc<AtomicU64>,
    limits: ZipLimits,
    total_decompressed_bytes: u64,
}

impl std::fmt::Debug for SafeZip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeZip")
            .field("names", &self.names)
            .field("limits", &self.limits)
            .field("total_decompressed_bytes", &self.total_decompressed_bytes)
            .finish()
    }
}

/// Most bytes reserved ahead for one entry from the size its header declares.
const MAX_RESERVED_BYTES: u64 = 256 * 1024 * 1024;

/// Size of the chunks entries are read in.
const CHUNK_BYTES: usize = 64 * 1024;

impl SafeZip {
    /// Opens an archive held in memory. Fails on a truncated or corrupt archive, on more
    /// than `limits.max_entries` entries, and on any entry name that could escape a folder.
    pub fn open(bytes: &[u8], limits: ZipLimits) -> Result<SafeZip, FormatError> {
        SafeZip::open_source(Box::new(Cursor::new(bytes.to_vec())), limits)
    }

    /// Opens an archive from its file, read as entries are (a large archive is not held in
    /// memory). Fails as [`SafeZip::open`] does, and when the file cannot be opened.
    pub fn open_file(path: &std::path::Path, limits: ZipLimits) -> Result<SafeZip, FormatError> {
        let file = std::fs::File::open(path).map_err(FormatError::unreadable)?;
        SafeZip::open_source(Box::new(std::io::BufReader::new(file)), limits)
    }

    fn open_source(source: Box<dyn Source>, limits: ZipLimits) -> Result<SafeZip, FormatError> {
        let bytes_read = Arc::new(AtomicU64::new(0));
        let cursor = CountingCursor {
            inner: source,
            bytes_read: bytes_read.clone(),
        };
        let archive = zip::ZipArchive::new(cursor).map_err(|err| FormatError::NotZip {
            detail: err.to_string(),
        })?;
        if archive.len() > limits.max_entries {
            return Err(FormatError::TooManyEntries {
                found: archive.len(),
                max: limits.max_entries,
            });
        }
        let mut names = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let name = match archive.name_for_index(index) {
                Some(Ok(name)) => name.into_owned(),
                Some(Err(err)) => {
                    return Err(FormatError::NotZip {
                        detail: format!("entry {index}: {err}"),
                    });
                }
                None => {
                    return Err(FormatError::NotZip {
                        detail: format!("entry {index} has no name"),
                    });
                }
            };
            if !is_safe_entry_name(&name) {
                return Err(FormatError::UnsafeEntryName {
                    name: name.escape_debug().to_string(),
                });
            }
            names.push(name);
        }
        Ok(SafeZip {
            archive,
            names,
            bytes_read,
            limits,
            total_decompressed_bytes: 0,
        })
    }

    /// The entry names, in the archive's order (folders end with `/`).
    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// The name of the entry matching `name` exactly, or else ignoring case; `None` if
    /// there is none.
    pub fn find_case_insensitive(&self, name: &str) -> Option<String> {
        if let Some(exact) = self.names.iter().find(|candidate| *candidate == name) {
            return Some(exact.clone());
        }
        let wanted = name.to_lowercase();
        self.names
            .iter()
            .find(|candidate| candidate.to_lowercase() == wanted)
            .cloned()
    }

    /// Reads one entry (exact name) into memory, stopping with an error as soon as the
    /// bytes decompressed pass the entry limit, the archive's total limit, or (beyond
    /// 1 MiB) the allowed compression ratio.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, FormatError> {
        let mut entry = self.entry(name)?;
        // Room for the size the entry declares, within the limits (the declared size is only
        // a hint: the limits are checked on the bytes actually produced). A large entry
        // then does not grow by doubling, which left up to half its size unused.
        let mut out: Vec<u8> = Vec::with_capacity(entry.size_hint());
        entry.read_to_end(&mut out).map_err(read_problem)?;
        Ok(out)
    }

    /// Counts `bytes` decompressed elsewhere (an entry read on another handle of the same
    /// archive) against the archive's total limit.
    pub fn count_read(&mut self, bytes: u64) -> Result<(), FormatError> {
        let total = self.total_decompressed_bytes.saturating_add(bytes);
        if total > self.limits.max_total_bytes {
            return Err(self.limits.archive_too_large());
        }
        self.total_decompressed_bytes = total;
        Ok(())
    }

    /// Opens one entry (exact name) for reading as a stream, under the same limits as
    /// [`SafeZip::read`]: a read that passes one fails with the message saying which.
    pub fn entry(&mut self, name: &str) -> Result<Entry<'_>, FormatError> {
        let index = self
            .names
            .iter()
            .position(|candidate| candidate == name)
            .ok_or_else(|| FormatError::NoEntry {
                name: name.to_string(),
            })?;
        let consumed_at_start = self.bytes_read.load(Ordering::Relaxed);
        let file = self
            .archive
            .by_index(index)
            .map_err(|err| FormatError::NotZip {
                detail: format!("{name}: {err}"),
            })?;
        // A symbolic link's "content" is the path it points to: read as a document part it
        // would make an empty or garbled text of a file that is not what it claims to be.
        if file
            .unix_mode()
            .is_some_and(|mode| mode & 0o170_000 == 0o120_000)
        {
            return Err(FormatError::SymbolicLink {
                name: name.escape_debug().to_string(),
            });
        }
        Ok(Entry {
            file,
            name: name.to_string(),
            limits: self.limits,
            counter: self.bytes_read.clone(),
            consumed_at_start,
            produced: 0,
            total: &mut self.total_decompressed_bytes,
        })
    }
}

/// One entry of a [`SafeZip`] being read: its bytes, decompressed as they are read, with
/// the archive's limits checked on every read.
pub struct Entry<'z> {
    file: zip::read::ZipFile<'z, CountingCursor>,
    name: String,
    limits: ZipLimits,
    counter: Arc<AtomicU64>,
    consumed_at_start: u64,
    /// Bytes this entry produced so far.
    produced: u64,
    /// Bytes all reads from the archive produced so far.
    total: &'z mut u64,
}

impl Entry<'_> {
    /// Bytes worth reserving for the whole entry: the size it declares, within the limits
    /// and [`MAX_RESERVED_BYTES`].
    pub fn size_hint(&self) -> usize {
        let hint = self
            .file
            .size()
            .min(self.limits.max_entry_bytes)
            .min(
                self.file
                    .compressed_size()
                    .saturating_mul(self.limits.max_ratio),
            )
            .min(MAX_RESERVED_BYTES);
        usize::try_from(hint).unwrap_or(0)
    }

    /// Takes the bytes read from this entry off the archive's total: for a reader that
    /// gives up on a stream to read the entry again another way.
    pub fn uncount(self) {
        *self.total = self.total.saturating_sub(self.produced);
    }

    /// The limit the entry passes once it has produced `n` more bytes, if any.
    fn over_limit(&self, n: u64) -> Option<FormatError> {
        let limits = self.limits;
        let name = &self.name;
        let entry_bytes = self.produced + n;
        if entry_bytes > limits.max_entry_bytes {
            return Some(FormatError::EntryTooLarge {
                name: name.clone(),
                max_bytes: limits.max_entry_bytes,
            });
        }
        if self.total.saturating_add(n) > limits.max_total_bytes {
            return Some(limits.archive_too_large());
        }
        if entry_bytes > RATIO_CHECK_THRESHOLD_BYTES {
            let consumed = self
                .counter
                .load(Ordering::Relaxed)
                .saturating_sub(self.consumed_at_start)
                .max(1);
            if entry_bytes / consumed > limits.max_ratio {
                return Some(FormatError::ZipBomb { name: name.clone() });
            }
        }
        None
    }
}

impl Read for Entry<'_> {
    /// Reads decompressed bytes (at most [`CHUNK_BYTES`] at a time, so that a limit is
    /// caught within one chunk of being passed). Errors carry the whole message, naming
    /// the entry.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let len = buf.len().min(CHUNK_BYTES);
        let n = match self.file.read(buf.get_mut(..len).unwrap_or_default()) {
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => return Err(err),
            Err(err) => {
                return Err(std::io::Error::other(FormatError::NotZip {
                    detail: format!("cannot read {}: {err}", self.name),
                }));
            }
        };
        if let Some(problem) = self.over_limit(n as u64) {
            return Err(std::io::Error::other(problem));
        }
        self.produced += n as u64;
        *self.total = self.total.saturating_add(n as u64);
        Ok(n)
    }
}

/// The problem a read of an [`Entry`] failed with: the one the entry put in the I/O error
/// (a limit passed, a damaged entry), else the system's words.
pub fn read_problem(err: std::io::Error) -> FormatError {
    match err.get_ref().and_then(|e| e.downcast_ref::<FormatError>()) {
        Some(problem) => problem.clone(),
        None => FormatError::unreadable(err),
    }
}

/// Whether an entry name stays inside the folder it would be extracted to: no NUL, no
/// absolute path (`/x`, `\x`), no drive letter (`C:`), no `..` component at all (with `/` or `\`
/// as the separator).
fn is_safe_entry_name(name: &str) -> bool {
    if name.is_empty() || name.contains('\0') {
        return false;
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return false;
    }
    let bytes = name.as_bytes();
    if let [first, b':', ..] = bytes
        && first.is_ascii_alphabetic()
    {
        return false;
    }
    !name
        .split(['/', '\\'])
        .any(|component| component.trim() == "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn entry_name_safety() {
        for safe in ["word/document.xml", "mimetype", "dir/", "a..b/c"] {
            assert!(is_safe_entry_name(safe), "{safe}");
        }
        for unsafe_name in [
            "../evil.txt",
            "a/../../evil.txt",
            "a/b/../c.txt",
            "/etc/passwd",
            "\\windows\\evil",
            "C:/evil",
            "c:evil",
            "..\\evil.txt",
            "a\\..\\..\\evil",
            "",
            "a\0b",
        ] {
            assert!(!is_safe_entry_name(unsafe_name), "{unsafe_name}");
        }
    }

    #[test]
    fn reads_entries_and_finds_names_ignoring_case() {
        let bytes = zip_with(&[("Word/Document.xml", b"<doc/>"), ("other.txt", b"hello")]);
        let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
        assert_eq!(zip.names(), vec!["Word/Document.xml", "other.txt"]);
        assert_eq!(
            zip.find_case_insensitive("word/document.xml").as_deref(),
            Some("Word/Document.xml")
        );
        assert_eq!(zip.find_case_insensitive("nothing"), None);
        assert_eq!(zip.read("other.txt").unwrap(), b"hello");
        assert!(
            zip.read("missing")
                .unwrap_err()
                .to_string()
                .contains("no entry")
        );
    }

    #[test]
    fn entry_and_total_limits_count_actual_bytes() {
        let data = vec![b'x'; 10_000];
        let bytes = zip_with(&[("a", &data), ("b", &data)]);
        let limits = ZipLimits {
            max_entry_bytes: 5_000,
            ..ZipLimits::default()
        };
        let mut zip = SafeZip::open(&bytes, limits).unwrap();
        assert!(zip.read("a").unwrap_err().to_string().contains("too large"));

        let limits = ZipLimits {
            max_total_bytes: 15_000,
            ..ZipLimits::default()
        };
        let mut zip = SafeZip::open(&bytes, limits).unwrap();
        assert_eq!(zip.read("a").unwrap().len(), 10_000);
        assert!(
            zip.read("b")
                .unwrap_err()
                .to_string()
                .contains("the archive is too large")
        );
        // Bytes read on another handle count too (texts read ahead).
        let mut zip = SafeZip::open(&bytes, limits).unwrap();
        zip.count_read(10_000).unwrap();
        assert!(zip.read("b").unwrap_err().to_string().contains("too large"));
        assert!(zip.count_read(6_000).is_err());
        // A stream gives the bytes read whole, under the same limits.
        let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
        let mut streamed = Vec::new();
        zip.entry("a").unwrap().read_to_end(&mut streamed).unwrap();
        assert_eq!(streamed, data);
    }

    #[test]
    fn too_many_entries() {
        let bytes = zip_with(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let limits = ZipLimits {
            max_entries: 2,
            ..ZipLimits::default()
        };
        let err = SafeZip::open(&bytes, limits).unwrap_err();
        assert!(
            err.to_string().contains("too many entries (3, at most 2)"),
            "{err}"
        );
    }

    #[test]
    fn garbage_is_not_a_zip() {
        let err = SafeZip::open(b"definitely not a zip", ZipLimits::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("not a valid zip archive ("),
            "{err}"
        );
    }

    #[test]
    fn ratio_is_checked_only_above_one_mebibyte() {
        // 1 MiB of zeros compresses about 1000:1, but stays under the threshold.
        let small = vec![0u8; 1024 * 1024];
        let bytes = zip_with(&[("small", &small)]);
        let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
        assert_eq!(zip.read("small").unwrap().len(), small.len());

        let big = vec![0u8; 8 * 1024 * 1024];
        let bytes = zip_with(&[("big", &big)]);
        let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
        let err = zip.read("big").unwrap_err();
        assert_eq!(
            err.to_string(),
            "archive entry « big » expands too much (possible zip bomb)"
        );
    }
}
