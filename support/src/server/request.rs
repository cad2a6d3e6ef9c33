//! The request as generated handlers read it: parameters, headers, body and the caller.

use axum::extract::{FromRequest, FromRequestParts};
use bytes::Bytes;
use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE, HeaderName, PROXY_AUTHORIZATION};
use serde::de::DeserializeOwned;

use super::auth::{Authenticator, Principal, authenticate};
use super::form::decode_form;
use super::param_parsing::{PathParams, QueryParams, header_param};
use super::{RawBody, check_content_type, parse_json_body};
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

impl<S: Send + Sync> FromRequest<S> for RequestParts {
    type Rejection = Problem;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Problem> {
        let (mut parts, body) = request.into_parts();
        let path = PathParams::from_request_parts(&mut parts, state).await?;
        let raw_query = parts.uri.query().map(str::to_owned);
        let query = QueryParams::parse(raw_query.as_deref());
        // Moved, not cloned: reading the body needs only its size limit, kept in the extensions.
        let mut headers = std::mem::take(&mut parts.headers);
        redact(&mut headers, &[AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE]);
        let request = axum::extract::Request::from_parts(parts, body);
        let RawBody(body) = RawBody::from_request(request, state).await?;
        Ok(Self { path, query, raw_query, headers, body })
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

/// Authenticates a request against an operation's security: the caller (`None` for an
/// operation open to anonymous calls), or the 401 problem when it fails. The API-key headers of
/// the operation's schemes are marked sensitive first, so `Debug` never prints them.
pub async fn authenticate_request(
    auth: &impl Authenticator,
    parts: &mut RequestParts,
    security: Security,
) -> Result<Option<Principal>, Problem> {
    let key_headers: Vec<HeaderName> = security
        .iter()
        .flat_map(|schemes| schemes.iter())
        .filter_map(|scheme| match scheme.kind {
            SchemeKind::ApiKeyHeader(name) => HeaderName::try_from(name).ok(),
            _ => None,
        })
        .collect();
    redact(&mut parts.headers, &key_headers);
    authenticate(auth, &parts.headers, parts.raw_query.as_deref(), security).await
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
