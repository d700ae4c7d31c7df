//! The cross-crate workflow: a stored case becomes a case file, is computed with its platform's
//! history, and its approvals feed the next case's history.

use chrono::{NaiveDate, NaiveDateTime};
use desk_policy::{ClauseId, CreditCode, PlatformLevel, Programme, Town};
use desk_store::{CaseStatus, Editor, Grade, NewCase, NewEnterprise, NewItem, NewPlatform, Store};
use serde_json::json;

fn editor() -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str("2023-03-01 09:00:00", "%Y-%m-%d %H:%M:%S").expect("time"),
    )
}

fn money(s: &str) -> desk_policy::Money {
    s.parse().expect("money")
}

fn setup() -> (Store, i64) {
    let mut store = Store::open_in_memory().expect("store");
    let code = CreditCode::parse("91442000MA4W4K8L06").expect("code");
    store
        .add_enterprise(
            &NewEnterprise {
                credit_code: code.clone(),
                name: "中山市云联工业互联网科技有限公司".into(),
                town: Town::parse("小榄").expect("town"),
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
                programme: Programme::ZsIip2021,
                name: "云联平台".into(),
                grade: Grade::Level(PlatformLevel::Municipal),
                recognized_on: NaiveDate::from_ymd_opt(2021, 5, 10).expect("date"),
                paid_in_capital: None,
                fiscal_paid_in_capital: None,
                relocated_hq: false,
                system_live_on: None,
            },
            &editor(),
        )
        .expect("platform");
    (store, platform.id)
}

fn contracts_case(store: &mut Store, platform: i64, year: i32, codes: &[&str]) -> i64 {
    let contracts: Vec<_> = codes
        .iter()
        .map(|c| json!({"enterprise_credit_code": c, "contract_amount": "200000", "accepted_on": format!("{year}-06-01")}))
        .collect();
    let item = NewItem {
        clause: ClauseId::parse(Programme::ZsIip2021, "4.4").expect("clause"),
        declared_units: json!({"contracts": contracts}).to_string(),
        declared_amount: Some(money("200000") * desk_policy::Money::from(codes.len() as u64)),
    };
    store
        .new_case(
            &NewCase {
                platform_id: platform,
                year,
                batch: String::new(),
                officer: "陈晓敏".into(),
                received_on: NaiveDate::from_ymd_opt(year, 9, 1).expect("date"),
                status: CaseStatus::Received,
            },
            &[item],
            &editor(),
        )
        .expect("case")
        .id
}

const A: &str = "91442000MAAY4CL12L";
const B: &str = "91442000MATH3BJ1XF";

#[test]
fn approvals_feed_the_next_cases_history() {
    let (mut store, platform) = setup();
    let first = contracts_case(&mut store, platform, 2022, &[A, B]);
    store
        .set_case_status(first, CaseStatus::Verifying, &editor())
        .expect("verify");
    let result = desk_api::compute_case(&mut store, first, &editor()).expect("compute");
    assert_eq!(result.total, money("400000"));
    let item = store.items(first).expect("items").remove(0);
    assert_eq!(item.ceiling, Some(money("400000")));
    assert_eq!(
        item.explanation.as_ref().expect("explanation")["covered_enterprises"],
        json!([A, B])
    );

    // B's contract lacks its acceptance report: the officer refuses that unit (不予认定), the line
    // is computed again on A's contract alone, and A's 200,000 is approved as computed.
    let result = desk_api::refuse_unit(
        &mut store,
        first,
        item.id,
        "contracts",
        1,
        Some("缺少验收报告"),
        &editor(),
    )
    .expect("refuse");
    assert_eq!(result.total, money("200000"));
    assert_eq!(
        result.lines[0].excluded_text(),
        [(
            "contracts[1]".to_string(),
            "不予认定：缺少验收报告".to_string()
        )]
    );
    let item = store.items(first).expect("items").remove(0);
    assert_eq!(
        item.declared_units["contracts"][1]["refused"],
        "缺少验收报告"
    );
    desk_api::approve_item(&mut store, first, item.id, money("200000"), "", &editor())
        .expect("approve");
    for next in [
        CaseStatus::Reviewing,
        CaseStatus::Approving,
        CaseStatus::Approved,
    ] {
        store.set_case_status(first, next, &editor()).expect("move");
    }
    // History records what was supported: A only (until 2026-12 both A and B were recorded, so B,
    // refused for missing papers, could never be supported again).
    let history = store.platform_history(platform, None).expect("history");
    assert_eq!(
        history[0].enterprises,
        [CreditCode::parse(A).expect("code")],
        "only the accepted contract's enterprise: {history:?}"
    );

    // The next year A counts nothing (each enterprise is supported once, 四（四）); B, now with
    // its papers, and a new enterprise count.
    let second = contracts_case(&mut store, platform, 2023, &[A, B, "91442000MAG612DD21"]);
    let file = desk_api::case_file(&store, second).expect("file");
    assert_eq!(file["history"][0]["clause"], "4.4");
    store
        .set_case_status(second, CaseStatus::Verifying, &editor())
        .expect("verify");
    let result = desk_api::compute_case(&mut store, second, &editor()).expect("compute");
    assert_eq!(result.total, money("400000"));
    assert_eq!(result.lines[0].excluded.len(), 1);
}

#[test]
fn an_invalid_stored_case_names_its_problems() {
    let (mut store, platform) = setup();
    let case = contracts_case(&mut store, platform, 2022, &[A, A, A]);
    // 4.4 sums per enterprise, so repeated codes are fine; break a date instead.
    let item = NewItem {
        clause: ClauseId::parse(Programme::ZsIip2021, "4.4").expect("clause"),
        declared_units: json!({"contracts": [{"enterprise_credit_code": A, "contract_amount": "-1", "accepted_on": "2022-02-30"}]}).to_string(),
        declared_amount: None,
    };
    store.add_item(case, &item, &editor()).expect("add");
    let err = desk_api::compute_case(&mut store, case, &editor()).expect_err("invalid");
    let message = err.to_string();
    assert!(
        message.starts_with("案件数据不完整或有误，无法计算"),
        "{message}"
    );
    assert!(
        message.contains("items[1].contracts[0].contract_amount: 必须为非负数"),
        "{message}"
    );
    assert!(
        message.contains("items[1].contracts[0].accepted_on: 不存在的日期"),
        "{message}"
    );
    assert!(
        store
            .items(case)
            .expect("items")
            .iter()
            .all(|i| i.ceiling.is_none()),
        "nothing written"
    );
}

/// A batch is named by whoever opens the case; its name becomes the batch PDF's file name (the
/// app's 打印 → 批次, written into 打印输出 by `print_batch`). It names a file in that folder,
/// whatever it holds.
#[test]
fn a_batch_named_like_a_path_prints_into_the_output_folder() {
    let (mut store, platform) = setup();
    let hostile = "../../../../tmp/x";
    let created = store
        .new_case(
            &NewCase {
                platform_id: platform,
                year: 2022,
                batch: hostile.into(),
                officer: "陈晓敏".into(),
                received_on: NaiveDate::from_ymd_opt(2022, 9, 1).expect("date"),
                status: CaseStatus::Received,
            },
            &[],
            &editor(),
        )
        .expect("case");
    let (pdf, cases) = desk_api::print::batch_pdf(&store, hostile, NaiveDate::MIN).expect("batch");
    assert_eq!(cases, 1);
    let dir = tempfile::tempdir().expect("dir");
    let output = dir.path().join("打印输出");
    std::fs::create_dir_all(&output).expect("output");
    let name = desk_api::files::batch_forms(hostile);
    assert_eq!(name, "批次审批表-._._._._tmp_x.pdf");
    let path = desk_api::files::in_folder(&output, &name);
    std::fs::write(&path, &pdf).expect("write");
    let inside: Vec<_> = std::fs::read_dir(&output)
        .expect("read")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(inside, [path]);
    let notice = desk_api::files::case_notice("受理通知书", &created.case_no);
    assert_eq!(notice, format!("受理通知书-{}.pdf", created.case_no));
}
