//! The generated clients against what the real services send, as their public source shows it.
//!
//! `tests/drift/<vendor>.json` holds one case per corrected shape: a response body taken from
//! the vendor's source (each with its citation), the operation that receives it, and the
//! outcome it must have. A local server answers the call with that body; the client runs in
//! strict mode, so a member the spec does not declare fails the case. The decoded body is then
//! serialized back and compared with the fixture, so nothing was lost on the way either.

use std::convert::Infallible;

use axum::body::Body;
use axum::response::Response;
use futures_util::StreamExt as _;
use http::{HeaderValue, StatusCode};
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;

use std::fmt::Debug;

use mailapi_support::client::EventStream;
use stalwart_client::{Client, Error, ResponseValue, ServiceMessage};

/// One fixture: a response as the service sends it, and what the client must make of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    case: String,
    /// Where in the vendor's source the body's shape comes from.
    source: String,
    /// The operation id that receives the response.
    call: String,
    status: u16,
    content_type: String,
    /// The JSON body, for buffered responses.
    #[serde(default)]
    body: Option<Value>,
    /// The events, for event streams.
    #[serde(default)]
    events: Option<Vec<Event>>,
    /// `ok`, or the documented error variant.
    expect: String,
    /// Values in the body that are secrets: the decoded value's `Debug` output must not show them.
    #[serde(default)]
    secrets: Vec<String>,
}

/// One server-sent event: its type and its JSON data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Event {
    event: String,
    data: Value,
}

impl Case {
    /// The response body on the wire.
    fn wire_body(&self) -> String {
        match (&self.body, &self.events) {
            (Some(body), None) => body.to_string(),
            (None, Some(events)) => {
                events.iter().map(|e| format!("event: {}\ndata: {}\n\n", e.event, e.data)).collect()
            }
            _ => panic!("{}: give either `body` or `events`", self.case),
        }
    }

    /// The body the client should have decoded, as JSON.
    fn expected_body(&self) -> Value {
        match (&self.body, &self.events) {
            (Some(body), _) => body.clone(),
            (None, Some(events)) => events.iter().map(|e| e.data.clone()).collect(),
            _ => unreachable!("checked by wire_body"),
        }
    }
}

/// What a call came to: `ok` or the error variant, with the typed body serialized back to JSON
/// and its `Debug` output.
type Outcome = (String, Value, String);

fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).expect("a generated type serializes")
}

/// The outcome of a buffered call; `variant` names a documented error and serializes its body.
fn outcome<T: Serialize + Debug, E: ServiceMessage>(
    result: Result<ResponseValue<T>, Error<E>>,
    variant: impl FnOnce(E) -> Outcome,
) -> Outcome {
    match result {
        Ok(value) => ("ok".to_owned(), json(value.body()), format!("{:?}", value.body())),
        Err(Error::Api(value)) => variant(value.into_inner()),
        Err(other) => (format!("error: {other}"), Value::Null, String::new()),
    }
}

/// The outcome of a call that has no documented error in these cases: any error is shown whole.
fn unexpected(error: impl Debug) -> Outcome {
    (format!("{error:?}"), Value::Null, String::new())
}

/// The outcome of an event-stream call: every event's data, serialized back.
async fn events<T: Serialize + Debug, E: Debug>(result: Result<ResponseValue<EventStream<T>>, Error<E>>) -> Outcome {
    match result {
        Ok(stream) => {
            let events: Vec<_> = stream.into_inner().collect().await;
            match events.into_iter().collect::<Result<Vec<_>, _>>() {
                Ok(events) => ("ok".to_owned(), json(&events), format!("{events:?}")),
                Err(err) => (format!("event error: {err}"), Value::Null, String::new()),
            }
        }
        Err(err) => (format!("error: {err:?}"), Value::Null, String::new()),
    }
}

/// Serves `status`, `content_type` and `body` to every request on a loopback port.
async fn serve(status: u16, content_type: String, body: String) -> String {
    let app = axum::Router::new().fallback(move || {
        let (content_type, body) = (content_type.clone(), body.clone());
        async move {
            let mut response =
                Response::new(Body::from_stream(futures_util::stream::iter([Ok::<_, Infallible>(body)])));
            *response.status_mut() = StatusCode::from_u16(status).expect("a status");
            response.headers_mut().insert("content-type", HeaderValue::from_str(&content_type).expect("a media type"));
            response
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(axum::serve(listener, app).into_future());
    base
}

async fn stalwart_call(client: &Client, call: &str) -> Outcome {
    use stalwart_client::types::{Principal, RequestIndexReindexIndex};
    use stalwart_client::{
        CreatePrincipalError as Create, FetchPrincipalError as Fetch, RequestIndexReindexError as Reindex,
        TrainSpamFilterHamError as Train, UploadSpamFilterSpamError as Upload,
    };
    fn named<T: Serialize + Debug>(name: &str, body: T) -> Outcome {
        (name.to_owned(), json(&body), format!("{body:?}"))
    }
    match call {
        "fetchPrincipal" => outcome(client.fetch_principal("example.org").await, |e| match e {
            Fetch::Unauthorized(p) => named("Unauthorized", p),
            Fetch::Forbidden(p) => named("Forbidden", p),
            Fetch::InBody(p) => named("InBody", p),
        }),
        "createPrincipal" => outcome(client.create_principal(Principal::new()).await, |e| match e {
            Create::BadRequest(p) => named("BadRequest", p),
            Create::Unauthorized(p) => named("Unauthorized", p),
            Create::Forbidden(p) => named("Forbidden", p),
            Create::InBody(p) => named("InBody", p),
        }),
        "uploadSpamFilterSpam" => outcome(client.upload_spam_filter_spam("Subject: x\r\n\r\nx").await, |e| match e {
            Upload::Unauthorized(p) => named("Unauthorized", p),
            Upload::Forbidden(p) => named("Forbidden", p),
            Upload::InBody(p) => named("InBody", p),
        }),
        "requestIndexReindex" => {
            outcome(client.request_index_reindex(RequestIndexReindexIndex::Email).await, |e| match e {
                Reindex::BadRequest(p) => named("BadRequest", p),
                Reindex::Unauthorized(p) => named("Unauthorized", p),
                Reindex::Forbidden(p) => named("Forbidden", p),
                Reindex::InBody(p) => named("InBody", p),
            })
        }
        "trainSpamFilterHam" => outcome(client.train_spam_filter_ham("Subject: x\r\n\r\nx").await, |e| match e {
            Train::Unauthorized(p) => named("Unauthorized", p),
            Train::Forbidden(p) => named("Forbidden", p),
            Train::NotFound(p) => named("NotFound", p),
            Train::InBody(p) => named("InBody", p),
        }),
        "runDeliveryTroubleshooting" => events(client.run_delivery_troubleshooting("jane@example.org").await).await,
        "liveMetrics" => events(client.live_metrics().await).await,
        "startLiveTracing" => events(client.start_live_tracing().await).await,
        "listPrincipals" => outcome(client.list_principals().await, unexpected),
        "listQueuedReports" => outcome(client.list_queued_reports().await, unexpected),
        "listIncomingDmarcReports" => outcome(client.list_incoming_dmarc_reports().await, unexpected),
        "listDeletedMessages" => outcome(client.list_deleted_messages("jane").await, unexpected),
        "obtainQueuedMessageDetails" => {
            outcome(client.obtain_queued_message_details("217700302698266620").await, unexpected)
        }
        "listQueuedMessages" => outcome(client.list_queued_messages().await, unexpected),
        "obtainAccountAuthSettings" => outcome(client.obtain_account_auth_settings().await, unexpected),
        "reloadSettings" => outcome(client.reload_settings().await, unexpected),
        "obtainEncryptionAtRestSettings" => outcome(client.obtain_encryption_at_rest_settings().await, unexpected),
        "requestTracingToken" => outcome(client.request_tracing_token().await, unexpected),
        "fetchTelemetryMetrics" => outcome(client.fetch_telemetry_metrics().await, unexpected),
        other => panic!("no call `{other}` in this test; add it to `stalwart_call`"),
    }
}

/// The case's response, answered to the strict client, gives the expected outcome and body.
async fn check_stalwart(case: &Case) {
    let base = serve(case.status, case.content_type.clone(), case.wire_body()).await;
    let client =
        Client::builder(&base).basic_auth("admin", "secret").strict(true).no_retry().build().expect("a client");
    let (kind, body, debug) = stalwart_call(&client, &case.call).await;
    let context = format!("{} ({}; source: {})", case.case, case.call, case.source);
    assert_eq!(kind, case.expect, "{context}");
    assert_eq!(body, case.expected_body(), "{context}: the typed body does not serialize back to the service's body");
    for secret in &case.secrets {
        assert!(!debug.contains(secret.as_str()), "{context}: Debug prints the secret {secret:?}: {debug}");
    }
}

fn cases(vendor: &str) -> Vec<Case> {
    let path = format!("{}/drift/{vendor}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[tokio::test]
async fn stalwart_source_shapes_decode_with_nothing_undeclared() {
    for case in cases("stalwart") {
        check_stalwart(&case).await;
    }
}

/// Strict mode is what makes the cases above mean something: a member the spec does not
/// declare fails the call, named by its pointer; without strict mode the call succeeds and
/// the member stays readable in the raw body.
#[tokio::test]
async fn an_undeclared_member_fails_only_in_strict_mode() {
    let body = r#"{"data":{"id":2,"type":"domain","name":"example.org","aliases":["example.net"]}}"#;
    let base = serve(200, "application/json".into(), body.into()).await;
    let client = |strict| Client::builder(&base).strict(strict).no_retry().build().expect("a client");

    let err = client(true).fetch_principal("example.org").await.unwrap_err();
    let Error::Undeclared { operation_id, members, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*operation_id, members.as_slice()), ("fetchPrincipal", ["/data/aliases".to_owned()].as_slice()));

    let value = client(false).fetch_principal("example.org").await.expect("lenient by default");
    assert_eq!(value.raw_body().map(|raw| raw.as_ref()), Some(body.as_bytes()));
}
