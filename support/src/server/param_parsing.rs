//! Path, query and header parameters for generated handlers.
//!
//! Each value is deserialized from its string form, so anything that
//! deserializes from a string or number works: integers, booleans, enums,
//! dates. Failures are 400 problems naming the parameter.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, RawPathParams};
use http::HeaderMap;
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::param_encoding::parse_query;
use crate::param_text::ParamText;
use crate::problem::Problem;

/// Parses one parameter value; on failure a 400 problem names `name`.
pub fn parse_param<T: DeserializeOwned>(name: &str, value: &str) -> Result<T, Problem> {
    T::deserialize(ParamText(value)).map_err(|err| {
        Problem::bad_request(format!("invalid value for parameter `{name}`: {err}")).with_parameter(name)
    })
}

/// Parses a comma-separated (`style: simple` or non-exploded `form`) array.
pub fn parse_array<T: DeserializeOwned>(name: &str, value: &str) -> Result<Vec<T>, Problem> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    value.split(',').map(|item| parse_param(name, item)).collect()
}

/// Parses an optional header parameter.
pub fn header_param<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Result<Option<T>, Problem> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Problem::bad_request(format!("header `{name}` is not visible ASCII")).with_parameter(name))?;
    parse_param(name, text).map(Some)
}

/// A problem for a missing required parameter.
pub fn missing_param(name: &str) -> Problem {
    Problem::bad_request(format!("missing required parameter `{name}`")).with_parameter(name)
}

/// The decoded query string; an extractor that never fails.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Decodes a raw query string (without `?`).
    pub fn parse(query: Option<&str>) -> Self {
        Self(query.map(parse_query).unwrap_or_default())
    }

    /// All decoded pairs in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Every value of `name` (repeated, exploded parameters).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Parses an optional scalar parameter.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Problem> {
        self.get(name).map(|value| parse_param(name, value)).transpose()
    }

    /// Parses a required scalar parameter; absence is a 400 problem.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Problem> {
        self.optional(name)?.ok_or_else(|| missing_param(name))
    }

    /// Parses a `style: form` array: repeated pairs with `explode`, else one
    /// comma-separated value. `None` when the parameter is absent.
    pub fn array<T: DeserializeOwned>(&self, name: &str, explode: bool) -> Result<Option<Vec<T>>, Problem> {
        if self.get(name).is_none() {
            return Ok(None);
        }
        let items: Result<Vec<T>, Problem> = if explode {
            self.all(name).map(|value| parse_param(name, value)).collect()
        } else {
            self.get(name).map_or(Ok(Vec::new()), |value| parse_array(name, value))
        };
        items.map(Some)
    }

    /// The entries of a `style: deepObject` parameter: `name[key]=value` as `(key, value)`.
    pub fn deep_object(&self, name: &str) -> Vec<(String, String)> {
        let entries = self.0.iter().filter_map(|(key, value)| {
            let inner = key.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
            Some((inner.to_owned(), value.clone()))
        });
        entries.collect()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::parse(parts.uri.query()))
    }
}

/// The route's path parameters, percent-decoded; the rejection is a problem.
///
/// A decoded value containing `/` (sent as `%2F`) or being a dot segment (`.`, `..`, also
/// sent as `%2E%2E`) is a 400 problem naming the parameter: handlers often put parameters
/// into other paths or URLs, where such a value would change which resource is meant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathParams(Vec<(String, String)>);

impl PathParams {
    /// Builds the parameters from decoded pairs (useful in tests).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// Parses the parameter `name`. A missing one means the route and the
    /// handler disagree, a server bug, hence 500.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Problem> {
        parse_param(name, self.routed(name)?)
    }

    /// The raw value of `name`. A missing one means the route and the handler
    /// disagree, a server bug, hence 500.
    fn routed(&self, name: &str) -> Result<&str, Problem> {
        match self.0.iter().find(|(key, _)| key == name) {
            Some((_, value)) => Ok(value),
            None => {
                tracing::error!(parameter = name, "route has no such path parameter");
                Err(Problem::internal())
            }
        }
    }

    /// Parses the parameter `name` that shares its segment with literal text
    /// (`{sid}.json`): the router matched the whole segment, so a value
    /// without that text is a path the API does not have, hence 404.
    pub fn required_affixed<T: DeserializeOwned>(&self, name: &str, prefix: &str, suffix: &str) -> Result<T, Problem> {
        let inner = self.routed(name)?.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(suffix));
        match inner {
            Some(inner) if !inner.is_empty() => parse_param(name, inner),
            _ => Err(Problem::not_found()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathParams {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rejection| Problem::bad_request(rejection.body_text()))?;
        raw.iter()
            .map(|(key, value)| match path_structure(value) {
                Some(why) => {
                    Err(Problem::bad_request(format!("path parameter `{key}` must not {why}")).with_parameter(key))
                }
                None => Ok((key.to_owned(), value.to_owned())),
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

/// Why a decoded path parameter could be mistaken for path structure, if it could.
fn path_structure(value: &str) -> Option<&'static str> {
    if value.contains('/') {
        Some("contain `/` (`%2F`)")
    } else if matches!(value, "." | "..") {
        Some("be a dot segment (`.` or `..`)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Folder {
        Inbox,
        Sent,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct MessageId(u64);

    fn query(raw: &str) -> QueryParams {
        QueryParams::parse(Some(raw))
    }

    #[test]
    fn scalars_parse_from_strings() {
        assert_eq!(parse_param::<u32>("limit", "25").unwrap(), 25);
        assert_eq!(parse_param::<f64>("x", "1.5").unwrap(), 1.5);
        assert!(parse_param::<bool>("unread", "true").unwrap());
        assert_eq!(parse_param::<Folder>("folder", "sent").unwrap(), Folder::Sent);
        assert_eq!(parse_param::<MessageId>("id", "7").unwrap(), MessageId(7));
        assert_eq!(parse_param::<Option<String>>("q", "a b").unwrap().as_deref(), Some("a b"));
        let date: chrono::NaiveDate = parse_param("since", "2024-02-29").unwrap();
        assert_eq!(date.to_string(), "2024-02-29");
    }

    #[test]
    fn bad_values_are_400_naming_the_parameter() {
        let problem = parse_param::<u32>("limit", "-1").unwrap_err();
        assert_eq!(problem.status, 400);
        assert_eq!(problem.extensions["parameter"], "limit");
        assert!(problem.detail.unwrap().contains("`limit`"));
        assert!(parse_param::<Folder>("folder", "trash").is_err());
        assert!(parse_param::<bool>("unread", "yes").is_err());
    }

    #[test]
    fn query_scalars_arrays_and_deep_objects() {
        let q = query("limit=5&tag=a&tag=b&ids=1,2,3&filter[from]=x%40y&filter[unread]=true&empty=");
        assert_eq!(q.required::<u8>("limit").unwrap(), 5);
        assert_eq!(q.optional::<u8>("page").unwrap(), None);
        assert_eq!(q.required::<u8>("page").unwrap_err().extensions["parameter"], "page");
        assert_eq!(q.array::<String>("tag", true).unwrap().unwrap(), ["a", "b"]);
        assert_eq!(q.array::<u8>("ids", false).unwrap().unwrap(), [1, 2, 3]);
        assert_eq!(q.array::<u8>("empty", false).unwrap().unwrap(), Vec::<u8>::new());
        assert_eq!(q.array::<u8>("none", false).unwrap(), None);
        assert!(q.array::<u8>("tag", true).is_err());
        let filter = q.deep_object("filter");
        assert_eq!(filter, [("from".to_owned(), "x@y".to_owned()), ("unread".to_owned(), "true".to_owned())]);
    }

    #[test]
    fn headers_and_path_params() {
        let mut headers = HeaderMap::new();
        headers.insert("x-page", HeaderValue::from_static("3"));
        assert_eq!(header_param::<u8>(&headers, "x-page").unwrap(), Some(3));
        assert_eq!(header_param::<u8>(&headers, "x-other").unwrap(), None);

        let path = PathParams::from_pairs(vec![("id".to_owned(), "a/b".to_owned())]);
        assert_eq!(path.required::<String>("id").unwrap(), "a/b");
        assert_eq!(path.required::<String>("nope").unwrap_err().status, 500);
    }
}
