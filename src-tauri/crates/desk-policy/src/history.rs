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
    /// zs-iip-2021 4.4: the enterprises whose transformation was already supported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enterprises: Vec<CreditCode>,
    /// zs-iip-2021 4.5: the number of active cloud enterprises that year's award counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_count: Option<u32>,
}
