//! How each operation answers the errors the server itself raises (400, 401, 413, 415, 422):
//! in the response the operation documents for that status, with its media type and a body
//! that fits its schema.
//!
//! An RFC 7807-shaped schema (members among `type`, `title`, `status`, `detail`, `instance`) is
//! filled by member name. Any other shape declares where each problem member goes with
//! `x-problem` on the schema: `{<JSON pointer into the body>: <member>}`; a pointer that does not
//! resolve, a member that is not one of [`MEMBERS`] or a target of the wrong type is a located
//! error. A status documented without a body is answered without one; a status with no usable
//! shape keeps `application/problem+json`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Additional, BodyKind, Operation, Primitive, Status, TypeDef, TypeKind, TypeRef};
use crate::spec::{Diagnostic, Spec, push_pointer};

/// The statuses the generated server answers by itself.
pub const FRAMEWORK_STATUSES: [u16; 5] = [400, 401, 413, 415, 422];

/// The problem members a body can carry, by the names `x-problem` uses.
pub const MEMBERS: [&str; 7] = ["type", "title", "status", "detail", "instance", "pointer", "parameter"];

/// One documented error response the server's own problems are rendered into.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorShape {
    /// A code, a range (`4XX`) or `default`.
    pub status: Status,
    /// The documented media type; empty when the response has no body.
    pub media: String,
    /// Where each problem member goes: (JSON pointer into the body, member).
    pub members: Vec<(String, Member)>,
    /// The schema admits other members: the problem's extension members are kept.
    pub extensions: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Type,
    Title,
    /// The status as a number.
    Status,
    /// The status as a string (JSON:API).
    StatusText,
    Detail,
    Instance,
    Pointer,
    Parameter,
}

impl Member {
    fn from_name(name: &str, ty: &TypeRef) -> Option<Member> {
        let text = matches!(ty, TypeRef::Primitive(Primitive::String));
        let number =
            matches!(ty, TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64));
        match name {
            "type" if text => Some(Member::Type),
            "title" if text => Some(Member::Title),
            "status" if number => Some(Member::Status),
            "status" if text => Some(Member::StatusText),
            "detail" if text => Some(Member::Detail),
            "instance" if text => Some(Member::Instance),
            "pointer" if text => Some(Member::Pointer),
            "parameter" if text => Some(Member::Parameter),
            _ => None,
        }
    }
}

/// The shapes of every operation's framework-error responses, by `operation_id`, and the
/// diagnostics of every `x-problem` in the spec.
pub fn error_shapes(
    spec: &Spec,
    types: &BTreeMap<String, TypeDef>,
    operations: &[Operation],
) -> (BTreeMap<String, Vec<ErrorShape>>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut mapped: BTreeMap<String, Vec<(String, Member)>> = BTreeMap::new();
    for def in types.values() {
        let at = push_pointer(&def.origin, "x-problem");
        if let Some(raw) = spec.raw(&at) {
            match mapping(spec, types, &at, raw, &TypeRef::Named(def.name.clone())) {
                Ok(members) => {
                    mapped.insert(def.name.clone(), members);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    let shapes = operations
        .iter()
        .map(|op| (op.operation_id.clone(), op.responses.iter().filter_map(|r| shape(types, &mapped, r)).collect()))
        .collect();
    (shapes, errors)
}

fn shape(
    types: &BTreeMap<String, TypeDef>,
    mapped: &BTreeMap<String, Vec<(String, Member)>>,
    response: &super::Response,
) -> Option<ErrorShape> {
    let framework = match response.status {
        Status::Code(code) => FRAMEWORK_STATUSES.contains(&code),
        Status::Range(range) => range == 4,
        Status::Default => true,
    };
    if !framework {
        return None;
    }
    if response.contents.is_empty() {
        return Some(ErrorShape {
            status: response.status,
            media: String::new(),
            members: Vec::new(),
            extensions: false,
        });
    }
    let content = response.contents.iter().find(|c| c.kind == BodyKind::Json);
    match content.and_then(|c| Some((c, body_shape(types, mapped, c.ty.as_ref()?)?))) {
        Some((content, (members, extensions))) => {
            Some(ErrorShape { status: response.status, media: content.media_type.clone(), members, extensions })
        }
        // Documented in a shape problems have no mapping into: a problem document, as without
        // documentation, but the status still counts as documented (a 400 takes validation failures).
        None => Some(ErrorShape {
            status: response.status,
            media: "application/problem+json".into(),
            members: Vec::new(),
            extensions: true,
        }),
    }
}

/// The members of a body of type `ty`: its `x-problem`, its RFC 7807 members, or those of the
/// first `oneOf`/`anyOf` variant that has either.
fn body_shape(
    types: &BTreeMap<String, TypeDef>,
    mapped: &BTreeMap<String, Vec<(String, Member)>>,
    ty: &TypeRef,
) -> Option<(Vec<(String, Member)>, bool)> {
    body_shape_within(types, mapped, ty, &mut BTreeSet::new())
}

/// `body_shape`, visiting each named type once: unions and aliases that refer to each other
/// (or to themselves) would otherwise be walked again on every path, without end in practice.
fn body_shape_within<'a>(
    types: &'a BTreeMap<String, TypeDef>,
    mapped: &BTreeMap<String, Vec<(String, Member)>>,
    ty: &'a TypeRef,
    seen: &mut BTreeSet<&'a str>,
) -> Option<(Vec<(String, Member)>, bool)> {
    let TypeRef::Named(name) = ty else { return None };
    if !seen.insert(name.as_str()) {
        return None;
    }
    if let Some(members) = mapped.get(name) {
        return Some((members.clone(), false));
    }
    match &types.get(name)?.kind {
        TypeKind::Struct(s) => {
            // RFC 7807-shaped: a `title` or `status` member, and every required member a problem
            // member; other optional members are left out.
            let member = |f: &super::Field| {
                Member::from_name(&f.json_name, &f.ty).filter(|m| !matches!(m, Member::Pointer | Member::Parameter))
            };
            if s.fields.iter().any(|f| f.required && member(f).is_none()) {
                return None;
            }
            let members: Vec<(String, Member)> =
                s.fields.iter().filter_map(|f| Some((format!("/{}", f.json_name), member(f)?))).collect();
            if !members.iter().any(|(_, m)| matches!(m, Member::Title | Member::Status | Member::StatusText)) {
                return None;
            }
            let extensions =
                matches!(s.additional, Additional::Ignore) || s.additional == Additional::Map(TypeRef::Any);
            Some((members, extensions))
        }
        TypeKind::Union(u) => u.variants.iter().find_map(|v| body_shape_within(types, mapped, &v.ty, seen)),
        TypeKind::Alias { ty, .. } => body_shape_within(types, mapped, ty, seen),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => None,
    }
}

/// Reads and checks one `x-problem` of type `ty`.
fn mapping(
    spec: &Spec,
    types: &BTreeMap<String, TypeDef>,
    at: &str,
    raw: &Value,
    ty: &TypeRef,
) -> Result<Vec<(String, Member)>, Vec<Diagnostic>> {
    let Value::Object(entries) = raw else {
        return Err(vec![spec.error(
            at,
            "`x-problem` maps JSON pointers into the body to problem members, e.g. `/error/message: detail`",
        )]);
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (pointer, member) in entries {
        let here = push_pointer(at, pointer);
        let Some(name) = member.as_str().filter(|m| MEMBERS.contains(m)) else {
            errors.push(spec.error(&here, format!("unknown problem member {member}; one of {}", MEMBERS.join(", "))));
            continue;
        };
        let target = match resolve(types, ty, pointer) {
            Ok(target) => target,
            Err(message) => {
                errors.push(spec.error(&here, message));
                continue;
            }
        };
        match Member::from_name(name, &target) {
            Some(m) => out.push((pointer.clone(), m)),
            None => errors.push(spec.error(
                &here,
                format!("`{pointer}` cannot hold the problem's `{name}` (a string; `status` also an integer)"),
            )),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The type at `pointer` inside a body of type `ty`: object members by name, array items by index.
fn resolve(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, pointer: &str) -> Result<TypeRef, String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("`{pointer}` is not a JSON pointer (one starts with `/`)"));
    };
    let mut current = ty.clone();
    for token in rest.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = step(types, &current, &token)
            .ok_or_else(|| format!("`{pointer}`: the body has no member `{token}` there"))?;
    }
    Ok(current)
}

fn step(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, token: &str) -> Option<TypeRef> {
    match ty {
        TypeRef::Array(item) if token.parse::<usize>().is_ok() => Some((**item).clone()),
        TypeRef::Map(value) => Some((**value).clone()),
        TypeRef::Named(name) => match &types.get(name)?.kind {
            TypeKind::Struct(s) => s.fields.iter().find(|f| f.json_name == token).map(|f| f.ty.clone()),
            TypeKind::Alias { ty, .. } => step(types, ty, token),
            _ => None,
        },
        _ => None,
    }
}
