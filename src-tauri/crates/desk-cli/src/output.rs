//! Printing: tables for people, JSON for machines.

/// `println!` that ends the program quietly when the reader has gone (`subsidy-desk … | head`),
/// instead of panicking on the broken pipe.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::write_line(&format!($($arg)*))
    };
}

pub fn write_line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        match e.raw_os_error() {
            Some(code) => eprintln!("无法输出结果（系统错误代码 {code}）"),
            None => eprintln!("无法输出结果"),
        }
        std::process::exit(1);
    }
}

use comfy_table::{ContentArrangement, Table, presets};
use desk_policy::{Money, money};
use serde::Serialize;

use crate::context::{CliError, Context};

/// A table with CJK-aware column widths.
pub fn table(headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers.to_vec());
    table
}

/// Money as people read it: "1,500,000.00".
pub fn yuan(amount: Money) -> String {
    money::format_grouped(amount)
}

pub fn opt_yuan(amount: Option<Money>) -> String {
    amount.map(yuan).unwrap_or_else(|| "—".into())
}

/// Prints `value` as JSON when `--json` was given, otherwise runs `human`.
pub fn emit<T: Serialize>(ctx: &Context, value: &T, human: impl FnOnce()) -> Result<(), CliError> {
    if ctx.json {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Other(format!("无法输出 JSON：{e}")))?;
        write_line(&text);
    } else {
        human();
    }
    Ok(())
}
