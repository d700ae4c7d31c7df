//! Enterprises (企业): the applicants, by their 统一社会信用代码.

use desk_policy::{CreditCode, Town};
use rusqlite::{OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::model::{Editor, Enterprise, NewEnterprise, text};
use crate::{Store, audit, sql};
use desk_policy::TextKind;

impl NewEnterprise {
    /// Its texts as they are kept (`model::text`), or which of them cannot be.
    pub fn cleaned(&self) -> Result<NewEnterprise> {
        Ok(NewEnterprise {
            credit_code: self.credit_code.clone(),
            name: text("企业名称", TextKind::Name, &self.name)?,
            town: self.town,
            address: text("地址", TextKind::Address, &self.address)?,
            contact_person: text("联系人", TextKind::Person, &self.contact_person)?,
            contact_phone: text("联系电话", TextKind::Phone, &self.contact_phone)?,
        })
    }
}

const COLUMNS: &str =
    "id, credit_code, name, town, address, contact_person, contact_phone FROM enterprises";

impl Store {
    /// Registers an enterprise. A credit code already registered is refused with the name it has.
    pub fn add_enterprise(&mut self, new: &NewEnterprise, editor: &Editor) -> Result<Enterprise> {
        let new = &new.cleaned()?;
        let name = new.name.as_str();
        if name.is_empty() {
            return Err(StoreError::Invalid("企业名称：不能为空".into()));
        }
        let tx = self.write_tx()?;
        if let Some(existing) = find_by_code(&tx, &new.credit_code)? {
            return Err(StoreError::Conflict(format!(
                "统一社会信用代码 {} 已登记为“{}”",
                new.credit_code, existing.name
            )));
        }
        tx.execute(
            "INSERT INTO enterprises
             (credit_code, name, town, address, contact_person, contact_phone, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                new.credit_code.as_str(),
                name,
                new.town.name(),
                new.address.trim(),
                new.contact_person.trim(),
                new.contact_phone.trim(),
                editor.timestamp()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let created = Enterprise {
            id,
            credit_code: new.credit_code.clone(),
            name: name.to_string(),
            town: new.town,
            address: new.address.trim().to_string(),
            contact_person: new.contact_person.trim().to_string(),
            contact_phone: new.contact_phone.trim().to_string(),
        };
        audit::record(
            &tx,
            editor,
            "enterprise",
            id,
            "登记企业",
            None::<&()>,
            Some(&created),
        )?;
        tx.commit()?;
        Ok(created)
    }

    pub fn enterprise_by_code(&self, code: &CreditCode) -> Result<Option<Enterprise>> {
        find_by_code(&self.conn, code)
    }

    /// Enterprises, optionally of one town and/or whose name contains `search`, by name.
    pub fn enterprises(&self, town: Option<Town>, search: Option<&str>) -> Result<Vec<Enterprise>> {
        if let Some(text) = search {
            crate::cases::check_search(text)?;
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}
             WHERE (?1 IS NULL OR town = ?1)
               AND (?2 IS NULL OR name LIKE '%' || ?2 || '%' ESCAPE '\\'
                    OR credit_code LIKE ?2 || '%' ESCAPE '\\')
             ORDER BY town, name"
        ))?;
        // `%` and `_` typed in a search are the characters themselves, not wildcards.
        let pattern = search.map(crate::cases::escape_like);
        let rows = stmt.query_map(params![town.map(|t| t.name()), pattern], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn enterprise_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM enterprises", [], |r| r.get(0))?)
    }
}

pub(crate) fn find_by_code(
    conn: &rusqlite::Connection,
    code: &CreditCode,
) -> Result<Option<Enterprise>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} WHERE credit_code = ?1"),
            [code.as_str()],
            row,
        )
        .optional()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Enterprise> {
    Ok(Enterprise {
        id: r.get(0)?,
        credit_code: sql::credit_code(r, 1)?,
        name: r.get(2)?,
        town: sql::town(r, 3)?,
        address: r.get(4)?,
        contact_person: r.get(5)?,
        contact_phone: r.get(6)?,
    })
}
