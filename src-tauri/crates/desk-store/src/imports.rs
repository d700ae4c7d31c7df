//! Recording an imported submission: enterprise, platform, case and items in one transaction, so a
//! workbook either lands whole or not at all.

use chrono::NaiveDate;
use desk_policy::Money;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use crate::backup::BackupLabel;
use crate::error::Result;
use crate::model::{
    CaseRow, CaseStatus, Editor, Grade, NewEnterprise, NewItem, NewPlatform, cents, text,
};
use crate::records::{self, RecordChoice, RecordMatch};
use crate::{Store, StoreError, audit, sql};
use desk_policy::TextKind;

/// What an imported workbook says, ready for the database.
#[derive(Debug, Clone)]
pub struct ImportedCase {
    pub enterprise: NewEnterprise,
    /// The platform as the workbook states it; `enterprise` and `programme` repeat the case's own.
    pub platform: NewPlatform,
    pub year: i32,
    pub received_on: NaiveDate,
    pub officer: String,
    pub items: Vec<NewItem>,
    /// SHA-256 of the workbook file, to recognise the same file imported twice.
    pub source_sha256: String,
    /// What to do when the workbook's enterprise or platform facts differ from the record:
    /// unchosen, such a workbook is refused with the list of differences.
    pub record: RecordChoice,
}

/// What the import did.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A new case (status 草稿).
    Created { case: CaseRow },
    /// A corrected resubmission replaced the items of the open case of the same platform and year.
    Replaced {
        case: CaseRow,
        previous_items: usize,
    },
    /// This very file was imported before; nothing changed.
    Duplicate { case: CaseRow },
}

impl ImportedCase {
    /// What the store checks of a submission before it writes anything: the amounts it keeps in
    /// whole fen, and the texts (`model::text`). A check (`--dry-run`) asks the same, so it refuses
    /// exactly what the import would.
    pub fn check(&self) -> Result<()> {
        self.declared_cents().map(|_| ())?;
        let money = |m: Option<Money>, f| m.map(|m| cents(m, f)).transpose();
        money(self.platform.paid_in_capital, "实缴注册资本")?;
        money(self.platform.fiscal_paid_in_capital, "财政资金实缴出资")?;
        self.texts().map(|_| ())
    }

    /// The enterprise, the platform's name and the officer as they are kept.
    fn texts(&self) -> Result<(NewEnterprise, String, String)> {
        Ok((
            self.enterprise.cleaned()?,
            text("平台名称", TextKind::Name, &self.platform.name)?,
            text("经办人", TextKind::Person, &self.officer)?,
        ))
    }

    fn declared_cents(&self) -> Result<Vec<Option<i64>>> {
        self.items
            .iter()
            .map(|i| i.declared_amount.map(|m| cents(m, "申请金额")).transpose())
            .collect()
    }
}

impl Store {
    /// The record `imported` is for (its enterprise, its platform) and each fact it states
    /// otherwise, compared as the import compares them: texts as they are kept, names by
    /// `desk_policy::text::same_text`.
    pub fn record_of(&self, imported: &ImportedCase) -> Result<RecordMatch> {
        let (enterprise, platform_name, _) = imported.texts()?;
        records::record_match(&self.conn, imported, &enterprise, &platform_name)
    }

    /// Records a submission in one transaction. The same file (by SHA-256) is not imported twice;
    /// a corrected workbook for a platform, programme and year whose case is still open (草稿, 已受理,
    /// 退回补正) replaces that case's items, with the change in the audit log.
    pub fn import_case(
        &mut self,
        imported: &ImportedCase,
        editor: &Editor,
    ) -> Result<ImportOutcome> {
        self.import_case_if(imported, editor, || Ok::<(), std::convert::Infallible>(()))?
            .map_err(|never| match never {})
    }

    /// The case a workbook with this SHA-256 was imported into, if any: an import of the same
    /// file again changes nothing, and a check (`--dry-run`) says so before.
    pub fn case_imported_from(&self, sha256: &str) -> Result<Option<CaseRow>> {
        let id = self
            .conn
            .query_row(
                "SELECT id FROM cases WHERE source_sha256 = ?1",
                [sha256],
                |r| r.get::<_, i64>(0),
            )
            .optional()?;
        id.map(|id| self.case(id)).transpose()
    }

    /// `import_case`, committed only if `confirm` (called once everything is written, before the
    /// commit) agrees; otherwise nothing is kept and its error is given back. An import checks the
    /// workbook with the calculator while the database is written.
    pub fn import_case_if<E>(
        &mut self,
        imported: &ImportedCase,
        editor: &Editor,
        confirm: impl FnOnce() -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<ImportOutcome, E>> {
        if let Some(id) = self
            .conn
            .query_row(
                "SELECT id FROM cases WHERE source_sha256 = ?1",
                [&imported.source_sha256],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
        {
            if let Err(refused) = confirm() {
                return Ok(Err(refused));
            }
            return Ok(Ok(ImportOutcome::Duplicate {
                case: self.case(id)?,
            }));
        }
        imported.check()?;
        let declared = imported.declared_cents()?;
        let (enterprise, platform_name, officer) = imported.texts()?;
        let seen = records::record_match(&self.conn, imported, &enterprise, &platform_name)?;
        refuse_unchosen(imported, &seen)?;
        let replaces = match &seen.platform {
            Some(p) => records::has_open_case(&self.conn, p.id, imported.year)?,
            None => false,
        };
        if replaces {
            // The replaced items are in the audit log too; the backup keeps the whole file as it was.
            self.automatic_backup(&BackupLabel::BeforeResubmission, editor.at)?;
        }
        let tx = self.write_tx()?;
        // Read again inside the transaction: what is written stands on the record as it is now.
        let found = records::record_match(&tx, imported, &enterprise, &platform_name)?;
        refuse_unchosen(imported, &found)?;
        if imported.record == RecordChoice::Update && !found.differences.is_empty() {
            records::update_record(&tx, &found, imported, &enterprise, &platform_name, editor)?;
        }
        let e = &enterprise;
        let enterprise_id = match found.enterprise.as_ref().map(|e| e.id) {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO enterprises (credit_code, name, town, address, contact_person, contact_phone, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![e.credit_code.as_str(), e.name.trim(), e.town.name(), e.address, e.contact_person, e.contact_phone, editor.timestamp()],
                )?;
                let id = tx.last_insert_rowid();
                audit::record(
                    &tx,
                    editor,
                    "enterprise",
                    id,
                    "导入申报表时登记企业",
                    None::<&()>,
                    Some(e),
                )?;
                id
            }
        };
        let (category, level) = match imported.platform.grade {
            Grade::Category(c) => (Some(c.number()), None),
            Grade::Level(l) => (None, Some(l.id())),
        };
        let platform_id: i64 = match found.platform.as_ref().map(|p| p.id) {
            Some(id) => id,
            None => {
                let money = |m: Option<Money>, f| m.map(|m| cents(m, f)).transpose();
                tx.execute(
                    "INSERT INTO platforms (enterprise_id, programme, name, category, level, recognized_on,
                         paid_in_capital_cents, fiscal_paid_in_capital_cents, relocated_hq, system_live_on, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        enterprise_id,
                        imported.platform.programme.id(),
                        platform_name,
                        category,
                        level,
                        sql::format_date(imported.platform.recognized_on),
                        money(imported.platform.paid_in_capital, "实缴注册资本")?,
                        money(imported.platform.fiscal_paid_in_capital, "财政资金实缴出资")?,
                        imported.platform.relocated_hq,
                        imported.platform.system_live_on.map(sql::format_date),
                        editor.timestamp()
                    ],
                )?;
                let id = tx.last_insert_rowid();
                let after = json!({"name": platform_name, "programme": imported.platform.programme, "recognized_on": imported.platform.recognized_on});
                audit::record(
                    &tx,
                    editor,
                    "platform",
                    id,
                    "导入申报表时登记平台",
                    None::<&()>,
                    Some(&after),
                )?;
                id
            }
        };
        let open: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, status FROM cases WHERE platform_id = ?1 AND programme = ?2 AND year = ?3
                   AND status IN ('draft', 'received', 'returned') ORDER BY id DESC LIMIT 1",
                params![platform_id, imported.platform.programme.id(), imported.year],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (case_id, previous) = match open {
            Some((id, _)) => {
                let previous: i64 = tx.query_row(
                    "SELECT count(*) FROM case_items WHERE case_id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                let before: Vec<String> = {
                    let mut stmt = tx.prepare("SELECT clause || ' ' || declared_units FROM case_items WHERE case_id = ?1 ORDER BY seq")?;
                    stmt.query_map([id], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?
                };
                tx.execute("DELETE FROM case_items WHERE case_id = ?1", [id])?;
                tx.execute(
                    "UPDATE cases SET source_sha256 = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, imported.source_sha256, editor.timestamp()],
                )?;
                let after: Vec<String> = imported
                    .items
                    .iter()
                    .map(|i| format!("{} {}", i.clause, i.declared_units))
                    .collect();
                audit::record(
                    &tx,
                    editor,
                    "case",
                    id,
                    "补正后重新导入，替换申报项目",
                    Some(&before),
                    Some(&after),
                )?;
                (id, Some(previous as usize))
            }
            None => {
                let case_no =
                    crate::cases::next_case_no(&tx, imported.platform.programme, imported.year)?;
                tx.execute(
                    "INSERT INTO cases (case_no, platform_id, programme, year, batch, status, officer, received_on,
                                        source_sha256, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, ?8, ?9, ?9)",
                    params![
                        case_no,
                        platform_id,
                        imported.platform.programme.id(),
                        imported.year,
                        CaseStatus::Draft.id(),
                        officer,
                        sql::format_date(imported.received_on),
                        imported.source_sha256,
                        editor.timestamp()
                    ],
                )?;
                let id = tx.last_insert_rowid();
                audit::record(
                    &tx,
                    editor,
                    "case",
                    id,
                    "导入申报表新建案件",
                    None::<&()>,
                    Some(&json!({"source_sha256": imported.source_sha256})),
                )?;
                (id, None)
            }
        };
        if !found.differences.is_empty() {
            records::audit_case_choice(&tx, editor, case_id, imported.record, &found.differences)?;
        }
        for (item, declared_cents) in imported.items.iter().zip(declared) {
            crate::cases::insert_item(&tx, case_id, item, declared_cents, editor)?;
        }
        if let Err(refused) = confirm() {
            return Ok(Err(refused)); // dropping `tx` rolls it back
        }
        tx.commit()?;
        let case = self.case(case_id)?;
        Ok(Ok(match previous {
            Some(previous_items) => ImportOutcome::Replaced {
                case,
                previous_items,
            },
            None => ImportOutcome::Created { case },
        }))
    }
}

/// A workbook whose facts differ from the record is written only once the officer has chosen.
fn refuse_unchosen(imported: &ImportedCase, found: &RecordMatch) -> Result<()> {
    if imported.record == RecordChoice::Unchosen && !found.differences.is_empty() {
        return Err(StoreError::RecordDiffers(found.differences.clone()));
    }
    Ok(())
}
