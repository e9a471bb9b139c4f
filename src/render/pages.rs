//! Building each page's context and rendering it.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::context::*;
use super::figures::{self, KEY_FIGURES};
use super::table;
use super::{
    Data, Piecewise, RenderError, RenderInput, Sink, chart, data, feed, markdown, search, theme,
    url,
};
use crate::content::body::OFFICIAL_HEADINGS;
use crate::content::format::TableId;
use crate::content::{Report, Site, Unit, UnitKind};
use crate::validate::{AckNotes, Silenced};
use std::io::Write as _;

/// Relative path from a page at `dir` (e.g. `a/b/2020/`) back to the root.
fn root_of(dir: &str) -> String {
    let depth = dir.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

fn unit_dir(u: &str) -> String {
    format!("{u}/")
}

fn report_dir(r: &Report) -> String {
    format!("{}/{}/", r.unit, r.year)
}

/// [`unit_dir`] as a link (percent-encoded).
fn unit_link(u: &str) -> String {
    url::encode(&unit_dir(u)).into_owned()
}

/// [`report_dir`] as a link (percent-encoded).
fn report_link(r: &Report) -> String {
    url::encode(&report_dir(r)).into_owned()
}

fn year_dir(y: i32) -> String {
    format!("{y}/")
}

struct Ctx<'a> {
    site: &'a Site,
    site_ctx: SiteCtx,
    base: Option<String>,
    theme: &'a theme::Theme,
    /// Published (non-draft) reports, in site order.
    published: Vec<&'a Report>,
    years: Vec<i32>,
    /// The silenced findings of each report file.
    silenced: HashMap<&'a str, Vec<&'a Silenced>>,
    /// The columns of the open data, for the formats of the published reports.
    wide: data::WideTable,
}

fn timeliness(r: &Report, unit: &Unit) -> &'static str {
    match r.published {
        Some(d) if d <= unit.kind.deadline(r.year) => "on_time",
        Some(_) => "late",
        None => "unknown",
    }
}

fn unit_sort_key(u: &Unit) -> (i64, &str) {
    (u.order.unwrap_or(i64::MAX), u.name.as_str())
}

impl<'a> Ctx<'a> {
    fn page(&self, kind: &'static str, dir: &str, title: String) -> PageCtx {
        PageCtx {
            kind,
            title,
            root: root_of(dir),
            url: self
                .base
                .as_ref()
                .map(|b| feed::absolute(Some(b), &url::encode(dir))),
            content_source: self
                .site
                .config
                .owner
                .clone()
                .unwrap_or_else(|| self.site.config.title.clone()),
            keywords: "政府信息公开,年度报告".to_string(),
            ..Default::default()
        }
    }

    fn unit(&self, id: &str) -> &'a Unit {
        self.site.unit(id).expect("published reports have units")
    }

    /// Published reports of one unit, oldest first.
    fn own(&self, unit: &str) -> impl Iterator<Item = &'a Report> + use<'a> {
        self.site.reports_of(unit).filter(|r| !r.draft)
    }

    /// Published reports of `unit` and every unit below it, in site order.
    fn in_subtree(&self, unit: &str) -> impl Iterator<Item = &'a Report> + use<'a> {
        let site = self.site;
        self.own(unit).chain(
            site.reports_below(unit)
                .iter()
                .filter(move |r| !r.draft && site.unit(&r.unit).is_some()),
        )
    }

    fn item(&self, r: &Report, root: &str) -> ReportItem {
        let unit = self.unit(&r.unit);
        ReportItem {
            title: r.title(unit),
            href: format!("{root}{}index.html", report_link(r)),
            year: r.year,
            unit_name: unit.name.clone(),
            unit_href: format!("{root}{}index.html", unit_link(&unit.id)),
            published: r.published.map(|d| d.to_string()),
            deadline: unit.kind.deadline(r.year).to_string(),
            timeliness: timeliness(r, unit),
            figures: figures::of(r),
        }
    }

    fn breadcrumbs_for_unit(&self, unit: &Unit, root: &str, include_self: bool) -> Vec<Link> {
        let mut chain = Vec::new();
        let mut cur = Some(unit);
        while let Some(u) = cur {
            chain.push(u);
            cur = u.parent.as_deref().and_then(|p| self.site.unit(p));
        }
        chain.reverse();
        let mut links = vec![Link {
            title: "首页".into(),
            href: format!("{root}index.html"),
        }];
        for u in chain {
            if u.id == unit.id && !include_self {
                continue;
            }
            links.push(Link {
                title: u.display_name().to_string(),
                href: format!("{root}{}index.html", unit_link(&u.id)),
            });
        }
        links
    }

    fn reports_in_year(&self, year: i32) -> impl Iterator<Item = &&'a Report> + '_ {
        self.published.iter().filter(move |r| r.year == year)
    }

    fn groups(&self, year: i32, root: &str) -> Vec<KindGroup> {
        UnitKind::ALL
            .iter()
            .filter_map(|&kind| {
                let mut rs: Vec<&Report> = self
                    .reports_in_year(year)
                    .filter(|r| self.unit(&r.unit).kind == kind)
                    .copied()
                    .collect();
                rs.sort_by_key(|r| unit_sort_key(self.unit(&r.unit)));
                (!rs.is_empty()).then(|| KindGroup {
                    kind: kind.label(),
                    items: rs.iter().map(|r| self.item(r, root)).collect(),
                })
            })
            .collect()
    }

    /// Units that should have a report for `year` and do not: units with no report at all, and
    /// units whose first report is from an earlier year.
    fn missing(&self, year: i32, root: &str) -> Vec<MissingUnit> {
        let mut out: Vec<&Unit> = self
            .site
            .units
            .iter()
            .filter(|u| {
                let years: Vec<i32> = self.own(&u.id).map(|r| r.year).collect();
                !years.contains(&year) && years.iter().min().is_none_or(|&first| first < year)
            })
            .collect();
        out.sort_by_key(|u| (u.kind, unit_sort_key(u)));
        out.into_iter()
            .map(|u| MissingUnit {
                name: u.name.clone(),
                href: format!("{root}{}index.html", unit_link(&u.id)),
                kind: u.kind.label(),
                deadline: u.kind.deadline(year).to_string(),
            })
            .collect()
    }

    /// The total of `reports`. `listed`: where the page's reader finds the reports summed when
    /// they are too many to list under the total (`None`: list them).
    fn total(
        &self,
        title: String,
        year: i32,
        reports: &[&Report],
        root: &str,
        listed: Option<Link>,
    ) -> TotalCtx {
        TotalCtx {
            title,
            year,
            figures: figures::totals(reports.iter().copied()),
            included: if listed.is_some() {
                Vec::new()
            } else {
                reports
                    .iter()
                    .map(|r| Link {
                        title: r.title(self.unit(&r.unit)),
                        href: format!("{root}{}index.html", report_link(r)),
                    })
                    .collect()
            },
            count: reports.len(),
            listed,
        }
    }

    /// Region totals for a year: one per top-level unit with reports below it, plus all units.
    /// When the year has more than [`INCLUDED_LISTED`] reports, they are not listed under the
    /// totals (a province's year has tens of thousands): a region's are on its unit page, all
    /// units' on the year's pages (`year_href`).
    fn year_totals(&self, year: i32, root: &str, year_href: &str) -> Vec<TotalCtx> {
        let mut out = Vec::new();
        let many = self.reports_in_year(year).count() > INCLUDED_LISTED;
        let tops: Vec<&Unit> = self
            .site
            .units
            .iter()
            .filter(|u| u.parent.is_none())
            .collect();
        for top in &tops {
            let rs: Vec<&Report> = self
                .in_subtree(&top.id)
                .filter(|r| r.year == year)
                .collect();
            if rs.len() > 1 {
                let listed = many.then(|| Link {
                    title: format!("{}页面", top.name),
                    href: format!("{root}{}index.html", unit_link(&top.id)),
                });
                out.push(self.total(
                    format!("{}（含下属单位）{year}年合计", top.display_name()),
                    year,
                    &rs,
                    root,
                    listed,
                ));
            }
        }
        let all: Vec<&Report> = self.reports_in_year(year).copied().collect();
        if all.len() > 1 && tops.len() > 1 {
            let listed = many.then(|| Link {
                title: format!("{year}年度报告列表"),
                href: year_href.to_string(),
            });
            out.push(self.total(format!("全部单位{year}年合计"), year, &all, root, listed));
        }
        out
    }

    fn latest_date<'r>(reports: impl Iterator<Item = &'r Report>) -> Option<String> {
        reports
            .filter_map(|r| r.published)
            .max()
            .map(|d| d.to_string())
    }
}

fn render_page(
    cx: &Ctx,
    template: &str,
    page: &PageCtx,
    key: &str,
    value: &impl serde::Serialize,
) -> Result<Vec<u8>, RenderError> {
    render_values(
        cx,
        template,
        tera::Value::from_serializable(page),
        key,
        tera::Value::from_serializable(value),
    )
}

/// [`render_page`] with the page's values already made, for templates that share them (a
/// report's page and fragment: the values' arrays and maps are shared, not copied).
fn render_values(
    cx: &Ctx,
    template: &str,
    page: tera::Value,
    key: &str,
    value: tera::Value,
) -> Result<Vec<u8>, RenderError> {
    let c = tera_context(cx, page, key, value);
    // Into bytes directly: `render` would check the whole page is UTF-8 to make a String.
    let mut out = Vec::with_capacity(32 * 1024);
    cx.theme
        .tera
        .render_to(template, &c, &mut out)
        .map_err(|e| template_error(cx, &e))?;
    Ok(out)
}

/// [`render_page`] straight into the file `path` of `sink`, for the pages that list every
/// report of a year or of the site: large, so never held whole when the sink is a folder.
fn render_page_to(
    cx: &Ctx,
    template: &str,
    (page, key, value): (&PageCtx, &str, &impl serde::Serialize),
    sink: &dyn Sink,
    path: &str,
) -> Result<(), RenderError> {
    let c = tera_context(
        cx,
        tera::Value::from_serializable(page),
        key,
        tera::Value::from_serializable(value),
    );
    let mut file = sink.open(path).map_err(io_error(path))?;
    cx.theme
        .tera
        .render_to(template, &c, &mut file)
        .map_err(|e| template_error(cx, &e))?;
    file.finish(sink, path).map_err(io_error(path))
}

fn tera_context(cx: &Ctx, page: tera::Value, key: &str, value: tera::Value) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("site", &cx.site_ctx);
    c.insert_value("page", page);
    c.insert_value(key.to_string(), value);
    c
}

fn template_error(cx: &Ctx, e: &tera::Error) -> RenderError {
    RenderError::Template(Box::new(theme::template_error(e, &cx.theme.origins)))
}

fn put(sink: &dyn Sink, path: &str, data: Data) -> Result<(), RenderError> {
    sink.put(path, data)
        .map_err(|e| RenderError::Io(path.to_string(), e))
}

fn domain_of(base: &str) -> Option<String> {
    let rest = base.split_once("://").map(|(_, r)| r).unwrap_or(base);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty())
        .map(str::to_string)
}

/// The data every page is made from, computed once per render.
fn context<'a>(input: &'a RenderInput) -> Ctx<'a> {
    let site = input.site;
    let base = input
        .base_url
        .clone()
        .or_else(|| site.config.base_url.clone())
        .map(|b| {
            let b = b.trim().trim_end_matches('/').to_string();
            format!("{b}/")
        });
    let published: Vec<&Report> = site
        .reports
        .iter()
        .filter(|r| !r.draft && site.unit(&r.unit).is_some())
        .collect();
    let years: Vec<i32> = published
        .iter()
        .map(|r| r.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut silenced: HashMap<&str, Vec<&Silenced>> = HashMap::new();
    for s in input.silenced {
        silenced.entry(s.finding.file.as_str()).or_default().push(s);
    }
    let c = &site.config;
    Ctx {
        site,
        site_ctx: SiteCtx {
            title: c.title.clone(),
            column: c
                .column
                .clone()
                .unwrap_or_else(|| "政府信息公开年报".to_string()),
            domain: base.as_deref().and_then(domain_of),
            owner: c.owner.clone(),
            operator: c.operator.clone(),
            site_code: c.site_code.clone(),
            icp: c.icp.clone(),
            police_record: c.police_record.clone(),
            contact: c.contact.clone(),
            intro_html: markdown::to_html(&c.intro),
        },
        base,
        theme: input.theme,
        wide: data::WideTable::new(&published.iter().map(|r| r.format).collect::<Vec<_>>()),
        published,
        years,
        silenced,
    }
}

/// Renders only the files of the published reports whose source file (`content/…/2024.md`) is in
/// `files`: their page, fragment, data files and attachments. `serve` uses it to show an edited
/// report at once; the bytes are exactly those [`render`] gives for these reports.
pub fn render_reports(
    input: &RenderInput,
    sink: &dyn Sink,
    files: &std::collections::HashSet<&str>,
) -> Result<(), RenderError> {
    let cx = context(input);
    cx.published
        .par_iter()
        .filter(|r| files.contains(r.file.as_str()))
        .try_for_each(|r| report_files(&cx, r, input, sink, false).map(drop))
}

/// The `fragment.html` of the report of `unit` for `year` (a draft too: staff paste it into the
/// CMS before the site shows it): what `nianbao fragment` prints. `None` when there is no such
/// report.
pub fn render_fragment(
    input: &RenderInput,
    unit: &str,
    year: i32,
) -> Result<Option<Vec<u8>>, RenderError> {
    let cx = context(input);
    let Some(r) = input.site.report(unit, year) else {
        return Ok(None);
    };
    let Some(u) = input.site.unit(&r.unit) else {
        return Ok(None);
    };
    let (page, ctx) = report_page(&cx, r, u, &report_dir(r));
    fragment_of(
        &cx,
        tera::Value::from_serializable(&page),
        tera::Value::from_serializable(&ctx),
    )
    .map(Some)
}

/// Renders the whole site into `sink`.
pub fn render(input: &RenderInput, sink: &dyn Sink) -> Result<(), RenderError> {
    // On a thread of the pool, like all the parallel work: the pages made one at a time (home,
    // feed, sitemap) then reuse the memory the report pass freed, instead of adding their own.
    rayon::scope(|_| {
        let cx = context(input);
        report_pass(&cx, input, sink)?;
        list_pages(&cx, input, sink)
    })
}

/// Every report's page, fragment, data files and attachments, in batches, so that each batch's
/// parts of the site-wide files are appended (while the next batch renders) and then dropped.
fn report_pass(cx: &Ctx, input: &RenderInput, sink: &dyn Sink) -> Result<(), RenderError> {
    let mut site_files = SiteFiles::open(cx, sink)?;
    let mut pending: Vec<SiteParts> = Vec::new();
    for batch in cx.published.chunks(BATCH) {
        let (appended, parts) = rayon::join(
            || site_files.append(std::mem::take(&mut pending), sink),
            || {
                batch
                    .par_iter()
                    .map(|r| report_files(cx, r, input, sink, true).map(Option::unwrap))
                    .collect::<Result<Vec<_>, _>>()
            },
        );
        appended?;
        pending = parts?;
        sink.reports_rendered(batch.len());
    }
    site_files.append(pending, sink)?;
    site_files.finish(sink)
}

/// Unit, year and home pages, search, 404, feed, sitemap and static files.
fn list_pages(cx: &Ctx, input: &RenderInput, sink: &dyn Sink) -> Result<(), RenderError> {
    let site = input.site;
    // Units.
    site.units.par_iter().try_for_each(|u| {
        let dir = unit_dir(&u.id);
        let (page, ctx) = unit_page(cx, u, &dir);
        put(
            sink,
            &format!("{dir}index.html"),
            Data::Bytes(render_page(cx, "unit.html", &page, "unit", &ctx)?),
        )
    })?;
    // Years.
    // Years and home, one at a time: each lists many reports.
    for &y in &cx.years {
        let dir = year_dir(y);
        for (file, page, ctx) in year_pages(cx, y, &dir) {
            let path = format!("{dir}{file}");
            render_page_to(cx, "year.html", (&page, "year", &ctx), sink, &path)?;
        }
    }
    // Home, search, 404.
    for (n, (page, home)) in home_pages(cx).iter().enumerate() {
        render_page_to(cx, "home.html", (page, "home", home), sink, &page_file(n))?;
    }
    let mut page = cx.page("search", "search/", "检索".to_string());
    page.breadcrumbs = vec![Link {
        title: "首页".into(),
        href: "../index.html".into(),
    }];
    let search_ctx = serde_json::json!({ "index_href": "index.js" });
    put(
        sink,
        "search/index.html",
        Data::Bytes(render_page(
            cx,
            "search.html",
            &page,
            "search",
            &search_ctx,
        )?),
    )?;
    let mut page = cx.page("not_found", "", "页面不存在".to_string());
    // A server shows 404.html at any depth: the theme takes the site's root path from the
    // page's URL when base_url is known, and falls back to `./`.
    page.url = cx
        .base
        .as_ref()
        .map(|b| feed::absolute(Some(b), "404.html"));
    put(
        sink,
        "404.html",
        Data::Bytes(render_page(
            cx,
            "404.html",
            &page,
            "not_found",
            &serde_json::json!({}),
        )?),
    )?;

    // Feed and sitemap.
    let mut by_date: Vec<&&Report> = cx
        .published
        .iter()
        .filter(|r| r.published.is_some())
        .collect();
    by_date.sort_by(|a, b| (b.published, b.year, &b.unit).cmp(&(a.published, a.year, &a.unit)));
    let entries: Vec<feed::FeedEntry> = by_date
        .iter()
        .take(100)
        .map(|r| {
            let u = cx.unit(&r.unit);
            let date = r.published.expect("filtered").to_string();
            feed::FeedEntry {
                title: r.title(u),
                path: format!("{}index.html", report_link(r)),
                id: match &cx.base {
                    Some(b) => feed::absolute(Some(b), &report_link(r)),
                    None => format!("tag:nianbao,{}:{}/{}", r.year, url::encode(&r.unit), r.year),
                },
                updated: format!("{date}T00:00:00+08:00"),
                author: u.name.clone(),
                summary: format!(
                    "{}发布{}年政府信息公开工作年度报告（发布日期 {date}）",
                    u.name, r.year
                ),
            }
        })
        .collect();
    let updated = entries
        .first()
        .map(|e| e.updated.clone())
        .unwrap_or_else(|| "2000-01-01T00:00:00+08:00".to_string());
    let feed_id = cx
        .base
        .clone()
        .unwrap_or_else(|| "tag:nianbao,2000:site".to_string());
    put(
        sink,
        "atom.xml",
        Data::Bytes(
            feed::atom(
                cx.base.as_deref(),
                &site.config.title,
                &feed_id,
                &updated,
                &entries,
            )
            .into_bytes(),
        ),
    )?;
    let mut urls: Vec<(String, Option<String>)> = vec![(
        String::new(),
        Ctx::latest_date(cx.published.iter().copied()),
    )];
    let latest = urls[0].1.clone();
    urls.extend((1..page_count(cx.published.len())).map(|n| (page_file(n), latest.clone())));
    for &y in &cx.years {
        let latest = Ctx::latest_date(cx.reports_in_year(y).copied());
        urls.push((year_dir(y), latest.clone()));
        let pages = page_count(cx.reports_in_year(y).count());
        urls.extend(
            (1..pages).map(|n| (format!("{}{}", year_dir(y), page_file(n)), latest.clone())),
        );
        let missing = cx.missing(y, "").len();
        if missing > INCLUDED_LISTED {
            urls.extend(
                (0..page_count(missing))
                    .map(|n| (format!("{}{}", year_dir(y), paged_file(MISSING, n)), None)),
            );
        }
    }
    urls.extend(
        site.units
            .iter()
            .map(|u| (unit_link(&u.id), Ctx::latest_date(cx.own(&u.id)))),
    );
    urls.extend(
        cx.published
            .iter()
            .map(|r| (report_link(r), r.published.map(|d| d.to_string()))),
    );
    urls.push(("search/".to_string(), None));
    for (name, xml) in feed::sitemaps(cx.base.as_deref(), &urls) {
        put(sink, &name, Data::Bytes(xml.into_bytes()))?;
    }

    for (name, bytes) in &input.theme.statics {
        put(sink, &format!("static/{name}"), Data::Bytes(bytes.clone()))?;
    }
    Ok(())
}

/// Reports per batch of the report pass: enough to keep both threads busy, few enough that the
/// batch's parts of the site-wide files stay small.
const BATCH: usize = 32;

/// What one report adds to the site-wide files.
struct SiteParts {
    /// Its row of `data/reports.json`.
    json: Vec<u8>,
    /// Its row of `data/reports.csv`.
    csv: Vec<u8>,
    /// Its document and grams in the search index.
    search: search::Part,
}

/// The files made of every report's part, written in report order as batches finish, so they
/// are never whole in memory when the output is a folder.
struct SiteFiles {
    json: Piecewise,
    csv: Piecewise,
    search: search::Writer,
    empty: bool,
}

const REPORTS_JSON: &str = "data/reports.json";
const REPORTS_CSV: &str = "data/reports.csv";

fn io_error(path: &str) -> impl FnOnce(std::io::Error) -> RenderError + '_ {
    move |e| RenderError::Io(path.to_string(), e)
}

impl SiteFiles {
    fn open(cx: &Ctx, sink: &dyn Sink) -> Result<SiteFiles, RenderError> {
        let open = |path| sink.open(path).map_err(io_error(path));
        let mut files = SiteFiles {
            json: open(REPORTS_JSON)?,
            csv: open(REPORTS_CSV)?,
            search: search::Writer::new(cx.published.iter().map(|r| {
                let unit = cx.unit(&r.unit);
                search::Key {
                    year: r.year,
                    title: r.title(unit),
                    link: report_link(r),
                    unit: &unit.name,
                    source: r.body.all_text(),
                }
            })),
            empty: true,
        };
        files.write(&cx.wide.json_head(), &cx.wide.csv_head())?;
        Ok(files)
    }

    fn write(&mut self, json: &[u8], csv: &[u8]) -> Result<(), RenderError> {
        self.json.write_all(json).map_err(io_error(REPORTS_JSON))?;
        self.csv.write_all(csv).map_err(io_error(REPORTS_CSV))
    }

    fn append(&mut self, parts: Vec<SiteParts>, sink: &dyn Sink) -> Result<(), RenderError> {
        for p in parts {
            let json_sep: &[u8] = if self.empty { b"\n" } else { b",\n" };
            self.empty = false;
            self.write(json_sep, b"")?;
            self.write(&p.json, &p.csv)?;
            self.search.add(p.search, sink)?;
        }
        Ok(())
    }

    fn finish(mut self, sink: &dyn Sink) -> Result<(), RenderError> {
        self.write(data::JSON_END, b"")?;
        self.json
            .finish(sink, REPORTS_JSON)
            .map_err(io_error(REPORTS_JSON))?;
        self.csv
            .finish(sink, REPORTS_CSV)
            .map_err(io_error(REPORTS_CSV))?;
        self.search.finish(sink)
    }
}

/// The report's `fragment.html` for a portal CMS: the report page's body with inline styles,
/// made by the theme's `fragment.html` from the same values as the page.
fn fragment_of(cx: &Ctx, page: tera::Value, ctx: tera::Value) -> Result<Vec<u8>, RenderError> {
    render_values(cx, "fragment.html", page, "report", ctx)
}

/// Writes a report's files; with `parts`, also returns what it adds to the site-wide files.
fn report_files(
    cx: &Ctx,
    r: &Report,
    input: &RenderInput,
    sink: &dyn Sink,
    parts: bool,
) -> Result<Option<SiteParts>, RenderError> {
    let dir = report_dir(r);
    let unit = cx.unit(&r.unit);
    let (page, ctx) = report_page(cx, r, unit, &dir);
    let (page, ctx) = (
        tera::Value::from_serializable(&page),
        tera::Value::from_serializable(&ctx),
    );
    put(
        sink,
        &format!("{dir}index.html"),
        Data::Bytes(render_values(
            cx,
            "report.html",
            page.clone(),
            "report",
            ctx.clone(),
        )?),
    )?;
    if cx.site.config.fragments {
        put(
            sink,
            &format!("{dir}fragment.html"),
            Data::Bytes(fragment_of(cx, page, ctx)?),
        )?;
    }
    let site_parts = parts.then(|| {
        let link = format!("{}index.html", report_link(r));
        let row = cx
            .wide
            .row(cx.site, r, unit, &feed::absolute(cx.base.as_deref(), &link));
        SiteParts {
            json: data::json_row(&row),
            csv: data::csv_row(&row),
            search: search::Part::new(&search::Doc {
                t: r.title(unit),
                u: link,
                y: r.year,
                n: unit.name.clone(),
                x: markdown::to_text(&r.body.all_text()),
            }),
        }
    });
    for name in &r.attachments {
        if let Some(src) = input.attachments.get(&format!("{}/{name}", r.unit)) {
            put(sink, &format!("{dir}{name}"), Data::Copy(src.clone()))?;
        }
    }
    Ok(site_parts)
}

fn report_page(cx: &Ctx, r: &Report, unit: &Unit, dir: &str) -> (PageCtx, ReportCtx) {
    let root = root_of(dir);
    let title = r.title(unit);
    let mut page = cx.page("report", dir, title.clone());
    page.published = r.published.map(|d| d.to_string());
    page.pub_date = r
        .published
        .map(|d| format!("{d} 00:00"))
        .unwrap_or_default();
    page.content_source = unit.name.clone();
    page.description = format!("{}{}年政府信息公开工作年度报告", unit.name, r.year);
    page.keywords = format!("{},{}年,政府信息公开,年度报告", unit.display_name(), r.year);
    page.breadcrumbs = cx.breadcrumbs_for_unit(unit, &root, true);

    // Acknowledged notes, numbered; figures with a silenced finding get the note's marker.
    let acks = AckNotes::of(
        r,
        cx.silenced
            .get(r.file.as_str())
            .into_iter()
            .flatten()
            .copied(),
    );
    let ack_notes: Vec<AckNote> = acks
        .notes
        .iter()
        .map(|&(number, a)| AckNote {
            number,
            rule: a.rule.clone(),
            note: a.note.clone(),
        })
        .collect();
    let spec = r.spec();
    let mut sections = Vec::new();
    for n in 1u8..=6 {
        let table = TableId::ALL
            .into_iter()
            .find(|t| t.section() == n)
            .map(|t| table::layout(spec.table(t), r.table(t), &acks));
        match r.body.section(n) {
            Some(s) => sections.push(SectionCtx {
                number: n,
                heading: s.heading.clone(),
                html: markdown::to_html(&s.markdown),
                table,
            }),
            None if table.is_some() => sections.push(SectionCtx {
                number: n,
                heading: OFFICIAL_HEADINGS[n as usize - 1].to_string(),
                html: String::new(),
                table,
            }),
            None => {}
        }
    }
    let years: Vec<i32> = cx.own(&r.unit).map(|p| p.year).collect();
    let link = |y: i32| YearLink {
        year: y,
        href: format!("{root}{}{y}/index.html", unit_link(&r.unit)),
    };
    let ctx = ReportCtx {
        title,
        unit_name: unit.name.clone(),
        unit_href: format!("{root}{}index.html", unit_link(&unit.id)),
        year: r.year,
        format: r.format.id(),
        format_notice: r.format.notice(),
        published: r.published.map(|d| d.to_string()),
        deadline: unit.kind.deadline(r.year).to_string(),
        timeliness: timeliness(r, unit),
        preamble_html: markdown::to_html(&r.body.preamble),
        sections,
        attachments: r
            .attachments
            .iter()
            .map(|a| Attachment {
                name: a.clone(),
                href: url::encode(a).into_owned(),
                kind: a.rsplit('.').next().unwrap_or("").to_uppercase(),
            })
            .collect(),
        ack_notes,
        prev: years.iter().rev().find(|&&y| y < r.year).map(|&y| link(y)),
        next: years.iter().find(|&&y| y > r.year).map(|&y| link(y)),
        year_href: format!("{root}{}index.html", year_dir(r.year)),
        json_href: format!("{root}{REPORTS_JSON}"),
        csv_href: format!("{root}{REPORTS_CSV}"),
        fragment_href: cx.site.config.fragments.then(|| "fragment.html".into()),
    };
    (page, ctx)
}

fn unit_page(cx: &Ctx, u: &Unit, dir: &str) -> (PageCtx, UnitCtx) {
    let root = root_of(dir);
    let mut page = cx.page("unit", dir, format!("{}政府信息公开工作年度报告", u.name));
    page.content_source = u.name.clone();
    page.description = format!("{}历年政府信息公开工作年度报告", u.name);
    page.keywords = format!("{},政府信息公开,年度报告", u.display_name());
    page.breadcrumbs = cx.breadcrumbs_for_unit(u, &root, false);
    let own: Vec<&Report> = cx.own(&u.id).collect();
    page.published = own
        .iter()
        .filter_map(|r| r.published)
        .max()
        .map(|d| d.to_string());
    page.pub_date = page
        .published
        .as_ref()
        .map(|d| format!("{d} 00:00"))
        .unwrap_or_default();

    let yoy = (!own.is_empty()).then(|| YoyCtx {
        years: own.iter().map(|r| r.year).collect(),
        rows: KEY_FIGURES
            .iter()
            .map(|f| FigureRow {
                label: f.label.to_string(),
                figures: own
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let now = f.read(r);
                        let before = i
                            .checked_sub(1)
                            .and_then(|j| own.get(j))
                            .filter(|p| p.year == r.year - 1)
                            .and_then(|p| f.read(p));
                        let (change, trend) = figures::change(now, before);
                        FigureCtx {
                            text: figures::show(now),
                            change,
                            trend,
                        }
                    })
                    .collect(),
            })
            .collect(),
    });
    let charts: Vec<ChartCtx> = KEY_FIGURES[..5]
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(i, 0 | 3 | 4))
        .filter_map(|(i, f)| {
            let points: Vec<(i32, Option<f64>, String)> = own
                .iter()
                .map(|r| {
                    (
                        r.year,
                        f.read(r).map(|d| d.to_f64()),
                        figures::show(f.read(r)),
                    )
                })
                .collect();
            let title = format!("历年{}", f.label);
            chart::bars(&format!("chart-{i}"), &title, &points).map(|svg| ChartCtx { title, svg })
        })
        .collect();
    let children: Vec<Link> = {
        let mut cs: Vec<&Unit> = cx.site.children(&u.id).collect();
        cs.sort_by_key(|c| unit_sort_key(c));
        cs.iter()
            .map(|c| Link {
                title: c.name.clone(),
                href: format!("{root}{}index.html", unit_link(&c.id)),
            })
            .collect()
    };
    let mut totals = Vec::new();
    if !children.is_empty() {
        let mut by_year: BTreeMap<i32, Vec<&Report>> = BTreeMap::new();
        for r in cx.in_subtree(&u.id) {
            by_year.entry(r.year).or_default().push(r);
        }
        for (year, rs) in by_year.into_iter().rev() {
            if rs.len() > 1 {
                let listed = (rs.len() > INCLUDED_LISTED).then(|| Link {
                    title: "下属单位各页面".into(),
                    href: "#children-h".into(),
                });
                totals.push(cx.total(
                    format!("{}（含下属单位）{year}年合计", u.display_name()),
                    year,
                    &rs,
                    &root,
                    listed,
                ));
            }
        }
    }
    let mut reports: Vec<ReportItem> = own.iter().map(|r| cx.item(r, &root)).collect();
    reports.reverse();
    let ctx = UnitCtx {
        name: u.name.clone(),
        kind: u.kind.label(),
        intro_html: markdown::to_html(&u.intro),
        parent: u
            .parent
            .as_deref()
            .and_then(|p| cx.site.unit(p))
            .map(|p| Link {
                title: p.name.clone(),
                href: format!("{root}{}index.html", unit_link(&p.id)),
            }),
        children,
        reports,
        yoy,
        charts,
        totals,
        figure_labels: figures::labels(),
    };
    (page, ctx)
}

/// Reports listed per page of the home and year pages (`index.html`, `index_1.html`, …): a
/// year of a province has tens of thousands, and a page of 100 stays near 100 KB.
pub const PAGE_SIZE: usize = 100;

/// Above this many reports, a total says where its reports are listed instead of listing them.
const INCLUDED_LISTED: usize = PAGE_SIZE;

/// How many pages a list of `items` reports takes: one at least.
fn page_count(items: usize) -> usize {
    items.div_ceil(PAGE_SIZE).max(1)
}

/// The file of page `n` (from 0) of a paged list: `index.html`, `index_1.html`, …, as
/// government portals name their column pages.
pub fn page_file(n: usize) -> String {
    paged_file("index", n)
}

/// Page `n` (from 0) of the list whose first page is `<stem>.html`: `<stem>_<n>.html` after.
fn paged_file(stem: &str, n: usize) -> String {
    match n {
        0 => format!("{stem}.html"),
        n => format!("{stem}_{n}.html"),
    }
}

/// The first page of a year's units yet to publish, when they are too many for the year's
/// first page: `<year>/missing.html`, then `missing_1.html`, …
const MISSING: &str = "missing";

/// `items` (in list order, each with the key of the group it is shown in) cut into pages of at
/// most [`PAGE_SIZE`], each page's items grouped by consecutive key. At least one page.
fn paginate<K: PartialEq>(items: Vec<(K, ReportItem)>) -> Vec<Vec<(K, Vec<ReportItem>)>> {
    let mut pages: Vec<Vec<(K, Vec<ReportItem>)>> = vec![Vec::new()];
    let mut on_page = 0;
    for (key, item) in items {
        if on_page == PAGE_SIZE {
            pages.push(Vec::new());
            on_page = 0;
        }
        let page = pages.last_mut().expect("one page at least");
        match page.last_mut() {
            Some((k, group)) if *k == key => group.push(item),
            _ => page.push((key, vec![item])),
        }
        on_page += 1;
    }
    pages
}

/// The pager of page `n` (from 0) of `total` of the list `<stem>.html`, …; `None` for a list
/// of one page.
fn pager(stem: &str, n: usize, total: usize) -> Option<PagerCtx> {
    (total > 1).then(|| PagerCtx {
        current: n + 1,
        total,
        prev: n.checked_sub(1).map(|p| paged_file(stem, p)),
        next: (n + 1 < total).then(|| paged_file(stem, n + 1)),
        pages: (0..total)
            .map(|i| PagerLink {
                number: i + 1,
                href: paged_file(stem, i),
                current: i == n,
            })
            .collect(),
    })
}

/// Page `n` (from 0) of the paged list `<stem>.html` at `dir`: its title says the page, its URL
/// the file.
fn nth_page(cx: &Ctx, mut page: PageCtx, dir: &str, stem: &str, n: usize) -> PageCtx {
    if n > 0 {
        page.title = format!("{}（第{}页）", page.title, n + 1);
    }
    if n > 0 || stem != "index" {
        let file = paged_file(stem, n);
        page.url = cx
            .base
            .as_ref()
            .map(|b| feed::absolute(Some(b), &format!("{}{file}", url::encode(dir))));
    }
    page
}

/// A year's pages (file name, page, context): its reports by kind of unit, [`PAGE_SIZE`] a
/// page; the first page also has the totals and the units yet to publish, or, when these are
/// more than a page, a link to their own pages (`missing.html`, …), which follow.
fn year_pages(cx: &Ctx, year: i32, dir: &str) -> Vec<(String, PageCtx, YearCtx)> {
    let root = root_of(dir);
    let mut page = cx.page("year", dir, format!("{year}年度政府信息公开工作年度报告"));
    page.description = format!("{year}年度各单位政府信息公开工作年度报告");
    page.keywords = format!("{year}年,政府信息公开,年度报告");
    page.breadcrumbs = vec![Link {
        title: "首页".into(),
        href: format!("{root}index.html"),
    }];
    page.published = Ctx::latest_date(cx.reports_in_year(year).copied());
    page.pub_date = page
        .published
        .as_ref()
        .map(|d| format!("{d} 00:00"))
        .unwrap_or_default();
    let link = |y: i32| YearLink {
        year: y,
        href: format!("{root}{y}/index.html"),
    };
    let items: Vec<(&'static str, ReportItem)> = cx
        .groups(year, &root)
        .into_iter()
        .flat_map(|g| g.items.into_iter().map(move |i| (g.kind, i)))
        .collect();
    let count = items.len();
    let pages = paginate(items);
    let total = pages.len();
    let mut missing = cx.missing(year, &root);
    let missing_count = missing.len();
    let missing_paged = missing_count > INCLUDED_LISTED;
    let base = YearCtx {
        year,
        count,
        groups: Vec::new(),
        pager: None,
        first_href: page_file(0),
        missing: Vec::new(),
        missing_count,
        missing_href: missing_paged.then(|| paged_file(MISSING, 0)),
        missing_page: false,
        totals: Vec::new(),
        figure_labels: figures::labels(),
        prev: cx.years.iter().find(|&&y| y < year).map(|&y| link(y)),
        next: cx.years.iter().rev().find(|&&y| y > year).map(|&y| link(y)),
    };
    let mut out: Vec<(String, PageCtx, YearCtx)> = pages
        .into_iter()
        .enumerate()
        .map(|(n, groups)| {
            let first = n == 0;
            let ctx = YearCtx {
                groups: groups
                    .into_iter()
                    .map(|(kind, items)| KindGroup { kind, items })
                    .collect(),
                pager: pager("index", n, total),
                missing: if first && !missing_paged {
                    std::mem::take(&mut missing)
                } else {
                    Vec::new()
                },
                totals: if first {
                    cx.year_totals(year, &root, &page_file(0))
                } else {
                    Vec::new()
                },
                ..base.clone()
            };
            (
                page_file(n),
                nth_page(cx, page.clone(), dir, "index", n),
                ctx,
            )
        })
        .collect();
    if missing_paged {
        let mut page = page.clone();
        page.title = format!("未发布{year}年度报告的单位");
        let chunks: Vec<Vec<MissingUnit>> = missing.chunks(PAGE_SIZE).map(<[_]>::to_vec).collect();
        let total = chunks.len();
        out.extend(chunks.into_iter().enumerate().map(|(n, units)| {
            let ctx = YearCtx {
                missing: units,
                missing_page: true,
                pager: pager(MISSING, n, total),
                ..base.clone()
            };
            (
                paged_file(MISSING, n),
                nth_page(cx, page.clone(), dir, MISSING, n),
                ctx,
            )
        }));
    }
    out
}

/// The home pages: every year's reports, newest year first, [`PAGE_SIZE`] a page; the first
/// page also has the introduction, the latest year's units yet to publish and its totals.
fn home_pages(cx: &Ctx) -> Vec<(PageCtx, HomeCtx)> {
    let root = "./";
    let mut page = cx.page("home", "", cx.site.config.title.clone());
    page.description = format!(
        "{}：各单位历年政府信息公开工作年度报告",
        cx.site.config.title
    );
    page.published = Ctx::latest_date(cx.published.iter().copied());
    page.pub_date = page
        .published
        .as_ref()
        .map(|d| format!("{d} 00:00"))
        .unwrap_or_default();
    let latest = cx.years.first().copied();
    let year_href = |y: i32| format!("{root}{}index.html", year_dir(y));
    let items: Vec<((i32, &'static str), ReportItem)> = cx
        .years
        .iter()
        .flat_map(|&y| {
            cx.groups(y, root)
                .into_iter()
                .flat_map(move |g| g.items.into_iter().map(move |i| ((y, g.kind), i)))
        })
        .collect();
    let pages = paginate(items);
    let total = pages.len();
    // The latest year's units yet to publish, or where they are listed when too many.
    let mut missing_latest = latest.map(|y| cx.missing(y, root)).unwrap_or_default();
    let missing_count = missing_latest.len();
    let missing_href = latest
        .filter(|_| missing_count > INCLUDED_LISTED)
        .map(|y| format!("{root}{}{}", year_dir(y), paged_file(MISSING, 0)));
    pages
        .into_iter()
        .enumerate()
        .map(|(n, groups)| {
            let first = n == 0;
            let mut years: Vec<YearSummary> = Vec::new();
            for ((y, kind), items) in groups {
                if years.last().is_none_or(|s| s.year != y) {
                    years.push(YearSummary {
                        year: y,
                        href: year_href(y),
                        groups: Vec::new(),
                        count: cx.reports_in_year(y).count(),
                    });
                }
                let summary = years.last_mut().expect("pushed");
                summary.groups.push(KindGroup { kind, items });
            }
            let ctx = HomeCtx {
                latest_year: latest,
                year_links: cx
                    .years
                    .iter()
                    .map(|&y| YearLink {
                        year: y,
                        href: year_href(y),
                    })
                    .collect(),
                years,
                pager: pager("index", n, total),
                first_href: page_file(0),
                missing_latest: if first && missing_href.is_none() {
                    std::mem::take(&mut missing_latest)
                } else {
                    Vec::new()
                },
                missing_count,
                missing_href: missing_href.clone(),
                totals: match latest {
                    Some(y) if first => cx.year_totals(y, root, &year_href(y)),
                    _ => Vec::new(),
                },
                figure_labels: figures::labels(),
                feed_href: "atom.xml".into(),
                data_csv_href: REPORTS_CSV.into(),
                data_json_href: REPORTS_JSON.into(),
                search_href: "search/index.html".into(),
            };
            (nth_page(cx, page.clone(), "", "index", n), ctx)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A template gets the same context whatever its origin: the built-in theme's pages are
    /// given the official tables' cells and the home page's figures like a site's own templates
    /// (editing a built-in template to show them must not print nothing).
    #[test]
    fn the_built_in_theme_gets_the_whole_context() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(root).unwrap();
        let empty = tempfile::tempdir().unwrap();
        let theme = theme::load(empty.path(), None).unwrap();
        let input = RenderInput {
            site: &loaded.site,
            silenced: &[],
            theme: &theme,
            base_url: None,
            attachments: &loaded.attachments,
        };
        let cx = context(&input);
        let (_, home) = &home_pages(&cx)[0];
        let items: Vec<&ReportItem> = home
            .years
            .iter()
            .flat_map(|y| &y.groups)
            .flat_map(|g| &g.items)
            .collect();
        assert!(!items.is_empty());
        for item in items {
            assert_eq!(item.figures.len(), KEY_FIGURES.len(), "{}", item.title);
        }
        let r = cx.published[0];
        let (_, report) = report_page(&cx, r, cx.unit(&r.unit), &report_dir(r));
        let tables: Vec<&TableCtx> = report.sections.iter().flat_map(|s| &s.table).collect();
        assert_eq!(tables.len(), 3);
        for t in tables {
            assert!(
                t.groups.as_array().is_some_and(|g| !g.is_empty()),
                "{}",
                t.id
            );
            assert!(t.figures.len() >= 5, "{}", t.id);
        }
    }
}
