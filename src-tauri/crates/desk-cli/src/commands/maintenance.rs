//! init, backup, restore, check: looking after the database file.

use std::path::Path;

use desk_store::{BackupLabel, Store, backup, schema};
use serde_json::json;

use crate::context::{CliError, Context};
use crate::output::emit;
use crate::paths::text;

pub fn init(ctx: &Context) -> Result<(), CliError> {
    let store = ctx.create()?;
    let version = store.schema_version()?;
    let value = json!({"db": text(&ctx.db_path), "schema_version": version});
    emit(ctx, &value, || {
        crate::say!("数据库已就绪：{}（版本 v{version}）", ctx.db_path.display());
    })
}

pub fn backup(ctx: &Context, keep: usize) -> Result<(), CliError> {
    if keep == 0 {
        return Err(CliError::Input("保留份数（--keep）：至少保留 1 份".into()));
    }
    let store = ctx.open()?;
    let dir = store
        .backup_dir()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let cleaned = backup::clean_partials(&dir, &ctx.db_path);
    let file = store.backup(&BackupLabel::Manual, ctx.now, keep)?;
    let kept = backup::list(&dir, &ctx.db_path);
    let kept: Vec<String> = kept.iter().map(|p| text(p)).collect();
    let value = json!({"backup": text(&file), "kept": kept, "cleaned": cleaned});
    emit(ctx, &value, || {
        if cleaned.files > 0 {
            crate::say!(
                "已清理此前中断的备份留下的未完成文件：{}",
                cleaned.describe()
            );
        }
        crate::say!("已备份到：{}", file.display());
        crate::say!(
            "备份文件夹“{}”中现有 {} 份备份（保留最近 {keep} 份）",
            dir.display(),
            kept.len()
        );
    })
}

pub fn restore(ctx: &Context, file: &Path) -> Result<(), CliError> {
    let report = backup::restore(&ctx.db_path, file, &ctx.open_options())?;
    let value = json!({
        "restored_from": text(&report.restored_from),
        "previous_saved_as": report.previous_saved_as.as_deref().map(text),
        "damaged_moved_to": report.damaged_moved_to.as_deref().map(text),
        "schema_version": report.schema_version,
        "pruned": report.pruned,
    });
    emit(ctx, &value, || {
        for line in report.lines() {
            crate::say!("{line}");
        }
    })
}

pub fn check(ctx: &Context) -> Result<(), CliError> {
    // Only looked at: no migration, no backup, nothing written.
    let store = ctx.inspect()?;
    let problems = store.integrity_problems()?;
    let dir = store
        .backup_dir()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let latest = backup::latest_backup(&dir, &ctx.db_path);
    let version = store.schema_version()?;
    let value = json!({
        "db": text(&ctx.db_path),
        "schema_version": version,
        "supported_version": schema::LATEST_VERSION,
        "integrity": if problems.is_empty() { "ok" } else { "damaged" },
        "problems": problems,
        "enterprises": store.enterprise_count()?,
        "cases": store.case_count()?,
        "latest_backup": latest.as_ref().map(|b| text(&b.path)),
        "latest_backup_at": latest.as_ref().map(|b| b.taken_at.format("%Y-%m-%d %H:%M:%S").to_string()),
        "backups": backup::list(&dir, &ctx.db_path).len(),
        "leftovers": backup::leftovers(&dir, &ctx.db_path),
    });
    emit(ctx, &value, || {
        print_check(ctx, &store, version, &problems, latest.as_ref())
    })?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(format!(
            "完整性检查发现 {} 处问题，请用最近的备份恢复",
            problems.len()
        )))
    }
}

fn print_check(
    ctx: &Context,
    store: &Store,
    version: i64,
    problems: &[String],
    latest: Option<&backup::BackupFile>,
) {
    crate::say!("数据库：{}", ctx.db_path.display());
    if version < schema::LATEST_VERSION {
        crate::say!(
            "版本：v{version}（本程序使用 v{}；下次打开时会先备份再自动升级）",
            schema::LATEST_VERSION
        );
    } else {
        crate::say!("版本：v{version}（本程序支持 v{}）", schema::LATEST_VERSION);
    }
    if problems.is_empty() {
        crate::say!("完整性检查：通过");
    } else {
        crate::say!("完整性检查：发现 {} 处问题", problems.len());
        for p in problems {
            crate::say!("  {p}");
        }
    }
    crate::say!(
        "企业 {} 家，案件 {} 个",
        store.enterprise_count().unwrap_or_default(),
        store.case_count().unwrap_or_default()
    );
    match latest {
        Some(b) => crate::say!(
            "最近的备份：{}，{}（{}）",
            b.taken_at.format("%Y-%m-%d %H:%M:%S"),
            b.label.describe(),
            b.path.display()
        ),
        None => crate::say!("最近的备份：无（可用 subsidy-desk backup 备份）"),
    }
    let dir = store
        .backup_dir()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let leftovers = backup::leftovers(&dir, &ctx.db_path);
    if leftovers.files > 0 {
        crate::say!(
            "中断的备份留下的未完成文件：{}，下次备份时自动清理",
            leftovers.describe()
        );
    }
}
