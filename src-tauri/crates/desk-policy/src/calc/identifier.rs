//! Identifier resolution (标识解析): matching the national and provincial grants, and the
//! breakthrough award.

use super::*;

/// 6.a: min(grants, cap, investment − grants), never below 0.
pub(super) fn identifier_match(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let grants: Money = sum_field(items, "grants");
    let investment: Money = sum_field(items, "investment");
    let cap = ctx.param_or_zero(clause, "cap");
    let total = grants.min(cap).min(investment - grants).max(Money::ZERO);
    let mut bound = Vec::new();
    if total < grants {
        // The smaller of the two maximums bound: the clause's cap, or investment − grants.
        let cap_bound = if cap <= investment - grants {
            UnitCap::ItemCap
        } else {
            UnitCap::NetInvestment
        };
        bind(&mut bound, cap_bound);
    }
    d.step(
        What::IdentifierMatch {
            grants,
            cap,
            investment,
        },
        None,
        total,
    );
    d.formula_done(total, 1, bound)
}

/// 6.b: the award when both thresholds are passed.
pub(super) fn identifier_breakthrough(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let registrations: Money = sum_field(items, "new_registrations");
    let resolutions: Money = sum_field(items, "daily_resolutions");
    let registrations_over = ctx.param_or_zero(clause, "registrations_over");
    let resolutions_over = ctx.param_or_zero(clause, "resolutions_over");
    let what = What::IdentifierBreakthrough {
        registrations,
        registrations_over,
        resolutions,
        resolutions_over,
    };
    if registrations > registrations_over && resolutions > resolutions_over {
        let total = ctx.param_or_zero(clause, "amount");
        d.step(what, None, total);
        d.formula_done(total, 1, Vec::new())
    } else {
        d.zero(LimitedBy::Ineligible, what)
    }
}
