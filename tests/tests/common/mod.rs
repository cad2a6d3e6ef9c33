//! Helpers shared by the test files.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    xtask::project_root()
}

/// Compares `actual` with the file at `expected` (relative to the root); with `UPDATE_EXPECT=1`
/// rewrites the file instead, like insta's `--accept`.
pub fn check_file(expected: &Path, actual: &str) {
    let path = root().join(expected);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old == actual {
        return;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let first = old.lines().zip(actual.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
    panic!(
        "{} is out of date (first difference at line {first}); rerun with UPDATE_EXPECT=1 and review the diff",
        expected.display()
    );
}

/// The corpus specs (YAML or JSON) of one kind (`types`, `errors`), as (stem, path relative to the root).
pub fn corpus(kind: &str) -> Vec<(String, PathBuf)> {
    let dir = root().join("tests/corpus").join(kind);
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".json"))?.to_string();
            Some((stem, PathBuf::from("tests/corpus").join(kind).join(name)))
        })
        .collect();
    out.sort();
    out
}

/// A child process started in a process group of its own, stopped (the whole group, by the
/// child's PID) when dropped: a `cargo run` and the program it runs end together, even when a
/// test fails.
pub struct Group {
    pub child: std::process::Child,
}

impl Group {
    pub fn spawn(cmd: &mut std::process::Command) -> Group {
        use std::os::unix::process::CommandExt as _;
        let child = cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
        Group { child }
    }

    /// The first line the child prints that contains `needle`, waiting at most `limit`.
    pub fn wait_for_line(&mut self, needle: &str, limit: std::time::Duration) -> String {
        use std::io::BufRead as _;
        let stdout = self.child.stdout.take().expect("stdout is piped");
        let (send, receive) = std::sync::mpsc::channel();
        let wanted = needle.to_string();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains(&wanted) {
                    let _ = send.send(line);
                }
            }
        });
        receive.recv_timeout(limit).unwrap_or_else(|_| panic!("no line with `{needle}` within {limit:?}"))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(std::process::Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

/// Runs `cmd` to its end within `limit` (its whole process group is stopped after that), and
/// returns its output.
pub fn output_within(cmd: &mut std::process::Command, limit: std::time::Duration) -> std::process::Output {
    use std::io::Read as _;
    use std::process::Stdio;
    let mut group = Group::spawn(cmd.stdout(Stdio::piped()).stderr(Stdio::piped()));
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = pipe.read_to_end(&mut out);
            out
        })
    };
    let stdout = read(Box::new(group.child.stdout.take().expect("piped")));
    let stderr = read(Box::new(group.child.stderr.take().expect("piped")));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = group.child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < limit, "{cmd:?} took longer than {limit:?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// The cargo that runs the tests.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
