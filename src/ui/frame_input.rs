//! Keyboard shortcuts and dropped files, read at the start of each frame.

use crate::app::edit::Edit;
use crate::ui::command::{Navigation, Prompt, Session, Work};
use std::path::PathBuf;

use super::app::FouilleApp;
use super::command::Command;
use super::env::Env;
use super::shortcuts;
use super::state::Screen;

impl FouilleApp {
    pub(crate) fn keys(&mut self, ctx: &egui::Context) {
        let keys = shortcuts::read(ctx);
        self.commands.extend(keys.commands);
        if let Some(n) = keys.recent_code
            && let (Some(code), Some((document, start, end))) =
                (self.nav.recent_codes.get(n).cloned(), self.coding_target())
        {
            self.commands.push(Command::Edit(Edit::ApplyCode {
                document,
                code,
                start,
                end,
                memo: None,
            }));
        }
        if keys.in_vivo
            && let (Some(document), Some((start, end))) = (
                self.doc_view.document().cloned(),
                self.doc_view.selected_range(),
            )
        {
            self.commands.push(Command::Edit(Edit::InVivo {
                document,
                start,
                end,
            }));
        }
        if keys.memo
            && let Some(doc) = self.nav.document.clone()
        {
            self.commands.push(Command::Ask(Prompt::Memo(
                crate::model::MemoTarget::Document(doc),
            )));
        }
        if keys.search {
            self.state.layout.show_bottom = true;
            self.state.layout.bottom_tab = super::state::BottomTab::Search;
            self.panels.search.focus = true;
        }
        if let (Some(step), Some(open)) = (keys.next_document, self.nav.document.clone()) {
            let next = if self.state.screen == Screen::Survey {
                let env = Env {
                    tr: &self.tr,
                    cache: &self.cache,
                    state: &self.state,
                    nav: &self.nav,
                };
                self.survey.neighbour(&env, &open, step)
            } else {
                let env = Env {
                    tr: &self.tr,
                    cache: &self.cache,
                    state: &self.state,
                    nav: &self.nav,
                };
                let list = self.panels.documents.visible(&env);
                let pos = list.iter().position(|d| d.guid == open);
                pos.and_then(|p| list.get((p as i64 + i64::from(step)).max(0) as usize))
                    .map(|d| d.guid.clone())
            };
            if let Some(next) = next {
                self.commands.push(Command::Go(Navigation::Document(next)));
            }
        }
    }

    pub(crate) fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        if let Some(project) = dropped
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "fouille"))
        {
            self.commands
                .push(Command::Session(Session::Open(project.clone())));
        } else if self.project.is_some() {
            self.commands.push(Command::Work(Work::Import(dropped)));
        }
    }
}
