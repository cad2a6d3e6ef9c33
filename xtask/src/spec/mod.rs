//! Spec loading: YAML text to an `openapiv3::OpenAPI`, with every problem located.

pub mod diagnostic;
pub mod yaml;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics, push_pointer};
use yaml::Document;

/// A loaded spec: the typed OpenAPI document, the raw JSON value it came from, and positions.
#[derive(Debug)]
pub struct Spec {
    /// The path used in diagnostics (as given, relative to the working directory).
    pub file: String,
    pub doc: Document,
    pub openapi: openapiv3::OpenAPI,
}

impl Spec {
    /// A diagnostic at `pointer` in this spec.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let pos = self.doc.pos(pointer);
        Diagnostic {
            file: self.file.clone(),
            line: pos.line,
            col: pos.col,
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }

    /// The raw JSON value at `pointer`.
    pub fn raw(&self, pointer: &str) -> Option<&serde_json::Value> {
        self.doc.value.pointer(pointer)
    }
}

/// Reads and parses `path`; `file` is how diagnostics name it.
pub fn load(path: &Path, file: &str) -> Result<Spec, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let message = format!("cannot read spec: {e}");
        Diagnostics(vec![Diagnostic { file: file.to_string(), line: 1, col: 1, pointer: String::new(), message }])
    })?;
    parse(&text, file)
}

/// Parses spec text read from elsewhere (e.g. `git show REV:path`); `file` is how diagnostics name it.
pub fn parse(text: &str, file: &str) -> Result<Spec, Diagnostics> {
    let at = |line, col, pointer: &str, message: String| Diagnostic {
        file: file.to_string(),
        line,
        col,
        pointer: pointer.to_string(),
        message,
    };
    let doc = yaml::parse(text).map_err(|e| {
        Diagnostics(vec![at(e.pos.line, e.pos.col, &e.pointer, format!("invalid YAML: {}", e.message))])
    })?;
    check_version(&doc).map_err(|(pointer, message)| {
        let pos = doc.pos(&pointer);
        Diagnostics(vec![at(pos.line, pos.col, &pointer, message)])
    })?;
    let openapi = serde_path_to_error::deserialize(&doc.value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let pos = doc.pos(&pointer);
        let message = format!("not a valid OpenAPI 3.0 document: {}", e.inner());
        Diagnostics(vec![at(pos.line, pos.col, &pointer, message)])
    })?;
    Ok(Spec { file: file.to_string(), doc, openapi })
}

fn check_version(doc: &Document) -> Result<(), (String, String)> {
    if !doc.value.is_object() {
        return Err((String::new(), "a spec must be a YAML mapping".into()));
    }
    match doc.value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0.") => Ok(()),
        Some(v) => Err((
            "/openapi".into(),
            format!("OpenAPI {v} is not supported: this generator reads OpenAPI 3.0.x"),
        )),
        None if doc.value.get("swagger").is_some() => {
            Err(("/swagger".into(), "Swagger 2.0 is not supported: convert to OpenAPI 3.0.x".into()))
        }
        None => Err((String::new(), "missing `openapi: 3.0.x` version string".into())),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer = push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = push_pointer(&pointer, variant),
            Segment::Unknown => break,
        }
    }
    pointer
}
