//! A clause's sheet: its header found whatever rows were inserted above it, its rows typed cell by
//! cell into the calculator's units, repeated rows and dates outside the year refused.

use std::collections::HashMap;

use calamine::{Data, Range};
use chrono::{Datelike, NaiveDate};
use desk_policy::case::{FieldValue, Row, YearMonth};
use desk_policy::formulas::FieldKind;
use desk_policy::{Money, TextKind};
use foldhash::fast::FixedState;

use super::origins::UnitOrigin;
use super::{Ctx, MAX_ROWS, not_typed, refuse_merged, value_at};
use crate::cells::{self, cell_ref, is_empty, text_of};
use crate::labels::{self, UnitSources, header_key};
use crate::lean::SheetCells;
use crate::template::{ClauseSheet, HEADER_ROW};

/// Finds the header row: the template's, or (rows inserted above it) the row most like it.
fn header_row(sheet: &ClauseSheet, range: &Range<Data>) -> u32 {
    let expected: Vec<String> = sheet
        .columns
        .iter()
        .map(|c| header_key(&c.header))
        .collect();
    let score = |row: u32| {
        (0..sheet.columns.len() as u32 + 4)
            .filter(|&c| expected.contains(&header_key(&text_of(value_at(range, row, c)))))
            .count()
    };
    let best = (0..12u32)
        .max_by_key(|&r| (score(r), r == HEADER_ROW))
        .unwrap_or(HEADER_ROW);
    if score(best) == 0 { HEADER_ROW } else { best }
}

/// A clause sheet's units, typed; `None` when it has none (or its header is broken).
pub(super) fn read_clause_sheet(
    ctx: &mut Ctx,
    sheet: &ClauseSheet,
    cells: &SheetCells,
    year: Option<i32>,
) -> Option<Vec<Row>> {
    let range = &cells.range;
    let name = sheet.name.as_str();
    let header = header_row(sheet, range);
    let last_col = range
        .end()
        .map(|(_, c)| c)
        .unwrap_or(0)
        .max(sheet.columns.len() as u32);
    // Column of each field, found by its header whatever its position or unit.
    let mut columns: Vec<(usize, u32, UnitSources)> = Vec::new();
    for (i, col) in sheet.columns.iter().enumerate() {
        let key = header_key(&col.header);
        let found =
            (0..=last_col).find(|&c| header_key(&text_of(value_at(range, header, c))) == key);
        match found {
            Some(c) => columns.push((
                i,
                c,
                UnitSources::of_header(&text_of(value_at(range, header, c))),
            )),
            None if col.required => {
                let at = i as u32;
                let got = text_of(value_at(range, header, at));
                let message = if got.is_empty() {
                    format!("表头缺少“{}”列（请勿删除或改名模板的列）", col.header)
                } else {
                    format!(
                        "表头应为“{}”，收到“{}”（请勿修改模板的表头）",
                        col.header,
                        desk_policy::text::brief(&got)
                    )
                };
                ctx.error(name, cell_ref(header, at), message);
            }
            None => {}
        }
    }
    if columns
        .iter()
        .filter(|(i, ..)| sheet.columns[*i].required)
        .count()
        < sheet.columns.iter().filter(|c| c.required).count()
    {
        return None;
    }
    let end_row = range.end().map(|(r, _)| r).unwrap_or(0);
    let first = header + 1;
    let filled = (first..=end_row)
        .filter(|&r| {
            columns
                .iter()
                .any(|(_, c, _)| !is_empty(value_at(range, r, *c)))
        })
        .count();
    if filled > MAX_ROWS {
        ctx.error(
            name,
            String::new(),
            format!("明细有 {filled} 行，超过一份申报表最多 {MAX_ROWS} 行的限制，请核实是否误粘贴，或分批申报"),
        );
        return None;
    }
    // Merged cells: only the first holds the value, the others read empty. Which row the value
    // was meant for (each, or only one, or a total) cannot be told, so none is read.
    let read_cols: Vec<u32> = columns.iter().map(|(_, c, _)| *c).collect();
    let covered = refuse_merged(ctx, name, cells, first, end_row, &read_cols, |c| {
        columns
            .iter()
            .find(|(_, col, _)| *col == c)
            .map(|(i, ..)| sheet.columns[*i].header.trim_end_matches('*').to_string())
            .unwrap_or_default()
    });
    let covered_rows: std::collections::HashSet<u32> = covered.iter().map(|&(r, _)| r).collect();
    let repeats = repeats(sheet);
    let mut units: Vec<Row> = Vec::with_capacity(filled);
    let mut seen: HashMap<u64, u32, FixedState> = HashMap::default();
    let mut unit_rows: Vec<u32> = Vec::new();
    let mut raw: Vec<&Data> = Vec::with_capacity(columns.len());
    for row in first..=end_row {
        raw.clear();
        raw.extend(columns.iter().map(|(_, c, _)| value_at(range, row, *c)));
        if raw.iter().all(|d| is_empty(d)) && !covered_rows.contains(&row) {
            continue; // blank and trailing rows
        }
        let key = row_hash(&raw);
        let earlier = seen.get(&key).copied().filter(|&r| {
            columns
                .iter()
                .zip(&raw)
                .all(|((_, c, _), d)| value_at(range, r, *c) == *d)
        });
        if let Some(first_row) = earlier {
            let at = cell_ref(row, columns[0].1);
            match repeats {
                Repeats::Refused(advice) => {
                    ctx.error(name, at, repeated(first_row, row, advice));
                    continue;
                }
                Repeats::Read => ctx.notes.push(format!(
                    "{name}!{at}: 第{}行与第{}行完全相同，已按两项分别读取；如为重复填写，请删除第{}行",
                    first_row + 1,
                    row + 1,
                    row + 1
                )),
            }
        }
        seen.insert(key, row);
        let mut unit = Row {
            index: units.len(),
            values: Vec::with_capacity(columns.len()),
        };
        for ((i, c, money_unit), cell) in columns.iter().zip(&raw) {
            let col = &sheet.columns[*i];
            if !covered.is_empty() && covered.contains(&(row, *c)) {
                continue;
            }
            // The cell's reference is written only into a message.
            let at = || cell_ref(row, *c);
            if is_empty(cell) {
                if col.required {
                    ctx.error(
                        name,
                        at(),
                        format!("{}不能为空", col.header.trim_end_matches('*')),
                    );
                }
                continue;
            }
            let what = col.header.trim_end_matches('*');
            if let Some(message) = not_typed(cells, row, *c, true, what) {
                ctx.error(name, at(), message);
                continue;
            }
            match read_value(cell, col.kind, col.field, *money_unit) {
                Ok((v, date, noted)) => {
                    if let Some(problem) = outside_year(date, col.kind, sheet.list, year) {
                        ctx.error(name, at(), problem);
                    } else {
                        match (noted, &v) {
                            (Some(Noted::Unit(typed)), FieldValue::Money(m)) => {
                                ctx.notes.push(unit_note(name, &at(), col, cell, typed, *m));
                            }
                            (Some(Noted::CountUnit(typed)), FieldValue::Count(n)) => {
                                ctx.notes.push(format!(
                                    "{name}!{}: {}填写为“{}”，读作 {n}",
                                    at(),
                                    header_key(&col.header),
                                    desk_policy::text::brief(&typed)
                                ));
                            }
                            _ => {}
                        }
                        unit.values.push((col.field, v));
                    }
                }
                Err(message) => ctx.error(name, at(), format!("{what}{message}")),
            }
        }
        unit_rows.push(row);
        units.push(unit);
    }
    if sheet.list.is_none() && unit_rows.len() > 1 {
        ctx.error(name, cell_ref(unit_rows[1], 0), "本条只填一行");
    }
    ctx.origins.units.push(UnitOrigin {
        clause: sheet.clause.clone(),
        list: sheet.list,
        sheet: name.to_string(),
        rows: unit_rows,
        columns: columns
            .iter()
            .map(|(i, c, _)| (sheet.columns[*i].field, *c))
            .collect(),
    });
    (!units.is_empty()).then_some(units)
}

/// What two identical rows of a sheet are, as an officer reads them.
#[derive(Clone, Copy)]
enum Repeats {
    /// The same unit twice (a row that names its enterprise or its item is one unit), or what is
    /// best one row: refused, with what to do.
    Refused(&'static str),
    /// Possibly two real units the template gives no column to tell apart (two sets sold the same
    /// day at the same price, two orders of one amount): both read, and the officer told.
    Read,
}

fn repeats(sheet: &ClauseSheet) -> Repeats {
    let names_its_unit = sheet
        .columns
        .iter()
        .any(|c| matches!(c.kind, FieldKind::CreditCode) || c.field == "name");
    match sheet.list {
        _ if names_its_unit => Repeats::Refused("同一企业或项目只填一行"),
        Some("leases") => Repeats::Refused(
            "如确为两处面积、租金和期限都相同的场地，请合并为一行，租赁面积填两处之和",
        ),
        Some("loans") => Repeats::Refused(
            "如确为两笔本金、利息和期限都相同的贷款，请合并为一行，贷款本金与实付利息各填两笔之和",
        ),
        _ => Repeats::Read,
    }
}

/// The message of a row refused as a repeat of an earlier one.
fn repeated(first_row: u32, row: u32, advice: &str) -> String {
    format!(
        "与第{}行完全相同：如为重复填写，请删除第{}行；{advice}",
        first_row + 1,
        row + 1
    )
}

/// A hash of a row's raw cells, to find repeated rows without building their text. foldhash, not
/// std's SipHash: no attacker picks these keys, and SipHash was ~2 % of a 10,000-row import.
fn row_hash(cells: &[&Data]) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = FixedState::default().build_hasher();
    for d in cells {
        match d {
            Data::Empty => 0u8.hash(&mut h),
            Data::String(s) => s.trim().hash(&mut h),
            Data::Float(f) => f.to_bits().hash(&mut h),
            Data::Int(i) => i.hash(&mut h),
            Data::Bool(b) => b.hash(&mut h),
            Data::DateTime(x) => x.as_f64().to_bits().hash(&mut h),
            other => format!("{other:?}").hash(&mut h),
        }
    }
    h.finish()
}

/// Dated units must lie in the application year; a lease or loan period must touch it.
fn outside_year(
    date: Option<NaiveDate>,
    kind: FieldKind,
    list: Option<&str>,
    year: Option<i32>,
) -> Option<String> {
    let (year, d) = (year?, date?);
    match (kind, list) {
        (FieldKind::Date, Some("loans")) => None,
        (FieldKind::Date, Some(_)) => {
            (d.year() != year).then(|| format!("日期 {d} 不在申报年度 {year} 年内"))
        }
        _ => None,
    }
}

/// How a cell whose typed unit differs from its column's was read: "6.14a 首台套装备补贴!B4: 售价
/// 填写为“300万元”，按单元格所写的万元读作 3000000 元（本列单位为万元）".
fn unit_note(
    sheet: &str,
    at: &str,
    col: &crate::template::Column,
    cell: &Data,
    typed: labels::MoneyUnit,
    m: Money,
) -> String {
    let word = |u: labels::MoneyUnit| match u {
        labels::MoneyUnit::Yuan => "元",
        labels::MoneyUnit::TenThousandYuan => "万元",
    };
    let column = match typed {
        labels::MoneyUnit::Yuan => "万元",
        labels::MoneyUnit::TenThousandYuan => "元",
    };
    format!(
        "{sheet}!{at}: {}填写为“{}”，按单元格所写的{}读作 {} 元（本列单位为{column}）",
        labels::header_key(&col.header),
        desk_policy::text::brief(&text_of(cell)),
        word(typed),
        m
    )
}

/// How a cell was read that the officer should see.
enum Noted {
    /// A money cell typed with a unit other than its column's.
    Unit(labels::MoneyUnit),
    /// A count typed with its column's unit (`12次`), as typed.
    CountUnit(String),
}

/// A cell's value, typed as the calculator reads it, the date when it is one, and what of its
/// reading the officer should see.
fn read_value(
    cell: &Data,
    kind: FieldKind,
    field: &str,
    unit: UnitSources,
) -> Result<(FieldValue, Option<NaiveDate>, Option<Noted>), String> {
    let plain = |v: FieldValue| (v, None, None);
    match kind {
        FieldKind::Date => cells::date(cell).map(|d| (FieldValue::Date(d), Some(d), None)),
        // Amounts are kept to the fen, as the database keeps them; a rate per m² may be finer.
        FieldKind::Money if field.ends_with("_per_m2") => {
            cells::money(cell, unit).map(|m| plain(FieldValue::Money(m)))
        }
        FieldKind::Money => cells::money_reading(cell, unit).and_then(|(m, typed)| {
            desk_policy::money::to_cents(m)
                .map(|_| (FieldValue::Money(m), None, typed.map(Noted::Unit)))
                .map_err(|e| e.to_string())
        }),
        FieldKind::Number => {
            cells::money(cell, labels::MoneyUnit::Yuan).map(|m| plain(FieldValue::Money(m)))
        }
        FieldKind::Count => cells::count_in(cell, labels::count_unit(field))
            .map(|(n, typed)| (FieldValue::Count(n), None, typed.map(Noted::CountUnit))),
        FieldKind::Month => cells::month(cell)
            .map(|(year, month)| plain(FieldValue::Month(YearMonth { year, month }))),
        FieldKind::CreditCode => cells::credit_code(cell).map(|c| plain(FieldValue::Code(c))),
        FieldKind::Bool => cells::yes_no(cell).map(|b| plain(FieldValue::Bool(b))),
        // A unit's name is a name; other texts (a reason) are free texts.
        FieldKind::Text => {
            let kind = if field == "name" {
                TextKind::Name
            } else {
                TextKind::Free
            };
            desk_policy::text::clean_text(kind, &cells::typed_text(cell))
                .map(|t| plain(FieldValue::Text(t)))
                .map_err(|e| e.to_string())
        }
        FieldKind::Choice(allowed) => {
            let t = text_of(cell);
            labels::choice_value(field, allowed, &t)
                .map(|v| plain(FieldValue::Choice(v)))
                .ok_or_else(|| {
                    format!(
                        "应为 {} 之一，收到“{}”",
                        labels::choice_words(field, allowed).join("、"),
                        desk_policy::text::brief(&t)
                    )
                })
        }
    }
    .map_err(|m| {
        if m.starts_with('：') {
            m
        } else {
            format!("：{m}")
        }
    })
}
