//! The document actions that both the API and the pages take, each written
//! once: its input checks, its gate call and its error mapping. The API
//! answers the result as JSON, the pages as a redirect, or the form again
//! with each problem at its field.

use crate::shared::fields::FieldError;
use crate::shared::i18n::Tr;
use crate::shared::{AppState, Refusal};
use kirjo_domain::contact::Lang;
use kirjo_domain::document::Content;
use kirjo_store::documents::{self, DraftStep};
use kirjo_store::gate::{Caller, GateError};

/// A document's content as checked, or every problem with it.
pub type Checked = Result<Content, Vec<FieldError>>;

/// The client whose document `id` is; 404 when there is no such document.
pub async fn client_of(state: &AppState, id: i64) -> Result<i64, Refusal> {
    documents::client_of(&state.db, id)
        .await?
        .ok_or(Refusal::NotFound)
}

/// A new document in the service task `task`, as the user's draft. A
/// missing task is the first problem named.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    client: i64,
    task: &str,
    content: Checked,
    lang: Lang,
) -> Result<i64, Refusal> {
    let task = task.trim();
    let content = match (content, task.is_empty()) {
        (Ok(c), false) => c,
        (Ok(_), true) => {
            return Err(Refusal::Fields(vec![
                crate::documents::input::task_missing(lang),
            ]))
        }
        (Err(mut e), missing) => {
            if missing {
                e.insert(0, crate::documents::input::task_missing(lang));
            }
            return Err(Refusal::Fields(e));
        }
    };
    documents::create(&state.db, caller, &state.gate, client, task, &content)
        .await
        .map_err(|e| at_date_field(e, &content, lang))
}

/// A refusal of a day before the client's birth (made after the gate, and
/// logged there) as the date field's problem, so that the form is shown
/// again with it; any other refusal as it is.
fn at_date_field(e: GateError, content: &Content, lang: Lang) -> Refusal {
    match e {
        GateError::Invalid { explanation } if explanation == documents::BEFORE_BIRTH => {
            Refusal::Fields(vec![FieldError {
                field: match content {
                    Content::Form(_) => "fields.date",
                    _ => "date",
                }
                .to_owned(),
                message: kirjo_domain::edge::DateProblem::BeforeBirth
                    .message(lang)
                    .to_owned(),
            }])
        }
        e => Refusal::Gate(e),
    }
}

/// A step of a draft of the user's own, from the revision read: saved with
/// new content, completed or discarded. Returns the document's client and
/// its new revision.
pub async fn step(
    state: &AppState,
    caller: &Caller,
    id: i64,
    step: DraftStep,
    content: Option<Checked>,
    revision: i64,
) -> Result<(i64, i64), Refusal> {
    let content = content.transpose().map_err(Refusal::Fields)?;
    let client = client_of(state, id).await?;
    let new = documents::draft_step(
        &state.db,
        caller,
        &state.gate,
        client,
        id,
        step,
        content.as_ref(),
        revision,
    )
    .await?;
    Ok((client, new))
}

/// A new version of a completed document, with the reason it is corrected.
/// Returns the new version's id.
pub async fn correct(
    state: &AppState,
    caller: &Caller,
    id: i64,
    content: Checked,
    reason: &str,
    lang: Lang,
) -> Result<i64, Refusal> {
    let mut errors = Vec::new();
    let content = content.map_err(|e| errors.extend(e)).ok();
    let reason = reason.trim();
    if let Err(p) = kirjo_domain::edge::check_text(reason, true) {
        errors.push(FieldError {
            field: "reason".to_owned(),
            message: p.message(lang).to_owned(),
        });
    } else if reason.is_empty() {
        errors.push(FieldError {
            field: "reason".to_owned(),
            message: Tr::new(lang).t("narrative-reason-missing"),
        });
    }
    let Some(content) = content.filter(|_| errors.is_empty()) else {
        return Err(Refusal::Fields(errors));
    };
    let client = client_of(state, id).await?;
    documents::correct(&state.db, caller, &state.gate, client, id, &content, reason)
        .await
        .map_err(|e| at_date_field(e, &content, lang))
}

/// The timeline's filters, as both the API and the page take them; an
/// empty one is no filter.
#[derive(Debug, Default, serde::Deserialize)]
pub struct TimelineQuery {
    /// Only this service area (sub-register id).
    pub area: Option<String>,
    /// Only this kind of document.
    pub kind: Option<String>,
    /// The page of documents, from 1.
    pub page: Option<String>,
}

/// Documents on one page of a timeline.
pub const TIMELINE_ROWS: i64 = 100;

/// One page of a client's timeline: which page, how many documents there
/// are in all, and this page's.
pub struct TimelinePage {
    pub page: i64,
    pub total: i64,
    pub lines: Vec<documents::TimelineLine>,
    /// Whose timeline it is (read under the same access).
    pub band: Option<kirjo_store::clients::Band>,
    /// The user would be allowed to write a document for the client.
    pub may_write: bool,
}

/// The client's timeline (Action::ViewDocument): the latest version of each
/// completed document in the service areas where the user has the client,
/// and the user's own drafts, newest first, a page at a time.
pub async fn timeline(
    state: &AppState,
    caller: &Caller,
    client: i64,
    q: &TimelineQuery,
    lang: Lang,
) -> Result<TimelinePage, Refusal> {
    fn given(s: &Option<String>) -> Option<&str> {
        s.as_deref().filter(|s| !s.is_empty())
    }
    let (page, rows) =
        crate::shared::pager::asked_or_refused(q.page.as_deref(), TIMELINE_ROWS, lang)?;
    let (total, lines, band, may_write) = documents::timeline_with_band(
        &state.db,
        caller,
        &state.gate,
        client,
        given(&q.area),
        given(&q.kind),
        rows,
    )
    .await?;
    Ok(TimelinePage {
        page,
        total,
        lines,
        band,
        may_write,
    })
}
