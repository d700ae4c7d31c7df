//! Money: yuan as an exact decimal. Never floating point.
//!
//! Amounts are rounded only where a rule says so, with the rounding named here: to the cent, half away
//! from zero (the bureau's reading, `docs/policy/CLAUSES.md`). The database keeps whole cents (分).

use rust_decimal::{Decimal, RoundingStrategy};

/// An amount in yuan (元).
pub type Money = Decimal;

/// Why a text or number is not an acceptable amount. `Display` is Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额必须为数字，收到“{0}”")]
    NotANumber(String),
    #[error("金额不能为负数，收到“{0}”")]
    Negative(String),
    #[error("金额最多保留两位小数（精确到分），收到“{0}”")]
    FinerThanCents(String),
    #[error("金额过大，收到“{0}”")]
    TooLarge(String),
}

/// The largest amount or number a case may declare: 10^15 (一千万亿). Far above any subsidy's base,
/// and small enough that every product and sum the calculator forms stays inside `Decimal`
/// (7.9 × 10^28): a larger input is an input error naming the field, never an overflow panic.
pub const MAX_INPUT: Money = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// Rounds to the cent, half away from zero: 0.005 → 0.01, −0.005 → −0.01.
pub fn round_to_cents(amount: Money) -> Money {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Parses a non-negative amount as people write it: surrounding spaces, thousands separators
/// (`1,200.50`, `1，200.50`) and full-width digits are accepted.
pub fn parse_amount(text: &str) -> Result<Money, MoneyError> {
    let cleaned: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF0E}' => '.',
            '\u{FF0D}' => '-',
            other => other,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    let shown = crate::text::brief(text.trim());
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(MoneyError::NotANumber(shown));
    }
    let amount: Decimal = cleaned
        .parse()
        .map_err(|_| MoneyError::NotANumber(shown.clone()))?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(MoneyError::Negative(shown));
    }
    if amount > MAX_INPUT {
        return Err(MoneyError::TooLarge(shown));
    }
    Ok(amount.abs())
}

/// Whole cents, for storage. Refuses amounts finer than a cent rather than rounding silently.
pub fn to_cents(amount: Money) -> Result<i64, MoneyError> {
    let shown = amount.to_string();
    if amount.normalize().scale() > 2 {
        return Err(MoneyError::FinerThanCents(shown));
    }
    let cents = amount * Decimal::ONE_HUNDRED;
    i64::try_from(cents.trunc()).map_err(|_| MoneyError::TooLarge(shown))
}

/// Yuan from whole cents.
pub fn from_cents(cents: i64) -> Money {
    Decimal::new(cents, 2)
}

/// Exactly two decimals, as amounts are written in files and JSON ("1500000.00").
pub fn format_amount(amount: Money) -> String {
    format!("{:.2}", round_to_cents(amount))
}

/// Two decimals with thousands separators, as amounts are shown to people ("1,500,000.00").
pub fn format_grouped(amount: Money) -> String {
    let plain = format_amount(amount.abs());
    let (whole, cents) = plain.split_once('.').unwrap_or((&plain, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{cents}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal literal")
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_to_cents(d("0.005")), d("0.01"));
        assert_eq!(round_to_cents(d("0.004999")), d("0.00"));
        assert_eq!(round_to_cents(d("2.675")), d("2.68"));
        assert_eq!(round_to_cents(d("-0.005")), d("-0.01"));
        assert_eq!(round_to_cents(d("1234.125")), d("1234.13"));
    }

    #[test]
    fn parsing_what_people_type() {
        assert_eq!(parse_amount("1500000"), Ok(d("1500000")));
        assert_eq!(parse_amount(" 1,200.50 "), Ok(d("1200.50")));
        assert_eq!(parse_amount("1，200.50"), Ok(d("1200.50")));
        assert_eq!(parse_amount("１２００．５"), Ok(d("1200.5")));
        assert_eq!(parse_amount("0"), Ok(d("0")));
        assert_eq!(parse_amount("-0"), Ok(d("0")));
        assert_eq!(parse_amount("-5"), Err(MoneyError::Negative("-5".into())));
        assert_eq!(
            parse_amount("约200"),
            Err(MoneyError::NotANumber("约200".into()))
        );
        assert_eq!(parse_amount(""), Err(MoneyError::NotANumber(String::new())));
        assert_eq!(
            parse_amount("1e5"),
            Err(MoneyError::NotANumber("1e5".into()))
        );
        assert_eq!(
            parse_amount("1.2.3"),
            Err(MoneyError::NotANumber("1.2.3".into()))
        );
        assert_eq!(
            parse_amount("-5").expect_err("negative").to_string(),
            "金额不能为负数，收到“-5”"
        );
    }

    #[test]
    fn cents_round_trip_and_refuse_fractions_of_a_cent() {
        assert_eq!(to_cents(d("1500000.00")), Ok(150_000_000));
        assert_eq!(to_cents(d("0.1")), Ok(10));
        assert_eq!(to_cents(d("12.3400")), Ok(1234));
        assert_eq!(from_cents(150_000_000), d("1500000.00"));
        assert_eq!(
            to_cents(d("0.001")),
            Err(MoneyError::FinerThanCents("0.001".into()))
        );
        assert!(matches!(to_cents(d("1e20")), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(d("348000")), "348000.00");
        assert_eq!(format_amount(d("0.005")), "0.01");
        assert_eq!(format_grouped(d("1500000")), "1,500,000.00");
        assert_eq!(format_grouped(d("999.9")), "999.90");
        assert_eq!(format_grouped(d("1000")), "1,000.00");
        assert_eq!(format_grouped(d("-1234567.891")), "-1,234,567.89");
    }
}

#[cfg(test)]
mod max_input {
    use super::*;

    #[test]
    fn the_largest_input_is_ten_to_the_fifteenth() {
        assert_eq!(
            MAX_INPUT,
            "1000000000000000".parse::<Money>().expect("money")
        );
        assert!(parse_amount("1000000000000000").is_ok());
        assert!(matches!(
            parse_amount("1000000000000000.01"),
            Err(MoneyError::TooLarge(_))
        ));
    }
}
