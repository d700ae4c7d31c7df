//! Turning what a person typed into domain values, with a message that names the field.

use chrono::NaiveDate;
use desk_policy::{CreditCode, Money, Programme, Town, money};

use crate::context::CliError;

/// Names the field (Chinese name and flag) in front of the problem.
pub fn field<T, E: std::fmt::Display>(
    name: &str,
    flag: &str,
    result: Result<T, E>,
) -> Result<T, CliError> {
    result.map_err(|e| CliError::Input(format!("{name}（{flag}）：{e}")))
}

pub fn credit_code(name: &str, flag: &str, text: &str) -> Result<CreditCode, CliError> {
    field(name, flag, CreditCode::parse(text))
}

pub fn town(flag: &str, text: &str) -> Result<Town, CliError> {
    field("镇街", flag, Town::parse(text))
}

pub fn programme(flag: &str, text: &str) -> Result<Programme, CliError> {
    field("政策", flag, Programme::parse(text))
}

pub fn amount(name: &str, flag: &str, text: &str) -> Result<Money, CliError> {
    field(name, flag, money::parse_amount(text))
}

/// A calendar date written YYYY-MM-DD; an impossible one (2021-02-30) is named as such.
pub fn date(name: &str, flag: &str, text: &str) -> Result<NaiveDate, CliError> {
    field(name, flag, parse_date(text))
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && (1..=2).contains(&parts[1].len())
        && (1..=2).contains(&parts[2].len())
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !shaped {
        return Err(format!(
            "日期格式应为 YYYY-MM-DD（如 2021-03-05），收到“{text}”"
        ));
    }
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(number(parts[0]) as i32, number(parts[1]), number(parts[2]))
        .ok_or_else(|| format!("“{text}”不是存在的日期"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2021-3-5"),
            Ok(NaiveDate::from_ymd_opt(2021, 3, 5).expect("valid"))
        );
        assert_eq!(
            parse_date("2021-02-30"),
            Err("“2021-02-30”不是存在的日期".into())
        );
        assert_eq!(
            parse_date("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
        assert!(parse_date("2023-02-29").is_err());
        assert!(
            parse_date("2021/03/05")
                .expect_err("slashes")
                .contains("YYYY-MM-DD")
        );
        assert!(parse_date("").is_err());
    }

    #[test]
    fn field_names_lead_the_message() {
        let err = credit_code("统一社会信用代码", "--credit-code", "123").expect_err("short");
        assert_eq!(
            err.to_string(),
            "输入有误：统一社会信用代码（--credit-code）：统一社会信用代码应为18位，收到3位"
        );
    }
}
