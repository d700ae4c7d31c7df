//! The schema's migrations. Additive only: a released migration is never edited, a new one is appended.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every Subsidy Desk database ('SDSK').
pub const APPLICATION_ID: i64 = 0x5344_534B;

const STEPS: &[&str] = &[
    include_str!("../migrations/001_initial.sql"),
    include_str!("../migrations/002_history_obligations_indexes.sql"),
    include_str!("../migrations/003_bureau_settings.sql"),
    include_str!("../migrations/004_case_search_index.sql"),
    include_str!("../migrations/005_approval_within_request.sql"),
    include_str!("../migrations/006_history_projects.sql"),
    include_str!("../migrations/007_bureau_validity.sql"),
    include_str!("../migrations/008_accounts_signoffs.sql"),
];

/// The schema version this program writes and understands.
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(
        STEPS
            .iter()
            .map(|sql| M::up(sql).foreign_key_check())
            .collect(),
    )
}

/// Only the first `version` migrations: to build old-schema databases in tests.
pub fn migrations_up_to(version: usize) -> Migrations<'static> {
    Migrations::new(
        STEPS[..version]
            .iter()
            .map(|sql| M::up(sql).foreign_key_check())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_validate() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn each_prefix_validates_too() {
        for v in 1..=STEPS.len() {
            assert!(
                migrations_up_to(v).validate().is_ok(),
                "first {v} migrations"
            );
        }
    }
}
