//! Reading what people really type into a cell: full-width digits and punctuation, thousands
//! separators, amounts in 万元, dates as Excel serials or as text in the usual Chinese ways.

use calamine::Data;
use chrono::{Datelike, NaiveDate};
use desk_policy::Money;
use desk_policy::text::brief;

use crate::labels::{MoneyUnit, UnitSources};

/// The text of a cell as a person sees it, normalised: full-width ASCII to half-width, no spaces
/// at the ends.
pub fn text_of(cell: &Data) -> String {
    // Plain ASCII with nothing to trim (codes, most numbers as text) is already normalised.
    if let Data::String(s) = cell
        && s.is_ascii()
        && s.trim().len() == s.len()
    {
        return s.clone();
    }
    let raw = match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        // As Excel shows it: #DIV/0!, #REF!, #VALUE!, #NAME?, #N/A, #NUM!, #NULL!.
        Data::Error(e) => e.to_string(),
    };
    half_width(&raw).trim().to_string()
}

/// The text of a cell as typed, for what is kept as written (names, addresses, reasons): a legal
/// name's （） and a reason's ，。！ stay as they are; `desk_policy::text` trims and cleans it.
/// Only matching and parsing use the normalised [`text_of`].
pub fn typed_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        other => text_of(other),
    }
}

/// Empty, or only spaces (also the full-width space). Cheap: no text is built.
pub fn is_empty(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.chars().all(|c| c.is_whitespace() || c == '\u{3000}'),
        _ => false,
    }
}

/// Full-width ASCII (Ｆｕｌｌ，１２３) and the ideographic space to their half-width forms.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// A non-negative amount, in the unit [`UnitSources::unit`] decides (the cell's, its header's, its
/// sheet's). Floats from Excel are read through their shortest decimal form, so 1234.56 stays 1234.56.
pub fn money(cell: &Data, unit: impl Into<UnitSources>) -> Result<Money, String> {
    money_reading(cell, unit).map(|(m, _)| m)
}

/// A money cell read by [`UnitSources::unit`]: gives the amount in 元 and the unit the cell itself
/// named when it differs from its column's, so a reader can say how it read such a cell.
pub fn money_reading(
    cell: &Data,
    unit: impl Into<UnitSources>,
) -> Result<(Money, Option<MoneyUnit>), String> {
    let sources = unit.into();
    let scale = |u: MoneyUnit| match u {
        MoneyUnit::Yuan => Money::ONE,
        MoneyUnit::TenThousandYuan => Money::from(10_000),
    };
    let mut typed_unit = None;
    // The text for a message is built only when there is a problem.
    let value = match cell {
        // Whole amounts (most of them) need no trip through text.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Money::from(*f as i64),
        Data::Float(f) if let Some(cents) = exact_cents(*f) => Money::new(cents, 2),
        Data::Float(f) => format!("{f}")
            .parse::<Money>()
            .map_err(|_| number_error(&text_of(cell)))?,
        Data::Int(i) => Money::from(*i),
        _ => {
            let shown = text_of(cell);
            let mut text: String = shown
                .chars()
                .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
                .collect();
            for (suffix, u) in [
                ("万元", MoneyUnit::TenThousandYuan),
                ("元", MoneyUnit::Yuan),
                ("万", MoneyUnit::TenThousandYuan),
            ] {
                if let Some(stripped) = text.strip_suffix(suffix) {
                    text = stripped.to_string();
                    typed_unit = Some(u);
                    break;
                }
            }
            if text.is_empty()
                || !text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            {
                return Err(number_error(&shown));
            }
            text.parse::<Money>().map_err(|_| number_error(&shown))?
        }
    };
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!("必须为非负数字，收到“{}”", brief(&text_of(cell))));
    }
    let column = sources.column();
    Ok((
        (value * scale(sources.unit(typed_unit))).normalize(),
        typed_unit.filter(|u| *u != column),
    ))
}

/// An amount the database keeps in whole fen (申请金额, 实缴注册资本): [`money`], then the store's
/// own rule (`desk_policy::money::to_cents`), so a check and an import refuse the same amounts, in
/// their cell: finer than a fen (760000.005) or beyond what a fen count holds (1e20).
pub fn stored_money(cell: &Data, unit: impl Into<UnitSources>) -> Result<Money, String> {
    let m = money(cell, unit)?;
    desk_policy::money::to_cents(m)
        .map(|_| m)
        .map_err(|e| e.to_string())
}

/// An amount in yuan and fen (12345.67), without the trip through text: the whole number of fen
/// whose nearest double is `f`. Below 10^13 yuan, doubles are closer together than a fen, so no
/// shorter decimal than this one reads back as `f`: it is the same amount the text gives.
// Excel gives the cell as a double; the arithmetic only finds its fen, and the exact round trip
// (an integer over 100, correctly rounded) proves them before any money is made of it.
#[allow(clippy::float_arithmetic)]
fn exact_cents(f: f64) -> Option<i64> {
    let cents = (f * 100.0).round();
    (f.abs() < 1e13 && cents / 100.0 == f).then_some(cents as i64)
}

fn number_error(shown: &str) -> String {
    format!("必须为数字，收到“{}”", brief(shown))
}

/// A non-negative whole number.
pub fn count(cell: &Data) -> Result<u64, String> {
    let m = money(cell, MoneyUnit::Yuan).map_err(|e| e.replace("数字", "整数"))?;
    if m.fract().is_zero() {
        u64::try_from(m.trunc()).map_err(|_| format!("数值过大，收到“{}”", brief(&text_of(cell))))
    } else {
        Err(format!("必须为整数，收到“{}”", brief(&text_of(cell))))
    }
}

/// An Excel serial day number (1900 date system) to a date.
fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::TimeDelta::days(days))
}

/// The years a date in a submission may plausibly lie in (platforms recognised since the 2000s,
/// applications of the programmes' years). An Excel date or serial outside them is a number that
/// was never meant as a date (2021.03 pasted with its number format is 1905-07-13).
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// A date stored as an Excel date or serial, if it is a plausible one.
fn stored_date(cell: &Data) -> Option<NaiveDate> {
    let d = match cell {
        Data::DateTime(d) => d.as_datetime().map(|dt| dt.date()),
        Data::Float(f) => from_serial(*f),
        Data::Int(i) => from_serial(*i as f64),
        _ => None,
    }?;
    PLAUSIBLE_YEARS.contains(&d.year()).then_some(d)
}

/// A cell's number as Excel shows it in the general format (2021.03, not 1905-07-13).
fn number_shown(cell: &Data) -> String {
    match cell {
        Data::DateTime(d) => format!("{}", d.as_f64()),
        other => text_of(other),
    }
}

/// A date typed as 2021-03-05, 2021/3/5, 2021年3月5日 or 2021.3.5, or stored as an Excel date of
/// the plausible years; any other number is refused with the form to type.
pub fn date(cell: &Data) -> Result<NaiveDate, String> {
    if matches!(cell, Data::DateTime(_) | Data::Float(_) | Data::Int(_)) {
        return stored_date(cell).ok_or_else(|| {
            format!(
                "是数字 {}，不是日期；请按“2021-03-05”的格式填写日期",
                number_shown(cell)
            )
        });
    }
    let shown = text_of(cell);
    let parts = split_date(&shown);
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let (y, m, d) = (
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                d.parse().unwrap_or(0),
            );
            NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("“{shown}”不是存在的日期"))
        }
        _ => Err(date_error(&shown)),
    }
}

fn date_error(shown: &str) -> String {
    format!("必须为日期（如 2021-03-05），收到“{}”", brief(shown))
}

fn split_date(text: &str) -> Vec<String> {
    let cleaned = text.trim_end_matches('日').trim_end_matches('号');
    cleaned
        .split(['-', '/', '.', '年', '月'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .into_iter()
        .take(4)
        .collect()
}

/// A month typed as 2021-03, 2021/3, 2021年3月 or 2021.3, or any date of that month. A number is
/// read as a month when it can only be one: a plausible Excel date, or a year with the month after
/// the point as Excel keeps a pasted 2021.03 (2021.03, 2021.12, 2021.3); 2021.1 may be January or
/// October (2021.10 keeps as 2021.1) and is refused, as is any other number.
pub fn month(cell: &Data) -> Result<(i32, u32), String> {
    let shown = text_of(cell);
    if matches!(cell, Data::DateTime(_) | Data::Float(_) | Data::Int(_)) {
        let number = number_shown(cell);
        if let Some((y, m)) = number.split_once('.')
            && let Ok(year) = y.parse::<i32>()
            && PLAUSIBLE_YEARS.contains(&year)
            && !matches!(cell, Data::DateTime(_))
        {
            return match (m.len(), m.parse::<u32>()) {
                (1, Ok(1)) => Err(format!(
                    "是数字 {number}，不能确定是 {year}年1月还是 {year}年10月；请填写为“{year}-01”或“{year}-10”"
                )),
                (1 | 2, Ok(month @ 1..=12)) => Ok((year, month)),
                _ => Err(format!(
                    "是数字 {number}，不是月份；请按“{year}-03”的格式填写月份"
                )),
            };
        }
        return stored_date(cell)
            .map(|d| (d.year(), d.month()))
            .ok_or_else(|| format!("是数字 {number}，不是月份；请按“2021-03”的格式填写月份"));
    }
    let parts = split_date(&shown);
    match parts.as_slice() {
        [y, m] | [y, m, _] if y.len() == 4 => {
            let (y, m) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
            if (1..=12).contains(&m) {
                Ok((y, m))
            } else {
                Err(format!("“{shown}”不是存在的月份"))
            }
        }
        _ => Err(month_error(&shown)),
    }
}

fn month_error(shown: &str) -> String {
    format!("必须为月份（如 2021-03），收到“{}”", brief(shown))
}

/// 是/否 (also Y/N, true/false, 1/0).
pub fn yes_no(cell: &Data) -> Result<bool, String> {
    let shown = text_of(cell);
    match shown.to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "×" => Ok(false),
        _ => Err(format!("请填“是”或“否”，收到“{}”", brief(&shown))),
    }
}

/// The error value a cell shows (#DIV/0!, #REF!, …), as Excel shows it: what a formula gave, or
/// such a result pasted as a value.
pub fn error_shown(cell: &Data) -> Option<String> {
    match cell {
        Data::Error(e) => Some(e.to_string()),
        _ => None,
    }
}

/// The message for a cell that shows an error value without a formula (a formula's error pasted
/// with 选择性粘贴→数值): the value it was meant to hold is not in the workbook.
pub fn error_message(shown: &str) -> String {
    format!("单元格显示错误值 {shown}（公式出错的结果），请直接填写实际数值")
}

/// A whole number typed with a unit word: the number if the word is the column's own unit
/// (`12次` under 服务次数, whose unit is 次), which is then given back so the reading can be shown;
/// any other word is refused with what to type. A bare number is read as [`count`] reads it.
pub fn count_in(cell: &Data, unit: Option<&str>) -> Result<(u64, Option<String>), String> {
    let shown = text_of(cell);
    let digits = shown.trim_end_matches(|c: char| !c.is_ascii_digit()).trim();
    let word = shown[digits.len()..].trim();
    if word.is_empty() || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return count(cell).map(|n| (n, None));
    }
    match unit {
        Some(unit) if word == unit => {
            count(&Data::String(digits.to_string())).map(|n| (n, Some(shown.clone())))
        }
        _ => Err(format!(
            "请只填数字，如 {digits}（本列单位为{}，收到“{}”）",
            unit.unwrap_or("个"),
            brief(&shown)
        )),
    }
}

/// A 统一社会信用代码 as typed: an invisible character in it (pasted from a web page) is named
/// where it is, since the applicant sees 18 characters where there are 19.
pub fn credit_code(cell: &Data) -> Result<desk_policy::CreditCode, String> {
    let t = text_of(cell);
    if let Some(invisible) = desk_policy::text::invisible_in(&t) {
        return Err(invisible);
    }
    desk_policy::CreditCode::parse(&t).map_err(|e| format!("{e}（填写为“{}”）", brief(&t)))
}

/// "C7" from a zero-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Data {
        Data::String(text.into())
    }

    #[test]
    fn amounts_as_people_type_them() {
        let m = |d: Data, u| money(&d, u).map(|m| m.to_string());
        assert_eq!(m(s("1,200.50"), MoneyUnit::Yuan), Ok("1200.5".into()));
        assert_eq!(m(s("１２００"), MoneyUnit::Yuan), Ok("1200".into()));
        assert_eq!(
            m(s(" 35 "), MoneyUnit::TenThousandYuan),
            Ok("350000".into())
        );
        assert_eq!(m(s("12.5万元"), MoneyUnit::Yuan), Ok("125000".into()));
        assert_eq!(
            m(Data::Float(1234.56), MoneyUnit::Yuan),
            Ok("1234.56".into())
        );
        assert_eq!(
            m(Data::Float(0.300_000_000_000_000_04), MoneyUnit::Yuan),
            Ok("0.30000000000000004".into())
        );
        assert_eq!(
            m(s("约200"), MoneyUnit::Yuan),
            Err("必须为数字，收到“约200”".into())
        );
        assert_eq!(
            m(s("-5"), MoneyUnit::Yuan),
            Err("必须为非负数字，收到“-5”".into())
        );
    }

    #[test]
    fn dates_in_every_usual_form() {
        let want = NaiveDate::from_ymd_opt(2021, 3, 5).expect("date");
        for typed in [
            "2021-03-05",
            "2021/3/5",
            "2021年3月5日",
            "2021.3.5",
            "２０２１－０３－０５",
            " 2021-3-5 ",
        ] {
            assert_eq!(date(&s(typed)), Ok(want), "{typed}");
        }
        assert_eq!(date(&Data::Float(44260.0)), Ok(want));
        assert_eq!(
            date(&s("2021-02-30")),
            Err("“2021-02-30”不是存在的日期".into())
        );
        assert!(date(&s("三月五日")).is_err());
        assert_eq!(month(&s("2021年3月")), Ok((2021, 3)));
        assert_eq!(month(&s("2021/03")), Ok((2021, 3)));
        assert_eq!(month(&Data::Float(44260.0)), Ok((2021, 3)));
        assert!(month(&s("2021-13")).is_err());
    }

    /// Amounts in fen read without text are the amounts their text gives.
    #[test]
    fn fen_without_text_are_the_texts_amounts() {
        let by_text = |f: f64| format!("{f}").parse::<Money>().expect("text").normalize();
        let mut n: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..200_000u64 {
            n ^= n << 13;
            n ^= n >> 7;
            n ^= n << 17;
            let f = match i % 4 {
                0 => (n % 10_000_000_000) as f64 / 100.0,
                1 => (n % 100_000) as f64 / 100.0,
                2 => f64::from_bits(0x4000_0000_0000_0000 | (n >> 12)),
                _ => (n % 1_000_000_000_000_000) as f64 / 100.0,
            };
            if f.fract() == 0.0 {
                continue;
            }
            assert_eq!(
                money(&Data::Float(f), MoneyUnit::Yuan),
                Ok(by_text(f)),
                "{f}"
            );
        }
    }

    #[test]
    fn references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 2), "C7");
        assert_eq!(cell_ref(9, 26), "AA10");
        assert_eq!(cell_ref(0, 701), "ZZ1");
    }

    #[test]
    fn a_count_may_carry_its_columns_unit_and_no_other() {
        let s = |t: &str| Data::String(t.into());
        assert_eq!(
            count_in(&s("12次"), Some("次")),
            Ok((12, Some("12次".into())))
        );
        assert_eq!(
            count_in(&s(" １２ 次"), Some("次")),
            Ok((12, Some("12 次".into())))
        );
        assert_eq!(count_in(&Data::Float(12.0), Some("次")), Ok((12, None)));
        assert_eq!(count_in(&s("2022年"), Some("年")).map(|r| r.0), Ok(2022));
        assert_eq!(
            count_in(&s("12家"), Some("次")),
            Err("请只填数字，如 12（本列单位为次，收到“12家”）".into())
        );
        // 12万 is no count of 120,000: the words are refused, never scaled.
        assert_eq!(
            count_in(&s("12万"), Some("次")),
            Err("请只填数字，如 12（本列单位为次，收到“12万”）".into())
        );
        assert!(count_in(&s("约12次"), Some("次")).is_err());
    }

    #[test]
    fn error_values_are_named_as_excel_shows_them() {
        use calamine::CellErrorType::*;
        for (e, shown) in [
            (Div0, "#DIV/0!"),
            (Ref, "#REF!"),
            (Value, "#VALUE!"),
            (Name, "#NAME?"),
            (NA, "#N/A"),
            (Num, "#NUM!"),
            (Null, "#NULL!"),
        ] {
            assert_eq!(text_of(&Data::Error(e.clone())), shown);
            assert_eq!(error_shown(&Data::Error(e)).as_deref(), Some(shown));
        }
    }

    #[test]
    fn an_invisible_character_in_a_credit_code_is_named() {
        let code = |t: &str| credit_code(&Data::String(t.into())).map(|c| c.to_string());
        assert_eq!(code("91442000MA4W4K8L06"), Ok("91442000MA4W4K8L06".into()));
        assert_eq!(
            code("91442\u{200B}000MA4W4K8L06"),
            Err("第5位后有一个看不见的零宽空格（U+200B），请删除".into())
        );
    }
}
