//! A row of the bureau's ledger (台账): one declared item with its case, applicant and amounts. The
//! store reads it, the ledger workbook and printed lists show it.

use serde::Serialize;

use crate::{Money, Programme, Town};

/// One item of the ledger (台账), with its case and applicant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerRow {
    pub case_no: String,
    pub programme: Programme,
    pub year: i32,
    pub batch: String,
    /// The status in Chinese (已批准, 待审批, …).
    pub status: String,
    pub applicant: String,
    pub credit_code: String,
    pub town: Town,
    pub platform: String,
    pub seq: i64,
    pub clause: String,
    pub declared: Option<Money>,
    pub ceiling: Option<Money>,
    pub approved: Option<Money>,
    pub paid: Money,
    pub reason: String,
}
