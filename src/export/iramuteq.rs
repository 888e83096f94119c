//! A corpus for IRaMuTeQ (the lexicometry program most used in French social science): plain
//! UTF-8 text in the ALCESTE format IRaMuTeQ reads.
//!
//! # The format written
//!
//! Each text (an *unité de contexte initiale*) starts with a line of four stars and its
//! starred variables, separated by spaces, then its text; a blank line ends it:
//!
//! ```text
//! **** *resp_nadia_benali *doc_entretien_nadia *territory_urbain *code_repli_stratégique
//! Le texte de l'extrait…
//! ```
//!
//! - One text per coded excerpt ([`TextUnit::Excerpt`]: the same passage coded with the same
//!   code by several coders is one text) or per document ([`TextUnit::Document`]: the whole
//!   text).
//! - Variables: `*resp_` the respondent (their name, or the pseudonymised label), `*doc_` the
//!   document, then one per respondent attribute with a value (`*territory_urbain`), and for
//!   an excerpt `*code_` its code's own name. A text without a respondent has no `*resp_`
//!   and no attributes.
//! - IRaMuTeQ reads `*name_value` as variable `name` with modality `name_value`, cutting at
//!   the first `_`: a variable's name is letters and digits only (`organisation_type`
//!   becomes `organisationtype`); a value is words of letters and digits joined by `_`
//!   (see [`crate::analysis::names::snake`]). Both are lower case; accents are kept, or
//!   folded (`é` → `e`) with [`IramuteqOptions::fold_accents`]. Attribute names that would
//!   clash with `resp`, `doc`, `code` or each other get a number.
//! - The text is cleaned of what IRaMuTeQ reads as markup: every `*` is dropped (so no line
//!   starts with `****` or `-*`, which open a text or a thematic variable), every `_` becomes
//!   a space (`_word_` is a starred form to IRaMuTeQ), carriage returns go, blank lines at
//!   either end go. A text left empty is not written.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::Selection;
use crate::analysis::names::snake;
use crate::export::pseudonymise::Pseudonymiser;
use crate::export::tables::TableExportError;
use crate::model::{AttributeScope, DocumentInfo};

/// What one text of the corpus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextUnit {
    /// One text per coded excerpt, with its code as a variable.
    #[default]
    Excerpt,
    /// One text per document, whole.
    Document,
}

impl TextUnit {
    /// Parses `excerpt` / `document` (and the French `extrait`, plurals too).
    pub fn parse(s: &str) -> Option<TextUnit> {
        match s.trim().to_lowercase().trim_end_matches('s') {
            "excerpt" | "extrait" => Some(TextUnit::Excerpt),
            "document" => Some(TextUnit::Document),
            _ => None,
        }
    }
}

/// How the corpus is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IramuteqOptions {
    /// One text per excerpt or per document.
    pub per: TextUnit,
    /// Fold accents in variable names and values (`périurbain` → `periurbain`).
    pub fold_accents: bool,
}

/// A corpus as text, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Corpus {
    /// The whole file.
    pub text: String,
    /// Texts written (starred lines).
    pub texts: usize,
    /// Distinct respondents of those texts.
    pub respondents: usize,
}

/// A starred variable, `*name_value`, or `None` when the value has no letter or digit.
/// `name` must already be a variable name (see [`variable_name`]).
pub fn variable(name: &str, value: &str, fold: bool) -> Option<String> {
    let value = snake(value, fold);
    (!value.is_empty()).then(|| format!("*{name}_{value}"))
}

/// A variable's name: the letters and digits of `text`, lower case (empty when none).
pub fn variable_name(text: &str, fold: bool) -> String {
    snake(text, fold).replace('_', "")
}

/// The text with what IRaMuTeQ reads as markup taken out (see the module docs).
pub fn clean_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '*' && c != '\r')
        .map(|c| if c == '_' { ' ' } else { c })
        .collect();
    let lines: Vec<&str> = cleaned.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

/// The variable names of the respondent attributes (by their index in
/// [`Selection::attributes`]), made distinct from each other and from `resp`, `doc`, `code`.
fn attribute_names(sel: &Selection, fold: bool) -> Vec<(usize, String)> {
    let mut taken: HashSet<String> = ["resp", "doc", "code"].map(String::from).into();
    let mut out = Vec::new();
    for (i, a) in sel.attributes.iter().enumerate() {
        if a.scope != AttributeScope::Respondent {
            continue;
        }
        let base = match variable_name(&a.name, fold) {
            n if n.is_empty() => "attribut".to_string(),
            n => n,
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        out.push((i, name));
    }
    out
}

/// Builds the starred line of a text of `doc` (and of `code`, for an excerpt).
struct Stars<'a> {
    sel: &'a Selection,
    pseudo: Option<&'a Pseudonymiser>,
    fold: bool,
    attributes: Vec<(usize, String)>,
}

impl Stars<'_> {
    /// `text` as an export shows it: pseudonymised when asked.
    fn shown(&self, text: &str) -> String {
        match self.pseudo {
            Some(p) => p.apply(text),
            None => text.to_string(),
        }
    }

    fn line(&self, doc: &DocumentInfo, code: Option<usize>) -> String {
        let mut vars = Vec::new();
        let respondent = doc.respondent_guid.as_ref();
        if let Some(guid) = respondent {
            let label = match self.pseudo {
                Some(p) => p.respondent_label(guid).unwrap_or_default().to_string(),
                None => self.sel.respondent_label(guid),
            };
            vars.extend(variable("resp", &label, self.fold));
        }
        vars.extend(variable("doc", &self.shown(&doc.name), self.fold));
        for (i, name) in &self.attributes {
            let value =
                respondent.and_then(|r| self.sel.respondent_attribute(&self.sel.attributes[*i], r));
            if let Some(value) = value {
                vars.extend(variable(name, &self.shown(value), self.fold));
            }
        }
        if let Some(code) = code {
            let name = self.shown(&self.sel.codes[code].name);
            vars.extend(variable("code", &name, self.fold));
        }
        format!("**** {}", vars.join(" "))
    }
}

/// The corpus of a selection whose texts are loaded: every excerpt's
/// ([`Selection::load_texts`]) or every document's ([`Selection::load_texts_of`]). With
/// `pseudo`, names in texts and values are replaced and respondents get their label.
pub fn corpus(
    sel: &Selection,
    options: &IramuteqOptions,
    pseudo: Option<&Pseudonymiser>,
) -> Corpus {
    let stars = Stars {
        sel,
        pseudo,
        fold: options.fold_accents,
        attributes: attribute_names(sel, options.fold_accents),
    };
    let mut out = Corpus::default();
    let mut respondents = BTreeSet::new();
    let mut push = |doc: usize, code: Option<usize>, text: &str| {
        let body = clean_text(&stars.shown(text));
        if body.is_empty() {
            return;
        }
        let document = &sel.documents[doc];
        out.text.push_str(&stars.line(document, code));
        out.text.push('\n');
        out.text.push_str(&body);
        out.text.push_str("\n\n");
        out.texts += 1;
        respondents.extend(document.respondent_guid.clone());
    };
    match options.per {
        TextUnit::Excerpt => {
            let mut last = None;
            for item in &sel.items {
                // Items come by document, range then code: several coders' identical
                // codings are neighbours, and make one text.
                let key = (item.doc, item.start_char, item.end_char, item.code);
                if last == Some(key) {
                    continue;
                }
                last = Some(key);
                push(item.doc, Some(item.code), sel.item_text(item));
            }
        }
        TextUnit::Document => {
            let coded: HashSet<usize> = sel.items.iter().map(|i| i.doc).collect();
            for doc in 0..sel.documents.len() {
                // A filter naming codes keeps the documents those codes are in.
                if sel.code_filter && !coded.contains(&doc) {
                    continue;
                }
                push(doc, None, sel.texts.get(doc).map_or("", String::as_str));
            }
        }
    }
    out.respondents = respondents.len();
    out
}

/// Writes the corpus to `path`, whole or not at all (a `.partial` file renamed).
pub fn write(path: &Path, text: &str) -> Result<(), TableExportError> {
    let io = |source| TableExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut partial = path.as_os_str().to_os_string();
    partial.push(".partial");
    std::fs::write(&partial, text.as_bytes()).map_err(io)?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_leaves_the_text_and_values_are_safe() {
        assert_eq!(
            clean_text("\r\n**** *faux\n-*theme_x\nun _rire_ et 2*3\r\n\n"),
            " faux\n-theme x\nun  rire  et 23"
        );
        assert_eq!(clean_text("***\n\n"), "");
        assert_eq!(
            variable("territoire", "Péri-urbain *rural", false).as_deref(),
            Some("*territoire_péri_urbain_rural")
        );
        assert_eq!(
            variable("territoire", "Péri-urbain", true).as_deref(),
            Some("*territoire_peri_urbain")
        );
        assert_eq!(variable("x", " - ", false), None);
        assert_eq!(
            variable_name("Type d'organisation", true),
            "typedorganisation"
        );
        assert_eq!(TextUnit::parse("documents"), Some(TextUnit::Document));
        assert_eq!(TextUnit::parse("extrait"), Some(TextUnit::Excerpt));
    }
}
