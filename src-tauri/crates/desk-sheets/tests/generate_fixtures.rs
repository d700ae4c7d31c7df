//! Writes `fixtures/submissions/`: filled templates of both programmes, and broken ones that each
//! test one failure. `cargo test -p desk-sheets --test generate_fixtures -- --ignored`.

mod common;

use std::fs;

use common::*;
use desk_policy::{Catalog, Programme};
use desk_sheets::fill::filled_workbook;
use desk_sheets::template::{BASIC_SHEET, INFO_SHEET, TemplateSpec};

use desk_sheets::{Applicant, SubmittedItem};
use rust_xlsxwriter::Workbook;

fn workbook(applicant: &Applicant, year: i32, items: &[SubmittedItem]) -> Workbook {
    filled_workbook(
        Catalog::embedded(),
        programme_of(applicant),
        applicant,
        year,
        items,
    )
    .expect("workbook")
}

fn save(name: &str, mut wb: Workbook) {
    let path = fixtures().join(name);
    wb.save(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// A good ptsp workbook with one change made to it.
fn ptsp_with(name: &str, change: impl FnOnce(&mut Workbook)) {
    let mut wb = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    change(&mut wb);
    save(name, wb);
}

const LEASES: &str = "6.2 租赁经营场地补助";
const SERVICES: &str = "6.12 服务企业补助";

#[test]
#[ignore = "rewrites fixtures/submissions"]
fn generate() {
    fs::create_dir_all(fixtures().join("broken")).expect("folder");
    save(
        "ptsp-2020-good.xlsx",
        workbook(&ptsp_applicant(), 2020, &ptsp_items()),
    );
    save(
        "iip-2023-good.xlsx",
        workbook(&iip_applicant(), 2023, &iip_items()),
    );

    // What people really type: 万元 headers, full-width digits, text dates, spaces, blank rows.
    ptsp_with("ptsp-2020-as-typed.xlsx", |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_string(2, 0, "租赁面积（m²）*").expect("w");
        ws.write_string(3, 0, " １２００ ").expect("w");
        ws.write_string(3, 2, "2020年1月").expect("w");
        ws.write_string(3, 3, "2020/12").expect("w");
        ws.write_string(5, 0, "").expect("w");
        let ws = wb.worksheet_from_name("6.5 贷款贴息").expect("sheet");
        ws.write_string(2, 0, "贷款本金（万元）*").expect("w");
        ws.write_number(3, 0, 500.0).expect("w");
        ws.write_string(3, 1, "210,000.00").expect("w");
        ws.write_string(3, 2, "2020.1.1").expect("w");
        ws.write_string(3, 3, "2020年12月31日").expect("w");
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(2, 1, "91442000ma4w4k8l06").expect("w");
        ws.write_string(4, 1, "火炬").expect("w");
    });
    // A corrected resubmission of the good workbook: one more solution.
    let mut corrected = ptsp_items();
    corrected[3].units["solutions"]
        .as_array_mut()
        .expect("list")
        .push(serde_json::json!(
        {"enterprise_credit_code": "91442000MAG612DD21", "adopted_on": "2020-10-08"}));
    save(
        "ptsp-2020-corrected.xlsx",
        workbook(&ptsp_applicant(), 2020, &corrected),
    );

    let b = |name: &str| format!("broken/{name}");
    // The file itself.
    fs::write(
        fixtures().join(b("not-a-workbook.xlsx")),
        "这是一份误存为 .xlsx 的文本文件，不是 Excel 工作簿。\n",
    )
    .expect("write");
    let good = fs::read(fixtures().join("ptsp-2020-good.xlsx")).expect("read");
    fs::write(
        fixtures().join(b("truncated.xlsx")),
        &good[..good.len() / 2],
    )
    .expect("write");
    let mut plain = Workbook::new();
    plain
        .add_worksheet()
        .write_string(0, 0, "企业自制的申报表")
        .expect("w");
    save(&b("wrong-template.xlsx"), plain);
    let mut old = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    old.worksheet_from_name(INFO_SHEET)
        .expect("info")
        .write_string(1, 1, "2025.3")
        .expect("w");
    save(&b("old-version.xlsx"), old);
    // A filled workbook whose 6.5 sheet was renamed by the applicant.
    let mut missing_wb = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    missing_wb
        .worksheet_from_name("6.5 贷款贴息")
        .expect("sheet")
        .set_name("贷款")
        .expect("rename");
    save(&b("missing-sheet.xlsx"), missing_wb);
    save(
        &b("empty-workbook.xlsx"),
        TemplateSpec::new(Catalog::embedded(), Programme::ZsPtsp2018, None)
            .expect("spec")
            .workbook(Catalog::embedded())
            .expect("wb"),
    );

    // One wrong cell each.
    let cell = |sheet: &'static str, row: u32, col: u16, text: &'static str| {
        move |wb: &mut Workbook| {
            wb.worksheet_from_name(sheet)
                .expect("sheet")
                .write_string(row, col, text)
                .expect("w");
        }
    };
    ptsp_with(&b("header-renamed.xlsx"), cell(LEASES, 2, 0, "面积"));
    ptsp_with(&b("text-in-amount.xlsx"), cell(LEASES, 3, 0, "约200"));
    ptsp_with(&b("negative-area.xlsx"), |wb| {
        wb.worksheet_from_name(LEASES)
            .expect("sheet")
            .write_number(4, 0, -300.5)
            .expect("w");
    });
    ptsp_with(
        &b("impossible-date.xlsx"),
        cell("6.6 智能改造方案补助", 3, 1, "2020-02-30"),
    );
    ptsp_with(
        &b("bad-credit-code.xlsx"),
        cell(BASIC_SHEET, 2, 1, "91442000MA4W4K8L07"),
    );
    ptsp_with(
        &b("bad-served-credit-code.xlsx"),
        cell("6.6 智能改造方案补助", 4, 0, "91442000MATH3BJ1XG"),
    );
    ptsp_with(&b("duplicate-row.xlsx"), |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_number(5, 0, 1200.0).expect("w");
        ws.write_number(5, 1, 45.0).expect("w");
        ws.write_string(5, 2, "2020-01").expect("w");
        ws.write_string(5, 3, "2020-12").expect("w");
    });
    ptsp_with(
        &b("date-outside-year.xlsx"),
        cell("6.6 智能改造方案补助", 5, 1, "2021-01-15"),
    );
    ptsp_with(&b("missing-required-cell.xlsx"), |wb| {
        wb.worksheet_from_name(LEASES)
            .expect("sheet")
            .write_blank(4, 1, &rust_xlsxwriter::Format::new())
            .expect("w");
    });
    ptsp_with(&b("unknown-town.xlsx"), cell(BASIC_SHEET, 4, 1, "天河区"));
    ptsp_with(&b("bad-category.xlsx"), cell(BASIC_SHEET, 9, 1, "99"));
    ptsp_with(&b("bad-month.xlsx"), cell(LEASES, 3, 2, "2020-13"));
    ptsp_with(&b("from-after-to.xlsx"), cell(LEASES, 4, 2, "2020-12"));
    ptsp_with(&b("from-after-to.xlsx"), |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_string(4, 2, "2020-12").expect("w");
        ws.write_string(4, 3, "2020-07").expect("w");
    });
    ptsp_with(&b("bad-choice.xlsx"), cell(SERVICES, 3, 1, "按月"));
    ptsp_with(&b("bad-yes-no.xlsx"), cell(BASIC_SHEET, 13, 1, "可能"));
    ptsp_with(&b("year-outside-programme.xlsx"), |wb| {
        wb.worksheet_from_name(BASIC_SHEET)
            .expect("sheet")
            .write_number(15, 1, 2023.0)
            .expect("w");
    });
    ptsp_with(
        &b("text-in-year.xlsx"),
        cell(BASIC_SHEET, 15, 1, "二〇二〇"),
    );
    ptsp_with(
        &b("duplicate-served-enterprise.xlsx"),
        cell(SERVICES, 4, 0, "91442000MAAY4CL12L"),
    );
    // 申请金额 left blank for a clause that carries money (6.5 is the template's third clause).
    ptsp_with(&b("missing-requested.xlsx"), |wb| {
        wb.worksheet_from_name("申报事项")
            .expect("sheet")
            .write_blank(4, 4, &rust_xlsxwriter::Format::new())
            .expect("w");
    });
    ptsp_with(&b("times-missing.xlsx"), |wb| {
        wb.worksheet_from_name(SERVICES)
            .expect("sheet")
            .write_blank(4, 2, &rust_xlsxwriter::Format::new())
            .expect("w");
    });
    ptsp_with(
        &b("unknown-declared-clause.xlsx"),
        cell("申报事项", 20, 0, "7"),
    );
    let mut nothing = workbook(
        &ptsp_applicant(),
        2020,
        &[SubmittedItem {
            clause: "6.2".into(),
            units: serde_json::json!({}),
            requested: None,
        }],
    );
    nothing
        .worksheet_from_name("申报事项")
        .expect("sheet")
        .write_string(2, 3, "否")
        .expect("w");
    save(&b("nothing-declared.xlsx"), nothing);
    let mut iip = workbook(&iip_applicant(), 2023, &iip_items());
    iip.worksheet_from_name(BASIC_SHEET)
        .expect("sheet")
        .write_string(9, 1, "省级平台")
        .expect("w");
    save(&b("bad-level.xlsx"), iip);

    // A huge sheet: more rows than a submission may hold.
    let mut huge = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    let ws = huge
        .worksheet_from_name("6.6 智能改造方案补助")
        .expect("sheet");
    for r in 0..20_001u32 {
        ws.write_string(3 + r, 0, "91442000MAAY4CL12L").expect("w");
        ws.write_string(
            3 + r,
            1,
            format!("2020-{:02}-{:02}", 1 + r % 12, 1 + r % 28),
        )
        .expect("w");
    }
    save(&b("huge-sheet.xlsx"), huge);
}
