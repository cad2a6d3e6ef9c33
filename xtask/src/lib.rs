//! The generator behind `cargo xtask regenerate`: spec -> model -> emitters -> writer.

pub mod emit;
pub mod model;
pub mod spec;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use emit::types::Enums;
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

/// Where generated crates go and how they reach the support crate.
pub struct Layout {
    /// Output directory, relative to the root the files are written under.
    pub dir: PathBuf,
    /// Inside this workspace: dependencies come from `[workspace.dependencies]`.
    pub workspace: bool,
    /// Path from a generated crate to the support crate (used outside the workspace).
    pub support_path: String,
}

#[derive(Serialize)]
struct CrateContext<'a> {
    preamble: String,
    source: &'a str,
    crate_name: String,
    lib_name: String,
    vendor: &'a str,
    base_url: &'a str,
    side: &'a str,
    title: &'a str,
    api_version: &'a str,
    description: Option<&'a str>,
    workspace: bool,
    support_path: &'a str,
    uses_chrono: bool,
    uses_bytes: bool,
    operations: usize,
    types: usize,
}

/// The client and server crates of one API.
pub fn render_crates(api: &Api, templates: &Templates, layout: &Layout) -> Result<Files, WriteError> {
    let mut files = Files::new();
    for (side, enums) in [("client", Enums::Lenient), ("server", Enums::Strict)] {
        let crate_name = format!("{}-{side}", api.name);
        let dir = layout.dir.join(&crate_name);
        let ctx = CrateContext {
            preamble: write::preamble(&api.source),
            source: &api.source,
            lib_name: crate_name.replace('-', "_"),
            crate_name: crate_name.clone(),
            vendor: &api.name,
            base_url: api.server_url.as_deref().unwrap_or("https://example.invalid"),
            side,
            title: &api.title,
            api_version: &api.version,
            description: api.description.as_deref(),
            workspace: layout.workspace,
            support_path: &layout.support_path,
            uses_chrono: api.uses_chrono(),
            uses_bytes: api.uses_bytes(),
            operations: api.operations.len(),
            types: api.types.len(),
        };
        files.insert(dir.join("Cargo.toml"), templates.render("Cargo.toml.j2", &ctx)?);
        files.insert(dir.join("README.md"), templates.render("README.md.j2", &ctx)?);
        files.insert(dir.join("src/lib.rs"), write::rust_file(emit::crate_root(api, side), &api.source)?);
        files.insert(dir.join("src/types.rs"), write::rust_file(emit::types::module(api, enums), &api.source)?);
        let modules = match side {
            "client" => vec![("client", emit::client::module(api))],
            _ => {
                let mut modules = vec![("server", emit::server::module(api)), ("mock", emit::mock::module(api)), ("bin/mock", emit::mock::binary(api))];
                modules.extend(emit::validate::module(api).map(|tokens| ("validate", tokens)));
                modules
            }
        };
        for (module, tokens) in modules {
            files.insert(dir.join(format!("src/{module}.rs")), write::rust_file(tokens, &api.source)?);
        }
        let test = match side {
            "client" => ("tests/examples.rs", emit::examples_test::module(api)),
            _ => ("tests/e2e.rs", emit::e2e_test::module(api)),
        };
        files.insert(dir.join(test.0), write::rust_file(test.1, &api.source)?);
    }
    Ok(files)
}

/// The specs under `specs/`, as (crate stem, path relative to the root), sorted.
pub fn vendor_specs(root: &Path) -> Result<Vec<(String, String)>, Error> {
    specs_in(root, "specs")
}

/// The YAML specs in `dir` (relative to `root`), as (file stem, relative path), sorted.
fn specs_in(root: &Path, dir: &str) -> Result<Vec<(String, String)>, Error> {
    let prefix = dir;
    let dir = root.join(dir);
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::Write(WriteError::Io(dir.clone(), e)))?;
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
    for (specs, out) in GENERATED_DIRS {
        let layout = Layout { dir: PathBuf::from(out), workspace: true, support_path: String::new() };
        for (name, source) in specs_in(root, specs)? {
            match load_api(&root.join(&source), &source, &name) {
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
    Usage(String),
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
