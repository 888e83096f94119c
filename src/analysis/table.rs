//! The plain table every analysis returns, every exporter formats and the GUI shows.

use serde::Serialize;

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count or other whole number.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// A share in percent (e.g. `42.5` for 42.5 %).
    Percent(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// The cell as display text (percentages with one decimal and a `%`).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format!("{f:.3}"),
            Cell::Percent(p) => format!("{p:.1} %"),
            Cell::Empty => String::new(),
        }
    }
    /// The numeric value, if any.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) | Cell::Percent(f) => Some(*f),
            _ => None,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}
impl From<usize> for Cell {
    fn from(i: usize) -> Cell {
        Cell::Int(i as i64)
    }
}

/// A titled table with a header row.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Table {
    /// Title (used as sheet name and heading).
    pub title: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Notes shown under the table (filters applied, respondents left out…).
    pub notes: Vec<String>,
    /// Indices of the columns that hold char offsets into a document (where a passage starts
    /// and ends): data exports keep them for programs, while reports written for readers
    /// leave them out of the table (an optional appendix prints them).
    #[serde(skip)]
    pub offset_columns: Vec<usize>,
}

impl Table {
    /// An empty table with a title and columns.
    pub fn new(title: impl Into<String>, columns: Vec<String>) -> Table {
        Table {
            title: title.into(),
            columns,
            rows: Vec::new(),
            notes: Vec::new(),
            offset_columns: Vec::new(),
        }
    }
}
