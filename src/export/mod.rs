//! Reports as office files for the people who fill in, collect and sign them off: the three
//! tables of a report as an Excel workbook ([`xlsx::report_workbook`]), a 汇总 workbook of many
//! reports for an upper-level 政务公开办 ([`xlsx::summary_workbook`]) and the whole report as a
//! Word document for 领导审签 and the archive ([`docx::report_document`]).
//!
//! Both formats draw their tables from the one layout of the official tables
//! ([`crate::content::layout`]), as the site does. Nothing here changes what `nianbao build`
//! writes.

pub mod docx;
pub mod xlsx;

use crate::content::cell::{Cell, CellValue};
use crate::content::model::{Report, Site};
use crate::diagnostic::Diagnostic;

/// The acknowledged notes of a report and the figures they mark, as validation resolved them;
/// re-exported so the export commands name it where they use it.
pub use crate::validate::AckNotes;

/// The findings that stop `reports` from being exported: errors (not acknowledged) in the
/// reports' own files, their units' files, or about the site as a whole. Warnings never stop an
/// export, as they never stop a build.
pub fn blocking<'a>(
    site: &Site,
    reports: &[&Report],
    diagnostics: &'a [Diagnostic],
) -> Vec<&'a Diagnostic> {
    let mut files: std::collections::HashSet<&str> = std::collections::HashSet::new();
    files.insert("");
    files.insert(site.config.file.as_str());
    for r in reports {
        files.insert(r.file.as_str());
        if let Some(u) = site.unit(&r.unit) {
            files.insert(u.file.as_str());
        }
    }
    diagnostics
        .iter()
        .filter(|d| d.is_error() && files.contains(d.file.as_str()))
        .collect()
}

/// What a figure is in an office file: a number (with the decimals it was written with, and
/// its unit) or the text as written (`/`), or nothing for a blank cell.
pub(crate) enum Figure<'a> {
    Number {
        value: f64,
        decimals: u32,
        unit: Option<&'a str>,
    },
    Text(&'a str),
    Blank,
}

pub(crate) fn figure(cell: Option<&Cell>) -> Figure<'_> {
    let Some(cell) = cell else {
        return Figure::Blank;
    };
    match cell.value() {
        CellValue::Number { value, .. } => Figure::Number {
            value: value.to_f64(),
            decimals: value.scale,
            unit: cell.unit(),
        },
        CellValue::NotApplicable(mark) => Figure::Text(mark),
        CellValue::Blank => Figure::Blank,
    }
}

/// The cell of the format's row `row`, column `col` in `data`, if written.
pub(crate) fn cell_at(
    data: &crate::content::model::TableData,
    row: usize,
    col: usize,
) -> Option<&Cell> {
    data.rows.get(row)?.as_ref()?.cells.get(col)
}
