//! Security requirement tables shared by the client and the server.
//!
//! Generated code describes an operation's security as
//! `&'static [&'static [Scheme]]`: a list of alternatives, each a list of
//! schemes that must all apply. An empty alternative allows anonymous calls;
//! an empty list means the operation has no security at all.

/// How a scheme carries its credential. OAuth2 and OpenID Connect schemes
/// are emitted as [`SchemeKind::Bearer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemeKind {
    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    Basic,
    /// HTTP Bearer: `Authorization: Bearer <token>`.
    Bearer,
    /// API key in the named request header.
    ApiKeyHeader(&'static str),
    /// API key in the named query parameter.
    ApiKeyQuery(&'static str),
}

/// One security scheme of the spec, by its name in `components.securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// Where the credential goes.
    pub kind: SchemeKind,
}

/// An operation's security: alternatives, each a list of schemes that must all apply.
pub type Security = &'static [&'static [Scheme]];
