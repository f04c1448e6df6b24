use crate::shared::fields::FieldError;
use kirjo_domain::contact::Email;
use kirjo_domain::contact::Lang;
use kirjo_domain::contact::LanguageCode;
use kirjo_domain::contact::MunicipalityCode;
use kirjo_domain::contact::PhoneNumber;
use kirjo_domain::hetu::PersonalIdentityCode;
use kirjo_store::clients::AddressInput;
use kirjo_store::clients::PersonInput;
use serde::Deserialize;

/// The body of `POST /api/clients` and `PUT /api/clients/{id}`. Everything
/// is a string here so that every problem can be explained in the user's
/// language, not the JSON parser's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub identity_code: Option<String>,
    pub birth_date: Option<String>,
    pub first_names: Option<String>,
    pub surname: Option<String>,
    pub calling_name: Option<String>,
    pub home_municipality: Option<String>,
    pub mother_tongue: Option<String>,
    pub service_language: Option<String>,
    #[serde(default)]
    pub citizenship: Vec<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    pub address: Option<AddressBody>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub post_office: Option<String>,
    pub municipality: Option<String>,
}

/// Messages of Kirjo's own form rules.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    Required,
    TooLong,
    Date,
    FutureDate,
    BirthDateMismatch,
    PostalCode,
    Country,
    IdentityCodeNotEditable,
    IdentityCodeTaken,
    Category,
    Amount,
    IncomeKind,
    LongText,
    RelationKind,
    Source,
    DateOrder,
    NoSuchPerson,
    NotAChild,
}

pub fn text(rule: Rule, lang: Lang) -> &'static str {
    use Lang::{En, Fi, Sv};
    match (rule, lang) {
        (Rule::Required, _) => kirjo_domain::forms::say(kirjo_domain::forms::REQUIRED, lang),
        (Rule::TooLong, Fi) => "Enintään 100 merkkiä.",
        (Rule::TooLong, Sv) => "Högst 100 tecken.",
        (Rule::TooLong, En) => "At most 100 characters.",
        (Rule::Date, Fi) => "Anna päivämäärä muodossa VVVV-KK-PP (vuodet 1880–2199).",
        (Rule::Date, Sv) => "Ange datumet i formen ÅÅÅÅ-MM-DD (åren 1880–2199).",
        (Rule::Date, En) => "Give the date as YYYY-MM-DD (years 1880–2199).",
        (Rule::FutureDate, Fi) => "Syntymäaika ei voi olla tulevaisuudessa.",
        (Rule::FutureDate, Sv) => "Födelsedatumet kan inte vara i framtiden.",
        (Rule::FutureDate, En) => "A birth date cannot be in the future.",
        (Rule::BirthDateMismatch, Fi) => "Syntymäaika ei vastaa henkilötunnusta.",
        (Rule::BirthDateMismatch, Sv) => "Födelsedatumet stämmer inte med personbeteckningen.",
        (Rule::BirthDateMismatch, En) => "The birth date does not match the identity code.",
        (Rule::PostalCode, Fi) => "Postinumerossa on viisi numeroa.",
        (Rule::PostalCode, Sv) => "Postnumret har fem siffror.",
        (Rule::PostalCode, En) => "A postal code has five digits.",
        (Rule::Country, Fi) => "Anna kansalaisuus kaksikirjaimisena maatunnuksena, esim. FI.",
        (Rule::Country, Sv) => "Ange medborgarskapet med en landskod på två bokstäver, t.ex. FI.",
        (Rule::Country, En) => "Give citizenship as a two-letter country code, e.g. FI.",
        (Rule::IdentityCodeNotEditable, Fi) => {
            "Henkilötunnusta ei muuteta täällä: se tulee väestötietojärjestelmästä."
        }
        (Rule::IdentityCodeNotEditable, Sv) => {
            "Personbeteckningen ändras inte här: den kommer från befolkningsdatasystemet."
        }
        (Rule::IdentityCodeNotEditable, En) => {
            "The identity code is not changed here: it comes from the population register."
        }
        (Rule::IdentityCodeTaken, Fi) => "Rekisterissä on jo henkilö tällä henkilötunnuksella.",
        (Rule::IdentityCodeTaken, Sv) => {
            "Det finns redan en person med denna personbeteckning i registret."
        }
        (Rule::IdentityCodeTaken, En) => {
            "A person with this identity code is already in the register."
        }
        (Rule::Category, Fi) => "Valitse luokka: ethnic_origin, health, parent_imprisonment tai parent_community_service.",
        (Rule::Category, Sv) => "Välj kategori: ethnic_origin, health, parent_imprisonment eller parent_community_service.",
        (Rule::Category, En) => "Choose a category: ethnic_origin, health, parent_imprisonment or parent_community_service.",
        (Rule::Amount, Fi) => "Anna summa euroina, esim. 1234,50.",
        (Rule::Amount, Sv) => "Ange beloppet i euro, t.ex. 1234,50.",
        (Rule::Amount, En) => "Give the amount in euros, e.g. 1234.50.",
        (Rule::IncomeKind, Fi) => "Valitse tulo (income) tai varallisuus (asset).",
        (Rule::IncomeKind, Sv) => "Välj inkomst (income) eller tillgång (asset).",
        (Rule::IncomeKind, En) => "Choose income or asset.",
        (Rule::LongText, Fi) => "Enintään 4000 merkkiä.",
        (Rule::LongText, Sv) => "Högst 4000 tecken.",
        (Rule::LongText, En) => "At most 4000 characters.",
        (Rule::RelationKind, Fi) => "Valitse suhde: guardian, parent_without_custody, legal_representative, authorised_person, next_of_kin, contact_person tai household_member.",
        (Rule::RelationKind, Sv) => "Välj relation: guardian, parent_without_custody, legal_representative, authorised_person, next_of_kin, contact_person eller household_member.",
        (Rule::RelationKind, En) => "Choose a relation: guardian, parent_without_custody, legal_representative, authorised_person, next_of_kin, contact_person or household_member.",
        (Rule::Source, Fi) => "Lähde on asiakas (client) tai työntekijä (worker).",
        (Rule::Source, Sv) => "Källan är klienten (client) eller arbetstagaren (worker).",
        (Rule::Source, En) => "The source is the client or the worker.",
        (Rule::DateOrder, Fi) => "Päättymispäivä on ennen alkamispäivää.",
        (Rule::DateOrder, Sv) => "Slutdatumet är före startdatumet.",
        (Rule::DateOrder, En) => "The end date is before the start date.",
        (Rule::NoSuchPerson, Fi) => "Henkilöä ei löydy rekisteristä.",
        (Rule::NoSuchPerson, Sv) => "Personen finns inte i registret.",
        (Rule::NoSuchPerson, En) => "No such person in the register.",
        (Rule::NotAChild, Fi) => "Huoltajuus ja tapaamisoikeus koskevat alle 18-vuotiasta lasta.",
        (Rule::NotAChild, Sv) => "Vårdnad och umgängesrätt gäller barn under 18 år.",
        (Rule::NotAChild, En) => "Custody and right of access concern a child under 18.",
    }
}

struct Check {
    lang: Lang,
    errors: Vec<FieldError>,
}

/// The most citizenships, phone numbers or email addresses of one person.
const MAX_CONTACTS: usize = 20;

impl Check {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }
    fn rule(&mut self, field: &str, rule: Rule) {
        let m = text(rule, self.lang);
        self.fail(field, m);
    }
    /// A trimmed optional text of at most 100 characters.
    fn text(&mut self, field: &str, v: &Option<String>) -> Option<String> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        if let Err(p) = kirjo_domain::edge::check_text(v, false) {
            self.fail(field, p.message(self.lang));
        } else if v.chars().count() > 100 {
            self.rule(field, Rule::TooLong);
        }
        Some(v.to_owned())
    }
    fn required(&mut self, field: &str, v: &Option<String>) -> String {
        match self.text(field, v) {
            Some(v) => v,
            None => {
                self.rule(field, Rule::Required);
                String::new()
            }
        }
    }
}

/// Validates and normalises the form. `creating`: adding a new person (the
/// identity code may be given) rather than editing one (it may not).
pub fn validate(
    body: &PersonBody,
    lang: Lang,
    creating: bool,
) -> Result<PersonInput, Vec<FieldError>> {
    let mut c = Check {
        lang,
        errors: Vec::new(),
    };
    let mut input = PersonInput {
        first_names: c.required("first_names", &body.first_names),
        surname: c.required("surname", &body.surname),
        calling_name: c.text("calling_name", &body.calling_name),
        occupation: c.text("occupation", &body.occupation),
        workplace: c.text("workplace", &body.workplace),
        ..PersonInput::default()
    };
    let code = match c.text("identity_code", &body.identity_code) {
        Some(_) if !creating => {
            c.rule("identity_code", Rule::IdentityCodeNotEditable);
            None
        }
        Some(v) => match PersonalIdentityCode::parse(&v.to_uppercase()) {
            Ok(code) => Some(code),
            Err(e) => {
                c.fail("identity_code", e.message(lang));
                None
            }
        },
        None => None,
    };
    let birth = c.text("birth_date", &body.birth_date).and_then(|d| {
        match kirjo_domain::edge::iso_date(&d) {
            Some(d) => Some(d),
            None => {
                c.rule("birth_date", Rule::Date);
                None
            }
        }
    });
    if creating {
        match (&code, birth) {
            (Some(code), Some(b)) if code.birth_date() != b => {
                c.rule("birth_date", Rule::BirthDateMismatch)
            }
            (None, None)
                if body.identity_code.is_none()
                    && body
                        .birth_date
                        .as_deref()
                        .is_none_or(|b| b.trim().is_empty()) =>
            {
                c.rule("birth_date", Rule::Required)
            }
            (None, Some(b)) if b > kirjo_domain::calendar::helsinki_today() => {
                c.rule("birth_date", Rule::FutureDate)
            }
            _ => {}
        }
        input.birth_date = code
            .as_ref()
            .map(PersonalIdentityCode::birth_date)
            .or(birth);
        input.identity_code = code.map(|c| c.as_str().to_owned());
    }
    if let Some(m) = c.text("home_municipality", &body.home_municipality) {
        match MunicipalityCode::parse(&m) {
            Ok(m) => input.home_municipality = Some(m.as_str().to_owned()),
            Err(e) => c.fail("home_municipality", e.message(lang)),
        }
    }
    for (field, value) in [
        ("mother_tongue", &body.mother_tongue),
        ("service_language", &body.service_language),
    ] {
        if let Some(v) = c.text(field, value) {
            match LanguageCode::parse(&v) {
                Ok(l) => {
                    let code = Some(l.as_str().to_owned());
                    if field == "mother_tongue" {
                        input.mother_tongue = code;
                    } else {
                        input.service_language = code;
                    }
                }
                Err(e) => c.fail(field, e.message(lang)),
            }
        }
    }
    for (i, country) in body.citizenship.iter().enumerate().take(MAX_CONTACTS) {
        let country = country.trim().to_uppercase();
        if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
            input.citizenship.push(country);
        } else {
            c.rule(&format!("citizenship[{i}]"), Rule::Country);
        }
    }
    for (field, n) in [
        ("citizenship", body.citizenship.len()),
        ("phones", body.phones.len()),
        ("emails", body.emails.len()),
    ] {
        if n > MAX_CONTACTS {
            c.fail(
                field,
                match lang {
                    Lang::Fi => format!("Enintään {MAX_CONTACTS} tietoa."),
                    Lang::Sv => format!("Högst {MAX_CONTACTS} uppgifter."),
                    Lang::En => format!("At most {MAX_CONTACTS} entries."),
                },
            );
        }
    }
    for (i, p) in body.phones.iter().enumerate().take(MAX_CONTACTS) {
        match PhoneNumber::parse(p) {
            Ok(p) => input.phones.push(p.as_str().to_owned()),
            Err(e) => c.fail(&format!("phones[{i}]"), e.message(lang)),
        }
    }
    for (i, e) in body.emails.iter().enumerate().take(MAX_CONTACTS) {
        match Email::parse(e) {
            Ok(e) => input.emails.push(e.as_str().to_owned()),
            Err(err) => c.fail(&format!("emails[{i}]"), err.message(lang)),
        }
    }
    if let Some(a) = &body.address {
        let street = c.required("address.street", &a.street);
        let postal_code = c.text("address.postal_code", &a.postal_code);
        if postal_code
            .as_deref()
            .is_some_and(|p| p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            c.rule("address.postal_code", Rule::PostalCode);
        }
        let municipality = match c.text("address.municipality", &a.municipality) {
            Some(m) => match MunicipalityCode::parse(&m) {
                Ok(m) => Some(m.as_str().to_owned()),
                Err(e) => {
                    c.fail("address.municipality", e.message(lang));
                    None
                }
            },
            None => None,
        };
        input.address = Some(AddressInput {
            street,
            postal_code,
            post_office: c
                .text("address.post_office", &a.post_office)
                .map(|s| s.to_uppercase()),
            municipality,
        });
    }
    if c.errors.is_empty() {
        Ok(input)
    } else {
        Err(c.errors)
    }
}

/// Euros as written by people ("1234.50", "1 234,50", "12") into cents.
pub fn parse_euros(s: &str) -> Option<i64> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let euros: i64 = whole.parse().ok()?;
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    euros.checked_mul(100)?.checked_add(cents)
}

/// A field error with one of Kirjo's own messages.
pub fn error(field: &str, rule: Rule, lang: Lang) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: text(rule, lang).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros() {
        assert_eq!(parse_euros("1234.50"), Some(123_450));
        assert_eq!(parse_euros("1 234,5"), Some(123_450));
        assert_eq!(parse_euros("12"), Some(1200));
        assert_eq!(parse_euros("-1"), None);
        assert_eq!(parse_euros("1.234"), None);
        assert_eq!(parse_euros(""), None);
    }
}
