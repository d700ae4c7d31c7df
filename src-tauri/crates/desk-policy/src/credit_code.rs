//! 统一社会信用代码 (unified social credit code) per GB 32100-2015.
//!
//! 18 characters from a 31-character set (digits and capitals without I, O, Z, S, V):
//! 1 registering department, 2 organisation kind, 3–8 the registering authority's administrative
//! division code (GB/T 2260), 9–17 the organisation code, 18 the check character over 1–17.

use std::fmt;
use std::str::FromStr;

/// The 31 characters of GB 32100-2015, in the order of their values 0..=30.
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Zhongshan (中山市) administrative division codes begin with these four digits.
const ZHONGSHAN_DIVISION_PREFIX: &str = "4420";

/// A valid 统一社会信用代码. Construct with [`CreditCode::parse`]; the value is always 18 valid
/// characters with a correct check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
#[ts(type = "string")]
pub struct CreditCode(String);

/// Why a text is not a valid 统一社会信用代码. `Display` is the Chinese message shown to people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码不能为空")]
    Empty,
    #[error("统一社会信用代码应为18位，收到{0}位")]
    WrongLength(usize),
    #[error(
        "统一社会信用代码第{position}位“{found}”不是有效字符（只能是数字或除I、O、Z、S、V外的大写字母）"
    )]
    InvalidCharacter { position: usize, found: char },
    #[error("统一社会信用代码第3–8位应为行政区划代码（6位数字），收到“{0}”")]
    DivisionNotDigits(String),
    #[error("统一社会信用代码校验位错误：第18位应为“{expected}”，收到“{found}”，请核对是否抄错")]
    WrongCheckCharacter { expected: char, found: char },
}

impl CreditCode {
    /// Parses what a person typed: surrounding and inner spaces are dropped, full-width letters and
    /// digits become half-width, lower case becomes upper case; then the code must be valid.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        // Most codes arrive clean (18 digits and capitals): nothing to normalise then.
        let clean = input.len() == 18
            && input
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        let normalized: String = if clean {
            input.to_string()
        } else {
            input
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(to_half_width)
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
        if normalized.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let count = normalized.chars().count();
        if count != 18 {
            return Err(CreditCodeError::WrongLength(count));
        }
        let mut values = [0u32; 18];
        for (i, c) in normalized.chars().enumerate() {
            values[i] = char_value(c).ok_or(CreditCodeError::InvalidCharacter {
                position: i + 1,
                found: c,
            })?;
        }
        // Every character is now one of CHARSET's ASCII characters: bytes are characters.
        let division = &normalized[2..8];
        if !division.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CreditCodeError::DivisionNotDigits(division.to_string()));
        }
        let expected = check_character(&values[..17]);
        let found = char::from(normalized.as_bytes()[17]);
        if found != expected {
            return Err(CreditCodeError::WrongCheckCharacter { expected, found });
        }
        Ok(Self(normalized))
    }

    /// Completes 17 characters with their check character; for generating test and demo data.
    pub fn with_check_character(first17: &str) -> Result<Self, CreditCodeError> {
        let values = first17
            .chars()
            .enumerate()
            .map(|(i, c)| {
                char_value(c).ok_or(CreditCodeError::InvalidCharacter {
                    position: i + 1,
                    found: c,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if values.len() != 17 {
            return Err(CreditCodeError::WrongLength(values.len() + 1));
        }
        Self::parse(&format!("{first17}{}", check_character(&values)))
    }

    /// The code's text, without a copy.
    pub fn into_string(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 3–8: the administrative division code of the registering authority.
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }

    /// Whether the registering authority is in Zhongshan (division code 4420xx).
    pub fn is_zhongshan(&self) -> bool {
        self.division_code().starts_with(ZHONGSHAN_DIVISION_PREFIX)
    }
}

/// Each byte's position in CHARSET (`u8::MAX`: not in it). A table, not a search: a large
/// submission checks 10,000 codes of 18 characters.
const CHAR_VALUES: [u8; 256] = {
    let mut table = [u8::MAX; 256];
    let charset = CHARSET.as_bytes();
    let mut i = 0;
    while i < charset.len() {
        table[charset[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn char_value(c: char) -> Option<u32> {
    let byte = u8::try_from(c).ok()?;
    match CHAR_VALUES[usize::from(byte)] {
        u8::MAX => None,
        value => Some(u32::from(value)),
    }
}

fn check_character(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    CHARSET.as_bytes()[check as usize] as char
}

/// Full-width ASCII (as typed with a Chinese IME: "９１４４") to half-width.
fn to_half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for CreditCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for CreditCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes published by the enterprises themselves (business licences, annual reports).
    const PUBLISHED: [(&str, &str); 7] = [
        ("914403001922038216", "华为技术有限公司"),
        ("9144030071526726XG", "腾讯科技（深圳）有限公司"),
        ("91330100799655058B", "阿里巴巴（中国）有限公司"),
        ("91110108551385082Q", "小米科技有限责任公司"),
        ("91440400192548256N", "珠海格力电器股份有限公司"),
        ("91440606722473344C", "美的集团股份有限公司"),
        ("91110000802100433B", "中国石油化工集团有限公司"),
    ];

    #[test]
    fn published_codes_are_valid() {
        for (code, name) in PUBLISHED {
            let parsed = CreditCode::parse(code).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(parsed.as_str(), code);
            assert!(
                !parsed.is_zhongshan(),
                "{name} is not registered in Zhongshan"
            );
        }
    }

    #[test]
    fn division_code_and_zhongshan() {
        let code = CreditCode::parse("91442000MA4W4K8L06").expect("bureau's example code");
        assert_eq!(code.division_code(), "442000");
        assert!(code.is_zhongshan());
        let huawei = CreditCode::parse("914403001922038216").expect("valid");
        assert_eq!(huawei.division_code(), "440300");
        let zs_town = CreditCode::with_check_character("91442001MA4W4K8L0").expect("valid");
        assert!(zs_town.is_zhongshan());
        // 4420 must be the start, not anywhere.
        let elsewhere = CreditCode::with_check_character("91144200MA4W4K8L0").expect("valid");
        assert!(!elsewhere.is_zhongshan());
    }

    #[test]
    fn every_wrong_check_character_is_refused() {
        for (code, _) in PUBLISHED {
            let right = code.chars().last().expect("18 chars");
            for wrong in CHARSET.chars().filter(|&c| c != right) {
                let typo = format!("{}{}", &code[..17], wrong);
                assert_eq!(
                    CreditCode::parse(&typo),
                    Err(CreditCodeError::WrongCheckCharacter {
                        expected: right,
                        found: wrong
                    })
                );
            }
        }
    }

    #[test]
    fn a_single_changed_character_is_caught() {
        let code = "91440606722473344C";
        for pos in 0..17 {
            for c in CHARSET.chars() {
                let mut chars: Vec<char> = code.chars().collect();
                if chars[pos] == c || (2..8).contains(&pos) && !c.is_ascii_digit() {
                    continue;
                }
                chars[pos] = c;
                let typo: String = chars.iter().collect();
                assert!(CreditCode::parse(&typo).is_err(), "{typo} must be refused");
            }
        }
    }

    #[test]
    fn wrong_lengths_and_characters() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert_eq!(CreditCode::parse("   "), Err(CreditCodeError::Empty));
        assert_eq!(
            CreditCode::parse("91440606722473344"),
            Err(CreditCodeError::WrongLength(17))
        );
        assert_eq!(
            CreditCode::parse("91440606722473344CC"),
            Err(CreditCodeError::WrongLength(19))
        );
        for bad in ['I', 'O', 'Z', 'S', 'V', '-', '中', '*'] {
            let input = format!("9144060672247334{bad}C");
            assert_eq!(
                CreditCode::parse(&input),
                Err(CreditCodeError::InvalidCharacter {
                    position: 17,
                    found: bad
                }),
                "{input}"
            );
        }
        // An old 15-digit business registration number is not a credit code.
        assert_eq!(
            CreditCode::parse("442000000123456"),
            Err(CreditCodeError::WrongLength(15))
        );
        // Letters where the division code belongs.
        let letters = CreditCode::with_check_character("9144A606722473344");
        assert_eq!(
            letters,
            Err(CreditCodeError::DivisionNotDigits("44A606".into()))
        );
    }

    #[test]
    fn what_people_type_is_normalized() {
        let expected = CreditCode::parse("9144030071526726XG").expect("valid");
        for typed in [
            " 9144030071526726XG ",
            "9144030071526726xg",
            "914403 0071526726 XG",
            "９１４４０３００７１５２６７２６ＸＧ",
        ] {
            assert_eq!(CreditCode::parse(typed).as_ref(), Ok(&expected), "{typed}");
        }
    }

    #[test]
    fn messages_are_chinese_and_specific() {
        let err = CreditCode::parse("91440606722473344D").expect_err("wrong check");
        assert_eq!(
            err.to_string(),
            "统一社会信用代码校验位错误：第18位应为“C”，收到“D”，请核对是否抄错"
        );
        let err = CreditCode::parse("123").expect_err("short");
        assert_eq!(err.to_string(), "统一社会信用代码应为18位，收到3位");
    }

    #[test]
    fn serde_round_trip_validates() {
        let code: CreditCode = serde_json::from_str("\"91442000MA4W4K8L06\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&code).expect("json"),
            "\"91442000MA4W4K8L06\""
        );
        let bad: Result<CreditCode, _> = serde_json::from_str("\"91442000MA4W4K8L07\"");
        assert!(bad.is_err());
    }
}
