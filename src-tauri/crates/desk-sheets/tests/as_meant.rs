//! #13: every entry read as the applicant meant it, or refused with its cell; never read as
//! something else in silence. Each fixture of `fixtures/submissions/as-meant/` is read as typed and
//! as re-saved through LibreOffice (.xlsx and .xls), and must give the same case or message.

mod common;

use common::*;
use desk_sheets::{ReadError, Submission};
use serde_json::json;

const FOLDER: &str = "as-meant";

fn variants(name: &str) -> Vec<String> {
    common::variants(FOLDER, name)
}

fn read(file: &str) -> Result<Submission, ReadError> {
    read_fixture(file)
}

fn each_read(name: &str) -> Vec<(String, Submission)> {
    common::each_read(FOLDER, name)
}

fn each_refused(name: &str) -> Vec<(String, Vec<String>)> {
    variants(name)
        .into_iter()
        .map(|f| match read(&f) {
            Ok(_) => panic!("{f}: read without errors"),
            Err(ReadError::Cells(errors, _)) => {
                (f, errors.iter().map(ToString::to_string).collect())
            }
            Err(other) => (f, vec![other.to_string()]),
        })
        .collect()
}

#[test]
fn a_unit_typed_in_the_cell_wins_over_the_headers() {
    let clean = read("as-meant/unit-in-cell-clean.xlsx").expect("clean");
    for (file, s) in each_read("unit-in-cell.xlsx") {
        assert_eq!(s.case_file(), clean.case_file(), "{file}");
        let items = s.case_file()["items"].clone();
        assert_eq!(
            items[0]["loans"][0]["principal"],
            json!("1000000"),
            "{file}"
        );
        assert_eq!(
            items[0]["loans"][1]["principal"],
            json!("3000000"),
            "{file}"
        );
        assert_eq!(items[1]["units"][0]["price"], json!("3000000"), "{file}");
        assert_eq!(
            s.notes,
            [
                "6.5 贷款贴息!A5: 贷款本金填写为“3000000元”，按单元格所写的元读作 3000000 元（本列单位为万元）",
            ],
            "{file}"
        );
    }
}

#[test]
fn a_money_label_of_the_basic_sheet_gives_its_unit() {
    for (file, s) in each_read("capital-in-wanyuan.xlsx") {
        assert_eq!(
            s.applicant,
            ptsp_applicant(),
            "{file}: 800 万元 is 8,000,000 元"
        );
    }
}

#[test]
fn months_pasted_as_numbers_are_read_when_they_can_only_be_one() {
    let good = read("ptsp-2020-good.xlsx").expect("good");
    for (file, s) in each_read("month-as-number.xlsx") {
        assert_eq!(
            s.case_file(),
            good.case_file(),
            "{file}: 2020.01 and 2020.12"
        );
    }
    for (file, got) in each_refused("month-ambiguous.xlsx") {
        assert_eq!(
            got,
            [
                "6.2 租赁经营场地补助!C4: 起始月份：是数字 2020.1，不能确定是 2020年1月还是 2020年10月；请填写为“2020-01”或“2020-10”"
            ],
            "{file}"
        );
    }
    for (file, got) in each_refused("date-as-number.xlsx") {
        assert_eq!(
            got,
            [
                "6.6 智能改造方案补助!B4: 方案采纳日期：是数字 2020.0302，不是日期；请按“2021-03-05”的格式填写日期"
            ],
            "{file}"
        );
    }
}

#[test]
fn names_addresses_and_reasons_are_kept_as_typed() {
    for (file, s) in each_read("full-width-names.xlsx") {
        assert_eq!(s.applicant.name, "华晟（中山）智能装备有限公司", "{file}");
        assert_eq!(s.applicant.address, "火炬开发区祥兴路６号（B栋）", "{file}");
        assert_eq!(
            s.applicant.platform_name, "华晟（中山）智能制造公共服务平台",
            "{file}"
        );
        assert_eq!(
            s.case_file()["items"][0]["reason"],
            json!("总部迁入中山，带动就业300人！详见附件。"),
            "{file}"
        );
    }
}

#[test]
fn an_amount_finer_than_a_fen_is_refused_in_its_cell() {
    for (file, got) in each_refused("finer-than-fen.xlsx") {
        assert_eq!(
            got,
            ["6.5 贷款贴息!B4: 实付利息（元）：金额最多保留两位小数（精确到分），收到“1200.505”"],
            "{file}"
        );
    }
}
