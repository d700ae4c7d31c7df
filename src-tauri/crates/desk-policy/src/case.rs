//! The calculator's input (`docs/policy/CASE-FILE.md`), read from JSON with every problem of the
//! case collected at once, each named by its JSON path.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::formulas::{Field, FieldKind, Schema};
use crate::{CreditCode, HistoryEntry, Money, PlatformCategory, PlatformLevel, Programme};

/// One problem of the input: where (JSON path) and what (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputError {
    pub path: String,
    pub message: String,
    /// Set when the bureau, not the case's author, must solve it (a parameter unset on the case's
    /// date); the message stays the case file's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bureau: Option<Box<crate::bureau::BureauProblem>>,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every problem of one case.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(InputError {
            path: path.into(),
            message: message.into(),
            bureau: None,
        });
    }

    /// A problem the bureau must solve, with the message the case file's reader sees.
    pub fn push_bureau(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        problem: crate::bureau::BureauProblem,
    ) {
        self.0.push(InputError {
            path: path.into(),
            message: message.into(),
            bureau: Some(Box::new(problem)),
        });
    }

    /// The problems the bureau must solve, each once.
    pub fn bureau_problems(&self) -> Vec<crate::bureau::BureauProblem> {
        let mut bureau = Vec::new();
        for problem in self.0.iter().filter_map(|e| e.bureau.as_ref()) {
            if !bureau.contains(&**problem) {
                bureau.push((**problem).clone());
            }
        }
        bureau
    }

    /// The problems the bureau must solve, apart from the others (the applicant's).
    pub fn split_bureau(self) -> (InputErrors, Vec<crate::bureau::BureauProblem>) {
        let bureau = self.bureau_problems();
        let applicant = self.0.into_iter().filter(|e| e.bureau.is_none()).collect();
        (InputErrors(applicant), bureau)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for InputErrors {}

/// A calendar month, as lease periods are written ("2020-01").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// Months since year 0, for counting and ranges.
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    pub fn from_index(index: i64) -> Self {
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// A value of an item's field, typed by its schema.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Money(Money),
    Count(u64),
    Date(NaiveDate),
    Month(YearMonth),
    Code(CreditCode),
    Bool(bool),
    Text(String),
    Choice(&'static str),
}

/// An item or a unit: its position and its typed fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub index: usize,
    pub values: Vec<(&'static str, FieldValue)>,
}

impl Row {
    fn get(&self, name: &str) -> Option<&FieldValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn money(&self, name: &str) -> Option<Money> {
        match self.get(name) {
            Some(FieldValue::Money(m)) => Some(*m),
            Some(FieldValue::Count(n)) => Some(Money::from(*n)),
            _ => None,
        }
    }

    pub fn count(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(FieldValue::Count(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        match self.get(name) {
            Some(FieldValue::Date(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn month(&self, name: &str) -> Option<YearMonth> {
        match self.get(name) {
            Some(FieldValue::Month(m)) => Some(*m),
            _ => None,
        }
    }

    pub fn code(&self, name: &str) -> Option<&CreditCode> {
        match self.get(name) {
            Some(FieldValue::Code(c)) => Some(c),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(FieldValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn choice(&self, name: &str) -> Option<&'static str> {
        match self.get(name) {
            Some(FieldValue::Choice(c)) => Some(c),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(FieldValue::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The officer's 不予认定 of this unit, with its reason (CLAUSES.md, revised): the unit counts
    /// for nothing and is listed with the reason.
    pub fn refused(&self) -> Option<&str> {
        if self.values.is_empty() {
            return None;
        }
        self.text(REFUSED)
    }
}

/// "数值过大：不能超过 1000000000000000（一千万亿）(收到 …)".
pub(crate) fn too_large(shown: &str) -> String {
    format!(
        "数值过大：不能超过 {}（一千万亿）(收到 {shown})",
        crate::money::MAX_INPUT
    )
}

/// The field of a unit the officer refused (不予认定), holding the reason.
pub const REFUSED: &str = "refused";

/// One declared item: a clause, its own fields and its unit lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Position in the case's `items`.
    pub index: usize,
    pub clause: String,
    pub fields: Row,
    pub lists: Vec<(&'static str, Vec<Row>)>,
}

impl Item {
    pub fn units(&self, list: &str) -> &[Row] {
        self.lists
            .iter()
            .find(|(n, _)| *n == list)
            .map(|(_, rows)| rows.as_slice())
            .unwrap_or(&[])
    }
}

/// What the case says about the platform; fields a clause does not use may be absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlatformFacts {
    pub credit_code: Option<CreditCode>,
    pub name: Option<String>,
    pub category: Option<PlatformCategory>,
    pub level: Option<PlatformLevel>,
    pub recognized_on: Option<NaiveDate>,
    pub paid_in_capital: Option<Money>,
    pub fiscal_paid_in_capital: Option<Money>,
    pub relocated_hq: Option<bool>,
    pub system_live_on: Option<NaiveDate>,
}

/// A case as the calculator reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub programme: Programme,
    pub year: i32,
    pub platform: PlatformFacts,
    pub history: Vec<HistoryEntry>,
    /// Parameters the case sets, by "clause.name" ("8.rate").
    pub parameters: BTreeMap<String, Money>,
    /// The programme's in-force dates the bureau set, over the catalog's (`validity`).
    pub validity: Option<Validity>,
    pub items: Vec<Item>,
}

/// A programme's in-force period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Validity {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Case {
    /// Reads a case from JSON text.
    pub fn from_json_str(text: &str, catalog: &Catalog) -> Result<Case, InputErrors> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let mut errors = InputErrors::default();
            errors.push(
                "(文件)",
                format!("不是有效的 JSON：第{}行第{}列，{e}", e.line(), e.column()),
            );
            errors
        })?;
        Case::from_json(&value, catalog)
    }

    /// Reads a case from a JSON value, reporting every problem at once.
    pub fn from_json(value: &Value, catalog: &Catalog) -> Result<Case, InputErrors> {
        let mut r = Reader::default();
        let case = r.case(value, catalog);
        match case {
            Some(case) if r.errors.is_empty() => Ok(case),
            _ => Err(r.errors),
        }
    }
}

#[derive(Default)]
struct Reader {
    errors: InputErrors,
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

impl Reader {
    /// Records a problem; the path is written out only then (a 10,000-row case has 50,000 paths).
    fn error(&mut self, path: &(impl fmt::Display + ?Sized), message: impl Into<String>) {
        self.errors.push(path.to_string(), message);
    }

    /// An object whose keys are all in `allowed`; unknown keys are errors.
    fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(obj) = v.as_object() else {
            self.error(path, format!("必须是对象 (收到 {})", shown(v)));
            return None;
        };
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                let at = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                self.error(&at, format!("未知字段，可用字段：{}", allowed.join("、")));
            }
        }
        Some(obj)
    }

    fn required<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<&'v Value> {
        let v = obj.get(key).filter(|v| !v.is_null());
        if v.is_none() {
            self.error(&join(path, key), "缺少必填字段");
        }
        v
    }

    fn decimal(
        &mut self,
        v: &Value,
        path: &(impl fmt::Display + ?Sized),
        what: &str,
    ) -> Option<Money> {
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.error(path, format!("必须为{what} (收到 {})", shown(v)));
                return None;
            }
        };
        let parsed = text
            .parse::<Money>()
            .or_else(|_| Money::from_scientific(&text));
        match parsed {
            Ok(m) if m.is_sign_negative() && !m.is_zero() => {
                self.error(path, format!("必须为非负数 (收到 {})", shown(v)));
                None
            }
            Ok(m) if m > crate::money::MAX_INPUT => {
                self.error(path, too_large(&shown(v)));
                None
            }
            Ok(m) => Some(m.abs()),
            Err(_)
                if text.trim_start_matches('-').bytes().all(|b| {
                    b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'+'
                }) && !text.is_empty() =>
            {
                // Digits, but more than Decimal holds (≥ 7.9 × 10^28).
                self.error(path, too_large(&shown(v)));
                None
            }
            Err(_) => {
                self.error(path, format!("必须为非负数 (收到 {})", shown(v)));
                None
            }
        }
    }

    fn count(&mut self, v: &Value, path: &(impl fmt::Display + ?Sized)) -> Option<u64> {
        let n = self.decimal(v, path, "非负整数")?;
        if n.fract().is_zero() {
            u64::try_from(n.trunc()).ok().or_else(|| {
                self.error(path, format!("数值过大 (收到 {})", shown(v)));
                None
            })
        } else {
            self.error(path, format!("必须为非负整数 (收到 {})", shown(v)));
            None
        }
    }

    fn date(&mut self, v: &Value, path: &(impl fmt::Display + ?Sized)) -> Option<NaiveDate> {
        let Some(text) = v.as_str() else {
            self.error(
                path,
                format!("日期必须写成 \"YYYY-MM-DD\" (收到 {})", shown(v)),
            );
            return None;
        };
        match parse_date(text) {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(path, message);
                None
            }
        }
    }

    fn month(&mut self, v: &Value, path: &(impl fmt::Display + ?Sized)) -> Option<YearMonth> {
        let text = v.as_str().unwrap_or_default();
        let parsed = text.split_once('-').and_then(|(y, m)| {
            let ok = y.len() == 4
                && (1..=2).contains(&m.len())
                && format!("{y}{m}").chars().all(|c| c.is_ascii_digit());
            let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
            (ok && (1..=12).contains(&month)).then_some(YearMonth { year, month })
        });
        if parsed.is_none() {
            self.error(
                path,
                format!("月份必须写成 \"YYYY-MM\" (收到 {})", shown(v)),
            );
        }
        parsed
    }

    fn credit_code(
        &mut self,
        v: &Value,
        path: &(impl fmt::Display + ?Sized),
    ) -> Option<CreditCode> {
        let Some(text) = v.as_str() else {
            self.error(
                path,
                format!("统一社会信用代码必须是文字 (收到 {})", shown(v)),
            );
            return None;
        };
        match CreditCode::parse(text) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(path, format!("{e} (收到 {})", shown(v)));
                None
            }
        }
    }

    fn boolean(&mut self, v: &Value, path: &(impl fmt::Display + ?Sized)) -> Option<bool> {
        let b = v.as_bool();
        if b.is_none() {
            self.error(path, format!("必须为 true 或 false (收到 {})", shown(v)));
        }
        b
    }

    fn field(
        &mut self,
        v: &Value,
        path: &(impl fmt::Display + ?Sized),
        field: &Field,
    ) -> Option<FieldValue> {
        match field.kind {
            FieldKind::Money => self.decimal(v, path, "金额").map(FieldValue::Money),
            FieldKind::Number => self.decimal(v, path, "数字").map(FieldValue::Money),
            FieldKind::Count => self.count(v, path).map(FieldValue::Count),
            FieldKind::Date => self.date(v, path).map(FieldValue::Date),
            FieldKind::Month => self.month(v, path).map(FieldValue::Month),
            FieldKind::CreditCode => self.credit_code(v, path).map(FieldValue::Code),
            FieldKind::Bool => self.boolean(v, path).map(FieldValue::Bool),
            FieldKind::Text => match v.as_str().map(str::trim) {
                Some(t) if !t.is_empty() => Some(FieldValue::Text(t.to_string())),
                _ => {
                    self.error(path, "必须填写文字，不能为空");
                    None
                }
            },
            FieldKind::Choice(choices) => {
                let found = v.as_str().and_then(|s| choices.iter().find(|c| **c == s));
                if found.is_none() {
                    self.error(
                        path,
                        format!("应为 {} 之一 (收到 {})", choices.join("、"), shown(v)),
                    );
                }
                found.map(|c| FieldValue::Choice(c))
            }
        }
    }

    /// Reads an object's fields by schema; `extra` names keys that are allowed but read elsewhere.
    fn row(
        &mut self,
        v: &Value,
        path: &str,
        index: usize,
        fields: &[Field],
        extra: &[&str],
    ) -> Option<Row> {
        let mut allowed: Vec<&str> = fields.iter().map(|f| f.name).collect();
        allowed.extend_from_slice(extra);
        let obj = self.object(v, path, &allowed)?;
        let mut row = Row {
            index,
            values: Vec::with_capacity(fields.len()),
        };
        for field in fields {
            let at = Joined(path, field.name);
            match obj.get(field.name).filter(|v| !v.is_null()) {
                Some(value) => {
                    if let Some(parsed) = self.field(value, &at, field) {
                        row.values.push((field.name, parsed));
                    }
                }
                None if field.required => self.error(&at, "缺少必填字段"),
                None => {}
            }
        }
        if let Some(message) = backwards_period(&row) {
            self.error(&join(path, "from"), message);
        }
        Some(row)
    }

    fn case(&mut self, v: &Value, catalog: &Catalog) -> Option<Case> {
        let obj = self.object(
            v,
            "",
            &[
                "programme",
                "year",
                "platform",
                "history",
                "parameters",
                "validity",
                "items",
            ],
        )?;
        let programme = self.required(obj, "programme", "").and_then(|p| {
            match p.as_str().map(Programme::parse) {
                Some(Ok(p)) => Some(p),
                _ => {
                    self.error(
                        "programme",
                        format!("应为 zs-ptsp-2018 或 zs-iip-2021 (收到 {})", shown(p)),
                    );
                    None
                }
            }
        });
        let year = self
            .required(obj, "year", "")
            .and_then(|y| match y.as_i64() {
                Some(y) if (1900..=2200).contains(&y) => Some(y as i32),
                _ => {
                    self.error(
                        "year",
                        format!("申报年度必须是四位数年份 (收到 {})", shown(y)),
                    );
                    None
                }
            });
        let platform = match self.required(obj, "platform", "") {
            Some(p) => self.platform(p),
            None => PlatformFacts::default(),
        };
        let history = match obj.get("history") {
            None | Some(Value::Null) => Vec::new(),
            Some(h) => self.history(h),
        };
        let parameters = match obj.get("parameters") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(p) => self.parameters(p),
        };
        let validity = match obj.get("validity") {
            None | Some(Value::Null) => None,
            Some(v) => self.validity(v),
        };
        let programme_catalog = programme.and_then(|p| catalog.programme(p));
        let items = match (self.required(obj, "items", ""), programme_catalog) {
            (Some(items), Some(pc)) => self.items(items, pc),
            _ => Vec::new(),
        };
        Some(Case {
            programme: programme?,
            year: year?,
            platform,
            history,
            parameters,
            validity,
            items,
        })
    }

    fn validity(&mut self, v: &Value) -> Option<Validity> {
        let obj = self.object(v, "validity", &["from", "to"])?;
        let from = self.required(obj, "from", "validity");
        let to = self.required(obj, "to", "validity");
        let from = from.and_then(|d| self.date(d, "validity.from"));
        let to = to.and_then(|d| self.date(d, "validity.to"));
        let (from, to) = (from?, to?);
        if from > to {
            self.error(
                "validity.from",
                format!("施行日期 {from} 晚于有效期截止日 {to}"),
            );
            return None;
        }
        Some(Validity { from, to })
    }

    fn platform(&mut self, v: &Value) -> PlatformFacts {
        let path = "platform";
        let allowed = [
            "credit_code",
            "name",
            "category",
            "level",
            "recognized_on",
            "paid_in_capital",
            "fiscal_paid_in_capital",
            "relocated_hq",
            "system_live_on",
        ];
        let mut facts = PlatformFacts::default();
        let Some(obj) = self.object(v, path, &allowed) else {
            return facts;
        };
        let get = |k: &str| obj.get(k).filter(|v| !v.is_null());
        if let Some(c) = get("credit_code") {
            facts.credit_code = self.credit_code(c, "platform.credit_code");
        }
        facts.name = get("name").and_then(Value::as_str).map(str::to_string);
        if let Some(c) = get("category") {
            facts.category = match c.as_u64().map(|n| PlatformCategory::new(n.min(255) as u8)) {
                Some(Ok(cat)) => Some(cat),
                _ => {
                    self.error(
                        "platform.category",
                        format!("平台类别应为0–24 (收到 {})", shown(c)),
                    );
                    None
                }
            };
        }
        if let Some(l) = get("level") {
            facts.level = match l.as_str().map(PlatformLevel::parse) {
                Some(Ok(level)) => Some(level),
                _ => {
                    self.error(
                        "platform.level",
                        format!("应为 benchmark 或 municipal (收到 {})", shown(l)),
                    );
                    None
                }
            };
        }
        if let Some(d) = get("recognized_on") {
            facts.recognized_on = self.date(d, "platform.recognized_on");
        }
        if let Some(m) = get("paid_in_capital") {
            facts.paid_in_capital = self.decimal(m, "platform.paid_in_capital", "金额");
        }
        if let Some(m) = get("fiscal_paid_in_capital") {
            facts.fiscal_paid_in_capital =
                self.decimal(m, "platform.fiscal_paid_in_capital", "金额");
        }
        if let Some(b) = get("relocated_hq") {
            facts.relocated_hq = self.boolean(b, "platform.relocated_hq");
        }
        if let Some(d) = get("system_live_on") {
            facts.system_live_on = self.date(d, "platform.system_live_on");
        }
        facts
    }

    fn history(&mut self, v: &Value) -> Vec<HistoryEntry> {
        let Some(list) = v.as_array() else {
            self.error("history", "必须是数组");
            return Vec::new();
        };
        let mut entries = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let path = format!("history[{i}]");
            let Some(obj) = self.object(
                e,
                &path,
                &[
                    "clause",
                    "year",
                    "approved",
                    "enterprises",
                    "projects",
                    "active_count",
                ],
            ) else {
                continue;
            };
            let clause = self.required(obj, "clause", &path).and_then(|c| {
                let s = c.as_str().map(str::to_string);
                if s.is_none() {
                    self.error(&join(&path, "clause"), "必须是条款编号文字");
                }
                s
            });
            let year = self.required(obj, "year", &path).and_then(|y| {
                let y = y.as_i64().map(|y| y as i32);
                if y.is_none() {
                    self.error(&join(&path, "year"), "必须是年份");
                }
                y
            });
            let approved = self
                .required(obj, "approved", &path)
                .and_then(|a| self.decimal(a, &join(&path, "approved"), "金额"));
            let mut enterprises = Vec::new();
            if let Some(list) = obj.get("enterprises").filter(|v| !v.is_null()) {
                match list.as_array() {
                    Some(codes) => {
                        for (j, c) in codes.iter().enumerate() {
                            if let Some(code) =
                                self.credit_code(c, &format!("{path}.enterprises[{j}]"))
                            {
                                enterprises.push(code);
                            }
                        }
                    }
                    None => self.error(&join(&path, "enterprises"), "必须是数组"),
                }
            }
            let active_count = obj
                .get("active_count")
                .filter(|v| !v.is_null())
                .and_then(|n| self.count(n, &join(&path, "active_count")))
                .map(|n| n.min(u64::from(u32::MAX)) as u32);
            let projects = obj
                .get("projects")
                .filter(|v| !v.is_null())
                .and_then(|n| self.count(n, &join(&path, "projects")))
                .map(|n| n.min(u64::from(u32::MAX)) as u32);
            if let (Some(clause), Some(year), Some(approved)) = (clause, year, approved) {
                entries.push(HistoryEntry {
                    clause,
                    year,
                    approved,
                    enterprises,
                    projects,
                    active_count,
                });
            }
        }
        entries
    }

    fn parameters(&mut self, v: &Value) -> BTreeMap<String, Money> {
        let mut params = BTreeMap::new();
        let Some(obj) = v.as_object() else {
            self.error("parameters", "必须是对象，如 {\"8.rate\": \"0.10\"}");
            return params;
        };
        for (key, value) in obj {
            if let Some(m) = self.decimal(value, &format!("parameters.{key}"), "数字") {
                params.insert(key.clone(), m);
            }
        }
        params
    }

    fn items(&mut self, v: &Value, pc: &crate::catalog::ProgrammeCatalog) -> Vec<Item> {
        let Some(list) = v.as_array() else {
            self.error("items", "必须是数组");
            return Vec::new();
        };
        let mut items = Vec::new();
        for (i, item) in list.iter().enumerate() {
            let path = format!("items[{i}]");
            let Some(obj) = item.as_object() else {
                self.error(&path, "必须是对象");
                continue;
            };
            let Some(clause_id) = obj.get("clause").and_then(Value::as_str) else {
                self.error(&join(&path, "clause"), "缺少条款编号");
                continue;
            };
            let Some(clause) = pc.clause(clause_id) else {
                let ids: Vec<&str> = pc.clauses.iter().map(|c| c.id.as_str()).collect();
                self.error(
                    &join(&path, "clause"),
                    format!(
                        "未知条款：“{}”没有第“{clause_id}”条，可选：{}",
                        pc.short_title,
                        ids.join("、")
                    ),
                );
                continue;
            };
            if let Some(parsed) = self.item(item, &path, i, clause_id, &clause.spec.schema) {
                items.push(parsed);
            }
        }
        items
    }

    fn item(
        &mut self,
        v: &Value,
        path: &str,
        index: usize,
        clause: &str,
        schema: &Schema,
    ) -> Option<Item> {
        let list_names: Vec<&str> = schema.lists.iter().map(|l| l.name).collect();
        let mut extra = vec!["clause"];
        extra.extend(&list_names);
        let fields = self.row(v, path, index, &schema.fields, &extra)?;
        let obj = v.as_object()?;
        let mut lists = Vec::new();
        for spec in &schema.lists {
            let at = join(path, spec.name);
            let rows = match obj.get(spec.name).filter(|v| !v.is_null()) {
                None => {
                    if spec.required {
                        self.error(&at, "缺少必填字段");
                    }
                    Vec::new()
                }
                Some(Value::Array(values)) => values
                    .iter()
                    .enumerate()
                    .filter_map(|(j, u)| self.row(u, &format!("{at}[{j}]"), j, &spec.fields, &[]))
                    .collect(),
                Some(other) => {
                    self.error(&at, format!("必须是数组 (收到 {})", shown(other)));
                    Vec::new()
                }
            };
            lists.push((spec.name, rows));
        }
        Some(Item {
            index,
            clause: clause.to_string(),
            fields,
            lists,
        })
    }
}

/// A period (lease months, a loan's interest period) must not end before it starts: the message
/// for its `from` field when it does.
pub(crate) fn backwards_period(row: &Row) -> Option<String> {
    let (from, to) = match (
        row.month("from"),
        row.month("to"),
        row.date("from"),
        row.date("to"),
    ) {
        (Some(f), Some(t), ..) if f > t => (f.to_string(), t.to_string()),
        (_, _, Some(f), Some(t)) if f > t => (f.to_string(), t.to_string()),
        _ => return None,
    };
    Some(format!("起始 {from} 晚于结束 {to}"))
}

/// `path.key`, written out only when a message needs it.
pub(crate) struct Joined<'a>(pub &'a str, pub &'a str);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            "" => f.write_str(self.1),
            path => write!(f, "{path}.{}", self.1),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// "YYYY-MM-DD"; an impossible date (2021-02-30) is named as such.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let shaped = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if !shaped {
        return Err(format!("日期必须写成 \"YYYY-MM-DD\" (收到 \"{text}\")"));
    }
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(n(parts[0]) as i32, n(parts[1]), n(parts[2]))
        .ok_or_else(|| format!("不存在的日期 (收到 \"{text}\")"))
}
