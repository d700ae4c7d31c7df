//! Backups with SQLite's online backup API, and restore from one.
//!
//! A backup is written to a `.partial` file and renamed when complete, so a backup that exists is
//! whole. Names carry the time they were taken: `<db>-YYYYMMDD-HHMMSS[-label].sqlite`.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, MAIN_DB, OpenFlags};

use crate::db::{OpenOptions, Store, run_check};
use crate::error::{Result, StoreError};
use crate::schema::{APPLICATION_ID, LATEST_VERSION};

/// Why a backup was taken; it becomes part of the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupLabel {
    /// Asked for by a person (`subsidy-desk backup`).
    Manual,
    BeforeMigration {
        from: i64,
        to: i64,
    },
    BeforeRestore,
}

impl BackupLabel {
    fn suffix(&self) -> String {
        match self {
            BackupLabel::Manual => String::new(),
            BackupLabel::BeforeMigration { from, to } => format!("-before-v{from}-to-v{to}"),
            BackupLabel::BeforeRestore => "-before-restore".into(),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// The backup of the database that was replaced (none if there was no sound one).
    pub previous_saved_as: Option<PathBuf>,
    /// Where a damaged database was moved aside, if it was.
    pub damaged_moved_to: Option<PathBuf>,
    pub schema_version: i64,
}

fn stem_of(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "subsidy-desk".into())
}

/// The backups of `db_path` in `dir`, oldest first.
pub fn list(dir: &Path, db_path: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}-", stem_of(db_path));
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let stamp = name.strip_prefix(&prefix)?.get(..15)?.to_string();
            let is_backup = name.ends_with(".sqlite")
                && stamp.as_bytes().iter().enumerate().all(|(i, b)| {
                    if i == 8 {
                        *b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            is_backup.then_some((format!("{stamp}{name}"), p))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

pub fn latest(dir: &Path, db_path: &Path) -> Option<PathBuf> {
    list(dir, db_path).pop()
}

/// Writes a complete copy of `conn`'s database into `dir` and keeps only the newest `keep` backups.
pub(crate) fn write(
    conn: &Connection,
    db_path: &Path,
    dir: &Path,
    label: &BackupLabel,
    now: NaiveDateTime,
    keep: usize,
) -> Result<PathBuf> {
    fs::create_dir_all(dir)
        .map_err(|e| StoreError::Backup(format!("无法创建备份文件夹“{}”：{e}", dir.display())))?;
    let base = format!(
        "{}-{}{}",
        stem_of(db_path),
        now.format("%Y%m%d-%H%M%S"),
        label.suffix()
    );
    let mut target = dir.join(format!("{base}.sqlite"));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{base}-{n}.sqlite"));
        n += 1;
    }
    let partial = target.with_extension("sqlite.partial");
    conn.backup(MAIN_DB, &partial, None)
        .map_err(|e| StoreError::Backup(format!("写入“{}”失败：{e}", partial.display())))?;
    fs::rename(&partial, &target)
        .map_err(|e| StoreError::Backup(format!("无法保存“{}”：{e}", target.display())))?;
    let all = list(dir, db_path);
    for old in all.iter().take(all.len().saturating_sub(keep.max(1))) {
        // A backup that cannot be deleted is kept; the new one is written either way.
        let _ = fs::remove_file(old);
    }
    Ok(target)
}

impl Store {
    /// Takes a backup now (`subsidy-desk backup`) into the store's backup folder.
    pub fn backup(&self, label: &BackupLabel, now: NaiveDateTime, keep: usize) -> Result<PathBuf> {
        let (Some(path), Some(dir)) = (self.path(), self.backup_dir()) else {
            return Err(StoreError::Backup("内存数据库不能备份".into()));
        };
        write(&self.conn, path, dir, label, now, keep)
    }
}

/// Checks that `file` is a sound Subsidy Desk database this program can read; returns its version.
pub fn verify(file: &Path) -> Result<i64> {
    let bad = |reason: String| StoreError::BadBackup {
        path: file.to_path_buf(),
        reason,
    };
    if !file.is_file() {
        return Err(bad("文件不存在".into()));
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(format!("无法打开：{e}")))?;
    let read = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let app_id = read("PRAGMA application_id").map_err(|_| bad("不是有效的数据库文件".into()))?;
    if app_id != APPLICATION_ID {
        return Err(bad("不是扶持资金案件台的数据库".into()));
    }
    let version = read("PRAGMA user_version").map_err(|e| bad(e.to_string()))?;
    if version < 1 {
        return Err(bad("数据库没有版本号".into()));
    }
    if version > LATEST_VERSION {
        return Err(bad(format!(
            "其版本（v{version}）比本程序支持的版本（v{LATEST_VERSION}）新"
        )));
    }
    let problems =
        run_check(&conn, "integrity_check").map_err(|e| bad(format!("完整性检查无法完成：{e}")))?;
    if !problems.is_empty() {
        return Err(bad(format!("完整性检查未通过：{}", problems.join("；"))));
    }
    Ok(version)
}

/// Replaces the database at `db_path` with the backup `file`, after verifying the backup. A sound
/// current database is first backed up; a damaged one is moved aside, never deleted.
pub fn restore(db_path: &Path, file: &Path, options: &OpenOptions) -> Result<RestoreReport> {
    verify(file)?;
    if same_file(db_path, file) {
        return Err(StoreError::BadBackup {
            path: file.to_path_buf(),
            reason: "这就是当前正在使用的数据库".into(),
        });
    }
    let mut previous_saved_as = None;
    let mut damaged_moved_to = None;
    let db_has_content = fs::metadata(db_path).map(|m| m.len() > 0).unwrap_or(false);
    if db_has_content {
        match Store::open(db_path, options) {
            Ok(mut current) => {
                previous_saved_as = Some(current.backup(
                    &BackupLabel::BeforeRestore,
                    options.now,
                    options.keep_backups.max(2),
                )?);
                current
                    .conn
                    .restore(MAIN_DB, file, None::<fn(rusqlite::backup::Progress)>)
                    .map_err(|e| StoreError::Backup(format!("恢复失败：{e}")))?;
            }
            Err(StoreError::Damaged { .. }) => {
                damaged_moved_to = Some(move_aside(db_path, options.now)?);
                copy_database(file, db_path)?;
            }
            Err(other) => return Err(other),
        }
    } else {
        copy_database(file, db_path)?;
    }
    // Reopening migrates an older backup to the current schema (with its own backup first).
    let store = Store::open(db_path, options)?;
    Ok(RestoreReport {
        restored_from: file.to_path_buf(),
        previous_saved_as,
        damaged_moved_to,
        schema_version: store.schema_version()?,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn copy_database(from: &Path, to: &Path) -> Result<()> {
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    src.backup(MAIN_DB, to, None)
        .map_err(|e| StoreError::Backup(format!("恢复失败：{e}")))
}

/// Moves a damaged database (and its WAL files) aside as `<name>.damaged-<time>`.
fn move_aside(db_path: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let aside = PathBuf::from(format!("{}.damaged-{stamp}", db_path.display()));
    fs::rename(db_path, &aside).map_err(|e| {
        StoreError::Backup(format!("无法移走损坏的数据库“{}”：{e}", db_path.display()))
    })?;
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", db_path.display()));
        if side.exists() {
            let _ = fs::rename(&side, format!("{}{ext}", aside.display()));
        }
    }
    Ok(aside)
}
