//! Telling a REFI-QDA project from a codebook, and either from other files.

use std::io::Read;
use std::path::Path;

/// The two REFI-QDA file types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefiKind {
    /// A project: a zip holding the project document (`project.qde`) and the sources.
    Project,
    /// A codebook: one XML document whose root is `CodeBook`.
    Codebook,
}

/// How much of a file is read to find its root element: enough for an XML declaration,
/// comments and a DOCTYPE, and small enough to cost nothing on a file that is not XML.
const HEAD_BYTES: u64 = 64 * 1024;

/// Whether `path` is a REFI-QDA file, and which. The extension decides when it is `.qdpx`
/// or `.qdc` (any case), as other tools name these files; any other name is decided by
/// content, for files renamed on their way (a mail attachment saved as `.zip`, a codebook
/// saved as `.xml`): a zip with a `.qde` entry is a project, XML whose root element is
/// `CodeBook` is a codebook. `None` for anything else, and for a file that cannot be read.
pub fn kind_of(path: &Path) -> Option<RefiKind> {
    by_extension(path).or_else(|| by_content(path))
}

fn by_extension(path: &Path) -> Option<RefiKind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("qdpx") => Some(RefiKind::Project),
        Some("qdc") => Some(RefiKind::Codebook),
        _ => None,
    }
}

fn by_content(path: &Path) -> Option<RefiKind> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    if head.starts_with(b"PK\x03\x04") {
        return zip_holds_project_document(path).then_some(RefiKind::Project);
    }
    root_is_codebook(&head).then_some(RefiKind::Codebook)
}

/// Whether the zip at `path` names a `.qde` entry anywhere, as the import looks for the
/// project document. Only the archive's directory is read; nothing is decompressed.
fn zip_holds_project_document(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    archive
        .file_names_raw()
        .any(|name| name.to_ascii_lowercase().ends_with(b".qde"))
}

/// Whether `head`, the start of a file, is XML whose root element is `CodeBook` (in any
/// namespace prefix). UTF-16 is read too, with or without its byte-order mark, as the
/// import reads it.
fn root_is_codebook(head: &[u8]) -> bool {
    let text = match head {
        [0xFF, 0xFE, ..] | [b'<', 0, ..] => utf16(head, u16::from_le_bytes),
        [0xFE, 0xFF, ..] | [0, b'<', ..] => utf16(head, u16::from_be_bytes),
        _ => String::from_utf8_lossy(head).into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                return e.local_name().as_ref() == "CodeBook";
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                if !t.trim().is_empty() {
                    return false;
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_element_tells_a_codebook() {
        let codebook = br#"<?xml version="1.0" encoding="utf-8"?>
<!-- exported -->
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"#;
        assert!(root_is_codebook(codebook));
        assert!(root_is_codebook(
            b"\xEF\xBB\xBF<qdc:CodeBook xmlns:qdc=\"x\"/>"
        ));
        let utf16: Vec<u8> = "\u{feff}<CodeBook/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(root_is_codebook(&utf16));
        assert!(!root_is_codebook(
            b"<Project xmlns=\"urn:QDA-XML:project:1.0\"/>"
        ));
        assert!(!root_is_codebook(b"Notes: <CodeBook/>"));
        assert!(!root_is_codebook(b"plain text"));
    }

    #[test]
    fn the_extension_decides_before_the_content() {
        assert_eq!(
            kind_of(Path::new("/nonexistent/p.QDPX")),
            Some(RefiKind::Project)
        );
        assert_eq!(
            kind_of(Path::new("/nonexistent/c.qdc")),
            Some(RefiKind::Codebook)
        );
        assert_eq!(kind_of(Path::new("/nonexistent/c.xml")), None);
    }

    fn zip_with(dir: &Path, file: &str, entry: &str) -> std::path::PathBuf {
        use std::io::Write;
        let path = dir.join(file);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        zip.start_file(entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<Project/>").unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn a_renamed_file_is_told_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let project = zip_with(dir.path(), "sent.zip", "Project.QDE");
        assert_eq!(kind_of(&project), Some(RefiKind::Project));
        let word = zip_with(dir.path(), "letter.docx", "word/document.xml");
        assert_eq!(kind_of(&word), None);
        let codebook = dir.path().join("codes.xml");
        std::fs::write(&codebook, "<CodeBook><Codes/></CodeBook>").unwrap();
        assert_eq!(kind_of(&codebook), Some(RefiKind::Codebook));
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "an interview").unwrap();
        assert_eq!(kind_of(&text), None);
    }
}
