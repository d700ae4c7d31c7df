//! Services to enterprises.

use super::*;

/// 6.12: per enterprise served, or per time.
pub(super) fn services(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut counted = 0usize;
    let (ae, at) = (param("amount_per_enterprise"), param("amount_per_time"));
    let (mut rows, mut times) = (0u64, 0u64);
    for item in items {
        for row in item.units("services") {
            if d.refused(unit(item, "services", row), row) {
                continue;
            }
            if let Some(reason) = row.date("date").and_then(|dt| ctx.date_reason(clause, dt)) {
                d.exclude(unit(item, "services", row), reason);
                continue;
            }
            counted += 1;
            if row.choice("basis") == Some("time") {
                times += row.count("times").unwrap_or(0);
            } else {
                rows += 1;
            }
        }
    }
    let total = Money::from(rows) * ae + Money::from(times) * at;
    if counted > 0 {
        d.step(
            What::Services {
                enterprises: rows,
                each: ae,
                times,
                per_time: at,
            },
            None,
            total,
        );
    }
    d.formula_done(total, counted, Vec::new())
}
