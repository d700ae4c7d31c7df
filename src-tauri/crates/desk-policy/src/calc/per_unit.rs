//! A fixed amount per unit.

use super::*;

/// 6.6, 6.7, 6.9, 4.2a, 4.3, 5.a, 5.b: a fixed amount per counted unit (6.9 by kind); 4.2a and 4.3 once per enterprise.
pub(super) fn per_unit(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    let list = clause.spec.list.unwrap_or("solutions");
    let date_field = clause.spec.date_field.unwrap_or("adopted_on");
    let (mut products, mut equipment) = (0u64, 0u64);
    // 4.2a and 4.3 are one-time per enterprise (CLAUSES.md, revised).
    let supported = if clause.formula == Formula::PerUnit {
        ctx.supported_enterprises(&clause.id)
    } else {
        HashSet::new()
    };
    for item in items {
        for row in item.units(list) {
            if d.refused(unit(item, list, row), row) {
                continue;
            }
            if let Some(reason) = ctx.served_reason(clause, row, date_field, &supported) {
                d.exclude(unit(item, list, row), reason);
                continue;
            }
            counted += 1;
            if row.choice("kind") == Some("equipment") {
                equipment += 1;
            } else {
                products += 1;
            }
        }
    }
    if clause.formula == Formula::PerSolutionByKind {
        let (ap, ae) = (param("amount_product"), param("amount_equipment"));
        total = ap * Money::from(products) + ae * Money::from(equipment);
        d.step(
            What::PerKind {
                products,
                product_each: ap,
                equipment,
                equipment_each: ae,
            },
            None,
            total,
        );
    } else if counted > 0 {
        let each = param("amount");
        total = each * Money::from(counted as u64);
        d.step(
            What::PerUnit {
                count: counted as u64,
                each,
            },
            None,
            total,
        );
    }
    d.formula_done(total, counted, Vec::new())
}
