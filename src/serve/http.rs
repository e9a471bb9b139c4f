//! Answering requests from the in-memory site: which file a URL names, its content type, and
//! the script and overlay added to HTML. Pure functions of a snapshot and a request line; the
//! connections are in [`super::server`].
//!
//! The site lives in memory, so a URL can only ever name a built file; still, anything that
//! tries to leave the site (`..`, `%2e%2e`, an encoded `/` or `\`, a backslash, an empty
//! segment as in `//etc/passwd`, a NUL) is answered 404 before any lookup.

use std::sync::Arc;

use super::overlay::{self, EVENTS_PATH};
use super::state::Snapshot;

pub enum Body {
    Shared(Arc<Vec<u8>>),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// What to do with a request.
pub enum Route {
    /// Open an event stream for the page `page` that currently shows `shown`.
    Events {
        page: Option<String>,
        shown: Option<String>,
    },
    Reply(Reply),
}

/// Content type by extension; text types say UTF-8 (the site is UTF-8 throughout).
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ofd" => "application/ofd",
        "wps" => "application/vnd.ms-works",
        _ => "application/octet-stream",
    }
}

/// Percent-decodes one URL component; `plus` also turns `+` into a space (query strings).
/// `None` when the bytes it names are not UTF-8. A `%` not followed by two hex digits stays as
/// it is, as in browsers.
fn decode(s: &str, plus: bool) -> Option<String> {
    let spaced;
    let s = if plus && s.contains('+') {
        spaced = s.replace('+', " ");
        &spaced
    } else {
        s
    };
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|d| d.into_owned())
}

/// The request path as decoded segments, or `None` when it could name something outside the
/// site. The last segment is empty when the path ends in `/`.
pub fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    if path.contains('\\') {
        return None;
    }
    let raw: Vec<&str> = rest.split('/').collect();
    let mut out = Vec::with_capacity(raw.len());
    for (i, seg) in raw.iter().enumerate() {
        let last = i + 1 == raw.len();
        if seg.is_empty() && !last {
            return None;
        }
        let d = decode(seg, false)?;
        if d == "." || d == ".." || d.contains(['/', '\\', '\0']) {
            return None;
        }
        out.push(d);
    }
    Some(out)
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k, true)? == name)
            .then(|| decode(v, true))
            .flatten()
    })
}

/// Relative path from a page at this request path back to the site root.
fn root_for(segs: &[String]) -> String {
    let depth = segs.len().saturating_sub(1);
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

fn reply(status: u16, ctype: &str, body: Body) -> Reply {
    Reply {
        status,
        headers: vec![
            ("Content-Type", ctype.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ],
        body,
    }
}

fn not_found_plain() -> Reply {
    reply(
        404,
        "text/plain; charset=utf-8",
        Body::Owned(b"404".to_vec()),
    )
}

/// An HTML page with the overlay (when the latest build failed) and the reload script.
fn html(snap: &Snapshot, status: u16, bytes: &[u8], root: &str, page: &str) -> Reply {
    let mut extra = String::new();
    if let Some(f) = &snap.failure {
        extra.push_str(if snap.files.is_some() {
            &f.html
        } else {
            &f.html_no_site
        });
    }
    extra.push_str(&overlay::reload_script(root, page, &snap.token(Some(page))));
    reply(
        status,
        "text/html; charset=utf-8",
        Body::Owned(overlay::inject(bytes, &extra)),
    )
}

/// Routes a request: `method` and the request target as sent (`/a/2024/?x=1`).
pub fn route(snap: &Snapshot, method: &str, target: &str) -> Route {
    if method != "GET" && method != "HEAD" {
        let mut r = reply(
            405,
            "text/plain; charset=utf-8",
            Body::Owned(b"405".to_vec()),
        );
        r.headers.push(("Allow", "GET, HEAD".to_string()));
        return Route::Reply(r);
    }
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let Some(segs) = segments(path) else {
        return Route::Reply(not_found_plain());
    };
    let n = segs.len();
    if n >= 2 && method == "GET" && format!("{}/{}", segs[n - 2], segs[n - 1]) == EVENTS_PATH {
        return Route::Events {
            page: query_param(query, "page"),
            shown: query_param(query, "t"),
        };
    }
    let root = root_for(&segs);
    let trailing = segs.last().is_some_and(|s| s.is_empty());
    let key = if trailing {
        format!("{}index.html", segs.join("/"))
    } else {
        segs.join("/")
    };

    let Some(files) = &snap.files else {
        // No site yet: every page explains why.
        let status = if key == "index.html" { 200 } else { 404 };
        let page = overlay::no_site_page();
        return Route::Reply(html(snap, status, page.as_bytes(), &root, ""));
    };
    if let Some(bytes) = files.get(key.as_str()) {
        let ctype = content_type(&key);
        return Route::Reply(if ctype.starts_with("text/html") {
            html(snap, 200, bytes, &root, &key)
        } else {
            reply(200, ctype, Body::Shared(bytes.clone()))
        });
    }
    if !trailing && files.contains_key(format!("{key}/index.html").as_str()) {
        // A folder without its slash: a relative Location keeps any sub-path the site is under.
        let raw_last = path.rsplit('/').next().unwrap_or("");
        let mut location = format!("{raw_last}/");
        if !query.is_empty() {
            location = format!("{location}?{query}");
        }
        let mut r = reply(302, "text/plain; charset=utf-8", Body::Owned(Vec::new()));
        r.headers.push(("Location", location));
        return Route::Reply(r);
    }
    let page = files
        .get("404.html")
        .map(|b| b.as_slice().to_vec())
        .unwrap_or_else(|| overlay::plain_not_found().into_bytes());
    Route::Reply(html(snap, 404, &page, &root, "404.html"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::state::Files;

    fn snap() -> Snapshot {
        let mut files = Files::new();
        for (k, v) in [
            ("index.html", "<html><body>home</body></html>"),
            ("a/2024/index.html", "<html><body>report</body></html>"),
            ("a/2024/report.csv", "x,y"),
            ("a/index.html", "<html><body>unit</body></html>"),
            ("404.html", "<html><body>nope</body></html>"),
        ] {
            files.insert(k.into(), Arc::new(v.as_bytes().to_vec()));
        }
        Snapshot {
            files: Some(Arc::new(files)),
            failure: None,
            assets: 0,
            version: 1,
        }
    }

    fn get(s: &Snapshot, t: &str) -> Reply {
        match route(s, "GET", t) {
            Route::Reply(r) => r,
            Route::Events { .. } => panic!("events for {t}"),
        }
    }

    fn header<'a>(r: &'a Reply, name: &str) -> Option<&'a str> {
        r.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn traversal_is_refused() {
        let s = snap();
        for t in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/..%2fx",
            "/a%2f2024/index.html",
            "//etc/passwd",
            "/a/../index.html",
            "/.\\..\\x",
            "/a%5c..%5cx",
            "/%00",
            "/%ff",
            "http://example.com/index.html",
            "/./index.html",
        ] {
            let r = get(&s, t);
            assert_eq!(r.status, 404, "{t}");
            assert_eq!(r.body.as_ref(), b"404", "{t}");
        }
    }

    #[test]
    fn folders_files_and_redirects() {
        let s = snap();
        let r = get(&s, "/a/2024/");
        assert_eq!(r.status, 200);
        let body = String::from_utf8(r.body.as_ref().to_vec()).unwrap();
        assert!(body.contains("report"));
        assert!(body.contains("\"../../__nianbao/events\""));
        assert!(body.find("<script>").unwrap() < body.find("</body>").unwrap());

        let r = get(&s, "/a/2024?x=1");
        assert_eq!(r.status, 302);
        assert_eq!(header(&r, "Location"), Some("2024/?x=1"));

        let r = get(&s, "/a/2024/report.csv");
        assert_eq!(header(&r, "Content-Type"), Some("text/csv; charset=utf-8"));
        assert_eq!(r.body.as_ref(), b"x,y");

        // A stray `%` is a character like any other (and names no file here).
        let r = get(&s, "/%zz");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8_lossy(r.body.as_ref()).contains("nope"));

        let r = get(&s, "/nope/x.html");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8_lossy(r.body.as_ref()).contains("nope"));

        assert!(matches!(
            route(&s, "GET", "/sub/a/__nianbao/events?page=a%2Findex.html&t=ab"),
            Route::Events { page: Some(p), shown: Some(t) } if p == "a/index.html" && t == "ab"
        ));
        assert!(matches!(
            route(&s, "POST", "/"),
            Route::Reply(Reply { status: 405, .. })
        ));
    }

    #[test]
    fn without_a_site_every_page_explains() {
        let s = Snapshot {
            files: None,
            failure: None,
            assets: 0,
            version: 1,
        };
        assert_eq!(get(&s, "/").status, 200);
        let r = get(&s, "/a/2024/");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8_lossy(r.body.as_ref()).contains("网站还没有生成"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/x.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("data/reports.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("a.svg"), "image/svg+xml");
        assert_eq!(content_type("a/2020.pdf"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
