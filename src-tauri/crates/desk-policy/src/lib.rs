//! Domain types every crate shares, and (from the calculator issue on) the policy catalog and the
//! subsidy calculator.
//!
//! Owns: money (`Money` = `rust_decimal::Decimal`, with named rounding), the 统一社会信用代码
//! ([`CreditCode`]), programme and clause ids, Zhongshan's towns, platform categories and levels, and
//! the platform history the calculator reads.
//!
//! Must not know: files, SQLite, Excel, PDF, Tauri, or the clock. Everything here is a pure function
//! of its arguments; a date that matters is passed in.

pub mod bureau;
pub mod calc;
pub mod case;
pub mod catalog;
pub mod credit_code;
pub mod formulas;
pub mod glossary;
pub mod history;
pub mod json_text;
pub mod ledger;
pub mod money;
pub mod money_words;
pub mod pilot;
pub mod platform;
pub mod programme;
pub mod result;
#[doc(hidden)]
pub mod sample;
pub mod text;
pub mod town;
pub mod typed_case;
pub mod whatif;

pub use bureau::{BureauProblem, UnsetParameter};
pub use calc::calculate;
pub use case::{Case, InputError, InputErrors};
pub use catalog::Catalog;
pub use credit_code::{CreditCode, CreditCodeError};
pub use history::HistoryEntry;
pub use money::{Money, MoneyError};
pub use platform::{PlatformCategory, PlatformLevel};
pub use programme::{ClauseId, Programme};
pub use result::{CaseResult, LimitedBy, Line, UnitCap, limited_by_label};
pub use text::{TextError, TextKind};
pub use town::Town;
pub use typed_case::UnitsJson;
