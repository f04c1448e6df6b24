//! What `kirjo serve` and the demo loader both do with a configuration:
//! the gate's settings, and the register structure and user commitment
//! written at every start. Below both, so neither imports the other.

use crate::config::Loaded;
use kirjo_store::register;

/// What the gate needs of the configuration.
pub fn gate_settings(loaded: &Loaded) -> kirjo_store::gate::GateSettings {
    let r = &loaded.config.register;
    kirjo_store::gate::GateSettings {
        outside_access_areas: r
            .sub_registers()
            .filter(|(_, s)| s.allow_outside_access)
            .map(|(_, s)| s.id.clone())
            .collect(),
        purposes: r.access_purposes.iter().map(|p| p.id.clone()).collect(),
        register_id: r
            .registers
            .first()
            .map(|r| r.id.clone())
            .unwrap_or_default(),
    }
}

/// What every start writes with the owner role: the register structure of
/// the configuration and the current user commitment.
pub async fn prepare(owner: &kirjo_store::PgPool, loaded: &Loaded) -> anyhow::Result<()> {
    register::sync(owner, &loaded.config.register).await?;
    kirjo_store::decisions::sync_templates(owner, &loaded.config.decisions.appeal_templates)
        .await?;
    let (fi, sv, en) = crate::commitment::TEXTS;
    kirjo_store::staff::publish_commitment(owner, crate::commitment::VERSION, fi, sv, en).await?;
    Ok(())
}
