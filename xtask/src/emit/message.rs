//! `ServiceMessage` for a client's error enums and error body types: where each documented error
//! body carries the service's own words, as the model found them ([`Api::message_paths`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use std::collections::BTreeSet;

use crate::model::{Api, BodyKind, Hop, MessagePath, Operation, Presence, Primitive, TypeKind, TypeRef, UnionMessages};

/// `impl ServiceMessage for <Op>Error`, one arm per variant.
pub fn service_message_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.plan.error.as_ref()?);
    let errors = op.plan.variants.iter().filter(|v| !v.status.is_success());
    let mut arms: Vec<TokenStream> = errors
        .map(|v| {
            let variant = ident(&v.name);
            // Documented headers travel as the variant's last field.
            let headers = op.headers_of(v).is_some();
            match op.content_of(v) {
                None if headers => quote! { Self::#variant(_) => None, },
                None => quote! { Self::#variant => None, },
                Some(c) => {
                    let ty = match c.kind {
                        BodyKind::Json => c.ty.clone(),
                        BodyKind::Text => Some(TypeRef::Primitive(Primitive::String)),
                        // A form is never a response body: refused where it is read.
                        BodyKind::Binary | BodyKind::EventStream | BodyKind::Form | BodyKind::Multipart => None,
                    };
                    arm(api, quote! { Self::#variant }, ty.as_ref(), headers)
                }
            }
        })
        .collect();
    if let Some(ty) = &api.error_in_success {
        arms.push(arm(api, quote! { Self::InBody }, Some(ty), false));
    }
    Some(quote! {
        impl mailapi_support::client::ServiceMessage for #name {
            fn service_message(&self) -> Option<&str> {
                match self { #(#arms)* }
            }
        }
    })
}

/// `impl ServiceMessage` for each error body type that carries a message, once per crate, so
/// that the error enums' arms (and users) ask the body.
pub fn body_impls(api: &Api) -> TokenStream {
    let mut names = BTreeSet::new();
    for op in &api.operations {
        for v in op.plan.variants.iter().filter(|v| !v.status.is_success()) {
            if let Some(TypeRef::Named(name)) =
                op.content_of(v).filter(|c| c.kind == BodyKind::Json).and_then(|c| c.ty.as_ref())
            {
                names.insert(name.as_str());
            }
        }
    }
    if let Some(TypeRef::Named(name)) = &api.error_in_success {
        names.insert(name.as_str());
    }
    let impls = names.into_iter().filter_map(|name| {
        let message = own_message(api, name)?;
        let ty = ident(name);
        Some(quote! {
            impl mailapi_support::client::ServiceMessage for types::#ty {
                fn service_message(&self) -> Option<&str> {
                    let body = self;
                    #message
                }
            }
        })
    });
    quote! { #(#impls)* }
}

/// The message of named type `name` as an expression over `body`, when the type is a struct or
/// a union of its own (not an alias, which may name a type this crate cannot implement for).
fn own_message(api: &Api, name: &str) -> Option<TokenStream> {
    let def = api.types.iter().find(|t| t.name == name)?;
    if !matches!(def.kind, TypeKind::Struct(_) | TypeKind::Union(_)) {
        return None;
    }
    let ty = TypeRef::Named(name.to_string());
    union_match(api, &ty).or_else(|| first_message(&api.message_paths(&ty)))
}

/// The arm of one variant: the first of its body's message members that says something.
/// `headers`: the variant carries a headers struct after its body.
fn arm(api: &Api, variant: TokenStream, ty: Option<&TypeRef>, headers: bool) -> TokenStream {
    let (pattern, ignored) = if headers {
        (quote! { #variant(body, _) }, quote! { #variant(_, _) })
    } else {
        (quote! { #variant(body) }, quote! { #variant(_) })
    };
    if let Some(TypeRef::Named(name)) = ty {
        if own_message(api, name).is_some() {
            return quote! { #pattern => mailapi_support::client::ServiceMessage::service_message(body), };
        }
    }
    if let Some(union) = ty.and_then(|ty| union_match(api, ty)) {
        return quote! { #pattern => #union, };
    }
    let paths = match ty {
        Some(TypeRef::Primitive(Primitive::String)) => vec![Vec::new()],
        Some(ty) => api.message_paths(ty),
        None => Vec::new(),
    };
    match first_message(&paths) {
        None => quote! { #ignored => None, },
        Some(first) => quote! { #pattern => #first, },
    }
}

/// `first_message([..])` over `paths` inside `body`; `None` without paths.
fn first_message(paths: &[MessagePath]) -> Option<TokenStream> {
    let candidates = paths.iter().map(|path| candidate(path));
    (!paths.is_empty()).then(|| quote! { mailapi_support::client::first_message([#(#candidates),*]) })
}

/// A `match` over the variants of a union error body, when some variant carries a message.
fn union_match(api: &Api, ty: &TypeRef) -> Option<TokenStream> {
    let UnionMessages { union: name, variants } = api.union_message_paths(ty)?;
    if variants.iter().all(|(_, paths)| paths.is_empty()) {
        return None;
    }
    let name = ident(&name);
    let arms = variants.iter().map(|(variant, paths)| {
        let variant = ident(variant);
        match first_message(paths) {
            None => quote! { types::#name::#variant(_) => None, },
            Some(first) => quote! { types::#name::#variant(body) => #first, },
        }
    });
    Some(quote! { match body { #(#arms)* } })
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
