//! The reqwest-based transport that generated clients call.
//!
//! Generated code builds a [`Request`], calls [`Transport::execute`] and maps
//! the [`RawResponse`] by status with the helpers in this module.

mod auth;
mod request;
mod response;
mod retry;
mod stream;
mod transport;

pub use request::{CallOptions, Request};
pub use response::{Error, RawResponse, ResponseValue, TransportError, decode_bytes, decode_json, decode_text};
pub use retry::{RetryPolicy, retry_after};
pub use stream::{ByteStream, EventStream, StreamingResponse, is_json};
pub use transport::{BuildError, ClientBuilder, Transport};

pub use http::{HeaderMap, Method};

pub use crate::param_encoding::{QueryStyle, encode_path_segment, path_param, push_deep_object, push_form};
pub use crate::security::{Scheme, SchemeKind, Security};
