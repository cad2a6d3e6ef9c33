//! One focused spec per schema feature: `tests/corpus/types/X.yaml` in, `X.rs` out. The `.rs`
//! files are compiled by this crate's `src/lib.rs`, so a snapshot that does not compile fails.

mod common;

use std::path::Path;

use xtask::emit::types::{Enums, module};

fn check(stem: &str, path: &Path) {
    let source = path.to_string_lossy();
    let api = xtask::load_api(&common::root().join(path), &source, stem).unwrap_or_else(|d| panic!("{d}"));
    let text = xtask::write::rust_file(module(&api, Enums::Lenient), &source).unwrap_or_else(|e| panic!("{e}"));
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    let text = format!(
        "// snapshot of {source}: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it\n{body}"
    );
    common::check_file(&path.with_extension("rs"), &text);
}

#[test]
fn every_corpus_spec_matches_its_snapshot() {
    let corpus = common::corpus("types");
    assert!(corpus.len() >= 10, "the corpus went missing");
    for (stem, path) in &corpus {
        check(stem, path);
    }
}

#[test]
fn every_snapshot_is_compiled() {
    let lib = std::fs::read_to_string(common::root().join("tests/src/lib.rs")).expect("tests/src/lib.rs");
    for (stem, _) in common::corpus("types") {
        let include = format!("include!(\"../corpus/types/{stem}.rs\")");
        assert!(
            lib.contains(&include),
            "tests/src/lib.rs must compile {stem}.rs: add `pub mod {stem} {{ {include}; }}`"
        );
    }
}
