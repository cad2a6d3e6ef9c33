//! Checking an operation's security requirements against a request.

use std::future::Future;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::AUTHORIZATION;
use http::{HeaderMap, Method, Uri};

use crate::param_encoding::parse_query;
use crate::problem::Problem;
use crate::security::{Scheme, SchemeKind, Security};

/// Who made an authenticated request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The name of the scheme that authenticated the request.
    pub scheme: String,
    /// The authenticated subject (user id, client id, key owner).
    pub subject: String,
}

impl Principal {
    /// A principal authenticated by `scheme`.
    pub fn new(scheme: impl Into<String>, subject: impl Into<String>) -> Self {
        Self { scheme: scheme.into(), subject: subject.into() }
    }
}

/// Why a request was refused: `Invalid` and `Unsupported` are answered 401, the others with
/// their own status. Another security alternative of the operation may still pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// The credential is wrong, expired or malformed: 401.
    Invalid,
    /// The application does not support this kind of credential: 401.
    Unsupported,
    /// The credential is good but may not make this request: 403.
    Forbidden,
    /// The caller made too many requests: 429 with `Retry-After`.
    RateLimited {
        /// When the caller may try again.
        retry_after: Duration,
    },
    /// Credentials cannot be checked now (the identity service is down): 503 with
    /// `Retry-After`, which clients retry, rather than a 401 that tells them to log in again.
    Unavailable {
        /// When the caller may try again.
        retry_after: Duration,
    },
}

/// What an [`Authenticator`] sees of a request: its method, URI and headers, the operation
/// and the scheme being checked. It is asked before the body is read or the path decoded, so
/// a refused caller costs neither and learns nothing about their validity.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct AuthRequest<'a> {
    /// The name of the security scheme in the spec (two API key schemes differ by it).
    pub scheme: &'a str,
    /// The operation's `operationId` in the spec.
    pub operation: &'a str,
    /// The request method.
    pub method: &'a Method,
    /// The request URI as sent: the path is still percent-encoded.
    pub uri: &'a Uri,
    /// The request headers.
    pub headers: &'a HeaderMap,
}

impl<'a> AuthRequest<'a> {
    /// A request as the generated router shows it to an [`Authenticator`]; for tests of one.
    pub fn new(scheme: &'a str, operation: &'a str, method: &'a Method, uri: &'a Uri, headers: &'a HeaderMap) -> Self {
        Self { scheme, operation, method, uri, headers }
    }

    /// The path as sent, still percent-encoded.
    pub fn path(&self) -> &'a str {
        self.uri.path()
    }
}

/// Verifies credentials and decides whether their holder may make the request; the
/// application implements the kinds of credential it supports.
///
/// Each method gets the [`AuthRequest`]: `request.scheme` is the scheme's name in the spec, so
/// one implementation can tell apart, say, two API key schemes; method, path, operation and
/// headers let it refuse with [`AuthError::Forbidden`] (403). An identity service that is down
/// is [`AuthError::Unavailable`] (503 with `Retry-After`), not a 401. Unimplemented kinds
/// reject. A refusal is answered before the body is read and before the operation runs (the
/// generated mocks' `AcceptAny` accepts any well-formed credential).
///
/// Compare secrets in constant time, so that the time of a rejection does not tell how much
/// of a guess was right: `==` on strings stops at the first differing byte.
///
/// ```
/// use http::Method;
/// use mailapi_support::server::{AuthError, AuthRequest, Authenticator, Principal};
/// use subtle::ConstantTimeEq as _;
///
/// /// One administrator, with a password from the configuration; everyone else may only read.
/// struct Admin {
///     user: String,
///     password: String,
/// }
///
/// impl Authenticator for Admin {
///     async fn basic(&self, request: &AuthRequest<'_>, user: &str, password: &str) -> Result<Principal, AuthError> {
///         // `&` rather than `&&`: both comparisons always run.
///         let same = user.as_bytes().ct_eq(self.user.as_bytes()) & password.as_bytes().ct_eq(self.password.as_bytes());
///         if !bool::from(same) {
///             return Err(AuthError::Invalid);
///         }
///         match *request.method {
///             Method::GET | Method::HEAD => Ok(Principal::new(request.scheme, user)),
///             _ if user == "admin" => Ok(Principal::new(request.scheme, user)),
///             _ => Err(AuthError::Forbidden),
///         }
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync {
    /// Verifies HTTP Basic credentials.
    fn basic(
        &self,
        request: &AuthRequest<'_>,
        user: &str,
        password: &str,
    ) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (request, user, password);
        async { Err(AuthError::Unsupported) }
    }

    /// Verifies a Bearer (or OAuth2) token.
    fn bearer(
        &self,
        request: &AuthRequest<'_>,
        token: &str,
    ) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (request, token);
        async { Err(AuthError::Unsupported) }
    }

    /// Verifies an API key (from a header or the query).
    fn api_key(
        &self,
        request: &AuthRequest<'_>,
        key: &str,
    ) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (request, key);
        async { Err(AuthError::Unsupported) }
    }
}

/// The request an operation's security is checked against: everything but the body.
#[derive(Clone, Copy, Debug)]
pub struct Attempt<'a> {
    /// The operation's `operationId`.
    pub operation: &'a str,
    /// The request method.
    pub method: &'a Method,
    /// The request URI (API keys may be in its query).
    pub uri: &'a Uri,
    /// The request headers.
    pub headers: &'a HeaderMap,
}

/// Checks `security` against the request: the first alternative whose
/// credentials are all present and valid wins, and yields the principal of
/// its first scheme.
///
/// Returns `Ok(None)` when the operation has no security, or allows
/// anonymous calls and the request presented no invalid credential. Otherwise
/// answers the first refusal: a 401 problem whose `WWW-Authenticate` lists the accepted
/// schemes, or the 403, 429 or 503 the authenticator chose.
pub async fn authenticate(
    auth: &impl Authenticator,
    attempt: Attempt<'_>,
    security: Security,
) -> Result<Option<Principal>, Problem> {
    if security.is_empty() {
        return Ok(None);
    }
    let query = attempt.uri.query().map(parse_query).unwrap_or_default();
    // The first refusal of a presented credential; another alternative may still pass.
    let mut refusal = None;
    for schemes in security.iter().filter(|schemes| !schemes.is_empty()) {
        let credentials: Option<Vec<_>> =
            schemes.iter().map(|scheme| extract(scheme, attempt.headers, &query)).collect();
        // Missing credentials only mean this alternative does not apply.
        let Some(credentials) = credentials else {
            continue;
        };
        match verify_all(auth, attempt, schemes, credentials).await {
            Ok(principal) => return Ok(Some(principal)),
            Err(error) => refusal = refusal.or(Some(error)),
        }
    }
    match refusal {
        // A presented credential that fails is never downgraded to an anonymous call.
        None if security.iter().any(|schemes| schemes.is_empty()) => Ok(None),
        None => Err(Problem::unauthorized(&challenges(security)).with_detail("missing credentials")),
        Some(refusal) => Err(refusal_problem(refusal, security)),
    }
}

fn refusal_problem(refusal: AuthError, security: Security) -> Problem {
    match refusal {
        AuthError::Invalid | AuthError::Unsupported => {
            Problem::unauthorized(&challenges(security)).with_detail("invalid credentials")
        }
        AuthError::Forbidden => Problem::forbidden("the credentials do not allow this request"),
        AuthError::RateLimited { retry_after } => Problem::too_many_requests(retry_after),
        AuthError::Unavailable { retry_after } => {
            Problem::unavailable(retry_after).with_detail("credentials cannot be checked now")
        }
    }
}

/// A credential as found in the request.
enum Credential {
    Basic {
        user: String,
        password: String,
    },
    Token(String),
    /// Present but not decodable: it counts as an invalid credential.
    Malformed,
}

fn extract(scheme: &Scheme, headers: &HeaderMap, query: &[(String, String)]) -> Option<Credential> {
    match scheme.kind {
        SchemeKind::Basic => authorization(headers, "basic").map(decode_basic),
        SchemeKind::Bearer => authorization(headers, "bearer").map(|token| match token.is_empty() {
            true => Credential::Malformed,
            false => Credential::Token(token.to_owned()),
        }),
        SchemeKind::ApiKeyHeader(name) => headers.get(name).map(|value| match value.to_str() {
            Ok(key) => Credential::Token(key.to_owned()),
            Err(_) => Credential::Malformed,
        }),
        SchemeKind::ApiKeyQuery(name) => {
            query.iter().find(|(key, _)| key == name).map(|(_, value)| Credential::Token(value.clone()))
        }
    }
}

/// The parameter of an `Authorization` header using `auth_scheme` (case-insensitive).
fn authorization<'h>(headers: &'h HeaderMap, auth_scheme: &str) -> Option<&'h str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (name, param) = value.split_once(' ')?;
    name.eq_ignore_ascii_case(auth_scheme).then(|| param.trim())
}

fn decode_basic(param: &str) -> Credential {
    let decoded = STANDARD.decode(param).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    match decoded.as_deref().and_then(|text| text.split_once(':')) {
        Some((user, password)) => Credential::Basic { user: user.to_owned(), password: password.to_owned() },
        None => Credential::Malformed,
    }
}

/// The principal of the first scheme, if every scheme of the alternative passes.
async fn verify_all(
    auth: &impl Authenticator,
    attempt: Attempt<'_>,
    schemes: &[Scheme],
    credentials: Vec<Credential>,
) -> Result<Principal, AuthError> {
    let mut first = None;
    for (scheme, credential) in schemes.iter().zip(credentials) {
        let principal = verify(auth, attempt, scheme, credential).await?;
        first.get_or_insert(principal);
    }
    first.ok_or(AuthError::Invalid)
}

async fn verify(
    auth: &impl Authenticator,
    attempt: Attempt<'_>,
    scheme: &Scheme,
    credential: Credential,
) -> Result<Principal, AuthError> {
    let request = AuthRequest::new(scheme.name, attempt.operation, attempt.method, attempt.uri, attempt.headers);
    match (credential, scheme.kind) {
        (Credential::Basic { user, password }, _) => auth.basic(&request, &user, &password).await,
        (Credential::Token(token), SchemeKind::Bearer) => auth.bearer(&request, &token).await,
        (Credential::Token(key), _) => auth.api_key(&request, &key).await,
        (Credential::Malformed, _) => Err(AuthError::Invalid),
    }
}

/// `WWW-Authenticate` challenges for every scheme the operation accepts.
/// API keys have no registered challenge; `ApiKey` names where to put one.
fn challenges(security: Security) -> String {
    let mut challenges: Vec<String> = Vec::new();
    for scheme in security.iter().flat_map(|schemes| schemes.iter()) {
        let challenge = match scheme.kind {
            SchemeKind::Basic => format!("Basic realm=\"{}\"", scheme.name),
            SchemeKind::Bearer => "Bearer".to_owned(),
            SchemeKind::ApiKeyHeader(name) => format!("ApiKey header=\"{name}\""),
            SchemeKind::ApiKeyQuery(name) => format!("ApiKey query=\"{name}\""),
        };
        if !challenges.contains(&challenge) {
            challenges.push(challenge);
        }
    }
    challenges.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const BASIC: Scheme = Scheme { name: "basicAuth", kind: SchemeKind::Basic };
    const BEARER: Scheme = Scheme { name: "oauth", kind: SchemeKind::Bearer };
    const HEADER_KEY: Scheme = Scheme { name: "key", kind: SchemeKind::ApiKeyHeader("x-api-key") };
    const QUERY_KEY: Scheme = Scheme { name: "qkey", kind: SchemeKind::ApiKeyQuery("api_key") };

    /// Accepts user `alice`/`secret`, token `good` and key `k1`. Token `reader` may only GET,
    /// and not operation `secret`; token `down` finds the identity service down, `busy` is
    /// rate-limited.
    struct Fixed;

    impl Authenticator for Fixed {
        async fn basic(&self, request: &AuthRequest<'_>, user: &str, password: &str) -> Result<Principal, AuthError> {
            match (user, password) {
                ("alice", "secret") => Ok(Principal::new(request.scheme, user)),
                _ => Err(AuthError::Invalid),
            }
        }

        async fn bearer(&self, request: &AuthRequest<'_>, token: &str) -> Result<Principal, AuthError> {
            let reads = request.method == Method::GET && request.operation != "secret";
            match token {
                "good" => Ok(Principal::new(request.scheme, "token-user")),
                "reader" if reads => Ok(Principal::new(request.scheme, format!("reader of {}", request.path()))),
                "reader" => Err(AuthError::Forbidden),
                "down" => Err(AuthError::Unavailable { retry_after: Duration::from_secs(5) }),
                "busy" => Err(AuthError::RateLimited { retry_after: Duration::from_millis(100) }),
                _ => Err(AuthError::Invalid),
            }
        }

        async fn api_key(&self, request: &AuthRequest<'_>, key: &str) -> Result<Principal, AuthError> {
            match key {
                "k1" => Ok(Principal::new(request.scheme, "key-owner")),
                _ => Err(AuthError::Invalid),
            }
        }
    }

    /// Implements nothing: every credential is unsupported.
    struct Nothing;

    impl Authenticator for Nothing {}

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), HeaderValue::from_static(v))).collect()
    }

    async fn check(
        security: Security,
        pairs: &[(&'static str, &'static str)],
        query: Option<&str>,
    ) -> Result<Option<Principal>, Problem> {
        let uri: Uri = format!("/items/1{}", query.map(|q| format!("?{q}")).unwrap_or_default()).parse().unwrap();
        let attempt = Attempt { operation: "getItem", method: &Method::GET, uri: &uri, headers: &headers(pairs) };
        authenticate(&Fixed, attempt, security).await
    }

    #[tokio::test]
    async fn accepts_each_scheme_kind() {
        static ANY: &[&[Scheme]] = &[&[BASIC], &[BEARER], &[HEADER_KEY], &[QUERY_KEY]];
        let basic = check(ANY, &[("authorization", "Basic YWxpY2U6c2VjcmV0")], None).await;
        assert_eq!(basic.unwrap(), Some(Principal::new("basicAuth", "alice")));
        let bearer = check(ANY, &[("authorization", "bearer good")], None).await;
        assert_eq!(bearer.unwrap(), Some(Principal::new("oauth", "token-user")));
        let header = check(ANY, &[("x-api-key", "k1")], None).await;
        assert_eq!(header.unwrap().unwrap().scheme, "key");
        let query = check(ANY, &[], Some("a=1&api_key=k1")).await;
        assert_eq!(query.unwrap().unwrap().scheme, "qkey");
    }

    #[tokio::test]
    async fn missing_credentials_get_a_challenge_listing_schemes() {
        static ANY: &[&[Scheme]] = &[&[BASIC], &[BEARER, HEADER_KEY], &[BEARER]];
        let problem = check(ANY, &[], None).await.unwrap_err();
        assert_eq!(problem.status, 401);
        assert_eq!(problem.detail.as_deref(), Some("missing credentials"));
        assert_eq!(problem.challenge.as_deref(), Some(r#"Basic realm="basicAuth", Bearer, ApiKey header="x-api-key""#));
    }

    #[tokio::test]
    async fn invalid_or_malformed_credentials_are_rejected() {
        static BEARER_ONLY: &[&[Scheme]] = &[&[BEARER]];
        for value in ["Bearer bad", "Bearer ", "Basic YWxpY2U6c2VjcmV0"] {
            let problem = check(BEARER_ONLY, &[("authorization", value)], None).await.unwrap_err();
            assert_eq!(problem.status, 401, "{value}");
        }
        static BASIC_ONLY: &[&[Scheme]] = &[&[BASIC]];
        let problem = check(BASIC_ONLY, &[("authorization", "Basic !!!")], None).await.unwrap_err();
        assert_eq!(problem.detail.as_deref(), Some("invalid credentials"));
    }

    #[tokio::test]
    async fn all_schemes_of_an_alternative_must_pass() {
        static BOTH: &[&[Scheme]] = &[&[BEARER, HEADER_KEY]];
        let ok = check(BOTH, &[("authorization", "Bearer good"), ("x-api-key", "k1")], None).await;
        assert_eq!(ok.unwrap(), Some(Principal::new("oauth", "token-user")));
        let half = check(BOTH, &[("authorization", "Bearer good")], None).await;
        assert_eq!(half.unwrap_err().detail.as_deref(), Some("missing credentials"));
        let wrong = check(BOTH, &[("authorization", "Bearer good"), ("x-api-key", "no")], None).await;
        assert_eq!(wrong.unwrap_err().detail.as_deref(), Some("invalid credentials"));
    }

    #[tokio::test]
    async fn anonymous_and_unsecured_operations() {
        static OPTIONAL: &[&[Scheme]] = &[&[BEARER], &[]];
        assert_eq!(check(OPTIONAL, &[], None).await.unwrap(), None);
        let with_token = check(OPTIONAL, &[("authorization", "Bearer good")], None).await;
        assert!(with_token.unwrap().is_some());
        // A wrong credential is not silently downgraded to anonymous.
        assert!(check(OPTIONAL, &[("authorization", "Bearer bad")], None).await.is_err());
        assert_eq!(check(&[], &[("authorization", "Bearer bad")], None).await.unwrap(), None);
    }

    #[tokio::test]
    async fn default_methods_reject() {
        static BASIC_ONLY: &[&[Scheme]] = &[&[BASIC]];
        let headers = headers(&[("authorization", "Basic YWxpY2U6c2VjcmV0")]);
        let uri = Uri::from_static("/");
        let attempt = Attempt { operation: "op", method: &Method::GET, uri: &uri, headers: &headers };
        let result = authenticate(&Nothing, attempt, BASIC_ONLY).await;
        assert_eq!(result.unwrap_err().status, 401);
    }

    #[tokio::test]
    async fn the_authenticator_sees_the_request_and_answers_403_429_or_503() {
        static BEARER_OR_KEY: &[&[Scheme]] = &[&[BEARER], &[HEADER_KEY]];
        let reader = check(BEARER_OR_KEY, &[("authorization", "Bearer reader")], None).await;
        assert_eq!(reader.unwrap().unwrap().subject, "reader of /items/1");
        let refused = |method, operation, token| async move {
            let uri = Uri::from_static("/items/1");
            let headers = headers(&[("authorization", token)]);
            let attempt = Attempt { operation, method: &method, uri: &uri, headers: &headers };
            authenticate(&Fixed, attempt, BEARER_OR_KEY).await.unwrap_err()
        };
        let forbidden = refused(Method::DELETE, "deleteItem", "Bearer reader").await;
        assert_eq!((forbidden.status, forbidden.challenge), (403, None));
        assert_eq!(refused(Method::GET, "secret", "Bearer reader").await.status, 403);
        let down = refused(Method::GET, "getItem", "Bearer down").await;
        assert_eq!((down.status, down.retry_after), (503, Some(Duration::from_secs(5))));
        let busy = refused(Method::GET, "getItem", "Bearer busy").await;
        assert_eq!((busy.status, busy.retry_after), (429, Some(Duration::from_millis(100))));
        // Another alternative may still pass; if none does, the first refusal is the answer.
        let both = check(BEARER_OR_KEY, &[("authorization", "Bearer down"), ("x-api-key", "k1")], None).await;
        assert_eq!(both.unwrap().unwrap().scheme, "key");
        let both = check(BEARER_OR_KEY, &[("authorization", "Bearer down"), ("x-api-key", "no")], None).await;
        assert_eq!(both.unwrap_err().status, 503);
    }
}
