//! The receiver of webhooks and callbacks (`tests/corpus/crates/webhooks.yaml`) on the wire:
//! `webhooks::router` nested where a service sends them, each request authenticated, parsed and
//! validated like any operation's before the `Webhooks` implementation sees it.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use http::Request;
use tower::ServiceExt as _;
use webhooks_server::Problem;
use webhooks_server::mock::AcceptAny;
use webhooks_server::types::EventKind;
use webhooks_server::webhooks::{
    self, MailboxCreatedOkHeaders, MailboxCreatedRequest, MailboxCreatedResponse, QuotaGetRequest, QuotaGetResponse,
    QuotaPutRequest, QuotaPutResponse, SubscribeOnCloseRequest, SubscribeOnCloseResponse, SubscribeOnEventRequest,
    SubscribeOnEventResponse, Webhooks,
};

/// Records what each receiver method got, one line each.
#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<String>>>);

impl Receiver {
    fn note(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }
}

impl Webhooks for Receiver {
    async fn mailbox_created(&self, request: MailboxCreatedRequest) -> Result<MailboxCreatedResponse, Problem> {
        self.note(format!("created {} (delivery {})", request.body.address, request.x_delivery));
        Ok(MailboxCreatedResponse::Ok(MailboxCreatedOkHeaders { x_receipt: Some("r-1".into()) }))
    }

    async fn quota_get(&self, _: QuotaGetRequest) -> Result<QuotaGetResponse, Problem> {
        Ok(QuotaGetResponse::Ok(1024))
    }

    async fn quota_put(&self, request: QuotaPutRequest) -> Result<QuotaPutResponse, Problem> {
        self.note(format!("quota {}", request.body));
        Ok(QuotaPutResponse::NoContent)
    }

    async fn subscribe_on_event(&self, request: SubscribeOnEventRequest) -> Result<SubscribeOnEventResponse, Problem> {
        let kind = request.body.kind;
        self.note(format!("event {kind:?}"));
        Ok(match kind {
            EventKind::Created => SubscribeOnEventResponse::NoContent,
            EventKind::Deleted => SubscribeOnEventResponse::Gone,
        })
    }

    async fn subscribe_on_close(&self, _: SubscribeOnCloseRequest) -> Result<SubscribeOnCloseResponse, Problem> {
        self.note("closed".into());
        Ok(SubscribeOnCloseResponse::NoContent)
    }
}

/// Sends one request to the receiver nested at `/hooks`: (status, `X-Receipt`, body) and what
/// the implementation saw.
async fn send(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (String, Vec<String>) {
    let receiver = Receiver::default();
    let app = Router::new().nest("/hooks", webhooks::router(receiver.clone(), AcceptAny));
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let status = response.status();
    let receipt = response.headers().get("x-receipt").map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let seen = receiver.0.lock().unwrap().clone();
    (format!("{} {receipt:?} {text}", status.as_u16()), seen)
}

const JSON: (&str, &str) = ("content-type", "application/json");
const SIGNED: (&str, &str) = ("x-signature", "sig");

#[tokio::test]
async fn webhooks_are_received_typed_and_answered_as_documented() {
    let (answer, seen) =
        send("POST", "/hooks/mailbox.created", &[JSON, SIGNED, ("x-delivery", "7")], r#"{"address":"a@b.c"}"#).await;
    assert_eq!((answer.as_str(), seen), ("200 Some(\"r-1\") ", vec!["created a@b.c (delivery 7)".to_owned()]));
    let (answer, _) = send("GET", "/hooks/quota", &[], "").await;
    assert_eq!(answer, "200 None 1024");
    let (answer, seen) = send("PUT", "/hooks/quota", &[("content-type", "text/plain")], "2048").await;
    assert_eq!((answer.as_str(), seen), ("204 None ", vec!["quota 2048".to_owned()]));
}

#[tokio::test]
async fn callbacks_are_received_at_operation_and_name() {
    let (answer, seen) = send("POST", "/hooks/subscribe/onEvent", &[JSON], r#"{"kind":"deleted"}"#).await;
    assert_eq!((answer.as_str(), seen), ("410 None ", vec!["event Deleted".to_owned()]));
    // A `$ref` callback (`components/callbacks`) is received the same way.
    let (answer, seen) = send("POST", "/hooks/subscribe/onClose", &[], "").await;
    assert_eq!((answer.as_str(), seen), ("204 None ", vec!["closed".to_owned()]));
}

#[tokio::test]
async fn invalid_deliveries_never_reach_the_receiver() {
    async fn check(method: &str, path: &str, headers: &[(&str, &str)], body: &str, status: u16) {
        let (answer, seen) = send(method, path, headers, body).await;
        assert!(answer.starts_with(&format!("{status} ")), "{path} {body}: {answer}");
        assert_eq!(seen, Vec::<String>::new(), "{path} {body}");
    }
    let hook = "/hooks/mailbox.created";
    // Below `minLength: 3`: 422 in the documented problem body.
    check("POST", hook, &[JSON, SIGNED, ("x-delivery", "7")], r#"{"address":"a"}"#, 422).await;
    // `minimum: 1` on the header parameter.
    check("POST", hook, &[JSON, SIGNED, ("x-delivery", "0")], r#"{"address":"a@b.c"}"#, 422).await;
    // The webhook's own security: no signature, no delivery.
    check("POST", hook, &[JSON, ("x-delivery", "7")], r#"{"address":"a@b.c"}"#, 401).await;
    check("POST", "/hooks/subscribe/onEvent", &[JSON], r#"{"kind":"renamed"}"#, 422).await;
    check("POST", "/hooks/quota", &[JSON], "{}", 405).await;
}
