//! Tracing of client calls. A binary of its own: tracing caches callsite
//! interest per process, so spans hit first by parallel tests without a
//! subscriber could go unrecorded.
#![cfg(feature = "client")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use http::{Method, StatusCode};

use mailapi_support::client::{RawResponse, Request, RetryPolicy, Transport};
use mailapi_support::{Scheme, SchemeKind};

static BEARER: Scheme = Scheme { name: "oauth", kind: SchemeKind::Bearer };
static KEY: Scheme = Scheme { name: "key", kind: SchemeKind::ApiKeyQuery("api_key") };
static SECURITY: &[&[Scheme]] = &[&[BEARER, KEY]];

/// Records every span and event field as `name=value` text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = self.0.lock().unwrap();
        text.push_str(&format!("span:{} ", span.metadata().name()));
        span.record(&mut Fields(&mut text));
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn calls_are_traced_without_credentials() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new().fallback(|| async { StatusCode::SERVICE_UNAVAILABLE });
    tokio::spawn(axum::serve(listener, router).into_future());
    let fast = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(20),
    };
    let transport =
        Transport::builder(&base).retry(fast).bearer_token("tok-secret").api_key("key", "key-secret").build().unwrap();
    let request = Request::new("listMessages", Method::GET, "/m".into()).security(SECURITY);
    let raw = transport.execute(request).await.unwrap();
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);

    let traced = capture.0.lock().unwrap().clone();
    assert!(traced.contains("span:api_call operation=\"listMessages\" method=GET"), "{traced}");
    assert!(traced.contains("status=503"), "{traced}");
    assert!(traced.contains("retrying"), "{traced}");
    assert!(!traced.contains("secret"), "{traced}");
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // only decoded
struct Item {
    name: String,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // only decoded
struct Page {
    items: Vec<Item>,
}

#[test]
fn undeclared_members_warn_once_per_operation_and_pointer() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let body = r#"{"items":[{"name":"a","x":1},{"name":"b","x":2}],"total":2}"#;
    let decode = |operation_id| {
        let raw = RawResponse {
            status: StatusCode::OK,
            headers: http::HeaderMap::new(),
            body: body.into(),
            operation_id,
            strict: false,
        };
        raw.json::<Page, ()>().expect("lenient mode decodes");
    };
    // The same members twice for one operation, then once for another.
    decode("listPages");
    decode("listPages");
    decode("listOther");

    let traced = capture.0.lock().unwrap().clone();
    let has = |op: &str, pointer: &str| traced.matches(&format!("operation_id=\"{op}\" pointer=\"{pointer}\"")).count();
    // Array indices do not make a new warning: `/items/1/x` is the member `/items/0/x` was.
    assert_eq!(
        [has("listPages", "/items/0/x"), has("listPages", "/items/1/x"), has("listPages", "/total")],
        [1, 0, 1],
        "{traced}"
    );
    assert_eq!([has("listOther", "/items/0/x"), has("listOther", "/total")], [1, 1], "{traced}");
    assert_eq!(traced.matches("message=").count(), 4, "{traced}");
}
