//! Projects and transformation contracts.

use super::*;

/// 4.1 (per project) and 4.4 (per enterprise, once): contracts at most investment − other funding, and the cap.
pub(super) fn contracts(ctx: &Ctx<'_>, clause: &Clause, items: &[&Item], mut d: Draft) -> Draft {
    let param = |name: &str| ctx.param(clause, name).unwrap_or(Money::ZERO);
    let mut total = Money::ZERO;
    let mut counted = 0usize;
    // The maximums inside the formula that bound, each named once, in the order they first did.
    let mut bound: Vec<UnitCap> = Vec::new();
    let list = if clause.formula == Formula::Projects {
        "projects"
    } else {
        "contracts"
    };
    let cap = param("unit_cap");
    let supported: HashSet<&CreditCode> = if clause.formula == Formula::Transformation {
        ctx.supported_enterprises(&clause.id)
    } else {
        HashSet::new()
    };
    // 4.4 sums per enterprise (in the order first seen); 4.1 counts each project on its own.
    let mut per_enterprise: Vec<(Option<&CreditCode>, Money, bool)> = Vec::new();
    let mut position: HashMap<Option<&CreditCode>, usize> = HashMap::new();
    for item in items {
        for row in item.units(list) {
            if d.refused(unit(item, list, row), row) {
                continue;
            }
            if let Some(reason) = ctx.served_reason(clause, row, "accepted_on", &supported) {
                d.exclude(unit(item, list, row), reason);
                continue;
            }
            counted += 1;
            let code = row.code("enterprise_credit_code");
            let contract = row.money("contract_amount").unwrap_or_default();
            let net = row
                .money("investment")
                .map(|inv| (inv - row.money("other_funding").unwrap_or_default()).max(Money::ZERO));
            let value = net.map_or(contract, |n| contract.min(n));
            let reduced = value < contract;
            if clause.formula == Formula::Projects {
                let amount = value.min(cap);
                if value > cap {
                    bind(&mut bound, UnitCap::ItemCap);
                } else if reduced {
                    bind(&mut bound, UnitCap::NetInvestment);
                }
                total += amount;
                d.step(
                    What::Project { contract, cap, net },
                    Some(unit(item, list, row)),
                    amount,
                );
            } else {
                d.step(
                    What::Contract {
                        enterprise: code.cloned(),
                        contract,
                        net,
                    },
                    Some(unit(item, list, row)),
                    value,
                );
                match position.get(&code) {
                    Some(&i) => {
                        per_enterprise[i].1 += value;
                        per_enterprise[i].2 |= reduced;
                    }
                    None => {
                        position.insert(code, per_enterprise.len());
                        per_enterprise.push((code, value, reduced));
                    }
                }
            }
        }
    }
    for (code, sum, reduced) in per_enterprise {
        let amount = sum.min(cap);
        if sum > cap {
            bind(&mut bound, UnitCap::PerEnterprise);
        } else if reduced {
            bind(&mut bound, UnitCap::NetInvestment);
        }
        total += amount;
        d.step(
            What::Enterprise {
                enterprise: code.cloned(),
                contracts: sum,
                cap,
            },
            None,
            amount,
        );
    }
    d.formula_done(total, counted, bound)
}
