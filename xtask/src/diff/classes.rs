//! The kinds of change and how each one is classified: the table the README shows.

use serde::Serialize;

/// How much a change matters to one audience. Ordered: `Information < NonBreaking < Breaking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Documentation, examples: nothing anyone relies on changes.
    Information,
    /// New capability; what worked before still works.
    NonBreaking,
    /// Something that worked before may stop working (or compiling).
    Breaking,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Information => "information",
            Class::NonBreaking => "non-breaking",
            Class::Breaking => "breaking",
        }
    }
}

/// Which way a schema's data flows in the operations that use it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Written by callers, read by the server (parameters, request bodies).
    pub request: bool,
    /// Written by the server, read by callers (response bodies and headers).
    pub response: bool,
}

impl Usage {
    pub const NONE: Usage = Usage { request: false, response: false };
    pub const REQUEST: Usage = Usage { request: true, response: false };
    pub const RESPONSE: Usage = Usage { request: false, response: true };
}

macro_rules! kinds {
    ($($variant:ident $id:literal $title:literal,)*) => {
        /// Every kind of change `cargo xtask diff` reports; the id is stable (JSON `kind`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        pub enum Kind {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl Kind {
            pub const ALL: &[Kind] = &[$(Kind::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(Kind::$variant => $id,)* }
            }

            pub fn title(self) -> &'static str {
                match self { $(Kind::$variant => $title,)* }
            }
        }
    };
}

kinds! {
    ApiAdded "api-added" "a whole spec added",
    ApiRemoved "api-removed" "a whole spec removed",
    ServerUrlChanged "server-url-changed" "the server URL's path changed",
    ErrorInSuccessChanged "error-in-200-changed" "`x-error-in-200` added, removed or retyped",
    SecuritySchemeChanged "security-scheme-changed" "a security scheme removed or changed (kind, header, query name)",
    OperationAdded "operation-added" "an operation added",
    OperationRemoved "operation-removed" "an operation removed",
    OperationRenamed "operation-renamed" "same method and path, new operationId",
    OperationMoved "operation-moved" "same operationId, new method or path",
    ParameterAddedRequired "parameter-added-required" "a required parameter added",
    ParameterAddedOptional "parameter-added-optional" "an optional parameter added",
    ParameterRemoved "parameter-removed" "a parameter removed",
    ParameterRequired "parameter-required" "a parameter made required",
    ParameterOptional "parameter-optional" "a parameter made optional",
    ParameterRetyped "parameter-retyped" "a parameter's type or format changed",
    ParameterSerialization "parameter-serialization" "a parameter's style or explode changed",
    RequestBodyAdded "request-body-added" "a request body added",
    RequestBodyRemoved "request-body-removed" "a request body removed",
    RequestBodyRequired "request-body-required" "a request body made required",
    RequestBodyOptional "request-body-optional" "a request body made optional",
    RequestMediaAdded "request-media-added" "a request media type added",
    RequestMediaRemoved "request-media-removed" "a request media type removed",
    ResponseAdded "response-added" "a response status added",
    ResponseRemoved "response-removed" "a response status removed",
    ResponseMediaAdded "response-media-added" "a response media type added",
    SuccessMediaAppended "success-media-appended" "a media type added to a success response after the operation's other success media types",
    ResponseMediaRemoved "response-media-removed" "a response media type removed",
    BodyRetyped "body-retyped" "a request or response body's schema replaced",
    BodyEncodingChanged "body-encoding-changed" "a form member's `encoding` style or a multipart part's `contentType` changed",
    ResponseHeaderAdded "response-header-added" "a header added to a response that documents others",
    ResponseHeadersAdded "response-headers-added" "the first header documented for a response",
    ResponseHeaderRemoved "response-header-removed" "a response header removed",
    ResponseHeaderRetyped "response-header-retyped" "a response header's schema replaced",
    ResponseHeaderRequired "response-header-required" "a response header became required",
    ResponseHeaderOptional "response-header-optional" "a response header became optional",
    SecurityAdded "security-added" "an operation accepts another security alternative",
    SecurityRemoved "security-removed" "an operation no longer accepts a security alternative",
    PaginationAdded "pagination-added" "`x-pagination` added",
    PaginationRemoved "pagination-removed" "`x-pagination` removed",
    PaginationChanged "pagination-changed" "`x-pagination` changed",
    TypeAdded "type-added" "a named schema added",
    TypeRemoved "type-removed" "a named schema removed",
    TypeRenamed "type-renamed" "a member, parameter or body now refers to another schema of the same wire shape",
    TypeReshaped "type-reshaped" "a schema became another kind (object, enum, union, alias)",
    MemberAddedRequired "member-added-required" "a required object member added",
    MemberAddedOptional "member-added-optional" "an optional object member added",
    MemberRemoved "member-removed" "an object member removed",
    MemberRequired "member-required" "a member made required",
    MemberOptional "member-optional" "a member made optional",
    MemberNullable "member-nullable" "a member made nullable",
    MemberNotNullable "member-not-nullable" "a member no longer nullable",
    MemberRetyped "member-retyped" "a member's or alias's type changed",
    FormatChanged "format-changed" "same JSON type, other format",
    ReadOnlyAdded "read-only-added" "a member made readOnly (or writeOnly dropped)",
    WriteOnlyAdded "write-only-added" "a member made writeOnly (or readOnly dropped)",
    AdditionalChanged "additional-properties-changed" "`additionalProperties` changed",
    EnumValueAdded "enum-value-added" "an enum value added",
    EnumValueRemoved "enum-value-removed" "an enum value removed",
    UnionVariantAdded "union-variant-added" "a `oneOf`/`anyOf` variant added",
    UnionVariantRemoved "union-variant-removed" "a `oneOf`/`anyOf` variant removed",
    DiscriminatorChanged "discriminator-changed" "a union's discriminator changed",
    LimitsTightened "limits-tightened" "a limit added or narrowed (length, range, items, ...)",
    LimitsLoosened "limits-loosened" "a limit removed or widened",
    PatternChanged "pattern-changed" "a `pattern` changed",
    DefaultChanged "default-changed" "a default value added, removed or changed",
    Deprecated "deprecated" "an operation, parameter, member or schema (un)deprecated",
    Documentation "documentation" "summary, description, tags, examples, titles",
}

use Class::{Breaking as B, Information as I, NonBreaking as N};

/// (callers, implementors) for data flowing in each direction, and the two crates; the client
/// crate by direction too (a struct callers write has a constructor, a response-only one not).
struct Rule {
    request: (Class, Class),
    response: (Class, Class),
    client: (Class, Class),
    server: Class,
    note: &'static str,
}

/// A rule that does not depend on the direction of data.
const fn fixed(http: (Class, Class), client: Class, server: Class, note: &'static str) -> Rule {
    Rule { request: http, response: http, client: (client, client), server, note }
}

const fn flow(
    request: (Class, Class),
    response: (Class, Class),
    client: Class,
    server: Class,
    note: &'static str,
) -> Rule {
    Rule { request, response, client: (client, client), server, note }
}

/// A flow rule whose client-crate class also depends on the direction: (request, response).
const fn flow_client(
    request: (Class, Class),
    response: (Class, Class),
    client: (Class, Class),
    server: Class,
    note: &'static str,
) -> Rule {
    Rule { request, response, client, server, note }
}

impl Kind {
    /// Operation-level kinds are classified the same whatever the usage; schema-level ones by
    /// the direction their data flows (both directions: the worse of the two).
    fn rule(self) -> Rule {
        use Kind::*;
        match self {
            ApiAdded => fixed((N, N), N, N, "new crates"),
            ApiRemoved => fixed((B, N), B, B, "the crates are no longer generated"),
            ServerUrlChanged => fixed((B, B), I, B, "the default base URL and the server's routes change"),
            ErrorInSuccessChanged => fixed((B, B), B, I, "the client's `InBody` error variants change"),
            SecuritySchemeChanged => fixed((B, B), I, I, "credentials are sent or checked differently"),
            OperationAdded => fixed((N, B), N, B, "a new client method; a new required `Api` trait method"),
            OperationRemoved => fixed((B, N), B, B, "a client method and an `Api` trait method disappear"),
            OperationRenamed => fixed((I, I), B, B, "the client method and the `Api` trait method are renamed"),
            OperationMoved => fixed((B, B), I, I, "same Rust names, another route"),
            ParameterAddedRequired => fixed((B, N), B, B, "a new method argument; a new request field"),
            ParameterAddedOptional => fixed((N, N), N, B, "a new setter of the call builder; a new request field"),
            ParameterRemoved => fixed((B, N), B, B, "an argument or builder setter and a request field disappear"),
            ParameterRequired => {
                fixed((B, N), B, B, "a builder setter becomes a method argument; a request field loses `Option`")
            }
            ParameterOptional => {
                fixed((N, B), B, B, "a method argument becomes a builder setter; a request field gains `Option`")
            }
            ParameterRetyped => fixed((B, B), B, B, "the argument's and the request field's type change"),
            ParameterSerialization => fixed((B, B), I, I, "encoded differently, same Rust types"),
            RequestBodyAdded => fixed((B, N), B, B, "a new `body` argument (or setter); a new request field"),
            RequestBodyRemoved => fixed((B, N), B, B, "the `body` argument or setter and request field disappear"),
            RequestBodyRequired => fixed((B, N), B, B, "the `body` setter becomes an argument"),
            RequestBodyOptional => fixed((N, B), B, B, "the `body` argument becomes a setter"),
            RequestMediaAdded => fixed((N, B), B, B, "the body argument's and request field's type change"),
            RequestMediaRemoved => fixed((B, N), B, B, "the body argument's and request field's type change"),
            ResponseAdded => fixed((B, N), B, B, "a new variant of the response or error enum"),
            ResponseRemoved => fixed((N, B), B, B, "a variant of the response or error enum disappears"),
            ResponseMediaAdded => fixed((N, N), B, B, "the response's Rust type changes"),
            SuccessMediaAppended => fixed((N, N), N, B, "a new client method; the server's response enum changes"),
            ResponseMediaRemoved => fixed((B, N), B, B, "the response's Rust type changes"),
            BodyRetyped => fixed((B, B), B, B, "the body's Rust type changes"),
            BodyEncodingChanged => fixed((B, I), I, I, "the body is written differently; its Rust type stays"),
            ResponseHeaderAdded => fixed(
                (N, N),
                N,
                B,
                "a new field of the `#[non_exhaustive]` `<Op><Status>Headers` in the client; exhaustive in the server",
            ),
            ResponseHeadersAdded => {
                fixed((N, N), B, B, "a new `<Op><Status>Headers` struct: the response's Rust type changes")
            }
            ResponseHeaderRemoved => fixed((B, N), B, B, "a field of the response's `<Op><Status>Headers` disappears"),
            ResponseHeaderRetyped => fixed((B, B), B, B, "the header field's Rust type changes"),
            ResponseHeaderRequired => {
                fixed((N, B), B, B, "the header field loses `Option`; implementors must now send it")
            }
            ResponseHeaderOptional => fixed((B, N), B, B, "the header field gains `Option`; callers may not get it"),
            SecurityAdded => fixed((N, B), I, I, "the security list inside the generated code changes"),
            SecurityRemoved => fixed((B, N), I, I, "the security list inside the generated code changes"),
            PaginationAdded => fixed((I, I), N, I, "a new `into_stream` of the call builder"),
            PaginationRemoved => fixed((I, I), B, I, "the call builder's `into_stream` disappears"),
            PaginationChanged => fixed((I, I), B, I, "the `into_stream` item type or walk changes"),
            TypeAdded => fixed((N, N), N, N, "a new type in `types`"),
            TypeRemoved => fixed((I, I), B, B, "a type disappears from `types`"),
            TypeRenamed => fixed((I, I), B, B, "the Rust type's name changes"),
            TypeReshaped => fixed((B, B), B, B, "a struct, enum or alias becomes another kind of type"),
            MemberAddedRequired => flow_client(
                (B, N),
                (N, B),
                (B, N),
                B,
                "a new field: a new `new` argument where callers write the struct; the server's structs are exhaustive",
            ),
            MemberAddedOptional => flow(
                (N, N),
                (N, N),
                N,
                B,
                "a new field of a `#[non_exhaustive]` client struct; exhaustive in the server",
            ),
            MemberRemoved => flow((B, N), (B, N), B, B, "a struct field disappears"),
            MemberRequired => flow((B, N), (N, B), B, B, "a field loses `Option`"),
            MemberOptional => flow((N, B), (B, N), B, B, "a field gains `Option`"),
            MemberNullable => flow((N, B), (B, N), B, B, "a field's type gains `Nullable`"),
            MemberNotNullable => flow((B, N), (N, B), B, B, "a field's type loses `Nullable`"),
            MemberRetyped => flow((B, B), (B, B), B, B, "a field's type changes"),
            FormatChanged => flow((B, B), (B, B), B, B, "the Rust type follows the format"),
            ReadOnlyAdded => flow((B, N), (N, B), B, B, "the field's type or secrecy may change"),
            WriteOnlyAdded => flow((N, B), (B, N), B, B, "the field's type or secrecy may change"),
            AdditionalChanged => {
                flow((B, B), (B, B), B, B, "the struct's extra-keys map or `deny_unknown_fields` changes")
            }
            EnumValueAdded => {
                flow((N, B), (B, N), N, B, "a new variant: `#[non_exhaustive]` in the client, exhaustive in the server")
            }
            EnumValueRemoved => flow((B, N), (N, B), B, B, "an enum variant disappears"),
            UnionVariantAdded => flow((N, B), (B, N), B, B, "a new union variant (exhaustive enums)"),
            UnionVariantRemoved => flow((B, N), (N, B), B, B, "a union variant disappears"),
            DiscriminatorChanged => flow((B, B), (B, B), B, B, "the union's serde tagging changes"),
            LimitsTightened => flow((B, N), (N, B), I, I, "validation only; documented limits change"),
            LimitsLoosened => flow((N, B), (B, N), I, I, "validation only; documented limits change"),
            PatternChanged => flow((B, B), (B, B), I, I, "validation only"),
            DefaultChanged => flow((B, B), (I, I), I, I, "serde defaults and docs change, not types"),
            Deprecated => fixed((I, I), N, N, "`#[deprecated]` added or removed"),
            Documentation => fixed((I, I), I, I, "doc comments change"),
        }
    }

    /// Whether the classification depends on which way the data flows.
    pub fn flows(self) -> bool {
        let r = self.rule();
        r.request != r.response
    }

    pub fn effects(self, usage: Usage) -> Effects {
        let r = self.rule();
        let directions = [(usage.request, r.request), (usage.response, r.response)];
        let used = directions.iter().filter(|(on, _)| *on).map(|(_, c)| *c);
        let (callers, implementors) =
            if self.flows() { used.fold((I, I), |(a, b), (c, d)| (a.max(c), b.max(d))) } else { r.request };
        // A type no operation uses is a response-only type (no constructor).
        let client_directions = [(usage.request, r.client.0), (usage.response || !usage.request, r.client.1)];
        let client_crate = client_directions.iter().filter(|(on, _)| *on).map(|(_, c)| *c).fold(I, Class::max);
        Effects { callers, implementors, client_crate, server_crate: r.server }
    }

    pub fn rust_note(self) -> &'static str {
        self.rule().note
    }

    /// The README table: one row per kind.
    pub fn table() -> String {
        let mut out = String::from(
            "| kind | change | HTTP callers | server implementors | `-client` crate | `-server` crate |\n|---|---|---|---|---|---|\n",
        );
        for kind in Kind::ALL {
            let r = kind.rule();
            let by_flow = |(q, s): (Class, Class)| {
                if q == s {
                    q.as_str().to_string()
                } else {
                    format!("request: {}, response: {}", q.as_str(), s.as_str())
                }
            };
            let http = |pick: fn(&(Class, Class)) -> Class| by_flow((pick(&r.request), pick(&r.response)));
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                kind.id(),
                kind.title(),
                http(|p| p.0),
                http(|p| p.1),
                by_flow(r.client),
                r.server.as_str()
            ));
        }
        out
    }
}

use super::Effects;
