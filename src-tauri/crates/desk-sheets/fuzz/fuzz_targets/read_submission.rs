//! Any bytes given to the import entry point: it must answer (a submission or a Chinese reason),
//! never panic, never hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // calamine 0.38 panics on some malformed parts (fixtures/submissions/fuzz/); desk-sheets
        // catches those and answers with a message, which is the behaviour under test. Any other
        // panic (ours, or calamine's outside the guard) still reaches libFuzzer's aborting hook.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info.location().is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        let catalog = desk_policy::Catalog::embedded();
        if let Err(desk_sheets::ReadError::Cells(errors, _)) = desk_sheets::read_submission(data, catalog) {
            // The marked copy must cope with whatever the reader complained about.
            let _ = desk_sheets::marked_copy(data, &errors, catalog);
        }
    }
);
