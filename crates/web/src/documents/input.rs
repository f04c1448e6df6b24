use kirjo_domain::contact::Lang;
use kirjo_domain::document::Content;
use kirjo_domain::document::Narrative;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A document as typed: the kind (`narrative`, the default, or
/// `child_welfare_notification`), the service task of a new one, the kind's
/// own fields, and the reason of a correction. Nothing else: the metadata
/// are Kirjo's, and a body that gives them is refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// The service task (palvelutehtävä) of a new document, one of its area's.
    pub service_task: Option<String>,
    pub kind: Option<String>,
    #[serde(default)]
    pub entry: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub text: String,
    pub agreed: Option<String>,
    /// The fields of a child welfare notification.
    pub notification: Option<kirjo_domain::document::NotificationInput>,
    /// The fields of the other kinds (`kirjo_domain::forms`), by key:
    /// strings, booleans or numbers.
    pub fields: Option<BTreeMap<String, serde_json::Value>>,
    /// The parties a decision is served to.
    pub parties: Option<Vec<kirjo_domain::forms::PartyInput>>,
    /// Why a completed document is corrected.
    pub reason: Option<String>,
}

impl DocumentBody {
    /// The content, checked; every problem named by its field in `lang`
    /// (a notification's fields as `notification.<field>`).
    pub fn content(&self, lang: Lang) -> Result<Content, Vec<crate::shared::fields::FieldError>> {
        match self.kind.as_deref().unwrap_or("narrative") {
            "narrative" => check(
                &self.entry,
                &self.date,
                &self.text,
                self.agreed.as_deref(),
                lang,
            )
            .map(Content::Narrative),
            "child_welfare_notification" => {
                let input = self.notification.clone().unwrap_or_default();
                check_notification(&input, lang, "notification.")
                    .map(Content::ChildWelfareNotification)
            }
            other => match kirjo_domain::forms::spec(other) {
                Some(spec) => self.form(spec, lang),
                None => Err(vec![crate::shared::fields::FieldError {
                    field: "kind".to_owned(),
                    message: format!(
                        "`{other}` is not a kind of document ({})",
                        kirjo_domain::document::kinds().join(", ")
                    ),
                }]),
            },
        }
    }
}

impl DocumentBody {
    /// A form kind's content, checked; problems named `fields.<key>` and
    /// `parties[i].<field>`.
    fn form(
        &self,
        spec: &'static kirjo_domain::forms::Spec,
        lang: Lang,
    ) -> Result<Content, Vec<crate::shared::fields::FieldError>> {
        let mut errors = Vec::new();
        let mut values = BTreeMap::new();
        for (k, v) in self.fields.iter().flatten() {
            match kirjo_domain::forms::as_input(v) {
                Some(s) => {
                    values.insert(k.clone(), s);
                }
                None => errors.push(crate::shared::fields::FieldError {
                    field: format!("fields.{k}"),
                    message: "a string, boolean or number".to_owned(),
                }),
            }
        }
        let parties = self.parties.clone().unwrap_or_default();
        let checked = spec.check(&values, &parties, kirjo_domain::calendar::helsinki_today());
        match checked {
            Ok(form) if errors.is_empty() => Ok(Content::Form(form)),
            Ok(_) => Err(errors),
            Err(found) => {
                errors.extend(found.into_iter().map(|(field, e)| {
                    crate::shared::fields::FieldError {
                        field: if field.starts_with("parties") {
                            field
                        } else {
                            format!("fields.{field}")
                        },
                        message: e.message(spec, lang),
                    }
                }));
                Err(errors)
            }
        }
    }
}

/// Checks a notification's fields, naming each with `prefix`.
pub fn check_notification(
    input: &kirjo_domain::document::NotificationInput,
    lang: Lang,
    prefix: &str,
) -> Result<kirjo_domain::document::Notification, Vec<crate::shared::fields::FieldError>> {
    input
        .check(kirjo_domain::calendar::helsinki_today())
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|(field, e)| crate::shared::fields::FieldError {
                    field: format!("{prefix}{field}"),
                    message: e.message(lang).to_owned(),
                })
                .collect()
        })
}

/// Checks the fields; every problem named by its field in `lang`.
pub fn check(
    entry: &str,
    date: &str,
    text: &str,
    agreed: Option<&str>,
    lang: Lang,
) -> Result<Narrative, Vec<crate::shared::fields::FieldError>> {
    let today = kirjo_domain::calendar::helsinki_today();
    kirjo_domain::document::narrative(entry, date, text, agreed, today).map_err(|errors| {
        errors
            .into_iter()
            .map(|(field, e)| crate::shared::fields::FieldError {
                field: field.to_owned(),
                message: e.message(lang).to_owned(),
            })
            .collect()
    })
}

/// The error of a new entry without a service task.
pub fn task_missing(lang: Lang) -> crate::shared::fields::FieldError {
    crate::shared::fields::FieldError {
        field: "service_task".to_owned(),
        message: match lang {
            Lang::Fi => "Valitse palvelutehtävä.",
            Lang::Sv => "Välj serviceuppgift.",
            Lang::En => "Choose the service task.",
        }
        .to_owned(),
    }
}

/// Decodes standard base64 (RFC 4648, padding optional, whitespace
/// ignored): how a file travels in a JSON body.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        buffer = (buffer << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::from_base64;

    #[test]
    fn base64_decodes_as_rfc_4648_says() {
        assert_eq!(from_base64("Zm9vYmFy").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(from_base64("Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        assert_eq!(
            from_base64("Zm9v\\nYmE=").as_deref(),
            None,
            "a backslash is no base64"
        );
        assert_eq!(from_base64("Zm9v\nYmE=").as_deref(), Some(&b"fooba"[..]));
        assert_eq!(from_base64("Zm9v*"), None);
    }
}
