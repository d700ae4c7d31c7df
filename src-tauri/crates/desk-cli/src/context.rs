//! What every command needs: the database path, the store, the operator's name and the time.
//! The clock is read here, at the edge, and passed into the store.

use std::path::PathBuf;

use chrono::{Local, NaiveDateTime};
use desk_store::{Editor, OpenOptions, Store, StoreError};

use crate::cli::{Cli, Command};
use crate::commands;

/// A failure of a command. `Display` is the Chinese message printed on stderr.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The person's input was wrong; nothing was written.
    #[error("输入有误：{0}")]
    Input(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Api(#[from] desk_api::ApiError),
    /// A case file with problems: one line per problem, each naming its JSON path.
    #[error("{0}")]
    Case(desk_policy::InputErrors),
    /// Nothing for the person to correct: the bureau must act first (set a parameter).
    #[error("{0}")]
    Bureau(String),
    #[error("{0}")]
    Other(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Case(_) => 2,
            CliError::Store(e) if e.is_bad_input() => 2,
            CliError::Store(StoreError::BadBackup { .. }) => 2,
            CliError::Api(e) if e.is_bad_input() => 2,
            _ => 1,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CliError::Input(_) => "invalid_input",
            CliError::Case(_) => "invalid_case",
            CliError::Store(e) => e.code(),
            CliError::Api(e) => e.code(),
            CliError::Bureau(_) => "for_bureau",
            CliError::Other(_) => "failed",
        }
    }
}

/// The resolved environment of one invocation.
#[derive(Debug)]
pub struct Context {
    pub db_path: PathBuf,
    pub json: bool,
    pub user: String,
    pub now: NaiveDateTime,
    /// The command being run, as another program waiting for this one is told.
    pub command: &'static str,
}

/// What opening the database has to tell the person (an interrupted restore finished, a daily
/// backup that failed) goes to stderr, so it never mixes with `--json` output.
fn tell(mut store: Store) -> Store {
    for notice in store.take_notices() {
        eprintln!("{notice}");
    }
    store
}

impl Context {
    /// The existing database; a missing one is refused with how to create it.
    pub fn open(&self) -> Result<Store, CliError> {
        Ok(tell(Store::open(&self.db_path, &self.open_options())?))
    }

    /// The database, created if there is none (`init`, `demo`).
    pub fn create(&self) -> Result<Store, CliError> {
        Ok(tell(Store::create(&self.db_path, &self.open_options())?))
    }

    /// The existing database, only to look at (`check`): nothing is written.
    pub fn inspect(&self) -> Result<Store, CliError> {
        Ok(Store::open_to_inspect(&self.db_path, &self.open_options())?)
    }

    pub fn open_options(&self) -> OpenOptions {
        OpenOptions::new(self.now).program(format!("命令行 subsidy-desk {}", self.command))
    }

    pub fn editor(&self) -> Editor {
        Editor::new(self.user.clone(), self.now)
    }
}

pub use desk_store::default_db_path;

fn default_user() -> String {
    std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "未署名".into())
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Context {
        db_path: cli.db.clone().unwrap_or_else(default_db_path),
        json: cli.json,
        user: cli
            .user
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(default_user),
        now: Local::now().naive_local(),
        command: cli.command.name(),
    };
    match cli.command {
        Command::Init => commands::maintenance::init(&ctx),
        Command::Enterprise(cmd) => commands::enterprise::run(&ctx, cmd),
        Command::Platform(cmd) => commands::platform::run(&ctx, cmd),
        Command::Case(cmd) => commands::case::run(&ctx, cmd),
        Command::Backup { keep } => commands::maintenance::backup(&ctx, keep),
        Command::Restore { file } => commands::maintenance::restore(&ctx, &file),
        Command::Check => commands::maintenance::check(&ctx),
        Command::Demo => crate::demo::run(&ctx),
        Command::Calc {
            file,
            explain,
            what_if,
        } => commands::calc::calc(&ctx, &file, explain, &what_if),
        Command::CheckPilot { file } => commands::calc::check_pilot(&ctx, &file),
        Command::Template {
            programme,
            clauses,
            out,
        } => commands::sheets::template(&ctx, &programme, &clauses, &out),
        Command::Import {
            files,
            dry_run,
            print_case,
            errors_out,
            update_record,
            keep_record,
        } => {
            let record = match (update_record, keep_record) {
                (true, _) => desk_store::RecordChoice::Update,
                (_, true) => desk_store::RecordChoice::Keep,
                _ => desk_store::RecordChoice::Unchosen,
            };
            commands::sheets::import(
                &ctx,
                &files,
                dry_run,
                print_case,
                errors_out.as_deref(),
                record,
            )
        }
        Command::Ledger {
            year,
            programme,
            town,
            out,
        } => commands::sheets::ledger(&ctx, year, programme.as_deref(), town.as_deref(), &out),
        Command::Print { case, batch, out } => {
            commands::case::print(&ctx, case.as_deref(), batch.as_deref(), &out)
        }
        Command::Notice {
            kind,
            case,
            file,
            out,
        } => commands::case::notice(&ctx, &kind, case.as_deref(), file.as_deref(), &out),
        Command::Parameter(cmd) => commands::parameter::run(&ctx, cmd),
        Command::Policy { programme, clause } => {
            commands::calc::policy(&ctx, programme.as_deref(), clause.as_deref())
        }
    }
}
