//! The generated servers under hostile clients, on the wire: a generated router served by
//! `serve` on 127.0.0.1 and raw HTTP/1.1 written to a socket, so half-sent requests,
//! lying sizes and slow bytes are possible. Every test is bounded: short timeouts in
//! [`Limits`], and a deadline on every read.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::Method;
use outreach_server::mock::Mock;
use outreach_server::{AuthError, AuthRequest, Authenticator, Limits, Principal};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Longest any read waits: far above the timeouts under test, far below a hung test.
const DEADLINE: Duration = Duration::from_secs(5);

/// The timeouts under test.
const SHORT: Duration = Duration::from_millis(300);

/// By when something bounded by [`SHORT`] must have happened, with room for a loaded machine.
const LATE: Duration = Duration::from_secs(3);

// ---------------------------------------------------------------------------------------------
// The server and raw exchanges

/// What an [`Authenticator`] saw: method, path, operation.
type Seen = Arc<Mutex<Vec<(Method, String, String)>>>;

/// Bearer tokens: `good` passes; `reader` may only GET; `down` finds the identity service
/// down; `busy` is rate-limited. Records what each call saw.
#[derive(Clone, Default)]
struct Gate(Seen);

impl Authenticator for Gate {
    async fn bearer(&self, request: &AuthRequest<'_>, token: &str) -> Result<Principal, AuthError> {
        let seen = (request.method.clone(), request.path().to_owned(), request.operation.to_owned());
        self.0.lock().unwrap().push(seen);
        match token {
            "good" => Ok(Principal::new(request.scheme, "user")),
            "reader" if request.method == Method::GET => Ok(Principal::new(request.scheme, "reader")),
            "reader" => Err(AuthError::Forbidden),
            "down" => Err(AuthError::Unavailable { retry_after: Duration::from_secs(7) }),
            "busy" => Err(AuthError::RateLimited { retry_after: Duration::from_millis(1500) }),
            _ => Err(AuthError::Invalid),
        }
    }
}

/// Serves Outreach's mock with `gate` and `limits` on a loopback port; returns its address.
async fn start(gate: Gate, limits: Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(outreach_server::serve(listener, outreach_server::router(Mock, gate), limits));
    address
}

/// A parsed response.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The status the body states, whichever documented shape it has: an RFC 7807 problem or
    /// Outreach's JSON:API errors document. Panics if there is no such body.
    fn problem_status(&self) -> u16 {
        let body: Value = serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"));
        match self.header("content-type") {
            Some("application/problem+json") => body["status"].as_u64().unwrap() as u16,
            Some("application/vnd.api+json") => body["errors"][0]["status"].as_str().unwrap().parse().unwrap(),
            other => panic!("not a problem: {other:?}: {self:?}"),
        }
    }

    /// Asserts an `application/problem+json` answer of `status`.
    fn assert_problem(&self, status: u16) {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{self:?}");
        assert_eq!(self.problem_status(), status, "{self:?}");
    }
}

fn parse(response: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no response head: {text:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Answer { status, headers, body: body.to_owned() }
}

/// Reads until the server closes the connection; `None` if it answered nothing.
async fn read_until_closed(stream: &mut TcpStream) -> Option<Answer> {
    let mut response = Vec::new();
    let read = tokio::time::timeout(DEADLINE, stream.read_to_end(&mut response)).await;
    // A reset is a close as well; what arrived before it counts.
    let _ = read.unwrap_or_else(|_| panic!("the connection was still open after {DEADLINE:?}"));
    (!response.is_empty()).then(|| parse(&response))
}

/// Sends `request` whole on a new connection and reads the answer until the server closes.
async fn exchange(address: &str, request: &str) -> Answer {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    read_until_closed(&mut stream).await.expect("an answer")
}

/// Writes `bytes` one at a time, `pause` apart, until done or the server closes.
fn trickle(mut stream: tokio::net::tcp::OwnedWriteHalf, bytes: Vec<u8>, pause: Duration) {
    tokio::spawn(async move {
        for byte in bytes {
            if stream.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(pause).await;
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Read timeouts

#[tokio::test]
async fn half_sent_headers_are_closed_within_the_header_timeout() {
    let address = start(Gate::default(), Limits::default().header_read_timeout(SHORT)).await;
    let started = Instant::now();
    let mut connections = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"GET /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\n").await.unwrap();
        connections.push(stream);
    }
    for stream in &mut connections {
        // hyper closes a late head without an answer: there is no request to answer yet.
        assert!(read_until_closed(stream).await.is_none());
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= SHORT && elapsed < LATE, "{elapsed:?}");

    // Bytes that keep arriving do not extend it: the timeout is for the whole head.
    let (mut read, write) = TcpStream::connect(&address).await.unwrap().into_split();
    let started = Instant::now();
    trickle(
        write,
        b"GET /api/v2/mailboxes HTTP/1.1\r\nX-Slow: ".iter().chain(&[b'a'; 200]).copied().collect(),
        SHORT / 10,
    );
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(DEADLINE, read.read_to_end(&mut rest)).await.expect("closed");
    assert!(rest.is_empty() && started.elapsed() < LATE, "{:?}", started.elapsed());
    // An idle keep-alive connection is closed after the same time.
    let started = Instant::now();
    let answer = exchange(&address, "GET /api/v2/nothing HTTP/1.1\r\nHost: test\r\n\r\n").await;
    let elapsed = started.elapsed();
    assert_eq!(answer.status, 404);
    assert!(elapsed >= SHORT && elapsed < LATE, "{elapsed:?}");
}

#[tokio::test]
async fn half_sent_bodies_are_408_problems_within_the_body_timeout() {
    let address = start(Gate::default(), Limits::default().body_read_timeout(SHORT)).await;
    let head = "POST /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer good\r\n\
                Content-Type: application/vnd.api+json\r\nContent-Length: 100\r\n\r\n";

    // Ten bytes of a hundred, then silence.
    let started = Instant::now();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream.write_all(format!("{head}{{\"data\": {{").as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream).await.expect("an answer");
    let elapsed = started.elapsed();
    assert_eq!((answer.status, answer.problem_status()), (408, 408), "{answer:?}");
    assert!(answer.body.contains("not received within 300 ms"), "{answer:?}");
    assert!(elapsed >= SHORT && elapsed < LATE, "{elapsed:?}");

    // A byte at a time: the timeout is for the whole body, not between reads.
    let (mut read, mut write) = TcpStream::connect(&address).await.unwrap().into_split();
    write.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    trickle(write, vec![b' '; 100], SHORT / 30);
    let mut response = Vec::new();
    let _ = tokio::time::timeout(DEADLINE, read.read_to_end(&mut response)).await.expect("closed");
    assert_eq!(parse(&response).status, 408);
    assert!(started.elapsed() < LATE, "{:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Sizes

#[tokio::test]
async fn an_oversize_content_length_is_413_before_the_body_is_read() {
    // The default body timeout (60 s): an answer within the deadline was not waiting for a body.
    let address = start(Gate::default(), Limits::default()).await;
    let request = "POST /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer good\r\n\
                   Content-Type: application/vnd.api+json\r\nContent-Length: 1073741824\r\n\r\n";
    let started = Instant::now();
    let answer = exchange(&address, request).await;
    assert_eq!((answer.status, answer.problem_status()), (413, 413), "{answer:?}");
    assert!(answer.body.contains("1073741824 bytes exceeds the limit of 10485760 bytes"), "{answer:?}");
    assert!(started.elapsed() < LATE, "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_chunked_body_is_counted_as_it_arrives() {
    let address = start(Gate::default(), Limits::default().max_body_bytes(1000)).await;
    let chunk = format!("200\r\n{}\r\n", " ".repeat(0x200));
    let request = format!(
        "POST /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer good\r\n\
         Content-Type: application/vnd.api+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {chunk}{chunk}0\r\n\r\n"
    );
    let answer = exchange(&address, &request).await;
    assert_eq!((answer.status, answer.problem_status()), (413, 413), "{answer:?}");
}

// ---------------------------------------------------------------------------------------------
// Authentication first

#[tokio::test]
async fn an_anonymous_caller_gets_401_before_the_path_or_body_is_looked_at() {
    let address = start(Gate::default(), Limits::default()).await;
    // An invalid id and an invalid body: 400 for a caller with credentials, 401 for the others.
    let request = |authorization: &str| {
        format!(
            "PATCH /api/v2/mailboxes/abc HTTP/1.1\r\nHost: test\r\n{authorization}\
             Content-Type: application/vnd.api+json\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot json!"
        )
    };
    let with_credentials = exchange(&address, &request("Authorization: Bearer good\r\n")).await;
    assert_eq!(with_credentials.status, 400, "{with_credentials:?}");
    for authorization in ["", "Authorization: Bearer stolen\r\n"] {
        let answer = exchange(&address, &request(authorization)).await;
        assert_eq!((answer.status, answer.problem_status()), (401, 401), "{authorization}: {answer:?}");
        assert_eq!(answer.header("www-authenticate"), Some("Bearer"), "{answer:?}");
    }

    // A declared body that never comes: the 401 does not wait for it (the body timeout is 60 s),
    // and a client that asks first is not invited to send it (no `100 Continue` before the 401).
    for expect in ["", "Expect: 100-continue\r\n"] {
        let started = Instant::now();
        let unsent = format!(
            "POST /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\n{expect}\
             Content-Type: application/vnd.api+json\r\nContent-Length: 5000000\r\n\r\n"
        );
        assert_eq!(exchange(&address, &unsent).await.status, 401, "{expect}");
        assert!(started.elapsed() < LATE, "{:?}", started.elapsed());
    }
}

#[tokio::test]
async fn the_authenticators_403_429_and_503_reach_the_wire() {
    let gate = Gate::default();
    let address = start(gate.clone(), Limits::default()).await;
    let request = |method: &str, token: &str| {
        format!(
            "{method} /api/v2/mailboxes/1 HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        )
    };
    // (method, token, status, Retry-After)
    let cases = [
        ("GET", "reader", 200, None),
        ("DELETE", "reader", 403, None),
        ("DELETE", "good", 204, None),
        ("GET", "down", 503, Some("7")),
        ("GET", "busy", 429, Some("2")),
    ];
    for (method, token, status, retry_after) in cases {
        let answer = exchange(&address, &request(method, token)).await;
        assert_eq!(answer.status, status, "{method} {token}: {answer:?}");
        if status >= 400 {
            assert_eq!(answer.problem_status(), status, "{answer:?}");
            assert_eq!(answer.header("www-authenticate"), None, "{answer:?}");
        }
        assert_eq!(answer.header("retry-after"), retry_after, "{method} {token}: {answer:?}");
    }
    let seen = gate.0.lock().unwrap();
    assert_eq!(seen[1], (Method::DELETE, "/api/v2/mailboxes/1".to_owned(), "deleteMailbox".to_owned()));
    assert_eq!(seen.len(), cases.len());
}

// ---------------------------------------------------------------------------------------------
// Problem bodies

#[tokio::test]
async fn framework_answers_are_problems() {
    let address = start(Gate::default(), Limits::default()).await;
    let get = |target: &str, header: &str| {
        format!("GET {target} HTTP/1.1\r\nHost: test\r\n{header}Connection: close\r\n\r\n")
    };
    let long_uri = format!("/api/v2/mailboxes?filter={}", "a".repeat(9 * 1024));
    let long_header = format!("X-Padding: {}\r\n", "a".repeat(17 * 1024));
    // (request, status)
    let cases = [
        (get("/api/v2/nothing", ""), 404),
        (
            "PUT /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
            405,
        ),
        (get(&long_uri, ""), 414),
        (get("/api/v2/mailboxes", &long_header), 431),
    ];
    for (request, status) in cases {
        exchange(&address, &request).await.assert_problem(status);
    }
}

/// What [`outreach_server::serve`] documents it cannot change: hyper answers a head it cannot
/// parse, or one beyond its own limits, before any application code runs, without a body.
#[tokio::test]
async fn hyper_refuses_some_heads_itself_without_a_body() {
    let address = start(Gate::default(), Limits::default()).await;
    let many_headers: String = (0..101).map(|i| format!("X-H{i}: v\r\n")).collect();
    let huge_header = format!("X-Padding: {}\r\n", "a".repeat(65 * 1024));
    let cases = [
        ("GET /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\nno colon here\r\n\r\n".to_owned(), 400),
        (format!("GET /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\n{many_headers}\r\n"), 431),
        (format!("GET /api/v2/mailboxes HTTP/1.1\r\nHost: test\r\n{huge_header}\r\n"), 431),
    ];
    for (request, status) in cases {
        let answer = exchange(&address, &request).await;
        assert_eq!((answer.status, answer.body.as_str()), (status, ""), "{answer:?}");
    }
}
