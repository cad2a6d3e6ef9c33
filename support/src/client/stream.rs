//! Named stream types for streaming responses, so generated signatures can spell them.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use serde::de::DeserializeOwned;

use super::response::{ResponseValue, TransportError};
use crate::sse::{self, SseError};

/// A response body as a stream of chunks.
pub struct ByteStream(Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>);

impl ByteStream {
    /// Streams the body of `response`.
    pub fn new(response: reqwest::Response) -> Self {
        Self(Box::pin(
            response
                .bytes_stream()
                .map(|chunk| chunk.map_err(TransportError::from_reqwest)),
        ))
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
    /// Parses the body of `response` as events.
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            inner: Box::pin(sse::from_response(response).typed::<T>()),
            item: PhantomData,
        }
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
    pub fn streaming_bytes(response: reqwest::Response) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        Self::from_parts(status, headers, ByteStream::new(response))
    }
}

impl<T: DeserializeOwned + Send + 'static> ResponseValue<EventStream<T>> {
    /// A successful event-stream response, events not yet read.
    pub fn events(response: reqwest::Response) -> Self {
        let (status, headers) = (response.status(), response.headers().clone());
        Self::from_parts(status, headers, EventStream::new(response))
    }
}

/// Whether a response declares a JSON body (`application/json` or `*+json`), so that an
/// error reported inside a 2xx body can be told from the stream the operation documents.
pub fn is_json(response: &reqwest::Response) -> bool {
    let content_type = response.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = crate::media::essence(content_type).to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
