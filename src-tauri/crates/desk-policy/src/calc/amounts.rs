//! Clauses of one amount: a cost at most a cap, a declared amount, a fixed award, a threshold,
//! a share the bureau sets.

use super::*;

/// 6.13, 6.15, 2.2b: min(cost, cap); 6.13 only for a relocated headquarters.
pub(super) fn capped_cost(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
    errors: &mut InputErrors,
) -> Draft {
    if clause.spec.requires == Some("relocated_hq") {
        match ctx.case.platform.relocated_hq {
            None => {
                errors.push(
                    "platform.relocated_hq",
                    format!("缺少“是否由市外迁入总部”（第{}条需要）", clause.id),
                );
                return d;
            }
            Some(false) => {
                return d.zero(LimitedBy::Ineligible, What::IneligibleRequirement);
            }
            Some(true) => {}
        }
    }
    let cap = ctx.param_or_zero(clause, "cap");
    let cost: Money = sum_field(items, clause.spec.field.unwrap_or_default());
    let mut bound = Vec::new();
    if cost > cap {
        bind(&mut bound, UnitCap::ItemCap);
    }
    let total = cost.min(cap);
    d.step(What::CappedCost { cost, cap }, None, total);
    d.formula_done(total, 1, bound)
}

/// 6.17, 6.18, 10: the declared amount, flagged for the decision it needs.
pub(super) fn case_by_case(
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
    warnings: &mut Vec<String>,
) -> Draft {
    let total: Money = sum_field(items, "amount");
    if clause.headquarters_policy {
        d.step(What::HeadquartersPolicy, None, total);
        warnings.push(format!(
            "第{}条（{}）参照中山市总部经济政策扶持，需参照总部经济政策核定",
            clause.id, clause.citation
        ));
    } else {
        d.step(What::CaseByCase, None, total);
        warnings.push(format!(
            "第{}条（{}）为一事一议事项，需报市政府审批",
            clause.id, clause.citation
        ));
    }
    d.formula_done(total, items.len(), Vec::new())
}

/// 2.3: (fixed assets + software) × rate, at most the cap.
pub(super) fn demo_line(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let (rate, cap) = (
        ctx.param_or_zero(clause, "rate"),
        ctx.param_or_zero(clause, "cap"),
    );
    let fixed_assets: Money = sum_field(items, "fixed_assets");
    let software: Money = sum_field(items, "software");
    let raw = (fixed_assets + software) * rate;
    let mut bound = Vec::new();
    if raw > cap {
        bind(&mut bound, UnitCap::ItemCap);
    }
    let total = raw.min(cap);
    d.step(
        What::DemoLine {
            fixed_assets,
            software,
            rate,
            cap,
        },
        None,
        total,
    );
    d.formula_done(total, 1, bound)
}

/// 3, 5.c, 7, 9: a fixed award.
pub(super) fn fixed_award(ctx: &Ctx<'_>, clause: &Clause, mut d: Draft) -> Draft {
    let total = ctx.param_or_zero(clause, "amount");
    d.step(What::FixedAward, None, total);
    d.formula_done(total, 1, Vec::new())
}

/// 4.2b, 4.2c: the award when the value passes the threshold.
pub(super) fn threshold_award(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let value: Money = sum_field(items, clause.spec.field.unwrap_or_default());
    let threshold = ctx.param_or_zero(clause, "threshold");
    if value > threshold {
        let total = ctx.param_or_zero(clause, "amount");
        d.step(What::ThresholdMet { value, threshold }, None, total);
        d.formula_done(total, 1, Vec::new())
    } else {
        d.zero(
            LimitedBy::Ineligible,
            What::ThresholdMissed { value, threshold },
        )
    }
}

/// 8: investment × the rate the bureau sets (the text sets none: without it, an input error).
pub(super) fn infrastructure_share(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
    errors: &mut InputErrors,
) -> Draft {
    let Some(rate) = ctx.param(clause, "rate") else {
        let message = format!(
            "政策参数未设定：第{}条“按投资额的一定比例”补助，比例须由主管部门设定（{}.rate）后方可计算",
            clause.id, clause.id
        );
        if let Some(param) = clause.param("rate") {
            let problem = unset(ctx, clause_owner(clause), &clause.id, "rate", param, true);
            errors.push_bureau(format!("parameters.{}.rate", clause.id), message, problem);
        } else {
            errors.push(format!("parameters.{}.rate", clause.id), message);
        }
        return d;
    };
    let investment: Money = sum_field(items, "investment");
    d.amount = investment * rate;
    d.limited = LimitedBy::Parameter;
    d.step(What::Infrastructure { investment, rate }, None, d.amount);
    d
}
