//! Cases (案件) and their items: opening, listing, the workflow, decisions and payments.

use chrono::{Months, NaiveDate};
use desk_policy::{Money, Programme, Town};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::model::{
    Approval, CaseDetail, CaseItem, CasePage, CaseQuery, CaseRow, CaseStatus, Editor, NewCase,
    NewItem, Payment, approval_bound, cents, text,
};
use crate::{Store, audit, sql};
use desk_policy::TextKind;

/// The case list's columns; the totals are kept on the case by triggers (migration 002).
const CASE_SELECT: &str = "SELECT c.id, c.case_no, c.programme, c.year, c.batch, c.status,
        c.officer, c.received_on, p.id, p.name, e.name, e.credit_code, e.town,
        c.item_count, c.total_declared_cents, c.total_ceiling_cents, c.total_approved_cents
     FROM cases c JOIN platforms p ON p.id = c.platform_id JOIN enterprises e ON e.id = p.enterprise_id";

const MAX_PAGE_SIZE: u32 = 500;

/// The longest search text, in characters. Names run to a few dozen; SQLite refuses a LIKE pattern
/// of more than 50,000 bytes with an English message, which no search should reach.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A search text the lists accept: at most [`MAX_SEARCH_CHARS`] characters.
pub(crate) fn check_search(text: &str) -> Result<()> {
    let chars = text.chars().count();
    if chars > MAX_SEARCH_CHARS {
        return Err(StoreError::Invalid(format!(
            "搜索内容过长：最多 {MAX_SEARCH_CHARS} 个字，收到 {chars} 个字。请只输入名称、信用代码或案件编号的一部分"
        )));
    }
    Ok(())
}

fn case_no_prefix(programme: Programme, year: i32) -> String {
    let code = match programme {
        Programme::ZsPtsp2018 => "PTSP",
        Programme::ZsIip2021 => "IIP",
    };
    format!("{code}-{year}-")
}

/// The next number of a programme and year: `PTSP-2020-0001`, `IIP-2022-0001`.
pub(crate) fn next_case_no(
    tx: &Transaction<'_>,
    programme: Programme,
    year: i32,
) -> Result<String> {
    let prefix = case_no_prefix(programme, year);
    let last: i64 = tx.query_row(
        "SELECT coalesce(max(CAST(substr(case_no, length(?1) + 1) AS INTEGER)), 0)
         FROM cases WHERE case_no >= ?1 AND case_no < ?1 || '~'",
        [&prefix],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:04}", last + 1))
}

impl Store {
    /// Opens a case for a platform and year with its declared items, all in one transaction: the
    /// case is stored whole or not at all. The number is `PTSP-2020-0001` / `IIP-2022-0001`.
    pub fn new_case(
        &mut self,
        new: &NewCase,
        items: &[NewItem],
        editor: &Editor,
    ) -> Result<CaseRow> {
        let platform = self.platform(new.platform_id)?;
        if !platform.programme.accepts_year(new.year) {
            let (from, to) = platform.programme.validity();
            return Err(StoreError::Invalid(format!(
                "申报年度：{} 不在“{}”的有效期（{} 至 {}）内",
                new.year,
                platform.programme.short_title(),
                from,
                to
            )));
        }
        let officer = text("经办人", TextKind::Person, &new.officer)?;
        if officer.is_empty() {
            return Err(StoreError::Invalid("经办人：不能为空".into()));
        }
        let batch = text("批次", TextKind::Name, &new.batch)?;
        let declared = items
            .iter()
            .map(|item| check_item(platform.programme, item))
            .collect::<Result<Vec<_>>>()?;
        let tx = self.write_tx()?;
        let case_no = next_case_no(&tx, platform.programme, new.year)?;
        tx.execute(
            "INSERT INTO cases (case_no, platform_id, programme, year, batch, status, officer,
                                received_on, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                case_no,
                platform.id,
                platform.programme.id(),
                new.year,
                batch,
                new.status.id(),
                officer,
                sql::format_date(new.received_on),
                editor.timestamp()
            ],
        )?;
        let id = tx.last_insert_rowid();
        for (item, declared_cents) in items.iter().zip(declared) {
            insert_item(&tx, id, item, declared_cents, editor)?;
        }
        let row = case_row(&tx, id)?;
        audit::record(&tx, editor, "case", id, "新建案件", None::<&()>, Some(&row))?;
        tx.commit()?;
        Ok(row)
    }

    pub fn case(&self, id: i64) -> Result<CaseRow> {
        case_row(&self.conn, id)
    }

    pub fn case_by_no(&self, case_no: &str) -> Result<CaseRow> {
        let id: i64 = self
            .conn
            .query_row(
                "SELECT id FROM cases WHERE case_no = ?1",
                [case_no.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("没有案件编号为“{}”的案件", case_no.trim()))
            })?;
        self.case(id)
    }

    pub fn case_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?)
    }

    /// One page of the case list, newest received first, with the number of matching cases.
    pub fn cases(&self, query: &CaseQuery) -> Result<CasePage> {
        let page_size = query.page_size.clamp(1, MAX_PAGE_SIZE);
        let page = query.page.max(1);
        // Plain "?" placeholders are numbered in order, so each condition pushes its own values.
        let mut conditions: Vec<String> = Vec::new();
        let mut bound: Vec<Value> = Vec::new();
        let text = |s: &str| Value::Text(s.to_string());
        if let Some(p) = query.programme {
            conditions.push("c.programme = ?".into());
            bound.push(text(p.id()));
        }
        if let Some(y) = query.year {
            conditions.push("c.year = ?".into());
            bound.push(Value::Integer(y.into()));
        }
        if let Some(s) = query.status {
            conditions.push("c.status = ?".into());
            bound.push(text(s.id()));
        }
        if query.open {
            // An IN list of the open statuses (not NOT IN the final ones): the officer's index
            // (officer, status) is then searched range by range.
            let open: Vec<String> = CaseStatus::ALL
                .iter()
                .filter(|s| !s.is_final())
                .map(|s| format!("'{}'", s.id()))
                .collect();
            conditions.push(format!("c.status IN ({})", open.join(", ")));
        }
        if let Some(b) = non_blank(&query.batch) {
            conditions.push("c.batch = ?".into());
            bound.push(text(b));
        }
        if let Some(o) = non_blank(&query.officer) {
            conditions.push("c.officer = ?".into());
            bound.push(text(o));
        }
        if let Some(q) = non_blank(&query.search) {
            check_search(q)?;
            // The search is resolved first into platform ids (and the case it numbers), so that the
            // cases are then found through the platform index; the town filter is folded in.
            let hits = self.search_hits(&q.to_uppercase_if_code(), query.town)?;
            let platforms = || {
                Value::Text(format!(
                    "[{}]",
                    hits.platforms
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                ))
            };
            match (hits.platforms.is_empty(), hits.case_id) {
                (true, None) => {
                    return Ok(CasePage {
                        total: 0,
                        page,
                        page_size,
                        rows: Vec::new(),
                    });
                }
                (false, None) => {
                    conditions.push("c.platform_id IN (SELECT value FROM json_each(?))".into());
                    bound.push(platforms());
                }
                (true, Some(id)) => {
                    conditions.push("c.id = ?".into());
                    bound.push(Value::Integer(id));
                }
                (false, Some(id)) => {
                    conditions.push(
                        "(c.platform_id IN (SELECT value FROM json_each(?)) OR c.id = ?)".into(),
                    );
                    bound.extend([platforms(), Value::Integer(id)]);
                }
            }
        } else if let Some(t) = query.town {
            // Town selects platforms first (a few thousand rows), then their cases by index.
            conditions.push(
                "c.platform_id IN (SELECT p.id FROM platforms p JOIN enterprises e
                                   ON e.id = p.enterprise_id WHERE e.town = ?)"
                    .into(),
            );
            bound.push(text(t.name()));
        }
        let where_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM cases c{where_sql}"))?
            .query_row(params_from_iter(bound.iter()), |r| r.get(0))?;
        // First the page's ids (index only, cheap even deep in the list), then only their rows.
        let order = if query.oldest_first {
            "ORDER BY c.received_on, c.id"
        } else {
            "ORDER BY c.received_on DESC, c.id DESC"
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CASE_SELECT} WHERE c.id IN (SELECT c.id FROM cases c{where_sql} {order} LIMIT {page_size} OFFSET {})
             {order}",
            u64::from(page - 1) * u64::from(page_size)
        ))?;
        let rows = stmt
            .query_map(params_from_iter(bound.iter()), case_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(CasePage {
            total,
            page,
            page_size,
            rows,
        })
    }

    /// What a typed search finds: the platforms whose own or whose enterprise's name contains the
    /// text or whose enterprise's credit code starts with it, and the case it numbers exactly; both
    /// only in `town` when one is given. (LIKE ignores ASCII case; `%` and `_` are literal.)
    fn search_hits(&self, q: &str, town: Option<Town>) -> Result<SearchHits> {
        let contains = format!("%{}%", escape_like(q));
        let prefix = format!("{}%", escape_like(q));
        let town = town.map(Town::name);
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id FROM platforms p JOIN enterprises e ON e.id = p.enterprise_id
             WHERE (e.name LIKE ?1 ESCAPE '\\' OR p.name LIKE ?1 ESCAPE '\\'
                    OR e.credit_code LIKE ?2 ESCAPE '\\')
               AND (?3 IS NULL OR e.town = ?3)",
        )?;
        let platforms = stmt
            .query_map(params![contains, prefix, town], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let case_id = self
            .conn
            .prepare_cached(
                "SELECT c.id FROM cases c JOIN platforms p ON p.id = c.platform_id
                 JOIN enterprises e ON e.id = p.enterprise_id
                 WHERE c.case_no = ?1 AND (?2 IS NULL OR e.town = ?2)",
            )?
            .query_row(params![q, town], |r| r.get(0))
            .optional()?;
        Ok(SearchHits { platforms, case_id })
    }

    /// Everything about one case: applicant, platform, items, payments and audit trail.
    pub fn case_detail(&self, id: i64) -> Result<CaseDetail> {
        let case = self.case(id)?;
        let platform = self.platform(case.platform_id)?;
        Ok(CaseDetail {
            items: self.items(id)?,
            payments: self.payments(id)?,
            audit: self.audit_of_case(id)?,
            case,
            platform,
        })
    }

    pub fn items(&self, case_id: i64) -> Result<Vec<CaseItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seq, clause, declared_units, declared_cents, ceiling_cents, explanation,
                    approved_cents, reason, covered_enterprises, active_count, project_count
             FROM case_items WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([case_id], item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a declared item to a case that is still open for changes.
    pub fn add_item(&mut self, case_id: i64, item: &NewItem, editor: &Editor) -> Result<CaseItem> {
        let case = self.case(case_id)?;
        if !case.status.items_editable() {
            return Err(StoreError::Conflict(format!(
                "案件 {} 当前为“{}”，不能再增加申报项目",
                case.case_no,
                case.status.label()
            )));
        }
        let declared = check_item(case.programme, item)?;
        let tx = self.write_tx()?;
        let id = insert_item(&tx, case_id, item, declared, editor)?;
        let created = item_by_id(&tx, id)?;
        touch(&tx, case_id, editor)?;
        tx.commit()?;
        Ok(created)
    }

    /// Stores the calculator's ceiling and explanation for an item. A ceiling below an amount
    /// already approved clears that approval (it must be decided again).
    pub fn set_item_ceiling(
        &mut self,
        item_id: i64,
        ceiling: Money,
        explanation: &serde_json::Value,
        editor: &Editor,
    ) -> Result<CaseItem> {
        let mut stored =
            self.set_item_ceilings(&[(item_id, ceiling, explanation.clone())], editor)?;
        stored
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {item_id} 的申报项目")))
    }

    /// Stores the ceilings of several items (one computation of a case) in one transaction.
    pub fn set_item_ceilings(
        &mut self,
        ceilings: &[(i64, Money, serde_json::Value)],
        editor: &Editor,
    ) -> Result<Vec<CaseItem>> {
        let tx = self.write_tx()?;
        let mut stored = Vec::with_capacity(ceilings.len());
        let mut touched = Vec::new();
        for (item_id, ceiling, explanation) in ceilings {
            let ceiling_cents = cents(*ceiling, desk_policy::glossary::CEILING)?;
            let before = item_by_id(&tx, *item_id)?;
            let case_id = case_of_item(&tx, *item_id)?;
            let status = status_of(&tx, case_id)?;
            if status.is_final() {
                return Err(StoreError::Conflict(format!(
                    "案件已“{}”，不能重新计算",
                    status.label()
                )));
            }
            tx.execute(
                "UPDATE case_items SET ceiling_cents = ?2, explanation = ?3,
                     approved_cents = CASE WHEN approved_cents > ?2 THEN NULL ELSE approved_cents END
                 WHERE id = ?1",
                params![item_id, ceiling_cents, explanation.to_string()],
            )?;
            let after = item_by_id(&tx, *item_id)?;
            audit::record(
                &tx,
                editor,
                "item",
                *item_id,
                "计算最高可补助额",
                Some(&before),
                Some(&after),
            )?;
            if !touched.contains(&case_id) {
                touched.push(case_id);
            }
            stored.push(after);
        }
        for case_id in touched {
            touch(&tx, case_id, editor)?;
        }
        tx.commit()?;
        Ok(stored)
    }

    /// Records the approved amount of an item: never above its ceiling, and with a reason when lower.
    pub fn approve_item(
        &mut self,
        item_id: i64,
        approval: &Approval,
        editor: &Editor,
    ) -> Result<CaseItem> {
        let amount_cents = cents(approval.amount, desk_policy::glossary::APPROVED)?;
        let tx = self.write_tx()?;
        let before = item_by_id(&tx, item_id)?;
        let case_id = case_of_item(&tx, item_id)?;
        let status = status_of(&tx, case_id)?;
        if !matches!(
            status,
            CaseStatus::Verifying | CaseStatus::Reviewing | CaseStatus::Approving
        ) {
            return Err(StoreError::Conflict(format!(
                "案件当前为“{}”，只有核查、复核、审批阶段可以核定金额",
                status.label()
            )));
        }
        let Some(ceiling) = before.ceiling else {
            return Err(StoreError::Conflict(
                "该项目尚未计算最高可补助额，请先计算".into(),
            ));
        };
        // 核定金额 ≤ min(最高可补助额, 申请金额); a reason only below that (CLAUSES.md, revised).
        let grouped = desk_policy::money::format_grouped;
        if approval.amount > Money::ZERO && before.declared_amount.is_none() {
            return Err(StoreError::Conflict(
                "申请金额：该项目没有申请金额（导入于“核定金额不超过申请金额”规则之前），请先补录申请金额再核定".into(),
            ));
        }
        let bound = approval_bound(ceiling, before.declared_amount);
        if approval.amount > bound.amount {
            return Err(StoreError::Invalid(format!(
                "核定金额：{} 元超过{} {} 元",
                grouped(approval.amount),
                bound.label(),
                grouped(bound.amount)
            )));
        }
        let reason = &text("核减理由", TextKind::Free, &approval.reason)?;
        if approval.amount < bound.amount && reason.is_empty() {
            return Err(StoreError::Invalid(format!(
                "核减理由：核定金额低于{} {} 元时必须填写核减理由",
                bound.label(),
                grouped(bound.amount)
            )));
        }
        let covered = if approval.covered_enterprises.is_empty() {
            None
        } else {
            Some(json!(approval.covered_enterprises).to_string())
        };
        tx.execute(
            "UPDATE case_items SET approved_cents = ?2, reason = ?3, covered_enterprises = ?4,
                 active_count = ?5, project_count = ?6 WHERE id = ?1",
            params![
                item_id,
                amount_cents,
                reason,
                covered,
                approval.active_count,
                approval.projects
            ],
        )?;
        let after = item_by_id(&tx, item_id)?;
        audit::record(
            &tx,
            editor,
            "item",
            item_id,
            desk_policy::glossary::APPROVED,
            Some(&before),
            Some(&after),
        )?;
        touch(&tx, case_id, editor)?;
        tx.commit()?;
        Ok(after)
    }

    /// The officer's 不予认定 of one declared unit (a lease, a loan, a contract, a served
    /// enterprise: `list[index]` of the item), with the reason; `None` takes it back. The item's
    /// ceiling, explanation and approval are cleared in the same transaction: the line must be
    /// computed again on the units accepted (desk-api does it at once) and decided again.
    pub fn refuse_unit(
        &mut self,
        item_id: i64,
        list: &str,
        index: usize,
        reason: Option<&str>,
        editor: &Editor,
    ) -> Result<CaseItem> {
        let reason = match reason.map(str::trim) {
            Some("") => {
                return Err(StoreError::Invalid(
                    "不予认定理由：不予认定须写明理由（如“缺少验收报告”）".into(),
                ));
            }
            Some(r) if r.chars().count() > 200 => {
                return Err(StoreError::Invalid("不予认定理由：不超过 200 个字".into()));
            }
            other => other,
        };
        let tx = self.write_tx()?;
        let before = item_by_id(&tx, item_id)?;
        let case_id = case_of_item(&tx, item_id)?;
        let status = status_of(&tx, case_id)?;
        if !matches!(
            status,
            CaseStatus::Verifying | CaseStatus::Reviewing | CaseStatus::Approving
        ) {
            return Err(StoreError::Conflict(format!(
                "案件当前为“{}”，只有核查、复核、审批阶段可以对申报单元不予认定",
                status.label()
            )));
        }
        let mut units = before.declared_units.clone();
        let rows = units.get(list).and_then(|l| l.as_array()).map(Vec::len);
        let row = match rows {
            None => {
                return Err(StoreError::Invalid(format!(
                    "申报单元：第{}条的申报项目没有“{list}”明细",
                    before.clause
                )));
            }
            Some(n) if index >= n => {
                return Err(StoreError::Invalid(format!(
                    "申报单元：{list} 只有 {n} 行，没有第 {} 行",
                    index + 1
                )));
            }
            Some(_) => &mut units[list][index],
        };
        let Some(fields) = row.as_object_mut() else {
            return Err(StoreError::Invalid(format!(
                "申报单元：{list}[{index}] 不是一行明细"
            )));
        };
        let was = fields.get(desk_policy::case::REFUSED).cloned();
        match reason {
            Some(r) => {
                fields.insert(desk_policy::case::REFUSED.into(), json!(r));
            }
            None => {
                fields.remove(desk_policy::case::REFUSED);
            }
        }
        if was == fields.get(desk_policy::case::REFUSED).cloned() {
            return Ok(before); // nothing changes, nothing is written
        }
        tx.execute(
            "UPDATE case_items SET declared_units = ?2, ceiling_cents = NULL, explanation = NULL,
                 approved_cents = NULL, covered_enterprises = NULL, active_count = NULL,
                 project_count = NULL
             WHERE id = ?1",
            params![item_id, units.to_string()],
        )?;
        let after = item_by_id(&tx, item_id)?;
        let action = match reason {
            Some(r) => format!("不予认定：{list}[{index}]（{r}）"),
            None => format!("撤销不予认定：{list}[{index}]"),
        };
        audit::record(
            &tx,
            editor,
            "item",
            item_id,
            &action,
            Some(&before),
            Some(&after),
        )?;
        touch(&tx, case_id, editor)?;
        tx.commit()?;
        Ok(after)
    }

    /// Records an item's 申请金额 where it is missing or wrong (an item imported before the amount
    /// was required is asked for it before approval). An approval above the new amount is cleared:
    /// it must be decided again.
    pub fn set_item_request(
        &mut self,
        item_id: i64,
        requested: Money,
        editor: &Editor,
    ) -> Result<CaseItem> {
        let requested_cents = cents(requested, desk_policy::glossary::REQUESTED)?;
        let tx = self.write_tx()?;
        let before = item_by_id(&tx, item_id)?;
        let case_id = case_of_item(&tx, item_id)?;
        let status = status_of(&tx, case_id)?;
        if matches!(
            status,
            CaseStatus::Approved | CaseStatus::Rejected | CaseStatus::Withdrawn
        ) {
            return Err(StoreError::Conflict(format!(
                "案件当前为“{}”，不能再修改申请金额",
                status.label()
            )));
        }
        tx.execute(
            "UPDATE case_items SET declared_cents = ?2,
                 approved_cents = CASE WHEN approved_cents > ?2 THEN NULL ELSE approved_cents END
             WHERE id = ?1",
            params![item_id, requested_cents],
        )?;
        let after = item_by_id(&tx, item_id)?;
        audit::record(
            &tx,
            editor,
            "item",
            item_id,
            desk_policy::glossary::REQUESTED,
            Some(&before),
            Some(&after),
        )?;
        touch(&tx, case_id, editor)?;
        tx.commit()?;
        Ok(after)
    }

    /// Moves a case along the workflow. Approval needs every item decided.
    pub fn set_case_status(
        &mut self,
        case_id: i64,
        next: CaseStatus,
        editor: &Editor,
    ) -> Result<CaseRow> {
        let tx = self.write_tx()?;
        let before = case_row(&tx, case_id)?;
        if !before.status.can_move_to(next) {
            return Err(StoreError::Conflict(format!(
                "案件 {} 当前为“{}”，不能改为“{}”",
                before.case_no,
                before.status.label(),
                next.label()
            )));
        }
        if next == CaseStatus::Approved {
            let undecided: i64 = tx.query_row(
                "SELECT count(*) FROM case_items WHERE case_id = ?1 AND approved_cents IS NULL",
                [case_id],
                |r| r.get(0),
            )?;
            if undecided > 0 {
                return Err(StoreError::Conflict(format!(
                    "案件 {} 还有 {undecided} 个项目未核定金额，不能批准",
                    before.case_no
                )));
            }
        }
        tx.execute(
            "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![case_id, next.id(), editor.timestamp()],
        )?;
        let after = case_row(&tx, case_id)?;
        let action = format!("状态：{} → {}", before.status.label(), next.label());
        audit::record(
            &tx,
            editor,
            "case",
            case_id,
            &action,
            Some(&before),
            Some(&after),
        )?;
        tx.commit()?;
        Ok(after)
    }

    /// Records a payment on an approved case. The total paid never exceeds the total approved; the
    /// first payment to a zs-ptsp-2018 platform starts its 5-year obligation (《实施意见》八（一）).
    pub fn record_payment(
        &mut self,
        case_id: i64,
        amount: Money,
        paid_on: NaiveDate,
        voucher_no: &str,
        editor: &Editor,
    ) -> Result<Payment> {
        let amount_cents = cents(amount, "拨付金额")?;
        if amount_cents <= 0 {
            return Err(StoreError::Invalid("拨付金额：必须大于 0".into()));
        }
        let voucher_no = &text("拨付凭证号", TextKind::Phone, voucher_no)?;
        let tx = self.write_tx()?;
        let case = case_row(&tx, case_id)?;
        if case.status != CaseStatus::Approved {
            return Err(StoreError::Conflict(format!(
                "案件 {} 当前为“{}”，批准后才能拨付",
                case.case_no,
                case.status.label()
            )));
        }
        let paid: i64 = tx.query_row(
            "SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )?;
        let approved = cents(case.approved_total, desk_policy::glossary::APPROVED)?;
        if paid + amount_cents > approved {
            return Err(StoreError::Invalid(format!(
                "拨付金额：累计拨付将超过核定总额 {} 元（已拨付 {} 元）",
                desk_policy::money::format_grouped(case.approved_total),
                desk_policy::money::format_grouped(desk_policy::money::from_cents(paid))
            )));
        }
        tx.execute(
            "INSERT INTO payments (case_id, amount_cents, paid_on, voucher_no, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                case_id,
                amount_cents,
                sql::format_date(paid_on),
                voucher_no.trim(),
                editor.timestamp()
            ],
        )?;
        let id = tx.last_insert_rowid();
        if case.programme == Programme::ZsPtsp2018 {
            let ends_on = paid_on
                .checked_add_months(Months::new(60))
                .unwrap_or(paid_on);
            tx.execute(
                "INSERT OR IGNORE INTO obligations (platform_id, first_paid_on, ends_on)
                 VALUES (?1, ?2, ?3)",
                params![
                    case.platform_id,
                    sql::format_date(paid_on),
                    sql::format_date(ends_on)
                ],
            )?;
        }
        let payment = Payment {
            id,
            amount,
            paid_on,
            voucher_no: voucher_no.trim().to_string(),
            note: String::new(),
        };
        audit::record(
            &tx,
            editor,
            "payment",
            id,
            "拨付",
            None::<&()>,
            Some(&payment),
        )?;
        tx.commit()?;
        Ok(payment)
    }

    pub fn payments(&self, case_id: i64) -> Result<Vec<Payment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, amount_cents, paid_on, voucher_no, note FROM payments
             WHERE case_id = ?1 ORDER BY paid_on, id",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(Payment {
                id: r.get(0)?,
                amount: sql::money(r, 1)?,
                paid_on: sql::date(r, 2)?,
                voucher_no: r.get(3)?,
                note: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The 5-year operating obligation of a platform, if a payment started one: (first paid, ends).
    pub fn obligation(&self, platform_id: i64) -> Result<Option<(NaiveDate, NaiveDate)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT first_paid_on, ends_on FROM obligations WHERE platform_id = ?1",
                [platform_id],
                |r| Ok((sql::date(r, 0)?, sql::date(r, 1)?)),
            )
            .optional()?)
    }
}

/// Where a typed search leads (see [`Store::search_hits`]).
#[derive(Debug)]
struct SearchHits {
    platforms: Vec<i64>,
    case_id: Option<i64>,
}

trait UppercaseIfCode {
    fn to_uppercase_if_code(&self) -> String;
}

impl UppercaseIfCode for str {
    /// Credit codes and case numbers are upper case; names are left as typed.
    fn to_uppercase_if_code(&self) -> String {
        if self.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            self.to_ascii_uppercase()
        } else {
            self.to_string()
        }
    }
}

fn non_blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

pub(crate) fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Checks an item against its case's programme; returns its declared amount in cents.
fn check_item(programme: Programme, item: &NewItem) -> Result<Option<i64>> {
    if desk_policy::ClauseId::parse(programme, item.clause.as_str()).is_err() {
        return Err(StoreError::Invalid(format!(
            "条款：第“{}”条不属于案件所在政策 {programme}",
            item.clause
        )));
    }
    if !item.declared_units.trim_start().starts_with('{') {
        return Err(StoreError::Invalid("申报内容：必须是一个 JSON 对象".into()));
    }
    item.declared_amount
        .map(|m| cents(m, "申报金额"))
        .transpose()
}

/// Writes a new item and its audit entry, and gives its id. The units are serialised once and the
/// row is not read back: a 10,000-row item is a megabyte of JSON.
pub(crate) fn insert_item(
    tx: &Transaction<'_>,
    case_id: i64,
    item: &NewItem,
    declared_cents: Option<i64>,
    editor: &Editor,
) -> Result<i64> {
    // Written as given, for the row and for the audit entry, and never parsed back (a large
    // submission's units are a megabyte of JSON).
    let units = item.declared_units.as_str();
    let (id, seq, declared_amount): (i64, i64, Option<Money>) = tx.query_row(
        "INSERT INTO case_items (case_id, seq, clause, declared_units, declared_cents)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM case_items WHERE case_id = ?1),
                 ?2, ?3, ?4)
         RETURNING id, seq, declared_cents",
        params![case_id, item.clause.as_str(), units, declared_cents],
        |r| Ok((r.get(0)?, r.get(1)?, sql::money_opt(r, 2)?)),
    )?;
    let created = created_item_json(id, seq, item.clause.as_str(), units, declared_amount)?;
    audit::record_json(tx, editor, "item", id, "增加申报项目", None, Some(&created))?;
    Ok(id)
}

/// A new item as its audit entry records it: `CaseItem`'s fields and order
/// (`tests::a_new_items_audit_entry_is_the_item` holds them together), the units as written (the
/// database has checked them: the row above is in). Put together as text around the units, so a
/// megabyte of them is copied once, into a buffer of the right size.
fn created_item_json(
    id: i64,
    seq: i64,
    clause: &str,
    units: &str,
    declared_amount: Option<Money>,
) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        id: i64,
        seq: i64,
        clause: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Tail {
        declared_amount: Option<Money>,
        ceiling: Option<Money>,
        explanation: Option<()>,
        approved: Option<Money>,
        reason: &'static str,
        covered_enterprises: [(); 0],
        active_count: Option<u32>,
        projects: Option<u32>,
    }
    fn json(v: &impl serde::Serialize) -> Result<String> {
        serde_json::to_string(v).map_err(|e| StoreError::Invalid(format!("审计记录：{e}")))
    }
    let head = json(&Head { id, seq, clause })?;
    let tail = json(&Tail {
        declared_amount,
        ceiling: None,
        explanation: None,
        approved: None,
        reason: "",
        covered_enterprises: [],
        active_count: None,
        projects: None,
    })?;
    // Both are objects: `{…}`. The units go between them.
    let mut out = String::with_capacity(head.len() + units.len() + tail.len() + 20);
    out.push_str(head.strip_suffix('}').unwrap_or(&head));
    out.push_str(",\"declared_units\":");
    out.push_str(units);
    out.push(',');
    out.push_str(tail.strip_prefix('{').unwrap_or(&tail));
    Ok(out)
}

fn case_row(conn: &rusqlite::Connection, id: i64) -> Result<CaseRow> {
    conn.query_row(
        &format!("{CASE_SELECT} WHERE c.id = ?1"),
        [id],
        case_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的案件")))
}

fn case_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseRow> {
    let status: String = r.get(5)?;
    Ok(CaseRow {
        id: r.get(0)?,
        case_no: r.get(1)?,
        programme: sql::programme(r, 2)?,
        year: r.get(3)?,
        batch: r.get(4)?,
        status: CaseStatus::parse(&status).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                5,
                rusqlite::types::Type::Text,
                Box::new(rusqlite::types::FromSqlError::Other(e.into())),
            )
        })?,
        officer: r.get(6)?,
        received_on: sql::date(r, 7)?,
        platform_id: r.get(8)?,
        platform_name: r.get(9)?,
        enterprise_name: r.get(10)?,
        credit_code: sql::credit_code(r, 11)?,
        town: sql::town(r, 12)?,
        item_count: r.get(13)?,
        declared_total: sql::money(r, 14)?,
        ceiling_total: sql::money(r, 15)?,
        approved_total: sql::money(r, 16)?,
    })
}

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseItem> {
    let covered = sql::json_opt(r, 9)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    Ok(CaseItem {
        id: r.get(0)?,
        seq: r.get(1)?,
        clause: r.get(2)?,
        declared_units: sql::json_opt(r, 3)?.unwrap_or_else(|| json!({})),
        declared_amount: sql::money_opt(r, 4)?,
        ceiling: sql::money_opt(r, 5)?,
        explanation: sql::json_opt(r, 6)?,
        approved: sql::money_opt(r, 7)?,
        reason: r.get(8)?,
        covered_enterprises: covered,
        active_count: r.get(10)?,
        projects: r.get(11)?,
    })
}

fn item_by_id(tx: &Transaction<'_>, id: i64) -> Result<CaseItem> {
    tx.query_row(
        "SELECT id, seq, clause, declared_units, declared_cents, ceiling_cents, explanation,
                approved_cents, reason, covered_enterprises, active_count, project_count
         FROM case_items WHERE id = ?1",
        [id],
        item_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的申报项目")))
}

fn case_of_item(tx: &Transaction<'_>, item_id: i64) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT case_id FROM case_items WHERE id = ?1",
        [item_id],
        |r| r.get(0),
    )?)
}

fn status_of(tx: &Transaction<'_>, case_id: i64) -> Result<CaseStatus> {
    let text: String = tx.query_row("SELECT status FROM cases WHERE id = ?1", [case_id], |r| {
        r.get(0)
    })?;
    CaseStatus::parse(&text).map_err(StoreError::Invalid)
}

fn touch(tx: &Transaction<'_>, case_id: i64, editor: &Editor) -> Result<()> {
    tx.execute(
        "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
        params![case_id, editor.timestamp()],
    )?;
    Ok(())
}
