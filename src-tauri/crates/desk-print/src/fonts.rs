//! The embedded CJK font (Noto Serif SC, OFL-1.1; `assets/fonts/SOURCE.md`): parsed once, subset on save.

use std::sync::OnceLock;

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/NotoSerifSC_400Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSerifSC_700Bold.ttf");

fn parse(bytes: &[u8]) -> Option<ParsedFont> {
    ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
}

/// The regular and bold faces, parsed on first use (parsing a 15 MB font is the slow part).
pub fn faces() -> Option<&'static (ParsedFont, ParsedFont)> {
    static FACES: OnceLock<Option<(ParsedFont, ParsedFont)>> = OnceLock::new();
    FACES
        .get_or_init(|| Some((parse(REGULAR)?, parse(BOLD)?)))
        .as_ref()
}

/// Width of a text in millimetres at `size` points, from the regular face's own glyph advances
/// (bold is a little wider; callers leave a margin). Without the font: CJK one em, others half.
pub fn text_width_mm(text: &str, size: f32) -> f32 {
    let ems: f32 = match faces() {
        Some((font, _)) => {
            let per_em = f32::from(font.font_metrics.units_per_em.max(1));
            text.chars()
                .map(|c| {
                    font.lookup_glyph_index(c as u32)
                        .map_or(1.0, |g| f32::from(font.get_horizontal_advance(g)) / per_em)
                })
                .sum()
        }
        None => text
            .chars()
            .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.5 })
            .sum(),
    };
    ems * size * 25.4 / 72.0
}

/// Splits a text into lines no wider than `width_mm`. A run of Latin letters, digits and their
/// punctuation ("480,000.00", "91442000MA4W4K8L06") stays whole unless it alone is too wide; a line
/// never starts with closing punctuation.
pub fn wrap(text: &str, width_mm: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for token in tokens(paragraph) {
            let candidate = format!("{line}{token}");
            let closing = token.starts_with(['，', '。', '、', '）', '；', '：', ',', '.', ')']);
            if text_width_mm(&candidate, size) > width_mm && !line.is_empty() && !closing {
                lines.push(std::mem::take(&mut line));
            }
            if text_width_mm(&token, size) > width_mm {
                for c in token.chars() {
                    if text_width_mm(&format!("{line}{c}"), size) > width_mm && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    line.push(c);
                }
            } else {
                line.push_str(&token);
            }
        }
        lines.push(line);
    }
    lines
}

/// Each CJK character on its own; runs of ASCII letters, digits and , . - / % as one token.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || ",.-/%".contains(c) {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(c.to_string());
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn numbers_are_not_broken() {
        let lines = wrap("租赁场地 1 项，申请 480,000.00 元", 26.0, 10.5);
        assert!(lines.iter().any(|l| l.contains("480,000.00")), "{lines:?}");
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
    }
}
