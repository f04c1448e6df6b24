use crate::shared::error::ApiError;
use crate::shared::session::new_token;
use crate::shared::session::Origin;
use crate::shared::state::AppState;
use argon2::password_hash::PasswordHash;
use argon2::password_hash::PasswordHasher;
use argon2::password_hash::PasswordVerifier;
use argon2::password_hash::SaltString;
use argon2::Argon2;
use kirjo_store::gate::record_event;
use kirjo_store::gate::Caller;
use kirjo_store::second_factor;
use kirjo_store::staff;
use kirjo_store::staff::Stage;
use serde::Deserialize;

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

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified when the account is unknown.
pub(crate) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$a2lyam8tZHVtbXktc2FsdA$0B7lUM1qAPaxNmN3O3OnV9Gm2/w3P7rkcVyT8cRFnJg";

#[derive(Debug, Deserialize)]
pub struct SignIn {
    pub username: String,
    pub password: String,
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
    // A place in the hashing limit first: beyond it the answer is a 503 at
    // once, before any work, for known and unknown names alike.
    let ticket = state.hashing.admit()?;
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
    let ok = ticket
        .run(move || verify_password(&password, &hash))
        .await?;
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

    /// An unknown name is answered after the same work as a known one: the
    /// hash verified in its place has the algorithm, version and cost of a
    /// real one (if the defaults change, the dummy must change with them).
    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let real = hash_password("salasana").unwrap_or_default();
        let real = PasswordHash::new(&real).unwrap_or_else(|e| panic!("{e}"));
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(real.algorithm, dummy.algorithm);
        assert_eq!(real.version, dummy.version);
        assert_eq!(real.params, dummy.params);
        assert_eq!(
            real.hash.map(|h| h.len()),
            dummy.hash.map(|h| h.len()),
            "output length"
        );
    }
}
