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
    "page",
    false,
    "The page, from 1 (default 1) to 1,000,000,000; the answer gives `page`, `page_size` and `total`. 422 for a page that is not a whole number in that range.",
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
        "json|csv",
        false,
        "`json` (default) or `csv`.",
    ),
];

/// The largest id (PostgreSQL's bigint).
const ID_MAX: i64 = i64::MAX;

/// What the edge refuses in every text (`kirjo_domain::edge::refused_char`):
/// control characters but tab, line feed and carriage return (C0, DEL, C1),
/// and the direction overrides; as ranges of code points.
pub const REFUSED_IN_TEXT: [(u32, u32); 6] = [
    (0x0, 0x8),
    (0xB, 0xC),
    (0xE, 0x1F),
    (0x7F, 0x9F),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
];

/// [`REFUSED_IN_TEXT`] as the inside of a regular expression's class.
fn refused_class() -> String {
    REFUSED_IN_TEXT
        .iter()
        .map(|(a, b)| format!("\\u{a:04X}-\\u{b:04X}"))
        .collect()
}

/// A text without the refused characters, as a JSON Schema pattern.
pub fn text_pattern() -> String {
    format!("^[^{}]*$", refused_class())
}

/// [`text_pattern`] with at least one character that is not white space:
/// a required text (a reason, a name) must say something.
pub fn says_something_pattern() -> String {
    let c = refused_class();
    format!("^[^{c}]*[^\\s{c}][^{c}]*$")
}

/// A day as the edge takes it: ISO, a year from 1880 to 2199
/// (`kirjo_domain::edge`).
pub const DATE_PATTERN: &str = "^(18[89][0-9]|19[0-9]{2}|2[01][0-9]{2})-[0-9]{2}-[0-9]{2}$";

/// A parameter's schema from its kind: `integer` (an id, a page: 1 or
/// more), `year` (2000-2100), `date`, `date-time`, `period-start` (1 April
/// or 1 October), `json|csv` (one of the words), `reason` (text that must
/// say something), `string` (text).
fn schema_of(kind: &str) -> Value {
    match kind {
        "integer" => {
            json!({ "type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX })
        }
        "page" => json!({ "type": "integer", "minimum": 1, "maximum": super::pager::PAGE_MAX }),
        "year" => json!({ "type": "integer", "minimum": 2000, "maximum": 2100 }),
        "date" => json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN }),
        "date-time" => json!({ "type": "string", "format": "date-time" }),
        "period-start" => {
            json!({ "type": "string", "format": "date", "pattern": "^(20[0-9]{2}|2100)-(04|10)-01$" })
        }
        "reason" => {
            json!({ "type": "string", "pattern": says_something_pattern(), "minLength": 1 })
        }
        words if words.contains('|') => {
            json!({ "type": "string", "enum": words.split('|').collect::<Vec<_>>() })
        }
        _ => json!({ "type": "string", "pattern": text_pattern() }),
    }
}

/// A request body's schema as the edge checks it: every free text without
/// the refused characters, every integer an id of 1 or more unless the
/// schema bounds it.
fn harden(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            // A required text must say something.
            let required: Vec<String> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for name in &required {
                    if let Some(Value::Object(p)) = props.get_mut(name) {
                        let plain = (p.get("type") == Some(&json!("string"))
                            || p.get("type") == Some(&json!(["string", "null"])))
                            && !p.contains_key("format")
                            && !p.contains_key("enum")
                            && !p.contains_key("pattern");
                        if plain {
                            p.insert("pattern".into(), json!(says_something_pattern()));
                            p.entry("minLength").or_insert(json!(1));
                        }
                    }
                }
            }
            // A nullable text (`["string", "null"]`) is a text here too.
            let kind = match map.get("type") {
                Some(Value::String(t)) => Some(t.clone()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null")
                    .map(str::to_owned),
                _ => None,
            };
            match kind.as_deref() {
                Some("string")
                    if !map.contains_key("format")
                        && !map.contains_key("enum")
                        && !map.contains_key("pattern") =>
                {
                    map.insert("pattern".into(), json!(text_pattern()));
                }
                Some("object") => {
                    map.entry("propertyNames")
                        .or_insert(json!({ "pattern": text_pattern() }));
                    // Fields Kirjo does not know are ignored, but read by
                    // the edge like any: no refused character anywhere.
                    map.entry("additionalProperties")
                        .or_insert(json!({ "$ref": "#/components/schemas/AnyText" }));
                }
                Some("string") if map.get("format") == Some(&json!("date")) => {
                    map.entry("pattern").or_insert(json!(DATE_PATTERN));
                }
                Some("integer") => {
                    map.entry("format").or_insert(json!("int64"));
                    map.entry("minimum").or_insert(json!(1));
                    map.entry("maximum").or_insert(json!(ID_MAX));
                }
                _ => {}
            }
            for v in map.values_mut() {
                harden(v);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(harden),
        _ => {}
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
                "400": { "description": "Bad input (a path, query or body that cannot be read, a refused character), with a message saying what is wrong. The attempt is logged." },
                "401": { "description": "Not signed in, or the session has ended." },
                "403": { "description": "The gate denied it; the message says why. The attempt is logged." },
                "404": { "description": "No such thing, or nothing the user may see (the same answer)." },
                "409": { "description": "The request conflicts with what is stored now (an open matter already, a record changed meanwhile, a step already taken). Nothing was written." },
                "422": { "description": "Well-formed but not acceptable: `{\"errors\": [{\"field\", \"message\"}]}` naming each field, or `{\"error\"}`. Nothing was written; the attempt is logged." },
                "429": { "description": "Too many failed sign-ins for the name or the address: locked for a while." },
                "503": { "description": "The database cannot be reached, or too many sign-ins at once: try again after `Retry-After` seconds. Nothing was written." },
            },
        });
        if op.method != "GET" {
            operation["responses"]["2XX"] = json!({
                "description": "Done: `201 Created` with the new record's id, `202 Accepted`, or `204 No Content`, as the summary says.",
            });
        }
        if op.body.is_some() {
            operation["responses"]["413"] =
                json!({ "description": "The body is larger than the operation takes." });
            operation["responses"]["415"] = json!({ "description": "The body is not JSON (`Content-Type: application/json`)." });
        }
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
                    "schema": { "type": "string", "pattern": "^\"[0-9]+\"$" },
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
            let mut schema: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            harden(&mut schema);
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
            "schemas": {
                "AnyText": {
                    "description": "Any JSON whose every key and text is free of the characters the edge refuses.",
                    "anyOf": [
                        { "type": "string", "pattern": text_pattern() },
                        { "type": ["number", "boolean", "null"] },
                        { "type": "array", "items": { "$ref": "#/components/schemas/AnyText" } },
                        {
                            "type": "object",
                            "propertyNames": { "pattern": text_pattern() },
                            "additionalProperties": { "$ref": "#/components/schemas/AnyText" },
                        },
                    ],
                },
            },
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::shared::session::COOKIE },
            },
        },
        "paths": paths,
    })
}
