//! Opening the case database: the checks before anything is written, the pragmas, and migration.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::backup::{self, BackupLabel};
use crate::error::{Result, StoreError};
use crate::schema::{self, APPLICATION_ID, LATEST_VERSION};

/// How long a writer waits for another one (the desktop app and a command line on the same file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How a database is opened. `now` names backups; the store never reads the clock itself.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Where backups go; by default `backups/` beside the database file.
    pub backup_dir: Option<PathBuf>,
    /// How many backups to keep; older ones are deleted after a new one is written.
    pub keep_backups: usize,
    pub now: NaiveDateTime,
}

impl OpenOptions {
    pub fn new(now: NaiveDateTime) -> Self {
        Self {
            backup_dir: None,
            keep_backups: 20,
            now,
        }
    }

    pub(crate) fn backup_dir_for(&self, db_path: &Path) -> PathBuf {
        self.backup_dir.clone().unwrap_or_else(|| {
            db_path
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join("backups")
        })
    }
}

/// The case database: one connection, every change in a transaction.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    backup_dir: Option<PathBuf>,
}

/// How the connection is set up (for `check` and tests).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConnectionSettings {
    pub journal_mode: String,
    /// 2 = FULL.
    pub synchronous: String,
    pub foreign_keys: bool,
    pub busy_timeout_ms: u64,
}

/// What an existing file turned out to be, read before anything is written to it.
struct Probe {
    user_version: i64,
    application_id: i64,
    table_count: i64,
}

/// The per-user data folder (`%APPDATA%\\SubsidyDesk` on Windows, `~/.local/share/SubsidyDesk` on
/// Linux), where the database lives unless `--db` or `SUBSIDY_DESK_DB` says otherwise.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("SubsidyDesk")
        .join("subsidy-desk.sqlite")
}

impl Store {
    /// Opens (creating if need be) the database at `path`, checks it, backs it up if it needs
    /// migrating, and migrates it. A database newer than this program, another program's file or a
    /// damaged file is refused and left exactly as it was.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Store> {
        let backup_dir = options.backup_dir_for(path);
        let existed = fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: format!("无法创建文件夹“{}”：{e}", parent.display()),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;

        let damaged = |detail: String| StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
            latest_backup: backup::latest(&backup_dir, path),
        };
        let probe = probe(&conn).map_err(|e| classify(e, &damaged))?;
        if probe.application_id != APPLICATION_ID
            && (probe.application_id != 0 || probe.table_count > 0)
        {
            return Err(StoreError::NotOurDatabase {
                path: path.to_path_buf(),
                detail: format!("文件标识为 {:#x}", probe.application_id),
            });
        }
        if probe.user_version > LATEST_VERSION {
            return Err(StoreError::NewerThanProgram {
                path: path.to_path_buf(),
                found: probe.user_version,
                supported: LATEST_VERSION,
            });
        }
        let problems = run_check(&conn, "quick_check").map_err(|e| classify(e, &damaged))?;
        if !problems.is_empty() {
            return Err(damaged(problems.join("；")));
        }

        set_pragmas(&conn)?;
        let mut pre_migration_backup = None;
        if existed && probe.user_version > 0 && probe.user_version < LATEST_VERSION {
            let label = BackupLabel::BeforeMigration {
                from: probe.user_version,
                to: LATEST_VERSION,
            };
            pre_migration_backup = Some(backup::write(
                &conn,
                path,
                &backup_dir,
                &label,
                options.now,
                options.keep_backups,
            )?);
        }
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::MigrationFailed {
                detail: e.to_string(),
                backup: pre_migration_backup,
            })?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            backup_dir: Some(backup_dir),
        })
    }

    /// A fresh database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::MigrationFailed {
                detail: e.to_string(),
                backup: None,
            })?;
        Ok(Store {
            conn,
            path: None,
            backup_dir: None,
        })
    }

    /// The database file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn backup_dir(&self) -> Option<&Path> {
        self.backup_dir.as_deref()
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The connection's journal mode, synchronous level, foreign-key enforcement and busy timeout.
    pub fn connection_settings(&self) -> Result<ConnectionSettings> {
        let get = |pragma: &str| {
            self.conn.query_row(&format!("PRAGMA {pragma}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
        };
        let text = |v: rusqlite::types::Value| match v {
            rusqlite::types::Value::Text(t) => t,
            rusqlite::types::Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        };
        Ok(ConnectionSettings {
            journal_mode: text(get("journal_mode")?),
            synchronous: text(get("synchronous")?),
            foreign_keys: text(get("foreign_keys")?) == "1",
            busy_timeout_ms: text(get("busy_timeout")?).parse().unwrap_or_default(),
        })
    }

    /// The full `PRAGMA integrity_check`, a foreign-key check, and a check that every case's kept
    /// totals equal the sum of its items: empty when the database is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = run_check(&self.conn, "integrity_check")?;
        if !problems.is_empty() {
            return Ok(problems);
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let orphans = stmt.query_map([], |r| {
            Ok(format!(
                "表 {} 第 {} 行引用了不存在的记录",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?
            ))
        })?;
        problems.extend(orphans.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare(
            "SELECT c.case_no FROM cases c LEFT JOIN (
                 SELECT case_id, count(*) AS n, coalesce(sum(declared_cents), 0) AS d,
                        coalesce(sum(ceiling_cents), 0) AS ce, coalesce(sum(approved_cents), 0) AS a
                 FROM case_items GROUP BY case_id) i ON i.case_id = c.id
             WHERE c.item_count <> coalesce(i.n, 0) OR c.total_declared_cents <> coalesce(i.d, 0)
                OR c.total_ceiling_cents <> coalesce(i.ce, 0) OR c.total_approved_cents <> coalesce(i.a, 0)",
        )?;
        let mismatched = stmt.query_map([], |r| {
            Ok(format!(
                "案件 {} 的金额合计与其项目不一致",
                r.get::<_, String>(0)?
            ))
        })?;
        problems.extend(mismatched.collect::<rusqlite::Result<Vec<_>>>()?);
        Ok(problems)
    }
}

impl Drop for Store {
    /// SQLite's advice for long-lived databases: refresh the planner's statistics on close, so the
    /// case list keeps its indexes as the bureau's data grows.
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

fn probe(conn: &Connection) -> rusqlite::Result<Probe> {
    Ok(Probe {
        user_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        application_id: conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
        table_count: conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?,
    })
}

/// Runs `quick_check` or `integrity_check`; returns the problems found (none: the file is sound).
pub(crate) fn run_check(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn set_pragmas(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::CannotOpen {
            path: PathBuf::new(),
            detail: format!("无法启用 WAL 日志模式（当前为 {mode}）"),
        });
    }
    // FULL: a confirmed approval must survive a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// A file that is not a database or whose pages are broken is "damaged"; anything else stays an
/// SQLite error.
fn classify(e: rusqlite::Error, damaged: &dyn Fn(String) -> StoreError) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => damaged("文件不是有效的数据库".into()),
        Some(ErrorCode::DatabaseCorrupt) => damaged("数据页损坏".into()),
        _ => StoreError::Sqlite(e),
    }
}
