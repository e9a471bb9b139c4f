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
pub fn parse(body: &str, first_line: u32) -> Body {
    let mut out = Body::default();
    let mut current: Option<Section> = None;
    let mut in_fence = false;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let heading = if in_fence { None } else { atx_heading(line) };
        if let Some((level, text)) = heading
            && let Some(number) = section_number(text)
        {
            if let Some(s) = current.take() {
                out.sections.push(s);
            }
            current = Some(Section {
                number,
                heading: text.to_string(),
                markdown: String::new(),
                line: first_line + i as u32,
                level,
                markdown_line: first_line + i as u32 + 1,
            });
            continue;
        }
        let target = match &mut current {
            Some(s) => &mut s.markdown,
            None => &mut out.preamble,
        };
        target.push_str(line);
        target.push('\n');
    }
    if let Some(s) = current.take() {
        out.sections.push(s);
    }
    out.preamble_line = first_line + leading_blank_lines(&out.preamble);
    out.preamble = out.preamble.trim().to_string();
    for s in &mut out.sections {
        s.markdown_line += leading_blank_lines(&s.markdown);
        s.markdown = s.markdown.trim().to_string();
    }
    out
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
    fn numerals_without_separator_are_prose() {
        assert_eq!(section_number("一是加强"), None);
        assert_eq!(section_number("三、收到"), Some(3));
    }
}
