//! Transcripts made with noScribe (a local Whisper transcriber many researchers use), in
//! its HTML form. noScribe writes each recognised segment as an anchor named
//! `ts_<start ms>_<end ms>_<speaker>` inside one paragraph per speaker turn, names the
//! recording in `<meta name="audio_source">`, and opens the body with two paragraphs of its
//! own (the title and how the transcript was made), which are not the interview.
//!
//! Each turn becomes one line of Fouille's transcript format, `[hh:mm:ss.mmm] S01 : …`,
//! timed by its first segment; a time mark noScribe wrote into the text is replaced by
//! that (more precise) one, and its `S01:` label by Fouille's `S01 :`.

use super::FormatError;
use super::subtitles::{decode_character_references, mark_time};

/// A noScribe transcript read into Fouille's transcript format.
#[derive(Debug, Clone, PartialEq)]
pub struct NoScribeTranscript {
    /// One line per speaker turn, each opened by a time mark.
    pub text: String,
    /// The speakers' labels, in order of first appearance (`S00`, `S01`…, as noScribe
    /// names them; overlapping speech `//S01` counts as `S01`).
    pub speakers: Vec<String>,
    /// The recording as noScribe named it (usually an absolute path on the machine that
    /// transcribed it).
    pub audio_source: Option<String>,
}

/// A paragraph of the body: its text (tags removed, references decoded, spaces collapsed)
/// and the first segment anchor in it, if any.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    first_segment: Option<(u64, String)>,
}

/// Whether `html` is a noScribe transcript (it has segment anchors or names a recording).
pub fn is_noscribe(html: &str) -> bool {
    html.contains("name=\"ts_") || html.contains("name=\"audio_source\"")
}

/// Reads a noScribe HTML transcript. An HTML file with no segment anchor is refused: it is
/// not a transcript this reader understands.
pub fn read(html: &str) -> Result<NoScribeTranscript, FormatError> {
    let paragraphs = paragraphs(html);
    let Some(first_timed) = paragraphs.iter().position(|p| p.first_segment.is_some()) else {
        return Err(FormatError::NotNoScribe);
    };
    let mut lines = Vec::new();
    let mut speakers: Vec<String> = Vec::new();
    for paragraph in &paragraphs[first_timed..] {
        let Some((start_ms, speaker)) = &paragraph.first_segment else {
            if !paragraph.text.is_empty() {
                lines.push(paragraph.text.clone());
            }
            continue;
        };
        let speaker = speaker.trim_start_matches('/').to_string();
        let body = turn_body(&paragraph.text, &speaker);
        if body.is_empty() {
            continue;
        }
        let mark = format!("[{}]", mark_time(*start_ms));
        if speaker.is_empty() {
            lines.push(format!("{mark} {body}"));
        } else {
            if !speakers.contains(&speaker) {
                speakers.push(speaker.clone());
            }
            lines.push(format!("{mark} {speaker} : {body}"));
        }
    }
    Ok(NoScribeTranscript {
        text: lines.join("\n\n"),
        speakers,
        audio_source: meta_content(html, "audio_source"),
    })
}

/// The text of a turn without the speaker label and time mark noScribe put before it.
fn turn_body(text: &str, speaker: &str) -> String {
    let mut rest = text.trim();
    if !speaker.is_empty() {
        for prefix in [format!("//{speaker}:"), format!("{speaker}:")] {
            if let Some(after) = rest.strip_prefix(prefix.as_str()) {
                rest = after.trim_start();
                break;
            }
        }
    }
    crate::model::timestamps::split_leading_mark(rest)
        .1
        .trim_start()
        .to_string()
}

/// The body's paragraphs, in order. Text outside any `<p>` (noScribe writes none) opens a
/// paragraph of its own.
fn paragraphs(html: &str) -> Vec<Paragraph> {
    let body = html
        .find("<body")
        .map_or(html, |at| html.get(at..).unwrap_or_default());
    let mut out: Vec<Paragraph> = vec![Paragraph::default()];
    let mut raw = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        raw.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        match tag_name(tag).as_str() {
            "p" | "/p" | "div" | "/div" => {
                finish(&mut out, &mut raw);
                out.push(Paragraph::default());
            }
            "br" => raw.push(' '),
            "a" => {
                if let Some(segment) = attribute(tag, "name").and_then(|n| segment_name(&n))
                    && let Some(current) = out.last_mut()
                    && current.first_segment.is_none()
                {
                    current.first_segment = Some(segment);
                }
            }
            _ => {}
        }
    }
    raw.push_str(rest);
    finish(&mut out, &mut raw);
    out.retain(|p| !p.text.is_empty() || p.first_segment.is_some());
    out
}

/// Appends the text gathered so far to the current paragraph.
fn finish(out: &mut [Paragraph], raw: &mut String) {
    let decoded = decode_character_references(raw);
    let words: Vec<&str> = decoded.split_whitespace().collect();
    if let Some(current) = out.last_mut()
        && !words.is_empty()
    {
        if !current.text.is_empty() {
            current.text.push(' ');
        }
        current.text.push_str(&words.join(" "));
    }
    raw.clear();
}

/// `ts_<start>_<end>_<speaker>` → (start ms, speaker).
fn segment_name(name: &str) -> Option<(u64, String)> {
    let mut parts = name.strip_prefix("ts_")?.splitn(3, '_');
    let start = parts.next()?.parse().ok()?;
    let _end: u64 = parts.next()?.parse().ok()?;
    Some((start, parts.next().unwrap_or("").to_string()))
}

/// The lowercase name of a tag (`/p` for a closing one), from what lies between `<` and `>`.
fn tag_name(tag: &str) -> String {
    tag.trim_start()
        .split(|c: char| c.is_whitespace() || c == '>')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

/// The value of `name="…"` (or `'…'`) in a tag, references decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = tag[at + name.len()..].trim_start();
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            let inner = &value[1..];
            let end = inner.find(quote)?;
            return Some(decode_character_references(&inner[..end]));
        }
        let end = value.find(char::is_whitespace).unwrap_or(value.len());
        return Some(decode_character_references(
            value[..end].trim_end_matches('/'),
        ));
    }
    None
}

/// The `content` of the `<meta name="…">` tag of that name.
fn meta_content(html: &str, name: &str) -> Option<String> {
    let mut rest = html;
    while let Some(at) = rest.find("<meta") {
        let tail = &rest[at + 1..];
        let end = tail.find('>')?;
        let tag = &tail[..end];
        if attribute(tag, "name").as_deref() == Some(name) {
            return attribute(tag, "content").filter(|c| !c.trim().is_empty());
        }
        rest = &tail[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = r#"<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">
<html><head><meta charset="UTF-8" /><meta name="qrichtext" content="1" />
<style type="text/css">p, li { white-space: pre-wrap; }</style>
<meta name="audio_source" content="C:\Users\enq\entretien 3.mp3" /></head>
<body style="font-family: 'Arial'"><div class="WordSection1">
<p style="font-weight: 600">entretien 3</p>
<p><span style="color: #909090">Transcribed with noScribe vers. 0.6.2<br />Audio file: entretien 3.mp3<br />(Language: French)</span></p>
<p></p>
<p><a name="ts_0_4200_S00" >S00: Bonjour, merci d&apos;être venue.</a><a name="ts_4200_6100_S00" > On commence&nbsp;?</a></p>
<p><a name="ts_6350_9000_S01" >S01: <span style="color: #78909C" >[00:00:06]</span> Oui. L&#39;accueil, c’est</a><a name="ts_9000_9500_S01" > (..)</a><a name="ts_9500_12000_//S00" > //S00: D'accord.//</a></p>
<p><a name="ts_3723400_3725000_" >Fin de l'enregistrement &lt;3 😅</a></p>
</div></body></html>"#;

    #[test]
    fn turns_speakers_marks_and_recording() {
        let t = read(HTML).unwrap();
        assert_eq!(
            t.text,
            "[00:00:00] S00 : Bonjour, merci d'être venue. On commence ?\n\n\
             [00:00:06.350] S01 : Oui. L'accueil, c’est (..) //S00: D'accord.//\n\n\
             [01:02:03.400] Fin de l'enregistrement <3 😅"
        );
        assert_eq!(t.speakers, ["S00", "S01"]);
        assert_eq!(
            t.audio_source.as_deref(),
            Some(r"C:\Users\enq\entretien 3.mp3")
        );
    }

    #[test]
    fn html_without_segments_is_refused() {
        let err = read("<html><body><p>Bonjour</p></body></html>").unwrap_err();
        assert!(err.to_string().contains("noScribe"), "{err}");
        assert!(!is_noscribe("<html><body><p>Bonjour</p></body></html>"));
        assert!(is_noscribe(HTML));
    }
}
