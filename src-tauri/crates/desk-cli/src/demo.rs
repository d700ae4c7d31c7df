//! `subsidy-desk demo`: fills a new or empty database with the demo bureau (`desk_api::demo`), then
//! runs the whole chain on it: imports the fixture submissions, computes and approves them, prints
//! their forms, a batch and the ledger into a folder beside the database.

use chrono::{NaiveDateTime, NaiveTime};
use desk_api::files::{FileTask, io_message};
use desk_store::{CaseStatus, Editor, Store};
use serde_json::json;

use crate::context::{CliError, Context};
use crate::output::{emit, yuan};
use crate::paths;

/// Submissions the demo imports as if enterprises had just sent them.
const SUBMISSIONS: [(&str, &[u8]); 2] = [
    (
        "ptsp-2020-good.xlsx",
        include_bytes!("../../../../fixtures/submissions/ptsp-2020-good.xlsx"),
    ),
    (
        "iip-2023-good.xlsx",
        include_bytes!("../../../../fixtures/submissions/iip-2023-good.xlsx"),
    ),
];
/// The batch printed in one PDF by the demo.
const DEMO_BATCH: &str = "2022年第1批";

pub fn run(ctx: &Context) -> Result<(), CliError> {
    let mut store = ctx.create()?;
    let existing = store.case_count()?;
    if existing > 0 {
        return Err(CliError::Input(format!(
            "数据库“{}”中已有 {existing} 个案件，演示数据只装入新建或空的数据库，以免与真实案件混在一起。\
             请指定一个新文件，例如：subsidy-desk --db 演示.sqlite demo",
            ctx.db_path.display()
        )));
    }
    let summary = desk_api::demo::load(&mut store)?;
    let folder = output_folder(ctx);
    let produced = whole_chain(ctx, &mut store, &folder)?;
    emit(
        ctx,
        &json!({"db": paths::text(&ctx.db_path), "summary": summary,
               "output": paths::text(&folder), "produced": produced}),
        || {
            crate::say!("演示数据已装入：{}", ctx.db_path.display());
            crate::say!(
                "  企业 {} 家，分布在 {} 个镇街",
                summary.enterprises,
                summary.towns
            );
            for (programme, n) in &summary.platforms {
                crate::say!("  {programme}：平台 {n} 个");
            }
            let statuses: Vec<String> = summary
                .cases_by_status
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            crate::say!(
                "  案件 {} 个（{}—{} 年度；{}），已核定 {} 元",
                summary.cases,
                summary.years.0,
                summary.years.1,
                statuses.join("，"),
                yuan(summary.approved_total)
            );
            crate::say!("\n导入申报表、计算、审批并打印：");
            for line in &produced {
                crate::say!("  {line}");
            }
            let shown = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
            crate::say!("\n演示输出在：{}", shown.display());
            crate::say!("\n试试：");
            crate::say!("  subsidy-desk case list --year 2022");
            crate::say!("  subsidy-desk case list --status 待审批");
            crate::say!("  subsidy-desk case show IIP-2022-0001");
        },
    )
}

/// The folder the demo writes its documents into, beside the database, named after it (as the
/// system names it: the database's own name is valid there, in whatever bytes).
fn output_folder(ctx: &Context) -> std::path::PathBuf {
    let mut name = ctx.db_path.file_stem().unwrap_or_default().to_os_string();
    name.push("-演示输出");
    ctx.db_path
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."))
        .join(name)
}

/// Imports the fixture submissions, computes and approves them as the demo officers, and prints
/// their approval forms, a batch and the 2022 ledger into `folder`. Returns what it produced.
fn whole_chain(
    ctx: &Context,
    store: &mut Store,
    folder: &std::path::Path,
) -> Result<Vec<String>, CliError> {
    std::fs::create_dir_all(folder)
        .map_err(|e| CliError::Other(io_message(FileTask::CreateFolder, "文件夹", folder, &e)))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = desk_api::files::in_folder(folder, name);
        std::fs::write(&path, bytes)
            .map_err(|e| CliError::Other(io_message(FileTask::Write, "演示文件", &path, &e)))
    };
    let today = ctx.now.date();
    let at = |hour| {
        Editor::new(
            "陈晓敏",
            NaiveDateTime::new(
                today,
                NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default(),
            ),
        )
    };
    let options = desk_api::ImportOptions {
        dry_run: false,
        received_on: today,
        officer: "陈晓敏".into(),
        keep_case_file: false,
        record: desk_store::RecordChoice::Unchosen,
    };
    let mut produced = Vec::new();
    for (name, bytes) in SUBMISSIONS {
        let report = desk_api::import_submission(store, name, bytes, &options, &at(9));
        let desk_api::ImportResult::Created { case_no } = &report.result else {
            return Err(CliError::Other(format!(
                "演示申报表 {name} 未能导入：{}",
                report.result.label()
            )));
        };
        let case = store.case_by_no(case_no)?;
        for next in [CaseStatus::Received, CaseStatus::Verifying] {
            store.set_case_status(case.id, next, &at(10))?;
        }
        desk_api::compute_case(store, case.id, &at(10))?;
        for item in store.items(case.id)? {
            let ceiling = item.ceiling.unwrap_or_default();
            desk_api::approve_item(store, case.id, item.id, ceiling, "", &at(11))?;
        }
        store.set_case_status(case.id, CaseStatus::Reviewing, &at(11))?;
        store.set_case_status(
            case.id,
            CaseStatus::Approving,
            &Editor::new("梁志强", at(14).at),
        )?;
        let approved = store.set_case_status(
            case.id,
            CaseStatus::Approved,
            &Editor::new("黄国华", at(16).at),
        )?;
        let pdf = desk_api::print::approval_pdf(store, case.id, today)?;
        let file = desk_api::files::approval_form(case_no);
        write(&file, &pdf)?;
        produced.push(format!(
            "{name} → 案件 {case_no}，核定 {} 元 → {file}",
            crate::output::yuan(approved.approved_total)
        ));
    }
    let (batch, n) = desk_api::print::batch_pdf(store, DEMO_BATCH, today)?;
    let file = desk_api::files::batch_forms(DEMO_BATCH);
    write(&file, &batch)?;
    produced.push(format!("批次“{DEMO_BATCH}”的 {n} 份审批表 → {file}"));
    let (ledger, rows) = desk_api::ledger_workbook(store, 2022, None, None)?;
    let file = desk_api::files::ledger(2022, None, None);
    write(&file, &ledger)?;
    produced.push(format!("2022 年度台账，{rows} 个申报项目 → {file}"));
    Ok(produced)
}
