//! The catalogue of user-facing words, in French and English, shared by both faces of
//! Fouille: the app's labels and messages, the undo labels of actions, and the errors of
//! the core in plain words ([`errors`]). One `key = value` file per language under
//! `assets/i18n/`, compiled in.
//!
//! Values may hold `{name}` placeholders filled by [`I18n::f`] and `\n` for a line break.
//! Lines starting with `#` are comments.

use std::borrow::Cow;
use std::collections::HashMap;

pub mod errors;

/// The French strings.
pub const FR: &str = include_str!("../../assets/i18n/fr.txt");
/// The English strings.
pub const EN: &str = include_str!("../../assets/i18n/en.txt");

/// A language of the interface (the same as the reports' and tables': [`crate::model::Lang`]).
pub use crate::model::Lang as Language;

/// The catalogue file of a language.
fn source(language: Language) -> &'static str {
    match language {
        Language::Fr => FR,
        Language::En => EN,
    }
}

/// Parses a `key = value` file into pairs, in file order.
pub fn parse(source: &'static str) -> Vec<(&'static str, String)> {
    source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().replace("\\n", "\n")))
        .collect()
}

/// The catalogue of `language`, loaded once: for the core's tables, which are worded in
/// the language they are asked in, whatever face asked.
pub fn catalogue(language: Language) -> &'static I18n {
    static FR_CATALOGUE: std::sync::OnceLock<I18n> = std::sync::OnceLock::new();
    static EN_CATALOGUE: std::sync::OnceLock<I18n> = std::sync::OnceLock::new();
    match language {
        Language::Fr => FR_CATALOGUE.get_or_init(|| I18n::new(Language::Fr)),
        Language::En => EN_CATALOGUE.get_or_init(|| I18n::new(Language::En)),
    }
}

/// Catalogue key of a code kind (`kind.pole`…): the stored names (`pole`, `controversy`)
/// are identifiers, never shown as they are.
pub fn kind_key(kind: crate::model::CodeKind) -> &'static str {
    use crate::model::CodeKind;
    match kind {
        CodeKind::Theme => "kind.theme",
        CodeKind::Folder => "kind.folder",
        CodeKind::Controversy => "kind.controversy",
        CodeKind::Pole => "kind.pole",
        CodeKind::Orientation => "kind.orientation",
        CodeKind::Piste => "kind.piste",
    }
}

/// The strings of one language, and formatting in its style.
#[derive(Debug, Clone)]
pub struct I18n {
    language: Language,
    strings: HashMap<&'static str, String>,
    english_codes: HashMap<String, String>,
}

impl I18n {
    /// Loads a language.
    pub fn new(language: Language) -> I18n {
        let strings = parse(source(language)).into_iter().collect();
        let mut english_codes = HashMap::new();
        if language == Language::En {
            fn walk(codes: &[crate::templates::TemplateCode], out: &mut HashMap<String, String>) {
                for c in codes {
                    out.insert(c.fr.clone(), c.en.clone());
                    walk(&c.children, out);
                }
            }
            walk(
                &crate::templates::reflexes_publics().codes,
                &mut english_codes,
            );
        }
        I18n {
            language,
            strings,
            english_codes,
        }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The string of `key` (the key itself when missing, so a gap shows instead of hiding).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The string of `key` with `{name}` placeholders replaced.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.t(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// An undo label as stored with its action: a catalogue key (`action.code`) worded in
    /// this language, or, for actions recorded before labels were keys, the text as it is.
    pub fn action_label<'a>(&'a self, stored: &'a str) -> Cow<'a, str> {
        match self.strings.get(stored) {
            Some(text) if stored.starts_with("action.") => Cow::Borrowed(text.as_str()),
            _ => Cow::Borrowed(stored),
        }
    }

    /// A code's display name: the English name of a template code in an English UI.
    pub fn code_name<'a>(&self, stored: &'a str) -> Cow<'a, str> {
        match self.english_codes.get(stored) {
            Some(en) => Cow::Owned(en.clone()),
            None => Cow::Borrowed(stored),
        }
    }

    /// A date-time (ms UTC) in the local time zone, in the language's usual style.
    pub fn date_time(&self, ms: i64) -> String {
        use chrono::TimeZone;
        let Some(local) = chrono::Local.timestamp_millis_opt(ms).single() else {
            return String::new();
        };
        match self.language {
            Language::Fr => local.format("%d/%m/%Y %H:%M").to_string(),
            Language::En => local.format("%b %-d, %Y %-I:%M %p").to_string(),
        }
    }

    /// A number with the language's thousands separator.
    pub fn number(&self, n: usize) -> String {
        let digits = n.to_string();
        let sep = match self.language {
            Language::Fr => '\u{202f}',
            Language::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys() {
        let fr: BTreeSet<&str> = parse(FR).into_iter().map(|(k, _)| k).collect();
        let en: BTreeSet<&str> = parse(EN).into_iter().map(|(k, _)| k).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(
            only_fr.is_empty() && only_en.is_empty(),
            "only in fr: {only_fr:?}; only in en: {only_en:?}"
        );
        assert!(fr.len() > 100);
    }

    #[test]
    fn no_key_is_defined_twice() {
        for source in [FR, EN] {
            let mut seen = BTreeSet::new();
            for (k, _) in parse(source) {
                assert!(seen.insert(k), "{k} defined twice");
            }
        }
    }

    // Every key the code asks for is translated (a missing one would show as its key).
    #[test]
    fn every_key_used_in_the_code_exists() {
        let fr: BTreeSet<&str> = parse(FR).into_iter().map(|(k, _)| k).collect();
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for call in [".t(\"", ".f(\"", "tr_key(\""] {
                    for (i, _) in source.match_indices(call) {
                        let rest = &source[i + call.len()..];
                        let Some(end) = rest.find('"') else { continue };
                        let key = &rest[..end];
                        if !key.contains(' ') && !fr.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from fr.txt: {missing:#?}");
    }

    #[test]
    fn formats_numbers_and_template_names() {
        let fr = I18n::new(Language::Fr);
        let en = I18n::new(Language::En);
        assert_eq!(fr.number(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.number(1234), "1,234");
        assert_eq!(en.code_name("Le pilotage"), "Steering");
        assert_eq!(fr.code_name("Le pilotage"), "Le pilotage");
        assert_eq!(en.code_name("Mon code"), "Mon code");
    }
}
