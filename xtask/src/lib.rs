//! The generator behind `cargo xtask regenerate`: spec -> model -> emitters -> writer.

mod assemble;
pub mod corpus;
pub mod diff;
pub mod doclinks;
pub mod emit;
pub mod model;
pub mod spec;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

pub use assemble::{GeneratedBy, Layout, Support, render_crates};
use model::Api;
use spec::Diagnostics;
use write::{Files, Templates, WriteError};

/// The workspace root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// Loads `path` and builds its model; `source` names the spec in diagnostics and headers.
pub fn load_api(path: &Path, source: &str, name: &str) -> Result<Api, Diagnostics> {
    let spec = spec::load(path, source)?;
    model::build(&spec, name, source)
}

/// The specs under `specs/`, as (crate stem, path relative to the root), sorted.
pub fn vendor_specs(root: &Path) -> Result<Vec<(String, String)>, Error> {
    specs_in(root, "specs")
}

/// The YAML specs in `dir` (relative to `root`), as (file stem, relative path), sorted.
fn specs_in(root: &Path, dir: &str) -> Result<Vec<(String, String)>, Error> {
    let prefix = dir;
    let dir = root.join(dir);
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::Io(format!("cannot list {}", dir.display()), e))?;
    let mut out: Vec<(String, String)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".yaml")?.to_string();
            Some((stem, format!("{prefix}/{name}")))
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Where `cargo xtask regenerate` writes: the vendor crates, and the crates of the edge-case
/// corpus (`tests/corpus/crates`), which are built and tested like the vendors'.
pub const GENERATED_DIRS: [(&str, &str); 2] = [("specs", "generated"), ("tests/corpus/crates", "tests/output")];

/// Every generated file of the workspace.
pub fn workspace_files(root: &Path) -> Result<Files, Error> {
    let templates = Templates::load(&root.join("templates"))?;
    let mut files = Files::new();
    let mut diagnostics = Diagnostics::default();
    let versions = diff::versions::load(root).map_err(Error::Usage)?;
    for (specs, out) in GENERATED_DIRS {
        let layout = Layout {
            dir: PathBuf::from(out),
            support: Support::Workspace,
            command: GeneratedBy::Regenerate,
            versions: versions.clone(),
        };
        for (name, source) in specs_in(root, specs)? {
            match load_api(&root.join(&source), &source, &name) {
                // The project's own specs are held to `--deny-warnings`.
                Ok(mut api) if !api.warnings.is_empty() => diagnostics.0.append(&mut api.warnings),
                Ok(api) => files.append(&mut render_crates(&api, &templates, &layout)?),
                Err(mut d) => diagnostics.0.append(&mut d.0),
            }
        }
    }
    if !diagnostics.0.is_empty() {
        return Err(Error::Spec(diagnostics));
    }
    Ok(files)
}

/// `cargo xtask regenerate [--check]`.
pub fn regenerate(root: &Path, check: bool) -> Result<write::Report, Error> {
    let files = workspace_files(root)?;
    let owned: Vec<PathBuf> = GENERATED_DIRS.iter().map(|(_, out)| PathBuf::from(out)).collect();
    let report = write::ensure_files(root, &owned, &files, write::Ownership::Whole, check)?;
    if check && !report.is_clean() {
        return Err(Error::Stale(report));
    }
    Ok(report)
}

#[derive(Debug)]
pub enum Error {
    Spec(Diagnostics),
    Write(WriteError),
    Stale(write::Report),
    /// The command line is wrong; the text says how to call.
    Usage(String),
    /// A command this one runs could not start or failed: what ran, and how it ended.
    Command(String),
    /// Reading or writing outside the generated files: what was done, and the error.
    Io(String, std::io::Error),
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Self {
        Error::Write(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(d) => write!(f, "{d}"),
            Error::Write(e) => write!(f, "error: {e}"),
            Error::Usage(u) => write!(f, "{u}"),
            Error::Command(what) => write!(f, "error: {what}"),
            Error::Io(what, e) => write!(f, "error: {what}: {e}"),
            Error::Stale(report) => {
                let lists = [("stale", &report.changed), ("missing", &report.missing), ("extra", &report.extra)];
                for (what, paths) in lists {
                    for p in paths {
                        writeln!(f, "{what}: {}", p.display())?;
                    }
                }
                write!(f, "generated files are not up to date: run `cargo xtask regenerate` and commit the result")
            }
        }
    }
}

impl std::error::Error for Error {}
