//! Hostile workbooks for the tests: a real submission with parts replaced or added, among them zip
//! bombs (a part that inflates to gigabytes from a few megabytes, its declared size honest or a
//! lie). Built without inflating anything: a chunk of the filler is deflated once and its
//! compressed block repeated, so a 6 GiB bomb is written in well under a second.
//!
//! Used by `tests/generate_fixtures.rs` (the small ones kept in `fixtures/submissions/hostile/`)
//! and by the tests that measure the memory a refused bomb costs (`desk-cli/tests/import.rs`).

use std::io::{Cursor, Read};

use flate2::{Compress, Compression, Crc, FlushCompress};

/// What a part of the rebuilt package holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// These bytes, deflated.
    Bytes(Vec<u8>),
    /// `head`, then `unit` repeated until the part is `inflated` bytes long, then `tail`; its
    /// local and central headers declare `declared` bytes (`None`: the truth). Its CRC is right
    /// only when `crc` is asked for (computing it reads every byte).
    Bomb {
        head: Vec<u8>,
        unit: Vec<u8>,
        tail: Vec<u8>,
        inflated: u64,
        declared: Option<u32>,
        crc: bool,
    },
}

impl Content {
    /// A worksheet of `inflated` bytes: rows of one inline-string cell of 30,000 characters each,
    /// over and over (runs of one letter deflate ~1,000 to 1).
    pub fn sheet_bomb(inflated: u64, declared: Option<u32>, crc: bool) -> Content {
        Content::Bomb {
            head: br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.to_vec(),
            unit: [
                &br#"<row><c t="inlineStr"><is><t>"#[..],
                &[b'A'; 30_000],
                b"</t></is></c></row>",
            ]
            .concat(),
            tail: b"</sheetData></worksheet>".to_vec(),
            inflated,
            declared,
            crc,
        }
    }

    /// A shared strings table of `inflated` bytes.
    pub fn strings_bomb(inflated: u64, declared: Option<u32>, crc: bool) -> Content {
        Content::Bomb {
            head: br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.to_vec(),
            unit: [&b"<si><t>"[..], &[b'A'; 30_000], b"</t></si>"].concat(),
            tail: b"</sst>".to_vec(),
            inflated,
            declared,
            crc,
        }
    }

    /// Zeros: an image or any part the import never reads.
    pub fn zeros(inflated: u64, declared: Option<u32>, crc: bool) -> Content {
        Content::Bomb {
            head: Vec::new(),
            unit: vec![0; 4096],
            tail: Vec::new(),
            inflated,
            declared,
            crc,
        }
    }
}

/// One part of the package as it is written: name, method, CRC, sizes, compressed bytes.
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: Vec<u8>,
    size: u32,
}

fn deflate_piece(data: &[u8], flush: FlushCompress) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 1024);
    loop {
        let consumed = c.total_in() as usize;
        out.reserve(64 << 10);
        let status = c
            .compress_vec(&data[consumed..], &mut out, flush)
            .expect("deflate");
        if c.total_in() as usize == data.len()
            && (status == flate2::Status::StreamEnd
                || (flush != FlushCompress::Finish && out.capacity() > out.len()))
        {
            return out;
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_piece(data, FlushCompress::Finish)
}

/// The bomb's deflate stream: independent, byte-aligned pieces (each fully flushed) in a row.
fn bomb_entry(name: &str, content: &Content) -> Entry {
    let Content::Bomb {
        head,
        unit,
        tail,
        inflated,
        declared,
        crc: with_crc,
    } = content
    else {
        unreachable!("bomb_entry takes bombs");
    };
    // Whole units a chunk, so that the chunks join into whole rows.
    let chunk_units = ((1usize << 20) / unit.len()).max(1);
    let chunk: Vec<u8> = unit.repeat(chunk_units);
    let size = chunk.len() as u64;
    let body = inflated.saturating_sub((head.len() + tail.len()) as u64);
    let chunks = body / size;
    let rest = (body % size) as usize;
    let mut compressed = deflate_piece(head, FlushCompress::Full);
    let block = deflate_piece(&chunk, FlushCompress::Full);
    for _ in 0..chunks {
        compressed.extend_from_slice(&block);
    }
    // The rest in whole units, padded with spaces (whitespace between rows), then the tail.
    let whole = rest / unit.len() * unit.len();
    let mut last = chunk[..whole].to_vec();
    last.resize(rest, b' ');
    last.extend_from_slice(tail);
    compressed.extend(deflate_piece(&last, FlushCompress::Finish));
    let crc = if *with_crc {
        let mut c = Crc::new();
        c.update(head);
        for _ in 0..chunks {
            c.update(&chunk);
        }
        c.update(&last);
        c.sum()
    } else {
        0
    };
    let size = declared.unwrap_or_else(|| u32::try_from(*inflated).expect("under 4 GiB"));
    Entry {
        name: name.to_string(),
        method: 8,
        crc,
        compressed,
        size,
    }
}

/// `base` (a workbook's bytes) with each named part replaced, or added when it has none.
pub fn rebuild(base: &[u8], changes: &[(&str, Content)]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(base)).expect("a workbook");
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index_raw(i).expect("part");
        let name = file.name().expect("name").into_owned();
        if changes.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let method = match file.compression() {
            zip::CompressionMethod::Stored => 0,
            _ => 8,
        };
        let (crc, size) = (file.crc32(), file.size() as u32);
        let mut compressed = Vec::new();
        file.read_to_end(&mut compressed).expect("raw");
        entries.push(Entry {
            name,
            method,
            crc,
            compressed,
            size,
        });
    }
    for (name, content) in changes {
        entries.push(match content {
            Content::Bytes(bytes) => {
                let mut crc = Crc::new();
                crc.update(bytes);
                Entry {
                    name: name.to_string(),
                    method: 8,
                    crc: crc.sum(),
                    compressed: deflate(bytes),
                    size: bytes.len() as u32,
                }
            }
            bomb => bomb_entry(name, bomb),
        });
    }
    write_zip(&entries)
}

/// A part of `base`, inflated (to edit it).
pub fn part_text(base: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(base)).expect("a workbook");
    let mut text = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut text)
        .expect("text");
    text
}

fn write_zip(entries: &[Entry]) -> Vec<u8> {
    let total: usize = entries.iter().map(|e| e.compressed.len() + 128).sum();
    let mut out = Vec::with_capacity(total + 1024);
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        let csize = u32::try_from(e.compressed.len()).expect("under 4 GiB");
        let name = e.name.as_bytes();
        u32le(&mut out, 0x0403_4b50);
        for x in [20, 0, e.method, 0, 0x21] {
            u16le(&mut out, x);
        }
        for x in [e.crc, csize, e.size] {
            u32le(&mut out, x);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.compressed);

        u32le(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, e.method, 0, 0x21] {
            u16le(&mut central, x);
        }
        for x in [e.crc, csize, e.size] {
            u32le(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_at = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0, 0, entries.len() as u16, entries.len() as u16] {
        u16le(&mut out, x);
    }
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}
