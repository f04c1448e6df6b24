//! THL's figures from the matters, computed in SQL over the whole county:
//! the semiannual processing times of child welfare (periods 1.4.–30.9. and
//! 1.10.–31.3.) and the yearly counts of how matters started and who made
//! the notifications. Aggregates only: a unit supervisor counts the units
//! they supervise, small counts are suppressed so that no one can be
//! recognised, and each export is recorded as a statistics disclosure.
//!
//! A matter is judged once, in the period where its deadline falls: the
//! decision on starting the assessment by its 7th weekday (any decision,
//! started or not), and an assessment that was started by its 3 months
//! (one closed before its deadline without being completed is not
//! counted). On time: done by the deadline. Late: done after it, or not
//! done and the deadline has passed. Pending: not done and not yet due.

use crate::audit::{record_disclosure, DisclosureEntry};
use crate::gate::{enter_general, Caller, GateError, GateSettings, Pending};
use chrono::{Datelike, NaiveDate};
use kirjo_access::Action;
use serde::Serialize;
use sqlx::Row;

/// Counts from 1 to this minus one are suppressed.
pub const SUPPRESS_BELOW: i64 = 5;

/// THL's half-year: 1.4.–30.9. or 1.10.–31.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period that begins on `from`: the 1st of April or of October.
    pub fn starting(from: NaiveDate) -> Option<Period> {
        let to = match (from.month(), from.day()) {
            (4, 1) => NaiveDate::from_ymd_opt(from.year(), 9, 30)?,
            (10, 1) => NaiveDate::from_ymd_opt(from.year() + 1, 3, 31)?,
            _ => return None,
        };
        Some(Period { from, to })
    }
    /// The period that contains `day`.
    pub fn containing(day: NaiveDate) -> Period {
        let y = day.year();
        let (from, to) = match day.month() {
            4..=9 => ((y, 4, 1), (y, 9, 30)),
            10..=12 => ((y, 10, 1), (y + 1, 3, 31)),
            _ => ((y - 1, 10, 1), (y, 3, 31)),
        };
        let d = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(day);
        Period {
            from: d(from),
            to: d(to),
        }
    }
    /// The period before this one.
    pub fn previous(self) -> Period {
        Period::containing(self.from.pred_opt().unwrap_or(self.from))
    }
    /// The day THL wants the figures: 17.10. and 17.4.
    pub fn due(self) -> NaiveDate {
        let (y, m) = if self.from.month() == 4 {
            (self.from.year(), 10)
        } else {
            (self.from.year() + 1, 4)
        };
        NaiveDate::from_ymd_opt(y, m, 17).unwrap_or(self.to)
    }
}

/// A count as it may be shown: `None` where suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Figure(pub Option<i64>);

impl Figure {
    pub fn of(n: i64) -> Figure {
        Figure((n == 0 || n >= SUPPRESS_BELOW).then_some(n))
    }
    /// As printed: the number, or `<5`.
    pub fn text(self) -> String {
        self.0
            .map_or_else(|| format!("<{SUPPRESS_BELOW}"), |n| n.to_string())
    }
}

/// A deadline's counts: all judged, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub total: i64,
    pub on_time: i64,
    pub late: i64,
    pub pending: i64,
}

/// [`Counts`] as shown. Where one part is suppressed, every part is, so
/// that no part can be worked out from the total and the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub total: Figure,
    pub on_time: Figure,
    pub late: Figure,
    pub pending: Figure,
}

impl Counts {
    pub fn shown(self) -> Shown {
        let parts = [self.on_time, self.late, self.pending].map(Figure::of);
        let hide = parts.iter().any(|f| f.0.is_none());
        let part = |f: Figure| if hide { Figure(None) } else { f };
        Shown {
            total: Figure::of(self.total),
            on_time: part(parts[0]),
            late: part(parts[1]),
            pending: part(parts[2]),
        }
    }
}

/// One unit's processing times, raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitTimes {
    pub unit: String,
    /// The decision on starting an assessment, by the 7th weekday.
    pub start: Counts,
    /// The assessment completed, within 3 months.
    pub completion: Counts,
}

/// The semiannual report: the controller (the county) and its units.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessingTimes {
    pub period: Period,
    pub counted_on: NaiveDate,
    pub units: Vec<UnitTimes>,
    pub total: UnitTimes,
}

/// Where the figures go when exported: recorded as a disclosure.
#[derive(Debug, Clone)]
pub struct Export<'a> {
    /// `csv` or `xlsx`.
    pub format: &'a str,
}

pub const RECIPIENT: &str = "Terveyden ja hyvinvoinnin laitos (THL)";
pub const LEGAL_BASIS: &str =
    "Laki Terveyden ja hyvinvoinnin laitoksesta (668/2008) 2 §: tilastot; vain yhteenvetoluvut, pienet luvut peitetty";

/// Records an exported report as a statistics disclosure to THL.
async fn disclose(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    settings: &GateSettings,
    access: &crate::gate::Access,
    data: &str,
    units: &[String],
    what: &str,
) -> Result<(), GateError> {
    let user_name = access.actor().map(|a| a.name.clone()).unwrap_or_default();
    record_disclosure(
        conn,
        &DisclosureEntry {
            request_id: Some(caller.request_id),
            user_id: Some(caller.user_id),
            user_name: &user_name,
            register_id: &settings.register_id,
            client_id: None,
            data: &format!("{data}, units {}", units.join(", ")),
            recipient: RECIPIENT,
            purpose: &format!("THL statistics: {what}"),
            legal_basis: LEGAL_BASIS,
        },
    )
    .await?;
    Ok(())
}

/// The processing times of `period`, counted today.
pub async fn processing_times(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    period: Period,
    export: Option<Export<'_>>,
) -> Result<ProcessingTimes, GateError> {
    let data = format!(
        "statistics: child welfare processing times {}–{}{}",
        period.from,
        period.to,
        export
            .as_ref()
            .map_or(String::new(), |e| format!(" ({})", e.format))
    );
    let mut g = enter_general(pool, caller, settings, Action::ReportStatistics, &data).await?;
    let units = crate::matters::supervised_units(&g);
    let (conn, access) = g.parts();
    let counted_on: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    let mut list: Vec<UnitTimes> =
        deadline_counts(conn, Grouping::Unit, period, &units, counted_on)
            .await?
            .into_iter()
            .map(|(unit, start, completion)| UnitTimes {
                unit,
                start,
                completion,
            })
            .collect();
    // Every supervised unit is reported, with zeros where nothing fell due.
    for u in &units {
        if !list.iter().any(|t| &t.unit == u) {
            list.push(UnitTimes {
                unit: u.clone(),
                start: Counts::default(),
                completion: Counts::default(),
            });
        }
    }
    list.sort_by(|a, b| a.unit.cmp(&b.unit));
    let sum = |f: &dyn Fn(&UnitTimes) -> Counts| {
        list.iter().map(f).fold(Counts::default(), |a, c| Counts {
            total: a.total + c.total,
            on_time: a.on_time + c.on_time,
            late: a.late + c.late,
            pending: a.pending + c.pending,
        })
    };
    let total = UnitTimes {
        unit: String::new(),
        start: sum(&|t| t.start),
        completion: sum(&|t| t.completion),
    };
    if let Some(e) = &export {
        disclose(
            conn,
            caller,
            settings,
            access,
            &data,
            &units,
            &format!("child welfare processing times ({})", e.format),
        )
        .await?;
    }
    Ok(g.finish(Pending::new(ProcessingTimes {
        period,
        counted_on,
        units: list,
        total,
    }))
    .await?)
}

/// What deadline counts are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// The unit (THL's figures).
    Unit,
    /// The month the deadline fell in, `YYYY-MM` (the supervisor's chart).
    Month,
}

/// Counts of the deadlines that fell in `period`, per group: (group, the
/// decision on starting the assessment, the completed assessment).
async fn deadline_counts(
    conn: &mut sqlx::PgConnection,
    grouping: Grouping,
    period: Period,
    units: &[String],
    counted_on: NaiveDate,
) -> Result<Vec<(String, Counts, Counts)>, sqlx::Error> {
    let rows = sqlx::query(&deadline_counts_sql(grouping))
        .bind(period.from)
        .bind(period.to)
        .bind(units)
        .bind(counted_on)
        .fetch_all(&mut *conn)
        .await?;
    let mut out: Vec<(String, Counts, Counts)> = Vec::new();
    for r in &rows {
        let group: String = r.try_get("grp")?;
        let counts = Counts {
            total: r.try_get("total")?,
            on_time: r.try_get("on_time")?,
            late: r.try_get("late")?,
            pending: r.try_get("pending")?,
        };
        let start = r.try_get::<String, _>("part")? == "start";
        let i = match out.iter().position(|(g, ..)| *g == group) {
            Some(i) => i,
            None => {
                out.push((group, Counts::default(), Counts::default()));
                out.len() - 1
            }
        };
        if start {
            out[i].1 = counts;
        } else {
            out[i].2 = counts;
        }
    }
    Ok(out)
}

/// [`deadline_counts`]' query. Binds: $1 and $2 the period, $3 the units,
/// $4 the day counted. By the indexes of matters by unit and deadline.
pub fn deadline_counts_sql(grouping: Grouping) -> String {
    let group = match grouping {
        Grouping::Unit => "unit_id",
        Grouping::Month => "to_char(due, 'YYYY-MM')",
    };
    format!(
        "WITH judged AS (
        SELECT m.unit_id, m.start_due, m.completion_due, m.closed_on,
               d.on_date AS decided_on, d.outcome AS decision, c.on_date AS completed_on
        FROM matter m
        LEFT JOIN matter_phase d ON d.matter_id = m.id AND d.phase = 'assessment_decided'
        LEFT JOIN matter_phase c ON c.matter_id = m.id AND c.phase = 'assessment_completed'
        WHERE m.unit_id = ANY($3)
          AND m.id IN (SELECT id FROM matter WHERE unit_id = ANY($3) AND start_due BETWEEN $1 AND $2
                       UNION
                       SELECT id FROM matter WHERE unit_id = ANY($3) AND completion_due BETWEEN $1 AND $2)
    ), judged_parts AS (
        SELECT 'start' AS part, unit_id, start_due AS due, decided_on AS done
        FROM judged WHERE start_due BETWEEN $1 AND $2
        UNION ALL
        SELECT 'completion', unit_id, completion_due, completed_on
        FROM judged
        WHERE completion_due BETWEEN $1 AND $2 AND decision = 'started'
          AND NOT (completed_on IS NULL AND closed_on IS NOT NULL AND closed_on <= completion_due)
    )
    SELECT part, {group} AS grp,
        count(*) AS total,
        count(*) FILTER (WHERE done <= due) AS on_time,
        count(*) FILTER (WHERE done > due OR (done IS NULL AND due < $4)) AS late,
        count(*) FILTER (WHERE done IS NULL AND due >= $4) AS pending
    FROM judged_parts
    GROUP BY part, grp
    ORDER BY grp, part"
    )
}

/// A month's deadlines in the supervised units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthTimes {
    /// `YYYY-MM`.
    pub month: String,
    pub start: Counts,
    pub completion: Counts,
}

/// The last `months` months' deadlines (this month included) in the units
/// the user supervises, on time and late, for the supervisor's chart. Not
/// a disclosure: the unit's own follow-up, so nothing is suppressed.
pub async fn monthly_deadlines(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    months: u32,
) -> Result<Vec<MonthTimes>, GateError> {
    let mut g = enter_general(
        pool,
        caller,
        settings,
        Action::ReportStatistics,
        &format!("statistics: the units' deadlines by month, {months} months"),
    )
    .await?;
    let units = crate::matters::supervised_units(&g);
    let (conn, _) = g.parts();
    let today: NaiveDate = sqlx::query_scalar("SELECT kirjo_today()")
        .fetch_one(&mut *conn)
        .await?;
    let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let this_month = first_of(today);
    let from = this_month
        .checked_sub_months(chrono::Months::new(months.saturating_sub(1)))
        .unwrap_or(this_month);
    let to = this_month
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(this_month);
    let counted =
        deadline_counts(conn, Grouping::Month, Period { from, to }, &units, today).await?;
    let mut out = Vec::new();
    let mut m = from;
    while m <= this_month {
        let key = m.format("%Y-%m").to_string();
        let (start, completion) = counted
            .iter()
            .find(|(g, ..)| *g == key)
            .map_or((Counts::default(), Counts::default()), |(_, s, c)| (*s, *c));
        out.push(MonthTimes {
            month: key,
            start,
            completion,
        });
        m = match m.checked_add_months(chrono::Months::new(1)) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(g.finish(Pending::new(out)).await?)
}

/// The yearly counts of a unit: matters by how they started, and the child
/// welfare notifications received by their reporter type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCounts {
    pub unit: String,
    /// (how it started, matters)
    pub started_by: Vec<(String, i64)>,
    /// (reporter type, notifications)
    pub reporters: Vec<(String, i64)>,
}

/// The yearly counts of `year`, per supervised unit.
pub async fn yearly_counts(
    pool: &sqlx::PgPool,
    caller: &Caller,
    settings: &GateSettings,
    year: i32,
    export: Option<Export<'_>>,
) -> Result<Vec<YearCounts>, GateError> {
    let data = format!(
        "statistics: matters and notifications of {year}{}",
        export
            .as_ref()
            .map_or(String::new(), |e| format!(" ({})", e.format))
    );
    let mut g = enter_general(pool, caller, settings, Action::ReportStatistics, &data).await?;
    let units = crate::matters::supervised_units(&g);
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let (conn, access) = g.parts();
    let started: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT unit_id, started_by, count(*) FROM matter
         WHERE unit_id = ANY($1) AND started_on BETWEEN $2 AND $3
         GROUP BY unit_id, started_by ORDER BY unit_id, started_by",
    )
    .bind(&units)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    // A notification counts in the unit of the matter it joined.
    let reporters: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.unit_id, coalesce(d.content->'notification'->>'reporter', d.content->>'reporter', 'unknown'), count(*)
         FROM matter m JOIN matter_document md ON md.matter_id = m.id
         JOIN document d ON d.id = md.document_id AND d.kind = 'child_welfare_notification'
         WHERE m.unit_id = ANY($1) AND m.started_on BETWEEN $2 - 366 AND $3
           AND kirjo_date(coalesce(d.content->'notification'->>'received_on', d.content->>'received_on')) BETWEEN $2 AND $3
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(&units)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let list: Vec<YearCounts> = units
        .iter()
        .map(|u| YearCounts {
            unit: u.clone(),
            started_by: started
                .iter()
                .filter(|(x, _, _)| x == u)
                .map(|(_, k, n)| (k.clone(), *n))
                .collect(),
            reporters: reporters
                .iter()
                .filter(|(x, _, _)| x == u)
                .map(|(_, k, n)| (k.clone(), *n))
                .collect(),
        })
        .collect();
    if let Some(e) = &export {
        disclose(
            conn,
            caller,
            settings,
            access,
            &data,
            &units,
            &format!("yearly counts ({})", e.format),
        )
        .await?;
    }
    Ok(g.finish(Pending::new(list)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_are_thls_half_years() {
        assert_eq!(
            Period::starting(d(2026, 4, 1)).map(|p| p.to),
            Some(d(2026, 9, 30))
        );
        assert_eq!(
            Period::starting(d(2025, 10, 1)).map(|p| p.to),
            Some(d(2026, 3, 31))
        );
        assert_eq!(Period::starting(d(2026, 4, 2)), None);
        assert_eq!(Period::containing(d(2026, 2, 14)).from, d(2025, 10, 1));
        assert_eq!(Period::containing(d(2026, 12, 3)).to, d(2027, 3, 31));
        assert_eq!(Period::containing(d(2026, 9, 30)).from, d(2026, 4, 1));
        assert_eq!(
            Period::containing(d(2026, 12, 3)).previous().from,
            d(2026, 4, 1)
        );
        assert_eq!(Period::containing(d(2026, 5, 1)).due(), d(2026, 10, 17));
        assert_eq!(Period::containing(d(2026, 1, 1)).due(), d(2026, 4, 17));
    }

    #[test]
    fn small_counts_are_suppressed_and_cannot_be_worked_out() {
        assert_eq!(Figure::of(0).text(), "0");
        assert_eq!(Figure::of(4).text(), "<5");
        assert_eq!(Figure::of(5).text(), "5");
        let s = Counts {
            total: 9,
            on_time: 7,
            late: 2,
            pending: 0,
        }
        .shown();
        assert_eq!(s.total, Figure(Some(9)));
        assert_eq!(
            (s.on_time, s.late, s.pending),
            (Figure(None), Figure(None), Figure(None))
        );
        let s = Counts {
            total: 12,
            on_time: 7,
            late: 5,
            pending: 0,
        }
        .shown();
        assert_eq!(
            (s.on_time, s.late, s.pending),
            (Figure(Some(7)), Figure(Some(5)), Figure(Some(0)))
        );
    }
}
