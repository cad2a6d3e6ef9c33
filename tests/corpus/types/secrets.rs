// snapshot of tests/corpus/types/secrets.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// A `format: password` member of a oneOf is a Secret too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Credential {
    String(mailapi_support::Secret<String>),
    Integer(i64),
}

/// writeOnly and password fields never show in Debug output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Login {
    pub user: String,
    /// Write-only: sent, never returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<mailapi_support::Secret<String>>,
    /// Write-only: sent, never returned.
    #[serde(rename = "apiKey", default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<mailapi_support::Secret<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<mailapi_support::Secret<String>>,
    /// Read-only: set by the server, never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}
