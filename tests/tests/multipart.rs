//! The `multipart` corpus crate (`tests/corpus/crates/multipart.yaml`) on the wire: a
//! `multipart/form-data` body with file, text, JSON and repeated parts sent by the generated
//! client and read by the generated server on 127.0.0.1; bodies written by hand as curl and
//! browsers write them; the server's 400, 413, 415 and 422 answers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use http::Request;
use multipart_client::{Client, FilePart, PutAvatarBody};
use multipart_server::mock::AcceptAny;
use multipart_server::{
    AddCommentRequest, AddCommentResponse, Api, Limits, Problem, PutAvatarRequest, PutAvatarResponse, UploadRequest,
    UploadResponse,
};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// Answers an upload with what it read, part by part; keeps the last avatar image (after
/// answering 503 once, when `unavailable_once` is set).
#[derive(Clone, Default)]
struct Echo {
    avatar: Arc<Mutex<Option<(i64, Value)>>>,
    unavailable_once: Arc<AtomicBool>,
}

/// What the server read of one file part.
fn info(file: &multipart_server::FilePart) -> Value {
    json!({
        "size": file.bytes.len(),
        "contentType": file.content_type,
        "fileName": file.file_name,
        "text": String::from_utf8_lossy(&file.bytes),
    })
}

impl Api for Echo {
    async fn add_comment(&self, request: AddCommentRequest) -> Result<AddCommentResponse, Problem> {
        let text = request.body.map_or("none".to_owned(), |body| body.text.unwrap_or_default());
        Ok(AddCommentResponse::Ok(text))
    }

    async fn put_avatar(&self, request: PutAvatarRequest) -> Result<PutAvatarResponse, Problem> {
        if self.unavailable_once.swap(false, Ordering::SeqCst) {
            return Err(Problem::new(http::StatusCode::SERVICE_UNAVAILABLE));
        }
        let read = match request.body {
            multipart_server::PutAvatarBody::Json(link) => json!({ "url": link.url }),
            multipart_server::PutAvatarBody::Multipart(parts) => info(&parts.image),
        };
        *self.avatar.lock().unwrap() = Some((request.id, read));
        Ok(PutAvatarResponse::NoContent)
    }

    async fn upload(&self, request: UploadRequest) -> Result<UploadResponse, Problem> {
        let body = request.body;
        let receipt = json!({
            "title": body.title,
            "count": body.count,
            "kind": body.kind,
            "tags": body.tags,
            "meta": body.meta,
            "sections": body.sections,
            "file": info(&body.file),
            "attachments": body.attachments.map(|files| files.iter().map(info).collect::<Vec<_>>()),
            "thumbnail": body.thumbnail.as_ref().map(info),
        });
        let receipt = serde_json::from_value(without_nulls(receipt)).unwrap();
        Ok(UploadResponse::Created(receipt))
    }
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

async fn client(echo: Echo) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = multipart_server::router(echo, AcceptAny);
    tokio::spawn(multipart_server::serve(listener, router, Limits::default()));
    let retry = multipart_client::RetryPolicy {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    Client::builder(&format!("http://{address}/v1")).retry(retry).build().unwrap()
}

#[tokio::test]
async fn file_text_json_and_repeated_parts_go_through_client_and_server() {
    let mut upload = multipart_client::types::Upload::new(
        "report",
        FilePart::new(&b"\x89PNG\r\n"[..]).with_content_type("image/png").with_file_name("café.png"),
    );
    upload.count = Some(3);
    upload.kind = Some(multipart_client::types::UploadKind::Photo);
    upload.tags = Some(vec!["a".into(), "b c".into()]);
    upload.meta = Some(serde_json::from_value(json!({ "source": "scanner", "page": 2 })).unwrap());
    upload.sections = Some(serde_json::from_value(json!([{ "source": "a" }, { "source": "b", "page": 1 }])).unwrap());
    upload.attachments =
        Some(vec![FilePart::new("one").with_file_name("1.txt"), FilePart::new("two").with_content_type("text/csv")]);
    // No media type of its own: the `encoding` entry's first, `image/png`.
    upload.thumbnail = Some(FilePart::new("thumb"));
    let receipt = client(Echo::default()).await.upload(upload).await.unwrap();
    let expected = json!({
        "title": "report",
        "count": 3,
        "kind": "photo",
        "tags": ["a", "b c"],
        "meta": { "source": "scanner", "page": 2 },
        "sections": [{ "source": "a" }, { "source": "b", "page": 1 }],
        "file": { "size": 6, "contentType": "image/png", "fileName": "café.png", "text": "\u{fffd}PNG\r\n" },
        "attachments": [
            { "size": 3, "contentType": "application/octet-stream", "fileName": "1.txt", "text": "one" },
            { "size": 3, "contentType": "text/csv", "text": "two" },
        ],
        "thumbnail": { "size": 5, "contentType": "image/png", "text": "thumb" },
    });
    assert_eq!(serde_json::to_value(receipt.body()).unwrap(), expected);
}

#[tokio::test]
async fn a_file_of_eight_mib_arrives_whole() {
    // Under the server's default 10 MiB body limit; every byte value, so no text survives by luck.
    let content: Vec<u8> = (0..8 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect();
    let upload = multipart_client::types::Upload::new("big", FilePart::new(content.clone()));
    let receipt = client(Echo::default()).await.upload(upload).await.unwrap();
    let file = &serde_json::to_value(receipt.body()).unwrap()["file"];
    assert_eq!(file["size"], json!(content.len()));
    assert_eq!(file["text"].as_str().unwrap(), String::from_utf8_lossy(&content));
}

#[tokio::test]
async fn the_client_chooses_json_or_multipart_and_the_server_reads_each() {
    let echo = Echo::default();
    let api = client(echo.clone()).await;
    let image = FilePart::new("img").with_content_type("image/png").with_file_name("me.png");
    api.put_avatar(7, PutAvatarBody::Multipart(multipart_client::types::PutAvatarRequestMultipart::new(image)))
        .await
        .unwrap();
    let read = echo.avatar.lock().unwrap().take();
    let expected = json!({ "size": 3, "contentType": "image/png", "fileName": "me.png", "text": "img" });
    assert_eq!(read, Some((7, expected)));
    let link = multipart_client::types::PutAvatarRequestApplicationJson::new("https://x.example/me.png");
    api.put_avatar(8, PutAvatarBody::Json(link)).await.unwrap();
    assert_eq!(echo.avatar.lock().unwrap().take(), Some((8, json!({ "url": "https://x.example/me.png" }))));
}

#[tokio::test]
async fn a_retried_call_sends_its_parts_again() {
    let echo = Echo::default();
    echo.unavailable_once.store(true, Ordering::SeqCst);
    let image = FilePart::new("img").with_file_name("me.png");
    let body = PutAvatarBody::Multipart(multipart_client::types::PutAvatarRequestMultipart::new(image));
    client(echo.clone()).await.put_avatar(9, body).await.unwrap();
    assert!(!echo.unavailable_once.load(Ordering::SeqCst), "the first attempt was answered 503");
    // No media type of its own: the member's 3.1 `contentMediaType`.
    let expected = json!({ "size": 3, "contentType": "image/png", "fileName": "me.png", "text": "img" });
    assert_eq!(echo.avatar.lock().unwrap().take(), Some((9, expected)));
}

#[tokio::test]
async fn an_optional_multipart_body_may_be_left_out() {
    let api = client(Echo::default()).await;
    assert_eq!(api.add_comment().await.unwrap().body(), "none");
    let mut comment = multipart_client::types::AddCommentRequest::default();
    comment.text = Some("hi".to_owned());
    assert_eq!(api.add_comment().body(comment).await.unwrap().body(), "hi");
}

/// Status and JSON body (`Null` when empty) of one raw request, through `limits`.
async fn send_with(limits: Limits, content_type: &str, body: &str) -> (u16, Value) {
    let request = Request::builder().method("POST").uri("/v1/uploads").header("content-type", content_type);
    let router = multipart_server::router(Echo::default(), AcceptAny);
    let router = mailapi_support::server::with_limits(router, limits);
    let body = Body::from(body.to_owned());
    let response = router.oneshot(request.header("content-length", body_len(&body)).body(body).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn body_len(body: &Body) -> String {
    axum::body::HttpBody::size_hint(body).exact().unwrap_or_default().to_string()
}

async fn send(content_type: &str, body: &str) -> (u16, Value) {
    send_with(Limits::default(), content_type, body).await
}

/// curl's boundary and line ends (`curl -F title=report -F 'file=@a.txt;type=text/plain' ...`).
const CURL: &str = "multipart/form-data; boundary=------------------------d74496d66958873e";

/// A body as curl writes it: `(name, file name, content type, content)` per part.
fn curl(parts: &[(&str, Option<&str>, Option<&str>, &str)]) -> String {
    let mut out = String::new();
    for (name, file_name, content_type, content) in parts {
        out.push_str("--------------------------d74496d66958873e\r\n");
        out.push_str(&format!("Content-Disposition: form-data; name=\"{name}\""));
        if let Some(file_name) = file_name {
            out.push_str(&format!("; filename=\"{file_name}\""));
        }
        out.push_str("\r\n");
        if let Some(content_type) = content_type {
            out.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        out.push_str(&format!("\r\n{content}\r\n"));
    }
    out.push_str("--------------------------d74496d66958873e--\r\n");
    out
}

#[tokio::test]
async fn a_body_written_as_curl_writes_it_decodes() {
    let body = curl(&[
        ("title", None, None, "report"),
        ("count", None, None, "2"),
        ("tags", None, None, "x"),
        ("tags", None, None, "y"),
        ("meta", Some("meta.json"), Some("application/json"), r#"{"source":"curl"}"#),
        ("file", Some("a.txt"), Some("text/plain"), "line 1\r\nline 2"),
        ("unknown", None, None, "ignored, as an unknown JSON member is"),
    ]);
    let expected = json!({
        "title": "report", "count": 2, "tags": ["x", "y"], "meta": { "source": "curl" },
        "file": { "size": 14, "contentType": "text/plain", "fileName": "a.txt", "text": "line 1\r\nline 2" },
    });
    assert_eq!(send(CURL, &body).await, (201, expected));
}

#[tokio::test]
async fn multipart_misfits_are_answered_as_documented() {
    let file = ("file", Some("a.txt"), None, "x");
    let title = ("title", None, None, "t");
    let cases = [
        (curl(&[title, file, ("count", None, None, "many")]), CURL, (422, "/count")),
        (curl(&[title, file, ("count", None, None, "0")]), CURL, (422, "/count")),
        (curl(&[("title", None, None, "eleven chars"), file]), CURL, (422, "/title")),
        // The server reads enums strictly, as in JSON.
        (curl(&[title, file, ("kind", None, None, "video")]), CURL, (422, "/kind")),
        (curl(&[title, file, ("kind", None, None, "photo")]), CURL, (201, "")),
        (curl(&[title]), CURL, (422, "/file")),
        (curl(&[file]), CURL, (422, "/title")),
        (curl(&[title, file, ("meta", None, None, "{")]), CURL, (422, "/meta")),
        (
            curl(&[title, file, ("sections", None, None, r#"{"source":"a"}"#), ("sections", None, None, "{}")]),
            CURL,
            (422, "/sections/1/source"),
        ),
        (curl(&[title, file]), "multipart/form-data", (400, "")),
        (
            "--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt".to_owned(),
            "multipart/form-data; boundary=x",
            (400, ""),
        ),
        (r#"{"title":"t","file":"x"}"#.to_owned(), "application/json", (415, "")),
        ("title=t&file=x".to_owned(), "application/x-www-form-urlencoded", (415, "")),
    ];
    for (body, content_type, (status, pointer)) in cases {
        let (got, problem) = send(content_type, &body).await;
        let got_pointer = problem["pointer"].as_str().unwrap_or_default();
        assert_eq!((got, got_pointer), (status, pointer), "{body}: {problem}");
    }
}

#[tokio::test]
async fn the_request_size_limit_bounds_a_multipart_body() {
    let big = curl(&[("title", None, None, "t"), ("file", Some("big.bin"), None, &"x".repeat(4096))]);
    let limits = Limits::default().max_body_bytes(1024);
    let (status, problem) = send_with(limits, CURL, &big).await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(send_with(Limits::default().max_body_bytes(8192), CURL, &big).await.0, 201);
}
