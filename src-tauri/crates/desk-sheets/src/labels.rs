//! The Chinese words of the templates: a header for every field of every clause, the words of the
//! closed lists, and the unit each money column is written in.

use desk_policy::formulas::FieldKind;

/// How an amount column is written: 元, or 万元 when the header says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    Yuan,
    TenThousandYuan,
}

/// The header of a field in a list (or of an item's own field, `list` = None).
pub fn header(list: Option<&str>, field: &str, kind: FieldKind) -> String {
    let base = match (list, field) {
        (_, "area_m2") => "租赁面积（m²）",
        (_, "rent_per_m2") => "实际月租金（元/m²）",
        (_, "reference_rent_per_m2") => "市房屋租金参考价（元/m²/月）",
        (Some("leases"), "from") => "起始月份",
        (Some("leases"), "to") => "结束月份",
        (Some("loans"), "from") => "贴息起始日",
        (Some("loans"), "to") => "贴息截止日",
        (_, "ecosystem") => "是否生态企业场地",
        (_, "principal") => "贷款本金",
        (_, "interest_paid") => "实付利息",
        (_, "enterprise_credit_code") => "服务企业统一社会信用代码",
        (_, "credit_code") => "企业统一社会信用代码",
        (_, "adopted_on") => "方案采纳日期",
        (Some("solutions"), "kind") => "方案类型",
        (Some("units"), "kind") => "装备类型",
        (Some("orders"), "amount") => "订单金额",
        (Some("purchases"), "amount") => "设备购置额",
        (Some("fees"), "amount") => "费用金额",
        (None, "amount") => "申请金额",
        (Some("orders"), "date") => "订单日期",
        (Some("purchases"), "date") => "购置日期",
        (Some("services"), "date") => "服务日期",
        (Some("conversions"), "date") => "数据入库日期",
        (Some("fees"), "date") => "费用日期",
        (Some("units"), "date") => "销售日期",
        (Some("lines"), "date") => "建成日期",
        (_, "basis") => "计算方式",
        (_, "times") => "服务次数",
        (_, "relocation_cost") => "搬迁费用",
        (_, "construction_cost") => "建设费用",
        (_, "price") => "售价",
        (_, "investment") => "投资额",
        (_, "provider_approved") => "是否入围服务商",
        (_, "reason") => "申请理由",
        (_, "fixed_assets") => "固定资产投资",
        (_, "software") => "软件费用",
        (_, "contract_amount") => "合同金额",
        (_, "accepted_on") => "验收日期",
        (_, "other_funding") => "其他财政资助",
        (_, "deployed_on") => "部署日期",
        (_, "registered_on") => "著作权登记日期",
        (_, "name") => "名称",
        (_, "revenue") => "年收入",
        (_, "gmv") => "年交易额",
        (_, "used_days") => "使用平台天数",
        (_, "connected_days") => "接入平台天数",
        (_, "grants") => "国家、省奖补金额",
        (_, "new_registrations") => "年度新增标识注册量",
        (_, "daily_resolutions") => "日均解析量（次）",
        (_, other) => other,
    };
    match kind {
        FieldKind::Money if !base.contains('（') => format!("{base}（元）"),
        _ => base.to_string(),
    }
}

/// The unit word of a count column (服务次数 counts 次), as an applicant may type it after the number.
pub fn count_unit(field: &str) -> Option<&'static str> {
    match field {
        "times" => Some("次"),
        "used_days" | "connected_days" => Some("天"),
        "year" => Some("年"),
        _ => None,
    }
}

/// The Chinese words of a list's rows, for sheet names.
pub fn list_label(list: &str) -> &'static str {
    match list {
        "leases" => "租赁场地",
        "loans" => "贷款贴息",
        "solutions" => "采纳方案",
        "orders" => "设计订单",
        "conversions" => "3D转换企业",
        "schemes" => "接入方案",
        "purchases" => "设备购置",
        "services" => "服务企业",
        "units" => "首台套装备",
        "lines" => "首条生产线",
        "fees" => "云资源费用",
        "projects" => "示范项目",
        "factories" => "示范工厂",
        "workshops" => "数字化车间",
        "contracts" => "转型合同",
        "enterprises" => "上云企业",
        "apps" => "工业APP",
        "software" => "工业软件",
        _ => "明细",
    }
}

/// A closed list's choices: (value in the case file, word in the workbook).
pub fn choices(field: &str) -> &'static [(&'static str, &'static str)] {
    match field {
        "kind" => &[
            ("product", "产品端"),
            ("equipment", "生产设备端"),
            ("set", "成套设备"),
            ("single", "单台设备"),
            ("component", "总成或核心部件"),
        ],
        "basis" => &[("enterprise", "按企业"), ("time", "按次")],
        _ => &[],
    }
}

/// The words offered for one field's closed list (only those its schema allows).
pub fn choice_words(field: &str, allowed: &[&str]) -> Vec<&'static str> {
    choices(field)
        .iter()
        .filter(|(value, _)| allowed.contains(value))
        .map(|(_, word)| *word)
        .collect()
}

/// What a person typed for a closed list, back to its value (the Chinese word or the value itself).
pub fn choice_value(field: &str, allowed: &[&'static str], typed: &str) -> Option<&'static str> {
    let typed = typed.trim();
    choices(field)
        .iter()
        .find(|(value, word)| allowed.contains(value) && (*word == typed || *value == typed))
        .map(|(value, _)| *value)
}

/// The unit a header (or a 基本信息 row's label) names, if it names one: “（万元）” anywhere in it
/// means 万元, “（元）” or “(元)” 元 (“元/m²” is a rate's, not an amount's unit).
pub fn header_unit(header: &str) -> Option<MoneyUnit> {
    if header.contains("万元") {
        Some(MoneyUnit::TenThousandYuan)
    } else if header.contains("（元）") || header.contains("(元)") {
        Some(MoneyUnit::Yuan)
    } else {
        None
    }
}

/// Where a money cell's unit may be said short of the cell itself: its column's header (or its
/// 基本信息 row's label), then its sheet (元, as every sheet's instructions say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSources {
    pub header: Option<MoneyUnit>,
    pub sheet: MoneyUnit,
}

impl UnitSources {
    /// A sheet's own unit, with nothing said in the header.
    pub const SHEET: UnitSources = UnitSources {
        header: None,
        sheet: MoneyUnit::Yuan,
    };

    /// The sources of a column whose header (or row label) reads `header`.
    pub fn of_header(header: &str) -> Self {
        UnitSources {
            header: header_unit(header),
            ..Self::SHEET
        }
    }

    /// The one rule of a money cell's unit: the unit typed in the cell (`300万元`), then the
    /// header's, then the sheet's.
    pub fn unit(self, typed_in_cell: Option<MoneyUnit>) -> MoneyUnit {
        typed_in_cell.or(self.header).unwrap_or(self.sheet)
    }

    /// The unit of a bare number in this column.
    pub fn column(self) -> MoneyUnit {
        self.unit(None)
    }
}

impl From<MoneyUnit> for UnitSources {
    /// A column whose header names `unit`.
    fn from(unit: MoneyUnit) -> Self {
        UnitSources {
            header: Some(unit),
            ..Self::SHEET
        }
    }
}

/// A header with its unit and required mark taken off, to recognise a column whatever unit the
/// applicant chose: "合同金额（万元）*" → "合同金额".
pub fn header_key(header: &str) -> String {
    let text: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect();
    let mut key = text
        .replace("（万元）", "")
        .replace("(万元)", "")
        .replace("（元）", "")
        .replace("(元)", "");
    key = key.replace('(', "（").replace(')', "）");
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_money_cells_unit_is_the_cells_then_the_headers_then_the_sheets() {
        use MoneyUnit::{TenThousandYuan as Wan, Yuan};
        let wan = UnitSources::of_header("合同金额（万元）*");
        let yuan = UnitSources::of_header("合同金额（元）*");
        let bare = UnitSources::of_header("合同金额");
        assert_eq!(wan.unit(Some(Yuan)), Yuan, "the cell's own unit wins");
        assert_eq!(yuan.unit(Some(Wan)), Wan);
        assert_eq!(wan.unit(None), Wan, "then the header's");
        assert_eq!(yuan.unit(None), Yuan);
        assert_eq!(bare, UnitSources::SHEET);
        assert_eq!(bare.unit(None), Yuan, "then the sheet's");
        assert_eq!(UnitSources::of_header("实际月租金（元/m²）").header, None);
    }
}
