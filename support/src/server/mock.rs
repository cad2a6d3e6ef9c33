//! What the generated mocks share: choosing a documented example (`Prefer`), turning it into a
//! typed value, accepting any well-formed credentials, and serving on loopback.

use std::process::ExitCode;

use axum::Router;
use axum::body::Body;
use futures_util::stream;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::EventStream;
use super::auth::{AuthError, AuthRequest, Authenticator, Principal};
use crate::problem::Problem;

/// One documented (status, media type) of an operation and the names of its examples.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// The status the mock answers with.
    pub status: u16,
    /// The media type, empty for a response without a body.
    pub media: &'static str,
    /// The example names, in spec order.
    pub examples: &'static [&'static str],
}

impl Candidate {
    fn answerable(&self) -> bool {
        self.media.is_empty() || !self.examples.is_empty()
    }
}

/// Picks the candidate and example to answer with, from `Prefer: code=N` and
/// `Prefer: example=NAME` (both may be given) and the `Accept` header. Without a preference it
/// is the first success that has an example (or no body). An error status is answered in its
/// documented media type even when `Accept` does not list it, as servers do (a client accepts
/// its success media type). Returns (candidate index, example name).
pub fn choose_example(headers: &HeaderMap, candidates: &[Candidate]) -> Result<(usize, &'static str), Problem> {
    let (code, name) = preference(headers);
    let accept = headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*");
    let acceptable = |c: &Candidate| c.media.is_empty() || accepts(accept, c.media) || !(200..300).contains(&c.status);
    let fits = |c: &Candidate| {
        code.is_none_or(|code| c.status == code) && name.as_deref().is_none_or(|n| c.examples.contains(&n))
    };
    let wanted = code.is_some() || name.is_some();
    let found = candidates.iter().enumerate().find(|(_, c)| {
        let default = (200..300).contains(&c.status) || wanted;
        default && fits(c) && acceptable(c) && c.answerable()
    });
    let Some((index, candidate)) = found else {
        let what = match (code, &name) {
            (Some(code), Some(name)) => format!("example named `{name}` for status {code}"),
            (Some(code), None) => format!("example for status {code}"),
            (None, Some(name)) => format!("example named `{name}`"),
            (None, None) => "success example".to_owned(),
        };
        let detail = format!("the spec documents no {what} of this operation (acceptable to `{accept}`)");
        return Err(Problem::new(http::StatusCode::NOT_IMPLEMENTED).with_detail(detail));
    };
    let example = match &name {
        Some(n) => candidate.examples.iter().find(|e| *e == n).copied().unwrap_or(""),
        None => candidate.examples.first().copied().unwrap_or(""),
    };
    Ok((index, example))
}

/// `Prefer: code=404, example=notFound` as (code, name).
fn preference(headers: &HeaderMap) -> (Option<u16>, Option<String>) {
    let mut code = None;
    let mut name = None;
    for value in headers.get_all("prefer").iter().filter_map(|v| v.to_str().ok()) {
        for part in value.split([',', ';']).map(str::trim) {
            match part.split_once('=') {
                Some(("code", v)) => code = v.trim_matches('"').parse().ok(),
                Some(("example", v)) => name = Some(v.trim_matches('"').to_owned()),
                _ => {}
            }
        }
    }
    (code, name)
}

fn accepts(accept: &str, media: &str) -> bool {
    let essence = |m: &str| crate::media::essence(m).to_ascii_lowercase();
    let media = essence(media);
    accept
        .split(',')
        .map(essence)
        .any(|a| a == "*/*" || a == media || a.strip_suffix("/*").is_some_and(|t| media.starts_with(&format!("{t}/"))))
}

/// An example as the typed body; a 500 problem if it does not fit the type (a spec bug).
pub fn example_json<T: DeserializeOwned>(json: &str) -> Result<T, Problem> {
    serde_json::from_str(json).map_err(|err| {
        tracing::error!(error = %err, "documented example does not fit its type");
        Problem::internal().with_detail(format!("the documented example does not fit its type: {err}"))
    })
}

/// A text example: the string itself, or the JSON text of a non-string example.
pub fn example_text(json: &str) -> Result<String, Problem> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::String(text)) => Ok(text),
        Ok(other) => Ok(other.to_string()),
        Err(err) => Err(Problem::internal().with_detail(err.to_string())),
    }
}

/// A binary example: the bytes of its text.
pub fn example_body(json: &str) -> Result<Body, Problem> {
    example_text(json).map(Body::from)
}

/// An event-stream example: each element of an array (or the value itself) as one event; a
/// string example is read as `text/event-stream` text.
pub fn example_events<T: DeserializeOwned + Send + 'static>(json: &str) -> Result<EventStream<T>, Problem> {
    let value: Value = serde_json::from_str(json).map_err(|err| Problem::internal().with_detail(err.to_string()))?;
    let items = match value {
        Value::Array(items) => items,
        Value::String(text) => sse_data(&text)?,
        other => vec![other],
    };
    let events: Result<Vec<T>, Problem> = items.into_iter().map(|v| example_json(&v.to_string())).collect();
    Ok(Box::pin(stream::iter(events?)))
}

fn sse_data(text: &str) -> Result<Vec<Value>, Problem> {
    let mut parser = crate::sse::SseParser::new();
    parser
        .feed(text.as_bytes())
        .and_then(|()| parser.feed(b"\n\n"))
        .map_err(|err| Problem::internal().with_detail(err.to_string()))?;
    let mut out = Vec::new();
    while let Some(event) = parser.next_event() {
        out.push(serde_json::from_str(&event.data).map_err(|err| Problem::internal().with_detail(err.to_string()))?);
    }
    Ok(out)
}

/// Accepts any well-formed credentials, naming the caller after them; missing credentials
/// are still rejected by the router, as the operation's security requires.
#[derive(Clone, Copy, Debug, Default)]
pub struct AcceptAny;

impl Authenticator for AcceptAny {
    async fn basic(&self, request: &AuthRequest<'_>, user: &str, _password: &str) -> Result<Principal, AuthError> {
        Ok(Principal::new(request.scheme, user))
    }

    async fn bearer(&self, request: &AuthRequest<'_>, _token: &str) -> Result<Principal, AuthError> {
        Ok(Principal::new(request.scheme, "bearer"))
    }

    async fn api_key(&self, request: &AuthRequest<'_>, _key: &str) -> Result<Principal, AuthError> {
        Ok(Principal::new(request.scheme, "api-key"))
    }
}

/// Serves `router` on 127.0.0.1 (`--port N`, default 8080; `--port 0` picks a free one),
/// printing the base URL, until stopped.
pub fn serve_mock(router: Router, base_path: &str) -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let port = match args.iter().position(|a| a == "--port").map(|i| args.get(i + 1).map(|p| p.parse::<u16>())) {
        None => Ok(8080),
        Some(Some(Ok(port))) => Ok(port),
        Some(_) => Err("usage: --port <0-65535>"),
    };
    let port = match port {
        Ok(port) => port,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {err}");
                return ExitCode::FAILURE;
            }
        };
        match listener.local_addr() {
            Ok(addr) => println!("mock serving at http://{addr}{base_path}"),
            Err(err) => eprintln!("listening, address unknown: {err}"),
        }
        super::serve(listener, router, super::Limits::default()).await;
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANDIDATES: &[Candidate] = &[
        Candidate { status: 200, media: "application/json", examples: &["first", "second"] },
        Candidate { status: 200, media: "text/xml", examples: &["xml"] },
        Candidate { status: 204, media: "", examples: &[] },
        Candidate { status: 404, media: "application/json", examples: &["missing"] },
        Candidate { status: 500, media: "application/json", examples: &[] },
    ];

    fn choose(pairs: &[(&'static str, &'static str)]) -> Result<(usize, &'static str), u16> {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.append(*k, v.parse().unwrap());
        }
        choose_example(&headers, CANDIDATES).map_err(|p| p.status_code().as_u16())
    }

    #[test]
    fn default_is_the_first_success_example() {
        assert_eq!(choose(&[]), Ok((0, "first")));
    }

    #[test]
    fn prefer_code_and_example_and_accept_choose() {
        assert_eq!(choose(&[("prefer", "code=404")]), Ok((3, "missing")));
        assert_eq!(choose(&[("prefer", "example=second")]), Ok((0, "second")));
        assert_eq!(choose(&[("prefer", "code=204")]), Ok((2, "")));
        assert_eq!(choose(&[("accept", "text/xml")]), Ok((1, "xml")));
    }

    #[test]
    fn errors_are_answered_whatever_the_accept_header() {
        assert_eq!(choose(&[("accept", "text/xml"), ("prefer", "code=404")]), Ok((3, "missing")));
        assert_eq!(choose(&[("accept", "image/png"), ("prefer", "code=200")]), Err(501));
    }

    #[test]
    fn undocumented_choices_are_501() {
        assert_eq!(choose(&[("prefer", "code=418")]), Err(501));
        assert_eq!(choose(&[("prefer", "code=500")]), Err(501));
        assert_eq!(choose(&[("prefer", "example=nope")]), Err(501));
    }
}
