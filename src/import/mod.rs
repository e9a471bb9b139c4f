//! `nianbao import`: a published report (text copied from a web page or extracted from a PDF, or
//! the HTML of a portal page) read into the source format.
//!
//! The stages, each a small module with no I/O:
//! [`text`] or [`html`] turn the input into one stream of [`Item`]s (prose lines and table rows,
//! each with its place in the input); [`prose`] finds the title and the six sections;
//! [`tables`] matches the rows against the national format in [`crate::content::format`] and
//! reads the cells with [`cells`]. [`crate::content::writer`] prints the result in the source format and
//! [`crate::save`] writes it.
//!
//! What cannot be read is a [`Diagnostic`] (code `import`) at its line or table row; nothing is
//! guessed.

pub mod cells;
pub mod column;
pub mod html;
pub mod prose;
pub mod tables;
pub mod text;
pub mod unit;

use crate::content::Date;
use crate::content::format::Format;
use crate::content::yaml::Pos;
use crate::diagnostic::{Diagnostic, Rule};

/// The rule code of every finding of the import itself.
pub const CODE: Rule = Rule::Import;

/// One cell of a source table, with where its text starts in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceCell {
    pub text: String,
    pub pos: Pos,
}

/// Where a table row is in the input: its line, and for HTML the table and row number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// 1-based input line; 0 when unknown.
    pub line: u32,
    /// 1-based column of the row's start in that line (HTML: its `<tr>`); 0 when unknown.
    pub column: u32,
    /// 1-based number of the `<table>` in the page (HTML only).
    pub table: u32,
    /// 1-based row in that table (HTML only).
    pub row: u32,
}

impl Place {
    /// "第 2 个表格第 5 行" for HTML, nothing for text (the line says it all).
    pub fn describe(&self) -> String {
        if self.table > 0 {
            format!("（网页第 {} 个表格第 {} 行）", self.table, self.row)
        } else {
            String::new()
        }
    }

    pub fn pos(&self) -> Pos {
        let column = match (self.line, self.column) {
            (0, _) => 0,
            (_, 0) => 1,
            (_, c) => c,
        };
        Pos::new(self.line, column)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    pub cells: Vec<SourceCell>,
    pub place: Place,
    /// The row comes from a grid (`|` rows, HTML), where every row of a table has the same
    /// number of cells; one-cell-per-line text has no empty cells for merged labels.
    pub grid: bool,
}

impl SourceRow {
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|c| c.text.as_str())
    }
}

/// The input as a stream: prose lines and table rows, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A line of prose (or an HTML block), trimmed, with its 1-based input line (0: unknown).
    Line {
        text: String,
        line: u32,
    },
    /// An empty line: a paragraph break.
    Blank,
    Row(SourceRow),
}

/// What the caller knows that the input does not say.
#[derive(Clone, Debug)]
pub struct Options {
    pub year: i32,
    /// The input's name for diagnostics, as the user gave it.
    pub file: String,
    /// The unit's name when the unit already exists: a title equal to the default is left out.
    pub unit_name: Option<String>,
    /// `--published`, which wins over a date found on the page.
    pub published: Option<Date>,
}

/// A report read from its published form.
#[derive(Clone, Debug)]
pub struct Imported {
    pub format: Format,
    /// The title as published, whitespace removed; `None` when none was found.
    pub title: Option<String>,
    /// The unit's name as the title gives it.
    pub unit_name: Option<String>,
    pub published: Option<Date>,
    pub tables: crate::content::writer::Figures,
    /// The Markdown body: preamble and the six sections.
    pub body: String,
    /// What the user should know: the format and why, lines left out, rows filled in.
    pub notes: Vec<String>,
}

impl Imported {
    /// The report to write as the source file of `year` (what `content::writer` prints).
    pub fn draft(&self, year: i32) -> crate::content::writer::Draft<'_> {
        crate::content::writer::Draft {
            year,
            format: self.format,
            published: self.published,
            title: self.title.clone(),
            figures: &self.tables,
            body: self.body.clone(),
            skeleton: false,
        }
    }
}

/// Files that are not text, by the bytes they start with, and how to get the report's text out
/// of each. (Three fixed signatures: not worth a file-type crate.)
const NOT_TEXT: &[(&[u8], &str, &str)] = &[
    (
        b"%PDF-",
        "PDF 文件",
        "import 只读文本或网页（HTML）。提取 PDF 的文字：`pdftotext -layout 报告.pdf 报告.txt`（poppler-utils），或在 PDF 阅读器中全选、复制正文，粘贴进一个新的文本文件；再导入这个文本文件。扫描件（图片）没有文字，需要先做文字识别",
    ),
    (
        b"PK\x03\x04",
        "Word（.docx）文档或压缩文件",
        "import 只读文本或网页（HTML）：在 Word 中“另存为”纯文本（.txt，编码选 UTF-8）后再导入；压缩文件请先解压",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "Word 97-2003（.doc）或 Excel 文档",
        "import 只读文本或网页（HTML）：在 Word 中“另存为”纯文本（.txt，编码选 UTF-8）后再导入",
    ),
];

/// Why an input file could not be read as a report's text.
fn unreadable(file: &str, code: Rule, message: String, help: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(code, file, Pos::new(0, 0), message).help(help))
}

/// The input as text: UTF-8 (with or without BOM), else the page's declared charset, else
/// GB18030 (which covers GBK and GB2312, what Windows tools in China save). Returns the text
/// with `\n` line ends and the name of the legacy encoding used, if any; a PDF, a Word file or
/// an empty file is refused with what to do instead. `file` names the input in diagnostics.
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, Option<&'static str>), Box<Diagnostic>> {
    if let Some((_, what, help)) = NOT_TEXT
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
    {
        return Err(unreadable(
            file,
            CODE,
            format!("{file} 是 {what}，不是文本或网页"),
            help,
        ));
    }
    let (text, legacy) = decode_text(bytes).map_err(|e| {
        unreadable(
            file,
            Rule::Encoding,
            e,
            "用记事本“另存为”选择 UTF-8 编码后再导入",
        )
    })?;
    if text.trim().is_empty() {
        return Err(unreadable(
            file,
            CODE,
            format!("{file} 是空文件，没有可导入的内容"),
            "把报告网页的正文复制到这个文件（或把报告网页“另存为”HTML 文件）后再导入",
        ));
    }
    Ok((text, legacy))
}

fn decode_text(bytes: &[u8]) -> Result<(String, Option<&'static str>), String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let (text, legacy) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let head =
                String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
            let declared = head
                .find("charset=")
                .map(|i| {
                    head[i + 8..]
                        .trim_start_matches(['"', '\''])
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect::<String>()
                })
                .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
                .filter(|e| *e != encoding_rs::UTF_8);
            let enc = declared.unwrap_or(encoding_rs::GB18030);
            match enc.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(s) => (s.into_owned(), Some(enc.name())),
                None => return Err(format!("文件既不是 UTF-8 也不是 {} 编码", enc.name())),
            }
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Ok((text, legacy))
}

/// Whether the input is an HTML page rather than plain text: judged by its content.
pub fn is_html(input: &str) -> bool {
    let head: String = input
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let head = head.trim_start();
    // Markdown from a PDF converter may hold HTML tables (MinerU writes them so): its `#`
    // headings make it text, read by [`text`], which reads those tables.
    let markdown = !head.starts_with('<')
        && head.lines().any(|l| {
            let rest = l.trim_start_matches('#');
            rest.len() < l.len() && rest.starts_with(' ')
        });
    !markdown
        && (head.starts_with("<!doctype html")
            || head.starts_with("<html")
            || head.contains("<table")
            || head.contains("<body")
            || head.contains("<head")
            || (head.starts_with('<') && (head.contains("<p") || head.contains("<div"))))
}

/// Reads a report. `input` is already decoded and has `\n` line ends.
pub fn import(input: &str, opts: &Options) -> Result<Imported, Vec<Diagnostic>> {
    let html = is_html(input);
    let (items, page) = if html {
        let mut page = html::page(input, &opts.file).map_err(|d| vec![*d])?;
        (std::mem::take(&mut page.items), Some(page))
    } else {
        (text::items(input), None)
    };
    let mut doc = prose::structure(&items, !html);
    let mut diags = Vec::new();
    let mut notes = Vec::new();
    if let Some(page) = &page {
        around_the_article(&mut doc, page, &mut notes);
    }

    if let Some(t) = &doc.title
        && let Some(y) = t.year
        && y != opts.year
    {
        diags.push(
            Diagnostic::new(
                CODE,
                &opts.file,
                Pos::new(t.line, 1),
                format!("标题是 {y} 年度的报告，`--year` 却是 {}", opts.year),
            )
            .width(&t.text)
            .help(format!("核对年度：导入 {y} 年度的报告写 `--year {y}`")),
        );
    }

    let figures = match tables::read(&doc, opts) {
        Ok((figures, mut n)) => {
            notes.append(&mut n);
            Some(figures)
        }
        Err(mut d) => {
            diags.append(&mut d);
            None
        }
    };
    if !diags.is_empty() {
        return Err(few(diags, &opts.file));
    }
    let figures = figures.expect("no findings means the tables were read");

    let unit_name = doc
        .title
        .as_ref()
        .and_then(|t| unit::name_from_title(&t.text, opts.year));
    let title = doc.title.as_ref().and_then(|t| {
        if t.year.is_none() {
            notes.push(format!("标题“{}”没有写年度，报告页使用默认标题", t.text));
            return None;
        }
        let name = opts.unit_name.as_deref().or(unit_name.as_deref())?;
        let default = format!("{name}{}年政府信息公开工作年度报告", opts.year);
        (t.text != default).then(|| t.text.clone())
    });
    if doc.portal_lines > 0 {
        notes.push(format!(
            "网站的工具栏、分享框或文章信息 {} 行（如“文件下载”“扫一扫…”“来源：…”）未导入",
            doc.portal_lines
        ));
    }
    if doc.dropped_before_title > 0 {
        notes.push(format!(
            "标题前的 {} 行不是报告正文，未导入",
            doc.dropped_before_title
        ));
    }
    let published = opts.published.or(doc.published);
    if opts.published.is_none()
        && let Some(d) = doc.published
    {
        notes.push(format!("发布日期取自原文：{d}"));
    }
    Ok(Imported {
        format: figures.format,
        title,
        unit_name,
        published,
        body: prose::markdown(&doc),
        tables: figures,
        notes,
    })
}

/// The most findings a refused input lists: past a few, more of them only hide what to do.
pub const MAX_FINDINGS: usize = 10;

/// The findings in order, each reason once (the same message and hint at two places is one
/// reason), at most [`MAX_FINDINGS`] of them and then one saying how many more there are.
fn few(mut diags: Vec<Diagnostic>, file: &str) -> Vec<Diagnostic> {
    crate::diagnostic::sort(&mut diags);
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.message.clone(), d.help.clone())));
    if diags.len() > MAX_FINDINGS {
        let more = diags.len() - MAX_FINDINGS;
        diags.truncate(MAX_FINDINGS);
        diags.push(
            Diagnostic::new(
                CODE,
                file,
                Pos::new(0, 0),
                format!("另有 {more} 处读不懂，没有列出"),
            )
            .help("先改正上面这些（多是同一个原因），再导入一次，余下的会列出"),
        );
    }
    diags
}

/// What a portal page says around its article: the title (when the article has none) from the
/// `ArticleTitle` meta, the lines above the article or the `<title>`; the publication date
/// (when the article has none) from the lines above it or the `PubDate` meta.
fn around_the_article<'a>(doc: &mut prose::Doc<'a>, page: &'a html::Page, notes: &mut Vec<String>) {
    let title_at = page
        .before
        .iter()
        .rposition(|i| matches!(i, Item::Line { text, .. } if prose::title_from(text).is_some()));
    let mut recovered = 0;
    if doc.title.is_none() {
        // Prose between the title and the article's element (a preamble set apart from the
        // sections) is the report's, not the portal's.
        if let Some(t) = title_at {
            let prose_lines: Vec<&Item> = page.before[t + 1..]
                .iter()
                .filter(|i| {
                    matches!(i, Item::Line { text, .. }
                        if text.chars().count() >= 20
                            && text.contains('。')
                            && prose::published_in(text, false).is_none())
                })
                .collect();
            recovered = prose_lines.len();
            doc.preamble.splice(0..0, prose_lines);
        }
        // The `ArticleTitle` meta names this article exactly; a title-like line above it may be
        // another report's, listed in a side column.
        doc.title = page
            .meta_title
            .as_deref()
            .and_then(prose::title_from)
            .or_else(|| prose::title_before(&page.before))
            .or_else(|| page.head_title.as_deref().and_then(prose::title_from));
    }
    if doc.published.is_none() {
        // A labelled date anywhere above the article, a bare date only under the title.
        let date = |bare_from: usize| {
            page.before.iter().enumerate().find_map(|(k, i)| match i {
                Item::Line { text, .. } => prose::published_in(text, k >= bare_from),
                // The attribute table of a 信息公开 page: "发布日期 | 2022-01-20".
                Item::Row(row) => prose::published_in_row(row),
                Item::Blank => None,
            })
        };
        doc.published = date(usize::MAX)
            .or_else(|| title_at.and_then(|t| date(t + 1)))
            .or_else(|| page.meta_date.as_deref().and_then(prose::meta_date));
    }
    if page.left_out > recovered {
        notes.push(format!(
            "网页中报告正文以外的 {} 行（页头、导航、工具栏、分享、页脚等）未导入",
            page.left_out - recovered
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(
            decode("\u{feff}一\r\n二".as_bytes(), "a.txt").unwrap(),
            ("一\n二".to_string(), None)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("规章 | 1");
        assert_eq!(
            decode(&gbk, "a.txt").unwrap(),
            ("规章 | 1".to_string(), Some("gb18030"))
        );
        let page =
            b"<html><head><meta charset=\"big5\"></head><body>\xb3\x57\xb3\xb9</body></html>";
        assert_eq!(decode(page, "a.html").unwrap().1, Some("Big5"));
    }

    #[test]
    fn html_by_content() {
        assert!(is_html("<!DOCTYPE html><html>"));
        assert!(is_html("  <div class=x><table>"));
        assert!(!is_html("淮安市人民政府\n| 规章 | 1 |"));
        assert!(!is_html(
            "# 某某局2024年报告\n\n## 二、主动公开\n\n<table><tr><td>规章</td></tr></table>"
        ));
    }
}
