//! A form sent after the session ended is not lost: instead of a redirect
//! to the sign-in page (which would drop what was typed), the answer is a
//! page that asks for the password again and carries what was posted in a
//! hidden field. When the password (and the second factor, for those who
//! have one) is right, the original form is sent on the user's behalf, as
//! if the session had never ended, and the user sees its answer.
//!
//! - `keep_posted` sits just inside the CSRF guard: it sees only forms of
//!   Kirjo's own pages whose token was right, and turns a page's "sign in
//!   first" redirect of such a form into the password page.
//! - `POST /sign-in/resume` signs in (`resume_submit`) and marks its answer
//!   with what to send.
//! - `replay`, outside everything, sends the original form through the
//!   whole application again (the CSRF guard, the gate, the use log), now
//!   with the new session.
//!
//! What was posted is never written anywhere: not to the application log,
//! not to the database. It lives in the user's browser page only.

use crate::account::second_factor::CodeCheck;
use crate::account::session::SignInOutcome;
use crate::shared::csrf::read_body;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::session::Origin;
use crate::shared::state::AppState;
use askama::Template;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::extract::Request;
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderValue;
use axum::http::Method;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Form;
use axum::Router;
use kirjo_store::staff::Stage;
use std::net::SocketAddr;
use tower::ServiceExt;

/// The address of the password page's form.
pub const RESUME_PATH: &str = "/sign-in/resume";

/// The most a kept form may hold: what the CSRF guard reads of a form.
const FORM_LIMIT: usize = 256 * 1024;

#[derive(Template)]
#[template(path = "account/resume.html")]
pub struct ResumePage {
    pub shell: Shell,
    /// The page's address the form was sent to.
    pub to: String,
    /// The form as it was posted (urlencoded, without its token).
    pub posted: String,
    pub username: String,
    /// The password was right: the second factor's code is asked.
    pub code_step: bool,
    pub error: Option<String>,
    /// The user has a security key: it may be used instead of the code.
    pub keys: bool,
}

/// Whether a kept form may be sent to `to`: one of the pages' own
/// addresses, not the API's and not the sign-in steps'.
fn sendable(to: &str) -> bool {
    to.starts_with('/')
        && !to.starts_with("//")
        && !to.starts_with("/api/")
        && !to.starts_with("/sign-in")
        && !to.contains('\\')
        && to.parse::<axum::http::Uri>().is_ok()
}

/// A form body without its CSRF token.
fn without_token(body: &[u8]) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(k, _)| k != "csrf")
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default()
}

/// The middleware that keeps a form posted after the session ended: the
/// page's redirect to the sign-in page becomes the password page, with
/// the form in it.
pub async fn keep_posted(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !keepable(&request) {
        return next.run(request).await;
    }
    let stale = request
        .extensions()
        .get::<crate::shared::csrf::TokenOfAnotherSession>()
        .is_some();
    let (parts, body) = request.into_parts();
    // The CSRF guard read this body already (and refused a larger one).
    let Ok(bytes) = read_body(body, FORM_LIMIT, 0).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let mut copy = Request::new(()).into_parts().0;
    copy.method = parts.method.clone();
    copy.uri = parts.uri.clone();
    copy.headers = parts.headers.clone();
    let to = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    // A form of an earlier session never reaches its page: the password
    // page keeps it, and the replay sends it with a token of the new one.
    if !stale {
        let answer = next
            .run(Request::from_parts(parts, Body::from(bytes.clone())))
            .await;
        if !to_sign_in(&answer) {
            return answer;
        }
    }
    let ctx = match Ctx::from_request_parts(&mut copy, &state).await {
        Ok(ctx) => ctx,
        Err(r) => return r,
    };
    // The form is its typist's: the password page names them.
    let username = owner(&state, &copy.headers).await.unwrap_or_default();
    ctx.render(
        StatusCode::OK,
        &ResumePage {
            shell: ctx.shell(ctx.tr.t("resume-title"), None),
            to,
            posted: without_token(&bytes),
            username,
            code_step: false,
            error: None,
            keys: false,
        },
    )
}

/// Whose session the request's cookie is (open or ended): the user who
/// typed a kept form, who alone may send it.
async fn owner(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let token = crate::shared::page::cookie_value(headers, crate::shared::session::COOKIE)?;
    kirjo_store::staff::session_owner(&state.db, &token)
        .await
        .ok()
        .flatten()
}

/// Whether a request is a page's form that may be kept: posted to one of
/// the pages' own addresses, urlencoded.
pub(crate) fn keepable(request: &Request) -> bool {
    request.method() == Method::POST
        && !request.uri().path().starts_with("/api/")
        && sendable(request.uri().path())
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Whether a page answered "sign in first".
fn to_sign_in(answer: &Response) -> bool {
    answer.status() == StatusCode::SEE_OTHER
        && answer
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with("/sign-in?next="))
}

#[derive(Debug, serde::Deserialize)]
pub struct ResumeForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub posted: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub code: Option<String>,
    /// A security key's answer instead of the code.
    #[serde(default)]
    pub assertion: Option<String>,
}

/// What `replay` sends: the kept form, to its page, in the new session.
#[derive(Debug, Clone)]
struct Replay {
    to: String,
    posted: String,
    token: String,
}

/// The answer that has `replay` send the kept form; without `replay` (it
/// is always there), the start page.
fn send_kept(to: String, posted: String, token: String) -> Response {
    let mut r = see_other("/");
    r.extensions_mut().insert(Replay { to, posted, token });
    r
}

/// `POST /sign-in/resume`: the password again (or then the second
/// factor's code), and the kept form sent.
pub async fn resume_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    headers: axum::http::HeaderMap,
    Form(f): Form<ResumeForm>,
) -> PageResult {
    if !sendable(&f.to) {
        return Ok(see_other("/sign-in"));
    }
    let keys = match ctx.session.as_ref() {
        Some(s) if s.session.stage == Stage::SecondFactor => {
            crate::account::pages::offers_keys(&state, s.caller.user_id).await
        }
        _ => false,
    };
    let again = |code_step: bool, status: StatusCode, error: String| {
        ctx.render(
            status,
            &ResumePage {
                shell: ctx.shell(ctx.tr.t("resume-title"), None),
                to: f.to.clone(),
                posted: f.posted.clone(),
                username: f.username.clone(),
                code_step,
                error: Some(error),
                keys: keys && code_step,
            },
        )
    };
    let key = crate::account::pages::assertion_field(f.assertion.as_deref());
    // The second step: the code (or a security key), in the session the
    // password began.
    if f.code.is_some() || key.is_some() {
        let Some(s) = ctx
            .session
            .clone()
            .filter(|s| s.session.stage == Stage::SecondFactor)
        else {
            return Ok(again(
                false,
                StatusCode::UNAUTHORIZED,
                ctx.tr.t("session-ended"),
            ));
        };
        let check = match &key {
            Some(answer) => crate::account::second_factor::verify_key(&state, &s, answer).await,
            None => {
                let code = f.code.as_deref().unwrap_or_default();
                crate::account::second_factor::verify(&state, &s, code).await
            }
        }
        .map_err(|e| ctx.api_error(e, None))?;
        return match check {
            CodeCheck::Accepted => Ok(send_kept(f.to.clone(), f.posted.clone(), s.token)),
            CodeCheck::Wrong => Ok(again(
                true,
                StatusCode::UNAUTHORIZED,
                ctx.tr.t(if key.is_some() {
                    "keys-refused"
                } else {
                    "code-wrong"
                }),
            )),
            CodeCheck::SessionEnded => Ok(ctx.error(
                StatusCode::TOO_MANY_REQUESTS,
                ctx.tr.t("code-too-many"),
                None,
            )),
        };
    }
    // A form kept from someone's session is sent by them only: another
    // user signing in on its page would save it as their own.
    if let Some(typist) = owner(&state, &headers).await {
        if !typist.eq_ignore_ascii_case(f.username.trim()) {
            return Ok(again(
                false,
                StatusCode::FORBIDDEN,
                ctx.tr.t("resume-other-user"),
            ));
        }
    }
    if f.username.trim().is_empty() || f.password.is_empty() {
        return Ok(again(
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("sign-in-missing"),
        ));
    }
    let outcome = crate::account::session::authenticate(&state, &origin, &f.username, &f.password)
        .await
        .map_err(|e| ctx.api_error(e, None))?;
    match outcome {
        SignInOutcome::Started {
            token,
            stage,
            user_id,
            ..
        } => {
            let cookie = crate::shared::session::session_cookie(&state, &token)
                .map_err(IntoResponse::into_response)?;
            let keys = stage == Stage::SecondFactor
                && crate::account::pages::offers_keys(&state, user_id).await;
            let mut r = match stage {
                Stage::SignedIn => send_kept(f.to.clone(), f.posted.clone(), token),
                Stage::SecondFactor => ctx.render(
                    StatusCode::OK,
                    &ResumePage {
                        shell: ctx.shell_of_session(ctx.tr.t("resume-title"), &token),
                        to: f.to.clone(),
                        posted: f.posted.clone(),
                        username: f.username.clone(),
                        code_step: true,
                        error: None,
                        keys,
                    },
                ),
                Stage::Enrol => see_other("/account/second-factor"),
            };
            r.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(r)
        }
        SignInOutcome::Locked => Ok(again(
            false,
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr.t("sign-in-locked"),
        )),
        SignInOutcome::Refused => Ok(again(
            false,
            StatusCode::UNAUTHORIZED,
            ctx.tr.t("sign-in-wrong"),
        )),
    }
}

/// The cookies of a request with the session cookie's value replaced.
fn with_session(cookies: Option<&HeaderValue>, token: &str) -> Option<HeaderValue> {
    let session = crate::shared::session::COOKIE;
    let mut kept: Vec<String> = cookies
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(session))
        .map(str::to_owned)
        .collect();
    kept.push(format!("{session}={token}"));
    HeaderValue::from_str(&kept.join("; ")).ok()
}

/// The outermost middleware: when the answer says to send a kept form,
/// sends it through the whole application (`inner`) in the new session,
/// and answers what that page answered, with the new session's cookie.
pub async fn replay(State(inner): State<Router>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || request.uri().path() != RESUME_PATH {
        return next.run(request).await;
    }
    let headers = request.headers().clone();
    let connect = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned();
    let mut answer = next.run(request).await;
    let Some(kept) = answer.extensions_mut().remove::<Replay>() else {
        return answer;
    };
    let csrf = crate::shared::page::cookie_value(&headers, crate::shared::page::CSRF_COOKIE)
        .map(|c| crate::shared::csrf::form_token(&c, Some(&kept.token)))
        .unwrap_or_default();
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&kept.posted).unwrap_or_default();
    pairs.retain(|(k, _)| k != "csrf");
    pairs.insert(0, ("csrf".to_owned(), csrf));
    let body = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(kept.to.as_str());
    for name in [
        header::HOST,
        header::ORIGIN,
        header::USER_AGENT,
        header::ACCEPT,
        header::ACCEPT_LANGUAGE,
    ] {
        if let Some(v) = headers.get(&name) {
            builder = builder.header(name, v);
        }
    }
    if let Some(v) = headers.get("sec-fetch-site") {
        builder = builder.header("sec-fetch-site", v);
    }
    if let Some(c) = with_session(headers.get(header::COOKIE), &kept.token) {
        builder = builder.header(header::COOKIE, c);
    }
    let Ok(mut again) = builder
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
    else {
        return answer;
    };
    if let Some(c) = connect {
        again.extensions_mut().insert(c);
    }
    let Ok(mut sent) = inner.oneshot(again).await;
    for cookie in answer.headers().get_all(header::SET_COOKIE) {
        sent.headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pages_own_addresses_are_sent_to() {
        assert!(sendable("/documents/12/edit"));
        assert!(sendable("/clients/3/documents/new?kind=decision"));
        assert!(!sendable("//evil.example/x"));
        assert!(!sendable("https://evil.example/x"));
        assert!(!sendable("/api/documents/1"));
        assert!(!sendable("/sign-in/resume"));
        assert!(!sendable("/\\evil"));
    }

    #[test]
    fn the_token_is_left_out_and_everything_else_kept_in_order() {
        let kept = without_token(b"csrf=abc&text=a+b%0D%0Ac&scope=1&scope=2");
        assert_eq!(kept, "text=a+b%0D%0Ac&scope=1&scope=2");
    }

    #[test]
    fn the_new_session_replaces_the_ended_one_and_other_cookies_stay() {
        let v = HeaderValue::from_static("kirjo_csrf=x; kirjo_session=old; kirjo_lang=sv");
        let c = with_session(Some(&v), "new").map(|c| c.to_str().unwrap_or("").to_owned());
        assert_eq!(
            c.as_deref(),
            Some("kirjo_csrf=x; kirjo_lang=sv; kirjo_session=new")
        );
    }
}
