//! Password rules: at least 12 characters, not on the list of common and
//! breached passwords shipped with Kirjo (`data/common-passwords.txt`), not
//! the user's own name. No composition rules and no periodic change by
//! default, as current guidance advises.

use kirjo_domain::contact::Lang;
use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("../../data/common-passwords.txt");
pub const MIN_CHARS: usize = 12;

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    Common,
    ContainsUsername,
}

impl Weakness {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::TooShort, Lang::Fi) => "Salasanassa on oltava vähintään 12 merkkiä.",
            (Self::TooShort, Lang::Sv) => "Lösenordet måste ha minst 12 tecken.",
            (Self::TooShort, Lang::En) => "The password must have at least 12 characters.",
            (Self::Common, Lang::Fi) => {
                "Salasana on yleisesti käytetty tai vuotanut: valitse toinen."
            }
            (Self::Common, Lang::Sv) => "Lösenordet är vanligt eller läckt: välj ett annat.",
            (Self::Common, Lang::En) => {
                "The password is common or has been leaked: choose another."
            }
            (Self::ContainsUsername, Lang::Fi) => "Salasana ei saa sisältää käyttäjätunnusta.",
            (Self::ContainsUsername, Lang::Sv) => "Lösenordet får inte innehålla användarnamnet.",
            (Self::ContainsUsername, Lang::En) => "The password must not contain the user id.",
        }
    }
}

/// Checks a new password for a user.
pub fn check(password: &str, username: &str) -> Result<(), Weakness> {
    if password.chars().count() < MIN_CHARS {
        return Err(Weakness::TooShort);
    }
    let lower = password.to_lowercase();
    if common().contains(lower.as_str()) {
        return Err(Weakness::Common);
    }
    let name = username.to_lowercase();
    let first = name.split(['.', '_', '-']).next().unwrap_or("");
    if lower.contains(&name) || (first.len() >= 4 && lower.contains(first)) {
        return Err(Weakness::ContainsUsername);
    }
    Ok(())
}

/// A random temporary password for an administrator's reset.
pub fn temporary() -> Option<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).ok()?;
    Some(
        bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(check("lyhyt", "x.y"), Err(Weakness::TooShort));
        assert_eq!(check("1qaz2wsx3edc", "x.y"), Err(Weakness::Common));
        assert_eq!(check("QWERTY123456", "x.y"), Err(Weakness::Common));
        assert_eq!(check("Salasana1234", "x.y"), Err(Weakness::Common));
        assert_eq!(
            check("sari.saarinen-kesä", "sari.saarinen"),
            Err(Weakness::ContainsUsername)
        );
        assert_eq!(check("pitkä lause jota ei arvaa", "sari.saarinen"), Ok(()));
        assert!(common().len() > 30_000);
        let t = temporary().unwrap_or_default();
        assert_eq!(t.len(), 20);
        assert_eq!(check(&t, "x.y"), Ok(()));
        for w in [
            Weakness::TooShort,
            Weakness::Common,
            Weakness::ContainsUsername,
        ] {
            assert_ne!(w.message(Lang::Fi), w.message(Lang::En));
            assert_ne!(w.message(Lang::Sv), w.message(Lang::En));
        }
    }
}
