//! Sign-in with a personal account, and server-side sessions.
//!
//! Passwords are hashed with Argon2id. Sessions live in PostgreSQL (so they
//! can be revoked), the cookie carries a random token of which only a hash is
//! stored, and it is `HttpOnly`, `SameSite=Strict` and `Secure` when served
//! over TLS. Every sign-in, failure and sign-out goes to the use log. An
//! unknown account costs the same hashing work as a known one, so timing
//! does not reveal which accounts exist.

use crate::{ApiError, AppState, RequestId};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kirjo_store::gate::{record_event, Caller};
use kirjo_store::second_factor;
use kirjo_store::staff::{self, Stage};
use serde::Deserialize;
use std::net::SocketAddr;

pub const COOKIE: &str = "kirjo_session";

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified when the account is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$a2lyam8tZHVtbXktc2FsdA$0B7lUM1qAPaxNmN3O3OnV9Gm2/w3P7rkcVyT8cRFnJg";

fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|_| ApiError::internal("no randomness"))?;
    Ok(hex::encode(bytes))
}

pub(crate) fn source(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

pub(crate) fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The signed-in user of a request, as the gate's caller.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub caller: Caller,
    pub token: String,
    /// Seconds since the user last gave their password in this session.
    pub auth_age_secs: f64,
}

impl SignedIn {
    /// Sensitive actions (revealing a protected address, approving rights,
    /// ending duties, resetting a password, exporting a log extract) need
    /// the password given recently; else 401 and a re-authentication.
    pub fn require_recent_auth(&self, state: &AppState) -> Result<(), ApiError> {
        if self.auth_age_secs <= state.sessions.reauth_secs as f64 {
            Ok(())
        } else {
            Err(ApiError {
                status: StatusCode::UNAUTHORIZED,
                message: "re-authentication required: give your password again (POST /api/session/reauth)"
                    .to_owned(),
            })
        }
    }
}

/// Any open session, whatever its stage: what the second-factor step and
/// enrolment take.
#[derive(Debug, Clone)]
pub struct AnySession {
    pub caller: Caller,
    pub token: String,
    pub session: staff::OpenSession,
}

impl FromRequestParts<AppState> for AnySession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = token_from(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let session = staff::resolve_session(&state.db, &token, state.sessions.idle_secs)
            .await
            .map_err(ApiError::from_store)?
            .ok_or_else(ApiError::unauthenticated)?;
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map_or_else(uuid::Uuid::new_v4, |r| r.0);
        Ok(AnySession {
            caller: Caller {
                user_id: session.user_id,
                request_id,
                source_address: source(parts),
            },
            token,
            session,
        })
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let any = AnySession::from_request_parts(parts, state).await?;
        any.signed_in()
    }
}

impl AnySession {
    /// The session as a signed-in user's, if it has passed every step.
    pub fn signed_in(self) -> Result<SignedIn, ApiError> {
        match self.session.stage {
            Stage::SignedIn => Ok(SignedIn {
                caller: self.caller,
                token: self.token,
                auth_age_secs: self.session.auth_age_secs,
            }),
            Stage::SecondFactor => Err(ApiError {
                status: StatusCode::UNAUTHORIZED,
                message: "second factor required (POST /api/session/second-factor)".to_owned(),
            }),
            Stage::Enrol => Err(ApiError {
                status: StatusCode::UNAUTHORIZED,
                message:
                    "your role requires a second factor: enrol first (POST /api/me/second-factor)"
                        .to_owned(),
            }),
        }
    }
}

/// Where the request came from and its id, for routes without a session.
#[derive(Debug, Clone)]
pub struct Origin {
    pub request_id: uuid::Uuid,
    pub source_address: Option<String>,
}

impl FromRequestParts<AppState> for Origin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Origin {
            request_id: parts
                .extensions
                .get::<RequestId>()
                .map_or_else(uuid::Uuid::new_v4, |r| r.0),
            source_address: source(parts),
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

fn cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, ApiError> {
    let secure = if state.sessions.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .map_err(|_| ApiError::internal("cookie"))
}

/// How a sign-in with a password ended.
#[derive(Debug)]
pub enum SignInOutcome {
    /// A session began; `stage` says whether a second factor (or its
    /// enrolment) is still needed before anything else.
    Started {
        token: String,
        user_id: i64,
        name: String,
        stage: Stage,
        password_change_required: bool,
    },
    /// Too many failures for the name or the address: locked for a while.
    Locked,
    /// Wrong name or password, or duties ended: the same answer for all.
    Refused,
}

/// Checks a name and password and starts a session. Every outcome goes to
/// the use log; the timing and the answer do not reveal whether the
/// account exists. Shared by the API and the sign-in page.
pub async fn authenticate(
    state: &AppState,
    origin: &Origin,
    username: &str,
    password: &str,
) -> Result<SignInOutcome, ApiError> {
    // Names are lower-case; an attempt is counted under the name as typed
    // whether or not such an account exists, so a lockout reveals nothing.
    let username = username.trim().to_lowercase();
    let limits = &state.sessions;
    let (account_failures, source_failures) = staff::recent_failures(
        &state.db,
        &username,
        origin.source_address.as_deref(),
        limits.lockout_window_secs,
    )
    .await
    .map_err(ApiError::from_store)?;
    let locked = account_failures >= limits.max_account_failures
        || source_failures >= limits.max_source_failures;
    let account = staff::account_by_username(&state.db, &username)
        .await
        .map_err(ApiError::from_store)?;
    let password = password.to_owned();
    let hash = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    // Argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let src = origin.source_address.as_deref();
    let log = |id: Option<i64>, who: &str, ok: bool, why: &str| {
        let (who, why) = (who.to_owned(), why.to_owned());
        async move {
            record_event(
                &state.db,
                origin.request_id,
                id,
                &who,
                "sign_in",
                ok,
                &why,
                src,
            )
            .await
            .map_err(ApiError::from_store)
        }
    };
    // The attempted name of an unknown account is kept in the use log
    // only, never in application logs.
    let (id, who) = match &account {
        Some(a) => (Some(a.id), a.name.clone()),
        None => (None, format!("(unknown account {username})")),
    };
    if locked {
        staff::record_attempt(&state.db, &username, src, false)
            .await
            .map_err(ApiError::from_store)?;
        log(
            id,
            &who,
            false,
            "denied: locked after repeated failed sign-ins (account name or source address)",
        )
        .await?;
        return Ok(SignInOutcome::Locked);
    }
    let a = match account {
        Some(a) if ok && !a.duties_ended => a,
        other => {
            staff::record_attempt(&state.db, &username, src, false)
                .await
                .map_err(ApiError::from_store)?;
            // Each failure answers a little later.
            let delay = limits
                .failure_delay_ms
                .saturating_mul(u64::try_from(account_failures + 1).unwrap_or(1))
                .min(2000);
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            let why = match other {
                Some(a) if a.duties_ended => "denied: duties ended",
                Some(_) => "denied: wrong password",
                None => "denied: unknown account",
            };
            log(id, &who, false, why).await?;
            return Ok(SignInOutcome::Refused);
        }
    };
    let mut password_change_required = a.password_change_required;
    if let Some(days) = limits.max_password_age_days {
        if !password_change_required && a.password_age_days > days as f64 {
            second_factor::require_password_change(&state.db, a.id)
                .await
                .map_err(ApiError::from_store)?;
            password_change_required = true;
            log(
                Some(a.id),
                &a.name,
                true,
                &format!("password older than {days} days: a new one is required"),
            )
            .await?;
        }
    }
    let stage = if a.has_second_factor {
        Stage::SecondFactor
    } else {
        let roles = staff::my_roles(&state.db, a.id)
            .await
            .map_err(ApiError::from_store)?
            .map(|actor| actor.roles)
            .unwrap_or_default();
        if roles
            .iter()
            .any(|r| limits.second_factor_roles.contains(&r.role))
        {
            Stage::Enrol
        } else {
            Stage::SignedIn
        }
    };
    // A sign-in succeeds (and clears the failures counted against the
    // name) only when every step is done: the second factor counts its own
    // failures against the same name and address.
    if stage == Stage::SignedIn {
        staff::record_attempt(&state.db, &username, src, true)
            .await
            .map_err(ApiError::from_store)?;
    }
    let token = new_token()?;
    staff::create_session(&state.db, a.id, &token, limits.absolute_secs, stage)
        .await
        .map_err(ApiError::from_store)?;
    let why = match stage {
        Stage::SignedIn => "signed in with password",
        Stage::SecondFactor => "password right: second factor awaited",
        Stage::Enrol => "password right: the role requires a second factor, enrolment awaited",
    };
    log(Some(a.id), &a.name, true, why).await?;
    Ok(SignInOutcome::Started {
        token,
        user_id: a.id,
        name: a.name,
        stage,
        password_change_required,
    })
}

/// The `Set-Cookie` value of a session.
pub fn session_cookie(state: &AppState, token: &str) -> Result<HeaderValue, ApiError> {
    cookie(state, token, state.sessions.absolute_secs)
}

/// `POST /api/session`: sign in. The answer says what comes next:
/// `second_factor` (`POST /api/session/second-factor`), `enrol`
/// (`POST /api/me/second-factor`), or nothing.
pub async fn sign_in(
    State(state): State<AppState>,
    origin: Origin,
    Json(body): Json<SignIn>,
) -> Result<Response, ApiError> {
    match authenticate(&state, &origin, &body.username, &body.password).await? {
        SignInOutcome::Started {
            token,
            user_id,
            name,
            stage,
            password_change_required,
        } => {
            let next = match stage {
                Stage::SignedIn => None,
                s => Some(s.as_str()),
            };
            let mut response = (
                StatusCode::OK,
                Json(serde_json::json!({
                    "user_id": user_id, "name": name, "next": next,
                    "password_change_required": password_change_required,
                })),
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&state, &token)?);
            Ok(response)
        }
        SignInOutcome::Locked => Err(ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "too many failed sign-ins: sign-in is locked for a while".to_owned(),
        }),
        SignInOutcome::Refused => Err(ApiError::bad_credentials()),
    }
}

/// An event of a known user's session (second factor, sign-out, ...), in
/// the use log under the user's name.
pub async fn log_event(
    state: &AppState,
    caller: &Caller,
    action: &str,
    ok: bool,
    why: &str,
) -> Result<(), ApiError> {
    let name = staff::my_roles(&state.db, caller.user_id)
        .await
        .map_err(ApiError::from_store)?
        .map_or_else(String::new, |a| a.name);
    record_event(
        &state.db,
        caller.request_id,
        Some(caller.user_id),
        &name,
        action,
        ok,
        why,
        caller.source_address.as_deref(),
    )
    .await
    .map_err(ApiError::from_store)
}

/// Ends a session on the user's request, in the use log.
pub async fn end_by_user(state: &AppState, caller: &Caller, token: &str) -> Result<(), ApiError> {
    staff::end_session(&state.db, token, "signed out")
        .await
        .map_err(ApiError::from_store)?;
    log_event(state, caller, "sign_out", true, "signed out").await
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(state: &AppState) -> Result<HeaderValue, ApiError> {
    cookie(state, "", 0)
}

/// `DELETE /api/session`: sign out.
pub async fn sign_out(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    end_by_user(&state, &me.caller, &me.token).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(&state)?);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_the_dummy_matches_nothing_plausible() {
        let h = hash_password("pitkä ja hyvä salasana").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("pitkä ja hyvä salasana", &h));
        assert!(!verify_password("väärä", &h));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("", DUMMY_HASH));
    }
}

#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

fn password_error(field: &str, message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(serde_json::json!({ "errors": [{ "field": field, "message": message }] })),
    )
        .into_response()
}

/// Changes the signed-in user's own password. The inner error names the
/// field at fault and says why, in `lang`.
pub async fn change_own_password(
    state: &AppState,
    me: &SignedIn,
    current: &str,
    new: &str,
    lang: kirjo_domain::contact::Lang,
) -> Result<Result<(), (&'static str, String)>, ApiError> {
    use kirjo_domain::contact::Lang;
    let Some((username, hash)) = staff::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
    else {
        return Err(ApiError::unauthenticated());
    };
    let current = current.to_owned();
    let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = tokio::task::spawn_blocking(move || verify_password(&current, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        let m = match lang {
            Lang::Fi => "Nykyinen salasana on väärä.",
            Lang::Sv => "Det nuvarande lösenordet är fel.",
            Lang::En => "The current password is wrong.",
        };
        return Ok(Err(("current_password", m.to_owned())));
    }
    if let Err(w) = crate::passwords::check(new, &username) {
        return Ok(Err(("new_password", w.message(lang).to_owned())));
    }
    let new = new.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|_| ApiError::internal("hashing"))?
        .map_err(|_| ApiError::internal("hashing"))?;
    staff::set_password(&state.db, me.caller.user_id, &hash, false)
        .await
        .map_err(ApiError::from_store)?;
    let ended =
        staff::end_other_sessions(&state.db, me.caller.user_id, &me.token, "password changed")
            .await
            .map_err(ApiError::from_store)?;
    record_event(
        &state.db,
        me.caller.request_id,
        Some(me.caller.user_id),
        &username,
        "password_change",
        true,
        &format!("the user changed their password; {ended} other sessions ended"),
        me.caller.source_address.as_deref(),
    )
    .await
    .map_err(ApiError::from_store)?;
    Ok(Ok(()))
}

/// `POST /api/me/password`: the user changes their own password (also the
/// way out of an administrator's reset).
pub async fn change_password(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Query(q): axum::extract::Query<crate::api::LangQuery>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<PasswordChange>,
) -> Result<Response, ApiError> {
    let lang = crate::people::lang(q.lang.as_deref(), &headers);
    match change_own_password(
        &state,
        &me,
        &body.current_password,
        &body.new_password,
        lang,
    )
    .await?
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err((field, message)) => Ok(password_error(field, &message)),
    }
}

/// `POST /api/users/{id}/password-reset` (Action::ApproveRights): a new
/// temporary password, shown once; the user must change it at the next
/// sign-in, and their open sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, ApiError> {
    me.require_recent_auth(&state)?;
    let temporary =
        crate::passwords::temporary().ok_or_else(|| ApiError::internal("no randomness"))?;
    let t = temporary.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&t))
        .await
        .map_err(|_| ApiError::internal("hashing"))?
        .map_err(|_| ApiError::internal("hashing"))?;
    staff::reset_password(&state.db, &me.caller, &state.gate, id, &hash)
        .await
        .map_err(ApiError::from_gate)?;
    Ok(
        axum::Json(serde_json::json!({ "user_id": id, "temporary_password": temporary }))
            .into_response(),
    )
}

#[derive(Debug, Deserialize)]
pub struct Reauth {
    pub password: String,
}

/// Checks the password again in this session; logged, failure included.
pub async fn reauthenticate_with(
    state: &AppState,
    me: &SignedIn,
    password: &str,
) -> Result<bool, ApiError> {
    let Some((username, hash)) = staff::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
    else {
        return Err(ApiError::unauthenticated());
    };
    let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
    let src = me.caller.source_address.as_deref();
    // Guesses here count like failed sign-ins: past the limit the session
    // ends and the name is locked for a while.
    let limits = &state.sessions;
    let (account, source) =
        staff::recent_failures(&state.db, &username, src, limits.lockout_window_secs)
            .await
            .map_err(ApiError::from_store)?;
    if account >= limits.max_account_failures || source >= limits.max_source_failures {
        staff::end_session(&state.db, &me.token, "too many wrong passwords")
            .await
            .map_err(ApiError::from_store)?;
        record_event(
            &state.db,
            me.caller.request_id,
            Some(me.caller.user_id),
            &username,
            "reauthenticate",
            false,
            "denied: locked after repeated failures; the session ended",
            src,
        )
        .await
        .map_err(ApiError::from_store)?;
        return Err(ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "too many failed attempts: sign in again later".to_owned(),
        });
    }
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        staff::record_attempt(&state.db, &username, src, false)
            .await
            .map_err(ApiError::from_store)?;
        tokio::time::sleep(std::time::Duration::from_millis(limits.failure_delay_ms)).await;
    }
    record_event(
        &state.db,
        me.caller.request_id,
        Some(me.caller.user_id),
        &username,
        "reauthenticate",
        ok,
        if ok {
            "password given again"
        } else {
            "denied: wrong password"
        },
        me.caller.source_address.as_deref(),
    )
    .await
    .map_err(ApiError::from_store)?;
    if ok {
        staff::reauthenticated(&state.db, &me.token)
            .await
            .map_err(ApiError::from_store)?;
    }
    Ok(ok)
}

/// `POST /api/session/reauth`: give the password again before a sensitive
/// action. Logged, failure included.
pub async fn reauthenticate(
    State(state): State<AppState>,
    me: SignedIn,
    axum::Json(body): axum::Json<Reauth>,
) -> Result<Response, ApiError> {
    if reauthenticate_with(&state, &me, &body.password).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::bad_credentials())
    }
}
