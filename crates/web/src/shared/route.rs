//! A route: its method and path, the gate action it maps to, its OpenAPI
//! description when it is part of the JSON API, and its handler. Each
//! feature lists its routes; the router is the sum of those lists, and the
//! tests and the OpenAPI document read the same sum.

use super::state::AppState;
use axum::handler::Handler;
use axum::routing::{delete, get, post, put, MethodRouter};
use kirjo_access::Action;

pub use super::openapi::{In, Operation, Param, ID, PAGE, PERIOD};

/// One method on one path.
pub struct Route {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// The path template, as axum takes it (`/clients/{id}`).
    pub path: &'static str,
    /// The gate action the route maps to, or `None` where it touches no
    /// client or administrative data (signing in, one's own account, the
    /// language, health, style sheets).
    pub action: Option<Action>,
    /// The OpenAPI description: every `/api` route has one, no page does.
    pub api: Option<Operation>,
    /// What answers it.
    pub handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

impl Route {
    /// A page (or another route outside the JSON API).
    pub fn new<H, T>(
        method: &'static str,
        path: &'static str,
        action: Option<Action>,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method,
            path,
            action,
            api: None,
            handler: method_router(method, handler),
        }
    }

    /// A route of the JSON API, with its description.
    pub fn api<H, T>(op: Operation, action: Option<Action>, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Self {
            method: op.method,
            path: op.path,
            action,
            api: Some(op),
            handler: method_router(op.method, handler),
        }
    }

    /// Takes bodies of up to `bytes` (axum's default is 2 MiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.handler = self
            .handler
            .layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }
}

/// The handler on its method. A method Kirjo does not route answers 405,
/// which the route tests would catch.
fn method_router<H, T>(method: &str, handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    match method {
        "GET" => get(handler),
        "POST" => post(handler),
        "PUT" => put(handler),
        "DELETE" => delete(handler),
        _ => MethodRouter::new(),
    }
}
