//! A loaded spec to the [`Api`] model: operations, parameters, bodies, responses, security.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, Components, Example as OaExample, MediaType, Operation as OaOperation, Parameter,
    ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, SecurityScheme as Oa, StatusCode,
};
use serde_json::Value;

use heck::ToShoutySnakeCase;

use super::names::{Scope, field_ident, type_ident};
use super::plan::{self, Plan, Presence};
use super::schema::Schemas;
use super::{
    Api, BodyKind, Content, Example, Method, NextPage, Operation, Pagination, Param, ParamLocation, ParamStyle,
    RequestBody, Response, ResponseHeader, SchemeKind, SecurityAlternative, SecurityScheme, Status, Step, TypeRef,
};
use crate::spec::{Diagnostic, Diagnostics, Spec, push_pointer};

mod bodies;

/// Builds the model; `name` is the crate stem and `source` the spec path for headers.
pub fn build(spec: &Spec, name: &str, source: &str) -> Result<Api, Diagnostics> {
    let mut b = Builder { spec, schemas: Schemas::new(spec), errors: Vec::new() };
    b.schemas.define_components();
    b.schemas.check_cycles();
    b.check_unsupported_components();
    let security_schemes = b.security_schemes();
    let (operations, pointers) = b.operations(&security_schemes);
    let (mut receivers, receiver_pointers) = b.receivers(&security_schemes, &operations);
    let error_in_success = b.error_in_success();
    let mut operations = operations;
    minimal_examples(&mut operations, &b.schemas.types);
    let mut header_warnings = header_types(spec, &mut operations, &b.schemas.types);
    header_warnings.append(&mut header_types(spec, &mut receivers, &b.schemas.types));
    let (error_shapes, mut shape_errors) = super::errors::error_shapes(spec, &b.schemas.types, &operations);
    let (receiver_error_shapes, mut receiver_shape_errors) =
        super::errors::error_shapes(spec, &b.schemas.types, &receivers);
    shape_errors.append(&mut receiver_shape_errors);
    let oa = &spec.openapi;
    let server_url = oa.servers.first().map(|s| s.url.clone());
    let mut api = Api {
        name: name.to_string(),
        source: source.to_string(),
        title: oa.info.title.clone(),
        version: oa.info.version.clone(),
        description: oa.info.description.clone(),
        base_path: server_url.as_deref().map(base_path).unwrap_or_default(),
        server_url,
        security_schemes,
        default_security: oa.security.as_ref().map(|s| alternatives(s)).unwrap_or_default(),
        operations,
        types: std::mem::take(&mut b.schemas.types).into_values().collect(),
        error_in_success,
        warnings: Vec::new(),
        error_shapes,
        receivers,
        receiver_error_shapes,
        role: super::Role::Service,
        written_by_callers: Default::default(),
    };
    let mut found = Diagnostics(spec.warnings.clone());
    found.0.append(&mut b.errors);
    found.0.append(&mut shape_errors);
    found.0.append(&mut header_warnings);
    found.0.append(&mut b.schemas.errors);
    found.0.append(&mut plan::plan(&mut api, spec, &pointers));
    found.0.append(&mut plan_receivers(&mut api, spec, &receiver_pointers));
    found.sort();
    if found.has_errors() {
        return Err(found);
    }
    api.warnings = found.0;
    Ok(api)
}

/// Response headers are read from and written as text: a scalar or a list of scalars. Any
/// other schema (an object, a union, a map) is read as its text, with a warning. A required
/// header documented without an example gets the smallest value its schema accepts.
fn header_types(
    spec: &Spec,
    operations: &mut [Operation],
    types: &std::collections::BTreeMap<String, super::TypeDef>,
) -> Vec<Diagnostic> {
    let types: std::collections::BTreeMap<&str, &super::TypeDef> = types.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut warnings = Vec::new();
    for r in operations.iter().flat_map(|op| &op.responses).filter(|r| r.status.is_success()) {
        let streamed = r.contents.iter().any(|c| matches!(c.kind, BodyKind::Binary | BodyKind::EventStream));
        if let (true, Some(first)) = (streamed, r.headers.first()) {
            let at = first.pointer.rsplit_once("/headers/").map_or(first.pointer.as_str(), |(at, _)| at);
            let message = "the client returns this response as a stream: its headers are typed in the server crate, \
                           the client reads them from `ResponseValue::headers()`";
            warnings.push(spec.warning(&push_pointer(at, "headers"), message));
        }
    }
    for header in operations.iter_mut().flat_map(|op| &mut op.responses).flat_map(|r| &mut r.headers) {
        let scalar = |ty: &TypeRef| header_scalar(ty, &types);
        let text = match &header.ty {
            TypeRef::Array(item) => !scalar(item),
            ty => !scalar(ty),
        };
        if text {
            let message =
                "a response header whose schema is not a scalar or a list of scalars is read as its text (`String`)";
            warnings.push(spec.warning(&push_pointer(&header.pointer, "schema"), message));
            header.ty = TypeRef::Primitive(super::Primitive::String);
        }
        if header.required && header.example.is_none() {
            header.example = super::minimal_value(&header.ty, &types);
            if header.example.is_none() {
                let message = "no value satisfies this required response header's schema";
                warnings.push(spec.error(&push_pointer(&header.pointer, "schema"), message));
            }
        }
    }
    warnings
}

/// A type whose value is one piece of header text: a primitive, an enum, an alias of one.
fn header_scalar(ty: &TypeRef, types: &std::collections::BTreeMap<&str, &super::TypeDef>) -> bool {
    use super::{Primitive, TypeKind};
    match ty {
        TypeRef::Primitive(Primitive::Bytes | Primitive::Base64 | Primitive::Unit) => false,
        TypeRef::Primitive(_) => true,
        TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_)) => true,
            Some(TypeKind::Alias { ty, .. }) => !matches!(ty, TypeRef::Named(_)) && header_scalar(ty, types),
            _ => false,
        },
        _ => false,
    }
}

/// Plans the receivers like operations of an API of their own (their names live in the server
/// crate's `webhooks` module); the vendor's `x-error-in-200` describes its own responses only.
fn plan_receivers(api: &mut Api, spec: &Spec, pointers: &[String]) -> Vec<Diagnostic> {
    let operations = std::mem::replace(&mut api.operations, std::mem::take(&mut api.receivers));
    let in_body = api.error_in_success.take();
    // The client has no receiver code: what callers write stays the operations' answer.
    let written = std::mem::take(&mut api.written_by_callers);
    let found = plan::plan(api, spec, pointers);
    api.written_by_callers = written;
    api.error_in_success = in_body;
    api.receivers = std::mem::replace(&mut api.operations, operations);
    found
}

/// A success body documented without an example gets one, `minimal`: the smallest value its
/// schema accepts, so that a mock answers it as documented rather than with an undocumented 501.
fn minimal_examples(operations: &mut [Operation], types: &std::collections::BTreeMap<String, super::TypeDef>) {
    let types: std::collections::BTreeMap<&str, &super::TypeDef> = types.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let successes = operations.iter_mut().flat_map(|op| &mut op.responses).filter(|r| r.status.is_success());
    for content in successes.flat_map(|r| &mut r.contents).filter(|c| c.examples.is_empty()) {
        let value = match content.kind {
            BodyKind::Json => content.ty.as_ref().and_then(|ty| super::minimal_value(ty, &types)),
            BodyKind::Text | BodyKind::Binary => Some(Value::String(String::new())),
            BodyKind::EventStream => Some(Value::Array(Vec::new())),
            // Never in a response: refused where it is read (`refuse_response_forms`).
            BodyKind::Form | BodyKind::Multipart => None,
        };
        // A body that can only be `null` (`enum: [null]`) is left alone: its type is `()`.
        content.examples.extend(value.filter(|v| !v.is_null()).map(|value| Example {
            name: "minimal".into(),
            value,
            skip_round_trip: None,
            synthesized: true,
        }));
    }
}

/// Entries of a map sorted by key, for a walk that does not depend on file order.
fn sorted<'a, V>(it: impl Iterator<Item = (&'a String, V)>) -> Vec<(&'a String, V)> {
    let mut v: Vec<_> = it.collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// The path of a server URL, e.g. `https://{host}/api/v1/` -> `/api/v1`.
fn base_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
    let rest = if url.contains("://") { rest } else { url.trim_start_matches('/') };
    let path = rest.trim_end_matches('/');
    if path.is_empty() { String::new() } else { format!("/{path}") }
}

fn alternatives(reqs: &[openapiv3::SecurityRequirement]) -> Vec<SecurityAlternative> {
    reqs.iter().map(|r| r.keys().cloned().collect()).collect()
}

struct Builder<'a> {
    spec: &'a Spec,
    schemas: Schemas<'a>,
    errors: Vec<Diagnostic>,
}

const METHODS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

impl<'a> Builder<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(self.spec.error(pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(self.spec.warning(pointer, message));
    }

    fn components(&self) -> Option<&'a Components> {
        self.spec.openapi.components.as_ref()
    }

    fn check_unsupported_components(&mut self) {
        // `components.callbacks` are read where operations refer to them (see `spec::callbacks`).
        for key in ["links"] {
            if let Some(Value::Object(m)) = self.spec.raw(&format!("/components/{key}")) {
                if !m.is_empty() {
                    self.warn(&format!("/components/{key}"), format!("`{key}` are ignored by this generator"));
                }
            }
        }
    }

    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = self.components() else { return Vec::new() };
        let mut out = Vec::new();
        let mut consts = Scope::default();
        for (name, scheme) in sorted(components.security_schemes.iter()) {
            let at = push_pointer("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.error(&at, "a `$ref` to a security scheme is not supported");
                continue;
            };
            let (kind, description) = match scheme {
                Oa::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SchemeKind::Basic, description)
                }
                Oa::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer, description)
                }
                Oa::HTTP { scheme, .. } => {
                    self.error(
                        &push_pointer(&at, "scheme"),
                        format!("HTTP auth scheme `{scheme}` is not supported (basic, bearer)"),
                    );
                    continue;
                }
                Oa::APIKey { location: APIKeyLocation::Header, name, description, .. } => {
                    (SchemeKind::ApiKeyHeader(name.clone()), description)
                }
                Oa::APIKey { location: APIKeyLocation::Query, name, description, .. } => {
                    (SchemeKind::ApiKeyQuery(name.clone()), description)
                }
                Oa::APIKey { location: APIKeyLocation::Cookie, .. } => {
                    self.error(&push_pointer(&at, "in"), "API keys in cookies are not supported (header, query)");
                    continue;
                }
                Oa::OAuth2 { description, .. } | Oa::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description)
                }
            };
            let const_name = consts.claim(&[field_ident(name).to_shouty_snake_case()], "_");
            out.push(SecurityScheme { name: name.clone(), const_name, kind, description: description.clone() });
        }
        out
    }

    /// The operations in path order, and where each is in the spec.
    fn operations(&mut self, schemes: &[SecurityScheme]) -> (Vec<Operation>, Vec<String>) {
        let mut out: Vec<Operation> = Vec::new();
        let mut pointers = Vec::new();
        let mut ids: Vec<(String, String)> = Vec::new();
        let mut routes = BTreeMap::new();
        // Derived names give way to every explicit operationId, and are made unique in path order.
        let mut derived = Scope::default();
        for id in self.explicit_ids() {
            derived.claim(&[id], "_");
        }
        for (path, item) in sorted(self.spec.openapi.paths.paths.iter()) {
            let path_ptr = push_pointer("/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.error(&path_ptr, "a `$ref` path item is not supported");
                continue;
            };
            if !path.starts_with('/') {
                self.error(&path_ptr, format!("path `{path}` must start with `/`"));
            }
            self.check_route(&path_ptr, path, &mut routes);
            for (key, method) in METHODS {
                let Some(op) = path_item_op(item, method) else { continue };
                let at = push_pointer(&path_ptr, key);
                let id = match &op.operation_id {
                    Some(id) => {
                        if let Some((_, first)) = ids.iter().find(|(i, _)| i == id) {
                            let message = format!("duplicate operationId `{id}` (first used at {first})");
                            self.error(&push_pointer(&at, "operationId"), message);
                            continue;
                        }
                        ids.push((id.clone(), at.clone()));
                        id.clone()
                    }
                    None => derived.claim(&[derived_id(key, path)], "_"),
                };
                let mut operation = self.operation(&at, path, &item.parameters, op, method, id, schemes);
                operation.pagination = self.pagination(&at, &operation);
                out.push(operation);
                pointers.push(at);
            }
        }
        (out, pointers)
    }

    /// The requests the service sends: each webhook (`/webhooks/<name>`, routed at `/<name>`)
    /// and each callback of an operation (`.../callbacks/<name>/<expression>`, routed at
    /// `/<operationId>/<name>`), read as operations of a receiver; and where each is.
    fn receivers(&mut self, schemes: &[SecurityScheme], operations: &[Operation]) -> (Vec<Operation>, Vec<String>) {
        // (pointer, route, name the operation is called after when it has no operationId,
        // what is sent, item)
        let mut items: Vec<(String, String, String, String, openapiv3::PathItem)> = Vec::new();
        if let Some(Value::Object(hooks)) = self.spec.raw("/webhooks") {
            for (name, raw) in hooks {
                let at = push_pointer("/webhooks", name);
                match serde_json::from_value::<openapiv3::PathItem>(raw.clone()) {
                    Ok(item) => {
                        let what = format!("The webhook `{name}`.");
                        items.push((at, format!("/{}", route_segment(name)), name.clone(), what, item));
                    }
                    Err(err) => self.error(&at, format!("a webhook must be a path item: {err}")),
                }
            }
        }
        for (path, item) in sorted(self.spec.openapi.paths.paths.iter()) {
            let ReferenceOr::Item(item) = item else { continue };
            for (key, method) in METHODS {
                let Some(op) = path_item_op(item, method) else { continue };
                let Some(owner) = operations.iter().find(|o| o.path == *path && o.method == method) else { continue };
                let at = push_pointer(&push_pointer(&push_pointer("/paths", path), key), "callbacks");
                for (name, callback) in &op.callbacks {
                    let several = callback.len() > 1;
                    for (i, (expression, item)) in callback.iter().enumerate() {
                        let mut route = format!("/{}/{}", route_segment(&owner.operation_id), route_segment(name));
                        let mut base = format!("{} {name}", owner.operation_id);
                        if several {
                            route.push_str(&format!("/{}", i + 1));
                            base.push_str(&format!(" {}", i + 1));
                        }
                        let what =
                            format!("The callback `{name}` of `{}`, sent to `{expression}`.", owner.operation_id);
                        let here = push_pointer(&push_pointer(&at, name), expression);
                        items.push((here, route, base, what, item.clone()));
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut pointers = Vec::new();
        let mut ids = Scope::default();
        let mut routes = BTreeMap::new();
        for (item_at, route, base, what, item) in &items {
            self.check_route(item_at, route, &mut routes);
            let count = METHODS.iter().filter(|(_, m)| path_item_op(item, *m).is_some()).count();
            for (key, method) in METHODS {
                let Some(op) = path_item_op(item, method) else { continue };
                let at = push_pointer(item_at, key);
                let wanted = match &op.operation_id {
                    Some(id) => id.clone(),
                    None if count == 1 => base.clone(),
                    None => format!("{base} {key}"),
                };
                let id = ids.claim(&[wanted], "_");
                let mut operation = self.operation(&at, route, &item.parameters, op, method, id, schemes);
                operation.sent_as = Some(what.clone());
                out.push(operation);
                pointers.push(at);
            }
        }
        (out, pointers)
    }

    fn explicit_ids(&self) -> Vec<String> {
        let items = self.spec.openapi.paths.paths.values().filter_map(|item| item.as_item());
        let ops = items.flat_map(|item| METHODS.iter().filter_map(move |(_, m)| path_item_op(item, *m)));
        ops.filter_map(|op| op.operation_id.clone()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        at: &str,
        path: &str,
        shared: &[ReferenceOr<Parameter>],
        op: &OaOperation,
        method: Method,
        operation_id: String,
        schemes: &[SecurityScheme],
    ) -> Operation {
        let hint = type_ident(&operation_id);
        let params = self.parameters(at, path, shared, op, &hint);
        let body = op.request_body.as_ref().and_then(|b| self.request_body(&push_pointer(at, "requestBody"), b, &hint));
        let responses = self.responses(at, op, &hint);
        let security = match &op.security {
            Some(reqs) => alternatives(reqs),
            None => self.spec.openapi.security.as_ref().map(|s| alternatives(s)).unwrap_or_default(),
        };
        for (i, alt) in security.iter().enumerate() {
            for name in alt {
                if !schemes.iter().any(|s| &s.name == name) {
                    let where_ =
                        if op.security.is_some() { format!("{at}/security/{i}") } else { format!("/security/{i}") };
                    self.error(
                        &where_,
                        format!("security scheme `{name}` is not defined in `components.securitySchemes`"),
                    );
                }
            }
        }
        Operation {
            explicit_id: op.operation_id.is_some(),
            operation_id,
            method,
            path: path.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            security,
            pagination: None,
            sent_as: None,
            origin: at.to_string(),
            plan: Plan::default(),
        }
    }

    fn parameters(
        &mut self,
        at: &str,
        path: &str,
        shared: &[ReferenceOr<Parameter>],
        op: &OaOperation,
        hint: &str,
    ) -> Vec<Param> {
        let path_ptr = at.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let mut resolved: Vec<(String, Parameter)> = Vec::new();
        let lists =
            [(format!("{path_ptr}/parameters"), shared), (format!("{at}/parameters"), op.parameters.as_slice())];
        for (list_ptr, list) in lists {
            for (i, p) in list.iter().enumerate() {
                let here = push_pointer(&list_ptr, &i.to_string());
                let Some((ptr, param)) = self.resolve_param(&here, p) else { continue };
                let data = param.parameter_data_ref();
                resolved.retain(|(_, q)| !(q.parameter_data_ref().name == data.name && same_location(q, &param)));
                resolved.push((ptr, param));
            }
        }
        // `body` and `params` are the client's other arguments, `context` the server request's field.
        let mut namer = Scope::with_items(&["body", "context", "params"]);
        let mut out = Vec::new();
        for (ptr, param) in resolved {
            if let Some(p) = self.parameter(&ptr, &param, hint, &mut namer) {
                out.push(p);
            }
        }
        self.check_path_params(at, path, &out);
        for p in out.iter_mut().filter(|p| p.location == ParamLocation::Path) {
            p.affixes = segment_affixes(path, &p.name);
        }
        out
    }

    /// A path the generated server can route: each parameter a whole segment with a plain name,
    /// no segment that the router reads as its own syntax, and no two paths that differ only in
    /// parameter names (the router cannot hold both). `routes` maps each route shape to its path.
    fn check_route(&mut self, at: &str, path: &str, routes: &mut BTreeMap<String, String>) {
        let mut shape = Vec::new();
        for segment in path.split('/') {
            let opens = segment.matches('{').count();
            let problem = if opens != segment.matches('}').count() {
                Some(format!("segment `{segment}` has unbalanced braces"))
            } else if opens > 1 {
                Some(format!("segment `{segment}` holds {opens} parameters; a segment can hold one"))
            } else if segment.starts_with([':', '*']) {
                Some(format!(
                    "segment `{segment}` starts with `{}`, which the router reads as a parameter; write parameters as `{{name}}`",
                    &segment[..1]
                ))
            } else if opens == 1 && segment_param(segment).contains(['*', ':']) {
                Some(format!("parameter name in `{segment}` must not contain `*`, `:` or braces"))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.error(at, format!("path `{path}` cannot be routed: {problem}"));
                return;
            }
            shape.push(if opens == 1 { "{}" } else { segment });
        }
        match routes.get(&shape.join("/")) {
            Some(first) => {
                let message = format!(
                    "path `{path}` and `{first}` are one route to the router (a parameter takes its whole segment); it cannot serve both"
                );
                self.error(at, message);
            }
            None => {
                routes.insert(shape.join("/"), path.to_string());
            }
        }
    }

    fn check_path_params(&mut self, at: &str, path: &str, params: &[Param]) {
        let template: Vec<&str> = path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n)).collect();
        for name in &template {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.name == *name) {
                self.error(at, format!("path parameter `{{{name}}}` of `{path}` is not declared in `parameters`"));
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template.contains(&p.name.as_str()) {
                self.error(at, format!("path parameter `{}` does not appear in the path template `{path}`", p.name));
            }
        }
    }

    fn resolve_param(&mut self, at: &str, p: &ReferenceOr<Parameter>) -> Option<(String, Parameter)> {
        match p {
            ReferenceOr::Item(param) => Some((at.to_string(), param.clone())),
            ReferenceOr::Reference { reference } => {
                let name = self.component_ref(at, reference, "parameters")?;
                let found = self.components().and_then(|c| c.parameters.get(&name));
                match found {
                    Some(ReferenceOr::Item(param)) => {
                        Some((push_pointer("/components/parameters", &name), param.clone()))
                    }
                    _ => {
                        self.error(
                            &push_pointer(at, "$ref"),
                            format!("unresolvable `$ref`: `{reference}` does not exist"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The component name of a `#/components/<section>/<name>` reference.
    fn component_ref(&mut self, at: &str, reference: &str, section: &str) -> Option<String> {
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(name) => Some(name.replace("~1", "/").replace("~0", "~")),
            None => {
                self.error(
                    &push_pointer(at, "$ref"),
                    format!("`{reference}`: expected a reference to `{prefix}<name>`"),
                );
                None
            }
        }
    }

    fn parameter(&mut self, at: &str, param: &Parameter, hint: &str, namer: &mut Scope) -> Option<Param> {
        let (location, style, explode) = match param {
            Parameter::Query { style, parameter_data, .. } => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (
                    ParamLocation::Query,
                    style,
                    parameter_data.explode.unwrap_or(style == ParamStyle::Form || style == ParamStyle::DeepObject),
                )
            }
            Parameter::Path { style, parameter_data } => {
                if !matches!(style, PathStyle::Simple) {
                    self.error(&push_pointer(at, "style"), "only `style: simple` path parameters are supported");
                }
                (ParamLocation::Path, ParamStyle::Simple, parameter_data.explode.unwrap_or(false))
            }
            Parameter::Header { parameter_data, .. } => {
                (ParamLocation::Header, ParamStyle::Simple, parameter_data.explode.unwrap_or(false))
            }
            Parameter::Cookie { .. } => {
                self.error(&push_pointer(at, "in"), "cookie parameters are not supported by this generator");
                return None;
            }
        };
        let data = param.parameter_data_ref();
        if location == ParamLocation::Path && !data.required {
            self.error(&push_pointer(at, "required"), "a path parameter must be `required: true`");
        }
        let ParameterSchemaOrContent::Schema(_) = &data.format else {
            self.error(&push_pointer(at, "content"), "parameters with `content` are not supported; use `schema`");
            return None;
        };
        let schema_ptr = push_pointer(at, "schema");
        let schema = self.spec.raw(&schema_ptr).cloned().unwrap_or_default();
        let ty = self.schemas.type_of(&schema_ptr, &schema, &format!("{hint}{}", type_ident(&data.name)));
        let usage = self.schemas.usage(&schema);
        let examples = self.examples(at, data.example.as_ref(), &data.examples);
        Some(Param {
            name: data.name.clone(),
            field: namer.unique(field_ident(&data.name), "_"),
            location,
            presence: if data.required || location == ParamLocation::Path {
                Presence::Required
            } else {
                Presence::Optional
            },
            style,
            explode,
            ty,
            constraints: usage.constraints,
            description: data.description.clone().or(usage.description),
            deprecated: data.deprecated.unwrap_or(false),
            examples,
            affixes: Default::default(),
            default: schema.get("default").cloned(),
        })
    }

    fn examples(&mut self, at: &str, example: Option<&Value>, examples: &Examples) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(value) = example {
            out.push(Example {
                name: "example".into(),
                value: value.clone(),
                skip_round_trip: None,
                synthesized: false,
            });
        }
        for (name, ex) in examples {
            let here = push_pointer(&push_pointer(at, "examples"), name);
            let ex: Option<OaExample> = match ex {
                ReferenceOr::Item(ex) => Some(ex.clone()),
                ReferenceOr::Reference { reference } => {
                    self.component_ref(&here, reference, "examples").and_then(|n| {
                        match self.components().and_then(|c| c.examples.get(&n)) {
                            Some(ReferenceOr::Item(ex)) => Some(ex.clone()),
                            _ => {
                                self.error(
                                    &push_pointer(&here, "$ref"),
                                    format!("unresolvable `$ref`: `{reference}` does not exist"),
                                );
                                None
                            }
                        }
                    })
                }
            };
            let Some(ex) = ex else { continue };
            if ex.external_value.is_some() {
                self.error(
                    &push_pointer(&here, "externalValue"),
                    "`externalValue` examples are not supported; inline the value",
                );
                continue;
            }
            let value = ex.value.unwrap_or(Value::Null);
            let skip_round_trip = match ex.extensions.get("x-skip-round-trip") {
                None => None,
                Some(Value::String(why)) => Some(why.clone()),
                Some(_) => {
                    self.error(
                        &push_pointer(&here, "x-skip-round-trip"),
                        "`x-skip-round-trip` must be a string: why the example does not round-trip",
                    );
                    None
                }
            };
            out.push(Example { name: name.clone(), value, skip_round_trip, synthesized: false });
        }
        out
    }

    fn request_body(
        &mut self,
        at: &str,
        body: &ReferenceOr<openapiv3::RequestBody>,
        hint: &str,
    ) -> Option<RequestBody> {
        let (at, body) = match body {
            ReferenceOr::Item(b) => (at.to_string(), b.clone()),
            ReferenceOr::Reference { reference } => {
                let name = self.component_ref(at, reference, "requestBodies")?;
                match self.components().and_then(|c| c.request_bodies.get(&name)) {
                    Some(ReferenceOr::Item(b)) => (push_pointer("/components/requestBodies", &name), b.clone()),
                    _ => {
                        self.error(
                            &push_pointer(at, "$ref"),
                            format!("unresolvable `$ref`: `{reference}` does not exist"),
                        );
                        return None;
                    }
                }
            }
        };
        if body.content.is_empty() {
            self.error(&push_pointer(&at, "content"), "a request body needs at least one media type");
        }
        let contents = self.contents(&at, &body.content, &format!("{hint}Request"));
        Some(RequestBody { required: body.required, description: body.description.clone(), contents })
    }

    fn contents(&mut self, at: &str, content: &Contents, hint: &str) -> Vec<Content> {
        let mut out = Vec::new();
        let many = content.len() > 1;
        for (media_type, media) in content {
            let here = push_pointer(&push_pointer(at, "content"), media_type);
            if let Some(c) = self.content(&here, media_type, media, hint, many) {
                out.push(c);
            }
        }
        out
    }

    fn content(&mut self, at: &str, media_type: &str, media: &MediaType, hint: &str, many: bool) -> Option<Content> {
        let schema_ptr = push_pointer(at, "schema");
        let schema = self.spec.raw(&schema_ptr).cloned();
        let format = schema.as_ref().and_then(|s| s.get("format")).and_then(Value::as_str);
        let Some(kind) = body_kind(media_type, format) else {
            self.error(
                at,
                format!(
                    "media type `{media_type}` is not supported (JSON, form, multipart/form-data, text, XML as text, binary, text/event-stream)"
                ),
            );
            return None;
        };
        let kind = match kind {
            // A vendor media type (`application/vnd.github.v3.object`) whose schema is structured
            // is JSON in all but name; bytes would lose the documented type.
            BodyKind::Binary
                if format != Some("binary")
                    && !known_binary(media_type)
                    && schema.as_ref().is_some_and(is_structured) =>
            {
                self.warn(
                    at,
                    format!("media type `{media_type}` has a structured schema: its bodies are read as JSON"),
                );
                BodyKind::Json
            }
            kind => kind,
        };
        if kind == BodyKind::Form {
            return self.form_content(at, media_type, media, hint, many);
        }
        if kind == BodyKind::Multipart {
            return self.multipart_content(at, media_type, media, hint, many);
        }
        if !media.encoding.is_empty() {
            self.error(&push_pointer(at, "encoding"), "`encoding` applies only to form and multipart bodies");
        }
        let ty = match (&schema, kind) {
            (Some(schema), BodyKind::Json) => {
                let hint = if many { format!("{hint}{}", type_ident(media_type)) } else { hint.to_string() };
                Some(self.schemas.type_of(&schema_ptr, schema, &hint))
            }
            (Some(schema), _) => {
                // Text and binary bodies are carried raw; the schema is still checked.
                let _ = self.schemas.type_of(&schema_ptr, schema, &format!("{hint}Raw"));
                None
            }
            (None, _) => None,
        };
        let ty = match (ty, kind) {
            (None, BodyKind::EventStream) => self.sse_data(at, media),
            (ty, _) => ty,
        };
        let examples = self.examples(at, media.example.as_ref(), &media.examples);
        Some(Content {
            media_type: media_type.to_string(),
            kind,
            ty,
            examples,
            encoding: Vec::new(),
            parts: Vec::new(),
        })
    }

    /// The JSON type of each SSE event's data, from `x-sse-data: '#/components/schemas/X'`.
    fn sse_data(&mut self, at: &str, media: &MediaType) -> Option<TypeRef> {
        let ext = media
            .extensions
            .get("x-sse-data")
            .cloned()
            .or_else(|| self.spec.raw(&push_pointer(at, "schema")).and_then(|s| s.get("x-sse-data")).cloned())?;
        let at = push_pointer(at, "x-sse-data");
        Some(self.schemas.type_of(&at, &serde_json::json!({ "$ref": ext }), "SseData"))
    }

    fn responses(&mut self, at: &str, op: &OaOperation, hint: &str) -> Vec<Response> {
        let at = push_pointer(at, "responses");
        let mut list: Vec<(Status, String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let key = code.to_string();
            let status = match code {
                StatusCode::Code(c) if (100..=599).contains(c) => Status::Code(*c),
                StatusCode::Range(r) if (1..=5).contains(r) => Status::Range(*r as u8),
                _ => {
                    self.error(
                        &push_pointer(&at, &key),
                        format!("`{key}` is not an HTTP status (100 to 599, 1XX to 5XX or default)"),
                    );
                    continue;
                }
            };
            list.push((status, key, r));
        }
        if let Some(d) = &op.responses.default {
            list.push((Status::Default, "default".into(), d));
        }
        if op.responses.responses.is_empty() && op.responses.default.is_none() {
            // OpenAPI 3.0 requires one; 3.1 and generators of free-form responses (dropshot) leave none.
            self.warn(&at, "no response is documented: read as `2XX` with no body");
            let description = "Any success (the spec documents no response).".to_string();
            return vec![Response { status: Status::Range(2), description, contents: Vec::new(), headers: Vec::new() }];
        }
        let mut out = Vec::new();
        for (status, key, r) in list {
            let here = push_pointer(&at, &key);
            let Some((here, response)) = self.resolve_response(&here, r) else { continue };
            if !response.links.is_empty() {
                self.warn(
                    &push_pointer(&here, "links"),
                    "response `links` are ignored by this generator: follow them by hand",
                );
            }
            let suffix = match status {
                Status::Code(c) if (200..300).contains(&c) && c != 200 => format!("Response{c}"),
                Status::Code(200) => "Response".to_string(),
                Status::Code(c) => format!("Error{c}"),
                Status::Range(r) => format!("Error{r}xx"),
                Status::Default => "Error".to_string(),
            };
            // Refused before their schema is read: it would make its binary members file parts.
            let mut content = response.content.clone();
            content.retain(|media, _| body_kind(media, None) != Some(BodyKind::Multipart));
            for media in response.content.keys().filter(|m| !content.contains_key(*m)) {
                let at = push_pointer(&push_pointer(&here, "content"), media);
                self.error(&at, format!("`{media}` responses are not supported (requests only)"));
            }
            let mut contents = self.contents(&here, &content, &format!("{hint}{suffix}"));
            self.refuse_response_forms(&here, &mut contents);
            let headers = self.response_headers(&here, &response.headers, &format!("{hint}{suffix}"));
            out.push(Response { status, description: response.description.clone(), contents, headers });
        }
        out.sort_by_key(|r| r.status);
        out
    }

    fn resolve_response(
        &mut self,
        at: &str,
        r: &ReferenceOr<openapiv3::Response>,
    ) -> Option<(String, openapiv3::Response)> {
        match r {
            ReferenceOr::Item(r) => Some((at.to_string(), r.clone())),
            ReferenceOr::Reference { reference } => {
                let name = self.component_ref(at, reference, "responses")?;
                match self.components().and_then(|c| c.responses.get(&name)) {
                    Some(ReferenceOr::Item(r)) => Some((push_pointer("/components/responses", &name), r.clone())),
                    _ => {
                        self.error(
                            &push_pointer(at, "$ref"),
                            format!("unresolvable `$ref`: `{reference}` does not exist"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn response_headers(&mut self, at: &str, headers: &Headers, hint: &str) -> Vec<ResponseHeader> {
        let mut out = Vec::new();
        let mut fields = Scope::default();
        for (name, h) in headers {
            // OpenAPI: a response header named `Content-Type` is ignored (the media type says it).
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let here = push_pointer(&push_pointer(at, "headers"), name);
            let Some((here, h)) = self.resolve_header(&here, h) else { continue };
            let schema_ptr = push_pointer(&here, "schema");
            let Some(schema) = self.spec.raw(&schema_ptr).cloned() else {
                self.error(&here, "a response header needs a `schema`");
                continue;
            };
            let ty = self.schemas.type_of(&schema_ptr, &schema, &format!("{hint}{}", type_ident(name)));
            let documented = h.examples.values().find_map(|e| match e {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { .. } => None,
            });
            let example = h.example.clone().or(documented).or_else(|| schema.get("example").cloned());
            out.push(ResponseHeader {
                name: name.clone(),
                field: fields.claim(&[field_ident(name)], "_"),
                description: h.description.clone(),
                required: h.required,
                ty,
                example,
                pointer: here,
            });
        }
        out
    }

    fn resolve_header(&mut self, at: &str, h: &ReferenceOr<openapiv3::Header>) -> Option<(String, openapiv3::Header)> {
        match h {
            ReferenceOr::Item(h) => Some((at.to_string(), h.clone())),
            ReferenceOr::Reference { reference } => {
                let name = self.component_ref(at, reference, "headers")?;
                match self.components().and_then(|c| c.headers.get(&name)) {
                    Some(ReferenceOr::Item(h)) => Some((push_pointer("/components/headers", &name), h.clone())),
                    _ => {
                        self.error(
                            &push_pointer(at, "$ref"),
                            format!("unresolvable `$ref`: `{reference}` does not exist"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// `x-pagination` of a list operation:
    /// `{items: /data/items, page: <query parameter>, total: /data/total}` or
    /// `{items: /data, next: /links/next}`.
    fn pagination(&mut self, at: &str, op: &Operation) -> Option<Pagination> {
        let here = push_pointer(at, "x-pagination");
        let raw = self.spec.raw(&here)?.clone();
        if op.body.is_some() {
            self.error(&here, "paginated operations with a request body are not supported");
            return None;
        }
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_string);
        let Some(body) = op
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .flat_map(|r| &r.contents)
            .find(|c| c.kind == BodyKind::Json)
            .and_then(|c| c.ty.clone())
        else {
            self.error(&here, "a paginated operation needs a JSON success body");
            return None;
        };
        let (items, item) = match text("items").map(|p| self.walk(&push_pointer(&here, "items"), &body, &p)) {
            Some(Some((steps, TypeRef::Array(item)))) => (steps, *item),
            Some(Some(_)) => {
                self.error(&push_pointer(&here, "items"), "`items` must point at an array");
                return None;
            }
            Some(None) => return None,
            None => {
                self.error(&here, "`x-pagination` needs `items`, a JSON pointer into the success body");
                return None;
            }
        };
        let next = match (text("page"), text("next")) {
            (Some(page), None) => {
                let Some(param) = op
                    .params
                    .iter()
                    .find(|p| p.name == page && p.location == ParamLocation::Query && p.presence.is_optional())
                else {
                    self.error(
                        &push_pointer(&here, "page"),
                        format!("`{page}` is not an optional query parameter of this operation"),
                    );
                    return None;
                };
                let total = match text("total") {
                    Some(t) => Some(self.walk(&push_pointer(&here, "total"), &body, &t)?),
                    None => None,
                };
                NextPage::Number { param: param.field.clone(), ty: param.ty.clone(), total }
            }
            (None, Some(next)) => NextPage::Link(self.walk(&push_pointer(&here, "next"), &body, &next)?.0),
            _ => {
                self.error(&here, "`x-pagination` needs either `page` (a query parameter) or `next` (a pointer to the next page's URL)");
                return None;
            }
        };
        Some(Pagination { items, item, next })
    }

    /// Follows a JSON pointer through the fields of `ty`; the steps and the type at its end.
    fn walk(&mut self, at: &str, ty: &TypeRef, pointer: &str) -> Option<(Vec<Step>, TypeRef)> {
        let mut steps = Vec::new();
        let mut current = ty.clone();
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let field = match &current {
                TypeRef::Named(name) => self.schemas.field(name, &token),
                _ => None,
            };
            let Some(field) = field else {
                self.error(at, format!("`{pointer}`: no field `{token}` in the response body"));
                return None;
            };
            let nullable = field.presence == Presence::OptionalNullable;
            steps.push(Step { field: field.name.clone(), optional: field.presence != Presence::Required, nullable });
            current = field.ty.clone();
        }
        Some((steps, current))
    }

    /// `x-error-in-200: '#/components/schemas/X'` at the top level.
    fn error_in_success(&mut self) -> Option<TypeRef> {
        let ext = self.spec.openapi.extensions.get("x-error-in-200")?.clone();
        Some(self.schemas.type_of("/x-error-in-200", &serde_json::json!({ "$ref": ext }), "ErrorInSuccess"))
    }
}

type Examples = IndexMap<String, ReferenceOr<OaExample>>;
type Contents = IndexMap<String, MediaType>;
type Headers = IndexMap<String, ReferenceOr<openapiv3::Header>>;

fn path_item_op(item: &openapiv3::PathItem, method: Method) -> Option<&OaOperation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Trace => item.trace.as_ref(),
    }
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// `get /a/{b}/c` -> `get_a_b_c` for operations without an operationId.
/// A webhook's or callback's name as one route segment: as written when it is plain, else its
/// snake_case form (the router reads braces, `:` and `*` as parameters).
fn route_segment(name: &str) -> String {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    if plain { name.to_string() } else { field_ident(name) }
}

fn derived_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    format!("{method}_{}", words.join("_"))
}

/// How a media type's bodies are carried, or `None` when unsupported.
pub fn body_kind(media_type: &str, format: Option<&str>) -> Option<BodyKind> {
    let essence = essence(media_type);
    let subtype = essence.split_once('/').map_or("", |(_, s)| s);
    let json_seq = ["x-ndjson", "jsonl", "json-seq", "x-jsonlines"].contains(&subtype);
    // `application/json`, `*+json`, and names that are JSON with another suffix (`json+sarif`).
    if !json_seq
        && (subtype == "json"
            || subtype.ends_with("+json")
            || subtype.starts_with("json+")
            || subtype.ends_with(".json"))
    {
        return Some(BodyKind::Json);
    }
    if essence == "text/event-stream" {
        return Some(BodyKind::EventStream);
    }
    // Before `format: binary`: a multipart body's schema is the object of its parts.
    if essence == "multipart/form-data" {
        return Some(BodyKind::Multipart);
    }
    if format == Some("binary") || essence == "application/octet-stream" {
        return Some(BodyKind::Binary);
    }
    if essence.starts_with("text/") || essence == "application/xml" || essence.ends_with("+xml") {
        return Some(BodyKind::Text);
    }
    if essence == "application/x-www-form-urlencoded" {
        return Some(BodyKind::Form);
    }
    if essence.starts_with("multipart/") {
        return None;
    }
    // Anything else, `*/*` included, is carried as the bytes it is.
    Some(BodyKind::Binary)
}

fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Media types that are bytes whatever their schema says.
fn known_binary(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence.contains('*')
        || ["image/", "audio/", "video/", "font/"].iter().any(|p| essence.starts_with(p))
        || ["application/octet-stream", "application/pdf", "application/zip", "message/rfc822"]
            .contains(&essence.as_str())
}

/// A schema that describes JSON structure (an object, an array or a reference), not a blob.
fn is_structured(schema: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("object" | "array") => true,
        Some(_) => false,
        None => ["$ref", "properties", "allOf", "oneOf", "anyOf", "items"].iter().any(|k| schema.get(*k).is_some()),
    }
}

/// The parameter name in a path segment holding one (`{sid}.json` -> `sid`).
fn segment_param(segment: &str) -> &str {
    let start = segment.find('{').map_or(0, |i| i + 1);
    let end = segment.rfind('}').unwrap_or(segment.len()).max(start);
    &segment[start..end]
}

/// The literal text before and after parameter `name` in its segment of `path`.
fn segment_affixes(path: &str, name: &str) -> (String, String) {
    let placeholder = format!("{{{name}}}");
    path.split('/')
        .find_map(|segment| segment.split_once(placeholder.as_str()))
        .map(|(prefix, suffix)| (prefix.to_string(), suffix.to_string()))
        .unwrap_or_default()
}
