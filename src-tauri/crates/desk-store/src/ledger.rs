//! The year's ledger totals (台账汇总) by programme and town.

use crate::error::Result;
use crate::model::LedgerTotal;
use crate::{Store, sql};

impl Store {
    /// Totals of one application year by programme and town: cases, items, ceilings, approved and
    /// paid amounts. Withdrawn cases are left out.
    pub fn ledger_totals(&self, year: i32) -> Result<Vec<LedgerTotal>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH per_platform AS (
                 SELECT platform_id, programme, count(*) AS cases, sum(item_count) AS items,
                        sum(total_ceiling_cents) AS ceiling, sum(total_approved_cents) AS approved
                 FROM cases WHERE year = ?1 AND status <> 'withdrawn'
                 GROUP BY platform_id, programme
             ),
             per_payment AS (
                 SELECT c.platform_id, sum(pm.amount_cents) AS paid
                 FROM payments pm JOIN cases c ON c.id = pm.case_id
                 WHERE c.year = ?1 AND c.status <> 'withdrawn'
                 GROUP BY c.platform_id
             )
             SELECT pp.programme, e.town, sum(pp.cases), sum(pp.items), sum(pp.ceiling),
                    sum(pp.approved), coalesce(sum(pay.paid), 0)
             FROM per_platform pp JOIN platforms p ON p.id = pp.platform_id
                  JOIN enterprises e ON e.id = p.enterprise_id
                  LEFT JOIN per_payment pay ON pay.platform_id = pp.platform_id
             GROUP BY pp.programme, e.town",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(LedgerTotal {
                programme: sql::programme(r, 0)?,
                town: sql::town(r, 1)?,
                cases: r.get(2)?,
                items: r.get(3)?,
                ceiling: sql::money(r, 4)?,
                approved: sql::money(r, 5)?,
                paid: sql::money(r, 6)?,
            })
        })?;
        let mut totals = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        totals.sort_by_key(|t| (t.programme, t.town));
        Ok(totals)
    }
}
