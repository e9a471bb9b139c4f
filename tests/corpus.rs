//! The generated corpus is a valid site: `check` finds nothing in it. Any finding here is a
//! false positive of a rule (or a bug of the generator).

use nianbao::check::check_site;
#[path = "support/corpus.rs"]
mod corpus;

use corpus::write_corpus;

fn check_corpus(
    units: usize,
    years: std::ops::RangeInclusive<i32>,
) -> (tempfile::TempDir, nianbao::check::Checked) {
    let dir = tempfile::tempdir().unwrap();
    let n = write_corpus(dir.path(), units, years.clone()).unwrap();
    assert_eq!(n, units * years.count());
    let checked = check_site(dir.path()).unwrap();
    assert_eq!(checked.loaded.report_count, n);
    (dir, checked)
}

#[test]
fn a_corpus_across_the_format_change_checks_clean() {
    // 2019 and 2020 in format 2019, 2021 in format 2021: carry-over crosses the change.
    let (_dir, checked) = check_corpus(20, 2019..=2021);
    assert!(
        checked.outcome.diagnostics.is_empty(),
        "{:#?}",
        checked.outcome.diagnostics
    );
    assert_eq!(checked.loaded.site.reports.len(), 60);
    assert_eq!(checked.loaded.site.units.len(), 20);
}

#[test]
fn a_corpus_of_2021_reports_checks_clean() {
    // Consecutive format-2021 years: in-force is checked too.
    let (_dir, checked) = check_corpus(45, 2021..=2024);
    assert!(
        checked.outcome.diagnostics.is_empty(),
        "{:#?}",
        checked.outcome.diagnostics
    );
}

#[test]
fn the_corpus_is_realistic() {
    let (_dir, checked) = check_corpus(20, 2020..=2022);
    let site = &checked.loaded.site;
    // A few governments at the top, the other kinds below them.
    let tops: Vec<_> = site.units.iter().filter(|u| u.parent.is_none()).collect();
    assert!(!tops.is_empty() && tops.len() < 5);
    assert!(
        tops.iter()
            .all(|u| u.kind == nianbao::content::UnitKind::Government)
    );
    for kind in ["部门", "乡镇", "街道"] {
        assert!(site.units.iter().any(|u| u.kind.label() == kind), "{kind}");
    }
    // About 1,500 characters of prose per report, and reports that differ.
    let lengths: Vec<usize> = site
        .reports
        .iter()
        .map(|r| r.body.all_text().chars().count())
        .collect();
    let mean = lengths.iter().sum::<usize>() / lengths.len();
    assert!((1_300..=1_800).contains(&mean), "mean prose length {mean}");
    let mut bodies: Vec<String> = site.reports.iter().map(|r| r.body.all_text()).collect();
    bodies.sort();
    bodies.dedup();
    assert_eq!(bodies.len(), site.reports.len());
    // Some applications and some appeals, so the rules have figures to check.
    assert!(
        site.reports
            .iter()
            .any(|r| r.applications_received().unwrap_or(0) > 100)
    );
    assert!(
        site.reports
            .iter()
            .any(|r| r.appeals.count(&r.spec().appeals, "review", 4).unwrap_or(0) > 0)
    );
}

#[test]
fn the_corpus_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_corpus(a.path(), 5, 2020..=2021).unwrap();
    write_corpus(b.path(), 5, 2020..=2021).unwrap();
    let file = "content/gov000/dept001/2021.md";
    assert_eq!(
        std::fs::read(a.path().join(file)).unwrap(),
        std::fs::read(b.path().join(file)).unwrap()
    );
}

#[test]
fn a_changed_figure_in_the_corpus_is_found() {
    // The clean result above is not vacuous: one late date gives exactly one finding.
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 20, 2020..=2021).unwrap();
    let file = dir.path().join("content/gov000/dept001/2021.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("published: "))
        .unwrap()
        .to_string();
    std::fs::write(&file, text.replacen(&line, "published: 2022-02-10", 1)).unwrap();
    let diags = check_site(dir.path()).unwrap().outcome.diagnostics;
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (diags[0].code.code(), diags[0].file.as_str()),
        ("deadline", "content/gov000/dept001/2021.md")
    );
}
