//! The records the store keeps and returns. Serializable, so the command line's `--json` and (later)
//! the desktop shell show exactly these shapes.

use chrono::{NaiveDate, NaiveDateTime};
use desk_policy::{
    CreditCode, Money, PlatformCategory, PlatformLevel, Programme, Town, money::MoneyError,
};
use serde::{Deserialize, Serialize};

/// Who makes a change, and when. Every change is recorded in the audit log under this account and
/// name. `account_id` is `None` only for the store's own tests and for records written before v8;
/// desk-api builds every editor from a signed-in account.
#[derive(Debug, Clone)]
pub struct Editor {
    pub account_id: Option<i64>,
    pub user: String,
    pub at: NaiveDateTime,
}

impl Editor {
    /// An editor with a name and no account (tests, and the store's own maintenance).
    pub fn new(user: impl Into<String>, at: NaiveDateTime) -> Self {
        Self {
            account_id: None,
            user: user.into(),
            at,
        }
    }

    /// A signed-in account acting at `at`.
    pub fn account(account_id: i64, name: impl Into<String>, at: NaiveDateTime) -> Self {
        Self {
            account_id: Some(account_id),
            user: name.into(),
            at,
        }
    }

    pub(crate) fn timestamp(&self) -> String {
        self.at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewEnterprise {
    pub credit_code: CreditCode,
    pub name: String,
    pub town: Town,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Enterprise {
    pub id: i64,
    pub credit_code: CreditCode,
    pub name: String,
    pub town: Town,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
}

/// How a platform is graded under its programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[derive(ts_rs::TS)]
#[ts(export)]
pub enum Grade {
    /// zs-ptsp-2018: category 0–24.
    Category(PlatformCategory),
    /// zs-iip-2021: benchmark or municipal.
    Level(PlatformLevel),
}

impl Grade {
    pub fn label(self) -> String {
        match self {
            Grade::Category(c) => c.to_string(),
            Grade::Level(l) => l.label().to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewPlatform {
    pub enterprise: CreditCode,
    pub programme: Programme,
    pub name: String,
    pub grade: Grade,
    pub recognized_on: NaiveDate,
    pub paid_in_capital: Option<Money>,
    pub fiscal_paid_in_capital: Option<Money>,
    pub relocated_hq: bool,
    pub system_live_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Platform {
    pub id: i64,
    pub enterprise_id: i64,
    pub credit_code: CreditCode,
    pub enterprise_name: String,
    pub town: Town,
    pub programme: Programme,
    pub name: String,
    pub grade: Grade,
    pub recognized_on: NaiveDate,
    #[ts(type = "string | null")]
    pub paid_in_capital: Option<Money>,
    #[ts(type = "string | null")]
    pub fiscal_paid_in_capital: Option<Money>,
    pub relocated_hq: bool,
    pub system_live_on: Option<NaiveDate>,
}

/// Where a case stands. The allowed moves are [`CaseStatus::can_move_to`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(ts_rs::TS)]
#[ts(export)]
pub enum CaseStatus {
    Draft,
    Received,
    Verifying,
    Reviewing,
    Approving,
    Approved,
    Rejected,
    Returned,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 9] = [
        CaseStatus::Draft,
        CaseStatus::Received,
        CaseStatus::Verifying,
        CaseStatus::Reviewing,
        CaseStatus::Approving,
        CaseStatus::Approved,
        CaseStatus::Rejected,
        CaseStatus::Returned,
        CaseStatus::Withdrawn,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Received => "received",
            CaseStatus::Verifying => "verifying",
            CaseStatus::Reviewing => "reviewing",
            CaseStatus::Approving => "approving",
            CaseStatus::Approved => "approved",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Returned => "returned",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Draft => "草稿",
            CaseStatus::Received => "已受理",
            CaseStatus::Verifying => "核查中",
            CaseStatus::Reviewing => "复核中",
            CaseStatus::Approving => "待审批",
            CaseStatus::Approved => "已批准",
            CaseStatus::Rejected => "不予支持",
            CaseStatus::Returned => "退回补正",
            CaseStatus::Withdrawn => "已撤回",
        }
    }

    /// Accepts the id or the Chinese label.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.id() == text || s.label() == text)
            .ok_or_else(|| {
                let choices: Vec<String> = Self::ALL
                    .iter()
                    .map(|s| format!("{}（{}）", s.id(), s.label()))
                    .collect();
                format!("未知的案件状态“{text}”，可选：{}", choices.join("、"))
            })
    }

    /// The workflow: 受理 → 核查 → 复核 → 审批, with return for correction (补正) and send-back.
    pub fn can_move_to(self, next: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, next),
            (Draft, Received | Withdrawn)
                | (Received, Verifying | Returned | Rejected | Withdrawn)
                | (Verifying, Reviewing | Returned | Rejected)
                | (Reviewing, Approving | Verifying | Rejected)
                | (Approving, Approved | Reviewing | Rejected)
                | (Returned, Received | Withdrawn)
        )
    }

    /// Whether declared items may still be added or changed.
    pub fn items_editable(self) -> bool {
        matches!(
            self,
            CaseStatus::Draft | CaseStatus::Received | CaseStatus::Verifying | CaseStatus::Returned
        )
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseStatus::Approved | CaseStatus::Rejected | CaseStatus::Withdrawn
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewCase {
    pub platform_id: i64,
    pub year: i32,
    pub batch: String,
    pub officer: String,
    pub received_on: NaiveDate,
    pub status: CaseStatus,
}

/// A case as the case list shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CaseRow {
    pub id: i64,
    pub case_no: String,
    pub programme: Programme,
    pub year: i32,
    pub batch: String,
    pub status: CaseStatus,
    pub officer: String,
    pub received_on: NaiveDate,
    pub platform_id: i64,
    pub platform_name: String,
    pub enterprise_name: String,
    pub credit_code: CreditCode,
    pub town: Town,
    pub item_count: i64,
    #[ts(type = "string")]
    pub declared_total: Money,
    #[ts(type = "string")]
    pub ceiling_total: Money,
    #[ts(type = "string")]
    pub approved_total: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct NewItem {
    pub clause: desk_policy::ClauseId,
    /// The item's own fields as the case file names them (`docs/policy/CASE-FILE.md`), as JSON
    /// text (the database refuses any other): an import writes a 10,000-row item's megabyte once,
    /// straight from its typed units, into a buffer of the right size.
    pub declared_units: String,
    pub declared_amount: Option<Money>,
}

impl NewItem {
    /// An item whose units are given as a JSON value.
    pub fn new(
        clause: desk_policy::ClauseId,
        declared_units: &serde_json::Value,
        declared_amount: Option<Money>,
    ) -> Self {
        NewItem {
            clause,
            declared_units: declared_units.to_string(),
            declared_amount,
        }
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CaseItem {
    pub id: i64,
    pub seq: i64,
    pub clause: String,
    pub declared_units: serde_json::Value,
    #[ts(type = "string | null")]
    pub declared_amount: Option<Money>,
    #[ts(type = "string | null")]
    pub ceiling: Option<Money>,
    pub explanation: Option<serde_json::Value>,
    #[ts(type = "string | null")]
    pub approved: Option<Money>,
    pub reason: String,
    pub covered_enterprises: Vec<CreditCode>,
    pub active_count: Option<u32>,
    /// zs-iip-2021 4.1: the accepted projects this approval supports.
    pub projects: Option<u32>,
}

/// An officer's decision on one item.
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub amount: Money,
    pub reason: String,
    /// The enterprises of the accepted units this approval supports (the history of later cases:
    /// zs-iip-2021 4.1, 4.2a, 4.3, 4.4; zs-ptsp-2018 6.10).
    pub covered_enterprises: Vec<CreditCode>,
    /// zs-iip-2021 4.5: the active count this approval rewards.
    pub active_count: Option<u32>,
    /// zs-iip-2021 4.1: the number of accepted projects this approval supports.
    pub projects: Option<u32>,
}

/// Which bound an approval may not exceed: the smaller of the ceiling and the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BoundBy {
    /// 最高可补助额
    Ceiling,
    /// 申请金额
    Request,
}

/// The most an item may be approved at, and which bound it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ApprovalBound {
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Money,
    pub by: BoundBy,
}

impl ApprovalBound {
    pub fn label(&self) -> &'static str {
        match self.by {
            BoundBy::Ceiling => desk_policy::glossary::CEILING,
            BoundBy::Request => desk_policy::glossary::REQUESTED,
        }
    }
}

/// min(最高可补助额, 申请金额): the ceiling when equal or when no amount was requested.
pub fn approval_bound(ceiling: Money, requested: Option<Money>) -> ApprovalBound {
    match requested {
        Some(r) if r < ceiling => ApprovalBound {
            amount: r,
            by: BoundBy::Request,
        },
        _ => ApprovalBound {
            amount: ceiling,
            by: BoundBy::Ceiling,
        },
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Payment {
    pub id: i64,
    #[ts(type = "string")]
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub voucher_no: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Everything the case page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub case: CaseRow,
    pub platform: Platform,
    pub items: Vec<CaseItem>,
    pub payments: Vec<Payment>,
    pub audit: Vec<AuditEntry>,
}

/// Filters of the case list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub programme: Option<Programme>,
    pub year: Option<i32>,
    pub batch: Option<String>,
    pub town: Option<Town>,
    pub status: Option<CaseStatus>,
    pub officer: Option<String>,
    /// Only cases still being handled: not approved, rejected or withdrawn ([`CaseStatus::is_final`]).
    pub open: bool,
    /// Oldest received first (deadlines); otherwise newest first, as lists show cases.
    pub oldest_first: bool,
    /// Part of the enterprise's or platform's name, the start of a credit code, or a case number.
    pub search: Option<String>,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CasePage {
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    pub rows: Vec<CaseRow>,
}

/// One row of the year's ledger totals.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LedgerTotal {
    pub programme: Programme,
    pub town: Town,
    pub cases: i64,
    pub items: i64,
    #[ts(type = "string")]
    pub ceiling: Money,
    #[ts(type = "string")]
    pub approved: Money,
    #[ts(type = "string")]
    pub paid: Money,
}

/// A text as it is kept (`desk_policy::text`, the rule every entrance uses): trimmed, zero-width
/// characters taken out; refused, the field named, when too long or holding a control character.
pub(crate) fn text(
    field: &str,
    kind: desk_policy::TextKind,
    raw: &str,
) -> Result<String, crate::StoreError> {
    desk_policy::text::field_text(field, kind, raw).map_err(crate::StoreError::Invalid)
}

pub(crate) fn cents(amount: Money, field: &str) -> Result<i64, crate::StoreError> {
    desk_policy::money::to_cents(amount)
        .map_err(|e: MoneyError| crate::StoreError::Invalid(format!("{field}：{e}")))
}
