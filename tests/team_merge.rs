//! Merging copies of a project (issue 5): a team scenario on real interviews, edited
//! transcripts, an interview imported twice, merging into an open project, and failures
//! that leave everything unchanged. The merge laws are proved in `team_merge_laws`.

use fouille::model::{CodeKind, DocumentKind, MemoTarget};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::{OpenOptions, Project, StoreResult, Tx, codes, codings, documents, memos};
use fouille::team::fingerprint::file_fingerprint;
use fouille::team::merge::{MergeOptions, merge_files, merge_into};
use fouille::team::report::Entity;
use fouille::team::snapshot::open_read_only;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A fixed clock for the tests: every action is stamped explicitly.
pub(crate) const T0: i64 = 1_750_000_000_000;

/// Runs one action at time `t` as the project's acting coder (no undo step).
pub(crate) fn at<T>(p: &mut Project, t: i64, f: impl FnOnce(&Tx) -> StoreResult<T>) -> StoreResult<T> {
    p.bulk_action(|tx| f(&Tx { conn: tx.conn, coder_id: tx.coder_id, now_ms: t }))
}

/// Closes `p` and copies its file to each destination (a coder's copy).
pub(crate) fn distribute(p: Project, dests: &[&Path]) {
    p.checkpoint().unwrap();
    let from = p.path().to_path_buf();
    drop(p);
    for d in dests {
        std::fs::copy(&from, d).unwrap();
    }
}

/// Opens a copy as a coder.
pub(crate) fn open_as(path: &Path, coder: &str) -> Project {
    Project::open_with(path, &OpenOptions { coder: Some(coder.into()), ..OpenOptions::default() }).unwrap()
}

/// Asserts two fingerprints are equal, showing the lines that differ.
pub(crate) fn assert_same(left: &[String], right: &[String], what: &str) {
    if left != right {
        let l: HashSet<&String> = left.iter().collect();
        let r: HashSet<&String> = right.iter().collect();
        let only_left: Vec<_> = left.iter().filter(|x| !r.contains(x)).take(8).collect();
        let only_right: Vec<_> = right.iter().filter(|x| !l.contains(x)).take(8).collect();
        panic!("{what}: fingerprints differ\nonly left: {only_left:#?}\nonly right: {only_right:#?}");
    }
}

/// The first `n` interviews of the bundled sample, parsed by the real importers.
fn interviews(n: usize) -> Vec<(String, String)> {
    let files = fouille::sample::embedded_files();
    files
        .iter()
        .filter(|(k, _)| k.starts_with("interviews/"))
        .take(n)
        .map(|(k, bytes)| {
            let ext = Path::new(k).extension().and_then(|e| e.to_str()).unwrap_or("");
            let parsed = fouille::import::parse_by_extension(ext, bytes).unwrap();
            (k.trim_start_matches("interviews/").to_string(), parsed.text)
        })
        .collect()
}

fn code(p: &Project, path: &str) -> String {
    codes::resolve(p.conn(), path).unwrap().guid
}

fn doc_guids(p: &Project) -> Vec<String> {
    documents::list(p.conn()).unwrap().into_iter().map(|d| d.guid).collect()
}

/// Codes `[start, start + len)` of document `doc` with `code` at time `t`.
fn apply(p: &mut Project, t: i64, doc: &str, code: &str, start: usize, len: usize) -> String {
    let (doc, code) = (doc.to_string(), code.to_string());
    at(p, t, |tx| codings::apply(tx, &doc, &code, start, start + len)).unwrap()
}

/// Live codings of a project file: GUID → (document, code, start, end, coder name).
fn live_codings(path: &Path) -> BTreeMap<String, (String, String, usize, usize, String)> {
    let conn = open_read_only(path).unwrap();
    let coder_names: BTreeMap<String, String> =
        fouille::store::coders::list(&conn).unwrap().into_iter().map(|c| (c.guid, c.name)).collect();
    codings::list(&conn)
        .unwrap()
        .into_iter()
        .map(|c| (c.guid, (c.document_guid, c.code_guid, c.start_char, c.end_char, coder_names[&c.created_by].clone())))
        .collect()
}

const RITUALS: &str = "Orientations/Prendre soin des rituels";

// issue 5: the team scenario of the acceptance criteria
#[test]
fn three_coders_merge_keeps_every_surviving_coding_once() {
    let dir = tempfile::tempdir().unwrap();
    let lead_path = dir.path().join("lead.fouille");
    let mut lead = Project::create(&lead_path, "Réflexes publics — équipe", Some("Lead")).unwrap();
    let docs = interviews(10);
    at(&mut lead, T0, |tx| {
        fouille::templates::load(tx, &fouille::templates::reflexes_publics())?;
        for (name, text) in &docs {
            documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: name.clone(),
                    kind: DocumentKind::Interview,
                    text: text.clone(),
                    origin: name.clone(),
                    media_path: None,
                    respondent_guid: None,
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    let d = doc_guids(&lead);
    assert_eq!(d.len(), 10);
    let victime = code(&lead, "Controverses/La participation citoyenne/Victime collatérale");
    let repli = code(&lead, "Controverses/La participation citoyenne/Repli stratégique");
    let normalisation = code(&lead, "Controverses/Les démarches administratives/Nouvelle normalisation");
    let rituals = code(&lead, RITUALS);
    let l1 = apply(&mut lead, T0 + 10, &d[0], &victime, 100, 40);
    let l2 = apply(&mut lead, T0 + 11, &d[1], &repli, 200, 30);
    let l3 = apply(&mut lead, T0 + 12, &d[2], &normalisation, 300, 50);
    let (claire_path, yann_path, lou_path) =
        (dir.path().join("claire.fouille"), dir.path().join("yann.fouille"), dir.path().join("lou.fouille"));
    distribute(lead, &[&claire_path, &yann_path, &lou_path]);

    // Lou works first (her clock is earliest).
    let mut lou = open_as(&lou_path, "Lou Bernard");
    for i in 0..10 {
        apply(&mut lou, T0 + 500 + i as i64, &d[i], &rituals, 1000 + 7 * i, 60);
    }
    let lou_lenteurs = at(&mut lou, T0 + 600, |tx| codes::insert(tx, NewCode::new("Lenteurs", CodeKind::Theme, None))).unwrap();
    let lou_slow_1 = apply(&mut lou, T0 + 601, &d[3], &lou_lenteurs, 400, 25);
    apply(&mut lou, T0 + 602, &d[4], &lou_lenteurs, 410, 25);
    at(&mut lou, T0 + 700, |tx| codings::remove(tx, &l2)).unwrap(); // nobody else touches L2
    at(&mut lou, T0 + 800, |tx| codings::set_range(tx, &l3, 300, 360)).unwrap(); // Claire deletes it later
    at(&mut lou, T0 + 810, |tx| memos::add(tx, &MemoTarget::Coding(lou_slow_1.clone()), "Lenteur du guichet.", None)).unwrap();
    let lou_gone = apply(&mut lou, T0 + 820, &d[5], &victime, 50, 10);
    at(&mut lou, T0 + 830, |tx| codings::remove(tx, &lou_gone)).unwrap();
    drop(lou);

    let mut claire = open_as(&claire_path, "Claire Morel");
    let mut claire_codings = Vec::new();
    for i in 0..6 {
        claire_codings.push(apply(&mut claire, T0 + 1000 + i as i64, &d[i], &victime, 500 + 11 * i, 80));
        claire_codings.push(apply(&mut claire, T0 + 1010 + i as i64, &d[i], &normalisation, 900, 45));
    }
    at(&mut claire, T0 + 1100, |tx| codes::rename(tx, &rituals, "Soigner les rituels")).unwrap();
    let claire_lenteurs = at(&mut claire, T0 + 1200, |tx| codes::insert(tx, NewCode::new("Lenteurs", CodeKind::Theme, None))).unwrap();
    apply(&mut claire, T0 + 1201, &d[3], &claire_lenteurs, 400, 25);
    apply(&mut claire, T0 + 1202, &d[6], &claire_lenteurs, 420, 25);
    at(&mut claire, T0 + 1300, |tx| codings::remove(tx, &claire_codings[0])).unwrap();
    at(&mut claire, T0 + 1301, |tx| codings::remove(tx, &claire_codings[3])).unwrap();
    at(&mut claire, T0 + 1400, |tx| codings::remove(tx, &l1)).unwrap(); // Yann changes it later
    at(&mut claire, T0 + 1500, |tx| codings::remove(tx, &l3)).unwrap(); // later than Lou's change
    drop(claire);

    let mut yann = open_as(&yann_path, "Yann Le Gall");
    let mut yann_codings = Vec::new();
    for i in 0..6 {
        // the same passages and code as Claire's first series: two coders, two codings
        yann_codings.push(apply(&mut yann, T0 + 2000 + i as i64, &d[i], &victime, 500 + 11 * i, 80));
        yann_codings.push(apply(&mut yann, T0 + 2010 + i as i64, &d[i + 4], &repli, 1500, 33));
    }
    at(&mut yann, T0 + 2100, |tx| codes::rename(tx, &rituals, "Prendre soin des rituels collectifs")).unwrap();
    at(&mut yann, T0 + 2200, |tx| codings::set_range(tx, &l1, 90, 150)).unwrap();
    at(&mut yann, T0 + 2300, |tx| codings::remove(tx, &yann_codings[1])).unwrap();
    drop(yann);

    let copies = [claire_path.clone(), yann_path.clone(), lou_path.clone()];
    let mut survivors: BTreeMap<String, (String, String, usize, usize, String)> = BTreeMap::new();
    for c in &copies {
        survivors.extend(live_codings(c));
    }
    // What the later changes decide: L1 lives (Yann changed it after Claire deleted it),
    // L2 and L3 are gone (deleted after every other change), Yann's range wins for L1.
    survivors.remove(&l2);
    survivors.remove(&l3);
    let mut expected_l1 = survivors[&l1].clone();
    (expected_l1.2, expected_l1.3) = (90, 150);
    survivors.insert(l1.clone(), expected_l1);
    for gone in [&claire_codings[0], &claire_codings[3], &yann_codings[1], &lou_gone] {
        assert!(!survivors.contains_key(gone.as_str()));
    }

    let merged_path = dir.path().join("merged.fouille");
    let options = MergeOptions { now_ms: T0 + 10_000, ..MergeOptions::default() };
    let report = merge_files(&merged_path, &copies, &options).unwrap();
    let merged = live_codings(&merged_path);
    // Every surviving coding exactly once, with its document, code, range and coder.
    assert_eq!(merged, survivors);
    let keys: HashSet<_> = merged.values().collect();
    assert_eq!(keys.len(), merged.len(), "a coding appears twice");
    assert_eq!(report.result.codings, merged.len());
    let by_coder = |name: &str| merged.values().filter(|v| v.4 == name).count();
    assert_eq!(by_coder("Claire Morel"), 12 - 2 + 2);
    assert_eq!(by_coder("Yann Le Gall"), 12 - 1);
    assert_eq!(by_coder("Lou Bernard"), 10 + 2);
    assert_eq!(by_coder("Lead"), 1); // L1

    let project = Project::open(&merged_path).unwrap();
    assert_eq!(codes::get(project.conn(), &rituals).unwrap().name, "Prendre soin des rituels collectifs");
    assert_eq!(fouille::store::check::check(project.conn()).unwrap(), Vec::<String>::new());
    let l1_row = codings::get(project.conn(), &l1).unwrap();
    assert_eq!((l1_row.start_char, l1_row.end_char, l1_row.source_project.as_str()), (90, 150, "yann.fouille"));
    let lou_row = codings::get(project.conn(), &lou_slow_1).unwrap();
    assert_eq!(lou_row.source_project, "lou.fouille");
    assert_eq!(memos::for_target(project.conn(), &MemoTarget::Coding(lou_slow_1.clone())).unwrap().len(), 1);
    drop(project);

    // The report: three conflicts (both sides changed), L2 a one-sided deletion.
    let conflicts: Vec<(Entity, String)> = report.conflicts().map(|c| (c.entity, c.guid.clone())).collect();
    assert!(conflicts.contains(&(Entity::Code, rituals.clone())), "{conflicts:?}");
    assert!(conflicts.contains(&(Entity::Coding, l1.clone())), "{conflicts:?}");
    assert!(conflicts.contains(&(Entity::Coding, l3.clone())), "{conflicts:?}");
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    let rename = report.conflicts().find(|c| c.guid == rituals).unwrap();
    assert!(rename.lost.summary.contains("Soigner les rituels") && rename.lost.from == ["claire.fouille"]);
    assert!(rename.kept.summary.contains("collectifs") && rename.kept.from == ["yann.fouille"]);
    let l3_conflict = report.conflicts().find(|c| c.guid == l3).unwrap();
    assert!(l3_conflict.kept.deleted && !l3_conflict.lost.deleted && l3_conflict.lost.from == ["lou.fouille"]);
    let l2_update = report.superseded.iter().find(|s| s.guid == l2).unwrap();
    assert!(!l2_update.both_changed && l2_update.kept.deleted);
    let offered: Vec<_> = report.unified.iter().filter(|u| u.entity == Entity::Code).collect();
    assert_eq!(offered.len(), 1);
    assert!(!offered[0].applied && offered[0].what.contains("Lenteurs"));
    let md = report.to_markdown();
    assert!(md.contains("Conflits — Conflicts (3)") && md.contains("Soigner les rituels"), "{md}");
    let html = report.to_html();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Prendre soin des rituels collectifs"));

    // Order of the inputs does not matter.
    let reversed = dir.path().join("reversed.fouille");
    merge_files(&reversed, &[lou_path.clone(), claire_path.clone(), yann_path.clone()], &options).unwrap();
    assert_same(&file_fingerprint(&merged_path).unwrap(), &file_fingerprint(&reversed).unwrap(), "merge order");

    // With --unify-codes the two « Lenteurs » are one code holding both coders' codings.
    let unified_path = dir.path().join("unified.fouille");
    let unified = merge_files(&unified_path, &copies, &MergeOptions { unify_codes: true, ..options }).unwrap();
    assert!(unified.unified.iter().any(|u| u.entity == Entity::Code && u.applied));
    let project = Project::open(&unified_path).unwrap();
    let lenteurs = codes::resolve(project.conn(), "Lenteurs").unwrap();
    assert_eq!(lenteurs.guid, lou_lenteurs.clone().min(claire_lenteurs.clone()));
    let on_lenteurs: Vec<_> = live_codings(&unified_path).into_values().filter(|v| v.1 == lenteurs.guid).collect();
    assert_eq!(on_lenteurs.len(), 4);
    assert_eq!(fouille::store::check::check(project.conn()).unwrap(), Vec::<String>::new());
}

fn single_doc_project(path: &Path, text: &str) -> (Project, String, String) {
    let mut p = Project::create(path, "Transcriptions", Some("Lead")).unwrap();
    let (doc, code) = at(&mut p, T0, |tx| {
        let doc = documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: "entretien-07".into(),
                kind: DocumentKind::Transcript,
                text: text.into(),
                origin: String::new(),
                media_path: None,
                respondent_guid: None,
            },
        )?;
        let code = codes::insert(tx, NewCode::new("Réorganisation", CodeKind::Theme, None))?;
        Ok((doc, code))
    })
    .unwrap();
    (p, doc, code)
}

fn char_range(text: &str, quote: &str) -> (usize, usize) {
    let byte = text.find(quote).unwrap_or_else(|| panic!("« {quote} » not in text"));
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

// issue 5: an edited transcript keeps both coders' codings, rebased, and lists the rest
#[test]
fn edited_transcript_rebases_codings_and_lists_what_cannot_be_placed() {
    let original = "Enquêteur : Bonjour, merci 🙂.\nAgnès : Euh, on a réorganisé le service en 2021, c’est ça.\nAgnès : Les équipes ont été coupées en deux.\nAgnès : Depuis, l’accueil ferme à midi.\n";
    let edited = "Enquêteur : Bonjour, merci 🙂 de me recevoir.\nAgnès : On a réorganisé le service en 2021, c’est ça.\nAgnès : Les équipes ont été divisées en deux.\nAgnès : Depuis, l’accueil ferme à midi.\n";
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(&base, original);
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);

    let mut yann = open_as(&b, "Yann");
    let quotes = ["réorganisé le service en 2021", "Les équipes ont été coupées en deux.", "Euh, on a", "l’accueil ferme à midi"];
    let mut guids = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        let (s, e) = char_range(original, q);
        guids.push(apply(&mut yann, T0 + 100 + i as i64, &doc, &code, s, e - s));
    }
    drop(yann);
    let mut claire = open_as(&a, "Claire");
    at(&mut claire, T0 + 200, |tx| documents::replace_text(tx, &doc, edited)).unwrap();
    let (s, e) = char_range(edited, "de me recevoir");
    let claire_coding = apply(&mut claire, T0 + 201, &doc, &code, s, e - s);
    drop(claire);

    let out = dir.path().join("merged.fouille");
    let report = merge_files(&out, &[a.clone(), b.clone()], &MergeOptions { now_ms: T0 + 1000, ..MergeOptions::default() }).unwrap();
    let project = Project::open(&out).unwrap();
    assert_eq!(documents::text(project.conn(), &doc).unwrap(), edited);
    let coded: BTreeMap<String, String> = codings::excerpts(project.conn(), &Default::default())
        .unwrap()
        .into_iter()
        .map(|x| (x.coding.guid, x.text))
        .collect();
    assert_eq!(coded[&guids[0]], "réorganisé le service en 2021"); // moved, same text
    assert_eq!(coded[&guids[1]], "Les équipes ont été divisées en deux."); // text changed inside
    assert!(!coded.contains_key(&guids[2]), "the start of « Euh, on a » was deleted: not placed");
    assert_eq!(coded[&guids[3]], "l’accueil ferme à midi");
    assert_eq!(coded[&claire_coding], "de me recevoir");
    assert_eq!(fouille::store::check::check(project.conn()).unwrap(), Vec::<String>::new());
    assert_eq!(report.rebased.len(), 1);
    let r = &report.rebased[0];
    assert_eq!((r.exact, r.adjusted, r.unplaced), (2, 1, 1));
    let dropped: Vec<_> = report.dropped.iter().filter(|d| d.entity == Entity::Coding).collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].guid, guids[2]);
    assert!(dropped[0].what.contains("Euh, on a"), "{}", dropped[0].what);
}

fn import(p: &mut Project, t: i64, name: &str, text: &str) -> String {
    at(p, t, |tx| {
        documents::insert(
            tx,
            NewDocument {
                guid: None,
                name: name.into(),
                kind: DocumentKind::Interview,
                text: text.into(),
                origin: format!("{name}.txt"),
                media_path: None,
                respondent_guid: None,
            },
        )
    })
    .unwrap()
}

// issue 5: the same interview imported by two coders is one document after the merge
#[test]
fn interview_imported_twice_becomes_one_document_with_both_codings() {
    let text = "Nadia : On a tout dématérialisé, mais les gens reviennent au guichet.\nNadia : Moi je suis l’aiguillage.\n";
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let mut p = Project::create(&base, "Base", Some("Lead")).unwrap();
    let code = at(&mut p, T0, |tx| codes::insert(tx, NewCode::new("Accueil", CodeKind::Theme, None))).unwrap();
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut claire = open_as(&a, "Claire");
    let da = import(&mut claire, T0 + 10, "nadia", text);
    let ca = apply(&mut claire, T0 + 11, &da, &code, 8, 20);
    drop(claire);
    let mut yann = open_as(&b, "Yann");
    let db = import(&mut yann, T0 + 20, "Nadia (CCAS)", text);
    let cb = apply(&mut yann, T0 + 21, &db, &code, 72, 17);
    at(&mut yann, T0 + 22, |tx| memos::add(tx, &MemoTarget::Document(db.clone()), "Transcription relue.", None)).unwrap();
    drop(yann);

    let out = dir.path().join("merged.fouille");
    let report = merge_files(&out, &[a, b], &MergeOptions::pure()).unwrap();
    let project = Project::open(&out).unwrap();
    let docs = documents::list(project.conn()).unwrap();
    assert_eq!(docs.len(), 1);
    let kept = da.clone().min(db.clone());
    assert_eq!(docs[0].guid, kept);
    let on_it: HashSet<String> = codings::for_document(project.conn(), &kept).unwrap().into_iter().map(|c| c.guid).collect();
    assert_eq!(on_it, HashSet::from([ca, cb]));
    assert_eq!(memos::for_target(project.conn(), &MemoTarget::Document(kept.clone())).unwrap().len(), 1);
    let unified: Vec<_> = report.unified.iter().filter(|u| u.entity == Entity::Document).collect();
    assert_eq!(unified.len(), 1);
    assert_eq!(unified[0].kept_guid, kept);
    assert_eq!(unified[0].merged_guids, vec![da.max(db)]);
}

// issue 5: merging into an open project = writing a new merged project; twice adds nothing
#[test]
fn merge_into_an_open_project_matches_a_new_merge_and_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(&base, "Agnès : Les équipes ont été coupées en deux, puis réunies.\n");
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut yann = open_as(&b, "Yann");
    apply(&mut yann, T0 + 10, &doc, &code, 8, 10);
    at(&mut yann, T0 + 11, |tx| codes::rename(tx, &code, "Organisation")).unwrap();
    drop(yann);
    let mut claire = open_as(&a, "Claire");
    apply(&mut claire, T0 + 20, &doc, &code, 20, 9);
    drop(claire);

    let fresh = dir.path().join("fresh.fouille");
    merge_files(&fresh, &[a.clone(), b.clone()], &MergeOptions::pure()).unwrap();
    let mut target = open_as(&a, "Claire");
    let report = merge_into(&mut target, &[b.clone()], &MergeOptions::pure()).unwrap();
    let backup = PathBuf::from(report.backup.clone().unwrap());
    assert!(backup.exists());
    assert_eq!(target.undo_label().unwrap(), None, "the merge is undone by the backup, not by undo");
    assert_eq!(report.inputs[0].label, "");
    assert_eq!(report.inputs[0].only_here.codings, 1);
    assert_eq!(report.inputs[1].only_here.codings, 1);
    drop(target);
    assert_same(&file_fingerprint(&a).unwrap(), &file_fingerprint(&fresh).unwrap(), "merge into vs new merge");
    let mut target = open_as(&a, "Claire");
    merge_into(&mut target, &[b.clone()], &MergeOptions::pure()).unwrap();
    drop(target);
    assert_same(&file_fingerprint(&a).unwrap(), &file_fingerprint(&fresh).unwrap(), "merging B twice");
    // The rows Claire made here keep no provenance; Yann's say where they came from.
    let conn = open_read_only(&a).unwrap();
    let sources: BTreeMap<String, String> = codings::list(&conn).unwrap().into_iter().map(|c| (c.created_by, c.source_project)).collect();
    let coder = |n: &str| fouille::store::coders::find(&conn, n).unwrap().guid;
    assert_eq!(sources[&coder("Claire")], "");
    assert_eq!(sources[&coder("Yann")], "b.fouille");
}

// issue 5: a failure leaves everything unchanged
#[test]
fn failed_merges_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let (p, doc, code) = single_doc_project(&base, "Agnès : Depuis, l’accueil ferme à midi.\n");
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    let mut yann = open_as(&b, "Yann");
    let yann_coding = apply(&mut yann, T0 + 10, &doc, &code, 8, 10);
    drop(yann);

    // A new merge whose input is not a project: no file is written.
    let not_a_project = dir.path().join("notes.fouille");
    std::fs::write(&not_a_project, "pas un projet").unwrap();
    let out = dir.path().join("merged.fouille");
    assert!(merge_files(&out, &[a.clone(), not_a_project], &MergeOptions::default()).is_err());
    let left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert!(left.iter().all(|n| !n.starts_with("merged")), "{left:?}");
    // An existing output is never overwritten.
    assert!(merge_files(&a, &[b.clone(), base.clone()], &MergeOptions::default()).is_err());

    // A merge into a project that fails half-way (a trigger refuses one row) changes nothing.
    let mut target = open_as(&a, "Claire");
    let before = fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap();
    target
        .conn()
        .execute_batch(&format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON codings WHEN NEW.guid = '{yann_coding}' BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        ))
        .unwrap();
    let before_with_trigger = fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap();
    let err = merge_into(&mut target, &[b.clone()], &MergeOptions::default()).unwrap_err();
    assert!(err.to_string().contains("refused"), "{err}");
    assert_eq!(fouille::team::fingerprint::project_fingerprint(target.conn()).unwrap(), before_with_trigger);
    drop(target);
    assert_same(&file_fingerprint(&a).unwrap(), &before, "after a failed merge");
}

// issue 5: informal timing of two 100,000-coding projects (run with --ignored --nocapture)
#[test]
#[ignore]
fn merge_two_projects_of_100000_codings() {
    use rusqlite::params;
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.fouille");
    let text: String = "Agnès : on a réorganisé le service, l’accueil ferme à midi. ".repeat(400);
    let (p, doc, code) = single_doc_project(&base, &text);
    let (a, b) = (dir.path().join("a.fouille"), dir.path().join("b.fouille"));
    distribute(p, &[&a, &b]);
    for (path, coder) in [(&a, "Claire"), (&b, "Yann")] {
        let mut project = open_as(path, coder);
        project
            .bulk_action(|tx| {
                let doc_id = documents::id_of(tx.conn, &doc)?;
                let code_id = codes::id_of(tx.conn, &code)?;
                let mut stmt = tx.conn.prepare(
                    "INSERT INTO codings (guid, document_id, code_id, start_char, end_char, created_by, created_at, modified_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                )?;
                for i in 0..100_000i64 {
                    let start = i % 20_000;
                    stmt.execute(params![fouille::model::new_guid(), doc_id, code_id, start, start + 5 + i % 50, tx.coder_id, T0 + i])?;
                }
                Ok(())
            })
            .unwrap();
    }
    let out = dir.path().join("merged.fouille");
    let started = std::time::Instant::now();
    let report = merge_files(&out, &[a, b], &MergeOptions::default()).unwrap();
    eprintln!("merged 2 × 100,000 codings in {:?} ({} codings)", started.elapsed(), report.result.codings);
    assert_eq!(report.result.codings, 200_000);
}
