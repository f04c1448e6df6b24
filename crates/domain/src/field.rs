//! What the typed fields of every kind of document share: names in
//! Finnish, Swedish and English, the messages for the commonest mistakes,
//! and the longest free text.
//!
//! Both `document` (the narrative entry and the child welfare notification)
//! and `forms` (the kinds that are forms) use these, so they live below
//! both and use neither: `document` uses `forms`, never the other way round.
//! Other crates reach them through the re-exports in `forms` ([`Names`],
//! [`say`], [`REQUIRED`], [`BAD_DATE`], [`FUTURE_DATE`], [`CHOOSE`]) and in
//! `document` ([`MAX_TEXT`]).

use crate::contact::Lang;

/// A name in Finnish, Swedish and English.
pub type Names = [&'static str; 3];

/// A name in one language.
pub(crate) fn pick(n: &Names, lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => n[0],
        Lang::Sv => n[1],
        Lang::En => n[2],
    }
}

/// The messages every kind of document shares.
pub const REQUIRED: Names = ["Pakollinen tieto.", "Obligatorisk uppgift.", "Required."];
pub const BAD_DATE: Names = [
    "Päivämäärä ei kelpaa.",
    "Datumet duger inte.",
    "The date is not valid.",
];
pub const FUTURE_DATE: Names = [
    "Päivämäärä ei voi olla tulevaisuudessa.",
    "Datumet kan inte vara i framtiden.",
    "The date cannot be in the future.",
];
pub const CHOOSE: Names = [
    "Valitse jokin vaihtoehdoista.",
    "Välj ett av alternativen.",
    "Choose one of the options.",
];

/// One of the shared messages in a language.
pub fn say(n: Names, lang: Lang) -> &'static str {
    pick(&n, lang)
}

/// The longest entry text, in characters.
pub const MAX_TEXT: usize = 20_000;
