//! Reading the store's column conventions back into domain types.

use chrono::NaiveDate;
use desk_policy::{CreditCode, Money, Programme, Town, money};
use rusqlite::Row;
use rusqlite::types::{FromSqlError, Type};

pub(crate) const DATE: &str = "%Y-%m-%d";

fn conversion(idx: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        Box::new(FromSqlError::Other(msg.into())),
    )
}

pub(crate) fn date(r: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(idx)?;
    NaiveDate::parse_from_str(&text, DATE).map_err(|e| conversion(idx, format!("{text}: {e}")))
}

pub(crate) fn date_opt(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => date(r, idx).map(Some),
    }
}

pub(crate) fn money(r: &Row<'_>, idx: usize) -> rusqlite::Result<Money> {
    Ok(money::from_cents(r.get(idx)?))
}

pub(crate) fn money_opt(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Money>> {
    Ok(r.get::<_, Option<i64>>(idx)?.map(money::from_cents))
}

pub(crate) fn credit_code(r: &Row<'_>, idx: usize) -> rusqlite::Result<CreditCode> {
    let text: String = r.get(idx)?;
    CreditCode::parse(&text).map_err(|e| conversion(idx, e.to_string()))
}

pub(crate) fn town(r: &Row<'_>, idx: usize) -> rusqlite::Result<Town> {
    Town::parse(&r.get::<_, String>(idx)?).map_err(|e| conversion(idx, e))
}

pub(crate) fn programme(r: &Row<'_>, idx: usize) -> rusqlite::Result<Programme> {
    Programme::parse(&r.get::<_, String>(idx)?).map_err(|e| conversion(idx, e))
}

pub(crate) fn json_opt(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| conversion(idx, e.to_string())),
    }
}

pub(crate) fn format_date(d: NaiveDate) -> String {
    d.format(DATE).to_string()
}
