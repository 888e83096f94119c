//! `table`: the analysis tables, printed as aligned text (or JSON) or written as CSV, XLSX,
//! ODS or Markdown.

use std::io::Write;
use std::path::PathBuf;

use super::corpus::parse_key_value;
use super::{open_project, print_json};
use crate::analysis::{
    AnalysisFilter, CooccurrenceMode, CountUnit, PercentMode, TableKind, TableOptions,
};
use crate::export::tables::{self, CsvOptions, TableFormat};

fn parse_kind(s: &str) -> Result<TableKind, String> {
    TableKind::parse(s).ok_or_else(|| {
        let names: Vec<&str> = TableKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("« {s} » is not a table kind ({})", names.join(", "))
    })
}

fn parse_format(s: &str) -> Result<TableFormat, String> {
    TableFormat::parse(s).ok_or_else(|| format!("« {s} » is not a format (csv, xlsx, ods, md)"))
}

fn parse_percent(s: &str) -> Result<PercentMode, String> {
    match s.trim().to_lowercase().as_str() {
        "row" | "ligne" => Ok(PercentMode::Row),
        "column" | "col" | "colonne" => Ok(PercentMode::Column),
        "none" | "counts" => Ok(PercentMode::Counts),
        _ => Err(format!("« {s} » should be row or column")),
    }
}

fn parse_unit(s: &str) -> Result<CountUnit, String> {
    match s.trim().to_lowercase().as_str() {
        "excerpts" | "extraits" => Ok(CountUnit::Excerpts),
        "respondents" | "répondants" | "repondants" => Ok(CountUnit::Respondents),
        _ => Err(format!("« {s} » should be excerpts or respondents")),
    }
}

fn parse_cooccurrence(s: &str) -> Result<CooccurrenceMode, String> {
    CooccurrenceMode::parse(s).ok_or_else(|| format!("« {s} » should be overlap or paragraph"))
}

fn parse_separator(s: &str) -> Result<u8, String> {
    let s = if s == "\\t" || s.eq_ignore_ascii_case("tab") {
        "\t"
    } else {
        s
    };
    match s.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' && *b != b'\r' => Ok(*b),
        _ => Err(format!(
            "« {s} » should be one ASCII character such as , or ;"
        )),
    }
}

/// Arguments of `fouille table`.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// Project file.
    pub project: PathBuf,
    /// frequencies, matrix, crosstab, cooccurrence, controversies, orientations, quotes (one
    /// row per coded excerpt), respondent-matrix (one row per respondent: attributes, then
    /// a count or 0/1 per code) or words.
    #[arg(value_parser = parse_kind)]
    pub kind: TableKind,
    /// Attribute to break down by (crosstab: required; controversies: adds a table by value;
    /// orientations: the role attribute, `role` by default).
    #[arg(long)]
    pub by: Option<String>,
    /// Output format (default: from the -o extension).
    #[arg(long, value_parser = parse_format)]
    pub format: Option<TableFormat>,
    /// Write to this file (without it, print aligned text).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Only codings by this coder (name or GUID); repeatable.
    #[arg(long)]
    pub coder: Vec<String>,
    /// Attribute condition KEY=VALUE on respondents or documents; repeatable (the same key
    /// again means "or", different keys "and").
    #[arg(long = "attr", value_parser = parse_key_value)]
    pub attributes: Vec<(String, String)>,
    /// Only this document (name or GUID); repeatable.
    #[arg(long)]
    pub document: Vec<String>,
    /// Only this code and its sub-codes (path or GUID); repeatable.
    #[arg(long)]
    pub code: Vec<String>,
    /// Roll sub-codes up into their parents.
    #[arg(long)]
    pub rollup: bool,
    /// Matrix, respondent-matrix: presence 0/1 instead of counts.
    #[arg(long)]
    pub presence: bool,
    /// Crosstab: percentages by row or column.
    #[arg(long, value_parser = parse_percent)]
    pub percent: Option<PercentMode>,
    /// Crosstab: count excerpts (default) or respondents.
    #[arg(long = "count", value_parser = parse_unit)]
    pub unit: Option<CountUnit>,
    /// Co-occurrence: overlapping excerpts (default) or same paragraph.
    #[arg(long, value_parser = parse_cooccurrence)]
    pub cooccurrence: Option<CooccurrenceMode>,
    /// CSV separator (`,` by default; `;` also writes decimal commas for French Excel).
    #[arg(long, value_parser = parse_separator, default_value = ",")]
    pub separator: u8,
    /// CSV: start with a UTF-8 BOM.
    #[arg(long)]
    pub bom: bool,
    /// Name respondents by pseudonym (when they have one).
    #[arg(long)]
    pub pseudonyms: bool,
    /// Replace every respondent name and listed identifying string by its pseudonym,
    /// everywhere in the tables.
    #[arg(long)]
    pub pseudonymise: bool,
    /// Keep respondents who withdrew their consent.
    #[arg(long)]
    pub include_withdrawn: bool,
    /// Words: rows shown (default 50).
    #[arg(long)]
    pub top: Option<usize>,
    /// Words: shortest word counted, in letters (default 2).
    #[arg(long)]
    pub min_length: Option<usize>,
    /// Words: a file editing the French and English stop lists, one per line (`word` or
    /// `+word` adds, `-word` takes out, `!none` starts from an empty list, `#` comments),
    /// applied after the lists as the project keeps them (edited in the app).
    #[arg(long)]
    pub stopwords: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options given that the chosen table ignores (to warn about them).
fn ignored_options(args: &TableArgs) -> Vec<&'static str> {
    let kind = args.kind;
    let mut out = Vec::new();
    let uses_by = matches!(
        kind,
        TableKind::Crosstab | TableKind::Controversies | TableKind::Orientations | TableKind::Words
    );
    let uses_rollup = matches!(
        kind,
        TableKind::Frequencies
            | TableKind::Matrix
            | TableKind::RespondentMatrix
            | TableKind::Crosstab
            | TableKind::Cooccurrence
    );
    if args.by.is_some() && !uses_by {
        out.push("--by");
    }
    if args.rollup && !uses_rollup {
        out.push("--rollup");
    }
    if args.presence && !matches!(kind, TableKind::Matrix | TableKind::RespondentMatrix) {
        out.push("--presence");
    }
    if args.percent.is_some() && kind != TableKind::Crosstab {
        out.push("--percent");
    }
    if args.unit.is_some() && kind != TableKind::Crosstab {
        out.push("--count");
    }
    if args.cooccurrence.is_some() && kind != TableKind::Cooccurrence {
        out.push("--cooccurrence");
    }
    if kind != TableKind::Words {
        for (given, name) in [
            (args.top.is_some(), "--top"),
            (args.min_length.is_some(), "--min-length"),
            (args.stopwords.is_some(), "--stopwords"),
        ] {
            if given {
                out.push(name);
            }
        }
    }
    out
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn print_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub(super) fn table(args: TableArgs) -> anyhow::Result<()> {
    let ignored = ignored_options(&args);
    if !ignored.is_empty() {
        eprintln!(
            "warning: {} does not apply to the {} table (ignored)",
            ignored.join(", "),
            args.kind.as_str()
        );
    }
    let project = open_project(&args.project, None)?;
    let filter = AnalysisFilter {
        coders: args.coder,
        attributes: args.attributes,
        documents: args.document,
        codes: args.code,
        include_withdrawn: args.include_withdrawn,
    };
    let options = TableOptions {
        by: args.by,
        rollup: args.rollup,
        presence: args.presence,
        percent: args.percent.unwrap_or_default(),
        unit: args.unit.unwrap_or_default(),
        cooccurrence: args.cooccurrence.unwrap_or_default(),
        pseudonyms: args.pseudonyms || args.pseudonymise,
        words: crate::analysis::words::WordOptions {
            top: args.top,
            min_length: args.min_length,
            stop_word_edits: match &args.stopwords {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
                    .lines()
                    .map(str::to_string)
                    .collect(),
                None => Vec::new(),
            },
        },
    };
    let request = crate::app::report::TableRequest {
        kind: args.kind,
        filter,
        options,
        lang: super::output_language(),
        pseudonymise: args.pseudonymise,
    };
    let result = crate::app::report::compute_table(&project, &request)?.tables;
    let csv = CsvOptions {
        separator: args.separator,
        bom: args.bom,
        decimal_comma: args.separator == b';',
    };
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(TableFormat::from_path));
    match (&args.output, format) {
        (Some(path), Some(format)) => {
            for written in crate::app::report::write_tables(&result, format, path, &csv)? {
                println!("wrote {}", written.display());
            }
            Ok(())
        }
        (Some(path), None) => anyhow::bail!(
            "cannot tell the format of {} from its extension: add --format csv|xlsx|ods|md",
            path.display()
        ),
        (None, _) if args.json => print_json(&result),
        (None, Some(TableFormat::Xlsx | TableFormat::Ods)) => {
            anyhow::bail!("XLSX and ODS are binary: give a file with -o")
        }
        (None, Some(TableFormat::Csv)) => {
            let mut bytes = Vec::new();
            for (i, t) in result.iter().enumerate() {
                if i > 0 {
                    bytes.push(b'\n');
                }
                // A BOM belongs at the start of a file only.
                let options = CsvOptions {
                    bom: csv.bom && i == 0,
                    ..csv
                };
                bytes.extend(tables::csv::to_csv_bytes(t, &options)?);
            }
            print_stdout(&bytes)
        }
        (None, Some(TableFormat::Markdown)) => {
            print_stdout(tables::markdown::to_markdown(&result).as_bytes())
        }
        (None, None) => {
            print_stdout(tables::text::to_text(&result, tables::text::MAX_CELL_CHARS).as_bytes())
        }
    }
}
