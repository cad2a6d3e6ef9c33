// snapshot of tests/corpus/types/inline.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// The inline schema at `/paths/~1things~1{id}/get/responses/404/content/application~1json/schema`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetThingError404 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The inline schema at `/paths/~1things~1{id}/get/parameters/1/schema`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum GetThingMode {
    #[serde(rename = "fast")]
    Fast,
    #[serde(rename = "slow")]
    Slow,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl GetThingMode {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            GetThingMode::Fast => "fast",
            GetThingMode::Slow => "slow",
            GetThingMode::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for GetThingMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The inline schema at `/paths/~1things~1{id}/get/responses/200/content/application~1json/schema`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetThingResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<GetThingResponseOwner>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<GetThingResponseItemsItem>>,
}

/// The inline schema at `/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/properties/items/items`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetThingResponseItemsItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<i64>,
}

/// The inline schema at `/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/properties/owner`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetThingResponseOwner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
