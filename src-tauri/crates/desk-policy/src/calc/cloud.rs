//! Cloud resources (6.16) and cloud adoption (4.5).

use super::*;

/// 6.16: the approved providers' fees within 36 months from the system going live.
pub(super) fn cloud_fees(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
    errors: &mut InputErrors,
) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let p = &ctx.case.platform;
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    let Some(live) = p.system_live_on else {
        errors.push(
            "platform.system_live_on",
            format!("缺少信息系统上线日期（第{}条需要）", clause.id),
        );
        return d;
    };
    let months = u32::try_from(param("months").trunc()).unwrap_or(36);
    let free = support_window(live, months);
    for item in items {
        for row in item.units("fees") {
            if d.refused(unit(item, "fees", row), row) {
                continue;
            }
            let date = row.date("date");
            let reason = if row.flag("provider_approved") != Some(true) {
                Some(Reason::ProviderNotApproved)
            } else {
                date.and_then(|dt| ctx.date_reason(clause, dt)).or_else(|| {
                    date.filter(|dt| !free.contains(*dt))
                        .map(|_| Reason::OutsideCloudWindow)
                })
            };
            if let Some(reason) = reason {
                d.exclude(unit(item, "fees", row), reason);
                continue;
            }
            counted += 1;
            total += row.money("amount").unwrap_or_default();
        }
    }
    if counted > 0 {
        d.step(What::CloudFees, None, total);
    }
    d.formula_done(total, counted, Vec::new())
}

/// 4.5: (n − h) × each for the active enterprises above the baseline.
pub(super) fn cloud_adoption(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let param = |name: &str| ctx.param_or_zero(clause, name);
    let counted = active_count(ctx, clause, items, Some(&mut d)) as usize;
    let n = Money::from(counted as u64);
    let largest = ctx
        .case
        .history
        .iter()
        .filter(|h| h.clause == clause.id)
        .filter_map(|h| h.active_count)
        .max()
        .map(Money::from)
        .unwrap_or_default();
    let h = param("baseline").max(largest);
    let each = param("amount");
    d.active_count = Some(counted.min(u32::MAX as usize) as u32);
    d.step(
        What::CloudAdoption {
            active: counted.min(u32::MAX as usize) as u32,
            baseline: h,
            each,
        },
        None,
        if n > h { (n - h) * each } else { zero() },
    );
    if n > h {
        d.amount = (n - h) * each;
        d.limited = LimitedBy::Rate;
    } else {
        d.amount = Money::ZERO;
        d.limited = LimitedBy::Ineligible;
    }
    d
}
