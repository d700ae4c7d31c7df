//! Gathering a case's approval form (审批表) from the database: applicant, items with their computed
//! explanations, and who signed each stage and when (from the audit trail).

use chrono::NaiveDate;
use desk_policy::Catalog;
use desk_policy::money::format_grouped;
use desk_print::{ApprovalForm, Explanation, FormItem, Signature};
use desk_store::{CaseStatus, Store};

use crate::views::Progress;
use crate::views::{excluded_units, step_texts, stored_limited_by_label};
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
    let item_seqs: Vec<i64> = detail.items.iter().map(|i| i.seq).collect();
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
            let steps = step_texts(explanation, &item_seqs);
            let excluded: Vec<String> = excluded_units(explanation, &item_seqs)
                .into_iter()
                .map(|x| format!("{}：{}", x.unit, x.reason))
                .collect();
            let limited = stored_limited_by_label(explanation)
                .map(|l| format!("（{l}）"))
                .unwrap_or_default();
            explanations.push(Explanation {
                heading: format!("第{}条 {}　{}", item.clause, title, citation),
                clause_text: c.map(|c| c.text.clone()).unwrap_or_default(),
                steps,
                excluded,
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
    batch_pdf_with_progress(store, batch, printed_on, |_| {})
}

/// [`batch_pdf`], telling `progress` how far it is: before each case (`done` cases laid out so far,
/// `current` the case about to be), then once more when the PDF is written (`done == total`,
/// `current` empty). A batch of n cases reports n + 1 times.
pub fn batch_pdf_with_progress(
    store: &Store,
    batch: &str,
    printed_on: NaiveDate,
    mut progress: impl FnMut(Progress),
) -> Result<(Vec<u8>, usize)> {
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
    let total = rows.len();
    let mut pdf = desk_print::BatchPdf::new().map_err(ApiError::Invalid)?;
    for (done, case) in rows.iter().enumerate() {
        progress(Progress {
            done,
            total,
            current: case.case_no.clone(),
        });
        pdf.add(&approval_form(store, case.id, printed_on)?)
            .map_err(ApiError::Invalid)?;
    }
    let bytes = pdf.finish().map_err(ApiError::Invalid)?;
    progress(Progress {
        done: total,
        total,
        current: String::new(),
    });
    Ok((bytes, total))
}

/// The notices the bureau sends applicants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 受理通知书
    Acceptance,
    /// 补正通知书: what a submission workbook needs corrected, cell by cell.
    Correction,
    /// 审批结果通知书
    Result,
}

impl NoticeKind {
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        match text.trim() {
            "acceptance" | "受理" | "受理通知书" => Ok(NoticeKind::Acceptance),
            "correction" | "补正" | "补正通知书" => Ok(NoticeKind::Correction),
            "result" | "结果" | "审批结果" | "审批结果通知书" => {
                Ok(NoticeKind::Result)
            }
            other => Err(format!(
                "通知书种类应为 受理、补正 或 结果（acceptance、correction、result），收到“{other}”"
            )),
        }
    }
}

fn letter_table(
    rows: Vec<Vec<String>>,
    columns: &[(&str, f32)],
) -> Option<desk_print::NoticeTable> {
    Some(desk_print::NoticeTable {
        columns: columns
            .iter()
            .map(|(t, w)| ((*t).to_string(), *w))
            .collect(),
        rows,
    })
}

/// 受理通知书 for a case that has been accepted.
pub fn acceptance_notice(
    store: &Store,
    case_id: i64,
    date: NaiveDate,
) -> Result<desk_print::Notice> {
    let detail = store.case_detail(case_id)?;
    let c = &detail.case;
    if c.status == CaseStatus::Draft {
        return Err(ApiError::Invalid(format!(
            "案件 {} 尚未受理（当前为草稿），请先受理再出具受理通知书",
            c.case_no
        )));
    }
    let catalog = Catalog::embedded();
    let pc = catalog.programme(c.programme);
    let rows = detail
        .items
        .iter()
        .map(|i| {
            let title = catalog.clause_title(c.programme, &i.clause).to_string();
            vec![
                format!("第{}条", i.clause),
                title,
                i.declared_amount
                    .map(format_grouped)
                    .unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    Ok(desk_print::Notice {
        title: "受理通知书".into(),
        reference: format!("案件编号：{}", c.case_no),
        addressee: c.enterprise_name.clone(),
        paragraphs: vec![
            format!(
                "你单位报送的{}{}年度扶持资金申报材料已于{}收悉。经初步审查，申报材料符合受理要求，予以受理。申报事项如下：",
                pc.map(|p| format!("《{}》", p.title)).unwrap_or_default(),
                c.year,
                c.received_on.format("%Y年%-m月%-d日")
            ),
        ],
        table: letter_table(rows, &[("条款", 24.0), ("事项", 86.0), ("申请金额（元）", 46.0)]),
        closing: vec![
            "我局将依据政策条款进行核查、复核和审批，结果另行通知。核查期间如需补充材料，我局将与你单位联系。".into(),
            format!("经办人：{}", c.officer),
        ],
        bureau: BUREAU.into(),
        date,
    })
}

/// 审批结果通知书 for an approved or rejected case.
pub fn result_notice(store: &Store, case_id: i64, date: NaiveDate) -> Result<desk_print::Notice> {
    let detail = store.case_detail(case_id)?;
    let c = &detail.case;
    let catalog = Catalog::embedded();
    let pc = catalog.programme(c.programme);
    let programme = pc.map(|p| format!("《{}》", p.title)).unwrap_or_default();
    let (paragraphs, table, closing) = match c.status {
        CaseStatus::Approved => {
            let words = desk_policy::money_words::in_words(c.approved_total)
                .map_err(|e| ApiError::Invalid(e.to_string()))?;
            let rows = detail
                .items
                .iter()
                .map(|i| {
                    let title = catalog.clause_title(c.programme, &i.clause).to_string();
                    vec![
                        format!("第{}条", i.clause),
                        title,
                        i.approved.map(format_grouped).unwrap_or_else(|| "—".into()),
                        i.reason.clone(),
                    ]
                })
                .collect();
            let mut closing = vec!["请按有关规定办理拨付手续。".to_string()];
            if c.programme == desk_policy::Programme::ZsPtsp2018 {
                closing.push("根据《实施意见》八（一），享受扶持的平台企业除特殊原因外，需在中山市内经营5年以上，否则须将获得的扶持资金退回市财政。".into());
            }
            (
                vec![format!(
                    "你单位申报的{programme}{}年度扶持资金（案件编号：{}），经核查、复核和审批，核定扶持资金共计 {} 元（{words}），明细如下：",
                    c.year,
                    c.case_no,
                    format_grouped(c.approved_total)
                )],
                letter_table(
                    rows,
                    &[
                        ("条款", 20.0),
                        ("事项", 62.0),
                        ("核定金额（元）", 34.0),
                        ("说明", 40.0),
                    ],
                ),
                closing,
            )
        }
        CaseStatus::Rejected => (
            vec![format!(
                "你单位申报的{programme}{}年度扶持资金（案件编号：{}），经审查，不符合扶持条件，不予支持。如有异议，可自收到本通知之日起向我局提出复核申请。",
                c.year, c.case_no
            )],
            None,
            Vec::new(),
        ),
        other => {
            return Err(ApiError::Invalid(format!(
                "案件 {} 当前为“{}”，批准或不予支持后才能出具审批结果通知书",
                c.case_no,
                other.label()
            )));
        }
    };
    Ok(desk_print::Notice {
        title: "审批结果通知书".into(),
        reference: format!("案件编号：{}", c.case_no),
        addressee: c.enterprise_name.clone(),
        paragraphs,
        table,
        closing,
        bureau: BUREAU.into(),
        date,
    })
}

/// 补正通知书 from a submission workbook: every cell to correct. A workbook without problems has
/// nothing to correct.
pub fn correction_notice(file: &str, bytes: &[u8], date: NaiveDate) -> Result<desk_print::Notice> {
    let errors = match desk_sheets::read_submission(bytes, Catalog::embedded()) {
        Ok(_) => {
            return Err(ApiError::Invalid(format!(
                "申报表“{file}”没有需要补正的内容"
            )));
        }
        Err(desk_sheets::ReadError::Cells(errors, _)) => errors,
        // Nothing the applicant can correct: the bureau's problems are never sent to them.
        Err(desk_sheets::ReadError::ForBureau(problems)) => {
            return Err(ApiError::Invalid(format!(
                "申报表“{file}”没有需要企业补正的内容；需由业务科室处理：{}",
                crate::import::bureau_lines(&problems)
            )));
        }
        Err(other) => {
            vec![desk_sheets::CellError {
                sheet: "整个文件".into(),
                cell: String::new(),
                message: other.to_string(),
            }]
        }
    };
    let rows = errors
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.sheet.clone(),
                e.cell.clone(),
                e.message.clone(),
            ]
        })
        .collect();
    Ok(desk_print::Notice {
        title: "补正通知书".into(),
        reference: format!("申报表：{file}"),
        addressee: "申报单位".into(),
        paragraphs: vec![format!(
            "你单位报送的申报表经系统逐格核验，有以下 {} 处需要补正。请按下表逐项修改后重新提交；修改时请勿改动模板的工作表名称和表头。",
            errors.len()
        )],
        table: letter_table(
            rows,
            &[
                ("序号", 12.0),
                ("工作表", 38.0),
                ("单元格", 16.0),
                ("需要补正的内容", 90.0),
            ],
        ),
        closing: vec!["补正材料请于收到本通知之日起10个工作日内重新提交。".into()],
        bureau: BUREAU.into(),
        date,
    })
}

/// Any notice as PDF bytes.
pub fn notice_pdf(notice: &desk_print::Notice) -> Result<Vec<u8>> {
    desk_print::notice_pdf(notice).map_err(ApiError::Invalid)
}
