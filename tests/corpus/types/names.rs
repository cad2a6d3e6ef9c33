// snapshot of tests/corpus/types/names.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// Collides with mailbox-settings after case conversion.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MailboxSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// The `mailbox-settings` schema.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MailboxSettings2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
}

/// A recursive type, boxed where needed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Node {
    /// A recursive type, boxed where needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Box<Node>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Node>>,
}

/// A component named after a keyword.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
