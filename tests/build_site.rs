//! Whole-site build tests on the bundled example and the real fixtures.

mod common;

use common::*;
use nianbao::build::{BuildError, BuildOptions, build_to_disk};
use std::path::Path;

fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    build_to_disk(root, &out, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("build failed: {e:?}"));
    out
}

#[test]
fn every_page_of_site_md_is_written() {
    let site = example_site();
    let out = build(site.path());
    for f in [
        "index.html",
        "2024/index.html",
        "2023/index.html",
        "2020/index.html",
        "huaian/index.html",
        "huaian/hongze/index.html",
        "xiangcheng/huayuan/index.html",
        "huaian/2024/index.html",
        "xiangcheng/huayuan/2020/index.html",
        "data/reports.csv",
        "data/reports.json",
        "search/index.html",
        "search/index.js",
        "sitemap.xml",
        "atom.xml",
        "404.html",
        "static/style.css",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    // The wide open data replaces the per-report data files; the fragment is written only
    // when the site asks for it (`fragments_are_written_when_the_site_asks_for_them`).
    for f in [
        "huaian/2024/report.json",
        "huaian/2024/report.csv",
        "huaian/2024/fragment.html",
    ] {
        assert!(!out.join(f).exists(), "{f} written");
    }
}

/// `fragments: true` writes every report's `fragment.html` and links it from the report page;
/// without it there is none and no link, and `nianbao fragment` prints the same fragment.
#[test]
fn fragments_are_written_when_the_site_asks_for_them() {
    let site = example_site();
    let out = build(site.path());
    let page = read(&out.join("huaian/2024/index.html"));
    assert!(!page.contains("fragment.html"), "no link to a missing file");
    let printed = nianbao()
        .args(["fragment", "--root"])
        .arg(site.path())
        .args(["huaian", "2024"])
        .output()
        .unwrap();
    assert!(printed.status.success(), "{printed:?}");
    let printed = String::from_utf8(printed.stdout).unwrap();
    assert!(
        printed.starts_with("<div class=\"nianbao-report\""),
        "{printed}"
    );
    assert!(printed.contains("style=\"border-collapse:collapse;"));
    assert!(printed.contains(">3119<"), "the report's figures");

    let settings = site.path().join("content/_index.md");
    std::fs::write(
        &settings,
        read(&settings).replacen("---\n", "---\nfragments: true\n", 1),
    )
    .unwrap();
    let out = build(site.path());
    let page = read(&out.join("huaian/2024/index.html"));
    assert!(page.contains("<a href=\"fragment.html\">"));
    assert_eq!(read(&out.join("huaian/2024/fragment.html")), printed);
    assert!(out.join("xiangcheng/huayuan/2020/fragment.html").is_file());
}

/// A wrong `fragments` value, an unknown report and an unknown unit are told, with what to do.
#[test]
fn fragment_command_and_setting_errors_say_what_to_do() {
    let site = example_site();
    let run = |args: &[&str]| {
        let o = nianbao()
            .arg("fragment")
            .arg("--root")
            .arg(site.path())
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8(o.stderr).unwrap(),
            o.stdout,
        )
    };
    let (code, err, out) = run(&["huaian", "2019"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("没有报告 content/huaian/2019.md") && err.contains("2024"),
        "{err}"
    );
    assert!(out.is_empty());
    let (code, err, _) = run(&["nowhere", "2024"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("没有单位 content/nowhere/"), "{err}");

    let settings = site.path().join("content/_index.md");
    std::fs::write(
        &settings,
        read(&settings).replacen("---\n", "---\nfragments: 是\n", 1),
    )
    .unwrap();
    let o = nianbao()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap() + &String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("content/_index.md:2"), "{err}");
    assert!(err.contains("`fragments` 应为 true 或 false"), "{err}");
}

#[test]
fn report_page_lays_out_the_official_tables() {
    let site = real_site();
    let out = build_fixture_with_ack(site.path());
    let html = read(&out.join("huaian/2024/index.html"));
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("淮安市人民政府2024年政府信息公开工作年度报告"));
    assert!(html.contains("2025-02-25"), "发布日期 shown");
    for label in [
        "第二十条第（一）项",
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
        nianbao::content::format::T3_CORNER,
        "申请人情况",
        "法人或其他组织",
        "三、本年度办理结果",
        "（三）不予公开",
        "3.危及“三安全一稳定”",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "四、结转下年度继续办理",
        "未经复议直接起诉",
        "复议后起诉",
    ] {
        assert!(html.contains(label), "missing label {label}");
    }
    // Figures exactly as written.
    assert!(html.contains(">96171.6<"));
    assert!(html.contains(">3985758<"));
    // Merged headers.
    assert!(
        html.contains(r#"rowspan="3" colspan="3""#) || html.contains(r#"colspan="3" rowspan="3""#)
    );
    // Sections in official order.
    let order: Vec<usize> = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、",
        "六、其他需要报告的事项",
    ]
    .iter()
    .map(|h| html.find(h).unwrap_or_else(|| panic!("no {h}")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "sections out of order: {order:?}"
    );
}

/// The real fixtures contain a report with T4-total errors; acknowledge them so it builds.
fn build_fixture_with_ack(root: &Path) -> std::path::PathBuf {
    let p = root.join("content/huaian/hongze/2023.md");
    let text = read(&p).replacen(
        "format: 2021\n",
        "format: 2021\nacknowledged: [{rule: T4-total, note: 原文如此：总计栏与各项之和不符}]\n",
        1,
    );
    std::fs::write(&p, text).unwrap();
    let p = root.join("content/huaian/hongze/2024.md");
    let text = read(&p).replacen(
        "format: 2021\n",
        "format: 2021\nacknowledged: [{rule: narrative, note: 原文如此：正文与表三不符}]\n",
        1,
    );
    std::fs::write(&p, text).unwrap();
    build(root)
}

#[test]
fn acknowledged_findings_show_their_note_beside_the_figure() {
    let site = real_site();
    let out = build_fixture_with_ack(site.path());
    let html = read(&out.join("huaian/hongze/2023/index.html"));
    assert!(html.contains("原文如此：总计栏与各项之和不符"));
    assert!(html.contains("ack-1"), "figure links to its note");
    assert_eq!(
        html.matches("class=\"ack\"").count(),
        2,
        "the two wrong 总计 cells are marked"
    );
}

#[test]
fn unit_page_has_year_over_year_figures_and_charts() {
    let site = example_site();
    let out = build(site.path());
    let html = read(&out.join("huaian/hongze/index.html"));
    assert!(html.contains("2023") && html.contains("2024"));
    assert!(html.contains("<svg"), "chart drawn at build time");
    // 本年新收申请 21 → 95: change +74.
    assert!(html.contains("+74"), "change against previous year");
    let home = read(&out.join("index.html"));
    let i2024 = home.find("2024").unwrap();
    let i2020 = home.find("2020").unwrap();
    assert!(i2024 < i2020, "latest year first");
}

#[test]
fn region_totals_are_computed_and_list_their_reports() {
    let site = example_site();
    let out = build(site.path());
    let html = read(&out.join("2024/index.html"));
    // 淮安市 3119 + 洪泽区 95 applications.
    assert!(
        html.contains("3214"),
        "sum of 本年新收 over the 淮安 subtree"
    );
    assert!(html.contains("合计"));
}

#[test]
fn every_link_is_relative_and_resolves() {
    let site = example_site();
    let out = build(site.path());
    let files = snapshot(&out);
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(path).parent().unwrap();
        for link in links(&html) {
            if link.starts_with("https://beian.miit.gov.cn")
                || link.starts_with('#')
                || link.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !link.starts_with('/') && !link.contains("://"),
                "{path}: non-relative link {link}"
            );
            let target = link.split(['#', '?']).next().unwrap();
            if target.is_empty() {
                continue;
            }
            let resolved = normalize(&dir.join(target));
            assert!(
                files.contains_key(&resolved),
                "{path}: broken link {link} → {resolved}"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_are_byte_identical() {
    let site = example_site();
    let a = site.path().join("a");
    let b = site.path().join("b");
    build_to_disk(site.path(), &a, &BuildOptions::default()).unwrap();
    build_to_disk(site.path(), &b, &BuildOptions::default()).unwrap();
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between builds");
    }
}

#[test]
fn a_broken_report_leaves_the_previous_output_intact() {
    let site = example_site();
    let out = build(site.path());
    let before = snapshot(&out);
    let p = site.path().join("content/huaian/2024.md");
    std::fs::write(
        &p,
        read(&p).replace("new:             [3001", "new:             [3000"),
    )
    .unwrap();
    match build_to_disk(site.path(), &out, &BuildOptions::default()) {
        Err(BuildError::Findings { findings: d, .. }) => {
            assert!(d.iter().any(|d| d.code == "T3-row-total"))
        }
        other => panic!("expected findings, got {:?}", other.map(|_| ())),
    }
    assert_eq!(
        snapshot(&out),
        before,
        "output changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("nianbao-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn a_folder_nianbao_did_not_create_is_never_replaced() {
    let site = example_site();
    let out = site.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("important.doc"), "别删我").unwrap();
    assert!(matches!(
        build_to_disk(site.path(), &out, &BuildOptions::default()),
        Err(BuildError::Output(_))
    ));
    assert_eq!(read(&out.join("important.doc")), "别删我");
    // The site root itself is refused even with --force.
    let force = BuildOptions {
        force: true,
        ..Default::default()
    };
    assert!(matches!(
        build_to_disk(site.path(), site.path(), &force),
        Err(BuildError::Output(_))
    ));
    assert!(site.path().join("content/_index.md").exists());
    // With --force an ordinary folder is replaced.
    build_to_disk(site.path(), &out, &force).unwrap();
    assert!(!out.join("important.doc").exists());
    assert!(out.join("index.html").exists());
}

#[test]
fn drafts_are_checked_but_not_published() {
    let site = example_site();
    let p = site.path().join("content/huaian/2024.md");
    std::fs::write(
        &p,
        read(&p).replacen("year: 2024\n", "year: 2024\ndraft: true\n", 1),
    )
    .unwrap();
    let out = build(site.path());
    assert!(!out.join("huaian/2024/index.html").exists());
    let csv = read(&out.join("data/reports.csv"));
    assert!(
        csv.contains("\nhuaian/hongze,"),
        "other reports are published"
    );
    assert!(!csv.contains("\nhuaian,"), "{csv}");
}

#[test]
fn a_site_template_overrides_the_theme_and_errors_name_the_file_and_line() {
    let site = example_site();
    let t = site.path().join("templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("404.html"), "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>x</title></head><body>自定义404</body></html>").unwrap();
    let out = build(site.path());
    assert!(read(&out.join("404.html")).contains("自定义404"));
    std::fs::write(t.join("404.html"), "<p>\n{% if %}\n</p>").unwrap();
    match build_to_disk(site.path(), &out, &BuildOptions::default()) {
        Err(BuildError::Findings { findings: d, .. }) => {
            // The content's warnings come along, as with errors in the content.
            let t = d.iter().find(|d| d.is_error()).unwrap();
            assert_eq!(t.code, "template");
            assert_eq!(t.file, "templates/404.html");
            assert_eq!(t.line, 2);
        }
        other => panic!("expected a template finding, got {:?}", other.map(|_| ())),
    }
}

/// The open data is one wide table: a header naming every column in Chinese, one row per
/// published report, each figure under its column; the JSON has the same columns once and the
/// same rows.
#[test]
fn open_data_is_one_wide_table_that_opens_in_excel() {
    let site = example_site();
    let out = build(site.path());
    let bytes = std::fs::read(out.join("data/reports.csv")).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM for Excel"
    );
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 4, "one row per published report");
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
    };
    let new_total = col("表三·一、本年新收政府信息公开申请数量·总计");
    let row = |unit: &str, year: &str| {
        rows.iter()
            .find(|r| r[col("单位路径")] == unit && r[col("年度")] == year)
            .unwrap_or_else(|| panic!("no row {unit} {year}"))
    };
    let huaian = row("huaian", "2024");
    assert_eq!(huaian[new_total], "3119");
    assert_eq!(huaian[col("单位名称")], "淮安市人民政府");
    assert_eq!(huaian[col("报告格式")], "2021");
    assert_eq!(huaian[col("链接")], "huaian/2024/index.html");
    assert!(out.join(&huaian[col("链接")]).is_file());
    // A 2020 report (format 2019) has no 2021-only column, and its own figures where they are.
    let huayuan = row("xiangcheng/huayuan", "2020");
    assert_eq!(huayuan[col("报告格式")], "2019");
    assert_eq!(huayuan[col("上级单位")], "项城市人民政府");
    assert_eq!(huayuan[col("表二·行政许可·本年处理决定数量")], "");
    assert!(
        huayuan[col("表三·一、本年新收政府信息公开申请数量·自然人")]
            .parse::<u32>()
            .is_ok()
    );

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/reports.json")).unwrap()).unwrap();
    let columns: Vec<&str> = json["列"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(columns, header);
    let json_rows = json["行"].as_array().unwrap();
    assert_eq!(json_rows.len(), 4);
    let huaian = json_rows
        .iter()
        .find(|r| r[0] == "huaian" && r[col("年度")] == 2024)
        .unwrap();
    assert_eq!(huaian[new_total], 3119, "figures are numbers");
    let huayuan = json_rows
        .iter()
        .find(|r| r[0] == "xiangcheng/huayuan")
        .unwrap();
    assert!(huayuan[col("表二·行政许可·本年处理决定数量")].is_null());
    // Compact: not pretty-printed, no label repeated per cell.
    let text = read(&out.join("data/reports.json"));
    assert_eq!(
        text.matches("自然人").count(),
        header.iter().filter(|h| h.contains("自然人")).count()
    );
    assert!(!text.contains("  "));
}

#[test]
fn base_url_gives_absolute_sitemap_and_feed_but_relative_pages() {
    let site = example_site();
    let out = site.path().join("public");
    let opts = BuildOptions {
        base_url: Some("https://www.example.gov.cn/zwgk/zfxxgknb".into()),
        ..Default::default()
    };
    build_to_disk(site.path(), &out, &opts).unwrap();
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://www.example.gov.cn/zwgk/zfxxgknb/huaian/2024/</loc>"));
    let feed = read(&out.join("atom.xml"));
    assert!(feed.find("淮安市洪泽区人民政府2024").is_some());
    let page = read(&out.join("huaian/2024/index.html"));
    assert!(page.contains(r#"href="../../static/style.css""#));
    assert!(
        page.contains("www.example.gov.cn"),
        "SiteDomain / canonical from base_url"
    );
}

#[test]
fn cli_build_exit_codes_and_messages() {
    let site = example_site();
    let ok = nianbao()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains("已生成网站：4 份报告"));
    let p = site.path().join("content/huaian/2024.md");
    std::fs::write(
        &p,
        read(&p).replace(
            "review:                  [72",
            "review:                  [70",
        ),
    )
    .unwrap();
    let bad = nianbao()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("error[T4-total]"), "{err}");
    assert!(err.contains("网站没有生成"), "{err}");
    let none = nianbao()
        .args(["build", "--root", "/nonexistent-nianbao"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
}

/// Every relative `href`/`src` of every page, and every sitemap `<loc>` and feed link below
/// `base`, percent-decoded as a browser does, must name a file of `out`.
fn broken_links(out: &Path, base: &str) -> (Vec<String>, usize) {
    let files = snapshot(out);
    let mut broken = Vec::new();
    let mut checked = 0;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
    };
    let mut check = |from: &str, dir: &Path, link: &str| {
        // A raw space, `#` or `?` of a folder name is cut here as a browser cuts it.
        let target = link.split(['#', '?']).next().unwrap();
        if target.is_empty() {
            return;
        }
        checked += 1;
        let ok = decode(target).is_ok_and(|t| {
            let resolved = normalize(&dir.join(&t));
            let resolved = if t.ends_with('/') || t.is_empty() {
                format!("{resolved}/index.html")
                    .trim_start_matches('/')
                    .to_string()
            } else {
                resolved
            };
            files.contains_key(&resolved)
        });
        if !ok {
            broken.push(format!("{from}: {link}"));
        }
    };
    let doc_link = regex::Regex::new(r#""u":"([^"]*)""#).unwrap();
    let xml_link = regex::Regex::new(r#"(?:<loc>|href=")([^<"]*)"#).unwrap();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") && path != "404.html" {
            let dir = Path::new(path).parent().unwrap();
            for link in links(&text) {
                if let Some(rest) = link.strip_prefix(base) {
                    check(path, Path::new(""), rest);
                } else if !(link.starts_with('#')
                    || link.contains("://")
                    || link.starts_with("mailto:"))
                {
                    check(path, dir, &link);
                }
            }
        } else if path.starts_with("search/") && path.ends_with(".js") {
            for c in doc_link.captures_iter(&text) {
                check(path, Path::new(""), &c[1]);
            }
        } else if path == "sitemap.xml" || path == "atom.xml" {
            for c in xml_link.captures_iter(&text) {
                let url = c[1].replace("&amp;", "&");
                if let Some(rest) = url.strip_prefix(base) {
                    check(path, Path::new(""), rest);
                }
            }
        }
    }
    (broken, checked)
}

#[test]
fn links_to_unit_folders_with_space_hash_question_mark_and_percent_resolve() {
    let site = example_site();
    let content = site.path().join("content/xiangcheng");
    std::fs::rename(content.join("huayuan"), content.join("花 园#1?x%20y")).unwrap();
    let out = site.path().join("public");
    let base = "https://www.example.gov.cn/nb/";
    let opts = BuildOptions {
        base_url: Some(base.into()),
        ..Default::default()
    };
    build_to_disk(site.path(), &out, &opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    assert!(
        out.join("xiangcheng/花 园#1?x%20y/2020/index.html")
            .is_file()
    );
    let (broken, checked) = broken_links(&out, base);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 50, "only {checked} links checked");
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://www.example.gov.cn/nb/xiangcheng/%E8%8A%B1%20%E5%9B%AD%231%3Fx%2520y/2020/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_successful_build_folds_a_blank_row_into_one_warning() {
    let site = real_site_without_errors();
    let hongze = site.path().join("content/huaian/hongze/2023.md");
    std::fs::write(
        &hongze,
        read(&hongze).replace(
            "carried_forward: [0, 0, 0, 0, 0, 0, 0]",
            "carried_forward: [~, ~, ~, ~, ~, ~, ~]",
        ),
    )
    .unwrap();
    let o = nianbao()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert_eq!(err.matches("warning[blank-cell]").count(), 1, "{err}");
    assert!(
        err.contains("表三·四、结转下年度继续办理·7 个单元格为空白（自然人、"),
        "{err}"
    );
    // The count in the last line is of cells, as `check --format json` lists them.
    assert!(err.contains("9 个警告"), "{err}");
    assert!(!err.contains("有错误的文件"), "{err}");
}

/// The real fixtures with their two T4-total errors fixed.
fn real_site_without_errors() -> tempfile::TempDir {
    let site = real_site();
    let hongze = site.path().join("content/huaian/hongze/2023.md");
    std::fs::write(
        &hongze,
        read(&hongze)
            .replace("[10, 1, 0, 0, 0]", "[10, 1, 0, 0, 11]")
            .replace("[5, 0, 0, 0, 0]", "[5, 0, 0, 0, 5]"),
    )
    .unwrap();
    site
}

#[test]
fn a_build_failing_only_on_an_unreadable_file_says_fix_it_without_acknowledged() {
    let site = real_site_without_errors();
    let p = site.path().join("content/huaian/2024.md");
    std::fs::write(&p, read(&p).replacen("year: 2024", "year: [2024", 1)).unwrap();
    let o = nianbao()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let tail = err.split("有错误的文件：").nth(1).expect("closing block");
    assert!(tail.contains("content/huaian/2024.md：1 个错误"), "{tail}");
    assert!(!tail.contains("hongze"), "{tail}");
    // A file nianbao cannot read is fixed, never acknowledged.
    assert!(tail.contains("改正这些错误"), "{tail}");
    assert!(!tail.contains("acknowledged"), "{tail}");
    assert!(tail.trim_end().ends_with("保持原样"), "{tail}");
}

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

/// Lean output on a generated site of 300 reports (150 units, 2 years): no HTML page is larger
/// than a bound set by the list page size (the lists are paged, so no page grows with the
/// site), no list page shows more than a page of reports, every list page is in the sitemap,
/// and the whole output stays under 45 KB per report (the issue's budget is 50 KB at 5,000).
#[test]
fn a_large_site_has_paged_lists_and_lean_output() {
    use nianbao::render::{PAGE_SIZE, page_file};
    let dir = tempfile::tempdir().unwrap();
    let reports = corpus::write_corpus(dir.path(), 150, 2024..=2025).unwrap();
    assert_eq!(reports, 300);
    let out = build(dir.path());

    let files = snapshot(&out);
    let total: u64 = files.values().map(|b| b.len() as u64).sum();
    let largest = files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, b)| (b.len() as u64, name.clone()))
        .max()
        .unwrap();
    let bound = 64 * 1024 + PAGE_SIZE as u64 * 1024;
    assert!(
        largest.0 <= bound,
        "{} is {} bytes (bound {bound})",
        largest.1,
        largest.0
    );
    let per_report = total / reports as u64;
    assert!(per_report <= 45 * 1024, "{per_report} bytes per report");

    // Home: 300 reports on 3 pages; each year: 150 on 2.
    let sitemap = read(&out.join("sitemap.xml"));
    for (list, pages) in [("", 3), ("2024/", 2), ("2025/", 2)] {
        for n in 0..pages {
            let path = format!("{list}{}", page_file(n));
            let html = read(&out.join(&path));
            let rows = html.matches("<td class=\"title\">").count();
            assert!(rows > 0 && rows <= PAGE_SIZE, "{path}: {rows} reports");
            assert!(
                html.contains(&format!("第{}页，共{pages}页", n + 1)),
                "{path}"
            );
            if n > 0 {
                assert!(
                    sitemap.contains(&format!("{path}</loc>")),
                    "{path} not in sitemap"
                );
            }
        }
        assert!(!out.join(format!("{list}{}", page_file(pages))).exists());
    }
}

/// Early in a year most units have not published yet: at province scale that list alone would
/// be a page of megabytes. Past a page of them they get their own paged list
/// (`<year>/missing.html`, `missing_1.html`), linked from the year's first page and the home
/// page, each unit listed once.
#[test]
fn many_units_yet_to_publish_get_their_own_pages() {
    use nianbao::render::PAGE_SIZE;
    let dir = tempfile::tempdir().unwrap();
    corpus::write_corpus(dir.path(), 150, 2024..=2025).unwrap();
    let mut latest: Vec<std::path::PathBuf> = snapshot(&dir.path().join("content"))
        .into_keys()
        .filter(|f| f.ends_with("/2025.md"))
        .map(|f| dir.path().join("content").join(f))
        .collect();
    latest.sort();
    for f in &latest[30..] {
        std::fs::remove_file(f).unwrap();
    }
    let out = build(dir.path());

    let year = read(&out.join("2025/index.html"));
    assert!(
        year.contains("共120个单位，见<a href=\"missing.html\">"),
        "{year}"
    );
    assert!(
        !year.contains("missing-list"),
        "not listed on the year page"
    );
    let home = read(&out.join("index.html"));
    assert!(home.contains("共120个单位，见<a href=\"./2025/missing.html\">"));
    let mut listed = Vec::new();
    for (file, n) in [
        ("missing.html", PAGE_SIZE),
        ("missing_1.html", 120 - PAGE_SIZE),
    ] {
        let html = read(&out.join("2025").join(file));
        let units: Vec<&str> = html
            .split("<li><a href=\"")
            .skip(1)
            .filter(|s| s.contains("badge-late"))
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(units.len(), n, "{file}");
        listed.extend(units.into_iter().map(String::from));
        assert!(
            html.contains("第") && html.contains("共2页"),
            "{file} has a pager"
        );
    }
    listed.sort();
    listed.dedup();
    assert_eq!(listed.len(), 120, "each unit once");
    assert!(!out.join("2025/missing_2.html").exists());
    assert!(!out.join("2024/missing.html").exists(), "2024 is complete");
    assert!(read(&out.join("sitemap.xml")).contains("2025/missing_1.html</loc>"));
}

/// `nianbao build` with stderr on a pseudo-terminal (`script` from util-linux), `env` changed
/// as given; `None` when `script` is not installed. Returns everything the terminal showed.
fn build_in_a_terminal(root: &Path, env: &[(&str, &str)]) -> Option<(bool, String)> {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return None;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let cmd = format!(
        "{} build --root {}",
        quote(env!("CARGO_BIN_EXE_nianbao")),
        quote(&root.to_string_lossy())
    );
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &cmd, "/dev/null"]);
    script
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .env_remove("CI");
    for (k, v) in env {
        script.env(k, v);
    }
    let o = script.stdin(std::process::Stdio::null()).output().unwrap();
    Some((
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    ))
}

#[test]
fn a_build_in_a_terminal_shows_progress_then_the_closing_line() {
    let site = example_site();
    let Some((ok, shown)) = build_in_a_terminal(site.path(), &[]) else {
        return;
    };
    assert!(ok, "{shown}");
    let bar = shown
        .find("生成网站 [")
        .unwrap_or_else(|| panic!("no bar: {shown:?}"));
    assert!(shown[bar..].contains("4/4 份报告"), "{shown:?}");
    let closing = shown
        .find("已生成网站：4 份报告")
        .unwrap_or_else(|| panic!("no closing line: {shown:?}"));
    assert!(bar < closing, "{shown:?}");
    // The bar is erased before the closing line: the line is not drawn over the bar's text.
    assert!(shown[bar..closing].contains("\x1b["), "{shown:?}");

    // Not for CI logs, a dumb terminal, or NO_COLOR.
    for env in [("CI", "true"), ("TERM", "dumb"), ("NO_COLOR", "1")] {
        let (ok, shown) = build_in_a_terminal(site.path(), &[env]).unwrap();
        assert!(ok, "{shown}");
        assert!(!shown.contains("生成网站 ["), "{env:?}: {shown:?}");
        assert!(shown.contains("已生成网站：4 份报告"), "{env:?}: {shown:?}");
    }
}

#[test]
fn a_build_whose_stderr_is_not_a_terminal_shows_no_progress() {
    let site = example_site();
    let o = nianbao()
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("已生成网站：4 份报告"), "{err:?}");
    assert!(
        !err.contains("生成网站 [") && !err.contains('\x1b') && !err.contains('\r'),
        "{err:?}"
    );
}
