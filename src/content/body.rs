//! The report's Markdown body: preamble and the six numbered sections.
//!
//! A section is recognised by its numeral ("五、") at the start of a Markdown heading, so the
//! author's wording ("五、政府信息公开工作存在的主要问题及改进情况") is kept as written.

use serde::Serialize;

pub const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// Official headings, used where a table section has no heading of its own.
pub const OFFICIAL_HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

#[derive(Clone, Debug, Default, Serialize)]
pub struct Body {
    /// Markdown before the first section heading.
    pub preamble: String,
    /// File line of the preamble's first non-blank line (or of the body).
    pub preamble_line: u32,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// 1 for 一 … 6 for 六.
    pub number: u8,
    /// The heading text as written, without the `#`s.
    pub heading: String,
    /// The Markdown below the heading, up to the next section.
    pub markdown: String,
    /// File line of the heading.
    pub line: u32,
    /// Heading level as written (number of `#`).
    pub level: u8,
    /// File line of the first non-blank line of `markdown`.
    pub markdown_line: u32,
}

impl Body {
    pub fn section(&self, number: u8) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }

    /// All prose, for search and the narrative rule.
    pub fn all_text(&self) -> String {
        let mut s = self.preamble.clone();
        for sec in &self.sections {
            s.push('\n');
            s.push_str(&sec.heading);
            s.push('\n');
            s.push_str(&sec.markdown);
        }
        s
    }
}

/// The section number of a heading text ("五、…" → 5), if it is one.
pub fn section_number(heading: &str) -> Option<u8> {
    let mut chars = heading.trim_start().chars();
    let n = chars.next()?;
    let sep = chars.next()?;
    if !matches!(sep, '、' | '.' | '．' | ' ' | '　') {
        return None;
    }
    NUMERALS.iter().position(|&c| c == n).map(|i| i as u8 + 1)
}

/// Parses an ATX heading line: (level, text).
fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &t[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((level as u8, rest.trim().trim_end_matches('#').trim()))
}

/// Splits the body; `first_line` is the file line the body starts on.
///
/// Each part is one slice of `body` (up to the next numbered heading), copied once: building it
/// line by line was a sixth of the allocations of a check.
pub fn parse(body: &str, first_line: u32) -> Body {
    let mut out = Body::default();
    // The open section and the byte where its text starts.
    let mut current: Option<(Section, usize)> = None;
    let mut preamble_end = None;
    let mut in_fence = false;
    let mut at = 0;
    for (i, raw) in body.split_inclusive('\n').enumerate() {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line_start = at;
        at += raw.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let heading = if in_fence { None } else { atx_heading(line) };
        if let Some((level, text)) = heading
            && let Some(number) = section_number(text)
        {
            match current.take() {
                Some((s, from)) => out.sections.push(fill(s, &body[from..line_start])),
                None => preamble_end = Some(line_start),
            }
            let line = first_line + i as u32;
            let section = Section {
                number,
                heading: text.to_string(),
                markdown: String::new(),
                line,
                level,
                markdown_line: line + 1,
            };
            current = Some((section, at));
        }
    }
    if let Some((s, from)) = current {
        out.sections.push(fill(s, &body[from..]));
    }
    let preamble = &body[..preamble_end.unwrap_or(body.len())];
    out.preamble_line = first_line + leading_blank_lines(preamble);
    out.preamble = preamble.trim().to_string();
    out
}

/// A section with its text, which starts on the line after its heading.
fn fill(mut s: Section, text: &str) -> Section {
    s.markdown_line += leading_blank_lines(text);
    s.markdown = text.trim().to_string();
    s
}

fn leading_blank_lines(text: &str) -> u32 {
    text.lines().take_while(|l| l.trim().is_empty()).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_by_numeral_keep_the_authors_wording() {
        let b = parse(
            "前言\n\n## 一、总体情况\n好\n\n## 五、政府信息公开工作存在的主要问题及改进情况\n问题\n### （一）存在问题\n一是\n## 六、其他需要报告的事项\n无\n",
            10,
        );
        assert_eq!(b.preamble, "前言");
        assert_eq!(b.sections.len(), 3);
        assert_eq!(b.sections[0].number, 1);
        assert_eq!(b.sections[0].line, 12);
        assert_eq!(
            b.sections[1].heading,
            "五、政府信息公开工作存在的主要问题及改进情况"
        );
        assert!(b.sections[1].markdown.contains("### （一）存在问题"));
        assert_eq!(b.sections[2].markdown, "无");
        assert_eq!(b.preamble_line, 10);
        assert_eq!(b.sections[0].markdown_line, 13);
    }

    #[test]
    fn fences_blank_lines_and_a_missing_last_newline() {
        let b = parse(
            "\n\n引言\n```\n## 二、不是标题\n```\n## 一、总体情况\n\n\n正文\n## 二、主动公开\n末行",
            5,
        );
        assert_eq!(b.preamble, "引言\n```\n## 二、不是标题\n```");
        assert_eq!(b.preamble_line, 7);
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[0].line, 11);
        assert_eq!(b.sections[0].markdown, "正文");
        assert_eq!(b.sections[0].markdown_line, 14);
        assert_eq!(b.sections[1].markdown, "末行");
        let none = parse("只有正文\n", 1);
        assert_eq!(none.preamble, "只有正文");
        assert!(none.sections.is_empty());
    }

    #[test]
    fn numerals_without_separator_are_prose() {
        assert_eq!(section_number("一是加强"), None);
        assert_eq!(section_number("三、收到"), Some(3));
    }
}
