// snapshot of tests/corpus/types/maps.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A free-form object.
pub type Anything = BTreeMap<String, serde_json::Value>;

/// Unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Closed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A pure map.
pub type Counts = BTreeMap<String, i64>;

/// Declared fields plus any others, kept in a flattened map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Open {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Properties beyond the declared ones.
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, i64>,
}
