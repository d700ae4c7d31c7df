//! Issue #13 in desk-api: what the bureau must solve (8.rate unset on the case's date) is the
//! import's `bureau`, never the applicant's cells, marked copy or 补正通知书; `set_parameter` (the
//! settings screen's and the command line's path) settles it with checked values.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use desk_api::import::{ImportKind, ImportView, marked_workbook};
use desk_api::parameters::{ValueSource, parameters, set_parameter};
use desk_api::{ImportOptions, ImportResult, import_submission};
use desk_policy::{BureauProblem, Programme};
use desk_store::{Editor, Store};

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

fn workbook(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions/bureau")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options(dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        received_on: date("2024-03-01"),
        officer: "陈晓敏".into(),
        keep_case_file: false,
        record: desk_store::RecordChoice::Unchosen,
    }
}

#[test]
fn an_unset_rate_is_reported_to_the_officer_and_the_set_rate_imports() {
    for name in ["iip-2023-clause8.xlsx", "libreoffice/iip-2023-clause8.xls"] {
        let bytes = workbook(name);
        let mut store = Store::open_in_memory().expect("store");
        for dry_run in [true, false] {
            let report = import_submission(
                &mut store,
                name,
                &bytes,
                &options(dry_run),
                &at("2024-03-01"),
            );
            assert!(
                matches!(report.result, ImportResult::ForBureau),
                "{name}: {:?}",
                report.result
            );
            let [BureauProblem::ParameterUnset(p)] = report.bureau.as_slice() else {
                panic!("{name}: {:?}", report.bureau);
            };
            assert_eq!(
                (p.programme, p.key.as_str(), p.on),
                (Programme::ZsIip2021, "8.rate", date("2023-01-01"))
            );
            let view = ImportView::new(&store, name, &report);
            assert_eq!(view.outcome, ImportKind::ForBureau);
            assert!(view.errors.is_empty() && !view.ok);
            assert!(
                view.bureau[0].contains("8.rate") && view.bureau[0].contains("设置 › 政策参数"),
                "{:?}",
                view.bureau
            );
        }
        assert_eq!(store.case_count().expect("count"), 0);
        let refused = marked_workbook(&bytes).expect_err("nothing to mark");
        assert!(
            refused.to_string().contains("没有需要企业修改的单元格"),
            "{refused}"
        );
        let refused = desk_api::print::correction_notice(name, &bytes, date("2024-03-01"))
            .expect_err("nothing to correct");
        assert!(
            refused.to_string().contains("没有需要企业补正的内容"),
            "{refused}"
        );

        // A value from after 1 January 2023 does not reach a 2023 case.
        set_parameter(
            &mut store,
            Programme::ZsIip2021,
            "8.rate",
            date("2023-02-01"),
            "0.2",
            "中工信〔2023〕2号",
            &at("2024-03-01"),
        )
        .expect("set");
        let report = import_submission(&mut store, name, &bytes, &options(true), &at("2024-03-01"));
        assert!(matches!(report.result, ImportResult::ForBureau));
        let set = set_parameter(
            &mut store,
            Programme::ZsIip2021,
            "8.rate",
            date("2021-01-01"),
            "12.5%",
            "中工信〔2021〕8号",
            &at("2024-03-01"),
        )
        .expect("set");
        assert_eq!(set.value, "0.125".parse().expect("m"));
        let report =
            import_submission(&mut store, name, &bytes, &options(false), &at("2024-03-01"));
        let ImportResult::Created { case_no } = &report.result else {
            panic!("{name}: {:?}", report.result);
        };
        assert!(report.bureau.is_empty());
        let case = store.case_by_no(case_no).expect("case");
        let result = desk_api::compute_case(&mut store, case.id, &at("2024-03-02")).expect("calc");
        let line = result
            .lines
            .iter()
            .find(|l| l.clause == "8")
            .expect("clause 8");
        assert_eq!(line.ceiling, "625000.00".parse().expect("m"));
    }
}

#[test]
fn a_wrong_cell_is_the_applicants_and_its_marked_copy_is_theirs_alone() {
    let bytes = workbook("iip-2023-clause8-wrong-cell.xlsx");
    let mut store = Store::open_in_memory().expect("store");
    let report = import_submission(&mut store, "x", &bytes, &options(true), &at("2024-03-01"));
    let ImportResult::Invalid { errors } = &report.result else {
        panic!("{:?}", report.result);
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors.iter().all(|e| !e.message.contains("8.rate")));
    assert!(marked_workbook(&bytes).is_ok());
}

#[test]
fn set_parameter_reads_the_value_by_its_unit_and_names_the_nearest_keys() {
    let mut store = Store::open_in_memory().expect("store");
    let set = |store: &mut Store, key: &str, value: &str, from: &str| {
        set_parameter(
            store,
            Programme::ZsIip2021,
            key,
            date(from),
            value,
            "中工信〔2021〕8号",
            &at("2024-03-01"),
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    for (key, value, from, want) in [
        ("8.rat", "0.1", "2021-01-01", "相近的参数：8.rate（"),
        (
            "4.1",
            "3",
            "2021-01-01",
            "4.1.max_per_year（每年项目数上限）",
        ),
        ("amount", "3", "2021-01-01", "3.amount（奖励金额）"),
        ("8.rate", "10", "2021-01-01", "0 到 1 之间"),
        ("8.rate", "150%", "2021-01-01", "0 到 1 之间"),
        ("2.1.cap", "5%", "2021-01-01", "不能写成百分数"),
        ("4.5.baseline", "100.5", "2021-01-01", "应为整数"),
        ("4.2a.amount", "1.001", "2021-01-01", "最多到分"),
        (
            "8.rate",
            "0.1",
            "2026-01-02",
            "不在《工业互联网平台扶持》的适用期间内",
        ),
    ] {
        let err = set(&mut store, key, value, from).expect_err(key);
        assert!(err.contains(want), "{key} {value} {from}: {err}");
    }
    assert!(
        store.bureau_values().expect("values").is_empty(),
        "nothing written"
    );
    set(&mut store, "2.1.cap", "1,500,000", "2024-01-01").expect("an amount");
    let listed = parameters(&store, date("2024-06-01")).expect("list");
    let cap = listed
        .iter()
        .find(|p| p.programme == Programme::ZsIip2021 && p.key == "2.1.cap")
        .expect("2.1.cap");
    let (value, source) = cap.value_on(date("2024-01-01")).expect("in force");
    assert_eq!(
        (value.value, source),
        ("1500000".parse().expect("m"), ValueSource::Bureau)
    );
    let (value, source) = cap.value_on(date("2023-12-31")).expect("the catalog's");
    assert_eq!(
        (value.value, source),
        ("2000000".parse().expect("m"), ValueSource::Catalog)
    );
    let audit = store.audit_of("parameter", 1).expect("audit");
    assert_eq!((audit.len(), audit[0].actor.as_str()), (1, "陈晓敏"));
}
