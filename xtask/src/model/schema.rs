//! JSON Schema (the OpenAPI 3.0 dialect) to named Rust types.
//!
//! Schemas are read from the raw JSON value, not from openapiv3's typed schema, so that every
//! keyword is seen: an unknown or unsupported one is a located error instead of a silent drop.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::names::{Scope, field_ident, type_ident, variant_ident};
use super::plan::Presence;
use super::{
    Additional, Constraints, EnumValue, Field, Primitive, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::spec::{Diagnostic, Spec, push_pointer};

const SCHEMA_KEYS: &[&str] = &[
    "title",
    "description",
    "type",
    "format",
    "nullable",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "readOnly",
    "writeOnly",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "example",
    "deprecated",
    "externalDocs",
    "xml",
];

const COMPONENTS: &str = "/components/schemas";

/// What a property schema says about the field that holds it, beyond its type.
#[derive(Debug, Default, Clone)]
pub struct Usage {
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub secret: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub default: Option<Value>,
    pub constraints: Constraints,
}

/// Converts schemas, collecting named types and diagnostics.
pub struct Schemas<'a> {
    spec: &'a Spec,
    namer: Scope,
    /// Component name -> Rust type name.
    components: BTreeMap<String, String>,
    pub types: BTreeMap<String, TypeDef>,
    /// Errors and warnings.
    pub errors: Vec<Diagnostic>,
}

impl<'a> Schemas<'a> {
    /// Names every component first, so inline types never take a component's name.
    pub fn new(spec: &'a Spec) -> Self {
        let mut namer = Scope::default();
        let mut components = BTreeMap::new();
        // Keys that are already Rust names keep them; the rest, in sorted order, come second.
        if let Some(Value::Object(schemas)) = spec.raw(COMPONENTS) {
            let mut keys: Vec<&String> = schemas.keys().collect();
            keys.sort_by_key(|k| (type_ident(k) != **k, k.to_string()));
            for key in keys {
                components.insert(key.clone(), namer.unique(type_ident(key), ""));
            }
        }
        Schemas { spec, namer, components, types: BTreeMap::new(), errors: Vec::new() }
    }

    /// Defines every component schema as a named type.
    pub fn define_components(&mut self) {
        let names: Vec<(String, String)> = self.components.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (key, name) in names {
            let pointer = push_pointer(COMPONENTS, &key);
            if let Some(schema) = self.spec.raw(&pointer).cloned() {
                self.define(name, &pointer, &schema, &key);
            }
        }
    }

    /// The field with JSON name `json` of struct `type_name`, looking through aliases.
    pub fn field(&self, type_name: &str, json: &str) -> Option<&Field> {
        let mut name = type_name;
        // Bounded: an alias cycle is an error of its own (`check_cycles`).
        for _ in 0..=self.types.len() {
            match &self.types.get(name)?.kind {
                TypeKind::Struct(s) => return s.fields.iter().find(|f| f.json_name == json),
                TypeKind::Alias { ty: TypeRef::Named(n), .. } => name = n,
                _ => return None,
            }
        }
        None
    }

    /// Types that contain themselves with no struct between (an alias of itself, an alias
    /// cycle, an array or map of itself, a union with itself as a variant) have no Rust type:
    /// each is a located error at its schema.
    pub fn check_cycles(&mut self) {
        let mut found = Vec::new();
        for def in self.types.values() {
            let starts: Vec<&TypeRef> = match &def.kind {
                TypeKind::Alias { ty, .. } => vec![ty],
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                _ => continue,
            };
            let mut path = vec![def.name.clone()];
            if starts.iter().any(|ty| self.contains_directly(ty, &def.name, &mut path)) {
                found.push((def.origin.clone(), path.join(" -> ")));
            }
        }
        for (pointer, path) in found {
            let message = format!("`$ref` cycle with no object between ({path}): no type can hold it");
            self.error(&pointer, message);
        }
    }

    /// Whether `ty` is `target` through aliases, arrays and maps only; `path` records the way.
    fn contains_directly(&self, ty: &TypeRef, target: &str, path: &mut Vec<String>) -> bool {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => self.contains_directly(inner, target, path),
            TypeRef::Named(n) if n == target => {
                path.push(n.clone());
                true
            }
            TypeRef::Named(n) if path.contains(n) => false,
            TypeRef::Named(n) => match self.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Alias { ty, .. }) => {
                    path.push(n.clone());
                    let found = self.contains_directly(ty, target, path);
                    if !found {
                        path.pop();
                    }
                    found
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(self.spec.error(pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(self.spec.warning(pointer, message));
    }

    /// The type of the schema at `pointer`; inline objects, enums and unions become named types
    /// called `hint` (made unique).
    pub fn type_of(&mut self, pointer: &str, schema: &Value, hint: &str) -> TypeRef {
        let Some(obj) = self.check(pointer, schema) else { return TypeRef::Any };
        if let Some(target) = obj.get("$ref") {
            return self.reference(&push_pointer(pointer, "$ref"), target);
        }
        if let Some(inner) = single_ref_wrapper(obj) {
            let at = format!("{pointer}/allOf/0");
            return self.type_of(&at, inner, hint);
        }
        if only_null(obj) {
            return TypeRef::Primitive(Primitive::Unit);
        }
        if needs_definition(obj) {
            let name = self.namer.unique(type_ident(hint), "");
            self.define(name.clone(), pointer, schema, hint);
            return TypeRef::Named(name);
        }
        self.structural(pointer, obj, hint)
    }

    /// The type of an array's items or a map's values. An inline primitive schema with limits
    /// (`items: {type: string, pattern: ...}`) becomes a named alias, so that the limits have a
    /// place in the model and the server checks every element.
    fn element_type(&mut self, pointer: &str, schema: &Value, hint: &str) -> TypeRef {
        let limited = schema.as_object().is_some_and(|obj| {
            !obj.contains_key("$ref") && !needs_definition(obj) && constraints(obj) != Constraints::default()
        });
        if !limited {
            return self.type_of(pointer, schema, hint);
        }
        let name = self.namer.unique(type_ident(hint), "");
        self.define(name.clone(), pointer, schema, hint);
        TypeRef::Named(name)
    }

    /// Nullability, access and docs of the schema used by a field or parameter.
    pub fn usage(&self, schema: &Value) -> Usage {
        self.usage_through(schema, &mut BTreeSet::new())
    }

    /// [`Self::usage`], following each alias once: a `$ref` cycle is reported by
    /// [`Self::check_cycles`], not followed forever.
    fn usage_through(&self, schema: &Value, seen: &mut BTreeSet<String>) -> Usage {
        let Some(obj) = schema.as_object() else { return Usage::default() };
        if let Some(target) = obj.get("$ref").and(self.ref_target(obj)) {
            // OpenAPI 3.0: siblings of `$ref` are ignored (a warning says so).
            if !seen.insert(target.clone()) {
                return Usage::default();
            }
            return self.usage_through(&self.spec.raw(&target).cloned().unwrap_or_default(), seen);
        }
        let flag = |k: &str| obj.get(k).and_then(Value::as_bool).unwrap_or(false);
        let mut usage = Usage {
            nullable: flag("nullable"),
            read_only: flag("readOnly"),
            write_only: flag("writeOnly"),
            deprecated: flag("deprecated"),
            description: obj.get("description").and_then(Value::as_str).map(str::to_string),
            default: obj.get("default").cloned(),
            constraints: constraints(obj),
            secret: obj.get("format").and_then(Value::as_str) == Some("password"),
        };
        if let Some(target) = self.ref_target(obj).filter(|t| seen.insert(t.clone())) {
            let inner = self.usage_through(&self.spec.raw(&target).cloned().unwrap_or_default(), seen);
            // An alias's limits apply wherever it is used, under any the use adds itself.
            usage.constraints.merge_missing(&inner.constraints);
            usage.nullable |= inner.nullable;
            usage.read_only |= inner.read_only;
            usage.write_only |= inner.write_only;
            usage.secret |= inner.secret;
            if usage.description.is_none() {
                usage.description = inner.description;
            }
        }
        usage.secret |= usage.write_only;
        usage
    }

    /// The component pointer a `$ref` or single-`$ref` `allOf` wrapper points at.
    fn ref_target(&self, obj: &Map<String, Value>) -> Option<String> {
        let target = match (obj.get("$ref"), single_ref_wrapper(obj)) {
            (Some(t), _) => t,
            (None, Some(inner)) => inner.get("$ref")?,
            (None, None) => return None,
        };
        let name = target.as_str()?.strip_prefix("#/components/schemas/")?;
        Some(push_pointer(COMPONENTS, &unescape(name)))
    }

    /// Checks keys; returns the schema as an object when it is one.
    fn check<'v>(&mut self, pointer: &str, schema: &'v Value) -> Option<&'v Map<String, Value>> {
        let Some(obj) = schema.as_object() else {
            self.error(pointer, "a schema must be a mapping");
            return None;
        };
        if obj.contains_key("$ref") {
            if let Some(key) = obj.keys().find(|k| *k != "$ref" && !k.starts_with("x-")) {
                let at = push_pointer(pointer, key);
                self.warn(
                    &at,
                    format!("`{key}` beside `$ref` is ignored (OpenAPI 3.0); wrap the `$ref` in `allOf` to apply it"),
                );
            }
            return Some(obj);
        }
        for key in obj.keys() {
            if key.starts_with("x-") || SCHEMA_KEYS.contains(&key.as_str()) {
                continue;
            }
            let at = push_pointer(pointer, key);
            let message = match key.as_str() {
                "not" => "`not` is not supported by this generator".to_string(),
                "const" | "examples" | "$schema" | "if" | "then" | "else" | "prefixItems" => {
                    format!("`{key}` is JSON Schema 2020-12 (OpenAPI 3.1), not OpenAPI 3.0")
                }
                _ => format!("unknown schema keyword `{key}`"),
            };
            self.error(&at, message);
        }
        Some(obj)
    }

    fn reference(&mut self, pointer: &str, target: &Value) -> TypeRef {
        let Some(target) = target.as_str() else {
            self.error(pointer, "`$ref` must be a string");
            return TypeRef::Any;
        };
        let Some(name) = target.strip_prefix("#/components/schemas/") else {
            let message = if target.starts_with('#') {
                format!("`{target}`: only references to `#/components/schemas/<name>` are supported")
            } else {
                format!("`{target}`: external references are not supported")
            };
            self.error(pointer, message);
            return TypeRef::Any;
        };
        match self.components.get(&unescape(name)) {
            Some(rust) => TypeRef::Named(rust.clone()),
            None => {
                self.error(pointer, format!("unresolvable `$ref`: `{target}` does not exist"));
                TypeRef::Any
            }
        }
    }

    /// Primitive, array and map types, which need no name.
    fn structural(&mut self, pointer: &str, obj: &Map<String, Value>, hint: &str) -> TypeRef {
        let ty = obj.get("type").and_then(Value::as_str);
        let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            Some("array") => match obj.get("items") {
                Some(items) => {
                    let item = self.element_type(&push_pointer(pointer, "items"), items, &format!("{hint}Item"));
                    TypeRef::Array(Box::new(item))
                }
                None => {
                    self.warn(pointer, "an array schema without `items`: its items are read as any JSON value");
                    TypeRef::Array(Box::new(TypeRef::Any))
                }
            },
            Some("object") => match obj.get("additionalProperties") {
                Some(Value::Object(m)) if !m.is_empty() => {
                    let at = push_pointer(pointer, "additionalProperties");
                    let value = self.element_type(&at, &Value::Object(m.clone()), &format!("{hint}Value"));
                    TypeRef::Map(Box::new(value))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Any)),
            },
            Some("string") => TypeRef::Primitive(match format {
                "date-time" => Primitive::DateTime,
                "date" => Primitive::Date,
                "byte" => Primitive::Base64,
                "binary" => Primitive::Bytes,
                _ => Primitive::String,
            }),
            Some("integer") => {
                TypeRef::Primitive(match format {
                    "int32" => Primitive::I32,
                    "uint32" => Primitive::U32,
                    "uint64" => Primitive::U64,
                    "" | "int64" => Primitive::I64,
                    other => {
                        let at = push_pointer(pointer, "format");
                        self.warn(&at, format!("unknown integer format `{other}` is read as `int64` (known: int32, int64, uint32, uint64)"));
                        Primitive::I64
                    }
                })
            }
            Some("number") => TypeRef::Primitive(match format {
                "float" => Primitive::F32,
                "" | "double" => Primitive::F64,
                other => {
                    let at = push_pointer(pointer, "format");
                    self.warn(
                        &at,
                        format!("unknown number format `{other}` is read as `double` (known: float, double)"),
                    );
                    Primitive::F64
                }
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            None => TypeRef::Any,
            Some(other) => {
                let at = push_pointer(pointer, "type");
                self.error(&at, format!("unknown type `{other}`"));
                TypeRef::Any
            }
        }
    }

    /// Defines the named type `name` for the schema at `pointer`.
    fn define(&mut self, name: String, pointer: &str, schema: &Value, hint: &str) {
        let Some(obj) = self.check(pointer, schema) else { return };
        let mut description = obj.get("description").and_then(Value::as_str).map(str::to_string);
        let kind = if obj.contains_key("$ref") || !needs_definition(obj) || only_null(obj) {
            let ty = self.type_of(pointer, schema, &format!("{hint}Inner"));
            TypeKind::Alias { ty, constraints: constraints(obj) }
        } else if obj.contains_key("enum") && obj.get("type").and_then(Value::as_str) == Some("number") {
            self.number_enum(pointer, obj, &mut description)
        } else if obj.contains_key("enum") {
            self.enumeration(pointer, obj)
        } else if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            TypeKind::Union(self.union(pointer, obj, &name))
        } else {
            TypeKind::Struct(self.structure(pointer, obj, &name))
        };
        let deprecated = obj.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
        let origin = pointer.to_string();
        let example = obj.get("example").cloned();
        self.types.insert(name.clone(), TypeDef { name, origin, description, deprecated, kind, example });
    }

    fn enumeration(&mut self, pointer: &str, obj: &Map<String, Value>) -> TypeKind {
        let at = push_pointer(pointer, "enum");
        let values: Vec<&Value> = match obj.get("enum") {
            Some(Value::Array(v)) => v.iter().filter(|v| !v.is_null()).collect(),
            _ => {
                self.error(&at, "`enum` must be a list");
                return TypeKind::StringEnum(Vec::new());
            }
        };
        let names = self.varnames(pointer, obj, values.len());
        let mut namer = Scope::with_items(&["Unknown"]);
        let mut variant = |i: usize, raw: String| {
            namer.unique(names.as_ref().map_or_else(|| variant_ident(&raw), |n| variant_ident(&n[i])), "")
        };
        match obj.get("type").and_then(Value::as_str) {
            Some("integer") => {
                let mut out = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    match v.as_i64() {
                        Some(value) => out.push(EnumValue { value, variant: variant(i, value.to_string()) }),
                        None => self.error(&push_pointer(&at, &i.to_string()), format!("`{v}` is not an integer")),
                    }
                }
                TypeKind::IntEnum(out)
            }
            Some("string") | None => {
                let mut out = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    match v.as_str() {
                        Some(s) => out.push(EnumValue { value: s.to_string(), variant: variant(i, s.to_string()) }),
                        None => self.error(&push_pointer(&at, &i.to_string()), format!("`{v}` is not a string")),
                    }
                }
                TypeKind::StringEnum(out)
            }
            Some(other) => {
                self.error(&at, format!("`enum` on `type: {other}` is not supported (string or integer)"));
                TypeKind::StringEnum(Vec::new())
            }
        }
    }

    /// `enum` on `type: number`: a number (Rust has no float enums), the values in its docs.
    fn number_enum(&mut self, pointer: &str, obj: &Map<String, Value>, description: &mut Option<String>) -> TypeKind {
        let values: Vec<String> = obj
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null())
            .map(Value::to_string)
            .collect();
        let at = push_pointer(pointer, "enum");
        self.warn(&at, "`enum` on `type: number` is read as a plain number: the values are documented, not checked");
        let list = format!("One of: {}.", values.join(", "));
        *description = Some(match description.take() {
            Some(d) => format!("{d}\n\n{list}"),
            None => list,
        });
        let format = obj.get("format").and_then(Value::as_str);
        let ty = TypeRef::Primitive(if format == Some("float") { Primitive::F32 } else { Primitive::F64 });
        TypeKind::Alias { ty, constraints: constraints(obj) }
    }

    fn varnames(&mut self, pointer: &str, obj: &Map<String, Value>, len: usize) -> Option<Vec<String>> {
        let names = obj.get("x-enum-varnames")?;
        let at = push_pointer(pointer, "x-enum-varnames");
        match names.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>()) {
            Some(list) if list.len() == len => Some(list),
            _ => {
                self.error(&at, format!("`x-enum-varnames` must be {len} strings, one per enum value"));
                None
            }
        }
    }

    fn union(&mut self, pointer: &str, obj: &Map<String, Value>, name: &str) -> Union {
        let any_of = !obj.contains_key("oneOf");
        let key = if any_of { "anyOf" } else { "oneOf" };
        let members = obj.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let (discriminator, mapping) = self.discriminator(pointer, obj);
        let mut namer = Scope::default();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let at = push_pointer(&push_pointer(pointer, key), &i.to_string());
            let title = member.get("title").and_then(Value::as_str);
            let hint = title.map_or_else(|| format!("{name}Variant{}", i + 1), |t| format!("{name}{}", type_ident(t)));
            let ty = self.type_of(&at, member, &hint);
            let raw_name = match (&ty, title) {
                (_, Some(title)) => type_ident(title),
                (TypeRef::Named(n), None) => n.clone(),
                (other, None) => structural_name(other),
            };
            let ref_name =
                member.get("$ref").and_then(Value::as_str).map(|r| r.rsplit('/').next().unwrap_or(r).to_string());
            let tags = match &ref_name {
                Some(r) => mapping.iter().filter(|(_, t)| t == r).map(|(v, _)| v.clone()).collect::<Vec<_>>(),
                None => Vec::new(),
            };
            let tags = if tags.is_empty() && discriminator.is_some() { ref_name.into_iter().collect() } else { tags };
            if discriminator.is_some() && tags.is_empty() {
                self.error(&at, "with a discriminator every member must be a `$ref`");
            }
            let secret = self.usage(member).secret;
            variants.push(UnionVariant { name: namer.unique(raw_name, ""), ty, tags, secret });
        }
        if variants.is_empty() {
            self.error(&push_pointer(pointer, key), format!("`{key}` needs at least one member"));
        }
        Union { variants, discriminator }
    }

    /// The discriminator property and its mapping as (value, component name) pairs.
    fn discriminator(&mut self, pointer: &str, obj: &Map<String, Value>) -> (Option<String>, Vec<(String, String)>) {
        let Some(d) = obj.get("discriminator") else { return (None, Vec::new()) };
        let at = push_pointer(pointer, "discriminator");
        let Some(property) = d.get("propertyName").and_then(Value::as_str) else {
            self.error(&at, "a discriminator needs `propertyName`");
            return (None, Vec::new());
        };
        let mut mapping = Vec::new();
        if let Some(Value::Object(m)) = d.get("mapping") {
            for (value, target) in m {
                let target = target.as_str().unwrap_or_default();
                let name = target.strip_prefix("#/components/schemas/").unwrap_or(target);
                mapping.push((value.clone(), unescape(name)));
            }
        }
        (Some(property.to_string()), mapping)
    }

    /// An object schema, with its `allOf` parts merged in.
    fn structure(&mut self, pointer: &str, obj: &Map<String, Value>, name: &str) -> Struct {
        let mut parts = Vec::new();
        self.collect_parts(pointer, obj, &mut parts, 0);
        let mut required = Vec::new();
        let mut properties: Vec<(String, String, Value)> = Vec::new();
        let mut additional = Additional::Ignore;
        for (at, part) in &parts {
            for r in part.get("required").and_then(Value::as_array).into_iter().flatten() {
                required.extend(r.as_str().map(str::to_string));
            }
            if let Some(Value::Object(props)) = part.get("properties") {
                for (key, schema) in props {
                    let here = push_pointer(&push_pointer(at, "properties"), key);
                    properties.retain(|(k, _, _)| k != key);
                    properties.push((key.clone(), here, schema.clone()));
                }
            }
            match part.get("additionalProperties") {
                Some(Value::Bool(false)) => additional = Additional::Deny,
                Some(Value::Object(m)) if !m.is_empty() => {
                    let here = push_pointer(at, "additionalProperties");
                    let ty = self.element_type(&here, &Value::Object(m.clone()), &format!("{name}Value"));
                    additional = Additional::Map(ty);
                }
                Some(Value::Bool(true) | Value::Object(_)) => additional = Additional::Map(TypeRef::Any),
                _ => {}
            }
        }
        let mut namer = Scope::with_items(&["additional_properties"]);
        let fields = properties
            .into_iter()
            .map(|(key, at, schema)| {
                let hint = format!("{name}{}", type_ident(&key));
                let ty = self.type_of(&at, &schema, &hint);
                let usage = self.usage(&schema);
                let is_required = required.contains(&key);
                let optional = !is_required || usage.read_only || usage.write_only;
                Field {
                    name: namer.unique(field_ident(&key), "_"),
                    required: is_required,
                    json_name: key,
                    ty,
                    nullable: usage.nullable,
                    presence: Presence::new(optional, usage.nullable),
                    server_presence: Presence::new(!is_required || usage.read_only, usage.nullable),
                    read_only: usage.read_only,
                    write_only: usage.write_only,
                    secret: usage.secret,
                    deprecated: usage.deprecated,
                    description: usage.description,
                    constraints: usage.constraints,
                    default: usage.default,
                }
            })
            .collect();
        Struct { fields, additional, constraints: constraints(obj) }
    }

    /// The schema itself and, depth first, every object it includes through `allOf`.
    fn collect_parts(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        out: &mut Vec<(String, Map<String, Value>)>,
        depth: usize,
    ) {
        if depth > 32 {
            self.error(pointer, "`allOf` nesting is too deep (a reference cycle?)");
            return;
        }
        for (i, part) in obj.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let at = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            let Some(p) = self.check(&at, part) else { continue };
            let (at, p) = match p.get("$ref") {
                Some(target) => {
                    if let TypeRef::Any = self.reference(&push_pointer(&at, "$ref"), target) {
                        continue;
                    }
                    let name =
                        target.as_str().and_then(|t| t.strip_prefix("#/components/schemas/")).unwrap_or_default();
                    let target = push_pointer(COMPONENTS, &unescape(name));
                    let Some(Value::Object(p)) = self.spec.raw(&target).cloned() else { continue };
                    (target, p)
                }
                None => (at, p.clone()),
            };
            if p.contains_key("oneOf") || p.contains_key("anyOf") || p.contains_key("enum") {
                self.error(&at, "`allOf` can only merge object schemas");
                continue;
            }
            self.collect_parts(&at, &p, out, depth + 1);
        }
        let mut own = obj.clone();
        own.remove("allOf");
        out.push((pointer.to_string(), own));
    }
}

/// `enum: [null]`: the only value is `null` (dropshot writes it for `()`).
fn only_null(obj: &Map<String, Value>) -> bool {
    matches!(obj.get("enum"), Some(Value::Array(values)) if !values.is_empty() && values.iter().all(Value::is_null))
}

/// Objects with fields, enums and unions need a named Rust type.
fn needs_definition(obj: &Map<String, Value>) -> bool {
    let denies = matches!(obj.get("additionalProperties"), Some(Value::Bool(false)));
    obj.contains_key("enum")
        || obj.contains_key("oneOf")
        || obj.contains_key("anyOf")
        || obj.contains_key("allOf")
        || obj.get("properties").is_some_and(|p| p.as_object().is_some_and(|m| !m.is_empty()))
        || denies
}

/// `allOf: [{$ref}]` with nothing else that changes the shape: the referenced type itself.
fn single_ref_wrapper(obj: &Map<String, Value>) -> Option<&Value> {
    let parts = obj.get("allOf")?.as_array()?;
    let shape_keys = ["properties", "additionalProperties", "oneOf", "anyOf", "enum", "items", "required"];
    if parts.len() == 1 && parts[0].get("$ref").is_some() && !shape_keys.iter().any(|k| obj.contains_key(*k)) {
        return Some(&parts[0]);
    }
    None
}

fn structural_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Primitive(Primitive::String) => "String".into(),
        TypeRef::Primitive(Primitive::Bool) => "Boolean".into(),
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "Number".into(),
        TypeRef::Primitive(Primitive::DateTime) => "DateTime".into(),
        TypeRef::Primitive(Primitive::Date) => "Date".into(),
        TypeRef::Primitive(Primitive::Base64 | Primitive::Bytes) => "Bytes".into(),
        TypeRef::Primitive(Primitive::Unit) => "Null".into(),
        TypeRef::Primitive(_) => "Integer".into(),
        TypeRef::Array(inner) => format!("{}List", structural_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", structural_name(inner)),
        TypeRef::Any => "Value".into(),
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn constraints(obj: &Map<String, Value>) -> Constraints {
    let uint = |k: &str| obj.get(k).and_then(Value::as_u64);
    let num = |k: &str| obj.get(k).and_then(|v| v.as_number().cloned());
    let flag = |k: &str| obj.get(k).and_then(Value::as_bool).unwrap_or(false);
    Constraints {
        min_length: uint("minLength"),
        max_length: uint("maxLength"),
        pattern: obj.get("pattern").and_then(Value::as_str).map(str::to_string),
        minimum: num("minimum"),
        maximum: num("maximum"),
        exclusive_minimum: flag("exclusiveMinimum"),
        exclusive_maximum: flag("exclusiveMaximum"),
        multiple_of: num("multipleOf"),
        min_items: uint("minItems"),
        max_items: uint("maxItems"),
        unique_items: flag("uniqueItems"),
        min_properties: uint("minProperties"),
        max_properties: uint("maxProperties"),
    }
}
