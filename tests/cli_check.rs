//! `nianbao check` as a user runs it: the real binary, its exit status, its JSON, its colours,
//! and snapshots of the exact human output (tests/snapshots/cli_check__*.snap).

mod check_common;
mod common;

use std::path::Path;
use std::process::{Command, Output};

use check_common::*;

fn nianbao(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.args(args).env_remove("NO_COLOR");
    cmd
}

fn check(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    nianbao(&args).output().expect("nianbao runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real")
}

/// The base site with `reports` beside its units, in a tempdir.
fn site(reports: &[(&str, &str)]) -> tempfile::TempDir {
    let files = with_units(reports);
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    lay_out(&files)
}

const F21: &str = "content/city/jd/2021.md";

/// Output with the tempdir's path replaced, for snapshots.
fn normalise(text: &str, root: &Path) -> String {
    text.replace(root.to_str().unwrap(), "[ROOT]")
}

// ---------------------------------------------------------------------------------------------
// Exit status

#[test]
fn exit_0_when_clean() {
    let dir = site(&[(F21, R2021)]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "0 个错误，0 个警告，检查了 1 份报告\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn exit_0_with_warnings_only() {
    let dir = site(&[(F21, &mutate(R2021, "published: 2022-01-20\n", ""))]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).ends_with("0 个错误，1 个警告，检查了 1 份报告\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn exit_1_with_errors() {
    let o = check(&fixtures(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).ends_with("2 个错误，2 个警告，检查了 4 份报告\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn exit_2_without_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    let folder = dir.path().join("content");
    assert!(err.contains(folder.to_str().unwrap()), "{err}");
    assert!(err.contains("找不到内容文件夹"), "{err}");
    assert!(err.contains("--root"), "{err}");
    insta::assert_snapshot!("no_content_folder", normalise(&err, dir.path()));
}

#[test]
fn exit_2_with_json_too() {
    let dir = tempfile::tempdir().unwrap();
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
}

#[test]
fn root_defaults_to_the_current_folder() {
    let dir = site(&[(F21, R2021)]);
    let o = nianbao(&["check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "0 个错误，0 个警告，检查了 1 份报告\n");
}

// ---------------------------------------------------------------------------------------------
// JSON

fn json(o: &Output) -> Vec<serde_json::Value> {
    match serde_json::from_str(&stdout(o)).expect("stdout is JSON") {
        serde_json::Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

#[test]
fn json_is_an_array_of_findings() {
    let o = check(&fixtures(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let items = json(&o);
    assert_eq!(items.len(), 4);
    for d in &items {
        for key in ["code", "severity", "file", "line", "column", "message"] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
        let sev = d["severity"].as_str().unwrap();
        assert!(sev == "error" || sev == "warning", "{d}");
        let file = d["file"].as_str().unwrap();
        assert!(
            file.starts_with("content/") && !file.contains('\\'),
            "{file}"
        );
        assert!(d["line"].is_u64() && d["column"].is_u64(), "{d}");
    }
    let t4 = &items[0];
    assert_eq!(t4["code"], "T4-total");
    assert_eq!(t4["severity"], "error");
    assert_eq!(t4["file"], "content/huaian/hongze/2023.md");
    assert_eq!(
        (t4["line"].as_u64(), t4["column"].as_u64()),
        (Some(47), Some(42))
    );
    assert_eq!(t4["expected"], "11");
    assert_eq!(t4["actual"], "0");
    assert_eq!(t4["table"], "表四");
    assert_eq!(t4["row"], "行政复议");
    assert_eq!(t4["column_label"], "总计");
    assert!(t4["message"].as_str().unwrap().contains("行政复议·总计"));

    let narrative = &items[2];
    assert_eq!(narrative["code"], "narrative");
    assert_eq!(narrative["severity"], "warning");
    assert_eq!(
        (narrative["expected"].as_str(), narrative["actual"].as_str()),
        (Some("95"), Some("17"))
    );

    // `published` has no expected/actual: the keys are left out rather than null.
    let published = &items[3];
    assert_eq!(published["code"], "published");
    assert!(
        published.get("expected").is_none() && published.get("actual").is_none(),
        "{published}"
    );
}

#[test]
fn json_of_a_clean_site_is_an_empty_array() {
    let dir = site(&[(F21, R2021)]);
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(json(&o).is_empty());
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn json_files_are_relative_with_slashes_in_nested_units() {
    let dir = site(&[(F21, &mutate(R2021, "[1, 0, 0, 1, 2]", "[1, 0, 0, 1, 3]"))]);
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let items = json(&o);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["file"], F21);
    assert!(!stdout(&o).contains(dir.path().to_str().unwrap()));
}

// ---------------------------------------------------------------------------------------------
// Colour

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_with_no_color() {
    let o = check(&fixtures(), &[]);
    assert!(!o.stdout.contains(&0x1b), "piped output has escapes");
    let o = nianbao(&["check", "--root", fixtures().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!o.stdout.contains(&0x1b), "NO_COLOR output has escapes");
    assert_eq!(o.status.code(), Some(1));
}

/// Runs the check in a pseudo-terminal with `script`, where it is available.
fn in_terminal(no_color: bool) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let cmd = format!(
        "{} check --root {}",
        env!("CARGO_BIN_EXE_nianbao"),
        fixtures().display()
    );
    let mut c = Command::new(script);
    c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR");
    if no_color {
        c.env("NO_COLOR", "1");
    }
    let o = c.output().ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn colour_in_a_terminal_unless_no_color() {
    let (Some(tty), Some(plain)) = (in_terminal(false), in_terminal(true)) else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    assert!(tty.contains("\x1b[1;31merror[T4-total]\x1b[0m"), "{tty:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.contains("error[T4-total]"), "{plain:?}");
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the exact human output

#[test]
fn snapshot_real_fixtures() {
    let o = check(&fixtures(), &[]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("real_fixtures", stdout(&o));
}

#[test]
fn snapshot_yaml_syntax_error() {
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [10, 2, 0, 0, 1, 0, 13",
    );
    let dir = site(&[(F21, &text)]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("yaml_syntax_error", normalise(&stdout(&o), dir.path()));
}

#[test]
fn snapshot_schema_did_you_mean() {
    let dir = site(&[(
        F21,
        &mutate(R2021, "  normative: [2, 1, 5]", "  normativ: [2, 1, 5]"),
    )]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("schema_did_you_mean", normalise(&stdout(&o), dir.path()));
}

#[test]
fn snapshot_cell_type() {
    let dir = site(&[(F21, &mutate(R2021, "  coercion: 4", "  coercion: \"3件\""))]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("cell_type", normalise(&stdout(&o), dir.path()));
}

#[test]
fn snapshot_crlf_and_bom_checks_clean() {
    let crlf = format!("\u{feff}{}", R2021.replace('\n', "\r\n"));
    let dir = site(&[(F21, &crlf)]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("crlf_bom_clean", stdout(&o));
}

#[test]
fn snapshot_crlf_finding_quotes_the_line_without_carriage_return() {
    let crlf = format!(
        "\u{feff}{}",
        mutate(R2021, "[1, 0, 0, 1, 2]", "[1, 0, 0, 1, 3]").replace('\n', "\r\n")
    );
    let dir = site(&[(F21, &crlf)]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains('\r'));
    insta::assert_snapshot!("crlf_bom_finding", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// A failed build: folded warnings and a closing block a person can act on

/// The real fixtures (two T4-total errors) with every cell of one row of table 三 left blank
/// or "/", as some published reports do.
fn real_with_a_blank_row() -> tempfile::TempDir {
    let dir = common::real_site();
    let file = dir.path().join("content/huaian/2024.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = mutate(
        &text,
        "carried_forward: [103, 0, 0, 0, 0, 0, 103]",
        "carried_forward: [~, ~, \"/\", \"/\", \"/\", \"/\", ~]",
    );
    std::fs::write(&file, text).unwrap();
    dir
}

#[test]
fn a_failed_build_folds_blank_cells_and_ends_with_the_way_forward() {
    let dir = real_with_a_blank_row();
    let o = nianbao(&["build", "--root", dir.path().to_str().unwrap()])
        .output()
        .expect("nianbao runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.path().join("public").exists());
    let err = stderr(&o);
    // Seven blank cells of one row: one finding, at the first cell, naming the columns.
    assert_eq!(err.matches("warning[blank-cell]").count(), 1, "{err}");
    assert!(
        err.contains(
            "表三·四、结转下年度继续办理·7 个单元格为空白或“/”（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）"
        ),
        "{err}"
    );
    assert!(err.contains("--> content/huaian/2024.md:44:21"), "{err}");
    // The closing block: the files with errors, the two ways forward, then the exit line
    // counting every cell.
    let tail = err
        .split("有错误的文件：")
        .nth(1)
        .unwrap_or_else(|| panic!("no closing block: {err}"));
    assert!(
        tail.contains("content/huaian/hongze/2023.md：2 个错误"),
        "{tail}"
    );
    assert!(tail.contains("nianbao check"), "{tail}");
    assert!(
        tail.contains("- {rule: T4-total, note: 原文如此：……}"),
        "{tail}"
    );
    assert!(
        normalise(&err, dir.path())
            .ends_with("2 个错误，9 个警告：网站没有生成，[ROOT]/public 保持原样\n"),
        "{err}"
    );
    insta::assert_snapshot!("failed_build", normalise(&err, dir.path()));
}

#[test]
fn check_folds_blank_cells_but_json_keeps_one_finding_per_cell() {
    let dir = real_with_a_blank_row();
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let human = stdout(&o);
    assert_eq!(human.matches("warning[blank-cell]").count(), 1, "{human}");
    assert!(human.contains("7 个单元格为空白或“/”"), "{human}");
    assert!(
        human.ends_with("2 个错误，9 个警告，检查了 4 份报告\n"),
        "{human}"
    );

    let o = check(dir.path(), &["--format", "json"]);
    let blank: Vec<_> = json(&o)
        .into_iter()
        .filter(|d| d["code"] == "blank-cell")
        .collect();
    assert_eq!(blank.len(), 7);
    assert_eq!(blank[6]["column_label"], "总计");
}
