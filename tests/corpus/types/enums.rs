// snapshot of tests/corpus/types/enums.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// The `Holder` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Holder {
    /// A string enum; clients keep unknown values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<HolderInline>,
}

/// The inline schema at `/components/schemas/Holder/properties/inline`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum HolderInline {
    #[serde(rename = "x")]
    X,
    #[serde(rename = "y")]
    Y,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl HolderInline {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            HolderInline::X => "x",
            HolderInline::Y => "y",
            HolderInline::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for HolderInline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An integer enum without names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
#[non_exhaustive]
pub enum Level {
    /// `-1`
    Minus1,
    /// `0`
    V0,
    /// `10`
    V10,
    /// A value this version of the spec does not list.
    Unknown(i64),
}

impl From<i64> for Level {
    fn from(value: i64) -> Self {
        match value {
            -1 => Level::Minus1,
            0 => Level::V0,
            10 => Level::V10,
            other => Level::Unknown(other),
        }
    }
}

impl From<Level> for i64 {
    fn from(value: Level) -> i64 {
        match value {
            Level::Minus1 => -1,
            Level::V0 => 0,
            Level::V10 => 10,
            Level::Unknown(value) => value,
        }
    }
}

/// Values that collide after case conversion without care.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Signs {
    #[serde(rename = "1")]
    V1,
    #[serde(rename = "-1")]
    Minus1,
    #[serde(rename = "")]
    Empty,
    #[serde(rename = "a b")]
    AB,
    #[serde(rename = "A_B")]
    AB2,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl Signs {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Signs::V1 => "1",
            Signs::Minus1 => "-1",
            Signs::Empty => "",
            Signs::AB => "a b",
            Signs::AB2 => "A_B",
            Signs::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for Signs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string enum; clients keep unknown values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Status {
    #[serde(rename = "active")]
    Active,
    #[serde(rename = "suspended")]
    Suspended,
    #[serde(rename = "pending-review")]
    PendingReview,
    /// A value this version of the spec does not list.
    #[serde(untagged)]
    Unknown(String),
}

impl Status {
    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Active => "active",
            Status::Suspended => "suspended",
            Status::PendingReview => "pending-review",
            Status::Unknown(value) => value,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An integer enum, serialized as integers, with variant names from x-enum-varnames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
#[non_exhaustive]
pub enum Tls {
    /// `0`
    No,
    /// `1`
    Yes,
    /// `2`
    IfAvailable,
    /// A value this version of the spec does not list.
    Unknown(i64),
}

impl From<i64> for Tls {
    fn from(value: i64) -> Self {
        match value {
            0 => Tls::No,
            1 => Tls::Yes,
            2 => Tls::IfAvailable,
            other => Tls::Unknown(other),
        }
    }
}

impl From<Tls> for i64 {
    fn from(value: Tls) -> i64 {
        match value {
            Tls::No => 0,
            Tls::Yes => 1,
            Tls::IfAvailable => 2,
            Tls::Unknown(value) => value,
        }
    }
}
