// snapshot of tests/corpus/types/nullable.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// Required, optional and nullable fields; absent and null differ for optional nullable ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Patch {
    pub id: i64,
    /// Required and nullable.
    #[serde(deserialize_with = "Option::deserialize")]
    pub label: Option<String>,
    /// Optional, not nullable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Optional and nullable (tri-state).
    #[serde(default, skip_serializing_if = "mailapi_support::Nullable::is_absent")]
    pub expires: mailapi_support::Nullable<String>,
    /// A nullable reference through allOf.
    #[serde(default, skip_serializing_if = "mailapi_support::Nullable::is_absent")]
    pub parent: mailapi_support::Nullable<Ref>,
}

/// The `Ref` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ref {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}
