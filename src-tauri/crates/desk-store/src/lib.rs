//! The case database: SQLite schema and migrations, the repositories of enterprises, platform
//! recognitions, cases, items and payments, the append-only audit log, backups and restore, and the
//! queries the calculator (platform history) and the ledger (year totals) need.
//!
//! Owns: the file on disk and every byte in it. Every change is one transaction that also writes
//! its audit entry; money is stored as whole cents (分) and read back as `desk_policy::Money`.
//!
//! Must not know: the command line, Tauri, Excel, PDF, or how a ceiling is calculated. It never
//! reads the clock: times come in with the [`Editor`] and [`OpenOptions`].

mod audit;
pub mod backup;
mod cases;
mod db;
mod enterprises;
mod error;
mod history;
mod imports;
mod ledger;
mod model;
mod platforms;
mod records;
pub mod schema;
mod settings;
mod sql;

pub use backup::{BackupLabel, RestoreReport};
pub use cases::MAX_SEARCH_CHARS;
pub use db::{ConnectionSettings, OpenOptions, Store, default_db_path};
pub use error::{Result, StoreError};
pub use imports::{ImportOutcome, ImportedCase};
pub use model::*;
pub use records::listed as records_listed;
pub use records::{
    CORRECTED_FROM_WORKBOOK, Fact, RecordChoice, RecordDifference, RecordField, RecordMatch,
};
pub use settings::{BureauValidity, BureauValue};
