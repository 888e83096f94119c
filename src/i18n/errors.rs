//! Errors of the core in the user's language and in plain words. Each variant is worded from
//! the catalogue with the names it carries: a rule a request broke ([`Rule`]), what was
//! missing ([`Thing`]). Messages of other libraries (SQLite, the zip and spreadsheet
//! writers) are kept as they are, after a sentence in the user's language; so, for now, are
//! the English problems an importer finds in a file ([`ImportError::Format`]) and the
//! refusals of the analysis and of team merges that carry English text.

use crate::import::files::ImportError;
use crate::model::{AttributeType, BadValue};
use crate::sample::SampleError;
use crate::store::damage::Damage;
use crate::store::{Named, ReadOnlyReason, Rule, StoreError, Thing};

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
        StoreError::NotAProject { path, reason } => {
            tr.f("error.not_project", &[("path", path), ("reason", reason)])
        }
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
            tr.f("error.not_written", &[("path", path), ("reason", reason)])
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
        crate::app::AppError::Analysis(crate::analysis::AnalysisError::Store(e)) => store(tr, e),
        crate::app::AppError::Analysis(e) => e.to_string(),
        crate::app::AppError::Report(crate::export::report::ReportError::Store(e)) => store(tr, e),
        crate::app::AppError::Report(e) => tr.f("error.export", &[("error", &e.to_string())]),
        crate::app::AppError::Tables(e) => tr.f("error.export", &[("error", &e.to_string())]),
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

/// A team error (a merge), for the status line. Its own refusals are still in English.
pub fn team(tr: &I18n, error: &crate::team::TeamError) -> String {
    use crate::team::TeamError;
    match error {
        TeamError::Store(e) => store(tr, e),
        TeamError::Io { path, source } => {
            tr.f("error.io", &[("path", path), ("error", &io(tr, source))])
        }
        TeamError::Invalid(message) => message.clone(),
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
            &[("error", &format!("{path}: {problem}"))],
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
            &[("path", path), ("problem", problem)],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    #[test]
    fn store_errors_read_in_both_languages() {
        let e = StoreError::NotAProject {
            path: "/tmp/x.fouille".into(),
            reason: "not an SQLite database".into(),
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
