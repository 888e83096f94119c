//! Exporting a timestamped transcript as subtitles (SubRip, WebVTT) or plain text.
//!
//! A transcript is text with `[hh:mm:ss]` marks (see [`crate::model::timestamps`]); each
//! mark starts a cue that lasts until the next mark (the last one until the end of the
//! recording when its length is known, else for 5 seconds). A cue's text is the passage
//! after its mark, blank lines dropped (a blank line would end a SubRip cue). Text before
//! the first mark has no time and is left out of subtitles.

use crate::model::timestamps::passages;

/// How long the last cue lasts when the recording's length is not known (ms).
pub const LAST_CUE_MS: u64 = 5_000;

/// An export format for transcripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptFormat {
    /// SubRip `.srt`.
    Srt,
    /// WebVTT `.vtt`.
    Vtt,
    /// The text as is, time marks included, ending with a line break.
    Txt,
}

impl TranscriptFormat {
    /// Parses `srt`, `vtt` or `txt` (any case).
    pub fn parse(s: &str) -> Option<TranscriptFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "srt" => Some(TranscriptFormat::Srt),
            "vtt" | "webvtt" => Some(TranscriptFormat::Vtt),
            "txt" | "text" => Some(TranscriptFormat::Txt),
            _ => None,
        }
    }
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::Vtt => "vtt",
            TranscriptFormat::Txt => "txt",
        }
    }
}

/// One subtitle cue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TranscriptCue {
    /// Start, in ms from the start of the recording: the time mark opening the passage.
    pub start_ms: u64,
    /// End in ms: the next later time mark, else the recording's end, else a fixed length after.
    pub end_ms: u64,
    /// Text (lines joined by `\n`, none blank).
    pub text: String,
}

/// The cues of a transcript. `duration_ms` (the recording's length) ends the last one.
pub fn cues(text: &str, duration_ms: Option<u64>) -> Vec<TranscriptCue> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for p in passages(text) {
        // Skip the mark itself: it runs from `[` to `]`.
        let body: String = chars[p.start_char..p.end_char].iter().collect();
        let after_mark = body.find(']').map_or(body.as_str(), |at| &body[at + 1..]);
        let lines: Vec<&str> = after_mark
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let end_ms = match p.next_ms {
            Some(next) if next > p.start_ms => next,
            Some(_) => p.start_ms + LAST_CUE_MS.min(2_000),
            None => match duration_ms {
                Some(d) if d > p.start_ms => d,
                _ => p.start_ms + LAST_CUE_MS,
            },
        };
        out.push(TranscriptCue {
            start_ms: p.start_ms,
            end_ms,
            text: lines.join("\n"),
        });
    }
    out
}

/// Length (chars, whitespace not counted) of the text before the first mark, which
/// subtitles leave out.
pub fn untimed_prefix_chars(text: &str) -> usize {
    let first = passages(text)
        .first()
        .map_or(text.chars().count(), |p| p.start_char);
    text.chars()
        .take(first)
        .filter(|c| !c.is_whitespace())
        .count()
}

fn clock(ms: u64, separator: char) -> String {
    let s = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}{separator}{:03}",
        s / 3600,
        (s / 60) % 60,
        s % 60,
        ms % 1000
    )
}

/// SubRip text of the cues.
pub fn to_srt(cues: &[TranscriptCue]) -> String {
    let mut out = String::new();
    for (i, c) in cues.iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            clock(c.start_ms, ','),
            clock(c.end_ms, ','),
            c.text
        ));
    }
    out
}

/// WebVTT text of the cues (`&`, `<`, `>` escaped; `-->` cannot appear in a cue).
pub fn to_vtt(cues: &[TranscriptCue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in cues {
        let text = c
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            clock(c.start_ms, '.'),
            clock(c.end_ms, '.'),
            text
        ));
    }
    out
}

/// The transcript in `format`.
pub fn export(text: &str, format: TranscriptFormat, duration_ms: Option<u64>) -> String {
    match format {
        TranscriptFormat::Srt => to_srt(&cues(text, duration_ms)),
        TranscriptFormat::Vtt => to_vtt(&cues(text, duration_ms)),
        TranscriptFormat::Txt => {
            let mut t = text.to_string();
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_run_from_mark_to_mark() {
        let text =
            "Titre\n[00:00:02] Enquêteur : Bon.\nsuite\n\n[00:00:15] Inès : Oui <ok> & non.\n";
        let c = cues(text, Some(20_000));
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].start_ms, c[0].end_ms, c[0].text.as_str()),
            (2_000, 15_000, "Enquêteur : Bon.\nsuite")
        );
        assert_eq!(c[1].end_ms, 20_000);
        assert_eq!(cues(text, None)[1].end_ms, 20_000);
        assert_eq!(untimed_prefix_chars(text), 5);
        let srt = to_srt(&c);
        assert!(
            srt.starts_with("1\n00:00:02,000 --> 00:00:15,000\nEnquêteur : Bon.\nsuite\n\n2\n")
        );
        let vtt = to_vtt(&c);
        assert!(vtt.contains("00:00:15.000 --> 00:00:20.000\nInès : Oui &lt;ok&gt; &amp; non.\n"));
    }
}
