//! The arithmetic identities (勾稽关系), blank cells and the format/year match, all driven by
//! the format tables in `content::format`.

use crate::content::Report;
use crate::content::cell::Cell;
use crate::content::format::{Format, Identity, TableSpec};
use crate::content::model::TableData;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(r: &Report, out: &mut Vec<Diagnostic>) {
    let spec = r.spec();
    for table in spec.tables() {
        let data = r.table(table.id);
        blank_cells(r, table, data, out);
        for identity in table.identities {
            check_identity(r, table, data, identity, out);
        }
    }
    let explicit = r.format_pos.is_some();
    let mismatch = match r.format {
        Format::F2019 => r.year >= 2021,
        Format::F2021 => r.year <= 2020,
    };
    if explicit && mismatch {
        let right = Format::default_for_year(r.year);
        out.push(
            Diagnostic::new(
                Rule::FormatYear,
                &r.file,
                r.format_pos.unwrap_or(r.year_pos),
                format!(
                    "{} 年度的报告用了 {} 格式，这一年度应使用 {} 格式（{}）",
                    r.year,
                    r.format.id(),
                    right.id(),
                    right.notice()
                ),
            )
            .width(r.format.id())
            .expected_actual(right.id(), r.format.id())
            .help(format!(
                "确认报告确实按哪种格式发布；若是笔误，改为 `format: {}`",
                right.id()
            )),
        );
    }
}

fn blank_cells(r: &Report, table: &TableSpec, data: &TableData, out: &mut Vec<Diagnostic>) {
    for (row, cells) in table.rows.iter().zip(&data.rows) {
        let Some(cells) = cells else { continue };
        for (cell, col) in cells.cells.iter().zip(row.columns) {
            if cell.is_blank() {
                let shown = if cell.display().is_empty() {
                    "空白".to_string()
                } else {
                    format!("“{}”", cell.display())
                };
                out.push(
                    Diagnostic::new(
                        Rule::BlankCell,
                        &r.file,
                        cell.pos,
                        format!("{}·{}·{} 为{shown}", table.id.short(), row.name, col.label),
                    )
                    .width(&cell.raw())
                    .place(table.id.short(), row.name, Some(col.label))
                    .help("没有发生的事项填 0；确实不适用才写 \"/\""),
                );
            }
        }
    }
}

/// The cell of row `index`, column `col`, when the row was read.
fn cell_at(data: &TableData, index: usize, col: usize) -> Option<&Cell> {
    data.rows.get(index)?.as_ref()?.cells.get(col)
}

/// The sum of column `col` over `rows` (indices), if every one is a whole number. Cells hold at
/// most 12-digit counts (`cell::MAX_COUNT_DIGITS`), so no sum of a table's cells can overflow.
fn sum(data: &TableData, rows: &[usize], col: usize) -> Option<i64> {
    rows.iter()
        .map(|&i| cell_at(data, i, col).and_then(Cell::count))
        .sum()
}

/// The indices of rows `keys`; `None` when one is not a row of the table.
fn indices(table: &TableSpec, keys: &[&str]) -> Option<Vec<usize>> {
    keys.iter().map(|k| table.row(k).map(|(i, _)| i)).collect()
}

#[allow(clippy::too_many_arguments)]
fn mismatch(
    r: &Report,
    table: &TableSpec,
    code: Rule,
    row_name: &str,
    col_label: &str,
    target: &Cell,
    expected: i64,
    explain: &str,
) -> Diagnostic {
    let actual = target.display();
    Diagnostic::new(
        code,
        &r.file,
        target.pos,
        format!(
            "{} {row_name}·{col_label} 应为 {expected}（{explain}），实为 {actual}",
            table.id.short()
        ),
    )
    .width(&target.raw())
    .expected_actual(expected, &actual)
    .place(table.id.short(), row_name, Some(col_label))
    .help("核对这一格和参与计算的各格；若原文发布时就是这样，在 `acknowledged` 中说明")
}

fn check_identity(
    r: &Report,
    table: &TableSpec,
    data: &TableData,
    identity: &Identity,
    out: &mut Vec<Diagnostic>,
) {
    let ncols = table.max_columns();
    match identity {
        Identity::Columns {
            code,
            lhs,
            rhs,
            target,
            explain,
        } => {
            let (Some((ti, target_row)), Some(lhs), Some(rhs)) =
                (table.row(target), indices(table, lhs), indices(table, rhs))
            else {
                return;
            };
            for (c, col) in target_row.columns.iter().enumerate().take(ncols) {
                let (Some(l), Some(rs)) = (sum(data, &lhs, c), sum(data, &rhs, c)) else {
                    continue;
                };
                if l != rs {
                    let Some(t) = cell_at(data, ti, c) else {
                        continue;
                    };
                    let tv = t.count().unwrap_or(0);
                    out.push(mismatch(
                        r,
                        table,
                        *code,
                        target_row.name,
                        col.label,
                        t,
                        l - (rs - tv),
                        explain,
                    ));
                }
            }
        }
        Identity::Outcomes {
            code,
            target,
            explain,
        } => {
            let Some((ti, target_row)) = table.row(target) else {
                return;
            };
            let outcomes: Vec<usize> = (0..table.rows.len())
                .filter(|&i| table.rows[i].outcome)
                .collect();
            for (c, col) in target_row.columns.iter().enumerate() {
                let (Some(parts), Some(t)) = (sum(data, &outcomes, c), cell_at(data, ti, c)) else {
                    continue;
                };
                if t.count().is_some_and(|tv| tv != parts) {
                    out.push(mismatch(
                        r,
                        table,
                        *code,
                        target_row.name,
                        col.label,
                        t,
                        parts,
                        explain,
                    ));
                }
            }
        }
        Identity::RowTotal {
            code,
            parts,
            total,
            explain,
        } => {
            for (row, cells) in table.rows.iter().zip(&data.rows) {
                let Some(cells) = cells else { continue };
                if row.columns.len() <= *total {
                    continue;
                }
                let part_sum: Option<i64> =
                    cells.cells[parts.clone()].iter().map(Cell::count).sum();
                let t = &cells.cells[*total];
                if let (Some(p), Some(tv)) = (part_sum, t.count())
                    && p != tv
                {
                    out.push(mismatch(
                        r,
                        table,
                        *code,
                        row.name,
                        row.columns[*total].label,
                        t,
                        p,
                        explain,
                    ));
                }
            }
        }
    }
}
