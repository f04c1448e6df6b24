use axum::http::HeaderMap;
use kirjo_domain::contact::Lang;
use serde::{Deserialize, Serialize};

/// `?lang=` of an API call: the language of its messages.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// One problem in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The user's language for messages.
pub fn lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    query
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.split(',')
                        .find_map(|tag| Lang::parse(tag.split(';').next().unwrap_or("").trim()))
                })
        })
        .unwrap_or(Lang::Fi)
}
