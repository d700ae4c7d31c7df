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
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
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
            StoreError::MigrationFailed { .. } => "db_migration_failed",
            StoreError::Backup(_) => "backup_failed",
            StoreError::BadBackup { .. } => "bad_backup",
            StoreError::Invalid(_) => "invalid",
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::Sqlite(_) => "sqlite",
        }
    }

    /// Whether the caller's input was at fault (the command line exits 2), not the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Conflict(_)
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
