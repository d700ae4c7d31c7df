//! #13: the marked copy for 补正 is the applicant's own workbook with marks added. For every refused
//! fixture: mark it; the copy keeps every sheet's every cell and reads back with exactly the same
//! errors; then the test fixes only the flagged cells (the clean value written into them, in the
//! copy's own sheet XML) and the copy imports.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use common::*;
use desk_policy::Catalog;
use desk_sheets::hostile::{Content, part_text, rebuild};
use desk_sheets::marked::ERRORS_SHEET;
use desk_sheets::{CellError, ReadError, marked_copy, read_submission};

fn read(bytes: &[u8]) -> Result<desk_sheets::Submission, ReadError> {
    read_submission(bytes, Catalog::embedded())
}

fn lines(errors: &[CellError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// Every sheet's cells, by sheet name.
fn values(bytes: &[u8]) -> HashMap<String, Vec<(usize, usize, Data)>> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("reads");
    wb.sheet_names()
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap_or_default();
            let cells = range
                .used_cells()
                .map(|(r, c, v)| {
                    let (r0, c0) = range.start().unwrap_or((0, 0));
                    // A number is a number: an .xls keeps whole ones as integers, an .xlsx as floats.
                    let v = match v {
                        Data::Int(i) => Data::Float(*i as f64),
                        other => other.clone(),
                    };
                    (r + r0 as usize, c + c0 as usize, v)
                })
                .collect();
            (n, cells)
        })
        .collect()
}

fn parts(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("part");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").into_owned(), data)
        })
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// The part of a sheet, by its name (workbook.xml and its relationships, read plainly).
fn sheet_part(copy: &[u8], sheet: &str) -> String {
    let wb = part_text(copy, "xl/workbook.xml");
    let names: Vec<String> = values(copy).into_keys().collect();
    let sheet = &desk_sheets::marked::sheet_in(&names, sheet).expect("the sheet");
    let rels = part_text(copy, "xl/_rels/workbook.xml.rels");
    let tag = wb
        .split("<sheet ")
        .skip(1)
        .find(|t| {
            attr(&format!(" {t}"), "name").map(|n| n.replace("&amp;", "&"))
                == Some(sheet.to_string())
        })
        .unwrap_or_else(|| panic!("sheet {sheet}"));
    let tag = format!(" {tag}");
    let id = attr(&tag, "r:id").expect("r:id");
    let rel = rels
        .split("<Relationship ")
        .find(|r| attr(&format!(" {r}"), "Id") == Some(id))
        .expect("relationship");
    let rel = format!(" {rel}");
    let target = attr(&rel, "Target").expect("target");
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    }
}

/// The sheet XML with one cell's content replaced by `value` (its style kept).
fn set_cell(xml: &str, cell: &str, value: &Data) -> String {
    let open = format!("<c r=\"{cell}\"");
    let start = xml
        .find(&format!("{open} "))
        .or_else(|| xml.find(&format!("{open}>")))
        .or_else(|| xml.find(&format!("{open}/")))
        .unwrap_or_else(|| panic!("the marked copy has no cell {cell}"));
    let tag_end = start + xml[start..].find('>').expect("tag") + 1;
    let end = if xml[..tag_end].ends_with("/>") {
        tag_end
    } else {
        tag_end + xml[tag_end..].find("</c>").expect("end") + 4
    };
    let s = attr(&xml[start..tag_end], "s")
        .map(|s| format!(" s=\"{s}\""))
        .unwrap_or_default();
    let new = match value {
        Data::Float(n) => format!("<c r=\"{cell}\"{s}><v>{n}</v></c>"),
        Data::Int(n) => format!("<c r=\"{cell}\"{s}><v>{n}</v></c>"),
        Data::DateTime(d) => format!("<c r=\"{cell}\"{s}><v>{}</v></c>", d.as_f64()),
        Data::Empty => format!("<c r=\"{cell}\"{s}/>"),
        other => format!(
            "<c r=\"{cell}\"{s} t=\"inlineStr\"><is><t>{}</t></is></c>",
            other.to_string().replace('&', "&amp;").replace('<', "&lt;")
        ),
    };
    format!("{}{new}{}", &xml[..start], &xml[end..])
}

/// The copy with each flagged cell holding the clean workbook's value there.
fn fix(copy: &[u8], errors: &[CellError], clean: &[u8]) -> Vec<u8> {
    let clean = values(clean);
    let names: Vec<String> = clean.keys().cloned().collect();
    fix_with(copy, errors, |e| {
        let (r, c) = position(&e.cell);
        let sheet = desk_sheets::marked::sheet_in(&names, &e.sheet).expect("clean sheet");
        clean[&sheet]
            .iter()
            .find(|(cr, cc, _)| (*cr, *cc) == (r, c))
            .map(|v| v.2.clone())
            .unwrap_or(Data::Empty)
    })
}

/// The copy with each flagged cell holding `good(error)`.
fn fix_with(copy: &[u8], errors: &[CellError], good: impl Fn(&CellError) -> Data) -> Vec<u8> {
    let mut by_part: HashMap<String, String> = HashMap::new();
    for e in errors.iter().filter(|e| !e.cell.is_empty()) {
        let part = sheet_part(copy, &e.sheet);
        let value = good(e);
        let xml = by_part
            .remove(&part)
            .unwrap_or_else(|| part_text(copy, &part));
        by_part.insert(part, set_cell(&xml, &e.cell, &value));
    }
    let changes: Vec<(&str, Content)> = by_part
        .iter()
        .map(|(p, x)| (p.as_str(), Content::Bytes(x.clone().into_bytes())))
        .collect();
    rebuild(copy, &changes)
}

fn position(cell: &str) -> (usize, usize) {
    let letters = cell.bytes().take_while(u8::is_ascii_uppercase).count();
    let col = cell[..letters]
        .bytes()
        .fold(0usize, |a, b| a * 26 + usize::from(b - b'A' + 1));
    (cell[letters..].parse::<usize>().expect("row") - 1, col - 1)
}

/// Marks `file`, checks the copy, fixes it from `clean` (when the flagged cells alone can be fixed).
fn round_trip(file: &str, clean: Option<&str>) -> Vec<String> {
    let bytes = std::fs::read(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    round_trip_bytes(file, &bytes, clean).0
}

/// [`round_trip`] of a workbook's bytes; the errors and the marked copy.
fn round_trip_bytes(file: &str, bytes: &[u8], clean: Option<&str>) -> (Vec<String>, Vec<u8>) {
    let errors = match read(bytes) {
        Err(ReadError::Cells(errors, _)) => errors,
        other => panic!("{file}: cell errors expected, got {:?}", other.err()),
    };
    let copy =
        marked_copy(bytes, &errors, Catalog::embedded()).unwrap_or_else(|e| panic!("{file}: {e}"));
    // Every sheet of the applicant's, every cell as it was (the flagged ones too).
    let before = values(bytes);
    let after = values(&copy);
    for (sheet, cells) in &before {
        assert_eq!(after.get(sheet), Some(cells), "{file}: sheet {sheet}");
    }
    assert_eq!(after.len(), before.len() + 1, "{file}: one sheet added");
    assert!(after.contains_key(ERRORS_SHEET), "{file}");
    // The same errors, no new ones.
    match read(&copy) {
        Err(ReadError::Cells(again, _)) => assert_eq!(lines(&again), lines(&errors), "{file}"),
        other => panic!("{file}: the copy reads as {:?}", other.err()),
    }
    if bytes.starts_with(b"PK") {
        in_place(file, bytes, &copy, &errors);
    }
    if let Some(clean) = clean {
        let clean = std::fs::read(fixtures().join(clean)).expect("clean");
        let fixed = fix(&copy, &errors, &clean);
        if let Err(e) = read(&fixed) {
            panic!("{file}: fixed only the flagged cells, still refused: {e}");
        }
    }
    (lines(&errors), copy)
}

/// An .xlsx copy is the applicant's package: the parts that carry no mark are byte for byte the
/// same, and the marks are there (a note with each message, the applicant's own notes kept).
fn in_place(file: &str, bytes: &[u8], copy: &[u8], errors: &[CellError]) {
    let old = parts(bytes);
    let new = parts(copy);
    let flagged: BTreeSet<String> = errors
        .iter()
        .filter(|e| !e.cell.is_empty())
        .map(|e| sheet_part(copy, &e.sheet))
        .collect();
    for (name, data) in &old {
        let marks = name == "[Content_Types].xml"
            || name == "xl/workbook.xml"
            || name == "xl/styles.xml"
            || name.ends_with(".rels")
            || name.contains("comments")
            || name.ends_with(".vml")
            || flagged.contains(name);
        if name.ends_with("vbaProject.bin") {
            assert!(
                !new.contains_key(name),
                "{file}: an .xlsx copy has no macros"
            );
            continue;
        }
        let got = new
            .get(name)
            .unwrap_or_else(|| panic!("{file}: {name} dropped"));
        if !marks {
            // The sheet that was the selected tab is not any more (the list is): nothing else.
            let unselected = String::from_utf8_lossy(data)
                .replace("tabSelected=\"1\"", "tabSelected=\"0\"")
                .replace("tabSelected=\"true\"", "tabSelected=\"0\"");
            let same = got == data || String::from_utf8_lossy(got) == unselected;
            assert!(same, "{file}: {name} changed");
        }
    }
    // The list opens first, the one selected tab.
    let selected: Vec<&String> = new
        .iter()
        .filter(|(n, d)| {
            n.starts_with("xl/worksheets/")
                && ["tabSelected=\"1\"", "tabSelected=\"true\""]
                    .iter()
                    .any(|t| String::from_utf8_lossy(d).contains(t))
        })
        .map(|(n, _)| n)
        .collect();
    assert_eq!(selected, [&sheet_part(copy, ERRORS_SHEET)], "{file}");
    let notes: String = new
        .iter()
        .filter(|(n, _)| n.contains("comments"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .collect();
    for e in errors.iter().filter(|e| !e.cell.is_empty()) {
        let message = e
            .message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let first = message.lines().next().unwrap_or_default();
        assert!(notes.contains(first), "{file}: no note for {e}");
    }
    // The applicant's own notes are still there.
    for (name, data) in &old {
        if name.contains("comments") {
            let text = String::from_utf8_lossy(data);
            for piece in text.split("<t").skip(1) {
                let t = &piece[piece.find('>').expect("t") + 1..];
                let t = &t[..t.find('<').unwrap_or(t.len())];
                assert!(notes.contains(t), "{file}: the note “{t}” lost");
            }
        }
    }
}

fn good_of(file: &str) -> &'static str {
    let bytes = std::fs::read(fixtures().join(file)).expect("read");
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("reads");
    let info = wb.worksheet_range("_模板信息").expect("info");
    // The good workbook of the same template version: its rows are where the fixture's are.
    let old = info.get_value((1, 1)).map(|d| d.to_string()).as_deref() == Some("2026.1");
    match (
        info.get_value((0, 1)).map(|d| d.to_string()).as_deref(),
        old,
    ) {
        (Some("zs-iip-2021"), false) => "iip-2023-good.xlsx",
        (Some("zs-iip-2021"), true) => "template-2026.1/iip-2023-good.xlsx",
        (_, false) => "ptsp-2020-good.xlsx",
        (_, true) => "template-2026.1/ptsp-2020-good.xlsx",
    }
}

/// Refused fixtures whose good workbook has no row where theirs is flagged (bad-yes-no declares
/// 6.13, so its 基本信息 asks 是否由市外迁入总部): fixed with the value an applicant would type.
const FIXED_BY_VALUE: &[(&str, &str)] = &[("broken/bad-yes-no.xlsx", "否")];

/// Refused fixtures whose flagged cells alone cannot make them right (a sheet missing, a row
/// that must go, nothing declared): the copy is checked, not fixed.
const NOT_BY_CELLS: &[&str] = &[
    "broken/missing-sheet.xlsx",
    "broken/duplicate-row.xlsx",
    "broken/duplicate-served-enterprise.xlsx",
    "broken/nothing-declared.xlsx",
    "broken/empty-workbook.xlsx",
    "broken/huge-sheet.xlsx",
];

#[test]
fn every_refused_broken_and_hostile_fixture_round_trips() {
    let mut seen = 0;
    // `marked/broken-libreoffice/`: broken/'s workbooks re-saved by LibreOffice as .xlsx and .xls.
    for folder in ["broken", "hostile", "marked/broken-libreoffice"] {
        let mut names: Vec<_> = std::fs::read_dir(fixtures().join(folder))
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let file = format!("{folder}/{name}");
            let Ok(bytes) = std::fs::read(fixtures().join(&file)) else {
                continue;
            };
            if !matches!(read(&bytes), Err(ReadError::Cells(_, _))) {
                continue;
            }
            let as_typed = format!("broken/{name}")
                .replace(".xls", ".xlsx")
                .replace(".xlsxx", ".xlsx");
            let clean = (!NOT_BY_CELLS.contains(&file.as_str())
                && !NOT_BY_CELLS.contains(&as_typed.as_str()))
            .then(|| good_of(&file));
            if let Some((_, value)) = FIXED_BY_VALUE.iter().find(|(f, _)| *f == file) {
                let (_, copy) = round_trip_bytes(&file, &bytes, None);
                let errors = match read(&bytes) {
                    Err(ReadError::Cells(errors, _)) => errors,
                    other => panic!("{file}: {:?}", other.err()),
                };
                let fixed = fix_with(&copy, &errors, |_| Data::String((*value).to_string()));
                if let Err(e) = read(&fixed) {
                    panic!("{file}: fixed only the flagged cells, still refused: {e}");
                }
            } else {
                round_trip(&file, clean);
            }
            seen += 1;
        }
    }
    assert!(seen >= 70, "{seen} refused fixtures");
}

#[test]
fn what_applicants_do_to_a_workbook_survives_the_marks() {
    let names = [
        "rows-above-header",
        "renamed-sheet",
        "extra-columns-formulas",
        "merged-cells",
        "own-notes",
        "everything",
    ];
    for name in names {
        let clean = format!("marked/clean/{name}.xlsx");
        assert!(
            read(&std::fs::read(fixtures().join(&clean)).expect("clean")).is_ok(),
            "{clean}"
        );
        let typed = round_trip(&format!("marked/{name}.xlsx"), Some(&clean));
        for resaved in [
            format!("marked/libreoffice/{name}.xlsx"),
            format!("marked/libreoffice/{name}.xls"),
        ] {
            assert_eq!(round_trip(&resaved, Some(&clean)), typed, "{resaved}");
        }
    }
    let rows = round_trip("marked/rows-above-header.xlsx", None);
    assert_eq!(
        rows,
        ["6.2 租赁经营场地补助!A6: 租赁面积（m²）：必须为数字，收到“约200”"]
    );
}

#[test]
fn the_refused_as_meant_fixtures_round_trip_too() {
    let mut seen = 0;
    for dir in ["as-meant", "as-meant/libreoffice"] {
        let mut names: Vec<_> = std::fs::read_dir(fixtures().join(dir))
            .expect("folder")
            .filter_map(|e| {
                let n = e.expect("entry").file_name().to_string_lossy().into_owned();
                (n.ends_with(".xlsx") || n.ends_with(".xls")).then_some(n)
            })
            .collect();
        names.sort();
        for name in names {
            let file = format!("{dir}/{name}");
            let bytes = std::fs::read(fixtures().join(&file)).expect("read");
            if matches!(read(&bytes), Err(ReadError::Cells(_, _))) {
                let (errors, copy) = round_trip_bytes(&file, &bytes, None);
                // What the applicant meant, typed into the one flagged cell.
                let meant = match name.split('.').next() {
                    Some("month-ambiguous") => Data::String("2020-10".into()),
                    Some("finer-than-fen") => Data::Float(1200.5),
                    Some("date-as-number") => Data::String("2020-03-02".into()),
                    other => {
                        panic!("{file}: a refused as-meant fixture without its fix: {other:?}")
                    }
                };
                assert_eq!(errors.len(), 1, "{file}: {errors:?}");
                let errors = match read(&copy) {
                    Err(ReadError::Cells(errors, _)) => errors,
                    other => panic!("{file}: {:?}", other.err()),
                };
                let fixed = fix_with(&copy, &errors, |_| meant.clone());
                if let Err(e) = read(&fixed) {
                    panic!("{file}: fixed, still refused: {e}");
                }
                seen += 1;
            }
        }
    }
    assert_eq!(
        seen, 9,
        "three refused fixtures, as typed and re-saved twice"
    );
}

/// An .xlsm with a wrong cell: its copy (named .xlsx, as every marked copy) is a plain workbook
/// Excel opens, without the VBA project, and says so; everything else is as for an .xlsx.
#[test]
fn a_macro_workbook_is_marked_as_a_plain_xlsx() {
    let base = std::fs::read(fixtures().join("hostile/macros.xlsm")).expect("read");
    let types = part_text(&base, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    );
    let types = types.replace(
        "</Types>",
        r#"<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>"#,
    );
    let rels = part_text(&base, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        r#"<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#,
    );
    let leases = sheet_part(&base, "6.2 租赁经营场地补助");
    let sheet = set_cell(
        &part_text(&base, &leases),
        "A4",
        &Data::String("约200".into()),
    );
    let bytes = rebuild(
        &base,
        &[
            ("[Content_Types].xml", Content::Bytes(types.into_bytes())),
            (
                "xl/_rels/workbook.xml.rels",
                Content::Bytes(rels.into_bytes()),
            ),
            (leases.as_str(), Content::Bytes(sheet.into_bytes())),
        ],
    );
    let (errors, copy) = round_trip_bytes("an .xlsm", &bytes, Some("ptsp-2020-good.xlsx"));
    assert_eq!(
        errors,
        ["6.2 租赁经营场地补助!A4: 租赁面积（m²）：必须为数字，收到“约200”"]
    );
    let types = part_text(&copy, "[Content_Types].xml");
    assert!(!types.contains("macroEnabled"), "{types}");
    assert!(!part_text(&copy, "xl/_rels/workbook.xml.rels").contains("vbaProject"));
    let mut wb = open_workbook_auto_from_rs(Cursor::new(copy)).expect("reads");
    let list = wb.worksheet_range(ERRORS_SHEET).expect("list");
    let title = list
        .get_value((0, 0))
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        title.contains("原文件含宏（VBA），本副本为 .xlsx 格式，不含宏"),
        "{title}"
    );
}
