//! The platform's history for the calculator, in one query.

use desk_policy::{CreditCode, HistoryEntry, Programme};
use rusqlite::params;

use crate::error::Result;
use crate::{Store, sql};

impl Store {
    /// What the platform's approved cases were granted, by clause and year, as the calculator's
    /// `history` (`docs/policy/CASE-FILE.md`): with the enterprises of the accepted units
    /// (4.1, 4.2a, 4.3, 4.4, 6.10), 4.1's number of projects and the largest active count 4.5
    /// rewarded. `excluding_case` leaves out the case being computed.
    pub fn platform_history(
        &self,
        platform_id: i64,
        excluding_case: Option<i64>,
    ) -> Result<Vec<HistoryEntry>> {
        // An item approved at 0.00 supported nobody and no project (CLAUSES.md, revised); its
        // entry is kept with its amount.
        let mut stmt = self.conn.prepare_cached(
            "WITH approved AS (
                 SELECT i.clause, c.year, i.approved_cents, i.covered_enterprises, i.active_count,
                        i.project_count
                 FROM cases c JOIN case_items i ON i.case_id = c.id
                 WHERE c.platform_id = ?1 AND c.status = 'approved'
                   AND i.approved_cents IS NOT NULL AND c.id IS NOT ?2
             )
             SELECT a.clause, a.year, sum(a.approved_cents),
                    (SELECT json_group_array(DISTINCT e.value)
                     FROM approved b, json_each(coalesce(b.covered_enterprises, '[]')) e
                     WHERE b.clause = a.clause AND b.year = a.year AND b.approved_cents > 0),
                    max(a.active_count), p.programme,
                    CASE WHEN count(a.project_count) > 0 THEN
                      sum(CASE WHEN a.approved_cents > 0 THEN
                            coalesce(a.project_count,
                                     max(json_array_length(coalesce(a.covered_enterprises, '[]')), 1))
                          ELSE 0 END)
                    END
             FROM approved a, platforms p WHERE p.id = ?1
             GROUP BY a.clause, a.year",
        )?;
        let rows = stmt.query_map(params![platform_id, excluding_case], |r| {
            let mut enterprises: Vec<String> =
                serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default();
            enterprises.sort();
            // 4.1's projects, summed over its approved items (each as it was approved; an item
            // approved before v6 as one per listed enterprise). None when no item recorded them.
            let projects: Option<i64> = r.get(6)?;
            Ok((
                sql::programme(r, 5)?,
                HistoryEntry {
                    clause: r.get(0)?,
                    projects: projects.map(|n| n.clamp(0, i64::from(u32::MAX)) as u32),
                    year: r.get(1)?,
                    approved: sql::money(r, 2)?,
                    enterprises: enterprises
                        .iter()
                        .filter_map(|c| CreditCode::parse(c).ok())
                        .collect(),
                    active_count: r.get(4)?,
                },
            ))
        })?;
        let mut entries = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        // Year, then the programme's own clause order ("6.2" before "6.10").
        entries.sort_by_key(|(programme, e): &(Programme, HistoryEntry)| {
            let order = programme.clause_ids().iter().position(|c| *c == e.clause);
            (e.year, order, e.clause.clone())
        });
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    }
}
