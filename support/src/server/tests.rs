//! Handler tests of the server helpers against an in-memory router.

use axum::routing::{get, post};
use futures_util::stream;
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::*;

#[derive(Debug, Deserialize, PartialEq)]
#[allow(dead_code)]
struct Draft {
    subject: String,
    to: Vec<Address>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[allow(dead_code)]
struct Address {
    email: String,
    kind: Kind,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Kind {
    To,
    Cc,
}

fn json_headers(content_type: &'static str) -> HeaderMap {
    HeaderMap::from_iter([(CONTENT_TYPE, HeaderValue::from_static(content_type))])
}

fn read(content_type: &'static str, body: &'static str) -> Result<Draft, Problem> {
    let accepted = ["application/json", "application/vnd.api+json; ext=bulk"];
    read_json_body(&json_headers(content_type), Bytes::from_static(body.as_bytes()), &accepted)
}

#[test]
fn json_body_parses_with_any_accepted_essence() {
    let body = r#"{"subject":"hi","to":[{"email":"a@b","kind":"cc"}]}"#;
    assert_eq!(read("application/json; charset=utf-8", body).unwrap().to[0].kind, Kind::Cc);
    assert!(read("Application/VND.api+json", body).is_ok());
}

#[test]
fn wrong_or_missing_content_type_is_415() {
    assert_eq!(read("text/plain", "{}").unwrap_err().status, 415);
    let missing = read_json_body::<Draft>(&HeaderMap::new(), Bytes::new(), &["application/json"]);
    assert_eq!(missing.unwrap_err().detail.as_deref(), Some("missing content type"));
}

#[test]
fn malformed_json_is_400_with_position() {
    let problem = read("application/json", "{\n  \"subject\": }").unwrap_err();
    assert_eq!(problem.status, 400);
    assert_eq!((problem.extensions["line"].clone(), problem.extensions["column"].clone()), (json!(2), json!(14)));
    assert_eq!(read("application/json", "").unwrap_err().status, 400);
    let trailing = read("application/json", r#"{"subject":"s","to":[]} x"#).unwrap_err();
    assert_eq!(trailing.status, 400);
}

#[test]
fn invalid_content_is_422_with_pointer() {
    let cases = [
        (r#"{"subject":1,"to":[]}"#, "/subject"),
        (r#"{"subject":"s","to":[{"email":"a","kind":"bcc"}]}"#, "/to/0/kind"),
        (r#"{"subject":"s","to":[{"kind":"to"}]}"#, "/to/0/email"),
        (r#"{"to":[]}"#, "/subject"),
    ];
    for (body, pointer) in cases {
        let problem = read("application/json", body).unwrap_err();
        assert_eq!(problem.status, 422, "{body}");
        assert_eq!(problem.extensions["pointer"], pointer, "{body}");
    }
}

async fn call(router: Router, request: http::Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let response = router.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, axum::body::to_bytes(body, usize::MAX).await.unwrap())
}

fn post_body(size: usize) -> http::Request<Body> {
    http::Request::post("/upload").body(Body::from(vec![b'x'; size])).unwrap()
}

/// A problem's status and detail.
fn problem_of(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> (u16, String) {
    assert_eq!(headers[CONTENT_TYPE], PROBLEM_JSON, "{status}");
    let problem: Problem = serde_json::from_slice(body).unwrap();
    assert_eq!(problem.status, status.as_u16());
    (problem.status, problem.detail.unwrap_or_default())
}

#[tokio::test]
async fn bodies_beyond_the_limits_are_413_problems() {
    let limits = Limits::default().max_body_bytes(100);
    let router = || {
        let routes =
            Router::new().route("/upload", post(|RawBody(body): RawBody| async move { body.len().to_string() }));
        with_limits(with_defaults(routes), limits)
    };
    let (status, _, body) = call(router(), post_body(100)).await;
    assert_eq!((status, body.as_ref()), (StatusCode::OK, b"100".as_ref()));

    let (status, headers, body) = call(router(), post_body(101)).await;
    let detail = "the body of 101 bytes exceeds the limit of 100 bytes";
    assert_eq!(problem_of(status, &headers, &body), (413, detail.to_owned()));

    // A body without a declared size is counted as it arrives.
    let chunks = stream::iter([Ok::<_, Infallible>(Bytes::from(vec![b'x'; 60])), Ok(Bytes::from(vec![b'x'; 60]))]);
    let streamed = http::Request::post("/upload").body(Body::from_stream(chunks)).unwrap();
    let (status, headers, body) = call(router(), streamed).await;
    assert_eq!(problem_of(status, &headers, &body), (413, "the body exceeds the limit of 100 bytes".to_owned()));

    // Without `with_limits`, the defaults.
    let routes = Router::new().route("/upload", post(|RawBody(body): RawBody| async move { body.len().to_string() }));
    let (status, headers, body) = call(routes, post_body(Limits::default().max_body_bytes + 1)).await;
    assert_eq!(problem_of(status, &headers, &body).0, 413);
}

#[tokio::test]
async fn a_body_not_received_in_time_is_a_408_problem() {
    let limits = Limits::default().body_read_timeout(std::time::Duration::from_millis(50));
    let routes = Router::new().route("/upload", post(|RawBody(body): RawBody| async move { body.len().to_string() }));
    let never = stream::pending::<Result<Bytes, Infallible>>();
    let request = http::Request::post("/upload").body(Body::from_stream(never)).unwrap();
    let (status, headers, body) = call(with_limits(routes, limits), request).await;
    assert_eq!(problem_of(status, &headers, &body), (408, "the body was not received within 50 ms".to_owned()));
}

#[tokio::test]
async fn uris_and_header_sections_beyond_the_limits_are_414_and_431_problems() {
    let limits = Limits::default().max_uri_bytes(20).max_header_bytes(30);
    let router = with_limits(Router::new().route("/{x}", get(|| async { "ok" })), limits);
    let request = |uri: &str, value: &str| http::Request::get(uri).header("x-a", value).body(Body::empty()).unwrap();
    // 20 bytes of URI; 3 + 23 + 4 bytes of header.
    let (status, _, _) = call(router.clone(), request("/0123456789?abcdefgh", &"v".repeat(23))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = call(router.clone(), request("/0123456789?abcdefghi", "v")).await;
    assert_eq!(problem_of(status, &headers, &body), (414, "the URI of 21 bytes exceeds the limit of 20 bytes".into()));
    let (status, headers, body) = call(router, request("/x", &"v".repeat(24))).await;
    let detail = "the header section of 31 bytes exceeds the limit of 30 bytes";
    assert_eq!(problem_of(status, &headers, &body), (431, detail.into()));
}

/// The parts of a request read for an operation without security.
async fn parts(request: axum::extract::Request) -> Result<RequestParts, Problem> {
    read_request(&AcceptAny, request, "op", &[]).await.map(|(parts, _)| parts)
}

#[tokio::test]
async fn path_parameters_cannot_hold_slashes_or_dot_segments() {
    let router = Router::new().route(
        "/items/{id}",
        get(|request: axum::extract::Request| async move {
            parts(request)
                .await
                .and_then(|parts| parts.path.required::<String>("id"))
                .map_err(IntoResponse::into_response)
        }),
    );
    let request = |path| http::Request::get(path).body(Body::empty()).unwrap();
    for path in ["/items/a%2Fb", "/items/..", "/items/.", "/items/%2E%2e"] {
        let (status, _, body) = call(router.clone(), request(path)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        let problem: Problem = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem.extensions["parameter"], "id", "{path}");
    }
    for (path, id) in [("/items/a%20b", "a b"), ("/items/...", "..."), ("/items/.x", ".x")] {
        let (status, _, body) = call(router.clone(), request(path)).await;
        assert_eq!((status, body.as_ref()), (StatusCode::OK, id.as_bytes()), "{path}");
    }
}

#[tokio::test]
async fn panicking_handlers_become_500_problems() {
    async fn boom() -> &'static str {
        panic!("handler bug")
    }
    let router = with_defaults(Router::new().route("/boom", get(boom)).route("/ok", get(|| async { "ok" })));
    let request = |path| http::Request::get(path).body(Body::empty()).unwrap();
    let (status, headers, body) = call(router.clone(), request("/boom")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(headers[CONTENT_TYPE], PROBLEM_JSON);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body, json!({ "type": "about:blank", "title": "Internal Server Error", "status": 500 }));
    let (status, _, _) = call(router, request("/ok")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn sse_and_stream_responses_stream_their_items() {
    let events = stream::iter([SseEvent::new("1").with_id("a"), SseEvent::new("two\nlines")]);
    let response = sse_response(events);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/event-stream");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(body, "id: a\ndata: 1\n\ndata: two\ndata: lines\n\n");

    let chunks = stream::iter([Ok::<_, Infallible>(Bytes::from_static(b"ab")), Ok(Bytes::from_static(b"c"))]);
    let response = stream_response("application/octet-stream", chunks);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(body, "abc");
}

#[tokio::test]
async fn json_response_uses_the_exact_content_type() {
    let response = json_response(StatusCode::CREATED, "application/vnd.api+json", &json!({ "id": 1 }));
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/vnd.api+json");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(body, r#"{"id":1}"#);
}

#[tokio::test]
async fn invalid_response_content_types_are_500_not_panics() {
    let response = json_response(StatusCode::OK, "bad\ntype", &1);
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
}

#[tokio::test]
async fn debug_of_a_request_never_prints_credentials() {
    const KEY: Scheme = Scheme { name: "key", kind: SchemeKind::ApiKeyHeader("auth_token") };
    let request = http::Request::builder()
        .uri("/x")
        .header("authorization", "Basic YWRtaW46c2VjcmV0")
        .header("auth_token", "k-123")
        .header("accept", "application/json")
        .body(Body::empty())
        .unwrap();
    let app: Router = Router::new().route(
        "/x",
        get(|request: axum::extract::Request| async move {
            let (parts, _) = read_request(&AcceptAny, request, "op", &[&[KEY]]).await.unwrap();
            format!("{parts:?}")
        }),
    );
    let response = app.oneshot(request).await.unwrap();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let printed = String::from_utf8(body.to_vec()).unwrap();
    for secret in ["YWRtaW46c2VjcmV0", "k-123"] {
        assert!(!printed.contains(secret), "{printed}");
    }
    assert!(printed.contains("application/json"), "{printed}");
}
