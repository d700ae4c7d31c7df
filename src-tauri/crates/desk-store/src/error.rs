//! What can go wrong with the case database, in words an officer can act on.

use std::path::PathBuf;

/// A store failure. `Display` is the Chinese message shown to people; each says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库文件“{path}”已损坏（{detail}）。{}", restore_hint(.latest_backup))]
    Damaged {
        path: PathBuf,
        detail: String,
        latest_backup: Option<PathBuf>,
    },
    #[error(
        "数据库“{path}”的版本（v{found}）比本程序支持的版本（v{supported}）新，请升级扶持资金案件台后再打开；数据库未作任何改动。"
    )]
    NewerThanProgram {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("“{path}”不是扶持资金案件台的数据库（{detail}），未作任何改动。")]
    NotOurDatabase { path: PathBuf, detail: String },
    #[error("无法打开数据库“{path}”：{detail}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error(
        "数据库文件“{path}”不存在，未作任何改动。新建数据库请运行 subsidy-desk init（可用 --db 指定位置）；若文件已移动，请用 --db 或 SUBSIDY_DESK_DB 指向它。"
    )]
    Missing { path: PathBuf },
    #[error(
        "数据库文件“{path}”是空的（0 字节），不是可用的数据库，未作任何改动。若要在此新建，请运行 subsidy-desk init；若它本应有数据，请用备份恢复（subsidy-desk restore）。"
    )]
    Empty { path: PathBuf },
    #[error("数据库正被另一程序写入{}，已等待 {waited_secs} 秒仍未轮到；请等它完成后再试。本次未写入任何内容。", holder_text(.holder))]
    Busy {
        /// The program that last began writing, as it described itself.
        holder: Option<String>,
        waited_secs: u64,
    },
    #[error("数据库升级失败（{detail}），已回滚，数据库保持原样。升级前的备份：{}", .backup.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "无".into()))]
    MigrationFailed {
        detail: String,
        backup: Option<PathBuf>,
    },
    #[error("备份失败：{0}")]
    Backup(String),
    #[error("备份文件“{path}”不能用于恢复：{reason}。当前数据库未作任何改动。")]
    BadBackup { path: PathBuf, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A workbook's facts differ from the record and the officer has not chosen what to do.
    #[error("申报表与登记信息不一致（{} 处），请选择以申报表更正登记信息或按登记信息计算：{}", .0.len(), crate::records::listed(.0))]
    RecordDiffers(Vec<crate::records::RecordDifference>),
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
}

fn holder_text(holder: &Option<String>) -> String {
    match holder {
        Some(h) => format!("（{h}）"),
        None => "（可能是另一个扶持资金案件台窗口、命令或其他打开此数据库的软件）".into(),
    }
}

/// What an SQLite failure means for the person, in Chinese; SQLite's own English never reaches them.
pub fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    if let rusqlite::Error::FromSqlConversionFailure(column, _, inner) = e {
        let inner = inner.to_string();
        let detail = if inner.chars().any(is_cjk) {
            format!("：{inner}")
        } else {
            String::new()
        };
        return format!(
            "数据库中第 {} 列的数据无法读取{detail}；请运行 subsidy-desk check 检查数据库",
            column + 1
        );
    }
    let Some(code) = e.sqlite_error_code() else {
        return "读取数据库时出错（数据与程序不符）；请运行 subsidy-desk check 检查数据库，或联系技术支持".into();
    };
    match code {
        C::DatabaseBusy | C::DatabaseLocked => {
            "数据库正被另一程序占用，等待后仍未释放；请稍后再试，本次未写入任何内容".into()
        }
        C::ReadOnly => "数据库文件不能写入（文件为只读，或所在文件夹没有写入权限）；请检查文件属性和权限后重试，本次未写入任何内容".into(),
        C::DiskFull => "磁盘空间已满，无法写入数据库；请清理磁盘后重试，本次未写入任何内容".into(),
        C::CannotOpen => "无法打开数据库文件（路径不存在、没有访问权限或文件被占用）；请检查路径和权限".into(),
        C::SystemIoFailure => "读写数据库文件时发生磁盘错误（磁盘可能已满，或磁盘、U 盘、网络驱动器出现故障）；请检查磁盘空间和连接后重试，本次未写入任何内容".into(),
        C::DatabaseCorrupt | C::NotADatabase => {
            "数据库文件已损坏或不是数据库；请运行 subsidy-desk check，并用最近的备份恢复".into()
        }
        C::ConstraintViolation => {
            "数据不符合数据库的约束条件（如核定金额超过上限、必填项为空），未写入".into()
        }
        C::TooBig => "数据过大，超过数据库的限制，未写入".into(),
        C::OutOfMemory => "内存不足，数据库操作未完成".into(),
        C::PermissionDenied => "没有访问数据库文件的权限；请检查文件权限".into(),
        C::FileLockingProtocolFailed => {
            "数据库文件加锁失败（网络驱动器上的数据库不受支持）；请把数据库放在本机磁盘上".into()
        }
        C::SchemaChanged => "数据库结构在操作中被改变；请重试".into(),
        C::OperationInterrupted => "数据库操作被中断，未完成".into(),
        _ => {
            let extended = match e {
                rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
                _ => 0,
            };
            format!("数据库内部错误（代码 {extended}），操作未完成；请联系技术支持")
        }
    }
}

/// A failed migration in Chinese: which step, and SQLite's reason in words (never its SQL).
pub(crate) fn migration_message(e: &rusqlite_migration::Error) -> String {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => sqlite_message(err),
        rusqlite_migration::Error::ForeignKeyCheck(rows) => {
            format!("升级后有 {} 行引用了不存在的记录", rows.len())
        }
        _ => "升级步骤未能完成".into(),
    }
}

/// What an `io::Error` means, in Chinese, by its kind (the system's English text is not shown).
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::AlreadyExists => "已存在同名文件".into(),
        K::StorageFull => "磁盘空间已满".into(),
        K::ReadOnlyFilesystem => "所在磁盘为只读".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "路径中有一段不是文件夹".into(),
        K::DirectoryNotEmpty => "文件夹不是空的".into(),
        K::InvalidFilename => "文件名无效或过长".into(),
        K::ResourceBusy => "文件正被其他程序使用".into(),
        K::CrossesDevices => "不能跨磁盘移动".into(),
        K::Interrupted => "操作被中断".into(),
        K::OutOfMemory => "内存不足".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("系统错误（代码 {code}）"),
            None => "读写文件时出错".into(),
        },
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn restore_hint(latest: &Option<PathBuf>) -> String {
    match latest {
        Some(path) => format!(
            "最近的备份是“{}”，可用 subsidy-desk restore \"{}\" 恢复。",
            path.display(),
            path.display()
        ),
        None => "没有找到备份，请联系管理员。".to_string(),
    }
}

impl StoreError {
    /// A stable code for machines (the UI, `--json`), beside the Chinese message.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Damaged { .. } => "db_damaged",
            StoreError::NewerThanProgram { .. } => "db_too_new",
            StoreError::NotOurDatabase { .. } => "db_foreign",
            StoreError::CannotOpen { .. } => "db_cannot_open",
            StoreError::Missing { .. } => "db_missing",
            StoreError::Empty { .. } => "db_empty",
            StoreError::Busy { .. } => "db_busy",
            StoreError::MigrationFailed { .. } => "db_migration_failed",
            StoreError::Backup(_) => "backup_failed",
            StoreError::BadBackup { .. } => "bad_backup",
            StoreError::Invalid(_) => "invalid",
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::RecordDiffers(_) => "record_differs",
            StoreError::Sqlite(_) => "sqlite",
        }
    }

    /// Whether the caller's input was at fault (the command line exits 2), not the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::Invalid(_)
                | StoreError::NotFound(_)
                | StoreError::Conflict(_)
                | StoreError::RecordDiffers(_)
                | StoreError::Missing { .. }
                | StoreError::Empty { .. }
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
