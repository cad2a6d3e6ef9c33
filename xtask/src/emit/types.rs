//! Named types: structs, enums and unions with serde derives and rustdoc from the spec.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, own_doc};
use crate::model::{
    Additional, Api, EnumValue, Field, Presence, Primitive, Side, Struct, TypeDef, TypeKind, TypeRef, Union,
    constructor as model_constructor, doc_text, evolving_structs,
};

/// How enums treat values the spec does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enums {
    /// Clients keep unknown values in an `Unknown` variant: a vendor may add values.
    Lenient,
    /// Servers reject them: a request may only carry what the spec documents.
    Strict,
}

/// The `types` module of a crate.
pub fn module(api: &Api, enums: Enums) -> TokenStream {
    let by_name: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let items = api.types.iter().map(|t| type_def(api, t, enums, &by_name));
    let import = (!api.types.is_empty()).then(|| quote! { use serde::{Deserialize, Serialize}; });
    let maps = uses_map(api).then(|| quote! { use std::collections::BTreeMap; });
    // A deprecated type is still used by its neighbours and derives; callers still see the warning.
    let allow = api.types.iter().any(|t| t.deprecated).then(|| {
        quote! { #![allow(deprecated, reason = "deprecated types are used by the types that contain them")] }
    });
    quote! {
        #allow
        #import
        #maps
        #(#items)*
    }
}

fn uses_map(api: &Api) -> bool {
    api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct(s) => {
            matches!(s.additional, Additional::Map(_)) || s.fields.iter().any(|f| contains_map(&f.ty))
        }
        TypeKind::Alias { ty, .. } => contains_map(ty),
        TypeKind::Union(u) => u.variants.iter().any(|v| contains_map(&v.ty)),
        _ => false,
    })
}

fn contains_map(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Array(inner) => contains_map(inner),
        _ => false,
    }
}

/// The Rust type of a JSON value of type `ty`, as seen from inside the `types` module.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #name }
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(inner) => {
            let inner = rust_type(inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote! { BTreeMap<String, #inner> }
        }
        TypeRef::Any => quote! { serde_json::Value },
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        // `format: binary` inside JSON can only be a string; whole binary bodies are bytes.
        Primitive::String | Primitive::Bytes => quote! { String },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::U32 => quote! { u32 },
        Primitive::U64 => quote! { u64 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::DateTime => quote! { chrono::DateTime<chrono::FixedOffset> },
        Primitive::Date => quote! { chrono::NaiveDate },
        Primitive::Base64 => quote! { mailapi_support::Base64Bytes },
        Primitive::File => quote! { mailapi_support::FilePart },
        Primitive::Unit => quote! { () },
    }
}

fn type_def(api: &Api, t: &TypeDef, enums: Enums, types: &BTreeMap<&str, &TypeDef>) -> TokenStream {
    let doc = match (&t.description, t.origin.strip_prefix("/components/schemas/").filter(|c| !c.contains('/'))) {
        (Some(d), _) => d.clone(),
        (None, Some(component)) => format!("The `{}` schema.", component.replace("~1", "/").replace("~0", "~")),
        (None, None) => format!("The inline schema at `{}`.", t.origin),
    };
    let mut doc = doc_text(&doc);
    if let Some((source, json)) = api.type_example(&t.name) {
        doc.push_str(&format!("\n\n# Example\n\n{}:\n\n```json\n{json}\n```", doc_text(&source)));
    }
    let docs = own_doc(&doc);
    let deprecated = t.deprecated.then(|| quote! { #[deprecated] });
    let name = ident(&t.name);
    let body = match &t.kind {
        TypeKind::Struct(s) => structure(api, &t.name, s, types, enums),
        TypeKind::StringEnum(values) => string_enum(&name, values, enums),
        TypeKind::IntEnum(values) => int_enum(&name, values, enums),
        TypeKind::Union(u) => union(&name, u),
        TypeKind::Alias { ty, .. } => {
            let ty = rust_type(ty);
            quote! { pub type #name = #ty; }
        }
    };
    quote! {
        #docs
        #deprecated
        #body
    }
}

fn structure(api: &Api, name: &str, s: &Struct, types: &BTreeMap<&str, &TypeDef>, enums: Enums) -> TokenStream {
    let ident = ident(name);
    let fields: Vec<TokenStream> = s.fields.iter().map(|f| field(name, f, types, enums)).collect();
    let additional = match &s.additional {
        Additional::Map(ty) => {
            let ty = rust_type(ty);
            Some(quote! {
                /// Properties beyond the declared ones.
                #[serde(flatten)]
                pub additional_properties: BTreeMap<String, #ty>,
            })
        }
        _ => None,
    };
    let deny = (s.additional == Additional::Deny).then(|| quote! { #[serde(deny_unknown_fields)] });
    let side = match enums {
        Enums::Lenient => Side::Client,
        Enums::Strict => Side::Server,
    };
    let non_exhaustive = evolving_structs(side).then(|| quote! { #[non_exhaustive] });
    let constructor = model_constructor(api, side, name).then(|| constructor(name, s, types, enums));
    // A response-only client struct has no `Default` either: a required member added later
    // would take it away.
    let all_optional = s.fields.iter().all(|f| presence(f, enums) != Presence::Required);
    let buildable = constructor.is_some() || !evolving_structs(side);
    let default = (all_optional && buildable).then(|| quote! { Default, });
    quote! {
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        #deny
        #non_exhaustive
        pub struct #ident {
            #(#fields)*
            #additional
        }

        #constructor
    }
}

/// `new`, taking the members a value must have (in declaration order) and leaving the others
/// out: with `#[non_exhaustive]`, the one way to build the struct that survives a new optional
/// member.
fn constructor(name: &str, s: &Struct, types: &BTreeMap<&str, &TypeDef>, enums: Enums) -> TokenStream {
    let ident = ident(name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in &s.fields {
        let field = super::ident(&f.name);
        let boxed = matches!(&f.ty, TypeRef::Named(target) if reaches(target, name, types, &mut BTreeSet::new()));
        let text = f.ty == TypeRef::Primitive(Primitive::String) && !boxed;
        let base = rust_type(&f.ty);
        let wrap = |value: TokenStream| match (boxed, f.secret) {
            (true, true) => quote! { mailapi_support::Secret::from(Box::new(#value)) },
            (true, false) => quote! { Box::new(#value) },
            (false, true) => quote! { mailapi_support::Secret::from(#value) },
            (false, false) => value,
        };
        match presence(f, enums) {
            Presence::Required => {
                let (ty, value) = match text {
                    true => (quote! { impl Into<String> }, quote! { #field.into() }),
                    false => (base, quote! { #field }),
                };
                args.push(quote! { #field: #ty });
                inits.push(match (text, boxed, f.secret) {
                    (false, false, false) => quote! { #field },
                    _ => {
                        let value = wrap(value);
                        quote! { #field: #value }
                    }
                });
            }
            Presence::Nullable => {
                args.push(quote! { #field: Option<#base> });
                let value = wrap(quote! { value });
                inits.push(match (boxed, f.secret) {
                    (false, false) => quote! { #field },
                    _ => quote! { #field: #field.map(|value| #value) },
                });
            }
            Presence::Optional | Presence::OptionalNullable => inits.push(quote! { #field: Default::default() }),
        }
    }
    if let Additional::Map(_) = s.additional {
        inits.push(quote! { additional_properties: BTreeMap::new() });
    }
    let many = (args.len() > 7)
        .then(|| quote! { #[allow(clippy::too_many_arguments, reason = "one argument per required member")] });
    let deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated, reason = "a constructor sets every member")] });
    let doc = match args.is_empty() {
        true => format!("A `{name}` without any of its optional members."),
        false => {
            format!("A `{name}` with its required members; the optional ones are left out (set them on the value).")
        }
    };
    let doc = super::own_doc(&doc);
    quote! {
        impl #ident {
            #doc
            #many
            #deprecated
            pub fn new(#(#args),*) -> Self {
                #ident { #(#inits),* }
            }
        }
    }
}

/// readOnly and writeOnly fields travel in one direction only: a client requires neither, a
/// server requires a required writeOnly member (see [`Field::server_presence`]).
fn presence(f: &Field, enums: Enums) -> Presence {
    match enums {
        Enums::Lenient => f.presence,
        Enums::Strict => f.server_presence,
    }
}

fn field(owner: &str, f: &Field, types: &BTreeMap<&str, &TypeDef>, enums: Enums) -> TokenStream {
    let mut base = rust_type(&f.ty);
    if let TypeRef::Named(target) = &f.ty {
        if reaches(target, owner, types, &mut BTreeSet::new()) {
            base = quote! { Box<#base> };
        }
    }
    if f.secret {
        base = quote! { mailapi_support::Secret<#base> };
    }
    let mut serde_args = Vec::new();
    if f.name != f.json_name {
        let json = &f.json_name;
        serde_args.push(quote! { rename = #json });
    }
    let server = enums == Enums::Strict;
    // A server never sends a writeOnly member.
    let skip_if = |check: &str| match server && f.write_only {
        true => quote! { skip_serializing },
        false => quote! { skip_serializing_if = #check },
    };
    let ty = match presence(f, enums) {
        Presence::OptionalNullable => {
            let skip = skip_if("mailapi_support::Nullable::is_absent");
            serde_args.push(quote! { default, #skip });
            quote! { mailapi_support::Nullable<#base> }
        }
        // A server reads `null` for a member that is not nullable as the type error it is.
        Presence::Optional if server => {
            let skip = skip_if("Option::is_none");
            serde_args.push(quote! { default, #skip, deserialize_with = "mailapi_support::server::non_null" });
            quote! { Option<#base> }
        }
        Presence::Optional => {
            serde_args.push(quote! { default, skip_serializing_if = "Option::is_none" });
            quote! { Option<#base> }
        }
        Presence::Nullable => {
            if server && f.write_only {
                serde_args.push(quote! { skip_serializing });
            }
            // Without `deserialize_with`, serde would accept a missing field as `None`.
            serde_args.push(quote! { deserialize_with = "Option::deserialize" });
            quote! { Option<#base> }
        }
        Presence::Required => {
            if server && f.write_only {
                serde_args.push(quote! { skip_serializing });
            }
            base
        }
    };
    let attr = (!serde_args.is_empty()).then(|| quote! { #[serde(#(#serde_args),*)] });
    let docs = doc_attrs(&field_doc(f));
    let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
    let name = ident(&f.name);
    quote! {
        #docs
        #deprecated
        #attr
        pub #name: #ty,
    }
}

fn field_doc(f: &Field) -> String {
    let mut doc = f.description.clone().unwrap_or_default();
    let mut notes = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server, never sent.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: sent, never returned.".to_string());
    }
    if let Some(d) = &f.default {
        notes.push(format!("Default: `{d}`."));
    }
    for note in notes {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&note);
    }
    doc
}

/// Whether a value of type `from` contains an `owner` without indirection (needs a `Box`).
fn reaches(from: &str, owner: &str, types: &BTreeMap<&str, &TypeDef>, seen: &mut BTreeSet<String>) -> bool {
    if from == owner {
        return true;
    }
    if !seen.insert(from.to_string()) {
        return false;
    }
    let direct = |ty: &TypeRef| match ty {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    };
    let next: Vec<String> = match types.get(from).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        Some(TypeKind::Union(u)) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        Some(TypeKind::Alias { ty, .. }) => direct(ty).into_iter().collect(),
        _ => Vec::new(),
    };
    next.iter().any(|n| reaches(n, owner, types, seen))
}

fn string_enum(name: &proc_macro2::Ident, values: &[EnumValue<String>], enums: Enums) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = &v.value;
        quote! { #[serde(rename = #value)] #variant, }
    });
    let arms = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let value = &v.value;
        quote! { #name::#variant => #value, }
    });
    // A client keeps values it does not know and must not match exhaustively, so a value the
    // vendor adds is a compatible change of the client crate.
    let non_exhaustive = matches!(enums, Enums::Lenient).then(|| quote! { #[non_exhaustive] });
    let (unknown, unknown_arm, derive_copy, lifetime) = match enums {
        Enums::Lenient => (
            quote! {
                /// A value this version of the spec does not list.
                #[serde(untagged)]
                Unknown(String),
            },
            quote! { #name::Unknown(value) => value, },
            quote! {},
            quote! { &str },
        ),
        Enums::Strict => (quote! {}, quote! {}, quote! { Copy, }, quote! { &'static str }),
    };
    quote! {
        #[derive(Debug, Clone, #derive_copy PartialEq, Eq, Hash, Serialize, Deserialize)]
        #non_exhaustive
        pub enum #name {
            #(#variants)*
            #unknown
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> #lifetime {
                match self {
                    #(#arms)*
                    #unknown_arm
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn int_enum(name: &proc_macro2::Ident, values: &[EnumValue<i64>], enums: Enums) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.variant);
        let doc = doc_attrs(&format!("`{}`", v.value));
        quote! { #doc #variant, }
    });
    let pairs: Vec<(proc_macro2::Ident, Literal)> =
        values.iter().map(|v| (ident(&v.variant), Literal::i64_unsuffixed(v.value))).collect();
    let to_int = pairs.iter().map(|(variant, value)| quote! { #name::#variant => #value, });
    match enums {
        Enums::Lenient => {
            let from_int = pairs.iter().map(|(variant, value)| quote! { #value => #name::#variant, });
            quote! {
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
                #[serde(from = "i64", into = "i64")]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the spec does not list.
                    Unknown(i64),
                }

                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from_int)*
                            other => #name::Unknown(other),
                        }
                    }
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> i64 {
                        match value {
                            #(#to_int)*
                            #name::Unknown(value) => value,
                        }
                    }
                }
            }
        }
        Enums::Strict => {
            let from_int = pairs.iter().map(|(variant, value)| quote! { #value => Ok(#name::#variant), });
            let message = format!("unknown value {{other}} for `{name}`");
            quote! {
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
                #[serde(try_from = "i64", into = "i64")]
                pub enum #name {
                    #(#variants)*
                }

                impl TryFrom<i64> for #name {
                    type Error = String;

                    fn try_from(value: i64) -> Result<Self, String> {
                        match value {
                            #(#from_int)*
                            other => Err(format!(#message)),
                        }
                    }
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> i64 {
                        match value {
                            #(#to_int)*
                        }
                    }
                }
            }
        }
    }
}

fn union(name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty);
        match v.secret {
            true => quote! { #variant(mailapi_support::Secret<#ty>), },
            false => quote! { #variant(#ty), },
        }
    });
    let Some(property) = &u.discriminator else {
        return quote! {
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let tags = &v.tags;
        quote! { #(Some(#tags))|* => serde_json::from_value(value).map(#name::#variant), }
    });
    let unknown = format!("unknown `{property}` {{other:?}}");
    quote! {
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                let result = match tag.as_deref() {
                    #(#arms)*
                    other => return Err(serde::de::Error::custom(format!(#unknown))),
                };
                result.map_err(serde::de::Error::custom)
            }
        }
    }
}
