//! One validation of what enters Kirjo at its edge, shared by the API, the
//! pages and the imports: dates in strict ISO form within bounds that fit
//! their meaning, and text without the characters that break storage,
//! logs or the way text is shown (NUL, other control characters, Unicode
//! direction overrides). See `docs/validation.md`.

use crate::contact::Lang;
use crate::field::{pick, Names};
use chrono::{Datelike, NaiveDate};

/// The earliest year any date in Kirjo may have: no living client, and no
/// record Kirjo keeps, is older.
pub const EARLIEST_YEAR: i32 = 1880;
/// The latest year any date may have, whatever it means.
pub const LATEST_YEAR: i32 = 2199;
/// How far ahead of today a date that may lie in the future (a decision's
/// end, a planned meeting) may go, in years.
pub const FUTURE_YEARS: u32 = 10;
/// The most items a list in a request body may have.
pub const MAX_LIST: usize = 200;

/// A date as typed or sent: exactly `YYYY-MM-DD` (four-digit year, two-digit
/// month and day, no sign, no time), a real calendar day, in the years
/// [`EARLIEST_YEAR`]..=[`LATEST_YEAR`]. Blanks around it are ignored.
pub fn iso_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    (EARLIEST_YEAR..=LATEST_YEAR)
        .contains(&d.year())
        .then_some(d)
}

/// What is wrong with a date for its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD`, not a real day, or outside the years Kirjo keeps.
    NotIso,
    /// After today where only the past or today can be.
    Future,
    /// Too far in the future.
    TooFar,
    /// Before the client was born.
    BeforeBirth,
}

const BAD: Names = [
    "Anna päivämäärä muodossa VVVV-KK-PP (vuodet 1880–2199).",
    "Ange datumet i formen ÅÅÅÅ-MM-DD (åren 1880–2199).",
    "Give the date as YYYY-MM-DD (years 1880–2199).",
];
const FUTURE: Names = [
    "Päivämäärä ei voi olla tulevaisuudessa.",
    "Datumet kan inte vara i framtiden.",
    "The date cannot be in the future.",
];
const TOO_FAR: Names = [
    "Päivämäärä on liian kaukana tulevaisuudessa (enintään 10 vuotta).",
    "Datumet ligger för långt i framtiden (högst 10 år).",
    "The date is too far in the future (at most 10 years).",
];
const BEFORE_BIRTH: Names = [
    "Päivämäärä on ennen asiakkaan syntymää.",
    "Datumet är före klientens födelse.",
    "The date is before the client's birth.",
];

impl DateProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Self::NotIso => &BAD,
                Self::Future => &FUTURE,
                Self::TooFar => &TOO_FAR,
                Self::BeforeBirth => &BEFORE_BIRTH,
            },
            lang,
        )
    }
}

/// A birth date: ISO, not before 1880, not in the future.
pub fn birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let d = iso_date(raw).ok_or(DateProblem::NotIso)?;
    if d > today {
        return Err(DateProblem::Future);
    }
    Ok(d)
}

/// A day in a client's life that has already come (when something
/// happened, was received, was decided): not before the birth (when it is
/// known) and not after today.
pub fn past_day_of_client(
    d: NaiveDate,
    born: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, DateProblem> {
    if d > today {
        return Err(DateProblem::Future);
    }
    if born.is_some_and(|b| d < b) {
        return Err(DateProblem::BeforeBirth);
    }
    Ok(d)
}

/// A day that may lie ahead, but not more than [`FUTURE_YEARS`] from today.
pub fn not_too_far(d: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let limit = today
        .checked_add_months(chrono::Months::new(12 * FUTURE_YEARS))
        .unwrap_or(NaiveDate::MAX);
    if d > limit {
        return Err(DateProblem::TooFar);
    }
    Ok(d)
}

/// What is wrong with a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// The NUL character (U+0000).
    Nul,
    /// Another control character (C0 but tab and line breaks, DEL, C1).
    Control,
    /// A Unicode direction override or isolate (U+202A–U+202E,
    /// U+2066–U+2069), which can make text show other than it reads.
    Direction,
    /// A line break where the field has one line.
    LineBreak,
}

const NUL: Names = [
    "Tekstissä on NUL-merkki, jota ei voi tallentaa.",
    "Texten innehåller ett NUL-tecken som inte kan sparas.",
    "The text contains a NUL character, which cannot be stored.",
];
const CONTROL: Names = [
    "Tekstissä on ohjausmerkki, jota ei hyväksytä.",
    "Texten innehåller ett styrtecken som inte godtas.",
    "The text contains a control character, which is not accepted.",
];
const DIRECTION: Names = [
    "Tekstissä on kirjoitussuunnan ohitusmerkki (U+202A–U+202E, U+2066–U+2069), jota ei hyväksytä.",
    "Texten innehåller ett tecken som ändrar skrivriktningen (U+202A–U+202E, U+2066–U+2069), vilket inte godtas.",
    "The text contains a direction override (U+202A–U+202E, U+2066–U+2069), which is not accepted.",
];
const LINE_BREAK: Names = [
    "Tähän kenttään kirjoitetaan yksi rivi.",
    "I det här fältet skrivs en rad.",
    "This field takes one line.",
];

impl TextProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        pick(
            match self {
                Self::Nul => &NUL,
                Self::Control => &CONTROL,
                Self::Direction => &DIRECTION,
                Self::LineBreak => &LINE_BREAK,
            },
            lang,
        )
    }
}

/// Whether a character is refused in any text; tab, line feed and
/// carriage return are left to [`check_text`].
pub fn refused_char(c: char) -> Option<TextProblem> {
    match c {
        '\0' => Some(TextProblem::Nul),
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(TextProblem::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(TextProblem::Direction),
        _ => None,
    }
}

/// Checks a text: free text (`multiline`) may have tabs and line breaks;
/// a one-line field may not.
pub fn check_text(s: &str, multiline: bool) -> Result<(), TextProblem> {
    for c in s.chars() {
        if let Some(p) = refused_char(c) {
            return Err(p);
        }
        if !multiline && matches!(c, '\n' | '\r') {
            return Err(TextProblem::LineBreak);
        }
    }
    Ok(())
}

/// Serde's side of [`iso_date`], for the API's input types:
/// `#[serde(deserialize_with = "kirjo_domain::edge::de_date")]`.
pub fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s: String = serde::Deserialize::deserialize(d)?;
    iso_date(&s).ok_or_else(|| {
        serde::de::Error::custom("a date must be YYYY-MM-DD, in the years 1880-2199")
    })
}

/// [`de_date`] for an optional date (with `#[serde(default)]`); an empty
/// string is no date.
pub fn de_opt_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => iso_date(s).map(Some).ok_or_else(|| {
            serde::de::Error::custom("a date must be YYYY-MM-DD, in the years 1880-2199")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_strict_iso_dates_in_bounds() {
        for bad in [
            "-0001-01-01",
            "+2026-01-01",
            "2026-2-3",
            "2026-02-3",
            "1800-01-01",
            "1879-12-31",
            "2200-01-01",
            "2026-02-30",
            "20260203",
            "2026-02-03T00:00",
            "２０２６-02-03",
            "",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        assert_eq!(
            iso_date(" 1880-01-01 "),
            NaiveDate::from_ymd_opt(1880, 1, 1)
        );
        assert_eq!(
            iso_date("2199-12-31"),
            NaiveDate::from_ymd_opt(2199, 12, 31)
        );
    }

    #[test]
    fn text_rules() {
        assert_eq!(check_text("a\0b", true), Err(TextProblem::Nul));
        assert_eq!(check_text("a\u{7}b", true), Err(TextProblem::Control));
        assert_eq!(check_text("a\u{85}b", true), Err(TextProblem::Control));
        assert_eq!(check_text("a\u{7f}b", true), Err(TextProblem::Control));
        assert_eq!(check_text("a\u{202e}b", true), Err(TextProblem::Direction));
        assert_eq!(check_text("a\u{2069}b", true), Err(TextProblem::Direction));
        assert_eq!(check_text("a\nb\tc\r\n", true), Ok(()));
        assert_eq!(check_text("a\nb", false), Err(TextProblem::LineBreak));
        assert_eq!(check_text("a\tb", false), Ok(()));
        assert_eq!(check_text("Ääkköset ja 日本語 ‏", false), Ok(()));
    }
}
