//! The marked-up copy of an .xlsx/.xlsm made by editing the applicant's own package: every part is
//! copied as it was (raw, not even re-compressed) but for the few that carry the marks: styles.xml
//! gains one fill and, per style a flagged cell had, a copy of that cell format with the fill; each
//! flagged cell's `s` points at its copy (value, type and formula untouched; a cell that was not in
//! the sheet is added empty); each flagged sheet gets its notes (a comments part and its VML
//! drawing, or the ones it had, extended); and a 错误清单 sheet of inline strings, linked to each
//! cell, is added last. Shared strings, other sheets, formulas, merged cells, columns and rows are
//! never rewritten.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::cells::cell_ref;
use crate::read::CellError;

const REL_SHEET: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const REL_STYLES: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const CT_SHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const AUTHOR: &str = "扶持资金案件台";
/// The fill of a wrong cell (the same light red as Excel's “bad” style).
const FILL: &str = r#"<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>"#;

type Fail = String;

/// One element found in a part: where its start tag begins and ends, where it ends as a whole.
#[derive(Debug, Clone)]
struct El {
    name: String,
    depth: usize,
    start: usize,
    tag_end: usize,
    end: usize,
    empty: bool,
    attrs: Vec<(String, String)>,
}

impl El {
    fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(local))
            .map(|(_, v)| v.as_str())
    }
    /// The end tag's start (or the start tag's end for an empty element): where a child goes last.
    fn inner_end(&self, xml: &[u8]) -> usize {
        if self.empty {
            return self.tag_end;
        }
        xml[..self.end]
            .iter()
            .rposition(|&b| b == b'<')
            .unwrap_or(self.end)
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or_default().to_string()
}

fn attrs_of(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            (
                AsRef::<str>::as_ref(&a.key).to_string(),
                quick_xml::escape::unescape(&a.value)
                    .map(|v| v.into_owned())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// Every element of a (small) part down to `max_depth`, in document order.
fn index(xml: &[u8], max_depth: usize) -> Result<Vec<El>, Fail> {
    let mut reader = Reader::from_reader(xml);
    let mut out: Vec<El> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| format!("XML 有误：{e}"))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth <= max_depth {
                    open.push(out.len());
                    out.push(El {
                        name: local(e.name().as_ref()),
                        depth,
                        start: before,
                        tag_end: after,
                        end: after,
                        empty: false,
                        attrs: attrs_of(&e),
                    });
                } else {
                    open.push(usize::MAX);
                }
            }
            Event::Empty(e) if depth < max_depth => {
                out.push(El {
                    name: local(e.name().as_ref()),
                    depth: depth + 1,
                    start: before,
                    tag_end: after,
                    end: after,
                    empty: true,
                    attrs: attrs_of(&e),
                });
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some(i) = open.pop()
                    && i != usize::MAX
                {
                    out[i].end = after;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// A start tag written again with some attributes set (others kept byte for byte in value).
fn retag(xml: &[u8], el: &El, set: &[(&str, String)]) -> Vec<u8> {
    let mut reader = Reader::from_reader(&xml[el.start..el.tag_end]);
    let mut out = Vec::new();
    if let Ok(Event::Start(e) | Event::Empty(e)) = reader.read_event() {
        out.push(b'<');
        out.extend_from_slice(AsRef::<str>::as_ref(&e.name()).as_bytes());
        for a in e.attributes().flatten() {
            let key = AsRef::<str>::as_ref(&a.key).to_string();
            // An attribute set keeps its place.
            if let Some((k, v)) = set.iter().find(|(k, _)| *k == key) {
                out.extend_from_slice(format!(" {k}=\"{}\"", esc(v)).as_bytes());
                continue;
            }
            out.push(b' ');
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"=\"");
            // Raw (still escaped) value; a quote inside a single-quoted value is escaped again.
            for &b in a.value.as_bytes() {
                if b == b'"' {
                    out.extend_from_slice(b"&quot;");
                } else {
                    out.push(b);
                }
            }
            out.push(b'"');
        }
        for (k, v) in set {
            let had = e
                .attributes()
                .flatten()
                .any(|a| AsRef::<str>::as_ref(&a.key) == *k);
            if !had {
                out.extend_from_slice(format!(" {k}=\"{}\"", esc(v)).as_bytes());
            }
        }
        out.extend_from_slice(if el.empty { b"/>" } else { b">" });
    }
    out
}

/// Replacements by byte range, applied back to front.
fn apply(xml: &[u8], mut edits: Vec<(usize, usize, Vec<u8>)>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = Vec::with_capacity(xml.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut at = 0;
    for (from, to, with) in edits {
        out.extend_from_slice(&xml[at..from.max(at)]);
        out.extend_from_slice(&with);
        at = to.max(at);
    }
    out.extend_from_slice(&xml[at..]);
    out
}

/// "C7" → (row 7, column 3), both 1-based.
fn position(cell: &str) -> Option<(u32, u32)> {
    let letters = cell.bytes().take_while(u8::is_ascii_uppercase).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let row: u32 = cell[letters..].parse().ok()?;
    let col = cell[..letters]
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    (row >= 1).then_some((row, col))
}

/// A part's folder-relative target resolved to a package path.
fn resolve(base_part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_part.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn relative(from_part: &str, to_part: &str) -> String {
    let depth = from_part.matches('/').count();
    format!("{}{to_part}", "../".repeat(depth))
}

/// A part's name from the folder of `from` (which holds it, as the workbook holds its sheets).
fn relative_to_dir(from: &str, part: &str) -> String {
    let dir = from
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    part.strip_prefix(&dir)
        .map(String::from)
        .unwrap_or_else(|| format!("/{part}"))
}

fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

struct Package {
    order: Vec<String>,
    parts: HashMap<String, Vec<u8>>,
    changed: HashSet<String>,
    removed: HashSet<String>,
}

impl Package {
    fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts.get(name).map(Vec::as_slice)
    }
    fn put(&mut self, name: &str, bytes: Vec<u8>) {
        if !self.order.iter().any(|n| n == name) {
            self.order.push(name.to_string());
        }
        self.parts.insert(name.to_string(), bytes);
        self.changed.insert(name.to_string());
    }
    fn free_name(&self, prefix: &str, ext: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}{n}.{ext}"))
            .find(|n| !self.order.contains(n))
            .unwrap_or_default()
    }
}

/// A relationships part's entries (Id, Type, Target) and the edit that adds one.
fn relationships(xml: &[u8]) -> Result<Vec<El>, Fail> {
    Ok(index(xml, 2)?
        .into_iter()
        .filter(|e| e.name == "Relationship")
        .collect())
}

fn add_relationship(
    pkg: &mut Package,
    owner: &str,
    kind: &str,
    target: &str,
) -> Result<String, Fail> {
    let path = rels_of(owner);
    let xml = pkg.get(&path).map(<[u8]>::to_vec).unwrap_or_else(|| {
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#
            .to_vec()
    });
    let els = index(&xml, 2)?;
    let ids: HashSet<&str> = els.iter().filter_map(|e| e.attr("Id")).collect();
    let id = (1..)
        .map(|n| format!("rIdDesk{n}"))
        .find(|i| !ids.contains(i.as_str()))
        .unwrap_or_default();
    let root = els
        .iter()
        .find(|e| e.depth == 1)
        .ok_or("关系部分没有根元素")?;
    let at = root.inner_end(&xml);
    let entry = format!(
        r#"<Relationship Id="{id}" Type="{kind}" Target="{}"/>"#,
        esc(target)
    );
    let new = if root.empty {
        let whole = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{entry}</Relationships>"#
        );
        apply(&xml, vec![(root.start, root.end, whole.into_bytes())])
    } else {
        apply(&xml, vec![(at, at, entry.into_bytes())])
    };
    pkg.put(&path, new);
    Ok(id)
}

fn add_content_type(pkg: &mut Package, part: &str, ct: &str) -> Result<(), Fail> {
    let name = "[Content_Types].xml";
    let xml = pkg.get(name).ok_or("缺少 [Content_Types].xml")?.to_vec();
    let els = index(&xml, 2)?;
    let root = els
        .iter()
        .find(|e| e.depth == 1)
        .ok_or("类型部分没有根元素")?;
    let ext = part.rsplit('.').next().unwrap_or_default();
    let by_default = els.iter().any(|e| {
        e.name == "Default"
            && e.attr("Extension")
                .is_some_and(|x| x.eq_ignore_ascii_case(ext))
            && e.attr("ContentType") == Some(ct)
    });
    if by_default {
        return Ok(());
    }
    let entry = if ext == "vml"
        && !els.iter().any(|e| {
            e.name == "Default"
                && e.attr("Extension")
                    .is_some_and(|x| x.eq_ignore_ascii_case("vml"))
        }) {
        format!(r#"<Default Extension="vml" ContentType="{ct}"/>"#)
    } else {
        format!(
            r#"<Override PartName="/{}" ContentType="{ct}"/>"#,
            esc(part)
        )
    };
    let at = root.inner_end(&xml);
    pkg.put(name, apply(&xml, vec![(at, at, entry.into_bytes())]));
    Ok(())
}

/// Adds the fill and one marked copy of each cell format used; returns old xf → new xf.
fn mark_styles(
    pkg: &mut Package,
    styles: &str,
    used: &HashSet<u32>,
) -> Result<HashMap<u32, u32>, Fail> {
    let xml = pkg.get(styles).ok_or("缺少样式部分")?.to_vec();
    let els = index(&xml, 3)?;
    let fills = els
        .iter()
        .find(|e| e.depth == 2 && e.name == "fills")
        .ok_or("样式部分没有 fills")?;
    let fill_count = els
        .iter()
        .filter(|e| e.depth == 3 && e.name == "fill" && e.start > fills.start && e.end <= fills.end)
        .count();
    let xfs_el = els
        .iter()
        .find(|e| e.depth == 2 && e.name == "cellXfs")
        .ok_or("样式部分没有 cellXfs")?;
    let xfs: Vec<&El> = els
        .iter()
        .filter(|e| e.depth == 3 && e.name == "xf" && e.start > xfs_el.start && e.end <= xfs_el.end)
        .collect();
    if xfs.is_empty() || fills.empty || xfs_el.empty {
        return Err("样式部分为空".into());
    }
    let mut map = HashMap::new();
    let mut added = Vec::new();
    let mut used: Vec<u32> = used.iter().copied().collect();
    used.sort_unstable();
    for s in used {
        let base = xfs.get(s as usize).copied().unwrap_or(xfs[0]);
        let tag = retag(
            &xml,
            base,
            &[
                ("fillId", fill_count.to_string()),
                ("applyFill", "1".into()),
            ],
        );
        added.extend_from_slice(&tag);
        added.extend_from_slice(&xml[base.tag_end..base.end]);
        map.insert(s, (xfs.len() + map.len()) as u32);
    }
    let fills_end = fills.inner_end(&xml);
    let xfs_end = xfs_el.inner_end(&xml);
    let edits = vec![
        (
            fills.start,
            fills.tag_end,
            retag(&xml, fills, &[("count", (fill_count + 1).to_string())]),
        ),
        (fills_end, fills_end, FILL.as_bytes().to_vec()),
        (
            xfs_el.start,
            xfs_el.tag_end,
            retag(
                &xml,
                xfs_el,
                &[("count", (xfs.len() + map.len()).to_string())],
            ),
        ),
        (xfs_end, xfs_end, added),
    ];
    pkg.put(styles, apply(&xml, edits));
    Ok(map)
}

/// The `s` of each flagged cell as the sheet has it (0 when the cell is absent or plain).
fn styles_used(xml: &[u8], cells: &HashSet<(u32, u32)>) -> Result<HashMap<(u32, u32), u32>, Fail> {
    let mut found = HashMap::new();
    walk_cells(xml, cells, |pos, el| {
        found.insert(
            pos,
            el.and_then(|e| e.attr("s"))
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
        );
        Vec::new()
    })?;
    Ok(found)
}

/// What [`walk_cells`] does at a flagged cell (present or not).
type Visit<'a> = dyn FnMut((u32, u32), Option<&El>) -> Vec<u8> + 'a;

/// Walks a sheet's cells; `visit(position, the cell if present, its row's element)` gives the bytes
/// that replace the cell's start tag (or, for a cell not in the sheet, the bytes to insert where it
/// belongs). Returns the edits. Also handles rows not in the sheet.
fn walk_cells(
    xml: &[u8],
    cells: &HashSet<(u32, u32)>,
    mut visit: impl FnMut((u32, u32), Option<&El>) -> Vec<u8>,
) -> Result<Vec<(usize, usize, Vec<u8>)>, Fail> {
    let mut wanted: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(r, c) in cells {
        wanted.entry(r).or_default().push(c);
    }
    for cols in wanted.values_mut() {
        cols.sort_unstable();
    }
    let mut reader = Reader::from_reader(xml);
    let mut edits = Vec::new();
    let mut depth = 0usize;
    let mut in_data = false;
    let mut row_no = 0u32;
    let mut col_no = 0u32;
    let mut row_left: Vec<u32> = Vec::new();
    let mut done_rows: HashSet<u32> = HashSet::new();
    let new_row = |r: u32, cols: &[u32], visit: &mut Visit<'_>| {
        let mut b = format!(r#"<row r="{r}">"#).into_bytes();
        for &c in cols {
            b.extend(visit((r, c), None));
        }
        b.extend_from_slice(b"</row>");
        b
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| format!("工作表 XML 有误：{e}"))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = after > 1 && xml[after - 2] == b'/';
                let name = local(e.name().as_ref());
                let el = El {
                    name: name.clone(),
                    depth: depth + 1,
                    start: before,
                    tag_end: after,
                    end: after,
                    empty,
                    attrs: attrs_of(&e),
                };
                if depth == 1 && name == "sheetData" {
                    in_data = !empty;
                    if empty {
                        // <sheetData/>: every wanted row goes in.
                        let mut b = b"<sheetData>".to_vec();
                        for (&r, cols) in &wanted {
                            b.extend(new_row(r, cols, &mut visit));
                        }
                        b.extend_from_slice(b"</sheetData>");
                        edits.push((before, after, b));
                        done_rows.extend(wanted.keys());
                    }
                } else if in_data && depth == 2 && name == "row" {
                    row_no = el
                        .attr("r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(row_no + 1);
                    col_no = 0;
                    // Rows wanted before this one that the sheet does not have.
                    for (&r, cols) in wanted.range(..row_no) {
                        if done_rows.insert(r) {
                            edits.push((before, before, new_row(r, cols, &mut visit)));
                        }
                    }
                    row_left = wanted.get(&row_no).cloned().unwrap_or_default();
                    done_rows.insert(row_no);
                    if empty && !row_left.is_empty() {
                        let mut b = retag(xml, &el, &[]);
                        b.truncate(b.len().saturating_sub(2));
                        b.push(b'>');
                        for c in std::mem::take(&mut row_left) {
                            b.extend(visit((row_no, c), None));
                        }
                        b.extend_from_slice(b"</row>");
                        edits.push((before, after, b));
                    }
                } else if in_data && depth == 3 && name == "c" {
                    col_no = el
                        .attr("r")
                        .and_then(position)
                        .map(|p| p.1)
                        .unwrap_or(col_no + 1);
                    while let Some(&c) = row_left.first() {
                        if c < col_no {
                            row_left.remove(0);
                            edits.push((before, before, visit((row_no, c), None)));
                        } else {
                            break;
                        }
                    }
                    if row_left.first() == Some(&col_no) {
                        row_left.remove(0);
                        let with = visit((row_no, col_no), Some(&el));
                        edits.push((before, after, with));
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                let name = local(e.name().as_ref());
                if in_data && depth == 3 && name == "row" {
                    for c in std::mem::take(&mut row_left) {
                        edits.push((before, before, visit((row_no, c), None)));
                    }
                } else if in_data && depth == 2 && name == "sheetData" {
                    in_data = false;
                    for (&r, cols) in &wanted {
                        if done_rows.insert(r) {
                            edits.push((before, before, new_row(r, cols, &mut visit)));
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(edits)
}

/// A note's shape; `block` is the drawing's id block (VML shape ids are block × 1024 + n, unique
/// in the workbook).
fn note_shape(block: usize, n: usize, row: u32, col: u32) -> String {
    // Row and column in VML are 0-based; the anchor puts the note to the right of the cell.
    let (r0, c0) = (row - 1, col - 1);
    format!(
        r##"<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:80pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{a1}, 15, {a2}, 2, {a3}, 15, {a4}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>"##,
        id = block * 1024 + 1 + n,
        z = n + 1,
        a1 = c0 + 1,
        a2 = r0,
        a3 = c0 + 4,
        a4 = r0 + 4,
    )
}

const SHAPETYPE: &str = r##"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"##;

fn new_vml(block: usize, shapes: &str) -> Vec<u8> {
    format!(
        r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>{SHAPETYPE}{shapes}</xml>"#
    )
    .into_bytes()
}

fn comment_xml(cell: &str, author: usize, text: &str) -> String {
    format!(
        r#"<comment ref="{cell}" authorId="{author}"><text><r><rPr><b/><sz val="9"/><color rgb="FFC00000"/><rFont val="宋体"/></rPr><t xml:space="preserve">{}</t></r></text></comment>"#,
        esc(text)
    )
}

/// Notes on one sheet: new comments and VML parts, or the sheet's own extended.
fn add_notes(
    pkg: &mut Package,
    sheet: &str,
    notes: &[((u32, u32), String)],
    block: usize,
    sheet_edits: &mut Vec<(usize, usize, Vec<u8>)>,
) -> Result<(), Fail> {
    let sheet_xml = pkg.get(sheet).ok_or("缺少工作表部分")?.to_vec();
    let rels_path = rels_of(sheet);
    let rels = match pkg.get(&rels_path) {
        Some(x) => relationships(x)?,
        None => Vec::new(),
    };
    let target_of = |kind: &str| {
        rels.iter()
            .find(|r| r.attr("Type") == Some(kind) && r.attr("TargetMode") != Some("External"))
            .and_then(|r| r.attr("Target"))
            .map(|t| resolve(sheet, t))
            .filter(|p| pkg.parts.contains_key(p))
    };
    let (comments_part, vml_part) = (target_of(REL_COMMENTS), target_of(REL_VML));
    // Comments: the sheet's own, or a new part.
    match comments_part {
        Some(part) => {
            let xml = pkg.get(&part).unwrap_or_default().to_vec();
            let els = index(&xml, 3)?;
            let authors = els.iter().find(|e| e.depth == 2 && e.name == "authors");
            let list = els
                .iter()
                .find(|e| e.depth == 2 && e.name == "commentList")
                .ok_or("批注部分没有 commentList")?;
            let count = els
                .iter()
                .filter(|e| e.depth == 3 && e.name == "author")
                .count();
            let mut edits = Vec::new();
            match authors {
                Some(a) if !a.empty => {
                    let at = a.inner_end(&xml);
                    edits.push((
                        at,
                        at,
                        format!("<author>{}</author>", esc(AUTHOR)).into_bytes(),
                    ));
                }
                Some(a) => edits.push((
                    a.start,
                    a.end,
                    format!("<authors><author>{}</author></authors>", esc(AUTHOR)).into_bytes(),
                )),
                None => edits.push((
                    list.start,
                    list.start,
                    format!("<authors><author>{}</author></authors>", esc(AUTHOR)).into_bytes(),
                )),
            }
            let existing: HashMap<(u32, u32), &El> = els
                .iter()
                .filter(|e| e.depth == 3 && e.name == "comment")
                .filter_map(|e| Some((position(e.attr("ref")?)?, e)))
                .collect();
            let mut added = String::new();
            for (pos, text) in notes {
                match existing.get(pos) {
                    // The applicant's own note on the cell stays; the message follows it.
                    Some(c) => {
                        let inner = &xml[c.tag_end..c.end];
                        let close = memchr::memmem::rfind(inner, b"</text>")
                            .or_else(|| memchr::memmem::rfind(inner, b"</x:text>"));
                        if let Some(i) = close {
                            let at = c.tag_end + i;
                            edits.push((at, at, format!(r#"<r><rPr><b/><sz val="9"/><color rgb="FFC00000"/></rPr><t xml:space="preserve">{}</t></r>"#, esc(&format!("\n{text}"))).into_bytes()));
                        }
                    }
                    None => {
                        added.push_str(&comment_xml(&cell_ref(pos.0 - 1, pos.1 - 1), count, text))
                    }
                }
            }
            if list.empty {
                edits.push((
                    list.start,
                    list.end,
                    format!("<commentList>{added}</commentList>").into_bytes(),
                ));
            } else {
                let at = list.inner_end(&xml);
                edits.push((at, at, added.into_bytes()));
            }
            pkg.put(&part, apply(&xml, edits));
        }
        None => {
            let part = pkg.free_name("xl/comments", "xml");
            let body: String = notes
                .iter()
                .map(|(pos, t)| comment_xml(&cell_ref(pos.0 - 1, pos.1 - 1), 0, t))
                .collect();
            pkg.put(
                &part,
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>{}</author></authors><commentList>{body}</commentList></comments>"#,
                    esc(AUTHOR)
                )
                .into_bytes(),
            );
            add_content_type(pkg, &part, CT_COMMENTS)?;
            add_relationship(pkg, sheet, REL_COMMENTS, &relative(sheet, &part))?;
        }
    }
    // The notes' shapes: in the sheet's VML drawing, or a new one.
    let shapes: String = notes
        .iter()
        .enumerate()
        .map(|(i, (pos, _))| note_shape(block, i, pos.0, pos.1))
        .collect();
    match vml_part {
        Some(part) => {
            let xml = pkg.get(&part).unwrap_or_default().to_vec();
            // Shapes for cells that already had a note are there; add the others.
            let had: HashSet<(u32, u32)> = vml_cells(&xml);
            let shapes: String = notes
                .iter()
                .enumerate()
                .filter(|(_, (pos, _))| !had.contains(pos))
                .map(|(i, (pos, _))| note_shape(block, i, pos.0, pos.1))
                .collect();
            let text = String::from_utf8_lossy(&xml);
            let at = text.rfind("</xml>").ok_or("VML 绘图不完整")?;
            let shapetype = if text.contains("_x0000_t202") {
                ""
            } else {
                SHAPETYPE
            };
            pkg.put(
                &part,
                apply(
                    &xml,
                    vec![(at, at, format!("{shapetype}{shapes}").into_bytes())],
                ),
            );
        }
        None => {
            let part = pkg.free_name("xl/drawings/vmlDrawing", "vml");
            pkg.put(&part, new_vml(block, &shapes));
            add_content_type(pkg, &part, CT_VML)?;
            let id = add_relationship(pkg, sheet, REL_VML, &relative(sheet, &part))?;
            // <legacyDrawing> goes after everything but these (CT_Worksheet's order).
            let els = index(&sheet_xml, 2)?;
            let root = els
                .iter()
                .find(|e| e.depth == 1)
                .ok_or("工作表没有根元素")?;
            let after = [
                "legacyDrawingHF",
                "drawingHF",
                "picture",
                "oleObjects",
                "controls",
                "webPublishItems",
                "tableParts",
                "extLst",
            ];
            let at = els
                .iter()
                .find(|e| e.depth == 2 && after.contains(&e.name.as_str()))
                .map(|e| e.start)
                .unwrap_or_else(|| root.inner_end(&sheet_xml));
            let prefix = root
                .attrs
                .iter()
                .find(|(k, v)| k.starts_with("xmlns:") && v == "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
                .map(|(k, _)| k.trim_start_matches("xmlns:").to_string());
            let tag = match prefix {
                Some(p) => format!(r#"<legacyDrawing {p}:id="{id}"/>"#),
                None => format!(
                    r#"<legacyDrawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{id}"/>"#
                ),
            };
            sheet_edits.push((at, at, tag.into_bytes()));
        }
    }
    Ok(())
}

/// The cells a VML drawing already has note shapes for (1-based).
fn vml_cells(xml: &[u8]) -> HashSet<(u32, u32)> {
    let text = String::from_utf8_lossy(xml);
    let mut out = HashSet::new();
    for shape in text.split("<x:ClientData").skip(1) {
        let num = |tag: &str| {
            let open = format!("<x:{tag}>");
            let i = shape.find(&open)? + open.len();
            let j = shape[i..].find('<')? + i;
            shape[i..j].trim().parse::<u32>().ok()
        };
        if let (Some(r), Some(c)) = (num("Row"), num("Column")) {
            out.insert((r + 1, c + 1));
        }
    }
    out
}

fn list_sheet(errors: &[CellError], names: &[String], title: &str, mark: u32) -> Vec<u8> {
    let mut rows = String::new();
    let cell = |r: usize, c: u32, text: &str, s: Option<u32>| {
        let s = s.map(|s| format!(r#" s="{s}""#)).unwrap_or_default();
        format!(
            r#"<c r="{}"{s} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            cell_ref(r as u32, c),
            esc(&crate::ledger::cell_text(text))
        )
    };
    rows.push_str(&format!(r#"<row r="1">{}</row>"#, cell(0, 0, title, None)));
    rows.push_str(&format!(
        r#"<row r="2">{}{}{}{}</row>"#,
        cell(1, 0, "序号", Some(mark)),
        cell(1, 1, "工作表", Some(mark)),
        cell(1, 2, "单元格", Some(mark)),
        cell(1, 3, "问题", Some(mark))
    ));
    let mut links = String::new();
    for (i, e) in errors.iter().enumerate() {
        let r = i + 2;
        let at = if e.cell.is_empty() {
            "—"
        } else {
            e.cell.as_str()
        };
        rows.push_str(&format!(
            r#"<row r="{}"><c r="{}"><v>{}</v></c>{}{}{}</row>"#,
            r + 1,
            cell_ref(r as u32, 0),
            i + 1,
            cell(r, 1, &e.sheet, None),
            cell(r, 2, at, None),
            cell(r, 3, &e.message, None)
        ));
        if let Some(real) = crate::marked::sheet_in(names, &e.sheet)
            && !e.cell.is_empty()
        {
            links.push_str(&format!(
                r#"<hyperlink ref="{}" location="{}" display="{}"/>"#,
                cell_ref(r as u32, 2),
                esc(&format!("'{}'!{}", real.replace('\'', "''"), e.cell)),
                esc(&e.cell)
            ));
        }
    }
    let links = if links.is_empty() {
        String::new()
    } else {
        format!("<hyperlinks>{links}</hyperlinks>")
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="26" customWidth="1"/><col min="3" max="3" width="10" customWidth="1"/><col min="4" max="4" width="100" customWidth="1"/></cols><sheetData>{rows}</sheetData>{links}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    )
    .into_bytes()
}

/// The marked copy of an .xlsx/.xlsm package, or why it could not be made in place.
pub(crate) fn mark(
    bytes: &[u8],
    errors: &[CellError],
    list_name: &str,
    title: &str,
) -> Result<Vec<u8>, Fail> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut pkg = Package {
        order: Vec::new(),
        parts: HashMap::new(),
        changed: HashSet::new(),
        removed: HashSet::new(),
    };
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().map_err(|e| e.to_string())?.into_owned();
        let mut data = Vec::new();
        // A part that cannot be read (damaged) is copied as it is, unless a mark needs it.
        if f.read_to_end(&mut data).is_ok() {
            pkg.parts.insert(name.clone(), data);
        }
        pkg.order.push(name);
    }
    // The workbook part, from the package's relationships.
    let root_rels = relationships(pkg.get("_rels/.rels").ok_or("缺少 _rels/.rels")?)?;
    let wb_part = root_rels
        .iter()
        .find(|r| {
            r.attr("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"))
        })
        .and_then(|r| r.attr("Target"))
        .map(|t| resolve("", t))
        .ok_or("找不到工作簿部分")?;
    let wb_xml = pkg.get(&wb_part).ok_or("缺少工作簿部分")?.to_vec();
    let wb_rels = relationships(pkg.get(&rels_of(&wb_part)).ok_or("缺少工作簿的关系部分")?)?;
    let target = |id: &str| {
        wb_rels
            .iter()
            .find(|r| r.attr("Id") == Some(id))
            .and_then(|r| r.attr("Target"))
            .map(|t| resolve(&wb_part, t))
    };
    let wb_els = index(&wb_xml, 3)?;
    let sheets: Vec<(String, String, &El)> = wb_els
        .iter()
        .filter(|e| e.depth == 3 && e.name == "sheet")
        .filter_map(|e| {
            let name = e.attr("name")?.to_string();
            let part = target(e.attr("id")?)?;
            Some((name, part, e))
        })
        .collect();
    let names: Vec<String> = sheets.iter().map(|s| s.0.clone()).collect();
    // Flagged cells by sheet part, with their messages joined.
    let mut flagged: BTreeMap<String, BTreeMap<(u32, u32), Vec<&str>>> = BTreeMap::new();
    for e in errors {
        let all: Vec<String> = sheets.iter().map(|s| s.0.clone()).collect();
        let real = crate::marked::sheet_in(&all, &e.sheet);
        let (Some((_, part, _)), Some(pos)) = (
            sheets.iter().find(|s| Some(&s.0) == real.as_ref()),
            position(&e.cell),
        ) else {
            continue;
        };
        flagged
            .entry(part.clone())
            .or_default()
            .entry(pos)
            .or_default()
            .push(&e.message);
    }
    // Styles: the marked copy of each format the flagged cells use.
    let styles = wb_rels
        .iter()
        .find(|r| r.attr("Type") == Some(REL_STYLES))
        .and_then(|r| r.attr("Target"))
        .map(|t| resolve(&wb_part, t))
        .ok_or("工作簿没有样式部分")?;
    let mut used_by_part = HashMap::new();
    let mut used = HashSet::new();
    used.insert(0);
    for (part, cells) in &flagged {
        let xml = pkg.get(part).ok_or("缺少工作表部分")?;
        let set: HashSet<(u32, u32)> = cells.keys().copied().collect();
        let found = styles_used(xml, &set)?;
        used.extend(found.values().copied());
        used_by_part.insert(part.clone(), found);
    }
    let marked_xf = mark_styles(&mut pkg, &styles, &used)?;
    for (k, (part, cells)) in flagged.iter().enumerate() {
        let xml = pkg.get(part).ok_or("缺少工作表部分")?.to_vec();
        let set: HashSet<(u32, u32)> = cells.keys().copied().collect();
        let found = &used_by_part[part];
        let mut edits = walk_cells(&xml, &set, |pos, el| {
            let old = found.get(&pos).copied().unwrap_or(0);
            let s = marked_xf.get(&old).copied().unwrap_or(0).to_string();
            match el {
                Some(el) => retag(&xml, el, &[("s", s)]),
                None => {
                    format!(r#"<c r="{}" s="{s}"/>"#, cell_ref(pos.0 - 1, pos.1 - 1)).into_bytes()
                }
            }
        })?;
        let notes: Vec<((u32, u32), String)> = cells
            .iter()
            .map(|(pos, m)| (*pos, format!("需修改：{}", m.join("\n"))))
            .collect();
        // Id blocks from 40 on: far from those Excel and LibreOffice number their drawings with.
        add_notes(&mut pkg, part, &notes, 40 + k, &mut edits)?;
        pkg.put(part, apply(&xml, edits));
    }
    // The 错误清单 sheet: the one of an earlier marking is written again, else a new last sheet.
    let list = list_sheet(errors, &names, title, marked_xf[&0]);
    match sheets.iter().find(|s| s.0 == list_name) {
        Some((_, part, _)) => {
            pkg.put(part, list);
            let at = sheets.iter().position(|s| s.0 == list_name).unwrap_or(0);
            let edits = active_tab(&wb_xml, &wb_els, at);
            pkg.put(&wb_part, apply(&wb_xml, edits));
        }
        None => {
            let part = pkg.free_name("xl/worksheets/sheet", "xml");
            pkg.put(&part, list);
            add_content_type(&mut pkg, &part, CT_SHEET)?;
            let id = add_relationship(
                &mut pkg,
                &wb_part,
                REL_SHEET,
                &relative_to_dir(&wb_part, &part),
            )?;
            let sheets_el = wb_els
                .iter()
                .find(|e| e.depth == 2 && e.name == "sheets")
                .ok_or("工作簿没有 sheets")?;
            let next_id = wb_els
                .iter()
                .filter(|e| e.name == "sheet")
                .filter_map(|e| e.attr("sheetId")?.parse::<u32>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            let key = sheets
                .first()
                .and_then(|s| {
                    s.2.attrs
                        .iter()
                        .find(|(k, _)| k.ends_with(":id"))
                        .map(|(k, _)| k.clone())
                })
                .unwrap_or_else(|| "r:id".into());
            let at = sheets_el.inner_end(&wb_xml);
            let entry = format!(
                r#"<sheet name="{}" sheetId="{next_id}" {key}="{id}"/>"#,
                esc(list_name)
            );
            let mut edits = vec![(at, at, entry.into_bytes())];
            edits.extend(active_tab(&wb_xml, &wb_els, sheets.len()));
            pkg.put(&wb_part, apply(&wb_xml, edits));
        }
    }
    // The list is the one selected tab (two selected tabs would be a group, edited together).
    for (name, part, _) in &sheets {
        if name == list_name {
            continue;
        }
        let Some(xml) = pkg.get(part) else { continue };
        if memchr::memmem::find(xml, b"tabSelected").is_none() {
            continue;
        }
        let xml = xml.to_vec();
        let edits: Vec<_> = index(&xml, 3)?
            .iter()
            .filter(|e| {
                e.name == "sheetView" && matches!(e.attr("tabSelected"), Some("1" | "true"))
            })
            .map(|e| {
                (
                    e.start,
                    e.tag_end,
                    retag(&xml, e, &[("tabSelected", "0".into())]),
                )
            })
            .collect();
        if !edits.is_empty() {
            pkg.put(part, apply(&xml, edits));
        }
    }
    without_macros(&mut pkg, &wb_part)?;
    write(&mut zip, &pkg)
}

/// The workbook opens on sheet `at` (the 错误清单).
fn active_tab(xml: &[u8], els: &[El], at: usize) -> Vec<(usize, usize, Vec<u8>)> {
    els.iter()
        .filter(|e| e.name == "workbookView")
        .map(|e| {
            (
                e.start,
                e.tag_end,
                retag(xml, e, &[("activeTab", at.to_string())]),
            )
        })
        .collect()
}

const CT_MACRO_BOOK: &str = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
const CT_BOOK: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

/// The copy is saved as .xlsx, which Excel opens only without macros: an .xlsm's workbook becomes a
/// plain one and its VBA project (never run here) is left out. Whether there was one: [`has_macros`].
fn without_macros(pkg: &mut Package, wb_part: &str) -> Result<(), Fail> {
    let vba: Vec<String> = pkg
        .order
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
        .cloned()
        .collect();
    let ct_name = "[Content_Types].xml";
    let ct = pkg.get(ct_name).ok_or("缺少 [Content_Types].xml")?.to_vec();
    let els = index(&ct, 2)?;
    let mut edits = Vec::new();
    for e in &els {
        if e.attr("ContentType") == Some(CT_MACRO_BOOK) {
            edits.push((
                e.start,
                e.end,
                retag(&ct, e, &[("ContentType", CT_BOOK.into())]),
            ));
        } else if e.name == "Override"
            && e.attr("PartName")
                .is_some_and(|p| vba.iter().any(|v| p.trim_start_matches('/') == v))
        {
            edits.push((e.start, e.end, Vec::new()));
        }
    }
    if !edits.is_empty() {
        pkg.put(ct_name, apply(&ct, edits));
    }
    let rels_path = rels_of(wb_part);
    if let Some(xml) = pkg.get(&rels_path).map(<[u8]>::to_vec) {
        let edits: Vec<_> = relationships(&xml)?
            .into_iter()
            .filter(|r| r.attr("Type").is_some_and(|t| t.ends_with("/vbaProject")))
            .map(|r| (r.start, r.end, Vec::new()))
            .collect();
        if !edits.is_empty() {
            pkg.put(&rels_path, apply(&xml, edits));
        }
    }
    pkg.removed.extend(vba);
    Ok(())
}

/// Whether a package holds a VBA project (which its marked copy leaves out).
pub(crate) fn has_macros(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|z| {
        z.file_names()
            .any(|n| n.is_ok_and(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin")))
    })
}

fn write(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, pkg: &Package) -> Result<Vec<u8>, Fail> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut copied = HashSet::new();
    for name in &pkg.order {
        if pkg.removed.contains(name) {
            continue;
        }
        if pkg.changed.contains(name) {
            out.start_file(name, options).map_err(|e| e.to_string())?;
            out.write_all(&pkg.parts[name]).map_err(|e| e.to_string())?;
        } else if !copied.contains(name) {
            let f = zip.by_name(name).map_err(|e| e.to_string())?;
            out.raw_copy_file(f).map_err(|e| e.to_string())?;
        }
        copied.insert(name.clone());
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}
