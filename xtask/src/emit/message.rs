//! `ServiceMessage` for a client's error enums: where each documented error body carries the
//! service's own words, as the model found them ([`Api::message_paths`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, BodyKind, Hop, Operation, Presence, Primitive, TypeRef};

/// `impl ServiceMessage for <Op>Error`, one arm per variant.
pub fn service_message_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.plan.error.as_ref()?);
    let errors = op.plan.variants.iter().filter(|v| !v.status.is_success());
    let mut arms: Vec<TokenStream> = errors
        .map(|v| {
            let variant = ident(&v.name);
            match op.content_of(v) {
                None => quote! { Self::#variant => None, },
                Some(c) => {
                    let ty = match c.kind {
                        BodyKind::Json => c.ty.clone(),
                        BodyKind::Text => Some(TypeRef::Primitive(Primitive::String)),
                        BodyKind::Binary | BodyKind::EventStream => None,
                    };
                    arm(api, quote! { Self::#variant }, ty.as_ref())
                }
            }
        })
        .collect();
    if let Some(ty) = &api.error_in_success {
        arms.push(arm(api, quote! { Self::InBody }, Some(ty)));
    }
    Some(quote! {
        impl mailapi_support::client::ServiceMessage for #name {
            fn service_message(&self) -> Option<&str> {
                match self { #(#arms)* }
            }
        }
    })
}

/// The arm of one variant: the first of its body's message members that says something.
fn arm(api: &Api, pattern: TokenStream, ty: Option<&TypeRef>) -> TokenStream {
    let candidates: Vec<TokenStream> = match ty {
        Some(TypeRef::Primitive(Primitive::String)) => vec![quote! { Some(body.as_str()) }],
        Some(ty) => api.message_paths(ty).iter().map(|path| candidate(path)).collect(),
        None => Vec::new(),
    };
    match candidates.as_slice() {
        [] => quote! { #pattern(_) => None, },
        _ => quote! { #pattern(body) => mailapi_support::client::first_message([#(#candidates),*]), },
    }
}

/// `Option<&str>` at the end of `path` inside `body`: plain field access while the fields are
/// required, then `Option` combinators.
fn candidate(path: &[Hop]) -> TokenStream {
    let mut expr = quote! { body };
    let mut optional = false;
    for (i, hop) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        expr = match (hop, optional) {
            (Hop::First, false) => quote! { #expr.first() },
            (Hop::First, true) => quote! { #expr.and_then(|v| v.first()) },
            (Hop::Field { name, presence }, false) => {
                let f = ident(name);
                match (presence, last) {
                    (Presence::Required, _) => quote! { #expr.#f },
                    (Presence::Optional | Presence::Nullable, true) => quote! { #expr.#f.as_deref() },
                    (Presence::Optional | Presence::Nullable, false) => quote! { #expr.#f.as_ref() },
                    (Presence::OptionalNullable, true) => quote! { #expr.#f.as_option().map(String::as_str) },
                    (Presence::OptionalNullable, false) => quote! { #expr.#f.as_option() },
                }
            }
            (Hop::Field { name, presence }, true) => {
                let f = ident(name);
                match (presence, last) {
                    (Presence::Required, true) => quote! { #expr.map(|v| v.#f.as_str()) },
                    (Presence::Required, false) => quote! { #expr.map(|v| &v.#f) },
                    (Presence::Optional | Presence::Nullable, true) => quote! { #expr.and_then(|v| v.#f.as_deref()) },
                    (Presence::Optional | Presence::Nullable, false) => quote! { #expr.and_then(|v| v.#f.as_ref()) },
                    (Presence::OptionalNullable, true) => {
                        quote! { #expr.and_then(|v| v.#f.as_option()).map(String::as_str) }
                    }
                    (Presence::OptionalNullable, false) => quote! { #expr.and_then(|v| v.#f.as_option()) },
                }
            }
        };
        optional |= !matches!(hop, Hop::Field { presence: Presence::Required, .. });
    }
    match optional {
        true => expr,
        false => quote! { Some(#expr.as_str()) },
    }
}
