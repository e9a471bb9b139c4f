//! `nianbao export` on the bundled example site (content/: 花园街道 2020 in the 2019 format,
//! 洪泽区 2023/2024 and 淮安市 2024 in the 2021 format). Every file is read back with a real
//! reader: the workbooks with calamine (figures, merges, sheet names) and their XML parts for
//! what calamine does not read (comments, page set-up, frozen panes); the Word documents by
//! their document.xml and, where LibreOffice is installed (`cfg(office_tools)` from build.rs),
//! by converting them to PDF and reading the PDF's pages and text with poppler.

mod common;

use common::copy_dir;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn nianbao(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("export")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("runs nianbao")
}

/// Runs an export that must succeed and returns where it wrote.
fn export_ok(root: &Path, args: &[&str]) {
    let out = nianbao(root, args);
    assert!(
        out.status.success(),
        "nianbao export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of the example site in a temporary folder, with `edit` applied to one report.
fn site_copy(report: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    let path = dir.path().join("content").join(report);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit applies");
    std::fs::write(&path, edited).unwrap();
    dir
}

/// The text of one part of a zip package (.xlsx, .docx).
fn part(file: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{} has {name}", file.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// The values of the sheet row whose first cell is `label`.
fn row_of(range: &calamine::Range<Data>, label: &str) -> Vec<Data> {
    range
        .rows()
        .find(|r| r.first() == Some(&Data::String(label.into())))
        .unwrap_or_else(|| panic!("a row labelled {label}"))
        .to_vec()
}

const SHEETS: [&str; 3] = [
    "表二 主动公开政府信息情况",
    "表三 收到和处理政府信息公开申请情况",
    "表四 政府信息公开行政复议、行政诉讼情况",
];

#[test]
fn report_workbook_has_the_three_tables_with_figures_merges_and_a4() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("洪泽区2024.xlsx");
    export_ok(
        &repo(),
        &[
            "xlsx",
            "huaian/hongze",
            "2024",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), SHEETS);

    // 表二 (content/huaian/hongze/2024.md: normative [3, 0, 8], licensing 9487, fees 7545).
    let t2 = wb.worksheet_range(SHEETS[0]).unwrap();
    assert_eq!(
        text(t2.get_value((0, 0))),
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    );
    assert_eq!(
        row_of(&t2, "行政规范性文件")[1..],
        [Data::Float(3.0), Data::Float(0.0), Data::Float(8.0)]
    );
    assert_eq!(row_of(&t2, "行政许可")[1], Data::Float(9487.0));
    assert_eq!(row_of(&t2, "行政事业性收费")[1], Data::Float(7545.0));
    // The block headings span the table; a scalar row's figure spans the three columns.
    let merges = wb.merge_cells_by_sheet_name(SHEETS[0]).unwrap();
    let spans: Vec<_> = merges.iter().map(|d| (d.start, d.end)).collect();
    assert!(spans.contains(&((2, 0), (2, 3))), "{spans:?}");
    let licensing = t2
        .rows()
        .position(|r| r[0] == Data::String("行政许可".into()))
        .unwrap() as u32;
    assert!(
        spans.contains(&((licensing, 1), (licensing, 3))),
        "{spans:?}"
    );

    // 表三: 一、本年新收 [95, 0, 0, 0, 0, 0, 95]; （四）无法提供·1.本机关不掌握 31.
    let t3 = wb.worksheet_range(SHEETS[1]).unwrap();
    let new = row_of(&t3, "一、本年新收政府信息公开申请数量");
    assert_eq!(new[3], Data::Float(95.0));
    assert_eq!(new[9], Data::Float(95.0));
    let not_held = t3
        .rows()
        .find(|r| r[2] == Data::String("1.本机关不掌握相关政府信息".into()))
        .unwrap();
    assert_eq!(not_held[3], Data::Float(31.0));
    // Title and caption rows, three header rows, 一、二、, then the outcome rows.
    assert_eq!(text(t3.get_value((2 + 3 + 2, 0))), "三、本年度办理结果");
    let merges = wb.merge_cells_by_sheet_name(SHEETS[1]).unwrap();
    let spans: Vec<_> = merges.iter().map(|d| (d.start, d.end)).collect();
    // Corner note over 3×3, 申请人情况 over seven columns, 三、本年度办理结果 down 22 rows.
    for span in [((2, 0), (4, 2)), ((2, 3), (2, 9)), ((7, 0), (28, 0))] {
        assert!(spans.contains(&span), "{span:?} in {spans:?}");
    }

    // 表四: one row of fifteen figures under three header rows.
    let t4 = wb.worksheet_range(SHEETS[2]).unwrap();
    assert_eq!(text(t4.get_value((2, 0))), "行政复议");
    assert_eq!(text(t4.get_value((2, 5))), "行政诉讼");
    let merges = wb.merge_cells_by_sheet_name(SHEETS[2]).unwrap();
    assert!(merges.iter().any(|d| (d.start, d.end) == ((2, 5), (2, 14))));

    // A4 (paper size 9) on every sheet, 表四 across the page.
    for n in 1..=3 {
        let xml = part(&file, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(xml.contains("paperSize=\"9\""), "sheet{n}: {xml}");
    }
    assert!(part(&file, "xl/worksheets/sheet3.xml").contains("orientation=\"landscape\""));
}

/// 洪泽区 2023 acknowledged T4-total: the two 总计 cells it is about carry the note as a
/// comment; a `{value, note}` cell carries its note; `/` is written as text, not a number.
#[test]
fn notes_become_comments_and_marks_stay_as_written() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("2023.xlsx");
    export_ok(
        &repo(),
        &[
            "xlsx",
            "huaian/hongze",
            "2023",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    let t4 = wb.worksheet_range(SHEETS[2]).unwrap();
    let figures: Vec<f64> = (0..15)
        .map(|c| match t4.get_value((5, c)) {
            Some(Data::Float(f)) => *f,
            other => panic!("column {c}: {other:?}"),
        })
        .collect();
    // content/huaian/hongze/2023.md: review [10, 1, 0, 0, 0], after review [5, 0, 0, 0, 0].
    assert_eq!(
        figures,
        [
            10.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0
        ]
    );
    let comments = part(&file, "xl/comments1.xml");
    assert!(
        comments.contains("说明1：原文如此：行政复议“总计”栏填 0"),
        "{comments}"
    );
    assert!(comments.contains("ref=\"E6\"") && comments.contains("ref=\"O6\""));

    let site = site_copy("xiangcheng/huayuan/2020.md", |t| {
        t.replace(
            "  rules:     [0, 0, 0]",
            "  rules:     [\"/\", \"/\", \"/\"]",
        )
        .replace(
            "  normative: [0, 0, 0]",
            "  normative: [{value: 22, note: 其中修订16件}, 0, 22]",
        )
        .replace(
            "  procurement:    [2, 7000]",
            "  procurement:    [2, {value: 7000.50, unit: 万元}]",
        )
    });
    let file = out.path().join("2020.xlsx");
    export_ok(
        site.path(),
        &[
            "xlsx",
            "xiangcheng/huayuan",
            "2020",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    let t2 = wb.worksheet_range(SHEETS[0]).unwrap();
    assert_eq!(row_of(&t2, "规章")[1..], vec![Data::String("/".into()); 3]);
    assert_eq!(row_of(&t2, "规范性文件")[1], Data::Float(22.0));
    assert_eq!(row_of(&t2, "政府集中采购")[2], Data::Float(7000.5));
    let comments = part(&file, "xl/comments1.xml");
    assert!(comments.contains("注：其中修订16件"), "{comments}");
    // The amount keeps its decimals and unit in the number format.
    let styles = part(&file, "xl/styles.xml");
    assert!(
        styles.contains("formatCode=\"0.00&quot;万元&quot;\""),
        "{styles}"
    );
}

#[test]
fn summary_has_a_sheet_per_year_a_row_per_report_and_a_frozen_header() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("汇总.xlsx");
    export_ok(&repo(), &["summary", "-o", file.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), ["2024年", "2023年", "2020年"]);
    let y2024 = wb.worksheet_range("2024年").unwrap();
    let header: Vec<String> = y2024
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        header[..4],
        ["单位路径", "上级单位", "单位名称", "单位类别"]
    );
    let total = header
        .iter()
        .position(|h| h == "表三·一、本年新收政府信息公开申请数量·总计")
        .expect("a column per figure");
    let licensing = header
        .iter()
        .position(|h| h == "表二·行政许可·本年处理决定数量")
        .unwrap();
    let rows: Vec<Vec<Data>> = y2024.rows().skip(1).map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 2, "淮安市 and 洪泽区 reported for 2024");
    let by_unit = |id: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(id.into()))
            .unwrap()
    };
    // content/huaian/2024.md: new total 3119, licensing 447228; hongze: 95 and 9487.
    assert_eq!(by_unit("huaian")[total], Data::Float(3119.0));
    assert_eq!(by_unit("huaian")[licensing], Data::Float(447228.0));
    assert_eq!(by_unit("huaian/hongze")[total], Data::Float(95.0));
    assert_eq!(by_unit("huaian/hongze")[licensing], Data::Float(9487.0));
    assert_eq!(
        by_unit("huaian/hongze")[1],
        Data::String("淮安市人民政府".into())
    );
    // The 2019 format's own columns on the 2020 sheet.
    let y2020 = wb.worksheet_range("2020年").unwrap();
    let header: Vec<String> = y2020
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let procurement = header
        .iter()
        .position(|h| h == "表二·政府集中采购·采购总金额")
        .unwrap();
    assert_eq!(
        y2020.get_value((1, procurement as u32)),
        Some(&Data::Float(7000.0))
    );
    let sheet = part(&file, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    assert!(sheet.contains("<autoFilter"), "{sheet}");

    // A unit's summary holds its own reports and those below it only.
    let file = out.path().join("项城.xlsx");
    export_ok(
        &repo(),
        &["summary", "xiangcheng", "-o", file.to_str().unwrap()],
    );
    let wb: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(wb.sheet_names(), ["2020年"]);
}

fn docx(root: &Path, unit: &str, year: &str, dir: &Path) -> PathBuf {
    let file = dir.join(format!("{}-{year}.docx", unit.replace('/', "-")));
    export_ok(root, &["docx", unit, year, "-o", file.to_str().unwrap()]);
    file
}

#[test]
fn word_document_has_title_sections_tables_and_notes() {
    let out = tempfile::tempdir().unwrap();
    let file = docx(&repo(), "huaian/hongze", "2023", out.path());
    let xml = part(&file, "word/document.xml");
    // The title as the report writes it.
    assert!(xml.contains("洪泽区人民政府2023年政府信息公开工作年度报告"));
    for heading in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ] {
        assert!(xml.contains(heading), "{heading}");
    }
    // Prose as written, a sub-heading of section 一 included.
    assert!(xml.contains("（三）政府信息管理情况。"));
    assert!(xml.contains("我区在政府网站平台主动公开政府信息 1136 条"));
    // Tables with merged cells, the acknowledged figures marked and the note printed.
    assert_eq!(xml.matches("<w:tbl>").count(), 3);
    assert!(xml.contains("<w:gridSpan w:val=\"7\"/>"));
    assert!(xml.contains("w:val=\"restart\""));
    assert!(xml.contains("三、本年度办理结果"));
    assert!(
        xml.contains("0※1"),
        "the T4-total figures carry the note's mark"
    );
    assert!(xml.contains("说明"));
    assert!(xml.contains("原文如此：行政复议“总计”栏填 0"));
    // 公文 set-up: A4, 仿宋 body, 黑体 headings.
    assert!(xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""));
    assert!(xml.contains("w:eastAsia=\"仿宋\"") && xml.contains("w:eastAsia=\"黑体\""));
    // Run properties in the schema's order, the font first (Word drops it otherwise).
    assert!(!xml.contains("<w:rPr><w:sz") && xml.contains("<w:rPr><w:rFonts"));
    // Header rows of 表三 and 表四 repeat when the table runs over a page.
    assert!(xml.contains("<w:tblHeader/>"));

    // A cell's own note is printed after its figure, as on the site.
    let site = site_copy("xiangcheng/huayuan/2020.md", |t| {
        t.replace(
            "  normative: [0, 0, 0]",
            "  normative: [{value: 22, note: 其中修订16件}, 0, 22]",
        )
    });
    let file = docx(site.path(), "xiangcheng/huayuan", "2020", out.path());
    let xml = part(&file, "word/document.xml");
    assert!(xml.contains("22（其中修订16件）"));
    assert!(xml.contains("项城市人民政府花园街道办事处2020年政府信息公开工作年度报告"));
}

#[test]
fn a_year_exports_every_report_into_a_folder() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("2024年");
    export_ok(&repo(), &["docx", "2024", "-o", dir.to_str().unwrap()]);
    export_ok(&repo(), &["xlsx", "2024", "-o", dir.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // One report into an existing folder takes the report's title as its name.
    export_ok(
        &repo(),
        &[
            "docx",
            "xiangcheng/huayuan",
            "2020",
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    names.push("项城市人民政府花园街道办事处2020年政府信息公开工作年度报告.docx".into());
    let mut now: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    now.sort();
    names.sort();
    assert_eq!(now, names);
    assert_eq!(
        names,
        [
            "huaian-hongze-淮安市洪泽区人民政府2024年政府信息公开工作年度报告.docx",
            "huaian-hongze-淮安市洪泽区人民政府2024年政府信息公开工作年度报告.xlsx",
            "huaian-淮安市人民政府2024年政府信息公开工作年度报告.docx",
            "huaian-淮安市人民政府2024年政府信息公开工作年度报告.xlsx",
            "项城市人民政府花园街道办事处2020年政府信息公开工作年度报告.docx",
        ]
    );
}

/// A report with an error that is not acknowledged is not exported, and an earlier export of
/// it is left as it was.
#[test]
fn a_report_with_errors_is_refused_and_nothing_is_written() {
    let site = site_copy("huaian/hongze/2024.md", |t| {
        t.replacen(
            "  new:             [95, 0, 0, 0, 0, 0, 95]",
            "  new:             [96, 0, 0, 0, 0, 0, 95]",
            1,
        )
    });
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("r.docx");
    std::fs::write(&file, "earlier export").unwrap();
    for kind in ["docx", "xlsx"] {
        let o = nianbao(
            site.path(),
            &[kind, "huaian/hongze", "2024", "-o", file.to_str().unwrap()],
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("content/huaian/hongze/2024.md:"), "{err}");
        assert!(err.contains("没有导出"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "earlier export");
    // The summary of the site includes the report, so it is refused too; another unit's
    // report exports.
    let o = nianbao(
        site.path(),
        &["summary", "-o", out.path().join("s.xlsx").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.path().join("s.xlsx").exists());
    export_ok(
        site.path(),
        &[
            "xlsx",
            "huaian",
            "2024",
            "-o",
            out.path().join("h.xlsx").to_str().unwrap(),
        ],
    );
    // Leftover temporary files would clutter the user's folder.
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".nianbao-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn unknown_reports_and_bad_years_are_named() {
    let o = nianbao(&repo(), &["docx", "huaian/hongze", "2019"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("没有报告 content/huaian/hongze/2019.md") && err.contains("2023、2024"),
        "{err}"
    );
    let o = nianbao(&repo(), &["xlsx", "huaian/nope", "2024"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有单位 content/huaian/nope/"));
    let o = nianbao(&repo(), &["xlsx", "huaian", "二〇二四"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("“二〇二四”不是年度"));
}

/// LibreOffice opens the Word document and prints it: the PDF has pages, and its text holds the
/// title, the headings and the tables' figures.
#[test]
#[cfg_attr(
    not(office_tools),
    ignore = "needs LibreOffice (soffice) and poppler-utils (pdfinfo, pdftotext); CI installs them"
)]
fn libreoffice_converts_the_word_document_to_pdf() {
    let out = tempfile::tempdir().unwrap();
    let file = docx(&repo(), "huaian/hongze", "2024", out.path());
    // A private profile, so a LibreOffice the user has open does not take the job.
    let profile = out.path().join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .arg(&file)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = file.with_extension("pdf");
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{info}"));
    assert!((3..=8).contains(&pages), "{pages} pages");
    assert!(info.contains("(A4)"), "A4: {info}");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains("淮安市洪泽区人民政府2024年政府信息公开"),
        "{text}"
    );
    assert!(flat.contains("六、其他需要报告的事项"));
    assert!(
        flat.contains("第二十条第（五）项") && flat.contains("行政许可"),
        "{text}"
    );
    assert!(
        flat.contains("申请人情况") && flat.contains("行政复议"),
        "{text}"
    );
    assert!(text.contains("9487") && text.contains("2776"), "{text}");
}
