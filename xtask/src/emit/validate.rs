//! Server-side validation of what serde cannot check: string lengths, numeric bounds, item
//! counts and patterns, with the JSON pointer of each violation.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::model::{Additional, Api, Constraints, Field, Param, Presence, TypeDef, TypeKind, TypeRef, Union};

/// The `validate` module of a server crate: a `Validate` impl for every type that has (or
/// contains) a constraint.
pub fn module(api: &Api) -> Option<TokenStream> {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let needed = needs_validation(api, &types);
    let impls: Vec<TokenStream> = api
        .types
        .iter()
        .filter(|t| needed.contains(t.name.as_str()))
        .filter_map(|t| impl_for(t, &types, &needed))
        .collect();
    if impls.is_empty() {
        return None;
    }
    Some(quote! {
        use mailapi_support::server::{Validate, Violations};

        use crate::types;

        #(#impls)*
    })
}

/// Which value types of an API carry checks, for the server to call `validate` on.
pub struct Checked<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
    needed: BTreeSet<&'a str>,
}

impl<'a> Checked<'a> {
    pub fn new(api: &'a Api) -> Self {
        let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let needed = needs_validation(api, &types);
        Checked { types, needed }
    }

    /// Whether a value of type `ty` has anything to validate.
    pub fn needs(&self, ty: &TypeRef) -> bool {
        refers_to(ty, &self.needed, &self.types)
    }

    /// The checks of the elements of a body that is itself an array or map (with `value` bound
    /// to it and `here` to its pointer), when its element type has limits.
    pub fn body_element_check(&self, ty: &TypeRef) -> Option<TokenStream> {
        element_checks(ty, &self.types)
    }

    /// The checks of a parameter's constraints (its own and its alias's, merged by the model),
    /// and of each item of an array parameter, reported with the parameter's name; bound to
    /// `request.<field>`.
    pub fn param_check(&self, p: &Param) -> Option<TokenStream> {
        let mut own = checks(&p.constraints, shape(&p.ty, &self.types), quote! { value });
        if let TypeRef::Array(item) = &p.ty {
            let item_checks = element_constraints(item, &self.types)
                .map(|c| checks(c, shape(item, &self.types), quote! { value }))
                .unwrap_or_default();
            if !item_checks.is_empty() {
                own.push(quote! { for value in value { #(#item_checks)* } });
            }
        }
        if own.is_empty() {
            return None;
        }
        let name = ident(&p.field);
        let wire = &p.name;
        let inner = quote! {
            let here = mailapi_support::server::Violations::parameter(#wire);
            #(#own)*
        };
        Some(if p.presence.is_optional() {
            quote! { if let Some(value) = &request.#name { #inner } }
        } else {
            quote! { { let value = &request.#name; #inner } }
        })
    }
}

/// Types with a constraint somewhere inside them.
pub fn needs_validation<'a>(api: &'a Api, types: &BTreeMap<&str, &'a TypeDef>) -> BTreeSet<&'a str> {
    let mut needed: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = needed.len();
        for t in &api.types {
            let inner_needed = |ty: &TypeRef| refers_to(ty, &needed, types);
            let yes = match &t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| own_checks(f, types) || inner_needed(&f.ty))
                        || matches!(&s.additional, Additional::Map(ty) if inner_needed(ty) || element_checks(&TypeRef::Map(ty.clone().into()), types).is_some())
                }
                TypeKind::Union(u) => u.variants.iter().any(|v| inner_needed(&v.ty)),
                _ => false,
            };
            if yes {
                needed.insert(&t.name);
            }
        }
        if needed.len() == before {
            return needed;
        }
    }
}

/// Whether `ty` reaches a type that needs validation (through arrays, maps and aliases).
fn refers_to(ty: &TypeRef, needed: &BTreeSet<&str>, types: &BTreeMap<&str, &TypeDef>) -> bool {
    match ty {
        TypeRef::Named(n) => match types.get(n.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Alias { ty, .. }) => refers_to(ty, needed, types),
            _ => needed.contains(n.as_str()),
        },
        TypeRef::Array(inner) | TypeRef::Map(inner) => refers_to(inner, needed, types),
        _ => false,
    }
}

/// Whether a field's limits (its own and its alias's, merged by the model) produce any check.
fn own_checks(f: &Field, types: &BTreeMap<&str, &TypeDef>) -> bool {
    !checks(&f.constraints, shape(&f.ty, types), quote! { value }).is_empty() || element_checks(&f.ty, types).is_some()
}

/// The limits of an element type: those of a named alias (`NamesItem = String` with a
/// `pattern`, which the model makes of an inline item schema with limits).
fn element_constraints<'a>(ty: &TypeRef, types: &BTreeMap<&str, &'a TypeDef>) -> Option<&'a Constraints> {
    match ty {
        TypeRef::Named(n) => match &types.get(n.as_str())?.kind {
            TypeKind::Alias { constraints, .. } => Some(constraints),
            _ => None,
        },
        _ => None,
    }
}

/// Checks of each item of an array or value of a map whose element type has limits, each at its
/// own pointer under `here`.
fn element_checks(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> Option<TokenStream> {
    let (element, map) = match ty {
        TypeRef::Array(element) => (element, false),
        TypeRef::Map(element) => (element, true),
        TypeRef::Named(name) => match &types.get(name.as_str())?.kind {
            TypeKind::Alias { ty, .. } => return element_checks(ty, types),
            _ => return None,
        },
        _ => return None,
    };
    let own = checks(element_constraints(element, types)?, shape(element, types), quote! { value });
    if own.is_empty() {
        return None;
    }
    Some(if map {
        quote! {
            for (key, value) in value {
                let here = mailapi_support::server::Violations::at(&here, key);
                #(#own)*
            }
        }
    } else {
        quote! {
            for (index, value) in value.iter().enumerate() {
                let here = mailapi_support::server::Violations::at(&here, &index.to_string());
                #(#own)*
            }
        }
    })
}

fn impl_for(t: &TypeDef, types: &BTreeMap<&str, &TypeDef>, needed: &BTreeSet<&str>) -> Option<TokenStream> {
    let name = ident(&t.name);
    let body = match &t.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| field_checks(f, types, needed));
            let additional = match &s.additional {
                Additional::Map(ty) if refers_to(ty, needed, types) => Some(quote! {
                    for (key, value) in &self.additional_properties {
                        value.validate(&Violations::at(at, key), violations);
                    }
                }),
                Additional::Map(ty) => element_checks(&TypeRef::Map(Box::new(ty.clone())), types).map(|checks| {
                    quote! {
                        {
                            let (here, value) = (at, &self.additional_properties);
                            #checks
                        }
                    }
                }),
                _ => None,
            };
            quote! { #(#fields)* #additional }
        }
        TypeKind::Union(u) => union_checks(&name, u, types, needed),
        _ => return None,
    };
    Some(quote! {
        impl Validate for types::#name {
            fn validate(&self, at: &str, violations: &mut Violations) {
                #body
            }
        }
    })
}

fn union_checks(
    name: &proc_macro2::Ident,
    u: &Union,
    types: &BTreeMap<&str, &TypeDef>,
    needed: &BTreeSet<&str>,
) -> TokenStream {
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        if refers_to(&v.ty, needed, types) {
            quote! { types::#name::#variant(value) => value.validate(at, violations), }
        } else {
            quote! { types::#name::#variant(_) => {} }
        }
    });
    quote! { match self { #(#arms)* } }
}

fn field_checks(f: &Field, types: &BTreeMap<&str, &TypeDef>, needed: &BTreeSet<&str>) -> TokenStream {
    let name = ident(&f.name);
    let json = &f.json_name;
    let value = if f.secret {
        quote! { value.expose() }
    } else {
        quote! { value }
    };
    let mut own = checks(&f.constraints, shape(&f.ty, types), value);
    own.extend(element_checks(&f.ty, types));
    let nested = refers_to(&f.ty, needed, types).then(|| quote! { value.validate(&here, violations); });
    if own.is_empty() && nested.is_none() {
        return quote! {};
    }
    let inner = quote! {
        let here = Violations::at(at, #json);
        #(#own)*
        #nested
    };
    // As the server's types hold it: a required writeOnly member is required in requests.
    match f.server_presence {
        Presence::OptionalNullable => quote! { if let Some(value) = self.#name.as_option() { #inner } },
        Presence::Optional | Presence::Nullable => quote! { if let Some(value) = &self.#name { #inner } },
        Presence::Required => quote! { { let value = &self.#name; #inner } },
    }
}

/// What kind of value a constraint applies to; limits that do not fit the type are skipped.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Number,
    /// An array: item counts and `uniqueItems`.
    List,
    /// A map: property counts.
    Collection,
    Other,
}

pub fn shape(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> Shape {
    use crate::model::Primitive as P;
    match ty {
        TypeRef::Primitive(P::String | P::Bytes) => Shape::Text,
        TypeRef::Primitive(P::I32 | P::I64 | P::U32 | P::U64 | P::F32 | P::F64) => Shape::Number,
        TypeRef::Array(_) => Shape::List,
        TypeRef::Map(_) => Shape::Collection,
        TypeRef::Named(n) => match types.get(n.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Alias { ty, .. }) => shape(ty, types),
            _ => Shape::Other,
        },
        _ => Shape::Other,
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v.map(Literal::u64_unsuffixed) {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

fn opt_f64(v: &Option<serde_json::Number>) -> TokenStream {
    match v.as_ref().and_then(serde_json::Number::as_f64).map(Literal::f64_unsuffixed) {
        Some(n) => quote! { Some(#n) },
        None => quote! { None },
    }
}

/// Calls of the `Violations` checks for one value bound as `value` (`here` is its pointer).
fn checks(c: &Constraints, shape: Shape, value: TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    match shape {
        Shape::Text => text_checks(c, &value, &mut out),
        Shape::Number => number_checks(c, &value, &mut out),
        Shape::List | Shape::Collection => {
            if c.min_items.is_some()
                || c.max_items.is_some()
                || c.min_properties.is_some()
                || c.max_properties.is_some()
            {
                let (min, max) = (opt_u64(c.min_items.or(c.min_properties)), opt_u64(c.max_items.or(c.max_properties)));
                out.push(quote! { violations.count(&here, #value, #min, #max); });
            }
            if shape == Shape::List && c.unique_items {
                out.push(quote! { violations.unique(&here, #value); });
            }
        }
        Shape::Other => {}
    }
    out
}

fn text_checks(c: &Constraints, value: &TokenStream, out: &mut Vec<TokenStream>) {
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
        out.push(quote! { violations.length(&here, #value, #min, #max); });
    }
    if let Some(pattern) = &c.pattern {
        out.push(quote! { violations.pattern(&here, #value, #pattern); });
    }
}

fn number_checks(c: &Constraints, value: &TokenStream, out: &mut Vec<TokenStream>) {
    if c.minimum.is_some() || c.maximum.is_some() {
        let (min, max) = (opt_f64(&c.minimum), opt_f64(&c.maximum));
        let (emin, emax) = (c.exclusive_minimum, c.exclusive_maximum);
        out.push(quote! { violations.range(&here, #value, #min, #max, #emin, #emax); });
    }
    if let Some(m) = c.multiple_of.as_ref().and_then(serde_json::Number::as_f64).map(Literal::f64_unsuffixed) {
        out.push(quote! { violations.multiple_of(&here, #value, #m); });
    }
}
