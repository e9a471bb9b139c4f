//! The report's prose: title, 发布日期, preamble and the six sections, and the Markdown body.
//!
//! A section starts at a line "一、…" … "六、…" (recognised by its numeral like the body parser,
//! keeping the author's wording). Text extracted from a PDF is hard-wrapped: its lines are joined
//! into paragraphs with nothing in between, a paragraph ending at a line that ends a sentence
//! short of the right margin. Page numbers ("- 3 -") and the title lines are dropped, and so are
//! lines made only of a portal's tool words ("全真版 | 文字版", "扫一扫…"). Every other paragraph
//! is kept, in order; under 二/三/四 only pieces of a table printed as text are left out.
//! The publication date is read from a dated line under the title (发布日期：, 时间：, a bare
//! date).

use regex::Regex;
use std::sync::LazyLock;
use unicode_width::UnicodeWidthStr;

use super::{Item, SourceRow};
use crate::content::Date;
use crate::content::body::{OFFICIAL_HEADINGS, section_number};

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$").unwrap()
});
/// A labelled date: 发布日期：, 发布时间：, 时间：, 日期：, 发文日期： … (portals write all of these).
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:发布|发文|公开|印发|更新|成文)(?:日期|时间)|(?:^|[\s|｜/】\]])(?:日期|时间))\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
        .unwrap()
});
/// Any 日期：/时间： label with its date, read on a line of the article's metadata only.
static ANY_DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:日期|时间)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
        .unwrap()
});
/// A line that is only a date (and maybe a time), as portals print it under the title.
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\[【（(]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】）)]?$")
        .unwrap()
});
static TITLE_CONTINUES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}\s*年|政府信息公开|信息公开|工作年度报告|年度报告)").unwrap()
});
static TITLE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})年").unwrap());
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.、．])").unwrap()
});
static SUBHEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(][一二三四五六七八九十]{1,3}[）)]").unwrap());

/// Characters that end a sentence (and so may end a paragraph), before closing quotes.
const SENTENCE_END: &[char] = &['。', '！', '？', '；', '：', '!', '?', ';', ':'];
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '》'];

pub fn is_page_number(text: &str) -> bool {
    PAGE_NUMBER.is_match(text.trim())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(CLOSERS).ends_with(SENTENCE_END)
}

/// How much of the official heading's wording `text` shares, 0 to 1.
fn similarity_to_official(text: &str, n: u8) -> f64 {
    let official: Vec<char> = OFFICIAL_HEADINGS[n as usize - 1].chars().skip(2).collect();
    let shared = official.iter().filter(|c| text.contains(**c)).count();
    shared as f64 / official.len() as f64
}

/// The section a prose line opens, given the section we are in: "五、…" opens 5 when it is short,
/// reads like a heading and comes later than `current`. Jumping over a section needs wording
/// close to the official heading, so a wrapped line "五、六项工作" does not open one.
pub fn heading(text: &str, current: u8) -> Option<u8> {
    let n = section_number(text)?;
    let len = text.chars().count();
    if n <= current || len > 32 || text.ends_with(['，', '、', '；', ',', ';']) {
        return None;
    }
    (n == current + 1 || similarity_to_official(text, n) >= 0.5).then_some(n)
}

/// Whether `text` reads as one of the six section headings wherever it stands (a portal may
/// print a heading as a row of a table): numbered, short, worded like the official heading, and
/// not a label of the national tables ("二、上年结转政府信息公开申请数量").
pub fn is_section_heading(text: &str) -> bool {
    section_number(text).is_some_and(|n| {
        text.chars().count() <= 32
            && similarity_to_official(text, n) >= 0.5
            && !super::tables::is_table_text(text)
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct Title {
    /// Whitespace removed: "淮安市人民政府2024年政府信息公开工作年度报告".
    pub text: String,
    pub line: u32,
    /// The report year the title names.
    pub year: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct Section<'a> {
    pub number: u8,
    /// As written, whitespace removed.
    pub heading: String,
    pub line: u32,
    pub items: Vec<&'a Item>,
}

#[derive(Clone, Debug, Default)]
pub struct Doc<'a> {
    pub title: Option<Title>,
    pub published: Option<Date>,
    /// Non-empty lines before the title (page chrome, notes): left out.
    pub dropped_before_title: usize,
    /// Lines of the portal's tools or metadata ("全真版 | 文字版", "扫一扫…"): left out.
    pub portal_lines: usize,
    pub preamble: Vec<&'a Item>,
    pub sections: Vec<Section<'a>>,
    /// Hard-wrapped text (from a PDF): lines are joined into paragraphs.
    pub wrapped: bool,
    /// The typical width of a full line of wrapped text, in terminal columns.
    pub line_width: usize,
}

impl<'a> Doc<'a> {
    pub fn section(&self, n: u8) -> Option<&Section<'a>> {
        self.sections.iter().find(|s| s.number == n)
    }

    /// Table rows under section `n`.
    pub fn rows(&self, n: u8) -> Vec<&'a SourceRow> {
        self.section(n)
            .map(|s| {
                s.items
                    .iter()
                    .filter_map(|i| if let Item::Row(r) = i { Some(r) } else { None })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Prose lines under section `n`.
    pub fn lines(&self, n: u8) -> Vec<&'a str> {
        self.section(n)
            .map(|s| {
                s.items
                    .iter()
                    .filter_map(|i| {
                        if let Item::Line { text, .. } = i {
                            Some(text.as_str())
                        } else {
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn date_of(c: &regex::Captures) -> Option<Date> {
    Date::parse(&format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]))
}

/// The date a short line gives as the publication date: "发布时间：2025-01-20 10:00",
/// "来源：… 时间：2020-01-31"; `bare`: also a line that is only a date ("2020年01月31日").
pub fn published_in(text: &str, bare: bool) -> Option<Date> {
    if text.chars().count() > 100 {
        return None;
    }
    // On a line of the article's metadata a 时间： may follow the source without a space.
    let metadata = METADATA_STARTS.iter().any(|m| text.contains(m));
    let found = PUBLISHED
        .captures(text)
        .or_else(|| metadata.then(|| ANY_DATE_LABEL.captures(text)).flatten())
        .and_then(|c| date_of(&c));
    found.or_else(|| {
        bare.then(|| BARE_DATE.captures(text.trim()).and_then(|c| date_of(&c)))
            .flatten()
    })
}

/// A date as a `<meta>` gives it: "2020-01-31 09:00", "2020年01月31日", "2020-01-31T09:00+08:00".
pub fn meta_date(text: &str) -> Option<Date> {
    static LEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})").unwrap()
    });
    LEADING.captures(text).and_then(|c| date_of(&c))
}

/// Words of portal tool bars and share boxes. A line made of these alone (and separators) is the
/// portal's, never a report's paragraph.
const PORTAL_WORDS: &[&str] = &[
    "全真版",
    "文字版",
    "图片版",
    "文件下载",
    "附件下载",
    "相关链接",
    "文字解读",
    "图片解读",
    "视频解读",
    "打印本页",
    "打印",
    "关闭窗口",
    "关闭",
    "分享到",
    "收藏",
    "返回顶部",
    "字号",
    "字体",
    "大",
    "中",
    "小",
    "微信",
    "微博",
    "QQ空间",
];
/// Share prompts: a line starting with one of the first and naming one of the second
/// ("扫一扫在手机上查看当前页面", "用手机扫描二维码分享到朋友圈"); a report's own
/// "扫一扫二维码关注…" is kept. And, before the report's first section, the article's metadata.
const PORTAL_STARTS: &[&str] = &["扫一扫", "用手机扫", "手机扫一扫"];
const PORTAL_SHARE: &[&str] = &["当前页", "手机打开", "手机上查看", "手机阅读", "分享"];
const METADATA_STARTS: &[&str] = &[
    "来源：",
    "来源:",
    "信息来源",
    "作者：",
    "作者:",
    "浏览次数",
    "访问次数",
    "点击数",
    "阅读次数",
    "责任编辑",
    "索引号",
    "【字体",
    "字体：",
    "字号：",
];

/// Whether a line is the portal's rather than the report's: a tool bar or share box line
/// anywhere, and before the first section also a line of the article's metadata ("来源：…").
pub fn is_portal_text(text: &str, before_sections: bool) -> bool {
    let t = squeeze(text);
    if t.chars().count() > 40 {
        return false;
    }
    if (PORTAL_STARTS.iter().any(|p| t.starts_with(p))
        && PORTAL_SHARE.iter().any(|p| t.contains(p)))
        || (before_sections && METADATA_STARTS.iter().any(|p| t.starts_with(p)))
    {
        return true;
    }
    let mut rest = t.clone();
    for w in PORTAL_WORDS {
        rest = rest.replace(w, "");
    }
    // Something was a tool word, and only separators are left.
    rest.len() < t.len()
        && rest
            .chars()
            .all(|c| "|/｜·•、：:【】[]（）()-—".contains(c))
}

/// Labels of the attribute table a 信息公开 page prints above an article.
const ATTRIBUTES: &[&str] = &[
    "索引号",
    "信息索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "生成日期",
    "成文日期",
    "文号",
    "发文字号",
    "主题分类",
    "公开方式",
    "公开范围",
    "有效性",
    "信息分类",
];

/// Whether a table row is a row of a 信息公开 page's attribute table: a cell is one of its labels.
pub fn is_attribute_row(row: &SourceRow) -> bool {
    row.texts().any(|t| {
        let t = squeeze(t);
        let label = t.trim_end_matches([':', '：']);
        ATTRIBUTES.contains(&label) || ATTRIBUTES.iter().any(|a| t.starts_with(&format!("{a}：")))
    })
}

/// The publication date an attribute-table row gives: "发布日期 | 2020年01月30日" (label and
/// value in two cells) or "发布日期：2020-01-30" in one.
pub fn published_in_row(row: &SourceRow) -> Option<Date> {
    let cells: Vec<&str> = row.texts().filter(|t| !t.is_empty()).collect();
    cells
        .iter()
        .find_map(|c| published_in(c, false))
        .or_else(|| {
            cells.windows(2).find_map(|pair| {
                let label = pair[0].trim().trim_end_matches([':', '：']);
                published_in(&format!("{label}：{}", pair[1]), false)
            })
        })
}

/// Whether a line reads as a report's title: short, naming the 年度报告, not a breadcrumb.
fn is_title(text: &str) -> bool {
    (text.contains("年度报告") || text.contains("年报"))
        && text.chars().count() <= 40
        && !text.contains(['>', '»', '›', '|'])
        && !text.contains("位置")
}

/// A title from a line outside the article (a page's `<h1>`, its `ArticleTitle` meta or its
/// `<title>` up to the site's name), when it reads as one.
pub fn title_from(text: &str) -> Option<Title> {
    let text = squeeze(text);
    let text = text
        .split(['_', '|', '｜'])
        .find(|part| is_title(part))?
        .to_string();
    let year = TITLE_YEAR.captures(&text).and_then(|c| c[1].parse().ok());
    Some(Title {
        text,
        line: 0,
        year,
    })
}

/// The title among the lines before a page's article: the last line that reads as a title
/// and names a year, else the last that reads as a title (column names come first).
pub fn title_before(items: &[Item]) -> Option<Title> {
    let titles: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line { text, .. } if is_title(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let pick = titles
        .iter()
        .rev()
        .find(|t| TITLE_YEAR.is_match(&squeeze(t)))
        .or(titles.last())?;
    title_from(pick)
}

/// Splits the items into title, preamble and sections. `plain_text`: the input may be
/// hard-wrapped (HTML never is).
pub fn structure(items: &[Item], plain_text: bool) -> Doc<'_> {
    let mut doc = Doc::default();
    let mut front: Vec<&Item> = Vec::new();
    let mut current = 0u8;
    for item in items {
        if let Item::Line { text, .. } = item
            && is_portal_text(text, current == 0)
            && published_in(text, false).is_none()
        {
            doc.portal_lines += 1;
            continue;
        }
        if let Item::Line { text, line } = item
            && let Some(n) = heading(text, current)
        {
            current = n;
            doc.sections.push(Section {
                number: n,
                heading: squeeze(text),
                line: *line,
                items: Vec::new(),
            });
            continue;
        }
        match doc.sections.last_mut() {
            Some(s) => s.items.push(item),
            None => front.push(item),
        }
    }

    // The title: the first short line naming the 年度报告, with up to two short lines before it.
    let is_line = |i: &&&Item| matches!(i, Item::Line { .. });
    let title_at = front
        .iter()
        .position(|i| matches!(i, Item::Line { text, .. } if is_title(text)));
    let mut start = 0;
    if let Some(t) = title_at {
        // A title line that starts with the year or "政府信息公开" goes on from the line above:
        // "淮安市人民政府\n2024 年政府信息公开工作年度报告".
        let mut first = t;
        let mut j = t;
        while j > 0 {
            let Item::Line { text: head, .. } = front[first] else {
                break;
            };
            if !TITLE_CONTINUES.is_match(head) {
                break;
            }
            j -= 1;
            match front[j] {
                Item::Blank => continue,
                Item::Line { text, .. }
                    if text.chars().count() <= 30
                        && !text.contains([
                            ':', '：', '，', '。', '；', ',', ';', '>', '»', '/', '|',
                        ])
                        && !is_page_number(text) =>
                {
                    first = j;
                }
                _ => break,
            }
        }
        let text: String = front[first..=t]
            .iter()
            .filter_map(|i| {
                if let Item::Line { text, .. } = i {
                    Some(squeeze(text))
                } else {
                    None
                }
            })
            .collect();
        let line = match front[first] {
            Item::Line { line, .. } => *line,
            _ => 0,
        };
        let year = TITLE_YEAR.captures(&text).and_then(|c| c[1].parse().ok());
        doc.dropped_before_title = front[..first].iter().filter(is_line).count();
        // A dated line above the title ("来源：… 时间：…" printed first) still dates the report.
        doc.published = front[..first].iter().find_map(|i| match i {
            Item::Line { text, .. } => published_in(text, false),
            _ => None,
        });
        doc.title = Some(Title { text, line, year });
        start = t + 1;
    }
    // A dated line right under the title is the publication date, not the report's text; so is
    // the attribute table of a 信息公开 page (索引号, 发布机构, 发布日期 …).
    for (k, item) in front[start..].iter().enumerate() {
        if let Item::Line { text, .. } = item
            && let Some(date) = published_in(text, k == 0 && doc.title.is_some())
        {
            doc.published = doc.published.or(Some(date));
            continue;
        }
        if let Item::Row(row) = item
            && is_attribute_row(row)
        {
            doc.published = doc.published.or(published_in_row(row));
            doc.portal_lines += 1;
            continue;
        }
        doc.preamble.push(item);
    }

    if plain_text {
        let (wrapped, width) = wrapping(items);
        doc.wrapped = wrapped;
        doc.line_width = width;
    }
    doc
}

/// Whether plain text is hard-wrapped, and its full line width: few blank lines, and most prose
/// lines about as wide as the median.
fn wrapping(items: &[Item]) -> (bool, usize) {
    let mut widths: Vec<usize> = Vec::new();
    let mut blanks = 0;
    for i in items {
        match i {
            Item::Line { text, .. } if text.chars().count() >= 8 && !is_page_number(text) => {
                widths.push(text.width())
            }
            Item::Blank => blanks += 1,
            _ => {}
        }
    }
    if widths.len() < 8 {
        return (false, 0);
    }
    widths.sort_unstable();
    let median = widths[widths.len() / 2];
    let near = widths.iter().filter(|&&w| w + 4 >= median).count();
    let wrapped = blanks * 5 < widths.len() && near * 2 >= widths.len() && median >= 30;
    (wrapped, median)
}

/// Joins prose lines into paragraphs; rows become Markdown tables.
fn paragraphs(items: &[&Item], doc: &Doc) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut rows: Vec<&SourceRow> = Vec::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.trim().is_empty() {
            out.push(std::mem::take(cur));
        }
        cur.clear();
    };
    let full = doc.line_width.saturating_sub(2);
    for (k, item) in items.iter().enumerate() {
        if !matches!(item, Item::Row(_)) && !rows.is_empty() {
            out.push(markdown_table(&rows));
            rows.clear();
        }
        match item {
            Item::Blank => flush(&mut cur, &mut out),
            Item::Row(r) => {
                flush(&mut cur, &mut out);
                rows.push(r);
            }
            Item::Line { text, .. } if is_page_number(text) => {}
            Item::Line { text, .. } => {
                if !doc.wrapped {
                    flush(&mut cur, &mut out);
                    out.push(text.clone());
                    continue;
                }
                cur.push_str(text.trim());
                let width = text.width();
                let next = items[k + 1..]
                    .iter()
                    .find(|i| !matches!(i, Item::Line { text, .. } if is_page_number(text)))
                    .and_then(|i| {
                        if let Item::Line { text, .. } = i {
                            Some(text.as_str())
                        } else {
                            None
                        }
                    });
                let next_starts_item = next.is_some_and(|t| LIST_MARKER.is_match(t));
                // The first line of a paragraph lost its two-character indent: it is a little
                // narrower than a full line and goes on to the next.
                let next_indented = next.is_some_and(|t| {
                    let w = t.width();
                    w + 3 <= doc.line_width && w * 5 >= doc.line_width * 4 && !ends_sentence(t)
                });
                let ends = ends_sentence(text);
                if (ends && (width <= full || next_starts_item || next_indented))
                    || width * 5 < doc.line_width * 3
                {
                    flush(&mut cur, &mut out);
                }
            }
        }
    }
    flush(&mut cur, &mut out);
    if !rows.is_empty() {
        out.push(markdown_table(&rows));
    }
    out
}

fn markdown_table(rows: &[&SourceRow]) -> String {
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<String> = (0..width)
            .map(|c| {
                r.cells
                    .get(c)
                    .map(|c| c.text.replace('|', "｜"))
                    .unwrap_or_default()
            })
            .collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            s.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
    s.trim_end().to_string()
}

/// A paragraph as Markdown: a short "（一）…" alone is a subheading; text that Markdown would
/// take for syntax is escaped.
fn paragraph_markdown(p: &str) -> String {
    let p = p.trim();
    if p.starts_with('|') {
        return p.to_string();
    }
    if SUBHEADING.is_match(p) && p.chars().count() <= 20 && !p.contains(['，', ',']) {
        return format!("### {p}");
    }
    let mut s = String::with_capacity(p.len());
    if p.starts_with(['#', '>', '='])
        || p.starts_with("- ")
        || p.starts_with("* ")
        || p.starts_with("+ ")
    {
        s.push('\\');
    }
    for c in p.chars() {
        if matches!(c, '<' | '*' | '_' | '`' | '[' | ']') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// The Markdown body: preamble, then `## heading` and paragraphs for every section.
pub fn markdown(doc: &Doc) -> String {
    let mut blocks: Vec<String> = paragraphs(&doc.preamble, doc)
        .iter()
        .map(|p| paragraph_markdown(p))
        .collect();
    for s in &doc.sections {
        blocks.push(format!("## {}", s.heading));
        let table_section = (2..=4).contains(&s.number);
        let prose: Vec<&Item> = s
            .items
            .iter()
            .copied()
            .filter(|i| !(table_section && matches!(i, Item::Row(_))))
            .collect();
        // Every paragraph is kept; under 二/三/四 only pieces of a table printed as text go.
        for p in paragraphs(&prose, doc) {
            if !table_section || !super::tables::is_table_text(&p) {
                blocks.push(paragraph_markdown(&p));
            }
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Item> {
        super::super::text::items(text)
    }

    #[test]
    fn headings_by_numeral_in_order() {
        assert_eq!(heading("一、总体情况", 0), Some(1));
        assert_eq!(
            heading("五、政府信息公开工作存在的主要问题及改进情况", 4),
            Some(5)
        );
        assert_eq!(heading("五、六项工作都已完成", 1), None);
        assert_eq!(heading("三、收到和处理政府信息公开申请情况", 1), Some(3));
        assert_eq!(heading("一、总体情况", 1), None);
        assert_eq!(heading("一是加强领导", 0), None);
    }

    #[test]
    fn portal_tool_lines() {
        for t in [
            "全真版 | 文字版 | 文件下载",
            "相关链接：",
            "附件下载",
            "扫一扫在手机上查看当前页面",
            "文字解读 图片解读",
            "【字体：大 中 小】【打印本页】【关闭窗口】",
        ] {
            assert!(is_portal_text(t, false), "{t}");
        }
        assert!(is_portal_text("来源：某某县人民政府办公室", true));
        assert!(!is_portal_text("来源：某某县人民政府办公室", false));
        for t in [
            "无。",
            "1.门户网站",
            "（一）主要问题",
            "附件：统计表",
            "大中小企业",
            "扫一扫二维码即可关注“某某发布”。",
        ] {
            assert!(!is_portal_text(t, true), "{t}");
        }
    }

    #[test]
    fn an_attribute_table_under_the_title_dates_the_report() {
        let items = lines(
            "某某2021年政府信息公开工作年度报告\n| 索引号： | 0001 | 发布日期： | 2022年01月20日 |\n前言。\n一、总体情况\n二、主动公开政府信息情况\n",
        );
        let doc = structure(&items, false);
        assert_eq!(doc.published, Date::parse("2022-01-20"));
        assert!(!markdown(&doc).contains("索引号"), "{}", markdown(&doc));
    }

    #[test]
    fn section_headings_anywhere() {
        assert!(is_section_heading("二、主动公开政府信息情况"));
        assert!(is_section_heading("四、政府信息公开行政复议、行政诉讼情况"));
        assert!(!is_section_heading("二、上年结转政府信息公开申请数量"));
        assert!(!is_section_heading("三、本年度办理结果"));
        assert!(!is_section_heading("四、结转下年度继续办理"));
    }

    #[test]
    fn page_numbers() {
        for p in ["- 3 -", "— 12 —", "第 3 页", "第3页 共6页", "3/6"] {
            assert!(is_page_number(p), "{p}");
        }
        assert!(!is_page_number("2024"));
        assert!(!is_page_number("-4"));
    }

    #[test]
    fn title_published_and_dropped_lines() {
        let items = lines(
            "首页 > 政务公开\n某某县人民政府\n2024 年政府信息公开工作年度报告\n发布时间：2025-01-20 10:00 来源：县政府办\n前言。\n一、总体情况\n好。\n",
        );
        let doc = structure(&items, true);
        let t = doc.title.as_ref().unwrap();
        assert_eq!(t.text, "某某县人民政府2024年政府信息公开工作年度报告");
        assert_eq!(t.line, 2);
        assert_eq!(t.year, Some(2024));
        assert_eq!(doc.dropped_before_title, 1);
        assert_eq!(doc.published, Date::parse("2025-01-20"));
        assert_eq!(markdown(&doc), "前言。\n\n## 一、总体情况\n\n好。\n");
    }

    #[test]
    fn dates_as_portals_write_them() {
        let d = |s| Date::parse(s);
        assert_eq!(
            published_in("来源：某某市政府办公厅 时间：2020-01-31", false),
            d("2020-01-31")
        );
        assert_eq!(
            published_in("发布日期：2021年1月5日", false),
            d("2021-01-05")
        );
        assert_eq!(
            published_in("发文日期: 2021/01/05 10:00", false),
            d("2021-01-05")
        );
        assert_eq!(published_in("2020年01月31日", true), d("2020-01-31"));
        assert_eq!(published_in("[2020-01-31 09:30]", true), d("2020-01-31"));
        assert_eq!(published_in("2020年01月31日", false), None);
        assert_eq!(published_in("时间：2020-01-31", false), d("2020-01-31"));
        assert_eq!(
            published_in("来源：某某管委会时间：2022-01-20 浏览次数：5", false),
            d("2022-01-20")
        );
        // Inside the article, above or under its title, and as a metadata line.
        for text in [
            "来源：某某管委会 时间：2022-01-20\n某某2021年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n",
            "某某2021年政府信息公开工作年度报告\n来源：某某管委会时间：2022-01-20\n一、总体情况\n二、主动公开政府信息情况\n",
        ] {
            let items = lines(text);
            let doc = structure(&items, false);
            assert_eq!(doc.published, d("2022-01-20"), "{text}");
            assert!(doc.preamble.is_empty(), "{text}");
        }
        assert_eq!(
            published_in("本报告统计时间：2021年1月1日至2021年12月31日。", false),
            None
        );
        assert_eq!(published_in("2020年共收到申请31件", true), None);
        assert_eq!(meta_date("2020-01-31T09:00:00+08:00"), d("2020-01-31"));
        assert_eq!(meta_date("2020年1月31日"), d("2020-01-31"));
        // A date printed under the title, inside the article.
        let items = lines(
            "某某县人民政府2024年政府信息公开工作年度报告\n2025-01-20\n前言。\n一、总体情况\n好。\n",
        );
        let doc = structure(&items, false);
        assert_eq!(doc.published, d("2025-01-20"));
        assert_eq!(markdown(&doc), "前言。\n\n## 一、总体情况\n\n好。\n");
    }

    #[test]
    fn subheadings_under_table_sections_are_kept() {
        let items = lines(
            "二、主动公开政府信息情况\n（一）主动公开政府信息的数量\n1.门户网站\n第二十条 第（一）项\n本年处理决定数量\n三、收到和处理政府信息公开申请情况\n",
        );
        let doc = structure(&items, false);
        assert_eq!(
            markdown(&doc),
            "## 二、主动公开政府信息情况\n\n### （一）主动公开政府信息的数量\n\n1.门户网站\n\n## 三、收到和处理政府信息公开申请情况\n"
        );
    }

    #[test]
    fn wrapped_lines_join_into_paragraphs() {
        let mut text = String::from("一、总体情况\n");
        for _ in 0..3 {
            text.push_str("本报告由某某市人民政府办公室根据《中华人民共和国政府\n信息公开条例》规定编制，报告所列统计期限自一月一日至\n- 2 -\n十二月三十一日止。\n（一）主动公开\n");
        }
        let items = lines(&text);
        let doc = structure(&items, true);
        assert!(doc.wrapped);
        let md = markdown(&doc);
        assert!(md.contains("中华人民共和国政府信息公开条例》规定编制，报告所列统计期限自一月一日至十二月三十一日止。\n\n### （一）主动公开\n\n"), "{md}");
    }
}
