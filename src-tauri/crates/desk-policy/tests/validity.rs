//! zs-iip-2021's in-force dates are the bureau's parameters (issue #14): the catalog's
//! 2021-01-01 至 2025-12-31 by default, the case's `validity` when the bureau set its own.

use desk_policy::money::format_amount;
use desk_policy::result::Reason;
use desk_policy::{Case, CaseResult, Catalog, calculate};
use serde_json::{Value, json};

/// A zs-iip-2021 2.2a case of `year` (recognised 2024-01-15, so the 36-month window covers
/// 2024-01..2026-12): 800 m² at the reference rent 60 for the whole year.
fn rent_case(year: i32, validity: Option<Value>) -> Value {
    let mut case = json!({
        "programme": "zs-iip-2021",
        "year": year,
        "platform": {
            "credit_code": "91442000MA4W4K8L06",
            "name": "中山市某工业互联网标杆平台有限公司",
            "level": "benchmark",
            "recognized_on": "2024-01-15"
        },
        "items": [{ "clause": "2.2a", "leases": [{
            "area_m2": "800", "rent_per_m2": "60", "reference_rent_per_m2": "60",
            "from": format!("{year}-01"), "to": format!("{year}-12")
        }]}]
    });
    if let Some(v) = validity {
        case["validity"] = v;
    }
    case
}

fn compute(case: Value) -> CaseResult {
    let catalog = Catalog::embedded();
    let case = Case::from_json(&case, catalog).unwrap_or_else(|e| panic!("case: {e}"));
    calculate(&case, catalog).unwrap_or_else(|e| panic!("calculate: {e}"))
}

fn ceiling_and_outside(result: &CaseResult) -> (String, usize) {
    let line = &result.lines[0];
    let outside = line
        .excluded
        .iter()
        .filter(|e| e.reason == Reason::OutsideValidity)
        .count();
    (format_amount(line.ceiling), outside)
}

#[test]
fn by_default_2025_counts_and_2026_is_outside_the_programme() {
    // 800 × 60 × 12 = 576000.00 in 2025; in 2026 all twelve months are after 2025-12-31.
    assert_eq!(
        ceiling_and_outside(&compute(rent_case(2025, None))),
        ("576000.00".into(), 0)
    );
    assert_eq!(
        ceiling_and_outside(&compute(rent_case(2026, None))),
        ("0.00".into(), 12)
    );
}

#[test]
fn the_bureaus_end_date_2026_12_31_makes_the_2026_case_count() {
    let until_2026 = json!({ "from": "2021-01-01", "to": "2026-12-31" });
    assert_eq!(
        ceiling_and_outside(&compute(rent_case(2026, Some(until_2026)))),
        ("576000.00".into(), 0)
    );
    // An earlier end cuts 2025 too: months after 2025-06-30 are outside.
    let until_june = json!({ "from": "2021-01-01", "to": "2025-06-30" });
    assert_eq!(
        ceiling_and_outside(&compute(rent_case(2025, Some(until_june)))),
        ("288000.00".into(), 6)
    );
}

#[test]
fn a_case_files_validity_must_be_two_real_dates_in_order() {
    let catalog = Catalog::embedded();
    let refused = |validity: Value| {
        Case::from_json(&rent_case(2025, Some(validity)), catalog)
            .expect_err("refused")
            .to_string()
    };
    let backwards = refused(json!({ "from": "2026-01-01", "to": "2025-12-31" }));
    assert!(backwards.contains("validity.from"), "{backwards}");
    assert!(backwards.contains("晚于有效期截止日"), "{backwards}");
    let impossible = refused(json!({ "from": "2021-01-01", "to": "2025-02-30" }));
    assert!(impossible.contains("validity.to"), "{impossible}");
    let missing = refused(json!({ "from": "2021-01-01" }));
    assert!(missing.contains("validity.to: 缺少必填字段"), "{missing}");
    let unknown = refused(json!({ "from": "2021-01-01", "to": "2025-12-31", "reference": "x" }));
    assert!(unknown.contains("validity.reference"), "{unknown}");
}
