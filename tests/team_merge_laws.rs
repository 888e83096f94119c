//! The merge laws, with proptest on generated projects: a lead builds a small project,
//! three coders edit copies of it concurrently (coding, uncoding, moving ranges, renaming,
//! moving and deleting codes, memos, attribute values, deleting documents, importing the
//! same interview), with clocks that often tick in the same millisecond. Content is
//! compared with `project_fingerprint` (every entity by GUID, sorted; row ids and
//! provenance left out).

use fouille::model::{
    AttributeScope, AttributeType, CodeId, CodeKind, CoderId, Consent, DocumentId, DocumentKind,
    MemoTarget,
};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::respondents::NewRespondent;
use fouille::store::{
    Project, StoreResult, Tx, attributes, codes, codings, documents, memos, respondents,
};
use fouille::team::fingerprint::file_fingerprint;
use fouille::team::merge::{MergeOptions, merge_files};
use fouille::team::snapshot::open_read_only;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

use crate::support::team::{T0, assert_same, at, distribute, open_as};

const TEXTS: [&str; 3] = [
    "Nadia : Je suis agent d’accueil au CCAS depuis 2014, ça fait onze ans. Ici c’est des gens, pas des actes.\nEnquêtrice : Et pendant la crise ?\nNadia : On a tenu l’accueil ouvert, avec des plexiglas 🙂.",
    "Brigitte : Dans une petite commune, la secrétaire de mairie fait tout ce que font dix services.\nBrigitte : L’état civil, l’urbanisme, la paie, les élections, le cimetière.",
    "Jean-Marc : La communauté de communes, c’est vingt-quatre communes et 142 agents.\nJean-Marc : Le télétravail a tout changé pour les équipes de l’eau.",
];
const EXTRA: [&str; 2] = [
    "Mélanie : La crèche a fermé le 16 mars ; on nous a envoyées à l’EHPAD.",
    "Agnès : Depuis la réorganisation, l’accueil ferme à midi, et les usagers le vivent mal.",
];
const NAMES: [&str; 5] = ["Accueil", "Crise", "Guichet", "Élus", "Numérique"];
const COLORS: [&str; 3] = ["#aa0000", "#00aa00", "#0000aa"];
const MEMOS: [&str; 3] = ["À revoir.", "Très parlant 🙂", "Voir aussi l’entretien 3."];
const VALUES: [&str; 3] = ["agent", "cadre", "élu"];

#[derive(Debug, Clone)]
enum Op {
    AddCoding {
        doc: usize,
        code: usize,
        start: usize,
        len: usize,
    },
    RemoveCoding {
        pick: usize,
    },
    SetRange {
        pick: usize,
        start: usize,
        len: usize,
    },
    ChangeCode {
        pick: usize,
        code: usize,
    },
    RenameCode {
        code: usize,
        name: usize,
    },
    AddCode {
        name: usize,
        parent: Option<usize>,
    },
    DeleteCode {
        code: usize,
    },
    MoveCode {
        code: usize,
        parent: Option<usize>,
    },
    Recolor {
        code: usize,
        color: usize,
    },
    Memo {
        pick: usize,
        text: usize,
    },
    RenameDocument {
        doc: usize,
        name: usize,
    },
    DeleteDocument {
        doc: usize,
    },
    ImportExtra {
        text: usize,
    },
    SetValue {
        respondent: usize,
        value: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..4usize, 0..8usize, 0..200usize, 1..30usize).prop_map(|(doc, code, start, len)| Op::AddCoding { doc, code, start, len }),
        3 => (0..16usize).prop_map(|pick| Op::RemoveCoding { pick }),
        2 => (0..16usize, 0..200usize, 1..30usize).prop_map(|(pick, start, len)| Op::SetRange { pick, start, len }),
        2 => (0..16usize, 0..8usize).prop_map(|(pick, code)| Op::ChangeCode { pick, code }),
        2 => (0..8usize, 0..5usize).prop_map(|(code, name)| Op::RenameCode { code, name }),
        3 => (0..5usize, proptest::option::of(0..8usize)).prop_map(|(name, parent)| Op::AddCode { name, parent }),
        1 => (0..8usize).prop_map(|code| Op::DeleteCode { code }),
        2 => (0..8usize, proptest::option::of(0..8usize)).prop_map(|(code, parent)| Op::MoveCode { code, parent }),
        1 => (0..8usize, 0..3usize).prop_map(|(code, color)| Op::Recolor { code, color }),
        2 => (0..16usize, 0..3usize).prop_map(|(pick, text)| Op::Memo { pick, text }),
        1 => (0..4usize, 0..5usize).prop_map(|(doc, name)| Op::RenameDocument { doc, name }),
        1 => (0..4usize).prop_map(|doc| Op::DeleteDocument { doc }),
        2 => (0..2usize).prop_map(|text| Op::ImportExtra { text }),
        2 => (0..3usize, 0..3usize).prop_map(|(respondent, value)| Op::SetValue { respondent, value }),
    ]
}

/// A coder's session: up to 13 operations, each after 0–2 ms (clocks of different coders often
/// show the same millisecond).
fn script() -> impl Strategy<Value = Vec<(i64, Op)>> {
    proptest::collection::vec((0..3i64, op()), 0..14)
}

fn build_base(path: &Path) {
    let mut p = Project::create(path, "Lois de fusion", Some("Lead")).unwrap();
    at(&mut p, T0, |tx| {
        let role = attributes::define(
            tx,
            "rôle",
            AttributeType::Text,
            AttributeScope::Respondent,
            None,
        )?;
        let mut roots = Vec::new();
        for name in ["Accueil", "Crise", "Élus"] {
            roots.push(codes::insert(
                tx,
                NewCode::new(name, CodeKind::Theme, None),
            )?);
        }
        codes::insert(
            tx,
            NewCode::new("Guichet", CodeKind::Theme, Some(&roots[0])),
        )?;
        for (i, text) in TEXTS.iter().enumerate() {
            let r = respondents::insert(
                tx,
                NewRespondent {
                    guid: None,
                    name: format!("Répondant {i}"),
                    pseudonym: String::new(),
                    consent: Consent::Given,
                },
            )?;
            attributes::set_value(tx, &role.guid, &r, Some("agent"))?;
            let d = documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: format!("entretien-{i}"),
                    kind: DocumentKind::Interview,
                    text: (*text).into(),
                    origin: String::new(),
                    media_path: None,
                    respondent_guid: Some(r),
                },
            )?;
            codings::apply(tx, &d, &roots[i], 10, 30)?;
        }
        memos::add(
            tx,
            &MemoTarget::Code(roots[1].clone()),
            "Le code de la crise sanitaire.",
            None,
        )?;
        Ok(())
    })
    .unwrap();
    distribute(p, &[]);
}

fn live_codings_sorted(conn: &rusqlite::Connection) -> StoreResult<Vec<fouille::model::Coding>> {
    let mut list = codings::list(conn)?;
    list.sort_by(|a, b| a.guid.cmp(&b.guid));
    Ok(list)
}

/// Whether `coder` (GUID) already has a live coding with these exact values (the
/// generator keeps every copy free of exact duplicates, as the app does).
fn duplicate(
    tx: &Tx,
    doc: &DocumentId,
    code: &CodeId,
    start: usize,
    end: usize,
    coder: &CoderId,
) -> StoreResult<bool> {
    Ok(tx.conn.query_row(
        "SELECT count(*) FROM codings g JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id
         JOIN coders k ON k.id = g.created_by
         WHERE d.guid = ?1 AND c.guid = ?2 AND g.start_char = ?3 AND g.end_char = ?4 AND k.guid = ?5 AND g.deleted = 0",
        rusqlite::params![doc, code, start as i64, end as i64, coder],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

fn apply_op(tx: &Tx, op: &Op) -> StoreResult<()> {
    let docs = documents::list(tx.conn)?;
    let all_codes = codes::list(tx.conn)?;
    let live = live_codings_sorted(tx.conn)?;
    let doc_at = |i: usize| docs.get(i % docs.len().max(1));
    let code_at = |i: usize| all_codes.get(i % all_codes.len().max(1));
    let coding_at = |i: usize| live.get(i % live.len().max(1));
    let range = |len: usize, start: usize, n: usize| {
        let start = start % len.max(1);
        (start, (start + n).min(len))
    };
    match op {
        Op::AddCoding {
            doc,
            code,
            start,
            len,
        } => {
            if let (Some(d), Some(c)) = (doc_at(*doc), code_at(*code)) {
                let (s, e) = range(d.char_len, *start, *len);
                if s < e {
                    codings::apply(tx, &d.guid, &c.guid, s, e)?;
                }
            }
        }
        Op::RemoveCoding { pick } => {
            if let Some(c) = coding_at(*pick) {
                codings::remove(tx, &c.guid)?;
            }
        }
        Op::SetRange { pick, start, len } => {
            if let Some(c) = coding_at(*pick) {
                let doc_len = documents::get(tx.conn, &c.document_guid)?.char_len;
                let (s, e) = range(doc_len, *start, *len);
                if s < e && !duplicate(tx, &c.document_guid, &c.code_guid, s, e, &c.created_by)? {
                    codings::set_range(tx, &c.guid, s, e)?;
                }
            }
        }
        Op::ChangeCode { pick, code } => {
            if let (Some(c), Some(k)) = (coding_at(*pick), code_at(*code)) {
                if !duplicate(
                    tx,
                    &c.document_guid,
                    &k.guid,
                    c.start_char,
                    c.end_char,
                    &c.created_by,
                )? {
                    codings::change_code(tx, &c.guid, &k.guid)?;
                }
            }
        }
        Op::RenameCode { code, name } => {
            if let Some(c) = code_at(*code) {
                codes::rename(tx, &c.guid, NAMES[*name])?;
            }
        }
        Op::AddCode { name, parent } => {
            let parent = parent.and_then(code_at).map(|c| c.guid.clone());
            codes::insert(
                tx,
                NewCode::new(NAMES[*name], CodeKind::Theme, parent.as_ref()),
            )?;
        }
        Op::DeleteCode { code } => {
            if let Some(c) = code_at(*code) {
                codes::delete(tx, &c.guid)?;
            }
        }
        Op::MoveCode { code, parent } => {
            if let Some(c) = code_at(*code) {
                let parent = parent.and_then(code_at).map(|p| p.guid.clone());
                codes::move_to(tx, &c.guid, parent.as_ref(), None)?;
            }
        }
        Op::Recolor { code, color } => {
            if let Some(c) = code_at(*code) {
                codes::set_details(tx, &c.guid, COLORS[*color], &c.description)?;
            }
        }
        Op::Memo { pick, text } => {
            if let Some(c) = coding_at(*pick) {
                memos::add(tx, &MemoTarget::Coding(c.guid.clone()), MEMOS[*text], None)?;
            }
        }
        Op::RenameDocument { doc, name } => {
            if let Some(d) = doc_at(*doc) {
                documents::rename(tx, &d.guid, NAMES[*name])?;
            }
        }
        Op::DeleteDocument { doc } => {
            if let Some(d) = doc_at(*doc) {
                documents::delete(tx, &d.guid)?;
            }
        }
        Op::ImportExtra { text } => {
            let text = EXTRA[*text];
            if documents::find_by_hash(tx.conn, &documents::content_hash(text))?.is_none() {
                documents::insert(
                    tx,
                    NewDocument {
                        guid: None,
                        name: format!("extra-{}", text.chars().take(6).collect::<String>()),
                        kind: DocumentKind::Interview,
                        text: text.into(),
                        origin: String::new(),
                        media_path: None,
                        respondent_guid: None,
                    },
                )?;
            }
        }
        Op::SetValue { respondent, value } => {
            let list = respondents::list(tx.conn)?;
            let attr = attributes::list(tx.conn, Some(AttributeScope::Respondent))?;
            if let (Some(r), Some(a)) = (list.get(respondent % list.len().max(1)), attr.first()) {
                attributes::set_value(tx, &a.guid, &r.guid, Some(VALUES[*value]))?;
            }
        }
    }
    Ok(())
}

fn play(path: &Path, coder: &str, script: &[(i64, Op)]) {
    let mut p = open_as(path, coder);
    let mut t = T0 + 1_000;
    for (dt, op) in script {
        t += dt;
        // A refused operation (a name already taken, a code moved into itself…) changes
        // nothing, as in the app.
        let _ = at(&mut p, t, |tx| apply_op(tx, op));
    }
    p.checkpoint().unwrap();
}

fn merged(dir: &Path, name: &str, inputs: &[&PathBuf]) -> PathBuf {
    let out = dir.join(name);
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| (*p).clone()).collect();
    merge_files(&out, &inputs, &MergeOptions::pure()).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    // Idempotent, order-free, associative, and no coding lost
    #[test]
    fn merge_laws(a_ops in script(), b_ops in script(), c_ops in script()) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let base = d.join("base.fouille");
        build_base(&base);
        let (a, b, c) = (d.join("a.fouille"), d.join("b.fouille"), d.join("c.fouille"));
        for copy in [&a, &b, &c] {
            std::fs::copy(&base, copy).unwrap();
        }
        play(&a, "Claire", &a_ops);
        play(&b, "Yann", &b_ops);
        play(&c, "Lou", &c_ops);
        let fp = |p: &Path| file_fingerprint(p).unwrap();

        // A + A = A
        let aa = merged(d, "aa.fouille", &[&a, &a]);
        assert_same(&fp(&aa), &fp(&a), "A + A = A");
        // A + B = B + A
        let ab = merged(d, "ab.fouille", &[&a, &b]);
        let ba = merged(d, "ba.fouille", &[&b, &a]);
        assert_same(&fp(&ab), &fp(&ba), "A + B = B + A");
        // merging the same file twice adds nothing
        let abb = merged(d, "abb.fouille", &[&ab, &b]);
        assert_same(&fp(&abb), &fp(&ab), "(A + B) + B = A + B");
        // (A + B) + C = A + (B + C) = A + B + C = C + A + B
        let ab_c = merged(d, "ab_c.fouille", &[&ab, &c]);
        let bc = merged(d, "bc.fouille", &[&b, &c]);
        let a_bc = merged(d, "a_bc.fouille", &[&a, &bc]);
        let abc = merged(d, "abc.fouille", &[&a, &b, &c]);
        let cab = merged(d, "cab.fouille", &[&c, &a, &b]);
        assert_same(&fp(&ab_c), &fp(&a_bc), "(A + B) + C = A + (B + C)");
        assert_same(&fp(&abc), &fp(&ab_c), "A + B + C = (A + B) + C");
        assert_same(&fp(&abc), &fp(&cab), "A + B + C = C + A + B");

        // No coding lost: every coding live in a copy is in the merge, with its coder and
        // document, live, or deleted by a change at least as late.
        let out = open_read_only(&abc).unwrap();
        let row = |conn: &rusqlite::Connection, guid: &str| -> Option<(bool, i64, String)> {
            conn.query_row(
                "SELECT g.deleted, g.modified_at, k.guid FROM codings g JOIN coders k ON k.id = g.created_by WHERE g.guid = ?1",
                [guid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            ).ok()
        };
        for copy in [&a, &b, &c] {
            let conn = open_read_only(copy).unwrap();
            let mut stmt = conn.prepare("SELECT g.guid, g.modified_at, k.guid FROM codings g JOIN coders k ON k.id = g.created_by WHERE g.deleted = 0").unwrap();
            let live: Vec<(String, i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
            for (guid, modified_at, coder) in live {
                let Some((deleted, merged_at, merged_coder)) = row(&out, &guid) else {
                    panic!("coding {guid} of {} lost", copy.display());
                };
                prop_assert_eq!(&merged_coder, &coder, "coding {} changed coder", guid);
                prop_assert!(!deleted || merged_at >= modified_at, "coding {} deleted by an older change", guid);
            }
        }
        let project = Project::open(&abc).unwrap();
        prop_assert_eq!(fouille::store::check::check(project.conn()).unwrap(), Vec::<String>::new());
    }
}
