use crate::account::password::change_own_password;
use crate::account::password::reauthenticate_with;
use crate::account::password::Reauth;
use crate::account::second_factor::begin;
use crate::account::second_factor::confirm;
use crate::account::second_factor::verify;
use crate::account::second_factor::CodeCheck;
use crate::account::session::authenticate;
use crate::account::session::end_by_user;
use crate::account::session::SignIn;
use crate::account::session::SignInOutcome;
use crate::shared::error::ApiError;
use crate::shared::session::cleared_cookie;
use crate::shared::session::session_cookie;
use crate::shared::session::AnySession;
use crate::shared::session::Origin;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use kirjo_store::staff;
use kirjo_store::staff::Stage;
use serde::Deserialize;

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

/// `DELETE /api/session`: sign out.
pub async fn sign_out(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    end_by_user(&state, &me.caller, &me.token).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(&state)?);
    Ok(response)
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

/// `POST /api/me/password`: the user changes their own password (also the
/// way out of an administrator's reset).
pub async fn change_password(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Query(q): axum::extract::Query<crate::shared::fields::LangQuery>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<PasswordChange>,
) -> Result<Response, ApiError> {
    let lang = crate::shared::fields::lang(q.lang.as_deref(), &headers);
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

/// `POST /api/session/reauth`: give the password again before a sensitive
/// action. Logged, failure included.
pub async fn reauthenticate(
    State(state): State<AppState>,
    me: SignedIn,
    axum::Json(body): axum::Json<Reauth>,
) -> Result<Response, ApiError> {
    if reauthenticate_with(
        &state,
        &me,
        &body.password,
        body.code.as_deref(),
        body.assertion.as_ref(),
    )
    .await?
    {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::bad_credentials())
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeBody {
    pub code: String,
}

fn check_answer(check: CodeCheck) -> Result<Response, ApiError> {
    match check {
        CodeCheck::Accepted => Ok(StatusCode::NO_CONTENT.into_response()),
        CodeCheck::Wrong => Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "wrong or used code".to_owned(),
        }),
        CodeCheck::SessionEnded => Err(ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: "too many wrong codes: sign in again".to_owned(),
        }),
    }
}

/// `POST /api/session/second-factor`: the TOTP or recovery code after the
/// password.
pub async fn api_verify(
    State(state): State<AppState>,
    s: AnySession,
    _origin: Origin,
    Json(body): Json<CodeBody>,
) -> Result<Response, ApiError> {
    check_answer(verify(&state, &s, &body.code).await?)
}

/// `POST /api/me/second-factor`: begin enrolment with a new secret.
pub async fn api_begin(State(state): State<AppState>, s: AnySession) -> Result<Response, ApiError> {
    let e = begin(&state, &s, true).await?;
    Ok(
        Json(serde_json::json!({ "secret": e.secret_base32, "otpauth_uri": e.uri }))
            .into_response(),
    )
}

/// `POST /api/me/second-factor/confirm`: confirm enrolment with a code;
/// answers the recovery codes, once.
pub async fn api_confirm(
    State(state): State<AppState>,
    s: AnySession,
    Json(body): Json<CodeBody>,
) -> Result<Response, ApiError> {
    match confirm(&state, &s, &body.code).await? {
        Ok(codes) => Ok(Json(serde_json::json!({ "recovery_codes": codes })).into_response()),
        Err(check) => check_answer(check),
    }
}

/// `GET /api/me`: who I am, my roles in force, and whether I must accept
/// the user commitment first.
pub async fn me(State(state): State<AppState>, me: SignedIn) -> Result<Response, ApiError> {
    let actor = staff::my_roles(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
        .ok_or_else(ApiError::unauthenticated)?;
    let commitment = staff::current_commitment(&state.db)
        .await
        .map_err(ApiError::from_store)?;
    let roles: Vec<_> = actor
        .roles
        .iter()
        .map(|r| {
            serde_json::json!({
                "grant_id": r.grant_id, "role": r.role, "unit": r.unit, "service_area": r.service_area
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "user_id": actor.user_id,
        "name": actor.name,
        "roles": roles,
        "provider": actor.provider,
        "commitment_accepted": actor.commitment_accepted,
        "password_change_required": actor.password_change_required,
        "commitment": commitment.map(|(v, fi, sv, en)| serde_json::json!({"version": v, "fi": fi, "sv": sv, "en": en})),
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct Accept {
    pub version: i32,
}

/// `POST /api/me/commitment`: accept the current user commitment.
pub async fn accept_commitment(
    State(state): State<AppState>,
    me: SignedIn,
    Json(body): Json<Accept>,
) -> Result<Response, ApiError> {
    let ok = staff::accept_commitment(&state.db, me.caller.user_id, body.version)
        .await
        .map_err(ApiError::from_store)?;
    if ok {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::bad_request(format!(
            "version {} is not the current user commitment",
            body.version
        )))
    }
}

// ------------------------------------------------- security keys (WebAuthn)

/// `POST /api/session/webauthn/begin`: a challenge and the options for
/// `navigator.credentials.get`, at the second-factor step or for a step-up.
pub async fn webauthn_begin(
    State(state): State<AppState>,
    s: AnySession,
) -> Result<Response, ApiError> {
    if s.session.stage == Stage::Enrol {
        return Err(s
            .clone()
            .signed_in()
            .err()
            .unwrap_or_else(ApiError::unauthenticated));
    }
    let options =
        crate::account::security_keys::assertion_options(&state, &s.token, s.caller.user_id)
            .await?;
    Ok(Json(options).into_response())
}

/// `POST /api/session/webauthn/finish`: a security key's answer instead of
/// the code after the password.
pub async fn webauthn_finish(
    State(state): State<AppState>,
    s: AnySession,
    _origin: Origin,
    Json(body): Json<crate::account::security_keys::AssertionResponse>,
) -> Result<Response, ApiError> {
    check_answer(crate::account::second_factor::verify_key(&state, &s, &body).await?)
}

/// `GET /api/me/webauthn/credentials`: the user's security keys.
pub async fn webauthn_credentials(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Response, ApiError> {
    let keys = kirjo_store::webauthn::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?;
    let list: Vec<_> = keys
        .iter()
        .map(|k| {
            serde_json::json!({
                "id": k.id, "name": k.name, "algorithm": k.algorithm,
                "user_verified": k.user_verified, "created_at": k.created_at,
                "last_used_at": k.last_used_at,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "credentials": list })).into_response())
}

/// `POST /api/me/webauthn/register/begin`: a challenge and the options for
/// `navigator.credentials.create`.
pub async fn webauthn_register_begin(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Response, ApiError> {
    let options = crate::account::security_keys::registration_options(&state, &me).await?;
    Ok(Json(options).into_response())
}

/// `POST /api/me/webauthn/register/finish`: the authenticator's answer and
/// the key's name; 201 with its id.
pub async fn webauthn_register_finish(
    State(state): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Json(body): Json<crate::account::security_keys::RegistrationResponse>,
) -> Result<Response, ApiError> {
    use crate::account::security_keys::NotRegistered;
    match crate::account::security_keys::register(&state, &me, &body).await? {
        Ok(id) => Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()),
        Err(NotRegistered::BadName) => {
            let lang = crate::shared::fields::lang(None, &headers);
            let tr = crate::shared::i18n::Tr::new(lang);
            Ok(password_error("name", &tr.t("keys-name-invalid")))
        }
        Err(NotRegistered::Refused(r)) => Err(ApiError::bad_request(format!(
            "the authenticator's answer was refused: {}",
            r.reason()
        ))),
        Err(NotRegistered::Duplicate) => Err(ApiError::conflict(
            "this security key is registered already",
        )),
    }
}

/// `DELETE /api/me/webauthn/credentials/{id}`: remove a security key.
pub async fn webauthn_remove(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, ApiError> {
    crate::account::security_keys::remove(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
