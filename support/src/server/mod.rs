//! Helpers for generated axum servers: authentication, request parsing,
//! responses and safety layers. Every failure is a [`Problem`] response.

// Public so that rustdoc has a page at each item's definition path: the docs that other crates
// inline (a generated crate's re-exports) link there. The items are used through the re-exports below.
pub mod auth;
pub mod errors;
pub mod form;
pub mod limits;
pub mod mock;
pub mod multipart;
pub mod param_parsing;
pub mod request;
pub mod strict;
pub mod validate;

use std::any::Any;
use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::extract::FromRequest;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use http::StatusCode;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::util::MapResponseLayer;
use tower_http::catch_panic::CatchPanicLayer;

use crate::media::{essence, same_essence};

pub use auth::{Attempt, AuthError, AuthRequest, Authenticator, Principal, authenticate};
pub use errors::{Documented, ErrorShape, Member, problem_response};
pub use form::decode_form;
pub use limits::{Limits, serve, with_limits};
pub use mock::{
    AcceptAny, Candidate, choose_example, example_body, example_events, example_json, example_text, serve_mock,
};
pub use multipart::decode_multipart;
pub use param_parsing::{PathParams, QueryParams, header_param, missing_param, parse_array, parse_param};
pub use request::{Context, RequestParts, read_body, read_request};
pub use strict::Strict;
pub use validate::{Counted, Numeric, Validate, Violations};

pub use crate::problem::{PROBLEM_JSON, Problem};
pub use crate::security::{Scheme, SchemeKind, Security};
pub use crate::sse::SseEvent;

/// Applies the standard layers to a finished router: problems for 404 and 405, and panic
/// catching. Call it after adding the routes; layers only wrap existing routes. Sizes and
/// timeouts are [`Limits`], applied by [`serve`] or [`with_limits`].
pub fn with_defaults<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    with_problems(router.layer(catch_panic_layer()))
}

/// Turns axum's bare 404 (no route) and 405 (no such method) into problem documents, keeping
/// `Allow`. A layer rather than a fallback, so the router can still be merged with others; a
/// plain function on the response rather than axum's `map_response`, which boxes each future.
pub fn with_problems<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(MapResponseLayer::new(problem_for_bare_errors as fn(Response) -> Response))
}

fn problem_for_bare_errors(response: Response) -> Response {
    let bare = !response.headers().contains_key(CONTENT_TYPE);
    let problem = match response.status() {
        StatusCode::NOT_FOUND if bare => Problem::not_found(),
        StatusCode::METHOD_NOT_ALLOWED if bare => Problem::method_not_allowed(),
        _ => return response,
    };
    let allow = response.headers().get(http::header::ALLOW).cloned();
    let mut replaced = problem.into_response();
    if let Some(allow) = allow {
        replaced.headers_mut().insert(http::header::ALLOW, allow);
    }
    replaced
}

/// The response maker [`catch_panic_layer`] uses.
pub type PanicHandler = fn(Box<dyn Any + Send + 'static>) -> Response;

/// Turns a panicking handler into a 500 problem; the server keeps serving.
pub fn catch_panic_layer() -> CatchPanicLayer<PanicHandler> {
    CatchPanicLayer::custom(panic_response as PanicHandler)
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload");
    tracing::error!(panic = message, "handler panicked");
    Problem::internal().into_response()
}

/// The whole request body, read by [`read_body`] under the request's [`Limits`]: an oversized
/// or late body is a 413 or 408 problem rather than axum's plain-text rejection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Problem;

    async fn from_request(request: axum::extract::Request, _: &S) -> Result<Self, Problem> {
        let (head, body) = request.into_parts();
        read_body(body, Limits::of(&head)).await.map(Self)
    }
}

/// Checks the content type, then parses the body as JSON; see [`parse_json_body`].
pub fn read_json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Bytes,
    accepted_content_types: &[&str],
) -> Result<T, Problem> {
    check_content_type(headers, accepted_content_types)?;
    parse_json_body(&body)
}

/// 415 unless the request's media type essence (type/subtype, parameters
/// ignored, case-insensitive) is one of `accepted`.
pub fn check_content_type(headers: &HeaderMap, accepted: &[&str]) -> Result<(), Problem> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Err(Problem::unsupported_media_type("missing content type"));
    };
    let received = essence(value.to_str().unwrap_or_default());
    if accepted.iter().any(|media_type| same_essence(media_type, received)) {
        return Ok(());
    }
    Err(Problem::unsupported_media_type(format!(
        "content type `{received}` is not accepted; expected {}",
        accepted.join(" or ")
    )))
}

/// Parses JSON: 400 with line and column for malformed JSON, 422 with the
/// JSON pointer of the failing field for wrong types, missing fields or
/// unknown enum values. Well-formed JSON of the wrong shape is always a 422, never "malformed":
/// serde reports some type errors (an enum given `{}`) as syntax errors, so the body is first
/// read as a JSON value, then turned into `T` through [`Strict`], which also refuses serde's
/// positional form of a struct (a JSON array where the schema has an object).
pub fn parse_json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(syntax_problem)?;
    // Tracking the path costs on every value, so only a body that fails is read again with it.
    if let Ok(parsed) = T::deserialize(strict::Strict(&value)) {
        return Ok(parsed);
    }
    match serde_path_to_error::deserialize::<_, T>(strict::Strict(&value)) {
        Ok(parsed) => Ok(parsed),
        Err(err) => Err(data_problem(err)),
    }
}

fn data_problem<E: std::fmt::Display>(err: serde_path_to_error::Error<E>) -> Problem {
    let mut pointer = json_pointer(err.path());
    // serde reports a missing field at its parent; point at the field itself.
    let message = err.into_inner().to_string();
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        pointer.push('/');
        pointer.push_str(&escape_pointer(field));
    }
    // The pointer leads the detail too, for documented error shapes with no place for it.
    let detail = if pointer.is_empty() { message } else { format!("{pointer}: {message}") };
    Problem::unprocessable(detail).with_pointer(pointer)
}

/// For an optional member that is not `nullable`: `null` is a type error, as the schema says,
/// where `Option`'s own `Deserialize` would take it as absent. Generated server types use it as
/// `#[serde(default, deserialize_with = "...")]`.
pub fn non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

fn syntax_problem(err: serde_json::Error) -> Problem {
    Problem::bad_request(format!("malformed JSON: {err}"))
        .with_extension("line", err.line())
        .with_extension("column", err.column())
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;

    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape_pointer(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", escape_pointer(variant))),
            Segment::Unknown => {}
        }
    }
    pointer
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON response with the given status and exact content type (e.g.
/// `application/vnd.api+json`). A body that fails to serialize is logged
/// and answered with a 500 problem.
pub fn json_response<T: Serialize>(status: StatusCode, content_type: &str, body: &T) -> Response {
    let json = match serde_json::to_vec(body) {
        Ok(json) => json,
        Err(err) => {
            tracing::error!(error = %err, "response body is not serializable");
            return Problem::internal().into_response();
        }
    };
    match content_type_header(content_type) {
        Ok(header) => (status, [header], json).into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A `Content-Type` header; an invalid value is a server bug, logged and answered with 500.
fn content_type_header(content_type: &str) -> Result<(http::HeaderName, HeaderValue), Problem> {
    match HeaderValue::from_str(content_type) {
        Ok(value) => Ok((CONTENT_TYPE, value)),
        Err(_) => {
            tracing::error!(content_type, "invalid response content type");
            Err(Problem::internal())
        }
    }
}

/// A streaming `text/event-stream` response, one event per stream item.
pub fn sse_response<S>(events: S) -> Response
where
    S: Stream<Item = SseEvent> + Send + 'static,
{
    let body = Body::from_stream(events.map(|event| Ok::<_, Infallible>(event.encode())));
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
        (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (headers, body).into_response()
}

/// A streaming binary response; an error item aborts the connection.
pub fn stream_response<S, E>(content_type: &str, chunks: S) -> Response
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<axum::BoxError>,
{
    match content_type_header(content_type) {
        Ok(header) => ([header], Body::from_stream(chunks)).into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A typed event stream a handler answers an SSE operation with.
pub type EventStream<T> = std::pin::Pin<Box<dyn Stream<Item = T> + Send>>;

/// A handler's result as a response: the documented response, or the problem.
pub fn respond<R: IntoResponse>(result: Result<R, Problem>) -> Response {
    match result {
        Ok(response) => response.into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A handler's result as a response: the documented response, or the problem in the shape the
/// operation documents for its status (see [`problem_response`]).
pub fn respond_documented<R: IntoResponse>(result: Result<R, Problem>, shapes: &[ErrorShape]) -> Response {
    match result {
        Ok(response) => response.into_response(),
        Err(problem) => problem_response(problem, shapes),
    }
}

/// Adds a response's documented headers (`(name, text)`, absent ones left out). A value that is
/// not a valid header value (a line break, say) cannot be sent: the answer is a 500 problem
/// (the header is named in the log, as internals are).
pub fn with_headers(mut response: Response, pairs: &[(&'static str, Option<String>)]) -> Response {
    match crate::headers::insert_all(response.headers_mut(), pairs) {
        Ok(()) => response,
        Err(err) => {
            tracing::error!(header = err.name, "the handler answered with a header value that cannot be sent");
            Problem::internal().into_response()
        }
    }
}

/// The status for a code the spec documents (validated to be 100..=599 by the generator).
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A text response with its exact content type.
pub fn text_response(status: StatusCode, content_type: &str, body: String) -> Response {
    body_response(status, content_type, Body::from(body))
}

/// A raw (possibly streaming) body with its content type.
pub fn body_response(status: StatusCode, content_type: &str, body: Body) -> Response {
    match content_type_header(content_type) {
        Ok(header) => (status, [header], body).into_response(),
        Err(problem) => problem.into_response(),
    }
}

/// A `text/event-stream` response with each item of `events` as one JSON `data` event.
pub fn sse_json_response<T: Serialize + Send + 'static>(events: EventStream<T>) -> Response {
    sse_response(events.map(|item| match SseEvent::json(&item) {
        Ok(event) => event,
        Err(err) => {
            tracing::error!(error = %err, "event is not serializable");
            SseEvent::new("").with_event("error")
        }
    }))
}

#[cfg(test)]
mod tests;
