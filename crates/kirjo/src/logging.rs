//! Application logs: structured, JSON when not on a terminal.
//!
//! What goes here is operational: routes as templates, statuses, timings,
//! counts, ids. Never identity codes, names or free text: those belong in the
//! use log in the database. The request middleware logs route templates only
//! for that reason.

use crate::config::{LogConfig, LogFormat};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_new(&config.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match config.format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    // A log pipe that closes (a crashed log collector, `| head`) must not
    // bring Kirjo down mid-request: write errors are dropped, not reported
    // with eprintln!, which would panic on the same broken stderr.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    // A second init (in tests) keeps the first subscriber.
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
