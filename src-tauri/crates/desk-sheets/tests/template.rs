//! The template as an applicant opens it, read back from its bytes (calamine for the cells, the
//! package's sheet XML for the dropdowns, which calamine does not read): it asks only what the
//! programme's clauses use, stars what the reader requires and nothing else, names a real cell in
//! its guide, offers 申请金额 only to clauses that carry money, explains every dropdown in Chinese
//! and states each sheet's units and forms. The reader agrees with each point.

mod common;

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};
use desk_policy::{Catalog, Programme};
use desk_sheets::fill::filled_workbook;
use desk_sheets::read::SubmittedItem;
use desk_sheets::template::{BASIC_SHEET, DECLARE_SHEET, GUIDE_SHEET, HEADER_ROW};
use desk_sheets::{ReadError, TemplateSpec, read_submission};
use serde_json::json;

fn template(programme: Programme, clauses: Option<&[&str]>) -> Vec<u8> {
    let only: Option<Vec<String>> = clauses.map(|c| c.iter().map(|s| s.to_string()).collect());
    TemplateSpec::new(Catalog::embedded(), programme, only.as_deref())
        .expect("spec")
        .to_bytes(Catalog::embedded())
        .expect("bytes")
}

/// A ptsp 2020 template filled with the applicant of the fixtures and `items`.
fn ptsp_2020(items: &[SubmittedItem]) -> rust_xlsxwriter::Workbook {
    filled_workbook(
        Catalog::embedded(),
        Programme::ZsPtsp2018,
        &common::ptsp_applicant(),
        2020,
        items,
    )
    .expect("filled")
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).expect("workbook");
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn column(range: &Range<Data>, col: u32) -> Vec<String> {
    (0..range.height() as u32)
        .map(|r| text(range, r, col))
        .collect()
}

/// The row of 基本信息 whose label (column A) is `label`, if any.
fn basic_labels(bytes: &[u8]) -> Vec<String> {
    column(&sheet(bytes, BASIC_SHEET), 0)
}

#[test]
fn only_the_clauses_that_read_a_platform_fact_ask_for_it() {
    let facts = ["是否由市外迁入总部", "信息系统上线日期"];
    let has = |bytes: &[u8], label: &str| basic_labels(bytes).iter().any(|l| l == label);
    let iip = template(Programme::ZsIip2021, None);
    for fact in facts {
        assert!(!has(&iip, fact), "zs-iip-2021 reads no {fact}");
    }
    let ptsp = template(Programme::ZsPtsp2018, None);
    for fact in facts {
        assert!(has(&ptsp, fact), "zs-ptsp-2018 (6.13, 6.16) reads {fact}");
    }
    let lease = template(Programme::ZsPtsp2018, Some(&["6.2"]));
    for fact in facts {
        assert!(!has(&lease, fact), "6.2 alone reads no {fact}");
    }
    let relocation = template(Programme::ZsPtsp2018, Some(&["6.13"]));
    assert!(has(&relocation, facts[0]) && !has(&relocation, facts[1]));
    let cloud = template(Programme::ZsPtsp2018, Some(&["6.16"]));
    assert!(!has(&cloud, facts[0]) && has(&cloud, facts[1]));
    // The year stays the last row, whatever is asked before it.
    for bytes in [&iip, &ptsp, &cloud] {
        let labels: Vec<String> = basic_labels(bytes)
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(labels.last().map(String::as_str), Some("申报年度*"));
    }
}

#[test]
fn a_workbook_of_the_2026_1_template_reads_its_platform_facts_still() {
    // template-2026.1/ptsp-2020-good.xlsx was filled in the 2026.1 template (every fact row,
    // whatever its clauses); its 6.2/6.5/… case reads as it did, both facts included.
    let bytes = std::fs::read(common::fixtures().join("template-2026.1/ptsp-2020-good.xlsx"))
        .expect("fixture");
    let info = sheet(&bytes, "_模板信息");
    assert_eq!(text(&info, 1, 1), "2026.1", "an old template's fixture");
    let submission = read_submission(&bytes, Catalog::embedded()).expect("reads");
    assert_eq!(
        submission.case_file()["platform"]["relocated_hq"],
        json!(common::ptsp_applicant().relocated_hq)
    );
    assert_eq!(
        submission.case_file()["platform"]["system_live_on"],
        json!("2019-09-01")
    );
}

#[test]
fn is_declared_is_not_starred_and_the_reader_does_not_require_it() {
    let bytes = template(Programme::ZsPtsp2018, None);
    let declare = sheet(&bytes, DECLARE_SHEET);
    assert_eq!(text(&declare, 1, 3), "是否申报");
    assert_eq!(text(&declare, 1, 4), "申请金额（元）*");
    // A lease declared by its rows alone, 是否申报 left blank, is read.
    let catalog = Catalog::embedded();
    let mut items = common::ptsp_items();
    items.retain(|i| i.clause == "6.2");
    let mut wb = ptsp_2020(&items);
    wb.worksheet_from_name(DECLARE_SHEET)
        .expect("sheet")
        .write_blank(2, 3, &rust_xlsxwriter::Format::new())
        .expect("blank");
    let bytes = wb.save_to_buffer().expect("bytes");
    assert_eq!(text(&sheet(&bytes, DECLARE_SHEET), 2, 3), "", "left blank");
    let read = read_submission(&bytes, catalog).expect("declared by its rows");
    assert_eq!(read.case.items.len(), 1);
}

#[test]
fn the_guide_names_a_cell_of_a_real_sheet() {
    for (programme, clauses) in [
        (Programme::ZsPtsp2018, None),
        (Programme::ZsIip2021, None),
        (Programme::ZsPtsp2018, Some(&["6.3"][..])),
    ] {
        let bytes = template(programme, clauses);
        let guide = column(&sheet(&bytes, GUIDE_SHEET), 0).join("\n");
        let example = guide
            .split_once("（如“")
            .and_then(|(_, rest)| rest.split_once("”）"))
            .map(|(cell, _)| cell.to_string())
            .unwrap_or_else(|| panic!("{programme}: an example cell in {guide}"));
        let (name, cell) = example.split_once('!').expect("sheet!cell");
        let wb = open_workbook_auto_from_rs(Cursor::new(bytes.clone())).expect("workbook");
        assert!(
            wb.sheet_names().iter().any(|n| n == name),
            "{programme}: {name} is a sheet"
        );
        // The cell is where a value is filled in: a detail sheet's first row, or 基本信息's B3.
        assert!(
            cell == "A4" || (name == BASIC_SHEET && cell == "B3"),
            "{example}"
        );
        assert!(guide.contains(".xlsx、.xlsm、.xls、.ods"), "{guide}");
    }
}

#[test]
fn apps_and_software_are_named_and_ask_no_served_enterprise() {
    let bytes = template(Programme::ZsIip2021, Some(&["5.a", "5.b", "4.2a"]));
    let spec = TemplateSpec::new(
        Catalog::embedded(),
        Programme::ZsIip2021,
        Some(&["5.a".into(), "5.b".into(), "4.2a".into()]),
    )
    .expect("spec");
    for s in &spec.sheets {
        let headers = (0..s.columns.len() as u32)
            .map(|c| text(&sheet(&bytes, &s.name), HEADER_ROW, c))
            .collect::<Vec<_>>();
        if s.clause == "4.2a" {
            assert!(
                headers.contains(&"服务企业统一社会信用代码".to_string()),
                "{headers:?}"
            );
        } else {
            assert!(
                headers.contains(&"名称*".to_string()),
                "{}: {headers:?}",
                s.name
            );
            assert!(
                !headers.iter().any(|h| h.contains("统一社会信用代码")),
                "{}: {headers:?}",
                s.name
            );
        }
    }
    // The reader requires the 名称 the sheet stars.
    let catalog = Catalog::embedded();
    let filled = |units: serde_json::Value| {
        let items = vec![SubmittedItem {
            clause: "5.a".into(),
            units,
            requested: Some("20000".parse().expect("money")),
        }];
        filled_workbook(
            catalog,
            Programme::ZsIip2021,
            &common::iip_applicant(),
            2023,
            &items,
        )
        .expect("filled")
        .save_to_buffer()
        .expect("bytes")
    };
    let named = filled(json!({"apps": [
        {"name": "设备点检APP", "deployed_on": "2023-04-01"},
        {"name": "能耗看板APP", "deployed_on": "2023-05-01"}
    ]}));
    let read = read_submission(&named, catalog).expect("named apps read");
    assert_eq!(read.rows, 2);
    let unnamed = filled(json!({"apps": [{"deployed_on": "2023-04-01"}]}));
    let Err(ReadError::Cells(errors, seen)) = read_submission(&unnamed, catalog) else {
        panic!("an APP without its name is refused");
    };
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["5.a 工业APP奖励!B4: 名称不能为空"],
        "{messages:?}"
    );
    assert_eq!(
        seen.applicant.as_deref(),
        Some("中山市云联工业互联网科技有限公司")
    );
}

#[test]
fn a_clause_without_money_offers_no_requested_amount() {
    let bytes = template(Programme::ZsPtsp2018, Some(&["6.2", "6.3"]));
    let declare = sheet(&bytes, DECLARE_SHEET);
    let row_of = |id: &str| {
        (2..declare.height() as u32)
            .find(|&r| text(&declare, r, 0) == id)
            .expect("row")
    };
    let (lease, equity) = (row_of("6.2"), row_of("6.3"));
    assert!(
        text(&declare, equity, 5).contains("不计补助金额"),
        "6.3's note"
    );
    assert!(
        text(&declare, lease, 5).contains("须填写申请金额"),
        "6.2's note"
    );
    // The 6.3 cell refuses any entry, in Chinese.
    let xml = sheet_xml(&bytes, DECLARE_SHEET);
    let equity_cell = format!("E{}", equity + 1);
    let validation = validations(&xml)
        .into_iter()
        .find(|v| attribute(v, "sqref").as_deref() == Some(equity_cell.as_str()))
        .expect("6.3's 申请金额 validated");
    assert_eq!(
        attribute(&validation, "type").as_deref(),
        Some("textLength")
    );
    assert!(attribute(&validation, "error").is_some_and(|e| e.contains("第6.3条不计补助金额")));
    // The reader refuses an amount typed there anyway.
    let catalog = Catalog::embedded();
    let mut items = common::ptsp_items();
    items.retain(|i| i.clause == "6.2");
    items.push(SubmittedItem {
        clause: "6.3".into(),
        units: json!({}),
        requested: Some("100000".parse().expect("money")),
    });
    let filled = ptsp_2020(&items).save_to_buffer().expect("bytes");
    let Err(ReadError::Cells(errors, _)) = read_submission(&filled, catalog) else {
        panic!("an amount for 6.3 is refused");
    };
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "申报事项!E4: 申请金额：第6.3条（股权投资（财政出资比例核查））不计补助金额，无需填写申请金额，请清空此格"
        ]
    );
    // Without it, 6.3 is declared as before.
    items.last_mut().expect("6.3").requested = None;
    let filled = ptsp_2020(&items).save_to_buffer().expect("bytes");
    let read = read_submission(&filled, catalog).expect("6.3 without an amount");
    assert_eq!(read.requested.len(), 2);
    assert_eq!(read.requested[1], None);
}

#[test]
fn every_dropdown_says_what_to_pick_and_why_a_word_is_refused() {
    for programme in Programme::ALL {
        let bytes = template(programme, None);
        let wb = open_workbook_auto_from_rs(Cursor::new(bytes.clone())).expect("workbook");
        let mut lists = 0;
        for name in wb.sheet_names() {
            for v in validations(&sheet_xml(&bytes, &name)) {
                if attribute(&v, "type").as_deref() == Some("list") {
                    lists += 1;
                }
                for key in ["promptTitle", "prompt", "errorTitle", "error"] {
                    let value = attribute(&v, key)
                        .unwrap_or_else(|| panic!("{programme} {name}: {key} in {v}"));
                    assert!(
                        value
                            .chars()
                            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{programme} {name}: {key} “{value}” in Chinese"
                    );
                }
                assert!(
                    v.contains("showInputMessage=\"1\"") && v.contains("showErrorMessage=\"1\"")
                );
            }
        }
        assert!(lists >= 4, "{programme}: {lists} dropdowns");
    }
}

#[test]
fn each_sheet_states_its_units_and_forms() {
    for programme in Programme::ALL {
        let spec = TemplateSpec::new(Catalog::embedded(), programme, None).expect("spec");
        let bytes = template(programme, None);
        for s in &spec.sheets {
            let note = text(&sheet(&bytes, &s.name), 1, 0);
            assert!(note.contains("填写要求"), "{}: {note}", s.name);
            for c in &s.columns {
                assert!(
                    note.contains(&c.header),
                    "{}: {} in {note}",
                    s.name,
                    c.header
                );
            }
            for (kind, words) in [
                (desk_policy::formulas::FieldKind::Money, "以元为单位"),
                (desk_policy::formulas::FieldKind::Date, "如 2021-03-05"),
                (desk_policy::formulas::FieldKind::Month, "如 2021-03"),
            ] {
                if s.columns.iter().any(|c| c.kind == kind) {
                    assert!(note.contains(words), "{}: {words} in {note}", s.name);
                }
            }
        }
        // 基本信息 explains every row in its 说明 column; 申报事项 every clause.
        let basic = sheet(&bytes, BASIC_SHEET);
        for (i, field) in spec.basic.iter().enumerate() {
            let hint = text(&basic, 2 + i as u32, 2);
            assert!(!hint.is_empty(), "{programme}: {} has a hint", field.label);
        }
        let declare = sheet(&bytes, DECLARE_SHEET);
        assert_eq!(text(&declare, 1, 5), "说明");
        for i in 0..spec.clauses.len() as u32 {
            assert!(
                !text(&declare, 2 + i, 5).is_empty(),
                "{programme}: row {}",
                3 + i
            );
        }
    }
}

/// The XML of a sheet, by its name (the workbook's relationships followed).
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut read = |part: &str| {
        let mut text = String::new();
        zip.by_name(part)
            .unwrap_or_else(|e| panic!("{part}: {e}"))
            .read_to_string(&mut text)
            .expect("text");
        text
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let escaped = name.replace('&', "&amp;");
    let sheet = workbook
        .split("<sheet ")
        .find(|s| attribute(s, "name").as_deref() == Some(escaped.as_str()))
        .unwrap_or_else(|| panic!("{name} in workbook.xml"));
    let id = attribute(sheet, "r:id").expect("r:id");
    let target = rels
        .split("<Relationship ")
        .find(|r| attribute(r, "Id").as_deref() == Some(id.as_str()))
        .and_then(|r| attribute(r, "Target"))
        .expect("target");
    read(&format!("xl/{}", target.trim_start_matches("/xl/")))
}

/// Each `<dataValidation …>` start tag of a sheet.
fn validations(xml: &str) -> Vec<String> {
    xml.split("<dataValidation ")
        .skip(1)
        .map(|v| v.split('>').next().unwrap_or_default().to_string())
        .collect()
}

fn attribute(tag: &str, key: &str) -> Option<String> {
    let start = tag
        .find(&format!(" {key}=\""))
        .map(|i| i + key.len() + 3)
        .or_else(|| {
            tag.starts_with(&format!("{key}=\""))
                .then_some(key.len() + 2)
        })?;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}
