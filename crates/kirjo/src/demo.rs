//! Demo data for an imaginary municipality. Each part is loaded once, in
//! one transaction with its `demo_load` row, so a second run changes nothing.
//! Later capabilities add their parts here.

use kirjo_store::{demo, PgPool};

/// What loading did, for the message printed at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub loaded_now: Vec<&'static str>,
    pub already_loaded: Vec<&'static str>,
}

/// The parts, in loading order.
const PARTS: &[&str] = &["foundation"];

pub async fn load(owner: &PgPool) -> anyhow::Result<DemoReport> {
    let mut report = DemoReport {
        loaded_now: Vec::new(),
        already_loaded: Vec::new(),
    };
    for part in PARTS {
        if demo::loaded_at(owner, part).await?.is_some() {
            report.already_loaded.push(part);
            continue;
        }
        let mut tx = owner.begin().await?;
        // The foundation part has no rows of its own: the register structure
        // comes from the configuration at every start. Later parts insert
        // their staff, people and documents here, in this transaction.
        if demo::mark_loaded(&mut tx, part).await? {
            tx.commit().await?;
            report.loaded_now.push(part);
        } else {
            tx.rollback().await?;
            report.already_loaded.push(part);
        }
    }
    Ok(report)
}
