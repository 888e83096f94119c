//! Names other programs take as identifiers, made from what users typed: the headers of the
//! respondent matrix for R, SPSS and Excel, and IRaMuTeQ's starred variables.
//!
//! Both start from [`snake`]: the words of the text (runs of letters and digits, in Unicode
//! NFC), lower-cased and joined by `_`; everything else (spaces, punctuation, apostrophes,
//! hyphens, `*`) only separates words. Accents are kept, or folded as search folds them
//! (`é` → `e`, `œ` → `oe`).

use unicode_normalization::UnicodeNormalization;

/// SPSS's longest variable name, in characters (R and Excel take longer ones).
pub const MAX_DATA_NAME: usize = 64;

/// The words of `text`, lower-cased, joined by `_`; accents folded when `fold`. Empty when
/// the text holds no letter or digit.
pub fn snake(text: &str, fold: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut between_words = false;
    for c in text.nfc() {
        if !c.is_alphanumeric() {
            between_words = true;
            continue;
        }
        if between_words && !out.is_empty() {
            out.push('_');
        }
        between_words = false;
        if fold {
            crate::lexical::token::fold_char(c, &mut out);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A variable name R, SPSS and Excel all accept: ASCII letters, digits and `_`, starting
/// with a letter (`v_` is put in front otherwise, `v` alone for an empty text), at most
/// [`MAX_DATA_NAME`] characters. Letters folding to nothing ASCII separate words.
pub fn data_name(text: &str) -> String {
    let folded = snake(text, true);
    let ascii = snake(
        &folded
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect::<String>(),
        false,
    );
    let mut name = match ascii.chars().next() {
        None => "v".to_string(),
        Some(c) if c.is_ascii_alphabetic() => ascii,
        Some(_) => format!("v_{ascii}"),
    };
    name.truncate(MAX_DATA_NAME);
    name.trim_end_matches('_').to_string()
}

/// The names made unique in order: a name met again gets `_2`, `_3`… (kept within
/// [`MAX_DATA_NAME`]); names in `taken` count as met already.
pub fn unique(names: Vec<String>, taken: &[&str]) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = taken.iter().map(|t| t.to_string()).collect();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.clone();
            let mut n = 2;
            while seen.contains(&candidate) {
                let suffix = format!("_{n}");
                let keep = name.len().min(MAX_DATA_NAME.saturating_sub(suffix.len()));
                let mut cut = keep;
                while !name.is_char_boundary(cut) {
                    cut -= 1;
                }
                candidate = format!("{}{suffix}", &name[..cut]);
                n += 1;
            }
            seen.insert(candidate.clone());
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_keeps_or_folds_accents_and_joins_words() {
        assert_eq!(
            snake("Chef d'équipe — collecte*des  déchets", false),
            "chef_d_équipe_collecte_des_déchets"
        );
        assert_eq!(snake("Œuvre Périurbain", true), "oeuvre_periurbain");
        assert_eq!(snake("  R001 ", false), "r001");
        assert_eq!(snake("***", false), "");
        // A decomposed é is one letter.
        assert_eq!(snake("Me\u{301}lanie", false), "mélanie");
    }

    #[test]
    fn data_names_start_with_a_letter_and_stay_ascii() {
        assert_eq!(data_name("Repli stratégique"), "repli_strategique");
        assert_eq!(data_name("2e vague"), "v_2e_vague");
        assert_eq!(data_name("???"), "v");
        assert_eq!(data_name(&"é".repeat(100)).len(), MAX_DATA_NAME);
        assert_eq!(
            unique(vec!["a".into(), "a".into(), "b".into()], &["b"]),
            ["a", "a_2", "b_2"]
        );
    }
}
