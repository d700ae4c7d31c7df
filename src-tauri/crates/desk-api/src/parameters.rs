//! Policy parameters the bureau sets itself (zs-iip-2021 clause 8's "一定比例", a new rate from a
//! date): listed beside the catalog's own values, recorded with the date each takes effect, and
//! handed to the calculator as the case file's `parameters` for the cases they apply to.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use desk_policy::case::Validity;
use desk_policy::catalog::{DatedValue, Group};
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

impl From<&DatedValue> for DatedValueView {
    fn from(v: &DatedValue) -> Self {
        DatedValueView {
            from: v.from,
            value: v.value,
            reference: v.reference.clone(),
        }
    }
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
    /// What the article calls it, in Chinese ("每年补助上限").
    pub label: String,
    /// The value's unit ("元", "元/m²·月", "比例").
    pub unit: String,
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

/// The bureau's values in force for a case of `programme` and `year`, by key ("8.rate").
pub fn bureau_parameters(
    store: &Store,
    programme: Programme,
    year: i32,
) -> Result<BTreeMap<String, Money>> {
    Ok(in_force(
        &store.bureau_values()?,
        programme,
        applies_on(year),
    ))
}

/// The `parameters` of a case of `programme` and `year`: the bureau's values in force then.
pub fn case_parameters(
    store: &Store,
    programme: Programme,
    year: i32,
) -> Result<Map<String, Value>> {
    Ok(bureau_parameters(store, programme, year)?
        .into_iter()
        .map(|(key, value)| (key, json!(value.to_string())))
        .collect())
}

/// The keys `parameter set` takes for a programme's in-force dates.
pub const VALID_FROM: &str = "programme.valid_from";
pub const VALID_TO: &str = "programme.valid_to";

/// A programme's in-force dates: the bureau's if it set them, else the catalog's.
#[derive(Debug, Clone, Serialize)]
pub struct ValidityView {
    pub programme: Programme,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub reference: String,
    pub source: ValueSource,
    pub catalog_from: NaiveDate,
    pub catalog_to: NaiveDate,
    pub catalog_reference: String,
}

/// The in-force dates of every programme, as cases are computed with them.
pub fn validities(store: &Store) -> Result<Vec<ValidityView>> {
    let catalog = Catalog::embedded();
    let mut views = Vec::new();
    for pc in &catalog.programmes {
        let bureau = store.bureau_validity(pc.programme)?;
        let (valid_from, valid_to, reference, source) = match bureau {
            Some(b) => (b.valid_from, b.valid_to, b.reference, ValueSource::Bureau),
            None => (
                pc.valid_from,
                pc.valid_to,
                pc.validity_reference.clone(),
                ValueSource::Catalog,
            ),
        };
        views.push(ValidityView {
            programme: pc.programme,
            valid_from,
            valid_to,
            reference,
            source,
            catalog_from: pc.valid_from,
            catalog_to: pc.valid_to,
            catalog_reference: pc.validity_reference.clone(),
        });
    }
    Ok(views)
}

/// The in-force dates the bureau set for `programme`, as a case carries them (`validity`).
pub fn case_validity(store: &Store, programme: Programme) -> Result<Option<Validity>> {
    Ok(store.bureau_validity(programme)?.map(|b| Validity {
        from: b.valid_from,
        to: b.valid_to,
    }))
}

/// Records the bureau's in-force start (`programme.valid_from`) or end (`programme.valid_to`)
/// of `programme`; the other date stays as in force. `value` must be a real date, the start not
/// after the end.
pub fn set_validity(
    store: &mut Store,
    programme: Programme,
    key: &str,
    value: &str,
    reference: &str,
    editor: &Editor,
) -> Result<ValidityView> {
    let which = match key {
        VALID_FROM => "施行日期",
        VALID_TO => "有效期截止日",
        _ => {
            return Err(ApiError::Invalid(format!(
                "政策有效期的参数只有 {VALID_FROM}（施行日期）和 {VALID_TO}（有效期截止日），收到“{key}”"
            )));
        }
    };
    let date = desk_policy::case::parse_date(value.trim())
        .map_err(|why| ApiError::Invalid(format!("{which}：{why}")))?;
    if reference.trim().is_empty() {
        return Err(ApiError::Invalid(
            "依据：请填写设定有效期的文件或会议纪要（文号）".into(),
        ));
    }
    let Some(now) = validities(store)?
        .into_iter()
        .find(|v| v.programme == programme)
    else {
        return Err(ApiError::Invalid(format!(
            "政策目录中没有《{}》",
            programme.short_title()
        )));
    };
    let (from, to) = if key == VALID_FROM {
        (date, now.valid_to)
    } else {
        (now.valid_from, date)
    };
    if from > to {
        return Err(ApiError::Invalid(format!(
            "{which}：施行日期 {from} 晚于有效期截止日 {to}（《{}》）",
            programme.short_title()
        )));
    }
    store.set_bureau_validity(programme, from, to, reference, editor)?;
    validities(store)?
        .into_iter()
        .find(|v| v.programme == programme)
        .ok_or_else(|| ApiError::Invalid("政策有效期未能读回".into()))
}

/// Where a parameter's value in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The policy catalog (the article's own figure).
    Catalog,
    /// The bureau's own setting (`parameter set`, the settings screen).
    Bureau,
}

impl ValueSource {
    pub fn label(self) -> &'static str {
        match self {
            ValueSource::Catalog => "政策目录",
            ValueSource::Bureau => "本局设定",
        }
    }
}

impl ParameterView {
    /// The value in force on `date` and where it comes from: the bureau's over the catalog's, as
    /// a case is computed.
    pub fn value_on(&self, date: NaiveDate) -> Option<(&DatedValueView, ValueSource)> {
        fn last(values: &[DatedValueView], date: NaiveDate) -> Option<&DatedValueView> {
            values.iter().rfind(|v| v.from <= date)
        }
        last(&self.bureau_values, date)
            .map(|v| (v, ValueSource::Bureau))
            .or_else(|| last(&self.catalog_values, date).map(|v| (v, ValueSource::Catalog)))
    }
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
                let catalog_values: Vec<DatedValueView> =
                    param.values.iter().map(DatedValueView::from).collect();
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
                    label: param.label.clone(),
                    unit: param.unit.clone(),
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

/// A cap shared by several clauses (zs-iip-2021 四: the sum of 4.1–4.5 per platform and year),
/// shown beside the parameters so an officer sees every cap that can bind. Set by the document
/// alone: the bureau does not change it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GroupCapView {
    pub programme: Programme,
    pub citation: String,
    pub text: String,
    /// "4.1 标杆应用示范项目奖励", in the order the group's room is given out.
    pub clauses: Vec<String>,
    pub caps: Vec<GroupCapValue>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GroupCapValue {
    pub label: String,
    pub unit: String,
    pub values: Vec<DatedValueView>,
}

fn group_cap_view(
    programme: Programme,
    clause_title: impl Fn(&str) -> String,
    group: &Group,
) -> GroupCapView {
    GroupCapView {
        programme,
        citation: group.citation.clone(),
        text: group.text.clone(),
        clauses: group
            .clauses
            .iter()
            .map(|id| format!("{id} {}", clause_title(id)))
            .collect(),
        caps: group
            .params
            .values()
            .map(|param| GroupCapValue {
                label: param.label.clone(),
                unit: param.unit.clone(),
                values: param.values.iter().map(DatedValueView::from).collect(),
            })
            .collect(),
    }
}

/// Every group cap of the catalog, programme by programme.
pub fn group_caps() -> Vec<GroupCapView> {
    let catalog = Catalog::embedded();
    [Programme::ZsPtsp2018, Programme::ZsIip2021]
        .into_iter()
        .filter_map(|p| catalog.programme(p))
        .flat_map(|pc| {
            let title = |id: &str| catalog.clause_title(pc.programme, id).to_string();
            pc.groups
                .iter()
                .map(|g| group_cap_view(pc.programme, title, g))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The keys of `programme`'s catalog nearest to `key`, for a refusal: the clause's own keys if
/// the clause exists, else the keys of that name, else those within a few letters.
fn nearest_keys(pc: &desk_policy::catalog::ProgrammeCatalog, key: &str) -> Vec<String> {
    let keys: Vec<(String, &str)> = pc
        .clauses
        .iter()
        .flat_map(|c| {
            c.params
                .iter()
                .map(move |(name, p)| (format!("{}.{name}", c.id), p.label.as_str()))
        })
        .collect();
    let (clause, name) = key.rsplit_once('.').unwrap_or((key, key));
    let named = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
        keys.iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, label)| format!("{k}（{label}）"))
            .collect()
    };
    let same_clause = named(&|k| {
        k.rsplit_once('.')
            .is_some_and(|(c, _)| c == clause || c == key)
    });
    if !same_clause.is_empty() {
        return same_clause;
    }
    let same_name = named(&|k| k.rsplit_once('.').is_some_and(|(_, n)| n == name));
    if !same_name.is_empty() {
        return same_name.into_iter().take(8).collect();
    }
    let mut near: Vec<(usize, String)> = keys
        .iter()
        .map(|(k, label)| (distance(k, key), format!("{k}（{label}）")))
        .filter(|(d, _)| *d <= 3)
        .collect();
    near.sort();
    near.into_iter().take(5).map(|(_, k)| k).collect()
}

/// Edit distance between two short keys (letters, not bytes).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A value typed for a parameter of `unit`, read as the unit says or refused: a share is a
/// decimal from 0 to 1 ("0.15", or "15%"), a count a whole number, an amount in yuan at most to
/// the fen.
fn parameter_value(unit: &str, text: &str) -> Result<Money> {
    let bad = |why: String| ApiError::Invalid(format!("参数值：{why}"));
    let trimmed = text.trim();
    let (number, percent) = match trimmed.strip_suffix(['%', '％']) {
        Some(n) if unit == "比例" => (n, true),
        Some(_) => {
            return Err(bad(format!(
                "单位为“{unit}”，不能写成百分数，收到“{trimmed}”"
            )));
        }
        None => (trimmed, false),
    };
    let value = desk_policy::money::parse_amount(number).map_err(|e| bad(e.to_string()))?;
    let value = if percent {
        value / Money::ONE_HUNDRED
    } else {
        value
    };
    match unit {
        "比例" if value > Money::ONE => Err(bad(format!(
            "比例应在 0 到 1 之间（如 0.10 表示 10%），收到 {trimmed}"
        ))),
        "个" | "家" | "次" if !value.fract().is_zero() => {
            Err(bad(format!("单位为“{unit}”，应为整数，收到 {trimmed}")))
        }
        u if u.starts_with('元') && value.scale() > 2 && !value.round_dp(2).eq(&value) => {
            Err(bad(format!(
                "单位为“{unit}”，最多到分（两位小数），收到 {trimmed}"
            )))
        }
        _ => Ok(value),
    }
}

/// Records a value the bureau sets for `key` ("8.rate") from `from`, the same for the settings
/// screen and `subsidy-desk parameter set`: the key must be the catalog's, the value of its unit,
/// the date within the programme (a value dated after its last application year's 1 January
/// would apply to no case). Plausible ranges beyond the unit's are not checked (issue #16).
pub fn set_parameter(
    store: &mut Store,
    programme: Programme,
    key: &str,
    from: NaiveDate,
    value: &str,
    reference: &str,
    editor: &Editor,
) -> Result<BureauValue> {
    let Some(pc) = Catalog::embedded().programme(programme) else {
        return Err(ApiError::Invalid(format!(
            "政策目录中没有《{}》",
            programme.short_title()
        )));
    };
    let param = key
        .rsplit_once('.')
        .and_then(|(clause, name)| pc.clause(clause).and_then(|c| c.param(name)));
    let Some(param) = param else {
        let near = nearest_keys(pc, key);
        let hint = if near.is_empty() {
            format!(
                "；可用 subsidy-desk parameter list {} 查看全部参数",
                programme.id()
            )
        } else {
            format!("；相近的参数：{}", near.join("、"))
        };
        return Err(ApiError::Invalid(format!(
            "《{}》的政策目录中没有参数“{key}”{hint}",
            programme.short_title()
        )));
    };
    let value = parameter_value(&param.unit, value)?;
    let last = applies_on(pc.last_application_year);
    if from < pc.valid_from || from > last {
        return Err(ApiError::Invalid(format!(
            "生效日期：{from} 不在《{}》的适用期间内（{} 至 {last}；案件按申报年度的1月1日取参数值）",
            programme.short_title(),
            pc.valid_from
        )));
    }
    if reference.trim().is_empty() {
        return Err(ApiError::Invalid(
            "依据：请填写设定该参数的文件或会议纪要（文号）".into(),
        ));
    }
    Ok(store.set_bureau_value(programme, key, from, value, reference, editor)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_catalog_parameter_has_a_chinese_label_and_a_unit() {
        let catalog = Catalog::embedded();
        let mut seen = 0;
        for pc in &catalog.programmes {
            for clause in &pc.clauses {
                for (name, param) in &clause.params {
                    assert!(
                        is_chinese(&param.label),
                        "{} {name}: {}",
                        clause.id,
                        param.label
                    );
                    assert!(!param.unit.is_empty(), "{} {name}: no unit", clause.id);
                    for v in &param.values {
                        assert!(is_chinese(&v.reference), "{} {name}: reference", clause.id);
                    }
                    seen += 1;
                }
            }
            for group in &pc.groups {
                for (name, param) in &group.params {
                    assert!(is_chinese(&param.label), "{name}");
                }
            }
        }
        assert!(seen > 40, "only {seen} parameters in the catalog");
    }

    #[test]
    fn labels_follow_the_clause_that_uses_the_parameter() {
        let pc = |p| Catalog::embedded().programme(p).expect("programme");
        let ptsp = pc(Programme::ZsPtsp2018);
        let label = |pc: &desk_policy::catalog::ProgrammeCatalog, c: &str, n: &str| {
            let p = pc.clause(c).expect("clause").param(n).expect("param");
            (p.label.clone(), p.unit.clone())
        };
        let label = |c: &str, n: &str| label(ptsp, c, n);
        assert_eq!(
            label("6.2", "rent_cap_per_m2"),
            ("租金补助标准上限".into(), "元/m²·月".into())
        );
        assert_eq!(label("6.5", "rate").0, "贴息年利率上限");
        assert_eq!(
            label("6.4", "rate").0,
            "补贴比例（实缴注册资本扣除财政资金实缴出资部分）"
        );
        let iip = pc(Programme::ZsIip2021);
        let label = |c: &str, n: &str| {
            let p = iip.clause(c).expect("clause").param(n).expect("param");
            (p.label.clone(), p.unit.clone())
        };
        assert_eq!(label("2.1", "rate").0, "奖励比例（占实缴注册资金）");
        assert_eq!(
            label("4.2a", "amount"),
            ("每个示范工厂奖励".into(), "元/个".into())
        );
        assert_eq!(label("4.2c", "threshold").0, "年交易额须超过");
        assert_eq!(label("8", "rate").1, "比例");
        assert_eq!(
            iip.clause("4.1")
                .expect("4.1")
                .param("unit_cap")
                .expect("cap")
                .values[0]
                .reference,
            "《若干政策措施》四（一）"
        );
    }

    #[test]
    fn the_group_cap_of_section_four_is_listed_with_its_citation_and_clauses() {
        let caps = group_caps();
        assert_eq!(caps.len(), 1, "only zs-iip-2021 has a group cap");
        let four = &caps[0];
        assert_eq!(four.programme, Programme::ZsIip2021);
        assert_eq!(four.citation, "《若干政策措施》四");
        assert_eq!(
            four.clauses.first().map(String::as_str),
            Some("4.1 标杆应用示范项目奖励")
        );
        assert_eq!(four.clauses.len(), 7);
        let cap = |label: &str| {
            four.caps
                .iter()
                .find(|c| c.label == label)
                .and_then(|c| c.values.last())
                .map(|v| v.value.to_string())
        };
        assert_eq!(cap("标杆平台每年合计上限").as_deref(), Some("15000000"));
        assert_eq!(cap("市级平台每年合计上限").as_deref(), Some("5000000"));
    }
}
