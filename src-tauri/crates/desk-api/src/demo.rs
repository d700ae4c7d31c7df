//! The demo bureau: fills a new or empty database from `fixtures/demo/bureau.json` (embedded in
//! the binary), so a newcomer sees enterprises of many towns, platforms of both programmes and
//! cases of several years at every stage. Used by `subsidy-desk demo` and the desktop app.
//!
//! Every case goes through the real workflow (受理 → 核查 → 复核 → 审批 → 拨付) under the demo
//! officers' names, with the dates of the fixture, so its audit trail reads like a real one.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use desk_policy::money::round_to_cents;
use desk_policy::{ClauseId, CreditCode, Money, PlatformCategory, PlatformLevel, Programme, Town};
use desk_store::{CaseStatus, Editor, Grade, NewCase, NewEnterprise, NewItem, NewPlatform, Store};
use serde::Deserialize;

use crate::ApiError;

const BUREAU: &str = include_str!("../../../../fixtures/demo/bureau.json");
/// The demo's case officer: the desktop app signs in as this officer after loading the demo.
pub const DEMO_OFFICER: &str = "陈晓敏";
/// zs-iip-2021 clause 8's rate as the demo bureau set it, from 2021-01-01.
pub const DEMO_RATE_8: &str = "0.10";

#[derive(Debug, Deserialize)]
struct Bureau {
    officers: Officers,
    enterprises: Vec<DemoEnterprise>,
    platforms: Vec<DemoPlatform>,
    cases: Vec<DemoCase>,
}

#[derive(Debug, Deserialize)]
struct Officers {
    #[serde(rename = "复核人")]
    reviewer: String,
    #[serde(rename = "审批人")]
    approver: String,
}

#[derive(Debug, Deserialize)]
struct DemoEnterprise {
    credit_code: CreditCode,
    name: String,
    town: Town,
    address: String,
    contact_person: String,
    contact_phone: String,
}

#[derive(Debug, Deserialize)]
struct DemoPlatform {
    enterprise: CreditCode,
    programme: Programme,
    name: String,
    category: Option<PlatformCategory>,
    level: Option<PlatformLevel>,
    recognized_on: NaiveDate,
    paid_in_capital: Option<Money>,
    fiscal_paid_in_capital: Option<Money>,
    #[serde(default)]
    relocated_hq: bool,
    system_live_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
struct DemoCase {
    /// Index into `platforms`.
    platform: usize,
    year: i32,
    batch: String,
    officer: String,
    received_on: NaiveDate,
    status: CaseStatus,
    items: Vec<DemoItem>,
    payment: Option<DemoPayment>,
}

#[derive(Debug, Deserialize)]
struct DemoItem {
    clause: String,
    units: serde_json::Value,
    declared_amount: Money,
    /// The share of the computed ceiling the officer approves (1 when absent), with the reason.
    approve_share: Option<Money>,
    #[serde(default)]
    reason: String,
}

/// The case's approved total is paid on this date.
#[derive(Debug, Deserialize)]
struct DemoPayment {
    paid_on: NaiveDate,
    voucher_no: String,
}

/// What the demo put in the database.
#[derive(Debug, Default, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DemoSummary {
    pub enterprises: usize,
    pub towns: usize,
    pub platforms: BTreeMap<String, usize>,
    pub cases: usize,
    pub cases_by_status: BTreeMap<String, usize>,
    pub years: (i32, i32),
    #[ts(type = "string")]
    pub approved_total: Money,
}

/// Loads the embedded bureau into `store`, which must hold no cases.
pub fn load(store: &mut Store) -> Result<DemoSummary, ApiError> {
    let existing = store.case_count()?;
    if existing > 0 {
        return Err(ApiError::Invalid(format!(
            "数据库中已有 {existing} 个案件，演示数据只装入新建或空的数据库，以免与真实案件混在一起"
        )));
    }
    let bureau: Bureau = serde_json::from_str(BUREAU)
        .map_err(|e| ApiError::Invalid(format!("演示数据文件有误：{e}")))?;
    let clerk = |name: &str, day: NaiveDate, hour: u32| {
        Editor::new(
            name,
            NaiveDateTime::new(
                day,
                NaiveTime::from_hms_opt(hour, 30, 0).unwrap_or_default(),
            ),
        )
    };
    let mut summary = DemoSummary::default();
    let mut towns = BTreeSet::new();
    for e in &bureau.enterprises {
        towns.insert(e.town);
        if store.enterprise_by_code(&e.credit_code)?.is_some() {
            continue;
        }
        let new = NewEnterprise {
            credit_code: e.credit_code.clone(),
            name: e.name.clone(),
            town: e.town,
            address: e.address.clone(),
            contact_person: e.contact_person.clone(),
            contact_phone: e.contact_phone.clone(),
        };
        store.add_enterprise(
            &new,
            &clerk(
                "系统管理员",
                NaiveDate::from_ymd_opt(2018, 6, 1).unwrap_or_default(),
                9,
            ),
        )?;
        summary.enterprises += 1;
    }
    summary.towns = towns.len();

    // zs-iip-2021 八 leaves its rate to the bureau ("一定比例"); a bureau that takes clause 8's
    // applications has set it, so the demo's has too, through the settings' own path.
    let rate_from = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default();
    crate::parameters::set_parameter(
        store,
        Programme::ZsIip2021,
        "8.rate",
        rate_from,
        DEMO_RATE_8,
        "演示数据：本局设定的园区数字化基础设施补助比例（虚构，非真实文件）",
        &clerk("系统管理员", rate_from, 9),
    )?;

    let mut platform_ids = Vec::new();
    for p in &bureau.platforms {
        let grade = match (p.category, p.level) {
            (Some(c), _) => Grade::Category(c),
            (None, Some(l)) => Grade::Level(l),
            (None, None) => {
                return Err(ApiError::Invalid(format!(
                    "演示平台“{}”没有类别或级别",
                    p.name
                )));
            }
        };
        let new = NewPlatform {
            enterprise: p.enterprise.clone(),
            programme: p.programme,
            name: p.name.clone(),
            grade,
            recognized_on: p.recognized_on,
            paid_in_capital: p.paid_in_capital,
            fiscal_paid_in_capital: p.fiscal_paid_in_capital,
            relocated_hq: p.relocated_hq,
            system_live_on: p.system_live_on,
        };
        let created = store.add_platform(&new, &clerk("系统管理员", p.recognized_on, 10))?;
        platform_ids.push((created.id, created.programme));
        *summary
            .platforms
            .entry(p.programme.short_title().to_string())
            .or_default() += 1;
    }

    let (mut first_year, mut last_year) = (i32::MAX, i32::MIN);
    for c in &bureau.cases {
        let (platform_id, programme) = *platform_ids
            .get(c.platform)
            .ok_or_else(|| ApiError::Invalid(format!("演示案件指向不存在的平台 {}", c.platform)))?;
        let approved = run_case(store, &bureau.officers, platform_id, programme, c, &clerk)?;
        summary.cases += 1;
        *summary
            .cases_by_status
            .entry(c.status.label().to_string())
            .or_default() += 1;
        first_year = first_year.min(c.year);
        last_year = last_year.max(c.year);
        summary.approved_total += approved;
    }
    summary.years = (first_year, last_year);
    Ok(summary)
}

/// Takes one case from 受理 to its fixture status, as the officers would; returns what was approved.
fn run_case(
    store: &mut Store,
    officers: &Officers,
    platform_id: i64,
    programme: Programme,
    c: &DemoCase,
    clerk: &dyn Fn(&str, NaiveDate, u32) -> Editor,
) -> Result<Money, ApiError> {
    let day = |n: u64| {
        c.received_on
            .checked_add_days(Days::new(n))
            .unwrap_or(c.received_on)
    };
    let officer = |n: u64| clerk(&c.officer, day(n), 9);
    let items = c
        .items
        .iter()
        .map(|item| {
            Ok(NewItem::new(
                ClauseId::parse(programme, &item.clause).map_err(ApiError::Invalid)?,
                &item.units,
                Some(item.declared_amount),
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let case = store.new_case(
        &NewCase {
            platform_id,
            year: c.year,
            batch: c.batch.clone(),
            officer: c.officer.clone(),
            received_on: c.received_on,
            status: CaseStatus::Received,
        },
        &items,
        &officer(0),
    )?;
    use CaseStatus::*;
    match c.status {
        Received => return Ok(Money::ZERO),
        Returned => {
            store.set_case_status(case.id, Returned, &officer(2))?;
            return Ok(Money::ZERO);
        }
        _ => {}
    }
    store.set_case_status(case.id, Verifying, &officer(3))?;
    crate::compute_case(store, case.id, &officer(3))?;
    match c.status {
        Verifying => return Ok(Money::ZERO),
        Rejected => {
            store.set_case_status(case.id, Rejected, &officer(5))?;
            return Ok(Money::ZERO);
        }
        _ => {}
    }
    for (item, stored) in c.items.iter().zip(store.items(case.id)?) {
        let ceiling = stored.ceiling.unwrap_or_default();
        let share = item.approve_share.unwrap_or(Money::ONE);
        let amount = round_to_cents(ceiling * share).min(ceiling);
        let reason = if amount < ceiling {
            item.reason.as_str()
        } else {
            ""
        };
        crate::approve_item(store, case.id, stored.id, amount, reason, &officer(7))?;
    }
    store.set_case_status(case.id, Reviewing, &officer(7))?;
    store.set_case_status(case.id, Approving, &clerk(&officers.reviewer, day(12), 15))?;
    if c.status == Approving {
        return Ok(Money::ZERO);
    }
    let approved =
        store.set_case_status(case.id, Approved, &clerk(&officers.approver, day(20), 16))?;
    if let Some(pay) = &c.payment
        && approved.approved_total > Money::ZERO
    {
        store.record_payment(
            case.id,
            approved.approved_total,
            pay.paid_on,
            &pay.voucher_no,
            &clerk("财务科", pay.paid_on, 11),
        )?;
    }
    Ok(approved.approved_total)
}
