use crate::shared::error::ApiError;
use crate::shared::i18n::Tr;
use crate::shared::i18n::LANGUAGES;
pub(crate) use crate::shared::session::cookie_value;
use crate::shared::session::AnySession;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use kirjo_access::Actor;
use kirjo_access::Role;
use kirjo_domain::contact::Lang;
use kirjo_store::gate::GateError;
use kirjo_store::staff::Stage;

pub const CSRF_COOKIE: &str = "kirjo_csrf";

pub const LANG_COOKIE: &str = "kirjo_lang";

/// A page's answer: the page, or a redirect or error page instead.
pub type PageResult = Result<Response, Response>;

/// What every page knows of its request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    /// The token of this page's forms ([`crate::shared::csrf::form_token`]).
    pub csrf: String,
    /// The CSRF cookie's value.
    csrf_cookie: String,
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

fn random_hex() -> Option<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).ok()?;
    Some(hex::encode(b))
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let had_cookie =
            crate::shared::session::token_from(&parts.headers).is_some_and(|t| !t.is_empty());
        let session = if had_cookie {
            match AnySession::from_request_parts(parts, state).await {
                Ok(s) => Some(s),
                // An unreachable database is not an ended session: 503.
                Err(e) if e.status == StatusCode::SERVICE_UNAVAILABLE => {
                    return Err(e.into_response())
                }
                Err(_) => None,
            }
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
            None => crate::shared::fields::lang(None, &parts.headers),
        };
        let (csrf_cookie, new_csrf) = match cookie_value(&parts.headers, CSRF_COOKIE) {
            Some(c) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => (c, false),
            _ => (
                random_hex().ok_or_else(|| ApiError::internal("no randomness").into_response())?,
                true,
            ),
        };
        let csrf = crate::shared::csrf::form_token(
            &csrf_cookie,
            cookie_value(&parts.headers, crate::shared::session::COOKIE).as_deref(),
        );
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(Ctx {
            tr: Tr::new(lang),
            csrf,
            csrf_cookie,
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
    items.push((
        "/matters",
        "nav-matters",
        has(&[Role::ClientWorker, Role::UnitSupervisor]),
    ));
    items.push(("/search", "nav-search", has(&client_roles)));
    items.push((
        "/supervision",
        "nav-supervision",
        has(&[Role::UnitSupervisor]),
    ));
    items.push((
        "/statistics",
        "nav-statistics",
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
            // One tab at a time: a client's own pages (and adding a
            // person) belong to the search, "my clients" is its list only.
            current: match href {
                "/" => path == "/",
                "/clients" => path == "/clients",
                "/search" => path == "/search" || path.starts_with("/clients/"),
                _ => path == href || path.starts_with(&format!("{href}/")),
            },
        })
        .collect()
}

impl Ctx {
    /// The shell of a page answered with a new session's cookie: its
    /// forms carry that session's token.
    pub fn shell_of_session(&self, title: String, session: &str) -> Shell {
        Shell {
            csrf: crate::shared::csrf::form_token(&self.csrf_cookie, Some(session)),
            ..self.shell(title, None)
        }
    }

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
                        self.csrf_cookie,
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

    pub(crate) fn secure_flag(&self) -> &'static str {
        if self.secure {
            "; Secure"
        } else {
            ""
        }
    }

    pub(crate) fn sign_in_redirect(&self) -> Response {
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
    pub async fn user(&self, _state: &AppState) -> Result<(SignedIn, Actor), Response> {
        let Some(s) = self.session.clone() else {
            return Err(self.sign_in_redirect());
        };
        match s.session.stage {
            Stage::SecondFactor => return Err(see_other("/sign-in/second-factor")),
            Stage::Enrol => return Err(see_other("/account/second-factor")),
            Stage::SignedIn => {}
        }
        // The user's own facts came with the session, in its statement.
        let actor = s.session.actor.clone();
        let me = s.signed_in().map_err(IntoResponse::into_response)?;
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
            GateError::Invalid { explanation } => {
                self.error(StatusCode::UNPROCESSABLE_ENTITY, explanation, Some(actor))
            }
            GateError::Conflict { .. } => self.error(
                StatusCode::CONFLICT,
                self.tr.t("conflict-reload"),
                Some(actor),
            ),
            GateError::StepUp { explanation } => {
                self.error(StatusCode::UNAUTHORIZED, explanation, Some(actor))
            }
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

pub(crate) fn role_key(role: Role) -> &'static str {
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

/// Finnish time for display: UTC+2, or +3 in summer (EU rules: from the
/// last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
pub fn helsinki_time(t: chrono::DateTime<chrono::Utc>) -> String {
    kirjo_domain::calendar::helsinki(t)
        .format("%-d.%-m.%Y %H.%M")
        .to_string()
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
    use kirjo_store::clients;

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
                "relationship_opened",
                "relationship_by_purpose",
                "relationship_backdated",
                "relation_to_unseen",
            ]
            .map(|k| format!("flag-{k}")),
        );
        keys.extend(
            [
                "basis",
                "document_id",
                "responsible_worker_id",
                "purpose",
                "backdating_reason",
            ]
            .map(|k| format!("relationship-refused-{k}")),
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
