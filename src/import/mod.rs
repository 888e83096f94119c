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

/// A problem with the content of a file (the caller adds the file name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

impl FormatError {
    /// Builds an error from any message.
    pub fn new(message: impl Into<String>) -> FormatError {
        FormatError(message.into())
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
            return Err(FormatError::new(format!(
                "unsupported file type « .{other} » (expected .txt, .md, .docx, .odt, .srt, .vtt, or .html from noScribe)"
            )));
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
