//! The calculator's output (`docs/policy/CASE-FILE.md`). The explanation is data: each step keeps
//! its numbers, each excluded unit its reason; the Chinese sentences are rendered when the result is
//! shown (JSON, `--explain`, the UI, the printed form), not while computing.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::calc::Span;
use crate::case::YearMonth;
use crate::money::{Money, format_amount, round_to_cents};
use crate::{CreditCode, Programme};

/// What set a line's ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitedBy {
    Rate,
    UnitCap,
    AnnualCap,
    LifetimeCap,
    GroupCap,
    OneTime,
    Window,
    Ineligible,
    Parameter,
}

impl LimitedBy {
    pub fn label(self) -> &'static str {
        match self {
            LimitedBy::Rate => "按标准计算",
            LimitedBy::UnitCap => "单项上限",
            LimitedBy::AnnualCap => "年度上限",
            LimitedBy::LifetimeCap => "累计上限",
            LimitedBy::GroupCap => "合计上限",
            LimitedBy::OneTime => "一次性（已享受）",
            LimitedBy::Window => "补助期限",
            LimitedBy::Ineligible => "不符合条件",
            LimitedBy::Parameter => "主管部门设定的参数",
        }
    }
}

/// Which maximum inside a clause's formula bound, when a line is limited by `unit_cap`
/// (CASE-FILE.md keeps the one value; this says which cap it was, so every face names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitCap {
    /// zs-ptsp-2018 6.2: the rent counted per m² and month (50 元).
    RentCap,
    /// zs-iip-2021 2.2a: the city's reference rent (市房屋租金参考价) of the lease.
    ReferenceRent,
    /// zs-ptsp-2018 6.5: principal × the annual interest rate (2%) for the days counted.
    InterestRate,
    /// A maximum per unit or per item: per order, per line, per first unit, per project, or the
    /// clause's own maximum amount (6.4's 200万, 6.13, 6.15, 2.3, 6.a).
    ItemCap,
    /// zs-iip-2021 4.4: the maximum per enterprise (30万).
    PerEnterprise,
    /// 十一(一): investment less other funding (6.a: investment less the grants).
    NetInvestment,
}

impl UnitCap {
    pub fn label(self) -> &'static str {
        match self {
            UnitCap::RentCap => "租金补助标准上限",
            UnitCap::ReferenceRent => "市房屋租金参考价",
            UnitCap::InterestRate => "贴息年利率上限",
            UnitCap::ItemCap => "单项上限",
            UnitCap::PerEnterprise => "每家企业上限",
            UnitCap::NetInvestment => "投资额扣除其他资金",
        }
    }
}

/// What set a line's ceiling, in words: the cap inside the formula by name when one bound
/// (several, joined with 、, when different caps bound different units), else `limited`'s label.
pub fn limited_by_label(limited: LimitedBy, unit_caps: &[UnitCap]) -> String {
    if limited == LimitedBy::UnitCap && !unit_caps.is_empty() {
        let mut names: Vec<&str> = Vec::new();
        for c in unit_caps {
            if !names.contains(&c.label()) {
                names.push(c.label());
            }
        }
        names.join("、")
    } else {
        limited.label().to_string()
    }
}

/// A unit of an item: `leases[0] 2019-06`, `solutions[2]`, with the item when a clause has several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRef {
    pub item: usize,
    pub list: &'static str,
    pub index: usize,
    pub month: Option<YearMonth>,
}

impl UnitRef {
    fn render(&self, with_item: bool) -> String {
        let mut text = if with_item {
            format!("items[{}].{}[{}]", self.item, self.list, self.index)
        } else {
            format!("{}[{}]", self.list, self.index)
        };
        if let Some(m) = self.month {
            text.push_str(&format!(" {m}"));
        }
        text
    }
}

/// Why a unit does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    NotApplicationYear,
    OutsideValidity,
    OutsideWindow,
    NotZhongshan,
    OfficerFoundNotZhongshan,
    EcosystemBenchmarkOnly,
    AlreadySupported,
    ProviderNotApproved,
    OutsideCloudWindow,
    NotConnected,
    LowUsage,
    /// 不予认定 by the officer; the reason is the excluded unit's note.
    Refused,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::NotApplicationYear => "非申报年度",
            Reason::OutsideValidity => "超出政策有效期",
            Reason::OutsideWindow => "超出补助期限",
            Reason::NotZhongshan => "非中山市企业",
            Reason::OfficerFoundNotZhongshan => "非中山市企业（经办人认定）",
            Reason::EcosystemBenchmarkOnly => "生态企业场地仅限标杆平台",
            Reason::AlreadySupported => "已享受（该企业已获本条支持）",
            Reason::ProviderNotApproved => "非入围服务商",
            Reason::OutsideCloudWindow => "超出系统上线后三年",
            Reason::NotConnected => "接入天数为0",
            Reason::LowUsage => "使用时间占比不足",
            Reason::Refused => "不予认定",
        }
    }

    /// Reasons of dates alone: a line whose every unit fails only these is limited by `window`.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Reason::NotApplicationYear
                | Reason::OutsideValidity
                | Reason::OutsideWindow
                | Reason::OutsideCloudWindow
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub unit: UnitRef,
    pub reason: Reason,
    /// The officer's reason of a refused unit (不予认定：缺少验收报告).
    pub note: Option<Box<str>>,
}

impl Excluded {
    /// The reason in words: "不予认定：缺少验收报告" for a refused unit.
    pub fn reason_text(&self) -> String {
        match &self.note {
            Some(note) => format!("{}：{note}", self.reason.label()),
            None => self.reason.label().to_string(),
        }
    }
}

/// A step of a line's computation, as its clause words it: each kind with its own numbers, by
/// name. The Chinese sentence is rendered from it when the result is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// zs-ptsp-2018 6.2: area × min(rent, cap) × months.
    Lease {
        area: Money,
        rent: Money,
        cap: Money,
        months: u32,
    },
    /// zs-iip-2021 2.2a: area × min(rent, the city's reference rent) × months.
    LeaseReference {
        area: Money,
        rent: Money,
        reference: Money,
        months: u32,
    },
    /// 6.4 / 2.1: (paid-in − fiscal) × rate, at most cap; `fiscal` only where it is subtracted.
    CapitalGrant {
        paid_in: Money,
        fiscal: Option<Money>,
        rate: Money,
        cap: Money,
    },
    /// 6.3: fiscal ÷ paid-in against the largest share (no money).
    EquityCheck {
        paid_in: Money,
        fiscal: Money,
        share: Money,
        max_share: Money,
    },
    /// 6.5: min(interest × d/D, principal × rate × d/L) over the days counted.
    Loan {
        interest_paid: Money,
        principal: Money,
        rate: Money,
        /// L: the days of the application year.
        year_days: i64,
        period: Span,
        counted: Span,
        /// Why the period's days before / after `counted` do not count.
        before: Option<Reason>,
        after: Option<Reason>,
    },
    /// A fixed amount per counted unit.
    PerUnit {
        count: u64,
        each: Money,
    },
    /// 6.9: product-end and equipment-end solutions.
    PerKind {
        products: u64,
        product_each: Money,
        equipment: u64,
        equipment_each: Money,
    },
    /// 6.8: min(order × rate, cap per order).
    Order {
        amount: Money,
        rate: Money,
        cap: Money,
    },
    /// 6.10: enterprises converted and schemes.
    DigitalHome {
        enterprises: u64,
        each: Money,
        schemes: u64,
        scheme_each: Money,
    },
    /// 6.11: the purchases' total × rate.
    Purchases {
        total: Money,
        rate: Money,
    },
    /// 6.12: rows by enterprise and services by time.
    Services {
        enterprises: u64,
        each: Money,
        times: u64,
        per_time: Money,
    },
    /// min(cost, cap): 6.13, 6.15, 2.2b.
    CappedCost {
        cost: Money,
        cap: Money,
    },
    /// 6.14a: min(price × rate, the cap of its kind).
    FirstUnit {
        price: Money,
        rate: Money,
        cap: Money,
    },
    /// 6.14b: min(investment × rate, cap).
    FirstLine {
        investment: Money,
        rate: Money,
        cap: Money,
    },
    /// 6.16: the counted fees' total (the step's amount).
    CloudFees,
    /// 6.18, 10: the declared amount, for the city government.
    CaseByCase,
    /// 6.17: the declared amount, by the headquarters-economy policy.
    HeadquartersPolicy,
    /// 2.3: (fixed assets + software) × rate, at most cap.
    DemoLine {
        fixed_assets: Money,
        software: Money,
        rate: Money,
        cap: Money,
    },
    /// A fixed award (the step's amount).
    FixedAward,
    /// 4.1: min(contract, cap, investment − other funding when given).
    Project {
        contract: Money,
        cap: Money,
        net: Option<Money>,
    },
    /// A threshold passed: the award is the step's amount.
    ThresholdMet {
        value: Money,
        threshold: Money,
    },
    ThresholdMissed {
        value: Money,
        threshold: Money,
    },
    /// 4.4: one contract of an enterprise, at most investment − other funding when given.
    Contract {
        enterprise: Option<CreditCode>,
        contract: Money,
        net: Option<Money>,
    },
    /// 4.4: one enterprise's counted contracts, at most the cap per enterprise.
    Enterprise {
        enterprise: Option<CreditCode>,
        contracts: Money,
        cap: Money,
    },
    /// 4.5: (n − h) × each when n > h.
    CloudAdoption {
        active: u32,
        baseline: Money,
        each: Money,
    },
    /// 6.a: min(grants, cap, investment − grants).
    IdentifierMatch {
        grants: Money,
        cap: Money,
        investment: Money,
    },
    /// 6.b: both thresholds passed (the step's amount is the award, 0 when not).
    IdentifierBreakthrough {
        registrations: Money,
        registrations_over: Money,
        resolutions: Money,
        resolutions_over: Money,
    },
    /// zs-iip-2021 8: investment × the bureau's rate.
    Infrastructure {
        investment: Money,
        rate: Money,
    },
    AnnualCap {
        cap: Money,
        used: Money,
        room: Money,
    },
    LifetimeCap {
        cap: Money,
        used: Money,
        room: Money,
    },
    /// zs-iip-2021 四: the group's room after its history and the case's earlier lines.
    GroupCap {
        cap: Money,
        history: Money,
        earlier: Money,
        room: Money,
    },
    /// A one-time clause already enjoyed in `year`.
    OneTimeUsed {
        year: i32,
    },
    /// The platform's category is not among the clause's (平台类别不符).
    IneligibleCategory,
    /// The clause is for benchmark platforms only (仅限标杆平台).
    BenchmarkOnly,
    /// 6.13: the platform did not relocate its headquarters.
    IneligibleRequirement,
    /// The application year does not overlap W.
    YearOutsideWindow,
    /// The application year lies wholly outside the programme's validity.
    YearOutsideValidity,
    /// No unit counts.
    NothingCounted,
    /// The line's support window W.
    Window {
        window: Span,
        months: u32,
    },
    /// The exact sum of the `terms` unit amounts above, before any rounding.
    Sum {
        terms: usize,
    },
    /// The line's one rounding, to the cent (only when the exact amount was not whole cents).
    Rounded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub what: What,
    pub unit: Option<UnitRef>,
    /// The amount after this step, exact (the line is rounded once, at the end).
    pub amount: Money,
}

/// "→ 1200000.00" when the cap bound (the amount is the room), "，未超出" when it did not.
fn cap_outcome(room: Money, amount: Money) -> String {
    if amount < room {
        "，未超出".to_string()
    } else {
        format!(" → {}", exact(amount))
    }
}

/// An amount as it adds up: two decimals when it is whole cents, else its exact value (to six
/// decimals, "约" when longer), so that the units shown sum to the line before it is rounded.
pub fn exact(v: Money) -> String {
    if round_to_cents(v) == v {
        format_amount(v)
    } else if v.round_dp(6) == v {
        v.normalize().to_string()
    } else {
        format!("约 {}", v.round_dp(6).normalize())
    }
}

fn day_span(s: Span) -> String {
    if s.from == s.to {
        format!("{}（1 天）", s.from)
    } else {
        format!("{} 至 {}（{} 天）", s.from, s.to, s.days())
    }
}

/// "，计入 2022-01-01 至 2022-07-14（195 天）；2022-07-15 至 2022-12-31 超出补助期限".
fn days_counted(
    period: Span,
    counted: Span,
    before: Option<Reason>,
    after: Option<Reason>,
) -> String {
    if period == counted {
        return "，全部计入".to_string();
    }
    let mut why = Vec::new();
    if let (Some(r), Some(last)) = (before, counted.from.pred_opt()) {
        why.push(format!("{} 至 {} {}", period.from, last, r.label()));
    }
    if let (Some(r), Some(next)) = (after, counted.to.succ_opt()) {
        why.push(format!("{} 至 {} {}", next, period.to, r.label()));
    }
    format!("，计入 {}；{}，不计入", day_span(counted), why.join("；"))
}

fn n(v: Money) -> String {
    v.normalize().to_string()
}

fn pct(v: Money) -> String {
    format!("{}%", (v * Money::ONE_HUNDRED).normalize())
}

impl What {
    /// The kind's name, as the result's JSON gives it (`"kind": "Lease"`).
    pub fn name(&self) -> &'static str {
        match self {
            What::Lease { .. } => "Lease",
            What::LeaseReference { .. } => "LeaseReference",
            What::CapitalGrant { .. } => "CapitalGrant",
            What::EquityCheck { .. } => "EquityCheck",
            What::Loan { .. } => "Loan",
            What::PerUnit { .. } => "PerUnit",
            What::PerKind { .. } => "PerKind",
            What::Order { .. } => "Order",
            What::DigitalHome { .. } => "DigitalHome",
            What::Purchases { .. } => "Purchases",
            What::Services { .. } => "Services",
            What::CappedCost { .. } => "CappedCost",
            What::FirstUnit { .. } => "FirstUnit",
            What::FirstLine { .. } => "FirstLine",
            What::CloudFees => "CloudFees",
            What::CaseByCase => "CaseByCase",
            What::HeadquartersPolicy => "HeadquartersPolicy",
            What::DemoLine { .. } => "DemoLine",
            What::FixedAward => "FixedAward",
            What::Project { .. } => "Project",
            What::ThresholdMet { .. } => "ThresholdMet",
            What::ThresholdMissed { .. } => "ThresholdMissed",
            What::Contract { .. } => "Contract",
            What::Enterprise { .. } => "Enterprise",
            What::CloudAdoption { .. } => "CloudAdoption",
            What::IdentifierMatch { .. } => "IdentifierMatch",
            What::IdentifierBreakthrough { .. } => "IdentifierBreakthrough",
            What::Infrastructure { .. } => "Infrastructure",
            What::AnnualCap { .. } => "AnnualCap",
            What::LifetimeCap { .. } => "LifetimeCap",
            What::GroupCap { .. } => "GroupCap",
            What::OneTimeUsed { .. } => "OneTimeUsed",
            What::IneligibleCategory => "IneligibleCategory",
            What::BenchmarkOnly => "BenchmarkOnly",
            What::IneligibleRequirement => "IneligibleRequirement",
            What::YearOutsideWindow => "YearOutsideWindow",
            What::YearOutsideValidity => "YearOutsideValidity",
            What::NothingCounted => "NothingCounted",
            What::Window { .. } => "Window",
            What::Sum { .. } => "Sum",
            What::Rounded => "Rounded",
        }
    }

    /// A step whose amount is one term of the formula's sum (a lease, a loan, an order, an
    /// enterprise): a line with several is followed by their exact sum.
    pub fn is_term(&self) -> bool {
        matches!(
            self,
            What::Lease { .. }
                | What::LeaseReference { .. }
                | What::Loan { .. }
                | What::Order { .. }
                | What::FirstUnit { .. }
                | What::FirstLine { .. }
                | What::Project { .. }
                | What::Enterprise { .. }
        )
    }
}

fn enterprise(code: &Option<CreditCode>) -> String {
    match code {
        Some(code) => code.to_string(),
        None => "（未填信用代码）".to_string(),
    }
}

impl Step {
    /// The sentence a person reads.
    pub fn render(&self, with_item: bool) -> String {
        match self.unit {
            Some(u) => format!("{}：{}", u.render(with_item), self.sentence()),
            None => self.sentence(),
        }
    }

    /// The sentence without its unit (the faces name the unit their own way, from `unit`).
    pub fn sentence(&self) -> String {
        let a = exact(self.amount);
        match &self.what {
            What::Lease {
                area,
                rent,
                cap,
                months,
            } => format!(
                "{} m² × min({}, {}) 元/m²/月 × {months} 个月 = {a}",
                n(*area),
                n(*rent),
                n(*cap)
            ),
            What::LeaseReference {
                area,
                rent,
                reference,
                months,
            } => format!(
                "{} m² × min({}, 参考价 {}) 元/m²/月 × {months} 个月 = {a}",
                n(*area),
                n(*rent),
                n(*reference)
            ),
            What::CapitalGrant {
                paid_in,
                fiscal,
                rate,
                cap,
            } => match fiscal.filter(|f| !f.is_zero()) {
                Some(fiscal) if fiscal >= *paid_in => format!(
                    "财政资金实缴出资 {} 不低于实缴注册资本 {}，扣除后可计补助的资本为 0 → {a}",
                    n(fiscal),
                    n(*paid_in)
                ),
                Some(fiscal) => format!(
                    "（实缴注册资本 {} − 财政资金实缴出资 {}）× {} = {}，最高 {} → {a}",
                    n(*paid_in),
                    n(fiscal),
                    pct(*rate),
                    format_amount((*paid_in - fiscal) * rate),
                    format_amount(*cap)
                ),
                None => format!(
                    "实缴注册资本 {} × {} = {}，最高 {} → {a}",
                    n(*paid_in),
                    pct(*rate),
                    format_amount(*paid_in * rate),
                    format_amount(*cap)
                ),
            },
            What::EquityCheck {
                paid_in,
                fiscal,
                share,
                max_share,
            } => format!(
                "财政资金实缴出资 {} ÷ 实缴注册资本 {} = {}（不得超过 {}）；本条不计补助金额",
                n(*fiscal),
                n(*paid_in),
                pct(share.round_dp(4)),
                pct(*max_share)
            ),
            What::Loan {
                interest_paid,
                principal,
                rate,
                year_days,
                period,
                counted,
                before,
                after,
            } => {
                let (d, all) = (counted.days(), period.days());
                format!(
                    "贴息期 {}{}；min(实付利息 {} × {d}/{all} 天, 本金 {} × {} × {d}/{year_days}) = {a}",
                    day_span(*period),
                    days_counted(*period, *counted, *before, *after),
                    n(*interest_paid),
                    n(*principal),
                    pct(*rate),
                )
            }
            What::PerUnit { count, each } => format!("{count} 个 × {} = {a}", format_amount(*each)),
            What::PerKind {
                products,
                product_each,
                equipment,
                equipment_each,
            } => format!(
                "产品端 {products} 个 × {} + 生产设备端 {equipment} 个 × {} = {a}",
                format_amount(*product_each),
                format_amount(*equipment_each)
            ),
            What::Order { amount, rate, cap } => format!(
                "min(订单 {} × {}, {}) = {a}",
                n(*amount),
                pct(*rate),
                format_amount(*cap)
            ),
            What::DigitalHome {
                enterprises,
                each,
                schemes,
                scheme_each,
            } => format!(
                "3D转换企业 {enterprises} 家 × {} + 接入方案 {schemes} 个 × {} = {a}",
                format_amount(*each),
                format_amount(*scheme_each)
            ),
            What::Purchases { total, rate } => {
                format!("设备购置额 {} × {} = {a}", n(*total), pct(*rate))
            }
            What::Services {
                enterprises,
                each,
                times,
                per_time,
            } => format!(
                "按企业 {enterprises} 家 × {} + 按次 {times} 次 × {} = {a}",
                format_amount(*each),
                format_amount(*per_time)
            ),
            What::CappedCost { cost, cap } => {
                format!("min(费用 {}, 最高 {}) = {a}", n(*cost), format_amount(*cap))
            }
            What::FirstUnit { price, rate, cap } => format!(
                "min(售价 {} × {}, {}) = {a}",
                n(*price),
                pct(*rate),
                format_amount(*cap)
            ),
            What::FirstLine {
                investment,
                rate,
                cap,
            } => format!(
                "min(投资额 {} × {}, {}) = {a}",
                n(*investment),
                pct(*rate),
                format_amount(*cap)
            ),
            What::CloudFees => format!("入围服务商费用合计 = {a}"),
            What::CaseByCase => format!("一事一议，按申报金额 {a} 报市政府审批"),
            What::HeadquartersPolicy => {
                format!("参照总部经济政策，按申报金额 {a}，需参照总部经济政策核定")
            }
            What::DemoLine {
                fixed_assets,
                software,
                rate,
                cap,
            } => format!(
                "（固定资产投资 {} + 软件费用 {}）× {} = {}，最高 {} → {a}",
                n(*fixed_assets),
                n(*software),
                pct(*rate),
                format_amount((*fixed_assets + software) * rate),
                format_amount(*cap)
            ),
            What::FixedAward => format!("定额奖励 {a}"),
            What::Project { contract, cap, net } => match net {
                None => format!(
                    "min(合同金额 {}, {}) = {a}",
                    n(*contract),
                    format_amount(*cap)
                ),
                Some(net) => format!(
                    "min(合同金额 {}, {}, 投资额 − 其他财政资助 {}) = {a}",
                    n(*contract),
                    format_amount(*cap),
                    n(*net)
                ),
            },
            What::ThresholdMet { value, threshold } => {
                format!("{} 超过 {}，奖励 {a}", n(*value), n(*threshold))
            }
            What::ThresholdMissed { value, threshold } => {
                format!("{} 未超过 {}，不予奖励", n(*value), n(*threshold))
            }
            What::Contract {
                enterprise: code,
                contract,
                net,
            } => match net {
                None => format!(
                    "企业 {} 合同金额 {}，计 {a}",
                    enterprise(code),
                    n(*contract)
                ),
                Some(net) => format!(
                    "企业 {} 合同金额 {}，投资额 − 其他财政资助 {}，计 min({}, {}) = {a}",
                    enterprise(code),
                    n(*contract),
                    n(*net),
                    n(*contract),
                    n(*net)
                ),
            },
            What::Enterprise {
                enterprise: code,
                contracts,
                cap,
            } => format!(
                "企业 {}：验收合同合计 {}，每家企业最高 {} → {a}",
                enterprise(code),
                exact(*contracts),
                format_amount(*cap)
            ),
            What::CloudAdoption {
                active,
                baseline,
                each,
            } => {
                if Money::from(*active) > *baseline {
                    format!(
                        "活跃企业 {active} 家，超过基数 {} 家，({active} − {}) × {} = {a}",
                        n(*baseline),
                        n(*baseline),
                        format_amount(*each)
                    )
                } else {
                    format!(
                        "活跃企业 {active} 家，未超过基数 {} 家，不予奖励",
                        n(*baseline)
                    )
                }
            }
            What::IdentifierMatch {
                grants,
                cap,
                investment,
            } => format!(
                "min(国家、省奖补 {} 的1:1配套, {}, 投资总额 {} − 奖补 {}) = {a}",
                n(*grants),
                format_amount(*cap),
                n(*investment),
                n(*grants)
            ),
            What::IdentifierBreakthrough {
                registrations,
                registrations_over,
                resolutions,
                resolutions_over,
            } => {
                if self.amount.is_zero() {
                    format!(
                        "年新增注册量 {}（须超过 {}）、日均解析量 {}（须超过 {}），未达到，不予奖励",
                        n(*registrations),
                        n(*registrations_over),
                        n(*resolutions),
                        n(*resolutions_over)
                    )
                } else {
                    format!(
                        "年新增注册量 {} 超过 {}，日均解析量 {} 超过 {}，奖励 {a}",
                        n(*registrations),
                        n(*registrations_over),
                        n(*resolutions),
                        n(*resolutions_over)
                    )
                }
            }
            What::Infrastructure { investment, rate } => format!(
                "基础设施投资额 {} × {}（主管部门设定）= {a}",
                n(*investment),
                pct(*rate)
            ),
            What::AnnualCap { cap, used, room } => format!(
                "每年最高 {}，本年已核定 {}，余 {}{}",
                format_amount(*cap),
                format_amount(*used),
                format_amount(*room),
                cap_outcome(*room, self.amount)
            ),
            What::LifetimeCap { cap, used, room } => format!(
                "每个平台累计最高 {}，历年已核定 {}，余 {}{}",
                format_amount(*cap),
                format_amount(*used),
                format_amount(*room),
                cap_outcome(*room, self.amount)
            ),
            What::GroupCap {
                cap,
                history,
                earlier,
                room,
            } => format!(
                "第四条各项合计每年最高 {}，本年已核定 {}，本案前列各项已占 {}，余 {}{}",
                format_amount(*cap),
                format_amount(*history),
                format_amount(*earlier),
                format_amount(*room),
                cap_outcome(*room, self.amount)
            ),
            What::OneTimeUsed { year } => format!("一次性补助，已于 {year} 年度享受 → 0.00"),
            What::IneligibleCategory => "平台类别不符 → 0.00".to_string(),
            What::BenchmarkOnly => "仅限标杆平台 → 0.00".to_string(),
            What::IneligibleRequirement => "平台未由市外迁入总部，不符合本条 → 0.00".to_string(),
            What::YearOutsideWindow => "申报年度不在补助期限内 → 0.00".to_string(),
            What::YearOutsideValidity => {
                "申报年度不在政策有效期内（该年度的活动不予补助）→ 0.00".to_string()
            }
            What::NothingCounted => "没有符合条件的申报单元 → 0.00".to_string(),
            What::Window { window, months } => format!(
                "补助期限：自平台认定日 {} 起 {months} 个月，至 {}；期限外的申报单元不计入",
                window.from, window.to
            ),
            What::Sum { terms } => format!("以上 {terms} 项合计（未舍入）= {a}"),
            What::Rounded => {
                format!("全条合计按分四舍五入，只舍入这一次（各项不单独舍入）→ {a}")
            }
        }
    }
}

/// One line of the result: one clause of the case.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub clause: String,
    pub title: String,
    pub citation: String,
    /// Rounded to the cent, half away from zero.
    pub ceiling: Money,
    pub limited_by: LimitedBy,
    /// With `unit_cap`: which caps inside the formula bound, in the order they first did.
    pub unit_caps: Vec<UnitCap>,
    pub steps: Vec<Step>,
    pub excluded: Vec<Excluded>,
    pub active_count: Option<u32>,
    /// Units are named with their item when the clause came in several items.
    pub several_items: bool,
}

impl Line {
    /// What set the ceiling, in words (e.g. 租金补助标准上限 rather than 单项上限).
    pub fn limited_by_label(&self) -> String {
        if self.limited_by == LimitedBy::Window {
            return self.window_cause();
        }
        limited_by_label(self.limited_by, &self.unit_caps)
    }

    /// Why a `window` line is 0, in the reasons' own words: 超出政策有效期 for a year outside V,
    /// else the distinct date reasons of the units left out (非申报年度、超出补助期限).
    fn window_cause(&self) -> String {
        if self
            .steps
            .iter()
            .any(|s| s.what == What::YearOutsideValidity)
        {
            return Reason::OutsideValidity.label().to_string();
        }
        if self.steps.iter().any(|s| s.what == What::YearOutsideWindow) {
            return Reason::OutsideWindow.label().to_string();
        }
        let mut names: Vec<&str> = Vec::new();
        for e in self.excluded.iter().filter(|e| e.reason.is_date()) {
            if !names.contains(&e.reason.label()) {
                names.push(e.reason.label());
            }
        }
        if names.is_empty() {
            LimitedBy::Window.label().to_string()
        } else {
            names.join("、")
        }
    }

    /// The explanation as sentences, in order.
    pub fn explanation(&self) -> Vec<String> {
        self.steps
            .iter()
            .map(|s| s.render(self.several_items))
            .collect()
    }

    pub fn excluded_text(&self) -> Vec<(String, String)> {
        self.excluded
            .iter()
            .map(|e| (e.unit.render(self.several_items), e.reason_text()))
            .collect()
    }
}

/// A unit as data, so that a face names it its own way without reading the rendered path:
/// `item` (the case file's item index) only when the clause came in several items.
#[derive(Serialize)]
struct UnitJson {
    item: Option<usize>,
    list: &'static str,
    index: usize,
    month: Option<String>,
}

impl UnitJson {
    fn of(u: &UnitRef, with_item: bool) -> Self {
        UnitJson {
            item: with_item.then_some(u.item),
            list: u.list,
            index: u.index,
            month: u.month.map(|m| m.to_string()),
        }
    }
}

struct ExcludedJson<'a>(&'a Line);

impl Serialize for ExcludedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.excluded.len()))?;
        #[derive(Serialize)]
        struct Entry {
            unit: String,
            unit_ref: UnitJson,
            reason: String,
        }
        for (e, (unit, reason)) in self.0.excluded.iter().zip(self.0.excluded_text()) {
            seq.serialize_element(&Entry {
                unit,
                unit_ref: UnitJson::of(&e.unit, self.0.several_items),
                reason,
            })?;
        }
        seq.end()
    }
}

struct StepsJson<'a>(&'a Line);

impl Serialize for StepsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.steps.len()))?;
        for step in &self.0.steps {
            seq.serialize_element(&StepJson(step, self.0.several_items))?;
        }
        seq.end()
    }
}

struct StepJson<'a>(&'a Step, bool);

impl Serialize for StepJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("kind", self.0.what.name())?;
        map.serialize_entry("unit", &self.0.unit.map(|u| u.render(self.1)))?;
        map.serialize_entry(
            "unit_ref",
            &self.0.unit.as_ref().map(|u| UnitJson::of(u, self.1)),
        )?;
        map.serialize_entry("sentence", &self.0.sentence())?;
        map.serialize_entry("amount", &format_amount(self.0.amount))?;
        map.serialize_entry("text", &self.0.render(self.1))?;
        map.end()
    }
}

impl Serialize for Line {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Line", 11)?;
        st.serialize_field("clause", &self.clause)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("citation", &self.citation)?;
        st.serialize_field("ceiling", &format_amount(self.ceiling))?;
        st.serialize_field("limited_by", &self.limited_by)?;
        st.serialize_field("limited_by_label", &self.limited_by_label())?;
        if self.unit_caps.is_empty() {
            st.skip_field("unit_caps")?;
        } else {
            st.serialize_field("unit_caps", &self.unit_caps)?;
        }
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("excluded", &ExcludedJson(self))?;
        st.serialize_field("steps", &StepsJson(self))?;
        if let Some(n) = self.active_count {
            st.serialize_field("active_count", &n)?;
        } else {
            st.skip_field("active_count")?;
        }
        st.end()
    }
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub programme: Programme,
    pub year: i32,
    pub lines: Vec<Line>,
    pub total: Money,
    pub warnings: Vec<String>,
}

impl Serialize for CaseResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CaseResult", 5)?;
        st.serialize_field("programme", &self.programme)?;
        st.serialize_field("year", &self.year)?;
        st.serialize_field("lines", &self.lines)?;
        st.serialize_field("total", &format_amount(self.total))?;
        st.serialize_field("warnings", &self.warnings)?;
        st.end()
    }
}
