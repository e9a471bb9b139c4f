//! `nianbao check --format github|gitlab`: findings in a repository's CI, as the runners read
//! them. The real reports of `tests/fixtures/real` carry two `T4-total` errors and warnings.

mod common;

use common::*;
use serde_json::Value;

fn check_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    nianbao()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn github_workflow_commands_point_at_the_line_from_the_repository_root() {
    let repo = manifest_dir();
    let out = check_in(
        &repo,
        &["--root", "tests/fixtures/real", "--format", "github"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!(text);
    // Run from the site root itself, the paths are the site's own.
    let inside = check_in(&repo.join("tests/fixtures/real"), &["--format", "github"]);
    let inside = String::from_utf8(inside.stdout).unwrap();
    assert!(
        inside.starts_with("::error file=content/huaian/hongze/2023.md,line=47,col=42,"),
        "{inside}"
    );
}

#[test]
fn a_message_with_newlines_and_percent_stays_one_command() {
    use nianbao::diagnostic::{Diagnostic, Pos, Rule, render_github};
    let d = Diagnostic::new(
        Rule::Narrative,
        "content/a,b/2024.md",
        Pos::new(3, 5),
        "第一行\n100%",
    )
    .help("改：这里");
    assert_eq!(
        render_github(&d, "site/"),
        "::warning file=site/content/a%2Cb/2024.md,line=3,col=5,title=nianbao narrative::第一行%0A100%25%0A提示：改：这里"
    );
}

#[test]
fn gitlab_code_quality_report_names_rule_file_line_and_severity() {
    let repo = manifest_dir();
    let args = ["--root", "tests/fixtures/real", "--format", "gitlab"];
    let out = check_in(&repo, &args);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = report.as_array().unwrap();
    let errors: Vec<&Value> = items.iter().filter(|i| i["severity"] == "major").collect();
    assert_eq!(errors.len(), 2, "{report:#}");
    assert_eq!(errors[0]["check_name"], "T4-total");
    assert_eq!(
        errors[0]["location"]["path"],
        "tests/fixtures/real/content/huaian/hongze/2023.md"
    );
    assert_eq!(errors[0]["location"]["lines"]["begin"], 47);
    assert_eq!(errors[1]["location"]["lines"]["begin"], 49);
    // Every item has what GitLab requires, and fingerprints are distinct and stable.
    let mut prints = std::collections::BTreeSet::new();
    for i in items {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(prints.insert(i["fingerprint"].as_str().unwrap().to_string()));
    }
    let again: Value = serde_json::from_slice(&check_in(&repo, &args).stdout).unwrap();
    assert_eq!(again, report);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::process::Stdio;
    // `nianbao schema | head -1`: the reader goes away; nianbao must not panic.
    let mut child = nianbao()
        .arg("schema")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before nianbao writes (it starts in a few milliseconds).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
