//! `nianbao serve` from the outside: the real binary (or the library server) on a temp site, a
//! hand-written HTTP/1.1 client over `TcpStream`, and an event-stream reader. Edits are real
//! file writes the watcher has to notice.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Generous: the test machine may be busy building other things.
const WAIT: Duration = Duration::from_secs(30);

/// Minimal templates: each page prints its title, the report page prints every table cell.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "home.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>首页</h1>{% for y in home.years %}<a href=\"{{ y.href }}\">{{ y.year }}</a>{% endfor %}</body>\n</html>\n",
    ),
    (
        "year.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>{{ year.year }}</h1></body>\n</html>\n",
    ),
    (
        "unit.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>{{ unit.name }}</h1>{% for r in unit.reports %}<p>{{ r.title }}</p>{% endfor %}</body>\n</html>\n",
    ),
    (
        "report.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>{{ report.title }}</h1>\n{% for s in report.sections %}{% if s.table %}<table id=\"{{ s.table.id }}\">{% for g in s.table.groups %}{% for row in g.rows %}<tr>{% for c in row %}<td>{% if c.tag == \"td\" %}{{ s.table.figures[c.figure].text }}{% else %}{{ c.text }}{% endif %}</td>{% endfor %}</tr>{% endfor %}{% endfor %}</table>\n{% endif %}{% endfor %}</body>\n</html>\n",
    ),
    (
        "fragment.html",
        "<div class=\"fragment\"><h1>{{ report.title }}</h1></div>\n",
    ),
    (
        "search.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>检索</h1></body>\n</html>\n",
    ),
    (
        "404.html",
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><h1>页面不存在（站点 404）</h1><a href=\"{{ page.root }}index.html\">首页</a></body>\n</html>\n",
    ),
];

fn write_templates(root: &Path) {
    let dir = root.join("templates");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in TEMPLATES {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The bundled example (4 reports, no errors) with the minimal templates.
fn site() -> tempfile::TempDir {
    let s = example_site();
    write_templates(s.path());
    s
}

const REPORT: &str = "content/huaian/2024.md";
const FIGURE: &str = "licensing: 447228";
const GOOD_REVIEW: &str = "review:                  [72, 64, 178, 37, 351]";
/// 行政复议 总计 one less than its parts: `T4-total` at 47:46.
const BAD_REVIEW: &str = "review:                  [72, 64, 178, 37, 350]";

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let p = root.join(file);
    let text = read(&p);
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// A hand-written HTTP/1.1 client.

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET target` exactly as written (no normalisation of `..` or `%2e`).
fn get(addr: SocketAddr, target: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = String::from_utf8_lossy(&raw[split + 4..]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body,
    }
}

/// An open event stream: each `data:` line arrives on the channel.
struct Events {
    rx: Receiver<String>,
    stream: TcpStream,
}

impl Events {
    /// Connects and returns once the server has sent the stream's head (it is then registered).
    fn open(addr: SocketAddr, target: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut reader = BufReader::new(s.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut ctype = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type:") {
                ctype = line.clone();
            }
        }
        assert!(ctype.contains("text/event-stream"), "{ctype}");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(d) = line.strip_prefix("data: ")
                    && tx.send(d.trim().to_string()).is_err()
                {
                    return;
                }
                line.clear();
            }
        });
        Events { rx, stream: s }
    }

    fn next(&self) -> Option<String> {
        self.rx.recv_timeout(WAIT).ok()
    }

    /// Events that arrive within `d`.
    fn during(&self, d: Duration) -> Vec<String> {
        let end = Instant::now() + d;
        let mut out = Vec::new();
        while let Ok(e) = self
            .rx
            .recv_timeout(end.saturating_duration_since(Instant::now()))
        {
            out.push(e);
        }
        out
    }

    fn close(self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + WAIT;
    while Instant::now() < end {
        if f() {
            return;
        }
        thread::sleep(Duration::from_millis(30));
    }
    panic!("timed out waiting until {what}");
}

/// The token a served page shows, from its reload script.
fn token_of(page: &str) -> String {
    let at = page.find("var t=\"").expect("reload script") + 7;
    page[at..].split('"').next().unwrap().to_string()
}

const OVERLAY: &str = "id=\"nianbao-overlay\"";

// ---------------------------------------------------------------------------------------------
// The binary.

struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, args: &[&str]) -> Server {
        let mut cmd = nianbao();
        cmd.arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(args);
        Server::spawn(cmd)
    }

    fn spawn(mut cmd: std::process::Command) -> Server {
        let mut child = cmd
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let err = child.stderr.take().unwrap();
            let stderr = stderr.clone();
            thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    let mut s = stderr.lock().unwrap();
                    s.push_str(&line);
                    s.push('\n');
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no URL on stdout; stderr:\n{}", stderr.lock().unwrap()));
        let url = line
            .split_once("http://")
            .map(|(_, u)| u.trim_end_matches('/'))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        assert!(url.starts_with("127.0.0.1:"), "binds 127.0.0.1: {line}");
        Server {
            child,
            addr: url.parse().unwrap(),
            stderr,
        }
    }

    fn get(&self, target: &str) -> Resp {
        get(self.addr, target)
    }

    fn events(&self, target: &str) -> Events {
        Events::open(self.addr, target)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn pages_files_folders_and_404_are_served() {
    let site = site();
    let s = Server::start(site.path(), &[]);

    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<h1>首页</h1>"));
    // The reload script is in served HTML, before </body>, with the endpoint below the root.
    let script = home.body.find("<script>").expect("reload script");
    assert!(script < home.body.find("</body>").unwrap());
    assert!(home.body.contains("\"./__nianbao/events\""));

    let report = s.get("/huaian/2024/");
    assert_eq!(report.status, 200);
    assert!(report.body.contains("<td>447228</td>"), "{}", report.body);
    assert!(report.body.contains("\"../../__nianbao/events\""));
    assert_eq!(s.get("/huaian/2024/index.html").status, 200);

    let folder = s.get("/huaian/2024");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("2024/"));

    let csv = s.get("/data/reports.csv");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert!(!csv.body.contains("<script>"), "only HTML gets the script");
    assert_eq!(
        s.get("/data/reports.json").header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        s.get("/sitemap.xml").header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );

    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("页面不存在（站点 404）"));
    assert!(missing.body.contains("__nianbao/events"));

    // Built into memory: nothing is written into the site.
    assert!(!site.path().join("public").exists());
    assert!(!read(&site.path().join(REPORT)).contains("__nianbao"));
}

#[test]
fn paths_that_leave_the_site_get_404() {
    let site = site();
    let s = Server::start(site.path(), &[]);
    for t in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fx",
        "/..%2f..%2fetc%2fpasswd",
        "/huaian%2f2024/index.html",
        "//etc/passwd",
        "/huaian/../index.html",
        "/..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "/%00",
        "/C:/Windows/win.ini",
    ] {
        let r = s.get(t);
        assert_eq!(r.status, 404, "{t}");
        assert!(!r.body.contains("root:"), "{t}");
    }
}

/// An edit shows up in the page and is announced on the event stream.
fn edit_is_served_and_announced(mode: &str) {
    let site = site();
    let s = Server::start(site.path(), &["--incremental", mode]);
    let events = s.events("/__nianbao/events");
    let page = s.get("/huaian/2024/");
    let shown = token_of(&page.body);
    let page_events = s.events(&format!(
        "/huaian/2024/__nianbao/events?page=huaian%2F2024%2Findex.html&t={shown}"
    ));

    edit(site.path(), REPORT, FIGURE, "licensing: 447229");
    assert!(events.next().is_some(), "an event after the edit");
    let token = page_events
        .next()
        .expect("the edited page is told to reload");
    assert_ne!(token, shown);
    wait_until("the new figure is served", || {
        s.get("/huaian/2024/").body.contains("<td>447229</td>")
    });
    assert_eq!(token_of(&s.get("/huaian/2024/").body), token);
    // The unit and home pages follow (in `always` mode after the fast path).
    wait_until("the site is consistent", || {
        s.get("/data/reports.csv").body.contains("447229")
    });
    // One reload for one save, even when the report was shown before the rest of the site.
    assert!(page_events.during(Duration::from_millis(800)).is_empty());
    wait_until("the terminal names the file", || {
        s.stderr().contains("content/huaian/2024.md")
    });
}

#[test]
fn edit_is_served_and_announced_fast_path() {
    edit_is_served_and_announced("always");
}

#[test]
fn edit_is_served_and_announced_full_build() {
    edit_is_served_and_announced("never");
}

/// A broken edit keeps the last good page and shows the finding; fixing it removes the overlay.
fn broken_edit_keeps_last_good_site(mode: &str) {
    let site = site();
    let s = Server::start(site.path(), &["--incremental", mode]);
    let events = s.events("/__nianbao/events");

    edit(site.path(), REPORT, FIGURE, "licensing: 447229");
    events.next().expect("event after the good edit");
    wait_until("the good edit is served", || {
        s.get("/huaian/2024/").body.contains("<td>447229</td>")
    });

    edit(site.path(), REPORT, GOOD_REVIEW, BAD_REVIEW);
    events.next().expect("event after the broken edit");
    wait_until("the overlay is shown", || {
        s.get("/huaian/2024/").body.contains(OVERLAY)
    });
    let page = s.get("/huaian/2024/");
    assert_eq!(page.status, 200);
    // The last good page: the good edit, not the broken figure.
    assert!(page.body.contains("<td>447229</td>"));
    assert!(page.body.contains("<td>351</td>"));
    assert!(!page.body.contains("<td>350</td>"));
    assert!(page.body.contains("[T4-total]"), "{}", page.body);
    assert!(page.body.contains("content/huaian/2024.md:47:46"));
    assert!(page.body.contains("role=\"alert\""));
    assert!(page.body.contains("role=\"dialog\""));
    // The overlay is on every page, and only in HTML.
    assert!(s.get("/").body.contains("[T4-total]"));
    assert!(s.get("/no/such/").body.contains("[T4-total]"));
    assert!(!s.get("/data/reports.csv").body.contains("T4-total"));
    // The terminal says it too.
    wait_until("the finding is printed", || {
        s.stderr().contains("error[T4-total]")
    });

    // A finding whose source line holds markup: shown escaped.
    edit(
        site.path(),
        REPORT,
        BAD_REVIEW,
        "review:                  [72, 64, 178, 37, \"<b>351\"]",
    );
    events.next().expect("event after the second broken edit");
    wait_until("the cell-type finding is shown", || {
        s.get("/huaian/2024/").body.contains("[cell-type]")
    });
    let page = s.get("/huaian/2024/").body;
    assert!(page.contains("&quot;&lt;b&gt;351&quot;"), "{page}");
    assert!(!page.contains("<b>351"));

    edit(
        site.path(),
        REPORT,
        "review:                  [72, 64, 178, 37, \"<b>351\"]",
        GOOD_REVIEW,
    );
    events.next().expect("event after the fix");
    wait_until("the overlay is gone", || {
        let p = s.get("/huaian/2024/").body;
        !p.contains(OVERLAY) && p.contains("<td>447229</td>")
    });
    assert!(!s.get("/").body.contains(OVERLAY));
}

#[test]
fn broken_edit_keeps_last_good_site_fast_path() {
    broken_edit_keeps_last_good_site("always");
}

#[test]
fn broken_edit_keeps_last_good_site_full_build() {
    broken_edit_keeps_last_good_site("never");
}

#[test]
fn a_broken_template_shows_its_file_and_line() {
    let site = site();
    let s = Server::start(site.path(), &[]);
    let events = s.events("/__nianbao/events");
    std::fs::write(
        site.path().join("templates/year.html"),
        "<!DOCTYPE html>\n<html><body>\n{% if %}\n</body></html>\n",
    )
    .unwrap();
    events.next().expect("event after the template edit");
    wait_until("the template finding is shown", || {
        s.get("/").body.contains("[template]")
    });
    let page = s.get("/huaian/2024/").body;
    assert!(page.contains("templates/year.html:3"), "{page}");
    assert!(page.contains("<td>447228</td>"), "the last good page stays");
    write_templates(site.path());
    wait_until("the overlay is gone", || !s.get("/").body.contains(OVERLAY));
}

#[test]
fn the_first_build_failing_does_not_stop_serve() {
    let site = site();
    edit(site.path(), REPORT, GOOD_REVIEW, BAD_REVIEW);
    let s = Server::start(site.path(), &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("网站还没有生成"));
    assert!(home.body.contains("[T4-total]"));
    assert!(home.body.contains("content/huaian/2024.md:47:46"));
    let report = s.get("/huaian/2024/");
    assert_eq!(report.status, 404);
    assert!(report.body.contains("[T4-total]"));
    wait_until("the terminal says the first build failed", || {
        s.stderr().contains("第一次生成失败，预览照常启动")
    });

    edit(site.path(), REPORT, BAD_REVIEW, GOOD_REVIEW);
    wait_until("the site appears", || {
        let r = s.get("/huaian/2024/");
        r.status == 200 && r.body.contains("<td>351</td>") && !r.body.contains(OVERLAY)
    });
}

#[test]
fn a_root_without_content_is_served_until_content_appears() {
    let root = tempfile::tempdir().unwrap();
    write_templates(root.path());
    let s = Server::start(root.path(), &[]);
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("找不到内容文件夹"), "{}", home.body);
    copy_dir(
        &manifest_dir().join("content"),
        &root.path().join("content"),
    );
    wait_until("the site appears", || {
        s.get("/huaian/2024/").body.contains("<td>447228</td>")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let mut child = nianbao()
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("serve did not exit although the port is taken");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!status.success());
    assert!(err.contains(&format!("端口 {port} 已被占用")), "{err}");
    assert!(err.contains("--port"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn editor_temp_files_are_ignored_and_a_vim_save_gives_one_reload() {
    let site = site();
    let s = Server::start(site.path(), &["--incremental", "never"]);
    let events = s.events("/__nianbao/events");
    let dir = site.path().join("content/huaian");
    for name in [
        ".2024.md.swp",
        "2024.md~",
        "4913",
        ".#2024.md",
        "#2024.md#",
        ".subl1a2.tmp",
    ] {
        std::fs::write(dir.join(name), "---\nyear: [\n").unwrap();
    }
    assert_eq!(
        events.during(Duration::from_millis(1200)),
        Vec::<String>::new()
    );
    for name in [
        ".2024.md.swp",
        "2024.md~",
        "4913",
        ".#2024.md",
        "#2024.md#",
        ".subl1a2.tmp",
    ] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    assert_eq!(
        events.during(Duration::from_millis(800)),
        Vec::<String>::new()
    );

    // How vim saves with `backupcopy=no`: test file 4913, the original renamed to a backup,
    // a new file written, the backup removed.
    let file = dir.join("2024.md");
    let text = read(&file).replacen(FIGURE, "licensing: 447230", 1);
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::rename(&file, dir.join("2024.md~")).unwrap();
    std::fs::write(&file, &text).unwrap();
    std::fs::remove_file(dir.join("2024.md~")).unwrap();
    assert!(events.next().is_some());
    wait_until("the saved figure is served", || {
        s.get("/huaian/2024/").body.contains("<td>447230</td>")
    });
    assert_eq!(
        events.during(Duration::from_millis(800)),
        Vec::<String>::new(),
        "one rebuild for one save"
    );

    // A burst of saves: one rebuild.
    for i in 0..10 {
        std::fs::write(&file, text.replacen("447230", &format!("44724{i}"), 1)).unwrap();
    }
    assert!(events.next().is_some());
    assert_eq!(
        events.during(Duration::from_millis(1000)),
        Vec::<String>::new()
    );
    assert!(s.get("/huaian/2024/").body.contains("<td>447249</td>"));
}

/// A busy machine stretches an editor's save: the steps of one save arrive tens of milliseconds
/// apart. It is still one save: one reload, and the page is served all along (never a 404 for
/// the moment the file was renamed away).
#[test]
fn a_save_stretched_by_a_busy_machine_gives_one_reload_and_the_page_stays() {
    let site = site();
    let s = Server::start(site.path(), &["--incremental", "never"]);
    let events = s.events("/__nianbao/events");
    let addr = s.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let missing = {
        let stop = stop.clone();
        thread::spawn(move || {
            let mut missing = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = get(addr, "/huaian/2024/");
                if r.status != 200 {
                    missing.push(r.status);
                }
                thread::sleep(Duration::from_millis(5));
            }
            missing
        })
    };
    let dir = site.path().join("content/huaian");
    let file = dir.join("2024.md");
    let pause = || thread::sleep(Duration::from_millis(40));

    // vim with `backupcopy=no`, each step 40 ms after the last.
    let text = read(&file).replacen(FIGURE, "licensing: 447230", 1);
    std::fs::rename(&file, dir.join("2024.md~")).unwrap();
    pause();
    std::fs::write(&file, &text).unwrap();
    pause();
    std::fs::remove_file(dir.join("2024.md~")).unwrap();
    assert!(events.next().is_some());
    wait_until("the saved figure is served", || {
        s.get("/huaian/2024/").body.contains("<td>447230</td>")
    });
    assert_eq!(
        events.during(Duration::from_millis(800)),
        Vec::<String>::new(),
        "one reload for one save"
    );

    // An editor that writes a file in pieces (truncate, then write), 20 ms apart.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&file)
        .unwrap();
    let half = text.len() / 2;
    let half = (half..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap();
    let text = text.replacen("447230", "447231", 1);
    let mut f = f;
    thread::sleep(Duration::from_millis(20));
    f.write_all(&text.as_bytes()[..half]).unwrap();
    f.flush().unwrap();
    thread::sleep(Duration::from_millis(20));
    f.write_all(&text.as_bytes()[half..]).unwrap();
    drop(f);
    assert!(events.next().is_some());
    assert_eq!(
        events.during(Duration::from_millis(800)),
        Vec::<String>::new(),
        "one reload for one save written in pieces"
    );
    assert!(s.get("/huaian/2024/").body.contains("<td>447231</td>"));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        missing.join().unwrap(),
        Vec::<u16>::new(),
        "the page was missing"
    );
}

#[test]
fn deleted_and_moved_reports_disappear_and_a_new_unit_appears() {
    let site = site();
    let s = Server::start(site.path(), &[]);
    assert_eq!(s.get("/huaian/hongze/2024/").status, 200);
    std::fs::remove_file(site.path().join("content/huaian/hongze/2024.md")).unwrap();
    wait_until("the deleted report is gone", || {
        s.get("/huaian/hongze/2024/").status == 404
    });

    let new_unit = site.path().join("content/xiangcheng/xinhua");
    std::fs::create_dir(&new_unit).unwrap();
    std::fs::write(
        new_unit.join("_index.md"),
        "---\nname: 项城市人民政府新华街道办事处\nshort_name: 新华街道\nkind: 街道\n---\n",
    )
    .unwrap();
    std::fs::rename(
        site.path().join("content/xiangcheng/huayuan/2020.md"),
        new_unit.join("2020.md"),
    )
    .unwrap();
    wait_until("the moved report is at its new place", || {
        s.get("/xiangcheng/xinhua/2020/").status == 200
            && s.get("/xiangcheng/huayuan/2020/").status == 404
    });
    assert!(
        s.get("/xiangcheng/xinhua/")
            .body
            .contains("项城市人民政府新华街道办事处")
    );
}

#[test]
fn polling_sees_edits_too() {
    let site = site();
    let s = Server::start(site.path(), &["--poll"]);
    wait_until("the terminal says it polls", || {
        s.stderr().contains("正在轮询监视")
    });
    edit(site.path(), REPORT, FIGURE, "licensing: 447231");
    wait_until("the polled edit is served", || {
        s.get("/huaian/2024/").body.contains("<td>447231</td>")
    });
}

/// Runs `nianbao serve` in a user namespace of its own whose inotify limit is `limit` watches,
/// so the limit can be reached without touching the machine's. `None` where that is not allowed.
fn serve_with_inotify_limit(root: &Path, limit: u32) -> Option<Server> {
    let probe = std::process::Command::new("unshare")
        .args(["-U", "-r", "sh", "-c"])
        .arg("echo 5 > /proc/sys/user/max_inotify_watches")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: cannot set an inotify limit in a user namespace here");
        return None;
    }
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-U", "-r", "sh", "-c"])
        .arg(format!(
            "echo {limit} > /proc/sys/user/max_inotify_watches && exec \"$0\" serve --port 0 --root \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_nianbao"))
        .arg(root);
    Some(Server::spawn(cmd))
}

#[test]
fn past_the_inotify_limit_at_start_serve_says_so_and_polls() {
    let site = site();
    let Some(s) = serve_with_inotify_limit(site.path(), 2) else {
        return;
    };
    wait_until("the limit is explained", || {
        let e = s.stderr();
        e.contains("fs.inotify.max_user_watches") && e.contains("正在轮询监视")
    });
    edit(site.path(), REPORT, FIGURE, "licensing: 447234");
    wait_until("the polled edit is served", || {
        s.get("/huaian/2024/").body.contains("<td>447234</td>")
    });
}

#[test]
fn reaching_the_inotify_limit_while_serving_switches_to_polling() {
    let site = site();
    // The root, content/ with its four unit folders, and templates/: exactly 7 watches.
    let Some(s) = serve_with_inotify_limit(site.path(), 7) else {
        return;
    };
    wait_until("serving starts with notifications", || {
        s.stderr().contains("正在监视")
    });
    assert!(!s.stderr().contains("max_user_watches"), "{}", s.stderr());
    // An eighth folder cannot be watched: polling takes over and still sees the new unit.
    let unit = site.path().join("content/xinzeng");
    std::fs::create_dir(&unit).unwrap();
    wait_until("the limit is explained", || {
        s.stderr().contains("fs.inotify.max_user_watches")
    });
    std::fs::write(
        unit.join("_index.md"),
        "---\nname: 新增单位\nkind: 部门\n---\n",
    )
    .unwrap();
    std::fs::write(
        unit.join("2024.md"),
        read(&site.path().join(REPORT)).replace("淮安市人民政府", "新增单位"),
    )
    .unwrap();
    wait_until("the new unit's report is served", || {
        s.get("/xinzeng/2024/").status == 200
    });
}

#[test]
fn twenty_event_streams_all_get_reloads_and_dead_ones_are_dropped() {
    let site = site();
    let running = nianbao::serve::start(nianbao::serve::ServeOptions {
        root: site.path().to_path_buf(),
        port: 0,
        incremental: nianbao::serve::Incremental::Never,
        quiet: true,
        ..Default::default()
    })
    .unwrap();
    let addr = running.addr;
    let clients: Vec<Events> = (0..20)
        .map(|_| Events::open(addr, "/__nianbao/events"))
        .collect();
    assert_eq!(running.shared.hub.len(), 20);
    for (n, figure) in ["447232", "447233"].iter().enumerate() {
        let from = if n == 0 { "447228" } else { "447232" };
        edit(site.path(), REPORT, from, figure);
        for (i, c) in clients.iter().enumerate() {
            assert!(c.next().is_some(), "client {i} got edit {n}");
        }
    }
    // Half the pages are closed: the others still get every reload, the closed ones are dropped.
    let mut clients = clients;
    for c in clients.drain(10..) {
        c.close();
    }
    let files = running.shared.current().files.clone();
    for round in 0..4 {
        running.shared.publish(files.clone(), None);
        for (i, c) in clients.iter().enumerate() {
            assert!(c.next().is_some(), "client {i} got publication {round}");
        }
    }
    wait_until("closed streams are dropped", || {
        running.shared.publish(files.clone(), None);
        running.shared.hub.len() == 10
    });
    running.stop();
}

/// The fast path gives exactly what a full build gives for the reports it renders, and the
/// same findings.
#[test]
fn the_fast_path_matches_a_full_build() {
    use nianbao::serve::model::{self, Built};
    let site = site();
    let root = site.path();
    let base = "http://127.0.0.1:1/";
    let never = AtomicBool::new(false);
    let full = |root: &Path| {
        let (m, b) = model::full(root, base, &never).unwrap();
        match b {
            Built::Site { files, .. } => (m.unwrap(), files),
            Built::Failed(f) => panic!("{}", f.html),
        }
    };
    let (mut m, good) = full(root);
    // A plain figure; a carry-over from 2023 that 2024 no longer matches (a new warning on
    // another file); 2023's acknowledged note, shown beside its figures.
    let cases: &[(&str, &str, &str)] = &[
        (REPORT, FIGURE, "licensing: 1"),
        (
            "content/huaian/hongze/2024.md",
            "new:             [95, 0, 0, 0, 0, 0, 95]\n  carried_over:    [0, 0, 0, 0, 0, 0, 0]",
            "new:             [94, 0, 0, 0, 0, 0, 94]\n  carried_over:    [1, 0, 0, 0, 0, 0, 1]",
        ),
        (
            "content/huaian/hongze/2023.md",
            "note: \"原文如此：",
            "note: \"原文如此（已核对）：",
        ),
    ];
    let mut good = good;
    for (file, from, to) in cases {
        edit(root, file, from, to);
        let fast = match model::fast(&mut m, &good, &[file.to_string()], base).unwrap() {
            Built::Site { files, .. } => files,
            Built::Failed(f) => panic!("{}", f.html),
        };
        let (m2, full_files) = full(root);
        assert_eq!(m.outcome.diagnostics, m2.outcome.diagnostics, "{file}");
        assert_eq!(m.outcome.silenced, m2.outcome.silenced, "{file}");
        let unit = nianbao::load::report_key(file).unwrap().0;
        for (k, v) in &full_files {
            if k.starts_with(&format!("{unit}/20")) {
                assert_eq!(fast.get(k), Some(v), "{file}: {k}");
            }
        }
        for k in fast.keys() {
            assert!(
                full_files.contains_key(k),
                "{file}: {k} only in the fast result"
            );
        }
        good = full_files;
        m = m2;
    }

    // A broken edit: the fast path finds what a full build finds.
    edit(root, REPORT, GOOD_REVIEW, BAD_REVIEW);
    assert!(matches!(
        model::fast(&mut m, &good, &[REPORT.to_string()], base).unwrap(),
        Built::Failed(_)
    ));
    let (m2, _) = model::full(root, base, &never).unwrap();
    assert_eq!(m.outcome.diagnostics, m2.unwrap().outcome.diagnostics);

    // Not a report: the fast path declines and leaves the model alone.
    let before = m.outcome.diagnostics.clone();
    assert!(model::fast(&mut m, &good, &["templates/report.html".into()], base).is_err());
    assert!(model::fast(&mut m, &good, &["content/huaian/_index.md".into()], base).is_err());
    assert_eq!(m.outcome.diagnostics, before);
}

/// What `serve` shows is what `build` writes: the same files, byte for byte.
#[test]
fn serve_builds_exactly_what_build_writes() {
    let site = example_site();
    let base = "http://127.0.0.1:1111/";
    let never = AtomicBool::new(false);
    let files = match nianbao::serve::model::full(site.path(), base, &never)
        .unwrap()
        .1
    {
        nianbao::serve::model::Built::Site { files, .. } => files,
        nianbao::serve::model::Built::Failed(f) => panic!("{}", f.html),
    };
    let (_, built) = nianbao::build::build_to_memory(
        site.path(),
        &nianbao::build::BuildOptions {
            base_url: Some(base.into()),
            force: false,
        },
    )
    .unwrap_or_else(|_| panic!("build failed"));
    assert_eq!(files.len(), built.len());
    for (k, v) in &built {
        assert_eq!(files.get(k), Some(v), "{k}");
    }
}

/// The fast path on a generated site: nested units, both formats (2020 → 2021), carry-over
/// across the format change, region totals above the edited units.
#[test]
fn the_fast_path_matches_a_full_build_on_a_generated_site() {
    use nianbao::serve::model::{self, Built};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    corpus::write_corpus(root, 24, 2020..=2022).unwrap();
    let base = "http://127.0.0.1:1/";
    let never = AtomicBool::new(false);
    let full = || match model::full(root, base, &never).unwrap() {
        (Some(m), Built::Site { files, .. }) => (m, files),
        (_, Built::Failed(f)) => panic!("{}", f.html),
        (None, _) => unreachable!(),
    };
    let (mut m, mut good) = full();
    let mut edited = 0;
    let reports: Vec<String> = m
        .loaded
        .site
        .reports
        .iter()
        .map(|r| r.file.clone())
        .collect();
    for file in reports.iter().step_by(7) {
        let text = read(&root.join(file));
        // 2021 format: a plain count; 2019 format: the 处理决定数量 of 行政许可.
        let Some(at) = text
            .find("punishment: ")
            .or_else(|| text.find("licensing:"))
        else {
            continue;
        };
        let line_end = at + text[at..].find('\n').unwrap();
        let line = &text[at..line_end];
        let digits: String = line
            .chars()
            .rev()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let n: u64 = digits.parse().unwrap();
        let new_line = line.replacen(&digits, &(n + 3).to_string(), 1);
        std::fs::write(
            root.join(file),
            format!("{}{new_line}{}", &text[..at], &text[line_end..]),
        )
        .unwrap();
        let fast = match model::fast(&mut m, &good, std::slice::from_ref(file), base) {
            Ok(Built::Site { files, .. }) => files,
            Ok(Built::Failed(f)) => panic!("{file}: {}", f.html),
            Err(_) => panic!("{file}: the fast path declined"),
        };
        let (m2, files) = full();
        assert_eq!(m.outcome.diagnostics, m2.outcome.diagnostics, "{file}");
        assert_eq!(m.outcome.silenced, m2.outcome.silenced, "{file}");
        let unit = nianbao::load::report_key(file).unwrap().0;
        for y in 2020..=2022 {
            let prefix = format!("{unit}/{y}/");
            for (k, v) in files.iter().filter(|(k, _)| k.starts_with(&prefix)) {
                assert_eq!(fast.get(k), Some(v), "{file}: {k}");
            }
        }
        (m, good) = (m2, files);
        edited += 1;
    }
    assert!(edited >= 8, "edited {edited} reports");
}

/// Headless Chromium opens a report page over the server; a figure changed in the file shows
/// up by itself (the page reloads), a broken edit brings the overlay (checked by axe-core),
/// and the fix takes it away.
#[test]
#[cfg_attr(
    not(web_tools),
    ignore = "需要 Chromium 和 npm ci 装好的 playwright-core；CI 会运行（NIANBAO_WEB_TESTS=1）"
)]
fn a_browser_page_reloads_by_itself() {
    // The built-in theme, as users see it.
    let site = example_site();
    let s = Server::start(site.path(), &[]);
    let script: PathBuf = manifest_dir().join("tests/web/live_reload.mjs");
    let out = std::process::Command::new("node")
        .arg(&script)
        .arg(format!("http://{}/huaian/2024/", s.addr))
        .arg(site.path().join(REPORT))
        .current_dir(manifest_dir())
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "{text}\nserver:\n{}", s.stderr());
}
