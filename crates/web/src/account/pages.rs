use crate::account::second_factor::CodeCheck;
use crate::account::session::SignInOutcome;
use crate::shared::error::ApiError;
use crate::shared::page::local_path;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::page::LANG_COOKIE;
use crate::shared::session::Origin;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Form;
use kirjo_access::Actor;
use kirjo_domain::contact::Lang;
use kirjo_store::second_factor;
use kirjo_store::staff;
use kirjo_store::staff::Stage;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/sign_in.html")]
pub struct SignInPage {
    pub shell: Shell,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "account/second_factor.html")]
pub struct SecondFactorPage {
    pub shell: Shell,
    pub error: Option<String>,
    /// The user has a security key: it may be used instead of the code.
    pub keys: bool,
}

#[derive(Template)]
#[template(path = "account/enrol.html")]
pub struct EnrolPage {
    pub shell: Shell,
    pub required: bool,
    pub qr_svg: String,
    pub secret: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub shell: Shell,
    pub codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    pub shell: Shell,
    pub forced: bool,
    pub current_error: Option<String>,
    pub new_error: Option<String>,
    pub repeat_error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/reauth.html")]
pub struct ReauthPage {
    pub shell: Shell,
    pub back: String,
    pub error: Option<String>,
    /// The user has a second factor: its code may be given too (a step-up,
    /// which deciding a decision needs).
    pub needs_code: bool,
    /// The user has a security key: it may be used instead of the code.
    pub keys: bool,
}

async fn has_second_factor(state: &AppState, user: i64) -> bool {
    kirjo_store::second_factor::secret(&state.db, user)
        .await
        .ok()
        .flatten()
        .is_some()
}

/// Whether the pages offer the user a security key: keys are in use and
/// the user has one.
pub(crate) async fn offers_keys(state: &AppState, user: i64) -> bool {
    state.sessions.relying_party.is_some()
        && kirjo_store::webauthn::has_credentials(&state.db, user)
            .await
            .unwrap_or(false)
}

/// A security key's answer as a form carries it (JSON); one that cannot be
/// read is refused by the verifier like any malformed answer.
pub(crate) fn assertion_field(
    text: Option<&str>,
) -> Option<crate::account::security_keys::AssertionResponse> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    Some(serde_json::from_str(text).unwrap_or_default())
}

#[derive(Template)]
#[template(path = "account/account.html")]
pub struct AccountPage {
    pub shell: Shell,
    pub username: String,
    pub second_factor: bool,
    pub recovery_left: i64,
    /// Security keys registered, and whether they are in use at all.
    pub keys: i64,
    pub keys_on: bool,
}

/// A registered key as the page lists it.
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub added: String,
    pub last_used: String,
    pub remove_label: String,
}

#[derive(Template)]
#[template(path = "account/keys.html")]
pub struct KeysPage {
    pub shell: Shell,
    pub keys: Vec<KeyRow>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

// ---------------------------------------------------------------- handlers

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
    pub ended: Option<String>,
}

/// `GET /sign-in`.
pub async fn sign_in_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    let notice = match q.ended.as_deref() {
        Some("signed-out") => Some(ctx.tr.t("signed-out")),
        Some("expired") => Some(ctx.tr.t("session-ended")),
        _ => None,
    };
    ctx.render(
        StatusCode::OK,
        &SignInPage {
            shell: ctx.shell(ctx.tr.t("sign-in-title"), None),
            username: String::new(),
            next: local_path(q.next.as_deref()),
            error: None,
            notice,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    pub username: String,
    pub password: String,
    pub next: Option<String>,
}

/// `POST /sign-in`.
pub async fn sign_in_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    Form(f): Form<SignInForm>,
) -> PageResult {
    let next = local_path(f.next.as_deref());
    let again = |status, error: String| {
        ctx.render(
            status,
            &SignInPage {
                shell: ctx.shell(ctx.tr.t("sign-in-title"), None),
                username: f.username.clone(),
                next: next.clone(),
                error: Some(error),
                notice: None,
            },
        )
    };
    if f.username.trim().is_empty() || f.password.is_empty() {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("sign-in-missing"),
        ));
    }
    let outcome = crate::account::session::authenticate(&state, &origin, &f.username, &f.password)
        .await
        .map_err(|e| ctx.api_error(e, None))?;
    match outcome {
        SignInOutcome::Started { token, stage, .. } => {
            let to = match stage {
                Stage::SecondFactor => "/sign-in/second-factor".to_owned(),
                Stage::Enrol => "/account/second-factor".to_owned(),
                Stage::SignedIn => next,
            };
            let mut r = see_other(&to);
            r.headers_mut().append(
                header::SET_COOKIE,
                crate::shared::session::session_cookie(&state, &token)
                    .map_err(IntoResponse::into_response)?,
            );
            Ok(r)
        }
        SignInOutcome::Locked => Ok(again(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr.t("sign-in-locked"),
        )),
        SignInOutcome::Refused => Ok(again(StatusCode::UNAUTHORIZED, ctx.tr.t("sign-in-wrong"))),
    }
}

/// `GET /sign-in/second-factor`.
pub async fn second_factor_page(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    match &ctx.session {
        Some(s) if s.session.stage == Stage::SecondFactor => Ok(ctx.render(
            StatusCode::OK,
            &SecondFactorPage {
                shell: ctx.shell(ctx.tr.t("second-factor-title"), None),
                error: None,
                keys: offers_keys(&state, s.caller.user_id).await,
            },
        )),
        Some(_) => Ok(see_other("/")),
        None => Ok(see_other("/sign-in")),
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    pub code: String,
}

/// The second-factor step's form: a code, or a security key's answer.
#[derive(Debug, Deserialize)]
pub struct FactorForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub assertion: Option<String>,
}

/// `POST /sign-in/second-factor`.
pub async fn second_factor_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<FactorForm>,
) -> PageResult {
    let Some(s) = ctx.session.clone() else {
        return Ok(see_other("/sign-in"));
    };
    if s.session.stage != Stage::SecondFactor {
        return Ok(see_other("/"));
    }
    let key = assertion_field(f.assertion.as_deref());
    let check = match &key {
        Some(answer) => crate::account::second_factor::verify_key(&state, &s, answer).await,
        None => crate::account::second_factor::verify(&state, &s, &f.code).await,
    }
    .map_err(|e| ctx.api_error(e, None))?;
    match check {
        CodeCheck::Accepted => Ok(see_other("/")),
        CodeCheck::Wrong => Ok(ctx.render(
            StatusCode::UNAUTHORIZED,
            &SecondFactorPage {
                shell: ctx.shell(ctx.tr.t("second-factor-title"), None),
                error: Some(ctx.tr.t(if key.is_some() {
                    "keys-refused"
                } else {
                    "code-wrong"
                })),
                keys: offers_keys(&state, s.caller.user_id).await,
            },
        )),
        CodeCheck::SessionEnded => Ok(ctx.error(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr.t("code-too-many"),
            None,
        )),
    }
}

fn enrol_page(
    ctx: &Ctx,
    e: &crate::account::second_factor::Enrolment,
    required: bool,
    error: Option<String>,
) -> Response {
    // The QR code is Kirjo's own SVG, without the XML declaration.
    let svg = e
        .qr_svg
        .find("<svg")
        .map_or_else(String::new, |i| e.qr_svg[i..].to_owned());
    let svg = svg.replacen(
        "<svg",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\"",
            ctx.tr.t("enrol-qr-label")
        ),
        1,
    );
    let grouped: Vec<String> = e
        .secret_base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    ctx.render(
        if error.is_some() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        },
        &EnrolPage {
            shell: ctx.shell(ctx.tr.t("enrol-title"), None),
            required,
            qr_svg: svg,
            secret: grouped.join(" "),
            error,
        },
    )
}

/// `GET /account/second-factor`: enrol an authenticator app.
pub async fn enrol_get(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let Some(s) = ctx.session.clone() else {
        return Err(ctx.sign_in_redirect());
    };
    if s.session.stage == Stage::SecondFactor {
        return Ok(see_other("/sign-in/second-factor"));
    }
    let e = match crate::account::second_factor::begin(&state, &s, false).await {
        Ok(e) => e,
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            return Ok(see_other("/reauth?back=/account/second-factor"))
        }
        Err(e) => return Err(ctx.api_error(e, None)),
    };
    Ok(enrol_page(&ctx, &e, s.session.stage == Stage::Enrol, None))
}

/// `POST /account/second-factor`: confirm with a code; shows the recovery
/// codes once.
pub async fn enrol_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CodeForm>,
) -> PageResult {
    let Some(s) = ctx.session.clone() else {
        return Err(ctx.sign_in_redirect());
    };
    match crate::account::second_factor::confirm(&state, &s, &f.code)
        .await
        .map_err(|e| ctx.api_error(e, None))?
    {
        Ok(codes) => Ok(ctx.render(
            StatusCode::OK,
            &RecoveryCodesPage {
                shell: ctx.shell(ctx.tr.t("recovery-title"), None),
                codes,
            },
        )),
        Err(CodeCheck::SessionEnded) => Ok(ctx.error(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr.t("code-too-many"),
            None,
        )),
        Err(_) => {
            let e = crate::account::second_factor::begin(&state, &s, false)
                .await
                .map_err(|e| ctx.api_error(e, None))?;
            Ok(enrol_page(
                &ctx,
                &e,
                s.session.stage == Stage::Enrol,
                Some(ctx.tr.t("code-wrong")),
            ))
        }
    }
}

/// `POST /sign-out`.
pub async fn sign_out(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    if let Some(s) = &ctx.session {
        crate::account::session::end_by_user(&state, &s.caller, &s.token)
            .await
            .map_err(|e| ctx.api_error(e, None))?;
    }
    let mut r = see_other("/sign-in?ended=signed-out");
    r.headers_mut().append(
        header::SET_COOKIE,
        crate::shared::session::cleared_cookie(&state).map_err(|e| ctx.api_error(e, None))?,
    );
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    pub lang: String,
    pub back: Option<String>,
}

/// `POST /language`: switch the pages' language; remembered for the user,
/// and in a cookie before sign-in.
pub async fn set_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LanguageForm>,
) -> PageResult {
    let Some(lang) = Lang::parse(&f.lang) else {
        return Err(ctx.error(StatusCode::BAD_REQUEST, ctx.tr.t("error-title"), None));
    };
    if let Some(s) = &ctx.session {
        second_factor::set_language(&state.db, s.caller.user_id, lang.as_str())
            .await
            .map_err(|e| ctx.api_error(ApiError::from_store(e), None))?;
    }
    let mut r = see_other(&local_path(f.back.as_deref()));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000{}",
        lang.as_str(),
        ctx.secure_flag()
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct CommitmentForm {
    pub version: i32,
}

/// `POST /commitment`: accept the user commitment (käyttäjäsitoumus).
pub async fn accept_commitment(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CommitmentForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let ok = staff::accept_commitment(&state.db, me.caller.user_id, f.version)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    if !ok {
        return Err(ctx.error(
            StatusCode::CONFLICT,
            ctx.tr.t("commitment-changed"),
            Some(&actor),
        ));
    }
    Ok(see_other("/"))
}

/// `GET /account`.
pub async fn account(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let fail = |e| ctx.api_error(ApiError::from_store(e), Some(&actor));
    let username = staff::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(fail)?
        .map(|(u, _)| u)
        .unwrap_or_default();
    let second = second_factor::secret(&state.db, me.caller.user_id)
        .await
        .map_err(fail)?
        .is_some();
    let left = second_factor::recovery_codes_left(&state.db, me.caller.user_id)
        .await
        .map_err(fail)?;
    let keys = kirjo_store::webauthn::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(fail)?
        .len();
    Ok(ctx.render(
        StatusCode::OK,
        &AccountPage {
            shell: ctx.shell(ctx.tr.t("account-title"), Some(&actor)),
            username,
            second_factor: second,
            recovery_left: left,
            keys: i64::try_from(keys).unwrap_or(i64::MAX),
            keys_on: state.sessions.relying_party.is_some(),
        },
    ))
}

fn password_page(
    ctx: &Ctx,
    actor: &Actor,
    status: StatusCode,
    errors: [Option<String>; 3],
) -> Response {
    let [current_error, new_error, repeat_error] = errors;
    ctx.render(
        status,
        &PasswordPage {
            shell: ctx.shell(ctx.tr.t("password-title"), Some(actor)),
            forced: actor.password_change_required,
            current_error,
            new_error,
            repeat_error,
        },
    )
}

/// `GET /account/password`.
pub async fn password_get(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, actor) = ctx.user(&state).await?;
    Ok(password_page(
        &ctx,
        &actor,
        StatusCode::OK,
        [None, None, None],
    ))
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub repeat_password: String,
}

/// `POST /account/password`.
pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    if f.new_password != f.repeat_password {
        let e = Some(ctx.tr.t("password-mismatch"));
        return Ok(password_page(&ctx, &actor, invalid, [None, None, e]));
    }
    match crate::account::password::change_own_password(
        &state,
        &me,
        &f.current_password,
        &f.new_password,
        ctx.tr.lang,
    )
    .await
    .map_err(|e| ctx.api_error(e, Some(&actor)))?
    {
        Ok(()) => Ok(see_other("/account?changed=1")),
        Err((field, message)) => {
            let mut errors = [None, None, None];
            errors[usize::from(field == "new_password")] = Some(message);
            Ok(password_page(&ctx, &actor, invalid, errors))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct BackQuery {
    pub back: Option<String>,
}

/// `GET /reauth`: give the password again before a sensitive action.
pub async fn reauth_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<BackQuery>,
) -> PageResult {
    let (_, actor) = ctx.user(&state).await?;
    Ok(ctx.render(
        StatusCode::OK,
        &ReauthPage {
            shell: ctx.shell(ctx.tr.t("reauth-title"), Some(&actor)),
            back: local_path(q.back.as_deref()),
            error: None,
            needs_code: has_second_factor(&state, actor.user_id).await,
            keys: offers_keys(&state, actor.user_id).await,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReauthForm {
    pub password: String,
    pub back: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    /// A security key's answer instead of the code.
    #[serde(default)]
    pub assertion: Option<String>,
}

/// `POST /reauth`.
pub async fn reauth_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ReauthForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let back = local_path(f.back.as_deref());
    let key = assertion_field(f.assertion.as_deref());
    if crate::account::password::reauthenticate_with(
        &state,
        &me,
        &f.password,
        f.code.as_deref(),
        key.as_ref(),
    )
    .await
    .map_err(|e| ctx.api_error(e, Some(&actor)))?
    {
        Ok(see_other(&back))
    } else {
        Ok(ctx.render(
            StatusCode::UNAUTHORIZED,
            &ReauthPage {
                shell: ctx.shell(ctx.tr.t("reauth-title"), Some(&actor)),
                back,
                error: Some(ctx.tr.t("reauth-wrong")),
                needs_code: has_second_factor(&state, actor.user_id).await,
                keys: offers_keys(&state, actor.user_id).await,
            },
        ))
    }
}

fn key_rows(ctx: &Ctx, keys: &[kirjo_store::webauthn::Credential]) -> Vec<KeyRow> {
    let day = crate::shared::page::helsinki_time;
    keys.iter()
        .map(|k| KeyRow {
            id: k.id,
            name: k.name.clone(),
            added: day(k.created_at),
            last_used: k.last_used_at.map_or_else(|| ctx.tr.t("keys-never"), day),
            remove_label: format!("{}: {}", ctx.tr.t("keys-remove"), k.name),
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct KeysQuery {
    pub added: Option<String>,
    pub removed: Option<String>,
}

/// `GET /account/security-keys`: the user's security keys and passkeys,
/// and adding one. Needs the password (and the second factor) given
/// recently, as the other changes of one's own sign-in.
pub async fn keys_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<KeysQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    if state.sessions.relying_party.is_none() {
        return Err(ctx.error(StatusCode::NOT_FOUND, ctx.tr.t("keys-off"), Some(&actor)));
    }
    match crate::account::security_keys::require_fresh(&state, &me).await {
        Ok(()) => {}
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            return Ok(see_other("/reauth?back=/account/security-keys"))
        }
        Err(e) => return Err(ctx.api_error(e, Some(&actor))),
    }
    let keys = kirjo_store::webauthn::credentials(&state.db, me.caller.user_id)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let notice = if q.added.is_some() {
        Some(ctx.tr.t("keys-added-notice"))
    } else if q.removed.is_some() {
        Some(ctx.tr.t("keys-removed-notice"))
    } else {
        None
    };
    Ok(ctx.render(
        StatusCode::OK,
        &KeysPage {
            shell: ctx.shell(ctx.tr.t("keys-title"), Some(&actor)),
            keys: key_rows(&ctx, &keys),
            notice,
            error: None,
        },
    ))
}

/// `POST /account/security-keys/{id}/remove`.
pub async fn keys_remove(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let id = crate::shared::page::page_id(&ctx, &id)?;
    match crate::account::security_keys::remove(&state, &me, id).await {
        Ok(()) => Ok(see_other("/account/security-keys?removed=1")),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            Ok(see_other("/reauth?back=/account/security-keys"))
        }
        Err(e) if e.status == StatusCode::CONFLICT => {
            let keys = kirjo_store::webauthn::credentials(&state.db, me.caller.user_id)
                .await
                .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
            Ok(ctx.render(
                StatusCode::CONFLICT,
                &KeysPage {
                    shell: ctx.shell(ctx.tr.t("keys-title"), Some(&actor)),
                    keys: key_rows(&ctx, &keys),
                    notice: None,
                    error: Some(ctx.tr.t("keys-last")),
                },
            ))
        }
        Err(e) => Err(ctx.api_error(e, Some(&actor))),
    }
}
