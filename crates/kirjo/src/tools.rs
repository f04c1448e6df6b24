//! Small commands over the domain rules: identity codes and the calendar.

use chrono::NaiveDate;
use kirjo_domain::calendar::{add_weekdays, holidays};
use kirjo_domain::hetu::{PersonalIdentityCode, Sex};
use std::fmt::Write;

/// `kirjo hetu CODE...`: one line per code; the bool says whether all were valid.
pub fn hetu(codes: &[String]) -> (String, bool) {
    let mut out = String::new();
    let mut all_valid = true;
    for code in codes {
        match PersonalIdentityCode::parse(code) {
            Ok(c) => {
                let sex = match c.sex() {
                    Sex::Male => "male",
                    Sex::Female => "female",
                };
                let kind = if c.is_temporary() {
                    "temporary"
                } else {
                    "ordinary"
                };
                let _ = writeln!(out, "{code}\tvalid\tborn {}\t{sex}\t{kind}", c.birth_date());
            }
            Err(e) => {
                all_valid = false;
                let _ = writeln!(out, "{code}\tinvalid\t{e}");
            }
        }
    }
    (out, all_valid)
}

/// `kirjo weekdays DATE N`.
pub fn weekdays(date: &str, n: u32) -> Result<String, String> {
    let d = parse_date(date)?;
    Ok(add_weekdays(d, n).to_string())
}

/// `kirjo holidays YEAR`.
pub fn holidays_of(year: i32) -> Result<String, String> {
    if !(1583..=9999).contains(&year) {
        return Err(format!(
            "year {year} is outside 1583-9999 (the Gregorian calendar)"
        ));
    }
    let mut out = String::new();
    for h in holidays(year) {
        let _ = writeln!(out, "{}\t{}", h.date, h.kind.name_fi());
    }
    Ok(out)
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not an ISO date like 2025-06-19"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hetu_lines() {
        let (out, ok) = hetu(&["010101-900R".into(), "131052-9085".into()]);
        assert!(ok, "{out}");
        assert!(out.contains("010101-900R\tvalid\tborn 1901-01-01\tfemale\ttemporary"));
        assert!(out.contains("131052-9085\tvalid\tborn 1952-10-13\tfemale\ttemporary"));
        let (out, ok) = hetu(&["010101-900R".into(), "010101-900S".into()]);
        assert!(!ok);
        assert!(
            out.contains("010101-900S\tinvalid\tcheck character"),
            "{out}"
        );
    }

    #[test]
    fn weekdays_and_holidays() {
        assert_eq!(weekdays("2024-12-19", 7).as_deref(), Ok("2025-01-03"));
        assert!(weekdays("2024-13-01", 1).is_err());
        let h = holidays_of(2025).unwrap_or_default();
        assert!(h.contains("2025-06-20\tjuhannusaatto"), "{h}");
        assert_eq!(h.lines().count(), 15);
        assert!(holidays_of(1000).is_err());
    }
}
