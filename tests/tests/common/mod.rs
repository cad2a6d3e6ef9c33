//! Helpers shared by the test files.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    xtask::project_root()
}

/// Compares `actual` with the file at `expected` (relative to the root); with `UPDATE_EXPECT=1`
/// rewrites the file instead, like insta's `--accept`.
pub fn check_file(expected: &Path, actual: &str) {
    let path = root().join(expected);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old == actual {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let first = old.lines().zip(actual.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
    panic!(
        "{} is out of date (first difference at line {first}); rerun with UPDATE_EXPECT=1 and review the diff",
        expected.display()
    );
}

/// The corpus specs (YAML or JSON) of one kind (`types`, `errors`), as (stem, path relative to the root).
pub fn corpus(kind: &str) -> Vec<(String, PathBuf)> {
    let dir = root().join("tests/corpus").join(kind);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".json"))?.to_string();
            Some((stem, PathBuf::from("tests/corpus").join(kind).join(name)))
        })
        .collect();
    out.sort();
    out
}
