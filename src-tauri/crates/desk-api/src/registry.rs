//! Registering enterprises and platform recognitions from what the officer typed in a form: each
//! field checked with a Chinese message that names it, before the store sees anything.

use chrono::NaiveDate;
use desk_policy::{CreditCode, Money, PlatformCategory, PlatformLevel, Programme, Town};
use desk_store::{Editor, Enterprise, Grade, NewEnterprise, NewPlatform, Platform, Store};
use serde::Deserialize;
use ts_rs::TS;

use crate::{ApiError, Result};

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewEnterpriseArgs {
    pub credit_code: String,
    pub name: String,
    pub town: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewPlatformArgs {
    pub credit_code: String,
    pub programme: Programme,
    pub name: String,
    pub category: Option<u8>,
    pub level: Option<String>,
    pub recognized_on: String,
    pub paid_in_capital: Option<String>,
    pub fiscal_paid_in_capital: Option<String>,
    pub relocated_hq: bool,
    pub system_live_on: Option<String>,
}

fn field<T>(label: &str, parsed: std::result::Result<T, impl std::fmt::Display>) -> Result<T> {
    parsed.map_err(|e| ApiError::Invalid(format!("{label}：{e}")))
}

fn date(label: &str, text: &str) -> Result<NaiveDate> {
    field(
        label,
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("“{}”不是有效日期（应为 YYYY-MM-DD）", text.trim())),
    )
}

fn optional<T>(text: &Option<String>, parse: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => parse(t).map(Some),
        None => Ok(None),
    }
}

fn amount(label: &str, text: &str) -> Result<Money> {
    let m = field(label, desk_policy::money::parse_amount(text))?;
    if m.is_sign_negative() {
        return Err(ApiError::Invalid(format!("{label}：不能为负数")));
    }
    Ok(m)
}

pub fn add_enterprise(
    store: &mut Store,
    args: &NewEnterpriseArgs,
    editor: &Editor,
) -> Result<Enterprise> {
    let new = NewEnterprise {
        credit_code: field("统一社会信用代码", CreditCode::parse(&args.credit_code))?,
        name: args.name.clone(),
        town: field("所属镇街", Town::parse(&args.town))?,
        address: args.address.clone(),
        contact_person: args.contact_person.clone(),
        contact_phone: args.contact_phone.clone(),
    };
    Ok(store.add_enterprise(&new, editor)?)
}

pub fn add_platform(
    store: &mut Store,
    args: &NewPlatformArgs,
    editor: &Editor,
) -> Result<Platform> {
    let grade = match args.programme {
        Programme::ZsPtsp2018 => {
            let n = args
                .category
                .ok_or_else(|| ApiError::Invalid("平台类别：请选择 0–24 类中的一类".into()))?;
            Grade::Category(field("平台类别", PlatformCategory::new(n))?)
        }
        Programme::ZsIip2021 => {
            let text = args.level.as_deref().unwrap_or_default();
            Grade::Level(field("平台级别", PlatformLevel::parse(text))?)
        }
    };
    let new = NewPlatform {
        enterprise: field("统一社会信用代码", CreditCode::parse(&args.credit_code))?,
        programme: args.programme,
        name: args.name.clone(),
        grade,
        recognized_on: date("认定日期", &args.recognized_on)?,
        paid_in_capital: optional(&args.paid_in_capital, |t| {
            amount(desk_policy::glossary::PAID_IN_CAPITAL, t)
        })?,
        fiscal_paid_in_capital: optional(&args.fiscal_paid_in_capital, |t| {
            amount(desk_policy::glossary::FISCAL_PAID_IN_CAPITAL, t)
        })?,
        relocated_hq: args.relocated_hq,
        system_live_on: optional(&args.system_live_on, |t| date("系统上线日期", t))?,
    };
    Ok(store.add_platform(&new, editor)?)
}
