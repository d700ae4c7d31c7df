//! Pages as lists of drawing operations, with the few primitives forms need.

use printpdf::{Color, FontId, Line, LinePoint, Mm, Op, PdfFontHandle, Point, Pt, Rgb, TextItem};

use crate::fonts::text_width_mm;

/// A4 in millimetres, and the GB/T 9704 text block.
pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const LEFT: f32 = 28.0;
pub const RIGHT: f32 = LEFT + 156.0;
pub const TOP: f32 = PAGE_H - 37.0;
pub const BOTTOM: f32 = TOP - 225.0;
pub const FOOTER_Y: f32 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Turns laid-out pages into PDF pages, each with "第 N 页 共 M 页" at the foot, `left` and `right`
/// texts beside it (the print date, the case number).
pub fn finish(
    pages: Vec<Vec<Op>>,
    regular: &FontId,
    bold: &FontId,
    left: &str,
    right: &str,
) -> Vec<printpdf::PdfPage> {
    let total = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            let mut footer = Canvas::new(regular.clone(), bold.clone());
            footer.text(
                PAGE_W / 2.0,
                FOOTER_Y,
                9.0,
                false,
                Align::Center,
                &format!("第 {} 页 共 {total} 页", i + 1),
            );
            footer.text(LEFT, FOOTER_Y, 9.0, false, Align::Left, left);
            footer.text(RIGHT, FOOTER_Y, 9.0, false, Align::Right, right);
            ops.extend(footer.pages.remove(0));
            printpdf::PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops)
        })
        .collect()
}

/// The pages of one document being laid out; `y` is where the next element goes (mm from bottom).
pub struct Canvas {
    pub pages: Vec<Vec<Op>>,
    pub y: f32,
    regular: FontId,
    bold: FontId,
}

impl Canvas {
    pub fn new(regular: FontId, bold: FontId) -> Self {
        let mut canvas = Canvas {
            pages: Vec::new(),
            y: TOP,
            regular,
            bold,
        };
        canvas.new_page();
        canvas
    }

    pub fn new_page(&mut self) {
        self.pages.push(vec![
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb {
                    r: 0.0,
                    g: 0.0,
                    b: 0.0,
                    icc_profile: None,
                }),
            },
        ]);
        self.y = TOP;
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Text whose baseline is at `y`; `x` is its left, centre or right edge as `align` says.
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, align: Align, text: &str) {
        if text.is_empty() {
            return;
        }
        // Bold glyphs are about 5% wider than the regular advances measured.
        let width = text_width_mm(text, size) * if bold { 1.05 } else { 1.0 };
        let left = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(left), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        let point = |x, y| LinePoint {
            p: Point::new(Mm(x), Mm(y)),
            bezier: false,
        };
        self.ops().push(Op::DrawLine {
            line: Line {
                points: vec![point(x1, y1), point(x2, y2)],
                is_closed: false,
            },
        });
    }

    pub fn rect(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.line(x1, y1, x2, y1);
        self.line(x2, y1, x2, y2);
        self.line(x2, y2, x1, y2);
        self.line(x1, y2, x1, y1);
    }
}
