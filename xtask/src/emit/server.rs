//! The server: a trait with one method per operation, typed requests and response enums, and an
//! axum router that authenticates, parses and validates before calling the implementation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::rust_type;
use super::{doc_attrs, ident, own_doc, status_variant};
use crate::model::{
    Api, BodyKind, Content, Operation, Param, ParamLocation, ParamStyle, Primitive, Response,
    SchemeKind, Status, TypeRef, type_ident,
};

/// The `server` module of a server crate.
pub fn module(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|s| {
        let name = scheme_const(&s.name);
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
    let trait_methods = api.operations.iter().map(trait_method);
    let routes = routes(api);
    let handlers = api.operations.iter().map(|op| handler(api, op));
    let checked = super::validate::Checked::new(api);
    let requests = api.operations.iter().map(|op| request_struct(op, &checked));
    let responses = api.operations.iter().map(|op| response_enum(api, op));
    let trait_doc = own_doc(&format!(
        "The operations of {}: implement this trait and serve it with [`router`].\n\n\
         Each method gets a request that has already been authenticated, parsed and validated \
         against the spec, and answers with one of the responses the spec documents. An `Err` \
         is sent as the response the operation documents for its status (an RFC 7807 problem \
         where it documents none): use it for failures the spec does not describe.",
        api.title
    ));
    let uses_types = (!api.types.is_empty()).then(|| quote! { use crate::types; });
    let schemes_import = (!api.security_schemes.is_empty()).then(|| quote! { use mailapi_support::{Scheme, SchemeKind}; });
    quote! {
        use std::sync::Arc;

        use axum::Router;
        use axum::extract::State;
        use axum::response::{IntoResponse, Response};
        use mailapi_support::server::{Authenticator, Context, ErrorShape, Principal, RequestParts, authenticate_request, problem_response, respond_documented, status};
        use mailapi_support::Problem;
        #schemes_import
        #uses_types

        #(#schemes)*

        #trait_doc
        pub trait Api: Send + Sync + 'static {
            #(#trait_methods)*
        }

        #routes

        struct Shared<A, Au> {
            api: A,
            authenticator: Au,
        }

        #(#handlers)*

        #(#requests)*

        #(#responses)*
    }
}

fn scheme_const(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", heck::ToShoutySnakeCase::to_shouty_snake_case(crate::model::field_ident(name).as_str()))
}

fn names(op: &Operation) -> (proc_macro2::Ident, proc_macro2::Ident, proc_macro2::Ident) {
    let base = type_ident(&op.operation_id);
    (ident(&op.fn_name), format_ident!("{base}Request"), format_ident!("{base}Response"))
}

fn trait_method(op: &Operation) -> TokenStream {
    let (name, request, response) = names(op);
    let mut doc = Vec::new();
    doc.extend(op.summary.clone());
    doc.extend(op.description.clone());
    let docs = doc_attrs(&doc.join("\n\n"));
    let route = own_doc(&format!("`{} {}`", op.method.as_str(), op.path));
    quote! {
        #docs
        ///
        #route
        fn #name(&self, request: #request) -> impl Future<Output = Result<#response, Problem>> + Send;
    }
}

fn routes(api: &Api) -> TokenStream {
    let mut paths: Vec<&str> = api.operations.iter().map(|o| o.path.as_str()).collect();
    paths.dedup();
    let routes = paths.iter().map(|path| {
        let mut chain = TokenStream::new();
        for (i, op) in api.operations.iter().filter(|o| o.path == *path).enumerate() {
            let method = format_ident!("{}", op.method.as_str().to_ascii_lowercase());
            let handler = ident(&op.fn_name);
            let call = quote! { #method(#handler::<A, Au>) };
            chain = if i == 0 { quote! { axum::routing::#call } } else { quote! { #chain.#call } };
        }
        // The base path is part of each route rather than a `nest`: no URI rewrite per request.
        let full = match *path {
            "/" if !api.base_path.is_empty() => api.base_path.clone(),
            path => format!("{}{path}", api.base_path),
        };
        quote! { .route(#full, #chain) }
    });
    let doc = own_doc(&format!(
        "An axum router serving `api` with `authenticator` checking credentials, mounted under the spec's base path `{}`.\n\n\
         Requests are authenticated, parsed and validated before they reach `api`; failures answer \
         400, 401, 413, 415 or 422 in the response each operation documents for that status \
         (validation failures 400 where it documents 400 and not 415 or 422), else as RFC 7807 \
         problems. A panicking handler answers 500 and the server keeps serving.",
        if api.base_path.is_empty() { "/" } else { &api.base_path }
    ));
    quote! {
        #doc
        pub fn router<A: Api, Au: Authenticator + 'static>(api: A, authenticator: Au) -> Router {
            let shared = Arc::new(Shared { api, authenticator });
            let routes = Router::new()
                #(#routes)*
                .with_state(shared);
            mailapi_support::server::with_defaults(routes)
        }
    }
}

fn security(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt.iter().filter(|s| api.security_schemes.iter().any(|d| &d.name == *s)).map(|s| scheme_const(s));
        quote! { &[#(#schemes),*] }
    });
    quote! { &[#(#alternatives),*] }
}

fn handler(api: &Api, op: &Operation) -> TokenStream {
    let (name, request, _) = names(op);
    let security = security(api, op);
    let shapes = error_shapes(api, op);
    quote! {
        async fn #name<A: Api, Au: Authenticator>(State(shared): State<Arc<Shared<A, Au>>>, parts: Result<RequestParts, Problem>) -> Response {
            #shapes
            let mut parts = match parts {
                Ok(parts) => parts,
                Err(problem) => return problem_response(problem, ERRORS),
            };
            let principal = match authenticate_request(&shared.authenticator, &mut parts, #security).await {
                Ok(principal) => principal,
                Err(problem) => return problem_response(problem, ERRORS),
            };
            match #request::parse(parts, principal) {
                Ok(request) => respond_documented(shared.api.#name(request).await, ERRORS),
                Err(problem) => problem_response(problem, ERRORS),
            }
        }
    }
}

/// `ERRORS`: the responses the operation documents for the server's own errors.
fn error_shapes(api: &Api, op: &Operation) -> TokenStream {
    let shapes = api.error_shapes.get(&op.fn_name).into_iter().flatten().map(|shape| {
        let status = match shape.status {
            Status::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote! { mailapi_support::server::Documented::Code(#code) }
            }
            Status::Range(range) => {
                let range = proc_macro2::Literal::u16_unsuffixed(u16::from(range));
                quote! { mailapi_support::server::Documented::Range(#range) }
            }
            Status::Default => quote! { mailapi_support::server::Documented::Default },
        };
        let media = &shape.media;
        let members = shape.members.iter().map(|(pointer, member)| {
            let member = format_ident!("{}", format!("{member:?}"));
            quote! { (#pointer, mailapi_support::server::Member::#member) }
        });
        let extensions = shape.extensions;
        quote! { ErrorShape { status: #status, media: #media, members: &[#(#members),*], extensions: #extensions } }
    });
    quote! { const ERRORS: &[ErrorShape] = &[#(#shapes),*]; }
}

/// The Rust type of a parameter or body value, seen from the server module.
fn types_path(ty: &TypeRef) -> TokenStream {
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
        TypeRef::Primitive(Primitive::Bytes) => quote! { String },
        other => rust_type(other),
    }
}

fn request_struct(op: &Operation, checked: &super::validate::Checked<'_>) -> TokenStream {
    let (_, request, _) = names(op);
    let doc = own_doc(&format!("The parsed and validated request of [`Api::{}`].", op.fn_name));
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.field);
        let ty = types_path(&p.ty);
        let ty = if p.required || p.location == ParamLocation::Path { ty } else { quote! { Option<#ty> } };
        let mut text = p.description.clone().unwrap_or_default();
        let place = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let docs = doc_attrs(&text);
        let place = own_doc(&format!("The `{}` {place} parameter.", p.name));
        quote! { #docs #place pub #name: #ty, }
    });
    let (body_field, body_parse) = body(op);
    let parses = op.params.iter().map(param_parse);
    let checks = op.params.iter().filter_map(|p| super::validate::param_check(checked, p));
    let body_check = op.body.as_ref().and_then(|b| b.contents.first()).and_then(|c| {
        let validated = c.kind == BodyKind::Json && c.ty.as_ref().is_some_and(|ty| checked.needs(ty));
        validated.then(|| {
            let required = op.body.as_ref().is_some_and(|b| b.required);
            if required {
                quote! { mailapi_support::server::Validate::validate(&request.body, "", &mut violations); }
            } else {
                quote! { if let Some(body) = &request.body { mailapi_support::server::Validate::validate(body, "", &mut violations); } }
            }
        })
    });
    // A body that is itself a map or array of limited elements (Hostway's secret answers).
    let element_check = op.body.as_ref().and_then(|b| b.contents.first()).filter(|c| c.kind == BodyKind::Json && body_check.is_none()).and_then(|c| {
        let checks = super::validate::body_element_check(checked, c.ty.as_ref()?)?;
        let required = op.body.as_ref().is_some_and(|b| b.required);
        Some(if required {
            quote! { { let (here, value) = (String::new(), &request.body); #checks } }
        } else {
            quote! { if let Some(value) = &request.body { let here = String::new(); #checks } }
        })
    });
    let checks: Vec<TokenStream> = checks.chain(body_check).chain(element_check).collect();
    let validation = (!checks.is_empty()).then(|| {
        quote! {
            let mut violations = mailapi_support::server::Violations::default();
            #(#checks)*
            violations.into_result()?;
        }
    });
    quote! {
        #doc
        #[derive(Debug)]
        pub struct #request {
            #(#fields)*
            #body_field
            /// Who called, and the request headers.
            pub context: Context,
        }

        impl #request {
            fn parse(parts: RequestParts, principal: Option<Principal>) -> Result<Self, Problem> {
                let request = Self {
                    #(#parses)*
                    #body_parse
                    // Last: the fields above borrow `parts`, this moves its headers.
                    context: Context { principal, headers: parts.headers },
                };
                #validation
                Ok(request)
            }
        }
    }
}

fn param_parse(p: &Param) -> TokenStream {
    let name = ident(&p.field);
    let wire = &p.name;
    let required = p.required || p.location == ParamLocation::Path;
    let value = match (p.location, &p.ty, p.style) {
        (ParamLocation::Path, _, _) => quote! { parts.path.required(#wire)? },
        (ParamLocation::Header, _, _) => quote! { parts.header(#wire)? },
        (ParamLocation::Query, TypeRef::Array(_), ParamStyle::Form) => {
            let explode = p.explode;
            quote! { parts.query.array(#wire, #explode)? }
        }
        (ParamLocation::Query, TypeRef::Array(_), style) => {
            let delimiter = if style == ParamStyle::PipeDelimited { '|' } else { ' ' };
            quote! { parts.query.delimited(#wire, #delimiter)? }
        }
        (ParamLocation::Query, _, ParamStyle::DeepObject) => quote! { parts.query.deep_object_value(#wire)? },
        (ParamLocation::Query, _, _) => quote! { parts.query.optional(#wire)? },
    };
    let value = match (p.location, required) {
        (ParamLocation::Path, _) | (_, false) => value,
        (_, true) => quote! { #value.ok_or_else(|| mailapi_support::server::missing_param(#wire))? },
    };
    quote! { #name: #value, }
}

fn body(op: &Operation) -> (Option<TokenStream>, Option<TokenStream>) {
    let Some(body) = &op.body else { return (None, None) };
    let Some(content) = body.contents.first() else { return (None, None) };
    let media = &content.media_type;
    let (ty, parse) = match (content.kind, &content.ty) {
        (BodyKind::Json, Some(ty)) => (types_path(ty), quote! { json_body }),
        (BodyKind::Json, None) => (quote! { serde_json::Value }, quote! { json_body }),
        (BodyKind::Text, _) => (quote! { String }, quote! { text_body }),
        _ => (quote! { bytes::Bytes }, quote! { bytes_body }),
    };
    let doc = doc_attrs(body.description.as_deref().unwrap_or("The request body."));
    if body.required {
        (Some(quote! { #doc pub body: #ty, }), Some(quote! { body: parts.#parse(&[#media])?, }))
    } else {
        let parse = quote! { body: parts.optional_body(|parts| parts.#parse(&[#media]))?, };
        (Some(quote! { #doc pub body: Option<#ty>, }), Some(parse))
    }
}

/// One variant per documented (status, media type).
pub struct Variant<'a> {
    pub name: proc_macro2::Ident,
    pub response: &'a Response,
    pub content: Option<&'a Content>,
}

pub fn variants(op: &Operation) -> Vec<Variant<'_>> {
    let mut out = Vec::new();
    for r in &op.responses {
        if r.contents.is_empty() {
            out.push(Variant { name: ident(&status_variant(r.status, None)), response: r, content: None });
        }
        let many = r.contents.len() > 1;
        for c in &r.contents {
            let media = many.then_some(c.media_type.as_str());
            out.push(Variant { name: ident(&status_variant(r.status, media)), response: r, content: Some(c) });
        }
    }
    out
}

/// The payload type of a variant; `None` for an empty body.
pub fn payload(content: Option<&Content>) -> Option<TokenStream> {
    let c = content?;
    Some(match (c.kind, &c.ty) {
        (BodyKind::Json, Some(ty)) => types_path(ty),
        (BodyKind::Json, None) => quote! { serde_json::Value },
        (BodyKind::Text, _) => quote! { String },
        (BodyKind::Binary, _) => quote! { axum::body::Body },
        (BodyKind::EventStream, ty) => {
            let item = ty.as_ref().map_or(quote! { serde_json::Value }, types_path);
            quote! { mailapi_support::server::EventStream<#item> }
        }
    })
}

fn has_status(status: Status) -> bool {
    matches!(status, Status::Range(_) | Status::Default)
}

fn response_enum(api: &Api, op: &Operation) -> TokenStream {
    let (_, _, response) = names(op);
    let doc = own_doc(&format!("The responses [`Api::{}`] may answer with, as the spec documents them.", op.fn_name));
    let variants = variants(op);
    let defs = variants.iter().map(|v| {
        let name = &v.name;
        let docs = doc_attrs(&format!("{}: {}", status_label(v.response.status), v.response.description));
        let status = has_status(v.response.status).then(|| quote! { axum::http::StatusCode });
        let fields: Vec<TokenStream> = status.into_iter().chain(payload(v.content)).collect();
        if fields.is_empty() {
            quote! { #docs #name, }
        } else {
            quote! { #docs #name(#(#fields),*), }
        }
    });
    let arms = variants.iter().map(|v| {
        let name = &v.name;
        let code = match v.response.status {
            Status::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote! { status(#c) }
            }
            _ => quote! { code },
        };
        let bound_code = has_status(v.response.status).then(|| quote! { code });
        let body = v.content.map(|_| quote! { body });
        let bind: Vec<TokenStream> = bound_code.into_iter().chain(body).collect();
        let pat = if bind.is_empty() { quote! { #response::#name } } else { quote! { #response::#name(#(#bind),*) } };
        let value = match v.content {
            None => quote! { #code.into_response() },
            Some(c) => {
                let media = &c.media_type;
                match c.kind {
                    BodyKind::Json => quote! { mailapi_support::server::json_response(#code, #media, &body) },
                    BodyKind::Text => quote! { mailapi_support::server::text_response(#code, #media, body) },
                    BodyKind::Binary => quote! { mailapi_support::server::body_response(#code, #media, body) },
                    BodyKind::EventStream => quote! { mailapi_support::server::sse_json_response(body) },
                }
            }
        };
        quote! { #pat => #value, }
    });
    let in_body = api.error_in_success.as_ref().map(|ty| {
        let ty = types_path(ty);
        (
            quote! {
                /// An error reported inside a 200 response, as this service does.
                InBody(#ty),
            },
            quote! { #response::InBody(body) => mailapi_support::server::json_response(status(200), "application/json", &body), },
        )
    });
    let (in_body_def, in_body_arm) = in_body.unzip();
    quote! {
        #doc
        pub enum #response {
            #(#defs)*
            #in_body_def
        }

        impl IntoResponse for #response {
            fn into_response(self) -> Response {
                match self {
                    #(#arms)*
                    #in_body_arm
                }
            }
        }
    }
}

fn status_label(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "Any other status".into(),
    }
}
