//! The specs against the documents: every documented operation present, and a real external
//! validator (openapi-spec-validator, plus every example against its schema) passing.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use heck::ToLowerCamelCase;

const COUNTED_KINDS: [&str; 3] = ["documented", "inferred-path", "by-convention"];

/// `/a/{x}/b` and `a/{y}/b` name the same route.
fn route(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.trim_start_matches('/').chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    format!("/{out}")
}

#[test]
fn every_documented_operation_is_in_its_spec() {
    let root = common::root();
    let tsv =
        std::fs::read_to_string(root.join("specs/documented-operations.tsv")).expect("specs/documented-operations.tsv");
    let mut apis = BTreeMap::new();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [vendor, method, path, name, _, kind] = cols[..] else { panic!("bad row: {line}") };
        if !COUNTED_KINDS.contains(&kind) {
            continue;
        }
        let api = apis.entry(vendor.to_string()).or_insert_with(|| {
            let source = format!("specs/{vendor}.yaml");
            xtask::load_api(&root.join(&source), &source, vendor).unwrap_or_else(|d| panic!("{d}"))
        });
        let id = name.to_lower_camel_case();
        let hit = api.operations.iter().find(|op| op.operation_id == id);
        match hit {
            Some(op) if op.method.as_str() == method && route(&op.path) == route(path) => {
                *found.entry(vendor.to_string()).or_default() += 1;
            }
            Some(op) => missing.push(format!(
                "{vendor} {id}: spec has {} {}, documents say {method} {path}",
                op.method.as_str(),
                op.path
            )),
            None => missing.push(format!("{vendor} {method} {path}: no operation `{id}`")),
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    let expected = BTreeMap::from([
        ("hostway".to_string(), 59),
        ("onlyoffice".to_string(), 1),
        ("outreach".to_string(), 7),
        ("parallels-ras".to_string(), 2),
        ("stalwart".to_string(), 60),
    ]);
    assert_eq!(found, expected);
    assert_eq!(found.values().sum::<usize>(), 129);
}

#[test]
fn specs_pass_the_external_validator_and_every_example_validates() {
    let python = std::env::var("SPEC_VALIDATOR_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg("tests/validate_specs.py")
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{python}`: {e}; `cargo xtask test` sets up the validator"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("ModuleNotFoundError") {
        panic!(
            "openapi-spec-validator is not installed for `{python}`: run the tests with `cargo xtask test`, which installs it"
        );
    }
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("5 specs checked, 0 problems"), "{stdout}");
}
