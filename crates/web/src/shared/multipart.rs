//! `multipart/form-data` (RFC 7578) as browsers send it, read from a body
//! already in memory. The pages use it for one thing: a file with its
//! form's token. The CSRF check (`lib.rs`) reads the token from it and the
//! upload page the file, so both read the same bytes the same way.

/// One part of the form.
#[derive(Debug, PartialEq)]
pub struct Part<'a> {
    pub name: String,
    /// Present (possibly empty) when the part is a file input.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, without parameters, lower case.
    pub media_type: Option<String>,
    pub bytes: &'a [u8],
}

/// Why a body could not be read as a form.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

/// The boundary of a `multipart/form-data` content type, or `None` when it
/// is some other type.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim().trim_matches('"');
        // RFC 2046 §5.1.1: 1 to 70 characters.
        (!v.is_empty() && v.len() <= 70).then(|| v.to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of one parameter of a `Content-Disposition` header. Browsers
/// (the HTML standard) quote a value and write `"`, CR and LF in it as
/// `%22`, `%0D` and `%0A`, and escape nothing else: a backslash is a
/// backslash. Those three are decoded; anything else is kept as sent.
fn parameter(header: &str, name: &str) -> Option<String> {
    let mut rest = header;
    while let Some(i) = rest.find(';') {
        rest = rest[i + 1..].trim_start();
        let (k, v) = rest.split_once('=')?;
        let k = k.trim();
        let (value, after) = if let Some(quoted) = v.strip_prefix('"') {
            let end = quoted.find('"')?;
            (
                quoted[..end]
                    .replace("%22", "\"")
                    .replace("%0D", "\r")
                    .replace("%0A", "\n"),
                &quoted[end + 1..],
            )
        } else {
            let end = v.find(';').unwrap_or(v.len());
            (v[..end].trim().to_owned(), &v[end..])
        };
        if k.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = after;
    }
    None
}

/// The parts of a body, in order.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, Malformed> {
    let mut out = Vec::new();
    parse(body, boundary, &mut out)?;
    Ok(out)
}

/// The whole parts at the start of a body that may be cut short (the
/// first bytes of one too large): the form's token comes first.
pub fn leading_parts<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let mut out = Vec::new();
    // A body cut short ends in a malformed part; the ones before it stand.
    let _ = parse(body, boundary, &mut out);
    out
}

fn parse<'a>(body: &'a [u8], boundary: &str, out: &mut Vec<Part<'a>>) -> Result<(), Malformed> {
    let delimiter = format!("--{boundary}");
    let start = find(body, delimiter.as_bytes()).ok_or(Malformed)?;
    let mut rest = &body[start + delimiter.len()..];
    let next = format!("\r\n--{boundary}");
    loop {
        if rest.starts_with(b"--") {
            return Ok(());
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(Malformed)?;
        let head_end = find(rest, b"\r\n\r\n").ok_or(Malformed)?;
        let head = std::str::from_utf8(&rest[..head_end]).map_err(|_| Malformed)?;
        let after_head = &rest[head_end + 4..];
        let end = find(after_head, next.as_bytes()).ok_or(Malformed)?;
        let mut name = None;
        let mut file_name = None;
        let mut media_type = None;
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                return Err(Malformed);
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                if !v.trim_start().to_ascii_lowercase().starts_with("form-data") {
                    return Err(Malformed);
                }
                name = parameter(v, "name");
                file_name = parameter(v, "filename");
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                let t = v.split(';').next().unwrap_or("").trim();
                media_type = Some(t.to_ascii_lowercase());
            }
        }
        out.push(Part {
            name: name.ok_or(Malformed)?,
            file_name,
            media_type,
            bytes: &after_head[..end],
        });
        rest = &after_head[end + next.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
abc123\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"lausunto %222%22 a\\b.txt\"\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
line one\r\n--not the boundary\r\n\
--XyZ--\r\n";

    #[test]
    fn reads_the_fields_and_the_file_as_chromium_sends_them() {
        assert_eq!(
            boundary("multipart/form-data; boundary=XyZ").as_deref(),
            Some("XyZ")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=x; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        let parts = parts(BODY, "XyZ").unwrap_or_default();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[0].bytes, b"abc123");
        assert_eq!(parts[1].name, "file");
        assert_eq!(
            parts[1].file_name.as_deref(),
            Some("lausunto \"2\" a\\b.txt"),
            "%22 is a quote and a backslash is a backslash, as browsers send them"
        );
        assert_eq!(parts[1].media_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].bytes, b"line one\r\n--not the boundary");
    }

    #[test]
    fn an_empty_file_input_and_broken_bodies() {
        let empty = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
        let p = parts(empty, "b").unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].file_name.as_deref(), Some(""));
        assert!(p[0].bytes.is_empty());
        // Cut off before the closing delimiter.
        assert_eq!(parts(&BODY[..BODY.len() - 12], "XyZ"), Err(Malformed));
        // No boundary at all.
        assert_eq!(parts(b"csrf=abc", "XyZ"), Err(Malformed));
        // A part without a name.
        let nameless = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
        assert_eq!(parts(nameless, "b"), Err(Malformed));
        // Cut short: the whole parts before the cut stand.
        let cut = leading_parts(&BODY[..BODY.len() - 30], "XyZ");
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].bytes, b"abc123");
        // The empty form.
        assert_eq!(parts(b"--b--\r\n", "b"), Ok(vec![]));
    }
}
