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
    let leases = "xl/worksheets/sheet4.xml";
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
    let edit = |part: &str, from: &str, to: &str| {
        let text = desk_sheets::hostile::part_text(&base, part);
        assert!(text.contains(from), "{part}: {from}");
        (
            part.to_string(),
            Content::Bytes(text.replace(from, to).into_bytes()),
        )
    };
    let formulas = [
        edit(
            "xl/worksheets/sheet2.xml",
            r#"<c r="B4" t="s"><v>22</v></c>"#,
            r#"<c r="B4" t="str"><f>"中山市"&amp;"某公司"</f><v>中山市某公司</v></c>"#,
        ),
        edit(
            "xl/worksheets/sheet3.xml",
            r#"<c r="E3" s="7"><v>760000</v></c>"#,
            r#"<c r="E3" s="7"><f>10*10</f><v>99999</v></c>"#,
        ),
        edit(
            leases,
            r#"<c r="A4" s="7"><v>1200</v></c>"#,
            r#"<c r="A4" s="7"><f>1000+200</f><v>1200</v></c>"#,
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
    let mut wb = workbook(&ptsp_applicant(), 2020, &loans_and_units);
    let ws = wb.worksheet_from_name("6.5 贷款贴息").expect("sheet");
    ws.write_string(2, 0, "贷款本金（万元）*").expect("w");
    ws.write_string(3, 0, "100万元").expect("w");
    ws.write_string(4, 0, "3000000元").expect("w");
    let ws = wb
        .worksheet_from_name("6.14a 首台套装备补贴")
        .expect("sheet");
    ws.write_string(2, 1, "售价（万元）*").expect("w");
    ws.write_string(3, 1, "300万元").expect("w");
    save(&m("unit-in-cell.xlsx"), wb);
    // The same, clean: what it must read as.
    save(
        &m("unit-in-cell-clean.xlsx"),
        workbook(&ptsp_applicant(), 2020, &loans_and_units),
    );

    // 实缴注册资本（万元） as the instructions allow: 800 means 8,000,000 元.
    ptsp_with(&m("capital-in-wanyuan.xlsx"), |wb| {
        let ws = wb.worksheet_from_name(BASIC_SHEET).expect("sheet");
        ws.write_string(11, 0, "实缴注册资本（万元）").expect("w");
        ws.write_number(11, 1, 800.0).expect("w");
    });

    // Months pasted as numbers: 2020.01 and 2020.12 are months; 2020.1 is January or October.
    ptsp_with(&m("month-as-number.xlsx"), |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_number(3, 2, 2020.01).expect("w");
        ws.write_number(3, 3, 2020.12).expect("w");
    });
    ptsp_with(&m("month-ambiguous.xlsx"), |wb| {
        let ws = wb.worksheet_from_name(LEASES).expect("sheet");
        ws.write_number(3, 2, 2020.1).expect("w");
    });
    // A number in a date cell that is no plausible date of the programme's years.
    ptsp_with(&m("date-as-number.xlsx"), |wb| {
        wb.worksheet_from_name("6.6 智能改造方案补助")
            .expect("sheet")
            .write_number(3, 1, 2020.0302)
            .expect("w");
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
    ptsp_with(&m("finer-than-fen.xlsx"), |wb| {
        wb.worksheet_from_name("6.5 贷款贴息")
            .expect("sheet")
            .write_string(3, 1, "1200.505")
            .expect("w");
    });
}
