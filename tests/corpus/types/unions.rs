// snapshot of tests/corpus/types/unions.yaml: `UPDATE_EXPECT=1 cargo test -p spec-tests --test corpus_types` updates it

use serde::{Deserialize, Serialize};

/// The `Cat` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cat {
    pub kind: String,
    pub lives: i64,
}

/// The `Dog` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Dog {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good: Option<bool>,
}

/// anyOf without a discriminator, tried in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdOrName {
    Integer(i64),
    String(String),
}

/// oneOf with a discriminator and a mapping.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Pet {
    Cat(Cat),
    Dog(Dog),
}

impl<'de> Deserialize<'de> for Pet {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let tag = value
            .get("kind")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let result = match tag.as_deref() {
            Some("cat") => serde_json::from_value(value).map(Pet::Cat),
            Some("dog") => serde_json::from_value(value).map(Pet::Dog),
            other => {
                return Err(serde::de::Error::custom(format!("unknown `kind` {other:?}")));
            }
        };
        result.map_err(serde::de::Error::custom)
    }
}

/// oneOf of inline objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shape {
    Circle(ShapeCircle),
    Square(ShapeSquare),
}

/// The inline schema at `/components/schemas/Shape/oneOf/0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ShapeCircle {
    pub radius: f64,
}

/// The inline schema at `/components/schemas/Shape/oneOf/1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ShapeSquare {
    pub side: f64,
}
