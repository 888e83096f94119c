//! Errors of the core in the user's language and in plain words. Rule violations the core
//! explains itself (a name already taken, a pole outside a controversy) keep its wording.

use crate::import::files::ImportError;
use crate::sample::SampleError;
use crate::store::StoreError;

use super::i18n::I18n;

/// A store error, for the status line.
pub fn store(tr: &I18n, error: &StoreError) -> String {
    match error {
        StoreError::Sqlite(e) => tr.f("error.database", &[("error", &e.to_string())]),
        StoreError::Io { path, source } => tr.f(
            "error.io",
            &[("path", path), ("error", &source.to_string())],
        ),
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
    use crate::ui::i18n::Language;

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
