//! #13: a later workbook whose 基本信息 restates the record otherwise is written only once the
//! officer has chosen; Update corrects the record in the import's transaction, audited; Keep
//! leaves it; a refusal at any point leaves nothing.

use desk_policy::Programme;
use desk_store::{
    CORRECTED_FROM_WORKBOOK, Fact, ImportOutcome, ImportedCase, RecordChoice, RecordField, Store,
    StoreError,
};

use crate::common::*;

fn imported(sha: char, choice: RecordChoice) -> ImportedCase {
    let credit_code = code("91442000MA4W4K8L0");
    ImportedCase {
        enterprise: new_enterprise(&credit_code, "中山市某科技有限公司（火炬）", "小榄镇"),
        platform: new_iip_platform(&credit_code),
        year: 2023,
        received_on: date("2024-03-01"),
        officer: "陈晓敏".into(),
        items: vec![item(Programme::ZsIip2021, "4.4", "1000")],
        source_sha256: sha.to_string().repeat(64),
        record: choice,
    }
}

/// The first workbook registers the enterprise and platform; returns the platform's id.
fn first(store: &mut Store) -> i64 {
    let outcome = store
        .import_case(&imported('a', RecordChoice::Unchosen), &editor())
        .expect("first import");
    let ImportOutcome::Created { case } = outcome else {
        panic!("{outcome:?}");
    };
    case.platform_id
}

/// The resubmission: the capital stated, the platform renamed.
fn changed(choice: RecordChoice) -> ImportedCase {
    let mut next = imported('b', choice);
    next.platform.paid_in_capital = Some("12000000".parse().expect("money"));
    next.platform.name = "测试工业互联网平台（二期）".into();
    next
}

fn audit_count(store: &Store, platform: i64) -> (usize, usize, usize) {
    (
        store.audit_of("enterprise", 1).expect("audit").len(),
        store.audit_of("platform", platform).expect("audit").len(),
        store.audit_of_case(1).expect("audit").len(),
    )
}

#[test]
fn unchosen_differences_are_refused_with_their_list_and_nothing_written() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let before = audit_count(&store, platform);
    let next = changed(RecordChoice::Unchosen);
    let found = store.record_of(&next).expect("record");
    assert_eq!(found.platform.as_ref().map(|p| p.id), Some(platform));
    let fields: Vec<RecordField> = found.differences.iter().map(|d| d.field).collect();
    assert_eq!(
        fields,
        [RecordField::PlatformName, RecordField::PaidInCapital]
    );
    assert_eq!(found.differences[1].record, Fact::Money(None));
    assert_eq!(
        found.differences[1].to_string(),
        "实缴注册资本：登记为“（未填）”，申报表为“12,000,000.00 元”"
    );
    let err = store.import_case(&next, &editor()).expect_err("refused");
    assert!(matches!(&err, StoreError::RecordDiffers(d) if d.len() == 2));
    assert!(err.is_bad_input());
    assert!(
        err.to_string().starts_with(
            "申报表与登记信息不一致（2 处），请选择以申报表更正登记信息或按登记信息计算：\n  平台名称：登记为“测试工业互联网平台”，申报表为“测试工业互联网平台（二期）”"
        ),
        "{err}"
    );
    assert_eq!(audit_count(&store, platform), before);
    assert_eq!(store.platform(platform).expect("p").paid_in_capital, None);
    assert_eq!(store.case_count().expect("count"), 1);
}

#[test]
fn update_corrects_the_record_with_the_case_audited_field_by_field() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let outcome = store
        .import_case(&changed(RecordChoice::Update), &editor())
        .expect("import");
    let ImportOutcome::Replaced { case, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(case.platform_id, platform, "the same platform, renamed");
    let p = store.platform(platform).expect("platform");
    assert_eq!(p.name, "测试工业互联网平台（二期）");
    assert_eq!(p.paid_in_capital, Some("12000000".parse().expect("money")));
    assert_eq!(store.platforms(None, None).expect("list").len(), 1);
    let entries = store.audit_of("platform", platform).expect("audit");
    let last = entries.last().expect("entry");
    assert_eq!(last.action, CORRECTED_FROM_WORKBOOK);
    assert_eq!(
        last.before,
        Some(
            serde_json::json!({"platform_name": "测试工业互联网平台", "paid_in_capital": "（未填）"})
        )
    );
    assert_eq!(
        last.after,
        Some(
            serde_json::json!({"platform_name": "测试工业互联网平台（二期）", "paid_in_capital": "12,000,000.00 元"})
        )
    );
    let actions: Vec<String> = store
        .audit_of_case(case.id)
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(
        actions.contains(&"申报表与登记信息不一致：以申报表更正登记信息".to_string()),
        "{actions:?}"
    );
    // The enterprise record had nothing to correct.
    assert_eq!(store.audit_of("enterprise", 1).expect("audit").len(), 1);
    // Once corrected, the same facts are no difference.
    let mut again = changed(RecordChoice::Unchosen);
    again.source_sha256 = "c".repeat(64);
    assert!(
        store
            .record_of(&again)
            .expect("record")
            .differences
            .is_empty()
    );
}

#[test]
fn an_update_refused_before_its_commit_leaves_the_record_as_it_was() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let before = audit_count(&store, platform);
    let refused = store
        .import_case_if(&changed(RecordChoice::Update), &editor(), || {
            Err("计算检查未通过")
        })
        .expect("no database error");
    assert_eq!(refused.err(), Some("计算检查未通过"));
    let p = store.platform(platform).expect("platform");
    assert_eq!(p.name, "测试工业互联网平台");
    assert_eq!(p.paid_in_capital, None);
    assert_eq!(audit_count(&store, platform), before);
}

#[test]
fn keep_leaves_the_record_and_says_so_in_the_case() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let platform_audit = store.audit_of("platform", platform).expect("audit").len();
    let outcome = store
        .import_case(&changed(RecordChoice::Keep), &editor())
        .expect("import");
    let ImportOutcome::Replaced { case, .. } = outcome else {
        panic!("{outcome:?}");
    };
    let p = store.platform(platform).expect("platform");
    assert_eq!(
        (p.name.as_str(), p.paid_in_capital),
        ("测试工业互联网平台", None)
    );
    assert_eq!(
        store.audit_of("platform", platform).expect("audit").len(),
        platform_audit
    );
    let entries = store.audit_of_case(case.id).expect("audit");
    let kept = entries
        .iter()
        .find(|a| a.action == "申报表与登记信息不一致：按登记信息计算")
        .expect("the case says the record was kept");
    assert_eq!(
        kept.after.as_ref().and_then(|a| a[1].as_str()),
        Some("实缴注册资本：登记为“（未填）”，申报表为“12,000,000.00 元”")
    );
}

#[test]
fn width_and_spaces_are_no_difference_and_find_the_same_platform() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let mut typed = imported('d', RecordChoice::Unchosen);
    typed.enterprise.name = "中山市某科技有限公司(火炬) ".into();
    typed.platform.name = "测试工业 互联网平台".into();
    assert!(
        store
            .record_of(&typed)
            .expect("record")
            .differences
            .is_empty()
    );
    let outcome = store.import_case(&typed, &editor()).expect("import");
    let ImportOutcome::Replaced { case, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(case.platform_id, platform);
    assert_eq!(store.platforms(None, None).expect("list").len(), 1);
    assert_eq!(
        store.platform(platform).expect("p").name,
        "测试工业互联网平台",
        "kept as first typed"
    );
}

#[test]
fn the_enterprise_is_corrected_with_its_own_entry() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let platform = first(&mut store);
    let mut moved = imported('e', RecordChoice::Update);
    moved.enterprise.town = desk_policy::Town::parse("古镇").expect("town");
    moved.enterprise.contact_phone = "0760-88880009".into();
    store.import_case(&moved, &editor()).expect("import");
    let e = store
        .enterprise_by_code(&moved.enterprise.credit_code)
        .expect("query")
        .expect("exists");
    assert_eq!(
        (e.town.name(), e.contact_phone.as_str()),
        ("古镇镇", "0760-88880009")
    );
    let entries = store.audit_of("enterprise", e.id).expect("audit");
    let last = entries.last().expect("entry");
    assert_eq!(last.action, CORRECTED_FROM_WORKBOOK);
    assert_eq!(
        last.after,
        Some(serde_json::json!({"town": "古镇镇", "contact_phone": "0760-88880009"}))
    );
    assert_eq!(
        store.audit_of("platform", platform).expect("audit").len(),
        1,
        "the platform had nothing to correct"
    );
}

#[test]
fn a_town_alone_is_a_difference() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    first(&mut store);
    let mut moved = imported('f', RecordChoice::Unchosen);
    moved.enterprise.town = desk_policy::Town::parse("古镇").expect("town");
    let found = store.record_of(&moved).expect("record");
    let lines: Vec<String> = found.differences.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["所在镇街：登记为“小榄镇”，申报表为“古镇镇”"]);
}
