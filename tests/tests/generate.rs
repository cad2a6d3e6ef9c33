//! `cargo xtask generate` runs the whole pipeline on a spec outside `specs/`.

use std::path::Path;
use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(xtask::project_root())
        .output()
        .expect("cargo runs")
}

#[test]
fn generate_writes_both_crates_for_a_user_spec() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_string_lossy();
    let run = xtask(&["generate", "--spec", "tests/corpus/types/inline.yaml", "--out", &out_arg, "--name", "demo"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for file in ["demo-client/Cargo.toml", "demo-client/src/client.rs", "demo-client/src/types.rs", "demo-server/src/server.rs", "demo-server/src/mock.rs"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains("from tests/corpus/types/inline.yaml, do not edit"), "{file} lacks the header");
    }
    let client = std::fs::read_to_string(out.join("demo-client/src/client.rs")).unwrap();
    assert!(client.contains("pub async fn get_thing("), "{client}");
    let manifest = std::fs::read_to_string(out.join("demo-client/Cargo.toml")).unwrap();
    assert!(manifest.contains("mailapi-support = { path = \""), "{manifest}");
}

#[test]
fn a_broken_spec_fails_with_located_errors_and_no_panic() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-broken");
    let run = xtask(&["generate", "--spec", "tests/corpus/errors/dangling_ref.yaml", "--out", &out.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("tests/corpus/errors/dangling_ref.yaml:12:11: /components/schemas/A/properties/b/$ref: unresolvable"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing is written for a broken spec");
}
