//! Time-based one-time passwords (RFC 6238 over RFC 4226, HMAC-SHA1, six
//! digits, 30-second steps): what every authenticator app speaks. Codes of
//! the step before and after are accepted too, for clock drift; the store
//! refuses a step already used, so a code is good once.

use totp_rs::Algorithm;
use totp_rs::Secret;
use totp_rs::TOTP;

pub const STEP_SECS: i64 = 30;
pub const DIGITS: u32 = 6;

/// A new 160-bit secret, as RFC 4226 recommends.
pub fn new_secret() -> Option<[u8; 20]> {
    let mut s = [0u8; 20];
    getrandom::getrandom(&mut s).ok()?;
    Some(s)
}

/// Six-digit HMAC-SHA1 codes of `secret`, a new one every `period`
/// seconds. Unchecked: the secret's length is what the store holds (the
/// checked constructor refuses less than 128 bits), and the digits and
/// algorithm are fixed here.
fn generator(secret: &[u8], period: u64) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS as usize, 0, period, secret.to_vec())
}

/// The HOTP value of `counter` (RFC 4226 section 5.3): a TOTP whose steps
/// are one second long, at time `counter`.
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    generator(secret, 1)
        .generate(counter)
        .parse()
        .unwrap_or(u32::MAX)
}

/// The time step of a Unix time.
pub fn step_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The first second of a step (steps before 1970 count as step 0).
fn start_of(step: i64) -> u64 {
    u64::try_from(step)
        .unwrap_or_default()
        .saturating_mul(STEP_SECS.unsigned_abs())
}

/// The six-digit code of a step, zero-padded.
pub fn code_at(secret: &[u8], step: i64) -> String {
    generator(secret, STEP_SECS.unsigned_abs()).generate(start_of(step))
}

/// The step (within one of `now`'s) whose code `code` is, if any. Spaces in
/// the code are ignored; anything but six digits matches nothing. Each step
/// is checked on its own (no skew) so that the step that matched is known;
/// the comparison is the crate's, in constant time.
pub fn matching_step(secret: &[u8], code: &str, unix_now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = generator(secret, STEP_SECS.unsigned_abs());
    let now = step_of(unix_now);
    [now, now - 1, now + 1]
        .into_iter()
        .find(|&s| totp.check(&code, start_of(s)))
}

/// RFC 4648 base32 without padding: how authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    generator(bytes, STEP_SECS.unsigned_abs()).get_secret_base32()
}

/// Decodes base32 (case and spaces ignored, padding allowed; bits left
/// over at the end are dropped).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Secret::Encoded(text).to_bytes().ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// The QR code of `text` as an SVG element, for the enrolment page.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Ten one-time recovery codes, each 50 random bits in Crockford's
/// alphabet (no i, l, o or u to misread), shown as `xxxxx-xxxxx`.
pub fn new_recovery_codes() -> Option<Vec<String>> {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..10)
        .map(|_| {
            let mut b = [0u8; 10];
            getrandom::getrandom(&mut b).ok()?;
            let s: String = b
                .iter()
                .map(|x| char::from(ALPHABET[usize::from(x & 31)]))
                .collect();
            Some(format!("{}-{}", &s[..5], &s[5..]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 rows (eight digits there; the last six
    /// are what a six-digit code is).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(secret, step_of(time)), eight[2..], "time {time}");
        }
    }

    #[test]
    fn rfc_4226_hotp_values() {
        let secret = b"12345678901234567890";
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(hotp(secret, counter as u64), *value);
        }
    }

    #[test]
    fn codes_of_the_neighbouring_steps_match_and_others_do_not() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let step = step_of(now);
        assert_eq!(
            matching_step(secret, &code_at(secret, step), now),
            Some(step)
        );
        assert_eq!(
            matching_step(secret, &code_at(secret, step - 1), now),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(secret, &code_at(secret, step + 1), now),
            Some(step + 1)
        );
        assert_eq!(matching_step(secret, &code_at(secret, step - 2), now), None);
        assert_eq!(matching_step(secret, "12345", now), None);
        assert_eq!(matching_step(secret, "abcdef", now), None);
        let spaced = code_at(secret, step);
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert_eq!(matching_step(secret, &spaced, now), Some(step));
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"fo"), "MZXQ");
        assert_eq!(from_base32("mzxw6ytboi").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(from_base32("MZXQ===="), Some(b"fo".to_vec()));
        assert_eq!(from_base32("MZ1Q"), None);
        let s = [7u8; 20];
        assert_eq!(from_base32(&base32(&s)), Some(s.to_vec()));
    }

    #[test]
    fn base32_decoding_forgives_spaces_case_and_padding_but_not_other_letters() {
        assert_eq!(
            from_base32(" mzxw 6ytb\tOI ").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(from_base32("MZ=XQ"), Some(b"fo".to_vec()));
        assert_eq!(from_base32(""), Some(vec![]));
        assert_eq!(from_base32("MZXQ0"), None);
        assert_eq!(from_base32("MZXÄ"), None);
    }

    #[test]
    fn the_uri_names_issuer_and_account_and_the_qr_code_renders() {
        let uri = otpauth_uri("Kirjo Harjuniemi", "anna.admin", b"12345678901234567890");
        assert!(uri.starts_with("otpauth://totp/Kirjo%20Harjuniemi:anna.admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Kirjo%20Harjuniemi"));
        let svg = qr_svg(&uri).unwrap_or_default();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }

    #[test]
    fn recovery_codes_are_ten_and_distinct() {
        let codes = new_recovery_codes().unwrap_or_default();
        assert_eq!(codes.len(), 10);
        let set: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(set.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && &c[5..6] == "-"));
    }
}
