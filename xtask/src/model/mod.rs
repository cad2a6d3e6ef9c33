//! The vendor-neutral API model that every emitter reads.
//!
//! Built from a loaded spec by [`build`]; names are already Rust identifiers, types are already
//! resolved, and everything is in a deterministic order.

mod build;
mod errors;
mod example;
mod message;
mod minimal;
mod names;
mod plan;
mod schema;

pub use build::build;
pub use errors::{ErrorShape, Member};
pub use example::CallExample;
pub use message::{Hop, MessagePath, UnionMessages};
pub use minimal::minimal_value;
pub use names::{doc_text, field_ident, type_ident, variant_ident};
pub use plan::{
    BodyPlan, ClientMethod, Delivery, Plan, Presence, Variant, breaks_self_convention, constructor, evolving_structs,
    status_const,
};

/// One API: what a client crate and a server crate are generated from.
#[derive(Debug, Clone)]
pub struct Api {
    /// The crate stem, e.g. `acme-mail`.
    pub name: String,
    /// The spec path as written in generated headers, e.g. `specs/acme-mail.yaml`.
    pub source: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, e.g. `https://{host}/api`.
    pub server_url: Option<String>,
    /// The path part of the server URL, without a trailing slash (`/api`, or empty).
    pub base_path: String,
    pub security_schemes: Vec<SecurityScheme>,
    /// Security that applies when an operation declares none.
    pub default_security: Vec<SecurityAlternative>,
    pub operations: Vec<Operation>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Set when the vendor reports errors inside 2xx bodies (`x-error-in-200`).
    pub error_in_success: Option<TypeRef>,
    /// What the generator read differently from the spec as written, located.
    pub warnings: Vec<crate::spec::Diagnostic>,
    /// By `operation_id`: the documented responses the server's own errors are rendered into.
    pub error_shapes: std::collections::BTreeMap<String, Vec<ErrorShape>>,
    /// Named types a caller writes: reachable from a parameter or a request body (see
    /// [`plan::constructor`]).
    pub written_by_callers: std::collections::BTreeSet<String>,
    /// What the service sends to others: its webhooks (3.1) and the callbacks of its
    /// operations, each read as an operation a receiver serves (see [`Role::Receiver`]).
    pub receivers: Vec<Operation>,
    /// `error_shapes` of the receivers.
    pub receiver_error_shapes: std::collections::BTreeMap<String, Vec<ErrorShape>>,
    /// Whether this is the API itself or the view of its receivers the server crate's
    /// `webhooks` module is rendered from.
    pub role: Role,
}

/// Which server trait an [`Api`] renders into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The service's own operations: the `Api` trait and `router`.
    Service,
    /// Requests the service sends (webhooks, callbacks): the `Webhooks` trait and its `router`.
    Receiver,
}

impl Api {
    /// The name of the trait the server implements.
    pub fn trait_name(&self) -> &'static str {
        match self.role {
            Role::Service => "Api",
            Role::Receiver => "Webhooks",
        }
    }

    /// The receivers as an API of their own, to render the `webhooks` module from; `None`
    /// when the spec documents no webhook or callback.
    pub fn receiver_view(&self) -> Option<Api> {
        if self.receivers.is_empty() {
            return None;
        }
        Some(Api {
            base_path: String::new(),
            operations: self.receivers.clone(),
            error_in_success: None,
            error_shapes: self.receiver_error_shapes.clone(),
            receivers: Vec::new(),
            receiver_error_shapes: Default::default(),
            role: Role::Receiver,
            ..self.clone()
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The name under `components.securitySchemes`.
    pub name: String,
    /// The SCREAMING_SNAKE_CASE constant the generated crates declare for it.
    pub const_name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    Basic,
    /// HTTP bearer, OAuth2 and OpenID Connect: a token in `Authorization: Bearer`.
    Bearer,
    ApiKeyHeader(String),
    ApiKeyQuery(String),
}

/// Scheme names that must all be satisfied; empty means anonymous access.
pub type SecurityAlternative = Vec<String>;

#[derive(Debug, Clone)]
pub struct Operation {
    /// As written in the spec (or derived from method and path when absent).
    pub operation_id: String,
    /// The spec gives the operationId (rather than it being derived from method and path).
    pub explicit_id: bool,
    pub method: Method,
    /// The path template, e.g. `/principal/{principal_id}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    pub security: Vec<SecurityAlternative>,
    /// How to walk all pages of a list operation (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// For a receiver's operation: what the service sends, in words (`the webhook `newPet``).
    pub sent_as: Option<String>,
    /// The JSON pointer of the operation in the spec (`/paths/~1items/get`,
    /// `/webhooks/newPet/post`, `.../callbacks/onEvent/{$request.body#~1url}/post`).
    pub origin: String,
    /// Every Rust name and response variant the operation produces.
    pub plan: Plan,
}

impl Operation {
    /// The path as the server's router holds it: each parameter takes its whole segment
    /// (`/calls/{sid}.json` is routed as `/calls/{sid}`; the handler strips `.json`).
    pub fn route(&self) -> String {
        let segments: Vec<String> = self
            .path
            .split('/')
            .map(|segment| match (segment.find('{'), segment.rfind('}')) {
                (Some(start), Some(end)) if start < end => segment[start..=end].to_string(),
                _ => segment.to_string(),
            })
            .collect();
        segments.join("/")
    }
}

/// `x-pagination`: where the items are and how to reach the next page.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Field path from the success body to the items array.
    pub items: Vec<Step>,
    pub item: TypeRef,
    pub next: NextPage,
}

#[derive(Debug, Clone)]
pub enum NextPage {
    /// Increment the page-number parameter (its `field`) until `total` items
    /// were seen or a page comes back empty.
    Number { param: String, ty: TypeRef, total: Option<(Vec<Step>, TypeRef)> },
    /// Follow the URL at this field path until it is absent.
    Link(Vec<Step>),
}

/// One field access on the way to a value inside a response body.
#[derive(Debug, Clone)]
pub struct Step {
    pub field: String,
    /// The field is `Option<T>` (or `Nullable<T>` when `nullable`).
    pub optional: bool,
    pub nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Param {
    /// The wire name, e.g. `page[size]`.
    pub name: String,
    /// snake_case Rust name, unique within the operation.
    pub field: String,
    pub location: ParamLocation,
    /// Required (path parameters always are) or optional.
    pub presence: Presence,
    pub style: ParamStyle,
    pub explode: bool,
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub description: Option<String>,
    pub deprecated: bool,
    pub examples: Vec<Example>,
    /// For a path parameter, the literal text around it in its segment: `{sid}.json` has the
    /// suffix `.json`. The router matches the whole segment; the server strips these.
    pub affixes: (String, String),
    /// The schema's `default`: what the server assumes when the parameter is left out.
    pub default: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    pub contents: Vec<Content>,
}

/// How a media type is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json`, `*/*+json`, with or without parameters.
    Json,
    /// Text kept as a `String` (`text/plain`, `text/xml`, `application/xml`, ...).
    Text,
    /// Raw bytes (`application/octet-stream`, `message/rfc822`, `format: binary`).
    Binary,
    /// `text/event-stream`.
    EventStream,
    /// `application/x-www-form-urlencoded`: an object's members as form pairs, each in its
    /// `encoding` style (JSON text for nested objects).
    Form,
    /// `multipart/form-data`: an object's members as parts (files as
    /// [`Primitive::File`], objects as JSON, arrays as one part per item).
    Multipart,
}

/// The `Content-Type` of one member's part of a multipart body (its `encoding.contentType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartEncoding {
    /// The member's JSON name.
    pub name: String,
    /// The media type its part is sent with (the first, when the spec lists several).
    pub content_type: String,
}

/// How one member of a form body is written (its entry in the media type's `encoding`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEncoding {
    /// The member's JSON name.
    pub name: String,
    pub style: ParamStyle,
    pub explode: bool,
}

#[derive(Debug, Clone)]
pub struct Content {
    /// Exactly as written in the spec, e.g. `application/json; api-version=1.0`.
    pub media_type: String,
    pub kind: BodyKind,
    /// The body type (for JSON), or the schema the text/XML/SSE data follows.
    pub ty: Option<TypeRef>,
    pub examples: Vec<Example>,
    /// Form bodies: the members whose encoding differs from `style: form, explode: true`.
    pub encoding: Vec<MemberEncoding>,
    /// Multipart bodies: the members whose part has a `contentType` of its own.
    pub parts: Vec<PartEncoding>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub value: serde_json::Value,
    /// `x-skip-round-trip`: why the example does not round-trip through its type (a documented
    /// invalid request, say); its generated test is ignored with this reason.
    pub skip_round_trip: Option<String>,
    /// Made by the generator, not written in the spec: the `minimal` example of a success
    /// documented without one (what the mock answers). Not part of the spec's documentation.
    pub synthesized: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    Default,
}

impl Status {
    /// As the spec writes it: `404`, `4XX`, `default`.
    pub fn key(self) -> String {
        match self {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "default".to_string(),
        }
    }

    /// For documentation: `404`, `4XX`, `Any other status`.
    pub fn label(self) -> String {
        match self {
            Status::Default => "Any other status".to_string(),
            other => other.key(),
        }
    }

    /// The status a server sends for this key when it must pick one (`4XX` -> 400, `default` -> 500).
    pub fn representative(self) -> u16 {
        match self {
            Status::Code(c) => c,
            Status::Range(r) => u16::from(r) * 100,
            Status::Default => 500,
        }
    }

    /// Whether `status` is one this key documents.
    pub fn matches(self, status: u16) -> bool {
        match self {
            Status::Code(c) => c == status,
            Status::Range(r) => u16::from(r) == status / 100,
            Status::Default => true,
        }
    }

    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub description: String,
    pub contents: Vec<Content>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone)]
pub struct ResponseHeader {
    /// As the spec writes it, e.g. `X-RateLimit-Remaining`.
    pub name: String,
    /// snake_case Rust name, unique among the response's headers.
    pub field: String,
    pub description: Option<String>,
    pub required: bool,
    /// A scalar, or a list of scalars (comma-separated on the wire, `style: simple`).
    pub ty: TypeRef,
    /// The documented example, or for a required header without one the smallest value its
    /// schema accepts (what the mock sends).
    pub example: Option<serde_json::Value>,
    /// Where it is in the spec (after `$ref`), for diagnostics.
    pub pointer: String,
}

/// A reference to a type: a named [`TypeDef`] or a structural type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(String),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    /// `format: byte`: base64 in JSON.
    Base64,
    /// `format: binary` as a whole body.
    Bytes,
    /// `format: binary` (or a 3.1 `contentMediaType`) as a member of a multipart body: a file
    /// part with its bytes, media type and file name.
    File,
    /// A value that can only be `null` (`enum: [null]`, as dropshot writes `()`).
    Unit,
}

/// Validation limits carried over from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<serde_json::Number>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
}

impl Constraints {
    /// Takes each limit of `from` that `self` does not set.
    pub fn merge_missing(&mut self, from: &Constraints) {
        self.min_length = self.min_length.or(from.min_length);
        self.max_length = self.max_length.or(from.max_length);
        self.pattern = self.pattern.take().or_else(|| from.pattern.clone());
        self.minimum = self.minimum.take().or_else(|| from.minimum.clone());
        self.maximum = self.maximum.take().or_else(|| from.maximum.clone());
        self.exclusive_minimum |= from.exclusive_minimum;
        self.exclusive_maximum |= from.exclusive_maximum;
        self.multiple_of = self.multiple_of.take().or_else(|| from.multiple_of.clone());
        self.min_items = self.min_items.or(from.min_items);
        self.max_items = self.max_items.or(from.max_items);
        self.unique_items |= from.unique_items;
        self.min_properties = self.min_properties.or(from.min_properties);
        self.max_properties = self.max_properties.or(from.max_properties);
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique in the API.
    pub name: String,
    /// Where it came from: a component name or a JSON pointer of an inline schema.
    pub origin: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(Vec<EnumValue<String>>),
    IntEnum(Vec<EnumValue<i64>>),
    /// `oneOf`/`anyOf`.
    Union(Union),
    /// A named alias of another type, e.g. a component that is just `type: string`.
    Alias {
        ty: TypeRef,
        constraints: Constraints,
    },
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub additional: Additional,
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// Unknown keys are ignored (the default).
    Ignore,
    /// `additionalProperties: false`.
    Deny,
    /// `additionalProperties: <schema>`: collected in a map beside the fields.
    Map(TypeRef),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub json_name: String,
    /// snake_case Rust name, unique in the struct.
    pub name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Optional when not required, or read-only or write-only (each travels one way only).
    pub presence: Presence,
    /// As a server reads requests: a required writeOnly member is required (OpenAPI 3.0:
    /// required in requests, absent from responses); optional when not required or read-only.
    pub server_presence: Presence,
    pub read_only: bool,
    pub write_only: bool,
    /// writeOnly or `format: password`: a value that must never be printed.
    pub secret: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub constraints: Constraints,
    pub default: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct EnumValue<T> {
    pub value: T,
    /// UpperCamelCase variant name, unique in the enum.
    pub variant: String,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when there is one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// `format: password` or writeOnly: a value that must never be printed.
    pub secret: bool,
}

/// Which of an API's two crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

impl Api {
    /// The package name of one of the API's crates: `acme-mail-client`.
    pub fn crate_name(&self, side: Side) -> String {
        format!("{}-{}", self.name, side.as_str())
    }

    /// The crate's name in Rust paths: `acme_mail_client`.
    pub fn lib_name(&self, side: Side) -> String {
        self.crate_name(side).replace('-', "_")
    }

    /// Raw (binary or text) request or response bodies are `bytes::Bytes`.
    pub fn uses_bytes(&self) -> bool {
        self.operations.iter().chain(&self.receivers).any(|op| {
            let body = op.body.iter().flat_map(|b| &b.contents);
            let responses = op.responses.iter().flat_map(|r| &r.contents);
            body.chain(responses).any(|c| matches!(c.kind, BodyKind::Binary | BodyKind::Text))
        })
    }

    /// Some request body is `multipart/form-data` (its file parts are `FilePart`s).
    pub fn uses_multipart(&self) -> bool {
        let bodies = self.operations.iter().flat_map(|op| op.body.iter().flat_map(|b| &b.contents));
        bodies.into_iter().any(|c| c.kind == BodyKind::Multipart)
    }

    /// Dates or date-times appear somewhere, as `chrono` types.
    pub fn uses_chrono(&self) -> bool {
        fn walk(ty: &TypeRef) -> bool {
            match ty {
                TypeRef::Primitive(Primitive::DateTime | Primitive::Date) => true,
                TypeRef::Array(inner) | TypeRef::Map(inner) => walk(inner),
                _ => false,
            }
        }
        let in_types = self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().any(|f| walk(&f.ty)) || matches!(&s.additional, Additional::Map(t) if walk(t))
            }
            TypeKind::Alias { ty, .. } => walk(ty),
            TypeKind::Union(u) => u.variants.iter().any(|v| walk(&v.ty)),
            _ => false,
        });
        in_types || self.operations.iter().chain(&self.receivers).flat_map(|op| &op.params).any(|p| walk(&p.ty))
    }
}
