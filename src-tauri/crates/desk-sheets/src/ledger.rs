//! The ledger workbook (台账): one row per item with its case, applicant, clause and amounts, and a
//! summary by programme, clause and town. Text that begins with = + - @ is written as text with a
//! quote prefix, never as a formula (spreadsheet injection).

use std::collections::BTreeMap;

use desk_policy::ledger::LedgerRow;
use desk_policy::{Catalog, Money, Programme};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::template::{print_setup, width_units};

const DETAIL: &str = "台账明细";
const SUMMARY: &str = "汇总";

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    money_bold: Format,
    text: Format,
    quoted: Format,
    bold: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin)
            .set_text_wrap();
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header,
            money: Format::new().set_num_format("#,##0.00"),
            money_bold: Format::new().set_num_format("#,##0.00").set_bold(),
            text: Format::new(),
            quoted: Format::new().set_quote_prefix(),
            bold: Format::new().set_bold(),
        }
    }
}

/// The most characters Excel keeps in a cell (rust_xlsxwriter refuses more, in English).
pub const CELL_CHARS: usize = 32_767;
const CUT: &str = "…（已截断）";

/// A text as a cell can hold it: one longer than Excel's limit (every entrance now limits texts,
/// but a database may hold one stored before) is cut, and says so, rather than failing the
/// whole workbook.
pub fn cell_text(value: &str) -> std::borrow::Cow<'_, str> {
    // Bytes bound characters: most texts need no counting.
    if value.len() <= CELL_CHARS || value.chars().count() <= CELL_CHARS {
        return value.into();
    }
    let keep = CELL_CHARS - CUT.chars().count();
    let mut cut: String = value.chars().take(keep).collect();
    cut.push_str(CUT);
    cut.into()
}

/// Text, with Excel's quote prefix when it could be taken for a formula.
fn text(ws: &mut Worksheet, row: u32, col: u16, value: &str, f: &Formats) -> Result<(), XlsxError> {
    let format = if value.starts_with(['=', '+', '-', '@']) {
        &f.quoted
    } else {
        &f.text
    };
    ws.write_string_with_format(row, col, cell_text(value), format)
        .map(|_| ())
}

fn money(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Money>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        // Excel stores numbers as doubles; the text of the decimal is exact to the cent.
        Some(m) => ws
            .write_number_with_format(
                row,
                col,
                m.to_string().parse::<f64>().unwrap_or_default(),
                format,
            )
            .map(|_| ()),
        None => ws.write_blank(row, col, format).map(|_| ()),
    }
}

/// The ledger of `rows` as .xlsx bytes; `title` heads both sheets ("2022年度扶持资金台账").
pub fn ledger_workbook(
    rows: &[LedgerRow],
    title: &str,
    catalog: &Catalog,
) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    let failed = |e: XlsxError| format!("无法生成台账：{e}");
    write_detail(wb.add_worksheet(), rows, title, catalog, &f).map_err(failed)?;
    write_summary(wb.add_worksheet(), rows, title, catalog, &f).map_err(failed)?;
    wb.save_to_buffer()
        .map_err(|e| format!("无法生成台账：{e}"))
}

const DETAIL_HEADERS: [&str; 17] = [
    "序号",
    "案件编号",
    "政策",
    "申报年度",
    "批次",
    "状态",
    "申报单位",
    "统一社会信用代码",
    "镇街",
    "平台名称",
    "条款",
    "条款名称",
    "申请金额（元）",
    "最高可补助额（元）",
    "核定金额（元）",
    "已拨付（元）",
    "核减理由",
];

fn write_detail(
    ws: &mut Worksheet,
    rows: &[LedgerRow],
    title: &str,
    catalog: &Catalog,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(DETAIL)?;
    print_setup(ws);
    ws.write_string_with_format(0, 0, format!("{title}（明细）"), &f.title)?;
    let mut widths: Vec<u32> = DETAIL_HEADERS
        .iter()
        .map(|h| width_units(h).max(8))
        .collect();
    for (c, h) in DETAIL_HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.header)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        let title = catalog.clause_title(r.programme, &r.clause).to_string();
        ws.write_number(row, 0, (i + 1) as f64)?;
        let texts = [
            (1, r.case_no.as_str()),
            (2, r.programme.short_title()),
            (4, r.batch.as_str()),
            (5, r.status.as_str()),
            (6, r.applicant.as_str()),
            (7, r.credit_code.as_str()),
            (8, r.town.name()),
            (9, r.platform.as_str()),
            (10, r.clause.as_str()),
            (11, title.as_str()),
            (16, r.reason.as_str()),
        ];
        for (c, value) in texts {
            text(ws, row, c, value, f)?;
            widths[c as usize] = widths[c as usize].max(width_units(value).min(40));
        }
        ws.write_number(row, 3, f64::from(r.year))?;
        money(ws, row, 12, r.declared, &f.money)?;
        money(ws, row, 13, r.ceiling, &f.money)?;
        money(ws, row, 14, r.approved, &f.money)?;
        money(ws, row, 15, Some(r.paid), &f.money)?;
    }
    let total_row = 2 + rows.len() as u32;
    ws.write_string_with_format(total_row, 11, "合计", &f.bold)?;
    let sum =
        |pick: fn(&LedgerRow) -> Option<Money>| Some(rows.iter().filter_map(pick).sum::<Money>());
    money(ws, total_row, 12, sum(|r| r.declared), &f.money_bold)?;
    money(ws, total_row, 13, sum(|r| r.ceiling), &f.money_bold)?;
    money(ws, total_row, 14, sum(|r| r.approved), &f.money_bold)?;
    money(ws, total_row, 15, sum(|r| Some(r.paid)), &f.money_bold)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, f64::from((*w).max(10)))?;
    }
    ws.set_freeze_panes(2, 2)?;
    if !rows.is_empty() {
        ws.autofilter(
            1,
            0,
            1 + rows.len() as u32,
            (DETAIL_HEADERS.len() - 1) as u16,
        )?;
    }
    Ok(())
}

#[derive(Default)]
struct Totals {
    cases: std::collections::BTreeSet<String>,
    items: usize,
    ceiling: Money,
    approved: Money,
    paid: Money,
}

impl Totals {
    fn add(&mut self, r: &LedgerRow) {
        self.cases.insert(r.case_no.clone());
        self.items += 1;
        self.ceiling += r.ceiling.unwrap_or_default();
        self.approved += r.approved.unwrap_or_default();
        self.paid += r.paid;
    }
}

fn write_summary(
    ws: &mut Worksheet,
    rows: &[LedgerRow],
    title: &str,
    catalog: &Catalog,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(SUMMARY)?;
    print_setup(ws);
    ws.write_string_with_format(0, 0, format!("{title}（汇总）"), &f.title)?;
    let mut by_programme: BTreeMap<Programme, Totals> = BTreeMap::new();
    let mut by_clause: BTreeMap<(Programme, usize, String), Totals> = BTreeMap::new();
    let mut by_town: BTreeMap<desk_policy::Town, Totals> = BTreeMap::new();
    let mut all = Totals::default();
    for r in rows {
        by_programme.entry(r.programme).or_default().add(r);
        let order = catalog
            .programme(r.programme)
            .and_then(|p| p.clause(&r.clause))
            .map_or(usize::MAX, |c| c.order);
        by_clause
            .entry((r.programme, order, r.clause.clone()))
            .or_default()
            .add(r);
        by_town.entry(r.town).or_default().add(r);
        all.add(r);
    }
    let mut row = 2u32;
    let mut table = |ws: &mut Worksheet,
                     heading: &str,
                     first: &[&str],
                     lines: Vec<(Vec<String>, &Totals)>|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, heading, &f.bold)?;
        row += 1;
        let headers: Vec<&str> = first
            .iter()
            .copied()
            .chain([
                "案件数",
                "项目数",
                "最高可补助额（元）",
                "核定金额（元）",
                "已拨付（元）",
            ])
            .collect();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &f.header)?;
        }
        row += 1;
        for (labels, t) in lines {
            for (c, l) in labels.iter().enumerate() {
                text(ws, row, c as u16, l, f)?;
            }
            let c = first.len() as u16;
            ws.write_number(row, c, t.cases.len() as f64)?;
            ws.write_number(row, c + 1, t.items as f64)?;
            money(ws, row, c + 2, Some(t.ceiling), &f.money)?;
            money(ws, row, c + 3, Some(t.approved), &f.money)?;
            money(ws, row, c + 4, Some(t.paid), &f.money)?;
            row += 1;
        }
        row += 1;
        Ok(())
    };
    table(
        ws,
        "按政策",
        &["政策"],
        by_programme
            .iter()
            .map(|(p, t)| (vec![p.short_title().to_string()], t))
            .collect(),
    )?;
    table(
        ws,
        "按条款",
        &["政策", "条款", "条款名称"],
        by_clause
            .iter()
            .map(|((p, _, c), t)| {
                (
                    vec![
                        p.short_title().to_string(),
                        c.clone(),
                        catalog.clause_title(*p, c).to_string(),
                    ],
                    t,
                )
            })
            .collect(),
    )?;
    table(
        ws,
        "按镇街",
        &["镇街"],
        by_town
            .iter()
            .map(|(town, t)| (vec![town.name().to_string()], t))
            .collect(),
    )?;
    table(
        ws,
        "合计",
        &["全部"],
        vec![(vec!["合计".to_string()], &all)],
    )?;
    for (c, w) in [18u32, 10, 26, 10, 10, 20, 20, 20, 20].iter().enumerate() {
        ws.set_column_width(c as u16, f64::from(*w))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, open_workbook_auto_from_rs};

    /// A text longer than a cell holds (stored before names were limited) is cut in its cell, and
    /// says so: the ledger is never refused for it (it was, in English, for everyone's year).
    #[test]
    fn a_text_longer_than_a_cell_is_cut_not_refused() {
        let row = LedgerRow {
            case_no: "PTSP-2020-0001".into(),
            programme: Programme::ZsPtsp2018,
            year: 2020,
            batch: String::new(),
            status: "已批准".into(),
            applicant: "某".repeat(1_750_000),
            credit_code: "91442000MA4W4K8L06".into(),
            town: desk_policy::Town::parse("小榄").expect("town"),
            platform: "平台".into(),
            seq: 1,
            clause: "6.2".into(),
            declared: None,
            ceiling: None,
            approved: None,
            paid: Money::ZERO,
            reason: "因".repeat(40_000),
        };
        let bytes =
            ledger_workbook(&[row], "2020年度扶持资金台账", Catalog::embedded()).expect("a ledger");
        let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("read");
        let name = book.sheet_names()[0].clone();
        let sheet = book.worksheet_range(&name).expect("sheet");
        let cut: Vec<String> = sheet
            .used_cells()
            .map(|(_, _, v)| v.to_string())
            .filter(|t| t.chars().count() > 1_000)
            .collect();
        assert_eq!(cut.len(), 2, "the applicant and the reason");
        for text in cut {
            assert_eq!(text.chars().count(), CELL_CHARS);
            assert!(text.ends_with("…（已截断）"));
        }
        assert_eq!(cell_text("中山市某公司"), "中山市某公司");
    }
}
