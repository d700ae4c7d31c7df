//! Platform recognitions (平台认定): an enterprise's platform recognised under a programme.

use desk_policy::{PlatformCategory, PlatformLevel, Programme};
use rusqlite::{OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::model::{Editor, Grade, NewPlatform, Platform, cents, text};
use crate::{Store, audit, sql};

const SELECT: &str = "SELECT p.id, p.enterprise_id, e.credit_code, e.name, e.town, p.programme,
        p.name, p.category, p.level, p.recognized_on, p.paid_in_capital_cents,
        p.fiscal_paid_in_capital_cents, p.relocated_hq, p.system_live_on
     FROM platforms p JOIN enterprises e ON e.id = p.enterprise_id";

impl Store {
    /// Records a recognition. The grade must be the programme's kind (category for zs-ptsp-2018,
    /// level for zs-iip-2021), and the enterprise must be registered.
    pub fn add_platform(&mut self, new: &NewPlatform, editor: &Editor) -> Result<Platform> {
        let name = &text("平台名称", desk_policy::TextKind::Name, &new.name)?;
        if name.is_empty() {
            return Err(StoreError::Invalid("平台名称：不能为空".into()));
        }
        let (category, level) = match (new.programme.uses_category(), new.grade) {
            (true, Grade::Category(c)) => (Some(c.number()), None),
            (false, Grade::Level(l)) => (None, Some(l.id())),
            (true, Grade::Level(_)) => {
                return Err(StoreError::Invalid(
                    "平台类别：zs-ptsp-2018 的平台按类别（0–24）认定，请填写类别而不是级别".into(),
                ));
            }
            (false, Grade::Category(_)) => {
                return Err(StoreError::Invalid(
                    "平台级别：zs-iip-2021 的平台按级别（标杆平台/市级平台）认定，请填写级别而不是类别"
                        .into(),
                ));
            }
        };
        if let (Some(paid), Some(fiscal)) = (new.paid_in_capital, new.fiscal_paid_in_capital)
            && fiscal > paid
        {
            return Err(StoreError::Invalid(format!(
                "财政资金实缴出资：{fiscal} 元超过实缴注册资本 {paid} 元"
            )));
        }
        let money = |m: Option<desk_policy::Money>, field| m.map(|m| cents(m, field)).transpose();
        let paid = money(new.paid_in_capital, "实缴注册资本")?;
        let fiscal = money(new.fiscal_paid_in_capital, "财政资金实缴出资")?;

        let tx = self.write_tx()?;
        let enterprise_id: i64 = tx
            .query_row(
                "SELECT id FROM enterprises WHERE credit_code = ?1",
                [new.enterprise.as_str()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "统一社会信用代码 {} 的企业尚未登记，请先登记企业",
                    new.enterprise
                ))
            })?;
        let duplicate: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM platforms
                            WHERE enterprise_id = ?1 AND programme = ?2 AND name = ?3)",
            params![enterprise_id, new.programme.id(), name],
            |r| r.get(0),
        )?;
        if duplicate {
            return Err(StoreError::Conflict(format!(
                "该企业在 {} 下已有名为“{name}”的平台",
                new.programme
            )));
        }
        tx.execute(
            "INSERT INTO platforms (enterprise_id, programme, name, category, level, recognized_on,
                 paid_in_capital_cents, fiscal_paid_in_capital_cents, relocated_hq, system_live_on,
                 created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                enterprise_id,
                new.programme.id(),
                name,
                category,
                level,
                sql::format_date(new.recognized_on),
                paid,
                fiscal,
                new.relocated_hq,
                new.system_live_on.map(sql::format_date),
                editor.timestamp()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let created = tx.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], row)?;
        audit::record(
            &tx,
            editor,
            "platform",
            id,
            "登记平台认定",
            None::<&()>,
            Some(&created),
        )?;
        tx.commit()?;
        Ok(created)
    }

    pub fn platform(&self, id: i64) -> Result<Platform> {
        self.conn
            .query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的平台")))
    }

    /// Platforms, optionally of one programme and/or one enterprise (by id).
    pub fn platforms(
        &self,
        programme: Option<Programme>,
        enterprise_id: Option<i64>,
    ) -> Result<Vec<Platform>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE (?1 IS NULL OR p.programme = ?1) AND (?2 IS NULL OR p.enterprise_id = ?2)
             ORDER BY p.programme, e.town, e.name, p.name"
        ))?;
        let rows = stmt.query_map(params![programme.map(|p| p.id()), enterprise_id], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The platforms of one enterprise under one programme, by name; on any connection (the import's
/// transaction included).
pub(crate) fn of_enterprise(
    conn: &rusqlite::Connection,
    enterprise_id: i64,
    programme: Programme,
) -> Result<Vec<Platform>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE p.enterprise_id = ?1 AND p.programme = ?2 ORDER BY p.name"
    ))?;
    let rows = stmt.query_map(params![enterprise_id, programme.id()], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Platform> {
    let programme = sql::programme(r, 5)?;
    let bad = |msg: String| {
        rusqlite::Error::FromSqlConversionFailure(
            7,
            rusqlite::types::Type::Integer,
            Box::new(rusqlite::types::FromSqlError::Other(msg.into())),
        )
    };
    let grade = match (r.get::<_, Option<u8>>(7)?, r.get::<_, Option<String>>(8)?) {
        (Some(c), _) => Grade::Category(PlatformCategory::new(c).map_err(bad)?),
        (None, Some(l)) => Grade::Level(PlatformLevel::parse(&l).map_err(bad)?),
        (None, None) => return Err(bad("平台既无类别也无级别".into())),
    };
    Ok(Platform {
        id: r.get(0)?,
        enterprise_id: r.get(1)?,
        credit_code: sql::credit_code(r, 2)?,
        enterprise_name: r.get(3)?,
        town: sql::town(r, 4)?,
        programme,
        name: r.get(6)?,
        grade,
        recognized_on: sql::date(r, 9)?,
        paid_in_capital: sql::money_opt(r, 10)?,
        fiscal_paid_in_capital: sql::money_opt(r, 11)?,
        relocated_hq: r.get(12)?,
        system_live_on: sql::date_opt(r, 13)?,
    })
}
