//! A strict CSV reader for survey tables, streaming from any `BufRead` (a 1 GB export is
//! never held whole), that names the line of every problem.
//!
//! It reads what spreadsheets write (RFC 4180 and its usual variants): a quote opens a
//! quoted cell only at the start of a cell, `""` inside one is a quote, CR, LF or CRLF end a
//! record outside quotes. It is strict where a lax reader silently loses data: a quote that
//! is never closed would swallow the rest of the file into one cell, so a quoted cell that
//! reaches the end of the file, or runs over [`MAX_CELL_LINES`] lines or [`MAX_CELL_BYTES`]
//! bytes, is an error naming the line where it opened. After such an error the reader can
//! go on from the next line ([`CsvReader::resync`]), for a lenient import that skips the
//! row and lists it.

use std::collections::VecDeque;
use std::io::BufRead;

/// Most line breaks one quoted cell may hold: an open answer of many paragraphs has tens,
/// a missing closing quote swallows every following row.
pub const MAX_CELL_LINES: u64 = 200;
/// Most bytes one cell may hold.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// A problem in the file, with the line (1-based) where its record starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted cell opened on `line` is still open at the end of the file.
    UnclosedQuote {
        /// Line where the quote opened.
        line: u64,
    },
    /// A quoted cell opened on `line` runs over the limits (to `until_line`).
    RunawayCell {
        /// Line where the quote opened.
        line: u64,
        /// Line the cell had reached when it was given up.
        until_line: u64,
    },
    /// An unquoted cell longer than [`MAX_CELL_BYTES`].
    CellTooLong {
        /// Line (1-based) where the record with the long cell starts.
        line: u64,
    },
    /// The file holds a NUL byte: a binary file, not a table.
    Binary {
        /// Line where it was found.
        line: u64,
    },
    /// The file could not be read.
    Io(String),
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::UnclosedQuote { line } => write!(
                f,
                "line {line}: a quote opens a cell here and is never closed, so the rest of the file would become this one cell; close the quote (or import with --lenient to skip this row)"
            ),
            CsvError::RunawayCell { line, until_line } => write!(
                f,
                "line {line}: the quoted cell that opens here runs on to line {until_line} (more than {MAX_CELL_LINES} lines or {} MB): a closing quote is probably missing (or import with --lenient to skip this row)",
                MAX_CELL_BYTES >> 20
            ),
            CsvError::CellTooLong { line } => write!(
                f,
                "line {line}: a cell is longer than {} MB",
                MAX_CELL_BYTES >> 20
            ),
            CsvError::Binary { line } => {
                write!(f, "line {line}: this looks like a binary file, not a table")
            }
            CsvError::Io(e) => write!(f, "cannot read the file ({e})"),
        }
    }
}

impl CsvError {
    /// The line the problem is on (0 for a read error).
    pub fn line(&self) -> u64 {
        match self {
            CsvError::UnclosedQuote { line }
            | CsvError::RunawayCell { line, .. }
            | CsvError::CellTooLong { line }
            | CsvError::Binary { line } => *line,
            CsvError::Io(_) => 0,
        }
    }
}

/// One record: its cells (line breaks inside a cell are LF) and the line it starts on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Line (1-based) where the record starts.
    pub line: u64,
    /// The cells, as written (quotes removed, `""` made `"`, CR and CRLF inside made LF).
    pub cells: Vec<String>,
    /// Cells beyond the reader's most cells per record, counted but not kept (a hostile
    /// line of a billion delimiters costs no memory).
    pub dropped_cells: usize,
}

impl Record {
    /// Cells in the record, kept or not.
    pub fn width(&self) -> usize {
        self.cells.len() + self.dropped_cells
    }
}

impl Record {
    /// Whether every cell kept is empty or spaces (a blank line, or a row of delimiters).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    CellStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Reads records one by one (see the module's description).
pub struct CsvReader<R> {
    input: R,
    delimiter: u8,
    /// Bytes given back after an error, read before `input`.
    pushback: VecDeque<u8>,
    /// The raw bytes of the record being read, to give back after an error.
    raw: Vec<u8>,
    /// Line the next byte is on.
    line: u64,
    /// The previous byte was a CR (a LF right after it belongs to the same line break).
    after_cr: bool,
    /// Most cells kept per record.
    max_cells: usize,
}

impl<R: BufRead> CsvReader<R> {
    /// A reader of `input` cutting cells at `delimiter`.
    pub fn new(input: R, delimiter: u8) -> CsvReader<R> {
        CsvReader {
            input,
            delimiter,
            pushback: VecDeque::new(),
            raw: Vec::new(),
            line: 1,
            after_cr: false,
            max_cells: usize::MAX,
        }
    }

    /// Keeps at most `max` cells of a record (the rest are counted in
    /// [`Record::dropped_cells`]).
    pub fn with_max_cells(mut self, max: usize) -> CsvReader<R> {
        self.max_cells = max;
        self
    }

    fn end_cell(&self, record: &mut Record, cell: Vec<u8>) {
        if record.cells.len() < self.max_cells {
            record.cells.push(into_cell(cell));
        } else {
            record.dropped_cells += 1;
        }
    }

    fn next_byte(&mut self) -> Result<Option<u8>, CsvError> {
        if let Some(b) = self.pushback.pop_front() {
            return Ok(Some(b));
        }
        let buf = self
            .input
            .fill_buf()
            .map_err(|e| CsvError::Io(e.to_string()))?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.input.consume(1);
        Ok(Some(b))
    }

    /// Counts lines as bytes go by: a LF, or a CR, ends a line; a LF right after a CR ends
    /// none (it belongs to the CR's line break). Returns whether `b` is that LF.
    fn track_line(&mut self, b: u8) -> bool {
        let lf_of_crlf = b == b'\n' && self.after_cr;
        if (b == b'\n' && !lf_of_crlf) || b == b'\r' {
            self.line += 1;
        }
        self.after_cr = b == b'\r';
        lf_of_crlf
    }

    /// Reads the next record into `record` (its cells reused); `Ok(false)` at the end of
    /// the file.
    pub fn read_record(&mut self, record: &mut Record) -> Result<bool, CsvError> {
        record.cells.clear();
        record.dropped_cells = 0;
        self.raw.clear();
        let mut cell: Vec<u8> = Vec::new();
        let mut state = State::CellStart;
        let mut started = false;
        let mut quote_line = 0u64;
        record.line = self.line;
        loop {
            let Some(b) = self.next_byte()? else {
                if state == State::Quoted {
                    return Err(CsvError::UnclosedQuote { line: quote_line });
                }
                if !started {
                    return Ok(false);
                }
                self.end_cell(record, cell);
                return Ok(true);
            };
            let line_before = self.line;
            let lf_of_crlf = self.track_line(b);
            if b == 0 {
                return Err(CsvError::Binary { line: line_before });
            }
            if !started {
                // The LF of the CRLF that ended the previous record.
                if lf_of_crlf {
                    continue;
                }
                started = true;
                record.line = line_before;
            }
            self.raw.push(b);
            match (state, b) {
                (State::Quoted, b'"') => state = State::QuoteInQuoted,
                (State::Quoted, _) => {
                    push_cell_byte(&mut cell, b);
                    let lines = self.line - quote_line;
                    if lines > MAX_CELL_LINES || cell.len() > MAX_CELL_BYTES {
                        return Err(CsvError::RunawayCell {
                            line: quote_line,
                            until_line: self.line,
                        });
                    }
                }
                (State::QuoteInQuoted, b'"') => {
                    cell.push(b'"');
                    state = State::Quoted;
                }
                (State::CellStart, b'"') => {
                    state = State::Quoted;
                    quote_line = line_before;
                }
                (_, b'\r' | b'\n') => {
                    self.end_cell(record, std::mem::take(&mut cell));
                    return Ok(true);
                }
                (_, d) if d == self.delimiter => {
                    self.end_cell(record, std::mem::take(&mut cell));
                    state = State::CellStart;
                }
                _ => {
                    // After a closing quote, text before the delimiter is kept as it is.
                    cell.push(b);
                    state = State::Unquoted;
                    if cell.len() > MAX_CELL_BYTES {
                        return Err(CsvError::CellTooLong { line: record.line });
                    }
                }
            }
        }
    }

    /// After an error, goes on reading from the line after the failed record's first line,
    /// as if that line were not there (the bytes read past it are read again).
    pub fn resync(&mut self, failed_line: u64) {
        let first_break = self.raw.iter().position(|&b| b == b'\n' || b == b'\r');
        let rest: Vec<u8> = match first_break {
            Some(at) => {
                let skip = if self.raw[at] == b'\r' && self.raw.get(at + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.raw[at + skip..].to_vec()
            }
            None => {
                // The failed line is not over yet: the rest of it goes too.
                while let Ok(Some(b)) = self.next_byte() {
                    if b == b'\n' {
                        break;
                    }
                    if b == b'\r' {
                        if let Ok(buf) = self.input.fill_buf()
                            && buf.first() == Some(&b'\n')
                        {
                            self.input.consume(1);
                        }
                        break;
                    }
                }
                Vec::new()
            }
        };
        for &b in rest.iter().rev() {
            self.pushback.push_front(b);
        }
        self.raw.clear();
        self.line = failed_line + 1;
        self.after_cr = false;
    }
}

/// CR and CRLF inside a cell become LF, as in every text the store keeps.
fn push_cell_byte(cell: &mut Vec<u8>, b: u8) {
    match b {
        b'\n' if cell.last() == Some(&b'\r') => {
            cell.pop();
            cell.push(b'\n');
        }
        b'\r' => cell.push(b'\r'),
        _ => cell.push(b),
    }
}

/// A cell's bytes as text: the reader is fed UTF-8 (see `survey::Transcoder`); a lone CR
/// left at the end of a cell becomes LF.
fn into_cell(mut bytes: Vec<u8>) -> String {
    for b in bytes.iter_mut() {
        if *b == b'\r' {
            *b = b'\n';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str, delimiter: u8) -> Result<Vec<(u64, Vec<String>)>, CsvError> {
        let mut reader = CsvReader::new(text.as_bytes(), delimiter);
        let mut record = Record::default();
        let mut out = Vec::new();
        while reader.read_record(&mut record)? {
            out.push((record.line, record.cells.clone()));
        }
        Ok(out)
    }

    #[test]
    fn quotes_line_breaks_and_every_line_ending() {
        let rows = read_all("a;b\r\n1;\"x;\"\"y\"\"\r\nz\"\r\n\r\n2;w", b';').unwrap();
        assert_eq!(
            rows,
            vec![
                (1, vec!["a".to_string(), "b".into()]),
                (2, vec!["1".into(), "x;\"y\"\nz".into()]),
                (4, vec!["".into()]),
                (5, vec!["2".into(), "w".into()]),
            ]
        );
        let rows = read_all("a\rb\r\rc\n", b',').unwrap();
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        let mut csv = String::from("id,age,texte\n");
        for i in 1..=100 {
            if i == 10 {
                csv.push_str("S010,40,\"Il a dit : cest fini\n");
            } else {
                csv.push_str(&format!("S{i:03},40,réponse\n"));
            }
        }
        assert_eq!(
            read_all(&csv, b','),
            Err(CsvError::UnclosedQuote { line: 11 })
        );
    }

    #[test]
    fn a_runaway_cell_is_cut_and_the_reader_goes_on() {
        let mut csv = String::from("id,texte\n1,\"ouvert\n");
        for i in 0..300 {
            csv.push_str(&format!("{i},ligne\n"));
        }
        let mut reader = CsvReader::new(csv.as_bytes(), b',');
        let mut record = Record::default();
        assert!(reader.read_record(&mut record).unwrap());
        let err = reader.read_record(&mut record).unwrap_err();
        assert_eq!(
            err,
            CsvError::RunawayCell {
                line: 2,
                until_line: 203
            }
        );
        reader.resync(err.line());
        assert!(reader.read_record(&mut record).unwrap());
        assert_eq!(
            (record.line, record.cells.clone()),
            (3, vec!["0".to_string(), "ligne".into()])
        );
        let mut count = 1;
        while reader.read_record(&mut record).unwrap() {
            count += 1;
        }
        assert_eq!(count, 300);
    }

    #[test]
    fn a_nul_byte_is_a_binary_file() {
        assert_eq!(
            read_all("a,b\n1,\0\n", b','),
            Err(CsvError::Binary { line: 2 })
        );
    }
}
