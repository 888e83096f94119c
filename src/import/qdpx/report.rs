//! The import report: what came in, what was merged, how positions were read, and
//! everything that was not imported (never dropped silently).

use serde::Serialize;
use std::fmt;

/// Something in the file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotImported {
    /// What it is (picture, graph, selection…).
    pub what: String,
    /// Its name in the file, if any.
    pub name: String,
    /// Why, in a sentence for the user (e.g. « sets of codes are not imported »).
    pub reason: String,
}

/// Counts of objects per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Coders: the file's users, and the authors it names without listing them as users.
    pub users: usize,
    /// Codes of any kind, folders included.
    pub codes: usize,
    /// Attributes (variables).
    pub attributes: usize,
    /// Respondents (cases).
    pub respondents: usize,
    /// Attribute values.
    pub values: usize,
    /// Documents (sources).
    pub documents: usize,
    /// Codings: one per code on an excerpt, so a selection with two codes counts twice.
    pub codings: usize,
    /// Memos (notes).
    pub memos: usize,
}

impl Counts {
    fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            (self.documents, "documents"),
            (self.codes, "codes"),
            (self.codings, "codings"),
            (self.respondents, "respondents"),
            (self.attributes, "attributes"),
            (self.values, "attribute values"),
            (self.memos, "memos"),
            (self.users, "coders"),
        ];
        let shown: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        if shown.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&shown.join(", "))
        }
    }
}

/// How one source's positions were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourcePositions {
    /// The document's name as imported (trimmed, or `Document <n>` when the source had none).
    pub name: String,
    /// Document GUID in the project.
    pub guid: String,
    /// Where its text came from (zip entry, inline, file on disk).
    pub text_from: String,
    /// The counting assumed, e.g. "UTF-16 units, line breaks as 2, BOM not counted" (what
    /// makes no difference for this text is given as the standard: a text without
    /// characters outside the BMP reads "code points" even from a UTF-16 tool).
    pub scheme: String,
    /// Why: "origin" (the tool is known), "detected" (word boundaries), "standard"
    /// (nothing told the readings apart) or "no selections".
    pub basis: String,
    /// Selections of the source with usable positions in the file, before any was dropped.
    pub selections: usize,
    /// Selection ends (start and end) on word boundaries with this reading.
    pub ends_on_word_boundaries: usize,
    /// Same, had the standard reading (code points) been used.
    pub ends_on_word_boundaries_if_standard: usize,
    /// Selections that begin or end inside a word after conversion.
    pub mid_word_cuts: usize,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The file imported.
    pub file: String,
    /// "QDPX" or "QDC".
    pub format: String,
    /// The tool that wrote it (`origin`), if said.
    pub origin: String,
    /// Whether a new project was made from it.
    pub new_project: bool,
    /// Objects added.
    pub added: Counts,
    /// Objects already in the project (same GUID) updated because the file's version is
    /// newer.
    pub updated: Counts,
    /// Objects already in the project kept as they are (ours is as new or newer, or the
    /// same).
    pub kept: Counts,
    /// Position reading per source.
    pub sources: Vec<SourcePositions>,
    /// Selections that begin or end inside a word, all sources together (the goal is 0).
    pub mid_word_cuts: usize,
    /// What was not imported.
    pub not_imported: Vec<NotImported>,
    /// Remarks (renamed codes, adjusted kinds, namespace variants…).
    pub remarks: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origin = if self.origin.is_empty() {
            String::new()
        } else {
            format!(" (written by {})", self.origin)
        };
        writeln!(f, "imported {} [{}]{origin}", self.file, self.format)?;
        writeln!(f, "  added: {}", self.added)?;
        if !self.updated.is_empty() {
            writeln!(f, "  updated (newer in the file): {}", self.updated)?;
        }
        if !self.kept.is_empty() {
            writeln!(
                f,
                "  kept as in the project (same or newer here): {}",
                self.kept
            )?;
        }
        let without = self.sources.iter().filter(|s| s.selections == 0).count();
        if without < self.sources.len() {
            writeln!(f, "  positions:")?;
            for s in self.sources.iter().filter(|s| s.selections > 0) {
                writeln!(
                    f,
                    "    {}: {} [{}], {} selections, {}/{} ends on word boundaries (standard reading: {}), text from {}",
                    s.name,
                    s.scheme,
                    s.basis,
                    s.selections,
                    s.ends_on_word_boundaries,
                    s.selections * 2,
                    s.ends_on_word_boundaries_if_standard,
                    s.text_from
                )?;
            }
        }
        if without > 0 {
            writeln!(f, "  {without} sources without selections")?;
        }
        writeln!(f, "  mid-word cuts: {}", self.mid_word_cuts)?;
        if !self.not_imported.is_empty() {
            writeln!(f, "  not imported:")?;
            for n in &self.not_imported {
                let name = if n.name.is_empty() {
                    String::new()
                } else {
                    format!(" « {} »", n.name)
                };
                writeln!(f, "    {}{name}: {}", n.what, n.reason)?;
            }
        }
        for r in &self.remarks {
            writeln!(f, "  note: {r}")?;
        }
        Ok(())
    }
}
