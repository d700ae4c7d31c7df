//! Speed of the calculator: 100,000 realistic cases (both programmes, mixed clauses, 1–50 units
//! each, with history) computed on one core. Target: ≥ 200,000 cases per second.
//!
//! `cargo bench -p desk-policy --bench calculator`

// Floating point here is for timings only, never money.
#![allow(clippy::float_arithmetic)]

use std::hint::black_box;
use std::time::Instant;

use desk_policy::{Case, Catalog, calculate, sample};

const CASES: u64 = 100_000;
const TARGET_PER_SECOND: f64 = 200_000.0;

fn main() {
    let catalog = Catalog::embedded();
    let started = Instant::now();
    let cases: Vec<Case> = (0..CASES)
        .map(|seed| {
            let value = sample::random_case(seed, 50);
            Case::from_json(&value, catalog).expect("generated cases are valid")
        })
        .collect();
    let units: usize = cases
        .iter()
        .flat_map(|c| &c.items)
        .map(|i| {
            i.lists
                .iter()
                .map(|(_, rows)| rows.len())
                .sum::<usize>()
                .max(1)
        })
        .sum();
    println!(
        "generated and parsed {CASES} cases ({units} units, {:.1} per case) in {:.2} s",
        units as f64 / CASES as f64,
        started.elapsed().as_secs_f64()
    );

    let mut best = f64::MAX;
    for round in 1..=5 {
        let t = Instant::now();
        let mut total = desk_policy::Money::ZERO;
        for case in &cases {
            let result = calculate(black_box(case), catalog).expect("computes");
            total += result.total;
        }
        let seconds = t.elapsed().as_secs_f64();
        best = best.min(seconds);
        println!(
            "round {round}: {:.3} s, {:.0} cases/s (sum of totals {})",
            seconds,
            CASES as f64 / seconds,
            black_box(total)
        );
    }
    let rate = CASES as f64 / best;
    println!(
        "\nbest: {:.0} cases/s on one core, {:.2} µs per case — target ≥ {:.0}: {}",
        rate,
        best * 1e6 / CASES as f64,
        TARGET_PER_SECOND,
        if rate >= TARGET_PER_SECOND {
            "met"
        } else {
            "NOT MET"
        }
    );

    // Rendering the explanation is for people and happens only when a result is shown.
    let t = Instant::now();
    let mut chars = 0usize;
    for case in cases.iter().take(10_000) {
        let result = calculate(case, catalog).expect("computes");
        chars += serde_json::to_string(&result).map(|s| s.len()).unwrap_or(0);
    }
    println!(
        "compute + render JSON with explanations: {:.0} cases/s ({} bytes per case)",
        10_000.0 / t.elapsed().as_secs_f64(),
        chars / 10_000
    );
}
