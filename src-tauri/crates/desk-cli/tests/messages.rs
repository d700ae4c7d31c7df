//! Every way a command can fail on what the officer gave it ends in a Chinese message that says
//! what happened and what to do: never the system's, SQLite's or serde's English.

use std::path::Path;
use std::process::{Command, Output};

fn subsidy_desk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .arg("--db")
        .arg(db)
        .args(["--user", "陈晓敏"])
        .args(args)
        .env_remove("SUBSIDY_DESK_DB")
        .output()
        .expect("run subsidy-desk")
}

/// English words that reached officers before (io::Error, SQLite, serde_json) or could.
const ENGLISH: [&str; 19] = [
    "error",
    "os",
    "line",
    "column",
    "database",
    "pattern",
    "complex",
    "such",
    "directory",
    "permission",
    "denied",
    "invalid",
    "expected",
    "number",
    "range",
    "stream",
    "contain",
    "found",
    "eof",
];

fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .map(str::to_ascii_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn failures_are_told_in_chinese_never_in_english() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("案件库.sqlite");
    let demo = subsidy_desk(&db, &["demo"]);
    assert!(demo.status.success());

    let here = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let folder = here("收件箱");
    std::fs::create_dir_all(&folder).expect("folder");
    let plain_file = here("说明.txt");
    std::fs::write(&plain_file, "不是文件夹").expect("file");
    let under_a_file = format!("{plain_file}/审批表.pdf");
    let no_folder = here("没有的文件夹/审批表.pdf");
    let gbk = here("案件-GBK.json");
    std::fs::write(&gbk, b"{\"platform\": {\"name\": \"\xd6\xd0\xc9\xbd\"}}").expect("gbk");
    let huge = here("案件-大数.json");
    std::fs::write(
        &huge,
        r#"{"programme": "zs-ptsp-2018", "year": 2020,
"items": [{"clause": "6.2", "leases": [{"area_m2": 1e400, "rent_per_m2": "40"}]}]}"#,
    )
    .expect("huge");
    let cut = here("案件-残缺.json");
    std::fs::write(
        &cut,
        r#"{"programme": "zs-ptsp-2018", "items": [{"clause": "6.2""#,
    )
    .expect("cut");
    let missing = here("缺失.json");
    let missing_workbook = here("缺失.xlsx");
    let notice = here("通知书.pdf");
    let long_search = "智能".repeat(10_000);

    // (arguments, exit status, what the message must say)
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["case", "list", "--search", &long_search],
            2,
            "搜索内容过长",
        ),
        (
            vec!["--json", "case", "list", "--search", &long_search],
            2,
            "搜索内容过长",
        ),
        (
            vec!["enterprise", "list", "--search", &long_search],
            2,
            "搜索内容过长",
        ),
        (vec!["calc", &missing], 2, "找不到案件文件"),
        (vec!["calc", &folder], 2, "是文件夹，不是案件文件"),
        (vec!["calc", &gbk], 2, "不是 UTF-8 编码的文本"),
        (
            vec!["calc", &huge],
            2,
            "items[0].leases[0].area_m2: 不是有效的 JSON：数字超出范围",
        ),
        (
            vec!["calc", &cut],
            2,
            "items[0]: 不是有效的 JSON：对象（{ }）没有结束",
        ),
        (vec!["check-pilot", &missing], 2, "找不到申报主体文件"),
        (vec!["import", &missing_workbook], 2, "找不到申报表"),
        (
            vec!["import", "--dry-run", &missing_workbook],
            2,
            "找不到申报表",
        ),
        (
            vec![
                "notice",
                "补正",
                "--file",
                &missing_workbook,
                "--out",
                &notice,
            ],
            2,
            "找不到申报表",
        ),
        (
            vec!["template", "zs-ptsp-2018", "--out", &no_folder],
            1,
            "不存在，请先建立该文件夹",
        ),
        (
            vec!["ledger", "--year", "2022", "--out", &under_a_file],
            1,
            // Linux: 路径中有一段不是文件夹; Windows calls it a missing folder.
            "无法保存台账“",
        ),
        (
            vec!["print", "IIP-2022-0001", "--out", &no_folder],
            1,
            "无法保存审批表",
        ),
        (
            vec!["print", "IIP-2022-0001", "--out", &folder],
            1,
            "是文件夹，请在路径最后写上文件名",
        ),
        (
            vec!["notice", "结果", "IIP-2022-0001", "--out", &under_a_file],
            1,
            "无法保存通知书",
        ),
        (
            vec!["--json", "ledger", "--year", "2022", "--out", &no_folder],
            1,
            "无法保存台账",
        ),
    ];
    for (args, status, words) in cases {
        let out = subsidy_desk(&db, &args);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(30).collect()).collect();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        // With --json the message is the error's "message" (its "code" is for machines).
        let message = if args[0] == "--json" {
            let error: serde_json::Value = serde_json::from_str(stderr.trim()).expect("json error");
            assert!(error["code"].is_string(), "{error}");
            error["message"].as_str().unwrap_or_default().to_string()
        } else {
            format!("{stdout}{stderr}")
        };
        assert_eq!(out.status.code(), Some(status), "{shown:?}: {message}");
        assert!(message.contains(words), "{shown:?}: {message}");
        assert!(message.chars().any(is_cjk), "{shown:?}: {message}");
        // The message, without the paths the test gave (they are the officer's own words).
        let mut words_only = message.clone();
        for a in &args {
            words_only = words_only.replace(a, "");
        }
        let english = english_words(&words_only);
        assert!(english.is_empty(), "{shown:?}: {english:?} in {message}");
    }
}
