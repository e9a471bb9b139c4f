//! Excel workbooks, written with rust_xlsxwriter (merged ranges, cell comments, page set-up
//! and frozen panes are its job, not ours):
//!
//! - [`report_workbook`]: a report's three tables, one sheet each, in the national layout with
//!   merged headers, figures as numbers, `/` as written, notes as cell comments, A4.
//! - [`summary_workbook`]: the 汇总 of many reports, one sheet per year, one row per report and
//!   one column per figure under a frozen Chinese header with 筛选 on, for 数据透视表.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use super::{AckNotes, Figure, cell_at, figure};
use crate::content::cell::Cell;
use crate::content::format::{FormatSpec, TableId};
use crate::content::layout::{self, Content, Grid};
use crate::content::model::{Report, Site, Unit};
// The figure columns of the 汇总 are those of the site's open data: one list, one naming.
use crate::render::data::{ancestors, figure_columns};
use crate::validate::Silenced;

/// Excel's paper size code for A4.
const A4: u8 = 9;
/// Author shown on the comments.
const AUTHOR: &str = "nianbao";

/// The sheet name of a table: `表二 主动公开政府信息情况` (Excel allows 31 characters).
pub fn sheet_name(id: TableId) -> String {
    let heading = id.heading();
    let text = heading.split_once('、').map_or(heading, |(_, t)| t);
    format!("{} {}", id.short(), text)
}

struct Formats {
    title: Format,
    caption: Format,
    header: Format,
    label: Format,
    figure: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let boxed = base.clone().set_border(FormatBorder::Thin);
        Formats {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            caption: base.clone().set_bold().set_align(FormatAlign::Center),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("F2F2F2"),
            label: boxed.clone().set_background_color("F2F2F2"),
            figure: boxed.set_align(FormatAlign::Center),
        }
    }

    /// The figure format showing a number with the decimals it was written with and its unit.
    fn number(&self, decimals: u32, unit: Option<&str>) -> Format {
        let mut code = if decimals == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(decimals as usize))
        };
        if let Some(u) = unit {
            code.push_str(&format!("\"{}\"", u.replace('"', "")));
        }
        self.figure.clone().set_num_format(code)
    }
}

/// Writes `cell`'s figure at (`row`, `col`) with `format`, or the merged range to
/// (`last_row`, `last_col`), and its note and acknowledged note as a cell comment.
fn write_figure(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    (last_row, last_col): (u32, u16),
    cell: Option<&Cell>,
    formats: &Formats,
    ack: Option<(usize, &str)>,
) -> Result<(), XlsxError> {
    let merged = (last_row, last_col) != (row, col);
    match figure(cell) {
        Figure::Number {
            value,
            decimals,
            unit,
        } => {
            let f = formats.number(decimals, unit);
            if merged {
                ws.merge_range(row, col, last_row, last_col, "", &f)?;
            }
            ws.write_number_with_format(row, col, value, &f)?;
        }
        Figure::Text(text) => {
            if merged {
                ws.merge_range(row, col, last_row, last_col, text, &formats.figure)?;
            } else {
                ws.write_string_with_format(row, col, text, &formats.figure)?;
            }
        }
        Figure::Blank => {
            if merged {
                ws.merge_range(row, col, last_row, last_col, "", &formats.figure)?;
            } else {
                ws.write_blank(row, col, &formats.figure)?;
            }
        }
    }
    if let Some(c) = cell {
        let mut notes = Vec::new();
        if let Some(n) = c.note() {
            notes.push(format!("注：{n}"));
        }
        if let Some((n, note)) = ack {
            notes.push(format!("说明{n}：{note}"));
        }
        if !notes.is_empty() {
            let note = Note::new(notes.join("\n"))
                .set_author(AUTHOR)
                .add_author_prefix(false)
                .set_width(240)
                .set_height(100);
            ws.insert_note(row, col, &note)?;
        }
    }
    Ok(())
}

/// Rows whose labels or headers need more than one line at `widths` get the height of the
/// lines they need (Excel does not fit heights of rows with merged or wrapped text itself).
fn row_heights(grid: &Grid, widths: &[f64]) -> Vec<f64> {
    let mut lines = vec![1usize; grid.rows];
    for c in &grid.cells {
        let text = match c.content {
            Content::Header(t) | Content::Label(t) => t,
            Content::Figure { .. } => continue,
        };
        let width: f64 = widths[c.col..c.col + c.colspan].iter().sum();
        // A CJK character takes about two units of width.
        let chars = text.chars().count() as f64 * 2.0;
        let needed = (chars / (width - 1.0).max(1.0)).ceil() as usize;
        let per_row = needed.div_ceil(c.rowspan);
        for l in lines.iter_mut().skip(c.row).take(c.rowspan) {
            *l = (*l).max(per_row);
        }
    }
    lines.into_iter().map(|l| 6.0 + 14.0 * l as f64).collect()
}

/// Writes table `id` of `report` on its own sheet.
fn table_sheet(
    wb: &mut Workbook,
    report: &Report,
    unit: &Unit,
    id: TableId,
    acks: &AckNotes,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let spec = report.spec().table(id);
    let data = report.table(id);
    let grid = layout::grid(spec);
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(id))?;
    let last_col = (grid.columns - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, &report.title(unit), &formats.title)?;
    ws.set_row_height(0, 28)?;
    ws.merge_range(1, 0, 1, last_col, id.heading(), &formats.caption)?;
    ws.set_row_height(1, 20)?;
    const TOP: u32 = 2;
    let widths = grid.widths();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, h) in row_heights(&grid, &widths).into_iter().enumerate() {
        ws.set_row_height(TOP + r as u32, h)?;
    }
    for c in &grid.cells {
        let (row, col) = (TOP + c.row as u32, c.col as u16);
        let (last_row, last) = (row + c.rowspan as u32 - 1, col + c.colspan as u16 - 1);
        match c.content {
            Content::Header(text) | Content::Label(text) => {
                let f = match c.content {
                    Content::Header(_) => &formats.header,
                    _ => &formats.label,
                };
                if c.is_merged() {
                    ws.merge_range(row, col, last_row, last, text, f)?;
                } else {
                    ws.write_string_with_format(row, col, text, f)?;
                }
            }
            Content::Figure { row: r, col: j } => {
                write_figure(
                    ws,
                    (row, col),
                    (last_row, last),
                    cell_at(data, r, j),
                    formats,
                    acks.note(id, r, j),
                )?;
            }
        }
    }
    ws.set_paper_size(A4);
    if grid.id == TableId::Appeals {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    if grid.header_rows > 0 {
        ws.set_repeat_rows(TOP, TOP + grid.header_rows as u32 - 1)?;
    }
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The report's three tables as a workbook: one sheet per table (表二, 表三, 表四).
pub fn report_workbook(
    report: &Report,
    unit: &Unit,
    acks: &AckNotes,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let formats = Formats::new();
    for id in TableId::ALL {
        table_sheet(&mut wb, report, unit, id, acks, &formats)?;
    }
    wb.save_to_buffer()
}

/// The columns about the report and its unit that come before the figures: the open data's
/// leading columns up to 发布日期 (a workbook has no page link, and the title is the unit's and
/// year's).
const LEAD: &[&str] = crate::render::data::LEAD.split_at(7).0;

/// The 汇总 of `reports`: one sheet per year (newest first), one row per report, one column
/// per figure. `silenced` are the site's silenced findings, for the acknowledged notes.
pub fn summary_workbook(
    site: &Site,
    reports: &[&Report],
    silenced: &[Silenced],
) -> Result<Vec<u8>, XlsxError> {
    let mut by_year: BTreeMap<i32, Vec<&Report>> = BTreeMap::new();
    for r in reports {
        by_year.entry(r.year).or_default().push(r);
    }
    let formats = Formats::new();
    let header = formats.header.clone().set_align(FormatAlign::Top);
    let text = formats.label.clone().set_background_color("FFFFFF");
    let mut wb = Workbook::new();
    for (year, reports) in by_year.iter().rev() {
        let mut specs: Vec<&'static FormatSpec> = reports.iter().map(|r| r.spec()).collect();
        specs.sort_by_key(|s| s.format);
        specs.dedup_by_key(|s| s.format);
        let columns = figure_columns(&specs);
        let ws = wb.add_worksheet();
        ws.set_name(format!("{year}年"))?;
        for (c, h) in LEAD.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header)?;
        }
        for (c, col) in columns.iter().enumerate() {
            ws.write_string_with_format(0, (LEAD.len() + c) as u16, col.header(), &header)?;
        }
        ws.set_row_height(0, 90)?;
        for (c, w) in [22.0, 24.0, 30.0, 9.0, 6.0, 24.0, 11.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        for c in 0..columns.len() {
            ws.set_column_width((LEAD.len() + c) as u16, 12)?;
        }
        for (i, r) in reports.iter().enumerate() {
            let row = 1 + i as u32;
            let Some(unit) = site.unit(&r.unit) else {
                continue;
            };
            let lead = [
                unit.id.clone(),
                ancestors(site, unit),
                unit.name.clone(),
                unit.kind.label().to_string(),
            ];
            for (c, v) in lead.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, v, &text)?;
            }
            ws.write_number_with_format(row, 4, r.year, &formats.figure)?;
            ws.write_string_with_format(row, 5, r.format.notice(), &text)?;
            let published = r.published.map(|d| d.to_string()).unwrap_or_default();
            ws.write_string_with_format(row, 6, &published, &formats.figure)?;
            let acks = AckNotes::of(r, silenced);
            let spec = r.spec();
            for (c, col) in columns.iter().enumerate() {
                let at = (row, (LEAD.len() + c) as u16);
                let table = spec.table(col.table);
                let place = table
                    .rows
                    .iter()
                    .position(|x| x.name == col.row)
                    .and_then(|i| {
                        let j = table.rows[i]
                            .columns
                            .iter()
                            .position(|x| x.label == col.column && x.kind == col.kind)?;
                        Some((i, j))
                    });
                let cell = place.and_then(|(i, j)| cell_at(r.table(col.table), i, j));
                let ack = place.and_then(|(i, j)| acks.note(col.table, i, j));
                write_figure(ws, at, at, cell, &formats, ack)?;
            }
        }
        let last_col = (LEAD.len() + columns.len() - 1) as u16;
        ws.set_freeze_panes(1, 3)?;
        ws.autofilter(0, 0, reports.len() as u32, last_col)?;
        ws.set_paper_size(A4);
        ws.set_landscape();
        ws.set_repeat_rows(0, 0)?;
    }
    if by_year.is_empty() {
        wb.add_worksheet().set_name("汇总")?;
    }
    wb.save_to_buffer()
}
