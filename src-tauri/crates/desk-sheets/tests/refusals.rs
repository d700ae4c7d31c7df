//! #13: refusals that were wrong or did not help. Each fixture of `fixtures/submissions/refusals/`
//! is read as typed and as re-saved through LibreOffice (.xlsx and .xls): it reads as the applicant
//! meant it, or is refused with the exact message, in the cell, saying what to type.

mod common;

use common::*;
use desk_policy::Town;
use desk_sheets::{ReadError, Submission};

const FOLDER: &str = "refusals";

/// Every variant refused with exactly `expected`.
fn refused(name: &str, expected: &[&str]) {
    for f in variants(FOLDER, name) {
        let got: Vec<String> = match read_fixture(&f) {
            Ok(_) => panic!("{f}: read without errors"),
            Err(ReadError::Cells(errors, _)) => errors.iter().map(ToString::to_string).collect(),
            Err(other) => vec![other.to_string()],
        };
        assert_eq!(got, expected, "{f}");
    }
}

fn good() -> Submission {
    read_fixture("ptsp-2020-good.xlsx").expect("good")
}

#[test]
fn the_sheets_of_clauses_not_declared_may_be_deleted() {
    let good = good();
    for (file, s) in each_read(FOLDER, "undeclared-sheets-deleted.xlsx") {
        assert_eq!(s.case_file(), good.case_file(), "{file}");
        assert!(s.notes.is_empty(), "{file}: {:?}", s.notes);
    }
    // A clause declared 是 still needs its sheet.
    refused(
        "declared-sheet-deleted.xlsx",
        &["6.14a 首台套装备补贴: 缺少工作表“6.14a 首台套装备补贴”（请勿删除或改名模板中的工作表）"],
    );
}

#[test]
fn an_answer_that_contradicts_the_rows_is_named_in_its_cell() {
    refused(
        "answered-no-with-rows.xlsx",
        &[
            "申报事项!D3: 第6.2条（租赁经营场地补助）答“否”，但工作表“6.2 租赁经营场地补助”填写了2行：如申报本条，请把“否”改为“是”；如不申报，请删除该表中填写的行",
        ],
    );
    refused(
        "answered-yes-without-rows.xlsx",
        &[
            "申报事项!D3: 第6.2条（租赁经营场地补助）答“是”，但工作表“6.2 租赁经营场地补助”没有填写：请在该表填写申报的内容，或把“是”改为“否”",
        ],
    );
}

#[test]
fn a_merged_cell_across_rows_is_refused_as_merged() {
    refused(
        "merged-cells.xlsx",
        &[
            "6.2 租赁经营场地补助!C4: 第4行与第5行的C列（起始月份）是合并单元格，请取消合并并在每行分别填写",
        ],
    );
}

#[test]
fn a_merged_answer_or_basic_cell_is_refused_as_merged() {
    refused(
        "merged-answer.xlsx",
        &["申报事项!D3: 第3行与第4行的D列（是否申报）是合并单元格，请取消合并并在每行分别填写"],
    );
    refused(
        "merged-basic.xlsx",
        &["基本信息!B7: 第7行与第8行的B列（填写内容）是合并单元格，请取消合并并在每行分别填写"],
    );
}

#[test]
fn a_count_with_its_columns_unit_is_read_and_shown() {
    let good = good();
    for (file, s) in each_read(FOLDER, "count-with-its-unit.xlsx") {
        assert_eq!(s.case_file(), good.case_file(), "{file}: 12次 is 12");
        assert_eq!(
            s.notes,
            ["6.12 服务企业补助!C5: 服务次数填写为“12次”，读作 12"],
            "{file}"
        );
    }
    refused(
        "count-with-another-unit.xlsx",
        &["6.12 服务企业补助!C5: 服务次数：请只填数字，如 12（本列单位为次，收到“12家”）"],
    );
}

#[test]
fn a_year_typed_with_nian_is_the_year() {
    let good = good();
    for (file, s) in each_read(FOLDER, "year-with-nian.xlsx") {
        assert_eq!(s.year, 2020, "{file}");
        assert_eq!(s.case_file(), good.case_file(), "{file}");
        assert!(s.notes.is_empty(), "{file}: {:?}", s.notes);
    }
}

#[test]
fn a_towns_former_name_is_read_as_its_name_now_and_said() {
    for (file, s) in each_read(FOLDER, "former-town-name.xlsx") {
        assert_eq!(
            s.applicant.town,
            Town::parse("石岐街道").expect("town"),
            "{file}"
        );
        assert_eq!(
            s.notes,
            ["基本信息!B5: 所在镇街填写为“石岐区”（旧称），已按现名读作“石岐街道”"],
            "{file}"
        );
    }
}

#[test]
fn identical_rows_are_judged_by_what_a_sheet_lists() {
    // Two leases alike in every column: the same lease twice, or two that are one row.
    refused(
        "identical-leases.xlsx",
        &[
            "6.2 租赁经营场地补助!A5: 与第4行完全相同：如为重复填写，请删除第5行；如确为两处面积、租金和期限都相同的场地，请合并为一行，租赁面积填两处之和",
        ],
    );
    // Two sets sold the same day at the same price are two units; the officer is told.
    for (file, s) in each_read(FOLDER, "identical-units.xlsx") {
        assert_eq!(s.case.items[0].lists[0].1.len(), 2, "{file}");
        assert_eq!(
            s.notes,
            [
                "6.14a 首台套装备补贴!A5: 第4行与第5行完全相同，已按两项分别读取；如为重复填写，请删除第5行"
            ],
            "{file}"
        );
    }
}

#[test]
fn error_values_are_quoted_as_excel_shows_them() {
    let formula = "6.5 贷款贴息!B4: 第4行“实付利息（元）”单元格 B4 含公式，显示为错误值 #DIV/0!：请删除公式，直接填写实际数值";
    for f in variants(FOLDER, "formula-errors.xlsx") {
        let got = match read_fixture(&f) {
            Err(ReadError::Cells(errors, _)) => {
                errors.iter().map(ToString::to_string).collect::<Vec<_>>()
            }
            other => panic!("{f}: {other:?}"),
        };
        // A pasted error value as typed; LibreOffice keeps it as the formula `=#REF!`.
        let pasted = if f.contains("libreoffice") {
            "6.2 租赁经营场地补助!A5: 第5行“租赁面积（m²）”单元格 A5 含公式，显示为错误值 #REF!：请删除公式，直接填写实际数值"
        } else {
            "6.2 租赁经营场地补助!A5: 租赁面积（m²）：单元格显示错误值 #REF!（公式出错的结果），请直接填写实际数值"
        };
        assert_eq!(got, [pasted, formula], "{f}");
    }
}

#[test]
fn an_invisible_character_in_a_code_is_named_where_it_is() {
    refused(
        "zero-width-in-code.xlsx",
        &["基本信息!B3: 统一社会信用代码：第5位后有一个看不见的零宽空格（U+200B），请删除"],
    );
}
