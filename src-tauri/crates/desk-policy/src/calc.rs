//! The calculator: `calculate(case, catalog) -> Result<CaseResult, InputErrors>`. Pure.
//!
//! Each clause of the case becomes one line: eligibility → one-time → the year against W → the
//! formula over the units that count → the annual cap → the lifetime cap; then the group cap across
//! lines in clause order; then each line is rounded once, to the cent.

mod amounts;
mod capital;
mod cloud;
mod contracts;
mod digital_home;
mod identifier;
mod lease;
mod loan;
mod per_unit;
mod services;
mod shares;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::bureau::{BureauProblem, UnsetParameter};
use crate::case::{Case, InputErrors, Item, Row, YearMonth};
use crate::catalog::{Catalog, Clause, ProgrammeCatalog, WindowRule};
use crate::formulas::Formula;
use crate::money::{Money, format_amount, round_to_cents};
use crate::result::{CaseResult, Excluded, LimitedBy, Line, Reason, Step, UnitCap, UnitRef, What};
use crate::{CreditCode, PlatformLevel};

/// An inclusive span of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    pub fn intersect(self, other: Span) -> Option<Span> {
        let from = self.from.max(other.from);
        let to = self.to.min(other.to);
        (from <= to).then_some(Span { from, to })
    }

    /// Days, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn year(y: i32) -> Span {
        Span {
            from: NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
            to: NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
        }
    }
}

/// The support window W: `months` calendar months from `start`; the last day is the day before
/// the corresponding day of the end month (2019-07-15 → 2022-07-14), or, where the end month has no
/// such day (recognized on 29 February), that month's last day (民法典 第二百零二条:
/// 2020-02-29 → 2023-02-28).
pub fn support_window(start: NaiveDate, months: u32) -> Span {
    let end = start
        .checked_add_months(Months::new(months))
        .and_then(|d| {
            if d.day() == start.day() {
                d.checked_sub_days(Days::new(1))
            } else {
                Some(d) // clamped to the month's last day: that day ends W
            }
        })
        .unwrap_or(NaiveDate::MAX);
    Span {
        from: start,
        to: end,
    }
}

/// Everything a line's computation reads about its case.
struct Ctx<'a> {
    case: &'a Case,
    pc: &'a ProgrammeCatalog,
    year: Span,
    validity: Span,
    /// W, from the platform's recognition date (None when the case does not give it).
    window: Option<Span>,
    /// Lease months of W: the recognition month and the next (window_months − 1).
    window_months: Option<(i64, i64)>,
    param_date: NaiveDate,
}

impl Ctx<'_> {
    fn date_reason(&self, clause: &Clause, d: NaiveDate) -> Option<Reason> {
        if !self.year.contains(d) {
            Some(Reason::NotApplicationYear)
        } else if !self.validity.contains(d) {
            Some(Reason::OutsideValidity)
        } else if clause.window == WindowRule::Units && !self.window.is_some_and(|w| w.contains(d))
        {
            Some(Reason::OutsideWindow)
        } else {
            None
        }
    }

    fn month_reason(&self, clause: &Clause, m: YearMonth) -> Option<Reason> {
        let i = m.index();
        let (vf, vt) = (
            YearMonth::of(self.validity.from).index(),
            YearMonth::of(self.validity.to).index(),
        );
        if m.year != self.year.from.year() {
            Some(Reason::NotApplicationYear)
        } else if i < vf || i > vt {
            Some(Reason::OutsideValidity)
        } else if clause.window == WindowRule::Units
            && !self.window_months.is_some_and(|(a, b)| a <= i && i <= b)
        {
            Some(Reason::OutsideWindow)
        } else {
            None
        }
    }

    /// The Zhongshan rule: the row's own finding first, else the credit code's division.
    fn zhongshan_reason(
        &self,
        clause: &Clause,
        row: &Row,
        code: Option<&CreditCode>,
    ) -> Option<Reason> {
        if !clause.zhongshan {
            return None;
        }
        match row.flag("zhongshan") {
            Some(true) => None,
            Some(false) => Some(Reason::OfficerFoundNotZhongshan),
            None => match code {
                Some(c) if c.is_zhongshan() => None,
                _ => Some(Reason::NotZhongshan),
            },
        }
    }

    /// A parameter: the case's own value ("8.rate") or the catalog's value in force on 1 January of Y.
    fn param(&self, clause: &Clause, name: &str) -> Option<Money> {
        let from_case = if self.case.parameters.is_empty() {
            None // the common case: no key to build
        } else {
            self.case
                .parameters
                .get(&format!("{}.{name}", clause.id))
                .copied()
        };
        from_case.or_else(|| clause.param(name).and_then(|p| p.at(self.param_date)))
    }

    /// Why a unit that serves an enterprise does not count: its date (`date_field`), the Zhongshan
    /// rule, or its enterprise already supported by the clause (`supported`, once per enterprise).
    fn served_reason(
        &self,
        clause: &Clause,
        row: &Row,
        date_field: &str,
        supported: &HashSet<&CreditCode>,
    ) -> Option<Reason> {
        let code = row.code("enterprise_credit_code");
        row.date(date_field)
            .and_then(|dt| self.date_reason(clause, dt))
            .or_else(|| self.zhongshan_reason(clause, row, code))
            .or_else(|| {
                code.filter(|c| supported.contains(c))
                    .map(|_| Reason::AlreadySupported)
            })
    }

    /// A parameter the formula needs (checked present before the formula runs).
    fn param_or_zero(&self, clause: &Clause, name: &str) -> Money {
        self.param(clause, name).unwrap_or(Money::ZERO)
    }

    fn history_sum(&self, clause: &str, year: Option<i32>) -> Money {
        self.case
            .history
            .iter()
            .filter(|h| h.clause == clause && year.is_none_or(|y| h.year == y))
            .map(|h| h.approved)
            .sum()
    }

    /// The enterprises a clause already supported in the platform's earlier approved cases
    /// (entries approved at 0.00 supported nobody).
    fn supported_enterprises(&self, clause: &str) -> HashSet<&CreditCode> {
        self.case
            .history
            .iter()
            .filter(|h| h.clause == clause && h.supported())
            .flat_map(|h| h.enterprises.iter())
            .collect()
    }
}

/// A line under construction: the amount is exact until the line is rounded at the end.
struct Draft {
    amount: Money,
    limited: LimitedBy,
    /// The caps inside the formula that bound (what `unit_cap` means for this line).
    unit_caps: Vec<UnitCap>,
    steps: Vec<Step>,
    excluded: Vec<Excluded>,
    active_count: Option<u32>,
}

impl Draft {
    fn new() -> Self {
        Draft {
            amount: Money::ZERO,
            limited: LimitedBy::Rate,
            unit_caps: Vec::new(),
            // W, the formula, a sum, the caps: most lines have a few steps.
            steps: Vec::with_capacity(4),
            excluded: Vec::new(),
            active_count: None,
        }
    }

    fn step(&mut self, what: What, unit: Option<UnitRef>, amount: Money) {
        self.steps.push(Step { what, unit, amount });
    }

    fn exclude(&mut self, unit: UnitRef, reason: Reason) {
        self.excluded.push(Excluded {
            unit,
            reason,
            note: None,
        });
    }

    /// The officer's 不予认定: true (the unit is listed with the reason, and counts for nothing).
    fn refused(&mut self, unit: UnitRef, row: &Row) -> bool {
        let Some(note) = row.refused() else {
            return false;
        };
        self.excluded.push(Excluded {
            unit,
            reason: Reason::Refused,
            note: Some(note.into()),
        });
        true
    }

    fn zero(mut self, limited: LimitedBy, what: What) -> Self {
        self.amount = Money::ZERO;
        self.limited = limited;
        self.step(what, None, Money::ZERO);
        self
    }

    /// Ends the formula: `total` from `counted` units; `bound` the maximums inside the formula that
    /// bound (none: `rate`). No unit counting → `window` if only dates excluded them, else `ineligible`.
    fn formula_done(mut self, total: Money, counted: usize, bound: Vec<UnitCap>) -> Self {
        self.amount = total;
        if counted == 0 && !self.excluded.is_empty() {
            let dates_only = self.excluded.iter().all(|e| e.reason.is_date());
            let limited = if dates_only {
                LimitedBy::Window
            } else {
                LimitedBy::Ineligible
            };
            return self.zero(limited, What::NothingCounted);
        }
        // Several units: their exact sum, so that what is shown adds up before the one rounding.
        let terms = self.steps.iter().filter(|s| s.what.is_term()).count();
        if terms > 1 {
            self.step(What::Sum { terms }, None, total);
        }
        self.limited = if bound.is_empty() {
            LimitedBy::Rate
        } else {
            LimitedBy::UnitCap
        };
        self.unit_caps = bound;
        self
    }

    /// Applies a cap: `room` is what is left of it. The check is recorded whether it binds or not.
    fn cap(
        &mut self,
        what: fn(Money, Money, Money) -> What,
        cap: Money,
        used: Money,
        limited: LimitedBy,
    ) {
        let room = (cap - used).max(Money::ZERO);
        if self.amount > room {
            self.amount = room;
            self.limited = limited;
        }
        self.step(what(cap, used, room), None, self.amount);
    }
}

fn unit(item: &Item, list: &'static str, row: &Row) -> UnitRef {
    UnitRef {
        item: item.index,
        list,
        index: row.index,
        month: None,
    }
}

fn zero() -> Money {
    Money::ZERO
}

/// Computes a case. Every input problem is reported together, each with its JSON path.
pub fn calculate(case: &Case, catalog: &Catalog) -> Result<CaseResult, InputErrors> {
    let mut errors = InputErrors::default();
    let Some(pc) = catalog.programme(case.programme) else {
        errors.push("programme", format!("政策目录中没有 {}", case.programme));
        return Err(errors);
    };
    if case.year < pc.first_application_year() || case.year > pc.last_application_year {
        errors.push(
            "year",
            format!(
                "申报年度 {} 不在{}的申报年度（{}—{}）内",
                case.year,
                pc.document,
                pc.first_application_year(),
                pc.last_application_year
            ),
        );
    }
    let window = case
        .platform
        .recognized_on
        .map(|d| support_window(d, pc.window_months));
    let window_months = case.platform.recognized_on.map(|d| {
        let first = YearMonth::of(d).index();
        (first, first + i64::from(pc.window_months) - 1)
    });
    let ctx = Ctx {
        case,
        pc,
        year: Span::year(case.year),
        validity: match case.validity {
            Some(v) => Span {
                from: v.from,
                to: v.to,
            },
            None => Span {
                from: pc.valid_from,
                to: pc.valid_to,
            },
        },
        window,
        window_months,
        param_date: NaiveDate::from_ymd_opt(case.year, 1, 1).unwrap_or(pc.valid_from),
    };

    // The case's clauses in the programme's order, each with its items.
    let mut by_clause: Vec<(&Clause, Vec<&Item>)> = Vec::new();
    for item in &case.items {
        let Some(clause) = pc.clause(&item.clause) else {
            continue;
        };
        match by_clause.iter_mut().find(|(c, _)| c.id == clause.id) {
            Some((_, items)) => items.push(item),
            None => by_clause.push((clause, vec![item])),
        }
    }
    by_clause.sort_by_key(|(c, _)| c.order);

    check_case(&ctx, &by_clause, &mut errors);
    let mut warnings = Vec::new();
    check_parameters(&ctx, &mut errors, &mut warnings);
    let mut drafts = Vec::with_capacity(by_clause.len());
    for (clause, items) in &by_clause {
        drafts.push(line(&ctx, clause, items, &mut errors, &mut warnings));
    }
    apply_group_caps(&ctx, &by_clause, &mut drafts, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    equity_warning(&ctx, &mut warnings);

    let mut total = Money::ZERO;
    let lines: Vec<Line> = by_clause
        .iter()
        .zip(drafts)
        .map(|((clause, items), mut d)| {
            let ceiling = round_to_cents(d.amount);
            if ceiling != d.amount {
                d.step(What::Rounded, None, ceiling);
            }
            total += ceiling;
            Line {
                clause: clause.id.clone(),
                title: clause.title.clone(),
                citation: clause.citation.clone(),
                ceiling,
                limited_by: d.limited,
                unit_caps: if d.limited == LimitedBy::UnitCap {
                    d.unit_caps
                } else {
                    Vec::new()
                },
                steps: d.steps,
                excluded: d.excluded,
                active_count: d.active_count,
                several_items: items.len() > 1,
            }
        })
        .collect();
    Ok(CaseResult {
        programme: case.programme,
        year: case.year,
        lines,
        total,
        warnings,
    })
}

/// Checks that need the whole case: platform fields the clauses need, 6.12 and 4.5 duplicates,
/// 4.5 day counts, 4.1's yearly limit.
fn check_case(ctx: &Ctx<'_>, by_clause: &[(&Clause, Vec<&Item>)], errors: &mut InputErrors) {
    let p = &ctx.case.platform;
    for (clause, items) in by_clause {
        let needs_level = !clause.levels.is_empty()
            || clause.group.is_some()
            || (clause.formula == Formula::LeaseReference
                && items.iter().any(|i| {
                    i.units("leases")
                        .iter()
                        .any(|r| r.flag("ecosystem") == Some(true))
                }));
        if !clause.categories.is_empty()
            && p.category.is_none()
            && !has_error(errors, "platform.category")
        {
            errors.push(
                "platform.category",
                format!("缺少平台类别（第{}条按平台类别给予补助）", clause.id),
            );
        }
        if needs_level && p.level.is_none() && !has_error(errors, "platform.level") {
            errors.push(
                "platform.level",
                format!("缺少平台级别（第{}条按平台级别确定）", clause.id),
            );
        }
        if clause.window != WindowRule::None
            && p.recognized_on.is_none()
            && !has_error(errors, "platform.recognized_on")
        {
            errors.push(
                "platform.recognized_on",
                format!("缺少平台认定日期（第{}条有3年补助期限）", clause.id),
            );
        }
        match clause.formula {
            Formula::Services => {
                let mut seen: BTreeMap<&CreditCode, String> = BTreeMap::new();
                for item in items {
                    for row in item.units("services") {
                        let here = format!("items[{}].services[{}]", item.index, row.index);
                        if let Some(code) = row.code("enterprise_credit_code") {
                            if let Some(first) = seen.get(code) {
                                errors.push(
                                    here.clone(),
                                    format!(
                                        "企业 {code} 重复申报：同一企业在一个案件中只能申报一次（已在 {first} 申报）"
                                    ),
                                );
                            } else {
                                seen.insert(code, here.clone());
                            }
                        }
                        if row.choice("basis") == Some("time") && row.count("times").is_none() {
                            errors.push(
                                format!("{here}.times"),
                                "计算方式为“按次”（basis 为 time）时必须填写服务次数（times）",
                            );
                        }
                    }
                }
            }
            Formula::CloudAdoption => {
                let mut seen: BTreeMap<&CreditCode, String> = BTreeMap::new();
                for item in items {
                    for row in item.units("enterprises") {
                        let here = format!("items[{}].enterprises[{}]", item.index, row.index);
                        if let (Some(used), Some(connected)) =
                            (row.count("used_days"), row.count("connected_days"))
                            && used > connected
                        {
                            errors.push(
                                format!("{here}.used_days"),
                                format!("used_days（{used}）不能大于 connected_days（{connected}）：使用天数不能多于接入天数"),
                            );
                        }
                        if let Some(code) = row.code("credit_code") {
                            if let Some(first) = seen.get(code) {
                                errors.push(
                                    format!("{here}.credit_code"),
                                    format!("同一企业重复申报（已在 {first}）"),
                                );
                            } else {
                                seen.insert(code, here.clone());
                            }
                        }
                    }
                }
            }
            Formula::Projects => {
                let max = ctx.param(clause, "max_per_year").unwrap_or(Money::TWO);
                let history: usize = ctx
                    .case
                    .history
                    .iter()
                    .filter(|h| h.clause == clause.id && h.year == ctx.case.year)
                    .map(|h| h.project_count())
                    .sum();
                let mut count = history;
                for item in items {
                    // A project the officer refused (不予认定) is not one of the year's projects.
                    for row in item
                        .units("projects")
                        .iter()
                        .filter(|r| r.refused().is_none())
                    {
                        count += 1;
                        if Money::from(count as u64) > max {
                            errors.push(
                                format!("items[{}].projects[{}]", item.index, row.index),
                                format!(
                                    "每个平台每年最多 {} 个标杆应用示范项目（本年已核定 {history} 个），本项目超出",
                                    max.normalize()
                                ),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn has_error(errors: &InputErrors, path: &str) -> bool {
    errors.0.iter().any(|e| e.path == path)
}

/// A case may set parameters by "clause.name"; one the bureau does not set is shown as a warning.
fn check_parameters(ctx: &Ctx<'_>, errors: &mut InputErrors, warnings: &mut Vec<String>) {
    for (key, value) in &ctx.case.parameters {
        let (owner, name) = key.rsplit_once('.').unwrap_or(("", key));
        let clause = ctx.pc.clause(owner);
        let known = clause.is_some_and(|c| c.params.contains_key(name))
            || ctx
                .pc
                .group(owner)
                .is_some_and(|g| g.params.contains_key(name));
        if !known {
            errors.push(format!("parameters.{key}"), "政策目录中没有这个参数");
            continue;
        }
        let bureau_sets = clause.is_some_and(|c| c.bureau_sets.iter().any(|b| b == name));
        if !bureau_sets {
            let catalog_value = clause
                .and_then(|c| c.param(name))
                .or_else(|| ctx.pc.group(owner).and_then(|g| g.params.get(name)))
                .and_then(|p| p.at(ctx.param_date))
                .map(|v| v.normalize().to_string())
                .unwrap_or_else(|| "未设定".into());
            warnings.push(format!(
                "按案件给出的参数 {key} = {} 计算（政策目录为 {catalog_value}）",
                value.normalize()
            ));
        }
    }
}

/// 《实施意见》六（三）: fiscal capital above 30% of the paid-in capital is flagged on the case.
fn equity_warning(ctx: &Ctx<'_>, warnings: &mut Vec<String>) {
    let Some(clause) = ctx.pc.clause("6.3") else {
        return;
    };
    let p = &ctx.case.platform;
    if let (Some(paid), Some(fiscal), Some(max)) = (
        p.paid_in_capital,
        p.fiscal_paid_in_capital,
        ctx.param(clause, "max_fiscal_share"),
    ) && paid > Money::ZERO
        && fiscal > paid * max
    {
        warnings.push(format!(
            "财政资金出资比例为 {}%，超过{}规定的平台企业股本的 {}%",
            (fiscal / paid * Money::ONE_HUNDRED).round_dp(2).normalize(),
            clause.citation,
            (max * Money::ONE_HUNDRED).normalize()
        ));
    }
}

/// One clause's line, before the group cap and rounding.
fn line(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    errors: &mut InputErrors,
    warnings: &mut Vec<String>,
) -> Draft {
    let d = Draft::new();
    let p = &ctx.case.platform;
    let grade_ok = (clause.categories.is_empty()
        || p.category
            .is_some_and(|c| clause.categories.contains(&c.number())))
        && (clause.levels.is_empty() || p.level.is_some_and(|l| clause.levels.contains(&l)));
    if !grade_ok {
        let what = if clause.levels.is_empty() {
            What::IneligibleCategory
        } else {
            What::BenchmarkOnly
        };
        return d.zero(LimitedBy::Ineligible, what);
    }
    if clause.one_time
        && let Some(first) = ctx
            .case
            .history
            .iter()
            .filter(|h| h.clause == clause.id && h.supported())
            .map(|h| h.year)
            .min()
    {
        return d.zero(LimitedBy::OneTime, What::OneTimeUsed { year: first });
    }
    if ctx.year.intersect(ctx.validity).is_none() && !clause.formula.has_dated_units() {
        // zs-iip-2021's applications of 2025 may be paid in 2026, but no activity of 2026 counts;
        // dated units are each excluded by the formula itself.
        return d.zero(LimitedBy::Window, What::YearOutsideValidity);
    }
    let mut d = d;
    if clause.window != WindowRule::None
        && let Some(w) = ctx.window
    {
        d.step(
            What::Window {
                window: w,
                months: ctx.pc.window_months,
            },
            None,
            Money::ZERO,
        );
    }
    if clause.window == WindowRule::Year
        && ctx.window.is_none_or(|w| w.intersect(ctx.year).is_none())
    {
        let mut d = d.zero(LimitedBy::Window, What::YearOutsideWindow);
        if clause.formula == Formula::CloudAdoption {
            // The result still reports the active count (CASE-FILE.md), though nothing is paid.
            d.active_count = Some(active_count(ctx, clause, items, None));
        }
        return d;
    }
    // Every parameter the clause uses has a value on the case's date, or the case is refused with
    // the parameter and the date named: never a silent default. (What the bureau sets itself, such
    // as zs-iip-2021 8.rate, is asked for by the formula.)
    for (name, param) in &clause.params {
        if ctx.param(clause, name).is_none() && !clause.bureau_sets.iter().any(|b| b == name) {
            let message = missing_parameter(&param.label, &clause.id, name, ctx.param_date, param);
            let problem = unset(ctx, clause_owner(clause), &clause.id, name, param, false);
            errors.push_bureau(format!("parameters.{}.{name}", clause.id), message, problem);
        }
    }
    let mut d = formula(ctx, clause, items, d, errors, warnings);
    if d.amount.is_zero() {
        return d;
    }
    if let Some(cap) = ctx.param(clause, "annual_cap") {
        d.cap(
            |cap, used, room| What::AnnualCap { cap, used, room },
            cap,
            ctx.history_sum(&clause.id, Some(ctx.case.year)),
            LimitedBy::AnnualCap,
        );
    }
    if let Some(cap) = ctx.param(clause, "lifetime_cap") {
        d.cap(
            |cap, used, room| What::LifetimeCap { cap, used, room },
            cap,
            ctx.history_sum(&clause.id, None),
            LimitedBy::LifetimeCap,
        );
    }
    d
}

/// "政策参数“每年补助上限”（6.2.annual_cap）在 2017-01-01 没有取值（政策目录自 2018-01-01 起有值）".
fn missing_parameter(
    label: &str,
    owner: &str,
    name: &str,
    date: NaiveDate,
    param: &crate::catalog::Parameter,
) -> String {
    let since = match param.values.first() {
        Some(v) => format!("（政策目录自 {} 起有值）", v.from),
        None => "（政策目录没有取值）".to_string(),
    };
    format!("政策参数“{label}”（{owner}.{name}）在 {date} 没有取值{since}")
}

/// "第8条“园区数字化基础设施补助”": a clause as a bureau problem names it.
fn clause_owner(clause: &Clause) -> String {
    format!("第{}条“{}”", clause.id, clause.title)
}

/// The bureau's problem of a parameter without a value on the case's date.
fn unset(
    ctx: &Ctx<'_>,
    owner: String,
    owner_id: &str,
    name: &str,
    param: &crate::catalog::Parameter,
    bureau_sets: bool,
) -> BureauProblem {
    BureauProblem::ParameterUnset(UnsetParameter {
        programme: ctx.case.programme,
        key: format!("{owner_id}.{name}"),
        owner,
        label: param.label.clone(),
        unit: param.unit.clone(),
        on: ctx.param_date,
        bureau_sets,
        catalog_from: param.values.first().map(|v| v.from),
    })
}

/// zs-iip-2021 四: the group's yearly room, less its history of the year, given in clause order.
fn apply_group_caps(
    ctx: &Ctx<'_>,
    by_clause: &[(&Clause, Vec<&Item>)],
    drafts: &mut [Draft],
    errors: &mut InputErrors,
) {
    for group in &ctx.pc.groups {
        let key = match ctx.case.platform.level {
            Some(PlatformLevel::Benchmark) => "cap_benchmark",
            Some(PlatformLevel::Municipal) => "cap_municipal",
            None => continue,
        };
        let cap = ctx
            .case
            .parameters
            .get(&format!("{}.{key}", group.id))
            .copied()
            .or_else(|| group.params.get(key).and_then(|p| p.at(ctx.param_date)));
        let Some(cap) = cap else {
            let in_case = by_clause
                .iter()
                .any(|(c, _)| c.group.as_deref() == Some(group.id.as_str()));
            if let Some(param) = group.params.get(key).filter(|_| in_case) {
                let message =
                    missing_parameter(&param.label, &group.id, key, ctx.param_date, param);
                let problem = unset(ctx, group.citation.clone(), &group.id, key, param, false);
                errors.push_bureau(format!("parameters.{}.{key}", group.id), message, problem);
            }
            continue;
        };
        let history: Money = ctx
            .case
            .history
            .iter()
            .filter(|h| h.year == ctx.case.year && group.clauses.contains(&h.clause))
            .map(|h| h.approved)
            .sum();
        let mut earlier = Money::ZERO;
        for ((clause, _), draft) in by_clause.iter().zip(drafts.iter_mut()) {
            if clause.group.as_deref() != Some(group.id.as_str()) || draft.amount.is_zero() {
                continue;
            }
            let room = (cap - history - earlier).max(Money::ZERO);
            if draft.amount > room {
                draft.amount = room;
                draft.limited = LimitedBy::GroupCap;
            }
            draft.step(
                What::GroupCap {
                    cap,
                    history,
                    earlier,
                    room,
                },
                None,
                draft.amount,
            );
            earlier += draft.amount;
        }
    }
}

/// The formula of the clause over the units that count: one module per formula kind.
fn formula(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    d: Draft,
    errors: &mut InputErrors,
    warnings: &mut Vec<String>,
) -> Draft {
    match clause.formula {
        Formula::Lease | Formula::LeaseReference => lease::lease(ctx, clause, items, d),
        Formula::CapitalGrant => capital::capital_grant(ctx, clause, d, errors),
        Formula::EquityCheck => capital::equity_check(ctx, clause, d, errors),
        Formula::LoanInterest => loan::loan_interest(ctx, clause, items, d),
        Formula::PerSolution | Formula::PerSolutionByKind | Formula::PerUnit => {
            per_unit::per_unit(ctx, clause, items, d)
        }
        Formula::OrderShare
        | Formula::PurchaseShare
        | Formula::FirstLines
        | Formula::FirstUnits => shares::share_of_base(ctx, clause, items, d),
        Formula::DigitalHome => digital_home::digital_home(ctx, clause, items, d),
        Formula::Services => services::services(ctx, clause, items, d),
        Formula::CappedCost => amounts::capped_cost(ctx, clause, items, d, errors),
        Formula::CloudFees => cloud::cloud_fees(ctx, clause, items, d, errors),
        Formula::CaseByCase => amounts::case_by_case(clause, items, d, warnings),
        Formula::DemoLine => amounts::demo_line(ctx, clause, items, d),
        Formula::FixedAward => amounts::fixed_award(ctx, clause, d),
        Formula::Projects | Formula::Transformation => contracts::contracts(ctx, clause, items, d),
        Formula::ThresholdAward => amounts::threshold_award(ctx, clause, items, d),
        Formula::CloudAdoption => cloud::cloud_adoption(ctx, clause, items, d),
        Formula::IdentifierMatch => identifier::identifier_match(ctx, clause, items, d),
        Formula::IdentifierBreakthrough => {
            identifier::identifier_breakthrough(ctx, clause, items, d)
        }
        Formula::InfrastructureShare => {
            amounts::infrastructure_share(ctx, clause, items, d, errors)
        }
    }
}

/// Names a maximum inside the formula that bound, once, in the order they first did.
fn bind(bound: &mut Vec<UnitCap>, cap: UnitCap) {
    if !bound.contains(&cap) {
        bound.push(cap);
    }
}

/// 4.5's active enterprises: connected, using the platform at least `min_share` of the connected
/// time, in Zhongshan. With a draft, each enterprise left out is recorded with its reason.
fn active_count(
    ctx: &Ctx<'_>,
    clause: &Clause,
    items: &[&Item],
    mut draft: Option<&mut Draft>,
) -> u32 {
    let min_share = ctx.param(clause, "min_share").unwrap_or_default();
    let mut active = 0u32;
    for item in items {
        for row in item.units("enterprises") {
            if row.refused().is_some() {
                if let Some(d) = draft.as_deref_mut() {
                    d.refused(unit(item, "enterprises", row), row);
                }
                continue;
            }
            let used = Money::from(row.count("used_days").unwrap_or(0));
            let connected = Money::from(row.count("connected_days").unwrap_or(0));
            let reason = if connected.is_zero() {
                Some(Reason::NotConnected)
            } else if used < connected * min_share {
                Some(Reason::LowUsage)
            } else {
                ctx.zhongshan_reason(clause, row, row.code("credit_code"))
            };
            match (reason, draft.as_deref_mut()) {
                (Some(r), Some(d)) => d.exclude(unit(item, "enterprises", row), r),
                (Some(_), None) => {}
                (None, _) => active += 1,
            }
        }
    }
    active
}

/// A field summed over the clause's items (a clause may be declared in several items).
fn sum_field(items: &[&Item], name: &str) -> Money {
    items.iter().filter_map(|i| i.fields.money(name)).sum()
}

fn required_money(
    value: Option<Money>,
    path: &str,
    name: &str,
    clause: &Clause,
    errors: &mut InputErrors,
) -> Option<Money> {
    if value.is_none() && !has_error(errors, path) {
        errors.push(path, format!("缺少{name}（第{}条需要）", clause.id));
    }
    value
}

/// A one-line summary for logs and tests: "6.2 348000.00 annual_cap".
pub fn summary(result: &CaseResult) -> String {
    let lines: Vec<String> = result
        .lines
        .iter()
        .map(|l| {
            format!(
                "{} {} {:?}",
                l.clause,
                format_amount(l.ceiling),
                l.limited_by
            )
        })
        .collect();
    format!("{}；合计 {}", lines.join("，"), format_amount(result.total))
}
