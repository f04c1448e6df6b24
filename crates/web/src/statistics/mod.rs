//! Statistics: THL's semiannual child welfare processing times and the
//! yearly counts of matters and notifications, from the matters of the
//! units the user supervises; shown on a page, exported as CSV and Excel.

pub mod api;
pub mod pages;
pub mod table;

use crate::shared::route::{In, Operation, Param, Route};
use kirjo_access::Action;

const FORMAT: Param = Param(
    "format",
    In::Query,
    "json|csv|xlsx",
    false,
    "json (the default), csv or xlsx; a file is recorded as a statistics disclosure to THL.",
);

/// This feature's routes: path, method, gate action, OpenAPI description and handler.
pub fn routes() -> Vec<Route> {
    vec![
        Route::new("GET", "/statistics", Some(Action::ReportStatistics), pages::statistics),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/statistics/processing-times",
                summary: "THL's semiannual child welfare processing times of the units the user supervises: decisions on starting an assessment by the 7th weekday and assessments completed within 3 months, each matter judged in the period where its deadline falls (on time, late, pending); counts from 1 to 4 suppressed, and where a part is suppressed all parts of that deadline are.",
                params: &[
                    Param("from", In::Query, "period-start", true, "The period's first day: 1 April (1.4.–30.9.) or 1 October (1.10.–31.3.)."),
                    FORMAT,
                ],
                body: None,
                returns: "The figures per unit and in total (null where suppressed), or the CSV or XLSX file; 422 for a day that does not begin a period.",
            },
            Some(Action::ReportStatistics),
            api::processing_times,
        ),
        Route::api(
            Operation {
                method: "GET",
                path: "/api/statistics/yearly",
                summary: "The year's matters of the supervised units by how they started, and the child welfare notifications received by reporter type (as THL and the social welfare ombudsman collect them); counts from 1 to 4 suppressed.",
                params: &[
                    Param("year", In::Query, "year", true, "The year, 2000-2100."),
                    FORMAT,
                ],
                body: None,
                returns: "The counts per unit (null where suppressed), or the CSV or XLSX file.",
            },
            Some(Action::ReportStatistics),
            api::yearly,
        ),
    ]
}
