//! Hostile workbooks: zip bombs (a part that inflates far beyond any submission, its declared size
//! honest or a lie), in the sheet the import reads, in the shared strings, in a part it never reads,
//! and many parts each under the limit. Each is refused with its message, never read whole. The
//! small ones are kept in `fixtures/submissions/hostile/` (written by `generate_fixtures`); the
//! gigabyte ones are built here, in memory, in well under a second each. What each costs a whole
//! process is measured in `desk-cli/tests/memory.rs`.

mod common;

use common::*;
use desk_policy::Catalog;
use desk_sheets::hostile::{Content, rebuild};
use desk_sheets::{ReadError, read_submission};

const GIB: u64 = 1 << 30;
/// The 6.2 租赁经营场地补助 sheet of ptsp-2020-good.xlsx.
const LEASES_PART: &str = "xl/worksheets/sheet4.xml";

fn refused(bytes: &[u8]) -> String {
    match read_submission(bytes, Catalog::embedded()) {
        Err(ReadError::Refused(message)) => message,
        other => panic!("not refused: {other:?}"),
    }
}

fn part_message(part: &str) -> String {
    format!(
        "申报表中的“{part}”解压后超过 32 MB，不像正常的申报表，未导入。请用本局下发的申报模板重新填写、保存后再提交。"
    )
}

const TOTAL_MESSAGE: &str = "申报表解压后合计超过 128 MB，不像正常的申报表，未导入。请用本局下发的申报模板重新填写、保存后再提交。";

fn good() -> Vec<u8> {
    std::fs::read(fixtures().join("ptsp-2020-good.xlsx")).expect("fixture")
}

/// The kept fixtures, each with its message.
#[test]
fn kept_bombs_are_refused_by_name() {
    for (file, message) in [
        ("sheet-bomb.xlsx", part_message(LEASES_PART)),
        ("sheet-bomb-lying.xlsx", part_message(LEASES_PART)),
        (
            "strings-bomb-lying.xlsx",
            part_message("xl/sharedStrings.xml"),
        ),
        (
            "unread-part-bomb-lying.xlsx",
            part_message("xl/media/image1.png"),
        ),
        ("many-parts.xlsx", TOTAL_MESSAGE.to_string()),
    ] {
        let bytes = std::fs::read(fixtures().join("hostile").join(file)).expect(file);
        assert!(bytes.len() < 300 << 10, "{file}: {} bytes", bytes.len());
        assert_eq!(refused(&bytes), message, "{file}");
    }
}

/// Gigabytes from a few megabytes, built at test time.
#[test]
fn gigabyte_bombs_are_refused_without_reading_them() {
    let base = good();
    let cases: Vec<(&str, Content, String)> = vec![
        // 6 GiB from ~6 MB, declaring 100 KB (its size cannot be written without ZIP64).
        (
            LEASES_PART,
            Content::sheet_bomb(6 * GIB, Some(100_000), false),
            part_message(LEASES_PART),
        ),
        // 3.5 GiB, declared honestly: refused before anything is inflated.
        (
            LEASES_PART,
            Content::sheet_bomb(7 * GIB / 2, None, false),
            part_message(LEASES_PART),
        ),
        (
            "xl/sharedStrings.xml",
            Content::strings_bomb(2 * GIB, Some(9_067), false),
            part_message("xl/sharedStrings.xml"),
        ),
        (
            "docProps/thumbnail.jpeg",
            Content::zeros(GIB, Some(4_000), false),
            part_message("docProps/thumbnail.jpeg"),
        ),
    ];
    for (part, content, message) in cases {
        let bytes = rebuild(&base, &[(part, content)]);
        assert!(bytes.len() < 8 << 20, "{part}: {} bytes", bytes.len());
        let started = std::time::Instant::now();
        assert_eq!(refused(&bytes), message, "{part}");
        println!(
            "{part}: {} bytes refused in {:?}",
            bytes.len(),
            started.elapsed()
        );
    }
}

/// A workbook that passes the lean reader's limits but not calamine's way in (a CDATA section
/// sends the sheet to calamine): the same limits, the same message.
#[test]
fn the_calamine_path_has_the_same_limits() {
    let base = good();
    let bytes = rebuild(
        &base,
        &[
            (
                "xl/worksheets/sheet2.xml",
                Content::Bytes(
                    desk_sheets::hostile::part_text(&base, "xl/worksheets/sheet2.xml")
                        .replacen("<sheetData>", "<sheetData><![CDATA[x]]>", 1)
                        .into_bytes(),
                ),
            ),
            (
                "xl/media/image1.png",
                Content::zeros(GIB, Some(4_000), false),
            ),
        ],
    );
    assert_eq!(refused(&bytes), part_message("xl/media/image1.png"));
}

fn hostile(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("hostile").join(name)).expect(name)
}

fn cell_lines(bytes: &[u8]) -> Vec<String> {
    match read_submission(bytes, Catalog::embedded()) {
        Err(ReadError::Cells(errors, _)) => errors.iter().map(ToString::to_string).collect(),
        other => panic!("no cell errors: {other:?}"),
    }
}

const FORMULA_LINES: [&str; 3] = [
    "基本信息!B4: “企业名称”单元格 B4 含公式，请把公式改为数值（复制后“选择性粘贴→数值”）",
    "申报事项!E3: 第3行“申请金额(元)”单元格 E3 含公式，请把公式改为数值（复制后“选择性粘贴→数值”）",
    "6.2 租赁经营场地补助!A4: 第4行“租赁面积（m²）”单元格 A4 含公式，请把公式改为数值（复制后“选择性粘贴→数值”）",
];

/// A formula's cached value is whatever Excel last computed (`<f>10*10</f><v>99999</v>` would
/// import 99999): in a cell the applicant fills in, it is refused, the cell named.
#[test]
fn formulas_in_filled_cells_are_refused_by_cell() {
    assert_eq!(cell_lines(&hostile("formulas.xlsx")), FORMULA_LINES);
}

/// The same cells when calamine reads the workbook (a CDATA section in a sheet leaves it to it).
#[test]
fn calamine_finds_the_same_formulas() {
    let bytes = hostile("formulas.xlsx");
    let info = "xl/worksheets/sheet8.xml";
    let text = desk_sheets::hostile::part_text(&bytes, info).replacen(
        "<sheetData>",
        "<sheetData><![CDATA[x]]>",
        1,
    );
    let bytes = rebuild(&bytes, &[(info, Content::Bytes(text.into_bytes()))]);
    assert_eq!(cell_lines(&bytes), FORMULA_LINES);
}

#[test]
fn links_to_other_workbooks_are_refused() {
    assert_eq!(
        refused(&hostile("external-link.xlsx")),
        "申报表含外部链接（公式引用了其他工作簿），未导入。请在 Excel 中“数据→编辑链接→断开链接”，或把公式改为数值（复制后“选择性粘贴→数值”），保存后重新提交。"
    );
}

/// Macros are never run: the cells' values are read and the officer told.
#[test]
fn macros_are_noted_and_not_run() {
    let submission = read_submission(&hostile("macros.xlsm"), Catalog::embedded()).expect("read");
    assert_eq!(submission.notes, [desk_sheets::read::MACROS_IGNORED]);
    assert_eq!(submission.applicant.name, ptsp_applicant().name);
    let plain = read_submission(&good(), Catalog::embedded()).expect("read");
    assert!(plain.notes.is_empty());
}

/// Texts are held to the one rule (`desk_policy::text`) as they are read, each in its cell.
#[test]
fn long_and_invisible_texts_are_refused_in_their_cells() {
    assert_eq!(
        cell_lines(&hostile("long-name.xlsx")),
        ["基本信息!B4: 企业名称过长：共 1750003 个字，最多 100 个字，请精简后重新填写"]
    );
    assert_eq!(
        cell_lines(&hostile("invisible-characters.xlsx")),
        [
            "基本信息!B4: 企业名称含不可见的控制字符（U+202E），请删除后重新填写",
            "基本信息!B6: 地址含不可见的控制字符（U+0001），请删除后重新填写",
            "基本信息!B7: 联系人只有看不见的字符（U+200B），请填写实际内容",
            "基本信息!B8: 联系电话含不可见的控制字符（U+2066），请删除后重新填写",
        ]
    );
}

/// A sheet is kept as the rectangle from its first to its last used cell: a cell in A1 and one in
/// XFD1048576 (a few bytes of XML) would ask for 550 GB. Refused, by either reader; and a sheet of
/// more non-empty cells than any submission has (1,000,001 tiny ones in 15 MB of XML).
#[test]
fn sheets_that_would_be_too_large_in_memory_are_refused() {
    let base = good();
    let sheet = desk_sheets::hostile::part_text(&base, LEASES_PART);
    let far = sheet.replacen(
        "</sheetData>",
        r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
        1,
    );
    let lean = rebuild(
        &base,
        &[(LEASES_PART, Content::Bytes(far.clone().into_bytes()))],
    );
    let full = rebuild(
        &base,
        &[(
            LEASES_PART,
            Content::Bytes(
                far.replacen("<sheetData>", "<sheetData><![CDATA[x]]>", 1)
                    .into_bytes(),
            ),
        )],
    );
    for bytes in [lean, full] {
        let message = refused(&bytes);
        assert!(
            message.starts_with(
                "申报表的工作表“6.2 租赁经营场地补助”中已填写的区域从 A1 到 XFD1048576，过大"
            ),
            "{message}"
        );
    }
    let cells = "<c><v>1</v></c>".repeat(1_000_001);
    let many = sheet.replacen(
        "</sheetData>",
        &format!(r#"<row r="30000">{cells}</row></sheetData>"#),
        1,
    );
    let bytes = rebuild(&base, &[(LEASES_PART, Content::Bytes(many.into_bytes()))]);
    assert_eq!(
        refused(&bytes),
        "申报表的工作表“6.2 租赁经营场地补助”有超过 1000000 个非空单元格（一份申报表每张明细表最多 20000 行），不像正常的申报表，未导入。"
    );
}

/// The parts this file patches by number are the sheets it means: a template that adds or moves a
/// sheet fails here, not in a test that patched the wrong one.
#[test]
fn the_parts_named_here_are_the_sheets_they_mean() {
    let good = Layout::from_bytes(&good());
    assert_eq!(good.part("6.2 租赁经营场地补助"), LEASES_PART);
    assert_eq!(
        good.part(desk_sheets::template::BASIC_SHEET),
        "xl/worksheets/sheet2.xml"
    );
    let formulas = Layout::from_bytes(&hostile("formulas.xlsx"));
    assert_eq!(
        formulas.part(desk_sheets::template::INFO_SHEET),
        "xl/worksheets/sheet8.xml"
    );
}
