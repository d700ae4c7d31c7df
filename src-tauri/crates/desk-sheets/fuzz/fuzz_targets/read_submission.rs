//! Any bytes given to the import entry point: it must answer (a submission or a Chinese reason),
//! never panic, never hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = desk_policy::Catalog::embedded();
    if let Err(desk_sheets::ReadError::Cells(errors)) = desk_sheets::read_submission(data, catalog) {
        // The marked copy must cope with whatever the reader complained about.
        let _ = desk_sheets::marked_copy(data, &errors, catalog);
    }
});
