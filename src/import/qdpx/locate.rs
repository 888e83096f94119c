//! Finding things in a QDPX archive: the project document (`project.qde`, `Project.qde`
//! or `<name>.qde`), and each source's text wherever the writing tool put it
//! (`internal://`, `relative://`, `absolute://`, a bare path, inline content, the
//! plain-text twin of a rich-text source), read whatever its encoding, BOM and line ends.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::foreign::TextRef;
use crate::import::safe_zip::{SafeZip, ZipLimits};
use crate::import::{FormatError, MAX_FILE_BYTES, encoding};
use crate::model::text::normalize_text;

/// A source's text, read and normalised, with what position detection needs to know
/// about the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedText {
    /// The text as stored (no BOM, LF line ends).
    pub text: String,
    /// The original started with a byte-order mark.
    pub had_bom: bool,
    /// Where it was read from.
    pub from: String,
    /// A remark for the report (encoding guessed, rich text extracted…).
    pub remark: Option<String>,
}

/// An opened QDPX archive.
pub struct Archive {
    zip: SafeZip,
    /// Lower-case entry name → entry name.
    by_name: HashMap<String, String>,
    /// Lower-case file name → entries with that file name, anywhere.
    by_file_name: HashMap<String, Vec<String>>,
    /// Folder of the QDPX file (for `relative://` paths).
    file_dir: Option<PathBuf>,
    /// `basePath` of the project.
    base_path: Option<String>,
    /// The folder sources outside the archive may be read from (canonical), if the user
    /// named one.
    external_root: Option<PathBuf>,
    /// Texts being read ahead on another core, if any.
    preloaded: Option<super::preload::Preloaded>,
}

/// `text` as [`normalize_text`] leaves it, without copying it when there is nothing to
/// change (no leading BOM, no carriage return: the usual case).
pub fn normalized(text: String) -> String {
    if text.starts_with(crate::model::text::BOM) || text.contains('\r') {
        normalize_text(&text)
    } else {
        text
    }
}

fn file_name_of(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Splits a REFI path into its scheme (`internal`, `relative`, `absolute`, `file`, or
/// empty) and the rest.
fn split_scheme(raw: &str) -> (String, &str) {
    let raw = raw.trim();
    match raw.split_once("://") {
        Some((scheme, rest)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => {
            (scheme.to_ascii_lowercase(), rest)
        }
        _ => (String::new(), raw),
    }
}

impl Archive {
    /// Opens the archive bytes defensively (see [`SafeZip`]).
    pub fn open(bytes: &[u8], file_dir: Option<PathBuf>) -> Result<Archive, FormatError> {
        Ok(Archive::with_zip(
            SafeZip::open(bytes, ZipLimits::default())?,
            file_dir,
        ))
    }

    /// Opens the archive file defensively, reading entries from the file as they are
    /// needed (a project of several hundred MB is not held in memory while imported).
    pub fn open_file(path: &Path, file_dir: Option<PathBuf>) -> Result<Archive, FormatError> {
        Ok(Archive::with_zip(
            SafeZip::open_file(path, ZipLimits::default())?,
            file_dir,
        ))
    }

    fn with_zip(zip: SafeZip, file_dir: Option<PathBuf>) -> Archive {
        let mut by_name = HashMap::new();
        let mut by_file_name: HashMap<String, Vec<String>> = HashMap::new();
        for name in zip.names() {
            if name.ends_with('/') {
                continue;
            }
            by_file_name
                .entry(file_name_of(&name).to_lowercase())
                .or_default()
                .push(name.clone());
            by_name.insert(name.to_lowercase(), name);
        }
        Archive {
            zip,
            by_name,
            by_file_name,
            file_dir,
            base_path: None,
            external_root: None,
            preloaded: None,
        }
    }

    /// Lets sources outside the archive be read from `root` and the folders under it (and
    /// from nowhere else); `None` reads none.
    pub fn allow_external_sources(&mut self, root: Option<&Path>) {
        self.external_root =
            root.map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.to_path_buf()));
    }

    /// Starts reading the archive's plain texts ahead on another core (`file` is the
    /// archive itself), so that they are ready when the plan asks for them.
    pub fn read_texts_ahead(&mut self, file: &Path) {
        self.preloaded = super::preload::Preloaded::start(file);
    }

    /// Sets the project's `basePath`.
    pub fn set_base_path(&mut self, base_path: Option<String>) {
        self.base_path = base_path;
    }

    /// The project document's entry: `project.qde` at the top (any case), else the only
    /// `.qde` at the top, else the only `.qde` anywhere.
    pub fn project_entry(&self) -> Result<String, FormatError> {
        let mut qde: Vec<&String> = self
            .by_name
            .values()
            .filter(|n| n.to_lowercase().ends_with(".qde"))
            .collect();
        qde.sort();
        if let Some(exact) = self.by_name.get("project.qde") {
            return Ok(exact.clone());
        }
        let top: Vec<&&String> = qde.iter().filter(|n| !n.contains('/')).collect();
        match (top.as_slice(), qde.as_slice()) {
            ([one], _) => Ok((**one).clone()),
            ([], [one]) => Ok((*one).clone()),
            ([], []) => {
                let mut names: Vec<&String> = self.by_name.values().collect();
                names.sort();
                let shown: Vec<&str> = names.iter().take(8).map(|s| s.as_str()).collect();
                Err(FormatError::NoProjectDocument {
                    holds: shown.join(", "),
                })
            }
            _ => Err(FormatError::SeveralProjectDocuments {
                names: qde
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// Reads an entry by exact name.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, FormatError> {
        self.zip.read(name)
    }

    /// Opens an entry by exact name, to read it as a stream.
    pub fn entry(&mut self, name: &str) -> Result<crate::import::safe_zip::Entry<'_>, FormatError> {
        self.zip.entry(name)
    }

    /// Entries that may hold the file a REFI path names, best first.
    fn zip_candidates(&self, raw: &str) -> Vec<String> {
        let (_, rest) = split_scheme(raw);
        let rest = rest.trim_start_matches(['/', '\\']).replace('\\', "/");
        let mut out = Vec::new();
        let mut push = |name: Option<&String>| {
            if let Some(n) = name
                && !out.contains(n)
            {
                out.push(n.clone());
            }
        };
        let lower = rest.to_lowercase();
        push(self.by_name.get(&format!("sources/{lower}")));
        push(self.by_name.get(&lower));
        let file = file_name_of(&lower).to_string();
        if let Some(all) = self.by_file_name.get(&file) {
            let mut all = all.clone();
            all.sort_by_key(|n| (!n.to_lowercase().starts_with("sources/"), n.clone()));
            for n in &all {
                push(Some(n));
            }
        }
        out
    }

    /// Files on disk that may hold the file a REFI path names.
    fn disk_candidates(&self, raw: &str) -> Vec<PathBuf> {
        let (scheme, rest) = split_scheme(raw);
        let mut out = Vec::new();
        match scheme.as_str() {
            "absolute" | "file" => out.push(PathBuf::from(rest)),
            "relative" | "" => {
                let rel = rest.trim_start_matches(['/', '\\']);
                if let Some(base) = &self.base_path {
                    let (_, base) = split_scheme(base);
                    out.push(Path::new(base).join(rel));
                }
                if let Some(dir) = &self.file_dir {
                    out.push(dir.join(rel));
                }
            }
            _ => {}
        }
        out
    }

    /// Reads a text file's bytes (`name` gives its type; `from` says where it came from).
    pub(super) fn from_bytes(bytes: &[u8], name: &str, from: String) -> Result<LoadedText, String> {
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(ext.as_str(), "docx" | "odt") {
            let parsed = crate::import::parse_by_extension(&ext, bytes)
                .map_err(|e| format!("{name}: {e}"))?;
            return Ok(LoadedText {
                text: parsed.text,
                had_bom: false,
                from,
                remark: Some(format!(
                    "the text was extracted from the rich-text file {name} (no plain-text twin): positions may be off"
                )),
            });
        }
        let had_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
            || bytes.starts_with(&[0xFF, 0xFE])
            || bytes.starts_with(&[0xFE, 0xFF]);
        let decoded = encoding::decode_text(bytes).map_err(|e| format!("{name}: {e}"))?;
        let remark = (!decoded.encoding.starts_with("UTF-8"))
            .then(|| format!("{name} was read as {}", decoded.encoding));
        Ok(LoadedText {
            text: normalized(decoded.text),
            had_bom,
            from,
            remark,
        })
    }

    fn from_zip(&mut self, raw: &str) -> Option<Result<LoadedText, String>> {
        let name = self.zip_candidates(raw).into_iter().next()?;
        if let Some((size, text)) = self.preloaded.as_mut().and_then(|p| p.take(&name)) {
            // Read on another handle: counted here against the archive's limits all the same.
            return Some(
                self.zip
                    .count_read(size)
                    .map(|()| text)
                    .map_err(|e| e.to_string()),
            );
        }
        Some(match self.zip.read(&name) {
            Ok(bytes) => Archive::from_bytes(&bytes, &name, name.clone()),
            Err(e) => Err(e.to_string()),
        })
    }

    /// A source file outside the archive (`relative://`, `absolute://`), read only from the
    /// folder the user named ([`Archive::allow_external_sources`]), and only text documents
    /// (txt, md, docx, odt); the report names every file read this way. Elsewhere, the
    /// file is not read and the source is listed as not imported, saying why.
    fn from_disk(&self, raw: &str) -> Option<Result<LoadedText, String>> {
        let readable = |p: &Path| {
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            matches!(ext.as_str(), "txt" | "md" | "docx" | "odt") && p.is_file()
        };
        let found: Vec<PathBuf> = self
            .disk_candidates(raw)
            .into_iter()
            .filter(|p| readable(p))
            .collect();
        let allowed = |p: &PathBuf| {
            let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            self.external_root
                .as_ref()
                .is_some_and(|root| real.starts_with(root))
        };
        let Some(path) = found.iter().find(|p| allowed(p)) else {
            return (!found.is_empty()).then(|| {
                Err(format!(
                    "its text « {raw} » is a file outside the archive: not read (Fouille reads such files only from a folder named with --allow-external-sources)"
                ))
            });
        };
        let shown = path.display().to_string();
        Some(match std::fs::metadata(path) {
            Ok(meta) if meta.len() > MAX_FILE_BYTES => Err(format!("{shown} is too large")),
            Ok(_) => match std::fs::read(path) {
                Ok(bytes) => {
                    Archive::from_bytes(&bytes, &shown, format!("disk: {shown}")).map(|mut t| {
                        t.remark = Some(format!("read from outside the archive: {shown}"));
                        t
                    })
                }
                Err(e) => Err(format!("{shown}: {e}")),
            },
            Err(e) => Err(format!("{shown}: {e}")),
        })
    }

    /// Reads the text of a source or note: its plain-text path (in the archive, then on
    /// disk), inline content, the plain-text twin of its rich-text file, `sources/<guid>.txt`,
    /// and last the rich-text file itself. `Err` says why none could be read.
    pub fn load(&mut self, text: &TextRef, guid: &str) -> Result<LoadedText, String> {
        if let Some(path) = &text.plain_path {
            if let Some(found) = self.from_zip(path) {
                return found;
            }
            if let Some(found) = self.from_disk(path) {
                return found;
            }
        }
        if let Some(inline) = &text.inline {
            return Ok(LoadedText {
                text: normalize_text(inline),
                had_bom: inline.starts_with(crate::model::text::BOM),
                from: "inline content".into(),
                remark: None,
            });
        }
        if let Some(rich) = &text.rich_path {
            let (_, rest) = split_scheme(rich);
            let file = file_name_of(rest);
            let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
            if let Some(found) = self.from_zip(&format!("{stem}.txt")) {
                return found;
            }
        }
        if let Some(found) = self.from_zip(&format!("{guid}.txt")) {
            return found;
        }
        if let Some(rich) = &text.rich_path
            && let Some(found) = self.from_zip(rich).or_else(|| self.from_disk(rich))
        {
            return found;
        }
        Err(match (&text.plain_path, &text.rich_path) {
            (Some(p), _) => format!("its text « {p} » is neither in the archive nor on disk"),
            (None, Some(r)) => {
                format!("its rich text « {r} » has no plain-text twin and cannot be read")
            }
            (None, None) => "it has no text (no plainTextPath, no PlainTextContent)".into(),
        })
    }
}
