//! The server: a trait with one method per operation, typed requests and response enums, and an
//! axum router that authenticates, parses and validates before calling the implementation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::validate::Checked;
use super::{doc_attrs, ident, own_doc, scheme_consts, security_alternatives, types_path};
use crate::model::{
    Api, BodyKind, Content, Operation, Param, ParamLocation, ParamStyle, Role, Status, TypeRef, Variant, doc_text,
    status_const,
};

/// The `server` module of a server crate.
pub fn module(api: &Api) -> TokenStream {
    let trait_name = ident(api.trait_name());
    let schemes = scheme_consts(api);
    let trait_methods = api.operations.iter().map(trait_method);
    let partial = partial_api(api, &trait_name);
    let routes = routes(api, &trait_name);
    let handlers = api.operations.iter().map(|op| handler(api, op, &trait_name));
    let checked = Checked::new(api);
    let requests = api.operations.iter().map(|op| request_struct(api, op, &checked));
    let responses = api.operations.iter().map(|op| response_enum(api, op));
    let what = match api.role {
        Role::Service => format!("The operations of {}", api.title),
        Role::Receiver => format!(
            "The requests {} sends to others, its webhooks and the callbacks of its operations, \
             as a receiver serves them",
            api.title
        ),
    };
    let bodies = api.operations.iter().filter_map(|op| super::request_body::choice_enum(op, true));
    let trait_doc = own_doc(&format!(
        "{what}: implement this trait and serve it with [`router`].\n\n\
         Each method gets a request that has already been authenticated, parsed and validated \
         against the spec, and answers with one of the responses the spec documents. An `Err` \
         is sent as the response the operation documents for its status (an RFC 7807 problem \
         where it documents none): use it for failures the spec does not describe."
    ));
    let uses_types = (!api.types.is_empty()).then(|| quote! { use crate::types; });
    let schemes_import =
        (!api.security_schemes.is_empty()).then(|| quote! { use mailapi_support::{Scheme, SchemeKind}; });
    let status_import = api.operations.iter().any(uses_status_fn).then(|| quote! { , status });
    let no_operations = super::no_operations(api);
    quote! {
        #no_operations
        use std::sync::Arc;

        use axum::Router;
        use axum::extract::State;
        use axum::http::StatusCode;
        use axum::response::{IntoResponse, Response};
        use mailapi_support::server::{Authenticator, Context, ErrorShape, Principal, RequestParts, problem_response, read_request, respond_documented #status_import};
        use mailapi_support::Problem;
        #schemes_import
        #uses_types

        #schemes

        #trait_doc
        pub trait #trait_name: Send + Sync + 'static {
            #(#trait_methods)*
        }

        #partial

        #routes

        struct Shared<A, Au> {
            api: A,
            authenticator: Au,
        }

        #(#handlers)*

        #(#requests)*

        #(#bodies)*

        #(#responses)*
    }
}

/// A documented status without a `StatusCode` constant is built with `status(code)`.
fn uses_status_fn(op: &Operation) -> bool {
    op.plan.variants.iter().any(|v| matches!(v.status, Status::Code(c) if status_const(c).is_none()))
}

/// `StatusCode::NOT_FOUND`, or `status(599)` for a code without a constant.
pub fn status_code(code: u16) -> TokenStream {
    match status_const(code) {
        Some(name) => {
            let name = ident(&name);
            quote! { StatusCode::#name }
        }
        None => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote! { status(#code) }
        }
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let signature = method_signature(op);
    quote! { #signature; }
}

/// The docs and signature of an operation's method in `Api` and `PartialApi`.
fn method_signature(op: &Operation) -> TokenStream {
    let name = ident(&op.plan.method);
    let (request, response) = (ident(&op.plan.request), ident(&op.plan.response));
    let mut doc = Vec::new();
    doc.extend(op.summary.clone());
    doc.extend(op.description.clone());
    let docs = doc_attrs(&doc.join("\n\n"));
    let route = match &op.sent_as {
        Some(what) => own_doc(&format!("{} Received as `{} {}`.", doc_text(what), op.method.as_str(), op.path)),
        None => own_doc(&format!("`{} {}`", op.method.as_str(), op.path)),
    };
    let allow = super::self_convention_allow(&op.plan.method);
    quote! {
        #docs
        ///
        #route
        #allow
        fn #name(&self, request: #request) -> impl Future<Output = Result<#response, Problem>> + Send
    }
}

/// `PartialApi`: `Api` with a default for every method, answering 501 Not Implemented, and the
/// blanket impl that makes every `PartialApi` an `Api`. Implementing `Api` itself keeps the
/// compiler's check that every operation is served.
fn partial_api(api: &Api, trait_name: &proc_macro2::Ident) -> TokenStream {
    let partial = format_ident!("Partial{trait_name}");
    let defaults = api.operations.iter().map(|op| {
        let signature = method_signature(op);
        let id = &op.operation_id;
        quote! {
            #signature {
                let _ = request;
                async { Err(Problem::not_implemented(#id)) }
            }
        }
    });
    let forwards = api.operations.iter().map(|op| {
        let name = ident(&op.plan.method);
        let (request, response) = (ident(&op.plan.request), ident(&op.plan.response));
        let allow = super::self_convention_allow(&op.plan.method);
        quote! {
            #allow
            fn #name(&self, request: #request) -> impl Future<Output = Result<#response, Problem>> + Send {
                #partial::#name(self, request)
            }
        }
    });
    let doc = own_doc(&format!(
        "[`{trait_name}`] with a default for every method: an operation you do not implement answers \
         `501 Not Implemented` with an RFC 7807 problem that names it.\n\n\
         Implement this trait to serve part of {} and [`router`] takes it as it is (every \
         `{partial}` is an `{trait_name}`); implement [`{trait_name}`] instead to have the compiler check that \
         every operation is served. The same type cannot implement both.",
        api.title
    ));
    quote! {
        #doc
        pub trait #partial: Send + Sync + 'static {
            #(#defaults)*
        }

        impl<T: #partial> #trait_name for T {
            #(#forwards)*
        }
    }
}

fn routes(api: &Api, trait_name: &proc_macro2::Ident) -> TokenStream {
    // Each operation's route once: recomputing it per path was quadratic (GitHub's 767 operations).
    let routed: Vec<(String, &Operation)> = api.operations.iter().map(|o| (o.route(), o)).collect();
    let mut paths: Vec<&str> = routed.iter().map(|(r, _)| r.as_str()).collect();
    paths.dedup();
    let routes = paths.iter().map(|path| {
        let mut chain = TokenStream::new();
        for (i, (_, op)) in routed.iter().filter(|(r, _)| r == path).enumerate() {
            let method = format_ident!("{}", op.method.as_str().to_ascii_lowercase());
            let handler = ident(&op.plan.handler);
            let call = quote! { #method(#handler::<A, Au>) };
            chain = if i == 0 {
                quote! { axum::routing::#call }
            } else {
                quote! { #chain.#call }
            };
        }
        // The base path is part of each route rather than a `nest`: no URI rewrite per request.
        let full = match *path {
            "/" if !api.base_path.is_empty() => api.base_path.clone(),
            path => format!("{}{path}", api.base_path),
        };
        quote! { .route(#full, #chain) }
    });
    let mount = match api.role {
        Role::Service => format!(
            "mounted under the spec's base path `{}`",
            if api.base_path.is_empty() { "/" } else { &api.base_path }
        ),
        Role::Receiver => {
            let list: Vec<String> = api
                .operations
                .iter()
                .map(|o| format!("`{} {}` ([`{trait_name}::{}`])", o.method.as_str(), o.path, o.plan.method))
                .collect();
            format!(
                "each webhook at `/<name>` and each callback at `/<operationId>/<name>`: {}. \
                 Nest it where the service is told to send them",
                list.join(", ")
            )
        }
    };
    let doc = own_doc(&format!(
        "An axum router serving `api` with `authenticator` checking credentials, {mount}.\n\n\
         Requests are authenticated (before their body is read or their path decoded), parsed and \
         validated before they reach `api`; failures answer 400, 401, 403, 408, 413, 415, 422, \
         429 or 503 in the response each operation documents for that status (validation failures \
         400 where it documents 400 and not 415 or 422), else as RFC 7807 problems, as do unknown \
         paths (404) and methods (405). A panicking handler answers 500 and the server keeps \
         serving. Serve it with [`serve`](mailapi_support::server::serve), which adds read timeouts \
         and size limits ([`Limits`](mailapi_support::server::Limits))."
    ));
    quote! {
        #doc
        pub fn router<A: #trait_name, Au: Authenticator + 'static>(api: A, authenticator: Au) -> Router {
            let shared = Arc::new(Shared { api, authenticator });
            let routes = Router::new()
                #(#routes)*
                .with_state(shared);
            mailapi_support::server::with_defaults(routes)
        }
    }
}

/// Reads the request (authentication first, then path, query and body; see `read_request`),
/// parses it into the operation's request and calls the implementation.
fn handler(api: &Api, op: &Operation, trait_name: &proc_macro2::Ident) -> TokenStream {
    let (name, method, request) = (ident(&op.plan.handler), ident(&op.plan.method), ident(&op.plan.request));
    let security = security_alternatives(api, op);
    let shapes = error_shapes(api, op);
    let operation_id = &op.operation_id;
    quote! {
        async fn #name<A: #trait_name, Au: Authenticator>(State(shared): State<Arc<Shared<A, Au>>>, request: axum::extract::Request) -> Response {
            #shapes
            let (parts, principal) = match read_request(&shared.authenticator, request, #operation_id, #security).await {
                Ok(read) => read,
                Err(problem) => return problem_response(problem, ERRORS),
            };
            match #request::parse(parts, principal) {
                Ok(request) => respond_documented(shared.api.#method(request).await, ERRORS),
                Err(problem) => problem_response(problem, ERRORS),
            }
        }
    }
}

/// `ERRORS`: the responses the operation documents for the server's own errors.
fn error_shapes(api: &Api, op: &Operation) -> TokenStream {
    let shapes = api.error_shapes.get(&op.operation_id).into_iter().flatten().map(|shape| {
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

fn request_struct(api: &Api, op: &Operation, checked: &Checked<'_>) -> TokenStream {
    let request = ident(&op.plan.request);
    let doc = own_doc(&format!("The parsed and validated request of [`{}::{}`].", api.trait_name(), op.plan.method));
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.field);
        let ty = types_path(&p.ty);
        let ty = if p.presence.is_optional() {
            quote! { Option<#ty> }
        } else {
            ty
        };
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
    let (body_field, body_parse) = super::request_body::server_field(op);
    let parses = op.params.iter().map(param_parse);
    let checks = op.params.iter().filter_map(|p| checked.param_check(p));
    let body_check = super::request_body::server_checks(op, checked);
    let checks: Vec<TokenStream> = checks.chain(body_check).collect();
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
    let value = match (p.location, &p.ty, p.style) {
        (ParamLocation::Path, _, _) if p.affixes != Default::default() => {
            let (prefix, suffix) = &p.affixes;
            quote! { parts.path.required_affixed(#wire, #prefix, #suffix)? }
        }
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
    let value = match (p.location, p.presence.is_optional()) {
        (ParamLocation::Path, _) | (_, true) => value,
        (_, false) => quote! { #value.ok_or_else(|| mailapi_support::server::missing_param(#wire))? },
    };
    quote! { #name: #value, }
}

/// The payload type of a variant; `None` for an empty body.
pub fn payload(content: Option<&Content>) -> Option<TokenStream> {
    let c = content?;
    Some(match (c.kind, &c.ty) {
        (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => types_path(ty),
        (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => quote! { serde_json::Value },
        (BodyKind::Text, _) => quote! { String },
        (BodyKind::Binary, _) => quote! { axum::body::Body },
        (BodyKind::EventStream, ty) => {
            let item = ty.as_ref().map_or(quote! { serde_json::Value }, types_path);
            quote! { mailapi_support::server::EventStream<#item> }
        }
    })
}

/// Range and `default` variants carry the status they answer with.
fn has_status(status: Status) -> bool {
    matches!(status, Status::Range(_) | Status::Default)
}

fn response_enum(api: &Api, op: &Operation) -> TokenStream {
    let response = ident(&op.plan.response);
    let doc = own_doc(&format!(
        "The responses [`{}::{}`] may answer with, as the spec documents them.",
        api.trait_name(),
        op.plan.method
    ));
    let variants = &op.plan.variants;
    let defs = variants.iter().map(|v| {
        let name = ident(&v.name);
        let docs = doc_attrs(&format!("{}: {}", v.status.label(), op.response_of(v).description));
        let status = has_status(v.status).then(|| quote! { StatusCode });
        let headers = op.headers_of(v).map(|h| {
            let h = ident(h);
            quote! { #h }
        });
        let fields: Vec<TokenStream> = status.into_iter().chain(payload(op.content_of(v))).chain(headers).collect();
        if fields.is_empty() {
            quote! { #docs #name, }
        } else {
            quote! { #docs #name(#(#fields),*), }
        }
    });
    let arms = variants.iter().map(|v| response_arm(op, &response, v));
    let in_body = api.error_in_success.as_ref().map(|ty| {
        let ty = types_path(ty);
        (
            quote! {
                /// An error reported inside a 200 response, as this service does.
                InBody(#ty),
            },
            quote! { #response::InBody(body) => mailapi_support::server::json_response(StatusCode::OK, "application/json", &body), },
        )
    });
    let (in_body_def, in_body_arm) = in_body.unzip();
    let header_structs = header_structs(api, op);
    // An event stream is a boxed `Stream`, which has no `Debug`.
    let streams = variants.iter().any(|v| op.content_of(v).is_some_and(|c| c.kind == BodyKind::EventStream));
    let debug = (!streams).then(|| quote! { #[derive(Debug)] });
    quote! {
        #doc
        #debug
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

        #header_structs
    }
}

/// `<Op><Status>Headers`: the headers a response documents, which the handler sets and the
/// router writes (`None` leaves an optional one out).
fn header_structs(api: &Api, op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    for (r, name) in op.responses.iter().zip(&op.plan.headers) {
        let Some(name) = name else { continue };
        let name = ident(name);
        let doc = own_doc(&format!(
            "The headers documented for the {} response of [`{}::{}`].",
            r.status.key(),
            api.trait_name(),
            op.plan.method
        ));
        let fields = r.headers.iter().map(|h| {
            let field = ident(&h.field);
            let ty = types_path(&h.ty);
            let ty = if h.required {
                ty
            } else {
                quote! { Option<#ty> }
            };
            let docs = doc_attrs(h.description.as_deref().unwrap_or(""));
            let wire =
                own_doc(&format!("Sent as `{}`{}.", h.name, if h.required { "" } else { "; `None` leaves it out" }));
            quote! { #docs #wire pub #field: #ty, }
        });
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name {
                #(#fields)*
            }
        });
    }
    out
}

/// `response` with the documented headers of `v` (bound as `headers`) added.
fn write_headers(op: &Operation, v: &Variant, response: TokenStream) -> TokenStream {
    let Some(r) = op.headers_of(v).map(|_| op.response_of(v)) else { return response };
    let pairs = r.headers.iter().map(|h| {
        let (wire, field) = (&h.name, ident(&h.field));
        quote! { (#wire, mailapi_support::headers::text(&headers.#field)) }
    });
    quote! { mailapi_support::server::with_headers(#response, &[#(#pairs),*]) }
}

fn response_arm(op: &Operation, response: &proc_macro2::Ident, v: &Variant) -> TokenStream {
    let name = ident(&v.name);
    let code = match v.status {
        Status::Code(c) => status_code(c),
        _ => quote! { code },
    };
    let bound_code = has_status(v.status).then(|| quote! { code });
    let content = op.content_of(v);
    let body = content.map(|_| quote! { body });
    let headers = op.headers_of(v).map(|_| quote! { headers });
    let bind: Vec<TokenStream> = bound_code.into_iter().chain(body).chain(headers).collect();
    let pat = if bind.is_empty() {
        quote! { #response::#name }
    } else {
        quote! { #response::#name(#(#bind),*) }
    };
    let value = match content {
        None => quote! { #code.into_response() },
        Some(c) => {
            let media = &c.media_type;
            match c.kind {
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                    quote! { mailapi_support::server::json_response(#code, #media, &body) }
                }
                BodyKind::Text => quote! { mailapi_support::server::text_response(#code, #media, body) },
                BodyKind::Binary => quote! { mailapi_support::server::body_response(#code, #media, body) },
                BodyKind::EventStream => quote! { mailapi_support::server::sse_json_response(body) },
            }
        }
    };
    let value = write_headers(op, v, value);
    quote! { #pat => #value, }
}
