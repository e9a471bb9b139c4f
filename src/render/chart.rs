//! Small bar charts drawn as inline SVG at build time: no chart library, no JavaScript needed
//! to see them, and a text alternative (`<title>`, `<desc>`) for screen readers.

use std::fmt::Write as _;

use super::escape;

/// A bar chart of one series over years. Returns `None` when there is nothing to draw.
pub fn bars(id: &str, title: &str, points: &[(i32, Option<f64>, String)]) -> Option<String> {
    let known: Vec<f64> = points.iter().filter_map(|p| p.1).collect();
    if known.is_empty() {
        return None;
    }
    let max = known.iter().cloned().fold(0.0f64, f64::max).max(1.0);
    let (w, h, top, bottom, left) = (60.0 * points.len() as f64 + 20.0, 160.0, 20.0, 28.0, 10.0);
    let plot = h - top - bottom;
    let mut s = String::new();
    let desc: Vec<String> = points
        .iter()
        .map(|(y, _, t)| format!("{y}年：{t}"))
        .collect();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(&desc.join("；"))
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#595959" stroke-width="1"/>"##,
        y = h - bottom,
        x2 = w - 10.0
    );
    for (i, (year, value, text)) in points.iter().enumerate() {
        let x = left + 10.0 + 60.0 * i as f64;
        if let Some(v) = value {
            let bh = (v / max * plot).max(if *v > 0.0 { 1.0 } else { 0.0 });
            let y = h - bottom - bh;
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y:.1}" width="36" height="{bh:.1}" fill="#1f5fa8"><title>{year}年：{}</title></rect>"##,
                escape(text)
            );
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#1a1a1a">{}</text>"##,
                x + 18.0,
                y - 4.0,
                escape(text)
            );
        } else {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#595959">—</text>"##,
                x + 18.0,
                h - bottom - 4.0
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="#1a1a1a">{year}</text>"##,
            x + 18.0,
            h - 8.0
        );
    }
    s.push_str("</svg>");
    Some(s)
}
