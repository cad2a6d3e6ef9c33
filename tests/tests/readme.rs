//! The README's examples, run: its client example against the Stalwart mock (the example is
//! the body of `readme_client_example` below, word for word but for the base URL), its server
//! example (`readme_server_example`, but for the address and the `Api`), and its mock and curl
//! commands as written, on a free port, each answering the status its comment gives.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

/// The lines of the README's first fenced block in `language` whose first line starts with `start`.
fn readme_block(language: &str, start: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line == format!("```{language}") {
            let block: Vec<String> = lines.by_ref().take_while(|l| *l != "```").map(str::to_string).collect();
            if block.first().is_some_and(|first| first.starts_with(start)) {
                return block;
            }
        }
    }
    panic!("README.md has no ```{language} block starting with `{start}`")
}

const FROM: &str = "// README.md from here";
const TO: &str = "// README.md to here";

// Formatted as the README shows it.
#[rustfmt::skip]
async fn readme_client_example(base_url: &str) -> Result<stalwart_client::Client, Box<dyn std::error::Error>> {
    // README.md from here
    use stalwart_client::{Client, Error};

    let client = Client::builder(base_url)
        .basic_auth("admin", "secret")          // or .bearer_token(..), .api_key("AuthToken", ..)
        .timeout(std::time::Duration::from_secs(10))
        .build()?;                              // an invalid base URL fails here, not at the first call
    match client.fetch_principal("alice").await {
        Ok(principal) => println!("{:?}", principal.body()),
        Err(Error::Api(error)) => println!("documented error {}: {:?}", error.status(), error.body()),
        Err(other) => println!("{other}"),      // undocumented status, undecodable body, transport
    }
    // Optional parameters are setters of the call; awaiting it sends it.
    let first = client.list_principals().limit(10).types("individual").await?;
    println!("{:?} principals", first.body().data.total);
    // Every item of every page, as a `Stream` that owns the call's parameters.
    use futures_util::TryStreamExt as _;
    let all: Vec<_> = client.list_principals().limit(100).into_stream().try_collect().await?;
    // README.md to here
    assert!(all.is_empty(), "the mock's example page lists none");
    Ok(client)
}

/// The lines between the `nth` pair of markers in this file, unindented, with `replacements`.
fn tested_block(nth: usize, replacements: &[(&str, &str)]) -> Vec<String> {
    let source = include_str!("readme.rs");
    let from = format!("    {FROM}\n");
    let start = source.match_indices(&from).nth(nth).expect("marker").0 + from.len();
    let end = start + source[start..].find(&format!("    {TO}\n")).expect("marker");
    let unindent = |l: &str| l.strip_prefix("    ").unwrap_or(l).to_owned();
    let replace = |l: String| replacements.iter().fold(l, |l, (from, to)| l.replace(from, to));
    source[start..end].lines().map(unindent).map(replace).collect()
}

#[test]
fn the_readme_client_example_is_the_one_tested() {
    let tested = tested_block(0, &[("builder(base_url)", "builder(\"https://mail.example.org/api\")")]);
    assert_eq!(readme_block("rust", "use stalwart_client"), tested, "README.md and tests/tests/readme.rs differ");
}

/// The README's user store: `admin` and `jane`, password `secret`; for `down` it is unreachable.
async fn verify(user: &str, password: &str) -> Result<bool, std::io::Error> {
    match user {
        "down" => Err(std::io::Error::other("the user store is down")),
        _ => Ok(matches!(user, "admin" | "jane") && password == "secret"),
    }
}

// Formatted as the README shows it.
#[rustfmt::skip]
async fn readme_server_example(address: std::net::SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    // README.md from here
    use stalwart_server::{AuthError, AuthRequest, Authenticator, Limits, Principal};

    /// Checks passwords against the user store (`verify`); only `admin` may change anything.
    struct Users;

    impl Authenticator for Users {
        async fn basic(&self, request: &AuthRequest<'_>, user: &str, password: &str) -> Result<Principal, AuthError> {
            // Compare secrets in constant time (e.g. with `subtle`): see the `Authenticator` docs.
            match verify(user, password).await {
                Err(_) => Err(AuthError::Unavailable { retry_after: std::time::Duration::from_secs(5) }), // 503
                Ok(false) => Err(AuthError::Invalid),       // 401 with WWW-Authenticate
                Ok(true) if request.method == "GET" || user == "admin" => Ok(Principal::new(request.scheme, user)),
                Ok(true) => Err(AuthError::Forbidden),      // 403
            }
        }
    }

    let listener = tokio::net::TcpListener::bind(address).await?;
    stalwart_server::serve(listener, stalwart_server::router(stalwart_server::mock::Mock, Users), Limits::default()).await;
    // README.md to here
    Ok(())
}

#[test]
fn the_readme_server_example_is_the_one_tested() {
    let tested =
        tested_block(1, &[("bind(address)", "bind(\"0.0.0.0:8080\")"), ("stalwart_server::mock::Mock", "MyApi")]);
    assert_eq!(readme_block("rust", "use stalwart_server"), tested, "README.md and tests/tests/readme.rs differ");
}

/// The status of one request with HTTP Basic `credentials` (`user:password`).
async fn status(address: std::net::SocketAddr, method: &str, credentials: &str) -> u16 {
    use base64::Engine as _;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let credentials = base64::engine::general_purpose::STANDARD.encode(credentials);
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "{method} /api/principal/jane HTTP/1.1\r\nHost: test\r\nAuthorization: Basic {credentials}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut response)).await.unwrap().unwrap();
    response[9..12].parse().unwrap()
}

#[tokio::test]
async fn the_readme_server_example_answers_as_its_comments_say() {
    // A free port, given to the example.
    let address = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let server = tokio::spawn(async move { readme_server_example(address).await.map_err(|e| e.to_string()) });
    while tokio::net::TcpStream::connect(address).await.is_err() {
        assert!(!server.is_finished(), "{:?}", server.await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let cases = [
        ("GET", "jane:secret", 200),
        ("DELETE", "jane:secret", 403),
        ("DELETE", "admin:secret", 200),
        ("GET", "jane:wrong", 401),
        ("GET", "down:secret", 503),
    ];
    for (method, credentials, expected) in cases {
        assert_eq!(status(address, method, credentials).await, expected, "{method} {credentials}");
    }
    server.abort();
}

#[tokio::test]
async fn the_readme_client_example_runs_against_the_mock() {
    let router = stalwart_server::router(stalwart_server::mock::Mock, stalwart_server::mock::AcceptAny);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = readme_client_example(&base_url).await.expect("the README example runs");
    // The client it built reaches the mock, which answers its example `jane` for any id.
    let principal = client.fetch_principal("alice").await.expect("the mock answers");
    let body = serde_json::to_value(principal.body()).unwrap();
    assert_eq!(body["data"]["name"], "jane", "{body}");
}

/// `cargo xtask mock stalwart --port 8080` and the curl lines under it, with a free port.
#[test]
fn the_readme_mock_commands_answer_as_it_says() {
    let block = readme_block("sh", "cargo xtask mock stalwart");
    let (mock, _) = block[0].split_once('#').expect("a comment");
    let mock = mock.trim().replace("--port 8080", "--port 0").replacen("cargo ", &format!("{} ", common::cargo()), 1);
    let mut server =
        common::Group::spawn(Command::new("sh").args(["-c", &mock]).current_dir(common::root()).stdout(Stdio::piped()));
    // The first run builds the mock.
    let line = server.wait_for_line("mock serving at http://127.0.0.1:", Duration::from_secs(600));
    let port = line.rsplit_once("127.0.0.1:").and_then(|(_, rest)| rest.split_once('/')).expect("a port").0;
    let curls: Vec<&String> = block[1..].iter().filter(|l| l.starts_with("curl ")).collect();
    assert!(curls.len() >= 3, "{block:?}");
    for line in curls {
        let (command, comment) = line.split_once('#').expect("each curl line says its status in a comment");
        let expected: String = comment.trim().chars().take_while(char::is_ascii_digit).collect();
        let command = format!(
            "{} -sS -o /dev/null -w '%{{http_code}}' --max-time 10",
            command.trim().replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"))
        );
        let run = common::output_within(Command::new("sh").args(["-c", &command]), Duration::from_secs(20));
        let status = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{command}: {}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(status, expected, "{line}");
    }
}

/// Every relative link in the generated crates' READMEs leads to a file that exists.
#[test]
fn generated_readme_links_resolve() {
    let root = common::root();
    let mut checked = 0;
    for dir in xtask::GENERATED_DIRS.map(|(_, out)| root.join(out)) {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let readme = entry.path().join("README.md");
            let Ok(text) = std::fs::read_to_string(&readme) else { continue };
            for target in text.split("](").skip(1).filter_map(|rest| rest.split_once(')')).map(|(t, _)| t) {
                if target.contains("://") || target.starts_with('#') {
                    continue;
                }
                assert!(entry.path().join(target).exists(), "{}: broken link {target}", readme.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} links checked");
}
