//! The configured HTTP transport: URL building, auth, timeouts, retries, tracing.

use std::error::Error as StdError;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::Url;
use tracing::Instrument as _;
use tracing::field::Empty;

use super::auth::Credentials;
use super::request::{Request, Target};
use super::response::{DriftCheck, RawResponse, TransportError};
use super::retry::{RetryPolicy, is_idempotent, random_unit};
use super::stream::StreamingResponse;
use crate::multipart::Part;
use crate::wrappers::Secret;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Buffered bodies larger than this are refused (see [`ClientBuilder::max_response_bytes`]).
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REDIRECTS: usize = 10;

/// Why a [`Transport`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is unparsable, not absolute http(s), or carries
    /// credentials, a query or a fragment.
    InvalidBaseUrl(String),
    /// A configured header value (user agent, bearer token) is not a valid header value.
    InvalidHeader(&'static str),
    /// reqwest could not build its client.
    Client(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl(why) => write!(f, "invalid base URL: {why}"),
            Self::InvalidHeader(what) => write!(f, "invalid header value for {what}"),
            Self::Client(_) => f.write_str("could not build the HTTP client"),
        }
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Client(err) => Some(err),
            Self::InvalidBaseUrl(_) | Self::InvalidHeader(_) => None,
        }
    }
}

/// Configures a [`Transport`], or any client type `C` wrapping one
/// (generated clients implement `From<Transport>`).
///
/// Debug output never shows credentials.
#[derive(Debug)]
pub struct ClientBuilder<C = Transport> {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    user_agent: String,
    client: Option<reqwest::Client>,
    credentials: Credentials,
    strict: bool,
    target: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// Starts a builder for the API at `base_url` (e.g. `https://host/api`);
    /// its path is kept and operation paths are appended to it.
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            user_agent: concat!("mailapi-support/", env!("CARGO_PKG_VERSION")).to_owned(),
            client: None,
            credentials: Credentials::default(),
            strict: false,
            target: PhantomData,
        }
    }

    /// Total time for one attempt (default 30 s), body included. For
    /// streaming calls it bounds the wait for the response head, the reading
    /// of a body that is not streamed (an error), and each wait for the next
    /// chunk of a stream.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest body read into memory (default 64 MiB); a larger one fails
    /// the call with [`TransportError::BodyTooLarge`]. Streamed bodies are not
    /// buffered and so not limited.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Time to establish a connection (default 10 s); ignored with [`Self::reqwest_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Disables retries.
    pub fn no_retry(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a preconfigured reqwest client (proxies, certificates, ...).
    /// Its own redirect policy and connect timeout then apply.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Strict mode (default off): a response member the spec does not declare fails the call
    /// with [`Error::Undeclared`](super::Error::Undeclared) (or an event with
    /// [`SseError::Undeclared`](crate::sse::SseError::Undeclared)) instead of only a `tracing`
    /// warning. Meant for tests that must notice when a service and its spec drift apart.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Credentials for HTTP Basic schemes.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((Secret::new(user.into()), Secret::new(password.into())));
        self
    }

    /// The token for Bearer (and OAuth2) schemes.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(Secret::new(token.into()));
        self
    }

    /// The key for the API key scheme named `scheme_name` in the spec.
    pub fn api_key(mut self, scheme_name: &str, value: impl Into<String>) -> Self {
        self.credentials.api_keys.retain(|(name, _)| name != scheme_name);
        self.credentials.api_keys.push((scheme_name.to_owned(), Secret::new(value.into())));
        self
    }
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// Validates the configuration and builds the transport (or the client wrapping it).
    pub fn build(self) -> Result<C, BuildError> {
        let base_url = parse_base_url(&self.base_url)?;
        let user_agent = HeaderValue::try_from(self.user_agent).map_err(|_| BuildError::InvalidHeader("User-Agent"))?;
        if let Some(token) = &self.credentials.bearer {
            HeaderValue::from_str(token.expose()).map_err(|_| BuildError::InvalidHeader("bearer token"))?;
        }
        let client = match self.client {
            Some(client) => client,
            None => default_client(self.connect_timeout)?,
        };
        let inner = Inner {
            client,
            base_url,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
            user_agent,
            credentials: self.credentials,
            strict: self.strict,
        };
        Ok(C::from(Transport { inner: Arc::new(inner) }))
    }
}

fn parse_base_url(text: &str) -> Result<Url, BuildError> {
    let invalid = |why: &str| BuildError::InvalidBaseUrl(why.to_owned());
    let url = Url::parse(text).map_err(|err| BuildError::InvalidBaseUrl(err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid("must be an absolute http or https URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not contain credentials; use basic_auth"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    Ok(url)
}

fn default_client(connect_timeout: Duration) -> Result<reqwest::Client, BuildError> {
    // Fails harmlessly when the application (or an earlier build) installed one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects())
        .build()
        .map_err(BuildError::Client)
}

/// Follows redirects within the origin only: API key headers would otherwise
/// travel to whatever host a redirect names.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(Url::origin);
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if first == Some(attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Sends [`Request`]s; cheap to clone (shared connection pool and settings).
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    base_url: Url,
    timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
    user_agent: HeaderValue,
    credentials: Credentials,
    strict: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url.as_str())
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("credentials", &self.inner.credentials)
            .field("strict", &self.inner.strict)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A builder for a bare transport; `ClientBuilder::new` with the type inferred.
    pub fn builder(base_url: &str) -> ClientBuilder<Transport> {
        ClientBuilder::new(base_url)
    }

    /// The base URL operation paths are joined to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends the request with retries and reads the whole body.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, TransportError> {
        let span = call_span(&request);
        let response = self.send(&request, false).instrument(span.clone()).await?;
        span.record("status", response.status().as_u16());
        // reqwest's per-request timeout (set in `attempt`) also covers the body.
        RawResponse::read_limited(response, self.inner.max_response_bytes, self.drift_check(&request))
            .instrument(span)
            .await
    }

    /// The operation and strictness responses to `request` are checked with.
    fn drift_check(&self, request: &Request) -> DriftCheck {
        DriftCheck { operation_id: request.operation_id, strict: request.options.strict.unwrap_or(self.inner.strict) }
    }

    /// Sends the request and returns once the response head arrives, for
    /// byte streams and SSE. Retries happen only before that point; the
    /// returned response carries the call's time and size limits for the
    /// body still to be read.
    pub async fn execute_streaming(&self, request: Request) -> Result<StreamingResponse, TransportError> {
        let span = call_span(&request);
        let timeout = request.options.timeout.unwrap_or(self.inner.timeout);
        let response = self.send(&request, true).instrument(span.clone()).await?;
        span.record("status", response.status().as_u16());
        Ok(StreamingResponse {
            response,
            deadline: tokio::time::Instant::now() + timeout,
            idle: timeout,
            max_bytes: self.inner.max_response_bytes,
            check: self.drift_check(&request),
        })
    }

    async fn send(&self, request: &Request, streaming: bool) -> Result<reqwest::Response, TransportError> {
        let policy = request.options.retry.unwrap_or(self.inner.retry);
        let may_retry = is_idempotent(&request.method);
        let mut attempt = 0;
        loop {
            let result = self.attempt(request, streaming).await;
            let delay = match &result {
                _ if !may_retry || attempt >= policy.max_retries => None,
                Ok(response) => policy.delay_after_status(attempt, response.status(), response.headers()),
                // Every failure here came before a response head: an
                // idempotent request may be sent again.
                Err(err) if err.is_retryable() => Some(policy.backoff(attempt, random_unit())),
                Err(_) => None,
            };
            let Some(delay) = delay else { return result };
            let status = result.as_ref().ok().map(|response| response.status().as_u16());
            drop(result);
            tracing::debug!(attempt, ?delay, ?status, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, request: &Request, streaming: bool) -> Result<reqwest::Response, TransportError> {
        let timeout = request.options.timeout.unwrap_or(self.inner.timeout);
        let mut http_request = self.build_request(request)?;
        if streaming {
            let send = self.inner.client.execute(http_request);
            let result = tokio::time::timeout(timeout, send).await.map_err(|_| TransportError::Timeout)?;
            return result.map_err(TransportError::from_reqwest);
        }
        // reqwest's per-request timeout also covers reading the body.
        *http_request.timeout_mut() = Some(timeout);
        self.inner.client.execute(http_request).await.map_err(TransportError::from_reqwest)
    }

    fn build_request(&self, request: &Request) -> Result<reqwest::Request, TransportError> {
        if let Some(why) = &request.invalid {
            return Err(TransportError::InvalidRequest(why.clone()));
        }
        let mut url = self.url_for(request)?;
        let mut headers = request_headers(request)?;
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in &request.options.headers {
            headers.append(name, value.clone());
        }
        let schemes = self.inner.credentials.choose(request.security);
        self.inner.credentials.apply(schemes, &mut url, &mut headers)?;

        let mut http_request = reqwest::Request::new(request.method.clone(), url);
        *http_request.headers_mut() = headers;
        if let Some((body, _)) = &request.body {
            *http_request.body_mut() = Some(body.clone().into());
        }
        if let Some(parts) = &request.parts {
            // reqwest sets the boundary's `Content-Type` and the `Content-Length`.
            let builder = reqwest::RequestBuilder::from_parts(self.inner.client.clone(), http_request);
            return builder.multipart(multipart_form(parts)?).build().map_err(TransportError::from_reqwest);
        }
        Ok(http_request)
    }

    fn url_for(&self, request: &Request) -> Result<Url, TransportError> {
        let mut url = match &request.target {
            Target::Path(path) => join_path(&self.inner.base_url, path)?,
            Target::Link(link) => self.resolve_link(link)?,
        };
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }

    fn resolve_link(&self, link: &str) -> Result<Url, TransportError> {
        let base = &self.inner.base_url;
        let url = base.join(link).map_err(|err| TransportError::InvalidRequest(format!("invalid link: {err}")))?;
        if url.origin() != base.origin() {
            return Err(TransportError::InvalidRequest(
                "link points outside the API's origin; not following it".to_owned(),
            ));
        }
        Ok(url)
    }
}

/// Appends an encoded operation path to the base URL's path, with exactly
/// one slash between them.
fn join_path(base: &Url, path: &str) -> Result<Url, TransportError> {
    let path = path.strip_prefix('/').unwrap_or(path);
    // URL parsers resolve `.`/`..` segments, even percent-encoded ones:
    // refuse rather than call another endpoint.
    if path.split('/').any(is_dot_segment) {
        return Err(TransportError::InvalidRequest("path parameter is `.` or `..`".to_owned()));
    }
    let mut url = base.clone();
    url.set_path(&format!("{}/{path}", base.path().trim_end_matches('/')));
    Ok(url)
}

fn is_dot_segment(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..")
}

/// The `reqwest` form of `parts`.
fn multipart_form(parts: &[Part]) -> Result<reqwest::multipart::Form, TransportError> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let length = part.bytes.len() as u64;
        let mut body = reqwest::multipart::Part::stream_with_length(part.bytes.clone(), length);
        if let Some(content_type) = &part.content_type {
            body = body.mime_str(content_type).map_err(|_| {
                TransportError::InvalidRequest(format!("part `{}`: invalid media type `{content_type}`", part.name))
            })?;
        }
        if let Some(file_name) = &part.file_name {
            body = body.file_name(file_name.clone());
        }
        form = form.part(part.name.clone(), body);
    }
    Ok(form)
}

fn request_headers(request: &Request) -> Result<HeaderMap, TransportError> {
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let invalid = || TransportError::InvalidRequest(format!("invalid value for header `{name}`"));
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        headers.append(header, HeaderValue::from_str(value).map_err(|_| invalid())?);
    }
    let media_type = |value: &str| {
        HeaderValue::from_str(value)
            .map_err(|_| TransportError::InvalidRequest(format!("invalid media type `{value}`")))
    };
    if let Some(accept) = request.accept {
        headers.insert(ACCEPT, media_type(accept)?);
    }
    if let Some((_, content_type)) = &request.body {
        headers.insert(CONTENT_TYPE, media_type(content_type)?);
    }
    Ok(headers)
}

fn call_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "api_call",
        operation = request.operation_id,
        method = %request.method,
        status = Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, path: &str) -> Result<String, TransportError> {
        join_path(&parse_base_url(base).unwrap(), path).map(String::from)
    }

    #[test]
    fn base_url_must_be_absolute_http() {
        for bad in ["", "/api", "ftp://host/", "https://user:pw@host/", "https://host/?a=b", "mailto:x@y"] {
            assert!(parse_base_url(bad).is_err(), "{bad:?}");
        }
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
    }

    #[test]
    fn paths_join_without_losing_or_doubling_slashes() {
        for base in ["https://h/api", "https://h/api/"] {
            assert_eq!(url(base, "/messages/a%2Fb").unwrap(), "https://h/api/messages/a%2Fb");
            assert_eq!(url(base, "messages").unwrap(), "https://h/api/messages");
        }
        assert_eq!(url("https://h", "/messages").unwrap(), "https://h/messages");
        assert_eq!(url("https://h/", "/m/%C3%A9?").unwrap(), "https://h/m/%C3%A9%3F");
    }

    #[test]
    fn dot_segments_are_refused_not_resolved() {
        assert!(url("https://h/api", "/messages/%2E%2E/admin").is_err());
        assert!(url("https://h/api", "/messages/%2E").is_err());
        assert_eq!(url("https://h/api", "/m/%2E%2E%2E").unwrap(), "https://h/api/m/%2E%2E%2E");
    }

    #[test]
    fn links_must_stay_on_the_base_origin() {
        let transport = Transport::builder("https://api.test/v1").build().unwrap();
        let next = transport.resolve_link("https://api.test/v1/messages?page=2").unwrap();
        assert_eq!(next.as_str(), "https://api.test/v1/messages?page=2");
        let relative = transport.resolve_link("/v1/messages?cursor=x").unwrap();
        assert_eq!(relative.as_str(), "https://api.test/v1/messages?cursor=x");
        for foreign in ["https://evil.test/v1/messages", "http://api.test/v1", "https://api.test:8443/"] {
            assert!(transport.resolve_link(foreign).is_err(), "{foreign}");
        }
    }

    #[test]
    fn debug_output_redacts_credentials() {
        let builder = Transport::builder("https://api.test")
            .basic_auth("alice", "pw-123")
            .bearer_token("tok-456")
            .api_key("key", "key-789");
        let transport = builder.build().unwrap();
        let debug = format!("{transport:?}");
        for secret in ["alice", "pw-123", "tok-456", "key-789"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("api.test"), "{debug}");
    }

    /// A refused connection reads `connection failed: <reqwest's words>: ...` with anyhow's
    /// `{:#}`: the operation error is transparent and no link repeats another.
    #[tokio::test]
    async fn a_refused_connection_is_named_once_in_the_chain() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let transport = Transport::builder(&format!("http://127.0.0.1:{port}")).no_retry().build().unwrap();
        let err: crate::client::Error<()> =
            transport.execute(Request::new("op", http::Method::GET, "/".into())).await.unwrap_err().into();
        let chain = crate::client::response::tests::chain(&err);
        let links: Vec<&str> = chain.split(": ").collect();
        assert_eq!(links[0], "connection failed", "{chain}");
        assert!(links.len() > 2, "the cause is kept: {chain}");
        let mut unique = links.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), links.len(), "a link repeats: {chain}");
        assert!(!chain.contains(&port.to_string()), "the URL is dropped: {chain}");
    }

    #[test]
    fn invalid_headers_fail_the_call() {
        let request = Request::new("op", http::Method::GET, "/".into()).header("x-trace", "a\nb");
        let err = request_headers(&request).unwrap_err();
        assert!(matches!(err, TransportError::InvalidRequest(_)));
        assert!(matches!(
            Transport::builder("https://h").bearer_token("a\nb").build(),
            Err(BuildError::InvalidHeader(_))
        ));
    }
}
