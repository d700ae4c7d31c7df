//! zs-fusion-2020 两业融合试点: whether an applicant meets the conditions of its type (seed 002,
//! 三、试点单位及条件). Eligibility, not money.

use serde::Serialize;
use serde_json::Value;

use crate::case::InputErrors;
use crate::money::Money;

/// A condition of one applicant type, met or missed, with the numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    pub id: &'static str,
    pub text: String,
    pub met: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PilotCheck {
    #[serde(rename = "type")]
    pub applicant_type: &'static str,
    pub type_label: &'static str,
    pub name: Option<String>,
    pub eligible: bool,
    pub conditions: Vec<Condition>,
    /// The ids of the conditions not met.
    pub unmet: Vec<&'static str>,
    pub citation: &'static str,
}

/// An applicant type and its conditions: (condition id, threshold as a decimal string, or "" for a
/// yes/no condition). Thresholds are 不低于 (≥).
struct ApplicantType {
    id: &'static str,
    label: &'static str,
    conditions: &'static [(&'static str, &'static str)],
}

const TYPES: [ApplicantType; 4] = [
    ApplicantType {
        id: "park_manufacturing",
        label: "制造业产业园（区）",
        conditions: &[("has_operator", ""), ("revenue", "10000000000")],
    },
    ApplicantType {
        id: "park_service",
        label: "生产性服务业集聚区",
        conditions: &[
            ("has_operator", ""),
            ("revenue", "1000000000"),
            ("has_fusion_platform", ""),
        ],
    },
    ApplicantType {
        id: "enterprise_manufacturing",
        label: "制造业企业",
        conditions: &[("revenue", "500000000"), ("service_input_share", "0.20")],
    },
    ApplicantType {
        id: "enterprise_service",
        label: "生产性服务业企业",
        conditions: &[("revenue", "50000000"), ("service_revenue_share", "0.50")],
    },
];

const CITATION: &str = "《中山市推进先进制造业与现代服务业深度融合试点工作方案》三、试点单位及条件";

fn yuan_words(v: Money) -> String {
    let yi = Money::from(100_000_000);
    let wan = Money::from(10_000);
    if v >= yi {
        format!("{}亿元", (v / yi).normalize())
    } else {
        format!("{}万元", (v / wan).normalize())
    }
}

fn percent(v: Money) -> String {
    format!("{}%", (v * Money::ONE_HUNDRED).normalize())
}

/// Checks an applicant (`{"type": …, "revenue": …, …}`); every input problem is reported together.
pub fn check(applicant: &Value) -> Result<PilotCheck, InputErrors> {
    let mut errors = InputErrors::default();
    let Some(obj) = applicant.as_object() else {
        errors.push("(文件)", "申报主体必须是 JSON 对象");
        return Err(errors);
    };
    let type_id = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    let Some(ApplicantType {
        id,
        label,
        conditions,
    }) = TYPES.iter().find(|t| t.id == type_id)
    else {
        let ids: Vec<&str> = TYPES.iter().map(|t| t.id).collect();
        errors.push(
            "type",
            format!(
                "申报主体类型应为 {} 之一 (收到 \"{type_id}\")",
                ids.join("、")
            ),
        );
        return Err(errors);
    };
    let mut allowed = vec!["type", "name"];
    allowed.extend(conditions.iter().map(|(c, _)| *c));
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            errors.push(
                key.clone(),
                format!("{label}不使用这个字段，可用字段：{}", allowed.join("、")),
            );
        }
    }
    let mut results = Vec::new();
    for (condition, threshold) in conditions.iter() {
        let value = obj.get(*condition).filter(|v| !v.is_null());
        let Some(value) = value else {
            errors.push(*condition, "缺少必填字段");
            continue;
        };
        if threshold.is_empty() {
            let Some(flag) = value.as_bool() else {
                errors.push(*condition, format!("必须为 true 或 false (收到 {value})"));
                continue;
            };
            let text = match *condition {
                "has_operator" => "具有运营管理机构",
                _ => "搭建有“两业”融合公共服务平台",
            };
            results.push(Condition {
                id: condition,
                text: text.to_string(),
                met: flag,
                reason: if flag { "是".into() } else { "否".into() },
            });
            continue;
        }
        let text = value
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string());
        let Ok(amount) = text.trim().parse::<Money>() else {
            errors.push(*condition, format!("必须为数字 (收到 {value})"));
            continue;
        };
        if amount.is_sign_negative() && !amount.is_zero() {
            errors.push(*condition, format!("必须为非负数 (收到 {value})"));
            continue;
        }
        let share = condition.ends_with("share");
        if share && amount > Money::ONE {
            errors.push(
                *condition,
                format!("占比应为0到1之间的小数，如 0.2 表示 20% (收到 {value})"),
            );
            continue;
        }
        let min: Money = threshold.parse().unwrap_or_default();
        let met = amount >= min;
        let (shown, needed) = if share {
            (percent(amount), percent(min))
        } else {
            (yuan_words(amount), yuan_words(min))
        };
        let what = match *condition {
            "revenue" => "年营业收入",
            "service_input_share" => "服务中间投入占比",
            _ => "专业化中间投入服务业务收入占比",
        };
        results.push(Condition {
            id: condition,
            text: format!("{what}不低于{needed}"),
            met,
            reason: format!(
                "{what} {shown}，{}",
                if met {
                    format!("不低于{needed}，满足")
                } else {
                    format!("低于{needed}，不满足")
                }
            ),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unmet: Vec<&'static str> = results.iter().filter(|c| !c.met).map(|c| c.id).collect();
    Ok(PilotCheck {
        applicant_type: id,
        type_label: label,
        name: obj.get("name").and_then(Value::as_str).map(str::to_string),
        eligible: unmet.is_empty(),
        conditions: results,
        unmet,
        citation: CITATION,
    })
}
