//! A case built from values that are already typed (the workbook reader types every cell itself),
//! with the checks `Case::from_json` makes that typing alone does not; and the units' JSON form
//! (`CASE-FILE.md`) written straight from the typed values, so a 10,000-row import no longer writes
//! its units as JSON only to read them back.

use std::fmt;

use chrono::Datelike;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::case::{
    Case, FieldValue, InputErrors, Item, Joined, PlatformFacts, Row, backwards_period,
};
use crate::catalog::Catalog;
use crate::formulas::{Field, FieldKind};
use crate::{Money, Programme};

impl Case {
    /// A case from typed parts, every problem at once and each named by the JSON path `from_json`
    /// would name: an unknown clause, a missing required field or list, a value of the wrong kind,
    /// a negative amount, a period that ends before it starts. Items and units are numbered by their
    /// position; each row's values and each item's lists are put in the schema's order, so the case
    /// equals the one `from_json` reads from the same units.
    pub fn from_typed(
        programme: Programme,
        year: i32,
        platform: PlatformFacts,
        items: Vec<Item>,
        catalog: &Catalog,
    ) -> Result<Case, InputErrors> {
        let mut errors = InputErrors::default();
        let Some(pc) = catalog.programme(programme) else {
            errors.push("programme", format!("目录中没有 {programme}"));
            return Err(errors);
        };
        let mut checked = Vec::with_capacity(items.len());
        for (i, mut item) in items.into_iter().enumerate() {
            let path = format!("items[{i}]");
            let Some(clause) = pc.clause(&item.clause) else {
                let ids: Vec<&str> = pc.clauses.iter().map(|c| c.id.as_str()).collect();
                errors.push(
                    format!("{path}.clause"),
                    format!(
                        "未知条款：“{}”没有第“{}”条，可选：{}",
                        pc.short_title,
                        item.clause,
                        ids.join("、")
                    ),
                );
                continue;
            };
            let schema = &clause.spec.schema;
            item.index = i;
            item.fields.index = i;
            check_row(
                &mut errors,
                &mut item.fields,
                &path.as_str(),
                &schema.fields,
            );
            for (name, _) in &item.lists {
                if !schema.lists.iter().any(|l| l.name == *name) {
                    errors.push(format!("{path}.{name}"), "未知字段");
                }
            }
            let mut given = std::mem::take(&mut item.lists);
            for spec in &schema.lists {
                let mut rows = match given.iter().position(|(n, _)| *n == spec.name) {
                    Some(at) => given.swap_remove(at).1,
                    None => {
                        if spec.required {
                            errors.push(format!("{path}.{}", spec.name), "缺少必填字段");
                        }
                        Vec::new()
                    }
                };
                for (j, row) in rows.iter_mut().enumerate() {
                    row.index = j;
                    let at = UnitPath(&path, spec.name, j);
                    check_row(&mut errors, row, &at, &spec.fields);
                }
                item.lists.push((spec.name, rows));
            }
            checked.push(item);
        }
        if errors.is_empty() {
            Ok(Case {
                programme,
                year,
                platform,
                history: Vec::new(),
                parameters: Default::default(),
                validity: None,
                items: checked,
            })
        } else {
            Err(errors)
        }
    }
}

/// `items[0].leases[3]`, written out only when a message needs it (10,000 units, few messages).
struct UnitPath<'a>(&'a str, &'a str, usize);

impl fmt::Display for UnitPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}[{}]", self.0, self.1, self.2)
    }
}

/// `path.key` for a path that is itself written out lazily.
fn at(path: &dyn fmt::Display, key: &str) -> String {
    let path = path.to_string();
    Joined(&path, key).to_string()
}

/// Checks one typed row against its fields and puts its values in the fields' order.
fn check_row(errors: &mut InputErrors, row: &mut Row, path: &dyn fmt::Display, fields: &[Field]) {
    let position = |name: &str| fields.iter().position(|f| f.name == name);
    for (name, value) in &row.values {
        let Some(field) = position(name).map(|p| &fields[p]) else {
            errors.push(at(path, name), "未知字段");
            continue;
        };
        if let Some(problem) = kind_problem(field.kind, value) {
            errors.push(at(path, name), problem);
        }
    }
    for field in fields.iter().filter(|f| f.required) {
        if !row.values.iter().any(|(n, _)| *n == field.name) {
            errors.push(at(path, field.name), "缺少必填字段");
        }
    }
    if !row
        .values
        .is_sorted_by_key(|(n, _)| position(n).unwrap_or(usize::MAX))
    {
        row.values
            .sort_by_key(|(n, _)| position(n).unwrap_or(usize::MAX));
    }
    if let Some(message) = backwards_period(row) {
        errors.push(at(path, "from"), message);
    }
}

/// Why a value does not fit its field's kind, in the words `from_json` uses.
fn kind_problem(kind: FieldKind, value: &FieldValue) -> Option<String> {
    let shown = || serde_json::to_string(value).unwrap_or_default();
    match (kind, value) {
        (FieldKind::Money | FieldKind::Number, FieldValue::Money(m)) => {
            if m.is_sign_negative() && !m.is_zero() {
                Some(format!("必须为非负数 (收到 {})", shown()))
            } else if *m > crate::money::MAX_INPUT {
                Some(crate::case::too_large(&shown()))
            } else {
                None
            }
        }
        (FieldKind::Count, FieldValue::Count(_))
        | (FieldKind::Date, FieldValue::Date(_))
        | (FieldKind::Month, FieldValue::Month(_))
        | (FieldKind::CreditCode, FieldValue::Code(_))
        | (FieldKind::Bool, FieldValue::Bool(_)) => None,
        (FieldKind::Text, FieldValue::Text(t)) => t
            .trim()
            .is_empty()
            .then(|| "必须填写文字，不能为空".to_string()),
        (FieldKind::Choice(choices), FieldValue::Choice(c)) => (!choices.contains(c))
            .then(|| format!("应为 {} 之一 (收到 {})", choices.join("、"), shown())),
        (kind, _) => Some(format!(
            "类型不符：应为{} (收到 {})",
            kind_word(kind),
            shown()
        )),
    }
}

fn kind_word(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Money => "金额",
        FieldKind::Number => "数字",
        FieldKind::Count => "非负整数",
        FieldKind::Date => "日期",
        FieldKind::Month => "月份",
        FieldKind::CreditCode => "统一社会信用代码",
        FieldKind::Bool => "true 或 false",
        FieldKind::Text => "文字",
        FieldKind::Choice(_) => "选项",
    }
}

/// A value as the case file writes it: amounts and numbers as decimal text ("1234.5"), dates
/// "YYYY-MM-DD", months "YYYY-MM", counts as JSON numbers. Amounts and dates are written without
/// core::fmt when they can be (they are most of a large item's megabyte); the text is the same.
impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = Text::default();
        match self {
            FieldValue::Money(m) => match text.decimal(m) {
                Some(t) => s.serialize_str(t),
                None => s.collect_str(m),
            },
            FieldValue::Count(n) => s.serialize_u64(*n),
            FieldValue::Date(d) => match text.date(d.year(), d.month(), Some(d.day())) {
                Some(t) => s.serialize_str(t),
                None => s.collect_str(d),
            },
            FieldValue::Month(m) => match text.date(m.year, m.month, None) {
                Some(t) => s.serialize_str(t),
                None => s.collect_str(m),
            },
            FieldValue::Code(c) => s.serialize_str(c.as_str()),
            FieldValue::Bool(b) => s.serialize_bool(*b),
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::Choice(c) => s.serialize_str(c),
        }
    }
}

/// A short ASCII text built on the stack.
struct Text {
    bytes: [u8; 48],
    len: usize,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            bytes: [0; 48],
            len: 0,
        }
    }
}

impl Text {
    fn push(&mut self, b: &[u8]) {
        self.bytes[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, '.' and '-' are pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// A non-negative decimal as `Display` writes it (every digit of its scale); `None` for a
    /// negative one (negative zero included: `Display` writes "-0") or one past u64, left to `Display`.
    fn decimal(&mut self, m: &Money) -> Option<&str> {
        if m.is_sign_negative() {
            return None;
        }
        let mantissa = u64::try_from(m.mantissa()).ok()?;
        let scale = m.scale() as usize;
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(mantissa).as_bytes();
        if scale == 0 {
            self.push(digits);
        } else if digits.len() > scale {
            let (whole, fraction) = digits.split_at(digits.len() - scale);
            self.push(whole);
            self.push(b".");
            self.push(fraction);
        } else {
            // 20 digits at most, scale 28 at most: 0. + zeros + digits fits 48 bytes.
            self.push(b"0.");
            for _ in digits.len()..scale {
                self.push(b"0");
            }
            self.push(digits);
        }
        Some(self.as_str())
    }

    /// "YYYY-MM-DD" (or "YYYY-MM" without a day) for years 1000–9999; `None` otherwise.
    fn date(&mut self, year: i32, month: u32, day: Option<u32>) -> Option<&str> {
        if !(1000..=9999).contains(&year) || month > 99 || day.is_some_and(|d| d > 99) {
            return None;
        }
        let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        let mut y = itoa::Buffer::new();
        self.push(y.format(year).as_bytes());
        self.push(b"-");
        self.push(&two(month));
        if let Some(day) = day {
            self.push(b"-");
            self.push(&two(day));
        }
        Some(self.as_str())
    }
}

/// A row as a JSON object, keys in alphabetical order (as `serde_json::Map` keeps them).
impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.values.len()))?;
        if self.values.is_sorted_by_key(|(n, _)| *n) {
            for (name, value) in &self.values {
                map.serialize_entry(name, value)?;
            }
        } else {
            let mut sorted: Vec<&(&str, FieldValue)> = self.values.iter().collect();
            sorted.sort_by_key(|(n, _)| *n);
            for (name, value) in sorted {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

/// An item's units as the case file and the database write them: its own fields and each list
/// that has units, keys in alphabetical order, without the clause. A list without units is left out,
/// as the workbook reader leaves out a sheet without rows.
#[derive(Debug)]
pub struct UnitsJson<'a>(pub &'a Item);

impl UnitsJson<'_> {
    /// The units as JSON text, written into a buffer sized from the first unit of each list: a
    /// megabyte grown by doubling is copied twice over and touches fresh memory at every step.
    pub fn to_text(&self) -> serde_json::Result<String> {
        let mut size = 64 + 32 * self.0.fields.values.len();
        for (_, rows) in &self.0.lists {
            if let Some(first) = rows.first() {
                let one = serde_json::to_vec(first)?.len() + 1;
                size += one * rows.len() + one * rows.len() / 8;
            }
        }
        let mut text = Vec::with_capacity(size);
        serde_json::to_writer(&mut text, self)?;
        // serde_json writes UTF-8 only.
        String::from_utf8(text).map_err(serde::ser::Error::custom)
    }
}

impl Serialize for UnitsJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        enum Entry<'e> {
            Field(&'e FieldValue),
            List(&'e [Row]),
        }
        let item = self.0;
        let mut entries: Vec<(&str, Entry<'_>)> = item
            .fields
            .values
            .iter()
            .map(|(n, v)| (*n, Entry::Field(v)))
            .chain(
                item.lists
                    .iter()
                    .filter(|(_, rows)| !rows.is_empty())
                    .map(|(n, rows)| (*n, Entry::List(rows))),
            )
            .collect();
        entries.sort_by_key(|(n, _)| *n);
        let mut map = s.serialize_map(Some(entries.len()))?;
        for (name, entry) in entries {
            match entry {
                Entry::Field(v) => map.serialize_entry(name, v)?,
                Entry::List(rows) => map.serialize_entry(name, &Rows(rows))?,
            }
        }
        map.end()
    }
}

struct Rows<'a>(&'a [Row]);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            seq.serialize_element(row)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    fn random_cases() -> Vec<(serde_json::Value, Case)> {
        let catalog = Catalog::embedded();
        (0..300)
            .map(|seed| {
                let mut value = sample::random_case(seed, 30);
                value["history"] = serde_json::json!([]);
                let case = Case::from_json(&value, catalog).expect("a valid sample");
                (value, case)
            })
            .collect()
    }

    /// Random cases read from JSON, then rebuilt from their typed parts: the same case; and the
    /// units each item writes read back to the same item.
    #[test]
    fn typed_parts_give_the_case_from_json() {
        let catalog = Catalog::embedded();
        for (seed, (mut value, case)) in random_cases().into_iter().enumerate() {
            let rebuilt = Case::from_typed(
                case.programme,
                case.year,
                case.platform.clone(),
                case.items.clone(),
                catalog,
            )
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert_eq!(rebuilt, case, "seed {seed}");
            let written: Vec<serde_json::Value> = case
                .items
                .iter()
                .map(|item| {
                    let text = UnitsJson(item).to_text().expect("units");
                    let mut units: serde_json::Value = serde_json::from_str(&text).expect("json");
                    units["clause"] = item.clause.clone().into();
                    units
                })
                .collect();
            value["items"] = written.into();
            assert_eq!(Case::from_json(&value, catalog), Ok(case), "seed {seed}");
        }
    }

    #[test]
    fn units_are_written_as_the_case_file_writes_them() {
        let item = Item {
            index: 0,
            clause: "6.2".into(),
            fields: Row {
                index: 0,
                values: vec![("zhongshan", FieldValue::Bool(true))],
            },
            lists: vec![
                (
                    "leases",
                    vec![Row {
                        index: 0,
                        values: vec![
                            (
                                "to",
                                FieldValue::Month(crate::case::YearMonth {
                                    year: 2021,
                                    month: 3,
                                }),
                            ),
                            (
                                "area_m2",
                                FieldValue::Money("120.50".parse().expect("area")),
                            ),
                            (
                                "paid_on",
                                FieldValue::Date(
                                    chrono::NaiveDate::from_ymd_opt(2021, 3, 5).expect("date"),
                                ),
                            ),
                            ("months", FieldValue::Count(12)),
                        ],
                    }],
                ),
                ("loans", Vec::new()),
            ],
        };
        assert_eq!(
            UnitsJson(&item).to_text().expect("json"),
            r#"{"leases":[{"area_m2":"120.50","months":12,"paid_on":"2021-03-05","to":"2021-03"}],"zhongshan":true}"#
        );
    }

    /// The stack-built texts are exactly what `Display` writes.
    #[test]
    fn amounts_and_dates_are_written_as_display_writes_them() {
        let amounts = [
            "0",
            "0.00",
            "1",
            "10",
            "1234.5",
            "1234.50",
            "0.05",
            "0.000000000000000000000000001",
            "18446744073709551615",
            "1844674407370955161.5",
            "12345678901234567890123",
            "-3",
            "-0.5",
            "-0",
            "-0.00",
        ];
        for a in amounts {
            let m: Money = a.parse().expect(a);
            let expected = m.to_string();
            match Text::default().decimal(&m) {
                Some(t) => assert_eq!(t, expected, "{a}"),
                None => assert!(
                    m.is_sign_negative() || m.mantissa() > i128::from(u64::MAX),
                    "{a}"
                ),
            }
        }
        for n in 0..20_000u64 {
            let m = Money::new((n * 7919 % 100_000_000) as i64, (n % 9) as u32);
            assert_eq!(Text::default().decimal(&m), Some(m.to_string().as_str()));
        }
        let mut day = chrono::NaiveDate::from_ymd_opt(1000, 1, 1).expect("date");
        while day.year() < 10_000 {
            assert_eq!(
                Text::default().date(day.year(), day.month(), Some(day.day())),
                Some(day.to_string().as_str())
            );
            let month = crate::case::YearMonth::of(day);
            assert_eq!(
                Text::default().date(month.year, month.month, None),
                Some(month.to_string().as_str())
            );
            day += chrono::TimeDelta::days(97);
        }
        assert_eq!(Text::default().date(999, 1, Some(1)), None);
    }

    #[test]
    fn problems_are_named_by_path() {
        let catalog = Catalog::embedded();
        let (_, case) = random_cases()
            .into_iter()
            .find(|(_, c)| c.items[0].lists.iter().any(|(_, rows)| !rows.is_empty()))
            .expect("a sample with units");
        let mut items = case.items.clone();
        let list = items[0]
            .lists
            .iter_mut()
            .find(|(_, rows)| !rows.is_empty())
            .expect("a list with units");
        let name = list.0;
        list.1[0].values.clear();
        items.push(Item {
            index: 0,
            clause: "99".into(),
            fields: Row::default(),
            lists: Vec::new(),
        });
        let items_len = items.len();
        let errors = Case::from_typed(case.programme, case.year, case.platform, items, catalog)
            .expect_err("problems");
        let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with(&format!("items[0].{name}[0]."))),
            "{paths:?}"
        );
        let unknown = format!("items[{}].clause", items_len - 1);
        assert!(paths.contains(&unknown.as_str()), "{paths:?}");
        assert!(errors.0.iter().all(|e| !e.message.is_empty()));
    }

    #[test]
    fn a_negative_amount_and_a_wrong_kind_are_refused() {
        let mut errors = InputErrors::default();
        let fields = [
            Field {
                name: "amount",
                kind: FieldKind::Money,
                required: true,
            },
            Field {
                name: "count",
                kind: FieldKind::Count,
                required: false,
            },
        ];
        let mut row = Row {
            index: 0,
            values: vec![
                ("count", FieldValue::Bool(true)),
                ("amount", FieldValue::Money("-1".parse().expect("money"))),
            ],
        };
        check_row(&mut errors, &mut row, &"items[0]", &fields);
        let got: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "items[0].count: 类型不符：应为非负整数 (收到 true)",
                "items[0].amount: 必须为非负数 (收到 \"-1\")"
            ]
        );
        assert_eq!(row.values[0].0, "amount", "values put in the fields' order");
    }
}
