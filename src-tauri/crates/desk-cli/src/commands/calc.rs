//! calc, check-pilot, policy: the calculator and the catalog, no database needed.

use std::path::Path;

use desk_api::files::{FileTask, io_message};
use desk_policy::money::{format_amount, format_grouped};
use desk_policy::result::LimitedBy;
use desk_policy::whatif::{self, LineDifference};
use desk_policy::{Case, CaseResult, Catalog, InputErrors, Programme, calculate, pilot};
use serde_json::{Value, json};

use crate::context::{CliError, Context};
use crate::output::{emit, table};

fn read_json(file: &Path, what: &str) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Input(io_message(FileTask::Read, what, file, &e)))?;
    desk_policy::json_text::parse(&text).map_err(|e| CliError::Case(InputErrors(vec![e])))
}

fn compute(value: &Value) -> Result<CaseResult, CliError> {
    let catalog = Catalog::embedded();
    let case = Case::from_json(value, catalog).map_err(CliError::Case)?;
    calculate(&case, catalog).map_err(CliError::Case)
}

pub fn calc(ctx: &Context, file: &Path, explain: bool, what_if: &[String]) -> Result<(), CliError> {
    let value = read_json(file, "案件文件")?;
    let baseline = compute(&value)?;
    if what_if.is_empty() {
        if explain {
            crate::say!("{}", explain_text(&baseline, &value).trim_end());
        } else {
            crate::say!("{}", to_json(&baseline)?);
        }
        return Ok(());
    }
    let mut changed = value.clone();
    for change in what_if {
        whatif::apply_change(&mut changed, change)
            .map_err(|e| CliError::Case(InputErrors(vec![e])))?;
    }
    let result = compute(&changed)?;
    let differences = whatif::compare(&baseline, &result);
    let total_difference = result.total - baseline.total;
    if explain {
        crate::say!(
            "{}",
            what_if_text(what_if, &differences, &baseline, &result).trim_end()
        );
        return Ok(());
    }
    let out = json!({
        "changes": what_if,
        "baseline": baseline,
        "what_if": result,
        "differences": differences,
        "total_difference": format_amount(total_difference),
    });
    let _ = ctx;
    crate::say!("{}", to_json(&out)?);
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Other(format!("无法输出 JSON：{e}")))
}

/// The result as an officer reads it: each clause with its citation, text, steps and exclusions.
fn explain_text(result: &CaseResult, case: &Value) -> String {
    let catalog = Catalog::embedded();
    let pc = catalog.programme(result.programme);
    let mut out = String::new();
    let title = pc.map(|p| p.short_title.as_str()).unwrap_or_default();
    out.push_str(&format!(
        "扶持资金测算：{title}（{}），{} 年度\n",
        result.programme, result.year
    ));
    if let Some(name) = case["platform"]["name"].as_str() {
        let code = case["platform"]["credit_code"].as_str().unwrap_or_default();
        out.push_str(&format!("平台：{name}（{code}）\n"));
    }
    for line in &result.lines {
        out.push_str(&format!(
            "\n第{}条 {}　{}\n",
            line.clause, line.title, line.citation
        ));
        if let Some(clause) = pc.and_then(|p| p.clause(&line.clause)) {
            out.push_str(&format!("  条文：{}\n", clause.text));
        }
        for step in line.explanation() {
            out.push_str(&format!("  · {step}\n"));
        }
        let excluded = line.excluded_text();
        if !excluded.is_empty() {
            out.push_str(&format!("  未计入（{} 项）：\n", excluded.len()));
            for (unit, reason) in excluded {
                out.push_str(&format!("    {unit}：{reason}\n"));
            }
        }
        if let Some(n) = line.active_count {
            out.push_str(&format!("  活跃企业数：{n}\n"));
        }
        out.push_str(&format!(
            "  最高可补助额：{} 元（{}）\n",
            format_grouped(line.ceiling),
            line.limited_by_label()
        ));
    }
    out.push_str(&format!(
        "\n合计最高可补助额：{} 元\n",
        format_grouped(result.total)
    ));
    for w in &result.warnings {
        out.push_str(&format!("提示：{w}\n"));
    }
    out
}

fn what_if_text(
    changes: &[String],
    diffs: &[LineDifference],
    baseline: &CaseResult,
    result: &CaseResult,
) -> String {
    // The cap by name (租金补助标准上限, not 单项上限): from the line itself when it is there.
    let label = |r: &CaseResult, clause: &str, l: Option<LimitedBy>| {
        r.lines
            .iter()
            .find(|line| line.clause == clause)
            .map(|line| line.limited_by_label())
            .or_else(|| l.map(|l| l.label().to_string()))
            .unwrap_or_else(|| "—".into())
    };
    let mut t = table(&["条款", "原测算", "假设后", "差额", "原依据", "假设后依据"]);
    for d in diffs {
        t.add_row(vec![
            d.clause.clone(),
            format_grouped(d.baseline),
            format_grouped(d.what_if),
            format_grouped(d.difference),
            label(baseline, &d.clause, d.limited_by_baseline),
            label(result, &d.clause, d.limited_by_what_if),
        ]);
    }
    format!(
        "假设：{}\n{t}\n合计：{} → {}（差额 {}）\n",
        changes.join("；"),
        format_grouped(baseline.total),
        format_grouped(result.total),
        format_grouped(result.total - baseline.total)
    )
}

pub fn check_pilot(ctx: &Context, file: &Path) -> Result<(), CliError> {
    let value = read_json(file, "申报主体文件")?;
    let check = pilot::check(&value).map_err(CliError::Case)?;
    emit(ctx, &check, || {
        let name = check.name.clone().unwrap_or_default();
        crate::say!("两业融合试点申报条件核查：{name}（{}）", check.type_label);
        for c in &check.conditions {
            crate::say!(
                "  {} {}：{}",
                if c.met { "✔" } else { "✘" },
                c.text,
                c.reason
            );
        }
        crate::say!(
            "结论：{}　依据：{}",
            if check.eligible {
                "符合申报条件，可进入专家评审"
            } else {
                "不符合申报条件"
            },
            check.citation
        );
    })
}

pub fn policy(
    ctx: &Context,
    programme: Option<&str>,
    clause: Option<&str>,
) -> Result<(), CliError> {
    let catalog = Catalog::embedded();
    let programmes: Vec<Programme> = match programme {
        Some(p) => vec![crate::input::programme("政策", p)?],
        None => Programme::ALL.to_vec(),
    };
    if let (Some(id), [p]) = (clause, programmes.as_slice()) {
        let pc = catalog
            .programme(*p)
            .ok_or_else(|| CliError::Other(format!("目录中没有 {p}")))?;
        let c = pc
            .clause(id)
            .ok_or_else(|| CliError::Input(format!("{}没有第“{id}”条", pc.short_title)))?;
        let params: serde_json::Map<String, Value> = c
            .params
            .iter()
            .map(|(name, param)| {
                let values: Vec<Value> = param
                    .values
                    .iter()
                    .map(|v| json!({"from": v.from.to_string(), "value": v.value.normalize().to_string(), "reference": v.reference}))
                    .collect();
                (
                    name.clone(),
                    json!({"label": param.label, "unit": param.unit, "values": values}),
                )
            })
            .collect();
        let value = json!({
            "programme": p, "clause": c.id, "title": c.title, "citation": c.citation, "text": c.text,
            "note": c.note, "formula": c.formula.name(), "one_time": c.one_time, "zhongshan": c.zhongshan,
            "categories": c.categories, "params": params,
            "programme_title": pc.title,
            "validity": {"from": pc.valid_from.to_string(), "to": pc.valid_to.to_string(),
                         "reference": pc.validity_reference},
        });
        return emit(ctx, &value, || {
            crate::say!("{}", pc.title);
            crate::say!(
                "政策有效期：{} 至 {}（{}）",
                pc.valid_from,
                pc.valid_to,
                pc.validity_reference
            );
            crate::say!("第{}条 {}　{}", c.id, c.title, c.citation);
            crate::say!("条文：{}", c.text);
            if let Some(note) = &c.note {
                crate::say!("说明：{note}");
            }
            for (name, param) in &c.params {
                let values: Vec<String> = param
                    .values
                    .iter()
                    .map(|v| {
                        format!(
                            "{}（自 {} 起，{}）",
                            v.value.normalize(),
                            v.from,
                            v.reference
                        )
                    })
                    .collect();
                let shown = if values.is_empty() {
                    "未设定（由主管部门设定）".to_string()
                } else {
                    values.join("；")
                };
                crate::say!("参数 {}（{name}，{}）：{shown}", param.label, param.unit);
            }
        });
    }
    let mut rows = Vec::new();
    for p in &programmes {
        if let Some(pc) = catalog.programme(*p) {
            for c in &pc.clauses {
                rows.push(json!({"programme": p, "clause": c.id, "title": c.title, "citation": c.citation}));
            }
        }
    }
    emit(ctx, &rows, || {
        let mut t = table(&["政策", "条款", "名称", "出处"]);
        for r in &rows {
            t.add_row(vec![
                r["programme"].as_str().unwrap_or_default().to_string(),
                r["clause"].as_str().unwrap_or_default().to_string(),
                r["title"].as_str().unwrap_or_default().to_string(),
                r["citation"].as_str().unwrap_or_default().to_string(),
            ]);
        }
        crate::say!("{t}");
    })
}
