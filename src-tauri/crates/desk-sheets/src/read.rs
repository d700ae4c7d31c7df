//! Reading a filled submission: recognise the template and its version, read every cell with the
//! tolerance of `cells`, report every problem at once (sheet, cell, Chinese message), and build the
//! calculator's case file. The calculator's own checks run too; their problems are mapped back to cells.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};
use foldhash::fast::FixedState;

use crate::lean::{Lean, LeanWorkbook, SheetCells};
use crate::package::{self, Contents};
use chrono::{Datelike, NaiveDate};
use desk_policy::case::{FieldValue, InputErrors, Item, PlatformFacts, Row, YearMonth};
use desk_policy::formulas::FieldKind;
use desk_policy::{
    Case, Catalog, CreditCode, Money, PlatformCategory, PlatformLevel, Programme, TextKind, Town,
    UnitsJson, calculate,
};
use serde_json::{Map, Value, json};

use crate::cells::{self, cell_ref, is_empty, text_of};
use crate::labels::{self, header_key, money_unit};
use crate::template::{
    BASIC_SHEET, ClauseSheet, DECLARE_SHEET, HEADER_ROW, INFO_SHEET, MARKER, TemplateSpec, VERSION,
};

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
    /// Our template with cells to correct: every problem at once.
    Cells(Vec<CellError>),
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
                "文件不是可读取的 Excel 工作簿（{detail}）。请用本局下发的申报模板填写，保存为 Excel 工作簿（.xlsx、.xlsm 或 .xls）后再提交。"
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
            ReadError::Cells(errors) => {
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

/// Where each JSON path of the case file came from, to put the calculator's problems in a cell.
#[derive(Default)]
struct Origins {
    /// Case-file paths read from the 基本信息 sheet ("platform.category", "year") → their cell.
    basic: HashMap<&'static str, String>,
    /// (clause, list; None for an item's own fields) → where its rows and columns are.
    units: Vec<UnitOrigin>,
    /// The clause of each item of the case file, by position.
    item_clauses: Vec<String>,
}

struct UnitOrigin {
    clause: String,
    list: Option<&'static str>,
    sheet: String,
    /// The worksheet row of each unit, in the case file's order.
    rows: Vec<u32>,
    columns: HashMap<&'static str, u32>,
}

impl Origins {
    /// The cell a case-file path came from: the unit's cell for a field, the unit's first cell for a
    /// unit, the sheet for an item, the 基本信息 cell for platform facts.
    fn locate(&self, path: &str) -> Option<(String, String)> {
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

/// The case-file path of each 基本信息 field the calculator reads.
fn basic_path(key: &str) -> Option<&'static str> {
    Some(match key {
        "credit_code" => "platform.credit_code",
        "category" => "platform.category",
        "level" => "platform.level",
        "recognized_on" => "platform.recognized_on",
        "paid_in_capital" => "platform.paid_in_capital",
        "fiscal_paid_in_capital" => "platform.fiscal_paid_in_capital",
        "relocated_hq" => "platform.relocated_hq",
        "system_live_on" => "platform.system_live_on",
        "year" => "year",
        _ => return None,
    })
}

struct Ctx {
    errors: Vec<CellError>,
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
                    origins: self.origins,
                    notes: Vec::new(),
                };
                put_in_cells(&mut ctx, errors);
                Err(ReadError::Cells(ctx.errors))
            }
        }
    }
}

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
        return Ok(SheetCells {
            range: package::dense(name, cells)?,
            formulas,
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
    Ok(SheetCells { range, formulas })
}

fn read(bytes: &[u8], catalog: &Catalog) -> Result<TypedSubmission, ReadError> {
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
    if version != VERSION {
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

    let mut ctx = Ctx {
        errors: Vec::new(),
        origins: Origins::default(),
        notes: Vec::new(),
    };
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
            Err(_) => ctx.error(
                name,
                String::new(),
                format!("缺少工作表“{name}”（请勿删除或改名模板中的工作表）"),
            ),
        }
    }
    // Every part inflates within the limits (the lean reader has checked only those it read).
    let contents = wb.contents()?;
    let empty = SheetCells {
        range: Range::<Data>::empty(),
        formulas: Vec::new(),
    };
    let basic = read_basic(
        &mut ctx,
        &spec,
        sheets_read.get(BASIC_SHEET).unwrap_or(&empty),
    );
    let mut declare_rows = HashMap::new();
    let (declared, requested) = read_declare(
        &mut ctx,
        &spec,
        sheets_read.get(DECLARE_SHEET).unwrap_or(&empty),
        &mut declare_rows,
    );
    let year = basic.as_ref().map(|b| b.1);
    let mut items: Vec<Item> = Vec::new();
    let mut rows = 0usize;
    let new_item = |clause: &str| Item {
        index: 0,
        clause: clause.to_string(),
        fields: Row::default(),
        lists: Vec::new(),
    };
    for sheet in &spec.sheets {
        let Some(cells) = sheets_read.get(&sheet.name) else {
            continue;
        };
        let Some(units) = read_clause_sheet(&mut ctx, sheet, cells, year) else {
            continue;
        };
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
    for clause in &declared {
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
    // 申请金额 is required for every declared clause that carries money (CLAUSES.md, revised):
    // the approval stays within it.
    if let Some(pc) = catalog.programme(programme) {
        for item in &items {
            let Some(clause) = pc.clause(&item.clause) else {
                continue;
            };
            if clause.formula.carries_money() && !requested.contains_key(&item.clause) {
                let row = declare_rows.get(&item.clause).copied().unwrap_or_else(|| {
                    2 + spec
                        .clauses
                        .iter()
                        .position(|c| c == &item.clause)
                        .unwrap_or(0) as u32
                });
                let cell = cell_ref(row, 4);
                // A cell already refused (a formula, text) has its one message.
                if ctx
                    .errors
                    .iter()
                    .any(|e| e.sheet == DECLARE_SHEET && e.cell == cell)
                {
                    continue;
                }
                ctx.error(
                    DECLARE_SHEET,
                    cell,
                    format!(
                        "申请金额：申报第{}条（{}）必须填写申请金额",
                        clause.id, clause.title
                    ),
                );
            }
        }
    }
    let Some((applicant, year)) = basic else {
        return Err(ReadError::Cells(ctx.errors));
    };
    ctx.origins.item_clauses = items.iter().map(|i| i.clause.clone()).collect();
    if !ctx.errors.is_empty() {
        return Err(ReadError::Cells(ctx.errors));
    }
    let requested = items
        .iter()
        .map(|i| requested.get(&i.clause).copied())
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
            Err(ReadError::Cells(ctx.errors))
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

/// The reader's complaint in words an officer can act on.
fn brief(detail: &str) -> String {
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

/// Puts each of the calculator's problems in its cell.
fn put_in_cells(ctx: &mut Ctx, errors: InputErrors) {
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

fn value_at(range: &Range<Data>, row: u32, col: u32) -> &Data {
    range.get_value((row, col)).unwrap_or(&Data::Empty)
}

/// Whether a cell holds a formula (`formulas` sorted).
fn has_formula(sheet: &SheetCells, row: u32, col: u32) -> bool {
    sheet.formulas.binary_search(&(row, col)).is_ok()
}

/// A formula in a cell the applicant fills in: its value would be whatever Excel last computed
/// (`<f>10*10</f><v>99999</v>` reads 99999), so the value must be typed.
fn formula_message(row: Option<u32>, what: &str, cell: &str) -> String {
    let row = row.map(|r| format!("第{}行", r + 1)).unwrap_or_default();
    format!("{row}“{what}”单元格 {cell} 含公式，请把公式改为数值（复制后“选择性粘贴→数值”）")
}

fn read_basic(ctx: &mut Ctx, spec: &TemplateSpec, sheet: &SheetCells) -> Option<(Applicant, i32)> {
    let range = &sheet.range;
    // Rows are found by their label in column A, so a moved row still reads.
    let mut by_label: HashMap<String, u32> = HashMap::new();
    if let Some((end_row, _)) = range.end() {
        for row in 0..=end_row {
            let label = header_key(&text_of(value_at(range, row, 0)));
            if !label.is_empty() {
                by_label.entry(label).or_insert(row);
            }
        }
    }
    let before = ctx.errors.len();
    let get = |ctx: &mut Ctx, key: &str| -> Option<(u32, Data)> {
        let field = spec.basic.iter().find(|b| b.key == key)?;
        let Some(&row) = by_label.get(&header_key(field.label)) else {
            ctx.error(
                BASIC_SHEET,
                String::new(),
                format!("找不到“{}”一行（请勿修改A列的项目名称）", field.label),
            );
            return None;
        };
        let cell = value_at(range, row, 1).clone();
        if is_empty(&cell) {
            if field.required {
                ctx.error(
                    BASIC_SHEET,
                    cell_ref(row, 1),
                    format!("{}不能为空", field.label.trim_end_matches('*')),
                );
            }
            return None;
        }
        if has_formula(sheet, row, 1) {
            let at = cell_ref(row, 1);
            let what = field.label.trim_end_matches('*');
            ctx.error(BASIC_SHEET, at.clone(), formula_message(None, what, &at));
            return None;
        }
        if let Some(path) = basic_path(key) {
            ctx.origins.basic.insert(path, cell_ref(row, 1));
        }
        Some((row, cell))
    };
    let parse =
        |ctx: &mut Ctx, key: &str, f: &dyn Fn(&Data) -> Result<Value, String>| -> Option<Value> {
            let (row, cell) = get(ctx, key)?;
            match f(&cell) {
                Ok(v) => Some(v),
                Err(message) => {
                    ctx.error(BASIC_SHEET, cell_ref(row, 1), message);
                    None
                }
            }
        };
    // Texts as they are kept: the rule every entrance uses (`desk_policy::text`), the field named.
    let kept = |kind: TextKind, key: &str| {
        let label = spec
            .basic
            .iter()
            .find(|b| b.key == key)
            .map_or("", |b| b.label.trim_end_matches('*'));
        move |d: &Data| -> Result<Value, String> {
            // A phone number is a number, read normalised; names and addresses as typed.
            let text = if kind == TextKind::Phone {
                text_of(d)
            } else {
                cells::typed_text(d)
            };
            desk_policy::text::field_text(label, kind, &text).map(|t| json!(t))
        }
    };
    let code = parse(ctx, "credit_code", &|d| {
        CreditCode::parse(&text_of(d))
            .map(|c| json!(c))
            .map_err(|e| format!("{e}（填写为“{}”）", text_of(d)))
    });
    let name = parse(ctx, "name", &kept(TextKind::Name, "name"));
    let town = parse(ctx, "town", &|d| {
        Town::parse(&text_of(d)).map(|t| json!(t.name()))
    });
    let address = parse(ctx, "address", &kept(TextKind::Address, "address"));
    let contact_person = parse(
        ctx,
        "contact_person",
        &kept(TextKind::Person, "contact_person"),
    );
    let contact_phone = parse(
        ctx,
        "contact_phone",
        &kept(TextKind::Phone, "contact_phone"),
    );
    let platform_name = parse(ctx, "platform_name", &kept(TextKind::Name, "platform_name"));
    let category = parse(ctx, "category", &|d| {
        let t = text_of(d);
        let number: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        PlatformCategory::parse(if number.is_empty() { &t } else { &number })
            .map(|c| json!(c.number()))
    });
    let level = parse(ctx, "level", &|d| {
        PlatformLevel::parse(&text_of(d)).map(|l| json!(l.id()))
    });
    let recognized_on = parse(ctx, "recognized_on", &|d| {
        cells::date(d).map(|x| json!(x.to_string()))
    });
    // A money row's unit is its label's as the applicant left it (实缴注册资本（万元）).
    let unit_of = |key: &str| {
        spec.basic
            .iter()
            .find(|b| b.key == key)
            .and_then(|f| by_label.get(&header_key(f.label)))
            .map_or(labels::MoneyUnit::Yuan, |&row| {
                money_unit(&text_of(value_at(range, row, 0)))
            })
    };
    let (paid_unit, fiscal_unit) = (
        unit_of("paid_in_capital"),
        unit_of("fiscal_paid_in_capital"),
    );
    let paid = parse(ctx, "paid_in_capital", &|d| {
        cells::stored_money(d, paid_unit).map(|m| json!(m.to_string()))
    });
    let fiscal = parse(ctx, "fiscal_paid_in_capital", &|d| {
        cells::stored_money(d, fiscal_unit).map(|m| json!(m.to_string()))
    });
    let relocated = parse(ctx, "relocated_hq", &|d| cells::yes_no(d).map(|b| json!(b)));
    let live = parse(ctx, "system_live_on", &|d| {
        cells::date(d).map(|x| json!(x.to_string()))
    });
    let pc = desk_policy::Catalog::embedded().programme(spec.programme);
    let (first, last) = pc.map_or((2000, 2100), |p| {
        (p.first_application_year(), p.last_application_year)
    });
    let document = pc.map(|p| p.document.clone()).unwrap_or_default();
    let year = parse(ctx, "year", &|d| match cells::count(d) {
        Ok(y) if (first as u64..=last as u64).contains(&y) => Ok(json!(y)),
        Ok(y) if (2000..=2100).contains(&y) => Err(format!(
            "申报年度 {y} 不在{document}的申报年度（{first}—{last}）内"
        )),
        _ => Err(format!(
            "申报年度应为四位年份，如 2020，收到“{}”",
            text_of(d)
        )),
    });
    if ctx.errors.len() > before {
        return None;
    }
    let s = |v: &Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let money = |v: &Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .and_then(|m| m.parse().ok())
    };
    let date = |v: &Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let applicant = Applicant {
        credit_code: CreditCode::parse(&s(&code)).ok()?,
        name: s(&name),
        town: Town::parse(&s(&town)).ok()?,
        address: s(&address),
        contact_person: s(&contact_person),
        contact_phone: s(&contact_phone),
        platform_name: s(&platform_name),
        category: category
            .and_then(|c| c.as_u64())
            .and_then(|n| PlatformCategory::new(n as u8).ok()),
        level: level.and_then(|l| l.as_str().and_then(|l| PlatformLevel::parse(l).ok())),
        recognized_on: date(&recognized_on)?,
        paid_in_capital: money(&paid),
        fiscal_paid_in_capital: money(&fiscal),
        relocated_hq: relocated.and_then(|b| b.as_bool()).unwrap_or(false),
        system_live_on: date(&live),
    };
    let year = year.and_then(|y| y.as_i64())? as i32;
    Some((applicant, year))
}

/// The 申报事项 sheet: clauses marked 是, and the amount asked for each.
fn read_declare(
    ctx: &mut Ctx,
    spec: &TemplateSpec,
    sheet: &SheetCells,
    rows_of: &mut HashMap<String, u32>,
) -> (Vec<String>, HashMap<String, Money>) {
    let range = &sheet.range;
    let mut declared = Vec::new();
    let mut requested = HashMap::new();
    let Some((end_row, _)) = range.end() else {
        return (declared, requested);
    };
    for row in 2..=end_row {
        let clause = text_of(value_at(range, row, 0));
        if clause.is_empty() {
            continue;
        }
        rows_of.entry(clause.clone()).or_insert(row);
        if !spec.clauses.contains(&clause) {
            ctx.error(
                DECLARE_SHEET,
                cell_ref(row, 0),
                format!("本模板没有第“{clause}”条"),
            );
            continue;
        }
        let formula = |ctx: &mut Ctx, col: u32| {
            let found = has_formula(sheet, row, col);
            if found {
                let at = cell_ref(row, col);
                let what = text_of(value_at(range, 1, col));
                let what = what.trim_end_matches('*');
                ctx.error(
                    DECLARE_SHEET,
                    at.clone(),
                    formula_message(Some(row), what, &at),
                );
            }
            found
        };
        let answer = value_at(range, row, 3);
        if !is_empty(answer) && !formula(ctx, 3) {
            match cells::yes_no(answer) {
                Ok(true) => declared.push(clause.clone()),
                Ok(false) => {}
                Err(message) => ctx.error(DECLARE_SHEET, cell_ref(row, 3), message),
            }
        }
        let amount = value_at(range, row, 4);
        if !is_empty(amount) && !formula(ctx, 4) {
            match cells::stored_money(amount, money_unit(&text_of(value_at(range, 1, 4)))) {
                Ok(m) => {
                    requested.insert(clause, m);
                }
                Err(message) => ctx.error(DECLARE_SHEET, cell_ref(row, 4), message),
            }
        }
    }
    (declared, requested)
}

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
fn read_clause_sheet(
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
    let mut columns: Vec<(usize, u32, labels::MoneyUnit)> = Vec::new();
    for (i, col) in sheet.columns.iter().enumerate() {
        let key = header_key(&col.header);
        let found =
            (0..=last_col).find(|&c| header_key(&text_of(value_at(range, header, c))) == key);
        match found {
            Some(c) => columns.push((i, c, money_unit(&text_of(value_at(range, header, c))))),
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
    let mut units: Vec<Row> = Vec::with_capacity(filled);
    let mut seen: HashMap<u64, u32, FixedState> = HashMap::default();
    let mut unit_rows: Vec<u32> = Vec::new();
    let mut raw: Vec<&Data> = Vec::with_capacity(columns.len());
    for row in first..=end_row {
        raw.clear();
        raw.extend(columns.iter().map(|(_, c, _)| value_at(range, row, *c)));
        if raw.iter().all(|d| is_empty(d)) {
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
            ctx.error(
                name,
                cell_ref(row, columns[0].1),
                format!("与第{}行完全相同（重复填写）", first_row + 1),
            );
            continue;
        }
        seen.insert(key, row);
        let mut unit = Row {
            index: units.len(),
            values: Vec::with_capacity(columns.len()),
        };
        for ((i, c, money_unit), cell) in columns.iter().zip(&raw) {
            let col = &sheet.columns[*i];
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
            if has_formula(cells, row, *c) {
                let what = col.header.trim_end_matches('*');
                ctx.error(name, at(), formula_message(Some(row), what, &at()));
                continue;
            }
            match read_value(cell, col.kind, col.field, *money_unit) {
                Ok((v, date, typed_unit)) => {
                    if let Some(problem) = outside_year(date, col.kind, sheet.list, year) {
                        ctx.error(name, at(), problem);
                    } else {
                        if let (Some(typed), FieldValue::Money(m)) = (typed_unit, &v) {
                            ctx.notes.push(unit_note(name, &at(), col, cell, typed, *m));
                        }
                        unit.values.push((col.field, v));
                    }
                }
                Err(message) => {
                    let what = col.header.trim_end_matches('*');
                    ctx.error(name, at(), format!("{what}{message}"));
                }
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

/// A cell's value, typed as the calculator reads it, the date when it is one, and the unit typed
/// in a money cell when it differs from its column's.
fn read_value(
    cell: &Data,
    kind: FieldKind,
    field: &str,
    unit: labels::MoneyUnit,
) -> Result<(FieldValue, Option<NaiveDate>, Option<labels::MoneyUnit>), String> {
    let plain = |v: FieldValue| (v, None, None);
    match kind {
        FieldKind::Date => cells::date(cell).map(|d| (FieldValue::Date(d), Some(d), None)),
        // Amounts are kept to the fen, as the database keeps them; a rate per m² may be finer.
        FieldKind::Money if field.ends_with("_per_m2") => {
            cells::money(cell, unit).map(|m| plain(FieldValue::Money(m)))
        }
        FieldKind::Money => cells::money_reading(cell, unit).and_then(|(m, typed)| {
            desk_policy::money::to_cents(m)
                .map(|_| (FieldValue::Money(m), None, typed))
                .map_err(|e| e.to_string())
        }),
        FieldKind::Number => {
            cells::money(cell, labels::MoneyUnit::Yuan).map(|m| plain(FieldValue::Money(m)))
        }
        FieldKind::Count => cells::count(cell).map(|n| plain(FieldValue::Count(n))),
        FieldKind::Month => cells::month(cell)
            .map(|(year, month)| plain(FieldValue::Month(YearMonth { year, month }))),
        FieldKind::CreditCode => {
            let t = text_of(cell);
            CreditCode::parse(&t)
                .map(|c| plain(FieldValue::Code(c)))
                .map_err(|e| format!("：{e}（填写为“{t}”）"))
        }
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
