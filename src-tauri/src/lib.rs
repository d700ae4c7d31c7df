//! The desktop shell of Subsidy Desk (扶持资金案件台): one window, one database handle, and the
//! commands the Vue interface calls.
//!
//! Owns: the window, the native dialogs, events to the UI, the clock and the database's location.
//! Must not know: any business rule. Every command calls a use case of `desk-api` (or a view of
//! `desk_api::views`) and only maps its errors to `{code, message}`.

mod commands;
mod dialogs;
mod state;

use std::path::PathBuf;
use std::time::Instant;

use state::Desk;

/// The database: `SUBSIDY_DESK_DB`, else the per-user data folder (as the command line).
fn db_path() -> PathBuf {
    std::env::var_os("SUBSIDY_DESK_DB")
        .map(PathBuf::from)
        .unwrap_or_else(desk_store::default_db_path)
}

pub fn run() {
    let started = Instant::now();
    let test_dir = std::env::var_os("SUBSIDY_DESK_E2E_DIR").map(PathBuf::from);
    let desk = Desk::open(db_path(), test_dir, started);
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(desk)
        .invoke_handler(tauri::generate_handler![
            commands::database_path,
            commands::create_database,
            commands::app_info,
            commands::ui_ready,
            commands::choices,
            commands::load_demo,
            commands::dashboard,
            commands::list_cases,
            commands::case_view,
            commands::compute_case,
            commands::approve_item,
            commands::set_item_request,
            commands::refuse_unit,
            commands::move_case,
            commands::pick_workbooks,
            commands::check_workbooks,
            commands::import_workbooks,
            commands::save_marked_copy,
            commands::print_correction,
            commands::templates,
            commands::save_template,
            commands::print_approval,
            commands::print_notice,
            commands::print_batch,
            commands::save_ledger,
            commands::enterprises,
            commands::platforms,
            commands::check_credit_code,
            commands::add_enterprise,
            commands::add_platform,
            commands::backups,
            commands::backup_now,
            commands::pick_backup_file,
            commands::restore_backup,
            commands::parameters,
            commands::set_parameter,
            commands::group_caps,
            commands::open_path,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => eprintln!("扶持资金案件台无法启动：{e}"),
    }
}
