//! parameter: the policy parameters' values in force and the bureau's own settings, through
//! desk-api (the path the settings screen takes).

use desk_api::parameters::{
    ParameterView, VALID_FROM, VALID_TO, ValidityView, parameters, set_parameter, set_validity,
    validities,
};
use desk_policy::{BureauProblem, Money};
use serde_json::json;

use crate::cli::ParameterCommand;
use crate::context::{CliError, Context};
use crate::input;
use crate::output::{emit, table};

pub fn run(ctx: &Context, cmd: ParameterCommand) -> Result<(), CliError> {
    match cmd {
        ParameterCommand::List { programme, on } => list(ctx, programme.as_deref(), on.as_deref()),
        ParameterCommand::Set {
            programme,
            key,
            value,
            from,
            reference,
        } => match key.trim() {
            key @ (VALID_FROM | VALID_TO) => {
                set_dates(ctx, &programme, key, &value, from.as_deref(), &reference)
            }
            key => {
                let Some(from) = from else {
                    return Err(CliError::Input(format!(
                        "参数 {key}：请用 --from <日期> 写明生效日期"
                    )));
                };
                set(ctx, &programme, key, &value, &from, &reference)
            }
        },
    }
}

/// A value as its unit reads: a share also as a percentage.
fn shown(value: Money, unit: &str) -> String {
    let v = value.normalize();
    if unit == "比例" {
        format!("{v}（{}%）", (value * Money::ONE_HUNDRED).normalize())
    } else {
        v.to_string()
    }
}

fn list(ctx: &Context, programme: Option<&str>, on: Option<&str>) -> Result<(), CliError> {
    let programme = programme.map(|p| input::programme("政策", p)).transpose()?;
    let on = match on {
        Some(d) => input::date("日期", "--on", d)?,
        None => ctx.now.date(),
    };
    let store = ctx.open()?;
    let views: Vec<ParameterView> = parameters(&store, on)?
        .into_iter()
        .filter(|p| programme.is_none_or(|want| p.programme == want))
        .collect();
    let dates: Vec<ValidityView> = validities(&store)?
        .into_iter()
        .filter(|v| programme.is_none_or(|want| v.programme == want))
        .collect();
    let rows: Vec<serde_json::Value> = views
        .iter()
        .map(|p| {
            let now = p.value_on(on);
            json!({
                "programme": p.programme, "key": p.key, "label": p.label, "unit": p.unit,
                "clause_title": p.clause_title, "bureau_sets": p.bureau_sets,
                "value": now.map(|(v, _)| v.value.normalize().to_string()),
                "from": now.map(|(v, _)| v.from), "reference": now.map(|(v, _)| v.reference.clone()),
                "source": now.map(|(_, s)| s),
                "catalog_values": p.catalog_values, "bureau_values": p.bureau_values,
            })
        })
        .collect();
    emit(
        ctx,
        &json!({"on": on, "parameters": rows, "validity": dates}),
        || {
            let mut t = table(&[
                "政策",
                "参数",
                "名称",
                "单位",
                "现行值",
                "自",
                "依据",
                "来源",
            ]);
            for p in &views {
                let (value, from, reference, source) = match p.value_on(on) {
                    Some((v, s)) => (
                        shown(v.value, &p.unit),
                        v.from.to_string(),
                        v.reference.clone(),
                        s.label().to_string(),
                    ),
                    None if p.bureau_sets => (
                        "未设置".into(),
                        "—".into(),
                        "原文未定数值，须由本局设定".into(),
                        "—".into(),
                    ),
                    None => ("无".into(), "—".into(), "—".into(), "—".into()),
                };
                t.add_row(vec![
                    p.programme.id().to_string(),
                    p.key.clone(),
                    format!("第{}条 {}：{}", p.clause, p.clause_title, p.label),
                    p.unit.clone(),
                    value,
                    from,
                    reference,
                    source,
                ]);
            }
            for v in &dates {
                for (key, name, date) in [
                    (VALID_FROM, "施行日期", v.valid_from),
                    (VALID_TO, "有效期截止日", v.valid_to),
                ] {
                    t.add_row(vec![
                        v.programme.id().to_string(),
                        key.to_string(),
                        format!("政策有效期：{name}"),
                        "日期".into(),
                        date.to_string(),
                        "—".into(),
                        v.reference.clone(),
                        v.source.label().to_string(),
                    ]);
                }
            }
            crate::say!("{t}");
            crate::say!(
                "按 {on} 的现行值列出（案件按申报年度的1月1日取值）；设定：subsidy-desk parameter set <政策> <参数> <取值> --from <日期> --reference <依据>"
            );
        },
    )
}

fn set(
    ctx: &Context,
    programme: &str,
    key: &str,
    value: &str,
    from: &str,
    reference: &str,
) -> Result<(), CliError> {
    let programme = input::programme("政策", programme)?;
    let from = input::date("生效日期", "--from", from)?;
    let mut store = ctx.open()?;
    let set = set_parameter(
        &mut store,
        programme,
        key.trim(),
        from,
        value,
        reference,
        &ctx.editor(),
    )?;
    let view = parameters(&store, from)?
        .into_iter()
        .find(|p| p.programme == programme && p.key == set.key);
    let (label, unit) = view
        .as_ref()
        .map(|p| {
            (
                format!("第{}条 {}：{}", p.clause, p.clause_title, p.label),
                p.unit.clone(),
            )
        })
        .unwrap_or_default();
    let first_year = first_year_applied(from);
    emit(ctx, &set, || {
        crate::say!(
            "已设定 {} {}（{label}）= {}，自 {} 起生效，依据：{}",
            programme.id(),
            set.key,
            shown(set.value, &unit),
            set.effective_from,
            set.reference
        );
        crate::say!(
            "适用于 {first_year} 年度起申报的案件（案件按申报年度的1月1日取参数值）；已记入审计日志"
        );
    })
}

/// Sets a programme's in-force start or end date: the value is the date, no `--from`.
fn set_dates(
    ctx: &Context,
    programme: &str,
    key: &str,
    value: &str,
    from: Option<&str>,
    reference: &str,
) -> Result<(), CliError> {
    let programme = input::programme("政策", programme)?;
    if from.is_some() {
        return Err(CliError::Input(format!(
            "参数 {key}：取值本身即日期，不用 --from；如 parameter set {} {key} 2026-12-31 --reference <依据>",
            programme.id()
        )));
    }
    let mut store = ctx.open()?;
    let set = set_validity(&mut store, programme, key, value, reference, &ctx.editor())?;
    emit(ctx, &set, || {
        crate::say!(
            "已设定 {} 的政策有效期：{} 至 {}，依据：{}（政策目录为 {} 至 {}）",
            programme.id(),
            set.valid_from,
            set.valid_to,
            set.reference,
            set.catalog_from,
            set.catalog_to
        );
        crate::say!("此后计算的案件按此有效期判断是否超出政策有效期；已记入审计日志");
    })
}

/// The first application year whose 1 January is not before `from`.
fn first_year_applied(from: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if from.ordinal() == 1 {
        from.year()
    } else {
        from.year() + 1
    }
}

/// What the officer is told to do about a bureau problem, on the command line.
pub fn remedy(problem: &BureauProblem) -> String {
    match problem {
        BureauProblem::ParameterUnset(p) => format!(
            "{problem}。请用 subsidy-desk parameter set {} {} <取值> --from <不晚于 {} 的生效日期> --reference <依据文件> 设定后重新导入",
            p.programme.id(),
            p.key,
            p.on
        ),
    }
}
