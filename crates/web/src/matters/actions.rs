//! Opening a matter and recording a step: checked, decided by the gate and
//! refused the same way for the API and the pages. Input with problems is
//! still taken to the gate, so that the attempt is decided and logged.

use super::input::{check_open, check_phase, refusal, refused_fields, OpenInput, PhaseInput};
use crate::shared::state::AppState;
use crate::shared::Refusal;
use kirjo_domain::calendar::helsinki_today;
use kirjo_domain::contact::Lang;
use kirjo_store::gate::{Caller, GateError};
use kirjo_store::matters::Opened;

/// Opens a matter on `client`, or joins its document to the open one.
pub async fn open(
    state: &AppState,
    caller: &Caller,
    client: i64,
    input: &OpenInput,
    lang: Lang,
) -> Result<Opened, Refusal> {
    let checked = check_open(input, lang, helsinki_today());
    let why = checked.as_ref().err().map(|e| refused_fields(e));
    let given = checked
        .as_ref()
        .map_err(|_| why.as_deref().unwrap_or_default());
    match kirjo_store::matters::open(&state.db, caller, &state.gate, client, given).await {
        Ok(Ok(opened)) => Ok(opened),
        Ok(Err(p)) => Err(refusal(p, lang)),
        Err(GateError::Invalid { .. }) if checked.is_err() => {
            Err(Refusal::Fields(checked.err().unwrap_or_default()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a step of `matter`.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    matter: i64,
    input: &PhaseInput,
    lang: Lang,
) -> Result<(), Refusal> {
    let checked = check_phase(input, lang, helsinki_today());
    let why = checked.as_ref().err().map(|e| refused_fields(e));
    let given = checked
        .as_ref()
        .map_err(|_| why.as_deref().unwrap_or_default());
    match kirjo_store::matters::record_phase(&state.db, caller, &state.gate, matter, given).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(p)) => Err(refusal(p, lang)),
        Err(GateError::Invalid { .. }) if checked.is_err() => {
            Err(Refusal::Fields(checked.err().unwrap_or_default()))
        }
        Err(e) => Err(e.into()),
    }
}
