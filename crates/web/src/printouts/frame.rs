//! The frame of every printout: letterhead from the register description,
//! the confidentiality marking with its ground, the words of the frame in
//! the printout's language.

use crate::shared::state::RegisterConfig;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kirjo_domain::contact::Lang;
use kirjo_print::{Confidential, Frame, Letterhead};

/// A word of a printout in its language.
pub fn t(lang: Lang, fi: &'static str, sv: &'static str, en: &'static str) -> String {
    kirjo_domain::forms::say([fi, sv, en], lang).to_owned()
}

/// The frame of a printout. `client`: the client's name, for a printout
/// of client data (which is then marked confidential).
pub fn frame(reg: &RegisterConfig, lang: Lang, title: String, client: Option<String>) -> Frame {
    let c = &reg.description.controller;
    let now = kirjo_domain::calendar::helsinki(chrono::Utc::now());
    let confidential = client.as_ref().map(|_| Confidential {
        label: t(lang, "Salassa pidettävä", "Sekretessbelagd", "Confidential"),
        ground: reg
            .description
            .registers
            .first()
            .map(|r| r.confidentiality_ground.get(lang).to_owned())
            .unwrap_or_default(),
    });
    Frame {
        lang: lang.as_str().to_owned(),
        title,
        letterhead: Letterhead {
            name: c.name.clone(),
            address: c.address.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            business_id: format!(
                "{} {}",
                t(lang, "Y-tunnus", "FO-nummer", "Business ID"),
                c.business_id
            ),
        },
        client,
        confidential,
        page_word: t(lang, "Sivu", "Sida", "Page"),
        printed: format!(
            "{} {} {}",
            t(lang, "Tulostettu", "Utskriven", "Printed"),
            now.format("%-d.%-m.%Y %H.%M"),
            "(Kirjo)"
        ),
    }
}

/// A PDF answer, or 500 when typst refused (logged without content).
pub fn pdf_answer(result: Result<Vec<u8>, kirjo_print::PrintError>, file: &str) -> Response {
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{file}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "printout failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "printout failed").into_response()
        }
    }
}
