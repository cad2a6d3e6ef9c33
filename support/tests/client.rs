//! The client transport against a real axum server on 127.0.0.1.
#![cfg(all(feature = "client", feature = "server"))]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::routing::{any, get};
use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{Value, json};

use mailapi_support::client::{
    CallOptions, ClientBuilder, Error, EventStream, QueryStyle, Request, ResponseValue, RetryPolicy, Transport,
    TransportError,
};
use mailapi_support::paginate::paginate;
use mailapi_support::server::sse_response;
use mailapi_support::sse::SseEvent;
use mailapi_support::{Scheme, SchemeKind};

const FAST_RETRY: RetryPolicy =
    RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(20) };

type Hits = Arc<AtomicUsize>;

/// Serves `router` on an ephemeral loopback port; returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, router).into_future());
    format!("http://{addr}")
}

fn transport(base: &str) -> Transport {
    ClientBuilder::new(base).retry(FAST_RETRY).timeout(Duration::from_secs(2)).build().unwrap()
}

/// Fails with `status` (and optional Retry-After) until the third hit.
fn flaky(hits: Hits, status: StatusCode, retry_after: Option<&'static str>) -> Router {
    let handler = move |State(hits): State<Hits>| async move {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert("retry-after", value.parse().unwrap());
        }
        match hits.fetch_add(1, Ordering::SeqCst) {
            0 | 1 => (status, headers, "busy"),
            _ => (StatusCode::OK, headers, "done"),
        }
    };
    Router::new().route("/flaky", any(handler)).with_state(hits)
}

async fn call_flaky(status: StatusCode, retry_after: Option<&'static str>, method: Method) -> (StatusCode, usize) {
    let hits = Hits::default();
    let base = serve(flaky(hits.clone(), status, retry_after)).await;
    let raw = transport(&base).execute(Request::new("flaky", method, "/flaky".into())).await.unwrap();
    (raw.status, hits.load(Ordering::SeqCst))
}

#[tokio::test]
async fn idempotent_calls_retry_transient_statuses() {
    for status in [StatusCode::SERVICE_UNAVAILABLE, StatusCode::TOO_MANY_REQUESTS, StatusCode::BAD_GATEWAY] {
        assert_eq!(call_flaky(status, None, Method::GET).await, (StatusCode::OK, 3), "{status}");
    }
    assert_eq!(call_flaky(StatusCode::INTERNAL_SERVER_ERROR, None, Method::PUT).await, (StatusCode::OK, 3));
}

#[tokio::test]
async fn non_idempotent_and_permanent_failures_are_not_retried() {
    let post = call_flaky(StatusCode::SERVICE_UNAVAILABLE, None, Method::POST).await;
    assert_eq!(post, (StatusCode::SERVICE_UNAVAILABLE, 1));
    let not_implemented = call_flaky(StatusCode::NOT_IMPLEMENTED, None, Method::GET).await;
    assert_eq!(not_implemented, (StatusCode::NOT_IMPLEMENTED, 1));
}

#[tokio::test]
async fn retry_after_is_honoured_unless_beyond_max_backoff() {
    let now = call_flaky(StatusCode::TOO_MANY_REQUESTS, Some("0"), Method::GET).await;
    assert_eq!(now, (StatusCode::OK, 3));
    let later = call_flaky(StatusCode::TOO_MANY_REQUESTS, Some("120"), Method::GET).await;
    assert_eq!(later, (StatusCode::TOO_MANY_REQUESTS, 1));
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/down",
            get(|State(hits): State<Hits>| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                StatusCode::SERVICE_UNAVAILABLE
            }),
        )
        .with_state(hits.clone());
    let base = serve(router).await;
    let raw = transport(&base).execute(Request::new("down", Method::GET, "/down".into())).await.unwrap();
    assert_eq!((raw.status, hits.load(Ordering::SeqCst)), (StatusCode::SERVICE_UNAVAILABLE, 3));
}

#[tokio::test]
async fn slow_responses_time_out_and_are_retried() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/slow",
            get(|State(hits): State<Hits>| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(500)).await;
                "late"
            }),
        )
        .with_state(hits.clone());
    let base = serve(router).await;
    let options =
        CallOptions { timeout: Some(Duration::from_millis(50)), retry: Some(FAST_RETRY), ..CallOptions::default() };
    let started = Instant::now();
    let request = Request::new("slow", Method::GET, "/slow".into()).options(options);
    let err = transport(&base).execute(request).await.unwrap_err();
    assert!(matches!(err, TransportError::Timeout), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() < Duration::from_millis(450), "{:?}", started.elapsed());
}

#[tokio::test]
async fn refused_connections_are_connect_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = transport(&base).execute(Request::new("op", Method::GET, "/".into())).await.unwrap_err();
    assert!(matches!(err, TransportError::Connect(_)), "{err:?}");
}

/// Echoes what arrived: path, query, selected headers, body.
async fn echo(uri: Uri, headers: HeaderMap, body: Bytes) -> String {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    json!({
        "path": uri.path(),
        "query": uri.query(),
        "authorization": header("authorization"),
        "x-api-key": header("x-api-key"),
        "content-type": header("content-type"),
        "accept": header("accept"),
        "user-agent": header("user-agent"),
        "x-trace": header("x-trace"),
        "body": String::from_utf8(body.to_vec()).unwrap(),
    })
    .to_string()
}

static BEARER: Scheme = Scheme { name: "oauth", kind: SchemeKind::Bearer };
static KEY: Scheme = Scheme { name: "key", kind: SchemeKind::ApiKeyQuery("api_key") };
static HEADER_KEY: Scheme = Scheme { name: "hkey", kind: SchemeKind::ApiKeyHeader("X-Api-Key") };
static SECURITY: &[&[Scheme]] = &[&[HEADER_KEY], &[BEARER, KEY], &[]];

async fn echo_call(builder: impl FnOnce(&str) -> ClientBuilder, request: Request) -> Value {
    let base = serve(Router::new().fallback(echo)).await;
    let transport = builder(&format!("{base}/api/")).build().unwrap();
    let raw = transport.execute(request).await.unwrap();
    raw.json::<Value, ()>().unwrap().into_inner()
}

#[tokio::test]
async fn requests_carry_path_query_headers_body_and_credentials() {
    let request = Request::new("send", Method::POST, "/messages/a%2Fb".into())
        .query("q", "a b&c")
        .query_form("tag", &["x".into(), "y".into()], false)
        .query_param("limit", &Some(5))
        .query_param("skip", &None::<u8>)
        .query_styled("f", &json!({ "from": "me" }), QueryStyle::DeepObject, true)
        .header_param("X-Trace", &Some("t1"))
        .json_body(&json!({ "subject": "hi" }), "application/json; api-version=1.0")
        .accept("application/vnd.api+json")
        .security(SECURITY);
    let builder = |base: &str| ClientBuilder::new(base).bearer_token("tok").api_key("key", "k/1").user_agent("ua/1");
    let seen = echo_call(builder, request).await;
    assert_eq!(seen["path"], "/api/messages/a%2Fb");
    assert_eq!(seen["query"], "q=a+b%26c&tag=x%2Cy&limit=5&f%5Bfrom%5D=me&api_key=k%2F1");
    assert_eq!(seen["authorization"], "Bearer tok");
    assert_eq!(seen["x-api-key"], Value::Null);
    assert_eq!(seen["content-type"], "application/json; api-version=1.0");
    assert_eq!(seen["accept"], "application/vnd.api+json");
    assert_eq!(seen["user-agent"], "ua/1");
    assert_eq!(seen["x-trace"], "t1");
    assert_eq!(seen["body"], r#"{"subject":"hi"}"#);
}

#[tokio::test]
async fn first_satisfiable_alternative_wins_and_anonymous_is_the_fallback() {
    let request = || Request::new("get", Method::GET, "/m".into()).security(SECURITY);
    let with_header_key = |base: &str| ClientBuilder::new(base).api_key("hkey", "hk").bearer_token("tok");
    let seen = echo_call(with_header_key, request()).await;
    assert_eq!((seen["x-api-key"].as_str(), seen["authorization"].as_str()), (Some("hk"), None));

    let seen = echo_call(ClientBuilder::new, request()).await;
    assert_eq!((seen["x-api-key"].as_str(), seen["authorization"].as_str()), (None, None));
}

#[tokio::test]
async fn typed_errors_keep_status_and_body() {
    let router = Router::new().route("/missing", get(|| async { (StatusCode::NOT_FOUND, r#"{"code":"nope"}"#) }));
    let base = serve(router).await;
    let raw = transport(&base).execute(Request::new("get", Method::GET, "/missing".into())).await.unwrap();
    let result: Result<(), Error<Value>> = match raw.status.as_u16() {
        404 => Err(Error::api_json(raw)),
        _ => Err(Error::unexpected(raw)),
    };
    let Err(Error::Api(value)) = result else { panic!("{result:?}") };
    assert_eq!((value.status(), value.into_inner()), (StatusCode::NOT_FOUND, json!({ "code": "nope" })));
}

#[tokio::test]
async fn server_sent_events_stream_end_to_end() {
    let router = Router::new().route(
        "/events",
        get(|| async {
            let events = (1..=3).map(|n| SseEvent::json(&json!({ "n": n })).unwrap().with_id(n.to_string()));
            sse_response(stream::iter(events))
        }),
    );
    let base = serve(router).await;
    let request = Request::new("events", Method::GET, "/events".into()).accept("text/event-stream");
    let response = transport(&base).execute_streaming(request).await.unwrap();
    let events = ResponseValue::<EventStream<Value>>::events(response);
    assert_eq!(events.status(), StatusCode::OK);
    let numbers: Vec<Value> = events.into_inner().try_collect().await.unwrap();
    assert_eq!(numbers, [json!({ "n": 1 }), json!({ "n": 2 }), json!({ "n": 3 })]);
}

#[tokio::test]
async fn pagination_follows_same_origin_links_only() {
    async fn page(uri: Uri, headers: HeaderMap) -> String {
        let page: u32 = uri.query().and_then(|q| q.strip_prefix("page=")).map_or(1, |n| n.parse().unwrap());
        let host = headers["host"].to_str().unwrap();
        let next = (page < 3).then(|| format!("http://{host}/api/items?page={}", page + 1));
        json!({ "items": [page * 10, page * 10 + 1], "links": { "next": next } }).to_string()
    }
    let base = serve(Router::new().route("/api/items", get(page))).await;
    let transport = transport(&format!("{base}/api"));

    let fetch = |link: Option<String>| {
        let transport = transport.clone();
        async move {
            let request = match link {
                None => Request::new("list", Method::GET, "/items".into()),
                Some(url) => Request::from_link("list", Method::GET, url),
            };
            let raw = transport.execute(request).await?;
            let page: Value = raw.json::<Value, ()>()?.into_inner();
            let items: Vec<u32> = serde_json::from_value(page["items"].clone()).unwrap();
            let next = page["links"]["next"].as_str().map(|url| Some(url.to_owned()));
            Ok::<_, Error>((items, next))
        }
    };
    let items: Vec<u32> = paginate(None, fetch).try_collect().await.unwrap();
    assert_eq!(items, [10, 11, 20, 21, 30, 31]);

    let foreign = Request::from_link("list", Method::GET, "http://example.invalid/api/items");
    let err = transport.execute(foreign).await.unwrap_err();
    assert!(matches!(err, TransportError::InvalidRequest(_)), "{err:?}");
}

/// Serves a body in `chunks` parts, `gap` apart, with `status`.
fn trickle(status: StatusCode, chunks: usize, gap: Duration) -> Router {
    Router::new().route(
        "/trickle",
        get(move || async move {
            let parts = stream::iter(0..chunks).then(move |n| async move {
                tokio::time::sleep(gap).await;
                Ok::<_, std::convert::Infallible>(Bytes::from(n.to_string()))
            });
            (status, axum::body::Body::from_stream(parts))
        }),
    )
}

fn trickle_call(timeout_ms: u64) -> Request {
    let options =
        CallOptions { timeout: Some(Duration::from_millis(timeout_ms)), retry: None, ..CallOptions::default() };
    Request::new("download", Method::GET, "/trickle".into()).options(options)
}

#[tokio::test]
async fn a_stream_may_outlast_the_timeout_while_chunks_keep_coming() {
    let base = serve(trickle(StatusCode::OK, 3, Duration::from_millis(40))).await;
    let response = transport(&base).execute_streaming(trickle_call(60)).await.unwrap();
    let chunks: Vec<Bytes> = ResponseValue::streaming_bytes(response).into_inner().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), b"012");
}

#[tokio::test]
async fn a_stream_that_stalls_for_the_timeout_ends_with_a_timeout() {
    let base = serve(trickle(StatusCode::OK, 2, Duration::from_millis(300))).await;
    let response = transport(&base).execute_streaming(trickle_call(100)).await.unwrap();
    let result: Result<Vec<Bytes>, _> = ResponseValue::streaming_bytes(response).into_inner().try_collect().await;
    assert!(matches!(result, Err(TransportError::Timeout)), "{result:?}");
}

#[tokio::test]
async fn a_trickling_error_body_of_a_streaming_call_times_out() {
    // Ten chunks 100 ms apart: each gap is within the timeout, the whole body is not.
    let base = serve(trickle(StatusCode::INTERNAL_SERVER_ERROR, 10, Duration::from_millis(100))).await;
    let started = Instant::now();
    let response = transport(&base).execute_streaming(trickle_call(250)).await.unwrap();
    let err = mailapi_support::client::RawResponse::read(response).await.unwrap_err();
    assert!(matches!(err, TransportError::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
}

/// Answers `size` bytes, announced by Content-Length or (`chunked`) not.
fn big(size: usize, chunked: bool) -> Router {
    Router::new().route(
        "/big",
        get(move || async move {
            let body = vec![b'x'; size];
            if chunked {
                axum::body::Body::from_stream(stream::iter(
                    body.chunks(1024)
                        .map(|c| Ok::<_, std::convert::Infallible>(Bytes::copy_from_slice(c)))
                        .collect::<Vec<_>>(),
                ))
            } else {
                axum::body::Body::from(body)
            }
        }),
    )
}

#[tokio::test]
async fn bodies_over_the_size_limit_are_refused() {
    for chunked in [false, true] {
        let base = serve(big(10_000, chunked)).await;
        let limited = ClientBuilder::<Transport>::new(&base).max_response_bytes(4096).no_retry().build().unwrap();
        let err = limited.execute(Request::new("big", Method::GET, "/big".into())).await.unwrap_err();
        assert!(matches!(err, TransportError::BodyTooLarge { limit: 4096 }), "chunked {chunked}: {err:?}");
        assert_eq!(err.to_string(), "response body larger than 4096 bytes");
        let within = ClientBuilder::<Transport>::new(&base).max_response_bytes(10_000).build().unwrap();
        let raw = within.execute(Request::new("big", Method::GET, "/big".into())).await.unwrap();
        assert_eq!(raw.body.len(), 10_000, "chunked {chunked}");
    }
}

/// Accepts connections on a raw socket; the first `resets` are closed as soon
/// as the request arrives, before any response head, the next one answered.
async fn resetting_server(resets: usize, hits: Hits) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        // Bounded: the tests make at most three calls.
        for _ in 0..8 {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            if hits.fetch_add(1, Ordering::SeqCst) < resets {
                drop(socket);
            } else {
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
            }
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_reset_before_the_response_head_is_retried_for_idempotent_calls() {
    let hits = Hits::default();
    let base = resetting_server(2, hits.clone()).await;
    let raw = transport(&base).execute(Request::new("get", Method::GET, "/r".into())).await.unwrap();
    assert_eq!((raw.status, &raw.body[..], hits.load(Ordering::SeqCst)), (StatusCode::OK, &b"ok"[..], 3));

    let hits = Hits::default();
    let base = resetting_server(1, hits.clone()).await;
    let err = transport(&base).execute(Request::new("post", Method::POST, "/r".into())).await.unwrap_err();
    assert!(matches!(err, TransportError::Http(_) | TransportError::Connect(_)), "{err:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "POST is never sent twice");
}
