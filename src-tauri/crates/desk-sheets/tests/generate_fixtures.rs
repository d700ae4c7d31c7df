//! Writes `fixtures/submissions/`: filled templates of both programmes, and broken ones that each
//! test one failure. `cargo test -p desk-sheets --test generate_fixtures -- --ignored`.

mod common;

use std::fs;

use common::*;
use desk_policy::{Catalog, Programme};
use desk_sheets::fill::filled_workbook;
use desk_sheets::template::{BASIC_SHEET, DECLARE_SHEET, INFO_SHEET, TemplateSpec};

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

/// A good ptsp workbook with one change made to it, at cells found in its layout.
fn ptsp_with(name: &str, change: impl FnOnce(&mut Workbook, &Layout)) {
    with(
        name,
        workbook(&ptsp_applicant(), 2020, &ptsp_items()),
        change,
    );
}

/// `wb` with one change made to it, at cells found in its layout.
fn with(name: &str, mut wb: Workbook, change: impl FnOnce(&mut Workbook, &Layout)) {
    let layout = Layout::of(&mut wb);
    change(&mut wb, &layout);
    save(name, wb);
}

const LEASES: &str = "6.2 租赁经营场地补助";
const LOANS: &str = "6.5 贷款贴息";
const SOLUTIONS: &str = "6.6 智能改造方案补助";
const SERVICES: &str = "6.12 服务企业补助";

/// Where a change is made: the `n`th data row of a clause sheet's column, 基本信息's value of a
/// row, or a 申报事项 column of a clause's row, each found by its label.
#[derive(Clone, Copy)]
enum At {
    Data(&'static str, &'static str, u32),
    Basic(&'static str),
    Declared(&'static str, &'static str),
}

impl At {
    fn cell(self, layout: &Layout) -> (&'static str, u32, u16) {
        match self {
            At::Data(sheet, header, n) => (
                sheet,
                layout.data_row(sheet, header, n),
                layout.column(sheet, header),
            ),
            At::Basic(label) => (
                BASIC_SHEET,
                layout.basic_row(label),
                layout.column(BASIC_SHEET, "填写内容"),
            ),
            At::Declared(clause, header) => (
                DECLARE_SHEET,
                layout.clause_row(clause),
                layout.column(DECLARE_SHEET, header),
            ),
        }
    }
}

fn write(wb: &mut Workbook, layout: &Layout, at: At, text: &str) {
    let (sheet, row, col) = at.cell(layout);
    wb.worksheet_from_name(sheet)
        .expect("sheet")
        .write_string(row, col, text)
        .expect("w");
}

fn write_number(wb: &mut Workbook, layout: &Layout, at: At, n: f64) {
    let (sheet, row, col) = at.cell(layout);
    wb.worksheet_from_name(sheet)
        .expect("sheet")
        .write_number(row, col, n)
        .expect("w");
}

fn write_blank(wb: &mut Workbook, layout: &Layout, at: At) {
    let (sheet, row, col) = at.cell(layout);
    wb.worksheet_from_name(sheet)
        .expect("sheet")
        .write_blank(row, col, &rust_xlsxwriter::Format::new())
        .expect("w");
}

/// A clause sheet's header cell, rewritten (e.g. its （元） typed as （万元））.
fn write_header(wb: &mut Workbook, layout: &Layout, sheet: &str, header: &str, text: &str) {
    let (row, col) = layout.header(sheet, header);
    wb.worksheet_from_name(sheet)
        .expect("sheet")
        .write_string(row, col, text)
        .expect("w");
}

/// A 基本信息 row's label, rewritten.
fn write_label(wb: &mut Workbook, layout: &Layout, label: &str, text: &str) {
    let row = layout.basic_row(label);
    wb.worksheet_from_name(BASIC_SHEET)
        .expect("sheet")
        .write_string(row, layout.column(BASIC_SHEET, "项目"), text)
        .expect("w");
}

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
    ptsp_with("ptsp-2020-as-typed.xlsx", |wb, l| {
        write_header(wb, l, LEASES, "租赁面积", "租赁面积（m²）*");
        write(wb, l, At::Data(LEASES, "租赁面积", 0), " １２００ ");
        write(wb, l, At::Data(LEASES, "起始月份", 0), "2020年1月");
        write(wb, l, At::Data(LEASES, "结束月份", 0), "2020/12");
        write(wb, l, At::Data(LEASES, "租赁面积", 2), "");
        write_header(wb, l, LOANS, "贷款本金", "贷款本金（万元）*");
        write_number(wb, l, At::Data(LOANS, "贷款本金", 0), 500.0);
        write(wb, l, At::Data(LOANS, "实付利息", 0), "210,000.00");
        write(wb, l, At::Data(LOANS, "贴息起始日", 0), "2020.1.1");
        write(wb, l, At::Data(LOANS, "贴息截止日", 0), "2020年12月31日");
        write(wb, l, At::Basic("统一社会信用代码"), "91442000ma4w4k8l06");
        write(wb, l, At::Basic("所在镇街"), "火炬");
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
    ptsp_with(&b("old-version.xlsx"), |wb, l| {
        let (row, col) = l.header(INFO_SHEET, "版本");
        wb.worksheet_from_name(INFO_SHEET)
            .expect("info")
            .write_string(row, col + 1, "2025.3")
            .expect("w");
    });
    // A filled workbook whose 6.5 sheet was renamed by the applicant.
    let mut missing_wb = workbook(&ptsp_applicant(), 2020, &ptsp_items());
    missing_wb
        .worksheet_from_name(LOANS)
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
    let cell =
        |at: At, text: &'static str| move |wb: &mut Workbook, l: &Layout| write(wb, l, at, text);
    let blank = |at: At| move |wb: &mut Workbook, l: &Layout| write_blank(wb, l, at);
    ptsp_with(&b("header-renamed.xlsx"), |wb, l| {
        write_header(wb, l, LEASES, "租赁面积", "面积")
    });
    ptsp_with(
        &b("text-in-amount.xlsx"),
        cell(At::Data(LEASES, "租赁面积", 0), "约200"),
    );
    ptsp_with(&b("negative-area.xlsx"), |wb, l| {
        write_number(wb, l, At::Data(LEASES, "租赁面积", 1), -300.5)
    });
    ptsp_with(
        &b("impossible-date.xlsx"),
        cell(At::Data(SOLUTIONS, "方案采纳日期", 0), "2020-02-30"),
    );
    ptsp_with(
        &b("bad-credit-code.xlsx"),
        cell(At::Basic("统一社会信用代码"), "91442000MA4W4K8L07"),
    );
    ptsp_with(
        &b("bad-served-credit-code.xlsx"),
        cell(
            At::Data(SOLUTIONS, "服务企业统一社会信用代码", 1),
            "91442000MATH3BJ1XG",
        ),
    );
    ptsp_with(&b("duplicate-row.xlsx"), |wb, l| {
        write_number(wb, l, At::Data(LEASES, "租赁面积", 2), 1200.0);
        write_number(wb, l, At::Data(LEASES, "实际月租金", 2), 45.0);
        write(wb, l, At::Data(LEASES, "起始月份", 2), "2020-01");
        write(wb, l, At::Data(LEASES, "结束月份", 2), "2020-12");
    });
    ptsp_with(
        &b("date-outside-year.xlsx"),
        cell(At::Data(SOLUTIONS, "方案采纳日期", 2), "2021-01-15"),
    );
    ptsp_with(
        &b("missing-required-cell.xlsx"),
        blank(At::Data(LEASES, "实际月租金", 1)),
    );
    ptsp_with(
        &b("unknown-town.xlsx"),
        cell(At::Basic("所在镇街"), "天河区"),
    );
    ptsp_with(&b("bad-category.xlsx"), cell(At::Basic("平台类别"), "99"));
    ptsp_with(
        &b("bad-month.xlsx"),
        cell(At::Data(LEASES, "起始月份", 0), "2020-13"),
    );
    ptsp_with(&b("from-after-to.xlsx"), |wb, l| {
        write(wb, l, At::Data(LEASES, "起始月份", 1), "2020-12");
        write(wb, l, At::Data(LEASES, "结束月份", 1), "2020-07");
    });
    ptsp_with(
        &b("bad-choice.xlsx"),
        cell(At::Data(SERVICES, "计算方式", 0), "按月"),
    );
    // 是否由市外迁入总部 is asked only by a template with a clause that reads it (6.13 总部搬迁).
    let mut relocating = ptsp_items();
    relocating.push(SubmittedItem {
        clause: "6.13".into(),
        units: serde_json::json!({"relocation_cost": "1000000"}),
        requested: Some("1000000".parse().expect("money")),
    });
    with(
        &b("bad-yes-no.xlsx"),
        workbook(&ptsp_applicant(), 2020, &relocating),
        cell(At::Basic("是否由市外迁入总部"), "可能"),
    );
    ptsp_with(&b("year-outside-programme.xlsx"), |wb, l| {
        write_number(wb, l, At::Basic("申报年度"), 2023.0)
    });
    ptsp_with(
        &b("text-in-year.xlsx"),
        cell(At::Basic("申报年度"), "二〇二〇"),
    );
    ptsp_with(
        &b("duplicate-served-enterprise.xlsx"),
        cell(
            At::Data(SERVICES, "服务企业统一社会信用代码", 1),
            "91442000MAAY4CL12L",
        ),
    );
    // 申请金额 left blank for a clause that carries money.
    ptsp_with(
        &b("missing-requested.xlsx"),
        blank(At::Declared("6.5", "申请金额")),
    );
    ptsp_with(
        &b("times-missing.xlsx"),
        blank(At::Data(SERVICES, "服务次数", 1)),
    );
    // A clause id typed into 申报事项 well below the template's clauses.
    ptsp_with(&b("unknown-declared-clause.xlsx"), |wb, l| {
        let row = 20;
        assert!(l.after_clauses() <= row, "row 21 is below the clauses");
        wb.worksheet_from_name(DECLARE_SHEET)
            .expect("sheet")
            .write_string(row, l.column(DECLARE_SHEET, "条款"), "7")
            .expect("w");
    });
    with(
        &b("nothing-declared.xlsx"),
        workbook(
            &ptsp_applicant(),
            2020,
            &[SubmittedItem {
                clause: "6.2".into(),
                units: serde_json::json!({}),
                requested: None,
            }],
        ),
        cell(At::Declared("6.2", "是否申报"), "否"),
    );
    with(
        &b("bad-level.xlsx"),
        workbook(&iip_applicant(), 2023, &iip_items()),
        cell(At::Basic("平台级别"), "省级平台"),
    );

    // A huge sheet: more rows than a submission may hold.
    ptsp_with(&b("huge-sheet.xlsx"), |wb, l| {
        let code = "服务企业统一社会信用代码";
        let (first, code_col) = (l.data_row(SOLUTIONS, code, 0), l.column(SOLUTIONS, code));
        let date_col = l.column(SOLUTIONS, "方案采纳日期");
        let ws = wb.worksheet_from_name(SOLUTIONS).expect("sheet");
        for r in 0..20_001u32 {
            ws.write_string(first + r, code_col, "91442000MAAY4CL12L")
                .expect("w");
            ws.write_string(
                first + r,
                date_col,
                format!("2020-{:02}-{:02}", 1 + r % 12, 1 + r % 28),
            )
            .expect("w");
        }
    });

    hostile();
}

#[test]
#[ignore = "rewrites fixtures/submissions/hostile"]
fn generate_hostile() {
    hostile();
}

/// `hostile/`: small zip bombs, each a good workbook with one part that inflates past the limit
/// (40 MiB from ~40 KB; the gigabyte ones are built at test time), CRCs right.
fn hostile() {
    use desk_sheets::hostile::{Content, rebuild};
    const MIB: u64 = 1 << 20;
    let base = fs::read(fixtures().join("ptsp-2020-good.xlsx")).expect("good");
    fs::create_dir_all(fixtures().join("hostile")).expect("folder");
    let write = |name: &str, changes: &[(&str, Content)]| {
        let path = fixtures().join("hostile").join(name);
        fs::write(&path, rebuild(&base, changes)).expect("write");
    };
    let layout = Layout::from_bytes(&base);
    let leases = layout.part(LEASES);
    let leases = leases.as_str();
    write(
        "sheet-bomb.xlsx",
        &[(leases, Content::sheet_bomb(40 * MIB, None, true))],
    );
    write(
        "sheet-bomb-lying.xlsx",
        &[(leases, Content::sheet_bomb(40 * MIB, Some(2_361), true))],
    );
    write(
        "strings-bomb-lying.xlsx",
        &[(
            "xl/sharedStrings.xml",
            Content::strings_bomb(40 * MIB, Some(9_067), true),
        )],
    );
    write(
        "unread-part-bomb-lying.xlsx",
        &[(
            "xl/media/image1.png",
            Content::zeros(40 * MIB, Some(4_000), true),
        )],
    );
    // Formulas in cells the applicant fills in (their cached values would be imported), a link
    // to another workbook, macros.
    // Each cell found as the generators find it, its text checked, and its element replaced.
    let edit = |at: At, was: &str, t: Option<&str>, to: &str| {
        let (sheet, row, col) = at.cell(&layout);
        assert_eq!(layout.text(sheet, row, col), was, "{sheet}");
        let part = layout.part(sheet);
        let text = desk_sheets::hostile::part_text(&base, &part);
        let patched = replace_cell(&text, &cell(row, col), t, to);
        (part, Content::Bytes(patched.into_bytes()))
    };
    let formulas = [
        edit(
            At::Basic("企业名称"),
            &ptsp_applicant().name,
            Some("str"),
            r#"<f>"中山市"&amp;"某公司"</f><v>中山市某公司</v>"#,
        ),
        edit(
            At::Declared("6.2", "申请金额"),
            "760000",
            None,
            "<f>10*10</f><v>99999</v>",
        ),
        edit(
            At::Data(LEASES, "租赁面积", 0),
            "1200",
            None,
            "<f>1000+200</f><v>1200</v>",
        ),
    ];
    let formulas: Vec<(&str, Content)> = formulas
        .iter()
        .map(|(n, c)| (n.as_str(), c.clone()))
        .collect();
    write("formulas.xlsx", &formulas);
    write(
        "external-link.xlsx",
        &[(
            "xl/externalLinks/externalLink1.xml",
            Content::Bytes(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"><sheetNames><sheet val="Sheet1"/></sheetNames></externalBook></externalLink>"#.to_vec()),
        )],
    );
    write(
        "macros.xlsm",
        &[(
            "xl/vbaProject.bin",
            Content::Bytes(b"not run: a VBA project's place".to_vec()),
        )],
    );

    // 申请金额 the database cannot keep: finer than a fen, more fen than it counts.
    for (name, amount) in [
        ("amount-finer-than-fen.xlsx", "760000.005"),
        ("amount-too-large.xlsx", "1e20"),
    ] {
        let mut items = ptsp_items();
        items[0].requested = Some(
            desk_policy::Money::from_scientific(amount)
                .or_else(|_| amount.parse())
                .expect("amount"),
        );
        let mut wb = workbook(&ptsp_applicant(), 2020, &items);
        wb.save(fixtures().join("hostile").join(name))
            .expect("save");
    }

    // Texts no one should keep: a name of 1.75 million characters; control characters, a bidi
    // override, a name of only zero-width spaces (and one with a zero-width space inside, kept
    // without it).
    let save_hostile = |name: &str, applicant: desk_sheets::Applicant| {
        let mut wb = workbook(&applicant, 2020, &ptsp_items());
        wb.save(fixtures().join("hostile").join(name))
            .expect("save");
    };
    // Excel (and rust_xlsxwriter) keep at most 32,767 characters in a cell; the XML can hold more.
    let strings = "xl/sharedStrings.xml";
    let name = format!("<t>{}</t>", ptsp_applicant().name);
    let long = desk_sheets::hostile::part_text(&base, strings).replacen(
        &name,
        &format!("<t>中山市{}</t>", "某".repeat(1_750_000)),
        1,
    );
    write(
        "long-name.xlsx",
        &[(strings, Content::Bytes(long.into_bytes()))],
    );
    let mut invisible = ptsp_applicant();
    invisible.name = "中山市\u{202E}某智能制造公司".into();
    invisible.address = "火炬开发区\u{1}祥兴路6号".into();
    invisible.contact_person = "\u{200B}\u{200B}\u{FEFF}".into();
    invisible.contact_phone = "\u{2066}0760-88880001".into();
    invisible.platform_name = "中山市\u{200B}智能制造公共服务平台".into();
    save_hostile("invisible-characters.xlsx", invisible);

    let parts: Vec<(String, Content)> = (1..=5)
        .map(|i| {
            (
                format!("xl/media/image{i}.png"),
                Content::zeros(30 * MIB, Some(4_000), true),
            )
        })
        .collect();
    let parts: Vec<(&str, Content)> = parts.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    write("many-parts.xlsx", &parts);
}

/// `as-meant/`: entries the import once read as other than the applicant meant (#13), each as
/// typed; `as-meant/libreoffice/` holds the same re-saved through LibreOffice as .xlsx and .xls
/// (`fixtures/submissions/resave.sh as-meant`).
#[test]
#[ignore = "rewrites fixtures/submissions/as-meant"]
fn generate_as_meant() {
    use serde_json::json;
    fs::create_dir_all(fixtures().join("as-meant")).expect("folder");
    let m = |name: &str| format!("as-meant/{name}");
    let money = |s: &str| Some(s.parse().expect("money"));
    let loans_and_units = vec![
        SubmittedItem {
            clause: "6.5".into(),
            units: json!({"loans": [
                {"principal": "1000000", "interest_paid": "42000", "from": "2020-01-01", "to": "2020-12-31"},
                {"principal": "3000000", "interest_paid": "126000", "from": "2020-01-01", "to": "2020-12-31"}
            ]}),
            requested: money("80000"),
        },
        SubmittedItem {
            clause: "6.14a".into(),
            units: json!({"units": [{"kind": "set", "price": "3000000", "date": "2020-06-18"}]}),
            requested: money("500000"),
        },
    ];
    // A unit typed in the cell under a （万元） header: the cell's unit wins.
    const UNITS: &str = "6.14a 首台套装备补贴";
    with(
        &m("unit-in-cell.xlsx"),
        workbook(&ptsp_applicant(), 2020, &loans_and_units),
        |wb, l| {
            write_header(wb, l, LOANS, "贷款本金", "贷款本金（万元）*");
            write(wb, l, At::Data(LOANS, "贷款本金", 0), "100万元");
            write(wb, l, At::Data(LOANS, "贷款本金", 1), "3000000元");
            write_header(wb, l, UNITS, "售价", "售价（万元）*");
            write(wb, l, At::Data(UNITS, "售价", 0), "300万元");
        },
    );
    // The same, clean: what it must read as.
    save(
        &m("unit-in-cell-clean.xlsx"),
        workbook(&ptsp_applicant(), 2020, &loans_and_units),
    );

    // 实缴注册资本（万元） as the instructions allow: 800 means 8,000,000 元.
    ptsp_with(&m("capital-in-wanyuan.xlsx"), |wb, l| {
        write_label(wb, l, "实缴注册资本", "实缴注册资本（万元）");
        write_number(wb, l, At::Basic("实缴注册资本"), 800.0);
    });

    // Months pasted as numbers: 2020.01 and 2020.12 are months; 2020.1 is January or October.
    ptsp_with(&m("month-as-number.xlsx"), |wb, l| {
        write_number(wb, l, At::Data(LEASES, "起始月份", 0), 2020.01);
        write_number(wb, l, At::Data(LEASES, "结束月份", 0), 2020.12);
    });
    ptsp_with(&m("month-ambiguous.xlsx"), |wb, l| {
        write_number(wb, l, At::Data(LEASES, "起始月份", 0), 2020.1)
    });
    // A number in a date cell that is no plausible date of the programme's years.
    ptsp_with(&m("date-as-number.xlsx"), |wb, l| {
        write_number(wb, l, At::Data(SOLUTIONS, "方案采纳日期", 0), 2020.0302)
    });

    // Names and reasons as typed: full-width brackets and punctuation are the legal name's.
    let mut applicant = ptsp_applicant();
    applicant.name = "华晟（中山）智能装备有限公司".into();
    applicant.address = "火炬开发区祥兴路６号（B栋）".into();
    applicant.platform_name = "华晟（中山）智能制造公共服务平台".into();
    let reason = vec![SubmittedItem {
        clause: "6.17".into(),
        units: json!({"amount": "2000000", "reason": "总部迁入中山，带动就业300人！详见附件。"}),
        requested: money("2000000"),
    }];
    save(
        &m("full-width-names.xlsx"),
        workbook(&applicant, 2020, &reason),
    );

    // An amount finer than a fen.
    ptsp_with(&m("finer-than-fen.xlsx"), |wb, l| {
        write(wb, l, At::Data(LOANS, "实付利息", 0), "1200.505")
    });
}
