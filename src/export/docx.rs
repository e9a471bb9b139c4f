//! The report as a Word document for 领导审签 and the archive, written with docx-rs: the title,
//! the preamble and six sections with the prose as written, the three tables in the national
//! layout with merged cells, and the acknowledged notes. Page set-up and fonts follow the usual
//! 公文 practice (GB/T 9704): A4, margins 37/35/28/26 mm, 小标宋-style title, 黑体 section
//! headings, 楷体 sub-headings, 仿宋 三号 body, page numbers centred at the foot.
//!
//! Fonts are named, not embedded: Word and WPS on a Chinese Windows have 宋体, 黑体, 楷体 and
//! 仿宋; elsewhere (LibreOffice on Linux) the viewer substitutes its own CJK fonts.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, SpecialIndentType, Table, TableCell, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::layout::{self, Content};
use super::{AckNotes, cell_at};
use crate::content::body::OFFICIAL_HEADINGS;
use crate::content::format::TableId;
use crate::content::model::{Report, Unit};

/// A4 in twentieths of a point.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1587;
const MARGIN_RIGHT: i32 = 1474;
/// The width tables may take.
const TEXT_W: usize = (PAGE_W as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

const TITLE_FONT: &str = "方正小标宋简体";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体";
const BODY_FONT: &str = "仿宋";
const TABLE_FONT: &str = "宋体";

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 五号 10.5 pt, 小五 9 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_TABLE: usize = 21;
const SIZE_TABLE_WIDE: usize = 18;
/// Fixed body line height: 28.95 pt, 22 lines to the page.
const LINE_BODY: i32 = 579;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_BODY)
        .before(0)
        .after(0)
}

/// A body paragraph: first line indented two characters.
fn body_paragraph() -> Paragraph {
    Paragraph::new().line_spacing(body_spacing()).indent(
        None,
        Some(SpecialIndentType::FirstLine(640)),
        None,
        None,
    )
}

fn heading(text: &str, font: &str) -> Paragraph {
    body_paragraph()
        .keep_next(true)
        .add_run(run(text, font, SIZE_BODY))
}

/// Writes the prose of a section (Markdown) as paragraphs in the body font: paragraphs, list
/// items and sub-headings keep their wording; a line break inside a paragraph is dropped as
/// the site drops it between Chinese characters.
struct Prose {
    out: Vec<Block>,
    current: Option<Paragraph>,
    bold: bool,
    heading_font: Option<&'static str>,
    lists: Vec<Option<u64>>,
    table: Option<Vec<Vec<String>>>,
    last_char: Option<char>,
}

enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

impl Prose {
    fn new() -> Prose {
        Prose {
            out: Vec::new(),
            current: None,
            bold: false,
            heading_font: None,
            lists: Vec::new(),
            table: None,
            last_char: None,
        }
    }

    fn open(&mut self, p: Paragraph) {
        self.close();
        self.current = Some(p);
        self.last_char = None;
    }

    fn close(&mut self) {
        if let Some(p) = self.current.take() {
            self.out.push(Block::Paragraph(Box::new(p)));
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(rows) = self.table.as_mut() {
            if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push_str(text);
            }
            return;
        }
        if self.current.is_none() {
            self.open(body_paragraph());
        }
        let font = self.heading_font.unwrap_or(BODY_FONT);
        let mut r = run(text, font, SIZE_BODY);
        if self.bold {
            r = r.bold();
        }
        self.last_char = text.chars().last().or(self.last_char);
        self.current = self.current.take().map(|p| p.add_run(r));
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(Tag::Paragraph) if self.current.is_none() => self.open(body_paragraph()),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => self.close(),
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading_font = Some(if level <= HeadingLevel::H3 {
                    SUBHEADING_FONT
                } else {
                    BODY_FONT
                });
                self.bold = level > HeadingLevel::H3;
                self.open(body_paragraph().keep_next(true));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.close();
                self.heading_font = None;
                self.bold = false;
            }
            Event::Start(Tag::List(start)) => {
                self.close();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.open(body_paragraph());
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                self.text(&marker);
            }
            Event::Start(Tag::Strong) => self.bold = true,
            Event::End(TagEnd::Strong) => self.bold = self.heading_font == Some(BODY_FONT),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                self.text(&t)
            }
            // Between Latin words a space; between Chinese characters nothing.
            Event::SoftBreak if self.last_char.is_some_and(|c| c.is_ascii_alphanumeric()) => {
                self.text(" ")
            }
            Event::HardBreak => {
                self.current = self
                    .current
                    .take()
                    .map(|p| p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping)));
            }
            Event::Start(Tag::Table(_)) => {
                self.close();
                self.table = Some(Vec::new());
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(rows) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(row) = self.table.as_mut().and_then(|r| r.last_mut()) {
                    row.push(String::new());
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(rows) = self.table.take() {
                    self.out.push(Block::Table(Box::new(prose_table(&rows))));
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close();
        self.out
    }
}

fn prose(md: &str) -> Vec<Block> {
    let mut p = Prose::new();
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        p.event(ev);
    }
    p.finish()
}

fn table_paragraph(text: &str, size: usize, align: AlignmentType, bold: bool) -> Paragraph {
    let mut r = run(text, TABLE_FONT, size);
    if bold {
        r = r.bold();
    }
    Paragraph::new()
        .align(align)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240),
        )
        .add_run(r)
}

/// A Markdown table of the prose: equal columns, the first row bold.
fn prose_table(rows: &[Vec<String>]) -> Table {
    let n = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let w = TEXT_W / n;
    let rows =
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                TableRow::new(
                    (0..n)
                        .map(|j| {
                            let text = r.get(j).map(String::as_str).unwrap_or("");
                            TableCell::new().width(w, WidthType::Dxa).add_paragraph(
                                table_paragraph(text, SIZE_TABLE, AlignmentType::Center, i == 0),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
    Table::new(rows)
        .set_grid(vec![w; n])
        .layout(TableLayoutType::Fixed)
}

/// Table `id` of `report` from the format's grid: merged header cells as `gridSpan` across and
/// `vMerge` down, figures as written with their notes, acknowledged figures marked ※n.
fn official_table(report: &Report, id: TableId, acks: &AckNotes) -> Table {
    let grid = layout::grid(report.spec().table(id));
    let data = report.table(id);
    let widths = grid.widths();
    let total: f64 = widths.iter().sum();
    let twips: Vec<usize> = widths
        .iter()
        .map(|w| (w / total * TEXT_W as f64).floor() as usize)
        .collect();
    let size = if grid.columns > 4 {
        SIZE_TABLE_WIDE
    } else {
        SIZE_TABLE
    };
    let cover = grid.coverage();
    let mut rows = Vec::with_capacity(grid.rows);
    for (r, line) in cover.iter().enumerate() {
        let mut cells = Vec::new();
        let mut col = 0;
        while col < grid.columns {
            let c = &grid.cells[line[col]];
            let width: usize = twips[c.col..c.col + c.colspan].iter().sum();
            let mut cell = TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if c.colspan > 1 {
                cell = cell.grid_span(c.colspan);
            }
            if c.rowspan > 1 {
                cell = cell.vertical_merge(if c.row == r {
                    VMergeType::Restart
                } else {
                    VMergeType::Continue
                });
            }
            let paragraph = if c.row != r {
                table_paragraph("", size, AlignmentType::Center, false)
            } else {
                match c.content {
                    Content::Header(text) => {
                        table_paragraph(text, size, AlignmentType::Center, true)
                    }
                    Content::Label(text) => table_paragraph(text, size, AlignmentType::Left, false),
                    Content::Figure { row, col } => {
                        let figure = cell_at(data, row, col);
                        let mut text = figure.map(|f| f.display()).unwrap_or_default();
                        if let Some((n, _)) = figure.and_then(|f| acks.for_cell(f)) {
                            text.push_str(&format!("※{n}"));
                        }
                        table_paragraph(&text, size, AlignmentType::Center, false)
                    }
                }
            };
            cells.push(cell.add_paragraph(paragraph));
            col += c.colspan;
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    Table::new(rows)
        .set_grid(twips)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 60, 40, 60))
        .width(TEXT_W, WidthType::Dxa)
}

/// The report as a `.docx`.
pub fn report_document(report: &Report, unit: &Unit, acks: &AckNotes) -> std::io::Result<Vec<u8>> {
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_BODY)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run("— ", BODY_FONT, 28))
                    .add_page_num(PageNum::new())
                    .add_run(run(" —", BODY_FONT, 28)),
            ),
        );
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(LINE_BODY * 3 / 2)
                    .after(LINE_BODY as u32),
            )
            .add_run(run(&report.title(unit), TITLE_FONT, SIZE_TITLE)),
    );
    let add = |doc: Docx, blocks: Vec<Block>| {
        blocks.into_iter().fold(doc, |d, b| match b {
            Block::Paragraph(p) => d.add_paragraph(*p),
            Block::Table(t) => d.add_table(*t),
        })
    };
    doc = add(doc, prose(&report.body.preamble));
    for n in 1u8..=6 {
        let table = TableId::ALL.into_iter().find(|t| t.section() == n);
        let section = report.body.section(n);
        if section.is_none() && table.is_none() {
            continue;
        }
        let text = section.map_or(OFFICIAL_HEADINGS[n as usize - 1], |s| s.heading.as_str());
        doc = doc.add_paragraph(heading(text, HEADING_FONT));
        if let Some(s) = section {
            doc = add(doc, prose(&s.markdown));
        }
        if let Some(t) = table {
            doc = doc.add_table(official_table(report, t, acks));
            // Word needs a paragraph between consecutive tables and after the last.
            doc = doc.add_paragraph(Paragraph::new().line_spacing(body_spacing()));
        }
    }
    if !acks.notes.is_empty() {
        doc = doc.add_paragraph(heading("说明", HEADING_FONT));
        for (n, note) in &acks.notes {
            doc = doc.add_paragraph(body_paragraph().add_run(run(
                &format!("※{n} {note}"),
                BODY_FONT,
                SIZE_BODY,
            )));
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<String> {
        prose(md)
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.raw_text(),
                Block::Table(_) => "<table>".to_string(),
            })
            .collect()
    }

    /// Lines of a Chinese paragraph join without a gap (as on the site); list items keep
    /// their numbers; a Markdown table stays a table.
    #[test]
    fn prose_keeps_paragraphs_lists_and_tables() {
        let md = "第一行\n第二行 with **重点** text\nand more\n\n- 甲\n- 乙\n\n3. 丙\n4. 丁\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            texts(md),
            [
                "第一行第二行 with 重点 text and more",
                "•甲",
                "•乙",
                "3.丙",
                "4.丁",
                "<table>"
            ]
        );
    }
}
