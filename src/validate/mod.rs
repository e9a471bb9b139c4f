//! Every rule of report-format.md §6 over a loaded site. All findings are collected; nothing
//! stops at the first. Rules that need one report run in parallel per report; the cross-year
//! rules look at a unit's consecutive years.

mod acks;
mod cross_year;
mod narrative;
mod report_rules;
mod tables;

use rayon::prelude::*;
use std::collections::BTreeSet;

use crate::content::Site;
use crate::content::yaml::Pos;
use crate::diagnostic::{self, Diagnostic, Rule};

pub use acks::{AckNotes, CellRef, Silenced};

/// Findings after `acknowledged` entries have been applied.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// What the user must see, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by an `acknowledged` entry, with the note that silenced each and the
    /// figure it is about; the pages and exports show the note by the figure. Sorted as
    /// `diagnostics` are.
    pub silenced: Vec<Silenced>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }

    /// Takes the findings of `files` from `fresh` (a [`validate_units`] of their units) in
    /// place of those this outcome has for them.
    pub fn merge_files(&mut self, fresh: Outcome, files: &BTreeSet<String>) {
        replace_files(&mut self.diagnostics, fresh.diagnostics, files, |d| &d.file);
        diagnostic::sort(&mut self.diagnostics);
        replace_files(&mut self.silenced, fresh.silenced, files, |s| {
            &s.finding.file
        });
        acks::sort(&mut self.silenced);
    }
}

/// Replaces the items of `old` about `files` by those of `new`; `file` says which file an item
/// is about.
fn replace_files<T>(
    old: &mut Vec<T>,
    new: Vec<T>,
    files: &BTreeSet<String>,
    file: impl Fn(&T) -> &String,
) {
    old.retain(|x| !files.contains(file(x)));
    old.extend(new.into_iter().filter(|x| files.contains(file(x))));
}

/// Runs every rule. `parsed` are the findings of loading (yaml, schema, cell-type …); they take
/// part in `acknowledged` like the others.
pub fn validate(site: &Site, parsed: Vec<Diagnostic>) -> Outcome {
    let mut all: Vec<Diagnostic> = site
        .reports
        .par_iter()
        .flat_map_iter(|r| {
            let mut d = Vec::new();
            if let Some(unit) = site.unit(&r.unit) {
                tables::check(r, &mut d);
                report_rules::check(r, unit, &mut d);
                narrative::check(r, &mut d);
                if let Some(prev) = site.report(&r.unit, r.year - 1) {
                    cross_year::check(prev, r, &mut d);
                }
            }
            d
        })
        .collect();
    all.extend(parsed);
    report_rules::site_identity(site, &mut all);
    apply_acknowledged(site, all)
}

/// The findings of the report files of `units`, exactly as [`validate`] gives them for those
/// files on the whole site. `parsed` are the findings of reading those files.
///
/// This holds because every rule is local to a unit: it looks at one report, its unit and the
/// same unit's previous year, and an `acknowledged` entry at its own report's findings. `serve`
/// relies on it to re-check only the units whose reports were edited. Findings about other
/// files (the site settings) may differ and are to be ignored. A rule that looks across units
/// would break this; the test below compares both on whole sites.
pub fn validate_units(site: &Site, units: &BTreeSet<String>, parsed: Vec<Diagnostic>) -> Outcome {
    let part = Site {
        config: site.config.clone(),
        units: units.iter().filter_map(|u| site.unit(u)).cloned().collect(),
        reports: units
            .iter()
            .flat_map(|u| site.reports_of(u))
            .cloned()
            .collect(),
    };
    validate(&part, parsed)
}

/// Moves findings silenced by a report's `acknowledged` entries aside; an entry that silences
/// nothing is itself a warning, so stale notes do not linger on published pages.
fn apply_acknowledged(site: &Site, all: Vec<Diagnostic>) -> Outcome {
    let mut out = Outcome::default();
    let mut used = std::collections::HashSet::new();
    for d in all {
        let report = site
            .reports
            .binary_search_by(|r| r.file.as_str().cmp(&d.file))
            .ok()
            .or_else(|| site.reports.iter().position(|r| r.file == d.file));
        let entry = report.and_then(|i| Some((i, acks::entry_for(&site.reports[i], &d)?)));
        match entry {
            Some((i, a)) => {
                used.insert((i, a));
                out.silenced.push(Silenced::new(&site.reports[i], d, a));
            }
            None => out.diagnostics.push(d),
        }
    }
    for (i, r) in site.reports.iter().enumerate() {
        for (a, entry) in r.acknowledged.iter().enumerate() {
            if !used.contains(&(i, a)) {
                out.diagnostics.push(
                    Diagnostic::new(
                        Rule::Acknowledged,
                        &r.file,
                        Pos::new(entry.pos.line, entry.pos.col),
                        format!("`acknowledged` 中的 {} 没有对应任何问题", entry.rule),
                    )
                    .width(&entry.rule)
                    .help("这份报告已没有这类问题，删除这一项，页面上就不再显示它的说明"),
                );
            }
        }
    }
    diagnostic::sort(&mut out.diagnostics);
    acks::sort(&mut out.silenced);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::format::TableId;
    use std::path::Path;

    /// Each unit checked alone gives its report files the findings the whole site gives them.
    fn units_alone_match_the_whole(root: &Path) {
        let mut loaded = crate::load::load(root).unwrap();
        let parsed = std::mem::take(&mut loaded.diagnostics);
        let site = &loaded.site;
        let whole = validate(site, parsed.clone());
        assert!(
            whole.diagnostics.len() + whole.silenced.len() > 3,
            "a test site with findings"
        );
        for unit in &site.units {
            let files: BTreeSet<&str> =
                site.reports_of(&unit.id)
                    .map(|r| r.file.as_str())
                    .chain(
                        parsed.iter().map(|d| d.file.as_str()).filter(|f| {
                            crate::load::report_key(f).is_some_and(|(u, _)| u == unit.id)
                        }),
                    )
                    .collect();
            let mine = |ds: &[Diagnostic]| -> Vec<Diagnostic> {
                ds.iter()
                    .filter(|d| files.contains(d.file.as_str()))
                    .cloned()
                    .collect()
            };
            let mine_silenced = |ss: &[Silenced]| -> Vec<Silenced> {
                ss.iter()
                    .filter(|s| files.contains(s.finding.file.as_str()))
                    .cloned()
                    .collect()
            };
            let alone = validate_units(
                site,
                &BTreeSet::from([unit.id.clone()]),
                parsed
                    .iter()
                    .filter(|d| files.contains(d.file.as_str()))
                    .cloned()
                    .collect(),
            );
            assert_eq!(
                mine(&alone.diagnostics),
                mine(&whole.diagnostics),
                "{}",
                unit.id
            );
            assert_eq!(
                mine_silenced(&alone.silenced),
                mine_silenced(&whole.silenced),
                "{}",
                unit.id
            );
        }
    }

    /// The example's 洪泽区 2023 report (as published) acknowledges T4-total: the finding about
    /// 表四 行政复议·总计 is silenced, and records that figure and note 1 for the renderers.
    #[test]
    fn acknowledged_t4_total_records_its_figure_and_note() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut loaded = crate::load::load(root).unwrap();
        let parsed = std::mem::take(&mut loaded.diagnostics);
        let out = validate(&loaded.site, parsed);
        let file = "content/huaian/hongze/2023.md";
        assert!(
            !out.diagnostics
                .iter()
                .any(|d| d.file == file && d.code == "T4-total"),
            "{:#?}",
            out.diagnostics
        );
        let report = loaded.site.reports.iter().find(|r| r.file == file).unwrap();
        let spec = report.spec().table(TableId::Appeals);
        let marked: Vec<(&str, &str, usize)> = out
            .silenced
            .iter()
            .filter(|s| s.finding.file == file && s.finding.code == "T4-total")
            .map(|s| {
                let f = s.figure.expect("a T4-total finding is about a figure");
                assert_eq!(f.table, TableId::Appeals);
                let row = &spec.rows[f.row];
                (row.key, row.columns[f.column].label, s.note)
            })
            .collect();
        assert_eq!(
            marked,
            [
                ("review", "总计", 1),
                ("litigation_after_review", "总计", 1)
            ]
        );
    }

    #[test]
    fn every_rule_is_local_to_a_unit_on_the_bundled_sites() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        units_alone_match_the_whole(manifest);
        units_alone_match_the_whole(&manifest.join("tests/fixtures/real"));
    }

    #[test]
    fn every_rule_is_local_to_a_unit_on_a_generated_site_with_faults() {
        let dir = tempfile::tempdir().unwrap();
        crate::corpus::write_corpus(dir.path(), 12, 2021..=2024).unwrap();
        // Break the carry-over of one year and a table of another: cross-year and per-report
        // rules both fire.
        let mut n = 0;
        for e in walkdir(dir.path().join("content")) {
            if e.ends_with("2023.md") && n < 4 {
                let text = std::fs::read_to_string(&e).unwrap();
                let broken = text.replacen("[", "[1", 3);
                std::fs::write(&e, broken).unwrap();
                n += 1;
            }
        }
        assert!(n > 0);
        units_alone_match_the_whole(dir.path());
    }

    fn walkdir(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    }
}
