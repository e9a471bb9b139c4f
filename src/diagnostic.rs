//! One type for every finding, and its two renderings.
//!
//! `check`, `build`, `serve` and `import` all report through [`Diagnostic`]; the human rendering
//! mimics rustc (code, message, `--> file:line:col`, the source line with a caret, a hint) so a
//! finding points at the figure to fix, and the JSON rendering is a stable contract for tools.

use serde::Serialize;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (in characters) in a source file: where a finding points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// Declares [`Rule`] from one table: variant, code, severity, meaning.
macro_rules! rules {
    ($($variant:ident = $code:literal, $severity:ident, $meaning:literal;)*) => {
        /// Every rule, with its code, severity and meaning. The codes are a fixed contract
        /// (report-format.md §6); `encoding`, `template`, `acknowledged`, `import` and
        /// `skipped-file` are ours.
        /// An enum rather than strings, so a misspelt code does not compile.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The code as written in `acknowledged`, the JSON output and the README.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Rule::$variant => $code,)*
                }
            }

            pub const fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }

            /// What the rule checks, in Chinese (for lists of rules).
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Rule::$variant => $meaning,)*
                }
            }
        }
    };
}

rules! {
    Yaml = "yaml", Error, "前置元数据不是有效的 YAML，或缺少 `---` 分隔线";
    Schema = "schema", Error, "未知的键、缺少表格或行、行的长度不对、2019 与 2021 格式的键混用";
    CellType = "cell-type", Error, "件数不是整数；“本年增/减”以外出现负数；金额以外出现小数";
    T3Balance = "T3-balance", Error, "表三每一列：一 + 二 = （七）总计 + 四";
    T3Outcomes = "T3-outcomes", Error, "表三每一列：（七）总计 = 各办理结果之和";
    T3RowTotal = "T3-row-total", Error, "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他";
    T4Total = "T4-total", Error, "表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结";
    Year = "year", Error, "`year` 与文件名不符，或同一单位同一年有两份报告";
    Sections = "sections", Error, "正文缺少或空着第一、五、六部分，或各部分顺序不对";
    Unit = "unit", Error, "报告不在单位文件夹中，单位缺少 `name`/`kind`，或 `kind` 不认识";
    Encoding = "encoding", Error, "文件不是 UTF-8 编码（例如旧编辑器保存的 GBK）";
    SkippedFile = "skipped-file", Warning, "content/ 中跳过的文件：指向站点以外、不存在或形成循环的符号链接，或不是普通文件（管道、设备）";
    BlankCell = "blank-cell", Warning, "空白、“/” 或 “-” 的单元格";
    FormatYear = "format-year", Warning, "2021 年及以后用了 2019 格式，或 2020 年及以前用了 2021 格式";
    CarryOver = "carry-over", Warning, "本年“二、上年结转”与上一年“四、结转下年度继续办理”不一致";
    InForce = "in-force", Warning, "2021 格式：现行有效件数 ≠ 上年现行有效件数 + 本年制发件数 − 本年废止件数";
    Narrative = "narrative", Warning, "正文中的数字与表格不一致";
    Deadline = "deadline", Warning, "发布日期晚于法定期限（次年 1 月 31 日；本级人民政府 3 月 31 日）";
    Published = "published", Warning, "没有 `published` 发布日期";
    FeeNote = "fee-note", Warning, "2021 格式的第六部分没有提到信息处理费";
    SiteIdentity = "site-identity", Warning, "站点信息缺少主办单位、网站标识码、ICP 备案号或公安备案号";
    Acknowledged = "acknowledged", Warning, "`acknowledged` 中的一项没有对应任何问题";
    Template = "template", Error, "模板有错误";
    Import = "import", Error, "导入时读不懂的内容：无法识别的行、不是数字的单元格、缺少的表格";
}

impl Rule {
    /// Whether a finding of this rule is about figures as a report printed them (an identity
    /// of tables 三 and 四 that does not add up), which a report published that way keeps,
    /// with an `acknowledged` note, rather than a file to fix.
    pub const fn is_published_figure(self) -> bool {
        matches!(
            self,
            Rule::T3Balance | Rule::T3Outcomes | Rule::T3RowTotal | Rule::T4Total
        )
    }

    /// The rule with this code, as written in a report's `acknowledged` list.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A rule compares equal to its code, so `d.code == "T4-total"` reads as the contract does.
impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl PartialEq<String> for Rule {
    fn eq(&self, other: &String) -> bool {
        self.code() == other
    }
}

impl PartialEq<Rule> for String {
    fn eq(&self, other: &Rule) -> bool {
        self == other.code()
    }
}

impl PartialEq<Rule> for &str {
    fn eq(&self, other: &Rule) -> bool {
        *self == other.code()
    }
}

/// A finding: a rule broken at a place in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Rule,
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
        code: Rule,
        file: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
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
        (
            &self.file,
            self.line,
            self.column,
            self.code.code(),
            &self.message,
        )
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

/// Rules whose findings come one per cell and say the same thing of each: a run of them in one
/// row of a table reads better as one line (135 `blank-cell` warnings on one real report).
/// Errors are never folded: each names its own expected figure, which the reader needs.
const FOLDED: &[Rule] = &[Rule::BlankCell];

/// The findings as a person reads them: each run of [`FOLDED`] findings of one rule in one
/// table row of one file becomes a single finding at the run's first cell, saying how many
/// cells and which columns. For the human output of `check` and `build` only: the JSON,
/// GitHub and GitLab outputs keep one finding per cell, since tools rely on exact positions.
/// `diags` must be sorted ([`sort`]); counts ([`count`]) are taken on the unfolded findings.
pub fn fold(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let same_row = |a: &Diagnostic, b: &Diagnostic| {
        FOLDED.contains(&a.code)
            && a.code == b.code
            && a.file == b.file
            && a.table.is_some()
            && a.row.is_some()
            && a.column_label.is_some()
            && b.column_label.is_some()
            && a.table == b.table
            && a.row == b.row
            && a.help == b.help
    };
    diags
        .chunk_by(same_row)
        .map(|run| match run {
            [one] => one.clone(),
            run => fold_run(run),
        })
        .collect()
}

/// One finding for a run of per-cell findings in one table row (see [`fold`]).
fn fold_run(run: &[Diagnostic]) -> Diagnostic {
    let first = &run[0];
    let last = &run[run.len() - 1];
    let table = first.table.as_deref().unwrap_or_default();
    let row = first.row.as_deref().unwrap_or_default();
    let columns: Vec<&str> = run
        .iter()
        .filter_map(|d| d.column_label.as_deref())
        .collect();
    // A cell's message reads `表三·行·列 为空白`: what follows `为` is what the cell holds.
    let held: Option<Vec<&str>> = run
        .iter()
        .map(|d| {
            let col = d.column_label.as_deref()?;
            d.message.strip_prefix(&format!("{table}·{row}·{col} 为"))
        })
        .collect();
    let what = match held {
        Some(held) => {
            let mut distinct: Vec<&str> = Vec::new();
            for h in held {
                if !distinct.contains(&h) {
                    distinct.push(h);
                }
            }
            format!("为{}", distinct.join("或"))
        }
        None => format!("：{}", first.code.meaning()),
    };
    let mut folded = first.clone();
    folded.message = format!(
        "{table}·{row}·{} 个单元格{what}（{}）",
        run.len(),
        columns.join("、")
    );
    // On one source line, the caret runs from the first cell to the end of the last.
    if last.line == first.line && last.column >= first.column {
        folded.width = last.column - first.column + last.width;
    }
    folded.column_label = None;
    folded
}

/// The closing block of a failed build, before its last line: the files that have errors
/// (each with its count), then the two ways forward: fix the figures, or, for a report
/// published with them, an `acknowledged` entry, shown with the first such error's rule.
pub fn failure_advice(diags: &[Diagnostic]) -> String {
    let mut out = String::from("有错误的文件：\n");
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let mut files: Vec<(&str, usize)> = Vec::new();
    for d in &errors {
        match files.iter_mut().find(|(f, _)| *f == d.file) {
            Some((_, n)) => *n += 1,
            None => files.push((&d.file, 1)),
        }
    }
    for (file, n) in files {
        let file = if file.is_empty() {
            "（不属于某个文件）"
        } else {
            file
        };
        let _ = writeln!(out, "  {file}：{n} 个错误");
    }
    // Only a figure that breaks an identity can stand as published; a file nianbao cannot
    // read or a missing table has to be fixed.
    let published = errors.iter().find(|d| d.code.is_published_figure());
    match published {
        Some(d) => {
            out.push_str("\n可以这样处理：\n");
            out.push_str("  1. 改正这些数字（nianbao check 可再次检查），再运行 nianbao build；\n");
            let _ = writeln!(
                out,
                "  2. 若报告已按原样发布，在该报告文件头加 `acknowledged`，说明原文如此，例如在 {} 中：",
                d.file
            );
            let _ = writeln!(out, "       acknowledged:");
            let _ = writeln!(out, "         - {{rule: {}, note: 原文如此：……}}", d.code);
            out.push_str("     页面上会在该数字旁显示这条说明。\n");
        }
        None => {
            out.push_str("\n改正这些错误（nianbao check 可再次检查），再运行 nianbao build。\n");
        }
    }
    out
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

/// Source lines wider than this (terminal columns) are quoted in part: a page saved as one line
/// of HTML would otherwise be printed whole with every finding.
const LONG_LINE: usize = 300;
/// How many characters of a long line are quoted, and how many of them before the finding.
const QUOTE: usize = 60;
const QUOTE_BEFORE: usize = 10;

/// The part of a source line to quote, with the finding's column and caret width in it: the
/// whole line when it is not [`LONG_LINE`] wide, else [`QUOTE`] characters from a little before
/// the column, cut ends marked "…".
fn quote(line: &str, column: u32, width: u32) -> (String, u32, u32) {
    if line.width() <= LONG_LINE {
        return (line.to_string(), column, width);
    }
    let chars: Vec<char> = line.chars().collect();
    let at = (column.max(1) as usize - 1).min(chars.len());
    let start = at.saturating_sub(QUOTE_BEFORE);
    let end = (start + QUOTE).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let lead = usize::from(start > 0);
    let column = (at - start + lead + 1) as u32;
    let room: usize = chars[at..end].iter().collect::<String>().width();
    (text, column, width.min(room.max(1) as u32))
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
    if let Some(line) = line_text {
        let (text, column, width) = quote(&line, d.column, d.width);
        let bar = style.paint("1;34", "|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {text}",
            style.paint("1;34", &d.line.to_string())
        );
        let before: String = text
            .chars()
            .take(column.saturating_sub(1) as usize)
            .collect();
        let caret = "^".repeat(width.max(1) as usize);
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

/// A finding as a GitHub Actions workflow command (`::error file=…,line=…::message`), which
/// Gitea and Forgejo runners read too: the finding appears on the changed line of a pull
/// request. `prefix` is the site root as seen from the repository root (`""` when the same).
pub fn render_github(d: &Diagnostic, prefix: &str) -> String {
    // Workflow-command escaping: `%`, CR and LF in the message; also `:` and `,` in properties.
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!("file={}", property(&format!("{prefix}{}", d.file))));
        if d.line > 0 {
            props.push(format!("line={}", d.line));
            if d.column > 0 {
                props.push(format!("col={}", d.column));
            }
        }
    }
    props.push(format!(
        "title={}",
        property(&format!("nianbao {}", d.code))
    ));
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\n提示：");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), data(&message))
}

/// The findings as a GitLab Code Quality report (a JSON array), shown on merge requests.
/// `prefix` is the site root as seen from the repository root (`""` when the same).
pub fn gitlab_report(diags: &[Diagnostic], prefix: &str) -> serde_json::Value {
    /// FNV-1a: a fingerprint that stays the same across runs and versions, so GitLab can tell
    /// a finding that was fixed from one that moved.
    fn fnv(s: &str) -> u64 {
        s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            // Lines are left out of the fingerprint (an edit above a finding moves it); a
            // repeat of the same finding in one file is told apart by its number.
            let key = format!("{}\u{1f}{}\u{1f}{}", d.code, d.file, d.message);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let mut description = d.message.clone();
            if let Some(h) = &d.help {
                description.push_str("（提示：");
                description.push_str(h);
                description.push('）');
            }
            serde_json::json!({
                "description": description,
                "check_name": d.code.code(),
                "fingerprint": format!("{:016x}", fnv(&format!("{key}\u{1f}{n}"))),
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "location": {
                    "path": format!("{prefix}{}", d.file),
                    "lines": { "begin": d.line.max(1) }
                }
            })
        })
        .collect();
    serde_json::Value::Array(items)
}

/// The closing line of a check: `2 个错误，1 个警告，检查了 12 份报告`.
pub fn summary(diags: &[Diagnostic], reports: usize) -> String {
    let (e, w) = count(diags);
    format!("{e} 个错误，{w} 个警告，检查了 {reports} 份报告")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11.10: a page saved as one line was quoted whole with every finding.
    #[test]
    fn long_lines_are_quoted_in_part() {
        let short = "rules: [1, 2, 3]";
        assert_eq!(quote(short, 9, 1), (short.to_string(), 9, 1));
        let line = format!(
            "{}<tr><td>规章</td><td>1O</td></tr>{}",
            "x".repeat(500),
            "y".repeat(500)
        );
        let (text, column, width) = quote(&line, 501, 4);
        assert_eq!(text.chars().count(), 62);
        assert!(text.starts_with("…xxxxxxxxxx<tr><td>规章"), "{text}");
        assert!(text.ends_with('…'));
        assert_eq!(text.chars().nth(column as usize - 1), Some('<'));
        assert_eq!(width, 4);
        let d = Diagnostic::new(Rule::Import, "p.html", Pos::new(1, 501), "x").width("<tr>");
        let shown = render_human(&d, Some(&line), Style { color: false });
        assert!(shown.lines().all(|l| l.chars().count() < 80), "{shown}");
    }

    #[test]
    fn caret_sits_under_the_value_past_wide_characters() {
        let d = Diagnostic::new(
            Rule::T4Total,
            "content/a/2023.md",
            Pos::new(2, 11),
            "总计不对",
        )
        .width("0");
        let src = "x\n行政复议: [1, 0]\n";
        let out = render_human(&d, Some(src), Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[3], "2 | 行政复议: [1, 0]");
        // 行政复议 is 4 wide characters = 8 columns, then ": [1, " = 6 columns.
        assert_eq!(lines[4], format!("  | {}^", " ".repeat(14)));
    }

    /// A blank cell as the table rules report it.
    fn blank(row: &str, col: &str, line: u32, column: u32, shown: &str) -> Diagnostic {
        Diagnostic::new(
            Rule::BlankCell,
            "content/a/2023.md",
            Pos::new(line, column),
            format!("表三·{row}·{col} 为{shown}"),
        )
        .width(if shown == "空白" { "~" } else { "\"/\"" })
        .place("表三", row, Some(col))
        .help("没有发生的事项填 0")
    }

    #[test]
    fn a_run_of_blank_cells_in_one_row_folds_into_one_finding_at_the_first_cell() {
        let diags = vec![
            blank("一、本年新收", "自然人", 5, 10, "空白"),
            blank("一、本年新收", "商业企业", 5, 13, "“/”"),
            blank("一、本年新收", "其他", 5, 18, "空白"),
            blank("二、上年结转", "自然人", 6, 10, "空白"),
        ];
        let folded = fold(&diags);
        assert_eq!(folded.len(), 2);
        assert_eq!(
            folded[0].message,
            "表三·一、本年新收·3 个单元格为空白或“/”（自然人、商业企业、其他）"
        );
        assert_eq!((folded[0].line, folded[0].column), (5, 10));
        // The caret runs from the first cell to the end of the last.
        assert_eq!(folded[0].width, 18 - 10 + 1);
        // A single blank cell in the next row stays as it was.
        assert_eq!(folded[1], diags[3]);
    }

    #[test]
    fn errors_and_findings_of_other_files_are_never_folded() {
        let mut other = blank("一、本年新收", "商业企业", 5, 13, "空白");
        other.file = "content/b/2023.md".into();
        let t4 = |col: &str| {
            Diagnostic::new(
                Rule::T4Total,
                "content/a/2023.md",
                Pos::new(9, 3),
                "总计不对",
            )
            .place("表四", "行政复议", Some(col))
        };
        let diags = vec![
            blank("一、本年新收", "自然人", 5, 10, "空白"),
            other,
            t4("总计"),
            t4("结果维持"),
        ];
        assert_eq!(fold(&diags), diags);
    }

    #[test]
    fn the_acknowledged_example_is_the_first_figure_error_not_a_broken_file() {
        let yaml = Diagnostic::new(Rule::Yaml, "content/a/2022.md", Pos::new(2, 1), "坏了");
        let t3 = Diagnostic::new(Rule::T3Balance, "content/a/2023.md", Pos::new(9, 3), "不平");
        let advice = failure_advice(&[yaml.clone(), t3.clone(), t3]);
        assert!(
            advice.contains("  content/a/2022.md：1 个错误\n"),
            "{advice}"
        );
        assert!(
            advice.contains("  content/a/2023.md：2 个错误\n"),
            "{advice}"
        );
        assert!(
            advice.contains("- {rule: T3-balance, note: 原文如此：……}"),
            "{advice}"
        );
        assert!(advice.contains("例如在 content/a/2023.md 中"), "{advice}");
        let advice = failure_advice(&[yaml]);
        assert!(!advice.contains("acknowledged"), "{advice}");
        assert!(advice.contains("改正这些错误"), "{advice}");
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
            assert_eq!(
                Rule::from_code(code).map(Rule::severity),
                Some(Severity::Error),
                "{code}"
            );
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
            assert_eq!(
                Rule::from_code(code).map(Rule::severity),
                Some(Severity::Warning),
                "{code}"
            );
        }
    }
}
