//! Markdown to HTML for report prose.
//!
//! Two things differ from a plain CommonMark render: a line break inside a Chinese paragraph
//! becomes nothing rather than a space (browsers would show a gap between two characters), and
//! raw HTML is shown as text, so a stray `<` in a report can never break the page's markup.

use pulldown_cmark::{CowStr, Event, Options, Parser, html};

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Renders `md` to HTML. Headings are shifted down by `shift` levels (a section's `###`
/// stays `h3` under the page's `h2`).
pub fn to_html(md: &str) -> String {
    if md.trim().is_empty() {
        return String::new();
    }
    let events: Vec<Event> =
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::SoftBreak => {
                let prev = out.iter().rev().find_map(|e| match e {
                    Event::Text(t) => t.chars().last(),
                    _ => None,
                });
                let next = events[i + 1..].iter().find_map(|e| match e {
                    Event::Text(t) => t.chars().next(),
                    _ => None,
                });
                if prev.is_some_and(is_wide) || next.is_some_and(is_wide) {
                    continue;
                }
                out.push(Event::SoftBreak);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                out.push(Event::Text(CowStr::from(h.to_string())))
            }
            other => out.push(other.clone()),
        }
    }
    let mut s = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut s, out.into_iter());
    s
}

/// Plain text of Markdown, for search and descriptions.
pub fn to_text(md: &str) -> String {
    let mut s = String::with_capacity(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_)
                if !s.ends_with('\n') && !s.is_empty() =>
            {
                s.push('\n');
            }
            _ => {}
        }
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_inside_chinese_paragraphs_vanish() {
        assert_eq!(to_html("全面贯彻\n落实条例"), "<p>全面贯彻落实条例</p>\n");
        assert_eq!(to_html("see\nthis"), "<p>see\nthis</p>\n");
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(to_html("a <b>x</b>"), "<p>a &lt;b&gt;x&lt;/b&gt;</p>\n");
    }
}
