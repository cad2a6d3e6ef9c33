//! Requests per second of a generated route against a hand-written axum handler doing the same
//! work, measured in the same run on loopback (`cargo xtask bench` builds this in release and runs
//! it; it also runs alone: `cargo run --release -p server-throughput -- --help`).
//!
//! The operation is Outreach's `updateMailbox`, `PATCH /api/v2/mailboxes/{id}`: bearer
//! authentication, an integer path parameter and a JSON:API body that is parsed and validated,
//! answered with a JSON document. Both servers share one function for the operation's own work
//! ([`updated`]) and the generated body types and their validator, so the difference between
//! them is what each layer around that work costs:
//!
//! - generated: `outreach_server::router` with an [`outreach_server::Api`] whose `update_mailbox`
//!   calls [`updated`] (the other operations answer with the generated mock), and an
//!   [`Authenticator`] that accepts one bearer token;
//! - hand-written: one axum route with `Path`, `HeaderMap` and `Bytes` extractors, the same
//!   token comparison, content-type check, `serde_json` parse, validation and `serde_json`
//!   response.
//!
//! Load: `--connections` keep-alive HTTP/1.1 connections from a single-threaded tokio client send
//! `--requests` requests per round, one at a time per connection; the servers run on their own
//! single-threaded runtime in another thread. Rounds alternate which server goes first. Every
//! run is bounded: a fixed number of requests, a per-request timeout, and a deadline after which
//! no new round starts. Progress goes to stderr; the result is one JSON object on stdout.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use mailapi_support::server::{Validate, Violations};
use outreach_server::mock::Mock;
use outreach_server::types::{Mailbox, MailboxDocument, MailboxUpdateDocument};
use outreach_server::{
    Api, AuthError, AuthRequest, Authenticator, CreateMailboxRequest, CreateMailboxResponse, DeleteMailboxRequest,
    DeleteMailboxResponse, GetMailboxRequest, GetMailboxResponse, ListMailboxesRequest, ListMailboxesResponse,
    Principal, Problem, TestSendMailboxRequest, TestSendMailboxResponse, TestSyncMailboxRequest,
    TestSyncMailboxResponse, UpdateMailboxRequest, UpdateMailboxResponse,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "bench-token";
const MEDIA: &str = "application/vnd.api+json";
const MAILBOX_ID: i64 = 42;

/// The operation's own work, shared by both servers: the mailbox after the update.
fn updated(id: i64, update: MailboxUpdateDocument) -> Result<MailboxDocument, &'static str> {
    if update.data.id != id {
        return Err("the id in the body does not match the path");
    }
    Ok(MailboxDocument {
        data: Mailbox {
            type_: update.data.type_,
            id: Some(id),
            attributes: update.data.attributes,
            relationships: update.data.relationships,
            links: None,
            meta: None,
        },
    })
}

// ---- generated ----

struct Bench;

impl Api for Bench {
    async fn update_mailbox(&self, request: UpdateMailboxRequest) -> Result<UpdateMailboxResponse, Problem> {
        match updated(request.id, request.body) {
            Ok(document) => Ok(UpdateMailboxResponse::Ok(document)),
            Err(detail) => Err(Problem::bad_request(detail)),
        }
    }

    async fn list_mailboxes(&self, request: ListMailboxesRequest) -> Result<ListMailboxesResponse, Problem> {
        Mock.list_mailboxes(request).await
    }

    async fn create_mailbox(&self, request: CreateMailboxRequest) -> Result<CreateMailboxResponse, Problem> {
        Mock.create_mailbox(request).await
    }

    async fn get_mailbox(&self, request: GetMailboxRequest) -> Result<GetMailboxResponse, Problem> {
        Mock.get_mailbox(request).await
    }

    async fn delete_mailbox(&self, request: DeleteMailboxRequest) -> Result<DeleteMailboxResponse, Problem> {
        Mock.delete_mailbox(request).await
    }

    async fn test_send_mailbox(&self, request: TestSendMailboxRequest) -> Result<TestSendMailboxResponse, Problem> {
        Mock.test_send_mailbox(request).await
    }

    async fn test_sync_mailbox(&self, request: TestSyncMailboxRequest) -> Result<TestSyncMailboxResponse, Problem> {
        Mock.test_sync_mailbox(request).await
    }
}

struct OneToken;

impl Authenticator for OneToken {
    async fn bearer(&self, request: &AuthRequest<'_>, token: &str) -> Result<Principal, AuthError> {
        match token == TOKEN {
            true => Ok(Principal::new(request.scheme, "bench")),
            false => Err(AuthError::Invalid),
        }
    }
}

fn generated() -> Router {
    outreach_server::router(Bench, OneToken)
}

// ---- hand-written ----

fn handwritten() -> Router {
    Router::new().route("/api/v2/mailboxes/{id}", axum::routing::patch(update_mailbox))
}

async fn update_mailbox(Path(id): Path<i64>, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(_principal) = token.filter(|t| *t == TOKEN).map(|_| Principal::new("OAuth2", "bench")) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let media = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next());
    if media.map(str::trim) != Some(MEDIA) {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let update: MailboxUpdateDocument = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
    };
    let mut violations = Violations::default();
    update.validate("", &mut violations);
    if let Err(problem) = violations.into_result() {
        return problem.into_response();
    }
    match updated(id, update) {
        Ok(document) => match serde_json::to_vec(&document) {
            Ok(json) => ([(CONTENT_TYPE, HeaderValue::from_static(MEDIA))], json).into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(detail) => (StatusCode::BAD_REQUEST, detail).into_response(),
    }
}

// ---- load ----

/// The documented request example of `updateMailbox` (specs/outreach.yaml), for mailbox 42.
const BODY: &str = r#"{"data":{"type":"mailbox","id":42,"relationships":{},"attributes":{"authId":0,"email":"string","emailProvider":"string","emailSignature":"string","ewsEndpoint":"string","ewsSslVerifyMode":0,"exchangeVersion":"Exchange2013","imapHost":"string","imapPort":0,"imapSsl":true,"maxEmailsPerDay":0,"maxMailingsPerDay":0,"maxMailingsPerWeek":0,"optOutMessage":"string","optOutSignature":"string","password":"string","prospectEmailExclusions":"string","providerId":0,"providerType":"string","sendDisabled":true,"sendMaxRetries":0,"sendMethod":"smtp","sendPeriod":0,"sendRequiresSync":true,"sendThreshold":0,"sendgridApiKey":"string","smtpHost":"string","smtpPassword":"string","smtpPort":0,"smtpSsl":true,"smtpUsername":"string","syncActiveFrequency":0,"syncDisabled":true,"syncMethod":"imap","syncOutreachFolder":true,"syncPassiveFrequency":0,"userId":0,"username":"string","validateSend":true,"validateSync":true}}}"#;

const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

struct Options {
    requests: usize,
    connections: usize,
    rounds: usize,
    deadline: Duration,
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&options) {
        eprintln!("server-throughput: {e}");
        std::process::exit(1);
    }
}

fn parse_args() -> Result<Options, String> {
    const USAGE: &str = "usage: server-throughput [--requests N] [--connections C] [--rounds R] [--deadline-secs S]";
    let mut options = Options { requests: 20_000, connections: 4, rounds: 10, deadline: Duration::from_secs(120) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok()).filter(|v| *v > 0).ok_or(USAGE)?;
        match flag.as_str() {
            "--requests" => options.requests = value as usize,
            "--connections" => options.connections = value as usize,
            "--rounds" => options.rounds = value as usize,
            "--deadline-secs" => options.deadline = Duration::from_secs(value),
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

fn run(options: &Options) -> Result<(), String> {
    let (ready, addrs) = std::sync::mpsc::channel();
    // The servers: one single-threaded runtime in its own thread; it ends with the process.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
        runtime.block_on(async move {
            let generated_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let handwritten_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let local = |l: &TcpListener| l.local_addr().expect("local address");
            let _ = ready.send((local(&generated_listener), local(&handwritten_listener)));
            let a = axum::serve(generated_listener, generated());
            let b = axum::serve(handwritten_listener, handwritten());
            let _ = tokio::join!(a, b);
        });
    });
    let (generated_addr, handwritten_addr) =
        addrs.recv_timeout(REQUEST_TIMEOUT).map_err(|e| format!("servers did not start: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        // Both answer the same bytes, or the comparison is meaningless.
        let a = one(generated_addr).await?;
        let b = one(handwritten_addr).await?;
        if a != b {
            return Err(format!(
                "the servers answer differently:\n generated:   {}\n hand-written: {}",
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b)
            ));
        }
        let warmup = (options.requests / 10).max(options.connections);
        load(generated_addr, warmup, options.connections).await?;
        load(handwritten_addr, warmup, options.connections).await?;
        let started = Instant::now();
        let mut rounds = Vec::new();
        for round in 0..options.rounds {
            if started.elapsed() > options.deadline {
                eprintln!("server-throughput: deadline reached after {round} round(s)");
                break;
            }
            let (g, h) = if round % 2 == 0 {
                let g = load(generated_addr, options.requests, options.connections).await?;
                (g, load(handwritten_addr, options.requests, options.connections).await?)
            } else {
                let h = load(handwritten_addr, options.requests, options.connections).await?;
                (load(generated_addr, options.requests, options.connections).await?, h)
            };
            eprintln!(
                "server-throughput: round {}/{}: generated {g:.0} req/s, hand-written {h:.0} req/s",
                round + 1,
                options.rounds
            );
            rounds.push((g, h));
        }
        let generated: Vec<f64> = rounds.iter().map(|r| r.0).collect();
        let handwritten: Vec<f64> = rounds.iter().map(|r| r.1).collect();
        let ratios: Vec<f64> = rounds.iter().map(|r| r.0 / r.1).collect();
        let result = serde_json::json!({
            "operation": "outreach updateMailbox: PATCH /api/v2/mailboxes/{id}",
            "requests_per_round": options.requests,
            "connections": options.connections,
            "rounds": rounds.len(),
            "response_bytes": a.len(),
            "generated_rps": generated,
            "handwritten_rps": handwritten,
            "ratios": ratios,
        });
        println!("{result}");
        Ok(())
    })
}

fn request() -> Vec<u8> {
    let head = format!(
        "PATCH /api/v2/mailboxes/{MAILBOX_ID} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {TOKEN}\r\ncontent-type: {MEDIA}\r\naccept: {MEDIA}\r\ncontent-length: {}\r\n\r\n",
        BODY.len()
    );
    [head.as_bytes(), BODY.as_bytes()].concat()
}

/// One request on a new connection; the response body.
async fn one(addr: SocketAddr) -> Result<Vec<u8>, String> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let body = exchange(&mut stream, &request(), &mut buf).await?;
    Ok(buf[body].to_vec())
}

/// `requests` requests over `connections` keep-alive connections; requests per second.
async fn load(addr: SocketAddr, requests: usize, connections: usize) -> Result<f64, String> {
    let request = request();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let n = requests / connections + usize::from(c < requests % connections);
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
            stream.set_nodelay(true).map_err(|e| e.to_string())?;
            let mut buf = Vec::with_capacity(4096);
            for _ in 0..n {
                exchange(&mut stream, &request, &mut buf).await?;
            }
            Ok::<(), String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(requests as f64 / started.elapsed().as_secs_f64())
}

/// Sends `request` and reads one `200` response with a `content-length` body into `buf`;
/// returns where the body is in `buf`.
async fn exchange(stream: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> Result<std::ops::Range<usize>, String> {
    tokio::time::timeout(REQUEST_TIMEOUT, async {
        stream.write_all(request).await.map_err(|e| e.to_string())?;
        buf.clear();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = find(buf, b"\r\n\r\n") {
                let head = std::str::from_utf8(&buf[..end]).map_err(|e| e.to_string())?;
                if !head.starts_with("HTTP/1.1 200") {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    buf.extend_from_slice(&chunk[..n]);
                    return Err(format!("unexpected response: {}", String::from_utf8_lossy(buf)));
                }
                let length = head
                    .lines()
                    .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
                    .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                    .ok_or("response without content-length")?;
                let total = end + 4 + length;
                while buf.len() < total {
                    let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
                    if n == 0 {
                        return Err("connection closed mid-body".into());
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                return Ok(end + 4..total);
            }
            let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed before the response".into());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .map_err(|_| format!("no response within {REQUEST_TIMEOUT:?}"))?
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
