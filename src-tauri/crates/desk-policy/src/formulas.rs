//! The formula kinds: what each needs from the catalog (parameters, configured field names) and
//! from the case (the item's fields and unit lists). The arithmetic is in `calc/`, one module per
//! formula kind.

/// One kind of formula; each clause of the catalog names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    Lease,
    LeaseReference,
    CapitalGrant,
    EquityCheck,
    LoanInterest,
    PerSolution,
    PerSolutionByKind,
    OrderShare,
    DigitalHome,
    PurchaseShare,
    Services,
    CappedCost,
    FirstUnits,
    FirstLines,
    CloudFees,
    CaseByCase,
    DemoLine,
    FixedAward,
    Projects,
    PerUnit,
    ThresholdAward,
    Transformation,
    CloudAdoption,
    IdentifierMatch,
    IdentifierBreakthrough,
    InfrastructureShare,
}

const NAMES: [(&str, Formula); 26] = [
    ("lease", Formula::Lease),
    ("lease_reference", Formula::LeaseReference),
    ("capital_grant", Formula::CapitalGrant),
    ("equity_check", Formula::EquityCheck),
    ("loan_interest", Formula::LoanInterest),
    ("per_solution", Formula::PerSolution),
    ("per_solution_by_kind", Formula::PerSolutionByKind),
    ("order_share", Formula::OrderShare),
    ("digital_home", Formula::DigitalHome),
    ("purchase_share", Formula::PurchaseShare),
    ("services", Formula::Services),
    ("capped_cost", Formula::CappedCost),
    ("first_units", Formula::FirstUnits),
    ("first_lines", Formula::FirstLines),
    ("cloud_fees", Formula::CloudFees),
    ("case_by_case", Formula::CaseByCase),
    ("demo_line", Formula::DemoLine),
    ("fixed_award", Formula::FixedAward),
    ("projects", Formula::Projects),
    ("per_unit", Formula::PerUnit),
    ("threshold_award", Formula::ThresholdAward),
    ("transformation", Formula::Transformation),
    ("cloud_adoption", Formula::CloudAdoption),
    ("identifier_match", Formula::IdentifierMatch),
    ("identifier_breakthrough", Formula::IdentifierBreakthrough),
    ("infrastructure_share", Formula::InfrastructureShare),
];

impl Formula {
    pub fn parse(name: &str) -> Option<Self> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// Whether the clause carries money (6.3 is a check only): its items need a 申请金额, and an
    /// approval stays within it (CLAUSES.md, revised: approval within the request).
    pub fn carries_money(self) -> bool {
        self != Formula::EquityCheck
    }

    /// Whether the formula's items carry dated units, each checked against the year, V and W.
    pub fn has_dated_units(self) -> bool {
        use Formula::*;
        !matches!(
            self,
            CapitalGrant
                | EquityCheck
                | CappedCost
                | CaseByCase
                | DemoLine
                | FixedAward
                | ThresholdAward
                | CloudAdoption
                | IdentifierMatch
                | IdentifierBreakthrough
                | InfrastructureShare
        )
    }

    /// The parameters the formula reads (besides the optional `annual_cap` and `lifetime_cap`).
    pub fn required_params(self) -> &'static [&'static str] {
        use Formula::*;
        match self {
            Lease => &["rent_cap_per_m2"],
            LeaseReference | CaseByCase => &[],
            CloudFees => &["months"],
            CapitalGrant => &["rate", "cap"],
            EquityCheck => &["max_fiscal_share"],
            LoanInterest => &["rate"],
            PerSolution | PerUnit | FixedAward => &["amount"],
            PerSolutionByKind => &["amount_product", "amount_equipment"],
            OrderShare => &["rate", "unit_cap"],
            DigitalHome => &["amount_per_enterprise", "amount_per_scheme"],
            PurchaseShare => &["rate"],
            Services => &["amount_per_enterprise", "amount_per_time"],
            CappedCost => &["cap"],
            FirstUnits => &["rate", "cap_set", "cap_single", "cap_component"],
            FirstLines => &["rate", "unit_cap"],
            DemoLine => &["rate", "cap"],
            Projects => &["unit_cap", "max_per_year"],
            ThresholdAward => &["threshold", "amount"],
            Transformation => &["unit_cap"],
            CloudAdoption => &["min_share", "baseline", "amount"],
            IdentifierMatch => &["cap"],
            IdentifierBreakthrough => &["registrations_over", "resolutions_over", "amount"],
            InfrastructureShare => &["rate"],
        }
    }
}

/// How a case's value is written and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A non-negative amount of yuan.
    Money,
    /// A non-negative decimal (a share, an average).
    Number,
    /// A non-negative whole number.
    Count,
    Date,
    /// "YYYY-MM".
    Month,
    CreditCode,
    Bool,
    /// Non-empty text.
    Text,
    Choice(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn req(name: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

/// A list of units inside an item (`leases`, `solutions`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpec {
    pub name: &'static str,
    pub fields: Vec<Field>,
    pub required: bool,
}

/// The fields of one clause's items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub fields: Vec<Field>,
    pub lists: Vec<ListSpec>,
}

use FieldKind::{Bool, Choice, Count, CreditCode, Date, Money, Month, Number, Text};

const ZHONGSHAN: Field = opt("zhongshan", Bool);
/// The officer's 不予认定 of a unit, with the reason (never in the template: the officer's own).
const REFUSED_FIELD: Field = opt(crate::case::REFUSED, Text);

fn list(name: &'static str, fields: &[Field]) -> ListSpec {
    ListSpec {
        name,
        fields: fields.to_vec(),
        required: true,
    }
}

/// A formula with its configuration from the catalog, checked at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaSpec {
    pub formula: Formula,
    /// capital_grant: subtract the fiscal capital (6.4) or not (2.1).
    pub less_fiscal: bool,
    /// capped_cost and threshold_award: the item's amount field.
    pub field: Option<&'static str>,
    /// capped_cost: the platform flag that must be true (6.13: relocated_hq).
    pub requires: Option<&'static str>,
    /// per_unit: the list and the date field of its units.
    pub list: Option<&'static str>,
    pub date_field: Option<&'static str>,
    pub schema: Schema,
}

impl FormulaSpec {
    /// Whether the computation reads the platform's optional fact `fact`: relocated_hq (6.13,
    /// its `requires`) or system_live_on (the cloud fees' free window). A template asks for a fact
    /// only when one of its clauses reads it.
    pub fn reads_platform_fact(&self, fact: &str) -> bool {
        match fact {
            "relocated_hq" => self.requires == Some("relocated_hq"),
            "system_live_on" => self.formula == Formula::CloudFees,
            _ => false,
        }
    }
}

fn known(
    name: Option<&str>,
    allowed: &[&'static str],
    what: &str,
) -> Result<Option<&'static str>, String> {
    match name {
        None => Ok(None),
        Some(n) => allowed
            .iter()
            .find(|a| **a == n)
            .map(|a| Some(*a))
            .ok_or_else(|| format!("{what}“{n}”不受支持，可选：{}", allowed.join("、"))),
    }
}

impl FormulaSpec {
    pub fn new(
        formula: Formula,
        base: Option<&str>,
        field: Option<&str>,
        requires: Option<&str>,
        list_name: Option<&str>,
        date_field: Option<&str>,
    ) -> Result<Self, String> {
        use Formula::*;
        let field = known(
            field,
            &["relocation_cost", "construction_cost", "revenue", "gmv"],
            "field ",
        )?;
        let requires = known(requires, &["relocated_hq"], "requires ")?;
        let list_name = known(
            list_name,
            &["factories", "workshops", "apps", "software"],
            "list ",
        )?;
        let date_field = known(
            date_field,
            &["accepted_on", "deployed_on", "registered_on"],
            "date_field ",
        )?;
        let less_fiscal = match (formula, base) {
            (CapitalGrant, Some("paid_in_less_fiscal")) => true,
            (CapitalGrant, Some("paid_in")) => false,
            (CapitalGrant, other) => {
                return Err(format!(
                    "capital_grant 需要 base = paid_in_less_fiscal 或 paid_in，收到 {other:?}"
                ));
            }
            (_, None) => false,
            (_, Some(_)) => return Err("只有 capital_grant 使用 base".into()),
        };
        let needs_field = matches!(formula, CappedCost | ThresholdAward);
        if needs_field != field.is_some() {
            return Err(format!(
                "公式 {} {}需要 field",
                formula.name(),
                if needs_field { "" } else { "不" }
            ));
        }
        if (formula == PerUnit) != (list_name.is_some() && date_field.is_some()) {
            return Err("per_unit 需要 list 与 date_field，其他公式不用".into());
        }
        if requires.is_some() && formula != CappedCost {
            return Err("只有 capped_cost 使用 requires".into());
        }
        let contract = |name| {
            list(
                name,
                &[
                    req("enterprise_credit_code", CreditCode),
                    req("contract_amount", Money),
                    req("accepted_on", Date),
                    opt("investment", Money),
                    opt("other_funding", Money),
                    ZHONGSHAN,
                ],
            )
        };
        let solution = [
            req("enterprise_credit_code", CreditCode),
            req("adopted_on", Date),
            ZHONGSHAN,
        ];
        let schema = match formula {
            Lease => Schema {
                fields: vec![],
                lists: vec![list(
                    "leases",
                    &[
                        req("area_m2", Money),
                        req("rent_per_m2", Money),
                        req("from", Month),
                        req("to", Month),
                    ],
                )],
            },
            LeaseReference => Schema {
                fields: vec![],
                lists: vec![list(
                    "leases",
                    &[
                        req("area_m2", Money),
                        req("rent_per_m2", Money),
                        req("reference_rent_per_m2", Money),
                        req("from", Month),
                        req("to", Month),
                        opt("ecosystem", Bool),
                    ],
                )],
            },
            CapitalGrant | EquityCheck | FixedAward => Schema::default(),
            LoanInterest => Schema {
                fields: vec![],
                lists: vec![list(
                    "loans",
                    &[
                        req("principal", Money),
                        req("interest_paid", Money),
                        req("from", Date),
                        req("to", Date),
                    ],
                )],
            },
            PerSolution => Schema {
                fields: vec![],
                lists: vec![list("solutions", &solution)],
            },
            PerSolutionByKind => {
                let mut fields = solution.to_vec();
                fields.push(req("kind", Choice(&["product", "equipment"])));
                Schema {
                    fields: vec![],
                    lists: vec![list("solutions", &fields)],
                }
            }
            OrderShare => Schema {
                fields: vec![],
                lists: vec![list("orders", &[req("amount", Money), req("date", Date)])],
            },
            DigitalHome => {
                let mut conversions = list(
                    "conversions",
                    &[
                        req("enterprise_credit_code", CreditCode),
                        req("date", Date),
                        ZHONGSHAN,
                    ],
                );
                let mut schemes = list("schemes", &solution);
                conversions.required = false;
                schemes.required = false;
                Schema {
                    fields: vec![],
                    lists: vec![conversions, schemes],
                }
            }
            PurchaseShare => Schema {
                fields: vec![],
                lists: vec![list(
                    "purchases",
                    &[req("amount", Money), req("date", Date)],
                )],
            },
            Services => Schema {
                fields: vec![],
                lists: vec![list(
                    "services",
                    &[
                        req("enterprise_credit_code", CreditCode),
                        req("basis", Choice(&["enterprise", "time"])),
                        opt("times", Count),
                        req("date", Date),
                    ],
                )],
            },
            CappedCost | ThresholdAward => Schema {
                fields: vec![req(field.unwrap_or("amount"), Money)],
                lists: vec![],
            },
            FirstUnits => Schema {
                fields: vec![],
                lists: vec![list(
                    "units",
                    &[
                        req("kind", Choice(&["set", "single", "component"])),
                        req("price", Money),
                        req("date", Date),
                    ],
                )],
            },
            FirstLines => Schema {
                fields: vec![],
                lists: vec![list(
                    "lines",
                    &[req("investment", Money), req("date", Date)],
                )],
            },
            CloudFees => Schema {
                fields: vec![],
                lists: vec![list(
                    "fees",
                    &[
                        req("amount", Money),
                        req("date", Date),
                        req("provider_approved", Bool),
                    ],
                )],
            },
            CaseByCase => Schema {
                fields: vec![req("amount", Money), req("reason", Text)],
                lists: vec![],
            },
            DemoLine => Schema {
                fields: vec![req("fixed_assets", Money), req("software", Money)],
                lists: vec![],
            },
            Projects => Schema {
                fields: vec![],
                lists: vec![contract("projects")],
            },
            PerUnit => Schema {
                fields: vec![],
                lists: vec![list(
                    list_name.unwrap_or("units"),
                    &[
                        req(date_field.unwrap_or("date"), Date),
                        opt("enterprise_credit_code", CreditCode),
                        opt("name", Text),
                    ]
                    .into_iter()
                    // 4.2a and 4.3 serve enterprises (四 "支持平台赋能中山企业"): the officer's finding.
                    .chain(
                        matches!(list_name, Some("factories" | "workshops")).then_some(ZHONGSHAN),
                    )
                    .collect::<Vec<_>>(),
                )],
            },
            Transformation => Schema {
                fields: vec![],
                lists: vec![contract("contracts")],
            },
            CloudAdoption => Schema {
                fields: vec![],
                lists: vec![list(
                    "enterprises",
                    &[
                        req("credit_code", CreditCode),
                        req("used_days", Count),
                        req("connected_days", Count),
                        ZHONGSHAN,
                    ],
                )],
            },
            IdentifierMatch => Schema {
                fields: vec![req("grants", Money), req("investment", Money)],
                lists: vec![],
            },
            IdentifierBreakthrough => Schema {
                fields: vec![
                    req("new_registrations", Number),
                    req("daily_resolutions", Number),
                ],
                lists: vec![],
            },
            InfrastructureShare => Schema {
                fields: vec![req("investment", Money)],
                lists: vec![],
            },
        };
        // Every declared unit may be refused by the officer (不予认定, with the reason).
        let mut schema = schema;
        for list in &mut schema.lists {
            list.fields.push(REFUSED_FIELD);
        }
        Ok(FormulaSpec {
            formula,
            less_fiscal,
            field,
            requires,
            list: list_name,
            date_field,
            schema,
        })
    }
}
