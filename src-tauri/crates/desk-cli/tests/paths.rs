//! Paths the officer gives and file names the program makes: any path the system can name is used
//! as given (shown lossily), and nothing ever ends in a panic.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn subsidy_desk(db: &Path, args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .arg("--db")
        .arg(db)
        .args(["--user", "陈晓敏"])
        .args(args)
        .env_remove("SUBSIDY_DESK_DB")
        .output()
        .expect("run subsidy-desk")
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn refs(args: &[OsString]) -> Vec<&OsStr> {
    args.iter().map(OsString::as_os_str).collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name)
}

/// A name that is not valid UTF-8 (possible on Linux; Windows has lone surrogates instead).
#[cfg(unix)]
fn not_utf8(dir: &Path, name: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = b"\xff\xfe".to_vec();
    bytes.extend_from_slice(name.as_bytes());
    dir.join(OsString::from_vec(bytes))
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_utf8_are_used_as_given_and_shown_lossily() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("局案件库.sqlite");
    let demo = subsidy_desk(&db, &refs(&os(&["demo"])));
    assert!(demo.status.success(), "{}", stderr(&demo));

    let writers: [(&[&str], &str); 5] = [
        (&["ledger", "--year", "2022"], "台账.xlsx"),
        (&["template", "zs-ptsp-2018"], "模板.xlsx"),
        (&["print", "IIP-2022-0001"], "审批表.pdf"),
        (&["print", "--batch", "2022年第1批"], "批次.pdf"),
        (&["notice", "结果", "IIP-2022-0001"], "通知书.pdf"),
    ];
    for (args, name) in writers {
        for json in [false, true] {
            let out_path = not_utf8(
                dir.path(),
                &format!("{}{name}", if json { "j-" } else { "" }),
            );
            let shown = out_path.to_string_lossy().into_owned();
            let mut all = if json { os(&["--json"]) } else { Vec::new() };
            all.extend(os(args));
            all.push("--out".into());
            all.push(out_path.clone().into_os_string());
            let out = subsidy_desk(&db, &refs(&all));
            assert!(
                out.status.success(),
                "{args:?} --json {json}: {:?} {}",
                out.status,
                stderr(&out)
            );
            assert!(
                std::fs::metadata(&out_path).is_ok_and(|m| m.len() > 1000),
                "{args:?}: the file is written"
            );
            if json {
                let value: Value = serde_json::from_str(&stdout(&out)).expect("json");
                assert_eq!(value["file"], shown.as_str(), "{args:?}");
            } else {
                assert!(stdout(&out).contains(&shown), "{args:?}: {}", stdout(&out));
            }
        }
    }

    // Files read from such a path: a workbook for a correction notice and for import, a case file.
    let workbook = not_utf8(dir.path(), "申报表.xlsx");
    std::fs::copy(fixture("broken/bad-month.xlsx"), &workbook).expect("copy");
    let notice = not_utf8(dir.path(), "补正通知书.pdf");
    let mut args = os(&["notice", "补正", "--file"]);
    args.extend([workbook.clone().into_os_string(), "--out".into()]);
    args.push(notice.clone().into_os_string());
    let out = subsidy_desk(&db, &refs(&args));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(notice.exists());

    let marked = not_utf8(dir.path(), "标注.xlsx");
    let mut args = os(&["import", "--dry-run"]);
    args.push(workbook.clone().into_os_string());
    args.push("--errors-out".into());
    args.push(marked.clone().into_os_string());
    let out = subsidy_desk(&db, &refs(&args));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stdout(&out).contains("需要修改"), "{}", stdout(&out));
    assert!(marked.exists(), "the marked copy is saved");

    let case_file = not_utf8(dir.path(), "case.json");
    std::fs::write(
        &case_file,
        r#"{"programme": "zs-ptsp-2018", "year": 2020,
            "platform": {"category": 5, "recognized_on": "2019-07-15"},
            "items": [{"clause": "6.2", "leases": [{"area_m2": "100", "rent_per_m2": "40", "from": "2020-01", "to": "2020-12"}]}]}"#,
    )
    .expect("case file");
    let mut args = os(&["calc"]);
    args.push(case_file.into_os_string());
    let out = subsidy_desk(&db, &refs(&args));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_database_path_that_is_not_utf8_is_used_or_refused_in_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let db = not_utf8(dir.path(), "案件库.sqlite");
    for args in [
        &["demo"][..],
        &["--json", "case", "list"],
        &["case", "list"],
    ] {
        let out = subsidy_desk(&db, &refs(&os(args)));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(db.exists());
    let demo_output = not_utf8(dir.path(), "案件库-演示输出");
    assert!(
        demo_output.join("台账-2022年度.xlsx").exists(),
        "the demo writes beside the database"
    );
    // init, backup, restore and check write such a path into their answer as shown (lossily).
    for args in [&["init"][..], &["check"], &["--json", "check"], &["backup"]] {
        let out = subsidy_desk(&db, &refs(&os(args)));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let backups = dir.path().join("backups");
    let saved = std::fs::read_dir(&backups)
        .expect("backups")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().as_encoded_bytes().ends_with(b".sqlite"))
        .expect("a backup")
        .path();
    let mut restore = os(&["--json", "restore"]);
    restore.push(saved.into_os_string());
    let out = subsidy_desk(&db, &refs(&restore));
    assert!(out.status.success(), "restore: {}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\u{fffd}")
            || String::from_utf8_lossy(&out.stdout).contains('�')
    );
}

#[cfg(unix)]
#[test]
fn a_text_argument_that_is_not_utf8_is_refused_in_chinese() {
    use std::os::unix::ffi::OsStringExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("案件库.sqlite");
    let mut args = os(&["case", "list", "--search"]);
    args.push(OsString::from_vec(b"\xff\xfe".to_vec()));
    let out = subsidy_desk(&db, &refs(&args));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("无法识别的字符"), "{err}");
    assert!(!err.contains("error") && !err.contains("Usage"), "{err}");
}

/// A workbook's name becomes part of its marked copy's name (`--errors-out` folder): whatever the
/// name holds, the copy is a file in that folder with a name every system can hold
/// (`desk_api::files::safe_file_name`).
#[test]
fn marked_copies_of_oddly_named_workbooks_stay_in_their_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("案件库.sqlite");
    assert!(subsidy_desk(&db, &refs(&os(&["init"]))).status.success());
    let inbox = dir.path().join("收件箱");
    let out = dir.path().join("补正").join("第1批");
    std::fs::create_dir_all(&inbox).expect("inbox");
    std::fs::create_dir_all(&out).expect("out");
    // Names Linux allows and Windows does not; on Windows only the last can exist.
    let names: &[(&str, &str)] = if cfg!(unix) {
        &[
            ("..\\..\\上级.xlsx", "_._上级-补正标注.xlsx"),
            ("a:b*c?.xlsx", "a_b_c_-补正标注.xlsx"),
            ("第1批\n第2批.xlsx", "第1批_第2批-补正标注.xlsx"),
            (
                "中山市某公司 申报表.xlsx",
                "中山市某公司 申报表-补正标注.xlsx",
            ),
        ]
    } else {
        &[(
            "中山市某公司 申报表.xlsx",
            "中山市某公司 申报表-补正标注.xlsx",
        )]
    };
    for (name, _) in names {
        std::fs::copy(fixture("broken/bad-month.xlsx"), inbox.join(name)).expect("copy");
    }
    let args = [
        OsString::from("import"),
        "--dry-run".into(),
        inbox.clone().into_os_string(),
        "--errors-out".into(),
        out.clone().into_os_string(),
    ];
    let run = subsidy_desk(&db, &refs(&args));
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = names.iter().map(|(_, m)| (*m).to_string()).collect();
    expected.sort();
    assert_eq!(written, expected);
    // Nothing beside the folder: the two levels above hold only what the test made.
    let above: Vec<String> = std::fs::read_dir(dir.path().join("补正"))
        .expect("above")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(above, ["第1批"]);
}
