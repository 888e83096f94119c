//! Subtitle transcripts (`.srt`, `.vtt`) read into timestamped text.
//!
//! Each cue becomes one line `[hh:mm:ss] text`, its text lines joined by a space. A
//! speaker label written in the text (`Nadia : …`, `NADIA: …`) is kept as written; a
//! WebVTT voice span `<v Nadia>…</v>` becomes `Nadia : …`. Other tags (`<i>`, `<b>`,
//! `<font …>`, `<c.class>`, inline timestamps, `{\an8}`) are removed.
//!
//! The parser is tolerant: CRLF or CR line endings, a missing blank line at the end or
//! between cues, missing cue numbers, `,` or `.` before the milliseconds, hours left out
//! (`mm:ss.mmm`), cue settings after the end time, and `NOTE`, `STYLE` and `REGION`
//! blocks in WebVTT. A line with `-->` whose times do not parse is an error naming the
//! line.

use super::FormatError;

/// One subtitle cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// When the cue appears, in milliseconds from the start of the recording.
    pub start_ms: u64,
    /// When the cue disappears, in milliseconds.
    pub end_ms: u64,
    /// The cue's payload as written (tags kept), its lines joined by `\n`.
    pub text: String,
}

impl Cue {
    /// The cue's text as one plain line: lines joined by a space, voice spans turned into
    /// `Name : `, other tags removed, whitespace collapsed.
    pub fn plain_text(&self) -> String {
        clean_payload(&self.text)
    }
}

/// Parses a time: `hh:mm:ss`, `hh:mm:ss,mmm`, `hh:mm:ss.mmm`, `mm:ss.mmm`, `mm:ss`, each
/// optionally in square brackets (`[00:12:34]`). Returns milliseconds, or `None`.
pub fn parse_timestamp(s: &str) -> Option<u64> {
    let mut s = s.trim();
    if let Some(inner) = s.strip_prefix('[') {
        s = inner.strip_suffix(']')?.trim();
    }
    let (clock, fraction) = match s.find([',', '.']) {
        Some(at) => (s.get(..at)?, Some(s.get(at + 1..)?)),
        None => (s, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m, sec] => (
            parse_digits(h, 1, 6)?,
            parse_digits(m, 1, 2)?,
            parse_digits(sec, 1, 2)?,
        ),
        [m, sec] => (0, parse_digits(m, 1, 3)?, parse_digits(sec, 1, 2)?),
        _ => return None,
    };
    if seconds >= 60 || (parts.len() == 3 && minutes >= 60) {
        return None;
    }
    let millis = match fraction {
        None => 0,
        Some(digits) => {
            if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            // "5" is 500 ms, "05" is 50 ms, "0512" is 51 ms.
            let mut padded: String = digits.chars().take(3).collect();
            while padded.len() < 3 {
                padded.push('0');
            }
            padded.parse::<u64>().ok()?
        }
    };
    hours
        .checked_mul(3_600_000)?
        .checked_add(minutes.checked_mul(60_000)?)?
        .checked_add(seconds * 1000)?
        .checked_add(millis)
}

/// Digits only, between `min` and `max` of them.
fn parse_digits(s: &str, min: usize, max: usize) -> Option<u64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Formats milliseconds as `hh:mm:ss` (milliseconds dropped; hours may pass 99).
pub fn format_timestamp(ms: u64) -> String {
    let total_seconds = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        total_seconds / 3600,
        (total_seconds / 60) % 60,
        total_seconds % 60
    )
}

/// Parses SubRip (`.srt`) text into cues.
pub fn parse_srt(text: &str) -> Result<Vec<Cue>, FormatError> {
    parse_cues(text, Flavour::Srt)
}

/// Parses WebVTT (`.vtt`) text into cues.
pub fn parse_vtt(text: &str) -> Result<Vec<Cue>, FormatError> {
    parse_cues(text, Flavour::Vtt)
}

/// Reads SubRip text into one `[hh:mm:ss] text` line per cue.
pub fn srt_to_text(text: &str) -> Result<String, FormatError> {
    Ok(cues_to_text(&parse_srt(text)?))
}

/// Reads WebVTT text into one `[hh:mm:ss] text` line per cue.
pub fn vtt_to_text(text: &str) -> Result<String, FormatError> {
    Ok(cues_to_text(&parse_vtt(text)?))
}

/// One `[hh:mm:ss(.mmm)] text` line per cue. A cue followed by a silence of
/// [`PAUSE_MARK_MS`] or more (or the last cue) ends with a second mark, at its end time:
/// exported again, the cue ends there instead of lasting until the next speech. Shorter
/// gaps get none, so that a tool's cues a few hundred ms apart keep one mark each.
fn cues_to_text(cues: &[Cue]) -> String {
    let spoken: Vec<(&Cue, String)> = cues
        .iter()
        .map(|cue| (cue, cue.plain_text()))
        .filter(|(_, plain)| !plain.is_empty())
        .collect();
    let mut lines = Vec::with_capacity(spoken.len());
    for (i, (cue, plain)) in spoken.iter().enumerate() {
        let mut line = format!("[{}] {plain}", mark_time(cue.start_ms));
        let next_start = spoken.get(i + 1).map(|(next, _)| next.start_ms);
        if cue.end_ms > cue.start_ms
            && next_start.is_none_or(|next| cue.end_ms + PAUSE_MARK_MS <= next)
        {
            line.push_str(&format!(" [{}]", mark_time(cue.end_ms)));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// The shortest silence after a cue that gets a mark of its own at the cue's end (ms).
pub const PAUSE_MARK_MS: u64 = 1_000;

/// A time for a mark: `hh:mm:ss`, with `.mmm` when the milliseconds are not zero.
pub(crate) fn mark_time(ms: u64) -> String {
    match ms % 1000 {
        0 => format_timestamp(ms),
        millis => format!("{}.{millis:03}", format_timestamp(ms)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Srt,
    Vtt,
}

fn is_timing_line(line: &str) -> bool {
    line.contains("-->")
}

fn is_cue_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// A WebVTT block that holds no cue: a comment, a style sheet or a region definition.
fn is_vtt_metadata_block(line: &str) -> bool {
    let line = line.trim_end();
    ["NOTE", "STYLE", "REGION"].iter().any(|keyword| {
        line == *keyword
            || line
                .strip_prefix(keyword)
                .is_some_and(|rest| rest.starts_with([' ', '\t']))
    })
}

/// Parses `start --> end [settings]`; `line_number` is 1-based, for the message.
fn parse_timing(line: &str, line_number: usize) -> Result<(u64, u64), FormatError> {
    let malformed = || FormatError::BadTimestampLine {
        line: line_number,
        text: line.trim().to_string(),
    };
    let (left, right) = line.split_once("-->").ok_or_else(malformed)?;
    let start_ms = parse_timestamp(left).ok_or_else(malformed)?;
    let end_token = right.split_whitespace().next().ok_or_else(malformed)?;
    let end_ms = parse_timestamp(end_token).ok_or_else(malformed)?;
    Ok((start_ms, end_ms))
}

fn parse_cues(text: &str, flavour: Flavour) -> Result<Vec<Cue>, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = normalized.split('\n').collect();
    let line_at = |i: usize| lines.get(i).copied().unwrap_or("");
    let mut cues: Vec<Cue> = Vec::new();
    let mut i = 0usize;

    if flavour == Flavour::Vtt && line_at(0).trim_start().starts_with("WEBVTT") {
        // The header block runs to the first blank line.
        while i < lines.len() && !is_blank(line_at(i)) {
            i += 1;
        }
    }

    while i < lines.len() {
        let line = line_at(i);
        if is_blank(line) {
            i += 1;
            continue;
        }
        if flavour == Flavour::Vtt && !is_timing_line(line) && is_vtt_metadata_block(line) {
            while i < lines.len() && !is_blank(line_at(i)) {
                i += 1;
            }
            continue;
        }
        let timing_index = if is_timing_line(line) {
            i
        } else if is_timing_line(line_at(i + 1)) {
            // A cue number (SubRip) or identifier (WebVTT).
            i + 1
        } else {
            // Text after a blank line inside a cue: it belongs to the previous cue.
            // Before the first cue, it is ignored.
            if let Some(previous) = cues.last_mut() {
                previous.text.push('\n');
                previous.text.push_str(line.trim());
            }
            i += 1;
            continue;
        };
        let (start_ms, end_ms) = parse_timing(line_at(timing_index), timing_index + 1)?;
        let mut payload: Vec<&str> = Vec::new();
        let mut j = timing_index + 1;
        while j < lines.len() {
            let text_line = line_at(j);
            if is_blank(text_line) || is_timing_line(text_line) {
                break;
            }
            // No blank line before the next cue: a number just before its timing line.
            if is_timing_line(line_at(j + 1)) && is_cue_number(text_line) {
                break;
            }
            payload.push(text_line.trim());
            j += 1;
        }
        cues.push(Cue {
            start_ms,
            end_ms,
            text: payload.join("\n"),
        });
        i = j;
    }
    if cues.is_empty() {
        return Err(FormatError::NoSubtitles);
    }
    Ok(cues)
}

/// Turns a cue payload into one plain line: voice spans → `Name : `, tags removed,
/// character references decoded, whitespace collapsed.
fn clean_payload(payload: &str) -> String {
    let mut out = String::with_capacity(payload.len());
    let mut rest = payload;
    while let Some(at) = rest.find(['<', '{']) {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        if tail.starts_with('{') {
            // SubRip/ASS override such as `{\an8}`.
            if tail.starts_with("{\\")
                && let Some(close) = tail.find('}')
            {
                rest = tail.get(close + 1..).unwrap_or_default();
            } else {
                out.push('{');
                rest = tail.get(1..).unwrap_or_default();
            }
            continue;
        }
        match tail.find('>') {
            Some(close) if looks_like_tag(tail.get(1..close).unwrap_or_default()) => {
                let inside = tail.get(1..close).unwrap_or_default();
                if let Some(name) = voice_name(inside) {
                    if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    out.push_str(&name);
                    out.push_str(" : ");
                }
                rest = tail.get(close + 1..).unwrap_or_default();
            }
            _ => {
                out.push('<');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_character_references(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the text between `<` and `>` is a markup tag (and not, say, `a < b > c`).
fn looks_like_tag(inside: &str) -> bool {
    let mut chars = inside.chars();
    match chars.next() {
        Some('/') => chars.next().is_none_or(|c| c.is_ascii_alphabetic()),
        Some(c) => c.is_ascii_alphabetic() || c.is_ascii_digit(),
        None => false,
    }
}

/// The speakers of a WebVTT file's voice spans (`<v Nadia>`), in order of first appearance.
pub fn vtt_voices(text: &str) -> Vec<String> {
    let mut voices: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<v") {
        let tail = &rest[at + 1..];
        let Some(end) = tail.find('>') else { break };
        if let Some(name) = voice_name(&tail[..end])
            && !voices.contains(&name)
        {
            voices.push(name);
        }
        rest = &tail[end..];
    }
    voices
}

/// The speaker of a WebVTT voice span `<v Name>` or `<v.class Name>`.
fn voice_name(inside: &str) -> Option<String> {
    let rest = inside.strip_prefix('v')?;
    // After `v`: optional `.class` parts, then whitespace, then the name.
    let (classes, name) = match rest.find(char::is_whitespace) {
        Some(at) => (rest.get(..at)?, rest.get(at..)?),
        None => (rest, ""),
    };
    if !(classes.is_empty() || classes.starts_with('.')) {
        return None;
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() { None } else { Some(name) }
}

/// Decodes the character references WebVTT and SubRip files use.
pub(crate) fn decode_character_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        let entity_end = tail.find(';').filter(|&end| end <= 10);
        let replacement = entity_end.and_then(|end| {
            let name = tail.get(1..end)?;
            let decoded = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "lrm" => Some('\u{200e}'),
                "rlm" => Some('\u{200f}'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse::<u32>().ok()?,
                    };
                    char::from_u32(code).filter(|c| *c != '\0')
                }
            };
            decoded.map(|c| (c, end))
        });
        match replacement {
            Some((c, end)) => {
                out.push(c);
                rest = tail.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse() {
        assert_eq!(parse_timestamp("00:12:34"), Some(754_000));
        assert_eq!(parse_timestamp("00:12:34,567"), Some(754_567));
        assert_eq!(parse_timestamp("00:12:34.567"), Some(754_567));
        assert_eq!(parse_timestamp("12:34.567"), Some(754_567));
        assert_eq!(parse_timestamp("[01:02:03]"), Some(3_723_000));
        assert_eq!(parse_timestamp(" 1:02:03.5 "), Some(3_723_500));
        assert_eq!(parse_timestamp("00:00:01.05"), Some(1_050));
        assert_eq!(parse_timestamp("100:00:00"), Some(360_000_000));
        for bad in [
            "",
            "12",
            "aa:bb:cc",
            "00:61:00",
            "00:00:60",
            "1:2:3:4",
            "00:00:01,",
            "[00:01",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(parse_timestamp("999999:59:59.999"), Some(3_599_999_999_999));
    }

    #[test]
    fn timestamps_format() {
        assert_eq!(format_timestamp(0), "00:00:00");
        assert_eq!(format_timestamp(754_999), "00:12:34");
        assert_eq!(format_timestamp(3_723_000), "01:02:03");
        assert_eq!(format_timestamp(360_000_000), "100:00:00");
    }

    #[test]
    fn srt_with_crlf_and_speakers() {
        let srt = "1\r\n00:00:01,000 --> 00:00:04,000\r\nNadia : Bonjour,\r\nça va ?\r\n\r\n\
                   2\r\n00:12:34,500 --> 00:12:36,000\r\n<i>NADIA:</i> Très bien.\r\n";
        assert_eq!(
            srt_to_text(srt).unwrap(),
            "[00:00:01] Nadia : Bonjour, ça va ? [00:00:04]\n[00:12:34.500] NADIA: Très bien. [00:12:36]"
        );
        let cues = parse_srt(srt).unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].text, "Nadia : Bonjour,\nça va ?");
        assert_eq!((cues[1].start_ms, cues[1].end_ms), (754_500, 756_000));
    }

    #[test]
    fn srt_without_numbers_or_blank_lines() {
        let srt = "00:00:01.000 --> 00:00:02.000\nun\n2\n00:00:03,000 --> 00:00:04,000\ndeux\n\
                   00:00:05,000 --> 00:00:06,000 X1:10 X2:20\ntrois";
        assert_eq!(
            srt_to_text(srt).unwrap(),
            "[00:00:01] un [00:00:02]\n[00:00:03] deux [00:00:04]\n[00:00:05] trois [00:00:06]"
        );
    }

    #[test]
    fn blank_line_inside_a_cue_keeps_the_text() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nun\n\nsuite\n\n2\n00:00:03,000 --> 00:00:04,000\ndeux\n";
        assert_eq!(
            srt_to_text(srt).unwrap(),
            "[00:00:01] un suite [00:00:02]\n[00:00:03] deux [00:00:04]"
        );
    }

    #[test]
    fn malformed_timestamp_names_the_line() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\nun\n\n2\n00:00:0x,000 --> 00:00:04,000\ndeux\n";
        let err = srt_to_text(srt).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 6: malformed timestamp line « 00:00:0x,000 --> 00:00:04,000 »"
        );
    }

    #[test]
    fn nothing_parsed() {
        assert_eq!(
            srt_to_text("").unwrap_err().to_string(),
            "no subtitle cue found"
        );
        assert_eq!(
            srt_to_text("juste du texte\n").unwrap_err().to_string(),
            "no subtitle cue found"
        );
        assert_eq!(
            vtt_to_text("WEBVTT\n\nNOTE rien\n")
                .unwrap_err()
                .to_string(),
            "no subtitle cue found"
        );
    }

    #[test]
    fn vtt_voices_notes_styles_and_short_times() {
        let vtt = "\u{feff}WEBVTT - entretien\nKind: captions\n\nNOTE\nune note\n--> pas une cue\n\n\
                   STYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:04.000 align:start\n\
                   <v Nadia>Bonjour <b>à</b> tous</v>\n\n\
                   00:00:05.000 --> 00:00:07.000\n<v.loud Jean-Marc Dupont>Salut\n<i>ça va</i> &amp; toi&nbsp;?\n\n\
                   00:08.000 --> 00:09.000\n<v A>Oui</v> <v B>Non</v> <00:08.500>a < b";
        assert_eq!(
            vtt_to_text(vtt).unwrap(),
            "[00:00:01] Nadia : Bonjour à tous [00:00:04]\n\
             [00:00:05] Jean-Marc Dupont : Salut ça va & toi ? [00:00:07]\n\
             [00:00:08] A : Oui B : Non a < b [00:00:09]"
        );
        assert_eq!(vtt_voices(vtt), ["Nadia", "Jean-Marc Dupont", "A", "B"]);
    }

    #[test]
    fn vtt_header_is_not_a_cue_and_ass_tags_are_removed() {
        let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n{\\an8}En haut {pas un tag}";
        assert_eq!(
            vtt_to_text(vtt).unwrap(),
            "[00:00:01] En haut {pas un tag} [00:00:02]"
        );
    }

    #[test]
    fn empty_cues_are_dropped() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n\n3\n00:00:05,000 --> 00:00:06,000\nfin";
        assert_eq!(srt_to_text(srt).unwrap(), "[00:00:05] fin [00:00:06]");
    }

    #[test]
    fn cues_keep_their_milliseconds_and_end_times_through_a_round_trip() {
        // A 0.7 s cue followed by a long silence keeps its end; cues a few hundred ms apart
        // get no end marks of their own (the export ends each at the next one).
        let srt = "1\n00:00:00,300 --> 00:00:01,000\nOui.\n\n\
                   2\n00:01:07,250 --> 00:01:09,900\nAlors voilà.\n\n\
                   3\n00:01:10,100 --> 00:01:12,000\nEt puis non.\n";
        let text = srt_to_text(srt).unwrap();
        assert_eq!(
            text,
            "[00:00:00.300] Oui. [00:00:01]\n[00:01:07.250] Alors voilà.\n[00:01:10.100] Et puis non. [00:01:12]"
        );
        let back = crate::media::transcript::cues(&text, None);
        let times: Vec<(u64, u64)> = back.iter().map(|c| (c.start_ms, c.end_ms)).collect();
        assert_eq!(
            times,
            vec![(300, 1_000), (67_250, 70_100), (70_100, 72_000)]
        );
    }
}
