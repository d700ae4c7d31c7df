//! The commands the interface calls (`ui/CONTRACT.md`). Each parses its arguments, calls one use
//! case of `desk-api`, and maps failures to `{code, message}`. No business rule lives here.
//!
//! All are `async` so that Tauri runs them off the UI thread; the database lock is held only for
//! the length of one call (per file for batch imports, so the UI can refresh between files).

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use desk_api::files::{self, FileTask, io_message};
use desk_api::import::ImportView;
use desk_api::parameters::{GroupCapView, ParameterView};
use desk_api::registry::{NewEnterpriseArgs, NewPlatformArgs};
use desk_api::views::{
    self, AppInfo, BackupInfo, CaseListPage, CaseQueryArgs, CaseView, Choices, CreditCodeCheck,
    Dashboard, PrintedFile, Progress, TemplateInfo,
};
use desk_api::{ImportOptions, demo::DemoSummary};
use desk_policy::{Money, Programme};
use desk_store::{BackupLabel, CaseStatus, Enterprise, Platform, RecordChoice};
use tauri::{AppHandle, Emitter, State};

use crate::dialogs;
use crate::state::{Desk, Reply, fail, now, today};

/// The file dialog's filter for submissions: desk-sheets' one list of formats.
const WORKBOOKS_KIND: &str = "申报表工作簿（Excel、WPS、LibreOffice）";

fn write_file(path: &Path, bytes: &[u8]) -> Reply<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| fail("io", io_message(FileTask::CreateFolder, "文件夹", dir, &e)))?;
    }
    std::fs::write(path, bytes)
        .map_err(|e| fail("io", io_message(FileTask::Write, "文件", path, &e)))
}

fn read_file(path: &str) -> Reply<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        fail(
            "io",
            io_message(FileTask::Read, "文件", Path::new(path), &e),
        )
    })
}

/// The file's name without its extension, to name what is made from it.
fn file_stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// A duration in milliseconds, for speed reports only: no money or rule depends on it.
#[allow(clippy::float_arithmetic)]
fn millis(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Where the database is (or, on the first run, will be).
#[tauri::command]
pub async fn database_path(desk: State<'_, Desk>) -> Reply<String> {
    Ok(display(&desk.db_path))
}

/// The first run: creates the database once the person agreed on the first screen.
#[tauri::command]
pub async fn create_database(desk: State<'_, Desk>) -> Reply<()> {
    desk.create_database()
}

#[tauri::command]
pub async fn app_info(desk: State<'_, Desk>) -> Reply<AppInfo> {
    let mut store = desk.store()?;
    let backup_dir = store.backup_dir().map(display).unwrap_or_default();
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        db_path: display(&desk.db_path),
        backup_dir,
        output_dir: display(&desk.output_dir()),
        schema_version: store.schema_version()?,
        enterprises: store.enterprise_count()?,
        cases: store.case_count()?,
        officer: views::officer(&store, &desk.user)?,
        today: today(),
        notices: desk.take_notices(&mut store),
    })
}

/// Called once by the UI when its first screen can be used: reports the cold start time.
#[tauri::command]
pub async fn ui_ready(desk: State<'_, Desk>) -> Reply<f64> {
    let ms = millis(desk.started.elapsed());
    if let Some(dir) = &desk.test_dir {
        let _ = std::fs::write(dir.join("startup-ms.txt"), format!("{ms:.1}\n"));
    }
    Ok(ms)
}

#[tauri::command]
pub async fn choices(desk: State<'_, Desk>) -> Reply<Choices> {
    Ok(views::choices(&*desk.store()?)?)
}

#[tauri::command]
pub async fn load_demo(desk: State<'_, Desk>) -> Reply<DemoSummary> {
    let mut store = desk.store()?;
    let summary = desk_api::demo::load(&mut store)?;
    // The demo's cases are assigned to its officer: sign in as that officer to see them.
    store.set_setting(views::OFFICER_SETTING, desk_api::demo::DEMO_OFFICER)?;
    Ok(summary)
}

#[tauri::command]
pub async fn dashboard(desk: State<'_, Desk>, year: Option<i32>) -> Reply<Dashboard> {
    let store = desk.store()?;
    let today = today();
    let year = match year {
        Some(y) => y,
        None => views::default_year(&store, today)?,
    };
    let officer = views::officer(&store, &desk.user)?;
    Ok(views::dashboard(&store, year, &officer, today)?)
}

#[tauri::command]
pub async fn list_cases(desk: State<'_, Desk>, query: CaseQueryArgs) -> Reply<CaseListPage> {
    let store = desk.store()?;
    let started = Instant::now();
    let mut page = views::list_cases(&store, &query)?;
    page.elapsed_ms = millis(started.elapsed());
    Ok(page)
}

#[tauri::command]
pub async fn case_view(desk: State<'_, Desk>, case_id: i64) -> Reply<CaseView> {
    Ok(views::case_view(&*desk.store()?, case_id)?)
}

#[tauri::command]
pub async fn compute_case(desk: State<'_, Desk>, case_id: i64) -> Reply<CaseView> {
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    desk_api::compute_case(&mut store, case_id, &editor)?;
    Ok(views::case_view(&store, case_id)?)
}

#[tauri::command]
pub async fn approve_item(
    desk: State<'_, Desk>,
    case_id: i64,
    item_id: i64,
    amount: String,
    reason: String,
) -> Reply<CaseView> {
    let amount: Money = desk_policy::money::parse_amount(&amount)
        .map_err(|e| fail("invalid", format!("核定金额：{e}")))?;
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    desk_api::approve_item(&mut store, case_id, item_id, amount, &reason, &editor)?;
    Ok(views::case_view(&store, case_id)?)
}

#[tauri::command]
pub async fn refuse_unit(
    desk: State<'_, Desk>,
    case_id: i64,
    item_id: i64,
    list: String,
    index: usize,
    reason: Option<String>,
) -> Reply<CaseView> {
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    desk_api::refuse_unit(
        &mut store,
        case_id,
        item_id,
        &list,
        index,
        reason.as_deref(),
        &editor,
    )?;
    Ok(views::case_view(&store, case_id)?)
}

#[tauri::command]
pub async fn set_item_request(
    desk: State<'_, Desk>,
    case_id: i64,
    item_id: i64,
    amount: String,
) -> Reply<CaseView> {
    let amount: Money = desk_policy::money::parse_amount(&amount)
        .map_err(|e| fail("invalid", format!("申请金额：{e}")))?;
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    desk_api::set_item_request(&mut store, case_id, item_id, amount, &editor)?;
    Ok(views::case_view(&store, case_id)?)
}

#[tauri::command]
pub async fn move_case(desk: State<'_, Desk>, case_id: i64, status: CaseStatus) -> Reply<CaseView> {
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    store.set_case_status(case_id, status, &editor)?;
    Ok(views::case_view(&store, case_id)?)
}

#[tauri::command]
pub async fn pick_workbooks(app: AppHandle, desk: State<'_, Desk>) -> Reply<Vec<String>> {
    Ok(dialogs::pick_files(
        &app,
        &desk,
        "选择申报表",
        WORKBOOKS_KIND,
        &desk_api::folder::extensions(),
    )
    .iter()
    .map(|p| display(p))
    .collect())
}

/// Reads and checks each workbook, writing nothing; a folder (dropped on the page) stands for the
/// workbooks in it and its subfolders, as the command line imports one (desk-api's folder).
/// `record`: what to do where a workbook's 基本信息 differs from the record (unchosen, such a
/// workbook is listed with its differences).
#[tauri::command]
pub async fn check_workbooks(
    desk: State<'_, Desk>,
    paths: Vec<String>,
    record: Option<RecordChoice>,
) -> Reply<Vec<ImportView>> {
    let named: Vec<std::path::PathBuf> = paths.iter().map(std::path::PathBuf::from).collect();
    let found = desk_api::folder::workbooks(&named).map_err(|message| fail("io", message))?;
    if found.files.is_empty() {
        let searched = found
            .summary()
            .map(|s| format!("：{s}"))
            .unwrap_or_default();
        return Err(fail(
            "invalid",
            format!(
                "没有找到要导入的申报表（{}）{searched}",
                desk_api::folder::formats_text()
            ),
        ));
    }
    let files: Vec<String> = found.files.iter().map(|p| display(p)).collect();
    run_imports(None, &desk, &files, true, record.unwrap_or_default())
}

/// Imports each workbook (each all or nothing), reporting progress as it goes.
#[tauri::command]
pub async fn import_workbooks(
    app: AppHandle,
    desk: State<'_, Desk>,
    paths: Vec<String>,
    record: Option<RecordChoice>,
) -> Reply<Vec<ImportView>> {
    run_imports(Some(&app), &desk, &paths, false, record.unwrap_or_default())
}

fn run_imports(
    app: Option<&AppHandle>,
    desk: &Desk,
    paths: &[String],
    dry_run: bool,
    record: RecordChoice,
) -> Reply<Vec<ImportView>> {
    let mut views = Vec::with_capacity(paths.len());
    for (done, path) in paths.iter().enumerate() {
        if let Some(app) = app {
            let _ = app.emit(
                "import-progress",
                Progress {
                    done,
                    total: paths.len(),
                    current: file_name(path),
                },
            );
        }
        let mut store = desk.store()?;
        let editor = desk.editor(&store);
        let options = ImportOptions {
            dry_run,
            received_on: today(),
            officer: editor.user.clone(),
            keep_case_file: false,
            record,
        };
        let report = match std::fs::read(path) {
            Ok(bytes) => {
                desk_api::import_submission(&mut store, &file_name(path), &bytes, &options, &editor)
            }
            Err(e) => desk_api::ImportReport::unreadable(
                &file_name(path),
                io_message(FileTask::Read, "申报表", Path::new(path), &e),
            ),
        };
        views.push(ImportView::new(&store, path, &report));
    }
    if let Some(app) = app {
        let _ = app.emit(
            "import-progress",
            Progress {
                done: paths.len(),
                total: paths.len(),
                current: String::new(),
            },
        );
    }
    Ok(views)
}

/// Saves a copy of a workbook with each wrong cell marked and a 错误清单 sheet, for 补正.
#[tauri::command]
pub async fn save_marked_copy(
    app: AppHandle,
    desk: State<'_, Desk>,
    path: String,
) -> Reply<Option<String>> {
    let bytes = read_file(&path)?;
    let marked = desk_api::import::marked_workbook(&bytes)?;
    let stem = file_stem(&path);
    let Some(out) = dialogs::save_as(
        &app,
        &desk,
        "保存标注错误的申报表",
        &files::marked_copy(&stem),
        "Excel 工作簿",
        &["xlsx"],
    ) else {
        return Ok(None);
    };
    write_file(&out, &marked)?;
    Ok(Some(display(&out)))
}

/// Writes a printed document into 打印输出 beside the database; `name` is made from data (a batch,
/// a case number), so it is made safe again here and names a file in that folder.
fn print_to(
    app: &AppHandle,
    desk: &Desk,
    name: &str,
    bytes: &[u8],
    total: Option<Money>,
) -> Reply<PrintedFile> {
    let path = files::in_folder(&desk.output_dir(), name);
    write_file(&path, bytes)?;
    Ok(PrintedFile {
        opened: dialogs::open(app, desk, &path),
        path: display(&path),
        bytes: bytes.len(),
        total,
    })
}

/// 补正通知书 from a workbook's cell errors.
#[tauri::command]
pub async fn print_correction(
    app: AppHandle,
    desk: State<'_, Desk>,
    path: String,
) -> Reply<PrintedFile> {
    let bytes = read_file(&path)?;
    let notice = desk_api::print::correction_notice(&file_name(&path), &bytes, today())?;
    let pdf = desk_api::print::notice_pdf(&notice)?;
    let stem = file_stem(&path);
    print_to(&app, &desk, &files::correction_notice(&stem), &pdf, None)
}

#[tauri::command]
pub async fn templates() -> Reply<Vec<TemplateInfo>> {
    Ok(views::templates())
}

#[tauri::command]
pub async fn save_template(
    app: AppHandle,
    desk: State<'_, Desk>,
    programme: Programme,
    clauses: Vec<String>,
) -> Reply<Option<String>> {
    let bytes = views::template_workbook(programme, &clauses)?;
    let name = files::template(programme);
    let Some(out) = dialogs::save_as(
        &app,
        &desk,
        "保存申报模板",
        &name,
        "Excel 工作簿",
        &["xlsx"],
    ) else {
        return Ok(None);
    };
    write_file(&out, &bytes)?;
    Ok(Some(display(&out)))
}

#[tauri::command]
pub async fn print_approval(
    app: AppHandle,
    desk: State<'_, Desk>,
    case_id: i64,
) -> Reply<PrintedFile> {
    let (pdf, case) = {
        let store = desk.store()?;
        (
            desk_api::print::approval_pdf(&store, case_id, today())?,
            store.case(case_id)?,
        )
    };
    print_to(
        &app,
        &desk,
        &files::approval_form(&case.case_no),
        &pdf,
        Some(case.approved_total),
    )
}

#[tauri::command]
pub async fn print_notice(
    app: AppHandle,
    desk: State<'_, Desk>,
    case_id: i64,
    kind: String,
) -> Reply<PrintedFile> {
    let (notice, case, label) = {
        let store = desk.store()?;
        let case = store.case(case_id)?;
        match kind.as_str() {
            "acceptance" => (
                desk_api::print::acceptance_notice(&store, case_id, today())?,
                case,
                "受理通知书",
            ),
            "result" => (
                desk_api::print::result_notice(&store, case_id, today())?,
                case,
                "审批结果通知书",
            ),
            other => return Err(fail("invalid", format!("未知的通知书种类“{other}”"))),
        }
    };
    let pdf = desk_api::print::notice_pdf(&notice)?;
    let total = (kind == "result").then_some(case.approved_total);
    print_to(
        &app,
        &desk,
        &files::case_notice(label, &case.case_no),
        &pdf,
        total,
    )
}

#[tauri::command]
pub async fn print_batch(
    app: AppHandle,
    desk: State<'_, Desk>,
    batch: String,
) -> Reply<PrintedFile> {
    // Case by case: the bar moves as each form is laid out, and is full once the PDF is written.
    let (pdf, _cases) =
        desk_api::print::batch_pdf_with_progress(&*desk.store()?, &batch, today(), |p| {
            let _ = app.emit("print-progress", p);
        })?;
    print_to(&app, &desk, &files::batch_forms(&batch), &pdf, None)
}

#[tauri::command]
pub async fn save_ledger(
    app: AppHandle,
    desk: State<'_, Desk>,
    year: i32,
    programme: Option<Programme>,
    town: Option<String>,
) -> Reply<Option<String>> {
    let town = views::town_filter(town.as_deref())?;
    let (bytes, _rows) = desk_api::ledger_workbook(&*desk.store()?, year, programme, town)?;
    let name = files::ledger(year, programme, town);
    let Some(out) = dialogs::save_as(&app, &desk, "保存台账", &name, "Excel 工作簿", &["xlsx"])
    else {
        return Ok(None);
    };
    write_file(&out, &bytes)?;
    Ok(Some(display(&out)))
}

#[tauri::command]
pub async fn enterprises(
    desk: State<'_, Desk>,
    search: String,
    town: Option<String>,
) -> Reply<Vec<Enterprise>> {
    let town = views::town_filter(town.as_deref())?;
    let search = Some(search.trim()).filter(|s| !s.is_empty());
    Ok(desk.store()?.enterprises(town, search)?)
}

#[tauri::command]
pub async fn platforms(desk: State<'_, Desk>, enterprise_id: Option<i64>) -> Reply<Vec<Platform>> {
    Ok(desk.store()?.platforms(None, enterprise_id)?)
}

#[tauri::command]
pub async fn check_credit_code(text: String) -> Reply<CreditCodeCheck> {
    Ok(views::check_credit_code(&text))
}

#[tauri::command]
pub async fn add_enterprise(
    desk: State<'_, Desk>,
    enterprise: NewEnterpriseArgs,
) -> Reply<Enterprise> {
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    Ok(desk_api::registry::add_enterprise(
        &mut store,
        &enterprise,
        &editor,
    )?)
}

#[tauri::command]
pub async fn add_platform(desk: State<'_, Desk>, platform: NewPlatformArgs) -> Reply<Platform> {
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    Ok(desk_api::registry::add_platform(
        &mut store, &platform, &editor,
    )?)
}

fn backup_info(b: desk_store::backup::BackupFile) -> BackupInfo {
    BackupInfo {
        file: b
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::metadata(&b.path).map(|m| m.len()).unwrap_or(0),
        path: display(&b.path),
        taken_at: b.taken_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        kind: b.label.describe(),
    }
}

#[tauri::command]
pub async fn backups(desk: State<'_, Desk>) -> Reply<Vec<BackupInfo>> {
    let store = desk.store()?;
    let Some(dir) = store.backup_dir() else {
        return Ok(Vec::new());
    };
    let mut list: Vec<BackupInfo> = desk_store::backup::backups(dir, &desk.db_path)
        .into_iter()
        .map(backup_info)
        .collect();
    list.reverse(); // newest first
    Ok(list)
}

#[tauri::command]
pub async fn backup_now(desk: State<'_, Desk>) -> Reply<BackupInfo> {
    let path = desk.store()?.backup(
        &BackupLabel::Manual,
        now(),
        desk_store::backup::KEEP_BACKUPS,
    )?;
    desk_store::backup::backup_file(&path, &desk.db_path)
        .map(backup_info)
        .ok_or_else(|| fail("backup_failed", "备份已写入，但其文件名无法识别"))
}

#[tauri::command]
pub async fn pick_backup_file(app: AppHandle, desk: State<'_, Desk>) -> Reply<Option<String>> {
    Ok(dialogs::pick_files(
        &app,
        &desk,
        "选择备份文件",
        "数据库备份",
        &["sqlite", "db", "bak"],
    )
    .into_iter()
    .next()
    .map(|p| display(&p)))
}

#[tauri::command]
pub async fn restore_backup(desk: State<'_, Desk>, path: String) -> Reply<String> {
    desk.reopen_after(|db_path| {
        let report =
            desk_store::backup::restore(db_path, Path::new(&path), &crate::state::open_options())
                .map_err(desk_api::views::ErrorView::from)?;
        Ok(report.lines().join(""))
    })
}

#[tauri::command]
pub async fn parameters(desk: State<'_, Desk>) -> Reply<Vec<ParameterView>> {
    Ok(desk_api::parameters::parameters(&*desk.store()?, today())?)
}

#[tauri::command]
pub async fn group_caps() -> Reply<Vec<GroupCapView>> {
    Ok(desk_api::parameters::group_caps())
}

#[tauri::command]
pub async fn set_parameter(
    desk: State<'_, Desk>,
    programme: Programme,
    key: String,
    from: String,
    value: String,
    reference: String,
) -> Reply<Vec<ParameterView>> {
    let from = NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").map_err(|_| {
        fail(
            "invalid",
            format!("生效日期：“{from}”不是有效日期（应为 YYYY-MM-DD）"),
        )
    })?;
    let mut store = desk.store()?;
    let editor = desk.editor(&store);
    desk_api::parameters::set_parameter(
        &mut store, programme, &key, from, &value, &reference, &editor,
    )?;
    Ok(desk_api::parameters::parameters(&store, today())?)
}

#[tauri::command]
pub async fn open_path(app: AppHandle, desk: State<'_, Desk>, path: String) -> Reply<()> {
    if dialogs::open(&app, &desk, Path::new(&path)) {
        Ok(())
    } else {
        Err(fail(
            "io",
            format!("无法打开“{path}”：系统中没有能打开它的程序"),
        ))
    }
}
