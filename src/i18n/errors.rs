//! Errors of the core in the user's language and in plain words. Rule violations the core
//! explains itself (a name already taken, a pole outside a controversy) keep its wording.

use crate::import::files::ImportError;
use crate::sample::SampleError;
use crate::store::damage::Damage;
use crate::store::{ReadOnlyReason, StoreError};

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
        StoreError::NotFound(what) => tr.f("error.not_found", &[("what", what)]),
        StoreError::Invalid(message) => message.clone(),
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
        crate::app::AppError::Analysis(e) => e.to_string(),
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
        let invalid = StoreError::Invalid("a code needs a name".into());
        assert_eq!(
            store(&I18n::new(Language::Fr), &invalid),
            "a code needs a name"
        );
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
