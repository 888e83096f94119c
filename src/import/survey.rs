//! Survey tables (`.csv`): one row per respondent, one column per question or attribute.
//!
//! The bytes are decoded like any text file (so Windows-1252 exports from Excel and BOMs
//! work), the delimiter is guessed from the header line among `,` `;` and tab, and the
//! csv crate reads quoted cells (with line breaks and doubled quotes) and CRLF. The
//! header must name every column once; every row must have as many cells as the header.
//! Hostile sizes (too many columns or rows) are refused with a clear message.

use super::FormatError;
use super::encoding::decode_text;

/// Most columns a survey table may have.
pub const MAX_COLUMNS: usize = 10_000;
/// Most rows (respondents) a survey table may have.
pub const MAX_ROWS: usize = 1_000_000;
/// Most cells (rows × columns) a survey table may have: a bound on memory.
pub const MAX_CELLS: usize = 20_000_000;

/// A survey table read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTable {
    /// Column names, trimmed, unique (ignoring case).
    pub headers: Vec<String>,
    /// The rows, each with exactly `headers.len()` cells, as written except that line
    /// breaks inside a quoted cell are LF.
    pub rows: Vec<Vec<String>>,
    /// The delimiter found: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
    /// The encoding the file was read with (see [`super::encoding::Decoded`]).
    pub encoding: &'static str,
}

impl SurveyTable {
    /// The index of the column named `name`, ignoring case and surrounding spaces; the
    /// error lists the columns there are.
    pub fn column_index(&self, name: &str) -> Result<usize, FormatError> {
        let wanted = name.trim().to_lowercase();
        if let Some(index) = self
            .headers
            .iter()
            .position(|h| h.trim().to_lowercase() == wanted)
        {
            return Ok(index);
        }
        const LISTED: usize = 50;
        let mut listed: Vec<String> = self
            .headers
            .iter()
            .take(LISTED)
            .map(|h| format!("« {h} »"))
            .collect();
        if self.headers.len() > LISTED {
            listed.push(format!("… ({} in all)", self.headers.len()));
        }
        Err(FormatError::new(format!(
            "no column « {} » in the table (columns: {})",
            name.trim(),
            listed.join(", ")
        )))
    }
}

/// Reads a survey CSV file: decodes it, guesses the delimiter, checks the header and the
/// row lengths.
pub fn read_survey(bytes: &[u8]) -> Result<SurveyTable, FormatError> {
    let decoded = decode_text(bytes)?;
    let text = decoded.text;
    if text.trim().is_empty() {
        return Err(FormatError::new("the file is empty"));
    }
    let delimiter = guess_delimiter(&text);
    check_field_counts(&text, delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut records = reader.records();
    let mut headers: Vec<String> = Vec::new();
    for result in records.by_ref() {
        let record = result.map_err(|err| csv_error(err, &text))?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        headers = record
            .iter()
            .map(|field| field.trim().to_string())
            .collect();
        break;
    }
    if headers.is_empty() {
        return Err(FormatError::new("the file is empty"));
    }

    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    for result in records {
        let record = result.map_err(|err| csv_error(err, &text))?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let line = record
                .position()
                .map(|p| line_number_at(&text, p.byte()))
                .unwrap_or(0);
            return Err(FormatError::new(format!(
                "line {line}: {} cells, but the header has {} columns",
                record.len(),
                headers.len()
            )));
        }
        if rows.len() >= MAX_ROWS {
            return Err(FormatError::new(format!(
                "too many rows (more than {MAX_ROWS})"
            )));
        }
        cells = cells.saturating_add(record.len());
        if cells > MAX_CELLS {
            return Err(FormatError::new(format!(
                "the table is too large (more than {MAX_CELLS} cells)"
            )));
        }
        rows.push(record.iter().map(normalize_line_breaks).collect());
    }

    drop_trailing_empty_columns(&mut headers, &mut rows);
    check_headers(&headers)?;
    Ok(SurveyTable {
        headers,
        rows,
        delimiter,
        encoding: decoded.encoding,
    })
}

/// A cell's CRLF and lone CR become LF, as in every text the store keeps.
fn normalize_line_breaks(cell: &str) -> String {
    if cell.contains('\r') {
        cell.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        cell.to_string()
    }
}

fn csv_error(err: csv::Error, text: &str) -> FormatError {
    match err.position() {
        Some(position) => FormatError::new(format!(
            "line {}: {err}",
            line_number_at(text, position.byte())
        )),
        None => FormatError::new(format!("cannot read the table ({err})")),
    }
}

/// The 1-based line on which the record starting at `byte` begins. (The csv crate's own
/// line count is off by one after CRLF, and its byte offset may point at the LF of the
/// previous line's CRLF, so line breaks are counted here.)
fn line_number_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while let Some(b'\r' | b'\n') = bytes.get(start) {
        start += 1;
    }
    let before = bytes.get(..start).unwrap_or(bytes);
    let mut line = 1u64;
    let mut previous = 0u8;
    for &b in before {
        // LF, and CR not followed by LF, end a line.
        if b == b'\n' || previous == b'\r' {
            line += 1;
        }
        previous = b;
    }
    // A CR at the very end of `before` (not yet followed by anything counted).
    if previous == b'\r' {
        line += 1;
    }
    line
}

/// Refuses a record with more than [`MAX_COLUMNS`] fields before the csv crate builds it
/// (a single hostile line of delimiters would otherwise cost gigabytes). Follows the csv
/// crate's reading: a quote opens a quoted field only at the start of a field, `""`
/// inside one is a quote, and CR, LF or CRLF end a record outside quotes.
fn check_field_counts(text: &str, delimiter: u8) -> Result<(), FormatError> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        InField,
        InQuotes,
        QuoteInQuotes,
    }
    let mut state = State::FieldStart;
    let mut fields = 1usize;
    let mut record_has_content = false;
    let mut seen_first_record = false;
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut previous = 0u8;
    for &byte in text.as_bytes() {
        let is_break = byte == b'\n' || byte == b'\r';
        // The line this byte is on: a LF that follows a CR was counted with the CR.
        if previous == b'\r' && byte != b'\n' || previous == b'\n' {
            line += 1;
        }
        previous = byte;
        if is_break && state != State::InQuotes {
            if record_has_content {
                seen_first_record = true;
            }
            fields = 1;
            record_has_content = false;
            state = State::FieldStart;
            continue;
        }
        if !record_has_content {
            record_has_content = true;
            record_line = line;
        }
        state = match (state, byte) {
            (State::InQuotes, b'"') => State::QuoteInQuotes,
            (State::InQuotes, _) => State::InQuotes,
            (State::QuoteInQuotes, b'"') => State::InQuotes,
            (State::FieldStart, b'"') => State::InQuotes,
            (_, b) if b == delimiter => {
                fields += 1;
                if fields > MAX_COLUMNS {
                    return Err(if seen_first_record {
                        FormatError::new(format!(
                            "line {record_line}: too many cells (more than {MAX_COLUMNS})"
                        ))
                    } else {
                        FormatError::new(format!(
                            "too many columns ({}; at most {MAX_COLUMNS})",
                            count_header_fields(text, delimiter)
                        ))
                    });
                }
                State::FieldStart
            }
            _ => State::InField,
        };
    }
    Ok(())
}

/// The number of fields on the first line, for the message about too many columns.
fn count_header_fields(text: &str, delimiter: u8) -> usize {
    let first_line = text.trim_start_matches(['\r', '\n']);
    let end = first_line.find(['\r', '\n']).unwrap_or(first_line.len());
    first_line.as_bytes().get(..end).map_or(0, |line| {
        line.iter().filter(|&&b| b == delimiter).count() + 1
    })
}

/// The delimiter giving the most fields on the header line (outside quotes); ties go to
/// `;`, then `,`, then tab.
fn guess_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for byte in text.bytes() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                for (candidate, count) in CANDIDATES.iter().zip(counts.iter_mut()) {
                    if byte == *candidate {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for (index, count) in counts.iter().enumerate() {
        if *count > counts.get(best).copied().unwrap_or(0) {
            best = index;
        }
    }
    CANDIDATES.get(best).copied().unwrap_or(b';')
}

/// Spreadsheets often export a trailing delimiter: a last column with no name and no
/// values is dropped.
fn drop_trailing_empty_columns(headers: &mut Vec<String>, rows: &mut [Vec<String>]) {
    while headers.len() > 1
        && headers.last().is_some_and(|h| h.is_empty())
        && rows
            .iter()
            .all(|row| row.last().is_some_and(|cell| cell.trim().is_empty()))
    {
        headers.pop();
        for row in rows.iter_mut() {
            row.pop();
        }
    }
}

/// Every column has a name, and no name appears twice (ignoring case).
fn check_headers(headers: &[String]) -> Result<(), FormatError> {
    let mut seen = std::collections::HashSet::new();
    for (index, header) in headers.iter().enumerate() {
        if header.is_empty() {
            return Err(FormatError::new(format!(
                "column {} has no name in the header line",
                index + 1
            )));
        }
        if !seen.insert(header.to_lowercase()) {
            return Err(FormatError::new(format!(
                "duplicate column name « {header} »"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_guess() {
        assert_eq!(guess_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(guess_delimiter("a,b,c\n"), b',');
        assert_eq!(guess_delimiter("a\tb\tc"), b'\t');
        assert_eq!(guess_delimiter("\"x;y;z\",b,c\n"), b',');
        assert_eq!(guess_delimiter("a;b,c"), b';');
        assert_eq!(guess_delimiter("seule"), b';');
    }

    #[test]
    fn reads_semicolons_quotes_and_crlf() {
        let csv = "\u{feff}id ; Nom;Réponse\r\n1;Nadia;\"Oui; bien sûr\r\net « plus »\"\r\n2;Jean;\"dit \"\"non\"\"\"\r\n;;\r\n";
        let table = read_survey(csv.as_bytes()).unwrap();
        assert_eq!(table.headers, vec!["id", "Nom", "Réponse"]);
        assert_eq!(
            table.rows,
            vec![
                vec!["1", "Nadia", "Oui; bien sûr\net « plus »"],
                vec!["2", "Jean", "dit \"non\""],
            ]
        );
        assert_eq!(table.delimiter, b';');
        assert_eq!(table.encoding, "UTF-8 (BOM)");
        assert_eq!(table.column_index(" réponse ").unwrap(), 2);
        let err = table.column_index("âge").unwrap_err();
        assert_eq!(
            err.0,
            "no column « âge » in the table (columns: « id », « Nom », « Réponse »)"
        );
    }

    #[test]
    fn header_problems() {
        assert_eq!(read_survey(b"").unwrap_err().0, "the file is empty");
        assert_eq!(read_survey(b"  \r\n\n").unwrap_err().0, "the file is empty");
        let err = read_survey(b"a,B,b\n1,2,3\n").unwrap_err();
        assert_eq!(err.0, "duplicate column name \u{ab} b \u{bb}");
        let err = read_survey(b"a,,c\n1,2,3\n").unwrap_err();
        assert_eq!(err.0, "column 2 has no name in the header line");
    }

    #[test]
    fn trailing_delimiter_column_is_dropped() {
        let table = read_survey(b"a;b;\n1;2;\n3;4;\n").unwrap();
        assert_eq!(table.headers, vec!["a", "b"]);
        assert_eq!(table.rows, vec![vec!["1", "2"], vec!["3", "4"]]);
    }

    #[test]
    fn inconsistent_row_names_its_line() {
        let err = read_survey(b"a,b\n1,2\n\"multi\nline\",x\n1,2,3\n").unwrap_err();
        assert_eq!(err.0, "line 5: 3 cells, but the header has 2 columns");
    }

    #[test]
    fn line_numbers_with_any_line_ending() {
        assert_eq!(line_number_at("a\r\nb\r\nc", 2), 2);
        assert_eq!(line_number_at("a\r\nb\r\nc", 3), 2);
        assert_eq!(line_number_at("a\nb\nc", 4), 3);
        assert_eq!(line_number_at("a\rb\rc", 4), 3);
        assert_eq!(line_number_at("a\rb\rc", 2), 2);
        assert_eq!(line_number_at("a", 99), 1);
        let err = read_survey(b"a;b\r\n\r\n1;2\r\n\"x\r\ny\";2\r\n3\r\n").unwrap_err();
        assert_eq!(err.0, "line 6: 1 cells, but the header has 2 columns");
    }

    #[test]
    fn a_hostile_row_is_refused_before_it_is_built() {
        let mut csv = String::from("a,b\r\n1,\"x\r\ny\"\r\n");
        csv.push_str(&",".repeat(MAX_COLUMNS + 5));
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert_eq!(
            err.0,
            format!("line 4: too many cells (more than {MAX_COLUMNS})")
        );
        // Delimiters inside quotes are text.
        let mut csv = String::from("a,b\n1,\"");
        csv.push_str(&",".repeat(MAX_COLUMNS + 5));
        csv.push_str("\"\n");
        assert_eq!(read_survey(csv.as_bytes()).unwrap().rows.len(), 1);
        // A quote in the middle of a field opens nothing.
        let csv = format!("a,b\n1,x\"y\n2,{}\n", ",".repeat(MAX_COLUMNS));
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert_eq!(
            err.0,
            format!("line 3: too many cells (more than {MAX_COLUMNS})")
        );
    }

    #[test]
    fn too_many_rows() {
        let mut csv = String::from("a\n");
        csv.push_str(&"1\n".repeat(MAX_ROWS + 1));
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0, format!("too many rows (more than {MAX_ROWS})"));
    }

    #[test]
    fn too_many_columns() {
        let header = vec!["c"; MAX_COLUMNS + 1].join(",");
        let err = read_survey(header.as_bytes()).unwrap_err();
        assert_eq!(
            err.0,
            format!(
                "too many columns ({}; at most {MAX_COLUMNS})",
                MAX_COLUMNS + 1
            )
        );
    }
}
