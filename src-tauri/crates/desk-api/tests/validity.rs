//! Issue #14: zs-iip-2021's in-force dates are the bureau's parameters. `set_validity` (the
//! command line's path) records them audited; `validities` lists them with their source; a case
//! file carries them as `validity` and the calculator then takes them over the catalog's.

use chrono::{NaiveDate, NaiveDateTime};
use desk_api::parameters::{VALID_FROM, VALID_TO, ValueSource, set_validity, validities};
use desk_policy::Programme;
use desk_store::{Editor, Store};

fn at(day: &str) -> Editor {
    Editor::new(
        "陈晓敏",
        NaiveDateTime::parse_from_str(&format!("{day} 09:00:00"), "%Y-%m-%d %H:%M:%S")
            .expect("time"),
    )
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn iip(store: &Store) -> desk_api::parameters::ValidityView {
    validities(store)
        .expect("validities")
        .into_iter()
        .find(|v| v.programme == Programme::ZsIip2021)
        .expect("zs-iip-2021")
}

#[test]
fn the_bureau_sets_the_programmes_end_date_and_it_is_listed_and_audited() {
    let mut store = Store::open_in_memory().expect("store");
    let before = iip(&store);
    assert_eq!(
        (before.valid_from, before.valid_to, before.source),
        (date("2021-01-01"), date("2025-12-31"), ValueSource::Catalog)
    );
    assert!(
        before.reference.contains("征求意见稿"),
        "{}",
        before.reference
    );
    assert_eq!(
        desk_api::parameters::case_validity(&store, Programme::ZsIip2021).expect("read"),
        None
    );

    let set = set_validity(
        &mut store,
        Programme::ZsIip2021,
        VALID_TO,
        "2026-12-31",
        "中工信〔2026〕1号",
        &at("2026-11-02"),
    )
    .expect("set");
    assert_eq!(
        (set.valid_from, set.valid_to, set.source),
        (date("2021-01-01"), date("2026-12-31"), ValueSource::Bureau)
    );
    assert_eq!(set.reference, "中工信〔2026〕1号");
    assert_eq!(set.catalog_to, date("2025-12-31"));
    let carried = desk_api::parameters::case_validity(&store, Programme::ZsIip2021)
        .expect("read")
        .expect("set");
    assert_eq!(
        (carried.from, carried.to),
        (date("2021-01-01"), date("2026-12-31"))
    );
    // The other programme keeps its catalog dates.
    let ptsp = validities(&store)
        .expect("validities")
        .into_iter()
        .find(|v| v.programme == Programme::ZsPtsp2018)
        .expect("ptsp");
    assert_eq!(ptsp.source, ValueSource::Catalog);

    let audit = store.audit_of("validity", 1).expect("audit");
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].actor.as_str(), audit[0].action.as_str()),
        ("陈晓敏", "设定政策有效期")
    );
    let after = audit[0].after.as_ref().expect("after");
    assert_eq!(after["valid_to"], "2026-12-31");

    // A later start date keeps the bureau's end date.
    let set = set_validity(
        &mut store,
        Programme::ZsIip2021,
        VALID_FROM,
        "2021-03-01",
        "中工信〔2026〕2号",
        &at("2026-11-03"),
    )
    .expect("set from");
    assert_eq!(
        (set.valid_from, set.valid_to),
        (date("2021-03-01"), date("2026-12-31"))
    );
    let audit = store.audit_of("validity", 2).expect("audit");
    assert_eq!(
        audit[0].before.as_ref().expect("before")["valid_to"],
        "2026-12-31"
    );
}

#[test]
fn set_validity_refuses_in_chinese_and_writes_nothing() {
    let mut store = Store::open_in_memory().expect("store");
    let refused = |store: &mut Store, key: &str, value: &str, reference: &str| {
        set_validity(
            store,
            Programme::ZsIip2021,
            key,
            value,
            reference,
            &at("2026-11-02"),
        )
        .expect_err("refused")
        .to_string()
    };
    for (key, value, reference, want) in [
        (VALID_TO, "2026-02-30", "x号", "有效期截止日："),
        (VALID_TO, "明年年底", "x号", "有效期截止日："),
        (
            VALID_FROM,
            "2026-01-01",
            "x号",
            "施行日期 2026-01-01 晚于有效期截止日 2025-12-31",
        ),
        (VALID_TO, "2020-12-31", "x号", "晚于有效期截止日 2020-12-31"),
        (VALID_TO, "2026-12-31", "  ", "依据："),
        (
            "programme.valid_until",
            "2026-12-31",
            "x号",
            "programme.valid_to",
        ),
    ] {
        let message = refused(&mut store, key, value, reference);
        assert!(message.contains(want), "{key} {value}: {message}");
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{message}"
        );
    }
    assert_eq!(iip(&store).source, ValueSource::Catalog);
    assert!(store.audit_of("validity", 1).expect("audit").is_empty());
}
