// snapshot of tests/corpus/types/all_of.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// The `Base` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Base {
    pub id: String,
    /// Read-only: set by the server, never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// allOf merges its parts into one struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Mailbox {
    pub id: String,
    /// Read-only: set by the server, never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<i64>,
}
