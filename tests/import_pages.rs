//! Issue 11: real report pages saved from several portals (tests/fixtures/import/pages/, where each
//! came from is in SOURCES.md) imported by the real binary, as a 政务公开办 staffer would.
//!
//! For every page the expected report was typed by hand from the page itself
//! (tests/fixtures/import/pages/expected/<same name>.md), never from the importer's output. Each
//! test checks what a user would: every table cell, the publication date, that the portal around
//! the article stays out of the report, and that every paragraph of the article outside the
//! tables is kept, in order.

#[path = "common/import_compare.rs"]
mod import_compare;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use import_compare::{blocks, body_markdown, first_lost_paragraph, table_differences};
use nianbao::content::parse;

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/pages")
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run nianbao")
}

/// At most `n` characters of a command's output, so one failing page cannot flood the log.
fn short(o: &[u8], n: usize) -> String {
    let s = String::from_utf8_lossy(o);
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push_str("…（以下省略）");
    }
    out
}

/// One saved page and what importing it must give.
struct Page {
    /// File name under tests/fixtures/import/pages/ (the expected report has the same stem).
    file: &'static str,
    unit: &'static str,
    year: i32,
    /// The unit's name as the page's title gives it, where the title names the issuer exactly.
    name: Option<&'static str>,
    /// The unit kind a user would correct the guess to (it sets the deadline the report is
    /// checked against).
    kind: &'static str,
    /// Text of the page outside the article (portal header, navigation, share boxes, footer,
    /// metadata lines) that must not reach the report.
    chrome: &'static [&'static str],
}

/// Imports `page` into a fresh site and checks it against its expected report; panics with every
/// difference found.
fn check_page(page: &Page) {
    let input = pages_dir().join(page.file);
    let stem = page.file.rsplit_once('.').unwrap().0;
    let expected_path = pages_dir().join(format!("expected/{stem}.md"));
    let expected_text = std::fs::read_to_string(&expected_path).unwrap();
    let (expected, diags) = parse::report(
        &format!("expected/{stem}.md"),
        page.unit,
        page.year,
        &expected_text,
    );
    assert!(diags.is_empty(), "the expected file itself: {diags:?}");
    let expected = expected.unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let year = page.year.to_string();
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        page.unit,
        "--year",
        &year,
        input.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}: import refused the page (exit {:?})\n{}{}",
        page.file,
        out.status.code(),
        short(&out.stdout, 1000),
        short(&out.stderr, 1500)
    );
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let imported = site
        .report(page.unit, page.year)
        .unwrap_or_else(|| panic!("{}: no report at {}/{}", page.file, page.unit, page.year));

    let mut problems = Vec::new();

    // The unit created from the page: its name and kind.
    let unit = site.unit(page.unit).unwrap();
    if let Some(name) = page.name
        && unit.name != name
    {
        problems.push(format!("unit name: “{}”, expected “{name}”", unit.name));
    }
    if unit.kind.label() != page.kind {
        problems.push(format!(
            "unit kind: {}, expected {}",
            unit.kind.label(),
            page.kind
        ));
    }

    // Every figure as published.
    problems.extend(table_differences(imported, &expected));

    // The publication date, wherever the page writes it.
    if imported.published != expected.published {
        problems.push(format!(
            "published: imported {:?}, expected {:?}",
            imported.published.map(|d| d.to_string()),
            expected.published.map(|d| d.to_string())
        ));
    }

    // The six sections, recognised by their numerals.
    let numbers: Vec<u8> = imported.body.sections.iter().map(|s| s.number).collect();
    if numbers != [1, 2, 3, 4, 5, 6] {
        problems.push(format!("sections found: {numbers:?}, expected 一 to 六"));
    }

    // No portal text around the article.
    let body = body_markdown(imported);
    for c in page.chrome {
        if body.contains(c) {
            problems.push(format!("portal text “{c}” is in the report"));
        }
    }

    // Every paragraph of the article outside the tables, in order.
    let expected_paragraphs = blocks(&body_markdown(&expected));
    assert!(
        expected_paragraphs.len() >= 8,
        "{}: expected file has too few paragraphs",
        page.file
    );
    if let Some((i, p)) = first_lost_paragraph(&body, &expected_paragraphs) {
        let head: String = p.chars().take(60).collect();
        problems.push(format!(
            "paragraph {} of {} lost or out of order: “{head}”",
            i + 1,
            expected_paragraphs.len()
        ));
    }

    assert!(
        problems.is_empty(),
        "{} imported wrong:\n  {}",
        page.file,
        problems.join("\n  ")
    );
}

/// The 2019 official layout as the 上海市人民政府办公厅 published it: 表二 is a 5-column grid
/// whose blocks merge cells differently (`规章 13 colspan=2 13 524`), empty cells are `&nbsp;`,
/// the date sits under the title.
#[test]
fn shanghai_bangongting_2019_merged_2019_layout() {
    check_page(&Page {
        file: "shanghai-bangongting-2019.html",
        unit: "bangongting",
        year: 2019,
        name: Some("上海市人民政府办公厅"),
        kind: "部门",
        chrome: &["发布日期："],
    });
}

/// The 2020 上海市 report (the city's own, compiled from every district and department), as the
/// portal published it from a Word document: the 2019 layout again but with `height`/`width`
/// attributes, `本年新<br> &nbsp; 制作数量` headers, a footnote row inside 表二, signed cells
/// (`+5174`, `-183`), an amount with its unit (`27225290916元`), and numbered sub-headings
/// ("1.及时权威准确发布…", "（1）规范公开…") in section 一.
#[test]
fn shanghai_shi_2020_word_made_2019_layout() {
    check_page(&Page {
        file: "shanghai-shi-2020.html",
        unit: "shanghai",
        year: 2020,
        name: None,
        kind: "人民政府",
        chrome: &["发布日期："],
    });
}

/// The comparison itself: an expected report matches itself, and one changed cell or one dropped
/// paragraph is caught (so a passing page test means the import is right).
#[test]
fn the_comparison_catches_a_changed_cell_and_a_lost_paragraph() {
    let text =
        std::fs::read_to_string(pages_dir().join("expected/shanghai-bangongting-2019.md")).unwrap();
    let parse = |t: &str| {
        let (r, d) = parse::report("x.md", "u", 2019, t);
        assert!(d.is_empty(), "{d:?}");
        r.unwrap()
    };
    let good = parse(&text);
    assert!(table_differences(&good, &good).is_empty());
    let paragraphs = blocks(&body_markdown(&good));
    assert_eq!(
        first_lost_paragraph(&body_markdown(&good), &paragraphs),
        None
    );

    let changed = parse(&text.replace("[821, 35,", "[812, 35,"));
    assert_eq!(
        table_differences(&changed, &good),
        ["Applications new column 1: imported \"812\", expected \"821\""]
    );

    let dropped = text.replace("### （二）依申请公开方面\n", "");
    assert_ne!(dropped, text);
    let lost = first_lost_paragraph(&body_markdown(&parse(&dropped)), &paragraphs);
    assert_eq!(
        lost.map(|(_, p)| p),
        Some("（二）依申请公开方面".to_string())
    );
}

#[test]
fn every_page_has_an_expected_report_and_a_line_in_sources() {
    let sources = std::fs::read_to_string(pages_dir().join("SOURCES.md")).unwrap();
    let mut pages = 0;
    for e in std::fs::read_dir(pages_dir()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() || name == "SOURCES.md" {
            continue;
        }
        pages += 1;
        let stem = name.rsplit_once('.').unwrap().0;
        assert!(
            pages_dir().join(format!("expected/{stem}.md")).is_file(),
            "{name}: no expected/{stem}.md"
        );
        assert!(
            sources.contains(&format!("`{name}`")),
            "{name}: not in SOURCES.md"
        );
        let this_file = include_str!("import_pages.rs");
        assert!(
            this_file.contains(&format!("file: \"{name}\"")),
            "{name}: no test in tests/import_pages.rs"
        );
    }
    assert!(pages >= 1);
}
