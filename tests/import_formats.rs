//! Importers on real files (tests/data/import/) and on hostile input built at run time.
//!
//! `interview.docx` and `interview.odt` were made by LibreOffice from `interview.html`:
//! `soffice --headless --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML'`
//! (and `--convert-to odt`). The text files were written as UTF-8 and converted with
//! `iconv`.

use fouille::import::safe_zip::{SafeZip, ZipLimits};
use fouille::import::{docx, encoding, odt, parse_by_extension, subtitles, survey};
use std::io::{Cursor, Write};

use crate::support::archive::zip_of;
use crate::support::project::data;

fn fixture(name: &str) -> Vec<u8> {
    let path = data("import").join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The text LibreOffice put in both interview files, as our readers give it back.
const INTERVIEW_TEXT: &str = "Entretien avec Nadia\n\
    Nadia : J’ai commencé à la mairie en 2019, au service état civil.\n\
    Le cœur du métier, c’est l’accueil ; on a un vrai sœur-à-sœur avec les usagers 😅 👍🏽\n\
    Première ligne\n\
    Deuxième ligne\n\
    Thème\tRéponse\n\
    Œuvre\tTrès bien\n\
    Premier point\n\
    Second point\n\
    Deux   espaces  et tab\n\
    Fin de l’entretien.";

// ---- plain text and encodings ----

#[test]
fn utf16_with_bom_fixtures_decode() {
    let expected = "Entretien n°3 — Nadia\nLe cœur du métier, c’est l’accueil.\nFin 😅\n";
    let le = encoding::decode_text(&fixture("utf16le_bom.txt")).unwrap();
    assert_eq!(le.text, expected);
    assert_eq!(le.encoding, "UTF-16LE");
    let be = encoding::decode_text(&fixture("utf16be_bom.txt")).unwrap();
    assert_eq!(be.text, expected);
    assert_eq!(be.encoding, "UTF-16BE");

    let parsed = parse_by_extension("txt", &fixture("utf16le_bom.txt")).unwrap();
    assert_eq!(parsed.text, expected);
    assert_eq!(parsed.format, "UTF-16LE");
}

#[test]
fn utf16_truncated_to_an_odd_length_is_an_error() {
    let mut bytes = fixture("utf16le_bom.txt");
    bytes.pop();
    let err = encoding::decode_text(&bytes).unwrap_err();
    assert!(err.to_string().contains("odd number of bytes"), "{err}");
}

#[test]
fn utf8_bom_crlf_and_emoji() {
    let bytes = fixture("crlf_bom_emoji.txt");
    let decoded = encoding::decode_text(&bytes).unwrap();
    assert_eq!(decoded.encoding, "UTF-8 (BOM)");
    assert_eq!(
        decoded.text,
        "Nadia : J’ai vu l’œuvre à l’école.\r\nÇa m’a marquée 😅 👍🏽\r\nFin.\r\n"
    );

    let parsed = parse_by_extension("TXT", &bytes).unwrap();
    assert_eq!(
        parsed.text,
        "Nadia : J’ai vu l’œuvre à l’école.\nÇa m’a marquée 😅 👍🏽\nFin.\n"
    );
    assert!(!parsed.is_transcript);
}

#[test]
fn invalid_utf8_falls_back_to_windows_1252() {
    // "Éric a dit : « c’est l’œuvre »" written by an old Windows editor.
    let mut bytes = vec![0xC9];
    bytes.extend_from_slice(b"ric a dit : ");
    bytes.extend_from_slice(&[0xAB, b' ', b'c', 0x92]);
    bytes.extend_from_slice(b"est l");
    bytes.extend_from_slice(&[0x92, 0x9C]);
    bytes.extend_from_slice(b"uvre ");
    bytes.push(0xBB);
    let decoded = encoding::decode_text(&bytes).unwrap();
    assert_eq!(decoded.encoding, "Windows-1252");
    assert_eq!(decoded.text, "Éric a dit : « c’est l’œuvre »");
}

#[test]
fn binary_file_with_nul_bytes_is_refused() {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0u8..=255).cycle().take(2000));
    let err = encoding::decode_text(&bytes).unwrap_err();
    assert_eq!(err.to_string(), "this looks like a binary file, not text");
    let err = parse_by_extension("txt", &bytes).unwrap_err();
    assert_eq!(err.to_string(), "this looks like a binary file, not text");
}

// ---- docx and odt made by LibreOffice ----

#[test]
fn libreoffice_docx_text() {
    let text = docx::extract_text(&fixture("interview.docx")).unwrap();
    assert_eq!(text, INTERVIEW_TEXT);

    let parsed = parse_by_extension("docx", &fixture("interview.docx")).unwrap();
    assert_eq!(parsed.text, INTERVIEW_TEXT);
    assert_eq!(parsed.format, "docx");
    assert!(!parsed.text.contains('\r'));
    assert!(
        parsed
            .text
            .lines()
            .any(|line| line == "Entretien avec Nadia")
    );
    assert!(parsed.text.lines().any(|line| line == "Thème\tRéponse"));
}

#[test]
fn libreoffice_odt_text() {
    let text = odt::extract_text(&fixture("interview.odt")).unwrap();
    assert_eq!(text, INTERVIEW_TEXT);

    let parsed = parse_by_extension("odt", &fixture("interview.odt")).unwrap();
    assert_eq!(parsed.text, INTERVIEW_TEXT);
    assert_eq!(parsed.format, "odt");
}

#[test]
fn docx_and_odt_are_not_interchangeable() {
    let err = docx::extract_text(&fixture("interview.odt")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a Word document (word/document.xml missing)"
    );
    let err = odt::extract_text(&fixture("interview.docx")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an OpenDocument text (content.xml missing)"
    );
}

#[test]
fn truncated_docx_is_not_a_valid_zip() {
    let bytes = fixture("interview.docx");
    let half = bytes.get(..bytes.len() / 2).unwrap();
    let err = docx::extract_text(half).unwrap_err();
    assert!(
        err.to_string().starts_with("not a valid zip archive ("),
        "{err}"
    );
    let err = odt::extract_text(half).unwrap_err();
    assert!(
        err.to_string().starts_with("not a valid zip archive ("),
        "{err}"
    );
}

#[test]
fn billion_laughs_docx_is_refused_without_expansion() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    xml.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for level in 2..=9 {
        let previous = format!("&lol{};", level - 1);
        xml.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">\n",
            previous.repeat(10)
        ));
    }
    xml.push_str(
        "]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body><w:p><w:r><w:t>Avant &lol9; après</w:t></w:r></w:p></w:body></w:document>",
    );
    let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let err = docx::extract_text(&bytes).unwrap_err();
    assert!(err.to_string().contains("« &lol9; »"), "{err}");
    assert!(err.to_string().contains("never expanded"), "{err}");
}

#[test]
fn docx_with_tracked_changes_fields_and_tabs() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1440"/></w:tabs></w:pPr>
<w:r><w:t>Q1</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">Vous </w:t></w:r>
<w:del w:id="1" w:author="E"><w:r><w:delText>étiez</w:delText></w:r></w:del>
<w:ins w:id="2" w:author="E"><w:r><w:t>êtes</w:t></w:r></w:ins>
<w:r><w:t xml:space="preserve"> né</w:t><w:noBreakHyphen/><w:t>e en </w:t></w:r>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "yyyy" </w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1984</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
<w:r><w:t>?</w:t></w:r></w:p>
</w:body></w:document>"#;
    let bytes = zip_of(&[("word/document.xml", xml.as_bytes())]);
    // "e en " is not preserved: its trailing space is dropped, as Word does.
    assert_eq!(
        docx::extract_text(&bytes).unwrap(),
        "Q1\tVous êtes né-e en1984?"
    );
}

// ---- hostile archives ----

#[test]
fn zip_slip_entry_is_refused() {
    let bytes = zip_of(&[("word/document.xml", b"<x/>"), ("../evil.txt", b"pwned")]);
    let err = SafeZip::open(&bytes, ZipLimits::default()).unwrap_err();
    assert_eq!(err.to_string(), "unsafe path in archive: « ../evil.txt »");
    let err = docx::extract_text(&bytes).unwrap_err();
    assert!(
        err.to_string().starts_with("unsafe path in archive"),
        "{err}"
    );

    for name in ["/etc/passwd", "C:\\evil.txt", "a\\..\\..\\evil.txt"] {
        let bytes = zip_of(&[(name, b"x")]);
        let err = SafeZip::open(&bytes, ZipLimits::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("unsafe path in archive"),
            "{name}: {err}"
        );
    }
}

#[test]
fn zip_bomb_fails_fast() {
    // 300 MB of zeros, streamed into the archive 1 MiB at a time: about 300 KB compressed.
    const BOMB_MIB: usize = 300;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    writer.start_file("word/document.xml", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..BOMB_MIB {
        writer.write_all(&zeros).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 2 * 1024 * 1024,
        "compressed to {} bytes",
        bytes.len()
    );

    let started = std::time::Instant::now();
    let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
    let err = zip.read("word/document.xml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive entry « word/document.xml » expands too much (possible zip bomb)"
    );
    // It stops after a few MiB, not after 300.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    let err = docx::extract_text(&bytes).unwrap_err();
    assert!(err.to_string().contains("possible zip bomb"), "{err}");
}

#[test]
fn entry_limit_does_not_trust_declared_sizes() {
    // A 3 MiB entry against a 2 MiB limit: refused whatever the header says.
    let data: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let bytes = zip_of(&[("big.bin", &data)]);
    let limits = ZipLimits {
        max_entry_bytes: 2 * 1024 * 1024,
        ..ZipLimits::default()
    };
    let mut zip = SafeZip::open(&bytes, limits).unwrap();
    let err = zip.read("big.bin").unwrap_err();
    assert!(err.to_string().contains("is too large"), "{err}");
}

// ---- subtitles ----

#[test]
fn srt_fixture() {
    let bytes = fixture("sample.srt");
    let parsed = parse_by_extension("srt", &bytes).unwrap();
    assert!(parsed.is_transcript);
    assert_eq!(
        parsed.text,
        "[00:00:01.200] Enquêtrice : Vous pouvez vous présenter ?\n\
         [00:00:04.500] Nadia : Oui, je travaille au service état civil depuis 2019. [00:00:09.800]\n\
         [00:12:34] NADIA: Le cœur du métier, c’est l’accueil 😅 [00:12:38.250]\n\
         [01:02:03.004] Enquêtrice : Merci ! [01:02:05]"
    );
    let text = std::str::from_utf8(&bytes).unwrap();
    let cues = subtitles::parse_srt(text).unwrap();
    assert_eq!(cues.len(), 4);
    assert_eq!((cues[0].start_ms, cues[0].end_ms), (1_200, 4_000));
    assert_eq!((cues[3].start_ms, cues[3].end_ms), (3_723_004, 3_725_000));
    assert_eq!(
        cues[1].text,
        "Nadia : Oui, je travaille au service\nétat civil depuis 2019."
    );
}

#[test]
fn vtt_fixture() {
    let bytes = fixture("sample.vtt");
    let parsed = parse_by_extension("vtt", &bytes).unwrap();
    assert!(parsed.is_transcript);
    assert_eq!(
        parsed.text,
        "[00:00:01] Enquêtrice : Vous pouvez vous présenter ?\n\
         [00:00:05] Nadia : Oui, je travaille au service état civil depuis 2019. [00:00:09]\n\
         [00:12:34] Nadia : Le cœur du métier & l’accueil 😅 [00:12:38.250]\n\
         [01:02:03.004] Sans locuteur : une ligne simple. [01:02:05]"
    );
    let cues = subtitles::parse_vtt(std::str::from_utf8(&bytes).unwrap()).unwrap();
    assert_eq!(cues.len(), 4);
    assert_eq!((cues[0].start_ms, cues[0].end_ms), (1_000, 4_500));
}

#[test]
fn subtitle_errors() {
    let err = parse_by_extension(
        "srt",
        b"1\n00:00:01,000 --> 00:00:02,000\nun\n\n2\n00:00:03 --> 4\ndeux\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 6: malformed timestamp line « 00:00:03 --> 4 »"
    );
    let err = parse_by_extension("vtt", b"WEBVTT\n\nNOTE only a note\n").unwrap_err();
    assert_eq!(err.to_string(), "no subtitle cue found");
}

// ---- survey tables ----

#[test]
fn cp1252_survey_fixture() {
    let table = survey::read_survey(&fixture("cp1252_survey.csv")).unwrap();
    assert_eq!(table.encoding, "Windows-1252");
    assert_eq!(table.delimiter, b';');
    assert_eq!(
        table.headers,
        vec!["Identifiant", "Prénom", "Commune", "Réponse libre"]
    );
    assert_eq!(
        table.rows,
        vec![
            vec![
                "R01",
                "Nadia",
                "Saint-Étienne",
                "L’œuvre commune ; c’est déjà ça."
            ],
            vec![
                "R02",
                "Jérôme",
                "Besançon",
                "Première ligne\ndeuxième ligne avec « guillemets »"
            ],
            vec!["R03", "Zoé", "Nœux-les-Mines", "Très bien"],
        ]
    );
    assert_eq!(table.column_index("réponse LIBRE").unwrap(), 3);
    let err = table.column_index("Âge").unwrap_err();
    assert!(
        err.to_string()
            .contains("« Identifiant », « Prénom », « Commune », « Réponse libre »"),
        "{err}"
    );
}

#[test]
fn survey_with_100000_columns_is_refused() {
    let mut csv = (0..100_000)
        .map(|i| format!("q{i}"))
        .collect::<Vec<_>>()
        .join(",");
    csv.push('\n');
    let err = survey::read_survey(csv.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "too many columns (100000; at most 10000)");
}

#[test]
fn survey_with_inconsistent_rows_names_the_line() {
    let csv = "id,nom,âge\r\n1,Nadia,34\r\n2,Jean\r\n";
    let err = survey::read_survey(csv.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3: 2 cells, but the header has 3 columns"
    );
}

#[test]
fn survey_edge_cases() {
    assert_eq!(
        survey::read_survey(b"").unwrap_err().to_string(),
        "the file is empty"
    );
    let err = survey::read_survey("id\tNom\tnom\n1\ta\tb\n".as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "duplicate column name « nom »");
    let table = survey::read_survey(b"id\tnote\n1\t3,5\n").unwrap();
    assert_eq!(table.delimiter, b'\t');
    assert_eq!(table.rows, vec![vec!["1", "3,5"]]);
}

// ---- no input makes a reader panic ----

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn decode_text_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = encoding::decode_text(&bytes);
        }

        #[test]
        fn survey_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = survey::read_survey(&bytes);
        }

        #[test]
        fn survey_csv_like_text(text in "[a-zé;,\t\"\r\n ]{0,300}") {
            if let Ok(table) = survey::read_survey(text.as_bytes()) {
                prop_assert!(table.rows.iter().all(|row| row.len() == table.headers.len()));
            }
        }

        #[test]
        fn subtitles_any_text(text in "(WEBVTT|NOTE|[0-9]{1,3}|[0-9:.,]{1,14} --> [0-9:.,]{1,14}|<v [A-Z][a-z]*>|</v>|<i>|[a-zé &;<>{}\\\\]{0,12}|\r?\n){0,40}") {
            let _ = subtitles::srt_to_text(&text);
            let _ = subtitles::vtt_to_text(&text);
        }

        #[test]
        fn timestamps_round_trip(ms in 0u64..400_000_000_000) {
            let formatted = subtitles::format_timestamp(ms);
            prop_assert_eq!(subtitles::parse_timestamp(&formatted), Some(ms / 1000 * 1000));
            let bracketed = format!("[{formatted}]");
            prop_assert_eq!(subtitles::parse_timestamp(&bracketed), Some(ms / 1000 * 1000));
        }

        #[test]
        fn zip_readers_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = docx::extract_text(&bytes);
            let _ = odt::extract_text(&bytes);
        }

        #[test]
        fn damaged_docx_and_odt(cut in 0usize..20_000, flip in 0usize..20_000, value in any::<u8>()) {
            for name in ["interview.docx", "interview.odt"] {
                let mut bytes = fixture(name);
                if let Some(byte) = bytes.get_mut(flip) {
                    *byte = value;
                }
                bytes.truncate(cut.max(1));
                let _ = docx::extract_text(&bytes);
                let _ = odt::extract_text(&bytes);
            }
        }

        #[test]
        fn truncated_document_xml(cut in 0usize..6000) {
            let bytes = fixture("interview.docx");
            let mut zip = SafeZip::open(&bytes, ZipLimits::default()).unwrap();
            let xml = zip.read("word/document.xml").unwrap();
            let part = xml.get(..cut.min(xml.len())).unwrap_or_default();
            let _ = docx::extract_text(&zip_of(&[("word/document.xml", part)]));
        }
    }
}
