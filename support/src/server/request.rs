//! The request as generated handlers read it: parameters, headers, body and the caller.

use axum::body::{Body, HttpBody};
use axum::extract::FromRequestParts;
use bytes::Bytes;
use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE, HeaderName, PROXY_AUTHORIZATION};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use super::auth::{Attempt, Authenticator, Principal, authenticate};
use super::form::decode_form;
use super::limits::Limits;
use super::multipart::decode_multipart;
use super::param_parsing::{PathParams, QueryParams, header_param};
use super::{check_content_type, parse_json_body};
use crate::form::FormMember;
use crate::problem::Problem;
use crate::security::{SchemeKind, Security};

/// Who called and the request headers, handed to every operation.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The authenticated caller; `None` for operations open to anonymous calls.
    pub principal: Option<Principal>,
    /// The request headers (for `Prefer`, tracing ids and the like).
    pub headers: HeaderMap,
}

/// Everything a generated handler parses: path, query, headers and the whole body.
#[derive(Debug)]
pub struct RequestParts {
    /// Decoded path parameters.
    pub path: PathParams,
    /// Decoded query parameters.
    pub query: QueryParams,
    /// The raw query string, for API keys sent in the query.
    pub raw_query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The body, already limited in size.
    pub body: Bytes,
}

/// Reads a request for an operation, in the order that costs an anonymous or refused caller
/// least: authentication against `security` first (method, URI and headers only), then the
/// path and query, then the body under [`Limits`] (size from `Content-Length` before reading,
/// the total read time). Returns the parts and the caller (`None` for an operation open to
/// anonymous calls), or the problem: 401/403/429/503, 400, 408 or 413.
///
/// The credential headers are marked sensitive, so `Debug` of the parts never prints them.
pub async fn read_request(
    auth: &impl Authenticator,
    request: axum::extract::Request,
    operation: &str,
    security: Security,
) -> Result<(RequestParts, Option<Principal>), Problem> {
    let (mut head, body) = request.into_parts();
    let attempt = Attempt { operation, method: &head.method, uri: &head.uri, headers: &head.headers };
    let principal = authenticate(auth, attempt, security).await?;
    let path = PathParams::from_request_parts(&mut head, &()).await?;
    let raw_query = head.uri.query().map(str::to_owned);
    let query = QueryParams::parse(raw_query.as_deref());
    let body = read_body(body, Limits::of(&head)).await?;
    let mut headers = head.headers;
    redact(&mut headers, &[AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE]);
    redact(&mut headers, &api_key_headers(security));
    Ok((RequestParts { path, query, raw_query, headers, body }, principal))
}

/// The whole body within `limits`: a 413 problem for a declared or counted size over
/// [`Limits::max_body_bytes`] (a declared one before anything is read), a 408 problem when it
/// is not all received within [`Limits::body_read_timeout`], a 400 when the connection fails.
pub async fn read_body(body: Body, limits: Limits) -> Result<Bytes, Problem> {
    let max = limits.max_body_bytes;
    let too_large =
        |size: String| Problem::payload_too_large(format!("the body{size} exceeds the limit of {max} bytes"));
    // hyper's size hint is the request's `Content-Length`.
    let declared = HttpBody::size_hint(&body).lower();
    if declared > max as u64 {
        return Err(too_large(format!(" of {declared} bytes")));
    }
    let read = Limited::new(body, max).collect();
    match tokio::time::timeout(limits.body_read_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.is::<LengthLimitError>() => Err(too_large(String::new())),
        Ok(Err(err)) => Err(Problem::bad_request(format!("the body could not be read: {err}"))),
        Err(_) => Err(Problem::request_timeout(format!(
            "the body was not received within {} ms",
            limits.body_read_timeout.as_millis()
        ))),
    }
}

impl RequestParts {
    /// An optional header parameter, parsed.
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Problem> {
        header_param(&self.headers, name)
    }

    /// A JSON body of one of the `accepted` media types: 415, 400 or 422 problems otherwise.
    pub fn json_body<T: DeserializeOwned>(&self, accepted: &[&str]) -> Result<T, Problem> {
        check_content_type(&self.headers, accepted)?;
        parse_json_body(&self.body)
    }

    /// A UTF-8 text body of one of the `accepted` media types.
    pub fn text_body(&self, accepted: &[&str]) -> Result<String, Problem> {
        check_content_type(&self.headers, accepted)?;
        String::from_utf8(self.body.to_vec()).map_err(|_| Problem::bad_request("the body is not valid UTF-8"))
    }

    /// A raw body of one of the `accepted` media types.
    pub fn bytes_body(&self, accepted: &[&str]) -> Result<Bytes, Problem> {
        check_content_type(&self.headers, accepted)?;
        Ok(self.body.clone())
    }

    /// A form body (`application/x-www-form-urlencoded`) of one of the `accepted` media types,
    /// its members styled as `members` says: 415 or 422 problems otherwise.
    pub fn form_body<T: DeserializeOwned>(&self, accepted: &[&str], members: &[FormMember]) -> Result<T, Problem> {
        check_content_type(&self.headers, accepted)?;
        decode_form(&self.body, members)
    }

    /// A `multipart/form-data` body of one of the `accepted` media types, decoded into `T`'s
    /// members: 415, 400 or 422 problems otherwise.
    pub fn multipart_body<T: DeserializeOwned>(&self, accepted: &[&str]) -> Result<T, Problem> {
        check_content_type(&self.headers, accepted)?;
        decode_multipart(&self.headers, &self.body)
    }

    /// Which of a body's documented media types arrived (its index in `accepted`): 415 when none.
    pub fn media_index(&self, accepted: &[&str]) -> Result<usize, Problem> {
        check_content_type(&self.headers, accepted)?;
        let received = self.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let received = crate::media::essence(received);
        Ok(accepted.iter().position(|m| crate::media::same_essence(m, received)).unwrap_or_default())
    }

    /// An optional body: absent when the request has none, else parsed by `parse`.
    pub fn optional_body<T>(&self, parse: impl FnOnce(&Self) -> Result<T, Problem>) -> Result<Option<T>, Problem> {
        if self.body.is_empty() {
            return Ok(None);
        }
        parse(self).map(Some)
    }
}

/// The headers of the API keys of `security`'s schemes.
fn api_key_headers(security: Security) -> Vec<HeaderName> {
    security
        .iter()
        .flat_map(|schemes| schemes.iter())
        .filter_map(|scheme| match scheme.kind {
            SchemeKind::ApiKeyHeader(name) => HeaderName::try_from(name).ok(),
            _ => None,
        })
        .collect()
}

/// Marks the values of `names` sensitive: `Debug` of the headers then prints `Sensitive`, as
/// the client's does, and HTTP/2 never indexes them.
fn redact(headers: &mut HeaderMap, names: &[HeaderName]) {
    for name in names {
        if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}
