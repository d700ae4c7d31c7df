//! The interface's glossary (ui/src/glossary.ts) says exactly what desk-policy's says, and the faces
//! no longer use the words it replaced.

use std::path::Path;

use desk_policy::glossary;

fn repo(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn the_interface_glossary_is_the_same() {
    let ts = repo("ui/src/glossary.ts");
    let entries: Vec<(String, String)> = ts
        .lines()
        .filter_map(|l| {
            let (key, rest) = l.trim().split_once(": '")?;
            Some((key.to_string(), rest.trim_end_matches("',").to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> = glossary::ALL
        .iter()
        .map(|(k, w)| (k.to_string(), w.to_string()))
        .collect();
    assert_eq!(entries, expected);
}

#[test]
fn no_face_uses_a_replaced_word() {
    // 核定上限 / 核定额 / 申报额 were the UI's words for 最高可补助额 / 核定金额 / 申请金额; 财政出资
    // (without 资金 … 实缴) one of four names of 财政资金实缴出资.
    for file in [
        "ui/src/pages/CasesPage.vue",
        "ui/src/pages/CaseDetailPage.vue",
        "ui/src/pages/DashboardPage.vue",
        "ui/src/components/ItemCard.vue",
        "ui/src/components/ApprovalEditor.vue",
        "ui/src/components/PlatformDialog.vue",
        "ui/src/approval.ts",
        "src-tauri/crates/desk-api/src/registry.rs",
        "src-tauri/crates/desk-policy/src/result.rs",
    ] {
        let text = repo(file);
        for old in [
            "核定上限",
            "核定额",
            "申报额",
            "财政出资 ",
            "财政出资（",
            "财政出资实缴资本",
        ] {
            assert!(!text.contains(old), "{file} still says {old}");
        }
    }
}
