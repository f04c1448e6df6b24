//! The Finnish personal identity code, *henkilötunnus* (HETU).
//!
//! A code has exactly eleven ASCII characters, `DDMMYYCZZZQ`:
//!
//! - `DDMMYY` is the birth date (*syntymäaika*): day, month and the last two
//!   digits of the year. It must be a real calendar date, so `290200-`… (29
//!   February 1900) is invalid while `290200A`… (29 February 2000) is valid.
//! - `C` is the century sign (*välimerkki*): `+` for the 1800s; `-`, and since
//!   2023 also `Y`, `X`, `W`, `V` and `U`, for the 1900s; `A`, and since 2023
//!   also `B`, `C`, `D`, `E` and `F`, for the 2000s.
//! - `ZZZ` is the individual number (*yksilönumero*): `002`–`899` are ordinary
//!   codes and `900`–`999` temporary ones (*tilapäinen henkilötunnus*), used
//!   for example in test data and by some organisations before the Digital
//!   and Population Data Services Agency has assigned a permanent code. `000`
//!   and `001` are never used. An odd number means a man, an even number a
//!   woman.
//! - `Q` is the check character (*tarkistusmerkki*): the nine digits
//!   `DDMMYYZZZ` read as one integer, modulo 31, used as an index into
//!   `0123456789ABCDEFHJKLMNPRSTUVWXY`.
//!
//! Parsing is strict: no trimming and no case folding (a lowercase letter is
//! an invalid character). The checks run in this order and the first failure
//! is reported: length, characters left to right (digits, century sign, check
//! character alphabet), birth date, individual number, check character.
//!
//! Two codes that differ only in the century sign (`-` and `Y`, say) denote
//! different people: equality, ordering and hashing are by the exact
//! eleven-character string.
//!
//! Identity codes are personal data. [`PersonalIdentityCode`]'s `Debug`
//! output is redacted so that the code never ends up in an application log,
//! and no [`HetuError`] message contains the code.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// The 31 check characters, indexed by `DDMMYYZZZ mod 31`.
const CHECK_ALPHABET: [u8; 31] = *b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// The check character for the nine digits `DDMMYYZZZ` read as one integer.
///
/// Only the value modulo 31 matters, so any `u32` is accepted.
pub fn check_character(nine_digits: u32) -> char {
    // `nine_digits % 31` is always below 31, the alphabet's length.
    char::from(CHECK_ALPHABET[(nine_digits % 31) as usize])
}

fn is_check_alphabet(c: char) -> bool {
    c.is_ascii() && CHECK_ALPHABET.contains(&(c as u8))
}

/// A person's sex as encoded in the individual number (odd = male, even =
/// female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Sex {
    /// Odd individual number (*mies*).
    Male,
    /// Even individual number (*nainen*).
    Female,
}

/// The century sign (*välimerkki*), the seventh character of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CenturySign {
    /// `+`: born in the 1800s.
    Plus,
    /// `-`: born in the 1900s.
    Minus,
    /// `Y`: born in the 1900s (in use since 2023).
    Y,
    /// `X`: born in the 1900s (in use since 2023).
    X,
    /// `W`: born in the 1900s (in use since 2023).
    W,
    /// `V`: born in the 1900s (in use since 2023).
    V,
    /// `U`: born in the 1900s (in use since 2023).
    U,
    /// `A`: born in the 2000s.
    A,
    /// `B`: born in the 2000s (in use since 2023).
    B,
    /// `C`: born in the 2000s (in use since 2023).
    C,
    /// `D`: born in the 2000s (in use since 2023).
    D,
    /// `E`: born in the 2000s (in use since 2023).
    E,
    /// `F`: born in the 2000s (in use since 2023).
    F,
}

impl CenturySign {
    /// Every century sign, in declaration order.
    pub const ALL: [CenturySign; 13] = [
        CenturySign::Plus,
        CenturySign::Minus,
        CenturySign::Y,
        CenturySign::X,
        CenturySign::W,
        CenturySign::V,
        CenturySign::U,
        CenturySign::A,
        CenturySign::B,
        CenturySign::C,
        CenturySign::D,
        CenturySign::E,
        CenturySign::F,
    ];

    /// The character written in the code.
    pub fn as_char(self) -> char {
        match self {
            CenturySign::Plus => '+',
            CenturySign::Minus => '-',
            CenturySign::Y => 'Y',
            CenturySign::X => 'X',
            CenturySign::W => 'W',
            CenturySign::V => 'V',
            CenturySign::U => 'U',
            CenturySign::A => 'A',
            CenturySign::B => 'B',
            CenturySign::C => 'C',
            CenturySign::D => 'D',
            CenturySign::E => 'E',
            CenturySign::F => 'F',
        }
    }

    /// The sign written as `c`, if any. Case-sensitive: only uppercase
    /// letters are signs.
    pub fn from_char(c: char) -> Option<Self> {
        Self::ALL.into_iter().find(|sign| sign.as_char() == c)
    }

    /// The first year of the sign's century: 1800, 1900 or 2000.
    pub fn century(self) -> i32 {
        match self {
            CenturySign::Plus => 1800,
            CenturySign::Minus
            | CenturySign::Y
            | CenturySign::X
            | CenturySign::W
            | CenturySign::V
            | CenturySign::U => 1900,
            CenturySign::A
            | CenturySign::B
            | CenturySign::C
            | CenturySign::D
            | CenturySign::E
            | CenturySign::F => 2000,
        }
    }
}

impl fmt::Display for CenturySign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_char())
    }
}

/// Why a string is not a valid personal identity code.
///
/// The messages never contain the code itself, at most one offending
/// character or the individual number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HetuError {
    /// The code does not have exactly 11 characters.
    #[error("must be 11 characters, found {found}")]
    Length {
        /// The number of characters (not bytes) found.
        found: usize,
    },
    /// A character of the wrong kind: a non-digit at positions 1–6 or 8–10,
    /// a lowercase letter as the century sign, or a character outside the
    /// check alphabet at position 11.
    #[error("character {found:?} at position {position} is not allowed, expected {}", expected_at(*.position))]
    Characters {
        /// 1-based position of the character.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The seventh character is not a century sign, or (from
    /// [`PersonalIdentityCode::from_parts`]) the sign's century does not
    /// contain the birth date.
    #[error("century sign {found:?} is not valid")]
    CenturySign {
        /// The character found.
        found: char,
    },
    /// The birth date is not a real calendar date.
    #[error("birth date is not a real calendar date")]
    Date,
    /// The individual number is 000 or 001 (or, from
    /// [`PersonalIdentityCode::from_parts`], above 999).
    #[error("individual number {found:03} is not valid")]
    IndividualNumber {
        /// The individual number found.
        found: u16,
    },
    /// The check character does not match the nine digits.
    #[error("check character is {found:?}, expected {expected:?}")]
    CheckCharacter {
        /// The check character computed from the digits.
        expected: char,
        /// The check character in the code.
        found: char,
    },
}

fn expected_at(position: usize) -> &'static str {
    match position {
        7 => "an uppercase century sign",
        11 => "a check character from 0123456789ABCDEFHJKLMNPRSTUVWXY",
        _ => "a digit",
    }
}

impl HetuError {
    /// The message in Finnish, Swedish or English, for forms. Like the
    /// English `Display`, it never contains the code.
    pub fn message(&self, lang: crate::contact::Lang) -> String {
        use crate::contact::Lang::{En, Fi, Sv};
        match (self, lang) {
            (Self::Length { found }, Fi) => {
                format!("henkilötunnuksessa on 11 merkkiä, nyt {found}")
            }
            (Self::Length { found }, Sv) => format!("personbeteckningen har 11 tecken, nu {found}"),
            (Self::Characters { position, found }, Fi) => {
                format!("merkki {found:?} kohdassa {position} ei kelpaa")
            }
            (Self::Characters { position, found }, Sv) => {
                format!("tecknet {found:?} på plats {position} duger inte")
            }
            (Self::CenturySign { found }, Fi) => format!("välimerkki {found:?} ei kelpaa"),
            (Self::CenturySign { found }, Sv) => format!("skiljetecknet {found:?} duger inte"),
            (Self::Date, Fi) => "syntymäaika ei ole todellinen päivämäärä".to_owned(),
            (Self::Date, Sv) => "födelsedatumet är inte ett verkligt datum".to_owned(),
            (Self::IndividualNumber { found }, Fi) => format!("yksilönumero {found:03} ei kelpaa"),
            (Self::IndividualNumber { found }, Sv) => {
                format!("individnumret {found:03} duger inte")
            }
            (Self::CheckCharacter { expected, found }, Fi) => {
                format!("tarkistusmerkki on {found:?}, sen pitäisi olla {expected:?}")
            }
            (Self::CheckCharacter { expected, found }, Sv) => {
                format!("kontrolltecknet är {found:?}, det borde vara {expected:?}")
            }
            (e, En) => e.to_string(),
        }
    }
}

/// A valid Finnish personal identity code (*henkilötunnus*).
///
/// Construct with [`PersonalIdentityCode::parse`] (or [`FromStr`]) or
/// [`PersonalIdentityCode::from_parts`]. `Debug` is redacted; `Display` and
/// [`as_str`](PersonalIdentityCode::as_str) give the code itself.
#[derive(Clone)]
pub struct PersonalIdentityCode {
    /// The canonical eleven-character code; equality, ordering and hashing
    /// use only this.
    code: String,
    // The parts below are derived from `code` when it is validated.
    birth_date: NaiveDate,
    sign: CenturySign,
    individual_number: u16,
}

/// `DDMMYYZZZ` as one integer; at most 311_299_999, far below `u32::MAX`
/// for the validated ranges (day ≤ 31, month ≤ 12, yy ≤ 99, number ≤ 999).
fn nine_digits(day: u32, month: u32, yy: u32, number: u32) -> u32 {
    ((day * 100 + month) * 100 + yy) * 1000 + number
}

fn digit_value(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

impl PersonalIdentityCode {
    /// Parses and validates a code. Strict: no trimming, no case folding.
    pub fn parse(s: &str) -> Result<Self, HetuError> {
        let count = s.chars().count();
        if count != 11 {
            return Err(HetuError::Length { found: count });
        }
        let mut sign = CenturySign::Minus;
        for (index, c) in s.chars().enumerate() {
            let position = index + 1;
            match position {
                7 => match CenturySign::from_char(c) {
                    Some(found) => sign = found,
                    None if c.is_lowercase() => {
                        return Err(HetuError::Characters { position, found: c })
                    }
                    None => return Err(HetuError::CenturySign { found: c }),
                },
                11 => {
                    if !is_check_alphabet(c) {
                        return Err(HetuError::Characters { position, found: c });
                    }
                }
                _ => {
                    if !c.is_ascii_digit() {
                        return Err(HetuError::Characters { position, found: c });
                    }
                }
            }
        }
        // All eleven characters are ASCII now, so bytes are characters.
        let b = s.as_bytes();
        let two = |i: usize| digit_value(b[i]) * 10 + digit_value(b[i + 1]);
        let (day, month, yy) = (two(0), two(2), two(4));
        // yy < 100, so the cast is lossless.
        let year = sign.century() + yy as i32;
        let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or(HetuError::Date)?;
        let number = digit_value(b[7]) * 100 + two(8);
        // number < 1000 fits in u16.
        let individual_number = number as u16;
        if individual_number < 2 {
            return Err(HetuError::IndividualNumber {
                found: individual_number,
            });
        }
        let expected = check_character(nine_digits(day, month, yy, number));
        let found = char::from(b[10]);
        if found != expected {
            return Err(HetuError::CheckCharacter { expected, found });
        }
        Ok(Self {
            code: s.to_owned(),
            birth_date,
            sign,
            individual_number,
        })
    }

    /// Builds a code from its parts and computes the check character.
    ///
    /// Fails with [`HetuError::CenturySign`] if the birth year is not in the
    /// sign's century, and with [`HetuError::IndividualNumber`] if the number
    /// is 000, 001 or above 999.
    pub fn from_parts(
        birth_date: NaiveDate,
        sign: CenturySign,
        individual_number: u16,
    ) -> Result<Self, HetuError> {
        let yy = birth_date.year() - sign.century();
        if !(0..100).contains(&yy) {
            return Err(HetuError::CenturySign {
                found: sign.as_char(),
            });
        }
        if !(2..=999).contains(&individual_number) {
            return Err(HetuError::IndividualNumber {
                found: individual_number,
            });
        }
        let (day, month) = (birth_date.day(), birth_date.month());
        // 0 <= yy < 100 was checked above.
        let yy = yy as u32;
        let number = u32::from(individual_number);
        let check = check_character(nine_digits(day, month, yy, number));
        let code = format!(
            "{day:02}{month:02}{yy:02}{}{number:03}{check}",
            sign.as_char()
        );
        Ok(Self {
            code,
            birth_date,
            sign,
            individual_number,
        })
    }

    /// The code as written, eleven ASCII characters.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The birth date (*syntymäaika*).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The sex encoded in the individual number.
    pub fn sex(&self) -> Sex {
        if self.individual_number % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Whether this is a temporary code (individual number 900–999).
    pub fn is_temporary(&self) -> bool {
        self.individual_number >= 900
    }

    /// The individual number (*yksilönumero*), 2–999.
    pub fn individual_number(&self) -> u16 {
        self.individual_number
    }

    /// The century sign (*välimerkki*).
    pub fn century_sign(&self) -> CenturySign {
        self.sign
    }
}

impl PartialEq for PersonalIdentityCode {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for PersonalIdentityCode {}

impl Hash for PersonalIdentityCode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code.hash(state);
    }
}

impl PartialOrd for PersonalIdentityCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PersonalIdentityCode {
    fn cmp(&self, other: &Self) -> Ordering {
        self.code.cmp(&other.code)
    }
}

impl fmt::Debug for PersonalIdentityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonalIdentityCode(<redacted>)")
    }
}

impl fmt::Display for PersonalIdentityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl FromStr for PersonalIdentityCode {
    type Err = HetuError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for PersonalIdentityCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code)
    }
}

impl<'de> serde::Deserialize<'de> for PersonalIdentityCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;

        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = PersonalIdentityCode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Finnish personal identity code")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                PersonalIdentityCode::parse(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(CodeVisitor)
    }
}
