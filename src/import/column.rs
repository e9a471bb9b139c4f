//! A whole 年报 column at once (`nianbao import --root DIR PATH…`): what each saved file of a
//! portal's column is, and where each report's unit goes in `content/`. No I/O: the command
//! (`src/cli/import.rs`) walks the folders, reads the files and writes the reports.
//!
//! A browser's "save page" or a `wget --mirror` of the column leaves the list page, the report
//! pages, their attachments and the pages' images and scripts. Each readable page is
//! [`classify`]d by the title the import itself finds ([`super::prose::structure`]), falling
//! back to the page's `<meta name="ArticleTitle">` or `<title>`; [`place`] then gives each unit
//! a folder, nesting a unit under the unit whose name it extends (平潭综合实验区行政审批局 under
//! 平潭综合实验区).

use regex::Regex;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use super::{Item, html, is_html, prose, text, unit};
use crate::diagnostic::Diagnostic;

/// The first year of the national tables (国办公开办函〔2019〕60号 format, reports of 2019 on).
pub const FIRST_YEAR: i32 = 2019;

/// File extensions read as pages or text; a file without an extension is read too (wget keeps
/// the URL's name).
pub const PAGE_EXTENSIONS: &[&str] = &[
    "html", "htm", "shtml", "xhtml", "txt", "md", "markdown", "jsp", "php", "asp", "aspx",
];

/// Attachments a column links to: listed as skipped, with how to import their text.
pub const ATTACHMENTS: &[(&str, &str)] = &[
    ("pdf", "PDF"),
    ("doc", "Word"),
    ("docx", "Word"),
    ("wps", "WPS"),
    ("ofd", "OFD"),
    ("xls", "Excel"),
    ("xlsx", "Excel"),
];

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年").unwrap());
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:信息来源|来源|发布机构|发布单位)\s*[:：]\s*([^\s\u{3000}:：|｜]{2,40})")
        .unwrap()
});

/// What a saved file of the column is.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    /// An annual report of [`FIRST_YEAR`] or later: import it.
    Report {
        title: String,
        year: i32,
        /// The title's line in the input (0: from the page's `<title>`).
        line: u32,
        /// Who published it, as the page says (`<meta name="ContentSource">`, "来源：…").
        issuer: Option<String>,
    },
    /// A report titled without a year: it cannot be placed.
    NoYear { title: String, line: u32 },
    /// A report of a year before the national tables.
    Old { title: String, year: i32 },
    /// The column's list page: links to several reports, no report of its own.
    List { reports: usize },
    /// Anything else (a notice, a guide, the portal's home page).
    Other { title: Option<String> },
    /// A file already in nianbao's source format (front matter with `year:`/`format:`), e.g. a
    /// report kept beside the saved pages: it is not a published page, so it is not imported.
    Source,
}

/// Whether `input` is a nianbao source file: front matter between `---` lines naming the
/// report's `year` or `format` at the top level.
fn is_source_file(input: &str) -> bool {
    static KEY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^(?:year|format)\s*:").unwrap());
    let text = crate::content::parse::normalize(input);
    crate::content::frontmatter::split(&text).is_ok_and(|s| KEY.is_match(s.yaml))
}

/// Whether a line names an annual report ("…2021年政府信息公开工作年度报告", "…2022年度政府信息
/// 公开工作报告").
fn names_report(text: &str) -> bool {
    (text.contains("年度报告") || text.contains("年报") || text.contains("公开工作报告"))
        && (text.contains("信息公开") || text.contains("政务公开"))
}

/// A title with its year in Arabic digits: "二〇二一年" and full-width "２０２１年" → "2021年",
/// so that the year and the unit's name read from it as from any other title.
pub fn arabic_year(title: &str) -> String {
    static CHINESE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([〇零○Ｏ一二三四五六七八九]{4})(\s*年)").unwrap());
    let title: String = title
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    CHINESE
        .replace_all(&title, |c: &regex::Captures| {
            let digits: String = c[1]
                .chars()
                .map(|d| match d {
                    '〇' | '零' | '○' | 'Ｏ' => '0',
                    '一' => '1',
                    '二' => '2',
                    '三' => '3',
                    '四' => '4',
                    '五' => '5',
                    '六' => '6',
                    '七' => '7',
                    '八' => '8',
                    _ => '9',
                })
                .collect();
            format!("{digits}{}", &c[2])
        })
        .into_owned()
}

/// The titles a page's head gives: `<meta name="ArticleTitle">` (政府网站 norms), and the part
/// of `<title>` that names the report ("…年度报告_年度报告_某某县人民政府").
fn head_titles(input: &str) -> (Vec<String>, Vec<String>) {
    let doc = Html::parse_document(input);
    let meta = Selector::parse("meta[name]").expect("valid selector");
    let clean = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let article = doc
        .select(&meta)
        .filter(|m| {
            m.value()
                .attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case("ArticleTitle"))
        })
        .filter_map(|m| m.value().attr("content"))
        .map(clean)
        .filter(|t| names_report(t))
        .collect();
    let title = Selector::parse("title").expect("valid selector");
    let titles = doc
        .select(&title)
        .next()
        .map(|t| {
            let text: String = t.text().collect();
            text.split(['_', '|', '｜', '—', '-', '–'])
                .map(clean)
                .filter(|t| names_report(t))
                .collect()
        })
        .unwrap_or_default();
    (article, titles)
}

/// The issuer a page names: `<meta name="ContentSource">` (政府网站 norms), else a "来源：…" line
/// above section 一.
fn issuer(input: &str, html: bool, items: &[Item]) -> Option<String> {
    if html {
        let doc = Html::parse_document(input);
        let meta = Selector::parse("meta[name]").expect("valid selector");
        let source = doc
            .select(&meta)
            .find(|m| {
                m.value()
                    .attr("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("ContentSource"))
            })
            .and_then(|m| m.value().attr("content"))
            .map(|c| c.trim().to_string())
            .filter(|c| c.chars().count() >= 2);
        if source.is_some() {
            return source;
        }
    }
    items
        .iter()
        .filter_map(|i| match i {
            Item::Line { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .take_while(|t| prose::heading(t, 0).is_none())
        .find_map(|t| ISSUER.captures(t).map(|c| c[1].to_string()))
}

/// The unit a report belongs to, from its title and its issuer: the title's name, or the
/// issuer's when the title names none or names the unit short ("经济发展局" published by
/// "平潭综合实验区经济发展局"). The second value says the name is the issuer's.
pub fn unit_name(title: &str, year: i32, issuer: Option<&str>) -> Option<(String, bool)> {
    match (unit::name_from_title(title, year), issuer) {
        (Some(n), Some(i)) if i.len() > n.len() && i.ends_with(&n) => Some((i.to_string(), true)),
        (Some(n), _) => Some((n, false)),
        (None, Some(i)) => Some((i.to_string(), true)),
        (None, None) => None,
    }
}

/// What the saved file `input` (decoded) is. `Err` when its markup cannot be read at all.
pub fn classify(input: &str, file: &str) -> Result<Page, Box<Diagnostic>> {
    let html = is_html(input);
    if !html && is_source_file(input) {
        return Ok(Page::Source);
    }
    let items = if html {
        html::items(input, file)?
    } else {
        text::items(input)
    };
    let doc = prose::structure(&items, !html);
    let report_lines = items
        .iter()
        .filter(|i| {
            matches!(i, Item::Line { text, .. } if names_report(text)
                && YEAR.is_match(text)
                && text.chars().count() <= 60)
        })
        .count();
    // A list page names several reports and has none of the six sections.
    if doc.sections.len() < 2 && report_lines >= 2 {
        return Ok(Page::List {
            reports: report_lines,
        });
    }
    // The title the import finds in the text, else the head's; one that names a year first (a
    // navigation line "政府信息公开年报" above the article names none).
    // The ArticleTitle meta names the article itself, so it goes before a line of the page
    // (which may be a link to another year's report above the article).
    let (article, titles) = if html {
        head_titles(input)
    } else {
        Default::default()
    };
    let candidates: Vec<(String, u32)> = article
        .into_iter()
        .map(|t| (t, 0))
        .chain(
            doc.title
                .iter()
                .filter(|t| names_report(&t.text))
                .map(|t| (t.text.clone(), t.line)),
        )
        .chain(titles.into_iter().map(|t| (t, 0)))
        .collect();
    let best = candidates
        .iter()
        .find(|(t, _)| YEAR.is_match(&arabic_year(t)))
        .or(candidates.first())
        .cloned();
    let Some((title, line)) = best else {
        return Ok(Page::Other {
            title: doc.title.map(|t| t.text),
        });
    };
    let title = arabic_year(&title);
    match YEAR.captures(&title).and_then(|c| c[1].parse::<i32>().ok()) {
        Some(year) if year < FIRST_YEAR => Ok(Page::Old { title, year }),
        Some(year) => Ok(Page::Report {
            title,
            year,
            line,
            issuer: issuer(input, html, &items),
        }),
        None => Ok(Page::NoYear { title, line }),
    }
}

/// A unit's folder below `content/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub id: String,
    /// The unit is created by this import.
    pub new: bool,
}

/// Endings dropped from a unit's name to find the area its departments are named after:
/// 淮安市人民政府 → 淮安市 (淮安市公安局), 某某开发区管委会 → 某某开发区.
const OWN_ENDINGS: &[&str] = &["人民政府", "政府", "管理委员会", "管委会"];

/// Endings of a division that has divisions below it: "淮安市" before "洪泽区人民政府".
const HIGHER: &[&str] = &["省", "自治区", "市", "州", "盟", "地区", "县", "区", "旗"];

/// Whether a unit's name is a division's own (its government, its 管委会, or the division
/// named alone): "洪泽区人民政府", "丁集镇", "平潭综合实验区管委会"; not "公安局".
fn is_division(name: &str) -> bool {
    let area = OWN_ENDINGS
        .iter()
        .find_map(|e| name.strip_suffix(e))
        .unwrap_or(name);
    area.chars().count() >= 2
        && ["省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "街道"]
            .iter()
            .any(|e| area.ends_with(e))
}

/// The prefixes a sub-unit's name starts with when it belongs to `name`, longest first.
fn prefixes(name: &str) -> Vec<&str> {
    let mut v = vec![name];
    for e in OWN_ENDINGS {
        if let Some(p) = name.strip_suffix(e)
            && p.chars().count() >= 2
        {
            v.push(p);
        }
    }
    v
}

/// A folder name from a unit's name: the characters a unit path refuses become `-`.
fn folder(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim_start_matches(['.', '_', '-']).trim();
    if s.is_empty() {
        "unit".to_string()
    } else {
        s.to_string()
    }
}

/// The unit among `known` that `name` is another name of: with or without its own ending
/// ("平潭综合实验区管委会" and "平潭综合实验区"), or a division with or without the higher
/// division before it ("洪泽区人民政府" and "淮安市洪泽区人民政府"); only when one unit fits.
fn same_unit(known: &BTreeMap<String, Placed>, name: &str) -> Option<Placed> {
    let same: Vec<&Placed> = known
        .iter()
        .filter(|(other, _)| {
            let (short, long) = if other.len() < name.len() {
                (other.as_str(), name)
            } else {
                (name, other.as_str())
            };
            long.strip_prefix(short)
                .is_some_and(|rest| OWN_ENDINGS.contains(&rest))
                || long
                    .strip_suffix(short)
                    .is_some_and(|higher| HIGHER.iter().any(|h| higher.ends_with(h)))
                    && is_division(short)
        })
        .map(|(_, p)| p)
        .collect();
    match same.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    }
}

/// Folders for the units `names` (as the reports' titles give them), given the units already in
/// `content/` as `(folder, name)`. A known name keeps its folder. A new unit goes under the unit
/// whose name (or area: the name without 人民政府/管委会) its name extends, in a folder named by
/// the rest ("平潭综合实验区行政审批局" → `平潭综合实验区/行政审批局`), else at the top in a
/// folder named by its full name. Shorter names are placed first, so a region imported in the
/// same run takes its departments.
pub fn place(existing: &[(String, String)], names: &[String]) -> BTreeMap<String, Placed> {
    let mut by_name: BTreeMap<String, Placed> = existing
        .iter()
        .map(|(id, name)| {
            (
                name.clone(),
                Placed {
                    id: id.clone(),
                    new: false,
                },
            )
        })
        .collect();
    let mut taken: BTreeSet<String> = existing.iter().map(|(id, _)| id.clone()).collect();
    let mut todo: Vec<&String> = names.iter().collect::<BTreeSet<_>>().into_iter().collect();
    todo.sort_by_key(|n| (n.chars().count(), n.to_string()));
    // Other names of units already there first, so that their departments nest under them.
    for name in &todo {
        if !by_name.contains_key(*name)
            && let Some(p) = same_unit(&by_name, name)
        {
            by_name.insert(name.to_string(), p);
        }
    }
    for name in todo {
        if by_name.contains_key(name) {
            continue;
        }
        if let Some(p) = same_unit(&by_name, name) {
            by_name.insert(name.clone(), p);
            continue;
        }
        let parent = by_name
            .iter()
            .flat_map(|(pname, p)| {
                prefixes(pname)
                    .into_iter()
                    .filter(|pre| name.len() > pre.len() && name.starts_with(pre))
                    .map(move |pre| (pre.len(), pre.to_string(), p.id.clone()))
            })
            .max();
        let base = match &parent {
            Some((_, pre, id)) => format!("{id}/{}", folder(&name[pre.len()..])),
            None => folder(name),
        };
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        by_name.insert(name.clone(), Placed { id, new: true });
    }
    by_name.retain(|n, _| names.contains(n));
    by_name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(input: &str) -> Page {
        classify(input, "p.html").unwrap()
    }

    #[test]
    fn pages_of_a_column() {
        let report = "<html><head><title>某某县2021年政府信息公开工作年度报告_某某县人民政府</title></head><body><div class=nav>首页</div><h1>某某县2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p></body></html>";
        assert_eq!(
            page(report),
            Page::Report {
                title: "某某县2021年政府信息公开工作年度报告".into(),
                year: 2021,
                line: 0,
                issuer: None,
            }
        );
        let list = "<html><body><h2>政府信息公开年报</h2><ul><li><a>某某县2021年政府信息公开工作年度报告</a></li><li><a>某某县2020年政府信息公开工作年度报告</a></li><li><a>某某县2019年政府信息公开工作年度报告</a></li></ul></body></html>";
        assert_eq!(page(list), Page::List { reports: 3 });
        let old = "<html><body><h1>某某县2017年政府信息公开工作年度报告</h1><p>一、概述</p><p>二、主动公开政府信息情况</p></body></html>";
        assert_eq!(
            page(old),
            Page::Old {
                title: "某某县2017年政府信息公开工作年度报告".into(),
                year: 2017
            }
        );
        let notice = "<html><head><title>关于开展政务公开培训的通知</title></head><body><h1>关于开展政务公开培训的通知</h1><p>各单位：</p></body></html>";
        assert!(matches!(page(notice), Page::Other { .. }));
        // A report already in the source format (an expected file kept beside the pages).
        let source = "---\nyear: 2020\nformat: 2019\ntitle: 某某县2020年政府信息公开工作年度报告\n---\n\n## 一、总体情况\n";
        assert_eq!(page(source), Page::Source);
        // The title only in the head: the ArticleTitle meta of the 政府网站 norms.
        let meta = "<html><head><meta name=\"ArticleTitle\" content=\"某某局2022年政府信息公开工作年度报告\"></head><body><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>";
        assert!(matches!(page(meta), Page::Report { year: 2022, .. }));
        // A link to another year's report above the article: the ArticleTitle meta wins.
        let link = "<html><head><meta name=\"ArticleTitle\" content=\"某某县2022年政府信息公开工作年度报告\"></head><body><div class=side><a>某某县2021年政府信息公开工作年度报告</a></div><h1>某某县2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>";
        assert!(matches!(page(link), Page::Report { year: 2022, .. }));
        // A navigation line names the column but no year: the head's title wins.
        let nav = "<html><head><meta name=\"ArticleTitle\" content=\"2019年某某市人民政府办公厅政府信息公开工作年度报告\"></head><body><ul><li>政务公开</li><li>政府信息公开年报</li></ul><div><p>本报告……</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></body></html>";
        assert!(
            matches!(page(nav), Page::Report { year: 2019, ref title, .. } if title.contains("办公厅")),
            "{:?}",
            page(nav)
        );
        assert!(matches!(
            page(
                "<html><body><h1>某某局政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>"
            ),
            Page::NoYear { .. }
        ));
    }

    #[test]
    fn the_issuer_completes_a_short_name() {
        let page_of = |head: &str, body: &str| {
            format!(
                "<html><head>{head}</head><body><h1>经济发展局2021年政府信息公开工作年度报告</h1>{body}<p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>"
            )
        };
        let meta = page_of(
            "<meta name=\"ContentSource\" content=\"平潭综合实验区经济发展局\">",
            "",
        );
        let line = page_of(
            "",
            "<div>来源：平潭综合实验区经济发展局　时间：2022-01-20</div>",
        );
        for p in [meta, line] {
            let Page::Report {
                title,
                year,
                issuer,
                ..
            } = classify(&p, "p.html").unwrap()
            else {
                panic!()
            };
            assert_eq!(issuer.as_deref(), Some("平潭综合实验区经济发展局"));
            assert_eq!(
                unit_name(&title, year, issuer.as_deref()),
                Some(("平潭综合实验区经济发展局".to_string(), true))
            );
        }
        // The title's full name wins over an issuer that is someone else (the office that posts).
        assert_eq!(
            unit_name(
                "某某县人民政府2021年政府信息公开工作年度报告",
                2021,
                Some("某某县人民政府办公室")
            ),
            Some(("某某县人民政府".to_string(), false))
        );
        assert_eq!(
            unit_name("2021年政府信息公开工作年度报告", 2021, Some("某某县财政局")),
            Some(("某某县财政局".to_string(), true))
        );
    }

    #[test]
    fn years_in_chinese_numerals() {
        assert_eq!(
            arabic_year("某某县人民政府二〇二一年政府信息公开工作年度报告"),
            "某某县人民政府2021年政府信息公开工作年度报告"
        );
        assert_eq!(arabic_year("２０２２年度报告"), "2022年度报告");
        let page = "<html><body><h1>某某县人民政府二○二○年度政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>";
        assert!(matches!(
            classify(page, "p.html").unwrap(),
            Page::Report { year: 2020, .. }
        ));
    }

    #[test]
    fn units_nest_under_the_unit_they_extend() {
        let existing = vec![("huaian".to_string(), "淮安市人民政府".to_string())];
        let names: Vec<String> = [
            "平潭综合实验区行政审批局",
            "平潭综合实验区",
            "淮安市公安局",
            "淮安市人民政府办公室",
            "淮安市人民政府",
            "某某县人民政府",
            "某某县人民政府",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let placed = place(&existing, &names);
        let id = |n: &str| placed[n].id.as_str();
        assert_eq!(id("平潭综合实验区"), "平潭综合实验区");
        assert_eq!(id("平潭综合实验区行政审批局"), "平潭综合实验区/行政审批局");
        assert_eq!(id("淮安市公安局"), "huaian/公安局");
        assert_eq!(id("淮安市人民政府办公室"), "huaian/办公室");
        assert_eq!(id("淮安市人民政府"), "huaian");
        assert!(!placed["淮安市人民政府"].new);
        assert!(placed["淮安市公安局"].new);
        assert_eq!(id("某某县人民政府"), "某某县人民政府");
        assert_eq!(placed.len(), 6);
        // A name with or without its own ending is the same unit.
        let alias = place(
            &[],
            &[
                "平潭综合实验区管委会".to_string(),
                "平潭综合实验区".to_string(),
            ],
        );
        assert_eq!(alias["平潭综合实验区管委会"].id, "平潭综合实验区");
        assert_eq!(alias["平潭综合实验区"].id, "平潭综合实验区");
        // A division with or without the higher division before its name is the same unit;
        // a department's short name is not.
        let short = place(
            &[(
                "huaian/hongze".to_string(),
                "淮安市洪泽区人民政府".to_string(),
            )],
            &["洪泽区人民政府".to_string(), "洪泽区公安局".to_string()],
        );
        assert_eq!(short["洪泽区人民政府"].id, "huaian/hongze");
        assert!(!short["洪泽区人民政府"].new);
        assert_eq!(short["洪泽区公安局"].id, "huaian/hongze/公安局");
        let long = place(
            &[("hongze".to_string(), "洪泽区人民政府".to_string())],
            &["淮安市洪泽区人民政府".to_string()],
        );
        assert_eq!(long["淮安市洪泽区人民政府"].id, "hongze");
        assert_eq!(
            place(
                &[("ga".to_string(), "淮安市公安局".to_string())],
                &["公安局".to_string()]
            )["公安局"]
                .id,
            "公安局"
        );
        // A folder already taken by another unit gets a number.
        let clash = place(
            &[("某某县人民政府".to_string(), "另一个单位".to_string())],
            &["某某县人民政府".to_string()],
        );
        assert_eq!(clash["某某县人民政府"].id, "某某县人民政府-2");
    }
}
