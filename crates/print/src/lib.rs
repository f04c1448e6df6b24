//! Kirjo's printing engine: typst used as a library, in-process. The fonts
//! are shipped inside the binary (typst-assets); the typst world has no
//! file system, no network and no packages: it sees only the printout's
//! template, the shared frame (`kirjo.typ`) and the printout's data as
//! JSON, so that no text of a client's record is ever read as markup.
//!
//! Every printout goes through [`render`]: the frame puts the letterhead
//! on every page, and at the foot of every page the client's name, "Salassa
//! pidettävä" with its legal ground and the page number, in the printout's
//! language. Printouts that are archived are PDF/A-2b.
//!
//! The data structures ([`Frame`] and the printouts' own) are built by the
//! callers from what the gate gave them; this crate knows no database.

use serde::Serialize;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The printouts Kirjo makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The privacy notice and the record of processing activities.
    Notice,
    /// A decided decision with its appeal instructions and serving.
    Decision,
}

impl Kind {
    fn template(self) -> &'static str {
        match self {
            Kind::Notice => include_str!("../templates/notice.typ"),
            Kind::Decision => include_str!("../templates/decision.typ"),
        }
    }

    /// Archived printouts are PDF/A-2b.
    fn archived(self) -> bool {
        matches!(self, Kind::Decision)
    }
}

const FRAME: &str = include_str!("../templates/kirjo.typ");

/// What every page shows: the letterhead, and at the foot the client's
/// name, the confidentiality marking with its ground and the page number.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// `fi`, `sv` or `en`.
    pub lang: String,
    /// The document's title (also the PDF's title).
    pub title: String,
    pub letterhead: Letterhead,
    /// The client the printout is about; `None` for public printouts.
    pub client: Option<String>,
    /// "Salassa pidettävä" (in the language) and its legal ground; `None`
    /// for public printouts.
    pub confidential: Option<Confidential>,
    /// "Sivu" / "Sida" / "Page".
    pub page_word: String,
    /// When and by whom printed, in words.
    pub printed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Letterhead {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: Option<String>,
    pub business_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confidential {
    pub label: String,
    pub ground: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the data could not be written as JSON: {0}")]
    Data(#[from] serde_json::Error),
    #[error("typst: {0}")]
    Typst(String),
}

/// Renders a printout of `kind` from its frame and data (any structure the
/// kind's template reads as `data`) to PDF bytes.
pub fn render<T: Serialize>(kind: Kind, frame: &Frame, data: &T) -> Result<Vec<u8>, PrintError> {
    let json = serde_json::to_vec(&serde_json::json!({ "frame": frame, "data": data }))?;
    let world = PrintWorld::new(kind.template(), json)?;
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| PrintError::Typst(messages(&e)))?;
    let standards = if kind.archived() {
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| PrintError::Typst(format!("{e:?}")))?
    } else {
        typst_pdf::PdfStandards::default()
    };
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(frame.title.clone()),
        creator: typst::foundations::Smart::Custom(Some("Kirjo".to_owned())),
        timestamp: world.today.map(typst_pdf::Timestamp::new_utc),
        standards,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| PrintError::Typst(messages(&e)))
}

fn messages(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The fonts and the standard library, made once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

struct PrintWorld {
    main: Source,
    frame: Source,
    data: Bytes,
    data_id: FileId,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> Result<FileId, PrintError> {
    let vpath = VirtualPath::new(path).map_err(|e| PrintError::Typst(format!("{e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl PrintWorld {
    fn new(template: &str, data: Vec<u8>) -> Result<Self, PrintError> {
        Ok(Self {
            main: Source::new(file_id("/main.typ")?, template.to_owned()),
            frame: Source::new(file_id("/kirjo.typ")?, FRAME.to_owned()),
            data: Bytes::new(data),
            data_id: file_id("/data.json")?,
            today: now_utc(),
        })
    }
}

/// Now, UTC (the PDF's date and typst's `datetime.today()`).
fn now_utc() -> Option<Datetime> {
    use chrono::{Datelike, Timelike};
    let n = chrono::Utc::now();
    let part = |v: u32| u8::try_from(v).unwrap_or(0);
    Datetime::from_ymd_hms(
        n.year(),
        part(n.month()),
        part(n.day()),
        part(n.hour()),
        part(n.minute()),
        part(n.second()),
    )
}

impl World for PrintWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.frame.id() {
            Ok(self.frame.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
