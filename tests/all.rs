
mod import_formats;
mod team_merge;
mod team_merge_laws;
mod team_agreement;
mod team_merge_scenario;
