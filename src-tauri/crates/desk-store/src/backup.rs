//! Backups with SQLite's online backup API, and restore from one.
//!
//! A backup is written to a `.partial` file and renamed when complete, so a backup that exists is
//! whole; partial files left by a killed backup are removed by the next one. Names carry the time
//! they were taken and, within one second, a sequence number:
//! `<db>-YYYYMMDD-HHMMSS[-N][-label].sqlite`.
//!
//! A restore never touches the live database until the backup has been copied to a private file
//! beside it and verified there completely (read-write, so CHECK constraints are checked too) and
//! migrated. The live database is then backed up (or, when damaged, copied aside), a marker is
//! written, and the verified copy is renamed over the live file in one atomic step. A restore that
//! is interrupted after the marker is finished by the next open ([`recover_interrupted`]); one
//! interrupted before it has changed nothing. Old backups are pruned only after the restored
//! database has opened, and never the file that was restored from.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use rusqlite::backup::Backup;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::db::{OpenOptions, Store, run_check};
use crate::error::{Result, StoreError, io_message, sqlite_message};
use crate::schema::{self, APPLICATION_ID, LATEST_VERSION};

/// How many backups are kept, by the command line and the app alike, unless a person asks for
/// another number for one backup (`subsidy-desk backup --keep N`).
pub const KEEP_BACKUPS: usize = 30;

/// Why a backup was taken; it becomes part of the file name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum BackupLabel {
    /// Asked for by a person (`subsidy-desk backup`, 设置 → 立即备份).
    Manual,
    /// The first use of the database on a day.
    Daily,
    BeforeMigration {
        from: i64,
        to: i64,
    },
    BeforeRestore,
    /// Before a corrected resubmission replaces the items of a case.
    BeforeResubmission,
}

impl BackupLabel {
    /// What the backup is, as the settings screen and `check` name it.
    pub fn describe(&self) -> String {
        match self {
            BackupLabel::Manual => "手动备份".into(),
            BackupLabel::Daily => "每日自动备份".into(),
            BackupLabel::BeforeMigration { from, to } => format!("升级前自动备份（v{from}→v{to}）"),
            BackupLabel::BeforeRestore => "恢复前自动备份".into(),
            BackupLabel::BeforeResubmission => "补正件替换申报项目前自动备份".into(),
        }
    }

    /// The label a backup's name carries after its time and sequence number.
    fn from_suffix(rest: &str) -> BackupLabel {
        let migration = rest.strip_prefix("-before-v").and_then(|r| {
            let (from, to) = r.split_once("-to-v")?;
            let to: String = to.chars().take_while(char::is_ascii_digit).collect();
            Some(BackupLabel::BeforeMigration {
                from: from.parse().ok()?,
                to: to.parse().ok()?,
            })
        });
        if let Some(m) = migration {
            return m;
        }
        if rest.starts_with("-daily") {
            BackupLabel::Daily
        } else if rest.starts_with("-before-restore") {
            BackupLabel::BeforeRestore
        } else if rest.starts_with("-before-resubmission") {
            BackupLabel::BeforeResubmission
        } else {
            BackupLabel::Manual
        }
    }

    fn suffix(&self) -> String {
        match self {
            BackupLabel::Manual => String::new(),
            BackupLabel::Daily => "-daily".into(),
            BackupLabel::BeforeMigration { from, to } => format!("-before-v{from}-to-v{to}"),
            BackupLabel::BeforeRestore => "-before-restore".into(),
            BackupLabel::BeforeResubmission => "-before-resubmission".into(),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RestoreReport {
    pub restored_from: PathBuf,
    /// The backup of the database that was replaced (none if there was no sound one).
    pub previous_saved_as: Option<PathBuf>,
    /// Where a copy of a damaged database was kept, if it was damaged.
    pub damaged_moved_to: Option<PathBuf>,
    pub schema_version: i64,
    /// Backups pruned after the restore by the keep policy.
    pub pruned: usize,
}

impl RestoreReport {
    /// What the restore did, a sentence a line, as both faces tell it.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "已用“{}”恢复数据库（版本 v{}）。",
            self.restored_from.display(),
            self.schema_version
        )];
        if let Some(prev) = &self.previous_saved_as {
            lines.push(format!("恢复前的数据库已另存为“{}”。", prev.display()));
        }
        if let Some(aside) = &self.damaged_moved_to {
            lines.push(format!("损坏的数据库的副本保存在“{}”。", aside.display()));
        }
        if self.pruned > 0 {
            lines.push(format!(
                "按保留最近 {KEEP_BACKUPS} 份的规定，删除了 {} 份较早的备份（恢复所用的备份保留）。",
                self.pruned
            ));
        }
        lines
    }
}

/// One backup file found in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BackupFile {
    /// When it was taken (from its name).
    pub taken_at: NaiveDateTime,
    /// Its place among the backups taken in the same second (1 for the first).
    pub seq: u32,
    pub path: PathBuf,
    /// Why it was taken.
    pub label: BackupLabel,
}

fn stem_of(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "subsidy-desk".into())
}

/// Reads a backup's time, sequence number and label from its name, if it is one of `stem`'s.
fn parse_name(stem: &str, name: &str) -> Option<(NaiveDateTime, u32, BackupLabel)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let body = rest.strip_suffix(".sqlite")?;
    let stamp = body.get(..15)?;
    let taken_at = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    let after = &body[15..];
    // New names put the sequence number right after the time ("-3-before-restore"); older ones
    // put it at the very end ("-before-restore-3").
    let leading = after.strip_prefix('-').and_then(|r| {
        let label = r.trim_start_matches(|c: char| c.is_ascii_digit());
        let digits = &r[..r.len() - label.len()];
        let ends_well = label.is_empty() || label.starts_with('-');
        (!digits.is_empty() && ends_well).then(|| (digits.parse().ok(), label))
    });
    let (seq, label) = match leading {
        Some((seq, label)) => (seq, label),
        None => (
            after
                .rsplit_once('-')
                .and_then(|(_, tail)| tail.parse::<u32>().ok()),
            after,
        ),
    };
    Some((taken_at, seq.unwrap_or(1), BackupLabel::from_suffix(label)))
}

/// The backups of `db_path` in `dir`, oldest first (by the time and sequence in their names).
pub fn backups(dir: &Path, db_path: &Path) -> Vec<BackupFile> {
    let stem = stem_of(db_path);
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<BackupFile> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| backup_file_named(&stem, path))
        .collect();
    found.sort();
    found
}

/// `path` read as one of `db_path`'s backups (its time, sequence and label), if it is one.
pub fn backup_file(path: &Path, db_path: &Path) -> Option<BackupFile> {
    backup_file_named(&stem_of(db_path), path.to_path_buf())
}

fn backup_file_named(stem: &str, path: PathBuf) -> Option<BackupFile> {
    let name = path.file_name()?.to_str()?;
    let (taken_at, seq, label) = parse_name(stem, name)?;
    Some(BackupFile {
        taken_at,
        seq,
        path,
        label,
    })
}

/// The backups of `db_path` in `dir`, oldest first.
pub fn list(dir: &Path, db_path: &Path) -> Vec<PathBuf> {
    backups(dir, db_path).into_iter().map(|b| b.path).collect()
}

pub fn latest(dir: &Path, db_path: &Path) -> Option<PathBuf> {
    list(dir, db_path).pop()
}

/// The newest backup with the time it was taken.
pub fn latest_backup(dir: &Path, db_path: &Path) -> Option<BackupFile> {
    backups(dir, db_path).pop()
}

/// What cleaning up after killed backups removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Cleaned {
    pub files: usize,
    pub bytes: u64,
}

/// Removes the `.partial` files (and their journals) that killed or failed backups left in `dir`.
/// A partial file another program is writing right now is locked by it and left alone.
pub fn clean_partials(dir: &Path, db_path: &Path) -> Cleaned {
    let mut cleaned = Cleaned::default();
    let leftovers = partial_files(dir, db_path);
    let mut remove = |path: &Path| {
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if fs::remove_file(path).is_ok() {
            cleaned.files += 1;
            cleaned.bytes += size;
        }
    };
    for partial in leftovers
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "partial"))
    {
        if being_written(partial) {
            continue;
        }
        remove(partial);
        let journal = PathBuf::from(format!("{}-journal", partial.display()));
        if journal.exists() {
            remove(&journal);
        }
    }
    // A journal whose partial file is already gone.
    for journal in leftovers.iter().filter(|p| p.exists()) {
        if let Some(partial) = journal.to_str().and_then(|s| s.strip_suffix("-journal"))
            && !Path::new(partial).exists()
        {
            remove(journal);
        }
    }
    cleaned
}

/// What killed or failed backups have left in `dir`, counted, not removed (`check` writes nothing).
pub fn leftovers(dir: &Path, db_path: &Path) -> Cleaned {
    partial_files(dir, db_path)
        .iter()
        .fold(Cleaned::default(), |sum, p| Cleaned {
            files: sum.files + 1,
            bytes: sum.bytes + fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        })
}

/// The `.partial` files (and their journals) of `db_path`'s backups in `dir`.
fn partial_files(dir: &Path, db_path: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}-", stem_of(db_path));
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&prefix)
                    && (n.ends_with(".partial") || n.ends_with(".partial-journal"))
            })
        })
        .collect()
}

impl Cleaned {
    /// "3 个文件（12.5 MB）".
    pub fn describe(&self) -> String {
        let tenths = (self.bytes.saturating_mul(10) + 524_288) / 1_048_576;
        format!(
            "{} 个文件（{}.{} MB）",
            self.files,
            tenths / 10,
            tenths % 10
        )
    }
}

/// Whether another connection holds a lock on `file` (a backup being written into it).
fn being_written(file: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    match conn.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;") {
        Ok(()) => false,
        Err(e) => matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        ),
    }
}

/// Writes a complete copy of `conn`'s database into `dir` and keeps only the newest `keep` backups
/// (never one named in `spare`).
pub(crate) fn write(
    conn: &Connection,
    db_path: &Path,
    dir: &Path,
    label: &BackupLabel,
    now: NaiveDateTime,
    keep: Option<usize>,
) -> Result<PathBuf> {
    fs::create_dir_all(dir).map_err(|e| {
        StoreError::Backup(format!(
            "无法创建备份文件夹“{}”（{}）",
            dir.display(),
            io_message(&e)
        ))
    })?;
    clean_partials(dir, db_path);
    let stamp = now.format("%Y%m%d-%H%M%S").to_string();
    let same_second = backups(dir, db_path)
        .iter()
        .filter(|b| b.taken_at.and_utc().timestamp() == now.and_utc().timestamp())
        .map(|b| b.seq)
        .max();
    let mut seq = same_second.map_or(1, |s| s + 1);
    let name = loop {
        let number = if seq > 1 {
            format!("-{seq}")
        } else {
            String::new()
        };
        let name = format!(
            "{}-{stamp}{number}{}.sqlite",
            stem_of(db_path),
            label.suffix()
        );
        if !dir.join(&name).exists() {
            break name;
        }
        seq += 1;
    };
    let target = dir.join(name);
    // The process id keeps two programs backing up in the same second out of each other's file.
    let partial = PathBuf::from(format!(
        "{}.{}.partial",
        target.display(),
        std::process::id()
    ));
    let failed = |e: rusqlite::Error| {
        let _ = fs::remove_file(&partial);
        let _ = fs::remove_file(format!("{}-journal", partial.display()));
        StoreError::Backup(format!(
            "写入“{}”失败（{}）",
            target.display(),
            sqlite_message(&e)
        ))
    };
    {
        let mut dst = Connection::open(&partial).map_err(failed)?;
        // One step: the partial file stays locked by this connection until it is complete.
        let copy = Backup::new(conn, &mut dst).map_err(failed)?;
        match copy.step(-1).map_err(failed)? {
            rusqlite::backup::StepResult::Done => {}
            _ => {
                return Err(failed(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                )));
            }
        }
    }
    fs::rename(&partial, &target).map_err(|e| {
        StoreError::Backup(format!(
            "无法保存“{}”（{}）",
            target.display(),
            io_message(&e)
        ))
    })?;
    sync_dir(dir);
    if let Some(keep) = keep {
        prune(dir, db_path, keep, &[&target]);
    }
    Ok(target)
}

/// Deletes the oldest backups beyond `keep`, never one of `spare`. Returns how many went.
pub(crate) fn prune(dir: &Path, db_path: &Path, keep: usize, spare: &[&Path]) -> usize {
    let all = list(dir, db_path);
    let spared = |p: &PathBuf| spare.iter().any(|s| same_file(s, p) || *s == p.as_path());
    let excess = all.len().saturating_sub(keep.max(1));
    let mut removed = 0;
    for old in all.iter().filter(|p| !spared(p)).take(excess) {
        // A backup that cannot be deleted is kept; the new one is written either way.
        if fs::remove_file(old).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The day's backup of the database at `db_path`, if none was taken today and it holds anything.
pub(crate) fn daily(
    conn: &Connection,
    db_path: &Path,
    dir: &Path,
    options: &OpenOptions,
) -> Result<Option<PathBuf>> {
    let today = options.now.date();
    if latest_backup(dir, db_path).is_some_and(|b| b.taken_at.date() >= today) {
        return Ok(None);
    }
    let holds_data = conn.query_row("SELECT EXISTS (SELECT 1 FROM enterprises)", [], |r| {
        r.get::<_, bool>(0)
    })?;
    if !holds_data {
        return Ok(None);
    }
    write(
        conn,
        db_path,
        dir,
        &BackupLabel::Daily,
        options.now,
        Some(options.keep_backups),
    )
    .map(Some)
}

/// The day's backup taken on a connection of its own, so a window can open first and back up
/// beside it (the desktop app opens with `daily_backup: false` and calls this on a thread).
pub fn daily_backup(db_path: &Path, options: &OpenOptions) -> Result<Option<PathBuf>> {
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Backup(sqlite_message(&e)))?;
    conn.busy_timeout(options.busy_timeout)?;
    daily(&conn, db_path, &options.backup_dir_for(db_path), options)
}

impl Store {
    /// Takes a backup now (`subsidy-desk backup`) into the store's backup folder and prunes the
    /// oldest beyond `keep`.
    pub fn backup(&self, label: &BackupLabel, now: NaiveDateTime, keep: usize) -> Result<PathBuf> {
        let (Some(path), Some(dir)) = (self.path(), self.backup_dir()) else {
            return Err(StoreError::Backup("内存数据库不能备份".into()));
        };
        write(&self.conn, path, dir, label, now, Some(keep))
    }
}

/// The tables each schema version has, from the migrations themselves.
fn expected_tables(version: i64) -> Option<&'static BTreeSet<String>> {
    static TABLES: OnceLock<Vec<BTreeSet<String>>> = OnceLock::new();
    let all = TABLES.get_or_init(|| {
        (1..=LATEST_VERSION as usize)
            .map(|v| {
                let mut conn = Connection::open_in_memory().expect("an in-memory database");
                schema::migrations_up_to(v)
                    .to_latest(&mut conn)
                    .expect("the program's own migrations run");
                table_names(&conn).expect("the program's own tables")
            })
            .collect()
    });
    usize::try_from(version)
        .ok()
        .and_then(|v| v.checked_sub(1))
        .and_then(|i| all.get(i))
}

pub(crate) fn table_names(conn: &Connection) -> rusqlite::Result<BTreeSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// Why a file is not a Subsidy Desk database of a version this program reads, or `None`.
pub(crate) fn foreign_reason(
    conn: &Connection,
    app_id: i64,
    version: i64,
) -> rusqlite::Result<Option<String>> {
    let tables = table_names(conn)?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id == 0 && version == 0 && objects == 0 {
        return Ok(None); // a blank file, about to be initialised
    }
    if app_id != APPLICATION_ID {
        let some: Vec<&str> = tables.iter().take(3).map(String::as_str).collect();
        return Ok(Some(if some.is_empty() {
            format!("文件标识为 {app_id:#x}，不是扶持资金案件台的标识")
        } else {
            format!("是其他软件的数据库，含有数据表 {} 等", some.join("、"))
        }));
    }
    if !(1..=LATEST_VERSION).contains(&version) {
        return Ok(None); // the version checks say why
    }
    let Some(expected) = expected_tables(version) else {
        return Ok(None);
    };
    let missing: Vec<&str> = expected.difference(&tables).map(String::as_str).collect();
    let extra: Vec<&str> = tables.difference(expected).map(String::as_str).collect();
    Ok(match (missing.is_empty(), extra.is_empty()) {
        (true, true) => None,
        (false, _) => Some(format!("缺少 v{version} 应有的表：{}", missing.join("、"))),
        (true, false) => Some(format!("含有本程序不认识的表：{}", extra.join("、"))),
    })
}

/// A private, writable copy of a backup (and its `-wal`, if it has one) in `dir`.
fn copy_private(file: &Path, dir: &Path) -> Result<PathBuf> {
    let bad = |reason: String| StoreError::BadBackup {
        path: file.to_path_buf(),
        reason,
    };
    match fs::metadata(file) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(bad("这不是一个文件".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(bad("文件不存在".into()));
        }
        Err(e) => return Err(bad(format!("无法读取（{}）", io_message(&e)))),
    }
    fs::create_dir_all(dir).map_err(|e| {
        StoreError::Backup(format!(
            "无法在“{}”中建立恢复用的临时文件夹（{}）；恢复需要在数据库所在的文件夹中写入",
            dir.parent().unwrap_or(dir).display(),
            io_message(&e)
        ))
    })?;
    let copy = dir.join("candidate.sqlite");
    let place = |from: &Path, to: &Path| -> Result<()> {
        fs::copy(from, to).map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => bad("没有读取该文件的权限".into()),
            _ => StoreError::Backup(format!(
                "复制“{}”失败（{}）",
                from.display(),
                io_message(&e)
            )),
        })?;
        let mut perms = fs::metadata(to)
            .map_err(|e| StoreError::Backup(io_message(&e)))?
            .permissions();
        // A backup kept read-only (0444) gives a read-only copy: the copy must be writable.
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(to, perms).map_err(|e| StoreError::Backup(io_message(&e)))
    };
    place(file, &copy)?;
    let wal = PathBuf::from(format!("{}-wal", file.display()));
    if wal.is_file() {
        place(&wal, &PathBuf::from(format!("{}-wal", copy.display())))?;
    }
    Ok(copy)
}

/// Checks a private copy completely and brings it to the current schema: the identity and version,
/// the tables, `integrity_check` read-write (CHECK and NOT NULL constraints included), foreign
/// keys and each case's totals. Leaves it as a single file (no WAL). Returns the version it had.
fn verify_and_migrate(copy: &Path, shown_as: &Path) -> Result<i64> {
    let bad = |reason: String| StoreError::BadBackup {
        path: shown_as.to_path_buf(),
        reason,
    };
    let unreadable = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => bad("不是有效的数据库文件".into()),
        Some(ErrorCode::DatabaseCorrupt) => bad("数据页损坏".into()),
        _ => bad(sqlite_message(&e)),
    };
    let mut conn = Connection::open_with_flags(
        copy,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(unreadable)?;
    let read = |conn: &Connection, sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let app_id = read(&conn, "PRAGMA application_id").map_err(unreadable)?;
    let version = read(&conn, "PRAGMA user_version").map_err(unreadable)?;
    if app_id != APPLICATION_ID {
        return Err(bad("不是扶持资金案件台的数据库".into()));
    }
    if version < 1 {
        return Err(bad("数据库没有版本号".into()));
    }
    if version > LATEST_VERSION {
        return Err(bad(format!(
            "其版本（v{version}）比本程序支持的版本（v{LATEST_VERSION}）新"
        )));
    }
    if let Some(reason) = foreign_reason(&conn, app_id, version).map_err(unreadable)? {
        return Err(bad(format!("不是扶持资金案件台的数据库（{reason}）")));
    }
    let problems = run_check(&conn, "integrity_check").map_err(unreadable)?;
    if !problems.is_empty() {
        return Err(bad(format!(
            "完整性检查未通过：{}",
            problems
                .iter()
                .take(5)
                .map(|p| crate::db::describe_integrity(p))
                .collect::<Vec<_>>()
                .join("；")
        )));
    }
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(unreadable)?;
    if orphans > 0 {
        return Err(bad(format!("有 {orphans} 行引用了不存在的记录")));
    }
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(unreadable)?;
    schema::migrations().to_latest(&mut conn).map_err(|e| {
        bad(format!(
            "无法升级到当前版本（{}）",
            crate::error::migration_message(&e)
        ))
    })?;
    let mismatched = crate::db::totals_mismatch(&conn).map_err(unreadable)?;
    if !mismatched.is_empty() {
        return Err(bad(mismatched.join("；")));
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(unreadable)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(bad(format!("无法整理为单一文件（日志模式 {mode}）")));
    }
    drop(conn);
    sync_file(copy);
    Ok(version)
}

/// Checks that `file` is a sound Subsidy Desk database this program can read, on a private copy
/// (the file itself is only read); returns its version.
pub fn verify(file: &Path) -> Result<i64> {
    let dir = std::env::temp_dir().join(format!(
        "subsidy-desk-verify-{}-{}",
        std::process::id(),
        unique()
    ));
    let outcome = copy_private(file, &dir).and_then(|copy| verify_and_migrate(&copy, file));
    let _ = fs::remove_dir_all(&dir);
    outcome
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The folder a restore prepares its verified copy in, beside the database (same file system, so
/// the final rename is atomic).
fn staging_dir(db_path: &Path) -> PathBuf {
    let parent = db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    parent.join(format!(".{}-restore", stem_of(db_path)))
}

const MARKER: &str = "restore.json";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Marker {
    restored_from: PathBuf,
    previous_saved_as: Option<PathBuf>,
    damaged_moved_to: Option<PathBuf>,
}

/// Finishes a restore that was interrupted after its copy had been verified, or clears the
/// remains of one interrupted before (which had changed nothing). Returns a message for the person
/// when there was something to finish.
pub(crate) fn recover_interrupted(db_path: &Path) -> Result<Option<String>> {
    let staging = staging_dir(db_path);
    if !staging.exists() {
        return Ok(None);
    }
    let marker = fs::read(staging.join(MARKER))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Marker>(&bytes).ok());
    let candidate = staging.join("candidate.sqlite");
    let Some(marker) = marker else {
        // Interrupted while the backup was being checked: the live database was never touched.
        let _ = fs::remove_dir_all(&staging);
        return Ok(None);
    };
    if candidate.exists() {
        swap_in(&candidate, db_path)?;
    }
    let _ = fs::remove_dir_all(&staging);
    let mut note = format!(
        "上次用“{}”恢复数据库时程序被中断，已在本次打开时完成恢复。",
        marker.restored_from.display()
    );
    if let Some(prev) = &marker.previous_saved_as {
        note.push_str(&format!("恢复前的数据库另存为“{}”。", prev.display()));
    }
    if let Some(aside) = &marker.damaged_moved_to {
        note.push_str(&format!("损坏的数据库另存为“{}”。", aside.display()));
    }
    Ok(Some(note))
}

/// Puts the verified copy in place of the live database: its stale WAL files go first (the live
/// database's content is already saved), then one rename.
fn swap_in(candidate: &Path, db_path: &Path) -> Result<()> {
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", db_path.display()));
        if side.exists() {
            fs::remove_file(&side).map_err(|e| {
                StoreError::Backup(format!(
                    "无法删除“{}”（{}）；请关闭正在使用该数据库的程序后重试",
                    side.display(),
                    io_message(&e)
                ))
            })?;
        }
    }
    fs::rename(candidate, db_path).map_err(|e| {
        StoreError::Backup(format!(
            "无法替换“{}”（{}）；请关闭正在使用该数据库的程序后重试",
            db_path.display(),
            io_message(&e)
        ))
    })?;
    if let Some(parent) = db_path.parent() {
        sync_dir(parent);
    }
    Ok(())
}

/// Replaces the database at `db_path` with the backup `file`. The backup is checked completely on
/// a private copy first; the database is changed only once the copy is sound, and then in one
/// atomic step. A sound current database is first backed up; a damaged one is kept beside it as
/// `.damaged-<time>`, never deleted. Backups are pruned afterwards, never the one restored from.
pub fn restore(db_path: &Path, file: &Path, options: &OpenOptions) -> Result<RestoreReport> {
    if same_file(db_path, file) {
        return Err(StoreError::BadBackup {
            path: file.to_path_buf(),
            reason: "这就是当前正在使用的数据库".into(),
        });
    }
    recover_interrupted(db_path)?;
    let staging = staging_dir(db_path);
    let _ = fs::remove_dir_all(&staging);
    let outcome = restore_via(&staging, db_path, file, options);
    let _ = fs::remove_dir_all(&staging);
    let (previous_saved_as, damaged_moved_to) = outcome?;
    // Reopening migrates nothing (the copy was migrated) and proves the result opens.
    let store = Store::open(db_path, options)?;
    let backup_dir = options.backup_dir_for(db_path);
    let mut spare: Vec<&Path> = vec![file];
    if let Some(prev) = &previous_saved_as {
        spare.push(prev);
    }
    let pruned = prune(&backup_dir, db_path, options.keep_backups, &spare);
    Ok(RestoreReport {
        restored_from: file.to_path_buf(),
        previous_saved_as,
        damaged_moved_to,
        schema_version: store.schema_version()?,
        pruned,
    })
}

type Saved = (Option<PathBuf>, Option<PathBuf>);

fn restore_via(
    staging: &Path,
    db_path: &Path,
    file: &Path,
    options: &OpenOptions,
) -> Result<Saved> {
    let candidate = copy_private(file, staging)?;
    verify_and_migrate(&candidate, file)?;

    let mut previous_saved_as = None;
    let mut damaged_moved_to = None;
    let db_has_content = fs::metadata(db_path).map(|m| m.len() > 0).unwrap_or(false);
    if db_has_content {
        match Store::open_as_is(db_path, &options.without_daily_backup()) {
            Ok(current) => {
                previous_saved_as = Some(current.backup_unpruned(&BackupLabel::BeforeRestore)?);
                current.close_to_single_file()?;
            }
            Err(StoreError::Damaged { .. }) => {
                damaged_moved_to = Some(copy_aside(db_path, options.now)?);
            }
            Err(other) => return Err(other),
        }
    }
    let marker = Marker {
        restored_from: file.to_path_buf(),
        previous_saved_as: previous_saved_as.clone(),
        damaged_moved_to: damaged_moved_to.clone(),
    };
    write_atomically(
        &staging.join(MARKER),
        &serde_json::to_vec(&marker).unwrap_or_default(),
    )?;
    swap_in(&candidate, db_path)?;
    Ok((previous_saved_as, damaged_moved_to))
}

impl Store {
    /// A backup the program takes by itself before a change that replaces data (none in memory),
    /// kept under the store's keep policy.
    pub(crate) fn automatic_backup(
        &self,
        label: &BackupLabel,
        now: NaiveDateTime,
    ) -> Result<Option<PathBuf>> {
        let (Some(path), Some(dir)) = (self.path(), self.backup_dir()) else {
            return Ok(None);
        };
        write(&self.conn, path, dir, label, now, Some(self.keep_backups)).map(Some)
    }

    /// A backup that prunes nothing (before a restore: pruning waits until the restore is done).
    fn backup_unpruned(&self, label: &BackupLabel) -> Result<PathBuf> {
        let (Some(path), Some(dir)) = (self.path(), self.backup_dir()) else {
            return Err(StoreError::Backup("内存数据库不能备份".into()));
        };
        write(&self.conn, path, dir, label, self.opened_at, None)
    }

    /// Checkpoints the WAL into the file and leaves WAL mode, which needs every other connection
    /// closed: a database another program has open is not replaced under it.
    fn close_to_single_file(self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(StoreError::from)?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => in_use(),
                _ => StoreError::from(e),
            })?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(in_use());
        }
        Ok(())
    }
}

fn in_use() -> StoreError {
    StoreError::Backup(
        "数据库正被其他程序使用（如另一个打开的扶持资金案件台窗口或命令），不能在其使用时恢复；请关闭后重试。当前数据库未作改动".into(),
    )
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| {
        StoreError::Backup(format!(
            "无法写入“{}”（{}）",
            path.display(),
            io_message(&e)
        ))
    };
    {
        use std::io::Write;
        let mut f = fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    fs::rename(&tmp, path).map_err(io)?;
    if let Some(parent) = path.parent() {
        sync_dir(parent);
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Copies a damaged database (and its WAL files) aside as `<name>.damaged-<time>`; the copy, not
/// a move, so the live path is never without a file.
fn copy_aside(db_path: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut aside = PathBuf::from(format!("{}.damaged-{stamp}", db_path.display()));
    let mut n = 2;
    while aside.exists() {
        aside = PathBuf::from(format!("{}.damaged-{stamp}-{n}", db_path.display()));
        n += 1;
    }
    let failed = |e: std::io::Error| {
        StoreError::Backup(format!(
            "无法保留损坏的数据库“{}”的副本（{}）；恢复未进行",
            db_path.display(),
            io_message(&e)
        ))
    };
    fs::copy(db_path, &aside).map_err(failed)?;
    sync_file(&aside);
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", db_path.display()));
        if side.exists() {
            let to = PathBuf::from(format!("{}{ext}", aside.display()));
            fs::copy(&side, &to).map_err(failed)?;
            sync_file(&to);
        }
    }
    Ok(aside)
}

fn sync_file(path: &Path) {
    if let Ok(f) = fs::File::open(path) {
        let _ = f.sync_all();
    }
}

/// Makes a rename durable (POSIX; Windows has no directory handles to sync).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("time")
    }

    #[test]
    fn names_read_back_with_their_time_and_sequence() {
        let t = at("2026-03-02 10:00:00");
        let migration = BackupLabel::BeforeMigration { from: 1, to: 4 };
        for (name, seq, label) in [
            ("db-20260302-100000.sqlite", 1, BackupLabel::Manual),
            ("db-20260302-100000-2.sqlite", 2, BackupLabel::Manual),
            ("db-20260302-100000-10.sqlite", 10, BackupLabel::Manual),
            (
                "db-20260302-100000-3-before-restore.sqlite",
                3,
                BackupLabel::BeforeRestore,
            ),
            (
                "db-20260302-100000-before-restore.sqlite",
                1,
                BackupLabel::BeforeRestore,
            ),
            (
                "db-20260302-100000-before-restore-12.sqlite",
                12,
                BackupLabel::BeforeRestore,
            ),
            (
                "db-20260302-100000-before-v1-to-v4.sqlite",
                1,
                migration.clone(),
            ),
            (
                "db-20260302-100000-2-before-v1-to-v4.sqlite",
                2,
                migration.clone(),
            ),
            ("db-20260302-100000-daily.sqlite", 1, BackupLabel::Daily),
            (
                "db-20260302-100000-4-before-resubmission.sqlite",
                4,
                BackupLabel::BeforeResubmission,
            ),
        ] {
            assert_eq!(parse_name("db", name), Some((t, seq, label)), "{name}");
        }
        for not_ours in [
            "db-20260302-100000.sqlite.partial",
            "other-20260302-100000.sqlite",
            "db-2026030-100000.sqlite",
            "db.sqlite",
        ] {
            assert_eq!(parse_name("db", not_ours), None, "{not_ours}");
        }
    }
}
