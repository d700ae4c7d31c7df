//! PDF documents the bureau files and sends: the approval form (审批表) with its calculation appendix,
//! batch printing, and notices to applicants (受理、补正、审批结果通知书). A4, laid out after GB/T 9704-2012 (margins 37 mm top and 28 mm left, a
//! 156 × 225 mm text block, page numbers at the foot), in Noto Serif SC embedded as a subset.
//!
//! Owns: page layout, the embedded font, the sentences printed on forms.
//! Must not know: SQLite, Excel, the command line, Tauri, or how amounts are computed: it prints the
//! figures and explanations it is given (`desk-api` gathers them).

// Page geometry is measured in millimetres and points (floating point); money never is: amounts
// arrive as Decimal and are printed through their exact decimal text.
#![allow(clippy::float_arithmetic)]

pub mod approval;
mod canvas;
pub mod fonts;
pub mod notice;

pub use approval::{
    ApprovalForm, BatchPdf, Explanation, FormItem, Signature, approval_pdf, batch_pdf,
};
pub use notice::{Notice, NoticeTable, notice_pdf};
