//! Values for the generated tests: Rust spellings of types and example values, and values
//! derived from a schema where the spec documents no example.

use std::cell::Cell;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::types_path;
use crate::model::{Api, Constraints, Primitive, TypeKind, TypeRef};

/// A type as seen from a test file, noting in `uses_types` when it needs the `types` import.
pub fn type_path(ty: &TypeRef, uses_types: &Cell<bool>) -> TokenStream {
    fn names_a_type(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => names_a_type(inner),
            _ => false,
        }
    }
    if names_a_type(ty) {
        uses_types.set(true);
    }
    types_path(ty)
}

/// The longest string and array a sample holds: a limit's magnitude never sizes the generated
/// tests (a `minLength` of 2^32 gets no sample, not a 4 GB literal).
const MAX_SAMPLE_LEN: u64 = 1024;

/// A value that satisfies `ty` and `constraints`; `None` when none can be derived.
pub fn sample(api: &Api, ty: &TypeRef, constraints: &Constraints, depth: usize) -> Option<Value> {
    if depth > 16 {
        return None;
    }
    Some(match ty {
        TypeRef::Named(name) => {
            let def = api.types.iter().find(|t| &t.name == name)?;
            if let Some(example) = &def.example {
                return Some(example.clone());
            }
            match &def.kind {
                TypeKind::Struct(s) => {
                    let mut object = serde_json::Map::new();
                    for f in s.fields.iter().filter(|f| f.required && !f.read_only) {
                        let value = match &f.default {
                            Some(default) => default.clone(),
                            None => sample(api, &f.ty, &f.constraints, depth + 1)?,
                        };
                        object.insert(f.json_name.clone(), value);
                    }
                    Value::Object(object)
                }
                TypeKind::StringEnum(values) => Value::String(values.first()?.value.clone()),
                TypeKind::IntEnum(values) => Value::from(values.first()?.value),
                TypeKind::Union(u) => {
                    let variant = u.variants.first()?;
                    let mut value = sample(api, &variant.ty, &Constraints::default(), depth + 1)?;
                    if let (Some(property), Some(tag), Value::Object(object)) =
                        (&u.discriminator, variant.tags.first(), &mut value)
                    {
                        object.insert(property.clone(), Value::String(tag.clone()));
                    }
                    value
                }
                TypeKind::Alias { ty, constraints } => sample(api, ty, constraints, depth + 1)?,
            }
        }
        TypeRef::Primitive(p) => match p {
            Primitive::String | Primitive::Bytes | Primitive::File => {
                let min = constraints.min_length.unwrap_or(0);
                if min > MAX_SAMPLE_LEN {
                    return None;
                }
                let min = min as usize;
                let max = constraints.max_length.map_or(usize::MAX, |m| m as usize);
                let pattern = match &constraints.pattern {
                    Some(p) => Some(regex_lite::Regex::new(p).ok()?),
                    None => None,
                };
                let fits = |text: &str| {
                    let len = text.chars().count();
                    min <= len && len <= max && pattern.as_ref().is_none_or(|p| p.is_match(text))
                };
                let padded = format!("example{}", "x".repeat(min.saturating_sub(7)));
                let candidates = [padded.as_str(), "e", "1", "user@example.com", "example.com", "E"];
                Value::String(candidates.into_iter().find(|c| fits(c))?.to_string())
            }
            Primitive::Bool => Value::Bool(true),
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 | Primitive::F32 | Primitive::F64 => {
                let mut n = 1.0_f64;
                if let Some(min) = constraints.minimum.as_ref().and_then(|m| m.as_f64()) {
                    n = n.max(if constraints.exclusive_minimum { min + 1.0 } else { min });
                }
                if let Some(max) = constraints.maximum.as_ref().and_then(|m| m.as_f64()) {
                    n = n.min(if constraints.exclusive_maximum { max - 1.0 } else { max });
                }
                if matches!(p, Primitive::F32 | Primitive::F64) { Value::from(n) } else { Value::from(n.ceil() as i64) }
            }
            Primitive::DateTime => Value::String("2024-01-01T00:00:00Z".into()),
            Primitive::Date => Value::String("2024-01-01".into()),
            Primitive::Base64 => Value::String("ZXhhbXBsZQ==".into()),
            Primitive::Unit => Value::Null,
        },
        TypeRef::Array(item) => {
            let count = constraints.min_items.unwrap_or(1).max(1);
            if count > MAX_SAMPLE_LEN {
                return None;
            }
            let item = sample(api, item, &Constraints::default(), depth + 1)?;
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        TypeRef::Map(_) | TypeRef::Any => Value::Object(Default::default()),
    })
}

/// The text of a text or binary example, as the mock sends it: a string as is, anything else as JSON.
pub fn example_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

/// The events of an event-stream example, as the mock sends them: each array element, the
/// `data` of each event of a string example, or the value itself.
pub fn event_values(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::String(text) => text
            .split("\n\n")
            .filter_map(|event| {
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(|d| d.strip_prefix(' ').unwrap_or(d))
                    .collect();
                (!data.is_empty()).then(|| serde_json::from_str(&data.join("\n")).unwrap_or(Value::Null))
            })
            .collect(),
        other => vec![other.clone()],
    }
}

pub fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// `accepts` of the mock: whether `Accept: accept` allows `media` (essences, `*/*`, `type/*`).
pub fn accepts(accept: &str, media: &str) -> bool {
    let media = essence(media);
    accept
        .split(',')
        .map(essence)
        .any(|a| a == "*/*" || a == media || a.strip_suffix("/*").is_some_and(|t| media.starts_with(&format!("{t}/"))))
}

pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A raw string literal (`r#"..."#`) for JSON, which is mostly quotes.
pub fn raw_str(text: &str) -> Literal {
    let mut hashes = String::new();
    if text.contains('"') {
        hashes.push('#');
        while text.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
    }
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| Literal::string(text))
}

/// `#![doc]` attributes for a file.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #![doc = #l] }
    });
    quote! { #(#lines)* }
}
