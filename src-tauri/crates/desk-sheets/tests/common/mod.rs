//! Shared by the submission tests and the fixture generator: a realistic applicant of each programme.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use desk_policy::{CreditCode, PlatformCategory, PlatformLevel, Programme, Town};
use desk_sheets::{Applicant, SubmittedItem};
use serde_json::json;

mod locate;
#[allow(unused_imports)]
pub use locate::*;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/submissions")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub fn ptsp_applicant() -> Applicant {
    Applicant {
        credit_code: CreditCode::parse("91442000MA4W4K8L06").expect("code"),
        name: "中山市某智能制造公共服务平台有限公司".into(),
        town: Town::parse("火炬开发区").expect("town"),
        address: "火炬开发区祥兴路6号".into(),
        contact_person: "陈秀英".into(),
        contact_phone: "0760-88880001".into(),
        platform_name: "中山市智能制造公共服务平台".into(),
        category: Some(PlatformCategory::new(5).expect("category")),
        level: None,
        recognized_on: date("2019-07-15"),
        paid_in_capital: Some("8000000".parse().expect("money")),
        fiscal_paid_in_capital: Some("0".parse().expect("money")),
        relocated_hq: false,
        // None of its clauses reads 信息系统上线日期 (6.16's cloud fees do), so the template does
        // not ask it; template-2026.1/ptsp-2020-good.xlsx, of a template that did, has 2019-09-01.
        system_live_on: None,
    }
}

pub fn ptsp_items() -> Vec<SubmittedItem> {
    vec![
        SubmittedItem {
            clause: "6.2".into(),
            units: json!({"leases": [
                {"area_m2": "1200", "rent_per_m2": "45", "from": "2020-01", "to": "2020-12"},
                {"area_m2": "300.5", "rent_per_m2": "62", "from": "2020-07", "to": "2020-12"}
            ]}),
            requested: Some("760000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "6.4".into(),
            units: json!({}),
            requested: Some("800000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "6.5".into(),
            units: json!({"loans": [{"principal": "5000000", "interest_paid": "210000", "from": "2020-01-01", "to": "2020-12-31"}]}),
            requested: Some("100000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "6.6".into(),
            units: json!({"solutions": [
                {"enterprise_credit_code": "91442000MAAY4CL12L", "adopted_on": "2020-03-02"},
                {"enterprise_credit_code": "91442000MATH3BJ1XF", "adopted_on": "2020-05-11"},
                {"enterprise_credit_code": "914403001922038216", "adopted_on": "2020-06-20"}
            ]}),
            requested: Some("150000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "6.12".into(),
            units: json!({"services": [
                {"enterprise_credit_code": "91442000MAAY4CL12L", "basis": "enterprise", "date": "2020-04-01"},
                {"enterprise_credit_code": "91442000MAG612DD21", "basis": "time", "times": 12, "date": "2020-09-15"}
            ]}),
            requested: Some("56000".parse().expect("money")),
        },
    ]
}

pub fn iip_applicant() -> Applicant {
    Applicant {
        credit_code: CreditCode::parse("91442000MAAY4CL12L").expect("code"),
        name: "中山市云联工业互联网科技有限公司".into(),
        town: Town::parse("小榄镇").expect("town"),
        address: "小榄镇升平中路117号".into(),
        contact_person: "罗俊杰".into(),
        contact_phone: "0760-88880002".into(),
        platform_name: "云联工业互联网标杆平台".into(),
        category: None,
        level: Some(PlatformLevel::Benchmark),
        recognized_on: date("2021-05-10"),
        paid_in_capital: Some("20000000".parse().expect("money")),
        fiscal_paid_in_capital: None,
        relocated_hq: false,
        system_live_on: None,
    }
}

pub fn iip_items() -> Vec<SubmittedItem> {
    vec![
        SubmittedItem {
            clause: "2.2a".into(),
            units: json!({"leases": [{"area_m2": "1500", "rent_per_m2": "55", "reference_rent_per_m2": "48", "from": "2023-01", "to": "2023-12", "ecosystem": false}]}),
            requested: Some("990000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "4.1".into(),
            units: json!({"projects": [{"enterprise_credit_code": "91442000MATH3BJ1XF", "contract_amount": "3800000", "accepted_on": "2023-06-30", "investment": "5000000", "other_funding": "1500000"}]}),
            requested: Some("3500000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "4.4".into(),
            units: json!({"contracts": [
                {"enterprise_credit_code": "91442000MAG612DD21", "contract_amount": "180000", "accepted_on": "2023-03-01"},
                {"enterprise_credit_code": "91442000MAG612DD21", "contract_amount": "200000", "accepted_on": "2023-08-01"},
                {"enterprise_credit_code": "91442000MA4W4K8L06", "contract_amount": "120000", "accepted_on": "2023-05-20"}
            ]}),
            requested: Some("420000".parse().expect("money")),
        },
        SubmittedItem {
            clause: "7".into(),
            units: json!({}),
            requested: Some("500000".parse().expect("money")),
        },
    ]
}

pub fn programme_of(applicant: &Applicant) -> Programme {
    if applicant.category.is_some() {
        Programme::ZsPtsp2018
    } else {
        Programme::ZsIip2021
    }
}

/// A filled template of `applicant`'s programme.
pub fn filled(
    applicant: &Applicant,
    year: i32,
    items: &[SubmittedItem],
) -> rust_xlsxwriter::Workbook {
    desk_sheets::fill::filled_workbook(
        desk_policy::Catalog::embedded(),
        programme_of(applicant),
        applicant,
        year,
        items,
    )
    .expect("workbook")
}

/// A fixture of `folder` as typed, and its LibreOffice re-saves (.xlsx and .xls).
pub fn variants(folder: &str, name: &str) -> Vec<String> {
    let stem = name.trim_end_matches(".xlsx");
    vec![
        format!("{folder}/{name}"),
        format!("{folder}/libreoffice/{stem}.xlsx"),
        format!("{folder}/libreoffice/{stem}.xls"),
    ]
}

/// A fixture read as an import reads it.
pub fn read_fixture(file: &str) -> Result<desk_sheets::Submission, desk_sheets::ReadError> {
    let bytes = std::fs::read(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    desk_sheets::read_submission(&bytes, desk_policy::Catalog::embedded())
}

/// Every variant of a fixture, read without problems.
pub fn each_read(folder: &str, name: &str) -> Vec<(String, desk_sheets::Submission)> {
    variants(folder, name)
        .into_iter()
        .map(|f| {
            let s = read_fixture(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
            (f, s)
        })
        .collect()
}
