//! Writes `fixtures/submissions/refusals/`: workbooks the import once refused wrongly or unhelpfully
//! (#13), each as an applicant leaves it; `refusals/libreoffice/` holds the same re-saved through
//! LibreOffice as .xlsx and .xls (`fixtures/submissions/resave.sh refusals`).
//! `cargo test -p desk-sheets --test generate_refusals -- --ignored`.

mod common;

use std::fs;
use std::io::{Read, Write};

use common::*;
use desk_policy::{Catalog, Programme};
use desk_sheets::template::{BASIC_SHEET, DECLARE_SHEET, INFO_SHEET, TemplateSpec};
use desk_sheets::{Applicant, SubmittedItem};
use rust_xlsxwriter::{Format, Formula, Workbook};

const LEASES: &str = "6.2 租赁经营场地补助";
const SERVICES: &str = "6.12 服务企业补助";

fn workbook(applicant: &Applicant, year: i32, items: &[SubmittedItem]) -> Workbook {
    filled(applicant, year, items)
}

fn path(name: &str) -> std::path::PathBuf {
    fixtures().join("refusals").join(name)
}

/// The good ptsp workbook with one change made to it.
fn ptsp_with(name: &str, change: impl FnOnce(&mut Workbook)) {
    let mut wb = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    change(&mut wb);
    wb.save(path(name)).expect("save");
}

/// Rewrites one part of a saved workbook, for what rust_xlsxwriter cannot write (a pasted error
/// value: a cell of type `e` without a formula).
fn patch_part(name: &str, part: &str, change: impl FnOnce(String) -> String) {
    let bytes = fs::read(path(name)).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut change = Some(change);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("part");
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("inflate");
        let name = file.name().expect("name").to_string();
        if name == part
            && let Some(change) = change.take()
        {
            data = change(String::from_utf8(data).expect("xml")).into_bytes();
        }
        out.start_file(name, options).expect("start");
        out.write_all(&data).expect("write");
    }
    assert!(change.is_none(), "{name}: no part {part}");
    let bytes = out.finish().expect("finish").into_inner();
    fs::write(path(name), bytes).expect("write");
}

/// The worksheet part of a sheet, in the order rust_xlsxwriter writes them.
fn sheet_part(wb_sheets: &[&str], sheet: &str) -> String {
    let n = wb_sheets.iter().position(|s| *s == sheet).expect("sheet") + 1;
    format!("xl/worksheets/sheet{n}.xml")
}

#[test]
#[ignore = "rewrites fixtures/submissions/refusals"]
fn generate_refusals() {
    fs::create_dir_all(path("")).expect("folder");
    let catalog = Catalog::embedded();
    let full = TemplateSpec::new(catalog, Programme::ZsPtsp2018, None).expect("spec");

    // The full template, the sheets of the clauses not declared deleted: the hidden sheet still
    // lists every clause of the programme.
    // (The full template's 基本信息 asks every platform fact; the rows are found by their label.)
    ptsp_with("undeclared-sheets-deleted.xlsx", |wb| {
        let ws = wb.worksheet_from_name(INFO_SHEET).expect("sheet");
        ws.write_string(2, 1, full.clauses.join(",")).expect("w");
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(40, 0, "是否由市外迁入总部").expect("w");
        ws.write_string(40, 1, "否").expect("w");
        ws.write_string(41, 0, "信息系统上线日期").expect("w");
    });
    // The same, but one clause declared 是 (6.3) whose sheet was deleted too.
    ptsp_with("declared-sheet-deleted.xlsx", |wb| {
        let ws = wb.worksheet_from_name(INFO_SHEET).expect("sheet");
        ws.write_string(2, 1, full.clauses.join(",")).expect("w");
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(40, 0, "是否由市外迁入总部").expect("w");
        ws.write_string(40, 1, "否").expect("w");
        ws.write_string(41, 0, "信息系统上线日期").expect("w");
        let ws = wb.worksheet_from_name(DECLARE_SHEET).expect("sheet");
        ws.write_string(7, 0, "6.14a").expect("w");
        ws.write_string(7, 3, "是").expect("w");
        ws.write_number(7, 4, 200000.0).expect("w");
    });

    // 申报事项 says 否 for 6.2 (row 3), but its sheet has its two leases.
    ptsp_with("answered-no-with-rows.xlsx", |wb| {
        let ws = wb.worksheet_from_name(DECLARE_SHEET).expect("sheet");
        ws.write_string(2, 3, "否").expect("w");
    });
    // 申报事项 says 是 for 6.2, but its sheet's rows were cleared.
    ptsp_with("answered-yes-without-rows.xlsx", |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        for row in 3..5 {
            for col in 0..4 {
                ws.write_blank(row, col, &Format::new()).expect("w");
            }
        }
    });

    // Two leases of the same months, their 起始月份 merged into one cell across rows 4 and 5.
    ptsp_with("merged-cells.xlsx", |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_string(4, 2, "2020-01").expect("w");
        ws.merge_range(3, 2, 4, 2, "2020-01", &Format::new())
            .expect("merge");
    });

    // The same elsewhere: 申报事项's 是 merged over two clauses' rows (6.2 and 6.4), 基本信息's
    // 联系人 and 联系电话 merged into one cell.
    ptsp_with("merged-answer.xlsx", |wb| {
        let ws = wb.worksheet_from_name(DECLARE_SHEET).expect("sheet");
        ws.merge_range(2, 3, 3, 3, "是", &Format::new())
            .expect("merge");
    });
    ptsp_with("merged-basic.xlsx", |wb| {
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.merge_range(6, 1, 7, 1, "陈秀英 0760-88880001", &Format::new())
            .expect("merge");
    });

    // 服务次数 typed with its unit: 12次 is the column's own unit; 12家 is not.
    ptsp_with("count-with-its-unit.xlsx", |wb| {
        let ws = wb.worksheet_from_name(SERVICES).expect("sheet");
        ws.write_string(4, 2, "12次").expect("w");
    });
    ptsp_with("count-with-another-unit.xlsx", |wb| {
        let ws = wb.worksheet_from_name(SERVICES).expect("sheet");
        ws.write_string(4, 2, "12家").expect("w");
    });

    // 申报年度 typed 2020年; 所在镇街 by its former name, 石岐区.
    ptsp_with("year-with-nian.xlsx", |wb| {
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(15, 1, "2020年").expect("w");
    });
    let mut shiqi = ptsp_applicant();
    shiqi.town = desk_policy::Town::parse("石岐街道").expect("town");
    let mut wb = workbook(&shiqi, 2020, &ptsp_items());
    wb.worksheet_from_name(BASIC_SHEET)
        .expect("sheet")
        .write_string(4, 1, "石岐区")
        .expect("w");
    wb.save(path("former-town-name.xlsx")).expect("save");

    // Identical rows: two leases alike in every column (suspicious: the same lease twice), and
    // two 首台套 units alike (two sets sold the same day at the same price are two real units).
    ptsp_with("identical-leases.xlsx", |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_number(4, 0, 1200.0).expect("w");
        ws.write_number(4, 1, 45.0).expect("w");
        ws.write_string(4, 2, "2020-01").expect("w");
        ws.write_string(4, 3, "2020-12").expect("w");
    });
    let units = vec![SubmittedItem {
        clause: "6.14a".into(),
        units: serde_json::json!({"units": [
            {"kind": "set", "price": "3000000", "date": "2020-06-18"},
            {"kind": "set", "price": "3000000", "date": "2020-06-18"}
        ]}),
        requested: Some("500000".parse().expect("money")),
    }];
    workbook(&ptsp_applicant(), 2020, &units)
        .save(path("identical-units.xlsx"))
        .expect("save");

    // Formula errors: 6.5's 实付利息 a formula showing #DIV/0!, and 6.2's 租赁面积 an error pasted as
    // a value (选择性粘贴→数值 of a cell showing #REF!): a cell of type e without a formula.
    ptsp_with("formula-errors.xlsx", |wb| {
        wb.worksheet_from_name("6.5 贷款贴息")
            .expect("sheet")
            .write_formula(3, 1, Formula::new("=1/0").set_result("#DIV/0!"))
            .expect("w");
        wb.worksheet_from_name(LEASES)
            .expect("sheet")
            .write_formula(4, 0, Formula::new("=#REF!*2").set_result("#REF!"))
            .expect("w");
    });
    let sheets = [
        "填报说明",
        BASIC_SHEET,
        DECLARE_SHEET,
        LEASES,
        "6.5 贷款贴息",
        "6.6 智能改造方案补助",
        SERVICES,
    ];
    let leases = sheet_part(&sheets, LEASES);
    patch_part("formula-errors.xlsx", &leases, |xml| {
        let f = "<f>#REF!*2</f>";
        assert!(xml.contains(f), "{xml}");
        xml.replace(f, "")
    });

    // A zero-width space (U+200B) after the 5th character of the credit code, as pasted from a web page.
    ptsp_with("zero-width-in-code.xlsx", |wb| {
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(2, 1, "91442\u{200B}000MA4W4K8L06")
            .expect("w");
    });
}
