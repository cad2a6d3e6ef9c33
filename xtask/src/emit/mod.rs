//! Emitters: the API model to Rust token streams. They read only [`crate::model`].

pub mod client;
pub mod e2e_test;
pub mod examples_test;
mod message;
pub mod mock;
mod request_body;
pub mod server;
mod test_values;
pub mod types;
pub mod validate;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Operation, SchemeKind, Side, TypeRef, doc_text, status_const};

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
pub fn crate_root(api: &Api, side: Side) -> TokenStream {
    let mut doc = format!("{} — {} for API version {}.", api.title, side.as_str(), api.version);
    if let Some(d) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    doc.push_str(&format!("\n\nGenerated from `{}`; see the crate README.", api.source));
    let mut docs = doc_text(&doc);
    if side == Side::Client {
        docs.push_str(&client_example(api));
    }
    let lines = docs.lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #![doc = #l] }
    });
    let validate = validate::module(api).is_some().then(|| quote! { mod validate; });
    let chrono = api.uses_chrono().then(|| quote! { pub use chrono; });
    let file_part = api.uses_multipart().then(|| quote! { pub use mailapi_support::FilePart; });
    let webhooks = (!api.receivers.is_empty()).then(|| quote! { pub mod webhooks; });
    let modules = match side {
        Side::Client => quote! {
            mod client;
            pub mod types;

            pub use client::*;
            pub use mailapi_support::client::{
                BuildError, ByteStream, CallOptions, ClientBuilder, Error, EventStream, ResponseValue, RetryPolicy,
                ServiceMessage, Transport, TransportError,
            };
            pub use mailapi_support::{Scheme, SchemeKind};
            pub use mailapi_support::sse::SseError;
            pub use mailapi_support::{Base64Bytes, Nullable, Secret};
            #file_part

            // The crates this crate's API exposes, at the versions it was built with.
            pub use mailapi_support::{bytes, futures_util, http, reqwest};
            pub use serde_json;
            #chrono
        },
        Side::Server => quote! {
            pub mod mock;
            mod server;
            pub mod types;
            #validate
            #webhooks

            pub use mailapi_support::Problem;
            pub use mailapi_support::server::{
                AuthError, AuthRequest, Authenticator, Context, EventStream, Limits, Principal, Scheme, SchemeKind,
                SseEvent, serve,
            };
            pub use mailapi_support::{Base64Bytes, Nullable, Secret};
            #file_part
            pub use server::*;

            // The crates this crate's API exposes, at the versions it was built with.
            pub use mailapi_support::{axum, bytes, futures_util, http};
            pub use serde_json;
            #chrono
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

/// The `# Example` section of a client crate's documentation: build a client and make one real
/// call ([`Api::call_example`]), compiled as a doctest (not run: it needs the service).
fn client_example(api: &Api) -> String {
    let base = match api.server_url.as_deref() {
        Some(url) if url.starts_with("http") && !url.contains('{') => url.to_string(),
        _ => format!("https://api.example.com{}", api.base_path),
    };
    let lib = api.lib_name(Side::Client);
    let mut code = vec![
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
        format!("let client = {lib}::Client::builder({base:?})"),
    ];
    let call = api.call_example();
    let credentials = match call.as_ref().and_then(|c| c.credentials.clone().zip(c.scheme.clone())) {
        Some((SchemeKind::Basic, _)) => Some("    .basic_auth(\"USER\", \"PASSWORD\")".to_string()),
        Some((SchemeKind::Bearer, _)) => Some("    .bearer_token(\"TOKEN\")".to_string()),
        Some((SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_), scheme)) => {
            Some(format!("    .api_key({scheme:?}, \"KEY\")"))
        }
        None => None,
    };
    code.extend(credentials);
    code.push("    .build()?;".to_string());
    let intro = match &call {
        Some(call) => {
            let args: Vec<String> = call.args.iter().map(|a| format!("{a:?}")).collect();
            code.push(format!("let response = client.{}({}).await?;", call.method, args.join(", ")));
            code.push("println!(\"{} {:?}\", response.status(), response.body());".to_string());
            format!(
                "Build a client, then call an operation (here `{}`): a documented error status comes back \
                 as [`Error::Api`] with its typed body, and its `Display` includes the service's message.",
                call.method
            )
        }
        None => "Build a client:".to_string(),
    };
    code.push("# Ok(())".to_string());
    code.push("# }".to_string());
    format!("\n\n# Example\n\n{intro}\n\n```no_run\n{}\n```", code.join("\n"))
}

/// The constants of the security schemes, as the client and server modules declare them.
pub fn scheme_consts(api: &Api) -> TokenStream {
    let consts = api.security_schemes.iter().map(|s| {
        let name = ident(&s.const_name);
        let spec_name = &s.name;
        let kind = match &s.kind {
            SchemeKind::Basic => quote! { SchemeKind::Basic },
            SchemeKind::Bearer => quote! { SchemeKind::Bearer },
            SchemeKind::ApiKeyHeader(h) => quote! { SchemeKind::ApiKeyHeader(#h) },
            SchemeKind::ApiKeyQuery(q) => quote! { SchemeKind::ApiKeyQuery(#q) },
        };
        let doc = own_doc(&format!("The `{spec_name}` security scheme."));
        quote! {
            #doc
            pub const #name: Scheme = Scheme { name: #spec_name, kind: #kind };
        }
    });
    quote! { #(#consts)* }
}

/// `&[&[A, B], &[C]]`: the scheme constants of each security alternative of `op`.
pub fn security_alternatives(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt
            .iter()
            .filter_map(|name| api.security_schemes.iter().find(|s| &s.name == name))
            .map(|s| ident(&s.const_name));
        quote! { &[#(#schemes),*] }
    });
    quote! { &[#(#alternatives),*] }
}

/// An `allow` for a method named after an operation whose name breaks a `self` convention.
pub fn self_convention_allow(name: &str) -> Option<TokenStream> {
    crate::model::breaks_self_convention(name).then(|| {
        quote! {
            #[allow(clippy::wrong_self_convention, reason = "named after the spec's operationId")]
        }
    })
}

/// A type as the generated modules and tests spell it: named types through `types::`.
pub fn types_path(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(n) => {
            let n = ident(n);
            quote! { types::#n }
        }
        TypeRef::Array(inner) => {
            let inner = types_path(inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = types_path(inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        other => types::rust_type(other),
    }
}

/// A spec may document no operation (OpenAPI 3.1: only webhooks); the crate is then its types,
/// and the operation machinery every crate declares is unused.
pub(crate) fn no_operations(api: &Api) -> Option<TokenStream> {
    api.operations
        .is_empty()
        .then(|| quote! { #![allow(unused_imports, dead_code, reason = "the spec documents no operation")] })
}
