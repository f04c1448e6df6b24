use crate::shared::error::ApiError;
use axum::extract::Request;
use axum::http::header;
use axum::http::Method;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;

/// State-changing requests must come from Kirjo's own pages or an API
/// client, never from another site. The API takes JSON only (a cross-site
/// form cannot send that without a CORS preflight, which Kirjo never
/// grants). The pages' forms carry a token that must equal the
/// `kirjo_csrf` cookie, which another site can neither read nor set. Both
/// must come from this host where the browser says where they come from
/// (`Origin`, `Sec-Fetch-Site`); the cookies are `SameSite=Strict` besides.
pub(crate) async fn csrf_guard(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    // Kirjo changes state by POST, PUT and DELETE only; any other method
    // (TRACE, PATCH, ...) reaches no handler and is answered 405 by the
    // router.
    let changes_state = method == Method::POST || method == Method::PUT || method == Method::DELETE;
    if !changes_state {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let same_origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => host.is_some_and(|h| {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(h)
        }),
    };
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == "same-origin" || v == "none");
    if !same_origin || !fetch_site_ok {
        return refuse("another origin");
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if request.uri().path().starts_with("/api/") {
        let json = content_type.starts_with("application/json");
        // An operation without a body (complete, discard, a reset) may
        // come without a Content-Type: it carries nothing to misread, and
        // another site cannot send it with the session (the Origin and
        // Sec-Fetch-Site checks above, and SameSite=Strict cookies).
        let no_body = content_type.is_empty() && has_no_body(request.headers());
        if !(json || no_body || method == Method::DELETE) {
            return unsupported("the API takes JSON only (Content-Type: application/json)");
        }
        return next.run(request).await;
    }
    // The form that attaches a file is the one multipart form. The upload
    // page reads its body, and checks its token with `form_token_ok`, only
    // after it has found the session valid: nobody who is not signed in
    // can make Kirjo hold a file-sized body.
    if crate::shared::multipart::boundary(&content_type).is_some()
        && is_upload_path(request.uri().path())
    {
        return next.run(request).await;
    }
    // Any other page's form: read it (small), check the token, pass it on.
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return unsupported("a page takes a form (application/x-www-form-urlencoded)");
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body, 256 * 1024, content_length(&parts.headers)).await {
        Ok(b) => b,
        Err(BodyProblem::Broken) => {
            return ApiError::bad_request("the request body could not be read").into_response()
        }
        Err(BodyProblem::TooLarge(_)) => {
            return ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: "form too large".to_owned(),
            }
            .into_response()
        }
    };
    let token = form_urlencoded_value(&bytes, "csrf");
    let stale = !form_token_ok(&parts.headers, token.as_deref());
    let mut request = Request::from_parts(parts, axum::body::Body::from(bytes));
    if stale {
        // A token of this site's shape, with a session cookie: a form of
        // an earlier session, kept (never acted on) rather than lost.
        let token_given =
            token.is_some_and(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
        let has_session =
            crate::shared::page::cookie_value(request.headers(), crate::shared::session::COOKIE)
                .is_some();
        if !(token_given && has_session && crate::account::resume::keepable(&request)) {
            return csrf_refusal();
        }
        request.extensions_mut().insert(TokenOfAnotherSession);
    }
    next.run(request).await
}

/// Whether the request says it has no body: no `Transfer-Encoding`, and no
/// `Content-Length` or one of 0.
fn has_no_body(headers: &axum::http::HeaderMap) -> bool {
    !headers.contains_key(header::TRANSFER_ENCODING)
        && headers
            .get(header::CONTENT_LENGTH)
            .is_none_or(|v| v.as_bytes() == b"0")
}

/// `/documents/{id}/attachments`, the upload form's address.
fn is_upload_path(path: &str) -> bool {
    path.strip_prefix("/documents/")
        .and_then(|rest| rest.strip_suffix("/attachments"))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The token a page's forms carry: bound to the session where there is
/// one (a digest of the `kirjo_csrf` cookie and the session's token, so a
/// token is good for one session only, and a cookie planted by someone
/// else is not enough), the `kirjo_csrf` cookie itself before signing in.
pub(crate) fn form_token(csrf_cookie: &str, session: Option<&str>) -> String {
    use sha2::Digest;
    match session.filter(|s| !s.is_empty()) {
        Some(session) => {
            let mut h = sha2::Sha256::new();
            h.update(b"kirjo form token\0");
            h.update(csrf_cookie.as_bytes());
            h.update(b"\0");
            h.update(session.as_bytes());
            hex::encode(h.finalize())
        }
        None => csrf_cookie.to_owned(),
    }
}

/// The form token a request's cookies call for, if it has a CSRF cookie.
pub(crate) fn expected_form_token(headers: &axum::http::HeaderMap) -> Option<String> {
    let csrf = crate::shared::page::cookie_value(headers, crate::shared::page::CSRF_COOKIE)
        .filter(|c| !c.is_empty())?;
    let session = crate::shared::page::cookie_value(headers, crate::shared::session::COOKIE);
    Some(form_token(&csrf, session.as_deref()))
}

/// Whether a form's token is the one the request's cookies call for
/// ([`form_token`]).
pub(crate) fn form_token_ok(headers: &axum::http::HeaderMap, token: Option<&str>) -> bool {
    match (expected_form_token(headers), token) {
        (Some(e), Some(t)) => same_bytes(e.as_bytes(), t.as_bytes()),
        _ => false,
    }
}

/// A page's form from this site whose token is of another session (a tab
/// left open from before the user signed in again): not refused, so that
/// what was typed is not lost; `resume::keep_posted` answers it with the
/// password page that keeps the form, and nothing of it reaches a page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenOfAnotherSession;

/// The answer to a request that may come from another site.
fn refuse(why: &str) -> Response {
    ApiError {
        status: StatusCode::FORBIDDEN,
        message: format!("cross-site request refused: {why}"),
    }
    .into_response()
}

/// The answer to a body of a type the address does not take (415). Still
/// refused, as before, so another site's form cannot reach a handler.
fn unsupported(what: &str) -> Response {
    ApiError {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        message: format!("unsupported content type: {what}"),
    }
    .into_response()
}

/// The answer to a form whose token is missing or wrong.
pub(crate) fn csrf_refusal() -> Response {
    refuse("the form's token is missing or wrong: reload the page")
}

/// The length a request says its body has (0 when it does not say).
pub(crate) fn content_length(headers: &axum::http::HeaderMap) -> usize {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
}

/// The most a form with a file may carry: the largest file and room for
/// the form's other fields.
pub const UPLOAD_LIMIT: usize = kirjo_store::documents::ATTACHMENT_MAX_BYTES + 64 * 1024;

pub(crate) enum BodyProblem {
    /// Larger than the limit: the first `limit` bytes.
    TooLarge(axum::body::Bytes),
    Broken,
}

/// Reads a body of at most `limit` bytes. Of a larger one the first `limit`
/// bytes are kept and the rest, up to three times the limit more, is read
/// and thrown away, so that a browser still sending a file a little too
/// large gets the answer rather than a broken connection; beyond that the
/// connection is dropped. `announced`: the length the request gave, room
/// for which is taken at once (up to `limit`) rather than grown into.
pub(crate) async fn read_body(
    body: axum::body::Body,
    limit: usize,
    announced: usize,
) -> Result<axum::body::Bytes, BodyProblem> {
    use http_body_util::BodyExt;
    let drain_to = limit.saturating_mul(4);
    let mut body = body;
    let mut kept: Vec<u8> = Vec::with_capacity(announced.min(limit));
    let mut seen: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyProblem::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let room = limit.saturating_sub(kept.len());
        kept.extend_from_slice(&data[..data.len().min(room)]);
        seen = seen.saturating_add(data.len());
        if seen > drain_to {
            break;
        }
    }
    if seen > limit {
        Err(BodyProblem::TooLarge(kept.into()))
    } else {
        Ok(kept.into())
    }
}

/// Compares in time that does not depend on where the bytes differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of one field of an `application/x-www-form-urlencoded` body.
fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body);
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}
