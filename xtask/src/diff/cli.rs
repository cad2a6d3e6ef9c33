//! The `cargo xtask diff` command line.

use std::path::Path;
use std::process::Command;

use super::report::Report;
use super::versions::{self, Record};
use super::{ApiDiff, Class, Side};
use crate::Error;
use crate::spec::Diagnostics;

pub const USAGE: &str = "usage:
  cargo xtask diff [BASE] [--format markdown|json] [--fail-on breaking|any] [--bump] [--check-versions]
        compare specs/*.yaml at git revision BASE (default HEAD) with the working tree
  cargo xtask diff --old FILE --new FILE [--format markdown|json] [--fail-on breaking|any]
        compare two spec files";

#[derive(Debug, Default)]
struct Options {
    base: Option<String>,
    old: Option<String>,
    new: Option<String>,
    json: bool,
    fail_on: Option<FailOn>,
    bump: bool,
    check_versions: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    /// A change that breaks existing HTTP callers.
    Breaking,
    /// Any change at all.
    Any,
}

fn parse(args: &[String]) -> Result<Options, Error> {
    let usage = || Error::Usage(USAGE.into());
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--old" => o.old = Some(it.next().ok_or_else(usage)?.clone()),
            "--new" => o.new = Some(it.next().ok_or_else(usage)?.clone()),
            "--format" => match it.next().map(String::as_str) {
                Some("json") => o.json = true,
                Some("markdown") => o.json = false,
                _ => return Err(usage()),
            },
            "--fail-on" => match it.next().map(String::as_str) {
                Some("breaking") => o.fail_on = Some(FailOn::Breaking),
                Some("any") => o.fail_on = Some(FailOn::Any),
                _ => return Err(usage()),
            },
            "--bump" => o.bump = true,
            "--check-versions" => o.check_versions = true,
            rev if !rev.starts_with('-') && o.base.is_none() => o.base = Some(rev.to_string()),
            _ => return Err(usage()),
        }
    }
    let files = o.old.is_some() || o.new.is_some();
    if files && (o.old.is_none() || o.new.is_none() || o.base.is_some() || o.bump || o.check_versions) {
        return Err(usage());
    }
    Ok(o)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), Error> {
    let o = parse(args)?;
    let report = match (&o.old, &o.new) {
        (Some(old), Some(new)) => super::compare_files(Path::new(""), old, new, &stem(new))?,
        _ => revision(root, o.base.as_deref().unwrap_or("HEAD"), &o)?,
    };
    print!("{}", if o.json { report.json() } else { report.markdown() });
    let changes = || report.apis.iter().flat_map(|a| &a.changes);
    match o.fail_on {
        Some(FailOn::Breaking) if changes().any(|c| c.effects.callers == Class::Breaking) => {
            return Err(Error::Usage(
                "error: the specs have changes that break existing HTTP callers (--fail-on breaking)".into(),
            ));
        }
        Some(FailOn::Any) if changes().next().is_some() => {
            return Err(Error::Usage("error: the specs changed (--fail-on any)".into()));
        }
        _ => {}
    }
    if o.check_versions {
        let short: Vec<String> = report
            .apis
            .iter()
            .flat_map(|a| &a.crates)
            .filter(|c| !c.bumped_enough())
            .map(|c| {
                format!(
                    "error: {} is {} in {}, the changes need at least {} ({} bump from {})",
                    c.name,
                    c.current.unwrap_or(versions::INITIAL),
                    versions::RECORD,
                    c.required,
                    c.bump.as_str(),
                    c.base
                )
            })
            .collect();
        if !short.is_empty() {
            let hint = "run `cargo xtask diff BASE --bump` and commit the result";
            return Err(Error::Usage(format!("{}\n{hint}", short.join("\n"))));
        }
    }
    Ok(())
}

/// Every vendor spec at `base` against the working tree; with `--bump`, raises the record.
fn revision(root: &Path, base: &str, o: &Options) -> Result<Report, Error> {
    let old_specs = git(root, &["ls-tree", "--name-only", base, "--", "specs/"])?;
    let old_specs: Vec<&str> = old_specs.lines().filter(|p| p.ends_with(".yaml")).collect();
    let new_specs = crate::vendor_specs(root)?;
    let mut names: Vec<String> =
        old_specs.iter().map(|p| stem(p)).chain(new_specs.iter().map(|(n, _)| n.clone())).collect();
    names.sort();
    names.dedup();
    let base_record = match git(root, &["show", &format!("{base}:{}", versions::RECORD)]) {
        Ok(text) => versions::parse(&text, &format!("{base}:{}", versions::RECORD)).map_err(Error::Usage)?,
        Err(_) => Record::new(),
    };
    let mut current = versions::load(root).map_err(Error::Usage)?;
    let mut diffs = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for name in names {
        let path = format!("specs/{name}.yaml");
        let old = match old_specs.contains(&path.as_str()) {
            true => {
                Some(Side::parse(&git(root, &["show", &format!("{base}:{path}")])?, &format!("{base}:{path}"), &name))
            }
            false => None,
        };
        let new = root.join(&path).exists().then(|| Side::load(&root.join(&path), &path, &name));
        let diff = match (old, new) {
            (Some(a), Some(b)) => match both(a, b) {
                Ok((a, b)) => super::diff(&name, &a, &b),
                Err(Error::Spec(mut d)) => {
                    diagnostics.0.append(&mut d.0);
                    continue;
                }
                Err(e) => return Err(e),
            },
            (Some(side), None) | (None, Some(side)) => {
                let added = !old_specs.contains(&path.as_str());
                match side {
                    Ok(s) => super::whole(&name, &s, added),
                    Err(mut d) => {
                        diagnostics.0.append(&mut d.0);
                        continue;
                    }
                }
            }
            (None, None) => continue,
        };
        diffs.push(diff);
    }
    if !diagnostics.0.is_empty() {
        return Err(Error::Spec(diagnostics));
    }
    if o.bump {
        bump(root, &diffs, &base_record, &mut current)?;
    }
    let with_versions = diffs
        .into_iter()
        .map(|d: ApiDiff| {
            let crates = versions::crates(&d, &base_record, Some(&current));
            (d, crates)
        })
        .collect();
    Ok(Report::new(format!("`{base}` -> working tree"), with_versions))
}

/// Raises each crate to the version its changes require, writes the record and regenerates.
fn bump(root: &Path, diffs: &[ApiDiff], base: &Record, current: &mut Record) -> Result<(), Error> {
    for diff in diffs {
        for c in versions::crates(diff, base, Some(current)) {
            let now = c.current.unwrap_or(versions::INITIAL);
            current.insert(c.name, now.max(c.required));
        }
    }
    let path = root.join(versions::RECORD);
    std::fs::write(&path, versions::render(current))
        .map_err(|e| Error::Write(crate::write::WriteError::Io(path, e)))?;
    crate::regenerate(root, false)?;
    eprintln!("bumped: {} updated; generated Cargo.toml files regenerated", versions::RECORD);
    Ok(())
}

/// Both sides, or every diagnostic of both.
pub(super) fn both(a: Result<Side, Diagnostics>, b: Result<Side, Diagnostics>) -> Result<(Side, Side), Error> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut all = Diagnostics::default();
            for d in [a.err(), b.err()].into_iter().flatten() {
                all.0.extend(d.0);
            }
            Err(Error::Spec(all))
        }
    }
}

fn stem(path: &str) -> String {
    Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn git(root: &Path, args: &[&str]) -> Result<String, Error> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "error: git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8(out.stdout).map_err(|e| Error::Usage(format!("error: git {}: {e}", args.join(" "))))
}
