//! Lexical search end to end: the query operators on a corpus with accents, œ, both
//! apostrophes, hyphens, a phrase across a line break and emoji, checked against a
//! brute-force scan of the folded texts; scopes; autocode on the sample project; word
//! frequencies recomputed independently; the command line run as a binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fouille::app::lexical::{self, AutocodeRequest, SearchRequest, SearchScope};
use fouille::lexical::Span;
use fouille::lexical::units::{self, Unit};
use fouille::store::{Project, codings, documents};
use unicode_normalization::UnicodeNormalization;

use crate::support::project::{fouille, fouille_json, fouille_ok, s, sample_project};
use crate::support::team::open_as;
use fouille::model::DocumentId;

const TEXTS: [(&str, &str, &str); 3] = [
    (
        "entretien-a",
        "Alice",
        "Le cœur du village bat encore.\nL’État nous a oubliés, dit-elle 😀. La résilience\nterritoriale, c'est notre force.\nPeut-être que l'école fermera.",
    ),
    (
        "entretien-b",
        "Bruno",
        "La résilience territoriale est un slogan.\nLes CŒURS des villes et l'état des routes.\nAdministration, administratif : tout est lent 🚌.",
    ),
    (
        "entretien-c",
        "Chloé",
        "Nous parlons de résilience, pas de territoire.\nLe cœur de l’école reste la cantine ; l'école vit.",
    ),
];

const TERRITORY: [&str; 3] = ["Rural", "Urbain", "Rural"];

/// A project of the three texts, each imported from its file with a respondent and a
/// territory.
fn corpus(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("lex.fouille");
    fouille_ok(&["new", s(&p)]);
    for ((name, who, text), territory) in TEXTS.iter().zip(TERRITORY) {
        let file = dir.join(format!("{name}.txt"));
        std::fs::write(&file, text).unwrap();
        let attr = format!("territoire={territory}");
        fouille_ok(&[
            "import",
            s(&p),
            s(&file),
            "--respondent",
            who,
            "--attr",
            &attr,
        ]);
    }
    p
}

/// Folded words of a text as (folded, start char, end char): letters and digits, accents
/// and case dropped, œ and æ split.
fn folded_words(text: &str) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            let (word, _) = current.get_or_insert_with(|| (String::new(), i));
            match c {
                'œ' | 'Œ' => word.push_str("oe"),
                'æ' | 'Æ' => word.push_str("ae"),
                _ => word.extend(
                    c.to_string()
                        .nfd()
                        .filter(|d| !('\u{300}'..='\u{36f}').contains(d))
                        .flat_map(char::to_lowercase),
                ),
            }
        } else if let Some((word, start)) = current.take() {
            out.push((word, start, i));
        }
    }
    if let Some((word, start)) = current {
        out.push((word, start, text.chars().count()));
    }
    out
}

/// Brute force: the spans where these words follow each other (each may end with `*`).
fn phrase_spans(text: &str, words: &[&str]) -> Vec<Span> {
    let all = folded_words(text);
    let hit = |w: &str, q: &str| match q.strip_suffix('*') {
        Some(prefix) => w.starts_with(prefix),
        None => w == q,
    };
    (0..all.len().saturating_sub(words.len() - 1))
        .filter(|&i| words.iter().enumerate().all(|(k, q)| hit(&all[i + k].0, q)))
        .map(|i| Span::new(all[i].1, all[i + words.len() - 1].2))
        .collect()
}

/// Brute force by paragraph (line): the numbers of the lines where `holds` is true of the
/// folded words of the line.
fn lines_where(text: &str, holds: impl Fn(&[String]) -> bool) -> BTreeSet<usize> {
    text.split('\n')
        .enumerate()
        .filter(|(_, line)| {
            let words: Vec<String> = folded_words(line).into_iter().map(|w| w.0).collect();
            !words.is_empty() && holds(&words)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The line each passage found starts on, by document name.
fn hit_lines(p: &Project, query: &str) -> BTreeMap<String, BTreeSet<usize>> {
    let mut request = SearchRequest::new(query);
    request.limit = usize::MAX;
    let found = lexical::search(p.conn(), &request).unwrap();
    let mut out: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for passage in found.passages {
        let text = documents::text(p.conn(), &passage.document_guid).unwrap();
        let line = text
            .chars()
            .take(passage.start)
            .filter(|&c| c == '\n')
            .count();
        out.entry(passage.document).or_default().insert(line);
    }
    out
}

fn expected_lines(holds: impl Fn(&[String]) -> bool) -> BTreeMap<String, BTreeSet<usize>> {
    TEXTS
        .iter()
        .map(|(name, _, text)| (name.to_string(), lines_where(text, &holds)))
        .filter(|(_, lines)| !lines.is_empty())
        .collect()
}

fn spans_of(p: &Project, query: &str, scope: SearchScope) -> BTreeMap<String, Vec<Span>> {
    let mut request = SearchRequest::new(query);
    request.limit = usize::MAX;
    request.scope = scope;
    let found = lexical::search(p.conn(), &request).unwrap();
    let mut out: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for passage in found.passages {
        out.entry(passage.document)
            .or_default()
            .push(Span::new(passage.start, passage.end));
    }
    out
}

fn brute_spans(words: &[&str], keep: impl Fn(usize) -> bool) -> BTreeMap<String, Vec<Span>> {
    TEXTS
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, (name, _, text))| (name.to_string(), phrase_spans(text, words)))
        .filter(|(_, spans)| !spans.is_empty())
        .collect()
}

#[test]
fn words_phrases_and_prefixes_equal_a_brute_force_scan() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::open(&corpus(dir.path())).unwrap();
    let all = SearchScope::default;
    for (query, words) in [
        ("coeur", vec!["coeur"]),
        ("CŒUR", vec!["coeur"]),
        ("coeur*", vec!["coeur*"]),
        ("etat", vec!["etat"]),
        ("ecole", vec!["ecole"]),
        ("admin*", vec!["admin*"]),
        (
            "\"résilience territoriale\"",
            vec!["resilience", "territoriale"],
        ),
        ("« peut-être que »", vec!["peut", "etre", "que"]),
        ("l’État", vec!["l", "etat"]),
    ] {
        assert_eq!(
            spans_of(&p, query, all()),
            brute_spans(&words, |_| true),
            "{query}"
        );
    }
    // The phrase across a line break is found in the first interview, and the passage
    // holds the line break.
    let found = spans_of(&p, "\"résilience territoriale\"", all());
    let a = documents::text(
        p.conn(),
        &documents::find(p.conn(), "entretien-a").unwrap().guid,
    )
    .unwrap();
    let span = found["entretien-a"][0];
    let passage: String = a.chars().skip(span.start).take(span.len()).collect();
    assert_eq!(passage, "résilience\nterritoriale");
    assert_eq!(found.len(), 2);
}

#[test]
fn operators_equal_a_brute_force_scan_by_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::open(&corpus(dir.path())).unwrap();
    let has = |w: &[String], x: &str| w.iter().any(|v| v == x);
    let near = |w: &[String], a: &str, b: &str, n: usize| {
        let at = |x: &str| -> Vec<usize> { (0..w.len()).filter(|&i| w[i] == x).collect() };
        at(a)
            .iter()
            .any(|&i| at(b).iter().any(|&j| i != j && i.abs_diff(j) <= n + 1))
    };
    assert_eq!(
        hit_lines(&p, "coeur AND ecole"),
        expected_lines(|w| has(w, "coeur") && has(w, "ecole"))
    );
    assert_eq!(
        hit_lines(&p, "coeur ET village"),
        expected_lines(|w| has(w, "coeur") && has(w, "village"))
    );
    assert_eq!(
        hit_lines(&p, "village OR slogan OU cantine"),
        expected_lines(|w| has(w, "village") || has(w, "slogan") || has(w, "cantine"))
    );
    assert_eq!(
        hit_lines(&p, "resilience NOT territoriale"),
        expected_lines(|w| has(w, "resilience") && !has(w, "territoriale"))
    );
    assert_eq!(
        hit_lines(&p, "etat SAUF routes"),
        expected_lines(|w| has(w, "etat") && !has(w, "routes"))
    );
    for n in 0..3 {
        let query = format!("NEAR(coeur village, {n})");
        assert_eq!(
            hit_lines(&p, &query),
            expected_lines(|w| near(w, "coeur", "village", n)),
            "{query}"
        );
    }
    assert_eq!(
        hit_lines(&p, "(coeur OR etat) AND NOT village"),
        expected_lines(|w| (has(w, "coeur") || has(w, "etat")) && !has(w, "village"))
    );
    // Something was found by each: the checks are not vacuous.
    assert!(!hit_lines(&p, "NEAR(coeur village, 1)").is_empty());
    assert!(hit_lines(&p, "NEAR(coeur village, 0)").is_empty());
    assert!(!hit_lines(&p, "resilience NOT territoriale").is_empty());
}

#[test]
fn scopes_by_document_attribute_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path());
    let mut p = open_as(&path, "Test");
    let rural = SearchScope {
        attributes: vec![("territoire".into(), "Rural".into())],
        ..SearchScope::default()
    };
    assert_eq!(
        spans_of(&p, "resilience", rural),
        brute_spans(&["resilience"], |i| TERRITORY[i] == "Rural")
    );
    let by_file = SearchScope {
        documents: vec!["entretien-b.txt".into()],
        ..SearchScope::default()
    };
    assert_eq!(
        spans_of(&p, "coeur*", by_file),
        brute_spans(&["coeur*"], |i| i == 1)
    );
    // Code the second line of interview c by quoting it: only the « école » inside count.
    fouille::app::edit::apply(
        &mut p,
        fouille::app::edit::Edit::AddCode {
            name: "École".into(),
            parent: None,
            kind: fouille::model::CodeKind::Theme,
            color: None,
            description: String::new(),
        },
    )
    .unwrap();
    lexical::code_quote(&mut p, "entretien-c", "l’école reste", "École", None).unwrap();
    let coded = SearchScope {
        codes: vec!["École".into()],
        ..SearchScope::default()
    };
    let c = TEXTS[2].2;
    let first = phrase_spans(c, &["ecole"])[0];
    assert_eq!(
        spans_of(&p, "ecole", coded),
        BTreeMap::from([("entretien-c".to_string(), vec![first])])
    );
    // Absent and ambiguous quotes are refused, the ambiguous with each place.
    let absent = lexical::code_quote(&mut p, "entretien-c", "la mairie", "École", None);
    assert!(matches!(
        absent,
        Err(fouille::app::AppError::QuoteAbsent { .. })
    ));
    // The straight apostrophe is written once (the other « l’école » has a curly one).
    lexical::code_quote(&mut p, "entretien-c", "l'école", "École", None).unwrap();
    match lexical::code_quote(&mut p, "entretien-c", "école", "École", None) {
        Err(fouille::app::AppError::QuoteAmbiguous { places, .. }) => assert_eq!(places.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn counts_by_document_and_respondent() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::open(&corpus(dir.path())).unwrap();
    let found = lexical::search(p.conn(), &SearchRequest::new("coeur*")).unwrap();
    let brute = brute_spans(&["coeur*"], |_| true);
    assert_eq!(found.total, brute.values().map(Vec::len).sum::<usize>());
    let by_doc: BTreeMap<String, usize> = found
        .documents
        .iter()
        .map(|c| (c.name.clone(), c.hits))
        .collect();
    let brute_by_doc: BTreeMap<String, usize> =
        brute.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    assert_eq!(by_doc, brute_by_doc);
    let people: Vec<(&str, usize)> = found
        .respondents
        .iter()
        .map(|c| (c.name.as_str(), c.hits))
        .collect();
    assert_eq!(people, [("Alice", 1), ("Bruno", 1), ("Chloé", 1)]);
    assert_eq!(found.passages[0].respondent.as_deref(), Some("Alice"));
}

/// Every hit of `query`, widened to `unit`, as the brute force of the app layer's own
/// search and units (what autocode must have coded).
fn widened(p: &Project, query: &str, unit: Unit) -> BTreeSet<(DocumentId, usize, usize)> {
    let mut request = SearchRequest::new(query);
    request.limit = usize::MAX;
    let found = lexical::search(p.conn(), &request).unwrap();
    found
        .passages
        .iter()
        .map(|h| {
            let text = documents::text(p.conn(), &h.document_guid).unwrap();
            let span = units::expand(&text, Span::new(h.start, h.end), unit);
            (h.document_guid.clone(), span.start, span.end)
        })
        .collect()
}

fn codings_of(p: &Project, code: &fouille::model::CodeId) -> BTreeSet<(DocumentId, usize, usize)> {
    codings::list(p.conn())
        .unwrap()
        .into_iter()
        .filter(|c| &c.code_guid == code)
        .map(|c| (c.document_guid, c.start_char, c.end_char))
        .collect()
}

#[test]
fn autocode_by_sentence_and_paragraph_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_project(dir.path());
    let mut p = open_as(&path, "Robot");
    fouille::app::edit::apply(
        &mut p,
        fouille::app::edit::Edit::AddCode {
            name: "Accueil (recherche)".into(),
            parent: None,
            kind: fouille::model::CodeKind::Theme,
            color: None,
            description: String::new(),
        },
    )
    .unwrap();
    let code = lexical::resolve_code(p.conn(), "Accueil (recherche)")
        .unwrap()
        .guid;
    for unit in [Unit::Sentence, Unit::Paragraph] {
        let before = codings::list(p.conn()).unwrap().len();
        let mut search = SearchRequest::new("accueil OR guichet*");
        search.limit = usize::MAX;
        let request = AutocodeRequest {
            search,
            code: "Accueil (recherche)".into(),
            unit,
            only: None,
        };
        let preview = lexical::plan_autocode(&p, &request).unwrap();
        let (plan, _) = lexical::autocode(&mut p, &request).unwrap();
        assert_eq!(plan.new, preview.new);
        let made = codings_of(&p, &code);
        let expected = widened(&p, "accueil OR guichet*", unit);
        assert_eq!(made, expected, "{unit:?}");
        assert!(made.len() > 10, "{}", made.len());
        assert_eq!(codings::list(p.conn()).unwrap().len(), before + made.len());
        // Bounds: inside the text, no blank at either end, no line break inside a
        // sentence.
        for (doc, start, end) in &made {
            let text = documents::text(p.conn(), doc).unwrap();
            let chars: Vec<char> = text.chars().collect();
            assert!(start < end && *end <= chars.len());
            assert!(!chars[*start].is_whitespace() && !chars[end - 1].is_whitespace());
            assert!(
                !chars[*start..*end].contains(&'\n'),
                "{unit:?} {start}..{end}"
            );
            if unit == Unit::Paragraph {
                assert!(*start == 0 || chars[start - 1] == '\n');
                assert!(*end == chars.len() || chars[*end] == '\n');
            }
        }
        // A second identical run adds nothing.
        let (again, _) = lexical::autocode(&mut p, &request).unwrap();
        assert_eq!(again.new, 0);
        assert_eq!(codings_of(&p, &code), made);
        // One undo removes them all.
        p.undo().unwrap();
        assert!(codings_of(&p, &code).is_empty());
        assert_eq!(codings::list(p.conn()).unwrap().len(), before);
    }
}

/// The folded words of a text that the word table counts: two letters at least, not all
/// digits, not a stop word.
fn counted_words(text: &str, stop: &fouille::lexical::stopwords::StopWords) -> Vec<String> {
    folded_words(text)
        .into_iter()
        .map(|w| w.0)
        .filter(|w| w.chars().count() >= 2 && !w.bytes().all(|b| b.is_ascii_digit()))
        .filter(|w| !stop.contains(w))
        .collect()
}

/// The table's rows as (occurrences) by most frequent spelling, folded again.
fn table_counts(table: &serde_json::Value) -> BTreeMap<String, u64> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let word = folded_words(row[0].as_str().unwrap())
                .into_iter()
                .map(|w| w.0)
                .collect::<Vec<_>>()
                .join(" ");
            (word, row[1].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn word_frequencies_recomputed_independently() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_project(dir.path());
    let p = Project::open(&path).unwrap();
    let stop = fouille::lexical::stopwords::StopWords::french_and_english();
    // Whole corpus (withdrawn respondents kept, as the recount keeps them).
    let mut whole: BTreeMap<String, u64> = BTreeMap::new();
    for doc in documents::list(p.conn()).unwrap() {
        for w in counted_words(&documents::text(p.conn(), &doc.guid).unwrap(), &stop) {
            *whole.entry(w).or_default() += 1;
        }
    }
    // One code: the words of its passages (overlaps counted once).
    let code = lexical::resolve_code(p.conn(), "Crise sanitaire").unwrap();
    let mut coded: BTreeMap<DocumentId, Vec<(usize, usize)>> = BTreeMap::new();
    for c in codings::list(p.conn()).unwrap() {
        if c.code_guid == code.guid {
            coded
                .entry(c.document_guid)
                .or_default()
                .push((c.start_char, c.end_char));
        }
    }
    let mut in_code: BTreeMap<String, u64> = BTreeMap::new();
    for (doc, mut ranges) in coded {
        let chars: Vec<char> = documents::text(p.conn(), &doc).unwrap().chars().collect();
        ranges.sort();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        for (s, e) in merged {
            let passage: String = chars[s..e].iter().collect();
            for w in counted_words(&passage, &stop) {
                *in_code.entry(w).or_default() += 1;
            }
        }
    }
    drop(p);
    let table = fouille_json(&[
        "table",
        s(&path),
        "words",
        "--top",
        "15",
        "--include-withdrawn",
        "--json",
    ]);
    let shown = table_counts(&table[0]);
    assert_eq!(shown.len(), 15);
    for (word, count) in &shown {
        assert_eq!(whole.get(word), Some(count), "{word}");
    }
    let least_shown = shown.values().min().unwrap();
    let more = whole.values().filter(|c| *c > least_shown).count();
    assert!(
        more < 15,
        "{more} words are more frequent than the table's last"
    );

    let table = fouille_json(&[
        "table",
        s(&path),
        "words",
        "--code",
        "Thèmes/Crise sanitaire",
        "--top",
        "10",
        "--include-withdrawn",
        "--json",
    ]);
    let shown = table_counts(&table[0]);
    assert!(!shown.is_empty());
    for (word, count) in &shown {
        assert_eq!(in_code.get(word), Some(count), "{word}");
    }
}

// The stop-word lists the app keeps in the project are the ones `fouille table words`
// leaves out: a word added leaves the table, a built-in word taken out comes in; a file
// given with --stopwords still applies after them.
#[test]
fn stop_words_kept_in_the_project_reach_the_command_line() {
    use fouille::lexical::stopwords::{StopList, StopWordEdits};
    let dir = tempfile::tempdir().unwrap();
    let path = sample_project(dir.path());
    let words = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["table", s(&path), "words", "--top", "200", "--json"];
        args.extend_from_slice(extra);
        table_counts(&fouille_json(&args)[0]).into_keys().collect()
    };
    let before = words(&[]);
    let top = before
        .iter()
        .find(|w| w.as_str() == "gens")
        .expect("gens")
        .clone();
    assert!(!before.contains(&"alors".to_string()));
    let mut edits = StopWordEdits::default();
    assert!(edits.add(StopList::French, "Gens"));
    assert!(edits.remove(StopList::French, "alors"));
    {
        let p = Project::open(&path).unwrap();
        lexical::set_stop_word_edits(&p, &edits).unwrap();
        assert_eq!(lexical::stop_word_edits(p.conn()).unwrap(), edits);
    }
    let after = words(&[]);
    assert!(!after.contains(&top) && after.contains(&"alors".to_string()));
    let file = dir.path().join("mots.txt");
    std::fs::write(&file, "+alors\n").unwrap();
    let with_file = words(&["--stopwords", s(&file)]);
    assert!(!with_file.contains(&"alors".to_string()) && !with_file.contains(&top));
}

// Autocode of only some hits (the ones a user ticked) codes those alone.
#[test]
fn autocode_of_ticked_hits_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_project(dir.path());
    let mut p = open_as(&path, "Zoé");
    fouille::app::edit::apply(
        &mut p,
        fouille::app::edit::Edit::AddCode {
            name: "Accueil (recherche)".into(),
            parent: None,
            kind: fouille::model::CodeKind::Theme,
            color: None,
            description: String::new(),
        },
    )
    .unwrap();
    let mut search = SearchRequest::new("accueil");
    search.limit = usize::MAX;
    let found = lexical::search(p.conn(), &search).unwrap();
    let ticked: Vec<_> = [0, 5, 9]
        .iter()
        .map(|&i| {
            let h = &found.passages[i];
            lexical::PassageRef {
                document_guid: h.document_guid.to_string(),
                start: h.start,
                end: h.end,
            }
        })
        .collect();
    let request = AutocodeRequest {
        search,
        code: "Accueil (recherche)".into(),
        unit: Unit::Word,
        only: Some(ticked.clone()),
    };
    let (plan, _) = lexical::autocode(&mut p, &request).unwrap();
    assert_eq!(plan.hits, 3);
    let code = lexical::resolve_code(p.conn(), "Accueil (recherche)")
        .unwrap()
        .guid;
    let made = codings_of(&p, &code);
    let expected: BTreeSet<(fouille::model::DocumentId, usize, usize)> = ticked
        .iter()
        .map(|t| {
            let doc = fouille::model::DocumentId::new(t.document_guid.clone());
            let text = documents::text(p.conn(), &doc).unwrap();
            let word = units::expand(&text, Span::new(t.start, t.end), Unit::Word);
            (doc, word.start, word.end)
        })
        .collect();
    assert_eq!(made.len(), 3);
    assert_eq!(made, expected);
}

#[test]
fn the_command_line_searches_codes_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let path = corpus(dir.path());
    let p = s(&path);
    // A phrase gives the places of the phrase, not of its words.
    let found = fouille_json(&["search", p, "\"résilience territoriale\"", "--json"]);
    assert_eq!(found["total"], 2);
    assert_eq!(found["passages"][0]["matched"], "résilience\nterritoriale");
    assert_eq!(found["passages"][0]["respondent"], "Alice");
    let scoped = fouille_json(&[
        "search",
        p,
        "résilience",
        "--scope",
        "attribute",
        "territoire=Urbain",
        "--json",
    ]);
    assert_eq!(scoped["total"], 1);
    assert_eq!(scoped["passages"][0]["document"], "entretien-b");
    let by_docs = fouille_json(&[
        "search",
        p,
        "résilience",
        "--scope",
        "documents=entretien-a,entretien-c.txt",
        "--json",
    ]);
    assert_eq!(by_docs["total"], 2);

    // A malformed query: the message names the token and its place.
    let out = fouille(&["search", p, "coeur AND (ecole"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(") && err.contains("11"), "{err}");

    // Concordance, sorted and exported.
    let kwic = fouille_ok(&["search", p, "coeur*", "--kwic", "--sort", "right"]);
    assert!(
        kwic.contains("[CŒURS]") && kwic.contains("3 lines"),
        "{kwic}"
    );
    for ext in ["csv", "xlsx", "ods"] {
        let file = dir.path().join(format!("kwic.{ext}"));
        fouille_ok(&["search", p, "coeur*", "--kwic", "--export", s(&file)]);
        assert!(std::fs::metadata(&file).unwrap().len() > 0);
    }
    let csv = std::fs::read_to_string(dir.path().join("kwic.csv")).unwrap();
    assert!(csv.contains("cœur") && csv.contains("Alice"), "{csv}");

    // Code by quoting, the document named by its file, the code by the end of its path.
    fouille_ok(&["code", "add", p, "Territoires"]);
    fouille_ok(&["code", "add", p, "Résilience", "--parent", "Territoires"]);
    fouille_ok(&[
        "code",
        "apply",
        p,
        "--document",
        "entretien-b.txt",
        "--quote",
        "La résilience territoriale est un slogan.",
        "--code",
        "Résilience",
    ]);
    let absent = fouille(&[
        "code",
        "apply",
        p,
        "--document",
        "entretien-b",
        "--quote",
        "absent",
        "--code",
        "Résilience",
    ]);
    assert!(!absent.status.success());
    let ambiguous = fouille(&[
        "code",
        "apply",
        p,
        "--document",
        "entretien-c",
        "--quote",
        "école",
        "--code",
        "Résilience",
    ]);
    let err = String::from_utf8_lossy(&ambiguous.stderr);
    assert!(!ambiguous.status.success() && err.contains("2"), "{err}");
    assert!(err.contains("cœur de l’[école]"), "{err}");

    // Autocode: a dry run says how many, the run makes them, a second run none.
    let dry = fouille_json(&[
        "code",
        "apply-search",
        p,
        "résilience",
        "--code",
        "Résilience",
        "--unit",
        "sentence",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(dry["hits"], 3);
    assert_eq!(dry["new"], 2, "{dry}");
    assert_eq!(dry["already"], 1, "{dry}");
    let run = fouille_json(&[
        "code",
        "apply-search",
        p,
        "résilience",
        "--code",
        "Résilience",
        "--json",
    ]);
    assert_eq!(run["new"], 2);
    let again = fouille_json(&[
        "code",
        "apply-search",
        p,
        "résilience",
        "--code",
        "Résilience",
        "--json",
    ]);
    assert_eq!(again["new"], 0);
    let excerpts = fouille_json(&["excerpts", p, "--code", "Résilience", "--json"]);
    assert_eq!(excerpts.as_array().unwrap().len(), 3);
    assert!(fouille_ok(&["undo", p]).contains("search"));
    let excerpts = fouille_json(&["excerpts", p, "--code", "Résilience", "--json"]);
    assert_eq!(excerpts.as_array().unwrap().len(), 1);

    // The word table through the table pipeline.
    let words = fouille_json(&["table", p, "words", "--by", "territoire", "--json"]);
    let columns = words[0]["columns"].as_array().unwrap();
    assert!(columns.iter().any(|c| c == "Rural") && columns.iter().any(|c| c == "Urbain"));
    let stop = dir.path().join("stop.txt");
    std::fs::write(&stop, "# ours\nrésilience\n-pas\n").unwrap();
    let words = fouille_json(&[
        "table",
        p,
        "words",
        "--stopwords",
        s(&stop),
        "--min-length",
        "3",
        "--json",
    ]);
    let shown: Vec<&str> = words[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert!(
        !shown.contains(&"résilience") && shown.contains(&"pas"),
        "{shown:?}"
    );
    let md = dir.path().join("words.md");
    fouille_ok(&["table", p, "words", "-o", s(&md)]);
    assert!(std::fs::read_to_string(&md).unwrap().contains("| cœur"));
}
