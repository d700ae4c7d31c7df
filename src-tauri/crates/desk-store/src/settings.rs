//! What the bureau sets itself: dated values of policy parameters, and the installation's settings.

use chrono::NaiveDate;
use desk_policy::{Money, Programme};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::model::Editor;
use crate::{Store, audit, sql};

/// One value the bureau set for a policy parameter, from the date it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BureauValue {
    pub programme: Programme,
    /// "clause.name", as a case file's `parameters` names it (`8.rate`).
    pub key: String,
    pub effective_from: NaiveDate,
    pub value: Money,
    pub reference: String,
    pub set_by: String,
    pub set_at: String,
}

/// A programme's in-force dates as the bureau set them, over the catalog's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BureauValidity {
    pub programme: Programme,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub reference: String,
    pub set_by: String,
    pub set_at: String,
}

impl Store {
    /// The in-force dates the bureau set for `programme`, the latest setting, if any.
    pub fn bureau_validity(&self, programme: Programme) -> Result<Option<BureauValidity>> {
        Ok(self
            .conn
            .query_row(
                "SELECT programme, valid_from, valid_to, reference, set_by, set_at
                 FROM bureau_validity WHERE programme = ?1 ORDER BY id DESC LIMIT 1",
                [programme.id()],
                |r| {
                    Ok(BureauValidity {
                        programme: sql::programme(r, 0)?,
                        valid_from: sql::date(r, 1)?,
                        valid_to: sql::date(r, 2)?,
                        reference: r.get(3)?,
                        set_by: r.get(4)?,
                        set_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records the bureau's in-force dates of `programme`; they supersede the earlier setting,
    /// which stays (with the audit entry) as its history.
    pub fn set_bureau_validity(
        &mut self,
        programme: Programme,
        valid_from: NaiveDate,
        valid_to: NaiveDate,
        reference: &str,
        editor: &Editor,
    ) -> Result<BureauValidity> {
        if valid_from > valid_to {
            return Err(StoreError::Invalid(format!(
                "施行日期 {valid_from} 晚于有效期截止日 {valid_to}"
            )));
        }
        let before = self.bureau_validity(programme)?;
        let tx = self.write_tx()?;
        let created = BureauValidity {
            programme,
            valid_from,
            valid_to,
            reference: reference.trim().to_string(),
            set_by: editor.user.clone(),
            set_at: editor.timestamp(),
        };
        tx.execute(
            "INSERT INTO bureau_validity (programme, valid_from, valid_to, reference, set_by, set_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                programme.id(),
                sql::format_date(valid_from),
                sql::format_date(valid_to),
                created.reference,
                created.set_by,
                created.set_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(
            &tx,
            editor,
            "validity",
            id,
            "设定政策有效期",
            before.as_ref(),
            Some(&created),
        )?;
        tx.commit()?;
        Ok(created)
    }

    /// Every value the bureau has set, by programme, key and date.
    pub fn bureau_values(&self) -> Result<Vec<BureauValue>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT programme, key, effective_from, value, reference, set_by, set_at
             FROM bureau_parameters ORDER BY programme, key, effective_from",
        )?;
        let rows = stmt.query_map([], |r| {
            let text: String = r.get(3)?;
            Ok(BureauValue {
                programme: sql::programme(r, 0)?,
                key: r.get(1)?,
                effective_from: sql::date(r, 2)?,
                value: text.parse().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?,
                reference: r.get(4)?,
                set_by: r.get(5)?,
                set_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a new dated value. The key must already be known to the caller's catalog; a value
    /// for the same key and date is refused (a value is superseded by a later one, never edited).
    pub fn set_bureau_value(
        &mut self,
        programme: Programme,
        key: &str,
        effective_from: NaiveDate,
        value: Money,
        reference: &str,
        editor: &Editor,
    ) -> Result<BureauValue> {
        if value.is_sign_negative() {
            return Err(StoreError::Invalid(format!("参数 {key}：不能为负数")));
        }
        let tx = self.write_tx()?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM bureau_parameters WHERE programme = ?1 AND key = ?2 AND effective_from = ?3",
                params![programme.id(), key, sql::format_date(effective_from)],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!(
                "参数 {key} 已有自 {effective_from} 起生效的值；如需更正，请设定一个新的生效日期"
            )));
        }
        let created = BureauValue {
            programme,
            key: key.to_string(),
            effective_from,
            value: value.normalize(),
            reference: reference.trim().to_string(),
            set_by: editor.user.clone(),
            set_at: editor.timestamp(),
        };
        tx.execute(
            "INSERT INTO bureau_parameters
             (programme, key, effective_from, value, reference, set_by, set_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                programme.id(),
                key,
                sql::format_date(effective_from),
                created.value.to_string(),
                created.reference,
                created.set_by,
                created.set_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit::record(
            &tx,
            editor,
            "parameter",
            id,
            "设定政策参数",
            None::<&()>,
            Some(&created),
        )?;
        tx.commit()?;
        Ok(created)
    }

    /// A setting of this installation, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM app_settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO app_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The distinct values the case list's filters offer: years (newest first), batches, officers.
    pub fn case_filter_values(&self) -> Result<(Vec<i32>, Vec<String>, Vec<String>)> {
        let list = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT year FROM cases ORDER BY year DESC")?;
        let years = stmt
            .query_map([], |r| r.get::<_, i32>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok((
            years,
            list("SELECT DISTINCT batch FROM cases WHERE batch <> '' ORDER BY batch DESC")?,
            list("SELECT DISTINCT officer FROM cases WHERE officer <> '' ORDER BY officer")?,
        ))
    }

    /// Open cases (not approved, rejected or withdrawn) by status, optionally of one officer.
    pub fn open_status_counts(&self, officer: Option<&str>) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, count(*) FROM cases
             WHERE status NOT IN ('approved', 'rejected', 'withdrawn')
               AND (?1 IS NULL OR officer = ?1)
             GROUP BY status",
        )?;
        let rows = stmt.query_map([officer], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
