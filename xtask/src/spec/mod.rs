//! Spec loading: YAML text to an `openapiv3::OpenAPI`, with every problem located.

mod callbacks;
pub mod diagnostic;
pub mod json;
pub mod openapi31;
pub mod structure;
pub mod yaml;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics, Severity, push_pointer};
use yaml::Document;

/// A loaded spec: the typed OpenAPI document, the raw JSON value it came from, and positions.
#[derive(Debug)]
pub struct Spec {
    /// The path used in diagnostics (as given, relative to the working directory).
    pub file: String,
    pub doc: Document,
    pub openapi: openapiv3::OpenAPI,
    /// Diagnostics of loading (what normalisation ignored or read differently, and `$ref`
    /// callbacks that do not resolve), reported with the model's.
    pub warnings: Vec<Diagnostic>,
}

impl Spec {
    /// A diagnostic at `pointer` in this spec.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, pointer, message)
    }

    /// A warning at `pointer` in this spec.
    pub fn warning(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, pointer, message)
    }

    fn diagnostic(&self, severity: Severity, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let pos = self.doc.pos(pointer);
        Diagnostic {
            severity,
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
        Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line: 1,
            col: 1,
            pointer: String::new(),
            message,
        }])
    })?;
    parse(&text, file)
}

/// Parses spec text read from elsewhere (e.g. `git show REV:path`); `file` is how diagnostics name it.
pub fn parse(text: &str, file: &str) -> Result<Spec, Diagnostics> {
    let at = |line, col, pointer: &str, message: String| Diagnostic {
        severity: Severity::Error,
        file: file.to_string(),
        line,
        col,
        pointer: pointer.to_string(),
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse_document(text, Path::new(file)).map_err(|(kind, e)| {
        Diagnostics(vec![at(e.pos.line, e.pos.col, &e.pointer, format!("invalid {kind}: {}", e.message))])
    })?;
    let mut doc = doc;
    let version = check_version(&doc).map_err(|(pointer, message)| {
        let pos = doc.pos(&pointer);
        Diagnostics(vec![at(pos.line, pos.col, &pointer, message)])
    })?;
    let mut found = Diagnostics::default();
    // Reported with the model's diagnostics (`Spec::warnings` carries errors too).
    for (pointer, message) in callbacks::inline_refs(&mut doc) {
        let pos = doc.pos(&pointer);
        found.0.push(at(pos.line, pos.col, &pointer, message));
    }
    if version == Version::V31 {
        for (severity, pointer, message) in openapi31::normalize(&mut doc) {
            let pos = doc.pos(&pointer);
            found.0.push(Diagnostic { severity, ..at(pos.line, pos.col, &pointer, message) });
        }
        found.sort();
        if found.has_errors() {
            return Err(found);
        }
    }
    let openapi = serde_path_to_error::deserialize(&doc.value).map_err(|e| {
        let prefix = match version {
            Version::V30 => "not a valid OpenAPI 3.0 document",
            Version::V31 => "not a valid OpenAPI 3.1 document (read as 3.0)",
        };
        // serde stops at the first problem, often located at an ancestor: the structural walk
        // finds them all, each at its key; serde's own error stays when the walk finds none.
        let mut problems = structure::check(&doc.value);
        if problems.is_empty() {
            problems.push((path_to_pointer(e.path()), e.inner().to_string()));
        }
        for (pointer, message) in problems {
            let pos = doc.pos(&pointer);
            found.0.push(at(pos.line, pos.col, &pointer, format!("{prefix}: {message}")));
        }
        found.sort();
        std::mem::take(&mut found)
    })?;
    Ok(Spec { file: file.to_string(), doc, openapi, warnings: found.0 })
}

/// JSON (a document that starts with `{` or a `.json` file) goes through the JSON parser, the rest
/// through YAML; a `{` document that is not JSON may still be YAML's flow style.
fn parse_document(text: &str, path: &Path) -> Result<Document, (&'static str, yaml::YamlError)> {
    let is_json_file = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json_file || text.trim_start().starts_with('{') {
        match json::parse(text) {
            Ok(doc) => return Ok(doc),
            Err(e) if is_json_file => return Err(("JSON", e)),
            Err(_) => {}
        }
    }
    yaml::parse(text).map_err(|e| ("YAML", e))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

fn check_version(doc: &Document) -> Result<Version, (String, String)> {
    if !doc.value.is_object() {
        return Err((String::new(), "a spec must be a YAML mapping".into()));
    }
    match doc.value.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0.") => Ok(Version::V30),
        Some(v) if v.starts_with("3.1.") => Ok(Version::V31),
        Some(v) => Err((
            "/openapi".into(),
            format!("OpenAPI {v} is not supported: this generator reads OpenAPI 3.0.x and 3.1.x"),
        )),
        None if doc.value.get("swagger").is_some() => Err((
            "/swagger".into(),
            "Swagger 2.0 is not supported: convert it to OpenAPI 3.0 or 3.1 (e.g. with swagger2openapi)".into(),
        )),
        None => Err((String::new(), "missing `openapi: 3.x.y` version string".into())),
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
