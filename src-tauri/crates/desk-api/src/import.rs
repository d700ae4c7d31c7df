//! Importing a submission workbook: read and check it (desk-sheets), then record it (desk-store) in
//! one transaction. A workbook with any problem changes nothing.

use std::borrow::Cow;

use chrono::NaiveDate;
use desk_policy::{BureauProblem, Case, ClauseId, InputErrors, Programme, UnitsJson};
use desk_sheets::{CellError, ReadError, Submission, read_submission, read_typed, sha256_hex};
use desk_store::{
    Editor, Grade, ImportOutcome as StoreOutcome, ImportedCase, NewEnterprise, NewItem,
    NewPlatform, RecordChoice, RecordDifference, RecordMatch, Store,
};
use serde::Serialize;

use crate::Result;

/// How an import is carried out.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    pub received_on: NaiveDate,
    /// The officer the new case is assigned to.
    pub officer: String,
    /// Keep the calculator's input in the report (`--print-case`); it copies every unit.
    pub keep_case_file: bool,
    /// What to do when the workbook's 基本信息 differs from the record (`--update-record`,
    /// `--keep-record`); unchosen, such a workbook is not imported and its differences are listed.
    pub record: RecordChoice,
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ImportResult {
    Created {
        case_no: String,
    },
    Replaced {
        case_no: String,
        previous_items: usize,
    },
    Duplicate {
        case_no: String,
    },
    /// `--dry-run`: the workbook is correct and would be imported.
    Checked,
    /// The workbook's enterprise or platform facts differ from the record, and the officer has
    /// not chosen between correcting the record and computing on it: nothing was written.
    Differs {
        differences: Vec<RecordDifference>,
    },
    /// Cells to correct; nothing was written.
    Invalid {
        errors: Vec<CellError>,
    },
    /// Nothing for the applicant to correct, but the bureau must act first (the report's
    /// `bureau`: a parameter unset on the case's date); nothing was written.
    ForBureau,
    /// Not a workbook, not our template, or an outdated one; nothing was written.
    Refused {
        message: String,
    },
    /// The database could not record it (a full disk, a locked file): nothing was written, and
    /// the next file is imported all the same.
    Failed {
        message: String,
    },
}

impl ImportResult {
    /// Short Chinese words for a summary table.
    pub fn label(&self) -> String {
        match self {
            ImportResult::Created { case_no } => format!("已导入，新建案件 {case_no}"),
            ImportResult::Replaced {
                case_no,
                previous_items,
            } => {
                format!("补正件，已替换案件 {case_no} 的 {previous_items} 个申报项目")
            }
            ImportResult::Duplicate { case_no } => {
                format!("同一文件已导入过（案件 {case_no}），未重复导入")
            }
            ImportResult::Checked => "检查通过（未写入）".into(),
            ImportResult::Differs { differences } => format!(
                "申报表与登记信息不一致（{} 处），需选择以申报表更正登记信息或按登记信息计算，未导入",
                differences.len()
            ),
            ImportResult::Invalid { errors } => format!("有 {} 处需要修改，未导入", errors.len()),
            ImportResult::ForBureau => "申报表本身无误，需由业务科室处理后重新导入，未导入".into(),
            ImportResult::Refused { message } | ImportResult::Failed { message } => message.clone(),
        }
    }

    /// The same workbook (its SHA-256) is already in the register: nothing new, nothing wrong.
    pub fn is_duplicate(&self) -> bool {
        matches!(self, ImportResult::Duplicate { .. })
    }

    pub fn is_success(&self) -> bool {
        !matches!(
            self,
            ImportResult::Invalid { .. }
                | ImportResult::Differs { .. }
                | ImportResult::ForBureau
                | ImportResult::Refused { .. }
                | ImportResult::Failed { .. }
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    pub applicant: Option<String>,
    pub credit_code: Option<String>,
    pub programme: Option<Programme>,
    pub year: Option<i32>,
    /// Rows read from the clause sheets.
    pub rows: usize,
    pub items: usize,
    #[serde(flatten)]
    pub result: ImportResult,
    /// The workbook differed from the record and the officer chose: the record was corrected
    /// (or will be, in a check) or kept, and the case computed on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<RecordUse>,
    /// What the officer should know though the workbook was read (its macros were ignored).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the bureau must settle before this workbook can be imported (a parameter unset on the
    /// case's date): reported to the officer, never to the applicant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bureau: Vec<BureauProblem>,
    /// The calculator's input as it was computed (the record's facts when the officer kept the
    /// record), when `keep_case_file` asked for it.
    #[serde(skip)]
    pub case_file: Option<serde_json::Value>,
}

impl ImportReport {
    /// The result's words, with the notes after them (the import page shows them together).
    pub fn label(&self) -> String {
        let mut label = self.outcome_label();
        for note in &self.notes {
            label.push('；');
            label.push_str(note);
        }
        label
    }

    /// The result's words, with what was done with the record after them when the workbook
    /// differed from it ("…；已以申报表更正登记信息（实缴注册资本）").
    pub fn outcome_label(&self) -> String {
        let mut label = self.result.label();
        if let Some(record) = &self.record
            && self.result.is_success()
        {
            label.push('；');
            label.push_str(&record.label(matches!(self.result, ImportResult::Checked)));
        }
        label
    }

    /// A file that could not even be read (missing, no permission).
    pub fn unreadable(file: &str, message: String) -> Self {
        ImportReport {
            file: file.to_string(),
            sha256: String::new(),
            applicant: None,
            credit_code: None,
            programme: None,
            year: None,
            rows: 0,
            items: 0,
            result: ImportResult::Refused { message },
            record: None,
            notes: Vec::new(),
            bureau: Vec::new(),
            case_file: None,
        }
    }
}

/// What an import did with a workbook that differs from the record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordUse {
    pub choice: RecordChoice,
    pub differences: Vec<RecordDifference>,
}

impl RecordUse {
    /// "已以申报表更正登记信息（实缴注册资本）"; `checked`: a check, which writes nothing.
    fn label(&self, checked: bool) -> String {
        let fields: Vec<&str> = self.differences.iter().map(|d| d.field.label()).collect();
        let fields = fields.join("、");
        match (self.choice, checked) {
            (RecordChoice::Update, false) => format!("已以申报表更正登记信息（{fields}）"),
            (RecordChoice::Update, true) => format!("导入时将以申报表更正登记信息（{fields}）"),
            _ => format!("按登记信息计算（申报表的{fields}与登记不同，未采用）"),
        }
    }
}

/// Imports one workbook's bytes, or checks them (`dry_run`), and says what became of it: never an
/// error, so that a folder's every file gets its line whatever happened to one (a database error
/// included, which leaves that file unimported). A check makes exactly the import's checks: the
/// reader's, the calculator's and the store's own (`ImportedCase::check`), and only the writing is
/// left out. The calculator checks the case on a second thread while the database is written;
/// the write is committed only if the check passes (a 10,000-row import spends about as long in
/// each).
pub fn import_submission(
    store: &mut Store,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
    editor: &Editor,
) -> ImportReport {
    let catalog = desk_policy::Catalog::embedded();
    let mut report = ImportReport {
        sha256: sha256_hex(bytes),
        result: ImportResult::Checked,
        ..ImportReport::unreadable(file, String::new())
    };
    let mut typed = match read_typed(bytes, catalog) {
        Ok(t) => t,
        Err(e) => {
            report.refuse(e);
            return report;
        }
    };
    // The bureau's own values (8.rate) for the case's programme and year, as a stored case is
    // computed with them.
    let (programme, year) = (typed.submission().programme, typed.submission().year);
    let bureau = crate::parameters::bureau_parameters(store, programme, year)
        .and_then(|p| Ok((p, crate::parameters::case_validity(store, programme)?)));
    match bureau {
        Ok((parameters, validity)) => {
            typed.use_parameters(parameters);
            typed.use_validity(validity);
        }
        Err(e) => {
            report.result = not_imported(&e);
            return report;
        }
    }
    let submission = typed.submission();
    report.applicant = Some(submission.applicant.name.clone());
    report.credit_code = Some(submission.applicant.credit_code.to_string());
    report.programme = Some(submission.programme);
    report.year = Some(submission.year);
    report.rows = submission.rows;
    report.items = submission.case.items.len();
    report.notes = submission.notes.clone();
    let sha256 = report.sha256.clone();
    // The record the workbook is for, and each fact it states otherwise.
    let prepared = imported_case(submission, &sha256, options).and_then(|imported| {
        let found = store.record_of(&imported)?;
        Ok((imported, found))
    });
    let found = prepared.as_ref().ok().map(|(_, found)| found);
    let differences = found.map_or(&[][..], |f| &f.differences[..]);
    if !differences.is_empty() && options.record != RecordChoice::Unchosen {
        report.record = Some(RecordUse {
            choice: options.record,
            differences: differences.to_vec(),
        });
    }
    // The facts the case is computed on: the record's, when the officer keeps it.
    let kept = found.filter(|_| report.record.is_some() && options.record == RecordChoice::Keep);
    let case: Cow<'_, Case> = match kept {
        Some(found) => Cow::Owned(on_record(&submission.case, found)),
        None => Cow::Borrowed(&submission.case),
    };
    let unchosen = (!differences.is_empty() && options.record == RecordChoice::Unchosen)
        .then(|| differences.to_vec());
    // Printed only once it is known which facts it is computed on.
    if options.keep_case_file && unchosen.is_none() {
        let mut file = submission.case_file();
        if let Some(found) = kept {
            shown_on_record(&mut file, found);
        }
        report.case_file = Some(file);
    }
    let case = &*case;
    let calculate = || desk_policy::calculate(case, catalog).map(|_| ());
    if options.dry_run || unchosen.is_some() {
        if let Err(problems) = calculate() {
            refused_by_calculator(&mut report, typed, problems);
            return report;
        }
        let checked = prepared
            .and_then(|(imported, _)| Ok(imported.check()?))
            .and_then(|()| Ok(store.case_imported_from(&sha256)?));
        report.result = match (checked, unchosen) {
            (Err(e), _) => not_imported(&e),
            // The import would find it already in the register, and write nothing.
            (Ok(Some(case)), _) => ImportResult::Duplicate {
                case_no: case.case_no,
            },
            (Ok(None), Some(differences)) => ImportResult::Differs { differences },
            (Ok(None), None) => ImportResult::Checked,
        };
        return report;
    }
    let join = |check: std::thread::ScopedJoinHandle<'_, Result<(), InputErrors>>| {
        check.join().unwrap_or_else(|_| Err(calculator_failed()))
    };
    let (written, unasked) = std::thread::scope(|scope| {
        let mut check = Some(scope.spawn(calculate));
        // The store asks for the check's verdict before it commits; a refusal comes back as
        // `Ok(Err(problems))` with nothing written.
        let written = prepared.and_then(|(imported, _)| {
            let confirm = || check.take().map_or(Ok(()), join);
            Ok(store.import_case_if(&imported, editor, confirm)?)
        });
        // A write that failed before it asked still waits for the check: wrong cells come first.
        (written, check.take().map(join))
    });
    let outcome = match (written, unasked) {
        (_, Some(Err(problems))) | (Ok(Err(problems)), _) => {
            refused_by_calculator(&mut report, typed, problems);
            return report;
        }
        (Ok(Ok(outcome)), _) => outcome,
        (Err(e), _) => {
            report.result = not_imported(&e);
            return report;
        }
    };
    report.result = match outcome {
        StoreOutcome::Created { case } => ImportResult::Created {
            case_no: case.case_no,
        },
        StoreOutcome::Replaced {
            case,
            previous_items,
        } => ImportResult::Replaced {
            case_no: case.case_no,
            previous_items,
        },
        StoreOutcome::Duplicate { case } => ImportResult::Duplicate {
            case_no: case.case_no,
        },
    };
    report
}

/// The case computed on the record's facts (按登记信息计算): the registered enterprise's name and
/// the platform's facts in place of the workbook's.
fn on_record(case: &Case, found: &RecordMatch) -> Case {
    let mut case = case.clone();
    let facts = &mut case.platform;
    if let Some(e) = &found.enterprise {
        facts.name = Some(e.name.clone());
    }
    if let Some(p) = &found.platform {
        (facts.category, facts.level) = match p.grade {
            Grade::Category(c) => (Some(c), None),
            Grade::Level(l) => (None, Some(l)),
        };
        facts.recognized_on = Some(p.recognized_on);
        facts.paid_in_capital = p.paid_in_capital;
        facts.fiscal_paid_in_capital = p.fiscal_paid_in_capital;
        facts.relocated_hq = Some(p.relocated_hq);
        facts.system_live_on = p.system_live_on;
    }
    case
}

/// The printed case file as it is computed when the record is kept: its platform as the record
/// has it (`case_file` of a stored case writes the same).
fn shown_on_record(file: &mut serde_json::Value, found: &RecordMatch) {
    match (&found.platform, &found.enterprise) {
        (Some(p), _) => file["platform"] = serde_json::Value::Object(crate::platform_facts(p)),
        (None, Some(e)) => file["platform"]["name"] = serde_json::json!(e.name),
        (None, None) => {}
    }
}

/// The calculator's problems: the applicant's in their cells, the bureau's in `report.bureau`.
fn refused_by_calculator(
    report: &mut ImportReport,
    typed: desk_sheets::TypedSubmission,
    problems: InputErrors,
) {
    report.bureau = problems.bureau_problems();
    if let Err(e) = typed.finish(Err(problems)) {
        report.refuse(e);
    }
}

/// The store refused the submission or could not write it (a full disk, a locked file): this
/// file is not imported, and says why; the others go on.
fn not_imported(e: &crate::ApiError) -> ImportResult {
    if e.is_bad_input() {
        ImportResult::Refused {
            message: format!("未导入：{e}"),
        }
    } else {
        ImportResult::Failed {
            message: format!("写入数据库时出错，未导入（数据库未作改动）：{e}"),
        }
    }
}

impl ImportReport {
    /// A workbook that could not be read, or whose cells need correcting: who applied is kept as
    /// far as it was read, so that the list names the applicant of a refused workbook too.
    fn refuse(&mut self, e: ReadError) {
        self.result = match e {
            ReadError::Cells(errors, seen) => {
                self.applicant = self.applicant.take().or(seen.applicant);
                self.credit_code = self.credit_code.take().or(seen.credit_code);
                self.programme = self.programme.or(seen.programme);
                self.year = self.year.or(seen.year);
                ImportResult::Invalid { errors }
            }
            ReadError::ForBureau(_) => ImportResult::ForBureau,
            other => ImportResult::Refused {
                message: other.to_string(),
            },
        };
    }
}

/// The calculator stopped on this case (a fault, never the applicant's): nothing is imported.
fn calculator_failed() -> InputErrors {
    let mut errors = InputErrors::default();
    errors.push("", "计算程序内部出错，未导入；请将此申报表交技术支持");
    errors
}

/// The store's record of a submission; each item's units are written as JSON once, straight from
/// their typed values.
fn imported_case(
    submission: &Submission,
    sha256: &str,
    options: &ImportOptions,
) -> Result<ImportedCase> {
    let (a, programme, year) = (&submission.applicant, submission.programme, submission.year);
    let grade = match (a.category, a.level) {
        (Some(c), _) => Grade::Category(c),
        (None, Some(l)) => Grade::Level(l),
        (None, None) => return Err(crate::ApiError::Invalid("申报表缺少平台类别或级别".into())),
    };
    let items = submission
        .case
        .items
        .iter()
        .zip(&submission.requested)
        .map(|(item, requested)| {
            Ok(NewItem {
                clause: ClauseId::parse(programme, &item.clause)
                    .map_err(crate::ApiError::Invalid)?,
                declared_units: UnitsJson(item)
                    .to_text()
                    .map_err(|e| crate::ApiError::Invalid(format!("申报内容：{e}")))?,
                declared_amount: *requested,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ImportedCase {
        enterprise: NewEnterprise {
            credit_code: a.credit_code.clone(),
            name: a.name.clone(),
            town: a.town,
            address: a.address.clone(),
            contact_person: a.contact_person.clone(),
            contact_phone: a.contact_phone.clone(),
        },
        platform: NewPlatform {
            enterprise: a.credit_code.clone(),
            programme,
            name: a.platform_name.clone(),
            grade,
            recognized_on: a.recognized_on,
            paid_in_capital: a.paid_in_capital,
            fiscal_paid_in_capital: a.fiscal_paid_in_capital,
            relocated_hq: a.relocated_hq,
            system_live_on: a.system_live_on,
        },
        year,
        received_on: options.received_on,
        officer: options.officer.clone(),
        items,
        source_sha256: sha256.to_string(),
        record: options.record,
    })
}

/// How an import ended, in one word for the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[ts(rename = "ImportOutcome")]
pub enum ImportKind {
    Created,
    Replaced,
    Duplicate,
    Checked,
    Invalid,
    /// The workbook differs from the record: the officer chooses, then imports again.
    Differs,
    /// The workbook is right; the bureau must set something first (`bureau`).
    ForBureau,
    Refused,
}

/// One fact a workbook states otherwise than the record, as the import page lists it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DifferenceView {
    /// Which fact it is.
    pub key: desk_store::RecordField,
    /// The field's name ("实缴注册资本").
    pub field: String,
    /// 登记信息.
    pub record: String,
    /// 申报表.
    pub workbook: String,
}

/// One file's import (or check) as the import page lists it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportView {
    pub file: String,
    pub path: String,
    pub sha256: String,
    pub applicant: Option<String>,
    pub credit_code: Option<String>,
    pub programme: Option<Programme>,
    pub year: Option<i32>,
    pub rows: usize,
    pub items: usize,
    pub outcome: ImportKind,
    pub ok: bool,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub label: String,
    pub errors: Vec<CellError>,
    /// The facts that differ from the record: those awaiting the officer's choice (`differs`),
    /// or those the import corrected or kept as chosen.
    pub differences: Vec<DifferenceView>,
    /// What the bureau must settle first, each with where to do it: never the applicant's to
    /// correct, so never in the marked copy or the 补正通知书.
    pub bureau: Vec<String>,
}

impl ImportView {
    /// The view of `report`, read from `path`; the case it created or found, if any, is looked up.
    pub fn new(store: &Store, path: &str, report: &ImportReport) -> Self {
        let (outcome, case_no, errors) = match &report.result {
            ImportResult::Created { case_no } => (ImportKind::Created, Some(case_no), vec![]),
            ImportResult::Replaced { case_no, .. } => (ImportKind::Replaced, Some(case_no), vec![]),
            ImportResult::Duplicate { case_no } => (ImportKind::Duplicate, Some(case_no), vec![]),
            ImportResult::Checked => (ImportKind::Checked, None, vec![]),
            ImportResult::Differs { .. } => (ImportKind::Differs, None, vec![]),
            ImportResult::Invalid { errors } => (ImportKind::Invalid, None, errors.clone()),
            ImportResult::ForBureau => (ImportKind::ForBureau, None, vec![]),
            ImportResult::Refused { .. } | ImportResult::Failed { .. } => {
                (ImportKind::Refused, None, vec![])
            }
        };
        ImportView {
            file: report.file.clone(),
            path: path.to_string(),
            sha256: report.sha256.clone(),
            applicant: report.applicant.clone(),
            credit_code: report.credit_code.clone(),
            programme: report.programme,
            year: report.year,
            rows: report.rows,
            items: report.items,
            outcome,
            ok: report.result.is_success(),
            case_id: case_no
                .and_then(|no| store.case_by_no(no).ok())
                .map(|c| c.id),
            case_no: case_no.cloned(),
            label: report.label(),
            errors,
            differences: match (&report.result, &report.record) {
                (ImportResult::Differs { differences }, _) => differences.as_slice(),
                (_, Some(record)) => record.differences.as_slice(),
                _ => &[],
            }
            .iter()
            .map(|d| DifferenceView {
                key: d.field,
                field: d.field.label().to_string(),
                record: d.record.to_string(),
                workbook: d.workbook.to_string(),
            })
            .collect(),
            bureau: report
                .bureau
                .iter()
                .map(|p| format!("{p}。请在“设置 › 政策参数”中设定后重新检查"))
                .collect(),
        }
    }
}

/// A copy of a submission with each wrong cell highlighted and its message as a comment, plus a
/// 错误清单 sheet, to send back for correction (补正). Refused when the workbook has no cell errors.
pub fn marked_workbook(bytes: &[u8]) -> Result<Vec<u8>> {
    let catalog = desk_policy::Catalog::embedded();
    match read_submission(bytes, catalog) {
        Err(ReadError::Cells(errors, _)) => {
            desk_sheets::marked_copy(bytes, &errors, catalog).map_err(crate::ApiError::Invalid)
        }
        Err(ReadError::ForBureau(problems)) => Err(crate::ApiError::Invalid(format!(
            "这份申报表没有需要企业修改的单元格，无需标注；需由业务科室处理：{}",
            bureau_lines(&problems)
        ))),
        Err(other) => Err(crate::ApiError::Invalid(format!(
            "这个文件无法标注：{other}"
        ))),
        Ok(_) => Err(crate::ApiError::Invalid(
            "这份申报表没有需要修改的单元格，无需标注".into(),
        )),
    }
}

/// The bureau's problems in one line.
pub fn bureau_lines(problems: &[BureauProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("；")
}
