//! Data groups kept apart from the basic data: special-category and
//! sensitive data, and finances (income, assets, bank accounts). Each is
//! read and written under its own action, so that the gate can keep them
//! from those whose work does not need them.
//!
//! Each is scoped by service area exactly as documents are: an entry is
//! recorded in the service area of the relationship under which it was
//! written (the area the gate's decision names, as a document's), and it
//! is read only in the areas where the user has the client for the data
//! group's own action ([`crate::gate::Access::areas`], the decision
//! function's `areas_allowed`). What adult services record, child welfare
//! does not read, and the other way round. An entry from before areas
//! were kept that could not be given one (migration 0015) is read by no
//! one.

use crate::gate::{Guarded, Pending};
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use kirjo_access::Action;
use serde::Serialize;
use sqlx::Row;

/// The categories of sensitive data.
pub const SENSITIVE_CATEGORIES: [&str; 4] = [
    "ethnic_origin",
    "health",
    "parent_imprisonment",
    "parent_community_service",
];

#[derive(Debug, Clone, Serialize)]
pub struct SensitiveEntry {
    pub id: i64,
    pub category: String,
    /// GDPR art. 9 special category.
    pub special_category: bool,
    pub content: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The service area it was recorded in.
    pub service_area: String,
}

/// The person's sensitive data in force. Needs `ViewSensitiveData`.
pub async fn sensitive(g: &mut Guarded) -> Result<Pending<Option<Vec<SensitiveEntry>>>> {
    let (conn, access) = g.parts();
    let (Action::ViewSensitiveData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let rows = sqlx::query(
        "SELECT s.id, s.category, s.special_category, s.content, u.name, s.recorded_at, s.sub_register_id
         FROM person_sensitive s JOIN staff_user u ON u.id = s.recorded_by
         WHERE s.person_id = $1 AND s.ended_at IS NULL AND s.sub_register_id = ANY($2)
         ORDER BY s.recorded_at, s.id",
    )
    .bind(id)
    .bind(access.areas())
    .fetch_all(conn)
    .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(SensitiveEntry {
                id: r.try_get("id")?,
                category: r.try_get("category")?,
                special_category: r.try_get("special_category")?,
                content: r.try_get("content")?,
                recorded_by: r.try_get("name")?,
                recorded_at: r.try_get("recorded_at")?,
                service_area: r.try_get("sub_register_id")?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    Ok(Pending::new(Some(list)))
}

/// Records a sensitive entry. Needs `RecordSensitiveData`; the category is
/// one of [`SENSITIVE_CATEGORIES`] (checked by the caller and the database).
pub async fn record_sensitive(
    g: &mut Guarded,
    category: &str,
    content: &str,
) -> Result<Pending<Option<i64>>> {
    let (conn, access) = g.parts();
    let (Action::RecordSensitiveData, Some(id), Some(area)) = (
        access.action(),
        access.client_id(),
        access.decision().service_area.clone(),
    ) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO person_sensitive (person_id, category, content, recorded_by, sub_register_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(category)
    .bind(content)
    .bind(access.user_id())
    .bind(area)
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}

#[derive(Debug, Clone, Serialize)]
pub struct IncomeEntry {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub amount_cents: i64,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub source: String,
    /// The service area it was recorded in.
    pub service_area: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BankAccountEntry {
    pub id: i64,
    pub iban: String,
    pub source: String,
    pub recorded_at: DateTime<Utc>,
    /// The service area it was recorded in.
    pub service_area: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finances {
    pub incomes_and_assets: Vec<IncomeEntry>,
    pub bank_accounts: Vec<BankAccountEntry>,
}

/// The person's finances in force. Needs `ViewFinances`.
pub async fn finances(g: &mut Guarded) -> Result<Pending<Option<Finances>>> {
    let (conn, access) = g.parts();
    let (Action::ViewFinances, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let incomes = sqlx::query(
        "SELECT id, kind, description, amount_cents, valid_from, valid_until, source, sub_register_id
         FROM person_income
         WHERE person_id = $1 AND (valid_until IS NULL OR kirjo_today() <= valid_until)
           AND sub_register_id = ANY($2)
         ORDER BY kind, valid_from DESC NULLS LAST, id",
    )
    .bind(id)
    .bind(access.areas())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(IncomeEntry {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            description: r.try_get("description")?,
            amount_cents: r.try_get("amount_cents")?,
            valid_from: r.try_get("valid_from")?,
            valid_until: r.try_get("valid_until")?,
            source: r.try_get("source")?,
            service_area: r.try_get("sub_register_id")?,
        })
    })
    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    let accounts = sqlx::query(
        "SELECT id, iban, source, recorded_at, sub_register_id FROM bank_account
         WHERE person_id = $1 AND ended_at IS NULL AND sub_register_id = ANY($2) ORDER BY id",
    )
    .bind(id)
    .bind(access.areas())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(BankAccountEntry {
            id: r.try_get("id")?,
            iban: r.try_get("iban")?,
            source: r.try_get("source")?,
            recorded_at: r.try_get("recorded_at")?,
            service_area: r.try_get("sub_register_id")?,
        })
    })
    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    Ok(Pending::new(Some(Finances {
        incomes_and_assets: incomes,
        bank_accounts: accounts,
    })))
}

/// A new income or asset entry.
#[derive(Debug, Clone)]
pub struct IncomeInput {
    pub kind: String,
    pub description: String,
    pub amount_cents: i64,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

/// Records income or an asset. Needs `EditFinances`.
pub async fn add_income(g: &mut Guarded, i: &IncomeInput) -> Result<Pending<Option<i64>>> {
    let (conn, access) = g.parts();
    let (Action::EditFinances, Some(id), Some(area)) = (
        access.action(),
        access.client_id(),
        access.decision().service_area.clone(),
    ) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO person_income (person_id, kind, description, amount_cents, valid_from, valid_until, source,
                                    recorded_by, sub_register_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'worker', $7, $8) RETURNING id",
    )
    .bind(id)
    .bind(&i.kind)
    .bind(&i.description)
    .bind(i.amount_cents)
    .bind(i.valid_from)
    .bind(i.valid_until)
    .bind(access.user_id())
    .bind(area)
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}

/// Records a bank account (an IBAN validated by the caller). Needs `EditFinances`.
pub async fn add_bank_account(g: &mut Guarded, iban: &str) -> Result<Pending<Option<i64>>> {
    let (conn, access) = g.parts();
    let (Action::EditFinances, Some(id), Some(area)) = (
        access.action(),
        access.client_id(),
        access.decision().service_area.clone(),
    ) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO bank_account (person_id, iban, source, recorded_by, sub_register_id)
         VALUES ($1, $2, 'worker', $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(iban)
    .bind(access.user_id())
    .bind(area)
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}
