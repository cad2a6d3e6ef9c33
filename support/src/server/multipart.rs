//! Decoding of `multipart/form-data` bodies into the body's generated struct.
//!
//! The body is already in memory (read under [`Limits`](super::Limits)); `multer` splits it into
//! parts, which are grouped by name and handed to the struct's `Deserialize` as a map: a
//! [`FilePart`](crate::multipart::FilePart) member takes a part's bytes, media type and file
//! name; any other member reads the part's text as a form value does (numbers and booleans
//! parse, objects are JSON text); an array member takes every part of its name.

use std::convert::Infallible;

use bytes::Bytes;
use futures_util::FutureExt as _;
use http::HeaderMap;
use http::header::CONTENT_TYPE;
use serde::de::value::{
    BorrowedStrDeserializer, BytesDeserializer, Error as ValueError, MapDeserializer, SeqDeserializer,
};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IntoDeserializer, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::form::Text;
use crate::multipart::FILE_PART;
use crate::problem::Problem;

/// Decodes a multipart body into `T`: 400 for a body that is not multipart (no boundary, a
/// broken part), 422 naming the member (part) that does not fit.
pub fn decode_multipart<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, Problem> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| Problem::bad_request(format!("the multipart body cannot be read: {e}")))?;
    let grouped = group(read_parts(body.clone(), boundary)?);
    serde_path_to_error::deserialize(Members(&grouped)).map_err(super::data_problem)
}

/// One part as it arrived.
struct Received {
    bytes: Bytes,
    content_type: Option<String>,
    file_name: Option<String>,
}

fn read_parts(body: Bytes, boundary: String) -> Result<Vec<(String, Received)>, Problem> {
    let stream = futures_util::stream::once(std::future::ready(Ok::<Bytes, Infallible>(body)));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = at_once(multipart.next_field())? {
        // A part without a name matches no member: the struct ignores or refuses it as unknown.
        let name = field.name().unwrap_or_default().to_owned();
        let content_type = field.content_type().map(ToString::to_string);
        let file_name = field.file_name().map(str::to_owned);
        let bytes = at_once(field.bytes())?;
        // A browser sends a file input with no file chosen as an empty part named "" (HTML's
        // form-data set): no file, so the member is absent rather than an empty file.
        if file_name.as_deref() == Some("") && bytes.is_empty() {
            continue;
        }
        parts.push((name, Received { bytes, content_type, file_name }));
    }
    Ok(parts)
}

/// The result of one step of `multer`, which never waits: its input is one chunk, already here.
fn at_once<T>(step: impl Future<Output = multer::Result<T>>) -> Result<T, Problem> {
    match step.now_or_never() {
        Some(Ok(value)) => Ok(value),
        Some(Err(err)) => Err(Problem::bad_request(format!("the multipart body cannot be read: {err}"))),
        None => Err(Problem::bad_request("the multipart body cannot be read: it is incomplete")),
    }
}

fn group(parts: Vec<(String, Received)>) -> Vec<(String, Vec<Received>)> {
    let mut out: Vec<(String, Vec<Received>)> = Vec::new();
    for (name, part) in parts {
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(part),
            None => out.push((name, vec![part])),
        }
    }
    out
}

/// The whole body: a map of members.
struct Members<'a>(&'a [(String, Vec<Received>)]);

impl<'de> Deserializer<'de> for Members<'de> {
    type Error = ValueError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        let entries = self.0.iter().map(|(name, parts)| (name.as_str(), Member { parts, item: false }));
        visitor.visit_map(MapDeserializer::new(entries))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The parts of one member, or one of them as an item of an array member.
#[derive(Clone, Copy)]
struct Member<'a> {
    parts: &'a [Received],
    /// An item: an array here is one part's JSON text, as the client sends a nested array.
    item: bool,
}

impl<'de> IntoDeserializer<'de, ValueError> for Member<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Member<'de> {
    /// The last part (a scalar member given twice keeps the last, as in a form).
    fn last(self) -> Result<&'de Received, ValueError> {
        self.parts.last().ok_or_else(|| ValueError::custom("the part is empty"))
    }

    /// The last part's content as text.
    fn text(self) -> Result<Text<'de>, ValueError> {
        let text = std::str::from_utf8(&self.last()?.bytes)
            .map_err(|_| ValueError::custom("expected UTF-8 text, found bytes that are not"))?;
        Ok(Text(text))
    }
}

/// Scalar requests of a member go to its text.
macro_rules! text_of_member {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            self.text()?.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Member<'de> {
    type Error = ValueError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        if self.parts.len() > 1 {
            return self.deserialize_seq(visitor);
        }
        self.text()?.deserialize_any(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        if self.item {
            return self.text()?.deserialize_seq(visitor);
        }
        let items = self.parts.iter().map(|part| Member { parts: std::slice::from_ref(part), item: true });
        visitor.visit_seq(SeqDeserializer::new(items))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        if name == FILE_PART {
            return visitor.visit_seq(FileFields { part: self.last()?, next: 0 });
        }
        self.text()?.deserialize_tuple_struct(name, len, visitor)
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

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.text()?.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.text()?.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, ValueError> {
        self.text()?.deserialize_tuple(len, visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, ValueError> {
        self.text()?.deserialize_unit_struct(name, visitor)
    }

    text_of_member! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_identifier deserialize_map
    }
}

/// A file part's fields, as [`FilePart`](crate::multipart::FilePart) reads them: bytes, media
/// type, file name.
struct FileFields<'a> {
    part: &'a Received,
    next: usize,
}

impl<'de> SeqAccess<'de> for FileFields<'de> {
    type Error = ValueError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ValueError> {
        self.next += 1;
        match self.next {
            1 => seed.deserialize(BytesDeserializer::new(&self.part.bytes)).map(Some),
            2 => seed.deserialize(OptionalText(self.part.content_type.as_deref())).map(Some),
            3 => seed.deserialize(OptionalText(self.part.file_name.as_deref())).map(Some),
            _ => Ok(None),
        }
    }
}

/// A media type or file name that a part may lack.
struct OptionalText<'a>(Option<&'a str>);

impl<'de> Deserializer<'de> for OptionalText<'de> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            Some(text) => visitor.visit_some(BorrowedStrDeserializer::new(text)),
            None => visitor.visit_none(),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multipart::FilePart;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Meta {
        id: u32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Upload {
        name: String,
        count: Option<i64>,
        tags: Option<Vec<String>>,
        meta: Option<Meta>,
        file: FilePart,
        more: Option<Vec<FilePart>>,
        pages: Option<Vec<Meta>>,
        grid: Option<Vec<Vec<u8>>>,
    }

    const BOUNDARY: &str = "XyZ";

    /// A body as curl writes it: `(name, file name, content type, content)` per part.
    fn body(parts: &[(&str, Option<&str>, Option<&str>, &str)]) -> Bytes {
        let mut out = String::new();
        for (name, file_name, content_type, content) in parts {
            out.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""));
            if let Some(file_name) = file_name {
                out.push_str(&format!("; filename=\"{file_name}\""));
            }
            out.push_str("\r\n");
            if let Some(content_type) = content_type {
                out.push_str(&format!("Content-Type: {content_type}\r\n"));
            }
            out.push_str(&format!("\r\n{content}\r\n"));
        }
        out.push_str(&format!("--{BOUNDARY}--\r\n"));
        Bytes::from(out)
    }

    fn decode(parts: &[(&str, Option<&str>, Option<&str>, &str)]) -> Result<Upload, Problem> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}").parse().unwrap());
        decode_multipart(&headers, &body(parts))
    }

    #[test]
    fn parts_decode_into_members() {
        let upload = decode(&[
            ("name", None, None, "a b"),
            ("count", None, None, "-3"),
            ("tags", None, None, "x"),
            ("tags", None, None, "y"),
            ("meta", None, Some("application/json"), r#"{"id":7}"#),
            ("file", Some("a.png"), Some("image/png"), "PNG\u{1}"),
            ("more", Some("b.txt"), None, "b"),
            ("other", None, None, "ignored"),
            ("pages", None, Some("application/json"), r#"{"id":1}"#),
            ("pages", None, Some("application/json"), r#"{"id":2}"#),
            ("grid", None, Some("application/json"), "[1,2]"),
        ])
        .unwrap();
        let expected = Upload {
            name: "a b".into(),
            count: Some(-3),
            tags: Some(vec!["x".into(), "y".into()]),
            meta: Some(Meta { id: 7 }),
            file: FilePart::new("PNG\u{1}").with_content_type("image/png").with_file_name("a.png"),
            more: Some(vec![FilePart::new("b").with_file_name("b.txt")]),
            pages: Some(vec![Meta { id: 1 }, Meta { id: 2 }]),
            grid: Some(vec![vec![1, 2]]),
        };
        assert_eq!(upload, expected);
        let plain = decode(&[("name", None, None, "n"), ("file", None, None, "text")]).unwrap();
        assert_eq!((plain.count, plain.file), (None, FilePart::new("text")));
        let unchosen = decode(&[
            ("name", None, None, "n"),
            ("file", Some("a.txt"), None, "a"),
            ("more", Some(""), Some("application/octet-stream"), ""),
        ])
        .unwrap();
        assert_eq!(unchosen.more, None);
    }

    #[test]
    fn misfits_are_422_at_their_part() {
        let problem =
            decode(&[("name", None, None, "n"), ("count", None, None, "many"), ("file", None, None, "")]).unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/count")));
        let problem = decode(&[("name", None, None, "n")]).unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/file")));
        let problem = decode(&[("name", None, None, "n"), ("file", Some(""), None, "")]).unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/file")));
        let problem =
            decode(&[("file", None, None, ""), ("name", None, None, "n"), ("meta", None, None, "{")]).unwrap_err();
        assert_eq!((problem.status, problem.extensions["pointer"].as_str()), (422, Some("/meta")));
    }

    #[test]
    fn a_body_that_is_not_multipart_is_400() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, "multipart/form-data".parse().unwrap());
        assert_eq!(decode_multipart::<Upload>(&headers, &body(&[])).unwrap_err().status, 400);
        headers.insert(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}").parse().unwrap());
        let cut = Bytes::from_static(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nab");
        assert_eq!(decode_multipart::<Upload>(&headers, &cut).unwrap_err().status, 400);
    }
}
