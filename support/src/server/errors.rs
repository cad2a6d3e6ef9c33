//! The server's own errors (401, 400, 413, 415, 422) answered as the operation documents them:
//! the documented status, media type and body shape, generated from the spec as a table of
//! [`ErrorShape`]s; `application/problem+json` where the operation documents nothing.

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};

use crate::problem::Problem;

/// Which documented response a shape is: a code, a range such as `4XX`, or `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Documented {
    /// One status code.
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

/// A problem member, as a documented body carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// `type`, the problem type URI.
    Type,
    /// `title`.
    Title,
    /// `status` as a number.
    Status,
    /// `status` as a string (JSON:API).
    StatusText,
    /// `detail`; the title when the problem has none.
    Detail,
    /// `instance`.
    Instance,
    /// The JSON pointer of the offending body member.
    Pointer,
    /// The name of the offending parameter.
    Parameter,
}

/// One documented error response of an operation.
#[derive(Clone, Copy, Debug)]
pub struct ErrorShape {
    /// The response it is documented as.
    pub status: Documented,
    /// The documented media type; empty when the response has no body.
    pub media: &'static str,
    /// Where each member goes: (JSON pointer into the body, member).
    pub members: &'static [(&'static str, Member)],
    /// The schema admits more members: the problem's extension members (`pointer`, ...) are kept.
    pub extensions: bool,
}

/// `problem` as the operation documents its status. A validation failure (415, 422) of an
/// operation that documents 400 but not that status is answered 400, the status it documents
/// for bad input.
pub fn problem_response(mut problem: Problem, shapes: &[ErrorShape]) -> Response {
    let documents = |code: u16| shapes.iter().any(|s| s.status == Documented::Code(code));
    if matches!(problem.status, 415 | 422) && !documents(problem.status) && documents(400) {
        problem.status = 400;
        problem.title = StatusCode::BAD_REQUEST.canonical_reason().unwrap_or("Bad Request").to_owned();
    }
    let Some(shape) = find(shapes, problem.status) else {
        return problem.into_response();
    };
    let status = problem.status_code();
    let mut response = if shape.media.is_empty() {
        status.into_response()
    } else {
        let body = serde_json::to_vec(&body(&problem, shape)).unwrap_or_default();
        let mut response = (status, body).into_response();
        if let Ok(media) = HeaderValue::from_str(shape.media) {
            response.headers_mut().insert(CONTENT_TYPE, media);
        }
        response
    };
    problem.insert_headers(response.headers_mut());
    response
}

/// The shape for `status`: its code, else its range, else `default`.
fn find(shapes: &[ErrorShape], status: u16) -> Option<&ErrorShape> {
    let with = |documented: Documented| shapes.iter().find(|s| s.status == documented);
    with(Documented::Code(status))
        .or_else(|| with(Documented::Range(status / 100)))
        .or_else(|| with(Documented::Default))
}

fn body(problem: &Problem, shape: &ErrorShape) -> Value {
    let mut body = if shape.extensions {
        serde_json::to_value(problem).unwrap_or_else(|_| Value::Object(Map::new()))
    } else {
        Value::Object(Map::new())
    };
    for (pointer, member) in shape.members {
        if let Some(value) = member_value(problem, *member) {
            place(&mut body, pointer, value);
        }
    }
    body
}

fn member_value(problem: &Problem, member: Member) -> Option<Value> {
    let extension = |name: &str| problem.extensions.get(name).filter(|v| v.is_string()).cloned();
    match member {
        Member::Type => Some(problem.type_uri.clone().into()),
        Member::Title => Some(problem.title.clone().into()),
        Member::Status => Some(problem.status.into()),
        Member::StatusText => Some(problem.status.to_string().into()),
        Member::Detail => Some(problem.detail.clone().unwrap_or_else(|| problem.title.clone()).into()),
        Member::Instance => problem.instance.clone().map(Value::from),
        Member::Pointer => extension("pointer"),
        Member::Parameter => extension("parameter"),
    }
}

/// Sets `value` at `pointer`, creating objects (and arrays, for index tokens) on the way.
fn place(target: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let Some((last, path)) = tokens.split_last() else { return };
    let mut current = target;
    for (i, token) in path.iter().enumerate() {
        let empty =
            if tokens[i + 1].parse::<usize>().is_ok() { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        let Some(next) = slot(current, token, empty) else { return };
        current = next;
    }
    if let Some(slot) = slot(current, last, Value::Null) {
        *slot = value;
    }
}

/// The member `token` of an object or array, filled with `empty` when absent.
fn slot<'v>(parent: &'v mut Value, token: &str, empty: Value) -> Option<&'v mut Value> {
    match parent {
        Value::Array(items) => {
            let index = token.parse::<usize>().ok()?;
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            if items[index].is_null() {
                items[index] = empty;
            }
            Some(&mut items[index])
        }
        Value::Object(members) => Some(members.entry(token.to_owned()).or_insert(empty)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const JSON_API: ErrorShape = ErrorShape {
        status: Documented::Default,
        media: "application/vnd.api+json",
        members: &[
            ("/errors/0/status", Member::StatusText),
            ("/errors/0/title", Member::Title),
            ("/errors/0/detail", Member::Detail),
            ("/errors/0/source/pointer", Member::Pointer),
        ],
        extensions: false,
    };

    const ENVELOPE: ErrorShape = ErrorShape {
        status: Documented::Code(400),
        media: "application/json",
        members: &[("/badRequest/message", Member::Title), ("/badRequest/code", Member::Status)],
        extensions: false,
    };

    const NO_BODY_401: ErrorShape =
        ErrorShape { status: Documented::Code(401), media: "", members: &[], extensions: false };

    async fn check(problem: Problem, shapes: &[ErrorShape], expected: (u16, &str, Value)) {
        let response = problem_response(problem, shapes);
        let status = response.status().as_u16();
        let media = response.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
        assert_eq!((status, media.as_str(), body), expected);
    }

    #[tokio::test]
    async fn json_api_errors_by_mapping() {
        let problem = Problem::unprocessable("invalid type").with_pointer("/data/type");
        let expected = json!({"errors": [{"status": "422", "title": "Unprocessable Entity", "detail": "invalid type", "source": {"pointer": "/data/type"}}]});
        check(problem, &[JSON_API], (422, "application/vnd.api+json", expected)).await;
    }

    #[tokio::test]
    async fn validation_failures_use_the_documented_400() {
        let expected = json!({"badRequest": {"message": "Bad Request", "code": 400}});
        check(Problem::unsupported_media_type("x"), &[ENVELOPE], (400, "application/json", expected.clone())).await;
        check(Problem::unprocessable("x"), &[ENVELOPE, NO_BODY_401], (400, "application/json", expected)).await;
    }

    #[tokio::test]
    async fn documented_without_a_body_and_undocumented() {
        check(Problem::unauthorized("Basic"), &[ENVELOPE, NO_BODY_401], (401, "", Value::Null)).await;
        let expected = json!({"type": "about:blank", "title": "Payload Too Large", "status": 413, "detail": "big"});
        check(Problem::payload_too_large("big"), &[ENVELOPE], (413, "application/problem+json", expected)).await;
    }

    #[tokio::test]
    async fn rfc7807_shapes_keep_extensions() {
        let shape = ErrorShape {
            status: Documented::Code(422),
            media: "application/json; api-version=1.0",
            members: &[("/title", Member::Title), ("/status", Member::Status)],
            extensions: true,
        };
        let expected = json!({"type": "about:blank", "title": "Unprocessable Entity", "status": 422, "detail": "d", "pointer": "/a"});
        check(
            Problem::unprocessable("d").with_pointer("/a"),
            &[shape],
            (422, "application/json; api-version=1.0", expected),
        )
        .await;
    }
}
