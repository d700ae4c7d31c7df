//! Printing speed: one approval form (审批表), and a 500-case batch in one PDF.
//! Targets: one form under 20 ms, the batch under 10 s, a typical form under 150 KB.
//!
//! `cargo bench -p desk-print --bench print`

// Floating point here is for timings only, never money.
#![allow(clippy::float_arithmetic)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use desk_print::{ApprovalForm, Explanation, FormItem, Signature, approval_pdf, batch_pdf};

fn form(n: usize) -> ApprovalForm {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    ApprovalForm {
        bureau: "中山市工业和信息化局".into(),
        title: "公共技术服务平台扶持资金审批表".into(),
        case_no: format!("PTSP-2020-{n:04}"),
        year: 2020,
        batch: "2020年第1批".into(),
        programme: "《关于加快全生命周期公共技术服务平台体系建设的实施意见》".into(),
        applicant: format!("中山市第{n}智能制造科技有限公司"),
        credit_code: "91442000MA4W4K8L06".into(),
        town: "中山港街道".into(),
        platform: "中山市智能制造公共服务平台".into(),
        grade: "5. 智能制造公共服务平台".into(),
        recognized_on: date("2019-07-15"),
        items: [("6.2", "租赁经营场地补助", "六（二）", "738150"), ("6.4", "注册资本补贴", "六（四）", "800000"), ("6.5", "贷款贴息", "六（五）", "100273.97"), ("6.6", "智能改造方案补助", "六（六）", "100000")]
            .iter()
            .enumerate()
            .map(|(i, (clause, title, article, amount))| FormItem {
                seq: i as i64 + 1,
                clause: (*clause).into(),
                title: (*title).into(),
                citation: format!("《实施意见》{article}"),
                declared: "租赁场地 2 项，申请 760,000.00 元".into(),
                ceiling: amount.parse().ok(),
                approved: amount.parse().ok(),
                reason: String::new(),
            })
            .collect(),
        signatures: ["经办人", "复核人", "审批人"]
            .iter()
            .map(|r| Signature { role: (*r).into(), name: "陈晓敏".into(), date: Some(date("2021-05-20")), opinion: "经核查申报材料，建议核定扶持资金 1,738,423.97 元。".into() })
            .collect(),
        explanations: vec![Explanation {
            heading: "第6.2条 租赁经营场地补助　《实施意见》六（二）".into(),
            clause_text: "对平台企业租赁经营场地，按最高不超过50元/平方米/月给予补助，补助期限最长为3年，单个平台每年补助金额最高150万元。".into(),
            steps: vec!["leases[0]：1200 m² × min(45, 50) 元/m²/月 × 12 个月 = 648000.00".into(), "每年最高 1500000.00，本年已核定 0.00，余 1500000.00，未超出".into()],
            excluded: Vec::new(),
            result: "最高可补助额：738,150.00 元（按标准计算）；核定金额：738,150.00 元".into(),
        }],
        printed_on: date("2026-11-22"),
    }
}

fn main() {
    let t = Instant::now();
    let first = approval_pdf(&form(1)).expect("pdf");
    println!(
        "first form, including parsing the embedded fonts once: {:.0} ms, {} KB",
        ms(t.elapsed()),
        first.len() / 1024
    );

    let mut times: Vec<Duration> = (0..20)
        .map(|i| {
            let t = Instant::now();
            let bytes = approval_pdf(&form(i)).expect("pdf");
            assert!(bytes.len() > 1000);
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "one 审批表: median {:.1} ms (min {:.1}, max {:.1}) — target under 20 ms: {}",
        ms(median),
        ms(times[0]),
        ms(times[19]),
        if median < Duration::from_millis(20) {
            "met"
        } else {
            "NOT MET"
        }
    );
    println!(
        "typical form size: {} KB — target under 150 KB: {}",
        first.len() / 1024,
        if first.len() < 150 * 1024 {
            "met"
        } else {
            "NOT MET"
        }
    );

    let forms: Vec<ApprovalForm> = (0..500).map(form).collect();
    let t = Instant::now();
    let batch = batch_pdf(&forms).expect("batch");
    let took = t.elapsed();
    println!(
        "500-case batch: {:.2} s, {:.1} MB — target under 10 s: {}",
        took.as_secs_f64(),
        batch.len() as f64 / 1e6,
        if took < Duration::from_secs(10) {
            "met"
        } else {
            "NOT MET"
        }
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
