//! `fouille transcribe`: recordings recognised on this machine, each written into a
//! document (one undo step each), progress on standard error.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

use super::{open_project, print_json, words};
use crate::app::transcribe::{self, Target, TranscribeOutcome};
use crate::speech::Layout;
use crate::speech::recognise::Progress;
use crate::store::documents;

/// Arguments of `fouille transcribe`.
#[derive(Debug, clap::Args)]
pub struct TranscribeArgs {
    /// Project file.
    pub project: PathBuf,
    /// Recordings (wav, mp3, ogg, flac, m4a); each becomes a document named after its file
    /// unless --document names one.
    #[arg(required = true)]
    pub audio: Vec<PathBuf>,
    /// Write into this existing document (name or GUID) instead of a new one (one
    /// recording only).
    #[arg(long)]
    pub document: Option<String>,
    /// Replace the text the document already has (its codings follow the new text).
    #[arg(long)]
    pub replace: bool,
    /// Whisper model folder (faster-whisper/CTranslate2 or Hugging Face); remembered for
    /// next time. Default: FOUILLE_WHISPER_MODEL, else the folder given last.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Language spoken (fr, en, de…), or `auto` to detect it.
    #[arg(long, default_value = "fr")]
    pub language: String,
    /// Time marks at paragraph starts only (default: at every segment).
    #[arg(long)]
    pub marks_per_paragraph: bool,
    /// A silence at least this long (seconds) starts a new paragraph.
    #[arg(long, default_value_t = 2.0)]
    pub paragraph_pause: f64,
    /// Write `(..)` where the speaker paused at least a second.
    #[arg(long)]
    pub pause_marks: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn transcribe(args: TranscribeArgs) -> anyhow::Result<()> {
    if args.document.is_some() && args.audio.len() > 1 {
        anyhow::bail!("--document writes one recording: give a single audio file");
    }
    let target = target(&args)?;
    let recogniser = transcribe::load_model(args.model.as_deref())?;
    let language = (args.language != "auto").then_some(args.language.as_str());
    let layout = Layout {
        mark_every_segment: !args.marks_per_paragraph,
        paragraph_pause_ms: (args.paragraph_pause.max(0.0) * 1000.0) as u64,
        pause_marks: args.pause_marks,
        ..Layout::default()
    };
    let mut outcomes: Vec<TranscribeOutcome> = Vec::new();
    for audio in &args.audio {
        let name = audio.display().to_string();
        let recognised = transcribe::recognise(&recogniser, audio, language, &mut |p| {
            show_progress(&name, p);
            ControlFlow::Continue(())
        })?;
        eprintln!();
        // The project is opened only to write: the long recognition never holds its lock.
        let mut project = open_project(&args.project, None)?;
        let outcome = transcribe::write_transcription(&mut project, &target, &recognised, &layout)?;
        if !args.json {
            println!("{}", words(&project, &outcome.message())?);
        }
        outcomes.push(outcome);
    }
    if args.json {
        print_json(&outcomes)?;
    }
    Ok(())
}

/// Arguments of `fouille label-turns`.
#[derive(Debug, clap::Args)]
pub struct LabelTurnsArgs {
    /// Project file.
    pub project: PathBuf,
    /// The transcript (name or GUID).
    #[arg(long)]
    pub document: String,
    /// The speakers in the order they take turns, comma-separated (e.g.
    /// "Enquêtrice,Agent"): the first turn goes to the first.
    #[arg(long, value_delimiter = ',', required = true)]
    pub speakers: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn label_turns(args: LabelTurnsArgs) -> anyhow::Result<()> {
    let mut project = open_project(&args.project, None)?;
    let guid = documents::find(project.conn(), &args.document)?.guid;
    let outcome = crate::app::turns::label_document_turns(&mut project, &guid, &args.speakers)?;
    if args.json {
        print_json(&outcome)?;
    } else {
        println!("{}", words(&project, &outcome.message())?);
    }
    Ok(())
}

/// Where the text goes, checked before any recognition (a refused target should not cost
/// an hour of computing).
fn target(args: &TranscribeArgs) -> anyhow::Result<Target> {
    let project = open_project(&args.project, None)?;
    let target = match &args.document {
        None => Target::New { name: None },
        Some(name) => Target::Document {
            guid: documents::find(project.conn(), name)?.guid,
            replace: args.replace,
        },
    };
    transcribe::check_target(&project, &target)?;
    Ok(target)
}

/// One line of progress on standard error, rewritten in place.
fn show_progress(name: &str, p: Progress) {
    let left = p
        .remaining_s()
        .map(|s| {
            format!(
                ", about {} left",
                crate::model::timestamps::format_clock((s * 1000.0) as u64)
            )
        })
        .unwrap_or_default();
    let mut err = std::io::stderr();
    let _ = write!(err, "\r{name}: {:>3.0} %{left}   ", p.done * 100.0);
    let _ = err.flush();
}
