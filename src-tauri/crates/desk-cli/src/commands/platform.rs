use desk_policy::{PlatformCategory, PlatformLevel};
use desk_store::{Grade, NewPlatform};

use crate::cli::{PlatformAdd, PlatformCommand};
use crate::context::{CliError, Context};
use crate::input;
use crate::output::{emit, opt_yuan, table, yuan};

pub fn run(ctx: &Context, cmd: PlatformCommand) -> Result<(), CliError> {
    match cmd {
        PlatformCommand::Add(args) => add(ctx, args),
        PlatformCommand::List {
            programme,
            enterprise,
        } => {
            let programme = programme
                .map(|p| input::programme("--programme", &p))
                .transpose()?;
            let code = enterprise
                .map(|c| input::credit_code("企业统一社会信用代码", "--enterprise", &c))
                .transpose()?;
            let store = ctx.open()?;
            let enterprise_id = match code {
                Some(code) => Some(
                    store
                        .enterprise_by_code(&code)?
                        .ok_or_else(|| {
                            CliError::Input(format!("统一社会信用代码 {code} 的企业尚未登记"))
                        })?
                        .id,
                ),
                None => None,
            };
            let list = store.platforms(programme, enterprise_id)?;
            emit(ctx, &list, || {
                let mut t = table(&[
                    "编号",
                    "政策",
                    "平台名称",
                    "运营企业",
                    "镇街",
                    "类别/级别",
                    "认定日期",
                    desk_policy::glossary::PAID_IN_CAPITAL,
                ]);
                for p in &list {
                    t.add_row(vec![
                        p.id.to_string(),
                        p.programme.id().to_string(),
                        p.name.clone(),
                        p.enterprise_name.clone(),
                        p.town.to_string(),
                        p.grade.label(),
                        p.recognized_on.to_string(),
                        opt_yuan(p.paid_in_capital),
                    ]);
                }
                crate::say!("{t}\n共 {} 个平台", list.len());
            })
        }
        PlatformCommand::History { platform } => {
            let store = ctx.open()?;
            let p = store.platform(platform)?;
            let history = store.platform_history(p.id, None)?;
            // The calculator's own format: JSON is what this command is for, tables are a courtesy.
            emit(ctx, &history, || {
                crate::say!("{}（{}）历年核定金额", p.name, p.programme.short_title());
                let mut t = table(&[
                    "年度",
                    "条款",
                    desk_policy::glossary::APPROVED,
                    "已支持企业数",
                    "活跃企业数",
                ]);
                for h in &history {
                    t.add_row(vec![
                        h.year.to_string(),
                        h.clause.clone(),
                        yuan(h.approved),
                        if h.enterprises.is_empty() {
                            String::new()
                        } else {
                            h.enterprises.len().to_string()
                        },
                        h.active_count.map(|n| n.to_string()).unwrap_or_default(),
                    ]);
                }
                crate::say!("{t}");
            })
        }
    }
}

fn add(ctx: &Context, args: PlatformAdd) -> Result<(), CliError> {
    let programme = input::programme("--programme", &args.programme)?;
    let grade = match (programme.uses_category(), &args.category, &args.level) {
        (true, Some(c), None) => Grade::Category(input::field(
            "平台类别",
            "--category",
            PlatformCategory::parse(c),
        )?),
        (false, None, Some(l)) => Grade::Level(input::field(
            "平台级别",
            "--level",
            PlatformLevel::parse(l),
        )?),
        (true, _, _) => {
            return Err(CliError::Input(
                "平台类别（--category）：zs-ptsp-2018 的平台须填写类别 0–24，且不填级别".into(),
            ));
        }
        (false, _, _) => {
            return Err(CliError::Input(
                "平台级别（--level）：zs-iip-2021 的平台须填写级别 benchmark 或 municipal，且不填类别"
                    .into(),
            ));
        }
    };
    let money = |name, flag, v: &Option<String>| {
        v.as_ref().map(|v| input::amount(name, flag, v)).transpose()
    };
    let new = NewPlatform {
        enterprise: input::credit_code(
            "运营企业统一社会信用代码",
            "--enterprise",
            &args.enterprise,
        )?,
        programme,
        name: args.name.trim().to_string(),
        grade,
        recognized_on: input::date("认定日期", "--recognized-on", &args.recognized_on)?,
        paid_in_capital: money(
            desk_policy::glossary::PAID_IN_CAPITAL,
            "--paid-in-capital",
            &args.paid_in_capital,
        )?,
        fiscal_paid_in_capital: money(
            desk_policy::glossary::FISCAL_PAID_IN_CAPITAL,
            "--fiscal-paid-in-capital",
            &args.fiscal_paid_in_capital,
        )?,
        relocated_hq: args.relocated_hq,
        system_live_on: args
            .system_live_on
            .as_ref()
            .map(|d| input::date("系统上线日期", "--system-live-on", d))
            .transpose()?,
    };
    let mut store = ctx.open()?;
    let created = store.add_platform(&new, &ctx.editor())?;
    emit(ctx, &created, || {
        crate::say!(
            "已登记平台认定（编号 {}）：{}，{}，{}，认定日期 {}{}",
            created.id,
            created.name,
            created.programme.short_title(),
            created.grade.label(),
            created.recognized_on,
            created
                .paid_in_capital
                .map(|m| format!("，实缴资本 {} 元", yuan(m)))
                .unwrap_or_default()
        );
    })
}
