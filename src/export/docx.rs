//! The report as a Word document for 领导审签 and the archive: the title, the preamble and six
//! sections with the prose as written, the three tables in the national layout with merged
//! cells, and the acknowledged notes. Page set-up and fonts follow the usual 公文 practice
//! (GB/T 9704): A4, margins 37/35/28/26 mm, 小标宋 title, 黑体 section headings, 楷体
//! sub-headings, 仿宋 三号 body on a fixed 28.95 pt line, page numbers “— 1 —” at the foot.
//!
//! The WordprocessingML is written here rather than with docx-rs: docx-rs writes the children
//! of run and paragraph properties out of the order the schema (ECMA-376) fixes — `w:sz` before
//! `w:rFonts`, `w:rPr` first in `w:pPr` — and Word then offers to repair the file or silently
//! drops the font (bokuweb/docx-rs#724, open). The few parts a report needs are small: every
//! property below is written in schema order, and the package is zipped with the zip crate
//! rust_xlsxwriter already uses.
//!
//! Fonts are named, not embedded: Word and WPS on a Chinese Windows have 宋体, 黑体, 楷体 and
//! 仿宋; elsewhere (LibreOffice on Linux) the viewer substitutes its own CJK fonts.

use std::fmt::Write as _;
use std::io::Write as _;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{AckNotes, cell_at};
use crate::content::body::OFFICIAL_HEADINGS;
use crate::content::format::TableId;
use crate::content::layout::{self, Content};
use crate::content::model::{Report, Unit};

/// A4 in twentieths of a point.
const PAGE_W: i32 = 11906;
const PAGE_H: i32 = 16838;
/// 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1587;
const MARGIN_RIGHT: i32 = 1474;
/// The width tables may take.
const TEXT_W: i32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;

const TITLE_FONT: &str = "方正小标宋简体";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体";
const BODY_FONT: &str = "仿宋";
const TABLE_FONT: &str = "宋体";

/// Font sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt.
const SIZE_TITLE: u32 = 44;
const SIZE_BODY: u32 = 32;
const SIZE_FOOTER: u32 = 28;
const SIZE_TABLE: u32 = 21;
const SIZE_TABLE_WIDE: u32 = 18;
/// Fixed body line height: 28.95 pt, 22 lines to the page.
const LINE_BODY: i32 = 579;
/// First-line indent of two characters of 三号.
const INDENT_2: i32 = 640;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Appends `text` escaped for XML; characters XML 1.0 does not allow are dropped.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// How a run looks.
#[derive(Clone, Copy)]
struct Font {
    name: &'static str,
    size: u32,
    bold: bool,
}

const BODY: Font = Font {
    name: BODY_FONT,
    size: SIZE_BODY,
    bold: false,
};

/// A run: `w:rPr` children in schema order (rFonts, b, bCs, sz, szCs).
fn run(out: &mut String, text: &str, font: Font) {
    let n = font.name;
    let _ = write!(
        out,
        "<w:r><w:rPr><w:rFonts w:ascii=\"{n}\" w:eastAsia=\"{n}\" w:hAnsi=\"{n}\" w:cs=\"{n}\"/>"
    );
    if font.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    let _ = write!(
        out,
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr><w:t xml:space=\"preserve\">",
        font.size
    );
    escape(out, text);
    out.push_str("</w:t></w:r>");
}

/// How a paragraph is set.
#[derive(Clone, Copy, Default)]
struct Para {
    keep_next: bool,
    /// Exact line height in twips; `None` for single spacing.
    line: Option<i32>,
    after: i32,
    first_line: i32,
    /// `w:jc` value.
    align: Option<&'static str>,
    /// Outline level of a heading (shown in Word's navigation pane).
    outline: Option<u8>,
}

const BODY_PARA: Para = Para {
    keep_next: false,
    line: Some(LINE_BODY),
    after: 0,
    first_line: INDENT_2,
    align: None,
    outline: None,
};

/// Opens a paragraph: `w:pPr` children in schema order (keepNext, spacing, ind, jc, outlineLvl).
fn open_para(out: &mut String, p: Para) {
    out.push_str("<w:p><w:pPr>");
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    match p.line {
        Some(line) => {
            let _ = write!(
                out,
                "<w:spacing w:before=\"0\" w:after=\"{}\" w:line=\"{line}\" w:lineRule=\"exact\"/>",
                p.after
            );
        }
        None => {
            let _ = write!(
                out,
                "<w:spacing w:before=\"0\" w:after=\"{}\" w:line=\"240\" w:lineRule=\"auto\"/>",
                p.after
            );
        }
    }
    if p.first_line > 0 {
        let _ = write!(out, "<w:ind w:firstLine=\"{}\"/>", p.first_line);
    }
    if let Some(a) = p.align {
        let _ = write!(out, "<w:jc w:val=\"{a}\"/>");
    }
    if let Some(level) = p.outline {
        let _ = write!(out, "<w:outlineLvl w:val=\"{level}\"/>");
    }
    out.push_str("</w:pPr>");
}

fn paragraph(out: &mut String, p: Para, text: &str, font: Font) {
    open_para(out, p);
    if !text.is_empty() {
        run(out, text, font);
    }
    out.push_str("</w:p>");
}

/// Writes the prose of a section (Markdown) as paragraphs in the body font: paragraphs, list
/// items and sub-headings keep their wording; a line break inside a paragraph is dropped between
/// Chinese characters as the site drops it; a Markdown table stays a table.
struct Prose<'a> {
    out: &'a mut String,
    open: bool,
    bold: bool,
    heading: Option<HeadingLevel>,
    lists: Vec<Option<u64>>,
    table: Option<Vec<Vec<String>>>,
    last_char: Option<char>,
}

impl Prose<'_> {
    fn start(&mut self, p: Para) {
        self.close();
        open_para(self.out, p);
        self.open = true;
        self.last_char = None;
    }

    fn close(&mut self) {
        if self.open {
            self.out.push_str("</w:p>");
            self.open = false;
        }
    }

    fn font(&self) -> Font {
        match self.heading {
            Some(level) if level <= HeadingLevel::H3 => Font {
                name: SUBHEADING_FONT,
                size: SIZE_BODY,
                bold: self.bold,
            },
            Some(_) => Font { bold: true, ..BODY },
            None => Font {
                bold: self.bold,
                ..BODY
            },
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(rows) = self.table.as_mut() {
            if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                cell.push_str(text);
            }
            return;
        }
        if !self.open {
            self.start(BODY_PARA);
        }
        run(self.out, text, self.font());
        self.last_char = text.chars().last().or(self.last_char);
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::Start(Tag::Paragraph) if !self.open => self.start(BODY_PARA),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => self.close(),
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some(level);
                self.start(Para {
                    keep_next: true,
                    outline: Some(1),
                    ..BODY_PARA
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                self.close();
                self.heading = None;
            }
            Event::Start(Tag::List(start)) => {
                self.close();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.start(BODY_PARA);
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
            Event::End(TagEnd::Strong) => self.bold = false,
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                self.text(&t)
            }
            // Between Latin words a space; between Chinese characters nothing.
            Event::SoftBreak if self.last_char.is_some_and(|c| c.is_ascii_alphanumeric()) => {
                self.text(" ")
            }
            Event::HardBreak if self.open => self.out.push_str("<w:r><w:br/></w:r>"),
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
                    prose_table(self.out, &rows);
                }
            }
            _ => {}
        }
    }
}

/// Appends the Markdown `md` as Word paragraphs.
fn prose(out: &mut String, md: &str) {
    let mut p = Prose {
        out,
        open: false,
        bold: false,
        heading: None,
        lists: Vec::new(),
        table: None,
        last_char: None,
    };
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        p.event(ev);
    }
    p.close();
}

/// Opens a table of fixed columns `widths` (twips) with single black borders; `tblPr` children
/// in schema order (tblW, jc, tblBorders, tblLayout, tblCellMar).
fn open_table(out: &mut String, widths: &[i32]) {
    let total: i32 = widths.iter().sum();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>"
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        );
    }
    out.push_str(
        "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"30\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/><w:bottom w:w=\"30\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
    );
    for w in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
}

/// How a table cell is merged.
#[derive(Clone, Copy, PartialEq)]
enum Merge {
    None,
    /// The first row of a vertical merge.
    Restart,
    /// A row covered by the merge above.
    Continue,
}

/// A table cell: `tcPr` children in schema order (tcW, gridSpan, vMerge, shd, vAlign); its one
/// paragraph is written by `content`.
fn cell(
    out: &mut String,
    width: i32,
    span: usize,
    merge: Merge,
    shaded: bool,
    content: impl FnOnce(&mut String),
) {
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
    }
    match merge {
        Merge::None => {}
        Merge::Restart => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => out.push_str("<w:vMerge/>"),
    }
    if shaded {
        out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>");
    }
    out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    content(out);
    out.push_str("</w:tc>");
}

fn table_para(align: &'static str) -> Para {
    Para {
        align: Some(align),
        ..Para::default()
    }
}

/// A Markdown table of the prose: equal columns, the first row bold.
fn prose_table(out: &mut String, rows: &[Vec<String>]) {
    let n = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let w = TEXT_W / n as i32;
    open_table(out, &vec![w; n]);
    for (i, r) in rows.iter().enumerate() {
        out.push_str("<w:tr>");
        for j in 0..n {
            let text = r.get(j).map(String::as_str).unwrap_or("");
            let font = Font {
                name: TABLE_FONT,
                size: SIZE_TABLE,
                bold: i == 0,
            };
            cell(out, w, 1, Merge::None, i == 0, |o| {
                paragraph(o, table_para("center"), text, font)
            });
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// Table `id` of `report` from the format's grid: merged headers as `gridSpan` across and
/// `vMerge` down, figures as written with their notes, acknowledged figures marked ※n, header
/// rows repeated on every page the table runs over.
fn official_table(out: &mut String, report: &Report, id: TableId, acks: &AckNotes) {
    let grid = layout::grid(report.spec().table(id));
    let data = report.table(id);
    let widths = grid.widths();
    let total: f64 = widths.iter().sum();
    let twips: Vec<i32> = widths
        .iter()
        .map(|w| (w / total * f64::from(TEXT_W)).floor() as i32)
        .collect();
    let size = if grid.columns > 4 {
        SIZE_TABLE_WIDE
    } else {
        SIZE_TABLE
    };
    open_table(out, &twips);
    for (r, line) in grid.coverage().iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if r < grid.header_rows {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        let mut col = 0;
        while col < grid.columns {
            let c = &grid.cells[line[col]];
            let width: i32 = twips[c.col..c.col + c.colspan].iter().sum();
            let merge = match (c.rowspan > 1, c.row == r) {
                (false, _) => Merge::None,
                (true, true) => Merge::Restart,
                (true, false) => Merge::Continue,
            };
            let shaded = !matches!(c.content, Content::Figure { .. });
            let font = |bold| Font {
                name: TABLE_FONT,
                size,
                bold,
            };
            cell(out, width, c.colspan, merge, shaded, |o| {
                if c.row != r {
                    return paragraph(o, table_para("center"), "", font(false));
                }
                match c.content {
                    Content::Header(text) => paragraph(o, table_para("center"), text, font(true)),
                    Content::Label(text) => paragraph(o, table_para("left"), text, font(false)),
                    Content::Figure { row, col } => {
                        let figure = cell_at(data, row, col);
                        let mut text = figure.map(|f| f.display()).unwrap_or_default();
                        if let Some(n) = figure.and(acks.mark(id, row, col)) {
                            let _ = write!(text, "※{n}");
                        }
                        paragraph(o, table_para("center"), &text, font(false))
                    }
                }
            });
            col += c.colspan;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// `word/document.xml`: the report's text and tables, then the section's page set-up.
fn document_xml(report: &Report, unit: &Unit, acks: &AckNotes) -> String {
    let mut out = String::with_capacity(128 * 1024);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>"
    );
    let title = Font {
        name: TITLE_FONT,
        size: SIZE_TITLE,
        bold: false,
    };
    let title_para = Para {
        line: Some(LINE_BODY * 3 / 2),
        after: LINE_BODY,
        first_line: 0,
        align: Some("center"),
        outline: Some(0),
        ..BODY_PARA
    };
    paragraph(&mut out, title_para, &report.title(unit), title);
    prose(&mut out, &report.body.preamble);
    let heading = Para {
        keep_next: true,
        outline: Some(0),
        ..BODY_PARA
    };
    let heading_font = Font {
        name: HEADING_FONT,
        ..BODY
    };
    for n in 1u8..=6 {
        let table = TableId::ALL.into_iter().find(|t| t.section() == n);
        let section = report.body.section(n);
        if section.is_none() && table.is_none() {
            continue;
        }
        let text = section.map_or(OFFICIAL_HEADINGS[n as usize - 1], |s| s.heading.as_str());
        paragraph(&mut out, heading, text, heading_font);
        if let Some(s) = section {
            prose(&mut out, &s.markdown);
        }
        if let Some(t) = table {
            official_table(&mut out, report, t, acks);
            // A paragraph between consecutive tables, and after the last, as Word requires.
            paragraph(&mut out, BODY_PARA, "", BODY);
        }
    }
    if !acks.notes.is_empty() {
        paragraph(&mut out, heading, "说明", heading_font);
        for (n, a) in &acks.notes {
            paragraph(&mut out, BODY_PARA, &format!("※{n} {}", a.note), BODY);
        }
    }
    let _ = write!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    out
}

/// `word/footer1.xml`: the page number, centred, as “— 1 —”.
fn footer_xml() -> String {
    let font = Font {
        name: BODY_FONT,
        size: SIZE_FOOTER,
        bold: false,
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\">"
    );
    open_para(&mut out, table_para("center"));
    run(&mut out, "— ", font);
    out.push_str("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
    run(&mut out, "1", font);
    out.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    run(&mut out, " —", font);
    out.push_str("</w:p></w:ftr>");
    out
}

/// `word/styles.xml`: the defaults (仿宋 三号, Chinese language) and the normal styles.
fn styles_xml() -> String {
    let n = BODY_FONT;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{NS_W}\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{n}\" w:eastAsia=\"{n}\" w:hAnsi=\"{n}\" w:cs=\"{n}\"/><w:kern w:val=\"2\"/><w:sz w:val=\"{SIZE_BODY}\"/><w:szCs w:val=\"{SIZE_BODY}\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style></w:styles>"
    )
}

/// `docProps/core.xml`: the title and creator Word shows in the file's properties.
fn core_xml(title: &str) -> String {
    let mut t = String::new();
    escape(&mut t, title);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{t}</dc:title><dc:creator>nianbao</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/></Relationships>";

/// The report as a `.docx`.
pub fn report_document(report: &Report, unit: &Unit, acks: &AckNotes) -> std::io::Result<Vec<u8>> {
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core_xml(&report.title(unit))),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document_xml(report, unit, acks)),
        ("word/styles.xml", styles_xml()),
        ("word/footer1.xml", footer_xml()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(md: &str) -> Vec<String> {
        let mut xml = String::new();
        prose(&mut xml, md);
        let text = regex::Regex::new(r"<w:t[^>]*>([^<]*)</w:t>").unwrap();
        xml.split("</w:p>")
            .filter(|p| !p.is_empty())
            .map(|p| {
                if p.contains("<w:tbl>") {
                    return "<table>".to_string();
                }
                text.captures_iter(p).map(|c| c[1].to_string()).collect()
            })
            .collect()
    }

    /// Lines of a Chinese paragraph join without a gap (as on the site); list items keep
    /// their numbers; a Markdown table stays a table.
    #[test]
    fn prose_keeps_paragraphs_lists_and_tables() {
        let md = "第一行\n第二行 with **重点** text\nand more\n\n- 甲\n- 乙\n\n3. 丙\n4. 丁\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n末段 <b>&\n";
        let got = paragraphs(md);
        assert_eq!(
            got[..5],
            [
                "第一行第二行 with 重点 text and more",
                "•甲",
                "•乙",
                "3.丙",
                "4.丁",
            ]
        );
        assert!(got[5].starts_with("<table>"), "{got:?}");
        assert!(
            got.last().unwrap().ends_with("末段 &lt;b&gt;&amp;"),
            "{got:?}"
        );
    }

    /// Word reads run properties in the schema's order and drops what comes out of it: the
    /// font must come first, size after bold.
    #[test]
    fn run_properties_are_in_schema_order() {
        let mut xml = String::new();
        run(&mut xml, "黑体", Font { bold: true, ..BODY });
        let order: Vec<usize> = ["<w:rFonts", "<w:b/>", "<w:bCs/>", "<w:sz ", "<w:szCs "]
            .iter()
            .map(|e| xml.find(e).unwrap())
            .collect();
        assert!(order.is_sorted(), "{xml}");
    }
}
