//! The generated clients on the wire: each test runs one vendor's client against a plain axum
//! server on 127.0.0.1 that answers with canned responses and records what arrived.
//!
//! One test per client feature (status mapping, decoding, parameters, media types, auth,
//! retries, pagination); the data of each case is a line of a table where that is natural.

use std::convert::Infallible;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use mailapi_support::param_encoding::parse_query;
use mailapi_support::{Nullable, Secret};
use serde_json::{Value, json};

/// A response value as the client decodes it: response types have no constructor.
#[track_caller]
fn decoded<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the value fits the type")
}

use hostway_client::{CallOptions, ClientBuilder, Error, RetryPolicy, TransportError};

/// Millisecond backoffs: a retried call costs nothing measurable.
const FAST_RETRY: RetryPolicy =
    RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(20) };

// ---------------------------------------------------------------------------------------------
// The recording test server

/// What the test server saw of one request.
#[derive(Clone, Debug)]
struct Seen {
    method: Method,
    path: String,
    /// The raw (still encoded) query string.
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The query, decoded into pairs in order.
    fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(parse_query).unwrap_or_default()
    }

    fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    chunks: Vec<Bytes>,
    delay: Duration,
}

impl Reply {
    fn status(status: u16) -> Self {
        Self { status, headers: Vec::new(), chunks: Vec::new(), delay: Duration::ZERO }
    }

    fn json(status: u16, body: Value) -> Self {
        Self::body(status, "application/json", body.to_string())
    }

    fn body(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::status(status).header("content-type", content_type).chunk(body)
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Appends a body chunk; the server writes chunks one by one.
    fn chunk(mut self, chunk: impl Into<Bytes>) -> Self {
        self.chunks.push(chunk.into());
        self
    }

    fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Answer = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves on an ephemeral loopback port; `answer` gets each request and its 0-based index.
    async fn start(answer: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer: Arc<Answer> = Arc::new(answer);
        let log = seen.clone();
        let app = Router::new().fallback(move |request: axum::extract::Request| {
            let (log, answer) = (log.clone(), answer.clone());
            async move { respond(request, &log, &*answer).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(axum::serve(listener, app).into_future());
        Self { base, seen }
    }

    /// Answers every request with `reply`.
    async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn hits(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The one request the server got.
    fn only(&self) -> Seen {
        let seen = self.seen();
        assert_eq!(seen.len(), 1, "expected exactly one request, got {seen:#?}");
        seen.into_iter().next().unwrap()
    }
}

async fn respond(request: axum::extract::Request, log: &Mutex<Vec<Seen>>, answer: &Answer) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let seen = Seen {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(seen.clone());
        log.len() - 1
    };
    let reply = answer(&seen, index);
    tokio::time::sleep(reply.delay).await;
    let chunks = stream::iter(reply.chunks.into_iter().map(Ok::<_, Infallible>));
    let mut response = Response::new(Body::from_stream(chunks));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap();
    for (name, value) in reply.headers {
        response.headers_mut().append(name, HeaderValue::from_str(&value).unwrap());
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Clients, configured for tests

fn tuned<C>(builder: ClientBuilder<C>) -> ClientBuilder<C> {
    builder.retry(FAST_RETRY).timeout(Duration::from_secs(5))
}

fn hostway(server: &Server) -> hostway_client::Client {
    let builder = hostway_client::Client::builder(&server.base).basic_auth("admin", "hunter2");
    tuned(builder).build().unwrap()
}

fn stalwart(server: &Server) -> stalwart_client::Client {
    let builder = stalwart_client::Client::builder(&server.base).basic_auth("admin", "hunter2");
    tuned(builder).build().unwrap()
}

fn outreach(server: &Server) -> outreach_client::Client {
    tuned(outreach_client::Client::builder(&server.base).bearer_token("oauth-token-1")).build().unwrap()
}

fn ras(server: &Server) -> parallels_ras_client::Client {
    tuned(parallels_ras_client::Client::builder(&server.base).api_key("AuthToken", "ras-key-1")).build().unwrap()
}

fn onlyoffice(server: &Server) -> onlyoffice_client::Client {
    let builder = onlyoffice_client::Client::builder(&server.base).api_key("AuthorizationToken", "oo-key-1");
    tuned(builder).build().unwrap()
}

/// The documented error of an `Error::Api`, with its status; panics on anything else.
fn api_error<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> (u16, E) {
    match result {
        Err(Error::Api(value)) => (value.status().as_u16(), value.into_inner()),
        other => panic!("expected a documented error, got {other:?}"),
    }
}

fn transport_error<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> TransportError {
    match result {
        Err(Error::Transport(err)) => err,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Statuses and decoding

mod hostway_mailbox {
    pub use hostway_client::types::*;
    pub use hostway_client::{GetMailboxError, PutMailboxError, PutMailboxResponse};
}

async fn put_mailbox(
    reply: Reply,
) -> Result<hostway_mailbox::PutMailboxResponse, Error<hostway_mailbox::PutMailboxError>> {
    let server = Server::always(reply).await;
    let mut body = hostway_mailbox::MailboxPut::new();
    body.quota = Some(10);
    let result = hostway(&server).put_mailbox("acct", "example.com", "john", body).await;
    result.map(|value| value.into_inner())
}

async fn get_mailbox(reply: Reply) -> Result<hostway_mailbox::Mailbox, Error<hostway_mailbox::GetMailboxError>> {
    let server = Server::always(reply).await;
    hostway(&server).get_mailbox("acct", "example.com", "john").await.map(|value| value.into_inner())
}

#[tokio::test]
async fn each_documented_success_status_is_its_own_value() {
    use hostway_mailbox::*;
    assert_eq!(put_mailbox(Reply::status(201)).await.unwrap(), PutMailboxResponse::Created);
    assert_eq!(put_mailbox(Reply::status(204)).await.unwrap(), PutMailboxResponse::NoContent);
    let mailbox = get_mailbox(Reply::json(200, json!({"username": "john", "master": true, "quota": 10, "usage": 3})))
        .await
        .unwrap();
    // Response types are decoded, never built (they have no constructor; see the README).
    let expected: Mailbox = decoded(json!({"username": "john", "master": true, "quota": 10, "usage": 3}));
    assert_eq!(mailbox, expected);
}

#[tokio::test]
async fn each_documented_error_status_is_a_typed_error() {
    use hostway_mailbox::*;
    let detail = |message: &str, code: i32, details: &[(&str, &str)]| {
        let details: serde_json::Map<String, Value> = details.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        json!({"message": message, "code": code, "details": details})
    };
    let cases = [
        (
            Reply::json(400, json!({"computeFault": "Quota must be greater than 0"})),
            (
                400,
                PutMailboxError::BadRequest(ValidationError::ComputeFaultError(decoded(
                    json!({"computeFault": "Quota must be greater than 0"}),
                ))),
            ),
        ),
        (
            Reply::json(
                400,
                json!({"badRequest": {"message": "POST data error", "code": 400, "details": {"quota": "Invalid"}}}),
            ),
            (
                400,
                PutMailboxError::BadRequest(ValidationError::BadRequestError(decoded(
                    json!({"badRequest": detail("POST data error", 400, &[("quota", "Invalid")])}),
                ))),
            ),
        ),
        (Reply::status(401), (401, PutMailboxError::Unauthorized)),
        (
            Reply::json(
                404,
                json!({"itemNotFound": {"message": "Resource not found", "code": 404, "details": {"message": "Domain not found"}}}),
            ),
            (
                404,
                PutMailboxError::NotFound(decoded(
                    json!({"itemNotFound": detail("Resource not found", 404, &[("message", "Domain not found")])}),
                )),
            ),
        ),
        (
            Reply::json(409, json!({"conflict": {"message": "Mailbox already exists", "code": 409}})),
            (
                409,
                PutMailboxError::Conflict(decoded(
                    json!({"conflict": {"message": "Mailbox already exists", "code": 409}}),
                )),
            ),
        ),
    ];
    for (reply, expected) in cases {
        assert_eq!(api_error(put_mailbox(reply.clone()).await), expected, "{reply:?}");
    }
}

#[tokio::test]
async fn undocumented_status_keeps_status_headers_and_raw_body() {
    let reply = Reply::body(418, "text/plain", "short and stout").header("x-trace-id", "t-1");
    match get_mailbox(reply).await {
        Err(Error::UnexpectedStatus { status, headers, body }) => {
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(headers["x-trace-id"], "t-1");
            assert_eq!(body, "short and stout");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bodies_that_do_not_decode_keep_the_raw_body_and_serde_message() {
    let cases = [
        (200, r#"{"username": "#, "EOF while parsing"),
        (200, r#"{"quota": "ten"}"#, r#"invalid type: string "ten", expected i32"#),
        (404, "<html>gone</html>", "expected value at line 1 column 1"),
    ];
    for (status, text, message_part) in cases {
        let reply = Reply::body(status, "application/json", text);
        match get_mailbox(reply).await {
            Err(Error::Decode { status: got, body, message, .. }) => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(body, text);
                assert!(message.contains(message_part), "{message:?} lacks {message_part:?}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn stalwart_error_inside_a_200_is_an_api_error() {
    use stalwart_client::ListPrincipalsError;
    use stalwart_client::types::{ErrorResponse, PrincipalList};

    async fn list(reply: Reply) -> Result<PrincipalList, Error<ListPrincipalsError>> {
        let server = Server::always(reply).await;
        let result = stalwart(&server).list_principals().await;
        result.map(|value| value.into_inner().data)
    }

    let in_body = list(Reply::json(200, json!({"error": "unsupported", "details": "Enterprise feature"}))).await;
    let expected: ErrorResponse = decoded(json!({"error": "unsupported", "details": "Enterprise feature"}));
    assert_eq!(api_error(in_body), (200, ListPrincipalsError::InBody(expected)));

    let jane = json!({"id": 7, "type": "individual", "name": "jane"});
    let ok = list(Reply::json(200, json!({"data": {"items": [jane], "total": 1}}))).await.unwrap();
    let names: Vec<_> = ok.items.unwrap().into_iter().map(|p| p.name.unwrap()).collect();
    assert_eq!((names, ok.total), (vec!["jane".to_owned()], Some(1)));

    let problem = json!({"type": "about:blank", "status": 401, "title": "Unauthorized"});
    let (status, error) = api_error(list(Reply::json(401, problem)).await);
    assert!(matches!(error, ListPrincipalsError::Unauthorized(ref p) if p.status == Some(401)), "{error:?}");
    assert_eq!(status, 401);
}

// ---------------------------------------------------------------------------------------------
// Parameters

#[tokio::test]
async fn path_parameters_are_percent_encoded_into_one_segment() {
    let cases = [
        (["acc 1", "ex/ample.com", "jöhn"], "/accounts/acc%201/email/ex%2Fample.com/usernames/j%C3%B6hn/mailbox"),
        (["100%", "a?b#c", "~x._-"], "/accounts/100%25/email/a%3Fb%23c/usernames/~x._-/mailbox"),
        (["%2E%2E", "...", "é✉"], "/accounts/%252E%252E/email/.../usernames/%C3%A9%E2%9C%89/mailbox"),
    ];
    for ([account, domain, mailbox], path) in cases {
        let server = Server::always(Reply::json(200, json!({}))).await;
        hostway(&server).get_mailbox(account, domain, mailbox).await.unwrap();
        assert_eq!(server.only().path, path);
    }
}

#[tokio::test]
async fn dot_segment_path_parameters_are_refused_before_sending() {
    for value in [".", ".."] {
        let server = Server::always(Reply::json(200, json!({}))).await;
        let err = transport_error(hostway(&server).get_mailbox("acct", value, "john").await);
        assert!(matches!(err, TransportError::InvalidRequest(_)), "{value}: {err:?}");
        assert_eq!(server.hits(), 0, "{value}");
    }
}

/// The query pairs of one `listMailboxes` call, its optional parameters set by `set`.
async fn outreach_list_query(
    set: impl FnOnce(outreach_client::ListMailboxesBuilder<'_>) -> outreach_client::ListMailboxesBuilder<'_>,
) -> Vec<(String, String)> {
    let reply = Reply::body(200, "application/vnd.api+json", r#"{"data": []}"#);
    let server = Server::always(reply).await;
    set(outreach(&server).list_mailboxes()).await.unwrap();
    server.only().query_pairs()
}

#[tokio::test]
async fn outreach_bracket_names_and_comma_joined_arrays() {
    let pairs: Vec<(String, String)> = [
        ("filter[user][id]", "42"),
        ("page[size]", "25"),
        ("sort", "-updatedAt,email"),
        ("fields[mailbox]", "email,userId"),
        ("provideAuthorizationMeta", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sent = outreach_list_query(|call| {
        call.filter_user_id(42)
            .page_size(25)
            .sort(["-updatedAt".to_owned(), "email".to_owned()])
            .fields_mailbox(["email".to_owned(), "userId".to_owned()])
            .provide_authorization_meta(true)
    })
    .await;
    assert_eq!(sent, pairs);
}

#[tokio::test]
async fn form_arrays_without_explode_are_one_comma_joined_pair() {
    // `sort` is `style: form, explode: false`, the only array style the specs use.
    let cases: [(Option<&[&str]>, Option<&str>); 4] = [
        (None, None),
        (Some(&[]), Some("")),
        (Some(&["-updatedAt"]), Some("-updatedAt")),
        (Some(&["a b", "c"]), Some("a b,c")),
    ];
    for (sort, expected) in cases {
        let sorted: Option<Vec<String>> = sort.map(|items| items.iter().map(|s| s.to_string()).collect());
        let pairs = outreach_list_query(|call| match sorted {
            Some(sort) => call.sort(sort),
            None => call,
        })
        .await;
        let sent: Vec<&str> = pairs.iter().filter(|(k, _)| k == "sort").map(|(_, v)| v.as_str()).collect();
        assert_eq!(sent, expected.into_iter().collect::<Vec<_>>(), "{sort:?}");
    }
}

#[tokio::test]
async fn call_option_headers_are_sent_beside_the_operations_own() {
    // No spec declares a header parameter; per-call headers are how callers add them.
    let server = Server::always(Reply::body(200, "application/json; api-version=1.0", "{}")).await;
    let headers = HeaderMap::from_iter([
        (http::HeaderName::from_static("x-request-id"), HeaderValue::from_static("req-7")),
        (http::HeaderName::from_static("prefer"), HeaderValue::from_static("code=200")),
    ]);
    let client = ras(&server).with_options(CallOptions { headers, ..CallOptions::default() });
    client.get_mailbox_settings().await.unwrap();
    let seen = server.only();
    assert_eq!(seen.header("x-request-id"), Some("req-7"));
    assert_eq!(seen.header("prefer"), Some("code=200"));
    assert_eq!(seen.header("accept"), Some("application/json; api-version=1.0"));
    assert_eq!(seen.header("auth_token"), Some("ras-key-1"));
}

// ---------------------------------------------------------------------------------------------
// Media types

#[tokio::test]
async fn parallels_ras_sends_the_versioned_media_type_exactly() {
    use parallels_ras_client::types::{MailboxTls, SetMailboxSettings};

    let server = Server::start(|seen, _| match seen.method {
        Method::GET => Reply::body(
            200,
            "application/json; api-version=1.0",
            r#"{"useTLS": 2, "smtpServer": "mail.example.com:25"}"#,
        ),
        _ => Reply::status(204),
    })
    .await;
    let client = ras(&server);
    let settings = client.get_mailbox_settings().await.unwrap().into_inner();
    assert_eq!(settings.use_tls, Some(MailboxTls::YesIfAvailable));
    assert_eq!(settings.smtp_server, Nullable::Present("mail.example.com:25".into()));

    let mut update = SetMailboxSettings::new();
    update.smtp_server = Nullable::Present("mail.example.com:587".into());
    update.username = Nullable::Null;
    update.password = Nullable::Present(Secret::new("s3cret".into()));
    update.use_tls = Some(MailboxTls::YesTls12IfAvailable);
    client.update_mailbox_settings(update).await.unwrap();

    let [get, put] = <[Seen; 2]>::try_from(server.seen()).unwrap();
    assert_eq!(get.header("accept"), Some("application/json; api-version=1.0"));
    assert_eq!(put.header("content-type"), Some("application/json; api-version=1.0"));
    let body: Value = serde_json::from_slice(&put.body).unwrap();
    assert_eq!(
        body,
        json!({"smtpServer": "mail.example.com:587", "username": null, "password": "s3cret", "useTLS": 3})
    );
}

#[tokio::test]
async fn outreach_speaks_json_api_media_type_both_ways() {
    use outreach_client::types::*;

    let reply = Reply::body(
        201,
        "application/vnd.api+json",
        json!({"data": {"type": "mailbox", "id": 7, "attributes": {"email": "a@example.com"}}}).to_string(),
    );
    let server = Server::always(reply).await;
    let mut attributes = MailboxAttributes::new();
    attributes.email = Nullable::Present("a@example.com".into());
    let mut resource = MailboxCreateResource::new(MailboxType::Mailbox);
    resource.attributes = Some(attributes);
    let created = outreach(&server).create_mailbox(MailboxCreateDocument::new(resource)).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.data.id, Some(7));

    let seen = server.only();
    assert_eq!((&seen.method, seen.path.as_str()), (&Method::POST, "/mailboxes"));
    assert_eq!(seen.header("content-type"), Some("application/vnd.api+json"));
    assert_eq!(seen.header("accept"), Some("application/vnd.api+json"));
    let body: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(body, json!({"data": {"type": "mailbox", "attributes": {"email": "a@example.com"}}}));
}

#[tokio::test]
async fn json_and_xml_of_one_operation_are_two_methods_chosen_by_accept() {
    let server = Server::start(|seen, _| match seen.header("accept") {
        Some("text/xml") => Reply::body(200, "text/xml", "<thing><name>a</name></thing>"),
        _ => Reply::json(200, json!({"name": "a", "score": 1})),
    })
    .await;
    let client = edge_cases_client::Client::builder(&server.base).api_key("key", "k").build().unwrap();
    let json = client.get_representation().await.unwrap().into_inner();
    assert_eq!(json.name, "a");
    let xml = client.get_representation_xml().await.unwrap().into_inner();
    assert_eq!(xml, "<thing><name>a</name></thing>");
    let accepts: Vec<_> = server.seen().iter().map(|s| s.header("accept").unwrap().to_owned()).collect();
    assert_eq!(accepts, ["application/json", "text/xml"]);
}

#[tokio::test]
async fn onlyoffice_xml_is_the_xml_path_not_an_accept_choice() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/api/2.0/mailserver/server.xml" => Reply::body(200, "text/xml", "<result><status>0</status></result>"),
        _ => Reply::status(404),
    })
    .await;
    let xml = onlyoffice(&server).get_mail_server_xml().await.unwrap().into_inner();
    assert_eq!(xml, "<result><status>0</status></result>");
    let seen = server.only();
    assert_eq!((seen.path.as_str(), seen.header("accept")), ("/api/2.0/mailserver/server.xml", Some("text/xml")));
}

#[tokio::test]
async fn stalwart_blob_is_streamed_as_bytes() {
    use stalwart_client::FetchBlobByIdError;

    let reply = Reply::status(200)
        .header("content-type", "application/octet-stream")
        .chunk("Received: from x\r\n")
        .chunk(Bytes::from_static(&[0, 159, 146, 150]))
        .chunk("\r\nend");
    let server = Server::always(reply).await;
    let client = stalwart(&server);
    let response = client.fetch_blob_by_id("blob/1 x").limit(16).await.unwrap();
    let chunks: Vec<Bytes> = response.into_inner().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), b"Received: from x\r\n\0\x9f\x92\x96\r\nend");
    let seen = server.only();
    assert_eq!(seen.path, "/store/blobs/blob%2F1%20x");
    assert_eq!(seen.query.as_deref(), Some("limit=16"));
    assert_eq!(seen.header("accept"), Some("application/octet-stream"));

    // An error status of a streaming operation is read whole and typed like any other.
    let server = Server::always(Reply::json(401, json!({"status": 401, "title": "Unauthorized"}))).await;
    let result = stalwart(&server).fetch_blob_by_id("b").await;
    let (status, error) = api_error(result);
    assert!(matches!(error, FetchBlobByIdError::Unauthorized(_)), "{error:?}");
    assert_eq!(status, 401);
}

#[tokio::test]
async fn stalwart_spam_training_sends_the_raw_message() {
    const MESSAGE: &[u8] = b"From: a@example.org\r\nSubject: caf\xe9\r\n\r\nBuy now\r\n";
    let server = Server::always(Reply::json(200, json!({"data": null}))).await;
    let response = stalwart(&server).train_spam_filter_spam(Bytes::from_static(MESSAGE)).await.unwrap();
    assert_eq!(response.into_inner().data, None);
    let seen = server.only();
    assert_eq!((&seen.method, seen.path.as_str()), (&Method::POST, "/spam-filter/train/spam"));
    assert_eq!(seen.header("content-type"), Some("message/rfc822"));
    assert_eq!(seen.body, MESSAGE);
}

fn event_stream(chunks: &[&'static str]) -> Reply {
    chunks
        .iter()
        .fold(Reply::status(200).header("content-type", "text/event-stream"), |reply, chunk| reply.chunk(*chunk))
}

#[tokio::test]
async fn stalwart_live_metrics_arrive_as_typed_events() {
    // Events split across chunks, a comment and an event without data in between; each
    // event's data is an array of metrics, as the server writes it.
    let reply = event_stream(&[
        "event: metrics\ndata: [{\"id\":\"queue.count\",\"type\":\"gauge\",\"value\":1}]\n\n: keep-alive\n\nevent: ping\n\n",
        "event: metrics\ndata: [{\"id\":\"queue.co",
        "unt\",\"type\":\"gauge\",\"value\":2},\n",
        "data: {\"id\":\"delivery.total\",\"type\":\"histogram\",\"count\":5,\"sum\":900}]\n\n",
    ]);
    let server = Server::always(reply).await;
    let response = stalwart(&server).live_metrics().metrics("queue.count").interval(30).token("tok-9").await.unwrap();
    let events: Vec<Value> =
        response.into_inner().map(|event| serde_json::to_value(event.unwrap()).unwrap()).collect().await;
    assert_eq!(
        events,
        [
            json!([{"id": "queue.count", "type": "gauge", "value": 1}]),
            json!([
                {"id": "queue.count", "type": "gauge", "value": 2},
                {"id": "delivery.total", "type": "histogram", "count": 5, "sum": 900}
            ])
        ]
    );
    let seen = server.only();
    assert_eq!(seen.header("accept"), Some("text/event-stream"));
    assert_eq!(seen.query_param("token").as_deref(), Some("tok-9"));
    assert_eq!(seen.query_param("interval").as_deref(), Some("30"));
}

#[tokio::test]
async fn stalwart_live_tracing_arrives_as_typed_events() {
    use stalwart_client::types::{LivePing, LiveTracingEvent};

    // A batch of events per `trace` event, and a `ping` keep-alive, as the server writes them.
    let reply = event_stream(&[
        "event: trace\ndata: [{\"type\": \"smtp.connection-start\", \"createdAt\": \"2025-01-05T14:33:15Z\",",
        " \"data\": {\"listenerId\": \"smtp\", \"localPort\": 25}}, {\"type\": \"smtp.ehlo\", \"text\": \"EHLO\"}]\n\n",
        "event: ping\ndata: {\"interval\": 30000}\n\n",
    ]);
    let server = Server::always(reply).await;
    let response = stalwart(&server).start_live_tracing().filter("smtp").await.unwrap();
    let batches: Vec<_> = response.into_inner().try_collect().await.unwrap();
    let [LiveTracingEvent::TraceEventList(events), LiveTracingEvent::LivePing(ping)] = &batches[..] else {
        panic!("{batches:?}")
    };
    assert_eq!(ping, &decoded::<LivePing>(json!({"interval": 30000})));
    let types: Vec<_> = events.iter().map(|e| e.type_.as_deref().unwrap()).collect();
    assert_eq!(types, ["smtp.connection-start", "smtp.ehlo"]);
    assert_eq!(events[0].created_at.unwrap().to_rfc3339(), "2025-01-05T14:33:15+00:00");
    let data = events[0].data.as_ref().unwrap();
    assert_eq!((data.listener_id.as_deref(), data.local_port), (Some("smtp"), Some(25)));
    assert_eq!(events[1].text.as_deref(), Some("EHLO"));
}

// ---------------------------------------------------------------------------------------------
// Authentication

/// The credential headers one call sent: `Authorization` and the RAS key header. The answer
/// does not matter, only what went out.
async fn credentials_sent<F: Future>(call: impl FnOnce(Server) -> F) -> (Option<String>, Option<String>) {
    let server = Server::always(Reply::json(200, json!({}))).await;
    let seen = server.seen.clone();
    call(server).await;
    let seen = seen.lock().unwrap()[0].clone();
    (seen.header("authorization").map(str::to_owned), seen.header("auth_token").map(str::to_owned))
}

#[tokio::test]
async fn each_security_scheme_sends_its_credentials() {
    let some = |s: &str| Some(s.to_owned());
    // base64("admin:hunter2")
    let basic = some("Basic YWRtaW46aHVudGVyMg==");

    let hostway_basic = credentials_sent(|s| async move {
        hostway(&s).get_mailbox("a", "b", "c").await.ok();
    })
    .await;
    assert_eq!(hostway_basic, (basic.clone(), None));

    let stalwart_basic = credentials_sent(|s| async move {
        stalwart(&s).list_principals().await.ok();
    })
    .await;
    assert_eq!(stalwart_basic, (basic, None));

    let stalwart_bearer = credentials_sent(|s| async move {
        let client = tuned(stalwart_client::Client::builder(&s.base).bearer_token("jwt-1")).build().unwrap();
        client.list_principals().await.ok();
    })
    .await;
    assert_eq!(stalwart_bearer, (some("Bearer jwt-1"), None));

    let ras_key = credentials_sent(|s| async move {
        ras(&s).get_mailbox_settings().await.ok();
    })
    .await;
    assert_eq!(ras_key, (None, some("ras-key-1")));

    let onlyoffice_key = credentials_sent(|s| async move {
        onlyoffice(&s).get_mail_server().await.ok();
    })
    .await;
    assert_eq!(onlyoffice_key, (some("oo-key-1"), None));

    let outreach_oauth = credentials_sent(|s| async move {
        outreach(&s).delete_mailbox(1).await.ok();
    })
    .await;
    assert_eq!(outreach_oauth, (some("Bearer oauth-token-1"), None));

    // Without credentials the request goes out bare and the server's 401 is the answer.
    let anonymous = credentials_sent(|s| async move {
        hostway_client::Client::new(&s.base).unwrap().get_mailbox("a", "b", "c").await.ok();
    })
    .await;
    assert_eq!(anonymous, (None, None));
}

#[tokio::test]
async fn credentials_never_appear_in_debug_output() {
    const SECRETS: [&str; 4] = ["hunter2", "YWRtaW46aHVudGVyMg", "oauth-token-1", "ras-key-1"];
    let check = |what: &str, debug: String| {
        for secret in SECRETS {
            assert!(!debug.contains(secret), "{what} shows {secret}: {debug}");
        }
    };

    let server = Server::always(Reply::json(401, json!({"status": 401}))).await;
    check("hostway client", format!("{:?}", hostway(&server)));
    check("stalwart client", format!("{:?}", stalwart(&server)));
    check("outreach client", format!("{:?}", outreach(&server)));
    check("ras client", format!("{:?}", ras(&server)));
    check("api error", format!("{:?}", stalwart(&server).list_principals().await));
    check("ras api error", format!("{:?}", ras(&server).get_mailbox_settings().await));

    // Transport errors: nothing listens on a port just released.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = ras(&Server { base: closed, seen: Arc::default() });
    let none = CallOptions { retry: Some(RetryPolicy::none()), ..CallOptions::default() };
    let result = client.with_options(none).get_mailbox_settings().await;
    assert!(matches!(result, Err(Error::Transport(TransportError::Connect(_)))), "{result:?}");
    check("connect error", format!("{result:?} {}", result.as_ref().unwrap_err()));
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts

/// A server failing with `status` (and `Retry-After`) twice, then answering `ok`.
async fn flaky(status: u16, retry_after: Option<&'static str>, ok: Reply) -> Server {
    Server::start(move |_, index| match (index, retry_after) {
        (0 | 1, Some(after)) => Reply::status(status).header("retry-after", after),
        (0 | 1, None) => Reply::status(status),
        _ => ok.clone(),
    })
    .await
}

type Outcome = (Option<u16>, usize);
type Call = fn(Server) -> std::pin::Pin<Box<dyn Future<Output = Outcome>>>;

/// The error status of a call (`None` on success) and how many attempts the server saw.
fn outcome<T, E>(server: &Server, result: Result<T, Error<E>>) -> Outcome {
    (result.err().and_then(|e| e.status()).map(|s| s.as_u16()), server.hits())
}

#[tokio::test]
async fn idempotent_calls_retry_transient_statuses_and_others_do_not() {
    let get: Call = |s| Box::pin(async move { outcome(&s, hostway(&s).get_mailbox("a", "b", "c").await) });
    let put: Call = |s| {
        Box::pin(async move {
            let body = hostway_client::types::MailboxPut::new();
            outcome(&s, hostway(&s).put_mailbox("a", "b", "c", body).await)
        })
    };
    let post: Call =
        |s| Box::pin(async move { outcome(&s, stalwart(&s).train_spam_filter_ham(Bytes::from_static(b"x")).await) });
    let get_without_retries: Call = |s| {
        Box::pin(async move {
            let none = CallOptions { retry: Some(RetryPolicy::none()), ..CallOptions::default() };
            outcome(&s, hostway(&s).with_options(none).get_mailbox("a", "b", "c").await)
        })
    };
    let json_ok = || Reply::json(200, json!({}));
    // (failing status, Retry-After, call, answer after two failures, expected outcome)
    let cases: [(u16, Option<&str>, Call, Reply, Outcome); 7] = [
        (503, Some("0"), get, json_ok(), (None, 3)),
        (503, None, get, json_ok(), (None, 3)),
        (429, Some("0"), put, Reply::status(204), (None, 3)),
        // Retry-After beyond max_backoff: the response is returned rather than slept on.
        (503, Some("120"), get, json_ok(), (Some(503), 1)),
        (503, Some("0"), post, json_ok(), (Some(503), 1)),
        (503, Some("0"), get_without_retries, json_ok(), (Some(503), 1)),
        (501, None, get, json_ok(), (Some(501), 1)),
    ];
    for (i, (status, retry_after, call, ok, expected)) in cases.into_iter().enumerate() {
        let server = flaky(status, retry_after, ok).await;
        assert_eq!(call(server).await, expected, "case {i}: {status} {retry_after:?}");
    }
}

#[tokio::test]
async fn a_slow_response_is_a_timeout() {
    let server = Server::always(Reply::json(200, json!({})).after(Duration::from_millis(100))).await;
    let options = CallOptions {
        timeout: Some(Duration::from_millis(20)),
        retry: Some(RetryPolicy::none()),
        ..CallOptions::default()
    };
    let result = hostway(&server).with_options(options).get_mailbox("a", "b", "c").await;
    assert!(matches!(transport_error(result), TransportError::Timeout));
    assert_eq!(server.hits(), 1);
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[tokio::test]
async fn stalwart_pages_by_page_and_limit_until_total() {
    let names = ["a", "b", "c", "d", "e"];
    let server = Server::start(move |seen, _| {
        let page: usize = seen.query_param("page").unwrap().parse().unwrap();
        let limit: usize = seen.query_param("limit").unwrap().parse().unwrap();
        let items: Vec<_> = names.iter().skip((page - 1) * limit).take(limit).collect();
        let items: Vec<_> = items.iter().map(|name| json!({"id": 1, "type": "individual", "name": name})).collect();
        Reply::json(200, json!({"data": {"items": items, "total": names.len()}}))
    })
    .await;
    let client = stalwart(&server);
    // The stream owns its parameters: a temporary (`String::from`) may end before it does.
    let stream = client.list_principals().limit(2).types(String::from("individual")).into_stream();
    let items: Vec<stalwart_client::types::Principal> = stream.try_collect().await.unwrap();
    let listed: Vec<_> = items.into_iter().map(|p| p.name.unwrap()).collect();
    assert_eq!(listed, names);
    let pages: Vec<_> = server
        .seen()
        .iter()
        .map(|s| (s.query_param("page").unwrap(), s.query_param("limit").unwrap(), s.query_param("types").unwrap()))
        .collect();
    let expected: Vec<_> = ["1", "2", "3"].map(|p| (p.to_owned(), "2".to_owned(), "individual".to_owned())).into();
    assert_eq!(pages, expected);
}

#[tokio::test]
async fn hostway_pages_by_page_and_page_size_until_total_count() {
    let addresses = ["a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test"];
    let server = Server::start(move |seen, _| {
        let page: usize = seen.query_param("page").unwrap().parse().unwrap();
        let size: usize = seen.query_param("pageSize").unwrap().parse().unwrap();
        let list: Vec<_> =
            addresses.iter().skip((page - 1) * size).take(size).map(|a| json!({"type": "W", "address": a})).collect();
        Reply::json(200, json!({"totalCount": addresses.len(), "list": list}))
    })
    .await;
    let client = hostway(&server);
    let stream = client.list_domain_blackwhitelist("acct", format!("{}.test", "x")).page_size(2).into_stream();
    let entries: Vec<_> = stream.map_ok(|entry| entry.address).try_collect().await.unwrap();
    assert_eq!(entries, addresses);
    let pages: Vec<_> = server.seen().iter().map(|s| s.query_param("page").unwrap()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
}

/// An Outreach collection page of mailboxes `ids` with an optional `links.next`.
fn outreach_page(ids: &[i64], next: Option<String>) -> Reply {
    let data: Vec<_> = ids.iter().map(|id| json!({"type": "mailbox", "id": id})).collect();
    let links = next.map_or(json!({}), |next| json!({"next": next}));
    Reply::body(200, "application/vnd.api+json", json!({"data": data, "links": links}).to_string())
}

#[tokio::test]
async fn outreach_follows_next_links_on_the_same_origin() {
    let base = Arc::new(Mutex::new(String::new()));
    let origin = base.clone();
    let server = Server::start(move |seen, _| match seen.query_param("page[after]").as_deref() {
        None => outreach_page(
            &[1, 2],
            Some(format!("{}/mailboxes?page%5Bafter%5D=2&page%5Bsize%5D=2", origin.lock().unwrap())),
        ),
        Some("2") => outreach_page(&[3, 4], Some("/mailboxes?page%5Bafter%5D=4&page%5Bsize%5D=2".into())),
        _ => outreach_page(&[5], None),
    })
    .await;
    *base.lock().unwrap() = server.base.clone();
    let client = outreach(&server);
    let ids: Vec<_> =
        client.list_mailboxes().page_size(2).into_stream().map_ok(|m| m.id.unwrap()).try_collect().await.unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let seen = server.seen();
    let afters: Vec<_> = seen.iter().map(|s| s.query_param("page[after]")).collect();
    assert_eq!(afters, [None, Some("2".into()), Some("4".into())]);
    for s in &seen {
        assert_eq!(s.header("authorization"), Some("Bearer oauth-token-1"));
        assert_eq!(s.header("accept"), Some("application/vnd.api+json"));
    }
}

#[tokio::test]
async fn outreach_refuses_a_next_link_to_another_origin() {
    let server = Server::always(outreach_page(&[1], Some("http://192.0.2.1:9/mailboxes?page=2".into()))).await;
    let client = outreach(&server);
    let results: Vec<_> = client.list_mailboxes().into_stream().collect().await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, Some(1));
    let err = transport_error(results.into_iter().nth(1).unwrap());
    assert!(matches!(err, TransportError::InvalidRequest(ref why) if why.contains("origin")), "{err:?}");
    assert_eq!(server.hits(), 1);
}
