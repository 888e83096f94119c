//! Offsets: char, byte, UTF-16 and CRLF-counted positions (DESIGN §2.2).

use fouille::model::text::*;
use proptest::prelude::*;

const TEXT: &str = "Le cœur 😅 de l’été\nÇa va 👍🏽 oui\n";

#[test]
fn normalises_bom_crlf_and_cr() {
    assert_eq!(normalize_text("\u{feff}a\r\nb\rc\r\n\r\nd"), "a\nb\nc\n\nd");
    assert_eq!(normalize_text("sans rien"), "sans rien");
}

#[test]
fn char_and_byte_offsets_round_trip_on_accents_and_emoji() {
    // "Le cœur " = 8 chars; 'œ' is 2 bytes → 9 bytes.
    assert_eq!(char_to_byte(TEXT, 8), Some(9));
    assert_eq!(byte_to_char(TEXT, 9), Some(8));
    assert_eq!(byte_to_char(TEXT, 5), None, "inside œ is not a boundary");
    assert_eq!(slice_chars(TEXT, 8, 9), Some("😅"));
    assert_eq!(slice_chars(TEXT, 3, 7), Some("cœur"));
    assert_eq!(slice_chars(TEXT, 5, 400), None);
    assert_eq!(slice_chars(TEXT, 5, 4), None);
}

#[test]
fn utf16_positions_count_emoji_as_two() {
    // 😅 is outside the BMP: 2 UTF-16 units; 👍🏽 is two scalars, each 2 units.
    assert_eq!(char_to_utf16(TEXT, 9), Some(10));
    assert_eq!(utf16_to_char(TEXT, 10, false), Some(9));
    assert_eq!(utf16_to_char(TEXT, 9, false), None);
    let thumbs = TEXT.chars().position(|c| c == '👍').unwrap();
    assert_eq!(
        char_to_utf16(TEXT, thumbs + 2).unwrap() - char_to_utf16(TEXT, thumbs).unwrap(),
        4
    );
}

#[test]
fn foreign_schemes_with_crlf_and_bom() {
    let scheme = PositionScheme {
        unit: PositionUnit::Utf16,
        crlf_as_two: true,
        bom_counted: true,
    };
    let map = PositionMap::new(TEXT, scheme);
    let line2 = TEXT.find('Ç').map(|b| TEXT[..b].chars().count()).unwrap();
    // BOM (1) + first line in UTF-16 units (19 chars incl. one emoji → 20) + CRLF (2).
    let first_line_units: usize = TEXT
        .lines()
        .next()
        .unwrap()
        .chars()
        .map(char::len_utf16)
        .sum();
    assert_eq!(map.to_foreign(line2), Some(1 + first_line_units + 2));
    assert_eq!(map.to_char_exact(1 + first_line_units + 2), Some(line2));
    assert_eq!(
        map.to_char_exact(1 + first_line_units + 1),
        None,
        "between CR and LF"
    );
    assert_eq!(map.to_char_floor(1 + first_line_units + 1), line2 - 1);
    let native = PositionMap::new(TEXT, PositionScheme::NATIVE);
    assert_eq!(native.foreign_len(), TEXT.chars().count());
}

#[test]
fn word_boundaries() {
    let chars: Vec<char> = "le cœur".chars().collect();
    assert!(is_word_boundary(&chars, 0));
    assert!(is_word_boundary(&chars, 3));
    assert!(!is_word_boundary(&chars, 4), "inside cœur");
    assert!(is_word_boundary(&chars, 7));
}

proptest! {
    #[test]
    fn every_scheme_round_trips(text in "[a-zé œ😅\n👍🏽\u{1F600}-\u{1F64F}]{0,60}") {
        for scheme in PositionScheme::all() {
            let map = PositionMap::new(&text, scheme);
            for i in 0..=text.chars().count() {
                let f = map.to_foreign(i).unwrap();
                prop_assert_eq!(map.to_char_exact(f), Some(i));
                prop_assert_eq!(map.to_char_floor(f), i);
            }
        }
        for i in 0..=text.chars().count() {
            let b = char_to_byte(&text, i).unwrap();
            prop_assert_eq!(byte_to_char(&text, b), Some(i));
            let u = char_to_utf16(&text, i).unwrap();
            prop_assert_eq!(utf16_to_char(&text, u, false), Some(i));
        }
    }
}

#[test]
fn search_folding_spells_out_ligatures_and_keeps_the_rest() {
    assert_eq!(
        fold_for_search("Le cœur, l’Œuvre, ex æquo, Æsope"),
        "Le coeur, l’OEuvre, ex aequo, AEsope"
    );
    // Other letters led by the same bytes (é = C3 A9, Ő = C5 90) are left as they are.
    assert_eq!(fold_for_search("été Ő à"), "été Ő à");
    assert_eq!(fold_for_search(""), "");
    assert_eq!(utf8("cœur".as_bytes()).unwrap(), "cœur");
    assert_eq!(utf8(b"c\xC5").unwrap_err().valid_up_to(), 1);
}

proptest! {
    #[test]
    fn search_folding_matches_char_by_char(text in "[a-zéÉàœŒæÆŐ 😅\n]{0,80}") {
        let expected: String = text
            .chars()
            .map(|c| match c {
                'œ' => "oe".to_string(),
                'Œ' => "OE".to_string(),
                'æ' => "ae".to_string(),
                'Æ' => "AE".to_string(),
                c => c.to_string(),
            })
            .collect();
        prop_assert_eq!(fold_for_search(&text), expected);
    }
}

proptest! {
    #[test]
    fn the_char_cursor_finds_what_char_to_byte_finds(
        text in "[a-zé œ😅\n👍🏽]{0,300}",
        mut asked in proptest::collection::vec(0usize..320, 0..20),
    ) {
        asked.sort_unstable();
        let mut cursor = CharCursor::new(text.as_bytes());
        for c in asked {
            prop_assert_eq!(cursor.byte_of(c), char_to_byte(&text, c));
        }
    }
}

#[test]
fn the_char_cursor_only_walks_forward() {
    let text = "é".repeat(200) + "fin";
    let mut cursor = CharCursor::new(text.as_bytes());
    assert_eq!(cursor.byte_of(150), Some(300));
    assert_eq!(
        cursor.byte_of(203),
        Some(403),
        "the end of the text is valid"
    );
    assert_eq!(cursor.byte_of(204), None, "past the end");
    assert_eq!(CharCursor::new(text.as_bytes()).byte_of(10), Some(20));
    let mut back = CharCursor::new(text.as_bytes());
    back.byte_of(100);
    assert_eq!(back.byte_of(99), None, "behind the cursor");
}
