//! Cells found by their labels in the workbook being generated, so that a fixture generator
//! writes where the template puts a field today, not where an older template put it: a 基本信息
//! row by its label, a clause sheet's column by its header, a 申报事项 row by its clause id, and the
//! `xl/worksheets/sheetN.xml` part and `B4`-style reference an XML edit patches.

use std::io::Cursor;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use desk_sheets::cells::cell_ref;
use desk_sheets::template::{BASIC_SHEET, DECLARE_SHEET};
use rust_xlsxwriter::Workbook;

/// The sheets of a workbook, in order, as calamine reads them.
pub struct Layout {
    sheets: Vec<(String, Range<Data>)>,
}

/// Cells of `range` with their absolute (row, column) and text.
fn texts(range: &Range<Data>) -> impl Iterator<Item = (u32, u32, String)> + '_ {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .map(move |(r, c, v)| (r0 + r as u32, c0 + c as u32, v.to_string()))
}

impl Layout {
    /// The layout of a workbook as it stands (it is saved to memory and read back).
    pub fn of(wb: &mut Workbook) -> Layout {
        Layout::from_bytes(&wb.save_to_buffer().expect("save to memory"))
    }

    pub fn from_bytes(bytes: &[u8]) -> Layout {
        let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("workbook");
        let sheets = wb
            .sheet_names()
            .into_iter()
            .map(|name| {
                let range = wb.worksheet_range(&name).expect("sheet");
                (name, range)
            })
            .collect();
        Layout { sheets }
    }

    fn sheet(&self, name: &str) -> &Range<Data> {
        self.sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
            .unwrap_or_else(|| panic!("no sheet “{name}”"))
    }

    /// The row of 基本信息 whose label (column A) starts with `label`, e.g. "实缴注册资本".
    pub fn basic_row(&self, label: &str) -> u32 {
        texts(self.sheet(BASIC_SHEET))
            .find(|(r, c, t)| *r >= 2 && *c == 0 && t.starts_with(label))
            .map(|(r, _, _)| r)
            .unwrap_or_else(|| panic!("{BASIC_SHEET}: no row “{label}”"))
    }

    /// The (header row, column) of the first cell of `sheet` whose text starts with `header`
    /// (a clause sheet's title and clause text start otherwise).
    pub fn header(&self, sheet: &str, header: &str) -> (u32, u16) {
        texts(self.sheet(sheet))
            .filter(|(_, _, t)| t.starts_with(header))
            .min_by_key(|(r, c, _)| (*r, *c))
            .map(|(r, c, _)| (r, c as u16))
            .unwrap_or_else(|| panic!("{sheet}: no header “{header}”"))
    }

    /// The column of `sheet` whose header starts with `header`.
    pub fn column(&self, sheet: &str, header: &str) -> u16 {
        self.header(sheet, header).1
    }

    /// The `n`th (0-based) data row under the header `header` of `sheet`.
    pub fn data_row(&self, sheet: &str, header: &str, n: u32) -> u32 {
        self.header(sheet, header).0 + 1 + n
    }

    /// The row of 申报事项 that declares `clause` (its column A reads the clause's id).
    pub fn clause_row(&self, clause: &str) -> u32 {
        texts(self.sheet(DECLARE_SHEET))
            .find(|(r, c, t)| *r >= 2 && *c == 0 && t == clause)
            .map(|(r, _, _)| r)
            .unwrap_or_else(|| panic!("{DECLARE_SHEET}: no clause “{clause}”"))
    }

    /// The first row of 申报事项 below its last clause.
    pub fn after_clauses(&self) -> u32 {
        texts(self.sheet(DECLARE_SHEET))
            .filter(|(_, c, _)| *c == 0)
            .map(|(r, _, _)| r + 1)
            .max()
            .unwrap_or(2)
    }

    /// The text of a cell ("" when empty).
    pub fn text(&self, sheet: &str, row: u32, col: u16) -> String {
        self.sheet(sheet)
            .get_value((row, u32::from(col)))
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// The package part of `sheet`: rust_xlsxwriter writes `sheetN.xml` in the workbook's order.
    pub fn part(&self, sheet: &str) -> String {
        let i = self
            .sheets
            .iter()
            .position(|(n, _)| n == sheet)
            .unwrap_or_else(|| panic!("no sheet “{sheet}”"));
        format!("xl/worksheets/sheet{}.xml", i + 1)
    }
}

/// "B4" of a zero-based row and column.
pub fn cell(row: u32, col: u16) -> String {
    cell_ref(row, u32::from(col))
}

/// `xml` with the `<c r="…">` element of `reference` replaced by one of the same reference and
/// style, of type `t` (None: a number) holding `inner` (e.g. `<f>1+1</f><v>2</v>`). Panics when the
/// sheet has no such cell: a patch must never silently miss.
pub fn replace_cell(xml: &str, reference: &str, t: Option<&str>, inner: &str) -> String {
    let open = format!(r#"<c r="{reference}""#);
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no cell {reference} in the sheet"));
    let rest = &xml[start..];
    let head = rest.find('>').expect("cell element");
    let len = if rest[..head].ends_with('/') {
        head + 1
    } else {
        rest.find("</c>").expect("cell end") + "</c>".len()
    };
    let style = rest[..head]
        .split_once(" s=\"")
        .and_then(|(_, s)| s.split_once('"'))
        .map(|(s, _)| format!(r#" s="{s}""#))
        .unwrap_or_default();
    let t = t.map(|t| format!(r#" t="{t}""#)).unwrap_or_default();
    format!(
        "{}{open}{style}{t}>{inner}</c>{}",
        &xml[..start],
        &xml[start + len..]
    )
}
