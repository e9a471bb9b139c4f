//! What `serve` adds to HTML it sends, never to built files: the live-reload script, and when
//! the latest build failed, an overlay listing every finding with its source line.
//!
//! Everything is inline (style attributes, one script) so nothing depends on the theme, and the
//! markup stays valid HTML inside any `<body>`: no `<style>` element, no ids a theme would use.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use unicode_width::UnicodeWidthChar;

use crate::diagnostic::{Diagnostic, Severity};
use crate::render::escape;

/// The path, below the site's root, of the Server-Sent Events endpoint. Any request path ending in
/// it is answered, so the script works when the site is served under a sub-path.
pub const EVENTS_PATH: &str = "__nianbao/events";

/// At most this many findings of each severity are listed on a page; the terminal has them all.
const MAX_LISTED: usize = 100;

/// One finding ready to show: where, what, and the line of the file it points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Rule code (`T4-total`), empty when the site could not be read at all.
    pub code: String,
    pub severity: Severity,
    /// `file:line:column` (or less when the finding is about a whole file); empty for none.
    pub place: String,
    pub message: String,
    pub help: Option<String>,
    /// Line number and text of the offending line, when the file could be read.
    pub source: Option<(u32, String)>,
    /// The span to highlight in the source line: characters `[start, end)`.
    pub span: (usize, usize),
}

impl Finding {
    /// `source` is the text of the finding's file, if it can be read.
    pub fn new(d: &Diagnostic, source: Option<&str>) -> Finding {
        let text = source.and_then(|s| d.source_line(s));
        let span = match &text {
            Some(t) if d.column > 0 => {
                let start = (d.column as usize - 1).min(t.chars().count());
                // `width` is in terminal columns: take characters until they cover it.
                let mut end = start;
                let mut covered = 0;
                for c in t.chars().skip(start) {
                    if covered >= d.width.max(1) as usize {
                        break;
                    }
                    covered += c.width().unwrap_or(0).max(1);
                    end += 1;
                }
                (start, end)
            }
            _ => (0, 0),
        };
        Finding {
            code: d.code.to_string(),
            severity: d.severity,
            place: d.location(),
            message: d.message.clone(),
            help: d.help.clone(),
            source: text.map(|t| (d.line, t)),
            span,
        }
    }

    /// A finding that is not a rule: the site could not be read, or could not be written.
    pub fn plain(message: impl Into<String>) -> Finding {
        Finding {
            code: String::new(),
            severity: Severity::Error,
            place: String::new(),
            message: message.into(),
            help: None,
            source: None,
            span: (0, 0),
        }
    }
}

/// Why the latest build produced no site: every finding, and the overlay made from them.
#[derive(Debug)]
pub struct Failure {
    pub errors: usize,
    pub warnings: usize,
    /// The overlay's markup, made once per failure: while a last good site is shown…
    pub html: String,
    /// …and while there is none yet.
    pub html_no_site: String,
    /// Changes exactly when the overlay changes: pages reload only then.
    pub id: u64,
    /// Messages of the findings that are not rule findings (the site could not be read), for
    /// the terminal.
    pub plain: Vec<String>,
}

impl Failure {
    pub fn new(findings: &[Finding]) -> Failure {
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let warnings: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect();
        let html = overlay_html(&errors, &warnings, KEPT);
        let html_no_site = overlay_html(&errors, &warnings, NO_SITE);
        let mut h = DefaultHasher::new();
        html.hash(&mut h);
        Failure {
            errors: errors.len(),
            warnings: warnings.len(),
            id: h.finish(),
            html,
            html_no_site,
            plain: findings
                .iter()
                .filter(|f| f.code.is_empty())
                .map(|f| f.message.clone())
                .collect(),
        }
    }
}

const FONT: &str = "font:16px/1.6 system-ui,-apple-system,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif";
const MONO: &str =
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace";

fn finding_html(out: &mut String, f: &Finding) {
    let (word, colour) = match f.severity {
        Severity::Error => ("错误", "#8c1d18"),
        Severity::Warning => ("警告", "#6b4700"),
    };
    out.push_str("<li style=\"margin:0 0 14px;padding:0\">");
    out.push_str("<p style=\"margin:0;padding:0;color:#1a1a1a\">");
    out.push_str(&format!("<strong style=\"color:{colour}\">{word}</strong>"));
    if !f.code.is_empty() {
        out.push_str(&format!(
            " <code style=\"{MONO};color:{colour};background:transparent\">[{}]</code>",
            escape(&f.code)
        ));
    }
    if !f.place.is_empty() {
        out.push_str(&format!(
            " <code style=\"{MONO};color:#1a1a1a;background:#f1f1f1;padding:0 4px\">{}</code>",
            escape(&f.place)
        ));
    }
    out.push_str("</p>");
    out.push_str(&format!(
        "<p style=\"margin:2px 0;padding:0;color:#1a1a1a\">{}</p>",
        escape(&f.message)
    ));
    if let Some((line, text)) = &f.source {
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = (f.span.0.min(chars.len()), f.span.1.min(chars.len()));
        let before: String = chars[..s].iter().collect();
        let marked: String = chars[s..e].iter().collect();
        let after: String = chars[e..].iter().collect();
        out.push_str(&format!(
            "<pre style=\"{MONO};margin:4px 0;padding:8px 10px;background:#f6f6f6;color:#1a1a1a;border:1px solid #d0d0d0;overflow:auto;white-space:pre;text-align:left\"><span style=\"color:#4a4a4a\">{line} | </span>{}",
            escape(&before)
        ));
        if !marked.is_empty() {
            out.push_str(&format!(
                "<mark style=\"background:#ffdad6;color:#410002;text-decoration:underline wavy #b3261e\">{}</mark>",
                escape(&marked)
            ));
        }
        out.push_str(&escape(&after));
        out.push_str("</pre>");
    }
    if let Some(h) = &f.help {
        out.push_str(&format!(
            "<p style=\"margin:2px 0;padding:0;color:#333\">提示：{}</p>",
            escape(h)
        ));
    }
    out.push_str("</li>");
}

fn list_html(out: &mut String, items: &[&Finding]) {
    out.push_str("<ol style=\"margin:0;padding:0 0 0 1.6em;list-style:decimal\">");
    for f in items.iter().take(MAX_LISTED) {
        finding_html(out, f);
    }
    out.push_str("</ol>");
    if items.len() > MAX_LISTED {
        out.push_str(&format!(
            "<p style=\"margin:0 0 8px\">还有 {} 项没有列出，完整列表见运行 nianbao serve 的终端。</p>",
            items.len() - MAX_LISTED
        ));
    }
}

const KEPT: (&str, &str) = (
    "网站没有更新",
    "预览仍显示上一次成功生成的网站。改正下列问题并保存，本页会自动刷新。",
);
const NO_SITE: (&str, &str) = ("网站还没有生成", "改正下列问题并保存，本页会自动刷新。");

fn overlay_html(errors: &[&Finding], warnings: &[&Finding], words: (&str, &str)) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str(&format!(
        "<div id=\"nianbao-overlay\" role=\"dialog\" aria-modal=\"false\" aria-labelledby=\"nianbao-overlay-title\" lang=\"zh-CN\" style=\"all:initial;display:block;position:fixed;left:0;right:0;bottom:0;z-index:2147483647;box-sizing:border-box;max-height:70vh;overflow:auto;margin:0;padding:16px 20px;background:#ffffff;color:#1a1a1a;border-top:6px solid #b3261e;box-shadow:0 -4px 18px rgba(0,0,0,.35);{FONT};text-align:left\">"
    ));
    out.push_str(&format!(
        "<p id=\"nianbao-overlay-title\" role=\"alert\" style=\"margin:0 0 6px;padding:0;font-size:20px;font-weight:bold;color:#8c1d18\">{}：发现 {} 个错误</p>",
        words.0,
        errors.len()
    ));
    out.push_str(&format!(
        "<p style=\"margin:0 0 12px;padding:0;color:#1a1a1a\">{}</p>",
        words.1
    ));
    list_html(&mut out, errors);
    if !warnings.is_empty() {
        out.push_str(&format!(
            "<details style=\"margin:8px 0\"><summary style=\"cursor:pointer;color:#1a1a1a\">另有 {} 个警告（不影响生成）</summary>",
            warnings.len()
        ));
        list_html(&mut out, warnings);
        out.push_str("</details>");
    }
    out.push_str("<button type=\"button\" id=\"nianbao-overlay-close\" style=\"all:initial;display:inline-block;margin:8px 0 0;padding:6px 18px;background:#8c1d18;color:#ffffff;border:2px solid #8c1d18;border-radius:4px;cursor:pointer;font:16px/1.5 system-ui,sans-serif;outline-offset:3px\">关闭</button>");
    out.push_str("</div>");
    out
}

/// The live-reload script. `root` is the page's relative path to the site root (`../../`),
/// `page` the served file (the server recomputes its token from it), `token` what the page
/// shows now: the server sends a new token when the page would look different.
pub fn reload_script(root: &str, page: &str, token: &str) -> String {
    // JSON strings are valid JavaScript; `</` is escaped so no value can close the script.
    let js = |s: &str| {
        serde_json::to_string(s)
            .unwrap_or_else(|_| "\"\"".into())
            .replace("</", "<\\/")
    };
    format!(
        "<script>/* nianbao serve：实时预览 */(function(){{\
var c=document.getElementById(\"nianbao-overlay-close\");\
if(c){{c.addEventListener(\"click\",function(){{document.getElementById(\"nianbao-overlay\").style.display=\"none\";}});}}\
if(!window.EventSource)return;\
var t={token};\
var u=new URL({url},location.href);\
u.searchParams.set(\"page\",{page});u.searchParams.set(\"t\",t);\
var s=new EventSource(u.href);\
s.onmessage=function(e){{if(e.data&&e.data!==t){{s.close();location.reload();}}}};\
}})();</script>",
        token = js(token),
        url = js(&format!("{root}{EVENTS_PATH}")),
        page = js(page),
    )
}

/// Inserts `extra` before the last `</body>` (any case), or at the end when there is none.
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page shown while there is no site yet (the first build failed): the overlay says why.
pub fn no_site_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>nianbao 预览：网站还没有生成</title>\n</head>\n<body style=\"margin:0;padding:24px;background:#ffffff;color:#1a1a1a;{FONT}\">\n<main>\n<h1 style=\"font-size:24px\">网站还没有生成</h1>\n<p>第一次生成就发现了问题，下面列出了每一项。改正后保存，本页会自动刷新。</p>\n</main>\n</body>\n</html>\n"
    )
}

/// Used when the site has no 404.html of its own.
pub fn plain_not_found() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>页面不存在</title>\n</head>\n<body style=\"margin:0;padding:24px;{FONT}\">\n<main>\n<h1>页面不存在</h1>\n<p><a href=\"/\">返回首页</a></p>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Pos, Rule};

    #[test]
    fn injects_before_the_last_body_end_tag() {
        let out = inject(b"<p>x</p></BODY></html>", "<i>");
        assert_eq!(out, b"<p>x</p><i></BODY></html>");
        let out = inject(b"<div>fragment</div>", "<i>");
        assert_eq!(out, b"<div>fragment</div><i>");
    }

    #[test]
    fn overlay_escapes_the_source_line_and_marks_the_figure() {
        let d = Diagnostic::new(
            Rule::T4Total,
            "content/a/2024.md",
            Pos::new(2, 10),
            "总计 <不对>",
        )
        .width("9");
        let src = "x\nreview: [9, <script>]\n";
        let f = Finding::new(&d, Some(src));
        assert_eq!(f.place, "content/a/2024.md:2:10");
        let failure = Failure::new(&[f]);
        assert!(failure.html.contains("总计 &lt;不对&gt;"));
        assert!(failure.html.contains(", &lt;script&gt;]"));
        assert!(!failure.html.contains("<script>"));
        assert!(failure.html.contains("<mark"));
        assert!(failure.html.contains(">9</mark>"));
        assert!(failure.html.contains("role=\"alert\""));
    }

    #[test]
    fn the_script_cannot_be_closed_by_a_page_name() {
        let s = reload_script("../", "a</script>b", "1");
        assert_eq!(s.matches("</script>").count(), 1);
        assert!(s.contains("\"../__nianbao/events\""));
    }
}
