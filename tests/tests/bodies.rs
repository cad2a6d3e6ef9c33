//! The `bodies` corpus crate (`tests/corpus/crates/bodies.yaml`) on the wire: a form body
//! (`application/x-www-form-urlencoded`, members in their `encoding` styles) and a body of
//! three media types, sent by the generated client and read by the generated server, and the
//! server's answers to forms written by hand as the OpenAPI styles define them.

use axum::body::Body;
use bodies_client::{AddNoteBody, Client, PutNoteBody};
use bodies_server::mock::AcceptAny;
use bodies_server::{
    AddNoteRequest, AddNoteResponse, Api, Problem, PutNoteRequest, PutNoteResponse, SendMessageRequest,
    SendMessageResponse,
};
use http::Request;
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// Answers each request with the body it read; a note says which media type it came in.
struct Echo;

impl Api for Echo {
    async fn send_message(&self, request: SendMessageRequest) -> Result<SendMessageResponse, Problem> {
        Ok(SendMessageResponse::Created(request.body))
    }

    async fn put_note(&self, request: PutNoteRequest) -> Result<PutNoteResponse, Problem> {
        let (mut note, via): (bodies_server::types::Note, _) = match request.body {
            bodies_server::PutNoteBody::Json(note) => (note, "json"),
            bodies_server::PutNoteBody::Form(note) => (note, "form"),
            bodies_server::PutNoteBody::Plain(text) => {
                (serde_json::from_value(json!({ "title": text })).unwrap(), "text")
            }
        };
        note.via = Some(via.to_owned());
        Ok(PutNoteResponse::Ok(note))
    }

    async fn add_note(&self, request: AddNoteRequest) -> Result<AddNoteResponse, Problem> {
        let (title, via) = match request.body {
            Some(bodies_server::AddNoteBody::Json(note)) => (note.title, "json"),
            Some(bodies_server::AddNoteBody::Plain(text)) => (text, "text"),
            None => ("none".to_owned(), "none"),
        };
        Ok(AddNoteResponse::Ok(serde_json::from_value(json!({ "title": title, "via": via })).unwrap()))
    }
}

async fn client() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, bodies_server::router(Echo, AcceptAny)).await });
    Client::builder(&format!("http://{address}/v1")).no_retry().build().unwrap()
}

/// Status and JSON body (`Null` when empty) of one raw request.
async fn send(method: &str, uri: &str, content_type: &str, body: &str) -> (u16, Value) {
    let request = Request::builder().method(method).uri(uri).header("content-type", content_type);
    let response = bodies_server::router(Echo, AcceptAny)
        .oneshot(request.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn a_form_body_goes_through_client_and_server_unchanged() {
    let sent = json!({
        "To": "+1 555 & co",
        "Body": "héllo=world",
        "Priority": 2,
        "Urgent": false,
        "MediaUrl": ["https://a.example/1?x=1", "https://a.example/2"],
        "Labels": ["a", "b c"],
        "Codes": [1, 2],
        "Filter": { "from": "x@y", "unread": true },
        "Meta": { "source": "s" },
    });
    let message: bodies_client::types::Message = serde_json::from_value(sent.clone()).unwrap();
    let echoed = client().await.send_message(message).await.unwrap();
    assert_eq!(serde_json::to_value(echoed.body()).unwrap(), sent);
}

#[tokio::test]
async fn forms_written_in_each_style_decode() {
    // As OpenAPI's styles write them: exploded `form` arrays repeat the name, `pipeDelimited`
    // and unexploded `form` join the items, `deepObject` brackets the keys.
    let form = "To=%2B1&Body=hi&MediaUrl=u1&MediaUrl=u2&Labels=a%7Cb&Codes=1,2&Filter%5Bfrom%5D=x&Filter%5Bunread%5D=true&Meta=%7B%22source%22%3A%22s%22%7D&Unknown=1";
    let expected = json!({
        "To": "+1", "Body": "hi", "MediaUrl": ["u1", "u2"], "Labels": ["a", "b"], "Codes": [1, 2],
        "Filter": { "from": "x", "unread": true }, "Meta": { "source": "s" },
    });
    assert_eq!(send("POST", "/v1/messages", FORM, form).await, (201, expected));
}

#[tokio::test]
async fn form_misfits_are_answered_as_documented() {
    let cases = [
        ("To=a&Body=b&Priority=high", FORM, (422, "/Priority")),
        ("To=a&Body=b&Priority=0", FORM, (422, "/Priority")),
        ("To=a&Body=twenty-one+characters", FORM, (422, "/Body")),
        ("Body=b", FORM, (422, "/To")),
        ("To=a&Body=b&Codes=1,x", FORM, (422, "/Codes/1")),
        ("To=a&Body=b&MediaUrl=x&MediaUrl=y&MediaUrl=x", FORM, (422, "/MediaUrl")),
        (r#"{"To":"a","Body":"b"}"#, "application/json", (415, "")),
    ];
    for (body, content_type, (status, pointer)) in cases {
        let (got, problem) = send("POST", "/v1/messages", content_type, body).await;
        assert_eq!((got, problem["pointer"].as_str().unwrap_or_default()), (status, pointer), "{body}: {problem}");
    }
}

#[tokio::test]
async fn the_client_chooses_among_the_media_types_and_the_server_reads_each() {
    let api = client().await;
    let note = || serde_json::from_value(json!({ "title": "t" })).unwrap();
    let cases = [
        (PutNoteBody::Json(note()), "json"),
        (PutNoteBody::Form(note()), "form"),
        (PutNoteBody::Plain("t".to_owned()), "text"),
    ];
    for (body, via) in cases {
        let echoed = api.put_note(7, body).await.unwrap();
        assert_eq!(serde_json::to_value(echoed.body()).unwrap(), json!({ "title": "t", "via": via }));
    }
}

#[tokio::test]
async fn an_optional_body_of_several_media_types_may_be_left_out() {
    let api = client().await;
    let echoed = api.add_note().await.unwrap();
    assert_eq!(serde_json::to_value(echoed.body()).unwrap(), json!({ "title": "none", "via": "none" }));
    let echoed = api.add_note().body(AddNoteBody::Plain("t".to_owned())).await.unwrap();
    assert_eq!(serde_json::to_value(echoed.body()).unwrap(), json!({ "title": "t", "via": "text" }));
}

#[tokio::test]
async fn an_undocumented_media_type_is_415_in_the_documented_shape() {
    let (status, problem) = send("PUT", "/v1/notes/7", "application/xml", "<note/>").await;
    assert_eq!(status, 415);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("application/json or application/x-www-form-urlencoded or text/plain"), "{problem}");
    // Each media type's own limits hold.
    assert_eq!(send("PUT", "/v1/notes/7", FORM, "title=eleven+chars").await.0, 422);
    assert_eq!(send("PUT", "/v1/notes/7", "application/json", r#"{"title":"eleven chars"}"#).await.0, 422);
}
