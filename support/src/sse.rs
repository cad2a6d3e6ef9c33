//! Server-sent events: a streaming parser and an encoder.
//!
//! The parser follows the WHATWG event-stream rules: lines end with CRLF, CR
//! or LF; `data` lines are joined with `\n`; comments (`:`) are ignored; a
//! block without any `data` line dispatches nothing; an unterminated block at
//! the end of the stream is discarded. Chunks may split anywhere, including
//! inside a line terminator or a UTF-8 character.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::{Stream, StreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::undeclared::Decoded;

/// Largest event (pending line plus data) the parser buffers before failing.
pub const MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// One dispatched event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event` field; `None` means the default type, `message`.
    pub event: Option<String>,
    /// The `data` lines joined with `\n`.
    pub data: String,
    /// The `id` field of this event's block, if any.
    pub id: Option<String>,
    /// The `retry` field (reconnection delay in milliseconds), if any.
    pub retry: Option<u64>,
}

impl SseEvent {
    /// An unnamed event carrying `data`.
    pub fn new(data: impl Into<String>) -> Self {
        Self { data: data.into(), ..Self::default() }
    }

    /// An unnamed event carrying `value` as JSON.
    pub fn json<T: Serialize>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::to_string(value).map(Self::new)
    }

    /// Sets the event type.
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// Sets the event id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the reconnection delay in milliseconds.
    pub fn with_retry(mut self, millis: u64) -> Self {
        self.retry = Some(millis);
        self
    }

    /// The event type, `message` when none was given.
    pub fn event_type(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }

    /// Deserializes `data` as JSON.
    pub fn parse_data<T: DeserializeOwned>(&self) -> Result<T, SseError> {
        self.parse_data_reporting().map(|(data, _)| data)
    }

    /// Deserializes `data` as JSON, with the JSON pointers of the members `T` does not declare.
    pub fn parse_data_reporting<T: DeserializeOwned>(&self) -> Result<Decoded<T>, SseError> {
        crate::undeclared::from_slice(self.data.as_bytes())
            .map_err(|source| SseError::Json { data: self.data.clone(), source })
    }

    /// Encodes the event in wire format, ending with the blank line.
    ///
    /// Line breaks in `data` become separate `data` lines; line breaks in
    /// `event` and `id` are removed, since they would split the field.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Some(event) = &self.event {
            push_field(&mut out, "event", &event.replace(['\r', '\n'], ""));
        }
        if let Some(id) = &self.id {
            push_field(&mut out, "id", &id.replace(['\r', '\n'], ""));
        }
        if let Some(retry) = self.retry {
            push_field(&mut out, "retry", &retry.to_string());
        }
        for line in self.data.replace("\r\n", "\n").split(['\r', '\n']) {
            push_field(&mut out, "data", line);
        }
        out.push('\n');
        out
    }
}

fn push_field(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

/// Why an event stream failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SseError {
    /// The underlying byte stream failed.
    Transport(Box<dyn StdError + Send + Sync>),
    /// An event grew beyond [`MAX_EVENT_BYTES`].
    TooLarge,
    /// An event's data was not the expected JSON.
    Json {
        /// The event's raw data.
        data: String,
        /// The serde error.
        source: serde_json::Error,
    },
    /// An event's data decoded but carries members its schema does not declare (strict mode).
    Undeclared {
        /// The event's raw data.
        data: String,
        /// JSON pointers of the undeclared members.
        members: Vec<String>,
    },
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The cause is `source()`, not repeated here (each link of a chain says one thing).
            Self::Transport(_) => f.write_str("event stream failed"),
            Self::TooLarge => write!(f, "event larger than {MAX_EVENT_BYTES} bytes"),
            Self::Json { .. } => f.write_str("event data is not the expected JSON"),
            Self::Undeclared { members, .. } => {
                write!(f, "event data carries members its schema does not declare: {}", members.join(", "))
            }
        }
    }
}

impl StdError for SseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Transport(err) => Some(err.as_ref()),
            Self::TooLarge | Self::Undeclared { .. } => None,
            Self::Json { source, .. } => Some(source),
        }
    }
}

/// Incremental event-stream parser; feed it bytes, take events out.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// The last chunk ended in CR; a LF starting the next one belongs to it.
    skip_lf: bool,
    seen_first_line: bool,
    pending: SseEvent,
    has_data: bool,
    ready: VecDeque<SseEvent>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk of bytes.
    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<(), SseError> {
        if self.skip_lf && !chunk.is_empty() {
            self.skip_lf = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\r' || b == b'\n') {
            self.line.extend_from_slice(&chunk[..end]);
            let was_cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if was_cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
            let line = std::mem::take(&mut self.line);
            self.process_line(&line);
        }
        self.line.extend_from_slice(chunk);
        if self.line.len() + self.pending.data.len() > MAX_EVENT_BYTES {
            return Err(SseError::TooLarge);
        }
        Ok(())
    }

    /// Takes the next complete event, if any.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.ready.pop_front()
    }

    fn process_line(&mut self, mut line: &[u8]) {
        if !self.seen_first_line {
            self.seen_first_line = true;
            line = line.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(line);
        }
        // Complete lines hold whole characters; invalid bytes become U+FFFD as the spec says.
        let line = String::from_utf8_lossy(line);
        if line.is_empty() {
            self.dispatch();
        } else if !line.starts_with(':') {
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            self.apply_field(field, value.strip_prefix(' ').unwrap_or(value));
        }
    }

    fn apply_field(&mut self, field: &str, value: &str) {
        match field {
            "event" => self.pending.event = Some(value.to_owned()),
            "data" => {
                if self.has_data {
                    self.pending.data.push('\n');
                }
                self.pending.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.pending.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.pending.retry = value.parse().ok();
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let event = std::mem::take(&mut self.pending);
        if std::mem::take(&mut self.has_data) {
            self.ready.push_back(event);
        }
    }
}

/// Parses a byte stream into events; see [`parse`].
pub struct SseStream<S> {
    inner: Pin<Box<S>>,
    parser: SseParser,
    done: bool,
}

/// Parses a stream of byte chunks (for example a response body) into events.
pub fn parse<S>(bytes: S) -> SseStream<S> {
    SseStream { inner: Box::pin(bytes), parser: SseParser::new(), done: false }
}

impl<S, B, E> SseStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Into<Box<dyn StdError + Send + Sync>>,
{
    /// Maps each event's data from JSON to `T`.
    pub fn typed<T: DeserializeOwned>(self) -> impl Stream<Item = Result<T, SseError>> {
        self.map(|event| event.and_then(|event| event.parse_data()))
    }
}

impl<S, B, E> Stream for SseStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Into<Box<dyn StdError + Send + Sync>>,
{
    type Item = Result<SseEvent, SseError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(event) = this.parser.next_event() {
                return Poll::Ready(Some(Ok(event)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let failure = match ready!(this.inner.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => this.parser.feed(chunk.as_ref()).err(),
                Some(Err(err)) => Some(SseError::Transport(err.into())),
                None => {
                    this.done = true;
                    continue;
                }
            };
            if let Some(err) = failure {
                // The stream ends after its first failure.
                this.done = true;
                return Poll::Ready(Some(Err(err)));
            }
        }
    }
}

impl<S> fmt::Debug for SseStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SseStream").field("parser", &self.parser).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk).unwrap();
            events.extend(std::iter::from_fn(|| parser.next_event()));
        }
        events
    }

    const SAMPLE: &str = "\u{FEFF}: comment\r\n\
        event: mail\r\n\
        id: 7\r\n\
        data: {\"subject\":\"héllo ✉ 📬\"}\r\n\
        \r\n\
        data\rdata:  two spaces\rdata:x\r\r\
        retry: 1500\n\
        retry: soon\n\
        id\n\
        data: last\n\
        \n\
        id: only-id\n\
        \n\
        data: unterminated";

    fn sample_events() -> Vec<SseEvent> {
        vec![
            SseEvent::new("{\"subject\":\"héllo ✉ 📬\"}").with_event("mail").with_id("7"),
            SseEvent::new("\n two spaces\nx"),
            SseEvent::new("last").with_id("").with_retry(1500),
        ]
    }

    #[test]
    fn parses_fields_line_endings_and_comments() {
        assert_eq!(parse_all(&[SAMPLE.as_bytes()]), sample_events());
    }

    #[test]
    fn any_split_point_gives_the_same_events() {
        let bytes = SAMPLE.as_bytes();
        for split in 0..=bytes.len() {
            let (head, tail) = bytes.split_at(split);
            assert_eq!(parse_all(&[head, tail]), sample_events(), "split at {split}");
        }
        let single_bytes: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(parse_all(&single_bytes), sample_events());
    }

    #[test]
    fn cr_then_lf_in_the_next_chunk_is_one_line_end() {
        let events = parse_all(&[b"data: a\r", b"\ndata: b\r", b"", b"\n\r", b"\n"]);
        assert_eq!(events, [SseEvent::new("a\nb")]);
    }

    #[test]
    fn encode_round_trips_through_the_parser() {
        let event = SseEvent::new("line 1\r\nline 2\rline 3\n").with_event("up\ndate").with_id("4").with_retry(10);
        let wire = event.encode();
        assert_eq!(wire, "event: update\nid: 4\nretry: 10\ndata: line 1\ndata: line 2\ndata: line 3\ndata: \n\n");
        let parsed = parse_all(&[wire.as_bytes()]);
        let expected = SseEvent { event: Some("update".into()), data: "line 1\nline 2\nline 3\n".into(), ..event };
        assert_eq!(parsed, [expected]);
        assert_eq!(parse_all(&[SseEvent::new("").encode().as_bytes()]), [SseEvent::new("")]);
    }

    #[test]
    fn oversized_events_fail() {
        let mut parser = SseParser::new();
        let big = vec![b'a'; MAX_EVENT_BYTES + 1];
        assert!(matches!(parser.feed(&big), Err(SseError::TooLarge)));
    }

    #[tokio::test]
    async fn stream_yields_events_then_transport_error() {
        let chunks: Vec<Result<&[u8], std::io::Error>> =
            vec![Ok(b"data: 1\n\nda"), Ok(b"ta: 2\n\n"), Err(std::io::Error::other("reset")), Ok(b"data: 3\n\n")];
        let results: Vec<_> = parse(stream::iter(chunks)).collect().await;
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().unwrap().data, "1");
        assert_eq!(results[1].as_ref().unwrap().data, "2");
        assert!(matches!(&results[2], Err(SseError::Transport(err)) if err.to_string() == "reset"));
    }

    #[tokio::test]
    async fn typed_maps_json_and_reports_bad_data() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Mail {
            id: u32,
        }
        let chunks: Vec<Result<&[u8], std::io::Error>> = vec![Ok(b"data: {\"id\": 1}\n\ndata: nope\n\n")];
        let results: Vec<_> = parse(stream::iter(chunks)).typed::<Mail>().collect().await;
        assert_eq!(results[0].as_ref().unwrap(), &Mail { id: 1 });
        assert!(matches!(&results[1], Err(SseError::Json { data, .. }) if data == "nope"));
        assert_eq!(results.len(), 2);
    }
}
