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

/// The most URLs one sitemap file may hold (sitemaps.org protocol; the other limit, 50 MB, is
/// far away at this many URLs of this site).
pub const SITEMAP_URLS: usize = 50_000;

/// The sitemap files of `pages` (path below the site root, last modified): `sitemap.xml` alone
/// when they fit one file, else `sitemap.xml` as a sitemap index of `sitemap-1.xml`, … of at
/// most [`SITEMAP_URLS`] each, as the protocol requires.
pub fn sitemaps(base: Option<&str>, pages: &[(String, Option<String>)]) -> Vec<(String, String)> {
    if pages.len() <= SITEMAP_URLS {
        return vec![("sitemap.xml".to_string(), urlset(base, pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in pages.chunks(SITEMAP_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = write!(
            index,
            "  <sitemap><loc>{}</loc>",
            escape(&absolute(base, &name))
        );
        if let Some(d) = chunk.iter().filter_map(|(_, d)| d.as_deref()).max() {
            let _ = write!(index, "<lastmod>{d}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        files.push((name, urlset(base, chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_string(), index));
    files
}

fn urlset(base: Option<&str>, pages: &[(String, Option<String>)]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Past 50,000 URLs the sitemap is an index of files of at most 50,000 URLs each, holding
    /// every URL once.
    #[test]
    fn a_large_site_gets_a_sitemap_index() {
        let pages: Vec<(String, Option<String>)> = (0..SITEMAP_URLS + 2)
            .map(|i| (format!("u{i}/"), Some(format!("2024-01-{:02}", i % 28 + 1))))
            .collect();
        let files = sitemaps(Some("https://x.cn/nb/"), &pages);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(files[0].1.contains("<sitemapindex"));
        assert!(
            files[0]
                .1
                .contains("<loc>https://x.cn/nb/sitemap-2.xml</loc>")
        );
        let urls: Vec<usize> = files[1..]
            .iter()
            .map(|(_, s)| s.matches("<url>").count())
            .collect();
        assert_eq!(urls, [SITEMAP_URLS, 2]);
        let one = sitemaps(None, &pages[..3]);
        assert_eq!(one.len(), 1);
        assert!(one[0].1.contains("<urlset") && one[0].1.matches("<url>").count() == 3);
    }
}
