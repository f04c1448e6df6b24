//! The register structure in the database, kept in step with the configuration.
//!
//! At each start the owner role writes the controller, registers,
//! sub-registers and service tasks of the configuration. Rows that left the
//! configuration are kept (documents may point at them) but marked
//! `in_configuration = false`.

use crate::Result;
use kirjo_domain::register::RegisterDescription;
use sqlx::PgPool;

/// Writes the register description; idempotent.
pub async fn sync(owner: &PgPool, desc: &RegisterDescription) -> Result<()> {
    let mut tx = owner.begin().await?;
    sqlx::query(
        "INSERT INTO controller (id, name, business_id, address, phone) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, business_id = EXCLUDED.business_id,
           address = EXCLUDED.address, phone = EXCLUDED.phone, updated_at = now()
         WHERE (controller.name, controller.business_id, controller.address, controller.phone)
           IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.business_id, EXCLUDED.address, EXCLUDED.phone)",
    )
    .bind(&desc.controller.name)
    .bind(&desc.controller.business_id)
    .bind(&desc.controller.address)
    .bind(&desc.controller.phone)
    .execute(&mut *tx)
    .await?;
    for table in ["service_task", "sub_register", "register"] {
        sqlx::query(&format!("UPDATE {table} SET in_configuration = false"))
            .execute(&mut *tx)
            .await?;
    }
    for r in &desc.registers {
        sqlx::query(
            "INSERT INTO register (id, name, retention_rule_set, authority_register) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
               retention_rule_set = EXCLUDED.retention_rule_set,
               authority_register = EXCLUDED.authority_register, in_configuration = true,
               updated_at = CASE WHEN (register.name, register.retention_rule_set, register.authority_register)
                   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.retention_rule_set, EXCLUDED.authority_register)
                 THEN now() ELSE register.updated_at END",
        )
        .bind(&r.id)
        .bind(&r.name.fi)
        .bind(r.retention_rule_set.statute())
        .bind(r.authority_register)
        .execute(&mut *tx)
        .await?;
        for s in &r.sub_registers {
            sqlx::query(
                "INSERT INTO sub_register (id, register_id, name_fi, name_sv, name_en) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET register_id = EXCLUDED.register_id,
                   name_fi = EXCLUDED.name_fi, name_sv = EXCLUDED.name_sv, name_en = EXCLUDED.name_en,
                   in_configuration = true,
                   updated_at = CASE WHEN (sub_register.register_id, sub_register.name_fi, sub_register.name_sv, sub_register.name_en)
                       IS DISTINCT FROM (EXCLUDED.register_id, EXCLUDED.name_fi, EXCLUDED.name_sv, EXCLUDED.name_en)
                     THEN now() ELSE sub_register.updated_at END",
            )
            .bind(&s.id)
            .bind(&r.id)
            .bind(&s.name_fi)
            .bind(&s.name_sv)
            .bind(&s.name_en)
            .execute(&mut *tx)
            .await?;
            for t in &s.service_tasks {
                sqlx::query(
                    "INSERT INTO service_task (id, sub_register_id, code, name_fi, name_sv, name_en, document_kinds,
                                               decision_definition)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (id) DO UPDATE SET sub_register_id = EXCLUDED.sub_register_id,
                       code = EXCLUDED.code, name_fi = EXCLUDED.name_fi, name_sv = EXCLUDED.name_sv,
                       name_en = EXCLUDED.name_en, document_kinds = EXCLUDED.document_kinds,
                       decision_definition = EXCLUDED.decision_definition,
                       in_configuration = true,
                       updated_at = CASE WHEN (service_task.sub_register_id, service_task.code, service_task.name_fi, service_task.name_sv, service_task.name_en, service_task.document_kinds)
                           IS DISTINCT FROM (EXCLUDED.sub_register_id, EXCLUDED.code, EXCLUDED.name_fi, EXCLUDED.name_sv, EXCLUDED.name_en, EXCLUDED.document_kinds)
                         THEN now() ELSE service_task.updated_at END",
                )
                .bind(&t.id)
                .bind(&s.id)
                .bind(&t.code)
                .bind(&t.name_fi)
                .bind(&t.name_sv)
                .bind(&t.name_en)
                .bind(&t.document_kinds)
                .bind(t.decision_definition.map(|d| d.as_str()))
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A sub-register as stored, for listings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredSubRegister {
    pub id: String,
    pub register_id: String,
    pub name_fi: String,
    pub service_tasks: i64,
}

/// The sub-registers in force, with how many service tasks each has.
pub async fn sub_registers(pool: &PgPool) -> Result<Vec<StoredSubRegister>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.register_id, s.name_fi,
                (SELECT count(*) FROM service_task t WHERE t.sub_register_id = s.id AND t.in_configuration)
         FROM sub_register s WHERE s.in_configuration ORDER BY s.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, register_id, name_fi, service_tasks)| StoredSubRegister {
                id,
                register_id,
                name_fi,
                service_tasks,
            },
        )
        .collect())
}

/// The names of the organisation's units and the register's service areas
/// (sub-registers) in Finnish, Swedish and English, for display.
#[derive(Debug, Clone, Default)]
pub struct Names {
    entries: std::collections::HashMap<String, [String; 3]>,
}

impl Names {
    /// The name of a unit or service area in a language (0 Finnish, 1
    /// Swedish, 2 English); the id itself where none is known.
    pub fn of(&self, id: &str, lang: usize) -> String {
        self.entries
            .get(id)
            .and_then(|n| n.get(lang))
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }
}

pub async fn names(pool: &PgPool) -> Result<Names> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, name_fi, name_sv, name_en FROM unit
         UNION ALL SELECT id, name_fi, name_sv, name_en FROM sub_register",
    )
    .fetch_all(pool)
    .await?;
    Ok(Names {
        entries: rows
            .into_iter()
            .map(|(id, fi, sv, en)| (id, [fi, sv, en]))
            .collect(),
    })
}

/// A service task (palvelutehtävä) for a form: id, area and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskChoice {
    pub id: String,
    pub area: String,
    pub names: [String; 3],
}

/// The service tasks of these service areas, in the configuration.
pub async fn service_tasks(pool: &PgPool, areas: &[String]) -> Result<Vec<TaskChoice>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, sub_register_id, name_fi, name_sv, name_en FROM service_task
         WHERE in_configuration AND sub_register_id = ANY($1) ORDER BY sub_register_id, name_fi",
    )
    .bind(areas)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, area, fi, sv, en)| TaskChoice {
            id,
            area,
            names: [fi, sv, en],
        })
        .collect())
}
