//! Helpers shared by the test modules. Declared once in `all.rs`; every module reaches them
//! as `crate::support::…`.
//!
//! - [`project`]: files of `tests/data`, the sample project, the `fouille` binary and the
//!   command line run in this process;
//! - [`archive`]: zip archives built and read in memory;
//! - [`office`]: LibreOffice and poppler: office files converted to PDF, read back;
//! - [`refi`]: REFI-QDA fixtures, schema validation, imports into a project;
//! - [`report`]: readers that check what a report export wrote;
//! - [`speech`]: the real Whisper model and the speech recordings of the transcription tests;
//! - [`team`]: a fixed clock, coders' copies of a project, fingerprint comparison;
//! - [`ui`]: the real app in an egui_kittest harness, pointer gestures.

pub mod archive;
pub mod office;
pub mod project;
pub mod refi;
pub mod report;
pub mod speech;
pub mod team;
pub mod ui;
