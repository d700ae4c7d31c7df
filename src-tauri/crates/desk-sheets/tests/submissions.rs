//! The submission fixtures: every broken workbook gets its exact message; good ones (including a
//! legacy .xls and one typed as people type) read to the same case; a generated template filled in
//! programmatically reads back to exactly the case file that filled it; the marked-up copy names
//! and links every error.

mod common;

use std::io::Cursor;

use calamine::{Reader, open_workbook_auto_from_rs};
use common::*;
use desk_policy::{Case, Catalog, Programme, calculate};
use desk_sheets::fill::filled_workbook;
use desk_sheets::marked::ERRORS_SHEET;
use desk_sheets::{ReadError, TemplateSpec, marked_copy, read_submission};
use serde_json::{Value, json};

fn read(name: &str) -> Result<desk_sheets::Submission, ReadError> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    read_submission(&bytes, Catalog::embedded())
}

fn lines(err: &ReadError) -> Vec<String> {
    match err {
        ReadError::Cells(errors, _) => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

const REFUSED_DAMAGED: &str = "文件不是可读取的 Excel 工作簿（无法识别文件格式，文件可能已损坏、不完整，或不是 Excel 文件）。请用本局下发的申报模板填写，保存为工作簿（.xlsx、.xlsm、.xls、.ods）后再提交。";

/// Each broken fixture and the whole of what it must be told (first line when it has several).
const BROKEN: [(&str, &str); 30] = [
    ("not-a-workbook.xlsx", REFUSED_DAMAGED),
    ("truncated.xlsx", REFUSED_DAMAGED),
    (
        "wrong-template.xlsx",
        "这不是扶持资金申报模板（缺少模板标识“_模板信息”）。请下载模板（subsidy-desk template zs-ptsp-2018 或 zs-iip-2021）后重新填写。",
    ),
    (
        "old-version.xlsx",
        "此申报表使用的是旧版模板（版本 2025.3），当前版本为 2026.2。请下载新版模板（subsidy-desk template zs-ptsp-2018）后重新填写。",
    ),
    (
        "missing-sheet.xlsx",
        "6.5 贷款贴息: 缺少工作表“6.5 贷款贴息”（请勿删除或改名模板中的工作表）",
    ),
    (
        "empty-workbook.xlsx",
        "基本信息!B3: 统一社会信用代码不能为空",
    ),
    (
        "header-renamed.xlsx",
        "6.2 租赁经营场地补助!A3: 表头应为“租赁面积（m²）*”，收到“面积”（请勿修改模板的表头）",
    ),
    (
        "text-in-amount.xlsx",
        "6.2 租赁经营场地补助!A4: 租赁面积（m²）：必须为数字，收到“约200”",
    ),
    (
        "negative-area.xlsx",
        "6.2 租赁经营场地补助!A5: 租赁面积（m²）：必须为非负数字，收到“-300.5”",
    ),
    (
        "impossible-date.xlsx",
        "6.6 智能改造方案补助!B4: 方案采纳日期：“2020-02-30”不是存在的日期",
    ),
    (
        "bad-credit-code.xlsx",
        "基本信息!B3: 统一社会信用代码校验位错误：第18位应为“6”，收到“7”，请核对是否抄错（填写为“91442000MA4W4K8L07”）",
    ),
    (
        "bad-served-credit-code.xlsx",
        "6.6 智能改造方案补助!A5: 服务企业统一社会信用代码：统一社会信用代码校验位错误：第18位应为“F”，收到“G”，请核对是否抄错（填写为“91442000MATH3BJ1XG”）",
    ),
    (
        "duplicate-row.xlsx",
        "6.2 租赁经营场地补助!A6: 与第4行完全相同：如为重复填写，请删除第6行；如确为两处面积、租金和期限都相同的场地，请合并为一行，租赁面积填两处之和",
    ),
    (
        "date-outside-year.xlsx",
        "6.6 智能改造方案补助!B6: 日期 2021-01-15 不在申报年度 2020 年内",
    ),
    (
        "missing-required-cell.xlsx",
        "6.2 租赁经营场地补助!B5: 实际月租金（元/m²）不能为空",
    ),
    (
        "unknown-town.xlsx",
        "基本信息!B5: “天河区”不是中山市的镇街，可选：石岐街道、东区街道、西区街道、南区街道、五桂山街道、中山港街道、民众街道、南朗街道、黄圃镇、东凤镇、古镇镇、沙溪镇、坦洲镇、港口镇、三角镇、横栏镇、南头镇、阜沙镇、三乡镇、板芙镇、大涌镇、神湾镇、小榄镇",
    ),
    (
        "bad-category.xlsx",
        "基本信息!B10: 平台类别应为0–24（见《实施意见》三、建设重点），收到99",
    ),
    (
        "bad-level.xlsx",
        "基本信息!B10: 平台级别应为 benchmark（标杆平台）或 municipal（市级平台），收到“省级平台”",
    ),
    (
        "bad-month.xlsx",
        "6.2 租赁经营场地补助!C4: 起始月份：“2020-13”不是存在的月份",
    ),
    (
        "from-after-to.xlsx",
        "6.2 租赁经营场地补助!C5: 起始 2020-12 晚于结束 2020-07",
    ),
    (
        "bad-choice.xlsx",
        "6.12 服务企业补助!B4: 计算方式：应为 按企业、按次 之一，收到“按月”",
    ),
    (
        "bad-yes-no.xlsx",
        "基本信息!B14: 请填“是”或“否”，收到“可能”",
    ),
    (
        "year-outside-programme.xlsx",
        "基本信息!B14: 申报年度 2023 不在《实施意见》的申报年度（2018—2022）内",
    ),
    (
        "text-in-year.xlsx",
        "基本信息!B14: 申报年度应为四位年份，如 2020，收到“二〇二〇”",
    ),
    (
        "duplicate-served-enterprise.xlsx",
        "6.12 服务企业补助!A5: 企业 91442000MAAY4CL12L 重复申报：同一企业在一个案件中只能申报一次（已在 6.12 服务企业补助!A4 申报）",
    ),
    (
        "missing-requested.xlsx",
        "申报事项!E5: 申请金额：申报第6.5条（贷款贴息）必须填写申请金额",
    ),
    (
        "times-missing.xlsx",
        "6.12 服务企业补助!C5: 计算方式为“按次”（basis 为 time）时必须填写服务次数（times）",
    ),
    (
        "unknown-declared-clause.xlsx",
        "申报事项!A21: 本模板没有第“7”条",
    ),
    (
        "nothing-declared.xlsx",
        "申报事项: 没有申报任何条款：请在明细表中填写，或在“申报事项”中选择“是”",
    ),
    (
        "huge-sheet.xlsx",
        "6.6 智能改造方案补助: 明细有 20001 行，超过一份申报表最多 20000 行的限制，请核实是否误粘贴，或分批申报",
    ),
];

#[test]
fn every_broken_workbook_gets_its_exact_message() {
    let mut wrong = Vec::new();
    for (file, expected) in BROKEN {
        match read(&format!("broken/{file}")) {
            Ok(_) => wrong.push(format!("{file}: read without errors")),
            Err(err) => {
                let got = lines(&err);
                if got.first().map(String::as_str) != Some(expected) {
                    wrong.push(format!(
                        "{file}:\n  expected {expected}\n  got      {got:?}"
                    ));
                }
                // One failure each: only the empty workbook has several (its seven required cells).
                let n = if file == "empty-workbook.xlsx" { 7 } else { 1 };
                if got.len() != n {
                    wrong.push(format!("{file}: {n} message(s) expected, got {got:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let on_disk = std::fs::read_dir(fixtures().join("broken"))
        .expect("folder")
        .count();
    assert_eq!(
        on_disk,
        BROKEN.len(),
        "every broken fixture has its expected message here"
    );
}

fn items_json(items: &[desk_sheets::SubmittedItem]) -> Value {
    json!(
        items
            .iter()
            .map(|i| json!({"clause": i.clause, "units": i.units, "requested": i.requested}))
            .collect::<Vec<_>>()
    )
}

#[test]
fn good_workbooks_read_to_the_case_that_filled_them() {
    for (file, applicant, items) in [
        ("ptsp-2020-good.xlsx", ptsp_applicant(), ptsp_items()),
        ("legacy/ptsp-2020-good.xls", ptsp_applicant(), ptsp_items()),
        ("iip-2023-good.xlsx", iip_applicant(), iip_items()),
    ] {
        let s = read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(s.applicant, applicant, "{file}");
        assert_eq!(
            items_json(&s.submitted_items()),
            items_json(&items),
            "{file}"
        );
    }
}

#[test]
fn what_people_type_reads_the_same_as_the_clean_workbook() {
    let clean = read("ptsp-2020-good.xlsx").expect("good");
    let typed = read("ptsp-2020-as-typed.xlsx").expect("as typed");
    assert_eq!(typed.applicant, clean.applicant);
    assert_eq!(
        typed.case_file(),
        clean.case_file(),
        "万元, full-width digits, text dates and blank rows change nothing"
    );
}

#[test]
fn a_generated_template_filled_programmatically_round_trips_exactly() {
    let catalog = Catalog::embedded();
    for (applicant, year, items) in [
        (ptsp_applicant(), 2020, ptsp_items()),
        (iip_applicant(), 2023, iip_items()),
    ] {
        let programme = programme_of(&applicant);
        let bytes = filled_workbook(catalog, programme, &applicant, year, &items)
            .expect("fill")
            .save_to_buffer()
            .expect("save");
        let s = read_submission(&bytes, catalog).unwrap_or_else(|e| panic!("{e}"));
        let mut expected_items: Vec<Value> = items
            .iter()
            .map(|i| {
                let mut v = i.units.as_object().cloned().unwrap_or_default();
                v.insert("clause".into(), json!(i.clause));
                Value::Object(v)
            })
            .collect();
        expected_items.sort_by_key(|v| v["clause"].as_str().map(str::to_string));
        let mut got_items = s.case_file()["items"].as_array().cloned().expect("items");
        got_items.sort_by_key(|v| v["clause"].as_str().map(str::to_string));
        assert_eq!(got_items, expected_items, "{programme}");
        assert_eq!(s.case_file()["year"], year);
        assert_eq!(
            s.case_file()["platform"]["credit_code"],
            json!(applicant.credit_code)
        );
        // And it is exactly what the calculator reads.
        let case = Case::from_json(&s.case_file(), catalog).expect("case file");
        assert!(calculate(&case, catalog).expect("result").total > desk_policy::Money::ZERO);
    }
}

#[test]
fn templates_have_every_sheet_the_catalog_asks_for() {
    let catalog = Catalog::embedded();
    for programme in Programme::ALL {
        let spec = TemplateSpec::new(catalog, programme, None).expect("spec");
        let bytes = spec.to_bytes(catalog).expect("bytes");
        let wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("reads back");
        let names = wb.sheet_names();
        for expected in ["填报说明", "基本信息", "申报事项", "_模板信息"] {
            assert!(
                names.contains(&expected.to_string()),
                "{programme}: {expected}"
            );
        }
        for sheet in &spec.sheets {
            assert!(names.contains(&sheet.name), "{programme}: {}", sheet.name);
            assert!(sheet.name.chars().count() <= 31);
        }
        // Every money clause of the catalog is in the full template.
        let pc = catalog.programme(programme).expect("programme");
        assert_eq!(spec.clauses.len(), pc.clauses.len());
    }
    let some = TemplateSpec::new(
        catalog,
        Programme::ZsPtsp2018,
        Some(&["6.2".into(), "6.5".into()]),
    )
    .expect("spec");
    assert_eq!(some.sheets.len(), 2);
    let err = TemplateSpec::new(catalog, Programme::ZsPtsp2018, Some(&["4.4".into()]))
        .expect_err("not a ptsp clause");
    assert!(err.contains("没有第“4.4”条"), "{err}");
}

#[test]
fn the_marked_copy_lists_links_and_keeps_every_error() {
    let catalog = Catalog::embedded();
    let bytes = std::fs::read(fixtures().join("broken/text-in-amount.xlsx")).expect("read");
    let ReadError::Cells(errors, _) = read_submission(&bytes, catalog).expect_err("broken") else {
        panic!("cell errors expected");
    };
    let copy = marked_copy(&bytes, &errors, catalog).expect("copy");
    let mut wb = open_workbook_auto_from_rs(Cursor::new(copy.clone())).expect("reads back");
    let list = wb.worksheet_range(ERRORS_SHEET).expect("错误清单");
    let row: Vec<String> = (0..4)
        .map(|c| {
            list.get_value((2, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        row,
        [
            "1",
            "6.2 租赁经营场地补助",
            "A4",
            "租赁面积（m²）：必须为数字，收到“约200”"
        ]
    );
    // The copy is still the applicant's workbook: it reads back with the same error, and the note
    // with the message sits on the cell (comments part of the package).
    let again = read_submission(&copy, catalog).expect_err("still broken");
    assert_eq!(
        lines(&again),
        vec!["6.2 租赁经营场地补助!A4: 租赁面积（m²）：必须为数字，收到“约200”"]
    );
    let text = String::from_utf8_lossy(&copy);
    assert!(
        text.contains("xl/comments"),
        "the cell note is in the package"
    );
}

#[test]
fn what_the_fuzzer_found_gets_a_message_not_a_crash() {
    // A fuzzed copy of a broken submission whose extra sheet has a malformed <dimension>: calamine 0.38
    // subtracts past zero on it in builds with overflow checks. Reading reports the cell as usual;
    // the marked-up copy, which reads every sheet, must answer too, never crash.
    let bytes =
        std::fs::read(fixtures().join("fuzz/calamine-dimension-overflow.xlsx")).expect("read");
    let catalog = Catalog::embedded();
    let ReadError::Cells(errors, _) = read_submission(&bytes, catalog).expect_err("broken") else {
        panic!("cell errors expected");
    };
    assert!(!errors.is_empty());
    match marked_copy(&bytes, &errors, catalog) {
        Ok(copy) => assert_eq!(&copy[..2], b"PK"),
        Err(message) => assert!(message.starts_with("无法生成标注副本"), "{message}"),
    }
}

/// The version a workbook's _模板信息 names.
fn template_version(name: &str) -> String {
    let bytes = std::fs::read(fixtures().join(name)).expect("read");
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("workbook");
    let info = wb
        .worksheet_range(desk_sheets::template::INFO_SHEET)
        .expect("info");
    info.get_value((1, 1))
        .map(ToString::to_string)
        .expect("版本")
}

#[test]
fn workbooks_filled_in_the_2026_1_template_import_as_the_current_ones() {
    // Applicants keep filling in templates they downloaded before 2026.2: those workbooks (kept as
    // the generators wrote them then) import to exactly the case files of today's.
    for (old, new) in [
        ("template-2026.1/ptsp-2020-good.xlsx", "ptsp-2020-good.xlsx"),
        ("template-2026.1/iip-2023-good.xlsx", "iip-2023-good.xlsx"),
        (
            "template-2026.1/ptsp-2020-as-typed.xlsx",
            "ptsp-2020-as-typed.xlsx",
        ),
    ] {
        assert_eq!(template_version(old), "2026.1", "{old}");
        assert_eq!(
            template_version(new),
            desk_sheets::template::VERSION,
            "{new}"
        );
        let mut was = read(old).unwrap_or_else(|e| panic!("{old}: {e}"));
        let is = read(new).unwrap_or_else(|e| panic!("{new}: {e}"));
        let catalog = Catalog::embedded();
        let total = |s: &desk_sheets::Submission| calculate(&s.case, catalog).expect("result");
        assert_eq!(total(&was), total(&is), "{old}: what the calculator finds");
        // The one difference: 2026.1 asked every ptsp workbook for 信息系统上线日期, and these
        // applicants typed 2019-09-01; 2026.2 asks it only with a clause that reads it (6.16),
        // which none of theirs is. Said here, so that any other difference fails.
        let mut old_case = was.case_file();
        if old.contains("ptsp") {
            let platform = old_case["platform"].as_object_mut().expect("platform");
            assert_eq!(
                platform.remove("system_live_on"),
                Some(json!("2019-09-01")),
                "{old}"
            );
            was.applicant.system_live_on = None;
        }
        assert_eq!(old_case, is.case_file(), "{old}");
        assert_eq!(was.applicant, is.applicant, "{old}");
        assert_eq!(was.requested, is.requested, "{old}");
    }
}
