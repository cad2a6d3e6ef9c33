//! The generated servers against raw HTTP: every bad request is an `application/problem+json`
//! answer naming what was wrong, and never reaches the `Api` implementation; a good one
//! arrives typed. Most requests go through `tower::ServiceExt::oneshot` on the router; the
//! tests that need a real connection serve on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use outreach_server::{AuthError, AuthRequest, Authenticator, Principal, Problem};

// ---------------------------------------------------------------------------------------------
// Raw requests

/// The answer to one raw request.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The body as a problem, in the shape the operation documents for its status (checked by
    /// media type): an RFC 7807 document (`application/problem+json`, or a vendor's
    /// ProblemDetails under its own JSON media type) as it is, a JSON:API errors document
    /// (Outreach) as the members of its first error. Checks that the status member agrees.
    fn problem(&self) -> Value {
        let body: Value = serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"));
        let problem = match self.header("content-type") {
            Some("application/problem+json" | "application/json; api-version=1.0" | "application/json") => body,
            Some("application/vnd.api+json") => {
                let error = &body["errors"][0];
                let status: u16 = error["status"].as_str().unwrap().parse().unwrap();
                json!({
                    "status": status,
                    "title": error["title"],
                    "detail": error["detail"],
                    "pointer": error["source"]["pointer"],
                    "parameter": error["source"]["parameter"],
                })
            }
            other => panic!("not a documented problem media type: {other:?}: {self:?}"),
        };
        assert_eq!(problem["status"], self.status, "{problem}");
        problem
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

/// Sends one request through `router` without a network.
async fn send(router: &Router, method: &str, uri: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(body.into()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    Answer { status: parts.status.as_u16(), headers: parts.headers, body }
}

/// Serves `router` on an ephemeral loopback port; returns the base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, router).into_future());
    base
}

// ---------------------------------------------------------------------------------------------
// Outreach: a test implementation that records what reached it

const GOOD_TOKEN: &str = "good-token";
const AUTH: (&str, &str) = ("authorization", "Bearer good-token");
const JSON_API: (&str, &str) = ("content-type", "application/vnd.api+json");

/// Accepts one bearer token.
struct TokenAuth;

impl Authenticator for TokenAuth {
    async fn bearer(&self, request: &AuthRequest<'_>, token: &str) -> Result<Principal, AuthError> {
        match token {
            GOOD_TOKEN => Ok(Principal::new(request.scheme, "user-1")),
            _ => Err(AuthError::Invalid),
        }
    }
}

/// What reached the handlers.
#[derive(Default)]
struct Record {
    calls: AtomicUsize,
    lists: Mutex<Vec<outreach_server::ListMailboxesRequest>>,
    creates: Mutex<Vec<outreach_server::CreateMailboxRequest>>,
}

/// Outreach's `Api`, recording each call; `GET /mailboxes/13` panics.
#[derive(Clone, Default)]
struct Outreach(Arc<Record>);

impl Outreach {
    fn calls(&self) -> usize {
        self.0.calls.load(Ordering::SeqCst)
    }

    fn router(&self) -> Router {
        outreach_server::router(self.clone(), TokenAuth)
    }

    fn hit(&self) {
        self.0.calls.fetch_add(1, Ordering::SeqCst);
    }
}

fn mailbox_document(
    id: i64,
    attributes: Option<outreach_server::types::MailboxAttributes>,
) -> outreach_server::types::MailboxDocument {
    use outreach_server::types::*;
    MailboxDocument {
        data: Mailbox {
            type_: MailboxType::Mailbox,
            id: Some(id),
            attributes,
            relationships: None,
            links: None,
            meta: None,
        },
    }
}

impl outreach_server::Api for Outreach {
    async fn list_mailboxes(
        &self,
        request: outreach_server::ListMailboxesRequest,
    ) -> Result<outreach_server::ListMailboxesResponse, Problem> {
        self.hit();
        self.0.lists.lock().unwrap().push(request);
        let page = outreach_server::types::MailboxCollectionDocument { data: Vec::new(), links: None };
        Ok(outreach_server::ListMailboxesResponse::Ok(page))
    }

    async fn create_mailbox(
        &self,
        request: outreach_server::CreateMailboxRequest,
    ) -> Result<outreach_server::CreateMailboxResponse, Problem> {
        self.hit();
        let document = mailbox_document(1, request.body.data.attributes.clone());
        self.0.creates.lock().unwrap().push(request);
        Ok(outreach_server::CreateMailboxResponse::Created(document))
    }

    async fn get_mailbox(
        &self,
        request: outreach_server::GetMailboxRequest,
    ) -> Result<outreach_server::GetMailboxResponse, Problem> {
        self.hit();
        assert_ne!(request.id, 13, "mailbox 13 is unlucky");
        Ok(outreach_server::GetMailboxResponse::Ok(mailbox_document(request.id, None)))
    }

    async fn delete_mailbox(
        &self,
        _: outreach_server::DeleteMailboxRequest,
    ) -> Result<outreach_server::DeleteMailboxResponse, Problem> {
        self.hit();
        Ok(outreach_server::DeleteMailboxResponse::NoContent)
    }

    async fn update_mailbox(
        &self,
        request: outreach_server::UpdateMailboxRequest,
    ) -> Result<outreach_server::UpdateMailboxResponse, Problem> {
        self.hit();
        Ok(outreach_server::UpdateMailboxResponse::Ok(mailbox_document(request.id, None)))
    }

    async fn test_send_mailbox(
        &self,
        request: outreach_server::TestSendMailboxRequest,
    ) -> Result<outreach_server::TestSendMailboxResponse, Problem> {
        self.hit();
        Ok(outreach_server::TestSendMailboxResponse::Ok(mailbox_document(request.id, None)))
    }

    async fn test_sync_mailbox(
        &self,
        request: outreach_server::TestSyncMailboxRequest,
    ) -> Result<outreach_server::TestSyncMailboxResponse, Problem> {
        self.hit();
        Ok(outreach_server::TestSyncMailboxResponse::Ok(mailbox_document(request.id, None)))
    }
}

// ---------------------------------------------------------------------------------------------
// Stalwart and Parallels RAS: the mock behind a call counter

/// Implements a server crate's `Api` by counting each call and answering like its mock.
macro_rules! counting_mock {
    ($ty:ident for $krate:ident { $($op:ident: $req:ident => $resp:ident,)* }) => {
        #[derive(Clone, Default)]
        struct $ty(Arc<AtomicUsize>);

        impl $ty {
            fn calls(&self) -> usize {
                self.0.load(Ordering::SeqCst)
            }
        }

        impl $krate::Api for $ty {
            $(
                async fn $op(&self, request: $krate::$req) -> Result<$krate::$resp, Problem> {
                    self.0.fetch_add(1, Ordering::SeqCst);
                    <$krate::mock::Mock as $krate::Api>::$op(&$krate::mock::Mock, request).await
                }
            )*
        }
    };
}

counting_mock!(Ras for parallels_ras_server {
    get_mailbox_settings: GetMailboxSettingsRequest => GetMailboxSettingsResponse,
    update_mailbox_settings: UpdateMailboxSettingsRequest => UpdateMailboxSettingsResponse,
});

counting_mock!(Stalwart for stalwart_server {
    obtain_account_auth_settings: ObtainAccountAuthSettingsRequest => ObtainAccountAuthSettingsResponse,
    update_account_auth_settings: UpdateAccountAuthSettingsRequest => UpdateAccountAuthSettingsResponse,
    obtain_encryption_at_rest_settings: ObtainEncryptionAtRestSettingsRequest => ObtainEncryptionAtRestSettingsResponse,
    update_encryption_at_rest_settings: UpdateEncryptionAtRestSettingsRequest => UpdateEncryptionAtRestSettingsResponse,
    create_dkim_signature: CreateDkimSignatureRequest => CreateDkimSignatureResponse,
    obtain_dns_records: ObtainDnsRecordsRequest => ObtainDnsRecordsResponse,
    query_log_files: QueryLogFilesRequest => QueryLogFilesResponse,
    obtain_oauth_token: ObtainOauthTokenRequest => ObtainOauthTokenResponse,
    list_principals: ListPrincipalsRequest => ListPrincipalsResponse,
    create_principal: CreatePrincipalRequest => CreatePrincipalResponse,
    fetch_principal: FetchPrincipalRequest => FetchPrincipalResponse,
    delete_principal: DeletePrincipalRequest => DeletePrincipalResponse,
    update_principal: UpdatePrincipalRequest => UpdatePrincipalResponse,
    list_queued_messages: ListQueuedMessagesRequest => ListQueuedMessagesResponse,
    delete_queued_messages: DeleteQueuedMessagesRequest => DeleteQueuedMessagesResponse,
    reschedule_queued_messages: RescheduleQueuedMessagesRequest => RescheduleQueuedMessagesResponse,
    obtain_queued_message_details: ObtainQueuedMessageDetailsRequest => ObtainQueuedMessageDetailsResponse,
    cancel_queued_message: CancelQueuedMessageRequest => CancelQueuedMessageResponse,
    reschedule_queued_message: RescheduleQueuedMessageRequest => RescheduleQueuedMessageResponse,
    list_queued_reports: ListQueuedReportsRequest => ListQueuedReportsResponse,
    obtain_queue_status: ObtainQueueStatusRequest => ObtainQueueStatusResponse,
    resume_queue_processing: ResumeQueueProcessingRequest => ResumeQueueProcessingResponse,
    stop_queue_processing: StopQueueProcessingRequest => StopQueueProcessingResponse,
    reload_settings: ReloadSettingsRequest => ReloadSettingsResponse,
    list_incoming_arf_reports: ListIncomingArfReportsRequest => ListIncomingArfReportsResponse,
    list_incoming_dmarc_reports: ListIncomingDmarcReportsRequest => ListIncomingDmarcReportsResponse,
    list_incoming_tls_reports: ListIncomingTlsReportsRequest => ListIncomingTlsReportsResponse,
    update_settings: UpdateSettingsRequest => UpdateSettingsResponse,
    list_settings_by_group: ListSettingsByGroupRequest => ListSettingsByGroupResponse,
    list_settings_by_key: ListSettingsByKeyRequest => ListSettingsByKeyResponse,
    list_settings: ListSettingsRequest => ListSettingsResponse,
    test_spam_filter_classification: TestSpamFilterClassificationRequest => TestSpamFilterClassificationResponse,
    train_spam_filter_ham: TrainSpamFilterHamRequest => TrainSpamFilterHamResponse,
    train_account_spam_filter_ham: TrainAccountSpamFilterHamRequest => TrainAccountSpamFilterHamResponse,
    train_spam_filter_spam: TrainSpamFilterSpamRequest => TrainSpamFilterSpamResponse,
    train_account_spam_filter_spam: TrainAccountSpamFilterSpamRequest => TrainAccountSpamFilterSpamResponse,
    upload_spam_filter_ham: UploadSpamFilterHamRequest => UploadSpamFilterHamResponse,
    upload_account_spam_filter_ham: UploadAccountSpamFilterHamRequest => UploadAccountSpamFilterHamResponse,
    upload_spam_filter_spam: UploadSpamFilterSpamRequest => UploadSpamFilterSpamResponse,
    upload_account_spam_filter_spam: UploadAccountSpamFilterSpamRequest => UploadAccountSpamFilterSpamResponse,
    fetch_blob_by_id: FetchBlobByIdRequest => FetchBlobByIdResponse,
    purge_all_accounts: PurgeAllAccountsRequest => PurgeAllAccountsResponse,
    purge_account: PurgeAccountRequest => PurgeAccountResponse,
    purge_blob_store: PurgeBlobStoreRequest => PurgeBlobStoreResponse,
    purge_data_store: PurgeDataStoreRequest => PurgeDataStoreResponse,
    purge_in_memory_store: PurgeInMemoryStoreRequest => PurgeInMemoryStoreResponse,
    delete_account_bayes_model: DeleteAccountBayesModelRequest => DeleteAccountBayesModelResponse,
    delete_global_bayes_model: DeleteGlobalBayesModelRequest => DeleteGlobalBayesModelResponse,
    request_fts_reindex: RequestFtsReindexRequest => RequestFtsReindexResponse,
    request_index_reindex: RequestIndexReindexRequest => RequestIndexReindexResponse,
    request_account_index_reindex: RequestAccountIndexReindexRequest => RequestAccountIndexReindexResponse,
    reset_imap_uids: ResetImapUidsRequest => ResetImapUidsResponse,
    list_deleted_messages: ListDeletedMessagesRequest => ListDeletedMessagesResponse,
    undelete_messages: UndeleteMessagesRequest => UndeleteMessagesResponse,
    obtain_metrics_telemetry_token: ObtainMetricsTelemetryTokenRequest => ObtainMetricsTelemetryTokenResponse,
    request_tracing_token: RequestTracingTokenRequest => RequestTracingTokenResponse,
    fetch_telemetry_metrics: FetchTelemetryMetricsRequest => FetchTelemetryMetricsResponse,
    live_metrics: LiveMetricsRequest => LiveMetricsResponse,
    obtain_trace_details: ObtainTraceDetailsRequest => ObtainTraceDetailsResponse,
    list_stored_traces: ListStoredTracesRequest => ListStoredTracesResponse,
    start_live_tracing: StartLiveTracingRequest => StartLiveTracingResponse,
    run_delivery_troubleshooting: RunDeliveryTroubleshootingRequest => RunDeliveryTroubleshootingResponse,
    run_dmarc_troubleshooting: RunDmarcTroubleshootingRequest => RunDmarcTroubleshootingResponse,
    obtain_troubleshooting_token: ObtainTroubleshootingTokenRequest => ObtainTroubleshootingTokenResponse,
    update_spam_filter: UpdateSpamFilterRequest => UpdateSpamFilterResponse,
    update_webadmin: UpdateWebadminRequest => UpdateWebadminResponse,
});

// ---------------------------------------------------------------------------------------------
// Bodies

/// What a rejected request's problem must say: its status and the members it must carry.
struct Rejection {
    status: u16,
    members: &'static [(&'static str, &'static str)],
    detail: &'static str,
}

const fn rejected(status: u16, members: &'static [(&'static str, &'static str)], detail: &'static str) -> Rejection {
    Rejection { status, members, detail }
}

/// Checks the problem `answer` against `expected`.
fn check_problem(what: &str, answer: &Answer, expected: &Rejection) {
    assert_eq!(answer.status, expected.status, "{what}: {answer:?}");
    let problem = answer.problem();
    for (member, value) in expected.members {
        assert_eq!(problem[member], *value, "{what}: `{member}` in {problem}");
    }
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(expected.detail), "{what}: detail {detail:?} lacks {:?}", expected.detail);
}

#[tokio::test]
async fn bad_bodies_are_problems_that_never_reach_the_handler() {
    let long_email =
        format!(r#"{{"data": {{"type": "mailbox", "attributes": {{"email": "{}@x.test"}}}}}}"#, "a".repeat(250));
    let valid = r#"{"data": {"type": "mailbox"}}"#;
    let cases: Vec<(&str, Option<&str>, String, Rejection)> = vec![
        ("malformed", Some("application/vnd.api+json"), r#"{"data": "#.into(), rejected(400, &[], "malformed JSON")),
        (
            "wrong type",
            Some("application/vnd.api+json"),
            r#"{"data": {"type": "mailbox", "attributes": {"imapPort": "993"}}}"#.into(),
            rejected(422, &[("pointer", "/data/attributes/imapPort")], "invalid type: string \"993\""),
        ),
        (
            "missing required field",
            Some("application/vnd.api+json"),
            r#"{"data": {"attributes": {}}}"#.into(),
            rejected(422, &[("pointer", "/data/type")], "missing field `type`"),
        ),
        (
            "unknown enum value",
            Some("application/vnd.api+json"),
            r#"{"data": {"type": "user"}}"#.into(),
            rejected(422, &[("pointer", "/data/type")], "unknown variant `user`"),
        ),
        (
            "string too long",
            Some("application/vnd.api+json"),
            long_email,
            rejected(422, &[("pointer", "/data/attributes/email")], "length 257"),
        ),
        ("wrong content type", Some("application/json"), valid.into(), rejected(415, &[], "application/vnd.api+json")),
        ("missing content type", None, valid.into(), rejected(415, &[], "missing content type")),
        (
            "oversize",
            Some("application/vnd.api+json"),
            " ".repeat(10 * 1024 * 1024 + 1),
            rejected(413, &[], "exceeds the limit of 10485760 bytes"),
        ),
    ];
    let api = Outreach::default();
    let router = api.router();
    for (what, content_type, body, expected) in &cases {
        let mut headers = vec![AUTH];
        headers.extend(content_type.map(|ct| ("content-type", ct)));
        let answer = send(&router, "POST", "/api/v2/mailboxes", &headers, body.clone()).await;
        check_problem(what, &answer, expected);
    }
    // JSON:API errors have no place for line and column: the undocumented 400 of Parallels RAS,
    // a problem document, carries them.
    let ras = parallels_ras_server::router(Ras::default(), parallels_ras_server::mock::AcceptAny);
    let headers = [("auth_token", "k"), ("content-type", "application/json; api-version=1.0")];
    let malformed = send(&ras, "PUT", "/api/MailboxSettings", &headers, "{\n  \"useTLS\": }").await;
    assert_eq!(malformed.header("content-type"), Some("application/problem+json"));
    let malformed = malformed.problem();
    assert_eq!((&malformed["line"], &malformed["column"]), (&json!(2), &json!(13)));
    assert_eq!(api.calls(), 0);
}

#[tokio::test]
async fn parallels_ras_checks_bounds_enums_and_the_versioned_media_type() {
    let api = Ras::default();
    let router = parallels_ras_server::router(api.clone(), parallels_ras_server::mock::AcceptAny);
    let key = ("auth_token", "any-key");
    let versioned = ("content-type", "application/json; api-version=1.0");
    let too_long = format!(r#"{{"smtpServer": "{}"}}"#, "m".repeat(256));
    let cases = [
        (
            "length",
            versioned,
            too_long.as_str(),
            rejected(422, &[("pointer", "/smtpServer")], "length 256 is outside 0..=255"),
        ),
        ("enum", versioned, r#"{"useTLS": 9}"#, rejected(422, &[("pointer", "/useTLS")], "unknown value 9")),
        (
            "type",
            versioned,
            r#"{"requireAuth": "yes"}"#,
            rejected(422, &[("pointer", "/requireAuth")], "expected a boolean"),
        ),
        ("media type", ("content-type", "text/plain"), "{}", rejected(415, &[], "not accepted")),
    ];
    for (what, content_type, body, expected) in &cases {
        let answer = send(&router, "PUT", "/api/MailboxSettings", &[key, *content_type], body.to_string()).await;
        check_problem(what, &answer, expected);
    }
    assert_eq!(api.calls(), 0);

    // Only the media type's essence is compared: the plain JSON type is accepted too.
    for content_type in ["application/json; api-version=1.0", "application/json"] {
        let body = r#"{"smtpServer": "mail.example.com:25", "useTLS": 4}"#;
        let answer = send(&router, "PUT", "/api/MailboxSettings", &[key, ("content-type", content_type)], body).await;
        assert_eq!(answer.status, 204, "{content_type}: {answer:?}");
    }
    assert_eq!(api.calls(), 2);
}

// ---------------------------------------------------------------------------------------------
// Strict decoding and documented error shapes, per vendor (issue classes 1-8)

/// Sends `body` as JSON and checks the problem: (status, media type, pointer, detail part).
async fn check_rejected(
    router: &Router,
    what: &str,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
    expected: (u16, &str, &str),
) {
    let answer = send(router, method, uri, headers, body.to_owned()).await;
    let (status, media, detail) = expected;
    assert_eq!((answer.status, answer.header("content-type")), (status, Some(media)), "{what}: {answer:?}");
    let problem = answer.problem();
    let got = problem["detail"].as_str().unwrap_or_default();
    assert!(got.contains(detail), "{what}: detail {got:?} lacks {detail:?}");
    assert!(!got.contains("malformed JSON"), "{what}: well-formed JSON is never malformed: {got:?}");
}

#[tokio::test]
async fn parallels_ras_rejects_null_and_arrays_where_the_schema_has_objects() {
    let api = Ras::default();
    let router = parallels_ras_server::router(api.clone(), parallels_ras_server::mock::AcceptAny);
    let headers = [("auth_token", "k"), ("content-type", "application/json; api-version=1.0")];
    let problem = "application/problem+json";
    let cases = [
        (
            "null for a member that is not nullable",
            r#"{"useTLS": null}"#,
            (422, problem, "/useTLS: invalid type: null"),
        ),
        ("empty array for an object", "[]", (422, problem, "invalid type: sequence, expected struct")),
        ("positional struct", "[null, null]", (422, problem, "invalid type: sequence")),
        ("object for an enum", r#"{"useTLS": {}}"#, (422, problem, "/useTLS: invalid type: map")),
    ];
    for (what, body, expected) in cases {
        check_rejected(&router, what, "PUT", "/api/MailboxSettings", &headers, body, expected).await;
    }
    // A nullable member still takes null.
    let answer = send(&router, "PUT", "/api/MailboxSettings", &headers, r#"{"smtpServer": null}"#).await;
    assert_eq!(answer.status, 204, "{answer:?}");
    assert_eq!(api.calls(), 1);

    // 401 as documented: ProblemDetails under the versioned media type.
    let answer = send(&router, "GET", "/api/MailboxSettings", &[], Body::empty()).await;
    assert_eq!((answer.status, answer.header("content-type")), (401, Some("application/json; api-version=1.0")));
    assert_eq!(answer.problem()["detail"], "missing credentials");
}

#[tokio::test]
async fn outreach_answers_json_api_error_documents() {
    let api = Outreach::default();
    let router = api.router();
    let media = "application/vnd.api+json";
    let cases = [
        ("array for the data object", r#"{"data": ["mailbox"]}"#, (422, media, "/data: invalid type: sequence")),
        (
            "null for attributes",
            r#"{"data": {"type": "mailbox", "attributes": null}}"#,
            (422, media, "/data/attributes: invalid type: null"),
        ),
        ("object for the type enum", r#"{"data": {"type": {}}}"#, (422, media, "/data/type: invalid type: map")),
        ("array document", "[]", (422, media, "invalid type: sequence")),
    ];
    for (what, body, expected) in cases {
        check_rejected(&router, what, "POST", "/api/v2/mailboxes", &[AUTH, JSON_API], body, expected).await;
    }
    let answer = send(&router, "POST", "/api/v2/mailboxes", &[AUTH, JSON_API], r#"{"data": {"type": {}}}"#).await;
    let document = answer.json();
    assert_eq!(document["errors"][0]["source"], json!({"pointer": "/data/type"}), "{document}");

    // Each item of an array parameter is checked against the items' pattern.
    let answer = send(&router, "GET", "/api/v2/mailboxes?fields[mailbox]=email,a1", &[AUTH], Body::empty()).await;
    assert_eq!((answer.status, answer.header("content-type")), (422, Some(media)), "{answer:?}");
    assert_eq!(answer.json()["errors"][0]["source"], json!({"parameter": "fields[mailbox]"}));
    assert_eq!(api.calls(), 0);
}

#[tokio::test]
async fn hostway_answers_bad_input_in_its_documented_400_envelope() {
    let router = hostway_server::router(hostway_server::mock::Mock, hostway_server::mock::AcceptAny);
    let auth = ("authorization", "Basic YWRtaW46c2VjcmV0");
    let json = ("content-type", "application/json");
    let action = "/accounts/a1/email/example.com/usernames/jane/mailbox/action";
    let secrets = "/accounts/a1/email/example.com/usernames/jane/secrets";
    let envelope = "application/json";
    // (what, uri, content type, body, detail): every one is the documented 400, never 415 or 422.
    let cases = [
        ("text body", action, ("content-type", "text/plain"), "x", "content type `text/plain` is not accepted"),
        (
            "object for an enum",
            action,
            json,
            r#"{"action": {}, "actionData": {"password": "Secret#1"}}"#,
            "/action: invalid type: map",
        ),
        (
            "null for a member that is not nullable",
            action,
            json,
            r#"{"action": null, "actionData": {"password": "Secret#1"}}"#,
            "/action: invalid type: null",
        ),
        (
            "required writeOnly member missing",
            action,
            json,
            r#"{"actionData": {}}"#,
            "/actionData/password: missing field `password`",
        ),
        ("array for an object", action, json, "[]", "invalid type: sequence"),
        ("short map value", secrets, json, r#"{"tk1": "answer1", "tk2": "a"}"#, "/tk2: length 1"),
    ];
    for (what, uri, content_type, body, detail) in cases {
        let method = if uri == secrets { "PUT" } else { "POST" };
        let answer = send(&router, method, uri, &[auth, content_type], body.to_owned()).await;
        assert_eq!((answer.status, answer.header("content-type")), (400, Some(envelope)), "{what}: {answer:?}");
        let error = &answer.json()["badRequest"];
        assert_eq!((&error["message"], &error["code"]), (&json!("Bad Request"), &json!(400)), "{what}: {error}");
        let got = error["details"]["message"].as_str().unwrap_or_default();
        assert!(got.contains(detail), "{what}: {got:?} lacks {detail:?}");
    }
    let answer = send(&router, "POST", action, &[auth, json], r#"{"actionData": {"password": "Secret#1"}}"#).await;
    assert_eq!(answer.status, 204, "{answer:?}");

    // Its 401 is documented without a body (the action itself is open to anonymous calls).
    let answer = send(&router, "PUT", secrets, &[json], "{}").await;
    assert_eq!((answer.status, answer.header("content-type"), answer.body.len()), (401, None, 0), "{answer:?}");
    assert_eq!(answer.header("www-authenticate"), Some(r#"Basic realm="basicAuth""#));
}

#[tokio::test]
async fn stalwart_answers_its_documented_401_and_strict_bodies() {
    let router = stalwart_server::router(Stalwart::default(), stalwart_server::mock::AcceptAny);
    let answer = send(&router, "GET", "/api/principal", &[], Body::empty()).await;
    assert_eq!((answer.status, answer.header("content-type")), (401, Some("application/problem+json")), "{answer:?}");
    assert_eq!(answer.problem()["title"], "Unauthorized");
    let headers = [("authorization", "Basic YWRtaW46c2VjcmV0"), ("content-type", "application/json")];
    let problem = "application/problem+json";
    let cases = [
        // POST /principal documents 400 (and not 422): validation failures answer 400.
        ("array for an object", "[]", (400, problem, "invalid type: sequence")),
        ("null for a member that is not nullable", r#"{"name": "jane", "quota": null}"#, (400, problem, "/quota: ")),
    ];
    for (what, body, expected) in cases {
        check_rejected(&router, what, "POST", "/api/principal", &headers, body, expected).await;
    }
}

/// Accepts `admin` with one password, compared in constant time as the `Authenticator` docs show.
struct PasswordAuth;

impl Authenticator for PasswordAuth {
    async fn basic(&self, request: &AuthRequest<'_>, user: &str, password: &str) -> Result<Principal, AuthError> {
        use subtle::ConstantTimeEq as _;
        let same = user.as_bytes().ct_eq(b"admin") & password.as_bytes().ct_eq(b"secret");
        if bool::from(same) { Ok(Principal::new(request.scheme, user)) } else { Err(AuthError::Invalid) }
    }
}

#[tokio::test]
async fn a_wrong_credential_is_401_when_the_authenticator_says_so() {
    let api = Stalwart::default();
    let router = stalwart_server::router(api.clone(), PasswordAuth);
    // admin:secret, admin:wrong, admin:secre
    for (credential, status) in [("YWRtaW46c2VjcmV0", 200), ("YWRtaW46d3Jvbmc=", 401), ("YWRtaW46c2VjcmU=", 401)] {
        let header = format!("Basic {credential}");
        let answer = send(&router, "GET", "/api/principal", &[("authorization", &header)], Body::empty()).await;
        assert_eq!(answer.status, status, "{credential}: {answer:?}");
    }
    assert_eq!(api.calls(), 1);
    // The mock's AcceptAny takes any well-formed credential.
    let mock = stalwart_server::router(Stalwart::default(), stalwart_server::mock::AcceptAny);
    let answer =
        send(&mock, "GET", "/api/principal", &[("authorization", "Basic YWRtaW46d3Jvbmc=")], Body::empty()).await;
    assert_eq!(answer.status, 200);
}

// ---------------------------------------------------------------------------------------------
// Parameters

#[tokio::test]
async fn bad_parameters_are_problems_naming_the_parameter() {
    let cases = [
        (
            "/api/v2/mailboxes?page%5Bsize%5D=0",
            rejected(422, &[("parameter", "page[size]")], "0 is not >=1 and <=1000"),
        ),
        ("/api/v2/mailboxes?page[size]=1001", rejected(422, &[("parameter", "page[size]")], "1001 is not")),
        (
            "/api/v2/mailboxes?page[size]=ten",
            rejected(400, &[("parameter", "page[size]")], "invalid value for parameter `page[size]`"),
        ),
        (
            "/api/v2/mailboxes?provideAuthorizationMeta=yes",
            rejected(400, &[("parameter", "provideAuthorizationMeta")], ""),
        ),
        ("/api/v2/mailboxes?filter[user][id]=me", rejected(400, &[("parameter", "filter[user][id]")], "")),
        ("/api/v2/mailboxes/abc", rejected(400, &[("parameter", "id")], "")),
    ];
    let api = Outreach::default();
    let router = api.router();
    for (uri, expected) in &cases {
        check_problem(uri, &send(&router, "GET", uri, &[AUTH], Body::empty()).await, expected);
    }
    assert_eq!(api.calls(), 0);
}

#[tokio::test]
async fn path_parameters_cannot_hold_slashes_or_dot_segments() {
    let api = Stalwart::default();
    let router = stalwart_server::router(api.clone(), stalwart_server::mock::AcceptAny);
    let auth = ("authorization", "Basic YWRtaW46c2VjcmV0");
    for uri in [
        "/api/principal/a%2Fb",
        "/api/principal/a%2fb",
        "/api/principal/..",
        "/api/principal/.",
        "/api/principal/%2E%2E",
        "/api/principal/%2e%2E",
        "/api/principal/%2E",
    ] {
        let answer = send(&router, "GET", uri, &[auth], Body::empty()).await;
        check_problem(uri, &answer, &rejected(400, &[("parameter", "principal_id")], "principal_id"));
    }
    assert_eq!(api.calls(), 0);

    // Dots inside a value and other encoded characters are ordinary.
    for uri in ["/api/principal/jane.doe", "/api/principal/...", "/api/principal/j%C3%A4ne%20d"] {
        let answer = send(&router, "GET", uri, &[auth], Body::empty()).await;
        assert_eq!(answer.status, 200, "{uri}: {answer:?}");
    }
    assert_eq!(api.calls(), 3);
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn missing_or_invalid_credentials_are_401_with_a_challenge() {
    let outreach = Outreach::default();
    let ras = Ras::default();
    let stalwart = Stalwart::default();
    let routers = [
        ("outreach", outreach.router(), "/api/v2/mailboxes"),
        (
            "ras",
            parallels_ras_server::router(ras.clone(), parallels_ras_server::mock::AcceptAny),
            "/api/MailboxSettings",
        ),
        ("stalwart", stalwart_server::router(stalwart.clone(), stalwart_server::mock::AcceptAny), "/api/principal"),
    ];
    // (router, credentials, WWW-Authenticate, detail)
    type Case = (&'static str, &'static [(&'static str, &'static str)], &'static str, &'static str);
    let cases: [Case; 6] = [
        ("outreach", &[], "Bearer", "missing credentials"),
        ("outreach", &[("authorization", "Bearer stolen")], "Bearer", "invalid credentials"),
        ("outreach", &[("authorization", "Basic YWRtaW46c2VjcmV0")], "Bearer", "missing credentials"),
        ("outreach", &[("authorization", "Bearer ")], "Bearer", "invalid credentials"),
        ("ras", &[("authorization", "Bearer x")], r#"ApiKey header="auth_token""#, "missing credentials"),
        ("stalwart", &[("authorization", "Basic !!!")], r#"Basic realm="basicAuth", Bearer"#, "invalid credentials"),
    ];
    for (name, headers, challenge, detail) in cases {
        let (_, router, path) = routers.iter().find(|(n, _, _)| *n == name).unwrap();
        let answer = send(router, "GET", path, headers, Body::empty()).await;
        let what = format!("{name} {headers:?}");
        check_problem(&what, &answer, &rejected(401, &[], detail));
        assert_eq!(answer.header("www-authenticate"), Some(challenge), "{what}");
    }
    assert_eq!((outreach.calls(), ras.calls(), stalwart.calls()), (0, 0, 0));
}

// ---------------------------------------------------------------------------------------------
// Handlers

#[tokio::test]
async fn a_valid_request_reaches_the_handler_typed() {
    let api = Outreach::default();
    let router = api.router();
    let uri = "/api/v2/mailboxes?filter%5Buser%5D%5Bid%5D=7&page[size]=50&sort=-updatedAt%2Cemail&fields[mailbox]=email,userId&provideAuthorizationMeta=true";
    let answer = send(&router, "GET", uri, &[AUTH], Body::empty()).await;
    assert_eq!((answer.status, answer.json()), (200, json!({"data": []})));
    assert_eq!(answer.header("content-type"), Some("application/vnd.api+json"));

    let body = r#"{"data": {"type": "mailbox", "attributes": {"email": "a@example.com", "smtpPort": 587, "syncMethod": "imap"}}}"#;
    let answer = send(&router, "POST", "/api/v2/mailboxes", &[AUTH, JSON_API], body).await;
    assert_eq!(answer.status, 201, "{answer:?}");
    assert_eq!(answer.json()["data"]["attributes"]["email"], "a@example.com");

    let principal = Some(Principal::new("OAuth2", "user-1"));
    let lists = api.0.lists.lock().unwrap();
    let [list] = lists.as_slice() else { panic!("{lists:?}") };
    assert_eq!(list.filter_user_id, Some(7));
    assert_eq!(list.page_size, Some(50));
    assert_eq!(list.sort.as_deref(), Some(&["-updatedAt".to_owned(), "email".to_owned()][..]));
    assert_eq!(list.fields_mailbox.as_deref(), Some(&["email".to_owned(), "userId".to_owned()][..]));
    assert_eq!(list.provide_authorization_meta, Some(true));
    assert_eq!(list.context.principal, principal);
    let printed = format!("{list:?}");
    assert!(!printed.contains(GOOD_TOKEN) && printed.contains("Sensitive"), "{printed}");

    let creates = api.0.creates.lock().unwrap();
    let [create] = creates.as_slice() else { panic!("{creates:?}") };
    let attributes = create.body.data.attributes.as_ref().unwrap();
    assert_eq!(attributes.email.as_option().map(String::as_str), Some("a@example.com"));
    assert_eq!(attributes.smtp_port.as_option(), Some(&587));
    assert_eq!(attributes.sync_method.as_option(), Some(&outreach_server::types::MailboxAttributesSyncMethod::Imap));
    assert_eq!(create.context.principal, principal);
    assert_eq!(api.calls(), 2);
}

/// One HTTP/1.1 request on its own connection: (status, content type, body).
async fn raw_get(base: &str, path: &str) -> (u16, String, Value) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {GOOD_TOKEN}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let content_type = head.lines().find_map(|line| line.strip_prefix("content-type: ")).unwrap_or_default().to_owned();
    (status, content_type, serde_json::from_str(body).unwrap())
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_problem_and_the_server_keeps_serving() {
    let api = Outreach::default();
    let base = serve(api.router()).await;
    let (status, content_type, problem) = raw_get(&base, "/api/v2/mailboxes/13").await;
    assert_eq!((status, content_type.as_str()), (500, "application/problem+json"));
    // No panic message, nothing internal.
    assert_eq!(problem, json!({"type": "about:blank", "title": "Internal Server Error", "status": 500}));

    let (status, _, document) = raw_get(&base, "/api/v2/mailboxes/12").await;
    assert_eq!((status, &document["data"]["id"]), (200, &json!(12)));
    assert_eq!(api.calls(), 2);
}

// ---------------------------------------------------------------------------------------------
// Mocks

#[tokio::test]
async fn mock_answers_the_preferred_status_or_example() {
    use stalwart_client::ObtainQueuedMessageDetailsError;

    let base = serve(stalwart_server::router(stalwart_server::mock::Mock, stalwart_server::mock::AcceptAny)).await;
    let client = stalwart_client::Client::builder(&format!("{base}/api")).basic_auth("admin", "x").build().unwrap();
    let prefer = |value: &'static str| stalwart_client::CallOptions {
        headers: HeaderMap::from_iter([(
            http::header::HeaderName::from_static("prefer"),
            http::HeaderValue::from_static(value),
        )]),
        ..Default::default()
    };

    let default = client.obtain_queued_message_details("m1").await.unwrap();
    assert_eq!(default.data.return_path.as_deref(), Some("pepe@pepe.com"));

    for preference in ["code=404", "example=notFound"] {
        match client.with_options(prefer(preference)).obtain_queued_message_details("m1").await {
            Err(stalwart_client::Error::Api(value)) => {
                assert_eq!(value.status(), StatusCode::NOT_FOUND);
                let ObtainQueuedMessageDetailsError::NotFound(problem) = value.into_inner() else {
                    panic!("{preference}")
                };
                assert_eq!(problem.title.as_deref(), Some("Not Found"));
            }
            other => panic!("{preference}: {other:?}"),
        }
    }

    let undocumented = client.with_options(prefer("code=418")).obtain_queued_message_details("m1").await;
    assert!(matches!(undocumented, Err(stalwart_client::Error::UnexpectedStatus { status, .. }) if status == 501));

    let anonymous = stalwart_client::Client::new(&format!("{base}/api")).unwrap();
    match anonymous.obtain_queued_message_details("m1").await {
        Err(stalwart_client::Error::Api(value)) => {
            assert_eq!(value.status(), StatusCode::UNAUTHORIZED);
            assert!(value.headers().contains_key("www-authenticate"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn mock_picks_a_named_example_among_several() {
    let base = serve(hostway_server::router(hostway_server::mock::Mock, hostway_server::mock::AcceptAny)).await;
    let client = hostway_client::Client::builder(&base).basic_auth("admin", "x").build().unwrap();
    // (Prefer, totalCount of that example)
    for (prefer, total) in [(None, 4), (Some("example=filteredByType"), 1), (Some("example=paginatedRequest"), 2)] {
        let headers = prefer
            .map(|p| (http::header::HeaderName::from_static("prefer"), http::HeaderValue::from_static(p)))
            .into_iter()
            .collect();
        let client = client.with_options(hostway_client::CallOptions { headers, ..Default::default() });
        let list = client.list_domain_blackwhitelist("acct", "test.com").await.unwrap();
        assert_eq!(list.total_count, total, "{prefer:?}");
    }

    let anonymous = hostway_client::Client::new(&base).unwrap();
    let result = anonymous.list_domain_blackwhitelist("acct", "test.com").await;
    assert!(
        matches!(result, Err(hostway_client::Error::Api(ref value)) if *value.body() == hostway_client::ListDomainBlackwhitelistError::Unauthorized),
        "{result:?}"
    );
}

#[tokio::test]
async fn mock_negotiates_json_or_xml_by_accept() {
    let router = edge_cases_server::router(edge_cases_server::mock::Mock, edge_cases_server::mock::AcceptAny);
    let base = serve(router).await;
    // The edge-cases server URL carries the base path /v1.
    let client = edge_cases_client::Client::builder(&format!("{base}/v1")).api_key("key", "k").build().unwrap();
    let json = client.get_representation().await.unwrap();
    assert_eq!(json.headers()["content-type"], "application/json");
    assert_eq!(json.into_inner().name, "a");
    let xml = client.get_representation_xml().await.unwrap();
    assert_eq!(xml.headers()["content-type"], "text/xml");
    assert!(xml.into_inner().starts_with("<thing>\n  <name>a</name>"));
}

/// A parameter sharing its segment with literal text (`/calls/{sid}.json`): the router holds the
/// whole segment, the server strips the text, and a segment without it is a path the API lacks.
#[tokio::test]
async fn a_parameter_with_literal_text_in_its_segment_is_routed() {
    let router = edge_cases_server::router(edge_cases_server::mock::Mock, edge_cases_server::mock::AcceptAny);
    let ok = send(&router, "GET", "/v1/calls/CA123.json?api_key=k", &[], Body::empty()).await;
    assert_eq!((ok.status, ok.json()["name"].clone()), (200, Value::from("call")), "{ok:?}");
    for (uri, status) in
        [("/v1/calls/CA123?api_key=k", 404), ("/v1/calls/.json?api_key=k", 404), ("/v1/calls/XY1.json?api_key=k", 422)]
    {
        let answer = send(&router, "GET", uri, &[], Body::empty()).await;
        assert_eq!(answer.status, status, "{uri}: {answer:?}");
    }
}
