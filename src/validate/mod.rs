//! Every rule of report-format.md §6 over a loaded site. All findings are collected; nothing
//! stops at the first. Rules that need one report run in parallel per report; the cross-year
//! rules look at a unit's consecutive years.

mod cross_year;
mod narrative;
mod report_rules;
mod tables;

use rayon::prelude::*;

use crate::content::Site;
use crate::content::yaml::Pos;
use crate::diagnostic::{self, Diagnostic, Rule};

/// Findings after `acknowledged` entries have been applied.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// What the user must see, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by an `acknowledged` entry; the page shows their note by the figure.
    pub silenced: Vec<Diagnostic>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
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

/// Moves findings silenced by a report's `acknowledged` entries aside; an entry that silences
/// nothing is itself a warning, so stale notes do not linger on published pages.
fn apply_acknowledged(site: &Site, all: Vec<Diagnostic>) -> Outcome {
    let mut out = Outcome::default();
    let mut used = std::collections::HashSet::new();
    for d in all {
        let ack = site
            .reports
            .binary_search_by(|r| r.file.as_str().cmp(&d.file))
            .ok()
            .or_else(|| site.reports.iter().position(|r| r.file == d.file))
            .and_then(|i| {
                let r = &site.reports[i];
                r.acknowledged
                    .iter()
                    .position(|a| a.rule == d.code)
                    .map(|a| (i, a))
            });
        match ack {
            Some(key) => {
                used.insert(key);
                out.silenced.push(d);
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
    diagnostic::sort(&mut out.silenced);
    out
}
