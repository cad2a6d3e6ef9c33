//! Typed response headers: the client reads each documented header into its type, the
//! server writes it. Values are `style: simple` text, as for header parameters: scalars as
//! written, lists comma-separated.

use std::error::Error as StdError;
use std::fmt;

use http::{HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::param_encoding::SerializedParam;
use crate::param_text::ParamText;

/// A documented response header that is missing (when required) or does not parse as its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    /// The header's name as the spec writes it.
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

impl HeaderError {
    fn new(name: &str, message: impl Into<String>) -> Self {
        Self { name: name.to_owned(), message: message.into() }
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response header `{}`: {}", self.name, self.message)
    }
}

impl StdError for HeaderError {}

/// The text of the first `name` header, if present.
fn first<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, HeaderError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => {
            value.to_str().map(|text| Some(text.trim())).map_err(|_| HeaderError::new(name, "is not visible ASCII"))
        }
    }
}

fn parse<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, HeaderError> {
    T::deserialize(ParamText(text)).map_err(|err| HeaderError::new(name, format!("invalid value `{text}`: {err}")))
}

/// An optional scalar header.
pub fn optional<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<Option<T>, HeaderError> {
    first(headers, name)?.map(|text| parse(name, text)).transpose()
}

/// A required scalar header: missing is an error.
pub fn required<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<T, HeaderError> {
    optional(headers, name)?.ok_or_else(|| HeaderError::new(name, "is missing"))
}

/// An optional list header: every `name` line, each split at commas.
pub fn optional_list<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<Option<Vec<T>>, HeaderError> {
    let mut items = Vec::new();
    let mut seen = false;
    for value in headers.get_all(name) {
        seen = true;
        let text = value.to_str().map_err(|_| HeaderError::new(name, "is not visible ASCII"))?;
        for item in text.split(',').map(str::trim).filter(|item| !item.is_empty()) {
            items.push(parse(name, item)?);
        }
    }
    Ok(seen.then_some(items))
}

/// A required list header: missing is an error.
pub fn required_list<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<Vec<T>, HeaderError> {
    optional_list(headers, name)?.ok_or_else(|| HeaderError::new(name, "is missing"))
}

/// The `style: simple` text of a header value; `None` (left out) for an absent value.
pub fn text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    SerializedParam::from_serialize(value).ok().and_then(SerializedParam::simple_text)
}

/// Adds `(name, text)` pairs to `headers`, leaving out absent ones; a text that is not a valid
/// header value (a line break, say) is an error naming the header.
pub fn insert_all(headers: &mut HeaderMap, pairs: &[(&'static str, Option<String>)]) -> Result<(), HeaderError> {
    for (name, text) in pairs {
        let Some(text) = text else { continue };
        let value = HeaderValue::from_str(text).map_err(|_| HeaderError::new(name, "is not a valid header value"))?;
        headers.append(*name, value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn scalars_lists_and_missing_headers() {
        let headers = map(&[("x-rate-limit", " 60 "), ("x-tags", "a, b"), ("x-tags", "c")]);
        assert_eq!(required::<u32>(&headers, "X-Rate-Limit"), Ok(60));
        assert_eq!(optional::<u32>(&headers, "X-Other"), Ok(None));
        assert_eq!(required_list::<String>(&headers, "X-Tags"), Ok(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(optional_list::<String>(&headers, "X-None"), Ok(None));
        let missing = required::<u32>(&headers, "X-Other").unwrap_err();
        assert_eq!(missing.to_string(), "response header `X-Other`: is missing");
    }

    #[test]
    fn bad_values_name_the_header() {
        let headers = map(&[("x-rate-limit", "many")]);
        let err = required::<u32>(&headers, "X-Rate-Limit").unwrap_err();
        assert_eq!(err.name, "X-Rate-Limit");
        assert!(err.message.contains("`many`"), "{err}");
    }

    #[test]
    fn written_as_simple_text() {
        let mut headers = HeaderMap::new();
        let pairs = [("x-a", text(&7)), ("x-b", text(&None::<u8>)), ("x-c", text(&["a", "b"]))];
        insert_all(&mut headers, &pairs).unwrap();
        assert_eq!(headers.get("x-a").unwrap(), "7");
        assert!(headers.get("x-b").is_none());
        assert_eq!(headers.get("x-c").unwrap(), "a,b");
        let err = insert_all(&mut headers, &[("x-d", Some("a\nb".into()))]).unwrap_err();
        assert_eq!(err.name, "x-d");
    }
}
