//! OpenAPI 3.1 to the OpenAPI 3.0 shape the rest of the generator reads.
//!
//! 3.1 differs from 3.0 mostly in its schema dialect (JSON Schema 2020-12). Each 3.1 construct
//! with a 3.0 equivalent is rewritten in place in the JSON tree (`type: [T, "null"]` becomes
//! `type: T, nullable: true`, `const` becomes a one-value `enum`, ...), keeping the positions of
//! the nodes, so the diagnostics of later stages point into the file as written. What has no
//! 3.0 equivalent is a located error naming the construct.

use serde_json::{Map, Value, json};

use super::diagnostic::{Severity, push_pointer};
use super::yaml::Document;

/// Keywords of JSON Schema 2020-12 without an OpenAPI 3.0 equivalent.
const UNSUPPORTED: &[&str] = &[
    "prefixItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
    "unevaluatedProperties",
    "unevaluatedItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "$defs",
    "$id",
    "$anchor",
    "$vocabulary",
];

/// Annotations that say nothing about the Rust type.
const DROPPED: &[&str] = &["$schema", "$comment", "contentMediaType", "contentSchema"];

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Rewrites a 3.1 document; returns what it could not read as (severity, pointer, message).
pub fn normalize(doc: &mut Document) -> Vec<(Severity, String, String)> {
    let mut n = Normalizer { found: Vec::new(), moves: Vec::new() };
    let mut value = std::mem::take(&mut doc.value);
    if let Value::Object(root) = &mut value {
        n.root(root);
    }
    doc.value = value;
    for (from, to) in n.moves {
        doc.copy_positions(&from, &to);
    }
    n.found
}

struct Normalizer {
    found: Vec<(Severity, String, String)>,
    /// Subtrees that moved or were copied, as (old pointer, new pointer).
    moves: Vec<(String, String)>,
}

impl Normalizer {
    fn error(&mut self, pointer: &str, message: String) {
        self.found.push((Severity::Error, pointer.to_string(), message));
    }

    fn warn(&mut self, pointer: &str, message: String) {
        self.found.push((Severity::Warning, pointer.to_string(), message));
    }

    fn root(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".into(), json!("3.0.3"));
        root.remove("jsonSchemaDialect");
        let path_items = match root.get_mut("components") {
            Some(Value::Object(c)) => c.remove("pathItems"),
            _ => None,
        };
        let path_items = match path_items {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        // Webhooks are path items keyed by name; the model reads them as the receiver's operations.
        for section in ["paths", "webhooks"] {
            let items = match section {
                "paths" => root.entry("paths").or_insert_with(|| json!({})),
                _ => match root.get_mut(section) {
                    Some(items) => items,
                    None => continue,
                },
            };
            let Value::Object(items) = items else { continue };
            for (key, item) in items.iter_mut() {
                let at = push_pointer(&format!("/{section}"), key);
                self.inline_path_item(&at, item, &path_items);
                self.path_item(&at, item);
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            self.components(components);
        }
    }

    /// A `$ref` to `#/components/pathItems/<name>` is replaced by a copy of the item.
    fn inline_path_item(&mut self, at: &str, item: &mut Value, path_items: &Map<String, Value>) {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else { return };
        let Some(name) = reference.strip_prefix("#/components/pathItems/") else { return };
        let name = name.replace("~1", "/").replace("~0", "~");
        match path_items.get(&name) {
            Some(target) => {
                *item = target.clone();
                self.moves.push((push_pointer("/components/pathItems", &name), at.to_string()));
            }
            None => self.error(&push_pointer(at, "$ref"), format!("unresolvable `$ref`: `{reference}` does not exist")),
        }
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        for (section, kind) in [
            ("schemas", Kind::Schema),
            ("parameters", Kind::Parameter),
            ("headers", Kind::Parameter),
            ("requestBodies", Kind::Body),
            ("responses", Kind::Response),
        ] {
            let Some(Value::Object(entries)) = components.get_mut(section) else { continue };
            for (name, value) in entries.iter_mut() {
                let at = push_pointer(&format!("/components/{section}"), name);
                match kind {
                    Kind::Schema => self.schema(&at, value),
                    Kind::Parameter => self.parameter(&at, value),
                    Kind::Body => self.content(&at, value),
                    Kind::Response => self.response(&at, value),
                }
            }
        }
    }

    fn path_item(&mut self, at: &str, item: &mut Value) {
        let Value::Object(item) = item else { return };
        self.parameters(at, item);
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else { continue };
            let at = push_pointer(at, method);
            // 3.1 makes `responses` optional; the model reads "none" the same either way.
            op.entry("responses").or_insert_with(|| json!({}));
            self.parameters(&at, op);
            if let Some(body) = op.get_mut("requestBody") {
                self.content(&push_pointer(&at, "requestBody"), body);
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                for (status, response) in responses.iter_mut() {
                    self.response(&push_pointer(&push_pointer(&at, "responses"), status), response);
                }
            }
            // A callback is a map from runtime expression to path item.
            if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
                for (name, callback) in callbacks.iter_mut() {
                    let Value::Object(expressions) = callback else { continue };
                    let here = push_pointer(&push_pointer(&at, "callbacks"), name);
                    for (expression, item) in expressions.iter_mut() {
                        self.path_item(&push_pointer(&here, expression), item);
                    }
                }
            }
        }
    }

    fn parameters(&mut self, at: &str, owner: &mut Map<String, Value>) {
        let Some(Value::Array(list)) = owner.get_mut("parameters") else { return };
        for (i, p) in list.iter_mut().enumerate() {
            self.parameter(&push_pointer(&push_pointer(at, "parameters"), &i.to_string()), p);
        }
    }

    /// A parameter or header: its `schema`, or the schemas of its `content`.
    fn parameter(&mut self, at: &str, p: &mut Value) {
        if let Some(schema) = p.get_mut("schema") {
            self.schema(&push_pointer(at, "schema"), schema);
        }
        self.content(at, p);
    }

    fn response(&mut self, at: &str, r: &mut Value) {
        self.content(at, r);
        let Some(Value::Object(headers)) = r.get_mut("headers") else { return };
        for (name, h) in headers.iter_mut() {
            self.parameter(&push_pointer(&push_pointer(at, "headers"), name), h);
        }
    }

    /// The schema of each media type under `content`.
    fn content(&mut self, at: &str, owner: &mut Value) {
        let Some(Value::Object(content)) = owner.get_mut("content") else { return };
        for (media_type, media) in content.iter_mut() {
            let here = push_pointer(&push_pointer(at, "content"), media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.schema(&push_pointer(&here, "schema"), schema);
            }
        }
    }

    fn schema(&mut self, at: &str, schema: &mut Value) {
        let obj = match schema {
            Value::Bool(true) => {
                *schema = json!({});
                return;
            }
            Value::Object(obj) => obj,
            Value::Bool(false) => {
                self.error(at, "a `false` schema (no value is valid) is not supported by this generator".into());
                return;
            }
            _ => {
                self.error(at, "a schema must be a mapping".into());
                return;
            }
        };
        self.content_media_type(at, obj);
        for key in DROPPED {
            obj.remove(*key);
        }
        for key in UNSUPPORTED {
            if obj.contains_key(*key) {
                self.error(
                    &push_pointer(at, key),
                    format!("`{key}` (JSON Schema 2020-12) is not supported by this generator"),
                );
            }
        }
        self.ref_siblings(at, obj);
        self.type_array(at, obj);
        self.null_member(at, obj);
        if let Some(value) = obj.remove("const") {
            if !obj.contains_key("enum") {
                obj.insert("enum".into(), Value::Array(vec![value]));
                self.moves.push((push_pointer(at, "const"), push_pointer(&push_pointer(at, "enum"), "0")));
            }
        }
        if let Some(examples) = obj.remove("examples") {
            if let (Value::Array(list), false) = (&examples, obj.contains_key("example")) {
                if let Some(first) = list.first() {
                    obj.insert("example".into(), first.clone());
                    self.moves.push((push_pointer(&push_pointer(at, "examples"), "0"), push_pointer(at, "example")));
                }
            }
        }
        for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(Value::Number(n)) = obj.get(exclusive).cloned() {
                obj.insert(bound.into(), Value::Number(n));
                obj.insert(exclusive.into(), Value::Bool(true));
                self.moves.push((push_pointer(at, exclusive), push_pointer(at, bound)));
            }
        }
        self.content_encoding(at, obj);
        self.subschemas(at, obj);
    }

    /// 3.1 applies the siblings of `$ref`: `{$ref, description}` reads as
    /// `{allOf: [{$ref}], description}`, which 3.0 means the same way. A warning names each
    /// sibling, as 3.0's ignored ones are named: the same spec reads differently by version.
    fn ref_siblings(&mut self, at: &str, obj: &mut Map<String, Value>) {
        if obj.len() < 2 {
            return;
        }
        let Some(reference) = obj.remove("$ref") else { return };
        for key in obj.keys() {
            let message = format!("`{key}` beside `$ref` is applied (OpenAPI 3.1): read as `allOf: [$ref]` with it");
            self.found.push((Severity::Warning, push_pointer(at, key), message));
        }
        obj.insert("allOf".into(), json!([{ "$ref": reference }]));
        self.moves.push((push_pointer(at, "$ref"), format!("{at}/allOf/0/$ref")));
    }

    /// `type: [T, "null"]` is `type: T, nullable: true`.
    fn type_array(&mut self, at: &str, obj: &mut Map<String, Value>) {
        let types: Vec<String> = match obj.get("type") {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if nullable {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        match rest.as_slice() {
            [one] => {
                obj.insert("type".into(), Value::String(one.to_string()));
            }
            [] => {
                obj.remove("type");
            }
            several => {
                let names: Vec<&str> = several.iter().map(|s| s.as_str()).collect();
                let message = format!("a value of several types ({}) is read as any JSON value", names.join(", "));
                self.warn(&push_pointer(at, "type"), message);
                obj.remove("type");
            }
        }
    }

    /// `anyOf`/`oneOf` with a `{type: "null"}` member: the other members, nullable.
    fn null_member(&mut self, at: &str, obj: &mut Map<String, Value>) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = obj.get(key) else { continue };
            let is_null = |m: &Value| {
                m.get("type").and_then(Value::as_str) == Some("null") || m.get("type") == Some(&json!(["null"]))
            };
            let Some(index) = members.iter().position(is_null) else { continue };
            let mut members = members.clone();
            members.remove(index);
            obj.insert("nullable".into(), Value::Bool(true));
            let list = push_pointer(at, key);
            for i in index..members.len() {
                self.moves.push((push_pointer(&list, &(i + 1).to_string()), push_pointer(&list, &i.to_string())));
            }
            if members.len() == 1 && !obj.contains_key("allOf") {
                obj.remove(key);
                obj.insert("allOf".into(), Value::Array(members));
                self.moves.push((format!("{list}/0"), format!("{at}/allOf/0")));
            } else {
                obj.insert(key.into(), Value::Array(members));
            }
        }
    }

    /// A string of raw content (`contentMediaType` without `contentEncoding`) is what 3.0 wrote
    /// as `format: binary`: bytes as a whole body, a file part in a multipart body, whose
    /// default `Content-Type` the media type stays as (`x-content-media-type`).
    fn content_media_type(&mut self, at: &str, obj: &mut Map<String, Value>) {
        let Some(media) = obj.get("contentMediaType").cloned() else { return };
        if obj.contains_key("contentEncoding") || obj.get("type") != Some(&json!("string")) {
            return;
        }
        let from = push_pointer(at, "contentMediaType");
        if !obj.contains_key("format") {
            obj.insert("format".into(), json!("binary"));
            self.moves.push((from.clone(), push_pointer(at, "format")));
        }
        obj.insert("x-content-media-type".into(), media);
        self.moves.push((from, push_pointer(at, "x-content-media-type")));
    }

    fn content_encoding(&mut self, at: &str, obj: &mut Map<String, Value>) {
        let Some(encoding) = obj.remove("contentEncoding") else { return };
        match encoding.as_str() {
            Some("base64" | "base64url") if !obj.contains_key("format") => {
                obj.insert("format".into(), json!("byte"));
                self.moves.push((push_pointer(at, "contentEncoding"), push_pointer(at, "format")));
            }
            Some("base64" | "base64url") => {}
            _ => self.warn(
                &push_pointer(at, "contentEncoding"),
                format!("`contentEncoding: {encoding}` is ignored: the value is read as a string"),
            ),
        }
    }

    fn subschemas(&mut self, at: &str, obj: &mut Map<String, Value>) {
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub @ (Value::Object(_) | Value::Bool(true))) = obj.get_mut(key) {
                if key == "additionalProperties" && sub.is_boolean() {
                    continue;
                }
                self.schema(&push_pointer(at, key), sub);
            }
        }
        if let Some(Value::Object(props)) = obj.get_mut("properties") {
            for (name, sub) in props.iter_mut() {
                self.schema(&push_pointer(&push_pointer(at, "properties"), name), sub);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(list)) = obj.get_mut(key) {
                for (i, sub) in list.iter_mut().enumerate() {
                    self.schema(&push_pointer(&push_pointer(at, key), &i.to_string()), sub);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Schema,
    Parameter,
    Body,
    Response,
}
