//! Writes `fixtures/submissions/bureau/`: zs-iip-2021 workbooks that declare clause 8, whose rate
//! the bureau sets itself (issue #13): one right as the applicant can make it, one with a wrong
//! cell too, one with a
//! problem only the calculator finds. `cargo test -p desk-sheets --test generate_bureau -- --ignored`, then
//! `fixtures/submissions/resave.sh bureau`.

mod common;

use common::*;
use desk_policy::Catalog;
use desk_sheets::SubmittedItem;
use desk_sheets::fill::filled_workbook;
use serde_json::json;

/// The clause 8 item: a park's digital infrastructure, 5,000,000 yuan invested.
fn clause_8() -> SubmittedItem {
    SubmittedItem {
        clause: "8".into(),
        units: json!({"investment": "5000000"}),
        requested: Some("500000".parse().expect("money")),
    }
}

fn workbook(items: &[SubmittedItem]) -> rust_xlsxwriter::Workbook {
    let applicant = iip_applicant();
    filled_workbook(
        Catalog::embedded(),
        programme_of(&applicant),
        &applicant,
        2023,
        items,
    )
    .expect("workbook")
}

#[test]
#[ignore = "rewrites fixtures/submissions/bureau"]
fn generate() {
    let folder = fixtures().join("bureau");
    std::fs::create_dir_all(&folder).expect("folder");
    let mut items = iip_items();
    items.push(clause_8());
    let mut good = workbook(&items);
    good.save(folder.join("iip-2023-clause8.xlsx"))
        .expect("save");

    // The same, with one contract amount the applicant must correct.
    let mut wrong = workbook(&items);
    let sheet = wrong
        .worksheets_mut()
        .iter_mut()
        .find(|ws| ws.name().starts_with("4.4"))
        .expect("4.4 sheet");
    sheet.write_string(3, 1, "约18万").expect("write");
    wrong
        .save(folder.join("iip-2023-clause8-wrong-cell.xlsx"))
        .expect("save");

    // Three 4.1 projects in one year, where the article allows two: a problem only the
    // calculator finds, beside the bureau's.
    let mut three = items.clone();
    let projects = three[1].units["projects"]
        .as_array_mut()
        .expect("4.1 projects");
    for (code, day) in [
        ("91442000MAG612DD21", "2023-08-15"),
        ("91442000MA4W4K8L06", "2023-10-20"),
    ] {
        projects.push(
            json!({"enterprise_credit_code": code, "contract_amount": "1000000",
            "accepted_on": day, "investment": "1200000", "other_funding": "0"}),
        );
    }
    workbook(&three)
        .save(folder.join("iip-2023-clause8-three-projects.xlsx"))
        .expect("save");
}
