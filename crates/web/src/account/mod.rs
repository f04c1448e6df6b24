//! Signing in and out, the second factor, the user's own password, re-authentication, the language and the user commitment: the pages and the API of one's own account.

pub mod api;
pub mod pages;
pub mod password;
pub mod passwords;
pub mod resume;
pub mod second_factor;
pub mod security_keys;
pub mod session;
pub mod totp;
pub mod webauthn;

use crate::shared::route::In;
use crate::shared::route::Operation;
use crate::shared::route::Param;
use crate::shared::route::Route;

/// The JSON of a security key's answer (`navigator.credentials.get`),
/// binary fields in base64url.
macro_rules! assertion_schema {
    () => {
        r#"{"type":"object","required":["id","client_data_json","authenticator_data","signature"],"properties":{"id":{"type":"string","minLength":1},"client_data_json":{"type":"string","minLength":1},"authenticator_data":{"type":"string","minLength":1},"signature":{"type":"string","minLength":1},"user_handle":{"type":["string","null"]}}}"#
    };
}

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
Route::new("GET", "/sign-in", None, pages::sign_in_page),
Route::new("POST", "/sign-in", None, pages::sign_in_submit),
Route::new("GET", "/sign-in/second-factor", None, pages::second_factor_page),
Route::new("POST", "/sign-in/second-factor", None, pages::second_factor_submit),
Route::new("POST", resume::RESUME_PATH, None, resume::resume_submit),
Route::new("POST", "/sign-out", None, pages::sign_out),
Route::new("POST", "/language", None, pages::set_language),
Route::new("POST", "/commitment", None, pages::accept_commitment),
Route::new("GET", "/account", None, pages::account),
Route::new("GET", "/account/second-factor", None, pages::enrol_get),
Route::new("POST", "/account/second-factor", None, pages::enrol_submit),
Route::new("GET", "/account/security-keys", None, pages::keys_get),
Route::new("POST", "/account/security-keys/{id}/remove", None, pages::keys_remove),
Route::new("GET", "/account/password", None, pages::password_get),
Route::new("POST", "/account/password", None, pages::password_submit),
Route::new("GET", "/reauth", None, pages::reauth_get),
Route::new("POST", "/reauth", None, pages::reauth_submit),
Route::api(
Operation {
        method: "POST",
        path: "/api/session",
        summary: "Sign in with a personal account; sets the session cookie.",
        params: &[],
        body: Some(r#"{"type":"object","required":["username","password"],"properties":{"username":{"type":"string"},"password":{"type":"string"}}}"#),
        returns: "The user's id and name; `next` is `second_factor` or `enrol` when a second factor is still needed, and `password_change_required` says a new password must be chosen first.",
    },
None,
api::sign_in,
),
Route::api(
Operation {
        method: "DELETE",
        path: "/api/session",
        summary: "Sign out: the session ends.",
        params: &[],
        body: None,
        returns: "No content.",
    },
None,
api::sign_out,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/me",
        summary: "The signed-in user: roles in force, and the user commitment to accept.",
        params: &[],
        body: None,
        returns: "The user, roles, and the current user commitment.",
    },
None,
api::me,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/commitment",
        summary: "Accept the current version of the confidentiality and user commitment (käyttäjäsitoumus).",
        params: &[],
        body: Some(r#"{"type":"object","required":["version"],"properties":{"version":{"type":"integer"}}}"#),
        returns: "No content.",
    },
None,
api::accept_commitment,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/session/reauth",
        summary: "Give the password again: revealing a protected address, approving rights, ending duties and resetting a password need it within the last 5 minutes (else 401). With `code` (a TOTP code) or `assertion` (a security key's answer to `POST /api/session/webauthn/begin`), the second factor too: the step-up deciding a decision and managing security keys need.",
        params: &[],
        body: Some(concat!(r#"{"type":"object","required":["password"],"properties":{"password":{"type":"string"},"code":{"type":"string"},"assertion":"#, assertion_schema!(), "}}")),
        returns: "No content.",
    },
None,
api::reauthenticate,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/session/second-factor",
        summary: "Give the TOTP code (or a one-time recovery code) after the password.",
        params: &[],
        body: Some(r#"{"type":"object","required":["code"],"properties":{"code":{"type":"string"}}}"#),
        returns: "204 when right; 401 when wrong; 429 when too many wrong codes ended the session.",
    },
None,
api::api_verify,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/second-factor",
        summary: "Begin enrolling an authenticator app: a new secret (replacing one already enrolled needs a recent password).",
        params: &[],
        body: None,
        returns: "The secret in base32 and its otpauth:// address.",
    },
None,
api::api_begin,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/second-factor/confirm",
        summary: "Confirm enrolment with a code from the new secret.",
        params: &[],
        body: Some(r#"{"type":"object","required":["code"],"properties":{"code":{"type":"string"}}}"#),
        returns: "Ten one-time recovery codes, shown only this once.",
    },
None,
api::api_confirm,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/password",
        summary: "Change one's own password: at least 12 characters, not a common or leaked password, not the user id. Also how a reset password is replaced.",
        params: &[Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["current_password","new_password"],"properties":{"current_password":{"type":"string"},"new_password":{"type":"string","minLength":12}}}"#),
        returns: "No content.",
    },
None,
api::change_password,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/session/webauthn/begin",
        summary: "Begin using a security key or passkey (WebAuthn) instead of the code, after the password or for a step-up: a challenge bound to the session, good once for 5 minutes.",
        params: &[],
        body: None,
        returns: "The options for `navigator.credentials.get` (`PublicKeyCredentialRequestOptions`), binary fields in base64url: `challenge`, `rpId`, `timeout`, `userVerification`, `allowCredentials`. 400 when the user has no security key; 404 when security keys are off (no `server.public_url`).",
    },
None,
api::webauthn_begin,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/session/webauthn/finish",
        summary: "Finish signing in with a security key or passkey: the answer of `navigator.credentials.get` to the challenge of `.../begin`.",
        params: &[],
        body: Some(assertion_schema!()),
        returns: "204 when it verifies (the session is signed in); 401 when refused (a wrong, used or expired challenge, another origin or relying party, a bad signature, a signature counter that did not increase, an unknown credential or another user's), counted like a wrong code; 429 when too many failures ended the session.",
    },
None,
api::webauthn_finish,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/me/webauthn/credentials",
        summary: "The user's security keys and passkeys.",
        params: &[],
        body: None,
        returns: "`credentials`: each with `id`, `name`, `algorithm` (COSE: -7, -8 or -257), `user_verified` (at registration), `created_at`, `last_used_at`.",
    },
None,
api::webauthn_credentials,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/webauthn/register/begin",
        summary: "Begin registering a security key or passkey. Needs the password and the existing second factor (if any) given within the last 5 minutes (`POST /api/session/reauth`), else 401.",
        params: &[],
        body: None,
        returns: "The options for `navigator.credentials.create` (`PublicKeyCredentialCreationOptions`), binary fields in base64url; attestation `none`. 404 when security keys are off.",
    },
None,
api::webauthn_register_begin,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/me/webauthn/register/finish",
        summary: "Finish registering: the answer of `navigator.credentials.create` to the challenge of `.../begin`, and a name for the key (1-60 characters).",
        params: &[],
        body: Some(r#"{"type":"object","required":["name","id","client_data_json","attestation_object"],"properties":{"name":{"type":"string","minLength":1,"maxLength":60},"id":{"type":"string","minLength":1},"client_data_json":{"type":"string","minLength":1},"attestation_object":{"type":"string","minLength":1}}}"#),
        returns: "201 with the key's `id`; 400 when the answer is refused (the challenge, the origin, the relying party, the user not present, a key of another kind than ES256, EdDSA or RS256); 409 when the key is registered already; 422 when the name is not acceptable.",
    },
None,
api::webauthn_register_finish,
),
Route::api(
Operation {
        method: "DELETE",
        path: "/api/me/webauthn/credentials/{id}",
        summary: "Remove a security key. Needs the password and the second factor given within the last 5 minutes; the last second factor of a user whose role requires one is not removed (409).",
        params: &[Param("id", In::Path, "integer", true, "The key's id.")],
        body: None,
        returns: "No content.",
    },
None,
api::webauthn_remove,
),
    ]
}
