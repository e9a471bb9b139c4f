//! `nianbao import` on real published reports, a portal page and broken input, run as the real
//! binary. The imported tables are compared cell by cell with the hand-typed fixtures, loaded
//! with nianbao's own parser.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nianbao::check::check_site;
use nianbao::content::format::TableId;
use nianbao::content::{Report, parse};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run nianbao")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A site with the fixture's `_index.md` files (site and units) but no reports.
fn site_like(content: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fn copy_indexes(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.path().is_dir() {
                copy_indexes(&e.path(), &to.join(e.file_name()));
            } else if e.file_name() == "_index.md" {
                std::fs::copy(e.path(), to.join("_index.md")).unwrap();
            }
        }
    }
    copy_indexes(content, &dir.path().join("content"));
    dir
}

/// Every cell of a report as (table, row key, column, shown text, blank).
fn cells(r: &Report) -> Vec<(TableId, &'static str, usize, String, bool)> {
    let mut v = Vec::new();
    for id in TableId::ALL {
        let spec = r.spec().table(id);
        for (i, row) in spec.rows.iter().enumerate() {
            let data = r.table(id).rows[i]
                .as_ref()
                .unwrap_or_else(|| panic!("{}: row {} missing", r.file, row.key));
            for (c, cell) in data.cells.iter().enumerate() {
                v.push((id, row.key, c, cell.display(), cell.is_blank()));
            }
        }
    }
    v
}

fn assert_same_tables(imported: &Report, expected: &Report) {
    assert_eq!(imported.format, expected.format, "{}", imported.file);
    let (a, b) = (cells(imported), cells(expected));
    assert_eq!(a.len(), b.len(), "{}", imported.file);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{} differs from {}", imported.file, expected.file);
    }
}

/// Findings as (file, code, row, column), the part that does not depend on layout.
fn findings(root: &Path) -> Vec<(String, String, Option<String>, Option<String>)> {
    let checked = check_site(root).unwrap();
    let mut v: Vec<_> = checked
        .outcome
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                d.code.to_string(),
                d.row.clone(),
                d.column_label.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

const REAL: &[(&str, &str, i32)] = &[
    ("huaian-city-2024.txt", "huaian", 2024),
    ("huaian-hongze-district-2023.txt", "huaian/hongze", 2023),
    ("huaian-hongze-district-2024.txt", "huaian/hongze", 2024),
    ("xiangcheng-huayuan-2020.txt", "xiangcheng/huayuan", 2020),
];

#[test]
fn fixtures_are_byte_identical_copies_of_the_shared_reports() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/reports");
    if !shared.is_dir() {
        return; // a clone without ../shared: the copies are the reference
    }
    for (file, _, _) in REAL {
        assert_eq!(
            std::fs::read(fixture(&format!("import/{file}"))).unwrap(),
            std::fs::read(shared.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn real_reports_import_with_the_published_figures_and_findings() {
    let real = fixture("real/content");
    let site = site_like(&real);
    let root = site.path();
    let expected_site = nianbao::load::load(&fixture("real")).unwrap().site;
    for (file, unit, year) in REAL {
        let expected = expected_site.report(unit, *year).unwrap();
        let input = fixture(&format!("import/{file}"));
        let mut args = vec![
            "import",
            "--root",
            root.to_str().unwrap(),
            "--unit",
            unit,
            "--year",
        ];
        let year_s = year.to_string();
        args.push(&year_s);
        let published = expected.published.map(|d| d.to_string());
        if let Some(p) = &published {
            args.extend(["--published", p]);
        }
        args.push(input.to_str().unwrap());
        let out = nianbao(&args);
        assert!(
            out.status.success(),
            "{file}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!(
                "content/{unit}/{year}.md（{} 格式）",
                expected.format.id()
            )),
            "{stdout}"
        );
        assert!(stdout.contains("检查导入的报告"), "{stdout}");
    }
    let imported_site = nianbao::load::load(root).unwrap().site;
    for (_, unit, year) in REAL {
        let imported = imported_site.report(unit, *year).unwrap();
        let expected = expected_site.report(unit, *year).unwrap();
        assert_same_tables(imported, expected);
        assert_eq!(imported.published, expected.published);
        let headings = |r: &Report| {
            r.body
                .sections
                .iter()
                .map(|s| s.heading.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(headings(imported), headings(expected), "{unit}/{year}");
        assert_eq!(
            imported.body.preamble, expected.body.preamble,
            "{unit}/{year}"
        );
        for (a, b) in imported.body.sections.iter().zip(&expected.body.sections) {
            assert_eq!(a.markdown, b.markdown, "{unit}/{year} {}", a.heading);
        }
    }
    // The same check findings (codes and rows): a published report with wrong sums stays wrong.
    let (got, want) = (findings(root), findings(&fixture("real")));
    assert_eq!(got, want);
    assert!(
        got.iter()
            .any(|f| f.0 == "content/huaian/hongze/2023.md" && f.1 == "T4-total")
    );
}

#[test]
fn huayuan_text_reproduces_the_bundled_example() {
    let site = site_like(&fixture("real/content"));
    let input = fixture("import/xiangcheng-huayuan-2020.txt");
    let out = nianbao(&[
        "import",
        "--root",
        site.path().to_str().unwrap(),
        "--unit",
        "xiangcheng/huayuan",
        "--year",
        "2020",
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let imported = nianbao::load::load(site.path()).unwrap().site;
    let bundled = nianbao::load::load(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .site;
    assert_same_tables(
        imported.report("xiangcheng/huayuan", 2020).unwrap(),
        bundled.report("xiangcheng/huayuan", 2020).unwrap(),
    );
}

#[test]
fn a_missing_unit_is_created_from_the_title_with_a_guessed_kind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let input = fixture("import/xiangcheng-huayuan-2020.txt");
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        "huayuan",
        "--year",
        "2020",
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("kind: 街道（按名称推断"), "{stdout}");
    let index = std::fs::read_to_string(dir.path().join("content/huayuan/_index.md")).unwrap();
    let (unit, diags) = parse::unit("x", "huayuan", None, &index);
    assert!(diags.is_empty(), "{diags:?}");
    let unit = unit.unwrap();
    assert_eq!(unit.name, "项城市人民政府花园街道办事处");
    assert_eq!(unit.kind.label(), "街道");
    // The title lacks the year: the report keeps the default title.
    let report = std::fs::read_to_string(dir.path().join("content/huayuan/2020.md")).unwrap();
    assert!(!report.contains("\ntitle:"), "{report}");
    assert!(stdout.contains("没有写年度"), "{stdout}");
}

#[test]
fn a_portal_page_with_merged_cells_imports_right() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let input = fixture("import/portal-fagaiwei-2020.html");
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        "fagaiwei",
        "--year",
        "2020",
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("2019 格式"), "{stdout}");
    assert!(stdout.contains("kind: 部门"), "{stdout}");
    assert!(stdout.contains("0 个错误"), "{stdout}");

    let site = nianbao::load::load(dir.path()).unwrap().site;
    assert_eq!(
        site.unit("fagaiwei").unwrap().name,
        "某某县发展和改革委员会"
    );
    let imported = site.report("fagaiwei", 2020).unwrap();
    let expected_text =
        std::fs::read_to_string(fixture("import/expected/portal-fagaiwei-2020.md")).unwrap();
    let (expected, diags) = parse::report("expected.md", "fagaiwei", 2020, &expected_text);
    assert!(diags.is_empty(), "{diags:?}");
    let expected = expected.unwrap();
    assert_same_tables(imported, &expected);
    assert_eq!(imported.published, expected.published);
    assert_eq!(imported.body.preamble, expected.body.preamble);
    assert_eq!(imported.body.sections.len(), 6);
    for (a, b) in imported.body.sections.iter().zip(&expected.body.sections) {
        assert_eq!((&a.heading, &a.markdown), (&b.heading, &b.markdown));
    }
    let all = imported.body.all_text();
    for chrome in [
        "首页",
        "网站标识码",
        "打印本页",
        "浏览次数",
        "广告",
        "注释里的表格",
    ] {
        assert!(
            !all.contains(chrome),
            "page chrome “{chrome}” leaked into the report"
        );
    }
}

/// Writes `text` as an input file in `dir` and imports it into a fresh site there.
fn import_text(dir: &Path, name: &str, text: &str, year: &str) -> Output {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    let input = dir.join(name);
    std::fs::write(&input, text).unwrap();
    nianbao(&[
        "import",
        "--root",
        dir.to_str().unwrap(),
        "--unit",
        "u",
        "--year",
        year,
        input.to_str().unwrap(),
    ])
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_letter_in_a_number_cell_is_reported_at_its_line_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/huaian-city-2024.txt")).unwrap();
    let broken = original.replace(
        "| 3.危及“三安全一稳定” | 5 | 0 |",
        "| 3.危及“三安全一稳定” | 5 | O |",
    );
    assert_ne!(broken, original);
    let out = import_text(dir.path(), "broken.txt", &broken, "2024");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line = line_of(&broken, "三安全一稳定” | 5 | O");
    let col = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .chars()
        .position(|c| c == 'O')
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("broken.txt:{line}:{col}")),
        "{stderr}"
    );
    assert!(stderr.contains("error[import]"), "{stderr}");
    assert!(stderr.contains("3.危及“三安全一稳定”·商业企业"), "{stderr}");
    assert!(stderr.contains("“O”不是数字"), "{stderr}");
    assert!(
        !dir.path().join("content/u/2024.md").exists(),
        "nothing is written"
    );
    assert!(
        !dir.path().join("content/u/_index.md").exists(),
        "nothing is written"
    );
}

#[test]
fn a_one_cell_a_line_table_with_a_bad_cell_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/xiangcheng-huayuan-2020.txt")).unwrap();
    let broken = original.replacen("\t7000\n", "\t7000美元\n", 1);
    let out = import_text(dir.path(), "huayuan.txt", &broken, "2020");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("huayuan.txt:{}:", line_of(&broken, "7000美元"))),
        "{stderr}"
    );
    assert!(stderr.contains("政府集中采购·采购总金额"), "{stderr}");
}

#[test]
fn a_missing_table_is_reported_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let original =
        std::fs::read_to_string(fixture("import/huaian-hongze-district-2024.txt")).unwrap();
    // Drop 表四's rows.
    let start = original.find("| 行政复议 |").unwrap();
    let end = original.find("五、存在的主要问题").unwrap();
    let broken = format!("{}{}", &original[..start], &original[end..]);
    let out = import_text(dir.path(), "no-t4.txt", &broken, "2024");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line = line_of(&broken, "四、政府信息公开行政复议、行政诉讼情况");
    assert!(stderr.contains(&format!("no-t4.txt:{line}:1")), "{stderr}");
    assert!(stderr.contains("下面没有表四"), "{stderr}");
    assert!(!dir.path().join("content/u/2024.md").exists());

    // Without the heading of section 三 there is no telling where 表三 is.
    let broken = original.replace("三、收到和处理政府信息公开申请情况\n", "");
    let out = import_text(dir.path(), "no-3.txt", &broken, "2024");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("找不到第三部分"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unknown_row_with_figures_and_a_short_row_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/huaian-city-2024.txt")).unwrap();
    let broken = original
        .replace("| 2.重复申请 | 25 |", "| 2.完全不同的标签文字 | 25 |")
        .replace(
            "|  |  | 4.保护第三方合法权益 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |",
            "|  |  | 4.保护第三方合法权益 | 6 | 0 | 0 | 0 | 6 |",
        );
    let out = import_text(dir.path(), "rows.txt", &broken, "2024");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "rows.txt:{}:1",
            line_of(&broken, "完全不同的标签文字")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("表三中无法识别这一行"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "rows.txt:{}:1",
            line_of(&broken, "4.保护第三方合法权益 | 6 | 0 | 0 | 0 | 6")
        )),
        "{stderr}"
    );
}

#[test]
fn the_year_must_match_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/huaian-city-2024.txt")).unwrap();
    let out = import_text(dir.path(), "r.txt", &original, "2023");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("标题是 2024 年度的报告"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_existing_report_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::create_dir_all(dir.path().join("content/huaian")).unwrap();
    let target = dir.path().join("content/huaian/2024.md");
    std::fs::write(&target, "手写的内容\n").unwrap();
    let input = fixture("import/huaian-city-2024.txt");
    let input = input.to_str().unwrap();
    let out = nianbao(&[
        "import", "--root", root, "--unit", "huaian", "--year", "2024", input,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("已存在"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "手写的内容\n");

    let out = nianbao(&[
        "import", "--root", root, "--unit", "huaian", "--year", "2024", "--force", input,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("---\nyear: 2024\n"), "{written}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("content/huaian"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_site_without_content_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("import/huaian-city-2024.txt");
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        "u",
        "--year",
        "2024",
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nianbao init"));
}

#[test]
fn a_bad_cell_in_a_portal_table_is_reported_with_its_table_row_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/portal-fagaiwei-2020.html")).unwrap();
    let broken = original.replace("<td>1186</td>", "<td>11B6</td>");
    assert_ne!(broken, original);
    let out = import_text(dir.path(), "page.html", &broken, "2020");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line = line_of(&broken, "11B6");
    assert!(stderr.contains(&format!("page.html:{line}")), "{stderr}");
    assert!(
        stderr.contains("表二·行政许可·处理决定数量：“11B6”不是数字（网页第 1 个表格第 7 行）"),
        "{stderr}"
    );
    assert!(!dir.path().join("content/u/2020.md").exists());
}

#[cfg(unix)]
#[test]
fn imported_files_are_written_as_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let input = fixture("import/xiangcheng-huayuan-2020.txt");
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_nianbao"))
        .args(["import", "--root", dir.path().to_str().unwrap()])
        .args(["--unit", "huayuan", "--year", "2020"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    for f in ["content/huayuan/_index.md", "content/huayuan/2020.md"] {
        let mode = std::fs::metadata(dir.path().join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644, "{f}: {mode:o}");
    }
}

/// Issue 14.13: 40,000 nested `<div>`s overflowed the stack (exit 134), and the parser's time
/// grows with the square of the nesting (100k took 88 s). Nesting is bounded before parsing.
#[test]
fn deeply_nested_markup_is_refused_quickly_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let n = 40_000;
    let page = format!(
        "<html><body>\n<p>一、总体情况</p>\n{}正文{}\n</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let started = std::time::Instant::now();
    let out = import_text(dir.path(), "deep.html", &page, "2020");
    let took = started.elapsed();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[import]"), "{stderr}");
    assert!(stderr.contains("deep.html:3:"), "{stderr}");
    assert!(stderr.contains("嵌套超过 500 层"), "{stderr}");
    assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
    assert!(!dir.path().join("content/u/2020.md").exists());
}

/// Issue 14.13: a 24 KB page of wide `colspan` rows needed 6 GB, every row padded to the widest.
/// Tables are bounded in columns and cells, and the error names the table.
#[test]
fn a_table_too_wide_or_too_big_is_refused_naming_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let wide_row = format!("<tr>{}</tr>\n", "<td colspan=100>1</td>".repeat(200));
    let page = format!(
        "<html><body>\n<table><tr><td>甲</td></tr></table>\n<table>\n<tr><td>乙</td></tr>\n{}{}</table></body></html>",
        wide_row,
        "<tr><td>1</td></tr>\n".repeat(1000)
    );
    assert!(page.len() < 30_000);
    let out = import_text(dir.path(), "wide.html", &page, "2020");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("wide.html:5:"), "{stderr}");
    assert!(
        stderr.contains("网页第 2 个表格第 2 行超过 100 列"),
        "{stderr}"
    );

    // Narrow but with more cells than any report table could have.
    let page = format!(
        "<html><body><table>\n{}</table></body></html>",
        "<tr><td>1</td><td>2</td><td>3</td><td>4</td></tr>\n".repeat(20_000)
    );
    let out = import_text(dir.path(), "long.html", &page, "2020");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("网页第 1 个表格有 20000 行"), "{stderr}");
    assert!(!dir.path().join("content/u/2020.md").exists());
}

/// Issue 14.14: a PDF was met with "re-save as UTF-8 in Notepad".
#[test]
fn a_pdf_is_named_as_a_pdf_with_how_to_get_its_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let input = dir.path().join("report.pdf");
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n".to_vec();
    pdf.extend((0..=255u8).cycle().take(4096));
    std::fs::write(&input, &pdf).unwrap();
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        "u",
        "--year",
        "2020",
        input.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[import]"), "{stderr}");
    assert!(stderr.contains("是 PDF 文件"), "{stderr}");
    assert!(stderr.contains("pdftotext -layout"), "{stderr}");
    assert!(!stderr.contains("记事本"), "{stderr}");
    assert!(!dir.path().join("content/u").exists());
}

/// Issue 14.14: an empty file gave three "missing section" errors.
#[test]
fn an_empty_file_is_named_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [("empty.txt", ""), ("blank.txt", "\u{feff}\n  \n\t\n")] {
        let out = import_text(dir.path(), name, content, "2020");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("{name} 是空文件")), "{stderr}");
        assert!(!stderr.contains("找不到"), "{stderr}");
        assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    }
    assert!(!dir.path().join("content/u").exists());
}

// ---------------------------------------------------------------------------------------------
// Issue 11 (items 1–5, 10): portal pages read whole — the official 2019 merged layout, the
// article without the portal around it, the publication date, every paragraph kept, 规章 left
// out, short refusals. (Column import tests go in their own block below.)

/// Imports `input` as unit `u`, year `year`, into a fresh site in `dir`.
fn import_file(dir: &Path, input: &Path, year: &str) -> Output {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    nianbao(&[
        "import",
        "--root",
        dir.to_str().unwrap(),
        "--unit",
        "u",
        "--year",
        year,
        input.to_str().unwrap(),
    ])
}

/// Text with every kind of space removed, and the Markdown escapes the importer adds.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect()
}

/// The paragraphs of a page's article (the element `container` selects): the text of every
/// block element holding text of its own, outside tables, in document order.
fn article_paragraphs(page: &str, container: &str) -> Vec<String> {
    use scraper::{ElementRef, Html, Node, Selector};
    let doc = Html::parse_document(page);
    let root = doc
        .select(&Selector::parse(container).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {container} in the page"));
    const BLOCK: &[&str] = &[
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "table", "section",
    ];
    let mut out = Vec::new();
    for node in root.descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        if !BLOCK.contains(&name) || name == "table" || name == "td" || name == "th" {
            continue;
        }
        let in_table = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| a.id() != root.id())
            .any(|a| a.value().name() == "table");
        if in_table {
            continue;
        }
        // Its own text: text not inside a nested block element.
        let mut own = String::new();
        let mut stack: Vec<_> = el.children().collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            match n.value() {
                Node::Text(t) => own.push_str(t),
                Node::Element(e) if !BLOCK.contains(&e.name()) => {
                    let mut kids: Vec<_> = n.children().collect();
                    kids.reverse();
                    stack.extend(kids);
                }
                _ => {}
            }
        }
        let own = squeezed(&own);
        if !own.is_empty() {
            out.push(own);
        }
    }
    out
}

/// Every paragraph of the article is in the imported report's body, in order: an import never
/// loses text. The title and the publication-date line go to the front matter (`title`, which
/// is left out when it is the default title, and `published`).
fn assert_paragraphs_kept(page: &str, container: &str, report: &str) {
    let (front, body) = report
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
        .expect("front matter");
    let body = squeezed(body);
    let date = front
        .lines()
        .find_map(|l| l.strip_prefix("published: "))
        .map(|d| d.trim().to_string());
    let metadata = |p: &str| {
        let short = p.chars().count() <= 40;
        let title = short && p.contains("年度报告");
        let dated = date.as_ref().is_some_and(|d| {
            let (y, rest) = d.split_at(4);
            let (m, day) = (&rest[1..3], &rest[4..6]);
            let plain = |s: &str| s.trim_start_matches('0').to_string();
            p.contains(d.as_str())
                || p.contains(&format!("{y}年{}月{}日", plain(m), plain(day)))
                || p.contains(&format!("{y}年{m}月{day}日"))
        });
        title || (short && dated)
    };
    let mut from = 0;
    let paragraphs = article_paragraphs(page, container);
    assert!(!paragraphs.is_empty(), "no paragraphs in {container}");
    for p in paragraphs {
        match body[from..].find(&p) {
            Some(i) => from += i + p.len(),
            None if from == 0 && metadata(&p) => {}
            None => panic!(
                "paragraph lost or out of order: “{p}”\n(found: {})",
                body.contains(&p)
            ),
        }
    }
}

fn expected_report(name: &str, unit: &str, year: i32) -> Report {
    let text = std::fs::read_to_string(fixture(&format!("import/expected/{name}"))).unwrap();
    let (report, diags) = parse::report(name, unit, year, &text);
    assert!(diags.is_empty(), "{diags:?}");
    report.unwrap()
}

/// Issue 11.1: the 2019 official layout merges cells differently per block
/// (`规章 | 13 | colspan=2 13 | 524`); every figure is placed through the block's header.
#[test]
fn the_official_2019_merged_layout_imports_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("import/official-2019-merged.html");
    let out = import_file(dir.path(), &input, "2019");
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let imported = site.report("u", 2019).unwrap();
    let expected = expected_report("official-2019-merged.md", "u", 2019);
    assert_same_tables(imported, &expected);
}

/// Issue 11.2 and 11.3: header, navigation, tool bars, share box and footer stay out of the
/// report; the date comes from `时间：` (and the `PubDate` meta).
#[test]
fn only_the_article_is_imported_with_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("import/official-2019-merged.html");
    let out = import_file(dir.path(), &input, "2019");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let imported = site.report("u", 2019).unwrap();
    assert_eq!(
        imported.published.map(|d| d.to_string()).as_deref(),
        Some("2020-01-31")
    );
    let all = imported.body.all_text();
    for chrome in [
        "来源：",
        "时间：",
        "全真版",
        "文字版",
        "文件下载",
        "相关链接",
        "附件下载",
        "扫一扫",
        "文字解读",
        "图片解读",
        "当前位置",
        "网站标识码",
    ] {
        assert!(
            !all.contains(chrome),
            "portal text “{chrome}” in the report:\n{all}"
        );
    }
    assert_eq!(
        site.unit("u").unwrap().name,
        "某某市人民政府办公厅",
        "the unit is named from the title outside the article"
    );
    // Without the visible date, the PubDate meta of the 政府网站 norms gives it.
    let page = std::fs::read_to_string(&input)
        .unwrap()
        .replace("<span>时间：2020-01-31</span>", "");
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "meta.html", &page, "2019");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = std::fs::read_to_string(dir.path().join("content/u/2019.md")).unwrap();
    assert!(report.contains("published: 2020-01-31"), "{report}");
    // Another report's title listed between the title and the article: the ArticleTitle meta
    // names this one.
    let listed = std::fs::read_to_string(&input).unwrap().replace(
        "<div class=\"links\">相关链接：</div>",
        "<div class=\"links\">相关链接：</div><ul class=\"list\"><li>某某市人民政府办公厅2018年政府信息公开工作年度报告</li></ul>",
    );
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "listed.html", &listed, "2019");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The attribute table of a 信息公开 page above the article gives it too.
    let page = page
        .replace("<meta name=\"PubDate\" content=\"2020-01-31 09:00\">", "")
        .replace(
            "<div class=\"main\">",
            "<table class=\"xxgk\"><tr><td>索引号：</td><td>000-2020-00001</td><td>发布日期：</td><td>2020年01月30日</td></tr></table><div class=\"main\">",
        );
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "attrs.html", &page, "2019");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = std::fs::read_to_string(dir.path().join("content/u/2019.md")).unwrap();
    assert!(report.contains("published: 2020-01-30"), "{report}");
}

/// Issue 11.2: the shapes portals give the same article — a heading printed as a row of its
/// table, an article frame whose class names the article (`zw`) around the title and tool bars,
/// a preamble set apart above the sections — import the same figures, no portal text and
/// every paragraph.
#[test]
fn other_page_shapes_give_the_same_report() {
    let original = std::fs::read_to_string(fixture("import/official-2019-merged.html")).unwrap();
    let preamble = "<p>本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。本年度报告中所列数据统计期限从2019年1月1日到12月31日止。</p>";
    assert!(original.contains(preamble));
    let heading_in_table = original.replacen(
        "<p>三、收到和处理政府信息公开申请情况</p><table align=\"center\" border=\"1\" cellspacing=\"1\"><tbody>",
        "<table align=\"center\" border=\"1\" cellspacing=\"1\"><tbody><tr><td colspan=\"10\"><p>三、收到和处理政府信息公开申请情况</p></td></tr>",
        1,
    );
    let framed = original
        .replace("<div class=\"main\">", "<div class=\"zw\">")
        .replace("<div class=\"TRS_Editor\">", "<div class=\"nr\">");
    let apart = framed.replacen(
        &format!("<div class=\"nr\">{preamble}"),
        &format!("{preamble}<div class=\"nr\">"),
        1,
    );
    // Tool bars and share lines inside the article's own element.
    let tools_inside = original
        .replace(
            "<div class=\"tools\">全真版 | 文字版 | 文件下载</div>\n<div class=\"links\">相关链接：</div>\n<div class=\"TRS_Editor\">",
            "<div class=\"TRS_Editor\"><p>全真版 | 文字版 | 文件下载</p><p>相关链接：</p>",
        )
        .replace(
            "<p>无。</p></div>",
            "<p>无。</p><p>附件下载</p><p>扫一扫在手机上查看当前页面</p><p>文字解读 图片解读</p></div>",
        );
    let expected = expected_report("official-2019-merged.md", "u", 2019);
    for (name, page, article) in [
        ("tools-inside.html", &tools_inside, ""),
        ("heading-in-table.html", &heading_in_table, ".TRS_Editor"),
        ("framed.html", &framed, ".nr"),
        ("apart.html", &apart, ".nr"),
    ] {
        assert_ne!(page, &original, "{name}");
        let dir = tempfile::tempdir().unwrap();
        let out = import_text(dir.path(), name, page, "2019");
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let site = nianbao::load::load(dir.path()).unwrap().site;
        let imported = site.report("u", 2019).unwrap();
        assert_same_tables(imported, &expected);
        assert_eq!(imported.published, expected.published, "{name}");
        let all = imported.body.all_text();
        for chrome in ["全真版", "相关链接", "扫一扫", "来源：", "时间："] {
            assert!(!all.contains(chrome), "{name}: “{chrome}” in\n{all}");
        }
        let report = std::fs::read_to_string(dir.path().join("content/u/2019.md")).unwrap();
        if !article.is_empty() {
            assert_paragraphs_kept(page, article, &report);
        }
        assert!(
            imported.body.preamble.starts_with("本年度报告根据"),
            "{name}: {}",
            imported.body.preamble
        );
    }
}

/// A 2021-format page in GBK from a Hanweb-like portal (`#zoom` in `.con`), its date alone under
/// the title, without the 规章 row: every figure through the header grid (处理决定数量 merged
/// over three columns), the date, "/" for 规章 with a warning, no portal text.
#[test]
fn a_2021_gbk_page_without_rules_imports_right() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("import/official-2021-gbk.html");
    let out = import_file(dir.path(), &input, "2021");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("按 GBK 编码读取"), "{stdout}");
    assert!(stdout.contains("警告：表二没有“规章”一行"), "{stdout}");
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let imported = site.report("u", 2021).unwrap();
    let expected = expected_report("official-2021-gbk.md", "u", 2021);
    assert_same_tables(imported, &expected);
    assert_eq!(imported.published, expected.published);
    let all = imported.body.all_text();
    for chrome in ["打印本页", "关闭窗口", "首页", "版权所有", "政务服务"] {
        assert!(!all.contains(chrome), "“{chrome}” in\n{all}");
    }
    let (page, _) = nianbao::import::decode(&std::fs::read(&input).unwrap(), "p").unwrap();
    let report = std::fs::read_to_string(dir.path().join("content/u/2021.md")).unwrap();
    assert_paragraphs_kept(&page, "#zoom", &report);
}

/// Issue 11.4: every paragraph of each fixture page's article is in the report, in order —
/// sub-headings inside section 二 included.
#[test]
fn every_article_paragraph_is_kept_in_order() {
    let mut pages: Vec<(PathBuf, String)> = [
        ("import/official-2019-merged.html", "2019"),
        ("import/official-2021-gbk.html", "2021"),
        ("import/portal-fagaiwei-2020.html", "2020"),
    ]
    .iter()
    .map(|(p, y)| (fixture(p), y.to_string()))
    .collect();
    // Every real page of the fixtures, its year from its expected report.
    let real = fixture("import/pages");
    for e in std::fs::read_dir(&real).into_iter().flatten().flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "html") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let expected =
                std::fs::read_to_string(real.join(format!("expected/{stem}.md"))).unwrap();
            let year = expected
                .lines()
                .find_map(|l| l.strip_prefix("year:"))
                .unwrap()
                .trim()
                .to_string();
            pages.push((path, year));
        }
    }
    assert!(pages.len() >= 5, "{pages:?}");
    for (input, year) in pages {
        let dir = tempfile::tempdir().unwrap();
        let out = import_file(dir.path(), &input, &year);
        let name = input.display();
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let report =
            std::fs::read_to_string(dir.path().join(format!("content/u/{year}.md"))).unwrap();
        let (html, _) = nianbao::import::decode(&std::fs::read(&input).unwrap(), "p").unwrap();
        // The article's element: the CMS container the page uses, else the whole body (pages
        // saved as the article alone).
        let doc = scraper::Html::parse_document(&html);
        let container = [".TRS_Editor", "#zoom", ".article-content", "#UCAP-CONTENT"]
            .into_iter()
            .find(|c| {
                doc.select(&scraper::Selector::parse(c).unwrap())
                    .next()
                    .is_some()
            })
            .unwrap_or("body");
        assert_paragraphs_kept(&html, container, &report);
    }
}

/// Issue 11.5: a unit without rule-making power leaves out the 规章 row: "/" cells and a
/// warning naming the row, not a refusal.
#[test]
fn a_left_out_rules_row_is_not_applicable_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/portal-fagaiwei-2020.html")).unwrap();
    let page = original.replace("<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>", "");
    assert_ne!(page, original);
    let out = import_text(dir.path(), "no-rules.html", &page, "2020");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("规章"), "{stdout}");
    assert!(stdout.contains("警告"), "{stdout}");
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let r = site.report("u", 2020).unwrap();
    let (i, _) = r.spec().active.row("rules").unwrap();
    let cells: Vec<String> = r.active.rows[i]
        .as_ref()
        .unwrap()
        .cells
        .iter()
        .map(|c| c.display())
        .collect();
    assert_eq!(cells, ["/", "/", "/"]);
    // Any other missing row still refuses the import.
    let page = original.replace(
        "<tr><td>行政强制</td><td>5</td><td>-1</td><td>/</td></tr>",
        "",
    );
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "no-coercion.html", &page, "2020");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("缺少“行政强制”一行"), "{stderr}");
}

/// Issue 11.10: a refused one-line page gives each reason once with a short quote of its line,
/// never the whole article, and ends with what to do next.
#[test]
fn a_refused_one_line_page_is_short_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("import/official-2019-merged.html")).unwrap();
    let page = original
        .replace("<p align=\"center\">900</p>", "<p align=\"center\">9OO</p>")
        .replace("<p align=\"center\">310</p>", "<p align=\"center\">3l0</p>");
    assert_ne!(page, original);
    let out = import_text(dir.path(), "bad.html", &page, "2019");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("“9OO”不是数字"), "{stderr}");
    assert!(stderr.contains("“3l0”不是数字"), "{stderr}");
    assert!(stderr.len() < 3000, "{} bytes:\n{stderr}", stderr.len());
    for line in stderr.lines() {
        assert!(line.chars().count() <= 160, "long line: {line}");
    }
    assert!(stderr.contains('…'), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap();
    assert!(last.contains("再"), "ends with what to do next: {last}");
    assert!(!dir.path().join("content/u/2019.md").exists());
}

// =============================================================================================
// impcol: Markdown from PDF converters (issue 11.6), column import (issue 11.9).
// The html engineer edits the part above this line.

/// Issue 11.6: the Markdown a PDF-to-Markdown converter prints (`## 三、…` headings, pipe
/// tables with invented `数据1…` header rows and `|---|` separators, repeated at a page break)
/// imports with the same figures and prose as the pdfplumber text of the same PDF.
#[test]
fn markdown_from_a_pdf_converter_imports_like_the_text() {
    let site = site_like(&fixture("real/content"));
    let input = fixture("import/huaian-city-2024.md");
    let out = nianbao(&[
        "import",
        "--root",
        site.path().to_str().unwrap(),
        "--unit",
        "huaian",
        "--year",
        "2024",
        input.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let imported = nianbao::load::load(site.path()).unwrap().site;
    let expected = nianbao::load::load(&fixture("real")).unwrap().site;
    let (a, b) = (
        imported.report("huaian", 2024).unwrap(),
        expected.report("huaian", 2024).unwrap(),
    );
    assert_same_tables(a, b);
    // The converter joined the lines of each paragraph; the words, in order, are the same.
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(squeeze(&a.body.preamble), squeeze(&b.body.preamble));
    assert_eq!(a.body.sections.len(), 6);
    for (x, y) in a.body.sections.iter().zip(&b.body.sections) {
        assert_eq!(x.heading, y.heading);
        assert_eq!(squeeze(&x.markdown), squeeze(&y.markdown), "{}", x.heading);
    }
    // Paragraphs stay paragraphs: "（二）依申请公开情况" starts its own.
    let one = &a.body.sections[0].markdown;
    assert!(one.contains("\n\n（二）依申请公开情况。"), "{one}");
}

/// MinerU's shape: the same Markdown with each table written as one line of HTML.
fn with_html_tables(markdown: &str) -> String {
    let mut out = String::new();
    let mut table: Vec<String> = Vec::new();
    for line in markdown.lines().chain(std::iter::once("")) {
        if line.starts_with('|') {
            if !line.contains("数据1") && !line.contains("---") {
                let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
                let tds: String = cells
                    .iter()
                    .map(|c| format!("<td>{}</td>", c.trim()))
                    .collect();
                table.push(format!("<tr>{tds}</tr>"));
            }
            continue;
        }
        if !table.is_empty() {
            out.push_str(&format!("<table>{}</table>\n", table.concat()));
            table.clear();
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Issue 11.6, MinerU's shape: HTML tables inside the Markdown import with the same figures.
#[test]
fn markdown_with_html_tables_imports_like_the_text() {
    let md = std::fs::read_to_string(fixture("import/huaian-city-2024.md")).unwrap();
    let mineru = with_html_tables(&md);
    assert!(mineru.contains("<table><tr><td>信息内容</td>"));
    assert!(!mineru.contains("| 规章 |"));
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "mineru.md", &mineru, "2024");
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let imported = nianbao::load::load(dir.path()).unwrap().site;
    let expected = nianbao::load::load(&fixture("real")).unwrap().site;
    let a = imported.report("u", 2024).unwrap();
    assert_same_tables(a, expected.report("huaian", 2024).unwrap());
    assert_eq!(a.body.sections.len(), 6);
}

/// A converter that leaves only its invented `数据1…` headers (the tables' own header rows lost):
/// the figures are placed by position and the format told by the row labels.
#[test]
fn markdown_without_the_tables_own_headers_imports_by_position() {
    let md = std::fs::read_to_string(fixture("import/huaian-city-2024.md")).unwrap();
    let headers = [
        "| 信息内容",
        "| （本列数据",
        "|  |  |  | 自然人",
        "|  |  |  |  | 商业企业",
        "| 行政复议 |",
        "| 结果维持 |",
        "|  |  |  |  |  | 结 果维持",
    ];
    let garbled: String = md
        .lines()
        .filter(|l| !headers.iter().any(|h| l.starts_with(h)))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(md.lines().count() - garbled.lines().count(), 10);
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "garbled.md", &garbled, "2024");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let imported = nianbao::load::load(dir.path()).unwrap().site;
    let expected = nianbao::load::load(&fixture("real")).unwrap().site;
    assert_same_tables(
        imported.report("u", 2024).unwrap(),
        expected.report("huaian", 2024).unwrap(),
    );
}

/// A section really missing from converter Markdown is reported before the next section's
/// heading, the line where it belongs, not at a later one.
#[test]
fn a_missing_section_in_markdown_points_at_where_it_belongs() {
    let original = std::fs::read_to_string(fixture("import/huaian-city-2024.md")).unwrap();
    let broken = original.replace("## 三、收到和处理政府信息公开申请情况\n", "");
    assert_ne!(broken, original);
    let dir = tempfile::tempdir().unwrap();
    let out = import_text(dir.path(), "broken.md", &broken, "2024");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line = line_of(&broken, "## 四、政府信息公开行政复议");
    assert!(
        stderr.contains("找不到第三部分") && stderr.contains(&format!("broken.md:{line}:")),
        "{stderr}"
    );
    assert!(!dir.path().join("content/u/2024.md").exists());
}

/// The saved pages of a 年报 column, as a browser's "save page" or `wget --mirror` leaves them:
/// report pages and text, the list page, a report from before the national tables, an
/// attachment, an image, and a report with a letter in a number cell (refused).
fn column_pages(dir: &Path) -> PathBuf {
    let pages = dir.join("pages");
    std::fs::create_dir_all(pages.join("images")).unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(fixture(&format!("import/{from}")), pages.join(to)).unwrap();
    };
    copy("huaian-city-2024.md", "szfgs2024.md");
    copy("huaian-hongze-district-2023.txt", "hongze2023.txt");
    // A department of the city, imported in the same run: it goes under the city.
    let page = std::fs::read_to_string(fixture("import/portal-fagaiwei-2020.html")).unwrap();
    std::fs::write(
        pages.join("t20210125_fgw.html"),
        page.replace("某某县发展和改革委员会", "淮安市发展和改革委员会"),
    )
    .unwrap();
    let original =
        std::fs::read_to_string(fixture("import/huaian-hongze-district-2024.txt")).unwrap();
    let broken = original.replacen(
        "| 3.危及“三安全一稳定” | 1 | 0 |",
        "| 3.危及“三安全一稳定” | 1 | O |",
        1,
    );
    assert_ne!(broken, original);
    std::fs::write(pages.join("hongze2024.txt"), broken).unwrap();
    std::fs::write(
        pages.join("index.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政府信息公开年报_淮安市人民政府</title></head><body>\n<div class=\"nav\">首页</div><h2>政府信息公开年报</h2><ul>\n<li><a href=\"szfgs2024.html\">淮安市人民政府2024年政府信息公开工作年度报告</a></li>\n<li><a href=\"t2018.html\">淮安市人民政府2017年政府信息公开工作年度报告</a></li>\n</ul></body></html>\n",
    )
    .unwrap();
    std::fs::write(
        pages.join("t2018.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>淮安市人民政府2017年政府信息公开工作年度报告</title></head><body>\n<h1>淮安市人民政府2017年政府信息公开工作年度报告</h1>\n<p>一、概述</p><p>2017年，全市主动公开政府信息12345条。</p>\n<p>二、主动公开政府信息情况</p><p>略。</p></body></html>\n",
    )
    .unwrap();
    std::fs::write(pages.join("images/logo.png"), b"\x89PNG\r\n").unwrap();
    // A browser's "save page" keeps a page's frames and styles in "<page>_files".
    std::fs::create_dir_all(pages.join("t20210125_fgw_files")).unwrap();
    std::fs::write(
        pages.join("t20210125_fgw_files/share.html"),
        "<html><body><div>分享到：微信 微博</div></body></html>",
    )
    .unwrap();
    std::fs::write(pages.join("fj2024.pdf"), b"%PDF-1.4\n").unwrap();
    pages
}

/// Runs `nianbao import --root site pages [extra]` in `dir`, so that paths print relative.
fn import_column(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .current_dir(dir)
        .args(["import", "--root", "site", "pages"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("run nianbao")
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(files_under(&p));
        } else {
            v.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    v.sort();
    v
}

#[test]
fn a_column_folder_imports_every_report_with_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
    column_pages(dir.path());
    let out = import_column(dir.path(), &[]);
    // One page is refused: the exit status says so.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    insta::assert_snapshot!("column_import", stdout);

    let content = dir.path().join("site/content");
    let site = nianbao::load::load(&dir.path().join("site")).unwrap().site;
    // Units from the titles; the department nests under the city created in the same run.
    let city = site.unit("淮安市人民政府").unwrap();
    assert_eq!(city.kind.label(), "人民政府");
    let fgw = site.unit("淮安市人民政府/发展和改革委员会").unwrap();
    assert_eq!(fgw.name, "淮安市发展和改革委员会");
    assert_eq!(fgw.kind.label(), "部门");
    assert!(
        site.report("淮安市人民政府/发展和改革委员会", 2020)
            .is_some()
    );
    assert!(site.report("洪泽区人民政府", 2023).is_some());
    // Every figure as published: the same tables as the hand-typed fixture.
    let expected = nianbao::load::load(&fixture("real")).unwrap().site;
    assert_same_tables(
        site.report("淮安市人民政府", 2024).unwrap(),
        expected.report("huaian", 2024).unwrap(),
    );
    assert_same_tables(
        site.report("洪泽区人民政府", 2023).unwrap(),
        expected.report("huaian/hongze", 2023).unwrap(),
    );
    // Nothing is written for the refused page, nor for the list page, the 2017 report or the PDF.
    assert!(!content.join("洪泽区人民政府/2024.md").exists());
    assert_eq!(
        files_under(&content)
            .iter()
            .filter(|(p, _)| p.ends_with(".md"))
            .count(),
        6,
        "three reports and three units"
    );
}

#[test]
fn a_column_rerun_skips_what_is_there_and_force_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
    column_pages(dir.path());
    import_column(dir.path(), &[]);
    let content = dir.path().join("site/content");
    let report = content.join("淮安市人民政府/2024.md");
    // The user edits an imported report; a re-run must not undo that.
    let edited = format!(
        "{}\n<!-- 已核对 -->\n",
        std::fs::read_to_string(&report).unwrap()
    );
    std::fs::write(&report, &edited).unwrap();
    let before = files_under(&content);

    let out = import_column(dir.path(), &[]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the broken page is still refused"
    );
    assert!(stdout.contains("已导入 0，未导入 1，跳过 6"), "{stdout}");
    assert!(
        stdout.contains("content/淮安市人民政府/2024.md")
            && stdout.contains("已存在，没有覆盖（要替换加 --force）"),
        "{stdout}"
    );
    assert_eq!(files_under(&content), before, "a re-run changes nothing");

    // Without the broken page the run has nothing refused: exit 0.
    std::fs::remove_file(dir.path().join("pages/hongze2024.txt")).unwrap();
    let out = import_column(dir.path(), &["--force"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("已导入 3，未导入 0，跳过 3"), "{stdout}");
    assert!(!std::fs::read_to_string(&report).unwrap().contains("已核对"));
}

#[test]
fn a_column_goes_into_the_units_already_in_the_site() {
    let site = site_like(&fixture("real/content"));
    let root = site.path();
    std::fs::create_dir_all(root.join("site")).unwrap();
    let pages = column_pages(root);
    std::fs::remove_file(pages.join("hongze2024.txt")).unwrap();
    // The site is at `root`; run from there.
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .current_dir(root)
        .args(["import", "pages"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let loaded = nianbao::load::load(root).unwrap().site;
    // 淮安市人民政府 is `huaian`: its report and its department go there.
    assert!(loaded.report("huaian", 2024).is_some(), "{stdout}");
    assert!(
        loaded.report("huaian/发展和改革委员会", 2020).is_some(),
        "{stdout}"
    );
    assert!(stdout.contains("content/huaian/2024.md"), "{stdout}");
    // The 2023 title says "洪泽区人民政府"; the site's unit is "淮安市洪泽区人民政府": the same.
    assert!(loaded.report("huaian/hongze", 2023).is_some(), "{stdout}");
    assert!(!stdout.contains("新建单位（人民政府）"), "{stdout}");
}

/// The real portal pages (tests/fixtures/import/pages/) are told apart as a column import tells
/// them: each an annual report, with the year and the unit its title gives, and the unit's kind
/// guessed as the one that sets its deadline.
#[test]
fn real_pages_are_classified_by_their_titles() {
    use nianbao::import::column::{Page, classify};
    let want = [
        (
            "shanghai-bangongting-2019.html",
            2019,
            "上海市人民政府办公厅",
            "部门",
        ),
        ("shanghai-shi-2020.html", 2020, "上海市", "人民政府"),
        (
            "../portal-fagaiwei-2020.html",
            2020,
            "某某县发展和改革委员会",
            "部门",
        ),
    ];
    for (file, year, name, kind) in want {
        let bytes = std::fs::read(fixture(&format!("import/pages/{file}"))).unwrap();
        let (text, _) = nianbao::import::decode(&bytes, file).unwrap();
        let page = classify(&text, file).unwrap();
        let Page::Report { title, year: y, .. } = &page else {
            panic!("{file}: {page:?}")
        };
        assert_eq!(*y, year, "{file}");
        let unit = nianbao::import::unit::name_from_title(title, year);
        assert_eq!(unit.as_deref(), Some(name), "{file}: {title}");
        assert_eq!(
            nianbao::import::unit::guess_kind(name).label(),
            kind,
            "{file}"
        );
    }
}

/// Issue 11.8: an area run by a 管委会 publishes the area's own report, with the 31 March
/// deadline; the new unit's kind is guessed so, and the output says it is a guess and where to
/// correct it.
#[test]
fn an_area_report_gets_the_government_kind_as_a_stated_guess() {
    let original = std::fs::read_to_string(fixture("import/huaian-city-2024.txt")).unwrap();
    let area = original.replacen("淮安市人民政府\n2024 年", "某某综合实验区\n2024 年", 1);
    assert_ne!(area, original);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let input = dir.path().join("area.txt");
    std::fs::write(&input, &area).unwrap();
    let out = nianbao(&[
        "import",
        "--root",
        dir.path().to_str().unwrap(),
        "--unit",
        "syq",
        "--year",
        "2024",
        "--published",
        "2025-03-10",
        input.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("kind: 人民政府（按名称推断：“实验区”是由管委会管理的区域")
            && stdout.contains("这是推断，不对请改 content/syq/_index.md 中的 kind"),
        "{stdout}"
    );
    // Published in March: within the 人民政府 deadline, so no deadline warning.
    assert!(!stdout.contains("[deadline]"), "{stdout}");
    let site = nianbao::load::load(dir.path()).unwrap().site;
    assert_eq!(site.unit("syq").unwrap().name, "某某综合实验区");
    assert_eq!(site.unit("syq").unwrap().kind.label(), "人民政府");
}

/// A mirror keeps one report under two names, and a region's title names it with and without
/// its 管委会: one unit, one report, the second copy skipped.
#[test]
fn a_column_imports_one_report_once_and_one_unit_under_two_names_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let md = std::fs::read_to_string(fixture("import/huaian-city-2024.md")).unwrap();
    let area = md.replacen("# 淮安市人民政府2024 年", "# 某某综合实验区2024 年", 1);
    assert_ne!(area, md);
    std::fs::write(pages.join("a.md"), &area).unwrap();
    std::fs::write(pages.join("a-copy.md"), &area).unwrap();
    let board = md.replacen(
        "# 淮安市人民政府2024 年",
        "# 某某综合实验区管委会2023 年",
        1,
    );
    std::fs::write(pages.join("b.md"), board.replace("2024", "2023")).unwrap();
    let out = import_column(dir.path(), &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("已导入 2，未导入 0，跳过 1"), "{stdout}");
    assert!(
        stdout.contains("与 pages/a-copy.md 是同一单位同一年度的报告"),
        "{stdout}"
    );
    let site = nianbao::load::load(&dir.path().join("site")).unwrap().site;
    assert_eq!(site.units.len(), 1, "{stdout}");
    assert!(site.report("某某综合实验区", 2024).is_some(), "{stdout}");
    assert!(site.report("某某综合实验区", 2023).is_some(), "{stdout}");
    assert_eq!(
        site.unit("某某综合实验区").unwrap().kind.label(),
        "人民政府"
    );
}

#[test]
fn a_folder_with_unit_and_year_says_how_to_import_a_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
    column_pages(dir.path());
    let out = import_column(dir.path(), &["--unit", "u", "--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("pages 是文件夹") && stderr.contains("不写 --unit 和 --year"),
        "{stderr}"
    );
    assert!(!dir.path().join("site/content/u").exists());
}

/// `nianbao import .` from the site's root reads the saved pages, never the site's own sources
/// or a built site.
#[test]
fn a_column_import_of_the_site_root_leaves_its_own_files_alone() {
    let site = site_like(&fixture("real/content"));
    let root = site.path();
    let pages = column_pages(root);
    std::fs::remove_file(pages.join("hongze2024.txt")).unwrap();
    let public = root.join("public");
    std::fs::create_dir_all(&public).unwrap();
    std::fs::write(public.join(".nianbao-output"), "").unwrap();
    std::fs::copy(
        fixture("import/portal-fagaiwei-2020.html"),
        public.join("index.html"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .current_dir(root)
        .args(["import", "."])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.starts_with("导入 6 个文件：已导入 3"), "{stdout}");
    assert!(
        !stdout.contains("./content/") && !stdout.contains("./public/"),
        "{stdout}"
    );
}
