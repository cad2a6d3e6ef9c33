// snapshot of tests/corpus/types/openapi31.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// OpenAPI 3.1 schemas, read into the same types as their 3.0 equivalents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Item {
    /// `const` is a one-value enum.
    pub kind: ItemKind,
    /// A numeric `exclusiveMinimum` is 3.0's `minimum` with `exclusiveMinimum: true`.
    pub count: i32,
    pub ratio: f64,
    /// `type: [string, "null"]` is a nullable string.
    #[serde(default, skip_serializing_if = "mailapi_support::Nullable::is_absent")]
    pub note: mailapi_support::Nullable<String>,
    /// Siblings of `$ref` apply in 3.1: this description documents the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// `anyOf` with `{type: null}` is a nullable reference.
    #[serde(default, skip_serializing_if = "mailapi_support::Nullable::is_absent")]
    pub parent: mailapi_support::Nullable<Label>,
    /// `contentEncoding: base64` is 3.0's `format: byte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<mailapi_support::Base64Bytes>,
    /// A value of several types is any JSON value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anything: Option<serde_json::Value>,
}

/// `const` is a one-value enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ItemKind {
    #[serde(rename = "item")]
    Item,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl ItemKind {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ItemKind::Item => "item",
            ItemKind::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for ItemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `Label` schema.
pub type Label = String;
