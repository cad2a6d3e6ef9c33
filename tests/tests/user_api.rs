//! The generated crates as a user meets them, on the wire: a server that implements only part
//! of its API (`PartialApi`) answers 501 for the rest, the client's errors print the service's
//! own message once, as an `anyhow` chain (`{:#}`) shows them, and a program in a workspace of
//! its own builds and runs with `stalwart-client` as its only API dependency.

use std::error::Error as StdError;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use stalwart_client::{Client, Error, FetchPrincipalError, ServiceMessage};
use stalwart_server::{
    AuthError, AuthRequest, Authenticator, FetchPrincipalRequest, FetchPrincipalResponse, ListPrincipalsRequest,
    ListPrincipalsResponse, PartialApi, Principal, Problem,
};

/// Serves only `fetchPrincipal` and `listPrincipals`: `alice` is forbidden, `ghost` is the
/// management error Stalwart reports inside a 200, anyone else exists; the list is three
/// principals in pages of two. Keeps each `x-request-id` it was sent.
#[derive(Clone, Default)]
struct OnlyFetch {
    request_ids: Arc<Mutex<Vec<String>>>,
}

impl OnlyFetch {
    fn note(&self, headers: &http::HeaderMap) {
        if let Some(id) = headers.get("x-request-id") {
            self.request_ids.lock().unwrap().push(id.to_str().unwrap().to_owned());
        }
    }
}

impl PartialApi for OnlyFetch {
    async fn list_principals(&self, request: ListPrincipalsRequest) -> Result<ListPrincipalsResponse, Problem> {
        self.note(&request.context.headers);
        let names = ["ann", "bob", "cy"];
        let page = request.page.unwrap_or(1) as usize;
        let items: Vec<_> = names.iter().skip((page - 1) * 2).take(2).map(|n| json!({"name": n})).collect();
        Ok(ListPrincipalsResponse::Ok(from_json(json!({"data": {"items": items, "total": names.len()}}))))
    }

    async fn fetch_principal(&self, request: FetchPrincipalRequest) -> Result<FetchPrincipalResponse, Problem> {
        self.note(&request.context.headers);
        let answer = match request.principal_id.as_str() {
            "alice" => FetchPrincipalResponse::Forbidden(from_json(json!({
                "type": "about:blank", "status": 403, "title": "Forbidden",
                "detail": "alice may not be read with this token",
            }))),
            "ghost" => FetchPrincipalResponse::InBody(from_json(json!({
                "error": "notFound", "details": "no principal named ghost",
            }))),
            name => FetchPrincipalResponse::Ok(from_json(json!({"data": {"type": "individual", "name": name}}))),
        };
        Ok(answer)
    }
}

fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// Accepts the one token the client sends.
struct Token;

impl Authenticator for Token {
    async fn bearer(&self, request: &AuthRequest<'_>, token: &str) -> Result<Principal, AuthError> {
        match token {
            "t0ken" => Ok(Principal::new(request.scheme, "admin")),
            _ => Err(AuthError::Invalid),
        }
    }
}

/// Serves `api` on a loopback port; its base URL.
async fn serve(api: OnlyFetch) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, stalwart_server::router(api, Token)).into_future());
    base
}

async fn start() -> Client {
    let base = serve(OnlyFetch::default()).await;
    Client::builder(&base).bearer_token("t0ken").build().unwrap()
}

/// `err` and its sources joined by `: `, as `anyhow` prints `{:#}`.
fn chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(source) = next {
        out.push_str(&format!(": {source}"));
        next = source.source();
    }
    out
}

#[tokio::test]
async fn a_partial_server_answers_501_for_what_it_does_not_implement() {
    let client = start().await;
    let found = client.fetch_principal("bob").await.unwrap();
    assert_eq!(found.status(), 200);

    let err = client.delete_principal("bob").await.unwrap_err();
    let Error::UnexpectedStatus { status, headers, body } = &err else { panic!("{err:?}") };
    assert_eq!((status.as_u16(), headers["content-type"].to_str().unwrap()), (501, "application/problem+json"));
    let problem: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(problem["detail"], "`deletePrincipal` is not implemented by this server");
    assert_eq!(
        chain(&err),
        "unexpected response status 501 Not Implemented: `deletePrincipal` is not implemented by this server"
    );
}

#[tokio::test]
async fn api_errors_print_the_services_message_once() {
    let client = start().await;
    let cases = [
        ("alice", "the service answered 403 Forbidden: alice may not be read with this token"),
        ("ghost", "the service answered 200 OK: no principal named ghost"),
    ];
    for (name, expected) in cases {
        let err = client.fetch_principal(name).await.unwrap_err();
        assert!(
            matches!(&err, Error::Api(v) if matches!(v.body(), FetchPrincipalError::Forbidden(_) | FetchPrincipalError::InBody(_))),
            "{err:?}"
        );
        assert_eq!(chain(&err), expected);
    }
}

/// The message a generated client finds in each vendor's error bodies: a problem's `detail`
/// (else its `title`), a vendor's text inside an envelope or a union of error shapes, the first
/// JSON:API error; blank members are skipped.
#[test]
fn each_vendors_error_bodies_give_their_message() {
    fn message<T: serde::de::DeserializeOwned + ServiceMessage>(body: serde_json::Value) -> Option<String> {
        from_json::<T>(body).service_message().map(str::to_owned)
    }
    use hostway_client::types as hostway;
    let cases: [(Option<String>, &str); 8] = [
        (
            message::<hostway::ValidationError>(json!({"computeFault": "Number of mailboxes exceeded"})),
            "Number of mailboxes exceeded",
        ),
        (
            message::<hostway::ValidationError>(json!({"badRequest": {"message": "Invalid domain", "code": 400}})),
            "Invalid domain",
        ),
        (
            message::<hostway::ConflictError>(
                json!({"conflict": {"message": "Mailbox exists", "code": 409}, "details": ""}),
            ),
            "Mailbox exists",
        ),
        (
            message::<outreach_client::types::ErrorDocument>(
                json!({"errors": [{"id": "x", "title": "Invalid", "detail": "email is taken"}]}),
            ),
            "email is taken",
        ),
        (
            message::<onlyoffice_client::types::ErrorEnvelope>(
                json!({"status": 1, "error": {"message": "Access denied"}}),
            ),
            "Access denied",
        ),
        (
            message::<parallels_ras_client::types::ProblemDetails>(json!({"title": "Not Found", "detail": null})),
            "Not Found",
        ),
        (
            message::<stalwart_client::types::ProblemDetails>(json!({"title": "Unauthorized", "detail": "  "})),
            "Unauthorized",
        ),
        (
            message::<stalwart_client::types::ErrorResponse>(json!({"error": "fieldMissing", "field": "name"})),
            "fieldMissing",
        ),
    ];
    for (found, expected) in cases {
        assert_eq!(found.as_deref(), Some(expected));
    }
    assert_eq!(message::<outreach_client::types::ErrorDocument>(json!({"errors": []})), None);

    // The operation error renders it after the status; `http` is the client's re-export.
    let body: hostway::ValidationError = from_json(json!({"computeFault": "Number of mailboxes exceeded"}));
    let status = hostway_client::http::StatusCode::BAD_REQUEST;
    let value = hostway_client::ResponseValue::from_parts(status, Default::default(), body);
    let err = hostway_client::Error::Api(value.map(hostway_client::PutDomainBlackwhitelistError::BadRequest));
    assert_eq!(chain(&err), "the service answered 400 Bad Request: Number of mailboxes exceeded");
}

#[tokio::test]
async fn a_refused_connection_is_named_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(&format!("http://127.0.0.1:{port}")).no_retry().build().unwrap();
    let err = client.fetch_principal("bob").await.unwrap_err();
    let chain = chain(&err);
    assert!(chain.starts_with("connection failed: "), "{chain}");
    assert_eq!(chain.matches("connection failed").count(), 1, "{chain}");
}

// ---------------------------------------------------------------------------------------------
// A program of a user's own

/// The program's manifest: its own workspace, `stalwart-client` by path, and tokio to run it;
/// no `http`, `serde_json` or `mailapi-support` (the client re-exports what its API uses).
const PROGRAM_MANIFEST: &str = r#"[package]
name = "user-program"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
stalwart-client = { path = "CLIENT" }
tokio = { version = "1", default-features = false, features = ["macros", "rt"] }

[workspace]
"#;

const PROGRAM: &str = r#"use stalwart_client::futures_util::TryStreamExt as _;
use stalwart_client::{CallOptions, Client, Error, FetchPrincipalError, http, serde_json};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args().nth(1).ok_or("usage: user-program BASE_URL")?;
    let client = Client::builder(&base).bearer_token("t0ken").build()?;

    // Per-call headers are an `http::HeaderMap`.
    let mut options = CallOptions::default();
    options.headers.insert("x-request-id", http::HeaderValue::from_static("program-1"));
    let client = client.with_options(options);

    // Every item of every page (a stream that owns its parameters), as untyped JSON.
    let principals: Vec<_> = client.list_principals().limit(2).into_stream().try_collect().await?;
    let names: Vec<serde_json::Value> = principals.iter().map(|p| serde_json::json!(p.name)).collect();
    println!("principals: {}", serde_json::Value::from(names));

    // A documented error, matched by its typed body.
    match client.fetch_principal("alice").await {
        Err(Error::Api(response)) => match response.body() {
            FetchPrincipalError::Forbidden(problem) => println!("forbidden: {:?}", problem.detail),
            other => println!("another documented error: {other:?}"),
        },
        Err(err) => println!("failed: {err}"),
        Ok(found) => println!("found: {:?}", found.body()),
    }
    Ok(())
}
"#;

/// Builds once and runs the program against a server in this process; cargo runs offline with
/// this checkout's `Cargo.lock` (the same versions, nothing fetched) into `target/user-program`,
/// which later runs reuse.
#[tokio::test]
async fn a_program_in_its_own_workspace_needs_only_the_client_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let dir = std::env::temp_dir().join(format!("mailapi-user-program-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let client_dir = root.join("generated/stalwart-client");
    std::fs::write(dir.join("Cargo.toml"), PROGRAM_MANIFEST.replace("CLIENT", client_dir.to_str().unwrap())).unwrap();
    std::fs::write(dir.join("src/main.rs"), PROGRAM).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = root.join("target/user-program");

    let api = OnlyFetch::default();
    let base = serve(api.clone()).await;
    let build = {
        let (dir, target) = (dir.clone(), target.clone());
        tokio::task::spawn_blocking(move || build_program(&dir, &target)).await.unwrap()
    };
    let run = match build {
        Ok(()) => {
            let binary = target.join("debug/user-program");
            tokio::task::spawn_blocking(move || run_bounded(Command::new(binary).arg(base), Duration::from_secs(60)))
                .await
                .unwrap()
        }
        Err(err) => Err(err),
    };
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = run.unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        stdout,
        "principals: [\"ann\",\"bob\",\"cy\"]\nforbidden: Some(\"alice may not be read with this token\")\n"
    );
    assert_eq!(*api.request_ids.lock().unwrap(), ["program-1"; 3], "two pages and one fetch, each with the header");
}

/// `cargo build` of the program, bounded at 15 minutes (a cold target directory builds reqwest,
/// rustls and tokio; later runs take seconds).
fn build_program(dir: &Path, target: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    run_bounded(&mut cmd, Duration::from_secs(15 * 60)).map(drop)
}

/// Runs `cmd` to its end within `limit` (killing it otherwise); its stdout, or what went wrong.
fn run_bounded(cmd: &mut Command, limit: Duration) -> Result<String, String> {
    let mut child =
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let (stdout, stderr) = (read(Box::new(stdout)), read(Box::new(stderr)));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{cmd:?} did not finish within {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    match status.success() {
        true => Ok(stdout),
        false => Err(format!("{cmd:?} failed ({status}):\n{stderr}{stdout}")),
    }
}
