//! A folder of submissions, as both faces import it: the workbooks in it and in its subfolders
//! (hidden folders and Office's lock files `~$…` left out), and the words for what became of them.

use std::path::{Path, PathBuf};

use crate::files::{FileTask, io_message};
use crate::import::ImportReport;

/// The workbooks named, each folder replaced by the workbooks in it and its subfolders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// In the order given; a folder's workbooks sorted by path.
    pub files: Vec<PathBuf>,
    /// Folders looked into (the ones named and their subfolders).
    pub folders: usize,
    /// Hidden folders (and files) left out: `.git`, `.Trash`, a folder hidden on Windows.
    pub hidden: usize,
    /// Office's lock files (`~$申报表.xlsx`) left out: they are not workbooks.
    pub locks: usize,
    /// Subfolders the system refused to list, each with its message; the others are read.
    pub unreadable: Vec<String>,
}

impl Found {
    /// "在 3 个文件夹中找到 5 个申报表（已跳过隐藏文件夹 1 个、Office 临时锁定文件 1 个）", or
    /// None when no folder was named.
    pub fn summary(&self) -> Option<String> {
        if self.folders == 0 {
            return None;
        }
        let mut skipped = Vec::new();
        if self.hidden > 0 {
            skipped.push(format!("隐藏的文件或文件夹 {} 个", self.hidden));
        }
        if self.locks > 0 {
            skipped.push(format!("Office 临时锁定文件（~$ 开头）{} 个", self.locks));
        }
        if !self.unreadable.is_empty() {
            skipped.push(format!("无法打开的文件夹 {} 个", self.unreadable.len()));
        }
        let skipped = if skipped.is_empty() {
            String::new()
        } else {
            format!("；已跳过{}", skipped.join("、"))
        };
        Some(format!(
            "在 {} 个文件夹（含子文件夹）中找到 {} 个申报表（{}）{skipped}",
            self.folders,
            self.files.len(),
            desk_sheets::formats_text()
        ))
    }
}

fn is_hidden(path: &Path, name: &str) -> bool {
    if name.starts_with('.') {
        return true;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        const HIDDEN: u32 = 0x2;
        if let Ok(m) = std::fs::symlink_metadata(path) {
            return m.file_attributes() & HIDDEN != 0;
        }
    }
    let _ = path;
    false
}

/// The files named, with each folder replaced by the workbooks in it and in its subfolders. A
/// file named by itself is kept whatever its name (the import says what it is); inside a folder
/// only names ending in one of [`desk_sheets::FORMATS`] count. Links to folders are not followed
/// (a link back up would never end). A named folder the system refuses is an error; a subfolder
/// it refuses is noted in [`Found::unreadable`] and the rest are read.
pub fn workbooks(paths: &[PathBuf]) -> Result<Found, String> {
    let mut found = Found::default();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            walk(path, &mut found, &mut inside, true)?;
            inside.sort();
            found.files.extend(inside);
        } else {
            found.files.push(path.clone());
        }
    }
    Ok(found)
}

fn walk(
    folder: &Path,
    found: &mut Found,
    files: &mut Vec<PathBuf>,
    top: bool,
) -> Result<(), String> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            let message = io_message(FileTask::ListFolder, "文件夹", folder, &e);
            if top {
                return Err(message);
            }
            found.unreadable.push(message);
            return Ok(());
        }
    };
    found.folders += 1;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if is_hidden(&path, &name) {
            found.hidden += 1;
        } else if kind.is_dir() {
            walk(&path, found, files, false)?;
        } else if name.starts_with("~$") {
            if desk_sheets::is_workbook_name(&name) {
                found.locks += 1;
            }
        } else if desk_sheets::is_workbook_name(&name)
            && (kind.is_file() || kind.is_symlink() && path.is_file())
        {
            files.push(path);
        }
    }
    Ok(())
}

/// How many files of an import ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub files: usize,
    /// Imported (a new case or a resubmission), or checked and correct.
    pub succeeded: usize,
    /// The same workbook was already in the register: nothing was written.
    pub already: usize,
    /// Cells to correct, or not a workbook of ours: nothing was written.
    pub to_correct: usize,
    /// The database could not record it.
    pub failed: usize,
}

impl Tally {
    pub fn of(reports: &[ImportReport]) -> Self {
        use crate::ImportResult as R;
        let mut t = Tally {
            files: reports.len(),
            ..Tally::default()
        };
        for r in reports {
            match r.result {
                R::Duplicate { .. } => t.already += 1,
                R::Failed { .. } => t.failed += 1,
                R::Invalid { .. } | R::Refused { .. } => t.to_correct += 1,
                R::Created { .. } | R::Replaced { .. } | R::Checked => t.succeeded += 1,
            }
        }
        t
    }

    /// 共 5 个文件：2 个成功，1 个已导入过，2 个需要修改（and the database's failures, if any).
    pub fn summary(&self) -> String {
        let mut text = format!(
            "共 {} 个文件：{} 个成功，{} 个已导入过，{} 个需要修改",
            self.files, self.succeeded, self.already, self.to_correct
        );
        if self.failed > 0 {
            text.push_str(&format!("，{} 个因数据库出错未导入", self.failed));
        }
        text
    }
}
