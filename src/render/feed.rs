//! sitemap.xml and atom.xml. Both need absolute URLs: with `base_url` they have them; without,
//! links stay relative to the file (valid for Atom, tolerated by most sitemap readers) and the
//! build says so.

use std::fmt::Write as _;

use super::escape;

pub struct FeedEntry {
    pub title: String,
    /// Path below the site root, e.g. `huaian/2024/index.html`.
    pub path: String,
    pub id: String,
    pub updated: String,
    pub author: String,
    pub summary: String,
}

pub fn absolute(base: Option<&str>, path: &str) -> String {
    match base {
        Some(b) => format!("{}/{}", b.trim_end_matches('/'), path),
        None => path.to_string(),
    }
}

pub fn sitemap(base: Option<&str>, pages: &[(String, Option<String>)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        let _ = write!(s, "  <url><loc>{}</loc>", escape(&absolute(base, path)));
        if let Some(d) = lastmod {
            let _ = write!(s, "<lastmod>{d}</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

pub fn atom(
    base: Option<&str>,
    title: &str,
    site_id: &str,
    updated: &str,
    entries: &[FeedEntry],
) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n",
    );
    let _ = writeln!(s, "  <title>{}</title>", escape(title));
    let _ = writeln!(s, "  <id>{}</id>", escape(site_id));
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(
        s,
        "  <link rel=\"self\" href=\"{}\"/>",
        escape(&absolute(base, "atom.xml"))
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&absolute(base, "index.html"))
    );
    for e in entries {
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(s, "    <id>{}</id>", escape(&e.id));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&absolute(base, &e.path))
        );
        let _ = writeln!(s, "    <updated>{}</updated>", e.updated);
        let _ = writeln!(s, "    <author><name>{}</name></author>", escape(&e.author));
        let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
