//! The `subsidy-desk` binary as a person or a script uses it: exit codes, Chinese messages that name
//! the field, nothing written on bad input, `--json`, and the demo.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Desk {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("局案件库.sqlite");
        let desk = Desk { _dir: dir, db };
        desk.ok(&["init"]); // only init creates a database
        desk
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
            .arg("--db")
            .arg(&self.db)
            .args(["--user", "陈晓敏"])
            .args(args)
            .env_remove("SUBSIDY_DESK_DB")
            .output()
            .expect("run subsidy-desk")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("json output")
    }

    /// Runs a command that must fail with `code`; returns its stderr. Nothing may be on stdout.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        String::from_utf8(out.stderr).expect("utf-8")
    }

    fn count(&self, what: &str) -> usize {
        self.json(&[what, "list"])
            .as_array()
            .map(Vec::len)
            .unwrap_or_else(|| panic!("{what} list is not an array"))
    }
}

const GOOD_CODE: &str = "91442000MA4W4K8L06";

fn register(desk: &Desk) {
    desk.ok(&[
        "enterprise",
        "add",
        "--credit-code",
        GOOD_CODE,
        "--name",
        "中山市某智能制造公共服务平台有限公司",
        "--town",
        "火炬开发区",
    ]);
}

#[test]
fn register_an_enterprise_a_platform_and_open_a_case() {
    let desk = Desk::new();
    let out = desk.ok(&[
        "enterprise",
        "add",
        "--credit-code",
        "91442000ma4w4k8l06",
        "--name",
        "中山市某智能制造公共服务平台有限公司",
        "--town",
        "火炬开发区",
        "--contact-person",
        "陈秀英",
    ]);
    assert!(
        out.contains(
            "已登记企业：中山市某智能制造公共服务平台有限公司（91442000MA4W4K8L06，中山港街道）"
        ),
        "{out}"
    );
    let platform = desk.json(&[
        "platform",
        "add",
        "--enterprise",
        GOOD_CODE,
        "--programme",
        "zs-ptsp-2018",
        "--name",
        "智能制造公共服务平台",
        "--category",
        "5",
        "--recognized-on",
        "2019-07-15",
        "--paid-in-capital",
        "8,000,000",
    ]);
    assert_eq!(platform["grade"]["category"], 5);
    assert_eq!(platform["paid_in_capital"], "8000000.00");
    let id = platform["id"].as_i64().expect("id").to_string();
    let case = desk.json(&[
        "case",
        "new",
        "--platform",
        &id,
        "--year",
        "2020",
        "--batch",
        "2020年第1批",
        "--received-on",
        "2021-04-06",
    ]);
    assert_eq!(case["case_no"], "PTSP-2020-0001");
    assert_eq!(case["status"], "received");
    assert_eq!(case["officer"], "陈晓敏");

    let shown = desk.json(&["case", "show", "ptsp-2020-0001"]);
    assert_eq!(
        shown["case"]["enterprise_name"],
        "中山市某智能制造公共服务平台有限公司"
    );
    assert_eq!(shown["audit"][0]["actor"], "陈晓敏");
    assert_eq!(shown["audit"][0]["action"], "新建案件");
    let text = desk.ok(&["enterprise", "show", GOOD_CODE]);
    assert!(
        text.contains("PTSP-2020-0001") && text.contains("5. 智能制造公共服务平台"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_names_the_field_and_writes_nothing() {
    let desk = Desk::new();
    register(&desk);
    let before = std::fs::read(&desk.db).expect("db");

    let err = desk.fails(
        2,
        &[
            "enterprise",
            "add",
            "--credit-code",
            "91442000MA4W4K8L07",
            "--name",
            "某公司",
            "--town",
            "小榄",
        ],
    );
    assert_eq!(
        err.trim(),
        "输入有误：统一社会信用代码（--credit-code）：统一社会信用代码校验位错误：第18位应为“6”，收到“7”，请核对是否抄错"
    );
    let err = desk.fails(
        2,
        &[
            "enterprise",
            "add",
            "--credit-code",
            "91442000MAAY4CL12L",
            "--name",
            "某公司",
            "--town",
            "天河区",
        ],
    );
    assert!(
        err.starts_with("输入有误：镇街（--town）：“天河区”不是中山市的镇街"),
        "{err}"
    );
    let err = desk.fails(
        2,
        &[
            "enterprise",
            "add",
            "--credit-code",
            "91442000MAAY4CL12L",
            "--name",
            "  ",
            "--town",
            "小榄",
        ],
    );
    assert!(
        err.starts_with("输入有误：企业名称（--name）：不能为空"),
        "{err}"
    );
    let err = desk.fails(
        2,
        &[
            "enterprise",
            "add",
            "--credit-code",
            GOOD_CODE,
            "--name",
            "重名",
            "--town",
            "小榄",
        ],
    );
    assert!(
        err.contains("已登记为“中山市某智能制造公共服务平台有限公司”"),
        "{err}"
    );

    let platform = |extra: &[&str]| {
        let mut args = vec![
            "platform",
            "add",
            "--enterprise",
            GOOD_CODE,
            "--programme",
            "zs-ptsp-2018",
            "--name",
            "平台",
            "--category",
            "5",
        ];
        args.extend_from_slice(extra);
        desk.fails(2, &args)
    };
    let err = platform(&["--recognized-on", "2021-02-30"]);
    assert_eq!(
        err.trim(),
        "输入有误：认定日期（--recognized-on）：“2021-02-30”不是存在的日期"
    );
    let err = platform(&["--recognized-on", "2021/03/05"]);
    assert!(err.contains("日期格式应为 YYYY-MM-DD"), "{err}");
    let err = platform(&["--recognized-on", "2019-07-15", "--paid-in-capital", "-5"]);
    assert_eq!(
        err.trim(),
        "输入有误：实缴注册资本（--paid-in-capital）：金额不能为负数，收到“-5”"
    );
    let err = platform(&[
        "--recognized-on",
        "2019-07-15",
        "--paid-in-capital",
        "约800万",
    ]);
    assert!(err.contains("金额必须为数字，收到“约800万”"), "{err}");
    let err = platform(&["--recognized-on", "2019-07-15", "--level", "benchmark"]);
    assert!(err.contains("平台类别（--category）"), "{err}");
    let err = desk.fails(
        2,
        &[
            "platform",
            "add",
            "--enterprise",
            GOOD_CODE,
            "--programme",
            "zs-fusion-2020",
            "--name",
            "x",
            "--recognized-on",
            "2020-01-01",
        ],
    );
    assert!(err.contains("未知的扶持政策“zs-fusion-2020”"), "{err}");
    let err = desk.fails(2, &["case", "new", "--platform", "99", "--year", "2020"]);
    assert!(err.contains("没有编号为 99 的平台"), "{err}");
    let err = desk.fails(2, &["case", "list", "--status", "pending"]);
    assert!(err.contains("未知的案件状态“pending”"), "{err}");

    assert_eq!(
        std::fs::read(&desk.db).expect("db"),
        before,
        "no write on bad input"
    );
    assert_eq!(desk.count("enterprise"), 1);
    assert_eq!(desk.count("platform"), 0);
}

#[test]
fn json_errors_carry_a_code_and_the_message() {
    let desk = Desk::new();
    let err = desk.fails(
        2,
        &[
            "--json",
            "enterprise",
            "add",
            "--credit-code",
            "123",
            "--name",
            "x",
            "--town",
            "小榄",
        ],
    );
    let value: Value = serde_json::from_str(err.trim()).expect("json error");
    assert_eq!(value["code"], "invalid_input");
    assert!(
        value["message"]
            .as_str()
            .expect("message")
            .contains("应为18位")
    );
}

#[test]
fn the_demo_fills_a_realistic_bureau_once() {
    let desk = Desk::new();
    let out = desk.ok(&["demo"]);
    assert!(out.contains("演示数据已装入"), "{out}");
    let enterprises = desk.json(&["enterprise", "list"]);
    let list = enterprises.as_array().expect("array");
    assert!(list.len() >= 30, "a few dozen enterprises");
    let towns: std::collections::BTreeSet<&str> =
        list.iter().filter_map(|e| e["town"].as_str()).collect();
    assert!(towns.len() >= 8, "several towns: {towns:?}");
    let platforms = desk.json(&["platform", "list"]);
    let programmes: std::collections::BTreeSet<&str> = platforms
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["programme"].as_str())
        .collect();
    assert_eq!(programmes.len(), 2, "both programmes");
    let cases = desk.json(&["case", "list", "--page-size", "500"]);
    let rows = cases["rows"].as_array().expect("rows");
    let years: std::collections::BTreeSet<i64> =
        rows.iter().filter_map(|c| c["year"].as_i64()).collect();
    assert!(years.len() >= 5, "cases of several years: {years:?}");
    let statuses: std::collections::BTreeSet<&str> =
        rows.iter().filter_map(|c| c["status"].as_str()).collect();
    assert!(statuses.len() >= 4, "cases at several stages: {statuses:?}");
    // --open keeps the cases still being handled; --oldest-first lists them by received date.
    let open = desk.json(&[
        "case",
        "list",
        "--open",
        "--oldest-first",
        "--page-size",
        "500",
    ]);
    let open_rows = open["rows"].as_array().expect("rows");
    let finals = ["approved", "rejected", "withdrawn"];
    assert!(!open_rows.is_empty() && open_rows.len() < rows.len());
    assert!(
        open_rows
            .iter()
            .all(|c| !finals.contains(&c["status"].as_str().unwrap_or("")))
    );
    let open_elsewhere = rows
        .iter()
        .filter(|c| !finals.contains(&c["status"].as_str().unwrap_or("")))
        .count();
    assert_eq!(open_rows.len(), open_elsewhere);
    let received: Vec<&str> = open_rows
        .iter()
        .filter_map(|c| c["received_on"].as_str())
        .collect();
    assert!(received.windows(2).all(|w| w[0] <= w[1]), "{received:?}");
    let check = desk.json(&["check"]);
    assert_eq!(check["integrity"], "ok");

    let before = std::fs::read(&desk.db).expect("db");
    let err = desk.fails(2, &["demo"]);
    assert!(
        err.contains("已有 ") && err.contains("演示数据只装入新建或空的数据库"),
        "{err}"
    );
    assert_eq!(std::fs::read(&desk.db).expect("db"), before);
}

#[test]
fn the_database_path_comes_from_flag_environment_or_the_user_data_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let from_env = dir.path().join("env.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .args(["--json", "init"])
        .env("SUBSIDY_DESK_DB", &from_env)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(from_env.exists());

    let data_home = dir.path().join("data-home");
    let out = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .args(["--json", "init"])
        .env_remove("SUBSIDY_DESK_DB")
        .env("XDG_DATA_HOME", &data_home)
        .env("HOME", dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("json");
    let expected = data_home.join("SubsidyDesk").join("subsidy-desk.sqlite");
    assert_eq!(value["db"], expected.to_string_lossy().as_ref());
    assert!(expected.exists(), "created on first use");
}

#[test]
fn backup_restore_and_check_from_the_command_line() {
    let desk = Desk::new();
    register(&desk);
    let backup = desk.json(&["backup", "--keep", "3"]);
    let file = backup["backup"].as_str().expect("path").to_string();
    assert!(Path::new(&file).starts_with(desk.dir().join("backups")));
    desk.ok(&[
        "enterprise",
        "add",
        "--credit-code",
        "91442000MAAY4CL12L",
        "--name",
        "中山市乙公司",
        "--town",
        "古镇",
    ]);
    assert_eq!(desk.count("enterprise"), 2);

    let out = desk.ok(&["restore", &file]);
    assert!(
        out.contains("已用") && out.contains("恢复前的数据库已另存为"),
        "{out}"
    );
    assert_eq!(desk.count("enterprise"), 1);

    let err = desk.fails(
        2,
        &[
            "restore",
            desk.dir().join("none.sqlite").to_str().expect("utf-8"),
        ],
    );
    assert!(
        err.contains("文件不存在") && err.contains("当前数据库未作任何改动"),
        "{err}"
    );
    let err = desk.fails(2, &["backup", "--keep", "0"]);
    assert!(err.contains("至少保留 1 份"), "{err}");
}

#[test]
fn a_damaged_database_is_refused_with_the_way_back() {
    let desk = Desk::new();
    register(&desk);
    let backup = desk.json(&["backup"]);
    let file = backup["backup"].as_str().expect("path").to_string();
    std::fs::write(&desk.db, "garbage ".repeat(1000)).expect("damage");
    let err = desk.fails(1, &["check"]);
    assert!(
        err.contains("已损坏") && err.contains(&format!("subsidy-desk restore \"{file}\"")),
        "{err}"
    );
    desk.ok(&["restore", &file]);
    assert_eq!(desk.count("enterprise"), 1);
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let desk = Desk::new();
    register(&desk);
    bump_schema_version(&desk.db);
    let before = std::fs::read(&desk.db).expect("db");
    let err = desk.fails(1, &["case", "list"]);
    assert!(
        err.contains("v9") && err.contains("请升级扶持资金案件台"),
        "{err}"
    );
    assert_eq!(std::fs::read(&desk.db).expect("db"), before);
}

/// Sets the schema version to 9 by editing the header (bytes 60..64, big-endian), as a newer program
/// would have; the CLI crate does not link SQLite itself.
fn bump_schema_version(db: &Path) {
    // Fold the WAL into the main file first: `check` opens and closes the database cleanly.
    let out = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .arg("--db")
        .arg(db)
        .arg("check")
        .output()
        .expect("check");
    assert!(out.status.success());
    let mut bytes = std::fs::read(db).expect("db");
    bytes[60..64].copy_from_slice(&9u32.to_be_bytes());
    std::fs::write(db, bytes).expect("write");
}

/// The one rule for texts (`desk_policy::text`) at the command line's door: too long, control and
/// bidi characters, only zero-width ones are refused with the field named, and nothing is written;
/// a zero-width space inside a name is taken out.
#[test]
fn names_and_texts_are_held_to_the_one_rule() {
    let desk = Desk::new();
    let long = "某".repeat(101);
    for (flag, value, message) in [
        (
            "--name",
            long.as_str(),
            "企业名称过长：共 101 个字，最多 100 个字，请精简后重新填写",
        ),
        (
            "--name",
            "中山\u{202E}某公司",
            "企业名称含不可见的控制字符（U+202E），请删除后重新填写",
        ),
        (
            "--name",
            "\u{200B}\u{200C}\u{FEFF}",
            "企业名称只有看不见的字符（U+200B），请填写实际内容",
        ),
        (
            "--address",
            "火炬\u{7}开发区",
            "地址含不可见的控制字符（U+0007），请删除后重新填写",
        ),
        (
            "--contact-phone",
            "0760-8888000100000000000000000000",
            "联系电话过长：共 33 个字，最多 30 个字，请精简后重新填写",
        ),
    ] {
        let mut args = vec![
            "enterprise",
            "add",
            "--credit-code",
            GOOD_CODE,
            "--town",
            "火炬开发区",
        ];
        if flag != "--name" {
            args.extend(["--name", "中山市某公司"]);
        }
        args.extend([flag, value]);
        let stderr = desk.fails(2, &args);
        assert!(stderr.contains(message), "{flag}: {stderr}");
    }
    assert_eq!(desk.count("enterprise"), 0, "nothing written");
    desk.ok(&[
        "enterprise",
        "add",
        "--credit-code",
        GOOD_CODE,
        "--name",
        "中山市\u{200B}某公司",
        "--town",
        "火炬开发区",
    ]);
    let shown = desk.json(&["enterprise", "show", GOOD_CODE]);
    assert_eq!(shown["enterprise"]["name"], "中山市某公司", "{shown}");
}
