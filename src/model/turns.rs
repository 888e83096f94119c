//! Speaker turns in a transcript made without a speaker model: each paragraph is taken as
//! one turn, and the speakers take turns in the order given ("new paragraph = new turn").
//! An interview between an interviewer and one respondent alternates this way, so labelling
//! an automatic transcript becomes a matter of checking rather than typing every label.

/// How a text is cut into turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnUnit {
    /// Blocks separated by a blank line (automatic transcripts, noScribe).
    Paragraph,
    /// Every non-empty line (transcripts typed with one line per turn).
    Line,
}

impl TurnUnit {
    /// Paragraphs when the text has a blank line between two lines of text, else lines.
    pub fn of(text: &str) -> TurnUnit {
        let blank_between = text.trim().split('\n').any(|line| line.trim().is_empty());
        if blank_between {
            TurnUnit::Paragraph
        } else {
            TurnUnit::Line
        }
    }
}

/// `text` with a speaker label (`Name : `) at the start of each turn that has none, after
/// its time mark if it opens with one. The speakers alternate in the order given; a turn
/// that already has the label of one of them sets the rotation (the next turn goes to the
/// speaker after it), so labels checked by hand are kept and followed. Returns the text and
/// how many labels were added. With no speakers the text is returned as is.
pub fn label_turns(text: &str, speakers: &[String], unit: TurnUnit) -> (String, usize) {
    let speakers: Vec<&str> = speakers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if speakers.is_empty() {
        return (text.to_string(), 0);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut next = 0;
    let mut added = 0;
    let mut at_turn_start = true;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if content.trim().is_empty() {
            at_turn_start = true;
            out.push_str(line);
            continue;
        }
        if at_turn_start || unit == TurnUnit::Line {
            let (mark, rest) = super::timestamps::split_leading_mark(content);
            match speakers.iter().position(|s| has_label(rest, s)) {
                Some(found) => {
                    next = (found + 1) % speakers.len();
                    out.push_str(line);
                }
                None => {
                    out.push_str(mark);
                    out.push_str(speakers[next]);
                    out.push_str(" : ");
                    out.push_str(rest);
                    out.push_str(&line[content.len()..]);
                    next = (next + 1) % speakers.len();
                    added += 1;
                }
            }
        } else {
            out.push_str(line);
        }
        at_turn_start = false;
    }
    (out, added)
}

/// Whether `text` opens with `speaker`'s label (`Name :` or `Name:`).
fn has_label(text: &str, speaker: &str) -> bool {
    text.strip_prefix(speaker)
        .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paragraphs_alternate_after_their_marks() {
        let text =
            "[00:00:00] Bonjour.\n\n[00:00:04] Bonjour, merci.\nÇa va ?\n\n[00:00:09] Oui.\n";
        let (out, added) = label_turns(text, &names(&["Enquêtrice", "Agent"]), TurnUnit::of(text));
        assert_eq!(
            out,
            "[00:00:00] Enquêtrice : Bonjour.\n\n[00:00:04] Agent : Bonjour, merci.\nÇa va ?\n\n[00:00:09] Enquêtrice : Oui.\n"
        );
        assert_eq!(added, 3);
        // A second run adds nothing.
        assert_eq!(
            label_turns(&out, &names(&["Enquêtrice", "Agent"]), TurnUnit::Paragraph),
            (out.clone(), 0)
        );
    }

    #[test]
    fn a_label_set_by_hand_sets_the_rotation_and_lines_are_turns_without_blank_lines() {
        let text = "Alors.\nAgent: Non, moi d'abord.\nD'accord.\nPuis ?";
        assert_eq!(TurnUnit::of(text), TurnUnit::Line);
        let (out, added) = label_turns(text, &names(&["Enquêtrice", "Agent"]), TurnUnit::Line);
        assert_eq!(
            out,
            "Enquêtrice : Alors.\nAgent: Non, moi d'abord.\nEnquêtrice : D'accord.\nAgent : Puis ?"
        );
        assert_eq!(added, 3);
        assert_eq!(
            label_turns(text, &[], TurnUnit::Line),
            (text.to_string(), 0)
        );
    }
}
