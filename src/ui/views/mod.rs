//! The central views: the document view, the survey grid, the respondents table, the start
//! screen, and the panel of screens still to come.

pub mod analysis;
mod analysis_charts;
mod analysis_exports;
pub mod analysis_words;
pub mod document_view;
pub mod respondents_table;
pub mod start;
pub mod survey_grid;
pub mod team;
pub mod team_folder;
pub mod transcript;
