//! A platform's history as the calculator reads it (`docs/policy/CASE-FILE.md`, `history`): what
//! earlier cases of the same platform had approved, by clause and year.

use serde::{Deserialize, Serialize};

use crate::{CreditCode, Money};

/// Approved amounts of one clause in one year, summed over the platform's earlier approved cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub clause: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub approved: Money,
    /// The enterprises actually supported (the accepted units only): zs-iip-2021 4.1, 4.2a, 4.3,
    /// 4.4 and zs-ptsp-2018 6.10.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enterprises: Vec<CreditCode>,
    /// zs-iip-2021 4.1: the number of accepted projects (absent: one per listed enterprise, at
    /// least one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<u32>,
    /// zs-iip-2021 4.5: the number of active cloud enterprises that year's award counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_count: Option<u32>,
}

impl HistoryEntry {
    /// An approval of 0.00 means not supported: it uses nothing up (CLAUSES.md, revised).
    pub fn supported(&self) -> bool {
        self.approved > Money::ZERO
    }

    /// zs-iip-2021 4.1: the projects this entry counts against the yearly limit.
    pub fn project_count(&self) -> usize {
        if !self.supported() {
            return 0;
        }
        self.projects
            .map(|n| n as usize)
            .unwrap_or_else(|| self.enterprises.len().max(1))
    }
}
