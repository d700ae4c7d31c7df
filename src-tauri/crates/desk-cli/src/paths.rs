//! Paths as the officer gave them. A path is kept as a `Path` (on Linux any bytes, on Windows any
//! UTF-16) from the command line to the file system; only what is shown or written into `--json` is
//! text, where a part that is not valid Unicode becomes "�".

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::context::{CliError, default_db_path};

/// A path as text for messages and `--json` (lossy: never fails).
pub fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Refuses, before anything is done, a database path that is not valid Unicode for the commands
/// that would otherwise fail half-way on it: `init`, `backup`, `restore` and `check` write the
/// database's path (and the backups beside it) into their answer as text. Every other command
/// accepts such a path.
/// (Once `commands/maintenance.rs` writes its paths with [`text`], this can go.)
pub fn refuse_unwritable_paths(cli: &Cli) -> Result<(), CliError> {
    let maintenance = matches!(
        cli.command,
        Command::Init | Command::Backup { .. } | Command::Restore { .. } | Command::Check
    );
    if !maintenance {
        return Ok(());
    }
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    not_unicode("数据库文件（--db）", &db)?;
    if let Command::Restore { file } = &cli.command {
        not_unicode("备份文件", file)?;
    }
    Ok(())
}

fn not_unicode(what: &str, path: &Path) -> Result<(), CliError> {
    if path.to_str().is_some() {
        return Ok(());
    }
    Err(CliError::Input(format!(
        "{what}的路径“{}”中有无法识别的字符（显示为“�”），init、backup、restore、check 暂不能处理这样的路径：\
         请把文件或其所在文件夹改用常见的中文、英文或数字名称后再试",
        text(path)
    )))
}
