//! What bound a line, named: `limited_by` stays CASE-FILE.md's value (`unit_cap` for any maximum
//! inside the formula, as the expert fixtures expect), and `unit_caps` says which maximum it was, so
//! the explanation, the case page and the printed form can say 租金补助标准上限 rather than 单项上限.

use std::path::Path;

use desk_policy::money::format_amount;
use desk_policy::{Case, CaseResult, Catalog, LimitedBy, Line, UnitCap, calculate};
use serde_json::{Value, json};

fn compute(case: Value) -> CaseResult {
    let catalog = Catalog::embedded();
    let case = Case::from_json(&case, catalog).unwrap_or_else(|e| panic!("case: {e}"));
    calculate(&case, catalog).unwrap_or_else(|e| panic!("calculate: {e}"))
}

fn only_line(result: &CaseResult) -> &Line {
    assert_eq!(result.lines.len(), 1, "{:?}", result.lines);
    &result.lines[0]
}

/// A zs-ptsp-2018 6.2 case (recognised 2019-07-15, year 2020) with these leases and history.
fn rent_case(leases: Value, history: Value) -> Value {
    json!({
        "programme": "zs-ptsp-2018",
        "year": 2020,
        "platform": {
            "credit_code": "91442000MA4W4K8L06",
            "name": "中山市某公共技术服务平台有限公司",
            "category": 16,
            "recognized_on": "2019-07-15"
        },
        "history": history,
        "items": [{ "clause": "6.2", "leases": leases }]
    })
}

#[test]
fn rent_above_50_per_m2_is_bound_by_the_rent_cap_not_an_item_cap() {
    // 1200 m² × min(60, 50) × 12 = 720,000 (the annual 1,500,000 is not reached).
    let result = compute(rent_case(
        json!([{ "area_m2": "1200", "rent_per_m2": "60", "from": "2020-01", "to": "2020-12" }]),
        json!([]),
    ));
    let line = only_line(&result);
    assert_eq!(format_amount(line.ceiling), "720000.00");
    assert_eq!(line.limited_by, LimitedBy::UnitCap);
    assert_eq!(line.unit_caps, vec![UnitCap::RentCap]);
    assert_eq!(line.limited_by_label(), "租金补助标准上限");
    let json = serde_json::to_value(&result).unwrap_or_default();
    assert_eq!(json["lines"][0]["limited_by"], "unit_cap");
    assert_eq!(json["lines"][0]["unit_caps"], json!(["rent_cap"]));
}

#[test]
fn rent_below_50_is_the_formula_itself() {
    let result = compute(rent_case(
        json!([{ "area_m2": "1200", "rent_per_m2": "45", "from": "2020-01", "to": "2020-12" }]),
        json!([]),
    ));
    let line = only_line(&result);
    assert_eq!(format_amount(line.ceiling), "648000.00");
    assert_eq!(line.limited_by, LimitedBy::Rate);
    assert!(line.unit_caps.is_empty());
    assert_eq!(line.limited_by_label(), "按标准计算");
    let json = serde_json::to_value(&result).unwrap_or_default();
    assert!(json["lines"][0].get("unit_caps").is_none(), "{json}");
}

#[test]
fn rent_cap_then_annual_cap_names_the_annual_cap() {
    // 1200 × 50 × 12 = 720,000, but only 1,500,000 − 1,000,000 = 500,000 is left this year.
    let result = compute(rent_case(
        json!([{ "area_m2": "1200", "rent_per_m2": "60", "from": "2020-01", "to": "2020-12" }]),
        json!([{ "clause": "6.2", "year": 2020, "approved": "1000000" }]),
    ));
    let line = only_line(&result);
    assert_eq!(format_amount(line.ceiling), "500000.00");
    assert_eq!(line.limited_by, LimitedBy::AnnualCap);
    assert!(line.unit_caps.is_empty());
    assert_eq!(line.limited_by_label(), "年度上限");
}

#[test]
fn an_item_maximum_is_the_item_cap() {
    // 6.4: 10% × 30,000,000 = 3,000,000 > 2,000,000.
    let result = compute(json!({
        "programme": "zs-ptsp-2018",
        "year": 2020,
        "platform": {
            "credit_code": "91442000MA4W4K8L06",
            "name": "中山市某公共技术服务平台有限公司",
            "category": 16,
            "recognized_on": "2019-07-15",
            "paid_in_capital": "30000000",
            "fiscal_paid_in_capital": "0"
        },
        "history": [],
        "items": [{ "clause": "6.4" }]
    }));
    let line = only_line(&result);
    assert_eq!(format_amount(line.ceiling), "2000000.00");
    assert_eq!(line.limited_by, LimitedBy::UnitCap);
    assert_eq!(line.unit_caps, vec![UnitCap::ItemCap]);
    assert_eq!(line.limited_by_label(), "单项上限");
}

#[test]
fn per_order_cap_and_rent_are_told_apart_in_one_case() {
    // 6.8 per order: 5% × 2,000,000 = 100,000 > 50,000; 6.2 rent 55 > 50 on one lease.
    let mut case = rent_case(
        json!([
            { "area_m2": "100", "rent_per_m2": "55", "from": "2020-01", "to": "2020-03" },
            { "area_m2": "100", "rent_per_m2": "20", "from": "2020-01", "to": "2020-03" }
        ]),
        json!([]),
    );
    case["platform"]["category"] = json!(2);
    case["items"]
        .as_array_mut()
        .map(|items| {
            items.push(json!({
                "clause": "6.8",
                "orders": [
                    { "amount": "2000000", "date": "2020-05-01" },
                    { "amount": "100000", "date": "2020-06-01" }
                ]
            }))
        })
        .unwrap_or_default();
    let result = compute(case);
    let labels: Vec<(&str, String)> = result
        .lines
        .iter()
        .map(|l| (l.clause.as_str(), l.limited_by_label()))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("6.2", "租金补助标准上限".to_string()),
            ("6.8", "单项上限".to_string())
        ]
    );
}

#[test]
fn reference_rent_interest_rate_and_net_investment_are_named() {
    let reference = compute(json!({
        "programme": "zs-iip-2021", "year": 2022,
        "platform": { "credit_code": "91442000MA4W4K8L06", "name": "中山市某工业互联网标杆平台有限公司",
                      "level": "benchmark", "recognized_on": "2021-05-10" },
        "history": [],
        "items": [{ "clause": "2.2a", "leases": [{ "area_m2": "800", "rent_per_m2": "80",
                     "reference_rent_per_m2": "60", "from": "2022-01", "to": "2022-12" }] }]
    }));
    assert_eq!(only_line(&reference).limited_by_label(), "市房屋租金参考价");

    let loan = compute(json!({
        "programme": "zs-ptsp-2018", "year": 2021,
        "platform": { "credit_code": "91442000MA4W4K8L06", "name": "中山市某公共技术服务平台有限公司",
                      "category": 16, "recognized_on": "2019-07-15" },
        "history": [],
        "items": [{ "clause": "6.5", "loans": [{ "principal": "5000000", "interest_paid": "210000",
                     "from": "2021-01-01", "to": "2021-12-31" }] }]
    }));
    assert_eq!(only_line(&loan).unit_caps, vec![UnitCap::InterestRate]);
    assert_eq!(only_line(&loan).limited_by_label(), "贴息年利率上限");

    // 4.1: the first project's 4,000,000 is held to 6,000,000 − 3,500,000 (十一(一)).
    let project = compute(json!({
        "programme": "zs-iip-2021", "year": 2023,
        "platform": { "credit_code": "91442000MA4W4K8L06", "name": "中山市某工业互联网标杆平台有限公司",
                      "level": "benchmark", "recognized_on": "2021-05-10" },
        "history": [],
        "items": [{ "clause": "4.1", "projects": [
            { "enterprise_credit_code": "91442000MA5001G82A", "contract_amount": "4000000",
              "accepted_on": "2023-03-01", "investment": "6000000", "other_funding": "3500000" }
        ] }]
    }));
    let line = only_line(&project);
    assert_eq!(format_amount(line.ceiling), "2500000.00");
    assert_eq!(line.limited_by_label(), "投资额扣除其他资金");
}

/// Every expert fixture: a `unit_cap` line names at least one cap, any other line none, and a 6.2
/// line capped inside its formula was capped by the rent per m².
#[test]
fn every_fixture_line_names_its_cap_exactly_when_unit_capped() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/policy-cases");
    let mut checked = 0;
    for programme in ["zs-ptsp-2018", "zs-iip-2021"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(programme))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(fixture) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if fixture.get("expected").is_none() {
                continue;
            }
            let result = compute(fixture["case"].clone());
            for line in &result.lines {
                let name = path.display();
                if line.limited_by == LimitedBy::UnitCap {
                    assert!(!line.unit_caps.is_empty(), "{name}: {}", line.clause);
                } else {
                    assert!(line.unit_caps.is_empty(), "{name}: {}", line.clause);
                    if line.limited_by == LimitedBy::Window {
                        // A window line says which dates: 超出政策有效期, 非申报年度, 超出补助期限…
                        let label = line.limited_by_label();
                        assert!(
                            label
                                .split('、')
                                .all(|r| r.starts_with("超出") || r == "非申报年度"),
                            "{name}: {label}"
                        );
                    } else {
                        assert_eq!(line.limited_by_label(), line.limited_by.label(), "{name}");
                    }
                }
                if line.clause == "6.2" && line.limited_by == LimitedBy::UnitCap {
                    assert_eq!(line.unit_caps, vec![UnitCap::RentCap], "{name}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} lines checked");
}
