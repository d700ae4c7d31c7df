//! The subsidy programmes that carry money, and the ids of their clauses.
//!
//! The full catalog (texts, rates, caps) arrives with the calculator; this module holds only the
//! identities that the case database and the command line need to refuse a wrong id early.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A programme a case can be opened under (see `docs/policy/seeds/INDEX.md`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[ts(export)]
pub enum Programme {
    /// 关于加快全生命周期公共技术服务平台体系建设的实施意见 (seed 000).
    #[serde(rename = "zs-ptsp-2018")]
    ZsPtsp2018,
    /// 中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施 (seed 001).
    #[serde(rename = "zs-iip-2021")]
    ZsIip2021,
}

impl Programme {
    pub const ALL: [Programme; 2] = [Programme::ZsPtsp2018, Programme::ZsIip2021];

    /// The id used in files, the database and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Programme::ZsPtsp2018 => "zs-ptsp-2018",
            Programme::ZsIip2021 => "zs-iip-2021",
        }
    }

    /// Parses an id; the error is the Chinese message listing what is accepted.
    pub fn parse(id: &str) -> Result<Self, String> {
        let id = id.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.id().eq_ignore_ascii_case(id))
            .ok_or_else(|| {
                format!("未知的扶持政策“{id}”，可选：zs-ptsp-2018（公共技术服务平台）、zs-iip-2021（工业互联网平台）")
            })
    }

    /// The document's short title, as officers call it.
    pub fn short_title(self) -> &'static str {
        match self {
            Programme::ZsPtsp2018 => "公共技术服务平台扶持",
            Programme::ZsIip2021 => "工业互联网平台扶持",
        }
    }

    /// The document's full title.
    pub fn title(self) -> &'static str {
        match self {
            Programme::ZsPtsp2018 => "关于加快全生命周期公共技术服务平台体系建设的实施意见",
            Programme::ZsIip2021 => "中山市加强工业互联网平台和数字赋能平台引进建设的若干政策措施",
        }
    }

    /// The programme's validity V (first and last day), per CLAUSES.md.
    pub fn validity(self) -> (NaiveDate, NaiveDate) {
        let (from, to) = match self {
            Programme::ZsPtsp2018 => ((2018, 1, 1), (2022, 12, 31)),
            Programme::ZsIip2021 => ((2021, 1, 1), (2025, 12, 31)),
        };
        (ymd(from), ymd(to))
    }

    /// Application years a case may be opened for: the validity's years, and for zs-iip-2021 also
    /// 2026 (its 2025 applications may be paid in 2026).
    pub fn accepts_year(self, year: i32) -> bool {
        use chrono::Datelike;
        let (from, to) = self.validity();
        let last = match self {
            Programme::ZsPtsp2018 => to.year(),
            Programme::ZsIip2021 => to.year() + 1,
        };
        (from.year()..=last).contains(&year)
    }

    /// Whether platforms of this programme are graded by category (1–24) or by level.
    pub fn uses_category(self) -> bool {
        matches!(self, Programme::ZsPtsp2018)
    }

    /// The clause ids that carry money, in clause order, as CLAUSES.md numbers them.
    pub fn clause_ids(self) -> &'static [&'static str] {
        match self {
            Programme::ZsPtsp2018 => &[
                "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12",
                "6.13", "6.14a", "6.14b", "6.15", "6.16", "6.17", "6.18",
            ],
            Programme::ZsIip2021 => &[
                "2.1", "2.2a", "2.2b", "2.3", "3", "4.1", "4.2a", "4.2b", "4.2c", "4.3", "4.4",
                "4.5", "5.a", "5.b", "5.c", "6.a", "6.b", "7", "8", "9", "10",
            ],
        }
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for Programme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A clause id inside a programme ("6.2", "4.2a", "5.b"), checked against the programme's list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClauseId(String);

impl ClauseId {
    pub fn parse(programme: Programme, id: &str) -> Result<Self, String> {
        let id = id.trim();
        if programme.clause_ids().contains(&id) {
            Ok(Self(id.to_string()))
        } else {
            Err(format!(
                "“{}”没有第“{id}”条，可选：{}",
                programme.short_title(),
                programme.clause_ids().join("、")
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for p in Programme::ALL {
            assert_eq!(Programme::parse(p.id()), Ok(p));
        }
        assert_eq!(Programme::parse(" ZS-IIP-2021 "), Ok(Programme::ZsIip2021));
        let err = Programme::parse("zs-fusion-2020").expect_err("not a money programme");
        assert!(
            err.contains("zs-fusion-2020") && err.contains("可选"),
            "{err}"
        );
    }

    #[test]
    fn years() {
        assert!(Programme::ZsPtsp2018.accepts_year(2018));
        assert!(Programme::ZsPtsp2018.accepts_year(2022));
        assert!(!Programme::ZsPtsp2018.accepts_year(2023));
        assert!(!Programme::ZsIip2021.accepts_year(2020));
        assert!(Programme::ZsIip2021.accepts_year(2026));
        assert!(!Programme::ZsIip2021.accepts_year(2027));
    }

    #[test]
    fn clauses_belong_to_their_programme() {
        assert!(ClauseId::parse(Programme::ZsPtsp2018, "6.2").is_ok());
        assert!(ClauseId::parse(Programme::ZsIip2021, "4.2a").is_ok());
        let err = ClauseId::parse(Programme::ZsIip2021, "6.2").expect_err("ptsp clause");
        assert!(err.contains("没有第“6.2”条"), "{err}");
    }
}
