//! Survey tables (`.csv`): one row per respondent, one column per question or attribute.
//!
//! A table is read as a stream ([`SurveySource`]): a first pass over the bytes settles the
//! encoding (a BOM, BOM-less UTF-16, UTF-8, or Windows-1252 from older Excel exports) and the
//! file's hash, then each pass decodes to UTF-8 on the fly ([`Transcoder`]) and cuts records
//! with the strict reader of [`super::csv`], so a table of a million rows is never held
//! whole. The delimiter is guessed from the header line among `,` `;` and tab. The header
//! must name every column once; every row must have as many cells as the header.
//! [`read_survey`] reads a small table whole, for previews and tests.

use std::io::{BufRead, BufReader, Read};

use super::FormatError;
use super::csv::{CsvError, CsvReader, Record};

/// Most columns a survey table may have.
pub const MAX_COLUMNS: usize = 10_000;
/// Most rows (respondents) a table read whole ([`read_survey`]) may have; a streamed import
/// has no such limit.
pub const MAX_ROWS: usize = 1_000_000;
/// Most cells (rows × columns) a table read whole may have: a bound on memory.
pub const MAX_CELLS: usize = 20_000_000;

/// How many leading bytes are looked at for BOM-less UTF-16 and for the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding of a table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8 {
        /// The file starts with a BOM.
        bom: bool,
    },
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252 (anything that is not valid UTF-8).
    Windows1252,
}

impl Encoding {
    /// The name shown to the user (as [`super::encoding::Decoded::encoding`]).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 { bom: false } => "UTF-8",
            Encoding::Utf8 { bom: true } => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes a file to UTF-8 as it is read, whatever its [`Encoding`].
pub struct Transcoder<R> {
    input: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_start: usize,
    raw_end: usize,
    eof: bool,
    /// Decoded bytes not yet handed out.
    decoded: Vec<u8>,
    decoded_start: usize,
    finished: bool,
}

impl<R: Read> Transcoder<R> {
    /// Wraps `input` (read from its first byte) in `encoding`; a BOM is dropped.
    pub fn new(input: R, encoding: Encoding) -> Transcoder<R> {
        let decoder = match encoding {
            // Valid UTF-8 (the first pass checked) goes through unchanged but for its BOM.
            Encoding::Utf8 { .. } => encoding_rs::UTF_8.new_decoder_with_bom_removal(),
            Encoding::Utf16Le => encoding_rs::UTF_16LE.new_decoder_with_bom_removal(),
            Encoding::Utf16Be => encoding_rs::UTF_16BE.new_decoder_with_bom_removal(),
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
        };
        Transcoder {
            input,
            decoder,
            raw: vec![0; 64 * 1024],
            raw_start: 0,
            raw_end: 0,
            eof: false,
            decoded: Vec::with_capacity(192 * 1024),
            decoded_start: 0,
            finished: false,
        }
    }

    /// Decodes the next block of input into `decoded` (empty at the end).
    fn refill(&mut self) -> std::io::Result<()> {
        self.decoded.clear();
        self.decoded_start = 0;
        while self.decoded.is_empty() && !self.finished {
            if self.raw_start == self.raw_end && !self.eof {
                self.raw_start = 0;
                self.raw_end = self.input.read(&mut self.raw)?;
                self.eof = self.raw_end == 0;
            }
            let src = &self.raw[self.raw_start..self.raw_end];
            // Room for the worst case of this block (3 bytes per input byte, plus a char).
            self.decoded.resize(src.len() * 3 + 16, 0);
            let (result, read, written, _) =
                self.decoder
                    .decode_to_utf8(src, &mut self.decoded, self.eof);
            self.raw_start += read;
            self.decoded.truncate(written);
            if self.eof
                && result == encoding_rs::CoderResult::InputEmpty
                && self.raw_start == self.raw_end
            {
                self.finished = true;
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.decoded_start == self.decoded.len() {
            self.refill()?;
        }
        let available = &self.decoded[self.decoded_start..];
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.decoded_start += n;
        Ok(n)
    }
}

/// Something that can be read from the start, as many times as needed: a file, or bytes.
pub trait Reopen {
    /// A fresh reader positioned at the first byte.
    fn reopen(&self) -> std::io::Result<Box<dyn Read + '_>>;
    /// Total bytes (for progress).
    fn len(&self) -> u64;
    /// Whether there are no bytes at all.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Reopen for [u8] {
    fn reopen(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self))
    }
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
}

impl Reopen for std::path::Path {
    fn reopen(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(std::fs::File::open(self)?))
    }
    fn len(&self) -> u64 {
        std::fs::metadata(self).map(|m| m.len()).unwrap_or(0)
    }
}

/// What the first pass over a table found: how to read it, and its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyHeader {
    /// The encoding the first pass settled on, which every later pass decodes with.
    pub encoding: Encoding,
    /// The delimiter: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
    /// Column names, trimmed, unique ignoring case (trailing unnamed empty columns kept:
    /// see [`SurveyHeader::columns`]).
    pub headers: Vec<String>,
    /// SHA-256 of the file's bytes, hex: the same file imported twice is refused.
    pub file_hash: String,
    /// Line the header is on.
    pub line: u64,
}

/// Reads a table's encoding, hash, delimiter and header (the first pass: every byte is
/// read once, to tell UTF-8 from Windows-1252 and to hash).
pub fn read_header(source: &(impl Reopen + ?Sized)) -> Result<SurveyHeader, FormatError> {
    let (encoding, file_hash, sniffed) = settle_encoding(source)?;
    let delimiter = guess_delimiter(&sniffed);
    let mut records = open_records(source, encoding, delimiter)?;
    let mut record = Record::default();
    loop {
        if !records.read_record(&mut record).map_err(csv_error)? {
            return Err(FormatError::Empty);
        }
        if record.width() > MAX_COLUMNS {
            return Err(FormatError::TooManyColumns {
                found: record.width(),
                max: MAX_COLUMNS,
            });
        }
        if !record.is_blank() {
            break;
        }
    }
    let headers: Vec<String> = record.cells.iter().map(|c| c.trim().to_string()).collect();
    Ok(SurveyHeader {
        encoding,
        delimiter,
        headers,
        file_hash,
        line: record.line,
    })
}

/// The records of a table after its header line, decoded on the fly.
pub fn open_records<'a>(
    source: &'a (impl Reopen + ?Sized),
    encoding: Encoding,
    delimiter: u8,
) -> Result<CsvReader<BufReader<Transcoder<Box<dyn Read + 'a>>>>, FormatError> {
    let input = source.reopen().map_err(FormatError::unreadable)?;
    Ok(CsvReader::new(
        BufReader::with_capacity(256 * 1024, Transcoder::new(input, encoding)),
        delimiter,
    )
    .with_max_cells(MAX_COLUMNS + 1))
}

/// Like [`open_records`], adding every byte read from the file (before decoding) to
/// `read`, for progress.
pub fn open_records_counted<'a>(
    source: &'a (impl Reopen + ?Sized),
    encoding: Encoding,
    delimiter: u8,
    read: std::rc::Rc<std::cell::Cell<u64>>,
) -> Result<CsvReader<BufReader<Transcoder<Box<dyn Read + 'a>>>>, FormatError> {
    let input = source.reopen().map_err(FormatError::unreadable)?;
    let counted: Box<dyn Read + 'a> = Box::new(Counted { input, read });
    Ok(CsvReader::new(
        BufReader::with_capacity(256 * 1024, Transcoder::new(counted, encoding)),
        delimiter,
    )
    .with_max_cells(MAX_COLUMNS + 1))
}

/// A reader that counts the bytes it passes on.
struct Counted<R> {
    input: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// The message of a reading error.
pub fn csv_error(error: CsvError) -> FormatError {
    match error {
        CsvError::Io(e) => FormatError::unreadable(e),
        other => FormatError::Csv(other),
    }
}

/// Reads every byte once: the encoding (a BOM, BOM-less UTF-16, whether all of it is valid
/// UTF-8), the SHA-256 of the bytes, and the first decoded bytes (for the delimiter).
fn settle_encoding(
    source: &(impl Reopen + ?Sized),
) -> Result<(Encoding, String, String), FormatError> {
    use sha2::{Digest, Sha256};
    let read_error = FormatError::unreadable;
    let mut input = BufReader::with_capacity(1 << 20, source.reopen().map_err(read_error)?);
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::new();
    let mut valid_utf8 = true;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let chunk = input.fill_buf().map_err(read_error)?;
        if chunk.is_empty() {
            break;
        }
        hasher.update(chunk);
        if head.len() < SNIFF_BYTES {
            head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_BYTES - head.len())]);
        }
        if valid_utf8 {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                // A char cut at the chunk's end waits for the next chunk.
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(_) => valid_utf8 = false,
            }
        }
        let n = chunk.len();
        input.consume(n);
    }
    let file_hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if head.is_empty() || head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FormatError::Empty);
    }
    let encoding = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        if !valid_utf8 || !carry.is_empty() {
            return Err(FormatError::BomNotUtf8 { at: None });
        }
        Encoding::Utf8 { bom: true }
    } else if head.starts_with(&[0xFF, 0xFE]) {
        Encoding::Utf16Le
    } else if head.starts_with(&[0xFE, 0xFF]) {
        Encoding::Utf16Be
    } else if let Some(utf16) = sniff_bomless_utf16(&head) {
        utf16
    } else if valid_utf8 && carry.is_empty() {
        Encoding::Utf8 { bom: false }
    } else {
        Encoding::Windows1252
    };
    let mut sniffed = String::new();
    Transcoder::new(&head[..], encoding)
        .read_to_string(&mut sniffed)
        .map_err(read_error)?;
    Ok((encoding, file_hash, sniffed))
}

/// BOM-less UTF-16: mostly-ASCII text in UTF-16 has a NUL in every other byte.
fn sniff_bomless_utf16(head: &[u8]) -> Option<Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        nul_even += usize::from(pair[0] == 0);
        nul_odd += usize::from(pair[1] == 0);
    }
    let many = |n: usize| n * 10 >= pairs * 4;
    let few = |n: usize| n * 20 <= pairs;
    if many(nul_odd) && few(nul_even) {
        Some(Encoding::Utf16Le)
    } else if many(nul_even) && few(nul_odd) {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The delimiter giving the most fields on the header line (outside quotes); ties go to
/// `;`, then `,`, then tab.
fn guess_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let body = text.trim_start_matches(['\r', '\n', ' ']);
    for byte in body.bytes() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
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
        if *count > counts[best] {
            best = index;
        }
    }
    CANDIDATES[best]
}

/// Every column has a name, and no name appears twice (ignoring case).
pub fn check_headers(headers: &[String]) -> Result<(), FormatError> {
    let mut seen = std::collections::HashSet::new();
    for (index, header) in headers.iter().enumerate() {
        if header.is_empty() {
            return Err(FormatError::UnnamedColumn { column: index + 1 });
        }
        if !seen.insert(header.to_lowercase()) {
            return Err(FormatError::DuplicateColumn {
                name: header.to_string(),
            });
        }
    }
    Ok(())
}

/// The index of the column named `name`, ignoring case and surrounding spaces; the error
/// lists the columns there are.
pub fn column_index(headers: &[String], name: &str) -> Result<usize, FormatError> {
    let wanted = name.trim().to_lowercase();
    if let Some(index) = headers
        .iter()
        .position(|h| h.trim().to_lowercase() == wanted)
    {
        return Ok(index);
    }
    const LISTED: usize = 50;
    let mut listed: Vec<String> = headers
        .iter()
        .take(LISTED)
        .map(|h| format!("« {h} »"))
        .collect();
    if headers.len() > LISTED {
        listed.push(format!("… ({} in all)", headers.len()));
    }
    Err(FormatError::NoSuchColumn {
        name: name.trim().to_string(),
        columns: listed.join(", "),
    })
}

/// The message for a row whose number of cells differs from the header's.
pub fn width_error(line: u64, cells: usize, columns: usize) -> FormatError {
    FormatError::RowWidth {
        line,
        cells,
        columns,
    }
}

/// A survey table read whole (small tables: previews, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTable {
    /// Column names, trimmed, unique (ignoring case).
    pub headers: Vec<String>,
    /// The rows, each with exactly `headers.len()` cells, as written except that line
    /// breaks inside a quoted cell are LF.
    pub rows: Vec<Vec<String>>,
    /// The delimiter found: `b','`, `b';'` or `b'\t'`.
    pub delimiter: u8,
    /// The encoding the file was read with (see [`Encoding::name`]).
    pub encoding: &'static str,
}

impl SurveyTable {
    /// The index of the column named `name` (see [`column_index`]).
    pub fn column_index(&self, name: &str) -> Result<usize, FormatError> {
        column_index(&self.headers, name)
    }
}

/// Reads a whole survey table from bytes: encoding, delimiter, header, rows, with the
/// strict reader's checks and the limits on size.
pub fn read_survey(bytes: &[u8]) -> Result<SurveyTable, FormatError> {
    let header = read_header(bytes)?;
    let mut records = open_records(bytes, header.encoding, header.delimiter)?;
    let mut record = Record::default();
    // Skip to the header line.
    while records.read_record(&mut record).map_err(csv_error)? && record.line < header.line {}
    let mut headers = header.headers;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    while records.read_record(&mut record).map_err(csv_error)? {
        if record.width() > MAX_COLUMNS {
            return Err(FormatError::LineTooWide {
                line: record.line,
                max: MAX_COLUMNS,
            });
        }
        if record.is_blank() {
            continue;
        }
        if record.cells.len() != headers.len() {
            return Err(width_error(record.line, record.cells.len(), headers.len()));
        }
        if rows.len() >= MAX_ROWS {
            return Err(FormatError::TooManyRows { max: MAX_ROWS });
        }
        cells = cells.saturating_add(record.cells.len());
        if cells > MAX_CELLS {
            return Err(FormatError::TooManyCells { max: MAX_CELLS });
        }
        rows.push(std::mem::take(&mut record.cells));
    }
    drop_trailing_empty_columns(&mut headers, &mut rows);
    check_headers(&headers)?;
    Ok(SurveyTable {
        headers,
        rows,
        delimiter: header.delimiter,
        encoding: header.encoding.name(),
    })
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
            err.to_string(),
            "no column « âge » in the table (columns: « id », « Nom », « Réponse »)"
        );
    }

    #[test]
    fn header_problems() {
        assert_eq!(
            read_survey(b"").unwrap_err().to_string(),
            "the file is empty"
        );
        assert_eq!(
            read_survey(b"  \r\n\n").unwrap_err().to_string(),
            "the file is empty"
        );
        let err = read_survey(b"a,B,b\n1,2,3\n").unwrap_err();
        assert_eq!(err.to_string(), "duplicate column name \u{ab} b \u{bb}");
        let err = read_survey(b"a,,c\n1,2,3\n").unwrap_err();
        assert_eq!(err.to_string(), "column 2 has no name in the header line");
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
        assert_eq!(
            err.to_string(),
            "line 5: 3 cells, but the header has 2 columns"
        );
        let err = read_survey(b"a;b\r\n\r\n1;2\r\n\"x\r\ny\";2\r\n3\r\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 6: 1 cells, but the header has 2 columns"
        );
    }

    #[test]
    fn windows_1252_and_utf16_decode_as_they_stream() {
        let table = read_survey(b"id;r\xe9ponse\n1;\x9cuvre\n").unwrap();
        assert_eq!(table.encoding, "Windows-1252");
        assert_eq!(table.rows, vec![vec!["1", "œuvre"]]);
        let utf16: Vec<u8> = "\u{feff}id\tnom\n1\tZoé\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let table = read_survey(&utf16).unwrap();
        assert_eq!(table.encoding, "UTF-16LE");
        assert_eq!(table.rows, vec![vec!["1", "Zoé"]]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_not_a_swallowed_file() {
        let mut csv = String::from("id,age,texte\n");
        for i in 1..=100 {
            if i == 10 {
                csv.push_str("S010,40,\"Il a dit : cest fini\n");
            } else {
                csv.push_str(&format!("S{i:03},40,réponse\n"));
            }
        }
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 11: a quote opens a cell here and is never closed"),
            "{err}"
        );
    }

    #[test]
    fn a_hostile_row_is_refused() {
        let mut csv = String::from("a,b\r\n1,\"x\r\ny\"\r\n");
        csv.push_str(&",".repeat(MAX_COLUMNS + 5));
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("line 4: too many cells (more than {MAX_COLUMNS})")
        );
    }

    #[test]
    fn too_many_rows() {
        let mut csv = String::from("a\n");
        csv.push_str(&"1\n".repeat(MAX_ROWS + 1));
        let err = read_survey(csv.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("too many rows (more than {MAX_ROWS})")
        );
    }

    #[test]
    fn too_many_columns() {
        let header = vec!["c"; MAX_COLUMNS + 1].join(",");
        let err = read_survey(header.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "too many columns ({}; at most {MAX_COLUMNS})",
                MAX_COLUMNS + 1
            )
        );
    }
}
