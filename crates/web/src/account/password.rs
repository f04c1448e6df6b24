use crate::account::session::hash_password;
use crate::account::session::verify_password;
use crate::account::session::DUMMY_HASH;
use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use axum::http::StatusCode;
use kirjo_store::gate::record_event;
use kirjo_store::staff;
use serde::Deserialize;

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
    let ok = state
        .hashing
        .run(move || verify_password(&current, &hash))
        .await?;
    if !ok {
        let m = match lang {
            Lang::Fi => "Nykyinen salasana on väärä.",
            Lang::Sv => "Det nuvarande lösenordet är fel.",
            Lang::En => "The current password is wrong.",
        };
        return Ok(Err(("current_password", m.to_owned())));
    }
    if let Err(w) = crate::account::passwords::check(new, &username) {
        return Ok(Err(("new_password", w.message(lang).to_owned())));
    }
    let new = new.to_owned();
    let hash = state
        .hashing
        .run(move || hash_password(&new))
        .await?
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

#[derive(Debug, Deserialize)]
pub struct Reauth {
    pub password: String,
    /// A second-factor code too: the step-up that deciding a decision
    /// needs from a user with a second factor.
    #[serde(default)]
    pub code: Option<String>,
    /// Or a security key's answer (`POST /api/session/webauthn/begin`
    /// gives the challenge).
    #[serde(default)]
    pub assertion: Option<crate::account::security_keys::AssertionResponse>,
}

/// Checks the password again in this session, and with `code` (or a
/// security key's `assertion`) the second factor too (a step-up); logged,
/// failure included.
pub async fn reauthenticate_with(
    state: &AppState,
    me: &SignedIn,
    password: &str,
    code: Option<&str>,
    assertion: Option<&crate::account::security_keys::AssertionResponse>,
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
    let ok = state
        .hashing
        .run(move || verify_password(&password, &hash))
        .await?;
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
    use crate::account::second_factor::Proof;
    let proof = match (assertion, code.map(str::trim).filter(|c| !c.is_empty())) {
        (Some(a), _) => Some(Proof::Key(a)),
        (None, Some(c)) => Some(Proof::Code(c)),
        (None, None) => None,
    };
    match proof {
        Some(proof) if ok => crate::account::second_factor::step_up(state, me, proof).await,
        _ => Ok(ok),
    }
}
