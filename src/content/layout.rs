//! The three official tables as a grid of positioned cells with row and column spans, built only
//! from `content::format`: the one place a row, a label or a merge of the national tables is
//! decided. The site's HTML (`render::table`), the workbook and the Word document
//! (`export::xlsx`, `export::docx`) are all drawn from this grid.
//!
//! The layout follows the national formats: 表二 in blocks with their own heading and column
//! headers, 表三 with the 勾稽 corner note, 申请人情况 over seven columns and 三、本年度办理结果
//! merged down the outcome rows, 表四 with 行政复议 and 行政诉讼 over fifteen columns and one
//! row of figures. Every header cell has a name unique on a report page, and every figure lists
//! the headers it is read under, so a screen reader can announce them (WCAG H43) where the
//! merged headers defeat `scope` alone.

use std::ops::Range;

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

/// What a header or label cell heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A 表二 block heading (第二十条第（一）项 …) over the block's full width.
    Block,
    /// A header over several columns, each with headers of its own (申请人情况, 行政诉讼 …).
    ColumnGroup,
    /// A column header.
    Column,
    /// The note in 表三's top-left corner, over the row labels.
    Corner,
    /// A label over several rows, each with a label of its own (三、本年度办理结果 …).
    RowGroup,
    /// A row label.
    Row,
    /// Not a header: a figure.
    Figure,
}

impl Role {
    /// Whether the cell heads the columns below it (as opposed to the rows to its right).
    fn heads_columns(self) -> bool {
        matches!(self, Role::Block | Role::ColumnGroup | Role::Column)
    }

    fn heads_rows(self) -> bool {
        matches!(self, Role::RowGroup | Role::Row)
    }
}

/// One cell placed on the grid: its top-left corner, how far it spans and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub content: Content,
    pub role: Role,
    /// A header's name, unique on a report page (`t3-h-app`); empty for figures.
    pub name: String,
    /// For a figure: the indices in the grid's `cells` of the headers it is read under, column
    /// headers from the top, then row labels from the left. Empty for headers.
    pub heads: Vec<usize>,
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
    /// The rows below the headers in blocks: each of 表二's blocks with its own heading and
    /// column headers; one block for the other tables.
    pub blocks: Vec<Range<usize>>,
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
struct Builder {
    /// `t2`, `t3`, `t4`: the start of every header's name.
    prefix: String,
    cells: Vec<Placed>,
}

impl Builder {
    fn new(id: TableId) -> Self {
        Builder {
            prefix: format!("t{}", id.section()),
            cells: Vec::new(),
        }
    }

    /// Places a header or label named `<prefix>-<name>`.
    fn head(
        &mut self,
        (row, col): (usize, usize),
        (rowspan, colspan): (usize, usize),
        content: Content,
        role: Role,
        name: &str,
    ) {
        self.cells.push(Placed {
            row,
            col,
            rowspan,
            colspan,
            content,
            role,
            name: format!("{}-{name}", self.prefix),
            heads: Vec::new(),
        });
    }

    /// Places the figure of the table's row `index`, column `j`.
    fn figure(&mut self, (row, col): (usize, usize), colspan: usize, index: usize, j: usize) {
        self.cells.push(Placed {
            row,
            col,
            rowspan: 1,
            colspan,
            content: Content::Figure { row: index, col: j },
            role: Role::Figure,
            name: String::new(),
            heads: Vec::new(),
        });
    }

    /// The grid, with each figure's headers: those covering its column in the header rows and
    /// in its block above it, then those covering its row to its left.
    fn finish(mut self, id: TableId, columns: usize, header_rows: usize) -> Grid {
        self.cells.sort_by_key(|c| (c.row, c.col));
        let rows = self
            .cells
            .iter()
            .map(|c| c.row + c.rowspan)
            .max()
            .unwrap_or(0);
        let mut grid = Grid {
            id,
            rows,
            columns,
            header_rows,
            blocks: Vec::new(),
            cells: self.cells,
        };
        grid.blocks = blocks(&grid);
        let cover = grid.coverage();
        for i in 0..grid.cells.len() {
            let (r, col) = (grid.cells[i].row, grid.cells[i].col);
            if grid.cells[i].role != Role::Figure {
                continue;
            }
            let block = grid
                .blocks
                .iter()
                .find(|b| b.contains(&r))
                .map_or(r, |b| b.start);
            let above = (0..header_rows).chain(block..r).map(|h| cover[h][col]);
            let above = above.filter(|&h| grid.cells[h].role.heads_columns());
            let left = cover[r][..col].iter().copied();
            let left = left.filter(|&h| grid.cells[h].role.heads_rows());
            let mut heads = Vec::new();
            for h in above.chain(left) {
                if !heads.contains(&h) {
                    heads.push(h);
                }
            }
            grid.cells[i].heads = heads;
        }
        grid
    }
}

/// The rows below the headers in blocks: a block starts at each 表二 block heading, else all
/// rows below the headers are one block.
fn blocks(grid: &Grid) -> Vec<Range<usize>> {
    let mut starts: Vec<usize> = grid
        .cells
        .iter()
        .filter(|c| c.role == Role::Block)
        .map(|c| c.row)
        .collect();
    if starts.is_empty() {
        starts.push(grid.header_rows);
    }
    let ends = starts.iter().skip(1).copied().chain([grid.rows]);
    starts.iter().zip(ends).map(|(&s, e)| s..e).collect()
}

/// Lays out table `spec` of its format.
pub fn grid(spec: &TableSpec) -> Grid {
    match spec.id {
        TableId::Active => active(spec),
        TableId::Applications => applications(spec),
        TableId::Appeals => appeals(spec),
    }
}

/// A row's name in header names: its key with `sep` (`.` or `_`) as `-`.
fn slug(key: &str, sep: char) -> String {
    key.replace(sep, "-")
}

/// 表二: per block (第二十条第（一）项 …) a heading over the full width, a row of column
/// headers starting with 信息内容, then the block's rows; a row's last column spans what its
/// block leaves free.
fn active(spec: &TableSpec) -> Grid {
    let columns = 1 + spec.max_columns();
    let mut b = Builder::new(spec.id);
    let mut r = 0;
    let mut i = 0;
    let mut block_no = 0;
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
        block_no += 1;
        let bid = format!("b{block_no}");
        b.head(
            (r, 0),
            (1, columns),
            Content::Header(block),
            Role::Block,
            &bid,
        );
        r += 1;
        let h0 = format!("{bid}-h0");
        b.head(
            (r, 0),
            (1, 1),
            Content::Header("信息内容"),
            Role::Column,
            &h0,
        );
        let head = rows[0].1.columns;
        for (j, col) in head.iter().enumerate() {
            let span = span_rest(j, head.len(), columns);
            let name = format!("{bid}-h{}", j + 1);
            let content = Content::Header(col.label);
            b.head((r, 1 + j), (1, span), content, Role::Column, &name);
        }
        r += 1;
        for (index, row) in rows {
            let name = format!("r-{}", slug(row.key, '.'));
            b.head((r, 0), (1, 1), Content::Label(row.label), Role::Row, &name);
            for j in 0..row.columns.len() {
                let span = span_rest(j, row.columns.len(), columns);
                b.figure((r, 1 + j), span, index, j);
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
    let mut b = Builder::new(spec.id);
    let header = Content::Header;
    b.head(
        (0, 0),
        (3, 3),
        Content::Label(T3_CORNER),
        Role::Corner,
        "corner",
    );
    b.head(
        (0, 3),
        (1, 7),
        header("申请人情况"),
        Role::ColumnGroup,
        "h-app",
    );
    b.head(
        (1, 3),
        (2, 1),
        header(APPLICANTS[0].label),
        Role::Column,
        "c0",
    );
    let org = header("法人或其他组织");
    b.head((1, 4), (1, 5), org, Role::ColumnGroup, "h-org");
    b.head(
        (1, 9),
        (2, 1),
        header(APPLICANTS[6].label),
        Role::Column,
        "c6",
    );
    for (j, col) in APPLICANTS.iter().enumerate().take(6).skip(1) {
        let name = format!("c{j}");
        b.head((2, 3 + j), (1, 1), header(col.label), Role::Column, &name);
    }
    let in_result = |row: &Row| row.outcome || row.key == "total";
    let result_rows = spec.rows.iter().filter(|row| in_result(row)).count();
    let mut result_open = false;
    let mut group_open = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let r = 3 + index;
        let name = format!("r-{}", slug(row.key, '.'));
        let label = Content::Label(row.label);
        if in_result(row) {
            if !result_open {
                let result = Content::Label("三、本年度办理结果");
                b.head((r, 0), (result_rows, 1), result, Role::RowGroup, "g-result");
                result_open = true;
            }
            match row.group {
                Some(g) => {
                    if group_open != Some(g) {
                        let span = spec.rows.iter().filter(|x| x.group == Some(g)).count();
                        let gid = format!("g-{}", row.key.split('.').next().unwrap_or(row.key));
                        b.head((r, 1), (span, 1), Content::Label(g), Role::RowGroup, &gid);
                        group_open = Some(g);
                    }
                    b.head((r, 2), (1, 1), label, Role::Row, &name);
                }
                None => {
                    group_open = None;
                    b.head((r, 1), (1, 2), label, Role::Row, &name);
                }
            }
        } else {
            b.head((r, 0), (1, 3), label, Role::Row, &name);
        }
        for j in 0..row.columns.len() {
            b.figure((r, 3 + j), 1, index, j);
        }
    }
    b.finish(spec.id, 3 + APPLICANTS.len(), 3)
}

/// 表四: 行政复议 over its five result columns (headers two rows high), 行政诉讼 over
/// 未经复议直接起诉 and 复议后起诉 of five columns each, and one row of fifteen figures.
fn appeals(spec: &TableSpec) -> Grid {
    let mut b = Builder::new(spec.id);
    let mut col = 0;
    let mut open_group = None;
    for (index, row) in spec.rows.iter().enumerate() {
        let n = row.columns.len();
        let rid = slug(row.key, '_');
        let label = Content::Header(row.label);
        match row.group {
            None => {
                b.head((0, col), (1, n), label, Role::ColumnGroup, &rid);
                for (j, c) in row.columns.iter().enumerate() {
                    let name = format!("{rid}-c{j}");
                    let content = Content::Header(c.label);
                    b.head((1, col + j), (2, 1), content, Role::Column, &name);
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
                    let gid = if g == "行政诉讼" {
                        "g-litigation"
                    } else {
                        "g-group"
                    };
                    b.head(
                        (0, col),
                        (1, span),
                        Content::Header(g),
                        Role::ColumnGroup,
                        gid,
                    );
                    open_group = Some(g);
                }
                b.head((1, col), (1, n), label, Role::ColumnGroup, &rid);
                for (j, c) in row.columns.iter().enumerate() {
                    let name = format!("{rid}-c{j}");
                    let content = Content::Header(c.label);
                    b.head((2, col + j), (1, 1), content, Role::Column, &name);
                }
            }
        }
        for j in 0..n {
            b.figure((3, col + j), 1, index, j);
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

    /// Every header is named once on a report page, and every figure is read under a header
    /// covering its column and (where the table has row labels) a label covering its row: the
    /// site's `headers` attributes and `id`s are made from these.
    #[test]
    fn every_figure_names_headers_that_cover_it_and_names_are_unique() {
        for spec in [&F2019, &F2021] {
            let mut names = std::collections::HashSet::new();
            for table in spec.tables() {
                let g = grid(table);
                for c in g.cells.iter().filter(|c| c.role != Role::Figure) {
                    assert!(names.insert(c.name.clone()), "{} twice", c.name);
                }
                for c in g.cells.iter().filter(|c| c.role == Role::Figure) {
                    let heads: Vec<&Placed> = c.heads.iter().map(|&h| &g.cells[h]).collect();
                    let covers_col = |h: &&Placed| (h.col..h.col + h.colspan).contains(&c.col);
                    let covers_row = |h: &&Placed| (h.row..h.row + h.rowspan).contains(&c.row);
                    assert!(
                        heads
                            .iter()
                            .any(|h| h.role == Role::Column && covers_col(h)),
                        "{:?} {:?}",
                        table.id,
                        c.content
                    );
                    let row_heads = heads.iter().filter(|h| h.role.heads_rows());
                    assert!(row_heads.clone().all(|h| covers_row(h) && h.col < c.col));
                    if table.id != TableId::Appeals {
                        assert!(heads.iter().any(|h| h.role == Role::Row && covers_row(h)));
                    }
                }
            }
        }
        let t3 = grid(&F2021.applications);
        let withheld = t3
            .cells
            .iter()
            .find(|c| c.content == Content::Figure { row: 5, col: 1 })
            .unwrap();
        let heads: Vec<&str> = withheld
            .heads
            .iter()
            .map(|&h| t3.cells[h].name.as_str())
            .collect();
        assert_eq!(heads[..3], ["t3-h-app", "t3-h-org", "t3-c1"]);
        assert_eq!(heads[3], "t3-g-result");
    }
}
