//! Counts over a whole project: what `fouille sample` reports and what the benchmark reads
//! of a project it did not generate.

use rusqlite::Connection;

use super::StoreResult;

/// How much a project holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Documents that are not survey answers (interviews, transcripts, notes), deleted ones
    /// included.
    pub interviews: usize,
    /// Survey answers (one document per answer cell), deleted ones included.
    pub survey_answers: usize,
    /// Respondent rows, deleted ones included.
    pub respondents: usize,
    /// Code rows, folders and deleted codes included.
    pub codes: usize,
    /// Coding rows, deleted ones included.
    pub codings: usize,
    /// Memo rows, deleted ones included.
    pub memos: usize,
}

/// The rows of each kind (tombstones included).
pub fn counts(conn: &Connection) -> StoreResult<Counts> {
    let count = |sql: &str| -> StoreResult<usize> {
        Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
    };
    Ok(Counts {
        interviews: count("SELECT count(*) FROM documents WHERE kind != 'survey_answer'")?,
        survey_answers: count("SELECT count(*) FROM documents WHERE kind = 'survey_answer'")?,
        respondents: count("SELECT count(*) FROM respondents")?,
        codes: count("SELECT count(*) FROM codes")?,
        codings: count("SELECT count(*) FROM codings")?,
        memos: count("SELECT count(*) FROM memos")?,
    })
}

/// Words (runs between whitespace) and chars of the live documents.
pub fn corpus_size(conn: &Connection) -> StoreResult<(usize, usize)> {
    let mut words = 0;
    let mut chars = 0;
    super::reader::for_each_text(conn, true, |_, text| {
        let text = String::from_utf8_lossy(text);
        words += text.split_whitespace().count();
        chars += text.chars().count();
    })?;
    Ok((words, chars))
}

/// The GUID of the code with the most live codings, if any.
pub fn busiest_code(conn: &Connection) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT c.guid FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.deleted = 0 AND c.deleted = 0
             GROUP BY c.id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}
