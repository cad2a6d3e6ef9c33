//! Encoding of path and query parameters, shared by client and server.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

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
        assert_eq!(
            query,
            pairs(&[("page", "2"), ("filter[from]", "a@b"), ("filter[unread]", "true")])
        );
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
