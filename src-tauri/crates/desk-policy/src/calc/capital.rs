//! The capital clauses: a grant on the paid-in capital, and the fiscal share's check.

use super::*;

/// 6.4 and 2.1: (paid-in − fiscal where it is subtracted) × rate, at most the cap.
pub(super) fn capital_grant(
    ctx: &Ctx<'_>,
    clause: &Clause,
    mut d: Draft,
    errors: &mut InputErrors,
) -> Draft {
    let p = &ctx.case.platform;
    let paid = required_money(
        p.paid_in_capital,
        "platform.paid_in_capital",
        crate::glossary::PAID_IN_CAPITAL,
        clause,
        errors,
    );
    let fiscal = if clause.spec.less_fiscal {
        required_money(
            p.fiscal_paid_in_capital,
            "platform.fiscal_paid_in_capital",
            crate::glossary::FISCAL_PAID_IN_CAPITAL,
            clause,
            errors,
        )
    } else {
        Some(Money::ZERO)
    };
    let (Some(paid), Some(fiscal)) = (paid, fiscal) else {
        return d.formula_done(Money::ZERO, 0, Vec::new());
    };
    let (rate, cap) = (
        ctx.param_or_zero(clause, "rate"),
        ctx.param_or_zero(clause, "cap"),
    );
    let raw = (paid - fiscal).max(Money::ZERO) * rate;
    let mut bound = Vec::new();
    if raw > cap {
        bind(&mut bound, UnitCap::ItemCap);
    }
    let total = raw.min(cap);
    d.step(
        What::CapitalGrant {
            paid_in: paid,
            fiscal: clause.spec.less_fiscal.then_some(fiscal),
            rate,
            cap,
        },
        None,
        total,
    );
    d.formula_done(total, 1, bound)
}

/// 6.3: fiscal ÷ paid-in against the largest share; no money.
pub(super) fn equity_check(
    ctx: &Ctx<'_>,
    clause: &Clause,
    mut d: Draft,
    errors: &mut InputErrors,
) -> Draft {
    let p = &ctx.case.platform;
    let paid = required_money(
        p.paid_in_capital,
        "platform.paid_in_capital",
        crate::glossary::PAID_IN_CAPITAL,
        clause,
        errors,
    );
    let fiscal = required_money(
        p.fiscal_paid_in_capital,
        "platform.fiscal_paid_in_capital",
        crate::glossary::FISCAL_PAID_IN_CAPITAL,
        clause,
        errors,
    );
    if let (Some(paid), Some(fiscal)) = (paid, fiscal)
        && paid > Money::ZERO
    {
        d.step(
            What::EquityCheck {
                paid_in: paid,
                fiscal,
                share: fiscal / paid,
                max_share: ctx.param_or_zero(clause, "max_fiscal_share"),
            },
            None,
            Money::ZERO,
        );
    }
    d.formula_done(Money::ZERO, 0, Vec::new())
}
