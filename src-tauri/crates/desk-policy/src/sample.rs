//! Realistic random cases from a seed, for the property tests and the speed bench: both
//! programmes, a mix of clauses, 1–50 units, history. Always valid input; deterministic per seed.

use serde_json::{Value, json};

use crate::CreditCode;

/// xorshift64*: small, fast, deterministic; good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn code(rng: &mut Rng, zhongshan: bool) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let division = if zhongshan { "442000" } else { "440300" };
    let body: String = (0..9)
        .map(|_| CHARS[rng.below(31) as usize] as char)
        .collect();
    CreditCode::with_check_character(&format!("91{division}{body}"))
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|_| "91442000MA4W4K8L06".into())
}

fn date(rng: &mut Rng, year: i64) -> String {
    format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28))
}

fn money(rng: &mut Rng, lo: i64, hi: i64) -> String {
    format!("{}.{:02}", rng.range(lo, hi), rng.range(0, 99))
}

/// A random valid case. `units` bounds the number of units (1–50 in the bench).
pub fn random_case(seed: u64, max_units: u64) -> Value {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    if rng.chance(55) {
        ptsp(&mut rng, max_units)
    } else {
        iip(&mut rng, max_units)
    }
}

fn ptsp(rng: &mut Rng, max_units: u64) -> Value {
    let year = rng.range(2018, 2022);
    let recognized = rng.range(2017, year);
    let category = *rng.pick(&[5, 6, 2, 9, 12, 7, 8, 18, 3, 16, 21, 0]);
    let clauses: &[&str] = &[
        "6.2", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14a",
        "6.14b", "6.15", "6.16",
    ];
    let mut budget = 1 + rng.below(max_units.max(1));
    let mut items = Vec::new();
    let n_items = 1 + rng.below(4);
    for _ in 0..n_items {
        let clause = *rng.pick(clauses);
        let n = (1 + rng.below(budget.min(20))).min(budget);
        budget = budget.saturating_sub(n).max(1);
        let rows = |rng: &mut Rng, f: &dyn Fn(&mut Rng) -> Value| -> Vec<Value> {
            (0..n).map(|_| f(rng)).collect()
        };
        let item = match clause {
            "6.2" => json!({"clause": clause, "leases": rows(rng, &|r| {
                let from = r.range(1, 12);
                json!({"area_m2": money(r, 50, 3000), "rent_per_m2": money(r, 20, 80),
                       "from": format!("{year}-{from:02}"), "to": format!("{year}-{:02}", r.range(from, 12))})
            })}),
            "6.5" => json!({"clause": clause, "loans": rows(rng, &|r| json!({
                "principal": money(r, 100_000, 20_000_000), "interest_paid": money(r, 1_000, 800_000),
                "from": format!("{}-01-01", year - r.range(0, 1)), "to": date(r, year)}))}),
            "6.6" | "6.7" => json!({"clause": clause, "solutions": rows(rng, &|r| {
                let zs = r.chance(85);
                json!({"enterprise_credit_code": code(r, zs), "adopted_on": date(r, year)})
            })}),
            "6.8" => {
                json!({"clause": clause, "orders": rows(rng, &|r| json!({"amount": money(r, 10_000, 3_000_000), "date": date(r, year)}))})
            }
            "6.9" => json!({"clause": clause, "solutions": rows(rng, &|r| {
                let kind = *r.pick(&["product", "equipment"]);
                json!({"enterprise_credit_code": code(r, true), "adopted_on": date(r, year), "kind": kind})
            })}),
            "6.10" => json!({"clause": clause,
                "conversions": rows(rng, &|r| json!({"enterprise_credit_code": code(r, true), "date": date(r, year)})),
                "schemes": rows(rng, &|r| json!({"enterprise_credit_code": code(r, true), "adopted_on": date(r, year)}))}),
            "6.11" => {
                json!({"clause": clause, "purchases": rows(rng, &|r| json!({"amount": money(r, 10_000, 5_000_000), "date": date(r, year)}))})
            }
            "6.12" => json!({"clause": clause, "services": rows(rng, &|r| {
                if r.chance(60) {
                    json!({"enterprise_credit_code": code(r, true), "basis": "enterprise", "date": date(r, year)})
                } else {
                    json!({"enterprise_credit_code": code(r, true), "basis": "time", "times": r.range(1, 40), "date": date(r, year)})
                }
            })}),
            "6.13" => json!({"clause": clause, "relocation_cost": money(rng, 100_000, 3_000_000)}),
            "6.14a" => json!({"clause": clause, "units": rows(rng, &|r| {
                let kind = *r.pick(&["set", "single", "component"]);
                json!({"kind": kind, "price": money(r, 100_000, 20_000_000), "date": date(r, year)})
            })}),
            "6.14b" => {
                json!({"clause": clause, "lines": rows(rng, &|r| json!({"investment": money(r, 1_000_000, 40_000_000), "date": date(r, year)}))})
            }
            "6.15" => {
                json!({"clause": clause, "construction_cost": money(rng, 100_000, 1_000_000)})
            }
            "6.16" => {
                json!({"clause": clause, "fees": rows(rng, &|r| json!({"amount": money(r, 1_000, 200_000), "date": date(r, year), "provider_approved": r.chance(80)}))})
            }
            _ => json!({"clause": "6.4"}),
        };
        items.push(item);
    }
    dedupe_services(&mut items);
    let history: Vec<Value> = (0..rng.below(4))
        .map(|_| json!({"clause": *rng.pick(clauses), "year": rng.range(2018, year), "approved": money(rng, 10_000, 900_000)}))
        .collect();
    json!({
        "programme": "zs-ptsp-2018", "year": year,
        "platform": {
            "credit_code": code(rng, true), "name": "中山市样例平台有限公司", "category": category,
            "recognized_on": date(rng, recognized), "paid_in_capital": money(rng, 1_000_000, 50_000_000),
            "fiscal_paid_in_capital": money(rng, 0, 500_000), "relocated_hq": rng.chance(30),
            "system_live_on": date(rng, recognized)
        },
        "history": history, "items": items
    })
}

fn iip(rng: &mut Rng, max_units: u64) -> Value {
    let year = rng.range(2021, 2025);
    let recognized = rng.range(2021, year);
    let level = if rng.chance(40) {
        "benchmark"
    } else {
        "municipal"
    };
    let clauses: &[&str] = &[
        "2.1", "2.2a", "2.3", "3", "4.1", "4.2a", "4.2b", "4.2c", "4.3", "4.4", "4.5", "5.a",
        "5.b", "5.c", "6.a", "6.b", "7", "9",
    ];
    let mut budget = 1 + rng.below(max_units.max(1));
    let mut items = Vec::new();
    let mut projects = 0;
    for _ in 0..1 + rng.below(4) {
        let clause = *rng.pick(clauses);
        let n = (1 + rng.below(budget.min(20))).min(budget);
        budget = budget.saturating_sub(n).max(1);
        let rows = |rng: &mut Rng, f: &dyn Fn(&mut Rng) -> Value| -> Vec<Value> {
            (0..n).map(|_| f(rng)).collect()
        };
        let item = match clause {
            "2.2a" => json!({"clause": clause, "leases": rows(rng, &|r| {
                let from = r.range(1, 12);
                json!({"area_m2": money(r, 100, 3000), "rent_per_m2": money(r, 30, 90), "reference_rent_per_m2": money(r, 35, 60),
                       "from": format!("{year}-{from:02}"), "to": format!("{year}-{:02}", r.range(from, 12)), "ecosystem": r.chance(20)})
            })}),
            "2.3" => {
                json!({"clause": clause, "fixed_assets": money(rng, 1_000_000, 20_000_000), "software": money(rng, 0, 3_000_000)})
            }
            "4.1" if projects < 2 => {
                projects += 1;
                json!({"clause": clause, "projects": [{"enterprise_credit_code": code(rng, true),
                    "contract_amount": money(rng, 500_000, 8_000_000), "accepted_on": date(rng, year)}]})
            }
            "4.2a" => {
                json!({"clause": clause, "factories": rows(rng, &|r| json!({"enterprise_credit_code": code(r, true), "accepted_on": date(r, year)}))})
            }
            "4.2b" => json!({"clause": clause, "revenue": money(rng, 5_000_000, 60_000_000)}),
            "4.2c" => json!({"clause": clause, "gmv": money(rng, 100_000_000, 900_000_000)}),
            "4.3" => {
                json!({"clause": clause, "workshops": rows(rng, &|r| json!({"enterprise_credit_code": code(r, true), "accepted_on": date(r, year)}))})
            }
            "4.4" => {
                json!({"clause": clause, "contracts": rows(rng, &|r| { let zs = r.chance(90); json!({"enterprise_credit_code": code(r, zs),
                "contract_amount": money(r, 20_000, 500_000), "accepted_on": date(r, year)}) })})
            }
            "4.5" => json!({"clause": clause, "enterprises": (0..n * 8).map(|_| {
                let connected = rng.range(1, 365);
                let zs = rng.chance(90);
                json!({"credit_code": code(rng, zs), "used_days": rng.range(0, connected), "connected_days": connected})
            }).collect::<Vec<_>>()}),
            "5.a" => {
                json!({"clause": clause, "apps": rows(rng, &|r| json!({"name": "工业APP", "deployed_on": date(r, year)}))})
            }
            "5.b" => {
                json!({"clause": clause, "software": rows(rng, &|r| json!({"name": "工业软件", "registered_on": date(r, year)}))})
            }
            "6.a" => {
                json!({"clause": clause, "grants": money(rng, 100_000, 5_000_000), "investment": money(rng, 1_000_000, 12_000_000)})
            }
            "6.b" => {
                json!({"clause": clause, "new_registrations": rng.range(50_000_000, 200_000_000), "daily_resolutions": rng.range(10_000, 60_000)})
            }
            "2.1" | "3" | "5.c" | "7" | "9" => json!({"clause": clause}),
            _ => json!({"clause": "7"}),
        };
        items.push(item);
    }
    dedupe_cloud(&mut items);
    let history: Vec<Value> = (0..rng.below(4))
        .map(|_| {
            let clause = *rng.pick(&["4.4", "4.5", "7", "2.3", "6.a", "4.2a"]);
            let mut h = json!({"clause": clause, "year": rng.range(2021, year), "approved": money(rng, 10_000, 2_000_000)});
            if clause == "4.4" {
                h["enterprises"] = json!([code(rng, true)]);
            }
            if clause == "4.5" {
                h["active_count"] = json!(rng.range(90, 180));
            }
            h
        })
        .collect();
    json!({
        "programme": "zs-iip-2021", "year": year,
        "platform": {"credit_code": code(rng, true), "name": "中山市样例工业互联网平台", "level": level,
                     "recognized_on": date(rng, recognized), "paid_in_capital": money(rng, 5_000_000, 50_000_000)},
        "history": history, "items": items
    })
}

/// 6.12 allows a credit code once per case; random codes rarely repeat, but make sure.
fn dedupe_services(items: &mut [Value]) {
    let mut seen = std::collections::HashSet::new();
    for item in items.iter_mut() {
        if let Some(rows) = item.get_mut("services").and_then(Value::as_array_mut) {
            rows.retain(|r| {
                seen.insert(
                    r["enterprise_credit_code"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            });
        }
    }
}

fn dedupe_cloud(items: &mut [Value]) {
    let mut seen = std::collections::HashSet::new();
    for item in items.iter_mut() {
        if let Some(rows) = item.get_mut("enterprises").and_then(Value::as_array_mut) {
            rows.retain(|r| seen.insert(r["credit_code"].as_str().unwrap_or_default().to_string()));
        }
    }
}
