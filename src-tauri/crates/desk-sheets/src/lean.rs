//! A lean reader for the values of .xlsx worksheets, for speed on large submissions.
//!
//! calamine spends ~30–50 ms of a 10,000-row submission's import on its general XML reader; the
//! sheet's 2.1 MB of XML inflates in ~2 ms and scans in ~2 ms more. This reader handles the common
//! shape of a worksheet that Excel, WPS and rust_xlsxwriter write (shared, inline and formula
//! strings, numbers, booleans, date formats) and yields exactly the cells calamine would. Anything
//! else (an unknown element or cell type, a CDATA section, an `_xHHHH_` escape, a damaged part)
//! returns `None`, and the caller reads the workbook with calamine instead, which also gives the
//! messages for broken files. `tests::same_cells_as_calamine` holds the two readers together on
//! every fixture.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Cell, Data, ExcelDateTime, ExcelDateTimeType, Range};
use memchr::memmem;

use crate::package::{self, Contents};
use crate::read::ReadError;

/// A worksheet as the lean reader read it.
pub(crate) enum Lean {
    Read(SheetCells),
    /// No sheet of that name.
    Missing,
    /// A shape left to calamine.
    Left,
}

/// A sheet's cells, and the positions of those that hold a formula.
#[derive(Debug)]
pub(crate) struct SheetCells {
    pub range: Range<Data>,
    pub formulas: Vec<(u32, u32)>,
    /// The merged areas, as (first row, first column, last row, last column), zero-based: only the
    /// first cell of each holds a value.
    pub merged: Vec<Merged>,
}

/// A merged area: (first row, first column, last row, last column), zero-based.
pub(crate) type Merged = (u32, u32, u32, u32);

/// The `<mergeCell ref="C4:C5"/>` areas of a worksheet's XML (none when it has none, or in the
/// few forms this scan does not read, which calamine reads no better).
fn merged_areas(xml: &[u8]) -> Vec<Merged> {
    let Some(start) = memmem::find(xml, b"<mergeCells") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for tag in Tags::new(&xml[start..]) {
        match (tag.name, tag.closing) {
            (b"mergeCells", true) => break,
            (b"mergeCell", false) => {
                let Some(reference) = tag.attr(b"ref") else {
                    continue;
                };
                let mut ends = reference.split(|b| *b == b':');
                let first = ends.next().and_then(cell_position);
                let last = ends.next().and_then(cell_position).or(first);
                if let (Some((r0, c0)), Some((r1, c1))) = (first, last) {
                    out.push((r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)));
                }
            }
            _ => {}
        }
    }
    out
}

/// What scanning a sheet found.
enum Scan {
    Cells(Vec<Cell<Data>>, Vec<(u32, u32)>),
    /// More than `package::MAX_CELLS` non-empty cells.
    TooMany,
}

/// A workbook opened for its worksheets' values.
pub(crate) struct LeanWorkbook<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Sheet name → its part in the package, in workbook order.
    sheets: Vec<(String, String)>,
    strings: Vec<String>,
    /// Number format class of each cell style (cellXfs index).
    formats: Vec<Format>,
    is_1904: bool,
    contents: Contents,
    /// The parts read, each within its declared size.
    read: Vec<String>,
}

/// The parts every open reads.
const FIXED_PARTS: [&str; 4] = [
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
];

/// Whether a number format shows a date, a duration, or a number (as calamine classifies it).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Other,
    DateTime,
    TimeDelta,
}

impl<'a> LeanWorkbook<'a> {
    /// Opens an .xlsx/.xlsm package; `Ok(None)` when it is not one or has a shape left to calamine,
    /// an error when its parts declare more than a workbook may inflate to
    /// (`package::check_declared`).
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Option<Self>, ReadError> {
        if !bytes.starts_with(b"PK\x03\x04") {
            return Ok(None);
        }
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return Ok(None);
        };
        let contents = package::check_declared(&zip)?;
        Ok(
            Self::read_workbook(&mut zip).map(|(sheets, strings, formats, is_1904)| LeanWorkbook {
                zip,
                sheets,
                strings,
                formats,
                is_1904,
                contents,
                read: FIXED_PARTS.iter().map(|p| p.to_string()).collect(),
            }),
        )
    }

    /// Inflates, within the limits, every part this reader did not read (and so held to its
    /// declared size): a part that lies about its size is refused whichever reader reads the
    /// workbook, and whether or not it is read.
    pub(crate) fn check_unread(&mut self) -> Result<(), ReadError> {
        package::check_inflated(&mut self.zip, &self.read)
    }

    /// The workbook's sheets, shared strings, cell formats and date system.
    #[allow(clippy::type_complexity)]
    fn read_workbook(
        zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    ) -> Option<(Vec<(String, String)>, Vec<String>, Vec<Format>, bool)> {
        let workbook = part(zip, "xl/workbook.xml")?;
        let rels = part(zip, "xl/_rels/workbook.xml.rels")?;
        let targets = relationships(&rels)?;
        let mut sheets = Vec::new();
        let mut is_1904 = false;
        for tag in Tags::new(&workbook) {
            match tag.name {
                b"workbookPr" => {
                    is_1904 = matches!(tag.attr(b"date1904"), Some(b"1" | b"true"));
                }
                b"sheet" if !tag.closing => {
                    let name = unescape(tag.attr(b"name")?)?;
                    let target = targets.get(tag.attr(b"r:id")?)?;
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("xl/{target}"),
                    };
                    sheets.push((name, path));
                }
                _ => {}
            }
        }
        let strings = match part(zip, "xl/sharedStrings.xml") {
            Some(xml) => shared_strings(&xml)?,
            None => Vec::new(),
        };
        let formats = match part(zip, "xl/styles.xml") {
            Some(xml) => cell_formats(&xml)?,
            None => Vec::new(),
        };
        Some((sheets, strings, formats, is_1904))
    }

    /// What the package holds beside its sheets (macros).
    pub(crate) fn contents(&self) -> &Contents {
        &self.contents
    }

    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// A worksheet's cells and which of them hold formulas.
    pub(crate) fn worksheet(&mut self, name: &str) -> Result<Lean, ReadError> {
        let Some(path) = self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
        else {
            return Ok(Lean::Missing);
        };
        if !path.contains("worksheets/") {
            return Ok(Lean::Left);
        }
        let Some(xml) = part(&mut self.zip, &path) else {
            return Ok(Lean::Left);
        };
        self.read.push(path);
        let scanned = self.cells(&xml);
        let merged = merged_areas(&xml);
        drop(xml);
        match scanned {
            None => Ok(Lean::Left),
            Some(Scan::TooMany) => Err(package::too_many_cells(name)),
            Some(Scan::Cells(cells, formulas)) => Ok(Lean::Read(SheetCells {
                range: package::dense(name, cells)?,
                formulas,
                merged,
            })),
        }
    }

    /// The non-empty cells of a worksheet's `<sheetData>`, as calamine's cell reader walks it.
    fn cells(&self, xml: &[u8]) -> Option<Scan> {
        let start = memmem::find(xml, b"<sheetData")?;
        let mut cells = Vec::new();
        let mut formulas = Vec::new();
        let (mut row, mut col) = (0u32, 0u32);
        let mut tags = Tags::new(&xml[start..]);
        if tags.next()?.empty {
            return Some(Scan::Cells(cells, formulas)); // <sheetData/>: an empty sheet
        }
        while let Some(tag) = tags.next() {
            match (tag.name, tag.closing) {
                (b"sheetData", true) => return Some(Scan::Cells(cells, formulas)),
                (b"row", false) => {
                    if let Some(r) = tag.attr(b"r") {
                        row = number(r)?.checked_sub(1)?;
                    }
                    if tag.empty {
                        row += 1;
                        col = 0;
                    }
                }
                (b"row", true) => {
                    row += 1;
                    col = 0;
                }
                (b"c", false) => {
                    let [reference, style, kind] = tag.attrs([b"r", b"s", b"t"]);
                    let pos = match reference {
                        Some(r) => {
                            let (r, c) = cell_position(r)?;
                            col = c;
                            (r, c)
                        }
                        None => (row, col),
                    };
                    let (value, formula) = if tag.empty {
                        (Data::Empty, false)
                    } else {
                        self.cell_value(&mut tags, style, kind)?
                    };
                    col += 1;
                    if formula {
                        formulas.push(pos);
                    }
                    if value != Data::Empty {
                        if cells.len() == package::MAX_CELLS {
                            return Some(Scan::TooMany);
                        }
                        cells.push(Cell::new(pos, value));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Reads a cell's children up to `</c>`; like calamine, the last of `<v>`, `<is>`, `<f>` wins.
    /// Also whether the cell has a formula (`<f>`, a shared formula's `<f/>` included).
    fn cell_value(
        &self,
        tags: &mut Tags<'_>,
        style: Option<&[u8]>,
        kind: Option<&[u8]>,
    ) -> Option<(Data, bool)> {
        let mut value = Data::Empty;
        let mut formula = false;
        loop {
            let tag = tags.next()?;
            match (tag.name, tag.closing) {
                (b"c", true) => return Some((value, formula)),
                (b"f", false) => {
                    formula = true;
                    if !tag.empty {
                        tags.skip_to_end(b"f")?;
                    }
                    value = Data::Empty;
                }
                (b"is", false) => {
                    value = if tag.empty {
                        Data::String(String::new())
                    } else {
                        Data::String(rich_text(tags, b"is")?)
                    };
                }
                (b"v", false) => {
                    let text = if tag.empty {
                        &b""[..]
                    } else {
                        tags.text_to_end(b"v")?
                    };
                    value = self.v_value(text, style, kind)?;
                }
                _ => return None,
            }
        }
    }

    /// A `<v>` element's value by the cell's type and style (calamine's `read_v`).
    fn v_value(&self, v: &[u8], style: Option<&[u8]>, kind: Option<&[u8]>) -> Option<Data> {
        match kind {
            Some(b"inlineStr") => Some(Data::Empty),
            Some(b"s") => {
                if v.is_empty() {
                    return Some(Data::Empty);
                }
                let index = number(v)? as usize;
                self.strings.get(index).cloned().map(Data::String)
            }
            Some(b"b") => match std::str::from_utf8(v).ok()?.trim() {
                "" => Some(Data::Empty),
                "0" => Some(Data::Bool(false)),
                "1" => Some(Data::Bool(true)),
                t if t.eq_ignore_ascii_case("false") => Some(Data::Bool(false)),
                t if t.eq_ignore_ascii_case("true") => Some(Data::Bool(true)),
                _ => None,
            },
            Some(b"str") => Some(Data::String(unescape(v)?)),
            Some(b"n") | None => {
                if v.is_empty() {
                    return Some(Data::Empty);
                }
                let text = std::str::from_utf8(v).ok()?;
                if v.contains(&b'&') {
                    return None;
                }
                let Ok(n) = text.parse::<f64>() else {
                    return kind.is_none().then(|| Data::String(text.to_string()));
                };
                let format = match style {
                    Some(s) => self.formats.get(number(s)? as usize).copied(),
                    None => Some(Format::Other),
                };
                Some(match format {
                    Some(Format::DateTime) => Data::DateTime(ExcelDateTime::new(
                        n,
                        ExcelDateTimeType::DateTime,
                        self.is_1904,
                    )),
                    Some(Format::TimeDelta) => Data::DateTime(ExcelDateTime::new(
                        n,
                        ExcelDateTimeType::TimeDelta,
                        self.is_1904,
                    )),
                    _ => Data::Float(n),
                })
            }
            // Errors (`e`), ISO dates (`d`) and unknown types: calamine's.
            _ => None,
        }
    }
}

/// A part of the package, inflated: never more than it declared (held to the limits when the
/// package was opened), so a part that lies about its size is left to calamine, and so to
/// `package::check`.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    package::read_part(zip, name)
}

/// Relationship id → target, from a `.rels` part.
fn relationships(xml: &[u8]) -> Option<HashMap<Vec<u8>, String>> {
    let mut out = HashMap::new();
    for tag in Tags::new(xml) {
        if tag.name == b"Relationship" && !tag.closing {
            out.insert(tag.attr(b"Id")?.to_vec(), unescape(tag.attr(b"Target")?)?);
        }
    }
    Some(out)
}

/// The shared strings table: each `<si>`'s text, runs joined, phonetic guides left out.
fn shared_strings(xml: &[u8]) -> Option<Vec<String>> {
    let mut strings = Vec::new();
    let mut tags = Tags::new(xml);
    while let Some(tag) = tags.next() {
        if tag.name == b"si" && !tag.closing {
            strings.push(if tag.empty {
                String::new()
            } else {
                rich_text(&mut tags, b"si")?
            });
        }
    }
    Some(strings)
}

/// The text of an `<si>` or `<is>` up to its end tag (calamine's `read_string`).
fn rich_text(tags: &mut Tags<'_>, closing: &[u8]) -> Option<String> {
    let mut text = String::new();
    let mut phonetic = false;
    loop {
        let tag = tags.next()?;
        match (tag.name, tag.closing) {
            (name, true) if name == closing => return Some(text),
            (b"rPh", false) => phonetic = !tag.empty,
            (b"rPh", true) => phonetic = false,
            (b"t", false) if !phonetic => {
                if tag.empty {
                    continue;
                }
                let preserve = tag.attr(b"xml:space") == Some(b"preserve");
                let raw = unescape(tags.text_to_end(b"t")?)?;
                text.push_str(if preserve {
                    &raw
                } else {
                    raw.trim_matches([' ', '\t', '\r', '\n'])
                });
            }
            (b"t", false) if !tag.empty => tags.skip_to_end(b"t")?,
            _ => {}
        }
    }
}

/// The number format class of each cellXfs entry, by numFmtId (calamine's rule).
fn cell_formats(xml: &[u8]) -> Option<Vec<Format>> {
    let mut custom: HashMap<Vec<u8>, Format> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_cell_xfs = false;
    for tag in Tags::new(xml) {
        match (tag.name, tag.closing) {
            (b"numFmt", false) => {
                let code = unescape(tag.attr(b"formatCode")?)?;
                custom.insert(tag.attr(b"numFmtId")?.to_vec(), custom_format(&code));
            }
            (b"cellXfs", closing) => in_cell_xfs = !closing && !tag.empty,
            (b"xf", false) if in_cell_xfs => formats.push(match tag.attr(b"numFmtId") {
                None => Format::Other,
                Some(id) => match custom.get(id) {
                    Some(f) => *f,
                    None => builtin_format(id),
                },
            }),
            _ => {}
        }
    }
    Some(formats)
}

/// Built-in number formats that show dates and times (ECMA-376 18.8.30, East Asian ids included).
fn builtin_format(id: &[u8]) -> Format {
    match std::str::from_utf8(id)
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
    {
        Some(14..=22 | 27..=36 | 45 | 47 | 50..=58) => Format::DateTime,
        Some(46) => Format::TimeDelta,
        _ => Format::Other,
    }
}

/// Whether a custom format code shows a date or a duration: calamine's
/// `detect_custom_number_format` (not public), kept identical so both readers agree.
fn custom_format(code: &str) -> Format {
    let (mut escaped, mut quoted, mut brackets) = (false, false, 0u8);
    let (mut prev, mut hms, mut ap) = (' ', false, false);
    for s in code.chars() {
        match (s, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => quoted = true,
            (';', ..) => return Format::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Format::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Format::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Format::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Format::Other
}

/// A positive decimal number of ASCII digits.
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0')),
    )
}

/// "B7" → (6, 1), zero-based.
fn cell_position(reference: &[u8]) -> Option<(u32, u32)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = reference[..letters]
        .iter()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let row = number(&reference[letters..])?;
    Some((row.checked_sub(1)?, col - 1))
}

/// XML text or an attribute value with its five named and numeric character references resolved;
/// `None` for what only calamine handles (other entities, `_xHHHH_` escapes, carriage returns).
fn unescape(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    if text.contains("_x") || text.contains('\r') {
        return None;
    }
    if !text.contains('&') {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..end];
        out.push(match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// One tag: its local name (a `x:` prefix kept, so such files go to calamine), whether it closes
/// (`</c>`) or is empty (`<c/>`), and its raw attributes.
struct Tag<'a> {
    name: &'a [u8],
    closing: bool,
    empty: bool,
    attrs: &'a [u8],
}

impl<'a> Tag<'a> {
    /// An attribute's raw value (entities not resolved).
    fn attr(&self, name: &[u8]) -> Option<&'a [u8]> {
        let [value] = self.attrs([name]);
        value
    }

    /// Several attributes' raw values in one pass over the tag (a cell asks for r, s and t);
    /// the first of a repeated name wins, and the walk stops at malformed markup.
    fn attrs<const N: usize>(&self, names: [&[u8]; N]) -> [Option<&'a [u8]>; N] {
        let mut found = [None; N];
        let mut rest = self.attrs;
        while let Some(at) = rest.iter().position(|b| !b.is_ascii_whitespace()) {
            rest = &rest[at..];
            let Some(eq) = find_byte(b'=', rest) else {
                break;
            };
            let key = rest[..eq].trim_ascii_end();
            let after = rest[eq + 1..].trim_ascii_start();
            let Some(&quote) = after.first().filter(|&&q| q == b'"' || q == b'\'') else {
                break;
            };
            let Some(len) = find_byte(quote, &after[1..]) else {
                break;
            };
            // Names are a byte or a few: compared inline, not through memcmp.
            let slot = names
                .iter()
                .position(|n| n.len() == key.len() && n.iter().zip(key).all(|(a, b)| a == b));
            if let Some(i) = slot
                && found[i].is_none()
            {
                found[i] = Some(&after[1..1 + len]);
            }
            rest = &after[len + 2..];
        }
        found
    }
}

/// The tags of an XML part in order; text between them is reached with `text_to_end`.
/// Comments, processing instructions and declarations are passed over; CDATA stops the walk.
struct Tags<'a> {
    xml: &'a [u8],
    pos: usize,
}

impl<'a> Tags<'a> {
    fn new(xml: &'a [u8]) -> Self {
        Tags { xml, pos: 0 }
    }

    /// The text up to the end tag `</name>`, which must come next.
    fn text_to_end(&mut self, name: &[u8]) -> Option<&'a [u8]> {
        let rest = &self.xml[self.pos..];
        let lt = find_byte(b'<', rest)?;
        let text = &rest[..lt];
        self.pos += lt;
        let tag = self.next()?;
        (tag.closing && tag.name == name).then_some(text)
    }

    /// Passes over everything up to the end tag `</name>` (which must not nest).
    fn skip_to_end(&mut self, name: &[u8]) -> Option<()> {
        loop {
            let tag = self.next()?;
            if tag.name == name {
                return tag.closing.then_some(());
            }
        }
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        loop {
            let rest = &self.xml[self.pos..];
            let lt = find_byte(b'<', rest)?;
            let body = &rest[lt + 1..];
            if body.starts_with(b"![CDATA[") {
                return None;
            }
            if body.starts_with(b"!--") {
                self.pos += lt + 1 + memmem::find(body, b"-->")? + 3;
                continue;
            }
            let gt = tag_end(body)?;
            self.pos += lt + 1 + gt + 1;
            let inner = &body[..gt];
            if inner.starts_with(b"?") || inner.starts_with(b"!") {
                continue;
            }
            let (closing, inner) = match inner.strip_prefix(b"/") {
                Some(i) => (true, i),
                None => (false, inner),
            };
            let (empty, inner) = match inner.strip_suffix(b"/") {
                Some(i) => (true, i),
                None => (false, inner),
            };
            let name_len = inner
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(inner.len());
            return Some(Tag {
                name: &inner[..name_len],
                closing,
                empty,
                attrs: &inner[name_len..],
            });
        }
    }
}

/// The `>` that ends a tag, skipping any inside quoted attribute values.
fn tag_end(body: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        match b {
            b'>' => return Some(i),
            b'"' | b'\'' => i += 1 + find_byte(b, &body[i + 1..])?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first `byte` in `hay`. Markup spans are short (a tag, a number): a plain loop over the first
/// bytes beats memchr's setup there; memchr takes over beyond (long texts, skipped parts).
#[inline]
fn find_byte(byte: u8, hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 24;
    if let Some(i) = hay.iter().take(SHORT).position(|&b| b == byte) {
        return Some(i);
    }
    let rest = hay.get(SHORT..)?;
    memchr::memchr(byte, rest).map(|i| i + SHORT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Sheets, open_workbook_auto_from_rs};
    use std::path::Path;

    /// Every sheet of every .xlsx fixture this reader accepts reads exactly as calamine reads it.
    #[test]
    fn same_cells_as_calamine() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures");
        let mut files = Vec::new();
        collect(&root, &mut files);
        let (mut compared, mut left) = (0, 0);
        for file in &files {
            let bytes = std::fs::read(file).expect("fixture");
            let Ok(Some(mut lean)) = LeanWorkbook::open(&bytes) else {
                left += 1;
                continue;
            };
            let Ok(mut full): Result<Sheets<_>, _> =
                open_workbook_auto_from_rs(Cursor::new(&bytes[..]))
            else {
                continue;
            };
            assert_eq!(lean.sheet_names(), full.sheet_names(), "{}", file.display());
            for name in lean.sheet_names() {
                let Ok(Lean::Read(SheetCells { range: ours, .. })) = lean.worksheet(&name) else {
                    left += 1;
                    continue;
                };
                let theirs = full.worksheet_range(&name).expect("calamine reads it");
                assert_eq!(ours.start(), theirs.start(), "{} {name}", file.display());
                assert_eq!(ours.end(), theirs.end(), "{} {name}", file.display());
                let a: Vec<_> = ours.used_cells().collect();
                let b: Vec<_> = theirs.used_cells().collect();
                assert_eq!(a, b, "{} {name}", file.display());
                compared += 1;
            }
        }
        println!("{compared} sheets read alike, {left} left to calamine");
        assert!(compared > 100, "compared {compared} sheets, left {left}");
    }

    fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "xlsm")
            ) {
                out.push(path);
            }
        }
    }

    /// Damaged XML (cut short, bytes changed to markup, pieces cut out) gets `None` or cells, never
    /// a panic: every part of a real submission, 1,000 damaged copies each.
    #[test]
    fn damaged_parts_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../fixtures/submissions");
        let bytes = std::fs::read(root.join("ptsp-2020-good.xlsx")).expect("fixture");
        let book = LeanWorkbook::open(&bytes)
            .expect("within the limits")
            .expect("lean");
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).expect("zip");
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        let mut rng = fastrand::Rng::with_seed(20261201);
        let markup = b"<>/\"'= &;#x_rvcsi0";
        for name in names
            .iter()
            .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
        {
            let original = part(&mut zip, name).expect("part");
            for _ in 0..1_000 {
                let mut xml = original.clone();
                match rng.u8(0..3) {
                    0 => xml.truncate(rng.usize(0..=xml.len())),
                    1 => {
                        for _ in 0..rng.usize(1..8) {
                            let at = rng.usize(0..xml.len());
                            xml[at] = markup[rng.usize(0..markup.len())];
                        }
                    }
                    _ => {
                        let from = rng.usize(0..xml.len());
                        let to = rng.usize(from..=xml.len().min(from + 40));
                        xml.drain(from..to);
                    }
                }
                let _ = book.cells(&xml);
                let _ = shared_strings(&xml);
                let _ = cell_formats(&xml);
                let _ = relationships(&xml);
            }
        }
    }

    #[test]
    fn date_formats_are_classified_as_calamine_does() {
        assert_eq!(custom_format("yyyy-mm-dd"), Format::DateTime);
        assert_eq!(custom_format("yyyy\"年\"m\"月\"d\"日\""), Format::DateTime);
        assert_eq!(custom_format("#,##0.00"), Format::Other);
        assert_eq!(custom_format("[h]:mm:ss"), Format::TimeDelta);
        assert_eq!(
            custom_format("\"¥\"#,##0.00;[Red]-\"¥\"#,##0.00"),
            Format::Other
        );
        assert_eq!(builtin_format(b"14"), Format::DateTime);
        assert_eq!(builtin_format(b"4"), Format::Other);
    }

    #[test]
    fn references_and_escapes() {
        assert_eq!(cell_position(b"A1"), Some((0, 0)));
        assert_eq!(cell_position(b"AB12"), Some((11, 27)));
        assert_eq!(cell_position(b"a1"), None);
        assert_eq!(
            unescape(b"R&amp;D &#x4E2D;&#23665;").as_deref(),
            Some("R&D 中山")
        );
        assert_eq!(unescape(b"_x000D_"), None);
        assert_eq!(unescape(b"&nbsp;"), None);
    }
}
