//! Request bodies on both sides: the client's body argument and how it is sent, the server's
//! body field, how it is read and validated. A body of several media types is the enum the
//! model's [`BodyPlan`](crate::model::BodyPlan) names: the client chooses the variant, the
//! server reports the one that arrived.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::BodyArg;
use super::validate::Checked;
use super::{doc_attrs, ident, own_doc, types_path};
use crate::model::{BodyKind, Content, MemberEncoding, Operation, ParamStyle, PartEncoding, TypeRef};

/// How the client's call carries a form body or a body of several media types (`None` for
/// the others, which `client` handles): the stored type, the argument, and the request-builder
/// call that sends `body` (a reference to the stored value).
pub(super) fn client_body(op: &Operation) -> Option<BodyArg> {
    let body = op.body.as_ref()?;
    let plan = op.plan.body.as_ref()?;
    let (owned, set, media) = match &plan.choice {
        Some(name) => {
            let name = ident(name);
            let arms = body.contents.iter().zip(&plan.variants).map(|(c, v)| {
                let v = ident(v);
                let set = client_setter(c);
                quote! { #name::#v(body) => request.#set, }
            });
            let media: Vec<&str> = body.contents.iter().map(|c| c.media_type.as_str()).collect();
            (quote! { #name }, quote! { apply(|request| match body { #(#arms)* }) }, media.join("` or `"))
        }
        None => {
            let content = body.contents.first().filter(|c| matches!(c.kind, BodyKind::Form | BodyKind::Multipart))?;
            (owned_type(content), client_setter(content), content.media_type.clone())
        }
    };
    Some(BodyArg { required: body.required, media, owned: owned.clone(), argument: (owned, false), set })
}

/// The `Request` call that sets a body of `content`'s media type from `body`, a reference.
fn client_setter(content: &Content) -> TokenStream {
    let media = &content.media_type;
    match content.kind {
        BodyKind::Json => quote! { json_body(body, #media) },
        BodyKind::Form => {
            let members = form_members(&content.encoding);
            quote! { form_body(body, #members, #media) }
        }
        BodyKind::Multipart => {
            let parts = part_members(&content.parts);
            quote! { multipart_body(body, #parts) }
        }
        BodyKind::Text => quote! { bytes_body(body.clone().into(), #media) },
        _ => quote! { bytes_body(body.clone(), #media) },
    }
}

/// `&[PartMember { .. }, ..]`: the members whose part has its own `Content-Type`.
fn part_members(parts: &[PartEncoding]) -> TokenStream {
    let members = parts.iter().map(|p| {
        let (name, content_type) = (&p.name, &p.content_type);
        quote! { mailapi_support::multipart::PartMember { name: #name, content_type: #content_type } }
    });
    quote! { &[#(#members),*] }
}

/// `&[FormMember { .. }, ..]`: the members whose style is not the default.
fn form_members(encoding: &[MemberEncoding]) -> TokenStream {
    let members = encoding.iter().map(|e| {
        let name = &e.name;
        let style = ident(match e.style {
            ParamStyle::SpaceDelimited => "SpaceDelimited",
            ParamStyle::PipeDelimited => "PipeDelimited",
            ParamStyle::DeepObject => "DeepObject",
            ParamStyle::Form | ParamStyle::Simple => "Form",
        });
        let explode = e.explode;
        quote! {
            mailapi_support::form::FormMember {
                name: #name,
                style: mailapi_support::param_encoding::QueryStyle::#style,
                explode: #explode,
            }
        }
    });
    quote! { &[#(#members),*] }
}

/// The payload type of one media type of a body enum.
fn owned_type(content: &Content) -> TokenStream {
    match (content.kind, &content.ty) {
        (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(ty)) => types_path(ty),
        (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => quote! { serde_json::Value },
        (BodyKind::Text, _) => quote! { String },
        _ => quote! { bytes::Bytes },
    }
}

/// The enum of a body with several media types, for the client or the server module.
pub fn choice_enum(op: &Operation, server: bool) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let plan = op.plan.body.as_ref()?;
    let name = ident(plan.choice.as_ref()?);
    let variants = body.contents.iter().zip(&plan.variants).map(|(c, v)| {
        let v = ident(v);
        let ty = owned_type(c);
        let doc = own_doc(&format!("`{}`", c.media_type));
        quote! { #doc #v(#ty), }
    });
    let doc = if server {
        format!("The body of [`{}`] in the media type it arrived in (its `Content-Type`).", op.plan.request)
    } else {
        let method = op.plan.client_methods.first().map_or(op.plan.method.as_str(), |m| m.name.as_str());
        format!("The body of [`Client::{method}`](crate::Client::{method}) in the media type you choose to send.")
    };
    let doc = own_doc(&doc);
    let derive = if server {
        quote! { #[derive(Debug)] }
    } else {
        quote! { #[derive(Debug, Clone)] }
    };
    Some(quote! {
        #doc
        #derive
        pub enum #name {
            #(#variants)*
        }
    })
}

/// The server request's body field and the expression that parses it from `parts`.
pub fn server_field(op: &Operation) -> (Option<TokenStream>, Option<TokenStream>) {
    let Some(body) = &op.body else { return (None, None) };
    let Some(plan) = &op.plan.body else { return (None, None) };
    let (ty, parse) = match &plan.choice {
        Some(name) => {
            let name = ident(name);
            let media: Vec<&str> = body.contents.iter().map(|c| c.media_type.as_str()).collect();
            let last = body.contents.len() - 1;
            let arms = body.contents.iter().zip(&plan.variants).enumerate().map(|(i, (c, v))| {
                let v = ident(v);
                let read = server_reader(c);
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                let pattern = if i == last {
                    quote! { _ }
                } else {
                    quote! { #index }
                };
                quote! { #pattern => #name::#v(#read?), }
            });
            (quote! { #name }, quote! { match parts.media_index(&[#(#media),*])? { #(#arms)* } })
        }
        None => {
            let Some(content) = body.contents.first() else { return (None, None) };
            (owned_type(content), server_reader(content))
        }
    };
    let doc = doc_attrs(body.description.as_deref().unwrap_or("The request body."));
    if body.required {
        let parse = match &plan.choice {
            Some(_) => quote! { body: #parse, },
            None => quote! { body: #parse?, },
        };
        (Some(quote! { #doc pub body: #ty, }), Some(parse))
    } else {
        let parse = match &plan.choice {
            Some(_) => quote! { body: parts.optional_body(|parts| Ok(#parse))?, },
            None => quote! { body: parts.optional_body(|parts| #parse)?, },
        };
        (Some(quote! { #doc pub body: Option<#ty>, }), Some(parse))
    }
}

/// `parts.<reader>(..)`: reads a body of `content`'s media type (a `Result`).
fn server_reader(content: &Content) -> TokenStream {
    let media = &content.media_type;
    match content.kind {
        BodyKind::Json => quote! { parts.json_body(&[#media]) },
        BodyKind::Form => {
            let members = form_members(&content.encoding);
            quote! { parts.form_body(&[#media], #members) }
        }
        BodyKind::Multipart => quote! { parts.multipart_body(&[#media]) },
        BodyKind::Text => quote! { parts.text_body(&[#media]) },
        _ => quote! { parts.bytes_body(&[#media]) },
    }
}

/// The validation of the body's typed contents (`violations` in scope), if any has limits.
pub fn server_checks(op: &Operation, checked: &Checked<'_>) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let plan = op.plan.body.as_ref()?;
    let typed =
        |c: &Content| c.ty.clone().filter(|_| matches!(c.kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart));
    let Some(name) = &plan.choice else {
        let ty = typed(body.contents.first()?)?;
        return single_checks(&ty, body.required, checked);
    };
    let name = ident(name);
    let mut arms = Vec::new();
    for (c, v) in body.contents.iter().zip(&plan.variants) {
        let Some(ty) = typed(c) else { continue };
        let v = ident(v);
        let checks = if checked.needs(&ty) {
            quote! { mailapi_support::server::Validate::validate(value, "", &mut violations); }
        } else if let Some(checks) = checked.body_element_check(&ty) {
            quote! { let here = String::new(); #checks }
        } else {
            continue;
        };
        arms.push((quote! { #name::#v(value) }, checks));
    }
    let some = |pattern: TokenStream| {
        if body.required {
            pattern
        } else {
            quote! { Some(#pattern) }
        }
    };
    Some(match arms.as_slice() {
        [] => return None,
        // One checked media type: a pattern, not a one-armed match.
        [(pattern, checks)] => {
            let pattern = some(pattern.clone());
            quote! { if let #pattern = &request.body { #checks } }
        }
        _ => {
            let rest = (arms.len() < body.contents.len() || !body.required).then(|| quote! { _ => {} });
            let arms = arms.iter().map(|(pattern, checks)| {
                let pattern = some(pattern.clone());
                quote! { #pattern => { #checks } }
            });
            quote! { match &request.body { #(#arms)* #rest } }
        }
    })
}

/// The checks of a body of one media type.
fn single_checks(ty: &TypeRef, required: bool, checked: &Checked<'_>) -> Option<TokenStream> {
    if checked.needs(ty) {
        return Some(if required {
            quote! { mailapi_support::server::Validate::validate(&request.body, "", &mut violations); }
        } else {
            quote! { if let Some(body) = &request.body { mailapi_support::server::Validate::validate(body, "", &mut violations); } }
        });
    }
    // A body that is itself a map or array of limited elements (a map of answers, say).
    let checks = checked.body_element_check(ty)?;
    Some(if required {
        quote! { { let (here, value) = (String::new(), &request.body); #checks } }
    } else {
        quote! { if let Some(value) = &request.body { let here = String::new(); #checks } }
    })
}
