//! The OpenAPI 3.1 description of the JSON API, served at
//! `/api/openapi.json`. Each API route carries its own [`Operation`] in its
//! feature's route table ([`Route::api`]); the document is made from the
//! router's whole table, so every route is described and each description
//! names the gate action it maps to.

use super::route::Route;

use serde_json::json;
use serde_json::Map;
use serde_json::Value;

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

pub const ID: Param = Param("id", In::Path, "integer", true, "The id.");

/// A list's page in the answer (`page`, `page_size`, `total` beside the rows).
pub const PAGE: Param = Param(
    "page",
    In::Query,
    "integer",
    false,
    "The page, from 1 (default 1); the answer gives `page`, `page_size` and `total`. 422 for a page that is not a whole number of 1 or more.",
);

pub const PERIOD: [Param; 3] = [
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

fn schema_of(kind: &str) -> Value {
    match kind {
        "date" | "date-time" => json!({ "type": "string", "format": kind }),
        other => json!({ "type": other }),
    }
}

/// The whole document.
pub fn document(routes: &[&Route]) -> Value {
    let mut paths = Map::new();
    for route in routes {
        let Some(op) = &route.api else {
            continue;
        };
        let action = route.action;
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
        let at = (op.method, op.path);
        if super::revision::TAGGED.contains(&at) {
            operation["responses"]["200"]["headers"] = json!({
                "ETag": {
                    "description": "The record's revision, a strong tag such as `\"3\"`: send it back as `If-Match` to change the record.",
                    "schema": { "type": "string" },
                },
            });
        }
        if super::revision::CONDITIONAL.contains(&at) {
            if let Some(list) = operation["parameters"].as_array_mut() {
                list.push(json!({
                    "name": "If-Match",
                    "in": "header",
                    "required": true,
                    "description": "The `ETag` of the record as it was read (one strong tag, such as `\"3\"`). The change is made only if the record is still at that revision.",
                    "schema": { "type": "string" },
                }));
            }
            operation["responses"]["409"] = json!({
                "description": "The record has changed since it was read (another user or session saved, completed or discarded it first). Nothing was written; the attempt is logged. The body is `{\"error\": ..., \"current_revision\": N}` and the `ETag` header is the revision now stored: read the record again, merge, and send the change with the new tag.",
            });
            operation["responses"]["428"] = json!({
                "description": "No `If-Match` (or `If-Match: *`): a change must name the revision it was made from, so that nothing saved meanwhile is overwritten. Nothing was written. A malformed tag (a weak one, a list) answers 400.",
            });
        }
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
            "description": "The client information system for Finnish social services. Every operation passes the gate: it is decided, logged and only then done. State-changing requests must be JSON. A record edited in place (a draft document, a person's basic data) is changed only from the revision it was read at: its read gives an `ETag`, its changes require `If-Match` (428 without one, 409 with the revision now stored when it is stale).",
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::shared::session::COOKIE },
            },
        },
        "paths": paths,
    })
}
