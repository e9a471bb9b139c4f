//! What an `acknowledged` entry silenced, as data: the finding, the number of the note that
//! silenced it and the figure it is about. Validation resolves the figure once; the site's
//! pages (※n by the figure), the Excel comments and the Word ※ marks all read it from here, so
//! no renderer matches findings back to cells itself.

use std::collections::HashMap;

use crate::content::format::TableId;
use crate::content::model::{Acknowledged, Report};
use crate::diagnostic::Diagnostic;

/// A figure of a report: a table, a row of the format's row list and a column of that row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CellRef {
    pub table: TableId,
    /// Index into the format's rows (`TableSpec::rows`), as `TableData::rows` is indexed.
    pub row: usize,
    /// Index into the row's columns.
    pub column: usize,
}

impl CellRef {
    /// The figure of `report` written at the finding's position, if the finding points at one.
    fn of(report: &Report, finding: &Diagnostic) -> Option<CellRef> {
        TableId::ALL.into_iter().find_map(|table| {
            let data = report.table(table);
            data.rows.iter().enumerate().find_map(|(row, cells)| {
                let column = cells
                    .as_ref()?
                    .cells
                    .iter()
                    .position(|c| c.pos.line == finding.line && c.pos.col == finding.column)?;
                Some(CellRef { table, row, column })
            })
        })
    }
}

/// A finding silenced by an `acknowledged` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Silenced {
    /// The finding as it would have been reported; `.file` is its report.
    pub finding: Diagnostic,
    /// The number of the entry that silenced it, as the pages show it (说明1, ※1 …).
    pub note: usize,
    /// The figure the finding is about; `None` for findings about the text or the report.
    pub figure: Option<CellRef>,
}

/// The number the `index`-th (0-based) entry of a report's `acknowledged` list is shown with.
fn note_number(index: usize) -> usize {
    index + 1
}

/// The index of the entry of `report`'s `acknowledged` list that silences `finding`: the first
/// naming its rule.
pub(super) fn entry_for(report: &Report, finding: &Diagnostic) -> Option<usize> {
    report
        .acknowledged
        .iter()
        .position(|a| a.rule == finding.code)
}

impl Silenced {
    /// `finding` of `report`, silenced by the `entry`-th acknowledged entry.
    pub(super) fn new(report: &Report, finding: Diagnostic, entry: usize) -> Silenced {
        Silenced {
            figure: CellRef::of(report, &finding),
            note: note_number(entry),
            finding,
        }
    }
}

/// Sorts silenced findings as [`crate::diagnostic::sort`] sorts findings.
pub(super) fn sort(silenced: &mut Vec<Silenced>) {
    silenced.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    silenced.dedup();
}

/// The acknowledged notes of one report, numbered, and the figures they mark: what the site's
/// pages and the office exports show.
#[derive(Default)]
pub struct AckNotes<'a> {
    /// `(number, entry)` in the order written.
    pub notes: Vec<(usize, &'a Acknowledged)>,
    /// Figure → the number of the note that silenced a finding about it.
    pub marks: HashMap<CellRef, usize>,
}

impl<'a> AckNotes<'a> {
    /// The notes of `report` and the figures marked by `silenced` (all the site's silenced
    /// findings or only this report's; those of other files are skipped).
    pub fn of<'s>(report: &'a Report, silenced: impl IntoIterator<Item = &'s Silenced>) -> Self {
        let notes = report
            .acknowledged
            .iter()
            .enumerate()
            .map(|(i, a)| (note_number(i), a))
            .collect();
        let marks = silenced
            .into_iter()
            .filter(|s| s.finding.file == report.file)
            .filter_map(|s| Some((s.figure?, s.note)))
            .collect();
        AckNotes { notes, marks }
    }

    /// The number of the note marking row `row`, column `column` of `table`, if any.
    pub fn mark(&self, table: TableId, row: usize, column: usize) -> Option<usize> {
        self.marks.get(&CellRef { table, row, column }).copied()
    }

    /// The number and text of the note marking that figure, if any.
    pub fn note(&self, table: TableId, row: usize, column: usize) -> Option<(usize, &'a str)> {
        let n = self.mark(table, row, column)?;
        self.notes
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(m, a)| (*m, a.note.as_str()))
    }
}
