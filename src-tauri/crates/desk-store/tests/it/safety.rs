//! The store's safety features must never lose the record: restore from any backup the keep policy
//! kept, refusal of a backup damaged in its content, leftovers of killed backups cleaned, the order
//! of backups taken in one second, automatic backups, opening that never creates a database, a
//! `check` that never writes, another program's SQLite file left alone, and every message Chinese.

use std::fs;
use std::path::Path;

use desk_store::backup::{self, KEEP_BACKUPS};
use desk_store::{BackupLabel, OpenOptions, Store, StoreError, schema};

use crate::common::*;

fn three_enterprises(store: &mut Store) {
    for (code, name) in [
        ("91442000MA4W4K8L0", "中山市甲科技有限公司"),
        ("91442000MA51LQ8X2", "中山市乙科技有限公司"),
        ("91442000MA4UJ3KG1", "中山市丙科技有限公司"),
    ] {
        enterprise(store, code, name, "小榄镇");
    }
}

fn backups_dir(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("backups")
}

#[test]
fn restoring_the_oldest_kept_backup_restores_it_and_keeps_the_file() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    // A full backup folder: as many backups as the policy keeps, the oldest with one enterprise.
    let mut made = Vec::new();
    for minute in 0..KEEP_BACKUPS {
        let when = at(&format!("2026-03-01 10:{:02}:00", minute % 60));
        made.push(
            store
                .backup(&BackupLabel::Manual, when, KEEP_BACKUPS)
                .expect("backup"),
        );
        if minute == 0 {
            enterprise(
                &mut store,
                "91442000MA51LQ8X2",
                "中山市乙科技有限公司",
                "古镇镇",
            );
        }
    }
    drop(store);
    let oldest = made[0].clone();
    assert_eq!(backup::list(&backups_dir(&dir), &path).len(), KEEP_BACKUPS);

    let report = backup::restore(&path, &oldest, &options()).expect("restore");
    assert!(oldest.exists(), "the backup restored from is never deleted");
    let store = open(&path);
    assert_eq!(
        store.enterprise_count().expect("count"),
        1,
        "the oldest backup's content"
    );
    let kept = backup::list(&backups_dir(&dir), &path);
    assert!(
        kept.len() <= KEEP_BACKUPS,
        "pruned to the policy afterwards"
    );
    assert!(kept.contains(&oldest));
    assert!(kept.contains(report.previous_saved_as.as_ref().expect("saved")));
}

#[test]
fn a_backup_that_breaks_a_check_constraint_is_refused_before_anything_changes() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    three_enterprises(&mut store);
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    drop(store);
    // A bad row written around the program, as damage in a backup's content reads.
    let forged = dir.path().join("forged.sqlite");
    fs::copy(&saved, &forged).expect("copy");
    {
        let conn = raw(&forged);
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             UPDATE enterprises SET name = ' ' WHERE id = 1;",
        )
        .expect("forge");
    }
    let read_only_passes = {
        let conn = rusqlite::Connection::open_with_flags(
            &forged,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open");
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .expect("check")
    };
    let before = fs::read(&path).expect("bytes");
    let err = backup::restore(&path, &forged, &options()).expect_err("refused");
    assert!(matches!(err, StoreError::BadBackup { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("约束") && message.contains("当前数据库未作任何改动"),
        "{message} (read-only integrity_check said: {read_only_passes})"
    );
    assert_eq!(
        fs::read(&path).expect("bytes"),
        before,
        "live database untouched"
    );
    assert_eq!(open(&path).enterprise_count().expect("count"), 3);
}

#[test]
fn backups_damaged_anywhere_are_refused_or_restore_a_sound_database() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    three_enterprises(&mut store);
    let platform = ptsp_platform(&mut store, &code("91442000MA4W4K8L0"), 7);
    for n in 0..40 {
        let items: Vec<_> = (0..5)
            .map(|i| {
                item(
                    desk_policy::Programme::ZsPtsp2018,
                    "6.11",
                    &format!("{}.{i:02}", 1000 + n),
                )
            })
            .collect();
        case(&mut store, &platform, 2018 + (n % 5), &items);
    }
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    drop(store);
    let good = fs::read(&saved).expect("bytes");
    let mut rng = fastrand::Rng::with_seed(64);
    let (mut refused, mut sound) = (0, 0);
    for round in 0..40 {
        let mut bytes = good.clone();
        let at_byte = if round == 0 {
            bytes.len() / 2 // "64 bytes XORed in the middle"
        } else {
            rng.usize(100..bytes.len() - 64)
        };
        for b in &mut bytes[at_byte..at_byte + 64] {
            *b ^= 0xA5;
        }
        let damaged = dir.path().join(format!("damaged-{round}.sqlite"));
        fs::write(&damaged, &bytes).expect("write");
        match backup::restore(&path, &damaged, &options()) {
            Err(StoreError::BadBackup { .. }) => refused += 1,
            Err(other) => panic!("round {round}: {other}"),
            Ok(_) => {
                sound += 1;
                let store = open(&path);
                assert!(
                    store.integrity_problems().expect("check").is_empty(),
                    "round {round}: a restore left a database check refuses"
                );
            }
        }
        // Whatever happened, the live database opens and is sound.
        let store = Store::open(&path, &options()).expect("opens");
        assert!(store.integrity_problems().expect("check").is_empty());
    }
    eprintln!("damaged backups: {refused} refused, {sound} restored a sound database");
    assert!(refused > 0);
}

/// Run by a person, not root (root reads and writes through permission bits): as root, the test
/// runs its body again as `nobody` with setpriv.
#[test]
fn a_read_only_backup_in_a_read_only_folder_restores_at_once() {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let setpriv = Path::new("/usr/bin/setpriv");
    if !(cfg!(unix) && root && setpriv.exists()) {
        let dir = tempfile::tempdir().expect("dir");
        read_only_restore(dir.path());
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    set_mode(dir.path(), 0o777);
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "safety::read_only_restore_as_a_person",
            "--ignored",
            "--test-threads=1",
        ])
        .env("DESK_RO_DIR", dir.path())
        .output()
        .expect("run as nobody");
    assert!(
        out.status.success(),
        "as nobody: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child ran"
    );
}

#[test]
#[ignore = "child of a_read_only_backup_in_a_read_only_folder_restores_at_once, run as nobody"]
fn read_only_restore_as_a_person() {
    let Some(dir) = std::env::var_os("DESK_RO_DIR") else {
        return;
    };
    read_only_restore(Path::new(&dir));
}

fn read_only_restore(dir: &Path) {
    let path = dir.join("bureau.sqlite");
    let mut store = open(&path);
    three_enterprises(&mut store);
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    enterprise(
        &mut store,
        "91442000MA5FGH2J1",
        "中山市丁科技有限公司",
        "古镇镇",
    );
    drop(store);
    let shelf = dir.join("只读");
    fs::create_dir(&shelf).expect("dir");
    let kept = shelf.join("bureau-20260302-100000.sqlite");
    fs::copy(&saved, &kept).expect("copy");
    set_mode(&kept, 0o444);
    set_mode(&shelf, 0o555);
    let writable = fs::OpenOptions::new().append(true).open(&kept).is_ok();
    let started = std::time::Instant::now();
    let verified = backup::verify(&kept);
    let outcome = backup::restore(&path, &kept, &options());
    set_mode(&shelf, 0o755);
    verified.expect("a read-only backup verifies");
    outcome.expect("restored");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "no spinning"
    );
    assert_eq!(open(&path).enterprise_count().expect("count"), 3);
    assert!(kept.exists());
    eprintln!(
        "read-only backup restored (permission bits enforced: {})",
        !writable
    );
}

fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    }
    #[cfg(not(unix))]
    {
        let mut p = fs::metadata(path).expect("meta").permissions();
        p.set_readonly(mode & 0o200 == 0);
        fs::set_permissions(path, p).expect("attrib");
    }
}

#[test]
fn leftovers_of_killed_backups_are_cleaned_and_counted() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    three_enterprises(&mut store);
    let shelf = backups_dir(&dir);
    fs::create_dir_all(&shelf).expect("dir");
    for n in 0..3 {
        let partial = shelf.join(format!("bureau-20260301-0900{n:02}.sqlite.partial"));
        fs::write(&partial, vec![0u8; 4096]).expect("partial");
        fs::write(format!("{}-journal", partial.display()), vec![0u8; 512]).expect("journal");
    }
    fs::write(
        shelf.join("bureau-20260301-090100.sqlite.partial-journal"),
        [1u8; 10],
    )
    .expect("orphan");
    // One partial still being written by another connection is left alone.
    let busy = shelf.join("bureau-20260301-090200.sqlite.partial");
    let holder = rusqlite::Connection::open(&busy).expect("holder");
    holder
        .execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
        .expect("lock");

    let cleaned = backup::clean_partials(&shelf, &path);
    assert_eq!(
        cleaned.files, 7,
        "three partials, their journals and an orphan journal"
    );
    assert_eq!(cleaned.bytes, 3 * 4096 + 3 * 512 + 10);
    assert!(busy.exists(), "a partial being written is not removed");
    drop(holder);
    store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    let left: Vec<_> = fs::read_dir(&shelf)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
        .collect();
    assert!(
        left.is_empty(),
        "the next backup removes what is no longer being written"
    );
}

#[test]
fn the_latest_of_backups_taken_in_one_second_is_the_last_one_taken() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    let when = at("2026-03-02 10:00:00");
    let mut last = None;
    for n in 0..12 {
        enterprise(
            &mut store,
            &format!("91442000MA4W4K8{n:02}"),
            &format!("中山市第{n}科技有限公司"),
            "小榄镇",
        );
        last = Some(
            store
                .backup(&BackupLabel::Manual, when, 50)
                .expect("backup"),
        );
    }
    let dir = store.backup_dir().expect("dir").to_path_buf();
    assert_eq!(backup::latest(&dir, &path), last, "-12 sorts after -2");
    let latest = backup::latest_backup(&dir, &path).expect("latest");
    assert_eq!(latest.seq, 12);
    assert_eq!(latest.taken_at, when);
}

#[test]
fn the_first_use_of_a_day_takes_one_backup() {
    let (dir, path) = temp_db();
    drop(open(&path));
    drop(open(&path));
    assert!(
        backup::list(&backups_dir(&dir), &path).is_empty(),
        "an empty database needs no backup"
    );
    let mut store = open(&path);
    three_enterprises(&mut store);
    drop(store);
    drop(open(&path));
    drop(open(&path));
    assert_eq!(
        backup::list(&backups_dir(&dir), &path).len(),
        1,
        "one a day"
    );
    let tomorrow = OpenOptions::new(at("2026-03-03 08:30:00"));
    drop(Store::open(&path, &tomorrow).expect("open"));
    let all = backup::backups(&backups_dir(&dir), &path);
    assert_eq!(all.len(), 2);
    assert!(all[1].path.to_string_lossy().ends_with("-daily.sqlite"));
    assert_eq!(all[1].taken_at, at("2026-03-03 08:30:00"));
}

#[test]
fn opening_never_creates_a_database() {
    let (dir, path) = temp_db();
    let nested = dir.path().join("nodir").join("sub").join("x.sqlite");
    for missing in [&path, &nested] {
        let err = Store::open(missing, &options()).expect_err("missing");
        assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
        assert!(err.to_string().contains("subsidy-desk init"), "{err}");
        assert!(!missing.exists());
        let err = Store::open_to_inspect(missing, &options()).expect_err("missing");
        assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
    }
    assert!(!dir.path().join("nodir").exists(), "no folder made either");
    fs::write(&path, b"").expect("empty file");
    let err = Store::open(&path, &options()).expect_err("empty");
    assert!(matches!(err, StoreError::Empty { .. }), "{err:?}");
    assert_eq!(
        fs::metadata(&path).expect("meta").len(),
        0,
        "left as it was"
    );
    // Only create makes one, and it may initialise the empty file.
    let store = Store::create(&path, &options()).expect("create");
    assert_eq!(store.schema_version().expect("v"), schema::LATEST_VERSION);
}

#[test]
fn inspecting_writes_nothing_not_even_an_old_schema_upgrade() {
    let (dir, path) = temp_db();
    {
        let mut conn = raw(&path);
        schema::migrations_up_to(2)
            .to_latest(&mut conn)
            .expect("v2 database");
    }
    let before = fs::read(&path).expect("bytes");
    let store = Store::open_to_inspect(&path, &options()).expect("inspect");
    assert_eq!(store.schema_version().expect("v"), 2, "not migrated");
    assert!(store.integrity_problems().expect("check").is_empty());
    drop(store);
    assert_eq!(
        fs::read(&path).expect("bytes"),
        before,
        "not a byte changed"
    );
    assert!(!backups_dir(&dir).exists(), "no backup written");
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched_even_with_our_mark() {
    let (dir, path) = temp_db();
    {
        let conn = raw(&path);
        // Someone else's tables, and by accident (or copying) our application id and a version.
        conn.execute_batch(&format!(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
             INSERT INTO notes (body) VALUES ('私人笔记');
             PRAGMA application_id = {};
             PRAGMA user_version = 1;",
            schema::APPLICATION_ID
        ))
        .expect("foreign file");
    }
    let before = fs::read(&path).expect("bytes");
    let err = Store::open(&path, &options()).expect_err("foreign");
    assert!(matches!(err, StoreError::NotOurDatabase { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("不是扶持资金案件台的数据库"), "{message}");
    assert!(
        !message.contains("CREATE") && !message.contains("TABLE"),
        "{message}"
    );
    assert_eq!(fs::read(&path).expect("bytes"), before, "not modified");
    assert!(!backups_dir(&dir).exists(), "no backup written");
    assert!(!Path::new(&format!("{}-wal", path.display())).exists());
}

/// SQLite's English never reaches the officer: every store error an officer can meet, in Chinese.
#[test]
fn every_store_message_an_officer_can_meet_is_chinese() {
    let (dir, path) = temp_db();
    let mut messages: Vec<String> = Vec::new();
    messages.push(
        Store::open(&dir.path().join("typo.sqlite"), &options())
            .expect_err("missing")
            .to_string(),
    );
    let empty = dir.path().join("empty.sqlite");
    fs::write(&empty, b"").expect("empty");
    messages.push(
        Store::open(&empty, &options())
            .expect_err("empty")
            .to_string(),
    );
    messages.push(
        Store::open(dir.path(), &options())
            .expect_err("a folder")
            .to_string(),
    );
    let mut store = open(&path);
    three_enterprises(&mut store);
    // A write refused by a CHECK constraint, as SQLite words it.
    let check = raw(&path)
        .execute("UPDATE enterprises SET name = ' ' WHERE id = 1", [])
        .expect_err("check constraint");
    messages.push(StoreError::from(check).to_string());
    for code in [
        rusqlite::ffi::SQLITE_BUSY,
        rusqlite::ffi::SQLITE_LOCKED,
        rusqlite::ffi::SQLITE_READONLY,
        rusqlite::ffi::SQLITE_FULL,
        rusqlite::ffi::SQLITE_CANTOPEN,
        rusqlite::ffi::SQLITE_IOERR,
        rusqlite::ffi::SQLITE_CORRUPT,
        rusqlite::ffi::SQLITE_NOTADB,
        rusqlite::ffi::SQLITE_TOOBIG,
        rusqlite::ffi::SQLITE_NOMEM,
        rusqlite::ffi::SQLITE_PERM,
        rusqlite::ffi::SQLITE_PROTOCOL,
        rusqlite::ffi::SQLITE_INTERNAL,
    ] {
        let e = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            Some("database is locked".into()),
        );
        messages.push(StoreError::from(e).to_string());
    }
    messages.push(StoreError::from(rusqlite::Error::QueryReturnedNoRows).to_string());
    let busy = StoreError::Busy {
        holder: Some("命令行 subsidy-desk import，进程 42".into()),
        waited_secs: 60,
    };
    messages.push(busy.to_string());
    for m in &messages {
        assert!(
            m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{m}"
        );
        for english in [
            "database",
            "locked",
            "readonly",
            "disk",
            "unable",
            "error",
            "constraint",
            "failed",
            "query",
            "returned",
        ] {
            assert!(!m.to_lowercase().contains(english), "“{english}” in: {m}");
        }
    }
}

/// The moment a kill can fall between the marker and the rename: the verified copy and the marker
/// are in `.bureau-restore/` beside the database. The next open finishes the restore and says so.
#[test]
fn an_open_finishes_a_restore_a_kill_interrupted_and_says_so() {
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
    three_enterprises_more(&mut store);
    drop(store);
    let staging = dir.path().join(".bureau-restore");
    fs::create_dir(&staging).expect("staging");
    fs::copy(&saved, staging.join("candidate.sqlite")).expect("candidate");
    fs::write(
        staging.join("restore.json"),
        serde_json::json!({
            "restored_from": saved,
            "previous_saved_as": null,
            "damaged_moved_to": null,
        })
        .to_string(),
    )
    .expect("marker");

    let mut store = Store::open(&path, &options()).expect("open");
    assert_eq!(
        store.enterprise_count().expect("count"),
        1,
        "restore finished"
    );
    let notice = store.take_notices().join("");
    assert!(notice.contains("已在本次打开时完成恢复"), "{notice}");
    assert!(!staging.exists());
    drop(store);
    // Killed earlier (no marker yet): the live database was never touched; the remains go.
    fs::create_dir(&staging).expect("staging");
    fs::write(staging.join("candidate.sqlite"), b"half a copy").expect("half");
    let mut store = Store::open(&path, &options()).expect("open");
    assert_eq!(store.enterprise_count().expect("count"), 1);
    assert!(store.take_notices().is_empty());
    assert!(!staging.exists());
}

fn three_enterprises_more(store: &mut Store) {
    enterprise(store, "91442000MA51LQ8X2", "中山市乙科技有限公司", "古镇镇");
    enterprise(store, "91442000MA4UJ3KG1", "中山市丙科技有限公司", "古镇镇");
}

/// The app has the database open while a command line restores: replacing the file under the
/// app's connection would lose what it writes next, so the restore is refused and nothing changes.
#[test]
fn a_restore_under_another_open_connection_is_refused_untouched() {
    let (_dir, path) = temp_db();
    let mut store = open(&path);
    three_enterprises(&mut store);
    let saved = store
        .backup(&BackupLabel::Manual, at("2026-03-02 10:00:00"), 10)
        .expect("backup");
    enterprise(
        &mut store,
        "91442000MA5FGH2J1",
        "中山市丁科技有限公司",
        "古镇镇",
    );
    // `store` stays open, as the app's would.
    let err = backup::restore(&path, &saved, &options()).expect_err("refused");
    let message = err.to_string();
    assert!(message.contains("正被其他程序使用"), "{message}");
    assert_eq!(
        store.enterprise_count().expect("count"),
        4,
        "the open store still works"
    );
    drop(store);
    assert_eq!(
        open(&path).enterprise_count().expect("count"),
        4,
        "nothing replaced"
    );
}

#[test]
fn leftovers_are_counted_without_being_touched() {
    let (dir, path) = temp_db();
    drop(open(&path));
    let shelf = backups_dir(&dir);
    fs::create_dir_all(&shelf).expect("dir");
    fs::write(
        shelf.join("bureau-20260301-090000.sqlite.77.partial"),
        vec![0u8; 3 * 1_048_576],
    )
    .expect("partial");
    let counted = backup::leftovers(&shelf, &path);
    assert_eq!(counted.files, 1);
    assert_eq!(counted.describe(), "1 个文件（3.0 MB）");
    assert_eq!(
        backup::leftovers(&shelf, &path),
        counted,
        "counting removes nothing"
    );
}
