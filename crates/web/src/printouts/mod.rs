//! Printouts: the public privacy notice (HTML and PDF, no sign-in) and the
//! PDFs of client data, rendered in-process by `kirjo-print` (typst). A
//! printout of client data is a logged use through the gate
//! (`Action::Print`); its every page names the client, says "Salassa
//! pidettävä" with the register's legal ground and numbers the page, in
//! the client's language of service unless `?lang=` asks for another.

pub mod decision;
pub mod frame;
pub mod notice;

use crate::shared::route::Route;
use kirjo_access::Action;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/privacy-notice", None, notice::page),
        Route::new("GET", "/privacy-notice/pdf", None, notice::pdf),
        Route::new(
            "GET",
            "/documents/{id}/decision.pdf",
            Some(Action::Print),
            decision::pdf,
        ),
    ]
}
