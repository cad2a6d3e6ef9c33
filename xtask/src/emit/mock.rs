//! The mock: an `Api` implementation that answers every operation with the spec's documented
//! examples, chosen with `Prefer: code=404` or `Prefer: example=NAME` as Prism does.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::server::status_code;
use super::{ident, own_doc};
use crate::model::{Api, BodyKind, Operation, Side, Status, Variant};

/// The `mock` module of a server crate.
pub fn module(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(method);
    let doc = own_doc(&format!(
        "Answers every operation of {} with the examples the spec documents.\n\n\
         The default answer is the first documented success example. A request chooses another with \
         `Prefer: code=404` (the first example of that status) or `Prefer: example=NAME`; a choice the \
         spec has no example for answers a 501 problem. A success documented without an example is \
         answered with the smallest value its schema accepts (the example `minimal`). Requests are authenticated (any well-formed \
         credentials of an allowed scheme, see [`AcceptAny`]), parsed and validated like any other.",
        api.title
    ));
    let helpers = helpers(api);
    let status_code_import =
        api.operations.iter().any(|op| op.plan.variants.iter().any(|v| answers_with_status(op, v))).then(|| {
            quote! { use axum::http::StatusCode; }
        });
    let no_operations = super::no_operations(api);
    quote! {
        #no_operations
        #status_code_import
        use mailapi_support::Problem;
        use mailapi_support::server::{#(#helpers),*};
        pub use mailapi_support::server::AcceptAny;

        use crate::server::*;

        #doc
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

        impl Api for Mock {
            #(#methods)*
        }
    }
}

/// The mock answers a range or `default` variant, which carries its status, with a representative one.
fn answers_with_status(op: &Operation, v: &Variant) -> bool {
    let answered = op.content_of(v).is_none_or(|c| !c.examples.is_empty());
    answered && matches!(v.status, Status::Range(_) | Status::Default)
}

/// The support functions the mock calls, so that none is imported unused.
fn helpers(api: &Api) -> Vec<proc_macro2::Ident> {
    let mut names = vec!["Candidate", "choose_example"];
    for op in &api.operations {
        for v in &op.plan.variants {
            if answers_with_status(op, v) && super::status_const(v.status.representative()).is_none() {
                names.push("status");
            }
            let headers = op.headers_of(v).map(|_| op.response_of(v));
            if headers.is_some_and(|r| r.headers.iter().any(|h| h.example.is_some())) {
                names.push("example_json");
            }
            let Some(c) = op.content_of(v).filter(|c| !c.examples.is_empty()) else { continue };
            names.push(match c.kind {
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart => "example_json",
                BodyKind::Text => "example_text",
                BodyKind::Binary => "example_body",
                BodyKind::EventStream => "example_events",
            });
        }
    }
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(|n| format_ident!("{n}")).collect()
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.plan.method);
    let request = ident(&op.plan.request);
    let response = ident(&op.plan.response);
    let variants = &op.plan.variants;
    let candidates = variants.iter().map(|v| {
        let code = Literal::u16_unsuffixed(v.status.representative());
        let content = op.content_of(v);
        let media = content.map_or("", |c| c.media_type.as_str());
        let names: Vec<&str> =
            content.map(|c| c.examples.iter().map(|e| e.name.as_str()).collect()).unwrap_or_default();
        quote! { Candidate { status: #code, media: #media, examples: &[#(#names),*] } }
    });
    let arms: Vec<TokenStream> = variants.iter().enumerate().flat_map(|(i, v)| arms(op, &response, i, v)).collect();
    if arms.is_empty() {
        // No documented example and no empty response: every choice answers 501.
        return quote! {
            async fn #name(&self, request: #request) -> Result<#response, Problem> {
                choose_example(&request.context.headers, &[#(#candidates),*]).and(Err(Problem::internal()))
            }
        };
    }
    quote! {
        async fn #name(&self, request: #request) -> Result<#response, Problem> {
            let choice = choose_example(&request.context.headers, &[#(#candidates),*])?;
            match choice {
                #(#arms)*
                _ => Err(Problem::internal()),
            }
        }
    }
}

fn arms(op: &Operation, response: &proc_macro2::Ident, index: usize, v: &Variant) -> Vec<TokenStream> {
    let index = Literal::usize_unsuffixed(index);
    let variant = ident(&v.name);
    let status_arg = matches!(v.status, Status::Range(_) | Status::Default).then(|| {
        let code = status_code(v.status.representative());
        quote! { #code, }
    });
    let headers = example_headers(op, v);
    let Some(content) = op.content_of(v) else {
        let value = match (&status_arg, &headers) {
            (None, None) => quote! { #response::#variant },
            (code, headers) => quote! { #response::#variant(#code #headers) },
        };
        return vec![quote! { (#index, _) => Ok(#value), }];
    };
    let headers = headers.map(|h| quote! { , #h });
    content
        .examples
        .iter()
        .map(|example| {
            let name = &example.name;
            let json = serde_json::to_string(&example.value).unwrap_or_default();
            let payload = match content.kind {
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart => quote! { example_json(#json)? },
                BodyKind::Text => quote! { example_text(#json)? },
                BodyKind::Binary => quote! { example_body(#json)? },
                BodyKind::EventStream => quote! { example_events(#json)? },
            };
            quote! { (#index, #name) => Ok(#response::#variant(#status_arg #payload #headers)), }
        })
        .collect()
}

/// The documented headers of `v`'s response with their examples (a required one without an
/// example has the smallest value its schema accepts; an optional one is left out).
fn example_headers(op: &Operation, v: &Variant) -> Option<TokenStream> {
    let name = ident(op.headers_of(v)?);
    let fields = op.response_of(v).headers.iter().map(|h| {
        let field = ident(&h.field);
        let json = h.example.as_ref().map(|e| serde_json::to_string(e).unwrap_or_default());
        let value = match (json, h.required) {
            (Some(json), true) => quote! { example_json(#json)? },
            (Some(json), false) => quote! { Some(example_json(#json)?) },
            (None, _) => quote! { None },
        };
        quote! { #field: #value }
    });
    Some(quote! { #name { #(#fields),* } })
}

/// `src/bin/mock.rs`: serves the generated `Mock` on loopback (`cargo xtask mock <vendor>` runs it).
pub fn binary(api: &Api) -> TokenStream {
    let krate = ident(&api.lib_name(Side::Server));
    let name = api.crate_name(Side::Server);
    let doc = format!(" Serves the {} mock on 127.0.0.1: `cargo run --bin {name}-mock -- [--port N]`.", api.title);
    let base = &api.base_path;
    quote! {
        #![doc = #doc]

        use #krate::mock::{AcceptAny, Mock};

        fn main() -> std::process::ExitCode {
            mailapi_support::server::serve_mock(#krate::router(Mock, AcceptAny), #base)
        }
    }
}
