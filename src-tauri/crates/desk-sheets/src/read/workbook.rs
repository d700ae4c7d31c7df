//! The workbook: opened by the lean reader or calamine within the package's limits, recognised as
//! one of our templates, its sheets read (a clause's under its former title too).

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};
use desk_policy::{Catalog, Programme};

use super::ReadError;
use crate::cells::text_of;
use crate::lean::{Lean, LeanWorkbook, Merged, SheetCells};
use crate::package::{self, Contents};
use crate::template::{
    BASIC_SHEET, DECLARE_SHEET, INFO_SHEET, MARKER, READABLE_VERSIONS, TemplateSpec,
};

/// calamine 0.38 can panic on a malformed part in builds with overflow checks (fuzzing found
/// `get_dimension` subtracting past zero; `fixtures/submissions/fuzz/`). A damaged file must get a
/// message, never a crash.
pub(crate) fn guard_parser<T>(work: impl FnOnce() -> T) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .map_err(|_| ReadError::NotAWorkbook("文件内容已损坏，无法读取".into()))
}

/// A workbook's sheets: read by the lean reader when it can, by calamine otherwise (other formats,
/// unusual shapes, damaged parts — calamine's complaint then becomes the message). Either way no
/// part is inflated beyond `package`'s limits, and no sheet kept beyond its number of cells.
struct Book<'a> {
    bytes: &'a [u8],
    lean: Option<LeanWorkbook<'a>>,
    full: Option<Sheets<Cursor<&'a [u8]>>>,
    contents: Contents,
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let lean = LeanWorkbook::open(bytes)?;
        let (full, contents) = match &lean {
            Some(lean) => (None, lean.contents().clone()),
            None => {
                let (full, contents) = open_full(bytes)?;
                (Some(full), contents)
            }
        };
        Ok(Book {
            bytes,
            lean,
            full,
            contents,
        })
    }

    fn sheet_names(&self) -> Vec<String> {
        match (&self.lean, &self.full) {
            (Some(lean), _) => lean.sheet_names(),
            (None, Some(full)) => full.sheet_names(),
            (None, None) => Vec::new(),
        }
    }

    /// A sheet's cells, or what went wrong reading it (a missing sheet included).
    fn range(&mut self, name: &str) -> Result<Range<Data>, ReadError> {
        self.sheet(name).map(|s| s.range)
    }

    /// What the package holds beside its sheets, once every part of it is known to inflate within
    /// the limits (the lean reader checks those it has not read).
    fn contents(&mut self) -> Result<Contents, ReadError> {
        if let Some(lean) = &mut self.lean {
            lean.check_unread()?;
        }
        Ok(self.contents.clone())
    }

    /// A sheet's cells and which hold formulas, or what went wrong reading it.
    fn sheet(&mut self, name: &str) -> Result<SheetCells, ReadError> {
        if let Some(lean) = &mut self.lean {
            match lean.worksheet(name)? {
                Lean::Read(sheet) => return Ok(sheet),
                Lean::Missing => {
                    return Err(ReadError::NotAWorkbook(format!("没有工作表“{name}”")));
                }
                Lean::Left => self.lean = None,
            }
        }
        let full = match &mut self.full {
            Some(full) => full,
            None => self.full.insert(open_full(self.bytes)?.0),
        };
        full_sheet(full, name)
    }
}

/// A workbook opened by calamine, once its package is known to inflate within the limits.
type Full<'a> = Sheets<Cursor<&'a [u8]>>;

fn open_full(bytes: &[u8]) -> Result<(Full<'_>, Contents), ReadError> {
    let contents = package::check(bytes)?;
    let full = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::NotAWorkbook(brief(&e.to_string())))?;
    Ok((full, contents))
}

/// A sheet read by calamine. An .xlsx sheet is read cell by cell, so that no more than
/// `package::MAX_CELLS` are kept and no rectangle larger than `package::MAX_SPAN` is made; other
/// formats are read whole (an .xls is not compressed: its file's size bounds it).
fn full_sheet(full: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Result<SheetCells, ReadError> {
    let failed = |e: &dyn fmt::Display| ReadError::NotAWorkbook(brief(&e.to_string()));
    if let Sheets::Xlsx(xlsx) = full {
        let mut reader = match xlsx.worksheet_cells_reader(name) {
            Ok(reader) => reader,
            Err(calamine::XlsxError::NotAWorksheet(_)) => {
                return Ok(SheetCells {
                    range: Range::default(),
                    formulas: Vec::new(),
                    merged: Vec::new(),
                });
            }
            Err(e) => return Err(failed(&e)),
        };
        let (mut cells, mut formulas) = (Vec::new(), Vec::new());
        while let Some(cell) = reader
            .next_cell_with_formula_metadata()
            .map_err(|e| failed(&e))?
        {
            if cell.formula.is_some() {
                formulas.push(cell.pos);
            }
            let value = Data::from(cell.value);
            if value != Data::Empty {
                if cells.len() == package::MAX_CELLS {
                    return Err(package::too_many_cells(name));
                }
                cells.push(calamine::Cell::new(cell.pos, value));
            }
        }
        drop(reader);
        let merged = xlsx
            .merge_cells_by_sheet_name(name)
            .map(|areas| areas.iter().filter_map(area).collect())
            .unwrap_or_default();
        return Ok(SheetCells {
            range: package::dense(name, cells)?,
            formulas,
            merged,
        });
    }
    let range = full.worksheet_range(name).map_err(|e| failed(&e))?;
    let formulas = full
        .worksheet_formula(name)
        .map(|f| {
            f.used_cells()
                .filter(|(_, _, text)| !text.is_empty())
                .map(|(r, c, _)| {
                    let (r0, c0) = f.start().unwrap_or_default();
                    (r0 + r as u32, c0 + c as u32)
                })
                .collect()
        })
        .unwrap_or_default();
    let merged = match full {
        Sheets::Xls(xls) => xls
            .merge_cells_by_sheet_name(name)
            .unwrap_or_default()
            .iter()
            .filter_map(area)
            .collect(),
        _ => Vec::new(),
    };
    Ok(SheetCells {
        range,
        formulas,
        merged,
    })
}

/// The reader's complaint in words an officer can act on.
pub(super) fn brief(detail: &str) -> String {
    let lower = detail.to_lowercase();
    if lower.contains("cannot detect")
        || lower.contains("zip")
        || lower.contains("eof")
        || lower.contains("invalid")
    {
        "无法识别文件格式，文件可能已损坏、不完整，或不是 Excel 文件".into()
    } else {
        format!("读取失败：{}", detail.chars().take(80).collect::<String>())
    }
}

/// A workbook recognised as one of our templates, of the current version, with the sheets it has.
pub(super) struct Opened {
    pub programme: Programme,
    pub spec: TemplateSpec,
    /// The template's sheets found (a clause's under its former title too), formulas sorted.
    pub sheets: HashMap<String, SheetCells>,
    pub contents: Contents,
    /// The template's sheets not found.
    pub missing: Vec<String>,
}

/// Recognises the template (its hidden `_模板信息` sheet: marker, programme, version, clauses) and
/// reads its sheets.
pub(super) fn open_template(bytes: &[u8], catalog: &Catalog) -> Result<Opened, ReadError> {
    let mut wb = Book::open(bytes)?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == INFO_SHEET) {
        return Err(ReadError::NotOurTemplate);
    }
    let info = wb.range(INFO_SHEET)?;
    if text_of(info.get_value((0, 0)).unwrap_or(&Data::Empty)) != MARKER {
        return Err(ReadError::NotOurTemplate);
    }
    let programme_id = text_of(info.get_value((0, 1)).unwrap_or(&Data::Empty));
    let programme = Programme::parse(&programme_id).map_err(|_| ReadError::NotOurTemplate)?;
    let version = text_of(info.get_value((1, 1)).unwrap_or(&Data::Empty));
    if !READABLE_VERSIONS.contains(&version.as_str()) {
        return Err(ReadError::Outdated {
            found: if version.is_empty() {
                "未知".into()
            } else {
                version
            },
            programme: programme.id().into(),
        });
    }
    let clauses: Vec<String> = text_of(info.get_value((2, 1)).unwrap_or(&Data::Empty))
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let spec = TemplateSpec::new(catalog, programme, Some(&clauses))
        .map_err(|_| ReadError::NotOurTemplate)?;

    let mut missing = Vec::new();
    let mut sheets_read = HashMap::new();
    for name in [BASIC_SHEET, DECLARE_SHEET]
        .into_iter()
        .chain(spec.sheets.iter().map(|s| s.name.as_str()))
    {
        // A clause's sheet of a template made before its title changed (6.17 was
        // “总部经济政策扶持（一事一议）” until 2026-12): the one sheet named after the clause's id.
        let former = |names: Vec<String>| {
            let clause = spec.sheets.iter().find(|s| s.name == name)?;
            if spec
                .sheets
                .iter()
                .filter(|s| s.clause == clause.clause)
                .count()
                != 1
            {
                return None;
            }
            let prefix = format!("{} ", clause.clause);
            let mut found = names.into_iter().filter(|n| n.starts_with(&prefix));
            let first = found.next()?;
            found.next().is_none().then_some(first)
        };
        let found = match wb.sheet(name) {
            Ok(sheet) => Ok(sheet),
            Err(refused @ ReadError::Refused(_)) => Err(refused),
            Err(e) => match former(wb.sheet_names()) {
                Some(f) => wb.sheet(&f),
                None => Err(e),
            },
        };
        match found {
            Ok(mut sheet) => {
                sheet.formulas.sort_unstable();
                sheets_read.insert(name.to_string(), sheet);
            }
            Err(refused @ ReadError::Refused(_)) => return Err(refused),
            Err(_) => missing.push(name.to_string()),
        }
    }
    // Every part inflates within the limits (the lean reader has checked only those it read).
    let contents = wb.contents()?;
    Ok(Opened {
        programme,
        spec,
        sheets: sheets_read,
        contents,
        missing,
    })
}

/// calamine's merged area as the reader keeps it.
fn area(d: &calamine::Dimensions) -> Option<Merged> {
    Some((d.start.0, d.start.1, d.end.0, d.end.1))
}
