//! Submission templates: what each sheet holds (derived from the catalog, so a template and the
//! calculator can never disagree on a field), and the workbook written from it.

use desk_policy::catalog::ProgrammeCatalog;
use desk_policy::formulas::{Field, FieldKind};
use desk_policy::{Catalog, PlatformCategory, Programme, Town};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet, XlsxError,
};

use crate::cells::cell_ref;
use crate::labels::{self, header};

/// Written into every template; import refuses a workbook without it.
pub const MARKER: &str = "扶持资金案件台申报模板";
/// Raised whenever a template's sheets or columns change; import refuses versions it cannot read.
pub const VERSION: &str = "2026.2";
/// The versions import reads: 2026.1 asked every programme for 是否由市外迁入总部 and 信息系统上线日期,
/// 5.a/5.b for a 服务企业统一社会信用代码, and 6.3 for a 申请金额; it reads as it did (rows by label,
/// columns by header), so a workbook filled in it imports the same.
pub const READABLE_VERSIONS: [&str; 2] = ["2026.1", VERSION];
pub const INFO_SHEET: &str = "_模板信息";
pub const GUIDE_SHEET: &str = "填报说明";
pub const BASIC_SHEET: &str = "基本信息";
pub const DECLARE_SHEET: &str = "申报事项";
/// Rows of a clause sheet: title, the clause's text, the headers, then data.
pub const HEADER_ROW: u32 = 2;
pub const FIRST_DATA_ROW: u32 = 3;
/// Rows prepared with dropdowns and formats.
const PREPARED_ROWS: u32 = 1000;

/// A column of a clause sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub field: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub header: String,
}

/// A sheet of one clause: its unit list's rows, or (no list) its own fields in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseSheet {
    pub name: String,
    pub clause: String,
    pub list: Option<&'static str>,
    pub columns: Vec<Column>,
}

/// A row of the 基本信息 sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicField {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
}

/// Everything a template of one programme holds.
#[derive(Debug, Clone)]
pub struct TemplateSpec {
    pub programme: Programme,
    pub clauses: Vec<String>,
    pub sheets: Vec<ClauseSheet>,
    pub basic: Vec<BasicField>,
}

const fn basic(key: &'static str, label: &'static str, required: bool) -> BasicField {
    BasicField {
        key,
        label,
        required,
    }
}

/// Fields the applicant does not fill (the officer's own findings: the Zhongshan finding, 不予认定).
const OFFICER_FIELDS: [&str; 2] = ["zhongshan", desk_policy::case::REFUSED];

/// 基本信息's rows that only some clauses read (CLAUSES.md: 6.13 needs relocated_hq, 6.16's cloud
/// fees system_live_on): a template asks for them only when one of its clauses does. The reader
/// still reads them from a workbook that has the row (templates of 2026.1 asked every programme).
pub const PLATFORM_FACTS: [BasicField; 2] = [
    basic("relocated_hq", "是否由市外迁入总部", false),
    basic("system_live_on", "信息系统上线日期", false),
];

/// A list's field as its sheet asks for it, beyond the calculator's schema (None: not asked).
/// 5.a's APPs and 5.b's software are counted by name (CLAUSES.md: `apps[]: name, deployed_on`,
/// `software[]: name, registered_on`): their 名称 is required, and no enterprise is served, so
/// no 服务企业统一社会信用代码 is asked (the calculator reads none for them).
fn on_sheet(list: &str, f: &Field) -> Option<Field> {
    match (list, f.name) {
        ("apps" | "software", "enterprise_credit_code") => None,
        ("apps" | "software", "name") => Some(Field {
            required: true,
            ..*f
        }),
        _ => Some(*f),
    }
}

fn sheet_name(clause: &str, title: &str) -> String {
    // Excel: at most 31 characters, none of []:*?/\.
    let name: String = format!("{clause} {title}")
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    name
}

fn column(list: Option<&str>, f: &Field) -> Column {
    let mut h = header(list, f.name, f.kind);
    if f.required {
        h.push('*');
    }
    Column {
        field: f.name,
        kind: f.kind,
        required: f.required,
        header: h,
    }
}

impl TemplateSpec {
    /// The template of a programme, for all its clauses or only `only` (e.g. ["6.2", "6.5"]).
    pub fn new(
        catalog: &Catalog,
        programme: Programme,
        only: Option<&[String]>,
    ) -> Result<Self, String> {
        let pc = catalog
            .programme(programme)
            .ok_or_else(|| format!("政策目录中没有 {programme}"))?;
        if let Some(ids) = only {
            for id in ids {
                if pc.clause(id).is_none() {
                    let all: Vec<&str> = pc.clauses.iter().map(|c| c.id.as_str()).collect();
                    return Err(format!(
                        "“{}”没有第“{id}”条，可选：{}",
                        pc.short_title,
                        all.join("、")
                    ));
                }
            }
        }
        let chosen: Vec<_> = pc
            .clauses
            .iter()
            .filter(|c| only.is_none_or(|ids| ids.iter().any(|i| i == &c.id)))
            .collect();
        let mut sheets = Vec::new();
        for clause in &chosen {
            let schema = &clause.spec.schema;
            let own: Vec<Column> = schema
                .fields
                .iter()
                .filter(|f| !OFFICER_FIELDS.contains(&f.name))
                .map(|f| column(None, f))
                .collect();
            if !own.is_empty() {
                sheets.push(ClauseSheet {
                    name: sheet_name(&clause.id, &clause.title),
                    clause: clause.id.clone(),
                    list: None,
                    columns: own,
                });
            }
            for list in &schema.lists {
                let title = if schema.lists.len() > 1 {
                    labels::list_label(list.name)
                } else {
                    &clause.title
                };
                sheets.push(ClauseSheet {
                    name: sheet_name(&clause.id, title),
                    clause: clause.id.clone(),
                    list: Some(list.name),
                    columns: list
                        .fields
                        .iter()
                        .filter(|f| !OFFICER_FIELDS.contains(&f.name))
                        .filter_map(|f| on_sheet(list.name, f))
                        .map(|f| column(Some(list.name), &f))
                        .collect(),
                });
            }
        }
        let grade = if programme.uses_category() {
            basic("category", "平台类别*", true)
        } else {
            basic("level", "平台级别*", true)
        };
        let mut basic = vec![
            basic("credit_code", "统一社会信用代码*", true),
            basic("name", "企业名称*", true),
            basic("town", "所在镇街*", true),
            basic("address", "地址", false),
            basic("contact_person", "联系人", false),
            basic("contact_phone", "联系电话", false),
            basic("platform_name", "平台名称*", true),
            grade,
            basic("recognized_on", "平台认定日期*", true),
            basic("paid_in_capital", "实缴注册资本（元）", false),
            basic(
                "fiscal_paid_in_capital",
                "其中财政资金实缴出资（元）",
                false,
            ),
            basic("year", "申报年度*", true),
        ];
        let year_row = basic.len() - 1;
        for fact in PLATFORM_FACTS.iter().rev() {
            if chosen.iter().any(|c| c.spec.reads_platform_fact(fact.key)) {
                basic.insert(year_row, *fact);
            }
        }
        Ok(TemplateSpec {
            programme,
            clauses: chosen.iter().map(|c| c.id.clone()).collect(),
            sheets,
            basic,
        })
    }

    pub fn programme_catalog<'c>(&self, catalog: &'c Catalog) -> Option<&'c ProgrammeCatalog> {
        catalog.programme(self.programme)
    }

    /// Writes the template workbook.
    pub fn workbook(&self, catalog: &Catalog) -> Result<Workbook, XlsxError> {
        let pc = self.programme_catalog(catalog);
        let mut wb = Workbook::new();
        let f = Formats::new();
        write_guide(wb.add_worksheet(), self, pc, &f)?;
        write_basic(wb.add_worksheet(), self, &f)?;
        write_declare(wb.add_worksheet(), self, pc, &f)?;
        for sheet in &self.sheets {
            let clause = pc.and_then(|p| p.clause(&sheet.clause));
            write_clause_sheet(wb.add_worksheet(), sheet, clause, &f)?;
        }
        write_info(wb.add_worksheet(), self)?;
        Ok(wb)
    }

    /// The template as .xlsx bytes.
    pub fn to_bytes(&self, catalog: &Catalog) -> Result<Vec<u8>, String> {
        self.workbook(catalog)
            .and_then(|mut wb| wb.save_to_buffer())
            .map_err(|e| format!("无法生成申报模板：{e}"))
    }
}

/// A4, landscape, one page wide, gridlines printed: how the bureau prints a submission.
pub(crate) fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_gridlines(true);
}

/// The formats every template shares.
pub(crate) struct Formats {
    pub title: Format,
    pub text_block: Format,
    pub header: Format,
    pub money: Format,
    pub date: Format,
    pub text: Format,
    pub count: Format,
    pub label: Format,
    /// A cell not to fill in (6.3's 申请金额).
    pub not_asked: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let header_fill = Color::RGB(0xDDEBF7);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            text_block: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(0x404040)),
            header: Format::new()
                .set_bold()
                .set_background_color(header_fill)
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            text: Format::new().set_num_format("@"),
            count: Format::new().set_num_format("0"),
            label: Format::new()
                .set_bold()
                .set_background_color(header_fill)
                .set_border(FormatBorder::Thin),
            not_asked: Format::new().set_background_color(Color::RGB(0xD9D9D9)),
        }
    }
}

/// Column width for a text: CJK and full-width characters count two columns, plus a margin.
/// Integer arithmetic: the workspace keeps floating point out of the code.
pub fn width_units(text: &str) -> u32 {
    let units: u32 = text
        .chars()
        .map(|c| if (c as u32) < 0x2E80 { 1 } else { 2 })
        .sum();
    units * 11 / 10 + 2
}

pub fn width(text: &str) -> f64 {
    f64::from(width_units(text))
}

/// Row height (points) for a text wrapped in a column of `columns` width units.
fn wrapped_height(text: &str, columns: u32) -> f64 {
    let lines = width_units(text).div_ceil(columns.max(1)).max(1);
    f64::from(lines * 16)
}

fn list_formula(column: &str, len: usize) -> Formula {
    Formula::new(format!("='{INFO_SHEET}'!${column}$1:${column}${len}"))
}

/// At most `max` characters (Excel's limits on a validation's texts: 32 for a title, 255 for a
/// message).
fn at_most(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A validation that says, when its cell is selected, what to fill in (`hint`), and, when a typed
/// value is refused, why (`refusal`): Excel's and WPS's own words would be English or generic.
pub(crate) fn explained(
    validation: DataValidation,
    what: &str,
    hint: &str,
    refusal: &str,
) -> Option<DataValidation> {
    validation
        .set_input_title(at_most(what, 32))
        .and_then(|v| v.set_input_message(at_most(hint, 255)))
        .and_then(|v| v.set_error_title(at_most(&format!("“{what}”填写有误"), 32)))
        .and_then(|v| v.set_error_message(at_most(refusal, 255)))
        .ok()
}

/// A dropdown of `words` for the field `what`, explained.
fn dropdown(what: &str, words: &[&str]) -> Option<DataValidation> {
    let list = words.join("、");
    explained(
        DataValidation::new().allow_list_strings(words).ok()?,
        what,
        &format!("从下拉列表选择：{list}"),
        &format!("“{what}”只能填写下拉列表中的一项：{list}"),
    )
}

fn validation_for(kind: FieldKind, field: &str, header: &str) -> Option<DataValidation> {
    let what = header.trim_end_matches('*');
    match kind {
        FieldKind::Bool => dropdown(what, &["是", "否"]),
        FieldKind::Choice(allowed) => dropdown(what, &labels::choice_words(field, allowed)),
        _ => None,
    }
}

/// How a column is filled in, in words: its unit and form (the sheet says so above its headers).
fn form_of(kind: FieldKind, field: &str) -> String {
    match kind {
        FieldKind::Money => "金额，以元为单位，可带两位小数".into(),
        FieldKind::Number => "数字，单位见表头".into(),
        FieldKind::Count => "整数".into(),
        FieldKind::Date => "日期，如 2021-03-05".into(),
        FieldKind::Month => "月份，如 2021-03".into(),
        FieldKind::CreditCode => "18位统一社会信用代码".into(),
        FieldKind::Bool => "从下拉列表选择 是 或 否".into(),
        FieldKind::Text => "文字".into(),
        FieldKind::Choice(allowed) => format!(
            "从下拉列表选择：{}",
            labels::choice_words(field, allowed).join("、")
        ),
    }
}

/// The sheet's note on its columns' units and forms, under the clause's text.
pub fn columns_note(sheet: &ClauseSheet) -> String {
    let columns: Vec<String> = sheet
        .columns
        .iter()
        .map(|c| format!("{}：{}", c.header, form_of(c.kind, c.field)))
        .collect();
    let rows = if sheet.list.is_some() {
        format!("从第{}行起一行一项", FIRST_DATA_ROW + 1)
    } else {
        format!("只填第{}行", FIRST_DATA_ROW + 1)
    };
    format!(
        "填写要求（带 * 的必填；{rows}；以万元填写金额时，把表头的“（元）”改为“（万元）”）：{}。",
        columns.join("；")
    )
}

fn format_for(kind: FieldKind, f: &Formats) -> &Format {
    match kind {
        FieldKind::Money | FieldKind::Number => &f.money,
        FieldKind::Date => &f.date,
        FieldKind::Count => &f.count,
        _ => &f.text,
    }
}

fn write_clause_sheet(
    ws: &mut Worksheet,
    sheet: &ClauseSheet,
    clause: Option<&desk_policy::catalog::Clause>,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    print_setup(ws);
    let last_col = sheet.columns.len().max(1) as u16 - 1;
    let title = clause
        .map(|c| format!("第{}条 {}　{}", c.id, c.title, c.citation))
        .unwrap_or_else(|| sheet.name.clone());
    let text = clause
        .map(|c| format!("条文：{}\n{}", c.text, columns_note(sheet)))
        .unwrap_or_else(|| columns_note(sheet));
    if last_col > 0 {
        ws.merge_range(0, 0, 0, last_col, &title, &f.title)?;
        ws.merge_range(1, 0, 1, last_col, &text, &f.text_block)?;
    } else {
        ws.write_string_with_format(0, 0, &title, &f.title)?;
        ws.write_string_with_format(1, 0, &text, &f.text_block)?;
    }
    let text_width: u32 = sheet
        .columns
        .iter()
        .map(|c| width_units(&c.header).max(14))
        .sum();
    ws.set_row_height(1, wrapped_height(&text, text_width.max(20)))?;
    ws.set_row_height(HEADER_ROW, 32)?;
    let rows = if sheet.list.is_some() {
        PREPARED_ROWS
    } else {
        1
    };
    for (i, col) in sheet.columns.iter().enumerate() {
        let c = i as u16;
        ws.write_string_with_format(HEADER_ROW, c, &col.header, &f.header)?;
        ws.set_column_width(c, width(&col.header).max(14.0))?;
        ws.set_column_format(c, format_for(col.kind, f))?;
        if let Some(v) = validation_for(col.kind, col.field, &col.header) {
            ws.add_data_validation(FIRST_DATA_ROW, c, FIRST_DATA_ROW + rows - 1, c, &v)?;
        }
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    Ok(())
}

fn write_basic(ws: &mut Worksheet, spec: &TemplateSpec, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(BASIC_SHEET)?;
    print_setup(ws);
    ws.write_string_with_format(0, 0, "申报单位与平台基本信息", &f.title)?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 48)?;
    ws.set_column_width(2, 40)?;
    ws.write_string_with_format(1, 0, "项目", &f.header)?;
    ws.write_string_with_format(1, 1, "填写内容", &f.header)?;
    ws.write_string_with_format(1, 2, "说明", &f.header)?;
    let towns = Town::all().count();
    let categories = PlatformCategory::all().count();
    for (i, field) in spec.basic.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, field.label, &f.label)?;
        let what = field.label.trim_end_matches('*');
        let (hint, validation, format) = match field.key {
            "credit_code" => ("18位，如 91442000MA4W4K8L06", None, &f.text),
            "name" => ("文字，与营业执照一致", None, &f.text),
            "address" => ("文字", None, &f.text),
            "contact_person" => ("文字，姓名", None, &f.text),
            "contact_phone" => ("如 0760-88888888 或手机号码", None, &f.text),
            "platform_name" => ("文字，与平台认定文件一致", None, &f.text),
            "town" => (
                "从下拉列表选择",
                explained(
                    DataValidation::new().allow_list_formula(list_formula("D", towns)),
                    what,
                    &format!("从下拉列表选择企业所在的镇街（中山市 {towns} 个镇街之一）"),
                    "“所在镇街”只能从下拉列表中选择一个中山市的镇街",
                ),
                &f.text,
            ),
            "category" => (
                "从下拉列表选择，见《实施意见》三、建设重点",
                explained(
                    DataValidation::new().allow_list_formula(list_formula("E", categories)),
                    what,
                    "从下拉列表选择平台类别，见《实施意见》三、建设重点",
                    "“平台类别”只能从下拉列表中选择一项（《实施意见》三、建设重点）",
                ),
                &f.text,
            ),
            "level" => (
                "从下拉列表选择 标杆平台 或 市级平台",
                dropdown(what, &["标杆平台", "市级平台"]),
                &f.text,
            ),
            "recognized_on" | "system_live_on" => ("日期，如 2019-07-15", None, &f.date),
            "paid_in_capital" | "fiscal_paid_in_capital" => (
                "金额，以元为单位，可带两位小数；以万元填写时，把A列的“（元）”改为“（万元）”",
                None,
                &f.money,
            ),
            "relocated_hq" => (
                "从下拉列表选择 是 或 否",
                dropdown(what, &["是", "否"]),
                &f.text,
            ),
            "year" => ("四位年份，如 2020", None, &f.count),
            _ => ("", None, &f.text),
        };
        ws.write_blank(row, 1, format)?;
        ws.write_string(row, 2, hint)?;
        if let Some(v) = validation {
            ws.add_data_validation(row, 1, row, 1, &v)?;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_active(true);
    Ok(())
}

fn write_declare(
    ws: &mut Worksheet,
    spec: &TemplateSpec,
    pc: Option<&ProgrammeCatalog>,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(DECLARE_SHEET)?;
    print_setup(ws);
    ws.write_string_with_format(
        0,
        0,
        "申报事项（有明细表的条款，填写明细即视为申报；申报的每一条都须填写申请金额，不计金额的条款除外）",
        &f.title,
    )?;
    // 是否申报 is not required: a clause whose detail sheet has rows is declared by them.
    for (c, (h, w)) in [
        ("条款", 8.0),
        ("名称", 34.0),
        ("出处", 26.0),
        ("是否申报", 12.0),
        ("申请金额（元）*", 18.0),
        ("说明", 52.0),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(1, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, id) in spec.clauses.iter().enumerate() {
        let row = 2 + i as u32;
        let clause = pc.and_then(|p| p.clause(id));
        ws.write_string(row, 0, id)?;
        ws.write_string(row, 1, clause.map(|c| c.title.as_str()).unwrap_or_default())?;
        ws.write_string(
            row,
            2,
            clause.map(|c| c.citation.as_str()).unwrap_or_default(),
        )?;
        // A clause that carries no money (6.3, a check only) offers no 申请金额: its cell is
        // greyed and refuses any entry, as the reader does.
        match clause.filter(|c| !c.formula.carries_money()) {
            Some(c) => {
                ws.write_blank(row, 4, &f.not_asked)?;
                let words = format!("第{}条不计补助金额，无需填写申请金额，此格留空", c.id);
                let empty = DataValidation::new()
                    .allow_text_length(DataValidationRule::EqualTo(0))
                    .ignore_blank(true);
                if let Some(v) = explained(empty, "申请金额", &words, &words) {
                    ws.add_data_validation(row, 4, row, 4, &v)?;
                }
                ws.write_string(
                    row,
                    5,
                    format!("本条不计补助金额，申请金额留空；{}", declared_by(spec, id)),
                )?;
            }
            None => {
                ws.write_blank(row, 4, &f.money)?;
                ws.write_string(
                    row,
                    5,
                    format!(
                        "申报本条须填写申请金额（元，可带两位小数；以万元填写时把表头的“（元）”改为“（万元）”）；{}",
                        declared_by(spec, id)
                    ),
                )?;
            }
        }
    }
    if !spec.clauses.is_empty() {
        let last = 2 + spec.clauses.len() as u32 - 1;
        if let Some(v) = dropdown("是否申报", &["是", "否"]) {
            ws.add_data_validation(2, 3, last, 3, &v)?;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    Ok(())
}

/// How a clause is declared: by its detail sheet's rows, or by 是 in 是否申报.
fn declared_by(spec: &TemplateSpec, clause: &str) -> String {
    match spec
        .sheets
        .iter()
        .find(|s| s.clause == clause && s.list.is_some())
    {
        Some(sheet) => format!("在“{}”表填写明细即视为申报，是否申报可不填", sheet.name),
        None => "申报本条请在“是否申报”选“是”".into(),
    }
}

/// The guide's example of a cell a message names: the first cell of the template's first detail
/// sheet (or 基本信息's first value), as the import names it.
pub fn example_cell(spec: &TemplateSpec) -> String {
    match spec.sheets.first() {
        Some(sheet) => format!("{}!{}", sheet.name, cell_ref(FIRST_DATA_ROW, 0)),
        None => format!("{BASIC_SHEET}!{}", cell_ref(2, 1)),
    }
}

fn write_guide(
    ws: &mut Worksheet,
    spec: &TemplateSpec,
    pc: Option<&ProgrammeCatalog>,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(GUIDE_SHEET)?;
    print_setup(ws);
    ws.set_column_width(0, 110)?;
    let title = pc.map(|p| p.short_title.as_str()).unwrap_or_default();
    let mut lines = vec![
        format!("{title}申报表（模板版本 {VERSION}）"),
        "填报说明".to_string(),
        "1. 先填写“基本信息”表，带 * 的为必填项。统一社会信用代码为18位，系统会核对校验位。"
            .to_string(),
        "2. 在“申报事项”表中选择申报的条款；有明细表的条款，在对应明细表中逐行填写即视为申报。"
            .to_string(),
        "3. 明细表从第4行起填写，一行一项；不要修改表头、表名，不要删除隐藏的“_模板信息”表。"
            .to_string(),
        "4. 金额以元为单位，可带两位小数；如确需以万元填写，请把表头中的“（元）”改为“（万元）”。"
            .to_string(),
        "5. 日期写成 2021-03-05（或 2021/3/5、2021年3月5日）；月份写成 2021-03。".to_string(),
        format!(
            "6. 导入时系统会逐格检查，并指出有误的单元格（如“{}”），请按提示修改后重新提交。",
            example_cell(spec)
        ),
        format!(
            "7. 可用 Excel、WPS 或 LibreOffice 填写，保存为以下格式之一提交：{}。",
            crate::formats_text()
        ),
        String::new(),
        "本表包含的条款及条文：".to_string(),
    ];
    if let Some(pc) = pc {
        for id in &spec.clauses {
            if let Some(c) = pc.clause(id) {
                lines.push(format!(
                    "第{}条 {}（{}）：{}",
                    c.id, c.title, c.citation, c.text
                ));
            }
        }
    }
    for (i, line) in lines.iter().enumerate() {
        let format = if i == 0 { &f.title } else { &f.text_block };
        ws.write_string_with_format(i as u32, 0, line, format)?;
        if i >= 11 {
            ws.set_row_height(i as u32, wrapped_height(line, 110))?;
        }
    }
    Ok(())
}

fn write_info(ws: &mut Worksheet, spec: &TemplateSpec) -> Result<(), XlsxError> {
    ws.set_name(INFO_SHEET)?;
    ws.write_string(0, 0, MARKER)?;
    ws.write_string(0, 1, spec.programme.id())?;
    ws.write_string(1, 0, "版本")?;
    ws.write_string(1, 1, VERSION)?;
    ws.write_string(2, 0, "条款")?;
    ws.write_string(2, 1, spec.clauses.join(","))?;
    for (i, town) in Town::all().enumerate() {
        ws.write_string(i as u32, 3, town.name())?;
    }
    for (i, c) in PlatformCategory::all().enumerate() {
        ws.write_string(i as u32, 4, c.to_string())?;
    }
    ws.set_hidden(true);
    Ok(())
}
