//! Policy parameters the bureau sets itself (zs-iip-2021 clause 8's "一定比例", a new rate from a
//! date): listed beside the catalog's own values, recorded with the date each takes effect, and
//! handed to the calculator as the case file's `parameters` for the cases they apply to.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use desk_policy::{Catalog, Money, Programme};
use desk_store::{BureauValue, Editor, Store};
use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use crate::{ApiError, Result};

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DatedValueView {
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub value: Money,
    pub reference: String,
}

/// One parameter of the catalog, with its values from the catalog and from the bureau.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ParameterView {
    /// "clause.name", as a case file's `parameters` names it.
    pub key: String,
    pub programme: Programme,
    pub clause: String,
    pub clause_title: String,
    pub name: String,
    /// The text leaves this parameter to the bureau.
    pub bureau_sets: bool,
    pub catalog_values: Vec<DatedValueView>,
    pub bureau_values: Vec<DatedValueView>,
    /// The value in force today (the bureau's over the catalog's), if any.
    #[ts(type = "string | null")]
    pub in_force: Option<Money>,
}

/// The date a case's parameters are taken at: 1 January of its application year, the date the
/// calculator takes the catalog's own dated values at, so every case of one year is computed with
/// the same values.
pub fn applies_on(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The bureau's value of each key in force on `date`.
fn in_force(
    values: &[BureauValue],
    programme: Programme,
    date: NaiveDate,
) -> BTreeMap<String, Money> {
    // Values come ordered by key and date, so the last one not after `date` wins.
    values
        .iter()
        .filter(|v| v.programme == programme && v.effective_from <= date)
        .map(|v| (v.key.clone(), v.value))
        .collect()
}

/// The `parameters` of a case of `programme` and `year`: the bureau's values in force then.
pub fn case_parameters(
    store: &Store,
    programme: Programme,
    year: i32,
) -> Result<Map<String, Value>> {
    Ok(
        in_force(&store.bureau_values()?, programme, applies_on(year))
            .into_iter()
            .map(|(key, value)| (key, json!(value.to_string())))
            .collect(),
    )
}

pub fn parameters(store: &Store, today: NaiveDate) -> Result<Vec<ParameterView>> {
    let catalog = Catalog::embedded();
    let bureau = store.bureau_values()?;
    let mut views = Vec::new();
    for programme in [Programme::ZsPtsp2018, Programme::ZsIip2021] {
        let Some(pc) = catalog.programme(programme) else {
            continue;
        };
        let now = in_force(&bureau, programme, today);
        for clause in &pc.clauses {
            for (name, param) in &clause.params {
                let key = format!("{}.{name}", clause.id);
                let catalog_values: Vec<DatedValueView> = param
                    .values
                    .iter()
                    .map(|v| DatedValueView {
                        from: v.from,
                        value: v.value,
                        reference: v.reference.clone(),
                    })
                    .collect();
                let bureau_values: Vec<DatedValueView> = bureau
                    .iter()
                    .filter(|v| v.programme == programme && v.key == key)
                    .map(|v| DatedValueView {
                        from: v.effective_from,
                        value: v.value,
                        reference: v.reference.clone(),
                    })
                    .collect();
                let in_force = now.get(&key).copied().or_else(|| param.at(today));
                views.push(ParameterView {
                    clause_title: clause.title.clone(),
                    clause: clause.id.clone(),
                    bureau_sets: clause.bureau_sets.iter().any(|b| b == name),
                    name: name.clone(),
                    key,
                    programme,
                    catalog_values,
                    bureau_values,
                    in_force,
                });
            }
        }
    }
    Ok(views)
}

/// Records a value the bureau sets for `key` ("8.rate") from `from`.
pub fn set_parameter(
    store: &mut Store,
    programme: Programme,
    key: &str,
    from: NaiveDate,
    value: &str,
    reference: &str,
    editor: &Editor,
) -> Result<()> {
    let known = Catalog::embedded().programme(programme).is_some_and(|pc| {
        key.rsplit_once('.').is_some_and(|(clause, name)| {
            pc.clause(clause)
                .is_some_and(|c| c.params.contains_key(name))
        })
    });
    if !known {
        return Err(ApiError::Invalid(format!(
            "《{}》的政策目录中没有参数“{key}”",
            programme.short_title()
        )));
    }
    let value = desk_policy::money::parse_amount(value)
        .map_err(|e| ApiError::Invalid(format!("参数值：{e}")))?;
    if key.ends_with(".rate") && value > Money::ONE {
        return Err(ApiError::Invalid(format!(
            "参数值：比例应在 0 到 1 之间（如 0.10 表示 10%），收到 {value}"
        )));
    }
    if reference.trim().is_empty() {
        return Err(ApiError::Invalid(
            "依据：请填写设定该参数的文件或会议纪要（文号）".into(),
        ));
    }
    store.set_bureau_value(programme, key, from, value, reference, editor)?;
    Ok(())
}
