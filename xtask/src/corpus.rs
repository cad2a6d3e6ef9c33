//! The corpus of real public specs (`../shared/corpus/`, see its README): each goes through
//! `generate`; `cargo xtask corpus` also `cargo check`s every output and prints a table.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::spec::Diagnostics;
use crate::write::{self, Files, Templates};
use crate::{Error, GeneratedBy, Layout, load_api, render_crates};

/// Where the corpus lives, relative to the project root.
pub const CORPUS_DIR: &str = "../shared/corpus";

/// One spec of the corpus.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The crate stem, unique over the corpus (`oai-petstore-expanded`, `progenitor-param-overrides-yaml`).
    pub name: String,
    /// The path relative to the project root, as diagnostics and headers name it.
    pub source: String,
    /// `swagger-2.0`, `openapi-3.0` or `openapi-3.1`: the folder it is in.
    pub family: String,
}

impl Entry {
    /// Swagger 2.0 is refused, everything else must generate.
    pub fn must_generate(&self) -> bool {
        !self.family.starts_with("swagger")
    }
}

/// What generating one spec gave.
pub struct Outcome {
    pub entry: Entry,
    pub result: Result<Generated, Diagnostics>,
    pub time: Duration,
}

pub struct Generated {
    pub operations: usize,
    pub warnings: usize,
    pub files: Files,
}

/// Every spec under `../shared/corpus/`, sorted by path; empty when the folder is missing.
pub fn entries(root: &Path) -> Result<Vec<Entry>, Error> {
    let dir = root.join(CORPUS_DIR);
    let mut out: Vec<Entry> = Vec::new();
    let Ok(families) = std::fs::read_dir(&dir) else { return Ok(out) };
    let mut families: Vec<PathBuf> = families.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    families.sort();
    for family_dir in families {
        let family = family_dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let files =
            std::fs::read_dir(&family_dir).map_err(|e| Error::Write(write::WriteError::Io(family_dir.clone(), e)))?;
        let mut files: Vec<String> =
            files.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        files.sort();
        for file in files {
            let Some((stem, ext)) = file.rsplit_once('.') else { continue };
            if !["yaml", "yml", "json"].contains(&ext) {
                continue;
            }
            // The same spec in two formats differs by extension, the same name in two folders by folder.
            let mut name = crate_stem(stem);
            if out.iter().any(|e| e.name == name && e.family == family) {
                name = format!("{name}-{ext}");
            }
            if out.iter().any(|e| e.name == name) {
                name = format!("{name}-{}", crate_stem(&family));
            }
            out.push(Entry { name, source: format!("{CORPUS_DIR}/{family}/{file}"), family: family.clone() });
        }
    }
    Ok(out)
}

/// `api.github.com` -> `api-github-com`: a valid crate name.
pub fn crate_stem(stem: &str) -> String {
    let words: Vec<&str> = stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.join("-").to_ascii_lowercase()
}

/// Runs the whole pipeline (load, model, emit, format) on one spec, writing nothing.
pub fn generate(root: &Path, entry: &Entry, templates: &Templates, layout: &Layout) -> Result<Outcome, Error> {
    let start = Instant::now();
    let result = match load_api(&root.join(&entry.source), &entry.source, &entry.name) {
        Ok(api) => {
            let files = render_crates(&api, templates, layout)?;
            Ok(Generated { operations: api.operations.len(), warnings: api.warnings.len(), files })
        }
        Err(d) => Err(d),
    };
    Ok(Outcome { entry: entry.clone(), result, time: start.elapsed() })
}

/// `cargo xtask corpus [--only NAME,NAME] [--no-check]`: generates every spec into
/// `target/corpus/` (a workspace of its own), `cargo check`s each output, prints a table.
pub fn run(root: &Path, args: &[String]) -> Result<(), Error> {
    let only: Option<Vec<String>> = flag(args, "--only").map(|list| list.split(',').map(str::to_string).collect());
    let check = !args.iter().any(|a| a == "--no-check");
    let dir = root.join("target/corpus");
    let templates = Templates::load(&root.join("templates"))?;
    let layout = Layout {
        dir: PathBuf::new(),
        support: crate::Support::Path("../../../support".into()),
        command: GeneratedBy::Generate,
        versions: Default::default(),
    };
    let entries = entries(root)?;
    if entries.is_empty() {
        return Err(Error::Usage(format!("no specs in {CORPUS_DIR} (relative to {})", root.display())));
    }
    for name in only.iter().flatten() {
        if !entries.iter().any(|e| &e.name == name) {
            let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
            return Err(Error::Usage(format!("corpus: no spec named `{name}`; one of: {}", names.join(", "))));
        }
    }
    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut failures = 0;
    for entry in entries.iter().filter(|e| only.as_ref().is_none_or(|o| o.contains(&e.name))) {
        let outcome = generate(root, entry, &templates, &layout)?;
        let ok = outcome.result.is_ok() == entry.must_generate();
        failures += usize::from(!ok);
        if let Ok(generated) = &outcome.result {
            let owned: Vec<PathBuf> =
                ["client", "server"].iter().map(|s| PathBuf::from(format!("{}-{s}", entry.name))).collect();
            write::ensure_files(&dir, &owned, &generated.files, write::Ownership::Whole, false)?;
            members.extend(owned);
        }
        rows.push((outcome, None::<Check>));
    }
    std::fs::write(dir.join("Cargo.toml"), workspace_manifest(&members)).map_err(|e| io(&dir, e))?;
    // The project's lock file: the generated crates build with the versions the project tests.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    if check {
        for (outcome, slot) in rows.iter_mut() {
            if outcome.result.is_ok() {
                eprintln!("cargo check {}-client {}-server ...", outcome.entry.name, outcome.entry.name);
                let c = cargo_check(&dir, &outcome.entry.name)?;
                failures += usize::from(!c.compiles || c.warnings > 0);
                *slot = Some(c);
            }
        }
    }
    print_table(&rows);
    if failures > 0 {
        return Err(Error::Usage(format!(
            "corpus: {failures} spec(s) did not generate, or did not compile without warnings, as expected"
        )));
    }
    Ok(())
}

struct Check {
    compiles: bool,
    warnings: usize,
    time: Duration,
}

/// The longest one `cargo check` of a client and server may take (dependencies included the
/// first time).
const CHECK_LIMIT: Duration = Duration::from_secs(900);

fn cargo_check(dir: &Path, name: &str) -> Result<Check, Error> {
    let start = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let client = format!("{name}-client");
    let server = format!("{name}-server");
    let mut child = Command::new(cargo)
        .args(["check", "--all-targets", "--message-format", "short", "-p", &client, "-p", &server])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Usage(format!("cannot run cargo check: {e}")))?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut s) = stderr {
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
        }
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| Error::Usage(format!("cargo check: {e}")))? {
            break Some(status);
        }
        if start.elapsed() > CHECK_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = reader.join().unwrap_or_default();
    // `file:line:col: warning: ...` lines; cargo's own summary lines do not have this form.
    let warnings = text.lines().filter(|l| l.contains(": warning: ")).count();
    let compiles = status.is_some_and(|s| s.success());
    if !compiles || warnings > 0 {
        let shown: Vec<&str> = text.lines().filter(|l| l.contains("error") || l.contains("warning")).take(20).collect();
        eprintln!("{}", shown.join("\n"));
    }
    Ok(Check { compiles, warnings, time: start.elapsed() })
}

fn print_table(rows: &[(Outcome, Option<Check>)]) {
    let header = ["spec", "operations", "generated", "compiles", "warnings", "generation", "check"];
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for (outcome, check) in rows {
        let (ops, generated, warnings) = match &outcome.result {
            Ok(g) => (g.operations.to_string(), "yes".to_string(), g.warnings.to_string()),
            Err(d) => {
                let errors = d.0.iter().filter(|d| d.severity == crate::spec::Severity::Error).count();
                let expected = if outcome.entry.must_generate() { "NO" } else { "refused (expected)" };
                ("-".into(), format!("{expected}: {errors} error(s)"), "-".into())
            }
        };
        let (compiles, check_time, warnings) = match check {
            Some(c) => (
                (if c.compiles { "yes" } else { "NO" }).to_string(),
                format!("{:.1} s", c.time.as_secs_f64()),
                format!("{warnings} spec, {} rustc", c.warnings),
            ),
            None if warnings == "-" => ("-".into(), "-".into(), warnings.clone()),
            None => ("-".into(), "-".into(), format!("{warnings} spec")),
        };
        let source =
            outcome.entry.source.strip_prefix(&format!("{CORPUS_DIR}/")).unwrap_or(&outcome.entry.source).to_string();
        table.push(vec![
            source,
            ops,
            generated,
            compiles,
            warnings,
            format!("{:.0} ms", outcome.time.as_secs_f64() * 1000.0),
            check_time,
        ]);
    }
    let widths: Vec<usize> =
        (0..header.len()).map(|i| table.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    for (n, row) in table.iter().enumerate() {
        let cells: Vec<String> = row.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
        println!("| {} |", cells.join(" | "));
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", rule.join("-|-"));
        }
    }
}

fn workspace_manifest(members: &[PathBuf]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("\"{}\"", m.display())).collect();
    format!(
        "# written by `cargo xtask corpus`\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    )
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Write(write::WriteError::Io(path.to_path_buf(), e))
}
