//! Plain text into [`Item`]s: prose lines and table rows.
//!
//! Two table shapes are read:
//! - `|`-separated rows, one row a line, merged cells left empty (what PDF extractors such as
//!   pdfplumber print);
//! - one cell a line, each cell indented with a tab, rows separated by a blank line, a label
//!   broken across lines ("本年新\n制作数量") continued on an unindented line (what a browser
//!   copies from a portal page). Tab-indented lines are only table cells inside sections 二, 三
//!   and 四; elsewhere a tab is an indented paragraph.
//!
//! Markdown from PDF-to-Markdown converters (MinerU, marker, Pandoc …) is read as well: heading
//! marks (`## 三、…`) and bold marks around a whole line are taken off, the separator row of a
//! pipe table (`|---|:--:|`) is left out, and so is a header row the converter invented
//! (`| 数据1 | 数据2 | …`, `| 列1 | …`, `| Column1 | …`): the national tables' own header rows
//! stay and are read by [`super::tables`]. `<br>` inside a cell joins the cell's text.

use regex::Regex;
use std::sync::LazyLock;

use super::{Item, Place, SourceCell, SourceRow, prose};
use crate::content::yaml::Pos;

/// A line break inside a Markdown table cell, as converters write it.
static BR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").unwrap());

/// A line with tabs shown as four spaces, as diagnostics print it: columns count on this.
fn expand(line: &str) -> String {
    line.replace('\t', "    ")
}

/// The 1-based column (in characters of the expanded line) of the first non-space character at
/// or after char index `from`.
fn col_of(expanded: &[char], from: usize) -> u32 {
    let mut i = from;
    while i < expanded.len() && expanded[i].is_whitespace() {
        i += 1;
    }
    if i >= expanded.len() {
        from as u32 + 1
    } else {
        i as u32 + 1
    }
}

/// Splits a `| a | b |` line into cells, each positioned at its first character.
pub fn pipe_row(line: &str, lineno: u32) -> SourceRow {
    let chars: Vec<char> = expand(line).chars().collect();
    let mut bars: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '|')
        .map(|(i, _)| i)
        .collect();
    let last_non_space = chars.iter().rposition(|c| !c.is_whitespace()).unwrap_or(0);
    if bars.last() != Some(&last_non_space) {
        bars.push(chars.len());
    }
    let cells = bars
        .windows(2)
        .map(|w| {
            let text: String = chars[w[0] + 1..w[1]].iter().collect();
            SourceCell {
                text: text.trim().to_string(),
                pos: Pos::new(lineno, col_of(&chars[..w[1]], w[0] + 1)),
            }
        })
        .collect();
    SourceRow {
        cells,
        place: Place {
            line: lineno,
            ..Place::default()
        },
        grid: true,
    }
}

/// Splits a tab-separated line into cells.
pub fn tab_row(line: &str, lineno: u32) -> SourceRow {
    let mut cells = Vec::new();
    let mut col = 0u32; // expanded column of the current cell's start
    for part in line.split('\t') {
        let chars: Vec<char> = part.chars().collect();
        cells.push(SourceCell {
            text: part.trim().to_string(),
            pos: Pos::new(lineno, col + col_of(&chars, 0)),
        });
        col += chars.len() as u32 + 4;
    }
    SourceRow {
        cells,
        place: Place {
            line: lineno,
            ..Place::default()
        },
        grid: false,
    }
}

pub fn is_pipe_row(line: &str) -> bool {
    line.trim_start().starts_with('|') && line.trim().len() > 1
}

/// A Markdown table's separator row: `|---|:---:|---|`.
fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '+' | '='))
}

/// A header row a converter invented when the table's real header spans several rows: every
/// cell is empty or a generic column name followed by its number ("数据1", "列2", "Column3").
fn is_generic_header(row: &SourceRow) -> bool {
    const NAMES: &[&str] = &["数据", "列", "栏", "column", "col", "字段"];
    let mut named = 0;
    for t in row.texts() {
        if t.is_empty() {
            continue;
        }
        let lower = t.to_lowercase();
        let digits = lower.trim_start_matches(|c: char| !c.is_ascii_digit());
        let name = &lower[..lower.len() - digits.len()];
        if digits.is_empty()
            || !digits.chars().all(|c| c.is_ascii_digit())
            || !NAMES.contains(&name.trim())
        {
            return false;
        }
        named += 1;
    }
    named > 0
}

/// A prose line without Markdown marks a converter put around it: `## 三、…` → `三、…`,
/// `**一、总体情况**` → `一、总体情况`. Only marks around the whole line; a `#` inside text stays.
fn strip_markdown(text: &str) -> &str {
    let mut t = text;
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) {
        let rest = &t[hashes..];
        if rest.starts_with([' ', '\t', '\u{3000}']) || rest.is_empty() {
            t = rest.trim();
            // A closing sequence: "## 标题 ##".
            t = t.trim_end_matches('#').trim_end();
        }
    }
    for mark in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|r| r.strip_suffix(mark))
            && !inner.is_empty()
            && !inner.contains(mark)
        {
            t = inner.trim();
        }
    }
    t
}

/// The items of an HTML table embedded in text starting at line `first`: rows with the text's
/// line numbers (no table number: the line says it all). Markup that cannot be read stays as
/// one prose line, so the import reports the table as missing at its place.
fn html_table(fragment: &str, first: u32) -> Vec<Item> {
    let shift = |line: u32| if line > 0 { line + first - 1 } else { first };
    match super::html::items(fragment, "") {
        Ok(items) => items
            .into_iter()
            .map(|item| match item {
                Item::Row(mut row) => {
                    row.place = Place {
                        line: shift(row.place.line),
                        ..Place::default()
                    };
                    for c in &mut row.cells {
                        c.pos = Pos::new(shift(c.pos.line), c.pos.col);
                    }
                    Item::Row(row)
                }
                Item::Line { text, line } => Item::Line {
                    text,
                    line: shift(line),
                },
                Item::Blank => Item::Blank,
            })
            .collect(),
        Err(_) => vec![Item::Line {
            text: fragment.trim().to_string(),
            line: first,
        }],
    }
}

pub fn items(input: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut section = 0u8;
    // The one-cell-a-line row being read, and whether the previous line was one of its cells.
    let mut pending: Option<SourceRow> = None;
    let mut in_cell = false;
    let flush = |pending: &mut Option<SourceRow>, out: &mut Vec<Item>| {
        if let Some(row) = pending.take() {
            out.push(Item::Row(row));
        }
    };
    let mut lines = input.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let lineno = i as u32 + 1;
        if raw.to_ascii_lowercase().contains("<table") {
            // An HTML table inside Markdown (MinerU writes its tables so): read as a page's.
            flush(&mut pending, &mut out);
            in_cell = false;
            let mut fragment = raw.to_string();
            while !fragment.to_ascii_lowercase().contains("</table")
                && let Some((_, more)) = lines.next()
            {
                fragment.push('\n');
                fragment.push_str(more);
            }
            out.extend(html_table(&fragment, lineno));
            continue;
        }
        let in_tables = (2..=4).contains(&section);
        if in_tables && raw.trim_start_matches('\t').contains('\t') && !raw.trim().is_empty() {
            // A row copied from a browser: cells separated by tabs on one line.
            flush(&mut pending, &mut out);
            in_cell = false;
            out.push(Item::Row(tab_row(raw, lineno)));
            continue;
        }
        let tabbed = raw.starts_with('\t') && in_tables;
        if tabbed {
            let chars: Vec<char> = expand(raw).chars().collect();
            let cell = SourceCell {
                text: raw.trim().to_string(),
                pos: Pos::new(lineno, col_of(&chars, 0)),
            };
            pending
                .get_or_insert_with(|| SourceRow {
                    cells: Vec::new(),
                    place: Place {
                        line: lineno,
                        ..Place::default()
                    },
                    grid: false,
                })
                .cells
                .push(cell);
            in_cell = true;
            continue;
        }
        let text = raw.trim();
        if text.is_empty() {
            flush(&mut pending, &mut out);
            in_cell = false;
            out.push(Item::Blank);
            continue;
        }
        if is_pipe_row(raw) {
            flush(&mut pending, &mut out);
            in_cell = false;
            if is_separator_row(raw) {
                continue;
            }
            let mut row = pipe_row(raw, lineno);
            if is_generic_header(&row) {
                continue;
            }
            for cell in &mut row.cells {
                if cell.text.contains("<br") {
                    cell.text = BR.replace_all(&cell.text, "").trim().to_string();
                }
            }
            out.push(Item::Row(row));
            continue;
        }
        let text = strip_markdown(text);
        if text.is_empty() {
            continue;
        }
        let heading = prose::heading(text, section);
        if in_cell && heading.is_none() && !prose::is_page_number(text) {
            // "本年新\n制作数量": the label goes on without a tab.
            if let Some(cell) = pending.as_mut().and_then(|r| r.cells.last_mut()) {
                cell.text.push_str(text);
                continue;
            }
        }
        flush(&mut pending, &mut out);
        in_cell = false;
        if let Some(n) = heading {
            section = n;
        }
        out.push(Item::Line {
            text: text.to_string(),
            line: lineno,
        });
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &SourceRow) -> Vec<&str> {
        row.texts().collect()
    }

    #[test]
    fn pipe_rows_keep_empty_merged_cells_and_positions() {
        let r = pipe_row("|  | （四）无 | 1.本机关不掌握相关政府信息 | 746 |", 7);
        assert_eq!(
            texts(&r),
            ["", "（四）无", "1.本机关不掌握相关政府信息", "746"]
        );
        assert_eq!(r.cells[3].pos, Pos::new(7, 30));
        assert_eq!(r.cells[0].pos.line, 7);
    }

    #[test]
    fn one_cell_a_line_with_broken_labels() {
        let input = "二、主动公开政府信息情况\n\t信息内容\n\t本年新\n制作数量\n\t对外公开总数量\n\n\t规章\n\t\u{3000}\u{3000}0\n\t\u{a0}0\n\n三、收到\n";
        let items = items(input);
        let rows: Vec<&SourceRow> = items
            .iter()
            .filter_map(|i| if let Item::Row(r) = i { Some(r) } else { None })
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            texts(rows[0]),
            ["信息内容", "本年新制作数量", "对外公开总数量"]
        );
        assert_eq!(texts(rows[1]), ["规章", "0", "0"]);
        assert_eq!(rows[1].place.line, 7);
        assert_eq!(rows[1].cells[1].pos, Pos::new(8, 7));
        assert!(matches!(items.last(), Some(Item::Line { text, line: 11 }) if text == "三、收到"));
    }

    #[test]
    fn tab_separated_rows_from_a_browser() {
        let items = items("三、收到和处理政府信息公开申请情况\n\t\t1.属于国家秘密\t0\t1\n");
        let Item::Row(r) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(texts(r), ["", "", "1.属于国家秘密", "0", "1"]);
        assert_eq!(r.cells[3].pos, Pos::new(2, 21));
    }

    #[test]
    fn markdown_from_a_pdf_converter() {
        // Issue 11.6: heading marks, a separator row, an invented header row, <br> in a cell.
        let input = "# 某某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n**（一）主动公开**\n\n## 二、主动公开政府信息情况\n\n| 数据1 | 数据2 | 数据3 | 数据4 |\n|---|:---:|---|---|\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 1 | 0<br>  | 11 |\n\n## 三、收到和处理政府信息公开申请情况\n";
        let items = items(input);
        let lines: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Line { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            lines,
            [
                "某某局2024年政府信息公开工作年度报告",
                "一、总体情况",
                "（一）主动公开",
                "二、主动公开政府信息情况",
                "三、收到和处理政府信息公开申请情况"
            ]
        );
        let rows: Vec<Vec<&str>> = items
            .iter()
            .filter_map(|i| match i {
                Item::Row(r) => Some(texts(r)),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows,
            [
                vec!["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                vec!["规章", "1", "0", "11"]
            ]
        );
        // A '#' inside prose stays; "#标签" is not a heading mark.
        assert_eq!(strip_markdown("#标签 很好"), "#标签 很好");
        assert_eq!(strip_markdown("### 三、收到 ###"), "三、收到");
    }

    #[test]
    fn html_tables_inside_markdown() {
        // MinerU writes tables as HTML inside its Markdown, one table a line.
        let input = "## 二、主动公开政府信息情况\n\n<table><tr><td>信息内容</td><td colspan=\"2\">本年新制作数量</td></tr><tr><td>规章</td><td>1</td><td>2</td></tr></table>\n\n## 三、收到\n";
        let items = items(input);
        let rows: Vec<(Vec<&str>, u32)> = items
            .iter()
            .filter_map(|i| match i {
                Item::Row(r) => Some((texts(r), r.place.line)),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows,
            [
                (vec!["信息内容", "本年新制作数量", ""], 3),
                (vec!["规章", "1", "2"], 3)
            ]
        );
        assert!(matches!(items.last(), Some(Item::Line { text, line: 5 }) if text == "三、收到"));
    }

    #[test]
    fn tabs_outside_table_sections_are_prose() {
        let items = items("一、总体情况\n\t本年，我们做了很多。\n");
        assert!(matches!(&items[1], Item::Line { text, .. } if text == "本年，我们做了很多。"));
    }
}
