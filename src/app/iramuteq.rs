//! The IRaMuTeQ corpus export, the same for both faces: the filter resolved as for every
//! table (respondents who withdrew consent left out), the texts read, names pseudonymised on
//! request as reports do, the file written whole.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::analysis::AnalysisFilter;
use crate::export::iramuteq::{self, IramuteqOptions, TextUnit};
use crate::export::pseudonymise::Pseudonymiser;
use crate::model::Lang;
use crate::store::Project;

use super::AppResult;

/// A corpus to write.
#[derive(Debug, Clone)]
pub struct IramuteqRequest {
    /// Which excerpts and documents go in.
    pub filter: AnalysisFilter,
    /// One text per excerpt or per document; accents in variables.
    pub options: IramuteqOptions,
    /// Replace respondents' names (and what identifies them) by pseudonyms everywhere.
    pub pseudonymise: bool,
    /// Language of the labels of respondents without a pseudonym and of the notes.
    pub lang: Lang,
    /// The file to write (replaced if it exists, whole or not at all).
    pub path: PathBuf,
}

/// What a written corpus holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IramuteqOutcome {
    /// The file written.
    pub path: PathBuf,
    /// Texts (starred lines) written.
    pub texts: usize,
    /// Distinct respondents of those texts.
    pub respondents: usize,
    /// What the filter kept and left out (respondents who withdrew consent…), in words.
    pub notes: Vec<String>,
}

/// Writes the corpus from the project's own connection.
pub fn export_iramuteq(project: &Project, request: &IramuteqRequest) -> AppResult<IramuteqOutcome> {
    export_on(project.conn(), request)
}

/// Writes the corpus from the project file at `path`, on a read-only connection of its own
/// (for a thread other than the one holding the project, which goes on meanwhile).
pub fn export_iramuteq_in(path: &Path, request: &IramuteqRequest) -> AppResult<IramuteqOutcome> {
    let conn = crate::store::reader::open_reader(path)?;
    export_on(&conn, request)
}

fn export_on(conn: &Connection, request: &IramuteqRequest) -> AppResult<IramuteqOutcome> {
    let mut sel = request.filter.resolve_without_texts(conn, request.lang)?;
    match request.options.per {
        TextUnit::Excerpt => sel.load_texts(conn)?,
        TextUnit::Document => {
            let every: Vec<usize> = (0..sel.documents.len()).collect();
            sel.load_texts_of(conn, &every)?
        }
    }
    let pseudo = if request.pseudonymise {
        Some(Pseudonymiser::from_project(conn, request.lang)?)
    } else {
        None
    };
    let corpus = iramuteq::corpus(&sel, &request.options, pseudo.as_ref());
    iramuteq::write(&request.path, &corpus.text)?;
    Ok(IramuteqOutcome {
        path: request.path.clone(),
        texts: corpus.texts,
        respondents: corpus.respondents,
        notes: sel.notes,
    })
}
