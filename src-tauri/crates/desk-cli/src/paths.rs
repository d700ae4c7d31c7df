//! Paths as the officer gave them. A path is kept as a `Path` (on Linux any bytes, on Windows any
//! UTF-16) from the command line to the file system; only what is shown or written into `--json` is
//! text, where a part that is not valid Unicode becomes "�".

use std::path::Path;

/// A path as text for messages and `--json` (lossy: never fails).
pub fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
