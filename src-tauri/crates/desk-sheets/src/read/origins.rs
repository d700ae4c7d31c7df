//! Where each JSON path of the case file came from, so that the calculator's problems are put in
//! the cell the applicant typed.

use std::collections::HashMap;

use desk_policy::case::InputErrors;

use super::Ctx;
use crate::cells::cell_ref;
use crate::template::BASIC_SHEET;

/// Where each JSON path of the case file came from, to put the calculator's problems in a cell.
#[derive(Default)]
pub(super) struct Origins {
    /// Case-file paths read from the 基本信息 sheet ("platform.category", "year") → their cell.
    pub(super) basic: HashMap<&'static str, String>,
    /// (clause, list; None for an item's own fields) → where its rows and columns are.
    pub(super) units: Vec<UnitOrigin>,
    /// The clause of each item of the case file, by position.
    pub(super) item_clauses: Vec<String>,
}

pub(super) struct UnitOrigin {
    pub(super) clause: String,
    pub(super) list: Option<&'static str>,
    pub(super) sheet: String,
    /// The worksheet row of each unit, in the case file's order.
    pub(super) rows: Vec<u32>,
    pub(super) columns: HashMap<&'static str, u32>,
}

impl Origins {
    /// The cell a case-file path came from: the unit's cell for a field, the unit's first cell for a
    /// unit, the sheet for an item, the 基本信息 cell for platform facts.
    pub(super) fn locate(&self, path: &str) -> Option<(String, String)> {
        let Some(rest) = path.strip_prefix("items[") else {
            let mut p = path;
            loop {
                if let Some(cell) = self.basic.get(p) {
                    return Some((BASIC_SHEET.into(), cell.clone()));
                }
                p = &p[..p.rfind('.')?];
            }
        };
        let close = rest.find(']')?;
        let clause = self
            .item_clauses
            .get(rest[..close].parse::<usize>().ok()?)?;
        let mut segments = rest[close + 1..].trim_start_matches('.').splitn(2, '.');
        let first = segments.next().unwrap_or_default();
        let field = segments.next();
        let (list, index, field) = match first.find('[') {
            Some(b) => (
                Some(&first[..b]),
                first[b + 1..].trim_end_matches(']').parse::<usize>().ok(),
                field,
            ),
            None => (None, Some(0), Some(first).filter(|f| !f.is_empty())),
        };
        let origin = self
            .units
            .iter()
            .find(|o| &o.clause == clause && o.list == list)
            .or_else(|| self.units.iter().find(|o| &o.clause == clause))?;
        let row = index.and_then(|i| origin.rows.get(i).copied());
        let col = field
            .and_then(|f| origin.columns.get(f).copied())
            .or_else(|| origin.columns.values().min().copied());
        match (row, col) {
            (Some(r), Some(c)) => Some((origin.sheet.clone(), cell_ref(r, c))),
            _ => Some((origin.sheet.clone(), String::new())),
        }
    }
}

/// Puts each of the calculator's problems in its cell.
pub(super) fn put_in_cells(ctx: &mut Ctx, errors: InputErrors) {
    for e in errors.0 {
        let (sheet, cell) = ctx
            .origins
            .locate(&e.path)
            .unwrap_or_else(|| (BASIC_SHEET.to_string(), String::new()));
        let message = cells_for_paths(&e.message, &ctx.origins);
        ctx.error(&sheet, cell, message);
    }
}

/// A message that names other units by JSON path ("已在 items[4].services[0] 申报") names their cells.
fn cells_for_paths(message: &str, origins: &Origins) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find("items[") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "[]._".contains(c)))
            .unwrap_or(tail.len());
        let path = &tail[..len];
        match origins.locate(path) {
            Some((sheet, cell)) if !cell.is_empty() => out.push_str(&format!("{sheet}!{cell}")),
            _ => out.push_str(path),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}
