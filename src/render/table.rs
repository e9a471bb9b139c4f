//! Lays out the three official tables exactly as the national formats print them: merged
//! headers with rowspan/colspan, verbatim labels, block headings of 表二, the 勾稽 note in
//! 表三's corner. Driven by `content::format`; every data cell names its headers (WCAG H43)
//! because the merged headers defeat `scope` alone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::context::{CellCtx, RowGroup, TableCtx};
use crate::content::cell::Cell;
use crate::content::format::{APPLICANTS, F2019, F2021, Row, T3_CORNER, TableId, TableSpec};
use crate::content::model::TableData;
use crate::content::yaml::Pos;

/// Which figures carry an acknowledged-finding marker: cell position → note number.
pub type AckMarks = HashMap<Pos, usize>;

fn th(
    text: &str,
    rowspan: u32,
    colspan: u32,
    scope: &'static str,
    id: String,
    class: &str,
) -> CellCtx {
    CellCtx {
        tag: "th",
        text: text.to_string(),
        rowspan,
        colspan,
        scope: Some(scope),
        id: Some(id),
        headers: None,
        class: class.to_string(),
        ack: None,
        figure: None,
    }
}

/// What a data cell shows of its figure: text, CSS classes and acknowledged-note number.
fn figure(cell: Option<&Cell>, marks: &AckMarks) -> (String, &'static str, Option<usize>) {
    match cell {
        Some(c) => {
            let ack = marks.get(&c.pos).copied();
            let class = match (c.is_blank(), ack.is_some()) {
                (false, false) => "num",
                (true, false) => "num blank",
                (false, true) => "num ack",
                (true, true) => "num blank ack",
            };
            (c.display(), class, ack)
        }
        None => (String::new(), "num blank", None),
    }
}

/// A data cell showing column `col` of the table's row `row`.
fn td(
    data: &TableData,
    (row, col): (usize, usize),
    colspan: u32,
    headers: String,
    marks: &AckMarks,
) -> CellCtx {
    let (text, class, ack) = figure(cell_at(data, row, col), marks);
    CellCtx {
        tag: "td",
        text,
        rowspan: 1,
        colspan,
        scope: None,
        id: None,
        headers: Some(headers),
        class: class.to_string(),
        ack,
        figure: Some((row, col)),
    }
}

fn cell_at(data: &TableData, row: usize, col: usize) -> Option<&Cell> {
    data.rows.get(row)?.as_ref()?.cells.get(col)
}

/// Lays out table `spec` with the figures of `data`.
pub fn layout(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    let mut t = layout_cells(spec, data, marks);
    t.html = markup(&t, false, true);
    t.html_inline = markup(&t, true, true);
    t
}

fn layout_cells(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    match spec.id {
        TableId::Active => active(spec, data, marks),
        TableId::Applications => applications(spec, data, marks),
        TableId::Appeals => appeals(spec, data, marks),
    }
}

const TH_STYLE: &str = "border:1px solid #000;padding:4px 6px;background:#f2f2f2;font-weight:bold;text-align:center;vertical-align:middle;";
const TH_ROW_STYLE: &str = "border:1px solid #000;padding:4px 6px;background:#f2f2f2;font-weight:normal;text-align:left;vertical-align:middle;";
const TD_STYLE: &str =
    "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;";

/// Exactly what the default theme's component `nb.official_table(table, inline,
/// caption_hidden)` renders (themes/default/templates/components.html; a test holds the two
/// equal), made with string pushes instead of the template's loop over every cell.
pub fn markup(t: &TableCtx, inline: bool, caption_hidden: bool) -> String {
    let mut s = String::new();
    for piece in pieces(t, inline, caption_hidden, false) {
        match piece {
            Piece::Text(text) => s.push_str(&text),
            Piece::Figure { .. } => unreachable!("figures are written in place"),
        }
    }
    s
}

/// Part of a table's markup: text, or the rest of a data cell (from its `class` attribute on),
/// which depends on the report's figure in `row`, column `col`.
enum Piece {
    Text(String),
    Figure { row: usize, col: usize },
}

fn hidden_style(inline: bool) -> &'static str {
    if inline {
        " style=\"position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0;\""
    } else {
        ""
    }
}

/// The markup of `t` in pieces; with `split`, data cells end their text piece before their
/// `class` attribute and are followed by a [`Piece::Figure`].
fn pieces(t: &TableCtx, inline: bool, caption_hidden: bool, split: bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut s = String::new();
    let esc = |s: &mut String, text: &str| super::escape_into(s, text);
    if !inline {
        s.push_str("\n<p class=\"scroll-hint\" aria-hidden=\"true\">表格较宽，可左右滑动查看</p>");
    }
    s.push_str("\n<div class=\"table-wrap\" role=\"region\" aria-label=\"");
    esc(&mut s, &t.caption);
    s.push_str("\" tabindex=\"0\"");
    if inline {
        s.push_str(" style=\"position:relative;overflow-x:auto;margin:0 0 16px;\"");
    }
    s.push_str(">\n<table class=\"official official-");
    esc(&mut s, t.id);
    s.push_str("\" id=\"table-");
    esc(&mut s, t.id);
    let _ = write!(s, "\" data-columns=\"{}\"", t.columns);
    if inline {
        s.push_str(" style=\"border-collapse:collapse;width:100%;border:1px solid #000;font-size:14px;line-height:1.5;\"");
    }
    s.push_str(">\n<caption");
    if caption_hidden {
        s.push_str(" class=\"visually-hidden\"");
        s.push_str(hidden_style(inline));
    } else if inline {
        s.push_str(" style=\"font-weight:bold;padding:6px 0;text-align:center;\"");
    }
    s.push('>');
    esc(&mut s, &t.caption);
    s.push_str("</caption>");
    for group in &t.groups {
        s.push_str("\n<");
        esc(&mut s, group.tag);
        s.push('>');
        for row in &group.rows {
            s.push_str("\n<tr>");
            for cell in row {
                s.push('<');
                esc(&mut s, cell.tag);
                if cell.rowspan > 1 {
                    let _ = write!(s, " rowspan=\"{}\"", cell.rowspan);
                }
                if cell.colspan > 1 {
                    let _ = write!(s, " colspan=\"{}\"", cell.colspan);
                }
                for (name, value) in [
                    (" scope=\"", cell.scope.unwrap_or("")),
                    (" id=\"", cell.id.as_deref().unwrap_or("")),
                    (" headers=\"", cell.headers.as_deref().unwrap_or("")),
                ] {
                    if !value.is_empty() {
                        s.push_str(name);
                        esc(&mut s, value);
                        s.push('"');
                    }
                }
                match cell.figure {
                    Some((row, col)) if split && cell.tag == "td" => {
                        out.push(Piece::Text(std::mem::take(&mut s)));
                        out.push(Piece::Figure { row, col });
                    }
                    _ => cell_rest(&mut s, cell, &cell.class, &cell.text, cell.ack, inline),
                }
            }
            s.push_str("\n</tr>");
        }
        s.push_str("\n</");
        esc(&mut s, group.tag);
        s.push('>');
    }
    s.push_str("\n</table>\n</div>");
    out.push(Piece::Text(s));
    out
}

/// A cell's markup from its `class` attribute to its end tag.
fn cell_rest(
    s: &mut String,
    cell: &CellCtx,
    class: &str,
    text: &str,
    ack: Option<usize>,
    inline: bool,
) {
    let has_class = |c: &str| class.split(' ').any(|x| x == c);
    if !class.is_empty() {
        s.push_str(" class=\"");
        super::escape_into(s, class);
        s.push('"');
    }
    if inline {
        let style = if cell.tag == "th" {
            if matches!(cell.scope, Some("row" | "rowgroup")) || has_class("corner") {
                TH_ROW_STYLE
            } else {
                TH_STYLE
            }
        } else {
            TD_STYLE
        };
        s.push_str(" style=\"");
        s.push_str(style);
        if cell.tag != "th" && has_class("ack") {
            s.push_str("background:#fff3bf;");
        }
        s.push('"');
    }
    s.push('>');
    super::escape_into(s, text);
    if text.is_empty() && has_class("blank") {
        s.push_str("<span class=\"visually-hidden\"");
        s.push_str(hidden_style(inline));
        s.push_str(">未填写</span>");
    }
    if let Some(n) = ack.filter(|&n| n != 0) {
        let _ = write!(
            s,
            "<a href=\"#ack-{n}\" class=\"ack-ref\">※{n}<span class=\"visually-hidden\"{}>原文如此，见说明{n}</span></a>",
            hidden_style(inline)
        );
    }
    s.push_str("</");
    super::escape_into(s, cell.tag);
    s.push('>');
}

/// A table of a format laid out once, its markup split around the figures.
struct Compiled {
    spec: &'static TableSpec,
    id: &'static str,
    columns: usize,
    html: Vec<Piece>,
    html_inline: Vec<Piece>,
}

fn compiled(spec: &TableSpec) -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            [&F2019, &F2021]
                .into_iter()
                .flat_map(|f| f.tables())
                .map(|spec| {
                    let empty = TableData {
                        rows: vec![None; spec.rows.len()],
                        pos: Pos::default(),
                    };
                    let t = layout_cells(spec, &empty, &AckMarks::new());
                    Compiled {
                        spec,
                        id: t.id,
                        columns: t.columns,
                        html: pieces(&t, false, true, true),
                        html_inline: pieces(&t, true, true, true),
                    }
                })
                .collect()
        })
        .iter()
        .find(|c| std::ptr::eq(c.spec, spec))
}

/// Fills the figures of `data` into compiled markup.
fn fill(pieces: &[Piece], data: &TableData, marks: &AckMarks, inline: bool) -> String {
    const TD: CellCtx = CellCtx {
        tag: "td",
        text: String::new(),
        rowspan: 1,
        colspan: 1,
        scope: None,
        id: None,
        headers: None,
        class: String::new(),
        ack: None,
        figure: None,
    };
    let mut s = String::with_capacity(if inline { 40_000 } else { 24_000 });
    for piece in pieces {
        match piece {
            Piece::Text(text) => s.push_str(text),
            &Piece::Figure { row, col } => {
                let (text, class, ack) = figure(cell_at(data, row, col), marks);
                cell_rest(&mut s, &TD, class, &text, ack, inline);
            }
        }
    }
    s
}

/// Table `spec` with the figures of `data` as markup only (`html`, `html_inline`; no
/// `groups`): what the built-in templates print, made from the format's table laid out once.
pub fn layout_markup(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    match compiled(spec) {
        Some(c) => TableCtx {
            id: c.id,
            caption: caption(spec.id),
            groups: Vec::new(),
            columns: c.columns,
            html: fill(&c.html, data, marks, false),
            html_inline: fill(&c.html_inline, data, marks, true),
        },
        None => TableCtx {
            groups: Vec::new(),
            ..layout(spec, data, marks)
        },
    }
}

fn caption(id: TableId) -> String {
    id.heading().to_string()
}

/// 表二: one tbody per block (第二十条第（一）项 …), each with its own column headers.
fn active(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    let ncols = 1 + spec.max_columns();
    let mut groups = Vec::new();
    let mut i = 0;
    let mut block_no = 0;
    while i < spec.rows.len() {
        let block = spec.rows[i].block.unwrap_or("");
        let rows: Vec<(usize, &Row)> = spec
            .rows
            .iter()
            .enumerate()
            .skip(i)
            .take_while(|(_, r)| r.block.unwrap_or("") == block)
            .collect();
        i += rows.len();
        block_no += 1;
        let bid = format!("t2-b{block_no}");
        let columns = rows[0].1.columns;
        let mut out = vec![vec![th(
            block,
            1,
            ncols as u32,
            "colgroup",
            bid.clone(),
            "block",
        )]];
        let mut head = vec![th("信息内容", 1, 1, "col", format!("{bid}-h0"), "")];
        for (j, col) in columns.iter().enumerate() {
            let span = if j + 1 == columns.len() {
                (ncols - columns.len()) as u32
            } else {
                1
            };
            head.push(th(
                col.label,
                1,
                span,
                "col",
                format!("{bid}-h{}", j + 1),
                "",
            ));
        }
        out.push(head);
        for (index, row) in rows {
            let rid = format!("t2-r-{}", row.key.replace('.', "-"));
            let mut tr = vec![th(row.label, 1, 1, "row", rid.clone(), "label")];
            for (j, _) in row.columns.iter().enumerate() {
                let span = if j + 1 == row.columns.len() {
                    (ncols - row.columns.len()) as u32
                } else {
                    1
                };
                let headers = format!("{bid} {bid}-h{} {rid}", j + 1);
                tr.push(td(data, (index, j), span, headers, marks));
            }
            out.push(tr);
        }
        groups.push(RowGroup {
            tag: "tbody",
            rows: out,
        });
    }
    TableCtx {
        id: "active",
        caption: caption(spec.id),
        groups,
        columns: ncols,
        ..TableCtx::default()
    }
}

/// 表三: 申请人情况 over seven columns, 三、本年度办理结果 as a vertical merged label over all
/// outcome rows and （七）总计, groups （三）（四）（五）(（六）in 2021) merged to the left.
fn applications(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    let head = vec![
        vec![
            th(T3_CORNER, 3, 3, "col", "t3-corner".into(), "corner"),
            th("申请人情况", 1, 7, "colgroup", "t3-h-app".into(), ""),
        ],
        vec![
            th(APPLICANTS[0].label, 2, 1, "col", "t3-c0".into(), ""),
            th("法人或其他组织", 1, 5, "colgroup", "t3-h-org".into(), ""),
            th(APPLICANTS[6].label, 2, 1, "col", "t3-c6".into(), ""),
        ],
        (1..6)
            .map(|j| th(APPLICANTS[j].label, 1, 1, "col", format!("t3-c{j}"), ""))
            .collect(),
    ];
    let col_headers = |j: usize| match j {
        1..=5 => format!("t3-h-app t3-h-org t3-c{j}"),
        _ => format!("t3-h-app t3-c{j}"),
    };
    let result_rows = spec
        .rows
        .iter()
        .filter(|r| r.outcome || r.key == "total")
        .count() as u32;
    let mut body = Vec::new();
    let mut result_open = false;
    let mut group_open: Option<&str> = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let rid = format!("t3-r-{}", row.key.replace('.', "-"));
        let mut tr = Vec::new();
        let mut row_headers = Vec::new();
        let in_result = row.outcome || row.key == "total";
        if in_result {
            if !result_open {
                tr.push(th(
                    "三、本年度办理结果",
                    result_rows,
                    1,
                    "rowgroup",
                    "t3-g-result".into(),
                    "group",
                ));
                result_open = true;
            }
            row_headers.push("t3-g-result".to_string());
            match row.group {
                Some(g) => {
                    let gid = format!("t3-g-{}", row.key.split('.').next().unwrap_or(row.key));
                    if group_open != Some(g) {
                        let span = spec.rows.iter().filter(|r| r.group == Some(g)).count() as u32;
                        tr.push(th(g, span, 1, "rowgroup", gid.clone(), "group"));
                        group_open = Some(g);
                    }
                    row_headers.push(gid);
                    tr.push(th(row.label, 1, 1, "row", rid.clone(), "label"));
                }
                None => {
                    group_open = None;
                    tr.push(th(row.label, 1, 2, "row", rid.clone(), "label"));
                }
            }
        } else {
            tr.push(th(row.label, 1, 3, "row", rid.clone(), "label"));
        }
        row_headers.push(rid);
        for j in 0..row.columns.len() {
            let headers = format!("{} {}", col_headers(j), row_headers.join(" "));
            tr.push(td(data, (index, j), 1, headers, marks));
        }
        body.push(tr);
    }
    TableCtx {
        id: "applications",
        caption: caption(spec.id),
        groups: vec![
            RowGroup {
                tag: "thead",
                rows: head,
            },
            RowGroup {
                tag: "tbody",
                rows: body,
            },
        ],
        columns: 10,
        ..TableCtx::default()
    }
}

/// 表四: 行政复议 over five columns, 行政诉讼 over ten (未经复议直接起诉, 复议后起诉), and
/// one data row of fifteen cells.
fn appeals(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    let mut r1 = Vec::new();
    let mut r2 = Vec::new();
    let mut r3 = Vec::new();
    let mut data_row = Vec::new();
    let mut open_group: Option<&str> = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let rid = format!("t4-{}", row.key.replace('_', "-"));
        let n = row.columns.len() as u32;
        let mut col_parent = vec![rid.clone()];
        match row.group {
            None => {
                r1.push(th(row.label, 1, n, "colgroup", rid.clone(), ""));
                for (j, col) in row.columns.iter().enumerate() {
                    r2.push(th(col.label, 2, 1, "col", format!("{rid}-c{j}"), ""));
                }
            }
            Some(g) => {
                let gid = format!(
                    "t4-g-{}",
                    if g == "行政诉讼" {
                        "litigation"
                    } else {
                        "group"
                    }
                );
                if open_group != Some(g) {
                    let span: u32 = spec
                        .rows
                        .iter()
                        .filter(|r| r.group == Some(g))
                        .map(|r| r.columns.len() as u32)
                        .sum();
                    r1.push(th(g, 1, span, "colgroup", gid.clone(), ""));
                    open_group = Some(g);
                }
                col_parent.insert(0, gid);
                r2.push(th(row.label, 1, n, "colgroup", rid.clone(), ""));
                for (j, col) in row.columns.iter().enumerate() {
                    r3.push(th(col.label, 1, 1, "col", format!("{rid}-c{j}"), ""));
                }
            }
        }
        for j in 0..row.columns.len() {
            let headers = format!("{} {rid}-c{j}", col_parent.join(" "));
            data_row.push(td(data, (index, j), 1, headers, marks));
        }
    }
    let columns = data_row.len();
    TableCtx {
        id: "appeals",
        caption: caption(spec.id),
        groups: vec![
            RowGroup {
                tag: "thead",
                rows: vec![r1, r2, r3],
            },
            RowGroup {
                tag: "tbody",
                rows: vec![data_row],
            },
        ],
        columns,
        ..TableCtx::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty(spec: &TableSpec) -> TableData {
        TableData {
            rows: vec![None; spec.rows.len()],
            pos: Pos::default(),
        }
    }

    /// Every row of a laid-out table must cover the same number of grid columns once rowspans
    /// from above are counted; otherwise the browser shifts cells.
    fn assert_rectangular(t: &TableCtx) {
        for g in &t.groups {
            let mut carry: Vec<u32> = vec![0; t.columns];
            for (r, row) in g.rows.iter().enumerate() {
                let mut col = 0;
                for c in row {
                    while col < t.columns && carry[col] > 0 {
                        col += 1;
                    }
                    for k in 0..c.colspan.max(1) as usize {
                        assert!(col + k < t.columns, "{} row {r} overflows", t.id);
                        carry[col + k] = c.rowspan.max(1);
                    }
                    col += c.colspan.max(1) as usize;
                }
                for v in carry.iter_mut() {
                    assert!(*v > 0, "{} row {r} leaves a hole", t.id);
                    *v -= 1;
                }
            }
        }
    }

    #[test]
    fn all_tables_of_both_formats_are_rectangular() {
        for spec in [&F2019, &F2021] {
            for table in spec.tables() {
                assert_rectangular(&layout(table, &empty(table), &AckMarks::new()));
            }
        }
    }

    #[test]
    fn table_three_has_the_official_corner_and_merged_result_label() {
        let t = layout(
            &F2021.applications,
            &empty(&F2021.applications),
            &AckMarks::new(),
        );
        let corner = &t.groups[0].rows[0][0];
        assert_eq!(corner.text, T3_CORNER);
        assert_eq!((corner.rowspan, corner.colspan), (3, 3));
        let result = &t.groups[1].rows[2][0];
        assert_eq!(result.text, "三、本年度办理结果");
        assert_eq!(result.rowspan, 22);
    }

    /// The markup made here is the component's, for every table of both formats, with blank,
    /// acknowledged and escaped cells, inline or not, caption hidden or not.
    #[test]
    fn markup_is_what_the_default_component_renders() {
        let dir = tempfile::tempdir().unwrap();
        let mut theme = crate::render::theme::load(dir.path(), None).unwrap();
        theme
            .tera
            .add_raw_template(
                "t.html",
                "{{ <nb.official_table table={table} inline={inline} caption_hidden={hidden} /> }}",
            )
            .unwrap();
        for spec in [&F2019, &F2021] {
            for table in spec.tables() {
                let mut t = layout(table, &empty(table), &AckMarks::new());
                let last = t.groups.last_mut().unwrap().rows.last_mut().unwrap();
                let n = last.len();
                last[n - 1].text = "1<2 & \"3\"".into();
                last[n - 1].class = "num ack".into();
                last[n - 1].ack = Some(2);
                last[n - 2].text = "0".into();
                last[n - 2].class = "num".into();
                t.html.clear();
                t.html_inline.clear();
                for inline in [false, true] {
                    for hidden in [false, true] {
                        let mut c = tera::Context::new();
                        c.insert("table", &t);
                        c.insert("inline", &inline);
                        c.insert("hidden", &hidden);
                        let rendered = theme.tera.render("t.html", &c).unwrap();
                        assert!(rendered.contains("ack-ref") && rendered.contains("未填写"));
                        assert!(rendered.contains("1&lt;2 &amp; &quot;3&quot;"));
                        assert_eq!(
                            markup(&t, inline, hidden),
                            rendered,
                            "{} inline={inline} caption_hidden={hidden}",
                            t.id
                        );
                    }
                }
            }
        }
    }

    /// The markup filled into the format's compiled table is the markup of the full layout, for
    /// the real reports of both formats, with acknowledged figures.
    #[test]
    fn compiled_markup_is_the_full_layouts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
        let loaded = crate::load::load(&root).unwrap();
        let mut formats = std::collections::BTreeSet::new();
        for r in &loaded.site.reports {
            formats.insert(r.format.id());
            for id in TableId::ALL {
                let data = r.table(id);
                let mut marks = AckMarks::new();
                let all = data.rows.iter().flatten().flat_map(|row| &row.cells);
                for (i, c) in all.enumerate().filter(|(i, _)| i % 7 == 3) {
                    marks.insert(c.pos, i % 3 + 1);
                }
                let full = layout(r.spec().table(id), data, &marks);
                let fast = layout_markup(r.spec().table(id), data, &marks);
                assert!(fast.groups.is_empty());
                assert_eq!((fast.id, fast.columns), (full.id, full.columns));
                assert_eq!(fast.html, full.html, "{} {}", r.file, full.id);
                assert_eq!(fast.html_inline, full.html_inline, "{} {}", r.file, full.id);
                assert!(!marks.is_empty() && full.html.contains("ack-ref"));
            }
        }
        assert_eq!(formats.len(), 2, "both formats");
    }
}
