//! `subsidy-desk calc`, `check-pilot` and `policy` as CASE-FILE.md describes them: JSON on stdout
//! and exit 0 for a result, one line per problem on stderr and exit 2 for an input error.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .args(args)
        .output()
        .expect("run subsidy-desk")
}

fn write(dir: &tempfile::TempDir, name: &str, value: &Value) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("json")).expect("write");
    path
}

fn lease_case() -> Value {
    json!({
        "programme": "zs-ptsp-2018",
        "year": 2020,
        "platform": {
            "credit_code": "91442000MA4W4K8L06", "name": "中山市某智能制造公共服务平台有限公司",
            "category": 5, "recognized_on": "2019-07-15"
        },
        "history": [{"clause": "6.2", "year": 2020, "approved": "1000000.00"}],
        "items": [
            {"clause": "6.2", "leases": [{"area_m2": "1200", "rent_per_m2": "60", "from": "2020-01", "to": "2020-12"}]},
            {"clause": "6.6", "solutions": [
                {"enterprise_credit_code": "91442000MA4W4K8L06", "adopted_on": "2020-03-02"},
                {"enterprise_credit_code": "914403001922038216", "adopted_on": "2020-04-02"}
            ]}
        ]
    })
}

#[test]
fn calc_prints_the_result_as_json() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(&dir, "case.json", &lease_case());
    let out = run(&["calc", file.to_str().expect("utf-8")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    // 1200 × min(60, 50) × 12 = 720000; annual room 1500000 − 1000000 = 500000.
    assert_eq!(result["lines"][0]["ceiling"], "500000.00");
    assert_eq!(result["lines"][0]["limited_by"], "annual_cap");
    assert_eq!(result["lines"][1]["ceiling"], "50000.00");
    assert_eq!(result["lines"][1]["excluded"][0]["reason"], "非中山市企业");
    assert_eq!(result["total"], "550000.00");
    let explanation = result["lines"][0]["explanation"].as_array().expect("array");
    assert!(
        explanation.iter().any(|s| s
            .as_str()
            .is_some_and(|s| s.contains("余 500000.00 → 500000.00"))),
        "{explanation:?}"
    );
}

#[test]
fn calc_explain_reads_as_chinese_with_the_clause_text() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(&dir, "case.json", &lease_case());
    let out = run(&["calc", file.to_str().expect("utf-8"), "--explain"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for expected in [
        "第6.2条 租赁经营场地补助　《实施意见》六（二）",
        "条文：对平台企业租赁经营场地，按最高不超过50元/平方米/月给予补助",
        "leases[0]：1200 m² × min(60, 50) 元/m²/月 × 12 个月 = 720000.00",
        "最高可补助额：500,000.00 元（年度上限）",
        "solutions[1]：非中山市企业",
        "合计最高可补助额：550,000.00 元",
    ] {
        assert!(text.contains(expected), "missing “{expected}” in:\n{text}");
    }
}

/// Without the history the 50 元/m² rent cap is what bounds 6.2: named as such, not 单项上限.
#[test]
fn calc_explain_names_the_rent_cap_when_it_binds() {
    let dir = tempfile::tempdir().expect("dir");
    let mut case = lease_case();
    case["history"] = json!([]);
    let file = write(&dir, "case.json", &case);
    let out = run(&["calc", file.to_str().expect("utf-8"), "--explain"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("最高可补助额：720,000.00 元（租金补助标准上限）"),
        "{text}"
    );
    let out = run(&["calc", file.to_str().expect("utf-8")]);
    let result: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(result["lines"][0]["limited_by"], "unit_cap");
    assert_eq!(result["lines"][0]["unit_caps"], json!(["rent_cap"]));
}

#[test]
fn input_errors_are_all_reported_with_paths_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().expect("dir");
    let mut case = lease_case();
    case["items"][0]["leases"][0]["area_m2"] = json!("-5");
    case["items"][0]["leases"][0]["from"] = json!("2020-13");
    case["items"][1]["solutions"][0]["adopted_on"] = json!("2021-02-30");
    case["items"][1]["solutions"][1]["enterprise_credit_code"] = json!("914403001922038217");
    case["items"][1]["colour"] = json!("red");
    let file = write(&dir, "bad.json", &case);
    let out = run(&["calc", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout for an input error"
    );
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    for expected in [
        "items[0].leases[0].area_m2: 必须为非负数 (收到 \"-5\")",
        "items[0].leases[0].from: 月份必须写成 \"YYYY-MM\"",
        "items[1].solutions[0].adopted_on: 不存在的日期 (收到 \"2021-02-30\")",
        "items[1].solutions[1].enterprise_credit_code: 统一社会信用代码校验位错误",
        "items[1].colour: 未知字段",
    ] {
        assert!(
            stderr.contains(expected),
            "missing “{expected}” in:\n{stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
}

#[test]
fn what_if_compares_line_by_line() {
    let dir = tempfile::tempdir().expect("dir");
    let case = json!({
        "programme": "zs-iip-2021", "year": 2023,
        "platform": {"level": "municipal", "recognized_on": "2022-03-01"},
        "parameters": {"8.rate": "0.10"},
        "items": [{"clause": "8", "investment": "2000000"}, {"clause": "7"}]
    });
    let file = write(&dir, "case.json", &case);
    let out = run(&[
        "calc",
        file.to_str().expect("utf-8"),
        "--what-if",
        "parameters.8.rate=0.15",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(value["differences"][0]["clause"], "7");
    assert_eq!(value["differences"][0]["difference"], "0.00");
    assert_eq!(value["differences"][1]["clause"], "8");
    assert_eq!(value["differences"][1]["baseline"], "200000.00");
    assert_eq!(value["differences"][1]["what_if"], "300000.00");
    assert_eq!(value["total_difference"], "100000.00");

    let out = run(&[
        "calc",
        file.to_str().expect("utf-8"),
        "--what-if",
        "items[0].investment=3000000",
        "--explain",
    ]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("假设：items[0].investment=3000000") && text.contains("（差额 100,000.00）"),
        "{text}"
    );
}

#[test]
fn clause_8_without_a_rate_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let case = json!({"programme": "zs-iip-2021", "year": 2023, "platform": {"level": "municipal"},
                      "items": [{"clause": "8", "investment": "2000000"}]});
    let file = write(&dir, "case.json", &case);
    let out = run(&["calc", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        stderr.starts_with("parameters.8.rate: 政策参数未设定"),
        "{stderr}"
    );
}

#[test]
fn a_file_that_is_not_json_says_where() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"programme\": \"zs-ptsp-2018\",\n \"year\": }").expect("write");
    let out = run(&["calc", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        stderr.contains("year: 不是有效的 JSON：这里应有一个值") && stderr.contains("（第 2 行第 "),
        "{stderr}"
    );
    let out = run(&[
        "calc",
        dir.path().join("missing.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("输入有误：找不到案件文件“") && stderr.contains("请检查名称和所在的文件夹"),
        "{stderr}"
    );
}

#[test]
fn check_pilot_gives_each_condition() {
    let dir = tempfile::tempdir().expect("dir");
    let applicant = json!({"type": "enterprise_manufacturing", "name": "中山市某制造有限公司",
                           "revenue": "500000000", "service_input_share": "0.18"});
    let file = write(&dir, "a.json", &applicant);
    let out = run(&["check-pilot", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("✔ 年营业收入不低于5亿元") && text.contains("✘ 服务中间投入占比不低于20%"),
        "{text}"
    );
    assert!(text.contains("结论：不符合申报条件"), "{text}");
    let out = run(&["--json", "check-pilot", file.to_str().expect("utf-8")]);
    let value: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(value["eligible"], false);
    assert_eq!(value["unmet"], json!(["service_input_share"]));
}

#[test]
fn policy_shows_a_clause_with_its_text_and_parameters() {
    let out = run(&["policy", "zs-iip-2021", "8"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("第8条 园区数字化基础设施补助")
            && text.contains("参数 补助比例（占园区、载体基础设施建设投资额）（rate，比例）：未设定（由主管部门设定）")
            && text.contains("（征求意见稿）")
            && text.contains("政策有效期：2021-01-01 至 2025-12-31（征求意见稿"),
        "{text}"
    );
    let out = run(&["--json", "policy", "zs-ptsp-2018", "6.2"]);
    let clause: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        clause["params"]["rent_cap_per_m2"],
        json!({"label": "租金补助标准上限", "unit": "元/m²·月",
               "values": [{"from": "2018-01-01", "value": "50", "reference": "《实施意见》六（二）"}]})
    );
    let out = run(&["--json", "policy"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(39));
}
