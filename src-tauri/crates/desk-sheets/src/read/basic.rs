//! The 基本信息 sheet: the applicant, the platform and the application year, each field read
//! once into its type.

use std::collections::{HashMap, HashSet};

use calamine::Data;
use desk_policy::{Money, PlatformCategory, PlatformLevel, TextKind, Town};

use super::{Applicant, Ctx, not_typed, refuse_merged, value_at};
use crate::cells::{self, cell_ref, is_empty, text_of};
use crate::labels::{self, UnitSources, header_key};
use crate::lean::SheetCells;
use crate::template::{BASIC_SHEET, BasicField, PLATFORM_FACTS, TemplateSpec};

/// The case-file path of each 基本信息 field the calculator reads.
fn basic_path(key: &str) -> Option<&'static str> {
    Some(match key {
        "credit_code" => "platform.credit_code",
        "category" => "platform.category",
        "level" => "platform.level",
        "recognized_on" => "platform.recognized_on",
        "paid_in_capital" => "platform.paid_in_capital",
        "fiscal_paid_in_capital" => "platform.fiscal_paid_in_capital",
        "relocated_hq" => "platform.relocated_hq",
        "system_live_on" => "platform.system_live_on",
        "year" => "year",
        _ => return None,
    })
}

/// The 基本信息 sheet, its rows found by their label in column A (so a moved row still reads).
struct Basic<'a> {
    spec: &'a TemplateSpec,
    sheet: &'a SheetCells,
    by_label: HashMap<String, u32>,
    /// The cells in merged areas (refused, not read).
    merged: HashSet<(u32, u32)>,
}

impl Basic<'_> {
    /// A field of the template; or a platform fact the template did not ask for, read where the
    /// workbook has its row (a 2026.1 template asked every one).
    fn field(&self, key: &str) -> Option<&BasicField> {
        self.spec.basic.iter().find(|b| b.key == key).or_else(|| {
            PLATFORM_FACTS
                .iter()
                .find(|b| b.key == key && self.by_label.contains_key(&header_key(b.label)))
        })
    }

    fn label(&self, key: &str) -> &'static str {
        self.field(key).map_or("", |b| b.label)
    }

    /// The row of a field, or an error naming the label that was not found.
    fn row(&self, ctx: &mut Ctx, key: &str) -> Option<u32> {
        let label = self.label(key);
        let row = self.by_label.get(&header_key(label)).copied();
        if row.is_none() {
            ctx.error(
                BASIC_SHEET,
                String::new(),
                format!("找不到“{label}”一行（请勿修改A列的项目名称）"),
            );
        }
        row
    }

    /// The cell of a field's value, as a message names it.
    fn cell(&self, key: &str) -> String {
        self.by_label
            .get(&header_key(self.label(key)))
            .map(|&row| cell_ref(row, 1))
            .unwrap_or_default()
    }

    /// A field's cell read once into its type: `None` when it is empty (an error if it is
    /// required), a formula, or refused by `read` (its message put in the cell).
    fn read<T>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        read: impl FnOnce(&Data) -> Result<T, String>,
    ) -> Option<T> {
        let field = self.field(key)?;
        let row = self.row(ctx, key)?;
        let range = &self.sheet.range;
        let cell = value_at(range, row, 1);
        let at = cell_ref(row, 1);
        let what = field.label.trim_end_matches('*');
        if self.merged.contains(&(row, 1)) {
            return None;
        }
        if is_empty(cell) {
            if field.required {
                ctx.error(BASIC_SHEET, at, format!("{what}不能为空"));
            }
            return None;
        }
        if let Some(message) = not_typed(self.sheet, row, 1, false, what) {
            ctx.error(BASIC_SHEET, at, message);
            return None;
        }
        if let Some(path) = basic_path(key) {
            ctx.origins.basic.insert(path, at.clone());
        }
        read(cell)
            .map_err(|message| ctx.error(BASIC_SHEET, at, message))
            .ok()
    }

    /// A text as it is kept: the rule every entrance uses (`desk_policy::text`), the field named.
    /// A phone number is a number, read normalised; names and addresses as typed.
    fn text(&self, ctx: &mut Ctx, key: &str, kind: TextKind) -> Option<String> {
        let label = self.label(key).trim_end_matches('*');
        self.read(ctx, key, |d| {
            let text = if kind == TextKind::Phone {
                text_of(d)
            } else {
                cells::typed_text(d)
            };
            desk_policy::text::field_text(label, kind, &text)
        })
    }

    /// An amount, in the unit the cell, its row's label (实缴注册资本（万元）) or the sheet says.
    fn money(&self, ctx: &mut Ctx, key: &str) -> Option<Money> {
        let unit = self
            .by_label
            .get(&header_key(self.label(key)))
            .map_or(UnitSources::SHEET, |&row| {
                UnitSources::of_header(&text_of(value_at(&self.sheet.range, row, 0)))
            });
        self.read(ctx, key, |d| cells::stored_money(d, unit))
    }
}

/// The applicant and the application year, or `None` when any of their cells is refused (each
/// refusal in `ctx`).
pub(super) fn read_basic(
    ctx: &mut Ctx,
    spec: &TemplateSpec,
    sheet: &SheetCells,
) -> Option<(Applicant, i32)> {
    let range = &sheet.range;
    let mut by_label: HashMap<String, u32> = HashMap::new();
    if let Some((end_row, _)) = range.end() {
        for row in 0..=end_row {
            let label = header_key(&text_of(value_at(range, row, 0)));
            if !label.is_empty() {
                by_label.entry(label).or_insert(row);
            }
        }
    }
    // Merges matter down to the last field's row; below it the applicant's own notes may be merged.
    let last_field = spec
        .basic
        .iter()
        .chain(PLATFORM_FACTS.iter())
        .filter_map(|b| by_label.get(&header_key(b.label)).copied())
        .max()
        .unwrap_or(0);
    let merged = refuse_merged(ctx, BASIC_SHEET, sheet, 2, last_field, &[1], |_| {
        "填写内容".to_string()
    });
    let b = Basic {
        spec,
        sheet,
        by_label,
        merged,
    };
    let before = ctx.errors.len();
    let credit_code = b.read(
        ctx,
        "credit_code",
        |d| match desk_policy::text::invisible_in(&text_of(d)) {
            Some(invisible) => Err(format!("统一社会信用代码：{invisible}")),
            None => cells::credit_code(d),
        },
    );
    let name = b.text(ctx, "name", TextKind::Name);
    let town = b.read(ctx, "town", |d| {
        let typed = text_of(d);
        Town::parse(&typed).map(|town| (town, Town::is_former_name(&typed).then_some(typed)))
    });
    // A former name (石岐区) is read as the town's name now, and said so.
    let town = town.map(|(town, former)| {
        if let Some(former) = former {
            let at = b.cell("town");
            ctx.notes.push(format!(
                "{BASIC_SHEET}!{at}: 所在镇街填写为“{former}”（旧称），已按现名读作“{town}”"
            ));
        }
        town
    });
    let address = b.text(ctx, "address", TextKind::Address);
    let contact_person = b.text(ctx, "contact_person", TextKind::Person);
    let contact_phone = b.text(ctx, "contact_phone", TextKind::Phone);
    let platform_name = b.text(ctx, "platform_name", TextKind::Name);
    let category = b.read(ctx, "category", |d| {
        let t = text_of(d);
        let number: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        PlatformCategory::parse(if number.is_empty() { &t } else { &number })
    });
    let level = b.read(ctx, "level", |d| PlatformLevel::parse(&text_of(d)));
    let recognized_on = b.read(ctx, "recognized_on", cells::date);
    let paid_in_capital = b.money(ctx, "paid_in_capital");
    let fiscal_paid_in_capital = b.money(ctx, "fiscal_paid_in_capital");
    let relocated_hq = b.read(ctx, "relocated_hq", cells::yes_no);
    let system_live_on = b.read(ctx, "system_live_on", cells::date);
    let pc = desk_policy::Catalog::embedded().programme(spec.programme);
    let (first, last) = pc.map_or((2000, 2100), |p| {
        (p.first_application_year(), p.last_application_year)
    });
    let document = pc.map(|p| p.document.clone()).unwrap_or_default();
    let year = b.read(ctx, "year", |d| {
        match cells::count_in(d, labels::count_unit("year")).map(|(y, _)| y) {
            Ok(y) if (first as u64..=last as u64).contains(&y) => Ok(y as i32),
            Ok(y) if (2000..=2100).contains(&y) => Err(format!(
                "申报年度 {y} 不在{document}的申报年度（{first}—{last}）内"
            )),
            _ => Err(format!(
                "申报年度应为四位年份，如 2020，收到“{}”",
                text_of(d)
            )),
        }
    });
    // Who applied, as far as it read: named beside a refused workbook's errors.
    ctx.seen.applicant.clone_from(&name);
    ctx.seen.credit_code = credit_code.as_ref().map(ToString::to_string);
    ctx.seen.year = year;
    if ctx.errors.len() > before {
        return None;
    }
    let applicant = Applicant {
        credit_code: credit_code?,
        name: name.unwrap_or_default(),
        town: town?,
        address: address.unwrap_or_default(),
        contact_person: contact_person.unwrap_or_default(),
        contact_phone: contact_phone.unwrap_or_default(),
        platform_name: platform_name.unwrap_or_default(),
        category,
        level,
        recognized_on: recognized_on?,
        paid_in_capital,
        fiscal_paid_in_capital,
        relocated_hq: relocated_hq.unwrap_or(false),
        system_live_on,
    };
    Some((applicant, year?))
}
