//! RFC 7807 problem documents (`application/problem+json`).
//!
//! Always available, so a client can decode problem bodies as its error type;
//! the `server` feature adds the axum response conversion.

use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The media type of a problem document.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 7807 problem: `type`, `title`, `status`, `detail`, `instance` and
/// extension members such as `pointer` (JSON pointer into the request body)
/// and `parameter` (the offending parameter's name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// URI reference identifying the problem type; `about:blank` by default.
    #[serde(rename = "type", default = "about_blank")]
    pub type_uri: String,
    /// Short summary of the problem type.
    #[serde(default)]
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation specific to this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// URI reference identifying this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Extension members, serialized beside the standard ones.
    #[serde(flatten)]
    pub extensions: Map<String, Value>,
    /// `WWW-Authenticate` challenge sent with a 401; not part of the body.
    #[serde(skip)]
    pub challenge: Option<String>,
    /// `Retry-After` sent with a 429 or 503, in whole seconds (rounded up); not part of the body.
    #[serde(skip)]
    pub retry_after: Option<Duration>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

impl Problem {
    /// A problem for `status`, titled with the status's reason phrase.
    pub fn new(status: StatusCode) -> Self {
        Self {
            type_uri: about_blank(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: None,
            instance: None,
            extensions: Map::new(),
            challenge: None,
            retry_after: None,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST).with_detail(detail)
    }

    /// 401 with a `WWW-Authenticate` challenge such as `Bearer`.
    pub fn unauthorized(challenge: &str) -> Self {
        let mut problem = Self::new(StatusCode::UNAUTHORIZED);
        problem.challenge = Some(challenge.to_owned());
        problem
    }

    /// 403: authenticated but not allowed.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN).with_detail(detail)
    }

    /// 408: the request was not received in time.
    pub fn request_timeout(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT).with_detail(detail)
    }

    /// 429 with `Retry-After`: too many requests from this caller.
    pub fn too_many_requests(retry_after: Duration) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS).with_retry_after(retry_after)
    }

    /// 503 with `Retry-After`: the service cannot answer now, and may later.
    pub fn unavailable(retry_after: Duration) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE).with_retry_after(retry_after)
    }

    /// 404: no such resource or route.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND)
    }

    /// 405: the route exists but not for this method.
    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED)
    }

    /// 413: the body exceeds the size limit.
    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE).with_detail(detail)
    }

    /// 415: the body's content type is not accepted.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE).with_detail(detail)
    }

    /// 422: well-formed but invalid content (wrong type, missing field, bad enum value).
    pub fn unprocessable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY).with_detail(detail)
    }

    /// 501: the server does not implement `operation_id` (a generated `PartialApi`'s default).
    pub fn not_implemented(operation_id: &str) -> Self {
        Self::new(StatusCode::NOT_IMPLEMENTED)
            .with_detail(format!("`{operation_id}` is not implemented by this server"))
    }

    /// 500, without details: internals are logged, never sent.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Sets `detail`.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the `Retry-After` header the problem is sent with.
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// Sets the `pointer` extension: a JSON pointer to the offending body field.
    pub fn with_pointer(self, pointer: impl Into<String>) -> Self {
        self.with_extension("pointer", pointer.into())
    }

    /// Sets the `parameter` extension: the offending parameter's name.
    pub fn with_parameter(self, name: impl Into<String>) -> Self {
        self.with_extension("parameter", name.into())
    }

    /// Sets any extension member.
    pub fn with_extension(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(name.to_owned(), value.into());
        self
    }

    /// The status as a [`StatusCode`] (500 if the stored number is invalid).
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.title)?;
        match &self.detail {
            Some(detail) => write!(f, ": {detail}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Problem {}

#[cfg(feature = "server")]
impl Problem {
    /// Adds the headers the problem is sent with: `WWW-Authenticate`, `Retry-After`.
    pub(crate) fn insert_headers(&self, headers: &mut http::HeaderMap) {
        use http::header::{HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};

        if let Some(challenge) = self.challenge.as_deref().and_then(|c| HeaderValue::try_from(c).ok()) {
            headers.insert(WWW_AUTHENTICATE, challenge);
        }
        if let Some(retry_after) = self.retry_after {
            // Whole seconds, rounded up: a caller retrying early would only be refused again.
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
}

#[cfg(feature = "server")]
impl axum::response::IntoResponse for Problem {
    fn into_response(self) -> axum::response::Response {
        use http::header::{CONTENT_TYPE, HeaderValue};

        let status = self.status_code();
        // Serializing a struct of strings and JSON values cannot fail.
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        self.insert_headers(headers);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_standard_and_extension_members() {
        let problem = Problem::bad_request("limit must be a number").with_parameter("limit");
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            json!({
                "type": "about:blank",
                "title": "Bad Request",
                "status": 400,
                "detail": "limit must be a number",
                "parameter": "limit",
            })
        );
        assert_eq!(problem.to_string(), "400 Bad Request: limit must be a number");
    }

    #[test]
    fn deserializes_with_defaults_and_extensions() {
        let problem: Problem = serde_json::from_value(json!({ "status": 422, "pointer": "/to/0" })).unwrap();
        assert_eq!(problem.type_uri, "about:blank");
        assert_eq!(problem.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.extensions["pointer"], "/to/0");
    }

    #[cfg(feature = "server")]
    #[test]
    fn responds_with_problem_json_and_challenge() {
        use axum::response::IntoResponse as _;

        let response = Problem::unauthorized("Bearer").into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["content-type"], PROBLEM_JSON);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");

        let response = Problem::unavailable(std::time::Duration::from_millis(1500)).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()["retry-after"], "2");
    }
}
