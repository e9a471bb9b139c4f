//! What templates receive. Each page gets only what it renders (a Zola theme went from 0.3 s
//! to 40 s for 1,000 pages by handing every page the whole site), and every link is already
//! made relative to the page, so templates never compute paths.
//!
//! Every in-site link ends in `index.html` (or another file name): the tree must work from a
//! plain file host and from `file://`, where a folder link does not open its index.

use serde::Serialize;

/// Site-wide values, the same for every page (serialised once per page; small).
#[derive(Clone, Debug, Serialize, Default)]
pub struct SiteCtx {
    pub title: String,
    /// ColumnName meta tag, e.g. 政府信息公开年报.
    pub column: String,
    /// Host of `base_url`, for the SiteDomain meta tag.
    pub domain: Option<String>,
    pub owner: Option<String>,
    pub operator: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police_record: Option<String>,
    pub contact: Vec<String>,
    /// Site intro Markdown rendered to HTML (home page only shows it).
    pub intro_html: String,
}

/// Per-page head and navigation values.
#[derive(Clone, Debug, Serialize, Default)]
pub struct PageCtx {
    /// `home`, `year`, `unit`, `report`, `search`, `not_found`.
    pub kind: &'static str,
    /// `<title>` and ArticleTitle.
    pub title: String,
    /// Relative path from this page to the site root, e.g. `../../` (`./` at the root).
    pub root: String,
    /// Absolute URL of the page when `base_url` is set (canonical, Url meta tag).
    pub url: Option<String>,
    /// PubDate meta tag: `YYYY-MM-DD HH:MM`; empty when unknown.
    pub pub_date: String,
    /// 发布日期 shown on the page (YYYY-MM-DD) or None (the page then says 发布日期未注明).
    pub published: Option<String>,
    pub description: String,
    pub keywords: String,
    /// ContentSource meta tag: the unit that wrote the content, or the site owner.
    pub content_source: String,
    pub breadcrumbs: Vec<Link>,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// One `<th>`/`<td>` of an official table as its format lays it out: the same for every report
/// of that format. A data cell's figure is in [`TableCtx::figures`].
#[derive(Clone, Debug, Serialize, Default)]
pub struct CellCtx {
    /// `th` or `td`.
    pub tag: &'static str,
    /// A header cell's label; empty for data cells.
    pub text: String,
    pub rowspan: u32,
    pub colspan: u32,
    /// `col`, `colgroup`, `row`, `rowgroup` for header cells.
    pub scope: Option<&'static str>,
    pub id: Option<String>,
    /// Space-separated ids of the header cells (WCAG H43), for data cells.
    pub headers: Option<String>,
    /// A header cell's CSS classes: `corner`, `block`, `group`, `label`; empty for data cells.
    pub class: &'static str,
    /// For a data cell: the index of its figure in the table's `figures`.
    pub figure: Option<usize>,
}

/// What a data cell shows: one report's figure.
#[derive(Clone, Debug, Serialize)]
pub struct TableFigure {
    /// The figure as written; empty when not filled in.
    pub text: String,
    /// CSS classes: `num`, plus `blank` when not filled in and `ack` when it carries an
    /// acknowledged finding.
    pub class: &'static str,
    /// Number of the acknowledged-finding note shown beside this figure (原文如此), if any.
    pub ack: Option<usize>,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct RowGroup {
    /// `thead` or `tbody`.
    pub tag: &'static str,
    pub rows: Vec<Vec<CellCtx>>,
}

/// An official table laid out with its merged headers, and one report's figures.
#[derive(Clone, Debug, Serialize)]
pub struct TableCtx {
    /// `active`, `applications`, `appeals`.
    pub id: &'static str,
    pub caption: String,
    /// The rows of cells ([`RowGroup`]s), made once per format and shared by every report.
    pub groups: tera::Value,
    /// The report's figures, one per data cell in document order (`cell.figure` indexes it).
    pub figures: Vec<TableFigure>,
    /// Number of columns (for `<colgroup>` and print layout).
    pub columns: usize,
    /// The table's markup, made from the cells by `render::table` (the one place it is
    /// written): what the component `nb.official_table(table)` prints.
    pub html: String,
    /// The same with inline styles, for the CMS fragment (`nb.official_table(table, inline=true)`).
    pub html_inline: String,
}

/// A note from `acknowledged`, numbered as the markers beside figures.
#[derive(Clone, Debug, Serialize)]
pub struct AckNote {
    pub number: usize,
    pub rule: String,
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SectionCtx {
    pub number: u8,
    pub heading: String,
    /// `h2` normally.
    pub html: String,
    pub table: Option<TableCtx>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    pub name: String,
    pub href: String,
    /// Upper-case extension, e.g. PDF.
    pub kind: String,
}

/// A link to another year of the same unit.
#[derive(Clone, Debug, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub href: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportCtx {
    pub title: String,
    pub unit_name: String,
    pub unit_href: String,
    pub year: i32,
    pub format: &'static str,
    pub format_notice: &'static str,
    pub published: Option<String>,
    pub deadline: String,
    /// `on_time`, `late`, `unknown`.
    pub timeliness: &'static str,
    pub preamble_html: String,
    /// The six sections in official order; tables sit in sections 二, 三, 四.
    pub sections: Vec<SectionCtx>,
    pub attachments: Vec<Attachment>,
    pub ack_notes: Vec<AckNote>,
    pub prev: Option<YearLink>,
    pub next: Option<YearLink>,
    pub year_href: String,
    pub json_href: String,
    pub csv_href: String,
    pub fragment_href: Option<String>,
}

/// One key figure of a report, formatted.
#[derive(Clone, Debug, Serialize)]
pub struct FigureCtx {
    pub text: String,
    /// Change against the previous year, e.g. `+12` / `−3` / `` (no previous).
    pub change: String,
    /// `up`, `down`, `same`, or `` when there is no comparison.
    pub trend: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct FigureRow {
    pub label: String,
    pub figures: Vec<FigureCtx>,
}

/// A year-over-year table: one column per year (oldest first), one row per key figure.
#[derive(Clone, Debug, Serialize)]
pub struct YoyCtx {
    pub years: Vec<i32>,
    pub rows: Vec<FigureRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartCtx {
    pub title: String,
    /// A complete inline `<svg>` drawn at build time (role="img", with <title> and <desc>).
    pub svg: String,
}

/// A report in a list (unit, year and home pages).
#[derive(Clone, Debug, Serialize)]
pub struct ReportItem {
    pub title: String,
    pub href: String,
    pub year: i32,
    pub unit_name: String,
    pub unit_href: String,
    pub published: Option<String>,
    pub deadline: String,
    pub timeliness: &'static str,
    /// Key figures in the order of `figure_labels` of the page.
    pub figures: Vec<String>,
}

/// Units of one kind (人民政府, 部门 …) with their reports.
#[derive(Clone, Debug, Serialize)]
pub struct KindGroup {
    pub kind: &'static str,
    pub items: Vec<ReportItem>,
}

/// A unit that has not published for a year.
#[derive(Clone, Debug, Serialize)]
pub struct MissingUnit {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub deadline: String,
}

/// A computed region total (汇总) over a unit's subtree for one year.
#[derive(Clone, Debug, Serialize)]
pub struct TotalCtx {
    pub title: String,
    pub year: i32,
    /// Same order as the page's `figure_labels`.
    pub figures: Vec<String>,
    /// The reports summed, so the total says what it includes; empty when they are many (a
    /// region's total on the year page) and `listed` says where they are.
    pub included: Vec<Link>,
    /// How many reports are summed.
    pub count: usize,
    /// Where the summed reports are listed when `included` is empty.
    pub listed: Option<Link>,
}

/// The pager of a list cut into pages (`index.html`, `index_1.html`, …); links are relative to
/// the page, so they work from `file://` and below any path.
#[derive(Clone, Debug, Serialize)]
pub struct PagerCtx {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PagerLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub href: String,
    pub groups: Vec<KindGroup>,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct HomeCtx {
    pub latest_year: Option<i32>,
    /// Every year with published reports, newest first (the 按年度 links).
    pub year_links: Vec<YearLink>,
    /// The years with reports on this page, newest first, with those reports.
    pub years: Vec<YearSummary>,
    /// `None` when the list fits one page.
    pub pager: Option<PagerCtx>,
    /// The first page, which has the totals and the units yet to publish.
    pub first_href: String,
    /// The latest year's units yet to publish, when they are few enough for the first page.
    pub missing_latest: Vec<MissingUnit>,
    /// How many units have not published the latest year's report.
    pub missing_count: usize,
    /// Where they are listed when they are too many for the first page.
    pub missing_href: Option<String>,
    pub totals: Vec<TotalCtx>,
    pub figure_labels: Vec<String>,
    pub feed_href: String,
    pub data_csv_href: String,
    pub data_json_href: String,
    pub search_href: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct YearCtx {
    pub year: i32,
    /// Published reports of the year, on all pages.
    pub count: usize,
    /// The reports on this page, by kind of unit.
    pub groups: Vec<KindGroup>,
    /// `None` when the list fits one page.
    pub pager: Option<PagerCtx>,
    /// The first page, which has the totals and the units yet to publish.
    pub first_href: String,
    /// The units yet to publish shown on this page: all of them on the first page when they
    /// are few, else a page of them on each of their own pages (`missing_page`).
    pub missing: Vec<MissingUnit>,
    /// How many units have not published the year's report.
    pub missing_count: usize,
    /// The first of their own pages, when they are too many for the year's first page.
    pub missing_href: Option<String>,
    /// This is one of the pages of units yet to publish (`missing.html`, …).
    pub missing_page: bool,
    pub totals: Vec<TotalCtx>,
    pub figure_labels: Vec<String>,
    pub prev: Option<YearLink>,
    pub next: Option<YearLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnitCtx {
    pub name: String,
    pub kind: &'static str,
    pub intro_html: String,
    pub parent: Option<Link>,
    pub children: Vec<Link>,
    /// Newest first.
    pub reports: Vec<ReportItem>,
    pub yoy: Option<YoyCtx>,
    pub charts: Vec<ChartCtx>,
    /// Totals over this unit's subtree per year, newest first (only when it has sub-units).
    pub totals: Vec<TotalCtx>,
    pub figure_labels: Vec<String>,
}
