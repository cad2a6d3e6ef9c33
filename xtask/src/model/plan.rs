//! The per-operation plan: every Rust name an operation produces, its response variants and
//! the order the client matches them in, decided once so that every emitter renders the same.
//!
//! Names are handed out by [`Scope`]s, one per Rust namespace the generated code puts them in,
//! each seeded with the items its module already has (`router`, `Api`, helper imports, ...).

use super::names::{Scope, field_ident, type_ident};
use super::{Api, BodyKind, Content, Operation, Response, Status, TypeKind, TypeRef};
use crate::spec::{Diagnostic, Spec, push_pointer};

/// Items of the server module (and of the mock and crate root that glob-import it).
const SERVER_ITEMS: &[&str] = &[
    "AcceptAny",
    "Api",
    "Arc",
    "AuthError",
    "AuthRequest",
    "Authenticator",
    "Base64Bytes",
    "Candidate",
    "Context",
    "EventStream",
    "IntoResponse",
    "Limits",
    "Mock",
    "Nullable",
    "PartialApi",
    "Principal",
    "Problem",
    "RequestParts",
    "Response",
    "Router",
    "Scheme",
    "SchemeKind",
    "Secret",
    "Shared",
    "SseEvent",
    "State",
    "axum",
    "bytes",
    "choose_example",
    "chrono",
    "example_body",
    "example_events",
    "example_json",
    "example_text",
    "futures_util",
    "http",
    "mock",
    "read_request",
    "respond",
    "router",
    "serde_json",
    "serve",
    "server",
    "status",
    "types",
    "validate",
];

/// Items of the client module and the names the crate root re-exports beside it.
const CLIENT_ITEMS: &[&str] = &[
    "Base64Bytes",
    "BuildError",
    "ByteStream",
    "CallOptions",
    "Client",
    "ClientBuilder",
    "Error",
    "EventStream",
    "Method",
    "Nullable",
    "QueryStyle",
    "RawResponse",
    "Request",
    "ResponseValue",
    "RetryPolicy",
    "Scheme",
    "SchemeKind",
    "Secret",
    "ServiceMessage",
    "SseError",
    "Transport",
    "TransportError",
    "bytes",
    "chrono",
    "client",
    "futures_util",
    "http",
    "path_param",
    "reqwest",
    "serde_json",
    "types",
];

/// Methods `Client` already has, inherent or from the traits it implements.
const CLIENT_METHODS: &[&str] = &["build", "builder", "clone", "fmt", "from", "new", "with_options"];

/// Items of the generated `tests/e2e.rs`: its helpers and imports.
const E2E_ITEMS: &[&str] = &[
    "AcceptAny",
    "ByteStream",
    "CallOptions",
    "Client",
    "Debug",
    "DeserializeOwned",
    "Error",
    "EventStream",
    "Mock",
    "ResponseValue",
    "StreamExt",
    "api_error",
    "client",
    "json",
    "prefer",
    "read_bytes",
    "read_events",
    "router",
    "start",
    "success",
    "types",
    "unexpected_status",
];

/// Items of the generated `tests/examples.rs`.
const EXAMPLES_ITEMS: &[&str] = &["DeserializeOwned", "Serialize", "Value", "numbers_by_value", "round_trip", "types"];

/// Whether a value may be left out, may be `null`, both, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Required,
    /// May be absent: `Option<T>`.
    Optional,
    /// Always present, may be `null`: `Option<T>` that must be sent.
    Nullable,
    /// May be absent or `null`, and the two differ: `Nullable<T>`.
    OptionalNullable,
}

impl Presence {
    pub fn new(optional: bool, nullable: bool) -> Self {
        match (optional, nullable) {
            (false, false) => Presence::Required,
            (true, false) => Presence::Optional,
            (false, true) => Presence::Nullable,
            (true, true) => Presence::OptionalNullable,
        }
    }

    pub fn is_optional(self) -> bool {
        matches!(self, Presence::Optional | Presence::OptionalNullable)
    }
}

/// Everything an operation produces, by name.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The `Api` trait method (and the mock's), snake_case.
    pub method: String,
    /// The server module's private axum handler.
    pub handler: String,
    /// The server's parsed request struct, `<Op>Request`.
    pub request: String,
    /// The server's response enum, `<Op>Response`.
    pub response: String,
    /// The client's error enum, `<Op>Error`, when the operation documents errors.
    pub error: Option<String>,
    /// The client call's name for each of `Operation::params`, in order: a builder field, and
    /// the method argument (required parameters) or the builder setter (optional ones).
    pub call_fields: Vec<String>,
    /// The builder setter of an optional request body. Always `body`: the builder reserves the
    /// name, so a request body made optional later never renames a parameter's setter.
    pub body_setter: Option<String>,
    /// One client method per success media type (one without a body when there is none).
    pub client_methods: Vec<ClientMethod>,
    /// Every documented (status, media type), in response order: the server's response enum;
    /// the non-success ones are the client's error enum.
    pub variants: Vec<Variant>,
    /// Indices into `variants` of the errors, in the order the client matches them: guarded and
    /// specific arms first, the catch-all (`default`) last.
    pub error_arms: Vec<usize>,
    /// By response (index into `Operation::responses`): the struct of its documented headers,
    /// `<Op><Status>Headers`, the same name in the client and the server crate; `None` for a
    /// response without headers.
    pub headers: Vec<Option<String>>,
    /// The test of `tests/examples.rs` that round-trips the operation's examples.
    pub examples_test: String,
    /// Ignored tests for the examples marked `x-skip-round-trip`: (place, example name, test).
    pub skipped_example_tests: Vec<(String, String, String)>,
    /// How the request body is passed, when there is one.
    pub body: Option<BodyPlan>,
}

/// How the client passes and the server receives an operation's request body.
#[derive(Debug, Clone, Default)]
pub struct BodyPlan {
    /// With several media types, the enum `<Op>Body` (in the client and in the server module)
    /// with one variant per media type: the client chooses, the server says which arrived.
    pub choice: Option<String>,
    /// The variant name of each media type, in the order of the body's contents (empty
    /// without a `choice`).
    pub variants: Vec<String>,
}

/// A response variant: one documented status with one media type (or without a body).
#[derive(Debug, Clone)]
pub struct Variant {
    /// UpperCamelCase, unique in the operation's enums: `Ok`, `NotFound`, `OkXml`.
    pub name: String,
    pub status: Status,
    /// Index into `Operation::responses`.
    pub response: usize,
    /// Index into that response's `contents`; `None` for an empty body.
    pub content: Option<usize>,
    /// The client tells this variant apart from the next (same status) by `Content-Type`.
    pub guard: bool,
}

impl Variant {
    /// The `default` arm without a guard: matched after every other.
    pub fn is_catch_all(&self) -> bool {
        self.status == Status::Default && !self.guard
    }
}

/// How a client method's success body arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Read whole and decoded.
    Buffered,
    /// Returned unread as a byte stream.
    Bytes,
    /// Returned unread as a stream of server-sent events.
    Events,
}

#[derive(Debug, Clone)]
pub struct ClientMethod {
    pub name: String,
    /// The call builder it returns, `<Op>[Media]Builder`: optional parameters are its setters,
    /// awaiting it sends the call (so an added optional parameter keeps every call compiling).
    pub builder: String,
    /// The success media type it accepts, if the operation answers with a body.
    pub media: Option<String>,
    pub delivery: Delivery,
    /// The success enum `<Op>[Media]Response`, when several statuses succeed with this media type.
    pub success_enum: Option<String>,
    /// (status variant name, response index, content index) the method can succeed with.
    pub successes: Vec<(String, usize, Option<usize>)>,
    /// Its builder has `into_stream`: every item of every page (`x-pagination`).
    pub paging: bool,
    /// The test of `tests/e2e.rs` that calls this method against the mock.
    pub test: String,
}

/// Names a call builder has besides its parameters, kept free of them (fields and methods):
/// the client it borrows, the request body, and its own methods.
const BUILDER_ITEMS: &[&str] =
    &["body", "client", "clone", "execute", "fmt", "into_future", "into_stream", "request", "send"];

/// Whether the structs of a crate's `types` module are `#[non_exhaustive]`: a client's callers
/// then never write a struct literal or an exhaustive pattern, so a new member is a compatible
/// change. Server implementors keep plain structs: they must see every member a request brings
/// and a response needs.
pub fn evolving_structs(side: super::Side) -> bool {
    side == super::Side::Client
}

/// Whether a client struct gets `new`, taking its required members: a struct a caller writes
/// (a request value) does; a response-only struct does not (it is decoded, never built, so a
/// member the vendor adds to a response, required or not, changes no signature).
pub fn constructor(api: &Api, side: super::Side, name: &str) -> bool {
    evolving_structs(side) && api.written_by_callers.contains(name)
}

/// The named types reachable from parameters and request bodies.
fn written_by_callers(api: &Api) -> std::collections::BTreeSet<String> {
    let types: std::collections::BTreeMap<&str, &super::TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut todo: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        todo.extend(op.params.iter().map(|p| &p.ty));
        todo.extend(op.body.iter().flat_map(|b| &b.contents).filter_map(|c| c.ty.as_ref()));
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(ty) = todo.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => todo.push(inner),
            TypeRef::Named(name) if seen.insert(name.clone()) => match types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    todo.extend(s.fields.iter().map(|f| &f.ty));
                    if let super::Additional::Map(ty) = &s.additional {
                        todo.push(ty);
                    }
                }
                Some(TypeKind::Union(u)) => todo.extend(u.variants.iter().map(|v| &v.ty)),
                Some(TypeKind::Alias { ty, .. }) => todo.push(ty),
                _ => {}
            },
            _ => {}
        }
    }
    seen
}

impl Operation {
    pub fn response_of(&self, v: &Variant) -> &Response {
        &self.responses[v.response]
    }

    /// The struct of the documented headers of `v`'s response, if it has any.
    pub fn headers_of(&self, v: &Variant) -> Option<&str> {
        self.headers_at(v.response)
    }

    /// The struct of the documented headers of response `index`, if it has any.
    pub fn headers_at(&self, index: usize) -> Option<&str> {
        self.plan.headers.get(index).and_then(Option::as_deref)
    }

    pub fn content_of(&self, v: &Variant) -> Option<&Content> {
        v.content.map(|c| &self.responses[v.response].contents[c])
    }

    /// The error variants in the client's match order.
    pub fn error_arms(&self) -> impl Iterator<Item = &Variant> {
        self.plan.error_arms.iter().map(|&i| &self.plan.variants[i])
    }

    /// The JSON bodies of the operation with where they are: `request body`, `response 404`.
    pub fn json_contents(&self) -> Vec<(String, &Content)> {
        let mut out = Vec::new();
        for content in self.body.iter().flat_map(|b| &b.contents).filter(|c| c.kind == BodyKind::Json) {
            out.push(("request body".to_string(), content));
        }
        for r in &self.responses {
            for content in r.contents.iter().filter(|c| c.kind == BodyKind::Json) {
                out.push((format!("response {}", r.status.key()), content));
            }
        }
        out
    }
}

/// The scopes of one API's generated code.
struct Scopes {
    server: Scope,
    client: Scope,
    client_methods: Scope,
    e2e: Scope,
    examples: Scope,
}

/// Plans every operation of `api`. `pointers` are the operations' places in the spec, for
/// diagnostics.
pub fn plan(api: &mut Api, spec: &Spec, pointers: &[String]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut scopes = Scopes {
        server: Scope::with_items(SERVER_ITEMS),
        client: Scope::with_items(CLIENT_ITEMS),
        client_methods: Scope::with_items(CLIENT_METHODS),
        e2e: Scope::with_items(E2E_ITEMS),
        examples: Scope::with_items(EXAMPLES_ITEMS),
    };
    api.written_by_callers = written_by_callers(api);
    let in_body = api.error_in_success.is_some();
    // First every operation's own names, so that a name derived for another (a second media
    // type's method) never takes an operation's.
    let mut methods = Scope::default();
    let mut first_use: Vec<(String, String, &str)> = Vec::new();
    let mut bases = Vec::new();
    for (op, at) in api.operations.iter_mut().zip(pointers) {
        let method = field_ident(&op.operation_id);
        let base = type_ident(&op.operation_id);
        let clash = first_use.iter().find(|(m, b, _)| *m == method || *b == base);
        if let Some((_, _, other)) = clash.filter(|_| op.explicit_id) {
            let message = format!(
                "operationId `{}` becomes the Rust name `{method}` (`{base}`), as does the operation at {other}; rename one of them",
                op.operation_id
            );
            errors.push(spec.error(&push_pointer(at, "operationId"), message));
        }
        first_use.push((method.clone(), base.clone(), at));
        op.plan.method = methods.claim(&[method], "_");
        let first = op.plan.method.clone();
        let client_method = scopes.client_methods.claim(&[first.clone(), format!("{first}_operation")], "_");
        bases.push((scopes.claim_base(&base), client_method));
    }
    for (op, (base, client_method)) in api.operations.iter_mut().zip(bases) {
        plan_operation(op, &base, client_method, in_body, &mut scopes);
    }
    errors
}

impl Scopes {
    /// The first of `name`, `name2`, ... free in both the client and the server module; takes it.
    fn claim_both(&mut self, name: &str) -> String {
        let candidates = std::iter::once(name.to_string()).chain((2..).map(|n| format!("{name}{n}")));
        for candidate in candidates {
            if self.server.is_free(&candidate) && self.client.is_free(&candidate) {
                self.server.take(candidate.clone());
                self.client.take(candidate.clone());
                return candidate;
            }
        }
        unreachable!("an unbounded sequence of candidates has a free one")
    }

    /// The first of `base`, `base2`, ... whose request, response, error and params names are
    /// all free; takes them.
    fn claim_base(&mut self, base: &str) -> String {
        const SERVER: [&str; 2] = ["Request", "Response"];
        const CLIENT: [&str; 3] = ["Builder", "Error", "Response"];
        let candidates = std::iter::once(base.to_string()).chain((2..).map(|n| format!("{base}{n}")));
        for b in candidates {
            let free = SERVER.iter().all(|s| self.server.is_free(&format!("{b}{s}")))
                && CLIENT.iter().all(|s| self.client.is_free(&format!("{b}{s}")));
            if free {
                SERVER.iter().for_each(|s| self.server.take(format!("{b}{s}")));
                CLIENT.iter().for_each(|s| self.client.take(format!("{b}{s}")));
                return b;
            }
        }
        unreachable!("an unbounded sequence of candidates has a free one")
    }
}

fn plan_operation(op: &mut Operation, base: &str, client_method: String, in_body: bool, scopes: &mut Scopes) {
    let method = op.plan.method.clone();
    op.plan.handler = scopes.server.claim(&[method.clone(), format!("{method}_handler")], "_");
    op.plan.request = format!("{base}Request");
    op.plan.response = format!("{base}Response");
    op.plan.variants = variants(op, in_body);
    op.plan.error_arms = error_arms(&op.plan.variants);
    let has_errors = !op.plan.error_arms.is_empty() || in_body;
    op.plan.error = has_errors.then(|| format!("{base}Error"));
    let mut fields = Scope::with_items(BUILDER_ITEMS);
    op.plan.call_fields =
        op.params.iter().map(|p| fields.claim(&[p.field.clone(), format!("{}_param", p.field)], "_")).collect();
    op.plan.body_setter = op.body.as_ref().filter(|b| !b.required).map(|_| "body".to_string());
    op.plan.client_methods = client_methods(op, base, client_method, scopes);
    op.plan.headers = header_structs(op, base, scopes);
    op.plan.body = body_plan(op, base, scopes);
    op.plan.examples_test = scopes.examples.claim(&[method.clone(), format!("{method}_examples")], "_");
    op.plan.skipped_example_tests = op
        .json_contents()
        .into_iter()
        .flat_map(|(place, c)| {
            c.examples.iter().filter(|e| e.skip_round_trip.is_some()).map(move |e| (place.clone(), e.name.clone()))
        })
        .map(|(place, example)| {
            let test = scopes.examples.claim(&[format!("{method}_{}", field_ident(&example))], "_");
            (place, example, test)
        })
        .collect();
}

/// `<Op><Status>Headers` for each response that documents headers.
fn header_structs(op: &Operation, base: &str, scopes: &mut Scopes) -> Vec<Option<String>> {
    op.responses
        .iter()
        .map(|r| {
            let name = format!("{base}{}Headers", status_variant(r.status, None));
            (!r.headers.is_empty()).then(|| scopes.claim_both(&name))
        })
        .collect()
}

/// A body of one media type is passed as it is; several get an enum named after the operation.
fn body_plan(op: &Operation, base: &str, scopes: &mut Scopes) -> Option<BodyPlan> {
    let contents = &op.body.as_ref()?.contents;
    if contents.len() < 2 {
        return Some(BodyPlan::default());
    }
    let candidates = [format!("{base}Body"), format!("{base}RequestBody")];
    let numbered = (2..).map(|n| format!("{base}Body{n}"));
    let name = candidates
        .into_iter()
        .chain(numbered)
        .find(|n| scopes.client.is_free(n) && scopes.server.is_free(n))
        .expect("an unbounded sequence of candidates has a free one");
    scopes.client.take(name.clone());
    scopes.server.take(name.clone());
    let mut names = Scope::default();
    let variants = contents
        .iter()
        .map(|c| names.claim(&[media_variant(c.kind, &c.media_type), media_suffix(&c.media_type)], ""))
        .collect();
    Some(BodyPlan { choice: Some(name), variants })
}

/// The variant name of a media type in a body enum: `Json`, `Form`, `Multipart`, else from its subtype
/// (`text/x-markdown` -> `XMarkdown`).
fn media_variant(kind: BodyKind, media_type: &str) -> String {
    match kind {
        BodyKind::Json => "Json".into(),
        BodyKind::Form => "Form".into(),
        BodyKind::Multipart => "Multipart".into(),
        _ => media_suffix(media_type),
    }
}

/// One variant per documented (status, media type), in response order.
fn variants(op: &Operation, in_body: bool) -> Vec<Variant> {
    let mut names = Scope::with_items(if in_body { &["InBody"] } else { &[] });
    let mut out: Vec<Variant> = Vec::new();
    for (i, r) in op.responses.iter().enumerate() {
        if r.contents.is_empty() {
            let name = names.claim(&[status_variant(r.status, None)], "");
            out.push(Variant { name, status: r.status, response: i, content: None, guard: false });
        }
        let many = r.contents.len() > 1;
        for (j, c) in r.contents.iter().enumerate() {
            let media = many.then_some(c.media_type.as_str());
            let name = names.claim(&[status_variant(r.status, media)], "");
            out.push(Variant { name, status: r.status, response: i, content: Some(j), guard: false });
        }
    }
    // Several media types of one status are told apart by Content-Type, the last catching the rest.
    for i in 1..out.len() {
        if out[i].status == out[i - 1].status {
            out[i - 1].guard = true;
        }
    }
    out
}

fn error_arms(variants: &[Variant]) -> Vec<usize> {
    let errors = || (0..variants.len()).filter(|&i| !variants[i].status.is_success());
    errors().filter(|&i| !variants[i].is_catch_all()).chain(errors().filter(|&i| variants[i].is_catch_all())).collect()
}

/// Distinct media types of the success responses; one method each.
fn success_media(op: &Operation) -> Vec<&str> {
    let mut media: Vec<&str> = Vec::new();
    for c in op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.contents) {
        if !media.contains(&c.media_type.as_str()) {
            media.push(&c.media_type);
        }
    }
    media
}

fn client_methods(op: &Operation, base: &str, first: String, scopes: &mut Scopes) -> Vec<ClientMethod> {
    let media = success_media(op);
    let media: Vec<Option<&str>> = if media.is_empty() { vec![None] } else { media.into_iter().map(Some).collect() };
    let mut out = Vec::new();
    for (i, m) in media.iter().enumerate() {
        let suffix = if i == 0 { String::new() } else { m.map(media_suffix).unwrap_or_default() };
        let name = if i == 0 {
            first.clone()
        } else {
            scopes.client_methods.claim(&[format!("{first}_{}", field_ident(&suffix))], "_")
        };
        let successes = successes(op, *m);
        let delivery = delivery(op, *m);
        let success_enum = match (successes.len() > 1 && delivery == Delivery::Buffered, i) {
            (false, _) => None,
            (true, 0) => Some(format!("{base}Response")),
            (true, _) => Some(scopes.client.claim(&[format!("{base}{suffix}Response")], "")),
        };
        let paging = op.pagination.is_some() && delivery == Delivery::Buffered && i == 0;
        let test = scopes.e2e.claim(&[name.clone(), format!("{name}_operation")], "_");
        let builder = match i {
            0 => format!("{base}Builder"),
            _ => scopes.client.claim(&[format!("{base}{suffix}Builder")], ""),
        };
        out.push(ClientMethod {
            name,
            builder,
            media: m.map(str::to_string),
            delivery,
            success_enum,
            successes,
            paging,
            test,
        });
    }
    out
}

/// The successes a method of media type `media` returns; an empty body succeeds for every media type.
fn successes(op: &Operation, media: Option<&str>) -> Vec<(String, usize, Option<usize>)> {
    let mut out = Vec::new();
    for (i, r) in op.responses.iter().enumerate().filter(|(_, r)| r.status.is_success()) {
        match r.contents.iter().position(|c| Some(c.media_type.as_str()) == media) {
            Some(j) => out.push((status_variant(r.status, None), i, Some(j))),
            None if r.contents.is_empty() => out.push((status_variant(r.status, None), i, None)),
            None => {}
        }
    }
    out
}

fn delivery(op: &Operation, media: Option<&str>) -> Delivery {
    let content = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .flat_map(|r| &r.contents)
        .find(|c| Some(c.media_type.as_str()) == media);
    match content.map(|c| c.kind) {
        Some(BodyKind::Binary) => Delivery::Bytes,
        Some(BodyKind::EventStream) => Delivery::Events,
        _ => Delivery::Buffered,
    }
}

/// `text/xml` -> `Xml`, `application/vnd.api+json` -> `VndApiJson`.
fn media_suffix(media: &str) -> String {
    let essence = media.split(';').next().unwrap_or(media);
    type_ident(essence.rsplit('/').next().unwrap_or(essence))
}

/// The variant name of a response status: `Ok`, `NotFound`, `ClientError` for `4XX`, `Other`
/// for `default`; `media` tells apart several media types of one status.
fn status_variant(status: Status, media: Option<&str>) -> String {
    let base = match status {
        Status::Code(c) => reason(c).map_or_else(|| format!("Status{c}"), str::to_string),
        Status::Range(2) => "Success".to_string(),
        Status::Range(3) => "Redirection".to_string(),
        Status::Range(4) => "ClientError".to_string(),
        Status::Range(5) => "ServerError".to_string(),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Other".to_string(),
    };
    match media {
        Some(m) => format!("{base}{}", media_suffix(m)),
        None => base,
    }
}

/// Whether a method `name(&self, ..)` breaks the convention that `new` and `from_*` take no
/// `self` and `into_*` takes it by value (clippy's `wrong_self_convention`): an operation named
/// so keeps its name, and the generated method says why it is exempt.
pub fn breaks_self_convention(name: &str) -> bool {
    name == "new" || name.starts_with("from_") || name.starts_with("into_")
}

/// The name of `http::StatusCode`'s constant for `code`, when it has one of those named here.
pub fn status_const(code: u16) -> Option<String> {
    reason(code).map(heck::ToShoutySnakeCase::to_shouty_snake_case)
}

fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}
