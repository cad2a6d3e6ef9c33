//! `tests/examples.rs` of a client crate: every documented JSON example round-trips through its
//! generated type; an example marked `x-skip-round-trip` is an ignored test that says why.

use std::cell::Cell;
use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use super::test_values::{compact, inner_doc, raw_str, type_path};
use crate::model::{Api, Operation, Side};

/// `tests/examples.rs` of a client crate.
pub fn module(api: &Api) -> TokenStream {
    let krate = ident(&api.lib_name(Side::Client));
    let uses_types = Cell::new(false);
    let mut seen = BTreeSet::new();
    let mut tests = Vec::new();
    let mut skipped = Vec::new();
    for op in &api.operations {
        let mut checks = Vec::new();
        for (place, check, example) in round_trips(op, &uses_types, &mut seen) {
            let Some(why) = &example.skip_round_trip else {
                checks.push(check);
                continue;
            };
            let found = op.plan.skipped_example_tests.iter().find(|(p, e, _)| *p == place && *e == example.name);
            let Some((_, _, name)) = found else { continue };
            let name = ident(name);
            skipped.push(format!("- {} {place} `{}`: {why}", op.operation_id, example.name));
            tests.push(quote! {
                #[test]
                #[ignore = #why]
                fn #name() {
                    #check
                }
            });
        }
        if !checks.is_empty() {
            let name = ident(&op.plan.examples_test);
            tests.push(quote! {
                #[test]
                fn #name() {
                    #(#checks)*
                }
            });
        }
    }
    let doc = inner_doc(&file_doc(api, &skipped, tests.is_empty()));
    let helpers = (!tests.is_empty()).then(helpers);
    let types_import = uses_types.get().then(|| quote! { use #krate::types; });
    quote! {
        #doc
        #types_import
        #helpers
        #(#tests)*
    }
}

/// The round-trip checks of an operation's JSON examples that have a schema, with where each
/// example is; an example already checked (same type, same JSON) is left out.
fn round_trips<'a>(
    op: &'a Operation,
    uses_types: &Cell<bool>,
    seen: &mut BTreeSet<(String, String)>,
) -> Vec<(String, TokenStream, &'a crate::model::Example)> {
    let mut out = Vec::new();
    for (place, content) in op.json_contents() {
        // Without a schema the body is a `serde_json::Value`: nothing to check.
        let Some(ty) = content.ty.as_ref().filter(|_| !content.examples.is_empty()) else { continue };
        let rust = type_path(ty, uses_types);
        for example in &content.examples {
            let json = compact(&example.value);
            if !seen.insert((rust.to_string(), json.clone())) {
                continue;
            }
            let label = Literal::string(&format!("{place} `{}`", example.name));
            let json = raw_str(&json);
            // Literals bound first: a call with long arguments would be broken over several lines.
            let check = quote! {
                let name = #label;
                let json = #json;
                round_trip::<#rust>(name, json);
            };
            out.push((place.clone(), check, example));
        }
    }
    out
}

fn file_doc(api: &Api, skipped: &[String], empty: bool) -> String {
    let mut doc = format!(
        "Every documented JSON example of {} (request bodies and responses, success and error) \
         deserializes into its generated type in strict mode (a member the type does not declare fails) and serializes back to the same JSON.\n\n\
         One test per operation, one line per example; an example shared by several operations is \
         checked at the first. Numbers compare by value, as JSON Schema compares them: a `number` \
         field is an `f64`, which writes the example's `2` back as `2.0`.",
        api.title
    );
    if !skipped.is_empty() {
        doc.push_str("\n\nSkipped (an ignored test each, `x-skip-round-trip` in the spec):\n\n");
        doc.push_str(&skipped.join("\n"));
    }
    if empty {
        doc.push_str("\n\nThe spec documents no JSON example with a schema, so there is nothing to check.");
    }
    doc
}

fn helpers() -> TokenStream {
    quote! {
        use serde::Serialize;
        use serde::de::DeserializeOwned;
        use serde_json::Value;

        /// `json`, the example `name`, deserializes into `T` in strict mode (every member declared)
        /// and serializes back to equal JSON.
        #[track_caller]
        fn round_trip<T: DeserializeOwned + Serialize>(name: &str, json: &str) {
            let ty = std::any::type_name::<T>();
            let example: Value = serde_json::from_str(json).unwrap_or_else(|err| panic!("{name}: not JSON: {err}"));
            let (typed, undeclared): (T, _) = mailapi_support::undeclared::from_value(example.clone())
                .unwrap_or_else(|err| panic!("{name}: does not deserialize into `{ty}`: {err}"));
            assert!(undeclared.is_empty(), "{name}: members `{ty}` does not declare: {undeclared:?}");
            let back = serde_json::to_value(&typed).unwrap_or_else(|err| panic!("{name}: does not serialize: {err}"));
            assert_eq!(numbers_by_value(back), numbers_by_value(example), "{name}: the round trip through `{ty}` changed the JSON");
        }

        /// `value` with every whole floating-point number written as an integer (`2.0` as `2`).
        fn numbers_by_value(value: Value) -> Value {
            match value {
                Value::Number(n) => match n.as_f64() {
                    Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
                    _ => Value::Number(n),
                },
                Value::Array(items) => Value::Array(items.into_iter().map(numbers_by_value).collect()),
                Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, numbers_by_value(v))).collect()),
                other => other,
            }
        }
    }
}
