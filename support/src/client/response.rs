//! Responses and the errors an operation can return.

use std::collections::BTreeSet;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Mutex;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::stream::StreamingResponse;
use crate::headers::HeaderError;
use crate::undeclared;

/// A buffered response, before the generated code picks its meaning.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The operation that was called, named in drift reports.
    pub operation_id: &'static str,
    /// Whether members the schema does not declare fail the decode ([`Error::Undeclared`])
    /// instead of only being logged.
    pub strict: bool,
}

impl RawResponse {
    /// A successful response whose body is JSON of type `T`.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        let body = decode_json(&self)?;
        Ok(self.into_value(body))
    }

    /// A successful response whose body is UTF-8 text.
    pub fn text<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        let body = decode_text(&self)?;
        Ok(self.into_value(body))
    }

    /// A successful response whose body is kept as bytes.
    pub fn bytes(self) -> ResponseValue<Bytes> {
        let body = self.body.clone();
        self.into_value(body)
    }

    /// The typed `body` with this response's status, headers and raw body.
    fn into_value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue { raw_body: Some(self.body), ..ResponseValue::from_parts(self.status, self.headers, body) }
    }

    /// Whether the response's `Content-Type` has the essence (type/subtype) of `media_type`.
    pub fn has_media_type(&self, media_type: &str) -> bool {
        let received = self.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        crate::media::same_essence(received, media_type)
    }

    /// The headers the spec documents for this response, read by `parse` (a generated
    /// `<Op><Status>Headers::parse`); a missing required or unparsable one is an [`Error::Decode`]
    /// naming the header.
    pub fn typed_headers<H, E>(&self, parse: impl FnOnce(&HeaderMap) -> Result<H, HeaderError>) -> Result<H, Error<E>> {
        parse(&self.headers).map_err(|err| Error::decode(self, err.to_string()))
    }

    /// A successful response whose body is ignored (204, or undocumented content).
    pub fn empty(self) -> ResponseValue<()> {
        self.into_value(())
    }

    /// Reads the whole body of a streaming response (used for its error
    /// statuses) within the call's timeout and size limit.
    pub async fn read(response: StreamingResponse) -> Result<Self, TransportError> {
        let (response, deadline, max_bytes, check) = response.into_buffered();
        tokio::time::timeout_at(deadline, Self::read_limited(response, max_bytes, check))
            .await
            .map_err(|_| TransportError::Timeout)?
    }

    /// Reads the whole body, refusing one larger than `max_bytes` (announced or
    /// received) before holding it all in memory.
    pub(crate) async fn read_limited(
        mut response: reqwest::Response,
        max_bytes: usize,
        check: DriftCheck,
    ) -> Result<Self, TransportError> {
        let too_large = || TransportError::BodyTooLarge { limit: max_bytes };
        if response.content_length().is_some_and(|n| n > max_bytes as u64) {
            return Err(too_large());
        }
        let (status, headers) = (response.status(), std::mem::take(response.headers_mut()));
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(TransportError::from_reqwest)? {
            if body.len() + chunk.len() > max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Self { status, headers, body: body.freeze(), operation_id: check.operation_id, strict: check.strict })
    }

    /// A documented error status with a JSON body, wrapped into the
    /// operation's error enum by `wrap` (usually a variant constructor).
    pub fn error_json<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        match decode_json::<T, E>(&self) {
            Ok(body) => Error::Api(self.into_value(wrap(body))),
            Err(err) => err,
        }
    }

    /// A documented error status with a text body.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        match decode_text::<E>(&self) {
            Ok(body) => Error::Api(self.into_value(wrap(body))),
            Err(err) => err,
        }
    }

    /// A documented error status with a binary body.
    pub fn error_bytes<E>(self, wrap: impl FnOnce(Bytes) -> E) -> Error<E> {
        let body = self.body.clone();
        Error::Api(self.into_value(wrap(body)))
    }

    /// A documented error status without a body.
    pub fn error_empty<E>(self, error: E) -> Error<E> {
        Error::Api(self.into_value(error))
    }

    /// For APIs that report errors inside a 2xx body: if the body parses as
    /// the error schema `T`, that is an [`Error::Api`]; otherwise the response
    /// is handed back for normal decoding. `T` needs a required field that
    /// success bodies lack, or every object would match. Members the error schema does not
    /// declare are reported like those of any other body.
    pub fn reject_error_in_body<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Result<Self, Error<E>> {
        match undeclared::from_slice::<T>(&self.body) {
            Ok((body, members)) => match report_undeclared(&self, members) {
                Ok(()) => Err(Error::Api(self.into_value(wrap(body)))),
                Err(err) => Err(err),
            },
            Err(_) => Ok(self),
        }
    }
}

/// The drift settings of one call, carried from the request to its response.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DriftCheck {
    pub(crate) operation_id: &'static str,
    pub(crate) strict: bool,
}

impl DriftCheck {
    /// Logs each undeclared member once per operation and pointer; in strict mode,
    /// returns `false` when there are any.
    pub(crate) fn accepts(self, members: &[String]) -> bool {
        for pointer in members {
            warn_once(self.operation_id, pointer);
        }
        members.is_empty() || !self.strict
    }
}

/// A `tracing` warning for an undeclared member, the first time this operation sends it.
/// Array indices are left out of the key, so one member of every list item warns once.
fn warn_once(operation_id: &'static str, pointer: &str) {
    static SEEN: Mutex<BTreeSet<(&'static str, String)>> = Mutex::new(BTreeSet::new());
    let key = pointer
        .split('/')
        .map(|segment| match segment.bytes().all(|b| b.is_ascii_digit()) && !segment.is_empty() {
            true => "-",
            false => segment,
        })
        .collect::<Vec<_>>()
        .join("/");
    let first = match SEEN.lock() {
        Ok(mut seen) => seen.insert((operation_id, key)),
        Err(_) => true,
    };
    if first {
        tracing::warn!(operation_id, pointer, "the response carries a member its schema does not declare");
    }
}

/// Reports `members` of `raw`'s body; in strict mode, any is an [`Error::Undeclared`].
fn report_undeclared<E>(raw: &RawResponse, members: Vec<String>) -> Result<(), Error<E>> {
    let check = DriftCheck { operation_id: raw.operation_id, strict: raw.strict };
    if check.accepts(&members) {
        return Ok(());
    }
    Err(Error::Undeclared {
        status: raw.status,
        headers: raw.headers.clone(),
        body: raw.body.clone(),
        operation_id: raw.operation_id,
        members,
    })
}

/// Decodes the body as JSON; on failure keeps the raw body in [`Error::Decode`]. Members
/// the type does not declare are logged, or an [`Error::Undeclared`] in strict mode.
pub fn decode_json<T: DeserializeOwned, E>(raw: &RawResponse) -> Result<T, Error<E>> {
    let (body, members) = undeclared::from_slice(&raw.body).map_err(|err| Error::decode(raw, err.to_string()))?;
    report_undeclared(raw, members)?;
    Ok(body)
}

/// Decodes the body as UTF-8 text; on failure keeps the raw body in [`Error::Decode`].
pub fn decode_text<E>(raw: &RawResponse) -> Result<String, Error<E>> {
    String::from_utf8(raw.body.to_vec()).map_err(|err| Error::decode(raw, err.to_string()))
}

/// The body as bytes; never fails, returns `Result` to match the other decoders.
pub fn decode_bytes<E>(raw: &RawResponse) -> Result<Bytes, Error<E>> {
    Ok(raw.body.clone())
}

/// A typed body with the status and headers it came with, and the raw body it was decoded from.
/// `H` is the struct of the headers the spec documents for the response, read into their types
/// (`()` when it documents none).
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseValue<T, H = ()> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    raw_body: Option<Bytes>,
    typed_headers: H,
}

impl<T> ResponseValue<T> {
    /// Pairs `body` with the status, headers and raw body of `raw`.
    pub fn new(raw: &RawResponse, body: T) -> Self {
        Self { raw_body: Some(raw.body.clone()), ..Self::from_parts(raw.status, raw.headers.clone(), body) }
    }

    /// Builds a value from its parts, without a raw body.
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self { status, headers, body, raw_body: None, typed_headers: () }
    }

    /// Adds the documented headers, read into their types.
    pub fn with_typed_headers<H>(self, typed_headers: H) -> ResponseValue<T, H> {
        let Self { status, headers, body, raw_body, typed_headers: () } = self;
        ResponseValue { status, headers, body, raw_body, typed_headers }
    }
}

impl<T, H> ResponseValue<T, H> {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers the spec documents for this response, typed.
    pub fn typed_headers(&self) -> &H {
        &self.typed_headers
    }

    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The body as received, before decoding: it keeps members the typed body has no place
    /// for. `None` for streamed bodies and values built with [`ResponseValue::from_parts`].
    pub fn raw_body(&self) -> Option<&Bytes> {
        self.raw_body.as_ref()
    }

    /// The typed body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// Maps the body, keeping status, headers and raw body.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U, H> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            raw_body: self.raw_body,
            typed_headers: self.typed_headers,
        }
    }
}

impl<T, H> std::ops::Deref for ResponseValue<T, H> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// Why a request could not be sent or its response not received.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// The request could not be built (bad header value, unserializable body, foreign link).
    InvalidRequest(String),
    /// No response head, whole buffered body, or next chunk of a stream within the timeout.
    Timeout,
    /// The body is larger than the client's `max_response_bytes`.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection could not be established.
    Connect(reqwest::Error),
    /// Any other HTTP-level failure, such as a reset while reading the body.
    Http(reqwest::Error),
}

impl TransportError {
    /// Classifies a reqwest error; the URL is dropped since it may carry an API key.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        let err = err.without_url();
        if err.is_timeout() {
            Self::Timeout
        } else if err.is_connect() {
            Self::Connect(err)
        } else {
            Self::Http(err)
        }
    }

    /// Whether sending again may help: a failure of the exchange itself (a
    /// timeout, a refused or reset connection), not of the request we built.
    /// Only idempotent requests are ever retried.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout | Self::Connect(_) => true,
            Self::Http(err) => !err.is_redirect() && !err.is_builder(),
            Self::InvalidRequest(_) | Self::BodyTooLarge { .. } => false,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Self::Timeout => f.write_str("request timed out"),
            Self::BodyTooLarge { limit } => write!(f, "response body larger than {limit} bytes"),
            Self::Connect(_) => f.write_str("connection failed"),
            Self::Http(_) => f.write_str("HTTP transport failed"),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Connect(err) | Self::Http(err) => Some(err),
            Self::InvalidRequest(_) | Self::Timeout | Self::BodyTooLarge { .. } => None,
        }
    }
}

/// The error of a generated operation; `E` is the union of its documented error bodies.
#[derive(Debug)]
pub enum Error<E = ()> {
    /// A documented error status with its typed body.
    Api(ResponseValue<E>),
    /// A status the spec does not document for this operation.
    UnexpectedStatus {
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
    },
    /// A documented status whose body, or one of whose documented headers, did not decode.
    Decode {
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
        /// The decoder's message.
        message: String,
    },
    /// A documented status whose body decoded but carries members its schema does not
    /// declare; returned only in strict mode (otherwise they are logged).
    Undeclared {
        /// The status code.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
        /// The operation that was called.
        operation_id: &'static str,
        /// JSON pointers of the undeclared members, in document order.
        members: Vec<String>,
    },
    /// No usable response.
    Transport(TransportError),
}

impl<E> Error<E> {
    /// An undocumented status.
    pub fn unexpected(raw: RawResponse) -> Self {
        Self::UnexpectedStatus { status: raw.status, headers: raw.headers, body: raw.body }
    }

    /// A body that failed to decode, keeping the raw response.
    pub fn decode(raw: &RawResponse, message: impl Into<String>) -> Self {
        Self::Decode {
            status: raw.status,
            headers: raw.headers.clone(),
            body: raw.body.clone(),
            message: message.into(),
        }
    }

    /// The status of the response, if one arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(value) => Some(value.status()),
            Self::UnexpectedStatus { status, .. } | Self::Decode { status, .. } | Self::Undeclared { status, .. } => {
                Some(*status)
            }
            Self::Transport(_) => None,
        }
    }
}

impl<E: DeserializeOwned> Error<E> {
    /// A documented error status: [`Error::Api`] with the JSON body, or [`Error::Decode`].
    pub fn api_json(raw: RawResponse) -> Self {
        match decode_json::<E, E>(&raw) {
            Ok(body) => Self::Api(raw.into_value(body)),
            Err(err) => err,
        }
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(err: TransportError) -> Self {
        Self::Transport(err)
    }
}

/// The service's own words in a documented error body: an RFC 7807 problem's `detail` (or its
/// `title`), a vendor's error text. Generated error enums implement it, and the `Display` of
/// [`Error::Api`] ends with it.
pub trait ServiceMessage {
    /// The message, when the body carries one.
    fn service_message(&self) -> Option<&str>;
}

/// The first candidate that says something (not missing, not blank), trimmed: how generated
/// [`ServiceMessage`] impls pick among the members that may carry the message.
pub fn first_message<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Option<&'a str> {
    candidates.into_iter().flatten().map(str::trim).find(|message| !message.is_empty())
}

/// Operations without documented errors use `Error<()>`.
impl ServiceMessage for () {
    fn service_message(&self) -> Option<&str> {
        None
    }
}

/// Says each thing once: the failure, then the service's message where it sent one. A
/// transport failure is shown by its own `Display`, and its cause is the next `source()`.
impl<E: ServiceMessage> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(value) => {
                write!(f, "the service answered {}", value.status())?;
                match value.body().service_message() {
                    Some(message) => write!(f, ": {message}"),
                    None => Ok(()),
                }
            }
            Self::UnexpectedStatus { status, headers, body } => {
                write!(f, "unexpected response status {status}")?;
                match problem_message(headers, body) {
                    Some(message) => write!(f, ": {message}"),
                    None => Ok(()),
                }
            }
            Self::Decode { status, message, .. } => {
                write!(f, "could not decode {status} response body: {message}")
            }
            Self::Undeclared { status, operation_id, members, .. } => write!(
                f,
                "the {status} response of {operation_id} carries members its schema does not declare: {}",
                members.join(", ")
            ),
            // Transparent: the transport error's own text, its cause as our `source()`.
            Self::Transport(err) => err.fmt(f),
        }
    }
}

impl<E: ServiceMessage + fmt::Debug> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Transport(err) => err.source(),
            _ => None,
        }
    }
}

/// The `detail` (else `title`) of an undocumented `application/problem+json` body.
fn problem_message(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Words {
        title: Option<String>,
        detail: Option<String>,
    }
    let content_type = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    if !crate::media::same_essence(content_type, crate::problem::PROBLEM_JSON) {
        return None;
    }
    let words: Words = serde_json::from_slice(body).ok()?;
    words.detail.or(words.title).filter(|m| !m.is_empty())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::Value;

    fn raw(status: u16, body: &'static str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
            operation_id: "op",
            strict: false,
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct NotFound {
        code: String,
    }

    #[test]
    fn json_success_keeps_status_and_body() {
        let value = raw(200, "[1,2]").json::<Vec<u8>, ()>().unwrap();
        assert_eq!(value.status(), StatusCode::OK);
        assert_eq!(value.len(), 2);
        assert_eq!(value.into_inner(), [1, 2]);
    }

    #[test]
    fn decode_failure_keeps_raw_body_and_message() {
        let err = raw(200, "[1,x]").json::<Vec<u8>, ()>().unwrap_err();
        let Error::Decode { status, body, message, .. } = &err else { panic!("{err:?}") };
        assert_eq!((*status, body.as_ref()), (StatusCode::OK, b"[1,x]".as_ref()));
        assert!(message.contains("line 1 column 4"), "{message}");
        assert!(err.to_string().starts_with("could not decode 200 OK response body"));
    }

    #[test]
    fn documented_errors_decode_into_api() {
        let err = Error::<NotFound>::api_json(raw(404, r#"{"code":"gone"}"#));
        let Error::Api(value) = &err else { panic!("{err:?}") };
        assert_eq!(value.body(), &NotFound { code: "gone".into() });
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));

        let err = Error::<NotFound>::api_json(raw(404, "<html>"));
        assert!(matches!(err, Error::Decode { .. }));
    }

    #[derive(Debug, PartialEq)]
    enum OpError {
        NotFound(NotFound),
        Gone,
        Text(String),
        InBody(NotFound),
    }

    impl ServiceMessage for OpError {
        fn service_message(&self) -> Option<&str> {
            match self {
                Self::NotFound(body) | Self::InBody(body) => Some(&body.code),
                Self::Text(text) => Some(text),
                Self::Gone => None,
            }
        }
    }

    /// `err` and its sources joined by `: `, as `anyhow` prints a chain with `{:#}`.
    pub(crate) fn chain(err: &dyn StdError) -> String {
        let mut out = err.to_string();
        let mut next = err.source();
        while let Some(source) = next {
            out.push_str(": ");
            out.push_str(&source.to_string());
            next = source.source();
        }
        out
    }

    fn with_type(status: u16, content_type: &'static str, body: &'static str) -> RawResponse {
        let mut raw = raw(status, body);
        raw.headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
        raw
    }

    #[test]
    fn display_says_each_thing_once_with_the_services_message() {
        let problem = r#"{"title":"Not Found","detail":"no principal named alice","status":404}"#;
        let title_only = r#"{"title":"Teapot","status":418}"#;
        let cases: [(Error<OpError>, &str); 8] = [
            (
                raw(404, r#"{"code":"no principal named alice"}"#).error_json(OpError::NotFound),
                "the service answered 404 Not Found: no principal named alice",
            ),
            (raw(410, "").error_empty(OpError::Gone), "the service answered 410 Gone"),
            (
                raw(400, "quota exceeded").error_text(OpError::Text),
                "the service answered 400 Bad Request: quota exceeded",
            ),
            (
                raw(200, r#"{"code":"fieldAlreadyExists"}"#).reject_error_in_body(OpError::InBody).unwrap_err(),
                "the service answered 200 OK: fieldAlreadyExists",
            ),
            (
                Error::unexpected(with_type(404, "application/problem+json", problem)),
                "unexpected response status 404 Not Found: no principal named alice",
            ),
            (
                Error::unexpected(with_type(418, "application/problem+json; charset=utf-8", title_only)),
                "unexpected response status 418 I'm a teapot: Teapot",
            ),
            (
                Error::unexpected(with_type(404, "application/json", problem)),
                "unexpected response status 404 Not Found",
            ),
            (Error::Transport(TransportError::Timeout), "request timed out"),
        ];
        for (err, expected) in cases {
            assert_eq!(chain(&err), expected, "{err:?}");
        }
    }

    #[test]
    fn error_helpers_wrap_bodies_into_the_operation_enum() {
        let err = raw(404, r#"{"code":"x"}"#).error_json(OpError::NotFound);
        let Error::Api(value) = err else { panic!("{err:?}") };
        assert_eq!(value.into_inner(), OpError::NotFound(NotFound { code: "x".into() }));
        assert!(matches!(raw(404, "nope").error_json(OpError::NotFound), Error::Decode { .. }));
        let Error::Api(value) = raw(410, "").error_empty(OpError::Gone) else { panic!() };
        assert_eq!((value.status().as_u16(), value.into_inner()), (410, OpError::Gone));
        let Error::Api(value) = raw(400, "bad").error_text(OpError::Text) else { panic!() };
        assert_eq!(value.into_inner(), OpError::Text("bad".into()));
    }

    #[test]
    fn errors_inside_success_bodies_are_rejected() {
        let err = raw(200, r#"{"code":"other"}"#).reject_error_in_body(OpError::InBody).unwrap_err();
        assert!(matches!(err, Error::Api(ref v) if v.status() == StatusCode::OK), "{err:?}");
        let ok = raw(200, r#"{"data":1}"#).reject_error_in_body(OpError::InBody).unwrap();
        let value: ResponseValue<Value> = ok.json::<Value, OpError>().unwrap();
        assert_eq!(value.map(|v| v["data"].clone()).into_inner(), 1);
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Wrapper {
        data: NotFound,
    }

    /// The decoded code, or the reported members of an [`Error::Undeclared`].
    type Drift = Result<String, Vec<String>>;

    /// The outcome of decoding `body` as `Wrapper` in each mode.
    fn drift(body: &'static str, strict: bool) -> Drift {
        let raw = RawResponse { strict, ..raw(200, body) };
        match raw.json::<Wrapper, ()>() {
            Ok(value) => {
                assert_eq!(value.raw_body().map(|b| b.as_ref()), Some(body.as_bytes()));
                Ok(value.into_inner().data.code)
            }
            Err(Error::Undeclared { members, operation_id, .. }) => {
                assert_eq!(operation_id, "op");
                Err(members)
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn undeclared_members_are_logged_or_in_strict_mode_an_error() {
        let declared = r#"{"data":{"code":"a"}}"#;
        let extra = r#"{"data":{"code":"a","why":1},"total":2}"#;
        let cases: [(&str, bool, Drift); 4] = [
            (declared, false, Ok("a".into())),
            (declared, true, Ok("a".into())),
            (extra, false, Ok("a".into())),
            (extra, true, Err(vec!["/data/why".into(), "/total".into()])),
        ];
        for (body, strict, expected) in cases {
            assert_eq!(drift(body, strict), expected, "{body} strict={strict}");
        }
        let err = RawResponse { strict: true, ..raw(200, extra) }.json::<Wrapper, ()>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "the 200 OK response of op carries members its schema does not declare: /data/why, /total"
        );
    }

    #[test]
    fn undeclared_members_of_error_bodies_are_checked_too() {
        let strict = |status, body| RawResponse { strict: true, ..raw(status, body) };
        assert!(matches!(
            strict(404, r#"{"code":"x","extra":true}"#).error_json(OpError::NotFound),
            Error::Undeclared { ref members, .. } if members == &["/extra"]
        ));
        assert!(matches!(
            strict(200, r#"{"code":"x","extra":true}"#).reject_error_in_body(OpError::InBody),
            Err(Error::Undeclared { .. })
        ));
        let Error::Api(value) = strict(404, r#"{"code":"x"}"#).error_json(OpError::NotFound) else { panic!() };
        assert_eq!(value.raw_body().map(|b| b.as_ref()), Some(br#"{"code":"x"}"#.as_ref()));
    }

    #[test]
    fn unexpected_and_text_and_empty() {
        let err = Error::<()>::unexpected(raw(418, "tea"));
        assert_eq!(err.to_string(), "unexpected response status 418 I'm a teapot");
        assert_eq!(raw(200, "hi").text::<()>().unwrap().into_inner(), "hi");
        let bad = RawResponse { body: Bytes::from_static(&[0xff]), ..raw(200, "") };
        assert!(matches!(bad.text::<()>(), Err(Error::Decode { .. })));
        assert_eq!(raw(204, "").empty().status(), StatusCode::NO_CONTENT);
        assert_eq!(raw(200, "b").bytes().into_inner(), Bytes::from_static(b"b"));
    }
}
