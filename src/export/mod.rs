//! Exports: synthesis tables (CSV, XLSX, ODS, Markdown), coded reports (HTML, Markdown,
//! DOCX, ODT), pseudonymisation, and REFI-QDA projects and codebooks (QDPX, QDC).
//! Everything an export writes goes through a plain model first, so consent and pseudonyms
//! are applied in one place.

pub mod pseudonymise;
pub mod qdpx;
pub mod report;
pub mod tables;
