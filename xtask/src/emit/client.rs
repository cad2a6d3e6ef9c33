//! The client: one async method per operation (per response media type), typed parameters,
//! and per-operation enums that tell every documented status apart.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

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
    let messages = super::message::body_impls(api);
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

        #messages
    }
}

/// The success content of a method: its media type among the success responses.
fn success_content<'a>(op: &'a Operation, m: &ClientMethod) -> Option<&'a Content> {
    let success = op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.contents);
    success.into_iter().find(|c| Some(&c.media_type) == m.media.as_ref())
}

/// The method of `Client` that starts a call: required parameters and a required body are its
/// arguments, everything optional is a setter of the builder it returns.
fn method(api: &Api, op: &Operation, m: &ClientMethod) -> TokenStream {
    let fn_name = ident(&m.name);
    let docs = doc_attrs(&method_doc(op, m.media.as_deref()));
    let errors = own_doc(&errors_doc(api, op));
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let allow = super::self_convention_allow(&m.name);
    let builder = ident(&m.builder);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for (p, field) in op.params.iter().zip(&op.plan.call_fields) {
        let name = ident(field);
        if p.presence.is_optional() {
            inits.push(quote! { #name: None });
        } else {
            let (ty, convert) = argument_type(&p.ty);
            args.push(quote! { #name: #ty });
            inits.push(if convert {
                quote! { #name: #name.into() }
            } else {
                quote! { #name }
            });
        }
    }
    if let Some(body) = request_body(op) {
        let (ty, convert) = body.argument;
        if body.required {
            args.push(quote! { body: #ty });
            inits.push(if convert {
                quote! { body: body.into() }
            } else {
                quote! { body }
            });
        } else {
            inits.push(quote! { body: None });
        }
    }
    quote! {
        #docs
        ///
        #errors
        #deprecated
        #allow
        pub fn #fn_name(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, #(#inits),* }
        }
    }
}

/// The `# Errors` section of a method: every typed error it can return, then the others.
fn errors_doc(api: &Api, op: &Operation) -> String {
    let mut doc = String::from("# Errors\n\n");
    if let Some(error) = &op.plan.error {
        doc.push_str("[`Error::Api`] with the documented error:\n\n");
        for v in op.plan.variants.iter().filter(|v| !v.status.is_success()) {
            let label = v.status.label();
            let media =
                op.content_of(v).filter(|_| v.guard).map(|c| format!(" (`{}`)", c.media_type)).unwrap_or_default();
            doc.push_str(&format!("- [`{error}::{}`]: status {label}{media}\n", v.name));
        }
        if api.error_in_success.is_some() {
            doc.push_str(&format!("- [`{error}::InBody`]: an error reported inside a 2xx body\n"));
        }
        doc.push('\n');
    }
    doc.push_str(
        "[`Error::UnexpectedStatus`] for a status the spec does not document here, [`Error::Decode`] for a \
         body that does not decode, [`Error::Undeclared`] in strict mode, [`Error::Transport`] when no \
         response arrived.",
    );
    doc
}
/// The call builder `method` returns: the arguments, optional parameters as setters, `send`
/// and `IntoFuture`, and `into_stream` for a paginated operation. It owns every value, so a
/// stream of it outlives the temporaries it was built from.
fn builder(api: &Api, op: &Operation, m: &ClientMethod) -> TokenStream {
    let name = ident(&m.builder);
    let ok = success_type(op, m);
    let err = error_type(op);
    let op_id = &op.operation_id;
    let http_method = format_ident!("{}", op.method.as_str());
    let (path_lets, path) = path_expr(op);
    let security = security(api, op);
    let accept = m.media.as_ref().map(|m| quote! { .accept(#m) });
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut sends = Vec::new();
    for (p, field) in op.params.iter().zip(&op.plan.call_fields) {
        let f = ident(field);
        let ty = types_path(&p.ty);
        sends.push(send_param(p, quote! { self.#f }));
        if !p.presence.is_optional() {
            fields.push(quote! { #f: #ty, });
            continue;
        }
        fields.push(quote! { #f: Option<#ty>, });
        let (arg, convert) = argument_type(&p.ty);
        let value = if convert {
            quote! { value.into() }
        } else {
            quote! { value }
        };
        let description = p.description.as_deref().filter(|d| !d.is_empty());
        let docs = description.map(|d| {
            let d = doc_attrs(d);
            quote! { #d #[doc = ""] }
        });
        let wire = own_doc(&format!("Sent as the {} parameter `{}`.", location_name(p.location), p.name));
        let deprecated = p.deprecated.then(|| quote! { #[deprecated] });
        setters.push(quote! {
            #docs
            #wire
            #deprecated
            pub fn #f(mut self, value: #arg) -> Self {
                self.#f = Some(#value);
                self
            }
        });
    }
    let mut body_send = None;
    if let Some(body) = request_body(op) {
        let (owned, set) = (&body.owned, &body.set);
        if body.required {
            fields.push(quote! { body: #owned, });
            body_send = Some(quote! { let body = &self.body; request.#set });
        } else {
            fields.push(quote! { body: Option<#owned>, });
            body_send = Some(quote! { request.optional(self.body.as_ref(), |request, body| request.#set) });
            let setter = ident(op.plan.body_setter.as_deref().unwrap_or("body"));
            let (arg, convert) = &body.argument;
            let value = if *convert {
                quote! { value.into() }
            } else {
                quote! { value }
            };
            let doc = own_doc(&format!("The request body (`{}`); without it none is sent.", body.media));
            let description = op.body.as_ref().and_then(|b| b.description.as_deref()).map(doc_attrs);
            let sep = description.is_some().then(|| quote! { #[doc = ""] });
            setters.push(quote! {
                #description
                #sep
                #doc
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
        }
    }
    let typed = single_success_headers(op, m).map(|h| {
        let h = ident(h);
        quote! { , #h }
    });
    let (execute, ok_wrap) = match m.delivery {
        Delivery::Buffered => {
            (quote! { let raw = client.transport.execute(request).await?; }, quote! { ResponseValue<#ok #typed> })
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
    let arms = status_arms(api, op, m);
    // Only the fallback arm left (a streaming call without documented errors): no match.
    let dispatch = if arms.len() == 1 {
        quote! { Err(Error::unexpected(raw)) }
    } else {
        quote! { match raw.status.as_u16() { #(#arms)* } }
    };
    let output = quote! { Result<#ok_wrap, Error<#err>> };
    let stream = m.paging.then(|| op.pagination.as_ref().map(|p| pages(api, op, m, p, &err))).flatten();
    let set = if setters.is_empty() { "" } else { "set what it leaves optional, then " };
    let doc = own_doc(&format!("A call of [`Client::{}`]: {set}`.await` it (or [`send`](Self::send) it).", m.name));
    let build = quote! {
        Request::new(#op_id, Method::#http_method, #path)
            #security
            #(#sends)*
            #accept
            .options(self.client.options.clone())
    };
    let request = match body_send {
        Some(send) => quote! { #(#path_lets)* let request = #build; #send },
        None => quote! { #(#path_lets)* #build },
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a call is sent only when awaited"]
        pub struct #name<'a> {
            client: &'a Client,
            #(#fields)*
        }

        impl<'a> #name<'a> {
            #(#setters)*

            /// Sends the call; the same as `.await` on the builder.
            pub async fn send(self) -> #output {
                Self::execute(self.client, self.request()).await
            }

            #stream

            fn request(&self) -> Request {
                #request
            }

            async fn execute(client: &Client, request: Request) -> #output {
                #execute
                #dispatch
            }
        }

        impl<'a> std::future::IntoFuture for #name<'a> {
            type Output = #output;
            type IntoFuture = mailapi_support::client::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
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
        let response = client.transport.execute_streaming(request).await?;
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

/// `into_stream`: every item of every page, fetched as the stream is read. The stream owns the
/// builder, so it may outlive every value the call was built from but the client.
fn pages(api: &Api, op: &Operation, m: &ClientMethod, p: &Pagination, err: &TokenStream) -> TokenStream {
    let item = types_path(&p.item);
    let items = match walk(&p.items, false) {
        (items, true) => quote! { #items.unwrap_or_default() },
        (items, false) => items,
    };
    let body = match &p.next {
        NextPage::Number { param, total, .. } => {
            let position = op.params.iter().position(|q| &q.field == param).unwrap_or_default();
            let param = ident(op.plan.call_fields.get(position).map_or(param.as_str(), String::as_str));
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
                let first = self.#param.unwrap_or(1);
                let client = self.client;
                mailapi_support::paginate::paginate((first, 0), move |(page, seen)| {
                    let request = Self { #param: Some(page), ..self.clone() }.request();
                    async move {
                        let body = Self::execute(client, request).await?.into_inner();
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
            quote! {
                let client = self.client;
                mailapi_support::paginate::paginate(self.request(), move |request| async move {
                    let body = Self::execute(client, request).await?.into_inner();
                    let next = #next.map(|url| Request::from_link(#op_id, Method::GET, url) #security #accept .options(client.options.clone()));
                    let items: Vec<#item> = #items;
                    Ok((items, next))
                })
            }
        }
    };
    quote! {
        /// Every item of every page, fetched page by page as the stream is read; the stream
        /// ends after the first error, which it yields.
        pub fn into_stream(self) -> impl mailapi_support::paginate::Stream<Item = Result<#item, Error<#err>>> + 'a {
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
                BodyKind::Form | BodyKind::Multipart => format!(", sent as `{}`", content.media_type),
                _ => String::new(),
            };
            parts.push(format!("Example request body (`{}`{sent}):\n\n```json\n{json}\n```", example.name));
        }
    }
    parts.join("\n\n")
}

/// The type a method argument or setter takes for a value of type `ty`, and whether it
/// converts (`.into()`): text and lists as anything that becomes one, the rest as it is stored.
fn argument_type(ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::Primitive(Primitive::String | Primitive::Bytes) => (quote! { impl Into<String> }, true),
        TypeRef::Array(_) => {
            let ty = types_path(ty);
            (quote! { impl Into<#ty> }, true)
        }
        other => (types_path(other), false),
    }
}

/// The request-builder call that sends parameter `p` whose value is `value`.
fn send_param(p: &Param, value: TokenStream) -> TokenStream {
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

/// How a call carries its request body: the stored type, the argument or setter type, and
/// the request-builder call that sends `body` (a reference to the stored value).
pub(super) struct BodyArg {
    pub(super) required: bool,
    pub(super) media: String,
    pub(super) owned: TokenStream,
    pub(super) argument: (TokenStream, bool),
    pub(super) set: TokenStream,
}

fn request_body(op: &Operation) -> Option<BodyArg> {
    let body = op.body.as_ref()?;
    // Several media types, or a form: see `request_body`.
    if let Some(arg) = super::request_body::client_body(op) {
        return Some(arg);
    }
    let content = body.contents.first()?;
    let media = &content.media_type;
    let (owned, argument, set) = match (content.kind, &content.ty) {
        (BodyKind::Json, Some(ty @ TypeRef::Array(_))) => {
            let t = types_path(ty);
            (t.clone(), (quote! { impl Into<#t> }, true), quote! { json_body(body, #media) })
        }
        (BodyKind::Json, Some(ty)) => {
            let t = types_path(ty);
            (t.clone(), (t, false), quote! { json_body(body, #media) })
        }
        (BodyKind::Json, None) => {
            let t = quote! { serde_json::Value };
            (t.clone(), (t, false), quote! { json_body(body, #media) })
        }
        (BodyKind::Text, _) => (
            quote! { String },
            (quote! { impl Into<String> }, true),
            quote! { bytes_body(body.clone().into(), #media) },
        ),
        _ => (
            quote! { bytes::Bytes },
            (quote! { impl Into<bytes::Bytes> }, true),
            quote! { bytes_body(body.clone(), #media) },
        ),
    };
    Some(BodyArg { required: body.required, media: media.clone(), owned, argument, set })
}

/// The path of a call: bindings of the encoded path parameters (outside `format!`, whose
/// arguments are not formatted), and the expression.
fn path_expr(op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    let mut template = String::new();
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let name = &rest[start + 1..end];
        let path_params = op.params.iter().zip(&op.plan.call_fields);
        if let Some((p, field)) =
            path_params.filter(|(p, _)| p.location == ParamLocation::Path).find(|(p, _)| p.name == name)
        {
            let field = ident(field);
            // Numbers by value, the rest by reference (a builder sends its values more than once).
            let by_value =
                matches!(p.ty, TypeRef::Primitive(ty) if !matches!(ty, Primitive::String | Primitive::Bytes));
            let value = if by_value {
                quote! { self.#field }
            } else {
                quote! { &self.#field }
            };
            lets.push(quote! { let #field = path_param(#value); });
            args.push(field);
        }
        template.push_str("{}");
        rest = &rest[(end + 1).min(rest.len())..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        (lets, quote! { #template.to_string() })
    } else {
        (lets, quote! { format!(#template, #(#args),*) })
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
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => types_path(ty),
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => quote! { serde_json::Value },
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
            let headers = op.headers_at(*response);
            arms.push(success_arm(api, op, m, (status, headers), variant, content));
        }
    }
    let err_name = error_type(op);
    let mut default = quote! { _ => Err(Error::unexpected(raw)), };
    for v in op.error_arms() {
        let variant = ident(&v.name);
        let content = op.content_of(v);
        let headers = op.headers_of(v);
        let wrap = match (content.is_some(), headers.is_some()) {
            (_, false) => quote! { #err_name::#variant },
            (true, true) => quote! { |body| #err_name::#variant(body, headers) },
            (false, true) => quote! { #err_name::#variant(headers) },
        };
        let value = match content.map(|c| c.kind) {
            None => quote! { raw.error_empty(#wrap) },
            Some(BodyKind::Json) => quote! { raw.error_json(#wrap) },
            Some(BodyKind::Text) => quote! { raw.error_text(#wrap) },
            Some(_) => quote! { raw.error_bytes(#wrap) },
        };
        let body = match headers.map(|h| read_headers(op, h)) {
            Some(read) => quote! { { #read Err(#value) } },
            None => quote! { Err(#value), },
        };
        if v.is_catch_all() {
            default = quote! { _ => #body };
        } else {
            let guard = content.filter(|_| v.guard).map(|c| {
                let media = &c.media_type;
                quote! { raw.has_media_type(#media) }
            });
            let head = arm_head(v.status, guard);
            arms.push(quote! { #head => #body });
        }
    }
    arms.push(default);
    arms
}

fn success_arm(
    api: &Api,
    op: &Operation,
    m: &ClientMethod,
    (status, headers): (Status, Option<&str>),
    variant: &str,
    content: Option<&Content>,
) -> TokenStream {
    let pattern = arm_head(status, None);
    let decode = decode(content);
    let read_headers = headers.map(|h| read_headers(op, h));
    let in_body = api.error_in_success.is_some() && matches!(content, Some(c) if c.kind == BodyKind::Json);
    let guard_error = in_body.then(|| {
        let wrap = error_type(op);
        quote! { let raw = raw.reject_error_in_body(#wrap::InBody)?; }
    });
    let value = match &m.success_enum {
        Some(enum_name) => {
            let enum_name = ident(enum_name);
            let variant = ident(variant);
            let wrap = match (content.is_some(), headers.is_some()) {
                (true, false) => quote! { #enum_name::#variant },
                (false, false) => quote! { |()| #enum_name::#variant },
                (true, true) => quote! { |body| #enum_name::#variant(body, headers) },
                (false, true) => quote! { |()| #enum_name::#variant(headers) },
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
        None if headers.is_some() => {
            // `with_typed_headers` does not tell `json` its type parameter.
            let decode = match content.map(|c| c.kind) {
                Some(BodyKind::Json) => {
                    let ty = content_type(content);
                    quote! { raw.json::<#ty, _>() }
                }
                _ => decode,
            };
            quote! { #decode.map(|value| value.with_typed_headers(headers)) }
        }
        None => decode,
    };
    match (guard_error, read_headers) {
        (None, None) => quote! { #pattern => #value, },
        (guard, read) => quote! { #pattern => { #guard #read #value } },
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

/// The call builders, the success enums (when several statuses succeed) and the error enum of
/// an operation.
fn response_enums(api: &Api, op: &Operation) -> TokenStream {
    let mut out: TokenStream = op.plan.client_methods.iter().map(|m| builder(api, op, m)).collect();
    for m in &op.plan.client_methods {
        let Some(name) = &m.success_enum else { continue };
        let name = ident(name);
        let doc = own_doc(&format!("The documented successes of [`Client::{}`].", m.name));
        let vs = m.successes.iter().map(|(variant, response, content)| {
            let r = &op.responses[*response];
            let v = ident(variant);
            let d = doc_attrs(&format!("{}: {}", r.status.label(), r.description));
            let body = content.map(|c| content_type(Some(&r.contents[c])));
            let headers = op.headers_at(*response).map(ident);
            let fields: Vec<TokenStream> = body.into_iter().chain(headers.map(|h| quote! { #h })).collect();
            if fields.is_empty() {
                quote! { #d #v, }
            } else {
                quote! { #d #v(#(#fields),*), }
            }
        });
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#vs)* }
        });
    }
    out.extend(error_enum(api, op));
    out.extend(header_structs(op));
    out
}

/// The headers struct of a method's one success, when it has no success enum and documents
/// headers: the `H` of its `ResponseValue<T, H>`. Streamed successes keep only the header map.
fn single_success_headers<'a>(op: &'a Operation, m: &ClientMethod) -> Option<&'a str> {
    match (&m.success_enum, m.successes.as_slice(), m.delivery) {
        (None, [(_, response, _)], Delivery::Buffered) => op.headers_at(*response),
        _ => None,
    }
}

/// `let headers = ..;`: the response's documented headers, or an `Error::Decode` naming the one
/// that is missing or does not parse.
fn read_headers(op: &Operation, name: &str) -> TokenStream {
    let name = ident(name);
    let err = error_type(op);
    quote! { let headers = raw.typed_headers::<_, #err>(#name::parse)?; }
}

/// `<Op><Status>Headers`: the documented headers of each response that has any, with `parse`;
/// `#[non_exhaustive]` like the client's response-only types.
fn header_structs(op: &Operation) -> TokenStream {
    let mut out = TokenStream::new();
    for (r, name) in op.responses.iter().zip(&op.plan.headers) {
        let Some(name) = name else { continue };
        let name = ident(name);
        let doc = own_doc(&format!(
            "The headers documented for the {} response of [`Client::{}`].",
            r.status.key(),
            first_method(op)
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
                own_doc(&format!("Sent as `{}`{}.", h.name, if h.required { "" } else { "; `None` when absent" }));
            quote! { #docs #wire pub #field: #ty, }
        });
        let reads = r.headers.iter().map(|h| {
            let field = ident(&h.field);
            let wire = &h.name;
            let read = match (&h.ty, h.required) {
                (crate::model::TypeRef::Array(_), true) => quote! { required_list },
                (crate::model::TypeRef::Array(_), false) => quote! { optional_list },
                (_, true) => quote! { required },
                (_, false) => quote! { optional },
            };
            quote! { #field: mailapi_support::headers::#read(headers, #wire)?, }
        });
        // Read, never built by callers: a header the vendor documents later is a new field, not
        // a breaking change, and no constructor is needed.
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }

            impl #name {
                /// Reads them from a response's header map: a required one that is missing, or
                /// any that does not parse as its type, is an error naming it.
                pub fn parse(headers: &mailapi_support::client::HeaderMap) -> Result<Self, mailapi_support::headers::HeaderError> {
                    Ok(Self { #(#reads)* })
                }
            }
        });
    }
    out
}

fn error_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.plan.error.as_ref()?);
    let doc = own_doc(&format!("The documented error responses of [`Client::{}`].", first_method(op)));
    let errors = op.plan.variants.iter().filter(|v| !v.status.is_success());
    let variants = errors.map(|v| {
        let name = ident(&v.name);
        let d = doc_attrs(&format!("{}: {}", v.status.label(), op.response_of(v).description));
        let body = op.content_of(v).map(|c| content_type(Some(c)));
        let headers = op.headers_of(v).map(ident);
        let fields: Vec<TokenStream> = body.into_iter().chain(headers.map(|h| quote! { #h })).collect();
        if fields.is_empty() {
            quote! { #d #name, }
        } else {
            quote! { #d #name(#(#fields),*), }
        }
    });
    let in_body = api.error_in_success.as_ref().map(|ty| {
        let ty = types_path(ty);
        quote! {
            /// An error the service reported inside a successful (2xx) response.
            InBody(#ty),
        }
    });
    let message = super::message::service_message_impl(api, op);
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* #in_body }

        #message
    })
}
