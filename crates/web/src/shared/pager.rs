//! Lists shown a page at a time: which page is asked for, and where the
//! shown page is (its rows' numbers and the links around it). The markup is
//! `templates/pager.html`, included by every paged list.

/// The highest page number taken (the OpenAPI document says so too).
pub const PAGE_MAX: i64 = 1_000_000_000;

/// A page asked for in the address (`page=`, from 1): `None` when it is not
/// a page number from 1 to [`PAGE_MAX`]. No page, or an empty one, is the
/// first.
pub fn asked(page: Option<&str>, rows_per_page: i64) -> Option<(i64, kirjo_store::Page)> {
    let page = match page.map(str::trim) {
        None | Some("") => 1,
        Some(p) => p
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=PAGE_MAX).contains(p))?,
    };
    Some((
        page,
        kirjo_store::Page {
            limit: rows_per_page,
            offset: (page - 1) * rows_per_page,
        },
    ))
}

/// [`asked`], or the API's refusal (422, the `page` field) in the user's
/// language.
pub fn asked_or_refused(
    page: Option<&str>,
    rows_per_page: i64,
    lang: kirjo_domain::contact::Lang,
) -> Result<(i64, kirjo_store::Page), super::Refusal> {
    asked(page, rows_per_page).ok_or_else(|| {
        super::Refusal::Fields(vec![super::fields::FieldError {
            field: "page".to_owned(),
            message: super::i18n::Tr::new(lang).t("pager-bad-page"),
        }])
    })
}

/// Where a shown page is: its rows' numbers and the links around it.
pub struct Pager {
    pub total: i64,
    pub first: i64,
    pub last: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Page `page` (from 1) of a list of `total` rows, `shown` of them on
    /// it; `link` gives a page's address (keeping the list's filters).
    pub fn new(
        link: impl Fn(i64) -> String,
        page: i64,
        rows_per_page: i64,
        total: i64,
        shown: usize,
    ) -> Self {
        let first = (page - 1) * rows_per_page + 1;
        let last = first + shown as i64 - 1;
        Pager {
            total,
            first: first.min(total),
            last: last.max(0),
            previous: (page > 1).then(|| link(page - 1)),
            next: (last < total).then(|| link(page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_numbered_from_one_and_refused_otherwise() {
        assert_eq!(asked(None, 50).map(|p| p.0), Some(1));
        assert_eq!(asked(Some(" "), 50).map(|p| p.0), Some(1));
        let (n, p) = asked(Some("3"), 50).unwrap();
        assert_eq!((n, p.limit, p.offset), (3, 50, 100));
        for bad in ["0", "-1", "x", "1.5", "99999999999999999999"] {
            assert!(asked(Some(bad), 50).is_none(), "{bad}");
        }
        assert!(asked(Some(&(i64::MAX / 50 + 1).to_string()), 50).is_none());
    }

    #[test]
    fn the_links_go_only_where_there_are_rows() {
        let link = |p: i64| format!("/x?page={p}");
        let one = Pager::new(link, 1, 10, 25, 10);
        assert_eq!((one.first, one.last), (1, 10));
        assert_eq!(
            (one.previous, one.next.as_deref()),
            (None, Some("/x?page=2"))
        );
        let three = Pager::new(link, 3, 10, 25, 5);
        assert_eq!((three.first, three.last), (21, 25));
        assert_eq!(
            (three.previous.as_deref(), three.next),
            (Some("/x?page=2"), None)
        );
        let empty = Pager::new(link, 1, 10, 0, 0);
        assert_eq!((empty.first, empty.last, empty.next), (0, 0, None));
    }
}
