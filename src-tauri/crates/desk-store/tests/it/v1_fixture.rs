//! The schema-v1 database in `fixtures/db/` upgrades to the current schema with its data intact.
//! `cargo test -p desk-store --test it -- --ignored regenerate_v1_fixture` rebuilds it.

use std::fs;

use desk_store::{backup, schema};

use crate::common::*;

const FIXTURE: &str = "v1-bureau-2022.sqlite";
const DATA: &str = include_str!("../../../../../fixtures/db/v1-bureau-2022.sql");

#[test]
#[ignore = "rebuilds fixtures/db/v1-bureau-2022.sqlite from its SQL"]
fn regenerate_v1_fixture() {
    let target = fixture(FIXTURE);
    let _ = fs::remove_file(&target);
    let mut conn = raw(&target);
    conn.pragma_update(None, "journal_mode", "DELETE")
        .expect("rollback journal");
    schema::migrations_up_to(1)
        .to_latest(&mut conn)
        .expect("schema v1");
    conn.execute_batch(DATA).expect("v1 data");
    conn.execute_batch("VACUUM").expect("vacuum");
}

#[test]
fn the_v1_fixture_is_really_v1() {
    let conn = raw(&fixture(FIXTURE));
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 1);
}

#[test]
fn the_v1_database_upgrades_with_its_data_intact() {
    let (dir, path) = temp_db();
    fs::copy(fixture(FIXTURE), &path).expect("copy fixture");
    let store = open(&path);

    assert_eq!(
        store.schema_version().expect("version"),
        schema::LATEST_VERSION
    );
    assert!(store.integrity_problems().expect("check").is_empty());
    assert_eq!(store.enterprise_count().expect("count"), 4);
    assert_eq!(store.case_count().expect("count"), 3);

    let ptsp = store.case_by_no("PTSP-2020-0001").expect("case");
    assert_eq!(ptsp.approved_total, "578000.00".parse().expect("money"));
    assert_eq!(ptsp.status.label(), "已批准");
    let items = store.items(ptsp.id).expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].reason, "一个方案的采纳证明不完整");

    // v2 carried the supported enterprises out of the declared units into the history.
    let iip = store.case_by_no("IIP-2022-0001").expect("case");
    let history = store
        .platform_history(iip.platform_id, None)
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].clause, "4.4");
    let codes: Vec<&str> = history[0].enterprises.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, ["91442000MA4W4K8L06", "91442000MAAY4CL12L"]);

    // v2 started the 5-year obligation from the first payment of the zs-ptsp-2018 platform.
    let obligation = store.obligation(ptsp.platform_id).expect("obligation");
    assert_eq!(obligation, Some((date("2021-09-15"), date("2026-09-15"))));

    // The audit trail of v1 is still there.
    assert!(!store.audit_of_case(ptsp.id).expect("audit").is_empty());

    // A backup of the v1 database was taken before migrating, and is itself a sound v1 file.
    let backups = backup::list(&dir.path().join("backups"), &path);
    assert_eq!(backups.len(), 1);
    assert!(
        backups[0]
            .to_string_lossy()
            .contains(&format!("before-v1-to-v{}", schema::LATEST_VERSION))
    );
    assert_eq!(backup::verify(&backups[0]).expect("sound"), 1);
}
