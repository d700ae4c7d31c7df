//! The approval form read back: text extracted from the PDF (printpdf's own parser), pages,
//! repeated headers, totals in figures and words, size.

use chrono::NaiveDate;
use desk_policy::Money;
use desk_print::{
    ApprovalForm, BatchPdf, Explanation, FormItem, Signature, approval_pdf, batch_pdf,
};
use printpdf::{PdfDocument, PdfParseOptions};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn money(s: &str) -> Money {
    s.parse().expect("money")
}

fn form(items: usize) -> ApprovalForm {
    ApprovalForm {
        bureau: "中山市工业和信息化局".into(),
        title: "公共技术服务平台扶持资金审批表".into(),
        case_no: "PTSP-2020-0001".into(),
        year: 2020,
        batch: "2020年第1批".into(),
        programme: "《关于加快全生命周期公共技术服务平台体系建设的实施意见》".into(),
        applicant: "中山市某智能制造公共服务平台有限公司".into(),
        credit_code: "91442000MA4W4K8L06".into(),
        town: "中山港街道".into(),
        platform: "中山市智能制造公共服务平台".into(),
        grade: "5. 智能制造公共服务平台".into(),
        recognized_on: date("2019-07-15"),
        items: (0..items)
            .map(|i| FormItem {
                seq: i as i64 + 1,
                clause: "6.6".into(),
                title: "智能改造方案补助".into(),
                citation: "《实施意见》六（六）".into(),
                declared: format!("采纳方案 {} 项，申请 {} 元", i + 1, (i + 1) * 50_000),
                ceiling: Some(money("50000")),
                approved: Some(if i == 0 {
                    money("40000.5")
                } else {
                    money("50000")
                }),
                reason: if i == 0 {
                    "一个方案的采纳证明不完整".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        signatures: ["经办人", "复核人", "审批人"]
            .iter()
            .map(|role| Signature {
                role: (*role).into(),
                name: "陈晓敏".into(),
                date: Some(date("2021-05-20")),
                opinion: "同意。".into(),
            })
            .collect(),
        explanations: vec![Explanation {
            heading: "第6.6条 智能改造方案补助　《实施意见》六（六）".into(),
            clause_text: "智能制造公共服务平台为中山市企业提供智能改造一体化解决方案……".into(),
            steps: vec!["1 个 × 50000.00 = 50000.00".into()],
            excluded: vec!["智能改造方案第2行：不予认定：缺少验收报告".into()],
            result: "最高可补助额：50,000.00 元（按标准计算）；核定金额：40,000.50 元".into(),
        }],
        printed_on: date("2026-11-22"),
    }
}

/// The text of each page.
fn pages(bytes: &[u8]) -> Vec<String> {
    let doc =
        PdfDocument::parse(bytes, &PdfParseOptions::default(), &mut Vec::new()).expect("parses");
    doc.extract_text()
        .into_iter()
        .map(|chunks| chunks.join(""))
        .collect()
}

#[test]
fn a_short_form_has_its_totals_words_and_signatures() {
    let bytes = approval_pdf(&form(3)).expect("pdf");
    assert!(bytes.starts_with(b"%PDF"));
    let pages = pages(&bytes);
    let all = pages.join("\n");
    for expected in [
        "公共技术服务平台扶持资金审批表",
        "91442000MA4W4K8L06",
        "140,000.50",
        "人民币壹拾肆万元伍角",
        "经办人意见",
        "复核人意见",
        "审批人意见",
        "附：计算说明",
        "不计入：智能改造方案第2行：不予认定：缺少验收报告",
    ] {
        assert!(all.contains(expected), "missing {expected} in {all}");
    }
    let n = pages.len();
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains(&format!("第 {} 页 共 {n} 页", i + 1)),
            "page {} lacks its number",
            i + 1
        );
    }
    assert!(
        bytes.len() < 150 * 1024,
        "a typical form is under 150 KB: {} KB",
        bytes.len() / 1024
    );
}

#[test]
fn a_long_table_breaks_across_pages_with_its_header_repeated() {
    let bytes = approval_pdf(&form(40)).expect("pdf");
    let pages = pages(&bytes);
    let with_header = pages.iter().filter(|p| p.contains("条款及依据")).count();
    assert!(
        with_header >= 3,
        "40 items span several pages, each with the header: {with_header}"
    );
    assert!(
        pages
            .iter()
            .skip(1)
            .any(|p| p.contains("公共技术服务平台扶持资金审批表（续）"))
    );
    let all = pages.join("\n");
    // 39 × 50,000 + 40,000.50
    assert!(
        all.contains("1,990,000.50") && all.contains("人民币壹佰玖拾玖万元伍角"),
        "totals"
    );
}

#[test]
fn a_batch_starts_each_case_on_a_new_page_with_its_own_numbers() {
    let mut second = form(2);
    second.case_no = "PTSP-2020-0002".into();
    let one = pages(&approval_pdf(&form(3)).expect("pdf")).len();
    let bytes = batch_pdf(&[form(3), second]).expect("pdf");
    let pages = pages(&bytes);
    assert!(pages.len() >= 2 * one - 1);
    let firsts: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contains("第 1 页 共"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(firsts.len(), 2, "each case starts its own numbering");
    assert!(
        pages[firsts[1]].contains("PTSP-2020-0002")
            && pages[firsts[1]].contains("公共技术服务平台扶持资金审批表")
    );
}

#[test]
fn a_batch_built_form_by_form_is_the_batch_and_refuses_to_be_empty() {
    let mut second = form(2);
    second.case_no = "PTSP-2020-0002".into();
    let forms = [form(3), second];
    let mut built = BatchPdf::new().expect("fonts");
    for (i, f) in forms.iter().enumerate() {
        assert_eq!(built.forms(), i);
        built.add(f).expect("layout");
    }
    assert_eq!(built.forms(), 2);
    let by_form = pages(&built.finish().expect("pdf"));
    let at_once = pages(&batch_pdf(&forms).expect("pdf"));
    assert_eq!(by_form, at_once);
    let empty = BatchPdf::new().expect("fonts").finish();
    assert_eq!(empty.expect_err("no forms"), "没有可打印的案件");
}

#[test]
fn the_font_is_embedded_as_a_subset() {
    let bytes = approval_pdf(&form(3)).expect("pdf");
    let text = String::from_utf8_lossy(&bytes);
    // A subset font's name carries a six-letter tag: /BaseFont /ABCDEF+NotoSerifSC-Regular.
    for face in ["NotoSerifSC-Regular", "NotoSerifSC-Bold"] {
        let at = text
            .find(&format!("+{face}"))
            .unwrap_or_else(|| panic!("{face} is not embedded as a subset"));
        let tag = &text[at - 6..at];
        assert!(
            tag.chars().all(|c| c.is_ascii_uppercase()),
            "subset tag {tag}"
        );
    }
    assert!(
        text.contains("/FontFile2"),
        "the TrueType program is embedded"
    );
    assert!(
        bytes.len() < 150 * 1024,
        "only the glyphs used: {} KB",
        bytes.len() / 1024
    );
}
