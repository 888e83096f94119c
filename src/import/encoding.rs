//! Detecting the encoding of a plain-text file and decoding it to a `String`.
//!
//! The order of guesses: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE); BOM-less UTF-16
//! (many NUL bytes at alternating positions); valid UTF-8; and finally Windows-1252, which
//! can decode any byte sequence and is what older French Windows software writes.
//!
//! The BOM is removed; line endings are left as they are (the caller normalises them).
//! Text that still holds NUL characters after decoding is refused as a binary file.
//!
//! The module also holds the small XML helpers the docx and odt readers share (decoding
//! an XML part, resolving `&…;` references without ever expanding a DTD).

use super::FormatError;

/// A file's bytes decoded into text, with a word on how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, BOM removed, line endings as in the file.
    pub text: String,
    /// The encoding it was read with: "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE" or
    /// "Windows-1252".
    pub encoding: &'static str,
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16BE_BOM: &[u8] = &[0xFE, 0xFF];

/// How many leading bytes the BOM-less UTF-16 heuristic looks at.
const SNIFF_BYTES: usize = 4096;

/// Decodes a text file's bytes: BOM (UTF-8, UTF-16LE/BE), BOM-less UTF-16, UTF-8, and
/// Windows-1252 as the fallback. The BOM is removed; line endings are kept as they are.
///
/// Errors: UTF-16 with an odd number of bytes or an unpaired surrogate, UTF-8 after a
/// UTF-8 BOM that is not valid, and text holding NUL characters (a binary file).
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, FormatError> {
    let decoded = decode_without_binary_check(bytes)?;
    if decoded.text.contains('\0') {
        return Err(FormatError::Binary);
    }
    Ok(decoded)
}

fn decode_without_binary_check(bytes: &[u8]) -> Result<Decoded, FormatError> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return match crate::model::text::utf8(rest) {
            Ok(text) => Ok(Decoded {
                text: text.to_string(),
                encoding: "UTF-8 (BOM)",
            }),
            Err(err) => Err(FormatError::BomNotUtf8 {
                at: Some(err.valid_up_to() + UTF8_BOM.len()),
            }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        let text = decode_utf16(rest, Endian::Little, UTF16LE_BOM.len())?;
        return Ok(Decoded {
            text,
            encoding: "UTF-16LE",
        });
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        let text = decode_utf16(rest, Endian::Big, UTF16BE_BOM.len())?;
        return Ok(Decoded {
            text,
            encoding: "UTF-16BE",
        });
    }
    if let Some(endian) = sniff_bomless_utf16(bytes) {
        // A file that looks like UTF-16 but does not decode as such is most likely binary.
        return match decode_utf16(bytes, endian, 0) {
            Ok(text) if looks_binary(&text) => Err(FormatError::Binary),
            Ok(text) => Ok(Decoded {
                text,
                encoding: match endian {
                    Endian::Little => "UTF-16LE",
                    Endian::Big => "UTF-16BE",
                },
            }),
            Err(_) => Err(FormatError::Binary),
        };
    }
    if let Ok(text) = crate::model::text::utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
        });
    }
    let (text, _had_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: "Windows-1252",
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// Decodes UTF-16 code units; `offset` is where `bytes` starts in the file (for messages).
fn decode_utf16(bytes: &[u8], endian: Endian, offset: usize) -> Result<String, FormatError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(FormatError::Utf16OddLength);
    }
    let units = bytes.chunks_exact(2).map(|pair| match (endian, pair) {
        (Endian::Little, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
        (Endian::Big, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
        _ => 0,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for (unit_index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => text.push(c),
            Err(err) => {
                return Err(FormatError::Utf16UnpairedSurrogate {
                    unit: err.unpaired_surrogate(),
                    at: offset + unit_index * 2,
                });
            }
        }
    }
    Ok(text)
}

/// Guesses BOM-less UTF-16: mostly-ASCII text in UTF-16 has a NUL in every other byte.
fn sniff_bomless_utf16(bytes: &[u8]) -> Option<Endian> {
    let sample = bytes.get(..bytes.len().min(SNIFF_BYTES)).unwrap_or(bytes);
    let pairs = sample.len() / 2;
    if pairs < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if let [even, odd] = pair {
            nul_even += usize::from(*even == 0);
            nul_odd += usize::from(*odd == 0);
        }
    }
    // At least 40 % of one side NUL and almost none on the other side.
    let many = |n: usize| n * 10 >= pairs * 4;
    let few = |n: usize| n * 20 <= pairs;
    if many(nul_odd) && few(nul_even) {
        Some(Endian::Little)
    } else if many(nul_even) && few(nul_odd) {
        Some(Endian::Big)
    } else {
        None
    }
}

/// Whether decoded text is mostly control characters (a binary file that happened to
/// pass for BOM-less UTF-16).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(SNIFF_BYTES) {
        total += 1;
        control += usize::from(c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'));
    }
    control * 10 > total
}

/// Decodes an XML part of a zip-based document (docx, odt) to a string: UTF-8 with or
/// without a BOM, or UTF-16 with a BOM. `part` names the part in messages.
pub(crate) fn decode_xml_part(bytes: &[u8], part: &str) -> Result<String, FormatError> {
    if bytes.starts_with(UTF16LE_BOM) || bytes.starts_with(UTF16BE_BOM) {
        return decode_text(bytes).map(|decoded| decoded.text);
    }
    let rest = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(rest) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => Err(FormatError::PartNotUtf8 {
            part: part.to_string(),
            at: err.valid_up_to(),
        }),
    }
}

/// Resolves an XML reference (`&amp;`, `&#233;`, `&#xE9;`) to its text. Only the five
/// predefined entities and character references are known: a DTD is never read, so any
/// other entity (for instance from a "billion laughs" DTD) is an error, never expanded.
pub(crate) fn resolve_xml_reference(
    reference: &quick_xml::events::BytesRef<'_>,
    part: &str,
) -> Result<String, FormatError> {
    let name: &str = reference;
    match reference.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c.to_string()),
        Ok(None) => {}
        Err(_) => {
            return Err(FormatError::BadCharacterReference {
                part: part.to_string(),
                name: name.to_string(),
            });
        }
    }
    match quick_xml::escape::resolve_xml_entity(name) {
        Some(text) => Ok(text.to_string()),
        None => Err(FormatError::UnsupportedEntity {
            part: part.to_string(),
            name: name.to_string(),
        }),
    }
}

/// The message for an XML syntax error in a part, with the byte position.
pub(crate) fn xml_error(part: &str, position: u64, err: impl std::fmt::Display) -> FormatError {
    FormatError::BadXml {
        part: part.to_string(),
        position,
        detail: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
    }

    #[test]
    fn empty_file_is_empty_utf8_text() {
        let decoded = decode_text(b"").unwrap();
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf8_bom_is_removed() {
        let decoded = decode_text("\u{feff}cœur 😅\r\n".as_bytes()).unwrap();
        assert_eq!(decoded.text, "cœur 😅\r\n");
        assert_eq!(decoded.encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn utf8_bom_followed_by_invalid_utf8_is_an_error() {
        let err = decode_text(&[0xEF, 0xBB, 0xBF, b'a', 0xE9]).unwrap_err();
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    }

    #[test]
    fn plain_utf8() {
        let decoded = decode_text("Élodie : « ça va »".as_bytes()).unwrap();
        assert_eq!(decoded.text, "Élodie : « ça va »");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom_both_endians() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le("œuvre 👍🏽\r\n"));
        let decoded = decode_text(&le).unwrap();
        assert_eq!(decoded.text, "œuvre 👍🏽\r\n");
        assert_eq!(decoded.encoding, "UTF-16LE");

        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16be("œuvre 👍🏽"));
        let decoded = decode_text(&be).unwrap();
        assert_eq!(decoded.text, "œuvre 👍🏽");
        assert_eq!(decoded.encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_odd_length_is_an_error() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le("abc"));
        le.push(b'd');
        let err = decode_text(&le).unwrap_err();
        assert!(err.to_string().contains("odd number of bytes"), "{err}");
    }

    #[test]
    fn utf16_unpaired_surrogate_is_an_error() {
        // "a", a lone high surrogate, "b".
        let bytes = [0xFF, 0xFE, b'a', 0, 0x3D, 0xD8, b'b', 0];
        let err = decode_text(&bytes).unwrap_err();
        assert!(
            err.to_string()
                .contains("unpaired surrogate (0xD83D) near byte 4"),
            "{err}"
        );
    }

    #[test]
    fn bomless_utf16_is_detected() {
        let decoded = decode_text(&utf16le("Bonjour, ça va ?\n")).unwrap();
        assert_eq!(decoded.text, "Bonjour, ça va ?\n");
        assert_eq!(decoded.encoding, "UTF-16LE");
        let decoded = decode_text(&utf16be("Bonjour, ça va ?\n")).unwrap();
        assert_eq!(decoded.text, "Bonjour, ça va ?\n");
        assert_eq!(decoded.encoding, "UTF-16BE");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        // "Cœur d’été" in Windows-1252.
        let bytes = [b'C', 0x9C, b'u', b'r', b' ', b'd', 0x92, 0xE9, b't', 0xE9];
        let decoded = decode_text(&bytes).unwrap();
        assert_eq!(decoded.text, "Cœur d’été");
        assert_eq!(decoded.encoding, "Windows-1252");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let bytes = [
            0x89, b'P', b'N', b'G', 0, 0, 0, 0x0D, 0xFF, 0x00, 0x12, 0x80, 0x00,
        ];
        let err = decode_text(&bytes).unwrap_err();
        assert_eq!(err.to_string(), "this looks like a binary file, not text");
        let err = decode_text(b"abc\0def").unwrap_err();
        assert_eq!(err.to_string(), "this looks like a binary file, not text");
    }

    #[test]
    fn xml_part_decoding() {
        assert_eq!(
            decode_xml_part(b"\xEF\xBB\xBF<a/>", "x.xml").unwrap(),
            "<a/>"
        );
        let err = decode_xml_part(b"<a>\xE9</a>", "x.xml").unwrap_err();
        assert_eq!(err.to_string(), "x.xml is not valid UTF-8 (at byte 3)");
    }
}
