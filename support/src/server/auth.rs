//! Checking an operation's security requirements against a request.

use std::future::Future;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use http::header::AUTHORIZATION;

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

/// Why a credential was not accepted. Both become a 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// The credential is wrong, expired or malformed.
    Invalid,
    /// The application does not support this kind of credential.
    Unsupported,
}

/// Verifies credentials; the application implements the kinds it supports.
///
/// `scheme` is the scheme's name in the spec, so one implementation can tell
/// apart, say, two API key schemes. Unimplemented kinds reject. A rejected credential is
/// answered 401 before the operation runs (the generated mocks' `AcceptAny` accepts any
/// well-formed one).
///
/// Compare secrets in constant time, so that the time of a rejection does not tell how much
/// of a guess was right: `==` on strings stops at the first differing byte.
///
/// ```
/// use mailapi_support::server::{AuthError, Authenticator, Principal};
/// use subtle::ConstantTimeEq as _;
///
/// /// One administrator, with a password from the configuration.
/// struct Admin {
///     user: String,
///     password: String,
/// }
///
/// impl Authenticator for Admin {
///     async fn basic(&self, scheme: &str, user: &str, password: &str) -> Result<Principal, AuthError> {
///         // `&` rather than `&&`: both comparisons always run.
///         let same = user.as_bytes().ct_eq(self.user.as_bytes()) & password.as_bytes().ct_eq(self.password.as_bytes());
///         if bool::from(same) { Ok(Principal::new(scheme, user)) } else { Err(AuthError::Invalid) }
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync {
    /// Verifies HTTP Basic credentials.
    fn basic(
        &self,
        scheme: &str,
        user: &str,
        password: &str,
    ) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (scheme, user, password);
        async { Err(AuthError::Unsupported) }
    }

    /// Verifies a Bearer (or OAuth2) token.
    fn bearer(&self, scheme: &str, token: &str) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (scheme, token);
        async { Err(AuthError::Unsupported) }
    }

    /// Verifies an API key (from a header or the query).
    fn api_key(&self, scheme: &str, key: &str) -> impl Future<Output = Result<Principal, AuthError>> + Send {
        let _ = (scheme, key);
        async { Err(AuthError::Unsupported) }
    }
}

/// Checks `security` against the request: the first alternative whose
/// credentials are all present and valid wins, and yields the principal of
/// its first scheme.
///
/// Returns `Ok(None)` when the operation has no security, or allows
/// anonymous calls and the request presented no invalid credential. Otherwise
/// answers a 401 problem whose `WWW-Authenticate` lists the accepted schemes.
pub async fn authenticate(
    auth: &impl Authenticator,
    headers: &HeaderMap,
    query: Option<&str>,
    security: Security,
) -> Result<Option<Principal>, Problem> {
    if security.is_empty() {
        return Ok(None);
    }
    let query = query.map(parse_query).unwrap_or_default();
    let mut rejected = false;
    for schemes in security.iter().filter(|schemes| !schemes.is_empty()) {
        let credentials: Option<Vec<_>> = schemes.iter().map(|scheme| extract(scheme, headers, &query)).collect();
        // Missing credentials only mean this alternative does not apply.
        let Some(credentials) = credentials else {
            continue;
        };
        match verify_all(auth, schemes, credentials).await {
            Some(principal) => return Ok(Some(principal)),
            None => rejected = true,
        }
    }
    if !rejected && security.iter().any(|schemes| schemes.is_empty()) {
        return Ok(None);
    }
    let detail = if rejected { "invalid credentials" } else { "missing credentials" };
    Err(Problem::unauthorized(&challenges(security)).with_detail(detail))
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

async fn verify_all(auth: &impl Authenticator, schemes: &[Scheme], credentials: Vec<Credential>) -> Option<Principal> {
    let mut first = None;
    for (scheme, credential) in schemes.iter().zip(credentials) {
        let principal = verify(auth, scheme, credential).await.ok()?;
        first.get_or_insert(principal);
    }
    first
}

async fn verify(auth: &impl Authenticator, scheme: &Scheme, credential: Credential) -> Result<Principal, AuthError> {
    match (credential, scheme.kind) {
        (Credential::Basic { user, password }, _) => auth.basic(scheme.name, &user, &password).await,
        (Credential::Token(token), SchemeKind::Bearer) => auth.bearer(scheme.name, &token).await,
        (Credential::Token(key), _) => auth.api_key(scheme.name, &key).await,
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

    /// Accepts user `alice`/`secret`, token `good` and key `k1`; no basic support needed elsewhere.
    struct Fixed;

    impl Authenticator for Fixed {
        async fn basic(&self, scheme: &str, user: &str, password: &str) -> Result<Principal, AuthError> {
            match (user, password) {
                ("alice", "secret") => Ok(Principal::new(scheme, user)),
                _ => Err(AuthError::Invalid),
            }
        }

        async fn bearer(&self, scheme: &str, token: &str) -> Result<Principal, AuthError> {
            match token {
                "good" => Ok(Principal::new(scheme, "token-user")),
                _ => Err(AuthError::Invalid),
            }
        }

        async fn api_key(&self, scheme: &str, key: &str) -> Result<Principal, AuthError> {
            match key {
                "k1" => Ok(Principal::new(scheme, "key-owner")),
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
        authenticate(&Fixed, &headers(pairs), query, security).await
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
        let result = authenticate(&Nothing, &headers, None, BASIC_ONLY).await;
        assert_eq!(result.unwrap_err().status, 401);
    }
}
