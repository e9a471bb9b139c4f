//! The built example checked by the tools inspectors and users have: the Nu HTML Checker,
//! axe-core in headless Chromium, and a link crawl at the root, under a sub-path and as files.
//! CI sets NIANBAO_WEB_TESTS=1 and installs the tools (.ci/run); elsewhere these tests say
//! loudly that they did not run.

mod common;

use common::*;
use nianbao::build::{BuildOptions, build_to_disk};
use std::process::Command;

fn built_example() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = example_site();
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

macro_rules! needs_web_tools {
    () => {
        if !web_tools() {
            eprintln!(
                "SKIPPED: Chromium/vnu not installed here; CI runs this (NIANBAO_WEB_TESTS=1)"
            );
            return;
        }
    };
}

#[test]
fn nu_html_checker_reports_no_error() {
    needs_web_tools!();
    let (_site, out) = built_example();
    run(Command::new("bash").arg("tests/web/vnu.sh").arg(&out));
}

#[test]
fn axe_reports_no_violation_on_each_kind_of_page() {
    needs_web_tools!();
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
fn no_broken_link_at_the_root_under_a_sub_path_or_as_files() {
    needs_web_tools!();
    let (_site, out) = built_example();
    run(Command::new("node")
        .args(["tests/web/links.mjs"])
        .arg(&out)
        .arg("--file-urls"));
}
