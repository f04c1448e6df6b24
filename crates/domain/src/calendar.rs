//! Finnish public holidays (*arkipyhät* and *pyhäpäivät*) and weekday
//! (*arkipäivä*) arithmetic for statutory deadlines.
//!
//! A weekday here is Monday to Friday that is not one of the holidays below.
//! Holidays:
//!
//! | Finnish | Swedish | English | Date |
//! |---|---|---|---|
//! | uudenvuodenpäivä | nyårsdagen | New Year's Day | 1 January |
//! | loppiainen | trettondedag jul | Epiphany | 6 January |
//! | pitkäperjantai | långfredagen | Good Friday | Easter − 2 |
//! | pääsiäispäivä | påskdagen | Easter Sunday | Easter |
//! | 2. pääsiäispäivä | annandag påsk | Easter Monday | Easter + 1 |
//! | vappu | första maj | May Day | 1 May |
//! | helatorstai | Kristi himmelsfärdsdag | Ascension Day | Easter + 39 |
//! | helluntaipäivä | pingstdagen | Whit Sunday | Easter + 49 |
//! | juhannusaatto | midsommarafton | Midsummer Eve | the Friday in 19–25 June |
//! | juhannuspäivä | midsommardagen | Midsummer Day | the Saturday in 20–26 June |
//! | pyhäinpäivä | alla helgons dag | All Saints' Day | the Saturday in 31 October – 6 November |
//! | itsenäisyyspäivä | självständighetsdagen | Independence Day | 6 December |
//! | jouluaatto | julafton | Christmas Eve | 24 December |
//! | joulupäivä | juldagen | Christmas Day | 25 December |
//! | tapaninpäivä | annandag jul | St Stephen's Day | 26 December |
//!
//! Midsummer Eve and Christmas Eve are not statutory holidays, but public
//! offices are closed on them, so they are not counted as weekdays.
//!
//! The rules are those in force since 1992 and are applied to every year
//! (proleptically); for example, in 1973–1990 Epiphany and Ascension Day
//! were moved to Saturdays, which this module does not model.
//!
//! Finnish local time ([`helsinki`], [`helsinki_midnight`],
//! [`helsinki_today`]) is not computed by hand: the offsets and summer-time
//! rules of Europe/Helsinki come from the IANA time-zone database, compiled
//! into the `chrono-tz` crate (its version is
//! [`chrono_tz::IANA_TZDB_VERSION`]). A change of the rules, such as the EU
//! ending seasonal clock changes, is a dependency update. The holidays and
//! weekday arithmetic above are written here on purpose: no database has
//! them.

use chrono::{
    DateTime, Datelike, Days, MappedLocalTime, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::{Europe::Helsinki, GapInfo};

/// A Finnish public holiday (or a day treated as one, see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// 1 January.
    NewYearsDay,
    /// 6 January.
    Epiphany,
    /// Two days before Easter Sunday.
    GoodFriday,
    /// Easter Sunday.
    EasterSunday,
    /// The day after Easter Sunday.
    EasterMonday,
    /// 1 May.
    MayDay,
    /// 39 days after Easter Sunday (a Thursday).
    AscensionDay,
    /// Whit Sunday, 49 days after Easter Sunday.
    Pentecost,
    /// The Friday between 19 and 25 June.
    MidsummerEve,
    /// The Saturday between 20 and 26 June.
    MidsummerDay,
    /// The Saturday between 31 October and 6 November.
    AllSaintsDay,
    /// 6 December.
    IndependenceDay,
    /// 24 December.
    ChristmasEve,
    /// 25 December.
    ChristmasDay,
    /// 26 December.
    StStephensDay,
}

impl HolidayKind {
    /// Every kind, in calendar order (ties on the same date, e.g. May Day and
    /// Ascension Day in 2008, keep this order in [`holidays`]).
    pub const ALL: [HolidayKind; 15] = [
        HolidayKind::NewYearsDay,
        HolidayKind::Epiphany,
        HolidayKind::GoodFriday,
        HolidayKind::EasterSunday,
        HolidayKind::EasterMonday,
        HolidayKind::MayDay,
        HolidayKind::AscensionDay,
        HolidayKind::Pentecost,
        HolidayKind::MidsummerEve,
        HolidayKind::MidsummerDay,
        HolidayKind::AllSaintsDay,
        HolidayKind::IndependenceDay,
        HolidayKind::ChristmasEve,
        HolidayKind::ChristmasDay,
        HolidayKind::StStephensDay,
    ];

    /// The Finnish name, in lowercase as written mid-sentence.
    pub fn name_fi(self) -> &'static str {
        match self {
            HolidayKind::NewYearsDay => "uudenvuodenpäivä",
            HolidayKind::Epiphany => "loppiainen",
            HolidayKind::GoodFriday => "pitkäperjantai",
            HolidayKind::EasterSunday => "pääsiäispäivä",
            HolidayKind::EasterMonday => "2. pääsiäispäivä",
            HolidayKind::MayDay => "vappu",
            HolidayKind::AscensionDay => "helatorstai",
            HolidayKind::Pentecost => "helluntaipäivä",
            HolidayKind::MidsummerEve => "juhannusaatto",
            HolidayKind::MidsummerDay => "juhannuspäivä",
            HolidayKind::AllSaintsDay => "pyhäinpäivä",
            HolidayKind::IndependenceDay => "itsenäisyyspäivä",
            HolidayKind::ChristmasEve => "jouluaatto",
            HolidayKind::ChristmasDay => "joulupäivä",
            HolidayKind::StStephensDay => "tapaninpäivä",
        }
    }

    /// The Swedish name, in lowercase as written mid-sentence.
    pub fn name_sv(self) -> &'static str {
        match self {
            HolidayKind::NewYearsDay => "nyårsdagen",
            HolidayKind::Epiphany => "trettondedag jul",
            HolidayKind::GoodFriday => "långfredagen",
            HolidayKind::EasterSunday => "påskdagen",
            HolidayKind::EasterMonday => "annandag påsk",
            HolidayKind::MayDay => "första maj",
            HolidayKind::AscensionDay => "Kristi himmelsfärdsdag",
            HolidayKind::Pentecost => "pingstdagen",
            HolidayKind::MidsummerEve => "midsommarafton",
            HolidayKind::MidsummerDay => "midsommardagen",
            HolidayKind::AllSaintsDay => "alla helgons dag",
            HolidayKind::IndependenceDay => "självständighetsdagen",
            HolidayKind::ChristmasEve => "julafton",
            HolidayKind::ChristmasDay => "juldagen",
            HolidayKind::StStephensDay => "annandag jul",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            HolidayKind::NewYearsDay => "New Year's Day",
            HolidayKind::Epiphany => "Epiphany",
            HolidayKind::GoodFriday => "Good Friday",
            HolidayKind::EasterSunday => "Easter Sunday",
            HolidayKind::EasterMonday => "Easter Monday",
            HolidayKind::MayDay => "May Day",
            HolidayKind::AscensionDay => "Ascension Day",
            HolidayKind::Pentecost => "Whit Sunday",
            HolidayKind::MidsummerEve => "Midsummer Eve",
            HolidayKind::MidsummerDay => "Midsummer Day",
            HolidayKind::AllSaintsDay => "All Saints' Day",
            HolidayKind::IndependenceDay => "Independence Day",
            HolidayKind::ChristmasEve => "Christmas Eve",
            HolidayKind::ChristmasDay => "Christmas Day",
            HolidayKind::StStephensDay => "St Stephen's Day",
        }
    }
}

/// A holiday on a particular date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// Which holiday it is.
    pub kind: HolidayKind,
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher),
/// or `None` if the date is outside chrono's range.
fn easter_opt(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Easter Sunday (*pääsiäispäivä*) of `year` in the Gregorian calendar,
/// computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
///
/// Meaningful for 1583..=9999. Other years get the same formula applied
/// proleptically. The function never panics: for years outside the range
/// chrono can represent (about ±262 000) it saturates to
/// [`NaiveDate::MIN`] or [`NaiveDate::MAX`].
pub fn easter_sunday(year: i32) -> NaiveDate {
    match easter_opt(year) {
        Some(date) => date,
        None if year < 0 => NaiveDate::MIN,
        None => NaiveDate::MAX,
    }
}

/// The first date on or after `from` that falls on `weekday`.
fn on_or_after(from: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from.checked_add_days(Days::new(u64::from(ahead)))
}

fn easter_offset(easter: Option<NaiveDate>, days: i64) -> Option<NaiveDate> {
    let easter = easter?;
    if days >= 0 {
        easter.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        easter.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// The holidays of `year` in [`HolidayKind::ALL`] order; `None` only where a
/// date is outside chrono's range.
fn holiday_dates(year: i32) -> [(HolidayKind, Option<NaiveDate>); 15] {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let easter = easter_opt(year);
    [
        (HolidayKind::NewYearsDay, ymd(1, 1)),
        (HolidayKind::Epiphany, ymd(1, 6)),
        (HolidayKind::GoodFriday, easter_offset(easter, -2)),
        (HolidayKind::EasterSunday, easter),
        (HolidayKind::EasterMonday, easter_offset(easter, 1)),
        (HolidayKind::MayDay, ymd(5, 1)),
        (HolidayKind::AscensionDay, easter_offset(easter, 39)),
        (HolidayKind::Pentecost, easter_offset(easter, 49)),
        (
            HolidayKind::MidsummerEve,
            ymd(6, 19).and_then(|d| on_or_after(d, Weekday::Fri)),
        ),
        (
            HolidayKind::MidsummerDay,
            ymd(6, 20).and_then(|d| on_or_after(d, Weekday::Sat)),
        ),
        (
            HolidayKind::AllSaintsDay,
            ymd(10, 31).and_then(|d| on_or_after(d, Weekday::Sat)),
        ),
        (HolidayKind::IndependenceDay, ymd(12, 6)),
        (HolidayKind::ChristmasEve, ymd(12, 24)),
        (HolidayKind::ChristmasDay, ymd(12, 25)),
        (HolidayKind::StStephensDay, ymd(12, 26)),
    ]
}

/// The holidays of `year`, sorted by date. Two holidays can share a date
/// (May Day and Ascension Day in 2008); they then appear in
/// [`HolidayKind::ALL`] order.
pub fn holidays(year: i32) -> Vec<Holiday> {
    let mut list: Vec<Holiday> = holiday_dates(year)
        .into_iter()
        .filter_map(|(kind, date)| date.map(|date| Holiday { date, kind }))
        .collect();
    // Stable, so same-date holidays keep their declaration order.
    list.sort_by_key(|holiday| holiday.date);
    list
}

/// Whether `date` is one of the holidays listed in the module docs.
pub fn is_holiday(date: NaiveDate) -> bool {
    holiday_dates(date.year())
        .iter()
        .any(|(_, day)| *day == Some(date))
}

/// Whether `date` is a weekday (*arkipäivä*): Monday to Friday and not a
/// holiday.
pub fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date)
}

/// The `n`th weekday after `start`. The start day itself is not counted, so
/// `n = 0` returns `start` unchanged (even if it is not a weekday).
///
/// Never panics: if the calendar runs out it saturates at
/// [`NaiveDate::MAX`].
pub fn add_weekdays(start: NaiveDate, n: u32) -> NaiveDate {
    let mut date = start;
    let mut remaining = n;
    while remaining > 0 {
        match date.succ_opt() {
            Some(next) => date = next,
            None => return NaiveDate::MAX,
        }
        if is_weekday(date) {
            remaining -= 1;
        }
    }
    date
}

/// The number of weekdays in the half-open interval `(from, to]`: `from` is
/// not counted, `to` is. Zero if `to <= from`.
pub fn weekdays_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut count: u32 = 0;
    let mut date = from;
    while date < to {
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
        if is_weekday(date) {
            count = count.saturating_add(1);
        }
    }
    count
}

/// The statutory deadlines of a child welfare matter (*lastensuojeluasia*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildWelfareDeadlines {
    /// The day the matter became pending (*asia tuli vireille*), e.g. the day
    /// a child welfare notification (*lastensuojeluilmoitus*) was received.
    pub matter_started: NaiveDate,
    /// Lastensuojelulaki (Child Welfare Act, 417/2007) § 26 and
    /// sosiaalihuoltolaki (Social Welfare Act, 1301/2014) § 36: the social
    /// worker must decide, at the latest on the seventh weekday after the
    /// matter became pending, whether a service needs assessment
    /// (*palvelutarpeen arviointi*) is started. The day of receipt is not
    /// counted.
    pub assessment_start_due: NaiveDate,
    /// Sosiaalihuoltolaki § 36 (and lastensuojelulaki § 26): the assessment
    /// must be completed within three months of the matter becoming
    /// pending.
    pub assessment_completion_due: NaiveDate,
}

/// Computes the [`ChildWelfareDeadlines`] for a matter that became pending
/// on `matter_started`.
///
/// - The start of the assessment is due on the seventh weekday after
///   `matter_started` ([`add_weekdays`]`(matter_started, 7)`); the day of
///   receipt is not counted (Child Welfare Act § 26, Social Welfare Act
///   § 36).
/// - The assessment is to be completed three calendar months after
///   `matter_started` (Social Welfare Act § 36); if that month has no such
///   day, the deadline is the month's last day (30 November → 28 or 29
///   February). Saturates at [`NaiveDate::MAX`] at the end of the calendar.
pub fn child_welfare_deadlines(matter_started: NaiveDate) -> ChildWelfareDeadlines {
    ChildWelfareDeadlines {
        matter_started,
        assessment_start_due: add_weekdays(matter_started, 7),
        assessment_completion_due: matter_started
            .checked_add_months(Months::new(3))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// Finnish local time (Europe/Helsinki) of an instant, by the IANA
/// time-zone database: UTC+2, and UTC+3 in summer time (under the EU rule
/// since 1996; earlier instants get the offsets that were in force then).
///
/// `chrono-tz` tabulates the transitions only up to 2099: from 2100 on it
/// gives UTC+2 all year (chrono-tz issue #155).
///
/// Never panics: in the last hours chrono can represent, where the local
/// time would be past [`NaiveDateTime::MAX`], it saturates there.
pub fn helsinki(t: DateTime<Utc>) -> NaiveDateTime {
    let utc = t.naive_utc();
    let offset = Helsinki.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(NaiveDateTime::MAX)
}

/// The instant a Finnish day begins: the first instant whose Helsinki local
/// time falls on `day`.
///
/// That is midnight, which in Helsinki is never in the hour that summer
/// time skips (03.00–04.00 on the last Sunday of March) or repeats
/// (03.00–04.00 on the last Sunday of October). The other cases
/// are still handled, should the rules ever change: if the clocks were
/// turned back over midnight, the day begins at the first midnight; if they
/// jumped over it, the day begins the instant they jump.
///
/// Never panics: for the first day chrono can represent, whose midnight in
/// Helsinki is before the first UTC instant chrono can represent, it
/// saturates to `DateTime::<Utc>::MIN_UTC` (and to `DateTime::<Utc>::MAX_UTC`
/// at the other end of the calendar).
pub fn helsinki_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::MIN);
    let start = match Helsinki.from_local_datetime(&local) {
        MappedLocalTime::Single(start) => Some(start),
        MappedLocalTime::Ambiguous(earliest, _latest) => Some(earliest),
        // In a gap `end` is the first instant after it; outside a gap (the
        // conversion ran out of chrono's range) there is none.
        MappedLocalTime::None => GapInfo::new(&local, &Helsinki).and_then(|gap| gap.end),
    };
    match start {
        Some(start) => start.with_timezone(&Utc),
        None if day.year() < 0 => DateTime::<Utc>::MIN_UTC,
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// Today in Finland. Dates that people type ("not in the future") and
/// deadlines are Finnish dates: between midnight and 02.00 or 03.00 the UTC
/// date is still yesterday's.
pub fn helsinki_today() -> NaiveDate {
    helsinki(Utc::now()).date()
}

/// A date as Finnish, Swedish and English pages write it: 23.11.2026.
pub fn day_month_year(d: NaiveDate) -> String {
    d.format("%-d.%-m.%Y").to_string()
}
