// snapshot of tests/corpus/types/formats.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// String formats with Rust types of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Formats {
    pub at: chrono::DateTime<chrono::FixedOffset>,
    pub on: chrono::NaiveDate,
    /// Base64 in JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<mailapi_support::Base64Bytes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}
