//! The interface's glossary (ui/src/glossary.ts) says exactly what desk-policy's says, and the faces
//! no longer use the words it replaced.

use std::path::Path;

use desk_policy::glossary;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn repo(path: &str) -> String {
    let file = root().join(path);
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
    // (without 资金 … 实缴) one of four names of 财政资金实缴出资. Every face: the UI, every crate's
    // sources (the template, the PDFs, the CLI, desk-api), the shell and the catalog.
    let mut files = Vec::new();
    for dir in [
        "ui/src",
        "src-tauri/crates",
        "src-tauri/src",
        "assets/policies",
    ] {
        walk(&root().join(dir), &mut files);
    }
    assert!(files.len() > 50, "only {} files", files.len());
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for old in [
            "核定上限",
            "核定额",
            "申报额",
            "财政出资 ",
            "财政出资（",
            "财政出资实缴资本",
            "财政出资部分",
            "财政出资占",
        ] {
            assert!(!text.contains(old), "{} still says {old}", file.display());
        }
    }
}

/// The sources under `dir` (.rs, .ts, .vue, .toml), leaving out this test and generated folders.
fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "node_modules" | "target" | "dist" | "bindings"
            ) {
                walk(&path, out);
            }
        } else if ["rs", "ts", "vue", "toml"]
            .iter()
            .any(|e| name.ends_with(&format!(".{e}")))
            && name != "glossary.rs"
        {
            out.push(path);
        }
    }
}
