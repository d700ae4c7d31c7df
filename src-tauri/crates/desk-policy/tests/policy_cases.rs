//! Walks `fixtures/policy-cases/`: every file is a case a policy expert computed by hand (format in
//! that folder's README). All mismatches are reported together, each with its file.

use std::path::{Path, PathBuf};

use desk_policy::money::format_amount;
use desk_policy::{Case, Catalog, calculate, pilot};
use serde_json::Value;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/policy-cases")
}

fn files(programme: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder().join(programme))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    files
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares one money case; returns the problems found.
fn check_money_case(fixture: &Value) -> Vec<String> {
    let catalog = Catalog::embedded();
    let mut problems = Vec::new();
    let outcome =
        Case::from_json(&fixture["case"], catalog).and_then(|case| calculate(&case, catalog));
    if let Some(expected_errors) = fixture["expected_errors"].as_array() {
        let errors = match outcome {
            Ok(result) => {
                return vec![format!(
                    "expected input errors, got a result: {}",
                    desk_policy::calc::summary(&result)
                )];
            }
            Err(errors) => errors,
        };
        for e in expected_errors {
            let path = e["path"].as_str().unwrap_or_default();
            let contains = e["contains"].as_str().unwrap_or_default();
            let found = errors
                .0
                .iter()
                .any(|x| x.path == path && x.message.contains(contains));
            if !found {
                problems.push(format!(
                    "missing error {path} ∋ “{contains}”; got: {errors}"
                ));
            }
        }
        return problems;
    }
    let result = match outcome {
        Ok(result) => result,
        Err(errors) => return vec![format!("unexpected input errors: {errors}")],
    };
    let expected = &fixture["expected"];
    let lines = expected["lines"].as_array().cloned().unwrap_or_default();
    if lines.len() != result.lines.len() {
        problems.push(format!(
            "{} lines expected, {} computed: {}",
            lines.len(),
            result.lines.len(),
            desk_policy::calc::summary(&result)
        ));
    }
    for (want, got) in lines.iter().zip(&result.lines) {
        let clause = want["clause"].as_str().unwrap_or_default();
        if clause != got.clause {
            problems.push(format!("line order: expected {clause}, got {}", got.clause));
            continue;
        }
        let ceiling = format_amount(got.ceiling);
        if want["ceiling"].as_str() != Some(ceiling.as_str()) {
            problems.push(format!(
                "{clause}: ceiling {} expected, {ceiling} computed ({})",
                want["ceiling"],
                got.explanation().join(" | ")
            ));
        }
        let limited = serde_json::to_value(got.limited_by).unwrap_or_default();
        if want["limited_by"] != limited {
            problems.push(format!(
                "{clause}: limited_by {} expected, {limited} computed",
                want["limited_by"]
            ));
        }
        if let Some(n) = want["excluded"].as_u64()
            && n as usize != got.excluded.len()
        {
            let shown: Vec<String> = got
                .excluded_text()
                .iter()
                .map(|(u, r)| format!("{u} {r}"))
                .collect();
            problems.push(format!(
                "{clause}: {n} excluded expected, {} computed: {}",
                got.excluded.len(),
                shown.join("; ")
            ));
        }
        if let Some(n) = want["active_count"].as_u64()
            && Some(n as u32) != got.active_count
        {
            problems.push(format!(
                "{clause}: active_count {n} expected, {:?} computed",
                got.active_count
            ));
        }
    }
    let total = format_amount(result.total);
    if expected["total"].as_str() != Some(total.as_str()) {
        problems.push(format!(
            "total {} expected, {total} computed",
            expected["total"]
        ));
    }
    for w in expected["warnings_contain"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let w = w.as_str().unwrap_or_default();
        if !result.warnings.iter().any(|x| x.contains(w)) {
            problems.push(format!(
                "warning containing “{w}” expected; warnings: {:?}",
                result.warnings
            ));
        }
    }
    problems
}

fn check_pilot_case(fixture: &Value) -> Vec<String> {
    let outcome = pilot::check(&fixture["applicant"]);
    if let Some(expected_errors) = fixture["expected_errors"].as_array() {
        let Err(errors) = outcome else {
            return vec!["expected input errors, got a result".into()];
        };
        return expected_errors
            .iter()
            .filter(|e| {
                let path = e["path"].as_str().unwrap_or_default();
                let contains = e["contains"].as_str().unwrap_or_default();
                !errors
                    .0
                    .iter()
                    .any(|x| x.path == path && x.message.contains(contains))
            })
            .map(|e| format!("missing error {e}; got: {errors}"))
            .collect();
    }
    let check = match outcome {
        Ok(check) => check,
        Err(errors) => return vec![format!("unexpected input errors: {errors}")],
    };
    let mut problems = Vec::new();
    if fixture["expected"]["eligible"].as_bool() != Some(check.eligible) {
        problems.push(format!(
            "eligible {} expected, {} computed",
            fixture["expected"]["eligible"], check.eligible
        ));
    }
    let mut want: Vec<&str> = fixture["expected"]["unmet"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut got = check.unmet.clone();
    want.sort_unstable();
    got.sort_unstable();
    if want != got {
        problems.push(format!("unmet {want:?} expected, {got:?} computed"));
    }
    problems
}

fn run(programme: &str, check: fn(&Value) -> Vec<String>) -> usize {
    let mut failures = Vec::new();
    let files = files(programme);
    for path in &files {
        let fixture = load(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for problem in check(&fixture) {
            failures.push(format!("{programme}/{name}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} policy cases disagree:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn zs_ptsp_2018_cases() {
    let n = run("zs-ptsp-2018", check_money_case);
    assert!(
        n >= 3 * 18,
        "at least three cases per clause, found {n} files"
    );
}

#[test]
fn zs_iip_2021_cases() {
    let n = run("zs-iip-2021", check_money_case);
    assert!(
        n >= 3 * 21,
        "at least three cases per clause, found {n} files"
    );
}

#[test]
fn zs_fusion_2020_cases() {
    let n = run("zs-fusion-2020", check_pilot_case);
    assert!(
        n >= 12,
        "at least three cases per applicant type, found {n} files"
    );
}

/// Every clause of the catalog has at least three expert cases, by file name.
#[test]
fn every_clause_has_three_cases() {
    let catalog = Catalog::embedded();
    let mut missing = Vec::new();
    for pc in &catalog.programmes {
        let names: Vec<String> = files(pc.programme.id())
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        for clause in &pc.clauses {
            let prefix = format!("{}-", clause.id);
            let n = names.iter().filter(|n| n.starts_with(&prefix)).count();
            if n < 3 {
                missing.push(format!("{} {}: {n}", pc.programme, clause.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "clauses with fewer than three cases: {missing:?}"
    );
}
