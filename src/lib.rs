//! # Fouille
//!
//! A desktop application for field surveys and interview coding. This library is the core,
//! shared by the command line ([`cli`]) and the desktop app (`ui`, the only module that uses
//! egui). Both faces call the application layer ([`app`]: one function per user action),
//! which works on the project store ([`store`]: every SQL statement, one action = one
//! transaction = one undo step) and the data model ([`model`]). Around them: importers
//! ([`import`]), exporters ([`export`]), the REFI-QDA conventions both share ([`refi`]),
//! analysis tables ([`analysis`]), team work ([`team`]: merge, agreement), speech recognition
//! ([`speech`]), recordings ([`media`]), built-in codebooks ([`templates`]) and the
//! benchmark ([`bench`]). `docs/ARCHITECTURE.md` draws the layers and says where each kind
//! of change goes.
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
pub mod user_dirs;
