//! The 申报事项 sheet: which clauses are declared (是/否) and the amount asked for each.

use std::collections::{HashMap, HashSet};

use desk_policy::{Catalog, Money};

use super::{Ctx, not_typed, refuse_merged, value_at};
use crate::cells::{self, cell_ref, is_empty, text_of};
use crate::labels::UnitSources;
use crate::lean::SheetCells;
use crate::template::{ClauseSheet, DECLARE_SHEET, TemplateSpec};

/// The 申报事项 sheet as read: each clause's row, its answer and the amount asked.
#[derive(Default)]
pub(super) struct Declared {
    /// The clauses answered 是, in the sheet's order.
    pub declared: Vec<String>,
    /// The answer of each clause answered 是 or 否.
    pub answers: HashMap<String, bool>,
    /// The amount asked for each clause that has one.
    pub requested: HashMap<String, Money>,
    /// The worksheet row of each clause's line.
    pub rows: HashMap<String, u32>,
    /// The cells in merged areas (refused, not read).
    pub merged: HashSet<(u32, u32)>,
}

/// The column of the answer (是否申报) and of the amount asked (申请金额).
pub(super) const ANSWER_COL: u32 = 3;
pub(super) const AMOUNT_COL: u32 = 4;

impl Declared {
    /// The row of a clause's line: where it was found, or where the template puts it.
    pub fn row(&self, spec: &TemplateSpec, clause: &str) -> u32 {
        self.rows.get(clause).copied().unwrap_or_else(|| {
            2 + spec.clauses.iter().position(|c| c == clause).unwrap_or(0) as u32
        })
    }

    /// 申请金额 is required for every declared clause that carries money (CLAUSES.md, revised):
    /// the approval stays within it.
    pub fn require_requested<'c>(
        &self,
        ctx: &mut Ctx,
        catalog: &Catalog,
        spec: &TemplateSpec,
        clauses: impl Iterator<Item = &'c str>,
    ) {
        let Some(pc) = catalog.programme(spec.programme) else {
            return;
        };
        for id in clauses {
            let Some(clause) = pc.clause(id) else {
                continue;
            };
            if !clause.formula.carries_money() || self.requested.contains_key(id) {
                continue;
            }
            let row = self.row(spec, id);
            let cell = cell_ref(row, AMOUNT_COL);
            // A cell already refused (a formula, text, merged) has its one message.
            if self.merged.contains(&(row, AMOUNT_COL))
                || ctx
                    .errors
                    .iter()
                    .any(|e| e.sheet == DECLARE_SHEET && e.cell == cell)
            {
                continue;
            }
            ctx.error(
                DECLARE_SHEET,
                cell,
                format!(
                    "申请金额：申报第{}条（{}）必须填写申请金额",
                    clause.id, clause.title
                ),
            );
        }
    }
    /// The cell of a clause's answer (是否申报).
    fn answer_cell(&self, spec: &TemplateSpec, clause: &str) -> String {
        cell_ref(self.row(spec, clause), ANSWER_COL)
    }

    /// The clause's words for a message: “第6.2条（租赁经营场地补助）”.
    fn named(catalog: &Catalog, spec: &TemplateSpec, id: &str) -> String {
        catalog
            .programme(spec.programme)
            .and_then(|pc| pc.clause(id))
            .map_or_else(
                || format!("第{id}条"),
                |c| format!("第{}条（{}）", c.id, c.title),
            )
    }

    /// A clause answered 否 whose sheets have rows: which was meant cannot be told, so neither is
    /// taken. The message is put in the answer's cell and names the sheets and their rows.
    pub fn answered_no_with_rows(
        &self,
        ctx: &mut Ctx,
        catalog: &Catalog,
        spec: &TemplateSpec,
        sheets: &[(&ClauseSheet, usize)],
    ) {
        let mut clauses: Vec<&str> = sheets.iter().map(|(s, _)| s.clause.as_str()).collect();
        clauses.dedup();
        for id in clauses {
            let filled: Vec<String> = sheets
                .iter()
                .filter(|(s, _)| s.clause == id)
                .map(|(s, n)| format!("工作表“{}”填写了{n}行", s.name))
                .collect();
            let message = format!(
                "{}答“否”，但{}：如申报本条，请把“否”改为“是”；如不申报，请删除该表中填写的行",
                Self::named(catalog, spec, id),
                filled.join("，")
            );
            ctx.error(DECLARE_SHEET, self.answer_cell(spec, id), message);
        }
    }

    /// A clause answered 是 whose every sheet is empty: nothing to compute it on. The message is
    /// put in the answer's cell and names the sheets to fill.
    pub fn answered_yes_without_rows(
        &self,
        ctx: &mut Ctx,
        catalog: &Catalog,
        spec: &TemplateSpec,
        unfilled: &[&ClauseSheet],
        found: &HashMap<String, SheetCells>,
    ) {
        for id in &self.declared {
            let sheets: Vec<&ClauseSheet> =
                spec.sheets.iter().filter(|s| &s.clause == id).collect();
            let all_empty = !sheets.is_empty()
                && sheets
                    .iter()
                    .all(|s| unfilled.contains(s) || !found.contains_key(&s.name));
            let empty: Vec<String> = sheets
                .iter()
                .filter(|s| unfilled.contains(s))
                .map(|s| format!("“{}”", s.name))
                .collect();
            if !all_empty || empty.is_empty() {
                continue;
            }
            let message = format!(
                "{}答“是”，但工作表{}没有填写：请在该表填写申报的内容，或把“是”改为“否”",
                Self::named(catalog, spec, id),
                empty.join("、")
            );
            ctx.error(DECLARE_SHEET, self.answer_cell(spec, id), message);
        }
    }
}

/// The 申报事项 sheet: clauses marked 是, and the amount asked for each.
pub(super) fn read_declare(ctx: &mut Ctx, spec: &TemplateSpec, sheet: &SheetCells) -> Declared {
    let range = &sheet.range;
    let mut out = Declared::default();
    let Some((end_row, _)) = range.end() else {
        return out;
    };
    let amount_unit = UnitSources::of_header(&text_of(value_at(range, 1, AMOUNT_COL)));
    let header = |c: u32| {
        text_of(value_at(range, 1, c))
            .trim_end_matches('*')
            .to_string()
    };
    let cols = [ANSWER_COL, AMOUNT_COL];
    out.merged = refuse_merged(ctx, DECLARE_SHEET, sheet, 2, end_row, &cols, header);
    for row in 2..=end_row {
        let clause = text_of(value_at(range, row, 0));
        if clause.is_empty() {
            continue;
        }
        out.rows.entry(clause.clone()).or_insert(row);
        if !spec.clauses.contains(&clause) {
            ctx.error(
                DECLARE_SHEET,
                cell_ref(row, 0),
                format!("本模板没有第“{clause}”条"),
            );
            continue;
        }
        let formula = |ctx: &mut Ctx, col: u32| {
            let what = text_of(value_at(range, 1, col));
            let refused = not_typed(sheet, row, col, true, what.trim_end_matches('*'));
            if let Some(message) = &refused {
                ctx.error(DECLARE_SHEET, cell_ref(row, col), message.clone());
            }
            refused.is_some()
        };
        let answer = value_at(range, row, ANSWER_COL);
        let merged = |c: u32| out.merged.contains(&(row, c));
        if !is_empty(answer) && !merged(ANSWER_COL) && !formula(ctx, ANSWER_COL) {
            match cells::yes_no(answer) {
                Ok(yes) => {
                    if yes {
                        out.declared.push(clause.clone());
                    }
                    out.answers.insert(clause.clone(), yes);
                }
                Err(message) => ctx.error(DECLARE_SHEET, cell_ref(row, ANSWER_COL), message),
            }
        }
        let amount = value_at(range, row, AMOUNT_COL);
        // A clause that carries no money (6.3, a check only) has no 申请金额 to ask.
        let moneyless = desk_policy::Catalog::embedded()
            .programme(spec.programme)
            .and_then(|p| p.clause(&clause))
            .filter(|c| !c.formula.carries_money());
        if let Some(c) = moneyless.filter(|_| !is_empty(amount)) {
            ctx.error(
                DECLARE_SHEET,
                cell_ref(row, AMOUNT_COL),
                format!(
                    "申请金额：第{}条（{}）不计补助金额，无需填写申请金额，请清空此格",
                    c.id, c.title
                ),
            );
        } else if !is_empty(amount)
            && !out.merged.contains(&(row, AMOUNT_COL))
            && !formula(ctx, AMOUNT_COL)
        {
            match cells::stored_money(amount, amount_unit) {
                Ok(m) => {
                    out.requested.insert(clause, m);
                }
                Err(message) => ctx.error(DECLARE_SHEET, cell_ref(row, AMOUNT_COL), message),
            }
        }
    }
    out
}
