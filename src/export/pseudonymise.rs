//! Pseudonymisation: replacing identifying strings by pseudonyms in everything an export
//! writes (excerpts, memos, document names, tables, file metadata).
//!
//! # What is replaced, by what
//!
//! [`Pseudonymiser::from_project`] builds the rules, in this order of priority (an earlier
//! rule wins when two rules have the same original):
//!
//! 1. every respondent's full name (deleted respondents too) → their pseudonym, or
//!    « Répondant·e N » / "Respondent N" when they have none (N counts the respondents without
//!    a pseudonym in the order they were recorded);
//! 2. the project's pseudonym list (`store::pseudonyms`: people mentioned, organisations,
//!    places…) → its replacement;
//! 3. each respondent's first name alone and last name alone → the same pseudonym as the full
//!    name. The first name is the first word of the name (a hyphenated first name such as
//!    « Jean-Marc » stays whole), the last name is all the remaining words (« Le Gall »);
//!    leading titles (M., Mme, Dr…) are skipped and one-letter parts are ignored. The
//!    upper-case forms of the full name and of the last name (« BENALI », « Nadia BENALI »)
//!    are replaced too, since French documents often write surnames in capitals.
//!
//! Originals that contain an apostrophe are matched with either apostrophe (' or ’).
//!
//! # How it matches
//!
//! * **Case-sensitive**: « Roux » is a name, « roux » a colour.
//! * **Whole words**: an original that starts (ends) with a letter or digit only matches
//!   where the text has no letter or digit just before (after) it, so « Léa » is not
//!   replaced inside « Léandre ». Hyphens and apostrophes are word boundaries.
//! * **Longest first**: at each position the longest matching original wins, so
//!   « Nadia Benali » is replaced as a whole before « Nadia » could be.
//! * **One pass**: a replacement is never itself rescanned.
//! * Text and originals are compared in Unicode NFC, so a decomposed « é » still matches.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::export::report::Lang;
use crate::model::RespondentId;
use crate::store::{StoreResult, pseudonyms, respondents};

/// Titles skipped at the start of a name when deriving first and last names.
const TITLES: &[&str] = &[
    "M", "M.", "Mme", "Mme.", "Mlle", "Mlle.", "Dr", "Dr.", "Pr", "Pr.", "Me", "Mr", "Mr.", "Mrs",
    "Mrs.", "Ms", "Ms.",
];

#[derive(Debug, Clone)]
struct Rule {
    original: Vec<char>,
    replacement: String,
}

/// Replaces identifying strings by pseudonyms (see the module docs for the rules).
#[derive(Debug, Clone, Default)]
pub struct Pseudonymiser {
    /// Rules by first char, each list longest original first.
    by_first: HashMap<char, Vec<Rule>>,
    /// Originals already taken (first rule wins).
    taken: BTreeMap<String, String>,
    /// Respondent GUID → the label exports show for them.
    labels: HashMap<RespondentId, String>,
}

/// The label of the `n`-th (1-based) respondent without a pseudonym.
pub fn unnamed_respondent_label(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Répondant·e {n}"),
        Lang::En => format!("Respondent {n}"),
    }
}

/// The first name and last name of a full name, as the module docs define them.
pub fn name_parts(full_name: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let start = words.iter().take_while(|w| TITLES.contains(w)).count();
    let words = &words[start..];
    if words.len() < 2 {
        return (None, None);
    }
    let long_enough = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
    let first = Some(words[0].to_string()).filter(|s| long_enough(s));
    let last = Some(words[1..].join(" ")).filter(|s| long_enough(s));
    (first, last)
}

impl Pseudonymiser {
    /// A pseudonymiser without rules (replaces nothing).
    pub fn new() -> Pseudonymiser {
        Pseudonymiser::default()
    }

    /// Builds the rules of a project: its respondents and its pseudonym list.
    pub fn from_project(conn: &Connection, lang: Lang) -> StoreResult<Pseudonymiser> {
        let all = respondents::list_including_deleted(conn)?;
        let mut p = Pseudonymiser::new();
        let mut unnamed = 0;
        let mut labelled = Vec::new();
        for r in &all {
            let label = if r.pseudonym.trim().is_empty() {
                unnamed += 1;
                unnamed_respondent_label(lang, unnamed)
            } else {
                r.pseudonym.trim().to_string()
            };
            p.labels.insert(r.guid.clone(), label.clone());
            p.add(&r.name, &label);
            labelled.push((r.name.clone(), label));
        }
        for entry in pseudonyms::list(conn)? {
            p.add(&entry.original, &entry.replacement);
        }
        for (name, label) in &labelled {
            let (first, last) = name_parts(name);
            if let Some(first) = &first {
                p.add(first, label);
            }
            if let Some(last) = &last {
                p.add(last, label);
                p.add(&last.to_uppercase(), label);
                if let Some(first) = &first {
                    p.add(&format!("{first} {}", last.to_uppercase()), label);
                }
            }
            p.add(&name.to_uppercase(), label);
        }
        Ok(p)
    }

    /// Adds a rule, unless `original` is blank, equal to its replacement or already has a
    /// rule (the first rule added for an original wins).
    pub fn add(&mut self, original: &str, replacement: &str) {
        let original: String = original.trim().nfc().collect();
        if original.is_empty() || original == replacement {
            return;
        }
        let mut variants = vec![original.clone()];
        if original.contains('\'') {
            variants.push(original.replace('\'', "\u{2019}"));
        }
        if original.contains('\u{2019}') {
            variants.push(original.replace('\u{2019}', "'"));
        }
        for variant in variants {
            if self.taken.contains_key(&variant) {
                continue;
            }
            self.taken.insert(variant.clone(), replacement.to_string());
            let chars: Vec<char> = variant.chars().collect();
            let list = self.by_first.entry(chars[0]).or_default();
            let at = list.partition_point(|r| r.original.len() >= chars.len());
            list.insert(
                at,
                Rule {
                    original: chars,
                    replacement: replacement.to_string(),
                },
            );
        }
    }

    /// The rules as (original, replacement), sorted by original.
    pub fn rules(&self) -> Vec<(String, String)> {
        self.taken
            .iter()
            .map(|(o, r)| (o.clone(), r.clone()))
            .collect()
    }

    /// Whether there is no rule at all.
    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }

    /// The label exports show for a respondent: their pseudonym, or « Répondant·e N ».
    pub fn respondent_label(&self, respondent_guid: &RespondentId) -> Option<&str> {
        self.labels.get(respondent_guid).map(String::as_str)
    }

    /// Replaces every original in `text` by its replacement (see the module docs).
    pub fn apply(&self, text: &str) -> String {
        if self.by_first.is_empty() || text.is_empty() {
            return text.to_string();
        }
        let chars: Vec<char> = if is_nfc(text) {
            text.chars().collect()
        } else {
            text.nfc().collect()
        };
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'outer: while i < chars.len() {
            if let Some(rules) = self.by_first.get(&chars[i]) {
                for rule in rules {
                    if self.matches_at(&chars, i, &rule.original) {
                        out.push_str(&rule.replacement);
                        i += rule.original.len();
                        continue 'outer;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    fn matches_at(&self, chars: &[char], at: usize, original: &[char]) -> bool {
        let end = at + original.len();
        if end > chars.len() || chars[at..end] != *original {
            return false;
        }
        let starts_word = original.first().is_some_and(|c| c.is_alphanumeric());
        let ends_word = original.last().is_some_and(|c| c.is_alphanumeric());
        if starts_word && at > 0 && chars[at - 1].is_alphanumeric() {
            return false;
        }
        if ends_word && end < chars.len() && chars[end].is_alphanumeric() {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // whole words, longest first, case-sensitive, one pass
    #[test]
    fn replaces_whole_words_longest_first() {
        let mut p = Pseudonymiser::new();
        p.add("Nadia", "Répondante A");
        p.add("Nadia Benali", "Répondante A");
        p.add("Benali", "Répondante A");
        p.add("Valcourt", "[ville]");
        p.add("A", "should never be applied to a replacement");
        assert_eq!(
            p.apply("Nadia Benali, dite Nadia, de Valcourt-sur-Mer; Nadiana et nadia restent."),
            "Répondante A, dite Répondante A, de [ville]-sur-Mer; Nadiana et nadia restent."
        );
    }

    #[test]
    fn name_parts_follow_the_documented_rule() {
        assert_eq!(
            name_parts("Nadia Benali"),
            (Some("Nadia".into()), Some("Benali".into()))
        );
        assert_eq!(
            name_parts("Jean-Marc Delorme"),
            (Some("Jean-Marc".into()), Some("Delorme".into()))
        );
        assert_eq!(
            name_parts("Mme Marie Le Gall"),
            (Some("Marie".into()), Some("Le Gall".into()))
        );
        assert_eq!(name_parts("R001"), (None, None));
        assert_eq!(name_parts("J Dupont"), (None, Some("Dupont".into())));
    }

    #[test]
    fn apostrophes_and_decomposed_accents_match() {
        let mut p = Pseudonymiser::new();
        p.add("Aïcha N'Diaye", "X");
        p.add("Mélanie", "Y");
        assert_eq!(
            p.apply("Aïcha N\u{2019}Diaye et Me\u{301}lanie."),
            "X et Y."
        );
    }
}

/// Pseudonymises tables in place: titles, headers, text cells and notes.
pub fn pseudonymise_tables(
    conn: &Connection,
    lang: Lang,
    tables: &mut [crate::analysis::Table],
) -> StoreResult<()> {
    let p = Pseudonymiser::from_project(conn, lang)?;
    for t in tables.iter_mut() {
        t.title = p.apply(&t.title);
        for c in t.columns.iter_mut() {
            *c = p.apply(c);
        }
        for row in t.rows.iter_mut() {
            for cell in row.iter_mut() {
                if let crate::analysis::Cell::Text(s) = cell {
                    *s = p.apply(s);
                }
            }
        }
        for n in t.notes.iter_mut() {
            *n = p.apply(n);
        }
    }
    Ok(())
}
