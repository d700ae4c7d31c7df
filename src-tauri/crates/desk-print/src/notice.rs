//! Notices to applicants (通知书): 受理通知书, 补正通知书 (what to correct, cell by cell) and
//! 审批结果通知书. A letter: title, addressee, paragraphs, an optional table, the bureau and date.

use chrono::NaiveDate;
use printpdf::{PdfDocument, PdfSaveOptions};

use crate::canvas::{Align, BOTTOM, Canvas, LEFT, PAGE_W, RIGHT, TOP, finish};
use crate::fonts::{faces, wrap};

/// A table in a notice: column titles with their widths in mm, and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeTable {
    pub columns: Vec<(String, f32)>,
    pub rows: Vec<Vec<String>>,
}

/// A notice's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub reference: String,
    pub addressee: String,
    pub paragraphs: Vec<String>,
    pub table: Option<NoticeTable>,
    pub closing: Vec<String>,
    pub bureau: String,
    pub date: NaiveDate,
}

const BODY: f32 = 12.0;
const LINE: f32 = 6.2;
const SMALL: f32 = 9.5;
const SMALL_LINE: f32 = 4.6;

/// The notice as a PDF (A4).
pub fn notice_pdf(notice: &Notice) -> Result<Vec<u8>, String> {
    let (regular, bold) = faces().ok_or("内置字体无法读取（构建缺陷）")?;
    let mut doc = PdfDocument::new(&notice.title);
    let (r, b) = (doc.add_font(regular), doc.add_font(bold));
    let mut c = Canvas::new(r.clone(), b.clone());
    c.text(
        PAGE_W / 2.0,
        TOP - 6.0,
        20.0,
        true,
        Align::Center,
        &notice.title,
    );
    c.text(
        PAGE_W / 2.0,
        TOP - 14.0,
        SMALL,
        false,
        Align::Center,
        &notice.reference,
    );
    c.y = TOP - 26.0;
    c.text(
        LEFT,
        c.y,
        BODY,
        false,
        Align::Left,
        &format!("{}：", notice.addressee),
    );
    c.y -= LINE + 1.0;
    for p in &notice.paragraphs {
        paragraph(&mut c, p);
    }
    if let Some(t) = &notice.table {
        table(&mut c, &t.columns, &t.rows);
    }
    for p in &notice.closing {
        paragraph(&mut c, p);
    }
    if c.y - 3.0 * LINE < BOTTOM {
        c.new_page();
    }
    c.y -= LINE;
    c.text(RIGHT, c.y, BODY, false, Align::Right, &notice.bureau);
    c.y -= LINE;
    c.text(
        RIGHT,
        c.y,
        BODY,
        false,
        Align::Right,
        &format!(
            "{}年{}月{}日",
            notice.date.format("%Y"),
            notice.date.format("%-m"),
            notice.date.format("%-d")
        ),
    );
    let pages = finish(std::mem::take(&mut c.pages), &r, &b, "", &notice.reference);
    Ok(doc.with_pages(pages).save(
        &PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        },
        &mut Vec::new(),
    ))
}

/// A paragraph indented two characters, as Chinese letters are.
fn paragraph(c: &mut Canvas, text: &str) {
    for line in wrap(&format!("　　{text}"), RIGHT - LEFT, BODY) {
        if c.y < BOTTOM {
            c.new_page();
        }
        c.text(LEFT, c.y, BODY, false, Align::Left, &line);
        c.y -= LINE;
    }
    c.y -= 1.0;
}

fn table(c: &mut Canvas, columns: &[(String, f32)], rows: &[Vec<String>]) {
    let header = |c: &mut Canvas| {
        let top = c.y;
        let mut x = LEFT;
        for (title, w) in columns {
            c.rect(x, top, x + w, top - SMALL_LINE - 3.0);
            c.text(x + w / 2.0, top - 4.3, SMALL, true, Align::Center, title);
            x += w;
        }
        c.y = top - SMALL_LINE - 3.0;
    };
    c.y -= 1.0;
    header(c);
    for row in rows {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .zip(columns)
            .map(|(t, (_, w))| wrap(t, w - 2.5, SMALL))
            .collect();
        let height =
            wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * SMALL_LINE + 3.0;
        if c.y - height < BOTTOM {
            c.new_page();
            header(c);
        }
        let top = c.y;
        let mut x = LEFT;
        for (lines, (_, w)) in wrapped.iter().zip(columns) {
            c.rect(x, top, x + w, top - height);
            for (k, line) in lines.iter().enumerate() {
                c.text(
                    x + 1.2,
                    top - 4.3 - k as f32 * SMALL_LINE,
                    SMALL,
                    false,
                    Align::Left,
                    line,
                );
            }
            x += w;
        }
        c.y = top - height;
    }
    c.y -= LINE + 1.0;
}
