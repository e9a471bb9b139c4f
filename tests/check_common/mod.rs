//! Shared by the integration tests: a whole site laid out in a tempdir from (path, text) pairs,
//! compact valid reports to mutate one line at a time, and assertions on findings.
#![allow(dead_code)]

use std::path::Path;

use nianbao::check::{Checked, check_site};
use nianbao::{Diagnostic, Severity};
use tempfile::TempDir;

pub const SITE: &str = "\
---
title: 测试市政府信息公开工作年度报告
owner: 测试市人民政府办公室
site_code: \"0000000000\"
icp: 测ICP备00000000号
police_record: 测公网安备00000000000000号
---
测试站点。
";

/// A 人民政府 unit (deadline 31 March).
pub const CITY: &str = "---\nname: 测试市人民政府\nshort_name: 测试市\nkind: 人民政府\n---\n";

/// A 街道 unit below it (deadline 31 January).
pub const JD: &str =
    "---\nname: 测试市人民政府和平街道办事处\nshort_name: 和平街道\nkind: 街道\n---\n";

/// A valid format-2021 report of 2021, line numbers as in the comments of the tests.
pub const R2021: &str = "\
---
year: 2021
format: 2021
published: 2022-01-20
active:
  rules:     [0, 0, 0]
  normative: [2, 1, 5]
  licensing: 120
  punishment: 30
  coercion: 4
  fees: 12.5
applications:
  new:             [10, 2, 0, 0, 1, 0, 13]
  carried_over:    [1, 0, 0, 0, 0, 0, 1]
  granted:         [5, 1, 0, 0, 0, 0, 6]
  partial:         [1, 0, 0, 0, 0, 0, 1]
  withheld:
    state_secret:  [0, 0, 0, 0, 0, 0, 0]
    prohibited:    [0, 0, 0, 0, 0, 0, 0]
    safety:        [0, 0, 0, 0, 0, 0, 0]
    third_party:   [1, 0, 0, 0, 0, 0, 1]
    internal:      [0, 0, 0, 0, 0, 0, 0]
    process:       [0, 0, 0, 0, 0, 0, 0]
    enforcement:   [0, 0, 0, 0, 0, 0, 0]
    query:         [0, 0, 0, 0, 0, 0, 0]
  unavailable:
    not_held:      [2, 1, 0, 0, 1, 0, 4]
    needs_creation: [0, 0, 0, 0, 0, 0, 0]
    unclear:       [0, 0, 0, 0, 0, 0, 0]
  not_processed:
    complaint:     [0, 0, 0, 0, 0, 0, 0]
    duplicate:     [0, 0, 0, 0, 0, 0, 0]
    publication:   [0, 0, 0, 0, 0, 0, 0]
    excessive:     [0, 0, 0, 0, 0, 0, 0]
    confirmation:  [0, 0, 0, 0, 0, 0, 0]
  other:
    no_correction: [1, 0, 0, 0, 0, 0, 1]
    unpaid_fee:    [0, 0, 0, 0, 0, 0, 0]
    other:         [0, 0, 0, 0, 0, 0, 0]
  total:           [10, 2, 0, 0, 1, 0, 13]
  carried_forward: [1, 0, 0, 0, 0, 0, 1]
appeals:
  review:                  [1, 0, 0, 1, 2]
  litigation:              [0, 0, 0, 0, 0]
  litigation_after_review: [0, 0, 0, 1, 1]
---
和平街道办事处依据《中华人民共和国政府信息公开条例》编制本报告。

## 一、总体情况

2021年，本街道共收到政府信息公开申请13件，均按时答复。

## 二、主动公开政府信息情况

## 三、收到和处理政府信息公开申请情况

## 四、政府信息公开行政复议、行政诉讼情况

## 五、存在的主要问题及改进情况

公开内容还不够全面，下一步将加强培训。

## 六、其他需要报告的事项

本年度未收取信息处理费。
";

/// A valid format-2019 report of 2020 whose 四、结转下年度 feeds R2021's 二、上年结转.
pub const R2020: &str = "\
---
year: 2020
published: 2021-01-25
active:
  rules:          [0, 0, 0]
  normative:      [1, 1, 4]
  licensing:      [10, -2, 30]
  other_services: [3, 0, 12]
  punishment:     [5, 1, 8]
  coercion:       [1, 0, 2]
  fees:           [2, -1]
  procurement:    [1, 35.6]
applications:
  new:             [4, 0, 0, 0, 0, 0, 4]
  carried_over:    [0, 0, 0, 0, 0, 0, 0]
  granted:         [2, 0, 0, 0, 0, 0, 2]
  partial:         [0, 0, 0, 0, 0, 0, 0]
  withheld:
    state_secret:  [0, 0, 0, 0, 0, 0, 0]
    prohibited:    [0, 0, 0, 0, 0, 0, 0]
    safety:        [0, 0, 0, 0, 0, 0, 0]
    third_party:   [0, 0, 0, 0, 0, 0, 0]
    internal:      [0, 0, 0, 0, 0, 0, 0]
    process:       [0, 0, 0, 0, 0, 0, 0]
    enforcement:   [0, 0, 0, 0, 0, 0, 0]
    query:         [0, 0, 0, 0, 0, 0, 0]
  unavailable:
    not_held:      [1, 0, 0, 0, 0, 0, 1]
    needs_creation: [0, 0, 0, 0, 0, 0, 0]
    unclear:       [0, 0, 0, 0, 0, 0, 0]
  not_processed:
    complaint:     [0, 0, 0, 0, 0, 0, 0]
    duplicate:     [0, 0, 0, 0, 0, 0, 0]
    publication:   [0, 0, 0, 0, 0, 0, 0]
    excessive:     [0, 0, 0, 0, 0, 0, 0]
    confirmation:  [0, 0, 0, 0, 0, 0, 0]
  other:           [0, 0, 0, 0, 0, 0, 0]
  total:           [3, 0, 0, 0, 0, 0, 3]
  carried_forward: [1, 0, 0, 0, 0, 0, 1]
appeals:
  review:                  [0, 0, 0, 0, 0]
  litigation:              [0, 0, 0, 0, 0]
  litigation_after_review: [0, 0, 0, 0, 0]
---
## 一、总体情况

2020年，本街道共收到政府信息公开申请4件，未发生行政复议、行政诉讼。

## 二、主动公开政府信息情况

## 三、收到和处理政府信息公开申请情况

## 四、政府信息公开行政复议、行政诉讼情况

## 五、存在的主要问题及改进情况

宣传还不够深入。

## 六、其他需要报告的事项

无。
";

/// `text` with the single occurrence of `from` replaced by `to`; panics when `from` is not
/// there exactly once, so a test never silently mutates nothing.
#[track_caller]
pub fn mutate(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once"
    );
    text.replacen(from, to, 1)
}

/// Writes a site below a fresh tempdir: each (path, bytes) relative to the site root.
pub fn lay_out<B: AsRef<[u8]>>(files: &[(&str, B)]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_into(dir.path(), files);
    dir
}

pub fn write_into<B: AsRef<[u8]>>(root: &Path, files: &[(&str, B)]) {
    for (path, bytes) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
}

/// Lays out the files and runs `check_site` on them.
pub fn check_files<B: AsRef<[u8]>>(files: &[(&str, B)]) -> (TempDir, Checked) {
    let dir = lay_out(files);
    let checked = check_site(dir.path()).expect("site is readable");
    (dir, checked)
}

/// The site, the two units and `reports` (path, text) beside them.
pub fn with_units(reports: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = vec![
        ("content/_index.md".to_string(), SITE.to_string()),
        ("content/city/_index.md".to_string(), CITY.to_string()),
        ("content/city/jd/_index.md".to_string(), JD.to_string()),
    ];
    v.extend(reports.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    v
}

/// The findings of a site made of the base site, its units and `reports`.
pub fn findings(reports: &[(&str, &str)]) -> Vec<Diagnostic> {
    let files = with_units(reports);
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    check_files(&files).1.outcome.diagnostics
}

/// What one finding must be: code, severity, file, `line:column`, the text found there in the
/// source (so a wrong column cannot slip by; "" for findings about a whole file) and key words
/// of the message.
pub struct Want<'a> {
    pub code: &'a str,
    pub severity: Severity,
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
    pub at: &'a str,
    pub words: &'a [&'a str],
}

/// Shorthand: `want("T4-total", Error, F, 43, 41, "3", &["总计"])`.
pub fn want<'a>(
    code: &'a str,
    severity: Severity,
    file: &'a str,
    (line, column): (u32, u32),
    at: &'a str,
    words: &'a [&'a str],
) -> Want<'a> {
    Want {
        code,
        severity,
        file,
        line,
        column,
        at,
        words,
    }
}

/// Asserts `d` is `want`; `source` is the text of `want.file`.
#[track_caller]
pub fn assert_finding(d: &Diagnostic, source: &str, want: Want) {
    assert_eq!(d.code, want.code, "code of {d:#?}");
    assert_eq!(d.severity, want.severity, "severity of {d:#?}");
    assert_eq!(d.file, want.file, "file of {d:#?}");
    assert_eq!(
        (d.line, d.column),
        (want.line, want.column),
        "line:column of {d:#?}"
    );
    for w in want.words {
        assert!(d.message.contains(w), "message `{}` lacks `{w}`", d.message);
    }
    if !want.at.is_empty() {
        let line = source
            .lines()
            .nth(d.line as usize - 1)
            .unwrap_or_else(|| panic!("no line {} for {d:#?}", d.line));
        let rest: String = line.chars().skip(d.column as usize - 1).collect();
        assert!(
            rest.starts_with(want.at),
            "{}:{}:{} points at `{rest}`, not at `{}`",
            d.file,
            d.line,
            d.column,
            want.at
        );
    }
}

/// Exactly one finding, which is returned.
#[track_caller]
pub fn single(diags: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(
        diags.len(),
        1,
        "expected exactly one finding, got {diags:#?}"
    );
    &diags[0]
}

#[track_caller]
pub fn assert_clean(diags: &[Diagnostic]) {
    assert!(diags.is_empty(), "expected no findings, got {diags:#?}");
}

pub fn codes(diags: &[Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.code()).collect()
}
