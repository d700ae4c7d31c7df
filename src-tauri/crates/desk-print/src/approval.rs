//! The approval form (审批表): applicant, items with ceilings and approvals, totals in figures and in
//! words (大写金额), the opinions and signatures of 经办人, 复核人 and 审批人, and an appendix with each
//! line's clause text and calculation steps. Long tables break across pages with the header repeated,
//! and every page carries "第 N 页 共 M 页".

use chrono::NaiveDate;
use desk_policy::Money;
use desk_policy::money::format_grouped;
use desk_policy::money_words::in_words;
use printpdf::{FontId, PdfDocument, PdfPage, PdfSaveOptions};

use crate::canvas::{Align, BOTTOM, Canvas, LEFT, PAGE_W, RIGHT, TOP, finish};
use crate::fonts::{faces, wrap};

/// One declared item as the form shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FormItem {
    pub seq: i64,
    pub clause: String,
    pub title: String,
    pub citation: String,
    /// What was declared, in a few words ("租赁场地 2 处，申请 760,000.00 元").
    pub declared: String,
    pub ceiling: Option<Money>,
    pub approved: Option<Money>,
    pub reason: String,
}

/// An officer's block: role (经办人, 复核人, 审批人), who signed and when, and the opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub role: String,
    pub name: String,
    pub date: Option<NaiveDate>,
    pub opinion: String,
}

/// A line of the calculation appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub heading: String,
    pub clause_text: String,
    pub steps: Vec<String>,
    /// The units that did not count, each with why ("验收合同第2行：不予认定：缺少验收报告").
    pub excluded: Vec<String>,
    pub result: String,
}

/// Everything the approval form of one case prints.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalForm {
    pub bureau: String,
    pub title: String,
    pub case_no: String,
    pub year: i32,
    pub batch: String,
    pub programme: String,
    pub applicant: String,
    pub credit_code: String,
    pub town: String,
    pub platform: String,
    pub grade: String,
    pub recognized_on: NaiveDate,
    pub items: Vec<FormItem>,
    pub signatures: Vec<Signature>,
    pub explanations: Vec<Explanation>,
    pub printed_on: NaiveDate,
}

const BODY: f32 = 10.5;
const SMALL: f32 = 9.0;
const LINE: f32 = 4.8;
/// Columns of the items table: 序号, 条款及依据, 申报内容, 最高可补助额, 核定金额, 核减理由 (156 mm).
const COLUMNS: [(f32, &str); 6] = [
    (9.0, "序号"),
    (44.0, "条款及依据"),
    (27.0, "申报内容"),
    (26.0, "最高可补助额\n（元）"),
    (26.0, "核定金额\n（元）"),
    (24.0, "核减理由"),
];

fn column_x(i: usize) -> f32 {
    LEFT + COLUMNS[..i].iter().map(|(w, _)| w).sum::<f32>()
}

fn amount(m: Option<Money>) -> String {
    m.map(format_grouped).unwrap_or_else(|| "—".into())
}

/// One form as a PDF (A4).
pub fn approval_pdf(form: &ApprovalForm) -> Result<Vec<u8>, String> {
    batch_pdf(std::slice::from_ref(form))
}

/// Several forms in one PDF, each starting on a new page with its own page numbers.
pub fn batch_pdf(forms: &[ApprovalForm]) -> Result<Vec<u8>, String> {
    let mut batch = BatchPdf::new()?;
    for form in forms {
        batch.add(form)?;
    }
    batch.finish()
}

/// A batch of approval forms laid out one form at a time, so that the caller can gather each
/// form just before it is laid out and report progress case by case; [`BatchPdf::finish`] writes
/// the one PDF (fonts embedded as subsets of every glyph the batch uses).
pub struct BatchPdf {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    pages: Vec<PdfPage>,
    forms: usize,
}

impl std::fmt::Debug for BatchPdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchPdf")
            .field("forms", &self.forms)
            .field("pages", &self.pages.len())
            .finish()
    }
}

impl BatchPdf {
    pub fn new() -> Result<Self, String> {
        let (regular, bold) = faces().ok_or("内置字体无法读取（构建缺陷）")?;
        let mut doc = PdfDocument::new("扶持资金审批表");
        let regular = doc.add_font(regular);
        let bold = doc.add_font(bold);
        Ok(BatchPdf {
            doc,
            regular,
            bold,
            pages: Vec::new(),
            forms: 0,
        })
    }

    /// Lays out one more form, from a new page with its own page numbers.
    pub fn add(&mut self, form: &ApprovalForm) -> Result<(), String> {
        let mut canvas = Canvas::new(self.regular.clone(), self.bold.clone());
        layout(&mut canvas, form)?;
        let printed = format!("打印日期：{}", form.printed_on);
        self.pages.extend(finish(
            std::mem::take(&mut canvas.pages),
            &self.regular,
            &self.bold,
            &printed,
            &form.case_no,
        ));
        self.forms += 1;
        Ok(())
    }

    /// How many forms have been laid out.
    pub fn forms(&self) -> usize {
        self.forms
    }

    /// The PDF of every form added; a batch without forms is refused.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        if self.pages.is_empty() {
            return Err("没有可打印的案件".into());
        }
        let options = PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        };
        let pages = std::mem::take(&mut self.pages);
        Ok(self.doc.with_pages(pages).save(&options, &mut Vec::new()))
    }
}

fn layout(c: &mut Canvas, form: &ApprovalForm) -> Result<(), String> {
    c.text(
        PAGE_W / 2.0,
        TOP - 6.0,
        18.0,
        true,
        Align::Center,
        &form.title,
    );
    c.text(
        PAGE_W / 2.0,
        TOP - 13.0,
        SMALL,
        false,
        Align::Center,
        &form.bureau,
    );
    c.y = TOP - 22.0;
    let batch = if form.batch.is_empty() {
        String::new()
    } else {
        format!("　　批次：{}", form.batch)
    };
    c.text(
        LEFT,
        c.y,
        BODY,
        false,
        Align::Left,
        &format!(
            "案件编号：{}　　申报年度：{}{batch}",
            form.case_no, form.year
        ),
    );
    c.y -= 4.0;
    applicant_block(c, form);
    c.y -= 4.0;
    items_table(c, form);
    totals(c, form)?;
    signatures(c, form);
    appendix(c, form);
    Ok(())
}

/// A row of label/value cells whose height fits the wrapped values; returns nothing, moves `y`.
fn form_row(c: &mut Canvas, cells: &[(f32, &str, bool)]) {
    let wrapped: Vec<Vec<String>> = cells
        .iter()
        .map(|(w, t, _)| wrap(t, w - 3.0, BODY))
        .collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let height = lines as f32 * LINE + 3.0;
    if c.y - height < BOTTOM {
        c.new_page();
    }
    let top = c.y;
    let mut x = LEFT;
    for ((w, _, bold), text) in cells.iter().zip(&wrapped) {
        c.rect(x, top, x + w, top - height);
        for (i, line) in text.iter().enumerate() {
            c.text(
                x + 1.5,
                top - 4.5 - i as f32 * LINE,
                BODY,
                *bold,
                Align::Left,
                line,
            );
        }
        x += w;
    }
    c.y = top - height;
}

fn applicant_block(c: &mut Canvas, f: &ApprovalForm) {
    let recognized = f.recognized_on.to_string();
    form_row(c, &[(33.0, "申报单位", true), (123.0, &f.applicant, false)]);
    form_row(
        c,
        &[
            (33.0, "统一社会信用代码", true),
            (45.0, &f.credit_code, false),
            (30.0, "所在镇街", true),
            (48.0, &f.town, false),
        ],
    );
    form_row(
        c,
        &[
            (33.0, "平台名称", true),
            (45.0, &f.platform, false),
            (30.0, "类别（级别）", true),
            (48.0, &f.grade, false),
        ],
    );
    form_row(
        c,
        &[
            (33.0, "认定日期", true),
            (45.0, &recognized, false),
            (30.0, "依据政策", true),
            (48.0, &f.programme, false),
        ],
    );
}

fn table_header(c: &mut Canvas) {
    let height = 2.0 * LINE + 3.0;
    let top = c.y;
    for (i, (w, title)) in COLUMNS.iter().enumerate() {
        let x = column_x(i);
        c.rect(x, top, x + w, top - height);
        for (k, line) in wrap(title, w - 2.0, SMALL).iter().enumerate() {
            c.text(
                x + w / 2.0,
                top - 4.5 - k as f32 * LINE,
                SMALL,
                true,
                Align::Center,
                line,
            );
        }
    }
    c.y = top - height;
}

fn items_table(c: &mut Canvas, form: &ApprovalForm) {
    table_header(c);
    for item in &form.items {
        let cells = [
            item.seq.to_string(),
            format!("第{}条 {}\n{}", item.clause, item.title, item.citation),
            item.declared.clone(),
            amount(item.ceiling),
            amount(item.approved),
            item.reason.clone(),
        ];
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(COLUMNS)
            .map(|(t, (w, _))| wrap(t, w - 3.0, BODY))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * LINE + 3.0;
        if c.y - height < BOTTOM {
            c.new_page();
            c.text(
                LEFT,
                c.y - 4.0,
                BODY,
                true,
                Align::Left,
                &format!("{}（续）", form.title),
            );
            c.y -= 8.0;
            table_header(c);
        }
        let top = c.y;
        for (i, lines) in wrapped.iter().enumerate() {
            let (w, _) = COLUMNS[i];
            let x = column_x(i);
            c.rect(x, top, x + w, top - height);
            let numeric = (3..=4).contains(&i);
            for (k, line) in lines.iter().enumerate() {
                let y = top - 4.5 - k as f32 * LINE;
                if numeric {
                    c.text(x + w - 1.5, y, BODY, false, Align::Right, line);
                } else if i == 0 {
                    c.text(x + w / 2.0, y, BODY, false, Align::Center, line);
                } else {
                    c.text(x + 1.5, y, BODY, false, Align::Left, line);
                }
            }
        }
        c.y = top - height;
    }
}

fn totals(c: &mut Canvas, form: &ApprovalForm) -> Result<(), String> {
    let ceiling: Money = form.items.iter().filter_map(|i| i.ceiling).sum();
    let approved: Money = form.items.iter().filter_map(|i| i.approved).sum();
    let words = in_words(approved).map_err(|e| e.to_string())?;
    if c.y - 2.0 * (LINE + 3.0) < BOTTOM {
        c.new_page();
    }
    let top = c.y;
    let height = LINE + 3.0;
    let label_w = COLUMNS[0].0 + COLUMNS[1].0 + COLUMNS[2].0;
    c.rect(LEFT, top, LEFT + label_w, top - height);
    c.text(
        LEFT + label_w / 2.0,
        top - 4.5,
        BODY,
        true,
        Align::Center,
        "合计",
    );
    for (i, value) in [(3usize, ceiling), (4, approved)] {
        let (w, _) = COLUMNS[i];
        let x = column_x(i);
        c.rect(x, top, x + w, top - height);
        c.text(
            x + w - 2.0,
            top - 4.5,
            BODY,
            true,
            Align::Right,
            &format_grouped(value),
        );
    }
    let x5 = column_x(5);
    c.rect(x5, top, RIGHT, top - height);
    c.y = top - height;
    form_row(
        c,
        &[
            (label_w, "核定金额合计（大写）", true),
            (156.0 - label_w, &words, true),
        ],
    );
    Ok(())
}

fn signatures(c: &mut Canvas, form: &ApprovalForm) {
    c.y -= 2.0;
    for s in &form.signatures {
        let opinion = wrap(&s.opinion, 150.0, BODY);
        let height = 6.5 + opinion.len() as f32 * LINE + 7.5;
        if c.y - height < BOTTOM {
            c.new_page();
        }
        let top = c.y;
        c.rect(LEFT, top, RIGHT, top - height);
        c.text(
            LEFT + 2.0,
            top - 5.0,
            BODY,
            true,
            Align::Left,
            &format!("{}意见：", s.role),
        );
        for (k, line) in opinion.iter().enumerate() {
            c.text(
                LEFT + 4.0,
                top - 9.5 - k as f32 * LINE,
                BODY,
                false,
                Align::Left,
                line,
            );
        }
        let date = s
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "　　年　月　日".into());
        c.text(
            RIGHT - 2.0,
            top - height + 2.5,
            BODY,
            false,
            Align::Right,
            &format!(
                "{}（签名）：{}　　　日期：{date}",
                s.role,
                if s.name.is_empty() {
                    "　　　　"
                } else {
                    &s.name
                }
            ),
        );
        c.y = top - height - 1.5;
    }
}

fn appendix(c: &mut Canvas, form: &ApprovalForm) {
    if form.explanations.is_empty() {
        return;
    }
    c.new_page();
    c.text(
        PAGE_W / 2.0,
        TOP - 6.0,
        14.0,
        true,
        Align::Center,
        "附：计算说明",
    );
    c.y = TOP - 16.0;
    for e in &form.explanations {
        let mut block: Vec<(bool, String)> = vec![(true, e.heading.clone())];
        block.extend(
            wrap(&format!("条文：{}", e.clause_text), 152.0, SMALL)
                .into_iter()
                .map(|l| (false, l)),
        );
        for step in &e.steps {
            block.extend(
                wrap(&format!("· {step}"), 150.0, SMALL)
                    .into_iter()
                    .map(|l| (false, l)),
            );
        }
        for unit in &e.excluded {
            block.extend(
                wrap(&format!("· 不计入：{unit}"), 150.0, SMALL)
                    .into_iter()
                    .map(|l| (false, l)),
            );
        }
        block.push((true, e.result.clone()));
        for (bold, line) in block {
            if c.y - LINE < BOTTOM {
                c.new_page();
            }
            c.text(
                LEFT + if bold { 0.0 } else { 3.0 },
                c.y,
                if bold { BODY } else { SMALL },
                bold,
                Align::Left,
                &line,
            );
            c.y -= LINE;
        }
        c.y -= 3.0;
    }
}
