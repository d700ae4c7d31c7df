//! The command line under SIGKILL and beside another writer: `subsidy-desk import` of a workbook and
//! of its corrected resubmission (which backs the database up first), killed at random moments,
//! never leaves a half case, keeps every import it reported, and `check` passes after every kill; two imports into one database at
//! once both land; a mistyped `--db` creates nothing; `check` writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"));
    cmd.args(["--user", "陈晓敏"]).env_remove("SUBSIDY_DESK_DB");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name)
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().expect("run")
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(db, &all);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

const KILLS: usize = 16;

#[cfg(unix)]
#[test]
fn imports_killed_at_random_leave_whole_cases_or_none() {
    let dir = tempfile::tempdir().expect("dir");
    let mut rng = fastrand::Rng::with_seed(20_261_202);
    let (mut none, mut first, mut corrected) = (0, 0, 0);
    for round in 0..KILLS {
        let db = dir.path().join(format!("round-{round}.sqlite"));
        assert!(run(&db, &["init"]).status.success());
        // The first workbook, then its correction in the same command: the kill falls anywhere.
        let mut child = bin()
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(fixture("ptsp-2020-good.xlsx"))
            .arg(fixture("ptsp-2020-corrected.xlsx"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // What the import said before the kill: each line is printed after its commit returned.
        let stdout = child.stdout.take().expect("stdout");
        let said = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut { stdout }, &mut text);
            text
        });
        std::thread::sleep(Duration::from_millis(rng.u64(5..160)));
        let _ = child.kill();
        child.wait().expect("reap");
        let said = said.join().expect("reader");
        let told_created = said.contains("已导入，新建案件");
        let told_replaced = said.contains("补正件，已替换");

        let check = run(&db, &["check"]);
        assert!(
            check.status.success(),
            "round {round}: check after the kill: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let cases = json(&db, &["case", "list"]);
        match cases["total"].as_u64().expect("total") {
            0 => {
                assert!(
                    !told_created,
                    "round {round}: a case it said was imported is lost"
                );
                none += 1;
            }
            1 => {
                let no = cases["rows"][0]["case_no"]
                    .as_str()
                    .expect("case_no")
                    .to_string();
                let shown = json(&db, &["case", "show", &no]);
                let items = shown["items"].as_array().expect("items").len();
                assert_eq!(items, 5, "round {round}: a whole case");
                let solutions = shown["items"][3]["declared_units"]["solutions"]
                    .as_array()
                    .map_or(0, Vec::len);
                if solutions == 4 {
                    corrected += 1;
                } else {
                    assert!(
                        !told_replaced,
                        "round {round}: a correction it said was made is lost"
                    );
                    first += 1;
                }
            }
            n => panic!("round {round}: {n} cases from one platform's two workbooks"),
        }
    }
    eprintln!(
        "import kills: {KILLS} ({none} before the first commit, {first} after the first workbook, {corrected} after the correction)"
    );
}

#[cfg(unix)]
#[test]
fn two_imports_at_once_into_one_database_both_land() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("bureau.sqlite");
    assert!(run(&db, &["init"]).status.success());
    let spawn = |name: &str| {
        bin()
            .arg("--db")
            .arg(&db)
            .args(["--json", "import"])
            .arg(fixture(name))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let a = spawn("ptsp-2020-good.xlsx");
    let b = spawn("iip-2023-good.xlsx");
    for out in [
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    ] {
        assert!(
            out.status.success(),
            "an import failed instead of waiting: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(json(&db, &["case", "list"])["total"], 2);
}

#[test]
fn a_mistyped_database_is_never_created_and_check_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    for typo in [
        dir.path().join("typo.sqlite"),
        dir.path().join("nodir/sub/x.sqlite"),
    ] {
        for args in [
            &["case", "list"][..],
            &["check"],
            &["backup"],
            &["enterprise", "list"],
        ] {
            let out = run(&typo, args);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let message = String::from_utf8_lossy(&out.stderr);
            assert!(
                message.contains("不存在") && message.contains("subsidy-desk init"),
                "{message}"
            );
        }
        assert!(!typo.exists(), "{}", typo.display());
    }
    assert!(!dir.path().join("nodir").exists());
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").expect("empty");
    let out = run(&empty, &["case", "list"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::metadata(&empty).expect("meta").len(),
        0,
        "not initialised"
    );

    let db = dir.path().join("bureau.sqlite");
    assert!(run(&db, &["init"]).status.success());
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    let bytes = std::fs::read(&db).expect("bytes");
    let out = run(&db, &["check"]);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read(&db).expect("bytes"),
        bytes,
        "check changed the file"
    );
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before.len(), after.len(), "check made no file");
}
