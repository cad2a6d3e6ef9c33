//! `tests/e2e.rs` of a server crate: every operation called through the generated client
//! against the generated mock, expecting what the plan both were rendered from says.

use std::cell::Cell;
use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::test_values::{
    accepts, compact, essence, event_values, example_text, inner_doc, raw_str, sample, type_path,
};
use super::{ident, own_doc};
use crate::model::{
    Api, BodyKind, ClientMethod, Constraints, Content, Delivery, Example, Operation, Param, Primitive, SchemeKind,
    Side, TypeKind, TypeRef, Variant,
};

/// `tests/e2e.rs` of a server crate.
pub fn module(api: &Api) -> TokenStream {
    let e2e = E2e { api, uses_types: Cell::new(false), helpers: Default::default() };
    let mut tests = Vec::new();
    for op in &api.operations {
        for (i, method) in op.plan.client_methods.iter().enumerate() {
            tests.push(e2e.test(op, method, i == 0));
        }
    }
    let helpers = e2e.helpers.take();
    let used = helpers.clone();
    // One `success`: the one generic over typed headers where a test needs it.
    let typed = used.contains("success_typed");
    let items = optional_helpers()
        .into_iter()
        .filter(move |(name, _)| used.contains(name) && !(typed && *name == "success"))
        .map(|(_, item)| item);
    let imports = imports(api, &helpers, e2e.uses_types.get());
    let start = start(api);
    let doc = inner_doc(&format!(
        "End to end: every operation of {}, called through the generated client against the \
         generated mock (`router(Mock, AcceptAny)` on a loopback port).\n\n\
         One test per client method: the default answer must equal the first documented success \
         example (a stream must yield it); every documented error status the mock can answer (its \
         first example, or no body) must arrive for `Prefer: code=N` as `Error::Api` with its \
         variant and body. An operation without any documented example answers the mock's 501, \
         an undocumented status.",
        api.title
    ));
    let no_operations = super::no_operations(api);
    quote! {
        #no_operations
        #doc

        #imports

        #start

        #(#items)*

        #(#tests)*
    }
}

/// The file's imports: only what its helpers and tests use.
fn imports(api: &Api, helpers: &BTreeSet<&str>, uses_types: bool) -> TokenStream {
    let client_crate = ident(&api.lib_name(Side::Client));
    let server_crate = ident(&api.lib_name(Side::Server));
    let has = |name: &str| helpers.contains(name);
    let mut client_names = vec![quote! { Client }];
    for (helper, name) in [
        ("prefer", quote! { CallOptions }),
        ("success", quote! { ResponseValue }),
        ("read_bytes", quote! { ByteStream }),
        ("read_events", quote! { EventStream }),
    ] {
        if has(helper) {
            client_names.push(name);
        }
    }
    let errors = has("success") || has("api_error") || has("unexpected_status");
    if errors {
        client_names.push(quote! { Error });
    }
    if has("client") {
        client_names.insert(0, quote! { self as client });
    }
    let types_import = uses_types.then(|| quote! { use #client_crate::types; });
    let debug = (errors || has("example_headers")).then(|| quote! { use std::fmt::Debug; });
    let de = has("json").then(|| quote! { use serde::de::DeserializeOwned; });
    let stream_ext = (has("read_bytes") || has("read_events")).then(|| quote! { use futures_util::StreamExt as _; });
    quote! {
        #debug
        #stream_ext
        #de
        use #client_crate::{#(#client_names),*};
        #types_import
        use #server_crate::mock::{AcceptAny, Mock};
        use #server_crate::router;
    }
}

/// `start()`: the mock on a loopback port, and a client for it with credentials for every scheme.
fn start(api: &Api) -> TokenStream {
    let credentials = api.security_schemes.iter().map(|s| match &s.kind {
        SchemeKind::Basic => quote! { .basic_auth("user", "password") },
        SchemeKind::Bearer => quote! { .bearer_token("token") },
        SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_) => {
            let name = &s.name;
            quote! { .api_key(#name, "key") }
        }
    });
    let base = format!("http://{{address}}{}", api.base_path);
    quote! {
        /// Serves `router(Mock, AcceptAny)` on a free loopback port and returns a client for it,
        /// with credentials for every security scheme and without retries.
        async fn start() -> Client {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
            let address = listener.local_addr().expect("the bound address");
            tokio::spawn(async move { axum::serve(listener, router(Mock, AcceptAny)).await });
            Client::builder(&format!(#base))
                #(#credentials)*
                .no_retry()
                .build()
                .expect("a client for the mock")
        }
    }
}

/// The helpers a test may use, by name; only the used ones are emitted.
fn optional_helpers() -> Vec<(&'static str, TokenStream)> {
    vec![
        (
            "example_headers",
            quote! {
                /// Typed response headers read from documented examples (`(name, JSON)`), as the
                /// client reads them from a response (`parse` of its `<Op><Status>Headers`).
                #[track_caller]
                fn example_headers<H, E: Debug>(
                    parse: fn(&axum::http::HeaderMap) -> Result<H, E>,
                    examples: &[(&'static str, &str)],
                ) -> H {
                    let pairs: Vec<(&'static str, Option<String>)> = examples
                        .iter()
                        .map(|(name, json)| {
                            let value: serde_json::Value = serde_json::from_str(json).expect("an example is JSON");
                            (*name, mailapi_support::headers::text(&value))
                        })
                        .collect();
                    let mut map = axum::http::HeaderMap::new();
                    mailapi_support::headers::insert_all(&mut map, &pairs).expect("the examples can be sent");
                    parse(&map).unwrap_or_else(|err| panic!("the examples do not parse: {err:?}"))
                }
            },
        ),
        (
            "prefer",
            quote! {
                /// The same client, asking the mock for its example of `code` (`Prefer: code=<code>`).
                fn prefer(api: &Client, code: u16) -> Client {
                    let mut headers = axum::http::HeaderMap::new();
                    headers.insert("prefer", format!("code={code}").parse().expect("a header value"));
                    api.with_options(CallOptions { headers, ..Default::default() })
                }
            },
        ),
        (
            "json",
            quote! {
                /// A documented example as the type the client returns.
                #[track_caller]
                fn json<T: DeserializeOwned>(text: &str) -> T {
                    let ty = std::any::type_name::<T>();
                    serde_json::from_str(text).unwrap_or_else(|err| panic!("the example does not fit `{ty}`: {err}"))
                }
            },
        ),
        (
            "success",
            quote! {
                /// The status and typed body of a success.
                #[track_caller]
                fn success<T, E: Debug>(result: Result<ResponseValue<T>, Error<E>>) -> (u16, T) {
                    match result {
                        Ok(value) => {
                            let (status, _, body) = value.into_parts();
                            (status.as_u16(), body)
                        }
                        Err(err) => panic!("expected a success, got {err:?}"),
                    }
                }
            },
        ),
        (
            "success_typed",
            quote! {
                /// The status and typed body of a success whose headers the test checks on their own.
                #[track_caller]
                fn success<T, H, E: Debug>(result: Result<ResponseValue<T, H>, Error<E>>) -> (u16, T) {
                    match result {
                        Ok(value) => {
                            let (status, _, body) = value.into_parts();
                            (status.as_u16(), body)
                        }
                        Err(err) => panic!("expected a success, got {err:?}"),
                    }
                }
            },
        ),
        (
            "api_error",
            quote! {
                /// The status and typed body of a documented error.
                #[track_caller]
                fn api_error<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> (u16, E) {
                    match result {
                        Err(Error::Api(value)) => {
                            let (status, _, body) = value.into_parts();
                            (status.as_u16(), body)
                        }
                        other => panic!("expected a documented error, got {other:?}"),
                    }
                }
            },
        ),
        (
            "unexpected_status",
            quote! {
                /// The status of a response the spec does not document for the operation.
                #[track_caller]
                fn unexpected_status<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> u16 {
                    match result {
                        Err(Error::UnexpectedStatus { status, .. }) => status.as_u16(),
                        other => panic!("expected an undocumented status, got {other:?}"),
                    }
                }
            },
        ),
        (
            "read_bytes",
            quote! {
                /// The whole body of a byte stream.
                async fn read_bytes(mut stream: ByteStream) -> Vec<u8> {
                    let mut body = Vec::new();
                    while let Some(chunk) = stream.next().await {
                        body.extend_from_slice(&chunk.expect("a chunk"));
                    }
                    body
                }
            },
        ),
        (
            "read_events",
            quote! {
                /// Every event of an event stream.
                async fn read_events<T>(mut stream: EventStream<T>) -> Vec<T> {
                    let mut events = Vec::new();
                    while let Some(event) = stream.next().await {
                        events.push(event.expect("an event"));
                    }
                    events
                }
            },
        ),
    ]
}

struct E2e<'a> {
    api: &'a Api,
    uses_types: Cell<bool>,
    /// The helpers (and the `client` import) the tests use, so that none is emitted unused.
    helpers: Cell<BTreeSet<&'static str>>,
}

/// What the mock answers a call with, as the client sees it.
enum Expected {
    /// A success without a body (`()`).
    Empty(u16),
    /// A success: status, the expected body expression and its type when it needs spelling out.
    Success(u16, TokenStream, Option<TokenStream>),
    Bytes(u16, Literal),
    /// An event stream: status, item type, one expression per event.
    Events(u16, TokenStream, Vec<TokenStream>),
    /// A documented error: status and the expected error-enum value.
    Api(u16, TokenStream),
    /// A status the client does not map.
    Unexpected(u16),
    /// The client cannot decode what the mock sends; the reason.
    Mismatch(String),
}

impl E2e<'_> {
    fn use_helper(&self, name: &'static str) {
        let mut set = self.helpers.take();
        set.insert(name);
        self.helpers.set(set);
    }

    fn test(&self, op: &Operation, method: &ClientMethod, with_errors: bool) -> TokenStream {
        let name = ident(&method.test);
        let call = ident(&method.name);
        let mut doc = format!("`{} {}`", op.method.as_str(), op.path);
        if let Some(m) = &method.media {
            doc.push_str(&format!(", answered as `{m}`"));
        }
        let deprecated = op.deprecated.then(|| quote! { #[allow(deprecated)] });
        let (lets, args, setters) = match self.arguments(op) {
            Ok(args) => args,
            Err(why) => {
                doc.push_str(&format!(".\n\nNot called: {why}."));
                let doc = own_doc(&doc);
                return quote! {
                    #doc
                    #[tokio::test]
                    #[ignore = "no valid request can be derived from the spec"]
                    async fn #name() {}
                };
            }
        };
        let mut body = Vec::new();
        body.push(quote! { let api = start().await; });
        body.extend(lets);
        body.push(quote! { let result = api.#call(#(#args),*) #setters.await; });
        match self.expected(op, method, None) {
            Expected::Mismatch(why) => {
                doc.push_str(&format!("\n\nDefault answer not checked: {why}."));
                body.push(quote! { let _ = result; });
            }
            expected => {
                body.extend(self.single_success_headers(op, method));
                body.push(self.assertion(expected));
            }
        }
        if with_errors {
            let mut codes: Vec<u16> = Vec::new();
            for r in op.responses.iter().filter(|r| !r.status.is_success()) {
                let code = r.status.representative();
                if codes.contains(&code) {
                    continue;
                }
                codes.push(code);
                // A status documented without any example answers 501: nothing to compare.
                if mock_choice(op, method, Some(code)).is_none() {
                    continue;
                }
                let expected = self.expected(op, method, Some(code));
                if let Expected::Mismatch(why) = &expected {
                    doc.push_str(&format!("\n\nNot checked: `Prefer: code={code}`: {why}."));
                    continue;
                }
                self.use_helper("prefer");
                let code_lit = Literal::u16_unsuffixed(code);
                body.push(quote! { let result = prefer(&api, #code_lit).#call(#(#args),*) #setters.await; });
                body.push(self.assertion(expected));
            }
        }
        let doc = own_doc(&doc);
        quote! {
            #doc
            #[tokio::test]
            #deprecated
            async fn #name() {
                #(#body)*
            }
        }
    }

    fn assertion(&self, expected: Expected) -> TokenStream {
        match expected {
            Expected::Empty(code) => {
                self.use_helper("success");
                let code = Literal::u16_unsuffixed(code);
                quote! { assert_eq!(success(result), (#code, ())); }
            }
            Expected::Success(code, value, ty) => {
                self.use_helper("success");
                let code = Literal::u16_unsuffixed(code);
                let ty = ty.map(|ty| quote! { : #ty });
                quote! {
                    let expected #ty = #value;
                    assert_eq!(success(result), (#code, expected));
                }
            }
            Expected::Bytes(code, bytes) => {
                self.use_helper("success");
                self.use_helper("read_bytes");
                let code = Literal::u16_unsuffixed(code);
                quote! {
                    let (status, stream) = success(result);
                    let body = read_bytes(stream).await;
                    assert_eq!((status, body.as_slice()), (#code, #bytes.as_slice()));
                }
            }
            Expected::Events(code, ty, events) => {
                self.use_helper("success");
                self.use_helper("read_events");
                let code = Literal::u16_unsuffixed(code);
                let count = Literal::usize_unsuffixed(events.len());
                quote! {
                    let (status, stream) = success(result);
                    let events = read_events(stream).await;
                    let expected: [#ty; #count] = [#(#events),*];
                    assert_eq!((status, events.as_slice()), (#code, expected.as_slice()));
                }
            }
            Expected::Api(code, value) => {
                self.use_helper("api_error");
                let code = Literal::u16_unsuffixed(code);
                quote! {
                    let expected = #value;
                    assert_eq!(api_error(result), (#code, expected));
                }
            }
            Expected::Unexpected(code) => {
                self.use_helper("unexpected_status");
                let code = Literal::u16_unsuffixed(code);
                quote! { assert_eq!(unexpected_status(result), #code); }
            }
            Expected::Mismatch(_) => quote! {},
        }
    }

    /// What the mock answers `method` with, by default or for `Prefer: code=<code>`, and how
    /// the client maps it: the same choice as `mailapi_support::server::choose_example`.
    fn expected(&self, op: &Operation, method: &ClientMethod, code: Option<u16>) -> Expected {
        let Some(choice) = mock_choice(op, method, code) else {
            return self.client_error(op, 501, None);
        };
        let status = choice.status.representative();
        let content = op.content_of(choice);
        let example = content.and_then(|c| c.examples.first());
        if !(200..300).contains(&status) {
            return self.client_error(op, status, content.zip(example));
        }
        if let Some(example) =
            example.filter(|e| content.is_some_and(|c| c.kind == BodyKind::Json) && self.is_error_in_body(&e.value))
        {
            // The vendor reports errors inside 2xx bodies (`x-error-in-200`): the client turns them into errors.
            self.use_helper("client");
            self.use_helper("json");
            let error = op.plan.error.as_deref().map(ident);
            let json = raw_str(&compact(&example.value));
            return Expected::Api(status, quote! { client::#error::InBody(json(#json)) });
        }
        let value = match (content, example) {
            (Some(content), Some(example)) => match content.kind {
                BodyKind::Binary => {
                    return Expected::Bytes(status, Literal::byte_string(example_text(&example.value).as_bytes()));
                }
                BodyKind::EventStream => {
                    self.use_helper("json");
                    let ty =
                        content.ty.as_ref().map_or(quote! { serde_json::Value }, |t| type_path(t, &self.uses_types));
                    let events = event_values(&example.value)
                        .iter()
                        .map(|v| {
                            let json = raw_str(&compact(v));
                            quote! { json(#json) }
                        })
                        .collect();
                    return Expected::Events(status, ty, events);
                }
                _ => Some(self.body_value(content, example)),
            },
            _ => None,
        };
        let Some(response) = &method.success_enum else {
            return match value {
                Some((ty, value)) => Expected::Success(status, value, ty),
                None => Expected::Empty(status),
            };
        };
        let value = value.map_or(quote! { () }, |(_, value)| value);
        let response = ident(response);
        let Some((variant, _, _)) = method.successes.iter().find(|(_, r, _)| *r == choice.response) else {
            return Expected::Mismatch(format!(
                "the mock answers status {status}, which the client does not expect for this media type"
            ));
        };
        // Only once the value is written with `client::`: an unused import is a warning.
        self.use_helper("client");
        let variant = ident(variant);
        let headers = self.expected_headers(op, choice);
        let value = match (content, headers) {
            (Some(_), None) => quote! { client::#response::#variant(#value) },
            (Some(_), Some(headers)) => quote! { client::#response::#variant(#value, #headers) },
            (None, Some(headers)) => quote! { client::#response::#variant(#headers) },
            (None, None) => quote! { client::#response::#variant },
        };
        Expected::Success(status, value, None)
    }

    /// Whether a success example is the `x-error-in-200` error object, as the client decides it:
    /// the example has every required field of that object.
    fn is_error_in_body(&self, example: &Value) -> bool {
        let Some(TypeRef::Named(name)) = &self.api.error_in_success else { return false };
        let Some(TypeKind::Struct(error)) = self.api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) else {
            return false;
        };
        let Value::Object(object) = example else { return false };
        error
            .fields
            .iter()
            .filter(|f| f.required && !f.read_only && !f.write_only)
            .all(|f| object.contains_key(&f.json_name))
    }

    /// How the client reports a non-2xx `status` the mock answers with `answer` (content and example).
    fn client_error(&self, op: &Operation, status: u16, answer: Option<(&Content, &Example)>) -> Expected {
        // The client's arms: one per documented (status, media type); several media types of one
        // status are told apart by Content-Type, the last of them catching the rest.
        let sent =
            answer.map_or(if status == 501 { "application/problem+json" } else { "" }, |(c, _)| c.media_type.as_str());
        let arm = op.error_arms().find(|v| {
            let guard = match op.content_of(v).filter(|_| v.guard) {
                Some(c) => essence(&c.media_type) == essence(sent),
                None => true,
            };
            v.status.matches(status) && guard
        });
        let Some(arm) = arm else { return Expected::Unexpected(status) };
        let error = op.plan.error.as_deref().map(ident);
        let variant = ident(&arm.name);
        let headers = self.expected_headers(op, arm);
        let value = match (op.content_of(arm), answer) {
            (None, None) => {
                self.use_helper("client");
                match headers {
                    Some(headers) => quote! { client::#error::#variant(#headers) },
                    None => quote! { client::#error::#variant },
                }
            }
            (Some(decoded), Some((sent, example))) if std::ptr::eq(decoded, sent) => {
                self.use_helper("client");
                let (_, value) = self.body_value(sent, example);
                let headers = headers.map(|h| quote! { , #h });
                quote! { client::#error::#variant(#value #headers) }
            }
            (Some(decoded), Some((sent, _))) => {
                return Expected::Mismatch(format!(
                    "the mock sends a `{}` example, the client decodes status {status} as `{}`",
                    sent.media_type, decoded.media_type
                ));
            }
            (Some(decoded), None) => {
                return Expected::Mismatch(format!(
                    "the mock answers status {status} without a documented body, the client decodes it as `{}`",
                    decoded.media_type
                ));
            }
            (None, Some((sent, _))) => {
                return Expected::Mismatch(format!(
                    "the mock sends a `{}` body the client does not read",
                    sent.media_type
                ));
            }
        };
        Expected::Api(status, value)
    }

    /// For a method whose one success documents headers (`ResponseValue<T, H>`): the check of
    /// the typed headers of the mock's default answer.
    fn single_success_headers(&self, op: &Operation, method: &ClientMethod) -> Option<TokenStream> {
        let ([_], None, Delivery::Buffered) = (method.successes.as_slice(), &method.success_enum, method.delivery)
        else {
            return None;
        };
        let choice = mock_choice(op, method, None)?;
        let expected = self.expected_headers(op, choice)?;
        self.use_helper("success_typed");
        Some(quote! {
            let headers = result.as_ref().ok().map(|value| value.typed_headers().clone());
            let expected = #expected;
            assert_eq!(headers, Some(expected));
        })
    }

    /// The headers struct the client reads from what the mock sends for `v`: each header's
    /// example (optional ones without an example are absent), as the client's `<Op><Status>Headers`.
    fn expected_headers(&self, op: &Operation, v: &Variant) -> Option<TokenStream> {
        let name = ident(op.headers_of(v)?);
        self.use_helper("client");
        self.use_helper("example_headers");
        // The struct is `#[non_exhaustive]`: read from the examples as the client reads a response.
        let sent = op.response_of(v).headers.iter().filter_map(|h| {
            let wire = &h.name;
            let json = raw_str(&compact(h.example.as_ref()?));
            Some(quote! { (#wire, #json) })
        });
        Some(quote! { example_headers(client::#name::parse, &[#(#sent),*]) })
    }

    /// An example body as the value the client decodes it into, with its type for JSON.
    fn body_value(&self, content: &Content, example: &Example) -> (Option<TokenStream>, TokenStream) {
        match content.kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                self.use_helper("json");
                let json = raw_str(&compact(&example.value));
                let ty = content.ty.as_ref().map_or(quote! { serde_json::Value }, |t| type_path(t, &self.uses_types));
                (Some(ty), quote! { json(#json) })
            }
            BodyKind::Text => {
                let text = example_text(&example.value);
                (None, quote! { #text.to_owned() })
            }
            BodyKind::Binary | BodyKind::EventStream => {
                let bytes = Literal::byte_string(example_text(&example.value).as_bytes());
                (None, quote! { bytes::Bytes::from_static(#bytes) })
            }
        }
    }

    /// The arguments of the client method: required parameters from their examples (or a plain
    /// value that satisfies the schema), the request body from its example (or a value that
    /// satisfies the schema); optional parameters are left unset, an optional body with an
    /// example is set through the builder.
    /// Values decoded from JSON are bound first (`let body: types::X = json(..);`) and cloned
    /// into each call, so the calls stay short: (bindings, arguments, builder setters).
    fn arguments(&self, op: &Operation) -> Result<(Vec<TokenStream>, Vec<TokenStream>, TokenStream), String> {
        let mut lets = Vec::new();
        let mut args = Vec::new();
        for p in op.params.iter().filter(|p| !p.presence.is_optional()) {
            args.push(self.param_value(p, &mut lets)?);
        }
        let Some(body) = &op.body else { return Ok((lets, args, quote! {})) };
        let Some(content) = body.contents.first() else { return Ok((lets, args, quote! {})) };
        let value = match content.examples.first() {
            Some(example) => Some(example.value.clone()),
            None if !body.required => None,
            None => {
                let sampled = match (&content.kind, &content.ty) {
                    (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => {
                        sample(self.api, ty, &Constraints::default(), 0)
                    }
                    (BodyKind::Json, None) => Some(Value::Object(Default::default())),
                    _ => Some(Value::String("example".into())),
                };
                Some(sampled.ok_or_else(|| {
                    format!("no value of the `{}` request body satisfies its schema", content.media_type)
                })?)
            }
        };
        // A body of several media types is an owned enum, sent in its first media type.
        let choice = op.plan.body.as_ref().and_then(|p| Some((ident(p.choice.as_ref()?), ident(p.variants.first()?))));
        let arg = value.map(|value| match (&content.kind, &content.ty) {
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, ty) => {
                self.use_helper("json");
                let ty = ty.as_ref().map_or(quote! { serde_json::Value }, |t| type_path(t, &self.uses_types));
                let json = raw_str(&compact(&value));
                let name = format_ident!("body");
                lets.push(quote! { let #name: #ty = json(#json); });
                quote! { #name.clone() }
            }
            _ => {
                let text = example_text(&value);
                quote! { #text }
            }
        });
        let arg = match (arg, choice) {
            (Some(arg), Some((name, variant))) => {
                self.use_helper("client");
                // The text and bytes variants own their value: the literal converted.
                let arg = match content.kind {
                    BodyKind::Json | BodyKind::Form | BodyKind::Multipart => arg,
                    _ => quote! { #arg.into() },
                };
                Some(quote! { client::#name::#variant(#arg) })
            }
            (arg, _) => arg,
        };
        let setters = match (arg, body.required, &op.plan.body_setter) {
            (Some(arg), true, _) => {
                args.push(arg);
                quote! {}
            }
            (Some(arg), false, Some(setter)) => {
                let setter = ident(setter);
                quote! { .#setter(#arg) }
            }
            _ => quote! {},
        };
        Ok((lets, args, setters))
    }

    fn param_value(&self, p: &Param, lets: &mut Vec<TokenStream>) -> Result<TokenStream, String> {
        let value = match p.examples.first() {
            Some(example) => example.value.clone(),
            None => sample(self.api, &p.ty, &p.constraints, 0)
                .ok_or_else(|| format!("no value of parameter `{}` satisfies its schema", p.name))?,
        };
        Ok(match (&p.ty, &value) {
            (TypeRef::Primitive(Primitive::String | Primitive::Bytes), Value::String(s)) => quote! { #s },
            (TypeRef::Primitive(Primitive::String | Primitive::Bytes), other) => {
                let s = other.to_string();
                quote! { #s }
            }
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(b)) => quote! { #b },
            (
                TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64),
                Value::Number(n),
            ) if n.is_i64() || n.is_u64() => {
                let n: TokenStream =
                    n.to_string().parse().map_err(|_| format!("parameter `{}`: bad number", p.name))?;
                n
            }
            (TypeRef::Primitive(Primitive::F32 | Primitive::F64), Value::Number(n)) => {
                let n = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
                quote! { #n }
            }
            (TypeRef::Primitive(_), _) => {
                self.use_helper("json");
                let json = raw_str(&compact(&value));
                quote! { json(#json) }
            }
            (ty, _) => {
                self.use_helper("json");
                let json = raw_str(&compact(&value));
                let rust = match ty {
                    TypeRef::Array(item) => {
                        let item = type_path(item, &self.uses_types);
                        quote! { Vec<#item> }
                    }
                    other => type_path(other, &self.uses_types),
                };
                // Named after the parameter, unless that would shadow a local of the test.
                let name = match p.field.as_str() {
                    "api" | "result" | "expected" | "status" | "stream" | "events" | "body" => {
                        format_ident!("{}_param", p.field)
                    }
                    field => ident(field),
                };
                lets.push(quote! { let #name: #rust = json(#json); });
                quote! { #name.clone() }
            }
        })
    }
}

/// The response the mock chooses for `method` by default or for `Prefer: code=<code>`: the same
/// choice as `mailapi_support::server::choose_example` (`Accept` is the method's media type, and
/// does not restrict error statuses); `None` answers 501.
fn mock_choice<'a>(op: &'a Operation, method: &ClientMethod, code: Option<u16>) -> Option<&'a Variant> {
    let accept = method.media.as_deref().unwrap_or("*/*");
    op.plan.variants.iter().find(|v| {
        let status = v.status.representative();
        let content = op.content_of(v);
        let default = (200..300).contains(&status) || code.is_some();
        let fits = code.is_none_or(|c| c == status);
        let acceptable = content.is_none_or(|c| accepts(accept, &c.media_type)) || !(200..300).contains(&status);
        let answerable = content.is_none_or(|c| !c.examples.is_empty());
        default && fits && acceptable && answerable
    })
}
