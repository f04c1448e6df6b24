//! Signing in and out, the second factor, the user's own password, re-authentication, the language and the user commitment: the pages and the API of one's own account.

pub mod api;
pub mod pages;
pub mod password;
pub mod passwords;
pub mod resume;
pub mod second_factor;
pub mod session;
pub mod totp;
pub mod webauthn;

use crate::shared::route::In;
use crate::shared::route::Operation;
use crate::shared::route::Param;
use crate::shared::route::Route;

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
        summary: "Give the password again: revealing a protected address, approving rights, ending duties and resetting a password need it within the last 5 minutes (else 401).",
        params: &[],
        body: Some(r#"{"type":"object","required":["password"],"properties":{"password":{"type":"string"}}}"#),
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
    ]
}
