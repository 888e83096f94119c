//! Errors of the core in the user's language and in plain words. Each variant is worded from
//! the catalogue with the names it carries: a rule a request broke ([`Rule`]), what was
//! missing ([`Thing`]), what is wrong with a file ([`FormatError`]). Messages of other
//! libraries and of the system (SQLite, the zip, XML, CSV and spreadsheet readers and
//! writers, an unusual I/O error) are kept as they are, after a sentence in the user's
//! language.

use crate::import::FormatError;
use crate::import::csv::CsvError;
use crate::import::files::ImportError;
use crate::model::{AttributeType, BadValue};
use crate::sample::SampleError;
use crate::store::damage::Damage;
use crate::store::{
    Named, NotAProjectReason, NotWrittenReason, ReadOnlyReason, Rule, StoreError, Thing,
};

use super::I18n;

/// A store error, for the status line.
pub fn store(tr: &I18n, error: &StoreError) -> String {
    match error {
        StoreError::Sqlite(e) => tr.f("error.database", &[("error", &e.to_string())]),
        StoreError::Io { path, source } => {
            tr.f("error.io", &[("path", path), ("error", &io(tr, source))])
        }
        StoreError::Locked { path, holder } => {
            tr.f("error.locked", &[("path", path), ("holder", holder)])
        }
        StoreError::StaleLock { path, holder } => {
            tr.f("error.stale_lock", &[("path", path), ("holder", holder)])
        }
        StoreError::NotAProject { path, reason } => tr.f(
            "error.not_project",
            &[("path", path), ("reason", &not_a_project(tr, reason))],
        ),
        StoreError::NewerVersion { found, supported } => tr.f(
            "error.newer_version",
            &[
                ("found", &found.to_string()),
                ("supported", &supported.to_string()),
            ],
        ),
        StoreError::NotFound { what, key } => tr.f(
            "error.not_found",
            &[("what", thing(tr, *what)), ("key", key)],
        ),
        StoreError::Rule(broken) => rule(tr, broken),
        StoreError::Exists { path } => tr.f("error.exists", &[("path", path)]),
        StoreError::Damaged {
            path,
            detail,
            last_backup,
        } => {
            let advice = match last_backup {
                Some(b) => tr.f(
                    "error.damaged_backup",
                    &[
                        ("created", &b.created),
                        ("path", path),
                        ("backup", &b.path.display().to_string()),
                    ],
                ),
                None => tr.f("error.damaged_no_backup", &[("path", path)]),
            };
            let detail = damage(tr, detail);
            tr.f(
                "error.damaged",
                &[("path", path), ("detail", &detail), ("advice", &advice)],
            )
        }
        StoreError::ReadOnly { path, reason } => tr.f(
            "error.read_only",
            &[("path", path), ("reason", &read_only_reason(tr, reason))],
        ),
        StoreError::DiskFull {
            folder,
            needed_bytes: Some(needed),
            free_bytes: Some(free),
        } => tr.f(
            "error.disk_full",
            &[
                ("folder", folder),
                ("needed", &needed.div_ceil(1_048_576).to_string()),
                ("free", &(free / 1_048_576).to_string()),
            ],
        ),
        StoreError::DiskFull { folder, .. } => {
            tr.f("error.disk_full_unknown", &[("folder", folder)])
        }
        StoreError::NotWritten { path, reason } => {
            let reason = match reason {
                NotWrittenReason::ReaderHoldsLog => tr.t("error.reader_holds_log").to_string(),
                NotWrittenReason::Failed(cause) => store(tr, cause),
            };
            tr.f("error.not_written", &[("path", path), ("reason", &reason)])
        }
    }
}

/// Why a file is not a Fouille project.
fn not_a_project(tr: &I18n, reason: &NotAProjectReason) -> String {
    match reason {
        NotAProjectReason::NotAFile => tr.t("format.not_a_file").to_string(),
        NotAProjectReason::Empty => tr.t("format.empty").to_string(),
        NotAProjectReason::NotSqlite => tr.t("error.not_sqlite").to_string(),
        NotAProjectReason::NoFouilleTables => tr.t("error.no_fouille_tables").to_string(),
        NotAProjectReason::Sqlite(words) => tr.f("error.sqlite_says", &[("error", words)]),
        NotAProjectReason::DamagedBackup(report) => {
            tr.f("error.damaged_backup_check", &[("report", report)])
        }
    }
}

/// A kind of row, as named in "not found".
fn thing(tr: &I18n, what: Thing) -> &str {
    match what {
        Thing::Code => tr.t("thing.code"),
        Thing::Document => tr.t("thing.document"),
        Thing::Coding => tr.t("thing.coding"),
        Thing::Coder => tr.t("thing.coder"),
        Thing::Respondent => tr.t("thing.respondent"),
        Thing::Attribute => tr.t("thing.attribute"),
        Thing::Memo => tr.t("thing.memo"),
        Thing::PseudonymEntry => tr.t("thing.pseudonym"),
    }
}

/// A rule the request broke, in the user's language, with the names it concerns.
pub fn rule(tr: &I18n, broken: &Rule) -> String {
    let name = |key: &str, name: &str| tr.f(key, &[("name", name)]);
    match broken {
        Rule::EmptyName(what) => empty_name(tr, *what).to_string(),
        Rule::SlashInCodeName { name: n } => name("rule.slash_in_code_name", n),
        Rule::CodeNameTaken { name: n } => name("rule.code_name_taken", n),
        Rule::PoleOutsideControversy { name: n } => name("rule.pole_outside_controversy", n),
        Rule::PisteOutsideOrientation { name: n } => name("rule.piste_outside_orientation", n),
        Rule::ControversyHoldsPolesOnly => tr.t("rule.controversy_poles_only").to_string(),
        Rule::ControversyFull { controversy } => name("rule.controversy_full", controversy),
        Rule::PoleHoldsCodes => tr.t("rule.pole_holds_codes").to_string(),
        Rule::BadColour(colour) => name("rule.bad_colour", colour),
        Rule::CodeCycle { name: n } => name("rule.code_cycle", n),
        Rule::MergeIntoItself => tr.t("rule.merge_into_itself").to_string(),
        Rule::MergeIntoSubCode => tr.t("rule.merge_into_sub_code").to_string(),
        Rule::NotCodable { code } => name("rule.not_codable", code),
        Rule::AmbiguousCode { key, paths } => tr.f(
            "rule.ambiguous_code",
            &[("name", key), ("paths", &paths.join(", "))],
        ),
        Rule::AmbiguousDocument { name: n } => name("rule.ambiguous_document", n),
        Rule::DocumentDeleted { name: n } => name("rule.document_deleted", n),
        Rule::EmptyRange { start, end } => tr.f(
            "rule.empty_range",
            &[("start", &start.to_string()), ("end", &end.to_string())],
        ),
        Rule::RangeOutOfBounds { start, end, len } => tr.f(
            "rule.range_out_of_bounds",
            &[
                ("start", &start.to_string()),
                ("end", &end.to_string()),
                ("len", &len.to_string()),
            ],
        ),
        Rule::SameCoder => tr.t("rule.same_coder").to_string(),
        Rule::TooFewCoders => tr.t("rule.too_few_coders").to_string(),
        Rule::AttributeTypeClash { name: n, existing } => tr.f(
            "rule.attribute_type_clash",
            &[("name", n), ("type", attribute_type(tr, *existing))],
        ),
        Rule::BadValue { attribute, problem } => tr.f(
            "rule.bad_value",
            &[
                ("attribute", attribute),
                ("problem", &bad_value(tr, problem)),
            ],
        ),
        Rule::SurveyValue {
            file,
            line,
            attribute,
            problem,
        } => tr.f(
            "rule.survey_value",
            &[
                ("file", file),
                ("line", &line.to_string()),
                ("attribute", attribute),
                ("problem", &bad_value(tr, problem)),
            ],
        ),
        Rule::PseudonymEmpty => tr.t("rule.pseudonym_empty").to_string(),
        Rule::PseudonymItself { original } => name("rule.pseudonym_itself", original),
        Rule::MergeTextGone { hash } => name("rule.merge_text_gone", hash),
        Rule::TextNotUtf8 { document } => name("rule.text_not_utf8", document),
        Rule::TemplateKind(kind) => name("rule.template_kind", kind),
        Rule::SampleFileUnknown { line, file } => tr.f(
            "rule.sample_file_unknown",
            &[("line", &line.to_string()), ("file", file)],
        ),
        Rule::SampleQuoteMissing { line, file, quote } => tr.f(
            "rule.sample_quote_missing",
            &[
                ("line", &line.to_string()),
                ("file", file),
                ("quote", quote),
            ],
        ),
    }
}

/// "A code needs a name", and so on: one sentence per kind (the article agrees with it).
fn empty_name(tr: &I18n, what: Named) -> &str {
    match what {
        Named::Code => tr.t("rule.empty_name_code"),
        Named::Document => tr.t("rule.empty_name_document"),
        Named::Coder => tr.t("rule.empty_name_coder"),
        Named::Respondent => tr.t("rule.empty_name_respondent"),
        Named::Attribute => tr.t("rule.empty_name_attribute"),
    }
}

/// The name of an attribute type, as the attribute dialog shows it.
fn attribute_type(tr: &I18n, kind: AttributeType) -> &str {
    match kind {
        AttributeType::Text => tr.t("attr.text"),
        AttributeType::Integer => tr.t("attr.integer"),
        AttributeType::Decimal => tr.t("attr.decimal"),
        AttributeType::Boolean => tr.t("attr.boolean"),
        AttributeType::Date => tr.t("attr.date"),
    }
}

/// A value that does not fit its type, with the forms a date may take.
fn bad_value(tr: &I18n, problem: &BadValue) -> String {
    let value = &problem.raw;
    match problem.expected {
        AttributeType::Date => tr.f("rule.bad_date", &[("value", value)]),
        other => tr.f(
            "rule.bad_typed_value",
            &[("value", value), ("type", attribute_type(tr, other))],
        ),
    }
}

/// What went wrong with a file, in the user's language for the usual cases (the system's
/// own words, in English, otherwise).
pub fn io(tr: &I18n, error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let key = match error.kind() {
        ErrorKind::NotFound => "io.not_found",
        ErrorKind::PermissionDenied => "io.permission_denied",
        ErrorKind::AlreadyExists => "io.already_exists",
        ErrorKind::StorageFull => "io.storage_full",
        ErrorKind::ReadOnlyFilesystem => "io.read_only",
        ErrorKind::IsADirectory => "io.is_a_directory",
        ErrorKind::NotADirectory => "io.not_a_directory",
        ErrorKind::UnexpectedEof => "io.cut_short",
        _ => return error.to_string(),
    };
    tr.t(key).to_string()
}

/// An error of the application layer, for the status line.
pub fn app(tr: &I18n, error: &crate::app::AppError) -> String {
    match error {
        crate::app::AppError::Store(e) => store(tr, e),
        crate::app::AppError::InVivoEmpty => tr.t("error.in_vivo_empty").to_string(),
        crate::app::AppError::Import(e) => import(tr, e),
        crate::app::AppError::Refi(e) => refi(tr, e),
        crate::app::AppError::RespondentForRefi => tr.t("error.respondent_for_refi").to_string(),
        crate::app::AppError::Analysis(e) => analysis(tr, e),
        crate::app::AppError::Report(e) => report(tr, e),
        crate::app::AppError::Tables(e) => tables(tr, e),
        crate::app::AppError::Speech(e) => speech(tr, e),
        crate::app::AppError::DocumentHasText(name) => {
            tr.f("error.document_has_text", &[("document", name)])
        }
        crate::app::AppError::NoSpeech(path) => {
            tr.f("error.no_speech", &[("path", &path.display().to_string())])
        }
        crate::app::AppError::Query(e) => query(tr, e),
        crate::app::AppError::QuoteAbsent { document, quote } => tr.f(
            "error.quote_absent",
            &[("document", document), ("quote", quote)],
        ),
        crate::app::AppError::QuoteAmbiguous {
            document,
            quote,
            places,
        } => tr.f(
            "error.quote_ambiguous",
            &[
                ("document", document),
                ("quote", quote),
                ("count", &places.len().to_string()),
                ("places", &places.join("\n")),
            ],
        ),
    }
}

/// A team error (a merge), for the status line.
pub fn team(tr: &I18n, error: &crate::team::TeamError) -> String {
    use crate::team::TeamError;
    match error {
        TeamError::Store(e) => store(tr, e),
        TeamError::Io { path, source } => {
            tr.f("error.io", &[("path", path), ("error", &io(tr, source))])
        }
        TeamError::TooManyInputs { max } => {
            tr.f("error.merge_too_many", &[("max", &max.to_string())])
        }
        TeamError::NothingToMerge => tr.t("error.merge_nothing").to_string(),
        TeamError::OlderSchema { path, version } => tr.f(
            "error.merge_older_schema",
            &[("path", path), ("version", &version.to_string())],
        ),
    }
}

/// A team folder error: what to do about it.
pub fn folder(tr: &I18n, error: &crate::team::folder::FolderError) -> String {
    use crate::team::folder::FolderError as E;
    match error {
        E::NotJoined => tr.t("team_folder.not_joined").to_string(),
        E::FolderMissing { folder } => tr.f("team_folder.missing", &[("folder", folder)]),
        E::ProjectInsideFolder { project } => {
            tr.f("team_folder.project_inside", &[("project", project)])
        }
        E::Io { path, source } => tr.f("error.io", &[("path", path), ("error", &io(tr, source))]),
        E::Store(e) => store(tr, e),
        E::Team(e) => team(tr, e),
    }
}

/// A table that could not be computed.
pub fn analysis(tr: &I18n, error: &crate::analysis::AnalysisError) -> String {
    use crate::analysis::AnalysisError;
    match error {
        AnalysisError::Store(e) => store(tr, e),
        AnalysisError::UnknownAttribute { name, known } => tr.f(
            "error.unknown_attribute",
            &[("name", name), ("known", known)],
        ),
        AnalysisError::CrosstabNeedsAttribute => tr.t("error.crosstab_needs_attribute").to_string(),
        AnalysisError::TextReaderStopped => tr.t("error.text_reader_stopped").to_string(),
    }
}

/// A REFI-QDA export that could not be written.
pub fn refi_export(tr: &I18n, error: &crate::export::qdpx::ExportError) -> String {
    use crate::export::qdpx::ExportError;
    match error {
        ExportError::Store(e) => store(tr, e),
        ExportError::Io { path, source } => tr.f(
            "error.export",
            &[(
                "error",
                &tr.f("error.io", &[("path", path), ("error", &io(tr, source))]),
            )],
        ),
        ExportError::EmptyCodebook => tr.t("error.empty_codebook").to_string(),
    }
}

/// A report that could not be written.
pub fn report(tr: &I18n, error: &crate::export::report::ReportError) -> String {
    use crate::export::report::ReportError;
    match error {
        ReportError::Store(e) => store(tr, e),
        ReportError::Zip(e) => tr.f("error.export", &[("error", &e.to_string())]),
        ReportError::Chart(e) => tr.f("error.export", &[("error", e)]),
        ReportError::Io { path, source } => tr.f(
            "error.export",
            &[(
                "error",
                &tr.f("error.io", &[("path", path), ("error", &io(tr, source))]),
            )],
        ),
    }
}

/// Tables that could not be written.
pub fn tables(tr: &I18n, error: &crate::export::tables::TableExportError) -> String {
    use crate::export::tables::TableExportError;
    let problem = match error {
        TableExportError::Io { path, source } => {
            tr.f("error.io", &[("path", path), ("error", &io(tr, source))])
        }
        TableExportError::TooManyColumns(n) => {
            tr.f("error.sheet_too_wide", &[("count", &n.to_string())])
        }
        TableExportError::TooManyRows(n) => {
            tr.f("error.sheet_too_long", &[("count", &n.to_string())])
        }
        other => other.to_string(),
    };
    tr.f("error.export", &[("error", &problem)])
}

/// A search query that could not be parsed: what is wrong, and the token and its place
/// (counted from 1, as people count).
pub fn query(tr: &I18n, error: &crate::lexical::QueryError) -> String {
    use crate::lexical::QueryErrorKind as K;
    let key = match error.kind {
        K::Empty => "query.empty",
        K::UnclosedParen => "query.unclosed_paren",
        K::UnmatchedParen => "query.unmatched_paren",
        K::EmptyGroup => "query.empty_group",
        K::UnclosedQuote => "query.unclosed_quote",
        K::EmptyPhrase => "query.empty_phrase",
        K::MissingOperand => "query.missing_operand",
        K::LoneStar => "query.lone_star",
        K::MisplacedStar => "query.misplaced_star",
        K::EmptyNear => "query.empty_near",
        K::NearNeedsTwo => "query.near_needs_two",
        K::NearTooMany => "query.near_too_many",
        K::NearOperator => "query.near_operator",
        K::BadDistance => "query.bad_distance",
    };
    let max = crate::lexical::query::MAX_NEAR_DISTANCE.to_string();
    let problem = tr.f(key, &[("max", &max)]);
    tr.f(
        "error.query",
        &[
            ("problem", &problem),
            ("token", &error.token),
            ("at", &(error.at + 1).to_string()),
        ],
    )
}

/// A REFI-QDA import error.
pub fn refi(tr: &I18n, error: &crate::import::qdpx::RefiError) -> String {
    match error {
        crate::import::qdpx::RefiError::Format { path, problem } => tr.f(
            "error.import_refi",
            &[("error", &format!("{path} : {}", format(tr, problem)))],
        ),
        crate::import::qdpx::RefiError::Store(e) => store(tr, e),
    }
}

/// What is wrong with a damaged file, in the user's language.
pub fn damage(tr: &I18n, found: &Damage) -> String {
    match found {
        Damage::BadPages { pages, total } => {
            let mut shown: Vec<String> = pages.iter().take(8).map(u32::to_string).collect();
            if pages.len() > 8 {
                shown.push("…".into());
            }
            tr.f(
                "error.damage_pages",
                &[
                    ("count", &pages.len().to_string()),
                    ("total", &total.to_string()),
                    ("pages", &shown.join(", ")),
                ],
            )
        }
        Damage::CutShort { missing, total } => tr.f(
            "error.damage_cut",
            &[
                ("missing", &missing.to_string()),
                ("total", &total.to_string()),
            ],
        ),
        Damage::HeaderCutShort => tr.t("error.damage_header").to_string(),
        Damage::ReadFault { page: Some(page) } => {
            tr.f("error.damage_read", &[("page", &page.to_string())])
        }
        Damage::ReadFault { page: None } => tr.t("error.damage_read_unknown").to_string(),
        Damage::Malformed(words) => tr.f("error.damage_malformed", &[("error", words)]),
    }
}

/// Why a project cannot be written, in the user's language.
pub fn read_only_reason(tr: &I18n, reason: &ReadOnlyReason) -> String {
    match reason {
        ReadOnlyReason::File => tr.t("error.read_only_file").to_string(),
        ReadOnlyReason::Folder(folder) => tr.f("error.read_only_folder", &[("folder", folder)]),
    }
}

/// An import error, for the status line.
pub fn import(tr: &I18n, error: &ImportError) -> String {
    match error {
        ImportError::Format { path, problem } => tr.f(
            "error.import_format",
            &[("path", path), ("problem", &format(tr, problem))],
        ),
        ImportError::Store(e) => store(tr, e),
    }
}

/// An error while building the sample project.
pub fn sample(tr: &I18n, error: &SampleError) -> String {
    match error {
        SampleError::Data(message) => tr.f("error.sample", &[("error", message)]),
        SampleError::Import(e) => import(tr, e),
        SampleError::Store(e) => store(tr, e),
    }
}

/// A speech recognition error, in the user's language. The model loader's messages name
/// the file at fault; they are kept, after a sentence in the user's language.
pub fn speech(tr: &I18n, error: &crate::speech::SpeechError) -> String {
    use crate::speech::SpeechError;
    match error {
        SpeechError::NoModel => tr.t("error.no_speech_model").to_string(),
        SpeechError::Model(e) => tr.f("error.speech_model", &[("error", &e.to_string())]),
        SpeechError::Audio(e) => tr.f("error.speech_audio", &[("error", &e.to_string())]),
        SpeechError::Recognition(e) => tr.f("error.speech_failed", &[("error", &e.to_string())]),
        SpeechError::Cancelled => tr.t("error.speech_cancelled").to_string(),
        SpeechError::Settings { path, source } => tr.f(
            "error.speech_settings",
            &[
                ("path", &path.display().to_string()),
                ("error", &source.to_string()),
            ],
        ),
    }
}

/// What is wrong with a file, in the user's language. The file's name is the caller's.
pub fn format(tr: &I18n, problem: &FormatError) -> String {
    use FormatError as F;
    let part = |key: &str, part: &str| tr.f(key, &[("part", part)]);
    match problem {
        F::NotAFile => tr.t("format.not_a_file").to_string(),
        F::TooLarge { size_mb, max_mb } => tr.f(
            "format.too_large",
            &[("size", &size_mb.to_string()), ("max", &max_mb.to_string())],
        ),
        F::Unreadable { detail } => tr.f("format.unreadable", &[("error", detail)]),
        F::UnsupportedType { extension } => {
            tr.f("format.unsupported_type", &[("extension", extension)])
        }
        F::Empty => tr.t("format.empty").to_string(),
        F::Binary => tr.t("format.binary").to_string(),
        F::BomNotUtf8 { at: None } => tr.t("format.bom_not_utf8").to_string(),
        F::BomNotUtf8 { at: Some(at) } => {
            tr.f("format.bom_not_utf8_at", &[("at", &at.to_string())])
        }
        F::Utf16OddLength => tr.t("format.utf16_odd").to_string(),
        F::Utf16UnpairedSurrogate { unit, at } => tr.f(
            "format.utf16_surrogate",
            &[("unit", &format!("0x{unit:04X}")), ("at", &at.to_string())],
        ),
        F::PartNotUtf8 { part, at } => tr.f(
            "format.part_not_utf8",
            &[("part", part), ("at", &at.to_string())],
        ),
        F::BadCharacterReference { part, name } => tr.f(
            "format.bad_character_reference",
            &[("part", part), ("name", name)],
        ),
        F::UnsupportedEntity { part, name } => tr.f(
            "format.unsupported_entity",
            &[("part", part), ("name", name)],
        ),
        F::BadXml {
            part,
            position,
            detail,
        } => tr.f(
            "format.bad_xml",
            &[
                ("part", part),
                ("at", &position.to_string()),
                ("error", detail),
            ],
        ),
        F::BadAttribute { part, detail } => {
            tr.f("format.bad_attribute", &[("part", part), ("error", detail)])
        }
        F::UnreadableAttribute { part, key, detail } => tr.f(
            "format.unreadable_attribute",
            &[("part", part), ("name", key), ("error", detail)],
        ),
        F::DoctypeEntities { part: p } => part("format.doctype_entities", p),
        F::ContentAfterRoot { part: p } => part("format.content_after_root", p),
        F::TooDeep { part, max } => tr.f(
            "format.too_deep",
            &[("part", part), ("max", &max.to_string())],
        ),
        F::Truncated { part: p } => part("format.truncated", p),
        F::NoRoot { part: p } => part("format.no_root", p),
        F::NotZip { detail } => tr.f("format.not_zip", &[("error", detail)]),
        F::TooManyEntries { found, max } => tr.f(
            "format.too_many_entries",
            &[("count", &found.to_string()), ("max", &max.to_string())],
        ),
        F::UnsafeEntryName { name } => tr.f("format.unsafe_entry", &[("name", name)]),
        F::NoEntry { name } => tr.f("format.no_entry", &[("name", name)]),
        F::SymbolicLink { name } => tr.f("format.symbolic_link", &[("name", name)]),
        F::EntryTooLarge { name, max_bytes } => tr.f(
            "format.entry_too_large",
            &[("name", name), ("max", &max_bytes.to_string())],
        ),
        F::ZipBomb { name } => tr.f("format.zip_bomb", &[("name", name)]),
        F::ArchiveTooLarge { max_bytes } => tr.f(
            "format.archive_too_large",
            &[("max", &max_bytes.to_string())],
        ),
        F::NotWord => tr.t("format.not_word").to_string(),
        F::WordWithoutBody { part: p } => part("format.word_without_body", p),
        F::NotOpenDocument => tr.t("format.not_open_document").to_string(),
        F::OpenDocumentWithoutText => tr.t("format.open_document_without_text").to_string(),
        F::NotNoScribe => tr.t("format.not_noscribe").to_string(),
        F::BadTimestampLine { line, text } => tr.f(
            "format.bad_timestamp_line",
            &[("line", &line.to_string()), ("text", text)],
        ),
        F::NoSubtitles => tr.t("format.no_subtitles").to_string(),
        F::TooManyColumns { found, max } => tr.f(
            "format.too_many_columns",
            &[("count", &found.to_string()), ("max", &max.to_string())],
        ),
        F::UnnamedColumn { column } => {
            tr.f("format.unnamed_column", &[("column", &column.to_string())])
        }
        F::ValueInUnnamedColumn {
            header_line,
            column,
            line,
        } => tr.f(
            "format.value_in_unnamed_column",
            &[
                ("header", &header_line.to_string()),
                ("column", &column.to_string()),
                ("line", &line.to_string()),
            ],
        ),
        F::DuplicateColumn { name } => tr.f("format.duplicate_column", &[("name", name)]),
        F::NoSuchColumn { name, columns } => tr.f(
            "format.no_such_column",
            &[("name", name), ("columns", columns)],
        ),
        F::LineTooWide { line, max } => tr.f(
            "format.line_too_wide",
            &[("line", &line.to_string()), ("max", &max.to_string())],
        ),
        F::RowWidth {
            line,
            cells,
            columns,
        } => tr.f(
            "format.row_width",
            &[
                ("line", &line.to_string()),
                ("cells", &cells.to_string()),
                ("columns", &columns.to_string()),
            ],
        ),
        F::TooManyRows { max } => tr.f("format.too_many_rows", &[("max", &max.to_string())]),
        F::TooManyCells { max } => tr.f("format.too_many_cells", &[("max", &max.to_string())]),
        F::NoAnswerColumn => tr.t("format.no_answer_column").to_string(),
        F::EmptyId { line } => tr.f("format.empty_id", &[("line", &line.to_string())]),
        F::DuplicateId { line, id, first } => tr.f(
            "format.duplicate_id",
            &[
                ("line", &line.to_string()),
                ("id", id),
                ("first", &first.to_string()),
            ],
        ),
        F::Csv(error) => csv(tr, error),
        F::NotRefi => tr.t("format.not_refi").to_string(),
        F::SurveyAlreadyImported => tr.t("format.survey_already_imported").to_string(),
        F::WrongRoot {
            part,
            found,
            expected,
        } => tr.f(
            if expected == "Project" {
                "format.wrong_root_project"
            } else {
                "format.wrong_root_codebook"
            },
            &[("part", part), ("found", found), ("expected", expected)],
        ),
        F::WrongNamespace {
            part,
            root,
            found,
            expected,
        } => tr.f(
            "format.wrong_namespace",
            &[
                ("part", part),
                ("root", root),
                ("found", found),
                ("expected", expected),
            ],
        ),
        F::NoProjectDocument { holds } if holds.is_empty() => {
            tr.t("format.no_project_document_empty").to_string()
        }
        F::NoProjectDocument { holds } => tr.f("format.no_project_document", &[("names", holds)]),
        F::SeveralProjectDocuments { names } => {
            tr.f("format.several_project_documents", &[("names", names)])
        }
        F::NotQdpx { problem } => tr.f("format.not_qdpx", &[("problem", &format(tr, problem))]),
        F::GuidsAcrossKinds { first, more: 0 } => {
            tr.f("format.guids_across_kinds", &[("first", first)])
        }
        F::GuidsAcrossKinds { first, more } => tr.f(
            "format.guids_across_kinds_more",
            &[("first", first), ("more", &more.to_string())],
        ),
    }
}

/// What the survey reader found wrong in a CSV file.
fn csv(tr: &I18n, error: &CsvError) -> String {
    let max_mb = (crate::import::csv::MAX_CELL_BYTES >> 20).to_string();
    match error {
        CsvError::UnclosedQuote { line } => {
            tr.f("format.csv_unclosed_quote", &[("line", &line.to_string())])
        }
        CsvError::RunawayCell { line, until_line } => tr.f(
            "format.csv_runaway_cell",
            &[
                ("line", &line.to_string()),
                ("until", &until_line.to_string()),
                ("max_lines", &crate::import::csv::MAX_CELL_LINES.to_string()),
                ("max_mb", &max_mb),
            ],
        ),
        CsvError::CellTooLong { line } => tr.f(
            "format.csv_cell_too_long",
            &[("line", &line.to_string()), ("max_mb", &max_mb)],
        ),
        CsvError::Binary { line } => tr.f("format.csv_binary", &[("line", &line.to_string())]),
        CsvError::Io(detail) => tr.f("format.unreadable", &[("error", detail)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    #[test]
    fn store_errors_read_in_both_languages() {
        let e = StoreError::NotAProject {
            path: "/tmp/x.fouille".into(),
            reason: NotAProjectReason::NotSqlite,
        };
        let fr = store(&I18n::new(Language::Fr), &e);
        let en = store(&I18n::new(Language::En), &e);
        assert!(
            fr.contains("/tmp/x.fouille") && fr.contains("n'est pas un projet Fouille"),
            "{fr}"
        );
        assert!(en.contains("is not a Fouille project"), "{en}");
        let unnamed = StoreError::Rule(Rule::EmptyName(Named::Code));
        assert_eq!(
            store(&I18n::new(Language::Fr), &unnamed),
            "Un code doit avoir un nom."
        );
        assert_eq!(
            store(&I18n::new(Language::En), &unnamed),
            "A code needs a name."
        );
        let missing = StoreError::not_found(Thing::Coder, "Léa");
        assert_eq!(
            store(&I18n::new(Language::Fr), &missing),
            "Introuvable : codeur « Léa »."
        );
        assert_eq!(missing.to_string(), "coder « Léa » not found");
    }
}
