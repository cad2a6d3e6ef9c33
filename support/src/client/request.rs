//! The request description generated code fills in.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use serde::Serialize;

use super::retry::RetryPolicy;
use crate::form::{FormMember, encode_form};
use crate::multipart::{Part, PartMember, encode_parts};
use crate::param_encoding::{QueryStyle, SerializedParam, push_deep_object, push_form};
use crate::security::Security;

/// Per-call overrides of the transport's settings.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Replaces the transport's timeout for this call.
    pub timeout: Option<Duration>,
    /// Replaces the transport's retry policy for this call.
    pub retry: Option<RetryPolicy>,
    /// Extra headers (a request id, `Prefer` for a mock), added after the operation's own.
    pub headers: http::HeaderMap,
    /// Replaces the transport's strict mode for this call (see `ClientBuilder::strict`).
    pub strict: Option<bool>,
}

/// Header values may be credentials: Debug shows their names only.
impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("strict", &self.strict)
            .finish()
    }
}

/// Where a request goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A percent-encoded path joined to the base URL.
    Path(String),
    /// A URL from a response (a `next` link), absolute or relative to the base URL.
    Link(String),
}

/// One operation call, built by generated code and sent by a [`Transport`](super::Transport).
#[derive(Clone)]
pub struct Request {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(Bytes, &'static str)>,
    /// A `multipart/form-data` body's parts, made into a `reqwest` form (not `Clone`) at each
    /// attempt.
    pub(crate) parts: Option<Vec<Part>>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) security: Security,
    pub(crate) options: CallOptions,
    /// A builder step that failed; reported by `execute` so the chain stays infallible.
    pub(crate) invalid: Option<String>,
}

impl Request {
    /// A call of `operation_id` to `path`, which must already be percent-encoded
    /// (see [`encode_path_segment`](crate::param_encoding::encode_path_segment)).
    pub fn new(operation_id: &'static str, method: Method, path: String) -> Self {
        Self::with_target(operation_id, method, Target::Path(path))
    }

    /// A call to a URL taken from a response, such as a `links.next` URL.
    ///
    /// The URL may be relative to the base URL. It must have the base URL's
    /// origin (scheme, host, port), otherwise `execute` refuses to send it, so
    /// credentials never go to a host the client was not configured for.
    pub fn from_link(operation_id: &'static str, method: Method, url: impl Into<String>) -> Self {
        Self::with_target(operation_id, method, Target::Link(url.into()))
    }

    fn with_target(operation_id: &'static str, method: Method, target: Target) -> Self {
        Self {
            operation_id,
            method,
            target,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            parts: None,
            accept: None,
            security: &[],
            options: CallOptions::default(),
            invalid: None,
        }
    }

    /// Adds a query pair; names and values are encoded when the URL is built.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a `style: form` array parameter; see [`push_form`].
    pub fn query_form(mut self, name: &str, values: &[String], explode: bool) -> Self {
        push_form(&mut self.query, name, values, explode);
        self
    }

    /// Adds a `style: deepObject` parameter; see [`push_deep_object`].
    pub fn query_deep_object(mut self, name: &str, entries: &[(String, String)]) -> Self {
        push_deep_object(&mut self.query, name, entries);
        self
    }

    /// Adds a query parameter from any serializable value: `None` is left
    /// out, arrays repeat the name (`style: form, explode: true`).
    pub fn query_param<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.query_styled(name, value, QueryStyle::Form, true)
    }

    /// Adds a query parameter in the given style; see [`SerializedParam::push_query`].
    pub fn query_styled<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Self {
        match SerializedParam::from_serialize(value) {
            Ok(value) => value.push_query(&mut self.query, name, style, explode),
            Err(err) => self.invalid = Some(format!("query parameter `{name}`: {err}")),
        }
        self
    }

    /// Adds a header parameter from any serializable value (`style: simple`); `None` is left out.
    pub fn header_param<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match SerializedParam::from_serialize(value).map(SerializedParam::simple_text) {
            Ok(Some(text)) => self.headers.push((name, text)),
            Ok(None) => {}
            Err(err) => self.invalid = Some(format!("header parameter `{name}`: {err}")),
        }
        self
    }

    /// Applies `set` only when `value` is present (optional bodies).
    pub fn optional<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }

    /// Adds a request header; an invalid value fails the call with
    /// [`TransportError::InvalidRequest`](super::TransportError::InvalidRequest).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Sets a JSON body, sent with exactly `content_type`
    /// (e.g. `application/json; api-version=1.0` or `application/vnd.api+json`).
    pub fn json_body(mut self, body: &impl Serialize, content_type: &'static str) -> Self {
        match serde_json::to_vec(body) {
            Ok(json) => self.body = Some((Bytes::from(json), content_type)),
            Err(err) => self.invalid = Some(format!("body is not serializable: {err}")),
        }
        self
    }

    /// Sets a form body (`application/x-www-form-urlencoded`): `body`'s members, styled as
    /// `members` says (see [`encode_form`]).
    pub fn form_body(mut self, body: &impl Serialize, members: &[FormMember], content_type: &'static str) -> Self {
        match encode_form(body, members) {
            Ok(form) => self.body = Some((Bytes::from(form), content_type)),
            Err(err) => self.invalid = Some(format!("body is not a form: {err}")),
        }
        self
    }

    /// Sets a `multipart/form-data` body: `body`'s members as parts (see
    /// [`encode_parts`]), with the content types `members` give.
    pub fn multipart_body(mut self, body: &impl Serialize, members: &[PartMember]) -> Self {
        match encode_parts(body, members) {
            Ok(parts) => self.parts = Some(parts),
            Err(err) => self.invalid = Some(format!("body is not multipart: {err}")),
        }
        self
    }

    /// Applies `set` (a body of the media type the caller chose).
    pub fn apply(self, set: impl FnOnce(Self) -> Self) -> Self {
        set(self)
    }

    /// Sets a raw body with its content type.
    pub fn bytes_body(mut self, body: Bytes, content_type: &'static str) -> Self {
        self.body = Some((body, content_type));
        self
    }

    /// Sets the `Accept` header.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    /// Sets the operation's security requirements.
    pub fn security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }

    /// Sets per-call overrides.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// The operation id, as recorded in the tracing span.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }
}

impl std::fmt::Debug for Request {
    /// Shows header names and body size only: either may carry secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<_> = self.headers.iter().map(|(name, _)| *name).collect();
        let body = self.body.as_ref().map(|(bytes, content_type)| (bytes.len(), content_type));
        let parts = self.parts.as_ref().map(Vec::len);
        f.debug_struct("Request")
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("target", &self.target)
            .field("query", &self.query)
            .field("header_names", &header_names)
            .field("body_len_and_type", &body)
            .field("parts", &parts)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
