// snapshot of tests/corpus/types/json_text.json: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// JSON as Python writes it: a BOM and escaped astral characters (🚀).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Launch {
    #[serde(rename = "🚀 go")]
    Go,
    #[serde(rename = "hold")]
    Hold,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl Launch {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Launch::Go => "🚀 go",
            Launch::Hold => "hold",
            Launch::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for Launch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
