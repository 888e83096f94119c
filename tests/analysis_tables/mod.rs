//! Analysis tables on a small hand-built project whose right answers are worked out below,
//! by hand, from the codings listed in `fixture`.
//!
//! The project (offsets are chars; 😀 is one char):
//!
//! ```text
//! D1 Anne (Agent, Rural; wave 1)   "aaaa😀bbbb\ncccc dddd\neeee"   paragraphs 0..=9, 10..=19, 20..24
//!   c1  A  [0,9)   Alice          c2  A  [2,9)   Bob
//!   c3  T  [5,15)  Alice          c4  P1 [10,14) Alice          c5  B  [20,24) Bob
//! D2 Bruno (DGS, Urbain; wave 2)  "ffff gggggggg\nhhhh"           paragraphs 0..=13, 14..18
//!   c6  B  [0,4)   Alice          c7  B  [5,13)  Alice
//!   c8  O1 [0,13)  Bob            c9  T  [14,18) Bob
//! D3 Chloé (Agent, Urbain; wave 1) "iiii\njjjj"                   paragraphs 0..=4, 5..9
//!   c10 A  [0,4)   Alice          c11 P2 [5,9)   Alice          c12 T  [0,9)   Alice
//!   c16 A  [0,4)   Bob, then removed (a tombstone: never counted)
//! D4 Denis (Agent, Rural; consent withdrawn; wave 1) "kkkk"
//!   c13 A  [0,4)   Alice          (left out unless include_withdrawn)
//! D5 no respondent (wave 2)        "llll mmmm"                     one paragraph
//!   c14 T  [0,4)   Bob            c15 B  [5,9)   Bob
//! ```
//!
//! Codebook: folder Controverses › controversy C1 › poles A, B; folder Orientations ›
//! orientation O1 › pistes P1, P2; theme T at the root.

mod counts;
mod relations;

use fouille::analysis::{AnalysisFilter, Cell, Lang, Selection, Table};
use fouille::model::{
    AttributeScope, AttributeType, CodeId, CodeKind, Consent, DocumentKind, RespondentId,
};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::respondents::NewRespondent;
use fouille::store::{Project, attributes, codes, codings, documents, respondents};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub project: Project,
}

fn new_doc(name: &str, text: &str, respondent: Option<&str>) -> NewDocument {
    NewDocument {
        guid: None,
        name: name.into(),
        kind: DocumentKind::Interview,
        text: text.into(),
        origin: String::new(),
        media_path: None,
        respondent_guid: respondent.map(RespondentId::new),
    }
}

/// Builds the project described in the module documentation.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut project =
        Project::create(&dir.path().join("t.fouille"), "Test", Some("Alice")).unwrap();
    // Codebook, people, documents (as Alice).
    let (docs, code) = project
        .action("setup", |tx| {
            let folder = codes::insert(tx, NewCode::new("Controverses", CodeKind::Folder, None))?;
            let c1 = codes::insert(tx, NewCode::new("C1", CodeKind::Controversy, Some(&folder)))?;
            let a = codes::insert(tx, NewCode::new("A", CodeKind::Pole, Some(&c1)))?;
            let b = codes::insert(tx, NewCode::new("B", CodeKind::Pole, Some(&c1)))?;
            let ofolder = codes::insert(tx, NewCode::new("Orientations", CodeKind::Folder, None))?;
            let o1 = codes::insert(
                tx,
                NewCode::new("O1", CodeKind::Orientation, Some(&ofolder)),
            )?;
            let p1 = codes::insert(tx, NewCode::new("P1", CodeKind::Piste, Some(&o1)))?;
            let p2 = codes::insert(tx, NewCode::new("P2", CodeKind::Piste, Some(&o1)))?;
            let t = codes::insert(tx, NewCode::new("T", CodeKind::Theme, None))?;
            let role = attributes::define(
                tx,
                "role",
                AttributeType::Text,
                AttributeScope::Respondent,
                None,
            )?;
            let territory = attributes::define(
                tx,
                "territory",
                AttributeType::Text,
                AttributeScope::Respondent,
                None,
            )?;
            let wave = attributes::define(
                tx,
                "wave",
                AttributeType::Text,
                AttributeScope::Document,
                None,
            )?;
            let mut people = Vec::new();
            for (name, pseudo, consent, r, t) in [
                ("Anne", "Répondante 1", Consent::Given, "Agent", "Rural"),
                ("Bruno", "Répondant 2", Consent::Given, "DGS", "Urbain"),
                ("Chloé", "", Consent::Given, "Agent", "Urbain"),
                ("Denis", "Répondant 4", Consent::Withdrawn, "Agent", "Rural"),
            ] {
                let g = respondents::insert(
                    tx,
                    NewRespondent {
                        guid: None,
                        name: name.into(),
                        pseudonym: pseudo.into(),
                        consent,
                    },
                )?;
                attributes::set_value(tx, &role.guid, &g, Some(r))?;
                attributes::set_value(tx, &territory.guid, &g, Some(t))?;
                people.push(g);
            }
            let mut docs = Vec::new();
            for (name, text, who, w) in [
                ("D1", "aaaa😀bbbb\ncccc dddd\neeee", Some(0), "1"),
                ("D2", "ffff gggggggg\nhhhh", Some(1), "2"),
                ("D3", "iiii\njjjj", Some(2), "1"),
                ("D4", "kkkk", Some(3), "1"),
                ("D5", "llll mmmm", None, "2"),
            ] {
                let g = documents::insert(
                    tx,
                    new_doc(name, text, who.map(|i: usize| people[i].as_str())),
                )?;
                attributes::set_value(tx, &wave.guid, &g, Some(w))?;
                docs.push(g);
            }
            Ok((docs, [c1, a, b, o1, p1, p2, t]))
        })
        .unwrap();
    let [_c1, a, b, o1, p1, p2, t] = code.clone();
    let apply = |project: &mut Project, list: &[(usize, &CodeId, usize, usize)]| {
        project
            .action("code", |tx| {
                for &(d, c, s, e) in list {
                    codings::apply(tx, &docs[d], c, s, e)?;
                }
                Ok(())
            })
            .unwrap();
    };
    apply(
        &mut project,
        &[
            (0, &a, 0, 9),
            (0, &t, 5, 15),
            (0, &p1, 10, 14),
            (1, &b, 0, 4),
            (1, &b, 5, 13),
            (2, &a, 0, 4),
            (2, &p2, 5, 9),
            (2, &t, 0, 9),
            (3, &a, 0, 4),
        ],
    );
    project.set_coder("Bob").unwrap();
    apply(
        &mut project,
        &[
            (0, &a, 2, 9),
            (0, &b, 20, 24),
            (1, &o1, 0, 13),
            (1, &t, 14, 18),
            (4, &t, 0, 4),
            (4, &b, 5, 9),
        ],
    );
    let removed = project
        .action("c16", |tx| codings::apply(tx, &docs[2], &a, 0, 4))
        .unwrap();
    project
        .action("remove c16", |tx| codings::remove(tx, &removed))
        .unwrap();
    Fixture { _dir: dir, project }
}

pub fn selection(f: &Fixture, filter: AnalysisFilter) -> Selection {
    filter.resolve(f.project.conn(), Lang::En).unwrap()
}

pub fn all(f: &Fixture) -> Selection {
    selection(f, AnalysisFilter::default())
}

/// The row whose first cell is `label`.
pub fn row<'a>(table: &'a Table, label: &str) -> &'a [Cell] {
    table
        .rows
        .iter()
        .find(|r| r.first() == Some(&Cell::Text(label.into())))
        .unwrap_or_else(|| panic!("no row « {label} » in {}", table.title))
}

pub fn ints(cells: &[Cell]) -> Vec<i64> {
    cells
        .iter()
        .map(|c| match c {
            Cell::Int(i) => *i,
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

pub fn pct(cell: &Cell) -> f64 {
    match cell {
        Cell::Percent(p) => *p,
        other => panic!("not a percentage: {other:?}"),
    }
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}
