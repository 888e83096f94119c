//! The quote table: one row per considered coding, with what a reader needs to cite it
//! and what a statistics program needs to sort it. Columns: the code's name, the coded
//! text exactly as stored (second, so that the screen shows it), the respondent (name,
//! pseudonym, then each respondent attribute in a column of its own), the document, the
//! coder, when the coding was made, the memos on it, the code's path, its char offsets.
//!
//! Rows follow the corpus (document, then start). Two coders coding the same passage give
//! two rows, as in the frequencies' count of excerpts. The memo and the date come from
//! [`Selection::coding_notes`], read by [`Selection::prepare`] for this table.

use super::selection::Selection;
use super::table::{Cell, Table};
use crate::model::{Attribute, AttributeScope};

/// The respondent attributes, one column each, in the project's order.
fn respondent_attributes(sel: &Selection) -> Vec<&Attribute> {
    sel.attributes
        .iter()
        .filter(|a| a.scope == AttributeScope::Respondent)
        .collect()
}

/// The quote table (see the module docs).
pub fn quote_table(sel: &Selection) -> Table {
    let l = sel.lang;
    let attributes = respondent_attributes(sel);
    let mut columns: Vec<String> = [
        l.pick("Code", "Code"),
        l.pick("Extrait", "Excerpt"),
        l.pick("Répondant", "Respondent"),
        l.pick("Pseudonyme", "Pseudonym"),
    ]
    .map(String::from)
    .to_vec();
    columns.extend(attributes.iter().map(|a| a.name.clone()));
    columns.extend(
        [
            l.pick("Document", "Document"),
            l.pick("Codeur", "Coder"),
            l.pick("Date", "Date"),
            l.pick("Mémo", "Memo"),
            l.pick("Chemin du code", "Code path"),
            l.pick("Début", "Start"),
            l.pick("Fin", "End"),
        ]
        .map(String::from),
    );
    let mut table = Table::new(l.pick("Extraits codés", "Coded excerpts"), columns);
    for item in &sel.items {
        let respondent = sel.respondent_of(item).and_then(|g| sel.respondents.get(g));
        let text_or_empty = |s: &str| {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::from(s)
            }
        };
        let note = sel.coding_notes.get(&item.id);
        let mut row = vec![
            Cell::from(sel.codes[item.code].name.as_str()),
            Cell::from(sel.item_text(item)),
            match respondent {
                Some(r) => Cell::from(sel.respondent_label(&r.guid)),
                None => Cell::Empty,
            },
            respondent.map_or(Cell::Empty, |r| text_or_empty(&r.pseudonym)),
        ];
        row.extend(attributes.iter().map(|a| {
            respondent
                .and_then(|r| sel.respondent_attribute(a, &r.guid))
                .map_or(Cell::Empty, Cell::from)
        }));
        row.extend([
            Cell::from(sel.documents[item.doc].name.as_str()),
            Cell::from(sel.coder_name(sel.coder_of(item))),
            note.map_or(Cell::Empty, |n| {
                Cell::from(crate::model::format_ms(n.created_at))
            }),
            note.map_or(Cell::Empty, |n| text_or_empty(&n.memo)),
            Cell::from(sel.code_paths[item.code].as_str()),
            Cell::from(item.start_char),
            Cell::from(item.end_char),
        ]);
        table.rows.push(row);
    }
    let mut notes = vec![l
        .pick(
            "Une ligne par extrait codé (deux codeurs sur le même passage : deux lignes) ; début et fin en caractères du texte du document.",
            "One row per coded excerpt (two coders on the same passage: two rows); start and end in characters of the document's text.",
        )
        .to_string()];
    if sel.items.is_empty() {
        notes.push(
            l.pick("Aucun extrait retenu.", "No excerpt kept.")
                .to_string(),
        );
    }
    table.notes = sel.notes_with(notes);
    table
}
