//! Golden snapshots: the exact HTML of one report page and its CMS fragment, built from the
//! bundled example. The report chosen (淮安市洪泽区 2023) has an acknowledged finding, so the
//! snapshots hold the official tables with blank cells, merged headers and a ※ marker. Any
//! change to a table row, a cell's style or the page shell shows here as a diff to review.

mod common;

use common::*;
use nianbao::build::{BuildOptions, build_to_disk};

fn built_report(file: &str) -> String {
    let site = example_site();
    // The fragment is written when the site asks for it.
    let settings = site.path().join("content/_index.md");
    std::fs::write(
        &settings,
        read(&settings).replacen("---\n", "---\nfragments: true\n", 1),
    )
    .unwrap();
    let out = site.path().join("public");
    build_to_disk(site.path(), &out, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("build failed: {e:?}"));
    read(&out.join("huaian/hongze/2023").join(file))
}

#[test]
fn report_page_is_exactly_the_golden_one() {
    let html = built_report("index.html");
    assert!(
        html.contains("class=\"ack-ref\""),
        "the acknowledged figure is marked"
    );
    insta::assert_snapshot!("report_page", html);
}

#[test]
fn fragment_is_exactly_the_golden_one() {
    let html = built_report("fragment.html");
    assert!(
        html.contains("class=\"ack-ref\""),
        "the acknowledged figure is marked"
    );
    insta::assert_snapshot!("fragment", html);
}
