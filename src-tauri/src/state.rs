//! The one database handle the app keeps, the folders it writes into, and the clock (read here, at
//! the edge, and handed to the domain).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::{Local, NaiveDate, NaiveDateTime};
use desk_api::views::ErrorView;
use desk_store::{Editor, OpenOptions, Store};

/// What the commands share. The store is the reason instead when the database could not be opened
/// (missing on the first run, damaged, newer than this program); every command then answers with
/// that reason, and its code (`db_missing`) lets the first screen offer to create the database.
pub struct Desk {
    pub db_path: PathBuf,
    /// What a background job has to tell the person (the day's backup failed).
    notices: Arc<Mutex<Vec<String>>>,
    store: Mutex<Result<Store, ErrorView>>,
    /// The name of the person at the keyboard, when no officer is set in the database.
    pub user: String,
    /// Set by the end-to-end tests: dialogs answer from this folder instead of asking a person.
    pub test_dir: Option<PathBuf>,
    pub started: Instant,
}

pub type Reply<T> = Result<T, ErrorView>;

pub fn fail(code: &str, message: impl Into<String>) -> ErrorView {
    ErrorView {
        code: code.into(),
        message: message.into(),
    }
}

impl Desk {
    pub fn open(db_path: PathBuf, test_dir: Option<PathBuf>, started: Instant) -> Self {
        let mut options = open_options();
        options.daily_backup = false; // taken beside the window instead, below
        let store = Store::open(&db_path, &options).map_err(ErrorView::from);
        let notices = Arc::new(Mutex::new(Vec::new()));
        if store.is_ok() {
            let (path, told) = (db_path.clone(), Arc::clone(&notices));
            std::thread::spawn(move || {
                if let Err(e) = desk_store::backup::daily_backup(&path, &open_options()) {
                    told.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(format!("今日的自动备份未能完成：{e}"));
                }
            });
        }
        Desk {
            notices,
            db_path,
            store: Mutex::new(store),
            user: default_user(),
            test_dir,
            started,
        }
    }

    /// The store, or the reason it is not open.
    pub fn store(&self) -> Reply<StoreGuard<'_>> {
        let guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(reason) = &*guard {
            return Err(reason.clone());
        }
        Ok(StoreGuard(guard))
    }

    /// Creates the database on the first run, once the person has agreed (the first screen asks);
    /// an open database is left as it is.
    pub fn create_database(&self) -> Reply<()> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_err() {
            *guard = Store::create(&self.db_path, &open_options()).map_err(ErrorView::from);
        }
        match &*guard {
            Ok(_) => Ok(()),
            Err(reason) => Err(reason.clone()),
        }
    }

    /// Closes the database, lets `replace` change the file, and opens it again.
    pub fn reopen_after(&self, replace: impl FnOnce(&Path) -> Reply<String>) -> Reply<String> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        *guard = Err(fail("db_unavailable", "数据库正在恢复")); // drops the open connection first
        let outcome = replace(&self.db_path);
        *guard = Store::open(&self.db_path, &open_options()).map_err(ErrorView::from);
        if let Err(reason) = &*guard {
            return Err(reason.clone());
        }
        outcome
    }

    /// What opening the database and the jobs beside it have to tell the person, each once.
    pub fn take_notices(&self, store: &mut Store) -> Vec<String> {
        let mut all = store.take_notices();
        all.append(&mut self.notices.lock().unwrap_or_else(|p| p.into_inner()));
        all
    }

    pub fn editor(&self, store: &Store) -> Editor {
        let name =
            desk_api::views::officer(store, &self.user).unwrap_or_else(|_| self.user.clone());
        Editor::new(name, now())
    }

    /// Where printed documents go: a folder beside the database.
    pub fn output_dir(&self) -> PathBuf {
        self.db_path
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("打印输出")
    }
}

/// How the app opens its database: named to a command line that has to wait for it.
pub fn open_options() -> OpenOptions {
    OpenOptions::new(now()).program("桌面程序（扶持资金案件台窗口）")
}

/// The store behind the lock, for the length of one command.
pub struct StoreGuard<'a>(MutexGuard<'a, Result<Store, ErrorView>>);

impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match &*self.0 {
            Ok(store) => store,
            Err(_) => unreachable!("checked in Desk::store"),
        }
    }
}

impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        match &mut *self.0 {
            Ok(store) => store,
            Err(_) => unreachable!("checked in Desk::store"),
        }
    }
}

pub fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

pub fn today() -> NaiveDate {
    now().date()
}

fn default_user() -> String {
    std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "未署名".into())
}
