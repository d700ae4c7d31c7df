//! template and import: the Excel side of the bureau's intake.

use std::path::{Path, PathBuf};

use desk_api::files::{FileTask, io_message};
use desk_api::{ImportOptions, ImportReport, ImportResult};
use desk_policy::Catalog;
use desk_sheets::TemplateSpec;
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

const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// The files named, with each folder replaced by the workbooks in it (sorted by name).
fn expand(files: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut all = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|e| CliError::Input(io_message(FileTask::ListFolder, "文件夹", f, &e)))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    !name.starts_with("~$")
                        && p.extension().is_some_and(|e| {
                            WORKBOOK_EXTENSIONS
                                .contains(&e.to_string_lossy().to_lowercase().as_str())
                        })
                })
                .collect();
            inside.sort();
            all.extend(inside);
        } else {
            all.push(f.clone());
        }
    }
    if all.is_empty() {
        return Err(CliError::Input(
            "没有找到要导入的申报表（.xlsx、.xlsm、.xls）".into(),
        ));
    }
    Ok(all)
}

pub fn import(
    ctx: &Context,
    files: &[PathBuf],
    dry_run: bool,
    print_case: bool,
    errors_out: Option<&Path>,
) -> Result<(), CliError> {
    let files = expand(files)?;
    let several = files.len() > 1;
    let mut store = ctx.open()?;
    let options = ImportOptions {
        dry_run,
        received_on: ctx.now.date(),
        officer: ctx.user.clone(),
        keep_case_file: print_case,
    };
    let mut reports: Vec<ImportReport> = Vec::new();
    let mut marked: Vec<PathBuf> = Vec::new();
    for path in &files {
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
        print_reports(&reports, several, print_case, &marked);
    }
    let Tally {
        ok,
        database,
        bureau,
        applicant,
    } = Tally::of(&reports);
    if database > 0 {
        Err(CliError::Other(format!(
            "{database} 个申报表因数据库出错未导入（见上），其余已处理"
        )))
    } else if bureau > 0 {
        Err(CliError::Bureau(if reports.len() == 1 {
            "申报表未导入：申报表本身无误，需由业务科室先处理上面所列事项后重新导入（数据库未作改动）"
                .to_string()
        } else {
            format!(
                "{bureau} 个申报表需由业务科室处理后重新导入（申报表本身无误），{applicant} 个需要企业修改，其余已处理；未导入的申报表没有写入数据库"
            )
        }))
    } else if ok == reports.len() {
        Ok(())
    } else {
        Err(CliError::Input(if reports.len() == 1 {
            "申报表未导入：请按上面的提示修改后重新提交（数据库未作改动）".to_string()
        } else {
            format!(
                "{applicant} 个申报表未导入（需要修改），其余已处理；有误的申报表没有写入数据库"
            )
        }))
    }
}

/// How a batch of imports ended: imported (or checked), not written for a database error, left
/// for the bureau to act on, and for the applicant to correct (or refused).
struct Tally {
    ok: usize,
    database: usize,
    bureau: usize,
    applicant: usize,
}

impl Tally {
    fn of(reports: &[ImportReport]) -> Self {
        let count =
            |f: &dyn Fn(&ImportResult) -> bool| reports.iter().filter(|r| f(&r.result)).count();
        let ok = count(&ImportResult::is_success);
        let database = count(&|r| matches!(r, ImportResult::Failed { .. }));
        let bureau = count(&|r| matches!(r, ImportResult::ForBureau));
        Tally {
            ok,
            database,
            bureau,
            applicant: reports.len() - ok - database - bureau,
        }
    }
}

fn marked_path(out: &Path, source: &Path, several: bool) -> PathBuf {
    if several || out.is_dir() {
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
            other => crate::say!(
                "{}{}",
                r.applicant
                    .as_ref()
                    .map(|a| format!("{a}："))
                    .unwrap_or_default(),
                other.label()
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
        let Tally {
            ok,
            database,
            bureau,
            applicant,
        } = Tally::of(reports);
        let mut also = String::new();
        if bureau > 0 {
            also.push_str(&format!("，{bureau} 个需由业务科室处理"));
        }
        if database > 0 {
            also.push_str(&format!("，{database} 个因数据库出错未导入"));
        }
        crate::say!(
            "\n{t}\n共 {} 个文件：{ok} 个成功，{applicant} 个需要修改{also}",
            reports.len()
        );
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
