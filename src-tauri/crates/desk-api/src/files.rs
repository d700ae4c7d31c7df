//! Files, as both faces handle them: the names of the files the program makes from data (a batch's
//! name, a case number, a workbook's name) — the command line's demo and the desktop app's 打印输出
//! folder name their documents the same way, and neither lets the data choose where a file goes —
//! and what to tell the officer when the system refuses a file ([`io_message`]).

use std::path::{Path, PathBuf};

use desk_policy::{Programme, Town};

/// At most this many characters in a name made by [`safe_file_name`] (with its extension). 80
/// Chinese characters are 240 bytes in UTF-8 and 80 UTF-16 units: within every file system's 255.
pub const MAX_FILE_NAME_CHARS: usize = 80;

/// The name when nothing of the data can be kept.
const UNNAMED: &str = "未命名";

/// Characters Windows refuses in a file name (and the separators of every system).
const RESERVED: [char; 9] = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// A file name made from data that is safe on Windows, macOS and Linux, and that names a file in
/// the folder it is joined to, never elsewhere:
///
/// - no path separators (`/`, `\`) and none of `<>:"|?*`: each becomes `_`;
/// - no control characters (each becomes `_`) and no invisible direction or zero-width marks
///   (dropped: "审批表\u{202E}fdp.exe" would show as "审批表exe.pdf");
/// - no `..`: a run of dots becomes one dot, and the name neither starts nor ends with a dot or
///   a space (Windows drops trailing ones; a leading dot hides the file on Linux);
/// - not a name Windows reserves for a device (CON, PRN, AUX, NUL, COM0–9, LPT0–9, with or
///   without an extension, in any case): such a name gets a leading `_`;
/// - at most [`MAX_FILE_NAME_CHARS`] characters, the extension kept;
/// - never empty ("未命名", with the extension if there was one).
///
/// The extension is what follows the last dot when it is 1–8 ASCII letters or digits (`.pdf`,
/// `.xlsx`) and something comes before it (`.hidden` has none). A name that is already safe is returned unchanged, and the result is safe again.
pub fn safe_file_name(name: &str) -> String {
    let (stem, extension) = split_extension(name);
    let extension = extension.map(|e| format!(".{e}")).unwrap_or_default();
    let mut stem = clean(stem);
    if stem.is_empty() {
        stem = UNNAMED.to_string();
    }
    if is_reserved_device(&stem) {
        stem.insert(0, '_');
    }
    let room = MAX_FILE_NAME_CHARS - extension.chars().count();
    if stem.chars().count() > room {
        stem = stem.chars().take(room).collect();
        stem = trim_ends(&stem).to_string();
        if stem.is_empty() {
            stem = UNNAMED.to_string();
        }
    }
    stem + &extension
}

/// Where a document named `name` (made from data) is written in `folder`: always inside it.
pub fn in_folder(folder: &Path, name: &str) -> PathBuf {
    folder.join(safe_file_name(name))
}

/// 审批表-IIP-2022-0001.pdf
pub fn approval_form(case_no: &str) -> String {
    safe_file_name(&format!("审批表-{case_no}.pdf"))
}

/// 批次审批表-2022年第1批.pdf: every form of a batch.
pub fn batch_forms(batch: &str) -> String {
    safe_file_name(&format!("批次审批表-{batch}.pdf"))
}

/// 受理通知书-IIP-2022-0001.pdf, 审批结果通知书-…: a notice about a case.
pub fn case_notice(title: &str, case_no: &str) -> String {
    safe_file_name(&format!("{title}-{case_no}.pdf"))
}

/// 补正通知书-申报表.pdf: the correction notice of a workbook, named after the workbook.
pub fn correction_notice(workbook_stem: &str) -> String {
    safe_file_name(&format!("补正通知书-{workbook_stem}.pdf"))
}

/// 申报表-补正标注.xlsx: a workbook's copy with its wrong cells marked, to send back for 补正.
pub fn marked_copy(workbook_stem: &str) -> String {
    safe_file_name(&format!("{workbook_stem}-补正标注.xlsx"))
}

/// 台账-2022年度.xlsx, 台账-2022年度-工业互联网-小榄镇.xlsx: the ledger of a year and its filters.
pub fn ledger(year: i32, programme: Option<Programme>, town: Option<Town>) -> String {
    let mut name = format!("台账-{year}年度");
    if let Some(p) = programme {
        name.push_str(&format!("-{}", p.short_title()));
    }
    if let Some(t) = town {
        name.push_str(&format!("-{t}"));
    }
    safe_file_name(&format!("{name}.xlsx"))
}

/// 公共技术服务平台申报表.xlsx: the template of a programme.
pub fn template(programme: Programme) -> String {
    safe_file_name(&format!("{}申报表.xlsx", programme.short_title()))
}

/// What was being done with a file or folder when the system refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileTask {
    Read,
    Write,
    /// Listing a folder's files (a folder of workbooks to import).
    ListFolder,
    CreateFolder,
}

impl FileTask {
    fn verb(self) -> &'static str {
        match self {
            FileTask::Read => "读取",
            FileTask::Write => "保存",
            FileTask::ListFolder => "打开",
            FileTask::CreateFolder => "建立",
        }
    }
}

/// The Chinese message for a file operation the system refused: which file (`what`, e.g. 案件文件,
/// 台账, named as the officer knows it, and its path), what happened and what to do. The system's
/// own words ("No such file or directory (os error 2)") are English and never shown.
pub fn io_message(task: FileTask, what: &str, path: &Path, error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let p = path.display();
    let verb = task.verb();
    // On Windows a file Excel or WPS holds open is a sharing (32) or lock (33) violation.
    if cfg!(windows) && matches!(error.raw_os_error(), Some(32 | 33))
        || error.kind() == K::ResourceBusy
    {
        return format!("{what}“{p}”正被其他程序（如 Excel、WPS）打开，无法{verb}：请关闭它后再试");
    }
    let folder = || {
        path.parent()
            .filter(|f| !f.as_os_str().is_empty())
            .map_or_else(
                || "当前文件夹".to_string(),
                |f| format!("文件夹“{}”", f.display()),
            )
    };
    // Windows answers reading or writing a folder as a file with "access denied": say what it is.
    let kind = match error.kind() {
        K::PermissionDenied
            if matches!(task, FileTask::Read | FileTask::Write) && path.is_dir() =>
        {
            K::IsADirectory
        }
        kind => kind,
    };
    match (kind, task) {
        (K::NotFound, FileTask::Read | FileTask::ListFolder) => {
            format!("找不到{what}“{p}”：请检查名称和所在的文件夹")
        }
        (K::NotFound, _) => format!(
            "无法{verb}{what}“{p}”：{}不存在，请先建立该文件夹或另选位置",
            folder()
        ),
        (K::PermissionDenied, FileTask::Read | FileTask::ListFolder) => {
            format!("没有权限{verb}{what}“{p}”：请检查它的访问权限，或复制到自己的文件夹后再试")
        }
        (K::PermissionDenied, _) => format!(
            "没有权限{verb}{what}“{p}”：请另选一个可以写入的文件夹（如“文档”或桌面）；若文件正被其他程序打开，请先关闭"
        ),
        (K::IsADirectory, FileTask::Read) => {
            format!("“{p}”是文件夹，不是{what}：请指定其中的文件")
        }
        (K::IsADirectory, _) => format!("无法{verb}{what}：“{p}”是文件夹，请在路径最后写上文件名"),
        (K::NotADirectory, FileTask::ListFolder) => format!("“{p}”不是文件夹"),
        (K::NotADirectory, _) => {
            format!("无法{verb}{what}“{p}”：路径中有一段不是文件夹，请检查路径")
        }
        (K::AlreadyExists, _) => format!("无法{verb}{what}“{p}”：已有同名的文件或文件夹"),
        (K::InvalidData, FileTask::Read) => {
            format!("{what}“{p}”不是 UTF-8 编码的文本：请在编辑器中另存为 UTF-8 编码后再试")
        }
        (K::UnexpectedEof, FileTask::Read) => format!("{what}“{p}”不完整，可能已损坏"),
        (K::InvalidFilename, _) => format!(
            "无法{verb}{what}“{p}”：名称不合规（过长，或含有 < > : \" / \\ | ? * 等字符），请换一个名称"
        ),
        (K::StorageFull | K::QuotaExceeded, _) => {
            format!("磁盘空间不足，无法{verb}{what}“{p}”：请清理磁盘或另选位置后再试")
        }
        (K::ReadOnlyFilesystem, _) => {
            format!("无法{verb}{what}“{p}”：所在的磁盘是只读的，请另选位置")
        }
        (K::FileTooLarge, _) => format!("{what}“{p}”太大，无法{verb}"),
        (K::Interrupted | K::TimedOut | K::WouldBlock, _) => {
            format!("{verb}{what}“{p}”时被中断：请再试一次")
        }
        _ => match error.raw_os_error() {
            Some(code) => {
                format!("无法{verb}{what}“{p}”（系统错误代码 {code}）：请检查该位置后再试")
            }
            None => format!("无法{verb}{what}“{p}”：请检查该位置后再试"),
        },
    }
}

fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=8).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

/// Invisible marks that change how a name reads: bidirectional controls, zero-width characters,
/// the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn clean(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars() {
        if is_invisible(c) {
            continue;
        }
        let c = if c.is_control() || RESERVED.contains(&c) {
            '_'
        } else {
            c
        };
        if c == '.' && out.ends_with('.') {
            continue;
        }
        out.push(c);
    }
    trim_ends(&out).to_string()
}

fn trim_ends(text: &str) -> &str {
    text.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// CON, PRN, AUX, NUL, COM0–9, LPT0–9 (and COM¹²³, LPT¹²³), alone or before any extension.
fn is_reserved_device(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or_default().trim_end();
    let upper = base.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let mut chars = upper.chars();
            let prefix: String = chars.by_ref().take(3).collect();
            let rest: Vec<char> = chars.collect();
            (prefix == "COM" || prefix == "LPT")
                && matches!(rest.as_slice(), ['0'..='9' | '¹' | '²' | '³'])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_told_in_chinese_by_kind() {
        use std::io::{Error, ErrorKind as K};
        let file = Path::new("收件箱").join("case.json");
        let cases = [
            (K::NotFound, FileTask::Read, "找不到案件文件“"),
            (K::NotFound, FileTask::Write, "文件夹“收件箱”不存在"),
            (K::PermissionDenied, FileTask::Read, "没有权限读取案件文件"),
            (K::PermissionDenied, FileTask::Write, "没有权限保存案件文件"),
            (K::IsADirectory, FileTask::Read, "是文件夹，不是案件文件"),
            (K::IsADirectory, FileTask::Write, "请在路径最后写上文件名"),
            (K::NotADirectory, FileTask::ListFolder, "不是文件夹"),
            (K::InvalidData, FileTask::Read, "不是 UTF-8 编码的文本"),
            (K::StorageFull, FileTask::Write, "磁盘空间不足"),
            (K::ReadOnlyFilesystem, FileTask::Write, "只读"),
            (
                K::ResourceBusy,
                FileTask::Write,
                "正被其他程序（如 Excel、WPS）打开",
            ),
            (K::Other, FileTask::CreateFolder, "无法建立案件文件"),
        ];
        for (kind, task, words) in cases {
            let message = io_message(task, "案件文件", &file, &Error::new(kind, "English words"));
            assert!(message.contains(words), "{kind:?} {task:?}: {message}");
            assert!(!message.contains("English"), "{message}");
        }
        let raw = io_message(
            FileTask::Write,
            "台账",
            &file,
            &Error::from_raw_os_error(18),
        );
        assert!(
            raw.starts_with("无法保存台账“") && raw.contains("（系统错误代码 18）"),
            "{raw}"
        );
        // A bare file name: its folder is the current one.
        // A folder named as a file, whatever the system called it.
        let folder = tempfile::tempdir().expect("dir");
        let denied = Error::from(K::PermissionDenied);
        let message = io_message(FileTask::Write, "审批表", folder.path(), &denied);
        assert!(
            message.contains("是文件夹，请在路径最后写上文件名"),
            "{message}"
        );
        let bare = io_message(
            FileTask::Write,
            "台账",
            Path::new("台账.xlsx"),
            &Error::from(K::NotFound),
        );
        assert!(bare.contains("当前文件夹不存在"), "{bare}");
    }

    /// Every rule of [`safe_file_name`], checked on one name.
    fn assert_safe(name: &str) {
        assert!(!name.is_empty());
        assert!(name.chars().count() <= MAX_FILE_NAME_CHARS, "{name}");
        assert!(!name.contains(".."), "{name}");
        assert!(
            !name
                .chars()
                .any(|c| c.is_control() || RESERVED.contains(&c) || is_invisible(c)),
            "{name:?}"
        );
        assert!(!name.starts_with('.') && !name.starts_with(' '), "{name:?}");
        assert!(!name.ends_with('.') && !name.ends_with(' '), "{name:?}");
        let (stem, _) = split_extension(name);
        assert!(!is_reserved_device(stem), "{name}");
        assert_eq!(safe_file_name(name), name, "safe again, unchanged");
        let path = Path::new("输出").join(name);
        assert_eq!(
            path.parent(),
            Some(Path::new("输出")),
            "{name}: one component"
        );
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some(name));
    }

    #[test]
    fn hostile_names_become_a_name_inside_the_folder() {
        let cases = [
            (
                "批次审批表-../../../../tmp/x.pdf",
                "批次审批表-._._._._tmp_x.pdf",
            ),
            (
                "..\\..\\Windows\\System32\\x.pdf",
                "_._Windows_System32_x.pdf",
            ),
            ("/etc/passwd", "_etc_passwd"),
            ("C:\\Users\\x.xlsx", "C__Users_x.xlsx"),
            ("a<b>c:d\"e|f?g*h.pdf", "a_b_c_d_e_f_g_h.pdf"),
            ("第1批\n第2批\t\u{0}.pdf", "第1批_第2批__.pdf"),
            ("审批表\u{202E}fdp.exe", "审批表fdp.exe"),
            ("\u{200B}\u{FEFF}", UNNAMED),
            ("CON", "_CON"),
            ("con.pdf", "_con.pdf"),
            ("Nul.tar.gz", "_Nul.tar.gz"),
            ("COM1.xlsx", "_COM1.xlsx"),
            ("lpt9", "_lpt9"),
            ("COM¹.pdf", "_COM¹.pdf"),
            ("CONSOLE.pdf", "CONSOLE.pdf"),
            ("COM10.pdf", "COM10.pdf"),
            ("报告. . .", "报告"),
            ("  报告  .pdf", "报告.pdf"),
            (".hidden", "hidden"),
            ("..", UNNAMED),
            ("...", UNNAMED),
            ("", UNNAMED),
            ("   ", UNNAMED),
            (".pdf", "pdf"),
            ("../.pdf", "_.pdf"),
            ("a...b.pdf", "a.b.pdf"),
        ];
        for (hostile, expected) in cases {
            let safe = safe_file_name(hostile);
            assert_eq!(safe, expected, "{hostile:?}");
            assert_safe(&safe);
        }
    }

    #[test]
    fn a_long_name_is_cut_keeping_its_extension() {
        let long = format!("批次审批表-{}.pdf", "很长的批次名称".repeat(40));
        let safe = safe_file_name(&long);
        assert_eq!(safe.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(
            safe.ends_with(".pdf") && safe.starts_with("批次审批表-很长"),
            "{safe}"
        );
        assert_safe(&safe);
        // A cut that would end in dots or spaces drops them.
        let dotted = format!("{}{}.pdf", "审".repeat(74), " . 审审审");
        let safe = safe_file_name(&dotted);
        assert_eq!(safe, format!("{}.pdf", "审".repeat(74)));
        assert_safe(&safe);
        // Without an extension the whole name is the stem.
        assert_eq!(safe_file_name(&"档".repeat(200)).chars().count(), 80);
    }

    #[test]
    fn the_names_of_ordinary_documents_are_unchanged() {
        for name in [
            "审批表-IIP-2022-0001.pdf",
            "批次审批表-2022年第1批.pdf",
            "受理通知书-PTSP-2020-0001.pdf",
            "台账-2022年度.xlsx",
            "ptsp-2020-good-补正标注.xlsx",
            "中山市某公司（2022）申报表 v2.xlsx",
        ] {
            assert_eq!(safe_file_name(name), name);
            assert_safe(name);
        }
        assert_eq!(approval_form("IIP-2022-0001"), "审批表-IIP-2022-0001.pdf");
        assert_eq!(batch_forms("2022年第1批"), "批次审批表-2022年第1批.pdf");
        assert_eq!(ledger(2022, None, None), "台账-2022年度.xlsx");
        let town = Town::parse("小榄").expect("town");
        let ledger_name = ledger(2022, Some(Programme::ZsIip2021), Some(town));
        assert!(
            ledger_name.starts_with("台账-2022年度-") && ledger_name.ends_with("-小榄镇.xlsx"),
            "{ledger_name}"
        );
        assert_safe(&template(Programme::ZsPtsp2018));
    }

    #[test]
    fn names_made_from_hostile_data_stay_in_their_folder() {
        let folder = Path::new("打印输出");
        for hostile in ["../../../../tmp/x", "..", "/", "C:\\x", "CON", "a/../../b"] {
            for name in [
                batch_forms(hostile),
                approval_form(hostile),
                case_notice("受理通知书", hostile),
                correction_notice(hostile),
            ] {
                assert_safe(&name);
                let path = in_folder(folder, &name);
                assert_eq!(path.parent(), Some(folder), "{hostile}: {}", path.display());
            }
        }
    }
}
