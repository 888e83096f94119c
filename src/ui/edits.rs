//! Edits of the project from the app: each goes through the application layer
//! ([`crate::app::edit`]), the same function the command line calls; this file only turns
//! its outcome into what the app shows (the status line, the codings to redraw, the code
//! to select).

use crate::app::edit::{self, Done, Edit};
use crate::app::message::{Arg, Refresh};
use crate::store::Project;

use super::app::FouilleApp;
use super::apply::{Applied, Reload};
use crate::i18n::I18n;

pub(crate) fn project_mut<'a>(
    project: &'a mut Option<Project>,
    lent: bool,
    tr: &I18n,
) -> Result<&'a mut Project, String> {
    match project {
        Some(p) => Ok(p),
        None if lent => Err(tr.t("error.busy").to_string()),
        None => Err(tr.t("error.no_project").to_string()),
    }
}

impl FouilleApp {
    /// Applies an edit through the application layer: the message for the status line and
    /// what the edit changed, to read again.
    pub(crate) fn apply_edit(&mut self, edit: Edit) -> Result<Applied, String> {
        let tr = self.tr.clone();
        let selects_code = matches!(edit, Edit::AddCode { .. } | Edit::MergeCode { .. });
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let done = edit::apply(project, edit).map_err(|e| crate::i18n::errors::app(&tr, &e))?;
        let message = done
            .message
            .as_ref()
            .map(|m| m.words(&tr, &|arg| self.code_words(arg)));
        let reload = self.follow(done, selects_code);
        Ok(Applied { message, reload })
    }

    /// Selects the code an edit made or used; returns what to redraw.
    fn follow(&mut self, done: Done, selects_code: bool) -> Reload {
        if let Some(code) = done.code {
            if selects_code {
                self.nav.selected_codes = vec![code];
            } else {
                self.nav.use_code(&code);
            }
        }
        match done.refresh {
            Refresh::All => Reload::All,
            Refresh::Codings(guids) => Reload::Codings(guids),
            Refresh::Lists => Reload::CacheOnly,
        }
    }

    /// A code named in a message, as the app shows codes (the built-in codebook in the
    /// interface's language).
    pub(crate) fn code_words(&self, arg: &Arg) -> String {
        let env = self.env();
        match arg {
            Arg::CodePath(guid) => env.code_path(guid),
            Arg::PoleNote(guid) => env.pole_note(guid).unwrap_or_else(|| env.code_path(guid)),
            Arg::Text(text) => text.clone(),
            Arg::Count(n) => n.to_string(),
        }
    }
}
