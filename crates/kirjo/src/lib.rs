//! The `kirjo` binary's parts: configuration, the owned PostgreSQL cluster,
//! start-up wiring, demo data and logging. Kept as a library so that tests
//! can drive the same code the binary runs.

pub mod backup;
pub mod bench_run;
pub mod cluster;
pub mod commitment;
pub mod config;
pub mod county;
pub mod demo;
pub mod failover;
pub mod http;
pub mod logging;
pub mod serve;
pub mod setup;
pub mod tools;
