//! Fouille's integration tests: one test binary, one module per concern.

mod common;

mod analysis_tables;
mod cli;
mod fuzz;
mod import_formats;
mod reliability;
mod store;
mod table_exports;
mod text_offsets;
mod report_export;
mod report_hostile;
mod rebase;
mod media;
mod text_edit;
mod refi_qda;
mod qdpx_speed;
mod refi_qda_import;
mod team_merge;
mod team_merge_laws;
mod team_agreement;
mod team_merge_scenario;
mod bench_smoke;
mod ui_coding;
mod ui_support;
mod ui_codebook;
mod ui_survey;
mod ui_snapshots;
mod ui_bench;
mod ui_panels;
mod ui_projects;
mod ui_analysis;
mod ui_transcript;
mod ui_interchange;
mod ui_team;
