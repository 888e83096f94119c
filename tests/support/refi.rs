//! REFI-QDA fixtures (tests/data/refi/), validation against the official schemas, imports
//! into a project, and row counts to check that a refused import changed nothing.

use std::path::{Path, PathBuf};

use fouille::import::qdpx::{ImportReport, RefiError, RefiImportOptions, import_refi_file};
use fouille::store::Project;

use super::archive::zip_of;
use super::project::data;

/// A file or folder of tests/data/refi.
pub fn refi_data(name: &str) -> PathBuf {
    data("refi").join(name)
}

/// Zips a fixture folder (every file, 0-byte ones included) into a .qdpx next to `out`.
pub fn zip_fixture(folder: &str, out: &Path) -> PathBuf {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(&refi_data(folder), &refi_data(folder), &mut files);
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let path = out.join(format!("{folder}.qdpx"));
    std::fs::write(&path, zip_of(&entries)).unwrap();
    path
}

/// The REFI-QDA schemas, kept in the repository (their source and licence are in
/// `tests/data/refi/schemas/SOURCE.md`).
pub fn schemas() -> PathBuf {
    refi_data("schemas")
}

/// Validates `file` against `schema` with xmllint, which the tests need (`.ci/run` installs
/// it with libxml2-utils): without it the test fails rather than passing unchecked.
pub fn validate(file: &Path, schema: &str) {
    let schema = schemas().join(schema);
    assert!(schema.is_file(), "schema not found: {}", schema.display());
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("xmllint is needed (apt-get install libxml2-utils): {e}"));
    assert!(
        output.status.success(),
        "{} does not validate against {}:\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Imports a .qdpx or .qdc into an open project (merging by GUID).
pub fn import_into(
    project: &mut Project,
    file: &Path,
    rebuild_tree: bool,
) -> Result<ImportReport, RefiError> {
    import_refi_file(
        project,
        file,
        &RefiImportOptions {
            rebuild_tree,
            ..Default::default()
        },
    )
}

/// The number of rows of `table`, deleted ones included.
pub fn row_count(project: &Project, table: &str) -> i64 {
    project
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}
