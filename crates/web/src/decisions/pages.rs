//! The decision's forms on the document's page: deciding it, recording its
//! serving to a party, and marking it final. Each answers with the
//! document's page again; a refusal with an error page that says why.

use crate::decisions::api::{decide_as, service_input};
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::State;
use axum::Form;
use kirjo_domain::decision::FinalGround;
use kirjo_store::decisions;
use kirjo_store::gate::GateError;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub revision: String,
}

/// `POST /documents/{id}/decide`: the named decision maker decides; without
/// a fresh step-up, to `/reauth` (password and code) and back.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let revision = crate::shared::revision::parse(&f.revision).unwrap_or(0);
    match decide_as(&state, &me, id, revision).await {
        Ok(_) => Ok(see_other(&format!("/documents/{id}"))),
        Err(Refusal::Gate(GateError::StepUp { .. })) => {
            Ok(see_other(&format!("/reauth?back=/documents/{id}")))
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ServiceForm {
    #[serde(default)]
    pub party: usize,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub sent_on: String,
    #[serde(default)]
    pub receipt_on: String,
}

/// `POST /documents/{id}/service`: a party's serving.
pub async fn service(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ServiceForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let done = async {
        let input = service_input(f.party, &f.method, &f.sent_on, &f.receipt_on, ctx.tr.lang)?;
        let client = crate::documents::actions::client_of(&state, id).await?;
        decisions::record_service(&state.db, &me.caller, &state.gate, client, id, &input).await?;
        Ok::<(), Refusal>(())
    }
    .await;
    match done {
        Ok(()) => Ok(see_other(&format!("/documents/{id}#decision-heading"))),
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FinalForm {
    #[serde(default)]
    pub ground: String,
    #[serde(default)]
    pub reason: String,
}

/// `POST /documents/{id}/final`: marks the decision final.
pub async fn final_(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<FinalForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let done = async {
        let ground = FinalGround::parse(&f.ground).ok_or_else(|| {
            crate::shared::error::ApiError::bad_request("choose why the decision is final")
        })?;
        let client = crate::documents::actions::client_of(&state, id).await?;
        decisions::mark_final(
            &state.db,
            &me.caller,
            &state.gate,
            client,
            id,
            ground,
            &f.reason,
        )
        .await?;
        Ok::<(), Refusal>(())
    }
    .await;
    match done {
        Ok(()) => Ok(see_other(&format!("/documents/{id}#decision-heading"))),
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}
