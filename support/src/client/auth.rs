//! Client credentials and how they satisfy an operation's security.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use super::response::TransportError;
use crate::security::{Scheme, SchemeKind, Security};
use crate::wrappers::Secret;

/// The credentials a transport was configured with.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) basic: Option<(Secret<String>, Secret<String>)>,
    pub(crate) bearer: Option<Secret<String>>,
    /// API keys by scheme name.
    pub(crate) api_keys: Vec<(String, Secret<String>)>,
}

impl Credentials {
    /// The schemes to apply: the first alternative whose schemes all have
    /// credentials. Anonymous alternatives are only used when no other fits;
    /// if nothing fits, nothing is sent and the server answers 401, which
    /// tells the caller more than a local error would.
    pub(crate) fn choose(&self, security: Security) -> &'static [Scheme] {
        security
            .iter()
            .copied()
            .find(|schemes| !schemes.is_empty() && schemes.iter().all(|s| self.has(s)))
            .unwrap_or(&[])
    }

    fn has(&self, scheme: &Scheme) -> bool {
        match scheme.kind {
            SchemeKind::Basic => self.basic.is_some(),
            SchemeKind::Bearer => self.bearer.is_some(),
            SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_) => self.api_key(scheme.name).is_some(),
        }
    }

    fn api_key(&self, scheme_name: &str) -> Option<&Secret<String>> {
        self.api_keys.iter().find(|(name, _)| name == scheme_name).map(|(_, key)| key)
    }

    /// Adds the credentials of `schemes` to the URL and headers.
    pub(crate) fn apply(
        &self,
        schemes: &[Scheme],
        url: &mut Url,
        headers: &mut HeaderMap,
    ) -> Result<(), TransportError> {
        for scheme in schemes {
            match scheme.kind {
                SchemeKind::Basic => {
                    let Some((user, password)) = &self.basic else {
                        continue;
                    };
                    let encoded = STANDARD.encode(format!("{}:{}", user.expose(), password.expose()));
                    headers.insert(AUTHORIZATION, sensitive(scheme, &format!("Basic {encoded}"))?);
                }
                SchemeKind::Bearer => {
                    let Some(token) = &self.bearer else { continue };
                    headers.insert(AUTHORIZATION, sensitive(scheme, &format!("Bearer {}", token.expose()))?);
                }
                SchemeKind::ApiKeyHeader(header) => {
                    let Some(key) = self.api_key(scheme.name) else {
                        continue;
                    };
                    let name = HeaderName::from_bytes(header.as_bytes())
                        .map_err(|_| TransportError::InvalidRequest(format!("invalid header name `{header}`")))?;
                    headers.insert(name, sensitive(scheme, key.expose())?);
                }
                SchemeKind::ApiKeyQuery(param) => {
                    let Some(key) = self.api_key(scheme.name) else {
                        continue;
                    };
                    url.query_pairs_mut().append_pair(param, key.expose());
                }
            }
        }
        Ok(())
    }
}

/// A header value marked sensitive, so HTTP/2 does not index it and Debug hides it.
fn sensitive(scheme: &Scheme, value: &str) -> Result<HeaderValue, TransportError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        // Never echo the credential itself.
        TransportError::InvalidRequest(format!("credential for `{}` is not a valid header value", scheme.name))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let api_keys: Vec<_> = self.api_keys.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Credentials")
            .field("basic", &self.basic.is_some())
            .field("bearer", &self.bearer.is_some())
            .field("api_keys", &api_keys)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASIC: Scheme = Scheme { name: "basicAuth", kind: SchemeKind::Basic };
    const BEARER: Scheme = Scheme { name: "oauth", kind: SchemeKind::Bearer };
    const HEADER_KEY: Scheme = Scheme { name: "key", kind: SchemeKind::ApiKeyHeader("X-Api-Key") };
    const QUERY_KEY: Scheme = Scheme { name: "qkey", kind: SchemeKind::ApiKeyQuery("api_key") };

    fn credentials() -> Credentials {
        Credentials { basic: None, bearer: Some("tok".into()), api_keys: vec![("qkey".to_owned(), "k&1".into())] }
    }

    #[test]
    fn chooses_first_satisfiable_alternative_before_anonymous() {
        let creds = credentials();
        static SECURITY: &[&[Scheme]] = &[&[], &[BASIC], &[BEARER, HEADER_KEY], &[BEARER, QUERY_KEY]];
        assert_eq!(creds.choose(SECURITY), &[BEARER, QUERY_KEY]);
        static UNSATISFIABLE: &[&[Scheme]] = &[&[BASIC]];
        assert!(creds.choose(UNSATISFIABLE).is_empty());
        assert!(creds.choose(&[]).is_empty());
    }

    #[test]
    fn applies_headers_and_query_keys() {
        let mut creds = credentials();
        creds.basic = Some(("user".into(), "pa:ss".into()));
        creds.api_keys.push(("key".to_owned(), "hk".into()));
        let mut url = Url::parse("https://api.test/v1?a=b").unwrap();
        let mut headers = HeaderMap::new();
        creds.apply(&[BASIC, HEADER_KEY, QUERY_KEY], &mut url, &mut headers).unwrap();
        assert_eq!(headers[AUTHORIZATION], "Basic dXNlcjpwYTpzcw==");
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert_eq!(headers["x-api-key"], "hk");
        assert_eq!(url.query(), Some("a=b&api_key=k%261"));

        creds.apply(&[BEARER], &mut url, &mut headers).unwrap();
        assert_eq!(headers[AUTHORIZATION], "Bearer tok");
    }

    #[test]
    fn invalid_credentials_fail_without_echoing_them() {
        let creds = Credentials { bearer: Some("bad\ntoken".into()), ..Credentials::default() };
        let mut url = Url::parse("https://api.test/").unwrap();
        let err = creds.apply(&[BEARER], &mut url, &mut HeaderMap::new()).unwrap_err();
        assert!(!err.to_string().contains("bad"), "{err}");
    }

    #[test]
    fn debug_lists_schemes_not_secrets() {
        let debug = format!("{:?}", credentials());
        assert_eq!(debug, r#"Credentials { basic: false, bearer: true, api_keys: ["qkey"] }"#);
    }
}
