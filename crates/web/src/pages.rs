//! The staff pages: server-rendered HTML from compile-time checked
//! templates (askama), in Finnish, Swedish or English. Every core task
//! works without JavaScript: forms post back and the server redirects.
//!
//! Every state-changing form carries the CSRF token that the guard in
//! `lib.rs` checks against the `kirjo_csrf` cookie; every page is sent with
//! `no-store` and may not be framed (see `security_headers`).

// A page's error is a whole answer (a redirect or an error page): axum's
// `Response`, passed up once per request.
#![allow(clippy::result_large_err)]

use crate::auth::{self, AnySession, Origin, SignInOutcome, SignedIn};
use crate::i18n::{Tr, LANGUAGES};
use crate::mfa::{self, CodeCheck};
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use kirjo_access::{Action, Actor, Role, StatedPurpose};
use kirjo_domain::contact::Lang;
use kirjo_store::gate::{enter, GateError, Request};
use kirjo_store::staff::{self, Stage};
use kirjo_store::{clients, monitoring, second_factor};
use serde::Deserialize;

/// Every page route with the gate action it maps to, or none where it
/// touches no client or administrative data (signing in, the user's own
/// account, the language, the accessibility statement, style sheets). A
/// page that reads more than one thing names its main action: the
/// supervision page lists proposals (`ViewRights`) and also the unit's
/// samples (`ReviewMonitoring`), each through the gate. A test checks that
/// the router and this table agree.
pub const PAGES: &[(&str, &str, Option<Action>)] = &[
    ("GET", "/", None),
    ("GET", "/sign-in", None),
    ("POST", "/sign-in", None),
    ("GET", "/sign-in/second-factor", None),
    ("POST", "/sign-in/second-factor", None),
    ("POST", "/sign-out", None),
    ("POST", "/language", None),
    ("POST", "/commitment", None),
    ("GET", "/account", None),
    ("GET", "/account/second-factor", None),
    ("POST", "/account/second-factor", None),
    ("GET", "/account/password", None),
    ("POST", "/account/password", None),
    ("GET", "/account/trail", None),
    ("GET", "/reauth", None),
    ("POST", "/reauth", None),
    ("GET", "/search", Some(Action::Search)),
    ("POST", "/search", Some(Action::Search)),
    ("GET", "/clients", Some(Action::Search)),
    ("GET", "/clients/new", None),
    ("POST", "/clients/new", Some(Action::CreatePerson)),
    ("GET", "/clients/{id}", Some(Action::ViewBasicData)),
    ("POST", "/clients/{id}", Some(Action::ViewBasicData)),
    ("GET", "/clients/{id}/edit", Some(Action::ViewBasicData)),
    ("POST", "/clients/{id}/edit", Some(Action::EditBasicData)),
    (
        "POST",
        "/clients/{id}/reveal",
        Some(Action::RevealProtectedAddress),
    ),
    ("GET", "/clients/{id}/log", Some(Action::ViewLogExtract)),
    (
        "GET",
        "/clients/{id}/minor-prohibition",
        Some(Action::ViewDocument),
    ),
    (
        "POST",
        "/clients/{id}/minor-prohibition",
        Some(Action::WriteDocument),
    ),
    (
        "POST",
        "/clients/{id}/minor-prohibition/{pid}/end",
        Some(Action::WriteDocument),
    ),
    (
        "GET",
        "/clients/{id}/guardian-answer",
        Some(Action::Disclose),
    ),
    ("GET", "/clients/{id}/documents", Some(Action::ViewDocument)),
    ("GET", "/clients/{id}/documents/new", None),
    (
        "POST",
        "/clients/{id}/documents/new",
        Some(Action::WriteDocument),
    ),
    ("GET", "/documents/{id}", Some(Action::ViewDocument)),
    ("GET", "/attachments/{id}", Some(Action::ViewDocument)),
    (
        "POST",
        "/documents/{id}/attachments",
        Some(Action::WriteDocument),
    ),
    ("POST", "/documents/{id}/edit", Some(Action::WriteDocument)),
    (
        "POST",
        "/documents/{id}/complete",
        Some(Action::WriteDocument),
    ),
    (
        "POST",
        "/documents/{id}/discard",
        Some(Action::WriteDocument),
    ),
    ("GET", "/documents/{id}/correct", Some(Action::ViewDocument)),
    (
        "POST",
        "/documents/{id}/correct",
        Some(Action::CorrectEntry),
    ),
    ("GET", "/supervision", Some(Action::ViewRights)),
    (
        "POST",
        "/supervision/samples",
        Some(Action::ReviewMonitoring),
    ),
    (
        "GET",
        "/supervision/samples/{id}",
        Some(Action::ReviewMonitoring),
    ),
    (
        "POST",
        "/supervision/samples/{id}/items/{log}",
        Some(Action::ReviewMonitoring),
    ),
    ("GET", "/administration", Some(Action::ViewRights)),
    (
        "POST",
        "/administration/proposals/{id}",
        Some(Action::ApproveRights),
    ),
    ("GET", "/data-protection", Some(Action::ReviewMonitoring)),
    (
        "POST",
        "/data-protection/flags/{id}",
        Some(Action::ReviewMonitoring),
    ),
    (
        "POST",
        "/data-protection/extract",
        Some(Action::ViewLogExtract),
    ),
    ("GET", "/accessibility", None),
    ("GET", "/static/{file}", None),
];

pub const CSRF_COOKIE: &str = "kirjo_csrf";
pub const LANG_COOKIE: &str = "kirjo_lang";

/// A page's answer: the page, or a redirect or error page instead.
pub type PageResult = Result<Response, Response>;

/// What every page knows of its request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub csrf: String,
    /// The CSRF cookie is new and must be set with this answer.
    new_csrf: bool,
    /// The path (and query) of this page, to come back to.
    pub here: String,
    pub session: Option<AnySession>,
    /// A session cookie came but named no open session: it ended.
    pub session_ended: bool,
    /// Served over TLS: cookies are `Secure`.
    secure: bool,
}

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

fn random_hex() -> Option<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).ok()?;
    Some(hex::encode(b))
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let had_cookie = auth::token_from(&parts.headers).is_some_and(|t| !t.is_empty());
        let session = if had_cookie {
            AnySession::from_request_parts(parts, state).await.ok()
        } else {
            None
        };
        let session_ended = had_cookie && session.is_none();
        let chosen = session
            .as_ref()
            .and_then(|s| s.session.language.as_deref())
            .and_then(Lang::parse)
            .or_else(|| cookie_value(&parts.headers, LANG_COOKIE).and_then(|l| Lang::parse(&l)));
        let lang = match chosen {
            Some(l) => l,
            None => crate::people::lang(None, &parts.headers),
        };
        let (csrf, new_csrf) = match cookie_value(&parts.headers, CSRF_COOKIE) {
            Some(c) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => (c, false),
            _ => (
                random_hex().ok_or_else(|| ApiError::internal("no randomness").into_response())?,
                true,
            ),
        };
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(Ctx {
            tr: Tr::new(lang),
            csrf,
            new_csrf,
            here,
            session,
            session_ended,
            secure: state.sessions.secure_cookies,
        })
    }
}

/// A link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// A choice of the language switch.
#[derive(Debug, Clone)]
pub struct LangChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout around every page needs.
#[derive(Debug, Clone)]
pub struct Shell {
    pub t: Tr,
    pub title: String,
    pub user: Option<String>,
    /// A session is open (perhaps still at the second factor): sign-out is
    /// offered.
    pub signed: bool,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub back: String,
    pub langs: Vec<LangChoice>,
    /// No error, for fields that never have one.
    pub none: Option<String>,
}

/// The navigation a user's roles open, in a fixed order.
fn nav_for(t: &Tr, actor: &Actor, here: &str) -> Vec<NavItem> {
    let has = |roles: &[Role]| actor.roles.iter().any(|r| roles.contains(&r.role));
    let client_roles = [
        Role::ClientWorker,
        Role::UnitSupervisor,
        Role::RegistryClerk,
        Role::ProviderWorker,
    ];
    let path = here.split('?').next().unwrap_or(here);
    let mut items = vec![("/", "nav-my-work", true)];
    items.push((
        "/clients",
        "nav-clients",
        has(&[Role::ClientWorker, Role::ProviderWorker]),
    ));
    items.push(("/search", "nav-search", has(&client_roles)));
    items.push((
        "/supervision",
        "nav-supervision",
        has(&[Role::UnitSupervisor]),
    ));
    items.push((
        "/administration",
        "nav-administration",
        has(&[Role::MainAdministrator]),
    ));
    items.push((
        "/data-protection",
        "nav-data-protection",
        has(&[Role::DataProtectionOfficer]),
    ));
    items
        .into_iter()
        .filter(|(_, _, shown)| *shown)
        .map(|(href, key, _)| NavItem {
            href,
            label: t.t(key),
            current: if href == "/" {
                path == "/"
            } else {
                path == href
                    || path.starts_with(&format!("{href}/"))
                    || (href == "/search" && path.starts_with("/clients/"))
            },
        })
        .collect()
}

impl Ctx {
    pub fn shell(&self, title: String, actor: Option<&Actor>) -> Shell {
        Shell {
            t: self.tr,
            title,
            user: actor.map(|a| a.name.clone()),
            signed: self.session.is_some(),
            nav: actor.map_or_else(Vec::new, |a| nav_for(&self.tr, a, &self.here)),
            csrf: self.csrf.clone(),
            back: self.here.clone(),
            langs: LANGUAGES
                .iter()
                .map(|(l, label)| LangChoice {
                    code: l.as_str(),
                    label,
                    current: *l == self.tr.lang,
                })
                .collect(),
            none: None,
        }
    }

    /// Renders a page, with the CSRF cookie when it is new.
    pub fn render(&self, status: StatusCode, page: &impl Template) -> Response {
        match page.render() {
            Ok(html) => {
                let mut r = (status, Html(html)).into_response();
                if self.new_csrf {
                    if let Ok(v) = HeaderValue::from_str(&format!(
                        "{CSRF_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{}",
                        self.csrf,
                        self.secure_flag()
                    )) {
                        r.headers_mut().append(header::SET_COOKIE, v);
                    }
                }
                r
            }
            Err(_) => ApiError::internal("template").into_response(),
        }
    }

    fn secure_flag(&self) -> &'static str {
        if self.secure {
            "; Secure"
        } else {
            ""
        }
    }

    fn sign_in_redirect(&self) -> Response {
        let next = percent_encode(&self.here);
        let ended = if self.session_ended {
            "&ended=expired"
        } else {
            ""
        };
        Redirect::to(&format!("/sign-in?next={next}{ended}")).into_response()
    }

    /// The signed-in user and their roles; otherwise a redirect to the step
    /// they are at (sign-in, second factor, enrolment, a new password).
    pub async fn user(&self, state: &AppState) -> Result<(SignedIn, Actor), Response> {
        let Some(s) = self.session.clone() else {
            return Err(self.sign_in_redirect());
        };
        match s.session.stage {
            Stage::SecondFactor => return Err(see_other("/sign-in/second-factor")),
            Stage::Enrol => return Err(see_other("/account/second-factor")),
            Stage::SignedIn => {}
        }
        let me = s.signed_in().map_err(IntoResponse::into_response)?;
        let actor = staff::my_roles(&state.db, me.caller.user_id)
            .await
            .map_err(|e| ApiError::from_store(e).into_response())?
            .ok_or_else(|| self.sign_in_redirect())?;
        let path = self.here.split('?').next().unwrap_or("");
        if actor.password_change_required && path != "/account/password" {
            return Err(see_other("/account/password"));
        }
        Ok((me, actor))
    }

    /// An error page.
    pub fn error(&self, status: StatusCode, message: String, actor: Option<&Actor>) -> Response {
        let title = self.tr.t(match status {
            StatusCode::FORBIDDEN => "error-forbidden",
            StatusCode::NOT_FOUND => "error-not-found",
            StatusCode::TOO_MANY_REQUESTS => "error-too-many",
            _ => "error-title",
        });
        self.render(
            status,
            &ErrorPage {
                shell: self.shell(title, actor),
                message,
                detail: None,
            },
        )
    }

    pub(crate) fn gate_error(&self, e: GateError, actor: &Actor) -> Response {
        match e {
            GateError::Denied { explanation } => self.render(
                StatusCode::FORBIDDEN,
                &ErrorPage {
                    shell: self.shell(self.tr.t("error-forbidden"), Some(actor)),
                    message: self.tr.t("error-denied"),
                    detail: Some(explanation),
                },
            ),
            GateError::NoSuchClient => self.error(
                StatusCode::NOT_FOUND,
                self.tr.t("error-no-client"),
                Some(actor),
            ),
            GateError::Store(s) => self.api_error(ApiError::from_store(s), Some(actor)),
        }
    }

    pub(crate) fn api_error(&self, e: ApiError, actor: Option<&Actor>) -> Response {
        let message = if e.status == StatusCode::INTERNAL_SERVER_ERROR {
            self.tr.t("error-internal")
        } else {
            e.message
        };
        self.error(e.status, message, actor)
    }
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A path with its query, encoded to travel as one query value.
pub(crate) fn percent_encode_path(s: &str) -> String {
    percent_encode(s)
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Only a local path may be a place to go back to: never another site.
pub(crate) fn local_path(next: Option<&str>) -> String {
    // Only a path on this site, in plain characters: browsers drop tabs and
    // newlines from addresses (`/\t/evil.example` would become
    // `//evil.example`), and read `\` as `/`.
    let plain = |n: &str| {
        n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_-.~?=&%+".contains(&b))
    };
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && plain(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The names of units and service areas, in the page's language.
pub(crate) async fn names(state: &AppState) -> kirjo_store::register::Names {
    // Names are for display only: without them the ids show.
    kirjo_store::register::names(&state.db)
        .await
        .unwrap_or_default()
}

pub(crate) fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Fi => 0,
        Lang::Sv => 1,
        Lang::En => 2,
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::ClientWorker => "role-client_worker",
        Role::UnitSupervisor => "role-unit_supervisor",
        Role::RegistryClerk => "role-registry_clerk",
        Role::MainAdministrator => "role-main_administrator",
        Role::DataProtectionOfficer => "role-data_protection_officer",
        Role::ProviderWorker => "role-provider_worker",
    }
}

// ---------------------------------------------------------------- templates

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub shell: Shell,
    pub message: String,
    /// The gate's own explanation, in English (marked so on the page).
    pub detail: Option<String>,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub shell: Shell,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SecondFactorPage {
    pub shell: Shell,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolPage {
    pub shell: Shell,
    pub required: bool,
    pub qr_svg: String,
    pub secret: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub shell: Shell,
    pub codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub shell: Shell,
    pub forced: bool,
    pub current_error: Option<String>,
    pub new_error: Option<String>,
    pub repeat_error: Option<String>,
}

#[derive(Template)]
#[template(path = "reauth.html")]
pub struct ReauthPage {
    pub shell: Shell,
    pub back: String,
    pub error: Option<String>,
}

pub struct DeadlineRow {
    pub document_id: i64,
    pub client: String,
    pub received: String,
    pub start_due: String,
    pub decided: Option<String>,
    pub completion_due: String,
    pub late: bool,
}

/// The deadline list of child welfare notifications the user may see.
pub(crate) async fn deadline_rows(
    state: &AppState,
    me: &SignedIn,
    actor: &Actor,
    ctx: &Ctx,
) -> Result<Vec<DeadlineRow>, Response> {
    let list = kirjo_store::documents::notification_deadlines(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?;
    Ok(list
        .into_iter()
        .map(|d| DeadlineRow {
            document_id: d.document_id,
            client: d.client_name,
            received: date(d.received_on),
            start_due: date(d.start_due),
            decided: d.decided_on.map(date),
            completion_due: date(d.completion_due),
            late: d.late,
        })
        .collect())
}

pub struct RoleLine {
    pub role: String,
    pub unit: String,
    pub area: Option<String>,
}

#[derive(Template)]
#[template(path = "start.html")]
pub struct StartPage {
    pub shell: Shell,
    pub name: String,
    /// Child welfare notifications with their deadlines.
    pub deadlines: Vec<DeadlineRow>,
    pub roles: Vec<RoleLine>,
    pub can_search: bool,
    /// The user commitment to accept: version and text.
    pub commitment: Option<(i32, String)>,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub shell: Shell,
    pub username: String,
    pub second_factor: bool,
    pub recovery_left: i64,
}

pub struct Hit {
    pub id: i64,
    pub name: String,
    pub birth_date: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub shell: Shell,
    /// The purposes the user may state to search outside their own
    /// relationships; empty when they may not.
    pub purposes: Vec<PurposeChoice>,
    /// The purpose stated for these results: opening one carries it.
    pub purpose: Option<(String, String)>,
    pub name: String,
    pub identity_code: String,
    pub birth_date: String,
    pub searched: bool,
    pub error: Option<String>,
    pub hits: Vec<Hit>,
}

pub struct PurposeChoice {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "purpose.html")]
pub struct PurposePage {
    pub shell: Shell,
    pub client_id: i64,
    pub explanation: String,
    pub purposes: Vec<PurposeChoice>,
    pub error: Option<String>,
}

pub struct FieldLine {
    pub label: String,
    pub value: String,
}

pub struct RelationLine {
    pub kind: String,
    pub name: String,
    pub person_id: i64,
    /// Scope of a mandate, right of access, validity and source.
    pub details: String,
    /// A guardian of a minor: their request can be answered here.
    pub guardian: bool,
}

pub struct ProhibitionLine {
    pub id: i64,
    /// In force today: it may be ended.
    pub in_force: bool,
    /// The documents it covers, or None for all.
    pub documents: Option<String>,
    pub end_reason: Option<String>,
    pub made_on: String,
    pub accepted: bool,
    pub reason: String,
    pub recorded_by: String,
    pub ended: Option<String>,
}

pub struct RelationshipLine {
    pub area: String,
    pub unit: String,
    pub started: String,
    pub ended: Option<String>,
    pub worker: String,
}

#[derive(Template)]
#[template(path = "client.html")]
pub struct ClientPage {
    pub shell: Shell,
    pub name: String,
    pub protected: bool,
    /// Protected contact data shown for this reason (logged).
    pub revealed_for: Option<String>,
    pub client_id: i64,
    /// Just saved: say so.
    pub saved: bool,
    /// Under 18: the minor's prohibitions on disclosure to a guardian.
    pub minor: bool,
    pub prohibitions: Vec<ProhibitionLine>,
    pub deceased: Option<String>,
    pub fields: Vec<FieldLine>,
    pub contacts: Vec<FieldLine>,
    pub relations: Vec<RelationLine>,
    pub relationships: Vec<RelationshipLine>,
    pub access: String,
}

pub struct ProposalLine {
    pub id: i64,
    pub kind: String,
    pub user_id: i64,
    pub role: String,
    pub unit: String,
    pub valid: String,
    pub reason: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "proposals.html")]
pub struct ProposalsPage {
    pub shell: Shell,
    pub heading: String,
    pub can_decide: bool,
    pub proposals: Vec<ProposalLine>,
    pub notice: Option<String>,
    /// On the supervision page: the unit's samples of accesses.
    pub samples: Option<crate::log_pages::SamplesSection>,
    /// On the supervision page: child welfare notifications and deadlines.
    pub deadlines: Vec<DeadlineRow>,
}

pub struct FlagLine {
    pub id: i64,
    pub kind: String,
    pub user: String,
    pub client_id: Option<i64>,
    pub at: String,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "flags.html")]
pub struct FlagsPage {
    pub shell: Shell,
    pub heading: String,
    pub flags: Vec<FlagLine>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "accessibility.html")]
pub struct AccessibilityPage {
    pub shell: Shell,
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
    let outcome = auth::authenticate(&state, &origin, &f.username, &f.password)
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
                auth::session_cookie(&state, &token).map_err(IntoResponse::into_response)?,
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
pub async fn second_factor_page(ctx: Ctx) -> PageResult {
    match &ctx.session {
        Some(s) if s.session.stage == Stage::SecondFactor => Ok(ctx.render(
            StatusCode::OK,
            &SecondFactorPage {
                shell: ctx.shell(ctx.tr.t("second-factor-title"), None),
                error: None,
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

/// `POST /sign-in/second-factor`.
pub async fn second_factor_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<CodeForm>,
) -> PageResult {
    let Some(s) = ctx.session.clone() else {
        return Ok(see_other("/sign-in"));
    };
    if s.session.stage != Stage::SecondFactor {
        return Ok(see_other("/"));
    }
    let check = mfa::verify(&state, &s, &f.code)
        .await
        .map_err(|e| ctx.api_error(e, None))?;
    match check {
        CodeCheck::Accepted => Ok(see_other("/")),
        CodeCheck::Wrong => Ok(ctx.render(
            StatusCode::UNAUTHORIZED,
            &SecondFactorPage {
                shell: ctx.shell(ctx.tr.t("second-factor-title"), None),
                error: Some(ctx.tr.t("code-wrong")),
            },
        )),
        CodeCheck::SessionEnded => Ok(ctx.error(
            StatusCode::TOO_MANY_REQUESTS,
            ctx.tr.t("code-too-many"),
            None,
        )),
    }
}

fn enrol_page(ctx: &Ctx, e: &mfa::Enrolment, required: bool, error: Option<String>) -> Response {
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
    let e = match mfa::begin(&state, &s, false).await {
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
    match mfa::confirm(&state, &s, &f.code)
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
            let e = mfa::begin(&state, &s, false)
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
        auth::end_by_user(&state, &s.caller, &s.token)
            .await
            .map_err(|e| ctx.api_error(e, None))?;
    }
    let mut r = see_other("/sign-in?ended=signed-out");
    r.headers_mut().append(
        header::SET_COOKIE,
        auth::cleared_cookie(&state).map_err(|e| ctx.api_error(e, None))?,
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

/// `GET /`: the start page, "my work".
pub async fn start(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let roles = actor
        .roles
        .iter()
        .map(|r| RoleLine {
            role: ctx.tr.t(role_key(r.role)),
            unit: names.of(&r.unit, li),
            area: r.service_area.as_deref().map(|a| names.of(a, li)),
        })
        .collect();
    let commitment = if actor.commitment_accepted {
        None
    } else {
        staff::current_commitment(&state.db)
            .await
            .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?
            .map(|(v, fi, sv, en)| {
                (
                    v,
                    match ctx.tr.lang {
                        Lang::Fi => fi,
                        Lang::Sv => sv,
                        Lang::En => en,
                    },
                )
            })
    };
    let can_search = actor.roles.iter().any(|r| {
        matches!(
            r.role,
            Role::ClientWorker | Role::UnitSupervisor | Role::RegistryClerk | Role::ProviderWorker
        )
    });
    Ok(ctx.render(
        StatusCode::OK,
        &StartPage {
            shell: ctx.shell(ctx.tr.t("nav-my-work"), Some(&actor)),
            name: actor.name.clone(),
            deadlines: if can_search && actor.commitment_accepted {
                deadline_rows(&state, &me, &actor, &ctx).await?
            } else {
                Vec::new()
            },
            roles,
            can_search,
            commitment,
        },
    ))
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
    Ok(ctx.render(
        StatusCode::OK,
        &AccountPage {
            shell: ctx.shell(ctx.tr.t("account-title"), Some(&actor)),
            username,
            second_factor: second,
            recovery_left: left,
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
    match auth::change_own_password(
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
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReauthForm {
    pub password: String,
    pub back: Option<String>,
}

/// `POST /reauth`.
pub async fn reauth_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ReauthForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let back = local_path(f.back.as_deref());
    if auth::reauthenticate_with(&state, &me, &f.password)
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
            },
        ))
    }
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    pub name: Option<String>,
    pub identity_code: Option<String>,
    pub birth_date: Option<String>,
}

/// `GET /search`: find a client by name, identity code or birth date.
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    search_page(&state, &ctx, q, None).await
}

#[derive(Debug, Deserialize)]
pub struct PurposeSearchForm {
    pub name: Option<String>,
    pub identity_code: Option<String>,
    pub birth_date: Option<String>,
    /// Set by the form for searching outside one's own relationships.
    pub outside: Option<String>,
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

/// `POST /search`: the search form (a POST, so that identity codes, names
/// and the user's words stay out of addresses and browser history), also
/// outside one's own relationships with a stated purpose.
pub async fn purpose_search(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PurposeSearchForm>,
) -> PageResult {
    let purpose = f.outside.is_some().then(|| StatedPurpose {
        purpose_id: f.purpose.unwrap_or_default(),
        text: f.purpose_text.unwrap_or_default().trim().to_owned(),
    });
    let q = SearchQuery {
        name: f.name,
        identity_code: f.identity_code,
        birth_date: f.birth_date,
    };
    search_page(&state, &ctx, q, purpose).await
}

async fn search_page(
    state: &AppState,
    ctx: &Ctx,
    q: SearchQuery,
    purpose: Option<StatedPurpose>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).unwrap_or("").to_owned();
    let (name, code, birth) = (
        clean(&q.name),
        clean(&q.identity_code),
        clean(&q.birth_date),
    );
    let mut page = SearchPage {
        shell: ctx.shell(ctx.tr.t("nav-search"), Some(&actor)),
        name: name.clone(),
        identity_code: code.clone(),
        birth_date: birth.clone(),
        searched: false,
        error: None,
        hits: Vec::new(),
        purposes: if may_state_purpose(state, &actor) {
            purpose_choices(state, ctx)
        } else {
            Vec::new()
        },
        purpose: purpose
            .as_ref()
            .map(|p| (p.purpose_id.clone(), p.text.clone())),
    };
    if q.name.is_none() && q.identity_code.is_none() && q.birth_date.is_none() {
        return Ok(ctx.render(StatusCode::OK, &page));
    }
    if purpose
        .as_ref()
        .is_some_and(|p| p.purpose_id.is_empty() || p.text.is_empty())
    {
        page.error = Some(ctx.tr.t("purpose-missing"));
        return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let birth_date = if birth.is_empty() {
        None
    } else {
        match chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(&birth, "%d.%m.%Y"))
        {
            Ok(d) => Some(d),
            Err(_) => {
                page.error = Some(ctx.tr.t("search-bad-date"));
                return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
        }
    };
    if !code.is_empty() {
        if let Err(e) = kirjo_domain::hetu::PersonalIdentityCode::parse(&code) {
            page.error = Some(ctx.tr.t1("search-bad-code", "reason", e));
            return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    }
    if name.is_empty() && code.is_empty() && birth_date.is_none() {
        page.error = Some(ctx.tr.t("search-empty"));
        return Ok(ctx.render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let criteria = clients::Criteria {
        identity_code: Some(code).filter(|s| !s.is_empty()),
        name: Some(name).filter(|s| !s.is_empty()),
        birth_date,
        limit: 50,
        offset: 0,
        purpose,
    };
    let hits = clients::search(&state.db, &me.caller, &state.gate, &criteria)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    page.searched = true;
    page.hits = hits
        .into_iter()
        .map(|h| Hit {
            id: h.id,
            name: format!("{}, {}", h.surname, h.first_names),
            birth_date: h.birth_date.format("%-d.%-m.%Y").to_string(),
        })
        .collect();
    Ok(ctx.render(StatusCode::OK, &page))
}

pub struct MyClientLine {
    pub id: i64,
    pub name: String,
    pub birth_date: String,
    pub area: String,
    pub unit: String,
    pub since: String,
    pub responsible: bool,
}

#[derive(Template)]
#[template(path = "my_clients.html")]
pub struct MyClientsPage {
    pub shell: Shell,
    pub clients: Vec<MyClientLine>,
}

/// `GET /clients`: the clients of the user's own relationships.
pub async fn my_clients(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let list = clients::my_clients(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let names = names(&state).await;
    let li = lang_index(ctx.tr.lang);
    let clients = list
        .into_iter()
        .map(|c| MyClientLine {
            id: c.id,
            name: format!("{}, {}", c.surname, c.first_names),
            birth_date: date(c.birth_date),
            area: names.of(&c.service_area, li),
            unit: names.of(&c.unit, li),
            since: date(c.started_on),
            responsible: c.responsible,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &MyClientsPage {
            shell: ctx.shell(ctx.tr.t("nav-clients"), Some(&actor)),
            clients,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct PurposeForm {
    pub purpose: Option<String>,
    pub purpose_text: Option<String>,
}

fn purpose_page(
    ctx: &Ctx,
    state: &AppState,
    actor: &Actor,
    client_id: i64,
    explanation: String,
    error: Option<String>,
) -> Response {
    let purposes = purpose_choices(state, ctx);
    ctx.render(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::FORBIDDEN
        },
        &PurposePage {
            shell: ctx.shell(ctx.tr.t("purpose-title"), Some(actor)),
            client_id,
            explanation,
            purposes,
            error,
        },
    )
}

/// The configured purposes, named in the page's language.
fn purpose_choices(state: &AppState, ctx: &Ctx) -> Vec<PurposeChoice> {
    state
        .ui
        .purposes
        .iter()
        .map(|p| PurposeChoice {
            id: p.id.clone(),
            name: match ctx.tr.lang {
                Lang::Fi => p.name_fi.clone(),
                Lang::Sv => p.name_sv.clone(),
                Lang::En => p.name_en.clone(),
            },
        })
        .collect()
}

/// Whether a purpose could open a client for this user: a client-work role
/// in a service area that allows access outside one's relationships.
fn may_state_purpose(state: &AppState, actor: &Actor) -> bool {
    !state.ui.purposes.is_empty()
        && actor.roles.iter().any(|r| {
            r.role == Role::ClientWorker
                && r.service_area
                    .as_ref()
                    .is_some_and(|a| state.gate.outside_access_areas.contains(a))
        })
}

use kirjo_domain::calendar::day_month_year as date;

/// The client card with protected contact data revealed, for a reason
/// already in the use log.
pub(crate) async fn client_card_revealed(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    contact: Option<clients::ContactData>,
    reason: &str,
) -> PageResult {
    client_card(state, ctx, id, None, Some((contact, reason))).await
}

async fn client_card(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    purpose: Option<StatedPurpose>,
    revealed: Option<(Option<clients::ContactData>, &str)>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let entered = enter(
        &state.db,
        &me.caller,
        &state.gate,
        &Request {
            action: Action::ViewBasicData,
            client_id: Some(id),
            data: "basic_data",
            purpose: purpose.as_ref(),
            reason: None,
        },
    )
    .await;
    let mut g = match entered {
        Ok(g) => g,
        // Outside one's relationships, where the service area allows it, a
        // purpose opens the client: ask for it.
        Err(GateError::Denied { explanation })
            if purpose.is_none() && may_state_purpose(state, &actor) =>
        {
            return Ok(purpose_page(ctx, state, &actor, id, explanation, None));
        }
        Err(GateError::Denied { explanation }) if purpose.is_some() => {
            let refused = ctx.tr.t("purpose-refused");
            return Ok(purpose_page(
                ctx,
                state,
                &actor,
                id,
                explanation,
                Some(refused),
            ));
        }
        Err(e) => return Err(ctx.gate_error(e, &actor)),
    };
    let access = g.access.decision().explanation.clone();
    let pending = clients::basic_data(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let prohibitions = kirjo_store::guardians::prohibitions(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let (data, prohibitions) = g
        .finish(kirjo_store::gate::Pending::both(pending, prohibitions))
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(&actor)))?;
    let Some((p, rels)) = data else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-no-client"),
            Some(&actor),
        ));
    };
    let t = &ctx.tr;
    let mut fields = vec![
        FieldLine {
            label: t.t("field-identity-code"),
            value: p.identity_code.clone().unwrap_or_else(|| t.t("field-none")),
        },
        FieldLine {
            label: t.t("field-birth-date"),
            value: date(p.birth_date),
        },
    ];
    let optional = [
        ("field-calling-name", p.calling_name.clone()),
        ("field-mother-tongue", p.mother_tongue.clone()),
        ("field-service-language", p.service_language.clone()),
        ("field-occupation", p.occupation.clone()),
        ("field-workplace", p.workplace.clone()),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            fields.push(FieldLine {
                label: t.t(key),
                value,
            });
        }
    }
    if !p.citizenship.is_empty() {
        fields.push(FieldLine {
            label: t.t("field-citizenship"),
            value: p.citizenship.join(", "),
        });
    }
    let mut contacts = Vec::new();
    let (shown, revealed_for) = match &revealed {
        Some((c, reason)) => (c.as_ref(), Some((*reason).to_owned())),
        None => (p.contact.as_ref(), None),
    };
    if let Some(c) = shown {
        if let Some(m) = &c.home_municipality {
            contacts.push(FieldLine {
                label: t.t("field-home-municipality"),
                value: m.clone(),
            });
        }
        for a in &c.addresses {
            let place = [a.postal_code.clone(), a.post_office.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            contacts.push(FieldLine {
                label: t.t(&format!("address-{}", a.kind)),
                value: format!("{}, {place}", a.street),
            });
        }
        for phone in &c.phones {
            contacts.push(FieldLine {
                label: t.t("field-phone"),
                value: phone.clone(),
            });
        }
        for email in &c.emails {
            contacts.push(FieldLine {
                label: t.t("field-email"),
                value: email.clone(),
            });
        }
    }
    let today = kirjo_domain::calendar::helsinki_today();
    let minor = p.birth_date
        > today
            .checked_sub_months(chrono::Months::new(18 * 12))
            .unwrap_or_default();
    let prohibition_lines = prohibitions
        .iter()
        .map(|m| ProhibitionLine {
            id: m.id,
            in_force: m.in_force(today),
            documents: m
                .documents
                .as_ref()
                .map(|d| d.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")),
            end_reason: m.end_reason.clone(),
            made_on: date(m.made_on),
            accepted: m.accepted,
            reason: m.reason.clone(),
            recorded_by: m.recorded_by.clone(),
            ended: m.ended_on.map(date),
        })
        .collect();
    let relations = p
        .relations
        .iter()
        .map(|r| {
            let mut details = Vec::new();
            if let Some(scope) = &r.scope {
                details.push(t.t1("relation-scope", "scope", scope));
            }
            match r.right_of_access {
                Some(true) => details.push(t.t("relation-access-yes")),
                Some(false) => details.push(t.t("relation-access-no")),
                None => {}
            }
            match (r.valid_from, r.valid_until) {
                (Some(f), Some(u)) => details.push(format!("{}–{}", date(f), date(u))),
                (Some(f), None) => details.push(t.t1("relation-since", "date", date(f))),
                (None, Some(u)) => details.push(t.t1("relation-until", "date", date(u))),
                (None, None) => {}
            }
            details.push(t.t(&format!("source-{}", r.source)));
            RelationLine {
                kind: t.t(&format!("relation-{}", r.kind)),
                name: r.name.clone(),
                person_id: r.person_id,
                details: details.join(", "),
                guardian: r.kind == "guardian" && minor,
            }
        })
        .collect();
    let names = names(state).await;
    let li = lang_index(ctx.tr.lang);
    let relationships = rels
        .iter()
        .map(|r| RelationshipLine {
            area: names.of(&r.service_area, li),
            unit: names.of(&r.unit, li),
            started: date(r.started_on),
            ended: r.ended_on.map(date),
            worker: r.responsible_worker.clone(),
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &ClientPage {
            shell: ctx.shell(format!("{} {}", p.first_names, p.surname), Some(&actor)),
            name: format!("{} {}", p.first_names, p.surname),
            protected: p.protected,
            revealed_for,
            client_id: id,
            saved: ctx.here.contains("saved=1"),
            minor,
            prohibitions: prohibition_lines,
            deceased: p.died_on.map(date),
            fields,
            contacts,
            relations,
            relationships,
            access,
        },
    ))
}

/// `GET /clients/{id}`: the client card (basic data, family, relationships).
pub async fn client(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = page_id(&ctx, &id)?;
    client_card(&state, &ctx, id, None, None).await
}

/// A numeric id from the path; anything else is a page that does not exist.
pub(crate) fn page_id(ctx: &Ctx, id: &str) -> Result<i64, Response> {
    id.parse().map_err(|_| {
        ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            None,
        )
    })
}

/// `POST /clients/{id}`: open the client with a stated purpose.
pub async fn client_with_purpose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PurposeForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let purpose_id = f.purpose.unwrap_or_default();
    let text = f.purpose_text.unwrap_or_default().trim().to_owned();
    if purpose_id.is_empty() || text.is_empty() {
        let (_, actor) = ctx.user(&state).await?;
        return Ok(purpose_page(
            &ctx,
            &state,
            &actor,
            id,
            String::new(),
            Some(ctx.tr.t("purpose-missing")),
        ));
    }
    client_card(
        &state,
        &ctx,
        id,
        Some(StatedPurpose { purpose_id, text }),
        None,
    )
    .await
}

fn proposal_lines(
    t: &Tr,
    list: Vec<staff::ProposalRow>,
    names: &kirjo_store::register::Names,
) -> Vec<ProposalLine> {
    let li = lang_index(t.lang);
    list.into_iter()
        .map(|p| {
            let status = match p.approved {
                None => t.t("proposal-open"),
                Some(true) => t.t("proposal-approved"),
                Some(false) => t.t("proposal-rejected"),
            };
            let role = Role::ALL
                .iter()
                .find(|r| r.as_str() == p.role)
                .map_or_else(|| p.role.clone(), |r| t.t(role_key(*r)));
            ProposalLine {
                id: p.id,
                kind: t.t(&format!("proposal-kind-{}", p.kind)),
                user_id: p.user_id,
                role,
                unit: match p.service_area {
                    Some(a) => format!("{} / {}", names.of(&p.unit, li), names.of(&a, li)),
                    None => names.of(&p.unit, li),
                },
                valid: match p.valid_until {
                    Some(u) => format!("{}–{}", date(p.valid_from), date(u)),
                    None => format!("{}–", date(p.valid_from)),
                },
                reason: p.reason,
                status,
                open: p.approved.is_none(),
            }
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

async fn proposals_page(
    state: &AppState,
    ctx: &Ctx,
    heading: &str,
    done: Option<String>,
) -> PageResult {
    let (me, actor) = ctx.user(state).await?;
    let list = staff::proposals(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let (samples, deadlines) = if heading == "nav-supervision" {
        (
            Some(crate::log_pages::samples_section(state, ctx, &me, &actor).await?),
            deadline_rows(state, &me, &actor, ctx).await?,
        )
    } else {
        (None, Vec::new())
    };
    let can_decide = actor
        .roles
        .iter()
        .any(|r| r.role == Role::MainAdministrator);
    Ok(ctx.render(
        StatusCode::OK,
        &ProposalsPage {
            shell: ctx.shell(ctx.tr.t(heading), Some(&actor)),
            heading: ctx.tr.t(heading),
            can_decide,
            proposals: proposal_lines(&ctx.tr, list, &names(state).await),
            notice: done.map(|_| ctx.tr.t("saved")),
            samples,
            deadlines,
        },
    ))
}

/// `GET /supervision`: the unit supervisor's rights proposals.
pub async fn supervision(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    proposals_page(&state, &ctx, "nav-supervision", q.done).await
}

/// `GET /administration`: proposals for the main administrator to decide.
pub async fn administration(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    proposals_page(&state, &ctx, "nav-administration", q.done).await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    pub decision: String,
    pub reason: String,
}

/// `POST /administration/proposals/{id}`: approve or reject (needs the
/// password given recently).
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    if me.require_recent_auth(&state).is_err() {
        return Ok(see_other("/reauth?back=/administration"));
    }
    if f.reason.trim().is_empty() {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("decision-reason-missing"),
            Some(&actor),
        ));
    }
    staff::decide(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        f.decision == "approve",
        f.reason.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other("/administration?done=1"))
}

/// `GET /data-protection`: accesses flagged for review.
pub async fn data_protection(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let flags = monitoring::open_flags(&state.db, &me.caller, &state.gate)
        .await
        .map_err(|e| ctx.gate_error(e, &actor))?;
    let flags = flags
        .into_iter()
        .map(|f| FlagLine {
            id: f.id,
            kind: ctx.tr.t(&format!("flag-{}", f.kind)),
            user: f.user_name,
            client_id: f.client_id,
            at: helsinki_time(f.logged_at),
            explanation: f.explanation,
        })
        .collect();
    Ok(ctx.render(
        StatusCode::OK,
        &FlagsPage {
            shell: ctx.shell(ctx.tr.t("nav-data-protection"), Some(&actor)),
            heading: ctx.tr.t("nav-data-protection"),
            flags,
            notice: q.done.map(|_| ctx.tr.t("saved")),
        },
    ))
}

/// Finnish time for display: UTC+2, or +3 in summer (EU rules: from the
/// last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
pub fn helsinki_time(t: chrono::DateTime<chrono::Utc>) -> String {
    kirjo_domain::calendar::helsinki(t)
        .format("%-d.%-m.%Y %H.%M")
        .to_string()
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    pub outcome: String,
    pub note: String,
}

/// The outcome of a review form, with its note required.
pub(crate) fn review_outcome(
    ctx: &Ctx,
    actor: &Actor,
    outcome: &str,
    note: &str,
) -> Result<monitoring::Outcome, Response> {
    let outcome: monitoring::Outcome =
        serde_json::from_value(serde_json::Value::String(outcome.to_owned())).map_err(|_| {
            ctx.error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.tr.t("review-bad"),
                Some(actor),
            )
        })?;
    if note.trim().is_empty() {
        return Err(ctx.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.t("review-note-missing"),
            Some(actor),
        ));
    }
    Ok(outcome)
}

/// `POST /data-protection/flags/{id}`: record the review of a flag.
pub async fn review_flag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let outcome = review_outcome(&ctx, &actor, &f.outcome, &f.note)?;
    monitoring::review_flag(
        &state.db,
        &me.caller,
        &state.gate,
        id,
        outcome,
        f.note.trim(),
    )
    .await
    .map_err(|e| ctx.gate_error(e, &actor))?;
    Ok(see_other("/data-protection?done=1"))
}

/// `GET /accessibility`: the accessibility statement (saavutettavuusseloste).
pub async fn accessibility(State(state): State<AppState>, ctx: Ctx) -> Response {
    let actor = match ctx.user(&state).await {
        Ok((_, a)) => Some(a),
        Err(_) => None,
    };
    ctx.render(
        StatusCode::OK,
        &AccessibilityPage {
            shell: ctx.shell(ctx.tr.t("a11y-title"), actor.as_ref()),
        },
    )
}

/// Any other page: not found.
pub async fn not_found(ctx: Ctx) -> Response {
    ctx.error(
        StatusCode::NOT_FOUND,
        ctx.tr.t("error-not-found-text"),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helsinki_time_follows_summer_time() {
        let at = |s: &str| {
            s.parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap_or_default()
        };
        assert_eq!(helsinki_time(at("2026-01-15T10:00:00Z")), "15.1.2026 12.00");
        assert_eq!(helsinki_time(at("2026-07-01T10:00:00Z")), "1.7.2026 13.00");
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(helsinki_time(at("2026-03-29T00:59:00Z")), "29.3.2026 02.59");
        assert_eq!(helsinki_time(at("2026-03-29T01:00:00Z")), "29.3.2026 04.00");
        assert_eq!(
            helsinki_time(at("2026-10-25T00:59:00Z")),
            "25.10.2026 03.59"
        );
        assert_eq!(
            helsinki_time(at("2026-10-25T01:00:00Z")),
            "25.10.2026 03.00"
        );
    }

    /// Keys made from data (a relation's kind, a flag's) are in every
    /// language too: the i18n test cannot see them in the code.
    #[test]
    fn keys_built_from_kinds_are_translated() {
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            clients::RELATION_KINDS
                .iter()
                .map(|k| format!("relation-{k}")),
        );
        keys.extend(["permanent", "temporary", "postal"].map(|k| format!("address-{k}")));
        keys.extend(["vtj", "client", "worker"].map(|k| format!("source-{k}")));
        keys.extend(["grant", "change", "remove"].map(|k| format!("proposal-kind-{k}")));
        keys.extend(
            [
                "outside_relationship",
                "turvakielto",
                "own_family",
                "same_surname",
                "same_address",
                "many_clients_in_hour",
                "outside_working_hours",
            ]
            .map(|k| format!("flag-{k}")),
        );
        keys.extend(Role::ALL.iter().map(|r| role_key(*r).to_owned()));
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            let t = Tr::new(lang);
            for key in &keys {
                assert_ne!(&t.t(key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/clients/3")), "/clients/3");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("/\t/evil.example/")), "/");
        assert_eq!(local_path(Some("/\n/evil.example/")), "/");
        assert_eq!(local_path(Some("/ /evil.example/")), "/");
        assert_eq!(
            local_path(Some("/search?name=M%C3%A4kinen")),
            "/search?name=M%C3%A4kinen"
        );
        assert_eq!(local_path(None), "/");
    }
}
