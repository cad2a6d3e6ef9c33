//! `cargo xtask fuzz`: a structured mutation fuzzer for the generator.
//!
//! Each case takes a real spec (ours, the test corpora, `../shared/corpus`), applies a few
//! seeded mutations to its JSON tree, and runs `generate` on it in a child process bounded in
//! time and memory. A case must end as generated crates or as located errors; a panic, a crash,
//! a hang or an unlocated error is a failure, minimised and printed as a spec to add to the
//! corpus. A sample of the generated cases is also compiled.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use xtask::Error;

const USAGE: &str = "usage: cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--timeout SECS]";

/// Memory a case may use (address space, as `prlimit --as`).
const MEMORY_LIMIT: u64 = 4 << 30;

/// Runs of the generator spent on minimising one failure.
const MINIMISE_RUNS: usize = 150;

struct Options {
    cases: u64,
    seed: u64,
    compile: usize,
    timeout: Duration,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, Error> {
        let mut options = Options { cases: 300, seed: 1, compile: 0, timeout: Duration::from_secs(20) };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().and_then(|v| v.parse::<u64>().ok());
            let Some(value) = value else {
                return Err(Error::Usage(format!("{flag}: expected a number\n{USAGE}")));
            };
            match flag.as_str() {
                "--cases" => options.cases = value,
                "--seed" => options.seed = value,
                "--compile" => options.compile = value as usize,
                "--timeout" => options.timeout = Duration::from_secs(value),
                other => return Err(Error::Usage(format!("unknown flag `{other}`\n{USAGE}"))),
            }
        }
        Ok(options)
    }
}

/// How one run of the generator ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Generated,
    Located,
    Unlocated,
    Panic,
    Crash,
    Hang,
}

impl Outcome {
    fn is_failure(self) -> bool {
        !matches!(self, Outcome::Generated | Outcome::Located)
    }
}

pub fn run(root: &Path, args: &[String]) -> Result<(), Error> {
    let options = Options::parse(args)?;
    let seeds = seed_specs(root)?;
    // Outside the checkout, so that cargo builds the sampled crates as packages of their own.
    let work = std::env::temp_dir().join(format!("mailapi-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| io_error(&work, e))?;
    let started = Instant::now();
    let mut counts = std::collections::BTreeMap::<Outcome, u64>::new();
    let mut failures = Vec::new();
    let mut generated = Vec::new();
    for case in 0..options.cases {
        let mut rng = Rng::new(options.seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (name, spec) = &seeds[rng.below(seeds.len())];
        let mut value = spec.clone();
        let steps = 1 + rng.below(4);
        let applied: Vec<String> = (0..steps).map(|_| mutate(&mut value, &mut rng)).collect();
        let dir = work.join(format!("case-{case}"));
        let outcome = run_case(&value, &dir, &crate_name(case), options.timeout)?;
        *counts.entry(outcome).or_default() += 1;
        if outcome.is_failure() {
            failures.push((case, name.clone(), applied, outcome, value));
        } else if outcome == Outcome::Generated && generated.len() < options.compile {
            generated.push((case, name.clone(), applied, value, dir.join("out")));
            // Kept for the compile sample below.
            continue;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("fuzz: {} cases, seed {}, {:.1} s", options.cases, options.seed, started.elapsed().as_secs_f64());
    for (outcome, n) in &counts {
        println!("  {outcome:?}: {n}");
    }
    let mut uncompiled = 0;
    for (case, name, applied, value, out) in &generated {
        if let Err(why) = compiles(root, out, &crate_name(*case)) {
            uncompiled += 1;
            println!(
                "\ncase {case} (from {name}, mutations: {}) generated crates that {why}; spec:",
                applied.join("; ")
            );
            println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
        }
    }
    if !generated.is_empty() {
        println!("  compiled: {} of {} sampled", generated.len() - uncompiled, generated.len());
    }
    for (case, name, applied, outcome, value) in &failures {
        let minimal = minimise(value.clone(), *outcome, &work.join(format!("min-{case}")), options.timeout)?;
        println!("\n{outcome:?} in case {case} (from {name}, mutations: {}); minimised spec:", applied.join("; "));
        println!("{}", serde_json::to_string_pretty(&minimal).unwrap_or_default());
    }
    let _ = std::fs::remove_dir_all(&work);
    let failed = failures.len() + uncompiled;
    println!("\nfuzz: {} passed, {failed} failed", options.cases as usize - failures.len());
    match failed {
        0 => Ok(()),
        n => Err(Error::Command(format!("fuzz: {n} failing case(s)"))),
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Write(xtask::write::WriteError::Io(path.to_path_buf(), e))
}

/// Every spec the fuzzer starts from, as JSON trees.
fn seed_specs(root: &Path) -> Result<Vec<(String, Value)>, Error> {
    let mut files = Vec::new();
    for dir in ["specs", "tests/corpus", "../shared/corpus"] {
        collect_specs(&root.join(dir), &mut files);
    }
    files.sort();
    let mut seeds = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if let Ok(doc) = xtask::spec::yaml::parse(&text) {
            let name = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            seeds.push((name, doc.value));
        }
    }
    if seeds.is_empty() {
        return Err(Error::Usage("fuzz: no seed specs found".into()));
    }
    Ok(seeds)
}

fn collect_specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_specs(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
            out.push(path);
        }
    }
}

/// A crate name per case: cargo keys its cache on the name and the path relative to the
/// workspace root, which is the same for every case.
fn crate_name(case: u64) -> String {
    format!("fuzz{case}")
}

/// Writes `spec` under `dir` and runs `generate` on it (as crates `name-*`) in a bounded child
/// process.
fn run_case(spec: &Value, dir: &Path, name: &str, timeout: Duration) -> Result<Outcome, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let file = dir.join("spec.json");
    let text = serde_json::to_string_pretty(spec).unwrap_or_default();
    std::fs::write(&file, text).map_err(|e| io_error(&file, e))?;
    let exe = std::env::current_exe().map_err(|e| io_error(Path::new("xtask"), e))?;
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT}"))
        .arg(exe)
        .args(["generate", "--spec"])
        .arg(&file)
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--name", name])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Io("cannot run prlimit (util-linux)".into(), e))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| io_error(dir, e))? {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Outcome::Hang);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read as _;
        let _ = pipe.read_to_string(&mut stderr);
    }
    Ok(classify(status, &stderr))
}

fn classify(status: std::process::ExitStatus, stderr: &str) -> Outcome {
    if stderr.contains("panicked") || status.code() == Some(101) {
        return Outcome::Panic;
    }
    match status.code() {
        Some(0) => Outcome::Generated,
        Some(1) if stderr.lines().all(is_located) && !stderr.trim().is_empty() => Outcome::Located,
        Some(_) => Outcome::Unlocated,
        None => Outcome::Crash,
    }
}

/// `error: FILE:LINE:COL: POINTER: message` (or a warning, or a continuation line).
fn is_located(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("error: ").or_else(|| line.strip_prefix("warning: ")) else {
        return !line.starts_with("error") && !line.starts_with("thread");
    };
    let mut parts = rest.splitn(4, ':');
    let (_file, line_no, col) = (parts.next(), parts.next(), parts.next());
    line_no.is_some_and(|n| n.trim().parse::<u32>().is_ok()) && col.is_some_and(|n| n.trim().parse::<u32>().is_ok())
}

/// Whether the client and server generated under `out` pass `cargo check` without warnings;
/// if not, what went wrong, with the compiler's lines.
fn compiles(root: &Path, out: &Path, name: &str) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for krate in [format!("{name}-client"), format!("{name}-server")] {
        let manifest = out.join(&krate).join("Cargo.toml");
        let check = Command::new(&cargo)
            .args(["check", "--quiet", "--offline", "--message-format", "short", "--manifest-path"])
            .arg(&manifest)
            // The workspace's own target: the runtime and its dependencies are built once.
            .env("CARGO_TARGET_DIR", root.join("target"))
            .output()
            .map_err(|e| format!("could not be checked: {e}"))?;
        let stderr = String::from_utf8_lossy(&check.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(": warning: ") || l.contains(": error")).collect();
        let why = match (check.status.success(), lines.is_empty()) {
            (true, true) => continue,
            (true, false) => "compile with warnings",
            (false, _) => "do not compile",
        };
        return Err(format!("{why} ({krate}):\n  {}", lines.join("\n  ")));
    }
    Ok(())
}

/// Removes members and items from `spec` while the generator still ends with `outcome`.
fn minimise(mut spec: Value, outcome: Outcome, dir: &Path, timeout: Duration) -> Result<Value, Error> {
    let mut runs = 0;
    let mut progress = true;
    while progress && runs < MINIMISE_RUNS {
        progress = false;
        for pointer in pointers(&spec).into_iter().rev() {
            if runs >= MINIMISE_RUNS {
                break;
            }
            let mut candidate = spec.clone();
            if !remove(&mut candidate, &pointer) {
                continue;
            }
            runs += 1;
            if run_case(&candidate, dir, "minimal", timeout)? == outcome {
                spec = candidate;
                progress = true;
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    Ok(spec)
}

/// JSON pointers of every node below the root, parents before children.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (xtask::spec::push_pointer(&pointer, k), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{i}"), v)).collect(),
            _ => Vec::new(),
        };
        for (child, v) in children.into_iter().rev() {
            out.push(child.clone());
            stack.push((child, v));
        }
    }
    out
}

/// Splits a pointer into its parent and its last (unescaped) token.
fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn remove(root: &mut Value, pointer: &str) -> bool {
    let Some((parent, key)) = split(pointer) else { return false };
    match root.pointer_mut(parent) {
        Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
        Some(Value::Array(items)) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Names that are valid JSON keys but hard on a generator: Unicode Rust rejects, keywords,
/// names of generated and std items, path syntax other routers use.
const HOSTILE_NAMES: [&str; 24] = [
    "a²",
    "½",
    "٣٤",
    "é",
    "",
    " ",
    "x y",
    "1abc",
    "self",
    "type",
    "Self",
    "String",
    "Result",
    "BTreeMap",
    "router",
    "status",
    "new",
    "build",
    "with_options",
    "params",
    "*rest",
    ":id",
    "{a}{b}",
    "Api",
];

const HOSTILE_NUMBERS: [i64; 5] = [-1, 0, 4_294_967_296, i64::MAX, i64::MIN];

/// Applies one mutation at a random node; returns what it did.
fn mutate(spec: &mut Value, rng: &mut Rng) -> String {
    let all = pointers(spec);
    if all.is_empty() {
        return "none".into();
    }
    let pointer = all[rng.below(all.len())].clone();
    match rng.below(8) {
        0 => {
            remove(spec, &pointer);
            format!("remove {pointer}")
        }
        1 => {
            let replacement = random_value(rng);
            let text = replacement.to_string();
            if let Some(node) = spec.pointer_mut(&pointer) {
                *node = replacement;
            }
            format!("set {pointer} = {text}")
        }
        2 => rename_key(spec, &pointer, HOSTILE_NAMES[rng.below(HOSTILE_NAMES.len())]),
        3 => {
            // A reference back to an ancestor: a cycle, or a self-reference.
            let target = ancestor(&pointer, rng);
            if let Some(node) = spec.pointer_mut(&pointer) {
                *node = serde_json::json!({ "$ref": format!("#{target}") });
            }
            format!("set {pointer} = $ref #{target}")
        }
        4 => {
            let keyword = ["minLength", "maxLength", "minimum", "maxItems", "minItems", "multipleOf"][rng.below(6)];
            let n = HOSTILE_NUMBERS[rng.below(HOSTILE_NUMBERS.len())];
            if let Some(Value::Object(map)) = spec.pointer_mut(&pointer) {
                map.insert(keyword.into(), n.into());
            }
            format!("set {pointer}/{keyword} = {n}")
        }
        5 => {
            let copy = spec.pointer(&pointer).cloned().unwrap_or(Value::Null);
            let other = all[rng.below(all.len())].clone();
            if let Some(node) = spec.pointer_mut(&other) {
                *node = copy;
            }
            format!("copy {pointer} to {other}")
        }
        6 => {
            let enumeration = [serde_json::json!([]), serde_json::json!([null]), serde_json::json!(["a", "A", "a-"])]
                [rng.below(3)]
            .clone();
            if let Some(Value::Object(map)) = spec.pointer_mut(&pointer) {
                map.insert("enum".into(), enumeration.clone());
            }
            format!("set {pointer}/enum = {enumeration}")
        }
        _ => {
            let suffix = ["/{x}", "/:id", "/{a}{b}", "/", "/{*rest}", "/ü"][rng.below(6)];
            match split(&pointer) {
                Some((_, key)) if key.starts_with('/') => rename_key(spec, &pointer, &format!("{key}{suffix}")),
                _ => format!("keep {pointer}"),
            }
        }
    }
}

fn rename_key(spec: &mut Value, pointer: &str, name: &str) -> String {
    let Some((parent, key)) = split(pointer) else { return "none".into() };
    if let Some(Value::Object(map)) = spec.pointer_mut(parent) {
        let renamed: Map<String, Value> = std::mem::take(map)
            .into_iter()
            .map(|(k, v)| if k == key { (name.to_string(), v) } else { (k, v) })
            .collect();
        *map = renamed;
    }
    format!("rename {pointer} to {name:?}")
}

/// A random ancestor of `pointer` (or itself) below the document root.
fn ancestor(pointer: &str, rng: &mut Rng) -> String {
    let depth = pointer.matches('/').count();
    let keep = 1 + rng.below(depth.max(1));
    pointer.split('/').take(keep + 1).collect::<Vec<_>>().join("/")
}

fn random_value(rng: &mut Rng) -> Value {
    match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => HOSTILE_NUMBERS[rng.below(HOSTILE_NUMBERS.len())].into(),
        3 => HOSTILE_NAMES[rng.below(HOSTILE_NAMES.len())].into(),
        4 => serde_json::json!({}),
        5 => serde_json::json!([]),
        _ => "x".repeat(rng.below(3) * 1000).into(),
    }
}

/// splitmix64: small, seeded and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
