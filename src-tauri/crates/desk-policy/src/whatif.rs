//! What-if: the same case with one value changed (a parameter, a unit, a platform fact), compared
//! line by line with the baseline.

use serde::Serialize;
use serde_json::Value;

use crate::case::InputError;
use crate::money::{Money, format_amount};
use crate::result::{CaseResult, LimitedBy};

/// Applies `path=value` to a case document: `parameters.8.rate=0.15`,
/// `items[0].leases[0].area_m2=1500`, `platform.category=6`. The value is read as JSON when it is
/// JSON (a number, true/false, a quoted string), else as text.
pub fn apply_change(case: &mut Value, change: &str) -> Result<(), InputError> {
    let bad = |message: String| InputError {
        path: change.to_string(),
        message,
        bureau: None,
    };
    let (path, raw) = change
        .split_once('=')
        .ok_or_else(|| bad("假设应写成 路径=值，如 parameters.8.rate=0.15".into()))?;
    let path = path.trim();
    let value: Value =
        serde_json::from_str(raw.trim()).unwrap_or_else(|_| Value::String(raw.trim().to_string()));
    // "parameters." is followed by a key that itself contains a dot ("8.rate").
    if let Some(key) = path.strip_prefix("parameters.") {
        let root = case
            .as_object_mut()
            .ok_or_else(|| bad("案件必须是 JSON 对象".into()))?;
        let params = root
            .entry("parameters")
            .or_insert_with(|| Value::Object(Default::default()));
        let map = params
            .as_object_mut()
            .ok_or_else(|| bad("parameters 必须是对象".into()))?;
        map.insert(key.to_string(), value);
        return Ok(());
    }
    let mut target = case;
    let segments: Vec<&str> = path.split('.').collect();
    for (n, segment) in segments.iter().enumerate() {
        let (name, indexes) =
            split_indexes(segment).ok_or_else(|| bad(format!("无法识别路径片段“{segment}”")))?;
        let last = n + 1 == segments.len() && indexes.is_empty();
        let obj = target
            .as_object_mut()
            .ok_or_else(|| bad(format!("“{name}”的上一级不是对象")))?;
        if last {
            obj.insert(name.to_string(), value);
            return Ok(());
        }
        target = obj
            .get_mut(name)
            .ok_or_else(|| bad(format!("案件中没有“{name}”")))?;
        for (k, index) in indexes.iter().enumerate() {
            let list = target
                .as_array_mut()
                .ok_or_else(|| bad(format!("“{name}”不是数组")))?;
            let len = list.len();
            let slot = list
                .get_mut(*index)
                .ok_or_else(|| bad(format!("“{name}”只有 {len} 项，没有第 {index} 项")))?;
            if n + 1 == segments.len() && k + 1 == indexes.len() {
                *slot = value;
                return Ok(());
            }
            target = slot;
        }
    }
    Err(bad("路径为空".into()))
}

fn split_indexes(segment: &str) -> Option<(&str, Vec<usize>)> {
    let name_end = segment.find('[').unwrap_or(segment.len());
    let name = &segment[..name_end];
    let mut indexes = Vec::new();
    let mut rest = &segment[name_end..];
    while let Some(stripped) = rest.strip_prefix('[') {
        let close = stripped.find(']')?;
        indexes.push(stripped[..close].trim().parse().ok()?);
        rest = &stripped[close + 1..];
    }
    (rest.is_empty() && !name.is_empty()).then_some((name, indexes))
}

/// One line's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineDifference {
    pub clause: String,
    #[serde(serialize_with = "amount")]
    pub baseline: Money,
    #[serde(serialize_with = "amount")]
    pub what_if: Money,
    #[serde(serialize_with = "amount")]
    pub difference: Money,
    pub limited_by_baseline: Option<LimitedBy>,
    pub limited_by_what_if: Option<LimitedBy>,
}

fn amount<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_amount(*m))
}

/// Lines of either result, in clause order of the baseline then any new ones.
pub fn compare(baseline: &CaseResult, what_if: &CaseResult) -> Vec<LineDifference> {
    let mut clauses: Vec<&str> = baseline.lines.iter().map(|l| l.clause.as_str()).collect();
    for l in &what_if.lines {
        if !clauses.contains(&l.clause.as_str()) {
            clauses.push(&l.clause);
        }
    }
    clauses
        .into_iter()
        .map(|clause| {
            let a = baseline.lines.iter().find(|l| l.clause == clause);
            let b = what_if.lines.iter().find(|l| l.clause == clause);
            let (av, bv) = (
                a.map_or(Money::ZERO, |l| l.ceiling),
                b.map_or(Money::ZERO, |l| l.ceiling),
            );
            LineDifference {
                clause: clause.to_string(),
                baseline: av,
                what_if: bv,
                difference: bv - av,
                limited_by_baseline: a.map(|l| l.limited_by),
                limited_by_what_if: b.map(|l| l.limited_by),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changes_reach_parameters_units_and_platform() {
        let mut case = json!({"platform": {"category": 5}, "items": [{"clause": "6.2", "leases": [{"area_m2": "1"}]}]});
        apply_change(&mut case, "parameters.8.rate=0.15").expect("param");
        apply_change(&mut case, "items[0].leases[0].area_m2=1500").expect("unit");
        apply_change(&mut case, "platform.category=6").expect("platform");
        assert_eq!(case["parameters"]["8.rate"], json!(0.15));
        assert_eq!(case["items"][0]["leases"][0]["area_m2"], json!(1500));
        assert_eq!(case["platform"]["category"], json!(6));
    }

    #[test]
    fn bad_changes_say_why() {
        let mut case = json!({"items": []});
        let err = apply_change(&mut case, "items[3].x=1").expect_err("no item 3");
        assert!(err.message.contains("没有第 3 项"), "{}", err.message);
        assert!(apply_change(&mut case, "no-equals").is_err());
    }
}
