//! Contact and payment details: IBAN, phone number, email address,
//! municipality code and language code.
//!
//! Each type is a validated, normalised string: parsing is the only way to
//! make one, `Display` and `as_str` give the normalised form, and serde
//! serialises it as that string and deserialises through `parse` (an invalid
//! value is a serde error carrying the English message).
//!
//! Every error has an English `Display` and [`message`](IbanError::message)
//! in Finnish, Swedish or English for showing to a user. No message contains
//! the rejected value.
//!
//! Phone numbers, email addresses and IBANs are personal data: their `Debug`
//! output is redacted (`PhoneNumber(<redacted>)`) so that they never end up
//! in an application log.
//!
//! The municipality and language lists are shipped in `data/` and embedded
//! with `include_str!`: [`municipalities`] (Statistics Finland codes, the 2021
//! list of 309) and [`languages`] (ISO 639-1 plus Inari and Skolt Sami).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// A language for user-facing messages and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Finnish, `fi`.
    Fi,
    /// Swedish, `sv`.
    Sv,
    /// English, `en`.
    En,
}

impl Lang {
    /// `fi`, `sv` or `en`, case-insensitively and ignoring surrounding
    /// whitespace; a region or other subtag is ignored (`sv-FI`, `en_GB`).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        let primary = s.split(['-', '_']).next().unwrap_or(s);
        match primary.to_ascii_lowercase().as_str() {
            "fi" => Some(Lang::Fi),
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language code: `fi`, `sv` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Picks the Finnish or Swedish text, or the English `Display` of the error.
fn localised(lang: Lang, fi: String, sv: String, en: &dyn fmt::Display) -> String {
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en.to_string(),
    }
}

/// `FromStr`, and serde as the normalised string with deserialisation
/// through `parse`.
macro_rules! string_type {
    ($ty:ident, $err:ident, $expecting:literal) => {
        impl FromStr for $ty {
            type Err = $err;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct StrVisitor;

                impl serde::de::Visitor<'_> for StrVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(StrVisitor)
            }
        }
    };
}

// ---------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------

/// IBAN lengths by country, from the SWIFT IBAN registry. Covers every SEPA
/// country. Territories that use another country's IBAN (Åland: `FI`, the
/// French overseas departments: `FR`, Jersey, Guernsey and the Isle of Man:
/// `GB`) are not listed separately.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The IBAN length of a country, if the country uses IBANs.
pub fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| *c == country)
        .map(|&(_, len)| len)
}

/// An international bank account number, in electronic form: upper case, no
/// spaces (`FI2112345600000785`). `Display` gives the print form, in groups
/// of four (`FI21 1234 5600 0007 85`).
///
/// Parsing removes all whitespace and upper-cases letters, then checks, in
/// this order, characters, country, length for the country and the ISO 7064
/// mod-97 check digits. The country-specific layout of the BBAN is not
/// checked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

/// Why a string is not an [`Iban`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    /// Nothing but whitespace.
    #[error("IBAN is empty")]
    Empty,
    /// A character other than A–Z, a–z, 0–9 and whitespace, or check digits
    /// (third and fourth characters) that are not digits.
    #[error("IBAN may contain only letters A-Z, digits and spaces, and its third and fourth characters must be digits")]
    Characters,
    /// The first two characters are not the code of a country that uses IBANs.
    #[error("IBAN does not start with the code of a country that uses IBANs")]
    Country,
    /// Wrong length for the country.
    #[error("IBAN must have {expected} characters for its country, found {found}")]
    Length {
        /// The country's IBAN length.
        expected: usize,
        /// The length given, without spaces.
        found: usize,
    },
    /// The mod-97 remainder is not 1.
    #[error("IBAN check digits do not match: check the account number")]
    Checksum,
}

impl IbanError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (fi, sv) = match self {
            IbanError::Empty => (
                "IBAN-tilinumero puuttuu".to_owned(),
                "IBAN-kontonumret saknas".to_owned(),
            ),
            IbanError::Characters => (
                "IBAN-tilinumerossa saa olla vain kirjaimia A-Z, numeroita ja välilyöntejä, ja sen kolmannen ja neljännen merkin on oltava numeroita".to_owned(),
                "IBAN-kontonumret får bara innehålla bokstäverna A-Z, siffror och mellanslag, och dess tredje och fjärde tecken ska vara siffror".to_owned(),
            ),
            IbanError::Country => (
                "IBAN-tilinumero ei ala IBAN-tilinumeroita käyttävän maan tunnuksella".to_owned(),
                "IBAN-kontonumret börjar inte med koden för ett land som använder IBAN".to_owned(),
            ),
            IbanError::Length { expected, found } => (
                format!("IBAN-tilinumerossa on oltava tämän maan tilinumeroille {expected} merkkiä, nyt {found}"),
                format!("IBAN-kontonumret ska ha {expected} tecken för detta land, nu {found}"),
            ),
            IbanError::Checksum => (
                "IBAN-tilinumeron tarkistenumerot eivät täsmää: tarkista tilinumero".to_owned(),
                "IBAN-kontonumrets kontrollsiffror stämmer inte: kontrollera kontonumret".to_owned(),
            ),
        };
        localised(lang, fi, sv, self)
    }
}

impl Iban {
    /// Parses and normalises an IBAN in electronic or print form.
    pub fn parse(s: &str) -> Result<Iban, IbanError> {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(IbanError::Empty);
        }
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IbanError::Characters);
        }
        let iban = compact.to_ascii_uppercase();
        let expected = iban
            .get(..2)
            .and_then(iban_length)
            .ok_or(IbanError::Country)?;
        if let Some(check) = iban.get(2..4) {
            if !check.bytes().all(|b| b.is_ascii_digit()) {
                return Err(IbanError::Characters);
            }
        }
        if iban.len() != expected {
            return Err(IbanError::Length {
                expected,
                found: iban.len(),
            });
        }
        if iban_mod97(&iban) != 1 {
            return Err(IbanError::Checksum);
        }
        Ok(Iban(iban))
    }

    /// The electronic form: upper case, no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter country code.
    pub fn country(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }
}

/// ISO 7064 mod 97-10 over the IBAN with its first four characters moved to
/// the end and letters replaced by 10–35. `iban` is upper-case ASCII
/// alphanumeric.
fn iban_mod97(iban: &str) -> u32 {
    let bytes = iban.as_bytes();
    bytes
        .iter()
        .skip(4)
        .chain(bytes.iter().take(4))
        .fold(0u32, |acc, &b| match char::from(b).to_digit(36) {
            Some(v) if v < 10 => (acc * 10 + v) % 97,
            Some(v) => (acc * 100 + v) % 97,
            None => acc,
        })
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                f.write_str(" ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iban(<redacted>)")
    }
}

string_type!(Iban, IbanError, "an IBAN");

// ---------------------------------------------------------------------------
// Phone number
// ---------------------------------------------------------------------------

/// A phone number in E.164 form: `+` and 7–15 digits including the country
/// code (`+358401234567`).
///
/// Accepted input, after trimming:
///
/// - international, `+358 40 123 4567` or `00358 40 123 4567`;
/// - Finnish national, `040 123 4567` or `(09) 1234 567`: the leading `0`
///   becomes `+358`;
/// - separators: spaces, hyphens and one pair of parentheses around digits.
///   A parenthesised trunk zero in an international number is dropped
///   (`+358 (0)40 123 4567`), and so is a `0` right after `+358`, since
///   Finnish numbers never start with one after the country code.
///
/// Anything else (letters, `/`, `.`, a `+` not at the start, a number with
/// none of the prefixes `+`, `00` and `0`) is [`PhoneError::Characters`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// Why a string is not a [`PhoneNumber`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing but whitespace.
    #[error("phone number is empty")]
    Empty,
    /// A character that is not allowed, misplaced `+` or parentheses, or no
    /// `+`, `00` or `0` prefix.
    #[error("phone number may contain only digits, spaces, hyphens and one pair of parentheses, and must start with +, 00 or 0")]
    Characters,
    /// Not 7–15 digits including the country code.
    #[error("phone number must have 7 to 15 digits including the country code")]
    Length,
}

impl PhoneError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (fi, sv) = match self {
            PhoneError::Empty => ("Puhelinnumero puuttuu", "Telefonnumret saknas"),
            PhoneError::Characters => (
                "Puhelinnumerossa saa olla vain numeroita, välilyöntejä, yhdysmerkkejä ja yksi sulkeiden pari, ja sen on alettava merkeillä +, 00 tai 0",
                "Telefonnumret får bara innehålla siffror, mellanslag, bindestreck och ett par parenteser, och det ska börja med +, 00 eller 0",
            ),
            PhoneError::Length => (
                "Puhelinnumerossa on oltava maatunnus mukaan lukien 7-15 numeroa",
                "Telefonnumret ska ha 7-15 siffror inklusive landsnumret",
            ),
        };
        localised(lang, fi.to_owned(), sv.to_owned(), self)
    }
}

impl PhoneNumber {
    /// Parses and normalises a phone number to E.164.
    pub fn parse(s: &str) -> Result<PhoneNumber, PhoneError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::with_capacity(s.len());
        let mut plus = false;
        // Where in `digits` the open parenthesis stands, while it is open.
        let mut open: Option<usize> = None;
        // The digits inside the one closed pair of parentheses.
        let mut group: Option<(usize, usize)> = None;
        for (i, c) in s.char_indices() {
            match c {
                '0'..='9' => digits.push(c),
                '-' => {}
                c if c.is_whitespace() => {}
                '+' if i == 0 => plus = true,
                '(' if open.is_none() && group.is_none() => open = Some(digits.len()),
                ')' => match open.take() {
                    Some(start) if digits.len() > start => group = Some((start, digits.len())),
                    _ => return Err(PhoneError::Characters),
                },
                _ => return Err(PhoneError::Characters),
            }
        }
        if open.is_some() {
            return Err(PhoneError::Characters);
        }

        let international = plus || digits.starts_with("00");
        if let Some((start, end)) = group {
            if international && digits.get(start..end) == Some("0") {
                digits.remove(start);
            }
        }

        let mut e164 = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("358{rest}")
        } else {
            return Err(PhoneError::Characters);
        };
        if let Some(rest) = e164.strip_prefix("3580") {
            e164 = format!("358{rest}");
        }
        if e164.starts_with('0') {
            // No country code starts with 0.
            return Err(PhoneError::Characters);
        }
        if !(7..=15).contains(&e164.len()) {
            return Err(PhoneError::Length);
        }
        Ok(PhoneNumber(format!("+{e164}")))
    }

    /// The E.164 form, `+358401234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(<redacted>)")
    }
}

string_type!(PhoneNumber, PhoneError, "a phone number");

// ---------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------

/// An email address, trimmed, with the domain in lower case (the local part
/// keeps its case).
///
/// Accepted: `local@domain`, at most 254 characters in all, where
///
/// - the local part has 1–64 characters, each an ASCII letter, digit or one
///   of ``!#$%&'*+-/=?^_`{|}~.``, with no dot at either end and no two dots
///   in a row (quoted local parts are not accepted);
/// - the domain has at least two dot-separated labels, each 1–63 of `a-z`,
///   `0-9` and `-`, not starting or ending with `-` (an internationalised
///   domain is given in its `xn--` form).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a string is not an [`Email`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing but whitespace.
    #[error("email address is empty")]
    Empty,
    /// Not of the accepted form.
    #[error("email address is not valid: expected the form name@example.fi")]
    Format,
}

impl EmailError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (fi, sv) = match self {
            EmailError::Empty => ("Sähköpostiosoite puuttuu", "E-postadressen saknas"),
            EmailError::Format => (
                "Sähköpostiosoite ei ole kelvollinen: odotettu muoto on nimi@esimerkki.fi",
                "E-postadressen är inte giltig: förväntad form är namn@exempel.fi",
            ),
        };
        localised(lang, fi.to_owned(), sv.to_owned(), self)
    }
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

fn is_domain_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

impl Email {
    /// Parses an email address.
    pub fn parse(s: &str) -> Result<Email, EmailError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Format)?;
        let domain = domain.to_ascii_lowercase();
        let local_ok = (1..=64).contains(&local.len())
            && local.chars().all(|c| is_atext(c) || c == '.')
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        let domain_ok = domain.contains('.') && domain.split('.').all(is_domain_label);
        let address = format!("{local}@{domain}");
        if !local_ok || !domain_ok || address.len() > 254 {
            return Err(EmailError::Format);
        }
        Ok(Email(address))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

string_type!(Email, EmailError, "an email address");

// ---------------------------------------------------------------------------
// Municipality
// ---------------------------------------------------------------------------

/// The embedded municipality list: comment lines start with `#`, then a
/// header `code,name_fi,name_sv,wellbeing_county`, then one municipality a
/// line.
const MUNICIPALITIES_CSV: &str = include_str!("../data/municipalities.csv");

/// A Finnish municipality (*kunta*, *kommun*) from the shipped list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Municipality {
    /// Statistics Finland's three-digit code, `091`.
    pub code: &'static str,
    /// Finnish name, `Helsinki`.
    pub name_fi: &'static str,
    /// Swedish name, `Helsingfors` (the Finnish one where there is none).
    pub name_sv: &'static str,
    /// The wellbeing services county's id (`PP`), `None` for Helsinki and
    /// the municipalities of Åland, which belong to none.
    pub county: Option<&'static str>,
}

fn is_municipality_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_municipality_line(line: &'static str) -> Option<Municipality> {
    let mut fields = line.split(',');
    let code = fields.next()?;
    let name_fi = fields.next()?;
    let name_sv = fields.next()?;
    let county = fields.next()?;
    if fields.next().is_some()
        || !is_municipality_code(code)
        || name_fi.is_empty()
        || name_sv.is_empty()
    {
        return None;
    }
    Some(Municipality {
        code,
        name_fi,
        name_sv,
        county: (!county.is_empty()).then_some(county),
    })
}

/// Data lines of an embedded CSV: without comments, blank lines and `\r`.
fn csv_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// All municipalities of the shipped list, in code order. Parsed once; a
/// malformed line (the header among them) is skipped.
pub fn municipalities() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| {
        csv_lines(MUNICIPALITIES_CSV)
            .filter_map(parse_municipality_line)
            .collect()
    })
}

/// A municipality code: three digits, present in [`municipalities`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MunicipalityCode(&'static Municipality);

/// Why a string is not a [`MunicipalityCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MunicipalityError {
    /// Not exactly three digits.
    #[error("municipality code must be three digits")]
    Format,
    /// Three digits, but no municipality has the code.
    #[error("municipality code is not in the list of municipalities")]
    Unknown,
}

impl MunicipalityError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (fi, sv) = match self {
            MunicipalityError::Format => (
                "Kuntanumeron on oltava kolme numeroa",
                "Kommunnumret ska bestå av tre siffror",
            ),
            MunicipalityError::Unknown => (
                "Kuntanumeroa ei ole kuntaluettelossa",
                "Kommunnumret finns inte i kommunförteckningen",
            ),
        };
        localised(lang, fi.to_owned(), sv.to_owned(), self)
    }
}

impl MunicipalityCode {
    /// Parses a code such as `091` (surrounding whitespace is ignored; `91`
    /// is a format error, not padded).
    pub fn parse(s: &str) -> Result<Self, MunicipalityError> {
        let s = s.trim();
        if !is_municipality_code(s) {
            return Err(MunicipalityError::Format);
        }
        municipalities()
            .iter()
            .find(|m| m.code == s)
            .map(MunicipalityCode)
            .ok_or(MunicipalityError::Unknown)
    }

    /// The three-digit code.
    pub fn as_str(&self) -> &'static str {
        self.0.code
    }

    /// The Finnish name.
    pub fn name_fi(&self) -> &'static str {
        self.0.name_fi
    }

    /// The Swedish name.
    pub fn name_sv(&self) -> &'static str {
        self.0.name_sv
    }

    /// The name in `lang`: Swedish for [`Lang::Sv`], Finnish otherwise
    /// (municipalities have no English names).
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Sv => self.0.name_sv,
            Lang::Fi | Lang::En => self.0.name_fi,
        }
    }

    /// The whole row of the list.
    pub fn municipality(&self) -> &'static Municipality {
        self.0
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl fmt::Debug for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MunicipalityCode({:?})", self.0.code)
    }
}

string_type!(MunicipalityCode, MunicipalityError, "a municipality code");

// ---------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------

/// The embedded language list: comment lines start with `#`, then a header
/// `code,name_en,name_fi,name_sv`, then one language a line (empty Finnish or
/// Swedish name: none known).
const LANGUAGES_CSV: &str = include_str!("../data/languages.csv");

/// A language from the shipped list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Language {
    /// ISO 639-1 code, or `smn` / `sms` (ISO 639-3).
    pub code: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Finnish name, where the list has one.
    pub name_fi: Option<&'static str>,
    /// Swedish name, where the list has one.
    pub name_sv: Option<&'static str>,
}

fn is_language_code_form(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn parse_language_line(line: &'static str) -> Option<Language> {
    let mut fields = line.split(',');
    let code = fields.next()?;
    let name_en = fields.next()?;
    let name_fi = fields.next()?;
    let name_sv = fields.next()?;
    if fields.next().is_some()
        || !is_language_code_form(code)
        || code.bytes().any(|b| b.is_ascii_uppercase())
        || name_en.is_empty()
    {
        return None;
    }
    Some(Language {
        code,
        name_en,
        name_fi: (!name_fi.is_empty()).then_some(name_fi),
        name_sv: (!name_sv.is_empty()).then_some(name_sv),
    })
}

/// All languages of the shipped list, in code order. Parsed once; a
/// malformed line (the header among them) is skipped.
pub fn languages() -> &'static [Language] {
    static LIST: OnceLock<Vec<Language>> = OnceLock::new();
    LIST.get_or_init(|| {
        csv_lines(LANGUAGES_CSV)
            .filter_map(parse_language_line)
            .collect()
    })
}

/// A language code: lower-case ISO 639-1 (`fi`), or the ISO 639-3 codes of
/// Inari Sami (`smn`) and Skolt Sami (`sms`); present in [`languages`].
/// Parsing ignores surrounding whitespace and case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LanguageCode(&'static Language);

/// Why a string is not a [`LanguageCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LanguageError {
    /// Not two or three letters.
    #[error(
        "language code must be a two-letter ISO 639-1 code, or smn or sms for Inari or Skolt Sami"
    )]
    Format,
    /// Well formed, but not in the list.
    #[error("language code is not in the list of languages")]
    Unknown,
}

impl LanguageError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (fi, sv) = match self {
            LanguageError::Format => (
                "Kielikoodin on oltava kaksikirjaiminen ISO 639-1 -koodi, tai inarin- tai koltansaamelle smn tai sms",
                "Språkkoden ska vara en ISO 639-1-kod med två bokstäver, eller smn eller sms för enaresamiska eller skoltsamiska",
            ),
            LanguageError::Unknown => (
                "Kielikoodia ei ole kieliluettelossa",
                "Språkkoden finns inte i språkförteckningen",
            ),
        };
        localised(lang, fi.to_owned(), sv.to_owned(), self)
    }
}

impl LanguageCode {
    /// Parses a language code.
    pub fn parse(s: &str) -> Result<Self, LanguageError> {
        let s = s.trim();
        if !is_language_code_form(s) {
            return Err(LanguageError::Format);
        }
        let code = s.to_ascii_lowercase();
        languages()
            .iter()
            .find(|l| l.code == code)
            .map(LanguageCode)
            .ok_or(LanguageError::Unknown)
    }

    /// The code, `fi`.
    pub fn as_str(&self) -> &'static str {
        self.0.code
    }

    /// The language's name in `lang`, falling back to English where the list
    /// has no Finnish or Swedish name.
    pub fn name(&self, lang: Lang) -> &'static str {
        let name = match lang {
            Lang::Fi => self.0.name_fi,
            Lang::Sv => self.0.name_sv,
            Lang::En => None,
        };
        name.unwrap_or(self.0.name_en)
    }

    /// The whole row of the list.
    pub fn language(&self) -> &'static Language {
        self.0
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code)
    }
}

impl fmt::Debug for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LanguageCode({:?})", self.0.code)
    }
}

string_type!(LanguageCode, LanguageError, "a language code");
