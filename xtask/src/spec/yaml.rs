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
    pub fn new(value: Value, positions: HashMap<String, Pos>) -> Self {
        Document { value, positions }
    }

    /// Gives the nodes under `to` the positions of the nodes under `from`, for a subtree that
    /// normalisation copied or moved.
    pub fn copy_positions(&mut self, from: &str, to: &str) {
        let moved: Vec<(String, Pos)> = self
            .positions
            .iter()
            .filter_map(|(p, pos)| {
                let rest = p.strip_prefix(from)?;
                (rest.is_empty() || rest.starts_with('/')).then(|| (format!("{to}{rest}"), *pos))
            })
            .collect();
        self.positions.extend(moved);
    }

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

/// Aliases may add at most this many nodes to a document: enough for any spec written by hand
/// or tool, while a "billion laughs" document is refused before it fills the memory.
const MAX_ALIAS_NODES: u64 = 1_000_000;

/// Deeper nesting than this is refused: no spec needs it, and later passes recurse.
const MAX_DEPTH: usize = 128;

pub fn parse(text: &str) -> Result<Document, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    let loaded = parser.load(&mut builder, true);
    // The builder only saw events before any parse error, so its own error comes first.
    if let Some(err) = builder.error {
        return Err(err);
    }
    if let Err(e) = loaded {
        let pos = to_pos(e.marker());
        return Err(YamlError { pos, pointer: builder.pointer(), message: e.info().to_string() });
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
    /// Anchored values and their node counts.
    anchors: HashMap<usize, (Value, u64)>,
    /// Nodes added so far by expanding aliases.
    alias_nodes: u64,
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
        // After an error the document is discarded: keep nothing, so that no deep or huge
        // value is ever built.
        if self.error.is_some() {
            return;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), node_count(&value)));
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

impl Builder {
    fn check_depth(&mut self, pos: Pos) {
        if self.stack.len() >= MAX_DEPTH {
            let message = format!("nesting deeper than {MAX_DEPTH} levels");
            self.fail(pos, self.pointer(), message);
        }
    }
}

/// The number of nodes in `value`, itself included.
fn node_count(value: &Value) -> u64 {
    match value {
        Value::Array(items) => 1 + items.iter().map(node_count).sum::<u64>(),
        Value::Object(map) => 1 + map.values().map(node_count).sum::<u64>(),
        _ => 1,
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
                self.check_depth(pos);
                let pointer = self.pointer();
                self.positions.entry(pointer.clone()).or_insert(pos);
                self.stack.push(Frame::Map { map: Map::new(), key: None, pointer, anchor });
            }
            Event::SequenceStart(anchor, _) => {
                self.check_depth(pos);
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
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    let pointer = self.pointer();
                    self.fail(pos, pointer, "an alias cannot be a mapping key".into());
                    return;
                }
                let (value, nodes) = self.anchors.get(&id).map_or((Value::Null, 1), |(v, n)| (v.clone(), *n));
                self.alias_nodes += nodes;
                if self.alias_nodes > MAX_ALIAS_NODES {
                    let message =
                        format!("aliases expand to more than {MAX_ALIAS_NODES} nodes; refusing to expand them");
                    self.fail(pos, self.pointer(), message);
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
    let looks_float =
        text.bytes().any(|b| b.is_ascii_digit()) && text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
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
    fn a_byte_order_mark_is_skipped() {
        let doc = parse("\u{feff}openapi: 3.0.3\n").unwrap();
        assert_eq!(doc.value["openapi"], "3.0.3");
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // Nine levels of ten aliases each: 10^9 nodes if expanded.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("aliases expand to more than"), "{}", err.message);
        assert_eq!(err.pos.line, 6, "{err:?}");
        // Ordinary reuse is fine.
        let doc = parse("a: &x {type: string}\nb: *x\n").unwrap();
        assert_eq!(doc.value["b"]["type"], "string");
    }

    #[test]
    fn nesting_is_bounded() {
        // Block style: flow style is already limited by the scanner.
        let deep: String = (0..1000).map(|depth| format!("{}k:\n", " ".repeat(depth))).collect();
        let err = parse(&deep).unwrap_err();
        assert_eq!(err.message, format!("nesting deeper than {MAX_DEPTH} levels"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((err.pos.line, err.pointer.as_str()), (2, "/a"));
    }
}
