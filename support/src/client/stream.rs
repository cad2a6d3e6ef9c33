//! Named stream types for streaming responses, so generated signatures can spell them.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::response::{DriftCheck, ResponseValue, TransportError};
use crate::sse::{self, SseError, SseEvent};

/// A response whose head has arrived and whose body is still unread, with the
/// limits of the call that produced it: its body is either streamed (each
/// chunk within the call's timeout of the previous one) or read whole for a
/// status match (by the call's deadline, up to the size limit).
pub struct StreamingResponse {
    pub(crate) response: reqwest::Response,
    pub(crate) deadline: Instant,
    pub(crate) idle: Duration,
    pub(crate) max_bytes: usize,
    /// The operation and strict mode its body is decoded with.
    pub(crate) check: DriftCheck,
}

impl StreamingResponse {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    pub(crate) fn into_buffered(self) -> (reqwest::Response, Instant, usize, DriftCheck) {
        (self.response, self.deadline, self.max_bytes, self.check)
    }

    /// The body's chunks; a wait longer than the idle timeout ends the stream
    /// with [`TransportError::Timeout`].
    fn chunks(self) -> impl Stream<Item = Result<Bytes, TransportError>> + Send {
        let idle = self.idle;
        futures_util::stream::unfold(Some(self.response), move |response| async move {
            let mut response = response?;
            let next = match tokio::time::timeout(idle, response.chunk()).await {
                Err(_) => Err(TransportError::Timeout),
                Ok(chunk) => chunk.map_err(TransportError::from_reqwest),
            };
            match next {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(err) => Some((Err(err), None)),
            }
        })
    }
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse").field("status", &self.status()).finish_non_exhaustive()
    }
}

/// A response body as a stream of chunks.
pub struct ByteStream(Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>);

impl ByteStream {
    /// Streams the body of `response`.
    pub fn new(response: StreamingResponse) -> Self {
        Self(Box::pin(response.chunks()))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream")
    }
}

/// A `text/event-stream` body as a stream of events whose data is JSON of type `T`.
pub struct EventStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, SseError>> + Send>>,
    item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// Parses the body of `response` as events; members of an event's data that `T` does
    /// not declare are reported like those of any response body.
    pub fn new(response: StreamingResponse) -> Self {
        let check = response.check;
        let events =
            sse::parse(response.chunks()).map(move |event| event.and_then(|event| decode_event(&event, check)));
        Self { inner: Box::pin(events), item: PhantomData }
    }
}

fn decode_event<T: DeserializeOwned>(event: &SseEvent, check: DriftCheck) -> Result<T, SseError> {
    let (data, members) = event.parse_data_reporting()?;
    match check.accepts(&members) {
        true => Ok(data),
        false => Err(SseError::Undeclared { data: event.data.clone(), members }),
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, SseError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStream")
    }
}

impl ResponseValue<ByteStream> {
    /// A successful streaming response, body not yet read.
    pub fn streaming_bytes(response: StreamingResponse) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        Self::from_parts(status, headers, ByteStream::new(response))
    }
}

impl<T: DeserializeOwned + Send + 'static> ResponseValue<EventStream<T>> {
    /// A successful event-stream response, events not yet read.
    pub fn events(response: StreamingResponse) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        Self::from_parts(status, headers, EventStream::new(response))
    }
}

/// Whether a response declares a JSON body (`application/json` or `*+json`), so that an
/// error reported inside a 2xx body can be told from the stream the operation documents.
pub fn is_json(response: &StreamingResponse) -> bool {
    let content_type = response.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = crate::media::essence(content_type).to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
