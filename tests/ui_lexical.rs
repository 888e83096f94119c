//! Lexical search in the app, clicked by label on the real sample project: a phrase query
//! and its passages, a malformed query's French message, the concordance sorted by its
//! right context, coding two ticked hits by sentence in one undo step, the word table and
//! its stop words on the Analysis screen, and mouse selections snapping to whole words.

use egui::{Event, Key, Modifiers, PointerButton, Pos2, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use fouille::analysis::{AnalysisFilter, Lang, TableKind, TableOptions};
use fouille::app::lexical::{self, SearchRequest, SearchScope};
use fouille::lexical::Span;
use fouille::lexical::units::{self, Unit};
use fouille::store::documents;
use fouille::ui::FouilleApp;
use fouille::ui::state::Screen;
use unicode_normalization::UnicodeNormalization;

use crate::support::ui::{code_guid, drag, find_in_open_document, harness, sample};

/// Lower case, accents dropped, œ/æ split: how the test folds a word, apart from the app.
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace('œ', "oe")
        .replace('æ', "ae")
}

/// The folded words of a text (runs of letters and digits).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// How many times the words of `phrase` follow each other in the project's texts.
fn phrase_count(app: &FouilleApp, phrase: &str) -> usize {
    let wanted = words(phrase);
    let conn = app.project().unwrap().conn();
    app.cache()
        .documents
        .iter()
        .map(|d| {
            let text = documents::text(conn, &d.guid).unwrap();
            words(&text)
                .windows(wanted.len())
                .filter(|w| *w == wanted.as_slice())
                .count()
        })
        .sum()
}

/// Opens the search tab (Ctrl+F), types a query and presses Enter.
fn search(h: &mut Harness<'static, FouilleApp>, query: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Requête :")
        .click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text(query.into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

// A phrase query finds each place the two words follow each other (across punctuation and
// line breaks), counted by document; a click on a line opens its document at the hit.
#[test]
fn phrase_query_finds_its_passages_and_opens_one() {
    let sample = sample();
    let mut h = harness(&sample.path);
    search(&mut h, "\"service public\"");
    let expected = phrase_count(h.state(), "service public");
    assert!(expected >= 5, "{expected}");
    let overview = h.state().search().overview.clone().expect("results");
    assert_eq!(overview.results.total, expected);
    assert_eq!(overview.lines.len(), expected);
    let by_document: usize = overview.results.documents.iter().map(|c| c.hits).sum();
    assert_eq!(by_document, expected);
    assert!(!overview.results.respondents.is_empty());
    for line in &overview.lines {
        assert_eq!(words(&line.line.matched), ["service", "public"], "{line:?}");
    }
    // The summary says it in French.
    let summary = format!("{expected} passage(s) dans");
    assert!(h.query_by_label_contains(&summary).is_some());
    // Click the second line: its document opens with the hit selected.
    let line = overview.lines[1].clone();
    // The line as shown: at least the last 8 chars of its left context.
    let left: String = line
        .line
        .left
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let shown = format!("{left}{}{}", line.line.matched, line.line.right);
    h.query_all_by_label_contains(&shown)
        .next()
        .expect("the line is shown")
        .click();
    h.run();
    assert_eq!(
        h.state().nav().document.as_ref().map(|d| d.as_str()),
        Some(line.document_guid.as_str())
    );
    assert_eq!(
        h.state().document_view().selected_range(),
        Some((line.line.span.start, line.line.span.end))
    );
}

// A malformed query is refused with the parser's message in French, naming the token.
#[test]
fn a_bad_query_says_which_token_in_french() {
    let sample = sample();
    let mut h = harness(&sample.path);
    search(&mut h, "accueil ET (guichet");
    let error = h.state().search().error.clone().expect("an error");
    assert!(
        error.contains("Requête mal formée") && error.contains("jamais fermée"),
        "{error}"
    );
    assert!(
        error.contains("« ( »") && error.contains("caractère 12"),
        "{error}"
    );
    assert!(h.query_by_label(&error).is_some());
    assert!(h.state().search().overview.is_none());
}

// The concordance sorted by its right context: the words after each hit, nearest first,
// are in order (accents and case ignored); sorting by document puts it back.
#[test]
fn concordance_sorted_by_right_context() {
    let sample = sample();
    let mut h = harness(&sample.path);
    search(&mut h, "accueil");
    let by_document: Vec<Span> = h
        .state()
        .search_hits()
        .iter()
        .map(|l| l.line.span)
        .collect();
    assert!(by_document.len() > 10);
    h.get_by_label("contexte droit").click();
    h.run();
    let lines = h.state().search_hits().to_vec();
    let keys: Vec<Vec<String>> = lines.iter().map(|l| words(&l.line.right)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    assert_ne!(
        lines.iter().map(|l| l.line.span).collect::<Vec<_>>(),
        by_document
    );
    // The first line shown is the first in that order.
    let first = &lines[0];
    assert!(
        h.query_by_label_contains(&format!("{}{}", first.line.matched, first.line.right))
            .is_some()
    );
    h.get_by_label("document").click();
    h.run();
    let again: Vec<Span> = h
        .state()
        .search_hits()
        .iter()
        .map(|l| l.line.span)
        .collect();
    assert_eq!(again, by_document);
    // Exported, by default beside the project, as the command line writes it.
    let dir = sample.path.parent().unwrap().to_path_buf();
    assert!(
        h.state()
            .search()
            .export_path
            .starts_with(dir.to_str().unwrap())
    );
    h.get_by_label("contexte droit").click();
    h.run();
    h.get_by_label("CSV").click();
    h.run();
    let path = dir.join("concordance.csv");
    h.state_mut().search_mut().export_path = path.display().to_string();
    h.get_by_label("Exporter la concordance").click();
    h.run();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "Document",
            "Répondant",
            "Contexte gauche",
            "Occurrence",
            "Contexte droit",
            "Début",
            "Fin"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), lines.len());
    for (row, line) in rows.iter().zip(&lines) {
        assert_eq!(&row[0], line.document);
        assert_eq!(&row[3], line.line.matched);
        assert_eq!(row[5], line.line.span.start.to_string());
    }
}

// Where to look: the documents of an attribute value, and the passages coded with a code
// (chosen in the lists), find what the application layer finds with that scope.
#[test]
fn search_by_attribute_and_by_code() {
    let sample = sample();
    let mut h = harness(&sample.path);
    search(&mut h, "accueil");
    let all = h.state().search().overview.clone().unwrap().results.total;
    let expect = |h: &Harness<'static, FouilleApp>, scope: SearchScope| {
        let mut request = SearchRequest::new("accueil");
        request.scope = scope;
        lexical::search(h.state().project().unwrap().conn(), &request)
            .unwrap()
            .total
    };
    h.get_by_role_and_label(Role::ComboBox, "Chercher dans :")
        .click();
    h.run();
    h.get_by_label("les documents d'un attribut").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "attribut :")
        .click();
    h.run();
    h.get_by_label("territory").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "valeur :").click();
    h.run();
    h.get_by_label("Rural").click();
    h.run();
    h.get_by_label("Chercher").click();
    h.run();
    let rural = h.state().search().overview.clone().unwrap().results;
    let scope = SearchScope {
        attributes: vec![("territory".into(), "Rural".into())],
        ..SearchScope::default()
    };
    assert_eq!(rural.total, expect(&h, scope));
    assert!(
        0 < rural.total && rural.total < all,
        "{} of {all}",
        rural.total
    );
    h.get_by_role_and_label(Role::ComboBox, "Chercher dans :")
        .click();
    h.run();
    h.get_by_label("les passages codés avec").click();
    h.run();
    // No code chosen yet: said, not searched.
    h.get_by_label("Chercher").click();
    h.run();
    assert_eq!(
        h.state().search().error.as_deref(),
        Some("Choisissez le code des passages où chercher.")
    );
    h.get_by_role_and_label(Role::ComboBox, "code :").click();
    h.run();
    let code = code_guid(h.state(), "Crise sanitaire");
    let path = h
        .state()
        .cache()
        .code(&code)
        .unwrap()
        .path
        .replace('/', " › ");
    h.get_by_label(&path).scroll_to_me();
    h.run();
    h.get_by_label(&path).click();
    h.run();
    h.get_by_label("Chercher").click();
    h.run();
    let coded = h.state().search().overview.clone().unwrap().results;
    let scope = SearchScope {
        codes: vec![code.to_string()],
        ..SearchScope::default()
    };
    assert_eq!(coded.total, expect(&h, scope));
    assert!(
        0 < coded.total && coded.total < all,
        "{} of {all}",
        coded.total
    );
}

// Two ticked hits coded by sentence: the preview says how many codings, the codings lie on
// the sentences around the hits, signed by the acting coder, and one undo removes both.
#[test]
fn tick_two_hits_and_code_them_by_sentence() {
    let sample = sample();
    let mut h = harness(&sample.path);
    search(&mut h, "\"service public\"");
    let lines = h.state().search_hits().to_vec();
    h.get_by_role_and_label(Role::CheckBox, "1").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "2").click();
    h.run();
    assert_eq!(h.state().search().ticks.some.len(), 2);
    // The code, picked in the list, and the unit.
    h.get_by_role_and_label(Role::ComboBox, "Coder les 2 passage(s) cochés avec :")
        .click();
    h.run();
    let code = code_guid(h.state(), "Repli stratégique");
    let path = h
        .state()
        .cache()
        .code(&code)
        .unwrap()
        .path
        .replace('/', " › ");
    h.get_by_label(&path).scroll_to_me();
    h.run();
    h.get_by_label(&path).click();
    h.run();
    h.get_by_label("Phrase").click();
    h.run();
    assert_eq!(h.state().search().code.as_deref(), Some(code.as_str()));
    // The sentences around the two hits, from the units of the texts (one if both hits
    // are in the same sentence).
    let conn = h.state().project().unwrap().conn();
    let expected: std::collections::BTreeSet<(String, usize, usize)> = lines[..2]
        .iter()
        .map(|l| {
            let text = documents::text(conn, &l.document_guid).unwrap();
            let s = units::expand(&text, l.line.span, Unit::Sentence);
            (l.document_guid.to_string(), s.start, s.end)
        })
        .collect();
    let n = expected.len();
    let preview = format!("{n} codage(s) à faire (0 déjà faits)");
    assert!(h.query_by_label(&preview).is_some(), "{preview}");
    let before = mine(&h, code.as_str());
    h.get_by_role_and_label(Role::Button, "Coder").click();
    h.run();
    let after = mine(&h, code.as_str());
    let made: std::collections::BTreeSet<_> = after.difference(&before).cloned().collect();
    assert_eq!(made, expected);
    // Each coded range is a whole sentence: it ends on a sentence's last mark.
    for (doc, start, end) in &made {
        let doc = fouille::model::DocumentId::new(doc.clone());
        let text = documents::text(h.state().project().unwrap().conn(), &doc).unwrap();
        let coded: String = text.chars().skip(*start).take(end - start).collect();
        assert!(
            coded.trim_end().ends_with(['.', '!', '?', '…', '»']),
            "{coded}"
        );
        assert!(
            coded.chars().next().unwrap().is_uppercase() || coded.starts_with('«'),
            "{coded}"
        );
    }
    let message = h.state().message().unwrap().text.clone();
    assert!(
        message.contains(&format!("{n} passage(s) codé(s)")),
        "{message}"
    );
    // The preview now says they are made.
    let preview = format!("0 codage(s) à faire ({n} déjà faits)");
    assert!(h.query_by_label(&preview).is_some(), "{preview}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(mine(&h, code.as_str()), before);
}

/// The acting coder's live codings of a code, as (document, start, end).
fn mine(
    h: &Harness<'static, FouilleApp>,
    code: &str,
) -> std::collections::BTreeSet<(String, usize, usize)> {
    let app = h.state();
    let me = app.cache().coder.as_ref().unwrap().guid.clone();
    fouille::store::codings::list(app.project().unwrap().conn())
        .unwrap()
        .into_iter()
        .filter(|c| c.code_guid.as_str() == code && c.created_by == me)
        .map(|c| (c.document_guid.to_string(), c.start_char, c.end_char))
        .collect()
}

/// The Analysis screen on the word table.
fn word_table(h: &mut Harness<'static, FouilleApp>) {
    h.get_by_label("Analyse").click();
    h.run();
    h.get_by_label("Fréquences des mots").click();
    h.run();
    assert_eq!(h.state().state().screen, Screen::Analysis);
    assert_eq!(h.state().analysis().kind, TableKind::Words);
}

/// The words of the word table shown, in order.
fn shown_words(h: &Harness<'static, FouilleApp>) -> Vec<String> {
    h.state().analysis().tables[0]
        .rows
        .iter()
        .map(|r| r[0].display())
        .collect()
}

// The word table and its chart, worded in French only, as the core computes it.
#[test]
fn word_table_on_the_analysis_screen_in_french() {
    let sample = sample();
    let mut h = harness(&sample.path);
    word_table(&mut h);
    let expected = fouille::analysis::compute(
        h.state().project().unwrap().conn(),
        TableKind::Words,
        &AnalysisFilter::default(),
        &TableOptions::default(),
        Lang::Fr,
    )
    .unwrap();
    let table = &h.state().analysis().tables[0];
    assert_eq!(table.title, "Fréquences des mots");
    assert_eq!(table.columns, ["Mot", "Occurrences", "% des mots"]);
    assert_eq!(table.rows, expected[0].rows);
    assert_eq!(table.rows.len(), 50);
    let top = table.rows[0][0].display();
    assert!(h.query_all_by_label(&top).next().is_some());
    assert!(h.query_by_label("Mots les plus fréquents").is_some());
    assert!(matches!(
        h.state().analysis().chart,
        fouille::ui::views::analysis::AnalysisChart::Bars(ref b) if b[0].label == top
    ));
    for english in [
        "Word frequencies",
        "Word",
        "% of words",
        "Most frequent words",
        "Break down by:",
        "Stop words (left out of the count)",
        "Shortest word:",
        "Words shown:",
    ] {
        assert!(h.query_by_label(english).is_none(), "{english}");
    }
    // Restricted to the passages coded with a code: the table follows.
    let code = code_guid(h.state(), "Repli stratégique");
    h.state_mut().analysis_mut().words.code = Some(code.to_string());
    h.state_mut().analysis_mut().invalidate();
    h.run();
    let filter = AnalysisFilter {
        codes: vec![code.to_string()],
        ..AnalysisFilter::default()
    };
    let coded = fouille::analysis::compute(
        h.state().project().unwrap().conn(),
        TableKind::Words,
        &filter,
        &TableOptions::default(),
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(h.state().analysis().tables[0].rows, coded[0].rows);
    assert_ne!(coded[0].rows, expected[0].rows);
}

// A stop word added in the editor leaves the table (and is kept in the project); taking a
// built-in stop word out brings that word in; restoring the list puts the table back.
#[test]
fn editing_stop_words_changes_the_word_table() {
    let sample = sample();
    let mut h = harness(&sample.path);
    word_table(&mut h);
    let before = shown_words(&h);
    assert!(!before.iter().any(|w| fold(w) == "alors"));
    let top = before[0].clone();
    h.get_by_label("Mots vides (exclus du compte)").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Ajouter un mot vide français :")
        .click();
    h.run();
    h.event(Event::Text(top.clone()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let after = shown_words(&h);
    assert!(!after.contains(&top), "{after:?}");
    assert_eq!(after[0], before[1]);
    let kept = fouille::app::lexical::stop_word_edits(h.state().project().unwrap().conn()).unwrap();
    assert_eq!(kept.french.added, std::slice::from_ref(&top));
    // « alors » out of the French list: it is counted again.
    h.get_by_label("alors ×").scroll_to_me();
    h.run();
    h.get_by_label("alors ×").click();
    h.run();
    assert!(shown_words(&h).iter().any(|w| fold(w) == "alors"));
    h.get_by_label("Rétablir la liste française d'origine")
        .click();
    h.run();
    assert_eq!(shown_words(&h), before);
    assert!(h.state().cache().stop_words.is_default());
}

// The help window (F1, or the search box's « ? ») explains the search language, in French
// and in English.
#[test]
fn help_explains_the_search_language() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.get_by_role_and_label(Role::Button, "?").click();
    h.run();
    assert!(h.state().dialog_open());
    assert!(h.query_by_label("Langage de recherche").is_some());
    for line in [
        "tout mot qui commence ainsi (administration, administratif)",
        "a SAUF b · a NOT b",
        "PRÈS(a b, 5) · NEAR(a b, 5)",
    ] {
        assert!(h.query_by_label(line).is_some(), "{line}");
    }
    h.get_by_label("Fermer").click();
    h.run();
    assert!(!h.state().dialog_open());
    h.get_by_label("EN").click();
    h.run();
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_by_label("Search language").is_some());
    assert!(
        h.query_by_label("any word starting so (administration, administratif)")
            .is_some()
    );
    assert!(h.query_by_label("Langage de recherche").is_none());
}

/// Drags from `from` to `to` holding `modifiers` throughout.
fn drag_with(h: &mut Harness<'static, FouilleApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.hover_at(from);
    h.step();
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.step();
    for i in 1..=4 {
        h.hover_at(from + (to - from) * (i as f32 / 4.0));
        h.step();
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.step();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

// A drag from inside one word to inside another selects both words whole; with Alt held
// it keeps the exact characters.
#[test]
fn mouse_selection_snaps_to_words_unless_alt() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let phrase = "viennent pour une aide";
    let (start, end) = find_in_open_document(h.state(), phrase);
    // From « vie|nnent » to « ai|de ».
    let from = h
        .state()
        .document_view()
        .char_screen_pos(start + 3)
        .unwrap();
    let to = h.state().document_view().char_screen_pos(end - 2).unwrap();
    drag(&mut h, from, to);
    assert!(h.state().document_view().snaps_to_words());
    assert_eq!(
        h.state().document_view().selected_text().as_deref(),
        Some(phrase)
    );
    drag_with(&mut h, from, to, Modifiers::ALT);
    assert!(!h.state().document_view().snaps_to_words());
    assert_eq!(
        h.state().document_view().selected_range(),
        Some((start + 3, end - 2))
    );
    assert_eq!(
        h.state().document_view().selected_text().as_deref(),
        Some("nnent pour une ai")
    );
}
