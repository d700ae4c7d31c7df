//! desk-store's integration tests, one binary split by topic (as ripgrep does).

mod backup_restore;
mod common;
mod crash;
mod open;
mod properties;
mod record_changes;
mod records;
mod safety;
mod v1_fixture;
mod writers;
