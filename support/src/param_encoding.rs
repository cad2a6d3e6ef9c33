//! Encoding of path and query parameters, shared by client and server.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// Everything except RFC 3986 `unreserved` (ALPHA / DIGIT / `-` / `.` / `_` / `~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment (a path parameter's value).
///
/// Everything outside `unreserved` is encoded, so `/`, `?`, `#` and `%` cannot
/// change the URL's structure. A segment that is exactly `.` or `..` becomes
/// `%2E` / `%2E%2E`. WHATWG URL parsers still resolve those, so the client
/// transport refuses such a path instead of sending it elsewhere.
pub fn encode_path_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => utf8_percent_encode(value, SEGMENT).to_string(),
    }
}

/// Pushes a `style: form` array query parameter.
///
/// With `explode` each value is its own `name=value` pair; without it the
/// values are joined with commas into one pair (an empty list gives `name=`,
/// while an exploded empty list adds nothing). Pairs are raw here: the URL
/// layer encodes them.
pub fn push_form(query: &mut Vec<(String, String)>, name: &str, values: &[String], explode: bool) {
    if explode {
        query.extend(values.iter().map(|value| (name.to_owned(), value.clone())));
    } else {
        query.push((name.to_owned(), values.join(",")));
    }
}

/// Pushes a `style: deepObject` query parameter: `name[key]=value` per entry.
pub fn push_deep_object(query: &mut Vec<(String, String)>, name: &str, entries: &[(String, String)]) {
    query.extend(entries.iter().map(|(key, value)| (format!("{name}[{key}]"), value.clone())));
}

/// How a non-exploded or structured query parameter is serialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=a,b` (or repeated `name=a&name=b` when exploded).
    Form,
    /// `name=a b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[key]=value` per object member.
    DeepObject,
}

/// A parameter value in string form, from any `Serialize` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerializedParam {
    /// `None`/`null`: the parameter is left out.
    Absent,
    /// A string, number or boolean.
    Scalar(String),
    /// An array's items.
    List(Vec<String>),
    /// An object's members, in order.
    Object(Vec<(String, String)>),
}

impl SerializedParam {
    /// Converts through JSON: strings stay as they are, numbers and booleans
    /// print as in JSON, nested values become JSON text.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        Ok(match serde_json::to_value(value)? {
            Value::Null => Self::Absent,
            Value::Array(items) => Self::List(items.iter().map(scalar_text).collect()),
            Value::Object(members) => Self::Object(members.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect()),
            scalar => Self::Scalar(scalar_text(&scalar)),
        })
    }

    /// Pushes the value as query pairs in `style`.
    pub fn push_query(self, query: &mut Vec<(String, String)>, name: &str, style: QueryStyle, explode: bool) {
        let separator = match style {
            QueryStyle::SpaceDelimited => " ",
            QueryStyle::PipeDelimited => "|",
            QueryStyle::Form | QueryStyle::DeepObject => ",",
        };
        match self {
            Self::Absent => {}
            Self::Scalar(text) => query.push((name.to_owned(), text)),
            Self::List(items) if explode => push_form(query, name, &items, true),
            Self::List(items) => query.push((name.to_owned(), items.join(separator))),
            Self::Object(members) if style == QueryStyle::DeepObject => push_deep_object(query, name, &members),
            Self::Object(members) if explode => query.extend(members),
            Self::Object(members) => {
                let flat: Vec<String> = members.into_iter().flat_map(|(k, v)| [k, v]).collect();
                query.push((name.to_owned(), flat.join(separator)));
            }
        }
    }

    /// The `style: simple` text (comma-joined lists and `key,value` pairs), or `None` if absent.
    pub fn simple_text(self) -> Option<String> {
        match self {
            Self::Absent => None,
            Self::Scalar(text) => Some(text),
            Self::List(items) => Some(items.join(",")),
            Self::Object(members) => Some(members.into_iter().flat_map(|(k, v)| [k, v]).collect::<Vec<_>>().join(",")),
        }
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A path parameter, `style: simple`, percent-encoded as one segment.
/// A value that does not serialize becomes an empty segment.
pub fn path_param<T: Serialize>(value: T) -> String {
    let text = SerializedParam::from_serialize(&value).ok().and_then(SerializedParam::simple_text);
    encode_path_segment(&text.unwrap_or_default())
}

/// Splits and decodes an `application/x-www-form-urlencoded` query string.
///
/// `+` means a space; invalid UTF-8 after decoding is replaced rather than
/// rejected, so a bad byte shows up as a bad value, not a lost parameter.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_form(name), decode_form(value))
        })
        .collect()
}

fn decode_form(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn path_segments_cannot_escape_their_segment() {
        let cases = [
            ("plain-id_1.x~", "plain-id_1.x~"),
            ("a/b", "a%2Fb"),
            ("a?b#c", "a%3Fb%23c"),
            ("100%", "100%25"),
            ("with space", "with%20space"),
            (".", "%2E"),
            ("..", "%2E%2E"),
            ("...", "..."),
            ("../etc", "..%2Fetc"),
            ("é✉", "%C3%A9%E2%9C%89"),
            ("", ""),
        ];
        for (raw, encoded) in cases {
            assert_eq!(encode_path_segment(raw), encoded, "{raw:?}");
        }
    }

    #[test]
    fn form_arrays_explode_or_join() {
        let values = ["a".to_owned(), "b,c".to_owned()];
        let mut query = Vec::new();
        push_form(&mut query, "tag", &values, true);
        assert_eq!(query, pairs(&[("tag", "a"), ("tag", "b,c")]));

        let mut query = Vec::new();
        push_form(&mut query, "tag", &values, false);
        assert_eq!(query, pairs(&[("tag", "a,b,c")]));

        let mut query = Vec::new();
        push_form(&mut query, "tag", &[], false);
        push_form(&mut query, "other", &[], true);
        assert_eq!(query, pairs(&[("tag", "")]));
    }

    #[test]
    fn deep_objects_use_brackets() {
        let mut query = pairs(&[("page", "2")]);
        push_deep_object(&mut query, "filter", &pairs(&[("from", "a@b"), ("unread", "true")]));
        assert_eq!(query, pairs(&[("page", "2"), ("filter[from]", "a@b"), ("filter[unread]", "true")]));
    }

    fn styled(value: &impl Serialize, style: QueryStyle, explode: bool) -> Vec<(String, String)> {
        let mut query = Vec::new();
        SerializedParam::from_serialize(value).unwrap().push_query(&mut query, "p", style, explode);
        query
    }

    #[test]
    fn serializable_values_become_styled_pairs() {
        assert_eq!(styled(&Some(5), QueryStyle::Form, true), pairs(&[("p", "5")]));
        assert_eq!(styled(&None::<u8>, QueryStyle::Form, true), pairs(&[]));
        assert_eq!(styled(&["a", "b"], QueryStyle::Form, true), pairs(&[("p", "a"), ("p", "b")]));
        assert_eq!(styled(&[1, 2], QueryStyle::PipeDelimited, false), pairs(&[("p", "1|2")]));
        assert_eq!(styled(&[true], QueryStyle::SpaceDelimited, false), pairs(&[("p", "true")]));
        let object = serde_json::json!({ "from": "x", "n": 1 });
        assert_eq!(styled(&object, QueryStyle::DeepObject, true), pairs(&[("p[from]", "x"), ("p[n]", "1")]));
        assert_eq!(styled(&object, QueryStyle::Form, true), pairs(&[("from", "x"), ("n", "1")]));
        assert_eq!(styled(&object, QueryStyle::Form, false), pairs(&[("p", "from,x,n,1")]));
    }

    #[test]
    fn path_params_serialize_then_encode() {
        assert_eq!(path_param("a/b"), "a%2Fb");
        assert_eq!(path_param(42_u64), "42");
        assert_eq!(path_param(["x", "y z"]), "x%2Cy%20z");
        assert_eq!(path_param(".."), "%2E%2E");
    }

    #[test]
    fn query_strings_decode_plus_and_percent() {
        assert_eq!(
            parse_query("q=a+b%2Bc&flag&&x=%E2%9C%89&bad=%FF"),
            pairs(&[("q", "a b+c"), ("flag", ""), ("x", "✉"), ("bad", "\u{FFFD}")])
        );
        assert!(parse_query("").is_empty());
    }
}
