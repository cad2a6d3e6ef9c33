//! `cargo xtask diff`: one case per kind of change, `tests/corpus/diff/<case>/{old,new}.yaml` in,
//! `report.md` (and, where present, `report.json`) out. `UPDATE_EXPECT=1` rewrites the reports.
//! The Rust predictions in these reports are checked against cargo-semver-checks by
//! `cargo xtask semver-oracle` (run by `cargo xtask test`).

mod common;

use std::path::PathBuf;
use std::process::Command;

fn cases() -> Vec<(String, PathBuf)> {
    let dir = common::root().join("tests/corpus/diff");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.clone(), PathBuf::from("tests/corpus/diff").join(name))
        })
        .collect();
    out.sort();
    out
}

fn check(case: &str, dir: &std::path::Path) {
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    let report = xtask::diff::compare_files(&common::root(), &old.to_string_lossy(), &new.to_string_lossy(), case)
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    assert!(!report.apis[0].changes.is_empty(), "{case}: no change found");
    common::check_file(&dir.join("report.md"), &report.markdown());
    if common::root().join(dir).join("report.json").exists() {
        common::check_file(&dir.join("report.json"), &report.json());
    }
}

#[test]
fn every_diff_case_matches_its_report() {
    let cases = cases();
    assert!(cases.len() >= 10, "the corpus went missing");
    for (case, dir) in &cases {
        check(case, dir);
    }
}

/// The README's table of kinds is the one the classifier uses.
#[test]
fn readme_lists_every_kind_as_classified() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let table = xtask::diff::Kind::table();
    assert!(readme.contains(&table), "README.md's table of changes is out of date; paste in:\n{table}");
}

fn diff(case: &str, fail_on: &str) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let dir = format!("tests/corpus/diff/{case}");
    Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--", "diff", "--fail-on", fail_on])
        .args(["--old", &format!("{dir}/old.yaml"), "--new", &format!("{dir}/new.yaml")])
        .current_dir(common::root())
        .output()
        .expect("cargo runs")
}

#[test]
fn fail_on_breaking_fails_on_breaking_changes_only() {
    let breaking = diff("parameter_added_required", "breaking");
    assert!(!breaking.status.success(), "a required parameter breaks callers");
    assert!(String::from_utf8_lossy(&breaking.stderr).contains("break existing HTTP callers"));
    let additive = diff("parameter_added_optional", "breaking");
    assert!(additive.status.success(), "{}", String::from_utf8_lossy(&additive.stderr));
    assert!(String::from_utf8_lossy(&additive.stdout).contains("parameter-added-optional"));
    assert!(!diff("documentation", "any").status.success(), "--fail-on any fails on any change");
}
