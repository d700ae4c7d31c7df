//! The native file dialogs and the system viewer. Under the end-to-end tests
//! (`SUBSIDY_DESK_E2E_DIR`), no person is there to answer a dialog: the answers come from that
//! folder instead (`pick.txt` lists the files to "choose"; saves go into the folder; opened files
//! are listed in `opened.txt`), so the tests still click the real buttons.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::state::Desk;

/// Asks for one or more files with the given extensions; empty when cancelled.
pub fn pick_files(
    app: &AppHandle,
    desk: &Desk,
    title: &str,
    kind: &str,
    ext: &[&str],
) -> Vec<PathBuf> {
    if let Some(dir) = &desk.test_dir {
        return std::fs::read_to_string(dir.join("pick.txt"))
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(kind, ext)
        .blocking_pick_files()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect()
}

/// Asks where to save `suggested`; `None` when cancelled.
pub fn save_as(
    app: &AppHandle,
    desk: &Desk,
    title: &str,
    suggested: &str,
    kind: &str,
    ext: &[&str],
) -> Option<PathBuf> {
    if let Some(dir) = &desk.test_dir {
        return Some(dir.join(suggested));
    }
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested)
        .add_filter(kind, ext)
        .blocking_save_file()
        .and_then(|f| f.into_path().ok())
}

/// Opens a document in the system's viewer (or a folder in the file manager). Returns whether it
/// could; a laptop without a PDF viewer still has the file on disk.
pub fn open(app: &AppHandle, desk: &Desk, path: &Path) -> bool {
    if let Some(dir) = &desk.test_dir {
        let line = format!("{}\n", path.display());
        return std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("opened.txt"))
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .is_ok();
    }
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .is_ok()
}
