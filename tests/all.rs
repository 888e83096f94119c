
mod import_formats;
mod ui_coding;
mod ui_support;
mod ui_codebook;
mod ui_survey;
mod ui_snapshots;
mod ui_bench;
mod ui_panels;
mod ui_projects;
