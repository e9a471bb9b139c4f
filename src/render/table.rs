//! Lays out the three official tables exactly as the national formats print them: merged
//! headers with rowspan/colspan, verbatim labels, block headings of 表二, the 勾稽 note in
//! 表三's corner. Driven by `content::format`; every data cell names its headers (WCAG H43)
//! because the merged headers defeat `scope` alone.

use std::collections::HashMap;

use super::context::{CellCtx, RowGroup, TableCtx};
use crate::content::cell::Cell;
use crate::content::format::{APPLICANTS, Row, T3_CORNER, TableId, TableSpec};
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
    }
}

fn td(cell: Option<&Cell>, colspan: u32, headers: String, marks: &AckMarks) -> CellCtx {
    let (text, class, ack) = match cell {
        Some(c) => {
            let ack = marks.get(&c.pos).copied();
            let mut class = if c.is_blank() {
                "num blank".to_string()
            } else {
                "num".to_string()
            };
            if ack.is_some() {
                class.push_str(" ack");
            }
            (c.display(), class, ack)
        }
        None => (String::new(), "num blank".to_string(), None),
    };
    CellCtx {
        tag: "td",
        text,
        rowspan: 1,
        colspan,
        scope: None,
        id: None,
        headers: Some(headers),
        class,
        ack,
    }
}

fn cells(data: &TableData, index: usize) -> Option<&[Cell]> {
    data.rows.get(index)?.as_ref().map(|r| r.cells.as_slice())
}

/// Lays out table `spec` with the figures of `data`.
pub fn layout(spec: &TableSpec, data: &TableData, marks: &AckMarks) -> TableCtx {
    match spec.id {
        TableId::Active => active(spec, data, marks),
        TableId::Applications => applications(spec, data, marks),
        TableId::Appeals => appeals(spec, data, marks),
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
            let written = cells(data, index);
            for (j, _) in row.columns.iter().enumerate() {
                let span = if j + 1 == row.columns.len() {
                    (ncols - row.columns.len()) as u32
                } else {
                    1
                };
                let headers = format!("{bid} {bid}-h{} {rid}", j + 1);
                tr.push(td(written.and_then(|c| c.get(j)), span, headers, marks));
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
        let written = cells(data, index);
        for j in 0..row.columns.len() {
            let headers = format!("{} {}", col_headers(j), row_headers.join(" "));
            tr.push(td(written.and_then(|c| c.get(j)), 1, headers, marks));
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
        let written = cells(data, index);
        for j in 0..row.columns.len() {
            let headers = format!("{} {rid}-c{j}", col_parent.join(" "));
            data_row.push(td(written.and_then(|c| c.get(j)), 1, headers, marks));
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::format::{F2019, F2021};

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
}
