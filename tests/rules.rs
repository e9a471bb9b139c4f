//! One case that triggers each rule of report-format.md §6 (and our `encoding`, `acknowledged`)
//! and one that does not. Every case starts from a valid report (`check_common::R2021`, `R2020`) and
//! changes one line, so the line and column of each finding are meaningful: they are asserted,
//! and checked against the text found there.

mod check_common;

use check_common::*;
use nianbao::Severity::{Error, Warning};

const F21: &str = "content/city/jd/2021.md";
const F20: &str = "content/city/jd/2020.md";
const F22: &str = "content/city/jd/2022.md";
/// The same reports under the 人民政府 unit.
const GOV21: &str = "content/city/2021.md";

fn check21(text: &str) -> Vec<nianbao::Diagnostic> {
    findings(&[(F21, text)])
}

/// R2021 as the report of 2022: 2021's 结转下年度 equals its 上年结转 already.
fn r2022() -> String {
    mutate(
        &mutate(R2021, "year: 2021", "year: 2022"),
        "published: 2022-01-20",
        "published: 2023-01-20",
    )
}

#[test]
fn the_base_reports_are_clean() {
    assert_clean(&check21(R2021));
    assert_clean(&findings(&[(F20, R2020)]));
    assert_clean(&findings(&[(F20, R2020), (F21, R2021)]));
    assert_clean(&findings(&[(GOV21, R2021)]));
}

// ---------------------------------------------------------------------------------------------
// yaml

#[test]
fn yaml_syntax_error_points_at_the_file_line() {
    // Line 13 loses its closing bracket.
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [10, 2, 0, 0, 1, 0, 13",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want("yaml", Error, F21, (14, 15), ":", &["YAML 语法错误"]),
    );
}

#[test]
fn yaml_missing_fences() {
    let text = R2021.strip_prefix("---\n").unwrap();
    let diags = check21(text);
    assert_finding(
        single(&diags),
        text,
        want("yaml", Error, F21, (1, 1), "year", &["缺少 `---`"]),
    );

    // Keep the opening fence, drop the closing one.
    let no_closing = mutate(R2021, "\n---\n和平", "\n和平");
    let diags = check21(&no_closing);
    assert_finding(
        single(&diags),
        &no_closing,
        want("yaml", Error, F21, (1, 1), "---", &["没有结束的 `---`"]),
    );
}

#[test]
fn yaml_that_is_not_a_mapping() {
    let text = "---\n- a\n- b\n---\n正文\n";
    let diags = check21(text);
    assert_finding(
        single(&diags),
        text,
        want("yaml", Error, F21, (2, 1), "- a", &["键: 值"]),
    );
}

// ---------------------------------------------------------------------------------------------
// schema

#[test]
fn schema_unknown_report_key_suggests_the_known_one() {
    let text = mutate(R2021, "format: 2021", "fromat: 2021");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want("schema", Error, F21, (3, 1), "fromat", &["fromat"]),
    );
    assert_eq!(d.help.as_deref(), Some("是不是要写 `format`？"));
}

#[test]
fn schema_unknown_row_suggests_the_known_one() {
    // One typo, one finding: the row it resembles is not reported missing as well.
    let text = mutate(R2021, "  normative: [2, 1, 5]", "  normativ: [2, 1, 5]");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "schema",
            Error,
            F21,
            (7, 3),
            "normativ",
            &["表二中没有", "normativ"],
        ),
    );
    assert_eq!(d.help.as_deref(), Some("是不是要写 `normative`？"));
    assert_eq!(d.row.as_deref(), Some("行政规范性文件"));
}

#[test]
fn schema_unknown_row_without_a_near_key_and_the_missing_row() {
    let text = mutate(R2021, "  normative: [2, 1, 5]", "  documents: [2, 1, 5]");
    let diags = check21(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    // Sorted by position: the table key (line 5) first.
    assert_finding(
        &diags[0],
        &text,
        want(
            "schema",
            Error,
            F21,
            (5, 1),
            "active",
            &["表二缺少", "行政规范性文件", "normative"],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "schema",
            Error,
            F21,
            (7, 3),
            "documents",
            &["表二中没有", "documents"],
        ),
    );
    assert!(
        diags[1].help.as_deref().unwrap().starts_with("可用的行："),
        "{:?}",
        diags[1].help
    );
}

#[test]
fn schema_2019_key_in_a_2021_report() {
    let text = mutate(R2021, "  coercion: 4", "  other_services: [3, 0, 12]");
    let diags = check21(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "schema",
            Error,
            F21,
            (5, 1),
            "active",
            &["缺少", "行政强制"],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "schema",
            Error,
            F21,
            (10, 3),
            "other_services",
            &["other_services", "2019 格式", "2021 格式"],
        ),
    );
}

#[test]
fn schema_2021_key_in_a_2019_report() {
    let text = mutate(
        R2020,
        "  other:           [0, 0, 0, 0, 0, 0, 0]",
        "  other.no_correction: [0, 0, 0, 0, 0, 0, 0]",
    );
    let diags = findings(&[(F20, &text)]);
    let d = diags
        .iter()
        .find(|d| d.line == 37)
        .expect("a finding on line 37");
    assert_finding(
        d,
        &text,
        want(
            "schema",
            Error,
            F20,
            (37, 3),
            "other.no_correction",
            &["2021 格式", "2019 格式"],
        ),
    );
    assert!(diags.iter().all(|d| d.code == "schema"), "{diags:#?}");
}

#[test]
fn schema_2021_row_group_in_a_2019_report() {
    // The natural way to write 2021's three （六） rows, in a 2019 report where （六） is one row.
    let text = mutate(
        R2020,
        "  other:           [0, 0, 0, 0, 0, 0, 0]",
        "  other: {no_correction: [0, 0, 0, 0, 0, 0, 0], unpaid_fee: [0, 0, 0, 0, 0, 0, 0], other: [0, 0, 0, 0, 0, 0, 0]}",
    );
    let diags = findings(&[(F20, &text)]);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "schema",
            Error,
            F20,
            (37, 10),
            "{no_correction",
            &["2021 格式", "2019 格式"],
        ),
    );
}

#[test]
fn schema_2019_single_other_row_in_a_2021_report() {
    let text = mutate(
        R2021,
        "  other:\n    no_correction: [1, 0, 0, 0, 0, 0, 1]\n    unpaid_fee:    [0, 0, 0, 0, 0, 0, 0]\n    other:         [0, 0, 0, 0, 0, 0, 0]\n",
        "  other:           [1, 0, 0, 0, 0, 0, 1]\n",
    );
    let diags = check21(&text);
    let d = diags
        .iter()
        .find(|d| d.line == 36)
        .expect("a finding on line 36");
    assert_finding(
        d,
        &text,
        want(
            "schema",
            Error,
            F21,
            (36, 20),
            "[1,",
            &["2021格式中 `other` 分为几行"],
        ),
    );
    assert!(d.help.as_deref().unwrap().contains("no_correction"));
    assert!(diags.iter().all(|d| d.code == "schema"), "{diags:#?}");
}

#[test]
fn schema_wrong_row_length() {
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [10, 2, 0, 0, 1, 13]",
    );
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "schema",
            Error,
            F21,
            (13, 20),
            "[10, 2",
            &["应有 7 个数，实有 6 个", "一、本年新收"],
        ),
    );
    assert_eq!(
        (d.expected.as_deref(), d.actual.as_deref()),
        (Some("7"), Some("6"))
    );
}

#[test]
fn schema_scalar_row_written_as_a_list() {
    let text = mutate(R2021, "  licensing: 120", "  licensing: [0, 1, 120]");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "schema",
            Error,
            F21,
            (8, 14),
            "[0, 1",
            &["行政许可", "只有一个数"],
        ),
    );
}

#[test]
fn schema_missing_row() {
    let text = mutate(R2021, "  carried_forward: [1, 0, 0, 0, 0, 0, 1]\n", "");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "schema",
            Error,
            F21,
            (12, 1),
            "applications",
            &["表三缺少", "四、结转下年度继续办理", "carried_forward"],
        ),
    );
}

#[test]
fn schema_missing_table() {
    let text = mutate(
        R2021,
        "appeals:\n  review:                  [1, 0, 0, 1, 2]\n  litigation:              [0, 0, 0, 0, 0]\n  litigation_after_review: [0, 0, 0, 1, 1]\n",
        "",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "schema",
            Error,
            F21,
            (1, 1),
            "---",
            &[
                "报告缺少",
                "四、政府信息公开行政复议、行政诉讼情况",
                "appeals",
            ],
        ),
    );
}

#[test]
fn schema_unknown_cell_key_suggests_value() {
    let text = mutate(R2021, "  licensing: 120", "  licensing: {valeu: 120}");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want("schema", Error, F21, (8, 15), "valeu", &["valeu"]),
    );
    assert_eq!(d.help.as_deref(), Some("是不是要写 `value`？"));
}

// ---------------------------------------------------------------------------------------------
// cell-type

#[test]
fn cell_type_count_written_as_3_point_0() {
    let text = mutate(R2021, "  licensing: 120", "  licensing: 3.0");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (8, 14),
            "3.0",
            &["表二", "行政许可", "本年处理决定数量", "“3.0”不是整数"],
        ),
    );
    assert_eq!(d.column_label.as_deref(), Some("本年处理决定数量"));
}

#[test]
fn cell_type_count_with_a_unit_word() {
    let text = mutate(R2021, "  coercion: 4", "  coercion: \"3件\"");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (10, 13),
            "\"3件\"",
            &["行政强制", "“3件”不是数字"],
        ),
    );
}

#[test]
fn cell_type_count_in_chinese_numerals() {
    let text = mutate(R2021, "  punishment: 30", "  punishment: 三");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (9, 15),
            "三",
            &["行政处罚", "“三”不是数字"],
        ),
    );
}

#[test]
fn cell_type_negative_outside_increase_decrease() {
    let text = mutate(R2021, "  normative: [2, 1, 5]", "  normative: [2, -1, 5]");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (7, 18),
            "-1",
            &["本年废止件数", "负数"],
        ),
    );
    // 本年增/减 may be negative: R2020 has -2 and -1 and is clean.
    assert_clean(&findings(&[(F20, R2020)]));
}

#[test]
fn cell_type_negative_amount() {
    let text = mutate(R2021, "  fees: 12.5", "  fees: -12.5");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (11, 9),
            "-12.5",
            &["行政事业性收费", "负数"],
        ),
    );
}

#[test]
fn cell_type_fraction_outside_amounts() {
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [10, 2, 0, 0, 1, 0, 13.5]",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (13, 40),
            "13.5",
            &["表三", "总计", "“13.5”不是整数"],
        ),
    );

    // 本年增/减 is signed, but still whole.
    let text = mutate(R2020, "[10, -2, 30]", "[10, -2.5, 30]");
    let diags = findings(&[(F20, &text)]);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F20,
            (7, 24),
            "-2.5",
            &["本年增/减", "不是整数"],
        ),
    );

    // Fractions in amount columns are fine (fees 12.5 in R2021, procurement 35.6 in R2020).
    assert_clean(&findings(&[(F20, R2020), (F21, R2021)]));
}

/// Issue 14.12: a 27-digit count was accepted and published. A count beyond 12 digits is more than
/// any office could handle in a year and is a `cell-type` error at the cell.
#[test]
fn cell_type_count_beyond_what_any_office_could_have() {
    let text = mutate(
        R2021,
        "  licensing: 120",
        "  licensing: 123456789012345678901234567",
    );
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (8, 14),
            "123456789012345678901234567",
            &["表二", "行政许可", "超出件数上限"],
        ),
    );
    assert!(
        d.help.as_deref().unwrap_or("").contains("999999999999"),
        "{d:#?}"
    );

    // The bound itself is a count; one more is not; nor is a decrease beyond it.
    assert_clean(&check21(&mutate(
        R2021,
        "  licensing: 120",
        "  licensing: 999999999999",
    )));
    let text = mutate(R2021, "  licensing: 120", "  licensing: 1000000000000");
    assert_finding(
        single(&check21(&text)),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (8, 14),
            "1000000000000",
            &["超出件数上限"],
        ),
    );
    let text = mutate(R2020, "[10, -2, 30]", "[10, -10000000000000, 30]");
    assert_finding(
        single(&findings(&[(F20, &text)])),
        &text,
        want(
            "cell-type",
            Error,
            F20,
            (7, 24),
            "-10000000000000",
            &["超出件数上限"],
        ),
    );
}

/// Counts that fit 64 bits but whose sum does not used to overflow the identity sums (a panic in
/// debug builds, a wrapped total in release).
#[test]
fn sums_of_huge_counts_never_overflow() {
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [9223372036854775807, 9223372036854775807, 0, 0, 1, 0, 13]",
    );
    let diags = check21(&text);
    assert!(
        diags.len() == 2 && diags.iter().all(|d| d.code == "cell-type"),
        "{diags:#?}"
    );

    // The largest counts accepted add up exactly.
    let text = mutate(
        R2021,
        "new:             [10, 2, 0, 0, 1, 0, 13]",
        "new:             [999999999999, 999999999999, 0, 0, 1, 0, 13]",
    );
    let diags = check21(&text);
    let row_total = diags
        .iter()
        .find(|d| d.code == "T3-row-total")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(
        row_total.message.contains("1999999999999"),
        "{row_total:#?}"
    );
}

/// Amounts are exact decimals: a fraction too fine to be money or an amount beyond any budget
/// is a `cell-type` error, not a panic while printing it.
#[test]
fn cell_type_amount_beyond_its_bounds() {
    let tiny = format!("0.{}1", "0".repeat(40));
    let text = mutate(R2021, "  fees: 12.5", &format!("  fees: {tiny}"));
    assert_finding(
        single(&check21(&text)),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (11, 9),
            &tiny,
            &["行政事业性收费", "小数"],
        ),
    );
    let text = mutate(R2021, "  fees: 12.5", "  fees: 1234567890123456");
    assert_finding(
        single(&check21(&text)),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (11, 9),
            "1234567890123456",
            &["超出金额上限"],
        ),
    );
    assert_clean(&check21(&mutate(
        R2021,
        "  fees: 12.5",
        "  fees: 999999999999999.999999",
    )));
}

#[test]
fn cell_type_columns_count_characters_after_chinese_text() {
    let text = mutate(
        R2021,
        "  licensing: 120",
        "  licensing: {note: 其中变更十六件, value: 3.5}",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want("cell-type", Error, F21, (8, 37), "3.5", &["“3.5”不是整数"]),
    );
}

#[test]
fn cell_type_unit_on_a_count() {
    let text = mutate(
        R2021,
        "  licensing: 120",
        "  licensing: {value: 120, unit: 件}",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "cell-type",
            Error,
            F21,
            (8, 27),
            "unit",
            &["只有金额列可以写单位"],
        ),
    );
    // On an amount it is fine.
    assert_clean(&check21(&mutate(
        R2021,
        "  fees: 12.5",
        "  fees: {value: 125000, unit: 元}",
    )));
}

// ---------------------------------------------------------------------------------------------
// year

#[test]
fn year_differs_from_the_file_stem() {
    let text = mutate(R2021, "year: 2021", "year: 2022");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want("year", Error, F21, (2, 7), "2022", &["2022", "2021.md"]),
    );
    assert_eq!(
        (d.expected.as_deref(), d.actual.as_deref()),
        (Some("2021"), Some("2022"))
    );
}

#[test]
fn year_two_reports_for_one_year() {
    let upper = "content/city/jd/2020.MD";
    let diags = findings(&[(F20, R2020), (upper, R2020)]);
    let d = single(&diags);
    assert_finding(
        d,
        R2020,
        want(
            "year",
            Error,
            F20,
            (0, 0),
            "",
            &["2020 年有两份报告", upper, F20],
        ),
    );
    // Two years, one report each: fine.
    assert_clean(&findings(&[(F20, R2020), (F21, R2021)]));
}

#[test]
fn year_a_markdown_file_not_named_by_year() {
    let diags = findings(&[("content/city/jd/report.md", R2021)]);
    assert_finding(
        single(&diags),
        R2021,
        want(
            "year",
            Error,
            "content/city/jd/report.md",
            (0, 0),
            "",
            &["报告文件应以年份命名"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// sections

#[test]
fn sections_missing_one() {
    let text = mutate(R2021, "## 一、总体情况", "## 总体情况");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "sections",
            Error,
            F21,
            (53, 1),
            "## 二、",
            &["缺少第一部分", "一、总体情况"],
        ),
    );
}

#[test]
fn sections_missing_five() {
    let text = mutate(
        R2021,
        "## 五、存在的主要问题及改进情况",
        "## 存在的主要问题及改进情况",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "sections",
            Error,
            F21,
            (63, 1),
            "## 六、",
            &["缺少第五部分"],
        ),
    );
}

#[test]
fn sections_missing_six_points_after_the_last_section() {
    let text = mutate(R2021, "## 六、其他需要报告的事项", "## 其他需要报告的事项");
    let diags = check21(&text);
    // Where 六 belongs: after 五, whose heading is on line 59.
    assert_finding(
        single(&diags),
        &text,
        want(
            "sections",
            Error,
            F21,
            (59, 1),
            "## 五、",
            &["缺少第六部分", "六、其他需要报告的事项"],
        ),
    );
}

#[test]
fn sections_empty() {
    let text = mutate(R2021, "公开内容还不够全面，下一步将加强培训。\n", "");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "sections",
            Error,
            F21,
            (59, 1),
            "## 五、",
            &["第五部分", "没有内容"],
        ),
    );
}

#[test]
fn sections_out_of_order() {
    let five = "## 五、存在的主要问题及改进情况\n\n公开内容还不够全面，下一步将加强培训。\n";
    let six = "## 六、其他需要报告的事项\n\n本年度未收取信息处理费。\n";
    let text = mutate(R2021, &format!("{five}\n{six}"), &format!("{six}\n{five}"));
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "sections",
            Error,
            F21,
            (63, 1),
            "## 五、",
            &[
                "五、存在的主要问题及改进情况",
                "六、其他需要报告的事项",
                "顺序不对",
            ],
        ),
    );
}

#[test]
fn sections_with_the_authors_wording_are_recognised() {
    let text = mutate(
        R2021,
        "## 五、存在的主要问题及改进情况",
        "### 五、政府信息公开工作存在的主要问题及改进情况",
    );
    assert_clean(&check21(&text));
}

// ---------------------------------------------------------------------------------------------
// unit

#[test]
fn unit_report_outside_a_unit_folder() {
    let diags = findings(&[("content/2021.md", R2021)]);
    assert_finding(
        single(&diags),
        R2021,
        want(
            "unit",
            Error,
            "content/2021.md",
            (0, 0),
            "",
            &["报告不在单位文件夹中"],
        ),
    );

    let diags = findings(&[("content/nowhere/2021.md", R2021)]);
    assert_finding(
        single(&diags),
        R2021,
        want(
            "unit",
            Error,
            "content/nowhere/2021.md",
            (0, 0),
            "",
            &["content/nowhere", "没有 _index.md"],
        ),
    );
}

#[test]
fn unit_without_name_or_kind_or_with_an_unknown_kind() {
    let cases = [
        (
            mutate(JD, "name: 测试市人民政府和平街道办事处\n", ""),
            (1, 1),
            "---",
            "缺少 `name`",
        ),
        (mutate(JD, "kind: 街道\n", ""), (1, 1), "---", "缺少 `kind`"),
        (
            mutate(JD, "kind: 街道", "kind: 街道办"),
            (4, 7),
            "街道办",
            "不认识的单位类别“街道办”",
        ),
    ];
    for (jd, pos, at, words) in cases {
        let (_dir, checked) = check_files(&[
            ("content/_index.md", SITE),
            ("content/city/_index.md", CITY),
            ("content/city/jd/_index.md", &jd),
            (F21, R2021),
        ]);
        let diags = checked.outcome.diagnostics;
        assert_finding(
            single(&diags),
            &jd,
            want(
                "unit",
                Error,
                "content/city/jd/_index.md",
                pos,
                at,
                &[words],
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// encoding

#[test]
fn encoding_gbk_bytes() {
    // Line 47 (the preamble) saved in GBK: 和平街道 = BACD C6BD BDD6 B5C0.
    let mut bytes = Vec::new();
    for (i, line) in R2021.lines().enumerate() {
        if i + 1 == 47 {
            bytes.extend_from_slice(b"\xba\xcd\xc6\xbd\xbd\xd6\xb5\xc0");
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
        bytes.push(b'\n');
    }
    assert!(String::from_utf8(bytes.clone()).is_err());
    let (_dir, checked) = check_files(&[
        ("content/_index.md", SITE.as_bytes()),
        ("content/city/_index.md", CITY.as_bytes()),
        ("content/city/jd/_index.md", JD.as_bytes()),
        (F21, &bytes),
    ]);
    let diags = checked.outcome.diagnostics;
    let d = single(&diags);
    assert_finding(
        d,
        "",
        want("encoding", Error, F21, (47, 0), "", &["不是 UTF-8", "GBK"]),
    );
    assert!(d.help.as_deref().unwrap().contains("iconv"));
    assert_eq!(checked.loaded.report_count, 1);
}

// ---------------------------------------------------------------------------------------------
// skipped-file (more cases, on the real binary, in output_safety.rs)

#[cfg(unix)]
#[test]
fn skipped_file_a_link_out_of_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "secret").unwrap();
    let files = with_units(&[(F21, R2021)]);
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = lay_out(&files);
    std::os::unix::fs::symlink(
        outside.path().join("secret.pdf"),
        dir.path().join("content/city/jd/2021.pdf"),
    )
    .unwrap();
    let checked = nianbao::check::check_site(dir.path()).unwrap();
    let diags = checked.outcome.diagnostics;
    assert_finding(
        single(&diags),
        "",
        want(
            "skipped-file",
            Warning,
            "content/city/jd/2021.pdf",
            (0, 0),
            "",
            &["站点以外"],
        ),
    );
    assert!(checked.loaded.attachments.is_empty());
}

// ---------------------------------------------------------------------------------------------
// The identities of 表三 and 表四

#[test]
fn t3_balance() {
    let text = mutate(
        R2021,
        "  carried_forward: [1, 0, 0, 0, 0, 0, 1]",
        "  carried_forward: [2, 0, 0, 0, 0, 0, 2]",
    );
    let diags = check21(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "T3-balance",
            Error,
            F21,
            (41, 21),
            "2",
            &["四、结转下年度继续办理·自然人", "应为 1", "实为 2"],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "T3-balance",
            Error,
            F21,
            (41, 39),
            "2",
            &["四、结转下年度继续办理·总计", "应为 1", "实为 2"],
        ),
    );
    assert_eq!(
        (diags[1].expected.as_deref(), diags[1].actual.as_deref()),
        (Some("1"), Some("2"))
    );
    assert_eq!(diags[1].row.as_deref(), Some("四、结转下年度继续办理"));
}

#[test]
fn t3_outcomes() {
    let text = mutate(
        R2021,
        "  granted:         [5, 1, 0, 0, 0, 0, 6]",
        "  granted:         [6, 1, 0, 0, 0, 0, 7]",
    );
    let diags = check21(&text);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "T3-outcomes",
            Error,
            F21,
            (40, 21),
            "10",
            &["（七）总计·自然人", "应为 11", "实为 10"],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "T3-outcomes",
            Error,
            F21,
            (40, 40),
            "13",
            &["（七）总计·总计", "应为 14", "实为 13"],
        ),
    );
}

#[test]
fn t3_row_total() {
    // The row's 总计 is also part of the column identity of （七）总计.
    let text = mutate(
        R2021,
        "  granted:         [5, 1, 0, 0, 0, 0, 6]",
        "  granted:         [5, 1, 0, 0, 0, 0, 7]",
    );
    let diags = check21(&text);
    assert_eq!(codes(&diags), ["T3-row-total", "T3-outcomes"], "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "T3-row-total",
            Error,
            F21,
            (15, 39),
            "7",
            &["（一）予以公开·总计", "应为 6", "实为 7"],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "T3-outcomes",
            Error,
            F21,
            (40, 40),
            "13",
            &["（七）总计·总计", "应为 14"],
        ),
    );
}

#[test]
fn t4_total() {
    let text = mutate(R2021, "[1, 0, 0, 1, 2]", "[1, 0, 0, 1, 3]");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "T4-total",
            Error,
            F21,
            (43, 41),
            "3",
            &["表四 行政复议·总计", "应为 2", "实为 3"],
        ),
    );
    assert_eq!(d.table.as_deref(), Some("表四"));
}

#[test]
fn identities_hold_for_2019_too() {
    let text = mutate(
        R2020,
        "  review:                  [0, 0, 0, 0, 0]",
        "  review:                  [1, 0, 0, 0, 0]",
    );
    let diags = findings(&[(F20, &text)]);
    assert_finding(
        single(&diags),
        &text,
        want(
            "T4-total",
            Error,
            F20,
            (41, 41),
            "0",
            &["行政复议·总计", "应为 1"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// blank-cell

#[test]
fn blank_cell() {
    let text = mutate(
        R2021,
        "  litigation:              [0, 0, 0, 0, 0]",
        "  litigation:              [0, 0, ~, 0, 0]",
    );
    let diags = check21(&text);
    // T4-total needs the blank cell and is skipped.
    assert_finding(
        single(&diags),
        &text,
        want(
            "blank-cell",
            Warning,
            F21,
            (44, 35),
            "~",
            &["表四", "未经复议直接起诉", "其他结果", "空白"],
        ),
    );

    let text = mutate(R2021, "  coercion: 4", "  coercion: \"/\"");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "blank-cell",
            Warning,
            F21,
            (10, 13),
            "\"/\"",
            &["行政强制", "“/”"],
        ),
    );

    let text = mutate(R2021, "  punishment: 30", "  punishment: \"\"");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "blank-cell",
            Warning,
            F21,
            (9, 15),
            "\"\"",
            &["行政处罚", "空白"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// format-year

#[test]
fn format_year_2019_in_2021() {
    let text = mutate(
        &mutate(R2020, "year: 2020\n", "year: 2021\nformat: 2019\n"),
        "published: 2021-01-25",
        "published: 2022-01-25",
    );
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "format-year",
            Warning,
            F21,
            (3, 9),
            "2019",
            &["2021 年度", "2019 格式", "2021 格式"],
        ),
    );
    assert_eq!(
        (d.expected.as_deref(), d.actual.as_deref()),
        Some(("2021", "2019")).unzip()
    );
}

#[test]
fn format_year_2021_in_2020() {
    let text = mutate(
        &mutate(R2021, "year: 2021", "year: 2020"),
        "published: 2022-01-20",
        "published: 2021-01-20",
    );
    let diags = findings(&[(F20, &text)]);
    assert_finding(
        single(&diags),
        &text,
        want(
            "format-year",
            Warning,
            F20,
            (3, 9),
            "2021",
            &["2020 年度", "2021 格式", "2019 格式"],
        ),
    );
}

#[test]
fn format_year_explicit_and_right_is_fine() {
    // R2021 says `format: 2021` explicitly.
    assert!(R2021.contains("format: 2021"));
    assert_clean(&check21(R2021));
}

// ---------------------------------------------------------------------------------------------
// carry-over

#[test]
fn carry_over_across_2020_to_2021() {
    // 2021 says 2 were carried over (and 12 new, so its own table still balances); 2020 says 1.
    let text = mutate(
        R2021,
        "  carried_over:    [1, 0, 0, 0, 0, 0, 1]",
        "  carried_over:    [2, 0, 0, 0, 0, 0, 2]",
    );
    let text = mutate(
        &text,
        "  new:             [10, 2, 0, 0, 1, 0, 13]",
        "  new:             [9, 2, 0, 0, 1, 0, 12]",
    );
    let text = mutate(&text, "申请13件", "申请12件");
    assert_clean(&check21(&text));
    let diags = findings(&[(F20, R2020), (F21, &text)]);
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "carry-over",
            Warning,
            F21,
            (14, 21),
            "2",
            &[
                "二、上年结转政府信息公开申请数量·自然人",
                "应为 1",
                "2020 年",
                "实为 2",
            ],
        ),
    );
    assert_finding(
        &diags[1],
        &text,
        want(
            "carry-over",
            Warning,
            F21,
            (14, 39),
            "2",
            &["·总计", "应为 1", "实为 2"],
        ),
    );
    assert_eq!(
        (diags[1].expected.as_deref(), diags[1].actual.as_deref()),
        (Some("1"), Some("2"))
    );
}

#[test]
fn carry_over_between_2021_reports() {
    let text = mutate(
        &r2022(),
        "  carried_over:    [1, 0, 0, 0, 0, 0, 1]",
        "  carried_over:    [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "  carried_forward: [1, 0, 0, 0, 0, 0, 1]",
        "  carried_forward: [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(&text, "  normative: [2, 1, 5]", "  normative: [2, 1, 6]");
    let diags = findings(&[(F21, R2021), (F22, &text)]);
    assert_eq!(codes(&diags), ["carry-over", "carry-over"], "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want(
            "carry-over",
            Warning,
            F22,
            (14, 21),
            "0",
            &["应为 1", "实为 0"],
        ),
    );
}

#[test]
fn carry_over_needs_both_years() {
    // A gap year: 2022 without 2021 is not compared with 2020.
    let text = mutate(&r2022(), "  normative: [2, 1, 5]", "  normative: [2, 1, 6]");
    assert_clean(&findings(&[(F20, R2020), (F22, &text)]));
}

// ---------------------------------------------------------------------------------------------
// in-force

#[test]
fn in_force() {
    // 2021 has 5 in force; 2022 issues 2 and repeals 1, so 6, but says 5.
    let text = r2022();
    let diags = findings(&[(F21, R2021), (F22, &text)]);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "in-force",
            Warning,
            F22,
            (7, 21),
            "5",
            &["行政规范性文件", "应为 6", "2021 年的 5", "实为 5"],
        ),
    );
    assert_eq!(
        (d.expected.as_deref(), d.actual.as_deref()),
        (Some("6"), Some("5"))
    );

    let text = mutate(&text, "  normative: [2, 1, 5]", "  normative: [2, 1, 6]");
    assert_clean(&findings(&[(F21, R2021), (F22, &text)]));
}

#[test]
fn in_force_is_a_2021_format_rule() {
    // 2020 (format 2019) → 2021: not compared, even when the figures would not add up.
    let text = mutate(R2021, "  normative: [2, 1, 5]", "  normative: [2, 1, 9]");
    assert_clean(&findings(&[(F20, R2020), (F21, &text)]));
}

// ---------------------------------------------------------------------------------------------
// narrative

#[test]
fn narrative_stated_count_differs() {
    let text = mutate(R2021, "申请13件", "申请12件");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 21),
            "12件",
            &["收到申请 12 件", "总计为 13"],
        ),
    );
    assert_eq!(
        (d.expected.as_deref(), d.actual.as_deref()),
        (Some("13"), Some("12"))
    );
}

#[test]
fn narrative_none_received_while_the_table_has_some() {
    let text = mutate(
        R2021,
        "2021年，本街道共收到政府信息公开申请13件，均按时答复。",
        "2021年，本街道未接到任何形式的信息公开申请。",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 10),
            "未接到",
            &["未接到任何形式的信息公开申请", "总计为 13"],
        ),
    );
}

#[test]
fn narrative_none_received_with_an_empty_table_is_fine() {
    // R2020 with no applications at all.
    let text = mutate(
        R2020,
        "  new:             [4, 0, 0, 0, 0, 0, 4]",
        "  new:             [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "  granted:         [2, 0, 0, 0, 0, 0, 2]",
        "  granted:         [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "    not_held:      [1, 0, 0, 0, 0, 0, 1]",
        "    not_held:      [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "  total:           [3, 0, 0, 0, 0, 0, 3]",
        "  total:           [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "  carried_forward: [1, 0, 0, 0, 0, 0, 1]",
        "  carried_forward: [0, 0, 0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "本街道共收到政府信息公开申请4件",
        "本街道未接到任何形式的信息公开申请",
    );
    assert_clean(&findings(&[(F20, &text)]));
}

#[test]
fn narrative_review_and_litigation_counts() {
    // 表四: 行政复议 总计 2; 行政诉讼 0 + 1.
    let ok = mutate(
        R2021,
        "均按时答复。",
        "均按时答复。全年发生行政复议2件，行政诉讼1件。",
    );
    assert_clean(&check21(&ok));

    let text = mutate(
        R2021,
        "均按时答复。",
        "均按时答复。全年发生行政复议3件，行政诉讼1件。",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 39),
            "3件",
            &["行政复议 3 件", "行政复议·总计", "为 2"],
        ),
    );

    let text = mutate(
        R2021,
        "均按时答复。",
        "均按时答复。全年发生行政复议2件，行政诉讼2件。",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 46),
            "2件",
            &["行政诉讼 2 件", "为 1"],
        ),
    );

    let text = mutate(R2021, "均按时答复。", "均按时答复。未发生行政复议案件。");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 31),
            "未发生行政复议",
            &["未发生行政复议", "行政复议总计为 2"],
        ),
    );
}

#[test]
fn narrative_review_applications_are_not_information_requests() {
    // "受理行政复议申请 2 件" is about 行政复议 (2 in 表四), not about 表三's 13 requests.
    let text = mutate(R2021, "均按时答复。", "受理行政复议申请 2 件。");
    assert_clean(&check21(&text));

    // With the wrong figure it is a 行政复议 finding, still not an application-count one.
    let text = mutate(R2021, "均按时答复。", "受理行政复议申请 3 件。");
    let diags = check21(&text);
    let d = single(&diags);
    assert!(
        d.message.contains("行政复议 3 件") && !d.message.contains("收到申请"),
        "{d:#?}"
    );
}

#[test]
fn narrative_no_review_applications_is_not_no_requests() {
    // "未收到行政复议申请" says nothing about 表三's 13 requests.
    let text = mutate(
        R2021,
        "  review:                  [1, 0, 0, 1, 2]",
        "  review:                  [0, 0, 0, 0, 0]",
    );
    let text = mutate(
        &text,
        "均按时答复。",
        "均按时答复。本年度未收到行政复议申请。",
    );
    assert_clean(&check21(&text));
}

#[test]
fn narrative_applicant_is_not_application() {
    // Issue 11.7: "未收到该申请人提交的补正" is about one applicant's correction, not a statement
    // that no applications came in; only the whole phrase "未收到…申请" counts.
    let text = mutate(
        R2021,
        "均按时答复。",
        "均按时答复。其中1件因未收到该申请人提交的补正材料，按撤回处理。",
    );
    assert_clean(&check21(&text));
}

#[test]
fn narrative_applicant_materials_are_not_applications() {
    // "收到申请人补正材料2件" counts an applicant's papers, not applications received.
    let text = mutate(
        R2021,
        "均按时答复。",
        "均按时答复。办理中收到申请人补正材料2件。",
    );
    assert_clean(&check21(&text));
}

#[test]
fn narrative_count_after_the_word_applicant_is_still_read() {
    // Whole phrases: "申请人" is skipped, the later "申请17件" is the stated count.
    let text = mutate(
        R2021,
        "共收到政府信息公开申请13件",
        "共收到申请人提出的政府信息公开申请17件",
    );
    let diags = check21(&text);
    let d = single(&diags);
    assert_eq!(d.code.to_string(), "narrative");
    assert!(d.message.contains("收到申请 17 件"), "{d:#?}");
}

#[test]
fn narrative_received_including_carried_over() {
    // 一 + 二 = 13 + 1.
    let text = mutate(
        R2021,
        "共收到政府信息公开申请13件，均按时答复。",
        "共受理申请 14 件（含上年结转 1 件），均按时答复。",
    );
    assert_clean(&check21(&text));

    // Without saying it includes the carried-over ones, 14 is not the 13 of 一.
    let text = mutate(
        R2021,
        "共收到政府信息公开申请13件，均按时答复。",
        "共受理申请 14 件，均按时答复。",
    );
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "narrative",
            Warning,
            F21,
            (51, 16),
            "14",
            &["收到申请 14 件", "总计为 13"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// deadline

#[test]
fn deadline_subdistrict_31_january() {
    let late = mutate(R2021, "published: 2022-01-20", "published: 2022-02-15");
    let diags = check21(&late);
    let d = single(&diags);
    assert_finding(
        d,
        &late,
        want(
            "deadline",
            Warning,
            F21,
            (4, 12),
            "2022-02-15",
            &["2022-02-15", "2022-01-31"],
        ),
    );
    assert_eq!(d.actual.as_deref(), Some("2022-02-15"));

    let last_day = mutate(R2021, "published: 2022-01-20", "published: 2022-01-31");
    assert_clean(&check21(&last_day));
}

#[test]
fn deadline_government_31_march() {
    let feb = mutate(R2021, "published: 2022-01-20", "published: 2022-02-15");
    assert_clean(&findings(&[(GOV21, &feb)]));
    let last_day = mutate(R2021, "published: 2022-01-20", "published: 2022-03-31");
    assert_clean(&findings(&[(GOV21, &last_day)]));

    let late = mutate(R2021, "published: 2022-01-20", "published: 2022-04-01");
    let diags = findings(&[(GOV21, &late)]);
    assert_finding(
        single(&diags),
        &late,
        want(
            "deadline",
            Warning,
            GOV21,
            (4, 12),
            "2022-04-01",
            &["2022-03-31", "人民政府"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// published

#[test]
fn published_missing() {
    let text = mutate(R2021, "published: 2022-01-20\n", "");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want("published", Warning, F21, (1, 1), "---", &["没有发布日期"]),
    );
}

#[test]
fn published_not_a_date_is_a_schema_error() {
    let text = mutate(R2021, "published: 2022-01-20", "published: 2022年1月20日");
    let diags = check21(&text);
    assert_eq!(codes(&diags), ["published", "schema"], "{diags:#?}");
    assert_finding(
        &diags[1],
        &text,
        want("schema", Error, F21, (4, 12), "2022年", &["不是有效日期"]),
    );
}

// ---------------------------------------------------------------------------------------------
// fee-note

#[test]
fn fee_note() {
    let text = mutate(R2021, "本年度未收取信息处理费。", "无。");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want(
            "fee-note",
            Warning,
            F21,
            (63, 1),
            "## 六、",
            &["第六部分", "信息处理费"],
        ),
    );
    // Format 2019 does not need it: R2020's 六 says 无。
    assert!(R2020.ends_with("## 六、其他需要报告的事项\n\n无。\n"));
    assert_clean(&findings(&[(F20, R2020)]));
}

// ---------------------------------------------------------------------------------------------
// site-identity

#[test]
fn site_identity() {
    for (line, label) in [
        ("owner: 测试市人民政府办公室\n", "主办单位"),
        ("site_code: \"0000000000\"\n", "政府网站标识码"),
        ("icp: 测ICP备00000000号\n", "ICP备案号"),
        (
            "police_record: 测公网安备00000000000000号\n",
            "公安机关备案号",
        ),
    ] {
        let site = mutate(SITE, line, "");
        let (_dir, checked) = check_files(&[
            ("content/_index.md", site.as_str()),
            ("content/city/_index.md", CITY),
            ("content/city/jd/_index.md", JD),
            (F21, R2021),
        ]);
        let diags = checked.outcome.diagnostics;
        assert_finding(
            single(&diags),
            &site,
            want(
                "site-identity",
                Warning,
                "content/_index.md",
                (1, 1),
                "---",
                &[label],
            ),
        );
    }
}

#[test]
fn site_settings_missing() {
    let (_dir, checked) = check_files(&[
        ("content/city/_index.md", CITY),
        ("content/city/jd/_index.md", JD),
        (F21, R2021),
    ]);
    let diags = checked.outcome.diagnostics;
    assert_finding(
        single(&diags),
        "",
        want(
            "schema",
            Error,
            "content/_index.md",
            (0, 0),
            "",
            &["缺少站点设置文件"],
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// acknowledged

const T4_WRONG: (&str, &str) = ("[1, 0, 0, 1, 2]", "[1, 0, 0, 1, 3]");

fn acknowledging(text: &str, rule: &str) -> String {
    mutate(
        text,
        "published: 2022-01-20\n",
        &format!("published: 2022-01-20\nacknowledged: [{{rule: {rule}, note: 原文如此}}]\n"),
    )
}

#[test]
fn acknowledged_silences_its_rule_in_its_report() {
    let text = acknowledging(&mutate(R2021, T4_WRONG.0, T4_WRONG.1), "T4-total");
    let (_dir, checked) = check_files(&file_refs(&with_units(&[(F21, &text)])));
    assert_clean(&checked.outcome.diagnostics);
    let [s] = &checked.outcome.silenced[..] else {
        panic!("one silenced finding: {:#?}", checked.outcome.silenced)
    };
    let d = &s.finding;
    assert_eq!(
        (d.code.code(), d.file.as_str(), d.line, d.column),
        ("T4-total", F21, 44, 41)
    );
    // The figure is 表四 行政复议·总计, marked with the first (only) note.
    assert_eq!(
        (s.note, s.figure),
        (
            1,
            Some(nianbao::validate::CellRef {
                table: nianbao::content::format::TableId::Appeals,
                row: 0,
                column: 4
            })
        )
    );
}

#[test]
fn acknowledged_silences_exactly_its_rule() {
    // The same report also has a blank cell: that stays.
    let text = acknowledging(&mutate(R2021, T4_WRONG.0, T4_WRONG.1), "T4-total");
    let text = mutate(&text, "  coercion: 4", "  coercion: \"/\"");
    let diags = check21(&text);
    assert_finding(
        single(&diags),
        &text,
        want("blank-cell", Warning, F21, (11, 13), "\"/\"", &["行政强制"]),
    );
}

#[test]
fn acknowledged_silences_only_its_own_report() {
    // The 人民政府's report has the same mistake and no entry: it is still reported.
    let acked = acknowledging(&mutate(R2021, T4_WRONG.0, T4_WRONG.1), "T4-total");
    let other = mutate(R2021, T4_WRONG.0, T4_WRONG.1);
    let diags = findings(&[(F21, &acked), (GOV21, &other)]);
    assert_finding(
        single(&diags),
        &other,
        want("T4-total", Error, GOV21, (43, 41), "3", &["行政复议·总计"]),
    );
}

#[test]
fn acknowledged_entry_that_silences_nothing_warns() {
    let text = acknowledging(R2021, "narrative");
    let diags = check21(&text);
    let d = single(&diags);
    assert_finding(
        d,
        &text,
        want(
            "acknowledged",
            Warning,
            F21,
            (5, 23),
            "narrative",
            &["narrative", "没有对应任何问题"],
        ),
    );
}

#[test]
fn acknowledged_unknown_rule_suggests_the_code() {
    let text = acknowledging(&mutate(R2021, T4_WRONG.0, T4_WRONG.1), "T4-totl");
    let diags = check21(&text);
    assert_eq!(codes(&diags), ["schema", "T4-total"], "{diags:#?}");
    assert_finding(
        &diags[0],
        &text,
        want("schema", Error, F21, (5, 23), "T4-totl", &["T4-totl"]),
    );
    assert_eq!(diags[0].help.as_deref(), Some("是不是要写 `T4-total`？"));
}

fn file_refs(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cells in their other forms, and sources saved by other editors

#[test]
fn annotated_and_not_applicable_cells() {
    let text = mutate(
        R2021,
        "  licensing: 120",
        "  licensing: {value: 120, note: 其中变更16件}",
    );
    assert_clean(&check21(&text));
}

#[test]
fn crlf_and_bom_check_clean_with_the_same_positions() {
    let crlf = format!("\u{feff}{}", R2021.replace('\n', "\r\n"));
    assert_clean(&check21(&crlf));
    let bad = format!(
        "\u{feff}{}",
        mutate(R2021, T4_WRONG.0, T4_WRONG.1).replace('\n', "\r\n")
    );
    let diags = check21(&bad);
    assert_eq!((single(&diags).line, diags[0].column), (43, 41));
}

#[test]
fn every_rule_code_has_a_case_here() {
    // The codes asserted with `want(...)` in this file; `template` belongs to `build` and
    // `import` to `nianbao import`, not to `check`.
    let this = include_str!("rules.rs");
    let asserted: Vec<&str> = this
        .split("want(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
        .collect();
    for rule in nianbao::diagnostic::Rule::ALL {
        let code = &rule.code();
        if !matches!(*code, "template" | "import") {
            assert!(asserted.contains(code), "no case asserts `{code}`");
        }
    }
}
