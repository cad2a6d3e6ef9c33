//! `cargo xtask generate` runs the whole pipeline on a spec outside `specs/`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;

fn xtask(args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(xtask::project_root())
        .output()
        .expect("cargo runs")
}

#[test]
fn generate_writes_both_crates_for_a_user_spec() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_string_lossy();
    let run = xtask(&["generate", "--spec", "tests/corpus/types/inline.yaml", "--out", &out_arg, "--name", "demo"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for file in [
        "demo-client/Cargo.toml",
        "demo-client/src/client.rs",
        "demo-client/src/types.rs",
        "demo-server/src/server.rs",
        "demo-server/src/mock.rs",
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains("from tests/corpus/types/inline.yaml, do not edit"), "{file} lacks the header");
    }
    let client = std::fs::read_to_string(out.join("demo-client/src/client.rs")).unwrap();
    assert!(client.contains("pub fn get_thing(&self, id: impl Into<String>) -> GetThingBuilder<'_>"), "{client}");
    let manifest = std::fs::read_to_string(out.join("demo-client/Cargo.toml")).unwrap();
    assert!(manifest.contains("mailapi-support = { path = \""), "{manifest}");
}

#[test]
fn a_broken_spec_fails_with_located_errors_and_no_panic() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-broken");
    let run = xtask(&["generate", "--spec", "tests/corpus/errors/dangling_ref.yaml", "--out", &out.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "tests/corpus/errors/dangling_ref.yaml:12:11: /components/schemas/A/properties/b/$ref: unresolvable"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing is written for a broken spec");
}

/// A title with quotes, a newline and a backslash, and a version far longer than an environment
/// variable may be: the manifest stays valid TOML and its description stays small.
#[test]
fn hostile_metadata_cannot_break_the_manifest() {
    // Outside the checkout, so that cargo reads the crate as a package of its own.
    let dir = std::env::temp_dir().join(format!("mailapi-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.yaml");
    let version = "9".repeat(200_000);
    let text = format!(
        "openapi: 3.0.3\ninfo:\n  title: \"Say \\\"hi\\\"\\nnext \\\\ line\"\n  version: \"{version}\"\npaths:\n  /thing:\n    get:\n      operationId: getThing\n      responses:\n        \"204\":\n          description: nothing\n"
    );
    std::fs::write(&spec, text).unwrap();
    let out = dir.join("out");
    let run =
        xtask(&["generate", "--spec", &spec.to_string_lossy(), "--out", &out.to_string_lossy(), "--name", "hostile"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = out.join("hostile-client/Cargo.toml");
    let metadata = Command::new(cargo)
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("cargo runs");
    assert!(metadata.status.success(), "{}", String::from_utf8_lossy(&metadata.stderr));
    let json: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let expected = format!(
        "Client for Say \"hi\"\nnext \\ line (API version {}…), generated from {}.",
        &version[..40],
        spec.display()
    );
    assert_eq!(json["packages"][0]["description"], expected.as_str());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `generate` into a directory holding the user's own files: regenerating keeps them, removes only
/// what it wrote and no longer produces, and refuses to overwrite a file it did not write.
#[test]
fn generate_never_touches_the_users_own_files() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-owned");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_string_lossy();
    let args = ["generate", "--spec", "tests/corpus/types/inline.yaml", "--out", &out_arg, "--name", "demo"];
    assert!(xtask(&args).status.success());
    let mine = [("demo-client/Cargo.lock", "# mine\n"), ("demo-client/tests/mine.rs", "// mine\n")];
    for (file, text) in mine {
        std::fs::create_dir_all(out.join(file).parent().unwrap()).unwrap();
        std::fs::write(out.join(file), text).unwrap();
    }
    let stale = out.join("demo-client/src/gone.rs");
    std::fs::write(&stale, "// generated by `cargo xtask generate` from x.yaml, do not edit\n").unwrap();

    let run = xtask(&args);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for (file, text) in mine {
        assert_eq!(std::fs::read_to_string(out.join(file)).unwrap(), text, "{file}");
    }
    assert!(!stale.exists(), "a file the generator wrote and no longer produces is removed");

    let lib = out.join("demo-client/src/lib.rs");
    std::fs::write(&lib, "// my own lib.rs\n").unwrap();
    let run = xtask(&args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not written by the generator") && stderr.contains("demo-client/src/lib.rs"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// my own lib.rs\n");
}

/// A limit's magnitude never sizes the output: `minLength` and `minItems` of 2^32 on parameters and
/// 2^63 on a response generate crates of ordinary size (test samples and the mock's smallest
/// valid bodies are bounded); found by `cargo xtask fuzz`.
#[test]
fn huge_limits_do_not_grow_the_output() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-huge-limits");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        r##"openapi: 3.0.3
info: {title: Big, version: "1"}
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, minLength: 4294967296}}
        - {name: ids, in: query, required: true, schema: {type: array, minItems: 4294967296, items: {type: string}}}
      responses:
        "204": {description: ok}
  /b:
    get:
      operationId: getB
      responses:
        "200":
          description: no example, so the mock builds the smallest valid body
          content:
            application/json:
              schema: {$ref: "#/components/schemas/List"}
components:
  schemas:
    List:
      required: [items, name]
      properties:
        items: {type: array, minItems: 9223372036854775807}
        name: {type: string, minLength: 9223372036854775807}
"##,
    )
    .unwrap();
    let out = dir.join("out");
    let run = xtask(&["generate", "--spec", &spec.to_string_lossy(), "--out", &out.to_string_lossy(), "--name", "big"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let size: u64 = ["big-client", "big-server"]
        .iter()
        .flat_map(|c| {
            ["src/client.rs", "src/server.rs", "src/mock.rs", "tests/e2e.rs", "tests/examples.rs"]
                .map(|f| out.join(c).join(f))
        })
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    assert!(size < 200_000, "{size} bytes of generated code");
}

/// `cargo xtask --help`, `cargo xtask COMMAND --help`, and a wrong flag, which is named.
#[test]
fn help_and_unknown_flags() {
    let cases: [(&[&str], i32, &[&str]); 7] = [
        (
            &["--help"],
            0,
            &["cargo xtask regenerate", "cargo xtask generate --spec", "cargo xtask diff", "COMMAND --help"],
        ),
        (&["generate", "--help"], 0, &["usage:\n  cargo xtask generate --spec PATH --out DIR", "--support"]),
        (&["fuzz", "-h"], 0, &["usage:\n  cargo xtask fuzz [--cases N]"]),
        (
            &["generate", "--spec", "a.yaml", "--out", "x", "--frobnicate"],
            1,
            &["unknown flag `--frobnicate` for `cargo xtask generate`", "usage:\n  cargo xtask generate"],
        ),
        (&["regenerate", "--chek"], 1, &["unknown flag `--chek` for `cargo xtask regenerate`"]),
        (&["frob"], 1, &["unknown command `frob`", "cargo xtask regenerate"]),
        (&["mock", "demo"], 1, &["unknown vendor `demo`", "`cargo run --bin demo-server-mock`"]),
    ];
    for (args, status, expected) in cases {
        let run = xtask(args);
        let output = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert_eq!(run.status.code(), Some(status), "{args:?}: {output}");
        for text in expected {
            assert!(output.contains(text), "{args:?}: `{text}` not in:\n{output}");
        }
    }
}

/// `--support` as the manifest writes it: a relative path relative to each crate, an absolute
/// one as is, a git URL with its revision; a directory that is not mailapi-support is refused.
#[test]
fn support_option_writes_the_dependency() {
    let root = xtask::project_root();
    let out = root.join("target/tmp/generate-support");
    let absolute = root.join("support").to_string_lossy().into_owned();
    let cases = [
        ("support", "path = \"../../../../support\""),
        (absolute.as_str(), &format!("path = {absolute:?}")),
        ("https://example.org/mailapi.git#abc123", "git = \"https://example.org/mailapi.git\", rev = \"abc123\""),
        ("git@example.org:me/mailapi.git", "git = \"git@example.org:me/mailapi.git\","),
    ];
    for (support, expected) in cases {
        let _ = std::fs::remove_dir_all(&out);
        let args = ["generate", "--spec", "tests/corpus/types/inline.yaml", "--out", "target/tmp/generate-support"];
        let run = xtask(&[&args[..], &["--name", "demo", "--support", support]].concat());
        assert!(run.status.success(), "{support}: {}", String::from_utf8_lossy(&run.stderr));
        let manifest = std::fs::read_to_string(out.join("demo-server/Cargo.toml")).unwrap();
        let line = manifest.lines().find(|l| l.starts_with("mailapi-support = ")).unwrap();
        assert!(line.contains(expected), "{support}: {line}");
        assert!(line.ends_with("features = [\"server\"] }"), "{line}");
    }
    let run =
        xtask(&["generate", "--spec", "tests/corpus/types/inline.yaml", "--out", "target/tmp/x", "--support", "specs"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--support specs: specs/Cargo.toml is not the manifest of mailapi-support"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

/// Done-when of issue #13: crates generated into a directory outside the checkout, then moved
/// elsewhere, build there (client and server), and the command their README gives for the mock
/// serves it. They sit in a workspace of their own with this one's `Cargo.lock` and profiles, and
/// build into this checkout's `target/` offline, so no dependency is fetched or rebuilt needlessly.
#[test]
fn generated_crates_build_after_a_move_outside_the_checkout() {
    let root = xtask::project_root();
    let tmp = std::env::temp_dir().join(format!("mailapi-moved-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let first = tmp.join("first");
    let run = xtask(&[
        "generate",
        "--spec",
        "tests/corpus/types/inline.yaml",
        "--out",
        &first.to_string_lossy(),
        "--name",
        "moved",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let moved = tmp.join("elsewhere/crates");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&first, &moved).unwrap();

    for side in ["client", "server"] {
        let readme = std::fs::read_to_string(moved.join(format!("moved-{side}/README.md"))).unwrap();
        assert!(!readme.contains("cargo xtask mock") && !readme.contains("](../"), "{readme}");
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let profiles = &manifest[manifest.find("[profile.").expect("profiles")..];
    let workspace =
        format!("[workspace]\nresolver = \"3\"\nmembers = [\"moved-client\", \"moved-server\"]\n\n{profiles}");
    std::fs::write(moved.join("Cargo.toml"), workspace).unwrap();
    std::fs::copy(root.join("Cargo.lock"), moved.join("Cargo.lock")).unwrap();

    let mut build = Command::new(common::cargo());
    build
        .args(["build", "--offline", "--quiet", "--workspace"])
        .current_dir(&moved)
        .env("CARGO_TARGET_DIR", root.join("target"));
    let built = common::output_within(&mut build, Duration::from_secs(900));
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

    // The server README's mock command, as written but on a free port.
    let server = moved.join("moved-server");
    let readme = std::fs::read_to_string(server.join("README.md")).unwrap();
    let command = readme.lines().find(|l| l.starts_with("cargo run --bin moved-server-mock")).expect("a mock command");
    let command = command.replace("--port 8080", "--port 0").replacen("cargo ", &format!("{} ", common::cargo()), 1);
    let mut mock = common::Group::spawn(
        Command::new("sh")
            .args(["-c", &command])
            .current_dir(&server)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("CARGO_NET_OFFLINE", "true")
            .stdout(Stdio::piped()),
    );
    let line = mock.wait_for_line("mock serving at http://", Duration::from_secs(300));
    let address = line.trim_start_matches("mock serving at http://").split('/').next().unwrap().to_string();
    let status = http_get(&address, "/things/abc");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    drop(mock);
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The status line of a GET of `path` on `address`.
fn http_get(address: &str, path: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}
