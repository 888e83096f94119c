//! Exports: tables (CSV, XLSX, ODS, Markdown).

pub mod tables;
