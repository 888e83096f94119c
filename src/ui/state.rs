//! The UI state that is saved between sessions (eframe storage). Runtime handles (the open
//! project, caches, the worker) are kept apart, in `app.rs`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::i18n::Language;

/// How many recent projects are remembered.
pub const MAX_RECENT: usize = 8;

/// A screen of the app (tabs under the menu bar; Ctrl+1…Ctrl+5 in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Screen {
    /// Documents, the document view, the codebook and retrieval.
    #[default]
    Coding,
    /// The survey grid: one row per respondent, one column per question.
    Survey,
    /// The respondents table with their attributes.
    Respondents,
    /// Tables and charts of the analysis, with their filters.
    Analysis,
    /// Merging and inter-coder agreement.
    Team,
}

impl Screen {
    /// Every screen in tab order.
    pub const ALL: [Screen; 5] = [
        Screen::Coding,
        Screen::Survey,
        Screen::Respondents,
        Screen::Analysis,
        Screen::Team,
    ];

    /// Translation key of the screen's tab.
    pub fn label_key(self) -> &'static str {
        match self {
            Screen::Coding => "screen.coding",
            Screen::Survey => "screen.survey",
            Screen::Respondents => "screen.respondents",
            Screen::Analysis => "screen.analysis",
            Screen::Team => "screen.team",
        }
    }
}

/// The tabs of the bottom panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum BottomTab {
    /// Coded excerpts of the selected codes.
    #[default]
    Retrieval,
    /// Full-text search.
    Search,
    /// Every memo.
    Memos,
}

/// The tabs of the left panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum LeftTab {
    /// The documents, with their coding counts.
    #[default]
    Documents,
    /// The respondents, each with their documents.
    Respondents,
}

/// Which panels show and how the text is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayoutState {
    /// The left panel (documents, respondents).
    pub show_left: bool,
    /// The right panel (codebook).
    pub show_codebook: bool,
    /// The bottom panel (retrieval, search, memos).
    pub show_bottom: bool,
    /// Tab of the left panel.
    pub left_tab: LeftTab,
    /// Tab of the bottom panel.
    pub bottom_tab: BottomTab,
    /// Size of the document text, points.
    pub text_size: f32,
}

impl Default for LayoutState {
    fn default() -> Self {
        LayoutState {
            show_left: true,
            show_codebook: true,
            show_bottom: true,
            left_tab: LeftTab::Documents,
            bottom_tab: BottomTab::Retrieval,
            text_size: super::theme::DEFAULT_TEXT_SIZE,
        }
    }
}

/// Everything remembered between sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct State {
    /// UI language.
    pub language: Language,
    /// The user's name as coder (asked on first start).
    pub coder_name: Option<String>,
    /// Recently opened projects, most recent first.
    pub recent_projects: Vec<PathBuf>,
    /// The project open when the app last closed.
    pub last_project: Option<PathBuf>,
    /// The screen shown (coding, survey, respondents, analysis, team).
    pub screen: Screen,
    /// Which panels show, and their tabs.
    pub layout: LayoutState,
    /// Show only the current coder's codings (else every coder's).
    pub only_my_codings: bool,
    /// The folder each project's exports last went to, by project file.
    pub export_folders: std::collections::BTreeMap<PathBuf, PathBuf>,
}

impl State {
    /// Puts a project at the top of the recent list.
    pub fn remember_project(&mut self, path: PathBuf) {
        self.recent_projects.retain(|p| p != &path);
        self.recent_projects.insert(0, path.clone());
        self.recent_projects.truncate(MAX_RECENT);
        self.last_project = Some(path);
    }

    /// Remembers where a project's exports went (the folder of `written`).
    pub fn remember_export_folder(&mut self, project: &std::path::Path, written: &std::path::Path) {
        if let Some(folder) = written.parent().filter(|f| !f.as_os_str().is_empty()) {
            self.export_folders
                .insert(project.to_path_buf(), folder.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_or_partial_state_still_loads() {
        let state: State =
            serde_json::from_str(r#"{"language":"En","layout":{"show_left":false}}"#).unwrap();
        assert_eq!(state.language, Language::En);
        assert!(!state.layout.show_left);
        assert!(state.layout.show_codebook);
        assert_eq!(
            state.layout.text_size,
            super::super::theme::DEFAULT_TEXT_SIZE
        );
    }

    #[test]
    fn recent_projects_are_unique_and_bounded() {
        let mut state = State::default();
        for i in 0..12 {
            state.remember_project(PathBuf::from(format!("/p/{i}.fouille")));
        }
        state.remember_project(PathBuf::from("/p/5.fouille"));
        assert_eq!(state.recent_projects.len(), MAX_RECENT);
        assert_eq!(state.recent_projects[0], PathBuf::from("/p/5.fouille"));
        assert_eq!(
            state
                .recent_projects
                .iter()
                .filter(|p| p.ends_with("5.fouille"))
                .count(),
            1
        );
    }
}
