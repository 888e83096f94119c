//! Protection against formula injection ("CSV injection"): a text cell whose first
//! character would make a spreadsheet read it as a formula (`=`, `+`, `-`, `@`, tab, carriage
//! return, or their full-width forms `＝ ＋ － ＠`, also after leading spaces) gets a `'` in
//! front. Spreadsheets show the apostrophe and never evaluate the text. Numbers are not text
//! cells and stay numbers.

use std::borrow::Cow;

/// Whether a text would be read as a formula by a spreadsheet.
pub fn is_risky(text: &str) -> bool {
    let first = |s: &str| s.chars().next();
    let risky = |c: char| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
        )
    };
    first(text).is_some_and(risky) || first(text.trim_start_matches(' ')).is_some_and(risky)
}

/// The text to write in a text cell: prefixed with `'` when it is risky.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_risky(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_starts_are_prefixed_and_plain_text_is_not() {
        for hostile in [
            "=HYPERLINK(\"http://x\",\"clic\")",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =1",
            "＝1",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"));
        }
        for plain in ["Bonjour", "42", "", "a=b", "« =citation »", "'déjà"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
