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

/// `cargo xtask diff BASE --check-versions` and `--bump` end to end, on a git repository of its
/// own (a temporary directory with one spec, `demo`): an optional parameter added since the
/// commit needs a patch bump of `demo-client` and a minor one of `demo-server`;
/// `--check-versions` fails until `--bump` records them, and the regenerated manifests carry them.
#[test]
fn bump_and_check_versions_on_a_repository_of_their_own() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diff-bump");
    let _ = std::fs::remove_dir_all(&root);
    let case = common::root().join("tests/corpus/diff/parameter_added_optional");
    for dir in ["specs", "templates", "tests/corpus/crates"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for entry in std::fs::read_dir(common::root().join("templates")).unwrap().filter_map(|e| e.ok()) {
        std::fs::copy(entry.path(), root.join("templates").join(entry.file_name())).unwrap();
    }
    std::fs::copy(case.join("old.yaml"), root.join("specs/demo.yaml")).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&root)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "base"]);
    std::fs::copy(case.join("new.yaml"), root.join("specs/demo.yaml")).unwrap();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        xtask::diff::cli::run(&root, &args).map_err(|e| e.to_string())
    };

    let short = run(&["HEAD", "--check-versions"]).expect_err("nothing was bumped yet");
    assert!(short.contains("demo-client is 0.1.0 in specs/versions.json, the changes need at least 0.1.1"), "{short}");
    assert!(short.contains("demo-server is 0.1.0 in specs/versions.json, the changes need at least 0.2.0"), "{short}");

    run(&["HEAD", "--bump"]).expect("--bump writes the record and regenerates");
    let record = std::fs::read_to_string(root.join("specs/versions.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(record, serde_json::json!({"demo-client": "0.1.1", "demo-server": "0.2.0"}));
    for (krate, version) in [("demo-client", "0.1.1"), ("demo-server", "0.2.0")] {
        let manifest = std::fs::read_to_string(root.join("generated").join(krate).join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("version = \"{version}\"")), "{krate}:\n{manifest}");
    }
    run(&["HEAD", "--check-versions"]).expect("bumped enough");
    // Bumping again changes nothing: the versions already satisfy the changes since HEAD.
    run(&["HEAD", "--bump"]).expect("a second --bump");
    assert_eq!(std::fs::read_to_string(root.join("specs/versions.json")).unwrap(), {
        let mut text = serde_json::to_string_pretty(&record).unwrap();
        text.push('\n');
        text
    });
    std::fs::remove_dir_all(&root).unwrap();
}
