//! `subsidy-desk template` and `import` against a real database: all or nothing, the same file
//! recognised, a corrected resubmission replacing the draft's items, folders, marked copies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let desk = Desk {
            dir: tempfile::tempdir().expect("dir"),
        };
        let out = desk.run(&["init"]); // only init creates a database
        assert!(out.status.success(), "init");
        desk
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("bureau.sqlite")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
            .arg("--db")
            .arg(self.db())
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

    fn counts(&self) -> (usize, usize) {
        let cases = self.json(&["case", "list"])["total"]
            .as_u64()
            .expect("total") as usize;
        let enterprises = self
            .json(&["enterprise", "list"])
            .as_array()
            .map(Vec::len)
            .expect("list");
        (cases, enterprises)
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A wrong cell, and a problem only the calculator finds (it checks while the database is being
/// written): either way the message names the cell and the database is left as it was.
#[test]
fn a_broken_workbook_changes_nothing_and_says_which_cell() {
    for (file, message) in [
        (
            "broken/negative-area.xlsx",
            "6.2 租赁经营场地补助!A5: 租赁面积（m²）：必须为非负数字，收到“-300.5”",
        ),
        (
            "broken/times-missing.xlsx",
            "6.12 服务企业补助!C5: 计算方式为“按次”（basis 为 time）时必须填写服务次数（times）",
        ),
    ] {
        let desk = Desk::new();
        desk.run(&["init"]);
        let out = desk.run(&["import", &fixture(file)]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let (stdout, stderr) = text(&out);
        assert!(stdout.contains(message), "{file}: {stdout}");
        assert!(stderr.contains("数据库未作改动"), "{file}: {stderr}");
        assert_eq!(desk.counts(), (0, 0), "{file}: no enterprise, no case");
    }
}

#[test]
fn import_then_the_same_file_then_a_corrected_one() {
    let desk = Desk::new();
    let first = desk.json(&["import", &fixture("ptsp-2020-good.xlsx")]);
    assert_eq!(first[0]["result"], "created");
    assert_eq!(first[0]["case_no"], "PTSP-2020-0001");
    assert_eq!(
        first[0]["applicant"],
        "中山市某智能制造公共服务平台有限公司"
    );
    assert_eq!(desk.counts(), (1, 1));
    let shown = desk.json(&["case", "show", "PTSP-2020-0001"]);
    assert_eq!(shown["case"]["status"], "draft");
    let clauses: Vec<&str> = shown["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["clause"].as_str())
        .collect();
    assert_eq!(clauses, ["6.2", "6.4", "6.5", "6.6", "6.12"]);
    assert_eq!(shown["items"][0]["declared_amount"], "760000.00");
    assert_eq!(shown["platform"]["grade"]["category"], 5);

    let again = desk.json(&["import", &fixture("ptsp-2020-good.xlsx")]);
    assert_eq!(again[0]["result"], "duplicate");
    assert_eq!(desk.counts(), (1, 1));

    let corrected = desk.json(&["import", &fixture("ptsp-2020-corrected.xlsx")]);
    assert_eq!(corrected[0]["result"], "replaced");
    assert_eq!(corrected[0]["previous_items"], 5);
    assert_eq!(
        desk.counts(),
        (1, 1),
        "the draft was corrected, not duplicated"
    );
    let shown = desk.json(&["case", "show", "PTSP-2020-0001"]);
    let solutions = shown["items"][3]["declared_units"]["solutions"]
        .as_array()
        .expect("solutions");
    assert_eq!(
        solutions.len(),
        4,
        "the corrected workbook's fourth solution"
    );
    let actions: Vec<&str> = shown["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"导入申报表新建案件")
            && actions.contains(&"补正后重新导入，替换申报项目"),
        "{actions:?}"
    );

    // The imported case computes.
    let out = desk.run(&["case", "calc", "PTSP-2020-0001"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
}

#[test]
fn a_folder_imports_with_a_summary_and_marked_copies() {
    let desk = Desk::new();
    let inbox = desk.dir.path().join("收件箱");
    let marked = desk.dir.path().join("补正");
    std::fs::create_dir_all(&inbox).expect("dir");
    std::fs::create_dir_all(&marked).expect("dir");
    for f in [
        "ptsp-2020-good.xlsx",
        "iip-2023-good.xlsx",
        "legacy/ptsp-2020-good.xls",
        "broken/text-in-amount.xlsx",
    ] {
        let name = Path::new(f)
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        std::fs::copy(fixture(f), inbox.join(name)).expect("copy");
    }
    std::fs::write(inbox.join("说明.txt"), "not a workbook").expect("write");
    let out = desk.run(&[
        "import",
        inbox.to_str().expect("utf-8"),
        "--errors-out",
        marked.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2), "one file needs correction");
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("共 4 个文件：3 个成功，0 个已导入过，1 个需要修改"),
        "{stdout}"
    );
    assert!(
        stdout.contains("同一文件已导入过") || stdout.contains("补正件"),
        "the .xls of the same case: {stdout}"
    );
    assert!(stdout.contains("text-in-amount.xlsx"), "{stdout}");
    let copy = marked.join("text-in-amount-补正标注.xlsx");
    let bytes = std::fs::read(&copy).expect("marked copy written");
    assert_eq!(&bytes[..2], b"PK", "an .xlsx");
    assert_eq!(
        desk.counts().0,
        2,
        "two cases: ptsp 2020 (xlsx, then the xls as its resubmission) and iip 2023"
    );
}

#[test]
fn dry_run_checks_and_writes_nothing() {
    let desk = Desk::new();
    let out = desk.run(&[
        "import",
        "--dry-run",
        "--print-case",
        &fixture("iip-2023-good.xlsx"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("检查通过（未写入）") && stdout.contains("\"programme\": \"zs-iip-2021\""),
        "{stdout}"
    );
    assert_eq!(desk.counts(), (0, 0));
}

#[test]
fn templates_are_written_and_a_wrong_clause_is_refused() {
    let desk = Desk::new();
    let out_file = desk.dir.path().join("申报表.xlsx");
    let out = desk.run(&[
        "template",
        "zs-ptsp-2018",
        "--clauses",
        "6.2,6.5",
        "--out",
        out_file.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(text(&out).0.contains("2 个条款"));
    assert_eq!(&std::fs::read(&out_file).expect("written")[..2], b"PK");
    let out = desk.run(&[
        "template",
        "zs-ptsp-2018",
        "--clauses",
        "4.4",
        "--out",
        out_file.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("没有第“4.4”条"));
}

#[test]
fn print_writes_a_pdf_and_the_demo_produces_its_folder() {
    let desk = Desk::new();
    let out = desk.run(&["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("演示输出在："), "{stdout}");
    let folder = desk.dir.path().join("bureau-演示输出");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("output folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(
        files.iter().any(|f| f.starts_with("审批表-PTSP-2020-")),
        "{files:?}"
    );
    assert!(
        files.contains(&"台账-2022年度.xlsx".to_string())
            && files.contains(&"批次审批表-2022年第1批.pdf".to_string())
    );
    for f in &files {
        let bytes = std::fs::read(folder.join(f)).expect("read");
        assert!(
            bytes.starts_with(b"%PDF") || bytes.starts_with(b"PK"),
            "{f}"
        );
    }

    let pdf = desk.dir.path().join("审批表.pdf");
    let out = desk.run(&[
        "print",
        "IIP-2022-0001",
        "--out",
        pdf.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));
    let out = desk.run(&[
        "print",
        "--batch",
        "没有这个批次",
        "--out",
        pdf.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("批次“没有这个批次”没有案件"),
        "{}",
        text(&out).1
    );
}

#[test]
fn notices_for_cases_and_for_a_workbook_to_correct() {
    let desk = Desk::new();
    desk.run(&["demo"]);
    let out_file = desk.dir.path().join("通知书.pdf");
    let out = out_file.to_str().expect("utf-8");
    for args in [
        vec!["notice", "结果", "IIP-2022-0001", "--out", out],
        vec!["notice", "受理", "PTSP-2020-0001", "--out", out],
        vec![
            "notice",
            "补正",
            "--file",
            &fixture("broken/text-in-amount.xlsx"),
            "--out",
            out,
        ],
    ] {
        let run = desk.run(&args);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", text(&run).1);
        assert!(std::fs::read(&out_file).expect("pdf").starts_with(b"%PDF"));
    }
    // A case still under review has no result yet; a clean workbook has nothing to correct.
    let pending = desk.json(&["case", "list", "--status", "approving"]);
    let case_no = pending["rows"][0]["case_no"]
        .as_str()
        .expect("a case awaiting approval")
        .to_string();
    let run = desk.run(&["notice", "result", &case_no, "--out", out]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run)
            .1
            .contains("批准或不予支持后才能出具审批结果通知书"),
        "{}",
        text(&run).1
    );
    let run = desk.run(&[
        "notice",
        "correction",
        "--file",
        &fixture("ptsp-2020-good.xlsx"),
        "--out",
        out,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).1.contains("没有需要补正的内容"));
    let run = desk.run(&["notice", "催办", "--out", out]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run).1.contains("通知书种类应为"));
}

/// Macros are never run: the workbook imports, and the officer is told (and the JSON says so).
#[test]
fn a_workbook_with_macros_imports_with_a_note() {
    let desk = Desk::new();
    let out = desk.run(&["import", "--dry-run", &fixture("hostile/macros.xlsm")]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("注意：申报表含宏（VBA），宏未运行，已忽略"),
        "{stdout}"
    );
    let json = desk.json(&["import", &fixture("hostile/macros.xlsm")]);
    assert_eq!(json[0]["result"], "created");
    assert_eq!(json[0]["notes"][0], "申报表含宏（VBA），宏未运行，已忽略");
}

/// An amount the database cannot keep (finer than a fen, more fen than it counts) is refused by
/// the check exactly as by the import: in its cell, with a marked copy for 补正.
#[test]
fn the_check_refuses_what_the_import_refuses() {
    for (file, message) in [
        (
            "hostile/amount-finer-than-fen.xlsx",
            "申报事项!E3: 金额最多保留两位小数（精确到分），收到“760000.005”",
        ),
        (
            "hostile/amount-too-large.xlsx",
            "申报事项!E3: 金额过大，收到“100000000000000000000”",
        ),
    ] {
        for dry_run in [true, false] {
            let desk = Desk::new();
            let copy = desk.dir.path().join("补正.xlsx");
            let mut args = vec!["import", "--errors-out", copy.to_str().expect("utf-8")];
            if dry_run {
                args.push("--dry-run");
            }
            let path = fixture(file);
            args.push(&path);
            let out = desk.run(&args);
            let (stdout, stderr) = text(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{file} {dry_run}: {stdout}{stderr}"
            );
            assert!(stdout.contains(message), "{file} {dry_run}: {stdout}");
            assert!(copy.exists(), "{file} {dry_run}: a marked copy");
            assert_eq!(desk.counts(), (0, 0), "{file} {dry_run}");
        }
    }
}

/// One file of a folder that the database cannot take (here a trigger fails its write, as a full
/// disk or a locked file would) stops nothing: every file has its line, the summary counts all.
#[test]
fn a_folder_never_stops_at_one_file() {
    let desk = Desk::new();
    desk.run(&["init"]);
    let db = rusqlite::Connection::open(desk.db()).expect("db");
    db.execute_batch(
        "CREATE TRIGGER full_disk BEFORE INSERT ON enterprises
           WHEN NEW.credit_code = '91442000MAAY4CL12L'
           BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
    )
    .expect("trigger");
    drop(db);
    let inbox = desk.dir.path().join("收件箱");
    let marked = desk.dir.path().join("补正");
    std::fs::create_dir_all(&inbox).expect("dir");
    std::fs::create_dir_all(&marked).expect("dir");
    for f in [
        "hostile/amount-finer-than-fen.xlsx",
        "iip-2023-good.xlsx",
        "ptsp-2020-good.xlsx",
    ] {
        let name = Path::new(f).file_name().expect("name");
        std::fs::copy(fixture(f), inbox.join(name)).expect("copy");
    }
    let out = desk.run(&[
        "import",
        inbox.to_str().expect("utf-8"),
        "--errors-out",
        marked.to_str().expect("utf-8"),
    ]);
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a database error: {stdout}{stderr}"
    );
    assert!(
        stdout.contains("申报事项!E3: 金额最多保留两位小数（精确到分），收到“760000.005”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("写入数据库时出错，未导入（数据库未作改动）：")
            && !stdout.contains("database or disk is full"),
        "{stdout}"
    );
    assert!(
        stdout.contains("已导入，新建案件 PTSP-2020-0001"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("共 3 个文件：1 个成功，0 个已导入过，1 个需要修改，1 个因数据库出错未导入"),
        "{stdout}"
    );
    assert!(stderr.contains("1 个申报表因数据库出错未导入"), "{stderr}");
    assert!(marked.join("amount-finer-than-fen-补正标注.xlsx").exists());
    assert_eq!(
        desk.counts(),
        (1, 1),
        "the good one is in, whole; nothing of the other"
    );
}

/// A folder with subfolders: every workbook in them is found (a hidden folder and Office's lock
/// file left out, and said so), a file already imported is 已导入过 apart from 成功, and a refused
/// workbook still names its applicant.
#[test]
fn a_folder_tree_is_searched_and_each_file_told_apart() {
    let desk = Desk::new();
    let inbox = desk.dir.path().join("收件箱");
    let deeper = inbox.join("古镇").join("第二批");
    let hidden = inbox.join(".同步");
    for d in [&deeper, &hidden] {
        std::fs::create_dir_all(d).expect("dir");
    }
    let copy = |f: &str, to: &Path| {
        let name = Path::new(f).file_name().expect("name");
        std::fs::copy(fixture(f), to.join(name)).expect("copy");
    };
    copy("ptsp-2020-good.xlsx", &inbox);
    copy("iip-2023-good.xlsx", &inbox.join("古镇"));
    copy("broken/bad-credit-code.xlsx", &deeper);
    copy("broken/text-in-amount.xlsx", &deeper);
    copy("ptsp-2020-as-typed.xlsx", &hidden);
    std::fs::write(inbox.join("~$ptsp-2020-good.xlsx"), b"lock").expect("lock file");
    std::fs::write(inbox.join("说明.txt"), "not a workbook").expect("write");
    // The first file was imported the day before.
    let first = desk.run(&[
        "import",
        &inbox.join("ptsp-2020-good.xlsx").to_string_lossy(),
    ]);
    assert!(first.status.success(), "{:?}", text(&first));

    let out = desk.run(&["import", inbox.to_str().expect("utf-8")]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("在 3 个文件夹（含子文件夹）中找到 4 个申报表（.xlsx、.xlsm、.xls、.ods）；已跳过隐藏文件夹 1 个、Office 临时锁定文件（~$ 开头）1 个"),
        "{stdout}"
    );
    assert!(
        stdout.contains("共 4 个文件：1 个成功，1 个已导入过，2 个需要修改"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("ptsp-2020-as-typed"),
        "the hidden folder: {stdout}"
    );
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name) && l.contains('│'))
            .unwrap_or_else(|| panic!("{name}: {stdout}"))
            .to_string()
    };
    assert!(line("ptsp-2020-good.xlsx").contains("同一文件已导入过（案件 PTSP-2020-0001）"));
    assert!(line("iip-2023-good.xlsx").contains("已导入，新建案件"));
    // Refused, yet the applicant read: the name beside a wrong credit code, and beside a wrong
    // amount everything of 基本信息.
    for refused in ["bad-credit-code.xlsx", "text-in-amount.xlsx"] {
        let l = line(refused);
        assert!(
            l.contains("中山市某智能制造公共服务平台") && l.contains("需要修改"),
            "{l}"
        );
    }
    let reports = desk.json(&["import", "--dry-run", inbox.to_str().expect("utf-8")]);
    let bad = reports
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| {
            r["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("bad-credit-code.xlsx"))
        })
        .expect("bad-credit-code");
    assert_eq!(bad["result"], "invalid");
    assert_eq!(bad["applicant"], "中山市某智能制造公共服务平台有限公司");
    assert_eq!(bad["credit_code"], Value::Null, "the code did not read");
    assert_eq!(bad["programme"], "zs-ptsp-2018");
    assert_eq!(bad["year"], 2020);
    // The check says what the import would: both good ones are in the register now.
    let results: Vec<(&str, &str)> = reports
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default(),
                r["result"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    for good in ["ptsp-2020-good.xlsx", "iip-2023-good.xlsx"] {
        assert!(
            results
                .iter()
                .any(|(f, r)| f.ends_with(good) && *r == "duplicate"),
            "{good}: {results:?}"
        );
    }
    assert_eq!(desk.counts().0, 2, "ptsp 2020 once, iip 2023");
}

/// An .ods (the good workbooks saved by LibreOffice) gives the case file of its .xlsx, and imports.
#[test]
fn an_ods_gives_the_case_file_of_its_xlsx() {
    let desk = Desk::new();
    for name in ["ptsp-2020-good", "iip-2023-good"] {
        let case_file = |file: &str| {
            let out = desk.run(&["import", "--dry-run", "--print-case", &fixture(file)]);
            let (stdout, stderr) = text(&out);
            assert!(out.status.success(), "{file}: {stdout}{stderr}");
            let json = &stdout[stdout
                .find('{')
                .unwrap_or_else(|| panic!("{file}: {stdout}"))..];
            serde_json::from_str::<Value>(json).unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        let xlsx = case_file(&format!("{name}.xlsx"));
        assert_eq!(case_file(&format!("folder/{name}.ods")), xlsx, "{name}");
        assert!(xlsx["items"].as_array().is_some_and(|i| !i.is_empty()));
    }
    let out = desk.run(&["import", &fixture("folder/iip-2023-good.ods")]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(
        text(&out).0.contains("已导入，新建案件 IIP-2023-0001"),
        "{:?}",
        text(&out)
    );
}

/// 核定金额 ≤ min(最高可补助额, 申请金额) from the command line: the request bounds it when lower,
/// exactly the request needs no reason, and the refusal names the bound (exit 2, nothing written).
#[test]
fn an_approval_stays_within_the_request() {
    let desk = Desk::new();
    let out = desk.run(&["import", &fixture("ptsp-2020-good.xlsx")]);
    assert!(out.status.success(), "{:?}", text(&out));
    for status in ["received", "核查中"] {
        let out = desk.run(&["case", "move", "PTSP-2020-0001", status]);
        assert!(out.status.success(), "{:?}", text(&out));
    }
    let out = desk.run(&["case", "calc", "PTSP-2020-0001"]);
    assert!(out.status.success(), "{:?}", text(&out));
    // 6.4 (序号 2): ceiling 800,000; the request lowered to 500,000.
    let item = desk.json(&[
        "case",
        "set-request",
        "PTSP-2020-0001",
        "--item",
        "2",
        "--amount",
        "500000",
    ]);
    assert_eq!(item["declared_amount"], "500000.00");
    let out = desk.run(&[
        "case",
        "approve",
        "PTSP-2020-0001",
        "--item",
        "2",
        "--amount",
        "800000",
    ]);
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(
        text(&out)
            .1
            .contains("核定金额：800,000.00 元超过申请金额 500,000.00 元"),
        "{:?}",
        text(&out)
    );
    let item = desk.json(&[
        "case",
        "approve",
        "PTSP-2020-0001",
        "--item",
        "2",
        "--amount",
        "500000",
    ]);
    assert_eq!(item["approved"], "500000.00");
    let out = desk.run(&[
        "case",
        "approve",
        "PTSP-2020-0001",
        "--item",
        "9",
        "--amount",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("--item：案件 PTSP-2020-0001 没有序号为 9 的申报项目")
    );
}

/// 不予认定 of one unit from the command line: the line is computed again on the units accepted,
/// the refused unit is listed with its reason, and the refusal can be taken back.
#[test]
fn a_unit_refused_with_its_reason_and_taken_back() {
    let desk = Desk::new();
    let out = desk.run(&["import", &fixture("iip-2023-good.xlsx")]);
    assert!(out.status.success(), "{:?}", text(&out));
    for status in ["received", "verifying"] {
        let out = desk.run(&["case", "move", "IIP-2023-0001", status]);
        assert!(out.status.success(), "{:?}", text(&out));
    }
    let ceiling_44 = |result: &Value| {
        result["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["clause"] == "4.4")
            .cloned()
            .expect("4.4")
    };
    // 4.4 (序号 3): the third contract (120,000, another enterprise) lacks its acceptance report.
    let refuse = [
        "case",
        "refuse-unit",
        "IIP-2023-0001",
        "--item",
        "3",
        "--list",
        "contracts",
        "--row",
        "3",
        "--reason",
        "缺少验收报告",
    ];
    let line = ceiling_44(&desk.json(&refuse));
    assert_eq!(line["ceiling"], "300000.00");
    assert_eq!(
        line["excluded"],
        serde_json::json!([{"unit": "contracts[2]", "reason": "不予认定：缺少验收报告",
            "unit_ref": {"item": null, "list": "contracts", "index": 2, "month": null}}])
    );
    let out = desk.run(&[
        "case",
        "refuse-unit",
        "IIP-2023-0001",
        "--item",
        "3",
        "--list",
        "contracts",
        "--row",
        "3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a reason or --undo: {:?}",
        text(&out)
    );
    let undo = [
        "case",
        "refuse-unit",
        "IIP-2023-0001",
        "--item",
        "3",
        "--list",
        "contracts",
        "--row",
        "3",
        "--undo",
    ];
    let line = ceiling_44(&desk.json(&undo));
    assert_eq!(line["ceiling"], "420000.00");
    let out = desk.run(&[
        "case",
        "refuse-unit",
        "IIP-2023-0001",
        "--item",
        "3",
        "--list",
        "contracts",
        "--row",
        "9",
        "--reason",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("申报单元：contracts 只有 3 行，没有第 9 行"),
        "{:?}",
        text(&out)
    );
}

/// #13: a later workbook whose 基本信息 restates the record otherwise is refused with each
/// difference until the officer chooses --update-record or --keep-record; either way the case is
/// computed on the facts the officer chose, and the dry run prints them.
#[test]
fn a_resubmission_with_a_corrected_capital_asks_then_corrects_or_keeps() {
    let corrected = fixture("record-changes/ptsp-2020-capital-corrected.xlsx");
    let ceiling_6_4 = |desk: &Desk| {
        let out = desk.json(&["case", "calc", "PTSP-2020-0001"]);
        out["lines"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["clause"] == "6.4"))
            .map(|l| l["ceiling"].clone())
            .unwrap_or_else(|| panic!("{out}"))
    };
    let desk = Desk::new();
    desk.run(&["import", &fixture("ptsp-2020-good.xlsx")]);

    let out = desk.run(&["import", &corrected]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(
        stdout.contains(
            "申报表与登记信息不一致（1 处），请选择 --update-record（以申报表更正登记信息）或 --keep-record（按登记信息计算），未导入：\n  实缴注册资本：登记为“8,000,000.00 元”，申报表为“10,000,000.00 元”"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("另一个平台"),
        "the name did not change: {stdout}"
    );
    assert!(stderr.contains("数据库未作改动"), "{stderr}");
    let json = desk.json(&["import", &corrected]);
    assert_eq!(json[0]["result"], "differs");
    assert_eq!(json[0]["differences"][0]["field"], "paid_in_capital");
    assert_eq!(json[0]["differences"][0]["label"], "实缴注册资本");
    assert_eq!(json[0]["differences"][0]["record"], "8,000,000.00 元");

    // Keep: checked on the record, and the printed case shows the record's capital.
    let out = desk.run(&[
        "import",
        "--dry-run",
        "--print-case",
        "--keep-record",
        &corrected,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("按登记信息计算（申报表的实缴注册资本与登记不同，未采用）")
            && stdout.contains("\"paid_in_capital\": \"8000000.00\""),
        "{stdout}"
    );
    assert_eq!(ceiling_6_4(&desk), "800000.00");

    // Update: the record corrected, audited, and the case computed on it.
    let out = desk.run(&["import", "--update-record", &corrected]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(
        text(&out).0.contains("补正件，已替换案件 PTSP-2020-0001 的 5 个申报项目；已以申报表更正登记信息（实缴注册资本）"),
        "{}",
        text(&out).0
    );
    assert_eq!(ceiling_6_4(&desk), "1000000.00");
    let shown = desk.json(&["case", "show", "PTSP-2020-0001"]);
    assert_eq!(shown["platform"]["paid_in_capital"], "10000000.00");
    let actions: Vec<&str> = shown["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"申报表与登记信息不一致：以申报表更正登记信息"),
        "{actions:?}"
    );

    let out = desk.run(&["import", "--update-record", "--keep-record", &corrected]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("不能与") && !text(&out).1.contains("cannot"),
        "{}",
        text(&out).1
    );
}

/// A folder without a flag: each file that differs from the record gets its list and is counted
/// as 需要确认, the others are imported; with --update-record every file's record is corrected.
#[test]
fn a_folder_of_later_workbooks_asks_for_each_that_differs() {
    let desk = Desk::new();
    desk.run(&["import", &fixture("ptsp-2020-good.xlsx")]);
    let inbox = desk.dir.path().join("收件箱");
    std::fs::create_dir_all(&inbox).expect("dir");
    for f in [
        "record-changes/libreoffice/ptsp-2020-capital-corrected.xls",
        "record-changes/libreoffice/ptsp-2021-next-year.xlsx",
        "iip-2023-good.xlsx",
    ] {
        let name = Path::new(f).file_name().expect("name");
        std::fs::copy(fixture(f), inbox.join(name)).expect("copy");
    }
    let folder = inbox.to_str().expect("utf-8");
    let out = desk.run(&["import", folder]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = text(&out);
    assert!(
        stdout.contains(
            "共 3 个文件：1 个成功，0 个已导入过，0 个需要修改，2 个需要确认（与登记信息不一致）"
        ),
        "{stdout}"
    );
    for line in [
        "平台名称：登记为“中山市智能制造公共服务平台”，申报表为“中山市智能制造与工业设计公共服务平台”",
        "认定日期：登记为“2019年7月15日”，申报表为“2021年3月18日”",
        "实缴注册资本：登记为“8,000,000.00 元”，申报表为“12,000,000.00 元”",
        "联系电话：登记为“0760-88880001”，申报表为“0760-88880009”",
        "如申报表所述为该企业的另一个平台",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    assert!(stderr.contains("2 个与登记信息不一致"), "{stderr}");
    assert_eq!(desk.counts(), (2, 2), "the 2020 case and iip 2023");

    let out = desk.run(&["import", "--update-record", folder]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).0);
    assert_eq!(desk.counts(), (3, 2), "the 2021 case on the same platform");
    let shown = desk.json(&["case", "show", "PTSP-2021-0001"]);
    assert_eq!(
        shown["platform"]["name"],
        "中山市智能制造与工业设计公共服务平台"
    );
    assert_eq!(shown["platform"]["recognized_on"], "2021-03-18");
    assert_eq!(shown["platform"]["paid_in_capital"], "12000000.00");
    let platforms = desk.json(&["platform", "list"]);
    assert_eq!(
        platforms.as_array().map(Vec::len),
        Some(2),
        "renamed, not added"
    );
}

/// #13: `--errors-out` naming a folder that is not there: it is made before anything is imported;
/// one that cannot be made (a file in the way) refuses the run before any import, in Chinese.
#[test]
fn a_missing_errors_folder_is_made_first_or_nothing_is_imported() {
    let desk = Desk::new();
    let out_dir = desk.dir.path().join("补正").join("2026年12月");
    let out = desk.run(&[
        "import",
        &fixture("ptsp-2020-good.xlsx"),
        &fixture("broken/text-in-amount.xlsx"),
        &fixture("iip-2023-good.xlsx"),
        "--errors-out",
        out_dir.to_str().expect("utf-8"),
    ]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("共 3 个文件：2 个成功，0 个已导入过，1 个需要修改"),
        "{stdout}"
    );
    let copy = out_dir.join("text-in-amount-补正标注.xlsx");
    assert!(copy.exists(), "{stdout}");
    assert_eq!(desk.counts().0, 2);

    let desk = Desk::new();
    let file = desk.dir.path().join("不是文件夹");
    std::fs::write(&file, "x").expect("write");
    let under = file.join("补正");
    let out = desk.run(&[
        "import",
        &fixture("ptsp-2020-good.xlsx"),
        &fixture("broken/text-in-amount.xlsx"),
        "--errors-out",
        under.to_str().expect("utf-8"),
    ]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("无法建立保存标注副本的文件夹")
            && stderr.contains("没有导入任何申报表")
            && !stderr.contains("Not a directory")
            && !stderr.contains("os error"),
        "{stderr}"
    );
    assert!(!stdout.contains("已导入"), "{stdout}");
    assert_eq!(desk.counts(), (0, 0), "nothing imported");
}
