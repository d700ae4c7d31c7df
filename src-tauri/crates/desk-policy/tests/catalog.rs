//! The shipped catalog against the bureau's documents, and the loader against broken catalogs.

use std::path::Path;

use desk_policy::catalog::Catalog;
use desk_policy::{Case, calculate};

/// A policy document as the repository keeps it (`docs/policy/`, copied from the bureau's documents;
/// `.ci/policy-docs` checks the copy against the bureau's originals when CI has them).
fn policy_doc(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../docs/policy")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The clause ids of the money tables of CLAUSES.md, per programme section.
fn clauses_md_ids() -> Vec<(String, String)> {
    let text = policy_doc("CLAUSES.md");
    let mut programme = String::new();
    let mut ids = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            programme = heading
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        }
        let is_money_table = programme == "zs-ptsp-2018" || programme == "zs-iip-2021";
        if let Some(row) = line.strip_prefix("| ")
            && is_money_table
        {
            let first = row.split('|').next().unwrap_or_default().trim();
            let token = first.split_whitespace().next().unwrap_or_default();
            if token == "clause" || token.starts_with("---") {
                continue;
            }
            for id in token.split(',') {
                ids.push((programme.clone(), id.trim().to_string()));
            }
            // "6.17, 6.18 一事一议": the second id follows after a space.
            if first.starts_with("6.17,") {
                ids.push((programme.clone(), "6.18".into()));
            }
        }
    }
    ids.retain(|(_, id)| !id.is_empty());
    ids.dedup();
    ids
}

#[test]
fn every_money_clause_of_clauses_md_is_in_the_catalog() {
    let catalog = Catalog::embedded();
    let ids = clauses_md_ids();
    assert!(
        ids.len() >= 39,
        "read {} clause ids from CLAUSES.md: {ids:?}",
        ids.len()
    );
    for (programme, id) in &ids {
        let pc = catalog
            .programmes
            .iter()
            .find(|p| p.programme.id() == programme)
            .unwrap_or_else(|| panic!("{programme} missing"));
        assert!(
            pc.clause(id).is_some(),
            "{programme} {id} is in CLAUSES.md but not in the catalog"
        );
    }
    let total: usize = catalog.programmes.iter().map(|p| p.clauses.len()).sum();
    assert_eq!(
        total,
        ids.len(),
        "the catalog has clauses CLAUSES.md does not list"
    );
}

#[test]
fn every_clause_quotes_its_article_from_the_seed() {
    let seeds = [
        ("zs-ptsp-2018", policy_doc("seeds/000_d05f5ef89c606b5e.txt")),
        ("zs-iip-2021", policy_doc("seeds/001_805d01c1ae2c96bd.txt")),
    ];
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for pc in &Catalog::embedded().programmes {
        let seed = squeeze(
            &seeds
                .iter()
                .find(|(p, _)| *p == pc.programme.id())
                .expect("seed")
                .1,
        );
        for clause in &pc.clauses {
            assert!(!clause.citation.is_empty() && !clause.title.is_empty());
            for sentence in clause.text.split_inclusive('。') {
                let sentence = squeeze(sentence);
                assert!(
                    seed.contains(sentence.trim_end_matches('。')),
                    "{} {}: “{sentence}” is not in the seed text",
                    pc.programme,
                    clause.id
                );
            }
        }
        for group in &pc.groups {
            assert!(
                seed.contains(&squeeze(group.text.trim_end_matches('。'))),
                "group {}",
                group.id
            );
        }
    }
}

const MINIMAL: &str = r#"
[programme]
id = "zs-ptsp-2018"
title = "t"
short_title = "t"
document = "《t》"
issuer = "i"
valid_from = 2018-01-01
valid_to = 2022-12-31
validity_reference = "八（二）"
last_application_year = 2022
window_months = 36
grading = "category"
"#;

/// A parameter line of the catalog: label, unit, one value from 2018-01-01 with its reference.
fn param(name: &str, value: &str) -> String {
    format!(
        "params.{name} = {{ label = \"参数\", unit = \"元\", values = [{{ from = 2018-01-01, value = \"{value}\", reference = \"六（二）\" }}] }}"
    )
}

fn errors_of(extra: &str) -> Vec<String> {
    let text = format!("{MINIMAL}{extra}");
    match Catalog::from_sources(&[("test.toml", text.as_str())]) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn broken_catalogs_are_refused_naming_file_and_key() {
    let clause = |body: &str| {
        format!("[[clause]]\nid = \"6.2\"\ntitle = \"租赁\"\ncitation = \"六（二）\"\n{body}\n")
    };
    let rent = param("rent_cap_per_m2", "50");
    let unknown = errors_of(&clause(&format!(
        "text = \"x\"\nformula = \"lease\"\n{rent}\ncolour = \"red\""
    )));
    assert!(
        unknown
            .iter()
            .any(|e| e.starts_with("test.toml: (文件): ") && e.contains("colour")),
        "{unknown:?}"
    );

    let negative = errors_of(&clause(&format!(
        "text = \"x\"\nformula = \"lease\"\n{rent}\n{}",
        param("annual_cap", "-1")
    )));
    assert!(
        negative
            .iter()
            .any(|e| e == "test.toml: clause 6.2.params.annual_cap: 不能为负数，收到“-1”"),
        "{negative:?}"
    );

    let no_text = errors_of(&clause(&format!(
        "text = \"  \"\nformula = \"lease\"\n{rent}"
    )));
    assert!(
        no_text
            .iter()
            .any(|e| e.starts_with("test.toml: clause 6.2.text: 不能为空")),
        "{no_text:?}"
    );

    let formula = errors_of(&clause("text = \"x\"\nformula = \"magic\""));
    assert!(
        formula
            .iter()
            .any(|e| e.contains("clause 6.2.formula: 未知的公式类型“magic”")),
        "{formula:?}"
    );

    let missing_param = errors_of(&clause("text = \"x\"\nformula = \"lease\""));
    assert!(
        missing_param
            .iter()
            .any(|e| e.contains("需要参数 rent_cap_per_m2")),
        "{missing_param:?}"
    );

    let stray_param = errors_of(&clause(&format!(
        "text = \"x\"\nformula = \"lease\"\n{rent}\n{}",
        param("colour", "1")
    )));
    assert!(
        stray_param
            .iter()
            .any(|e| e.contains("params.colour: 公式 lease 不使用这个参数")),
        "{stray_param:?}"
    );

    // A bare value (no label, unit or reference) is no longer a parameter.
    let bare = errors_of(&clause(
        "text = \"x\"\nformula = \"lease\"\nparams = { rent_cap_per_m2 = \"50\" }",
    ));
    assert!(
        bare.iter().any(|e| e.starts_with("test.toml: (文件): ")),
        "{bare:?}"
    );
    let unlabelled = errors_of(&clause(&format!(
        "text = \"x\"\nformula = \"lease\"\n{}",
        rent.replace("label = \"参数\"", "label = \" \"")
            .replace("reference = \"六（二）\"", "reference = \"\"")
    )));
    assert!(
        unlabelled
            .iter()
            .any(|e| e.contains("clause 6.2.params.rent_cap_per_m2: label 不能为空")),
        "{unlabelled:?}"
    );
    assert!(
        unlabelled
            .iter()
            .any(|e| e.contains("clause 6.2.params.rent_cap_per_m2: 每个取值都须写明依据")),
        "{unlabelled:?}"
    );

    // A programme without its money clauses is incomplete.
    assert!(unknown.len() + negative.len() > 2);
    assert!(
        no_text
            .iter()
            .any(|e| e.contains("clause 6.4: 缺少这一有资金的条款")),
        "{no_text:?}"
    );
}

#[test]
fn a_dated_value_takes_effect_in_its_year() {
    let shipped = include_str!("../../../../assets/policies/zs-ptsp-2018.toml");
    let dated = shipped.replace(
        r#"values = [{ from = 2018-01-01, value = "50", reference = "《实施意见》六（二）" }]"#,
        r#"values = [{ from = 2018-01-01, value = "50", reference = "《实施意见》六（二）" }, { from = 2021-01-01, value = "60", reference = "假设的新标准" }]"#,
    );
    assert_ne!(dated, shipped);
    let iip = include_str!("../../../../assets/policies/zs-iip-2021.toml");
    let catalog =
        Catalog::from_sources(&[("zs-ptsp-2018.toml", &dated), ("zs-iip-2021.toml", iip)])
            .expect("valid");
    let case = |year: i32| {
        let json = serde_json::json!({
            "programme": "zs-ptsp-2018", "year": year,
            "platform": {"category": 5, "recognized_on": format!("{}-01-01", year)},
            "items": [{"clause": "6.2", "leases": [{"area_m2": "100", "rent_per_m2": "70", "from": format!("{year}-01"), "to": format!("{year}-01")}]}]
        });
        let case = Case::from_json(&json, &catalog).expect("case");
        calculate(&case, &catalog).expect("result").total
    };
    assert_eq!(
        case(2020),
        "5000".parse().expect("money"),
        "2020: 100 m² × 50"
    );
    assert_eq!(
        case(2021),
        "6000".parse().expect("money"),
        "2021: 100 m² × 60"
    );
}

#[test]
fn clause_8_has_no_rate_until_the_bureau_sets_one() {
    let catalog = Catalog::embedded();
    let pc = catalog
        .programmes
        .iter()
        .find(|p| p.programme.id() == "zs-iip-2021")
        .expect("iip");
    let c8 = pc.clause("8").expect("clause 8");
    assert!(c8.param("rate").expect("declared").values.is_empty());
    assert_eq!(c8.bureau_sets, ["rate"]);
}

/// A parameter without a value on the case's date is an input error that names the parameter and
/// the date: never a silent default.
#[test]
fn a_parameter_without_a_value_on_the_cases_date_is_an_input_error() {
    let shipped = include_str!("../../../../assets/policies/zs-ptsp-2018.toml");
    let later = shipped.replace(
        r#"values = [{ from = 2018-01-01, value = "50", reference = "《实施意见》六（二）" }]"#,
        r#"values = [{ from = 2021-01-01, value = "50", reference = "假设：自 2021 年起" }]"#,
    );
    assert_ne!(later, shipped);
    let iip = include_str!("../../../../assets/policies/zs-iip-2021.toml");
    let catalog =
        Catalog::from_sources(&[("zs-ptsp-2018.toml", &later), ("zs-iip-2021.toml", iip)])
            .expect("valid");
    let json = serde_json::json!({
        "programme": "zs-ptsp-2018", "year": 2020,
        "platform": {"category": 5, "recognized_on": "2020-01-01"},
        "items": [{"clause": "6.2", "leases": [{"area_m2": "100", "rent_per_m2": "70", "from": "2020-01", "to": "2020-01"}]}]
    });
    let case = Case::from_json(&json, &catalog).expect("case");
    let errors = calculate(&case, &catalog).expect_err("no value in 2020");
    let text = errors.to_string();
    assert!(
        text.contains(
            "parameters.6.2.rent_cap_per_m2: 政策参数“租金补助标准上限”（6.2.rent_cap_per_m2）在 2020-01-01 没有取值（政策目录自 2021-01-01 起有值）"
        ),
        "{text}"
    );
}
