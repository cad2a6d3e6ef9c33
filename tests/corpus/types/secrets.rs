// snapshot of tests/corpus/types/secrets.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// writeOnly and password fields never show in Debug output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
