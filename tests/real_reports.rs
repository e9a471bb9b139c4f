//! `check` on real published reports (tests/fixtures/real) and on the bundled example site: the
//! exact set of findings, each at its place.

mod check_common;

use std::path::{Path, PathBuf};

use check_common::*;
use nianbao::Severity::{Error, Warning};
use nianbao::check::check_site;

const HONGZE_2023: &str = "content/huaian/hongze/2023.md";
const HONGZE_2024: &str = "content/huaian/hongze/2024.md";
const HUAIAN_2024: &str = "content/huaian/2024.md";
const HUAYUAN_2020: &str = "content/xiangcheng/huayuan/2020.md";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real")
}

fn source(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).unwrap()
}

#[test]
fn real_fixtures_give_exactly_these_findings() {
    let root = fixtures();
    let checked = check_site(&root).unwrap();
    let diags = &checked.outcome.diagnostics;
    assert_eq!(checked.loaded.report_count, 4);
    assert!(checked.outcome.silenced.is_empty());
    let summary: Vec<(&str, &str, u32, u32)> = diags
        .iter()
        .map(|d| (d.code.code(), d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        summary,
        [
            ("T4-total", HONGZE_2023, 47, 42),
            ("T4-total", HONGZE_2023, 49, 41),
            ("narrative", HONGZE_2024, 59, 121),
            ("published", HUAYUAN_2020, 1, 1),
        ]
    );

    // 行政复议 10 | 1 | 0 | 0 with 总计 0; 复议后起诉 5 | 0 | 0 | 0 with 总计 0.
    let src = source(&root, HONGZE_2023);
    assert_finding(
        &diags[0],
        &src,
        want(
            "T4-total",
            Error,
            HONGZE_2023,
            (47, 42),
            "0]",
            &["行政复议·总计", "应为 11", "实为 0"],
        ),
    );
    assert_finding(
        &diags[1],
        &src,
        want(
            "T4-total",
            Error,
            HONGZE_2023,
            (49, 41),
            "0]",
            &["行政诉讼·复议后起诉·总计", "应为 5", "实为 0"],
        ),
    );
    assert_eq!(diags[1].expected.as_deref(), Some("5"));

    // "受理政府信息公开申请 17 件" while 表三 一 总计 is 95.
    let src = source(&root, HONGZE_2024);
    assert_finding(
        &diags[2],
        &src,
        want(
            "narrative",
            Warning,
            HONGZE_2024,
            (59, 121),
            "17 件",
            &["17", "95"],
        ),
    );
    assert_eq!(
        (diags[2].expected.as_deref(), diags[2].actual.as_deref()),
        (Some("95"), Some("17"))
    );

    let src = source(&root, HUAYUAN_2020);
    assert_finding(
        &diags[3],
        &src,
        want(
            "published",
            Warning,
            HUAYUAN_2020,
            (1, 1),
            "---",
            &["发布日期"],
        ),
    );
}

#[test]
fn huaian_city_and_huayuan_have_no_errors() {
    let checked = check_site(&fixtures()).unwrap();
    let diags = &checked.outcome.diagnostics;
    assert!(!diags.iter().any(|d| d.file == HUAIAN_2024), "{diags:#?}");
    let huayuan: Vec<&str> = diags
        .iter()
        .filter(|d| d.file == HUAYUAN_2020)
        .map(|d| d.code.code())
        .collect();
    assert_eq!(huayuan, ["published"]);
}

#[test]
fn hongze_2023_to_2024_carries_over_consistently() {
    let checked = check_site(&fixtures()).unwrap();
    assert!(
        !checked
            .outcome
            .diagnostics
            .iter()
            .any(|d| d.code == "carry-over" || d.code == "in-force"),
        "{:#?}",
        checked.outcome.diagnostics
    );
}

/// Copies the fixture site into a tempdir, with `edit` applied to one file.
fn fixture_copy(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("content"), &dir.path().join("content"));
    let p = dir.path().join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, edit(&text)).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_different_carry_over_gives_one_finding_per_differing_column() {
    // 2024 says 3 + 1 were carried over from 2023 (and carries them forward, so its own table
    // still balances); 2023 carried nothing forward. 自然人, 商业企业 and 总计 differ.
    let dir = fixture_copy(HONGZE_2024, |t| {
        let t = mutate(
            t,
            "carried_over:    [0, 0, 0, 0, 0, 0, 0]",
            "carried_over:    [3, 1, 0, 0, 0, 0, 4]",
        );
        mutate(
            &t,
            "carried_forward: [0, 0, 0, 0, 0, 0, 0]",
            "carried_forward: [3, 1, 0, 0, 0, 0, 4]",
        )
    });
    let checked = check_site(dir.path()).unwrap();
    let src = source(dir.path(), HONGZE_2024);
    let carry: Vec<_> = checked
        .outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "carry-over")
        .collect();
    assert_eq!(carry.len(), 3, "{carry:#?}");
    for (d, (col, at, label)) in carry.iter().zip([
        (21, "3", "自然人"),
        (24, "1", "商业企业"),
        (39, "4", "总计"),
    ]) {
        assert_finding(
            d,
            &src,
            want(
                "carry-over",
                Warning,
                HONGZE_2024,
                (17, col),
                at,
                &[
                    "二、上年结转政府信息公开申请数量",
                    label,
                    "2023 年",
                    "应为 0",
                ],
            ),
        );
        assert_eq!(d.column_label.as_deref(), Some(label));
        assert_eq!(d.expected.as_deref(), Some("0"));
        assert_eq!(d.actual.as_deref(), Some(at));
    }
    // Nothing else changed: the other findings are those of the unchanged fixtures.
    let others: Vec<&str> = checked
        .outcome
        .diagnostics
        .iter()
        .filter(|d| d.code != "carry-over")
        .map(|d| d.code.code())
        .collect();
    assert_eq!(others, ["T4-total", "T4-total", "narrative", "published"]);
}

#[test]
fn the_bundled_example_has_no_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = check_site(root).unwrap();
    let diags = &checked.outcome.diagnostics;
    assert!(!checked.outcome.has_errors(), "{diags:#?}");
    assert!(checked.loaded.report_count >= 4);
    // Its known mistakes are acknowledged (原文如此), and every entry is used.
    let silenced: Vec<(&str, &str, usize)> = checked
        .outcome
        .silenced
        .iter()
        .map(|s| (s.finding.code.code(), s.finding.file.as_str(), s.note))
        .collect();
    assert_eq!(
        silenced,
        [
            ("T4-total", HONGZE_2023, 1),
            ("T4-total", HONGZE_2023, 1),
            ("narrative", HONGZE_2024, 1)
        ]
    );
    assert!(
        !diags.iter().any(|d| d.code == "acknowledged"),
        "{diags:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_unit_folder_reached_through_a_symlink_is_read() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("content"), &dir.path().join("content"));
    // Move xiangcheng out of content/ and link it back in.
    let outside = dir.path().join("elsewhere");
    std::fs::rename(dir.path().join("content/xiangcheng"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("content/xiangcheng")).unwrap();
    let checked = check_site(dir.path()).unwrap();
    assert_eq!(checked.loaded.report_count, 4);
    assert!(
        checked
            .outcome
            .diagnostics
            .iter()
            .any(|d| d.file == HUAYUAN_2020)
    );
}
