//! What a server accepts from a client, and for how long it waits: read timeouts, the size of
//! the URI, the header section and the body. [`serve`] applies them on the connection and
//! before the router; every refusal the server can still answer is a problem document.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use http::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::{Layer, Service, ServiceExt as _};

use crate::problem::Problem;

/// How long the server waits for a request and how large one may be. [`Default`] gives the
/// values documented on each field; change them with the setters:
///
/// ```
/// # use std::time::Duration;
/// # use mailapi_support::server::Limits;
/// let limits = Limits::default().max_body_bytes(1024 * 1024).body_read_timeout(Duration::from_secs(10));
/// assert_eq!(limits.max_body_bytes, 1024 * 1024);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Time to receive a request's header section, from its first byte or from the end of
    /// the previous response (so it also closes idle keep-alive connections): 10 s. A client
    /// that is too slow has its connection closed without an answer (hyper's
    /// `header_read_timeout`, applied by [`serve`]).
    pub header_read_timeout: Duration,
    /// Time to receive the whole body once the request is authenticated: 60 s, then a 408
    /// problem and the connection is closed. A total, not a time between reads, so a body
    /// trickled a byte at a time cannot hold a connection open.
    pub body_read_timeout: Duration,
    /// Largest body: 10 MiB, room for mail with attachments. A larger `Content-Length` is a 413
    /// problem before any of the body is read; a chunked body is counted as it arrives.
    pub max_body_bytes: usize,
    /// Longest URI (path and query): 8 KiB, then a 414 problem.
    pub max_uri_bytes: usize,
    /// Largest header section (names, values and separators): 16 KiB, then a 431 problem.
    pub max_header_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(60),
            max_body_bytes: 10 * 1024 * 1024,
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 16 * 1024,
        }
    }
}

impl Limits {
    /// Sets [`Limits::header_read_timeout`].
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets [`Limits::body_read_timeout`].
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Sets [`Limits::max_body_bytes`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Sets [`Limits::max_uri_bytes`].
    pub fn max_uri_bytes(mut self, bytes: usize) -> Self {
        self.max_uri_bytes = bytes;
        self
    }

    /// Sets [`Limits::max_header_bytes`].
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.max_header_bytes = bytes;
        self
    }

    /// The limits a request was received with (see [`with_limits`]), else the defaults.
    pub fn of(request: &http::request::Parts) -> Self {
        request.extensions.get::<Self>().copied().unwrap_or_default()
    }

    /// The 414 or 431 problem for a request head beyond the limits.
    fn check_head<B>(&self, request: &http::Request<B>) -> Result<(), Problem> {
        let uri = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
        if uri > self.max_uri_bytes {
            let detail = format!("the URI of {uri} bytes exceeds the limit of {} bytes", self.max_uri_bytes);
            return Err(Problem::new(StatusCode::URI_TOO_LONG).with_detail(detail));
        }
        // As on the wire: `name: value` and CRLF.
        let headers: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
        if headers > self.max_header_bytes {
            let detail =
                format!("the header section of {headers} bytes exceeds the limit of {} bytes", self.max_header_bytes);
            return Err(Problem::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).with_detail(detail));
        }
        Ok(())
    }
}

/// Answers requests whose URI or header section exceeds `limits` with a 414 or 431 problem,
/// and hands the others to `router` with `limits` for the body. Requests that hyper itself
/// refuses never reach it: see [`serve`].
pub fn with_limits(router: Router, limits: Limits) -> Router {
    router.layer(LimitsLayer(limits))
}

#[derive(Clone, Copy, Debug)]
struct LimitsLayer(Limits);

impl<S> Layer<S> for LimitsLayer {
    type Service = LimitsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LimitsService { inner, limits: self.0 }
    }
}

/// The service of [`with_limits`]: a plain wrapper, so a request costs no boxed future.
#[derive(Clone, Debug)]
struct LimitsService<S> {
    inner: S,
    limits: Limits,
}

impl<S> Service<Request> for LimitsService<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        if let Err(problem) = self.limits.check_head(&request) {
            return Either::Left(ready(Ok(problem.into_response())));
        }
        request.extensions_mut().insert(self.limits);
        Either::Right(self.inner.call(request))
    }
}

/// Serves `router` on `listener` over HTTP/1.1 with `limits`, until the future is dropped
/// (connections already accepted are served to their end by tasks of their own).
///
/// Unlike `axum::serve`, it reads request heads under a timeout
/// ([`Limits::header_read_timeout`]); the body timeout and the size limits apply as
/// [`with_limits`] describes. A few malformed or oversized requests are answered by hyper
/// before any of this code runs, without a problem body, and cannot be otherwise: a request
/// line or header hyper cannot parse (400), more than 100 headers or a head over 64 KiB (431;
/// 414 for a URI over 64 KiB). A head not received in time is closed without an answer, since
/// the request it would answer is unknown.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits) {
    let router = with_limits(router, limits);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(err) => {
                // Out of file descriptors, say: waiting lets connections close.
                tracing::error!(error = %err, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        tokio::spawn(serve_connection(stream, router.clone(), limits));
    }
}

/// hyper's own limit on the head (request line and headers), unless [`Limits`] allow larger:
/// above theirs, so that a head between the two is answered with a problem.
const HYPER_MAX_HEADER_BYTES: usize = 64 * 1024;

async fn serve_connection(stream: tokio::net::TcpStream, router: Router, limits: Limits) {
    let service = hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
        router.clone().oneshot(request.map(Body::new))
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).max_header_size(
        HYPER_MAX_HEADER_BYTES.max(limits.max_header_bytes.saturating_add(limits.max_uri_bytes).saturating_mul(2)),
    );
    if let Err(err) = builder.serve_connection(TokioIo::new(stream), service).await {
        tracing::debug!(error = %err, "connection closed with an error");
    }
}
