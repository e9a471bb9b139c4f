//! One type for every finding, and its two renderings.
//!
//! `check`, `build`, `serve` and `import` all report through [`Diagnostic`]; the human rendering
//! mimics rustc (code, message, `--> file:line:col`, the source line with a caret, a hint) so a
//! finding points at the figure to fix, and the JSON rendering is a stable contract for tools.

use serde::Serialize;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

use crate::content::yaml::Pos;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every rule code with its severity and meaning. The codes are a fixed contract
/// (report-format.md §6); `encoding`, `template`, `acknowledged` and `import` are ours.
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "yaml",
        Severity::Error,
        "前置元数据不是有效的 YAML，或缺少 `---` 分隔线",
    ),
    (
        "schema",
        Severity::Error,
        "未知的键、缺少表格或行、行的长度不对、2019 与 2021 格式的键混用",
    ),
    (
        "cell-type",
        Severity::Error,
        "件数不是整数；“本年增/减”以外出现负数；金额以外出现小数",
    ),
    (
        "T3-balance",
        Severity::Error,
        "表三每一列：一 + 二 = （七）总计 + 四",
    ),
    (
        "T3-outcomes",
        Severity::Error,
        "表三每一列：（七）总计 = 各办理结果之和",
    ),
    (
        "T3-row-total",
        Severity::Error,
        "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
    ),
    (
        "T4-total",
        Severity::Error,
        "表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    ),
    (
        "year",
        Severity::Error,
        "`year` 与文件名不符，或同一单位同一年有两份报告",
    ),
    (
        "sections",
        Severity::Error,
        "正文缺少或空着第一、五、六部分，或各部分顺序不对",
    ),
    (
        "unit",
        Severity::Error,
        "报告不在单位文件夹中，单位缺少 `name`/`kind`，或 `kind` 不认识",
    ),
    (
        "encoding",
        Severity::Error,
        "文件不是 UTF-8 编码（例如旧编辑器保存的 GBK）",
    ),
    ("blank-cell", Severity::Warning, "空白、“/” 或 “-” 的单元格"),
    (
        "format-year",
        Severity::Warning,
        "2021 年及以后用了 2019 格式，或 2020 年及以前用了 2021 格式",
    ),
    (
        "carry-over",
        Severity::Warning,
        "本年“二、上年结转”与上一年“四、结转下年度继续办理”不一致",
    ),
    (
        "in-force",
        Severity::Warning,
        "2021 格式：现行有效件数 ≠ 上年现行有效件数 + 本年制发件数 − 本年废止件数",
    ),
    ("narrative", Severity::Warning, "正文中的数字与表格不一致"),
    (
        "deadline",
        Severity::Warning,
        "发布日期晚于法定期限（次年 1 月 31 日；本级人民政府 3 月 31 日）",
    ),
    ("published", Severity::Warning, "没有 `published` 发布日期"),
    (
        "fee-note",
        Severity::Warning,
        "2021 格式的第六部分没有提到信息处理费",
    ),
    (
        "site-identity",
        Severity::Warning,
        "站点信息缺少主办单位、网站标识码、ICP 备案号或公安备案号",
    ),
    (
        "acknowledged",
        Severity::Warning,
        "`acknowledged` 中的一项没有对应任何问题",
    ),
    ("template", Severity::Error, "模板有错误"),
    (
        "import",
        Severity::Error,
        "导入时读不懂的内容：无法识别的行、不是数字的单元格、缺少的表格",
    ),
];

/// The severity of a rule code. Unknown codes are errors: they come from our own code paths.
pub fn severity_of(code: &str) -> Severity {
    RULES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|r| r.1)
        .unwrap_or(Severity::Error)
}

/// A finding: a rule broken at a place in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators; empty for findings about no file.
    pub file: String,
    /// 1-based; 0 when the finding is about the whole file.
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Official labels of the table, row and column the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    #[serde(rename = "column_label", skip_serializing_if = "Option::is_none")]
    pub column_label: Option<String>,
    /// Width in characters of the offending text, for the caret line.
    #[serde(skip)]
    pub width: u32,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity: severity_of(code),
            file: file.into(),
            line: pos.line,
            column: pos.col,
            message: message.into(),
            expected: None,
            actual: None,
            help: None,
            table: None,
            row: None,
            column_label: None,
            width: 1,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn expected_actual(mut self, expected: impl ToString, actual: impl ToString) -> Self {
        self.expected = Some(expected.to_string());
        self.actual = Some(actual.to_string());
        self
    }

    pub fn place(mut self, table: &str, row: &str, column: Option<&str>) -> Self {
        self.table = Some(table.to_string());
        self.row = Some(row.to_string());
        self.column_label = column.map(str::to_string);
        self
    }

    pub fn width(mut self, text: &str) -> Self {
        self.width = (text.width() as u32).max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the finding is, as both renderings show it: `file:line:col`, `file:line` or
    /// `file` (a finding about a whole file); empty for a finding about no file.
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => String::new(),
            (false, 0, _) => self.file.clone(),
            (false, l, 0) => format!("{}:{l}", self.file),
            (false, l, c) => format!("{}:{l}:{c}", self.file),
        }
    }

    /// The line of `source` (the text of the finding's file) the finding points at, ready to
    /// show: tabs as four spaces, so columns line up with the caret or highlight.
    pub fn source_line(&self, source: &str) -> Option<String> {
        let line = source.lines().nth((self.line as usize).checked_sub(1)?)?;
        Some(line.trim_end_matches('\r').replace('\t', "    "))
    }

    /// The order findings are listed in: by file, then line, then column.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (&self.file, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts findings by file and position and drops exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

pub fn count(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// ANSI colours, used only when the output is a terminal and `NO_COLOR` is unset.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Renders one finding like rustc. `source` is the text of the finding's file, if readable.
pub fn render_human(d: &Diagnostic, source: Option<&str>, style: Style) -> String {
    let mut out = String::new();
    let (word, colour) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let _ = writeln!(
        out,
        "{}{}",
        style.paint(colour, &format!("{word}[{}]", d.code)),
        style.paint("1", &format!(": {}", d.message))
    );
    let line_text = source.and_then(|s| d.source_line(s));
    let gutter = if line_text.is_some() {
        d.line.to_string().len()
    } else {
        1
    };
    let pad = " ".repeat(gutter);
    if !d.file.is_empty() {
        let _ = writeln!(out, "{pad}{} {}", style.paint("1;34", "-->"), d.location());
    }
    if let Some(text) = line_text {
        let bar = style.paint("1;34", "|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {text}",
            style.paint("1;34", &d.line.to_string())
        );
        let before: String = text
            .chars()
            .take(d.column.saturating_sub(1) as usize)
            .collect();
        let caret = "^".repeat(d.width.max(1) as usize);
        let _ = writeln!(
            out,
            "{pad} {bar} {}{}",
            " ".repeat(before.width()),
            style.paint(colour, &caret)
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "{pad} {} 提示：{h}", style.paint("1;34", "="));
    }
    out
}

/// The closing line of a check: `2 个错误，1 个警告，检查了 12 份报告`.
pub fn summary(diags: &[Diagnostic], reports: usize) -> String {
    let (e, w) = count(diags);
    format!("{e} 个错误，{w} 个警告，检查了 {reports} 份报告")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_value_past_wide_characters() {
        let d = Diagnostic::new("T4-total", "content/a/2023.md", Pos::new(2, 11), "总计不对")
            .width("0");
        let src = "x\n行政复议: [1, 0]\n";
        let out = render_human(&d, Some(src), Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[3], "2 | 行政复议: [1, 0]");
        // 行政复议 is 4 wide characters = 8 columns, then ": [1, " = 6 columns.
        assert_eq!(lines[4], format!("  | {}^", " ".repeat(14)));
    }

    #[test]
    fn every_spec_code_has_a_severity() {
        for code in [
            "yaml",
            "schema",
            "cell-type",
            "T3-balance",
            "T3-outcomes",
            "T3-row-total",
            "T4-total",
            "year",
            "sections",
            "unit",
        ] {
            assert_eq!(severity_of(code), Severity::Error, "{code}");
        }
        for code in [
            "blank-cell",
            "format-year",
            "carry-over",
            "in-force",
            "narrative",
            "deadline",
            "published",
            "fee-note",
            "site-identity",
        ] {
            assert_eq!(severity_of(code), Severity::Warning, "{code}");
        }
    }
}
