//! Problems the bureau must solve before a case can be computed (a parameter without a value on
//! the case's date): nothing the applicant wrote is wrong, so they go to the officer, never into
//! the applicant's cells, the marked copy or the 补正通知书.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Programme;

/// A problem only the bureau can solve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BureauProblem {
    /// A parameter the case needs has no value on the date its parameters are taken at.
    ParameterUnset(UnsetParameter),
}

/// A parameter without a value on a case's date: zs-iip-2021 8.rate, which the article leaves to
/// the bureau ("一定比例"), or a value the catalog gives only from a later date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsetParameter {
    pub programme: Programme,
    /// "8.rate", "四.cap_benchmark": as a case file's `parameters` and `parameter set` name it.
    pub key: String,
    /// The clause or group it belongs to: "第8条“园区数字化基础设施补助”", "《若干政策措施》四".
    pub owner: String,
    /// What the article calls it ("补助比例（占园区、载体基础设施建设投资额）").
    pub label: String,
    pub unit: String,
    /// The date the case's parameters are taken at (1 January of its application year).
    pub on: NaiveDate,
    /// The article leaves the value to the bureau.
    pub bureau_sets: bool,
    /// The first date the catalog has a value from, if any.
    pub catalog_from: Option<NaiveDate>,
}

impl BureauProblem {
    pub fn programme(&self) -> Programme {
        match self {
            BureauProblem::ParameterUnset(p) => p.programme,
        }
    }
}

impl fmt::Display for BureauProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BureauProblem::ParameterUnset(p) => {
                write!(
                    f,
                    "{}的{}未设置（{} {}，适用于 {}）",
                    p.owner,
                    p.label,
                    p.programme.id(),
                    p.key,
                    p.on
                )?;
                match (p.bureau_sets, p.catalog_from) {
                    (true, _) => write!(f, "：政策原文未定具体数值，须由本局设定"),
                    (false, Some(from)) => write!(f, "：政策目录自 {from} 起才有取值"),
                    (false, None) => write!(f, "：政策目录没有取值"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Case, Catalog, Money, calculate};

    fn case(parameters: serde_json::Value) -> Case {
        let value = serde_json::json!({
            "programme": "zs-iip-2021", "year": 2023,
            "platform": {"credit_code": "91442000MA55CK3T8H", "name": "某平台", "level": "municipal",
                         "recognized_on": "2021-05-10"},
            "parameters": parameters,
            "items": [{"clause": "8", "investment": "5000000"}]
        });
        Case::from_json(&value, Catalog::embedded()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_unset_rate_is_the_bureaus_problem_named_with_its_key_and_date() {
        let Err(errors) = calculate(&case(serde_json::json!({})), Catalog::embedded()) else {
            panic!("clause 8 without a rate must not compute");
        };
        let (applicant, bureau) = errors.split_bureau();
        assert!(applicant.is_empty(), "{applicant}");
        let [BureauProblem::ParameterUnset(p)] = bureau.as_slice() else {
            panic!("{bureau:?}");
        };
        assert_eq!(p.key, "8.rate");
        assert_eq!(p.programme, Programme::ZsIip2021);
        assert_eq!(p.on, NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"));
        assert!(p.bureau_sets);
        assert_eq!(
            bureau[0].to_string(),
            "第8条“园区数字化基础设施补助”的补助比例（占园区、载体基础设施建设投资额）未设置\
             （zs-iip-2021 8.rate，适用于 2023-01-01）：政策原文未定具体数值，须由本局设定"
        );
        let result = calculate(
            &case(serde_json::json!({"8.rate": "0.1"})),
            Catalog::embedded(),
        )
        .expect("computes with the rate");
        assert_eq!(result.total, Money::from(500_000));
    }
}
