//! 大写金额: an amount in words as Chinese financial documents write it
//! (`docs/policy/MONEY-WORDS.md`, after 《支付结算办法》附件一). The canonical form:
//! 零 at every gap inside the integer part, as spoken (壹拾万零柒仟); after 元, 零 only when 角 is 0 and
//! 分 is not; 整 only after 元; a leading 拾 written 壹拾; zero is 人民币零元整. An amount below one yuan
//! is written without 元 (人民币伍分), as banks write it.

use rust_decimal::prelude::ToPrimitive;

use crate::money::{Money, MoneyError, round_to_cents};

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// The largest amount written: 9999亿 and a bit (every subsidy is far below it).
const LIMIT: u64 = 1_000_000_000_000;

/// A group of up to four digits (仟佰拾个), with 零 for gaps between its digits and none at its end.
fn group(n: u64) -> String {
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["仟", "佰", "拾", ""];
    let mut out = String::new();
    let mut gap = false;
    for (d, unit) in digits.iter().zip(units) {
        if *d == 0 {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        out.push(DIGITS[*d as usize]);
        out.push_str(unit);
    }
    out
}

/// The integer part: groups of 亿, 万 and units, with one 零 wherever zeros lie between two
/// written digits.
fn integer(n: u64) -> String {
    let groups = [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ];
    let mut out = String::new();
    let mut zero_between = false;
    let mut previous: Option<u64> = None;
    for (g, unit) in groups {
        if g == 0 {
            zero_between |= previous.is_some();
            continue;
        }
        if let Some(high) = previous
            && (zero_between || high % 10 == 0 || g < 1000)
        {
            out.push('零');
        }
        out.push_str(&group(g));
        out.push_str(unit);
        zero_between = false;
        previous = Some(g);
    }
    out
}

/// 人民币…元…角…分 / 整 for a non-negative amount of at most two decimals.
pub fn in_words(amount: Money) -> Result<String, MoneyError> {
    let shown = amount.to_string();
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(MoneyError::Negative(shown));
    }
    if round_to_cents(amount) != amount {
        return Err(MoneyError::FinerThanCents(shown));
    }
    let cents = (amount * Money::ONE_HUNDRED)
        .trunc()
        .to_u64()
        .ok_or(MoneyError::TooLarge(shown.clone()))?;
    let (yuan, jiao, fen) = (cents / 100, cents / 10 % 10, cents % 10);
    if yuan >= LIMIT {
        return Err(MoneyError::TooLarge(shown));
    }
    let mut out = String::from("人民币");
    if yuan == 0 && cents == 0 {
        out.push_str("零元整");
        return Ok(out);
    }
    if yuan > 0 {
        out.push_str(&integer(yuan));
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) => out.push('整'),
        (0, f) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f as usize]);
            out.push('分');
        }
        (j, 0) => {
            out.push(DIGITS[j as usize]);
            out.push('角');
        }
        (j, f) => {
            out.push(DIGITS[j as usize]);
            out.push('角');
            out.push(DIGITS[f as usize]);
            out.push('分');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regulation's own examples (canonical form), the issue's, and the edges of every rule.
    const TABLE: [(&str, &str); 51] = [
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("0.05", "人民币伍分"),
        ("10.00", "人民币壹拾元整"),
        ("100000.10", "人民币壹拾万元壹角"),
        ("1000000000.00", "人民币壹拾亿元整"),
        ("1010101.01", "人民币壹佰零壹万零壹佰零壹元零壹分"),
        ("1200300", "人民币壹佰贰拾万零叁佰元整"),
        ("0", "人民币零元整"),
        ("0.00", "人民币零元整"),
        ("0.5", "人民币伍角"),
        ("0.56", "人民币伍角陆分"),
        ("1", "人民币壹元整"),
        ("9.99", "人民币玖元玖角玖分"),
        ("11", "人民币壹拾壹元整"),
        ("20", "人民币贰拾元整"),
        ("100", "人民币壹佰元整"),
        ("101", "人民币壹佰零壹元整"),
        ("110", "人民币壹佰壹拾元整"),
        ("1001", "人民币壹仟零壹元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("1100", "人民币壹仟壹佰元整"),
        ("10000", "人民币壹万元整"),
        ("10001", "人民币壹万零壹元整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("10100", "人民币壹万零壹佰元整"),
        ("11000", "人民币壹万壹仟元整"),
        ("100100", "人民币壹拾万零壹佰元整"),
        ("110000", "人民币壹拾壹万元整"),
        ("110100", "人民币壹拾壹万零壹佰元整"),
        ("300000", "人民币叁拾万元整"),
        ("348000", "人民币叁拾肆万捌仟元整"),
        ("1000000", "人民币壹佰万元整"),
        ("1001000", "人民币壹佰万零壹仟元整"),
        ("1010000", "人民币壹佰零壹万元整"),
        ("1500000", "人民币壹佰伍拾万元整"),
        ("15000000", "人民币壹仟伍佰万元整"),
        ("100000000", "人民币壹亿元整"),
        ("100000001", "人民币壹亿零壹元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("110000000", "人民币壹亿壹仟万元整"),
        ("101000000", "人民币壹亿零壹佰万元整"),
        (
            "123456789.12",
            "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分",
        ),
        ("200000000000", "人民币贰仟亿元整"),
        (
            "999999999999.99",
            "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        ("40.20", "人民币肆拾元贰角"),
        ("5000.05", "人民币伍仟元零伍分"),
    ];

    #[test]
    fn every_amount_of_the_table() {
        let mut wrong = Vec::new();
        for (amount, words) in TABLE {
            let got = in_words(amount.parse().expect("amount")).expect("words");
            if got != words {
                wrong.push(format!("{amount}: expected {words}, got {got}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn what_cannot_be_written() {
        let w = |s: &str| in_words(s.parse().expect("amount"));
        assert!(matches!(w("-1"), Err(MoneyError::Negative(_))));
        assert!(matches!(w("1.005"), Err(MoneyError::FinerThanCents(_))));
        assert!(matches!(w("1000000000000"), Err(MoneyError::TooLarge(_))));
        assert_eq!(
            w("12.300"),
            Ok("人民币壹拾贰元叁角".into()),
            "trailing zeros are not finer than a cent"
        );
    }
}
