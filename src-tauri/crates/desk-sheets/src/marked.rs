//! The marked-up copy for 补正: the submission rewritten into a fresh template with every wrong cell
//! filled red and its message as a cell note, plus a 错误清单 sheet linking to each one, so the
//! officer can send it back for correction.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use desk_policy::{Catalog, Programme};
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use crate::cells::text_of;
use crate::ledger::cell_text;
use crate::read::CellError;
use crate::template::{INFO_SHEET, TemplateSpec, width_units};

pub const ERRORS_SHEET: &str = "错误清单";

/// "C7" → (6, 2).
fn parse_ref(cell: &str) -> Option<(u32, u16)> {
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    let digits = &cell[letters.len()..];
    let row: u32 = digits.parse().ok()?;
    let col = letters
        .chars()
        .try_fold(0u32, |acc, c| Some(acc * 26 + (c as u32 - 'A' as u32 + 1)))?;
    (row >= 1 && col >= 1).then(|| (row - 1, (col - 1) as u16))
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Data,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let plain = Format::new();
    let f = format.unwrap_or(&plain);
    match value {
        Data::Float(n) => ws.write_number_with_format(row, col, *n, f).map(|_| ()),
        Data::Int(n) => ws
            .write_number_with_format(row, col, *n as f64, f)
            .map(|_| ()),
        Data::DateTime(d) => {
            let date_format = f.clone().set_num_format("yyyy-mm-dd");
            ws.write_number_with_format(row, col, d.as_f64(), &date_format)
                .map(|_| ())
        }
        Data::Empty => match format {
            Some(f) => ws.write_blank(row, col, f).map(|_| ()),
            None => Ok(()),
        },
        other => ws
            .write_string_with_format(row, col, cell_text(&text_of(other)), f)
            .map(|_| ()),
    }
}

/// The marked-up copy as .xlsx bytes. Needs a workbook of our template (the cells to mark are there).
pub fn marked_copy(
    bytes: &[u8],
    errors: &[CellError],
    catalog: &Catalog,
) -> Result<Vec<u8>, String> {
    crate::read::guard_parser(|| marked(bytes, errors, catalog))
        .map_err(|e| format!("无法生成标注副本：{e}"))
        .and_then(|r| r)
}

fn marked(bytes: &[u8], errors: &[CellError], catalog: &Catalog) -> Result<Vec<u8>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("无法生成标注副本：{e}");
    crate::package::check(bytes).map_err(|e| fail(&e))?;
    let mut source: Sheets<Cursor<&[u8]>> =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let info = source
        .worksheet_range(INFO_SHEET)
        .map_err(|_| fail(&"不是扶持资金申报模板"))?;
    let at = |r, c| info.get_value((r, c)).map(text_of).unwrap_or_default();
    let programme = Programme::parse(&at(0, 1)).map_err(|e| fail(&e))?;
    let clauses: Vec<String> = at(2, 1)
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let spec = TemplateSpec::new(catalog, programme, Some(&clauses)).map_err(|e| fail(&e))?;
    let mut wb: Workbook = spec.workbook(catalog).map_err(|e| fail(&e))?;

    let wrong = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xC00000));
    let mut by_cell: HashMap<(String, u32, u16), Vec<&str>> = HashMap::new();
    for e in errors {
        if let Some((r, c)) = parse_ref(&e.cell) {
            by_cell
                .entry((e.sheet.clone(), r, c))
                .or_default()
                .push(&e.message);
        }
    }
    let names: Vec<String> = source
        .sheet_names()
        .into_iter()
        .filter(|n| n != INFO_SHEET)
        .collect();
    for name in &names {
        let Ok(range) = source.worksheet_range(name) else {
            continue;
        };
        let Ok(ws) = wb.worksheet_from_name(name) else {
            continue; // a sheet the applicant added: not part of the template
        };
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (start_row + r as u32, (start_col + c as u32) as u16);
                // Keep the template's own title, text and headers; copy what the applicant filled.
                let is_template_text = r <= crate::template::HEADER_ROW
                    && !matches!(value, Data::Empty)
                    && name != crate::template::BASIC_SHEET
                    && name != crate::template::DECLARE_SHEET;
                if !is_template_text {
                    write_value(ws, r, c, value, None).map_err(|e| fail(&e))?;
                }
            }
        }
        for ((sheet, r, c), messages) in &by_cell {
            if sheet != name {
                continue;
            }
            let value = range
                .get_value((*r, u32::from(*c)))
                .cloned()
                .unwrap_or(Data::Empty);
            write_value(ws, *r, *c, &value, Some(&wrong)).map_err(|e| fail(&e))?;
            let note = Note::new(cell_text(&messages.join("\n")))
                .set_author("扶持资金案件台")
                .set_width(320)
                .set_height(90);
            ws.insert_note(*r, *c, &note).map_err(|e| fail(&e))?;
        }
    }
    let list = wb.add_worksheet();
    write_error_list(list, errors).map_err(|e| fail(&e))?;
    wb.save_to_buffer().map_err(|e| fail(&e))
}

fn write_error_list(ws: &mut Worksheet, errors: &[CellError]) -> Result<(), XlsxError> {
    ws.set_name(ERRORS_SHEET)?;
    crate::template::print_setup(ws);
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_border(FormatBorder::Thin);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "申报表有 {} 处需要修改（点击单元格位置可跳转）",
            errors.len()
        ),
        &title,
    )?;
    for (c, h) in ["序号", "工作表", "单元格", "问题"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header)?;
    }
    let mut widest = 20u32;
    for (i, e) in errors.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, &e.sheet)?;
        if e.cell.is_empty() {
            ws.write_string(row, 2, "—")?;
        } else {
            ws.write_url_with_text(
                row,
                2,
                format!("internal:'{}'!{}", e.sheet, e.cell).as_str(),
                &e.cell,
            )?;
        }
        ws.write_string(row, 3, cell_text(&e.message))?;
        widest = widest.max(width_units(&e.message));
    }
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 26)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, f64::from(widest.min(110)))?;
    ws.set_freeze_panes(2, 0)?;
    ws.set_tab_color(Color::RGB(0xC00000));
    ws.set_active(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_ref;

    #[test]
    fn references_back_to_positions() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("C7"), Some((6, 2)));
        assert_eq!(parse_ref("AA10"), Some((9, 26)));
        assert_eq!(parse_ref(""), None);
    }
}
