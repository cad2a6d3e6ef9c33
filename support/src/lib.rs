//! Runtime shared by the generated mail API crates.
//!
//! The code generator emits thin per-operation code; everything that is the
//! same for every vendor lives here once:
//!
//! - [`wrappers`]: `Secret`, `Nullable`, `Base64Bytes`, the wrappers generated fields use (always available).
//! - [`security`]: the `Scheme` tables both sides read (always available).
//! - [`form`]: `application/x-www-form-urlencoded` bodies from typed structs (always available).
//! - [`headers`]: typed response headers, read by clients and written by servers (always available).
//! - [`media`]: media type essence comparison (always available).
//! - [`multipart`]: `multipart/form-data` bodies from typed structs, `FilePart` (always available).
//! - [`param_encoding`]: path and query parameters to their wire text (always available);
//!   the server's parsing of them is `server`'s.
//! - [`problem`]: RFC 7807 problem documents (always available).
//! - [`sse`]: server-sent events parser and encoder (always available).
//! - [`paginate`]: turns a page fetcher into a stream of items (always available).
//! - [`undeclared`]: JSON decoding that reports members the target type does not declare (always available).
//! - `client` (feature `client`): reqwest transport with auth, retries and typed errors.
//! - `server` (feature `server`): axum helpers for authentication, request parsing and responses.
#![warn(missing_docs)]
// Errors here carry the whole response (status, headers, body) or a problem
// document for diagnosis. They are built once per failed call, off the hot
// path, and boxing them would make every generated `match` noisier.
#![allow(clippy::result_large_err)]

pub mod form;
pub mod headers;
pub mod media;
pub mod multipart;
pub mod paginate;
pub mod param_encoding;
mod param_text;
pub mod problem;
pub mod security;
pub mod sse;
pub mod undeclared;
pub mod wrappers;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod server;

// Crates whose types appear in the generated crates' public APIs (`HeaderMap` in `CallOptions`,
// `Bytes` in `ResponseValue::raw_body`, untyped items as `serde_json::Value`, the `Stream` of a
// paged call), re-exported so that a user names them at the versions the runtime was built with.
pub use bytes;
pub use futures_util;
pub use http;
pub use serde_json;

#[cfg(feature = "server")]
pub use axum;
#[cfg(feature = "client")]
pub use reqwest;

pub use multipart::FilePart;
pub use problem::Problem;
pub use security::{Scheme, SchemeKind};
pub use wrappers::{Base64Bytes, Nullable, Secret};
