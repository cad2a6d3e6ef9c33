//! Every structural problem of a document at once, each at its own key.
//!
//! `openapiv3`'s types are deserialized by serde, which stops at the first problem, and whose
//! path is lost inside the flattened and untagged types `openapiv3` uses (extensions, `$ref` or
//! item): a `required: maybe` three levels down was reported once, at `/paths`. This walk
//! follows the same shapes over the JSON tree and reports each value of the wrong type and each
//! missing required member where it is. Leaves (strings, booleans, numbers, enum names) are
//! checked by deserializing them as `openapiv3` does, so the messages are serde's.
//!
//! serde keeps the verdict: `load` runs this walk only when deserializing failed, and keeps
//! serde's own error when the walk finds nothing (a test checks that the two agree on every spec
//! we have and on mutations of them).

use serde::Deserialize;
use serde::de::{IgnoredAny, Unexpected};
use serde_json::{Map, Value};

use super::diagnostic::push_pointer;

type Object = Map<String, Value>;

/// The structural problems of a 3.0-shaped document, as (JSON pointer, message), in document order.
pub fn check(doc: &Value) -> Vec<(String, String)> {
    let mut w = Walk::default();
    root(&mut w, doc, "");
    w.found
}

#[derive(Default)]
struct Walk {
    found: Vec<(String, String)>,
}

impl Walk {
    fn error(&mut self, at: &str, message: impl Into<String>) {
        self.found.push((at.to_string(), message.into()));
    }

    /// `v` as a mapping, or an error naming what was expected.
    fn mapping<'v>(&mut self, v: &'v Value, at: &str, what: &str) -> Option<&'v Object> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.error(at, format!("invalid type: {}, expected {what}", unexpected(other)));
                None
            }
        }
    }

    /// A member `openapiv3` requires.
    fn required(&mut self, m: &Object, at: &str, key: &str, shape: impl Fn(&mut Walk, &Value, &str)) {
        match m.get(key) {
            Some(v) => shape(self, v, &push_pointer(at, key)),
            None => self.error(at, format!("missing field `{key}`")),
        }
    }

    /// A member read as `Option<T>`: absent or `null` is none.
    fn optional(&mut self, m: &Object, at: &str, key: &str, shape: impl Fn(&mut Walk, &Value, &str)) {
        match m.get(key) {
            None | Some(Value::Null) => {}
            Some(v) => shape(self, v, &push_pointer(at, key)),
        }
    }

    /// A member with a default when absent (`null` is not absent: it must have the type).
    fn defaulted(&mut self, m: &Object, at: &str, key: &str, shape: impl Fn(&mut Walk, &Value, &str)) {
        if let Some(v) = m.get(key) {
            shape(self, v, &push_pointer(at, key));
        }
    }

    /// Leaf members of type `T` (each `Option<_>` or defaulted), checked by deserializing them.
    fn leaves<T: for<'de> Deserialize<'de>>(&mut self, m: &Object, at: &str, keys: &[&str]) {
        for key in keys {
            self.defaulted(m, at, key, leaf::<T>);
        }
    }
}

/// A value that must deserialize as `T`.
fn leaf<T: for<'de> Deserialize<'de>>(w: &mut Walk, v: &Value, at: &str) {
    if let Err(e) = T::deserialize(v) {
        w.error(at, e.to_string());
    }
}

/// A sequence whose items have `shape`.
fn list(shape: impl Fn(&mut Walk, &Value, &str)) -> impl Fn(&mut Walk, &Value, &str) {
    move |w, v, at| match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                shape(w, item, &push_pointer(at, &i.to_string()));
            }
        }
        other => w.error(at, format!("invalid type: {}, expected a sequence", unexpected(other))),
    }
}

/// A mapping whose values have `shape`.
fn map(shape: impl Fn(&mut Walk, &Value, &str)) -> impl Fn(&mut Walk, &Value, &str) {
    move |w, v, at| {
        if let Some(m) = w.mapping(v, at, "a map") {
            for (key, value) in m {
                shape(w, value, &push_pointer(at, key));
            }
        }
    }
}

/// `{$ref: string}`, or an item of `shape` (`openapiv3::ReferenceOr`).
fn ref_or(shape: impl Fn(&mut Walk, &Value, &str)) -> impl Fn(&mut Walk, &Value, &str) {
    move |w, v, at| {
        if !v.get("$ref").is_some_and(Value::is_string) {
            shape(w, v, at);
        }
    }
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

type Str = Option<String>;

fn root(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "an OpenAPI document (a map)") else { return };
    w.required(m, at, "openapi", leaf::<String>);
    w.required(m, at, "info", info);
    w.defaulted(m, at, "servers", list(server));
    w.required(m, at, "paths", paths);
    w.optional(m, at, "components", components);
    w.optional(m, at, "security", list(leaf::<openapiv3::SecurityRequirement>));
    w.defaulted(m, at, "tags", list(tag));
    w.optional(m, at, "externalDocs", external_docs);
}

fn info(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "an Info Object") else { return };
    w.required(m, at, "title", leaf::<String>);
    w.required(m, at, "version", leaf::<String>);
    w.leaves::<Str>(m, at, &["description", "termsOfService"]);
    w.optional(m, at, "contact", leaf::<openapiv3::Contact>);
    w.optional(m, at, "license", |w, v, at| {
        let Some(m) = w.mapping(v, at, "a License Object") else { return };
        w.required(m, at, "name", leaf::<String>);
        w.leaves::<Str>(m, at, &["url"]);
    });
}

fn server(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Server Object") else { return };
    w.required(m, at, "url", leaf::<String>);
    w.leaves::<Str>(m, at, &["description"]);
    w.optional(
        m,
        at,
        "variables",
        map(|w, v, at| {
            let Some(m) = w.mapping(v, at, "a Server Variable Object") else { return };
            w.required(m, at, "default", leaf::<String>);
            w.leaves::<Vec<String>>(m, at, &["enum"]);
            w.leaves::<Str>(m, at, &["description"]);
        }),
    );
}

fn external_docs(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "an External Documentation Object") else { return };
    w.required(m, at, "url", leaf::<String>);
    w.leaves::<Str>(m, at, &["description"]);
}

fn tag(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Tag Object") else { return };
    w.required(m, at, "name", leaf::<String>);
    w.leaves::<Str>(m, at, &["description"]);
    w.optional(m, at, "externalDocs", external_docs);
}

/// Only keys starting with `/` are paths; the others are ignored (extensions among them).
fn paths(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Paths Object (a map)") else { return };
    for (path, item) in m.iter().filter(|(k, _)| k.starts_with('/')) {
        ref_or(path_item)(w, item, &push_pointer(at, path));
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn path_item(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Path Item Object") else { return };
    w.leaves::<Str>(m, at, &["summary", "description"]);
    for method in METHODS {
        w.optional(m, at, method, operation);
    }
    w.defaulted(m, at, "servers", list(server));
    w.defaulted(m, at, "parameters", list(ref_or(parameter)));
}

fn operation(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "an Operation Object") else { return };
    w.leaves::<Vec<String>>(m, at, &["tags"]);
    w.leaves::<Str>(m, at, &["summary", "description", "operationId"]);
    w.leaves::<bool>(m, at, &["deprecated"]);
    w.optional(m, at, "externalDocs", external_docs);
    w.defaulted(m, at, "parameters", list(ref_or(parameter)));
    w.optional(m, at, "requestBody", ref_or(request_body));
    w.required(m, at, "responses", responses);
    w.defaulted(m, at, "callbacks", map(callback));
    w.optional(m, at, "security", list(leaf::<openapiv3::SecurityRequirement>));
    w.defaulted(m, at, "servers", list(server));
}

fn callback(w: &mut Walk, v: &Value, at: &str) {
    map(path_item)(w, v, at)
}

/// `default` and every key that reads as a status code (`200`, `4XX`); other keys are ignored.
fn responses(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Responses Object (a map)") else { return };
    w.optional(m, at, "default", ref_or(response));
    for (status, r) in m {
        if openapiv3::StatusCode::deserialize(&Value::String(status.clone())).is_ok() {
            ref_or(response)(w, r, &push_pointer(at, status));
        }
    }
}

fn response(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Response Object") else { return };
    w.required(m, at, "description", leaf::<String>);
    w.defaulted(m, at, "headers", map(ref_or(header)));
    w.defaulted(m, at, "content", map(media_type));
    w.defaulted(m, at, "links", map(ref_or(link)));
}

fn request_body(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Request Body Object") else { return };
    w.leaves::<Str>(m, at, &["description"]);
    w.leaves::<bool>(m, at, &["required"]);
    w.defaulted(m, at, "content", map(media_type));
}

fn media_type(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Media Type Object") else { return };
    w.optional(m, at, "schema", ref_or(schema));
    w.defaulted(m, at, "examples", map(ref_or(example)));
    w.defaulted(
        m,
        at,
        "encoding",
        map(|w, v, at| {
            let Some(m) = w.mapping(v, at, "an Encoding Object") else { return };
            w.leaves::<Str>(m, at, &["contentType"]);
            w.defaulted(m, at, "headers", map(ref_or(header)));
            w.leaves::<Option<openapiv3::QueryStyle>>(m, at, &["style"]);
            w.leaves::<bool>(m, at, &["explode", "allowReserved"]);
        }),
    );
}

fn example(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "an Example Object") else { return };
    w.leaves::<Str>(m, at, &["summary", "description", "externalValue"]);
}

fn link(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Link Object") else { return };
    w.leaves::<Str>(m, at, &["description"]);
    one_of(w, m, at, &["operationRef", "operationId"], leaf::<String>);
    w.defaulted(m, at, "parameters", leaf::<Object>);
    w.optional(m, at, "server", server);
}

/// Exactly one of `keys` selects the variant of a flattened enum: serde reads the first present.
fn one_of(w: &mut Walk, m: &Object, at: &str, keys: &[&str], shape: impl Fn(&mut Walk, &Value, &str)) {
    match m.iter().find(|(k, _)| keys.contains(&k.as_str())) {
        Some((key, v)) => shape(w, v, &push_pointer(at, key)),
        None => {
            let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            w.error(at, format!("missing field {}", names.join(" or ")))
        }
    }
}

/// The `schema` or `content` of a parameter or header.
fn schema_or_content(w: &mut Walk, m: &Object, at: &str) {
    one_of(w, m, at, &["schema", "content"], |w, v, at| match at.ends_with("/schema") {
        true => ref_or(schema)(w, v, at),
        false => map(media_type)(w, v, at),
    });
}

fn header(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Header Object") else { return };
    w.leaves::<Str>(m, at, &["description"]);
    w.leaves::<openapiv3::HeaderStyle>(m, at, &["style"]);
    w.leaves::<bool>(m, at, &["required"]);
    w.leaves::<Option<bool>>(m, at, &["deprecated"]);
    schema_or_content(w, m, at);
    w.defaulted(m, at, "examples", map(ref_or(example)));
}

/// Where a parameter is (`in`), which decides its `style`s.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum In {
    Query,
    Header,
    Path,
    Cookie,
}

fn parameter(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Parameter Object") else { return };
    w.required(m, at, "name", leaf::<String>);
    w.leaves::<Str>(m, at, &["description"]);
    w.leaves::<bool>(m, at, &["required"]);
    w.leaves::<Option<bool>>(m, at, &["deprecated", "explode"]);
    schema_or_content(w, m, at);
    w.defaulted(m, at, "examples", map(ref_or(example)));
    match m.get("in").map(In::deserialize) {
        None => w.error(at, "missing field `in`"),
        Some(Err(e)) => w.error(&push_pointer(at, "in"), e.to_string()),
        Some(Ok(In::Query)) => {
            w.leaves::<openapiv3::QueryStyle>(m, at, &["style"]);
            w.leaves::<bool>(m, at, &["allowReserved"]);
            w.leaves::<Option<bool>>(m, at, &["allowEmptyValue"]);
        }
        Some(Ok(In::Header)) => w.leaves::<openapiv3::HeaderStyle>(m, at, &["style"]),
        Some(Ok(In::Path)) => w.leaves::<openapiv3::PathStyle>(m, at, &["style"]),
        Some(Ok(In::Cookie)) => w.leaves::<openapiv3::CookieStyle>(m, at, &["style"]),
    }
}

fn components(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Components Object") else { return };
    w.defaulted(m, at, "schemas", map(ref_or(schema)));
    w.defaulted(m, at, "responses", map(ref_or(response)));
    w.defaulted(m, at, "parameters", map(ref_or(parameter)));
    w.defaulted(m, at, "examples", map(ref_or(example)));
    w.defaulted(m, at, "requestBodies", map(ref_or(request_body)));
    w.defaulted(m, at, "headers", map(ref_or(header)));
    w.defaulted(m, at, "securitySchemes", map(ref_or(leaf::<openapiv3::SecurityScheme>)));
    w.defaulted(m, at, "links", map(ref_or(link)));
    w.defaulted(m, at, "callbacks", map(ref_or(callback)));
}

fn schema(w: &mut Walk, v: &Value, at: &str) {
    let Some(m) = w.mapping(v, at, "a Schema Object") else { return };
    w.leaves::<bool>(m, at, &["nullable", "readOnly", "writeOnly", "deprecated"]);
    w.optional(m, at, "externalDocs", external_docs);
    w.leaves::<Str>(m, at, &["title", "description", "type", "pattern", "format"]);
    w.optional(m, at, "discriminator", leaf::<openapiv3::Discriminator>);
    w.leaves::<Option<serde_json::Number>>(m, at, &["multipleOf", "minimum", "maximum"]);
    w.leaves::<Option<bool>>(m, at, &["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"]);
    let counts = ["minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength"];
    w.leaves::<Option<usize>>(m, at, &counts);
    w.leaves::<Option<Vec<String>>>(m, at, &["required"]);
    w.leaves::<Option<Vec<IgnoredAny>>>(m, at, &["enum"]);
    w.optional(m, at, "properties", map(ref_or(schema)));
    w.optional(m, at, "additionalProperties", |w, v, at| {
        if !v.is_boolean() {
            ref_or(schema)(w, v, at);
        }
    });
    w.optional(m, at, "items", ref_or(schema));
    for key in ["oneOf", "allOf", "anyOf"] {
        w.optional(m, at, key, list(ref_or(schema)));
    }
    w.optional(m, at, "not", ref_or(schema));
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn check_text(yaml: &str) -> Vec<(String, String)> {
        check(&crate::spec::yaml::parse(yaml).unwrap().value)
    }

    #[test]
    fn each_problem_at_its_key() {
        let found = check_text(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, in: query, required: maybe, schema: {type: string}}\n      responses: {'200': {description: 5}}\n  /b:\n    get: {operationId: b}\n",
        );
        let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            ["/paths/~1a/get/parameters/0/required", "/paths/~1a/get/responses/200/description", "/paths/~1b/get"]
        );
        assert_eq!(found[2].1, "missing field `responses`");
    }

    /// A document as `load` has it before deserializing: parsed, 3.1 normalised.
    fn normalised(path: &Path) -> Option<Value> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut doc = super::super::parse_document(&text, path).ok()?;
        if super::super::check_version(&doc).ok()? == super::super::Version::V31 {
            super::super::openapi31::normalize(&mut doc);
        }
        Some(doc.value)
    }

    /// The walk and serde agree: the walk finds a problem exactly when serde refuses the document.
    fn agree(doc: &Value, what: &str, disagreements: &mut Vec<String>) {
        let serde = openapiv3::OpenAPI::deserialize(doc).err();
        let found = check(doc);
        if serde.is_none() != found.is_empty() {
            disagreements.push(format!("{what}: serde: {serde:?}, walk: {found:?}"));
        }
    }

    fn specs() -> Vec<PathBuf> {
        let root = crate::project_root();
        let mut dirs = vec![
            root.join("specs"),
            root.join("../shared/corpus/openapi-3.0"),
            root.join("../shared/corpus/openapi-3.1"),
        ];
        for kind in ["types", "errors", "crates"] {
            dirs.push(root.join("tests/corpus").join(kind));
        }
        let mut out = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "yaml" || x == "json") {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    }

    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| pointers(v, push_pointer(&at, k), out)),
            Value::Array(a) => {
                a.iter().enumerate().for_each(|(i, v)| pointers(v, push_pointer(&at, &i.to_string()), out))
            }
            _ => {}
        }
        out.push(at);
    }

    /// Every spec we have, and mutations of the smaller ones (each node replaced by a value of
    /// each JSON type, or removed): serde's verdict is the oracle.
    #[test]
    fn agrees_with_openapiv3_on_every_spec_and_mutations() {
        let replacements = [
            Value::Null,
            Value::from("x"),
            Value::from(7),
            Value::from(-1.5),
            Value::from(true),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!(["#/r"]),
        ];
        let mut mutations = 0;
        let mut disagreements = Vec::new();
        for path in specs() {
            let Some(doc) = normalised(&path) else { continue };
            agree(&doc, &path.display().to_string(), &mut disagreements);
            if doc.to_string().len() > 30_000 {
                continue;
            }
            let mut all = Vec::new();
            pointers(&doc, String::new(), &mut all);
            all.pop(); // the root
            // At most ~60 nodes of each spec, spread over it.
            let stride = all.len().div_ceil(60).max(1);
            for pointer in all.iter().step_by(stride) {
                for replacement in replacements.iter().map(Some).chain([None]) {
                    let mut doc = doc.clone();
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    let key = key.replace("~1", "/").replace("~0", "~");
                    match (doc.pointer_mut(parent).unwrap(), replacement) {
                        (Value::Object(m), Some(r)) => {
                            m.insert(key, r.clone());
                        }
                        (Value::Object(m), None) => {
                            m.shift_remove(&key);
                        }
                        (Value::Array(a), Some(r)) => a[key.parse::<usize>().unwrap()] = r.clone(),
                        (Value::Array(a), None) => {
                            a.remove(key.parse::<usize>().unwrap());
                        }
                        _ => unreachable!(),
                    }
                    agree(&doc, &format!("{} with {pointer} = {replacement:?}", path.display()), &mut disagreements);
                    mutations += 1;
                }
            }
        }
        assert!(mutations > 1000, "only {mutations} mutations");
        let n = disagreements.len();
        disagreements.truncate(40);
        assert!(n == 0, "{n} disagreements, the first:\n{}", disagreements.join("\n"));
    }
}
