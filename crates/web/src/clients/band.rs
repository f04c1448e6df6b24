//! The client band: whose page this is, on every client page (the card,
//! the timeline, the forms of new documents), so that nothing is written
//! about the wrong child. Its data are read under the page's own access to
//! the client, through the gate, and logged as the page's read is.

use crate::shared::i18n::Tr;
use crate::shared::page::Ctx;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use crate::shared::ApiError;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use kirjo_access::Action;
use kirjo_access::Actor;
use kirjo_store::clients::Band;

/// The band as a page shows it.
#[derive(Debug, Clone)]
pub struct BandView {
    pub id: i64,
    pub name: String,
    pub identity_code: String,
    pub age: String,
    pub protected: bool,
    pub deceased: bool,
    pub workers: String,
    /// The name links to the card (not on the card itself).
    pub link: bool,
}

/// Full years from `born` to `on`.
fn years(born: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut y = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        y -= 1;
    }
    y.max(0)
}

impl BandView {
    pub fn of(b: &Band, t: &Tr) -> Self {
        let today = kirjo_domain::calendar::helsinki_today();
        let on = b.died_on.map_or(today, |d| d.min(today));
        BandView {
            id: b.id,
            name: format!("{} {}", b.first_names, b.surname),
            identity_code: b.identity_code.clone().unwrap_or_else(|| t.t("field-none")),
            age: t.t1("band-age", "years", years(b.birth_date, on)),
            protected: b.protected,
            deceased: b.died_on.is_some(),
            workers: if b.workers.is_empty() {
                t.t("field-none")
            } else {
                b.workers.join(", ")
            },
            link: true,
        }
    }
}

/// The band of a page that reads nothing else of the client (a new
/// document's form): read through the gate as `ViewBasicData`, logged
/// with `what`. With `offers`, the page is a form for that action: it is
/// refused at once (the attempt logged as denied) to a user whom the gate
/// would refuse the action, before anything is typed into it.
pub async fn read(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    client: i64,
    what: &str,
    offers: Option<Action>,
) -> Result<BandView, Response> {
    let mut g = kirjo_store::gate::enter_on_client(
        &state.db,
        &me.caller,
        &state.gate,
        Action::ViewBasicData,
        client,
        what,
        None,
    )
    .await
    .map_err(|e| ctx.gate_error(e, actor))?;
    if let Some(action) = offers.filter(|a| !g.access.would_allow(*a)) {
        let e = g
            .deny(format!(
                "denied: the form offers {} on this client, which the user may not do",
                action.as_str()
            ))
            .await;
        return Err(ctx.gate_error(e, actor));
    }
    let pending = kirjo_store::clients::band(&mut g)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(actor)))?;
    let band = g
        .finish(pending)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), Some(actor)))?;
    band.map(|b| BandView::of(&b, &ctx.tr)).ok_or_else(|| {
        ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-no-client"),
            Some(actor),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_years_turn_on_the_birthday() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(years(d(2014, 3, 17), d(2026, 3, 16)), 11);
        assert_eq!(years(d(2014, 3, 17), d(2026, 3, 17)), 12);
        assert_eq!(years(d(2000, 2, 29), d(2001, 2, 28)), 0);
    }
}
