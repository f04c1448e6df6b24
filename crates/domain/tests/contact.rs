#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Tests for the contact and payment detail types.
//!
//! The valid IBANs are published examples (the Finnish banks' and the SWIFT
//! IBAN registry's); the proptest builds further ones with its own mod-97
//! computation, independent of the code under test.

use std::fmt;

use kirjo_domain::contact::{
    iban_length, languages, municipalities, Email, EmailError, Iban, IbanError, Lang, LanguageCode,
    LanguageError, MunicipalityCode, MunicipalityError, PhoneError, PhoneNumber,
};
use proptest::prelude::*;
use serde::de::value::{Error as DeError, StrDeserializer};
use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};

/// Serialises through serde's `Serializer` for `fmt::Formatter`, which
/// writes a string as it is.
struct Ser<'a, T: Serialize>(&'a T);

impl<T: Serialize> fmt::Display for Ser<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.serialize(f)
    }
}

fn de<'a, T: Deserialize<'a>>(s: &'a str) -> Result<T, DeError> {
    let d: StrDeserializer<'a, DeError> = s.into_deserializer();
    T::deserialize(d)
}

// ---------------------------------------------------------------------------
// Lang
// ---------------------------------------------------------------------------

#[test]
fn lang_parse() {
    assert_eq!(Lang::parse("fi"), Some(Lang::Fi));
    assert_eq!(Lang::parse(" SV "), Some(Lang::Sv));
    assert_eq!(Lang::parse("sv-FI"), Some(Lang::Sv));
    assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
    assert_eq!(Lang::parse("de"), None);
    assert_eq!(Lang::parse(""), None);
    assert_eq!(Lang::Fi.as_str(), "fi");
}

// ---------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------

const VALID_IBANS: &[&str] = &[
    "FI21 1234 5600 0007 85",
    "DE89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32",
    "SE45 5000 0000 0583 9825 7466",
    "NO93 8601 1117 947",
    "BE68 5390 0754 7034",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91 ABNA 0417 1643 00",
    "EE38 2200 2210 2014 5685",
    "CH93 0076 2011 6238 5295 7",
];

#[test]
fn valid_ibans() {
    for s in VALID_IBANS {
        let iban = Iban::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(iban.to_string(), *s, "print form");
        assert_eq!(iban.as_str(), s.replace(' ', ""), "electronic form");
    }
}

#[test]
fn iban_normalisation() {
    let iban = Iban::parse("  fi2112345600000785 ").unwrap();
    assert_eq!(iban.as_str(), "FI2112345600000785");
    assert_eq!(iban.to_string(), "FI21 1234 5600 0007 85");
    assert_eq!(iban.country(), "FI");
    // A non-breaking space copied from a web page is whitespace too.
    assert_eq!(Iban::parse("FI21\u{a0}1234 5600 0007 85").unwrap(), iban);
    assert_eq!(
        Iban::parse("DE89370400440532013000").unwrap().country(),
        "DE"
    );
}

#[test]
fn iban_errors() {
    assert_eq!(Iban::parse(""), Err(IbanError::Empty));
    assert_eq!(Iban::parse("   "), Err(IbanError::Empty));
    assert_eq!(
        Iban::parse("FI21-1234-5600-0007-85"),
        Err(IbanError::Characters)
    );
    assert_eq!(Iban::parse("FIÄ1 1234"), Err(IbanError::Characters));
    assert_eq!(
        Iban::parse("FIXX 1234 5600 0007 85"),
        Err(IbanError::Characters)
    );
    assert_eq!(
        Iban::parse("XX21 1234 5600 0007 85"),
        Err(IbanError::Country)
    );
    assert_eq!(
        Iban::parse("US21 1234 5600 0007 85"),
        Err(IbanError::Country)
    );
    assert_eq!(
        Iban::parse("1221 1234 5600 0007 85"),
        Err(IbanError::Country)
    );
    assert_eq!(Iban::parse("F"), Err(IbanError::Country));
    assert_eq!(
        Iban::parse("FI21 1234 5600 0007 8"),
        Err(IbanError::Length {
            expected: 18,
            found: 17
        })
    );
    assert_eq!(
        Iban::parse("FI21 1234 5600 0007 850"),
        Err(IbanError::Length {
            expected: 18,
            found: 19
        })
    );
    assert_eq!(
        Iban::parse("FI"),
        Err(IbanError::Length {
            expected: 18,
            found: 2
        })
    );
    assert_eq!(
        Iban::parse("FI22 1234 5600 0007 85"),
        Err(IbanError::Checksum)
    );
    // Two adjacent digits swapped.
    assert_eq!(
        Iban::parse("FI21 1234 5600 0007 58"),
        Err(IbanError::Checksum)
    );
    assert_eq!(
        Iban::parse("GB82 WEST 1234 5698 7654 33"),
        Err(IbanError::Checksum)
    );
}

#[test]
fn iban_lengths_cover_sepa() {
    let sepa = [
        "AD", "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
        "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT",
        "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "VA",
    ];
    for c in sepa {
        assert!(iban_length(c).is_some(), "{c}");
    }
    assert_eq!(iban_length("FI"), Some(18));
    assert_eq!(iban_length("DE"), Some(22));
    assert_eq!(iban_length("NO"), Some(15));
    assert_eq!(iban_length("MT"), Some(31));
    assert_eq!(iban_length("US"), None);
}

#[test]
fn iban_debug_is_redacted() {
    let iban = Iban::parse(VALID_IBANS[0]).unwrap();
    assert_eq!(format!("{iban:?}"), "Iban(<redacted>)");
}

#[test]
fn iban_serde() {
    let iban = Iban::parse("FI21 1234 5600 0007 85").unwrap();
    assert_eq!(Ser(&iban).to_string(), "FI2112345600000785");
    assert_eq!(de::<Iban>("fi21 1234 5600 0007 85").unwrap(), iban);
    let err = de::<Iban>("FI22 1234 5600 0007 85").unwrap_err();
    assert_eq!(err.to_string(), IbanError::Checksum.to_string());
    assert_eq!("FI2112345600000785".parse::<Iban>().unwrap(), iban);
}

/// The test's own ISO 7064 mod 97-10: expand letters to two digits, then
/// take the remainder of the decimal string.
fn reference_mod97(rearranged: &str) -> u32 {
    let mut expanded = String::new();
    for c in rearranged.chars() {
        if c.is_ascii_digit() {
            expanded.push(c);
        } else {
            expanded.push_str(&(c as u32 - 'A' as u32 + 10).to_string());
        }
    }
    expanded
        .bytes()
        .fold(0, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97)
}

/// A valid IBAN for `country` with the given BBAN.
fn make_iban(country: &str, bban: &str) -> String {
    let remainder = reference_mod97(&format!("{bban}{country}00"));
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// A country and a BBAN of digits (for GB, four letters of bank code and
/// digits) of the right length.
fn valid_iban() -> impl Strategy<Value = String> {
    let countries = ["FI", "SE", "DE", "NO", "FR", "EE", "MT", "GB"];
    prop::sample::select(countries.to_vec()).prop_flat_map(|country| {
        let len = iban_length(country).unwrap() - 4;
        let letters = if country == "GB" { 4 } else { 0 };
        let pattern = format!("[A-Z]{{{letters}}}[0-9]{{{}}}", len - letters);
        proptest::string::string_regex(&pattern)
            .unwrap()
            .prop_map(move |bban| make_iban(country, &bban))
    })
}

proptest! {
    #[test]
    fn generated_ibans_are_valid(iban in valid_iban()) {
        let parsed = Iban::parse(&iban).unwrap();
        prop_assert_eq!(parsed.as_str(), iban.as_str());
    }

    /// Mod 97 catches every single-digit substitution: a change of d at
    /// decimal place k changes the number by d * 10^k, which 97 (a prime)
    /// never divides for 1 <= d <= 9.
    #[test]
    fn one_changed_digit_fails_the_checksum(
        iban in prop_oneof![
            valid_iban(),
            prop::sample::select(VALID_IBANS.to_vec()).prop_map(|s| s.replace(' ', "")),
        ],
        pick in any::<prop::sample::Index>(),
        delta in 1u8..=9,
    ) {
        let digit_positions: Vec<usize> = iban
            .char_indices()
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
            .collect();
        let pos = digit_positions[pick.index(digit_positions.len())];
        let mut bytes = iban.clone().into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_ne!(&changed, &iban);
        prop_assert_eq!(Iban::parse(&changed), Err(IbanError::Checksum));
    }
}

// ---------------------------------------------------------------------------
// Phone number
// ---------------------------------------------------------------------------

#[test]
fn phone_normalisation() {
    let cases = [
        ("040 123 4567", "+358401234567"),
        ("040-123 4567", "+358401234567"),
        ("0401234567", "+358401234567"),
        ("040 1234 5678", "+3584012345678"),
        ("09 1234 567", "+35891234567"),
        ("(09) 1234 567", "+35891234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("+358 (0)40 123 4567", "+358401234567"),
        ("+358 040 123 4567", "+358401234567"),
        ("00358 40 123 4567", "+358401234567"),
        ("0046 8 123 456 78", "+46812345678"),
        ("+46 (0)8-123 456 78", "+46812345678"),
        ("+1 (212) 555-0100", "+12125550100"),
        ("  +44 20 7946 0958  ", "+442079460958"),
    ];
    for (input, expected) in cases {
        let phone = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(phone.as_str(), expected, "{input}");
        assert_eq!(phone.to_string(), expected, "{input}");
    }
}

#[test]
fn phone_errors() {
    assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
    assert_eq!(PhoneNumber::parse(" \t "), Err(PhoneError::Empty));
    for bad in [
        "040 123 4567 ext",
        "040.123.4567",
        "040/1234567",
        "358 40 123 4567",
        "40 123 4567",
        "040 + 123",
        "++358401234567",
        "(040) (123) 4567",
        "040 (123 4567",
        "040 123) 4567",
        "040 () 1234567",
        "+0 40 123 4567",
        "000 40 123 4567",
        "-",
    ] {
        assert_eq!(
            PhoneNumber::parse(bad),
            Err(PhoneError::Characters),
            "{bad}"
        );
    }
    for bad in [
        "+",
        "+12345",
        "0123",
        "+1234567890123456",
        "040 1234 5678 9012 34",
    ] {
        assert_eq!(PhoneNumber::parse(bad), Err(PhoneError::Length), "{bad}");
    }
    // Boundaries: 7 and 15 digits including the country code.
    assert_eq!(PhoneNumber::parse("+1234567").unwrap().as_str(), "+1234567");
    assert_eq!(
        PhoneNumber::parse("+123456789012345").unwrap().as_str(),
        "+123456789012345"
    );
}

#[test]
fn phone_debug_is_redacted_and_serde_uses_e164() {
    let phone = PhoneNumber::parse("040 123 4567").unwrap();
    assert_eq!(format!("{phone:?}"), "PhoneNumber(<redacted>)");
    assert!(!format!("{:?}", Some(&phone)).contains("123"));
    assert_eq!(Ser(&phone).to_string(), "+358401234567");
    assert_eq!(de::<PhoneNumber>("+358401234567").unwrap(), phone);
    assert_eq!(
        de::<PhoneNumber>("abc").unwrap_err().to_string(),
        PhoneError::Characters.to_string()
    );
}

// ---------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------

#[test]
fn valid_emails() {
    let cases = [
        (
            "matti.meikalainen@example.fi",
            "matti.meikalainen@example.fi",
        ),
        (" Matti@Example.FI ", "Matti@example.fi"),
        ("a@b.co", "a@b.co"),
        (
            "first+tag@sub.example-domain.com",
            "first+tag@sub.example-domain.com",
        ),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("user@xn--tst-qla.example", "user@xn--tst-qla.example"),
        ("x@123.45.fi", "x@123.45.fi"),
    ];
    for (input, expected) in cases {
        let email = Email::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(email.as_str(), expected);
        assert_eq!(email.to_string(), expected);
    }
    let local64 = "a".repeat(64);
    assert!(Email::parse(&format!("{local64}@example.fi")).is_ok());
    let label63 = "b".repeat(63);
    assert!(Email::parse(&format!("a@{label63}.fi")).is_ok());
    // 254 characters in all, and one more.
    let domain = format!("{0}.{0}.{0}.{1}.fi", "c".repeat(63), "d".repeat(56));
    let longest = format!("ab@{domain}");
    assert_eq!(longest.len(), 254);
    assert!(Email::parse(&longest).is_ok());
    let too_long = format!("abc@{domain}");
    assert_eq!(Email::parse(&too_long), Err(EmailError::Format));
}

#[test]
fn invalid_emails() {
    assert_eq!(Email::parse(""), Err(EmailError::Empty));
    assert_eq!(Email::parse("   "), Err(EmailError::Empty));
    let local65 = "a".repeat(65);
    let label64 = "b".repeat(64);
    for bad in [
        "plain",
        "@example.fi",
        "matti@",
        "matti@example",
        "matti@@example.fi",
        "matti@ex@ample.fi",
        "matti meikalainen@example.fi",
        "matti@exa mple.fi",
        "matti@example..fi",
        "matti@.example.fi",
        "matti@example.fi.",
        "matti@-example.fi",
        "matti@example-.fi",
        "matti@exa_mple.fi",
        "matti@esimerkki.fi\n",
        "matti@äänekoski.fi",
        ".matti@example.fi",
        "matti.@example.fi",
        "mat..ti@example.fi",
        "\"matti\"@example.fi",
        "matti(at)example.fi",
        "pää@example.fi",
        &format!("{local65}@example.fi"),
        &format!("a@{label64}.fi"),
    ] {
        if bad.ends_with('\n') {
            // Trailing whitespace is trimmed.
            assert!(Email::parse(bad).is_ok());
            continue;
        }
        assert_eq!(Email::parse(bad), Err(EmailError::Format), "{bad}");
    }
}

#[test]
fn email_debug_is_redacted_and_serde() {
    let email = Email::parse("matti@example.fi").unwrap();
    assert_eq!(format!("{email:?}"), "Email(<redacted>)");
    assert_eq!(Ser(&email).to_string(), "matti@example.fi");
    assert_eq!(de::<Email>("matti@EXAMPLE.fi").unwrap(), email);
    assert_eq!(
        de::<Email>("matti").unwrap_err().to_string(),
        EmailError::Format.to_string()
    );
}

// ---------------------------------------------------------------------------
// Municipality
// ---------------------------------------------------------------------------

const MUNICIPALITIES_CSV: &str = include_str!("../data/municipalities.csv");

#[test]
fn municipality_list_has_every_line() {
    // Lines of the file, less comment lines and the column header.
    let data_lines = MUNICIPALITIES_CSV
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count()
        - 1;
    assert_eq!(data_lines, 309);
    assert_eq!(municipalities().len(), data_lines);
    let mut codes: Vec<&str> = municipalities().iter().map(|m| m.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), 309, "codes are sorted and unique");
    // The file names its source.
    assert!(MUNICIPALITIES_CSV.starts_with('#'));
    assert!(MUNICIPALITIES_CSV.contains("Yleisradio/geodata"));
    assert!(MUNICIPALITIES_CSV.contains("2021"));
}

#[test]
fn municipality_lookup() {
    let helsinki = MunicipalityCode::parse("091").unwrap();
    assert_eq!(helsinki.name_fi(), "Helsinki");
    assert_eq!(helsinki.name_sv(), "Helsingfors");
    assert_eq!(helsinki.name(Lang::Sv), "Helsingfors");
    assert_eq!(helsinki.as_str(), "091");
    assert_eq!(helsinki.municipality().county, None);
    assert_eq!(format!("{helsinki:?}"), "MunicipalityCode(\"091\")");

    let oulu = MunicipalityCode::parse(" 564 ").unwrap();
    assert_eq!(oulu.name_fi(), "Oulu");
    assert_eq!(oulu.name_sv(), "Uleåborg");
    assert_eq!(oulu.municipality().county, Some("PP"));
    assert_eq!(
        MunicipalityCode::parse("478").unwrap().name_sv(),
        "Mariehamn"
    );

    assert_eq!(
        MunicipalityCode::parse("000"),
        Err(MunicipalityError::Unknown)
    );
    assert_eq!(
        MunicipalityCode::parse("999"),
        Err(MunicipalityError::Unknown)
    );
    for bad in ["", "91", "0911", "09a", "abc", "٠٩١"] {
        assert_eq!(
            MunicipalityCode::parse(bad),
            Err(MunicipalityError::Format),
            "{bad}"
        );
    }
}

#[test]
fn municipality_serde() {
    let code = MunicipalityCode::parse("091").unwrap();
    assert_eq!(Ser(&code).to_string(), "091");
    assert_eq!(de::<MunicipalityCode>("091").unwrap(), code);
    assert_eq!(
        de::<MunicipalityCode>("999").unwrap_err().to_string(),
        MunicipalityError::Unknown.to_string()
    );
}

// ---------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------

#[test]
fn language_codes() {
    let fi = LanguageCode::parse("fi").unwrap();
    assert_eq!(fi.name(Lang::Fi), "suomi");
    assert_eq!(fi.name(Lang::Sv), "finska");
    assert_eq!(fi.name(Lang::En), "Finnish");
    assert_eq!(LanguageCode::parse("sv").unwrap().name(Lang::Fi), "ruotsi");
    let se = LanguageCode::parse("se").unwrap();
    assert_eq!(se.name(Lang::En), "Northern Sami");
    assert_eq!(se.name(Lang::Fi), "pohjoissaame");
    assert_eq!(
        LanguageCode::parse("smn").unwrap().name(Lang::En),
        "Inari Sami"
    );
    assert_eq!(
        LanguageCode::parse("sms").unwrap().name(Lang::Sv),
        "skoltsamiska"
    );
    assert_eq!(LanguageCode::parse(" EN ").unwrap().as_str(), "en");
    // Falls back to English where the list has no Finnish name.
    let aa = LanguageCode::parse("aa").unwrap();
    assert_eq!(aa.language().name_fi, None);
    assert_eq!(aa.name(Lang::Fi), "Afar");

    assert_eq!(LanguageCode::parse("xx"), Err(LanguageError::Unknown));
    assert_eq!(LanguageCode::parse("fin"), Err(LanguageError::Unknown));
    assert_eq!(LanguageCode::parse("sme"), Err(LanguageError::Unknown));
    for bad in ["", "f", "suomi", "f1", "fi-FI", "öö"] {
        assert_eq!(
            LanguageCode::parse(bad),
            Err(LanguageError::Format),
            "{bad}"
        );
    }
}

#[test]
fn language_list() {
    let list = languages();
    // 184 ISO 639-1 codes (pycountry's list) and smn and sms.
    assert_eq!(list.len(), 186);
    let required = [
        "fi", "sv", "se", "smn", "sms", "en", "ru", "et", "so", "ar", "fa", "ku", "tr", "uk", "vi",
        "th", "zh", "de", "fr", "es", "pl", "sq", "bs", "hr", "sr", "ro", "hu", "lt", "lv", "pt",
        "it", "ne", "ti", "am", "ps",
    ];
    for code in required {
        let lang = LanguageCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        let row = lang.language();
        assert!(row.name_fi.is_some(), "{code} Finnish name");
        assert!(row.name_sv.is_some(), "{code} Swedish name");
    }
    for row in list {
        assert!(!row.name_en.is_empty());
        assert!(row.code.len() == 2 || ["smn", "sms"].contains(&row.code));
    }
}

#[test]
fn language_serde() {
    let code = LanguageCode::parse("sv").unwrap();
    assert_eq!(Ser(&code).to_string(), "sv");
    assert_eq!(de::<LanguageCode>("SV").unwrap(), code);
    assert_eq!(
        de::<LanguageCode>("xx").unwrap_err().to_string(),
        LanguageError::Unknown.to_string()
    );
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/// Every error variant with its messages in Finnish, Swedish and English.
fn all_messages() -> Vec<(String, [String; 3], String)> {
    fn row<E: fmt::Display + fmt::Debug>(
        e: &E,
        message: impl Fn(Lang) -> String,
    ) -> (String, [String; 3], String) {
        (
            format!("{e:?}"),
            [message(Lang::Fi), message(Lang::Sv), message(Lang::En)],
            e.to_string(),
        )
    }
    let mut rows = Vec::new();
    for e in [
        IbanError::Empty,
        IbanError::Characters,
        IbanError::Country,
        IbanError::Length {
            expected: 18,
            found: 17,
        },
        IbanError::Checksum,
    ] {
        rows.push(row(&e, |l| e.message(l)));
    }
    for e in [
        PhoneError::Empty,
        PhoneError::Characters,
        PhoneError::Length,
    ] {
        rows.push(row(&e, |l| e.message(l)));
    }
    for e in [EmailError::Empty, EmailError::Format] {
        rows.push(row(&e, |l| e.message(l)));
    }
    for e in [MunicipalityError::Format, MunicipalityError::Unknown] {
        rows.push(row(&e, |l| e.message(l)));
    }
    for e in [LanguageError::Format, LanguageError::Unknown] {
        rows.push(row(&e, |l| e.message(l)));
    }
    rows
}

#[test]
fn messages_in_three_languages() {
    let rows = all_messages();
    assert_eq!(rows.len(), 14);
    for (variant, [fi, sv, en], display) in &rows {
        assert!(
            !fi.is_empty() && !sv.is_empty() && !en.is_empty(),
            "{variant}"
        );
        assert_ne!(fi, en, "{variant}: Finnish equals English");
        assert_ne!(sv, en, "{variant}: Swedish equals English");
        assert_ne!(fi, sv, "{variant}: Finnish equals Swedish");
        assert_eq!(en, display, "{variant}: English is the Display");
    }
    // Messages within one language tell the variants apart.
    for lang in 0..3 {
        let mut texts: Vec<&String> = rows.iter().map(|r| &r.1[lang]).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), rows.len());
    }
}

#[test]
fn length_message_has_the_numbers() {
    let e = IbanError::Length {
        expected: 18,
        found: 17,
    };
    for lang in [Lang::Fi, Lang::Sv, Lang::En] {
        let m = e.message(lang);
        assert!(m.contains("18") && m.contains("17"), "{m}");
    }
}
