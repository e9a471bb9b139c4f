//! Comparing an imported report with a hand-typed expected one: every table cell, and every
//! paragraph of the prose in order. Shared by the import tests (included with `#[path]`).
#![allow(dead_code)]

use nianbao::content::Report;
use nianbao::content::format::TableId;

/// One row of a table: (table, row key, its cells as (shown text, blank), or `None` if absent).
pub type Row = (TableId, &'static str, Option<Vec<(String, bool)>>);

/// Every row of a report in the official order.
pub fn cells(r: &Report) -> Vec<Row> {
    let mut v = Vec::new();
    for id in TableId::ALL {
        let spec = r.spec().table(id);
        for (i, row) in spec.rows.iter().enumerate() {
            let data = r.table(id).rows.get(i).and_then(|r| r.as_ref()).map(|d| {
                d.cells
                    .iter()
                    .map(|c| (c.display(), c.is_blank()))
                    .collect::<Vec<_>>()
            });
            v.push((id, row.key, data));
        }
    }
    v
}

/// Every cell that differs, as readable lines ("表三 new 第 3 列：导入 “5”，应为 “~”"); empty when
/// the tables are the same.
pub fn table_differences(imported: &Report, expected: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if imported.format != expected.format {
        out.push(format!(
            "format: imported {}, expected {}",
            imported.format.id(),
            expected.format.id()
        ));
        return out;
    }
    let show = |c: &(String, bool)| {
        if c.1 && c.0.is_empty() {
            "~".to_string()
        } else {
            c.0.clone()
        }
    };
    for (a, b) in cells(imported).iter().zip(cells(expected).iter()) {
        let (id, key) = (a.0, a.1);
        match (&a.2, &b.2) {
            (None, None) => {}
            (None, Some(_)) => out.push(format!("{id:?} {key}: row missing from the import")),
            (Some(_), None) => out.push(format!("{id:?} {key}: row imported, expected absent")),
            (Some(x), Some(y)) => {
                if x.len() != y.len() {
                    out.push(format!(
                        "{id:?} {key}: {} cells imported, {} expected",
                        x.len(),
                        y.len()
                    ));
                    continue;
                }
                for (col, (cx, cy)) in x.iter().zip(y).enumerate() {
                    if cx != cy {
                        out.push(format!(
                            "{id:?} {key} column {}: imported {:?}, expected {:?}",
                            col + 1,
                            show(cx),
                            show(cy)
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The whole body as Markdown: preamble, then each section's heading and text.
pub fn body_markdown(r: &Report) -> String {
    let mut s = r.body.preamble.clone();
    for sec in &r.body.sections {
        s.push_str("\n\n## ");
        s.push_str(&sec.heading);
        s.push_str("\n\n");
        s.push_str(&sec.markdown);
    }
    s
}

/// Text without any whitespace (ASCII, full-width, no-break): where a converter or the importer
/// breaks lines or indents with "　　" does not matter, the characters and their order do.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of every paragraph, heading and list item of a Markdown text, in order (Markdown
/// marks, escapes and entities resolved, so `### （一）` and `（一）` read the same).
pub fn blocks(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_table = 0usize;
    for ev in Parser::new(markdown) {
        match ev {
            Event::Start(Tag::Table(_)) => in_table += 1,
            Event::End(TagEnd::Table) => in_table = in_table.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_table == 0 => cur.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_table == 0 => cur.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                if !cur.trim().is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            _ => {}
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// The expected paragraphs that are not found, in order, in the imported text: each must occur
/// after the previous one. Returns the first paragraph lost (or out of order) with its index.
pub fn first_lost_paragraph(
    imported_markdown: &str,
    expected: &[String],
) -> Option<(usize, String)> {
    let hay = squeeze(&blocks(imported_markdown).join("\n"));
    let mut from = 0usize;
    for (i, p) in expected.iter().enumerate() {
        let needle = squeeze(p);
        if needle.is_empty() {
            continue;
        }
        match hay[from..].find(&needle) {
            Some(at) => from += at + needle.len(),
            None => return Some((i, p.clone())),
        }
    }
    None
}
