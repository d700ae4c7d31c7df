//! Power-cut safety: a child process writing cases is killed with SIGKILL at random moments; after
//! each kill the database opens, passes integrity_check, holds every case whose commit returned,
//! and holds no half case (each case has all of its items).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use desk_policy::Programme;

use crate::common::*;

const ITEMS_PER_CASE: usize = 5;
const KILLS: usize = 24;

/// Run in the child (the test binary re-executed): writes cases until killed, printing the number of
/// each case after its commit returned.
#[test]
#[ignore = "the child half of crash_and_recover; runs only when re-executed by it"]
fn crash_child_writer() {
    let Ok(db) = std::env::var("DESK_CRASH_DB") else {
        return;
    };
    let mut store = open(std::path::Path::new(&db));
    let platform = store.platforms(None, None).expect("platforms").remove(0);
    let out = std::io::stdout();
    for n in 0.. {
        let items: Vec<_> = (0..ITEMS_PER_CASE)
            .map(|i| {
                item(
                    Programme::ZsPtsp2018,
                    "6.11",
                    &format!("{}.{:02}", 1000 + n, i),
                )
            })
            .collect();
        let created = case(&mut store, &platform, 2018 + (n % 5), &items);
        let mut lock = out.lock();
        writeln!(lock, "{}", created.case_no).expect("stdout");
        lock.flush().expect("flush");
    }
}

#[cfg(unix)]
#[test]
fn crash_and_recover() {
    let (_dir, path) = temp_db();
    {
        let mut store = open(&path);
        let owner = enterprise(
            &mut store,
            "91442000MA4W4K8L0",
            "中山市甲科技有限公司",
            "小榄镇",
        );
        ptsp_platform(&mut store, &owner, 7);
    }
    let mut rng = fastrand::Rng::with_seed(20_261_122);
    let mut committed: Vec<String> = Vec::new();
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "crash::crash_child_writer",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DESK_CRASH_DB", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains('-') && !line.contains(' ') {
                    let _ = tx.send(line);
                }
            }
        });
        // Wait for the first commit of this round, then let it run a random while and kill it.
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("writer commits");
        committed.push(first);
        std::thread::sleep(Duration::from_millis(rng.u64(1..120)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        reader.join().expect("reader");
        committed.extend(rx.try_iter());

        let store = open(&path);
        assert!(
            store.integrity_problems().expect("integrity").is_empty(),
            "round {round}: integrity_check"
        );
        for case_no in &committed {
            let case = store
                .case_by_no(case_no)
                .unwrap_or_else(|e| panic!("round {round}: committed {case_no} lost: {e}"));
            assert_eq!(
                case.item_count, ITEMS_PER_CASE as i64,
                "round {round}: {case_no}"
            );
        }
        let half: i64 = raw(&path)
            .query_row(
                "SELECT count(*) FROM cases c
                 WHERE (SELECT count(*) FROM case_items i WHERE i.case_id = c.id) <> ?1",
                [ITEMS_PER_CASE as i64],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(half, 0, "round {round}: a half-written case survived");
    }
    let store = open(&path);
    assert!(store.case_count().expect("count") >= committed.len() as i64);
    eprintln!(
        "crash test: {KILLS} kills, {} committed cases all intact",
        committed.len()
    );
}
