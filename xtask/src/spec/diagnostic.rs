//! Located problems in a spec: `file:line:col: /json/pointer: message`.

use std::fmt;

/// An error stops generation; a warning says what the generator read differently from the spec
/// as written (ignored, or read as a simpler type), and stops it only with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in a spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}:{}:{}: {}: {}", self.file, self.line, self.col, pointer, self.message)
    }
}

/// All the problems of one run, reported together.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{}: {d}", d.severity)?;
        }
        let warnings = self.0.iter().filter(|d| d.severity == Severity::Warning).count();
        write!(f, "{} error(s)", self.0.len() - warnings)?;
        if warnings > 0 {
            write!(f, ", {warnings} warning(s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    /// Sorts by position in the file and drops repeats.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| (a.line, a.col, &a.pointer, a.severity).cmp(&(b.line, b.col, &b.pointer, b.severity)));
        self.0.dedup();
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Appends `token` to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}
