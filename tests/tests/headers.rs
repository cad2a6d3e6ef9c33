//! Typed response headers on the wire (`tests/corpus/crates/headers.yaml`): the client reads each
//! documented header into its type, a missing required or unparsable one is an error naming it;
//! the server writes the headers a handler sets.

use axum::Router;
use axum::response::IntoResponse;
use headers_client::{Client, CreateMailboxResponse, Error, ListMailboxesOkHeaders};
use headers_server::mock::AcceptAny;
use headers_server::{
    Api, CreateMailboxAcceptedHeaders, CreateMailboxRequest, CreateMailboxResponse as Answer,
    ListMailboxesOkHeaders as Sent, ListMailboxesRequest, ListMailboxesResponse, Problem, types::JobState,
};
use http::StatusCode;

/// Serves `router` on a loopback port; a client for it.
async fn start(router: Router) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Client::builder(&format!("http://{address}/v1")).no_retry().build().unwrap()
}

/// What `list_mailboxes` makes of a 200 with `headers`: the typed headers, or the error.
async fn list_with(headers: &'static [(&'static str, &'static str)]) -> String {
    let router = Router::new().route(
        "/v1/mailboxes",
        axum::routing::get(move || async move {
            let mut response = ([("content-type", "application/json")], r#"["inbox"]"#).into_response();
            for (name, value) in headers {
                response.headers_mut().append(*name, value.parse().unwrap());
            }
            response
        }),
    );
    match start(router).await.list_mailboxes().await {
        Ok(value) => format!("{:?}", value.typed_headers()),
        Err(Error::Decode { status, message, .. }) => format!("{status}: {message}"),
        Err(other) => format!("unexpected: {other:?}"),
    }
}

#[tokio::test]
async fn client_reads_documented_headers_into_their_types() {
    async fn check(headers: &'static [(&'static str, &'static str)], expected: &str) {
        assert_eq!(list_with(headers).await, expected, "{headers:?}");
    }
    check(
        &[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "0")],
        "ListMailboxesOkHeaders { x_rate_limit_limit: 60, x_rate_limit_remaining: 0, x_request_id: None, x_shards: None }",
    )
    .await;
    check(
        &[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "7"), ("x-request-id", "req-7"), ("x-shards", "1, 2"), ("x-shards", "3")],
        "ListMailboxesOkHeaders { x_rate_limit_limit: 60, x_rate_limit_remaining: 7, x_request_id: Some(\"req-7\"), x_shards: Some([1, 2, 3]) }",
    )
    .await;
    check(&[("x-ratelimit-limit", "60")], "200 OK: response header `X-RateLimit-Remaining`: is missing").await;
    check(
        &[("x-ratelimit-limit", "sixty"), ("x-ratelimit-remaining", "0")],
        "200 OK: response header `X-RateLimit-Limit`: invalid value `sixty`: invalid value: string \"sixty\", expected i32",
    )
    .await;
    check(
        &[("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "0"), ("x-shards", "1,x")],
        "200 OK: response header `X-Shards`: invalid value `x`: invalid value: string \"x\", expected i64",
    )
    .await;
}

/// A server whose handlers answer with the headers under test.
struct Handlers;

impl Api for Handlers {
    async fn list_mailboxes(&self, _: ListMailboxesRequest) -> Result<ListMailboxesResponse, Problem> {
        // A line break cannot be sent in a header: the router answers 500 rather than panic.
        let headers = Sent {
            x_rate_limit_limit: 1,
            x_rate_limit_remaining: 0,
            x_request_id: Some("a\nb".into()),
            x_shards: None,
        };
        Ok(ListMailboxesResponse::Ok(vec![], headers))
    }

    async fn create_mailbox(&self, _: CreateMailboxRequest) -> Result<Answer, Problem> {
        Ok(Answer::Accepted(CreateMailboxAcceptedHeaders { x_job_state: JobState::Running }))
    }
}

#[tokio::test]
async fn server_writes_the_headers_a_handler_sets() {
    let client = start(headers_server::router(Handlers, AcceptAny)).await;
    let created = client.create_mailbox("inbox".to_owned()).await.unwrap();
    assert_eq!(created.headers()["x-job-state"], "running");
    let CreateMailboxResponse::Accepted(headers) = created.into_inner() else { panic!("expected 202") };
    assert_eq!(headers.x_job_state, headers_client::types::JobState::Running);
    match client.list_mailboxes().await {
        Err(Error::UnexpectedStatus { status, .. }) => assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR),
        other => panic!("expected a 500, got {other:?}"),
    }
}

#[test]
fn typed_headers_are_plain_structs() {
    // The client's struct is what `parse` reads from any header map (an error's, say).
    let mut map = http::HeaderMap::new();
    map.insert("x-ratelimit-limit", "5".parse().unwrap());
    map.insert("x-ratelimit-remaining", "4".parse().unwrap());
    let parsed = ListMailboxesOkHeaders::parse(&map).unwrap();
    assert_eq!((parsed.x_rate_limit_limit, parsed.x_rate_limit_remaining), (5, 4));
}
