//! Spec names to Rust names: heck case conversion, keywords, leading digits, collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Words for signs that heck would drop, so `"-1"` and `"1"` stay distinct.
fn spell_signs(raw: &str) -> String {
    let mut out = String::new();
    for (i, c) in raw.chars().enumerate() {
        match c {
            '-' if i == 0 => out.push_str("minus "),
            '+' if i == 0 => out.push_str("plus "),
            '*' => out.push_str(" star "),
            '.' if raw.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') => out.push_str(" dot "),
            c => out.push(c),
        }
    }
    out
}

/// `name` with every character Rust identifiers (as we write them: ASCII) cannot hold spelled
/// as its code point, so `½` stays distinct from `¼` and from the empty name: `U00bd` in
/// UpperCamelCase, `u00bd` in snake_case.
fn ascii_only(name: &str, camel: bool) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            c if c.is_ascii_alphanumeric() || c == '_' => out.push(c),
            c if camel => out.push_str(&format!("U{:04x}", c as u32)),
            c => {
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
                out.push_str(&format!("u{:04x}_", c as u32));
            }
        }
    }
    match camel {
        true => out,
        false => out.trim_end_matches('_').to_string(),
    }
}

/// An UpperCamelCase type name.
pub fn type_ident(raw: &str) -> String {
    let name = ascii_only(&spell_signs(raw).to_upper_camel_case(), true);
    match name.chars().next() {
        None => "Unnamed".to_string(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) if name == "Self" => "SelfType".to_string(),
        Some(_) => name,
    }
}

/// An UpperCamelCase enum variant name for an enum value or a union member.
pub fn variant_ident(raw: &str) -> String {
    let name = ascii_only(&spell_signs(raw).to_upper_camel_case(), true);
    match name.chars().next() {
        None => "Empty".to_string(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        Some(_) if name == "Self" => "SelfValue".to_string(),
        Some(_) => name,
    }
}

/// A snake_case field, parameter or function name; keywords get a trailing underscore.
pub fn field_ident(raw: &str) -> String {
    let name = ascii_only(&spell_signs(raw).to_snake_case(), false);
    match name.chars().next() {
        None => "value".to_string(),
        Some('_') if name == "_" => "value".to_string(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// The names in one Rust namespace; a name is handed out once.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn with_items(items: &[&str]) -> Self {
        Scope { taken: items.iter().map(|s| s.to_string()).collect() }
    }

    pub(super) fn take(&mut self, name: String) {
        self.taken.insert(name);
    }

    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// `name` if free, else `name` with a numeric suffix.
    pub fn unique(&mut self, name: String, separator: &str) -> String {
        self.claim(&[name], separator)
    }

    /// The first free candidate, else the first with a numeric suffix (`name_2`, `Name2`).
    pub fn claim(&mut self, candidates: &[String], separator: &str) -> String {
        let chosen = match candidates.iter().find(|c| self.is_free(c)) {
            Some(free) => free.clone(),
            None => {
                (2..).map(|n| format!("{}{separator}{n}", candidates[0])).find(|c| self.is_free(c)).unwrap_or_default()
            }
        };
        self.taken.insert(chosen.clone());
        chosen
    }
}

/// Spec prose made safe for rustdoc: HTML-like tags, brackets and bare URLs escaped, code
/// fences marked as text so they are never run as doctests, and indentation that would start a
/// code block removed.
pub fn doc_text(raw: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in raw.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("```") {
            in_fence = !in_fence;
            let lang = if in_fence && rest.trim().is_empty() { "text" } else { rest.trim() };
            out.push(format!("```{lang}"));
        } else if in_fence {
            out.push(line.to_string());
        } else {
            out.push(escape_line(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let is_url = !in_code && (word.starts_with("http://") || word.starts_with("https://"));
        if is_url {
            let url = word.trim_end_matches(['.', ',', ')', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&word[url.len()..]);
            continue;
        }
        for c in word.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    out.push(c);
                }
                '<' | '>' | '[' | ']' | '*' | '_' | '#' if !in_code => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("2fa"), "n2fa");
        assert_eq!(field_ident("page[size]"), "page_size");
        assert_eq!(type_ident("mailbox-settings"), "MailboxSettings");
        assert_eq!(variant_ident("-1"), "Minus1");
        assert_eq!(variant_ident("1"), "V1");
        assert_eq!(variant_ident(""), "Empty");
        // Characters Rust rejects in identifiers are spelled as code points, never dropped.
        assert_eq!(field_ident("a²"), "a_u00b2");
        assert_eq!(field_ident("½"), "u00bd");
        assert_eq!(field_ident("٣٤"), "u0663_u0664");
        assert_eq!(field_ident("é"), "u00e9");
        assert_eq!(type_ident("½"), "U00bd");
        assert_eq!(type_ident("٣٤"), "U0663U0664");
        assert_eq!(variant_ident("a²"), "AU00b2");
        assert_eq!(field_ident("_"), "value");
        let mut scope = Scope::default();
        assert_eq!(scope.unique("A".into(), ""), "A");
        assert_eq!(scope.unique("A".into(), ""), "A2");
        assert_eq!(scope.claim(&["A".into(), "B".into()], ""), "B");
        assert_eq!(scope.claim(&["A".into(), "B".into()], "_"), "A_2");
    }

    #[test]
    fn docs() {
        assert_eq!(doc_text("<para>x</para> see https://a.b/c."), "\\<para\\>x\\</para\\> see <https://a.b/c>.");
        assert_eq!(doc_text("```\ncode\n```"), "```text\ncode\n```");
        assert_eq!(doc_text("`a_b` [x]"), "`a_b` \\[x\\]");
    }
}
