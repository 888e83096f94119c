//! Fouille's integration tests: one test binary, one module per concern.

mod common;

mod cli;
mod fuzz;
mod import_formats;
mod reliability;
mod store;
mod text_offsets;
