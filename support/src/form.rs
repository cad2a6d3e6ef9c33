//! `application/x-www-form-urlencoded` bodies: a typed struct's members as form pairs, each
//! in the style its `encoding` entry gives (the same styles as query parameters). The
//! server's decoding is `server::form_body`.

use serde::Serialize;
use serde_json::Value;

use crate::param_encoding::{QueryStyle, SerializedParam};

/// How one member of a form body is written, when not `style: form, explode: true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormMember {
    /// The member's name, as in the body's schema.
    pub name: &'static str,
    /// Its style.
    pub style: QueryStyle,
    /// Arrays (and objects, for `deepObject`) as one pair per item.
    pub explode: bool,
}

/// The style of `name`: its entry in `members`, else `form`, exploded.
pub fn member_style(members: &[FormMember], name: &str) -> (QueryStyle, bool) {
    members.iter().find(|m| m.name == name).map_or((QueryStyle::Form, true), |m| (m.style, m.explode))
}

/// Encodes `body`, which must serialize to a JSON object, as a form: each member in its style
/// (`None` members are left out), nested objects and arrays of objects as JSON text.
pub fn encode_form<T: Serialize + ?Sized>(body: &T, members: &[FormMember]) -> Result<String, String> {
    let Value::Object(object) = serde_json::to_value(body).map_err(|e| e.to_string())? else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (name, value) in &object {
        let (style, explode) = member_style(members, name);
        let value = match value {
            // The `encoding.contentType` default for an object member: JSON.
            Value::Object(_) if style != QueryStyle::DeepObject => SerializedParam::Scalar(value.to_string()),
            _ => SerializedParam::from_serialize(value).map_err(|e| format!("member `{name}`: {e}"))?,
        };
        value.push_query(&mut pairs, name, style, explode);
    }
    Ok(form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Compares pairs, not their order: members come in `serde_json`'s map order, which is the
    /// struct's when a crate in the build enables `preserve_order` and sorted otherwise.
    fn check(body: Value, members: &[FormMember], expected: &str) {
        let pairs = |s: &str| {
            let mut pairs: Vec<(String, String)> = form_urlencoded::parse(s.as_bytes()).into_owned().collect();
            pairs.sort();
            pairs
        };
        let encoded = encode_form(&body, members).unwrap();
        assert_eq!(pairs(&encoded), pairs(expected), "{encoded}");
    }

    #[test]
    fn members_follow_their_encoding() {
        check(
            json!({ "To": "+1 555", "Body": "a&b=c", "n": 3, "on": true, "gone": null }),
            &[],
            "Body=a%26b%3Dc&To=%2B1+555&n=3&on=true",
        );
        check(json!({ "tag": ["a", "b"] }), &[], "tag=a&tag=b");
        let joined = [FormMember { name: "tag", style: QueryStyle::Form, explode: false }];
        check(json!({ "tag": ["a", "b"] }), &joined, "tag=a%2Cb");
        let piped = [FormMember { name: "tag", style: QueryStyle::PipeDelimited, explode: false }];
        check(json!({ "tag": ["a", "b"] }), &piped, "tag=a%7Cb");
        let deep = [FormMember { name: "filter", style: QueryStyle::DeepObject, explode: true }];
        check(json!({ "filter": { "from": "x", "n": 1 } }), &deep, "filter%5Bfrom%5D=x&filter%5Bn%5D=1");
        check(json!({ "tags": [{ "id": 1 }] }), &[], "tags=%7B%22id%22%3A1%7D");
        check(json!({ "category": { "id": 1 } }), &[], "category=%7B%22id%22%3A1%7D");
        assert!(encode_form(&json!([1]), &[]).is_err());
    }
}
