//! The edge of every request (see `docs/validation.md`):
//!
//! - [`guard`] refuses, before any handler reads it, text that Kirjo does
//!   not take anywhere (`kirjo_domain::edge::refused_char`: NUL, other
//!   control characters, Unicode direction overrides) in the address, the
//!   query and the body, and lists in a JSON body longer than
//!   `kirjo_domain::edge::MAX_LIST`. The forms that check their own fields
//!   (and show the form again with each problem at its field, nothing typed
//!   lost) are left to do so; only a NUL, which no one can type, is refused
//!   in them here.
//! - [`answer_and_log`] makes every error of the API a JSON answer (axum's
//!   own rejections of a path, query or body are plain text), and leaves a
//!   denied row in the use log for every refused request on a route that
//!   has a gate action, when nothing else logged it: a body that does not
//!   parse, an unknown id, a refused character, a wrong content type.

use super::error::ApiError;
use super::fields::lang;
use super::state::{AppState, RequestId};
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kirjo_access::Action;
use kirjo_domain::contact::Lang;
use kirjo_domain::edge::{refused_char, TextProblem, MAX_LIST};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The largest JSON body read here (axum's default limit), and the one of
/// the routes that take a file.
const JSON_LIMIT: usize = 2 * 1024 * 1024;
const FILE_LIMIT: usize = 16 * 1024 * 1024 + 64 * 1024;

/// The page forms that check every field themselves and show the form again.
const SELF_CHECKED_FORMS: [&str; 8] = [
    "/clients/new",
    "/clients/{id}/edit",
    "/clients/{id}/documents/new",
    "/documents/{id}/edit",
    "/documents/{id}/correct",
    "/clients/{id}/minor-prohibition",
    "/clients/{id}/matters",
    "/matters/{id}/phases",
];

/// A problem found at the edge.
#[derive(Debug)]
enum Problem {
    Text(TextProblem),
    /// Percent-encoding that is not UTF-8, or a query that does not parse.
    Unreadable,
    TooLong,
}

impl Problem {
    fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Text(p) => p.message(lang).to_owned(),
            Problem::Unreadable => match lang {
                Lang::Fi => "Pyyntöä ei voitu lukea (merkistö tai muoto).",
                Lang::Sv => "Begäran kunde inte läsas (teckenkodning eller form).",
                Lang::En => "The request could not be read (encoding or form).",
            }
            .to_owned(),
            Problem::TooLong => match lang {
                Lang::Fi => format!("Luettelossa on yli {MAX_LIST} kohtaa."),
                Lang::Sv => format!("Listan har fler än {MAX_LIST} poster."),
                Lang::En => format!("A list has more than {MAX_LIST} items."),
            },
        }
    }
}

fn text(s: &str) -> Result<(), Problem> {
    match s.chars().find_map(refused_char) {
        Some(p) => Err(Problem::Text(p)),
        None => Ok(()),
    }
}

/// `%XX` decoded, `+` kept (a path) or a space (a form).
fn percent_decode(s: &str, plus_is_space: bool) -> Result<String, Problem> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3).ok_or(Problem::Unreadable)?;
                let hex = std::str::from_utf8(hex).map_err(|_| Problem::Unreadable)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| Problem::Unreadable)?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Problem::Unreadable)
}

/// Every key and value of an `application/x-www-form-urlencoded` text.
fn urlencoded(s: &str, nul_only: bool) -> Result<(), Problem> {
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        for part in [k, v] {
            let decoded = percent_decode(part, true)?;
            if nul_only {
                if decoded.contains('\0') {
                    return Err(Problem::Text(TextProblem::Nul));
                }
            } else {
                text(&decoded)?;
            }
        }
    }
    Ok(())
}

fn json_value(v: &serde_json::Value) -> Result<(), Problem> {
    match v {
        serde_json::Value::String(s) => text(s),
        serde_json::Value::Array(items) => {
            if items.len() > MAX_LIST {
                return Err(Problem::TooLong);
            }
            items.iter().try_for_each(json_value)
        }
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            text(k)?;
            json_value(v)
        }),
        _ => Ok(()),
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Refuses what Kirjo takes nowhere, before a handler reads it (400).
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let checked = (|| {
        percent_decode(request.uri().path(), false).and_then(|p| text(&p))?;
        if let Some(q) = request.uri().query() {
            urlencoded(q, false)?;
        }
        Ok::<(), Problem>(())
    })();
    if let Err(p) = checked {
        return refuse(&state, request, api, &p).await;
    }
    let ct = content_type(request.headers());
    let json = ct.starts_with("application/json");
    let form = ct.starts_with("application/x-www-form-urlencoded");
    if !(json || form) {
        return next.run(request).await;
    }
    let limit = if route.ends_with("/attachments") {
        FILE_LIMIT
    } else {
        JSON_LIMIT
    };
    let (parts, body) = request.into_parts();
    let bytes = match super::csrf::read_body(body, limit, 0).await {
        Ok(b) => b,
        Err(super::csrf::BodyProblem::Broken) => {
            return ApiError::bad_request("the request body could not be read").into_response()
        }
        Err(super::csrf::BodyProblem::TooLarge(_)) => {
            return ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                message: "the request body is too large".to_owned(),
            }
            .into_response()
        }
    };
    let checked = if json {
        // A body that is not JSON is left to the handler, which says so.
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(v) => json_value(&v),
            Err(_) => Ok(()),
        }
    } else {
        match std::str::from_utf8(&bytes) {
            Ok(s) => urlencoded(
                s,
                parts.method == Method::POST && SELF_CHECKED_FORMS.contains(&route.as_str()),
            ),
            Err(_) => Err(Problem::Unreadable),
        }
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    match checked {
        Ok(()) => next.run(request).await,
        Err(p) => refuse(&state, request, api, &p).await,
    }
}

/// The answer to a request refused at the edge: JSON for the API, a page
/// otherwise; the sign-in's refusal is logged as a failed sign-in.
async fn refuse(state: &AppState, request: Request, api: bool, p: &Problem) -> Response {
    let (mut parts, _) = request.into_parts();
    let l = lang(None, &parts.headers);
    let message = p.message(l);
    let path = parts.uri.path().to_owned();
    if parts.method == Method::POST && (path == "/api/session" || path == "/sign-in") {
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map_or_else(uuid::Uuid::new_v4, |r| r.0);
        let source = super::session::source(&parts);
        if let Err(e) = kirjo_store::gate::record_event(
            &state.db,
            request_id,
            None,
            "(refused input)",
            "sign_in",
            false,
            "denied: the sign-in request has characters that are not accepted",
            source.as_deref(),
        )
        .await
        {
            return ApiError::from_store(e).into_response();
        }
    }
    if api {
        return ApiError::bad_request(message).into_response();
    }
    use axum::extract::FromRequestParts;
    match super::page::Ctx::from_request_parts(&mut parts, state).await {
        Ok(ctx) => ctx.error(StatusCode::BAD_REQUEST, message, None),
        Err(r) => r,
    }
}

/// Each route's gate action, by method and path template.
fn actions() -> &'static HashMap<(String, String), Action> {
    static ACTIONS: OnceLock<HashMap<(String, String), Action>> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        crate::routes()
            .into_iter()
            .filter_map(|r| {
                r.action
                    .map(|a| ((r.method.to_owned(), r.path.to_owned()), a))
            })
            .collect()
    })
}

/// The client id in an address such as `/api/clients/{id}/...` or
/// `/clients/{id}`, when it is a number.
fn client_in_path(route: &str, path: &str) -> Option<i64> {
    let pos = route
        .split('/')
        .position(|s| s == "{id}")
        .filter(|&i| i > 0 && route.split('/').nth(i - 1) == Some("clients"))?;
    path.split('/').nth(pos)?.parse().ok()
}

/// In general terms why a request was refused, for the use log: never
/// the input itself.
fn why(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => {
            "the request could not be read or has characters that are not accepted"
        }
        StatusCode::NOT_FOUND => "no such thing",
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed",
        StatusCode::CONFLICT => "conflicts with what is recorded",
        StatusCode::PAYLOAD_TOO_LARGE => "the request is too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported content type",
        StatusCode::UNPROCESSABLE_ENTITY => "the input was refused",
        StatusCode::FORBIDDEN => "refused",
        _ => "refused",
    }
}

/// JSON for every error of the API, and a denied row for every refused
/// request on a gate route that left none.
pub(crate) async fn answer_and_log(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let api = path.starts_with("/api/");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let request_id = request.extensions().get::<RequestId>().map(|r| r.0);
    let token = super::session::token_from(request.headers());
    let source = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let mut response = next.run(request).await;
    let status = response.status();
    if api && (status.is_client_error() || status.is_server_error()) {
        response = as_json(response).await;
    }
    let action = route
        .as_ref()
        .and_then(|r| actions().get(&(method.clone(), r.clone())).copied());
    let (Some(action), Some(route), Some(request_id), Some(token)) =
        (action, route, request_id, token)
    else {
        return response;
    };
    if !status.is_client_error() || status == StatusCode::UNAUTHORIZED {
        return response;
    }
    let Ok(Some(session)) =
        kirjo_store::staff::resolve_session(&state.db, &token, state.sessions.idle_secs).await
    else {
        return response;
    };
    let logged = kirjo_store::gate::record_refused_request(
        &state.db,
        request_id,
        session.user_id,
        client_in_path(&route, &path),
        action.as_str(),
        &format!("{method} {route}"),
        &format!("denied: {} ({})", why(status), status.as_u16()),
        source.as_deref(),
    )
    .await;
    match logged {
        Ok(_) => response,
        // Fail closed: a refusal that cannot be logged is answered as an
        // error of Kirjo's.
        Err(e) => ApiError::from_store(e).into_response(),
    }
}

/// An error answer of the API as `{"error": message}` when it is not JSON
/// already (axum's rejections are plain text, a 405 has no body).
async fn as_json(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = match super::csrf::read_body(body, 16 * 1024, 0).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let message = if text.is_empty() {
        parts
            .status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase()
    } else {
        text
    };
    let mut answer = ApiError {
        status: parts.status,
        message,
    }
    .into_response();
    // Keep what the answer said besides (Allow, Retry-After).
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_finds_refused_characters() {
        assert!(urlencoded("name=a%00b", false).is_err());
        assert!(urlencoded("name=a%E2%80%AEb", false).is_err());
        assert!(urlencoded("name=a%0Ab", false).is_ok());
        assert!(urlencoded("name=%FF", false).is_err());
        assert!(urlencoded("name=%E2%80%AE", true).is_ok());
        assert!(urlencoded("name=a%00", true).is_err());
        assert!(urlencoded("name=M%C3%A4kinen+Eetu", false).is_ok());
        assert!(percent_decode("%4", false).is_err());
        assert_eq!(
            client_in_path("/api/clients/{id}/documents", "/api/clients/12/documents"),
            Some(12)
        );
        assert_eq!(
            client_in_path("/api/documents/{id}", "/api/documents/12"),
            None
        );
        assert_eq!(client_in_path("/clients/{id}", "/clients/x"), None);
    }
}
