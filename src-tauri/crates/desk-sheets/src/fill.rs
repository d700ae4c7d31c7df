//! A filled-in submission: a template with a case's applicant, platform and units written in. The
//! round-trip test, the fixture workbooks and (later) a pre-filled workbook for an officer use it.

use chrono::{Datelike, NaiveDate};
use desk_policy::formulas::FieldKind;
use desk_policy::{Catalog, Programme};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use crate::labels;
use crate::read::{Applicant, SubmittedItem};
use crate::template::{BASIC_SHEET, DECLARE_SHEET, FIRST_DATA_ROW, TemplateSpec};

fn date_of(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Writes one case-file value into a cell as a person would have typed it.
pub fn write_field(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    kind: FieldKind,
    field: &str,
    value: &Value,
) -> Result<(), XlsxError> {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match kind {
        FieldKind::Money | FieldKind::Number | FieldKind::Count => {
            let format = if kind == FieldKind::Count {
                "0"
            } else {
                "#,##0.00"
            };
            match text.parse::<f64>() {
                Ok(n) => ws
                    .write_number_with_format(row, col, n, &Format::new().set_num_format(format))
                    .map(|_| ()),
                Err(_) => ws.write_string(row, col, &text).map(|_| ()),
            }
        }
        FieldKind::Date => match date_of(&text).and_then(|d| {
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
        }) {
            Some(d) => ws
                .write_datetime_with_format(
                    row,
                    col,
                    &d,
                    &Format::new().set_num_format("yyyy-mm-dd"),
                )
                .map(|_| ()),
            None => ws.write_string(row, col, &text).map(|_| ()),
        },
        FieldKind::Bool => ws
            .write_string(
                row,
                col,
                if value.as_bool() == Some(true) {
                    "是"
                } else {
                    "否"
                },
            )
            .map(|_| ()),
        FieldKind::Choice(_) => {
            let word = labels::choices(field)
                .iter()
                .find(|(v, _)| *v == text)
                .map(|(_, w)| *w)
                .unwrap_or(&text);
            ws.write_string(row, col, word).map(|_| ())
        }
        _ => ws.write_string(row, col, &text).map(|_| ()),
    }
}

/// A template of `programme` filled with the applicant, the year and the items.
pub fn filled_workbook(
    catalog: &Catalog,
    programme: Programme,
    applicant: &Applicant,
    year: i32,
    items: &[SubmittedItem],
) -> Result<Workbook, String> {
    let clauses: Vec<String> = items.iter().map(|i| i.clause.clone()).collect();
    let spec = TemplateSpec::new(catalog, programme, Some(&clauses))?;
    let mut wb = spec.workbook(catalog).map_err(|e| e.to_string())?;
    let fail = |e: XlsxError| e.to_string();
    {
        let ws = wb.worksheet_from_name(BASIC_SHEET).map_err(fail)?;
        let category = applicant.category.map(|c| c.to_string());
        let values: Vec<(&str, Option<String>)> = vec![
            ("credit_code", Some(applicant.credit_code.to_string())),
            ("name", Some(applicant.name.clone())),
            ("town", Some(applicant.town.name().to_string())),
            ("address", Some(applicant.address.clone())),
            ("contact_person", Some(applicant.contact_person.clone())),
            ("contact_phone", Some(applicant.contact_phone.clone())),
            ("platform_name", Some(applicant.platform_name.clone())),
            ("category", category),
            ("level", applicant.level.map(|l| l.label().to_string())),
            ("recognized_on", Some(applicant.recognized_on.to_string())),
            (
                "paid_in_capital",
                applicant.paid_in_capital.map(|m| m.to_string()),
            ),
            (
                "fiscal_paid_in_capital",
                applicant.fiscal_paid_in_capital.map(|m| m.to_string()),
            ),
            (
                "relocated_hq",
                Some(if applicant.relocated_hq { "是" } else { "否" }.to_string()),
            ),
            (
                "system_live_on",
                applicant.system_live_on.map(|d| d.to_string()),
            ),
            ("year", Some(year.to_string())),
        ];
        for (i, field) in spec.basic.iter().enumerate() {
            let row = 2 + i as u32;
            let Some(Some(v)) = values
                .iter()
                .find(|(k, _)| *k == field.key)
                .map(|(_, v)| v.clone())
            else {
                continue;
            };
            if v.is_empty() {
                continue;
            }
            let kind = match field.key {
                "recognized_on" | "system_live_on" => FieldKind::Date,
                "paid_in_capital" | "fiscal_paid_in_capital" => FieldKind::Money,
                "year" => FieldKind::Count,
                _ => FieldKind::Text,
            };
            write_field(ws, row, 1, kind, field.key, &Value::String(v)).map_err(fail)?;
        }
    }
    {
        let ws = wb.worksheet_from_name(DECLARE_SHEET).map_err(fail)?;
        for (i, id) in spec.clauses.iter().enumerate() {
            let row = 2 + i as u32;
            if let Some(item) = items.iter().find(|it| &it.clause == id) {
                ws.write_string(row, 3, "是").map_err(fail)?;
                if let Some(m) = item.requested {
                    write_field(
                        ws,
                        row,
                        4,
                        FieldKind::Money,
                        "requested",
                        &Value::String(m.to_string()),
                    )
                    .map_err(fail)?;
                }
            }
        }
    }
    for sheet in &spec.sheets {
        let Some(item) = items.iter().find(|i| i.clause == sheet.clause) else {
            continue;
        };
        let rows: Vec<&Value> = match sheet.list {
            Some(list) => item.units[list]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            None => vec![&item.units],
        };
        let ws = wb.worksheet_from_name(&sheet.name).map_err(fail)?;
        for (r, unit) in rows.iter().enumerate() {
            for (c, col) in sheet.columns.iter().enumerate() {
                if let Some(v) = unit.get(col.field).filter(|v| !v.is_null()) {
                    write_field(
                        ws,
                        FIRST_DATA_ROW + r as u32,
                        c as u16,
                        col.kind,
                        col.field,
                        v,
                    )
                    .map_err(fail)?;
                }
            }
        }
    }
    Ok(wb)
}
