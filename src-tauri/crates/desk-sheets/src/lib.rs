//! Excel: the submission templates the bureau publishes, the import of filled submissions with
//! cell-level feedback, marked-up copies for correction, and ledger workbooks.
//!
//! Owns: workbook layout (sheets, headers, dropdowns, formats) and the reading of cells as people
//! fill them in Excel and WPS. Templates are derived from the policy catalog, so a template column
//! and a calculator field cannot drift apart.
//!
//! Must not know: SQLite, the command line, Tauri; money rules (the calculator checks the case file
//! this crate builds, and its problems are mapped back to cells).

pub mod cells;
pub mod fill;
#[doc(hidden)]
pub mod hostile;
mod inplace;
pub mod labels;
mod lean;
pub mod ledger;
pub mod marked;
pub mod package;
pub mod read;
pub mod template;

pub use marked::marked_copy;
pub use read::{
    Applicant, CellError, ReadError, Seen, Submission, SubmittedItem, TypedSubmission,
    read_submission, read_typed,
};
pub use template::TemplateSpec;

/// The SHA-256 of a file's bytes, in hex: how the same submission is recognised twice.
/// The workbook formats the importer reads (the lean reader .xlsx/.xlsm, calamine .xls and .ods),
/// in the one order every face names them: the command line's help and messages, the app's file
/// dialog and its page.
pub const FORMATS: [&str; 4] = [".xlsx", ".xlsm", ".xls", ".ods"];

/// ".xlsx、.xlsm、.xls、.ods", as a message names them.
pub fn formats_text() -> String {
    FORMATS.join("、")
}

/// Whether a file's name ends in one of [`FORMATS`] (any case).
pub fn is_workbook_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    FORMATS
        .iter()
        .any(|f| lower.ends_with(f) && lower.len() > f.len())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
