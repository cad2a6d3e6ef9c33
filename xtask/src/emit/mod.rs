//! Emitters: the API model to Rust token streams. They read only [`crate::model`].

pub mod client;
pub mod mock;
pub mod server;
pub mod tests;
pub mod validate;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::doc_text;

/// An identifier the model has already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc]` attributes, one per line, for spec prose (escaped for rustdoc).
pub fn doc_attrs(text: &str) -> TokenStream {
    own_doc(&doc_text(text))
}

/// `#[doc]` attributes for the generator's own markdown (intra-doc links kept).
pub fn own_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

/// `src/lib.rs` of a generated crate.
pub fn crate_root(api: &crate::model::Api, side: &str) -> TokenStream {
    let mut doc = format!("{} — {side} for API version {}.", api.title, api.version);
    if let Some(d) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    doc.push_str(&format!("\n\nGenerated from `{}`; see the crate README.", api.source));
    let docs = doc_text(&doc);
    let lines = docs.lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #![doc = #l] }
    });
    let validate = validate::module(api).is_some().then(|| quote! { mod validate; });
    let modules = match side {
        "client" => quote! {
            mod client;
            pub mod types;

            pub use client::*;
            pub use mailapi_support::client::{
                BuildError, ByteStream, CallOptions, ClientBuilder, Error, EventStream, ResponseValue, RetryPolicy, TransportError,
            };
        },
        _ => quote! {
            pub mod mock;
            mod server;
            pub mod types;
            #validate

            pub use mailapi_support::Problem;
            pub use mailapi_support::server::{AuthError, Authenticator, Context, Principal};
            pub use server::*;
        },
    };
    quote! {
        #(#lines)*
        // Errors carry the whole response or problem document, and response enums one body each;
        // both are moved once and consumed, so boxing would cost callers more than it saves.
        #![allow(clippy::result_large_err, clippy::large_enum_variant)]

        #modules
    }
}

/// The variant name of a response status: `Ok`, `NotFound`, `ClientError` for `4XX`, `Other`
/// for `default`; `media` tells apart several media types of one status.
pub fn status_variant(status: crate::model::Status, media: Option<&str>) -> String {
    use crate::model::Status;
    let base = match status {
        Status::Code(c) => reason(c).map_or_else(|| format!("Status{c}"), str::to_string),
        Status::Range(2) => "Success".to_string(),
        Status::Range(3) => "Redirection".to_string(),
        Status::Range(4) => "ClientError".to_string(),
        Status::Range(5) => "ServerError".to_string(),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Other".to_string(),
    };
    match media {
        Some(m) => format!("{base}{}", crate::model::type_ident(m.split(';').next().unwrap_or(m).rsplit('/').next().unwrap_or(m))),
        None => base,
    }
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}
