//! Chinese wording for the command line's own usage errors (clap writes them in English).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The Chinese message for a usage error, or `None` for help and version output, which clap prints.
pub fn chinese_message(error: &clap::Error) -> Option<String> {
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let hint = match context(ContextKind::SuggestedArg) {
        s if s.is_empty() => String::new(),
        s => format!("，是否想用 {s}？"),
    };
    let message = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "缺少子命令，请用 --help 查看可用的命令".to_string()
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数 {arg}{hint}"),
        ErrorKind::InvalidSubcommand => {
            let suggested = match context(ContextKind::SuggestedSubcommand) {
                s if s.is_empty() => String::new(),
                s => format!("，是否想用 {s}？"),
            };
            format!(
                "没有“{}”这个命令{suggested}",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!(
                "参数 {arg} 的值“{}”无效",
                context(ContextKind::InvalidValue)
            )
        }
        ErrorKind::ArgumentConflict => {
            format!(
                "参数 {arg} 不能与 {} 同时使用",
                context(ContextKind::PriorArg)
            )
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要用“=”给出取值"),
        // A file or folder may be named in any bytes (it is kept as a path); other values are text.
        ErrorKind::InvalidUtf8 => {
            "参数中有无法识别的字符（不是有效的 UTF-8 文字），请重新输入，不要从别处粘贴乱码"
                .to_string()
        }
        // clap's other words are English: the officer gets the Chinese gist and the help.
        _ => "命令行有误".to_string(),
    };
    let stop = if message.ends_with('？') { "" } else { "。" };
    Some(format!(
        "输入有误：{message}{stop}用 subsidy-desk --help 查看用法。"
    ))
}

/// Help text with clap's fixed English words in Chinese.
pub fn chinese_help(rendered: &str) -> String {
    const WORDS: [(&str, &str); 9] = [
        ("Usage:", "用法："),
        ("Commands:", "命令："),
        ("Options:", "选项："),
        ("Arguments:", "参数："),
        (
            "Print this message or the help of the given subcommand(s)",
            "显示本帮助或某个命令的帮助",
        ),
        ("Print help", "显示帮助"),
        ("Print version", "显示版本"),
        ("[default: ", "[默认："),
        ("[env: ", "[环境变量："),
    ];
    WORDS
        .iter()
        .fold(rendered.to_string(), |text, (en, zh)| text.replace(en, zh))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::Cli;

    fn message(args: &[&str]) -> Option<String> {
        let error = Cli::try_parse_from(args).expect_err("usage error");
        chinese_message(&error)
    }

    #[test]
    fn usage_errors_are_chinese() {
        let missing =
            message(&["subsidy-desk", "enterprise", "add", "--credit-code", "x"]).expect("message");
        assert!(
            missing.starts_with("输入有误：缺少必填参数：--name"),
            "{missing}"
        );
        let unknown =
            message(&["subsidy-desk", "case", "list", "--yaer", "2020"]).expect("message");
        assert!(
            unknown.contains("无法识别的参数 --yaer") && unknown.contains("--year"),
            "{unknown}"
        );
        let command = message(&["subsidy-desk", "cases"]).expect("message");
        assert!(command.contains("没有“cases”这个命令"), "{command}");
        let number =
            message(&["subsidy-desk", "case", "list", "--year", "二〇二〇"]).expect("message");
        assert!(
            number.contains("--year") && number.contains("二〇二〇"),
            "{number}"
        );
        assert!(
            message(&["subsidy-desk"])
                .expect("message")
                .contains("缺少子命令")
        );
    }

    #[test]
    fn help_is_left_to_clap_and_its_words_translated() {
        let error =
            Cli::try_parse_from(["subsidy-desk", "case", "list", "--help"]).expect_err("help");
        assert_eq!(chinese_message(&error), None);
        let help = chinese_help(&error.render().to_string());
        assert!(
            help.contains("用法：") && help.contains("选项：") && help.contains("[默认："),
            "{help}"
        );
        assert!(
            !help.contains("Usage:") && !help.contains("Print help"),
            "{help}"
        );
    }
}
