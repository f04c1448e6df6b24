use crate::documents::form::form_page;
use crate::documents::form::summary;
use crate::documents::form::DocForm;
use crate::documents::form::FormPage;
use crate::documents::form::FormView;
use crate::documents::form::Place;
use crate::shared::error::ApiError;
use crate::shared::page::helsinki_time;
use crate::shared::page::lang_index;
use crate::shared::page::names;
use crate::shared::page::page_id;
use crate::shared::page::Ctx;
use crate::shared::page::PageResult;
use crate::shared::page::Shell;
use crate::shared::session::SignedIn;
use crate::shared::state::AppState;
use askama::Template;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kirjo_access::Actor;
use kirjo_domain::calendar::day_month_year as date;
use kirjo_domain::document::Content;
use kirjo_domain::document::Notification;
use kirjo_store::documents;
use std::collections::BTreeMap;

pub struct VersionRow {
    pub id: i64,
    pub version: i32,
    pub at: String,
    pub author: String,
    pub reason: Option<String>,
    pub current: bool,
}

/// A notification as shown: its fields, labelled, and its deadlines.
pub struct NotificationView {
    pub fields: Vec<(String, String)>,
    pub content: String,
    pub start_due: String,
    pub completion_due: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "documents/document.html")]
pub struct DocumentPage {
    pub shell: Shell,
    pub id: i64,
    pub client_id: i64,
    pub name: String,
    pub entry: String,
    pub date: String,
    pub text: String,
    pub agreed: Option<String>,
    pub notification: Option<NotificationView>,
    /// A form kind's fields, labelled, and a decision's parties (name,
    /// how, when served).
    pub form_view: Option<FormView>,
    pub meta: Vec<(String, String)>,
    pub state: String,
    pub mine_draft: bool,
    pub correctable: bool,
    pub superseded_note: bool,
    pub versions: Vec<VersionRow>,
    pub edit: Option<FormPage>,
    /// The draft's revision, for its complete and discard forms.
    pub revision: i64,
    /// Attached files: id, name, size in KiB, SHA-256.
    pub files: Vec<(i64, String, String, String)>,
    /// Why the file just sent was not attached.
    pub upload_error: Option<String>,
    /// A serving sent back with its problems.
    pub service_again: Option<ServiceAgain>,
    /// A finality sent back with its problems.
    pub final_again: Option<FinalAgain>,
    /// A decision: who decides it, and once decided, its serving, appeal
    /// and finality.
    pub decision: Option<DecisionView>,
}

/// A form of the document's page sent back with its problems: the page is
/// answered 422, with each problem at its field and what was typed kept.
pub enum Again {
    /// Why the file sent was not attached.
    Upload(String),
    Service(ServiceAgain),
    Final(FinalAgain),
}

/// A party's serving as typed, with its problems by field.
pub struct ServiceAgain {
    pub party: usize,
    pub method: String,
    pub sent_on: String,
    pub receipt_on: String,
    pub errors: BTreeMap<String, String>,
}

/// The finality as typed, with its problems by field.
pub struct FinalAgain {
    pub ground: String,
    pub reason: String,
    pub errors: BTreeMap<String, String>,
}

/// A decision on its page.
pub struct DecisionView {
    /// The decision maker the draft names.
    pub named: String,
    /// The user is that decision maker and the decision is a draft.
    pub can_decide: bool,
    pub decided: Option<DecidedView>,
}

/// A decided decision's act, serving and appeal, as shown.
pub struct DecidedView {
    pub maker: String,
    pub decided_on: String,
    pub means: String,
    pub authority: String,
    pub instructions: String,
    pub days: u32,
    pub parties: Vec<ServedRow>,
    pub deadline: Option<String>,
    pub final_: Option<String>,
    /// The user records servings and finality: a client worker of the
    /// decision's area.
    pub can_record: bool,
}

/// A party's serving as shown.
pub struct ServedRow {
    pub n: usize,
    pub name: String,
    pub method: String,
    pub sent_on: String,
    pub served_on: String,
    pub appeal_ends_on: String,
    pub served: bool,
}

impl DocumentPage {
    /// Whether a form was sent back with problems.
    pub fn has_problems(&self) -> bool {
        self.upload_error.is_some() || self.service_again.is_some() || self.final_again.is_some()
    }

    /// The summary above the page of the form sent back: each problem
    /// after its field's label, linked to the field.
    pub fn problems_summary(&self) -> Vec<(String, String)> {
        let t = &self.shell.t;
        let file = "file".to_owned();
        let mut rows = summary(self.upload_error.iter().map(|e| (&file, e)), |_| {
            Some(t.t("file-choose"))
        });
        if let Some(a) = &self.service_again {
            rows.extend(
                summary(&a.errors, |f| Some(t.t(service_label(f))))
                    .into_iter()
                    .map(|(f, text)| (service_anchor(&f, a.party), text)),
            );
        }
        if let Some(a) = &self.final_again {
            rows.extend(
                summary(&a.errors, |f| {
                    Some(t.t(if f == "reason" {
                        "decision-final-reason"
                    } else {
                        "decision-mark-final"
                    }))
                })
                .into_iter()
                .map(|(f, text)| (final_anchor(&f).to_owned(), text)),
            );
        }
        rows
    }

    /// What was typed in party `n`'s serving field, if it was sent back.
    pub fn service_value(&self, n: &usize, field: &str) -> &str {
        match &self.service_again {
            Some(a) if a.party == *n => match field {
                "method" => &a.method,
                "sent_on" => &a.sent_on,
                _ => &a.receipt_on,
            },
            _ => "",
        }
    }

    /// The problem at party `n`'s serving field.
    pub fn service_error(&self, n: &usize, field: &str) -> Option<&String> {
        self.service_again
            .as_ref()
            .filter(|a| a.party == *n)
            .and_then(|a| a.errors.get(field))
    }

    /// Whether `value` is the serving method to show chosen for party `n`.
    pub fn method_chosen(&self, n: &usize, value: &str) -> bool {
        self.service_value(n, "method") == value
    }

    /// The reason typed for finality, if it was sent back.
    pub fn final_reason(&self) -> &str {
        self.final_again.as_ref().map_or("", |a| a.reason.as_str())
    }

    /// Whether the finality was sent back with the appeal waived chosen.
    pub fn waived_chosen(&self) -> bool {
        self.final_again
            .as_ref()
            .is_some_and(|a| a.ground == "appeal_waived")
    }

    /// The problem at the finality's field.
    pub fn final_error(&self, field: &str) -> Option<&String> {
        self.final_again.as_ref().and_then(|a| a.errors.get(field))
    }
}

/// The label of a serving field.
fn service_label(field: &str) -> &'static str {
    match field {
        "method" => "parties-how",
        "sent_on" => "service-sent-on",
        _ => "service-receipt-on",
    }
}

/// The id of party `n`'s serving field on the page.
fn service_anchor(field: &str, n: usize) -> String {
    match field {
        "method" => format!("method-{n}"),
        "sent_on" => format!("sent-{n}"),
        _ => format!("receipt-{n}"),
    }
}

/// The id of the finality's field on the page.
fn final_anchor(field: &str) -> &'static str {
    if field == "reason" {
        "final-reason"
    } else {
        "ground-passed"
    }
}

fn notification_view(ctx: &Ctx, n: &Notification) -> NotificationView {
    let t = &ctx.tr;
    let label = |prefix: &str, v: serde_json::Value| {
        t.t(&format!("{prefix}{}", v.as_str().unwrap_or_default()))
    };
    let mut fields = vec![
        (t.t("notification-received"), date(n.received_on)),
        (
            t.t("notification-reporter"),
            label(
                "reporter-",
                serde_json::to_value(n.reporter).unwrap_or_default(),
            ),
        ),
    ];
    let who = [
        &n.reporter_full_name(),
        &n.reporter_title,
        &n.reporter_organisation,
    ]
    .iter()
    .filter_map(|v| (*v).clone())
    .collect::<Vec<_>>()
    .join(", ");
    if !who.is_empty() {
        fields.push((t.t("notification-reporter-who"), who));
    }
    if n.reporter_confidential {
        fields.push((
            t.t("notification-reporter-confidential"),
            n.confidentiality_grounds.clone().unwrap_or_default(),
        ));
    }
    fields.push((
        t.t("notification-channel"),
        label(
            "channel-",
            serde_json::to_value(n.channel).unwrap_or_default(),
        ),
    ));
    if let Some(u) = n.urgency {
        let mut text = label("urgency-", serde_json::to_value(u).unwrap_or_default());
        if let Some(note) = &n.urgency_note {
            text = format!("{text}: {note}");
        }
        fields.push((t.t("notification-urgency"), text));
    }
    if let Some(d) = n.decision {
        let mut text = label("decision-", serde_json::to_value(d).unwrap_or_default());
        if let Some(on) = n.decided_on {
            text = format!("{text} ({})", date(on));
        }
        if let Some(r) = &n.decision_reasons {
            text = format!("{text}: {r}");
        }
        fields.push((t.t("notification-decision"), text));
    }
    if let Some(d) = n.child_told_on {
        fields.push((t.t("notification-child-told"), date(d)));
    }
    if let Some(d) = n.guardian_told_on {
        fields.push((t.t("notification-guardian-told"), date(d)));
    }
    let deadlines = n.deadlines();
    NotificationView {
        fields,
        content: n.content.clone(),
        start_due: date(deadlines.assessment_start_due),
        completion_due: date(deadlines.assessment_completion_due),
        late: n.decision_late(kirjo_domain::calendar::helsinki_today()),
    }
}

pub(crate) async fn client_of(state: &AppState, ctx: &Ctx, id: i64) -> Result<i64, Response> {
    documents::client_of(&state.db, id)
        .await
        .map_err(|e| ctx.api_error(ApiError::from_store(e), None))?
        .ok_or_else(|| {
            ctx.error(
                StatusCode::NOT_FOUND,
                ctx.tr.t("error-not-found-text"),
                None,
            )
        })
}

/// `GET /documents/{id}`: the document with its metadata and history.
pub async fn read(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = page_id(&ctx, &id)?;
    let (me, actor) = ctx.user(&state).await?;
    show(&state, &ctx, &me, &actor, id, None).await
}

/// The document's page; with a form sent back ([`Again`]), answered 422
/// with its problems at their fields and what was typed kept.
pub(crate) async fn show(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    id: i64,
    again: Option<Again>,
) -> PageResult {
    let (upload_error, service_again, final_again) = match again {
        Some(Again::Upload(e)) => (Some(e), None, None),
        Some(Again::Service(a)) => (None, Some(a), None),
        Some(Again::Final(a)) => (None, None, Some(a)),
        None => (None, None, None),
    };
    let sent_back = upload_error.is_some() || service_again.is_some() || final_again.is_some();
    let client = client_of(state, ctx, id).await?;
    let Some(h) = documents::read(&state.db, &me.caller, &state.gate, client, id, None)
        .await
        .map_err(|e| ctx.gate_error(e, actor))?
    else {
        return Err(ctx.error(
            StatusCode::NOT_FOUND,
            ctx.tr.t("error-not-found-text"),
            Some(actor),
        ));
    };
    let d = &h.document;
    let content = Content::from_json(&d.kind, d.content.clone());
    let names = names(state).await;
    let li = lang_index(ctx.tr.lang);
    let t = &ctx.tr;
    let meta = vec![
        (
            t.t("doc-client"),
            match &d.client_identity_code {
                Some(code) => format!("{} ({code})", d.client_name),
                None => d.client_name.clone(),
            },
        ),
        (t.t("client-area"), names.of(&d.service_area, li)),
        (t.t("doc-organiser"), d.organiser.clone()),
        (t.t("doc-producer"), d.producer.clone()),
        (
            t.t("doc-author"),
            format!("{}, {}", d.author_name, d.author_title),
        ),
        (t.t("doc-created"), helsinki_time(d.created_at)),
        (t.t("doc-definition"), d.definition_oid.clone()),
    ];
    let mine_draft = d.state == "draft" && d.author_id == me.caller.user_id;
    let decision = match &content {
        Some(c) if d.kind == "decision" => Some(decision_view(state, ctx, me, actor, d, c).await?),
        _ => None,
    };
    let mut edit = match (&content, mine_draft) {
        (Some(c), true) => Some(form_page(
            ctx,
            actor,
            Place {
                heading: ctx.tr.t("narrative-edit"),
                action: format!("/documents/{id}/edit"),
                cancel: format!("/documents/{id}"),
            },
            DocForm {
                revision: d.revision.to_string(),
                ..DocForm::of(c)
            },
            false,
            &[],
        )),
        _ => None,
    };
    if let Some(page) = edit.as_mut() {
        crate::documents::form::with_makers(page, state, actor).await;
    }
    let versions = h
        .versions
        .iter()
        .map(|v| VersionRow {
            id: v.id,
            version: v.version,
            at: helsinki_time(v.completed_at.unwrap_or(v.created_at)),
            author: v.author_name.clone(),
            reason: v.correction_reason.clone(),
            current: v.id == d.id,
        })
        .collect();
    let form_view = match &content {
        Some(Content::Form(f)) => Some((
            f.display(ctx.tr.lang)
                .into_iter()
                .map(|(key, label, value)| match &decision {
                    // The decision maker by name, not by user id: once
                    // decided, as the act recorded them.
                    Some(dv) if key == "decision_maker" => (
                        label.to_owned(),
                        dv.decided.as_ref().map_or(&dv.named, |d| &d.maker).clone(),
                    ),
                    _ => (label.to_owned(), value),
                })
                .collect(),
            f.parties
                .iter()
                .map(|p| {
                    (
                        p.name.clone(),
                        p.method.name(ctx.tr.lang).to_owned(),
                        p.served_on
                            .map(date)
                            .unwrap_or_else(|| ctx.tr.t("parties-not-served")),
                    )
                })
                .collect(),
        )),
        _ => None,
    };
    let (entry, when, text, agreed, notification) = match &content {
        Some(Content::Narrative(n)) => (
            n.entry.name(ctx.tr.lang).to_owned(),
            date(n.date),
            n.text.clone(),
            n.agreed.clone(),
            None,
        ),
        Some(Content::ChildWelfareNotification(n)) => (
            String::new(),
            String::new(),
            String::new(),
            None,
            Some(notification_view(ctx, n)),
        ),
        Some(Content::Form(_)) | None => Default::default(),
    };
    Ok(ctx.render(
        if sent_back {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &DocumentPage {
            shell: ctx.shell(d.name.clone(), Some(actor)),
            id,
            client_id: d.client_id,
            name: d.name.clone(),
            entry,
            date: when,
            text,
            agreed,
            notification,
            form_view,
            meta,
            state: ctx.tr.t(&format!("doc-state-{}", d.state)),
            mine_draft,
            // A decision is corrected by a new decision, not in place.
            correctable: d.state == "completed" && !d.superseded && d.kind != "decision",
            superseded_note: d.superseded,
            versions,
            edit,
            revision: d.revision,
            upload_error,
            service_again,
            final_again,
            decision,
            files: h
                .attachments
                .iter()
                .map(|a| {
                    (
                        a.id,
                        a.file_name.clone(),
                        format!("{:.1}", f64::from(a.size_bytes) / 1024.0),
                        a.sha256.clone(),
                    )
                })
                .collect(),
        },
    ))
}

/// A decision's part of its page: the named decision maker, and once
/// decided its printout data (a logged read of its own).
async fn decision_view(
    state: &AppState,
    ctx: &Ctx,
    me: &SignedIn,
    actor: &Actor,
    d: &documents::Document,
    c: &Content,
) -> Result<DecisionView, Response> {
    let t = &ctx.tr;
    let maker = kirjo_store::decisions::named_maker(c);
    let named = match maker {
        Some(m) => kirjo_store::decisions::qualified_makers(
            &state.db,
            std::slice::from_ref(&d.service_area),
        )
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|u| u.id == m)
        .map_or_else(|| format!("#{m}"), |u| format!("{}, {}", u.name, u.title)),
        None => "–".to_owned(),
    };
    let can_decide = d.state == "draft" && maker == Some(me.caller.user_id);
    let decided = if d.state == "completed" {
        let p =
            kirjo_store::decisions::printout(&state.db, &me.caller, &state.gate, d.client_id, d.id)
                .await
                .map_err(|e| ctx.gate_error(e, actor))?;
        p.map(|p| DecidedView {
            can_record: actor.roles.iter().any(|r| {
                r.role == kirjo_access::Role::ClientWorker
                    && r.service_area.as_deref() == Some(d.service_area.as_str())
            }),
            maker: format!(
                "{} {}, {}",
                p.decision_maker.first_names, p.decision_maker.surname, p.decision_maker.title
            ),
            decided_on: date(p.decided_on),
            means: t.t(&format!("appeal-means-{}", p.appeal.means)),
            authority: p.appeal.authority.get(t.lang),
            instructions: p.appeal.instructions.get(t.lang),
            days: p.appeal.days,
            deadline: p.appeal_deadline.map(date),
            final_: p.final_.as_ref().map(|f| {
                let why = t.t(&format!("decision-final-{}", f.ground));
                match &f.reason {
                    Some(r) => format!("{why}: {r} ({}, {})", f.by, helsinki_time(f.at)),
                    None => format!("{why} ({}, {})", f.by, helsinki_time(f.at)),
                }
            }),
            parties: p
                .parties
                .iter()
                .map(|s| ServedRow {
                    n: s.party,
                    name: s.name.clone(),
                    method: s
                        .method
                        .as_ref()
                        .map(|m| t.t(&format!("service-method-{m}")))
                        .unwrap_or_default(),
                    sent_on: s.sent_on.map(date).unwrap_or_default(),
                    served_on: s.served_on.map(date).unwrap_or_default(),
                    appeal_ends_on: s.appeal_ends_on.map(date).unwrap_or_default(),
                    served: s.served_on.is_some(),
                })
                .collect(),
        })
    } else {
        None
    };
    Ok(DecisionView {
        named,
        can_decide,
        decided,
    })
}
