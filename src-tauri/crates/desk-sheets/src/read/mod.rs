//! Reading a filled submission: recognise the template and its version, read every cell with the
//! tolerance of `cells`, report every problem at once (sheet, cell, Chinese message), and build the
//! calculator's case file. The calculator's own checks run too; their problems are mapped back to cells.

mod basic;
mod clauses;
mod declare;
mod origins;
mod workbook;

use std::collections::HashSet;
use std::fmt;

use calamine::{Data, Range};
use chrono::NaiveDate;
use desk_policy::case::{InputErrors, Item, PlatformFacts, Row};
use desk_policy::{
    Case, Catalog, CreditCode, Money, PlatformCategory, PlatformLevel, Programme, Town, UnitsJson,
    calculate,
};
use serde_json::{Map, Value, json};

use crate::cells::{self, cell_ref};
use crate::lean::SheetCells;
use crate::package::Contents;
use crate::template::{BASIC_SHEET, ClauseSheet, DECLARE_SHEET, INFO_SHEET, VERSION};
use basic::read_basic;
use clauses::read_clause_sheet;
use declare::read_declare;
use origins::{Origins, put_in_cells};
pub(crate) use workbook::guard_parser;
use workbook::{Opened, open_template};

/// A problem in one cell (or one sheet, when `cell` is empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CellError {
    pub sheet: String,
    pub cell: String,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cell.is_empty() {
            write!(f, "{}: {}", self.sheet, self.message)
        } else {
            write!(f, "{}!{}: {}", self.sheet, self.cell, self.message)
        }
    }
}

/// Why a workbook cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a workbook at all (or a damaged one).
    NotAWorkbook(String),
    /// A workbook, but not one of our templates.
    NotOurTemplate,
    /// Our template, of an older version.
    Outdated { found: String, programme: String },
    /// Our template with cells to correct: every problem at once, and who applied as far as that
    /// could be read (the import's list names the applicant of a refused workbook too).
    Cells(Vec<CellError>, Seen),
    /// Refused whole, for the reason given in full: a zip bomb, links to other workbooks.
    Refused(String),
    /// Nothing for the applicant to correct, but the bureau must act first (a parameter unset on
    /// the case's date). Never put in a cell, a marked copy or a 补正通知书.
    ForBureau(Vec<desk_policy::BureauProblem>),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAWorkbook(detail) => write!(
                f,
                "文件不是可读取的 Excel 工作簿（{detail}）。请用本局下发的申报模板填写，保存为工作簿（{}）后再提交。",
                crate::formats_text()
            ),
            ReadError::NotOurTemplate => write!(
                f,
                "这不是扶持资金申报模板（缺少模板标识“{INFO_SHEET}”）。请下载模板（subsidy-desk template zs-ptsp-2018 或 zs-iip-2021）后重新填写。"
            ),
            ReadError::Outdated { found, programme } => write!(
                f,
                "此申报表使用的是旧版模板（版本 {found}），当前版本为 {VERSION}。请下载新版模板（subsidy-desk template {programme}）后重新填写。"
            ),
            ReadError::Refused(message) => write!(f, "{message}"),
            ReadError::ForBureau(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "需由业务科室处理（申报表本身无误）：\n{}",
                    lines.join("\n")
                )
            }
            ReadError::Cells(errors, _) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "申报表有 {} 处需要修改：\n{}",
                    errors.len(),
                    lines.join("\n")
                )
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// The applicant and platform as the 基本信息 sheet states them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Applicant {
    pub credit_code: CreditCode,
    pub name: String,
    pub town: Town,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub platform_name: String,
    pub category: Option<PlatformCategory>,
    pub level: Option<PlatformLevel>,
    pub recognized_on: NaiveDate,
    pub paid_in_capital: Option<Money>,
    pub fiscal_paid_in_capital: Option<Money>,
    pub relocated_hq: bool,
    pub system_live_on: Option<NaiveDate>,
}

/// A declared item: its clause, its fields and units as the case file writes them, the amount asked.
/// What a workbook is filled from (`fill`); a read submission gives them back on request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SubmittedItem {
    pub clause: String,
    pub units: Value,
    pub requested: Option<Money>,
}

/// A submission read without problems.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub programme: Programme,
    pub year: i32,
    pub applicant: Applicant,
    /// The declared items as the calculator reads them, typed from the cells and checked by its
    /// rules; without history (the database adds it).
    pub case: Case,
    /// The amount asked for each item of `case`, in its order.
    pub requested: Vec<Option<Money>>,
    /// Rows read from the clause sheets.
    pub rows: usize,
    /// What the officer should know of the workbook though it was read (its macros ignored).
    pub notes: Vec<String>,
}

/// The macro note: a workbook's VBA is never run; only its cells' values are read.
pub const MACROS_IGNORED: &str = "申报表含宏（VBA），宏未运行，已忽略";

fn notes(contents: &Contents) -> Vec<String> {
    let mut notes = Vec::new();
    if contents.macros {
        notes.push(MACROS_IGNORED.to_string());
    }
    notes
}

impl Submission {
    /// The calculator's input (CASE-FILE.md), without history. Built on request: an import only
    /// needs it to print it.
    pub fn case_file(&self) -> Value {
        let units = self
            .submitted_items()
            .into_iter()
            .map(|i| (i.clause, i.units));
        case_file(self.programme, self.year, &self.applicant, units.collect())
    }

    /// The items with their units as the case file writes them.
    pub fn submitted_items(&self) -> Vec<SubmittedItem> {
        self.case
            .items
            .iter()
            .zip(&self.requested)
            .map(|(item, requested)| SubmittedItem {
                clause: item.clause.clone(),
                // Typed values always serialise.
                units: serde_json::to_value(UnitsJson(item)).unwrap_or_default(),
                requested: *requested,
            })
            .collect()
    }
}

/// Rows one clause sheet may hold; more is a pasting accident, not a submission.
pub const MAX_ROWS: usize = 20_000;

/// What was read of who applied, whatever else failed: each value only when its cell read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Seen {
    /// 企业名称.
    pub applicant: Option<String>,
    pub credit_code: Option<String>,
    pub programme: Option<Programme>,
    pub year: Option<i32>,
}

impl Seen {
    fn of(s: &Submission) -> Self {
        Seen {
            applicant: Some(s.applicant.name.clone()),
            credit_code: Some(s.applicant.credit_code.to_string()),
            programme: Some(s.programme),
            year: Some(s.year),
        }
    }
}

struct Ctx {
    errors: Vec<CellError>,
    seen: Seen,
    origins: Origins,
    /// How cells were read that the officer should see (a unit typed in the cell that differs
    /// from its column's).
    notes: Vec<String>,
}

impl Ctx {
    fn error(&mut self, sheet: &str, cell: String, message: impl Into<String>) {
        self.errors.push(CellError {
            sheet: sheet.to_string(),
            cell,
            message: message.into(),
        });
    }
}

/// Reads a submission from a workbook's bytes (.xlsx, .xlsm, .xls, .ods), the calculator's checks
/// included.
pub fn read_submission(bytes: &[u8], catalog: &Catalog) -> Result<Submission, ReadError> {
    let typed = read_typed(bytes, catalog)?;
    let checked = calculate(&typed.submission.case, catalog).map(|_| ());
    typed.finish(checked)
}

/// Reads a submission and builds its case, but leaves the calculator's run to the caller, who may
/// do other work beside it (an import writes the database meanwhile, and commits only if it passes).
pub fn read_typed(bytes: &[u8], catalog: &Catalog) -> Result<TypedSubmission, ReadError> {
    guard_parser(|| read(bytes, catalog)).unwrap_or_else(Err)
}

/// A submission read, typed and checked but for the calculator's own run.
pub struct TypedSubmission {
    submission: Submission,
    origins: Origins,
}

impl fmt::Debug for TypedSubmission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.submission.fmt(f)
    }
}

impl TypedSubmission {
    pub fn submission(&self) -> &Submission {
        &self.submission
    }

    /// The bureau's values of the policy parameters for this case's programme and year
    /// ("8.rate"), which the calculator's run takes over the catalog's.
    pub fn use_parameters(&mut self, parameters: std::collections::BTreeMap<String, Money>) {
        self.submission.case.parameters = parameters;
    }

    /// The programme's in-force dates the bureau set, which the calculator takes over the
    /// catalog's.
    pub fn use_validity(&mut self, validity: Option<desk_policy::case::Validity>) {
        self.submission.case.validity = validity;
    }

    /// The submission once the calculator has run on `submission().case`: the applicant's
    /// problems, if any, each put in its cell; if there are none, the bureau's (`ForBureau`).
    pub fn finish(self, calculated: Result<(), InputErrors>) -> Result<Submission, ReadError> {
        match calculated {
            Ok(()) => Ok(self.submission),
            Err(errors) => {
                let (errors, bureau) = errors.split_bureau();
                if errors.is_empty() && !bureau.is_empty() {
                    return Err(ReadError::ForBureau(bureau));
                }
                let mut ctx = Ctx {
                    errors: Vec::new(),
                    seen: Seen::of(&self.submission),
                    origins: self.origins,
                    notes: Vec::new(),
                };
                put_in_cells(&mut ctx, errors);
                Err(ReadError::Cells(ctx.errors, ctx.seen))
            }
        }
    }
}

fn read(bytes: &[u8], catalog: &Catalog) -> Result<TypedSubmission, ReadError> {
    let Opened {
        programme,
        spec,
        sheets: sheets_read,
        contents,
        missing,
    } = open_template(bytes, catalog)?;
    let mut ctx = Ctx {
        errors: Vec::new(),
        seen: Seen {
            programme: Some(programme),
            ..Seen::default()
        },
        origins: Origins::default(),
        notes: Vec::new(),
    };
    let empty = SheetCells {
        range: Range::<Data>::empty(),
        formulas: Vec::new(),
        merged: Vec::new(),
    };
    let basic = read_basic(
        &mut ctx,
        &spec,
        sheets_read.get(BASIC_SHEET).unwrap_or(&empty),
    );
    let declare = read_declare(
        &mut ctx,
        &spec,
        sheets_read.get(DECLARE_SHEET).unwrap_or(&empty),
    );
    // A sheet is required only of a declared clause: an applicant deletes those of the clauses
    // not declared.
    for name in missing {
        let clause = spec
            .sheets
            .iter()
            .find(|s| s.name == name)
            .map(|s| &s.clause);
        if clause.is_none_or(|c| declare.declared.contains(c)) {
            ctx.error(
                &name,
                String::new(),
                format!("缺少工作表“{name}”（请勿删除或改名模板中的工作表）"),
            );
        }
    }
    let year = basic.as_ref().map(|b| b.1);
    let mut items: Vec<Item> = Vec::new();
    let mut rows = 0usize;
    let new_item = |clause: &str| Item {
        index: 0,
        clause: clause.to_string(),
        fields: Row::default(),
        lists: Vec::new(),
    };
    // The clause sheets found with no row filled in (and a sound header).
    let mut unfilled: Vec<&ClauseSheet> = Vec::new();
    // The rows filled in each sheet of a clause answered 否.
    let mut answered_no: Vec<(&ClauseSheet, usize)> = Vec::new();
    for sheet in &spec.sheets {
        let Some(cells) = sheets_read.get(&sheet.name) else {
            continue;
        };
        let before = ctx.errors.len();
        let Some(units) = read_clause_sheet(&mut ctx, sheet, cells, year) else {
            if ctx.errors.len() == before {
                unfilled.push(sheet);
            }
            continue;
        };
        if declare.answers.get(&sheet.clause) == Some(&false) {
            answered_no.push((sheet, units.len()));
            continue;
        }
        rows += units.len();
        let index = match items.iter().position(|i| i.clause == sheet.clause) {
            Some(i) => i,
            None => {
                items.push(new_item(&sheet.clause));
                items.len() - 1
            }
        };
        match sheet.list {
            Some(list) => items[index].lists.push((list, units)),
            None => {
                let fields = units
                    .into_iter()
                    .next()
                    .map(|u| u.values)
                    .unwrap_or_default();
                items[index].fields.values.extend(fields);
            }
        }
    }
    declare.answered_no_with_rows(&mut ctx, catalog, &spec, &answered_no);
    declare.answered_yes_without_rows(&mut ctx, catalog, &spec, &unfilled, &sheets_read);
    for clause in &declare.declared {
        if !items.iter().any(|i| &i.clause == clause) {
            items.push(new_item(clause));
        }
    }
    let order = |id: &str| {
        spec.clauses
            .iter()
            .position(|c| c == id)
            .unwrap_or(usize::MAX)
    };
    items.sort_by_key(|i| order(&i.clause));
    if items.is_empty() && ctx.errors.is_empty() {
        ctx.error(
            DECLARE_SHEET,
            String::new(),
            "没有申报任何条款：请在明细表中填写，或在“申报事项”中选择“是”",
        );
    }
    declare.require_requested(
        &mut ctx,
        catalog,
        &spec,
        items.iter().map(|i| i.clause.as_str()),
    );
    let Some((applicant, year)) = basic else {
        return Err(ReadError::Cells(ctx.errors, ctx.seen));
    };
    ctx.origins.item_clauses = items.iter().map(|i| i.clause.clone()).collect();
    if !ctx.errors.is_empty() {
        return Err(ReadError::Cells(ctx.errors, ctx.seen));
    }
    let requested = items
        .iter()
        .map(|i| declare.requested.get(&i.clause).copied())
        .collect();
    // The calculator's reading checks, on the typed units themselves: nothing is written as JSON
    // to be read back.
    match Case::from_typed(programme, year, platform_facts(&applicant), items, catalog) {
        Ok(case) => Ok(TypedSubmission {
            submission: Submission {
                programme,
                year,
                applicant,
                case,
                requested,
                rows,
                notes: notes(&contents).into_iter().chain(ctx.notes).collect(),
            },
            origins: ctx.origins,
        }),
        Err(errors) => {
            put_in_cells(&mut ctx, errors);
            Err(ReadError::Cells(ctx.errors, ctx.seen))
        }
    }
}

/// The platform as the calculator reads it.
fn platform_facts(a: &Applicant) -> PlatformFacts {
    PlatformFacts {
        credit_code: Some(a.credit_code.clone()),
        name: Some(a.name.clone()),
        category: a.category,
        level: a.level,
        recognized_on: Some(a.recognized_on),
        paid_in_capital: a.paid_in_capital,
        fiscal_paid_in_capital: a.fiscal_paid_in_capital,
        relocated_hq: Some(a.relocated_hq),
        system_live_on: a.system_live_on,
    }
}

/// The case file of an applicant's items, given as (clause, units) and moved in.
fn case_file(programme: Programme, year: i32, a: &Applicant, items: Vec<(String, Value)>) -> Value {
    let mut platform = Map::new();
    platform.insert("credit_code".into(), json!(a.credit_code));
    platform.insert("name".into(), json!(a.name));
    if let Some(c) = a.category {
        platform.insert("category".into(), json!(c.number()));
    }
    if let Some(l) = a.level {
        platform.insert("level".into(), json!(l.id()));
    }
    platform.insert("recognized_on".into(), json!(a.recognized_on.to_string()));
    if let Some(m) = a.paid_in_capital {
        platform.insert("paid_in_capital".into(), json!(m.to_string()));
    }
    if let Some(m) = a.fiscal_paid_in_capital {
        platform.insert("fiscal_paid_in_capital".into(), json!(m.to_string()));
    }
    platform.insert("relocated_hq".into(), json!(a.relocated_hq));
    if let Some(d) = a.system_live_on {
        platform.insert("system_live_on".into(), json!(d.to_string()));
    }
    let items: Vec<Value> = items
        .into_iter()
        .map(|(clause, units)| {
            let mut fields = match units {
                Value::Object(fields) => fields,
                _ => Map::new(),
            };
            fields.insert("clause".into(), Value::String(clause));
            Value::Object(fields)
        })
        .collect();
    // Built field by field: json! would serialise the units into a second copy.
    Value::Object(Map::from_iter([
        ("programme".to_string(), json!(programme)),
        ("year".to_string(), json!(year)),
        ("platform".to_string(), Value::Object(platform)),
        ("history".to_string(), Value::Array(Vec::new())),
        ("items".to_string(), Value::Array(items)),
    ]))
}

fn value_at(range: &Range<Data>, row: u32, col: u32) -> &Data {
    range.get_value((row, col)).unwrap_or(&Data::Empty)
}

/// Whether a cell holds a formula (`formulas` sorted).
fn has_formula(sheet: &SheetCells, row: u32, col: u32) -> bool {
    sheet.formulas.binary_search(&(row, col)).is_ok()
}

/// The merged areas over the cells a reader reads (rows `first..=last`, the columns `cols`, each
/// named by `what`),
/// each refused at its first cell with what to do: only that cell holds the value, the others
/// read empty, and which row it was meant for (each, one, or their total) cannot be told. Gives
/// the cells they cover, which are not read.
fn refuse_merged(
    ctx: &mut Ctx,
    sheet_name: &str,
    sheet: &SheetCells,
    first: u32,
    last: u32,
    cols: &[u32],
    what: impl Fn(u32) -> String,
) -> HashSet<(u32, u32)> {
    let mut covered = HashSet::new();
    // A hostile file's thousands of overlapping areas must not cost more than its cells would:
    // once that many are covered, the areas already refused make the import fail anyway.
    let mut budget = crate::package::MAX_CELLS;
    for &(r0, c0, r1, c1) in &sheet.merged {
        if budget == 0 {
            break;
        }
        let (r0, r1) = (r0.max(first), r1.min(last));
        if r0 > r1 || (r0 == r1 && c0 == c1) {
            continue;
        }
        let read: Vec<u32> = cols
            .iter()
            .copied()
            .filter(|c| (c0..=c1).contains(c))
            .collect();
        let Some(&named) = read.iter().min() else {
            continue;
        };
        let label = what(named);
        budget = budget.saturating_sub(1);
        let letters: String = cell_ref(0, c0)
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        let rows = match r1 - r0 {
            0 => format!("第{}行", r0 + 1),
            1 => format!("第{}行与第{}行", r0 + 1, r1 + 1),
            _ => format!("第{}行至第{}行", r0 + 1, r1 + 1),
        };
        let message = if c0 == c1 {
            format!("{rows}的{letters}列（{label}）是合并单元格，请取消合并并在每行分别填写")
        } else {
            format!(
                "{rows}的 {}:{} 是合并单元格，请取消合并并在每个单元格分别填写",
                cell_ref(r0, c0),
                cell_ref(r1, c1)
            )
        };
        ctx.error(sheet_name, cell_ref(r0, c0), message);
        for r in r0..=r1 {
            covered.extend(read.iter().map(|&c| (r, c)));
            budget = budget.saturating_sub(read.len());
        }
    }
    covered
}

/// Why a cell the applicant fills in holds no typed value, if it does not. A formula: its value
/// would be whatever Excel last computed (`<f>10*10</f><v>99999</v>` reads 99999), so the value
/// must be typed. An error value (#DIV/0!, #REF!), a formula's or one pasted as a value: there is
/// no value. `row` is named when the sheet has rows of units; `what` is the column or row label.
fn not_typed(sheet: &SheetCells, row: u32, col: u32, rows: bool, what: &str) -> Option<String> {
    let shown = cells::error_shown(value_at(&sheet.range, row, col));
    let formula = has_formula(sheet, row, col);
    if !formula && shown.is_none() {
        return None; // the common case: no text is built
    }
    let cell = cell_ref(row, col);
    let row = if rows {
        format!("第{}行", row + 1)
    } else {
        String::new()
    };
    match (formula, shown) {
        (true, None) => Some(format!(
            "{row}“{what}”单元格 {cell} 含公式，请把公式改为数值（复制后“选择性粘贴→数值”）"
        )),
        (true, Some(shown)) => Some(format!(
            "{row}“{what}”单元格 {cell} 含公式，显示为错误值 {shown}：请删除公式，直接填写实际数值"
        )),
        (false, Some(shown)) => Some(format!("{what}：{}", cells::error_message(&shown))),
        (false, None) => None,
    }
}
