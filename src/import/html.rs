//! A portal page (HTML) into [`Item`]s, parsed by `scraper` (html5ever, the WHATWG parser) as a
//! browser would: broken markup, entities and `&nbsp;` included.
//!
//! Page chrome (`<nav>`, `<footer>`, scripts, elements whose class or id says nav / menu /
//! breadcrumb / footer / copyright …) is left out; block elements become lines; every data
//! `<table>` (one without tables inside: layout tables are read as blocks) becomes rows with
//! `rowspan`/`colspan` expanded, the covered cells left empty as a PDF extractor leaves them.
//! Each row carries the input line of its `<tr>`, when the tags can be counted in the text.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;

use super::{Item, Place, SourceCell, SourceRow};
use crate::content::yaml::Pos;

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

/// 1-based input lines of every `<tr` start tag, in order, outside comments, scripts and styles.
fn tr_lines(input: &str) -> Vec<u32> {
    let lower = input.to_ascii_lowercase();
    let b = lower.as_bytes();
    let find = |from: usize, pat: &[u8]| {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let mut lines = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
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
                lines.push(line);
            }
            i + 1
        };
        line += b[i..next].iter().filter(|&&c| c == b'\n').count() as u32;
        i = next;
    }
    lines
}

struct Walker {
    out: Vec<Item>,
    line: String,
    tables: u32,
    /// Input line of each `<tr>` element.
    tr_line: HashMap<ego_tree::NodeId, u32>,
}

impl Walker {
    fn flush(&mut self) {
        let text = self.line.trim();
        if !text.is_empty() {
            self.out.push(Item::Line {
                text: text.to_string(),
                line: 0,
            });
        }
        self.line.clear();
    }

    fn walk(&mut self, node: NodeRef<Node>) {
        match node.value() {
            Node::Text(t) => collapse(t, &mut self.line),
            Node::Element(el) => {
                if is_chrome(el) {
                    return;
                }
                let name = el.name();
                if name == "br" {
                    self.flush();
                    return;
                }
                if name == "table"
                    && !node
                        .descendants()
                        .skip(1)
                        .any(|d| d.value().as_element().is_some_and(|e| e.name() == "table"))
                {
                    self.flush();
                    if let Some(t) = ElementRef::wrap(node) {
                        self.table(t);
                    }
                    return;
                }
                let block = BLOCKS.contains(&name) || name == "table";
                if block {
                    self.flush();
                }
                for child in node.children() {
                    self.walk(child);
                }
                if block {
                    self.flush();
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child);
                }
            }
        }
    }

    /// A data table: its rows with spans expanded.
    fn table(&mut self, table: ElementRef) {
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
        for (r, (tr, row)) in trs.iter().zip(grid).enumerate() {
            let line = self.tr_line.get(&tr.id()).copied().unwrap_or(0);
            let cells = (0..width)
                .map(|c| SourceCell {
                    text: row.get(c).cloned().flatten().unwrap_or_default(),
                    pos: Pos::new(line, 0),
                })
                .collect();
            self.out.push(Item::Row(SourceRow {
                cells,
                place: Place {
                    line,
                    table: self.tables,
                    row: r as u32 + 1,
                },
                grid: true,
            }));
        }
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

pub fn items(input: &str) -> Vec<Item> {
    let doc = Html::parse_document(input);
    let lines = tr_lines(input);
    let trs: Vec<ElementRef> = doc
        .select(&Selector::parse("tr").expect("valid selector"))
        .collect();
    let tr_line = if trs.len() == lines.len() {
        trs.iter().zip(lines).map(|(tr, l)| (tr.id(), l)).collect()
    } else {
        HashMap::new()
    };
    let mut w = Walker {
        out: Vec::new(),
        line: String::new(),
        tables: 0,
        tr_line,
    };
    w.walk(*doc.root_element());
    w.flush();
    w.out
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
        let items = items(html);
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
        let items = items(html);
        assert_eq!(rows(&items), vec![vec!["本年新制作数量"]]);
        assert!(matches!(&items[0], Item::Line { text, .. } if text == "正文"));
    }

    #[test]
    fn tr_lines_skip_comments() {
        assert_eq!(
            tr_lines("<!-- <tr> -->\n<tr>\n<TR class=x>\n<track>"),
            vec![2, 3]
        );
    }
}
