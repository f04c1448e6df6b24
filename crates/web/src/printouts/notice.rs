//! `GET /privacy-notice` and `/privacy-notice/pdf`: the privacy notice and
//! the record of processing activities of every register, made from the
//! configuration Kirjo enforces. Public: no sign-in, no client data.

use super::frame;
use crate::shared::fields::LangQuery;
use crate::shared::i18n::{Tr, LANGUAGES};
use crate::shared::page::{Ctx, Shell};
use crate::shared::state::{AppState, RegisterConfig};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kirjo_domain::contact::Lang;
use kirjo_domain::notice::{self, Notice};

/// The asked language, else the page's.
fn lang_of(q: &LangQuery, ctx: &Ctx) -> Lang {
    q.lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(ctx.tr.lang)
}

pub struct LangLink {
    pub code: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "printouts/notice.html")]
pub struct NoticePage {
    pub shell: Shell,
    pub notices: Vec<Notice>,
    pub langs: Vec<LangLink>,
    pub pdf_href: String,
}

/// `GET /privacy-notice?lang=`.
pub async fn page(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = lang_of(&q, &ctx);
    ctx.tr = Tr::new(lang);
    let Some(reg) = state.register.as_deref() else {
        return not_configured();
    };
    let notices = notice::all(&reg.description, reg.facts, lang);
    let title = notices.first().map(|n| n.title.clone()).unwrap_or_default();
    let langs = LANGUAGES
        .iter()
        .map(|(l, label)| LangLink {
            code: l.as_str(),
            label,
            current: *l == lang,
        })
        .collect();
    ctx.render(
        StatusCode::OK,
        &NoticePage {
            shell: ctx.shell(title, None),
            notices,
            langs,
            pdf_href: format!("/privacy-notice/pdf?lang={}", lang.as_str()),
        },
    )
}

/// Kirjo always serves with a register description; an application state
/// made without one (some tests) has no notice to give.
fn not_configured() -> Response {
    use axum::response::IntoResponse;
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "no register description configured",
    )
        .into_response()
}

#[derive(serde::Serialize)]
struct NoticeData {
    notices: Vec<Notice>,
}

/// The notice and the record of every register as a PDF (also `kirjo
/// register notice --pdf`).
pub fn render(reg: &RegisterConfig, lang: Lang) -> Result<Vec<u8>, kirjo_print::PrintError> {
    let notices = notice::all(&reg.description, reg.facts, lang);
    let title = frame::t(
        lang,
        "Tietosuojaseloste",
        "Dataskyddsbeskrivning",
        "Privacy notice",
    );
    let fr = frame::frame(reg, lang, title, None);
    kirjo_print::render(kirjo_print::Kind::Notice, &fr, &NoticeData { notices })
}

/// `GET /privacy-notice/pdf?lang=`: the same as a PDF.
pub async fn pdf(State(state): State<AppState>, ctx: Ctx, Query(q): Query<LangQuery>) -> Response {
    let lang = lang_of(&q, &ctx);
    let Some(reg) = state.register.clone() else {
        return not_configured();
    };
    let result = tokio::task::spawn_blocking(move || render(&reg, lang))
        .await
        .unwrap_or_else(|e| Err(kirjo_print::PrintError::Typst(e.to_string())));
    frame::pdf_answer(result, &format!("privacy-notice-{}.pdf", lang.as_str()))
}
