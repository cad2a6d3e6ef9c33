//! The smallest value a schema accepts, for a mock answering an operation whose spec documents
//! no success example: required members only, each at its lower limit, the first enum value,
//! the first union member. `None` where no such value can be derived (a `pattern` to satisfy).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Constraints, Primitive, TypeDef, TypeKind, TypeRef};

/// Nesting beyond this is a recursive type: no finite smallest value is sought.
const MAX_DEPTH: usize = 16;

/// The longest string or array built: a limit's magnitude never sizes the mock (a `minItems` of
/// 2^63 gets no example, not a capacity overflow).
const MAX_LEN: u64 = 1024;

/// `limit` as a length, when it is within [`MAX_LEN`].
fn bounded(limit: Option<u64>) -> Option<usize> {
    let limit = limit.unwrap_or(0);
    (limit <= MAX_LEN).then_some(limit as usize)
}

/// The smallest value of `ty` (a response body: readOnly members included, writeOnly left out).
pub fn minimal_value(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> Option<Value> {
    value(ty, &Constraints::default(), types, 0)
}

fn value(ty: &TypeRef, limits: &Constraints, types: &BTreeMap<&str, &TypeDef>, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    match ty {
        TypeRef::Primitive(p) => primitive(*p, limits),
        TypeRef::Array(item) => {
            let count = bounded(limits.min_items)?;
            let item = if count > 0 { value(item, &Constraints::default(), types, depth + 1)? } else { Value::Null };
            Some(Value::Array(vec![item; count]))
        }
        TypeRef::Map(_) | TypeRef::Any => (limits.min_properties.unwrap_or(0) == 0).then(|| json!({})),
        TypeRef::Named(name) => named(types.get(name.as_str())?, limits, types, depth),
    }
}

fn named(def: &TypeDef, limits: &Constraints, types: &BTreeMap<&str, &TypeDef>, depth: usize) -> Option<Value> {
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut members = Map::new();
            for f in s.fields.iter().filter(|f| f.required && !f.write_only) {
                let member = if f.nullable { Value::Null } else { value(&f.ty, &f.constraints, types, depth + 1)? };
                members.insert(f.json_name.clone(), member);
            }
            (members.len() as u64 >= s.constraints.min_properties.unwrap_or(0)).then_some(Value::Object(members))
        }
        TypeKind::StringEnum(values) => values.first().map(|v| Value::String(v.value.clone())),
        TypeKind::IntEnum(values) => values.first().map(|v| Value::from(v.value)),
        TypeKind::Union(u) => {
            let first = u.variants.first()?;
            let mut member = value(&first.ty, &Constraints::default(), types, depth + 1)?;
            if let (Some(property), Some(tag), Value::Object(members)) =
                (&u.discriminator, first.tags.first(), &mut member)
            {
                members.insert(property.clone(), Value::String(tag.clone()));
            }
            Some(member)
        }
        TypeKind::Alias { ty, constraints } => {
            let mut merged = limits.clone();
            merged.min_length = merged.min_length.or(constraints.min_length);
            merged.min_items = merged.min_items.or(constraints.min_items);
            merged.minimum = merged.minimum.clone().or(constraints.minimum.clone());
            merged.exclusive_minimum |= constraints.exclusive_minimum;
            merged.pattern = merged.pattern.clone().or(constraints.pattern.clone());
            value(ty, &merged, types, depth + 1)
        }
    }
}

fn primitive(p: Primitive, limits: &Constraints) -> Option<Value> {
    if limits.pattern.is_some() {
        return None;
    }
    let number = || {
        let minimum = limits.minimum.as_ref().and_then(serde_json::Number::as_f64).unwrap_or(0.0).max(0.0);
        let above = if limits.exclusive_minimum { 1.0 } else { 0.0 };
        (minimum + above).ceil()
    };
    Some(match p {
        Primitive::String | Primitive::Bytes | Primitive::Base64 | Primitive::File => {
            Value::String("a".repeat(bounded(limits.min_length)?))
        }
        Primitive::Bool => Value::Bool(false),
        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => Value::from(number() as u64),
        Primitive::F32 | Primitive::F64 => json!(number()),
        Primitive::DateTime => json!("1970-01-01T00:00:00Z"),
        Primitive::Date => json!("1970-01-01"),
        Primitive::Unit => Value::Null,
    })
}
