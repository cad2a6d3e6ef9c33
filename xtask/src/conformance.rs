//! `cargo xtask test`, last step: schemathesis against each vendor's mock.
//!
//! Each mock (`<vendor>-server-mock`) is started on 127.0.0.1 with a free port and stopped by its
//! PID; schemathesis (pinned in `tests/schemathesis/requirements.txt`, installed into
//! `target/schemathesis`) runs the examples, coverage and fuzzing phases with every check and a
//! fixed seed. A failure fails the run unless `tests/schemathesis/allow.txt` lists it with a reason.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use xtask::model::SchemeKind;

use crate::{Error, install_venv, run};

/// Fixed, so that two runs send the same requests.
const SEED: &str = "20261202";
/// Test cases per operation and phase; with the coverage phase's own cases this keeps all five
/// vendors to a few minutes on two cores.
const MAX_EXAMPLES: &str = "25";
/// The most one vendor's run may take before it is stopped and counted as failed (the largest
/// spec takes under 1.5 min on a lightly loaded 2-core machine).
const VENDOR_TIMEOUT: Duration = Duration::from_secs(480);

/// What one vendor's run found.
pub struct Outcome {
    pub vendor: String,
    pub cases: u64,
    /// Unique failures: (operation, check code, response status, title).
    pub failures: Failures,
    pub unexpected: Vec<(Failure, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Failure {
    pub operation: String,
    pub code: String,
    pub status: String,
    pub title: String,
}

/// Unique failures, each with the first message seen for it.
pub type Failures = std::collections::BTreeMap<Failure, String>;

/// One allow-list line: `vendor METHOD PATH CODE STATUS reason`, `*` matching anything.
struct Allowed {
    vendor: String,
    method: String,
    path: String,
    code: String,
    status: String,
}

impl Allowed {
    fn matches(&self, vendor: &str, f: &Failure) -> bool {
        let (method, path) = f.operation.split_once(' ').unwrap_or((f.operation.as_str(), ""));
        let field = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        field(&self.vendor, vendor)
            && field(&self.method, method)
            && field(&self.path, path)
            && field(&self.code, &f.code)
            && field(&self.status, &f.status)
    }
}

fn allow_list(path: &Path) -> Result<Vec<Allowed>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io(format!("cannot read {}", path.display()), e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.splitn(6, char::is_whitespace).map(str::trim).collect();
        let [vendor, method, path_, code, status, reason] = fields[..] else {
            return Err(Error::Usage(format!(
                "{}:{}: expected `vendor METHOD PATH CODE STATUS reason`",
                path.display(),
                n + 1
            )));
        };
        if reason.trim().is_empty() {
            return Err(Error::Usage(format!("{}:{}: an allow-list entry needs its reason", path.display(), n + 1)));
        }
        out.push(Allowed {
            vendor: vendor.into(),
            method: method.into(),
            path: path_.into(),
            code: code.into(),
            status: status.into(),
        });
    }
    Ok(out)
}

/// Runs schemathesis against every vendor's mock; returns one outcome per vendor.
pub fn run_all(root: &Path, cargo: &str) -> Result<Vec<Outcome>, Error> {
    let dir = root.join("tests/schemathesis");
    let python = install_venv(root, "schemathesis", &dir.join("requirements.txt"))?;
    let st = python.with_file_name("schemathesis");
    let allowed = allow_list(&dir.join("allow.txt"))?;
    let vendors: Vec<String> = xtask::vendor_specs(root)?.into_iter().map(|(name, _)| name).collect();
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet"]).current_dir(root);
    for v in &vendors {
        build.args(["--package", &format!("{v}-server"), "--bin", &format!("{v}-server-mock")]);
    }
    run(&mut build)?;
    let mut outcomes = Vec::new();
    for vendor in vendors {
        let started = Instant::now();
        let outcome = run_vendor(root, &st, &dir, &vendor, &allowed)?;
        println!(
            "schemathesis {vendor}: {} cases, {} unique failures, {} not allowed ({:.0} s)",
            outcome.cases,
            outcome.failures.len(),
            outcome.unexpected.len(),
            started.elapsed().as_secs_f64()
        );
        for (f, message) in &outcome.unexpected {
            let message = message.lines().next().unwrap_or("");
            println!("  {vendor} {} {} {} ({}): {message}", f.operation, f.code, f.status, f.title);
        }
        outcomes.push(outcome);
    }
    // An entry nothing matched may be stale: named, so that the list stays short.
    for (n, entry) in allowed.iter().enumerate() {
        let used = outcomes.iter().any(|o| o.failures.keys().any(|f| entry.matches(&o.vendor, f)));
        if !used {
            println!(
                "schemathesis: allow-list entry {} matched no failure: {} {} {} {} {}",
                n + 1,
                entry.vendor,
                entry.method,
                entry.path,
                entry.code,
                entry.status
            );
        }
    }
    Ok(outcomes)
}

/// A child process that is killed (by its PID) when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run_vendor(root: &Path, st: &Path, dir: &Path, vendor: &str, allowed: &[Allowed]) -> Result<Outcome, Error> {
    let out = root.join("target/schemathesis-report").join(vendor);
    std::fs::create_dir_all(&out).map_err(|e| Error::Io(format!("cannot write in {}", out.display()), e))?;
    let log = std::fs::File::create(out.join("mock.log"))
        .map_err(|e| Error::Io(format!("cannot write in {}", out.display()), e))?;
    let bin = root.join("target/debug").join(format!("{vendor}-server-mock"));
    let mut mock = Guard(
        Command::new(&bin)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| Error::Io(format!("cannot start {}", bin.display()), e))?,
    );
    // The mock prints `mock serving at <base URL>` once it listens; keep the pipe open after.
    let mut lines = std::io::BufReader::new(mock.0.stdout.take().expect("piped stdout")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let Some(url) = first.strip_prefix("mock serving at ") else {
        return Err(Error::Command(format!("{vendor} mock did not start: `{first}`")));
    };
    let ndjson = out.join("events.ndjson");
    let _ = std::fs::remove_file(&ndjson);
    let stdout = std::fs::File::create(out.join("schemathesis.log"))
        .map_err(|e| Error::Io(format!("cannot write in {}", out.display()), e))?;
    let mut cmd = Command::new(st);
    cmd.arg("run")
        .arg(root.join("specs").join(format!("{vendor}.yaml")))
        .args(["--url", url, "--seed", SEED, "--max-examples", MAX_EXAMPLES, "--workers", "2"])
        .args(["--phases", "examples,coverage,fuzzing", "--checks", "all", "--continue-on-failure"])
        // No example database: every run is the seed's, not the seed's plus earlier failures.
        .args(["--generation-database", "none"])
        .args(["--request-timeout", "10", "--no-color", "--report", "ndjson", "--report-ndjson-path"])
        .arg(&ndjson)
        .args(credentials(root, vendor)?)
        .env("PYTHONPATH", dir)
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .stdout(stdout.try_clone().map_err(|e| Error::Io("cannot share the schemathesis log".into(), e))?)
        .stderr(stdout)
        // schemathesis and hypothesis keep their caches in the working directory.
        .current_dir(&out);
    let mut schemathesis = Guard(cmd.spawn().map_err(|e| Error::Io(format!("cannot run {cmd:?}"), e))?);
    let deadline = Instant::now() + VENDOR_TIMEOUT;
    let finished = loop {
        match schemathesis.0.try_wait() {
            Ok(Some(_)) => break true,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
            _ => break false,
        }
    };
    drop(schemathesis);
    drop(lines);
    drop(mock);
    let (cases, mut failures) = read_events(&ndjson)?;
    if !finished {
        let title = format!("schemathesis did not finish within {} s", VENDOR_TIMEOUT.as_secs());
        failures.insert(
            Failure { operation: "*".into(), code: "timeout".into(), status: "-".into(), title },
            String::new(),
        );
    }
    let unexpected = failures
        .iter()
        .filter(|(f, message)| never_allowed(f, message) || !allowed.iter().any(|a| a.matches(vendor, f)))
        .map(|(f, m)| (f.clone(), m.clone()))
        .collect();
    Ok(Outcome { vendor: vendor.into(), cases, failures, unexpected })
}

/// A validation failure answered 415 or 422 by an operation that documents 400 for bad input
/// (and not that status): the generated server must answer 400, whatever the allow-list says.
fn never_allowed(f: &Failure, message: &str) -> bool {
    let documented = message.lines().find_map(|l| l.strip_prefix("Documented: ")).unwrap_or("");
    f.code == "ST103" && matches!(f.status.as_str(), "415" | "422") && documented.split(", ").any(|s| s == "400")
}

/// Credentials for the first scheme of the spec's default security (the mock accepts any
/// well-formed ones): Basic `admin:secret`, a bearer token, or an API key in its header.
fn credentials(root: &Path, vendor: &str) -> Result<Vec<String>, Error> {
    let source = format!("specs/{vendor}.yaml");
    let api = xtask::load_api(&root.join(&source), &source, vendor).map_err(Error::Spec)?;
    let first = api.default_security.iter().flatten().next();
    let scheme = first.and_then(|name| api.security_schemes.iter().find(|s| &s.name == name));
    Ok(match scheme.map(|s| &s.kind) {
        Some(SchemeKind::Basic) => vec!["--auth".into(), "admin:secret".into()],
        Some(SchemeKind::Bearer) => vec!["--header".into(), "Authorization:Bearer token".into()],
        Some(SchemeKind::ApiKeyHeader(name)) => vec!["--header".into(), format!("{name}:token")],
        Some(SchemeKind::ApiKeyQuery(_)) | None => Vec::new(),
    })
}

/// The number of test cases and the unique failures (and non-fatal errors) in a run's events,
/// each with the first message seen for it.
fn read_events(path: &PathBuf) -> Result<(u64, Failures), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io(format!("cannot read {}", path.display()), e))?;
    let mut cases = 0;
    let mut failures = Failures::new();
    for line in text.lines() {
        let Ok(event) = serde_json::from_str::<Value>(line) else { continue };
        if let Some(error) = event.get("NonFatalError") {
            let failure = Failure {
                operation: error["label"].as_str().unwrap_or("*").into(),
                code: format!("error:{}", error["value"]["type"].as_str().unwrap_or("")),
                status: "-".into(),
                title: "schemathesis error".into(),
            };
            failures.entry(failure).or_insert_with(|| error["value"]["message"].as_str().unwrap_or("").into());
        }
        let Some(recorder) = event.get("ScenarioFinished").map(|s| &s["recorder"]) else { continue };
        cases += recorder["cases"].as_object().map_or(0, |c| c.len() as u64);
        let Some(checks) = recorder["checks"].as_object() else { continue };
        for (case, results) in checks {
            let response = &recorder["interactions"][case]["response"];
            let status = response["status_code"].as_u64().map_or("-".into(), |s| s.to_string());
            for failure in
                results.as_array().into_iter().flatten().filter_map(|r| r["failure_info"]["failure"].as_object())
            {
                let text = |k: &str| failure.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let key = Failure {
                    operation: text("operation"),
                    code: text("code"),
                    status: status.clone(),
                    title: text("title"),
                };
                failures.entry(key).or_insert_with(|| text("message"));
            }
        }
    }
    Ok((cases, failures))
}
