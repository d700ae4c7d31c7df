//! The ledger workbook read back: rows, paid amounts set against items, totals, and text that looks
//! like a formula written as text (spreadsheet injection).

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::{NaiveDate, NaiveDateTime};
use desk_policy::{ClauseId, CreditCode, PlatformCategory, Programme, Town};
use desk_store::{CaseStatus, Editor, Grade, NewCase, NewEnterprise, NewItem, NewPlatform, Store};
use serde_json::json;

fn editor() -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str("2021-05-01 09:00:00", "%Y-%m-%d %H:%M:%S").expect("time"),
    )
}

fn money(s: &str) -> desk_policy::Money {
    s.parse().expect("money")
}

/// An approved 2020 case of a platform whose enterprise has the given name: 6.11 (300,000) and 6.12
/// (3 × 50,000), paid `paid`.
fn approved_case(store: &mut Store, first17: &str, name: &str, town: &str, paid: &str) {
    let code = CreditCode::with_check_character(first17).expect("code");
    store
        .add_enterprise(
            &NewEnterprise {
                credit_code: code.clone(),
                name: name.into(),
                town: Town::parse(town).expect("town"),
                address: String::new(),
                contact_person: String::new(),
                contact_phone: String::new(),
            },
            &editor(),
        )
        .expect("enterprise");
    let platform = store
        .add_platform(
            &NewPlatform {
                enterprise: code,
                programme: Programme::ZsPtsp2018,
                name: "+检验检测平台".into(),
                grade: Grade::Category(PlatformCategory::new(7).expect("category")),
                recognized_on: NaiveDate::from_ymd_opt(2019, 7, 15).expect("date"),
                paid_in_capital: None,
                fiscal_paid_in_capital: None,
                relocated_hq: false,
                system_live_on: None,
            },
            &editor(),
        )
        .expect("platform");
    let purchases = NewItem {
        clause: ClauseId::parse(Programme::ZsPtsp2018, "6.11").expect("clause"),
        declared_units: json!({"purchases": [{"amount": "1000000", "date": "2020-06-15"}]})
            .to_string(),
        declared_amount: Some(money("300000")),
    };
    let services: Vec<_> = [
        "91442000MAAY4CL12L",
        "91442000MATH3BJ1XF",
        "91442000MAG612DD21",
    ]
    .iter()
    .map(|c| json!({"enterprise_credit_code": c, "basis": "enterprise", "date": "2020-08-01"}))
    .collect();
    let services = NewItem {
        clause: ClauseId::parse(Programme::ZsPtsp2018, "6.12").expect("clause"),
        declared_units: json!({"services": services}).to_string(),
        declared_amount: Some(money("150000")),
    };
    let case = store
        .new_case(
            &NewCase {
                platform_id: platform.id,
                year: 2020,
                batch: "2020年第1批".into(),
                officer: "陈晓敏".into(),
                received_on: NaiveDate::from_ymd_opt(2021, 4, 1).expect("date"),
                status: CaseStatus::Received,
            },
            &[purchases, services],
            &editor(),
        )
        .expect("case");
    store
        .set_case_status(case.id, CaseStatus::Verifying, &editor())
        .expect("verify");
    desk_api::compute_case(store, case.id, &editor()).expect("compute");
    for item in store.items(case.id).expect("items") {
        let ceiling = item.ceiling.expect("ceiling");
        desk_api::approve_item(store, case.id, item.id, ceiling, "", &editor()).expect("approve");
    }
    for next in [
        CaseStatus::Reviewing,
        CaseStatus::Approving,
        CaseStatus::Approved,
    ] {
        store
            .set_case_status(case.id, next, &editor())
            .expect("move");
    }
    store
        .record_payment(
            case.id,
            money(paid),
            NaiveDate::from_ymd_opt(2021, 9, 1).expect("date"),
            "V",
            &editor(),
        )
        .expect("pay");
}

#[test]
fn the_ledger_reads_back_with_totals_and_no_formulas() {
    let mut store = Store::open_in_memory().expect("store");
    approved_case(
        &mut store,
        "91442000MA4W4K8L0",
        "=HYPERLINK(\"http://example.invalid\",\"点我\")",
        "小榄",
        "400000",
    );
    approved_case(
        &mut store,
        "91442000MA51LQ8X2",
        "@SUM(1+1)*cmd",
        "古镇",
        "450000",
    );
    let (bytes, rows) = desk_api::ledger_workbook(&store, 2020, None, None).expect("ledger");
    assert_eq!(rows, 4);

    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("xlsx");
    let detail = wb.worksheet_range("台账明细").expect("detail");
    let cell = |r: u32, c: u32| detail.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 1), Data::String("案件编号".into()));
    // Each case: 6.11 300,000 and 6.12 150,000; the first case paid 400,000 of its 450,000.
    assert_eq!(cell(2, 13), Data::Float(300_000.0));
    assert_eq!(
        cell(2, 15),
        Data::Float(300_000.0),
        "the payment covers the first item in full"
    );
    assert_eq!(
        cell(3, 15),
        Data::Float(100_000.0),
        "and the rest of it goes to the second"
    );
    assert_eq!(cell(6, 11), Data::String("合计".into()));
    assert_eq!(cell(6, 14), Data::Float(900_000.0));
    assert_eq!(cell(6, 15), Data::Float(850_000.0));

    // Text that looks like a formula is text, and no cell of either sheet holds a formula.
    let names: Vec<Data> = (2..6).map(|r| cell(r, 6)).collect();
    assert!(
        names.contains(&Data::String(
            "=HYPERLINK(\"http://example.invalid\",\"点我\")".into()
        )),
        "{names:?}"
    );
    assert!(names.contains(&Data::String("@SUM(1+1)*cmd".into())));
    assert_eq!(cell(2, 9), Data::String("+检验检测平台".into()));
    for sheet in ["台账明细", "汇总"] {
        let formulas = wb.worksheet_formula(sheet).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
    let summary = wb.worksheet_range("汇总").expect("summary");
    let town_rows: Vec<String> = summary
        .rows()
        .filter_map(|r| r.first().map(|d| d.to_string()))
        .collect();
    assert!(
        town_rows.contains(&"小榄镇".to_string()) && town_rows.contains(&"古镇镇".to_string()),
        "{town_rows:?}"
    );
}

#[test]
fn the_ledger_of_one_town_or_programme() {
    let mut store = Store::open_in_memory().expect("store");
    approved_case(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲检测有限公司",
        "小榄",
        "0.01",
    );
    approved_case(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市乙检测有限公司",
        "古镇",
        "0.01",
    );
    let (_, rows) =
        desk_api::ledger_workbook(&store, 2020, None, Town::parse("古镇").ok()).expect("ledger");
    assert_eq!(rows, 2);
    let (_, rows) =
        desk_api::ledger_workbook(&store, 2020, Some(Programme::ZsIip2021), None).expect("ledger");
    assert_eq!(rows, 0);
}
