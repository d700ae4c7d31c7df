//! What the desktop screens receive: the case page, the dashboard, the registry forms and the
//! bureau's own policy parameters, on the demo bureau and on small hand-made cases.

use chrono::{NaiveDate, NaiveDateTime};
use desk_api::parameters::{parameters, set_parameter};
use desk_api::registry::{NewEnterpriseArgs, NewPlatformArgs, add_enterprise, add_platform};
use desk_api::views::{self, CaseQueryArgs};
use desk_policy::{ClauseId, Programme};
use desk_store::{CaseStatus, Editor, NewCase, NewItem, Store};
use serde_json::json;

fn at(day: &str) -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str(&format!("{day} 09:00:00"), "%Y-%m-%d %H:%M:%S")
            .expect("time"),
    )
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn demo() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    desk_api::demo::load(&mut store).expect("demo");
    store
}

#[test]
fn the_demo_refuses_a_database_that_holds_cases() {
    let mut store = demo();
    let err = desk_api::demo::load(&mut store).expect_err("second load");
    assert!(err.to_string().contains("已有"), "{err}");
}

#[test]
fn a_computed_case_page_shows_units_ceilings_steps_and_the_clause_text() {
    let store = demo();
    let page = views::list_cases(
        &store,
        &CaseQueryArgs {
            status: Some(CaseStatus::Approved),
            programme: Some(Programme::ZsPtsp2018),
            page: 1,
            page_size: 5,
            ..CaseQueryArgs::default()
        },
    )
    .expect("list");
    assert!(page.total > 0);
    let view = views::case_view(&store, page.rows[0].id).expect("view");
    assert!(view.computed);
    assert!(view.approved_total_words.starts_with("人民币"));
    for item in &view.items {
        assert!(!item.clause_title.is_empty() && item.citation.starts_with('《'));
        assert!(
            !item.clause_text.is_empty(),
            "clause {} has its text",
            item.clause
        );
        assert!(
            !item.units.is_empty(),
            "clause {} shows its units",
            item.clause
        );
        for table in &item.units {
            assert!(table.rows.iter().all(|r| r.len() == table.columns.len()));
            assert!(table.columns.iter().all(|c| !c.ends_with('*')));
        }
        let explanation = item.explanation.as_ref().expect("explanation");
        if explanation.merged_into.is_none() {
            assert!(!explanation.steps.is_empty(), "{explanation:?}");
            assert!(!explanation.limited_by_label.is_empty());
            assert_eq!(
                explanation.ceiling,
                item.ceiling.expect("ceiling").to_string()
            );
        }
        // An approved case's items can no longer be changed.
        assert!(!item.can_approve);
    }
    assert!(view.next_statuses.is_empty(), "approved is final");
    assert!(!view.audit.is_empty());
}

#[test]
fn the_dashboard_lists_my_open_cases_by_status_and_deadline() {
    let store = demo();
    let today = date("2026-11-30");
    let year = views::default_year(&store, today).expect("year");
    let board = views::dashboard(&store, year, desk_api::demo::DEMO_OFFICER, today).expect("board");
    let counted: i64 = board.open_by_status.iter().map(|s| s.count).sum();
    assert_eq!(counted as usize, board.my_open_cases.len());
    for s in &board.open_by_status {
        let listed = board
            .my_open_cases
            .iter()
            .filter(|c| c.status == s.status)
            .count();
        assert_eq!(listed as i64, s.count, "{} cases listed", s.label);
    }
    // One list for every open status, newest received first.
    assert!(
        board
            .my_open_cases
            .windows(2)
            .all(|w| (w[0].received_on, w[0].id) > (w[1].received_on, w[1].id))
    );
    assert!(
        board
            .my_open_cases
            .iter()
            .all(|c| c.officer == desk_api::demo::DEMO_OFFICER && !c.status.is_final())
    );
    assert!(
        board
            .deadlines
            .windows(2)
            .all(|w| w[0].due_on <= w[1].due_on)
    );
    // The nearest deadlines are those of the oldest open cases that are no longer drafts.
    let mut oldest: Vec<_> = board
        .my_open_cases
        .iter()
        .filter(|c| c.status != CaseStatus::Draft)
        .map(|c| (c.received_on, c.id))
        .collect();
    oldest.sort();
    oldest.truncate(views::DEADLINES);
    let listed: Vec<_> = board
        .deadlines
        .iter()
        .map(|d| (d.case.received_on, d.case.id))
        .collect();
    assert_eq!(listed, oldest);
    for d in &board.deadlines {
        assert_eq!(
            (d.due_on - d.case.received_on).num_days(),
            views::HANDLING_DAYS as i64
        );
    }
    assert!(!board.totals.is_empty(), "year {year} has totals");
}

#[test]
fn choices_offer_the_years_batches_and_officers_in_the_database() {
    let store = demo();
    let c = views::choices(&store).expect("choices");
    assert_eq!(c.towns.len(), 23);
    assert_eq!(c.statuses.len(), 9);
    assert_eq!(c.categories.len(), 25);
    assert!(c.years.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(
        c.officers
            .contains(&desk_api::demo::DEMO_OFFICER.to_string())
    );
    assert!(!c.batches.is_empty());
}

#[test]
fn credit_codes_are_checked_as_one_types() {
    let good = views::check_credit_code("91442000MA4W4K8L06");
    assert!(good.valid && good.zhongshan, "{good:?}");
    assert_eq!(good.division.as_deref(), Some("442000"));
    let bad = views::check_credit_code("91442000MA4W4K8L07");
    assert!(!bad.valid);
    assert!(bad.message.contains("校验位"), "{}", bad.message);
    let short = views::check_credit_code("914420");
    assert!(!short.valid && !short.message.is_empty());
}

#[test]
fn registry_forms_name_the_field_that_is_wrong_and_write_nothing() {
    let mut store = Store::open_in_memory().expect("store");
    let mut args = NewEnterpriseArgs {
        credit_code: "91442000MA4W4K8L06".into(),
        name: "中山市云联工业互联网科技有限公司".into(),
        town: "火星镇".into(),
        address: String::new(),
        contact_person: String::new(),
        contact_phone: String::new(),
    };
    let err = add_enterprise(&mut store, &args, &at("2026-11-30")).expect_err("town");
    assert!(err.to_string().starts_with("所属镇街："), "{err}");
    assert_eq!(store.enterprise_count().expect("count"), 0);
    args.town = "小榄".into();
    add_enterprise(&mut store, &args, &at("2026-11-30")).expect("enterprise");

    let mut platform = NewPlatformArgs {
        credit_code: args.credit_code.clone(),
        programme: Programme::ZsIip2021,
        name: "云联平台".into(),
        category: None,
        level: Some("municipal".into()),
        recognized_on: "2021-02-30".into(),
        paid_in_capital: Some("-5".into()),
        fiscal_paid_in_capital: None,
        relocated_hq: false,
        system_live_on: None,
    };
    let err = add_platform(&mut store, &platform, &at("2026-11-30")).expect_err("date");
    assert!(err.to_string().contains("认定日期"), "{err}");
    platform.recognized_on = "2021-05-10".into();
    let err = add_platform(&mut store, &platform, &at("2026-11-30")).expect_err("capital");
    assert!(err.to_string().starts_with("实缴注册资本："), "{err}");
    platform.paid_in_capital = Some("8,000,000".into());
    let created = add_platform(&mut store, &platform, &at("2026-11-30")).expect("platform");
    assert_eq!(created.paid_in_capital, Some("8000000".parse().expect("m")));
}

/// zs-iip-2021 clause 8 leaves its rate to the bureau: no rate, no ceiling; a rate set from a
/// date applies to the cases of the years from then on, and the setting is audited.
#[test]
fn the_bureau_sets_clause_8_rate_from_a_date() {
    let mut store = Store::open_in_memory().expect("store");
    desk_api::registry::add_enterprise(
        &mut store,
        &NewEnterpriseArgs {
            credit_code: "91442000MA4W4K8L06".into(),
            name: "中山市云联园区运营有限公司".into(),
            town: "火炬开发区".into(),
            address: String::new(),
            contact_person: String::new(),
            contact_phone: String::new(),
        },
        &at("2023-01-05"),
    )
    .expect("enterprise");
    let platform = desk_api::registry::add_platform(
        &mut store,
        &NewPlatformArgs {
            credit_code: "91442000MA4W4K8L06".into(),
            programme: Programme::ZsIip2021,
            name: "云联园区".into(),
            category: None,
            level: Some("municipal".into()),
            recognized_on: "2021-05-10".into(),
            paid_in_capital: None,
            fiscal_paid_in_capital: None,
            relocated_hq: false,
            system_live_on: None,
        },
        &at("2023-01-05"),
    )
    .expect("platform");
    let case_of = |store: &mut Store, year: i32| {
        store
            .new_case(
                &NewCase {
                    platform_id: platform.id,
                    year,
                    batch: format!("{year}年第1批"),
                    officer: "陈晓敏".into(),
                    received_on: date(&format!("{year}-03-01")),
                    status: CaseStatus::Received,
                },
                &[NewItem {
                    clause: ClauseId::parse(Programme::ZsIip2021, "8").expect("clause"),
                    declared_units: json!({"investment": "5000000"}).to_string(),
                    declared_amount: None,
                }],
                &at(&format!("{year}-03-01")),
            )
            .expect("case")
            .id
    };
    let case_2023 = case_of(&mut store, 2023);
    let case_2024 = case_of(&mut store, 2024);

    let err =
        desk_api::compute_case(&mut store, case_2023, &at("2024-03-02")).expect_err("no rate");
    assert!(err.to_string().contains("8.rate"), "{err}");

    let listed = parameters(&store, date("2024-03-01")).expect("parameters");
    let rate = listed
        .iter()
        .find(|p| p.key == "8.rate")
        .expect("8.rate listed");
    assert!(rate.bureau_sets && rate.in_force.is_none() && rate.catalog_values.is_empty());

    for (value, reference, want) in [
        ("1.5", "中工信〔2024〕1号", "0 到 1 之间"),
        ("0.10", "  ", "依据"),
    ] {
        let err = set_parameter(
            &mut store,
            Programme::ZsIip2021,
            "8.rate",
            date("2024-01-01"),
            value,
            reference,
            &at("2024-03-01"),
        )
        .expect_err("refused");
        assert!(err.to_string().contains(want), "{err}");
    }
    let err = set_parameter(
        &mut store,
        Programme::ZsPtsp2018,
        "8.rate",
        date("2024-01-01"),
        "0.1",
        "x",
        &at("2024-03-01"),
    )
    .expect_err("wrong programme");
    assert!(err.to_string().contains("没有参数"), "{err}");

    set_parameter(
        &mut store,
        Programme::ZsIip2021,
        "8.rate",
        date("2024-01-01"),
        "0.10",
        "中工信〔2024〕1号",
        &at("2024-03-01"),
    )
    .expect("set");
    let err = set_parameter(
        &mut store,
        Programme::ZsIip2021,
        "8.rate",
        date("2024-01-01"),
        "0.12",
        "中工信〔2024〕2号",
        &at("2024-03-05"),
    )
    .expect_err("same date twice");
    assert!(err.to_string().contains("新的生效日期"), "{err}");

    // 2023's case is taken on 1 January 2023: still no rate. 2024's gets 10%.
    assert!(desk_api::compute_case(&mut store, case_2023, &at("2024-03-02")).is_err());
    let result = desk_api::compute_case(&mut store, case_2024, &at("2024-03-02")).expect("2024");
    assert_eq!(result.total, "500000.00".parse().expect("m"));

    let listed = parameters(&store, date("2024-03-01")).expect("parameters");
    let rate = listed.iter().find(|p| p.key == "8.rate").expect("8.rate");
    assert_eq!(rate.in_force, Some("0.1".parse().expect("m")));
    assert_eq!(rate.bureau_values.len(), 1);
    assert_eq!(rate.bureau_values[0].reference, "中工信〔2024〕1号");
    let audit = store.audit_of("parameter", 1).expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "设定政策参数");
}

/// "leases[0]", "items[2].contracts[14]": a JSON path the calculator uses in a case file.
fn has_json_path(text: &str) -> bool {
    text.char_indices().any(|(i, c)| {
        c == '['
            && text[..i].ends_with(|p: char| p.is_ascii_lowercase())
            && text[i + 1..].starts_with(|d: char| d.is_ascii_digit())
    })
}

#[test]
fn steps_name_units_as_the_case_page_and_the_approval_form_do() {
    let store = demo();
    let page = views::list_cases(
        &store,
        &CaseQueryArgs {
            page: 1,
            page_size: 100,
            ..CaseQueryArgs::default()
        },
    )
    .expect("list");
    let (mut named_steps, mut named_excluded, mut printed) = (0, 0, 0);
    for row in &page.rows {
        let view = views::case_view(&store, row.id).expect("view");
        for item in &view.items {
            let Some(e) = &item.explanation else { continue };
            for step in &e.steps {
                assert!(!has_json_path(step), "{}: {step}", row.case_no);
                named_steps += usize::from(step.contains("行：") && step.contains('第'));
            }
            for x in &e.excluded {
                assert!(!has_json_path(&x.unit), "{}: {}", row.case_no, x.unit);
                named_excluded += usize::from(x.unit.contains('行'));
            }
        }
        let form =
            desk_api::print::approval_form(&store, row.id, date("2026-11-30")).expect("form");
        for step in form.explanations.iter().flat_map(|e| &e.steps) {
            assert!(!has_json_path(step), "{} printed: {step}", row.case_no);
            printed += usize::from(step.contains("行："));
        }
    }
    assert!(named_steps > 0 && printed > 0, "{named_steps} {printed}");
    assert!(named_excluded > 0, "the demo has units left out");
    assert!(has_json_path("leases[0]：") && has_json_path("items[2].contracts[14]"));
}

/// The case page and the approval form name the cap that bound: the 50 元/m² rent cap of 6.2 as
/// 租金补助标准上限, 6.4's 2,000,000 as 单项上限 (both `unit_cap` in the stored line).
#[test]
fn the_page_and_the_form_name_the_cap_that_bound() {
    let mut store = Store::open_in_memory().expect("store");
    add_enterprise(
        &mut store,
        &NewEnterpriseArgs {
            credit_code: "91442000MA4W4K8L06".into(),
            name: "中山市某检测服务有限公司".into(),
            town: "火炬开发区".into(),
            address: String::new(),
            contact_person: String::new(),
            contact_phone: String::new(),
        },
        &at("2020-01-05"),
    )
    .expect("enterprise");
    let platform = add_platform(
        &mut store,
        &NewPlatformArgs {
            credit_code: "91442000MA4W4K8L06".into(),
            programme: Programme::ZsPtsp2018,
            name: "检测认证公共技术服务平台".into(),
            category: Some(16),
            level: None,
            recognized_on: "2019-07-15".into(),
            paid_in_capital: Some("30000000".into()),
            fiscal_paid_in_capital: Some("0".into()),
            relocated_hq: false,
            system_live_on: None,
        },
        &at("2020-01-05"),
    )
    .expect("platform");
    let clause = |id: &str| ClauseId::parse(Programme::ZsPtsp2018, id).expect("clause");
    let case = store
        .new_case(
            &NewCase {
                platform_id: platform.id,
                year: 2020,
                batch: "2020年第1批".into(),
                officer: "陈晓敏".into(),
                received_on: date("2020-03-01"),
                status: CaseStatus::Received,
            },
            &[
                NewItem {
                    clause: clause("6.2"),
                    declared_units: json!({"leases": [
                        {"area_m2": "1200", "rent_per_m2": "60", "from": "2020-01", "to": "2020-12"}
                    ]})
                    .to_string(),
                    declared_amount: None,
                },
                NewItem {
                    clause: clause("6.4"),
                    declared_units: json!({}).to_string(),
                    declared_amount: None,
                },
            ],
            &at("2020-03-01"),
        )
        .expect("case")
        .id;
    desk_api::compute_case(&mut store, case, &at("2020-03-02")).expect("compute");

    let view = views::case_view(&store, case).expect("view");
    let shown: Vec<(String, String, String)> = view
        .items
        .iter()
        .map(|i| {
            let e = i.explanation.as_ref().expect("explanation");
            (
                i.clause.clone(),
                e.limited_by.clone(),
                e.limited_by_label.clone(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("6.2".into(), "unit_cap".into(), "租金补助标准上限".into()),
            ("6.4".into(), "unit_cap".into(), "单项上限".into()),
        ]
    );
    let form = desk_api::print::approval_form(&store, case, date("2020-04-01")).expect("form");
    let results: Vec<&str> = form
        .explanations
        .iter()
        .map(|e| e.result.as_str())
        .collect();
    assert_eq!(results.len(), 2);
    assert!(
        results[0].starts_with("最高可补助额：720,000.00 元（租金补助标准上限）"),
        "{results:?}"
    );
    assert!(
        results[1].starts_with("最高可补助额：2,000,000.00 元（单项上限）"),
        "{results:?}"
    );
}

/// A line stored before the calculator named its caps has no `unit_caps`: it still reads 单项上限.
#[test]
fn a_line_stored_without_its_caps_keeps_the_general_label() {
    let old = json!({"limited_by": "unit_cap", "ceiling": "720000.00"});
    assert_eq!(
        views::stored_limited_by_label(&old).as_deref(),
        Some("单项上限")
    );
    let new = json!({"limited_by": "unit_cap", "unit_caps": ["rent_cap"]});
    assert_eq!(
        views::stored_limited_by_label(&new).as_deref(),
        Some("租金补助标准上限")
    );
    assert_eq!(views::stored_limited_by_label(&json!({})), None);
}

#[test]
fn a_batch_print_reports_its_progress_case_by_case() {
    let store = demo();
    let printed_on = date("2026-11-30");
    let choices = views::choices(&store).expect("choices");
    let (batch, cases) = choices
        .batches
        .iter()
        .map(|b| {
            let args = CaseQueryArgs {
                batch: Some(b.clone()),
                page: 1,
                page_size: 500,
                ..CaseQueryArgs::default()
            };
            (
                b.clone(),
                views::list_cases(&store, &args).expect("list").rows,
            )
        })
        .max_by_key(|(_, rows)| rows.len())
        .expect("a batch");
    assert!(cases.len() >= 3, "{batch} has {} cases", cases.len());
    let mut reports = Vec::new();
    let (pdf, n) =
        desk_api::print::batch_pdf_with_progress(&store, &batch, printed_on, |p| reports.push(p))
            .expect("batch");
    assert_eq!(n, cases.len());
    assert!(pdf.starts_with(b"%PDF"));
    // Before each case, then once when the PDF is written: n + 1 reports, done 0, 1, …, n.
    assert_eq!(reports.len(), n + 1);
    assert!(reports.iter().all(|p| p.total == n));
    assert_eq!(
        reports.iter().map(|p| p.done).collect::<Vec<_>>(),
        (0..=n).collect::<Vec<_>>()
    );
    let mut numbers: Vec<String> = cases.into_iter().map(|c| c.case_no).collect();
    numbers.sort();
    assert_eq!(
        reports[..n]
            .iter()
            .map(|p| p.current.clone())
            .collect::<Vec<_>>(),
        numbers,
        "each report names the case about to be laid out, in case-number order"
    );
    assert!(reports[n].current.is_empty());
}

/// The desktop's registry forms meet the same rule for texts as every other door
/// (`desk_policy::text`, held by the store): the field named, nothing written.
#[test]
fn the_registry_forms_hold_texts_to_the_one_rule() {
    let mut store = Store::open_in_memory().expect("store");
    let args = |name: &str, address: &str| NewEnterpriseArgs {
        credit_code: "91442000MA4W4K8L06".into(),
        name: name.into(),
        town: "小榄镇".into(),
        address: address.into(),
        contact_person: String::new(),
        contact_phone: String::new(),
    };
    for (a, message) in [
        (
            args(&"某".repeat(1_750_000), ""),
            "企业名称过长：共 1750000 个字，最多 100 个字，请精简后重新填写",
        ),
        (
            args("中山\u{0}某公司", ""),
            "企业名称含不可见的控制字符（U+0000），请删除后重新填写",
        ),
        (
            args("中山市某公司", &"路".repeat(201)),
            "地址过长：共 201 个字，最多 200 个字，请精简后重新填写",
        ),
    ] {
        let e = add_enterprise(&mut store, &a, &at("2024-03-01")).expect_err("refused");
        assert_eq!(e.to_string(), message);
        assert!(e.is_bad_input());
    }
    assert_eq!(store.enterprise_count().expect("count"), 0);
}
