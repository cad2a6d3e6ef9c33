//! Crate assembly: which files make up a generated client or server crate, and the context
//! its templates are rendered with.

use std::path::PathBuf;

use serde::Serialize;

use crate::emit;
use crate::emit::types::Enums;
use crate::model::{Api, Side};
use crate::write::{self, Files, Templates, WriteError};

/// The command that writes the files, named in each file's preamble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedBy {
    Regenerate,
    Generate,
}

/// How a generated crate depends on the runtime, `mailapi-support`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Inside this workspace: every dependency comes from `[workspace.dependencies]`.
    Workspace,
    /// `path = ...`, written as given: relative to the generated crate's directory, or absolute.
    Path(String),
    /// `git = URL` (and `rev = REV` when given): cargo finds the package in the repository.
    Git { url: String, rev: Option<String> },
}

/// Where generated crates go and how they reach the support crate.
pub struct Layout {
    /// Output directory, relative to the root the files are written under.
    pub dir: PathBuf,
    pub support: Support,
    pub command: GeneratedBy,
    /// Each crate's version (`specs/versions.json`); a crate not in it is 0.1.0.
    pub versions: crate::diff::versions::Record,
}

#[derive(Serialize)]
struct CrateContext<'a> {
    preamble: String,
    source: &'a str,
    crate_name: String,
    version: String,
    lib_name: String,
    vendor: &'a str,
    base_url: &'a str,
    side: Side,
    title: &'a str,
    api_version: &'a str,
    description: Option<&'a str>,
    workspace: bool,
    /// The support dependency as the README describes it.
    support: String,
    /// From the crate's directory to the root its files are written under (`../../`).
    to_root: String,
    support_path: Option<&'a str>,
    support_git: Option<&'a str>,
    support_rev: Option<&'a str>,
    uses_chrono: bool,
    uses_bytes: bool,
    operations: usize,
    /// Webhook and callback operations the server crate's `webhooks` module receives.
    receivers: usize,
    types: usize,
}

/// The client and server crates of one API.
pub fn render_crates(api: &Api, templates: &Templates, layout: &Layout) -> Result<Files, WriteError> {
    let preamble = write::preamble(layout.command, &api.source);
    let mut files = Files::new();
    for side in [Side::Client, Side::Server] {
        let dir = layout.dir.join(api.crate_name(side));
        let ctx = context(api, layout, side, &preamble);
        files.insert(dir.join("Cargo.toml"), templates.render("Cargo.toml.j2", &ctx)?);
        files.insert(dir.join("README.md"), templates.render("README.md.j2", &ctx)?);
        for (path, tokens) in rust_files(api, side) {
            files.insert(dir.join(path), write::rust_file(tokens, &preamble)?);
        }
    }
    Ok(files)
}

fn context<'a>(api: &'a Api, layout: &'a Layout, side: Side, preamble: &str) -> CrateContext<'a> {
    CrateContext {
        preamble: preamble.to_string(),
        source: &api.source,
        crate_name: api.crate_name(side),
        version: crate::diff::versions::version_of(&layout.versions, &api.crate_name(side)).to_string(),
        lib_name: api.lib_name(side),
        vendor: &api.name,
        base_url: api.server_url.as_deref().unwrap_or("https://example.invalid"),
        side,
        title: &api.title,
        api_version: &api.version,
        description: api.description.as_deref(),
        workspace: layout.support == Support::Workspace,
        to_root: "../".repeat(layout.dir.components().count() + 1),
        support: match &layout.support {
            Support::Workspace => "the workspace's `mailapi-support`".into(),
            Support::Path(path) => format!("the path `{path}`"),
            Support::Git { url, rev: Some(rev) } => format!("the git repository `{url}` at `{rev}`"),
            Support::Git { url, rev: None } => format!("the git repository `{url}`"),
        },
        support_path: match &layout.support {
            Support::Path(path) => Some(path),
            _ => None,
        },
        support_git: match &layout.support {
            Support::Git { url, .. } => Some(url),
            _ => None,
        },
        support_rev: match &layout.support {
            Support::Git { rev, .. } => rev.as_deref(),
            _ => None,
        },
        uses_chrono: api.uses_chrono(),
        uses_bytes: api.uses_bytes(),
        operations: api.operations.len(),
        receivers: api.receivers.len(),
        types: api.types.len(),
    }
}

/// The Rust files of one crate, by path inside it.
fn rust_files(api: &Api, side: Side) -> Vec<(&'static str, proc_macro2::TokenStream)> {
    let mut files = vec![("src/lib.rs", emit::crate_root(api, side))];
    match side {
        Side::Client => {
            files.push(("src/types.rs", emit::types::module(api, Enums::Lenient)));
            files.push(("src/client.rs", emit::client::module(api)));
            files.push(("tests/examples.rs", emit::examples_test::module(api)));
        }
        Side::Server => {
            files.push(("src/types.rs", emit::types::module(api, Enums::Strict)));
            files.push(("src/server.rs", emit::server::module(api)));
            if let Some(receivers) = api.receiver_view() {
                files.push(("src/webhooks.rs", emit::server::module(&receivers)));
            }
            files.push(("src/mock.rs", emit::mock::module(api)));
            files.push(("src/bin/mock.rs", emit::mock::binary(api)));
            files.extend(emit::validate::module(api).map(|tokens| ("src/validate.rs", tokens)));
            files.push(("tests/e2e.rs", emit::e2e_test::module(api)));
        }
    }
    files
}
