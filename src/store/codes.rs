//! The codebook: a tree of codes with kinds (a controversy holds exactly two poles, an
//! orientation holds pistes, a folder holds codes but no codings), colours and descriptions.

use crate::model::text::clean_name;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::HashMap;

use super::{Named, Rule, StoreError, StoreResult, Thing, Tx};
use crate::model::{Code, CodeId, CodeKind, CoderId};

/// Default colours given to new codes in turn.
pub const PALETTE: &[&str] = &[
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000", "#000075", "#e6beff", "#ffd8b1", "#aaffc3",
];

/// A code to insert.
#[derive(Debug, Clone)]
pub struct NewCode {
    /// GUID to keep; new when `None`.
    pub guid: Option<CodeId>,
    /// Parent GUID.
    pub parent_guid: Option<CodeId>,
    /// Name, cleaned as [`crate::model::text::clean_name`] does; refused when empty, when it
    /// holds `/` or when a live sibling has it.
    pub name: String,
    /// Kind; the tree rules (a pole under a controversy…) are checked against the parent.
    pub kind: CodeKind,
    /// Colour `#RRGGBB`; from the palette when `None`.
    pub color: Option<String>,
    /// Free text for coders; stored as given (empty: none).
    pub description: String,
}

impl NewCode {
    /// A code of `kind` named `name` under `parent_guid`.
    pub fn new(name: &str, kind: CodeKind, parent_guid: Option<&CodeId>) -> NewCode {
        NewCode {
            guid: None,
            parent_guid: parent_guid.cloned(),
            name: name.to_string(),
            kind,
            color: None,
            description: String::new(),
        }
    }
}

const COLUMNS: &str = "c.guid, p.guid, c.name, c.kind, c.color, c.description, c.sort_order, k.guid, c.created_at, c.modified_at";
const FROM: &str = "FROM codes c LEFT JOIN codes p ON p.id = c.parent_id LEFT JOIN coders k ON k.id = c.created_by";

fn from_row(r: &Row) -> rusqlite::Result<Code> {
    let kind: String = r.get(3)?;
    Ok(Code {
        guid: r.get(0)?,
        parent_guid: r.get(1)?,
        name: r.get(2)?,
        kind: CodeKind::parse(&kind).unwrap_or(CodeKind::Theme),
        color: r.get(4)?,
        description: r.get(5)?,
        sort_order: r.get(6)?,
        created_by: r.get::<_, Option<CoderId>>(7)?.unwrap_or_default(),
        created_at: r.get(8)?,
        modified_at: r.get(9)?,
    })
}

/// Checks and normalises a colour: `#RGB` or `#RRGGBB` → `#rrggbb`.
pub fn normalize_color(raw: &str) -> Option<String> {
    let hex = raw.trim().trim_start_matches('#');
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
        6 => hex.to_string(),
        8 => hex[..6].to_string(),
        _ => return None,
    };
    full.chars()
        .all(|c| c.is_ascii_hexdigit())
        .then(|| format!("#{}", full.to_lowercase()))
}

/// Row id of a code GUID.
pub fn id_of(conn: &Connection, guid: &CodeId) -> StoreResult<i64> {
    conn.query_row("SELECT id FROM codes WHERE guid = ?1", [guid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::not_found(Thing::Code, guid))
}

/// Whether a live code has this GUID: false for a tombstone, an unknown GUID, and when the
/// lookup fails (an import then leaves the parent out rather than stopping).
pub fn is_live(conn: &Connection, guid: &CodeId) -> bool {
    conn.prepare_cached("SELECT deleted = 0 FROM codes WHERE guid = ?1")
        .and_then(|mut stmt| stmt.query_row([guid], |r| r.get::<_, bool>(0)))
        .unwrap_or(false)
}

/// Every live code in tree order (parents before children, siblings by order).
pub fn list(conn: &Connection) -> StoreResult<Vec<Code>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.deleted = 0 ORDER BY c.sort_order, c.name"
    ))?;
    let all: Vec<Code> = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(tree_order(all))
}

/// Sorts codes depth-first (roots, then each one's children).
pub fn tree_order(codes: Vec<Code>) -> Vec<Code> {
    let mut children: HashMap<Option<CodeId>, Vec<Code>> = HashMap::new();
    let known: std::collections::HashSet<CodeId> = codes.iter().map(|c| c.guid.clone()).collect();
    for c in codes {
        let parent = c.parent_guid.clone().filter(|p| known.contains(p));
        children.entry(parent).or_default().push(c);
    }
    let mut out = Vec::new();
    fn walk(
        parent: Option<CodeId>,
        children: &mut HashMap<Option<CodeId>, Vec<Code>>,
        out: &mut Vec<Code>,
    ) {
        if let Some(kids) = children.remove(&parent) {
            for k in kids {
                let g = k.guid.clone();
                out.push(k);
                walk(Some(g), children, out);
            }
        }
    }
    walk(None, &mut children, &mut out);
    out
}

/// A code by GUID (live or not).
pub fn get(conn: &Connection, guid: &CodeId) -> StoreResult<Code> {
    conn.query_row(
        &format!("SELECT {COLUMNS} {FROM} WHERE c.guid = ?1"),
        [guid],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::not_found(Thing::Code, guid))
}

/// The `/`-separated name path of a code among `codes`.
pub fn path_of(codes: &[Code], guid: &CodeId) -> String {
    let by_guid: HashMap<&CodeId, &Code> = codes.iter().map(|c| (&c.guid, c)).collect();
    path_in(&by_guid, guid)
}

fn path_in(by_guid: &HashMap<&CodeId, &Code>, guid: &CodeId) -> String {
    let mut parts = Vec::new();
    let mut current = by_guid.get(guid).copied();
    while let Some(c) = current {
        parts.push(c.name.as_str());
        if parts.len() > 64 {
            break;
        }
        current = c.parent_guid.as_ref().and_then(|p| by_guid.get(p).copied());
    }
    parts.reverse();
    parts.join("/")
}

/// Paths of every code: GUID → path.
pub fn paths(codes: &[Code]) -> HashMap<CodeId, String> {
    let by_guid: HashMap<&CodeId, &Code> = codes.iter().map(|c| (&c.guid, c)).collect();
    codes
        .iter()
        .map(|c| (c.guid.clone(), path_in(&by_guid, &c.guid)))
        .collect()
}

/// Finds a live code by GUID or by `/`-separated name path (exact first, then
/// case-insensitive, then a unique code whose name alone matches).
pub fn resolve(conn: &Connection, path_or_guid: &str) -> StoreResult<Code> {
    let key = path_or_guid.trim().trim_matches('/');
    let codes = list(conn)?;
    if let Some(c) = codes.iter().find(|c| c.guid.as_str() == key.to_lowercase()) {
        return Ok(c.clone());
    }
    let paths = paths(&codes);
    if let Some(c) = codes.iter().find(|c| paths[&c.guid] == key) {
        return Ok(c.clone());
    }
    let lower = key.to_lowercase();
    let matching: Vec<&Code> = codes
        .iter()
        .filter(|c| paths[&c.guid].to_lowercase() == lower)
        .collect();
    if let [one] = matching.as_slice() {
        return Ok((*one).clone());
    }
    let by_name: Vec<&Code> = codes
        .iter()
        .filter(|c| c.name.to_lowercase() == lower)
        .collect();
    match by_name.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StoreError::not_found(Thing::Code, key)),
        many => Err(StoreError::Rule(Rule::AmbiguousCode {
            key: key.to_string(),
            paths: many.iter().map(|c| paths[&c.guid].clone()).collect(),
        })),
    }
}

/// GUIDs of a code and all its live descendants.
pub fn with_descendants(codes: &[Code], guid: &CodeId) -> Vec<CodeId> {
    let mut out = vec![guid.clone()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        out.extend(
            codes
                .iter()
                .filter(|c| c.parent_guid.as_ref() == Some(&parent))
                .map(|c| c.guid.clone()),
        );
        i += 1;
    }
    out
}

fn check_placement(
    conn: &Connection,
    name: &str,
    kind: CodeKind,
    parent: Option<&Code>,
    exclude_guid: Option<&CodeId>,
) -> StoreResult<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Rule::EmptyName(Named::Code).into());
    }
    if name.contains('/') {
        let name = name.to_string();
        return Err(Rule::SlashInCodeName { name }.into());
    }
    match (kind, parent.map(|p| p.kind)) {
        (CodeKind::Pole, Some(CodeKind::Controversy)) => {}
        (CodeKind::Pole, _) => {
            let name = name.to_string();
            return Err(Rule::PoleOutsideControversy { name }.into());
        }
        (CodeKind::Piste, Some(CodeKind::Orientation)) => {}
        (CodeKind::Piste, _) => {
            let name = name.to_string();
            return Err(Rule::PisteOutsideOrientation { name }.into());
        }
        (_, Some(CodeKind::Controversy)) => {
            return Err(Rule::ControversyHoldsPolesOnly.into());
        }
        (_, Some(CodeKind::Pole)) => {
            return Err(Rule::PoleHoldsCodes.into());
        }
        _ => {}
    }
    let parent_id = match parent {
        Some(p) => Some(id_of(conn, &p.guid)?),
        None => None,
    };
    if kind == CodeKind::Pole {
        let poles: i64 = conn.query_row(
            "SELECT count(*) FROM codes WHERE parent_id IS ?1 AND deleted = 0 AND kind = 'pole' AND guid IS NOT ?2",
            params![parent_id, exclude_guid],
            |r| r.get(0),
        )?;
        if poles >= 2 {
            let controversy = parent.map(|p| p.name.clone()).unwrap_or_default();
            return Err(Rule::ControversyFull { controversy }.into());
        }
    }
    let taken: i64 = conn.query_row(
        "SELECT count(*) FROM codes WHERE parent_id IS ?1 AND deleted = 0 AND name = ?2 AND guid IS NOT ?3",
        params![parent_id, name, exclude_guid],
        |r| r.get(0),
    )?;
    if taken > 0 {
        let name = name.to_string();
        return Err(Rule::CodeNameTaken { name }.into());
    }
    Ok(())
}

/// Inserts a code; returns its GUID.
pub fn insert(tx: &Tx, new: NewCode) -> StoreResult<CodeId> {
    let parent = match &new.parent_guid {
        Some(g) => Some(get(tx.conn, g)?),
        None => None,
    };
    check_placement(tx.conn, &new.name, new.kind, parent.as_ref(), None)?;
    let color = match &new.color {
        Some(c) => normalize_color(c).ok_or_else(|| Rule::BadColour(c.clone()))?,
        None => {
            let n: i64 = tx
                .conn
                .query_row("SELECT count(*) FROM codes", [], |r| r.get(0))?;
            PALETTE[n as usize % PALETTE.len()].to_string()
        }
    };
    let parent_id = match &parent {
        Some(p) => Some(id_of(tx.conn, &p.guid)?),
        None => None,
    };
    let order: i64 = tx.conn.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM codes WHERE parent_id IS ?1",
        [parent_id],
        |r| r.get(0),
    )?;
    let guid = new.guid.unwrap_or_else(CodeId::generate);
    tx.conn.execute(
        "INSERT INTO codes (guid, parent_id, name, kind, color, description, sort_order, created_by, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![guid, parent_id, clean_name(&new.name), new.kind.as_str(), color, new.description, order, tx.coder_id, tx.now_ms],
    )?;
    Ok(guid)
}

/// Renames a code, under the same rules as a new name (see [`NewCode::name`]).
pub fn rename(tx: &Tx, guid: &CodeId, name: &str) -> StoreResult<()> {
    let code = get(tx.conn, guid)?;
    let parent = match &code.parent_guid {
        Some(p) => Some(get(tx.conn, p)?),
        None => None,
    };
    check_placement(tx.conn, name, code.kind, parent.as_ref(), Some(guid))?;
    tx.conn.execute(
        "UPDATE codes SET name = ?1, modified_at = ?2 WHERE guid = ?3",
        params![clean_name(name), tx.now_ms, guid],
    )?;
    Ok(())
}

/// Sets a code's colour and description.
pub fn set_details(tx: &Tx, guid: &CodeId, color: &str, description: &str) -> StoreResult<()> {
    let color = normalize_color(color).ok_or_else(|| Rule::BadColour(color.to_string()))?;
    let n = tx.conn.execute(
        "UPDATE codes SET color = ?1, description = ?2, modified_at = ?3 WHERE guid = ?4",
        params![color, description, tx.now_ms, guid],
    )?;
    if n == 0 {
        return Err(StoreError::not_found(Thing::Code, guid));
    }
    Ok(())
}

/// Changes a code's kind (the tree rules are checked).
pub fn set_kind(tx: &Tx, guid: &CodeId, kind: CodeKind) -> StoreResult<()> {
    let code = get(tx.conn, guid)?;
    let parent = match &code.parent_guid {
        Some(p) => Some(get(tx.conn, p)?),
        None => None,
    };
    check_placement(tx.conn, &code.name, kind, parent.as_ref(), Some(guid))?;
    tx.conn.execute(
        "UPDATE codes SET kind = ?1, modified_at = ?2 WHERE guid = ?3",
        params![kind.as_str(), tx.now_ms, guid],
    )?;
    Ok(())
}

/// Moves a code under a new parent (or to the top), at `position` among its new siblings
/// (the end when `None`).
pub fn move_to(
    tx: &Tx,
    guid: &CodeId,
    new_parent: Option<&CodeId>,
    position: Option<usize>,
) -> StoreResult<()> {
    let code = get(tx.conn, guid)?;
    let codes = list(tx.conn)?;
    if let Some(p) = new_parent
        && with_descendants(&codes, guid).iter().any(|g| g == p)
    {
        let name = code.name.clone();
        return Err(Rule::CodeCycle { name }.into());
    }
    let parent = match new_parent {
        Some(p) => Some(get(tx.conn, p)?),
        None => None,
    };
    check_placement(tx.conn, &code.name, code.kind, parent.as_ref(), Some(guid))?;
    let parent_id = match &parent {
        Some(p) => Some(id_of(tx.conn, &p.guid)?),
        None => None,
    };
    let mut siblings: Vec<CodeId> = codes
        .iter()
        .filter(|c| c.parent_guid.as_ref() == new_parent && &c.guid != guid)
        .map(|c| c.guid.clone())
        .collect();
    let at = position.unwrap_or(siblings.len()).min(siblings.len());
    siblings.insert(at, guid.clone());
    tx.conn.execute(
        "UPDATE codes SET parent_id = ?1, modified_at = ?2 WHERE guid = ?3",
        params![parent_id, tx.now_ms, guid],
    )?;
    for (i, g) in siblings.iter().enumerate() {
        tx.conn.execute(
            "UPDATE codes SET sort_order = ?1, modified_at = CASE WHEN sort_order = ?1 THEN modified_at ELSE ?2 END WHERE guid = ?3",
            params![i as i64 + 1, tx.now_ms, g],
        )?;
    }
    Ok(())
}

/// Number of live codings of each code (GUID → count), not rolled up.
pub fn coding_counts(conn: &Connection) -> StoreResult<HashMap<CodeId, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.guid, count(*) FROM codings g JOIN codes c ON c.id = g.code_id
         JOIN documents d ON d.id = g.document_id
         WHERE g.deleted = 0 AND d.deleted = 0 GROUP BY c.guid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, CodeId>(0)?, r.get::<_, i64>(1)? as usize))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes a code, its descendants and all their codings (tombstones). Returns the number
/// of codings removed.
pub fn delete(tx: &Tx, guid: &CodeId) -> StoreResult<usize> {
    let codes = list(tx.conn)?;
    let mut removed = 0;
    for g in with_descendants(&codes, guid) {
        let id = id_of(tx.conn, &g)?;
        removed += tx.conn.execute(
            "UPDATE codings SET deleted = 1, modified_at = ?1 WHERE code_id = ?2 AND deleted = 0",
            params![tx.now_ms, id],
        )?;
        tx.conn.execute(
            "UPDATE codes SET deleted = 1, modified_at = ?1 WHERE id = ?2",
            params![tx.now_ms, id],
        )?;
    }
    Ok(removed)
}

/// Merges code `from` into `into`: its codings move to `into` (a coding that would then
/// duplicate one already there is dropped), its children move under `into`, and `from` is
/// deleted. Returns the number of codings moved.
pub fn merge(tx: &Tx, from: &CodeId, into: &CodeId) -> StoreResult<usize> {
    if from == into {
        return Err(Rule::MergeIntoItself.into());
    }
    let target = get(tx.conn, into)?;
    if !target.kind.is_codable() {
        let code = target.name.clone();
        return Err(Rule::NotCodable { code }.into());
    }
    let codes = list(tx.conn)?;
    if with_descendants(&codes, from).iter().any(|g| g == into) {
        return Err(Rule::MergeIntoSubCode.into());
    }
    let from_id = id_of(tx.conn, from)?;
    let into_id = id_of(tx.conn, into)?;
    tx.conn.execute(
        "UPDATE codings SET deleted = 1, modified_at = ?1 WHERE code_id = ?2 AND deleted = 0 AND EXISTS (
            SELECT 1 FROM codings o WHERE o.code_id = ?3 AND o.deleted = 0 AND o.document_id = codings.document_id
            AND o.start_char = codings.start_char AND o.end_char = codings.end_char AND o.created_by = codings.created_by)",
        params![tx.now_ms, from_id, into_id],
    )?;
    let moved = tx.conn.execute(
        "UPDATE codings SET code_id = ?1, modified_at = ?2 WHERE code_id = ?3 AND deleted = 0",
        params![into_id, tx.now_ms, from_id],
    )?;
    for child in codes
        .iter()
        .filter(|c| c.parent_guid.as_ref() == Some(from))
    {
        move_to(tx, &child.guid, Some(into), None)?;
    }
    tx.conn.execute(
        "UPDATE codes SET deleted = 1, modified_at = ?1 WHERE id = ?2",
        params![tx.now_ms, from_id],
    )?;
    Ok(moved)
}
