//! Gathering a case's approval form (审批表) from the database: applicant, items with their computed
//! explanations, and who signed each stage and when (from the audit trail).

use chrono::NaiveDate;
use desk_policy::money::format_grouped;
use desk_policy::{Catalog, LimitedBy};
use desk_print::{ApprovalForm, Explanation, FormItem, Signature};
use desk_store::{CaseStatus, Store};

use crate::{ApiError, Result};

/// The bureau that runs both programmes and signs the forms.
pub const BUREAU: &str = "中山市工业和信息化局";

/// The approval form of one case, printed on `printed_on`.
pub fn approval_form(store: &Store, case_id: i64, printed_on: NaiveDate) -> Result<ApprovalForm> {
    let detail = store.case_detail(case_id)?;
    let catalog = Catalog::embedded();
    let pc = catalog.programme(detail.case.programme);
    let clause = |id: &str| pc.and_then(|p| p.clause(id));
    let mut items = Vec::new();
    let mut explanations = Vec::new();
    for item in &detail.items {
        let c = clause(&item.clause);
        let title = c.map(|c| c.title.clone()).unwrap_or_default();
        let citation = c.map(|c| c.citation.clone()).unwrap_or_default();
        items.push(FormItem {
            seq: item.seq,
            clause: item.clause.clone(),
            title: title.clone(),
            citation: citation.clone(),
            declared: declared_summary(&item.declared_units, item.declared_amount),
            ceiling: item.ceiling,
            approved: item.approved,
            reason: item.reason.clone(),
        });
        if let Some(explanation) = &item.explanation {
            let steps: Vec<String> = explanation["explanation"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(String::from))
                .collect();
            let limited = serde_json::from_value::<LimitedBy>(explanation["limited_by"].clone())
                .map(|l| format!("（{}）", l.label()))
                .unwrap_or_default();
            explanations.push(Explanation {
                heading: format!("第{}条 {}　{}", item.clause, title, citation),
                clause_text: c.map(|c| c.text.clone()).unwrap_or_default(),
                steps,
                result: format!(
                    "最高可补助额：{} 元{limited}；核定金额：{} 元",
                    item.ceiling
                        .map(format_grouped)
                        .unwrap_or_else(|| "—".into()),
                    item.approved
                        .map(format_grouped)
                        .unwrap_or_else(|| "—".into())
                ),
            });
        }
    }
    let approved_total = format_grouped(detail.case.approved_total);
    let signed = |to: CaseStatus| {
        let action_end = format!("→ {}", to.label());
        detail
            .audit
            .iter()
            .rev()
            .find(|a| a.entity == "case" && a.action.ends_with(&action_end))
            .map(|a| {
                (
                    a.actor.clone(),
                    NaiveDate::parse_from_str(a.at.get(..10).unwrap_or_default(), "%Y-%m-%d").ok(),
                )
            })
    };
    let status = detail.case.status;
    let reached = |s: CaseStatus| signed(s).is_some();
    let (officer, officer_date) =
        signed(CaseStatus::Reviewing).map_or((detail.case.officer.clone(), None), |(n, d)| (n, d));
    let mut signatures = vec![Signature {
        role: "经办人".into(),
        name: officer,
        date: officer_date,
        opinion: if reached(CaseStatus::Reviewing) {
            format!("经核查申报材料，建议核定扶持资金 {approved_total} 元。")
        } else {
            String::new()
        },
    }];
    let reviewer = signed(CaseStatus::Approving);
    signatures.push(Signature {
        role: "复核人".into(),
        name: reviewer.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        date: reviewer.as_ref().and_then(|r| r.1),
        opinion: if reviewer.is_some() {
            "经复核，同意经办人意见。".into()
        } else {
            String::new()
        },
    });
    let approver = signed(CaseStatus::Approved).or_else(|| signed(CaseStatus::Rejected));
    signatures.push(Signature {
        role: "审批人".into(),
        name: approver.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        date: approver.as_ref().and_then(|r| r.1),
        opinion: match status {
            CaseStatus::Approved => format!("同意，核定扶持资金 {approved_total} 元。"),
            CaseStatus::Rejected => "不予支持。".into(),
            _ => String::new(),
        },
    });
    let p = &detail.platform;
    Ok(ApprovalForm {
        bureau: BUREAU.into(),
        title: format!("{}资金审批表", detail.case.programme.short_title()),
        case_no: detail.case.case_no.clone(),
        year: detail.case.year,
        batch: detail.case.batch.clone(),
        programme: pc.map(|p| format!("《{}》", p.title)).unwrap_or_default(),
        applicant: detail.case.enterprise_name.clone(),
        credit_code: detail.case.credit_code.to_string(),
        town: detail.case.town.to_string(),
        platform: p.name.clone(),
        grade: p.grade.label(),
        recognized_on: p.recognized_on,
        items,
        signatures,
        explanations,
        printed_on,
    })
}

/// "租赁场地 2 项，申请 760,000.00 元": what an item declared, in a few words.
fn declared_summary(units: &serde_json::Value, requested: Option<desk_policy::Money>) -> String {
    let mut parts: Vec<String> = units
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            v.as_array()
                .map(|rows| format!("{} {} 项", desk_sheets::labels::list_label(k), rows.len()))
        })
        .collect();
    if let Some(m) = requested {
        parts.push(format!("申请 {} 元", format_grouped(m)));
    }
    if parts.is_empty() {
        "见申报材料".into()
    } else {
        parts.join("，")
    }
}

/// The PDF of one case's approval form.
pub fn approval_pdf(store: &Store, case_id: i64, printed_on: NaiveDate) -> Result<Vec<u8>> {
    let form = approval_form(store, case_id, printed_on)?;
    desk_print::approval_pdf(&form).map_err(ApiError::Invalid)
}

/// Every case of a batch in one PDF, each starting on a new page; returns the bytes and the count.
pub fn batch_pdf(store: &Store, batch: &str, printed_on: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let page = store.cases(&desk_store::CaseQuery {
        batch: Some(batch.to_string()),
        page: 1,
        page_size: 500,
        ..desk_store::CaseQuery::default()
    })?;
    if page.rows.is_empty() {
        return Err(ApiError::Invalid(format!("批次“{batch}”没有案件")));
    }
    let mut rows = page.rows;
    rows.sort_by(|a, b| a.case_no.cmp(&b.case_no));
    let forms = rows
        .iter()
        .map(|c| approval_form(store, c.id, printed_on))
        .collect::<Result<Vec<_>>>()?;
    let bytes = desk_print::batch_pdf(&forms).map_err(ApiError::Invalid)?;
    Ok((bytes, forms.len()))
}
