// snapshot of tests/corpus/types/recursion.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Recursion through a union and an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expr {
    Sum(Sum),
    Integer(i64),
}

/// The `Sum` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sum {
    /// Recursion through a union and an object.
    pub left: Box<Expr>,
    /// Recursion through a union and an object.
    pub right: Box<Expr>,
}

/// Recursion through an object is boxed where Rust needs it; arrays and maps are indirection already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tree {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<Tree>>,
    #[serde(rename = "byName", default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<BTreeMap<String, Tree>>,
    /// Recursion through an object is boxed where Rust needs it; arrays and maps are indirection already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<Tree>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub either: Option<Box<TreeEither>>,
}

/// The inline schema at `/components/schemas/Tree/properties/either`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TreeEither {
    Tree(Tree),
    String(String),
}
