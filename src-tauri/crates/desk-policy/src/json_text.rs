//! A case file's (or applicant file's) text read as JSON, with a problem named as every other
//! problem of a case file is: by its JSON path (`items[0].leases[0].area_m2`), in Chinese, with the
//! line and column where the reading stopped. serde_json's own message is English.

use serde_json::Value;

use crate::case::InputError;

/// The path of a problem that is not inside any value (an empty file, text after the end).
pub const WHOLE_FILE: &str = "(文件)";

/// Parses `text` as JSON. A leading byte order mark (Notepad writes one) is skipped.
pub fn parse(text: &str) -> Result<Value, InputError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        // At the end of the text serde_json names the last character; the path is the one open there.
        let offset = if e.is_eof() {
            text.len()
        } else {
            offset_of(text, line, column)
        };
        // A list or object left open is named itself, not the last value inside it.
        let open = matches!(chinese(&e), EOF_IN_LIST | EOF_IN_OBJECT);
        let path = path_at(text, offset, open);
        InputError {
            path: if path.is_empty() {
                WHOLE_FILE.into()
            } else {
                path
            },
            bureau: None,
            message: format!(
                "不是有效的 JSON：{}（第 {line} 行第 {column} 列）",
                chinese(&e)
            ),
        }
    })
}

const EOF_IN_LIST: &str = "列表（[ ]）没有结束，缺少“]”";
const EOF_IN_OBJECT: &str = "对象（{ }）没有结束，缺少“}”";

/// What serde_json found, in Chinese (its `Display` is the English message and the position).
fn chinese(error: &serde_json::Error) -> &'static str {
    let english = error.to_string();
    let code = english
        .rsplit_once(" at line ")
        .map_or(english.as_str(), |(code, _)| code);
    match code {
        "EOF while parsing a list" => EOF_IN_LIST,
        "EOF while parsing an object" => EOF_IN_OBJECT,
        "EOF while parsing a string" => "文字没有结束，缺少右引号",
        "EOF while parsing a value" => "文件在应有值的地方结束了（文件是空的或不完整）",
        "expected `:`" => "键名后应为冒号“:”",
        "expected `,` or `]`" => "列表中的值之间应为逗号“,”，或以“]”结束",
        "expected `,` or `}`" => "对象中的各项之间应为逗号“,”，或以“}”结束",
        "expected ident" => {
            "无法识别的词（值只能是数字、带引号的文字、true、false、null、对象或列表）"
        }
        "expected value" => "这里应有一个值（数字、带引号的文字、true、false、null、对象或列表）",
        "expected `\"`" => "这里应为带引号的键名",
        "invalid escape" => "文字中的转义符“\\”用法有误",
        "invalid number" => "数字写法有误",
        "number out of range" => "数字超出范围（过大），请检查数值",
        "invalid unicode code point" | "lone leading surrogate in hex escape" => {
            "文字中的 \\u 转义不是有效的字符"
        }
        "unexpected end of hex escape" => "文字中的 \\u 转义不完整",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "文字中有换行符或其他控制字符（请写作 \\n 等转义）"
        }
        "key must be a string" => "键名必须是带引号的文字",
        "trailing comma" => "最后一项后面多了逗号",
        "trailing characters" => "JSON 结束后还有多余的内容",
        "recursion limit exceeded" => "嵌套层数过多",
        _ => "格式有误",
    }
}

/// The byte offset of serde_json's (1-based) line and column, within `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

enum Frame {
    Object { key: Option<String> },
    Array { index: usize },
}

/// The JSON path of the value being read at byte `offset` of `text` (empty at the top level),
/// written as the case file's problems are: `items[0].leases[0].area_m2`; with `container`, the
/// path of the list or object that value is in (`items[0]`).
fn path_at(text: &str, offset: usize, container: bool) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut last_string = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if at >= offset {
            break;
        }
        match c {
            '"' => {
                last_string.clear();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                last_string.push(escaped);
                            }
                        }
                        c => last_string.push(c),
                    }
                }
            }
            ':' => {
                if let Some(Frame::Object { key }) = stack.last_mut() {
                    *key = Some(std::mem::take(&mut last_string));
                }
            }
            ',' => match stack.last_mut() {
                Some(Frame::Object { key }) => *key = None,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            '{' => stack.push(Frame::Object { key: None }),
            '[' => stack.push(Frame::Array { index: 0 }),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    if container {
        match stack.last_mut() {
            Some(Frame::Object { key }) => *key = None,
            Some(Frame::Array { .. }) => {
                stack.pop();
            }
            None => {}
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> (String, String) {
        let e = parse(text).expect_err("not JSON");
        (e.path, e.message)
    }

    #[test]
    fn a_huge_number_is_named_by_its_path_in_chinese() {
        let text = r#"{"programme": "zs-ptsp-2018", "year": 2020,
  "items": [{"clause": "6.2"}, {"clause": "6.5", "loans": [{"principal": "100"}, {"principal": 1e999}]}]}"#;
        let (path, message) = problem(text);
        assert_eq!(path, "items[1].loans[1].principal");
        assert!(
            message.starts_with("不是有效的 JSON：数字超出范围（过大），请检查数值（第 2 行第 "),
            "{message}"
        );
    }

    #[test]
    fn every_problem_is_chinese_with_its_place() {
        let cases = [
            ("", WHOLE_FILE, "文件在应有值的地方结束了"),
            ("\u{FEFF}", WHOLE_FILE, "文件在应有值的地方结束了"),
            ("{\"year\": 2020,}", WHOLE_FILE, "最后一项后面多了逗号"),
            ("{\"year\": 2020} x", WHOLE_FILE, "多余的内容"),
            ("{\"year\" 2020}", WHOLE_FILE, "冒号"),
            ("{\"items\": [1 2]}", "items[0]", "逗号"),
            ("{\"year\": 20x}", "year", "逗号"),
            (
                "{\"platform\": {\"name\": \"a\nb\"}}",
                "platform.name",
                "控制字符",
            ),
            (
                "{\"platform\": {\"name\": \"\\q\"}}",
                "platform.name",
                "转义符",
            ),
            (
                "{\"a\": {\"b\": [{\"c\": tru}]}}",
                "a.b[0].c",
                "无法识别的词",
            ),
            ("{\"items\": [", "items", "列表（[ ]）没有结束"),
            (
                "{\"items\": [{\"clause\": \"6.2\"",
                "items[0]",
                "对象（{ }）没有结束",
            ),
            (
                "{\"items\": [{\"clause\": \"6.2\"}",
                "items",
                "列表（[ ]）没有结束",
            ),
            ("{\"x\": \"abc", "x", "文字没有结束"),
            ("{year: 2020}", WHOLE_FILE, "键名必须是带引号的文字"),
            ("{\"k\": -}", "k", "数字写法有误"),
        ];
        for (text, path, words) in cases {
            let (found, message) = problem(text);
            assert_eq!(found, path, "{text:?}: {message}");
            assert!(message.contains(words), "{text:?}: {message}");
            assert!(message.contains(" 行第 "), "{message}");
            for english in [
                "EOF", "expected", "invalid", "line", "column", "at ", "error",
            ] {
                assert!(!message.contains(english), "{text:?}: English in {message}");
            }
        }
    }

    #[test]
    fn too_deep_a_nesting_is_named_where_it_stops() {
        let (path, message) = problem(&"[".repeat(200));
        assert!(
            path.starts_with("[0][0][0]") && message.contains("嵌套层数过多"),
            "{path} {message}"
        );
    }

    #[test]
    fn keys_with_escapes_and_commas_inside_strings_do_not_move_the_path() {
        let text = r#"{"a,b": {"c\"]": [0, "x,]", {"d": 1e999}]}}"#;
        assert_eq!(problem(text).0, "a,b.c\"][2].d");
        assert_eq!(
            parse("\u{FEFF}{\"year\": 2020}").expect("BOM skipped")["year"],
            2020
        );
    }
}
