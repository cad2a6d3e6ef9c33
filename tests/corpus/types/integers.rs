// snapshot of tests/corpus/types/integers.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// Every integer and number format; 64-bit values keep full precision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Numbers {
    pub a: i32,
    pub b: i64,
    pub c: u32,
    pub d: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub f: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub g: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}
