//! Security keys and passkeys (WebAuthn) as a second factor beside TOTP:
//! the ceremonies. Kirjo issues a random challenge bound to the session
//! (kept in the database, good once, for five minutes); the browser has the
//! authenticator sign it; `account::webauthn` verifies the answer.
//!
//! - Registration: a signed-in user who gave the password (and the
//!   existing second factor, if any) within the re-authentication window.
//! - Assertion: at the second-factor step of a sign-in (also when a form is
//!   resumed), and as the step-up with the password (`/reauth`).

use crate::account::webauthn;
use crate::account::webauthn::b64;
use crate::account::webauthn::unb64;
use crate::account::webauthn::Asserted;
use crate::account::webauthn::Kind;
use crate::account::webauthn::Refusal;
use crate::account::webauthn::RelyingParty;
use crate::shared::error::ApiError;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use axum::http::StatusCode;
use kirjo_store::staff;
use kirjo_store::webauthn as store;
use kirjo_store::webauthn::Ceremony;
use kirjo_store::webauthn::Credential;
use serde::Deserialize;

/// How long a challenge is good for, in seconds.
pub const CHALLENGE_SECS: i64 = 300;

/// How long the browser waits for the authenticator, in milliseconds.
const TIMEOUT_MS: u64 = 120_000;

/// The longest name of a credential, in characters.
pub const NAME_MAX: usize = 60;

/// The answer of `navigator.credentials.get`, its binary fields in
/// base64url.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssertionResponse {
    /// The credential id.
    pub id: String,
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
    #[serde(default)]
    pub user_handle: Option<String>,
}

/// The answer of `navigator.credentials.create`, with the name the user
/// gave the credential.
#[derive(Debug, Clone, Deserialize)]
pub struct RegistrationResponse {
    pub name: String,
    /// The credential id.
    pub id: String,
    pub client_data_json: String,
    pub attestation_object: String,
}

/// The relying party in force, or 404 when security keys are off.
pub fn relying_party(state: &AppState) -> Result<&RelyingParty, ApiError> {
    state
        .sessions
        .relying_party
        .as_ref()
        .ok_or_else(|| ApiError {
            status: StatusCode::NOT_FOUND,
            message: "security keys are not in use: server.public_url is not set".to_owned(),
        })
}

fn new_challenge() -> Result<[u8; 32], ApiError> {
    let mut c = [0u8; 32];
    getrandom::getrandom(&mut c).map_err(|_| ApiError::internal("no randomness"))?;
    Ok(c)
}

/// Whether the user has registered a security key or passkey.
pub async fn has_keys(state: &AppState, user_id: i64) -> Result<bool, ApiError> {
    store::has_credentials(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)
}

/// The options for `navigator.credentials.get`
/// (`PublicKeyCredentialRequestOptions`, binary fields in base64url), with
/// a new challenge for the session.
pub async fn assertion_options(
    state: &AppState,
    token: &str,
    user_id: i64,
) -> Result<serde_json::Value, ApiError> {
    let rp = relying_party(state)?;
    let keys = store::credentials(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?;
    if keys.is_empty() {
        return Err(ApiError::bad_request("no security key is registered"));
    }
    let challenge = new_challenge()?;
    store::issue_challenge(&state.db, token, Ceremony::Get, &challenge, CHALLENGE_SECS)
        .await
        .map_err(ApiError::from_store)?;
    let allow: Vec<_> = keys
        .iter()
        .map(|k| serde_json::json!({ "type": "public-key", "id": b64(&k.credential_id) }))
        .collect();
    Ok(serde_json::json!({
        "challenge": b64(&challenge),
        "rpId": rp.id,
        "timeout": TIMEOUT_MS,
        "userVerification": "preferred",
        "allowCredentials": allow,
    }))
}

/// A verified assertion: the credential used, and what it said.
#[derive(Debug, Clone)]
pub struct Used {
    pub credential: Credential,
    pub asserted: Asserted,
}

impl Used {
    /// For the use log: which credential, and whether the user was verified.
    pub fn describe(&self) -> String {
        format!(
            "security key #{} (user verified: {})",
            self.credential.id,
            if self.asserted.user_verified {
                "yes"
            } else {
                "no"
            }
        )
    }
}

/// Checks an assertion for the session's user: the challenge is used up
/// first, whatever follows. The inner error is why it was refused.
pub async fn check_assertion(
    state: &AppState,
    token: &str,
    user_id: i64,
    r: &AssertionResponse,
) -> Result<Result<Used, Refusal>, ApiError> {
    let rp = relying_party(state)?;
    let decoded = (|| {
        Ok::<_, Refusal>((
            unb64(&r.id)?,
            unb64(&r.client_data_json)?,
            unb64(&r.authenticator_data)?,
            unb64(&r.signature)?,
        ))
    })();
    let (id, json, data, signature) = match decoded {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let client = match webauthn::client_data(&json) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    if !store::take_challenge(&state.db, token, Ceremony::Get, &client.challenge)
        .await
        .map_err(ApiError::from_store)?
    {
        return Ok(Err(Refusal::WrongChallenge));
    }
    if let Err(e) = client.check(Kind::Get, rp) {
        return Ok(Err(e));
    }
    let Some(credential) = store::by_credential_id(&state.db, &id)
        .await
        .map_err(ApiError::from_store)?
    else {
        return Ok(Err(Refusal::UnknownCredential));
    };
    if credential.user_id != user_id {
        return Ok(Err(Refusal::AnotherUsersCredential));
    }
    // A user handle, when the authenticator gives one, must be this user's.
    if let Some(handle) = r.user_handle.as_deref().filter(|h| !h.is_empty()) {
        let mine = store::existing_user_handle(&state.db, user_id)
            .await
            .map_err(ApiError::from_store)?;
        if unb64(handle).ok() != mine {
            return Ok(Err(Refusal::AnotherUsersCredential));
        }
    }
    let stored = u32::try_from(credential.sign_count).unwrap_or(u32::MAX);
    let asserted =
        match webauthn::assertion(&data, &json, &signature, &credential.public_key, stored, rp) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
    // Another use with the same or a later counter got there first.
    if !store::record_use(
        &state.db,
        credential.id,
        i64::from(asserted.sign_count),
        asserted.user_verified,
    )
    .await
    .map_err(ApiError::from_store)?
    {
        return Ok(Err(Refusal::CounterNotIncreased {
            stored,
            given: asserted.sign_count,
        }));
    }
    Ok(Ok(Used {
        credential,
        asserted,
    }))
}

/// Registering, listing and removing keys need the password given within
/// the re-authentication window, and with a second factor, that too.
pub async fn require_fresh(state: &AppState, me: &SignedIn) -> Result<(), ApiError> {
    me.require_recent_auth(state)?;
    if !crate::account::second_factor::stepped_up(state, me).await? {
        return Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "re-authentication required: give your password and second factor again \
                      (POST /api/session/reauth)"
                .to_owned(),
        });
    }
    Ok(())
}

/// The options for `navigator.credentials.create`
/// (`PublicKeyCredentialCreationOptions`, binary fields in base64url), with
/// a new challenge for the session.
pub async fn registration_options(
    state: &AppState,
    me: &SignedIn,
) -> Result<serde_json::Value, ApiError> {
    let rp = relying_party(state)?;
    require_fresh(state, me).await?;
    let user_id = me.caller.user_id;
    let mut fresh = [0u8; 16];
    getrandom::getrandom(&mut fresh).map_err(|_| ApiError::internal("no randomness"))?;
    let handle = store::user_handle(&state.db, user_id, &fresh)
        .await
        .map_err(ApiError::from_store)?;
    let username = crate::account::second_factor::username(state, user_id).await?;
    let name = staff::my_roles(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?
        .map_or_else(|| username.clone(), |a| a.name);
    let keys = store::credentials(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?;
    let challenge = new_challenge()?;
    store::issue_challenge(
        &state.db,
        &me.token,
        Ceremony::Create,
        &challenge,
        CHALLENGE_SECS,
    )
    .await
    .map_err(ApiError::from_store)?;
    let params: Vec<_> = webauthn::ALGORITHMS
        .iter()
        .map(|alg| serde_json::json!({ "type": "public-key", "alg": alg }))
        .collect();
    let exclude: Vec<_> = keys
        .iter()
        .map(|k| serde_json::json!({ "type": "public-key", "id": b64(&k.credential_id) }))
        .collect();
    Ok(serde_json::json!({
        "rp": { "id": rp.id, "name": rp.name },
        "user": { "id": b64(&handle), "name": username, "displayName": name },
        "challenge": b64(&challenge),
        "pubKeyCredParams": params,
        "timeout": TIMEOUT_MS,
        "attestation": "none",
        "authenticatorSelection": {
            "residentKey": "preferred",
            "requireResidentKey": false,
            "userVerification": "preferred",
        },
        "excludeCredentials": exclude,
    }))
}

/// Why a registration was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRegistered {
    /// The name is empty, too long or has control characters.
    BadName,
    /// The authenticator's answer was refused.
    Refused(Refusal),
    /// The credential is registered already.
    Duplicate,
}

/// A credential's name: trimmed, 1 to 60 characters, no control
/// characters.
pub fn clean_name(name: &str) -> Option<String> {
    let name = name.trim();
    let n = name.chars().count();
    ((1..=NAME_MAX).contains(&n) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

/// Registers a credential from `navigator.credentials.create`'s answer.
/// Logged, refusals included.
pub async fn register(
    state: &AppState,
    me: &SignedIn,
    r: &RegistrationResponse,
) -> Result<Result<i64, NotRegistered>, ApiError> {
    let rp = relying_party(state)?;
    require_fresh(state, me).await?;
    let Some(name) = clean_name(&r.name) else {
        return Ok(Err(NotRegistered::BadName));
    };
    let log = |ok: bool, why: String| async move {
        crate::account::session::log_event(state, &me.caller, "webauthn_registration", ok, &why)
            .await
    };
    let checked = async {
        let id = unb64(&r.id)?;
        let json = unb64(&r.client_data_json)?;
        let attestation = unb64(&r.attestation_object)?;
        let client = webauthn::client_data(&json)?;
        Ok::<_, Refusal>((id, json, attestation, client))
    }
    .await;
    let (id, _, attestation, client) = match checked {
        Ok(c) => c,
        Err(e) => {
            log(
                false,
                format!("denied: registration refused: {}", e.reason()),
            )
            .await?;
            return Ok(Err(NotRegistered::Refused(e)));
        }
    };
    let mut outcome =
        if store::take_challenge(&state.db, &me.token, Ceremony::Create, &client.challenge)
            .await
            .map_err(ApiError::from_store)?
        {
            client.check(Kind::Create, rp)
        } else {
            Err(Refusal::WrongChallenge)
        }
        .and_then(|()| webauthn::registration(&attestation, rp));
    if let Ok(reg) = &outcome {
        if reg.credential_id != id {
            outcome = Err(Refusal::Malformed(
                "the credential id differs from the id given",
            ));
        }
    }
    let reg = match outcome {
        Ok(reg) => reg,
        Err(e) => {
            log(
                false,
                format!("denied: registration refused: {}", e.reason()),
            )
            .await?;
            return Ok(Err(NotRegistered::Refused(e)));
        }
    };
    let stored = store::register(
        &state.db,
        me.caller.user_id,
        &store::NewCredential {
            credential_id: &reg.credential_id,
            public_key: &reg.cose_key,
            algorithm: i32::try_from(reg.algorithm).unwrap_or(0),
            sign_count: i64::from(reg.sign_count),
            name: &name,
            user_verified: reg.user_verified,
        },
    )
    .await
    .map_err(ApiError::from_store)?;
    let Some(row) = stored else {
        log(
            false,
            "denied: registration refused: the credential is registered already".to_owned(),
        )
        .await?;
        return Ok(Err(NotRegistered::Duplicate));
    };
    // The new key was just used in this session: it counts as the second
    // factor given (the page listing the keys asks for it).
    staff::second_factor_given(&state.db, &me.token)
        .await
        .map_err(ApiError::from_store)?;
    log(
        true,
        format!(
            "security key #{row} registered (COSE algorithm {}, user verified: {})",
            reg.algorithm,
            if reg.user_verified { "yes" } else { "no" }
        ),
    )
    .await?;
    Ok(Ok(row))
}

/// Removes one of the user's keys, unless it is the last second factor of
/// a user whose role requires one. Logged.
pub async fn remove(state: &AppState, me: &SignedIn, id: i64) -> Result<(), ApiError> {
    require_fresh(state, me).await?;
    let user_id = me.caller.user_id;
    let keys = store::credentials(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?;
    if !keys.iter().any(|k| k.id == id) {
        return Err(ApiError::not_found());
    }
    let has_totp = kirjo_store::second_factor::secret(&state.db, user_id)
        .await
        .map_err(ApiError::from_store)?
        .is_some();
    if !has_totp && keys.len() == 1 {
        let required = staff::my_roles(&state.db, user_id)
            .await
            .map_err(ApiError::from_store)?
            .is_some_and(|a| {
                a.roles
                    .iter()
                    .any(|r| state.sessions.second_factor_roles.contains(&r.role))
            });
        if required {
            crate::account::session::log_event(
                state,
                &me.caller,
                "webauthn_removal",
                false,
                &format!("denied: security key #{id} is the last second factor and the role requires one"),
            )
            .await?;
            return Err(ApiError::conflict(
                "this is your last second factor and your role requires one: add another first",
            ));
        }
    }
    if store::remove(&state.db, user_id, id)
        .await
        .map_err(ApiError::from_store)?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    crate::account::session::log_event(
        state,
        &me.caller,
        "webauthn_removal",
        true,
        &format!("security key #{id} removed"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_short_and_without_control_characters() {
        assert_eq!(clean_name("  Avain 1 "), Some("Avain 1".to_owned()));
        assert_eq!(clean_name("   "), None);
        assert_eq!(clean_name("a\u{0}b"), None);
        assert_eq!(clean_name(&"ä".repeat(60)), Some("ä".repeat(60)));
        assert_eq!(clean_name(&"ä".repeat(61)), None);
    }
}
