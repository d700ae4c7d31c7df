//! Writes `fixtures/submissions/record-changes/` (#13): later workbooks of the applicant of
//! `ptsp-2020-good.xlsx` whose 基本信息 restates the record otherwise. Then
//! `fixtures/submissions/resave.sh record-changes` re-saves them through LibreOffice.
//! `cargo test -p desk-sheets --test generate_record_changes -- --ignored`.

mod common;

use std::fs;

use common::*;
use desk_policy::Catalog;
use desk_sheets::fill::filled_workbook;
use desk_sheets::{Applicant, SubmittedItem};
use serde_json::json;

fn save(name: &str, applicant: &Applicant, year: i32, items: &[SubmittedItem]) {
    let dir = fixtures().join("record-changes");
    fs::create_dir_all(&dir).expect("folder");
    let mut wb = filled_workbook(
        Catalog::embedded(),
        programme_of(applicant),
        applicant,
        year,
        items,
    )
    .expect("workbook");
    let path = dir.join(name);
    wb.save(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
#[ignore = "rewrites fixtures/submissions/record-changes"]
fn generate() {
    // A resubmission of the 2020 workbook whose only change is the paid-in capital: 800 万 → 1000 万
    // (6.4 注册资本: 10 % of it, so the ceiling is 800,000.00 on the record, 1,000,000.00 corrected).
    let mut corrected = ptsp_applicant();
    corrected.paid_in_capital = Some("10000000".parse().expect("money"));
    save(
        "ptsp-2020-capital-corrected.xlsx",
        &corrected,
        2020,
        &ptsp_items(),
    );

    // The same 2020 workbook with the names typed otherwise only in width and spacing: full-width
    // digits in the address, a space inside the platform's name. Not a difference.
    let mut typed = ptsp_applicant();
    typed.platform_name = "中山市智能制造 公共服务平台".into();
    typed.address = "火炬开发区祥兴路６号".into();
    let mut items = ptsp_items();
    items[0].requested = Some("750000".parse().expect("money"));
    save("ptsp-2020-names-as-typed.xlsx", &typed, 2020, &items);

    // The next year's workbook: the platform renamed and recognised again, with a new capital.
    let mut next = ptsp_applicant();
    next.platform_name = "中山市智能制造与工业设计公共服务平台".into();
    next.recognized_on = "2021-03-18".parse().expect("date");
    next.paid_in_capital = Some("12000000".parse().expect("money"));
    next.contact_phone = "0760-88880009".into();
    let items = vec![
        SubmittedItem {
            clause: "6.2".into(),
            units: json!({"leases": [
                {"area_m2": "1200", "rent_per_m2": "46", "from": "2021-04", "to": "2021-12"}
            ]}),
            requested: Some("500000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "6.12".into(),
            units: json!({"services": [
                {"enterprise_credit_code": "91442000MAAY4CL12L", "basis": "enterprise", "date": "2021-05-06"},
                {"enterprise_credit_code": "91442000MATH3BJ1XF", "basis": "enterprise", "date": "2021-08-20"}
            ]}),
            requested: Some("100000".parse().expect("money")),
        },
    ];
    save("ptsp-2021-next-year.xlsx", &next, 2021, &items);
}
