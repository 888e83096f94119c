//! Frame-time benchmark of the document view (written below).
