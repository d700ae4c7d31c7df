//! Several writers on one file (the app and a command line, two imports at once): writes wait
//! their turn and all land; a writer that waits longer than its timeout is told, in Chinese, which
//! program holds the lock. And the safety features under SIGKILL: restores and backups killed at
//! random moments never leave an empty or damaged database, and every backup that exists is whole.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use desk_policy::Programme;
use desk_store::{BackupLabel, ImportedCase, OpenOptions, Store, StoreError, backup};

use crate::common::*;

/// Re-executes this test binary to run one `#[ignore]`d child test with `env` set.
fn child(test: &str, env: &[(&str, &str)], stdout: Stdio) -> Child {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([
        "--exact",
        test,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .stdout(stdout)
    .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn child")
}

/// Waits until the child prints a line containing `word`; its output is drained to the end by a
/// thread (so it never writes into a closed pipe), which the caller joins after the child ends.
fn wait_for(c: &mut Child, word: &'static str) -> std::thread::JoinHandle<()> {
    let stdout = c.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let drain = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains(word) {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("the child never said “{word}”"));
    drain
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn with_platform(path: &Path) {
    let mut store = open(path);
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    ptsp_platform(&mut store, &owner, 7);
}

const CASES_PER_WRITER: i32 = 25;

#[test]
#[ignore = "child of two_writers_on_one_file_both_land_every_case"]
fn writer_child() {
    let Some(db) = var("DESK_WRITER_DB") else {
        return;
    };
    let tag: i32 = var("DESK_WRITER_TAG")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let mut store = open(Path::new(&db));
    let platform = store.platforms(None, None).expect("platforms").remove(0);
    for n in 0..CASES_PER_WRITER {
        let items: Vec<_> = (0..4)
            .map(|i| {
                item(
                    Programme::ZsPtsp2018,
                    "6.11",
                    &format!("{}.{i:02}", 100 * tag + n),
                )
            })
            .collect();
        case(&mut store, &platform, 2018 + (n % 5), &items);
    }
}

#[cfg(unix)]
#[test]
fn two_writers_on_one_file_both_land_every_case() {
    let (_dir, path) = temp_db();
    with_platform(&path);
    let db = path.display().to_string();
    let writers: Vec<Child> = (1..=3)
        .map(|tag| {
            child(
                "writers::writer_child",
                &[
                    ("DESK_WRITER_DB", &db),
                    ("DESK_WRITER_TAG", &tag.to_string()),
                ],
                Stdio::null(),
            )
        })
        .collect();
    for mut w in writers {
        let status = w.wait().expect("wait");
        assert!(
            status.success(),
            "a writer failed instead of waiting its turn"
        );
    }
    let store = open(&path);
    assert_eq!(
        store.case_count().expect("count"),
        3 * i64::from(CASES_PER_WRITER)
    );
    assert!(store.integrity_problems().expect("check").is_empty());
}

fn imported(year: i32) -> ImportedCase {
    let credit_code = code("91442000MA51LQ8X2");
    ImportedCase {
        enterprise: new_enterprise(&credit_code, "中山市乙科技有限公司", "古镇镇"),
        platform: new_iip_platform(&credit_code),
        year,
        received_on: date("2024-03-01"),
        officer: "陈晓敏".into(),
        items: vec![item(Programme::ZsIip2021, "4.4", "1000")],
        source_sha256: format!("{year:0>64}"),
        record: desk_store::RecordChoice::Unchosen,
    }
}

#[test]
#[ignore = "child of a_writer_that_must_give_up_is_told_who_holds_the_lock"]
fn slow_import_child() {
    let Some(db) = var("DESK_SLOW_DB") else {
        return;
    };
    let options = OpenOptions::new(at("2026-03-02 09:00:00")).program("命令行 subsidy-desk import");
    let mut store = Store::open(Path::new(&db), &options).expect("open");
    let out = std::io::stdout();
    let outcome = store
        .import_case_if(&imported(2023), &editor(), || {
            // Holding the write lock, as a long import does, until told to go on.
            let mut lock = out.lock();
            writeln!(lock, "holding").expect("stdout");
            lock.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(2500));
            Ok::<(), ()>(())
        })
        .expect("import");
    assert!(outcome.is_ok());
}

#[cfg(unix)]
#[test]
fn a_writer_that_must_give_up_is_told_who_holds_the_lock() {
    let (_dir, path) = temp_db();
    with_platform(&path);
    let db = path.display().to_string();
    let mut holder = child(
        "writers::slow_import_child",
        &[("DESK_SLOW_DB", &db)],
        Stdio::piped(),
    );
    let drain = wait_for(&mut holder, "holding");

    // A writer with a short patience gives up, and is told who is writing.
    let mut impatient = OpenOptions::new(at("2026-03-02 09:00:00"));
    impatient.busy_timeout = Duration::from_millis(300);
    let mut store = Store::open(&path, &impatient).expect("open");
    let platform = store.platforms(None, None).expect("platforms").remove(0);
    let err = store
        .new_case(
            &desk_store::NewCase {
                platform_id: platform.id,
                year: 2020,
                batch: "2020年第1批".into(),
                officer: "陈晓敏".into(),
                received_on: date("2021-04-01"),
                status: desk_store::CaseStatus::Received,
            },
            &[item(Programme::ZsPtsp2018, "6.11", "1000")],
            &editor(),
        )
        .expect_err("gave up");
    assert!(matches!(err, StoreError::Busy { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("命令行 subsidy-desk import") && message.contains("本次未写入任何内容"),
        "{message}"
    );
    drop(store);

    // One with the default patience waits its turn and lands.
    let mut store = open(&path);
    case(
        &mut store,
        &platform,
        2020,
        &[item(Programme::ZsPtsp2018, "6.11", "1000")],
    );
    assert!(holder.wait().expect("wait").success());
    drain.join().expect("drain");
    assert_eq!(store.case_count().expect("count"), 2, "both writes landed");
}

#[test]
#[ignore = "child of the kill tests: restores or backs up until killed"]
fn safety_child() {
    let (Some(db), Some(mode)) = (var("DESK_SAFETY_DB"), var("DESK_SAFETY_MODE")) else {
        return;
    };
    let path = Path::new(&db);
    let out = std::io::stdout();
    let say = |what: &str| {
        let mut lock = out.lock();
        writeln!(lock, "{what}").expect("stdout");
        lock.flush().expect("flush");
    };
    match mode.as_str() {
        "restore" => {
            let from = var("DESK_SAFETY_FROM").expect("backup");
            say("started");
            loop {
                backup::restore(path, Path::new(&from), &options()).expect("restore");
                say("restored");
            }
        }
        _ => {
            let store = open(path);
            say("started");
            for n in 0.. {
                let when = at(&format!("2026-03-02 10:{:02}:{:02}", (n / 60) % 60, n % 60));
                store.backup(&BackupLabel::Manual, when, 8).expect("backup");
                say("backed-up");
            }
        }
    }
}

/// Starts the child in `mode`, lets it run a random while after it started, kills it.
fn kill_during(mode: &str, db: &Path, from: Option<&Path>, rng: &mut fastrand::Rng) {
    let db = db.display().to_string();
    let from = from.map(|f| f.display().to_string()).unwrap_or_default();
    let mut c = child(
        "writers::safety_child",
        &[
            ("DESK_SAFETY_DB", &db),
            ("DESK_SAFETY_MODE", mode),
            ("DESK_SAFETY_FROM", &from),
        ],
        Stdio::piped(),
    );
    let drain = wait_for(&mut c, "started");
    std::thread::sleep(Duration::from_millis(rng.u64(0..150)));
    c.kill().expect("SIGKILL");
    c.wait().expect("reap");
    drain.join().expect("drain");
}

pub const RESTORE_KILLS: usize = 40;
pub const BACKUP_KILLS: usize = 20;

#[cfg(unix)]
#[test]
fn restores_killed_at_random_leave_the_old_database_or_the_new_one() {
    let mut rng = fastrand::Rng::with_seed(20_261_202);
    let (mut finished_at_open, mut still_damaged, mut restored) = (0, 0, 0);
    for damaged_first in [false, true] {
        let (dir, path) = temp_db();
        let mut store = open(&path);
        let owner = enterprise(
            &mut store,
            "91442000MA4W4K8L0",
            "中山市甲科技有限公司",
            "小榄镇",
        );
        let platform = ptsp_platform(&mut store, &owner, 7);
        for n in 0..30 {
            case(
                &mut store,
                &platform,
                2018 + (n % 5),
                &[item(
                    Programme::ZsPtsp2018,
                    "6.11",
                    &format!("{}.00", 1000 + n),
                )],
            );
        }
        let saved = store
            .backup(&BackupLabel::Manual, at("2026-03-01 10:00:00"), 30)
            .expect("backup");
        let kept = dir.path().join("kept.sqlite");
        std::fs::copy(&saved, &kept).expect("copy");
        enterprise(
            &mut store,
            "91442000MA51LQ8X2",
            "中山市乙科技有限公司",
            "古镇镇",
        );
        drop(store);
        for round in 0..RESTORE_KILLS / 2 {
            if damaged_first {
                let mut bytes = std::fs::read(&path).expect("bytes");
                bytes[..100].fill(0x5A);
                std::fs::write(&path, bytes).expect("damage");
            }
            kill_during("restore", &path, Some(&kept), &mut rng);
            // The next open finishes a restore the kill interrupted; the database is then the old
            // one (still damaged, if it was, with its copy kept) or the restored one: never empty.
            match Store::open(&path, &options()) {
                Ok(mut store) => {
                    finished_at_open += usize::from(!store.take_notices().is_empty());
                    restored += usize::from(store.enterprise_count().expect("count") == 1);
                    assert!(
                        store.integrity_problems().expect("check").is_empty(),
                        "round {round}"
                    );
                    let enterprises = store.enterprise_count().expect("count");
                    assert!(
                        enterprises == 1 || enterprises == 2,
                        "round {round}: {enterprises} enterprises"
                    );
                    assert!(store.case_count().expect("count") >= 30, "round {round}");
                }
                Err(StoreError::Damaged { .. }) if damaged_first => {
                    still_damaged += 1;
                    backup::restore(&path, &kept, &options()).expect("restore after the kill");
                }
                Err(other) => panic!("round {round}: {other}"),
            }
        }
        assert!(kept.exists(), "the backup restored from is never removed");
    }
    eprintln!(
        "restore kills: {RESTORE_KILLS} survived ({restored} restored, {finished_at_open} finished by the next open, {still_damaged} killed before the swap over a damaged file)"
    );
}

#[cfg(unix)]
#[test]
fn backups_killed_at_random_leave_only_whole_backups_and_no_leftovers() {
    let (dir, path) = temp_db();
    let mut store = open(&path);
    let owner = enterprise(
        &mut store,
        "91442000MA4W4K8L0",
        "中山市甲科技有限公司",
        "小榄镇",
    );
    let platform = ptsp_platform(&mut store, &owner, 7);
    for n in 0..200 {
        case(
            &mut store,
            &platform,
            2018 + (n % 5),
            &[item(
                Programme::ZsPtsp2018,
                "6.11",
                &format!("{}.00", 1000 + n),
            )],
        );
    }
    drop(store);
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..BACKUP_KILLS {
        kill_during("backup", &path, None, &mut rng);
    }
    let shelf = dir.path().join("backups");
    let cleaned = backup::clean_partials(&shelf, &path);
    for file in backup::list(&shelf, &path) {
        backup::verify(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    let left = std::fs::read_dir(&shelf)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
        .count();
    assert_eq!(left, 0, "no partial files after cleaning");
    eprintln!(
        "backup kills: {BACKUP_KILLS}, leftovers cleaned: {} files, {} bytes",
        cleaned.files, cleaned.bytes
    );
    assert!(open(&path).integrity_problems().expect("check").is_empty());
}
