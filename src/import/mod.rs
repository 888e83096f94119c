//! Importers: one module per format, each a pure function from bytes to text, plus
//! [`files`] which puts the result into a project in one transaction.
//!
//! Every importer rejects what it cannot read with a [`FormatError`]; the caller names the
//! file. Nothing is written to the project unless the whole file was read.

pub mod csv;
pub mod docx;
pub mod encoding;
pub mod files;
pub mod noscribe;
pub mod odt;
pub mod qdpx;
pub mod safe_zip;
pub mod subtitles;
pub mod survey;
pub mod survey_import;

/// A problem with a file or its content (the caller adds the file name). Each kind says
/// what is wrong with the values that show where; `i18n::errors::format` words it in the
/// user's language, `Display` in English. `detail` fields hold the words of another library
/// or of the system (a zip, XML or CSV reader, an I/O error), kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The path is a folder or something else that is not a file.
    #[error("not a file")]
    NotAFile,
    /// The file is over [`MAX_FILE_BYTES`].
    #[error("the file is {size_mb} MB; Fouille imports files up to {max_mb} MB")]
    TooLarge {
        /// Its size, in MB (rounded down).
        size_mb: u64,
        /// The largest size imported, in MB.
        max_mb: u64,
    },
    /// The file could not be opened or read.
    #[error("cannot read the file ({detail})")]
    Unreadable {
        /// The system's words.
        detail: String,
    },
    /// No importer reads this extension.
    #[error(
        "unsupported file type « .{extension} » (expected .txt, .md, .docx, .odt, .srt, .vtt, or .html from noScribe)"
    )]
    UnsupportedType {
        /// The extension, without its dot.
        extension: String,
    },
    /// Nothing in the file.
    #[error("the file is empty")]
    Empty,
    /// Control characters a text never holds: an image, a program, an archive…
    #[error("this looks like a binary file, not text")]
    Binary,
    /// A UTF-8 byte-order mark before bytes that are not UTF-8.
    #[error("the file starts with a UTF-8 byte-order mark but is not valid UTF-8{}", at_byte(*.at))]
    BomNotUtf8 {
        /// Offset of the first bad byte, when known.
        at: Option<usize>,
    },
    /// UTF-16 text cut in the middle of a unit.
    #[error("the file is UTF-16 but has an odd number of bytes (it may be truncated)")]
    Utf16OddLength,
    /// UTF-16 text with half of a surrogate pair.
    #[error("the file is UTF-16 but has an unpaired surrogate (0x{unit:04X}) near byte {at}")]
    Utf16UnpairedSurrogate {
        /// The lone surrogate.
        unit: u16,
        /// Its byte offset.
        at: usize,
    },
    /// An XML part of a document that is not UTF-8.
    #[error("{part} is not valid UTF-8 (at byte {at})")]
    PartNotUtf8 {
        /// The part (`word/document.xml`…).
        part: String,
        /// Offset of the first bad byte.
        at: usize,
    },
    /// `&#…;` naming no character.
    #[error("{part} has an invalid character reference « &{name}; »")]
    BadCharacterReference {
        /// The XML part.
        part: String,
        /// The reference, between `&` and `;`.
        name: String,
    },
    /// An entity other than XML's five.
    #[error(
        "{part} uses the entity « &{name}; », which is not supported (entities declared in a DTD are never expanded)"
    )]
    UnsupportedEntity {
        /// The XML part.
        part: String,
        /// The entity's name.
        name: String,
    },
    /// XML that does not parse.
    #[error("{part} is not well-formed XML (near byte {position}: {detail})")]
    BadXml {
        /// The XML part.
        part: String,
        /// Byte offset where the reader stopped.
        position: u64,
        /// The XML reader's words.
        detail: String,
    },
    /// An attribute the XML reader could not split.
    #[error("{part}: bad attribute ({detail})")]
    BadAttribute {
        /// The XML part.
        part: String,
        /// The XML reader's words.
        detail: String,
    },
    /// An attribute whose value cannot be decoded.
    #[error(
        "{part}: attribute « {key} » cannot be read ({detail}); entities declared in a DTD are never expanded"
    )]
    UnreadableAttribute {
        /// The XML part.
        part: String,
        /// The attribute's name.
        key: String,
        /// The XML reader's words.
        detail: String,
    },
    /// A DOCTYPE that declares entities.
    #[error(
        "{part} declares entities in a DOCTYPE (a possible \"billion laughs\" attack): refused"
    )]
    DoctypeEntities {
        /// The XML part.
        part: String,
    },
    /// Something after the root element.
    #[error("{part} has content after its root element")]
    ContentAfterRoot {
        /// The XML part.
        part: String,
    },
    /// Elements nested deeper than the reader allows.
    #[error("{part} nests elements more than {max} deep")]
    TooDeep {
        /// The XML part.
        part: String,
        /// The deepest nesting read.
        max: usize,
    },
    /// XML that stops before its elements close.
    #[error("{part} ends before its elements are closed (truncated file?)")]
    Truncated {
        /// The XML part.
        part: String,
    },
    /// XML with no element at all.
    #[error("{part} has no root element")]
    NoRoot {
        /// The XML part.
        part: String,
    },
    /// Not a zip archive (or a damaged one).
    #[error("not a valid zip archive ({detail})")]
    NotZip {
        /// The zip reader's words, naming the entry when there is one.
        detail: String,
    },
    /// More entries than an archive may hold.
    #[error("the archive has too many entries ({found}, at most {max})")]
    TooManyEntries {
        /// Entries in the archive.
        found: usize,
        /// Most entries read.
        max: usize,
    },
    /// An entry whose path leaves the archive (`..`, absolute).
    #[error("unsafe path in archive: « {name} »")]
    UnsafeEntryName {
        /// The entry's name, escaped.
        name: String,
    },
    /// An entry the reader looked for and did not find.
    #[error("the archive has no entry « {name} »")]
    NoEntry {
        /// The entry's name.
        name: String,
    },
    /// An entry that is a symbolic link.
    #[error("the archive entry « {name} » is a symbolic link, not a file")]
    SymbolicLink {
        /// The entry's name, escaped.
        name: String,
    },
    /// An entry that decompresses past its limit.
    #[error(
        "archive entry « {name} » is too large (more than {max_bytes} bytes once decompressed)"
    )]
    EntryTooLarge {
        /// The entry's name.
        name: String,
        /// The limit, in bytes.
        max_bytes: u64,
    },
    /// An entry that decompresses far more than its compressed size.
    #[error("archive entry « {name} » expands too much (possible zip bomb)")]
    ZipBomb {
        /// The entry's name.
        name: String,
    },
    /// An archive that decompresses past its limit.
    #[error("the archive is too large (more than {max_bytes} bytes once decompressed)")]
    ArchiveTooLarge {
        /// The limit, in bytes.
        max_bytes: u64,
    },
    /// A `.docx` without `word/document.xml`.
    #[error("not a Word document (word/document.xml missing)")]
    NotWord,
    /// A Word document with no body.
    #[error("not a Word document: {part} has no document body (w:body)")]
    WordWithoutBody {
        /// The XML part.
        part: String,
    },
    /// An `.odt` without `content.xml`.
    #[error("not an OpenDocument text (content.xml missing)")]
    NotOpenDocument,
    /// An OpenDocument file with no text body (a spreadsheet, a presentation).
    #[error(
        "not an OpenDocument text (content.xml has no text body; is it a spreadsheet or a presentation?)"
    )]
    OpenDocumentWithoutText,
    /// HTML that is not a noScribe transcript.
    #[error(
        "no noScribe segment found (anchors named ts_<start>_<end>_<speaker>): only transcripts saved by noScribe as HTML are read; save other HTML as .docx or .txt"
    )]
    NotNoScribe,
    /// A subtitle timing line that cannot be read.
    #[error("line {line}: malformed timestamp line « {text} »")]
    BadTimestampLine {
        /// Its line number, from 1.
        line: usize,
        /// The line, trimmed.
        text: String,
    },
    /// A subtitle file without cues.
    #[error("no subtitle cue found")]
    NoSubtitles,
    /// A survey header wider than allowed.
    #[error("too many columns ({found}; at most {max})")]
    TooManyColumns {
        /// Columns found.
        found: usize,
        /// Most columns read.
        max: usize,
    },
    /// A header cell left blank.
    #[error("column {column} has no name in the header line")]
    UnnamedColumn {
        /// The column, from 1.
        column: usize,
    },
    /// A value under a header cell left blank.
    #[error(
        "line {header_line}: column {column} has no name in the header line (line {line} has a value in it)"
    )]
    ValueInUnnamedColumn {
        /// The header's line.
        header_line: u64,
        /// The column, from 1.
        column: usize,
        /// The line with a value there.
        line: u64,
    },
    /// Two header cells with one name.
    #[error("duplicate column name « {name} »")]
    DuplicateColumn {
        /// The name.
        name: String,
    },
    /// A column asked for that the header does not name.
    #[error("no column « {name} » in the table (columns: {columns})")]
    NoSuchColumn {
        /// The name asked for.
        name: String,
        /// The columns there are, comma-separated.
        columns: String,
    },
    /// A line wider than any header may be.
    #[error("line {line}: too many cells (more than {max})")]
    LineTooWide {
        /// The line, from 1.
        line: u64,
        /// Most cells read.
        max: usize,
    },
    /// A line whose cells do not match the header.
    #[error("line {line}: {cells} cells, but the header has {columns} columns")]
    RowWidth {
        /// The line, from 1.
        line: u64,
        /// Its cells.
        cells: usize,
        /// The header's columns.
        columns: usize,
    },
    /// More rows than a table may have.
    #[error("too many rows (more than {max})")]
    TooManyRows {
        /// Most rows read.
        max: usize,
    },
    /// More cells than a table may have.
    #[error("the table is too large (more than {max} cells)")]
    TooManyCells {
        /// Most cells read.
        max: usize,
    },
    /// A survey import asked for no answer column.
    #[error("name at least one answer column")]
    NoAnswerColumn,
    /// A survey row with a blank id.
    #[error("line {line}: the id is empty")]
    EmptyId {
        /// The line, from 1.
        line: u64,
    },
    /// A survey id given twice.
    #[error("line {line}: id « {id} » is already on line {first}")]
    DuplicateId {
        /// The line, from 1.
        line: u64,
        /// The id.
        id: String,
        /// The line that has it first.
        first: u64,
    },
    /// What the CSV reader found wrong (a quote left open…).
    #[error("{0}")]
    Csv(csv::CsvError),
    /// A file given as REFI-QDA whose extension and content say otherwise.
    #[error("not a REFI-QDA file (expected .qdpx or .qdc)")]
    NotRefi,
    /// A survey file whose exact content was imported before.
    #[error("this survey file was already imported (same content)")]
    SurveyAlreadyImported,
    /// A REFI-QDA part whose root element is not the one expected.
    #[error(
        "{part}: the root element is <{found}>, not <{expected}>: not a REFI-QDA {} file",
        if .expected == "Project" { "project" } else { "codebook" }
    )]
    WrongRoot {
        /// The XML part.
        part: String,
        /// The root found.
        found: String,
        /// `Project` or `CodeBook`.
        expected: String,
    },
    /// A REFI-QDA root in another namespace.
    #[error(
        "{part}: <{root}> is in the namespace « {found} », not {expected}: not a REFI-QDA file"
    )]
    WrongNamespace {
        /// The XML part.
        part: String,
        /// The root element.
        root: String,
        /// The namespace found.
        found: String,
        /// The REFI-QDA namespace.
        expected: String,
    },
    /// A `.qdpx` without a project document.
    #[error(
        "no project document (.qde) in the archive; it holds: {}",
        if .holds.is_empty() { "nothing" } else { .holds.as_str() }
    )]
    NoProjectDocument {
        /// The first entries, comma-separated (empty when there are none).
        holds: String,
    },
    /// A `.qdpx` with several project documents.
    #[error("several project documents in the archive ({names}): cannot tell which one to read")]
    SeveralProjectDocuments {
        /// Their names, comma-separated.
        names: String,
    },
    /// A `.qdpx` whose archive cannot be read; `problem` says why.
    #[error("not a readable QDPX project: {problem}")]
    NotQdpx {
        /// What is wrong with the archive.
        problem: Box<FormatError>,
    },
    /// A REFI-QDA file that uses one GUID for objects of two kinds.
    #[error(
        "the project is inconsistent: {first}{}; each object needs a GUID of its own, so its references cannot be read",
        and_more(*.more)
    )]
    GuidsAcrossKinds {
        /// The first such GUID, described.
        first: String,
        /// How many more there are.
        more: usize,
    },
}

fn at_byte(at: Option<usize>) -> String {
    at.map(|at| format!(" (at byte {at})")).unwrap_or_default()
}

fn and_more(more: usize) -> String {
    if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    }
}

impl FormatError {
    /// An I/O failure while opening or reading a file.
    pub fn unreadable(error: impl std::fmt::Display) -> FormatError {
        FormatError::Unreadable {
            detail: error.to_string(),
        }
    }
}

/// A file read into text, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// The text, normalised (no BOM, LF line endings).
    pub text: String,
    /// A word on how it was read, e.g. "UTF-8", "Windows-1252", "docx".
    pub format: String,
    /// Whether the file was a timestamped transcript (srt, vtt, noScribe).
    pub is_transcript: bool,
    /// The speakers the file names (WebVTT voices, noScribe's labels), in order of first
    /// appearance: they become the document's speaker labels (Ctrl+1…8 in the editor).
    pub speakers: Vec<String>,
    /// The recording the file names (noScribe's `audio_source`), as written there: the
    /// importer attaches it when the file is found, as named or beside the transcript.
    pub recording: Option<String>,
}

/// Largest single file an importer reads (bytes). Larger files are refused with a clear
/// message rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a file's bytes in its format (chosen by extension: txt, md, docx, odt, srt, vtt,
/// and html for noScribe transcripts) into text.
pub fn parse_by_extension(extension: &str, bytes: &[u8]) -> Result<ParsedDocument, FormatError> {
    let ext = extension.to_ascii_lowercase();
    if ext == "html" || ext == "htm" {
        let decoded = encoding::decode_text(bytes)?;
        let transcript = noscribe::read(&decoded.text)?;
        return Ok(ParsedDocument {
            text: crate::model::text::normalize_text(&transcript.text),
            format: "noScribe".into(),
            is_transcript: true,
            speakers: transcript.speakers,
            recording: transcript.audio_source,
        });
    }
    let mut speakers = Vec::new();
    let (text, format, is_transcript) = match ext.as_str() {
        "txt" | "md" | "markdown" | "text" => {
            let decoded = encoding::decode_text(bytes)?;
            (decoded.text, decoded.encoding.to_string(), false)
        }
        "docx" => (docx::extract_text(bytes)?, "docx".to_string(), false),
        "odt" => (odt::extract_text(bytes)?, "odt".to_string(), false),
        "srt" => {
            let decoded = encoding::decode_text(bytes)?;
            (
                subtitles::srt_to_text(&decoded.text)?,
                "srt".to_string(),
                true,
            )
        }
        "vtt" => {
            let decoded = encoding::decode_text(bytes)?;
            speakers = subtitles::vtt_voices(&decoded.text);
            (
                subtitles::vtt_to_text(&decoded.text)?,
                "vtt".to_string(),
                true,
            )
        }
        other => {
            return Err(FormatError::UnsupportedType {
                extension: other.to_string(),
            });
        }
    };
    Ok(ParsedDocument {
        text: crate::model::text::normalize_text(&text),
        format,
        is_transcript,
        speakers,
        recording: None,
    })
}
