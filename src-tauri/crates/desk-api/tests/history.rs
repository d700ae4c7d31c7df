//! History that remembers (CLAUSES.md, revised): what an approval leaves for later cases is what was
//! actually supported: the accepted units' enterprises, 4.1's number of projects, and nothing for
//! an approval of 0.00.

use chrono::{NaiveDate, NaiveDateTime};
use desk_policy::{ClauseId, CreditCode, Money, PlatformLevel, Programme, Town};
use desk_store::{CaseStatus, Editor, Grade, NewCase, NewEnterprise, NewItem, NewPlatform, Store};
use proptest::prelude::*;
use serde_json::{Value, json};

fn editor() -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str("2024-03-01 09:00:00", "%Y-%m-%d %H:%M:%S").expect("time"),
    )
}

fn money(s: &str) -> Money {
    s.parse().expect("money")
}

/// A zs-iip-2021 platform (benchmark: every clause of 四 is open to it), recognised 2021-05-10.
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
                grade: Grade::Level(PlatformLevel::Benchmark),
                recognized_on: NaiveDate::from_ymd_opt(2021, 5, 10).expect("date"),
                paid_in_capital: Some(money("5000000")),
                fiscal_paid_in_capital: None,
                relocated_hq: false,
                system_live_on: None,
            },
            &editor(),
        )
        .expect("platform");
    (store, platform.id)
}

/// A case of `year` in 核查 with one item per (clause, units, request).
fn new_case(store: &mut Store, platform: i64, year: i32, items: &[(&str, Value, &str)]) -> i64 {
    let items: Vec<NewItem> = items
        .iter()
        .map(|(clause, units, requested)| NewItem {
            clause: ClauseId::parse(Programme::ZsIip2021, clause).expect("clause"),
            declared_units: units.to_string(),
            declared_amount: Some(money(requested)),
        })
        .collect();
    let id = store
        .new_case(
            &NewCase {
                platform_id: platform,
                year,
                batch: String::new(),
                officer: "陈晓敏".into(),
                received_on: NaiveDate::from_ymd_opt(year, 11, 1).expect("date"),
                status: CaseStatus::Received,
            },
            &items,
            &editor(),
        )
        .expect("case")
        .id;
    store
        .set_case_status(id, CaseStatus::Verifying, &editor())
        .expect("verify");
    id
}

/// Approves every item at `amounts` (None: its ceiling) and the case.
fn approve(store: &mut Store, case: i64, amounts: &[Option<&str>]) {
    for (item, amount) in store.items(case).expect("items").iter().zip(amounts) {
        let amount = amount.map(money).unwrap_or(item.ceiling.expect("ceiling"));
        let reason = if Some(amount) == item.ceiling {
            ""
        } else {
            "不予支持"
        };
        desk_api::approve_item(store, case, item.id, amount, reason, &editor()).expect("approve");
    }
    for next in [
        CaseStatus::Reviewing,
        CaseStatus::Approving,
        CaseStatus::Approved,
    ] {
        store.set_case_status(case, next, &editor()).expect("move");
    }
}

const A: &str = "91442000MAAY4CL12L";
const B: &str = "91442000MATH3BJ1XF";
const C: &str = "91442000MAG612DD21";

fn project(code: &str, date: &str) -> Value {
    json!({"enterprise_credit_code": code, "contract_amount": "1000000", "accepted_on": date})
}

#[test]
fn two_approved_projects_of_one_enterprise_leave_no_room_for_a_third() {
    let (mut store, platform) = setup();
    let first = new_case(
        &mut store,
        platform,
        2022,
        &[(
            "4.1",
            json!({"projects": [project(A, "2022-03-01"), project(A, "2022-06-01")]}),
            "2000000",
        )],
    );
    desk_api::compute_case(&mut store, first, &editor()).expect("compute");
    approve(&mut store, first, &[None]);
    let history = store.platform_history(platform, None).expect("history");
    assert_eq!(history[0].projects, Some(2), "{history:?}");

    // A third 2022 project is refused as input (at most 2 a year), not computed at 1,000,000.
    let second = new_case(
        &mut store,
        platform,
        2022,
        &[(
            "4.1",
            json!({"projects": [project(B, "2022-09-01")]}),
            "1000000",
        )],
    );
    let err = desk_api::compute_case(&mut store, second, &editor()).expect_err("third project");
    assert!(
        err.to_string().contains(
            "items[0].projects[0]: 每个平台每年最多 2 个标杆应用示范项目（本年已核定 2 个）"
        ),
        "{err}"
    );
}

#[test]
fn a_one_time_clause_approved_at_zero_is_not_used_up() {
    let (mut store, platform) = setup();
    let first = new_case(&mut store, platform, 2022, &[("2.1", json!({}), "1000000")]);
    desk_api::compute_case(&mut store, first, &editor()).expect("compute");
    approve(&mut store, first, &[Some("0")]);
    let second = new_case(&mut store, platform, 2023, &[("2.1", json!({}), "1000000")]);
    let result = desk_api::compute_case(&mut store, second, &editor()).expect("compute");
    assert_eq!(result.lines[0].ceiling, money("1000000"), "{result:?}");
}

#[test]
fn factories_and_workshops_count_once_per_enterprise_over_the_platforms_life() {
    let (mut store, platform) = setup();
    let factory =
        |code: &str, date: &str| json!({"enterprise_credit_code": code, "accepted_on": date});
    let first = new_case(
        &mut store,
        platform,
        2022,
        &[
            (
                "4.2a",
                json!({"factories": [factory(A, "2022-03-01")]}),
                "1000000",
            ),
            (
                "4.3",
                json!({"workshops": [factory(B, "2022-03-01"), factory(C, "2022-04-01")]}),
                "1000000",
            ),
        ],
    );
    desk_api::compute_case(&mut store, first, &editor()).expect("compute");
    // C's workshop is refused (不予认定): only B's is supported.
    let items = store.items(first).expect("items");
    desk_api::refuse_unit(
        &mut store,
        first,
        items[1].id,
        "workshops",
        1,
        Some("未认定为数字化车间"),
        &editor(),
    )
    .expect("refuse");
    approve(&mut store, first, &[None, None]);
    let second = new_case(
        &mut store,
        platform,
        2023,
        &[
            (
                "4.2a",
                json!({"factories": [factory(A, "2023-03-01"), factory(B, "2023-03-02")]}),
                "2000000",
            ),
            (
                "4.3",
                json!({"workshops": [factory(B, "2023-03-01"), factory(C, "2023-04-01")]}),
                "1000000",
            ),
        ],
    );
    let result = desk_api::compute_case(&mut store, second, &editor()).expect("compute");
    assert_eq!(
        result.lines[0].ceiling,
        money("1000000"),
        "A's factory is 已享受"
    );
    assert_eq!(
        result.lines[1].ceiling,
        money("500000"),
        "B's workshop is 已享受; C counts"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// After a partial approval (some contracts refused), history holds exactly the enterprises of
    /// the accepted contracts, and the next year exactly the refused enterprises count again.
    #[test]
    fn history_after_a_partial_approval_is_what_was_supported(refused in prop::collection::vec(any::<bool>(), 1..6)) {
        let codes: Vec<String> = (0..refused.len())
            .map(|i| CreditCode::with_check_character(&format!("91442000MA5AT0{i:02}1")).expect("code").into_string())
            .collect();
        let contracts = |year: i32| -> Value {
            json!({"contracts": codes.iter().map(|c| json!({
                "enterprise_credit_code": c, "contract_amount": "100000",
                "accepted_on": format!("{year}-06-01")})).collect::<Vec<_>>()})
        };
        let (mut store, platform) = setup();
        let request = (100000 * codes.len()).to_string();
        let first = new_case(&mut store, platform, 2022, &[("4.4", contracts(2022), &request)]);
        desk_api::compute_case(&mut store, first, &editor()).expect("compute");
        let item = store.items(first).expect("items")[0].id;
        for (i, refuse) in refused.iter().enumerate() {
            if *refuse {
                desk_api::refuse_unit(&mut store, first, item, "contracts", i, Some("缺少验收报告"), &editor())
                    .expect("refuse");
            }
        }
        approve(&mut store, first, &[None]);
        let mut accepted: Vec<&String> = codes.iter().zip(&refused).filter(|(_, r)| !**r).map(|(c, _)| c).collect();
        accepted.sort();
        let history = store.platform_history(platform, None).expect("history");
        let recorded: Vec<String> = history.iter().flat_map(|h| h.enterprises.iter().map(|c| c.as_str().to_string())).collect();
        prop_assert_eq!(recorded.iter().collect::<Vec<_>>(), accepted.clone());

        let second = new_case(&mut store, platform, 2023, &[("4.4", contracts(2023), &request)]);
        let result = desk_api::compute_case(&mut store, second, &editor()).expect("compute");
        let again = refused.iter().filter(|r| **r).count();
        prop_assert_eq!(result.total, Money::from(100000 * again as u64));
        prop_assert_eq!(result.lines[0].excluded.len(), codes.len() - again);
    }
}
