//! What the desktop interface shows: one function per screen, each returning a plain struct whose
//! TypeScript twin ts-rs writes into `ui/src/bindings` (the UI never declares these shapes itself).
//!
//! The shell measures nothing and decides nothing: it calls these and passes the result on.

use chrono::{Datelike, Days, NaiveDate};
use desk_policy::{Catalog, CreditCode, Money, PlatformCategory, PlatformLevel, Programme, Town};
use desk_sheets::template::TemplateSpec;
use desk_store::{
    AuditEntry, CaseItem, CaseQuery, CaseRow, CaseStatus, LedgerTotal, Payment, Platform, Store,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::{ApiError, Result};

/// How long an officer has to settle a case from the day it was received (办理时限, calendar days).
pub const HANDLING_DAYS: u64 = 30;
/// How many of the officer's open cases the dashboard lists (the store's largest page).
pub const MY_OPEN_CASES: u32 = 500;
/// Deadlines the home page lists, nearest first.
pub const DEADLINES: usize = 20;
/// The setting that names the officer signed in on this laptop.
pub const OFFICER_SETTING: &str = "officer";

/// A closed list's entry: the value sent back and the words shown.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

fn choice(id: impl Into<String>, label: impl Into<String>) -> Choice {
    Choice {
        id: id.into(),
        label: label.into(),
    }
}

/// Everything the filters and forms offer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Choices {
    pub programmes: Vec<Choice>,
    pub towns: Vec<String>,
    pub statuses: Vec<Choice>,
    pub years: Vec<i32>,
    pub batches: Vec<String>,
    pub officers: Vec<String>,
    pub categories: Vec<Choice>,
    pub levels: Vec<Choice>,
}

pub fn choices(store: &Store) -> Result<Choices> {
    let (years, batches, officers) = store.case_filter_values()?;
    Ok(Choices {
        programmes: [Programme::ZsPtsp2018, Programme::ZsIip2021]
            .into_iter()
            .map(|p| choice(p.id(), p.short_title()))
            .collect(),
        towns: Town::all().map(|t| t.name().to_string()).collect(),
        statuses: CaseStatus::ALL
            .into_iter()
            .map(|s| choice(s.id(), s.label()))
            .collect(),
        years,
        batches,
        officers,
        categories: PlatformCategory::all()
            .map(|c| choice(c.number().to_string(), c.to_string()))
            .collect(),
        levels: [PlatformLevel::Benchmark, PlatformLevel::Municipal]
            .into_iter()
            .map(|l| choice(l.id(), l.label()))
            .collect(),
    })
}

/// The officer signed in on this laptop: the setting, or the one given by the shell.
pub fn officer(store: &Store, fallback: &str) -> Result<String> {
    Ok(store
        .setting(OFFICER_SETTING)?
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| fallback.to_string()))
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StatusCount {
    pub status: CaseStatus,
    pub label: String,
    pub count: i64,
}

/// An open case and the day it is due (received + [`HANDLING_DAYS`]).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Deadline {
    pub case: CaseRow,
    pub due_on: NaiveDate,
    /// Negative: overdue by that many days.
    pub days_left: i64,
}

/// The home page (工作台).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub year: i32,
    pub officer: String,
    pub open_by_status: Vec<StatusCount>,
    pub my_open_cases: Vec<CaseRow>,
    pub deadlines: Vec<Deadline>,
    pub totals: Vec<LedgerTotal>,
}

/// My open cases by status and by deadline, and the year's totals by programme and town.
pub fn dashboard(store: &Store, year: i32, officer: &str, today: NaiveDate) -> Result<Dashboard> {
    let mut open_by_status: Vec<StatusCount> = store
        .open_status_counts(Some(officer))?
        .into_iter()
        .filter_map(|(id, count)| {
            let status = CaseStatus::parse(&id).ok()?;
            Some(StatusCount {
                status,
                label: status.label().to_string(),
                count,
            })
        })
        .collect();
    open_by_status.sort_by_key(|s| CaseStatus::ALL.iter().position(|x| *x == s.status));
    // One query for every open status, newest received first (at most a page of 500).
    let my_open_cases = store
        .cases(&CaseQuery {
            officer: Some(officer.to_string()),
            open: true,
            page: 1,
            page_size: MY_OPEN_CASES,
            ..CaseQuery::default()
        })?
        .rows;
    // The nearest deadlines are those of the oldest cases: a query of their own, so that an officer
    // with more open cases than the list holds still sees the most overdue (drafts, which have no
    // deadline yet, are left out below; four times the list leaves room for them).
    let oldest = store
        .cases(&CaseQuery {
            officer: Some(officer.to_string()),
            open: true,
            oldest_first: true,
            page: 1,
            page_size: DEADLINES as u32 * 4,
            ..CaseQuery::default()
        })?
        .rows;
    let mut deadlines: Vec<Deadline> = oldest
        .iter()
        .filter(|c| c.status != CaseStatus::Draft)
        .map(|c| {
            let due_on = c
                .received_on
                .checked_add_days(Days::new(HANDLING_DAYS))
                .unwrap_or(c.received_on);
            Deadline {
                case: c.clone(),
                due_on,
                days_left: (due_on - today).num_days(),
            }
        })
        .collect();
    deadlines.sort_by_key(|d| (d.due_on, d.case.id));
    deadlines.truncate(DEADLINES);
    Ok(Dashboard {
        year,
        officer: officer.to_string(),
        open_by_status,
        my_open_cases,
        deadlines,
        totals: store.ledger_totals(year)?,
    })
}

/// The case list's filters, as the UI sends them (names of towns and statuses as ids).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CaseQueryArgs {
    pub programme: Option<Programme>,
    pub year: Option<i32>,
    pub batch: Option<String>,
    pub town: Option<String>,
    pub status: Option<CaseStatus>,
    pub officer: Option<String>,
    pub search: Option<String>,
    pub page: u32,
    pub page_size: u32,
}

/// One page of the case list. `elapsed_ms` is the query's time as the shell measured it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, rename = "CasePage")]
pub struct CaseListPage {
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    pub rows: Vec<CaseRow>,
    pub elapsed_ms: f64,
}

/// A town filter as the UI sends it: a name (or alias), or nothing / blank for "any town".
pub fn town_filter(text: Option<&str>) -> Result<Option<Town>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(Town::parse(t).map_err(ApiError::Invalid)?)),
        None => Ok(None),
    }
}

pub fn list_cases(store: &Store, args: &CaseQueryArgs) -> Result<CaseListPage> {
    let town = match args
        .town
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => Some(Town::parse(t).map_err(ApiError::Invalid)?),
        None => None,
    };
    let page = store.cases(&CaseQuery {
        programme: args.programme,
        year: args.year,
        batch: args.batch.clone(),
        town,
        status: args.status,
        officer: args.officer.clone(),
        open: false,
        oldest_first: false,
        search: args.search.clone(),
        page: args.page,
        page_size: args.page_size,
    })?;
    Ok(CaseListPage {
        total: page.total,
        page: page.page,
        page_size: page.page_size,
        rows: page.rows,
        elapsed_ms: 0.0,
    })
}

/// A list of declared units as a small table with Chinese headers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UnitTable {
    pub title: String,
    /// The case file's list ("contracts"), for 不予认定 of one row; None for an item's own fields.
    pub list: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per row: the officer's 不予认定 reason, if the row was refused.
    pub refused: Vec<Option<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExcludedUnit {
    pub unit: String,
    pub reason: String,
}

/// The stored explanation of an item's ceiling, as the calculator wrote it, with its units named
/// by list and row ("租赁场地第1行") instead of the case file's JSON paths.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Explanation {
    pub ceiling: String,
    pub limited_by: String,
    pub limited_by_label: String,
    pub steps: Vec<String>,
    pub excluded: Vec<ExcludedUnit>,
    /// The item's clause was computed with this earlier item (by its number).
    pub merged_into: Option<i64>,
}

/// One declared item with its clause, ceiling, explanation and decision.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ItemView {
    pub id: i64,
    pub seq: i64,
    pub clause: String,
    pub clause_title: String,
    pub citation: String,
    pub clause_text: String,
    pub units: Vec<UnitTable>,
    #[ts(type = "string | null")]
    pub declared_amount: Option<Money>,
    #[ts(type = "string | null")]
    pub ceiling: Option<Money>,
    pub explanation: Option<Explanation>,
    #[ts(type = "string | null")]
    pub approved: Option<Money>,
    pub reason: String,
    pub can_approve: bool,
    /// Units may be refused (不予认定) in 核查, 复核 and 审批.
    pub can_refuse: bool,
    /// The most it may be approved at: min(最高可补助额, 申请金额), and which bound (the approval
    /// editor proposes it and says which). None before the ceiling is computed.
    pub bound: Option<desk_store::ApprovalBound>,
    /// The item carries money but has no 申请金额 (imported before it was required): asked for
    /// before approval.
    pub needs_request: bool,
}

/// What the platform was granted before, by year and clause.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HistoryView {
    pub year: i32,
    pub clause: String,
    pub clause_title: String,
    #[ts(type = "string")]
    pub approved: Money,
}

/// The case page (案件详情).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CaseView {
    pub case: CaseRow,
    pub platform: Platform,
    pub items: Vec<ItemView>,
    pub payments: Vec<Payment>,
    pub audit: Vec<AuditEntry>,
    pub history: Vec<HistoryView>,
    pub next_statuses: Vec<Choice>,
    #[ts(type = "string")]
    pub ceiling_total: Money,
    #[ts(type = "string")]
    pub approved_total: Money,
    pub approved_total_words: String,
    /// Every item has a ceiling.
    pub computed: bool,
}

pub fn case_view(store: &Store, case_id: i64) -> Result<CaseView> {
    let catalog = Catalog::embedded();
    let detail = store.case_detail(case_id)?;
    let programme = detail.case.programme;
    let spec = TemplateSpec::new(catalog, programme, None).map_err(ApiError::Invalid)?;
    let pc = catalog.programme(programme);
    let status = detail.case.status;
    let can_approve = matches!(
        status,
        CaseStatus::Verifying | CaseStatus::Reviewing | CaseStatus::Approving
    );
    let item_seqs: Vec<i64> = detail.items.iter().map(|i| i.seq).collect();
    let items: Vec<ItemView> = detail
        .items
        .iter()
        .map(|item| {
            let clause = pc.and_then(|pc| pc.clause(&item.clause));
            ItemView {
                id: item.id,
                seq: item.seq,
                clause: item.clause.clone(),
                clause_title: catalog.clause_title(programme, &item.clause).to_string(),
                citation: clause.map(|c| c.citation.clone()).unwrap_or_default(),
                clause_text: clause.map(|c| c.text.clone()).unwrap_or_default(),
                units: unit_tables(&spec, item),
                declared_amount: item.declared_amount,
                ceiling: item.ceiling,
                explanation: item
                    .explanation
                    .as_ref()
                    .map(|e| explanation(e, &item_seqs)),
                approved: item.approved,
                reason: item.reason.clone(),
                can_approve: can_approve && item.ceiling.is_some(),
                can_refuse: can_approve,
                bound: item
                    .ceiling
                    .map(|c| desk_store::approval_bound(c, item.declared_amount)),
                needs_request: item.declared_amount.is_none()
                    && clause.is_some_and(|c| c.formula.carries_money()),
            }
        })
        .collect();
    let history = store
        .platform_history(detail.platform.id, Some(case_id))?
        .into_iter()
        .map(|h| HistoryView {
            year: h.year,
            clause_title: catalog.clause_title(programme, &h.clause).to_string(),
            clause: h.clause,
            approved: h.approved,
        })
        .collect();
    let next_statuses = CaseStatus::ALL
        .into_iter()
        .filter(|s| status.can_move_to(*s))
        .map(|s| choice(s.id(), s.label()))
        .collect();
    let approved_total = detail.case.approved_total;
    Ok(CaseView {
        computed: !items.is_empty() && items.iter().all(|i| i.ceiling.is_some()),
        ceiling_total: detail.case.ceiling_total,
        approved_total,
        approved_total_words: desk_policy::money_words::in_words(approved_total)
            .unwrap_or_default(),
        items,
        history,
        next_statuses,
        payments: detail.payments,
        audit: detail.audit,
        platform: detail.platform,
        case: detail.case,
    })
}

/// The first column of a unit list's table: the row's number within the list.
const ROW_COLUMN: &str = "行";

/// The item's declared units as the template's sheets show them: one table per unit list, or one
/// row of the item's own fields.
fn unit_tables(spec: &TemplateSpec, item: &CaseItem) -> Vec<UnitTable> {
    spec.sheets
        .iter()
        .filter(|s| s.clause == item.clause)
        .filter_map(|sheet| {
            let rows: Vec<&Value> = match sheet.list {
                Some(list) => item.declared_units.get(list)?.as_array()?.iter().collect(),
                None => vec![&item.declared_units],
            };
            let columns: Vec<_> = sheet
                .columns
                .iter()
                .filter(|c| rows.iter().any(|r| r.get(c.field).is_some()))
                .collect();
            if columns.is_empty() {
                return None;
            }
            // A list's rows are numbered as the explanation names them ("租赁场地第3行").
            let numbered = sheet.list.is_some();
            let refused = rows
                .iter()
                .map(|r| {
                    sheet.list.and_then(|_| {
                        r.get(desk_policy::case::REFUSED)
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                })
                .collect();
            Some(UnitTable {
                title: sheet
                    .list
                    .map(|l| desk_sheets::labels::list_label(l).to_string())
                    .unwrap_or_else(|| "申报信息".into()),
                list: sheet.list.map(str::to_string),
                refused,
                columns: numbered
                    .then(|| ROW_COLUMN.to_string())
                    .into_iter()
                    .chain(
                        columns
                            .iter()
                            .map(|c| c.header.trim_end_matches('*').to_string()),
                    )
                    .collect(),
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        numbered
                            .then(|| (i + 1).to_string())
                            .into_iter()
                            .chain(columns.iter().map(|c| cell_text(c.field, r.get(c.field))))
                            .collect()
                    })
                    .collect(),
            })
        })
        .collect()
}

fn cell_text(field: &str, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::Bool(true)) => "是".into(),
        Some(Value::Bool(false)) => "否".into(),
        Some(Value::String(s)) => desk_sheets::labels::choices(field)
            .iter()
            .find(|(v, _)| v == s)
            .map(|(_, word)| (*word).to_string())
            .unwrap_or_else(|| s.clone()),
        Some(other) => other.to_string(),
    }
}

/// A unit as the calculator names it in a case file ("leases[0] 2019-06", "items[2].contracts[14]")
/// renamed as the case page and the template show it ("租赁场地第1行 2019-06", "第3项 转型合同第15行"),
/// so the officer can find the row. `item_seqs[i]` is the number of the case file's `items[i]`
/// (the case's items in order). `None` when `path` does not start with a unit.
pub fn unit_name(path: &str, item_seqs: &[i64]) -> Option<String> {
    let (item, rest) = match path.strip_prefix("items[") {
        Some(rest) => {
            let (index, rest) = rest.split_once("].")?;
            let index: usize = index.parse().ok()?;
            let seq = item_seqs
                .get(index)
                .copied()
                .unwrap_or_else(|| i64::try_from(index + 1).unwrap_or(i64::MAX));
            (Some(seq), rest)
        }
        None => (None, path),
    };
    let (list, rest) = rest.split_once('[')?;
    let (index, tail) = rest.split_once(']')?;
    if list.is_empty() || !list.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let index = index.parse::<usize>().ok()?;
    Some(named_unit(item, list, index, tail))
}

/// "第3项 转型合同第15行 2019-06": the item's number when the clause came in several items, the
/// list's label, the row (from 1), the month.
fn named_unit(item_seq: Option<i64>, list: &str, index: usize, tail: &str) -> String {
    let label = desk_sheets::labels::list_label(list);
    let row = index + 1;
    match item_seq {
        Some(seq) => format!("第{seq}项 {label}第{row}行{tail}"),
        None => format!("{label}第{row}行{tail}"),
    }
}

/// A unit the calculator gave as data (`unit_ref`: item, list, index, month), named as the case
/// page names it; None for a unit stored before units were given as data.
fn unit_ref_name(unit: &Value, item_seqs: &[i64]) -> Option<String> {
    let list = unit["list"].as_str()?;
    let index = usize::try_from(unit["index"].as_u64()?).ok()?;
    let seq = unit["item"].as_u64().map(|i| {
        usize::try_from(i)
            .ok()
            .and_then(|i| item_seqs.get(i).copied())
            .unwrap_or_else(|| i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1))
    });
    let tail = unit["month"]
        .as_str()
        .map(|m| format!(" {m}"))
        .unwrap_or_default();
    Some(named_unit(seq, list, index, &tail))
}

/// A stored line's steps as sentences, each unit named as the case page names it: from the
/// typed steps (`unit_ref` and `sentence`), or, for a line stored before they were kept, from
/// its explanation's text.
pub fn step_texts(stored: &Value, item_seqs: &[i64]) -> Vec<String> {
    let steps = stored["steps"].as_array();
    let typed = steps.is_some_and(|s| !s.is_empty() && s.iter().all(|s| s["sentence"].is_string()));
    if typed {
        return steps
            .into_iter()
            .flatten()
            .map(|s| {
                let sentence = s["sentence"].as_str().unwrap_or_default();
                match unit_ref_name(&s["unit_ref"], item_seqs) {
                    Some(unit) => format!("{unit}：{sentence}"),
                    None => sentence.to_string(),
                }
            })
            .collect();
    }
    stored["explanation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(|t| with_unit_names(t, item_seqs)))
        .collect()
}

/// A stored line's units left out, each named as the case page names it, with the reason.
pub fn excluded_units(stored: &Value, item_seqs: &[i64]) -> Vec<ExcludedUnit> {
    stored["excluded"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let unit = x["unit"].as_str().unwrap_or_default();
            ExcludedUnit {
                unit: unit_ref_name(&x["unit_ref"], item_seqs)
                    .or_else(|| unit_name(unit, item_seqs))
                    .unwrap_or_else(|| unit.to_string()),
                reason: x["reason"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// A step sentence that opens with a unit ("leases[0]：120 m² × …") with the unit renamed by
/// [`unit_name`]; any other sentence as it is.
pub fn with_unit_names(text: &str, item_seqs: &[i64]) -> String {
    text.split_once('：')
        .and_then(|(unit, rest)| Some(format!("{}：{rest}", unit_name(unit, item_seqs)?)))
        .unwrap_or_else(|| text.to_string())
}

/// What set a stored line's ceiling, in words: the cap inside the formula by name when the line
/// names it (`unit_caps`; lines stored before it was recorded say 单项上限), else `limited_by`'s label;
/// the line's own `limited_by_label` when it has one.
pub fn stored_limited_by_label(stored: &Value) -> Option<String> {
    // Lines stored since the calculator writes its own label (a window line says which dates).
    if let Some(label) = stored["limited_by_label"].as_str() {
        return Some(label.to_string());
    }
    let limited =
        serde_json::from_value::<desk_policy::LimitedBy>(stored["limited_by"].clone()).ok()?;
    let unit_caps: Vec<desk_policy::UnitCap> =
        serde_json::from_value(stored["unit_caps"].clone()).unwrap_or_default();
    Some(desk_policy::limited_by_label(limited, &unit_caps))
}

/// Reads back the explanation `compute_case` stored (a serialized calculator line, or a note that
/// the item was merged into an earlier one), with units named as the case page names them.
fn explanation(stored: &Value, item_seqs: &[i64]) -> Explanation {
    let limited_by = stored["limited_by"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let limited_by_label = stored_limited_by_label(stored).unwrap_or_default();
    Explanation {
        ceiling: stored["ceiling"].as_str().unwrap_or_default().to_string(),
        limited_by,
        limited_by_label,
        steps: step_texts(stored, item_seqs),
        excluded: excluded_units(stored, item_seqs),
        merged_into: stored["merged_into"].as_i64(),
    }
}

/// What the officer typed in the credit-code field, checked as they type.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CreditCodeCheck {
    pub valid: bool,
    pub message: String,
    pub division: Option<String>,
    pub zhongshan: bool,
}

pub fn check_credit_code(text: &str) -> CreditCodeCheck {
    match CreditCode::parse(text) {
        Ok(code) => CreditCodeCheck {
            valid: true,
            message: if code.is_zhongshan() {
                format!(
                    "校验通过，登记管理机关行政区划 {}（中山市）",
                    code.division_code()
                )
            } else {
                format!(
                    "校验通过，登记管理机关行政区划 {}（非中山市）",
                    code.division_code()
                )
            },
            division: Some(code.division_code().to_string()),
            zhongshan: code.is_zhongshan(),
        },
        Err(e) => CreditCodeCheck {
            valid: false,
            message: e.to_string(),
            division: None,
            zhongshan: false,
        },
    }
}

/// A clause a template can carry.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClauseInfo {
    pub id: String,
    pub title: String,
    pub citation: String,
}

/// A programme's submission template.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TemplateInfo {
    pub programme: Programme,
    pub title: String,
    pub version: String,
    pub clauses: Vec<ClauseInfo>,
}

pub fn templates() -> Vec<TemplateInfo> {
    let catalog = Catalog::embedded();
    [Programme::ZsPtsp2018, Programme::ZsIip2021]
        .into_iter()
        .filter_map(|p| {
            let pc = catalog.programme(p)?;
            let spec = TemplateSpec::new(catalog, p, None).ok()?;
            Some(TemplateInfo {
                programme: p,
                title: pc.title.clone(),
                version: desk_sheets::template::VERSION.to_string(),
                clauses: spec
                    .clauses
                    .iter()
                    .filter_map(|id| pc.clause(id))
                    .map(|c| ClauseInfo {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        citation: c.citation.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The template workbook of a programme, for all its clauses or only those named.
pub fn template_workbook(programme: Programme, clauses: &[String]) -> Result<Vec<u8>> {
    let catalog = Catalog::embedded();
    let only = (!clauses.is_empty()).then_some(clauses);
    let spec = TemplateSpec::new(catalog, programme, only).map_err(ApiError::Invalid)?;
    spec.to_bytes(catalog).map_err(ApiError::Invalid)
}

/// The year a dashboard opens on: the newest application year with cases, else this year.
pub fn default_year(store: &Store, today: NaiveDate) -> Result<i32> {
    Ok(store
        .case_filter_values()?
        .0
        .first()
        .copied()
        .unwrap_or(today.year()))
}

/// The status bar and the settings page: where the data is and how much of it there is.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub backup_dir: String,
    pub output_dir: String,
    pub schema_version: i64,
    pub enterprises: i64,
    pub cases: i64,
    pub officer: String,
    pub today: NaiveDate,
    /// What opening the database has to tell the person: an interrupted restore finished, a
    /// daily backup that failed.
    pub notices: Vec<String>,
}

/// Progress of a long job (batch import, batch print), sent to the UI as an event.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub current: String,
}

/// A document written to disk (and opened in the system's viewer unless that failed).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrintedFile {
    pub path: String,
    pub bytes: usize,
    /// The total approved on the document, when it has one.
    #[ts(type = "string | null")]
    pub total: Option<Money>,
    pub opened: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    pub file: String,
    pub bytes: u64,
    /// When it was taken, "2026-12-02 09:00:00" (from its name).
    pub taken_at: String,
    /// Why: 手动备份, 每日自动备份, 恢复前自动备份…
    pub kind: String,
}

/// What a failed command returns to the UI: a stable code and the Chinese message to show.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, rename = "ApiError")]
pub struct ErrorView {
    pub code: String,
    pub message: String,
}

impl From<ApiError> for ErrorView {
    fn from(e: ApiError) -> Self {
        ErrorView {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

impl From<desk_store::StoreError> for ErrorView {
    fn from(e: desk_store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_named_by_their_list_and_row() {
        let seqs = [1, 2, 3];
        assert_eq!(
            unit_name("leases[0]", &seqs).as_deref(),
            Some("租赁场地第1行")
        );
        assert_eq!(
            unit_name("leases[11] 2019-06", &seqs).as_deref(),
            Some("租赁场地第12行 2019-06")
        );
        assert_eq!(
            unit_name("items[2].contracts[14]", &seqs).as_deref(),
            Some("第3项 转型合同第15行")
        );
        // The item's own number, not its position, when items were renumbered.
        assert_eq!(
            unit_name("items[1].solutions[0]", &[4, 7]).as_deref(),
            Some("第7项 采纳方案第1行")
        );
        assert_eq!(unit_name("每年最高 1500000.00", &seqs), None);
        assert_eq!(unit_name("items[x].leases[0]", &seqs), None);
    }

    #[test]
    fn only_a_step_that_opens_with_a_unit_is_renamed() {
        let seqs = [1];
        assert_eq!(
            with_unit_names(
                "leases[1]：100 m² × min(60, 50) 元/m²/月 × 12 个月 = 60000.00",
                &seqs
            ),
            "租赁场地第2行：100 m² × min(60, 50) 元/m²/月 × 12 个月 = 60000.00"
        );
        let cap = "年度上限：每年最高 1500000.00，本年已核定 0.00，余 1500000.00，未超出";
        assert_eq!(with_unit_names(cap, &seqs), cap);
        assert_eq!(
            with_unit_names("按分四舍五入 → 1.01", &seqs),
            "按分四舍五入 → 1.01"
        );
    }

    #[test]
    fn stored_explanations_read_back_with_unit_names() {
        // A line stored before steps carried their unit as data: its explanation's text.
        let stored = serde_json::json!({
            "ceiling": "60000.00",
            "limited_by": "rate",
            "explanation": ["items[1].leases[0]：100 m² × min(60, 50) 元/m²/月 × 12 个月 = 60000.00"],
            "steps": [{"kind": "Lease", "unit": "items[1].leases[0]",
                       "text": "items[1].leases[0]：100 m² × min(60, 50) 元/m²/月 × 12 个月 = 60000.00"}],
            "excluded": [{"unit": "items[0].leases[2] 2019-06", "reason": "超出补助期限"}],
        });
        let e = explanation(&stored, &[1, 2]);
        assert_eq!(
            e.steps,
            ["第2项 租赁场地第1行：100 m² × min(60, 50) 元/m²/月 × 12 个月 = 60000.00"]
        );
        assert_eq!(e.excluded[0].unit, "第1项 租赁场地第3行 2019-06");
        assert_eq!(e.excluded[0].reason, "超出补助期限");
    }

    #[test]
    fn typed_steps_are_named_from_their_unit_not_their_text() {
        let case = serde_json::json!({
            "programme": "zs-ptsp-2018", "year": 2022,
            "platform": {"category": 2, "recognized_on": "2019-07-15"},
            "history": [],
            "items": [
                {"clause": "6.8", "orders": [{"amount": "0.136", "date": "2022-03-01"}]},
                {"clause": "6.8", "orders": [{"amount": "0.136", "date": "2022-03-02"},
                                             {"amount": "0.136", "date": "2023-01-02"}]}
            ]
        });
        let catalog = desk_policy::Catalog::embedded();
        let case = desk_policy::Case::from_json(&case, catalog).expect("case");
        let result = desk_policy::calculate(&case, catalog).expect("computes");
        let stored = serde_json::to_value(&result.lines[0]).expect("json");
        let e = explanation(&stored, &[3, 5]);
        assert!(
            e.steps
                .iter()
                .any(|s| s == "第3项 设计订单第1行：min(订单 0.136 × 5%, 50000.00) = 0.0068"),
            "{:?}",
            e.steps
        );
        assert!(
            e.steps
                .iter()
                .any(|s| s.starts_with("第5项 设计订单第1行：")),
            "{:?}",
            e.steps
        );
        // The one rounding is a step of its own, so the case page shows it too.
        assert!(
            e.steps.last().is_some_and(|s| s.ends_with("→ 0.01")),
            "{:?}",
            e.steps
        );
        assert_eq!(e.excluded[0].unit, "第5项 设计订单第2行");
        assert_eq!(e.excluded[0].reason, "非申报年度");
    }
}
