//! A client's log extract (703/2023 §10-11), taken once for both the API
//! (JSON or CSV) and the page: the gate's entry with the period in the use
//! log, and the extract.

use crate::shared::{AppState, Refusal};
use chrono::{DateTime, Utc};
use kirjo_access::Action;
use kirjo_store::extract::{self, Extract};
use kirjo_store::gate::{enter_on_client, Caller, GateError};
use kirjo_store::Page;

/// The uses and disclosures of client `id`'s data from `from` to `to`.
pub async fn client_extract(
    state: &AppState,
    caller: &Caller,
    id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    page: Page,
) -> Result<Extract, Refusal> {
    let data = format!("log extract {} .. {}", from.to_rfc3339(), to.to_rfc3339());
    let mut g = enter_on_client(
        &state.db,
        caller,
        &state.gate,
        Action::ViewLogExtract,
        id,
        &data,
        None,
    )
    .await?;
    let pending = extract::client_extract(&mut g, from, to, page).await?;
    g.finish(pending)
        .await?
        .ok_or(Refusal::Gate(GateError::NoSuchClient))
}
