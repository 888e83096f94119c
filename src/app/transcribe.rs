//! Automatic transcription of a recording into a document, the same from the command line
//! and from the app. The long part, [`recognise`], needs no project (the app runs it on a
//! worker while the researcher goes on coding); [`write_transcription`] then writes the
//! text and attaches the recording in one action, one undo step.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::model::{DocumentId, DocumentKind};
use crate::speech::recognise::Progress;
use crate::speech::{Layout, Recogniser, SpeechError, Transcription, layout};
use crate::store::documents::{self, NewDocument};
use crate::store::{Project, text_edit};

use super::message::{Arg, Message};
use super::{AppError, AppResult};

/// Where a recording's transcript goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new transcript document, named `name` or after the recording's file name.
    New {
        /// The document's name (default: the file name without its extension).
        name: Option<String>,
    },
    /// An existing document (by GUID). Its text is replaced only when `replace` is set or
    /// it has none; its codings follow the new text as in any text edit.
    Document {
        /// The document's GUID.
        guid: DocumentId,
        /// The user agreed to replace the text the document already has.
        replace: bool,
    },
}

/// What a finished transcription wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TranscribeOutcome {
    /// The document written (GUID).
    pub document: DocumentId,
    /// Its display name.
    pub name: String,
    /// Whether the document was created for it.
    pub created: bool,
    /// Stretches of speech recognised.
    pub segments: usize,
    /// Codings whose range changed or that were removed because the text was replaced.
    pub codings_changed: usize,
    /// The language transcribed (`fr`…): the one asked for, else the one the model detected.
    pub language: String,
    /// The recording's length, ms.
    pub duration_ms: u64,
    /// Seconds spent decoding the recording and recognising it.
    pub seconds: f64,
}

impl TranscribeOutcome {
    /// What to tell the user.
    pub fn message(&self) -> Message {
        Message::with(
            "msg.transcribed",
            vec![
                ("document", Arg::Text(self.name.clone())),
                ("segments", Arg::Count(self.segments)),
                (
                    "duration",
                    Arg::Text(crate::model::timestamps::format_clock(self.duration_ms)),
                ),
                ("seconds", Arg::Text(format!("{:.0}", self.seconds))),
            ],
        )
    }
}

/// Checks, before the long work, that `target` can receive a transcript: the document
/// exists, and has no text unless replacing was agreed.
pub fn check_target(project: &Project, target: &Target) -> AppResult<()> {
    if let Target::Document { guid, replace } = target {
        let doc = documents::get(project.conn(), guid)?;
        if !replace && doc.char_len > 0 {
            return Err(AppError::DocumentHasText(doc.name));
        }
    }
    Ok(())
}

/// Recognises the speech of `audio` (no project needed). `progress` may cancel.
pub fn recognise(
    recogniser: &Recogniser,
    audio: &Path,
    language: Option<&str>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> AppResult<Transcription> {
    Ok(recogniser.transcribe_file(audio, language, progress)?)
}

/// Writes `transcription` into `target` as one action: the text laid out by `layout`, the
/// recording attached (so the player and the clickable marks work at once). A recording
/// with no speech writes nothing.
pub fn write_transcription(
    project: &mut Project,
    target: &Target,
    transcription: &Transcription,
    layout_options: &Layout,
) -> AppResult<TranscribeOutcome> {
    let text = layout::layout(&transcription.segments, layout_options);
    if text.trim().is_empty() {
        return Err(AppError::NoSpeech(transcription.audio.clone()));
    }
    check_target(project, target)?;
    let media = media_path(&transcription.audio);
    let origin = format!("transcribed ({})", transcription.language);
    let (document, created, codings_changed) =
        project.action("action.transcribe", |tx| match target {
            Target::New { name } => {
                let guid = documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: name
                            .clone()
                            .unwrap_or_else(|| file_stem(&transcription.audio)),
                        kind: DocumentKind::Transcript,
                        text: text.clone(),
                        origin: origin.clone(),
                        media_path: Some(media.clone()),
                        respondent_guid: None,
                    },
                )?;
                Ok((guid, true, 0))
            }
            Target::Document { guid, .. } => {
                let report = text_edit::set_text_with_rebase(tx, guid, &text)?;
                documents::set_media(tx, guid, Some(&media))?;
                Ok((guid.clone(), false, report.changed_count()))
            }
        })?;
    let name = documents::get(project.conn(), &document)?.name;
    Ok(TranscribeOutcome {
        document,
        name,
        created,
        segments: transcription.segments.len(),
        codings_changed,
        language: transcription.language.clone(),
        duration_ms: transcription.duration_ms,
        seconds: transcription.seconds,
    })
}

/// The recording's path as stored: absolute, so the project finds it from any folder.
fn media_path(audio: &Path) -> String {
    std::fs::canonicalize(audio)
        .unwrap_or_else(|_| audio.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// A document name from a file name (`entretien-07.mp3` → `entretien-07`).
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "transcription".to_string())
}

/// Loads the model folder to use: `given`, else `FOUILLE_WHISPER_MODEL`, else the one
/// chosen last; a folder that loads is remembered for next time.
pub fn load_model(given: Option<&Path>) -> AppResult<Recogniser> {
    let dir: PathBuf = crate::speech::model_dir::resolve(given)?;
    let recogniser = Recogniser::load(&dir)?;
    if given.is_some() {
        crate::speech::model_dir::remember(&dir)?;
    }
    Ok(recogniser)
}

impl From<fouille_whisper::LoadError> for AppError {
    fn from(e: fouille_whisper::LoadError) -> Self {
        AppError::Speech(SpeechError::Model(e))
    }
}
