//! A share of each unit's base.

use super::*;

/// 6.8, 6.11, 6.14a, 6.14b: Σ min(base × rate, the cap per unit) (6.11 without a cap).
pub(super) fn share_of_base(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut d: Draft,
) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    // The maximums inside the formula that bound, each named once, in the order they first did.
    let mut bound: Vec<UnitCap> = Vec::new();
    let (list, field) = match clause.formula {
        Formula::OrderShare => ("orders", "amount"),
        Formula::PurchaseShare => ("purchases", "amount"),
        Formula::FirstLines => ("lines", "investment"),
        _ => ("units", "price"),
    };
    let rate = param("rate");
    let mut sum = Money::ZERO;
    for item in items {
        for row in item.units(list) {
            if d.refused(unit(item, list, row), row) {
                continue;
            }
            if let Some(reason) = row.date("date").and_then(|dt| ctx.date_reason(clause, dt)) {
                d.exclude(unit(item, list, row), reason);
                continue;
            }
            counted += 1;
            let base = row.money(field).unwrap_or_default();
            let raw = base * rate;
            let cap = match (clause.formula, row.choice("kind")) {
                (Formula::PurchaseShare, _) => None,
                (Formula::FirstUnits, Some("set")) => Some(param("cap_set")),
                (Formula::FirstUnits, Some("single")) => Some(param("cap_single")),
                (Formula::FirstUnits, _) => Some(param("cap_component")),
                _ => Some(param("unit_cap")),
            };
            let amount = cap.map_or(raw, |c| raw.min(c));
            if cap.is_some_and(|c| raw > c) {
                bind(&mut bound, UnitCap::ItemCap);
            }
            total += amount;
            sum += base;
            let cap = cap.unwrap_or_default();
            let what = match clause.formula {
                Formula::OrderShare => What::Order {
                    amount: base,
                    rate,
                    cap,
                },
                Formula::FirstLines => What::FirstLine {
                    investment: base,
                    rate,
                    cap,
                },
                Formula::FirstUnits => What::FirstUnit {
                    price: base,
                    rate,
                    cap,
                },
                _ => continue,
            };
            d.step(what, Some(unit(item, list, row)), amount);
        }
    }
    if clause.formula == Formula::PurchaseShare && counted > 0 {
        d.step(What::Purchases { total: sum, rate }, None, total);
    }
    d.formula_done(total, counted, bound)
}
