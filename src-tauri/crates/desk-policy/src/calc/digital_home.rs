//! Digital home furnishing.

use super::*;

/// 6.10: per distinct enterprise converted (once per enterprise) plus per scheme.
pub(super) fn digital_home(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut counted = 0usize;
    let mut enterprises: HashSet<&CreditCode> = HashSet::new();
    let mut schemes = 0u64;
    // "每家企业最高3万元": an enterprise converted in an earlier approved case counts 0.
    let supported = ctx.supported_enterprises(&clause.id);
    let none = HashSet::new();
    for item in items {
        for (list, date_field) in [("conversions", "date"), ("schemes", "adopted_on")] {
            for row in item.units(list) {
                if d.refused(unit(item, list, row), row) {
                    continue;
                }
                let once = if list == "conversions" {
                    &supported
                } else {
                    &none
                };
                if let Some(reason) = ctx.served_reason(clause, row, date_field, once) {
                    d.exclude(unit(item, list, row), reason);
                    continue;
                }
                counted += 1;
                if list == "schemes" {
                    schemes += 1;
                } else if let Some(code) = row.code("enterprise_credit_code") {
                    enterprises.insert(code);
                }
            }
        }
    }
    let (ae, as_) = (param("amount_per_enterprise"), param("amount_per_scheme"));
    let e = Money::from(enterprises.len() as u64);
    let total = e * ae + Money::from(schemes) * as_;
    if counted > 0 {
        d.step(
            What::DigitalHome {
                enterprises: enterprises.len() as u64,
                each: ae,
                schemes,
                scheme_each: as_,
            },
            None,
            total,
        );
    }
    d.formula_done(total, counted, Vec::new())
}
