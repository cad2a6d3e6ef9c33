//! Members a JSON document carries that the type it is decoded into does not declare.
//!
//! serde skips unknown object members silently; [`serde_ignored`] reports each one it skips,
//! and this module turns those reports into JSON pointers (RFC 6901) into the document. A
//! member inside a `#[serde(untagged)]` union or a `#[serde(flatten)]`ed map is buffered by
//! serde before the type sees it and is not reported.

use serde::de::{DeserializeOwned, IntoDeserializer as _};
use serde_ignored::Path;

/// A decoded value and the JSON pointers of the members its type does not declare, in
/// document order (for a parsed `Value`, in the order of its maps).
pub type Decoded<T> = (T, Vec<String>);

/// Decodes JSON text into `T`, collecting the members `T` does not declare.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<Decoded<T>, serde_json::Error> {
    let mut undeclared = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_ignored::deserialize(&mut deserializer, |path| {
        undeclared.push(pointer(&path));
    })?;
    deserializer.end()?;
    Ok((value, undeclared))
}

/// Decodes an already parsed JSON value into `T`, collecting the members `T` does not declare.
pub fn from_value<T: DeserializeOwned>(json: serde_json::Value) -> Result<Decoded<T>, serde_json::Error> {
    let mut undeclared = Vec::new();
    let value = serde_ignored::deserialize(json.into_deserializer(), |path| {
        undeclared.push(pointer(&path));
    })?;
    Ok((value, undeclared))
}

/// The JSON pointer of a path serde_ignored reports (`Some` and newtype steps add nothing).
fn pointer(path: &Path<'_>) -> String {
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}/{index}", pointer(parent)),
        Path::Map { parent, key } => {
            format!("{}/{}", pointer(parent), key.replace('~', "~0").replace('/', "~1"))
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => pointer(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        name: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        items: Vec<Item>,
        next: Option<Box<Page>>,
    }

    /// `json` decodes into `Page` and reports exactly `expected`, from text and from a value.
    #[track_caller]
    fn check(json: &str, expected: &[&str]) {
        let (_, from_text) = from_slice::<Page>(json.as_bytes()).unwrap();
        let (_, mut from_parsed) = from_value::<Page>(serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(from_text, expected, "{json}");
        // A parsed value's objects are sorted by member name.
        let mut sorted = expected.to_vec();
        sorted.sort();
        from_parsed.sort();
        assert_eq!(from_parsed, sorted, "{json}");
    }

    #[test]
    fn undeclared_members_are_json_pointers() {
        check(r#"{"items":[]}"#, &[]);
        check(r#"{"items":[],"total":3}"#, &["/total"]);
        check(r#"{"items":[{"name":"a"},{"name":"b","id":{"x":1}}]}"#, &["/items/1/id"]);
        check(r#"{"items":[],"next":{"items":[],"a/b~c":0}}"#, &["/next/a~1b~0c"]);
        check(r#"{"z":1,"items":[],"a":2}"#, &["/z", "/a"]);
    }

    #[test]
    fn a_body_that_does_not_fit_is_still_an_error() {
        assert!(from_slice::<Page>(br#"{"items":{}}"#).is_err());
        assert!(from_slice::<Page>(br#"{"items":[]} x"#).is_err());
    }
}
