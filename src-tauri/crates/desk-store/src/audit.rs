//! The append-only audit log: who changed what, when, before → after.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::Result;
use crate::model::{AuditEntry, Editor};
use crate::{Store, sql};

/// Records a change inside the transaction that makes it, so the two commit or vanish together.
pub(crate) fn record(
    tx: &Connection,
    editor: &Editor,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Result<()> {
    let before = before.map(|v| serde_json::to_string(v).unwrap_or_default());
    let after = after.map(|v| serde_json::to_string(v).unwrap_or_default());
    record_json(
        tx,
        editor,
        entity,
        entity_id,
        action,
        before.as_deref(),
        after.as_deref(),
    )
}

/// `record` with before and after already written as JSON (the database checks they are).
pub(crate) fn record_json(
    tx: &Connection,
    editor: &Editor,
    entity: &str,
    entity_id: i64,
    action: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, account_id, entity, entity_id, action, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            editor.timestamp(),
            editor.user,
            editor.account_id,
            entity,
            entity_id,
            action,
            before,
            after
        ],
    )?;
    Ok(())
}

impl Store {
    /// The audit entries of one record (`entity` is "enterprise", "platform", "case", "item", …),
    /// oldest first.
    pub fn audit_of(&self, entity: &str, entity_id: i64) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, entity, entity_id, action, before, after
             FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![entity, entity_id], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The audit trail of a case: the case's own entries and those of its items, oldest first.
    pub fn audit_of_case(&self, case_id: i64) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, entity, entity_id, action, before, after FROM audit_log
             WHERE (entity = 'case' AND entity_id = ?1)
                OR (entity = 'item' AND entity_id IN (SELECT id FROM case_items WHERE case_id = ?1))
                OR (entity = 'payment' AND entity_id IN (SELECT id FROM payments WHERE case_id = ?1))
             ORDER BY id",
        )?;
        let rows = stmt.query_map([case_id], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        before: sql::json_opt(r, 6)?,
        after: sql::json_opt(r, 7)?,
    })
}
