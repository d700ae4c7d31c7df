//! Import speed: a 10,000-row submission read, checked (cells and the calculator) and written to the
//! database, against openpyxl loading the same file, side by side in one run.
//! Targets: under 1 s, and at least 20 times faster than openpyxl.
//!
//! `cargo bench -p desk-api --bench import` (openpyxl from `python3`, or `OPENPYXL_PYTHON`).

// Floating point here is for timings only, never money.
#![allow(clippy::float_arithmetic)]

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use desk_api::{ImportOptions, ImportResult, import_submission};
use desk_policy::{Catalog, CreditCode, PlatformLevel, Programme, Town};
use desk_sheets::fill::filled_workbook;
use desk_sheets::{Applicant, SubmittedItem};
use desk_store::{Editor, OpenOptions, Store};
use serde_json::json;

/// The allocator the programs use (desk-cli, the desktop app).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 10_000;
/// Imports timed (after one warm-up) and openpyxl processes timed; medians are reported.
const RUNS: usize = 15;
const OPENPYXL_RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("10000-rows.xlsx");
    let bytes = workbook();
    std::fs::write(&file, &bytes).expect("write");
    if let Ok(keep) = std::env::var("IMPORT_BENCH_KEEP") {
        std::fs::write(&keep, &bytes).expect("keep a copy");
    }
    println!(
        "submission: {ROWS} rows of 4.4 contracts (5 columns), {} KB",
        bytes.len() / 1024
    );

    let now =
        NaiveDateTime::parse_from_str("2026-11-22 09:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
    let editor = Editor::new("陈晓敏", now);
    let options = ImportOptions {
        dry_run: false,
        received_on: now.date(),
        officer: "陈晓敏".into(),
        keep_case_file: false,
    };
    // The same file checked only (--dry-run): the reading and checking share of the import.
    let checking = ImportOptions {
        dry_run: true,
        ..options.clone()
    };
    let mut ours = Vec::new();
    let mut checked = Vec::new();
    for run in 0..=RUNS {
        let mut store = Store::open(
            &dir.path().join(format!("run{run}.sqlite")),
            &OpenOptions::new(now),
        )
        .expect("store");
        let t = Instant::now();
        let bytes = std::fs::read(&file).expect("read");
        let report = import_submission(&mut store, "10000-rows.xlsx", &bytes, &options, &editor)
            .expect("import");
        if run > 0 {
            ours.push(t.elapsed()); // the first run warms the caches and the allocator
        }
        assert!(
            matches!(report.result, ImportResult::Created { .. }),
            "{:?}",
            report.result
        );
        assert_eq!(report.rows, ROWS);
        // After the import, so the import's own figure is measured as before this check was added.
        let t = Instant::now();
        let bytes = std::fs::read(&file).expect("read");
        let report = import_submission(&mut store, "10000-rows.xlsx", &bytes, &checking, &editor)
            .expect("check");
        if run > 0 {
            checked.push(t.elapsed());
        }
        assert!(matches!(report.result, ImportResult::Checked));
    }
    ours.sort();
    checked.sort();
    let median = ours[RUNS / 2];
    println!(
        "subsidy-desk import (read + check + calculator + database): median {:.0} ms (min {:.0}, max {:.0})",
        ms(median),
        ms(ours[0]),
        ms(ours[RUNS - 1])
    );
    println!(
        "  of which reading and checking (the same file with --dry-run): median {:.0} ms",
        ms(checked[RUNS / 2])
    );
    println!(
        "  target under 1 s: {}",
        if median < Duration::from_secs(1) {
            "met"
        } else {
            "NOT MET"
        }
    );

    let python = std::env::var("OPENPYXL_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import sys, time\nt = time.perf_counter()\nimport openpyxl\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\nn = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))\nprint(n, time.perf_counter() - t)";
    let mut theirs = Vec::new();
    let mut inside = Vec::new();
    for _ in 0..OPENPYXL_RUNS {
        let t = Instant::now();
        let out = Command::new(&python)
            .args(["-c", script])
            .arg(&file)
            .output();
        let elapsed = t.elapsed();
        match out {
            Ok(o) if o.status.success() => {
                theirs.push(elapsed);
                let text = String::from_utf8_lossy(&o.stdout).into_owned();
                if let Some(secs) = text
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse::<f64>().ok())
                {
                    inside.push(Duration::from_secs_f64(secs));
                }
            }
            _ => {
                println!(
                    "openpyxl is not available to `{python}` (pip install openpyxl); comparison skipped"
                );
                return;
            }
        }
    }
    theirs.sort();
    inside.sort();
    let (process, loading) = (theirs[OPENPYXL_RUNS / 2], inside[OPENPYXL_RUNS / 2]);
    println!(
        "openpyxl read-only load of the same file: {:.0} ms as a process, {:.0} ms of it importing openpyxl and loading",
        ms(process),
        ms(loading)
    );
    let ratio = loading.as_secs_f64() / median.as_secs_f64();
    println!(
        "  subsidy-desk is {:.1}× faster than openpyxl's load alone ({:.1}× against its whole process) — target ≥ 20×: {}",
        ratio,
        process.as_secs_f64() / median.as_secs_f64(),
        if ratio >= 20.0 { "met" } else { "NOT MET" }
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn workbook() -> Vec<u8> {
    let applicant = Applicant {
        credit_code: CreditCode::parse("91442000MAAY4CL12L").expect("code"),
        name: "中山市云联工业互联网科技有限公司".into(),
        town: Town::parse("小榄镇").expect("town"),
        address: String::new(),
        contact_person: String::new(),
        contact_phone: String::new(),
        platform_name: "云联工业互联网标杆平台".into(),
        category: None,
        level: Some(PlatformLevel::Benchmark),
        recognized_on: NaiveDate::from_ymd_opt(2021, 5, 10).expect("date"),
        paid_in_capital: None,
        fiscal_paid_in_capital: None,
        relocated_hq: false,
        system_live_on: None,
    };
    let contracts: Vec<_> = (0..ROWS)
        .map(|i| {
            let code = CreditCode::with_check_character(&format!("9144200{:010}", i)).expect("code");
            json!({"enterprise_credit_code": code, "contract_amount": format!("{}.{:02}", 10_000 + i * 7 % 290_000, i % 100),
                   "accepted_on": format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                   "investment": format!("{}", 400_000 + i % 50_000), "other_funding": format!("{}", i % 30_000)})
        })
        .collect();
    let items = vec![SubmittedItem {
        clause: "4.4".into(),
        units: json!({"contracts": contracts}),
        requested: None,
    }];
    filled_workbook(
        Catalog::embedded(),
        Programme::ZsIip2021,
        &applicant,
        2023,
        &items,
    )
    .expect("workbook")
    .save_to_buffer()
    .expect("bytes")
}
