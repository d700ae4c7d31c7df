//! Every format of desk-sheets' one list (`FORMATS`) reads to the same submission: the good
//! fixtures saved by LibreOffice as .ods (`fixtures/submissions/folder/`) give the case file, the
//! amounts asked and the applicant of their .xlsx, exactly.

mod common;

use desk_policy::Catalog;
use desk_sheets::read_submission;

#[test]
fn an_ods_reads_to_the_case_file_of_its_xlsx() {
    let catalog = Catalog::embedded();
    let root = common::fixtures();
    for name in ["ptsp-2020-good", "iip-2023-good"] {
        let read = |path: std::path::PathBuf| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            read_submission(&bytes, catalog).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let xlsx = read(root.join(format!("{name}.xlsx")));
        let ods = read(root.join("folder").join(format!("{name}.ods")));
        assert_eq!(ods.case_file(), xlsx.case_file(), "{name}");
        assert_eq!(ods.requested, xlsx.requested, "{name}");
        assert_eq!(ods.applicant, xlsx.applicant, "{name}");
        assert_eq!(ods.rows, xlsx.rows, "{name}");
        assert!(!xlsx.case.items.is_empty(), "{name}: something to compare");
    }
}

#[test]
fn the_formats_are_one_list() {
    assert_eq!(desk_sheets::FORMATS, [".xlsx", ".xlsm", ".xls", ".ods"]);
    for f in desk_sheets::FORMATS {
        assert!(desk_sheets::formats_text().contains(f));
        assert!(desk_sheets::is_workbook_name(&format!(
            "申报表{}",
            f.to_uppercase()
        )));
    }
}
