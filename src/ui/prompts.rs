//! Opening questions, popups and dialogs ([`Prompt`]): what each one starts with, read from
//! the cache (and, to show a code's codings before deleting it, from the project). Nothing
//! here changes the project; the dialog's buttons push the commands that do.

use crate::model::{AttributeScope, AttributeType, CodeId, CodeKind, MemoTarget};

use super::app::FouilleApp;
use super::command::{Prompt, QuickCodeMode};
use super::widgets::modals::Dialog;
use super::widgets::quick_code::QuickTarget;

impl FouilleApp {
    /// Opens the question, popup or dialog asked for.
    pub(crate) fn apply_prompt(&mut self, prompt: Prompt) -> Result<Option<String>, String> {
        let dialog = match prompt {
            Prompt::QuickCode(mode) => return self.open_quick_code(mode).map(|_| None),
            Prompt::Memo(target) => self.memo_dialog(target),
            Prompt::DeleteCode(guid) => match self.delete_code_dialog(guid)? {
                Some(dialog) => dialog,
                None => return Ok(None),
            },
            Prompt::MergeCode(from) => Dialog::MergeCode {
                from,
                query: String::new(),
            },
            Prompt::AddCode(parent) => self.add_code_dialog(parent),
            Prompt::EditCode(guid) => match self.edit_code_dialog(guid) {
                Some(dialog) => dialog,
                None => return Ok(None),
            },
            Prompt::RenameDocument(guid) => {
                let name = self
                    .cache
                    .document(&guid)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Dialog::RenameDocument { guid, name }
            }
            Prompt::AddRespondent => Dialog::AddRespondent {
                name: String::new(),
            },
            Prompt::DefineAttribute => Dialog::DefineAttribute {
                name: String::new(),
                value_type: AttributeType::Text,
                scope: AttributeScope::Respondent,
            },
            Prompt::CoderName => self.coder_name_dialog(),
            Prompt::OpenProject => Dialog::OpenPath {
                path: String::new(),
                browsing: None,
            },
            Prompt::NewProject => Dialog::NewProject {
                path: super::app::data_dir()
                    .join("nouveau.fouille")
                    .display()
                    .to_string(),
                with_template: true,
            },
            Prompt::Import => Dialog::ImportPaths {
                paths: String::new(),
            },
            Prompt::Settings => Dialog::Settings {
                model: crate::speech::model_dir::remembered()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default(),
                in_use: super::transcription_jobs::model_in_use(&self.tr),
                browsing: None,
            },
            Prompt::Help => Dialog::Help,
            Prompt::Interchange => Dialog::Interchange {
                import_path: String::new(),
                export_path: self.default_refi_path(),
            },
            Prompt::Merge => Dialog::Merge {
                paths: String::new(),
                unify_codes: false,
            },
            Prompt::Backups => return self.show_backups(),
            Prompt::Transcribe { document, audio } => return self.ask_transcribe(document, audio),
            Prompt::TranscribeFiles => Dialog::TranscribeFiles {
                paths: String::new(),
                browsing: None,
            },
        };
        self.dialog = Some(dialog);
        Ok(None)
    }

    /// Opens the quick-code popup on the selection (an error when nothing is selected) or
    /// on a coding whose code is to change.
    fn open_quick_code(&mut self, mode: QuickCodeMode) -> Result<(), String> {
        match mode {
            QuickCodeMode::Apply => match self.coding_target() {
                Some((document, start, end)) => self.quick.open(QuickTarget::Range {
                    document,
                    start,
                    end,
                }),
                None => return Err(self.tr.t("error.select_first").to_string()),
            },
            QuickCodeMode::Change(coding) => self.quick.open(QuickTarget::Coding(coding)),
        }
        Ok(())
    }

    /// The memo editor on `target`, with the acting coder's memo on it (empty if none).
    fn memo_dialog(&self, target: MemoTarget) -> Dialog {
        let mine = self
            .cache
            .coder
            .as_ref()
            .map(|c| c.guid.clone())
            .unwrap_or_default();
        let text = self
            .cache
            .memos
            .iter()
            .find(|m| m.target == target && m.created_by == mine)
            .map(|m| m.text.clone())
            .unwrap_or_default();
        Dialog::Memo { target, text }
    }

    /// The question before deleting a code: how many codings it has, and the first five;
    /// `None` without a project.
    fn delete_code_dialog(&self, guid: CodeId) -> Result<Option<Dialog>, String> {
        let Some(project) = &self.project else {
            return Ok(None);
        };
        let filter = crate::store::excerpts::ExcerptFilter {
            codes: vec![guid.clone()],
            ..Default::default()
        };
        let excerpts = crate::store::excerpts::excerpts(project.conn(), &filter)
            .map_err(|e| crate::i18n::errors::store(&self.tr, &e))?;
        let samples = excerpts
            .iter()
            .take(5)
            .map(|e| (e.document_name.clone(), e.text.clone()))
            .collect();
        Ok(Some(Dialog::DeleteCode {
            guid,
            total: excerpts.len(),
            samples,
        }))
    }

    /// The new code's dialog: a piste under an orientation, else a theme.
    fn add_code_dialog(&self, parent: Option<CodeId>) -> Dialog {
        let kind = match parent
            .as_ref()
            .and_then(|p| self.cache.code(p))
            .map(|e| e.code.kind)
        {
            Some(CodeKind::Orientation) => CodeKind::Piste,
            _ => CodeKind::Theme,
        };
        Dialog::AddCode {
            parent,
            name: String::new(),
            kind,
            pole_a: String::new(),
            pole_b: String::new(),
        }
    }

    /// The code editor on a code as it is; `None` if the code is gone.
    fn edit_code_dialog(&self, guid: CodeId) -> Option<Dialog> {
        let e = self.cache.code(&guid)?;
        Some(Dialog::EditCode {
            name: e.code.name.clone(),
            color: super::theme::code_color(&e.code.color),
            description: e.code.description.clone(),
            kind: e.code.kind,
            guid,
        })
    }

    /// The coder's name dialog, with the acting coder's name (or the remembered one).
    fn coder_name_dialog(&self) -> Dialog {
        let name = self
            .cache
            .coder
            .as_ref()
            .map(|c| c.name.clone())
            .or_else(|| self.state.coder_name.clone())
            .unwrap_or_default();
        Dialog::CoderName {
            name,
            first_start: false,
        }
    }
}
