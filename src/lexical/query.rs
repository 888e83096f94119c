//! The query language, parsed into a [`Query`].
//!
//! - `word`: the word, whatever its accents, case and ligatures (`coeur` finds `Cœur`);
//! - `prefix*`: any word starting so (`admin*`); a `*` only ends a word;
//! - `"an exact phrase"` (also `« … »` and `“ … ”`): those words in that order, with only
//!   spaces, line breaks, punctuation or emoji between them. A bare token that the
//!   tokenizer splits is a phrase too: `l’État` is `"l État"`, `peut-être` is `"peut être"`;
//! - `NEAR(a b, 5)`, also `PRES(…)`, `PRÈS(…)`, `PROCHE(…)`: two words or phrases, either
//!   order, with at most 5 words between them (0 = side by side; the distance may be
//!   left out: 10);
//! - `AND` / `ET`, `OR` / `OU`, `NOT` / `SAUF` (any case; `où` is a word), parentheses.
//!   Words side by side are joined by AND; `a NOT b` is `a AND (NOT b)`. NOT binds tighter
//!   than AND, AND tighter than OR. To look for the words `et` or `ou`, quote them.
//!
//! A token with no word in it (punctuation, emoji) is skipped, as the text's own
//! punctuation is. What a malformed query gets is a [`QueryError`]: its kind, the offending
//! token and that token's char position in the query, for the UI to underline.

use super::token::{is_word_char, scan_words};

/// The largest NEAR distance accepted, in words between the two operands: beyond it a pair
/// is no longer "near", and every pair has to be listed.
pub const MAX_NEAR_DISTANCE: u32 = 100;

/// NEAR's distance when the query leaves it out (FTS5's too).
pub const DEFAULT_NEAR_DISTANCE: u32 = 10;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    root: Node,
}

/// A node of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word, a prefix or a phrase.
    Term(Term),
    /// Two terms with at most `max_between` words between them, in either order.
    Near {
        /// One operand.
        a: Term,
        /// The other.
        b: Term,
        /// Words allowed between the two occurrences (0 = adjacent).
        max_between: u32,
    },
    /// Every operand (two or more; nested ANDs are flattened).
    And(Vec<Node>),
    /// Any operand (two or more; nested ORs are flattened).
    Or(Vec<Node>),
    /// The operand absent.
    Not(Box<Node>),
}

/// Consecutive words to find: one word, or a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The words in order; never empty.
    pub words: Vec<TermWord>,
}

/// One word of a [`Term`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermWord {
    /// Its folded form (see [`super::token`]).
    pub folded: String,
    /// Whether any word starting with `folded` matches (written `word*`).
    pub prefix: bool,
}

impl TermWord {
    /// Whether a text word, folded, matches this one.
    pub fn matches(&self, folded_word: &str) -> bool {
        if self.prefix {
            folded_word.starts_with(self.folded.as_str())
        } else {
            folded_word == self.folded
        }
    }
}

/// Why a query could not be parsed, and where: `token` is the offending piece of the query
/// as typed and `at` its char position in the query (what the UI underlines).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} at char {at}: {token:?}")]
pub struct QueryError {
    /// What is wrong.
    pub kind: QueryErrorKind,
    /// The offending token as typed (the whole query for [`QueryErrorKind::Empty`]).
    pub token: String,
    /// Char position of `token` in the query.
    pub at: usize,
}

impl QueryError {
    /// The chars of the query to underline, end exclusive.
    pub fn span(&self) -> super::Span {
        super::Span::new(self.at, self.at + self.token.chars().count())
    }
}

/// The kinds of [`QueryError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryErrorKind {
    /// No word to look for: empty, blank, or only punctuation and emoji.
    Empty,
    /// An opening parenthesis never closed (the token is the `(`).
    UnclosedParen,
    /// A closing parenthesis with no opening one.
    UnmatchedParen,
    /// Parentheses with nothing inside (the token is the `(`).
    EmptyGroup,
    /// A quote never closed (the token is the opening quote).
    UnclosedQuote,
    /// Quotes with no word inside (the token is the opening quote).
    EmptyPhrase,
    /// AND, OR or NOT (or their French forms) with an operand missing (the token is the
    /// operator).
    MissingOperand,
    /// A `*` with no word before it.
    LoneStar,
    /// A `*` that does not end a word (`ch*at`, `a**`; the token is the `*`).
    MisplacedStar,
    /// NEAR with nothing in its parentheses (the token is the operator).
    EmptyNear,
    /// NEAR with a single operand (the token is the operator).
    NearNeedsTwo,
    /// NEAR with more than two operands (the token is the first extra one; a distance
    /// needs a comma before it).
    NearTooMany,
    /// An operator, parenthesis or NEAR inside NEAR's parentheses.
    NearOperator,
    /// NEAR's distance missing after the comma, not a whole number, or above
    /// [`MAX_NEAR_DISTANCE`] (the token is the distance, or the comma if it is missing).
    BadDistance,
}

/// A query split into pieces, before parsing.
#[derive(Debug, Clone)]
struct Lexeme {
    kind: LexKind,
    /// As typed (a quoted phrase: with its quotes).
    text: String,
    /// Char position of the token (a quoted phrase: of its opening quote).
    at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LexKind {
    Open,
    Close,
    Comma,
    /// A quoted phrase.
    Quoted,
    Bare,
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '«' => Some('»'),
        '“' => Some('”'),
        _ => None,
    }
}

/// Splits the query into parentheses, commas, quoted phrases and bare tokens.
fn lex(query: &str) -> Result<Vec<Lexeme>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let single = |kind, c: char, at| Lexeme {
        kind,
        text: c.to_string(),
        at,
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(single(LexKind::Open, c, i));
            i += 1;
        } else if c == ')' {
            out.push(single(LexKind::Close, c, i));
            i += 1;
        } else if c == ',' {
            out.push(single(LexKind::Comma, c, i));
            i += 1;
        } else if let Some(close) = closing_quote(c) {
            let end = (i + 1..chars.len())
                .find(|&j| chars[j] == close)
                .ok_or_else(|| error(QueryErrorKind::UnclosedQuote, c.to_string(), i))?;
            out.push(Lexeme {
                kind: LexKind::Quoted,
                text: chars[i..=end].iter().collect(),
                at: i,
            });
            i = end + 1;
        } else {
            let start = i;
            while i < chars.len() && !ends_bare(&chars, i, start) {
                i += 1;
            }
            out.push(Lexeme {
                kind: LexKind::Bare,
                text: chars[start..i].iter().collect(),
                at: start,
            });
        }
    }
    Ok(out)
}

/// Whether char `i` ends the bare token that started at `start`. A comma between two
/// letters or digits (`3,5`) stays inside; elsewhere it is NEAR's separator.
fn ends_bare(chars: &[char], i: usize, start: usize) -> bool {
    let c = chars[i];
    if c == ',' {
        let inside = i > start
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        return !inside;
    }
    c.is_whitespace() || c == '(' || c == ')' || closing_quote(c).is_some()
}

fn error(kind: QueryErrorKind, token: impl Into<String>, at: usize) -> QueryError {
    QueryError {
        kind,
        token: token.into(),
        at,
    }
}

/// A lexeme classified for the parser.
#[derive(Debug, Clone)]
struct Tok {
    kind: TokKind,
    text: String,
    at: usize,
}

#[derive(Debug, Clone)]
enum TokKind {
    Open,
    Close,
    Comma,
    And,
    Or,
    Not,
    /// NEAR and its French forms, always followed by an `Open`.
    Near,
    Term(Term),
}

/// The words of a bare token or a phrase body that starts at char `at` of the query, with
/// their prefix stars; `Ok(None)` when it has neither word nor star.
fn term_of(text: &str, at: usize) -> Result<Option<Term>, QueryError> {
    let mut words: Vec<(TermWord, usize)> = Vec::new();
    let mut buffer = String::new();
    scan_words(text, &mut buffer, |raw, folded| {
        let word = TermWord {
            folded: folded.to_string(),
            prefix: text[raw.end_byte..].starts_with('*'),
        };
        words.push((word, raw.end_char));
    });
    // Every star must directly follow a word and not be followed by one.
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        if c != '*' {
            continue;
        }
        let after_word = words.iter().any(|&(_, end)| end == k);
        let before_word = chars
            .get(k + 1)
            .is_some_and(|&n| is_word_char(n) || n == '*');
        if words.is_empty() {
            return Err(error(QueryErrorKind::LoneStar, text.trim(), at));
        }
        if !after_word || before_word {
            return Err(error(QueryErrorKind::MisplacedStar, "*", at + k));
        }
    }
    Ok((!words.is_empty()).then(|| Term {
        words: words.into_iter().map(|(w, _)| w).collect(),
    }))
}

fn keyword(text: &str) -> Option<TokKind> {
    match text.to_lowercase().as_str() {
        "and" | "et" => Some(TokKind::And),
        "or" | "ou" => Some(TokKind::Or),
        "not" | "sauf" => Some(TokKind::Not),
        _ => None,
    }
}

fn is_near_keyword(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "near" | "pres" | "près" | "proche"
    )
}

/// Classifies the lexemes: keywords, NEAR (only when a parenthesis follows: otherwise
/// `près` is a word), terms; tokens without words and commas outside NEAR are dropped.
fn classify(lexemes: Vec<Lexeme>) -> Result<Vec<Tok>, QueryError> {
    let mut out = Vec::with_capacity(lexemes.len());
    let mut in_near = false;
    for (k, lx) in lexemes.iter().enumerate() {
        let next_is_open = lexemes.get(k + 1).is_some_and(|n| n.kind == LexKind::Open);
        let kind = match lx.kind {
            LexKind::Open => TokKind::Open,
            LexKind::Close => {
                in_near = false;
                TokKind::Close
            }
            LexKind::Comma if in_near => TokKind::Comma,
            LexKind::Comma => continue,
            LexKind::Quoted => {
                let mut body = lx.text.chars();
                let open = body.next().unwrap_or('"');
                body.next_back();
                match term_of(body.as_str(), lx.at + 1)? {
                    Some(term) => TokKind::Term(term),
                    None => {
                        return Err(error(QueryErrorKind::EmptyPhrase, open, lx.at));
                    }
                }
            }
            LexKind::Bare if next_is_open && is_near_keyword(&lx.text) => {
                in_near = true;
                TokKind::Near
            }
            LexKind::Bare => match keyword(&lx.text) {
                Some(kind) => kind,
                None => match term_of(&lx.text, lx.at)? {
                    Some(term) => TokKind::Term(term),
                    None => continue,
                },
            },
        };
        out.push(Tok {
            kind,
            text: lx.text.clone(),
            at: lx.at,
        });
    }
    Ok(out)
}

impl Query {
    /// Parses a query (see the module doc for the language).
    pub fn parse(query: &str) -> Result<Query, QueryError> {
        let tokens = classify(lex(query)?)?;
        if tokens.is_empty() {
            return Err(error(QueryErrorKind::Empty, query, 0));
        }
        let mut parser = Parser { tokens, next: 0 };
        let root = parser.or()?;
        if let Some(tok) = parser.peek() {
            // Only an unmatched `)` stops the top level early.
            return Err(error(
                QueryErrorKind::UnmatchedParen,
                tok.text.clone(),
                tok.at,
            ));
        }
        Ok(Query { root })
    }

    /// The parsed tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// A query of a tree built by hand.
    pub fn from_root(root: Node) -> Query {
        Query { root }
    }
}

struct Parser {
    tokens: Vec<Tok>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.next)
    }

    fn bump(&mut self) -> Option<Tok> {
        let tok = self.tokens.get(self.next).cloned();
        self.next += 1;
        tok
    }

    /// Whether the next token can begin an operand.
    fn operand_follows(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.kind),
            Some(TokKind::Open | TokKind::Not | TokKind::Near | TokKind::Term(_))
        )
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.and()?];
        while let Some(Tok {
            kind: TokKind::Or, ..
        }) = self.peek()
        {
            let op = self.bump().expect("peeked");
            if !self.operand_follows() {
                return Err(error(QueryErrorKind::MissingOperand, op.text, op.at));
            }
            items.push(self.and()?);
        }
        Ok(flatten(items, false))
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.not()?];
        loop {
            match self.peek().map(|t| &t.kind) {
                Some(TokKind::And) => {
                    let op = self.bump().expect("peeked");
                    if !self.operand_follows() {
                        return Err(error(QueryErrorKind::MissingOperand, op.text, op.at));
                    }
                }
                _ if self.operand_follows() => {}
                _ => break,
            }
            items.push(self.not()?);
        }
        Ok(flatten(items, true))
    }

    fn not(&mut self) -> Result<Node, QueryError> {
        if let Some(Tok {
            kind: TokKind::Not, ..
        }) = self.peek()
        {
            let op = self.bump().expect("peeked");
            if !self.operand_follows() {
                return Err(error(QueryErrorKind::MissingOperand, op.text, op.at));
            }
            return Ok(Node::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let Some(tok) = self.bump() else {
            // Callers check that an operand follows; an empty query never gets here.
            return Err(error(QueryErrorKind::Empty, "", 0));
        };
        match tok.kind {
            TokKind::Term(term) => Ok(Node::Term(term)),
            TokKind::Open => {
                if let Some(Tok {
                    kind: TokKind::Close,
                    ..
                }) = self.peek()
                {
                    return Err(error(QueryErrorKind::EmptyGroup, tok.text, tok.at));
                }
                let inner = self.or()?;
                match self.bump() {
                    Some(Tok {
                        kind: TokKind::Close,
                        ..
                    }) => Ok(inner),
                    _ => Err(error(QueryErrorKind::UnclosedParen, tok.text, tok.at)),
                }
            }
            TokKind::Near => self.near(tok),
            TokKind::Close => Err(error(QueryErrorKind::UnmatchedParen, tok.text, tok.at)),
            TokKind::And | TokKind::Or | TokKind::Not | TokKind::Comma => {
                Err(error(QueryErrorKind::MissingOperand, tok.text, tok.at))
            }
        }
    }

    /// NEAR's parenthesised operands and distance; `near` is the keyword, already taken.
    fn near(&mut self, near: Tok) -> Result<Node, QueryError> {
        let open = self
            .bump()
            .expect("NEAR is classified only before a parenthesis");
        let mut terms: Vec<Term> = Vec::new();
        let mut distance = None;
        loop {
            let Some(tok) = self.bump() else {
                return Err(error(QueryErrorKind::UnclosedParen, open.text, open.at));
            };
            match tok.kind {
                TokKind::Close => break,
                TokKind::Term(term) if distance.is_none() => {
                    if terms.len() == 2 {
                        return Err(error(QueryErrorKind::NearTooMany, tok.text, tok.at));
                    }
                    terms.push(term);
                }
                TokKind::Comma if distance.is_none() => {
                    distance = Some(self.distance(&tok)?);
                }
                _ => return Err(error(QueryErrorKind::NearOperator, tok.text, tok.at)),
            }
        }
        let mut terms = terms.into_iter();
        match (terms.next(), terms.next()) {
            (Some(a), Some(b)) => Ok(Node::Near {
                a,
                b,
                max_between: distance.unwrap_or(DEFAULT_NEAR_DISTANCE),
            }),
            (Some(_), None) => Err(error(QueryErrorKind::NearNeedsTwo, near.text, near.at)),
            _ => Err(error(QueryErrorKind::EmptyNear, near.text, near.at)),
        }
    }

    /// The distance after NEAR's comma.
    fn distance(&mut self, comma: &Tok) -> Result<u32, QueryError> {
        let bad = |tok: &Tok| error(QueryErrorKind::BadDistance, tok.text.clone(), tok.at);
        match self.peek() {
            Some(
                tok @ Tok {
                    kind: TokKind::Term(_),
                    ..
                },
            ) => {
                let value = tok
                    .text
                    .parse::<u32>()
                    .ok()
                    .filter(|d| {
                        *d <= MAX_NEAR_DISTANCE && tok.text.bytes().all(|b| b.is_ascii_digit())
                    })
                    .ok_or_else(|| bad(tok))?;
                self.next += 1;
                Ok(value)
            }
            _ => Err(bad(comma)),
        }
    }
}

/// The one node of `items`, or their AND (`and`) or OR, flattened one level: `a AND (b AND
/// c)` is one AND of three.
fn flatten(items: Vec<Node>, and: bool) -> Node {
    if items.len() == 1 {
        return items.into_iter().next().expect("one item");
    }
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Node::And(inner) if and => flat.extend(inner),
            Node::Or(inner) if !and => flat.extend(inner),
            item => flat.push(item),
        }
    }
    if and { Node::And(flat) } else { Node::Or(flat) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(folded: &str) -> TermWord {
        TermWord {
            folded: folded.into(),
            prefix: false,
        }
    }

    fn term(words: &[&str]) -> Node {
        Node::Term(Term {
            words: words
                .iter()
                .map(|s| match s.strip_suffix('*') {
                    Some(p) => TermWord {
                        folded: p.into(),
                        prefix: true,
                    },
                    None => w(s),
                })
                .collect(),
        })
    }

    fn parse(q: &str) -> Node {
        Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}")).root
    }

    fn err(q: &str) -> (QueryErrorKind, String, usize) {
        let e = Query::parse(q).expect_err(q);
        (e.kind, e.token, e.at)
    }

    #[test]
    fn words_phrases_and_precedence() {
        assert_eq!(parse("Cœur"), term(&["coeur"]));
        assert_eq!(parse("l’État"), term(&["l", "etat"]));
        assert_eq!(parse("« peut-être »"), term(&["peut", "etre"]));
        assert_eq!(parse("admin*"), term(&["admin*"]));
        assert_eq!(
            parse("a b OU c SAUF d"),
            Node::Or(vec![
                Node::And(vec![term(&["a"]), term(&["b"])]),
                Node::And(vec![term(&["c"]), Node::Not(Box::new(term(&["d"])))]),
            ])
        );
        assert_eq!(
            parse("not a and (b or c)"),
            Node::And(vec![
                Node::Not(Box::new(term(&["a"]))),
                Node::Or(vec![term(&["b"]), term(&["c"])]),
            ])
        );
        // `où` is a word; quoted keywords are words; punctuation is skipped.
        assert_eq!(parse("où"), term(&["ou"]));
        assert_eq!(parse("\"et\" , !"), term(&["et"]));
        assert_eq!(parse("3,5"), term(&["3", "5"]));
        assert_eq!(
            parse("près de"),
            Node::And(vec![term(&["pres"]), term(&["de"])])
        );
    }

    #[test]
    fn near_forms() {
        let near = |d| Node::Near {
            a: Term {
                words: vec![w("service"), w("public")],
            },
            b: Term {
                words: vec![w("usager")],
            },
            max_between: d,
        };
        assert_eq!(parse("NEAR(\"service public\" usager, 5)"), near(5));
        assert_eq!(parse("PRÈS ( « service public » usagers*, 3 )"), {
            let Node::Near { a, .. } = near(3) else {
                unreachable!()
            };
            Node::Near {
                a,
                b: Term {
                    words: vec![TermWord {
                        folded: "usagers".into(),
                        prefix: true,
                    }],
                },
                max_between: 3,
            }
        });
        assert_eq!(parse("proche(\"service public\" usager)"), near(10));
    }

    proptest::proptest! {
        // Whatever is typed, parsing returns (no panic), an error points inside the query,
        // and a parsed query can be run.
        #[test]
        fn any_input_parses_or_fails_cleanly(
            q in "[a-cé ()\"«»*,:’'-]{0,12}|(NEAR|ET|OU|SAUF|NOT|\\(|\\)|\"|,|\\*|a|é|5| ){0,10}"
        ) {
            match Query::parse(&q) {
                Ok(query) => {
                    query.hits("a b, é a. c\n(a) é", crate::lexical::Scope::Sentence);
                }
                Err(e) => {
                    let n = q.chars().count();
                    proptest::prop_assert!(e.at <= n && e.span().end <= n.max(e.at), "{e} in {q:?}");
                }
            }
        }
    }

    #[test]
    fn each_error_with_its_position() {
        use QueryErrorKind::*;
        assert_eq!(err(""), (Empty, "".into(), 0));
        assert_eq!(err(" 😀 ! "), (Empty, " 😀 ! ".into(), 0));
        assert_eq!(err("a (b OR c"), (UnclosedParen, "(".into(), 2));
        assert_eq!(err("a b) c"), (UnmatchedParen, ")".into(), 3));
        assert_eq!(err("x () y"), (EmptyGroup, "(".into(), 2));
        assert_eq!(err("été « cœur"), (UnclosedQuote, "«".into(), 4));
        assert_eq!(err("a \"!?\""), (EmptyPhrase, "\"".into(), 2));
        assert_eq!(err("a AND"), (MissingOperand, "AND".into(), 2));
        assert_eq!(err("ou a"), (MissingOperand, "ou".into(), 0));
        assert_eq!(err("a ET OU b"), (MissingOperand, "ET".into(), 2));
        assert_eq!(err("(a SAUF)"), (MissingOperand, "SAUF".into(), 3));
        assert_eq!(err("a *"), (LoneStar, "*".into(), 2));
        assert_eq!(err("é ch*at"), (MisplacedStar, "*".into(), 4));
        assert_eq!(err("a**"), (MisplacedStar, "*".into(), 1));
        assert_eq!(err("\"*b c\""), (MisplacedStar, "*".into(), 1));
        assert_eq!(err("x NEAR()"), (EmptyNear, "NEAR".into(), 2));
        assert_eq!(err("NEAR(a, 3)"), (NearNeedsTwo, "NEAR".into(), 0));
        assert_eq!(err("NEAR(a b c)"), (NearTooMany, "c".into(), 9));
        assert_eq!(err("NEAR(a b 3)"), (NearTooMany, "3".into(), 9));
        assert_eq!(err("NEAR(a OR b)"), (NearOperator, "OR".into(), 7));
        assert_eq!(err("NEAR(a (b))"), (NearOperator, "(".into(), 7));
        assert_eq!(err("NEAR(a b, x)"), (BadDistance, "x".into(), 10));
        assert_eq!(err("NEAR(a b, 101)"), (BadDistance, "101".into(), 10));
        assert_eq!(err("NEAR(a b,)"), (BadDistance, ",".into(), 8));
        assert_eq!(err("NEAR(a b, 2"), (UnclosedParen, "(".into(), 4));
        let e = Query::parse("a (b").unwrap_err();
        assert_eq!(e.span(), crate::lexical::Span::new(2, 3));
    }
}
