//! Repository hygiene, in the rust-analyzer way: ordinary tests over the hand-written files.

mod common;

use std::path::{Path, PathBuf};

/// Hand-written source trees (generated crates and snapshots are checked by `regenerate.rs`).
const SOURCE_DIRS: [&str; 6] = ["xtask/src", "support/src", "support/tests", "tests/src", "tests/tests", "benches"];

/// Files written by hand whose whitespace is checked.
const TEXT_DIRS: [&str; 8] =
    ["xtask", "support", "tests/src", "tests/tests", "tests/corpus", "benches", "specs", "templates"];

const VENDORS: [&str; 5] = ["parallels", "onlyoffice", "hostway", "stalwart", "outreach"];

fn files_under(dir: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![common::root().join(dir)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(common::root()).unwrap_or(path).display().to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_source_file_says_what_it_is_for() {
    let undocumented: Vec<String> = SOURCE_DIRS
        .iter()
        .flat_map(|dir| files_under(dir, &["rs"]))
        .filter(|path| !read(path).trim_start().starts_with("//!"))
        .map(|path| relative(&path))
        .collect();
    assert!(undocumented.is_empty(), "files without a `//!` doc comment:\n{}", undocumented.join("\n"));
}

/// The generator is vendor-neutral: whatever a vendor needs is spec data (an `x-` extension).
#[test]
fn the_generator_names_no_vendor() {
    let mut hits = Vec::new();
    for path in files_under("xtask/src", &["rs"]) {
        // The benchmark measures one vendor's generated crate by name.
        if path.ends_with("bench.rs") {
            continue;
        }
        for (n, line) in read(&path).lines().enumerate() {
            let lower = line.to_lowercase();
            if VENDORS.iter().any(|vendor| lower.contains(vendor)) {
                hits.push(format!("{}:{}: {line}", relative(&path), n + 1));
            }
        }
    }
    assert!(hits.is_empty(), "vendor names in the generator:\n{}", hits.join("\n"));
}

/// Token streams are compared as tokens or through the model, never as rendered strings, whose
/// spacing is an accident of `quote`.
#[test]
fn emitters_do_not_compare_token_streams_as_strings() {
    let mut hits = Vec::new();
    for path in files_under("xtask/src", &["rs"]) {
        for (n, line) in read(&path).lines().enumerate() {
            if line.contains(".to_string() == \"") || line.contains("to_string().contains(") {
                hits.push(format!("{}:{}: {}", relative(&path), n + 1, line.trim()));
            }
        }
    }
    assert!(hits.is_empty(), "string comparisons of rendered code:\n{}", hits.join("\n"));
}

#[test]
fn no_trailing_whitespace_tabs_or_carriage_returns() {
    let mut hits = Vec::new();
    for dir in TEXT_DIRS {
        for path in files_under(dir, &["rs", "yaml", "yml", "md", "toml", "j2", "py", "txt", "tsv"]) {
            // Tabs separate the columns of a TSV file.
            let tabs_allowed = path.extension().is_some_and(|e| e == "tsv");
            for (n, line) in read(&path).split('\n').enumerate() {
                if line.ends_with([' ', '\r']) || (line.contains('\t') && !tabs_allowed) {
                    hits.push(format!("{}:{}", relative(&path), n + 1));
                }
            }
        }
    }
    assert!(hits.is_empty(), "trailing whitespace, tab or CR at:\n{}", hits.join("\n"));
}
