//! The OpenAPI 3.1 description of the JSON API, served at
//! `/api/openapi.json`. Built from [`OPERATIONS`], which a test keeps in step
//! with the router's route table ([`crate::api::ROUTES`]): every route is
//! described, and each description names the gate action it maps to.

use crate::api::ROUTES;
use serde_json::{json, Map, Value};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy)]
pub enum In {
    Path,
    Query,
}

/// One parameter: name, place, JSON Schema type (and format), required, meaning.
#[derive(Debug, Clone, Copy)]
pub struct Param(
    pub &'static str,
    pub In,
    pub &'static str,
    pub bool,
    pub &'static str,
);

/// One operation of the API.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// The request body's JSON Schema, as JSON text.
    pub body: Option<&'static str>,
    /// What a successful answer is.
    pub returns: &'static str,
}

const PERSON: &str = r#"{"type":"object","required":["first_names","surname"],"properties":{"identity_code":{"type":"string","description":"Henkilötunnus; only when adding. Without it, birth_date."},"birth_date":{"type":"string","format":"date"},"first_names":{"type":"string"},"surname":{"type":"string"},"calling_name":{"type":"string"},"home_municipality":{"type":"string","description":"Statistics Finland code, e.g. 091"},"mother_tongue":{"type":"string","description":"ISO 639"},"service_language":{"type":"string","description":"ISO 639"},"citizenship":{"type":"array","items":{"type":"string"}},"occupation":{"type":"string"},"workplace":{"type":"string"},"phones":{"type":"array","items":{"type":"string"}},"emails":{"type":"array","items":{"type":"string"}},"address":{"type":"object","properties":{"street":{"type":"string"},"postal_code":{"type":"string"},"post_office":{"type":"string"},"municipality":{"type":"string"}}}}}"#;

const ID: Param = Param("id", In::Path, "integer", true, "The id.");
const PERIOD: [Param; 3] = [
    Param(
        "from",
        In::Query,
        "date-time",
        false,
        "Start of the period (default: two years before `to`).",
    ),
    Param(
        "to",
        In::Query,
        "date-time",
        false,
        "End of the period (default: now).",
    ),
    Param(
        "format",
        In::Query,
        "string",
        false,
        "`json` (default) or `csv`.",
    ),
];

const NARRATIVE: &str = r#"{"type":"object","required":["entry","date","text"],"additionalProperties":false,"properties":{"service_task":{"type":"string","description":"The service task (a service_task id of the area); needed for a new entry."},"entry":{"type":"string","enum":["meeting_or_contact","guidance_and_advice","negotiation","daily_life"],"description":"The kind of narrative entry (Sosmeta 19005, 19003, 19004, 19007)."},"date":{"type":"string","format":"date"},"text":{"type":"string","maxLength":20000},"agreed":{"type":"string","description":"What was agreed; meetings and negotiations only."}}}"#;

pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "GET",
        path: "/api/clients/{id}/documents",
        summary: "The client's timeline: the latest version of each completed document in the service areas where the user has the client, and the user's own drafts, newest first.",
        params: &[
            ID,
            Param("area", In::Query, "string", false, "Only this service area (sub-register id)."),
            Param("kind", In::Query, "string", false, "Only this kind of document (narrative)."),
        ],
        body: None,
        returns: "The documents.",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/documents",
        summary: "A new narrative entry, as the user's draft, in the service area of the relationship that lets them write. The metadata (name, client, organiser, producer, author, time) are Kirjo's: a body that gives them is refused.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en: the language of field errors.")],
        body: Some(NARRATIVE),
        returns: "The new document's id (201); 422 with every field error.",
    },
    Operation {
        method: "GET",
        path: "/api/documents/{id}",
        summary: "A document version with its metadata and the document's history (every completed version, with who corrected it, when and why). A draft only to its author.",
        params: &[ID],
        body: None,
        returns: "The document and its versions.",
    },
    Operation {
        method: "PUT",
        path: "/api/documents/{id}",
        summary: "Edit a draft of the user's own. A completed document is never changed: it is corrected.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(NARRATIVE),
        returns: "204.",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/minor-prohibitions",
        summary: "Record a minor's prohibition on giving their data to a guardian (703/2023 §51(2)), accepted or not, with the minor's reason or why it was not accepted.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["made_on","accepted","reason"],"properties":{"made_on":{"type":"string","format":"date"},"accepted":{"type":"boolean"},"reason":{"type":"string"},"documents":{"type":"array","items":{"type":"integer"},"description":"The documents it covers, each with its corrections; absent: all of the child's documents."}}}"#),
        returns: "The id (201).",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/minor-prohibitions/{pid}/end",
        summary: "End a minor's prohibition in force from a day, with the reason; it stays in the record.",
        params: &[ID, Param("pid", In::Path, "integer", true, "The prohibition's id.")],
        body: Some(r#"{"type":"object","required":["ended_on","reason"],"properties":{"ended_on":{"type":"string","format":"date"},"reason":{"type":"string"}}}"#),
        returns: "204, or 409 when the child has no such prohibition in force.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/client-document/export",
        summary: "The client relationship document (asiakkuusasiakirja, Sosmeta 1.2.246.537.6.1505.1) in its national structure, from the service areas where the user has the client.",
        params: &[ID],
        body: None,
        returns: "The definition, the document, and Kirjo's own record beside it.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/guardian-answer",
        summary: "What of the child's completed documents may be given to this guardian: nothing while an accepted prohibition of the child is in force. The disclosure goes to the disclosure log.",
        params: &[ID, Param("guardian", In::Query, "integer", true, "The guardian's person id.")],
        body: None,
        returns: "The guardian, whether withheld, the prohibitions, and the documents.",
    },
    Operation {
        method: "POST",
        path: "/api/documents/{id}/attachments",
        summary: "Attach a file to a draft of the user's: PDF, JPEG, PNG or plain text, at most 10 MiB, its bytes of the type given. Kept with its SHA-256; final with the document.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["file_name","media_type","content_base64"],"properties":{"file_name":{"type":"string"},"media_type":{"type":"string","enum":["application/pdf","image/jpeg","image/png","text/plain"]},"content_base64":{"type":"string"}}}"#),
        returns: "The attachment's id (201); 422 when the file is not allowed.",
    },
    Operation {
        method: "GET",
        path: "/api/attachments/{id}",
        summary: "A file's bytes, as a download (reading it is a logged use), where the user may read its document.",
        params: &[ID],
        body: None,
        returns: "The file.",
    },
    Operation {
        method: "GET",
        path: "/api/documents/{id}/export",
        summary: "A completed document in its national structure (THL's Sosmeta definition, valid against its JSON Schema), for the archive or for moving it. Logged as an export.",
        params: &[ID],
        body: None,
        returns: "The definition's OID (with version) and the document.",
    },
    Operation {
        method: "POST",
        path: "/api/documents/{id}/complete",
        summary: "Complete a draft of the user's own: it is locked for good.",
        params: &[ID],
        body: None,
        returns: "204.",
    },
    Operation {
        method: "POST",
        path: "/api/documents/{id}/discard",
        summary: "Discard a draft of the user's own (logged; the row stays, marked discarded).",
        params: &[ID],
        body: None,
        returns: "204.",
    },
    Operation {
        method: "POST",
        path: "/api/documents/{id}/corrections",
        summary: "Correct the latest version of a completed document: a new completed version pointing at it, with the reason. The corrected version stays readable.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["entry","date","text","reason"],"properties":{"entry":{"type":"string"},"date":{"type":"string","format":"date"},"text":{"type":"string"},"agreed":{"type":"string"},"reason":{"type":"string","description":"Why it is corrected."}}}"#),
        returns: "The new version's id (201).",
    },
    Operation {
        method: "GET",
        path: "/api/openapi.json",
        summary: "This description of the API.",
        params: &[],
        body: None,
        returns: "The OpenAPI 3.1 document.",
    },
    Operation {
        method: "POST",
        path: "/api/session",
        summary: "Sign in with a personal account; sets the session cookie.",
        params: &[],
        body: Some(r#"{"type":"object","required":["username","password"],"properties":{"username":{"type":"string"},"password":{"type":"string"}}}"#),
        returns: "The user's id and name; `next` is `second_factor` or `enrol` when a second factor is still needed, and `password_change_required` says a new password must be chosen first.",
    },
    Operation {
        method: "POST",
        path: "/api/session/second-factor",
        summary: "Give the TOTP code (or a one-time recovery code) after the password.",
        params: &[],
        body: Some(r#"{"type":"object","required":["code"],"properties":{"code":{"type":"string"}}}"#),
        returns: "204 when right; 401 when wrong; 429 when too many wrong codes ended the session.",
    },
    Operation {
        method: "POST",
        path: "/api/me/second-factor",
        summary: "Begin enrolling an authenticator app: a new secret (replacing one already enrolled needs a recent password).",
        params: &[],
        body: None,
        returns: "The secret in base32 and its otpauth:// address.",
    },
    Operation {
        method: "POST",
        path: "/api/me/second-factor/confirm",
        summary: "Confirm enrolment with a code from the new secret.",
        params: &[],
        body: Some(r#"{"type":"object","required":["code"],"properties":{"code":{"type":"string"}}}"#),
        returns: "Ten one-time recovery codes, shown only this once.",
    },
    Operation {
        method: "DELETE",
        path: "/api/session",
        summary: "Sign out: the session ends.",
        params: &[],
        body: None,
        returns: "No content.",
    },
    Operation {
        method: "GET",
        path: "/api/me",
        summary: "The signed-in user: roles in force, and the user commitment to accept.",
        params: &[],
        body: None,
        returns: "The user, roles, and the current user commitment.",
    },
    Operation {
        method: "POST",
        path: "/api/me/commitment",
        summary: "Accept the current version of the confidentiality and user commitment (käyttäjäsitoumus).",
        params: &[],
        body: Some(r#"{"type":"object","required":["version"],"properties":{"version":{"type":"integer"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "GET",
        path: "/api/me/trail",
        summary: "The user's own trail in the use log.",
        params: &PERIOD,
        body: None,
        returns: "Uses, as JSON or CSV.",
    },
    Operation {
        method: "POST",
        path: "/api/session/reauth",
        summary: "Give the password again: revealing a protected address, approving rights, ending duties and resetting a password need it within the last 5 minutes (else 401).",
        params: &[],
        body: Some(r#"{"type":"object","required":["password"],"properties":{"password":{"type":"string"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "POST",
        path: "/api/me/password",
        summary: "Change one's own password: at least 12 characters, not a common or leaked password, not the user id. Also how a reset password is replaced.",
        params: &[Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["current_password","new_password"],"properties":{"current_password":{"type":"string"},"new_password":{"type":"string","minLength":12}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "POST",
        path: "/api/users/{id}/password-reset",
        summary: "The main administrator resets a user's password: a temporary one is returned once, the user's sessions end, and nothing is allowed until the user changes it.",
        params: &[ID],
        body: None,
        returns: "The temporary password.",
    },
    Operation {
        method: "GET",
        path: "/api/clients",
        summary: "Search people: identity code (exact), name (case, accents and typos forgiven), birth date. Only people the user may see; the search is logged.",
        params: &[
            Param("identity_code", In::Query, "string", false, "Henkilötunnus, exactly."),
            Param("name", In::Query, "string", false, "Any part of the name."),
            Param("birth_date", In::Query, "date", false, "ISO date."),
            Param("limit", In::Query, "integer", false, "1-200, default 50."),
            Param("offset", In::Query, "integer", false, "Default 0."),
            Param("purpose", In::Query, "string", false, "Search outside one's own relationships: a configured purpose (where the user's service area allows it). Logged and flagged for review."),
            Param("purpose_text", In::Query, "string", false, "The purpose in the user's own words; needed with purpose."),
        ],
        body: None,
        returns: "Matches, best first.",
    },
    Operation {
        method: "POST",
        path: "/api/clients",
        summary: "Add a person to the register. Every problem is answered at once (422), each named by its field and explained in the user's language (lang=fi|sv|en or Accept-Language); an identity code already in the register is 409.",
        params: &[Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(PERSON),
        returns: "The new person's id (201).",
    },
    Operation {
        method: "PUT",
        path: "/api/clients/{id}",
        summary: "Change a person's basic data: names, languages, occupation, contacts (the earlier ones end), a new permanent address (the earlier one ends). The identity code is not changed here.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(PERSON),
        returns: "Whether it was updated.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}",
        summary: "A client's basic data, family and representatives, and client relationships. Under turvakielto the contact data are left out.",
        params: &[
            ID,
            Param("purpose", In::Query, "string", false, "A configured purpose, to open a client outside one's relationships."),
            Param("purpose_text", In::Query, "string", false, "The user's own words for that purpose."),
        ],
        body: None,
        returns: "The person, relationships, and why access was allowed.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/log",
        summary: "The client's log extract (703/2023 §11): who used their data, when, what and why, and disclosures.",
        params: &[ID, PERIOD[0], PERIOD[1], PERIOD[2]],
        body: None,
        returns: "Uses and disclosures, as JSON or CSV.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/protected-contact",
        summary: "Reveal the address and contact data of a person under turvakielto; the reason is required and logged.",
        params: &[ID, Param("reason", In::Query, "string", true, "Why the address is needed.")],
        body: None,
        returns: "The contact data.",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/relationships",
        summary: "Open a client relationship (asiakkuus) in a unit and service area where the user works; the responsible worker (default: the user) joins the team.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["service_area","unit"],"properties":{"service_area":{"type":"string"},"unit":{"type":"string"},"responsible_worker_id":{"type":"integer"},"started_on":{"type":"string","format":"date"}}}"#),
        returns: "The relationship's id (201).",
    },
    Operation {
        method: "POST",
        path: "/api/relationships/{id}/end",
        summary: "End a relationship on a date with a reason (its responsible worker or the unit's supervisor); the team's memberships end with it.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["ended_on","reason"],"properties":{"ended_on":{"type":"string","format":"date"},"reason":{"type":"string"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "POST",
        path: "/api/relationships/{id}/team",
        summary: "Add a client worker of the unit and service area to the team for a period.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["user_id","valid_from"],"properties":{"user_id":{"type":"integer"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/sensitive",
        summary: "Special-category and sensitive data in force (health, ethnic origin, a parent's imprisonment or community service).",
        params: &[ID],
        body: None,
        returns: "The entries, each flagged whether GDPR art. 9 special category.",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/sensitive",
        summary: "Record a sensitive entry.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["category","content"],"properties":{"category":{"enum":["ethnic_origin","health","parent_imprisonment","parent_community_service"]},"content":{"type":"string","maxLength":4000}}}"#),
        returns: "The entry's id (201).",
    },
    Operation {
        method: "GET",
        path: "/api/clients/{id}/finances",
        summary: "Income, assets and bank accounts in force: a data group of its own.",
        params: &[ID],
        body: None,
        returns: "The finances.",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/incomes",
        summary: "Record an income (per month) or an asset (its value).",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["kind","description","amount"],"properties":{"kind":{"enum":["income","asset"]},"description":{"type":"string"},"amount":{"type":"string","description":"Euros, e.g. 1234.50"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "The entry's id (201).",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/bank-accounts",
        summary: "Record a bank account; the IBAN is validated (country, length, checksum).",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["iban"],"properties":{"iban":{"type":"string"}}}"#),
        returns: "The account's id (201).",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/relations",
        summary: "Record a family member, representative or contact of the client, with its source and validity; custody and right of access only for a child under 18.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["kind","related_id"],"properties":{"kind":{"enum":["guardian","parent_without_custody","legal_representative","authorised_person","next_of_kin","contact_person","household_member"]},"related_id":{"type":"integer"},"scope":{"type":"string","description":"What a mandate covers"},"right_of_access":{"type":"boolean"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"},"source":{"enum":["client","worker"]}}}"#),
        returns: "The relation's id (201).",
    },
    Operation {
        method: "POST",
        path: "/api/clients/{id}/turvakielto",
        summary: "Record a non-disclosure for personal safety (turvakielto) told to the worker; from then on the contact data are hidden.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["valid_from"],"properties":{"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "The turvakielto's id (201).",
    },
    Operation {
        method: "GET",
        path: "/api/rights/proposals",
        summary: "Rights proposals with their decisions.",
        params: &[],
        body: None,
        returns: "Proposals, newest first.",
    },
    Operation {
        method: "POST",
        path: "/api/rights/proposals",
        summary: "A unit supervisor proposes to grant, change or remove a right in their unit.",
        params: &[],
        body: Some(r#"{"type":"object","required":["kind","user_id","role","unit","valid_from","reason"],"properties":{"kind":{"enum":["grant","change","remove"]},"user_id":{"type":"integer"},"role":{"enum":["client_worker","unit_supervisor","registry_clerk","main_administrator","data_protection_officer","provider_worker"]},"unit":{"type":"string"},"service_area":{"type":["string","null"]},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":["string","null"],"format":"date"},"target_grant_id":{"type":["integer","null"]},"reason":{"type":"string"}}}"#),
        returns: "The proposal's id.",
    },
    Operation {
        method: "POST",
        path: "/api/rights/proposals/{id}/decision",
        summary: "The main administrator approves or rejects a proposal; approval takes effect at once.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["approve","reason"],"properties":{"approve":{"type":"boolean"},"reason":{"type":"string"}}}"#),
        returns: "The decision and the grant it made.",
    },
    Operation {
        method: "POST",
        path: "/api/users/{id}/end-duties",
        summary: "A user's duties have ended: every right and session ends now.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["reason"],"properties":{"reason":{"type":"string"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "GET",
        path: "/api/monitoring/flags",
        summary: "Open monitoring flags: all for the data protection officer, the unit's for a supervisor.",
        params: &[],
        body: None,
        returns: "Flags, oldest first.",
    },
    Operation {
        method: "POST",
        path: "/api/monitoring/flags/{id}/review",
        summary: "Record the outcome of reviewing a flag.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["outcome","note"],"properties":{"outcome":{"enum":["justified","misuse_suspected","needs_investigation"]},"note":{"type":"string"}}}"#),
        returns: "No content.",
    },
    Operation {
        method: "POST",
        path: "/api/monitoring/samples",
        summary: "Draw a random sample of a unit's accesses in a period for review.",
        params: &[],
        body: Some(r#"{"type":"object","required":["unit","from","to","size"],"properties":{"unit":{"type":"string"},"from":{"type":"string","format":"date-time"},"to":{"type":"string","format":"date-time"},"size":{"type":"integer","minimum":1,"maximum":500}}}"#),
        returns: "The sample's id and accesses.",
    },
    Operation {
        method: "POST",
        path: "/api/monitoring/samples/{id}/reviews",
        summary: "Record the outcome of reviewing one sampled access.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["use_log_id","outcome","note"],"properties":{"use_log_id":{"type":"integer"},"outcome":{"enum":["justified","misuse_suspected","needs_investigation"]},"note":{"type":"string"}}}"#),
        returns: "No content.",
    },
];

fn schema_of(kind: &str) -> Value {
    match kind {
        "date" | "date-time" => json!({ "type": "string", "format": kind }),
        other => json!({ "type": other }),
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let action = ROUTES
            .iter()
            .find(|(m, p, _)| *m == op.method && *p == op.path)
            .and_then(|(_, _, a)| *a);
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|Param(name, place, kind, required, what)| {
                json!({
                    "name": name,
                    "in": match place { In::Path => "path", In::Query => "query" },
                    "required": required,
                    "description": what,
                    "schema": schema_of(kind),
                })
            })
            .collect();
        let mut operation = json!({
            "summary": op.summary,
            "x-kirjo-action": action.map(|a| a.as_str()),
            "parameters": params,
            "responses": {
                "200": { "description": op.returns },
                "400": { "description": "Bad input, with a message saying what is wrong." },
                "401": { "description": "Not signed in, or the session has ended." },
                "403": { "description": "The gate denied it; the message says why. The attempt is logged." },
                "404": { "description": "No such thing." },
            },
        });
        if let Some(body) = op.body {
            let schema: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": schema } },
            });
        }
        let public =
            (op.path == "/api/session" && op.method == "POST") || op.path == "/api/openapi.json";
        if !public {
            operation["security"] = json!([{ "session": [] }]);
        }
        let entry = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[op.method.to_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kirjo",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The client information system for Finnish social services. Every operation passes the gate: it is decided, logged and only then done. State-changing requests must be JSON.",
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE },
            },
        },
        "paths": paths,
    })
}
