//! Rent of leased space.

use super::*;

/// zs-ptsp-2018 6.2 and zs-iip-2021 2.2a: Σ area × min(rent, 50 元 or the reference rent) × the months counted.
pub(super) fn lease(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let p = &ctx.case.platform;
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    // The maximums inside the formula that bound, each named once, in the order they first did.
    let mut bound: Vec<UnitCap> = Vec::new();
    let cap = param("rent_cap_per_m2");
    let reference = clause.formula == Formula::LeaseReference;
    for item in items {
        for row in item.units("leases") {
            if d.refused(unit(item, "leases", row), row) {
                continue;
            }
            let (Some(from), Some(to)) = (row.month("from"), row.month("to")) else {
                continue;
            };
            if reference
                && row.flag("ecosystem") == Some(true)
                && p.level != Some(PlatformLevel::Benchmark)
            {
                d.exclude(unit(item, "leases", row), Reason::EcosystemBenchmarkOnly);
                continue;
            }
            let mut months = 0u32;
            for i in from.index()..=to.index() {
                let m = YearMonth::from_index(i);
                match ctx.month_reason(clause, m) {
                    Some(reason) => d.exclude(
                        UnitRef {
                            month: Some(m),
                            ..unit(item, "leases", row)
                        },
                        reason,
                    ),
                    None => months += 1,
                }
            }
            if months == 0 {
                continue;
            }
            counted += 1;
            let area = row.money("area_m2").unwrap_or_default();
            let rent = row.money("rent_per_m2").unwrap_or_default();
            let limit = if reference {
                row.money("reference_rent_per_m2").unwrap_or_default()
            } else {
                cap
            };
            if rent > limit {
                bind(
                    &mut bound,
                    if reference {
                        UnitCap::ReferenceRent
                    } else {
                        UnitCap::RentCap
                    },
                );
            }
            let amount = area * rent.min(limit) * Money::from(months);
            total += amount;
            let what = if reference {
                What::LeaseReference {
                    area,
                    rent,
                    reference: limit,
                    months,
                }
            } else {
                What::Lease {
                    area,
                    rent,
                    cap: limit,
                    months,
                }
            };
            d.step(what, Some(unit(item, "leases", row)), amount);
        }
    }
    d.formula_done(total, counted, bound)
}
