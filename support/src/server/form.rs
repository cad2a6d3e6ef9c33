//! Decoding of `application/x-www-form-urlencoded` bodies into the body's generated struct.
//!
//! The pairs are grouped by member (see [`crate::form`] for the styles) and handed to the
//! struct's `Deserialize` as a map whose values parse from their text on request: numbers and
//! booleans from their digits, arrays from repeated or delimited pairs, `deepObject` members from
//! `name[key]` pairs, other objects from JSON text. Unknown names are for the struct to ignore
//! or refuse, as in JSON.

use serde::de::value::{BorrowedStrDeserializer, Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error as _, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;

use crate::form::{FormMember, member_style};
use crate::param_encoding::{QueryStyle, parse_query};
use crate::problem::Problem;

/// Scalar requests of a member go to its single value.
macro_rules! scalar_from_member {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            self.scalar()?.$method(visitor)
        }
    )*};
}

/// Numbers and booleans parsed from the text.
macro_rules! parse_text {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            match self.0.parse() {
                Ok(value) => visitor.$visit(value),
                Err(_) => Err(ValueError::invalid_value(Unexpected::Str(self.0), &visitor)),
            }
        }
    )*};
}

/// Structured values read from JSON text.
macro_rules! json_text {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            self.json()?.$method(visitor).map_err(ValueError::custom)
        }
    )*};
}

/// Decodes a form body into `T`: 422 naming the member that does not fit.
pub fn decode_form<T: DeserializeOwned>(body: &[u8], members: &[FormMember]) -> Result<T, Problem> {
    let text = String::from_utf8_lossy(body);
    let grouped = group(parse_query(&text), members);
    serde_path_to_error::deserialize(Form(&grouped)).map_err(super::data_problem)
}

/// The values of one member.
enum Values {
    /// Every value given for the name, in order.
    Plain { values: Vec<String>, style: QueryStyle, explode: bool },
    /// `name[key]=value` pairs of a `deepObject` member.
    Deep(Vec<(String, String)>),
}

fn group(pairs: Vec<(String, String)>, members: &[FormMember]) -> Vec<(String, Values)> {
    let mut out: Vec<(String, Values)> = Vec::new();
    for (key, value) in pairs {
        let deep = members.iter().filter(|m| m.style == QueryStyle::DeepObject).find_map(|m| {
            let inner = key.strip_prefix(m.name)?.strip_prefix('[')?.strip_suffix(']')?;
            Some((m.name, inner.to_owned()))
        });
        let (name, entry) = match deep {
            Some((name, inner)) => (name.to_owned(), Values::Deep(vec![(inner, value)])),
            None => {
                let (style, explode) = member_style(members, &key);
                (key, Values::Plain { values: vec![value], style, explode })
            }
        };
        match (out.iter_mut().find(|(n, _)| *n == name), entry) {
            (Some((_, Values::Plain { values, .. })), Values::Plain { values: more, .. }) => values.extend(more),
            (Some((_, Values::Deep(entries))), Values::Deep(more)) => entries.extend(more),
            (_, entry) => out.push((name, entry)),
        }
    }
    out
}

/// The whole body: a map of members.
struct Form<'a>(&'a [(String, Values)]);

impl<'de> Deserializer<'de> for Form<'de> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        let entries = self.0.iter().map(|(name, values)| (name.as_str(), Member(values)));
        visitor.visit_map(MapDeserializer::new(entries))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// One member's values.
struct Member<'a>(&'a Values);

impl<'de> IntoDeserializer<'de, ValueError> for Member<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Member<'de> {
    /// The single value of a scalar member (the last, when a name is repeated).
    fn scalar(&self) -> Result<Text<'de>, ValueError> {
        match self.0 {
            Values::Plain { values, .. } => Ok(Text(values.last().map_or("", String::as_str))),
            Values::Deep(_) => Err(ValueError::custom("expected a single value, found `name[key]` pairs")),
        }
    }
}

impl<'de> Deserializer<'de> for Member<'de> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Values::Plain { values, .. } if values.len() > 1 => self.deserialize_seq(visitor),
            Values::Plain { .. } => self.scalar()?.deserialize_any(visitor),
            Values::Deep(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        let Values::Plain { values, style, explode } = self.0 else {
            return Err(ValueError::custom("expected an array, found `name[key]` pairs"));
        };
        let items: Vec<Text<'de>> = if *explode {
            values.iter().map(|v| Text(v)).collect()
        } else {
            let separator = match style {
                QueryStyle::SpaceDelimited => ' ',
                QueryStyle::PipeDelimited => '|',
                QueryStyle::Form | QueryStyle::DeepObject => ',',
            };
            let joined = values.last().map_or("", String::as_str);
            if joined.is_empty() { Vec::new() } else { joined.split(separator).map(Text).collect() }
        };
        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Values::Deep(entries) => {
                let entries = entries.iter().map(|(k, v)| (k.as_str(), Text(v)));
                visitor.visit_map(MapDeserializer::new(entries))
            }
            Values::Plain { .. } => self.scalar()?.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.scalar()?.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    scalar_from_member! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, ValueError> {
        self.scalar()?.deserialize_unit_struct(name, visitor)
    }
}

/// One value's text: numbers and booleans parse on request, objects and arrays are JSON text.
#[derive(Clone, Copy)]
pub(super) struct Text<'a>(pub(super) &'a str);

impl<'de> IntoDeserializer<'de, ValueError> for Text<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl Text<'_> {
    fn json(self) -> Result<serde_json::Value, ValueError> {
        serde_json::from_str(self.0).map_err(|e| ValueError::custom(format!("expected JSON text: {e}")))
    }
}

impl<'de> Deserializer<'de> for Text<'de> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_borrowed_str(self.0)
    }

    parse_text! {
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32, deserialize_i64 => visit_i64, deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32, deserialize_u64 => visit_u64, deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32, deserialize_f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        BorrowedStrDeserializer::new(self.0).deserialize_enum(name, variants, visitor)
    }

    json_text! { deserialize_seq deserialize_map }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.json()?.deserialize_struct(name, fields, visitor).map_err(ValueError::custom)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, ValueError> {
        self.json()?.deserialize_tuple(len, visitor).map_err(ValueError::custom)
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple_struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Tag {
        id: u32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Available,
        Sold,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Body {
        name: String,
        count: Option<i64>,
        on: Option<bool>,
        status: Option<Status>,
        tag: Option<Vec<String>>,
        ids: Option<Vec<u8>>,
        filter: Option<std::collections::BTreeMap<String, String>>,
        tags: Option<Vec<Tag>>,
        category: Option<Tag>,
    }

    const MEMBERS: &[FormMember] = &[
        FormMember { name: "ids", style: QueryStyle::PipeDelimited, explode: false },
        FormMember { name: "filter", style: QueryStyle::DeepObject, explode: true },
    ];

    fn decode(body: &str) -> Result<Body, Problem> {
        decode_form(body.as_bytes(), MEMBERS)
    }

    #[test]
    fn members_decode_in_their_style() {
        let body = decode(
            "name=a+b%26c&count=-3&on=true&status=sold&tag=x&tag=y&ids=1%7C2&filter%5Bfrom%5D=x&tags=%7B%22id%22%3A1%7D&category=%7B%22id%22%3A2%7D&other=1",
        )
        .unwrap();
        let filter = [("from".to_owned(), "x".to_owned())].into_iter().collect();
        let expected = Body {
            name: "a b&c".into(),
            count: Some(-3),
            on: Some(true),
            status: Some(Status::Sold),
            tag: Some(vec!["x".into(), "y".into()]),
            ids: Some(vec![1, 2]),
            filter: Some(filter),
            tags: Some(vec![Tag { id: 1 }]),
            category: Some(Tag { id: 2 }),
        };
        assert_eq!(body, expected);
        assert_eq!(decode("name=n").unwrap().count, None);
        assert_eq!(decode("name=n&status=available").unwrap().status, Some(Status::Available));
    }

    #[test]
    fn misfits_are_422_at_their_member() {
        let problem = decode("name=n&count=many").unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/count")));
        let problem = decode("count=1").unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/name")));
        assert_eq!(decode("name=n&category=%7B").unwrap_err().status, 422);
    }
}
