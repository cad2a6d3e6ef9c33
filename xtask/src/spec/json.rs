//! JSON text to a JSON value, remembering where every node starts.
//!
//! JSON is YAML 1.2, but YAML parsers refuse some valid JSON (`"\ud83d\ude80"`, a surrogate pair,
//! is what Python's `json.dump` writes for 🚀), and a dedicated pass is much faster on specs of
//! several megabytes. The structure is scanned here; strings with escapes and numbers are decoded
//! by serde_json, so their values follow RFC 8259 exactly.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::diagnostic::push_pointer;
use super::yaml::{Document, Pos, YamlError};

/// Deeper nesting than this is refused, as in YAML: no spec needs it, and later passes recurse.
const MAX_DEPTH: usize = 128;

pub fn parse(text: &str) -> Result<Document, YamlError> {
    let mut p = Parser { text, bytes: text.as_bytes(), at: 0, cursor: (0, 1, 1), positions: HashMap::new() };
    p.skip_ws();
    let value = p.value(String::new(), 0)?;
    p.skip_ws();
    if p.at < p.bytes.len() {
        return Err(p.fail(String::new(), "trailing characters after the JSON document"));
    }
    Ok(Document::new(value, p.positions))
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// The last computed position, as (byte offset, line, column): positions are asked for in
    /// increasing order, so each character is counted once.
    cursor: (usize, usize, usize),
    positions: HashMap<String, Pos>,
}

impl Parser<'_> {
    fn pos(&mut self) -> Pos {
        let (from, mut line, mut col) = self.cursor;
        for c in self.text[from..self.at].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        self.cursor = (self.at, line, col);
        Pos { line, col }
    }

    fn fail(&mut self, pointer: String, message: impl Into<String>) -> YamlError {
        YamlError { pos: self.pos(), pointer, message: message.into() }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self, pointer: String, depth: usize) -> Result<Value, YamlError> {
        if depth > MAX_DEPTH {
            return Err(self.fail(pointer, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let pos = self.pos();
        self.positions.entry(pointer.clone()).or_insert(pos);
        match self.bytes.get(self.at) {
            Some(b'{') => self.object(pointer, depth),
            Some(b'[') => self.array(pointer, depth),
            Some(b'"') => self.string(&pointer).map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(pointer),
            Some(_) => self.literal(pointer),
            None => Err(self.fail(pointer, "unexpected end of the document")),
        }
    }

    fn object(&mut self, pointer: String, depth: usize) -> Result<Value, YamlError> {
        self.at += 1;
        let mut map = Map::new();
        self.skip_ws();
        if self.eat(b'}') {
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.fail(pointer, "expected a string key"));
            }
            let key_pos = self.pos();
            let key = self.string(&pointer)?;
            let here = push_pointer(&pointer, &key);
            if map.contains_key(&key) {
                return Err(YamlError { pos: key_pos, pointer: here, message: format!("duplicate key `{key}`") });
            }
            self.positions.insert(here.clone(), key_pos);
            self.skip_ws();
            if !self.eat(b':') {
                return Err(self.fail(here, "expected `:` after a key"));
            }
            self.skip_ws();
            let value = self.value(here.clone(), depth + 1)?;
            map.insert(key, value);
            self.skip_ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Value::Object(map));
            }
            return Err(self.fail(here, "expected `,` or `}`"));
        }
    }

    fn array(&mut self, pointer: String, depth: usize) -> Result<Value, YamlError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let here = push_pointer(&pointer, &items.len().to_string());
            items.push(self.value(here.clone(), depth + 1)?);
            self.skip_ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            return Err(self.fail(here, "expected `,` or `]`"));
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&b);
        if found {
            self.at += 1;
        }
        found
    }

    /// A string literal; escapes are decoded by serde_json (surrogate pairs included).
    fn string(&mut self, pointer: &str) -> Result<String, YamlError> {
        let start = self.at;
        self.at += 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.at += 2;
                }
                Some(0..=0x1f) => return Err(self.fail(pointer.to_string(), "control character in a string")),
                Some(_) => self.at += 1,
                None => {
                    self.at = start;
                    return Err(self.fail(pointer.to_string(), "unterminated string"));
                }
            }
        }
        self.at += 1;
        let literal = &self.text[start..self.at];
        if !escaped {
            return Ok(literal[1..literal.len() - 1].to_string());
        }
        serde_json::from_str::<String>(literal).map_err(|e| {
            self.at = start;
            self.fail(pointer.to_string(), format!("invalid string: {e}"))
        })
    }

    fn number(&mut self, pointer: String) -> Result<Value, YamlError> {
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
        }
        match serde_json::from_str::<serde_json::Number>(&self.text[start..self.at]) {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.at = start;
                Err(self.fail(pointer, "invalid number"))
            }
        }
    }

    fn literal(&mut self, pointer: String) -> Result<Value, YamlError> {
        for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
            if self.text[self.at..].starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        Err(self.fail(pointer, "expected a JSON value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogate_pairs_and_positions() {
        let doc = parse("{\n  \"a\": {\"b\": \"\\ud83d\\ude80 \u{e9}\", \"n\": [1, -2.5e3, 18446744073709551615]}\n}")
            .unwrap();
        assert_eq!(doc.value["a"]["b"], "\u{1f680} \u{e9}");
        assert_eq!(doc.value["a"]["n"][2].as_u64(), Some(u64::MAX));
        assert_eq!(doc.pos("/a"), Pos { line: 2, col: 3 });
        assert_eq!(doc.pos("/a/b"), Pos { line: 2, col: 9 });
        assert_eq!(doc.pos("/a/n/1"), Pos { line: 2, col: 41 });
    }

    #[test]
    fn errors_are_located() {
        let err = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!((err.pos, err.pointer.as_str()), (Pos { line: 2, col: 2 }, "/a"));
        let err = parse("{\"a\": [1,, 2]}").unwrap_err();
        assert_eq!((err.pos.col, err.pointer.as_str()), (10, "/a/1"));
        let err = parse("{\"a\": \"\\ud83d\"}").unwrap_err();
        assert!(err.message.starts_with("invalid string"), "{}", err.message);
        assert!(parse(&"[".repeat(10_000)).is_err());
    }
}
