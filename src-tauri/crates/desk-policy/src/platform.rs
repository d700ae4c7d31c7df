//! How a recognised platform is graded: zs-ptsp-2018 by category (三、建设重点, 1–24; 0 = 其他),
//! zs-iip-2021 by level (标杆平台 / 市级平台).

use std::fmt;

use serde::{Deserialize, Serialize};

const CATEGORY_NAMES: [&str; 25] = [
    "其他满足企业发展需求的平台",
    "制造业创新中心",
    "互联网+共享设计服务平台",
    "软件服务平台",
    "科技创新服务平台",
    "智能制造公共服务平台",
    "智能产品公共服务平台",
    "快速加工中心",
    "共性工厂",
    "物联网化公共服务平台",
    "绿色制造公共服务平台",
    "大数据精准营销产业公共服务平台",
    "数字家装公共服务平台",
    "电子商务公共服务平台",
    "跨境电商公共服务平台",
    "出口产品质量安全示范区公共服务平台",
    "工业互联网平台",
    "质量品牌公共服务平台",
    "检验检测公共技术服务平台",
    "金融公共服务平台",
    "教育培训平台",
    "两化融合公共服务平台",
    "企业精细化管理公共服务平台",
    "健康大数据平台",
    "大数据公共服务平台",
];

/// A zs-ptsp-2018 platform category, 0–24 as numbered in 三、建设重点.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[derive(ts_rs::TS)]
#[ts(type = "number")]
pub struct PlatformCategory(u8);

impl PlatformCategory {
    pub fn new(number: u8) -> Result<Self, String> {
        if (number as usize) < CATEGORY_NAMES.len() {
            Ok(Self(number))
        } else {
            Err(format!(
                "平台类别应为0–24（见《实施意见》三、建设重点），收到{number}"
            ))
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text.parse::<u8>() {
            Ok(n) => Self::new(n),
            Err(_) => CATEGORY_NAMES
                .iter()
                .position(|name| *name == text)
                .map(|i| Self(i as u8))
                .ok_or_else(|| format!("平台类别应为0–24的编号或类别名称，收到“{text}”")),
        }
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn name(self) -> &'static str {
        CATEGORY_NAMES[self.0 as usize]
    }

    /// The end of the life cycle the category serves: 设计端 1–4, 制造端 5–10, 销售端 11–15,
    /// 支撑端 16–24.
    pub fn end(self) -> &'static str {
        match self.0 {
            1..=4 => "设计端",
            5..=10 => "制造端",
            11..=15 => "销售端",
            16..=24 => "支撑端",
            _ => "其他",
        }
    }

    pub fn all() -> impl Iterator<Item = Self> {
        (0..CATEGORY_NAMES.len() as u8).map(Self)
    }
}

impl TryFrom<u8> for PlatformCategory {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Self::new(n)
    }
}

impl From<PlatformCategory> for u8 {
    fn from(c: PlatformCategory) -> u8 {
        c.0
    }
}

impl fmt::Display for PlatformCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}. {}", self.0, self.name())
    }
}

/// A zs-iip-2021 platform level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(ts_rs::TS)]
#[ts(export)]
pub enum PlatformLevel {
    /// 标杆平台
    Benchmark,
    /// 市级平台
    Municipal,
}

impl PlatformLevel {
    pub fn id(self) -> &'static str {
        match self {
            PlatformLevel::Benchmark => "benchmark",
            PlatformLevel::Municipal => "municipal",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlatformLevel::Benchmark => "标杆平台",
            PlatformLevel::Municipal => "市级平台",
        }
    }

    /// Accepts the id or the Chinese label.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "benchmark" | "标杆平台" | "标杆" => Ok(PlatformLevel::Benchmark),
            "municipal" | "市级平台" | "市级" => Ok(PlatformLevel::Municipal),
            other => Err(format!(
                "平台级别应为 benchmark（标杆平台）或 municipal（市级平台），收到“{other}”"
            )),
        }
    }
}

impl fmt::Display for PlatformLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories() {
        assert_eq!(PlatformCategory::all().count(), 25);
        let c = PlatformCategory::new(5).expect("valid");
        assert_eq!(c.name(), "智能制造公共服务平台");
        assert_eq!(c.end(), "制造端");
        assert_eq!(
            PlatformCategory::parse("共性工厂").map(|c| c.number()),
            Ok(8)
        );
        assert_eq!(PlatformCategory::new(24).map(|c| c.end()), Ok("支撑端"));
        assert!(PlatformCategory::new(25).is_err());
        assert!(PlatformCategory::parse("-1").is_err());
        assert!(serde_json::from_str::<PlatformCategory>("25").is_err());
    }

    #[test]
    fn levels() {
        assert_eq!(
            PlatformLevel::parse("标杆平台"),
            Ok(PlatformLevel::Benchmark)
        );
        assert_eq!(
            PlatformLevel::parse("municipal"),
            Ok(PlatformLevel::Municipal)
        );
        assert!(PlatformLevel::parse("provincial").is_err());
        assert_eq!(
            serde_json::to_string(&PlatformLevel::Benchmark).expect("json"),
            "\"benchmark\""
        );
    }
}
