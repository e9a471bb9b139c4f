//! `narrative`: figures stated in the prose that contradict the tables.
//!
//! Real reports say "收到政府信息公开申请17件" while 表三 says 95. We read a few common
//! phrasings: applications received, "未接到…申请", and 行政复议/行政诉讼 counts; a stated
//! figure that matches neither reading of the table is reported at the figure in the prose.

use regex::Regex;
use std::sync::LazyLock;

use crate::content::Report;
use crate::content::yaml::Pos;
use crate::diagnostic::{Diagnostic, Rule};

/// What may follow 申请 in a longer word that is not an application ("申请人提交的补正",
/// "申请书"): 申请 followed by one of these is not about applications. Whole phrases only.
const LONGER_WORD: &str = "人|书|表|材料|事项|内容|补正";

/// "收到…申请…17件": 申请 must not start a longer word (its next character is none of the first
/// characters of [`LONGER_WORD`]), so "收到申请人补正材料2件" is no count of applications and in
/// "收到申请人提出的政府信息公开申请17件" the count is 17.
static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(收到|受理|接到|新收|接收)([^。；;，,\d]{0,25}?)申请(?:[^人书表材事内补\d。；;，,件][^。；;，,\d件]{0,7}?)?(\d+)\s*件",
    )
    .unwrap()
});
/// "未接到…申请" as a whole phrase: the optional last group catches 申请 as the start of a longer
/// word ("未收到该申请人提交的补正" is about one applicant, not about no applications), and such
/// a match is skipped (`regex` has no look-ahead).
static NONE_RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(未|没有)(接到|收到|受理|接收)[^。；;\d]{{0,15}}?申请({LONGER_WORD})?"
    ))
    .unwrap()
});
static REVIEW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"行政复议(?:案件|申请)?\s*(?:共)?\s*(\d+)\s*(?:件|起|宗)").unwrap()
});
static LITIGATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"行政诉讼(?:案件)?\s*(?:共)?\s*(\d+)\s*(?:件|起|宗)").unwrap());
static NONE_APPEALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(未|没有)(发生|产生|收到|涉及|出现)[^。；;\d]{0,12}?(行政复议|行政诉讼)[^。；;\d]{0,8}",
    )
    .unwrap()
});

/// The prose blocks of a report with the file line each starts on.
fn blocks(r: &Report) -> Vec<(&str, u32)> {
    let mut v = vec![(r.body.preamble.as_str(), r.body.preamble_line)];
    v.extend(
        r.body
            .sections
            .iter()
            .map(|s| (s.markdown.as_str(), s.markdown_line)),
    );
    v
}

fn pos_in(text: &str, first_line: u32, byte: usize) -> Pos {
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    Pos::new(first_line + line, col)
}

/// The sentence around a byte offset.
fn sentence(text: &str, at: usize) -> &str {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '。' | '\n'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[at..]
        .find(['。', '\n'])
        .map(|i| at + i)
        .unwrap_or(text.len());
    &text[start..end]
}

pub(super) fn check(r: &Report, out: &mut Vec<Diagnostic>) {
    let t3 = &r.spec().applications;
    let t4 = &r.spec().appeals;
    let new = r.applications.count(t3, "new", 6);
    let carried = r.applications.count(t3, "carried_over", 6);
    let review = r.appeals.count(t4, "review", 4);
    let litigation = match (
        r.appeals.count(t4, "litigation", 4),
        r.appeals.count(t4, "litigation_after_review", 4),
    ) {
        (Some(a), Some(b)) => Some(a + b),
        _ => None,
    };
    let warn = |pos: Pos, width: &str, msg: String, expected: i64, actual: i64| {
        Diagnostic::new(Rule::Narrative, &r.file, pos, msg)
            .width(width)
            .expected_actual(expected, actual)
            .help("改正文或表格，使两处一致；若原文发布时就是这样，在 `acknowledged` 中说明")
    };
    for (text, line) in blocks(r) {
        if let Some(new) = new {
            for m in RECEIVED.captures_iter(text) {
                let between = &m[2];
                if between.contains("复议") || between.contains("诉讼") || between.contains("结转")
                {
                    continue;
                }
                let num = m.get(3).unwrap();
                let Ok(stated) = num.as_str().parse::<i64>() else {
                    continue;
                };
                let s = sentence(text, num.start());
                let with_carried = carried.map(|c| new + c);
                let says_carried = s.contains("结转") || s.contains("含上年");
                if stated == new || (says_carried && with_carried == Some(stated)) {
                    continue;
                }
                out.push(warn(
                    pos_in(text, line, num.start()),
                    num.as_str(),
                    format!("正文说收到申请 {stated} 件，表三“一、本年新收政府信息公开申请数量”总计为 {new}"),
                    new,
                    stated,
                ));
            }
            if new > 0
                && let Some(m) = NONE_RECEIVED
                    .captures_iter(text)
                    .filter(|c| c.get(3).is_none())
                    .map(|c| c.get(0).unwrap())
                    .find(|m| !m.as_str().contains("复议") && !m.as_str().contains("诉讼"))
            {
                out.push(warn(
                    pos_in(text, line, m.start()),
                    m.as_str(),
                    format!(
                        "正文说“{}”，表三“一、本年新收政府信息公开申请数量”总计为 {new}",
                        m.as_str()
                    ),
                    new,
                    0,
                ));
            }
        }
        let counted = [
            (&*REVIEW, review, "行政复议", "表四“行政复议·总计”"),
            (
                &*LITIGATION,
                litigation,
                "行政诉讼",
                "表四“行政诉讼”两组总计之和",
            ),
        ];
        for (re, table, what, where_) in counted {
            let Some(table) = table else { continue };
            for m in re.captures_iter(text) {
                let num = m.get(1).unwrap();
                let Ok(stated) = num.as_str().parse::<i64>() else {
                    continue;
                };
                if stated != table {
                    out.push(warn(
                        pos_in(text, line, num.start()),
                        num.as_str(),
                        format!("正文说{what} {stated} 件，{where_}为 {table}"),
                        table,
                        stated,
                    ));
                }
            }
        }
        for m in NONE_APPEALS.find_iter(text) {
            for (what, table) in [("行政复议", review), ("行政诉讼", litigation)] {
                if m.as_str().contains(what)
                    && let Some(n) = table.filter(|&n| n > 0)
                {
                    out.push(warn(
                        pos_in(text, line, m.start()),
                        m.as_str(),
                        format!("正文说“{}”，表四{what}总计为 {n}", m.as_str()),
                        n,
                        0,
                    ));
                }
            }
        }
    }
}
