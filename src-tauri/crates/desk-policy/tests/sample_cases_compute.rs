//! The generator behind the property tests and the bench makes cases the calculator accepts.

use desk_policy::{Case, Catalog, calculate, sample};

#[test]
fn generated_cases_are_valid_input() {
    let catalog = Catalog::embedded();
    for seed in 0..2000 {
        let value = sample::random_case(seed, 50);
        let case = Case::from_json(&value, catalog)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{value}"));
        calculate(&case, catalog).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{value}"));
    }
}
