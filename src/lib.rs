//! # Fouille
//!
//! A desktop application for field surveys and interview coding. This library is the core:
//! the data model ([`model`]), the project store ([`store`]), importers ([`import`]), exports ([`export`]),
//! the data model ([`model`]), the project store ([`store`]), importers ([`import`]),
//! exporters ([`export`]),
//! built-in codebooks ([`templates`]) and the command line ([`cli`]). The desktop UI lives
//! built-in codebooks ([`templates`]), team work ([`team`]: merge, agreement) and the command
//! line ([`cli`]). The desktop UI lives
//! in `ui` and is the only module that uses egui.
#![deny(missing_docs)]

pub mod analysis;
pub mod app;
pub mod bench;
pub mod cli;
pub mod crash_report;
pub mod export;
pub mod fuzz;
pub mod i18n;
pub mod import;
pub mod lexical;
pub mod media;
pub mod model;
pub mod refi;
pub mod sample;
pub mod speech;
pub mod store;
pub mod team;
pub mod templates;
pub mod ui;
