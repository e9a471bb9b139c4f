//! `nianbao new` and `nianbao init`, run as the real binary, then `nianbao check` on the result.

use std::path::Path;
use std::process::{Command, Output};

use nianbao::content::format::{Format, TableId};

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

/// `check --format json`: exit status and (code, file) of every finding.
fn check(root: &Path) -> (Option<i32>, Vec<(String, String, String)>) {
    let out = nianbao(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    let findings = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code(), findings)
}

/// Replaces the figures of the row `key` (the first line starting with `key:`).
fn set_row(report: &str, key: &str, values: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = report
        .lines()
        .map(|l| {
            if !done && l.trim_start().starts_with(&format!("{key}:")) {
                done = true;
                let open = l.find('[').unwrap();
                let close = l.find(']').unwrap();
                format!("{}[{values}]{}", &l[..open], &l[close + 1..])
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "no row {key}");
    lines.join("\n") + "\n"
}

#[test]
fn init_makes_a_site_that_checks_with_only_the_expected_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = nianbao(&["init", site.to_str().unwrap(), "--year", "2024"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site.join("content/_index.md").is_file());
    assert!(site.join("content/benji/_index.md").is_file());
    assert!(site.join("content/benji/2024.md").is_file());
    let site_index = std::fs::read_to_string(site.join("content/_index.md")).unwrap();
    for key in [
        "base_url",
        "owner",
        "operator",
        "site_code",
        "icp",
        "police_record",
        "contact",
        "theme",
        "column",
        "fragments",
    ] {
        assert!(
            site_index.contains(&format!("# {key}:")),
            "{key} is commented in:\n{site_index}"
        );
    }
    let (status, findings) = check(&site);
    assert_eq!(status, Some(0), "{findings:?}");
    let mut codes: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    codes.sort();
    // No published date yet, and the four footer keys left commented.
    assert_eq!(
        codes,
        [
            "published",
            "site-identity",
            "site-identity",
            "site-identity",
            "site-identity"
        ]
    );

    // The commented settings are ready to use: uncommenting `fragments` writes each report's
    // fragment (the template is a draft, so publish it first).
    std::fs::write(
        site.join("content/_index.md"),
        site_index.replacen("# fragments: true", "fragments: true", 1),
    )
    .unwrap();
    let report = site.join("content/benji/2024.md");
    let draft = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, draft.replacen("draft: true", "draft: false", 1)).unwrap();
    let out = nianbao(&["build", "--root", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site.join("public/benji/2024/fragment.html").is_file());

    // A second init does not touch the site.
    let out = nianbao(&["init", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("已存在"));
}

#[test]
fn new_then_a_few_numbers_then_check_round_trips_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    assert!(nianbao(&["init", root, "--year", "2024"]).status.success());
    let out = nianbao(&[
        "new",
        "--root",
        root,
        "xiangcheng/huayuan",
        "2020",
        "--name",
        "项城市人民政府花园街道办事处",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("kind: 街道"),
        "{}",
        text(&out.stdout)
    );
    let file = dir.path().join("content/xiangcheng/huayuan/2020.md");
    let skeleton = std::fs::read_to_string(&file).unwrap();
    assert!(skeleton.contains("format: 2019"));

    let mut filled = set_row(&skeleton, "new", "3, 1, 0, 0, 0, 0, 4");
    filled = set_row(&filled, "granted", "2, 1, 0, 0, 0, 0, 3");
    filled = set_row(&filled, "not_held", "1, 0, 0, 0, 0, 0, 1");
    filled = set_row(&filled, "total", "3, 1, 0, 0, 0, 0, 4");
    filled = set_row(&filled, "licensing", "12, -2, 40");
    filled = set_row(&filled, "review", "1, 0, 0, 0, 1");
    filled = filled.replacen("# published: 2021-01-20", "published: 2021-01-20", 1);
    assert_ne!(filled, skeleton);
    std::fs::write(&file, &filled).unwrap();

    let (status, findings) = check(dir.path());
    assert_eq!(status, Some(0), "{findings:?}");
    let mine: Vec<_> = findings
        .iter()
        .filter(|f| f.2.contains("huayuan"))
        .collect();
    assert!(mine.is_empty(), "{mine:?}");
    assert!(!findings.iter().any(|f| f.1 == "error"), "{findings:?}");

    let site = nianbao::load::load(dir.path()).unwrap().site;
    let r = site.report("xiangcheng/huayuan", 2020).unwrap();
    assert_eq!(
        r.applications.count(&r.spec().applications, "total", 6),
        Some(4)
    );
    assert_eq!(r.active.count(&r.spec().active, "licensing", 1), Some(-2));
    assert_eq!(r.published.unwrap().to_string(), "2021-01-20");
}

#[test]
fn new_names_every_row_and_column_and_has_the_six_sections() {
    for (year, format) in [(2020, Format::F2019), (2023, Format::F2021)] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let y = year.to_string();
        let out = nianbao(&["new", "--root", root, "dept", &y, "--name", "某某县公安局"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report =
            std::fs::read_to_string(dir.path().join(format!("content/dept/{year}.md"))).unwrap();
        assert!(report.contains(&format!("format: {}", format.id())));
        assert!(
            report.contains("# published:"),
            "published is left for the user"
        );
        assert!(!report.contains("\npublished:"));
        for id in TableId::ALL {
            for row in format.spec().table(id).rows {
                let line = report.lines().find(|l| {
                    l.trim_start()
                        .starts_with(&format!("{}:", row.key.rsplit('.').next().unwrap()))
                });
                assert!(line.is_some(), "{}", row.key);
                assert!(
                    report.contains(&format!("# {}", row.label)) || report.contains(row.name),
                    "row {} is named",
                    row.key
                );
                for c in row.columns {
                    assert!(report.contains(c.label), "column {} is named", c.label);
                }
            }
        }
        for h in [
            "## 一、",
            "## 二、",
            "## 三、",
            "## 四、",
            "## 五、",
            "## 六、",
        ] {
            assert!(report.contains(h), "{h}");
        }
        let index = std::fs::read_to_string(dir.path().join("content/dept/_index.md")).unwrap();
        assert!(index.contains("kind: 部门"), "{index}");
    }
}

#[test]
fn new_prefills_carried_over_from_last_years_carried_forward() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    assert!(
        nianbao(&[
            "new",
            "--root",
            root,
            "u",
            "2020",
            "--name",
            "某某县某某镇人民政府"
        ])
        .status
        .success()
    );
    let last = dir.path().join("content/u/2020.md");
    let text2020 = set_row(
        &std::fs::read_to_string(&last).unwrap(),
        "carried_forward",
        "3, 0, 0, 0, 1, 0, 4",
    );
    std::fs::write(&last, text2020).unwrap();

    // Across the 2020 → 2021 format change.
    let out = nianbao(&["new", "--root", root, "u", "2021"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("二、上年结转取自 2020 年报告"),
        "{}",
        text(&out.stdout)
    );
    let site = nianbao::load::load(dir.path()).unwrap().site;
    let r = site.report("u", 2021).unwrap();
    let t3 = &r.spec().applications;
    let carried: Vec<i64> = (0..7)
        .map(|c| r.applications.count(t3, "carried_over", c).unwrap())
        .collect();
    assert_eq!(carried, [3, 0, 0, 0, 1, 0, 4]);
    assert_eq!(site.unit("u").unwrap().kind.label(), "乡镇");
}

#[test]
fn new_never_overwrites_and_needs_a_name_for_a_new_unit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = nianbao(&["new", "--root", root, "u", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--name"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("content/u").exists());

    assert!(
        nianbao(&[
            "new",
            "--root",
            root,
            "u",
            "2024",
            "--name",
            "某某县财政局",
            "--kind",
            "部门"
        ])
        .status
        .success()
    );
    let file = dir.path().join("content/u/2024.md");
    std::fs::write(&file, "我的草稿\n").unwrap();
    let out = nianbao(&["new", "--root", root, "u", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("已存在"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "我的草稿\n");
}

/// Runs nianbao under `umask`, as a shell started by the user would.
fn nianbao_with_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run nianbao")
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn init_and_new_write_files_as_the_umask_allows() {
    let files = [
        "content/_index.md",
        "content/benji/_index.md",
        "content/benji/2024.md",
    ];
    for (umask, want) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = nianbao_with_umask(umask, &["init", site.to_str().unwrap(), "--year", "2024"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = nianbao_with_umask(
            umask,
            &["new", "--root", site.to_str().unwrap(), "benji", "2025"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        for f in files.iter().chain(&["content/benji/2025.md"]) {
            assert_eq!(
                mode(&site.join(f)),
                want,
                "{f} under umask {umask}: {:o}",
                mode(&site.join(f))
            );
        }
    }
}

#[test]
fn templates_are_drafts_until_a_person_publishes_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = nianbao(&["init", site.to_str().unwrap(), "--year", "2024"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = site.join("content/benji/2024.md");
    let template = std::fs::read_to_string(&report).unwrap();
    let line = template
        .lines()
        .find(|l| l.starts_with("draft:"))
        .unwrap_or_else(|| panic!("no draft line in\n{template}"));
    assert!(line.starts_with("draft: true"), "{line}");
    assert!(line.contains("删除") && line.contains("false"), "{line}");

    // Built now, the all-zero template is not published, and build says so.
    let out_dir = site.join("public");
    let build = || nianbao(&["build", "--root", site.to_str().unwrap()]);
    let out = build();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!out_dir.join("benji/2024").exists());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("0 份报告"), "{stderr}");
    assert!(stderr.contains("1 份草稿"), "{stderr}");

    // Once the line is gone the report is published.
    std::fs::write(&report, template.replace(&format!("{line}\n"), "")).unwrap();
    let out = build();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out_dir.join("benji/2024/index.html").is_file());
    assert!(!text(&out.stderr).contains("草稿"), "{}", text(&out.stderr));
}

#[test]
fn init_keeps_the_schema_and_each_report_points_an_editor_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = nianbao(&[
        "init",
        "--year",
        "2024",
        "--unit",
        "xian/benji",
        site.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = nianbao(&["schema"]).stdout;
    assert_eq!(
        std::fs::read_to_string(site.join("report.schema.json"))
            .unwrap()
            .as_bytes(),
        printed
    );
    let report = std::fs::read_to_string(site.join("content/xian/benji/2024.md")).unwrap();
    assert!(
        report.starts_with("---\n# yaml-language-server: $schema=../../../report.schema.json\n"),
        "{report}"
    );
    // A schema from another version is brought up to date by the next `new`; one that is
    // current is left alone.
    std::fs::write(site.join("report.schema.json"), "{}").unwrap();
    let out = nianbao(&[
        "new",
        "--root",
        site.to_str().unwrap(),
        "xian/benji",
        "2025",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(site.join("report.schema.json"))
            .unwrap()
            .as_bytes(),
        printed
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("report.schema.json"));
}
