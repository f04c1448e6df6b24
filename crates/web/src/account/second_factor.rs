use crate::shared::error::ApiError;
use crate::shared::session::AnySession;
use crate::shared::state::AppState;
use axum::http::StatusCode;
use kirjo_store::second_factor;
use kirjo_store::staff;
use kirjo_store::staff::Stage;

/// How a second-factor code was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: the session is now signed in.
    Accepted,
    /// Wrong (or already used).
    Wrong,
    /// Wrong too many times: the session has ended.
    SessionEnded,
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn log(
    state: &AppState,
    s: &AnySession,
    action: &str,
    ok: bool,
    why: &str,
) -> Result<(), ApiError> {
    crate::account::session::log_event(state, &s.caller, action, ok, why).await
}

pub(crate) async fn username(state: &AppState, user_id: i64) -> Result<String, ApiError> {
    staff::credentials(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?
        .map(|(u, _)| u)
        .ok_or_else(ApiError::unauthenticated)
}

/// Whether the name or address is locked by recent failures (wrong
/// passwords and wrong codes alike). A locked attempt ends the session
/// before any code is tested, so that many sessions waiting at the second
/// factor give no more guesses than one.
async fn locked_out(state: &AppState, s: &AnySession, action: &str) -> Result<bool, ApiError> {
    let name = username(state, s.caller.user_id).await?;
    let limits = &state.sessions;
    let (account, source) = staff::recent_failures(
        &state.db,
        &name,
        s.caller.source_address.as_deref(),
        limits.lockout_window_secs,
    )
    .await
    .map_err(ApiError::from_store)?;
    if account < limits.max_account_failures && source < limits.max_source_failures {
        return Ok(false);
    }
    staff::end_session(&state.db, &s.token, "locked after repeated failures")
        .await
        .map_err(ApiError::from_store)?;
    log(
        state,
        s,
        action,
        false,
        "denied: locked after repeated failures (account name or source address); the session ended",
    )
    .await?;
    Ok(true)
}

/// The sign-in is complete: it counts as a success for the name (which
/// clears its failures).
async fn signed_in(state: &AppState, s: &AnySession) -> Result<(), ApiError> {
    let name = username(state, s.caller.user_id).await?;
    staff::record_attempt(&state.db, &name, s.caller.source_address.as_deref(), true)
        .await
        .map_err(ApiError::from_store)
}

/// A wrong code: counted for the session and, like a wrong password, for
/// the account name and address; too many end the session.
async fn wrong_code(state: &AppState, s: &AnySession, action: &str) -> Result<CodeCheck, ApiError> {
    refused(state, s, action, "denied: wrong or used code").await
}

/// A refused second factor (a wrong code, a security key's answer that
/// does not verify), logged with `why`: counted for the session and, like
/// a wrong password, for the account name and address; too many end the
/// session.
async fn refused(
    state: &AppState,
    s: &AnySession,
    action: &str,
    why: &str,
) -> Result<CodeCheck, ApiError> {
    let failures = staff::second_factor_failed(&state.db, &s.token)
        .await
        .map_err(ApiError::from_store)?;
    let name = username(state, s.caller.user_id).await?;
    staff::record_attempt(&state.db, &name, s.caller.source_address.as_deref(), false)
        .await
        .map_err(ApiError::from_store)?;
    if i64::from(failures) >= state.sessions.max_account_failures {
        staff::end_session(&state.db, &s.token, "too many wrong second-factor codes")
            .await
            .map_err(ApiError::from_store)?;
        log(
            state,
            s,
            action,
            false,
            &format!("{why}; too many failures, the session ended"),
        )
        .await?;
        return Ok(CodeCheck::SessionEnded);
    }
    log(state, s, action, false, why).await?;
    tokio::time::sleep(std::time::Duration::from_millis(
        state.sessions.failure_delay_ms,
    ))
    .await;
    Ok(CodeCheck::Wrong)
}

/// Takes a security key's or passkey's answer at the second-factor step,
/// instead of a code: refusals count like wrong codes.
pub async fn verify_key(
    state: &AppState,
    s: &AnySession,
    answer: &crate::account::security_keys::AssertionResponse,
) -> Result<CodeCheck, ApiError> {
    if s.session.stage != Stage::SecondFactor {
        return Err(ApiError::bad_request("no second factor is awaited"));
    }
    if locked_out(state, s, "second_factor").await? {
        return Ok(CodeCheck::SessionEnded);
    }
    let used = match crate::account::security_keys::check_assertion(
        state,
        &s.token,
        s.caller.user_id,
        answer,
    )
    .await?
    {
        Ok(used) => used,
        Err(refusal) => {
            if matches!(
                refusal,
                crate::account::webauthn::Refusal::CounterNotIncreased { .. }
            ) {
                tracing::warn!(
                    user_id = s.caller.user_id,
                    "a security key's signature counter went back: possible cloned key"
                );
            }
            return refused(
                state,
                s,
                "second_factor",
                &format!("denied: security key refused: {}", refusal.reason()),
            )
            .await;
        }
    };
    accepted(
        state,
        s,
        &format!("signed in with password and {}", used.describe()),
    )
    .await
}

/// The second factor was given: the session is signed in, the factor's
/// time kept for step-ups, and the sign-in logged with how (`how`).
async fn accepted(state: &AppState, s: &AnySession, how: &str) -> Result<CodeCheck, ApiError> {
    if !staff::set_stage(&state.db, &s.token, Stage::SignedIn)
        .await
        .map_err(ApiError::from_store)?
    {
        return Ok(CodeCheck::SessionEnded);
    }
    signed_in(state, s).await?;
    staff::second_factor_given(&state.db, &s.token)
        .await
        .map_err(ApiError::from_store)?;
    log(state, s, "second_factor", true, how).await?;
    Ok(CodeCheck::Accepted)
}

/// Takes a TOTP code (or a recovery code) at the second-factor step.
pub async fn verify(state: &AppState, s: &AnySession, code: &str) -> Result<CodeCheck, ApiError> {
    if s.session.stage != Stage::SecondFactor {
        return Err(ApiError::bad_request("no second factor is awaited"));
    }
    if locked_out(state, s, "second_factor").await? {
        return Ok(CodeCheck::SessionEnded);
    }
    let Some((secret, _)) = second_factor::secret(&state.db, s.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
    else {
        // A user with security keys only has no code to give.
        if crate::account::security_keys::has_keys(state, s.caller.user_id).await? {
            return wrong_code(state, s, "second_factor").await;
        }
        return Err(ApiError::bad_request("no second factor is enrolled"));
    };
    if let Some(step) = crate::account::totp::matching_step(&secret, code, unix_now()) {
        if second_factor::accept_step(&state.db, s.caller.user_id, step)
            .await
            .map_err(ApiError::from_store)?
        {
            return accepted(state, s, "signed in with password and TOTP code").await;
        }
    } else if looks_like_recovery_code(code)
        && second_factor::use_recovery_code(&state.db, s.caller.user_id, code)
            .await
            .map_err(ApiError::from_store)?
    {
        let left = second_factor::recovery_codes_left(&state.db, s.caller.user_id)
            .await
            .map_err(ApiError::from_store)?;
        return accepted(
            state,
            s,
            &format!("signed in with password and a recovery code; {left} codes left"),
        )
        .await;
    }
    wrong_code(state, s, "second_factor").await
}

/// Ten characters of Crockford's alphabet, with or without the dash: a
/// recovery code (which may, rarely, be all digits).
fn looks_like_recovery_code(code: &str) -> bool {
    code.chars().filter(char::is_ascii_alphanumeric).count() == 10
}

/// At the enrolment stage nobody may replace a second factor enrolled
/// meanwhile (say, by the user in another session): that needs the code.
async fn already_enrolled_at_enrol_stage(
    state: &AppState,
    s: &AnySession,
) -> Result<bool, ApiError> {
    if s.session.stage != Stage::Enrol {
        return Ok(false);
    }
    let enrolled = second_factor::secret(&state.db, s.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
        .is_some();
    if enrolled {
        staff::end_session(
            &state.db,
            &s.token,
            "a second factor was enrolled meanwhile",
        )
        .await
        .map_err(ApiError::from_store)?;
        log(
            state,
            s,
            "second_factor_enrolment",
            false,
            "denied: a second factor is already enrolled; the session ended",
        )
        .await?;
    }
    Ok(enrolled)
}

fn enrolled_meanwhile() -> ApiError {
    ApiError {
        status: StatusCode::CONFLICT,
        message: "a second factor is already enrolled: sign in again with its code".to_owned(),
    }
}

/// What the user needs to add Kirjo to an authenticator app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret_base32: String,
    pub uri: String,
    pub qr_svg: String,
}

/// Starts enrolment, or shows the one already begun unless `restart`.
/// Open at the enrolment stage, and to a signed-in user; replacing a
/// second factor already enrolled needs the password given recently.
pub async fn begin(state: &AppState, s: &AnySession, restart: bool) -> Result<Enrolment, ApiError> {
    if already_enrolled_at_enrol_stage(state, s).await? {
        return Err(enrolled_meanwhile());
    }
    match s.session.stage {
        Stage::Enrol => {}
        Stage::SignedIn => {
            let enrolled = second_factor::secret(&state.db, s.caller.user_id)
                .await
                .map_err(ApiError::from_store)?
                .is_some();
            if enrolled {
                s.clone().signed_in()?.require_recent_auth(state)?;
            }
        }
        Stage::SecondFactor => {
            return Err(s
                .clone()
                .signed_in()
                .err()
                .unwrap_or_else(ApiError::unauthenticated))
        }
    }
    let existing = if restart {
        None
    } else {
        second_factor::pending_secret(&state.db, s.caller.user_id)
            .await
            .map_err(ApiError::from_store)?
    };
    let secret = match existing {
        Some(secret) => secret,
        None => {
            let secret = crate::account::totp::new_secret()
                .ok_or_else(|| ApiError::internal("no randomness"))?;
            second_factor::begin_enrolment(&state.db, s.caller.user_id, &secret)
                .await
                .map_err(ApiError::from_store)?;
            log(
                state,
                s,
                "second_factor_enrolment",
                true,
                "enrolment begun: a new secret shown",
            )
            .await?;
            secret.to_vec()
        }
    };
    let account = username(state, s.caller.user_id).await?;
    let uri = crate::account::totp::otpauth_uri(&state.sessions.issuer, &account, &secret);
    let qr_svg = crate::account::totp::qr_svg(&uri).ok_or_else(|| ApiError::internal("qr code"))?;
    Ok(Enrolment {
        secret_base32: crate::account::totp::base32(&secret),
        uri,
        qr_svg,
    })
}

/// Confirms enrolment with a code from the new secret: the secret takes
/// effect, ten recovery codes are issued (shown once), and a session at the
/// enrolment stage is signed in. `Ok(None)`: the code was wrong.
pub async fn confirm(
    state: &AppState,
    s: &AnySession,
    code: &str,
) -> Result<Result<Vec<String>, CodeCheck>, ApiError> {
    if s.session.stage == Stage::SecondFactor {
        return Err(s
            .clone()
            .signed_in()
            .err()
            .unwrap_or_else(ApiError::unauthenticated));
    }
    if already_enrolled_at_enrol_stage(state, s).await? {
        return Err(enrolled_meanwhile());
    }
    if s.session.stage == Stage::SignedIn {
        // Replacing a second factor needs the password given recently.
        let enrolled = second_factor::secret(&state.db, s.caller.user_id)
            .await
            .map_err(ApiError::from_store)?
            .is_some();
        if enrolled {
            s.clone().signed_in()?.require_recent_auth(state)?;
        }
    }
    if locked_out(state, s, "second_factor_enrolment").await? {
        return Ok(Err(CodeCheck::SessionEnded));
    }
    let Some(secret) = second_factor::pending_secret(&state.db, s.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
    else {
        return Err(ApiError::bad_request("begin enrolment first"));
    };
    let Some(step) = crate::account::totp::matching_step(&secret, code, unix_now()) else {
        return Ok(Err(wrong_code(state, s, "second_factor_enrolment").await?));
    };
    let codes = crate::account::totp::new_recovery_codes()
        .ok_or_else(|| ApiError::internal("no randomness"))?;
    if !second_factor::confirm_enrolment(&state.db, s.caller.user_id, step, &codes)
        .await
        .map_err(ApiError::from_store)?
    {
        return Err(ApiError::bad_request("begin enrolment first"));
    }
    if s.session.stage == Stage::Enrol {
        if !staff::set_stage(&state.db, &s.token, Stage::SignedIn)
            .await
            .map_err(ApiError::from_store)?
        {
            return Ok(Err(CodeCheck::SessionEnded));
        }
        signed_in(state, s).await?;
    }
    staff::second_factor_given(&state.db, &s.token)
        .await
        .map_err(ApiError::from_store)?;
    // Any other session of the user (perhaps someone else's, with the
    // password) ends with the old factor.
    let ended = staff::end_other_sessions(
        &state.db,
        s.caller.user_id,
        &s.token,
        "a new second factor was enrolled",
    )
    .await
    .map_err(ApiError::from_store)?;
    log(
        state,
        s,
        "second_factor_enrolment",
        true,
        &format!("second factor enrolled; 10 recovery codes issued; {ended} other sessions ended"),
    )
    .await?;
    Ok(Ok(codes))
}

/// What a step-up gives: a code, or a security key's answer.
#[derive(Debug, Clone, Copy)]
pub enum Proof<'a> {
    Code(&'a str),
    Key(&'a crate::account::security_keys::AssertionResponse),
}

/// A step-up in a signed-in session: the second factor given again (after
/// the password, at `POST /api/session/reauth` or `/reauth`), as deciding
/// a decision needs: a code (good once) or a security key. A refusal counts
/// as a failure for the session and the account, as at sign-in, and too
/// many end the session. Logged, failure included.
pub async fn step_up(
    state: &AppState,
    me: &crate::shared::session::SignedIn,
    proof: Proof<'_>,
) -> Result<bool, ApiError> {
    let log = |ok: bool, why: String| async move {
        crate::account::session::log_event(state, &me.caller, "second_factor_step_up", ok, &why)
            .await
    };
    let outcome: Result<String, String> = match proof {
        Proof::Code(code) => {
            let Some((secret, _)) = second_factor::secret(&state.db, me.caller.user_id)
                .await
                .map_err(ApiError::from_store)?
            else {
                log(false, "denied: no second factor is enrolled".to_owned()).await?;
                return Ok(false);
            };
            let accepted = match crate::account::totp::matching_step(&secret, code, unix_now()) {
                Some(step) => second_factor::accept_step(&state.db, me.caller.user_id, step)
                    .await
                    .map_err(ApiError::from_store)?,
                None => false,
            };
            if accepted {
                Ok("second-factor code given again (step-up)".to_owned())
            } else {
                Err("denied: wrong or used code".to_owned())
            }
        }
        Proof::Key(answer) => {
            match crate::account::security_keys::check_assertion(
                state,
                &me.token,
                me.caller.user_id,
                answer,
            )
            .await?
            {
                Ok(used) => Ok(format!("{} given (step-up)", used.describe())),
                Err(refusal) => {
                    if matches!(
                        refusal,
                        crate::account::webauthn::Refusal::CounterNotIncreased { .. }
                    ) {
                        tracing::warn!(
                            user_id = me.caller.user_id,
                            "a security key's signature counter went back: possible cloned key"
                        );
                    }
                    Err(format!(
                        "denied: security key refused: {}",
                        refusal.reason()
                    ))
                }
            }
        }
    };
    let why = match outcome {
        Ok(why) => {
            staff::second_factor_given(&state.db, &me.token)
                .await
                .map_err(ApiError::from_store)?;
            log(true, why).await?;
            return Ok(true);
        }
        Err(why) => why,
    };
    let failures = staff::second_factor_failed(&state.db, &me.token)
        .await
        .map_err(ApiError::from_store)?;
    let name = username(state, me.caller.user_id).await?;
    staff::record_attempt(&state.db, &name, me.caller.source_address.as_deref(), false)
        .await
        .map_err(ApiError::from_store)?;
    if i64::from(failures) >= state.sessions.max_account_failures {
        staff::end_session(&state.db, &me.token, "too many wrong second-factor codes")
            .await
            .map_err(ApiError::from_store)?;
        log(
            false,
            format!("{why}; too many failures, the session ended"),
        )
        .await?;
        return Err(ApiError::unauthenticated());
    }
    log(false, why).await?;
    tokio::time::sleep(std::time::Duration::from_millis(
        state.sessions.failure_delay_ms,
    ))
    .await;
    Ok(false)
}

/// Whether the user's step-up is fresh for deciding a decision: with a
/// second factor, a code given in this session within the
/// re-authentication window; without one, the password.
pub async fn stepped_up(
    state: &AppState,
    me: &crate::shared::session::SignedIn,
) -> Result<bool, ApiError> {
    let enrolled = second_factor::secret(&state.db, me.caller.user_id)
        .await
        .map_err(ApiError::from_store)?
        .is_some()
        || crate::account::security_keys::has_keys(state, me.caller.user_id).await?;
    let window = state.sessions.reauth_secs as f64;
    if enrolled {
        Ok(staff::second_factor_age(&state.db, &me.token)
            .await
            .map_err(ApiError::from_store)?
            .is_some_and(|age| age <= window))
    } else {
        Ok(me.auth_age_secs <= window)
    }
}
