//! Client documents: the timeline, drafts and completion, corrections, attachments, exports in the national structure, a minor's prohibition and the guardian's answer.

pub mod actions;
pub mod api;
pub mod attachments;
pub mod draft;
pub mod form;
pub mod guardian;
pub mod input;
pub mod prohibitions;
pub mod read;
pub mod timeline;

use crate::shared::route::In;
use crate::shared::route::Operation;
use crate::shared::route::Param;
use crate::shared::route::Route;
use crate::shared::route::ID;
use crate::shared::route::PAGE;
use kirjo_access::Action;

const NARRATIVE: &str = r#"{"type":"object","required":["entry","date","text"],"additionalProperties":false,"properties":{"service_task":{"type":"string","description":"The service task (a service_task id of the area); needed for a new entry."},"entry":{"type":"string","enum":["meeting_or_contact","guidance_and_advice","negotiation","daily_life"],"description":"The kind of narrative entry (Sosmeta 19005, 19003, 19004, 19007)."},"date":{"type":"string","format":"date"},"text":{"type":"string","maxLength":20000},"agreed":{"type":"string","description":"What was agreed; meetings and negotiations only."}}}"#;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
Route::new("GET", "/clients/{id}/minor-prohibition", Some(Action::RecordMinorProhibition), prohibitions::prohibition_form),
Route::new("POST", "/clients/{id}/minor-prohibition", Some(Action::RecordMinorProhibition), prohibitions::record_prohibition),
Route::new("POST", "/clients/{id}/minor-prohibition/{pid}/end", Some(Action::RecordMinorProhibition), prohibitions::end_prohibition),
Route::new("GET", "/clients/{id}/guardian-answer", Some(Action::Disclose), guardian::guardian_answer),
Route::new("GET", "/clients/{id}/documents", Some(Action::ViewDocument), timeline::timeline),
Route::new("GET", "/clients/{id}/documents/new", None, form::new_get),
Route::new("POST", "/clients/{id}/documents/new", Some(Action::WriteDocument), form::new_post),
Route::new("GET", "/documents/{id}", Some(Action::ViewDocument), read::read),
Route::new("POST", "/documents/{id}/edit", Some(Action::WriteDocument), draft::edit),
Route::new("POST", "/documents/{id}/complete", Some(Action::WriteDocument), draft::complete),
Route::new("POST", "/documents/{id}/discard", Some(Action::WriteDocument), draft::discard),
Route::new("GET", "/documents/{id}/correct", Some(Action::ViewDocument), draft::correct_get),
Route::new("POST", "/documents/{id}/correct", Some(Action::CorrectEntry), draft::correct_post),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/documents",
        summary: "The client's timeline: the latest version of each completed document in the service areas where the user has the client, and the user's own drafts, newest first.",
        params: &[
            ID,
            Param("area", In::Query, "string", false, "Only this service area (sub-register id)."),
            Param("kind", In::Query, "string", false, "Only this kind of document (narrative)."),
            PAGE,
        ],
        body: None,
        returns: "A page of 100 documents with `page`, `page_size` and `total`.",
    },
Some(Action::ViewDocument),
api::timeline,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/documents",
        summary: "A new narrative entry, as the user's draft, in the service area of the relationship that lets them write. The metadata (name, client, organiser, producer, author, time) are Kirjo's: a body that gives them is refused.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en: the language of field errors.")],
        body: Some(NARRATIVE),
        returns: "The new document's id (201); 422 with every field error.",
    },
Some(Action::WriteDocument),
api::create,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/documents/{id}",
        summary: "A document version with its metadata and the document's history (every completed version, with who corrected it, when and why). A draft only to its author.",
        params: &[ID],
        body: None,
        returns: "The document and its versions.",
    },
Some(Action::ViewDocument),
api::read,
),
Route::api(
Operation {
        method: "PUT",
        path: "/api/documents/{id}",
        summary: "Edit a draft of the user's own. A completed document is never changed: it is corrected.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(NARRATIVE),
        returns: "204.",
    },
Some(Action::WriteDocument),
api::edit,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/minor-prohibitions",
        summary: "Record a minor's prohibition on giving their data to a guardian (703/2023 §51(2)), accepted or not, with its grounds and the assessment: the child's age and maturity, the weighty reason, whether it is clearly against the child's interest, when the child was told the outcome. Only by a social worker of the controller who serves the child (never an outsourced provider's staff); made today, never backdated. The child's age is Kirjo's, from the birth date.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en: the language of field errors.")],
        body: Some(r#"{"type":"object","required":["made_on","accepted","reason","age_and_maturity","mature_enough","weighty_reason","clearly_against_interest","child_told_on"],"additionalProperties":false,"properties":{"made_on":{"type":"string","format":"date","description":"Today: a prohibition is not backdated."},"accepted":{"type":"boolean","description":"Accepted only if mature_enough and not clearly_against_interest."},"reason":{"type":"string","minLength":1,"description":"The grounds of the decision."},"age_and_maturity":{"type":"string","minLength":1,"description":"The worker's assessment of the child's age and maturity."},"mature_enough":{"type":"boolean","description":"By their age and maturity the child can judge what the prohibition means."},"weighty_reason":{"type":"string","minLength":1,"description":"The weighty reason the child gives."},"clearly_against_interest":{"type":"boolean"},"child_told_on":{"type":"string","format":"date","description":"When the child was told the outcome: not before made_on, not after today."},"documents":{"type":"array","items":{"type":"integer"},"description":"The documents it covers, each with its corrections; absent: all of the child's documents."}}}"#),
        returns: "The id (201); 422 with each field's problem; 403 for anyone but the child's own social worker. Every refusal is logged.",
    },
Some(Action::RecordMinorProhibition),
api::record_prohibition,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/minor-prohibitions/{pid}/end",
        summary: "End a minor's prohibition in force from a day (today or later: never backdated), with the reason; it stays in the record. Only by a social worker of the controller who serves the child.",
        params: &[ID, Param("pid", In::Path, "integer", true, "The prohibition's id."), Param("lang", In::Query, "string", false, "fi (default), sv or en: the language of field errors.")],
        body: Some(r#"{"type":"object","required":["ended_on","reason"],"additionalProperties":false,"properties":{"ended_on":{"type":"string","format":"date","description":"Today or later."},"reason":{"type":"string","minLength":1}}}"#),
        returns: "204; 422 with each field's problem; 409 when the child has no such prohibition in force. Every refusal is logged.",
    },
Some(Action::RecordMinorProhibition),
api::end_prohibition,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/guardian-answer",
        summary: "What of the child's completed documents may be given to this guardian: nothing while an accepted prohibition of the child is in force. The disclosure goes to the disclosure log.",
        params: &[ID, Param("guardian", In::Query, "integer", true, "The guardian's person id.")],
        body: None,
        returns: "The guardian, whether withheld, the prohibitions, and the documents.",
    },
Some(Action::Disclose),
api::guardian_answer,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/documents/{id}/attachments",
        summary: "Attach a file to a draft of the user's: PDF, JPEG, PNG or plain text, at most 10 MiB, its bytes of the type given. Kept with its SHA-256; final with the document.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["file_name","media_type","content_base64"],"properties":{"file_name":{"type":"string"},"media_type":{"type":"string","enum":["application/pdf","image/jpeg","image/png","text/plain"]},"content_base64":{"type":"string"}}}"#),
        returns: "The attachment's id (201); 422 when the file is not allowed.",
    },
Some(Action::WriteDocument),
api::add_attachment,
).body_limit(16 * 1024 * 1024),
Route::api(
Operation {
        method: "GET",
        path: "/api/attachments/{id}",
        summary: "A file's bytes, as a download (reading it is a logged use), where the user may read its document.",
        params: &[ID],
        body: None,
        returns: "The file.",
    },
Some(Action::ViewDocument),
api::read_attachment,
),
Route::new("GET", "/attachments/{id}", Some(Action::ViewDocument), attachments::attachment),
Route::new("POST", "/documents/{id}/attachments", Some(Action::WriteDocument), attachments::upload),
Route::api(
Operation {
        method: "GET",
        path: "/api/documents/{id}/export",
        summary: "A completed document in its national structure (THL's Sosmeta definition, valid against its JSON Schema), for the archive or for moving it. Logged as an export.",
        params: &[ID],
        body: None,
        returns: "The definition's OID (with version) and the document.",
    },
Some(Action::Export),
api::export,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/client-document/export",
        summary: "The client relationship document (asiakkuusasiakirja, Sosmeta 1.2.246.537.6.1505.1) in its national structure, from the service areas where the user has the client.",
        params: &[ID],
        body: None,
        returns: "The definition, the document, and Kirjo's own record beside it.",
    },
Some(Action::Export),
api::export_client_document,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/documents/{id}/complete",
        summary: "Complete a draft of the user's own: it is locked for good.",
        params: &[ID],
        body: None,
        returns: "204.",
    },
Some(Action::WriteDocument),
api::complete,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/documents/{id}/discard",
        summary: "Discard a draft of the user's own (logged; the row stays, marked discarded).",
        params: &[ID],
        body: None,
        returns: "204.",
    },
Some(Action::WriteDocument),
api::discard,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/documents/{id}/corrections",
        summary: "Correct the latest version of a completed document: a new completed version pointing at it, with the reason. The corrected version stays readable.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["entry","date","text","reason"],"properties":{"entry":{"type":"string"},"date":{"type":"string","format":"date"},"text":{"type":"string"},"agreed":{"type":"string"},"reason":{"type":"string","description":"Why it is corrected."}}}"#),
        returns: "The new version's id (201).",
    },
Some(Action::CorrectEntry),
api::correct,
),
    ]
}
