//! Data groups kept apart from the basic data: special-category and
//! sensitive data, and finances (income, assets, bank accounts). Each is
//! read and written under its own action, so that the gate can keep them
//! from those whose work does not need them.

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
}

/// The person's sensitive data in force. Needs `ViewSensitiveData`.
pub async fn sensitive(g: &mut Guarded) -> Result<Pending<Option<Vec<SensitiveEntry>>>> {
    let (conn, access) = g.parts();
    let (Action::ViewSensitiveData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let rows = sqlx::query(
        "SELECT s.id, s.category, s.special_category, s.content, u.name, s.recorded_at
         FROM person_sensitive s JOIN staff_user u ON u.id = s.recorded_by
         WHERE s.person_id = $1 AND s.ended_at IS NULL ORDER BY s.recorded_at, s.id",
    )
    .bind(id)
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
    let (Action::RecordSensitiveData, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO person_sensitive (person_id, category, content, recorded_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(category)
    .bind(content)
    .bind(access.user_id())
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
}

#[derive(Debug, Clone, Serialize)]
pub struct BankAccountEntry {
    pub id: i64,
    pub iban: String,
    pub source: String,
    pub recorded_at: DateTime<Utc>,
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
        "SELECT id, kind, description, amount_cents, valid_from, valid_until, source FROM person_income
         WHERE person_id = $1 AND (valid_until IS NULL OR kirjo_today() <= valid_until)
         ORDER BY kind, valid_from DESC NULLS LAST, id",
    )
    .bind(id)
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
        })
    })
    .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
    let accounts = sqlx::query(
        "SELECT id, iban, source, recorded_at FROM bank_account WHERE person_id = $1 AND ended_at IS NULL ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(BankAccountEntry {
            id: r.try_get("id")?,
            iban: r.try_get("iban")?,
            source: r.try_get("source")?,
            recorded_at: r.try_get("recorded_at")?,
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
    let (Action::EditFinances, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO person_income (person_id, kind, description, amount_cents, valid_from, valid_until, source, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'worker', $7) RETURNING id",
    )
    .bind(id)
    .bind(&i.kind)
    .bind(&i.description)
    .bind(i.amount_cents)
    .bind(i.valid_from)
    .bind(i.valid_until)
    .bind(access.user_id())
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}

/// Records a bank account (an IBAN validated by the caller). Needs `EditFinances`.
pub async fn add_bank_account(g: &mut Guarded, iban: &str) -> Result<Pending<Option<i64>>> {
    let (conn, access) = g.parts();
    let (Action::EditFinances, Some(id)) = (access.action(), access.client_id()) else {
        return Ok(Pending::new(None));
    };
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO bank_account (person_id, iban, source, recorded_by) VALUES ($1, $2, 'worker', $3) RETURNING id",
    )
    .bind(id)
    .bind(iban)
    .bind(access.user_id())
    .fetch_one(conn)
    .await?;
    Ok(Pending::new(Some(new)))
}
