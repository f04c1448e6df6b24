//! `multipart/form-data` (RFC 7578) as browsers send it, read with `multer`
//! from a body already in memory. The pages use it for one thing: a file
//! with its form's token. The upload page reads the token from the parts
//! and then the file, so both come from the same bytes read the same way.

use axum::body::Bytes;
use axum::http::header;
use axum::http::HeaderMap;

/// One part of the form.
#[derive(Debug, PartialEq)]
pub struct Part {
    pub name: String,
    /// Present (possibly empty) when the part is a file input.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, without parameters, lower case.
    pub media_type: Option<String>,
    pub bytes: Bytes,
}

/// Why a body could not be read as a form.
#[derive(Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Not a form as RFC 7578 has it: no boundary, cut short, a part
    /// without a name or that is not `form-data`.
    Broken,
    /// A control character in a part's head. Browsers write a file's name
    /// there as it is but for CR, LF and `"`, so in practice it is a file
    /// name that no attachment may have.
    ControlCharacter,
}

impl From<multer::Error> for Malformed {
    fn from(e: multer::Error) -> Self {
        match e {
            multer::Error::ReadHeaderFailed(httparse::Error::HeaderValue) => {
                Malformed::ControlCharacter
            }
            _ => Malformed::Broken,
        }
    }
}

/// The boundary of a `multipart/form-data` content type, or `None` when it
/// is some other type or its boundary is not 1 to 70 characters (RFC 2046
/// §5.1.1).
pub fn boundary(content_type: &str) -> Option<String> {
    multer::parse_boundary(content_type)
        .ok()
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// Browsers (the HTML standard) quote a `Content-Disposition` parameter and
/// write `"`, CR and LF in it as `%22`, `%0D` and `%0A`, and escape nothing
/// else: a backslash is a backslash. Those three are decoded; anything
/// else is kept as sent.
fn as_browsers_quote(value: &str) -> String {
    value
        .replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

/// The parts of a body, in order.
pub async fn parts(body: Bytes, boundary: &str) -> Result<Vec<Part>, Malformed> {
    let mut out = Vec::new();
    read(body, boundary, &mut out).await?;
    Ok(out)
}

/// The whole parts at the start of a body that may be cut short (the
/// first bytes of one too large): the form's token comes first.
pub async fn leading_parts(body: Bytes, boundary: &str) -> Vec<Part> {
    let mut out = Vec::new();
    // A body cut short ends in a part that cannot be read; the ones before
    // it stand.
    let _ = read(body, boundary, &mut out).await;
    out
}

async fn read(body: Bytes, boundary: &str, out: &mut Vec<Part>) -> Result<(), Malformed> {
    // The body as a stream of one chunk, which is what `multer` reads.
    let stream = axum::body::Body::from(body).into_data_stream();
    let mut form = multer::Multipart::new(stream, boundary);
    while let Some(field) = form.next_field().await? {
        let headers = field.headers();
        // (As bytes: a file's name is UTF-8, which `to_str` refuses.)
        let disposition = headers
            .get(header::CONTENT_DISPOSITION)
            .map(|v| v.as_bytes().trim_ascii_start())
            .unwrap_or_default();
        if !disposition
            .get(..9)
            .is_some_and(|kind| kind.eq_ignore_ascii_case(b"form-data"))
        {
            return Err(Malformed::Broken);
        }
        let name = as_browsers_quote(field.name().ok_or(Malformed::Broken)?);
        let file_name = field.file_name().map(as_browsers_quote);
        let media_type = media_type(headers);
        let bytes = field.bytes().await?;
        out.push(Part {
            name,
            file_name,
            media_type,
            bytes,
        });
    }
    Ok(())
}

/// A part's `Content-Type` as sent, without parameters, lower case (an
/// empty one is `Some("")`).
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?;
    let value = String::from_utf8_lossy(value.as_bytes());
    let t = value.split(';').next().unwrap_or("").trim();
    Some(t.to_ascii_lowercase())
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

    fn body(b: &'static [u8]) -> Bytes {
        Bytes::from_static(b)
    }

    #[tokio::test]
    async fn reads_the_fields_and_the_file_as_chromium_sends_them() {
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
        assert_eq!(boundary("multipart/form-data; boundary=\"\""), None);
        let long = format!("multipart/form-data; boundary={}", "b".repeat(71));
        assert_eq!(boundary(&long), None);
        let parts = parts(body(BODY), "XyZ").await.unwrap_or_default();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[0].bytes, &b"abc123"[..]);
        assert_eq!(parts[1].name, "file");
        assert_eq!(
            parts[1].file_name.as_deref(),
            Some("lausunto \"2\" a\\b.txt"),
            "%22 is a quote and a backslash is a backslash, as browsers send them"
        );
        assert_eq!(parts[1].media_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].bytes, &b"line one\r\n--not the boundary"[..]);
    }

    #[tokio::test]
    async fn control_characters_in_a_name_are_found_for_the_name_check_to_refuse() {
        let b =
            b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%0D%0Ab.txt\"\r\n\
Content-Type: Text/Plain\r\n\r\nx\r\n--b--\r\n";
        let p = parts(body(b), "b").await.unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].file_name.as_deref(), Some("a\r\nb.txt"));
        assert_eq!(p[0].media_type.as_deref(), Some("text/plain"));
        let finnish = "--b\r\nContent-Disposition: Form-Data; name=\"file\"; filename=\"pöytäkirja ÅÄÖ.txt\"\r\n\r\nx\r\n--b--\r\n";
        let p = parts(Bytes::from(finnish), "b").await.unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].file_name.as_deref(), Some("pöytäkirja ÅÄÖ.txt"));
        assert_eq!(p[0].media_type, None);
        // A raw control character in a part's head (a file name as
        // browsers send it) is told apart from a broken form.
        let raw = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\x01b.txt\"\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(
            parts(body(raw), "b").await,
            Err(Malformed::ControlCharacter)
        );
    }

    #[tokio::test]
    async fn an_empty_file_input_and_broken_bodies() {
        let empty = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n";
        let p = parts(body(empty), "b").await.unwrap_or_default();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].file_name.as_deref(), Some(""));
        assert!(p[0].bytes.is_empty());
        // Cut off before the closing delimiter.
        assert_eq!(
            parts(body(&BODY[..BODY.len() - 12]), "XyZ").await,
            Err(Malformed::Broken)
        );
        // No boundary at all.
        assert_eq!(
            parts(body(b"csrf=abc"), "XyZ").await,
            Err(Malformed::Broken)
        );
        // A part without a name.
        let nameless = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
        assert_eq!(parts(body(nameless), "b").await, Err(Malformed::Broken));
        // A part that is not a form field.
        let attachment = b"--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--b--";
        assert_eq!(parts(body(attachment), "b").await, Err(Malformed::Broken));
        // Cut short: the whole parts before the cut stand.
        let cut = leading_parts(body(&BODY[..BODY.len() - 30]), "XyZ").await;
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].bytes, &b"abc123"[..]);
        // Cut inside the token: nothing stands.
        assert!(leading_parts(body(&BODY[..56]), "XyZ").await.is_empty());
        // The empty form.
        assert_eq!(parts(body(b"--b--\r\n"), "b").await, Ok(vec![]));
    }
}
