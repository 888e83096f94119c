//! Writes a merged snapshot into a project, inside the caller's transaction, as the
//! difference from what the project holds (its own snapshot, `base`): rows equal to the
//! base are not touched, the others are upserted by GUID (row ids of existing rows are
//! kept), rows absent from the snapshot are removed, attribute values and pseudonyms are
//! rewritten. Texts are written only for documents whose text the project does not hold.
//! The statements themselves are the store's ([`crate::store::sync::write`]).

use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

use super::fasthash::{FastHash, FastMap};
use super::snapshot::{CodingRow, Snapshot};
use super::texts::TextReader;
use crate::store::sync::write::{
    self as store_write, AttributeWriter, CodeWriter, CodingWriter, DocumentLinks, DocumentWriter,
    DroppedIndexes, MemoWriter, RespondentWriter, ValueWriter,
};
use crate::store::sync::{StoredCoding, SyncTable};
use crate::store::{StoreError, StoreResult, history};

/// GUID → row id of a table's rows in the project written to.
type Ids = FastMap<String, i64>;

fn ids(conn: &Connection, table: SyncTable) -> StoreResult<Ids> {
    store_write::guid_ids(conn, table)
}

/// The row id of `guid` in `map` (`what` names the table in the error when it is missing).
fn id_of(map: &Ids, guid: &str, what: &str) -> StoreResult<i64> {
    map.get(guid)
        .copied()
        .ok_or_else(|| StoreError::NotFound(format!("{what} {guid}")))
}

/// [`id_of`] for an optional reference.
fn id_in(map: &Ids, guid: Option<&str>, what: &str) -> StoreResult<Option<i64>> {
    guid.map(|g| id_of(map, g, what)).transpose()
}

fn sorted<K: Ord, V>(map: &HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// The rows of `map` that differ from (or are missing in) `base`, in key order.
fn changed<'a, K: Ord + std::hash::Hash + Eq, V: PartialEq>(
    map: &'a HashMap<K, V>,
    base: &HashMap<K, V>,
) -> Vec<(&'a K, &'a V)> {
    let mut v: Vec<_> = map
        .iter()
        .filter(|(k, row)| base.get(*k) != Some(*row))
        .collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// Row ids (sorted) of the rows of `before` that `keep` does not keep.
fn absent(before: &Ids, keep: impl Fn(&str) -> bool) -> Vec<i64> {
    let mut gone: Vec<i64> = before
        .iter()
        .filter(|(g, _)| !keep(g))
        .map(|(_, id)| *id)
        .collect();
    gone.sort();
    gone
}

fn delete_absent(
    conn: &Connection,
    table: SyncTable,
    before: &Ids,
    keep: impl Fn(&str) -> bool,
) -> StoreResult<()> {
    store_write::delete_by_id(conn, table, &absent(before, keep))
}

/// Whether two versions of a coding are stored alike (the text they were read against
/// aside: it is not stored).
fn same_coding(a: &CodingRow, b: &CodingRow) -> bool {
    (
        &a.document,
        &a.code,
        a.start_char,
        a.end_char,
        &a.created_by,
        a.created_at,
        a.modified_at,
        a.deleted,
        &a.source_project,
    ) == (
        &b.document,
        &b.code,
        b.start_char,
        b.end_char,
        &b.created_by,
        b.created_at,
        b.modified_at,
        b.deleted,
        &b.source_project,
    )
}

/// Row ids of the project's rows as they were before the merge wrote each table: the rows
/// among them that the snapshot lacks are removed at the end.
struct Before {
    respondents: Ids,
    documents: Ids,
    codes: Ids,
    codings: Ids,
    memos: Ids,
}

/// Writes `s` into the project open on `conn` (inside a transaction). `base` is what the
/// project holds now, read from it (every row as stored, provenance included): only the
/// differences are written. `set_project`: the project row takes the merged name, dates
/// and settings (a project made for this merge).
pub(super) fn write_snapshot(
    conn: &Connection,
    s: &Snapshot,
    base: &Snapshot,
    set_project: bool,
) -> StoreResult<()> {
    // No undo step is recorded: the capture triggers only cost time here.
    history::remove_triggers(conn)?;
    if set_project && let Some(p) = &s.project {
        store_write::set_project_row(conn, p)?;
    }
    let coders = write_coders(conn, s)?;
    let respondents_before = ids(conn, SyncTable::Respondents)?;
    write_respondents(conn, s, base, &coders)?;
    let respondents = ids(conn, SyncTable::Respondents)?;
    let attributes = write_attributes(conn, s, base)?;
    let documents_before = ids(conn, SyncTable::Documents)?;
    write_documents(conn, s, base, &respondents, &coders)?;
    let documents = ids(conn, SyncTable::Documents)?;
    let codes_before = ids(conn, SyncTable::Codes)?;
    let codes = write_codes(conn, s, base, &coders)?;
    let codings_before = ids(conn, SyncTable::Codings)?;
    write_codings(
        conn,
        s,
        base,
        &codings_before,
        [&documents, &codes, &coders],
    )?;
    let memos_before = ids(conn, SyncTable::Memos)?;
    write_memos(conn, s, base, &coders)?;
    let before = Before {
        respondents: respondents_before,
        documents: documents_before,
        codes: codes_before,
        codings: codings_before,
        memos: memos_before,
    };
    remove_absent(conn, s, &before)?;
    write_values(conn, s, &attributes, &documents, &respondents)?;
    store_write::replace_pseudonyms(conn, &s.pseudonyms)?;
    history::install_triggers(conn)?;
    Ok(())
}

/// Coders: drops the ones absent (only the placeholder coder of a fresh project), then
/// writes the others. Returns the coders' row ids.
fn write_coders(conn: &Connection, s: &Snapshot) -> StoreResult<Ids> {
    let before = ids(conn, SyncTable::Coders)?;
    delete_absent(conn, SyncTable::Coders, &before, |g| {
        s.coders.contains_key(g)
    })?;
    store_write::write_coders(conn, &sorted(&s.coders))?;
    ids(conn, SyncTable::Coders)
}

fn write_respondents(
    conn: &Connection,
    s: &Snapshot,
    base: &Snapshot,
    coders: &Ids,
) -> StoreResult<()> {
    let mut writer = RespondentWriter::new(conn)?;
    for (guid, r) in changed(&s.respondents, &base.respondents) {
        writer.write(guid, r, id_in(coders, r.created_by.as_deref(), "coder")?)?;
    }
    Ok(())
}

/// Attributes: their values are cleared first (written again once every owner is
/// settled), the attributes absent removed, the others written. Returns their row ids.
fn write_attributes(conn: &Connection, s: &Snapshot, base: &Snapshot) -> StoreResult<Ids> {
    store_write::clear_attribute_values(conn)?;
    let before = ids(conn, SyncTable::Attributes)?;
    delete_absent(conn, SyncTable::Attributes, &before, |g| {
        s.attributes.contains_key(g)
    })?;
    let mut writer = AttributeWriter::new(conn)?;
    for (guid, a) in changed(&s.attributes, &base.attributes) {
        writer.write(guid, a)?;
    }
    ids(conn, SyncTable::Attributes)
}

fn write_documents(
    conn: &Connection,
    s: &Snapshot,
    base: &Snapshot,
    respondents: &Ids,
    coders: &Ids,
) -> StoreResult<()> {
    let mut writer = DocumentWriter::new(conn)?;
    let mut texts = TextReader::new(&s.text_sources);
    for (guid, d) in changed(&s.documents, &base.documents) {
        let links = DocumentLinks {
            respondent: id_in(respondents, d.respondent.as_deref(), "respondent")?,
            created_by: id_in(coders, d.created_by.as_deref(), "coder")?,
        };
        // A document whose text the project holds already keeps it (the text is neither read
        // nor rewritten, and the search index is not touched).
        if base
            .documents
            .get(guid)
            .is_some_and(|b| b.content_hash == d.content_hash)
        {
            writer.write_keeping_text(guid, d, links)?;
            continue;
        }
        let text = texts.require(&d.content_hash)?;
        texts.clear_cache();
        writer.write_with_text(guid, d, &text, links)?;
    }
    Ok(())
}

/// Codes, then every code's parent (a parent may be a code written after its child).
/// Returns the codes' row ids.
fn write_codes(conn: &Connection, s: &Snapshot, base: &Snapshot, coders: &Ids) -> StoreResult<Ids> {
    let mut writer = CodeWriter::new(conn)?;
    for (guid, c) in changed(&s.codes, &base.codes) {
        writer.write(guid, c, id_in(coders, c.created_by.as_deref(), "coder")?)?;
    }
    let codes = ids(conn, SyncTable::Codes)?;
    for (guid, c) in sorted(&s.codes) {
        writer.set_parent(guid, id_in(&codes, c.parent.as_deref(), "code")?)?;
    }
    Ok(codes)
}

/// Codings that differ from the base: inserted when the project lacks their GUID
/// (`before` lists what it holds), upserted otherwise. `refs`: the row ids of documents,
/// codes and coders.
fn write_codings(
    conn: &Connection,
    s: &Snapshot,
    base: &Snapshot,
    before: &Ids,
    refs: [&Ids; 3],
) -> StoreResult<()> {
    let [documents, codes, coders] = refs;
    // In GUID order, so the unique GUID index grows at its end.
    let mut list: Vec<_> = s
        .codings
        .values()
        .filter(|c| base.codings.get(&c.guid).is_none_or(|b| !same_coding(b, c)))
        .collect();
    list.sort_unstable_by(|a, b| a.guid.cmp(&b.guid));
    let indexes = if list.len() > 20_000 {
        store_write::drop_indexes(conn, SyncTable::Codings)?
    } else {
        DroppedIndexes::none()
    };
    let mut writer = CodingWriter::new(conn)?;
    for g in list {
        let row = StoredCoding {
            guid: &g.guid,
            document_id: id_of(documents, &g.document, "document")?,
            code_id: id_of(codes, &g.code, "code")?,
            start_char: g.start_char,
            end_char: g.end_char,
            created_by: id_of(coders, &g.created_by, "coder")?,
            created_at: g.created_at,
            modified_at: g.modified_at,
            deleted: g.deleted,
            source_project: &g.source_project,
        };
        writer.write(&row, before.contains_key(&*g.guid))?;
    }
    drop(writer);
    indexes.restore(conn)
}

fn write_memos(conn: &Connection, s: &Snapshot, base: &Snapshot, coders: &Ids) -> StoreResult<()> {
    let mut writer = MemoWriter::new(conn)?;
    for (guid, m) in changed(&s.memos, &base.memos) {
        writer.write(guid, m, id_in(coders, m.created_by.as_deref(), "coder")?)?;
    }
    Ok(())
}

/// Removes the rows absent from the merge (folded documents, dropped codings…), clearing
/// the references to them first. Rows left untouched keep their references: those to rows
/// the project lacked (read as none) are written as none, as they are in the snapshot.
fn remove_absent(conn: &Connection, s: &Snapshot, before: &Before) -> StoreResult<()> {
    if !before.codings.is_empty() {
        let coding_guids: HashSet<&str, FastHash> = s.codings.keys().map(|g| &**g).collect();
        delete_absent(conn, SyncTable::Codings, &before.codings, |g| {
            coding_guids.contains(g)
        })?;
    }
    delete_absent(conn, SyncTable::Memos, &before.memos, |g| {
        s.memos.contains_key(g)
    })?;
    store_write::clear_missing_parents(conn)?;
    store_write::clear_missing_authors(conn)?;
    let gone_codes = absent(&before.codes, |g| s.codes.contains_key(g));
    store_write::detach_children(conn, &gone_codes)?;
    store_write::delete_by_id(conn, SyncTable::Codes, &gone_codes)?;
    delete_absent(conn, SyncTable::Documents, &before.documents, |g| {
        s.documents.contains_key(g)
    })?;
    let gone_respondents = absent(&before.respondents, |g| s.respondents.contains_key(g));
    store_write::unlink_documents(conn, &gone_respondents)?;
    store_write::delete_by_id(conn, SyncTable::Respondents, &gone_respondents)?;
    store_write::clear_missing_respondents(conn)
}

/// Attribute values, by attribute then owner; a value whose attribute or owner is not in
/// the project is skipped.
fn write_values(
    conn: &Connection,
    s: &Snapshot,
    attributes: &Ids,
    documents: &Ids,
    respondents: &Ids,
) -> StoreResult<()> {
    let mut writer = ValueWriter::new(conn)?;
    let mut list: Vec<_> = s.values.values().collect();
    list.sort_by(|a, b| (&a.attribute, &a.owner).cmp(&(&b.attribute, &b.owner)));
    for v in list {
        let Some(attribute) = s.attributes.get(&v.attribute) else {
            continue;
        };
        let Some(&attribute_id) = attributes.get(&v.attribute) else {
            continue;
        };
        let owners = if attribute.scope == "document" {
            documents
        } else {
            respondents
        };
        let Some(&owner_id) = owners.get(&v.owner) else {
            continue;
        };
        writer.write(attribute_id, owner_id, &v.value, v.modified_at)?;
    }
    Ok(())
}
