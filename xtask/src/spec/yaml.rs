//! YAML text to a JSON value, remembering where every node starts.
//!
//! serde-based YAML crates drop positions; diagnostics need `line:col` for any JSON pointer, so
//! the event parser of yaml-rust2 builds the value and the position index in one pass.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::diagnostic::push_pointer;

/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A parsed YAML document and the position of each node, by JSON pointer.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    positions: HashMap<String, Pos>,
}

impl Document {
    /// The position of the node at `pointer`, or of its nearest ancestor that has one.
    pub fn pos(&self, pointer: &str) -> Pos {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Pos { line: 1, col: 1 },
            }
        }
    }
}

/// A YAML error: a message and where.
#[derive(Debug)]
pub struct YamlError {
    pub pos: Pos,
    pub pointer: String,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Document, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
        let pos = to_pos(e.marker());
        return Err(YamlError { pos, pointer: builder.pointer(), message: e.info().to_string() });
    }
    if let Some(err) = builder.error {
        return Err(err);
    }
    let value = match builder.documents.len() {
        1 => builder.documents.pop().unwrap_or(Value::Null),
        0 => Value::Null,
        _ => {
            return Err(YamlError {
                pos: Pos { line: 1, col: 1 },
                pointer: String::new(),
                message: "a spec must be a single YAML document".into(),
            });
        }
    };
    Ok(Document { value, positions: builder.positions })
}

fn to_pos(m: &Marker) -> Pos {
    Pos { line: m.line(), col: m.col() + 1 }
}

enum Frame {
    Map { map: Map<String, Value>, key: Option<String>, pointer: String, anchor: usize },
    Seq { seq: Vec<Value>, pointer: String, anchor: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    documents: Vec<Value>,
    anchors: HashMap<usize, Value>,
    positions: HashMap<String, Pos>,
    error: Option<YamlError>,
}

impl Builder {
    /// The pointer of the node about to be added.
    fn pointer(&self) -> String {
        match self.stack.last() {
            Some(Frame::Map { key: Some(k), pointer, .. }) => push_pointer(pointer, k),
            Some(Frame::Map { pointer, .. }) => pointer.clone(),
            Some(Frame::Seq { seq, pointer, .. }) => push_pointer(pointer, &seq.len().to_string()),
            None => String::new(),
        }
    }

    fn fail(&mut self, pos: Pos, pointer: String, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError { pos, pointer, message });
        }
    }

    /// Adds a finished node to its parent, or finishes the document.
    fn add(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            Some(Frame::Map { map, key, .. }) => match key.take() {
                Some(k) => {
                    map.insert(k, value);
                }
                None => unreachable_key(self, value),
            },
            Some(Frame::Seq { seq, .. }) => seq.push(value),
            None => self.documents.push(value),
        }
    }

    fn scalar(&mut self, text: String, style: TScalarStyle, anchor: usize, tag: Option<String>, pos: Pos) {
        if let Some(Frame::Map { map, key: key @ None, pointer, .. }) = self.stack.last_mut() {
            let here = push_pointer(pointer, &text);
            if map.contains_key(&text) {
                let message = format!("duplicate key `{text}`");
                self.fail(pos, here, message);
                return;
            }
            self.positions.insert(here, pos);
            *key = Some(text);
            return;
        }
        self.positions.entry(self.pointer()).or_insert(pos);
        let value = resolve_scalar(text, style, tag.as_deref());
        self.add(value, anchor);
    }
}

/// Keys must be scalars; a collection or alias used as a key is reported.
fn unreachable_key(builder: &mut Builder, _value: Value) {
    let pointer = builder.pointer();
    builder.fail(Pos { line: 1, col: 1 }, pointer, "mapping keys must be scalars".into());
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = to_pos(&mark);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                self.scalar(text, style, anchor, tag, pos);
            }
            Event::MappingStart(anchor, _) => {
                let pointer = self.pointer();
                self.positions.entry(pointer.clone()).or_insert(pos);
                self.stack.push(Frame::Map { map: Map::new(), key: None, pointer, anchor });
            }
            Event::SequenceStart(anchor, _) => {
                let pointer = self.pointer();
                self.positions.entry(pointer.clone()).or_insert(pos);
                self.stack.push(Frame::Seq { seq: Vec::new(), pointer, anchor });
            }
            Event::MappingEnd | Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Map { map, anchor, .. }) => self.add(Value::Object(map), anchor),
                Some(Frame::Seq { seq, anchor, .. }) => self.add(Value::Array(seq), anchor),
                None => {}
            },
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    let pointer = self.pointer();
                    self.fail(pos, pointer, "an alias cannot be a mapping key".into());
                    return;
                }
                self.positions.entry(self.pointer()).or_insert(pos);
                self.add(value, 0);
            }
            _ => {}
        }
    }
}

/// YAML 1.2 core schema resolution of a scalar, keeping integers beyond `i64` exact.
fn resolve_scalar(text: String, style: TScalarStyle, tag: Option<&str>) -> Value {
    if style != TScalarStyle::Plain || matches!(tag, Some("tag:yaml.org,2002:str" | "!!str")) {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_number(&text) {
        return Value::Number(n);
    }
    Value::String(text)
}

fn parse_number(text: &str) -> Option<Number> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let unsigned = text.strip_prefix('+').unwrap_or(text);
        if let Ok(i) = unsigned.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = unsigned.parse::<u64>() {
            return Some(Number::from(u));
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(Number::from);
    }
    let looks_float = text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if looks_float {
        return text.parse::<f64>().ok().and_then(Number::from_f64);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_values() {
        let doc = parse("a:\n  b: 1\n  c: [x, 'y']\nbig: 18446744073709551615\n").unwrap();
        assert_eq!(doc.value["a"]["b"], 1);
        assert_eq!(doc.value["big"].as_u64(), Some(u64::MAX));
        assert_eq!(doc.pos("/a/b"), Pos { line: 2, col: 3 });
        assert_eq!(doc.pos("/a/c/1"), Pos { line: 3, col: 10 });
        assert_eq!(doc.pos("/a/zzz"), Pos { line: 1, col: 1 });
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((err.pos.line, err.pointer.as_str()), (2, "/a"));
    }
}
