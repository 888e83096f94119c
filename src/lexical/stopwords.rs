//! Stop words: the function words left out of word frequencies. Built-in lists for French
//! and English, written as spoken in interviews (elided `l`, `d`, `qu`…, fillers such as
//! `euh`, `ben`, `um`); the caller may replace or extend them.

use std::collections::HashSet;

use super::token::fold_word;

/// French stop words, as written (folded when a [`StopWords`] is built: `où` and `ou` are
/// then one). The elided forms stand alone because the apostrophe separates words.
pub const FRENCH: &[&str] = &[
    "a",
    "à",
    "ah",
    "ai",
    "aie",
    "aient",
    "aies",
    "ait",
    "alors",
    "as",
    "au",
    "aucun",
    "aucune",
    "aussi",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avais",
    "avait",
    "avant",
    "avec",
    "avez",
    "aviez",
    "avions",
    "avoir",
    "avons",
    "ayant",
    "bah",
    "beaucoup",
    "ben",
    "bien",
    "bon",
    "c",
    "ça",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "cependant",
    "certain",
    "certains",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "ci",
    "comme",
    "comment",
    "d",
    "dans",
    "de",
    "déjà",
    "depuis",
    "des",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "enfin",
    "entre",
    "es",
    "est",
    "et",
    "étaient",
    "étais",
    "était",
    "étant",
    "été",
    "êtes",
    "étions",
    "être",
    "etc",
    "eu",
    "eue",
    "eux",
    "euh",
    "fait",
    "faire",
    "fais",
    "font",
    "hein",
    "hum",
    "ici",
    "il",
    "ils",
    "j",
    "je",
    "jusqu",
    "l",
    "la",
    "là",
    "le",
    "les",
    "leur",
    "leurs",
    "lorsqu",
    "lui",
    "m",
    "ma",
    "mais",
    "me",
    "même",
    "mêmes",
    "mes",
    "moi",
    "mon",
    "n",
    "ne",
    "ni",
    "non",
    "nos",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "où",
    "ouais",
    "oui",
    "par",
    "parce",
    "pas",
    "peu",
    "peut",
    "plus",
    "pour",
    "pourquoi",
    "puis",
    "puisqu",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "quelqu",
    "quelque",
    "quelques",
    "qui",
    "quoi",
    "quoiqu",
    "s",
    "sa",
    "sans",
    "se",
    "sera",
    "serai",
    "seraient",
    "serais",
    "serait",
    "seront",
    "ses",
    "si",
    "soi",
    "soit",
    "sommes",
    "son",
    "sont",
    "sous",
    "suis",
    "sur",
    "t",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "très",
    "tu",
    "un",
    "une",
    "unes",
    "uns",
    "va",
    "vais",
    "voilà",
    "vont",
    "vos",
    "votre",
    "vous",
    "vu",
    "y",
];

/// English stop words, as written. Contractions are split by their apostrophe, so their
/// pieces (`don`, `t`, `ll`, `ve`…) are listed.
pub const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "couldn",
    "d",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "like",
    "ll",
    "m",
    "me",
    "mean",
    "more",
    "most",
    "mustn",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "really",
    "s",
    "same",
    "shan",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "uh",
    "um",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "we",
    "well",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "would",
    "wouldn",
    "y",
    "yeah",
    "yes",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// A set of stop words, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopWords {
    words: HashSet<String>,
}

impl StopWords {
    /// No stop word.
    pub fn none() -> StopWords {
        StopWords::default()
    }

    /// The built-in French list.
    pub fn french() -> StopWords {
        StopWords::from_words(FRENCH)
    }

    /// The built-in English list.
    pub fn english() -> StopWords {
        StopWords::from_words(ENGLISH)
    }

    /// Both built-in lists (interviews mix them less than surveys do, but it costs nothing).
    pub fn french_and_english() -> StopWords {
        let mut words = StopWords::french();
        words.extend(ENGLISH);
        words
    }

    /// The given words, as written (they are folded; a piece with an apostrophe or hyphen
    /// is folded whole and so never matches one word: give the pieces).
    pub fn from_words<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> StopWords {
        let mut out = StopWords::none();
        out.extend(words);
        out
    }

    /// Adds words, as written.
    pub fn extend<S: AsRef<str>>(&mut self, words: impl IntoIterator<Item = S>) {
        self.words
            .extend(words.into_iter().map(|w| fold_word(w.as_ref().trim())));
    }

    /// Removes a word, as written; whether it was there.
    pub fn remove(&mut self, word: &str) -> bool {
        self.words.remove(&fold_word(word.trim()))
    }

    /// Whether a folded word is a stop word.
    pub fn contains(&self, folded: &str) -> bool {
        self.words.contains(folded)
    }

    /// Number of distinct folded stop words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// One of the two built-in lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StopList {
    /// [`FRENCH`].
    French,
    /// [`ENGLISH`].
    English,
}

impl StopList {
    /// The built-in words of the list.
    pub fn builtin(self) -> &'static [&'static str] {
        match self {
            StopList::French => FRENCH,
            StopList::English => ENGLISH,
        }
    }
}

/// A user's changes to one built-in list: words added and words taken out, as written.
/// Kept as changes rather than as a whole list so that a later version's longer lists
/// still reach a project that edited them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ListEdits {
    /// Words added, in the order added.
    pub added: Vec<String>,
    /// Built-in words taken out.
    pub removed: Vec<String>,
}

/// A user's changes to both built-in lists (what a project keeps, see
/// `app::lexical::stop_word_edits`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct StopWordEdits {
    /// Changes to the French list.
    pub french: ListEdits,
    /// Changes to the English list.
    pub english: ListEdits,
}

impl StopWordEdits {
    /// The changes to one list.
    pub fn changes(&self, list: StopList) -> &ListEdits {
        match list {
            StopList::French => &self.french,
            StopList::English => &self.english,
        }
    }

    fn edits_mut(&mut self, list: StopList) -> &mut ListEdits {
        match list {
            StopList::French => &mut self.french,
            StopList::English => &mut self.english,
        }
    }

    /// Whether both lists are the built-in ones.
    pub fn is_default(&self) -> bool {
        *self == StopWordEdits::default()
    }

    /// A list as edited: its built-in words but those taken out, then the words added.
    pub fn words(&self, list: StopList) -> Vec<String> {
        let edits = self.changes(list);
        let removed: HashSet<String> = edits.removed.iter().map(|w| fold_word(w)).collect();
        list.builtin()
            .iter()
            .filter(|w| !removed.contains(&fold_word(w)))
            .map(|w| w.to_string())
            .chain(edits.added.iter().cloned())
            .collect()
    }

    /// Adds a word to a list (blank, or already there folded: nothing changes); whether it
    /// changed.
    pub fn add(&mut self, list: StopList, word: &str) -> bool {
        let word = word.trim();
        let folded = fold_word(word);
        if folded.is_empty() || self.words(list).iter().any(|w| fold_word(w) == folded) {
            return false;
        }
        let edits = self.edits_mut(list);
        let before = edits.removed.len();
        edits.removed.retain(|w| fold_word(w) != folded);
        if edits.removed.len() == before {
            edits.added.push(word.to_string());
        }
        true
    }

    /// Takes a word out of a list; whether it was there.
    pub fn remove(&mut self, list: StopList, word: &str) -> bool {
        let folded = fold_word(word.trim());
        let builtin = list.builtin().iter().any(|w| fold_word(w) == folded);
        if !self.words(list).iter().any(|w| fold_word(w) == folded) {
            return false;
        }
        let edits = self.edits_mut(list);
        edits.added.retain(|w| fold_word(w) != folded);
        if builtin {
            edits.removed.push(word.trim().to_string());
        }
        true
    }

    /// Puts a list back as built in.
    pub fn reset(&mut self, list: StopList) {
        *self.edits_mut(list) = ListEdits::default();
    }

    /// The lines that turn the built-in stop words into these lists, in the format of
    /// `analysis::words::stop_words`: none when nothing changed, else `!none` and every
    /// word of both lists (a word taken out of one list but kept in the other stays a stop
    /// word, which `-word` lines could not say).
    pub fn lines(&self) -> Vec<String> {
        if self.is_default() {
            return Vec::new();
        }
        std::iter::once("!none".to_string())
            .chain(self.words(StopList::French))
            .chain(self.words(StopList::English))
            .collect()
    }

    /// The stop words of both lists as edited.
    pub fn stop_words(&self) -> StopWords {
        let mut set = StopWords::from_words(self.words(StopList::French));
        set.extend(self.words(StopList::English));
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Edits add and take out words by list, folded; taking out a word of one list keeps
    // it a stop word when the other list has it; reset puts a list back.
    #[test]
    fn edits_of_each_list() {
        let mut edits = StopWordEdits::default();
        assert!(edits.lines().is_empty());
        assert!(edits.add(StopList::French, "Territoire"));
        assert!(!edits.add(StopList::French, "territoire"));
        assert!(!edits.add(StopList::French, "Déjà"));
        assert!(edits.remove(StopList::French, "alors"));
        assert!(!edits.remove(StopList::French, "alors"));
        // « a » is in both lists: out of the French one, still a stop word.
        assert!(edits.remove(StopList::French, "a"));
        let set = edits.stop_words();
        assert!(set.contains("territoire") && !set.contains("alors") && set.contains("a"));
        assert_eq!(edits.lines()[0], "!none");
        assert!(
            edits
                .words(StopList::French)
                .contains(&"Territoire".to_string())
        );
        // Taking out an added word forgets it; adding back a removed one restores it.
        assert!(edits.remove(StopList::French, "territoire"));
        assert!(edits.french.added.is_empty());
        assert!(edits.add(StopList::French, "Alors"));
        assert_eq!(edits.french.removed, ["a"]);
        edits.reset(StopList::French);
        assert!(edits.is_default());
        assert_eq!(edits.words(StopList::English).len(), ENGLISH.len());
    }

    #[test]
    fn lists_are_folded_and_of_a_useful_size() {
        let fr = StopWords::french();
        assert!((150..=300).contains(&FRENCH.len()) && (150..=300).contains(&ENGLISH.len()));
        for elided in ["l", "d", "qu", "j", "c", "s", "n", "m"] {
            assert!(fr.contains(elided), "{elided}");
        }
        assert!(fr.contains("etre") && fr.contains("ou") && !fr.contains("où"));
        let mut both = StopWords::french_and_english();
        assert!(both.contains("the") && both.contains("deja"));
        assert!(both.remove("Déjà") && !both.contains("deja"));
    }
}
