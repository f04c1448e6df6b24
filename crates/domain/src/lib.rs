//! Kirjo's domain: pure types and rules, no I/O and no async.
//!
//! - [`register`]: the register description (rekisteriseloste) that the
//!   configuration carries and that the system enforces.
//! - [`hetu`]: the Finnish personal identity code (henkilötunnus).
//! - [`calendar`]: Finnish public holidays, weekday counting and Finnish
//!   local time.
//! - [`contact`]: IBAN, phone number, email address, municipality and
//!   language codes.

pub mod calendar;
pub mod codes;
pub mod contact;
pub mod decision;
pub mod document;
pub mod edge;
mod field;
pub mod forms;
pub mod hetu;
pub mod matter;
pub mod notice;
pub mod register;
pub mod retention;
