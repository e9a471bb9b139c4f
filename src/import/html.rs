//! A portal page (HTML) into [`Item`]s, parsed by `scraper` (html5ever, the WHATWG parser) as a
//! browser would: broken markup, entities and `&nbsp;` included.
//!
//! Page chrome (`<nav>`, `<footer>`, scripts, elements whose class or id says nav / menu /
//! breadcrumb / footer / copyright …) is left out; block elements become lines; every data
//! `<table>` (one without tables inside: layout tables are read as blocks) becomes rows with
//! `rowspan`/`colspan` expanded, the covered cells left empty as a PDF extractor leaves them.
//! Each row carries the input line and column of its `<tr>`, when the tags can be counted in
//! the text.
//!
//! [`page`] then keeps the article only: the smallest element holding the report's section
//! headings (or the CMS article container around it, unless that also frames the title and
//! tool bars). The lines above it are kept apart for the title and the publication date, with
//! the page's `<meta>` title and date (the 政府网站发展指引 names, `ArticleTitle` and `PubDate`)
//! and its `<title>`; the rest of the portal (header, navigation, share boxes, footer) is left
//! out.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;

use super::{CODE, Item, Place, SourceCell, SourceRow};
use crate::content::yaml::Pos;
use crate::diagnostic::Diagnostic;

/// How deep elements may nest. Portal pages nest a few dozen levels; html5ever's tree builder
/// scans the stack of open elements for many start tags, so its time grows with the square of the
/// nesting (100,000 nested `<div>`s took 88 s), and the depth is checked on the markup before it
/// is parsed.
pub const MAX_DEPTH: u32 = 500;

/// The widest table read: the national tables have at most ten columns, labels included.
pub const MAX_COLUMNS: usize = 100;

/// The most cells (rows × columns, spans expanded) of one table; 表三 has about 300.
pub const MAX_CELLS: usize = 50_000;

/// Elements never read.
const SKIP: &[&str] = &[
    "head", "script", "style", "noscript", "nav", "footer", "aside", "form", "button", "select",
    "option", "iframe", "template", "svg", "object", "embed", "input", "textarea", "map",
];

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "center",
    "figure",
    "figcaption",
    "hr",
    "tr",
    "td",
    "th",
    "caption",
    "body",
];

/// Words in a class or id that mark page chrome rather than the article.
const CHROME: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "foot",
    "copyright",
    "sidebar",
    "share",
    "toolbar",
];

fn is_chrome(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if SKIP.contains(&name) {
        return true;
    }
    let words = el
        .id()
        .into_iter()
        .chain(el.classes())
        .map(|w| w.to_ascii_lowercase());
    words
        .into_iter()
        .any(|w| CHROME.iter().any(|c| w.contains(c)))
}

/// HTML whitespace collapsed to one space; `&nbsp;` is not HTML whitespace and stays.
fn collapse(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Elements that nest nothing (void) or whose end tag may be left out and is implied by the next
/// sibling (`<p>`, `<li>`, `<td>` …): they do not deepen the page however many are written.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "rp", "rt", "colgroup", "caption", "html", "head", "body", "frame", "basefont",
    "bgsound", "keygen", "image",
];

/// What one pass over the markup tells before it is parsed.
#[derive(Debug, Default, PartialEq)]
struct Markup {
    /// Where every `<tr` start tag is, in order: 1-based input line and column (characters,
    /// a tab counting four as diagnostics show it).
    tr_lines: Vec<(u32, u32)>,
    /// The line where elements first nest deeper than [`MAX_DEPTH`].
    too_deep: Option<u32>,
}

/// Elements an end tag does not close across (the parser's scope boundaries): `</div>` inside a
/// table cell leaves the `<div>` around the table open.
const SCOPE: &[&str] = &[
    "table", "caption", "html", "marquee", "object", "applet", "template",
];

/// Scans the markup outside comments, scripts and styles: where each `<tr>` starts and how deep
/// elements nest, keeping the open elements as the parser does (an end tag closes the nearest
/// open element of its name within its scope and is ignored otherwise). Elements in [`FLAT`] are
/// not counted, so the count bounds the DOM depth of the other elements from above.
fn scan(input: &str) -> Markup {
    let lower = input.to_ascii_lowercase();
    let b = lower.as_bytes();
    let find = |from: usize, pat: &[u8]| {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let name_at = |at: usize| {
        let end = b[at..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
            .map_or(b.len(), |p| at + p);
        let name = &lower[at..end];
        (b.get(at).is_some_and(u8::is_ascii_alphabetic) && !FLAT.contains(&name)).then_some(name)
    };
    let mut markup = Markup::default();
    let mut open: Vec<&str> = Vec::new();
    let (mut i, mut line, mut line_start) = (0usize, 1u32, 0usize);
    while i < b.len() {
        let rest = &b[i..];
        let next = if rest.starts_with(b"<!--") {
            find(i, b"-->")
        } else if rest.starts_with(b"<script") {
            find(i, b"</script")
        } else if rest.starts_with(b"<style") {
            find(i, b"</style")
        } else {
            if rest.starts_with(b"<tr")
                && matches!(
                    b.get(i + 3),
                    Some(b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/')
                )
            {
                let col = input[line_start..i]
                    .chars()
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum::<u32>()
                    + 1;
                markup.tr_lines.push((line, col));
            }
            if rest.starts_with(b"</") {
                if let Some(name) = name_at(i + 2) {
                    let within = open
                        .iter()
                        .rposition(|n| *n == name || SCOPE.contains(n))
                        .filter(|&p| open[p] == name);
                    if let Some(p) = within {
                        open.truncate(p);
                    }
                }
            } else if rest.starts_with(b"<")
                && let Some(name) = name_at(i + 1)
            {
                open.push(name);
                if open.len() > MAX_DEPTH as usize {
                    // The page is refused: nothing after this is needed.
                    markup.too_deep = Some(line);
                    break;
                }
            }
            i + 1
        };
        line += b[i..next].iter().filter(|&&c| c == b'\n').count() as u32;
        if let Some(nl) = b[i..next].iter().rposition(|&c| c == b'\n') {
            line_start = i + nl + 1;
        }
        i = next;
    }
    markup
}

/// Why a page is not read: nesting or a table beyond the bounds above.
fn refuse(file: &str, line: u32, message: String, help: &str) -> Box<Diagnostic> {
    let pos = Pos::new(line, if line > 0 { 1 } else { 0 });
    Box::new(Diagnostic::new(CODE, file, pos, message).help(help))
}

struct Walker {
    /// The input's name, for diagnostics.
    file: String,
    out: Vec<Item>,
    /// For each item of `out`, the node it comes from: the first text node of a line, the
    /// `<table>` of a row.
    origins: Vec<NodeId>,
    line: String,
    /// The first text node of the line being read.
    line_origin: Option<NodeId>,
    tables: u32,
    /// Input line and column of each `<tr>` element.
    tr_line: HashMap<ego_tree::NodeId, (u32, u32)>,
}

impl Walker {
    fn flush(&mut self) {
        let text = self.line.trim();
        if !text.is_empty()
            && let Some(origin) = self.line_origin
        {
            self.out.push(Item::Line {
                text: text.to_string(),
                line: 0,
            });
            self.origins.push(origin);
        }
        self.line.clear();
        self.line_origin = None;
    }

    /// Reads the tree in document order without recursion: a subtree left out (chrome, a data
    /// table read on its own) is skipped until its end.
    fn walk(&mut self, root: NodeRef<Node>) -> Result<(), Box<Diagnostic>> {
        let mut skip: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) if skip.is_none() => match node.value() {
                    Node::Text(t) => {
                        if self.line_origin.is_none() && !t.trim().is_empty() {
                            self.line_origin = Some(node.id());
                        }
                        collapse(t, &mut self.line)
                    }
                    Node::Element(el) => {
                        if is_chrome(el) {
                            skip = Some(node.id());
                            continue;
                        }
                        let name = el.name();
                        if name == "br" {
                            self.flush();
                        } else if name == "table"
                            && !node.descendants().skip(1).any(|d| {
                                d.value().as_element().is_some_and(|e| e.name() == "table")
                            })
                        {
                            self.flush();
                            if let Some(t) = ElementRef::wrap(node) {
                                self.table(t)?;
                            }
                            skip = Some(node.id());
                        } else if BLOCKS.contains(&name) || name == "table" {
                            self.flush();
                        }
                    }
                    _ => {}
                },
                Edge::Open(_) => {}
                Edge::Close(node) => {
                    if skip.is_some() {
                        if skip == Some(node.id()) {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(el) = node.value()
                        && (BLOCKS.contains(&el.name()) || el.name() == "table")
                    {
                        self.flush();
                    }
                }
            }
        }
        Ok(())
    }

    /// A data table: its rows with spans expanded.
    fn table(&mut self, table: ElementRef) -> Result<(), Box<Diagnostic>> {
        self.tables += 1;
        let mut trs = Vec::new();
        for child in table.child_elements() {
            match child.value().name() {
                "tr" => trs.push(child),
                "thead" | "tbody" | "tfoot" => {
                    trs.extend(child.child_elements().filter(|e| e.value().name() == "tr"))
                }
                _ => {}
            }
        }
        // grid[r][c]: Some(text) where a cell starts, Some("") where a span covers it.
        let mut grid: Vec<Vec<Option<String>>> = vec![Vec::new(); trs.len()];
        for (r, tr) in trs.iter().enumerate() {
            let mut col = 0;
            for td in tr
                .child_elements()
                .filter(|e| matches!(e.value().name(), "td" | "th"))
            {
                while grid[r].get(col).is_some_and(Option::is_some) {
                    col += 1;
                }
                let span = |attr: &str| {
                    td.value()
                        .attr(attr)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                let (rs, cs) = (span("rowspan"), span("colspan"));
                if col + cs > MAX_COLUMNS {
                    return Err(refuse(
                        &self.file,
                        self.tr_line.get(&tr.id()).map_or(0, |p| p.0),
                        format!(
                            "网页第 {} 个表格第 {} 行超过 {MAX_COLUMNS} 列（合并单元格展开后）：这不是年度报告的表格",
                            self.tables,
                            r + 1
                        ),
                        "年度报告的表格不超过十列：核对这个表格的 colspan；若它不是报告的表格，把它从网页文件中删去后再导入",
                    ));
                }
                let text = cell_text(td);
                for (dr, row) in grid.iter_mut().skip(r).take(rs).enumerate() {
                    for dc in 0..cs {
                        if row.len() <= col + dc {
                            row.resize(col + dc + 1, None);
                        }
                        row[col + dc] = Some(if dr == 0 && dc == 0 {
                            text.clone()
                        } else {
                            String::new()
                        });
                    }
                }
                col += cs;
            }
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        if width * grid.len() > MAX_CELLS {
            let first = trs.first().and_then(|tr| self.tr_line.get(&tr.id()));
            return Err(refuse(
                &self.file,
                first.map_or(0, |p| p.0),
                format!(
                    "网页第 {} 个表格有 {} 行 × {width} 列，超过 {MAX_CELLS} 格：这不是年度报告的表格",
                    self.tables,
                    grid.len()
                ),
                "年度报告的表格只有几十行：若这个表格不是报告的表格，把它从网页文件中删去后再导入",
            ));
        }
        for (r, (tr, row)) in trs.iter().zip(grid).enumerate() {
            let (line, column) = self.tr_line.get(&tr.id()).copied().unwrap_or((0, 0));
            // A section heading printed as a row of the table ("三、收到和处理…" over its full
            // width) is the heading, not a row.
            let mut texts = row.iter().flatten().filter(|t| !t.is_empty());
            if let (Some(only), None) = (texts.next(), texts.next())
                && super::prose::is_section_heading(only)
            {
                self.origins.push(table.id());
                self.out.push(Item::Line {
                    text: only.clone(),
                    line,
                });
                continue;
            }
            let cells = (0..width)
                .map(|c| SourceCell {
                    text: row.get(c).cloned().flatten().unwrap_or_default(),
                    pos: Pos::new(line, column),
                })
                .collect();
            self.origins.push(table.id());
            self.out.push(Item::Row(SourceRow {
                cells,
                place: Place {
                    line,
                    column,
                    table: self.tables,
                    row: r as u32 + 1,
                },
                grid: true,
            }));
        }
        Ok(())
    }
}

/// A cell's text: lines inside the cell ("本年新<br>制作数量") joined with nothing.
fn cell_text(td: ElementRef) -> String {
    let mut s = String::new();
    for node in td.descendants() {
        match node.value() {
            Node::Text(t) => collapse(t, &mut s),
            Node::Element(e) if matches!(e.name(), "br" | "p" | "div") => {
                let trimmed = s.trim_end_matches(' ').len();
                s.truncate(trimmed);
            }
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Class or id of the article container of the common government-site CMSs (TRS WCM, Hanweb,
/// Ucap, and the templates most portals share), lower case. The article is the smallest element
/// holding the report's section headings; when one of these holds it, the container is taken,
/// so a preamble kept beside the sections stays in.
const ARTICLE: &[&str] = &[
    "trs_editor",
    "trs_editor_view",
    "zoom",
    "article-content",
    "article_content",
    "bt_content",
    "detail-content",
    "detail_content",
    "ucap-content",
    "pages_content",
    "wzy_content",
    "zw",
    "content_text",
];

/// `<meta name>` values (lower case) that carry the article's title and its publication date:
/// those of the 政府网站发展指引 (ArticleTitle, PubDate) and of the CMSs and the Dublin Core.
const META_TITLE: &[&str] = &["articletitle", "title", "dc.title"];
const META_DATE: &[&str] = &[
    "pubdate",
    "publishdate",
    "publishtime",
    "pubtime",
    "firstpublishedtime",
    "dc.date",
    "dcterms.issued",
    "dc.date.issued",
    "article:published_time",
];

/// A portal page read: the article and what the page says about it around the article.
#[derive(Debug, Default)]
pub struct Page {
    /// The article's prose lines and table rows: the report.
    pub items: Vec<Item>,
    /// The page's lines before the article (the title, a "来源：… 时间：…" line, tool bars),
    /// read for the title and the date only.
    pub before: Vec<Item>,
    /// How many lines of the page are outside the article (left out).
    pub left_out: usize,
    /// `<meta name="ArticleTitle">` (or the like).
    pub meta_title: Option<String>,
    /// `<meta name="PubDate">` (or the like), as written.
    pub meta_date: Option<String>,
    /// The page's `<title>`.
    pub head_title: Option<String>,
}

/// The element holding the article: the nearest common ancestor of the lines that open the
/// report's sections, or a CMS article container above it; `None` when fewer than two section
/// headings are found (the whole page is then read).
fn article_root(doc: &Html, items: &[Item], origins: &[NodeId]) -> Option<NodeId> {
    let mut current = 0;
    let mut heads = Vec::new();
    for (item, origin) in items.iter().zip(origins) {
        if let Item::Line { text, .. } = item
            && let Some(n) = super::prose::heading(text, current)
        {
            current = n;
            heads.push(*origin);
        }
    }
    if heads.len() < 2 {
        return None;
    }
    let chain = |id: NodeId| -> Vec<NodeId> {
        doc.tree
            .get(id)
            .map(|n| n.ancestors().map(|a| a.id()).collect())
            .unwrap_or_default()
    };
    let mut common = chain(heads[0]);
    for &h in &heads[1..] {
        let other = chain(h);
        let keep = common.iter().position(|a| other.contains(a))?;
        common.drain(..keep);
    }
    let lca = *common.first()?;
    // A CMS container above the headings' element, unless it also holds the title or the date
    // line (then it is the portal's article frame, with its tool bars).
    let framing = |id: NodeId| {
        items.iter().zip(origins).any(|(item, &o)| {
            matches!(item, Item::Line { text, .. }
                if (super::prose::title_from(text).is_some()
                    || super::prose::published_in(text, false).is_some())
                    && is_inside(doc, o, id)
                    && !is_inside(doc, o, lca))
        })
    };
    let container = common.iter().take_while(|&&id| !framing(id)).find(|&&id| {
        doc.tree
            .get(id)
            .and_then(|n| n.value().as_element())
            .is_some_and(|el| {
                el.id()
                    .into_iter()
                    .chain(el.classes())
                    .any(|w| ARTICLE.contains(&w.to_ascii_lowercase().as_str()))
            })
    });
    Some(*container.unwrap_or(&lca))
}

fn is_inside(doc: &Html, node: NodeId, root: NodeId) -> bool {
    node == root
        || doc
            .tree
            .get(node)
            .is_some_and(|n| n.ancestors().any(|a| a.id() == root))
}

/// The page's `<meta>` title and date and its `<title>`.
fn head(doc: &Html, page: &mut Page) {
    let meta = Selector::parse("meta").expect("valid selector");
    for el in doc.select(&meta) {
        let v = el.value();
        let Some(name) = v.attr("name").or_else(|| v.attr("property")) else {
            continue;
        };
        let Some(content) = v.attr("content").map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if META_TITLE.contains(&name.as_str()) && page.meta_title.is_none() {
            page.meta_title = Some(content.to_string());
        } else if META_DATE.contains(&name.as_str()) && page.meta_date.is_none() {
            page.meta_date = Some(content.to_string());
        }
    }
    let title = Selector::parse("title").expect("valid selector");
    page.head_title = doc
        .select(&title)
        .next()
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty());
}

/// The page's prose lines and table rows, or why the page is not read: elements nested deeper
/// than [`MAX_DEPTH`], a table wider than [`MAX_COLUMNS`] or larger than [`MAX_CELLS`].
/// The whole page; [`page`] takes the article out of it.
pub fn items(input: &str, file: &str) -> Result<Vec<Item>, Box<Diagnostic>> {
    let (_, w) = walk(input, file)?;
    Ok(w.out)
}

/// The page read: its article (see [`Page`]), or why the page is not read (as [`items`]).
pub fn page(input: &str, file: &str) -> Result<Page, Box<Diagnostic>> {
    let (doc, w) = walk(input, file)?;
    let mut page = Page::default();
    head(&doc, &mut page);
    let Some(root) = article_root(&doc, &w.out, &w.origins) else {
        page.items = w.out;
        return Ok(page);
    };
    let mut started = false;
    for (item, origin) in w.out.into_iter().zip(w.origins) {
        if is_inside(&doc, origin, root) {
            started = true;
            page.items.push(item);
        } else {
            page.left_out += 1;
            if !started {
                page.before.push(item);
            }
        }
    }
    Ok(page)
}

fn walk(input: &str, file: &str) -> Result<(Html, Walker), Box<Diagnostic>> {
    let markup = scan(input);
    if let Some(line) = markup.too_deep {
        return Err(refuse(
            file,
            line,
            format!("网页的元素嵌套超过 {MAX_DEPTH} 层，无法读取：这一行起的标签只开不关"),
            "正常的网页只嵌套几十层：确认文件是完整保存的报告网页；或复制网页上的报告正文存为文本文件再导入",
        ));
    }
    let doc = Html::parse_document(input);
    let lines = markup.tr_lines;
    let trs: Vec<ElementRef> = doc
        .select(&Selector::parse("tr").expect("valid selector"))
        .collect();
    let tr_line = if trs.len() == lines.len() {
        trs.iter().zip(lines).map(|(tr, l)| (tr.id(), l)).collect()
    } else {
        HashMap::new()
    };
    let mut w = Walker {
        file: file.to_string(),
        out: Vec::new(),
        origins: Vec::new(),
        line: String::new(),
        line_origin: None,
        tables: 0,
        tr_line,
    };
    w.walk(*doc.root_element())?;
    w.flush();
    Ok((doc, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(items: &[Item]) -> Vec<Vec<&str>> {
        items
            .iter()
            .filter_map(|i| {
                if let Item::Row(r) = i {
                    Some(r.texts().collect())
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn spans_are_expanded_with_empty_cells() {
        let html = "<html><body><nav>首页 政务公开</nav><p>一、总体情况</p>\n<table>\n<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>1</td></tr>\n<tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>&nbsp;</td></tr>\n</table><div class=\"footer\">主办单位</div></body></html>";
        let items = items(html, "page.html").unwrap();
        assert_eq!(
            rows(&items),
            vec![
                vec!["三、本年度办理结果", "（一）予以公开", "", "1"],
                vec!["", "（三）不予公开", "1.属于国家秘密", ""]
            ]
        );
        let Item::Row(r) = &items[1] else { panic!() };
        assert_eq!(
            r.place,
            Place {
                line: 3,
                column: 1,
                table: 1,
                row: 1
            }
        );
        assert!(matches!(&items[0], Item::Line { text, .. } if text == "一、总体情况"));
        assert_eq!(items.len(), 3, "nav and footer left out: {items:?}");
    }

    #[test]
    fn layout_tables_are_blocks_and_breaks_join_labels() {
        let html = "<table><tr><td><p>正文</p><table><tr><td>本年新<br>制作数量</td></tr></table></td></tr></table>";
        let items = items(html, "page.html").unwrap();
        assert_eq!(rows(&items), vec![vec!["本年新制作数量"]]);
        assert!(matches!(&items[0], Item::Line { text, .. } if text == "正文"));
    }

    #[test]
    fn nesting_counts_elements_left_open_but_not_implied_ends() {
        let deep = MAX_DEPTH as usize + 1;
        assert_eq!(scan(&"<div>".repeat(deep - 1)).too_deep, None);
        assert_eq!(
            scan(&format!("<p>\n{}", "<div>\n".repeat(deep))).too_deep,
            Some(deep as u32 + 1)
        );
        // Siblings, unclosed `<p>`/`<li>`/`<td>`, void elements and comments do not nest.
        let flat = "<div></div><p>a<li>b<td>c<br><img src=x><!-- <div> -->".repeat(1000);
        assert_eq!(scan(&flat).too_deep, None);
        // Unclosed formatting elements do: the parser reopens them in every block.
        assert!(scan(&"<font color=red>".repeat(deep)).too_deep.is_some());
        // End tags that close nothing, or reach across a table, do not hide the nesting.
        assert!(scan(&"<div></b>".repeat(deep)).too_deep.is_some());
        assert!(
            scan(&"<div><table><tr><td></div>".repeat(deep))
                .too_deep
                .is_some()
        );
        assert_eq!(
            scan(&"<div><table></table></div>".repeat(deep)).too_deep,
            None
        );
    }

    /// Issue 11.2: the portal around the article stays out; what is above it is kept apart
    /// for the title and the date.
    #[test]
    fn the_article_is_taken_out_of_the_portal() {
        let html = "<html><head><meta name=\"PubDate\" content=\"2020-01-31 09:00\"><meta name=\"ArticleTitle\" content=\"某某2019年政府信息公开工作年度报告\"></head><body><div class=top><ul><li>首页</li><li>政府信息公开年报</li></ul></div><div class=main><h1>某某2019年政府信息公开工作年度报告</h1><div>来源：某某 时间：2020-01-31</div><div>全真版 | 文字版</div><div class=TRS_Editor><p>本报告依据条例编制。</p><div><p>一、总体情况</p><p>好。</p><p>二、主动公开政府信息情况</p></div></div><div>扫一扫在手机上查看当前页面</div></div><div class=bottom>网站标识码</div></body></html>";
        let page = page(html, "p.html").unwrap();
        let texts = |items: &[Item]| -> Vec<String> {
            items
                .iter()
                .filter_map(|i| match i {
                    Item::Line { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            texts(&page.items),
            [
                "本报告依据条例编制。",
                "一、总体情况",
                "好。",
                "二、主动公开政府信息情况"
            ]
        );
        assert_eq!(
            texts(&page.before),
            [
                "首页",
                "政府信息公开年报",
                "某某2019年政府信息公开工作年度报告",
                "来源：某某 时间：2020-01-31",
                "全真版 | 文字版"
            ]
        );
        assert_eq!(page.left_out, 7);
        assert_eq!(page.meta_date.as_deref(), Some("2020-01-31 09:00"));
        assert_eq!(
            page.meta_title.as_deref(),
            Some("某某2019年政府信息公开工作年度报告")
        );
    }

    #[test]
    fn tr_lines_skip_comments() {
        assert_eq!(
            scan("<!-- <tr> -->\n<tr>\n\t<TR class=x>\n<track>").tr_lines,
            vec![(2, 1), (3, 5)]
        );
    }
}
