//! `$ref` callbacks: an operation's callback that refers to `#/components/callbacks/<name>` is
//! replaced by a copy of it (positions kept), since the model reads callbacks in place. One that
//! does not resolve becomes an empty callback beside its located error, so that every other
//! problem of the spec is still reported with it.

use serde_json::Value;

use super::diagnostic::push_pointer;
use super::yaml::Document;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Inlines every `$ref` callback; returns (pointer, message) for those that do not resolve.
pub fn inline_refs(doc: &mut Document) -> Vec<(String, String)> {
    let components = doc.value.pointer("/components/callbacks").cloned().unwrap_or(Value::Null);
    let mut errors = Vec::new();
    let mut moves = Vec::new();
    let Some(Value::Object(paths)) = doc.value.get_mut("paths") else { return errors };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(Value::Object(callbacks)) = item.get_mut(method).and_then(|op| op.get_mut("callbacks")) else {
                continue;
            };
            let at = push_pointer(&push_pointer(&push_pointer("/paths", path), method), "callbacks");
            for (name, callback) in callbacks.iter_mut() {
                let Some(reference) = callback.get("$ref").and_then(Value::as_str).map(str::to_string) else {
                    continue;
                };
                let here = push_pointer(&at, name);
                let target = reference
                    .strip_prefix("#/components/callbacks/")
                    .map(|n| n.replace("~1", "/").replace("~0", "~"))
                    .and_then(|n| components.get(&n).map(|t| (n, t)));
                match target {
                    Some((target_name, value)) => {
                        *callback = value.clone();
                        moves.push((push_pointer("/components/callbacks", &target_name), here));
                    }
                    None => {
                        *callback = Value::Object(Default::default());
                        errors.push((
                            push_pointer(&here, "$ref"),
                            format!("unresolvable `$ref`: `{reference}` does not exist"),
                        ));
                    }
                }
            }
        }
    }
    for (from, to) in moves {
        doc.copy_positions(&from, &to);
    }
    errors
}
