//! National codes Kirjo does not have, in one place (issue 16): code lists
//! whose values could not be sourced (the code server,
//! koodistopalvelu.kanta.fi, cannot be reached from here), and single
//! values taken from a list's order that are not confirmed. A document
//! that would need one is refused at export with the reason, never
//! exported with a guessed code; the demo uses only codes Kirjo has.

/// A national code list whose values Kirjo does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingList {
    pub oid: &'static str,
    pub name_fi: &'static str,
    /// Where the national structures want it.
    pub used_for: &'static str,
    /// What Kirjo does instead.
    pub instead: &'static str,
}

/// Code lists without values.
pub const MISSING_LISTS: &[MissingList] = &[
    MissingList {
        oid: "1.2.246.537.6.1243",
        name_fi: "Sosiaalihuolto - Palvelutarpeen ilmoittaja",
        used_for: "the reporter of a child welfare notification (lastensuojeluilmoitus/ilmoittaja/taho), and THL's yearly counts by reporter type",
        instead: "the reporter's kind (professional with the duty to report, private person, anonymous) is exported as text in `kuvaus`; `taho` is left out",
    },
];

/// A single code value Kirjo offers but has not confirmed from the code
/// server: (code list OID, code, what it was taken from).
pub const UNCONFIRMED: &[(&str, &str, &str)] = &[
    (
        "1.2.246.537.6.1248",
        "2",
        "decision outcome 'negative': the list's order after 1 (positive), which THL's definition gives",
    ),
    (
        "1.2.246.537.6.1248",
        "3",
        "decision outcome 'partly positive': the list's order after 1 (positive), which THL's definition gives",
    ),
];

/// Whether Kirjo lacks the values of the code list `oid`.
pub fn list_missing(oid: &str) -> bool {
    MISSING_LISTS.iter().any(|m| m.oid == oid)
}

/// Why a code may not be exported, if so: its list is missing, or the
/// value is not confirmed.
pub fn refused(oid: &str, code: &str) -> Option<String> {
    if let Some(m) = MISSING_LISTS.iter().find(|m| m.oid == oid) {
        return Some(format!(
            "Kirjo does not have the values of code list {oid} ({})",
            m.name_fi
        ));
    }
    UNCONFIRMED
        .iter()
        .find(|(o, c, _)| *o == oid && *c == code)
        .map(|(_, _, why)| {
            format!("code {code} of {oid} is not confirmed from the code server ({why}); Kirjo does not guess it")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_form_offers_a_code_of_a_missing_list() {
        for s in crate::forms::specs() {
            for f in s.fields {
                if let crate::forms::Type::Choice(c) = &f.ty {
                    if let Some(system) = c.system {
                        assert!(!list_missing(system), "{}.{}: {system}", s.kind, f.key);
                    }
                }
            }
        }
    }

    #[test]
    fn unconfirmed_values_are_refused_and_confirmed_ones_are_not() {
        assert!(refused("1.2.246.537.6.1248", "2").is_some());
        assert!(refused("1.2.246.537.6.1248", "1").is_none());
        assert!(refused("1.2.246.537.6.1243", "1").is_some());
    }
}
