//! Explanations that add up and say why (#14): units shown exactly where rounding would hide the
//! sum, the line rounded once and saying so; a loan's days counted with the dates and the reason of
//! the days left out; W's dates on every line that has a window; 4.4 by enterprise, with each
//! contract; 6.4 with fiscal capital above paid-in; a year outside V named as such.

use desk_policy::{Case, CaseResult, Catalog, Line, calculate};
use serde_json::{Value, json};

fn compute(case: Value) -> CaseResult {
    let catalog = Catalog::embedded();
    let case = Case::from_json(&case, catalog).unwrap_or_else(|e| panic!("case: {e}"));
    calculate(&case, catalog).unwrap_or_else(|e| panic!("calculate: {e}"))
}

fn line<'a>(result: &'a CaseResult, clause: &str) -> &'a Line {
    result
        .lines
        .iter()
        .find(|l| l.clause == clause)
        .unwrap_or_else(|| panic!("no line {clause}: {:?}", result.lines))
}

fn ptsp(items: Value) -> Value {
    json!({
        "programme": "zs-ptsp-2018",
        "year": 2022,
        "platform": {
            "category": 2,
            "recognized_on": "2019-07-15",
            "paid_in_capital": "1000000",
            "fiscal_paid_in_capital": "1200000"
        },
        "history": [],
        "items": items
    })
}

fn contracts_case(year: i32, date: &str) -> Value {
    json!({
        "programme": "zs-iip-2021",
        "year": year,
        "platform": { "level": "benchmark", "recognized_on": "2021-07-15" },
        "history": [],
        "items": [{ "clause": "4.4", "contracts": [
            { "enterprise_credit_code": "91442000MA4W4K8L06", "contract_amount": "200000", "accepted_on": date },
            { "enterprise_credit_code": "91442000MA4W4K8L06", "contract_amount": "150000", "accepted_on": date },
            { "enterprise_credit_code": "91442000MA4W4K8L06", "contract_amount": "100000", "accepted_on": date,
              "investment": "100000", "other_funding": "100000" }
        ]}]
    })
}

#[test]
fn three_small_orders_show_what_adds_up_and_the_one_rounding() {
    // 0.136 × 5% = 0.0068 each; 3 × 0.0068 = 0.0204 → 0.02. Each shown as 0.01 would sum to 0.03.
    let result = compute(ptsp(json!([{ "clause": "6.8", "orders": [
        { "amount": "0.136", "date": "2022-03-01" },
        { "amount": "0.136", "date": "2022-03-02" },
        { "amount": "0.136", "date": "2022-03-03" }
    ]}])));
    let l = line(&result, "6.8");
    assert_eq!(l.ceiling.to_string(), "0.02");
    let text = l.explanation();
    let orders: Vec<_> = text.iter().filter(|t| t.starts_with("orders[")).collect();
    assert_eq!(orders.len(), 3, "{text:?}");
    assert!(orders.iter().all(|t| t.ends_with("= 0.0068")), "{text:?}");
    assert!(
        text.iter().any(|t| t == "以上 3 项合计（未舍入）= 0.0204"),
        "{text:?}"
    );
    let last = text.last().expect("steps");
    assert!(
        last.contains("只舍入这一次") && last.ends_with("→ 0.02"),
        "{last}"
    );
}

#[test]
fn a_partly_counted_loan_shows_its_days_and_why_the_rest_do_not_count() {
    // W = 2019-07-15..2022-07-14: 2022-01-01..2022-07-14 is 195 days of the year's 365.
    let result = compute(ptsp(json!([{ "clause": "6.5", "loans": [
        { "principal": "200000", "interest_paid": "9000", "from": "2022-01-01", "to": "2022-12-31" }
    ]}])));
    let l = line(&result, "6.5");
    let text = l.explanation();
    assert!(
        text[0].contains("2019-07-15") && text[0].contains("至 2022-07-14"),
        "W first: {text:?}"
    );
    let loan = text
        .iter()
        .find(|t| t.starts_with("loans[0]"))
        .expect("loan");
    assert!(
        loan.contains("贴息期 2022-01-01 至 2022-12-31（365 天）"),
        "{loan}"
    );
    assert!(
        loan.contains("计入 2022-01-01 至 2022-07-14（195 天）"),
        "{loan}"
    );
    assert!(
        loan.contains("2022-07-15 至 2022-12-31 超出补助期限"),
        "{loan}"
    );
    // 200000 × 2% × 195/365 = 2136.9863… → 2136.99, shown as the exact value that is rounded.
    assert!(loan.ends_with("= 约 2136.986301"), "{loan}");
    assert_eq!(l.ceiling.to_string(), "2136.99");
}

#[test]
fn a_loan_with_no_day_counted_says_which_dates() {
    let result = compute(ptsp(json!([{ "clause": "6.5", "loans": [
        { "principal": "200000", "interest_paid": "9000", "from": "2022-08-01", "to": "2022-12-31" },
        { "principal": "200000", "interest_paid": "9000", "from": "2021-01-01", "to": "2021-12-31" }
    ]}])));
    let l = line(&result, "6.5");
    let reasons: Vec<_> = l.excluded_text().into_iter().map(|(_, r)| r).collect();
    assert_eq!(reasons, ["超出补助期限", "非申报年度"]);
    assert_eq!(l.limited_by_label(), "超出补助期限、非申报年度");
}

#[test]
fn capital_grant_with_fiscal_capital_above_paid_in_says_why_it_is_zero() {
    let result = compute(ptsp(json!([{ "clause": "6.4" }])));
    let text = line(&result, "6.4").explanation();
    assert_eq!(
        text,
        ["财政资金实缴出资 1200000 不低于实缴注册资本 1000000，扣除后可计补助的资本为 0 → 0.00"]
    );
}

#[test]
fn transformation_shows_each_contract_and_the_enterprise_by_its_credit_code() {
    let result = compute(contracts_case(2022, "2022-03-01"));
    let l = line(&result, "4.4");
    let text = l.explanation();
    assert!(text[0].starts_with("补助期限："), "{text:?}");
    assert!(
        text.iter().any(|t| t.starts_with("contracts[2]：")
            && t.contains("投资额 − 其他财政资助 0")
            && t.ends_with("= 0.00")),
        "the contract cut to 0 is shown: {text:?}"
    );
    assert!(
        text.iter().any(|t| t
            == "企业 91442000MA4W4K8L06：验收合同合计 350000.00，每家企业最高 300000.00 → 300000.00"),
        "{text:?}"
    );
    assert_eq!(l.limited_by_label(), "每家企业上限");
}

#[test]
fn a_year_outside_the_programme_is_named_as_such_not_as_the_window() {
    let result = compute(contracts_case(2026, "2026-03-01"));
    let l = line(&result, "4.4");
    assert_eq!(l.limited_by_label(), "超出政策有效期");
    let json = serde_json::to_value(&result).expect("json");
    assert_eq!(json["lines"][0]["limited_by"], "window");
    assert_eq!(json["lines"][0]["limited_by_label"], "超出政策有效期");
    // A clause without dated units in 2026.
    let mut case = contracts_case(2026, "2026-03-01");
    case["items"] = json!([{ "clause": "7" }]);
    let result = compute(case);
    assert_eq!(line(&result, "7").limited_by_label(), "超出政策有效期");
}
