//! Where an error body carries the service's own message (an RFC 7807 `detail`, a vendor's
//! error text), so that a client error's `Display` can say it.

use super::{Api, Presence, Primitive, TypeDef, TypeKind, TypeRef};

/// Member names that carry a human-readable message, most specific first: RFC 7807 `detail`
/// before its `title`, a vendor's `message`/`details` before an error code such as `error`.
const MESSAGE_MEMBERS: &[&str] =
    &["detail", "message", "details", "error_description", "errorMessage", "title", "error", "reason", "description"];

/// How deep envelopes (`{"badRequest": {"message": ..}}`, `{"errors": [{"detail": ..}]}`)
/// are searched.
const MAX_DEPTH: usize = 3;

/// One step from an error body to its message.
#[derive(Debug, Clone, PartialEq)]
pub enum Hop {
    /// A struct field, by its Rust name and how it may be missing.
    Field { name: String, presence: Presence },
    /// The first item of an array.
    First,
}

/// Steps to a `String`; the message is the first path that reaches one.
pub type MessagePath = Vec<Hop>;

/// A union error body: its Rust name and, per variant by name, where that variant's message is.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionMessages {
    pub union: String,
    pub variants: Vec<(String, Vec<MessagePath>)>,
}

impl Api {
    /// Where the message is in a JSON error body of type `ty`: the paths to try in order,
    /// none when the body carries no string member that reads as one.
    pub fn message_paths(&self, ty: &TypeRef) -> Vec<MessagePath> {
        self.paths_in(ty, MAX_DEPTH)
    }

    /// For an error body that is a union (`oneOf` of error shapes): the union's name and, per
    /// variant, where its message is (an empty path: the variant is the message itself).
    pub fn union_message_paths(&self, ty: &TypeRef) -> Option<UnionMessages> {
        let TypeRef::Named(name) = ty else { return None };
        let def = self.resolve(name)?;
        let TypeKind::Union(union) = &def.kind else { return None };
        let variants = union
            .variants
            .iter()
            .map(|v| {
                let paths = match &v.ty {
                    _ if v.secret => Vec::new(),
                    TypeRef::Primitive(Primitive::String) => vec![Vec::new()],
                    other => self.paths_in(other, MAX_DEPTH - 1),
                };
                (v.name.clone(), paths)
            })
            .collect();
        Some(UnionMessages { union: def.name.clone(), variants })
    }

    fn paths_in(&self, ty: &TypeRef, depth: usize) -> Vec<MessagePath> {
        if depth == 0 {
            return Vec::new();
        }
        let def = match ty {
            TypeRef::Named(name) => self.resolve(name),
            TypeRef::Array(item) => return prefixed(Hop::First, self.paths_in(item, depth - 1)),
            _ => None,
        };
        let Some(TypeKind::Struct(s)) = def.map(|d| &d.kind) else { return Vec::new() };
        // Deprecated members would warn where the generated code reads them; secrets are never shown.
        let fields: Vec<_> = s.fields.iter().filter(|f| !f.deprecated && !f.secret).collect();
        let is_text = |ty: &TypeRef| *ty == TypeRef::Primitive(Primitive::String);
        let direct: Vec<MessagePath> = MESSAGE_MEMBERS
            .iter()
            .filter_map(|member| fields.iter().find(|f| f.json_name.eq_ignore_ascii_case(member) && is_text(&f.ty)))
            .map(|f| vec![Hop::Field { name: f.name.clone(), presence: f.presence }])
            .collect();
        // `{"computeFault": "Number of mailboxes exceeded"}`: the one member is the message.
        let only = match fields.as_slice() {
            [only] if direct.is_empty() && is_text(&only.ty) => {
                Some(vec![Hop::Field { name: only.name.clone(), presence: only.presence }])
            }
            _ => None,
        };
        // Then the first member that wraps a message (an envelope, a list of errors); it is
        // tried after the direct members, which may be sent empty.
        let nested = fields
            .iter()
            .map(|f| {
                let hop = Hop::Field { name: f.name.clone(), presence: f.presence };
                prefixed(hop, self.paths_in(&f.ty, depth - 1))
            })
            .find(|paths| !paths.is_empty())
            .unwrap_or_default();
        direct.into_iter().chain(only).chain(nested).collect()
    }

    /// The definition behind `name`, through aliases of other named types.
    fn resolve(&self, name: &str) -> Option<&TypeDef> {
        let mut def = self.types.iter().find(|t| t.name == name)?;
        for _ in 0..self.types.len() {
            match &def.kind {
                TypeKind::Alias { ty: TypeRef::Named(next), .. } => {
                    def = self.types.iter().find(|t| &t.name == next)?
                }
                _ => return Some(def),
            }
        }
        None
    }
}

fn prefixed(hop: Hop, paths: Vec<MessagePath>) -> Vec<MessagePath> {
    paths
        .into_iter()
        .map(|rest| {
            let mut path = vec![hop.clone()];
            path.extend(rest);
            path
        })
        .collect()
}
