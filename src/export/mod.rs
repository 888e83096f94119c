//! Exporters: project exchange formats (REFI-QDA QDPX and QDC) and, in their own modules,
//! reports and tables.

pub mod qdpx;
