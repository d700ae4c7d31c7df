//! Zhongshan's town-level divisions (镇街): 8 街道 and 15 镇 since the 2020–2021 adjustment.
//!
//! Officers and forms still use older names (火炬开发区 for 中山港街道, 东升镇 merged into 小榄镇) and
//! short forms without the suffix ("小榄"); [`Town::parse`] accepts those and gives the current name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Current official names, in the order of the city's own lists (街道 first, then 镇).
const TOWNS: [&str; 23] = [
    "石岐街道",
    "东区街道",
    "西区街道",
    "南区街道",
    "五桂山街道",
    "中山港街道",
    "民众街道",
    "南朗街道",
    "黄圃镇",
    "东凤镇",
    "古镇镇",
    "沙溪镇",
    "坦洲镇",
    "港口镇",
    "三角镇",
    "横栏镇",
    "南头镇",
    "阜沙镇",
    "三乡镇",
    "板芙镇",
    "大涌镇",
    "神湾镇",
    "小榄镇",
];

/// Former or informal names still seen on forms, with the division they now belong to.
const ALIASES: [(&str, &str); 7] = [
    // 石岐区 (石岐区街道办事处) is now 石岐街道; forms of applicants still say 石岐区.
    ("石岐区", "石岐街道"),
    ("火炬开发区", "中山港街道"),
    ("火炬区", "中山港街道"),
    ("东升镇", "小榄镇"),
    ("民众镇", "民众街道"),
    ("南朗镇", "南朗街道"),
    ("翠亨新区", "南朗街道"),
];

/// One of Zhongshan's 23 town-level divisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
#[ts(type = "string")]
pub struct Town(u8);

impl Town {
    /// Every town, in the city's order.
    pub fn all() -> impl Iterator<Item = Town> {
        (0..TOWNS.len() as u8).map(Town)
    }

    /// Parses a full name, a short name ("小榄", "火炬") or a former name ("东升镇").
    pub fn parse(text: &str) -> Result<Self, String> {
        let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if name.is_empty() {
            return Err("镇街不能为空".to_string());
        }
        let official = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name || alias.trim_end_matches(['镇', '区']) == name)
            .map(|(_, official)| *official)
            .unwrap_or(&name);
        TOWNS
            .iter()
            .position(|t| {
                *t == official
                    || t.strip_suffix("街道") == Some(official)
                    || (t.strip_suffix('镇') == Some(official) && !official.is_empty())
            })
            .map(|i| Town(i as u8))
            .ok_or_else(|| {
                format!(
                    "“{}”不是中山市的镇街，可选：{}",
                    text.trim(),
                    TOWNS.join("、")
                )
            })
    }

    /// Whether `text` is a former or informal name (火炬开发区, 石岐区, 东升镇, 火炬): what it names
    /// is then not what was typed, and a reader says how it read it.
    pub fn is_former_name(text: &str) -> bool {
        let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let current = TOWNS.iter().any(|t| {
            *t == name
                || t.strip_suffix("街道") == Some(&name)
                || t.strip_suffix('镇') == Some(&name)
        });
        !current
            && ALIASES
                .iter()
                .any(|(alias, _)| *alias == name || alias.trim_end_matches(['镇', '区']) == name)
    }

    pub fn name(self) -> &'static str {
        TOWNS[self.0 as usize]
    }
}

impl fmt::Display for Town {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Town {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Town {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Town::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_three_divisions() {
        assert_eq!(Town::all().count(), 23);
        for town in Town::all() {
            assert_eq!(Town::parse(town.name()), Ok(town));
        }
    }

    #[test]
    fn short_and_former_names() {
        let name = |s: &str| Town::parse(s).map(Town::name);
        assert_eq!(name("小榄"), Ok("小榄镇"));
        assert_eq!(name("东升镇"), Ok("小榄镇"));
        assert_eq!(name("东升"), Ok("小榄镇"));
        assert_eq!(name("火炬开发区"), Ok("中山港街道"));
        assert_eq!(name("石岐"), Ok("石岐街道"));
        assert_eq!(name(" 古镇镇 "), Ok("古镇镇"));
        assert_eq!(name("古镇"), Ok("古镇镇"));
        assert_eq!(name("南朗镇"), Ok("南朗街道"));
        assert_eq!(name("石岐区"), Ok("石岐街道"));
        assert!(Town::is_former_name("石岐区"));
        assert!(!Town::is_former_name("石岐"));
        assert!(!Town::is_former_name("石岐街道"));
    }

    #[test]
    fn unknown_towns_are_refused() {
        let err = Town::parse("天河区").expect_err("Guangzhou");
        assert!(err.starts_with("“天河区”不是中山市的镇街"), "{err}");
        assert!(Town::parse("").is_err());
        assert!(Town::parse("镇").is_err());
    }
}
