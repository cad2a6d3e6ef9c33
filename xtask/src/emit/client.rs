//! The client: one async method per operation (per response media type), typed parameters,
//! and per-operation enums that tell every documented status apart.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::rust_type;
use super::{doc_attrs, ident, own_doc, scheme_consts, security_alternatives, types_path};
use crate::model::{
    Api, BodyKind, ClientMethod, Content, Delivery, NextPage, Operation, Pagination, Param, ParamLocation, ParamStyle,
    Primitive, Status, Step, TypeRef,
};

/// The `client` module of a client crate.
pub fn module(api: &Api) -> TokenStream {
    let schemes = scheme_consts(api);
    let methods = api.operations.iter().flat_map(|op| op.plan.client_methods.iter().map(move |m| method(api, op, m)));
    let enums = api.operations.iter().map(|op| response_enums(api, op));
    let bodies = api.operations.iter().filter_map(|op| super::request_body::choice_enum(op, false));
    let title = own_doc(&format!("A client for {}.\n\nCheap to clone: clones share one connection pool.", api.title));
    let uses_types = (!api.types.is_empty()).then(|| quote! { use crate::types; });
    let schemes_import =
        (!api.security_schemes.is_empty()).then(|| quote! { use mailapi_support::{Scheme, SchemeKind}; });
    let streaming =
        api.operations.iter().flat_map(|op| &op.plan.client_methods).any(|m| m.delivery != Delivery::Buffered);
    let raw = streaming.then(|| quote! { RawResponse, });
    let styled = api
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .any(|p| p.location == ParamLocation::Query && !(p.style == ParamStyle::Form && p.explode));
    let path = api.operations.iter().any(|o| o.path.contains('{'));
    let params_import = match (path, styled) {
        (true, true) => quote! { use mailapi_support::param_encoding::{QueryStyle, path_param}; },
        (true, false) => quote! { use mailapi_support::param_encoding::path_param; },
        (false, true) => quote! { use mailapi_support::param_encoding::QueryStyle; },
        (false, false) => quote! {},
    };
    let no_operations = super::no_operations(api);
    quote! {
        #no_operations
        use mailapi_support::client::{
            BuildError, CallOptions, ClientBuilder, Error, Method, #raw Request, ResponseValue, Transport,
        };
        #params_import
        #schemes_import
        #uses_types

        #schemes

        #title
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: Transport,
            options: CallOptions,
        }

        impl From<Transport> for Client {
            fn from(transport: Transport) -> Self {
                Client { transport, options: CallOptions::default() }
            }
        }

        impl Client {
            /// A client for `base_url` with the default timeout and retry policy and no credentials.
            pub fn new(base_url: &str) -> Result<Self, BuildError> {
                Self::builder(base_url).build()
            }

            /// A builder for credentials, timeouts, retries, the user agent or your own `reqwest::Client`.
            pub fn builder(base_url: &str) -> ClientBuilder<Self> {
                ClientBuilder::new(base_url)
            }

            /// A client whose calls use `options` (timeout, retry policy) instead of the defaults.
            pub fn with_options(&self, options: CallOptions) -> Self {
                Client { transport: self.transport.clone(), options }
            }

            #(#methods)*
        }

        #(#bodies)*

        #(#enums)*
    }
}

/// The success content of a method: its media type among the success responses.
fn success_content<'a>(op: &'a Operation, m: &ClientMethod) -> Option<&'a Content> {
    let success = op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.contents);
    success.into_iter().find(|c| Some(&c.media_type) == m.media.as_ref())
}

fn method(api: &Api, op: &Operation, m: &ClientMethod) -> TokenStream {
    let fn_name = ident(&m.name);
    let docs = doc_attrs(&method_doc(op, m.media.as_deref()));
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let allow = super::self_convention_allow(&m.name);
    let deprecated = quote! { #deprecated #allow };
    let (params, setters) = arguments(op, None);
    let (body_param, body_setter) = super::request_body::client_argument(op);
    let ok = success_type(op, m);
    let err = error_type(op);
    let op_id = &op.operation_id;
    let method = format_ident!("{}", op.method.as_str());
    let path = path_expr(op);
    let security = security(api, op);
    let accept = m.media.as_ref().map(|m| quote! { .accept(#m) });
    let arms = status_arms(api, op, m);
    let (execute, ok_wrap) = match m.delivery {
        Delivery::Buffered => {
            (quote! { let raw = self.transport.execute(request).await?; }, quote! { ResponseValue<#ok> })
        }
        Delivery::Bytes => (
            streamed(api, op, quote! { streaming_bytes }),
            quote! { ResponseValue<mailapi_support::client::ByteStream> },
        ),
        Delivery::Events => {
            let ty =
                success_content(op, m).and_then(|c| c.ty.as_ref()).map_or(quote! { serde_json::Value }, types_path);
            (streamed(api, op, quote! { events }), quote! { ResponseValue<mailapi_support::client::EventStream<#ty>> })
        }
    };
    let build = quote! {
        Request::new(#op_id, Method::#method, #path)
            #security
            #(#setters)*
            #body_setter
            #accept
            .options(self.options.clone())
    };
    // Only the fallback arm left (a streaming call without documented errors): no match.
    let dispatch = if arms.len() == 1 {
        quote! { Err(Error::unexpected(raw)) }
    } else {
        quote! { match raw.status.as_u16() { #(#arms)* } }
    };
    let send_body = quote! {
        #execute
        #dispatch
    };
    let (Some(pagination), Some(paging)) = (&op.pagination, &m.paging) else {
        return quote! {
            #docs
            #deprecated
            pub async fn #fn_name(&self, #(#params,)* #body_param) -> Result<#ok_wrap, Error<#err>> {
                let request = #build;
                #send_body
            }
        };
    };
    let (send, request) = (ident(&paging.send), ident(&paging.request));
    let forward: Vec<TokenStream> = call_args(op);
    let stream = pages(api, op, m, pagination, &err);
    quote! {
        #docs
        #deprecated
        pub async fn #fn_name(&self, #(#params),*) -> Result<#ok_wrap, Error<#err>> {
            self.#send(self.#request(#(#forward),*)).await
        }

        fn #request(&self, #(#params),*) -> Request {
            #build
        }

        async fn #send(&self, request: Request) -> Result<#ok_wrap, Error<#err>> {
            #send_body
        }

        #stream
    }
}

/// The argument names of a method, to forward them.
fn call_args(op: &Operation) -> Vec<TokenStream> {
    let required = op.params.iter().filter(|p| !p.presence.is_optional()).map(|p| {
        let n = ident(&p.field);
        quote! { #n }
    });
    let optional = op.plan.params.as_ref().map(|_| quote! { params });
    required.chain(optional).collect()
}

/// Sends a streaming request: a 2xx is returned as a stream unread; anything else (and, for an
/// API that reports errors inside 2xx bodies, a 2xx JSON body) is read for the status match.
fn streamed(api: &Api, op: &Operation, into_stream: TokenStream) -> TokenStream {
    let (json_check, reject) = match api.error_in_success {
        Some(_) => {
            let wrap = error_type(op);
            (
                quote! { && !mailapi_support::client::is_json(&response) },
                quote! { let raw = raw.reject_error_in_body(#wrap::InBody)?; },
            )
        }
        None => (quote! {}, quote! {}),
    };
    quote! {
        let response = self.transport.execute_streaming(request).await?;
        if response.status().is_success() #json_check {
            return Ok(ResponseValue::#into_stream(response));
        }
        let raw = RawResponse::read(response).await?;
        #reject
    }
}

/// The value at `steps` inside `body`: a direct field path while the fields are required, then
/// `Option` combinators (over references when `by_ref`); and whether it is an `Option`.
fn walk(steps: &[Step], by_ref: bool) -> (TokenStream, bool) {
    let first_optional = steps.iter().position(|s| s.optional).unwrap_or(steps.len());
    let fields = steps[..first_optional].iter().map(|s| ident(&s.field));
    let path = quote! { body #(.#fields)* };
    let Some((step, rest)) = steps[first_optional..].split_first() else {
        return (path, false);
    };
    let field = ident(&step.field);
    let mut expr = match (step.nullable, by_ref) {
        (false, false) => quote! { #path.#field },
        (false, true) => quote! { #path.#field.as_ref() },
        (true, false) => quote! { #path.#field.into_option() },
        (true, true) => quote! { #path.#field.as_option() },
    };
    for step in rest {
        let field = ident(&step.field);
        expr = match (step.optional, step.nullable, by_ref) {
            (false, _, false) => quote! { #expr.map(|value| value.#field) },
            (false, _, true) => quote! { #expr.map(|value| &value.#field) },
            (true, false, false) => quote! { #expr.and_then(|value| value.#field) },
            (true, false, true) => quote! { #expr.and_then(|value| value.#field.as_ref()) },
            (true, true, false) => quote! { #expr.and_then(|value| value.#field.into_option()) },
            (true, true, true) => quote! { #expr.and_then(|value| value.#field.as_option()) },
        };
    }
    (expr, true)
}

/// `<name>_stream`: every item of every page, fetched lazily.
fn pages(api: &Api, op: &Operation, m: &ClientMethod, p: &Pagination, err: &TokenStream) -> TokenStream {
    let Some(paging) = &m.paging else { return quote! {} };
    let (send, request) = (ident(&paging.send), ident(&paging.request));
    let lifetime: syn::Lifetime = syn::parse_quote!('a);
    let (params, _) = arguments(op, Some(&lifetime));
    let name = ident(&paging.stream);
    let item = types_path(&p.item);
    let items = match walk(&p.items, false) {
        (items, true) => quote! { #items.unwrap_or_default() },
        (items, false) => items,
    };
    let doc = own_doc(&format!(
        "Every item of every page of [`Client::{}`], fetched page by page as the stream is read.",
        m.name
    ));
    let required: Vec<TokenStream> = call_args(op).into_iter().filter(|a| a.to_string() != "params").collect();
    let body = match &p.next {
        NextPage::Number { param, total, .. } => {
            let param = ident(param);
            let params_ty = op.plan.params.as_deref().map(ident);
            let (total, more) = match total {
                Some((steps, ty)) => {
                    let t = match walk(steps, true) {
                        (t, true) => quote! { #t.copied() },
                        (t, false) => quote! { Some(#t) },
                    };
                    let to_u64 = (*ty != TypeRef::Primitive(Primitive::U64))
                        .then(|| quote! { .map(|total| u64::try_from(total).unwrap_or(0)) });
                    (Some(quote! { let total = #t #to_u64; }), quote! { && total.is_none_or(|total| seen < total) })
                }
                None => (None, quote! {}),
            };
            quote! {
                let params = params.clone();
                let first = params.#param.unwrap_or(1);
                mailapi_support::paginate::paginate((first, 0), move |(page, seen)| {
                    let params = #params_ty { #param: Some(page), ..params.clone() };
                    async move {
                        let body = self.#send(self.#request(#(#required,)* &params)).await?.into_inner();
                        #total
                        let items: Vec<#item> = #items;
                        let seen = seen + items.len() as u64;
                        let more = !items.is_empty() #more;
                        Ok((items, more.then_some((page + 1, seen))))
                    }
                })
            }
        }
        NextPage::Link(steps) => {
            let next = match walk(steps, true) {
                (next, true) => quote! { #next.cloned() },
                (next, false) => quote! { Some(#next.clone()) },
            };
            let op_id = &op.operation_id;
            let security = security(api, op);
            let accept = m.media.as_ref().map(|m| quote! { .accept(#m) });
            let forward = call_args(op);
            quote! {
                let first = self.#request(#(#forward),*);
                mailapi_support::paginate::paginate(first, move |request| async move {
                    let body = self.#send(request).await?.into_inner();
                    let next = #next.map(|url| Request::from_link(#op_id, Method::GET, url) #security #accept .options(self.options.clone()));
                    let items: Vec<#item> = #items;
                    Ok((items, next))
                })
            }
        }
    };
    quote! {
        #doc
        pub fn #name<'a>(&'a self, #(#params),*) -> impl mailapi_support::paginate::Stream<Item = Result<#item, Error<#err>>> + 'a {
            #body
        }
    }
}

fn method_doc(op: &Operation, media: Option<&str>) -> String {
    let mut parts = Vec::new();
    parts.extend(op.summary.clone());
    parts.extend(op.description.clone());
    let mut line = format!("`{} {}`", op.method.as_str(), op.path);
    if let Some(m) = media {
        line.push_str(&format!(", answered as `{m}`"));
    }
    parts.push(line);
    let first = op.body.as_ref().and_then(|b| b.contents.first());
    if let Some((content, example)) = first.and_then(|c| Some((c, c.examples.first()?))) {
        if let Ok(json) = serde_json::to_string_pretty(&example.value) {
            // A form's example is its struct's value, written as JSON.
            let sent = match content.kind {
                BodyKind::Form => format!(", sent as `{}`", content.media_type),
                _ => String::new(),
            };
            parts.push(format!("Example request body (`{}`{sent}):\n\n```json\n{json}\n```", example.name));
        }
    }
    parts.join("\n\n")
}

/// The arguments of a method: required parameters one by one, optional ones in one struct.
/// References get `lifetime` when given (a stream borrows them for its whole life).
fn arguments(op: &Operation, lifetime: Option<&syn::Lifetime>) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| !p.presence.is_optional()) {
        let name = ident(&p.field);
        let ty = param_type(&p.ty, lifetime);
        args.push(quote! { #name: #ty });
        setters.push(setter(p, quote! { #name }));
    }
    if let Some(ty) = &op.plan.params {
        let ty = ident(ty);
        args.push(quote! { params: &#lifetime #ty });
        for p in op.params.iter().filter(|p| p.presence.is_optional()) {
            let name = ident(&p.field);
            setters.push(setter(p, quote! { params.#name }));
        }
    }
    (args, setters)
}

/// The struct of an operation's optional parameters; `Default` leaves them all out.
fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.plan.params.as_ref()?);
    let optional = op.params.iter().filter(|p| p.presence.is_optional());
    let doc =
        own_doc(&format!("The optional parameters of [`Client::{}`]; `Default` sends none of them.", first_method(op)));
    let fields = optional.map(|p| {
        let field = ident(&p.field);
        let ty = types_path(&p.ty);
        let docs = doc_attrs(p.description.as_deref().unwrap_or(""));
        let wire = own_doc(&format!("Sent as `{}`.", p.name));
        quote! { #docs #wire pub #field: Option<#ty>, }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// The request-builder call that sends parameter `p` whose value is `value`.
fn setter(p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.name;
    let name = value;
    match p.location {
        ParamLocation::Path => quote! {},
        ParamLocation::Header => quote! { .header_param(#wire, &#name) },
        ParamLocation::Query => {
            let style = match p.style {
                ParamStyle::Form | ParamStyle::Simple => quote! { Form },
                ParamStyle::SpaceDelimited => quote! { SpaceDelimited },
                ParamStyle::PipeDelimited => quote! { PipeDelimited },
                ParamStyle::DeepObject => quote! { DeepObject },
            };
            let explode = p.explode;
            if p.style == ParamStyle::Form && explode {
                quote! { .query_param(#wire, &#name) }
            } else {
                quote! { .query_styled(#wire, &#name, QueryStyle::#style, #explode) }
            }
        }
    }
}

/// Borrowed where a borrow is natural (`&str`, `&[T]`, `&types::X`), by value for numbers.
fn param_type(ty: &TypeRef, lifetime: Option<&syn::Lifetime>) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String | Primitive::Bytes) => quote! { &#lifetime str },
        TypeRef::Primitive(_) => rust_type(ty),
        TypeRef::Array(item) => {
            let item = types_path(item);
            quote! { &#lifetime [#item] }
        }
        other => {
            let t = types_path(other);
            quote! { &#lifetime #t }
        }
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let name = &rest[start + 1..end];
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.name == name) {
            let arg = ident(&p.field);
            args.push(quote! { path_param(#arg) });
        }
        template.push_str("{}");
        rest = &rest[(end + 1).min(rest.len())..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        quote! { #template.to_string() }
    } else {
        quote! { format!(#template, #(#args),*) }
    }
}

fn security(api: &Api, op: &Operation) -> Option<TokenStream> {
    if op.security.is_empty() {
        return None;
    }
    let alternatives = security_alternatives(api, op);
    Some(quote! { .security(#alternatives) })
}

/// The name of the operation's first client method, for documentation links.
fn first_method(op: &Operation) -> &str {
    op.plan.client_methods.first().map_or("", |m| m.name.as_str())
}

/// The success body type of one method: the single body, the per-operation enum or `()`.
fn success_type(op: &Operation, m: &ClientMethod) -> TokenStream {
    match (&m.success_enum, m.successes.as_slice()) {
        (Some(name), _) => {
            let name = ident(name);
            quote! { #name }
        }
        (None, [(_, response, content)]) => content_type(content.map(|c| &op.responses[*response].contents[c])),
        (None, _) => quote! { () },
    }
}

fn content_type(content: Option<&Content>) -> TokenStream {
    match content {
        None => quote! { () },
        Some(c) => match (c.kind, &c.ty) {
            (BodyKind::Json | BodyKind::Form, Some(ty)) => types_path(ty),
            (BodyKind::Json | BodyKind::Form, None) => quote! { serde_json::Value },
            (BodyKind::Text, _) => quote! { String },
            (BodyKind::Binary, _) => quote! { bytes::Bytes },
            (BodyKind::EventStream, _) => quote! { () },
        },
    }
}

/// `<Op>Error`, or `()` for an operation without documented errors.
fn error_type(op: &Operation) -> TokenStream {
    match &op.plan.error {
        Some(name) => {
            let name = ident(name);
            quote! { #name }
        }
        None => quote! { () },
    }
}

/// The match arms from status to result.
fn status_arms(api: &Api, op: &Operation, m: &ClientMethod) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    // Streaming successes return before the match; a 2xx left there is undocumented.
    if m.delivery == Delivery::Buffered {
        for (variant, response, content) in &m.successes {
            let status = op.responses[*response].status;
            let content = content.map(|c| &op.responses[*response].contents[c]);
            arms.push(success_arm(api, op, m, status, variant, content));
        }
    }
    let err_name = error_type(op);
    let mut default = quote! { _ => Err(Error::unexpected(raw)), };
    for v in op.error_arms() {
        let variant = ident(&v.name);
        let content = op.content_of(v);
        let value = match content.map(|c| c.kind) {
            None => quote! { raw.error_empty(#err_name::#variant) },
            Some(BodyKind::Json) => quote! { raw.error_json(#err_name::#variant) },
            Some(BodyKind::Text) => quote! { raw.error_text(#err_name::#variant) },
            Some(_) => quote! { raw.error_bytes(#err_name::#variant) },
        };
        if v.is_catch_all() {
            default = quote! { _ => Err(#value), };
        } else {
            let guard = content.filter(|_| v.guard).map(|c| {
                let media = &c.media_type;
                quote! { raw.has_media_type(#media) }
            });
            let head = arm_head(v.status, guard);
            arms.push(quote! { #head => Err(#value), });
        }
    }
    arms.push(default);
    arms
}

fn success_arm(
    api: &Api,
    op: &Operation,
    m: &ClientMethod,
    status: Status,
    variant: &str,
    content: Option<&Content>,
) -> TokenStream {
    let pattern = arm_head(status, None);
    let decode = decode(content);
    let in_body = api.error_in_success.is_some() && matches!(content, Some(c) if c.kind == BodyKind::Json);
    let guard_error = in_body.then(|| {
        let wrap = error_type(op);
        quote! { let raw = raw.reject_error_in_body(#wrap::InBody)?; }
    });
    let value = match &m.success_enum {
        Some(enum_name) => {
            let enum_name = ident(enum_name);
            let variant = ident(variant);
            let wrap = if content.is_some() {
                quote! { #enum_name::#variant }
            } else {
                quote! { |()| #enum_name::#variant }
            };
            // The variant alone does not tell `json` its type parameter.
            let decode = match content.map(|c| c.kind) {
                Some(BodyKind::Json) => {
                    let ty = content_type(content);
                    quote! { raw.json::<#ty, _>() }
                }
                _ => decode,
            };
            quote! { #decode.map(|value| value.map(#wrap)) }
        }
        None => decode,
    };
    match guard_error {
        Some(guard) => quote! { #pattern => { #guard #value } },
        None => quote! { #pattern => #value, },
    }
}

/// The head of a match arm for `status`, with an extra condition when given.
fn arm_head(status: Status, condition: Option<TokenStream>) -> TokenStream {
    let (pattern, range) = match status {
        Status::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            (quote! { #c }, None)
        }
        // A guard rather than a range pattern: the specific codes of the range come first.
        Status::Range(r) => {
            let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
            let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
            (quote! { status }, Some(quote! { (#lo..=#hi).contains(&status) }))
        }
        Status::Default => (quote! { _ }, None),
    };
    match (range, condition) {
        (Some(a), Some(b)) => quote! { #pattern if #a && #b },
        (Some(c), None) | (None, Some(c)) => quote! { #pattern if #c },
        (None, None) => pattern,
    }
}

/// The success value, as a `Result` (JSON and text decoding can fail) or a plain value.
fn decode(content: Option<&Content>) -> TokenStream {
    match content.map(|c| c.kind) {
        None => quote! { Ok(raw.empty()) },
        Some(BodyKind::Json) => quote! { raw.json() },
        Some(BodyKind::Text) => quote! { raw.text() },
        Some(_) => quote! { Ok(raw.bytes()) },
    }
}

/// The struct of optional parameters, the success enums (when several statuses succeed) and
/// the error enum of an operation.
fn response_enums(api: &Api, op: &Operation) -> TokenStream {
    let mut out = params_struct(op).unwrap_or_default();
    for m in &op.plan.client_methods {
        let Some(name) = &m.success_enum else { continue };
        let name = ident(name);
        let doc = own_doc(&format!("The documented successes of [`Client::{}`].", m.name));
        let vs = m.successes.iter().map(|(variant, response, content)| {
            let r = &op.responses[*response];
            let v = ident(variant);
            let d = doc_attrs(&format!("{}: {}", r.status.label(), r.description));
            match content {
                None => quote! { #d #v, },
                Some(c) => {
                    let ty = content_type(Some(&r.contents[*c]));
                    quote! { #d #v(#ty), }
                }
            }
        });
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#vs)* }
        });
    }
    out.extend(error_enum(api, op));
    out
}

fn error_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.plan.error.as_ref()?);
    let doc = own_doc(&format!("The documented error responses of [`Client::{}`].", first_method(op)));
    let errors = op.plan.variants.iter().filter(|v| !v.status.is_success());
    let variants = errors.map(|v| {
        let name = ident(&v.name);
        let d = doc_attrs(&format!("{}: {}", v.status.label(), op.response_of(v).description));
        match op.content_of(v) {
            None => quote! { #d #name, },
            Some(c) => {
                let ty = content_type(Some(c));
                quote! { #d #name(#ty), }
            }
        }
    });
    let in_body = api.error_in_success.as_ref().map(|ty| {
        let ty = types_path(ty);
        quote! {
            /// An error the service reported inside a successful (2xx) response.
            InBody(#ty),
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* #in_body }
    })
}
