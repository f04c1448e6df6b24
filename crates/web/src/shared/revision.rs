//! Optimistic concurrency (docs/concurrency.md): a record edited in place
//! has a revision. The API gives it as a strong `ETag` (`"7"`) on reads and
//! writes and takes it back as `If-Match` on every change; the pages carry
//! it in a hidden `revision` field. A change without one is refused (428:
//! nobody overwrites blindly); a stale one answers 409 with the revision
//! stored now, and nothing is written.

use super::error::ApiError;
use axum::http::header;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;

/// The API's changes of a record edited in place: each takes `If-Match`
/// (the OpenAPI document says so). Method and path template.
pub const CONDITIONAL: [(&str, &str); 5] = [
    ("PUT", "/api/documents/{id}"),
    ("POST", "/api/documents/{id}/decide"),
    ("POST", "/api/documents/{id}/complete"),
    ("POST", "/api/documents/{id}/discard"),
    ("PUT", "/api/clients/{id}"),
];

/// The API's reads that give a record's revision as the `ETag`.
pub const TAGGED: [(&str, &str); 2] =
    [("GET", "/api/documents/{id}"), ("GET", "/api/clients/{id}")];

/// The `ETag` of a revision: a strong tag, the number quoted.
pub fn etag(revision: i64) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&format!("\"{revision}\""))
            .unwrap_or(HeaderValue::from_static("\"0\"")),
    )
}

/// A revision as the pages' hidden field or an `If-Match` tag gives it:
/// `7` or `"7"`.
pub fn parse(value: &str) -> Option<i64> {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    v.parse::<i64>().ok().filter(|r| *r >= 1)
}

/// The revision an API change is made from, from its `If-Match`. Missing,
/// or `*` (any revision): 428, since either would overwrite whatever is
/// stored. Not one of Kirjo's tags (a weak one, a list): 400.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(precondition_required());
    };
    let value = value.to_str().unwrap_or_default().trim();
    if value == "*" {
        return Err(precondition_required());
    }
    parse(value)
        .filter(|_| value.starts_with('"'))
        .ok_or_else(|| {
            ApiError::bad_request(
                "If-Match must be the one ETag of the record as it was read, such as \"3\"",
            )
        })
}

fn precondition_required() -> ApiError {
    ApiError {
        status: StatusCode::PRECONDITION_REQUIRED,
        message:
            "If-Match is required: send the ETag of the record as it was read, so that nothing \
                  saved meanwhile is overwritten"
                .to_owned(),
    }
}

/// The answer to a change from a stale read: 409, the revision stored now
/// in the body and as the `ETag`.
pub fn conflict(explanation: String, current: i64) -> Response {
    (
        StatusCode::CONFLICT,
        [etag(current)],
        Json(serde_json::json!({
            "error": explanation,
            "current_revision": current,
        })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn if_match_takes_one_strong_tag_only() {
        assert_eq!(if_match(&with("\"7\"")).ok(), Some(7));
        assert_eq!(
            if_match(&HeaderMap::new()).err().map(|e| e.status),
            Some(StatusCode::PRECONDITION_REQUIRED)
        );
        assert_eq!(
            if_match(&with("*")).err().map(|e| e.status),
            Some(StatusCode::PRECONDITION_REQUIRED)
        );
        for bad in ["W/\"7\"", "7", "\"7\", \"8\"", "\"x\"", "\"0\""] {
            assert_eq!(
                if_match(&with(bad)).err().map(|e| e.status),
                Some(StatusCode::BAD_REQUEST),
                "{bad}"
            );
        }
        assert_eq!(parse("7"), Some(7));
        assert_eq!(parse(""), None);
    }
}
