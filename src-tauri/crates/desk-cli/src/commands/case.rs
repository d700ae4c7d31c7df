use desk_api::files::{FileTask, io_message};
use desk_store::{CaseQuery, CaseRow, CaseStatus, NewCase, Store};

use crate::cli::{CaseCommand, CaseList};
use crate::context::{CliError, Context};
use crate::input;
use crate::output::{emit, opt_yuan, table, yuan};

pub fn run(ctx: &Context, cmd: CaseCommand) -> Result<(), CliError> {
    match cmd {
        CaseCommand::New {
            platform,
            year,
            batch,
            officer,
            received_on,
        } => {
            let received_on = match received_on {
                Some(d) => input::date("受理日期", "--received-on", &d)?,
                None => ctx.now.date(),
            };
            let new = NewCase {
                platform_id: platform,
                year,
                batch,
                officer: officer.unwrap_or_else(|| ctx.user.clone()),
                received_on,
                status: CaseStatus::Received,
            };
            let mut store = ctx.open()?;
            let created = store.new_case(&new, &[], &ctx.editor())?;
            emit(ctx, &created, || {
                crate::say!(
                    "已新建案件 {}：{}，{} 年度，{}，经办人 {}",
                    created.case_no,
                    created.enterprise_name,
                    created.year,
                    created.programme.short_title(),
                    created.officer
                );
            })
        }
        CaseCommand::Approve {
            case,
            item,
            amount,
            reason,
        } => {
            let amount = input::amount(desk_policy::glossary::APPROVED, "--amount", &amount)?;
            let mut store = ctx.open()?;
            let found = find(&store, &case)?;
            let item_id = item_id(&store, &found, item)?;
            let approved = desk_api::approve_item(
                &mut store,
                found.id,
                item_id,
                amount,
                &reason,
                &ctx.editor(),
            )?;
            emit(ctx, &approved, || {
                crate::say!(
                    "案件 {} 第 {} 项（第{}条）核定金额 {} 元",
                    found.case_no,
                    approved.seq,
                    approved.clause,
                    opt_yuan(approved.approved)
                );
            })
        }
        CaseCommand::Move { case, status } => {
            let status = input::field("案件状态", "状态", CaseStatus::parse(&status))?;
            let mut store = ctx.open()?;
            let found = find(&store, &case)?;
            let moved = store.set_case_status(found.id, status, &ctx.editor())?;
            emit(ctx, &moved, || {
                crate::say!("案件 {} 现为“{}”", moved.case_no, moved.status.label());
            })
        }
        CaseCommand::RefuseUnit {
            case,
            item,
            list,
            row,
            reason,
            undo,
        } => {
            if row == 0 {
                return Err(CliError::Input("--row：行号从 1 起".into()));
            }
            let mut store = ctx.open()?;
            let found = find(&store, &case)?;
            let item_id = item_id(&store, &found, item)?;
            let reason = if undo { None } else { reason };
            let result = desk_api::refuse_unit(
                &mut store,
                found.id,
                item_id,
                &list,
                row - 1,
                reason.as_deref(),
                &ctx.editor(),
            )?;
            emit(ctx, &result, || {
                match &reason {
                    Some(r) => crate::say!(
                        "案件 {} 第 {item} 项 {list} 第 {row} 行不予认定（{r}），已重新计算：",
                        found.case_no
                    ),
                    None => crate::say!(
                        "案件 {} 第 {item} 项 {list} 第 {row} 行已撤销不予认定，已重新计算：",
                        found.case_no
                    ),
                }
                for line in &result.lines {
                    crate::say!(
                        "  第{}条 {}：最高可补助额 {} 元（{}）",
                        line.clause,
                        line.title,
                        yuan(line.ceiling),
                        line.limited_by_label()
                    );
                    for (unit, why) in line.excluded_text() {
                        crate::say!("    不计：{unit}　{why}");
                    }
                }
            })
        }
        CaseCommand::SetRequest { case, item, amount } => {
            let amount = input::amount(desk_policy::glossary::REQUESTED, "--amount", &amount)?;
            let mut store = ctx.open()?;
            let found = find(&store, &case)?;
            let item_id = item_id(&store, &found, item)?;
            let updated =
                desk_api::set_item_request(&mut store, found.id, item_id, amount, &ctx.editor())?;
            emit(ctx, &updated, || {
                crate::say!(
                    "案件 {} 第 {} 项（第{}条）申请金额 {} 元",
                    found.case_no,
                    updated.seq,
                    updated.clause,
                    opt_yuan(updated.declared_amount)
                );
            })
        }
        CaseCommand::List(args) => list(ctx, args),
        CaseCommand::Show { case } => show(ctx, &case),
        CaseCommand::Calc { case } => {
            let mut store = ctx.open()?;
            let found = find(&store, &case)?;
            let result = desk_api::compute_case(&mut store, found.id, &ctx.editor())?;
            emit(ctx, &result, || {
                crate::say!("案件 {} 已按政策条款计算：", found.case_no);
                for line in &result.lines {
                    crate::say!(
                        "  第{}条 {}：最高可补助额 {} 元（{}）",
                        line.clause,
                        line.title,
                        yuan(line.ceiling),
                        line.limited_by_label()
                    );
                }
                crate::say!("  合计 {} 元", yuan(result.total));
                for w in &result.warnings {
                    crate::say!("  提示：{w}");
                }
            })
        }
    }
}

fn list(ctx: &Context, args: CaseList) -> Result<(), CliError> {
    let query = CaseQuery {
        programme: args
            .programme
            .map(|p| input::programme("--programme", &p))
            .transpose()?,
        year: args.year,
        batch: args.batch,
        town: args.town.map(|t| input::town("--town", &t)).transpose()?,
        status: args
            .status
            .map(|s| input::field("案件状态", "--status", CaseStatus::parse(&s)))
            .transpose()?,
        officer: args.officer,
        open: args.open,
        oldest_first: args.oldest_first,
        search: args.search,
        page: args.page,
        page_size: args.page_size,
    };
    let store = ctx.open()?;
    let page = store.cases(&query)?;
    emit(ctx, &page, || {
        let mut t = table(&[
            "案件编号",
            "年度",
            "申报企业",
            "镇街",
            "状态",
            "经办人",
            "受理日期",
            desk_policy::glossary::CEILING,
            desk_policy::glossary::APPROVED,
        ]);
        for c in &page.rows {
            t.add_row(vec![
                c.case_no.clone(),
                c.year.to_string(),
                c.enterprise_name.clone(),
                c.town.to_string(),
                c.status.label().to_string(),
                c.officer.clone(),
                c.received_on.to_string(),
                yuan(c.ceiling_total),
                yuan(c.approved_total),
            ]);
        }
        let pages = (page.total as u64)
            .div_ceil(u64::from(page.page_size))
            .max(1);
        crate::say!(
            "{t}\n共 {} 个案件，第 {} / {pages} 页",
            page.total,
            page.page
        );
    })
}

/// An item of a case named by its 序号 (as `case show` lists them).
fn item_id(store: &Store, case: &CaseRow, seq: i64) -> Result<i64, CliError> {
    store
        .items(case.id)?
        .into_iter()
        .find(|i| i.seq == seq)
        .map(|i| i.id)
        .ok_or_else(|| {
            CliError::Input(format!(
                "--item：案件 {} 没有序号为 {seq} 的申报项目",
                case.case_no
            ))
        })
}

/// A case named by its number (PTSP-2020-0001) or its internal id.
fn find(store: &Store, text: &str) -> Result<CaseRow, CliError> {
    let found = match text.trim().parse::<i64>() {
        Ok(id) => store.case(id),
        Err(_) => store.case_by_no(&text.trim().to_ascii_uppercase()),
    };
    found.map_err(|e| CliError::Input(e.to_string()))
}

fn show(ctx: &Context, text: &str) -> Result<(), CliError> {
    let store = ctx.open()?;
    let case = find(&store, text)?;
    let detail = store.case_detail(case.id)?;
    emit(ctx, &detail, || {
        let c = &detail.case;
        let p = &detail.platform;
        crate::say!(
            "案件 {}　{}　{}",
            c.case_no,
            c.status.label(),
            p.programme.title()
        );
        crate::say!(
            "申报企业：{}（{}，{}）",
            c.enterprise_name,
            c.credit_code,
            c.town
        );
        crate::say!(
            "平台：{}，{}，认定日期 {}",
            p.name,
            p.grade.label(),
            p.recognized_on
        );
        crate::say!(
            "申报年度：{}　批次：{}　经办人：{}　受理日期：{}",
            c.year,
            c.batch,
            c.officer,
            c.received_on
        );
        let mut t = table(&[
            "序号",
            "条款",
            desk_policy::glossary::REQUESTED,
            desk_policy::glossary::CEILING,
            desk_policy::glossary::APPROVED,
            "核减理由",
        ]);
        for i in &detail.items {
            t.add_row(vec![
                i.seq.to_string(),
                i.clause.clone(),
                opt_yuan(i.declared_amount),
                opt_yuan(i.ceiling),
                opt_yuan(i.approved),
                i.reason.clone(),
            ]);
        }
        t.add_row(vec![
            String::new(),
            "合计".into(),
            yuan(c.declared_total),
            yuan(c.ceiling_total),
            yuan(c.approved_total),
            String::new(),
        ]);
        crate::say!("\n申报项目\n{t}");
        if !detail.payments.is_empty() {
            let mut t = table(&["拨付日期", "金额", "凭证号"]);
            for pay in &detail.payments {
                t.add_row(vec![
                    pay.paid_on.to_string(),
                    yuan(pay.amount),
                    pay.voucher_no.clone(),
                ]);
            }
            crate::say!("\n拨付\n{t}");
        }
        let mut t = table(&["时间", "操作人", "操作"]);
        for a in &detail.audit {
            t.add_row(vec![a.at.clone(), a.actor.clone(), a.action.clone()]);
        }
        crate::say!("\n审计记录\n{t}");
    })
}

pub fn print(
    ctx: &Context,
    case: Option<&str>,
    batch: Option<&str>,
    out: &std::path::Path,
) -> Result<(), CliError> {
    let store = ctx.open()?;
    let today = ctx.now.date();
    let (bytes, what) = match (case, batch) {
        (Some(text), _) => {
            let found = find(&store, text)?;
            (
                desk_api::print::approval_pdf(&store, found.id, today)?,
                format!("案件 {} 的审批表", found.case_no),
            )
        }
        (None, Some(batch)) => {
            let (bytes, n) = desk_api::print::batch_pdf(&store, batch, today)?;
            (bytes, format!("批次“{batch}”的 {n} 份审批表"))
        }
        (None, None) => {
            return Err(CliError::Input(
                "请给出案件编号，或用 --batch 指定批次".into(),
            ));
        }
    };
    std::fs::write(out, &bytes)
        .map_err(|e| CliError::Other(io_message(FileTask::Write, "审批表", out, &e)))?;
    let value = serde_json::json!({"file": crate::paths::text(out), "bytes": bytes.len()});
    emit(ctx, &value, || {
        crate::say!(
            "已生成{what}：{}（{} KB）",
            out.display(),
            bytes.len().div_ceil(1024)
        );
    })
}

pub fn notice(
    ctx: &Context,
    kind: &str,
    case: Option<&str>,
    file: Option<&std::path::Path>,
    out: &std::path::Path,
) -> Result<(), CliError> {
    use desk_api::print::{NoticeKind, acceptance_notice, correction_notice, result_notice};
    let kind = NoticeKind::parse(kind).map_err(CliError::Input)?;
    let today = ctx.now.date();
    let notice = match kind {
        NoticeKind::Correction => {
            let path = file.ok_or_else(|| {
                CliError::Input("补正通知书：请用 --file 指定企业报送的申报表".into())
            })?;
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::Input(io_message(FileTask::Read, "申报表", path, &e)))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            correction_notice(&name, &bytes, today)?
        }
        _ => {
            let text = case.ok_or_else(|| CliError::Input("请给出案件编号".into()))?;
            let store = ctx.open()?;
            let found = find(&store, text)?;
            if kind == NoticeKind::Acceptance {
                acceptance_notice(&store, found.id, today)?
            } else {
                result_notice(&store, found.id, today)?
            }
        }
    };
    let bytes = desk_api::print::notice_pdf(&notice)?;
    std::fs::write(out, &bytes)
        .map_err(|e| CliError::Other(io_message(FileTask::Write, "通知书", out, &e)))?;
    let value = serde_json::json!({"file": crate::paths::text(out), "title": notice.title});
    emit(ctx, &value, || {
        crate::say!("已出具{}：{}", notice.title, out.display());
    })
}
