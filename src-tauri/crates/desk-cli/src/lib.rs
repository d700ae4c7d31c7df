//! The `subsidy-desk` command line: every workflow of the bureau without a window, for scripts,
//! batch work and tests.
//!
//! Owns: argument parsing, reading the clock and the user's name (passed into the domain), turning
//! typed text into domain values with messages that name the field, and printing (tables for
//! people, `--json` for machines).
//!
//! Must not know: SQL, file formats or business rules; those live in `desk-store` and `desk-policy`
//! (and later `desk-api`). Exit status: 0 done, 2 bad input (nothing written), 1 anything else.

pub mod cli;
pub mod commands;
pub mod context;
pub mod demo;
pub mod input;
pub mod output;
pub mod paths;
pub mod usage;

pub use cli::Cli;
pub use context::{CliError, run};
