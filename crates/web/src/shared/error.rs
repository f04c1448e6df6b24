use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use kirjo_store::gate::GateError;

/// An error answer of the API: a status and a message for the user. The
/// message never carries data from the database.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    /// A request that is well-formed but asks for what cannot be (422).
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
        }
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            message: message.into(),
        }
    }
    pub fn unauthenticated() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            message: "sign in first".to_owned(),
        }
    }
    pub fn bad_credentials() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            message: "wrong username or password".to_owned(),
        }
    }
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: "not found".to_owned(),
        }
    }
    pub fn internal(what: &str) -> Self {
        tracing::error!(what, "internal error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error".to_owned(),
        }
    }
    pub fn from_store(e: kirjo_store::StoreError) -> Self {
        match e {
            kirjo_store::StoreError::Setup(m) => Self::bad_request(m),
            kirjo_store::StoreError::Database(e)
                if crate::shared::unavailable::is_unavailable(&e) =>
            {
                crate::shared::unavailable::database_unavailable(&e)
            }
            kirjo_store::StoreError::Database(e) => {
                // Only the kind and code: a database message may quote data.
                let code = match &e {
                    sqlx::Error::Database(d) => d.code().map(|c| c.to_string()).unwrap_or_default(),
                    _ => String::new(),
                };
                tracing::error!(kind = %error_kind(&e), code = %code, "database error");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "internal error".to_owned(),
                }
            }
            other => {
                tracing::error!(kind = other.kind(), "storage error");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "internal error".to_owned(),
                }
            }
        }
    }
    pub fn from_gate(e: GateError) -> Self {
        match e {
            GateError::Denied { explanation } => Self {
                status: StatusCode::FORBIDDEN,
                message: explanation,
            },
            GateError::Invalid { explanation } => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: explanation,
            },
            GateError::Conflict { explanation, .. } => Self::conflict(explanation),
            GateError::StepUp { explanation } => Self {
                status: StatusCode::UNAUTHORIZED,
                message: explanation,
            },
            GateError::NoSuchClient => Self::not_found(),
            GateError::Store(s) => Self::from_store(s),
        }
    }
}

fn error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::Database(_) => "database",
        sqlx::Error::PoolTimedOut => "pool_timed_out",
        sqlx::Error::PoolClosed => "pool_closed",
        sqlx::Error::Io(_) => "io",
        sqlx::Error::RowNotFound => "row_not_found",
        _ => "other",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}
