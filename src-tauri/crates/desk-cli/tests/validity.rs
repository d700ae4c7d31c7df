//! Issue #14: `parameter set <政策> programme.valid_from|programme.valid_to <日期>` sets a
//! programme's in-force dates (audited), `parameter list` shows them with their source, and a
//! wrong date, order or flag is refused in Chinese with nothing written.

use std::process::{Command, Output};

use serde_json::Value;

struct Desk {
    dir: tempfile::TempDir,
}

impl Desk {
    fn new() -> Self {
        let desk = Desk {
            dir: tempfile::tempdir().expect("dir"),
        };
        assert!(desk.run(&["init"]).status.success(), "init");
        desk
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_subsidy-desk"))
            .arg("--db")
            .arg(self.dir.path().join("desk.sqlite"))
            .args(["--user", "陈晓敏"])
            .args(args)
            .output()
            .expect("run")
    }

    fn iip_validity(&self) -> Value {
        let out = self.run(&["--json", "parameter", "list", "zs-iip-2021"]);
        let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
        listed["validity"]
            .as_array()
            .and_then(|v| v.iter().find(|v| v["programme"] == "zs-iip-2021"))
            .cloned()
            .expect("zs-iip-2021 validity listed")
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn parameter_set_moves_the_programmes_end_date_and_list_shows_it() {
    let desk = Desk::new();
    let before = desk.iip_validity();
    assert_eq!(
        (&before["valid_to"], &before["source"]),
        (&Value::from("2025-12-31"), &Value::from("catalog"))
    );
    let table = text(&desk.run(&["parameter", "list", "zs-iip-2021"])).0;
    assert!(
        table.contains("programme.valid_to") && table.contains("政策有效期：有效期截止日"),
        "{table}"
    );

    let out = desk.run(&[
        "parameter",
        "set",
        "zs-iip-2021",
        "programme.valid_to",
        "2026-12-31",
        "--reference",
        "中工信〔2026〕1号",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("已设定 zs-iip-2021 的政策有效期：2021-01-01 至 2026-12-31"),
        "{stdout}"
    );
    let after = desk.iip_validity();
    assert_eq!(
        (&after["valid_to"], &after["source"], &after["reference"]),
        (
            &Value::from("2026-12-31"),
            &Value::from("bureau"),
            &Value::from("中工信〔2026〕1号")
        )
    );
    let table = text(&desk.run(&["parameter", "list", "zs-iip-2021"])).0;
    assert!(
        table.contains("2026-12-31") && table.contains("本局设定"),
        "{table}"
    );
}

#[test]
fn parameter_set_refuses_a_wrong_date_in_chinese() {
    let desk = Desk::new();
    let set = |key: &str, value: &str, extra: &[&str]| {
        let mut args = vec!["parameter", "set", "zs-iip-2021", key, value];
        args.extend_from_slice(extra);
        desk.run(&args)
    };
    for (key, value, extra, want) in [
        (
            "programme.valid_to",
            "2026-02-30",
            &["--reference", "x号"][..],
            "有效期截止日：",
        ),
        (
            "programme.valid_from",
            "2026-01-01",
            &["--reference", "x号"][..],
            "施行日期 2026-01-01 晚于有效期截止日 2025-12-31",
        ),
        (
            "programme.valid_to",
            "2026-12-31",
            &["--from", "2026-01-01", "--reference", "x号"][..],
            "不用 --from",
        ),
        (
            "programme.valid_to",
            "2026-12-31",
            &["--reference", " "][..],
            "依据：",
        ),
        ("8.rate", "0.15", &["--reference", "x号"][..], "请用 --from"),
    ] {
        let out = set(key, value, extra);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{key} {value}: {stderr}");
        assert!(stderr.contains(want), "{key} {value}: {stderr}");
    }
    assert_eq!(desk.iip_validity()["source"], "catalog");
}
