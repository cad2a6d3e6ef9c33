//! Request bodies other than JSON, text and bytes: `application/x-www-form-urlencoded` and
//! `multipart/form-data`, read into the same typed struct a JSON body would be, with each
//! member's `encoding`.

use openapiv3::{MediaType, QueryStyle};
use serde_json::Value;

use super::Builder;
use crate::model::{
    Additional, BodyKind, Content, MemberEncoding, ParamStyle, PartEncoding, Primitive, TypeKind, TypeRef,
};
use crate::spec::push_pointer;

impl Builder<'_> {
    /// A form body: its schema must be an object (the members are the form's names); each
    /// `encoding` entry must name a member and give a style a form can carry.
    pub(super) fn form_content(
        &mut self,
        at: &str,
        media_type: &str,
        media: &MediaType,
        hint: &str,
        many: bool,
    ) -> Option<Content> {
        let schema_ptr = push_pointer(at, "schema");
        let Some(schema) = self.spec.raw(&schema_ptr).cloned() else {
            self.error(
                at,
                format!("the `{media_type}` body needs a `schema` of type object: its members are the form's names"),
            );
            return None;
        };
        let hint = if many { format!("{hint}Form") } else { hint.to_string() };
        let ty = self.schemas.type_of(&schema_ptr, &schema, &hint);
        let Some(members) = self.struct_members(&ty) else {
            self.error(
                &schema_ptr,
                format!(
                    "the `{media_type}` body must be an object with `properties`: its members are the form's names"
                ),
            );
            return None;
        };
        if self.has_additional_map(&ty) {
            // Their values would reach serde untyped (as text), and typed members beside them fail.
            self.error(
                &schema_ptr,
                format!("the `{media_type}` body has `additionalProperties`, which a form cannot carry typed: declare its members"),
            );
            return None;
        }
        let mut encoding = Vec::new();
        for (name, entry) in &media.encoding {
            let here = push_pointer(&push_pointer(at, "encoding"), name);
            let Some(member) = members.iter().find(|(json, _)| json == name) else {
                self.error(&here, format!("`{name}` is not a member of the body's schema"));
                continue;
            };
            if let Some(e) = self.member_encoding(&here, name, entry.style.as_ref(), &member.1) {
                encoding.push(e);
            }
        }
        let examples = self.examples(at, media.example.as_ref(), &media.examples);
        Some(Content {
            media_type: media_type.to_string(),
            kind: BodyKind::Form,
            ty: Some(ty),
            examples,
            encoding,
            parts: Vec::new(),
        })
    }

    /// A multipart body: its schema must be an object (each member is a part); its `binary`
    /// members become file parts; each `encoding` entry must name a member, and may give its
    /// part a `contentType`.
    pub(super) fn multipart_content(
        &mut self,
        at: &str,
        media_type: &str,
        media: &MediaType,
        hint: &str,
        many: bool,
    ) -> Option<Content> {
        let schema_ptr = push_pointer(at, "schema");
        let Some(schema) = self.spec.raw(&schema_ptr).cloned() else {
            self.error(
                at,
                format!("the `{media_type}` body needs a `schema` of type object: its members are the parts"),
            );
            return None;
        };
        let hint = if many { format!("{hint}Multipart") } else { hint.to_string() };
        let ty = self.schemas.type_of(&schema_ptr, &schema, &hint);
        let Some(members) = self.struct_members(&ty) else {
            self.error(
                &schema_ptr,
                format!("the `{media_type}` body must be an object with `properties`: its members are the parts"),
            );
            return None;
        };
        if self.has_additional_map(&ty) {
            self.error(
                &schema_ptr,
                format!("the `{media_type}` body has `additionalProperties`, whose parts cannot be typed: declare its members"),
            );
            return None;
        }
        self.file_parts(&ty);
        let parts = self.part_encodings(at, media, &ty, &members);
        let examples = self.examples(at, media.example.as_ref(), &media.examples);
        Some(Content {
            media_type: media_type.to_string(),
            kind: BodyKind::Multipart,
            ty: Some(ty),
            examples,
            encoding: Vec::new(),
            parts,
        })
    }

    /// The parts with a `Content-Type` of their own: from the `encoding` entries (each must name
    /// a member), else from a member's 3.1 `contentMediaType`.
    fn part_encodings(
        &mut self,
        at: &str,
        media: &MediaType,
        ty: &TypeRef,
        members: &[(String, TypeRef)],
    ) -> Vec<PartEncoding> {
        let mut parts = Vec::new();
        for (name, entry) in &media.encoding {
            let here = push_pointer(&push_pointer(at, "encoding"), name);
            if !members.iter().any(|(json, _)| json == name) {
                self.error(&here, format!("`{name}` is not a member of the body's schema"));
                continue;
            }
            for key in ["headers", "style", "explode", "allowReserved"] {
                if self.spec.raw(&push_pointer(&here, key)).is_some() {
                    self.warn(
                        &push_pointer(&here, key),
                        format!(
                            "`{key}` of a multipart part is ignored: parts are sent with their `Content-Type` only"
                        ),
                    );
                }
            }
            // `image/png, image/jpeg`: the client sends the first; a range (`image/*`) names no
            // media type a part can be sent as.
            let listed = entry.content_type.iter().flat_map(|list| list.split(','));
            if let Some(first) = listed.map(str::trim).find(|m| !m.is_empty() && !m.contains('*')) {
                parts.push(PartEncoding { name: name.clone(), content_type: first.to_string() });
            }
        }
        for (name, _) in members {
            if parts.iter().any(|p| &p.name == name) {
                continue;
            }
            if let Some(content_type) = self.content_media_type(ty, name) {
                parts.push(PartEncoding { name: name.clone(), content_type });
            }
        }
        parts
    }

    /// Makes the `format: binary` members of the struct `ty` is (and arrays of them) file parts.
    fn file_parts(&mut self, ty: &TypeRef) {
        let TypeRef::Named(name) = self.resolve(ty) else { return };
        let resolved: Vec<Option<TypeRef>> = match self.schemas.types.get(&name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().map(|f| self.file_type(&f.ty)).collect(),
            _ => return,
        };
        let Some(def) = self.schemas.types.get_mut(&name) else { return };
        let origin = def.origin.clone();
        let mut unchecked = Vec::new();
        if let TypeKind::Struct(s) = &mut def.kind {
            for (field, file) in s.fields.iter_mut().zip(resolved) {
                let Some(file) = file else { continue };
                let c = &field.constraints;
                if c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some() {
                    unchecked.push(field.json_name.clone());
                }
                field.ty = file;
            }
        }
        for member in unchecked {
            let at = push_pointer(&push_pointer(&origin, "properties"), &member);
            self.warn(&at, format!("the length and pattern limits of the file part `{member}` are not checked"));
        }
    }

    /// The 3.1 `contentMediaType` of the member `name` of the struct `ty` is, or of its items:
    /// its part's `Content-Type` when no `encoding` entry gives one.
    fn content_media_type(&self, ty: &TypeRef, name: &str) -> Option<String> {
        let TypeRef::Named(struct_name) = self.resolve(ty) else { return None };
        let origin = &self.schemas.types.get(&struct_name)?.origin;
        let member = self.spec.raw(&push_pointer(&push_pointer(origin, "properties"), name))?;
        let media = |schema: &Value| schema.get("x-content-media-type").and_then(Value::as_str).map(str::to_owned);
        media(member).or_else(|| member.get("items").and_then(media))
    }

    /// The file-part type of a member of type `ty`, when it is binary or an array of binary.
    fn file_type(&self, ty: &TypeRef) -> Option<TypeRef> {
        match self.resolve(ty) {
            TypeRef::Primitive(Primitive::Bytes) => Some(TypeRef::Primitive(Primitive::File)),
            TypeRef::Array(item) => match self.resolve(&item) {
                TypeRef::Primitive(Primitive::Bytes) => {
                    Some(TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::File))))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The encoding of one member, when it differs from the default (`form`, exploded).
    fn member_encoding(
        &mut self,
        at: &str,
        name: &str,
        style: Option<&QueryStyle>,
        ty: &TypeRef,
    ) -> Option<MemberEncoding> {
        let style = match style {
            None | Some(QueryStyle::Form) => ParamStyle::Form,
            Some(QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
            Some(QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
            Some(QueryStyle::DeepObject) => ParamStyle::DeepObject,
        };
        // openapiv3 reads a missing `explode` as false; the specification's default is true for `form`.
        let explode = match self.spec.raw(&push_pointer(at, "explode")) {
            Some(Value::Bool(b)) => *b,
            _ => style == ParamStyle::Form,
        };
        let object = self.is_object(ty);
        match style {
            ParamStyle::DeepObject if !object => {
                self.error(
                    &push_pointer(at, "style"),
                    format!("`deepObject` needs an object member; `{name}` is not one"),
                );
                return None;
            }
            ParamStyle::Form if object && self.spec.raw(&push_pointer(at, "style")).is_some() => {
                // Exploded, `form` would spread the members among the body's own names.
                self.error(
                    &push_pointer(at, "style"),
                    format!("`style: form` on the object member `{name}` is not supported: use `deepObject`, or leave `style` out to send it as JSON"),
                );
                return None;
            }
            ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited
                if !matches!(self.resolve(ty), TypeRef::Array(_)) =>
            {
                self.error(
                    &push_pointer(at, "style"),
                    format!("a delimited style needs an array member; `{name}` is not one"),
                );
                return None;
            }
            _ => {}
        }
        let default = style == ParamStyle::Form && explode;
        (!default).then(|| MemberEncoding { name: name.to_string(), style, explode })
    }

    /// (JSON name, type) of each member of the struct `ty` is, through aliases.
    fn struct_members(&self, ty: &TypeRef) -> Option<Vec<(String, TypeRef)>> {
        let TypeRef::Named(name) = self.resolve(ty) else { return None };
        match &self.schemas.types.get(&name)?.kind {
            TypeKind::Struct(s) if !s.fields.is_empty() => {
                Some(s.fields.iter().map(|f| (f.json_name.clone(), f.ty.clone())).collect())
            }
            _ => None,
        }
    }

    /// Whether the struct `ty` collects undeclared members in a map.
    fn has_additional_map(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = self.resolve(ty) else { return false };
        matches!(self.schemas.types.get(&name).map(|t| &t.kind), Some(TypeKind::Struct(s)) if matches!(s.additional, Additional::Map(_)))
    }

    /// Whether values of `ty` are JSON objects (a struct or a map).
    fn is_object(&self, ty: &TypeRef) -> bool {
        match self.resolve(ty) {
            TypeRef::Map(_) => true,
            TypeRef::Named(name) => matches!(self.schemas.types.get(&name).map(|t| &t.kind), Some(TypeKind::Struct(_))),
            _ => false,
        }
    }

    /// `ty` with named aliases replaced by what they name.
    fn resolve(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        for _ in 0..=self.schemas.types.len() {
            match &current {
                TypeRef::Named(name) => match self.schemas.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias { ty, .. }) => current = ty.clone(),
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Form and multipart bodies are read in requests only: a response documenting one is an error.
    pub(super) fn refuse_response_forms(&mut self, at: &str, contents: &mut Vec<Content>) {
        let is_form = |c: &Content| matches!(c.kind, BodyKind::Form | BodyKind::Multipart);
        let forms: Vec<String> = contents.iter().filter(|c| is_form(c)).map(|c| c.media_type.clone()).collect();
        for media in forms {
            let here = push_pointer(&push_pointer(at, "content"), &media);
            self.error(&here, format!("`{media}` responses are not supported (requests only)"));
        }
        contents.retain(|c| !is_form(c));
    }
}
