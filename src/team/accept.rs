//! Settling a disagreement: one coder takes another's version of a stretch of text.

use serde::Serialize;

use crate::model::{CodeId, CoderId, CodingId, DocumentId};
use crate::store::{
    Project, Rule, StoreError, StoreResult, Thing, Tx, coders, codes, codings, documents,
};

/// What [`accept_version`] changed in the taking coder's codings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AcceptOutcome {
    /// New codings made for the taking coder (stretches they had not coded).
    pub added: usize,
    /// The taking coder's codings extended, trimmed or cut to a new range.
    pub resized: usize,
    /// The taking coder's codings deleted (tombstones), wholly inside what they uncode.
    pub removed: usize,
}

/// The union of char intervals: sorted, overlapping and touching ones joined.
fn union(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The spans coder `to` should end with around the range `[s, e)`: the parts of its
/// `touching` codings outside the range, and `theirs` (the other coder's) inside it,
/// joined where they meet.
fn wanted_spans(
    touching: &[(CodingId, usize, usize)],
    theirs: &[(usize, usize)],
    (s, e): (usize, usize),
) -> Vec<(usize, usize)> {
    let mut wanted: Vec<(usize, usize)> = Vec::new();
    for (_, a, b) in touching {
        if *a < s {
            wanted.push((*a, (*b).min(s)));
        }
        if *b > e {
            wanted.push(((*a).max(e), *b));
        }
    }
    for (a, b) in theirs {
        let (a, b) = ((*a).max(s), (*b).min(e));
        if a < b {
            wanted.push((a, b));
        }
    }
    union(wanted)
}

/// Makes coder `to`'s coding of `code` over `[start_char, end_char)` of a document the same
/// as coder `from`'s: `from`'s coded characters in the range are copied to `to`, `to`'s
/// other characters in the range are uncoded. `to`'s codings that touch the range are
/// reshaped (extended, trimmed, split or removed; adjacent pieces join into one excerpt);
/// the rest of the document is untouched. One undoable action.
pub fn accept_version(
    project: &mut Project,
    document_guid: &DocumentId,
    code_guid: &CodeId,
    start_char: usize,
    end_char: usize,
    from_coder: &CoderId,
    to_coder: &CoderId,
) -> StoreResult<AcceptOutcome> {
    if start_char >= end_char {
        return Err(Rule::EmptyRange {
            start: start_char,
            end: end_char,
        }
        .into());
    }
    let from = coders::get(project.conn(), from_coder)?;
    let to = coders::get(project.conn(), to_coder)?;
    if from.guid == to.guid {
        return Err(Rule::SameCoder.into());
    }
    let to_id = coders::id_of(project.conn(), &to.guid)?
        .ok_or_else(|| StoreError::not_found(Thing::Coder, &to.name))?;
    let doc = documents::get(project.conn(), document_guid)?;
    let code = codes::get(project.conn(), code_guid)?;
    project.action("action.accept_version", |tx| {
        let as_to = Tx {
            conn: tx.conn,
            coder_id: to_id,
            now_ms: tx.now_ms,
        };
        let of = |coder: &CoderId| codings::ranges_of(tx.conn, &doc.guid, &code.guid, coder);
        let (s, e) = (start_char.min(doc.char_len), end_char.min(doc.char_len));
        let theirs = union(
            of(&from.guid)?
                .into_iter()
                .map(|(_, a, b)| (a, b))
                .collect(),
        );
        let touching: Vec<(CodingId, usize, usize)> = of(&to.guid)?
            .into_iter()
            .filter(|(_, a, b)| *a <= e && *b >= s)
            .collect();
        let wanted = wanted_spans(&touching, &theirs, (s, e));
        let mut used = vec![false; touching.len()];
        let mut outcome = AcceptOutcome::default();
        for (a, b) in wanted {
            let reuse = touching
                .iter()
                .enumerate()
                .find(|(i, (_, x, y))| !used[*i] && *x <= b && *y >= a)
                .map(|(i, _)| i);
            match reuse {
                Some(i) => {
                    used[i] = true;
                    let (guid, x, y) = &touching[i];
                    if (*x, *y) != (a, b) {
                        codings::set_range(&as_to, guid, a, b)?;
                        outcome.resized += 1;
                    }
                }
                None => {
                    codings::apply(&as_to, &doc.guid, &code.guid, a, b)?;
                    outcome.added += 1;
                }
            }
        }
        for (i, (guid, _, _)) in touching.iter().enumerate() {
            if !used[i] {
                codings::remove(&as_to, guid)?;
                outcome.removed += 1;
            }
        }
        Ok(outcome)
    })
}
