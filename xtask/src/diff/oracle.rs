//! `cargo xtask semver-oracle`: the crate bumps `cargo xtask diff` predicts for each case of
//! `tests/corpus/diff/`, checked against cargo-semver-checks run on the generated crates.
//!
//! Both versions of every case are generated as standalone crates into two scratch workspaces
//! under `target/semver-oracle/` (sharing one target directory and this workspace's lock file,
//! so dependencies are built once), documented as rustdoc JSON, and compared crate by crate.
//! A prediction may be stricter than cargo-semver-checks only with a reason in the case's
//! `oracle.txt` (lines `client: ...` / `server: ...`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Class;
use crate::{Error, Layout, write};

/// The cargo-semver-checks release `cargo xtask test` installs (its rustdoc JSON formats include
/// the one of the pinned toolchain).
pub const TOOL_VERSION: &str = "0.51.0";

/// Where `cargo xtask test` installs it (`target/tools/bin/cargo-semver-checks`).
pub fn tool_path(root: &Path) -> PathBuf {
    root.join("target/tools/bin/cargo-semver-checks")
}

/// Installs cargo-semver-checks into `target/tools` unless that version is already there.
pub fn install(root: &Path, cargo: &str) -> Result<(), Error> {
    let marker = root.join("target/tools/semver-checks.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(TOOL_VERSION) && tool_path(root).exists() {
        return Ok(());
    }
    println!(
        "cargo xtask test: installing cargo-semver-checks {TOOL_VERSION} into target/tools (once; several minutes)"
    );
    let mut cmd = Command::new(cargo);
    cmd.args(["install", "--locked", "--quiet", "--root"]).arg(root.join("target/tools"));
    cmd.args(["cargo-semver-checks", "--version", TOOL_VERSION]);
    // Its release profile asks for fat LTO in one codegen unit: a quarter of an hour on two cores
    // for a few percent of speed this small corpus does not need.
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "off").env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    bounded(&mut cmd, Duration::from_secs(40 * 60))?;
    std::fs::write(&marker, TOOL_VERSION).map_err(|e| Error::Write(write::WriteError::Io(marker, e)))
}

/// What cargo-semver-checks found for one crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    major: u32,
    minor: u32,
}

impl Found {
    /// In Cargo's 0.x rules a major-level finding needs a minor bump: our `Breaking`.
    fn class(self) -> Class {
        if self.major > 0 { Class::Breaking } else { Class::NonBreaking }
    }
}

pub fn run(root: &Path) -> Result<(), Error> {
    let tool = tool_path(root);
    let started = Instant::now();
    let work = root.join("target/semver-oracle");
    let cases = cases(root)?;
    for side in ["old", "new"] {
        generate(root, &work, side, &cases)?;
        document(&work, side)?;
    }
    let built = started.elapsed();
    if !tool.exists() {
        return Err(Error::Usage(format!("{} is missing: `cargo xtask test` installs it", tool.display())));
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let dir = format!("tests/corpus/diff/{case}");
        let report = super::compare_files(root, &format!("{dir}/old.yaml"), &format!("{dir}/new.yaml"), case)?;
        let api = &report.apis[0];
        let reasons = std::fs::read_to_string(root.join(&dir).join("oracle.txt")).unwrap_or_default();
        for (i, side) in ["client", "server"].into_iter().enumerate() {
            let lib = format!("{}_{side}", case.replace('-', "_"));
            let found = semver_checks(&tool, &work, &lib)?;
            let predicted = api.crates[i].effect.unwrap_or(Class::Information);
            let reason = reasons.lines().find_map(|l| l.strip_prefix(&format!("{side}:"))).map(str::trim);
            let verdict = match (predicted == Class::Breaking, found.class() == Class::Breaking) {
                (p, f) if p == f => "agrees".to_string(),
                (true, false) if reason.is_some() => format!("stricter: {}", reason.unwrap_or_default()),
                (true, false) => {
                    failures.push(format!("{case} {side}: predicted breaking, cargo-semver-checks finds it compatible; fix the rule or give the reason in {dir}/oracle.txt"));
                    "STRICTER WITHOUT REASON".to_string()
                }
                _ => {
                    failures.push(format!(
                        "{case} {side}: predicted {}, cargo-semver-checks requires a breaking bump",
                        predicted.as_str()
                    ));
                    "WRONG".to_string()
                }
            };
            rows.push(format!(
                "| {case} | {side} | {} | {} major, {} minor | {verdict} |",
                predicted.as_str(),
                found.major,
                found.minor
            ));
        }
    }
    println!("| case | crate | predicted | cargo-semver-checks | verdict |\n|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "semver-oracle: {} cases in {:.0?} (generation and rustdoc {:.0?})",
        cases.len(),
        started.elapsed(),
        built
    );
    if failures.is_empty() { Ok(()) } else { Err(Error::Usage(failures.join("\n"))) }
}

fn cases(root: &Path) -> Result<Vec<String>, Error> {
    let dir = root.join("tests/corpus/diff");
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::Write(write::WriteError::Io(dir.clone(), e)))?;
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}

/// Writes the `side` version of every case's crates into `work/side`, a workspace of its own.
fn generate(root: &Path, work: &Path, side: &str, cases: &[String]) -> Result<(), Error> {
    let templates = write::Templates::load(&root.join("templates"))?;
    let dir = work.join(side);
    // From `work/side/<crate>/x` to `support/`.
    let layout = Layout {
        dir: PathBuf::new(),
        support: crate::Support::Path("../../../../support".into()),
        command: crate::GeneratedBy::Generate,
        versions: Default::default(),
    };
    let mut files = write::Files::new();
    let mut owned = Vec::new();
    for case in cases {
        let source = format!("tests/corpus/diff/{case}/{side}.yaml");
        let api = crate::load_api(&root.join(&source), &source, case).map_err(Error::Spec)?;
        files.append(&mut crate::render_crates(&api, &templates, &layout)?);
        owned.extend(["client", "server"].map(|s| PathBuf::from(format!("{case}-{s}"))));
    }
    let manifest = "[workspace]\nresolver = \"3\"\nmembers = [\"*-client\", \"*-server\"]\n";
    for (path, text) in [("Cargo.toml", manifest.to_string()), ("Cargo.lock", read(&root.join("Cargo.lock"))?)] {
        let path = dir.join(path);
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| Error::Write(write::WriteError::Io(path, e)))?;
    }
    write::ensure_files(&dir, &owned, &files, write::Ownership::Whole, false)?;
    Ok(())
}

/// Rustdoc JSON of every library in `work/side`, copied to `work/json/side/`.
fn document(work: &Path, side: &str) -> Result<(), Error> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = work.join("target");
    let mut cmd = Command::new(cargo);
    cmd.args(["doc", "--quiet", "--workspace", "--lib", "--no-deps"]).current_dir(work.join(side));
    // rustdoc's JSON output is unstable; cargo-semver-checks itself builds it this way on stable.
    cmd.env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json")
        .env("CARGO_TARGET_DIR", &target);
    bounded(&mut cmd, Duration::from_secs(20 * 60))?;
    let out = work.join("json").join(side);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| Error::Write(write::WriteError::Io(out.clone(), e)))?;
    let doc = target.join("doc");
    let entries = std::fs::read_dir(&doc).map_err(|e| Error::Write(write::WriteError::Io(doc.clone(), e)))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".json") {
            let to = out.join(&name);
            std::fs::copy(entry.path(), &to).map_err(|e| Error::Write(write::WriteError::Io(to, e)))?;
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

fn semver_checks(tool: &Path, work: &Path, lib: &str) -> Result<Found, Error> {
    let json = |side: &str| work.join("json").join(side).join(format!("{lib}.json"));
    let mut cmd = Command::new(tool);
    cmd.args(["semver-checks", "check-release", "--color", "never", "--baseline-rustdoc"])
        .arg(json("old"))
        .arg("--current-rustdoc")
        .arg(json("new"));
    let output = bounded(&mut cmd, Duration::from_secs(120)).or_else(|e| match e {
        // A required bump is a non-zero exit; the summary says which.
        Error::Usage(text) if text.contains("Summary") => Ok(text),
        e => Err(e),
    })?;
    parse_summary(&output)
        .ok_or_else(|| Error::Usage(format!("cargo-semver-checks on {lib}: no summary in its output:\n{output}")))
}

/// `Summary semver requires new major version: 2 major and 0 minor checks failed`, or
/// `Summary no semver update required`.
fn parse_summary(output: &str) -> Option<Found> {
    let line = output.lines().find(|l| l.trim_start().starts_with("Summary"))?;
    if line.contains("no semver update required") {
        return Some(Found { major: 0, minor: 0 });
    }
    let rest = line.split_once(": ")?.1;
    let mut words = rest.split_whitespace();
    let major = words.next()?.parse().ok()?;
    let minor = words.nth(2)?.parse().ok()?;
    Some(Found { major, minor })
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::Write(write::WriteError::Io(path.to_path_buf(), e)))
}

/// Runs `cmd` with its output captured, killing it after `limit`; the output (stdout then
/// stderr) on success, or an error that carries it.
fn bounded(cmd: &mut Command, limit: Duration) -> Result<String, Error> {
    let started = Instant::now();
    let log = std::env::temp_dir().join(format!("xtask-oracle-{}.log", std::process::id()));
    let file = std::fs::File::create(&log).map_err(|e| Error::Write(write::WriteError::Io(log.clone(), e)))?;
    let err = file.try_clone().map_err(|e| Error::Write(write::WriteError::Io(log.clone(), e)))?;
    let mut child = cmd
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| Error::Usage(format!("cannot run {cmd:?}: {e}")))?;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Usage(format!("{cmd:?} took longer than {limit:?} and was stopped")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(Error::Usage(format!("cannot wait for {cmd:?}: {e}"))),
        }
    };
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if status.success() { Ok(output) } else { Err(Error::Usage(format!("{cmd:?} failed: {status}\n{output}"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_summaries() {
        let breaking = "     Summary semver requires new major version: 2 major and 1 minor checks failed";
        assert_eq!(parse_summary(breaking), Some(Found { major: 2, minor: 1 }));
        assert_eq!(parse_summary("     Summary no semver update required"), Some(Found { major: 0, minor: 0 }));
        assert_eq!(parse_summary("Checking x"), None);
    }
}
