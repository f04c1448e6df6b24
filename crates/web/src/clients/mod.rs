//! Clients: search, the client card, adding and editing a person, and what is recorded on a client outside documents (relations, turvakielto, finances, sensitive data, client relationships).

pub mod actions;
pub mod api;
pub mod band;
pub mod card;
pub mod person;
pub mod person_form;
pub mod relationship;
pub mod search;
pub mod search_api;

use crate::shared::route::In;
use crate::shared::route::Operation;
use crate::shared::route::Param;
use crate::shared::route::Route;
use crate::shared::route::ID;
use kirjo_access::Action;

const PERSON: &str = r#"{"type":"object","required":["first_names","surname"],"properties":{"identity_code":{"type":"string","description":"Henkilötunnus; only when adding. Without it, birth_date."},"birth_date":{"type":"string","format":"date"},"first_names":{"type":"string"},"surname":{"type":"string"},"calling_name":{"type":"string"},"home_municipality":{"type":"string","description":"Statistics Finland code, e.g. 091"},"mother_tongue":{"type":"string","description":"ISO 639"},"service_language":{"type":"string","description":"ISO 639"},"citizenship":{"type":"array","items":{"type":"string"}},"occupation":{"type":"string"},"workplace":{"type":"string"},"phones":{"type":"array","items":{"type":"string"}},"emails":{"type":"array","items":{"type":"string"}},"address":{"type":"object","properties":{"street":{"type":"string"},"postal_code":{"type":"string"},"post_office":{"type":"string"},"municipality":{"type":"string"}}}}}"#;

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
Route::new("GET", "/search", Some(Action::Search), search::search),
Route::new("POST", "/search", Some(Action::Search), search::purpose_search),
Route::new("GET", "/clients", Some(Action::Search), search::my_clients),
Route::new("GET", "/clients/new", None, person_form::new_get),
Route::new("POST", "/clients/new", Some(Action::CreatePerson), person_form::new_post),
Route::new("GET", "/clients/{id}", Some(Action::ViewBasicData), card::client),
Route::new("POST", "/clients/{id}", Some(Action::ViewBasicData), card::client_with_purpose),
Route::new("GET", "/clients/{id}/edit", Some(Action::ViewBasicData), person_form::edit_get),
Route::new("POST", "/clients/{id}/edit", Some(Action::EditBasicData), person_form::edit_post),
Route::new("POST", "/clients/{id}/reveal", Some(Action::RevealProtectedAddress), person_form::reveal),
Route::new("GET", "/clients/{id}/relationships/new", Some(Action::ManageRelationship), relationship::relationship_form),
Route::new("POST", "/clients/{id}/relationships/new", Some(Action::ManageRelationship), relationship::open_from_page),
Route::api(
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
Some(Action::Search),
search_api::search,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients",
        summary: "Add a person to the register. Every problem is answered at once (422), each named by its field and explained in the user's language (lang=fi|sv|en or Accept-Language); an identity code already in the register is 409.",
        params: &[Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(PERSON),
        returns: "The new person's id (201).",
    },
Some(Action::CreatePerson),
api::create_client,
),
Route::api(
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
Some(Action::ViewBasicData),
api::client,
),
Route::api(
Operation {
        method: "PUT",
        path: "/api/clients/{id}",
        summary: "Change a person's basic data: names, languages, occupation, contacts (the earlier ones end), a new permanent address (the earlier one ends). The identity code is not changed here.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(PERSON),
        returns: "Whether it was updated.",
    },
Some(Action::EditBasicData),
api::update_client,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/protected-contact",
        summary: "Reveal the address and contact data of a person under turvakielto; the reason is required and logged.",
        params: &[ID, Param("reason", In::Query, "reason", true, "Why the address is needed.")],
        body: None,
        returns: "The contact data.",
    },
Some(Action::RevealProtectedAddress),
api::protected_contact,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/relationships",
        summary: "Open a client relationship (asiakkuus) in a unit and service area where the user works, on a basis Kirjo records and shows with it (703/2023 §9): `document`, a child welfare notification, an application or an intake of this client in this service area (document_id); `assignment`, by the unit's supervisor naming the responsible worker; or `purpose`, a configured purpose with the user's own words, only where the service area allows opening from outside and the client is not served in one that forbids it. A start in the past needs backdating_reason. The responsible worker (default: the user) joins the team. A relationship on a person the opener or the worker could not already see, one opened by a purpose and a backdated one are flagged for the unit supervisor's and the data protection officer's review. 403 outside the user's scope or for a basis they may not use; 422 for the input, each problem at its field; every refusal is logged.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["service_area","unit","basis"],"additionalProperties":false,"properties":{"service_area":{"type":"string"},"unit":{"type":"string"},"responsible_worker_id":{"type":"integer"},"started_on":{"type":"string","format":"date"},"basis":{"enum":["document","assignment","purpose"]},"document_id":{"type":"integer","description":"With basis document."},"purpose":{"type":"string","description":"With basis purpose: a configured purpose."},"purpose_text":{"type":"string","description":"With basis purpose: the user's own words."},"backdating_reason":{"type":"string","description":"Needed when started_on is before today."}}}"#),
        returns: "The relationship's id (201).",
    },
Some(Action::ManageRelationship),
api::open_relationship,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/sensitive",
        summary: "Special-category and sensitive data in force (health, ethnic origin, a parent's imprisonment or community service).",
        params: &[ID],
        body: None,
        returns: "The entries, each flagged whether GDPR art. 9 special category.",
    },
Some(Action::ViewSensitiveData),
api::sensitive,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/sensitive",
        summary: "Record a sensitive entry.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["category","content"],"properties":{"category":{"enum":["ethnic_origin","health","parent_imprisonment","parent_community_service"]},"content":{"type":"string","maxLength":4000}}}"#),
        returns: "The entry's id (201).",
    },
Some(Action::RecordSensitiveData),
api::record_sensitive,
),
Route::api(
Operation {
        method: "GET",
        path: "/api/clients/{id}/finances",
        summary: "Income, assets and bank accounts in force: a data group of its own.",
        params: &[ID],
        body: None,
        returns: "The finances.",
    },
Some(Action::ViewFinances),
api::finances,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/relations",
        summary: "Record a family member, representative or contact of the client, with its source and validity; custody and right of access only for a child under 18. A person the user may see: 201 with the relation's id. A person the user may not see is recorded without showing their data (the card names them only to those who may see them), and an id no one has is not recorded; both answer 202 with the same body, so that the answer tells nothing of whether the id exists. Every attempt is logged and such relations are flagged for review.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["kind","related_id"],"properties":{"kind":{"enum":["guardian","parent_without_custody","legal_representative","authorised_person","next_of_kin","contact_person","household_member"]},"related_id":{"type":"integer"},"scope":{"type":"string","description":"What a mandate covers"},"right_of_access":{"type":"boolean"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"},"source":{"enum":["client","worker"]}}}"#),
        returns: "The relation's id (201), or 202 for a person the user may not see or an id no one has.",
    },
Some(Action::EditBasicData),
api::add_relation,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/turvakielto",
        summary: "Record a non-disclosure for personal safety (turvakielto) told to the worker; from then on the contact data are hidden.",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["valid_from"],"properties":{"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "The turvakielto's id (201).",
    },
Some(Action::EditBasicData),
api::add_turvakielto,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/incomes",
        summary: "Record an income (per month) or an asset (its value).",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["kind","description","amount"],"properties":{"kind":{"enum":["income","asset"]},"description":{"type":"string"},"amount":{"type":"string","description":"Euros, e.g. 1234.50"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "The entry's id (201).",
    },
Some(Action::EditFinances),
api::add_income,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/clients/{id}/bank-accounts",
        summary: "Record a bank account; the IBAN is validated (country, length, checksum).",
        params: &[ID, Param("lang", In::Query, "string", false, "fi (default), sv or en.")],
        body: Some(r#"{"type":"object","required":["iban"],"properties":{"iban":{"type":"string"}}}"#),
        returns: "The account's id (201).",
    },
Some(Action::EditFinances),
api::add_bank_account,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/relationships/{id}/end",
        summary: "End a relationship on a date with a reason (its responsible worker or the unit's supervisor); the team's memberships end with it.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["ended_on","reason"],"properties":{"ended_on":{"type":"string","format":"date"},"reason":{"type":"string"}}}"#),
        returns: "No content.",
    },
Some(Action::ManageRelationship),
api::end_relationship,
),
Route::api(
Operation {
        method: "POST",
        path: "/api/relationships/{id}/team",
        summary: "Add a client worker of the unit and service area to the team for a period.",
        params: &[ID],
        body: Some(r#"{"type":"object","required":["user_id","valid_from"],"properties":{"user_id":{"type":"integer"},"valid_from":{"type":"string","format":"date"},"valid_until":{"type":"string","format":"date"}}}"#),
        returns: "No content.",
    },
Some(Action::ManageRelationship),
api::add_team_member,
),
    ]
}
