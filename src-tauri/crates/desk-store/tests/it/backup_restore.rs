//! Backups (online API, keep N) and restore (verify first, save what is replaced).

use std::fs;

use desk_store::{BackupLabel, StoreError, backup};

use crate::common::*;

#[test]
fn backups_are_timestamped_and_only_the_last_n_are_kept() {
    let (dir, path) = temp_db();
    let store = open(&path);
    let mut made = Vec::new();
    for hour in 10..15 {
        let when = at(&format!("2026-03-02 {hour}:00:00"));
        made.push(store.backup(&BackupLabel::Manual, when, 3).expect("backup"));
    }
    let kept = backup::list(&dir.path().join("backups"), &path);
    assert_eq!(kept, made[2..].to_vec(), "the three newest remain");
    assert!(
        made[4].ends_with("bureau-20260302-140000.sqlite"),
        "{}",
        made[4].display()
    );
    for file in &kept {
        assert_eq!(
            backup::verify(file).expect("sound backup"),
            desk_store::schema::LATEST_VERSION
        );
    }
}

#[test]
fn two_backups_in_the_same_second_do_not_overwrite_each_other() {
    let (_dir, path) = temp_db();
    let store = open(&path);
    let when = at("2026-03-02 10:00:00");
    let a = store.backup(&BackupLabel::Manual, when, 10).expect("first");
    let b = store
        .backup(&BackupLabel::Manual, when, 10)
        .expect("second");
    assert_ne!(a, b);
    assert!(a.exists() && b.exists());
}

#[test]
fn restore_replaces_the_database_and_keeps_what_it_replaced() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    let later = enterprise(
        &mut store,
        "91442000MA51LQ8X2",
        "中山市乙科技有限公司",
        "古镇镇",
    );
    drop(store);

    let report = backup::restore(&path, &saved, &options()).expect("restore");
    let store = open(&path);
    assert_eq!(store.enterprise_count().expect("count"), 1);
    assert!(store.enterprise_by_code(&later).expect("query").is_none());
    let previous = report.previous_saved_as.expect("previous saved");
    assert!(previous.starts_with(dir.path().join("backups")));
    let old = open_copy(&previous);
    assert_eq!(
        old.enterprise_count().expect("count"),
        2,
        "the replaced database was kept"
    );
}

fn open_copy(file: &std::path::Path) -> desk_store::Store {
    let dir = tempfile::tempdir().expect("dir").keep();
    let copy = dir.join("copy.sqlite");
    fs::copy(file, &copy).expect("copy");
    open(&copy)
}

#[test]
fn restore_refuses_what_is_not_a_sound_backup_and_changes_nothing() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    drop(store);

    let garbage = dir.path().join("garbage.sqlite");
    fs::write(&garbage, "not a database at all").expect("write");
    let foreign = dir.path().join("foreign.sqlite");
    raw(&foreign)
        .execute_batch("CREATE TABLE t (x);")
        .expect("foreign");
    let newer = dir.path().join("newer.sqlite");
    fs::copy(&path, &newer).expect("copy");
    raw(&newer)
        .execute_batch("PRAGMA user_version = 99;")
        .expect("bump");
    let missing = dir.path().join("missing.sqlite");

    for (file, expect) in [
        (&garbage, "不是"),
        (&foreign, "不是扶持资金案件台的数据库"),
        (&newer, "v99"),
        (&missing, "文件不存在"),
    ] {
        let err = backup::restore(&path, file, &options()).expect_err("refused");
        assert!(matches!(err, StoreError::BadBackup { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains(expect) && message.contains("当前数据库未作任何改动"),
            "{message}"
        );
    }
    assert_eq!(open(&path).enterprise_count().expect("count"), 1);
}

#[test]
fn restoring_the_live_file_onto_itself_is_refused() {
    let (_dir, path) = temp_db();
    drop(open(&path));
    let err = backup::restore(&path, &path, &options()).expect_err("same file");
    assert!(err.to_string().contains("当前正在使用"), "{err}");
}

#[test]
fn restore_over_a_damaged_database_moves_it_aside() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    drop(store);
    fs::write(&path, vec![0x5Au8; 64 * 1024]).expect("damage");

    let report = backup::restore(&path, &saved, &options()).expect("restore");
    let aside = report.damaged_moved_to.expect("moved aside");
    assert!(aside.exists() && aside.starts_with(dir.path()));
    assert_eq!(open(&path).enterprise_count().expect("count"), 1);
}
