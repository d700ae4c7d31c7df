//! Issue #13: a problem the bureau must solve (zs-iip-2021 8.rate unset for the case's date) is
//! reported to the officer, never to the applicant; `parameter set` settles it, and the same
//! workbook then imports and computes with that rate. Each workbook as typed and as LibreOffice
//! re-saved it (.xlsx and .xls).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;

struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new(first: &str) -> Self {
        let desk = Desk {
            dir: tempfile::tempdir().expect("dir"),
        };
        assert!(desk.run(&[first]).status.success(), "{first}");
        desk
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
            .arg("--db")
            .arg(self.path("bureau.sqlite"))
            .args(["--user", "陈晓敏"])
            .args(args)
            .output()
            .expect("run")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
    }

    fn cases(&self) -> u64 {
        self.json(&["case", "list"])["total"]
            .as_u64()
            .expect("total")
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The workbook as typed and as re-saved by LibreOffice.
fn versions(stem: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/submissions/bureau");
    [
        dir.join(format!("{stem}.xlsx")),
        dir.join(format!("libreoffice/{stem}.xlsx")),
        dir.join(format!("libreoffice/{stem}.xls")),
    ]
    .iter()
    .map(|p| p.to_string_lossy().into_owned())
    .collect()
}

/// Every text of every sheet of a workbook.
fn all_texts(path: &Path) -> String {
    let mut book = open_workbook_auto(path).expect("marked copy opens");
    let mut all = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.used_cells() {
            if let (_, _, Data::String(s)) = cell {
                all.push_str(s);
                all.push('\n');
            }
        }
    }
    all
}

const BUREAU_WORDS: [&str; 4] = ["8.rate", "业务科室", "补助比例", "parameter set"];

#[test]
fn an_unset_rate_goes_to_the_officer_and_the_set_rate_computes() {
    for file in versions("iip-2023-clause8") {
        let desk = Desk::new("init");
        let marked = desk.path("补正.xlsx");
        let out = desk.run(&["import", &file, "--errors-out", &marked.to_string_lossy()]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {stdout}{stderr}");
        assert!(
            stdout.contains("需由业务科室处理（申报表本身无误，不要退回企业）：")
                && stdout.contains("第8条“园区数字化基础设施补助”的补助比例")
                && stdout.contains("（zs-iip-2021 8.rate，适用于 2023-01-01）")
                && stdout.contains("请用 subsidy-desk parameter set zs-iip-2021 8.rate"),
            "{file}: {stdout}"
        );
        assert!(!stdout.contains("需要修改"), "{file}: {stdout}");
        assert!(stderr.contains("申报表本身无误"), "{stderr}");
        assert!(
            !marked.exists(),
            "{file}: no marked copy for the bureau's problem"
        );
        assert_eq!(desk.cases(), 0, "{file}: nothing written");

        let report = desk.json(&["import", &file, "--dry-run"]);
        assert_eq!(report[0]["result"], "for_bureau", "{report}");
        assert_eq!(report[0]["bureau"][0]["kind"], "parameter_unset");
        assert_eq!(report[0]["bureau"][0]["key"], "8.rate");
        assert_eq!(report[0]["bureau"][0]["on"], "2023-01-01");
        let out = desk.run(&["--json", "import", &file]);
        let error: Value = serde_json::from_slice(&out.stderr).expect("json error");
        assert_eq!(error["code"], "for_bureau");

        // Nothing to correct: no 补正通知书 either.
        let notice = desk.path("补正通知书.pdf");
        let out = desk.run(&[
            "notice",
            "补正",
            "--file",
            &file,
            "--out",
            &notice.to_string_lossy(),
        ]);
        assert!(!out.status.success() && !notice.exists());
        assert!(
            text(&out).1.contains("没有需要企业补正的内容"),
            "{:?}",
            text(&out)
        );

        let out = desk.run(&[
            "parameter",
            "set",
            "zs-iip-2021",
            "8.rate",
            "15%",
            "--from",
            "2021-01-01",
            "--reference",
            "中工信〔2021〕8号",
        ]);
        assert!(out.status.success(), "{:?}", text(&out));
        assert!(
            text(&out).0.contains("= 0.15（15%），自 2021-01-01 起生效"),
            "{:?}",
            text(&out)
        );
        let out = desk.run(&["import", &file]);
        assert!(out.status.success(), "{file}: {:?}", text(&out));
        let out = desk.run(&["case", "calc", "IIP-2023-0001"]);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stdout}{stderr}");
        // 5,000,000 invested × 15%.
        assert!(
            stdout.contains("第8条 园区数字化基础设施补助：最高可补助额 750,000.00 元"),
            "{stdout}"
        );
    }
}

#[test]
fn a_wrong_cell_is_marked_and_the_marked_copy_says_nothing_of_the_bureau() {
    for file in versions("iip-2023-clause8-wrong-cell") {
        let desk = Desk::new("init");
        let marked = desk.path("补正.xlsx");
        let out = desk.run(&["import", &file, "--errors-out", &marked.to_string_lossy()]);
        let (stdout, _) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {stdout}");
        assert!(
            stdout.contains("4.4 企业数字化转型奖励!B4"),
            "{file}: {stdout}"
        );
        let texts = all_texts(&marked);
        assert!(
            texts.contains("约18万"),
            "{file}: the copy keeps the cell: {texts}"
        );
        for word in BUREAU_WORDS {
            assert!(!texts.contains(word), "{file}: {word} in the marked copy");
        }
    }
}

#[test]
fn parameter_set_refuses_in_chinese_and_records_who_set_what() {
    let desk = Desk::new("init");
    let set = |key: &str, value: &str, from: &str| {
        desk.run(&[
            "parameter",
            "set",
            "zs-iip-2021",
            key,
            value,
            "--from",
            from,
            "--reference",
            "中工信〔2021〕8号",
        ])
    };
    for (key, value, from, want) in [
        (
            "8.rat",
            "0.15",
            "2021-01-01",
            "相近的参数：8.rate（补助比例",
        ),
        ("8.rate", "15", "2021-01-01", "比例应在 0 到 1 之间"),
        ("8.rate", "约一成", "2021-01-01", "参数值："),
        ("4.1.max_per_year", "2.5", "2021-01-01", "应为整数"),
        ("2.1.cap", "100.005", "2021-01-01", "最多到分"),
        (
            "8.rate",
            "0.15",
            "2020-12-31",
            "不在《工业互联网平台扶持》的适用期间内",
        ),
        ("8.rate", "0.15", "2021-02-30", "不是存在的日期"),
    ] {
        let out = set(key, value, from);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{key} {value} {from}: {stderr}");
        assert!(stderr.contains(want), "{key} {value} {from}: {stderr}");
    }
    let out = desk.run(&[
        "parameter",
        "set",
        "zs-xyz",
        "8.rate",
        "0.1",
        "--from",
        "2021-01-01",
        "--reference",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("政策"), "{:?}", text(&out));

    let listed = desk.json(&["parameter", "list", "zs-iip-2021", "--on", "2023-01-01"]);
    let rate = |listed: &Value| {
        listed["parameters"]
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["key"] == "8.rate")
            .cloned()
            .expect("8.rate listed")
    };
    assert_eq!(rate(&listed)["value"], Value::Null);
    let out = set("8.rate", "0.15", "2023-07-01");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        text(&out).0.contains("适用于 2024 年度起申报的案件"),
        "{:?}",
        text(&out)
    );
    // 2023's cases take their values on 1 January 2023: still unset then.
    let listed = desk.json(&["parameter", "list", "zs-iip-2021", "--on", "2023-01-01"]);
    assert_eq!(rate(&listed)["value"], Value::Null);
    let listed = desk.json(&["parameter", "list", "--on", "2024-01-01"]);
    let r = rate(&listed);
    assert_eq!(
        (r["value"].as_str(), r["source"].as_str()),
        (Some("0.15"), Some("bureau"))
    );
    assert_eq!(r["reference"], "中工信〔2021〕8号");
    assert_eq!(r["bureau_values"][0]["from"], "2023-07-01");
    let cap = listed["parameters"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["key"] == "2.1.cap")
        .expect("2.1.cap");
    assert_eq!(cap["source"], "catalog");
    let table = text(&desk.run(&["parameter", "list", "zs-iip-2021", "--on", "2024-01-01"])).0;
    assert!(
        table.contains("0.15（15%）") && table.contains("本局设定") && table.contains("政策目录"),
        "{table}"
    );
    let help = text(&desk.run(&["parameter", "set", "--help"])).0;
    assert!(help.contains("生效日期") && help.contains("依据"), "{help}");
}

#[test]
fn the_demo_bureau_has_set_clause_8s_rate() {
    let desk = Desk::new("demo");
    let file = &versions("iip-2023-clause8")[0];
    let out = desk.run(&["import", file]);
    assert!(out.status.success(), "{:?}", text(&out));
    let case_no = desk.json(&["case", "list", "--search", "云联", "--year", "2023"])["rows"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find_map(|r| r["case_no"].as_str().map(String::from))
        })
        .expect("imported case");
    let (stdout, stderr) = text(&desk.run(&["case", "calc", &case_no]));
    // 5,000,000 invested × the demo's 10%.
    assert!(
        stdout.contains("第8条 园区数字化基础设施补助：最高可补助额 500,000.00 元"),
        "{stdout}{stderr}"
    );
    let listed = desk.json(&["parameter", "list", "zs-iip-2021"]);
    let rate = listed["parameters"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["key"] == "8.rate")
        .cloned()
        .expect("8.rate");
    assert!(
        rate["reference"]
            .as_str()
            .is_some_and(|r| r.starts_with("演示数据")),
        "{rate}"
    );
}

/// A problem only the calculator finds beside the bureau's: the applicant's goes into the marked
/// copy, the bureau's to the officer alone.
#[test]
fn the_applicants_and_the_bureaus_problems_go_each_to_its_own() {
    for file in versions("iip-2023-clause8-three-projects") {
        let desk = Desk::new("init");
        let marked = desk.path("补正.xlsx");
        let out = desk.run(&["import", &file, "--errors-out", &marked.to_string_lossy()]);
        let (stdout, _) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {stdout}");
        let applicant = "4.1 标杆应用示范项目奖励!A6: 每个平台每年最多 2 个标杆应用示范项目";
        assert!(stdout.contains(applicant), "{file}: {stdout}");
        assert!(
            stdout.contains("另需由业务科室处理（与申报表无关，不要退回企业）：")
                && stdout.contains("zs-iip-2021 8.rate，适用于 2023-01-01"),
            "{file}: {stdout}"
        );
        let texts = all_texts(&marked);
        assert!(texts.contains("每个平台每年最多 2 个"), "{file}: {texts}");
        for word in BUREAU_WORDS {
            assert!(!texts.contains(word), "{file}: {word} in the marked copy");
        }
        let report = desk.json(&["import", &file, "--dry-run"]);
        assert_eq!(report[0]["result"], "invalid", "{report}");
        assert_eq!(report[0]["bureau"][0]["key"], "8.rate", "{report}");
        assert_eq!(desk.cases(), 0);
    }
}
