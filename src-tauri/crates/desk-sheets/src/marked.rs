//! The marked-up copy for 补正: the applicant's own workbook with every wrong cell filled red and its
//! message as a cell note, plus a 错误清单 sheet linking to each one, so the officer can send it back
//! for correction. Nothing else of the workbook changes (src/inplace.rs); a legacy .xls or an .ods,
//! which cannot be edited so, becomes a new .xlsx holding every sheet's cells, and its list says so.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use desk_policy::Catalog;
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use crate::cells::text_of;
use crate::ledger::cell_text;
use crate::read::CellError;
use crate::template::{INFO_SHEET, width_units};

pub const ERRORS_SHEET: &str = "错误清单";

/// The sheet an error names, as the workbook has it: that name, or for a clause's sheet the
/// applicant renamed keeping its clause id (which the reader accepts, and reports under the
/// template's name) the one sheet whose name starts with that id.
pub fn sheet_in(names: &[String], sheet: &str) -> Option<String> {
    if names.iter().any(|n| n == sheet) {
        return Some(sheet.to_string());
    }
    let (clause, _) = sheet.split_once(' ')?;
    let prefix = format!("{clause} ");
    let mut found = names.iter().filter(|n| n.starts_with(&prefix));
    let first = found.next()?;
    found.next().is_none().then(|| first.clone())
}

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
        Data::Bool(b) => ws.write_boolean_with_format(row, col, *b, f).map(|_| ()),
        // The text as the applicant typed it (never normalised: the copy is read again).
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => ws
            .write_string_with_format(row, col, cell_text(s), f)
            .map(|_| ()),
        other => ws
            .write_string_with_format(row, col, cell_text(&text_of(other)), f)
            .map(|_| ()),
    }
}

/// The marked-up copy as .xlsx bytes. An .xlsx/.xlsm is the applicant's own package with marks
/// added (src/inplace.rs): every other cell, sheet and part as it was. An .xls or .ods cannot be
/// edited so; its copy is a new .xlsx with every cell's value of every sheet, and says so.
/// `catalog` is no longer needed (the copy is not rebuilt from the template); it stays in the
/// signature for now so the callers of both faces (and the fuzz target) are left as they are.
pub fn marked_copy(
    bytes: &[u8],
    errors: &[CellError],
    catalog: &Catalog,
) -> Result<Vec<u8>, String> {
    let _ = catalog;
    crate::read::guard_parser(|| marked(bytes, errors))
        .map_err(|e| format!("无法生成标注副本：{e}"))
        .and_then(|r| r)
}

/// The 错误清单's first line.
fn title(errors: &[CellError], new_workbook: bool, macros: bool) -> String {
    let mut t = format!(
        "申报表有 {} 处需要修改（点击单元格位置可跳转）",
        errors.len()
    );
    if macros && !new_workbook {
        t.push_str("。原文件含宏（VBA），本副本为 .xlsx 格式，不含宏");
    }
    if new_workbook {
        t.push_str("。原文件不是 .xlsx 格式，无法在原表上标注：本副本是新建的 .xlsx 工作簿，保留了原表每个工作表各单元格的值（不含格式、公式和下拉列表），请在本副本或原表中修改后提交");
    }
    t
}

fn marked(bytes: &[u8], errors: &[CellError]) -> Result<Vec<u8>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("无法生成标注副本：{e}");
    crate::package::check(bytes).map_err(|e| fail(&e))?;
    if bytes.starts_with(b"PK") {
        // A package too unusual to edit safely (even one the editor trips on) gets its values in
        // a new workbook (below).
        let title = title(errors, false, crate::inplace::has_macros(bytes));
        if let Ok(Ok(copy)) =
            crate::read::guard_parser(|| crate::inplace::mark(bytes, errors, ERRORS_SHEET, &title))
        {
            return Ok(copy);
        }
    }
    rewritten(bytes, errors).map_err(|e| fail(&e))
}

/// A new workbook with every sheet's cells at their own places, the wrong ones marked.
fn rewritten(bytes: &[u8], errors: &[CellError]) -> Result<Vec<u8>, String> {
    let mut source: Sheets<Cursor<&[u8]>> =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut wb = Workbook::new();
    let wrong = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xC00000));
    let mut by_cell: HashMap<(String, u32, u16), Vec<&str>> = HashMap::new();
    let names = source.sheet_names();
    for e in errors {
        if let (Some((r, c)), Some(sheet)) = (parse_ref(&e.cell), sheet_in(&names, &e.sheet)) {
            by_cell.entry((sheet, r, c)).or_default().push(&e.message);
        }
    }
    for name in names.clone() {
        let range = source.worksheet_range(&name).unwrap_or_default();
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(|e| e.to_string())?;
        if name == INFO_SHEET {
            ws.set_hidden(true);
        }
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (start_row + r as u32, (start_col + c as u32) as u16);
                if !by_cell.contains_key(&(name.clone(), r, c)) {
                    write_value(ws, r, c, value, None).map_err(|e| e.to_string())?;
                }
            }
        }
        for ((sheet, r, c), messages) in &by_cell {
            if *sheet != name {
                continue;
            }
            let value = range
                .get_value((*r, u32::from(*c)))
                .cloned()
                .unwrap_or(Data::Empty);
            write_value(ws, *r, *c, &value, Some(&wrong)).map_err(|e| e.to_string())?;
            let note = Note::new(cell_text(&format!("需修改：{}", messages.join("\n"))))
                .set_author("扶持资金案件台")
                .set_width(320)
                .set_height(90);
            ws.insert_note(*r, *c, &note).map_err(|e| e.to_string())?;
        }
    }
    let list = wb.add_worksheet();
    write_error_list(list, errors, &title(errors, true, false), &names)
        .map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}

fn write_error_list(
    ws: &mut Worksheet,
    errors: &[CellError],
    title_text: &str,
    names: &[String],
) -> Result<(), XlsxError> {
    ws.set_name(ERRORS_SHEET)?;
    crate::template::print_setup(ws);
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_border(FormatBorder::Thin);
    ws.write_string_with_format(0, 0, title_text, &title)?;
    for (c, h) in ["序号", "工作表", "单元格", "问题"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header)?;
    }
    let mut widest = 20u32;
    for (i, e) in errors.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, &e.sheet)?;
        match sheet_in(names, &e.sheet) {
            Some(real) if !e.cell.is_empty() => {
                ws.write_url_with_text(
                    row,
                    2,
                    format!("internal:'{}'!{}", real.replace('\'', "''"), e.cell).as_str(),
                    &e.cell,
                )?;
            }
            _ if e.cell.is_empty() => {
                ws.write_string(row, 2, "—")?;
            }
            _ => {
                ws.write_string(row, 2, &e.cell)?;
            }
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
