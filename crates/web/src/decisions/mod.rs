//! Decisions as acts of a decision maker (docs/decisions.md): deciding a
//! draft (only its named decision maker, with a fresh step-up), recording
//! its serving to each party, marking it final, and its printout-ready
//! data with the appeal instructions of its legal basis.

pub mod api;
pub mod pages;

use crate::shared::route::In;
use crate::shared::route::Operation;
use crate::shared::route::Param;
use crate::shared::route::Route;
use crate::shared::route::ID;
use kirjo_access::Action;

/// This feature's routes.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("POST", "/documents/{id}/decide", Some(Action::ViewDocument), pages::decide),
        Route::new("POST", "/documents/{id}/service", Some(Action::WriteDocument), pages::service),
        Route::new("POST", "/documents/{id}/final", Some(Action::WriteDocument), pages::final_),
        Route::api(
            Operation {
                method: "POST",
                path: "/api/documents/{id}/decide",
                summary: "Decide a decision draft (completing it): only the decision maker the draft names, whoever drafted it, who must have the client in the decision's service area. Needs a fresh step-up: with a second factor, its code given again within the re-authentication window (POST /api/session/reauth with password and code); without one, the password. The legal basis must have a configured appeal template: its means, instructions and period go into the decision. Records who decided and when, with their first names and surname from the staff table. From the revision read (If-Match).",
                params: &[ID],
                body: None,
                returns: "204 with the new ETag; 403 (logged) for anyone but the named decision maker, with the explanation; 401 (logged) without a fresh step-up; 422 when the legal basis has no template; 409 when stale.",
            },
            Some(Action::ViewDocument),
            api::decide,
        ),
        Route::api(
            Operation {
                method: "POST",
                path: "/api/documents/{id}/service",
                summary: "Record how a decided decision was served to one of its parties (tiedoksianto), once per party: by post (the day of service is the 7th day after sending unless a receipt shows another day, Administrative Procedure Act 434/2003 §59), in person (the day handed over) or electronically (the 3rd day after sending, Act on Electronic Services 13/2003 §19). Kirjo computes the day of service and the appeal period's last day (moved to the next weekday, Act 150/1930 §5).",
                params: &[ID],
                body: Some(r#"{"type":"object","required":["party","method","sent_on"],"additionalProperties":false,"properties":{"party":{"type":"integer","minimum":0,"description":"The party's place in the decision's list, from 0."},"method":{"type":"string","enum":["post","in_person","electronic"]},"sent_on":{"type":"string","format":"date","description":"The day it was sent, or handed over."},"receipt_on":{"type":"string","format":"date","description":"By post only: the day a receipt shows."}}}"#),
                returns: "201 with served_on and appeal_ends_on; 422 for a date that cannot be; 409 when that party's service is recorded already.",
            },
            Some(Action::WriteDocument),
            api::service,
        ),
        Route::api(
            Operation {
                method: "POST",
                path: "/api/documents/{id}/final",
                summary: "Mark a decided decision final (lainvoimainen), a logged act: `appeal_periods_passed` only after every party has been served and their appeal periods have passed; `appeal_waived` before that, with the reason.",
                params: &[ID],
                body: Some(r#"{"type":"object","required":["ground"],"additionalProperties":false,"properties":{"ground":{"type":"string","enum":["appeal_periods_passed","appeal_waived"]},"reason":{"type":"string","description":"Needed for appeal_waived."}}}"#),
                returns: "204; 422 before the appeal periods have passed, or without a reason; 409 when final already.",
            },
            Some(Action::WriteDocument),
            api::final_,
        ),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/documents/{id}/decision",
                summary: "A decided decision's printout-ready data: its content, the decision maker's first names, surname and title, when it was decided, each party's serving (method, sent, day of service, last day of appeal), the appeal deadline and the appeal instructions of its legal basis in Finnish, Swedish and English, and whether it is final. A logged read.",
                params: &[ID],
                body: None,
                returns: "The printout data; 403 for a draft or another kind.",
            },
            Some(Action::ViewDocument),
            api::printout,
        ),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/decision-makers",
                summary: "Who may be named a decision's decision maker in a service area: the controller's staff with a client worker's or unit supervisor's role in force there (staff, not client data).",
                params: &[Param("area", In::Query, "string", true, "The service area (sub-register id).")],
                body: None,
                returns: "The users: id, name, first_names, surname, title.",
            },
            Some(Action::WriteDocument),
            api::makers,
        ),
    ]
}
