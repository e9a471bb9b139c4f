//! The content model: a site, its units and their reports, with no I/O.

use serde::Serialize;

use super::body::Body;
use super::cell::{Cell, Decimal};
use super::format::{Format, FormatSpec, TableId};
use super::yaml::Pos;

/// A calendar date as written in `published` (YYYY-MM-DD).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0);
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if date.month == 0
            || date.month > 12
            || date.day == 0
            || date.day > days[date.month as usize - 1]
        {
            return None;
        }
        Some(date)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum UnitKind {
    Government,
    Department,
    Township,
    Subdistrict,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [
        UnitKind::Government,
        UnitKind::Department,
        UnitKind::Township,
        UnitKind::Subdistrict,
        UnitKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Government => "人民政府",
            UnitKind::Department => "部门",
            UnitKind::Township => "乡镇",
            UnitKind::Subdistrict => "街道",
            UnitKind::Other => "其他",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.label() == s.trim())
    }

    /// The statutory deadline for a report of `year`: 31 March of the next year for a
    /// government's own report, 31 January for everyone else (条例 第四十九、五十条).
    pub fn deadline(self, year: i32) -> Date {
        match self {
            UnitKind::Government => Date {
                year: year + 1,
                month: 3,
                day: 31,
            },
            _ => Date {
                year: year + 1,
                month: 1,
                day: 31,
            },
        }
    }
}

/// Site settings from `content/_index.md`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: Option<String>,
    pub owner: Option<String>,
    pub operator: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police_record: Option<String>,
    pub contact: Vec<String>,
    /// Name of a theme folder under `themes/`; default `default`.
    pub theme: Option<String>,
    /// Column name for the `ColumnName` meta tag; default 政府信息公开年报.
    pub column: Option<String>,
    /// Write each report's `fragment.html` for a portal CMS (`fragments: true`); off by default,
    /// since most sites never paste one and each is larger than the report's page.
    pub fragments: bool,
    pub intro: String,
    pub file: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Unit {
    /// The folder path below `content/`, e.g. `xiangcheng/huayuan`.
    pub id: String,
    /// The nearest ancestor unit.
    pub parent: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: UnitKind,
    pub order: Option<i64>,
    pub intro: String,
    pub file: String,
}

impl Unit {
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// One row of a table as written: its cells and where the row starts.
#[derive(Clone, Debug)]
pub struct RowData {
    pub cells: Vec<Cell>,
    pub pos: Pos,
}

/// A table's rows, indexed like the format's row list; `None` for a missing row.
#[derive(Clone, Debug, Default)]
pub struct TableData {
    pub rows: Vec<Option<RowData>>,
    /// Where the table's key is written.
    pub pos: Pos,
}

impl TableData {
    /// The whole-number value of row `key`, column `col`, if present.
    pub fn count(&self, spec: &super::format::TableSpec, key: &str, col: usize) -> Option<i64> {
        let (i, _) = spec.row(key)?;
        self.rows.get(i)?.as_ref()?.cells.get(col)?.count()
    }

    pub fn cell(&self, spec: &super::format::TableSpec, key: &str, col: usize) -> Option<&Cell> {
        let (i, _) = spec.row(key)?;
        self.rows.get(i)?.as_ref()?.cells.get(col)
    }

    pub fn number(
        &self,
        spec: &super::format::TableSpec,
        key: &str,
        col: usize,
    ) -> Option<Decimal> {
        self.cell(spec, key, col)?.number()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Acknowledged {
    pub rule: String,
    pub note: String,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub unit: String,
    pub year: i32,
    pub format: Format,
    pub published: Option<Date>,
    pub draft: bool,
    /// The title as written; see [`Report::title`] for the default.
    pub title: Option<String>,
    pub acknowledged: Vec<Acknowledged>,
    pub active: TableData,
    pub applications: TableData,
    pub appeals: TableData,
    pub body: Body,
    /// Attachment file names beside the report (`2020.pdf`), sorted.
    pub attachments: Vec<String>,
    pub file: String,
    /// Where `year`, `format` and `published` are written, for findings about them.
    pub year_pos: Pos,
    pub format_pos: Option<Pos>,
    pub published_pos: Option<Pos>,
}

impl Report {
    pub fn spec(&self) -> &'static FormatSpec {
        self.format.spec()
    }

    pub fn table(&self, id: TableId) -> &TableData {
        match id {
            TableId::Active => &self.active,
            TableId::Applications => &self.applications,
            TableId::Appeals => &self.appeals,
        }
    }

    pub fn title(&self, unit: &Unit) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| format!("{}{}年政府信息公开工作年度报告", unit.name, self.year))
    }

    /// 表三 一、本年新收 总计.
    pub fn applications_received(&self) -> Option<i64> {
        self.applications.count(&self.spec().applications, "new", 6)
    }
}

/// Everything read from `content/`.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub config: SiteConfig,
    /// Sorted by id, so parents come before children.
    pub units: Vec<Unit>,
    /// Sorted by unit id, then year.
    pub reports: Vec<Report>,
}

impl Site {
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units
            .binary_search_by(|u| u.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.units[i])
    }

    pub fn report(&self, unit: &str, year: i32) -> Option<&Report> {
        self.reports
            .binary_search_by(|r| (r.unit.as_str(), r.year).cmp(&(unit, year)))
            .ok()
            .map(|i| &self.reports[i])
    }

    /// Reports of one unit, oldest first.
    pub fn reports_of<'a>(&'a self, unit: &str) -> impl Iterator<Item = &'a Report> + use<'a> {
        let start = self.reports.partition_point(|r| r.unit.as_str() < unit);
        let len = self.reports[start..].partition_point(|r| r.unit == unit);
        self.reports[start..start + len].iter()
    }

    /// Units below `unit` (ids starting with `unit/`), in id order. Ids with a common prefix
    /// sort together, so they are one run of the sorted list, found by binary search.
    pub fn units_below(&self, unit: &str) -> &[Unit] {
        let prefix = format!("{unit}/");
        let start = self.units.partition_point(|u| u.id < prefix);
        let len = self.units[start..].partition_point(|u| u.id.starts_with(&prefix));
        &self.units[start..start + len]
    }

    /// Reports of the units below `unit`, sorted like [`Site::reports`] (one run of it).
    pub fn reports_below(&self, unit: &str) -> &[Report] {
        let prefix = format!("{unit}/");
        let start = self.reports.partition_point(|r| r.unit < prefix);
        let len = self.reports[start..].partition_point(|r| r.unit.starts_with(&prefix));
        &self.reports[start..start + len]
    }

    pub fn children<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units_below(unit)
            .iter()
            .filter(move |u| u.parent.as_deref() == Some(unit))
    }

    /// `unit` and every unit below it, in id order.
    pub fn subtree<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Unit> + 'a {
        self.unit(unit)
            .into_iter()
            .chain(self.units_below(unit).iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2025-02-25").unwrap().to_string(), "2025-02-25");
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("25-02-01").is_none());
        assert!(Date::parse("2025/02/01").is_none());
    }

    #[test]
    fn deadlines() {
        assert_eq!(
            UnitKind::Government.deadline(2024).to_string(),
            "2025-03-31"
        );
        assert_eq!(
            UnitKind::Subdistrict.deadline(2020).to_string(),
            "2021-01-31"
        );
    }

    #[test]
    fn subtrees_are_runs_of_the_sorted_units() {
        let unit = |id: &str, parent: Option<&str>| Unit {
            id: id.into(),
            parent: parent.map(Into::into),
            name: id.into(),
            short_name: None,
            kind: UnitKind::Department,
            order: None,
            intro: String::new(),
            file: String::new(),
        };
        // '-' sorts before '/', so `a-b` sits between `a` and `a/x`.
        let site = Site {
            units: vec![
                unit("a", None),
                unit("a-b", None),
                unit("a/x", Some("a")),
                unit("a/x/y", Some("a/x")),
                unit("a/z", Some("a")),
                unit("ab", None),
            ],
            ..Site::default()
        };
        let ids =
            |it: &mut dyn Iterator<Item = &Unit>| it.map(|u| u.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&mut site.subtree("a")), ["a", "a/x", "a/x/y", "a/z"]);
        assert_eq!(ids(&mut site.children("a")), ["a/x", "a/z"]);
        assert_eq!(ids(&mut site.subtree("a/x")), ["a/x", "a/x/y"]);
        assert!(site.units_below("ab").is_empty());
        assert!(site.subtree("nope").next().is_none());
    }
}
