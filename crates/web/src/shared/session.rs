use crate::shared::error::ApiError;
use crate::shared::state::AppState;
use crate::shared::state::RequestId;
use axum::extract::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use kirjo_store::gate::Caller;
use kirjo_store::staff;
use kirjo_store::staff::Stage;
use std::net::SocketAddr;

pub const COOKIE: &str = "kirjo_session";

pub(crate) fn new_token() -> Result<String, ApiError> {
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
    cookie_value(headers, COOKIE)
}

/// The value of cookie `name`, if it is there and not empty.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
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

/// The `Set-Cookie` value of a session.
pub fn session_cookie(state: &AppState, token: &str) -> Result<HeaderValue, ApiError> {
    cookie(state, token, state.sessions.absolute_secs)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(state: &AppState) -> Result<HeaderValue, ApiError> {
    cookie(state, "", 0)
}
