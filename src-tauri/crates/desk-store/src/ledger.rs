//! The year's ledger totals (台账汇总) by programme and town.

use crate::error::Result;
use desk_policy::ledger::LedgerRow;

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

impl Store {
    /// The ledger of one application year (one row per item), optionally of one programme and/or
    /// town. A case's payments are set against its items in order, so each row has its paid amount.
    pub fn ledger_rows(
        &self,
        year: i32,
        programme: Option<desk_policy::Programme>,
        town: Option<desk_policy::Town>,
    ) -> Result<Vec<LedgerRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_no, c.programme, c.year, c.batch, c.status, e.name, e.credit_code,
                    e.town, p.name, i.seq, i.clause, i.declared_cents, i.ceiling_cents,
                    i.approved_cents, i.reason,
                    (SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE case_id = c.id)
             FROM case_items i JOIN cases c ON c.id = i.case_id
                  JOIN platforms p ON p.id = c.platform_id JOIN enterprises e ON e.id = p.enterprise_id
             WHERE c.year = ?1 AND c.status <> 'withdrawn'
               AND (?2 IS NULL OR c.programme = ?2) AND (?3 IS NULL OR e.town = ?3)
             ORDER BY c.programme, c.case_no, i.seq",
        )?;
        let mut left_to_pay: (i64, i64) = (0, 0);
        let rows = stmt.query_map(
            rusqlite::params![year, programme.map(|p| p.id()), town.map(|t| t.name())],
            |r| {
                let case_id: i64 = r.get(0)?;
                let case_paid: i64 = r.get(16)?;
                let approved: Option<i64> = r.get(14)?;
                if left_to_pay.0 != case_id {
                    left_to_pay = (case_id, case_paid);
                }
                let paid = approved.unwrap_or(0).min(left_to_pay.1);
                left_to_pay.1 -= paid;
                let status: String = r.get(5)?;
                Ok(LedgerRow {
                    case_no: r.get(1)?,
                    programme: sql::programme(r, 2)?,
                    year: r.get(3)?,
                    batch: r.get(4)?,
                    status: crate::CaseStatus::parse(&status)
                        .map(|s| s.label().to_string())
                        .unwrap_or(status),
                    applicant: r.get(6)?,
                    credit_code: r.get(7)?,
                    town: sql::town(r, 8)?,
                    platform: r.get(9)?,
                    seq: r.get(10)?,
                    clause: r.get(11)?,
                    declared: sql::money_opt(r, 12)?,
                    ceiling: sql::money_opt(r, 13)?,
                    approved: approved.map(desk_policy::money::from_cents),
                    paid: desk_policy::money::from_cents(paid),
                    reason: r.get(15)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
