//! The decision's forms on the document's page: deciding it, recording its
//! serving to a party, and marking it final. Each answers with the
//! document's page again; input with problems the page with each problem
//! at its field and what was typed kept (422); any other refusal an error
//! page that says why.

use crate::decisions::api::{decide_as, service_input};
use crate::documents::read::{show, Again, FinalAgain, ServiceAgain};
use crate::shared::fields::FieldError;
use crate::shared::page::page_id;
use crate::shared::page::see_other;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::state::AppState;
use crate::shared::Refusal;
use axum::extract::Path;
use axum::extract::State;
use axum::Form;
use kirjo_domain::decision::{FinalGround, FinalProblem, ServiceProblem};
use kirjo_store::decisions;
use kirjo_store::gate::GateError;
use serde::Deserialize;
use std::collections::BTreeMap;

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

/// `POST /documents/{id}/service`: a party's serving. Input with problems
/// answers the document's page again (422), each problem at its field and
/// what was typed kept.
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
    let errors = match done {
        Ok(()) => return Ok(see_other(&format!("/documents/{id}#decision-heading"))),
        Err(r) => at_fields(r, |e| {
            ServiceProblem::of_explanation(e).map(|p| (p.field(), p.say(ctx.tr.lang)))
        }),
    };
    match errors {
        Ok(errors) => {
            let again = Again::Service(ServiceAgain {
                party: f.party,
                method: f.method,
                sent_on: f.sent_on,
                receipt_on: f.receipt_on,
                errors,
            });
            show(&state, &ctx, &me, &actor, id, Some(again)).await
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}

/// A refusal's problems by their fields, where it is about the input: the
/// input's own, or the gate's refusal that `known` maps to a field and its
/// message. Any other refusal as it is.
fn at_fields(
    r: Refusal,
    known: impl Fn(&str) -> Option<(&'static str, &'static str)>,
) -> Result<BTreeMap<String, String>, Refusal> {
    match r {
        Refusal::Fields(errors) => Ok(errors.into_iter().map(|e| (e.field, e.message)).collect()),
        Refusal::Gate(GateError::Invalid { explanation }) => match known(&explanation) {
            Some((field, message)) => Ok(BTreeMap::from([(field.to_owned(), message.to_owned())])),
            None => Err(Refusal::Gate(GateError::Invalid { explanation })),
        },
        r => Err(r),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FinalForm {
    #[serde(default)]
    pub ground: String,
    #[serde(default)]
    pub reason: String,
}

/// `POST /documents/{id}/final`: marks the decision final; a problem
/// answers the page again as [`service`] does.
pub async fn final_(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<FinalForm>,
) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    let lang = ctx.tr.lang;
    let done = async {
        let ground = FinalGround::parse(&f.ground).ok_or_else(|| {
            Refusal::Fields(vec![FieldError {
                field: "ground".into(),
                message: kirjo_domain::forms::say(kirjo_domain::forms::CHOOSE, lang).to_owned(),
            }])
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
    let errors = match done {
        Ok(()) => return Ok(see_other(&format!("/documents/{id}#decision-heading"))),
        Err(r) => at_fields(r, |e| {
            FinalProblem::of_explanation(e).map(|p| (p.field(), p.say(lang)))
        }),
    };
    match errors {
        Ok(errors) => {
            let again = Again::Final(FinalAgain {
                ground: f.ground,
                reason: f.reason,
                errors,
            });
            show(&state, &ctx, &me, &actor, id, Some(again)).await
        }
        Err(r) => Err(ctx.refused(r, &actor)),
    }
}
