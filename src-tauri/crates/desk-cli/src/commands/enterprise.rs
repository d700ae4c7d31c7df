use desk_store::{CaseQuery, NewEnterprise};
use serde_json::json;

use crate::cli::{EnterpriseAdd, EnterpriseCommand};
use crate::context::{CliError, Context};
use crate::input;
use crate::output::{emit, table, yuan};

pub fn run(ctx: &Context, cmd: EnterpriseCommand) -> Result<(), CliError> {
    match cmd {
        EnterpriseCommand::Add(args) => add(ctx, args),
        EnterpriseCommand::List { town, search } => {
            let town = town.map(|t| input::town("--town", &t)).transpose()?;
            let store = ctx.open()?;
            let list = store.enterprises(town, search.as_deref())?;
            emit(ctx, &list, || {
                let mut t = table(&["统一社会信用代码", "企业名称", "镇街", "联系人", "电话"]);
                for e in &list {
                    t.add_row(vec![
                        e.credit_code.to_string(),
                        e.name.clone(),
                        e.town.to_string(),
                        e.contact_person.clone(),
                        e.contact_phone.clone(),
                    ]);
                }
                crate::say!("{t}\n共 {} 家企业", list.len());
            })
        }
        EnterpriseCommand::Show { credit_code } => {
            let code = input::credit_code("统一社会信用代码", "参数", &credit_code)?;
            let store = ctx.open()?;
            let enterprise = store.enterprise_by_code(&code)?.ok_or_else(|| {
                CliError::Input(format!("统一社会信用代码 {code} 的企业尚未登记"))
            })?;
            let platforms = store.platforms(None, Some(enterprise.id))?;
            let cases = store.cases(&CaseQuery {
                search: Some(code.to_string()),
                page_size: 500,
                ..CaseQuery::default()
            })?;
            let value =
                json!({"enterprise": enterprise, "platforms": platforms, "cases": cases.rows});
            emit(ctx, &value, || {
                crate::say!("{}（{}）", enterprise.name, enterprise.credit_code);
                crate::say!(
                    "镇街：{}　地址：{}　联系人：{} {}",
                    enterprise.town,
                    enterprise.address,
                    enterprise.contact_person,
                    enterprise.contact_phone
                );
                let mut t = table(&["平台编号", "政策", "平台名称", "类别/级别", "认定日期"]);
                for p in &platforms {
                    t.add_row(vec![
                        p.id.to_string(),
                        p.programme.short_title().to_string(),
                        p.name.clone(),
                        p.grade.label(),
                        p.recognized_on.to_string(),
                    ]);
                }
                crate::say!("\n平台认定\n{t}");
                let mut t = table(&[
                    "案件编号",
                    "年度",
                    "状态",
                    desk_policy::glossary::CEILING,
                    desk_policy::glossary::APPROVED,
                ]);
                for c in &cases.rows {
                    t.add_row(vec![
                        c.case_no.clone(),
                        c.year.to_string(),
                        c.status.label().to_string(),
                        yuan(c.ceiling_total),
                        yuan(c.approved_total),
                    ]);
                }
                crate::say!("\n案件\n{t}");
            })
        }
    }
}

fn add(ctx: &Context, args: EnterpriseAdd) -> Result<(), CliError> {
    let new = NewEnterprise {
        credit_code: input::credit_code("统一社会信用代码", "--credit-code", &args.credit_code)?,
        name: input::field(
            "企业名称",
            "--name",
            Some(args.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .ok_or("不能为空"),
        )?,
        town: input::town("--town", &args.town)?,
        address: args.address,
        contact_person: args.contact_person,
        contact_phone: args.contact_phone,
    };
    let mut store = ctx.open()?;
    let created = store.add_enterprise(&new, &ctx.editor())?;
    emit(ctx, &created, || {
        crate::say!(
            "已登记企业：{}（{}，{}）",
            created.name,
            created.credit_code,
            created.town
        );
    })
}
