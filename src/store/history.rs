//! Undo and redo, backed by the store.
//!
//! While an action runs, temporary triggers (installed on every connection) record for each
//! changed row the SQL statement that reverses the change into the `history` table, tagged
//! with the action's step. Undoing a step replays its statements in reverse order inside one
//! transaction, while the same triggers record the reverse of the reverse on the redo stack.
//! This covers every edit of every table, whatever code made it (the technique of SQLite's
//! "automatic undo/redo" note).

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;

/// Tables whose changes are undoable.
const TRACKED: &[&str] = &[
    "project",
    "respondents",
    "documents",
    "attributes",
    "attribute_values",
    "codes",
    "codings",
    "memos",
    "pseudonyms",
];

/// How many steps are kept on the undo stack.
pub const MAX_STEPS: i64 = 500;

/// The undo stack or the redo stack (one table, told apart by this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    /// Actions that can be undone.
    Undo,
    /// Undone actions that can be redone.
    Redo,
}

impl Stack {
    fn name(self) -> &'static str {
        match self {
            Stack::Undo => "undo",
            Stack::Redo => "redo",
        }
    }
    fn other(self) -> Stack {
        match self {
            Stack::Undo => Stack::Redo,
            Stack::Redo => Stack::Undo,
        }
    }
}

fn columns(conn: &Connection, table: &str) -> StoreResult<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA main.table_info({table})"))?;
    let cols = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cols)
}

/// Forgets every undo and redo step (a project handed over as a new start: the sample, a
/// merge's result, where the backup made before the merge is the way back and older steps
/// would replay onto rows the merge rewrote).
pub fn clear(conn: &Connection) -> StoreResult<()> {
    conn.execute_batch("DELETE FROM history; DELETE FROM history_steps;")?;
    Ok(())
}

/// Installs the capture triggers (temporary: they live with this connection only).
pub fn install_triggers(conn: &Connection) -> StoreResult<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS undo_state (capturing INTEGER NOT NULL, stack TEXT NOT NULL, step INTEGER NOT NULL);
         DELETE FROM temp.undo_state;
         INSERT INTO temp.undo_state VALUES (0, 'undo', 0);",
    );
    for table in TRACKED {
        let cols = columns(conn, table)?;
        let col_list = cols.join(", ");
        let values = cols
            .iter()
            .map(|c| format!("quote(old.{c})"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let sets = cols
            .iter()
            .map(|c| format!("(CASE WHEN old.{c} IS NOT new.{c} THEN '{c}=' || quote(old.{c}) || ',' ELSE '' END)"))
            .collect::<Vec<_>>()
            .join(" || ");
        let changed = cols
            .iter()
            .map(|c| format!("old.{c} IS NOT new.{c}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        sql.push_str(&format!(
            "
CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_insert AFTER INSERT ON main.{table}
WHEN (SELECT capturing FROM temp.undo_state) BEGIN
  INSERT INTO main.history (stack, step, sql)
  SELECT stack, step, 'DELETE FROM main.{table} WHERE rowid=' || new.rowid FROM temp.undo_state;
END;
CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_delete AFTER DELETE ON main.{table}
WHEN (SELECT capturing FROM temp.undo_state) BEGIN
  INSERT INTO main.history (stack, step, sql)
  SELECT stack, step, 'INSERT INTO main.{table} (rowid, {col_list}) VALUES (' || old.rowid || ',' || {values} || ')' FROM temp.undo_state;
END;
CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}_update AFTER UPDATE ON main.{table}
WHEN (SELECT capturing FROM temp.undo_state) AND ({changed}) BEGIN
  INSERT INTO main.history (stack, step, sql)
  SELECT stack, step, 'UPDATE main.{table} SET ' || rtrim({sets}, ',') || ' WHERE rowid=' || old.rowid FROM temp.undo_state;
END;"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Removes the capture triggers from this connection. Bulk writes that record no undo step
/// (a merge of whole projects) run several times faster without them; call
/// [`install_triggers`] afterwards to put them back.
pub fn remove_triggers(conn: &Connection) -> StoreResult<()> {
    let mut sql = String::new();
    for table in TRACKED {
        for op in ["insert", "delete", "update"] {
            sql.push_str(&format!("DROP TRIGGER IF EXISTS temp.undo_{table}_{op};\n"));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

fn next_step(conn: &Connection, stack: Stack) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(step), 0) + 1 FROM history_steps WHERE stack = ?1",
        [stack.name()],
        |r| r.get(0),
    )?)
}

/// Starts recording an action (called inside its transaction).
pub fn begin_step(conn: &Connection, label: &str) -> StoreResult<()> {
    let step = next_step(conn, Stack::Undo)?;
    conn.execute(
        "INSERT INTO history_steps (stack, step, label, created_at) VALUES ('undo', ?1, ?2, ?3)",
        params![step, label, crate::model::now_ms()],
    )?;
    conn.execute(
        "UPDATE temp.undo_state SET capturing = 1, stack = 'undo', step = ?1",
        [step],
    )?;
    Ok(())
}

/// Stops recording: drops the step if the action changed nothing, clears the redo stack if
/// it did, and prunes old steps.
pub fn end_step(conn: &Connection) -> StoreResult<()> {
    let step: i64 = conn.query_row("SELECT step FROM temp.undo_state", [], |r| r.get(0))?;
    conn.execute("UPDATE temp.undo_state SET capturing = 0", [])?;
    let changes: i64 = conn.query_row(
        "SELECT count(*) FROM history WHERE stack = 'undo' AND step = ?1",
        [step],
        |r| r.get(0),
    )?;
    if changes == 0 {
        conn.execute(
            "DELETE FROM history_steps WHERE stack = 'undo' AND step = ?1",
            [step],
        )?;
        return Ok(());
    }
    conn.execute_batch(
        "DELETE FROM history WHERE stack = 'redo'; DELETE FROM history_steps WHERE stack = 'redo';",
    )?;
    let oldest = step - MAX_STEPS;
    if oldest > 0 {
        conn.execute(
            "DELETE FROM history WHERE stack = 'undo' AND step <= ?1",
            [oldest],
        )?;
        conn.execute(
            "DELETE FROM history_steps WHERE stack = 'undo' AND step <= ?1",
            [oldest],
        )?;
    }
    Ok(())
}

/// Label of the top step of a stack.
pub fn top_label(conn: &Connection, stack: Stack) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT label FROM history_steps WHERE stack = ?1 ORDER BY step DESC LIMIT 1",
            [stack.name()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Replays the top step of `from` (undo or redo) in one transaction, recording its reverse
/// on the other stack. Returns the step's label, or `None` when `from` is empty.
pub fn replay(conn: &mut Connection, from: Stack) -> StoreResult<Option<String>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let top: Option<(i64, String)> = tx
        .query_row(
            "SELECT step, label FROM history_steps WHERE stack = ?1 ORDER BY step DESC LIMIT 1",
            [from.name()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((step, label)) = top else {
        return Ok(None);
    };
    let to = from.other();
    let new_step = next_step(&tx, to)?;
    tx.execute(
        "INSERT INTO history_steps (stack, step, label, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![to.name(), new_step, label, crate::model::now_ms()],
    )?;
    let statements: Vec<String> = {
        let mut stmt =
            tx.prepare("SELECT sql FROM history WHERE stack = ?1 AND step = ?2 ORDER BY seq DESC")?;
        stmt.query_map(params![from.name(), step], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    tx.execute(
        "UPDATE temp.undo_state SET capturing = 1, stack = ?1, step = ?2",
        params![to.name(), new_step],
    )?;
    for sql in &statements {
        tx.execute_batch(sql)?;
    }
    tx.execute("UPDATE temp.undo_state SET capturing = 0", [])?;
    tx.execute(
        "DELETE FROM history WHERE stack = ?1 AND step = ?2",
        params![from.name(), step],
    )?;
    tx.execute(
        "DELETE FROM history_steps WHERE stack = ?1 AND step = ?2",
        params![from.name(), step],
    )?;
    tx.commit()?;
    Ok(Some(label))
}
