//! `attach-media`, `transcript`, `edit-text`, `reimport`.

use anyhow::Context;
use std::path::{Path, PathBuf};

use super::{open_project, print_json};
use crate::media::decode::{self, DecodeOptions};
use crate::media::transcript::{self, TranscriptFormat};
use crate::model::timestamps::format_clock;
use crate::store::text_edit::{RebaseReport, RebasedCoding, set_text_with_rebase};
use crate::store::{Project, documents};

/// Arguments of `fouille attach-media`.
#[derive(Debug, clap::Args)]
pub struct AttachMediaArgs {
    /// Project file.
    pub project: PathBuf,
    /// Document (name or GUID).
    #[arg(long)]
    pub document: String,
    /// Audio file (wav, mp3, ogg, flac, m4a). It stays where it is: the project keeps its
    /// path.
    pub file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fouille transcript`.
#[derive(Debug, clap::Args)]
pub struct TranscriptArgs {
    /// Project file.
    pub project: PathBuf,
    /// Document (name or GUID).
    #[arg(long)]
    pub document: String,
    /// Format: srt, vtt or txt.
    #[arg(long, value_parser = parse_format)]
    pub export: TranscriptFormat,
    /// Write to this file (default: standard output).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

/// Arguments of `fouille edit-text`.
#[derive(Debug, clap::Args)]
pub struct EditTextArgs {
    /// Project file.
    pub project: PathBuf,
    /// Document (name or GUID).
    #[arg(long)]
    pub document: String,
    /// The corrected text (txt, md, docx, odt, srt, vtt).
    #[arg(long = "from")]
    pub from: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fouille reimport`.
#[derive(Debug, clap::Args)]
pub struct ReimportArgs {
    /// Project file.
    pub project: PathBuf,
    /// Document (name or GUID).
    #[arg(long)]
    pub document: String,
    /// The corrected file (txt, md, docx, odt, srt, vtt).
    pub file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<TranscriptFormat, String> {
    TranscriptFormat::parse(s).ok_or_else(|| format!("« {s} »: expected srt, vtt or txt"))
}

pub(super) fn attach_media(args: AttachMediaArgs) -> anyhow::Result<()> {
    let mut project = open_project(&args.project, None)?;
    let doc = documents::find(project.conn(), &args.document)?;
    let path =
        std::fs::canonicalize(&args.file).with_context(|| format!("{}", args.file.display()))?;
    if !decode::is_audio_path(&path) {
        anyhow::bail!(
            "{}: Fouille plays wav, mp3, ogg, flac and m4a files ({} given)",
            path.display(),
            path.extension()
                .and_then(|e| e.to_str())
                .unwrap_or("no extension")
        );
    }
    let audio = decode::decode_file(
        &path,
        DecodeOptions {
            max_sample_rate: Some(8_000),
        },
    )?;
    let shown = path.to_string_lossy().to_string();
    project.action("action.attach_media", |tx| {
        documents::set_media(tx, &doc.guid, Some(&shown))
    })?;
    if args.json {
        return print_json(&serde_json::json!({
            "document": doc.name, "document_guid": doc.guid, "media_path": shown,
            "codec": audio.codec, "duration_ms": audio.duration_ms(),
            "sample_rate": audio.source_rate, "channels": audio.source_channels,
        }));
    }
    println!(
        "attached {shown} to « {} » ({}, {}, {} Hz, {} channel{})",
        doc.name,
        audio.codec,
        format_clock(audio.duration_ms()),
        audio.source_rate,
        audio.source_channels,
        if audio.source_channels == 1 { "" } else { "s" }
    );
    Ok(())
}

pub(super) fn transcript(args: TranscriptArgs) -> anyhow::Result<()> {
    let project = open_project(&args.project, None)?;
    let doc = documents::find(project.conn(), &args.document)?;
    let text = documents::text(project.conn(), &doc.guid)?;
    let duration_ms = match &doc.media_path {
        Some(p) => decode::probe_duration_ms(Path::new(p)).unwrap_or_else(|e| {
            eprintln!(
                "warning: {e}; the last subtitle lasts {} s",
                transcript::LAST_CUE_MS / 1000
            );
            None
        }),
        None => None,
    };
    if args.export != TranscriptFormat::Txt {
        let cues = transcript::cues(&text, duration_ms);
        if cues.is_empty() {
            anyhow::bail!(
                "« {} » has no [hh:mm:ss] time marks: nothing to export as subtitles (try --export txt)",
                doc.name
            );
        }
        let untimed = transcript::untimed_prefix_chars(&text);
        if untimed > 0 {
            eprintln!(
                "warning: {untimed} characters before the first time mark are not in the subtitles"
            );
        }
    }
    let out = transcript::export(&text, args.export, duration_ms);
    match &args.output {
        Some(path) => {
            std::fs::write(path, out.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} ({})", path.display(), args.export.extension());
        }
        None => print!("{out}"),
    }
    Ok(())
}

pub(super) fn edit_text(args: EditTextArgs) -> anyhow::Result<()> {
    replace_text(
        &args.project,
        &args.document,
        &args.from,
        args.json,
        "action.edit_text",
    )
}

pub(super) fn reimport(args: ReimportArgs) -> anyhow::Result<()> {
    replace_text(
        &args.project,
        &args.document,
        &args.file,
        args.json,
        "action.edit_text",
    )
}

/// Reads `file` like an import and makes it the document's text, codings rebased.
fn replace_text(
    project_path: &Path,
    document: &str,
    file: &Path,
    json: bool,
    label: &str,
) -> anyhow::Result<()> {
    let mut project: Project = open_project(project_path, None)?;
    let doc = documents::find(project.conn(), document)?;
    let parsed = crate::import::files::parse_file(file)?;
    let report = project.action(label, |tx| {
        set_text_with_rebase(tx, &doc.guid, &parsed.text)
    })?;
    if json {
        return print_json(&report);
    }
    print_report(&doc.name, &report);
    Ok(())
}

fn short(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 70 {
        format!("{}…", flat.chars().take(69).collect::<String>())
    } else {
        flat
    }
}

fn print_report(name: &str, report: &RebaseReport) {
    if !report.text_changed {
        println!("« {name} »: the text is the same; nothing changed");
        return;
    }
    println!(
        "« {name} »: {} → {} characters ({} deleted, {} inserted)",
        report.old_len, report.new_len, report.chars_deleted, report.chars_inserted
    );
    println!(
        "codings: {} kept, {} shifted, {} stretched or shrunk, {} removed",
        report.kept.len(),
        report.shifted.len(),
        report.adjusted.len(),
        report.removed.len()
    );
    let line = |c: &RebasedCoding| {
        let memo = if c.memos > 0 {
            format!(" ({} memo{})", c.memos, if c.memos == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        format!("[{}] « {} »{memo}", c.code_path, short(&c.old_text))
    };
    for c in &report.adjusted {
        println!(
            "  changed  {} → « {} »",
            line(c),
            short(c.new_text.as_deref().unwrap_or(""))
        );
    }
    for c in &report.removed {
        println!("  removed  {}", line(c));
    }
    if !report.removed.is_empty() {
        println!("(removed codings can be brought back with `fouille undo`)");
    }
}
