//! The policy catalog: every money clause with its citation, its article's own text, who it serves,
//! its window, caps and dated parameters. Loaded from `assets/policies/*.toml`, embedded in the
//! binary; loading validates everything and names the file and key of each problem.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::formulas::{Formula, FormulaSpec};
use crate::{Money, PlatformLevel, Programme};

const EMBEDDED: [(&str, &str); 2] = [
    (
        "zs-ptsp-2018.toml",
        include_str!("../../../../assets/policies/zs-ptsp-2018.toml"),
    ),
    (
        "zs-iip-2021.toml",
        include_str!("../../../../assets/policies/zs-iip-2021.toml"),
    ),
];

/// A problem in a catalog file. `Display`: "zs-ptsp-2018.toml: clause 6.2 params.annual_cap: …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {key}: {message}")]
pub struct CatalogError {
    pub file: String,
    pub key: String,
    pub message: String,
}

/// Where a clause's units must lie in the support window W.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowRule {
    /// No window: dated units count inside the application year and the programme's validity.
    None,
    /// Each dated unit (and lease month, loan day) must lie in W.
    Units,
    /// The application year must overlap W (4.2b, 4.2c, 4.5: the clause has no dated units).
    Year,
}

/// One value of a parameter, from the date it takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedValue {
    pub from: NaiveDate,
    pub value: Money,
    pub reference: String,
}

/// A parameter with its values by effective date (OpenFisca's idea). No value: the text leaves it
/// to the bureau (zs-iip-2021 clause 8's "一定比例").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parameter {
    /// What the article calls it, in Chinese ("每年补助上限").
    pub label: String,
    /// Its unit ("元", "元/m²·月", "比例").
    pub unit: String,
    pub values: Vec<DatedValue>,
}

impl Parameter {
    /// The value in force on `date`, if any.
    pub fn at(&self, date: NaiveDate) -> Option<Money> {
        self.values
            .iter()
            .rev()
            .find(|v| v.from <= date)
            .map(|v| v.value)
    }
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub text: String,
    pub note: Option<String>,
    pub formula: Formula,
    /// zs-ptsp-2018 categories served; empty: every category.
    pub categories: Vec<u8>,
    /// zs-iip-2021 levels served; empty: every level.
    pub levels: Vec<PlatformLevel>,
    pub window: WindowRule,
    /// Served enterprises count only if registered in Zhongshan.
    pub zhongshan: bool,
    /// case_by_case: the amount is set by the city's 总部经济 policy (zs-ptsp-2018 6.17), not 一事一议.
    pub headquarters_policy: bool,
    pub one_time: bool,
    pub group: Option<String>,
    pub params: BTreeMap<String, Parameter>,
    /// Parameters the bureau sets itself (a case may give them in `parameters`).
    pub bureau_sets: Vec<String>,
    /// The formula's configuration (field names, base), checked against the formula at load.
    pub spec: FormulaSpec,
    /// Position in the programme's clause order.
    pub order: usize,
}

impl Clause {
    pub fn param(&self, name: &str) -> Option<&Parameter> {
        self.params.get(name)
    }
}

/// A cap shared by several clauses (zs-iip-2021 四).
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub citation: String,
    pub text: String,
    pub clauses: Vec<String>,
    pub params: BTreeMap<String, Parameter>,
}

#[derive(Debug, Clone)]
pub struct ProgrammeCatalog {
    pub programme: Programme,
    pub title: String,
    pub short_title: String,
    pub document: String,
    pub issuer: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// Where V's dates come from ("第十二条" or the bureau's reading of a draft).
    pub validity_reference: String,
    pub last_application_year: i32,
    pub window_months: u32,
    pub clauses: Vec<Clause>,
    pub groups: Vec<Group>,
}

impl ProgrammeCatalog {
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn first_application_year(&self) -> i32 {
        self.valid_from.year()
    }
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub programmes: Vec<ProgrammeCatalog>,
}

impl Catalog {
    /// The catalog shipped in the binary, loaded once. The shipped files are tested, so a failure
    /// here is a build defect; it is reported, not hidden.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| match Catalog::from_sources(&EMBEDDED) {
            Ok(catalog) => catalog,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("内置政策目录有误（构建缺陷）：\n{}", lines.join("\n"))
            }
        })
    }

    /// Parses and validates catalog files given as (file name, TOML text).
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Catalog, Vec<CatalogError>> {
        let mut errors = Vec::new();
        let mut programmes = Vec::new();
        for (file, text) in sources {
            match load_file(file, text) {
                Ok(p) => programmes.push(p),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(Catalog { programmes })
        } else {
            Err(errors)
        }
    }

    pub fn programme(&self, programme: Programme) -> Option<&ProgrammeCatalog> {
        self.programmes.iter().find(|p| p.programme == programme)
    }

    /// A clause's title ("租赁经营场地补助"), or "" for an unknown clause.
    pub fn clause_title(&self, programme: Programme, clause: &str) -> &str {
        self.programme(programme)
            .and_then(|p| p.clause(clause))
            .map_or("", |c| c.title.as_str())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    programme: RawProgramme,
    #[serde(default)]
    group: Vec<RawGroup>,
    clause: Vec<RawClause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    id: String,
    title: String,
    short_title: String,
    document: String,
    issuer: String,
    valid_from: toml::value::Datetime,
    valid_to: toml::value::Datetime,
    /// Where V's dates come from (zs-iip-2021's draft leaves them blank: the bureau's reading).
    validity_reference: String,
    last_application_year: i32,
    window_months: u32,
    grading: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    citation: String,
    text: String,
    clauses: Vec<String>,
    #[serde(default)]
    params: BTreeMap<String, RawParam>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClause {
    id: String,
    title: String,
    citation: String,
    text: String,
    formula: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    categories: Vec<i64>,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    window: Option<String>,
    #[serde(default)]
    zhongshan: bool,
    #[serde(default)]
    headquarters_policy: bool,
    #[serde(default)]
    one_time: bool,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, RawParam>,
    #[serde(default)]
    bureau_sets: Vec<String>,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    list: Option<String>,
    #[serde(default)]
    date_field: Option<String>,
}

/// A parameter as the catalog gives it: what the article calls it, its unit, and its values by the
/// date each takes effect, each with its reference (OpenFisca's dated parameters).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    label: String,
    unit: String,
    values: Vec<RawDated>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDated {
    from: toml::value::Datetime,
    value: String,
    reference: String,
}

struct Problems<'f> {
    file: &'f str,
    errors: Vec<CatalogError>,
}

impl Problems<'_> {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.errors.push(CatalogError {
            file: self.file.to_string(),
            key: key.into(),
            message: message.into(),
        });
    }
}

fn date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let day = d.date?;
    NaiveDate::from_ymd_opt(
        i32::from(day.year),
        u32::from(day.month),
        u32::from(day.day),
    )
}

fn load_file(file: &str, text: &str) -> Result<ProgrammeCatalog, Vec<CatalogError>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![CatalogError {
            file: file.to_string(),
            key: "(文件)".into(),
            message: e.to_string().trim().to_string(),
        }]
    })?;
    let mut p = Problems {
        file,
        errors: Vec::new(),
    };
    let programme = Programme::parse(&raw.programme.id);
    if let Err(e) = &programme {
        p.add("programme.id", e.clone());
    }
    let valid_from = date(&raw.programme.valid_from);
    let valid_to = date(&raw.programme.valid_to);
    if valid_from.is_none() {
        p.add("programme.valid_from", "必须是日期");
    }
    if valid_to.is_none() {
        p.add("programme.valid_to", "必须是日期");
    }
    let grading_category = match raw.programme.grading.as_str() {
        "category" => true,
        "level" => false,
        other => {
            p.add(
                "programme.grading",
                format!("应为 category 或 level，收到“{other}”"),
            );
            true
        }
    };
    let start = valid_from.unwrap_or(NaiveDate::MIN);
    for (key, text) in [
        ("programme.title", &raw.programme.title),
        ("programme.short_title", &raw.programme.short_title),
        ("programme.document", &raw.programme.document),
        ("programme.issuer", &raw.programme.issuer),
    ] {
        if text.trim().is_empty() {
            p.add(key, "不能为空");
        }
    }

    let mut clauses = Vec::new();
    for (order, rc) in raw.clause.iter().enumerate() {
        if let Some(clause) = load_clause(&mut p, rc, order, grading_category) {
            if clauses.iter().any(|c: &Clause| c.id == clause.id) {
                p.add(format!("clause {}", clause.id), "条款编号重复");
            }
            clauses.push(clause);
        }
    }
    if let Ok(programme) = programme {
        for id in programme.clause_ids() {
            if !clauses.iter().any(|c| c.id == *id) {
                p.add(format!("clause {id}"), "缺少这一有资金的条款");
            }
        }
    }
    let mut groups = Vec::new();
    for rg in &raw.group {
        let key = format!("group {}", rg.id);
        if rg.text.trim().is_empty() {
            p.add(&key, "缺少条文原文 (text)");
        }
        for c in &rg.clauses {
            if !clauses.iter().any(|cl| &cl.id == c) {
                p.add(format!("{key}.clauses"), format!("没有条款“{c}”"));
            }
        }
        let params = load_params(&mut p, &key, &rg.params);
        for needed in ["cap_benchmark", "cap_municipal"] {
            if !params.contains_key(needed) {
                p.add(format!("{key}.params"), format!("缺少参数 {needed}"));
            }
        }
        groups.push(Group {
            id: rg.id.clone(),
            citation: rg.citation.clone(),
            text: rg.text.clone(),
            clauses: rg.clauses.clone(),
            params,
        });
    }
    for clause in &clauses {
        if let Some(g) = &clause.group
            && !groups.iter().any(|gr| &gr.id == g)
        {
            p.add(
                format!("clause {}.group", clause.id),
                format!("没有组“{g}”"),
            );
        }
    }
    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    Ok(ProgrammeCatalog {
        programme: programme.unwrap_or(Programme::ZsPtsp2018),
        title: raw.programme.title,
        short_title: raw.programme.short_title,
        document: raw.programme.document,
        issuer: raw.programme.issuer,
        valid_from: start,
        valid_to: valid_to.unwrap_or(NaiveDate::MAX),
        validity_reference: raw.programme.validity_reference.trim().to_string(),
        last_application_year: raw.programme.last_application_year,
        window_months: raw.programme.window_months,
        clauses,
        groups,
    })
}

fn load_clause(
    p: &mut Problems<'_>,
    rc: &RawClause,
    order: usize,
    grading_category: bool,
) -> Option<Clause> {
    let key = format!("clause {}", rc.id);
    for (field, text) in [
        ("title", &rc.title),
        ("citation", &rc.citation),
        ("text", &rc.text),
    ] {
        if text.trim().is_empty() {
            p.add(
                format!("{key}.{field}"),
                "不能为空（每个条款都要有标题、出处和条文原文）",
            );
        }
    }
    let formula = match Formula::parse(&rc.formula) {
        Some(f) => f,
        None => {
            p.add(
                format!("{key}.formula"),
                format!("未知的公式类型“{}”", rc.formula),
            );
            return None;
        }
    };
    let mut categories = Vec::new();
    for c in &rc.categories {
        match u8::try_from(*c) {
            Ok(n) if n <= 24 => categories.push(n),
            _ => p.add(
                format!("{key}.categories"),
                format!("平台类别应为0–24，收到{c}"),
            ),
        }
    }
    if !categories.is_empty() && !grading_category {
        p.add(
            format!("{key}.categories"),
            "本政策按级别认定平台，不能按类别限定",
        );
    }
    let mut levels = Vec::new();
    for l in &rc.levels {
        match PlatformLevel::parse(l) {
            Ok(level) => levels.push(level),
            Err(e) => p.add(format!("{key}.levels"), e),
        }
    }
    if !levels.is_empty() && grading_category {
        p.add(
            format!("{key}.levels"),
            "本政策按类别认定平台，不能按级别限定",
        );
    }
    let window = match rc.window.as_deref() {
        None | Some("none") => WindowRule::None,
        Some("units") => WindowRule::Units,
        Some("year") => WindowRule::Year,
        Some(other) => {
            p.add(
                format!("{key}.window"),
                format!("应为 none、units 或 year，收到“{other}”"),
            );
            WindowRule::None
        }
    };
    let params = load_params(p, &key, &rc.params);
    for name in &rc.bureau_sets {
        if !params.contains_key(name) {
            p.add(
                format!("{key}.bureau_sets"),
                format!("参数“{name}”未在 params 中声明"),
            );
        }
    }
    let spec = match FormulaSpec::new(
        formula,
        rc.base.as_deref(),
        rc.field.as_deref(),
        rc.requires.as_deref(),
        rc.list.as_deref(),
        rc.date_field.as_deref(),
    ) {
        Ok(spec) => spec,
        Err(message) => {
            p.add(format!("{key}.formula"), message);
            return None;
        }
    };
    for needed in formula.required_params() {
        if !params.contains_key(*needed) {
            p.add(
                format!("{key}.params"),
                format!("公式 {} 需要参数 {needed}", rc.formula),
            );
        }
    }
    for name in params.keys() {
        let known = formula.required_params().contains(&name.as_str())
            || ["annual_cap", "lifetime_cap"].contains(&name.as_str());
        if !known {
            p.add(
                format!("{key}.params.{name}"),
                format!("公式 {} 不使用这个参数", rc.formula),
            );
        }
    }
    Some(Clause {
        id: rc.id.clone(),
        title: rc.title.clone(),
        citation: rc.citation.clone(),
        text: rc.text.clone(),
        note: rc.note.clone(),
        formula,
        categories,
        levels,
        window,
        zhongshan: rc.zhongshan,
        headquarters_policy: rc.headquarters_policy,
        one_time: rc.one_time,
        group: rc.group.clone(),
        params,
        bureau_sets: rc.bureau_sets.clone(),
        spec,
        order,
    })
}

fn load_params(
    p: &mut Problems<'_>,
    key: &str,
    raw: &BTreeMap<String, RawParam>,
) -> BTreeMap<String, Parameter> {
    let mut params = BTreeMap::new();
    for (name, value) in raw {
        let pkey = format!("{key}.params.{name}");
        let mut values = Vec::new();
        if value.label.trim().is_empty() {
            p.add(&pkey, "label 不能为空（写条文对该参数的称呼）");
        }
        if value.unit.trim().is_empty() {
            p.add(&pkey, "unit 不能为空（元、比例、元/m²·月……）");
        }
        let entries: Vec<(NaiveDate, &str, String)> = value
            .values
            .iter()
            .filter_map(|d| match date(&d.from) {
                Some(from) => Some((from, d.value.as_str(), d.reference.clone())),
                None => {
                    p.add(&pkey, "from 必须是日期");
                    None
                }
            })
            .collect();
        for (from, text, reference) in entries {
            match text.trim().parse::<Money>() {
                Ok(v) if v.is_sign_negative() && !v.is_zero() => {
                    p.add(&pkey, format!("不能为负数，收到“{text}”"));
                }
                Ok(_) if reference.trim().is_empty() => {
                    p.add(&pkey, "每个取值都须写明依据（reference：文件与条款）");
                }
                Ok(value) => values.push(DatedValue {
                    from,
                    value,
                    reference,
                }),
                Err(_) => p.add(&pkey, format!("必须是数字，收到“{text}”")),
            }
        }
        if values.windows(2).any(|w| w[0].from >= w[1].from) {
            p.add(&pkey, "各取值的生效日期必须从早到晚排列");
        }
        params.insert(
            name.clone(),
            Parameter {
                label: value.label.trim().to_string(),
                unit: value.unit.trim().to_string(),
                values,
            },
        );
    }
    params
}
