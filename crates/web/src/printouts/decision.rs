//! `GET /documents/{id}/decision.pdf`: a decided decision as PDF/A, with
//! its appeal instructions and serving, in the client's language of
//! service (`?lang=` for another). Logged as a print through the gate;
//! the printout carries no address, so a protected one (turvakielto) is
//! never on it.

use super::frame::{self, t};
use crate::shared::fields::LangQuery;
use crate::shared::page::{Ctx, PageResult};
use crate::shared::refusal::Refusal;
use crate::shared::state::AppState;
use axum::extract::{Path, Query, State};
use kirjo_access::Action;
use kirjo_domain::calendar::day_month_year as day;
use kirjo_domain::contact::Lang;
use kirjo_domain::forms::{self, FieldValue, Form};
use kirjo_store::decisions::{self, Printout};
use serde::Serialize;

#[derive(Serialize)]
struct Part {
    label: String,
    text: String,
}

#[derive(Serialize)]
struct PartyRow {
    name: String,
    method: String,
    served_on: String,
    appeal_ends_on: String,
}

#[derive(Serialize)]
struct Words {
    client: String,
    organiser: String,
    decided_on: String,
    legal_basis: String,
    decision_maker: String,
    drafted_by: String,
    serving: String,
    party_columns: [String; 4],
    appeal_deadline: String,
    #[serde(rename = "final")]
    final_: String,
    appeal_authority: String,
    appeal_days: String,
    nothing: String,
}

#[derive(Serialize)]
struct DecisionData {
    words: Words,
    heading: String,
    client: String,
    organiser: String,
    decided_on: String,
    legal_basis: String,
    parts: Vec<Part>,
    maker: String,
    drafted_by: Option<String>,
    parties: Vec<PartyRow>,
    appeal_deadline: Option<String>,
    #[serde(rename = "final")]
    final_: Option<String>,
    appeal_heading: String,
    appeal_authority: String,
    appeal_days: String,
    appeal_instructions: String,
}

/// The language of a printout: asked, else the client's language of
/// service where Kirjo prints in it, else Finnish.
pub fn printout_lang(asked: Option<&str>, service_language: Option<&str>) -> Lang {
    asked
        .and_then(Lang::parse)
        .or_else(|| service_language.and_then(Lang::parse))
        .unwrap_or(Lang::Fi)
}

fn method_name(value: &str, lang: Lang) -> String {
    // How it was served (decision_service.method), else as planned.
    match value {
        "in_person" => return t(lang, "Henkilökohtaisesti", "Personligen", "In person"),
        "post" => return t(lang, "Postitse", "Per post", "By post"),
        "electronic" => return t(lang, "Sähköisesti", "Elektroniskt", "Electronically"),
        _ => {}
    }
    forms::SERVICE_METHOD
        .options
        .iter()
        .find(|o| o.value == value)
        .map_or_else(|| value.to_owned(), |o| o.name(lang).to_owned())
}

fn data(p: &Printout, lang: Lang) -> DecisionData {
    let dash = "–".to_owned();
    let spec = forms::spec("decision");
    let form = spec.and_then(|s| Form::from_json(s, &p.content));
    // The decision's own fields, except those the frame or the appeal
    // section shows.
    let skip = [
        "date",
        "legal_basis",
        "decision_maker",
        "decision_maker_title",
        "appeal_means",
        "appeal_instructions",
        "appeal_period",
    ];
    let parts = form
        .as_ref()
        .map(|f| {
            f.spec
                .fields
                .iter()
                .filter(|field| !skip.contains(&field.key))
                .filter_map(|field| {
                    f.values.get(field.key).map(|v: &FieldValue| Part {
                        label: field.name(lang).to_owned(),
                        text: v.display(lang),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let appeal = &p.appeal;
    DecisionData {
        words: Words {
            client: t(lang, "Asiakas", "Klient", "Client"),
            organiser: t(
                lang,
                "Palvelun järjestäjä",
                "Tjänstens anordnare",
                "Service organiser",
            ),
            decided_on: t(lang, "Päätöspäivä", "Beslutsdatum", "Date of decision"),
            legal_basis: t(lang, "Lakiperuste", "Lagrum", "Legal basis"),
            decision_maker: t(lang, "Päätöksentekijä", "Beslutsfattare", "Decision maker"),
            drafted_by: t(lang, "Valmistelija", "Beredare", "Drafted by"),
            serving: t(lang, "Tiedoksianto", "Delgivning", "Serving"),
            party_columns: [
                t(lang, "Asianosainen", "Part", "Party"),
                t(lang, "Tapa", "Sätt", "Method"),
                t(lang, "Tiedoksisaanti", "Delfående", "Served on"),
                t(
                    lang,
                    "Muutoksenhaku päättyy",
                    "Ändringssökande upphör",
                    "Appeal ends",
                ),
            ],
            appeal_deadline: t(
                lang,
                "Muutoksenhaun määräaika",
                "Tidsfrist för ändringssökande",
                "Last day of appeal",
            ),
            final_: t(lang, "Lainvoimaisuus", "Laga kraft", "Final"),
            appeal_authority: t(lang, "Viranomainen", "Myndighet", "Authority"),
            appeal_days: t(lang, "Määräaika", "Tidsfrist", "Time limit"),
            nothing: t(
                lang,
                "Ei vielä annettu tiedoksi.",
                "Ännu inte delgiven.",
                "Not yet served.",
            ),
        },
        heading: spec.map_or_else(|| "Päätös".to_owned(), |s| s.name(lang).to_owned()),
        client: format!("{} {}", p.client.first_names, p.client.surname),
        organiser: p.organiser.clone(),
        decided_on: day(p.decided_on),
        legal_basis: p.legal_basis.clone(),
        parts,
        maker: if p.decision_maker.title.is_empty() {
            format!(
                "{} {}",
                p.decision_maker.first_names, p.decision_maker.surname
            )
        } else {
            format!(
                "{} {}, {}",
                p.decision_maker.first_names, p.decision_maker.surname, p.decision_maker.title
            )
        },
        drafted_by: Some(format!(
            "{} {}",
            p.drafted_by.first_names, p.drafted_by.surname
        )),
        parties: p
            .parties
            .iter()
            .map(|x| PartyRow {
                name: x.name.clone(),
                method: method_name(x.method.as_deref().unwrap_or(&x.planned_method), lang),
                served_on: x.served_on.map_or_else(|| dash.clone(), day),
                appeal_ends_on: x.appeal_ends_on.map_or_else(|| dash.clone(), day),
            })
            .collect(),
        appeal_deadline: p.appeal_deadline.map(day),
        final_: p.final_.as_ref().map(|f| {
            format!(
                "{} ({})",
                day(kirjo_domain::calendar::helsinki(f.at).date()),
                f.by
            )
        }),
        appeal_heading: if appeal.means == "appeal" {
            t(
                lang,
                "Valitusosoitus",
                "Besvärsanvisning",
                "Instructions for appeal",
            )
        } else {
            t(
                lang,
                "Oikaisuvaatimusohje",
                "Anvisning om begäran om omprövning",
                "Instructions for a request for review",
            )
        },
        appeal_authority: appeal.authority.get(lang),
        appeal_days: format!("{} {}", appeal.days, t(lang, "päivää", "dagar", "days")),
        appeal_instructions: appeal.instructions.get(lang),
    }
}

/// `GET /documents/{id}/decision.pdf?lang=`. Without a session, to
/// sign-in (and back); refused, the error page in the user's language.
pub async fn pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
) -> PageResult {
    let (me, actor) = ctx.user(&state).await?;
    let Some(reg) = state.register.clone() else {
        return Err(ctx.refused(Refusal::NotFound, &actor));
    };
    let printout = async {
        let client = crate::documents::actions::client_of(&state, id).await?;
        decisions::printout_as(
            &state.db,
            &me.caller,
            &state.gate,
            client,
            id,
            Action::Print,
        )
        .await?
        .ok_or(Refusal::NotFound)
    };
    let p = printout.await.map_err(|r| ctx.refused(r, &actor))?;
    let lang = printout_lang(q.lang.as_deref(), p.client_service_language.as_deref());
    let d = data(&p, lang);
    let fr = frame::frame(&reg, lang, d.heading.clone(), Some(d.client.clone()));
    let result = tokio::task::spawn_blocking(move || {
        kirjo_print::render(kirjo_print::Kind::Decision, &fr, &d)
    })
    .await
    .unwrap_or_else(|e| Err(kirjo_print::PrintError::Typst(e.to_string())));
    Ok(frame::pdf_answer(result, &format!("decision-{id}.pdf")))
}
