//! Embeds the files of `sample-data/` so the app can build its sample project anywhere.
use std::fmt::Write;
use std::path::Path;

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.ends_with(".py") || rel == "README.md" {
                continue;
            }
            out.push(rel);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    println!("cargo:rerun-if-changed=sample-data");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut code = String::from(
        "/// The files of `sample-data/`, embedded: (relative path, bytes).\npub const SAMPLE_FILES: &[(&str, &[u8])] = &[\n",
    );
    // The path is rebuilt from the crate's folder when the library compiles, not written
    // out here: a target folder shared by two checkouts (or copied from one to another)
    // then never reads the files of a checkout that has moved or gone.
    for rel in files {
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/sample-data/\", {rel:?}))),"
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("sample_files.rs");
    std::fs::write(out, code).expect("write sample_files.rs");
}
