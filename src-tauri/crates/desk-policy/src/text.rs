//! Names and texts as they may be kept: one rule for every entrance (a workbook's cells, the command
//! line, the desktop's forms, and the store itself before it writes).
//!
//! A text is trimmed; zero-width characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD, U+180E), which
//! nobody can see or mean, are taken out; a text made of nothing else is refused, as are control
//! characters (NUL, U+0001–U+001F, U+007F–U+009F; a free text may keep line breaks and tabs) and
//! the bidirectional controls (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), which make a
//! text read as other than it is; and a text longer than its kind allows
//! ([`TextKind::max_chars`]). Full-width punctuation is left as typed.

/// What a text is, and so how long it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// An enterprise's or a platform's name, a batch: ≤ 100 characters (the longest registered
    /// enterprise names are ~60).
    Name,
    /// An address: ≤ 200.
    Address,
    /// A person's name (contact, officer, the audit log's user): ≤ 50.
    Person,
    /// A telephone number or a voucher number: ≤ 30.
    Phone,
    /// A reason or other free text: ≤ 2,000; line breaks and tabs allowed.
    Free,
}

impl TextKind {
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Name => 100,
            TextKind::Address => 200,
            TextKind::Person => 50,
            TextKind::Phone => 30,
            TextKind::Free => 2_000,
        }
    }

    const fn multiline(self) -> bool {
        matches!(self, TextKind::Free)
    }
}

/// Why a text cannot be kept. `Display` is Chinese and follows the field's name directly
/// ("企业名称" + "含不可见的控制字符（U+202E），请删除后重新填写").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("过长：共 {chars} 个字，最多 {max} 个字，请精简后重新填写")]
    TooLong { chars: usize, max: usize },
    #[error("含不可见的控制字符（{}），请删除后重新填写", code(*.0))]
    Control(char),
    #[error("只有看不见的字符（{}），请填写实际内容", code(*.0))]
    OnlyInvisible(char),
}

/// U+202E.
fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Characters taken out of every text: they have no width and no meaning in a name or an address.
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// Bidirectional controls: they reorder what is shown (U+202E before "moc.elpmaxe" shows "example.com").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters no kept text may hold: control characters (but a free text's line breaks and tabs),
/// bidirectional controls, and the other invisible format characters (U+2061–U+2064 invisible
/// operators, U+206A–U+206F, U+FFF9–U+FFFB annotation marks, tags U+E0000–U+E007F), and the
/// noncharacters U+FFFE, U+FFFF.
fn is_refused(c: char, multiline: bool) -> bool {
    if c.is_control() {
        return !(multiline && matches!(c, '\n' | '\r' | '\t'));
    }
    is_bidi_control(c)
        || matches!(
            c,
            '\u{2061}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{FFFE}'
                | '\u{FFFF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// Whether a character is one nobody sees: a control, a bidirectional or other format
/// character, or a zero-width one. For quoting names that are not ours (a zip's part names).
pub fn is_invisible(c: char) -> bool {
    is_zero_width(c) || is_refused(c, false)
}

/// The text as it is kept: trimmed, zero-width characters taken out; refused when it holds a
/// control character, is made only of invisible characters, or is longer than `kind` allows. An
/// empty text stays empty (whether a field may be empty is its own rule).
pub fn clean_text(kind: TextKind, raw: &str) -> Result<String, TextError> {
    let max = kind.max_chars();
    let mut out = String::with_capacity(raw.len());
    let mut removed = None;
    for c in raw.chars() {
        if is_refused(c, kind.multiline()) {
            return Err(TextError::Control(c));
        }
        if is_zero_width(c) {
            removed.get_or_insert(c);
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if let (true, Some(c)) = (trimmed.is_empty(), removed) {
        return Err(TextError::OnlyInvisible(c));
    }
    let chars = trimmed.chars().count();
    if chars > max {
        return Err(TextError::TooLong { chars, max });
    }
    Ok(if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    })
}

/// [`clean_text`] with the field's name put in front of the problem: the message an entrance
/// shows ("企业名称过长：共 1750000 个字，最多 100 个字，请精简后重新填写").
pub fn field_text(label: &str, kind: TextKind, raw: &str) -> Result<String, String> {
    clean_text(kind, raw).map_err(|e| format!("{label}{e}"))
}

/// Whether two texts say the same name or address for a person reading them: full-width ASCII
/// (（）, ＡＢＣ, １２３) reads as its half-width form, and spaces (also the full-width one) and
/// zero-width characters count for nothing. Only for comparing: a text is kept as typed.
pub fn same_text(a: &str, b: &str) -> bool {
    comparable(a).eq(comparable(b))
}

/// The characters of a text as [`same_text`] compares them.
fn comparable(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && !is_zero_width(*c))
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_text_ignores_width_and_spaces_only() {
        assert!(same_text("中山市某公司（火炬）", "中山市某公司(火炬)"));
        assert!(same_text(" 中山 市某公司\u{3000}", "中山市某\u{200B}公司"));
        assert!(same_text("ＡＢＣ科技１号", "ABC科技1号"));
        assert!(!same_text("中山市某公司", "中山市某科技公司"));
        assert!(!same_text("ABC", "abc"));
        assert!(!same_text("1号楼", "2号楼"));
    }

    use super::*;

    #[test]
    fn plain_texts_are_kept_trimmed() {
        assert_eq!(
            clean_text(TextKind::Name, "  中山市某公司（火炬）  ").as_deref(),
            Ok("中山市某公司（火炬）")
        );
        assert_eq!(clean_text(TextKind::Address, "").as_deref(), Ok(""));
        assert_eq!(
            clean_text(TextKind::Free, "第一行\n第二行\t完").as_deref(),
            Ok("第一行\n第二行\t完")
        );
    }

    #[test]
    fn zero_width_characters_are_taken_out_and_only_them_refused() {
        assert_eq!(
            clean_text(TextKind::Name, "\u{FEFF}中山\u{200B}市某公司").as_deref(),
            Ok("中山市某公司")
        );
        assert_eq!(
            clean_text(TextKind::Name, "\u{200B}\u{200C}\u{200D}\u{FEFF}"),
            Err(TextError::OnlyInvisible('\u{200B}'))
        );
        assert_eq!(
            clean_text(TextKind::Name, " \u{200B} ").map_err(|e| e.to_string()),
            Err("只有看不见的字符（U+200B），请填写实际内容".into())
        );
    }

    #[test]
    fn controls_and_bidi_overrides_are_refused_by_code_point() {
        for c in [
            '\0',
            '\u{1}',
            '\u{1F}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{200E}',
            '\u{061C}',
            '\u{E0041}',
            '\u{FFFF}',
        ] {
            let text = format!("中山{c}公司");
            assert_eq!(
                clean_text(TextKind::Name, &text),
                Err(TextError::Control(c)),
                "{:X}",
                c as u32
            );
        }
        assert_eq!(
            field_text("企业名称", TextKind::Name, "中山\u{202E}公司"),
            Err("企业名称含不可见的控制字符（U+202E），请删除后重新填写".into())
        );
        // Line breaks belong to free texts only.
        assert_eq!(
            clean_text(TextKind::Name, "中山\n公司"),
            Err(TextError::Control('\n'))
        );
        assert_eq!(
            clean_text(TextKind::Free, "a\u{0}b"),
            Err(TextError::Control('\0'))
        );
    }

    #[test]
    fn lengths_by_kind() {
        let name = "企".repeat(100);
        assert_eq!(clean_text(TextKind::Name, &name).as_deref(), Ok(&name[..]));
        assert_eq!(
            clean_text(TextKind::Name, &"企".repeat(101)),
            Err(TextError::TooLong {
                chars: 101,
                max: 100
            })
        );
        assert_eq!(
            field_text("企业名称", TextKind::Name, &"企".repeat(1_750_000)),
            Err("企业名称过长：共 1750000 个字，最多 100 个字，请精简后重新填写".into())
        );
        assert!(clean_text(TextKind::Address, &"路".repeat(200)).is_ok());
        assert!(clean_text(TextKind::Address, &"路".repeat(201)).is_err());
        assert!(clean_text(TextKind::Person, &"张".repeat(51)).is_err());
        assert!(clean_text(TextKind::Phone, &"1".repeat(31)).is_err());
        assert!(clean_text(TextKind::Free, &"因".repeat(2_000)).is_ok());
        assert!(clean_text(TextKind::Free, &"因".repeat(2_001)).is_err());
        // Counted after trimming and taking out zero-width characters.
        let padded = format!("  {}\u{200B}  ", "企".repeat(100));
        assert!(clean_text(TextKind::Name, &padded).is_ok());
    }
}

/// What was typed, as a message quotes it: whole up to 40 characters, else its beginning and how
/// long it was, so a pasted page never becomes a page-long message.
pub fn brief(typed: &str) -> String {
    const SHOWN: usize = 40;
    let count = typed.chars().count();
    if count <= SHOWN {
        return typed.to_string();
    }
    let head: String = typed.chars().take(SHOWN).collect();
    format!("{head}…（共 {count} 个字）")
}

/// The Chinese name of an invisible character, for telling someone where it is.
pub fn invisible_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "零宽空格",
        '\u{200C}' => "零宽不连字",
        '\u{200D}' => "零宽连字",
        '\u{2060}' => "零宽不换行符",
        '\u{FEFF}' => "零宽不换行空格（字节顺序标记）",
        '\u{00AD}' => "软连字符",
        '\u{180E}' => "蒙古文元音分隔符",
        c if is_bidi_control(c) => "文字方向控制符",
        c if c.is_control() => "控制字符",
        _ => "不可见字符",
    }
}

/// Where the first invisible character of a code is, in words the applicant can act on, who sees
/// only the visible ones: “第5位后有一个看不见的零宽空格（U+200B），请删除”. `None` when there is none.
pub fn invisible_in(text: &str) -> Option<String> {
    let at = text.chars().position(is_invisible)?;
    let c = text.chars().nth(at)?;
    let visible_before = text.chars().take(at).filter(|c| !is_invisible(*c)).count();
    let more = text.chars().filter(|c| is_invisible(*c)).count() - 1;
    let place = if visible_before == 0 {
        "开头".to_string()
    } else {
        format!("第{visible_before}位后")
    };
    let others = if more > 0 {
        format!("（另有{more}个看不见的字符）")
    } else {
        String::new()
    };
    Some(format!(
        "{place}有一个看不见的{}（{}）{others}，请删除",
        invisible_name(c),
        code(c)
    ))
}

#[cfg(test)]
mod invisible_tests {
    use super::invisible_in;

    #[test]
    fn an_invisible_character_is_named_where_it_is() {
        assert_eq!(
            invisible_in("91442\u{200B}000MA4W4K8L06").as_deref(),
            Some("第5位后有一个看不见的零宽空格（U+200B），请删除")
        );
        assert_eq!(
            invisible_in("\u{FEFF}9144\u{200D}2").as_deref(),
            Some(
                "开头有一个看不见的零宽不换行空格（字节顺序标记）（U+FEFF）（另有1个看不见的字符），请删除"
            )
        );
        assert_eq!(invisible_in("91442000MA4W4K8L06"), None);
    }
}

#[cfg(test)]
mod brief_tests {
    use super::brief;

    #[test]
    fn a_long_typed_value_is_quoted_by_its_beginning_and_length() {
        assert_eq!(brief("12,000.50"), "12,000.50");
        let long = "一".repeat(1_750_000);
        let shown = brief(&long);
        assert!(shown.ends_with("…（共 1750000 个字）"), "{shown}");
        assert_eq!(
            shown.chars().count(),
            40 + "…（共 1750000 个字）".chars().count()
        );
    }
}
