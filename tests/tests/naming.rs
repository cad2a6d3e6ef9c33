//! The `naming` corpus crate (`tests/corpus/crates/naming.yaml`) on the wire: constraints that
//! reach a parameter or a body field only through a `$ref` alias are enforced by the server, and
//! operations whose names collide with the server module's own items are routed to themselves.

use axum::body::Body;
use http::Request;
use serde_json::Value;
use tower::ServiceExt as _;

use naming_server::mock::{AcceptAny, Mock};

/// Status and body (as JSON, `Null` when empty) of one request to the naming mock.
async fn send(method: &str, uri: &str, body: &str) -> (u16, Value) {
    let request = Request::builder().method(method).uri(uri).header("content-type", "application/json");
    let response = naming_server::router(Mock, AcceptAny)
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// `(status, where)`: the problem's `parameter` or `pointer`, or the status alone for a success.
async fn check(method: &str, uri: &str, body: &str) -> (u16, String) {
    let (status, problem) = send(method, uri, body).await;
    let at = ["parameter", "pointer"].iter().find_map(|k| problem[k].as_str()).unwrap_or_default();
    (status, at.to_owned())
}

#[tokio::test]
async fn aliased_parameter_limits_are_checked() {
    let cases = [
        ("/api/status?code=abc", (204, "")),
        // `Code: {type: string, maxLength: 3}`, reached through `$ref`.
        ("/api/status?code=abcd", (422, "code")),
        // `ShortCode: {$ref: Code}`: an alias of the alias.
        ("/api/status?code=abc&type=abcd", (422, "type")),
        ("/api/status?code=abc&type=ab", (204, "")),
    ];
    for (uri, (status, at)) in cases {
        assert_eq!(check("GET", uri, "").await, (status, at.to_owned()), "{uri}");
    }
}

#[tokio::test]
async fn aliased_body_field_limits_are_checked() {
    // `Title: {type: string, minLength: 1, maxLength: 8}`, the type of `Doc.title`.
    let cases = [
        // Valid: the mock has no example of the `null` answer, so 501 (a body that can only be
        // `null` gets no `minimal` example).
        (r#"{"title": "ok"}"#, (501, "")),
        (r#"{"title": ""}"#, (422, "/title")),
        (r#"{"title": "ninechars"}"#, (422, "/title")),
    ];
    for (body, (status, at)) in cases {
        assert_eq!(check("POST", "/api/new", body).await, (status, at.to_owned()), "{body}");
    }
}

#[tokio::test]
async fn operations_named_like_module_items_and_derived_names_are_routed() {
    for (method, uri) in [
        ("GET", "/api/router"),
        ("GET", "/api/reload"),
        ("GET", "/api/reload/"),
        ("DELETE", "/api/match"),
        ("PUT", "/api/start"),
    ] {
        assert_eq!(send(method, uri, "").await.0, 204, "{method} {uri}");
    }
}
