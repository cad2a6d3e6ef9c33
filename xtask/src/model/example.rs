//! The call a client crate's top-level documentation shows: a real operation of the API that
//! compiles as a doctest with literal arguments only.

use super::{Api, Delivery, Method, ParamLocation, Primitive, SchemeKind, TypeRef};

/// One call of the crate-level example.
#[derive(Debug, Clone, PartialEq)]
pub struct CallExample {
    /// The `Client` method.
    pub method: String,
    /// String literals for its arguments, in order: the operation's (required) path parameters.
    pub args: Vec<String>,
    /// The credentials the operation accepts first, if any.
    pub credentials: Option<SchemeKind>,
    /// The spec name of that scheme (`api_key` takes it).
    pub scheme: Option<String>,
}

impl Api {
    /// A GET whose required parameters are string path parameters (optional ones are setters
    /// the example leaves out), without a required body, with a buffered answer (one path
    /// parameter preferred: it shows how arguments are passed).
    pub fn call_example(&self) -> Option<CallExample> {
        let candidates = self.operations.iter().filter(|op| {
            !op.body.as_ref().is_some_and(|b| b.required)
                && op
                    .params
                    .iter()
                    .filter(|p| !p.presence.is_optional())
                    .all(|p| p.location == ParamLocation::Path && p.ty == TypeRef::Primitive(Primitive::String))
        });
        let (op, method) = candidates
            .filter_map(|op| {
                let m = op.plan.client_methods.iter().find(|m| m.delivery == Delivery::Buffered)?;
                Some((op, m))
            })
            .min_by_key(|(op, _)| {
                let required = op.params.iter().filter(|p| !p.presence.is_optional()).count();
                (op.method != Method::Get, required == 0, required)
            })?;
        let args = op
            .params
            .iter()
            .filter(|p| !p.presence.is_optional())
            .map(|p| {
                let example = p.examples.iter().find_map(|e| e.value.as_str().map(str::to_string));
                example.unwrap_or_else(|| p.field.clone())
            })
            .collect();
        let scheme = op.security.iter().find_map(|alternative| alternative.first());
        let credentials = scheme.and_then(|name| self.security_schemes.iter().find(|s| &s.name == name));
        Some(CallExample {
            method: method.name.clone(),
            args,
            credentials: credentials.map(|s| s.kind.clone()),
            scheme: credentials.map(|s| s.name.clone()),
        })
    }
}

/// Longer examples are left out of type docs: they would bury the fields.
const MAX_EXAMPLE_LINES: usize = 60;

impl Api {
    /// The example that documents named type `name`, pretty-printed, with where it is from:
    /// the schema's own `example`, else the first response example whose body is this type (one
    /// the spec writes: not the smallest body the generator makes up for the mock).
    pub fn type_example(&self, name: &str) -> Option<(String, String)> {
        let own = self.types.iter().find(|t| t.name == name).and_then(|t| t.example.as_ref());
        let (source, value) = match own {
            Some(value) => ("The schema's example".to_string(), value),
            None => self.operations.iter().find_map(|op| {
                op.responses.iter().find_map(|r| {
                    let content =
                        r.contents.iter().find(|c| c.ty.as_ref() == Some(&TypeRef::Named(name.to_string())))?;
                    let example = content.examples.first().filter(|e| !e.synthesized)?;
                    let source = format!(
                        "Example `{}` of the {} response of `{} {}`",
                        example.name,
                        r.status.key(),
                        op.method.as_str(),
                        op.path
                    );
                    Some((source, &example.value))
                })
            })?,
        };
        let json = serde_json::to_string_pretty(value).ok()?;
        (json.lines().count() <= MAX_EXAMPLE_LINES).then_some((source, json))
    }
}
