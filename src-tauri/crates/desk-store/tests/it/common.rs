use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use desk_policy::{ClauseId, CreditCode, PlatformCategory, PlatformLevel, Programme, Town};
use desk_store::{
    CaseRow, CaseStatus, Editor, Grade, NewCase, NewEnterprise, NewItem, NewPlatform, OpenOptions,
    Platform, Store,
};
use serde_json::json;

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("test timestamp")
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub fn editor() -> Editor {
    Editor::new("陈晓敏", at("2026-03-02 09:00:00"))
}

pub fn options() -> OpenOptions {
    OpenOptions::new(at("2026-03-02 09:00:00"))
}

/// Opens the test database, creating it if it is not there yet.
pub fn open(path: &Path) -> Store {
    Store::create(path, &options()).expect("open test database")
}

pub fn code(first17: &str) -> CreditCode {
    CreditCode::with_check_character(first17).expect("test credit code")
}

/// An enterprise as a form or a workbook gives it: code, name, town.
pub fn new_enterprise(credit_code: &CreditCode, name: &str, town: &str) -> NewEnterprise {
    NewEnterprise {
        credit_code: credit_code.clone(),
        name: name.into(),
        town: Town::parse(town).expect("town"),
        address: String::new(),
        contact_person: String::new(),
        contact_phone: String::new(),
    }
}

pub fn enterprise(store: &mut Store, first17: &str, name: &str, town: &str) -> CreditCode {
    let credit_code = code(first17);
    store
        .add_enterprise(&new_enterprise(&credit_code, name, town), &editor())
        .expect("add enterprise");
    credit_code
}

pub fn ptsp_platform(store: &mut Store, owner: &CreditCode, category: u8) -> Platform {
    store
        .add_platform(
            &NewPlatform {
                enterprise: owner.clone(),
                programme: Programme::ZsPtsp2018,
                name: format!("测试平台{category}"),
                grade: Grade::Category(PlatformCategory::new(category).expect("category")),
                recognized_on: date("2019-07-15"),
                paid_in_capital: Some("8000000".parse().expect("money")),
                fiscal_paid_in_capital: Some("0".parse().expect("money")),
                relocated_hq: false,
                system_live_on: None,
            },
            &editor(),
        )
        .expect("add platform")
}

/// A benchmark industrial-internet platform of `owner`, recognised 2021-05-10.
pub fn new_iip_platform(owner: &CreditCode) -> NewPlatform {
    NewPlatform {
        enterprise: owner.clone(),
        programme: Programme::ZsIip2021,
        name: "测试工业互联网平台".into(),
        grade: Grade::Level(PlatformLevel::Benchmark),
        recognized_on: date("2021-05-10"),
        paid_in_capital: None,
        fiscal_paid_in_capital: None,
        relocated_hq: false,
        system_live_on: None,
    }
}

pub fn iip_platform(store: &mut Store, owner: &CreditCode) -> Platform {
    store
        .add_platform(&new_iip_platform(owner), &editor())
        .expect("add platform")
}

pub fn item(programme: Programme, clause: &str, declared: &str) -> NewItem {
    NewItem {
        clause: ClauseId::parse(programme, clause).expect("clause"),
        declared_units: json!({}).to_string(),
        declared_amount: Some(declared.parse().expect("money")),
    }
}

pub fn case(store: &mut Store, platform: &Platform, year: i32, items: &[NewItem]) -> CaseRow {
    store
        .new_case(
            &NewCase {
                platform_id: platform.id,
                year,
                batch: format!("{year}年第1批"),
                officer: "陈晓敏".into(),
                received_on: date(&format!("{}-04-01", year + 1)),
                status: CaseStatus::Received,
            },
            items,
            &editor(),
        )
        .expect("new case")
}

/// A database file in a fresh temporary folder (the folder lives as long as the guard).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bureau.sqlite");
    (dir, path)
}

/// A raw connection, for tests that must look under (or behind) the store.
pub fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("raw connection")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/db")
        .join(name)
}
