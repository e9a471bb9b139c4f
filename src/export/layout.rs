//! The three official tables as a grid of positioned cells with row and column spans, built only
//! from `content::format`. The workbook and the Word document both draw their tables from this
//! one description, so a label or a merge is decided once for both.
//!
//! The layout follows the national formats as `render/table.rs` prints them in HTML (which could
//! later be made from this grid as well): 表二 in blocks with their own column headers, 表三 with
//! the 勾稽 corner note, 申请人情况 over seven columns and 三、本年度办理结果 merged down the
//! outcome rows, 表四 with 行政复议 and 行政诉讼 over fifteen columns and one row of figures.

use crate::content::format::{APPLICANTS, Row, T3_CORNER, TableId, TableSpec};

/// What a cell of the grid shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// A column header or block heading, centred and bold.
    Header(&'static str),
    /// A row label or row group label, left-aligned.
    Label(&'static str),
    /// The figure of the table's row `row` (index into the format's rows), column `col`.
    Figure { row: usize, col: usize },
}

/// One cell placed on the grid: its top-left corner and how far it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: Content,
}

impl Placed {
    /// Whether the cell covers more than one grid position (a merge).
    pub fn is_merged(&self) -> bool {
        self.rowspan > 1 || self.colspan > 1
    }
}

/// A table laid out: `rows` × `columns` grid positions, each covered by exactly one cell.
#[derive(Clone, Debug)]
pub struct Grid {
    pub id: TableId,
    pub rows: usize,
    pub columns: usize,
    /// Rows at the top that are headers only (repeated on every printed page).
    pub header_rows: usize,
    /// Cells in reading order (by row, then column).
    pub cells: Vec<Placed>,
}

impl Grid {
    /// Column widths in Excel's character units (a CJK character is about two): wide label
    /// columns, narrow figure columns. The Word tables use the same proportions.
    pub fn widths(&self) -> Vec<f64> {
        let (labels, figure): (&[f64], f64) = match self.id {
            TableId::Active => (&[22.0], 16.0),
            TableId::Applications => (&[6.0, 14.0, 40.0], 9.0),
            TableId::Appeals => (&[], 7.5),
        };
        let mut w = labels.to_vec();
        w.resize(self.columns, figure);
        w
    }

    /// For every grid position, the index in `cells` of the cell covering it.
    pub fn coverage(&self) -> Vec<Vec<usize>> {
        let mut cover = vec![vec![usize::MAX; self.columns]; self.rows];
        for (i, c) in self.cells.iter().enumerate() {
            for row in cover.iter_mut().skip(c.row).take(c.rowspan) {
                for slot in row.iter_mut().skip(c.col).take(c.colspan) {
                    *slot = i;
                }
            }
        }
        cover
    }
}

/// Adds cells row by row, so the grid's size follows from what was placed.
#[derive(Default)]
struct Builder {
    cells: Vec<Placed>,
}

impl Builder {
    fn put(&mut self, row: usize, col: usize, rowspan: usize, colspan: usize, content: Content) {
        self.cells.push(Placed {
            row,
            col,
            rowspan,
            colspan,
            content,
        });
    }

    fn finish(mut self, id: TableId, columns: usize, header_rows: usize) -> Grid {
        self.cells.sort_by_key(|c| (c.row, c.col));
        let rows = self
            .cells
            .iter()
            .map(|c| c.row + c.rowspan)
            .max()
            .unwrap_or(0);
        Grid {
            id,
            rows,
            columns,
            header_rows,
            cells: self.cells,
        }
    }
}

/// Lays out table `spec` of its format.
pub fn grid(spec: &TableSpec) -> Grid {
    match spec.id {
        TableId::Active => active(spec),
        TableId::Applications => applications(spec),
        TableId::Appeals => appeals(spec),
    }
}

/// 表二: per block (第二十条第（一）项 …) a heading over the full width, a row of column
/// headers starting with 信息内容, then the block's rows; a row's last column spans what its
/// block leaves free.
fn active(spec: &TableSpec) -> Grid {
    let columns = 1 + spec.max_columns();
    let mut b = Builder::default();
    let mut r = 0;
    let mut i = 0;
    while i < spec.rows.len() {
        let block = spec.rows[i].block.unwrap_or("");
        let rows: Vec<(usize, &Row)> = spec
            .rows
            .iter()
            .enumerate()
            .skip(i)
            .take_while(|(_, row)| row.block.unwrap_or("") == block)
            .collect();
        i += rows.len();
        b.put(r, 0, 1, columns, Content::Header(block));
        r += 1;
        b.put(r, 0, 1, 1, Content::Header("信息内容"));
        let head = rows[0].1.columns;
        for (j, col) in head.iter().enumerate() {
            b.put(
                r,
                1 + j,
                1,
                span_rest(j, head.len(), columns),
                Content::Header(col.label),
            );
        }
        r += 1;
        for (index, row) in rows {
            b.put(r, 0, 1, 1, Content::Label(row.label));
            for j in 0..row.columns.len() {
                let span = span_rest(j, row.columns.len(), columns);
                b.put(r, 1 + j, 1, span, Content::Figure { row: index, col: j });
            }
            r += 1;
        }
    }
    b.finish(spec.id, columns, 0)
}

/// The span of column `j` of `n` after a label column in a grid `columns` wide: 1, except the
/// last, which takes the rest.
fn span_rest(j: usize, n: usize, columns: usize) -> usize {
    if j + 1 == n { columns - n } else { 1 }
}

/// 表三: three header rows (corner note, 申请人情况 › 自然人 | 法人或其他组织 › … | 总计), then
/// one row per format row: labels over three columns, the outcome rows under a merged
/// 三、本年度办理结果 and their （三）（四）（五）（六） groups merged to its right.
fn applications(spec: &TableSpec) -> Grid {
    let mut b = Builder::default();
    b.put(0, 0, 3, 3, Content::Label(T3_CORNER));
    b.put(0, 3, 1, 7, Content::Header("申请人情况"));
    b.put(1, 3, 2, 1, Content::Header(APPLICANTS[0].label));
    b.put(1, 4, 1, 5, Content::Header("法人或其他组织"));
    b.put(1, 9, 2, 1, Content::Header(APPLICANTS[6].label));
    for (j, col) in APPLICANTS.iter().enumerate().take(6).skip(1) {
        b.put(2, 3 + j, 1, 1, Content::Header(col.label));
    }
    let in_result = |row: &Row| row.outcome || row.key == "total";
    let result_rows = spec.rows.iter().filter(|row| in_result(row)).count();
    let mut result_open = false;
    let mut group_open = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let r = 3 + index;
        if in_result(row) {
            if !result_open {
                b.put(r, 0, result_rows, 1, Content::Label("三、本年度办理结果"));
                result_open = true;
            }
            match row.group {
                Some(g) => {
                    if group_open != Some(g) {
                        let span = spec.rows.iter().filter(|x| x.group == Some(g)).count();
                        b.put(r, 1, span, 1, Content::Label(g));
                        group_open = Some(g);
                    }
                    b.put(r, 2, 1, 1, Content::Label(row.label));
                }
                None => {
                    group_open = None;
                    b.put(r, 1, 1, 2, Content::Label(row.label));
                }
            }
        } else {
            b.put(r, 0, 1, 3, Content::Label(row.label));
        }
        for j in 0..row.columns.len() {
            b.put(r, 3 + j, 1, 1, Content::Figure { row: index, col: j });
        }
    }
    b.finish(spec.id, 3 + APPLICANTS.len(), 3)
}

/// 表四: 行政复议 over its five result columns (headers two rows high), 行政诉讼 over
/// 未经复议直接起诉 and 复议后起诉 of five columns each, and one row of fifteen figures.
fn appeals(spec: &TableSpec) -> Grid {
    let mut b = Builder::default();
    let mut col = 0;
    let mut open_group = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let n = row.columns.len();
        match row.group {
            None => {
                b.put(0, col, 1, n, Content::Header(row.label));
                for (j, c) in row.columns.iter().enumerate() {
                    b.put(1, col + j, 2, 1, Content::Header(c.label));
                }
            }
            Some(g) => {
                if open_group != Some(g) {
                    let span = spec
                        .rows
                        .iter()
                        .filter(|x| x.group == Some(g))
                        .map(|x| x.columns.len())
                        .sum();
                    b.put(0, col, 1, span, Content::Header(g));
                    open_group = Some(g);
                }
                b.put(1, col, 1, n, Content::Header(row.label));
                for (j, c) in row.columns.iter().enumerate() {
                    b.put(2, col + j, 1, 1, Content::Header(c.label));
                }
            }
        }
        for j in 0..n {
            b.put(3, col + j, 1, 1, Content::Figure { row: index, col: j });
        }
        col += n;
    }
    b.finish(spec.id, col, 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::format::{F2019, F2021};

    /// Every grid position is covered by exactly one cell, and every figure of the format
    /// appears once: otherwise Excel refuses the overlapping merges or a figure is lost.
    #[test]
    fn every_table_covers_its_grid_once_and_holds_every_figure() {
        for spec in [&F2019, &F2021] {
            for table in spec.tables() {
                let g = grid(table);
                let mut seen = vec![vec![0; g.columns]; g.rows];
                for c in &g.cells {
                    for row in seen.iter_mut().skip(c.row).take(c.rowspan) {
                        for n in row.iter_mut().skip(c.col).take(c.colspan) {
                            *n += 1;
                        }
                    }
                }
                assert!(
                    seen.iter().flatten().all(|&n| n == 1),
                    "{:?} {:?}: {seen:?}",
                    spec.format,
                    table.id
                );
                let figures = g
                    .cells
                    .iter()
                    .filter(|c| matches!(c.content, Content::Figure { .. }))
                    .count();
                let expected: usize = table.rows.iter().map(|r| r.columns.len()).sum();
                assert_eq!(figures, expected, "{:?} {:?}", spec.format, table.id);
            }
        }
    }

    #[test]
    fn table_three_and_four_have_the_national_merges() {
        let t3 = grid(&F2021.applications);
        assert_eq!((t3.rows, t3.columns), (3 + 25, 10));
        let result = t3
            .cells
            .iter()
            .find(|c| c.content == Content::Label("三、本年度办理结果"))
            .unwrap();
        assert_eq!((result.row, result.rowspan), (5, 22));
        let t4 = grid(&F2019.appeals);
        assert_eq!((t4.rows, t4.columns), (4, 15));
        let lit = t4
            .cells
            .iter()
            .find(|c| c.content == Content::Header("行政诉讼"))
            .unwrap();
        assert_eq!((lit.col, lit.colspan), (5, 10));
    }
}
