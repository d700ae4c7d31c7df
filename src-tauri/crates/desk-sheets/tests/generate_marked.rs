//! Writes `fixtures/submissions/marked/`: refused workbooks an applicant has worked on the way people
//! do (rows inserted above a header, a sheet renamed, columns and sheets of their own, formulas,
//! merged cells, their own notes), each with one wrong cell, and in `marked/clean/` the same workbook
//! without it: the value the test writes into the marked copy's flagged cells (tests/marked.rs).
//! `cargo test -p desk-sheets --test generate_marked -- --ignored`, then
//! `fixtures/submissions/resave.sh marked`. `marked/broken-libreoffice/` holds broken/'s workbooks
//! (those LibreOffice opens) re-saved the same way, as .xlsx and .xls: `soffice --headless
//! --convert-to xlsx:"Calc MS Excel 2007 XML"` (and `xls:"MS Excel 97"`) of each, by hand.

mod common;

use std::fs;
use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use common::*;
use desk_policy::Catalog;
use desk_sheets::fill::filled_workbook;
use desk_sheets::template::BASIC_SHEET;
use rust_xlsxwriter::{Format, Formula, Note, Workbook};

const LEASES: &str = "6.2 租赁经营场地补助";
const LOANS: &str = "6.5 贷款贴息";

fn good() -> Workbook {
    filled_workbook(
        Catalog::embedded(),
        programme_of(&ptsp_applicant()),
        &ptsp_applicant(),
        2020,
        &ptsp_items(),
    )
    .expect("workbook")
}

/// The good workbook's cells of one sheet, as calamine reads them.
fn cells_of(sheet: &str) -> Vec<(u32, u32, Data)> {
    let bytes = good().save_to_buffer().expect("bytes");
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("reads");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .cells()
        .map(|(r, c, v)| (r as u32, c as u32, v.clone()))
        .collect()
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &Data) {
    match v {
        Data::Float(n) => ws.write_number(r, c, *n).map(|_| ()),
        Data::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
        Data::Empty => Ok(()),
        other => ws.write_string(r, c, other.to_string()).map(|_| ()),
    }
    .expect("write");
}

/// Writes `marked/<name>` with the change and the wrong cell, `marked/clean/<name>` with the change only.
fn both(name: &str, change: impl Fn(&mut Workbook), wrong: impl Fn(&mut Workbook)) {
    let dir = fixtures().join("marked");
    fs::create_dir_all(dir.join("clean")).expect("folder");
    let mut clean = good();
    change(&mut clean);
    clean.save(dir.join("clean").join(name)).expect("save");
    let mut broken = good();
    change(&mut broken);
    wrong(&mut broken);
    broken.save(dir.join(name)).expect("save");
}

fn text(sheet: &'static str, r: u32, c: u16, t: &'static str) -> impl Fn(&mut Workbook) {
    move |wb| {
        wb.worksheet_from_name(sheet)
            .expect("sheet")
            .write_string(r, c, t)
            .expect("w");
    }
}

/// Two rows of the applicant's own above the leases' header: everything below moves down two.
fn rows_inserted(wb: &mut Workbook) {
    let cells = cells_of(LEASES);
    let ws = wb.worksheet_from_name(LEASES).expect("sheet");
    for (r, c, _) in &cells {
        ws.clear_cell(*r, *c as u16);
    }
    for (r, c, v) in &cells {
        put(ws, r + 2, *c as u16, v);
    }
    ws.write_string(0, 0, "中山市某智能制造公共服务平台有限公司 · 租赁场地明细")
        .expect("w");
    ws.write_string(1, 0, "（企业自加：以下两处场地均已备案）")
        .expect("w");
}

fn extra_columns(wb: &mut Workbook) {
    let ws = wb.worksheet_from_name(LEASES).expect("sheet");
    ws.write_string(2, 6, "备注").expect("w");
    ws.write_string(3, 6, "一期厂房，合同编号 ZS-2019-118")
        .expect("w");
    ws.write_string(4, 6, "二期办公楼").expect("w");
    ws.write_string(2, 7, "月租金（元）").expect("w");
    ws.write_formula(3, 7, Formula::new("=A4*B4").set_result("54000"))
        .expect("w");
    ws.write_formula(4, 7, Formula::new("=A5*B5").set_result("18631"))
        .expect("w");
    let own = wb.add_worksheet();
    own.set_name("企业自备说明").expect("name");
    own.merge_range(0, 0, 1, 3, "场地情况说明（企业自备）", &Format::new())
        .expect("merge");
    own.write_string(2, 0, "合计面积").expect("w");
    own.write_formula(
        2,
        1,
        Formula::new("=SUM('6.2 租赁经营场地补助'!A4:A5)").set_result("1500.5"),
    )
    .expect("w");
}

fn merged(wb: &mut Workbook) {
    let ws = wb.worksheet_from_name(LEASES).expect("sheet");
    ws.merge_range(
        0,
        6,
        1,
        9,
        "以上场地租金均按月支付，发票齐全",
        &Format::new(),
    )
    .expect("merge");
    let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
    ws.merge_range(40, 0, 40, 2, "填表人：陈秀英  2021年3月1日", &Format::new())
        .expect("merge");
}

fn notes(wb: &mut Workbook) {
    let ws = wb.worksheet_from_name(LEASES).expect("sheet");
    ws.insert_note(3, 0, &Note::new("面积以租赁合同为准").set_author("陈秀英"))
        .expect("note");
    ws.insert_note(4, 3, &Note::new("合同至2020年底").set_author("陈秀英"))
        .expect("note");
    let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
    ws.insert_note(2, 1, &Note::new("营业执照上的代码").set_author("陈秀英"))
        .expect("note");
}

fn renamed(wb: &mut Workbook) {
    wb.worksheet_from_name(LOANS)
        .expect("sheet")
        .set_name("6.5 贷款贴息（2020年）")
        .expect("rename");
}

#[test]
#[ignore = "rewrites fixtures/submissions/marked"]
fn generate_marked() {
    both(
        "rows-above-header.xlsx",
        rows_inserted,
        text(LEASES, 5, 0, "约200"),
    );
    both(
        "renamed-sheet.xlsx",
        renamed,
        text("6.5 贷款贴息（2020年）", 3, 1, "二十一万"),
    );
    both(
        "extra-columns-formulas.xlsx",
        extra_columns,
        text(LEASES, 4, 1, "六十二"),
    );
    both(
        "merged-cells.xlsx",
        merged,
        text(BASIC_SHEET, 4, 1, "天河区"),
    );
    // The wrong cell has the applicant's own note; so has another of the same sheet.
    both("own-notes.xlsx", notes, text(LEASES, 3, 0, "约1200"));
    both(
        "everything.xlsx",
        |wb| {
            rows_inserted(wb);
            renamed(wb);
            merged(wb);
            notes(wb);
        },
        |wb| {
            text(LEASES, 6, 1, "待定")(wb);
            text("6.5 贷款贴息（2020年）", 3, 1, "二十一万")(wb);
            text(BASIC_SHEET, 2, 1, "91442000MA4W4K8L07")(wb);
        },
    );
}
