//! `cargo xtask`: regenerate, generate, mock, test, bench, diff.

mod bench;
mod conformance;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use xtask::{Error, GeneratedBy, Layout, Support, load_api, project_root, regenerate, render_crates, write};

/// Each command's usage, as `cargo xtask --help` prints them; `cargo xtask COMMAND --help` prints one.
const COMMANDS: [(&str, &str); 10] = [
    ("regenerate", "  cargo xtask regenerate [--check]     regenerate generated/ from specs/ (--check: write nothing, fail if stale)"),
    (
        "generate",
        "  cargo xtask generate --spec PATH --out DIR [--name NAME] [--support PATH|GIT-URL[#REV]] [--deny-warnings]
                                       generate <NAME>-client and <NAME>-server for any OpenAPI 3.0 or 3.1 file
                                       (NAME defaults to the spec's file stem; warnings are printed,
                                       --deny-warnings makes them fail the run). The crates depend on the
                                       runtime, mailapi-support, by --support: a relative PATH (from the
                                       current directory) is written relative to each crate, so crates and
                                       checkout can move together (a submodule); an absolute PATH stays
                                       absolute, so the crates can move alone; a git URL (https://,
                                       ssh://, git@...; #REV pins a revision) becomes a git dependency.
                                       Default: this checkout's support/, as an absolute path.",
    ),
    ("mock", "  cargo xtask mock VENDOR [--port N]   serve VENDOR's documented examples on 127.0.0.1 (default port 8080)"),
    (
        "test",
        "  cargo xtask test [ARGS]              install the spec validator and schemathesis (PyPI) and cargo-semver-checks
                                       (crates.io) into target/, run `cargo test --workspace ARGS`, schemathesis
                                       against each vendor's mock, then clippy and rustdoc over the workspace with
                                       warnings denied, then the semver oracle, then cargo check of a few real specs'
                                       outputs (see `corpus`), then 500 fuzz cases (see `fuzz`)",
    ),
    ("schemathesis", "  cargo xtask schemathesis             only the schemathesis step"),
    (
        "semver-oracle",
        "  cargo xtask semver-oracle            check the crate bumps `diff` predicts for tests/corpus/diff/ against cargo-semver-checks",
    ),
    (
        "fuzz",
        "  cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--timeout SECS]
                                       mutate real specs and run the generator on each, bounded in time and
                                       memory: every case must generate or fail with located errors",
    ),
    (
        "corpus",
        "  cargo xtask corpus [--only NAME,..] [--no-check]
                                       generate every spec of ../shared/corpus into target/corpus, cargo check each
                                       client and server, print a table (spec, operations, generated, compiles, ...)",
    ),
    (
        "bench",
        "  cargo xtask bench [regen] [client] [server]
                                       regeneration speed, client size and check time against progenitor, server
                                       throughput against hand-written axum; writes only under target/bench",
    ),
    (
        "diff",
        "  cargo xtask diff [BASE] [--format markdown|json] [--fail-on breaking|any] [--bump] [--check-versions]
  cargo xtask diff --old FILE --new FILE [--format markdown|json] [--fail-on breaking|any]
                                       what changed in each API since git revision BASE (default HEAD), whom
                                       it breaks, and the version bump each generated crate needs",
    ),
];

/// The usage of every command.
fn usage() -> String {
    let lines: Vec<&str> = COMMANDS.iter().map(|(_, text)| *text).collect();
    format!("usage:\n{}\n  cargo xtask COMMAND --help           the usage of one command", lines.join("\n"))
}

/// The usage of one command.
fn usage_of(command: &str) -> String {
    match COMMANDS.iter().find(|(name, _)| *name == command) {
        Some((_, text)) => format!("usage:\n{text}"),
        None => usage(),
    }
}

/// The command line's flags against what `command` accepts: `with_value` flags take the next
/// argument, `switches` none, and at most `positional` other arguments.
fn check_flags(
    command: &str,
    args: &[String],
    with_value: &[&str],
    switches: &[&str],
    positional: usize,
) -> Result<(), Error> {
    let mut args = args.iter();
    let mut seen = 0;
    while let Some(arg) = args.next() {
        if with_value.contains(&arg.as_str()) {
            if args.next().is_none() {
                return Err(Error::Usage(format!("`{arg}` needs a value\n{}", usage_of(command))));
            }
        } else if arg.starts_with('-') && !switches.contains(&arg.as_str()) {
            return Err(Error::Usage(format!(
                "unknown flag `{arg}` for `cargo xtask {command}`\n{}",
                usage_of(command)
            )));
        } else if !arg.starts_with('-') {
            seen += 1;
            if seen > positional {
                return Err(Error::Usage(format!("unexpected argument `{arg}`\n{}", usage_of(command))));
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result<(), Error> {
    let root = project_root();
    let command = args.first().map(String::as_str).unwrap_or_default();
    let rest = args.get(1..).unwrap_or_default();
    if matches!(command, "--help" | "-h" | "help") {
        println!("{}", usage());
        return Ok(());
    }
    // `test` passes its arguments to `cargo test`, and `mock` its own to the mock.
    if rest.iter().any(|a| a == "--help" || a == "-h") && command != "test" {
        println!("{}", usage_of(command));
        return Ok(());
    }
    match command {
        "regenerate" => {
            check_flags(command, rest, &[], &["--check"], 0)?;
            let check = rest.iter().any(|a| a == "--check");
            let report = regenerate(&root, check)?;
            if !check {
                let n = report.changed.len() + report.missing.len() + report.extra.len();
                println!("regenerated: {n} file(s) changed");
            }
            Ok(())
        }
        "generate" => {
            check_flags(command, rest, &["--spec", "--out", "--name", "--support"], &["--deny-warnings"], 0)?;
            generate(&root, rest)
        }
        "test" => test(&root, rest),
        "schemathesis" => {
            check_flags(command, rest, &[], &[], 0)?;
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            schemathesis(&root, &cargo, &mut Tally::default())
        }
        "mock" => {
            check_flags(command, rest, &["--port"], &[], 1)?;
            mock(&root, rest)
        }
        "bench" => {
            check_flags(command, rest, &[], &[], 3)?;
            bench::run(&root, rest)
        }
        "fuzz" => {
            check_flags(command, rest, &["--cases", "--seed", "--compile", "--timeout"], &[], 0)?;
            fuzz::run(&root, rest)
        }
        "diff" => {
            let with_value = ["--format", "--fail-on", "--old", "--new"];
            check_flags(command, rest, &with_value, &["--bump", "--check-versions"], 1)?;
            xtask::diff::cli::run(&root, rest)
        }
        "semver-oracle" => {
            check_flags(command, rest, &[], &[], 0)?;
            xtask::diff::oracle::run(&root)
        }
        "corpus" => {
            check_flags(command, rest, &["--only"], &["--no-check"], 0)?;
            xtask::corpus::run(&root, rest)
        }
        "" => Err(Error::Usage(usage())),
        other => Err(Error::Usage(format!("unknown command `{other}`\n{}", usage()))),
    }
}

/// Runs every test with the Python validator the spec tests need, installed into a venv under
/// `target/` so a fresh clone needs nothing but cargo and python3; cargo-semver-checks for the
/// semver oracle goes to `target/tools` the same way. After `cargo test`: schemathesis against each
/// vendor's mock (`conformance`), clippy and rustdoc, the semver oracle.
fn test(root: &Path, args: &[String]) -> Result<(), Error> {
    let python = install_venv(root, "spec-validator", &root.join("tests/requirements.txt"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    xtask::diff::oracle::install(root, &cargo)?;
    let mut cmd = Command::new(&cargo);
    cmd.args(["test", "--workspace"]).args(args).env("SPEC_VALIDATOR_PYTHON", &python).current_dir(root);
    let (mut tally, tested) = run_tests(&mut cmd)?;
    let checked = tested.and_then(|()| schemathesis(root, &cargo, &mut tally));
    let linted = checked
        .and_then(|()| lint(root, &cargo))
        .and_then(|()| xtask::diff::oracle::run(root))
        .and_then(|()| corpus_sample(root))
        .and_then(|()| fuzz::run(root, &FUZZ_IN_TEST.map(String::from)));
    // Last, alone on its line: the totals over every test binary of the workspace.
    println!("\ncargo xtask test: {} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.ignored);
    linted
}

/// schemathesis against the five mocks: one test per vendor, failed by any failure the
/// allow-list does not name.
fn schemathesis(root: &Path, cargo: &str, tally: &mut Tally) -> Result<(), Error> {
    println!("cargo xtask test: schemathesis against each vendor's mock (report in target/schemathesis-report/)");
    let outcomes = conformance::run_all(root, cargo)?;
    let failed: Vec<&str> = outcomes.iter().filter(|o| !o.unexpected.is_empty()).map(|o| o.vendor.as_str()).collect();
    let passed = (outcomes.len() - failed.len()) as u64;
    println!("schemathesis: {passed} passed, {} failed", failed.len());
    tally.passed += passed;
    tally.failed += failed.len() as u64;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::Command(format!(
            "schemathesis found failures not in tests/schemathesis/allow.txt: {}",
            failed.join(", ")
        )))
    }
}

/// A venv `target/<name>` with `requirements` installed, reinstalled when they change; returns
/// its python.
pub(crate) fn install_venv(root: &Path, name: &str, requirements: &Path) -> Result<PathBuf, Error> {
    let venv = root.join("target").join(name);
    let python = venv.join("bin/python");
    let marker = venv.join("installed.txt");
    let wanted = std::fs::read_to_string(requirements).unwrap_or_default();
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(requirements))?;
        std::fs::write(&marker, wanted).map_err(|e| Error::Io(format!("cannot write {}", marker.display()), e))?;
    }
    Ok(python)
}

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// Runs `cargo test`, passing its output through, and adds up its `test result:` lines.
fn run_tests(cmd: &mut Command) -> Result<(Tally, Result<(), Error>), Error> {
    use std::io::BufRead as _;

    let mut child =
        cmd.stdout(std::process::Stdio::piped()).spawn().map_err(|e| Error::Io(format!("cannot run {cmd:?}"), e))?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                for part in rest.split(';') {
                    let mut words = part.split_whitespace().rev();
                    let (Some(what), Some(n)) = (words.next(), words.next().and_then(|n| n.parse::<u64>().ok())) else {
                        continue;
                    };
                    match what {
                        "passed" => tally.passed += n,
                        "failed" => tally.failed += n,
                        "ignored" => tally.ignored += n,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child.wait().map_err(|e| Error::Io(format!("cannot wait for {cmd:?}"), e))?;
    Ok((tally, succeeded(cmd, status)))
}

/// Generated and hand-written code alike must have no clippy or rustdoc warnings.
/// The fuzz run of `cargo xtask test`: a fixed seed, so a failure is the generator's, and two
/// generated cases compiled (under a minute here; `cargo xtask fuzz --cases 3000` for a long run).
const FUZZ_IN_TEST: [&str; 6] = ["--cases", "500", "--seed", "1", "--compile", "2"];

/// The hand-written packages, which rustfmt formats (generated crates are prettyplease's).
const HAND_WRITTEN: [&str; 4] = ["xtask", "mailapi-support", "spec-tests", "server-throughput"];

fn lint(root: &Path, cargo: &str) -> Result<(), Error> {
    println!("cargo xtask test: rustfmt, then clippy and rustdoc, warnings denied");
    let packages = HAND_WRITTEN.iter().flat_map(|p| ["-p", p]);
    run(Command::new(cargo).arg("fmt").args(packages).arg("--check").current_dir(root))?;
    run(Command::new(cargo)
        .args(["clippy", "--quiet", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .current_dir(root))?;
    run(Command::new(cargo)
        .args(["doc", "--quiet", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(root))?;
    let broken = xtask::doclinks::broken_links(&root.join("target/doc"), &documented_crates(root)?);
    if !broken.is_empty() {
        return Err(Error::Command(format!("rustdoc pages link to pages that do not exist:\n{}", broken.join("\n"))));
    }
    println!("cargo xtask test: clippy and rustdoc clean");
    Ok(())
}

/// The rustdoc directories of the support crate and of every generated crate.
fn documented_crates(root: &Path) -> Result<Vec<String>, Error> {
    let mut crates = vec!["mailapi_support".to_string()];
    for (_, out) in xtask::GENERATED_DIRS {
        let dir = root.join(out);
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::Io(format!("cannot list {}", dir.display()), e))?;
        let names = entries.flatten().filter(|e| e.path().join("Cargo.toml").exists());
        crates.extend(names.map(|e| e.file_name().to_string_lossy().replace('-', "_")));
    }
    crates.sort();
    Ok(crates)
}

/// A few small real specs, one per reading the others lack (3.1, lenient 3.0 with warnings,
/// dropshot, form bodies and several media types on one body), compiled without warnings:
/// `cargo test` only generates the corpus, and compiling all of it (`cargo xtask corpus`) takes
/// longer than CI has.
const CORPUS_SAMPLE: &str = "realworld-747190e,twilio-lookups-v2,progenitor-keeper,oai-link-example,swagger-petstore3";

fn corpus_sample(root: &Path) -> Result<(), Error> {
    println!("cargo xtask test: cargo check of a sample of the real-spec corpus ({CORPUS_SAMPLE})");
    xtask::corpus::run(root, &["--only".to_string(), CORPUS_SAMPLE.to_string()])
}

/// Builds and runs the vendor's mock server binary (`<vendor>-server-mock`).
fn mock(root: &Path, args: &[String]) -> Result<(), Error> {
    let Some(vendor) = args.first().filter(|a| !a.starts_with('-')) else {
        return Err(Error::Usage(usage_of("mock")));
    };
    let known = xtask::vendor_specs(root)?;
    if !known.iter().any(|(name, _)| name == vendor) {
        let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
        return Err(Error::Usage(format!(
            "unknown vendor `{vendor}`; one of: {} (the mock of a crate written by `generate` runs from its \
             server crate's directory: `cargo run --bin {vendor}-server-mock`)",
            names.join(", ")
        )));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let package = format!("{vendor}-server");
    let bin = format!("{vendor}-server-mock");
    run(Command::new(cargo)
        .args(["run", "--quiet", "--package", &package, "--bin", &bin, "--"])
        .args(&args[1..])
        .current_dir(root))
}

pub(crate) fn run(cmd: &mut Command) -> Result<(), Error> {
    let status = cmd.status().map_err(|e| Error::Io(format!("cannot run {cmd:?}"), e))?;
    succeeded(cmd, status)
}

fn succeeded(cmd: &Command, status: std::process::ExitStatus) -> Result<(), Error> {
    if status.success() { Ok(()) } else { Err(Error::Command(format!("{cmd:?} failed: {status}"))) }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn generate(root: &Path, args: &[String]) -> Result<(), Error> {
    let (Some(spec), Some(out)) = (flag(args, "--spec"), flag(args, "--out")) else {
        return Err(Error::Usage(format!("`--spec` and `--out` are required\n{}", usage_of("generate"))));
    };
    let spec_path = Path::new(spec);
    let stem = spec_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // `api.github.com.json` -> `api-github-com`: the file name may not be a crate name.
    let name = flag(args, "--name").map(str::to_string).unwrap_or_else(|| xtask::corpus::crate_stem(&stem));
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(Error::Usage(format!(
            "`{name}` is not a crate name (a letter, then letters, digits, `-` or `_`): give one with --name"
        )));
    }
    let out = std::path::absolute(out).map_err(|e| Error::Io(format!("cannot resolve {out}"), e))?;
    // `..` read by its text, as the support path written relative to `out` will be.
    let out = lexical(&out);
    // Before the spec: a wrong --support is a usage error, whatever the spec.
    let support = support(root, &out, flag(args, "--support"))?;
    let api = load_api(spec_path, spec, &name).map_err(Error::Spec)?;
    if !api.warnings.is_empty() {
        let warnings = xtask::spec::Diagnostics(api.warnings.clone());
        if args.iter().any(|a| a == "--deny-warnings") {
            return Err(Error::Spec(warnings));
        }
        eprintln!("{warnings}");
    }
    let layout = Layout { dir: PathBuf::new(), support, command: GeneratedBy::Generate, versions: Default::default() };
    let templates = write::Templates::load(&root.join("templates"))?;
    let files = render_crates(&api, &templates, &layout)?;
    let owned: Vec<PathBuf> = ["client", "server"].iter().map(|s| PathBuf::from(format!("{name}-{s}"))).collect();
    write::ensure_files(&out, &owned, &files, write::Ownership::Marked, false)?;
    println!("generated {name}-client and {name}-server in {}", out.display());
    Ok(())
}

/// How crates written into `out` reach mailapi-support (`--support`, see the usage): a git URL as
/// a git dependency; a relative path relative to each crate; an absolute path, or by default this
/// checkout's `support/`, absolute.
fn support(root: &Path, out: &Path, arg: Option<&str>) -> Result<Support, Error> {
    let Some(arg) = arg else {
        return Ok(Support::Path(root.join("support").to_string_lossy().into_owned()));
    };
    let is_git = ["https://", "http://", "ssh://", "git://", "git@", "file://"].iter().any(|p| arg.starts_with(p));
    if is_git {
        let (url, rev) = match arg.split_once('#') {
            Some((url, rev)) => (url, Some(rev.to_string())),
            None => (arg, None),
        };
        return Ok(Support::Git { url: url.to_string(), rev });
    }
    let path = Path::new(arg);
    let manifest = path.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    if !text.lines().any(|l| l.replace(' ', "") == "name=\"mailapi-support\"") {
        return Err(Error::Usage(format!(
            "--support {arg}: {} is not the manifest of mailapi-support (give the directory of its Cargo.toml, or a git URL)",
            manifest.display()
        )));
    }
    if path.is_absolute() {
        return Ok(Support::Path(arg.to_string()));
    }
    let absolute = std::path::absolute(path).map_err(|e| Error::Io(format!("cannot resolve {arg}"), e))?;
    // Each crate is a directory of `out`.
    Ok(Support::Path(relative(&out.join("crate"), &lexical(&absolute))))
}

/// `path` without `.` and `..` components, resolved by their text (as cargo reads a path
/// dependency), not through symbolic links.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A path from directory `from` to `to`, both absolute and without `..`.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}
