//! template and import: the Excel side of the bureau's intake.

use std::path::{Path, PathBuf};

use desk_api::files::{FileTask, io_message};
use desk_api::folder::Tally;
use desk_api::{ImportOptions, ImportReport, ImportResult};
use desk_policy::Catalog;
use desk_sheets::TemplateSpec;
use desk_store::RecordChoice;
use serde_json::json;

use crate::context::{CliError, Context};
use crate::input;
use crate::output::{emit, table};
use crate::paths;

pub fn template(
    ctx: &Context,
    programme: &str,
    clauses: &[String],
    out: &Path,
) -> Result<(), CliError> {
    let programme = input::programme("政策", programme)?;
    let only = (!clauses.is_empty()).then_some(clauses);
    let spec = TemplateSpec::new(Catalog::embedded(), programme, only)
        .map_err(|e| CliError::Input(format!("条款（--clauses）：{e}")))?;
    let bytes = spec
        .to_bytes(Catalog::embedded())
        .map_err(CliError::Other)?;
    std::fs::write(out, &bytes)
        .map_err(|e| CliError::Other(io_message(FileTask::Write, "申报模板", out, &e)))?;
    let value = json!({"file": paths::text(out), "programme": programme, "clauses": spec.clauses, "version": desk_sheets::template::VERSION});
    emit(ctx, &value, || {
        crate::say!(
            "已生成申报模板：{}（{}，{} 个条款，模板版本 {}）",
            out.display(),
            programme.short_title(),
            spec.clauses.len(),
            desk_sheets::template::VERSION
        );
    })
}

/// The files named, with each folder replaced by the workbooks in it and its subfolders.
fn expand(files: &[PathBuf]) -> Result<desk_api::folder::Found, CliError> {
    let found = desk_api::folder::workbooks(files).map_err(CliError::Input)?;
    if found.files.is_empty() {
        let searched = found
            .summary()
            .map(|s| format!("：{s}"))
            .unwrap_or_default();
        return Err(CliError::Input(format!(
            "没有找到要导入的申报表（{}）{searched}",
            desk_sheets::formats_text()
        )));
    }
    Ok(found)
}

pub fn import(
    ctx: &Context,
    files: &[PathBuf],
    dry_run: bool,
    print_case: bool,
    errors_out: Option<&Path>,
    record: RecordChoice,
) -> Result<(), CliError> {
    let found = expand(files)?;
    let files = &found.files;
    let several = files.len() > 1 || found.folders > 0;
    if let Some(out) = errors_out {
        errors_folder(out, several)?;
    }
    let mut store = ctx.open()?;
    let options = ImportOptions {
        dry_run,
        received_on: ctx.now.date(),
        officer: ctx.user.clone(),
        keep_case_file: print_case,
        record,
    };
    let mut reports: Vec<ImportReport> = Vec::new();
    let mut marked: Vec<PathBuf> = Vec::new();
    for path in files {
        let name = path.display().to_string();
        // Whatever becomes of one file, the next is imported: each gets its line.
        let report = match std::fs::read(path) {
            Ok(bytes) => {
                let mut report =
                    desk_api::import_submission(&mut store, &name, &bytes, &options, &ctx.editor());
                if let (ImportResult::Invalid { errors }, Some(out)) = (&report.result, errors_out)
                {
                    let target = marked_path(out, path, several);
                    let saved = desk_sheets::marked_copy(&bytes, errors, Catalog::embedded())
                        .and_then(|copy| {
                            std::fs::write(&target, copy).map_err(|e| {
                                io_message(FileTask::Write, "标注错误的副本", &target, &e)
                            })
                        });
                    match saved {
                        Ok(()) => marked.push(target),
                        Err(message) => report.notes.push(message),
                    }
                }
                report
            }
            Err(e) => {
                ImportReport::unreadable(&name, io_message(FileTask::Read, "申报表", path, &e))
            }
        };
        reports.push(report);
    }
    if ctx.json {
        emit(ctx, &reports, || {})?;
    } else {
        if let Some(searched) = found.summary() {
            crate::say!("{searched}");
            for message in &found.unreadable {
                crate::say!("注意：{message}");
            }
        }
        print_reports(&reports, several, print_case, &marked);
    }
    let tally = Tally::of(&reports);
    if tally.failed > 0 {
        Err(CliError::Other(format!(
            "{} 个申报表因数据库出错未导入（见上），其余已处理",
            tally.failed
        )))
    } else if !found.unreadable.is_empty() {
        Err(CliError::Input(format!(
            "{} 个子文件夹无法打开，其中的申报表未导入（见上），其余已处理",
            found.unreadable.len()
        )))
    } else if tally.for_bureau > 0 {
        Err(CliError::Bureau(if reports.len() == 1 {
            "申报表未导入：申报表本身无误，需由业务科室先处理上面所列事项后重新导入（数据库未作改动）"
                .to_string()
        } else {
            format!(
                "{} 个申报表需由业务科室处理后重新导入（申报表本身无误），{} 个需要企业修改，其余已处理；未导入的申报表没有写入数据库",
                tally.for_bureau, tally.to_correct
            )
        }))
    } else if reports.iter().all(|r| r.result.is_success()) {
        Ok(())
    } else {
        let failed = reports.iter().filter(|r| !r.result.is_success()).count();
        let differs = reports.iter().filter(|r| differs(r)).count();
        Err(CliError::Input(if reports.len() == 1 && differs == 1 {
            format!("申报表未导入：{CHOOSE}后重新导入（数据库未作改动）")
        } else if differs > 0 {
            format!(
                "{failed} 个申报表未导入（{differs} 个与登记信息不一致，需{CHOOSE}），其余已处理；未导入的申报表没有写入数据库"
            )
        } else if reports.len() == 1 {
            "申报表未导入：请按上面的提示修改后重新提交（数据库未作改动）".to_string()
        } else {
            format!("{failed} 个申报表未导入（需要修改），其余已处理；有误的申报表没有写入数据库")
        }))
    }
}

/// What the officer is asked to choose when a workbook differs from the record.
const CHOOSE: &str =
    "请选择 --update-record（以申报表更正登记信息）或 --keep-record（按登记信息计算）";

fn differs(report: &ImportReport) -> bool {
    matches!(report.result, ImportResult::Differs { .. })
}

/// `--errors-out` names a folder (several workbooks, an existing folder, or a name that is not an
/// .xlsx file) or the one copy's file. The folder (or the file's) is made before anything is
/// imported; when it cannot be, nothing is.
fn errors_folder(out: &Path, several: bool) -> Result<(), CliError> {
    let folder = if names_folder(out, several) {
        out
    } else {
        match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => return Ok(()),
        }
    };
    if folder.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(folder).map_err(|e| {
        CliError::Input(format!(
            "{}；没有导入任何申报表",
            io_message(FileTask::CreateFolder, "保存标注副本的文件夹", folder, &e)
        ))
    })
}

fn names_folder(out: &Path, several: bool) -> bool {
    let xlsx = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    several || out.is_dir() || !xlsx
}

fn marked_path(out: &Path, source: &Path, several: bool) -> PathBuf {
    if names_folder(out, several) {
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The workbook's own name, made safe: on Linux it may hold `\` or `:`, which Windows
        // (where the copy may be sent) cannot name.
        out.join(desk_api::files::marked_copy(&stem))
    } else {
        out.to_path_buf()
    }
}

fn print_reports(reports: &[ImportReport], several: bool, print_case: bool, marked: &[PathBuf]) {
    for r in reports {
        if several {
            crate::say!("\n{}", r.file);
        }
        match &r.result {
            ImportResult::Invalid { errors } => {
                crate::say!("申报表有 {} 处需要修改，未导入：", errors.len());
                for e in errors {
                    crate::say!("  {e}");
                }
            }
            ImportResult::Differs { differences } => {
                crate::say!(
                    "申报表与登记信息不一致（{} 处），{CHOOSE}，未导入：{}",
                    differences.len(),
                    desk_store::records_listed(differences)
                );
                if differences
                    .iter()
                    .any(|d| d.field == desk_store::RecordField::PlatformName)
                {
                    crate::say!(
                        "  如申报表所述为该企业的另一个平台，请先登记该平台（subsidy-desk platform add），再导入。"
                    );
                }
            }
            _ => crate::say!(
                "{}{}",
                r.applicant
                    .as_ref()
                    .map(|a| format!("{a}："))
                    .unwrap_or_default(),
                r.outcome_label()
            ),
        }
        if !r.bureau.is_empty() {
            let heading = if matches!(r.result, ImportResult::ForBureau) {
                "需由业务科室处理（申报表本身无误，不要退回企业）："
            } else {
                "另需由业务科室处理（与申报表无关，不要退回企业）："
            };
            crate::say!("{heading}");
            for problem in &r.bureau {
                crate::say!("  {}", crate::commands::parameter::remedy(problem));
            }
        }
        for note in &r.notes {
            crate::say!("注意：{note}");
        }
        if print_case && let Some(case) = &r.case_file {
            crate::say!("{}", serde_json::to_string_pretty(case).unwrap_or_default());
        }
    }
    for m in marked {
        crate::say!("已保存标注错误的副本（可退回企业补正）：{}", m.display());
    }
    if several {
        let mut t = table(&["文件", "申报单位", "结果"]);
        for r in reports {
            let file = Path::new(&r.file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            t.add_row(vec![
                file,
                r.applicant.clone().unwrap_or_else(|| "—".into()),
                r.label(),
            ]);
        }
        crate::say!("\n{t}\n{}", desk_api::folder::Tally::of(reports).summary());
    }
}

pub fn ledger(
    ctx: &Context,
    year: i32,
    programme: Option<&str>,
    town: Option<&str>,
    out: &Path,
) -> Result<(), CliError> {
    let programme = programme
        .map(|p| input::programme("--programme", p))
        .transpose()?;
    let town = town.map(|t| input::town("--town", t)).transpose()?;
    let store = ctx.open()?;
    let (bytes, rows) = desk_api::ledger_workbook(&store, year, programme, town)?;
    std::fs::write(out, &bytes)
        .map_err(|e| CliError::Other(io_message(FileTask::Write, "台账", out, &e)))?;
    let value = json!({"file": paths::text(out), "year": year, "rows": rows});
    emit(ctx, &value, || {
        crate::say!(
            "已导出 {year} 年度台账：{}（{rows} 个申报项目）",
            out.display()
        );
    })
}
