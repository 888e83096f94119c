//! The units a passage can be widened to before it is coded: word, sentence, paragraph,
//! speaker turn, document. All are char spans of the stored text, trimmed of surrounding
//! whitespace, sorted and disjoint.
//!
//! - A **word** here is what a coder means by one: the tokenizer's words joined across a
//!   hyphen (`peut-être`, `Jean-Marc`) or an apostrophe inside a word (`aujourd’hui`), but
//!   not after an elided article or pronoun (`l’`, `d’`, `qu’`, `jusqu’`…: `l’État` gives
//!   `État`).
//! - A **paragraph** is a line of the stored text (importers write one paragraph per line);
//!   blank lines are not units.
//! - A **sentence** ends after `.`, `!`, `?`, `…` (or a run of them, `?!`, `...`) and the
//!   closing quotes or brackets that follow (`« Non. »`), when what comes next is not lower
//!   case (`etc. et`, `? dit-elle` go on), unless the dot ends a number (`3.5`), an address
//!   (`www.x.fr`), an initial (`Nadia B.`) or a title or reference (`M.`, `Mme.`, `Dr.`,
//!   `cf.`, `p.`…). A sentence never crosses a line break, and a speaker label opening the
//!   line is not part of the first sentence.
//! - A **turn** starts at a line that opens with a speaker label — `Enquêtrice :`,
//!   `Nadia B. :`, `[00:01:02] Enquêteur :`, `Interviewer:` — and runs to the next one; the
//!   text before the first label is a turn of its own, and a text without labels is one
//!   turn. See [`speaker_label`] for what counts as a label.

use std::collections::HashMap;
use std::ops::Range;

use super::token::{fold_word, scan_words};
use super::{Span, chars_of_bytes};

/// A kind of unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Unit {
    /// A word, hyphenated compounds whole.
    Word,
    /// A sentence.
    Sentence,
    /// A line.
    Paragraph,
    /// A speaker's turn.
    Turn,
    /// The whole text.
    Document,
}

/// The units of `text` of one kind, in chars (a document: the whole text, untrimmed).
pub fn units(text: &str, unit: Unit) -> Vec<Span> {
    let ranges = match unit {
        Unit::Word => word_bytes(text),
        Unit::Sentence => sentence_bytes(text),
        Unit::Paragraph => paragraph_bytes(text),
        Unit::Turn => turn_bytes(text),
        Unit::Document => return vec![Span::new(0, text.chars().count())],
    };
    to_spans(text, &ranges)
}

/// Widens `range` (chars) to whole units: from the start of the first unit it touches to the
/// end of the last (whitespace of `range` outside them is dropped). An empty range touches
/// the unit it is in or at an edge of. A range touching none widens to the next unit after
/// it, else the last one before it, else stays as it is.
pub fn expand(text: &str, range: Span, unit: Unit) -> Span {
    expand_in(&units(text, unit), range)
}

/// [`expand`] with the text's units already cut ([`units`]: sorted, disjoint), found by
/// binary search: for widening many ranges of one text.
pub fn expand_in(spans: &[Span], range: Span) -> Span {
    let touches = |u: &Span| {
        if range.is_empty() {
            u.start <= range.start && range.start <= u.end
        } else {
            u.start < range.end && range.start < u.end
        }
    };
    let first = spans.partition_point(|u| {
        if range.is_empty() {
            u.end < range.start
        } else {
            u.end <= range.start
        }
    });
    let last = first + spans[first..].iter().take_while(|u| touches(u)).count();
    if last > first {
        return Span::new(spans[first].start, spans[last - 1].end);
    }
    let after = spans.partition_point(|u| u.start < range.end);
    spans
        .get(after)
        .or_else(|| spans.iter().rev().find(|u| u.end <= range.start))
        .copied()
        .unwrap_or(range)
}

/// A selection widened to whole words, as a coder selecting with the mouse means it: an
/// end that falls inside a [`Unit::Word`] (compounds whole, an elided `l’` apart) moves out
/// to that word's edge; an end between words, and an empty range, stay where they are.
/// `text` need only hold the words around the ends (a paragraph will do): words are cut in
/// it alone, in one pass.
pub fn snap_to_words(text: &str, range: Span) -> Span {
    if range.is_empty() {
        return range;
    }
    let words = units(text, Unit::Word);
    let inside = |at: usize| words.iter().find(|w| w.start < at && at < w.end);
    Span::new(
        inside(range.start).map_or(range.start, |w| w.start),
        inside(range.end).map_or(range.end, |w| w.end),
    )
}

/// Char spans of sorted, disjoint byte ranges of `text`.
fn to_spans(text: &str, ranges: &[Range<usize>]) -> Vec<Span> {
    let bounds: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
    let chars = chars_of_bytes(text, &bounds);
    chars.chunks(2).map(|p| Span::new(p[0], p[1])).collect()
}

/// `range` of `text` without its leading and trailing whitespace.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// Each line of `text` (without its `\n`), blank ones included.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    std::iter::from_fn(move || {
        let end = ends.next()?;
        let line = start..end;
        start = end + 1;
        Some(line)
    })
}

/// The paragraphs (non-blank lines, trimmed), in bytes.
pub(crate) fn paragraph_bytes(text: &str) -> Vec<Range<usize>> {
    lines(text)
        .map(|l| trim(text, l))
        .filter(|r| !r.is_empty())
        .collect()
}

const ELIDED: [&str; 15] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu",
];

/// The words joined into compounds (see the module doc), in bytes.
pub(crate) fn word_bytes(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last_fold = String::new();
    let mut buffer = String::new();
    scan_words(text, &mut buffer, |raw, folded| {
        let joined = out.last_mut().filter(|prev| {
            let gap = &text[prev.end..raw.start_byte];
            match gap {
                "-" | "\u{2010}" => true,
                "'" | "’" => !ELIDED.contains(&last_fold.as_str()),
                _ => false,
            }
        });
        match joined {
            Some(prev) => prev.end = raw.end_byte,
            None => out.push(raw.start_byte..raw.end_byte),
        }
        last_fold.clear();
        last_fold.push_str(folded);
    });
    out
}

/// A speaker label found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The speaker's name as written (`Nadia B.`), without time mark or colon.
    pub name: String,
    /// Byte offset in the line just past the colon and the spaces after it: where the
    /// speech starts.
    pub speech_byte: usize,
    /// Whether the name looks like one by itself: every word capitalised or a number
    /// (`de`, `la`… allowed after the first). Other names count only when they open
    /// two lines of the same text or more.
    pub capitalised: bool,
}

/// The speaker label opening `line`, if it has the shape of one: an optional time mark
/// (`[00:01:02]`, `(01:02)`), then a name of 1–40 chars in at most five words, made of
/// letters, digits, spaces, `-`, `'`, `’` and `.`, starting with a letter, then a colon
/// followed by a space or the end of the line (so `10:30` and `http://` are not labels).
pub fn speaker_label(line: &str) -> Option<Label> {
    let body = line.trim_start();
    let mut at = line.len() - body.len();
    at += time_mark_len(&line[at..]);
    at = line.len() - line[at..].trim_start().len();
    let rest = &line[at..];
    let colon = rest.find(':')?;
    let name = rest[..colon].trim_end();
    let after = &rest[colon + 1..];
    let count = name.chars().count();
    let shape = (1..=40).contains(&count)
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name.split_whitespace().count() <= 5
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || " -'’.\u{a0}\u{202f}".contains(c))
        && after.chars().next().is_none_or(char::is_whitespace);
    if !shape {
        return None;
    }
    let speech = after.len() - after.trim_start().len();
    Some(Label {
        name: name.to_string(),
        speech_byte: at + colon + 1 + speech,
        capitalised: name.split_whitespace().enumerate().all(|(k, word)| {
            let first = word.chars().next().unwrap_or(' ');
            first.is_uppercase() || first.is_numeric() || (k > 0 && PARTICLES.contains(&word))
        }),
    })
}

const PARTICLES: [&str; 12] = [
    "de", "du", "des", "la", "le", "d’", "d'", "van", "von", "di", "da", "del",
];

/// Length in bytes of a time mark opening `s` (`[hh:mm:ss]`, `(mm:ss,mmm)`…), 0 if none.
fn time_mark_len(s: &str) -> usize {
    let close = match s.chars().next() {
        Some('[') => ']',
        Some('(') => ')',
        _ => return 0,
    };
    let Some(end) = s[1..].find(close) else {
        return 0;
    };
    let inner = &s[1..1 + end];
    let is_time = inner.contains(':')
        && inner.len() <= 14
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || ":.,".contains(c));
    if is_time { end + 2 } else { 0 }
}

/// The lines of `text` that open a turn, with the byte where their speech starts: lines
/// with a label shaped like a name, or whose name opens two lines or more.
fn label_lines(text: &str) -> Vec<(Range<usize>, usize)> {
    let found: Vec<(Range<usize>, Label)> = lines(text)
        .filter_map(|l| speaker_label(&text[l.clone()]).map(|label| (l, label)))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, label) in &found {
        *seen.entry(fold_word(&label.name)).or_default() += 1;
    }
    found
        .into_iter()
        .filter(|(_, label)| label.capitalised || seen[&fold_word(&label.name)] >= 2)
        .map(|(line, label)| {
            let speech = line.start + label.speech_byte;
            (line, speech)
        })
        .collect()
}

/// The text without its speaker labels and the time marks before them: the slices to count
/// words in, so that `Enquêtrice` is not the most frequent word of every interview.
pub fn without_labels(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (line, speech) in label_lines(text) {
        out.push(&text[from..line.start]);
        from = speech;
    }
    out.push(&text[from..]);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The turns, in bytes (see the module doc).
pub(crate) fn turn_bytes(text: &str) -> Vec<Range<usize>> {
    let starts: Vec<usize> = label_lines(text)
        .into_iter()
        .map(|(l, _)| l.start)
        .collect();
    let mut bounds = vec![0];
    bounds.extend(starts.iter().copied().filter(|&s| s > 0));
    bounds.push(text.len());
    bounds
        .windows(2)
        .map(|w| trim(text, w[0]..w[1]))
        .filter(|r| !r.is_empty())
        .collect()
}

/// The sentences, in bytes (see the module doc).
pub(crate) fn sentence_bytes(text: &str) -> Vec<Range<usize>> {
    let labels = label_lines(text);
    let mut next_label = labels.iter().peekable();
    let mut out = Vec::new();
    for line in lines(text) {
        let mut from = line.start;
        while let Some((l, speech)) = next_label.peek() {
            if l.start > line.start {
                break;
            }
            if l.start == line.start {
                from = *speech;
            }
            next_label.next();
        }
        split_sentences(text, from..line.end, &mut out);
    }
    out
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '’' | ')' | ']')
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Abbreviations after which a single dot does not end a sentence, even before a capital
/// or a number (`M. Dupont`, `cf. Chapitre 2`, `p. 12`).
const ABBREVIATIONS: [&str; 30] = [
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Pr", "Me", "Mgr", "St", "Ste", "Mr", "Mrs",
    "Ms", "Prof", "cf", "Cf", "p", "pp", "ex", "Ex", "vol", "chap", "art", "fig", "coll", "éd",
    "env", "vs",
];

/// Splits one line's stretch `range` of `text` into sentences, pushed onto `out`. Only the
/// terminators are looked at closely: the bytes between them are skipped unread.
fn split_sentences(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let line = &text[range.clone()];
    let base = range.start;
    let Some(mut start) = next_solid(line, 0) else {
        return;
    };
    let mut from = start;
    while let Some(run) = find_terminator(line, from) {
        let mut run_end = run;
        while let Some(c) = char_at(line, run_end).filter(|&c| is_terminator(c)) {
            run_end += c.len_utf8();
        }
        from = run_end;
        let single_dot = run_end - run == 1 && line.as_bytes()[run] == b'.';
        if single_dot && char_at(line, run_end).is_some_and(char::is_alphanumeric) {
            continue; // 3.5, www.x.fr
        }
        // Closing quotes and brackets belong to the sentence, French spaces before them too.
        let mut end = run_end;
        while let Some(j) = next_solid(line, end) {
            match char_at(line, j).filter(|&c| is_closer(c)) {
                Some(c) => end = j + c.len_utf8(),
                None => break,
            }
        }
        let next = next_solid(line, end);
        let goes_on = next.is_some_and(|j| char_at(line, j).is_some_and(char::is_lowercase))
            || (single_dot && next.is_some() && is_abbreviation(&line[..run]));
        if goes_on {
            from = end;
            continue;
        }
        out.push(base + start..base + end);
        match next {
            Some(j) => (start, from) = (j, j),
            None => return,
        }
    }
    let last = trim(text, base + start..range.end);
    if !last.is_empty() {
        out.push(last);
    }
}

/// Byte offset of the first `.`, `!`, `?` or `…` of `line` at or after `from`.
fn find_terminator(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'.' | b'!' | b'?' => return Some(i),
            0xE2 if bytes[i..].starts_with("…".as_bytes()) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The char at byte `at` of `s`, if any.
fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..)?.chars().next()
}

/// Byte offset of the first char of `s` at or after `from` that is not whitespace.
fn next_solid(s: &str, from: usize) -> Option<usize> {
    s[from..]
        .char_indices()
        .find(|&(_, c)| !is_space(c))
        .map(|(i, _)| from + i)
}

/// Whether the letters that end `before` (just before a dot) are an initial or a known
/// abbreviation.
fn is_abbreviation(before: &str) -> bool {
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphabetic())
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[start..];
    let mut letters = word.chars();
    let initial = matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
    initial || ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, unit: Unit) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        units(text, unit)
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn sentences_with_abbreviations_decimals_and_quotes() {
        let text = "M. Dupont l’a dit, cf. Chapitre 2. Il vient à 3.5 km… enfin, etc. et \
                    voilà ! « Non. » Puis : « pourquoi ? » dit-elle. Vraiment?! Oui\n\
                    suite sans point";
        assert_eq!(
            texts(text, Unit::Sentence),
            [
                "M. Dupont l’a dit, cf. Chapitre 2.",
                "Il vient à 3.5 km… enfin, etc. et voilà !",
                "« Non. »",
                "Puis : « pourquoi ? » dit-elle.",
                "Vraiment?!",
                "Oui",
                "suite sans point",
            ]
        );
        assert_eq!(
            texts(
                "Voir www.fouille.fr. Fin... Nadia B. est là. etc. Ensuite",
                Unit::Sentence
            ),
            [
                "Voir www.fouille.fr.",
                "Fin...",
                "Nadia B. est là. etc.",
                "Ensuite"
            ]
        );
    }

    #[test]
    fn turns_start_at_labels() {
        let text = "Entretien du 3 mai\n\n\
                    [00:01:02] Enquêtrice : Bonjour.\nVous allez bien ?\n\
                    Nadia B. : Oui : très.\n\
                    Il a dit : non.\n\
                    Enquêtrice: Et ensuite ?\n\
                    vers 10:30 : rien\n\
                    la responsable : bon.\n\
                    la responsable : bien.";
        assert_eq!(
            texts(text, Unit::Turn),
            [
                "Entretien du 3 mai",
                "[00:01:02] Enquêtrice : Bonjour.\nVous allez bien ?",
                "Nadia B. : Oui : très.\nIl a dit : non.",
                "Enquêtrice: Et ensuite ?\nvers 10:30 : rien",
                "la responsable : bon.",
                "la responsable : bien.",
            ]
        );
        // Sentences leave the label out.
        assert_eq!(
            texts("[00:01:02] Enquêtrice : Bonjour. Ça va ?", Unit::Sentence),
            ["Bonjour.", "Ça va ?"]
        );
        assert_eq!(texts("  pas de label  ", Unit::Turn), ["pas de label"]);
        assert_eq!(
            without_labels(text),
            [
                "Entretien du 3 mai\n\n",
                "Bonjour.\nVous allez bien ?\n",
                "Oui : très.\nIl a dit : non.\n",
                "Et ensuite ?\nvers 10:30 : rien\n",
                "bon.\n",
                "bien."
            ]
        );
        let label = speaker_label("  (01:02) Jean-Marc de la Tour :  Oui").unwrap();
        assert_eq!(
            (label.name.as_str(), label.capitalised),
            ("Jean-Marc de la Tour", true)
        );
        assert_eq!(
            &"  (01:02) Jean-Marc de la Tour :  Oui"[label.speech_byte..],
            "Oui"
        );
        assert!(speaker_label("http://x.fr : lien").is_none());
        assert!(speaker_label("3 : trois").is_none());
    }

    // A selection snaps out to whole words: inside « alors », inside a hyphenated or an
    // apostrophed word (either apostrophe), never past an elided article, never across
    // an emoji or a line break; ends between words stay.
    #[test]
    fn selections_snap_to_whole_words() {
        let text = "Et alors l’État, peut-être aujourd'hui 😀 Jean-Marc.\nSuite";
        let snap = |s: usize, e: usize| {
            let span = snap_to_words(text, Span::new(s, e));
            text.chars()
                .skip(span.start)
                .take(span.len())
                .collect::<String>()
        };
        // "Et a|lo|rs": the whole word.
        assert_eq!(snap(4, 6), "alors");
        // From inside « alors » to inside « État »: l’ is a word of its own.
        assert_eq!(snap(5, 13), "alors l’État");
        // Inside « État » only: the elided « l’ » stays out.
        assert_eq!(snap(12, 13), "État");
        // Hyphen and straight apostrophe: compounds whole.
        assert_eq!(snap(22, 23), "peut-être");
        assert_eq!(snap(30, 31), "aujourd'hui");
        // Ends already between words do not move (the space before « alors » stays in).
        assert_eq!(snap(2, 8), " alors");
        // The emoji is no word: a range ending in it stays; one ending in « Jean » widens.
        assert_eq!(snap(39, 41), "😀 ");
        assert_eq!(snap(40, 44), " Jean-Marc");
        // A range across the line break keeps its line-break char and widens « Su|ite ».
        assert_eq!(snap(50, 54), ".\nSuite");
        // An empty range (a caret) stays a caret.
        assert_eq!(snap_to_words(text, Span::new(5, 5)), Span::new(5, 5));
    }

    #[test]
    fn words_paragraphs_and_expansion() {
        let text = "L’État, peut-être aujourd’hui 😀 Jean-Marc.\n\n  Deuxième ligne  ";
        assert_eq!(
            texts(text, Unit::Word),
            [
                "L",
                "État",
                "peut-être",
                "aujourd’hui",
                "Jean-Marc",
                "Deuxième",
                "ligne"
            ]
        );
        assert_eq!(
            texts(text, Unit::Paragraph),
            [&text[..text.find('\n').unwrap()], "Deuxième ligne"]
        );
        // "pe|ut" → peut-être; a caret right after "État"; a range over two words.
        assert_eq!(expand(text, Span::new(9, 10), Unit::Word), Span::new(8, 17));
        assert_eq!(expand(text, Span::new(6, 6), Unit::Word), Span::new(2, 6));
        assert_eq!(expand(text, Span::new(3, 10), Unit::Word), Span::new(2, 17));
        // In the emoji between words: the next word.
        assert_eq!(
            expand(text, Span::new(30, 31), Unit::Word),
            Span::new(32, 41)
        );
        let chars: Vec<char> = text.chars().collect();
        let para = expand(text, Span::new(50, 52), Unit::Paragraph);
        assert_eq!(
            chars[para.start..para.end].iter().collect::<String>(),
            "Deuxième ligne"
        );
        assert_eq!(
            expand(text, Span::new(45, 45), Unit::Paragraph),
            Span::new(46, 60)
        );
        assert_eq!(
            expand(text, Span::new(3, 4), Unit::Document),
            Span::new(0, chars.len())
        );
        assert_eq!(expand("   ", Span::new(1, 2), Unit::Word), Span::new(1, 2));
    }
}
