//! Analysis: pure functions from the store to plain [`Table`]s (frequencies, matrices,
//! cross-tabs, co-occurrence, controversy balance, orientation evidence).

pub mod table;

pub use table::{Cell, Table};
