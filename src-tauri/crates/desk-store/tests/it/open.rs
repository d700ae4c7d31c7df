//! Opening: pragmas, refusal of newer, foreign and damaged files, each left untouched.

use std::fs;

use desk_store::{Store, StoreError, schema};

use crate::common::*;

#[test]
fn a_new_file_gets_the_latest_schema_and_safe_settings() {
    let (_dir, path) = temp_db();
    let store = open(&path);
    assert_eq!(
        store.schema_version().expect("version"),
        schema::LATEST_VERSION
    );
    let settings = store.connection_settings().expect("settings");
    assert_eq!(settings.journal_mode, "wal");
    assert_eq!(settings.synchronous, "2", "synchronous=FULL");
    assert!(settings.foreign_keys);
    assert!(settings.busy_timeout_ms >= 5000);
    assert!(store.integrity_problems().expect("check").is_empty());
}

#[test]
fn reopening_is_harmless_and_takes_no_backup() {
    let (dir, path) = temp_db();
    drop(open(&path));
    drop(open(&path));
    assert!(!dir.path().join("backups").exists());
}

#[test]
fn a_database_newer_than_the_program_is_refused_and_untouched() {
    let (_dir, path) = temp_db();
    drop(open(&path));
    raw(&path)
        .execute_batch("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("bump version");
    let before = fs::read(&path).expect("bytes");
    let err = Store::open(&path, &options()).expect_err("too new");
    assert!(
        matches!(err, StoreError::NewerThanProgram { found: 99, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("v99") && message.contains("请升级") && message.contains("未作任何改动"),
        "{message}"
    );
    assert_eq!(
        fs::read(&path).expect("bytes"),
        before,
        "file must be untouched"
    );
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let (_dir, path) = temp_db();
    raw(&path)
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .expect("foreign db");
    let before = fs::read(&path).expect("bytes");
    let err = Store::open(&path, &options()).expect_err("foreign");
    assert!(matches!(err, StoreError::NotOurDatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("不是扶持资金案件台的数据库"));
    assert_eq!(fs::read(&path).expect("bytes"), before);
}

#[test]
fn a_file_that_is_not_a_database_points_to_the_latest_backup() {
    let (dir, path) = temp_db();
    let store = open(&path);
    let backup = store
        .backup(
            &desk_store::BackupLabel::Manual,
            at("2026-03-01 18:00:00"),
            5,
        )
        .expect("backup");
    drop(store);
    fs::write(&path, "这不是数据库，是一份误存的文本文件。".repeat(200)).expect("overwrite");
    for side in ["-wal", "-shm"] {
        let _ = fs::remove_file(dir.path().join(format!("bureau.sqlite{side}")));
    }
    let err = Store::open(&path, &options()).expect_err("damaged");
    let StoreError::Damaged { latest_backup, .. } = &err else {
        panic!("expected Damaged, got {err:?}");
    };
    assert_eq!(latest_backup.as_ref(), Some(&backup));
    let message = err.to_string();
    assert!(message.contains("已损坏"), "{message}");
    assert!(
        message.contains(&format!("subsidy-desk restore \"{}\"", backup.display())),
        "{message}"
    );
}

#[test]
fn damaged_pages_are_found_by_the_check_at_open() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市测试科技有限公司",
        "小榄镇",
    );
    let platform = ptsp_platform(&mut store, &owner, 5);
    for year in 2019..=2022 {
        let items: Vec<_> = (0..40)
            .map(|_| item(desk_policy::Programme::ZsPtsp2018, "6.2", "1000"))
            .collect();
        case(&mut store, &platform, year, &items);
    }
    drop(store); // checkpoints the WAL into the main file
    let mut bytes = fs::read(&path).expect("bytes");
    let page = 4096;
    assert!(bytes.len() > 6 * page, "needs several pages");
    // Scribble over the middle of the file: b-tree pages of the tables.
    for b in &mut bytes[3 * page..5 * page] {
        *b = 0xA5;
    }
    fs::write(&path, &bytes).expect("write");
    let err = Store::open(&path, &options()).expect_err("damaged");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("没有找到备份"), "{err}");
}

#[test]
fn a_folder_that_cannot_be_created_is_a_clear_error() {
    let (dir, _) = temp_db();
    let blocker = dir.path().join("file");
    fs::write(&blocker, "x").expect("write");
    let err = Store::open(&blocker.join("sub").join("db.sqlite"), &options()).expect_err("cannot");
    assert!(matches!(err, StoreError::CannotOpen { .. }), "{err:?}");
    assert!(err.to_string().contains("无法"), "{err}");
}
