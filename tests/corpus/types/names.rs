// snapshot of tests/corpus/types/names.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// Collides with mailbox-settings after case conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MailboxSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// The `mailbox-settings` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MailboxSettings2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
}

/// A recursive type, boxed where needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Node {
    /// A recursive type, boxed where needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Box<Node>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Node>>,
}

/// A component named after a keyword.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Type {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<String>,
    #[serde(rename = "2fa", default, skip_serializing_if = "Option::is_none")]
    pub n2fa: Option<bool>,
    #[serde(rename = "fooBar", default, skip_serializing_if = "Option::is_none")]
    pub foo_bar: Option<String>,
    #[serde(rename = "foo_bar", default, skip_serializing_if = "Option::is_none")]
    pub foo_bar_2: Option<String>,
    #[serde(rename = "FooBar", default, skip_serializing_if = "Option::is_none")]
    pub foo_bar_3: Option<String>,
}

/// Names heck keeps but Rust identifiers cannot hold are spelled as code points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct U00bd {
    #[serde(rename = "a²", default, skip_serializing_if = "Option::is_none")]
    pub a_u00b2: Option<String>,
    #[serde(rename = "٣٤", default, skip_serializing_if = "Option::is_none")]
    pub u0663_u0664: Option<String>,
    #[serde(rename = "é", default, skip_serializing_if = "Option::is_none")]
    pub u00e9: Option<String>,
    #[serde(rename = "_", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<U00bdKind>,
}

/// The inline schema at `/components/schemas/½/properties/kind`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum U00bdKind {
    #[serde(rename = "a²")]
    AU00b2,
    #[serde(rename = "½")]
    U00bd,
    #[serde(rename = "٣")]
    U0663,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl U00bdKind {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            U00bdKind::AU00b2 => "a²",
            U00bdKind::U00bd => "½",
            U00bdKind::U0663 => "٣",
            U00bdKind::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for U00bdKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
