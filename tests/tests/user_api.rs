//! The generated crates as a user meets them, on the wire: a server that implements only part
//! of its API (`PartialApi`) answers 501 for the rest, and the client's errors print the
//! service's own message once, as an `anyhow` chain (`{:#}`) shows them.

use std::error::Error as StdError;

use serde_json::json;
use stalwart_client::{Client, Error, FetchPrincipalError};
use stalwart_server::{
    AuthError, Authenticator, FetchPrincipalRequest, FetchPrincipalResponse, PartialApi, Principal, Problem,
};

/// Serves only `fetchPrincipal`: `alice` is forbidden, `ghost` is the management error Stalwart
/// reports inside a 200, anyone else exists.
struct OnlyFetch;

impl PartialApi for OnlyFetch {
    async fn fetch_principal(&self, request: FetchPrincipalRequest) -> Result<FetchPrincipalResponse, Problem> {
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
    async fn bearer(&self, _scheme: &str, token: &str) -> Result<Principal, AuthError> {
        match token {
            "t0ken" => Ok(Principal::new("bearerAuth", "admin")),
            _ => Err(AuthError::Invalid),
        }
    }
}

async fn start() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    let router = stalwart_server::router(OnlyFetch, Token);
    tokio::spawn(axum::serve(listener, router).into_future());
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

#[tokio::test]
async fn a_refused_connection_is_named_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(&format!("http://127.0.0.1:{port}")).no_retry().build().unwrap();
    let err = client.fetch_principal("bob").await.unwrap_err();
    let chain = chain(&err);
    assert!(chain.starts_with("connection failed: "), "{chain}");
    assert_eq!(chain.matches("connection failed").count(), 1, "{chain}");
}
