#!/usr/bin/env python3
"""Generate holidays_2000_2040.csv, the expected Finnish holiday table.

Independent of the Rust implementation in crates/domain/src/calendar.rs:
Easter comes from dateutil.easter.easter when available, otherwise from a
separate Python implementation of the Meeus/Jones/Butcher algorithm. Both
are checked against known Easter dates before anything is written.

Usage: python3 gen_holidays.py > holidays_2000_2040.csv
"""

import datetime
import sys


def easter_meeus(year):
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


try:
    from dateutil.easter import easter  # Western (Gregorian) method by default
except ImportError:  # pragma: no cover
    easter = easter_meeus

KNOWN_EASTERS = [
    datetime.date(2000, 4, 23),
    datetime.date(2008, 3, 23),
    datetime.date(2011, 4, 24),
    datetime.date(2019, 4, 21),
    datetime.date(2024, 3, 31),
    datetime.date(2025, 4, 20),
    datetime.date(2038, 4, 25),
]
for known in KNOWN_EASTERS:
    assert easter(known.year) == known, known
    assert easter_meeus(known.year) == known, known
for y in range(1583, 4100):
    assert easter(y) == easter_meeus(y), y

FRIDAY, SATURDAY = 4, 5  # date.weekday()


def in_window(year, month, first_day, count, weekday):
    """The single date with the given weekday among count consecutive days."""
    start = datetime.date(year, month, first_day)
    found = [
        start + datetime.timedelta(days=n)
        for n in range(count)
        if (start + datetime.timedelta(days=n)).weekday() == weekday
    ]
    assert len(found) == 1
    return found[0]


def holidays(year):
    e = easter(year)
    td = datetime.timedelta
    rows = [
        (datetime.date(year, 1, 1), "NewYearsDay"),
        (datetime.date(year, 1, 6), "Epiphany"),
        (e - td(days=2), "GoodFriday"),
        (e, "EasterSunday"),
        (e + td(days=1), "EasterMonday"),
        (datetime.date(year, 5, 1), "MayDay"),
        (e + td(days=39), "AscensionDay"),
        (e + td(days=49), "Pentecost"),
        (in_window(year, 6, 19, 7, FRIDAY), "MidsummerEve"),
        (in_window(year, 6, 20, 7, SATURDAY), "MidsummerDay"),
        # 31 October to 6 November: seven days starting 31 October.
        (datetime.date(year, 10, 31) + td(days=(SATURDAY - datetime.date(year, 10, 31).weekday()) % 7), "AllSaintsDay"),
        (datetime.date(year, 12, 6), "IndependenceDay"),
        (datetime.date(year, 12, 24), "ChristmasEve"),
        (datetime.date(year, 12, 25), "ChristmasDay"),
        (datetime.date(year, 12, 26), "StStephensDay"),
    ]
    ascension = e + td(days=39)
    assert ascension.weekday() == 3  # Thursday
    all_saints = rows[10][0]
    assert all_saints.weekday() == SATURDAY
    assert datetime.date(year, 10, 31) <= all_saints <= datetime.date(year, 11, 6)
    # Stable sort: same-date holidays keep the order listed above.
    return sorted(rows, key=lambda row: row[0])


def main():
    out = sys.stdout
    out.write("date,kind\n")
    for year in range(2000, 2041):
        for date, kind in holidays(year):
            out.write(f"{date.isoformat()},{kind}\n")


if __name__ == "__main__":
    main()
