//! Emitters: the API model to Rust token streams. They read only [`crate::model`].

pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::doc_text;

/// An identifier the model has already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc]` attributes, one per line, for spec prose.
pub fn doc_attrs(text: &str) -> TokenStream {
    let text = doc_text(text);
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
    quote! {
        #(#lines)*

        pub mod types;
    }
}
