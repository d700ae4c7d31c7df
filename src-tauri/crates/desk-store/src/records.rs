//! A workbook's 基本信息 against the record: the enterprise and the platform it is for, each fact
//! that differs (names compared by `desk_policy::text::same_text`, so a full-width bracket or a
//! space is not a difference), and the officer's choice, carried out in the import's transaction.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use desk_policy::text::same_text;
use desk_policy::{Money, Town, money};
use rusqlite::{Connection, OptionalExtension, params};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::imports::ImportedCase;
use crate::model::{Editor, Enterprise, Grade, NewEnterprise, Platform, cents};
use crate::{audit, sql};

/// What the officer decided for a workbook whose facts differ from the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordChoice {
    /// Not asked yet: a workbook with differences is refused with their list.
    #[default]
    Unchosen,
    /// 以申报表更正登记信息: the record takes the workbook's facts (audited, "申报表更正").
    Update,
    /// 按登记信息计算: the record stays, and the case is computed on it.
    Keep,
}

/// A fact of the record a workbook restates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordField {
    EnterpriseName,
    Town,
    Address,
    ContactPerson,
    ContactPhone,
    PlatformName,
    Grade,
    RecognizedOn,
    PaidInCapital,
    FiscalPaidInCapital,
    RelocatedHq,
    SystemLiveOn,
}

impl RecordField {
    /// The field as 基本信息 names it.
    pub fn label(self) -> &'static str {
        match self {
            RecordField::EnterpriseName => "企业名称",
            RecordField::Town => "所在镇街",
            RecordField::Address => "地址",
            RecordField::ContactPerson => "联系人",
            RecordField::ContactPhone => "联系电话",
            RecordField::PlatformName => "平台名称",
            RecordField::Grade => "平台类别/级别",
            RecordField::RecognizedOn => "认定日期",
            RecordField::PaidInCapital => "实缴注册资本",
            RecordField::FiscalPaidInCapital => "财政资金实缴出资",
            RecordField::RelocatedHq => "总部迁入",
            RecordField::SystemLiveOn => "系统上线日期",
        }
    }
}

/// A fact's value, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Text(String),
    Town(Town),
    Grade(Grade),
    Date(Option<NaiveDate>),
    Money(Option<Money>),
    Yes(bool),
}

impl Fact {
    /// Whether the workbook states what the record holds: texts by `same_text` (width and
    /// spaces aside), everything else exactly.
    pub fn same_as(&self, other: &Fact) -> bool {
        match (self, other) {
            (Fact::Text(a), Fact::Text(b)) => same_text(a, b),
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Text(t) if t.is_empty() => f.write_str("（未填）"),
            Fact::Text(t) => f.write_str(&desk_policy::text::brief(t)),
            Fact::Town(t) => f.write_str(t.name()),
            Fact::Grade(g) => f.write_str(&g.label()),
            Fact::Date(Some(d)) => write!(f, "{}年{}月{}日", d.year(), d.month(), d.day()),
            Fact::Money(Some(m)) => write!(f, "{} 元", money::format_grouped(*m)),
            Fact::Date(None) | Fact::Money(None) => f.write_str("（未填）"),
            Fact::Yes(true) => f.write_str("是"),
            Fact::Yes(false) => f.write_str("否"),
        }
    }
}

/// One fact the workbook states otherwise than the record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDifference {
    pub field: RecordField,
    pub record: Fact,
    pub workbook: Fact,
}

impl fmt::Display for RecordDifference {
    /// "平台名称：登记为“…”，申报表为“…”".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}：登记为“{}”，申报表为“{}”",
            self.field.label(),
            self.record,
            self.workbook
        )
    }
}

impl Serialize for RecordDifference {
    /// `{field, label, record, workbook}`: the field's id and name, each value as it is shown.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RecordDifference", 4)?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("label", self.field.label())?;
        st.serialize_field("record", &self.record.to_string())?;
        st.serialize_field("workbook", &self.workbook.to_string())?;
        st.end()
    }
}

/// The differences one per line ("\n  平台名称：登记为…"), as a message lists them after its colon.
pub fn listed(differences: &[RecordDifference]) -> String {
    differences.iter().map(|d| format!("\n  {d}")).collect()
}

/// The record a workbook is for, and what it states otherwise.
#[derive(Debug, Clone, Default)]
pub struct RecordMatch {
    /// The enterprise of the workbook's credit code, if registered.
    pub enterprise: Option<Enterprise>,
    /// The enterprise's platform of the programme the workbook is for: the one of the same name
    /// (compared by `same_text`), or else its only one. None: the import registers it.
    pub platform: Option<Platform>,
    pub differences: Vec<RecordDifference>,
}

/// The record of `imported` read on `conn` (the store's connection, or the import's transaction),
/// with the facts `imported` (its texts as kept) states otherwise.
pub(crate) fn record_match(
    conn: &Connection,
    imported: &ImportedCase,
    enterprise: &NewEnterprise,
    platform_name: &str,
) -> Result<RecordMatch> {
    let Some(found) = crate::enterprises::find_by_code(conn, &enterprise.credit_code)? else {
        return Ok(RecordMatch::default());
    };
    let text = |t: &str| Fact::Text(t.to_string());
    let mut facts = vec![
        (
            RecordField::EnterpriseName,
            text(&found.name),
            text(&enterprise.name),
        ),
        (
            RecordField::Town,
            Fact::Town(found.town),
            Fact::Town(enterprise.town),
        ),
        (
            RecordField::Address,
            text(&found.address),
            text(&enterprise.address),
        ),
        (
            RecordField::ContactPerson,
            text(&found.contact_person),
            text(&enterprise.contact_person),
        ),
        (
            RecordField::ContactPhone,
            text(&found.contact_phone),
            text(&enterprise.contact_phone),
        ),
    ];
    let candidates = crate::platforms::of_enterprise(conn, found.id, imported.platform.programme)?;
    let platform = match candidates
        .iter()
        .position(|p| same_text(&p.name, platform_name))
    {
        Some(i) => Some(candidates[i].clone()),
        None if candidates.len() == 1 => candidates.into_iter().next(),
        None => None,
    };
    if let Some(p) = &platform {
        let w = &imported.platform;
        facts.extend([
            (
                RecordField::PlatformName,
                text(&p.name),
                text(platform_name),
            ),
            (
                RecordField::Grade,
                Fact::Grade(p.grade),
                Fact::Grade(w.grade),
            ),
            (
                RecordField::RecognizedOn,
                Fact::Date(Some(p.recognized_on)),
                Fact::Date(Some(w.recognized_on)),
            ),
            (
                RecordField::PaidInCapital,
                Fact::Money(p.paid_in_capital),
                Fact::Money(w.paid_in_capital),
            ),
            (
                RecordField::FiscalPaidInCapital,
                Fact::Money(p.fiscal_paid_in_capital),
                Fact::Money(w.fiscal_paid_in_capital),
            ),
            (
                RecordField::RelocatedHq,
                Fact::Yes(p.relocated_hq),
                Fact::Yes(w.relocated_hq),
            ),
            (
                RecordField::SystemLiveOn,
                Fact::Date(p.system_live_on),
                Fact::Date(w.system_live_on),
            ),
        ]);
    }
    let differences = facts
        .into_iter()
        .filter(|(_, record, workbook)| !record.same_as(workbook))
        .map(|(field, record, workbook)| RecordDifference {
            field,
            record,
            workbook,
        })
        .collect();
    Ok(RecordMatch {
        enterprise: Some(found),
        platform,
        differences,
    })
}

/// The record corrected from the workbook (以申报表更正登记信息), in the import's transaction: each
/// table's changed fields, with one audit entry each ("申报表更正", field by field old → new).
pub(crate) fn update_record(
    tx: &Connection,
    found: &RecordMatch,
    imported: &ImportedCase,
    enterprise: &NewEnterprise,
    platform_name: &str,
    editor: &Editor,
) -> Result<()> {
    let (mut before_e, mut after_e) = (serde_json::Map::new(), serde_json::Map::new());
    let (mut before_p, mut after_p) = (serde_json::Map::new(), serde_json::Map::new());
    for d in &found.differences {
        let key = serde_json::to_value(d.field)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let (before, after) = match d.field {
            RecordField::EnterpriseName
            | RecordField::Town
            | RecordField::Address
            | RecordField::ContactPerson
            | RecordField::ContactPhone => (&mut before_e, &mut after_e),
            _ => (&mut before_p, &mut after_p),
        };
        before.insert(key.clone(), d.record.to_string().into());
        after.insert(key, d.workbook.to_string().into());
    }
    if let (Some(e), false) = (&found.enterprise, after_e.is_empty()) {
        tx.execute(
            "UPDATE enterprises SET name = ?2, town = ?3, address = ?4, contact_person = ?5,
                 contact_phone = ?6 WHERE id = ?1",
            params![
                e.id,
                enterprise.name,
                enterprise.town.name(),
                enterprise.address,
                enterprise.contact_person,
                enterprise.contact_phone
            ],
        )?;
        audit_change(tx, editor, "enterprise", e.id, before_e, after_e)?;
    }
    if let (Some(p), false) = (&found.platform, after_p.is_empty()) {
        let w = &imported.platform;
        let (category, level) = match w.grade {
            Grade::Category(c) => (Some(c.number()), None),
            Grade::Level(l) => (None, Some(l.id())),
        };
        let money = |m: Option<Money>, f| m.map(|m| cents(m, f)).transpose();
        tx.execute(
            "UPDATE platforms SET name = ?2, category = ?3, level = ?4, recognized_on = ?5,
                 paid_in_capital_cents = ?6, fiscal_paid_in_capital_cents = ?7, relocated_hq = ?8,
                 system_live_on = ?9 WHERE id = ?1",
            params![
                p.id,
                platform_name,
                category,
                level,
                sql::format_date(w.recognized_on),
                money(w.paid_in_capital, "实缴注册资本")?,
                money(w.fiscal_paid_in_capital, "财政资金实缴出资")?,
                w.relocated_hq,
                w.system_live_on.map(sql::format_date),
            ],
        )?;
        audit_change(tx, editor, "platform", p.id, before_p, after_p)?;
    }
    Ok(())
}

/// The action of a correction's audit entry: the reason the record changed.
pub const CORRECTED_FROM_WORKBOOK: &str = "申报表更正";

fn audit_change(
    tx: &Connection,
    editor: &Editor,
    entity: &str,
    id: i64,
    before: serde_json::Map<String, serde_json::Value>,
    after: serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    audit::record(
        tx,
        editor,
        entity,
        id,
        CORRECTED_FROM_WORKBOOK,
        Some(&before),
        Some(&after),
    )
}

/// The case's own entry of what its import did with the differences: the record corrected, or
/// kept and the case computed on it; each difference as the officer was shown it.
pub(crate) fn audit_case_choice(
    tx: &Connection,
    editor: &Editor,
    case_id: i64,
    choice: RecordChoice,
    differences: &[RecordDifference],
) -> Result<()> {
    let action = match choice {
        RecordChoice::Update => "申报表与登记信息不一致：以申报表更正登记信息",
        RecordChoice::Keep | RecordChoice::Unchosen => "申报表与登记信息不一致：按登记信息计算",
    };
    let lines: Vec<String> = differences.iter().map(ToString::to_string).collect();
    audit::record(
        tx,
        editor,
        "case",
        case_id,
        action,
        None::<&()>,
        Some(&lines),
    )
}

/// Whether `platform_id` has an open case (草稿, 已受理, 退回补正) of `year`: the import replaces its items.
pub(crate) fn has_open_case(conn: &Connection, platform_id: i64, year: i32) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM cases WHERE platform_id = ?1 AND year = ?2
               AND status IN ('draft', 'received', 'returned') LIMIT 1",
            params![platform_id, year],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
