//! Writes the three official tables as HTML from their one layout (`content::layout`: merged
//! headers, verbatim labels, block headings of 表二, the 勾稽 note in 表三's corner, the headers
//! of every figure). Adds only what HTML needs: ids, `headers` attributes (WCAG H43, because the
//! merged headers defeat `scope` alone), `scope`, classes, `thead`/`tbody` and the markers of
//! acknowledged findings.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::context::{CellCtx, RowGroup, TableCtx, TableFigure};
use crate::content::cell::Cell;
use crate::content::format::{F2019, F2021, TableId, TableSpec};
use crate::content::layout::{self, Content, Grid, Placed, Role};
use crate::content::model::TableData;
use crate::validate::AckNotes;

/// What a data cell shows of its figure: text, CSS classes and acknowledged-note number
/// (`ack`, the note marking the figure). A plain figure has no class: the stylesheet selects
/// `table.official td`, and 230 `class="num"` were 3 KB of every report page.
fn figure(cell: Option<&Cell>, ack: Option<usize>) -> TableFigure {
    match cell {
        Some(c) => {
            let class = match (c.is_blank(), ack.is_some()) {
                (false, false) => "",
                (true, false) => "blank",
                (false, true) => "ack",
                (true, true) => "blank ack",
            };
            TableFigure {
                text: c.display(),
                class,
                ack,
            }
        }
        None => TableFigure {
            text: String::new(),
            class: "blank",
            ack: None,
        },
    }
}

fn cell_at(data: &TableData, row: usize, col: usize) -> Option<&Cell> {
    data.rows.get(row)?.as_ref()?.cells.get(col)
}

/// A table of a format laid out: the same for every report of that format.
#[derive(Clone)]
struct Layout {
    id: &'static str,
    caption: String,
    columns: usize,
    groups: Vec<RowGroup>,
    /// For each data cell in document order: the row of the table's data and the column its
    /// figure is read from.
    figures: Vec<(usize, usize)>,
    /// `groups` as the templates get it, made once and shared by every report's context.
    value: tera::Value,
}

fn lay_out(spec: &TableSpec) -> Layout {
    let grid = layout::grid(spec);
    let ids = short_ids(&grid);
    let mut figures = Vec::new();
    let mut rows = vec![Vec::new(); grid.rows];
    for (i, c) in grid.cells.iter().enumerate() {
        rows[c.row].push(cell_of(&ids, i, c, &mut figures));
    }
    let mut rows = rows.into_iter();
    let mut groups = Vec::new();
    if grid.header_rows > 0 {
        let head = rows.by_ref().take(grid.header_rows).collect();
        groups.push(RowGroup {
            tag: "thead",
            rows: head,
        });
    }
    for block in &grid.blocks {
        let body = rows.by_ref().take(block.len()).collect();
        groups.push(RowGroup {
            tag: "tbody",
            rows: body,
        });
    }
    Layout {
        id: spec.id.key(),
        caption: caption(spec.id),
        columns: grid.columns,
        value: tera::Value::from_serializable(&groups),
        groups,
        figures,
    }
}

/// The HTML id of every header cell of `grid` (empty for figures): the table's prefix of the
/// layout's names (`t3`) and the header's number, `t3h12`. Each figure's `headers` lists four
/// or five of them, so the layout's descriptive names (`t3-r-withheld-state_secret`) made a
/// third of a report page; these keep it unique on the page and say the same to a screen
/// reader, which announces the headers' text, never their ids.
fn short_ids(grid: &Grid) -> Vec<String> {
    let mut n = 0;
    grid.cells
        .iter()
        .map(|c| {
            if c.name.is_empty() {
                return String::new();
            }
            n += 1;
            let prefix = c.name.split('-').next().unwrap_or_default();
            format!("{prefix}h{n}")
        })
        .collect()
}

/// Cell `i` of the grid (`c`) as the templates get it: a `th` with its id, scope and class, or
/// a `td` naming its headers, whose figure is the next of `figures`. `ids` are the headers'
/// ids ([`short_ids`]).
fn cell_of(ids: &[String], i: usize, c: &Placed, figures: &mut Vec<(usize, usize)>) -> CellCtx {
    let (rowspan, colspan) = (c.rowspan as u32, c.colspan as u32);
    match c.content {
        Content::Figure { row, col } => {
            figures.push((row, col));
            let heads: Vec<&str> = c.heads.iter().map(|&h| ids[h].as_str()).collect();
            CellCtx {
                tag: "td",
                text: String::new(),
                rowspan,
                colspan,
                scope: None,
                id: None,
                headers: Some(heads.join(" ")),
                class: "",
                figure: Some(figures.len() - 1),
            }
        }
        Content::Header(text) | Content::Label(text) => {
            // Row and row-group labels need no class: the stylesheet selects them by scope.
            let (scope, class) = match c.role {
                Role::Block => ("colgroup", "block"),
                Role::ColumnGroup => ("colgroup", ""),
                Role::Column => ("col", ""),
                Role::Corner => ("col", "corner"),
                Role::RowGroup => ("rowgroup", ""),
                Role::Row | Role::Figure => ("row", ""),
            };
            CellCtx {
                tag: "th",
                text: text.to_string(),
                rowspan,
                colspan,
                scope: Some(scope),
                id: Some(ids[i].clone()),
                headers: None,
                class,
                figure: None,
            }
        }
    }
}

/// The layout of `spec`, made once per table of the national formats.
fn layout_of(spec: &TableSpec) -> Cow<'static, Layout> {
    static LAYOUTS: OnceLock<Vec<(&'static TableSpec, Layout)>> = OnceLock::new();
    LAYOUTS
        .get_or_init(|| {
            [&F2019, &F2021]
                .into_iter()
                .flat_map(|f| f.tables())
                .map(|spec| (spec, lay_out(spec)))
                .collect()
        })
        .iter()
        .find(|(s, _)| std::ptr::eq(*s, spec))
        .map(|(_, l)| Cow::Borrowed(l))
        .unwrap_or_else(|| Cow::Owned(lay_out(spec)))
}

/// Table `spec` with the figures of `data`: its cells (`groups`, the same for every report of
/// the format, and `figures`), for templates that lay the table out themselves, and their
/// markup (`html`, `html_inline`).
pub fn layout(spec: &TableSpec, data: &TableData, acks: &AckNotes) -> TableCtx {
    let l = layout_of(spec);
    let figures: Vec<TableFigure> = l
        .figures
        .iter()
        .map(|&(row, col)| figure(cell_at(data, row, col), acks.mark(spec.id, row, col)))
        .collect();
    TableCtx {
        id: l.id,
        caption: l.caption.clone(),
        columns: l.columns,
        html: markup(&l, &figures, false),
        html_inline: markup(&l, &figures, true),
        groups: l.value.clone(),
        figures,
    }
}

/// Inline styles of the CMS fragment, where the site stylesheet is absent and `<style>` blocks
/// are stripped.
const TH_STYLE: &str = "border:1px solid #000;padding:4px 6px;background:#f2f2f2;font-weight:bold;text-align:center;vertical-align:middle;";
const TH_ROW_STYLE: &str = "border:1px solid #000;padding:4px 6px;background:#f2f2f2;font-weight:normal;text-align:left;vertical-align:middle;";
const TD_STYLE: &str =
    "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle;";
const HIDDEN_STYLE: &str = " style=\"position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0;\"";

fn hidden_style(inline: bool) -> &'static str {
    if inline { HIDDEN_STYLE } else { "" }
}

/// The markup of table `t`: the one place the official tables are written as HTML, for the
/// report page and (with `inline` styles) the CMS fragment. Made here rather than by a loop in
/// a template: looping over a report's ~230 cells in Tera was most of the time of a build.
/// The caption is kept for assistive technology only (the page shows the section heading right
/// above the table).
fn markup(t: &Layout, figures: &[TableFigure], inline: bool) -> String {
    let mut s = String::with_capacity(if inline { 40_000 } else { 24_000 });
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
    s.push_str(">\n<caption class=\"visually-hidden\"");
    s.push_str(hidden_style(inline));
    s.push('>');
    esc(&mut s, &t.caption);
    s.push_str("</caption>");
    for group in &t.groups {
        s.push_str("\n<");
        s.push_str(group.tag);
        s.push('>');
        for row in &group.rows {
            s.push_str("\n<tr>");
            for cell in row {
                cell_markup(&mut s, cell, cell.figure.map(|n| &figures[n]), inline);
            }
            s.push_str("\n</tr>");
        }
        s.push_str("\n</");
        s.push_str(group.tag);
        s.push('>');
    }
    s.push_str("\n</table>\n</div>");
    s
}

/// One `<th>`, or a `<td>` showing `figure`.
fn cell_markup(s: &mut String, cell: &CellCtx, figure: Option<&TableFigure>, inline: bool) {
    let (text, class, ack) = match figure {
        Some(f) => (f.text.as_str(), f.class, f.ack),
        None => (cell.text.as_str(), cell.class, None),
    };
    s.push('<');
    s.push_str(cell.tag);
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
        (" class=\"", class),
    ] {
        if !value.is_empty() {
            s.push_str(name);
            super::escape_into(s, value);
            s.push('"');
        }
    }
    let has_class = |c: &str| class.split(' ').any(|x| x == c);
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
    if let Some(n) = ack {
        let _ = write!(
            s,
            "<a href=\"#ack-{n}\" class=\"ack-ref\">※{n}<span class=\"visually-hidden\"{}>原文如此，见说明{n}</span></a>",
            hidden_style(inline)
        );
    }
    s.push_str("</");
    s.push_str(cell.tag);
    s.push('>');
}

fn caption(id: TableId) -> String {
    id.heading().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::format::T3_CORNER;
    use crate::content::yaml::Pos;
    use crate::validate::CellRef;

    fn empty(spec: &TableSpec) -> TableData {
        TableData {
            rows: vec![None; spec.rows.len()],
            pos: Pos::default(),
        }
    }

    /// Every row of a laid-out table must cover the same number of grid columns once rowspans
    /// from above are counted; otherwise the browser shifts cells.
    fn assert_rectangular(t: &Layout) {
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
                assert_rectangular(&layout_of(table));
            }
        }
    }

    #[test]
    fn table_three_has_the_official_corner_and_merged_result_label() {
        let t = layout_of(&F2021.applications);
        let corner = &t.groups[0].rows[0][0];
        assert_eq!(corner.text, T3_CORNER);
        assert_eq!((corner.rowspan, corner.colspan), (3, 3));
        let result = &t.groups[1].rows[2][0];
        assert_eq!(result.text, "三、本年度办理结果");
        assert_eq!(result.rowspan, 22);
    }

    /// The default theme's component prints the table's markup as made here, and that markup
    /// shows blank, acknowledged and escaped cells, with inline styles only for the fragment.
    #[test]
    fn the_component_prints_the_markup_of_the_cells() {
        let dir = tempfile::tempdir().unwrap();
        let mut theme = crate::render::theme::load(dir.path(), None).unwrap();
        theme
            .tera
            .add_raw_template(
                "t.html",
                "{{ <nb.official_table table={table} /> }}|{{ <nb.official_table table={table} inline={true} /> }}",
            )
            .unwrap();
        for spec in [&F2019, &F2021] {
            for table in spec.tables() {
                let l = layout_of(table);
                let mut t = layout(table, &empty(table), &AckNotes::default());
                let n = t.figures.len();
                t.figures[n - 1] = TableFigure {
                    text: "1<2 & \"3\"".into(),
                    class: "ack",
                    ack: Some(2),
                };
                t.figures[n - 2] = TableFigure {
                    text: "0".into(),
                    class: "",
                    ack: None,
                };
                t.html = markup(&l, &t.figures, false);
                t.html_inline = markup(&l, &t.figures, true);
                for html in [&t.html, &t.html_inline] {
                    assert!(html.contains(
                        "1&lt;2 &amp; &quot;3&quot;<a href=\"#ack-2\" class=\"ack-ref\">※2"
                    ));
                    assert!(html.contains(">未填写</span></td>"));
                    assert!(html.contains("<caption class=\"visually-hidden\""));
                }
                assert!(!t.html.contains("style="));
                assert!(t.html_inline.contains("background:#fff3bf;\">1&lt;2"));
                let mut c = tera::Context::new();
                c.insert("table", &t);
                let rendered = theme.tera.render("t.html", &c).unwrap();
                assert_eq!(
                    rendered,
                    format!("{}|{}", t.html, t.html_inline),
                    "{}",
                    t.id
                );
            }
        }
    }

    /// What a custom template receives is enough to lay a table out: a template that loops
    /// over `groups` and reads each data cell's figure from `figures` writes every figure of a
    /// real report, with its acknowledged marker, where the markup has it.
    #[test]
    fn a_template_lays_the_table_out_from_groups_and_figures() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "t.html",
            "{% for g in table.groups %}{% for row in g.rows %}<tr>{% for cell in row %}\
             {% if cell.tag == \"td\" %}{% set f = table.figures[cell.figure] %}\
             <td headers=\"{{ cell.headers }}\"{% if f.class %} class=\"{{ f.class }}\"{% endif %}>{{ f.text }}{% if f.ack %}※{{ f.ack }}{% endif %}</td>\
             {% else %}<th id=\"{{ cell.id }}\">{{ cell.text }}</th>{% endif %}{% endfor %}</tr>\
             {% endfor %}{% endfor %}",
        )
        .unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
        let loaded = crate::load::load(&root).unwrap();
        let td = regex::Regex::new(
            r#"<td headers="([^"]*)"(?: class="([^"]*)")?>([^<※]*)(?:※(\d+))?</td>"#,
        )
        .unwrap();
        let figure = regex::Regex::new(r#"<td (?:colspan="\d+" )?headers="([^"]*)"(?: class="([^"]*)")?>([^<]*)(?:<span[^>]*>未填写</span>)?(?:<a href="\#ack-(\d+)")?"#).unwrap();
        let cells = |re: &regex::Regex, html: &str| -> Vec<[String; 4]> {
            re.captures_iter(html)
                .map(|c| {
                    std::array::from_fn(|i| c.get(i + 1).map_or("", |m| m.as_str()).to_string())
                })
                .collect()
        };
        for r in &loaded.site.reports {
            for id in TableId::ALL {
                let data = r.table(id);
                let mut acks = AckNotes::default();
                let all = data.rows.iter().enumerate().flat_map(|(row, cells)| {
                    (0..cells.as_ref().map_or(0, |c| c.cells.len())).map(move |column| CellRef {
                        table: id,
                        row,
                        column,
                    })
                });
                for (i, c) in all.enumerate().filter(|(i, _)| i % 7 == 3) {
                    acks.marks.insert(c, i % 3 + 1);
                }
                let t = layout(r.spec().table(id), data, &acks);
                let mut c = tera::Context::new();
                c.insert("table", &t);
                let own = tera.render("t.html", &c).unwrap();
                let from_template = cells(&td, &own);
                assert_eq!(from_template.len(), t.figures.len(), "{} {}", r.file, t.id);
                assert_eq!(
                    from_template,
                    cells(&figure, &t.html),
                    "{} {}",
                    r.file,
                    t.id
                );
                assert_eq!(
                    from_template.iter().filter(|c| !c[3].is_empty()).count(),
                    acks.marks.len()
                );
            }
        }
    }
}
