//! The use cases: one function per thing an officer does (compute a case, approve an item, …). Each
//! orchestrates the domain crates, so the command line and the desktop shell stay thin and never
//! repeat a workflow.
//!
//! Owns: the order of steps of a workflow and the shapes that pass between crates (the case file
//! built from the database, the facts an approval carries into history).
//!
//! Must not know: SQL (that is `desk-store`), formulas (`desk-policy`), the command line or Tauri.

use std::collections::BTreeSet;

pub mod demo;
pub mod files;
pub mod folder;
pub mod import;
pub mod parameters;
pub mod print;
pub mod registry;
pub mod views;

pub use import::{ImportOptions, ImportReport, ImportResult, import_submission};

use desk_policy::result::Line;
use desk_policy::{Case, CaseResult, Catalog, CreditCode, InputErrors, calculate};
use desk_store::{Approval, CaseItem, Editor, Grade, Store, StoreError};
use serde_json::{Map, Value, json};

/// A use case that could not be carried out. `Display` is the Chinese message for the officer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The case's stored data is not a valid case for the calculator (each problem with its path).
    #[error("案件数据不完整或有误，无法计算：\n{0}")]
    Case(InputErrors),
    #[error("{0}")]
    Invalid(String),
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Store(e) => e.code(),
            ApiError::Case(_) => "invalid_case",
            ApiError::Invalid(_) => "invalid",
        }
    }

    pub fn is_bad_input(&self) -> bool {
        match self {
            ApiError::Store(e) => e.is_bad_input(),
            ApiError::Case(_) | ApiError::Invalid(_) => true,
        }
    }
}

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// The calculator's input for a stored case (`docs/policy/CASE-FILE.md`): the platform's facts,
/// its history from other approved cases, the parameters the bureau set, and the declared items.
pub fn case_file(store: &Store, case_id: i64) -> Result<Value> {
    let case = store.case(case_id)?;
    let platform = store.platform(case.platform_id)?;
    let p = platform_facts(&platform);
    let history = store.platform_history(platform.id, Some(case_id))?;
    let items: Vec<Value> = store
        .items(case_id)?
        .into_iter()
        .map(|item| {
            let mut fields = item.declared_units.as_object().cloned().unwrap_or_default();
            fields.insert("clause".into(), json!(item.clause));
            Value::Object(fields)
        })
        .collect();
    let mut file = json!({
        "programme": case.programme,
        "year": case.year,
        "platform": Value::Object(p),
        "history": history,
        "items": items,
    });
    let parameters = parameters::case_parameters(store, case.programme, case.year)?;
    if !parameters.is_empty() {
        file["parameters"] = Value::Object(parameters);
    }
    if let Some(v) = parameters::case_validity(store, case.programme)? {
        file["validity"] = json!({"from": v.from.to_string(), "to": v.to.to_string()});
    }
    Ok(file)
}

/// A platform's facts as the case file writes them (`platform` of CASE-FILE.md).
pub(crate) fn platform_facts(platform: &desk_store::Platform) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("credit_code".into(), json!(platform.credit_code));
    p.insert("name".into(), json!(platform.enterprise_name));
    match platform.grade {
        Grade::Category(c) => p.insert("category".into(), json!(c.number())),
        Grade::Level(l) => p.insert("level".into(), json!(l.id())),
    };
    p.insert(
        "recognized_on".into(),
        json!(platform.recognized_on.to_string()),
    );
    if let Some(m) = platform.paid_in_capital {
        p.insert("paid_in_capital".into(), json!(m.to_string()));
    }
    if let Some(m) = platform.fiscal_paid_in_capital {
        p.insert("fiscal_paid_in_capital".into(), json!(m.to_string()));
    }
    p.insert("relocated_hq".into(), json!(platform.relocated_hq));
    if let Some(d) = platform.system_live_on {
        p.insert("system_live_on".into(), json!(d.to_string()));
    }
    p
}

/// Computes a stored case and records each item's ceiling with its explanation. A clause declared
/// in several items is computed once; its ceiling is kept on the first of them.
pub fn compute_case(store: &mut Store, case_id: i64, editor: &Editor) -> Result<CaseResult> {
    let file = case_file(store, case_id)?;
    let catalog = Catalog::embedded();
    let case = Case::from_json(&file, catalog).map_err(ApiError::Case)?;
    let result = calculate(&case, catalog).map_err(ApiError::Case)?;
    let items = store.items(case_id)?;
    let mut ceilings = Vec::with_capacity(items.len());
    for line in &result.lines {
        let mut first: Option<&CaseItem> = None;
        for item in items.iter().filter(|i| i.clause == line.clause) {
            let entry = match first {
                None => {
                    let mut explanation = serde_json::to_value(line).unwrap_or_default();
                    let (covered, projects) = supported_units(line, &case, catalog);
                    explanation["covered_enterprises"] = json!(covered);
                    if let Some(n) = projects {
                        explanation["project_count"] = json!(n);
                    }
                    (item.id, line.ceiling, explanation)
                }
                Some(f) => (
                    item.id,
                    desk_policy::Money::ZERO,
                    json!({"clause": line.clause, "merged_into": f.seq,
                           "explanation": [format!("与第{}项同属第{}条，合并计算", f.seq, line.clause)]}),
                ),
            };
            ceilings.push(entry);
            first.get_or_insert(item);
        }
    }
    store.set_item_ceilings(&ceilings, editor)?;
    Ok(result)
}

/// What a line supports, for the history of later cases (CLAUSES.md, revised: history records
/// what was actually supported): the enterprises of its accepted units (none refused or
/// excluded) where the clause counts enterprises once (4.1 projects, 4.2a factories, 4.3 workshops,
/// 4.4 contracts, 6.10 conversions), and for 4.1 the number of accepted projects.
fn supported_units(line: &Line, case: &Case, catalog: &Catalog) -> (Vec<CreditCode>, Option<u32>) {
    use desk_policy::formulas::Formula;
    let Some(clause) = catalog
        .programme(case.programme)
        .and_then(|pc| pc.clause(&line.clause))
    else {
        return (Vec::new(), None);
    };
    let list = match clause.formula {
        Formula::Projects => "projects",
        Formula::Transformation => "contracts",
        Formula::DigitalHome => "conversions",
        Formula::PerUnit => match clause.spec.list {
            Some(l @ ("factories" | "workshops")) => l,
            _ => return (Vec::new(), None),
        },
        _ => return (Vec::new(), None),
    };
    let excluded: BTreeSet<(usize, usize)> = line
        .excluded
        .iter()
        .filter(|e| e.unit.list == list)
        .map(|e| (e.unit.item, e.unit.index))
        .collect();
    let accepted: Vec<&desk_policy::case::Row> = case
        .items
        .iter()
        .filter(|i| i.clause == line.clause)
        .flat_map(|i| i.units(list).iter().map(move |r| (i.index, r)))
        .filter(|(item, r)| !excluded.contains(&(*item, r.index)))
        .map(|(_, r)| r)
        .collect();
    let mut codes: Vec<CreditCode> = accepted
        .iter()
        .filter_map(|r| r.code("enterprise_credit_code").cloned())
        .collect();
    codes.sort();
    codes.dedup();
    let projects = (clause.formula == Formula::Projects)
        .then(|| u32::try_from(accepted.len()).unwrap_or(u32::MAX));
    (codes, projects)
}

/// Records the officer's decision on an item: never above min(ceiling, request), a reason when
/// lower. The approval carries what later cases' history needs (the accepted units' enterprises,
/// 4.1's projects, 4.5's active count) from the item's computed explanation.
pub fn approve_item(
    store: &mut Store,
    case_id: i64,
    item_id: i64,
    amount: desk_policy::Money,
    reason: &str,
    editor: &Editor,
) -> Result<CaseItem> {
    let item = store
        .items(case_id)?
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or_else(|| ApiError::Invalid(format!("案件中没有编号为 {item_id} 的申报项目")))?;
    let explanation = item.explanation.clone().unwrap_or_default();
    let covered: Vec<CreditCode> = explanation["covered_enterprises"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().and_then(|c| CreditCode::parse(c).ok()))
        .collect();
    let active_count = explanation["active_count"]
        .as_u64()
        .map(|n| n.min(u64::from(u32::MAX)) as u32);
    let projects = explanation["project_count"]
        .as_u64()
        .map(|n| n.min(u64::from(u32::MAX)) as u32);
    // Approved at 0.00 (不予支持): nobody was supported, no project used the year's limit.
    let supported = !amount.is_zero();
    let approval = Approval {
        amount,
        reason: reason.to_string(),
        covered_enterprises: if supported { covered } else { Vec::new() },
        active_count,
        projects: projects.filter(|_| supported),
    };
    Ok(store.approve_item(item_id, &approval, editor)?)
}

/// The officer's 不予认定 of one declared unit, with the reason (`None` takes it back); the case is
/// computed again at once, so the line stands on the units accepted and its explanation lists the
/// refused ones with their reasons.
pub fn refuse_unit(
    store: &mut Store,
    case_id: i64,
    item_id: i64,
    list: &str,
    index: usize,
    reason: Option<&str>,
    editor: &Editor,
) -> Result<CaseResult> {
    if !store.items(case_id)?.iter().any(|i| i.id == item_id) {
        return Err(ApiError::Invalid(format!(
            "案件中没有编号为 {item_id} 的申报项目"
        )));
    }
    store.refuse_unit(item_id, list, index, reason, editor)?;
    compute_case(store, case_id, editor)
}

/// Records an item's 申请金额 (an item imported before it was required is asked for it before
/// approval).
pub fn set_item_request(
    store: &mut Store,
    case_id: i64,
    item_id: i64,
    requested: desk_policy::Money,
    editor: &Editor,
) -> Result<CaseItem> {
    if !store.items(case_id)?.iter().any(|i| i.id == item_id) {
        return Err(ApiError::Invalid(format!(
            "案件中没有编号为 {item_id} 的申报项目"
        )));
    }
    Ok(store.set_item_request(item_id, requested, editor)?)
}

/// The ledger workbook (台账) of one application year, optionally of one programme and/or town:
/// the bytes and the number of item rows.
pub fn ledger_workbook(
    store: &Store,
    year: i32,
    programme: Option<desk_policy::Programme>,
    town: Option<desk_policy::Town>,
) -> Result<(Vec<u8>, usize)> {
    let rows = store.ledger_rows(year, programme, town)?;
    let mut title = format!("{year}年度");
    if let Some(p) = programme {
        title.push_str(p.short_title());
    }
    if let Some(t) = town {
        title.push_str(&format!("（{t}）"));
    }
    title.push_str("扶持资金台账");
    let bytes = desk_sheets::ledger::ledger_workbook(&rows, &title, Catalog::embedded())
        .map_err(ApiError::Invalid)?;
    Ok((bytes, rows.len()))
}
