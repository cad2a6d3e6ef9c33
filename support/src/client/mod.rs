//! The reqwest-based transport that generated clients call.
//!
//! Generated code builds a [`Request`], calls [`Transport::execute`] and maps
//! the [`RawResponse`] by status with the helpers in this module.

// Public so that rustdoc has a page at each item's definition path: the docs that other crates
// inline (a generated crate's re-exports) link there. The items are used through the re-exports below.
pub mod auth;
pub mod request;
pub mod response;
pub mod retry;
pub mod stream;
pub mod transport;

pub use request::{CallOptions, Request};
pub use response::{
    Error, RawResponse, ResponseValue, ServiceMessage, TransportError, decode_bytes, decode_json, decode_text,
    first_message,
};
pub use retry::{RetryPolicy, retry_after};
pub use stream::{ByteStream, EventStream, StreamingResponse, is_json};
pub use transport::{BuildError, ClientBuilder, Transport};

// Not inlined: an inlined copy of another crate's page keeps its relative links, which break here.
#[doc(no_inline)]
pub use futures_util::future::BoxFuture;
#[doc(no_inline)]
pub use http::{HeaderMap, Method};

pub use crate::param_encoding::{QueryStyle, encode_path_segment, path_param, push_deep_object, push_form};
pub use crate::security::{Scheme, SchemeKind, Security};
