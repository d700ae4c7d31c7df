//! The repositories: what they accept, what they refuse (writing nothing), and what they record.

use desk_policy::Programme;
use desk_store::{Approval, CaseQuery, CaseStatus, Grade, NewPlatform, Store, StoreError};

use crate::common::*;

fn memory() -> Store {
    Store::open_in_memory().expect("memory store")
}

fn money(text: &str) -> desk_policy::Money {
    text.parse().expect("money")
}

#[test]
fn a_duplicate_credit_code_is_refused_with_the_registered_name() {
    let mut store = memory();
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let again = desk_store::NewEnterprise {
        credit_code: code("91442000MA4W4K8L0"),
        name: "另一个名字".into(),
        town: desk_policy::Town::parse("古镇").expect("town"),
        address: String::new(),
        contact_person: String::new(),
        contact_phone: String::new(),
    };
    let err = store
        .add_enterprise(&again, &editor())
        .expect_err("duplicate");
    assert!(matches!(err, StoreError::Conflict(_)));
    assert!(
        err.to_string().contains("已登记为“中山市甲科技有限公司”"),
        "{err}"
    );
    assert_eq!(store.enterprise_count().expect("count"), 1);
}

#[test]
fn every_change_is_audited_with_who_and_when() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let e = store
        .enterprise_by_code(&owner)
        .expect("query")
        .expect("exists");
    let entries = store.audit_of("enterprise", e.id).expect("audit");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "陈晓敏");
    assert_eq!(entries[0].at, "2026-03-02 09:00:00");
    assert_eq!(
        entries[0].after.as_ref().expect("after")["name"],
        "中山市甲科技有限公司"
    );
    assert!(entries[0].before.is_none());
}

#[test]
fn the_audit_log_cannot_be_rewritten() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let conn = raw(&path);
    let update = conn.execute("UPDATE audit_log SET actor = '某人'", []);
    assert!(
        update
            .expect_err("no update")
            .to_string()
            .contains("只能追加")
    );
    let delete = conn.execute("DELETE FROM audit_log", []);
    assert!(
        delete
            .expect_err("no delete")
            .to_string()
            .contains("只能追加")
    );
}

#[test]
fn a_platform_must_be_graded_the_way_its_programme_grades() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let wrong = NewPlatform {
        enterprise: owner.clone(),
        programme: Programme::ZsIip2021,
        name: "平台".into(),
        grade: Grade::Category(desk_policy::PlatformCategory::new(5).expect("cat")),
        recognized_on: date("2021-05-10"),
        paid_in_capital: None,
        fiscal_paid_in_capital: None,
        relocated_hq: false,
        system_live_on: None,
    };
    let err = store.add_platform(&wrong, &editor()).expect_err("grade");
    assert!(err.to_string().starts_with("平台级别："), "{err}");

    let unknown = NewPlatform {
        enterprise: code("91442000MA51LQ8X2"),
        grade: Grade::Level(desk_policy::PlatformLevel::Municipal),
        ..wrong.clone()
    };
    let err = store
        .add_platform(&unknown, &editor())
        .expect_err("unknown enterprise");
    assert!(err.to_string().contains("尚未登记"), "{err}");

    let fiscal_over = NewPlatform {
        programme: Programme::ZsPtsp2018,
        grade: Grade::Category(desk_policy::PlatformCategory::new(5).expect("cat")),
        paid_in_capital: Some(money("100")),
        fiscal_paid_in_capital: Some(money("101")),
        ..wrong
    };
    let err = store
        .add_platform(&fiscal_over, &editor())
        .expect_err("fiscal");
    assert!(err.to_string().starts_with("财政资金实缴出资"), "{err}");
    assert!(store.platforms(None, None).expect("list").is_empty());
}

#[test]
fn case_numbers_count_per_programme_and_year() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let ptsp = ptsp_platform(&mut store, &owner, 5);
    let iip = iip_platform(&mut store, &owner);
    let numbers: Vec<String> = [
        (&ptsp, 2020),
        (&ptsp, 2020),
        (&ptsp, 2021),
        (&iip, 2022),
        (&ptsp, 2020),
    ]
    .into_iter()
    .map(|(p, y)| case(&mut store, p, y, &[]).case_no)
    .collect();
    assert_eq!(
        numbers,
        [
            "PTSP-2020-0001",
            "PTSP-2020-0002",
            "PTSP-2021-0001",
            "IIP-2022-0001",
            "PTSP-2020-0003"
        ]
    );
}

#[test]
fn a_case_outside_the_programme_years_or_with_a_foreign_clause_writes_nothing() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let ptsp = ptsp_platform(&mut store, &owner, 5);
    let new = desk_store::NewCase {
        platform_id: ptsp.id,
        year: 2023,
        batch: String::new(),
        officer: "陈晓敏".into(),
        received_on: date("2023-04-01"),
        status: CaseStatus::Received,
    };
    let err = store.new_case(&new, &[], &editor()).expect_err("2023");
    assert!(err.to_string().starts_with("申报年度：2023 不在"), "{err}");

    let iip_item = item(Programme::ZsIip2021, "4.4", "100");
    let err = store
        .new_case(
            &desk_store::NewCase { year: 2020, ..new },
            &[iip_item],
            &editor(),
        )
        .expect_err("foreign clause");
    assert!(
        err.to_string().contains("不属于案件所在政策 zs-ptsp-2018"),
        "{err}"
    );
    assert_eq!(store.case_count().expect("count"), 0);
}

#[test]
fn the_workflow_allows_only_its_own_moves() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let p = ptsp_platform(&mut store, &owner, 5);
    let c = case(
        &mut store,
        &p,
        2020,
        &[item(Programme::ZsPtsp2018, "6.6", "150000")],
    );
    let err = store
        .set_case_status(c.id, CaseStatus::Approved, &editor())
        .expect_err("skip");
    assert!(err.to_string().contains("不能改为“已批准”"), "{err}");

    store
        .set_case_status(c.id, CaseStatus::Verifying, &editor())
        .expect("verify");
    let item_id = store.items(c.id).expect("items")[0].id;
    let err = store
        .approve_item(item_id, &approval("100000", ""), &editor())
        .expect_err("no ceiling yet");
    assert!(err.to_string().contains("尚未计算"), "{err}");

    store
        .set_item_ceiling(
            item_id,
            money("150000"),
            &serde_json::json!(["3 × 50000"]),
            &editor(),
        )
        .expect("ceiling");
    let err = store
        .approve_item(item_id, &approval("150000.01", ""), &editor())
        .expect_err("above ceiling");
    assert!(
        err.to_string().contains("超过最高可补助额 150,000.00 元"),
        "{err}"
    );
    let err = store
        .approve_item(item_id, &approval("100000", "  "), &editor())
        .expect_err("no reason");
    assert!(err.to_string().starts_with("核减理由"), "{err}");

    store
        .set_case_status(c.id, CaseStatus::Reviewing, &editor())
        .expect("review");
    store
        .set_case_status(c.id, CaseStatus::Approving, &editor())
        .expect("to approver");
    let err = store
        .set_case_status(c.id, CaseStatus::Approved, &editor())
        .expect_err("undecided item");
    assert!(err.to_string().contains("1 个项目未核定金额"), "{err}");

    store
        .approve_item(item_id, &approval("100000", "一个方案未被采纳"), &editor())
        .expect("approve");
    let approved = store
        .set_case_status(c.id, CaseStatus::Approved, &editor())
        .expect("approved");
    assert_eq!(approved.approved_total, money("100000"));
    let err = store
        .set_case_status(c.id, CaseStatus::Verifying, &editor())
        .expect_err("final");
    assert!(err.to_string().contains("已批准"), "{err}");
    let trail: Vec<String> = store
        .audit_of_case(c.id)
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        trail,
        [
            "增加申报项目",
            "新建案件",
            "状态：已受理 → 核查中",
            "计算最高可补助额",
            "状态：核查中 → 复核中",
            "状态：复核中 → 待审批",
            "核定金额",
            "状态：待审批 → 已批准",
        ]
    );
}

fn approval(amount: &str, reason: &str) -> Approval {
    Approval {
        amount: money(amount),
        reason: reason.into(),
        covered_enterprises: Vec::new(),
        active_count: None,
        projects: None,
    }
}

/// Takes a case through to approval with every item approved at `amounts`.
fn approve_case(store: &mut Store, case_id: i64, amounts: &[(&str, Approval)]) {
    store
        .set_case_status(case_id, CaseStatus::Verifying, &editor())
        .expect("verify");
    for (item, (ceiling, approval)) in store.items(case_id).expect("items").iter().zip(amounts) {
        store
            .set_item_ceiling(item.id, money(ceiling), &serde_json::json!([]), &editor())
            .expect("ceiling");
        store
            .approve_item(item.id, approval, &editor())
            .expect("approve");
    }
    for next in [
        CaseStatus::Reviewing,
        CaseStatus::Approving,
        CaseStatus::Approved,
    ] {
        store
            .set_case_status(case_id, next, &editor())
            .expect("move");
    }
}

#[test]
fn payments_never_exceed_what_was_approved_and_start_the_obligation() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let p = ptsp_platform(&mut store, &owner, 5);
    let c = case(
        &mut store,
        &p,
        2020,
        &[item(Programme::ZsPtsp2018, "6.6", "150000")],
    );
    let err = store
        .record_payment(c.id, money("1"), date("2021-06-01"), "V1", &editor())
        .expect_err("not approved");
    assert!(err.to_string().contains("批准后才能拨付"), "{err}");
    approve_case(&mut store, c.id, &[("150000", approval("150000", ""))]);
    store
        .record_payment(c.id, money("100000"), date("2021-06-01"), "V1", &editor())
        .expect("first");
    let err = store
        .record_payment(c.id, money("50000.01"), date("2021-07-01"), "V2", &editor())
        .expect_err("over");
    assert!(
        err.to_string().contains("超过核定总额 150,000.00 元"),
        "{err}"
    );
    store
        .record_payment(c.id, money("50000"), date("2021-07-01"), "V2", &editor())
        .expect("rest");
    assert_eq!(
        store.obligation(p.id).expect("obligation"),
        Some((date("2021-06-01"), date("2026-06-01")))
    );
}

#[test]
fn platform_history_is_one_query_with_enterprises_and_counts() {
    let mut store = memory();
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let a = code("91442000MA51LQ8X2");
    let b = code("91442000MAAY4CL12");
    let p = iip_platform(&mut store, &owner);
    let prog = Programme::ZsIip2021;
    let with = |amount: &str, codes: &[&desk_policy::CreditCode], count: Option<u32>| Approval {
        amount: money(amount),
        reason: String::new(),
        covered_enterprises: codes.iter().map(|c| (*c).clone()).collect(),
        active_count: count,
        projects: None,
    };
    // 2021: 4.4 for A, 4.5 with 150 active.
    let c1 = case(
        &mut store,
        &p,
        2021,
        &[item(prog, "4.4", "300000"), item(prog, "4.5", "500000")],
    );
    approve_case(
        &mut store,
        c1.id,
        &[
            ("300000", with("300000", &[&a], None)),
            ("500000", with("500000", &[], Some(150))),
        ],
    );
    // 2022, two batches: 4.4 for A again and B; 4.5 with 180 then 170 active.
    let c2 = case(
        &mut store,
        &p,
        2022,
        &[item(prog, "4.4", "200000"), item(prog, "4.5", "800000")],
    );
    approve_case(
        &mut store,
        c2.id,
        &[
            ("200000", with("200000", &[&b, &a], None)),
            ("800000", with("800000", &[], Some(180))),
        ],
    );
    let c3 = case(&mut store, &p, 2022, &[item(prog, "4.5", "100000")]);
    approve_case(
        &mut store,
        c3.id,
        &[("100000", with("100000", &[], Some(170)))],
    );
    // 2023: two 4.1 projects of one enterprise (history keeps 2, not one entry counted as 1),
    // and a 4.2a factory approved at 0.00 (not supported: its enterprise is not 已享受).
    let c4 = case(
        &mut store,
        &p,
        2023,
        &[item(prog, "4.1", "3000000"), item(prog, "4.2a", "1000000")],
    );
    approve_case(
        &mut store,
        c4.id,
        &[
            (
                "3000000",
                Approval {
                    projects: Some(2),
                    ..with("3000000", &[&a], None)
                },
            ),
            (
                "1000000",
                Approval {
                    reason: "验收未通过".into(),
                    ..with("0", &[&b], None)
                },
            ),
        ],
    );
    // A case still under review is no history.
    case(&mut store, &p, 2023, &[item(prog, "4.4", "300000")]);

    let history = store.platform_history(p.id, None).expect("history");
    let json = serde_json::to_value(&history).expect("json");
    assert_eq!(
        json,
        serde_json::json!([
            {"clause": "4.4", "year": 2021, "approved": "300000.00", "enterprises": [a.as_str()]},
            {"clause": "4.5", "year": 2021, "approved": "500000.00", "active_count": 150},
            {"clause": "4.4", "year": 2022, "approved": "200000.00", "enterprises": [a.as_str(), b.as_str()]},
            {"clause": "4.5", "year": 2022, "approved": "900000.00", "active_count": 180},
            {"clause": "4.1", "year": 2023, "approved": "3000000.00", "enterprises": [a.as_str()], "projects": 2},
            {"clause": "4.2a", "year": 2023, "approved": "0.00"}
        ])
    );
    // Computing c3 again must not count c3 itself.
    let without_c3 = store.platform_history(p.id, Some(c3.id)).expect("history");
    assert_eq!(without_c3[3].approved, money("800000"));
}

#[test]
fn the_case_list_filters_searches_and_pages() {
    let mut store = memory();
    let a = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市灯都照明科技有限公司",
        "古镇镇",
    );
    let b = enterprise(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市榄芯电子有限公司",
        "小榄镇",
    );
    let pa = ptsp_platform(&mut store, &a, 5);
    let pb = iip_platform(&mut store, &b);
    for year in [2019, 2020, 2021] {
        case(
            &mut store,
            &pa,
            year,
            &[item(Programme::ZsPtsp2018, "6.2", "1000.50")],
        );
    }
    for _ in 0..4 {
        case(&mut store, &pb, 2022, &[]);
    }
    let q = |query: CaseQuery| {
        store
            .cases(&CaseQuery {
                page_size: 2,
                ..query
            })
            .expect("list")
    };

    let all = q(CaseQuery::default());
    assert_eq!((all.total, all.rows.len()), (7, 2));
    let page4 = q(CaseQuery {
        page: 4,
        ..CaseQuery::default()
    });
    assert_eq!(page4.rows.len(), 1);

    let town = q(CaseQuery {
        town: desk_policy::Town::parse("古镇").ok(),
        ..CaseQuery::default()
    });
    assert_eq!(town.total, 3);
    assert!(town.rows.iter().all(|r| r.town.name() == "古镇镇"));
    assert_eq!(town.rows[0].declared_total, money("1000.50"));

    let filtered = q(CaseQuery {
        programme: Some(Programme::ZsIip2021),
        year: Some(2022),
        status: Some(CaseStatus::Received),
        ..CaseQuery::default()
    });
    assert_eq!(filtered.total, 4);

    let by_name = q(CaseQuery {
        search: Some("灯都".into()),
        ..CaseQuery::default()
    });
    assert_eq!(by_name.total, 3);
    let by_code = q(CaseQuery {
        search: Some(b.as_str()[..14].to_lowercase()),
        ..CaseQuery::default()
    });
    assert_eq!(by_code.total, 4);
    let by_no = q(CaseQuery {
        search: Some("ptsp-2020-0001".into()),
        ..CaseQuery::default()
    });
    assert_eq!(by_no.total, 1);
    let wildcard = q(CaseQuery {
        search: Some("%".into()),
        ..CaseQuery::default()
    });
    assert_eq!(wildcard.total, 0, "% is searched for literally");
}

/// SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex"): a search
/// text is bounded well below that, and a longer one is refused in Chinese, in both lists.
#[test]
fn a_search_longer_than_100_characters_is_refused_in_chinese() {
    let mut store = memory();
    let code = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市灯都照明科技有限公司",
        "古镇镇",
    );
    let platform = ptsp_platform(&mut store, &code, 5);
    case(&mut store, &platform, 2020, &[]);
    let search = |text: String| {
        store.cases(&CaseQuery {
            search: Some(text),
            page: 1,
            page_size: 20,
            ..CaseQuery::default()
        })
    };
    let longest = format!("灯都{}", "照".repeat(desk_store::MAX_SEARCH_CHARS - 2));
    assert_eq!(search(longest).expect("100 characters").total, 0);
    assert_eq!(
        search(format!("  灯都{}  ", " ".repeat(200)))
            .expect("trimmed")
            .total,
        1
    );
    for text in ["智".repeat(101), "智".repeat(20_000), "%".repeat(60_000)] {
        let err = search(text.clone()).expect_err("too long");
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with("搜索内容过长：最多 100 个字，收到 ")
                && message.contains(&format!("{} 个字", text.chars().count())),
            "{message}"
        );
        let err = store.enterprises(None, Some(&text)).expect_err("too long");
        assert!(err.to_string().starts_with("搜索内容过长"), "{err}");
    }
}

#[test]
fn the_search_finds_platform_names_and_keeps_the_town_filter() {
    let mut store = memory();
    let a = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市灯都照明科技有限公司",
        "古镇镇",
    );
    let b = enterprise(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市榄芯电子有限公司",
        "小榄镇",
    );
    let pa = ptsp_platform(&mut store, &a, 5);
    let pb = iip_platform(&mut store, &b);
    // A platform whose name happens to contain another case's number: the search finds its cases
    // and the numbered case too.
    let named = store
        .add_platform(
            &NewPlatform {
                enterprise: b.clone(),
                programme: Programme::ZsPtsp2018,
                name: "PTSP-2019-0001复核实验室".into(),
                grade: Grade::Category(desk_policy::PlatformCategory::new(3).expect("category")),
                recognized_on: date("2019-07-15"),
                paid_in_capital: None,
                fiscal_paid_in_capital: None,
                relocated_hq: false,
                system_live_on: None,
            },
            &editor(),
        )
        .expect("platform");
    let first = case(&mut store, &pa, 2019, &[]);
    assert_eq!(first.case_no, "PTSP-2019-0001");
    case(&mut store, &pa, 2020, &[]);
    case(&mut store, &pb, 2022, &[]);
    case(&mut store, &named, 2020, &[]);
    case(&mut store, &named, 2021, &[]);
    let find = |search: &str, town: Option<&str>| {
        let page = store
            .cases(&CaseQuery {
                search: Some(search.into()),
                town: town.map(|t| desk_policy::Town::parse(t).expect("town")),
                page_size: 50,
                ..CaseQuery::default()
            })
            .expect("list");
        assert_eq!(page.total as usize, page.rows.len());
        let mut numbers: Vec<String> = page.rows.into_iter().map(|r| r.case_no).collect();
        numbers.sort();
        numbers
    };
    // The platform's own name (测试工业互联网平台), not the enterprise's.
    assert_eq!(find("工业互联网", None), ["IIP-2022-0001"]);
    assert_eq!(
        find("灯都", Some("古镇")),
        ["PTSP-2019-0001", "PTSP-2020-0001"]
    );
    assert!(
        find("灯都", Some("小榄")).is_empty(),
        "search and town both hold"
    );
    assert_eq!(find("ptsp-2019-0001", Some("古镇")), ["PTSP-2019-0001"]);
    assert_eq!(
        find("PTSP-2019-0001", None),
        ["PTSP-2019-0001", "PTSP-2020-0002", "PTSP-2021-0001"],
        "the numbered case and the cases of the platform named after it"
    );
    assert_eq!(
        find("PTSP-2019-0001", Some("小榄")),
        ["PTSP-2020-0002", "PTSP-2021-0001"],
        "the numbered case is in 古镇"
    );
    assert!(find("没有这个名字", None).is_empty());
    // Pages of a search are the newest received first, and the total counts every page.
    let page2 = store
        .cases(&CaseQuery {
            search: Some("PTSP-2019-0001".into()),
            page: 2,
            page_size: 2,
            ..CaseQuery::default()
        })
        .expect("page 2");
    assert_eq!(page2.total, 3);
    assert_eq!(
        page2
            .rows
            .iter()
            .map(|r| r.case_no.as_str())
            .collect::<Vec<_>>(),
        ["PTSP-2019-0001"]
    );
}

#[test]
fn the_open_filter_keeps_only_cases_still_being_handled() {
    let mut store = memory();
    let a = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市灯都照明科技有限公司",
        "古镇镇",
    );
    let p = ptsp_platform(&mut store, &a, 5);
    let moves: [&[CaseStatus]; 6] = [
        &[],
        &[CaseStatus::Verifying],
        &[CaseStatus::Verifying, CaseStatus::Reviewing],
        &[CaseStatus::Returned],
        &[CaseStatus::Rejected],
        &[CaseStatus::Withdrawn],
    ];
    for path in moves {
        let c = case(&mut store, &p, 2020, &[]);
        for next in path {
            store.set_case_status(c.id, *next, &editor()).expect("move");
        }
    }
    // An open case of another year.
    let other = case(&mut store, &p, 2021, &[]);
    let open_of = |store: &Store, officer: Option<&str>| {
        store
            .cases(&CaseQuery {
                open: true,
                officer: officer.map(str::to_string),
                page_size: 50,
                ..CaseQuery::default()
            })
            .expect("open cases")
    };
    let all_open = open_of(&store, None);
    assert_eq!(all_open.total, 5);
    // Newest received first, or (deadlines) oldest first: the same cases, the other way round.
    let key = |r: &desk_store::CaseRow| (r.received_on, r.id);
    assert!(all_open.rows.windows(2).all(|w| key(&w[0]) > key(&w[1])));
    let oldest = store
        .cases(&CaseQuery {
            open: true,
            oldest_first: true,
            page_size: 2,
            ..CaseQuery::default()
        })
        .expect("oldest");
    assert_eq!(oldest.total, 5);
    let mut expected: Vec<_> = all_open.rows.iter().map(key).collect();
    expected.reverse();
    expected.truncate(2);
    assert_eq!(oldest.rows.iter().map(key).collect::<Vec<_>>(), expected);
    assert!(all_open.rows.iter().all(|r| !r.status.is_final()));
    let mut statuses: Vec<&str> = all_open.rows.iter().map(|r| r.status.id()).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        ["received", "received", "returned", "reviewing", "verifying"]
    );
    let counted: i64 = store
        .open_status_counts(Some("陈晓敏"))
        .expect("counts")
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(open_of(&store, Some("陈晓敏")).total, counted);
    assert!(open_of(&store, Some("何俊杰")).rows.is_empty());
    // With another filter, both hold.
    let open_2021 = store
        .cases(&CaseQuery {
            open: true,
            year: Some(2021),
            page_size: 50,
            ..CaseQuery::default()
        })
        .expect("open 2021");
    assert_eq!(
        open_2021.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [other.id]
    );
    // Without it, the final ones are listed too.
    let everything = store
        .cases(&CaseQuery {
            page_size: 50,
            ..CaseQuery::default()
        })
        .expect("all");
    assert_eq!(everything.total, 7);
}

#[test]
fn ledger_totals_by_programme_and_town() {
    let mut store = memory();
    let a = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "古镇镇",
    );
    let b = enterprise(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市乙科技有限公司",
        "小榄镇",
    );
    let pa = ptsp_platform(&mut store, &a, 5);
    let pb = ptsp_platform(&mut store, &b, 5);
    let c1 = case(
        &mut store,
        &pa,
        2020,
        &[item(Programme::ZsPtsp2018, "6.6", "100000")],
    );
    approve_case(&mut store, c1.id, &[("100000", approval("80000", "核减"))]);
    store
        .record_payment(c1.id, money("80000"), date("2021-06-01"), "V", &editor())
        .expect("pay");
    case(
        &mut store,
        &pb,
        2020,
        &[
            item(Programme::ZsPtsp2018, "6.6", "50000"),
            item(Programme::ZsPtsp2018, "6.2", "1"),
        ],
    );
    case(
        &mut store,
        &pb,
        2021,
        &[item(Programme::ZsPtsp2018, "6.6", "50000")],
    );

    let totals = store.ledger_totals(2020).expect("totals");
    assert_eq!(totals.len(), 2);
    let gz = &totals[0];
    assert_eq!(gz.town.name(), "古镇镇");
    assert_eq!((gz.cases, gz.items), (1, 1));
    assert_eq!(
        (gz.ceiling, gz.approved, gz.paid),
        (money("100000"), money("80000"), money("80000"))
    );
    let xl = &totals[1];
    assert_eq!((xl.town.name(), xl.cases, xl.items), ("小榄镇", 1, 2));
    assert_eq!(xl.approved, money("0"));
}

#[test]
fn a_new_items_audit_entry_is_the_item() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市某科技有限公司",
        "小榄镇",
    );
    let platform = iip_platform(&mut store, &owner);
    let mut declared = item(Programme::ZsIip2021, "4.4", "12345.60");
    declared.declared_units = serde_json::json!({"contracts": [
        {"enterprise_credit_code": owner.as_str(), "contract_amount": "300000", "note": "引号\"与\\斜杠"}
    ]}).to_string();
    let c = case(&mut store, &platform, 2023, std::slice::from_ref(&declared));
    let stored = store.items(c.id).expect("items");
    let added = store
        .add_item(c.id, &item(Programme::ZsIip2021, "4.5", "1"), &editor())
        .expect("add");
    for created in [&stored[0], &added] {
        let entry = store.audit_of("item", created.id).expect("audit");
        assert_eq!(entry[0].action, "增加申报项目");
        assert_eq!(
            entry[0].after.as_ref(),
            Some(&serde_json::to_value(created).expect("json")),
            "the audit entry records the item as stored"
        );
    }
}

/// An import whose caller withholds its agreement before the commit (the calculator found a problem
/// while the database was written) leaves nothing: no enterprise, platform, case, item or audit entry.
#[test]
fn an_import_refused_before_its_commit_leaves_nothing() {
    use desk_store::{ImportOutcome, ImportedCase};
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let credit_code = code("91442000MA4W4K8L0");
    let imported = ImportedCase {
        enterprise: new_enterprise(&credit_code, "中山市某科技有限公司", "小榄镇"),
        platform: new_iip_platform(&credit_code),
        year: 2023,
        received_on: date("2024-03-01"),
        officer: "陈晓敏".into(),
        items: vec![item(Programme::ZsIip2021, "4.4", "1000")],
        source_sha256: "ab".repeat(32),
        record: desk_store::RecordChoice::Unchosen,
    };
    let mut asked = 0;
    let refused = store
        .import_case_if(&imported, &editor(), || {
            asked += 1;
            Err("计算检查未通过")
        })
        .expect("no database error");
    assert_eq!(refused.err(), Some("计算检查未通过"));
    assert_eq!(asked, 1, "asked once, before the commit");
    assert_eq!(store.enterprise_count().expect("count"), 0);
    assert_eq!(store.case_count().expect("count"), 0);
    assert!(
        store
            .enterprise_by_code(&credit_code)
            .expect("lookup")
            .is_none()
    );
    for entity in ["enterprise", "platform", "case", "item"] {
        assert!(
            store.audit_of(entity, 1).expect("audit").is_empty(),
            "{entity}"
        );
    }

    // The same import agreed to lands whole.
    let created = store
        .import_case_if(&imported, &editor(), || Ok::<(), ()>(()))
        .expect("no database error");
    let Ok(ImportOutcome::Created { case }) = created else {
        panic!("{created:?}");
    };
    assert_eq!(store.items(case.id).expect("items").len(), 1);
    assert_eq!(store.enterprise_count().expect("count"), 1);
    assert_eq!(store.case_count().expect("count"), 1);
}

/// `%` and `_` typed into a search are themselves, not wildcards (`enterprise list --search %`
/// listed every enterprise).
#[test]
fn a_search_for_percent_or_underscore_finds_only_names_with_them() {
    let mut store = memory();
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    enterprise(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市100%_精密有限公司",
        "古镇镇",
    );
    for (search, found) in [("%", 1), ("_", 1), ("100%_", 1), ("甲", 1), ("中山市", 2)] {
        let list = store.enterprises(None, Some(search)).expect("search");
        assert_eq!(list.len(), found, "{search}");
    }
}

#[test]
fn an_approval_stays_within_the_request_and_a_reason_is_needed_only_below_it() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let p = ptsp_platform(&mut store, &owner, 5);
    let mut without_request = item(Programme::ZsPtsp2018, "6.6", "0");
    without_request.declared_amount = None;
    let c = case(
        &mut store,
        &p,
        2020,
        &[
            item(Programme::ZsPtsp2018, "6.6", "100000"),
            without_request,
        ],
    );
    store
        .set_case_status(c.id, CaseStatus::Verifying, &editor())
        .expect("verify");
    let items = store.items(c.id).expect("items");
    let (asked, legacy) = (items[0].id, items[1].id);
    for id in [asked, legacy] {
        store
            .set_item_ceiling(id, money("400000"), &serde_json::json!([]), &editor())
            .expect("ceiling");
    }
    // Requested 100,000 with a ceiling of 400,000: never 400,000, and 100,000 needs no reason.
    let err = store
        .approve_item(asked, &approval("400000", ""), &editor())
        .expect_err("above the request");
    assert!(
        err.to_string()
            .contains("核定金额：400,000.00 元超过申请金额 100,000.00 元"),
        "{err}"
    );
    let err = store
        .approve_item(asked, &approval("90000", ""), &editor())
        .expect_err("below the request without a reason");
    assert!(
        err.to_string()
            .contains("核减理由：核定金额低于申请金额 100,000.00 元时必须填写核减理由"),
        "{err}"
    );
    let approved = store
        .approve_item(asked, &approval("100000", ""), &editor())
        .expect("exactly the request, no reason");
    assert_eq!(approved.approved, Some(money("100000")));

    // An item imported before 申请金额 was required is asked for it before approval; 0.00 is not.
    let err = store
        .approve_item(legacy, &approval("1000", "部分认定"), &editor())
        .expect_err("no request");
    assert!(err.to_string().starts_with("申请金额："), "{err}");
    store
        .approve_item(legacy, &approval("0", "不予支持"), &editor())
        .expect("0.00 needs no request");
    let updated = store
        .set_item_request(legacy, money("300000"), &editor())
        .expect("request recorded");
    assert_eq!(updated.declared_amount, Some(money("300000")));
    store
        .approve_item(legacy, &approval("300000", ""), &editor())
        .expect("within the request now");
    // Lowering the request below an approval clears the approval (decided again).
    let lowered = store
        .set_item_request(legacy, money("200000"), &editor())
        .expect("lowered");
    assert_eq!(lowered.approved, None);

    // The database holds the same rule, whatever program writes to it.
    let conn = raw(&path);
    let err = conn
        .execute(
            "UPDATE case_items SET approved_cents = 10000001 WHERE id = ?1",
            [asked],
        )
        .expect_err("above the request");
    assert!(err.to_string().contains("declared_cents"), "{err}");
    let err = conn
        .execute(
            "UPDATE case_items SET declared_cents = NULL WHERE id = ?1",
            [asked],
        )
        .expect_err("an approval without a request");
    assert!(err.to_string().contains("declared_cents"), "{err}");
}
