//! What every feature uses: the application's state and settings, errors
//! and their HTTP answers, the session, the page shell and its context,
//! cross-site request checks, security headers and the request log,
//! languages, field errors, multipart forms, the route type and the OpenAPI
//! document. Nothing here imports a feature.

pub mod csrf;
pub mod edge;
pub mod error;
pub mod fields;
pub mod i18n;
pub mod metrics;
pub mod middleware;
pub mod multipart;
pub mod openapi;
pub mod page;
pub mod pager;
pub mod refusal;
pub mod revision;
pub mod route;
pub mod session;
pub mod state;
pub mod unavailable;

pub use error::ApiError;
pub use fields::FieldError;
pub use page::{Ctx, PageResult, Shell};
pub use refusal::Refusal;
pub use route::Route;
pub use session::{AnySession, Origin, SignedIn};
pub use state::{AppState, RegisterConfig, RequestId, SessionSettings, UiSettings};
