//! #13: a later workbook's 基本信息 against the record, through `import_submission` with the
//! fixtures of `fixtures/submissions/record-changes/`: refused with its list until the officer
//! chooses; the record corrected (and the case computed on it) or kept (and the case computed on
//! the record, the printed case file showing the record's facts).

use chrono::NaiveDateTime;
use desk_api::{ImportOptions, ImportResult, compute_case, import_submission};
use desk_store::{Editor, RecordChoice, RecordField, Store};

fn editor() -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str("2021-04-01 09:00:00", "%Y-%m-%d %H:%M:%S").expect("time"),
    )
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options(record: RecordChoice, dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        received_on: editor().at.date(),
        officer: "陈晓敏".into(),
        keep_case_file: true,
        record,
    }
}

fn import(
    store: &mut Store,
    name: &str,
    record: RecordChoice,
    dry_run: bool,
) -> desk_api::ImportReport {
    import_submission(
        store,
        name,
        &fixture(name),
        &options(record, dry_run),
        &editor(),
    )
}

/// The 2020 case's 6.4 注册资本 ceiling: 10 % of the paid-in capital the record holds.
fn ceiling_of_6_4(store: &mut Store) -> String {
    let case = store.case_by_no("PTSP-2020-0001").expect("case");
    let result = compute_case(store, case.id, &editor()).expect("computed");
    let line = result
        .lines
        .iter()
        .find(|l| l.clause == "6.4")
        .expect("6.4");
    line.ceiling.to_string()
}

fn stored() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    let first = import(
        &mut store,
        "ptsp-2020-good.xlsx",
        RecordChoice::Unchosen,
        false,
    );
    assert!(
        matches!(first.result, ImportResult::Created { .. }),
        "{first:?}"
    );
    store
}

#[test]
fn a_corrected_capital_is_refused_until_the_officer_chooses() {
    for file in [
        "record-changes/ptsp-2020-capital-corrected.xlsx",
        "record-changes/libreoffice/ptsp-2020-capital-corrected.xlsx",
        "record-changes/libreoffice/ptsp-2020-capital-corrected.xls",
    ] {
        let mut store = stored();
        for dry_run in [true, false] {
            let report = import(&mut store, file, RecordChoice::Unchosen, dry_run);
            let ImportResult::Differs { differences } = &report.result else {
                panic!("{file}: {:?}", report.result);
            };
            let lines: Vec<String> = differences.iter().map(ToString::to_string).collect();
            assert_eq!(
                lines,
                ["实缴注册资本：登记为“8,000,000.00 元”，申报表为“10,000,000.00 元”"],
                "{file}"
            );
            assert!(!report.result.is_success());
            assert!(
                report.case_file.is_none(),
                "no case is shown before the choice"
            );
        }
        assert_eq!(
            store.items(1).expect("items").len(),
            5,
            "{file}: not replaced"
        );
        assert_eq!(ceiling_of_6_4(&mut store), "800000.00", "{file}");
    }
}

#[test]
fn update_corrects_the_record_and_the_case_is_computed_on_it() {
    let mut store = stored();
    let name = "record-changes/ptsp-2020-capital-corrected.xlsx";
    let checked = import(&mut store, name, RecordChoice::Update, true);
    assert!(
        matches!(checked.result, ImportResult::Checked),
        "{checked:?}"
    );
    assert_eq!(
        checked.label(),
        "检查通过（未写入）；导入时将以申报表更正登记信息（实缴注册资本）"
    );
    let shown = checked.case_file.as_ref().expect("case file");
    assert_eq!(shown["platform"]["paid_in_capital"], "10000000");
    assert_eq!(
        ceiling_of_6_4(&mut store),
        "800000.00",
        "a check writes nothing"
    );

    let report = import(&mut store, name, RecordChoice::Update, false);
    assert!(
        matches!(report.result, ImportResult::Replaced { .. }),
        "{report:?}"
    );
    assert!(
        report
            .label()
            .ends_with("；已以申报表更正登记信息（实缴注册资本）")
    );
    assert_eq!(ceiling_of_6_4(&mut store), "1000000.00");
    let platform = store.platform(
        store
            .case_by_no("PTSP-2020-0001")
            .expect("case")
            .platform_id,
    );
    assert_eq!(
        platform.expect("platform").paid_in_capital,
        Some("10000000".parse().expect("money"))
    );
}

#[test]
fn keep_computes_on_the_record_and_the_dry_run_shows_it() {
    let mut store = stored();
    let name = "record-changes/ptsp-2020-capital-corrected.xlsx";
    let checked = import(&mut store, name, RecordChoice::Keep, true);
    assert!(
        matches!(checked.result, ImportResult::Checked),
        "{checked:?}"
    );
    let shown = checked.case_file.as_ref().expect("case file");
    assert_eq!(
        shown["platform"]["paid_in_capital"], "8000000.00",
        "the record's"
    );
    assert!(
        checked
            .label()
            .ends_with("按登记信息计算（申报表的实缴注册资本与登记不同，未采用）")
    );
    let report = import(&mut store, name, RecordChoice::Keep, false);
    assert!(
        matches!(report.result, ImportResult::Replaced { .. }),
        "{report:?}"
    );
    assert_eq!(ceiling_of_6_4(&mut store), "800000.00");
}

#[test]
fn the_next_year_renamed_and_recognised_again_lists_each_fact() {
    for file in [
        "record-changes/ptsp-2021-next-year.xlsx",
        "record-changes/libreoffice/ptsp-2021-next-year.xlsx",
        "record-changes/libreoffice/ptsp-2021-next-year.xls",
    ] {
        let mut store = stored();
        let report = import(&mut store, file, RecordChoice::Unchosen, false);
        let ImportResult::Differs { differences } = &report.result else {
            panic!("{file}: {:?}", report.result);
        };
        let fields: Vec<RecordField> = differences.iter().map(|d| d.field).collect();
        assert_eq!(
            fields,
            [
                RecordField::ContactPhone,
                RecordField::PlatformName,
                RecordField::RecognizedOn,
                RecordField::PaidInCapital
            ],
            "{file}"
        );
        assert_eq!(
            differences[2].to_string(),
            "认定日期：登记为“2019年7月15日”，申报表为“2021年3月18日”"
        );
        assert_eq!(store.case_count().expect("count"), 1, "{file}");

        let kept = import(&mut store, file, RecordChoice::Keep, true);
        let shown = kept.case_file.as_ref().expect("case file");
        assert_eq!(shown["platform"]["recognized_on"], "2019-07-15", "{file}");
        assert_eq!(shown["year"], 2021);

        let report = import(&mut store, file, RecordChoice::Update, false);
        let ImportResult::Created { case_no } = &report.result else {
            panic!("{file}: {:?}", report.result);
        };
        assert_eq!(case_no, "PTSP-2021-0001");
        let case = store.case_by_no(case_no).expect("case");
        let platform = store.platform(case.platform_id).expect("platform");
        assert_eq!(platform.name, "中山市智能制造与工业设计公共服务平台");
        assert_eq!(platform.recognized_on.to_string(), "2021-03-18");
        assert_eq!(
            store.platforms(None, None).expect("list").len(),
            1,
            "renamed, not added"
        );
        let file_json = desk_api::case_file(&store, case.id).expect("case file");
        assert_eq!(file_json["platform"]["paid_in_capital"], "12000000.00");
    }
}

#[test]
fn names_typed_otherwise_only_in_width_and_spacing_are_no_difference() {
    for file in [
        "record-changes/ptsp-2020-names-as-typed.xlsx",
        "record-changes/libreoffice/ptsp-2020-names-as-typed.xlsx",
        "record-changes/libreoffice/ptsp-2020-names-as-typed.xls",
    ] {
        let mut store = stored();
        let report = import(&mut store, file, RecordChoice::Unchosen, false);
        assert!(
            matches!(report.result, ImportResult::Replaced { .. }),
            "{file}: {:?}",
            report.result
        );
        assert!(report.record.is_none());
        assert_eq!(
            store.platforms(None, None).expect("list").len(),
            1,
            "{file}"
        );
    }
}
