//! The progenitor side of `cargo xtask bench`: not built in this workspace. xtask copies it to
//! `target/bench/progenitor/gen/src/main.rs`, a throwaway project pinned to progenitor 0.15.1.
//!
//! `progenitor-gen SPECS OUT VENDOR...` reads `SPECS/VENDOR.json` (the spec as JSON) and, for each
//! vendor, decides which operations progenitor accepts by running it on each operation alone
//! (a spec with that one operation and the components it reaches), counting both an `Err` and a
//! panic (caught with `catch_unwind`) as a rejection. It then generates positional-style code for
//! all accepted operations together (dropping, one by one, any that fail only in combination),
//! and writes:
//!
//! - `OUT/clients/progenitor-VENDOR/{Cargo.toml,src/lib.rs}`: a crate of that code;
//! - `OUT/specs/VENDOR.accepted.json`: the spec reduced to the accepted operations;
//! - on stdout, one JSON object per vendor: accepted operation ids, rejected ones with the reason.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle};
use serde_json::{Map, Value, json};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [specs, out, vendors @ ..] = args.as_slice() else {
        eprintln!("usage: progenitor-gen SPECS OUT VENDOR...");
        std::process::exit(2);
    };
    // Keep panics quiet: their message becomes the rejection reason.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-string panic payload)".into());
        // `.../registry/src/index.crates.io-HASH/progenitor-impl-0.15.1/src/method.rs` -> from the crate on.
        let at = info
            .location()
            .map(|l| {
                let file = l.file();
                let file = file.find("crates.io-").and_then(|i| file[i..].find('/').map(|j| &file[i + j + 1..])).unwrap_or(file);
                format!(" at {file}:{}", l.line())
            })
            .unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("panic{at}: {message}")));
    }));
    for vendor in vendors {
        let path = Path::new(specs).join(format!("{vendor}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        let report = run(&doc, vendor, Path::new(out));
        println!("{report}");
    }
}

fn fail(message: &str) -> ! {
    eprintln!("progenitor-gen: {message}");
    std::process::exit(1)
}

fn run(doc: &Value, vendor: &str, out: &Path) -> Value {
    let ops = operations(doc);
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    for op in &ops {
        match generate(&subset(doc, std::slice::from_ref(op))) {
            Ok(_) => accepted.push(op.clone()),
            Err(reason) => rejected.push(json!({ "operation": op.2, "reason": reason })),
        }
    }
    let code = match generate(&subset(doc, &accepted)) {
        Ok(code) => code,
        Err(_) => {
            // Accepted alone, rejected together: keep the largest prefix that works.
            let mut kept: Vec<(String, String, String)> = Vec::new();
            for op in accepted {
                let mut trial = kept.clone();
                trial.push(op.clone());
                match generate(&subset(doc, &trial)) {
                    Ok(_) => kept = trial,
                    Err(reason) => rejected.push(json!({ "operation": op.2, "reason": format!("only in combination: {reason}") })),
                }
            }
            accepted = kept;
            generate(&subset(doc, &accepted)).unwrap_or_else(|e| fail(&format!("{vendor}: {e}")))
        }
    };
    let reduced = subset(doc, &accepted);
    write(&out.join(format!("specs/{vendor}.accepted.json")), &serde_json::to_string_pretty(&reduced).unwrap_or_default());
    let krate = out.join(format!("clients/progenitor-{vendor}"));
    write(&krate.join("Cargo.toml"), &manifest(vendor, &code));
    write(&krate.join("src/lib.rs"), &format!("#![allow(warnings, clippy::all)]\n\n{code}"));
    json!({
        "vendor": vendor,
        "operations": ops.len(),
        "accepted": accepted.iter().map(|op| op.2.clone()).collect::<Vec<_>>(),
        "rejected": rejected,
    })
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    }
    std::fs::write(path, text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

/// The dependencies the generated code names, at the versions progenitor 0.15.1 is built with.
fn manifest(vendor: &str, code: &str) -> String {
    let mut deps = vec![
        r#"progenitor-client = "=0.15.1""#,
        r#"reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream"] }"#,
        r#"serde = { version = "1", features = ["derive"] }"#,
        r#"serde_json = "1""#,
    ];
    let optional = [
        ("chrono::", r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#),
        ("uuid::", r#"uuid = { version = "1", features = ["serde"] }"#),
        ("regress::", r#"regress = "0.12""#),
        ("futures::", r#"futures = "0.3""#),
        ("bytes::", r#"bytes = "1""#),
        ("serde_urlencoded::", r#"serde_urlencoded = "0.7""#),
    ];
    deps.extend(optional.iter().filter(|(needle, _)| code.contains(needle)).map(|(_, dep)| *dep));
    format!(
        "[package]\nname = \"progenitor-{vendor}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n",
        deps.join("\n")
    )
}

/// Every operation as (path, method, operationId), in document order.
fn operations(doc: &Value) -> Vec<(String, String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let id = op.get("operationId").and_then(Value::as_str).map(str::to_string);
                ops.push((path.clone(), method.to_string(), id.unwrap_or_else(|| format!("{method} {path}"))));
            }
        }
    }
    ops
}

/// `doc` with only `ops` under `paths`, and only the components those reach.
fn subset(doc: &Value, ops: &[(String, String, String)]) -> Value {
    let mut doc = doc.clone();
    let mut paths = Map::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        let keep: BTreeSet<&str> = ops.iter().filter(|op| &op.0 == path).map(|op| op.1.as_str()).collect();
        if keep.is_empty() {
            continue;
        }
        let item: Map<String, Value> = item
            .iter()
            .filter(|(key, _)| !METHODS.contains(&key.as_str()) || keep.contains(key.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        paths.insert(path.clone(), Value::Object(item));
    }
    doc["paths"] = Value::Object(paths);
    prune_components(&mut doc);
    doc
}

/// Drops every component (other than security schemes) that nothing outside `components` reaches.
fn prune_components(doc: &mut Value) {
    let Some(components) = doc.get("components").cloned() else { return };
    let mut outside = doc.clone();
    if let Some(o) = outside.as_object_mut() {
        o.remove("components");
    }
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut todo = Vec::new();
    refs(&outside, &mut todo);
    while let Some((kind, name)) = todo.pop() {
        if !reached.insert((kind.clone(), name.clone())) {
            continue;
        }
        if let Some(target) = components.get(&kind).and_then(|k| k.get(&name)) {
            refs(target, &mut todo);
        }
    }
    if let Some(kinds) = doc.get_mut("components").and_then(Value::as_object_mut) {
        for (kind, entries) in kinds.iter_mut() {
            if kind == "securitySchemes" || kind.starts_with("x-") {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| reached.contains(&(kind.clone(), name.clone())));
            }
        }
    }
}

/// Every `#/components/KIND/NAME` reference under `value`: `$ref`s, and any other string that is
/// such a pointer (extensions like `x-sse-data` name schemas that way).
fn refs(value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => map.values().for_each(|v| refs(v, out)),
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        Value::String(r) => {
            if let Some(rest) = r.strip_prefix("#/components/") {
                let mut parts = rest.split('/');
                if let (Some(kind), Some(name)) = (parts.next(), parts.next()) {
                    out.push((kind.to_string(), name.replace("~1", "/").replace("~0", "~")));
                }
            }
        }
        _ => {}
    }
}

/// Positional-style progenitor code for `doc`, formatted with prettyplease; an `Err` or a panic
/// of progenitor is the reason it is not accepted.
fn generate(doc: &Value) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone()).map_err(|e| format!("not an OpenAPI document: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings.with_interface(InterfaceStyle::Positional);
    PANIC.with(|p| p.borrow_mut().take());
    let result = catch_unwind(AssertUnwindSafe(|| Generator::new(&settings).generate_tokens(&spec)));
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(format!("error: {e}")),
        Err(_) => return Err(PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panic".into())),
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("output does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
