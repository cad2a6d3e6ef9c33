//! Spec names to Rust names: heck case conversion, keywords, leading digits, collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
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

/// An UpperCamelCase type name.
pub fn type_ident(raw: &str) -> String {
    let name = spell_signs(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Unnamed".to_string(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) if name == "Self" => "SelfType".to_string(),
        Some(_) => name,
    }
}

/// An UpperCamelCase enum variant name for an enum value or a union member.
pub fn variant_ident(raw: &str) -> String {
    let name = spell_signs(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Empty".to_string(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        Some(_) if name == "Self" => "SelfValue".to_string(),
        Some(_) => name,
    }
}

/// A snake_case field, parameter or function name; keywords get a trailing underscore.
pub fn field_ident(raw: &str) -> String {
    let name = spell_signs(raw).to_snake_case();
    match name.chars().next() {
        None => "value".to_string(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// Hands out names, making later collisions unique with a numeric suffix (`Name2`, `name_2`).
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn unique(&mut self, name: String, separator: &str) -> String {
        let mut candidate = name.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{name}{separator}{n}");
            n += 1;
        }
        candidate
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
        let mut namer = Namer::default();
        assert_eq!(namer.unique("A".into(), ""), "A");
        assert_eq!(namer.unique("A".into(), ""), "A2");
    }

    #[test]
    fn docs() {
        assert_eq!(doc_text("<para>x</para> see https://a.b/c."), "\\<para\\>x\\</para\\> see <https://a.b/c>.");
        assert_eq!(doc_text("```\ncode\n```"), "```text\ncode\n```");
        assert_eq!(doc_text("`a_b` [x]"), "`a_b` \\[x\\]");
    }
}
