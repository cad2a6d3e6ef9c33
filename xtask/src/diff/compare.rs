//! The comparison of two models: operations, then named schemas, each change located and
//! classified.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::classes::{Kind, Usage};
use super::{Change, Location, Side};
use crate::model::{
    Additional, Api, Constraints, Content, Field, Operation, Param, ParamLocation, Primitive, Response, ResponseHeader,
    Status, TypeDef, TypeKind, TypeRef,
};
use crate::spec::push_pointer;

/// Where a schema is used: its flow and the operations that reach it.
type Uses = BTreeMap<String, (Usage, BTreeSet<String>)>;

pub fn changes(old: &Side, new: &Side) -> Vec<Change> {
    let mut cx = Cx { old, new, uses: uses(&old.api), out: Vec::new() };
    for (name, (usage, ops)) in uses(&new.api) {
        let entry = cx.uses.entry(name).or_default();
        entry.0.request |= usage.request;
        entry.0.response |= usage.response;
        entry.1.extend(ops);
    }
    cx.api();
    cx.operations(&old.api.operations, &new.api.operations, false);
    cx.operations(&old.api.receivers, &new.api.receivers, true);
    cx.types();
    cx.out
}

struct Cx<'a> {
    old: &'a Side,
    new: &'a Side,
    /// Usage over both versions: a change is judged by every flow its schema had or has.
    uses: Uses,
    out: Vec<Change>,
}

/// Which spec a change is located in.
#[derive(Clone, Copy)]
enum In {
    Old,
    New,
}

/// What a change belongs to.
#[derive(Clone)]
enum Owner {
    Api,
    Operation(String),
    /// A webhook or callback, by its label (`webhook `newPet``): see [`receiver_effects`].
    Receiver(String),
    Schema(String),
}

impl<'a> Cx<'a> {
    fn side(&self, at: In) -> &'a Side {
        match at {
            In::Old => self.old,
            In::New => self.new,
        }
    }

    fn push(&mut self, kind: Kind, owner: &Owner, at: In, pointer: &str, mut message: String) {
        if let Owner::Schema(name) = owner {
            let marker = Some(TypeRef::Named(name.clone()));
            if self.old.api.error_in_success == marker || self.new.api.error_in_success == marker {
                message
                    .push_str(" (the `x-error-in-200` schema: clients tell errors sent with 2xx from successes by it)");
            }
        }
        let location: Location = self.side(at).locate(pointer);
        let (operation, schema, usage, used_by) = match owner {
            Owner::Api => (None, None, Usage::NONE, Vec::new()),
            // Flow-dependent changes of an operation are its parameters': request data.
            Owner::Operation(id) => (Some(id.clone()), None, Usage::REQUEST, Vec::new()),
            Owner::Receiver(_) => (None, None, Usage::REQUEST, Vec::new()),
            Owner::Schema(name) => {
                let (usage, ops) = self.uses.get(name).cloned().unwrap_or_default();
                (None, Some(name.clone()), usage, ops.into_iter().collect())
            }
        };
        let receiver = match owner {
            Owner::Receiver(label) => Some(label.clone()),
            _ => None,
        };
        let effects = if receiver.is_some() { receiver_effects(kind.effects(usage)) } else { kind.effects(usage) };
        self.out.push(Change {
            kind,
            operation,
            receiver,
            schema,
            used_by,
            message,
            location,
            effects,
            rust: kind.rust_note().to_string(),
        });
    }

    /// `retyped`, except that a schema swapped for another of the same wire shape (a renamed or
    /// merged component) is a rename: nothing changes over HTTP.
    fn retype(&self, a: &TypeRef, b: &TypeRef) -> Option<Kind> {
        let kind = retyped(a, b)?;
        if kind == Kind::MemberRetyped && same_wire(&self.old.api, a, &self.new.api, b, 0) {
            return Some(Kind::TypeRenamed);
        }
        Some(kind)
    }

    fn api(&mut self) {
        let (o, n) = (&self.old.api, &self.new.api);
        if o.base_path != n.base_path {
            let msg = format!("server path `{}` -> `{}`", o.base_path, n.base_path);
            self.push(Kind::ServerUrlChanged, &Owner::Api, In::New, "/servers/0/url", msg);
        } else if o.server_url != n.server_url {
            self.push(
                Kind::Documentation,
                &Owner::Api,
                In::New,
                "/servers/0/url",
                "server URL changed, same path".into(),
            );
        }
        if (&o.title, &o.version, &o.description) != (&n.title, &n.version, &n.description) {
            self.push(
                Kind::Documentation,
                &Owner::Api,
                In::New,
                "/info",
                format!("info: version `{}` -> `{}`, title or description", o.version, n.version),
            );
        }
        if o.error_in_success != n.error_in_success {
            let msg =
                format!("`x-error-in-200`: {} -> {}", show_opt(&o.error_in_success), show_opt(&n.error_in_success));
            let at = if n.error_in_success.is_some() { In::New } else { In::Old };
            self.push(Kind::ErrorInSuccessChanged, &Owner::Api, at, "/x-error-in-200", msg);
        }
        for s in &o.security_schemes {
            let at = push_pointer("/components/securitySchemes", &s.name);
            match n.security_schemes.iter().find(|t| t.name == s.name) {
                None => self.push(
                    Kind::SecuritySchemeChanged,
                    &Owner::Api,
                    In::Old,
                    &at,
                    format!("security scheme `{}` removed", s.name),
                ),
                Some(t) if t.kind != s.kind => self.push(
                    Kind::SecuritySchemeChanged,
                    &Owner::Api,
                    In::New,
                    &at,
                    format!("security scheme `{}`: {:?} -> {:?}", s.name, s.kind, t.kind),
                ),
                Some(t) if t.description != s.description => self.push(
                    Kind::Documentation,
                    &Owner::Api,
                    In::New,
                    &at,
                    format!("security scheme `{}`: description", s.name),
                ),
                Some(_) => {}
            }
        }
        for t in n.security_schemes.iter().filter(|t| !o.security_schemes.iter().any(|s| s.name == t.name)) {
            let at = push_pointer("/components/securitySchemes", &t.name);
            self.push(Kind::Documentation, &Owner::Api, In::New, &at, format!("security scheme `{}` defined", t.name));
        }
    }

    /// Matches the operations (or the receivers) of both sides by operationId, then what is
    /// left by method and path (a rename), and compares each pair.
    fn operations(&mut self, old_ops: &'a [Operation], new_ops: &'a [Operation], receivers: bool) {
        let line = |op: &Operation| {
            let on = if receivers { " on the receiver" } else { "" };
            format!("{}{on} (`{}`)", request_line(op), op.operation_id)
        };
        let owner_of = |side: &Side, op: &Operation| {
            if receivers {
                Owner::Receiver(receiver_label(&side.api, op))
            } else {
                Owner::Operation(op.operation_id.clone())
            }
        };
        let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
        let mut old_left: Vec<&Operation> = Vec::new();
        for o in old_ops {
            match new_ops.iter().find(|n| n.operation_id == o.operation_id) {
                Some(n) => pairs.push((o, n)),
                None => old_left.push(o),
            }
        }
        let mut new_left: Vec<&Operation> =
            new_ops.iter().filter(|n| !pairs.iter().any(|(_, p)| p.operation_id == n.operation_id)).collect();
        // Same method and path under a new operationId: a rename, not a removal and an addition.
        old_left.retain(|o| match new_left.iter().position(|n| n.method == o.method && n.path == o.path) {
            Some(i) => {
                let n = new_left.remove(i);
                let owner = owner_of(self.new, n);
                let msg = format!("{}: operationId `{}` -> `{}`", request_line(n), o.operation_id, n.operation_id);
                // The Rust names follow the operationId; a change of case alone may leave them as they were.
                let kind = if o.plan.method == n.plan.method { Kind::Documentation } else { Kind::OperationRenamed };
                self.push(kind, &owner, In::New, &(op_pointer(n) + "/operationId"), msg);
                pairs.push((o, n));
                false
            }
            None => true,
        });
        for o in old_left {
            let msg = format!("{} removed", line(o));
            self.push(Kind::OperationRemoved, &owner_of(self.old, o), In::Old, &op_pointer(o), msg);
        }
        for n in new_left {
            let msg = format!("{} added", line(n));
            self.push(Kind::OperationAdded, &owner_of(self.new, n), In::New, &op_pointer(n), msg);
        }
        for (o, n) in pairs {
            let owner = owner_of(self.new, n);
            self.operation(owner, o, n);
        }
    }

    fn operation(&mut self, owner: Owner, o: &Operation, n: &Operation) {
        let at = op_pointer(n);
        if (o.method, &o.path) != (n.method, &n.path) {
            let msg = format!("`{} {}` -> `{} {}`", o.method.as_str(), o.path, n.method.as_str(), n.path);
            self.push(Kind::OperationMoved, &owner, In::New, &at, msg);
        }
        if (&o.summary, &o.description) != (&n.summary, &n.description) {
            self.push(Kind::Documentation, &owner, In::New, &at, "summary or description changed".into());
        }
        if o.deprecated != n.deprecated {
            self.push(Kind::Deprecated, &owner, In::New, &at, deprecation("operation", n.deprecated));
        }
        self.params(&owner, o, n);
        self.body(&owner, o, n);
        self.responses(&owner, o, n);
        for alt in n.security.iter().filter(|a| !o.security.contains(a)) {
            self.push(
                Kind::SecurityAdded,
                &owner,
                In::New,
                &(at.clone() + "/security"),
                format!("security alternative {} accepted", show_alt(alt)),
            );
        }
        for alt in o.security.iter().filter(|a| !n.security.contains(a)) {
            self.push(
                Kind::SecurityRemoved,
                &owner,
                In::New,
                &(at.clone() + "/security"),
                format!("security alternative {} no longer accepted", show_alt(alt)),
            );
        }
        let here = at.clone() + "/x-pagination";
        match (&o.pagination, &n.pagination) {
            (None, Some(_)) => self.push(Kind::PaginationAdded, &owner, In::New, &here, "`x-pagination` added".into()),
            (Some(_), None) => self.push(
                Kind::PaginationRemoved,
                &owner,
                In::Old,
                &(op_pointer(o) + "/x-pagination"),
                "`x-pagination` removed".into(),
            ),
            (Some(a), Some(b)) if format!("{a:?}") != format!("{b:?}") => {
                self.push(Kind::PaginationChanged, &owner, In::New, &here, "`x-pagination` changed".into())
            }
            _ => {}
        }
    }

    fn params(&mut self, owner: &Owner, o: &Operation, n: &Operation) {
        let key = |p: &Param| (p.name.clone(), location_name(p.location));
        for p in &o.params {
            if !n.params.iter().any(|q| key(q) == key(p)) {
                let msg = format!("{} parameter `{}` removed", location_name(p.location), p.name);
                self.push(Kind::ParameterRemoved, owner, In::Old, &param_pointer(self.old, o, p), msg);
            }
        }
        for q in &n.params {
            let at = param_pointer(self.new, n, q);
            let what = format!("{} parameter `{}`", location_name(q.location), q.name);
            let Some(p) = o.params.iter().find(|p| key(p) == key(q)) else {
                let kind = if required(q) { Kind::ParameterAddedRequired } else { Kind::ParameterAddedOptional };
                let msg = format!("{what} added ({})", if required(q) { "required" } else { "optional" });
                self.push(kind, owner, In::New, &at, msg);
                continue;
            };
            if required(p) != required(q) {
                let kind = if required(q) { Kind::ParameterRequired } else { Kind::ParameterOptional };
                self.push(
                    kind,
                    owner,
                    In::New,
                    &at,
                    format!("{what} made {}", if required(q) { "required" } else { "optional" }),
                );
            }
            if let Some(kind) = self.retype(&p.ty, &q.ty) {
                let kind = if kind == Kind::MemberRetyped { Kind::ParameterRetyped } else { kind };
                self.push(kind, owner, In::New, &at, format!("{what}: {} -> {}", show(&p.ty), show(&q.ty)));
            }
            if (p.style, p.explode) != (q.style, q.explode) {
                self.push(
                    Kind::ParameterSerialization,
                    owner,
                    In::New,
                    &at,
                    format!("{what}: style or explode changed"),
                );
            }
            self.limits(owner, In::New, &at, &what, &p.constraints, &q.constraints);
            if p.default != q.default {
                let msg = format!("{what}: default {} -> {}", show_json(&p.default), show_json(&q.default));
                self.push(Kind::DefaultChanged, owner, In::New, &at, msg);
            }
            if p.deprecated != q.deprecated {
                self.push(Kind::Deprecated, owner, In::New, &at, deprecation(&what, q.deprecated));
            }
            if p.description != q.description || examples(&p.examples) != examples(&q.examples) {
                self.push(Kind::Documentation, owner, In::New, &at, format!("{what}: description or examples"));
            }
        }
    }

    fn body(&mut self, owner: &Owner, o: &Operation, n: &Operation) {
        let at = op_pointer(n) + "/requestBody";
        match (&o.body, &n.body) {
            (None, None) => {}
            (Some(_), None) => self.push(
                Kind::RequestBodyRemoved,
                owner,
                In::Old,
                &(op_pointer(o) + "/requestBody"),
                "request body removed".into(),
            ),
            (None, Some(b)) => {
                let msg = format!("request body added ({})", if b.required { "required" } else { "optional" });
                self.push(Kind::RequestBodyAdded, owner, In::New, &at, msg)
            }
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let kind = if b.required { Kind::RequestBodyRequired } else { Kind::RequestBodyOptional };
                    self.push(
                        kind,
                        owner,
                        In::New,
                        &at,
                        format!("request body made {}", if b.required { "required" } else { "optional" }),
                    );
                }
                if a.description != b.description {
                    self.push(Kind::Documentation, owner, In::New, &at, "request body description".into());
                }
                let media = (Kind::RequestMediaAdded, Kind::RequestMediaRemoved);
                self.contents(owner, &op_pointer(o), &at, "request body", &a.contents, &b.contents, media);
            }
        }
    }

    fn responses(&mut self, owner: &Owner, o: &Operation, n: &Operation) {
        for r in &o.responses {
            if !n.responses.iter().any(|s| s.status == r.status) {
                let at = response_pointer(self.old, o, r.status);
                self.push(
                    Kind::ResponseRemoved,
                    owner,
                    In::Old,
                    &at,
                    format!("response {} removed", show_status(r.status)),
                );
            }
        }
        for s in &n.responses {
            let at = response_pointer(self.new, n, s.status);
            let Some(r) = o.responses.iter().find(|r| r.status == s.status) else {
                self.push(
                    Kind::ResponseAdded,
                    owner,
                    In::New,
                    &at,
                    format!("response {} added", show_status(s.status)),
                );
                continue;
            };
            // A media type added to a success response after every success media type the
            // operation had only adds a client method: the existing ones keep their types.
            let appended = s.status.is_success() && !r.contents.is_empty() && {
                let (before, after) = (success_media(o), success_media(n));
                after.starts_with(&before)
            };
            let added = if appended { Kind::SuccessMediaAppended } else { Kind::ResponseMediaAdded };
            self.response(owner, &response_pointer(self.old, o, r.status), &at, r, s, added);
        }
    }

    fn response(&mut self, owner: &Owner, old_at: &str, at: &str, r: &Response, s: &Response, added: Kind) {
        let what = format!("response {}", show_status(s.status));
        if r.description != s.description {
            self.push(Kind::Documentation, owner, In::New, at, format!("{what}: description"));
        }
        for h in &r.headers {
            if !s.headers.iter().any(|g| g.name.eq_ignore_ascii_case(&h.name)) {
                let p = push_pointer(&(old_at.to_string() + "/headers"), &h.name);
                self.push(
                    Kind::ResponseHeaderRemoved,
                    owner,
                    In::Old,
                    &p,
                    format!("{what}: header `{}` removed", h.name),
                );
            }
        }
        for g in &s.headers {
            if let Some(h) = r.headers.iter().find(|h| h.name.eq_ignore_ascii_case(&g.name)) {
                self.header_changes(owner, &what, &(at.to_string() + "/headers"), h, g);
            }
            if !r.headers.iter().any(|h| h.name.eq_ignore_ascii_case(&g.name)) {
                let p = push_pointer(&(at.to_string() + "/headers"), &g.name);
                // The first header of a response gives it a headers struct; later ones are fields of it.
                let kind = if r.headers.is_empty() { Kind::ResponseHeadersAdded } else { Kind::ResponseHeaderAdded };
                let required = if g.required { "required" } else { "optional" };
                self.push(kind, owner, In::New, &p, format!("{what}: header `{}` added ({required})", g.name));
            }
        }
        let media = (added, Kind::ResponseMediaRemoved);
        self.contents(owner, old_at, at, &what, &r.contents, &s.contents, media);
    }

    /// A header documented before and after: its type and whether it is required.
    fn header_changes(&mut self, owner: &Owner, what: &str, headers_at: &str, h: &ResponseHeader, g: &ResponseHeader) {
        let p = push_pointer(headers_at, &g.name);
        if h.ty != g.ty {
            self.push(Kind::ResponseHeaderRetyped, owner, In::New, &p, format!("{what}: header `{}` retyped", g.name));
        }
        match (h.required, g.required) {
            (false, true) => {
                let message = format!("{what}: header `{}` made required", g.name);
                self.push(Kind::ResponseHeaderRequired, owner, In::New, &p, message);
            }
            (true, false) => {
                let message = format!("{what}: header `{}` made optional", g.name);
                self.push(Kind::ResponseHeaderOptional, owner, In::New, &p, message);
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn contents(
        &mut self,
        owner: &Owner,
        old_at: &str,
        at: &str,
        what: &str,
        a: &[Content],
        b: &[Content],
        (added, removed): (Kind, Kind),
    ) {
        for c in a.iter().filter(|c| !b.iter().any(|d| d.media_type == c.media_type)) {
            let p = push_pointer(&(old_at.to_string() + "/content"), &c.media_type);
            self.push(removed, owner, In::Old, &p, format!("{what}: media type `{}` removed", c.media_type));
        }
        for d in b {
            let p = push_pointer(&(at.to_string() + "/content"), &d.media_type);
            let Some(c) = a.iter().find(|c| c.media_type == d.media_type) else {
                self.push(added, owner, In::New, &p, format!("{what}: media type `{}` added", d.media_type));
                continue;
            };
            let renamed = matches!((&c.ty, &d.ty), (Some(x), Some(y)) if self.retype(x, y) == Some(Kind::TypeRenamed));
            if c.ty != d.ty || c.kind != d.kind {
                let msg = format!("{what} `{}`: {} -> {}", d.media_type, show_opt(&c.ty), show_opt(&d.ty));
                let kind = if renamed && c.kind == d.kind { Kind::TypeRenamed } else { Kind::BodyRetyped };
                self.push(kind, owner, In::New, &p, msg);
            }
            let changed = encoding_changes(c, d);
            if !changed.is_empty() {
                let msg = format!("{what} `{}`: encoding of {}", d.media_type, changed.join(", "));
                self.push(Kind::BodyEncodingChanged, owner, In::New, &p, msg);
            }
            if examples(&c.examples) != examples(&d.examples) {
                self.push(Kind::Documentation, owner, In::New, &p, format!("{what} `{}`: examples", d.media_type));
            }
        }
    }

    fn limits(&mut self, owner: &Owner, at_in: In, at: &str, what: &str, a: &Constraints, b: &Constraints) {
        let (tightened, loosened) = limit_changes(a, b);
        if !tightened.is_empty() {
            self.push(Kind::LimitsTightened, owner, at_in, at, format!("{what}: {}", tightened.join(", ")));
        }
        if !loosened.is_empty() {
            self.push(Kind::LimitsLoosened, owner, at_in, at, format!("{what}: {}", loosened.join(", ")));
        }
        if a.pattern != b.pattern {
            let msg = format!("{what}: pattern {} -> {}", show_json(&a.pattern), show_json(&b.pattern));
            self.push(Kind::PatternChanged, owner, at_in, at, msg);
        }
    }

    fn types(&mut self) {
        let old: BTreeMap<&str, &TypeDef> = self.old.api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let new: BTreeMap<&str, &TypeDef> = self.new.api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        for (name, t) in &old {
            if !new.contains_key(name) {
                let owner = Owner::Schema(name.to_string());
                self.push(Kind::TypeRemoved, &owner, In::Old, &t.origin, format!("schema `{name}` removed"));
            }
        }
        for (name, t) in &new {
            let owner = Owner::Schema(name.to_string());
            match old.get(name) {
                None => self.push(Kind::TypeAdded, &owner, In::New, &t.origin, format!("schema `{name}` added")),
                Some(s) => self.typedef(&owner, s, t),
            }
        }
    }

    fn typedef(&mut self, owner: &Owner, s: &TypeDef, t: &TypeDef) {
        let name = &t.name;
        if s.description != t.description || s.example != t.example {
            self.push(Kind::Documentation, owner, In::New, &t.origin, format!("`{name}`: description or example"));
        }
        if s.deprecated != t.deprecated {
            self.push(Kind::Deprecated, owner, In::New, &t.origin, deprecation(&format!("`{name}`"), t.deprecated));
        }
        match (&s.kind, &t.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                for f in &a.fields {
                    if !b.fields.iter().any(|g| g.json_name == f.json_name) {
                        let at = property_pointer(self.old, &s.origin, &f.json_name);
                        self.push(
                            Kind::MemberRemoved,
                            owner,
                            In::Old,
                            &at,
                            format!("`{name}.{}` removed", f.json_name),
                        );
                    }
                }
                for g in &b.fields {
                    let at = property_pointer(self.new, &t.origin, &g.json_name);
                    match a.fields.iter().find(|f| f.json_name == g.json_name) {
                        None => {
                            let kind = if g.required { Kind::MemberAddedRequired } else { Kind::MemberAddedOptional };
                            let msg = format!(
                                "`{name}.{}` added ({})",
                                g.json_name,
                                if g.required { "required" } else { "optional" }
                            );
                            self.push(kind, owner, In::New, &at, msg);
                        }
                        Some(f) => self.field(owner, &at, &format!("`{name}.{}`", g.json_name), f, g),
                    }
                }
                if a.additional != b.additional {
                    let msg = format!(
                        "`{name}`: additionalProperties {} -> {}",
                        show_additional(&a.additional),
                        show_additional(&b.additional)
                    );
                    self.push(Kind::AdditionalChanged, owner, In::New, &t.origin, msg);
                }
                self.limits(owner, In::New, &t.origin, &format!("`{name}`"), &a.constraints, &b.constraints);
            }
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => {
                let (a, b): (Vec<Value>, Vec<Value>) = (
                    a.iter().map(|v| Value::from(v.value.clone())).collect(),
                    b.iter().map(|v| Value::from(v.value.clone())).collect(),
                );
                self.enum_values(owner, s, t, &a, &b);
            }
            (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => {
                let (a, b): (Vec<Value>, Vec<Value>) = (
                    a.iter().map(|v| Value::from(v.value)).collect(),
                    b.iter().map(|v| Value::from(v.value)).collect(),
                );
                self.enum_values(owner, s, t, &a, &b);
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                for v in a.variants.iter().filter(|v| !b.variants.iter().any(|w| w.ty == v.ty)) {
                    self.push(
                        Kind::UnionVariantRemoved,
                        owner,
                        In::Old,
                        &s.origin,
                        format!("`{name}`: variant {} removed", show(&v.ty)),
                    );
                }
                for w in b.variants.iter().filter(|w| !a.variants.iter().any(|v| v.ty == w.ty)) {
                    self.push(
                        Kind::UnionVariantAdded,
                        owner,
                        In::New,
                        &t.origin,
                        format!("`{name}`: variant {} added", show(&w.ty)),
                    );
                }
                let tags = |u: &crate::model::Union| {
                    u.variants.iter().map(|v| (show(&v.ty), v.tags.clone())).collect::<BTreeMap<_, _>>()
                };
                if a.discriminator != b.discriminator
                    || tags(a).iter().any(|(k, v)| tags(b).get(k).is_some_and(|w| w != v))
                {
                    self.push(
                        Kind::DiscriminatorChanged,
                        owner,
                        In::New,
                        &t.origin,
                        format!("`{name}`: discriminator or its mapping changed"),
                    );
                }
            }
            (TypeKind::Alias { ty: a, constraints: ca }, TypeKind::Alias { ty: b, constraints: cb }) => {
                if let Some(kind) = self.retype(a, b) {
                    self.push(kind, owner, In::New, &t.origin, format!("`{name}`: {} -> {}", show(a), show(b)));
                }
                self.limits(owner, In::New, &t.origin, &format!("`{name}`"), ca, cb);
            }
            (a, b) => {
                let msg = format!("`{name}`: {} -> {}", shape(a), shape(b));
                self.push(Kind::TypeReshaped, owner, In::New, &t.origin, msg);
            }
        }
    }

    fn field(&mut self, owner: &Owner, at: &str, what: &str, f: &Field, g: &Field) {
        let flag = |this: &mut Self, changed: bool, yes: Kind, no: Kind, now: bool, text: &str| {
            if changed {
                let kind = if now { yes } else { no };
                this.push(
                    kind,
                    owner,
                    In::New,
                    at,
                    format!("{what} {}{text}", if now { "made " } else { "no longer " }),
                );
            }
        };
        flag(self, f.required != g.required, Kind::MemberRequired, Kind::MemberOptional, g.required, "required");
        flag(self, f.nullable != g.nullable, Kind::MemberNullable, Kind::MemberNotNullable, g.nullable, "nullable");
        flag(self, f.read_only != g.read_only, Kind::ReadOnlyAdded, Kind::WriteOnlyAdded, g.read_only, "readOnly");
        flag(self, f.write_only != g.write_only, Kind::WriteOnlyAdded, Kind::ReadOnlyAdded, g.write_only, "writeOnly");
        if let Some(kind) = self.retype(&f.ty, &g.ty) {
            self.push(kind, owner, In::New, at, format!("{what}: {} -> {}", show(&f.ty), show(&g.ty)));
        }
        self.limits(owner, In::New, at, what, &f.constraints, &g.constraints);
        if f.default != g.default {
            let msg = format!("{what}: default {} -> {}", show_json(&f.default), show_json(&g.default));
            self.push(Kind::DefaultChanged, owner, In::New, at, msg);
        }
        if f.deprecated != g.deprecated {
            self.push(Kind::Deprecated, owner, In::New, at, deprecation(what, g.deprecated));
        }
        if f.description != g.description {
            self.push(Kind::Documentation, owner, In::New, at, format!("{what}: description"));
        }
    }

    fn enum_values(&mut self, owner: &Owner, s: &TypeDef, t: &TypeDef, a: &[Value], b: &[Value]) {
        for v in a.iter().filter(|v| !b.contains(v)) {
            let at = enum_pointer(self.old, &s.origin, v);
            self.push(Kind::EnumValueRemoved, owner, In::Old, &at, format!("`{}`: value {v} removed", t.name));
        }
        for v in b.iter().filter(|v| !a.contains(v)) {
            let at = enum_pointer(self.new, &t.origin, v);
            self.push(Kind::EnumValueAdded, owner, In::New, &at, format!("`{}`: value {v} added", t.name));
        }
    }
}

/// Where each named type is used, walking every operation's parameters, bodies and responses.
fn uses(api: &crate::model::Api) -> Uses {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut out = Uses::new();
    // A receiver's request is written by the service and read by its peer: response data in
    // the columns' terms (see `receiver_effects`), and its response request data.
    let receivers = api.receivers.iter().map(|op| (op, Usage::RESPONSE, Usage::REQUEST));
    let operations = api.operations.iter().map(|op| (op, Usage::REQUEST, Usage::RESPONSE));
    for (op, request, response) in operations.chain(receivers) {
        // Schemas name the receivers that use them as the report does.
        let user = if request == Usage::REQUEST { op.operation_id.clone() } else { receiver_label(api, op) };
        let requests = op
            .params
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().flat_map(|b| &b.contents).filter_map(|c| c.ty.as_ref()));
        for ty in requests {
            mark(&types, ty, request, &user, &mut out);
        }
        let contents = op.responses.iter().flat_map(|r| &r.contents).filter_map(|c| c.ty.as_ref());
        for ty in contents.chain(op.responses.iter().flat_map(|r| &r.headers).map(|h| &h.ty)) {
            mark(&types, ty, response, &user, &mut out);
        }
        if let (Some(ty), Usage::REQUEST) = (&api.error_in_success, request) {
            mark(&types, ty, Usage::RESPONSE, &user, &mut out);
        }
    }
    out
}

fn mark(types: &BTreeMap<&str, &TypeDef>, ty: &TypeRef, usage: Usage, op: &str, out: &mut Uses) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => mark(types, inner, usage, op, out),
        TypeRef::Named(name) => {
            let entry = out.entry(name.clone()).or_default();
            let known =
                (entry.0.request || !usage.request) && (entry.0.response || !usage.response) && entry.1.contains(op);
            if known {
                return;
            }
            entry.0.request |= usage.request;
            entry.0.response |= usage.response;
            entry.1.insert(op.to_string());
            let Some(def) = types.get(name.as_str()) else { return };
            let inner: Vec<&TypeRef> = match &def.kind {
                TypeKind::Struct(s) => {
                    let extra = match &s.additional {
                        Additional::Map(t) => Some(t),
                        _ => None,
                    };
                    s.fields.iter().map(|f| &f.ty).chain(extra).collect()
                }
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias { ty, .. } => vec![ty],
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
            };
            for t in inner {
                mark(types, t, usage, op, out);
            }
        }
        _ => {}
    }
}

/// `None` when equal; a format change when the JSON type stays; otherwise a retype.
fn retyped(a: &TypeRef, b: &TypeRef) -> Option<Kind> {
    match (a, b) {
        _ if a == b => None,
        (TypeRef::Primitive(p), TypeRef::Primitive(q)) if json_type(*p) == json_type(*q) => Some(Kind::FormatChanged),
        (TypeRef::Array(p), TypeRef::Array(q)) | (TypeRef::Map(p), TypeRef::Map(q)) => retyped(p, q),
        _ => Some(Kind::MemberRetyped),
    }
}

/// Whether `a` (in `old`) and `b` (in `new`) accept and produce the same JSON, whatever their
/// names: enums with the same values, objects with the same members, and so on.
fn same_wire(old: &Api, a: &TypeRef, new: &Api, b: &TypeRef, depth: u8) -> bool {
    const DEEPEST: u8 = 8;
    if depth > DEEPEST {
        return false;
    }
    let again = |x: &TypeRef, y: &TypeRef| same_wire(old, x, new, y, depth + 1);
    match (a, b) {
        (TypeRef::Named(x), TypeRef::Named(y)) => {
            let (Some(s), Some(t)) = (old.types.iter().find(|d| &d.name == x), new.types.iter().find(|d| &d.name == y))
            else {
                return false;
            };
            match (&s.kind, &t.kind) {
                (TypeKind::StringEnum(p), TypeKind::StringEnum(q)) => {
                    p.iter().map(|v| &v.value).collect::<BTreeSet<_>>()
                        == q.iter().map(|v| &v.value).collect::<BTreeSet<_>>()
                }
                (TypeKind::IntEnum(p), TypeKind::IntEnum(q)) => {
                    p.iter().map(|v| v.value).collect::<BTreeSet<_>>()
                        == q.iter().map(|v| v.value).collect::<BTreeSet<_>>()
                }
                (TypeKind::Alias { ty: p, constraints: c }, TypeKind::Alias { ty: q, constraints: d }) => {
                    c == d && again(p, q)
                }
                (TypeKind::Struct(p), TypeKind::Struct(q)) => {
                    p.constraints == q.constraints
                        && std::mem::discriminant(&p.additional) == std::mem::discriminant(&q.additional)
                        && p.fields.len() == q.fields.len()
                        && p.fields.iter().all(|f| {
                            q.fields.iter().any(|g| {
                                g.json_name == f.json_name
                                    && (g.required, g.nullable, g.read_only, g.write_only)
                                        == (f.required, f.nullable, f.read_only, f.write_only)
                                    && g.constraints == f.constraints
                                    && again(&f.ty, &g.ty)
                            })
                        })
                }
                (TypeKind::Union(p), TypeKind::Union(q)) => {
                    (p.discriminator == q.discriminator && p.variants.len() == q.variants.len())
                        && p.variants.iter().zip(&q.variants).all(|(v, w)| v.tags == w.tags && again(&v.ty, &w.ty))
                }
                _ => false,
            }
        }
        (TypeRef::Array(x), TypeRef::Array(y)) | (TypeRef::Map(x), TypeRef::Map(y)) => again(x, y),
        _ => a == b,
    }
}

/// The members (as `` `name` ``) whose form style or multipart part type differs.
fn encoding_changes(a: &Content, b: &Content) -> Vec<String> {
    let styles = |c: &Content| {
        c.encoding.iter().map(|e| (e.name.clone(), format!("{:?}/{}", e.style, e.explode))).collect::<BTreeMap<_, _>>()
    };
    let parts =
        |c: &Content| c.parts.iter().map(|p| (p.name.clone(), p.content_type.clone())).collect::<BTreeMap<_, _>>();
    let mut names = BTreeSet::new();
    for (x, y) in [(styles(a), styles(b)), (parts(a), parts(b))] {
        names.extend(x.keys().chain(y.keys()).filter(|n| x.get(*n) != y.get(*n)).map(|n| format!("`{n}`")));
    }
    names.into_iter().collect()
}

fn json_type(p: Primitive) -> &'static str {
    match p {
        Primitive::String
        | Primitive::DateTime
        | Primitive::Date
        | Primitive::Base64
        | Primitive::Bytes
        | Primitive::File => "string",
        Primitive::Bool => "boolean",
        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => "integer",
        Primitive::F32 | Primitive::F64 => "number",
        Primitive::Unit => "null",
    }
}

/// The limits that narrowed and those that widened, as `name old -> new`.
fn limit_changes(a: &Constraints, b: &Constraints) -> (Vec<String>, Vec<String>) {
    let (mut tight, mut loose) = (Vec::new(), Vec::new());
    let mut judge = |name: &str, old: Option<f64>, new: Option<f64>, lower_bound: bool| {
        let narrower = match (old, new) {
            (None, None) => return,
            (Some(x), Some(y)) if x == y => return,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => (y > x) == lower_bound,
        };
        let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
        let text = format!("{name} {} -> {}", show(old), show(new));
        if narrower { tight.push(text) } else { loose.push(text) }
    };
    let n = |v: &Option<u64>| v.map(|v| v as f64);
    let num = |v: &Option<serde_json::Number>| v.as_ref().and_then(serde_json::Number::as_f64);
    let flag = |v: bool| v.then_some(1.0);
    judge("minLength", n(&a.min_length), n(&b.min_length), true);
    judge("maxLength", n(&a.max_length), n(&b.max_length), false);
    judge("minimum", num(&a.minimum), num(&b.minimum), true);
    judge("maximum", num(&a.maximum), num(&b.maximum), false);
    judge("exclusiveMinimum", flag(a.exclusive_minimum), flag(b.exclusive_minimum), true);
    judge("exclusiveMaximum", flag(a.exclusive_maximum), flag(b.exclusive_maximum), true);
    judge("minItems", n(&a.min_items), n(&b.min_items), true);
    judge("maxItems", n(&a.max_items), n(&b.max_items), false);
    judge("uniqueItems", flag(a.unique_items), flag(b.unique_items), true);
    judge("minProperties", n(&a.min_properties), n(&b.min_properties), true);
    judge("maxProperties", n(&a.max_properties), n(&b.max_properties), false);
    // Any other multiple is a narrowing for some values; treat every change as one.
    if a.multiple_of != b.multiple_of {
        let text = format!("multipleOf {} -> {}", show_json(&a.multiple_of), show_json(&b.multiple_of));
        if b.multiple_of.is_none() { loose.push(text) } else { tight.push(text) }
    }
    (tight, loose)
}

fn required(p: &Param) -> bool {
    !p.presence.is_optional()
}

fn op_pointer(op: &Operation) -> String {
    op.origin.clone()
}

/// `` `GET /items` ``; a receiver's route is the one the server crate's `webhooks::router` serves.
fn request_line(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.path)
}

/// How a webhook or callback is named in reports: `` webhook `newPet` ``, or
/// `` callback `createSubscription/onEvent` `` (the operation that documents it, the callback's
/// name), with the method when it is not POST.
fn receiver_label(api: &Api, op: &Operation) -> String {
    let segments: Vec<String> = op.origin.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let method = match op.method.as_str() {
        "POST" => String::new(),
        other => format!(" ({other})"),
    };
    match segments.as_slice() {
        [_, webhooks, name, _] if webhooks == "webhooks" => format!("webhook `{name}`{method}"),
        [_, _, _, _, callbacks, name, ..] if callbacks == "callbacks" => {
            let documented_at = op.origin.split('/').take(4).collect::<Vec<_>>().join("/");
            let owner = api.operations.iter().find(|o| o.origin == documented_at);
            let owner = owner.map_or(documented_at.as_str(), |o| o.operation_id.as_str());
            format!("callback `{owner}/{name}`{method}")
        }
        _ => format!("receiver `{}`", op.operation_id),
    }
}

/// A webhook or callback turns the service's HTTP roles around: the service sends the request
/// and the peer that otherwise calls it serves it. The classes of the table are by HTTP role
/// (the side that sends, the side that serves); the report's columns are by audience. So the
/// service's peers ("HTTP callers") get the serving side's class, and the service's
/// implementors the sending side's. The client crate renders no receiver.
fn receiver_effects(e: super::Effects) -> super::Effects {
    super::Effects {
        callers: e.implementors,
        implementors: e.callers,
        client_crate: super::Class::Information,
        server_crate: e.server_crate,
    }
}

/// The parameter's entry in the operation (or path item), following a `$ref` to find its name.
fn param_pointer(side: &Side, op: &Operation, p: &Param) -> String {
    let here = op_pointer(op);
    let item = here.rsplit_once('/').map_or(here.as_str(), |(item, _)| item).to_string();
    for owner in [&here, &item] {
        let list = owner.clone() + "/parameters";
        let Some(Value::Array(entries)) = side.spec.raw(&list) else { continue };
        for (i, entry) in entries.iter().enumerate() {
            let resolved = match entry.get("$ref").and_then(Value::as_str) {
                Some(r) => r.strip_prefix('#').and_then(|ptr| side.spec.raw(ptr)),
                None => Some(entry),
            };
            let matches = resolved.is_some_and(|e| {
                e.get("name").and_then(Value::as_str) == Some(&p.name)
                    && e.get("in").and_then(Value::as_str) == Some(location_name(p.location))
            });
            if matches {
                return format!("{list}/{i}");
            }
        }
    }
    here
}

fn response_pointer(side: &Side, op: &Operation, status: Status) -> String {
    let base = op_pointer(op) + "/responses";
    let keys: Vec<String> = match status {
        Status::Code(c) => vec![c.to_string()],
        Status::Range(d) => vec![format!("{d}XX"), format!("{d}xx")],
        Status::Default => vec!["default".into()],
    };
    keys.iter().map(|k| push_pointer(&base, k)).find(|p| side.spec.raw(p).is_some()).unwrap_or(base)
}

/// `properties/<name>` under the schema at `origin`, looking through `allOf`/`oneOf`/`anyOf`.
fn property_pointer(side: &Side, origin: &str, name: &str) -> String {
    fn find(value: &Value, at: &str, name: &str) -> Option<String> {
        let direct = push_pointer(&(at.to_string() + "/properties"), name);
        if value.get("properties").and_then(|p| p.get(name)).is_some() {
            return Some(direct);
        }
        ["allOf", "oneOf", "anyOf"].iter().find_map(|key| {
            let items = value.get(*key)?.as_array()?;
            items.iter().enumerate().find_map(|(i, v)| find(v, &format!("{at}/{key}/{i}"), name))
        })
    }
    side.spec.raw(origin).and_then(|v| find(v, origin, name)).unwrap_or_else(|| origin.to_string())
}

fn enum_pointer(side: &Side, origin: &str, value: &Value) -> String {
    let at = origin.to_string() + "/enum";
    match side.spec.raw(&at) {
        Some(Value::Array(values)) => {
            values.iter().position(|v| v == value).map_or(at.clone(), |i| format!("{at}/{i}"))
        }
        _ => origin.to_string(),
    }
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn show(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => format!("`{n}`"),
        TypeRef::Primitive(p) => format!("`{p:?}`").to_lowercase(),
        TypeRef::Array(t) => format!("array of {}", show(t)),
        TypeRef::Map(t) => format!("map of {}", show(t)),
        TypeRef::Any => "any".into(),
    }
}

fn show_opt(ty: &Option<TypeRef>) -> String {
    ty.as_ref().map_or("none".into(), show)
}

fn show_json<T: serde::Serialize>(v: &Option<T>) -> String {
    match v {
        Some(v) => format!("`{}`", serde_json::to_string(v).unwrap_or_default()),
        None => "none".into(),
    }
}

fn show_status(s: Status) -> String {
    match s {
        Status::Code(c) => c.to_string(),
        Status::Range(d) => format!("{d}XX"),
        Status::Default => "default".into(),
    }
}

fn show_alt(alt: &[String]) -> String {
    if alt.is_empty() {
        "anonymous".into()
    } else {
        alt.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" + ")
    }
}

fn show_additional(a: &Additional) -> String {
    match a {
        Additional::Ignore => "ignored".into(),
        Additional::Deny => "false".into(),
        Additional::Map(t) => show(t),
    }
}

fn shape(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "object",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias { .. } => "alias",
    }
}

fn deprecation(what: &str, now: bool) -> String {
    format!("{what} {}", if now { "deprecated" } else { "no longer deprecated" })
}

/// The distinct media types of an operation's success responses, in order (one client method each).
fn success_media(op: &Operation) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.contents) {
        if !out.contains(&c.media_type.as_str()) {
            out.push(&c.media_type);
        }
    }
    out
}

/// The spec's own examples: the generator's `minimal` ones follow the schema, whose changes are
/// reported themselves, and are no documentation anyone wrote.
fn examples(list: &[crate::model::Example]) -> Vec<(&str, &Value)> {
    list.iter().filter(|e| !e.synthesized).map(|e| (e.name.as_str(), &e.value)).collect()
}
