//! The year's ledger totals (台账汇总) by programme and town.

use crate::error::Result;
use crate::model::LedgerTotal;
use crate::{Store, sql};

impl Store {
    /// Totals of one application year by programme and town: cases, items, ceilings, approved and
    /// paid amounts. Withdrawn cases are left out.
    pub fn ledger_totals(&self, year: i32) -> Result<Vec<LedgerTotal>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH yc AS (
                 SELECT c.id, c.programme, e.town
                 FROM cases c JOIN platforms p ON p.id = c.platform_id
                      JOIN enterprises e ON e.id = p.enterprise_id
                 WHERE c.year = ?1 AND c.status <> 'withdrawn'
             ),
             per_case AS (SELECT programme, town, count(*) AS n FROM yc GROUP BY programme, town),
             per_item AS (
                 SELECT yc.programme, yc.town, count(*) AS n,
                        coalesce(sum(i.ceiling_cents), 0) AS ceiling,
                        coalesce(sum(i.approved_cents), 0) AS approved
                 FROM yc JOIN case_items i ON i.case_id = yc.id GROUP BY yc.programme, yc.town
             ),
             per_payment AS (
                 SELECT yc.programme, yc.town, sum(pm.amount_cents) AS paid
                 FROM yc JOIN payments pm ON pm.case_id = yc.id GROUP BY yc.programme, yc.town
             )
             SELECT per_case.programme, per_case.town, per_case.n, coalesce(per_item.n, 0),
                    coalesce(per_item.ceiling, 0), coalesce(per_item.approved, 0),
                    coalesce(per_payment.paid, 0)
             FROM per_case
             LEFT JOIN per_item USING (programme, town)
             LEFT JOIN per_payment USING (programme, town)",
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
