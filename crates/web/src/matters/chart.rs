//! The supervisor's chart: per month, how many deadlines of the units' open
//! and closed matters were met and how many were missed, drawn on the
//! server as SVG (the pages send no JavaScript). Late bars are hatched as
//! well as coloured, so the chart does not rest on colour alone, and every
//! bar carries its number; the same figures follow as a table.

use kirjo_store::statistics::{Counts, MonthTimes};

/// Width and height of the drawing, in SVG units.
pub const WIDTH: i64 = 720;
pub const HEIGHT: i64 = 240;
const LEFT: i64 = 16;
const TOP: i64 = 24;
/// The baseline: room below it for the month labels.
pub const BASE: i64 = HEIGHT - 36;
const BAR: i64 = 18;

/// One bar and its number.
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub height: i64,
    pub width: i64,
    pub value: i64,
    /// Where the number is written (above the bar).
    pub label_x: i64,
    pub label_y: i64,
    pub late: bool,
}

/// A month's label under its bars.
pub struct Label {
    pub x: i64,
    pub text: String,
}

/// One chart: the bars of one deadline over the months.
pub struct Chart {
    /// Element ids for the title and description.
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    /// (month, on time, late) for the table after the chart.
    pub rows: Vec<(String, i64, i64)>,
}

/// `YYYY-MM` as the month's number and the year's last two digits.
fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{}/{}", m.trim_start_matches('0'), y.get(2..).unwrap_or(y)),
        None => month.to_owned(),
    }
}

/// Lays out the chart of one deadline; `pick` takes its counts from a month.
pub fn chart(
    id: &'static str,
    title: String,
    description: String,
    months: &[MonthTimes],
    pick: fn(&MonthTimes) -> Counts,
) -> Chart {
    let max = months
        .iter()
        .map(|m| {
            let c = pick(m);
            c.on_time.max(c.late)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let n = i64::try_from(months.len()).unwrap_or(1).max(1);
    let group = (WIDTH - 2 * LEFT) / n;
    let scale = |v: i64| (v * (BASE - TOP)) / max;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    let mut rows = Vec::new();
    for (i, m) in months.iter().enumerate() {
        let c = pick(m);
        let x0 = LEFT + i64::try_from(i).unwrap_or(0) * group + (group - 2 * BAR - 2) / 2;
        for (k, (value, late)) in [(c.on_time, false), (c.late, true)].into_iter().enumerate() {
            let h = scale(value);
            let x = x0 + i64::try_from(k).unwrap_or(0) * (BAR + 2);
            bars.push(Bar {
                x,
                y: BASE - h,
                height: h,
                width: BAR,
                value,
                label_x: x + BAR / 2,
                label_y: BASE - h - 4,
                late,
            });
        }
        labels.push(Label {
            x: x0 + BAR + 1,
            text: month_label(&m.month),
        });
        rows.push((month_label(&m.month), c.on_time, c.late));
    }
    Chart {
        id,
        title,
        description,
        bars,
        labels,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: &str, on_time: i64, late: i64) -> MonthTimes {
        let c = Counts {
            total: on_time + late,
            on_time,
            late,
            pending: 0,
        };
        MonthTimes {
            month: m.to_owned(),
            start: c,
            completion: Counts::default(),
        }
    }

    #[test]
    fn bars_stand_on_the_baseline_in_proportion_and_within_the_drawing() {
        let c = chart(
            "c",
            "t".into(),
            "d".into(),
            &[month("2026-11", 4, 2), month("2026-12", 0, 1)],
            |m| m.start,
        );
        assert_eq!(c.bars.len(), 4);
        let tallest = c.bars.iter().map(|b| b.height).max().unwrap_or(0);
        assert_eq!(tallest, BASE - TOP, "the largest count fills the height");
        assert_eq!(c.bars[1].height * 2, c.bars[0].height, "2 is half of 4");
        assert_eq!(c.bars[2].height, 0);
        for b in &c.bars {
            assert_eq!(b.y + b.height, BASE);
            assert!(b.x >= 0 && b.x + b.width <= WIDTH);
        }
        assert!(c.bars[1].late && !c.bars[0].late);
        assert_eq!(c.labels[1].text, "12/26");
        assert_eq!(c.rows[0], ("11/26".to_owned(), 4, 2));
    }

    #[test]
    fn nothing_due_draws_flat_bars_not_a_division_by_zero() {
        let c = chart(
            "c",
            "t".into(),
            "d".into(),
            &[month("2026-01", 0, 0)],
            |m| m.start,
        );
        assert!(c.bars.iter().all(|b| b.height == 0 && b.y == BASE));
    }
}
