//! `nianbao schema` checked by a real JSON Schema validator (the `jsonschema` crate): the
//! bundled example's reports and a generated corpus pass; the type mistakes that `check`
//! reports as `schema` or `cell-type` fail, and each case is run through `check` too, so the
//! two verdicts are seen to agree.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use common::*;
use nianbao::check::check_site;
use nianbao::content::frontmatter;
use nianbao::content::schema::report_schema;
use serde_json::Value;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&report_schema()).expect("the schema is a valid draft-07 schema")
}

/// The front matter of a report file as the YAML language server sees it: YAML 1.2 read into
/// JSON values.
fn front_matter(text: &str) -> Value {
    let split = frontmatter::split(text).expect("front matter");
    serde_saphyr::from_str::<Value>(split.yaml).expect("YAML")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn report_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
                && p.extension().is_some_and(|x| x == "md")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_report_of_the_example_passes() {
    let v = validator();
    let files = report_files(&manifest_dir());
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        let doc = front_matter(&read(&f));
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{}: {errs:#?}", f.display());
    }
}

#[test]
fn a_generated_corpus_of_both_formats_passes() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write_corpus(dir.path(), 6, 2019..=2022).unwrap();
    assert!(!check_site(dir.path()).unwrap().outcome.has_errors());
    let v = validator();
    let files = report_files(dir.path());
    assert!(files.len() >= 20, "{}", files.len());
    for f in files {
        let errs = errors(&v, &front_matter(&read(&f)));
        assert!(errs.is_empty(), "{}: {errs:#?}", f.display());
    }
}

const REPORT: &str = "content/huaian/2024.md";

/// The example's 淮安市 2024 report with `from` replaced by `to`: the schema's verdict, and the
/// codes of the errors `check` reports for that file.
fn case(from: &str, to: &str) -> (Vec<String>, Vec<String>) {
    let site = example_site();
    let path = site.path().join(REPORT);
    let text = read(&path);
    assert!(text.contains(from), "{from} not in the report");
    let text = text.replacen(from, to, 1);
    std::fs::write(&path, &text).unwrap();
    let schema_errors = errors(&validator(), &front_matter(&text));
    let checked = check_site(site.path()).unwrap();
    let codes = checked
        .outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.file == REPORT)
        .map(|d| d.code.code().to_string())
        .collect();
    (schema_errors, codes)
}

#[test]
fn type_mistakes_fail_as_check_reports_them() {
    let mistakes = [
        (
            "rules:     [1, 0, 11]",
            "rules:     [1, 0, \"11件\"]",
            "cell-type",
        ),
        ("coercion: 88283", "coercion: -5", "cell-type"),
        (
            "licensing: 447228",
            "licensing: {value: 5, unit: 件}",
            "cell-type",
        ),
        (
            "normative: [8, 26, 66]",
            "normative: [8, 26, true]",
            "cell-type",
        ),
        (
            "new:             [3001, 53, 0, 0, 61, 4, 3119]",
            "new:             [3001, 53, 0, 0, 61, 3119]",
            "schema",
        ),
        (
            "  rules:     [1, 0, 11]",
            "  rulez:     [1, 0, 11]",
            "schema",
        ),
        (
            "  coercion: 88283",
            "  coercion: 88283\n  other_services: [1, 0, 1]",
            "schema",
        ),
        ("year: 2024", "year: \"2024\"", "schema"),
        ("format: 2021", "format: 2020", "schema"),
        (
            "published: 2025-02-25",
            "published: 2025-02-25\ndraft: \"true\"",
            "schema",
        ),
        ("  review:", "  reviews:", "schema"),
    ];
    for (from, to, code) in mistakes {
        let (schema, check) = case(from, to);
        assert!(!schema.is_empty(), "the schema accepts `{to}`");
        assert!(
            check.iter().any(|c| c == code),
            "check gives {check:?} for `{to}`, not {code}"
        );
    }
}

#[test]
fn the_forms_of_a_cell_pass_as_check_accepts_them() {
    let forms = [
        (
            "rules:     [1, 0, 11]",
            "rules:     [1, 0, {value: 11, note: 其中修订3件}]",
        ),
        ("rules:     [1, 0, 11]", "rules:     [1, ~, \"/\"]"),
        ("rules:     [1, 0, 11]", "rules:     [1, \"\", \"-\"]"),
        ("fees: 96171.6", "fees: {value: 96171.60, unit: 万元}"),
        ("coercion: 88283", "coercion: \"88283\""),
        ("format: 2021", "format: \"2021\""),
        (
            "published: 2025-02-25",
            "published: 2025-02-25\ndraft: true\nacknowledged:\n  - {rule: blank-cell, note: 原文空白}",
        ),
    ];
    for (from, to) in forms {
        let (schema, check) = case(from, to);
        assert!(schema.is_empty(), "`{to}`: {schema:#?}");
        assert!(check.is_empty(), "`{to}`: check gives {check:?}");
    }
}

#[test]
fn the_2019_format_is_chosen_by_year_or_by_format() {
    let v = validator();
    let text = read(&manifest_dir().join("content/xiangcheng/huayuan/2020.md"));
    let doc = front_matter(&text);
    assert!(errors(&v, &doc).is_empty());
    // The same tables under a 2021 year are the wrong format's keys.
    let mut as_2021 = doc.clone();
    as_2021["year"] = Value::from(2021);
    as_2021.as_object_mut().unwrap().remove("format");
    assert!(!errors(&v, &as_2021).is_empty());
    // …unless the report says it follows the 2019 format.
    as_2021["format"] = Value::from(2019);
    assert!(errors(&v, &as_2021).is_empty());
}

#[test]
fn the_cli_prints_the_schema() {
    let out = nianbao().arg("schema").output().unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, report_schema());
}
