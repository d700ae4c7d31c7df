//! #13, the app's face: the marked copy the desktop saves for 补正 (`import::marked_workbook`) is
//! the applicant's own workbook with marks, whatever they did to it; a workbook with nothing to
//! mark is refused in Chinese.

use std::io::Cursor;
use std::path::Path;

use calamine::{Reader, open_workbook_auto_from_rs};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_app_marks_the_applicants_own_workbook() {
    let bytes = fixture("marked/everything.xlsx");
    let copy = desk_api::import::marked_workbook(&bytes).expect("marked");
    let sheets = |b: Vec<u8>| {
        open_workbook_auto_from_rs(Cursor::new(b))
            .expect("reads")
            .sheet_names()
    };
    let mut expected = sheets(bytes);
    expected.push("错误清单".into());
    // The renamed sheet is there with its own name; nothing dropped, one sheet added.
    assert!(expected.contains(&"6.5 贷款贴息（2020年）".to_string()));
    assert_eq!(sheets(copy), expected);

    let good = fixture("ptsp-2020-good.xlsx");
    let refused = desk_api::import::marked_workbook(&good).expect_err("nothing to mark");
    assert!(
        refused.to_string().contains("没有需要修改的单元格"),
        "{refused}"
    );
}
