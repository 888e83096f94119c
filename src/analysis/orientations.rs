//! Orientation evidence: for each orientation (a code of kind `orientation`) and each of its
//! pistes (children of kind `piste`), the supporting excerpts, how many respondents they come
//! from and which roles those respondents hold.
//!
//! The orientation's own row counts everything supporting it: excerpts coded on the
//! orientation itself and on any of its pistes; each piste then has its row, and excerpts
//! coded on the orientation directly get a "(direct)" row when it also has pistes. Roles are
//! the values of a role attribute (`role` unless another is chosen), each with its number of
//! distinct respondents. The second table lists the supporting passages (overlapping excerpts
//! of one code merged, with their coders).

use std::collections::{BTreeMap, BTreeSet};

use super::passages::{coder_list, merged, with_coders};
use super::selection::{Selection, sort_key};
use super::table::{Cell, Table};
use super::{AnalysisResult, Lang};
use crate::model::{Attribute, CodeKind, RespondentId};

/// One row of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Index of the orientation in [`Selection::codes`].
    pub orientation: usize,
    /// The piste, or `None` for the orientation as a whole.
    pub piste: Option<usize>,
    /// Only the excerpts coded on the orientation itself.
    pub direct: bool,
    /// Items supporting it.
    pub items: Vec<usize>,
    /// Distinct respondents.
    pub respondents: usize,
    /// Role → distinct respondents, most frequent first.
    pub roles: Vec<(String, usize)>,
}

fn roles_of(sel: &Selection, items: &[usize], role: Option<&Attribute>) -> Vec<(String, usize)> {
    let Some(role) = role else { return Vec::new() };
    let none = sel.none_label();
    // Distinct (role, document) pairs first: a document's excerpts share its respondent.
    let mut docs: Vec<usize> = items.iter().map(|&i| sel.items[i].doc).collect();
    docs.sort_unstable();
    docs.dedup();
    let mut people: BTreeMap<&str, BTreeSet<&RespondentId>> = BTreeMap::new();
    for d in docs {
        let Some(r) = sel.documents[d].respondent_guid.as_ref() else {
            continue;
        };
        let value = sel.attribute_value(role, d).unwrap_or(none.as_str());
        people.entry(value).or_default().insert(r);
    }
    let mut out: Vec<(String, usize)> = people
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.len()))
        .collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| sort_key(&a.0).cmp(&sort_key(&b.0)))
    });
    out
}

/// The evidence rows of every shown orientation, in codebook order.
pub fn evidence(sel: &Selection, role: Option<&Attribute>) -> Vec<Evidence> {
    let mut out = Vec::new();
    let of = |codes: &[usize]| -> Vec<usize> {
        let mut items: Vec<usize> = codes
            .iter()
            .flat_map(|&c| sel.items_of_code(c).iter().copied())
            .collect();
        items.sort_unstable();
        items
    };
    for o in (0..sel.codes.len()).filter(|&c| sel.codes[c].kind == CodeKind::Orientation) {
        let pistes = sel.children_of_kind(o, CodeKind::Piste);
        let mut make = |piste: Option<usize>, direct: bool, items: Vec<usize>| {
            out.push(Evidence {
                orientation: o,
                piste,
                direct,
                respondents: sel.count_respondents(&items),
                roles: roles_of(sel, &items, role),
                items,
            });
        };
        let mut whole = pistes.clone();
        whole.push(o);
        make(None, false, of(&whole));
        let direct = of(&[o]);
        if !pistes.is_empty() && !direct.is_empty() {
            make(None, true, direct);
        }
        for &p in &pistes {
            make(Some(p), false, of(&[p]));
        }
    }
    out
}

/// The passages quoted by the supporting-excerpts table as `(document, start, end)`: the
/// only text the orientation tables need (see [`Selection::load_quotes`]). These are the
/// passages of each orientation's own excerpts and of each of its pistes (see
/// [`quotes_passages`]), found without building the evidence rows.
pub fn quoted_ranges(sel: &Selection) -> Vec<(usize, usize, usize)> {
    let mut quoted = Vec::new();
    for o in (0..sel.codes.len()).filter(|&c| sel.codes[c].kind == CodeKind::Orientation) {
        quoted.push(o);
        quoted.extend(sel.children_of_kind(o, CodeKind::Piste));
    }
    quoted
        .into_iter()
        .flat_map(|c| merged(sel, sel.items_of_code(c)))
        .map(|p| (p.doc, p.start_char, p.end_char))
        .collect()
}

/// Whether the supporting-excerpts table lists the passages of this row: pistes, direct
/// excerpts, and orientations without pistes.
fn quotes_passages(sel: &Selection, e: &Evidence) -> bool {
    e.piste.is_some()
        || e.direct
        || sel
            .children_of_kind(e.orientation, CodeKind::Piste)
            .is_empty()
}

fn role_attribute<'a>(
    sel: &'a Selection,
    role: Option<&str>,
) -> AnalysisResult<Option<&'a Attribute>> {
    match role {
        Some(name) => sel.find_attribute(name).map(Some),
        None => Ok(sel
            .find_attribute("role")
            .or_else(|_| sel.find_attribute("rôle"))
            .ok()),
    }
}

fn roles_text(roles: &[(String, usize)]) -> String {
    roles
        .iter()
        .map(|(r, n)| format!("{r} ({n})"))
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn piste_label(sel: &Selection, e: &Evidence) -> String {
    match (e.piste, e.direct) {
        (Some(p), _) => sel.codes[p].name.clone(),
        (None, true) => sel
            .lang
            .pick(
                "(directement sur l'orientation)",
                "(on the orientation itself)",
            )
            .into(),
        (None, false) => sel.lang.pick("(ensemble)", "(all)").into(),
    }
}

/// The orientation tables: the evidence summary and the supporting passages. `role` names the
/// role attribute (`role` by default; when not given and missing, roles are left empty).
pub fn orientation_tables(sel: &Selection, role: Option<&str>) -> AnalysisResult<Vec<Table>> {
    let l = sel.lang;
    let role_attr = role_attribute(sel, role)?;
    let role_name = role_attr
        .map(|a| a.name.clone())
        .unwrap_or_else(|| "role".into());
    let rows = evidence(sel, role_attr);
    let mut summary = Table::new(
        l.pick(
            "Orientations : éléments d'appui",
            "Orientations: supporting evidence",
        ),
        vec![
            l.pick("Orientation", "Orientation").to_string(),
            l.pick("Piste", "Piste").to_string(),
            l.pick("Extraits", "Excerpts").to_string(),
            l.pick("Répondants", "Respondents").to_string(),
            format!("{} ({role_name})", l.pick("Rôles", "Roles")),
        ],
    );
    for e in &rows {
        summary.rows.push(vec![
            Cell::from(sel.codes[e.orientation].name.as_str()),
            Cell::from(piste_label(sel, e)),
            Cell::from(e.items.len()),
            Cell::from(e.respondents),
            Cell::from(roles_text(&e.roles)),
        ]);
    }
    let mut notes = vec![match l {
        Lang::Fr => "La ligne « (ensemble) » compte les extraits codés sur l'orientation et sur ses pistes ; rôles : nombre de répondants distincts.".to_string(),
        Lang::En => "The “(all)” row counts excerpts coded on the orientation and on its pistes; roles: number of distinct respondents.".to_string(),
    }];
    if role_attr.is_none() {
        notes.push(
            l.pick(
                "Aucun attribut « role » : rôles non renseignés.",
                "No “role” attribute: roles left empty.",
            )
            .to_string(),
        );
    }
    summary.notes = sel.notes_with(notes);

    let mut excerpts = Table::new(
        l.pick(
            "Orientations : extraits d'appui",
            "Orientations: supporting excerpts",
        ),
        vec![
            l.pick("Orientation", "Orientation").to_string(),
            l.pick("Piste", "Piste").to_string(),
            l.pick("Répondant", "Respondent").to_string(),
            role_name.clone(),
            l.pick("Document", "Document").to_string(),
            l.pick("Début", "Start").to_string(),
            l.pick("Fin", "End").to_string(),
            l.pick("Codeurs", "Coders").to_string(),
            l.pick("Extrait", "Excerpt").to_string(),
        ],
    );
    for e in rows.iter().filter(|e| quotes_passages(sel, e)) {
        let orientation = sel.codes[e.orientation].name.as_str();
        let piste = piste_label(sel, e);
        for p in with_coders(sel, &e.items) {
            let doc = &sel.documents[p.doc];
            let role_value = role_attr
                .and_then(|a| sel.attribute_value(a, p.doc))
                .unwrap_or("");
            excerpts.rows.push(vec![
                Cell::from(orientation),
                Cell::from(piste.as_str()),
                Cell::from(
                    doc.respondent_guid
                        .as_ref()
                        .map(|r| sel.respondent_label(r))
                        .unwrap_or_else(|| sel.none_label()),
                ),
                Cell::from(role_value),
                Cell::from(doc.name.as_str()),
                Cell::from(p.start_char),
                Cell::from(p.end_char),
                Cell::from(coder_list(sel, &p)),
                Cell::from(sel.text_range(p.doc, p.start_char, p.end_char)),
            ]);
        }
    }
    // « Début » and « Fin » above.
    excerpts.offset_columns = vec![5, 6];
    excerpts.notes = sel.notes_with([l
        .pick(
            "Extraits qui se chevauchent sur le même code fusionnés en un passage.",
            "Overlapping excerpts of the same code merged into one passage.",
        )
        .to_string()]);
    Ok(vec![summary, excerpts])
}
