//! Exports researchers take to other tools, on the sample project: the IRaMuTeQ corpus, the
//! quote table (CSV and XLSX read back) and the respondents × codes data matrix, each
//! checked against the store read independently; pseudonymised runs name nobody; the
//! respondent who withdrew consent is absent.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use fouille::analysis::names::snake;
use fouille::analysis::{AnalysisFilter, Cell, Lang, TableKind, TableOptions};
use fouille::export::iramuteq::variable_name;
use fouille::export::tables::neutralise::neutralise;
use fouille::model::{AttributeScope, Consent, Respondent};
use fouille::store::excerpts::{Excerpt, ExcerptFilter, excerpts};
use fouille::store::{Project, attributes, documents, respondents};

use crate::support::project::{embedded_sample, fouille_in_process_ok, s};
use crate::support::report::has_word;
use crate::table_exports::read_xlsx;

/// The sample project built in `dir` (opened by the tests once the command line, which
/// opens it itself, is done with it).
fn sample(dir: &Path) -> std::path::PathBuf {
    embedded_sample(dir)
}

/// The respondent who withdrew consent in the sample.
fn withdrawn(project: &Project) -> Respondent {
    let all = respondents::list(project.conn()).unwrap();
    let gone: Vec<Respondent> = all
        .into_iter()
        .filter(|r| r.consent == Consent::Withdrawn)
        .collect();
    assert_eq!(gone.len(), 1, "the sample has one withdrawn respondent");
    gone[0].clone()
}

/// Every live excerpt of the store, those of the withdrawn respondent left out.
fn kept_excerpts(project: &Project) -> Vec<Excerpt> {
    let gone = withdrawn(project).guid;
    excerpts(project.conn(), &ExcerptFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.respondent_guid.as_ref().map(|r| r.as_str()) != Some(gone.as_str()))
        .collect()
}

/// Every way the sample's respondents can be named: full names, first and last names.
fn real_names(project: &Project) -> Vec<String> {
    let mut names = Vec::new();
    for r in respondents::list(project.conn()).unwrap() {
        names.push(r.name.clone());
        let (first, last) = fouille::export::pseudonymise::name_parts(&r.name);
        names.extend(first);
        names.extend(last);
    }
    names
}

/// The texts of a corpus: (starred line, body).
fn texts(corpus: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in corpus.lines() {
        if line.starts_with("****") {
            out.push((line.to_string(), String::new()));
        } else {
            let last = out
                .last_mut()
                .expect("the corpus starts with a starred line");
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    out
}

/// The variables of a starred line, checked against IRaMuTeQ's format on the way:
/// `****`, then `*name_value` tokens, the name letters and digits, the value letters,
/// digits and `_`, all lower case. Returns name → values.
fn variables(line: &str) -> BTreeMap<String, Vec<String>> {
    let mut tokens = line.split(' ');
    assert_eq!(tokens.next(), Some("****"), "{line}");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for token in tokens {
        let rest = token
            .strip_prefix('*')
            .unwrap_or_else(|| panic!("{token} in {line}"));
        let (name, value) = rest.split_once('_').unwrap_or_else(|| panic!("{token}"));
        assert!(
            !name.is_empty() && name.chars().all(char::is_alphanumeric),
            "{token}"
        );
        assert!(
            !value.is_empty()
                && value.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !value.starts_with('_')
                && !value.ends_with('_'),
            "{token}"
        );
        assert_eq!(token.to_lowercase(), token, "{token}");
        out.entry(name.to_string())
            .or_default()
            .push(value.to_string());
    }
    out
}

// The corpus has one starred line per coded excerpt (the coders' identical codings of a
// passage as one), each text's variables reproduce its respondent's attributes as the store
// holds them, the texts hold no markup, and the withdrawn respondent is absent.
#[test]
fn iramuteq_corpus_of_the_sample_reproduces_the_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let out = dir.path().join("corpus.txt");
    fouille_in_process_ok(&["export", "iramuteq", s(&path), "-o", s(&out)]);
    let project = Project::open(&path).unwrap();
    let corpus = std::fs::read_to_string(&out).unwrap();
    let texts = texts(&corpus);

    let expected: BTreeSet<(String, usize, usize, String)> = kept_excerpts(&project)
        .into_iter()
        .map(|e| {
            (
                e.coding.document_guid.to_string(),
                e.coding.start_char,
                e.coding.end_char,
                e.code_path,
            )
        })
        .collect();
    assert_eq!(texts.len(), expected.len());
    assert_eq!(corpus.matches("****").count(), texts.len());

    let people = respondents::list(project.conn()).unwrap();
    let by_variable: HashMap<String, &Respondent> =
        people.iter().map(|r| (snake(&r.name, false), r)).collect();
    let values = attributes::values(project.conn(), AttributeScope::Respondent).unwrap();
    let gone = withdrawn(&project);
    let docs = documents::list(project.conn()).unwrap();
    let mut seen = BTreeSet::new();
    for (line, body) in &texts {
        let vars = variables(line);
        assert!(!body.trim().is_empty(), "{line}");
        assert!(!body.contains('*'), "{body}");
        assert!(
            vars.contains_key("doc") && vars["code"].len() == 1,
            "{line}"
        );
        let Some(resp) = vars.get("resp") else {
            continue;
        };
        let r = by_variable[&resp[0]];
        assert_ne!(r.guid, gone.guid);
        seen.insert(r.guid.clone());
        // Exactly the respondent's attributes with a value, each as the store holds it.
        let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in values.get(r.guid.as_str()).into_iter().flatten() {
            if !snake(value, false).is_empty() {
                wanted
                    .entry(variable_name(name, false))
                    .or_default()
                    .push(snake(value, false));
            }
        }
        let mut got = vars.clone();
        for fixed in ["resp", "doc", "code"] {
            got.remove(fixed);
        }
        assert_eq!(got, wanted, "{line}");
    }
    assert!(seen.len() > 10, "{} respondents", seen.len());
    // Nothing of the withdrawn respondent: neither as a variable nor their documents.
    assert!(!corpus.contains(&format!("*resp_{}", snake(&gone.name, false))));
    for d in docs
        .iter()
        .filter(|d| d.respondent_guid.as_ref() == Some(&gone.guid))
    {
        assert!(!corpus.contains(&format!("*doc_{} ", snake(&d.name, false))));
    }
}

// Per document, pseudonymised, accents folded: one text per document of a respondent who
// did not withdraw, no real name anywhere, every variable in ASCII.
#[test]
fn iramuteq_per_document_pseudonymised_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let out = dir.path().join("corpus-docs.txt");
    fouille_in_process_ok(&[
        "export",
        "iramuteq",
        s(&path),
        "-o",
        s(&out),
        "--per",
        "document",
        "--fold-accents",
        "--pseudonymise",
    ]);
    let project = Project::open(&path).unwrap();
    let corpus = std::fs::read_to_string(&out).unwrap();
    let texts = texts(&corpus);
    let gone = withdrawn(&project);
    let docs: Vec<_> = documents::list(project.conn())
        .unwrap()
        .into_iter()
        .filter(|d| d.respondent_guid.as_ref() != Some(&gone.guid))
        .collect();
    assert_eq!(texts.len(), docs.len());
    for name in real_names(&project) {
        assert!(!has_word(&corpus, &name), "{name} is in the corpus");
    }
    for (line, _) in &texts {
        assert!(line.is_ascii(), "{line}");
        for value in variables(line).into_values().flatten() {
            for name in real_names(&project) {
                let (value, name) = (format!("_{value}_"), format!("_{}_", snake(&name, true)));
                assert!(!value.contains(&name), "{name} in {line}");
            }
        }
    }
}

/// CSV rows as header → value maps.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// What identifies an excerpt row and what it says: (document, start, end, code path,
/// coder, memo, date, text as written in a spreadsheet cell).
type QuoteRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn expected_quotes(project: &Project) -> Vec<QuoteRow> {
    let mut rows: Vec<QuoteRow> = kept_excerpts(project)
        .into_iter()
        .map(|e| {
            (
                e.document_name,
                e.coding.start_char.to_string(),
                e.coding.end_char.to_string(),
                e.code_path,
                e.coder_name,
                e.memo,
                fouille::model::format_ms(e.coding.created_at),
                neutralise(&e.text).into_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn quote_row(get: impl Fn(&str) -> String) -> QuoteRow {
    (
        get("Document"),
        get("Début"),
        get("Fin"),
        get("Chemin du code"),
        get("Codeur"),
        get("Mémo"),
        get("Date"),
        get("Extrait"),
    )
}

// One row per excerpt with its exact text, memo, date and coder, as the store retrieves
// them, in CSV and in XLSX; the respondent's attributes in their columns.
#[test]
fn quote_table_has_one_row_per_excerpt_with_its_exact_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let csv_path = dir.path().join("extraits.csv");
    fouille_in_process_ok(&["table", s(&path), "quotes", "-o", s(&csv_path)]);
    let xlsx_path = dir.path().join("extraits.xlsx");
    fouille_in_process_ok(&["table", s(&path), "quotes", "-o", s(&xlsx_path)]);
    let project = Project::open(&path).unwrap();
    let expected = expected_quotes(&project);
    assert!(
        expected.iter().any(|q| !q.5.is_empty()),
        "some excerpts have memos"
    );

    let rows = csv_rows(&std::fs::read_to_string(&csv_path).unwrap());
    let mut got: Vec<QuoteRow> = rows.iter().map(|r| quote_row(|c| r[c].clone())).collect();
    got.sort();
    assert_eq!(got, expected);
    let values = attributes::values(project.conn(), AttributeScope::Respondent).unwrap();
    let people = respondents::list(project.conn()).unwrap();
    for row in &rows {
        let Some(r) = people.iter().find(|r| r.name == row["Répondant"]) else {
            assert!(row["Répondant"].is_empty());
            continue;
        };
        assert_eq!(row["Pseudonyme"], r.pseudonym);
        for a in attributes::list(project.conn(), Some(AttributeScope::Respondent)).unwrap() {
            let stored = values
                .get(r.guid.as_str())
                .and_then(|v| v.get(&a.name))
                .cloned()
                .unwrap_or_default();
            assert_eq!(row[&a.name], stored, "{} of {}", a.name, r.name);
        }
    }

    let (_, sheets) = read_xlsx(&std::fs::read(&xlsx_path).unwrap());
    let cells = &sheets[0].cells;
    let letter = |c: usize| char::from(b'A' + c as u8).to_string();
    let header: Vec<String> = (0..26)
        .map_while(|c| cells.get(&format!("{}2", letter(c))).map(|v| v.1.clone()))
        .collect();
    let column = |name: &str| letter(header.iter().position(|h| h == name).unwrap());
    let mut got: Vec<QuoteRow> = (3..expected.len() + 3)
        .map(|r| {
            quote_row(|name| {
                cells
                    .get(&format!("{}{r}", column(name)))
                    .map(|v| v.1.clone())
                    .unwrap_or_default()
            })
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
}

// Pseudonymised, the quote table names respondents by their labels only.
#[test]
fn quote_table_pseudonymised_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path());
    let out = dir.path().join("extraits-pseudo.csv");
    fouille_in_process_ok(&["table", s(&path), "quotes", "--pseudonymise", "-o", s(&out)]);
    let project = Project::open(&path).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    for name in real_names(&project) {
        assert!(!has_word(&text, &name), "{name} is in the table");
    }
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), expected_quotes(&project).len());
    assert!(rows.iter().any(|r| r["Répondant"] == "Répondante A"));
}

// The data matrix counts what the codings say, counted here from the store's excerpts:
// one row per respondent with a document (none for the withdrawn one), 0/1 or counts.
#[test]
fn respondent_matrix_matches_a_count_of_the_codings() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::open(&sample(dir.path())).unwrap();
    let conn = project.conn();
    let mut counts: HashMap<(String, String), i64> = HashMap::new();
    for e in kept_excerpts(&project) {
        if let Some(name) = e.respondent_name {
            *counts.entry((name, e.code_path)).or_default() += 1;
        }
    }
    let gone = withdrawn(&project);
    let with_documents: BTreeSet<String> = documents::list(conn)
        .unwrap()
        .into_iter()
        .filter_map(|d| d.respondent_guid)
        .filter(|g| *g != gone.guid)
        .map(|g| respondents::get(conn, &g).unwrap().name)
        .collect();
    for presence in [true, false] {
        let options = TableOptions {
            presence,
            ..TableOptions::default()
        };
        let tables = fouille::analysis::compute(
            conn,
            TableKind::RespondentMatrix,
            &AnalysisFilter::default(),
            &options,
            Lang::Fr,
        )
        .unwrap();
        let (data, variables) = (&tables[0], &tables[1]);
        let label: HashMap<&str, String> = variables
            .rows
            .iter()
            .map(|r| (r[0].display(), r[1].display()))
            .map(|(name, label)| {
                let name = data.columns.iter().find(|c| **c == name).unwrap();
                (name.as_str(), label)
            })
            .collect();
        assert_eq!(data.columns[0], "repondant");
        assert!(data.columns.iter().all(|c| {
            c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        }));
        let rows: BTreeSet<String> = data.rows.iter().map(|r| r[0].display()).collect();
        assert_eq!(rows, with_documents);
        let mut checked = 0;
        for row in &data.rows {
            let who = row[0].display();
            for (c, cell) in row.iter().enumerate().skip(1) {
                let path = &label[data.columns[c].as_str()];
                if !path.contains('/') {
                    continue; // an attribute
                }
                let n = counts
                    .get(&(who.clone(), path.clone()))
                    .copied()
                    .unwrap_or(0);
                let want = if presence { i64::from(n > 0) } else { n };
                assert_eq!(*cell, Cell::Int(want), "{who} × {path}");
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked} cells checked");
    }
}

// Text that looks like IRaMuTeQ's markup (a line of four stars, a thematic line, `_x_`
// forms, stray stars) stays text: one starred line per excerpt, nothing else starred;
// attribute names clashing with the fixed variables get a number.
#[test]
fn iramuteq_corpus_keeps_markup_out_of_the_texts() {
    use fouille::app::iramuteq::{IramuteqRequest, export_iramuteq};
    use fouille::export::iramuteq::IramuteqOptions;
    use fouille::model::{AttributeType, CodeKind, DocumentKind};
    use fouille::store::codes::NewCode;
    use fouille::store::documents::NewDocument;
    use fouille::store::respondents::NewRespondent;
    use fouille::store::{codes, codings};

    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::create(&dir.path().join("m.fouille"), "m", Some("C")).unwrap();
    let text = "Question ?\n**** *faux_texte\n-*theme_x\nUn _rire_ et 2*3 étoiles.\nFin.";
    project
        .action("setup", |tx| {
            let r = respondents::insert(
                tx,
                NewRespondent {
                    guid: None,
                    name: "Zoé Martin".into(),
                    pseudonym: String::new(),
                    consent: Consent::Given,
                },
            )?;
            for (name, value) in [("Type d'organisation", "Mairie *rurale*"), ("code", "x")] {
                let a = attributes::define(
                    tx,
                    name,
                    AttributeType::Text,
                    AttributeScope::Respondent,
                    None,
                )?;
                attributes::set_value(tx, &a.guid, &r, Some(value))?;
            }
            let doc = documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "entretien *1*".into(),
                    kind: DocumentKind::Interview,
                    text: text.into(),
                    origin: String::new(),
                    media_path: None,
                    respondent_guid: Some(r),
                },
            )?;
            let code = codes::insert(tx, NewCode::new("Rire", CodeKind::Theme, None))?;
            codings::apply(tx, &doc, &code, 0, text.chars().count())?;
            codings::apply(tx, &doc, &code, 11, 40)?;
            Ok(())
        })
        .unwrap();
    let out = dir.path().join("c.txt");
    let request = IramuteqRequest {
        filter: AnalysisFilter::default(),
        options: IramuteqOptions::default(),
        pseudonymise: false,
        lang: Lang::Fr,
        path: out.clone(),
    };
    let outcome = export_iramuteq(&project, &request).unwrap();
    assert_eq!((outcome.texts, outcome.respondents), (2, 1));
    let corpus = std::fs::read_to_string(&out).unwrap();
    let texts = texts(&corpus);
    assert_eq!(texts.len(), 2, "{corpus}");
    for (line, body) in &texts {
        let vars = variables(line);
        assert_eq!(vars["resp"], ["zoé_martin"]);
        assert_eq!(vars["doc"], ["entretien_1"]);
        assert_eq!(vars["code"], ["rire"]);
        assert_eq!(vars["typedorganisation"], ["mairie_rurale"]);
        assert_eq!(vars["code2"], ["x"]);
        assert!(!body.contains('*') && !body.contains('_'), "{body}");
        assert!(body.lines().all(|l| !l.starts_with("-*")));
    }
    assert!(
        texts[0].1.contains("-theme x\nUn  rire  et 23 étoiles."),
        "{}",
        texts[0].1
    );
}
