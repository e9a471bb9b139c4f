//! The built example checked by the tools inspectors and users have: the Nu HTML Checker,
//! axe-core in headless Chromium, and a link crawl at the root, under a sub-path and as files.
//! Also `search.js` in the browser: matching and ranking on an index of known documents, and
//! on a generated site the same results as scanning every report's text, loading few bytes.
//!
//! CI installs the tools and sets NIANBAO_WEB_TESTS=1 (.ci/run). Elsewhere `build.rs` sets
//! `cfg(web_tools)` only when Chromium, java and `npm ci`'s tools are all installed; without
//! them these tests are compiled as ignored, with the reason, so `cargo test` reports them as
//! ignored rather than as passed.

mod common;

use common::*;
use nianbao::build::{BuildOptions, build_to_disk};
use nianbao::render::search::{self, Doc};
use nianbao::render::{Data, Sink};
use std::path::Path;
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
    let (site, out) = built_example();
    // Copies of the site whose index is made of known documents by nianbao's index writer.
    let with_index = |name: &str, docs: &[Doc]| {
        let dir = site.path().join(name);
        copy_dir(&out, &dir);
        // All of the index, not the page.
        for e in std::fs::read_dir(dir.join("search")).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                std::fs::remove_dir_all(path).unwrap();
            } else if !path.ends_with("index.html") {
                std::fs::remove_file(path).unwrap();
            }
        }
        search::write_all(docs, &Folder(&dir)).unwrap();
        dir
    };
    let known: Vec<Doc> = serde_json::from_str(
        &std::fs::read_to_string(manifest_dir().join("tests/web/search_docs.json")).unwrap(),
    )
    .unwrap();
    let many: Vec<Doc> = (0..205)
        .map(|i| Doc {
            t: format!("单位{i}报告"),
            u: format!("u{i}/2024/index.html"),
            y: 2024,
            n: format!("单位{i}"),
            x: "政务公开".into(),
        })
        .collect();
    let known = with_index("known", &known);
    let many = with_index("many", &many);
    run(Command::new("node")
        .args(["tests/web/search.mjs"])
        .arg(&out)
        .arg(&known)
        .arg(&many));
}

/// A folder as the sink of [`search::write_all`].
struct Folder<'a>(&'a Path);

impl Sink for Folder<'_> {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        let target = self.0.join(path);
        std::fs::create_dir_all(target.parent().unwrap())?;
        match data {
            Data::Bytes(b) => std::fs::write(target, b),
            Data::Copy(src) => std::fs::copy(src, target).map(drop),
        }
    }
}

/// On a generated site (120 reports), every query lists exactly the reports, in exactly the
/// order, that scanning every report's title and text finds (the ranking before the index was
/// sharded), while loading a few shards and only the documents shown.
#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium 和 npm ci 装好的 playwright-core；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn sharded_search_finds_and_ranks_as_a_full_scan_and_loads_little() {
    let site = tempfile::tempdir().unwrap();
    corpus::write_corpus(site.path(), 40, 2023..=2025).unwrap();
    let out = site.path().join("public");
    build_to_disk(site.path(), &out, &BuildOptions::default()).unwrap();
    // The site's search files are a few per cent of a 2,000,000-byte budget at this size;
    // the figures at 5,000 and 50,000 reports are measured with the same script (README).
    run(Command::new("node")
        .args(["tests/web/search_scale.mjs"])
        .arg(&out)
        .args(["--max-bytes", "400000"]));
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
