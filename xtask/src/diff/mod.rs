//! `cargo xtask diff`: what changed between two versions of a spec, whom it breaks, and the
//! semver bump each generated crate needs.
//!
//! Both sides go through the same loader and model as `regenerate`; the comparison walks the two
//! models (`compare.rs`), locates each change in the spec it comes from, and classifies it twice
//! over HTTP (existing callers, server implementors) and twice in Rust (the client and the server
//! crate). [`report`] renders the result as Markdown or JSON; [`versions`] keeps the crates'
//! versions; [`oracle`] checks the Rust predictions against cargo-semver-checks.

mod classes;
pub mod cli;
mod compare;
pub mod oracle;
pub mod report;
pub mod versions;

use std::path::Path;

use serde::Serialize;

use crate::model::{self, Api};
use crate::spec::{self, Diagnostics, Spec};

pub use classes::{Class, Kind};

/// One side of a comparison: the spec (for positions) and its model.
pub struct Side {
    pub spec: Spec,
    pub api: Api,
}

impl Side {
    /// Loads a spec file, as `regenerate` does; `source` names it in locations.
    pub fn load(path: &Path, source: &str, name: &str) -> Result<Side, Diagnostics> {
        let spec = spec::load(path, source)?;
        let api = model::build(&spec, name, source)?;
        Ok(Side { spec, api })
    }

    /// Loads spec text read from elsewhere (`git show REV:path`).
    pub fn parse(text: &str, source: &str, name: &str) -> Result<Side, Diagnostics> {
        let spec = spec::parse(text, source)?;
        let api = model::build(&spec, name, source)?;
        Ok(Side { spec, api })
    }

    fn locate(&self, pointer: &str) -> Location {
        Location { file: self.spec.file.clone(), line: self.spec.doc.pos(pointer).line, pointer: pointer.to_string() }
    }
}

/// Where a change is: a line of the old spec (for what went away) or of the new one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    /// The JSON pointer of the changed node.
    pub pointer: String,
}

/// How one change is classified for HTTP and in Rust.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Effects {
    /// Existing HTTP callers of the service.
    pub callers: Class,
    /// Implementors of the server.
    pub implementors: Class,
    /// The `<vendor>-client` crate's public API.
    pub client_crate: Class,
    /// The `<vendor>-server` crate's public API.
    pub server_crate: Class,
}

/// One semantic change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// The operation it belongs to (its new operationId), when it is an operation's change.
    pub operation: Option<String>,
    /// The webhook or callback it belongs to, as the report names it (`` webhook `newPet` ``,
    /// `` callback `createSubscription/onEvent` ``): its classes are turned around (see the README).
    pub receiver: Option<String>,
    /// The named schema it belongs to, when it is a schema's change.
    pub schema: Option<String>,
    /// Operations whose requests or responses reach the schema (empty for operation changes).
    pub used_by: Vec<String>,
    pub message: String,
    pub location: Location,
    pub effects: Effects,
    /// What it does to the generated Rust API.
    pub rust: String,
}

/// The changes of one API (one vendor).
#[derive(Debug, Clone, Serialize)]
pub struct ApiDiff {
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// The worst effect on one crate over every change (`None` when nothing changed).
    pub fn crate_effect(&self, server: bool) -> Option<Class> {
        self.changes.iter().map(|c| if server { c.effects.server_crate } else { c.effects.client_crate }).max()
    }

    pub fn is_breaking_for_callers(&self) -> bool {
        self.changes.iter().any(|c| c.effects.callers == Class::Breaking)
    }
}

/// Compares two loaded specs of the API `name`.
pub fn diff(name: &str, old: &Side, new: &Side) -> ApiDiff {
    ApiDiff {
        name: name.to_string(),
        old: Some(old.spec.file.clone()),
        new: Some(new.spec.file.clone()),
        changes: compare::changes(old, new),
    }
}

/// A whole API appeared or went away: one change that stands for all of it.
pub fn whole(name: &str, side: &Side, added: bool) -> ApiDiff {
    let kind = if added { Kind::ApiAdded } else { Kind::ApiRemoved };
    let verb = if added { "added" } else { "removed" };
    let change = Change {
        kind,
        operation: None,
        receiver: None,
        schema: None,
        used_by: Vec::new(),
        message: format!("API `{}` {verb} ({} operations)", side.api.title, side.api.operations.len()),
        location: side.locate("/info"),
        effects: kind.effects(classes::Usage::NONE),
        rust: kind.rust_note().to_string(),
    };
    let (old, new) = if added { (None, Some(side.spec.file.clone())) } else { (Some(side.spec.file.clone()), None) };
    ApiDiff { name: name.to_string(), old, new, changes: vec![change] }
}

/// Two spec files as the API `name` (crates `<name>-client`, `<name>-server`); the paths are
/// relative to `root` and name the specs in locations as given.
pub fn compare_files(root: &Path, old: &str, new: &str, name: &str) -> Result<report::Report, crate::Error> {
    let (a, b) = cli::both(Side::load(&root.join(old), old, name), Side::load(&root.join(new), new, name))?;
    let diff = diff(name, &a, &b);
    let crates = versions::crates(&diff, &versions::Record::new(), None);
    Ok(report::Report::new(format!("`{old}` -> `{new}`"), vec![(diff, crates)]))
}
