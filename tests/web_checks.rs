//! The built example checked by the tools inspectors and users have: the Nu HTML Checker,
//! axe-core in headless Chromium, and a link crawl at the root, under a sub-path and as files.
//! Also `search.js` in the browser: matching and ranking on an index of known documents.
//!
//! CI installs the tools and sets NIANBAO_WEB_TESTS=1 (.ci/run). Elsewhere `build.rs` sets
//! `cfg(web_tools)` only when Chromium, java and `npm ci`'s tools are all installed; without
//! them these tests are compiled as ignored, with the reason, so `cargo test` reports them as
//! ignored rather than as passed.

mod common;

use common::*;
use nianbao::build::{BuildOptions, build_to_disk};
use std::process::Command;

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

/// A generated site large enough to page its lists: 150 units, 2 years, 300 reports (home on
/// 3 pages, each year on 2).
fn built_corpus() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = tempfile::tempdir().unwrap();
    assert_eq!(
        corpus::write_corpus(site.path(), 150, 2024..=2025).unwrap(),
        300
    );
    let out = site.path().join("public");
    build_to_disk(site.path(), &out, &BuildOptions::default()).unwrap();
    (site, out)
}

/// The example with `fragments: true`, so the CMS fragments are checked and crawled too.
fn built_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = example_site();
    let settings = site.path().join("content/_index.md");
    std::fs::write(
        &settings,
        read(&settings).replacen("---\n", "---\nfragments: true\n", 1),
    )
    .unwrap();
    let out = site.path().join("public");
    build_to_disk(site.path(), &out, &BuildOptions::default()).unwrap();
    (site, out)
}

fn run(cmd: &mut Command) {
    let out = cmd
        .current_dir(manifest_dir())
        .output()
        .expect("start the check tool");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "check failed:\n{text}");
}

#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium、Java 和 npm ci 装好的检查工具；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn nu_html_checker_reports_no_error() {
    let (_site, out) = built_example();
    run(Command::new("bash").arg("tests/web/vnu.sh").arg(&out));
}

#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium、Java 和 npm ci 装好的检查工具；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn axe_reports_no_violation_on_each_kind_of_page() {
    let (_site, out) = built_example();
    run(Command::new("node")
        .args(["tests/web/axe.mjs"])
        .arg(&out)
        .args([
            "/",
            "2024/",
            "huaian/",
            "huaian/hongze/",
            "huaian/hongze/2023/",
            "xiangcheng/huayuan/2020/",
            "search/",
            "404.html",
            "--reflow",
        ]));
}

#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium、Java 和 npm ci 装好的检查工具；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn no_broken_link_at_the_root_under_a_sub_path_or_as_files() {
    let (_site, out) = built_example();
    run(Command::new("node")
        .args(["tests/web/links.mjs"])
        .arg(&out)
        .arg("--file-urls"));
}

#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium 和 npm ci 装好的 playwright-core；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn search_matches_every_bigram_and_ranks_title_hits_first() {
    let (_site, out) = built_example();
    run(Command::new("node")
        .args(["tests/web/search.mjs"])
        .arg(&out));
}

/// The paged lists in the browser, from file://: 下一页 and the page numbers reach every page,
/// every report appears exactly once across a list's pages, the totals are on page 1; axe-core
/// finds nothing on a later page of the home and year lists.
#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium、Java 和 npm ci 装好的检查工具；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn paged_lists_reach_every_report_once_from_file_urls() {
    let (_site, out) = built_corpus();
    for (list, reports) in [("", "300"), ("2025/", "150"), ("2024/", "150")] {
        run(Command::new("node")
            .args(["tests/web/pager.mjs"])
            .arg(&out)
            .args([list, reports]));
    }
    run(Command::new("node")
        .args(["tests/web/axe.mjs"])
        .arg(&out)
        .args([
            "/",
            "index_1.html",
            "2025/",
            "2025/index_1.html",
            "--reflow",
        ]));
}

/// An editor's view of a new site: the YAML language server, driven over LSP like VS Code's
/// YAML extension, reads the schema that `init` kept through the report's first line and
/// completes, explains and flags as the staffer types.
#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 node 和 npm ci 装好的 yaml-language-server；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn a_new_site_gives_completion_and_checks_in_the_yaml_language_server() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = nianbao()
        .args(["init", "--year", "2024"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(Command::new("node")
        .args(["tests/web/yaml_ls.mjs"])
        .arg(&site)
        .arg("content/benji/2024.md"));
}
