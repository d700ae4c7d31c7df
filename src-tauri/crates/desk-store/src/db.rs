//! Opening the case database: the checks before anything is written, the pragmas, and migration.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::backup::{self, BackupLabel};
use crate::error::{Result, StoreError, io_message, migration_message, sqlite_message};
use crate::schema::{self, LATEST_VERSION};

/// How long a writer waits for another one (the desktop app and a command line on the same file):
/// far longer than any real import (~40 ms for a 10,000-row workbook) or restore takes.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// How a database is opened. `now` names backups; the store never reads the clock itself.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Where backups go; by default `backups/` beside the database file.
    pub backup_dir: Option<PathBuf>,
    /// How many backups to keep; older ones are deleted after a new one is written.
    pub keep_backups: usize,
    pub now: NaiveDateTime,
    /// How long to wait for another program's write before giving up with [`StoreError::Busy`].
    pub busy_timeout: Duration,
    /// Take a backup at the first use of a day (on by default).
    pub daily_backup: bool,
    /// How this program names itself to another that has to wait for it ("桌面程序", "命令行 import").
    pub program: String,
}

impl OpenOptions {
    pub fn new(now: NaiveDateTime) -> Self {
        Self {
            backup_dir: None,
            keep_backups: backup::KEEP_BACKUPS,
            now,
            busy_timeout: BUSY_TIMEOUT,
            daily_backup: true,
            program: "扶持资金案件台".into(),
        }
    }

    /// The same options, naming the program to others that wait for it.
    pub fn program(mut self, name: impl Into<String>) -> Self {
        self.program = name.into();
        self
    }

    pub(crate) fn without_daily_backup(&self) -> Self {
        Self {
            daily_backup: false,
            ..self.clone()
        }
    }

    pub(crate) fn backup_dir_for(&self, db_path: &Path) -> PathBuf {
        self.backup_dir.clone().unwrap_or_else(|| {
            db_path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
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
    pub(crate) opened_at: NaiveDateTime,
    /// Written beside the database by each write transaction, read by a writer that must wait.
    writer_note: Option<(PathBuf, String)>,
    /// Opened only to be inspected (`check`): nothing is written, not even on close.
    inspect_only: bool,
    busy_timeout: Duration,
    pub(crate) keep_backups: usize,
    notices: Vec<String>,
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
}

/// The per-user data folder (`%APPDATA%\\SubsidyDesk` on Windows, `~/.local/share/SubsidyDesk` on
/// Linux), where the database lives unless `--db` or `SUBSIDY_DESK_DB` says otherwise.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("SubsidyDesk")
        .join("subsidy-desk.sqlite")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A new database may be made (`init`, the app's first run once the person agreed).
    Create,
    /// An existing database, for work.
    Write,
    /// An existing database, only looked at.
    Inspect,
}

impl Store {
    /// Creates the database at `path` (and its folder) if there is none, or opens the one there:
    /// `subsidy-desk init`, and the app's first run once the person has agreed. A zero-length file
    /// is initialised; anything else is opened as by [`Store::open`].
    pub fn create(path: &Path, options: &OpenOptions) -> Result<Store> {
        let blank = fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true);
        if !blank {
            return Store::open(path, options);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: format!("无法创建文件夹“{}”（{}）", parent.display(), io_message(&e)),
            })?;
        }
        open_file(path, options, Mode::Create)
    }

    /// Opens the existing database at `path`, checks it, finishes a restore that was interrupted,
    /// backs it up if it needs migrating (and at the first use of a day), and migrates it. A
    /// missing or empty file, a database newer than this program, another program's file or a
    /// damaged file is refused and left exactly as it was.
    pub fn open(path: &Path, options: &OpenOptions) -> Result<Store> {
        let recovered = backup::recover_interrupted(path)?;
        let mut store = Store::open_as_is(path, options)?;
        store.notices.splice(0..0, recovered);
        Ok(store)
    }

    /// `open`, leaving a restore in progress alone (the restore itself opens the live database).
    pub(crate) fn open_as_is(path: &Path, options: &OpenOptions) -> Result<Store> {
        require_file(path)?;
        open_file(path, options, Mode::Write)
    }

    /// Opens the existing database at `path` only to look at it (`subsidy-desk check`): no
    /// migration, no backup, no journal-mode change, nothing written. An older schema is opened
    /// as it is.
    pub fn open_to_inspect(path: &Path, options: &OpenOptions) -> Result<Store> {
        require_file(path)?;
        open_file(path, options, Mode::Inspect)
    }

    /// A fresh database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrations()
            .to_latest(&mut conn)
            .map_err(|e| StoreError::MigrationFailed {
                detail: migration_message(&e),
                backup: None,
            })?;
        Ok(Store {
            conn,
            path: None,
            backup_dir: None,
            opened_at: NaiveDateTime::default(),
            writer_note: None,
            inspect_only: false,
            busy_timeout: BUSY_TIMEOUT,
            keep_backups: backup::KEEP_BACKUPS,
            notices: Vec::new(),
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
        let mut problems: Vec<String> = run_check(&self.conn, "integrity_check")?
            .iter()
            .map(|raw| describe_integrity(raw))
            .collect();
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
        if self.schema_version()? >= 2 {
            problems.extend(totals_mismatch(&self.conn)?);
        }
        Ok(problems)
    }
}

/// What each table holds, in the words an officer knows.
fn table_words(name: &str) -> String {
    let words = match name {
        "enterprises" => "企业",
        "platforms" => "平台认定",
        "cases" => "案件",
        "case_items" => "申报项目",
        "payments" => "拨付记录",
        "obligations" => "承诺事项",
        "audit_log" => "审计日志",
        "app_settings" => "程序设置",
        "bureau_parameters" => "政策参数",
        "bureau_validity" => "政策有效期设定",
        _ => return format!("数据表（{name}）"),
    };
    format!("{words}表")
}

/// One line of SQLite's `integrity_check`, in words: which table or index, and what is wrong.
pub(crate) fn describe_integrity(raw: &str) -> String {
    let after = |marker: &str| {
        raw.split_once(marker).map(|(_, rest)| {
            let name = rest.split_whitespace().next().unwrap_or("");
            table_words(name.split('.').next().unwrap_or(name))
        })
    };
    if let Some(table) = after("CHECK constraint failed in ") {
        format!("{table}中有不符合数据库约束的数据（可能被绕过本程序改动过）")
    } else if let Some(column) = after("NULL value in ") {
        format!("{column}中有必填的值为空")
    } else if let Some(index) = after("missing from index ").or_else(|| after("entries in index "))
    {
        format!("{index}的索引与数据不一致")
    } else {
        "数据页损坏".to_string()
    }
}

/// The cases whose kept totals differ from the sum of their items.
pub(crate) fn totals_mismatch(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
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
    mismatched.collect()
}

impl Drop for Store {
    /// SQLite's advice for long-lived databases: refresh the planner's statistics on close, so the
    /// case list keeps its indexes as the bureau's data grows.
    fn drop(&mut self) {
        if self.inspect_only {
            return;
        }
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

fn require_file(path: &Path) -> Result<()> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            detail: "这是一个文件夹，不是数据库文件".into(),
        }),
        Ok(m) if m.len() == 0 => Err(StoreError::Empty {
            path: path.to_path_buf(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Missing {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            detail: io_message(&e),
        }),
    }
}

fn open_file(path: &Path, options: &OpenOptions, mode: Mode) -> Result<Store> {
    let backup_dir = options.backup_dir_for(path);
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == Mode::Create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let cannot_open = |e: rusqlite::Error| StoreError::CannotOpen {
        path: path.to_path_buf(),
        detail: sqlite_message(&e),
    };
    let conn = Connection::open_with_flags(path, flags).map_err(cannot_open)?;
    conn.busy_timeout(options.busy_timeout)?;

    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
        latest_backup: backup::latest(&backup_dir, path),
    };
    let probe = probe(&conn).map_err(|e| classify(e, &damaged))?;
    if let Some(detail) = backup::foreign_reason(&conn, probe.application_id, probe.user_version)
        .map_err(|e| classify(e, &damaged))?
    {
        return Err(StoreError::NotOurDatabase {
            path: path.to_path_buf(),
            detail,
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
    let mut store = Store {
        conn,
        path: Some(path.to_path_buf()),
        backup_dir: Some(backup_dir),
        opened_at: options.now,
        writer_note: Some((
            PathBuf::from(format!("{}.writer", path.display())),
            format!("{}，进程 {}", options.program, std::process::id()),
        )),
        inspect_only: mode == Mode::Inspect,
        busy_timeout: options.busy_timeout,
        keep_backups: options.keep_backups,
        notices: Vec::new(),
    };
    if mode == Mode::Inspect {
        store.conn.pragma_update(None, "query_only", "ON")?;
        return Ok(store);
    }
    set_pragmas(&store.conn)?;
    let blank = probe.user_version == 0;
    let mut pre_migration_backup = None;
    if !blank && probe.user_version < LATEST_VERSION {
        let label = BackupLabel::BeforeMigration {
            from: probe.user_version,
            to: LATEST_VERSION,
        };
        pre_migration_backup = Some(backup::write(
            &store.conn,
            path,
            store.backup_dir.as_deref().unwrap_or(Path::new(".")),
            &label,
            options.now,
            Some(options.keep_backups),
        )?);
    }
    schema::migrations()
        .to_latest(&mut store.conn)
        .map_err(|e| StoreError::MigrationFailed {
            detail: migration_message(&e),
            backup: pre_migration_backup.clone(),
        })?;
    if options.daily_backup && !blank && pre_migration_backup.is_none() {
        store.daily_backup(options);
    }
    Ok(store)
}

impl Store {
    /// The first use of a day backs the database up (when it holds anything); a failure is told,
    /// not fatal: the work of the day can go on.
    fn daily_backup(&mut self, options: &OpenOptions) {
        let (Some(path), Some(dir)) = (self.path.clone(), self.backup_dir.clone()) else {
            return;
        };
        if let Err(e) = backup::daily(&self.conn, &path, &dir, options) {
            self.notices.push(format!("今日的自动备份未能完成：{e}"));
        }
    }

    /// What the person should be told about this opening (an interrupted restore finished, a daily
    /// backup that failed), each told once: taking them empties the list.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Begins a write transaction, waiting (up to the busy timeout) for any other writer first:
    /// `BEGIN IMMEDIATE`, so a transaction never fails half-way for want of the lock.
    pub(crate) fn write_tx(&mut self) -> Result<WriteTx<'_>> {
        let waited = self.busy_timeout.as_secs();
        let tx = match self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) if is_busy(&e) => {
                let holder = self
                    .writer_note
                    .as_ref()
                    .and_then(|(note, _)| fs::read_to_string(note).ok())
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty());
                return Err(StoreError::Busy {
                    holder,
                    waited_secs: waited,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let note = self
            .writer_note
            .as_ref()
            .and_then(|(note, me)| fs::write(note, me).ok().map(|()| note.clone()));
        Ok(WriteTx {
            tx,
            _note: NoteGuard(note),
        })
    }
}

/// A write transaction that holds the database's write lock.
pub(crate) struct WriteTx<'a> {
    tx: Transaction<'a>,
    _note: NoteGuard,
}

impl<'a> std::ops::Deref for WriteTx<'a> {
    type Target = Transaction<'a>;
    fn deref(&self) -> &Transaction<'a> {
        &self.tx
    }
}

impl WriteTx<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        let WriteTx { tx, _note } = self;
        tx.commit()?;
        Ok(())
    }
}

/// Removes the writer's note when its transaction ends, committed or not.
struct NoteGuard(Option<PathBuf>);

impl Drop for NoteGuard {
    fn drop(&mut self) {
        if let Some(note) = &self.0 {
            let _ = fs::remove_file(note);
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn probe(conn: &Connection) -> rusqlite::Result<Probe> {
    Ok(Probe {
        user_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
        application_id: conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
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
