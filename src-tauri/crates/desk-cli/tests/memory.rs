//! What a refused zip bomb costs the import's whole process: `subsidy-desk import --dry-run` run
//! on each, its peak resident memory read from the kernel (getrusage of the waited-for children:
//! the largest any of them reached). Every one must stay under 200 MB, as a plain workbook's import
//! does. Linux only (the figure is the kernel's). Its own test binary, so no other test's children
//! are counted.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

use desk_sheets::hostile::{Content, part_text, rebuild};
use nix::sys::resource::{UsageWho, getrusage};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;
const LIMIT_MB: i64 = 200;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../fixtures/submissions")
        .join(name)
}

/// The largest peak resident memory of any child waited for so far, in MB.
fn children_peak_mb() -> i64 {
    // Linux gives ru_maxrss in kilobytes.
    getrusage(UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage")
        .max_rss()
        / 1024
}

#[test]
fn a_refused_bomb_costs_the_process_under_200_mb() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("bureau.sqlite");
    let init = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .expect("init");
    assert!(init.status.success(), "init"); // only init creates a database
    let base = std::fs::read(fixture("ptsp-2020-good.xlsx")).expect("fixture");
    let leases = "xl/worksheets/sheet4.xml";
    let cdata = part_text(&base, "xl/worksheets/sheet2.xml")
        .replacen("<sheetData>", "<sheetData><![CDATA[x]]>", 1)
        .into_bytes();
    let many: Vec<(String, Content)> = (1..=5)
        .map(|i| {
            (
                format!("xl/media/image{i}.png"),
                Content::zeros(30 * MIB, Some(4_000), false),
            )
        })
        .collect();
    let many: Vec<(&str, Content)> = many.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    let bombs: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "6 GiB sheet, declared 100 KB",
            rebuild(
                &base,
                &[(leases, Content::sheet_bomb(6 * GIB, Some(100_000), false))],
            ),
            "解压后超过 32 MB",
        ),
        (
            "3.5 GiB sheet, declared honestly",
            rebuild(
                &base,
                &[(leases, Content::sheet_bomb(7 * GIB / 2, None, false))],
            ),
            "解压后超过 32 MB",
        ),
        (
            "2 GiB shared strings, declared 9 KB",
            rebuild(
                &base,
                &[(
                    "xl/sharedStrings.xml",
                    Content::strings_bomb(2 * GIB, Some(9_067), false),
                )],
            ),
            "解压后超过 32 MB",
        ),
        (
            "1 GiB part never read, declared 4 KB",
            rebuild(
                &base,
                &[(
                    "docProps/thumbnail.jpeg",
                    Content::zeros(GIB, Some(4_000), false),
                )],
            ),
            "解压后超过 32 MB",
        ),
        (
            "1 GiB part on calamine's way in",
            rebuild(
                &base,
                &[
                    ("xl/worksheets/sheet2.xml", Content::Bytes(cdata)),
                    (
                        "xl/media/image1.png",
                        Content::zeros(GIB, Some(4_000), false),
                    ),
                ],
            ),
            "解压后超过 32 MB",
        ),
        (
            "5 parts of 30 MiB, declared 4 KB each",
            rebuild(&base, &many),
            "解压后合计超过 128 MB",
        ),
    ];
    // SUBSIDY_DESK_KEEP_BOMBS=folder keeps them, to measure a build without the limits.
    let keep = std::env::var_os("SUBSIDY_DESK_KEEP_BOMBS");
    let mut before = children_peak_mb();
    for (i, (what, bytes, message)) in bombs.iter().enumerate() {
        let file = dir.path().join("申报表.xlsx");
        std::fs::write(&file, bytes).expect("write");
        if let Some(folder) = &keep {
            std::fs::write(Path::new(folder).join(format!("bomb-{i}.xlsx")), bytes).expect("keep");
        }
        let out = Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
            .arg("--db")
            .arg(&db)
            .args(["--user", "陈晓敏", "import", "--dry-run"])
            .arg(&file)
            .env_remove("SUBSIDY_DESK_DB")
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{what}: {stdout}");
        assert!(stdout.contains(message), "{what}: {stdout}");
        let peak = children_peak_mb();
        println!(
            "{what} ({} KB): refused, peak so far {peak} MB{}",
            bytes.len() >> 10,
            if peak > before { " (this one)" } else { "" }
        );
        assert!(peak < LIMIT_MB, "{what}: peak {peak} MB");
        before = peak;
    }
}
