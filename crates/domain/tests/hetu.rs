//! Tests for the personal identity code (henkilötunnus).
//!
//! The valid examples below were computed by hand with the published rule
//! (DDMMYYZZZ mod 31), independently of the code under test. Apart from the
//! widely published 131052-9085 they use temporary individual numbers
//! (900–999) only.

// Helpers outside #[test] functions are not covered by clippy.toml's
// allow-*-in-tests settings; panicking is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use kirjo_domain::hetu::{check_character, CenturySign, HetuError, PersonalIdentityCode, Sex};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn parse(s: &str) -> Result<PersonalIdentityCode, HetuError> {
    PersonalIdentityCode::parse(s)
}

/// (code, birth date, sex, temporary)
type Example = (&'static str, (i32, u32, u32), Sex, bool);

const VALID: &[Example] = &[
    ("131052-9085", (1952, 10, 13), Sex::Female, true),
    ("010101+901S", (1801, 1, 1), Sex::Male, true),
    ("311299+902A", (1899, 12, 31), Sex::Female, true),
    ("150650-903J", (1950, 6, 15), Sex::Male, true),
    ("150650Y903J", (1950, 6, 15), Sex::Male, true),
    ("150650X904K", (1950, 6, 15), Sex::Female, true),
    ("010280W9053", (1980, 2, 1), Sex::Male, true),
    ("280201V9065", (1901, 2, 28), Sex::Female, true),
    ("290284U9078", (1984, 2, 29), Sex::Male, true),
    ("290200A908L", (2000, 2, 29), Sex::Female, true),
    ("290204B909N", (2004, 2, 29), Sex::Male, true),
    ("101010C910E", (2010, 10, 10), Sex::Female, true),
    ("310123D999Y", (2023, 1, 31), Sex::Male, true),
    ("050505E900K", (2005, 5, 5), Sex::Female, true),
    ("121212F911W", (2012, 12, 12), Sex::Male, true),
    ("290296-912H", (1996, 2, 29), Sex::Female, true),
];

#[test]
fn known_valid_codes_parse() {
    for &(code, (y, m, d), sex, temporary) in VALID {
        let parsed = parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.as_str(), code);
        assert_eq!(parsed.to_string(), code);
        assert_eq!(parsed.birth_date(), date(y, m, d), "{code}");
        assert_eq!(parsed.sex(), sex, "{code}");
        assert_eq!(parsed.is_temporary(), temporary, "{code}");
        let sign = CenturySign::from_char(code.as_bytes()[6] as char).unwrap();
        assert_eq!(parsed.century_sign(), sign);
        assert_eq!(
            parsed.individual_number(),
            code[7..10].parse::<u16>().unwrap()
        );
        let rebuilt =
            PersonalIdentityCode::from_parts(date(y, m, d), sign, parsed.individual_number())
                .unwrap();
        assert_eq!(rebuilt, parsed);
        assert_eq!(code.parse::<PersonalIdentityCode>().unwrap(), parsed);
    }
}

#[test]
fn a_temporary_code_reads_back() {
    let code = parse("131052-9085").unwrap();
    assert_eq!(code.individual_number(), 908);
    assert!(code.is_temporary());
    assert_eq!(code.century_sign(), CenturySign::Minus);
    assert_eq!(check_character(131_052_908), '5');
}

#[test]
fn every_century_sign() {
    let expected = [
        ('+', CenturySign::Plus, 1800),
        ('-', CenturySign::Minus, 1900),
        ('Y', CenturySign::Y, 1900),
        ('X', CenturySign::X, 1900),
        ('W', CenturySign::W, 1900),
        ('V', CenturySign::V, 1900),
        ('U', CenturySign::U, 1900),
        ('A', CenturySign::A, 2000),
        ('B', CenturySign::B, 2000),
        ('C', CenturySign::C, 2000),
        ('D', CenturySign::D, 2000),
        ('E', CenturySign::E, 2000),
        ('F', CenturySign::F, 2000),
    ];
    assert_eq!(CenturySign::ALL.len(), expected.len());
    for (c, sign, century) in expected {
        assert_eq!(CenturySign::from_char(c), Some(sign));
        assert_eq!(sign.as_char(), c);
        assert_eq!(sign.century(), century);
        // 15.06.YY with number 903: 150650903 mod 31 is 'J' whatever the sign.
        let code = format!("150650{c}903J");
        let parsed = parse(&code).unwrap();
        assert_eq!(parsed.century_sign(), sign);
        assert_eq!(parsed.birth_date(), date(century + 50, 6, 15));
    }
    for c in ['a', 'y', 'Z', 'G', '*', '0', ' ', '/'] {
        assert_eq!(CenturySign::from_char(c), None, "{c:?}");
    }
}

#[test]
fn minus_and_y_are_different_identities() {
    let minus = parse("150650-903J").unwrap();
    let y = parse("150650Y903J").unwrap();
    assert_eq!(minus.birth_date(), y.birth_date());
    assert_eq!(minus.individual_number(), y.individual_number());
    assert_ne!(minus, y);
    let set: HashSet<_> = [minus.clone(), y.clone(), minus.clone()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
    assert_ne!(minus.cmp(&y), std::cmp::Ordering::Equal);
}

#[test]
fn leap_years() {
    // 2000 is a leap year, 1900 and 1800 are not; 1984, 1996, 2004 are.
    assert!(parse("290200A908L").is_ok());
    assert_eq!(parse("290200-908L"), Err(HetuError::Date));
    assert_eq!(parse("290200+908L"), Err(HetuError::Date));
    assert!(parse("290284U9078").is_ok());
    assert!(parse("290204B909N").is_ok());
    // 29.2.2001 and 30.2.2000 do not exist (the check character would not
    // matter: the date is checked first).
    assert_eq!(parse("290201A900X"), Err(HetuError::Date));
    assert_eq!(parse("300200A900X"), Err(HetuError::Date));
    assert!(PersonalIdentityCode::from_parts(date(2000, 2, 29), CenturySign::A, 908).is_ok());
}

#[test]
fn length_error() {
    assert_eq!(parse(""), Err(HetuError::Length { found: 0 }));
    assert_eq!(parse("131052-908"), Err(HetuError::Length { found: 10 }));
    assert_eq!(parse("131052-9085T"), Err(HetuError::Length { found: 12 }));
    // No trimming.
    assert_eq!(parse(" 131052-9085"), Err(HetuError::Length { found: 12 }));
    assert_eq!(parse("131052-9085\n"), Err(HetuError::Length { found: 12 }));
    // Characters, not bytes.
    assert_eq!(
        parse("13105ä-9085"),
        Err(HetuError::Characters {
            position: 6,
            found: 'ä'
        })
    );
    assert_eq!(
        HetuError::Length { found: 10 }.to_string(),
        "must be 11 characters, found 10"
    );
}

#[test]
fn characters_error() {
    assert_eq!(
        parse("1x1052-9085"),
        Err(HetuError::Characters {
            position: 2,
            found: 'x'
        })
    );
    assert_eq!(
        parse("131052-9O85"),
        Err(HetuError::Characters {
            position: 9,
            found: 'O'
        })
    );
    // Lowercase is never accepted: check character and century sign.
    assert_eq!(
        parse("131052-908t"),
        Err(HetuError::Characters {
            position: 11,
            found: 't'
        })
    );
    assert_eq!(
        parse("290200a908L"),
        Err(HetuError::Characters {
            position: 7,
            found: 'a'
        })
    );
    assert_eq!(
        parse("150650y903J"),
        Err(HetuError::Characters {
            position: 7,
            found: 'y'
        })
    );
    // Letters that are not in the check alphabet.
    for c in ['G', 'I', 'O', 'Q', 'Z', '-'] {
        assert_eq!(
            parse(&format!("131052-908{c}")),
            Err(HetuError::Characters {
                position: 11,
                found: c
            })
        );
    }
    // The first bad character is reported.
    assert_eq!(
        parse("ab1052-9085"),
        Err(HetuError::Characters {
            position: 1,
            found: 'a'
        })
    );
    let message = HetuError::Characters {
        position: 2,
        found: 'x',
    }
    .to_string();
    assert!(
        message.contains("'x'") && message.contains("position 2"),
        "{message}"
    );
}

#[test]
fn century_sign_error() {
    for c in ['Z', 'G', '*', '/', '0', ' '] {
        assert_eq!(
            parse(&format!("131052{c}9085")),
            Err(HetuError::CenturySign { found: c })
        );
    }
    // from_parts: the sign's century must contain the birth year.
    assert_eq!(
        PersonalIdentityCode::from_parts(date(1950, 6, 15), CenturySign::A, 903),
        Err(HetuError::CenturySign { found: 'A' })
    );
    assert_eq!(
        PersonalIdentityCode::from_parts(date(2000, 1, 1), CenturySign::Y, 903),
        Err(HetuError::CenturySign { found: 'Y' })
    );
    assert_eq!(
        PersonalIdentityCode::from_parts(date(1799, 12, 31), CenturySign::Plus, 903),
        Err(HetuError::CenturySign { found: '+' })
    );
    assert_eq!(
        PersonalIdentityCode::from_parts(date(2100, 1, 1), CenturySign::F, 903),
        Err(HetuError::CenturySign { found: 'F' })
    );
}

#[test]
fn date_error() {
    assert_eq!(parse("000100A900X"), Err(HetuError::Date));
    assert_eq!(parse("321200A900X"), Err(HetuError::Date));
    assert_eq!(parse("311100A900X"), Err(HetuError::Date));
    assert_eq!(parse("011300A900X"), Err(HetuError::Date));
    assert_eq!(parse("010000A900X"), Err(HetuError::Date));
    assert_eq!(
        HetuError::Date.to_string(),
        "birth date is not a real calendar date"
    );
}

#[test]
fn individual_number_error() {
    // 000 and 001 are never issued. The codes are built here with the right
    // check character, so that only the individual number is wrong.
    let with_number = |n: &str| {
        let nine: u32 = format!("010100{n}").parse().unwrap();
        format!("010100A{n}{}", check_character(nine))
    };
    assert_eq!(
        parse(&with_number("000")),
        Err(HetuError::IndividualNumber { found: 0 })
    );
    assert_eq!(
        parse(&with_number("001")),
        Err(HetuError::IndividualNumber { found: 1 })
    );
    assert!(parse(&with_number("902")).is_ok());
    for n in [0, 1, 1000, u16::MAX] {
        assert_eq!(
            PersonalIdentityCode::from_parts(date(2000, 1, 1), CenturySign::A, n),
            Err(HetuError::IndividualNumber { found: n })
        );
    }
    assert_eq!(
        HetuError::IndividualNumber { found: 1 }.to_string(),
        "individual number 001 is not valid"
    );
}

#[test]
fn check_character_error() {
    assert_eq!(
        parse("131052-9080"),
        Err(HetuError::CheckCharacter {
            expected: '5',
            found: '0'
        })
    );
    assert_eq!(
        HetuError::CheckCharacter {
            expected: 'Y',
            found: 'X'
        }
        .to_string(),
        "check character is 'X', expected 'Y'"
    );
}

#[test]
fn check_character_alphabet() {
    let alphabet = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    for (i, c) in alphabet.chars().enumerate() {
        assert_eq!(check_character(i as u32), c);
        assert_eq!(check_character(i as u32 + 31 * 1000), c);
    }
    assert_eq!(
        check_character(u32::MAX),
        alphabet.as_bytes()[(u32::MAX % 31) as usize] as char
    );
}

#[test]
fn debug_is_redacted_and_errors_do_not_leak() {
    let code = parse("131052-9085").unwrap();
    let debug = format!("{code:?}");
    assert_eq!(debug, "PersonalIdentityCode(<redacted>)");
    assert_eq!(
        format!("{:?}", Some(&code)),
        "Some(PersonalIdentityCode(<redacted>))"
    );
    assert_eq!(format!("{code}"), "131052-9085");
    for bad in [
        "131052-9080",
        "131052-908",
        "131052Z9085",
        "310252-9085",
        "131052-9O85",
    ] {
        let message = parse(bad).unwrap_err().to_string();
        assert!(!message.contains(bad), "{message}");
        assert!(!message.contains("131052"), "{message}");
    }
}

#[test]
fn serde_round_trip() {
    // No serde_json in dev-dependencies: use the serde value deserializer.
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    let ok: StrDeserializer<'_, ValueError> = "150650Y903J".into_deserializer();
    let code = PersonalIdentityCode::deserialize(ok).unwrap();
    assert_eq!(code.as_str(), "150650Y903J");

    let bad: StrDeserializer<'_, ValueError> = "131052-9080".into_deserializer();
    let err = PersonalIdentityCode::deserialize(bad).unwrap_err();
    assert_eq!(err.to_string(), "check character is '0', expected '5'");

    let owned: serde::de::value::StringDeserializer<ValueError> =
        String::from("131052-9085").into_deserializer();
    assert!(PersonalIdentityCode::deserialize(owned).is_ok());

    // Serialize writes the string itself.
    let serialized = serde::Serialize::serialize(&code, StrOnly).unwrap();
    assert_eq!(serialized, "150650Y903J");
}

/// A minimal serializer that only accepts a string, to check `Serialize`
/// without serde_json.
struct StrOnly;

impl serde::Serializer for StrOnly {
    type Ok = String;
    type Error = serde::de::value::Error;
    type SerializeSeq = serde::ser::Impossible<String, Self::Error>;
    type SerializeTuple = serde::ser::Impossible<String, Self::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<String, Self::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<String, Self::Error>;
    type SerializeMap = serde::ser::Impossible<String, Self::Error>;
    type SerializeStruct = serde::ser::Impossible<String, Self::Error>;
    type SerializeStructVariant = serde::ser::Impossible<String, Self::Error>;

    fn serialize_str(self, v: &str) -> Result<String, Self::Error> {
        Ok(v.to_owned())
    }
    fn serialize_bool(self, _: bool) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_i8(self, _: i8) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_i16(self, _: i16) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_i32(self, _: i32) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_i64(self, _: i64) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_u8(self, _: u8) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_u16(self, _: u16) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_u32(self, _: u32) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_u64(self, _: u64) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_f32(self, _: f32) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_f64(self, _: f64) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_char(self, _: char) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_none(self) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_unit(self) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(serde::ser::Error::custom("not a string"))
    }
}

/// The valid signs for a year's century.
fn signs_for(year: i32) -> Vec<CenturySign> {
    CenturySign::ALL
        .into_iter()
        .filter(|sign| sign.century() == year / 100 * 100)
        .collect()
}

fn any_date_1800_2099() -> impl Strategy<Value = NaiveDate> {
    let first = date(1800, 1, 1);
    let days = (date(2099, 12, 31) - first).num_days();
    (0..=days).prop_map(move |d| first + chrono::Duration::days(d))
}

fn any_valid_code() -> impl Strategy<Value = PersonalIdentityCode> {
    (
        any_date_1800_2099(),
        any::<prop::sample::Index>(),
        2u16..=999,
    )
        .prop_map(|(birth, index, number)| {
            let signs = signs_for(birth.year());
            let sign = signs[index.index(signs.len())];
            PersonalIdentityCode::from_parts(birth, sign, number).unwrap()
        })
}

const ALPHABET: &str = "0123456789ABCDEFHJKLMNPRSTUVWXY";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn from_parts_round_trips(
        birth in any_date_1800_2099(),
        index in any::<prop::sample::Index>(),
        number in 2u16..=999,
    ) {
        let signs = signs_for(birth.year());
        let sign = signs[index.index(signs.len())];
        let code = PersonalIdentityCode::from_parts(birth, sign, number).unwrap();
        let text = code.as_str();
        prop_assert_eq!(text.len(), 11);
        let parsed = PersonalIdentityCode::parse(text).unwrap();
        prop_assert_eq!(&parsed, &code);
        prop_assert_eq!(parsed.as_str(), text);
        prop_assert_eq!(parsed.birth_date(), birth);
        prop_assert_eq!(parsed.century_sign(), sign);
        prop_assert_eq!(parsed.individual_number(), number);
        let sex = if number % 2 == 1 { Sex::Male } else { Sex::Female };
        prop_assert_eq!(parsed.sex(), sex);
        prop_assert_eq!(parsed.is_temporary(), number >= 900);
        prop_assert_eq!(&text[0..6], birth.format("%d%m%y").to_string());
        prop_assert_eq!(text.as_bytes()[6] as char, sign.as_char());
        prop_assert_eq!(&text[7..10], format!("{number:03}"));
    }

    #[test]
    fn wrong_check_character_is_reported(
        code in any_valid_code(),
        index in any::<prop::sample::Index>(),
    ) {
        let text = code.as_str();
        let right = text.as_bytes()[10] as char;
        let others: Vec<char> = ALPHABET.chars().filter(|&c| c != right).collect();
        let wrong = others[index.index(others.len())];
        let tampered = format!("{}{wrong}", &text[..10]);
        prop_assert_eq!(
            PersonalIdentityCode::parse(&tampered),
            Err(HetuError::CheckCharacter { expected: right, found: wrong })
        );
    }

    #[test]
    fn wrong_length_is_reported(
        chars in prop_oneof![
            prop::collection::vec(any::<char>(), 0..11),
            prop::collection::vec(any::<char>(), 12..40),
        ],
    ) {
        let s: String = chars.iter().collect();
        prop_assert_eq!(
            PersonalIdentityCode::parse(&s),
            Err(HetuError::Length { found: chars.len() })
        );
    }

    #[test]
    fn parse_never_panics(chars in prop::collection::vec(any::<char>(), 0..16)) {
        let s: String = chars.into_iter().collect();
        if let Ok(code) = PersonalIdentityCode::parse(&s) {
            prop_assert_eq!(code.as_str(), s.as_str());
        }
    }

    #[test]
    fn parse_never_panics_near_valid(
        code in any_valid_code(),
        position in 0usize..11,
        replacement in prop_oneof![
            prop::sample::select(b"0123456789+-ABCDEFHJKLMNPRSTUVWXYZabcxyz /".to_vec()),
            any::<u8>().prop_filter("ascii", u8::is_ascii),
        ],
    ) {
        let mut bytes = code.as_str().as_bytes().to_vec();
        bytes[position] = replacement;
        let s = String::from_utf8(bytes).unwrap();
        match PersonalIdentityCode::parse(&s) {
            Ok(parsed) => {
                prop_assert_eq!(parsed.as_str(), s.as_str());
                let rebuilt = PersonalIdentityCode::from_parts(
                    parsed.birth_date(),
                    parsed.century_sign(),
                    parsed.individual_number(),
                ).unwrap();
                prop_assert_eq!(rebuilt, parsed);
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.contains(s.as_str()));
            }
        }
    }
}
