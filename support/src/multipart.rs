//! `multipart/form-data` bodies: each member of the body's struct is a part (OpenAPI 3.0.3
//! §4.7.14.4). A [`FilePart`] member is a file part; a scalar member is a text part; an object
//! member is a JSON part; an array member is one part per item. The `encoding` object of the
//! media type may give a member's part another `Content-Type` ([`PartMember`]). The server's
//! decoding is `server::multipart`.
//!
//! Serde carries both directions: the body struct's own `Serialize` and `Deserialize` (with its
//! renames, defaults and `Option`s) run against a serializer and a deserializer that are not
//! human-readable, which is how a [`FilePart`] knows to give its bytes, content type and file name
//! rather than the text it is in JSON.

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, SerializeTupleStruct, Serializer};
use serde_json::Value;

/// The tuple-struct name under which a [`FilePart`] crosses a multipart serializer or
/// deserializer: (bytes, content type, file name).
pub(crate) const FILE_PART: &str = "$mailapi_support::multipart::FilePart";

/// A file sent as one part of a `multipart/form-data` body: a member of type `string` with
/// `format: binary` (or, in OpenAPI 3.1, a `contentMediaType`).
///
/// In JSON (examples, the mock, logs) a file part is its content as text; `Debug` shows its
/// size, not its bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    /// The file's content.
    pub bytes: Bytes,
    /// Its media type (`image/png`); when `None` the part is sent as the body's `encoding`
    /// says, else as `application/octet-stream`.
    pub content_type: Option<String>,
    /// Its file name, sent in the part's `Content-Disposition` (`filename`).
    pub file_name: Option<String>,
}

impl FilePart {
    /// A file part of `bytes`, without media type or file name.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self { bytes: bytes.into(), content_type: None, file_name: None }
    }

    /// The same part with the media type `content_type`.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The same part with the file name `file_name`.
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return serializer.serialize_str(&String::from_utf8_lossy(&self.bytes));
        }
        let mut file = serializer.serialize_tuple_struct(FILE_PART, 3)?;
        file.serialize_field(&RawBytes(self.bytes.clone()))?;
        file.serialize_field(&self.content_type)?;
        file.serialize_field(&self.file_name)?;
        file.end()
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            return Ok(Self::new(text));
        }
        deserializer.deserialize_tuple_struct(FILE_PART, 3, FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = FilePart;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a file part")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FilePart, A::Error> {
        let RawBytes(bytes) = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let content_type = seq.next_element()?.flatten();
        let file_name = seq.next_element()?.flatten();
        Ok(FilePart { bytes, content_type, file_name })
    }
}

/// Bytes through serde's `bytes` data type (not a sequence of numbers).
struct RawBytes(Bytes);

impl Serialize for RawBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for RawBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl Visitor<'_> for BytesVisitor {
            type Value = RawBytes;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawBytes, E> {
                Ok(RawBytes(Bytes::copy_from_slice(v)))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<RawBytes, E> {
                Ok(RawBytes(Bytes::from(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawBytes, E> {
                Ok(RawBytes(Bytes::copy_from_slice(v.as_bytes())))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

/// A member whose part has another `Content-Type` than its type gives (its `encoding` entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartMember {
    /// The member's name, as in the body's schema.
    pub name: &'static str,
    /// The part's media type (the first, when `encoding.contentType` lists several).
    pub content_type: &'static str,
}

/// One part to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The member's name (the part's `Content-Disposition` `name`).
    pub name: String,
    /// The part's content.
    pub bytes: Bytes,
    /// The part's `Content-Type`; `None` for a text part (`text/plain` by default).
    pub content_type: Option<String>,
    /// A file part's `filename`.
    pub file_name: Option<String>,
}

/// The parts of `body`, which must serialize as an object: one per member (`None` members are
/// left out), one per item of an array member, with the content types the specification gives
/// (text without a `Content-Type`, objects `application/json`, files their own or
/// `application/octet-stream`), unless `members` says otherwise.
pub fn encode_parts<T: Serialize + ?Sized>(body: &T, members: &[PartMember]) -> Result<Vec<Part>, String> {
    body.serialize(BodySerializer { members }).map_err(|e| e.0)
}

const OCTET_STREAM: &str = "application/octet-stream";

/// Why a body could not be split into parts.
#[derive(Debug)]
pub struct PartError(String);

impl std::fmt::Display for PartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PartError {}

impl ser::Error for PartError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl From<serde_json::Error> for PartError {
    fn from(err: serde_json::Error) -> Self {
        Self(err.to_string())
    }
}

/// What a serializer refuses: every method listed, with the message `refusal` gives.
macro_rules! refuse {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $ty),*) -> Result<Self::Ok, Self::Error> {
            Err(self.refusal())
        }
    )*};
}

/// The whole body: a struct (or a map, when it flattens another) of members.
struct BodySerializer<'m> {
    members: &'m [PartMember],
}

impl BodySerializer<'_> {
    fn refusal(&self) -> PartError {
        PartError("a multipart body must be an object".to_owned())
    }
}

impl<'m> Serializer for BodySerializer<'m> {
    type Ok = Vec<Part>;
    type Error = PartError;
    type SerializeSeq = Impossible<Vec<Part>, PartError>;
    type SerializeTuple = Impossible<Vec<Part>, PartError>;
    type SerializeTupleStruct = Impossible<Vec<Part>, PartError>;
    type SerializeTupleVariant = Impossible<Vec<Part>, PartError>;
    type SerializeMap = Members<'m>;
    type SerializeStruct = Members<'m>;
    type SerializeStructVariant = Impossible<Vec<Part>, PartError>;

    fn is_human_readable(&self) -> bool {
        false
    }

    refuse! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_f32(f32), serialize_f64(f64), serialize_char(char), serialize_str(&str),
        serialize_bytes(&[u8]), serialize_none(), serialize_unit(), serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Vec<Part>, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Vec<Part>, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Vec<Part>, PartError> {
        Err(self.refusal())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, PartError> {
        Err(self.refusal())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Members<'m>, PartError> {
        Ok(Members { members: self.members, parts: Vec::new(), key: None })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Members<'m>, PartError> {
        Ok(Members { members: self.members, parts: Vec::new(), key: None })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, PartError> {
        Err(self.refusal())
    }
}

/// The parts of the members so far, and a map's pending key.
struct Members<'m> {
    members: &'m [PartMember],
    parts: Vec<Part>,
    key: Option<String>,
}

impl Members<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), PartError> {
        let content_type = self.members.iter().find(|m| m.name == name).map(|m| m.content_type);
        let parts = value.serialize(PartSerializer { name, content_type, item: false })?;
        self.parts.extend(parts);
        Ok(())
    }
}

impl ser::SerializeStruct for Members<'_> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), PartError> {
        self.member(name, value)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        Ok(self.parts)
    }
}

impl ser::SerializeMap for Members<'_> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), PartError> {
        match serde_json::to_value(key)? {
            Value::String(key) => self.key = Some(key),
            other => self.key = Some(other.to_string()),
        }
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        let name = self.key.take().unwrap_or_default();
        self.member(&name, value)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        Ok(self.parts)
    }
}

/// One member's value: the parts it is sent as.
#[derive(Clone, Copy)]
struct PartSerializer<'a> {
    name: &'a str,
    /// The member's `encoding.contentType`.
    content_type: Option<&'static str>,
    /// An item of an array member: a nested array is one JSON part.
    item: bool,
}

impl PartSerializer<'_> {
    /// One part of `bytes`, its content type the member's, else `default`.
    fn part(self, bytes: Bytes, default: Option<&str>) -> Result<Vec<Part>, PartError> {
        let content_type = self.content_type.or(default).map(str::to_owned);
        Ok(vec![Part { name: self.name.to_owned(), bytes, content_type, file_name: None }])
    }

    fn text(self, text: String) -> Result<Vec<Part>, PartError> {
        self.part(Bytes::from(text), None)
    }

    fn json(self, value: &Value) -> Result<Vec<Part>, PartError> {
        self.part(Bytes::from(serde_json::to_vec(value)?), Some("application/json"))
    }

    fn compound<S>(self, inner: S) -> Json<S> {
        Json { inner, name: self.name.to_owned(), content_type: self.content_type }
    }
}

/// The display text of a scalar: each listed method sends its value as a text part.
macro_rules! text_parts {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result<Vec<Part>, PartError> {
            self.text(v.to_string())
        }
    )*};
}

type JsonSer = serde_json::value::Serializer;

impl<'a> Serializer for PartSerializer<'a> {
    type Ok = Vec<Part>;
    type Error = PartError;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Json<<JsonSer as Serializer>::SerializeTuple>;
    type SerializeTupleStruct = FileFields<'a>;
    type SerializeTupleVariant = Json<<JsonSer as Serializer>::SerializeTupleVariant>;
    type SerializeMap = Json<<JsonSer as Serializer>::SerializeMap>;
    type SerializeStruct = Json<<JsonSer as Serializer>::SerializeStruct>;
    type SerializeStructVariant = Json<<JsonSer as Serializer>::SerializeStructVariant>;

    fn is_human_readable(&self) -> bool {
        false
    }

    text_parts! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_u128(u128), serialize_f32(f32), serialize_f64(f64), serialize_char(char), serialize_str(&str),
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Vec<Part>, PartError> {
        self.part(Bytes::copy_from_slice(v), Some(OCTET_STREAM))
    }

    fn serialize_none(self) -> Result<Vec<Part>, PartError> {
        Ok(Vec::new())
    }

    fn serialize_unit(self) -> Result<Vec<Part>, PartError> {
        Ok(Vec::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Vec<Part>, PartError> {
        Ok(Vec::new())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Vec<Part>, PartError> {
        self.text(variant.to_owned())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Vec<Part>, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Vec<Part>, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Vec<Part>, PartError> {
        self.json(&serde_json::value::Serializer.serialize_newtype_variant(name, index, variant, value)?)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'a>, PartError> {
        Ok(Items { member: self, parts: Vec::new(), json: self.item.then(Vec::new) })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, PartError> {
        Ok(self.compound(serde_json::value::Serializer.serialize_tuple(len)?))
    }

    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<FileFields<'a>, PartError> {
        if name != FILE_PART {
            return Err(PartError(format!("member `{}`: a tuple cannot be a part", self.name)));
        }
        Ok(FileFields { member: self, fields: Vec::new() })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, PartError> {
        Ok(self.compound(serde_json::value::Serializer.serialize_tuple_variant(name, index, variant, len)?))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, PartError> {
        Ok(self.compound(serde_json::value::Serializer.serialize_map(len)?))
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, PartError> {
        Ok(self.compound(serde_json::value::Serializer.serialize_struct(name, len)?))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, PartError> {
        Ok(self.compound(serde_json::value::Serializer.serialize_struct_variant(name, index, variant, len)?))
    }
}

/// An array member: one part per item (an array inside it is one JSON part).
struct Items<'a> {
    member: PartSerializer<'a>,
    parts: Vec<Part>,
    /// The items of a nested array, sent as JSON.
    json: Option<Vec<Value>>,
}

impl ser::SerializeSeq for Items<'_> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        match &mut self.json {
            Some(items) => items.push(serde_json::to_value(value)?),
            None => self.parts.extend(value.serialize(PartSerializer { item: true, ..self.member })?),
        }
        Ok(())
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        match self.json {
            Some(items) => self.member.json(&Value::Array(items)),
            None => Ok(self.parts),
        }
    }
}

/// An object (or tuple) member, built by serde_json and sent as one JSON part.
struct Json<S> {
    inner: S,
    name: String,
    content_type: Option<&'static str>,
}

/// The JSON part of `name` that `value` is.
fn json_part(
    name: &str,
    content_type: Option<&'static str>,
    value: Result<Value, serde_json::Error>,
) -> Result<Vec<Part>, PartError> {
    PartSerializer { name, content_type, item: false }.json(&value?)
}

impl<S: ser::SerializeTuple<Ok = Value, Error = serde_json::Error>> ser::SerializeTuple for Json<S> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_element(value)?)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        json_part(&self.name, self.content_type, self.inner.end())
    }
}

impl<S: ser::SerializeTupleVariant<Ok = Value, Error = serde_json::Error>> ser::SerializeTupleVariant for Json<S> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_field(value)?)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        json_part(&self.name, self.content_type, self.inner.end())
    }
}

impl<S: ser::SerializeMap<Ok = Value, Error = serde_json::Error>> ser::SerializeMap for Json<S> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_key(key)?)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_value(value)?)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        json_part(&self.name, self.content_type, self.inner.end())
    }
}

impl<S: ser::SerializeStruct<Ok = Value, Error = serde_json::Error>> ser::SerializeStruct for Json<S> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_field(key, value)?)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        json_part(&self.name, self.content_type, self.inner.end())
    }
}

impl<S: ser::SerializeStructVariant<Ok = Value, Error = serde_json::Error>> ser::SerializeStructVariant for Json<S> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), PartError> {
        Ok(self.inner.serialize_field(key, value)?)
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        json_part(&self.name, self.content_type, self.inner.end())
    }
}

/// A [`FilePart`]'s fields: bytes, content type, file name.
struct FileFields<'a> {
    member: PartSerializer<'a>,
    fields: Vec<Field>,
}

/// One field of a file part.
enum Field {
    Bytes(Bytes),
    Text(String),
    Absent,
}

impl SerializeTupleStruct for FileFields<'_> {
    type Ok = Vec<Part>;
    type Error = PartError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PartError> {
        self.fields.push(value.serialize(FieldSerializer)?);
        Ok(())
    }

    fn end(self) -> Result<Vec<Part>, PartError> {
        let mut fields = self.fields.into_iter();
        let Some(Field::Bytes(bytes)) = fields.next() else {
            return Err(PartError(format!("member `{}`: a file part without bytes", self.member.name)));
        };
        let mut text = || match fields.next() {
            Some(Field::Text(text)) => Some(text),
            _ => None,
        };
        // The file's own media type, else the member's, else `application/octet-stream`.
        let own = text();
        let file_name = text();
        let content_type = own.or_else(|| Some(self.member.content_type.unwrap_or(OCTET_STREAM).to_owned()));
        Ok(vec![Part { name: self.member.name.to_owned(), bytes, content_type, file_name }])
    }
}

/// Reads one field of a [`FilePart`].
struct FieldSerializer;

impl FieldSerializer {
    fn refusal(&self) -> PartError {
        PartError("not a field of a file part".to_owned())
    }
}

impl Serializer for FieldSerializer {
    type Ok = Field;
    type Error = PartError;
    type SerializeSeq = Impossible<Field, PartError>;
    type SerializeTuple = Impossible<Field, PartError>;
    type SerializeTupleStruct = Impossible<Field, PartError>;
    type SerializeTupleVariant = Impossible<Field, PartError>;
    type SerializeMap = Impossible<Field, PartError>;
    type SerializeStruct = Impossible<Field, PartError>;
    type SerializeStructVariant = Impossible<Field, PartError>;

    fn is_human_readable(&self) -> bool {
        false
    }

    refuse! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_f32(f32), serialize_f64(f64), serialize_char(char), serialize_unit(),
        serialize_unit_struct(&'static str), serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_str(self, v: &str) -> Result<Field, PartError> {
        Ok(Field::Text(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Field, PartError> {
        Ok(Field::Bytes(Bytes::copy_from_slice(v)))
    }

    fn serialize_none(self) -> Result<Field, PartError> {
        Ok(Field::Absent)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Field, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<Field, PartError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Field, PartError> {
        Err(self.refusal())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, PartError> {
        Err(self.refusal())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, PartError> {
        Err(self.refusal())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, PartError> {
        Err(self.refusal())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, PartError> {
        Err(self.refusal())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, PartError> {
        Err(self.refusal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct Meta {
        id: u32,
    }

    #[derive(Serialize)]
    struct Upload {
        name: String,
        count: Option<i64>,
        tags: Vec<String>,
        meta: Meta,
        file: FilePart,
        logo: Option<FilePart>,
        grid: Vec<Vec<u8>>,
        pages: Vec<Meta>,
    }

    fn part(name: &str, bytes: &str, content_type: Option<&str>, file_name: Option<&str>) -> Part {
        Part {
            name: name.to_owned(),
            bytes: Bytes::copy_from_slice(bytes.as_bytes()),
            content_type: content_type.map(str::to_owned),
            file_name: file_name.map(str::to_owned),
        }
    }

    #[test]
    fn members_become_parts_of_their_kind() {
        let upload = Upload {
            name: "a b".into(),
            count: None,
            tags: vec!["x".into(), "y".into()],
            meta: Meta { id: 7 },
            file: FilePart::new("PNG").with_content_type("image/png").with_file_name("a.png"),
            logo: Some(FilePart::new("raw")),
            grid: vec![vec![1, 2]],
            pages: vec![Meta { id: 1 }, Meta { id: 2 }],
        };
        let members = [PartMember { name: "logo", content_type: "image/svg+xml" }];
        let expected = vec![
            part("name", "a b", None, None),
            part("tags", "x", None, None),
            part("tags", "y", None, None),
            part("meta", r#"{"id":7}"#, Some("application/json"), None),
            part("file", "PNG", Some("image/png"), Some("a.png")),
            part("logo", "raw", Some("image/svg+xml"), None),
            part("grid", "[1,2]", Some("application/json"), None),
            part("pages", r#"{"id":1}"#, Some("application/json"), None),
            part("pages", r#"{"id":2}"#, Some("application/json"), None),
        ];
        assert_eq!(encode_parts(&upload, &members).unwrap(), expected);
        assert!(encode_parts(&[1], &[]).is_err());
    }

    #[test]
    fn a_file_part_prints_its_size() {
        let file = FilePart::new(vec![0; 2048]).with_file_name("a.bin");
        let expected = r#"FilePart { bytes: 2048 bytes, content_type: None, file_name: Some("a.bin") }"#;
        assert_eq!(format!("{file:?}"), expected);
    }

    #[test]
    fn a_file_part_is_text_in_json() {
        let file = FilePart::new("hello").with_file_name("a.txt");
        assert_eq!(serde_json::to_value(&file).unwrap(), serde_json::json!("hello"));
        let back: FilePart = serde_json::from_value(serde_json::json!("hello")).unwrap();
        assert_eq!(back, FilePart::new("hello"));
        let _ = Meta::deserialize(serde_json::json!({ "id": 1 })).unwrap();
    }
}
