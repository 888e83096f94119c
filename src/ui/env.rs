//! What every panel reads while drawing: translations, the project cache, the saved state
//! and the navigation state. Panels get it by shared reference and push [`Command`]s.
//!
//! [`Command`]: super::command::Command

use super::cache::ProjectCache;
use super::state::State;
use crate::i18n::I18n;
use crate::model::{CodeId, DocumentId, RespondentId};

/// Where the user is (not saved between sessions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nav {
    /// The document open in the document view.
    pub document: Option<DocumentId>,
    /// Codes selected in the codebook (retrieval shows their excerpts).
    pub selected_codes: Vec<CodeId>,
    /// The respondent selected in the left panel.
    pub respondent: Option<RespondentId>,
    /// Codes used lately, most recent first (number keys 1–9 apply them).
    pub recent_codes: Vec<CodeId>,
}

/// How many recent codes get a number key.
pub const MAX_RECENT_CODES: usize = 9;

impl Nav {
    /// Puts a code at the front of the recent codes.
    pub fn use_code(&mut self, guid: &CodeId) {
        self.recent_codes.retain(|g| g != guid);
        self.recent_codes.insert(0, guid.clone());
        self.recent_codes.truncate(MAX_RECENT_CODES);
    }
}

/// What panels read while drawing.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Translations.
    pub tr: &'a I18n,
    /// The project's lists.
    pub cache: &'a ProjectCache,
    /// The saved UI state.
    pub state: &'a State,
    /// Navigation.
    pub nav: &'a Nav,
}

impl Env<'_> {
    /// A code's display name (English name of a template code in English).
    pub fn code_name(&self, guid: &CodeId) -> String {
        self.cache
            .code(guid)
            .map(|e| self.tr.code_name(&e.code.name).into_owned())
            .unwrap_or_else(|| "?".into())
    }

    /// A code's display path (`Parent › Child`).
    pub fn code_path(&self, guid: &CodeId) -> String {
        let mut parts = Vec::new();
        let mut current = self.cache.code(guid);
        while let Some(entry) = current {
            parts.push(self.tr.code_name(&entry.code.name).into_owned());
            current = entry
                .code
                .parent_guid
                .as_ref()
                .and_then(|p| self.cache.code(p));
            if parts.len() > 32 {
                break;
            }
        }
        parts.reverse();
        parts.join(" › ")
    }

    /// For a pole, "controversy — side n/2: pole"; `None` for other codes.
    pub fn pole_note(&self, guid: &CodeId) -> Option<String> {
        let (controversy, side) = self.cache.pole_side(guid)?;
        Some(self.tr.f(
            "pole.note",
            &[
                ("controversy", &self.tr.code_name(&controversy.code.name)),
                ("side", &(side + 1).to_string()),
                ("pole", &self.code_name(guid)),
            ],
        ))
    }
}
