//! Blinded double coding: while the project setting `blind_coding` is on, each coder sees
//! only their own codings (in the document view, retrieval and counts) until it is lifted.
//! The store keeps everything; [`Visibility`] is the filter the views apply.

use rusqlite::Connection;
use std::collections::HashMap;

use crate::model::{CodeId, CoderId, Coding};
use crate::store::excerpts::{Excerpt, ExcerptFilter};
use crate::store::{Project, StoreResult, codings, sync};

/// The project setting (a boolean).
pub const BLIND_SETTING: &str = "blind_coding";

/// Whether blinded coding is on in a project.
pub fn is_blind(conn: &Connection) -> StoreResult<bool> {
    Ok(sync::read::project_settings(conn)?
        .get(BLIND_SETTING)
        .and_then(|v| v.as_bool())
        .unwrap_or(false))
}

/// Turns blinded coding on or off (a preference, not an undoable action).
pub fn set_blind(project: &Project, on: bool) -> StoreResult<()> {
    project.update_setting(BLIND_SETTING, serde_json::Value::Bool(on))
}

/// Whose codings a viewer may see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Visibility {
    /// `Some(coder GUID)`: only that coder's codings; `None`: everyone's.
    pub only: Option<CoderId>,
}

impl Visibility {
    /// Everyone's codings: the view when blinded coding is off.
    pub fn all() -> Visibility {
        Visibility { only: None }
    }

    /// What `viewer` (a coder GUID) may see in the project on `conn`.
    pub fn for_viewer(conn: &Connection, viewer: &CoderId) -> StoreResult<Visibility> {
        Ok(Visibility {
            only: is_blind(conn)?.then(|| viewer.clone()),
        })
    }

    /// What the project's acting coder may see.
    pub fn for_project(project: &Project) -> StoreResult<Visibility> {
        Visibility::for_viewer(project.conn(), &project.coder()?.guid)
    }

    /// Whether the codings of `coder` (GUID) are shown.
    pub fn shows(&self, coder: &CoderId) -> bool {
        self.only.as_ref().is_none_or(|me| me == coder)
    }

    /// Keeps the visible codings.
    pub fn filter_codings(&self, codings: Vec<Coding>) -> Vec<Coding> {
        codings
            .into_iter()
            .filter(|c| self.shows(&c.created_by))
            .collect()
    }

    /// Keeps the visible excerpts.
    pub fn filter_excerpts(&self, excerpts: Vec<Excerpt>) -> Vec<Excerpt> {
        excerpts
            .into_iter()
            .filter(|e| self.shows(&e.coding.created_by))
            .collect()
    }

    /// Narrows a retrieval filter to the visible coders. Returns `false` when nothing can
    /// be visible (the filter asked only for other coders): skip the query then.
    pub fn restrict(&self, filter: &mut ExcerptFilter) -> bool {
        let Some(me) = &self.only else { return true };
        if filter.coders.is_empty() || filter.coders.contains(me) {
            filter.coders = vec![me.clone()];
            true
        } else {
            false
        }
    }

    /// Number of visible live codings of each code (GUID → count), not rolled up.
    pub fn coding_counts(&self, conn: &Connection) -> StoreResult<HashMap<CodeId, usize>> {
        codings::counts_by_code(conn, self.only.as_ref())
    }
}
