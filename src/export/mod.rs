//! Exports: synthesis tables (CSV, XLSX, ODS, Markdown), coded reports (HTML, Markdown,
//! DOCX, ODT), pseudonymisation, REFI-QDA projects and codebooks (QDPX, QDC), and corpora
//! for IRaMuTeQ.
//! Everything an export writes goes through a plain model first, so consent and pseudonyms
//! are applied in one place.

pub mod iramuteq;
pub mod pseudonymise;
pub mod qdpx;
pub mod report;
pub mod tables;
