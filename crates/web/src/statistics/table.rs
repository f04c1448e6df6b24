//! A report as a table of text, and that table as CSV or as an Excel
//! workbook: the two files THL takes.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A report: its title, the header and the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// RFC 4180: a header line, then a line per row.
    pub fn csv(&self) -> String {
        let line = |cells: &[String]| {
            cells
                .iter()
                .map(|c| kirjo_store::extract::csv_field(c))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut out = line(&self.header);
        out.push_str("\r\n");
        for r in &self.rows {
            out.push_str(&line(r));
            out.push_str("\r\n");
        }
        out
    }

    /// One worksheet: the title, the header in bold, the rows; a cell that
    /// is a whole number is written as a number.
    pub fn xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let bold = Format::new().set_bold();
        sheet.write_string_with_format(0, 0, &self.title, &bold)?;
        for (c, h) in self.header.iter().enumerate() {
            sheet.write_string_with_format(2, col(c), h, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 3).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match cell.parse::<i64>() {
                    // Counts are far below 2^53: exact as a float.
                    #[allow(clippy::cast_precision_loss)]
                    Ok(n) => sheet.write_number(r, col(c), n as f64)?,
                    Err(_) => sheet.write_string(r, col(c), cell)?,
                };
            }
        }
        sheet.autofit();
        book.save_to_buffer()
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_csv_and_a_workbook() {
        let t = Table {
            title: "Käsittelyajat 1.4.–30.9.2026".into(),
            header: vec!["Yksikkö".into(), "Yhteensä".into()],
            rows: vec![
                vec!["Perhe, \"A\"".into(), "12".into()],
                vec!["B".into(), "<5".into()],
            ],
        };
        assert_eq!(
            t.csv(),
            "Yksikkö,Yhteensä\r\n\"Perhe, \"\"A\"\"\",12\r\nB,<5\r\n"
        );
        let x = t.xlsx().unwrap_or_default();
        // A zip archive (the Office Open XML package).
        assert_eq!(&x[..2], b"PK");
        assert!(x.len() > 1000);
    }
}
