//! `cargo xtask bench`: the figures behind the project's speed and size claims, each reported as a
//! ratio against a baseline measured in the same run. It writes only under `target/bench/`.
//!
//! 1. `regen`: the whole regeneration pipeline in-process (`workspace_files`: load, model, emit,
//!    format, for every spec) against the YAML parse alone (`spec::load`), alternated per iteration.
//! 2. `client`: lines of generated code per operation, and `cargo check` time with dependencies
//!    prebuilt, of our client crates against progenitor 0.15.1 on the operations it accepts. The
//!    progenitor side is a throwaway cargo project in `target/bench/progenitor` (its own
//!    workspace, lockfile and target dir) running `benches/progenitor/gen.rs`; ours is our
//!    standalone crate layout (as `cargo xtask generate` writes it) in `target/bench/ours`, with
//!    the repository's lockfile.
//! 3. `server`: requests per second of a generated route against a hand-written axum handler
//!    doing the same work (`benches/server-throughput`, built in release into
//!    `target/bench/server`), on loopback.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use xtask::{Error, GeneratedBy, Layout, load_api, render_crates, spec, vendor_specs, workspace_files, write};

const USAGE: &str =
    "usage: cargo xtask bench [regen] [client] [server] [--iterations N] [--check-rounds N] [--server-rounds N]
  with no section names, runs all three";

/// The progenitor release compared against, pinned exactly.
const PROGENITOR: &str = "0.15.1";

const GEN_SOURCE: &str = include_str!("../../benches/progenitor/gen.rs");

struct Options {
    regen: bool,
    client: bool,
    server: bool,
    iterations: usize,
    check_rounds: usize,
    server_rounds: usize,
}

fn parse(args: &[String]) -> Result<Options, Error> {
    let usage = || Error::Usage(USAGE.into());
    let mut o =
        Options { regen: false, client: false, server: false, iterations: 20, check_rounds: 5, server_rounds: 20 };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = || it.next().and_then(|v| v.parse::<usize>().ok()).filter(|n| *n > 0).ok_or_else(usage);
        match arg.as_str() {
            "regen" => o.regen = true,
            "client" => o.client = true,
            "server" => o.server = true,
            "--iterations" => o.iterations = number()?,
            "--check-rounds" => o.check_rounds = number()?,
            "--server-rounds" => o.server_rounds = number()?,
            _ => return Err(usage()),
        }
    }
    if !(o.regen || o.client || o.server) {
        (o.regen, o.client, o.server) = (true, true, true);
    }
    Ok(o)
}

/// `cargo xtask bench [SECTION...] [--iterations N] [--check-rounds N] [--server-rounds N]`.
pub fn run(root: &Path, args: &[String]) -> Result<(), Error> {
    let o = parse(args)?;
    let started = Instant::now();
    let rustc = output(Command::new("rustc").arg("--version")).unwrap_or_default();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("cargo xtask bench: {cores} core(s), {}", rustc.trim());
    if o.regen {
        regen(root, o.iterations)?;
    }
    if o.client {
        client(root, o.check_rounds)?;
    }
    if o.server {
        server(root, o.server_rounds)?;
    }
    println!("\nbench finished in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn progress(message: &str) {
    eprintln!("bench: {message}");
}

// ---------------------------------------------------------------- 1. regeneration

fn regen(root: &Path, iterations: usize) -> Result<(), Error> {
    let specs = vendor_specs(root)?;
    progress(&format!("[regen] {iterations} iterations over {} specs", specs.len()));
    let parse_all = || -> Result<usize, Error> {
        let mut paths = 0;
        for (_, source) in &specs {
            let spec = spec::load(&root.join(source), source).map_err(Error::Spec)?;
            paths += spec.openapi.paths.paths.len();
        }
        Ok(paths)
    };
    // Warm the file cache and the allocator once.
    parse_all()?;
    let files = workspace_files(root)?.len();
    let (mut parse, mut full) = (Vec::new(), Vec::new());
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(parse_all()?);
        parse.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(workspace_files(root)?);
        full.push(t.elapsed());
    }
    let profile = if cfg!(debug_assertions) { "dev profile, as `cargo xtask` builds it" } else { "release profile" };
    println!(
        "\n1. Regeneration, in-process, all {} specs ({files} files), {iterations} iterations; xtask built with the {profile}",
        specs.len()
    );
    let mut t = Table::new(&["measure", "median", "min"]);
    t.row(vec!["YAML parse only (spec::load), baseline".into(), ms(median_d(&parse)), ms(min_d(&parse))]);
    t.row(vec!["full pipeline (workspace_files)".into(), ms(median_d(&full)), ms(min_d(&full))]);
    t.row(vec![
        "ratio pipeline / parse".into(),
        ratio(secs(median_d(&full)) / secs(median_d(&parse))),
        ratio(secs(min_d(&full)) / secs(min_d(&parse))),
    ]);
    t.print();
    Ok(())
}

// ---------------------------------------------------------------- 2. client size and check time

struct Vendor {
    name: String,
    /// Operations in our spec.
    operations: usize,
    /// Operations progenitor accepts.
    accepted: usize,
    /// (operation, reason) progenitor does not accept.
    rejected: Vec<(String, String)>,
    ours_lines: usize,
    subset_lines: usize,
    progenitor_lines: usize,
}

fn client(root: &Path, rounds: usize) -> Result<(), Error> {
    let bench = root.join("target/bench");
    let pdir = bench.join("progenitor");
    let odir = bench.join("ours");
    let vendors = vendor_specs(root)?;
    let names: Vec<String> = vendors.iter().map(|(n, _)| n.clone()).collect();

    // The progenitor project: a generator binary first, the client crates once it has run.
    progress(&format!("[client] progenitor {PROGENITOR} project in {}", pdir.display()));
    let gen_manifest = format!(
        "[package]\nname = \"progenitor-gen\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nprogenitor-impl = \"={PROGENITOR}\"\nopenapiv3 = \"2.2\"\nserde_json = \"1\"\nsyn = {{ version = \"3\", default-features = false, features = [\"full\", \"parsing\", \"printing\"] }}\nprettyplease = \"0.3\"\n"
    );
    put(&pdir.join("gen/Cargo.toml"), &gen_manifest)?;
    put(&pdir.join("gen/src/main.rs"), GEN_SOURCE)?;
    put(&pdir.join("Cargo.toml"), &workspace_manifest(&["gen".to_string()]))?;
    for (name, source) in &vendors {
        let spec = spec::load(&root.join(source), source).map_err(Error::Spec)?;
        let json = serde_json::to_string_pretty(&spec.doc.value).map_err(|e| fail(format!("{source}: {e}")))?;
        put(&pdir.join(format!("specs/{name}.json")), &json)?;
    }
    progress(
        "[client] building the progenitor generator (the first run downloads and compiles progenitor: a minute or more)",
    );
    quiet(cargo(&pdir, &pdir.join("target")).args(["build", "--quiet", "-p", "progenitor-gen"]))?;
    let clients = pdir.join("clients");
    if clients.exists() {
        std::fs::remove_dir_all(&clients).map_err(|e| io(&clients, e))?;
    }
    progress("[client] running progenitor on each operation alone, then on all it accepts");
    let gen_bin = pdir.join("target/debug/progenitor-gen");
    let report = output(Command::new(&gen_bin).arg(pdir.join("specs")).arg(&pdir).args(&names))?;
    let mut reports: BTreeMap<String, Value> = BTreeMap::new();
    for line in report.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|e| fail(format!("progenitor-gen report: {e}: {line}")))?;
        reports.insert(v["vendor"].as_str().unwrap_or_default().to_string(), v);
    }
    let members: Vec<String> =
        std::iter::once("gen".to_string()).chain(names.iter().map(|n| format!("clients/progenitor-{n}"))).collect();
    put(&pdir.join("Cargo.toml"), &workspace_manifest(&members))?;

    // Our crates: the whole spec, and the spec reduced to the operations progenitor accepts.
    progress(&format!("[client] our client crates in {}", odir.display()));
    let templates = write::Templates::load(&root.join("templates"))?;
    let layout = Layout {
        dir: PathBuf::new(),
        support: xtask::Support::Path("../../../../support".into()),
        command: GeneratedBy::Generate,
        versions: Default::default(),
    };
    let mut table = Vec::new();
    let mut ours_members = Vec::new();
    for (name, source) in &vendors {
        let report = reports.get(name).ok_or_else(|| fail(format!("progenitor-gen reported nothing for {name}")))?;
        let subset_source = format!("target/bench/progenitor/specs/{name}.accepted.json");
        let full = load_api(&root.join(source), source, name).map_err(Error::Spec)?;
        let subset_name = format!("{name}-subset");
        let subset = load_api(&root.join(&subset_source), &subset_source, &subset_name).map_err(Error::Spec)?;
        let accepted = report["accepted"].as_array().map_or(0, Vec::len);
        if subset.operations.len() != accepted {
            return Err(fail(format!(
                "{name}: the reduced spec has {} operations, progenitor accepted {accepted}",
                subset.operations.len()
            )));
        }
        for api in [&full, &subset] {
            let files = render_crates(api, &templates, &layout)?;
            let krate = format!("{}-client", api.name);
            for (path, text) in files.iter().filter(|(p, _)| p.starts_with(&krate)) {
                let rel = path.strip_prefix(&krate).unwrap_or(path);
                if rel == Path::new("Cargo.toml") || rel.starts_with("src") {
                    put(&odir.join(path), text)?;
                }
            }
            ours_members.push(krate);
        }
        let rejected = report["rejected"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["operation"].as_str().unwrap_or_default().to_string(),
                    r["reason"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        table.push(Vendor {
            name: name.clone(),
            operations: full.operations.len(),
            accepted,
            rejected,
            ours_lines: rust_lines(&odir.join(format!("{name}-client/src")))?,
            subset_lines: rust_lines(&odir.join(format!("{subset_name}-client/src")))?,
            progenitor_lines: rust_lines(&clients.join(format!("progenitor-{name}/src")))?,
        });
    }
    put(&odir.join("Cargo.toml"), &workspace_manifest(&ours_members))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| io(&root.join("Cargo.lock"), e))?;
    put(&odir.join("Cargo.lock"), &lock)?;

    print_lines(&table);

    // Check time: dependencies prebuilt by a first check, then touch lib.rs and time a full
    // re-check of the crate alone. Incremental compilation is off, or the touched crate would be
    // mostly replayed from the incremental cache instead of checked.
    progress(
        "[client] prebuilding dependencies (`cargo check` of every crate once; the first run compiles reqwest, rustls, axum...)",
    );
    quiet(cargo(&odir, &odir.join("target")).env("CARGO_INCREMENTAL", "0").args(["check", "--quiet", "--workspace"]))?;
    quiet(cargo(&pdir, &pdir.join("target")).env("CARGO_INCREMENTAL", "0").args([
        "check",
        "--quiet",
        "--workspace",
        "--exclude",
        "progenitor-gen",
    ]))?;
    let mut times: BTreeMap<(String, usize), Vec<Duration>> = BTreeMap::new();
    for round in 1..=rounds {
        progress(&format!("[client] timing `cargo check`, round {round}/{rounds}"));
        for v in &table {
            let crates = [
                (&odir, format!("{}-client", v.name)),
                (&odir, format!("{}-subset-client", v.name)),
                (&pdir, format!("progenitor-{}", v.name)),
            ];
            let crate_dirs = [odir.join(&crates[0].1), odir.join(&crates[1].1), clients.join(&crates[2].1)];
            for (i, ((dir, krate), crate_dir)) in crates.iter().zip(&crate_dirs).enumerate() {
                touch(&crate_dir.join("src/lib.rs"))?;
                let t = Instant::now();
                quiet(
                    cargo(dir, &dir.join("target"))
                        .env("CARGO_INCREMENTAL", "0")
                        .args(["check", "--quiet", "-p", krate]),
                )?;
                times.entry((v.name.clone(), i)).or_default().push(t.elapsed());
            }
        }
    }
    print_checks(&table, &times, rounds);
    print_rejections(&table);
    Ok(())
}

fn print_lines(table: &[Vendor]) {
    println!(
        "\n2a. Generated client code: non-blank, non-comment lines of every generated .rs file of the client crate,"
    );
    println!(
        "    per operation (total lines / operations, so shared type lines are spread evenly). Progenitor {PROGENITOR},"
    );
    println!(
        "    positional style, on the operations it accepts; ours on the same reduced spec, and on the whole spec."
    );
    let mut t = Table::new(&[
        "vendor",
        "ops",
        "ours: lines",
        "/op",
        "accepted",
        "ours: lines",
        "/op",
        "progenitor: lines",
        "/op",
        "ours/progenitor",
    ]);
    let (mut ops, mut ours, mut acc, mut sub, mut prog) = (0, 0, 0, 0, 0);
    for v in table {
        ops += v.operations;
        ours += v.ours_lines;
        acc += v.accepted;
        sub += v.subset_lines;
        prog += v.progenitor_lines;
        t.row(lines_row(&v.name, v.operations, v.ours_lines, v.accepted, v.subset_lines, v.progenitor_lines));
    }
    t.row(lines_row("all", ops, ours, acc, sub, prog));
    t.print();
    println!(
        "    (columns 3-4: our whole spec; 5-10: the operations progenitor accepts. Target: ours/progenitor <= 1.00)"
    );
}

fn lines_row(name: &str, ops: usize, ours: usize, accepted: usize, subset: usize, progenitor: usize) -> Vec<String> {
    let per =
        |lines: usize, ops: usize| if ops == 0 { "-".into() } else { format!("{:.1}", lines as f64 / ops as f64) };
    let r = if accepted == 0 || progenitor == 0 { "-".into() } else { ratio(subset as f64 / progenitor as f64) };
    vec![
        name.into(),
        ops.to_string(),
        ours.to_string(),
        per(ours, ops),
        accepted.to_string(),
        subset.to_string(),
        per(subset, accepted),
        progenitor.to_string(),
        per(progenitor, accepted),
        r,
    ]
}

fn print_checks(table: &[Vendor], times: &BTreeMap<(String, usize), Vec<Duration>>, rounds: usize) {
    println!("\n2b. `cargo check` of each client crate alone, dependencies prebuilt, after touching its src/lib.rs");
    println!(
        "    (CARGO_INCREMENTAL=0; wall time of the cargo command; median of {rounds} round(s), crates alternated within each round)"
    );
    let mut t = Table::new(&[
        "vendor",
        "ours, all ops",
        "ours, accepted ops",
        "progenitor, accepted ops",
        "ours/progenitor (same ops)",
    ]);
    let get = |name: &str, i| times.get(&(name.to_string(), i)).map(|d| median_d(d)).unwrap_or_default();
    for v in table {
        let (full, sub, prog) = (get(&v.name, 0), get(&v.name, 1), get(&v.name, 2));
        t.row(vec![v.name.clone(), s(full), s(sub), s(prog), ratio(secs(sub) / secs(prog))]);
    }
    let sum = |i| table.iter().map(|v| get(&v.name, i)).sum::<Duration>();
    t.row(vec!["all (sum)".into(), s(sum(0)), s(sum(1)), s(sum(2)), ratio(secs(sum(1)) / secs(sum(2)))]);
    t.print();
    println!("    (Target: ours/progenitor <= 1.00)");
}

fn print_rejections(table: &[Vendor]) {
    println!(
        "\n2c. Operations progenitor {PROGENITOR} does not accept (decided by running it on each operation alone; an error or a caught panic rejects)"
    );
    for v in table {
        if v.rejected.is_empty() {
            println!("    {}: all {} accepted", v.name, v.operations);
            continue;
        }
        let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (op, reason) in &v.rejected {
            by_reason.entry(reason.as_str()).or_default().push(op.as_str());
        }
        println!("    {}: {} of {} rejected", v.name, v.rejected.len(), v.operations);
        for (reason, ops) in by_reason {
            let reason: String = reason.lines().next().unwrap_or_default().chars().take(160).collect();
            let shown: Vec<&str> = ops.iter().take(4).copied().collect();
            let more = if ops.len() > shown.len() { format!(", ... ({} in all)", ops.len()) } else { String::new() };
            println!("      {reason}\n        {}{more}", shown.join(", "));
        }
    }
}

/// A workspace of its own (so it does not join ours), with our dev profile.
fn workspace_manifest(members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    format!(
        "# written by `cargo xtask bench`\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        members.join(", ")
    )
}

/// Non-blank lines that are not `//` comments (doc comments included), over every `.rs` file.
fn rust_lines(dir: &Path) -> Result<usize, Error> {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let path = entry.map_err(|e| io(&dir, e))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
                total += text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")).count();
            }
        }
    }
    Ok(total)
}

// ---------------------------------------------------------------- 3. server throughput

fn server(root: &Path, rounds: usize) -> Result<(), Error> {
    let target = root.join("target/bench/server");
    progress("[server] building benches/server-throughput in release (the first run compiles axum, tokio, hyper...)");
    quiet(cargo(root, &target).args(["build", "--quiet", "--release", "-p", "server-throughput"]))?;
    progress(&format!("[server] {rounds} rounds on 127.0.0.1"));
    let bin = target.join("release/server-throughput");
    let rounds = rounds.to_string();
    let out = output(Command::new(&bin).args([
        "--requests",
        "10000",
        "--connections",
        "4",
        "--rounds",
        &rounds,
        "--deadline-secs",
        "120",
    ]))?;
    let v: Value =
        serde_json::from_str(out.trim()).map_err(|e| fail(format!("server-throughput output: {e}: {out}")))?;
    let list = |key: &str| -> Vec<f64> { v[key].as_array().into_iter().flatten().filter_map(Value::as_f64).collect() };
    let (generated, handwritten, ratios) = (list("generated_rps"), list("handwritten_rps"), list("ratios"));
    println!(
        "\n3. Server throughput: {}, {} requests per round over {} keep-alive connections, {} rounds alternating which server goes first",
        v["operation"].as_str().unwrap_or_default(),
        v["requests_per_round"],
        v["connections"],
        v["rounds"],
    );
    println!(
        "   (release build; both servers on one single-threaded tokio runtime, the client on another; response {} bytes, identical from both)",
        v["response_bytes"]
    );
    let mut t = Table::new(&["server", "median req/s", "min", "max"]);
    let row = |name: &str, xs: &[f64]| {
        vec![name.to_string(), format!("{:.0}", median(xs)), format!("{:.0}", min(xs)), format!("{:.0}", max(xs))]
    };
    t.row(row("hand-written axum handler (baseline)", &handwritten));
    t.row(row("generated router (outreach-server)", &generated));
    t.row(vec![
        "ratio generated / hand-written, per round".into(),
        ratio(median(&ratios)),
        ratio(min(&ratios)),
        ratio(max(&ratios)),
    ]);
    t.print();
    println!("   (Target: ratio >= 0.90)");
    Ok(())
}

// ---------------------------------------------------------------- helpers

fn cargo(dir: &Path, target_dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).env("CARGO_TARGET_DIR", target_dir);
    cmd
}

/// Runs `cmd`, showing its output only if it fails.
fn quiet(cmd: &mut Command) -> Result<(), Error> {
    let out = cmd.output().map_err(|e| fail(format!("cannot run {cmd:?}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(fail(format!(
        "{cmd:?} failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )))
}

/// Runs `cmd` with stderr passed through; its stdout.
fn output(cmd: &mut Command) -> Result<String, Error> {
    let out =
        cmd.stderr(std::process::Stdio::inherit()).output().map_err(|e| fail(format!("cannot run {cmd:?}: {e}")))?;
    if !out.status.success() {
        return Err(fail(format!("{cmd:?} failed: {}", out.status)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes `text` to `path` unless it already holds it (an unchanged file keeps its mtime, so
/// cargo does not rebuild for nothing).
fn put(path: &Path, text: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| io(path, e))
}

fn touch(path: &Path) -> Result<(), Error> {
    let file = std::fs::File::options().append(true).open(path).map_err(|e| io(path, e))?;
    file.set_modified(std::time::SystemTime::now()).map_err(|e| io(path, e))
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::Io(path.display().to_string(), e)
}

/// A tool the bench runs failed, or answered with something it cannot read.
fn fail(message: String) -> Error {
    Error::Command(format!("bench: {message}"))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn s(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ratio(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "-".into() }
}

fn median_d(xs: &[Duration]) -> Duration {
    let mut v = xs.to_vec();
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

fn min_d(xs: &[Duration]) -> Duration {
    xs.iter().min().copied().unwrap_or_default()
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn min(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// A plain-text table: first column left-aligned, the others right-aligned.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Self { header: header.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
    }

    fn row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn print(&self) {
        let all = || std::iter::once(&self.header).chain(&self.rows);
        let widths: Vec<usize> = (0..self.header.len())
            .map(|i| all().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
            .collect();
        for row in all() {
            let mut line = String::from("   ");
            for (i, cell) in row.iter().enumerate() {
                let _ = if i == 0 {
                    write!(line, " {cell:<w$}", w = widths[i])
                } else {
                    write!(line, "  {cell:>w$}", w = widths[i])
                };
            }
            println!("{}", line.trim_end());
        }
    }
}
