//! A diff as Markdown (for a pull-request comment) or JSON (stable shape, `format: 1`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::versions::CrateVersion;
use super::{ApiDiff, Change, Class};

/// Everything one `cargo xtask diff` run found.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Bumped when the JSON shape changes incompatibly.
    pub format: u32,
    /// What was compared, e.g. `HEAD -> working tree`.
    pub compared: String,
    pub apis: Vec<ApiReport>,
}

#[derive(Debug, Serialize)]
pub struct ApiReport {
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub summary: Summary,
    pub crates: Vec<CrateVersion>,
    pub changes: Vec<Change>,
}

/// How many changes fall in each class, per audience.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub callers: Counts,
    pub implementors: Counts,
}

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub breaking: usize,
    #[serde(rename = "non-breaking")]
    pub non_breaking: usize,
    pub information: usize,
}

impl Counts {
    fn add(&mut self, class: Class) {
        match class {
            Class::Breaking => self.breaking += 1,
            Class::NonBreaking => self.non_breaking += 1,
            Class::Information => self.information += 1,
        }
    }
}

impl Report {
    pub fn new(compared: String, diffs: Vec<(ApiDiff, Vec<CrateVersion>)>) -> Report {
        let apis = diffs
            .into_iter()
            .map(|(d, crates)| {
                let mut summary = Summary::default();
                for c in &d.changes {
                    summary.callers.add(c.effects.callers);
                    summary.implementors.add(c.effects.implementors);
                }
                ApiReport { name: d.name, old: d.old, new: d.new, summary, crates, changes: d.changes }
            })
            .collect();
        Report { format: 1, compared, apis }
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn markdown(&self) -> String {
        let mut out = format!("## API changes: {}\n\n", self.compared);
        let changed: Vec<&ApiReport> = self.apis.iter().filter(|a| !a.changes.is_empty()).collect();
        if changed.is_empty() {
            out.push_str("No API changes.\n");
            return out;
        }
        out.push_str(
            "| API | HTTP callers | server implementors | client crate | server crate |\n|---|---|---|---|---|\n",
        );
        for a in &changed {
            let crate_cell = |i: usize| a.crates.get(i).map(version_cell).unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                a.name,
                counts(&a.summary.callers),
                counts(&a.summary.implementors),
                crate_cell(0),
                crate_cell(1)
            );
        }
        for a in changed {
            let _ = write!(out, "\n### {}\n", a.name);
            for (title, changes) in groups(&a.changes) {
                let _ = write!(
                    out,
                    "\n#### {title}\n\n| change | HTTP callers | server implementors | client crate | server crate | where |\n|---|---|---|---|---|---|\n"
                );
                for c in changes {
                    let e = c.effects;
                    let _ = writeln!(
                        out,
                        "| {} (`{}`) | {} | {} | {} | {} | `{}:{}` |",
                        c.message.replace('|', "\\|"),
                        c.kind.id(),
                        mark(e.callers),
                        mark(e.implementors),
                        mark(e.client_crate),
                        mark(e.server_crate),
                        c.location.file,
                        c.location.line
                    );
                }
            }
        }
        out
    }
}

/// Changes by what they belong to: the API itself, each operation, each webhook and callback,
/// each schema.
fn groups(changes: &[Change]) -> Vec<(String, Vec<&Change>)> {
    let mut map: BTreeMap<(u8, String), Vec<&Change>> = BTreeMap::new();
    for c in changes {
        let key = match (&c.operation, &c.receiver, &c.schema) {
            (Some(op), _, _) => (1, format!("operation `{op}`")),
            (None, Some(label), _) => (2, label.clone()),
            (None, None, Some(s)) => (3, format!("schema `{s}`{}", used_by(&c.used_by))),
            (None, None, None) => (0, "API".to_string()),
        };
        map.entry(key).or_default().push(c);
    }
    map.into_iter().map(|((_, title), cs)| (title, cs)).collect()
}

fn used_by(ops: &[String]) -> String {
    const SHOWN: usize = 5;
    if ops.is_empty() {
        return " (used by no operation)".into();
    }
    // Operations by operationId; webhooks and callbacks come labelled (`` webhook `newPet` ``).
    let quoted = |o: &String| if o.contains('`') { o.clone() } else { format!("`{o}`") };
    let names: Vec<String> = ops.iter().take(SHOWN).map(quoted).collect();
    let more = if ops.len() > SHOWN { format!(" and {} more", ops.len() - SHOWN) } else { String::new() };
    format!(" (used by {}{more})", names.join(", "))
}

fn mark(class: Class) -> &'static str {
    match class {
        Class::Breaking => "**breaking**",
        Class::NonBreaking => "non-breaking",
        Class::Information => "information",
    }
}

fn counts(c: &Counts) -> String {
    format!("{} breaking, {} non-breaking, {} information", c.breaking, c.non_breaking, c.information)
}

fn version_cell(c: &CrateVersion) -> String {
    let status = match c.current {
        Some(v) if !c.bumped_enough() => format!(", {} says {v}", super::versions::RECORD),
        _ => String::new(),
    };
    format!("{} -> {} ({}{status})", c.base, c.required, c.bump.as_str())
}
