//! Guards against the model's known failures: phrase loops, and the subtitle credits it
//! learnt from films and writes over silence or noise.

/// Subtitle credits and video sign-offs that Whisper writes where nobody speaks (they fill
/// the end of many of its training videos). A segment that is only one of these, once
/// lower-cased and stripped of punctuation, is dropped.
const CREDITS: &[&str] = &[
    "sous-titrage",
    "sous titrage",
    "sous-titres réalisés",
    "sous titres réalisés",
    "sous-titres par",
    "amara.org",
    "merci d'avoir regardé",
    "merci d’avoir regardé",
    "abonnez-vous",
    "thanks for watching",
    "thank you for watching",
    "subtitles by",
];

/// `true` when `text` is nothing but a subtitle credit or a video sign-off.
pub fn is_credit(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    CREDITS.iter().any(|c| t.starts_with(c)) && t.chars().count() < 80
}

/// A word as compared for repetition: lower-cased, letters and digits only.
pub(crate) fn normalize_word(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Longest phrase (in words) looked for as a loop.
const MAX_NGRAM: usize = 12;

/// Which words of `words` to keep so that no phrase of two or more words appears three
/// times or more in a row (nor one word four times: "non, non, non" is French, a fourth is
/// a loop); the first occurrence stays. Words are compared lower-cased, by their letters and digits only.
pub fn loop_free(words: &[&str]) -> Vec<bool> {
    let norm: Vec<String> = words.iter().map(|w| normalize_word(w)).collect();
    let mut keep = vec![true; words.len()];
    let mut i = 0;
    while i < norm.len() {
        match longest_loop(&norm, i) {
            Some((n, repeats)) => {
                keep[i + n..i + n * repeats]
                    .iter_mut()
                    .for_each(|k| *k = false);
                i += n * repeats;
            }
            None => i += 1,
        }
    }
    keep
}

/// The phrase length and repeat count of a loop starting at word `i`, if any.
fn longest_loop(norm: &[String], i: usize) -> Option<(usize, usize)> {
    for n in 1..=MAX_NGRAM.min((norm.len() - i) / 2) {
        let phrase = &norm[i..i + n];
        if phrase.iter().all(|w| w.is_empty()) {
            continue;
        }
        let mut repeats = 1;
        while i + n * (repeats + 1) <= norm.len()
            && norm[i + n * repeats..i + n * (repeats + 1)] == *phrase
        {
            repeats += 1;
        }
        let needed = if n == 1 { 4 } else { 3 };
        if repeats >= needed {
            return Some((n, repeats));
        }
    }
    None
}
