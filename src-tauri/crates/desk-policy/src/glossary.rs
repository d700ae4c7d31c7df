//! One word for one thing: the names every face (command line, app, printed forms, workbooks, and
//! CLAUSES.md) gives the amounts and findings of a case. `ui/src/glossary.ts` holds the same words
//! for the interface; a test keeps the two equal.

/// The most the policy allows for an item (the calculator's result).
pub const CEILING: &str = "最高可补助额";
/// What the applicant asked for an item.
pub const REQUESTED: &str = "申请金额";
/// What the officer approves: ≤ min(最高可补助额, 申请金额).
pub const APPROVED: &str = "核定金额";
/// Why an approval is below min(最高可补助额, 申请金额).
pub const REDUCTION_REASON: &str = "核减理由";
/// The officer's finding that a declared unit does not count.
pub const REFUSED: &str = "不予认定";
/// The platform's paid-in registered capital.
pub const PAID_IN_CAPITAL: &str = "实缴注册资本";
/// The part of it paid in by public funds (zs-ptsp-2018 6.3, 6.4).
pub const FISCAL_PAID_IN_CAPITAL: &str = "财政资金实缴出资";

/// Every word, by the key `ui/src/glossary.ts` gives it.
pub const ALL: [(&str, &str); 7] = [
    ("ceiling", CEILING),
    ("requested", REQUESTED),
    ("approved", APPROVED),
    ("reductionReason", REDUCTION_REASON),
    ("refused", REFUSED),
    ("paidInCapital", PAID_IN_CAPITAL),
    ("fiscalPaidInCapital", FISCAL_PAID_IN_CAPITAL),
];
