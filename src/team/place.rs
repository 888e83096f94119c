//! Codings of the merge: documents mapped to the kept ones, offsets rebased onto the
//! winning text of an edited transcript, then the versions chosen.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::TeamResult;
use super::choose::{Chooser, Chosen};
use super::describe::{Names, short};
use super::fasthash::FastMap;
use super::rebase::{OffsetMap, Placement};
use super::report::{Dropped, Entity, MergeReport, Rebased};
use super::snapshot::{CodingRow, DocumentRow, Interner, Snapshot};
use super::texts::TextReader;
use crate::model::text::slice_chars;

/// Chooses codings after mapping their documents and rebasing their offsets onto the
/// winning text (texts read from the inputs' files by hash, only for edited transcripts);
/// drops the live codings that cannot be placed.
pub(super) fn merge_codings(
    inputs: &[Snapshot],
    doc_map: &HashMap<String, String>,
    out: &mut Snapshot,
    report: &mut MergeReport,
) -> TeamResult<CodingOutcome> {
    let sources: Vec<_> = inputs
        .iter()
        .flat_map(|s| s.text_sources.iter().cloned())
        .collect();
    let mut placer = Placer {
        texts: TextReader::new(&sources),
        maps: HashMap::new(),
        placed: FastMap::default(),
        interner: Interner::default(),
    };
    let mut chooser = Chooser::new();
    for (i, s) in inputs.iter().enumerate() {
        for c in s.codings.values() {
            let mut v = c.clone();
            if let Some(canonical) = doc_map.get(&*v.document) {
                v.document = placer.interner.get(canonical);
            }
            if let Some(doc) = out.documents.get(&*v.document)
                && *v.base_hash != *doc.content_hash
            {
                placer.rebase(&mut v, doc)?;
            }
            chooser.offer(i, v.guid.clone(), v);
        }
    }
    keep_winners(chooser.finish(), inputs.len(), &mut placer, out, report)
}

/// What rebasing codings onto the winning texts keeps between codings.
struct Placer {
    /// The inputs' texts, by content hash.
    texts: TextReader,
    /// (old text hash, new text hash) → how offsets move from one text to the other.
    maps: HashMap<(Arc<str>, String), OffsetMap>,
    /// (coding GUID, start, end) of each version placed on a new text → whether the text
    /// it covers is unchanged (exact) rather than edited inside (adjusted).
    placed: FastMap<(Arc<str>, i64, i64), bool>,
    interner: Interner,
}

impl Placer {
    /// Moves `v`'s offsets from the text it was made on onto `doc`'s text; a coding that
    /// cannot be placed keeps its old text's hash (and is dropped if it wins).
    fn rebase(&mut self, v: &mut CodingRow, doc: &DocumentRow) -> TeamResult<()> {
        let key = (v.base_hash.clone(), doc.content_hash.clone());
        let map = match self.maps.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let map = match self.texts.get(&v.base_hash)? {
                    Some(old) => OffsetMap::between(&old, &self.texts.require(&doc.content_hash)?),
                    None => OffsetMap::default(),
                };
                e.insert(map)
            }
        };
        let (start, end) = (
            usize::try_from(v.start_char).unwrap_or(0),
            usize::try_from(v.end_char).unwrap_or(0),
        );
        let placement = map.place(start, end);
        if let Placement::Exact(s, e) | Placement::Adjusted(s, e) = placement {
            v.start_char = s as i64;
            v.end_char = e as i64;
            v.base_hash = self.interner.get(&doc.content_hash);
            self.placed.insert(
                (v.guid.clone(), v.start_char, v.end_char),
                matches!(placement, Placement::Exact(..)),
            );
        }
        Ok(())
    }
}

/// Puts the winning version of each coding into `out`, except live ones still on an old
/// text (they could not be placed: dropped, and listed); counts what the report needs.
fn keep_winners(
    chosen: FastMap<Arc<str>, Chosen<CodingRow>>,
    input_count: usize,
    placer: &mut Placer,
    out: &mut Snapshot,
    report: &mut MergeReport,
) -> TeamResult<CodingOutcome> {
    let mut rebased: BTreeMap<String, Rebased> = BTreeMap::new();
    let names = Names::new(out);
    let mut outcome = CodingOutcome {
        differing: Vec::new(),
        only_here: vec![0; input_count],
    };
    out.codings.reserve(chosen.len());
    for (guid, c) in chosen {
        if c.present.count_ones() == 1 {
            outcome.only_here[c.present.trailing_zeros() as usize] += 1;
        }
        if !c.others.is_empty() {
            outcome.differing.push((guid.clone(), c.clone()));
        }
        let w = c.winner;
        let Some(doc) = out.documents.get(&*w.document) else {
            out.codings.insert(guid, w);
            continue;
        };
        let stats = || Rebased {
            document_guid: doc.guid.clone(),
            document: doc.name.clone(),
            exact: 0,
            adjusted: 0,
            unplaced: 0,
        };
        if *w.base_hash != *doc.content_hash {
            if !w.deleted {
                rebased
                    .entry(doc.guid.clone())
                    .or_insert_with(stats)
                    .unplaced += 1;
                report
                    .dropped
                    .push(unplaced(&guid, &w, &names, &mut placer.texts)?);
                continue;
            }
        } else if !placer.placed.is_empty()
            && let Some(exact) = placer.placed.get(&(guid.clone(), w.start_char, w.end_char))
        {
            let entry = rebased.entry(doc.guid.clone()).or_insert_with(stats);
            if *exact {
                entry.exact += 1;
            } else {
                entry.adjusted += 1;
            }
        }
        out.codings.insert(guid, w);
    }
    report.rebased.extend(rebased.into_values());
    Ok(outcome)
}

/// The report's line for a coding that could not be placed on its document's new text,
/// quoting what it covered in the old one.
fn unplaced(
    guid: &Arc<str>,
    w: &CodingRow,
    names: &Names,
    texts: &mut TextReader,
) -> TeamResult<Dropped> {
    let old = texts.get(&w.base_hash)?;
    let quote = old
        .as_deref()
        .and_then(|t| {
            slice_chars(
                t,
                usize::try_from(w.start_char).unwrap_or(0),
                usize::try_from(w.end_char).unwrap_or(0),
            )
        })
        .unwrap_or("");
    Ok(Dropped {
        entity: Entity::Coding,
        guid: guid.to_string(),
        what: format!("{} : « {} »", names.coding(w), short(quote, 120)),
        reason: "le texte du document a été modifié à cet endroit : codage non replacé, à recoder — the text was edited there: the coding could not be placed, recode it".into(),
    })
}

/// What the report needs of the codings' versions.
pub(super) struct CodingOutcome {
    /// Codings whose versions differ between inputs.
    pub(super) differing: Vec<(Arc<str>, Chosen<CodingRow>)>,
    /// Codings found only in each input.
    pub(super) only_here: Vec<usize>,
}
