//! What a workbook's package (the zip of an .xlsx, .xlsm or .ods) may inflate to, and what else it
//! holds that the import must know of: macros (a VBA project is never run; the import notes it and
//! reads the cells' values) and links to other workbooks (`xl/externalLinks/`: refused, since a
//! linked cell's value is whatever the other file held when it was last opened).
//!
//! A zip bomb is a small file whose parts inflate to gigabytes: read whole, one aborted the program
//! (6 GiB from 6.3 MB), another took 4.2 GB to import. A real submission's largest part is its
//! biggest clause sheet: 2.1 MB of XML for 10,000 rows, and at most ~9 MB for the 20,000 rows a sheet
//! may hold (`read::MAX_ROWS`) in the widest sheet. So no part may inflate to more than
//! [`PART_LIMIT`] (3.5× that most, 15× a real 10,000-row sheet), nor all parts together to more than
//! [`TOTAL_LIMIT`]. The limits are held twice: the declared sizes of every part are checked before
//! anything is inflated, and the inflating itself is counted and stopped at the limit, since a
//! declared size can lie. The lean reader reads at most a part's declared size; calamine is handed
//! a package only after [`check`] has inflated every part (streaming, in constant memory) within the
//! limits.
//!
//! At 32 MiB a part can still hold ~2 million tiny cells; the lean reader and the calamine path
//! refuse a sheet of more than [`MAX_CELLS`] non-empty cells (a full submission sheet has under
//! 200,000), so a part under the limit cannot grow into hundreds of megabytes of cells either.

use std::io::{Cursor, Read};

use calamine::{Cell, Data, Range};

use crate::cells::cell_ref;
use crate::read::ReadError;

/// The most one part may inflate to.
pub const PART_LIMIT: u64 = 32 << 20;
/// The most all parts together may inflate to.
pub const TOTAL_LIMIT: u64 = 128 << 20;
/// The most parts a package may have (a template has ~30).
pub const MAX_PARTS: usize = 2_000;
/// The most non-empty cells one sheet may have (20,000 rows × 10 columns = 200,000).
pub const MAX_CELLS: usize = 1_000_000;
/// The most cells the rectangle from a sheet's first to its last used cell may span: the sheet is
/// kept as that rectangle (32 bytes a cell), so a cell in A1 and one in XFD1048576 would ask for
/// 550 GB. 20,000 rows × 100 columns.
pub const MAX_SPAN: u64 = 2_000_000;

/// What the package holds beside its sheets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Contents {
    /// A VBA project (`xl/vbaProject.bin`): macros, never run here.
    pub macros: bool,
}

/// Megabytes, for a message.
fn mb(bytes: u64) -> u64 {
    bytes >> 20
}

/// A part's name as a message may quote it: short, no control characters (the name is the
/// sender's).
fn shown(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !desk_policy::text::is_invisible(*c))
        .take(80)
        .collect();
    if clean.chars().count() < name.chars().count() {
        format!("{clean}…")
    } else {
        clean
    }
}

pub(crate) fn part_too_large(name: &str) -> ReadError {
    ReadError::Refused(format!(
        "申报表中的“{}”解压后超过 {} MB，不像正常的申报表，未导入。请用本局下发的申报模板重新填写、保存后再提交。",
        shown(name),
        mb(PART_LIMIT)
    ))
}

pub(crate) fn too_many_cells(sheet: &str) -> ReadError {
    ReadError::Refused(format!(
        "申报表的工作表“{}”有超过 {MAX_CELLS} 个非空单元格（一份申报表每张明细表最多 {} 行），不像正常的申报表，未导入。",
        shown(sheet),
        crate::read::MAX_ROWS
    ))
}

/// A sheet's cells as calamine's rectangle, refused when that rectangle would be too large.
pub(crate) fn dense(sheet: &str, cells: Vec<Cell<Data>>) -> Result<Range<Data>, ReadError> {
    let mut first = (u32::MAX, u32::MAX);
    let mut last = (0u32, 0u32);
    for (r, c) in cells.iter().map(|c| c.get_position()) {
        first = (first.0.min(r), first.1.min(c));
        last = (last.0.max(r), last.1.max(c));
    }
    if !cells.is_empty() {
        let span = (u64::from(last.0 - first.0) + 1) * (u64::from(last.1 - first.1) + 1);
        if span > MAX_SPAN {
            return Err(ReadError::Refused(format!(
                "申报表的工作表“{}”中已填写的区域从 {} 到 {}，过大（正常的申报表不超过 {} 行、100 列），未导入。请删除表格以外多余的单元格后重新保存。",
                shown(sheet),
                cell_ref(first.0, first.1),
                cell_ref(last.0, last.1),
                crate::read::MAX_ROWS
            )));
        }
    }
    Ok(Range::from_sparse(cells))
}

fn total_too_large() -> ReadError {
    ReadError::Refused(format!(
        "申报表解压后合计超过 {} MB，不像正常的申报表，未导入。请用本局下发的申报模板重新填写、保存后再提交。",
        mb(TOTAL_LIMIT)
    ))
}

fn too_many_parts(count: usize) -> ReadError {
    ReadError::Refused(format!(
        "申报表由 {count} 个部件组成（正常的申报表不到 100 个，上限 {MAX_PARTS} 个），不像正常的申报表，未导入。"
    ))
}

fn external_links() -> ReadError {
    ReadError::Refused(
        "申报表含外部链接（公式引用了其他工作簿），未导入。请在 Excel 中“数据→编辑链接→断开链接”，或把公式改为数值（复制后“选择性粘贴→数值”），保存后重新提交。"
            .into(),
    )
}

/// Checks a package's parts by their declared sizes, and its contents by their names; nothing is
/// inflated. Bytes that are not a zip pass (calamine reads .xls, and says what else is wrong).
pub(crate) fn check_declared(zip: &zip::ZipArchive<Cursor<&[u8]>>) -> Result<Contents, ReadError> {
    if zip.len() > MAX_PARTS {
        return Err(too_many_parts(zip.len()));
    }
    let mut total = 0u64;
    let mut contents = Contents::default();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(i) else {
            continue;
        };
        let name = entry.name().unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("xl/externallinks/") {
            return Err(external_links());
        }
        if lower == "xl/vbaproject.bin" {
            contents.macros = true;
        }
        let size = entry.size();
        if size > PART_LIMIT {
            return Err(part_too_large(&name));
        }
        total = total.saturating_add(size);
        if total > TOTAL_LIMIT {
            return Err(total_too_large());
        }
    }
    Ok(contents)
}

/// Everything [`check_declared`] checks, and then every part inflated (to nowhere, 64 KB at a time)
/// and counted, stopping at the limits: what calamine may then read is known to fit. A part that
/// cannot be inflated (damaged, encrypted) is left for calamine to complain about.
pub(crate) fn check(bytes: &[u8]) -> Result<Contents, ReadError> {
    if !bytes.starts_with(b"PK") {
        // A legacy .xls keeps its macros in a `_VBA_PROJECT_CUR` storage, named in UTF-16.
        const VBA_STORAGE: &[u8] = b"_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0_\0C\0U\0R\0";
        return Ok(Contents {
            macros: memchr::memmem::find(bytes, VBA_STORAGE).is_some(),
        });
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(Contents::default());
    };
    let contents = check_declared(&zip)?;
    check_inflated(&mut zip, &[])?;
    Ok(contents)
}

/// Inflates every part but those in `read` (already read within their declared sizes, which
/// count towards the total as declared), stopping at the limits. The raw stream is inflated here,
/// not through the zip reader (which stops at the declared size): a part's true size is what is
/// counted, so a part that declares less than it holds is known for the bomb it is.
pub(crate) fn check_inflated(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    read: &[String],
) -> Result<(), ReadError> {
    let mut total = 0u64;
    let mut buffer = vec![0u8; 64 << 10];
    // The first part that holds more than it declares, told once every part is counted (a bomb
    // of many such parts is told as the bomb it is).
    let mut lying = None;
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index_raw(i) else {
            continue;
        };
        let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
        let declared = file.size();
        if read.contains(&name) {
            total += declared;
            continue;
        }
        let mut inflated: Box<dyn Read> = match file.compression() {
            zip::CompressionMethod::Stored => Box::new(file),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(file)),
            // Other methods (and damage) are calamine's to complain of.
            _ => continue,
        };
        let mut size = 0u64;
        loop {
            match inflated.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => size += n as u64,
            }
            if size > PART_LIMIT {
                return Err(part_too_large(&name));
            }
            if total + size > TOTAL_LIMIT {
                return Err(total_too_large());
            }
        }
        if size > declared && lying.is_none() {
            lying = Some(ReadError::NotAWorkbook(format!(
                "“{}”解压后有 {size} 字节，比文件记录的 {declared} 字节多，文件已损坏或被改动",
                shown(&name)
            )));
        }
        total += size;
    }
    if total > TOTAL_LIMIT {
        return Err(total_too_large());
    }
    lying.map_or(Ok(()), Err)
}

/// A part read whole, but never more than it declared (which [`check_declared`] has held to the
/// limits): `None` when it is missing, damaged, or inflates to more than it said.
pub(crate) fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    let declared = file.size().min(PART_LIMIT);
    let mut out = Vec::with_capacity(usize::try_from(declared).ok()?);
    file.take(declared + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= declared).then_some(out)
}
