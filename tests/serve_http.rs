//! The preview server as an HTTP/1.1 server: keep-alive without delays, limits on what a client
//! may send, and the answers RFC 9112 asks for. Each test talks to a real server on 127.0.0.1
//! over raw TCP.

#[path = "support/corpus.rs"]
mod corpus;
#[path = "../benches/common/http_client.rs"]
mod http_client;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use http_client::{Conn, Resp};
use nianbao::serve::{Running, ServeOptions};

/// A served site of two generated reports.
struct Site {
    _dir: tempfile::TempDir,
    running: Running,
}

impl Site {
    fn start() -> Site {
        let dir = tempfile::tempdir().unwrap();
        corpus::write_corpus(dir.path(), 1, 2023..=2024).unwrap();
        let running = nianbao::serve::start(ServeOptions {
            root: dir.path().to_path_buf(),
            port: 0,
            quiet: true,
            ..Default::default()
        })
        .unwrap();
        Site { _dir: dir, running }
    }

    fn addr(&self) -> SocketAddr {
        self.running.addr
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.running.stop();
    }
}

/// Sends `raw` (from another thread, so a server that stops reading cannot block the test) and
/// returns everything the server answered until it closed the connection.
fn exchange(addr: SocketAddr, raw: Vec<u8>) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = thread::spawn(move || {
        // Errors are expected once the server has answered and closed.
        for chunk in raw.chunks(64 * 1024) {
            if w.write_all(chunk).is_err() {
                return;
            }
        }
    });
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let _ = writer.join();
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn three_requests_on_one_connection_are_answered_without_delay() {
    let site = Site::start();
    let mut conn = Conn::connect(site.addr()).unwrap();
    let mut answers: Vec<Resp> = Vec::new();
    for (method, target) in [("GET", "/"), ("HEAD", "/"), ("GET", "/")] {
        answers.push(conn.request(method, target).unwrap());
    }
    for r in &answers {
        assert_eq!(r.status, 200, "{}", r.head);
        assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    }
    assert!(answers[0].text().contains("__nianbao/events"));
    // HEAD: the length of the page it would send, and no body (else the third answer would not
    // parse as one).
    assert_eq!(
        answers[1].header("Content-Length"),
        Some(answers[0].body.len().to_string().as_str())
    );
    assert_eq!(answers[2].body, answers[0].body);

    // Nagle's algorithm and the client's delayed ACK held every answer sent in two writes
    // ~40 ms, once the connection had left its first round trips (a page and its stylesheet).
    let css = stylesheet(&answers[0].text());
    let mut took = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        let r = conn
            .request("GET", if i % 2 == 0 { "/" } else { &css })
            .unwrap();
        took.push(t.elapsed());
        assert_eq!(r.status, 200);
    }
    took.sort();
    assert!(
        took[took.len() / 2] < Duration::from_millis(20),
        "keep-alive answers took {took:?}"
    );
}

/// The first stylesheet a page links, as an absolute path.
fn stylesheet(html: &str) -> String {
    html.split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with(".css"))
        .map(|h| format!("/{}", h.trim_start_matches("./")))
        .expect("a stylesheet on the home page")
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let site = Site::start();
    let addr = site.addr();
    let mut conn = Conn::connect(addr).unwrap();
    let two =
        format!("GET /nope HTTP/1.1\r\nHost: {addr}\r\n\r\nGET / HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    conn.send(two.as_bytes()).unwrap();
    assert_eq!(conn.read_response(false).unwrap().status, 404);
    assert_eq!(conn.read_response(false).unwrap().status, 200);
}

#[test]
fn connection_close_and_http_1_0_end_the_connection() {
    let site = Site::start();
    let addr = site.addr();
    let a = exchange(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").into_bytes(),
    );
    assert!(a.starts_with("HTTP/1.1 200 OK\r\n"), "{a}");
    let b = exchange(addr, b"GET / HTTP/1.0\r\n\r\n".to_vec());
    assert!(b.starts_with("HTTP/1.1 200 OK\r\n"), "{b}");
    assert!(b.contains("__nianbao/events"));

    // HTTP/1.0 asking to keep the connection gets it.
    let mut conn = Conn::connect(addr).unwrap();
    conn.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    let r = conn.read_response(false).unwrap();
    assert_eq!(r.header("Connection"), Some("keep-alive"));
    conn.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    assert_eq!(conn.read_response(false).unwrap().status, 200);
}

#[test]
fn a_huge_header_gets_431_without_being_buffered() {
    let site = Site::start();
    let mut raw = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Big: ", site.addr()).into_bytes();
    raw.resize(raw.len() + 4 * 1024 * 1024, b'a');
    let t = Instant::now();
    let a = exchange(site.addr(), raw);
    assert!(
        a.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{a:.200}"
    );
    assert!(a.contains("Connection: close\r\n"), "{a}");
    assert!(t.elapsed() < Duration::from_secs(10));
    // Many header lines add up too.
    let mut raw = format!("GET / HTTP/1.1\r\nHost: {}\r\n", site.addr());
    for i in 0..2000 {
        raw.push_str(&format!("X-Header-{i}: some value\r\n"));
    }
    raw.push_str("\r\n");
    let a = exchange(site.addr(), raw.into_bytes());
    assert!(a.starts_with("HTTP/1.1 431 "), "{a:.200}");
}

#[test]
fn a_huge_target_gets_414() {
    let site = Site::start();
    let mut raw = b"GET /".to_vec();
    raw.resize(raw.len() + 1024 * 1024, b'a');
    raw.extend_from_slice(b" HTTP/1.1\r\n\r\n");
    let a = exchange(site.addr(), raw);
    assert!(a.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{a:.200}");
}

#[test]
fn malformed_requests_get_400_and_unknown_versions_505() {
    let site = Site::start();
    let addr = site.addr();
    for raw in [
        // Raw bytes that are not UTF-8 in the target.
        b"GET /\xff\xfe.html HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n".to_vec(),
        b"NOT A REQUEST\r\n\r\n".to_vec(),
        // HTTP/1.1 without Host, and with two.
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n".to_vec(),
    ] {
        let a = exchange(addr, raw.clone());
        assert!(
            a.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{:?} → {a}",
            String::from_utf8_lossy(&raw)
        );
        assert!(a.contains("Connection: close\r\n"), "{a}");
    }
    let a = exchange(addr, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n".to_vec());
    assert!(
        a.starts_with("HTTP/1.1 505 HTTP Version Not Supported\r\n"),
        "{a}"
    );
}

#[test]
fn absolute_form_targets_are_served() {
    let site = Site::start();
    let addr = site.addr();
    let mut conn = Conn::connect(addr).unwrap();
    let home = conn.request("GET", "/").unwrap();
    for target in [
        format!("http://{addr}/"),
        format!("HTTP://{addr}"),
        format!("http://{addr}/?x=1"),
    ] {
        let r = conn.request("GET", &target).unwrap();
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.body, home.body, "{target}");
    }
    let r = conn.request("GET", &format!("http://{addr}/../x")).unwrap();
    assert_eq!(r.status, 404);
}

#[test]
fn other_methods_get_405_with_allow() {
    let site = Site::start();
    let mut conn = Conn::connect(site.addr()).unwrap();
    let r = conn.request("DELETE", "/").unwrap();
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    // The connection is still usable.
    assert_eq!(conn.request("GET", "/").unwrap().status, 200);
}

mod limits {
    //! The server's time and connection limits, on a server started with small ones.

    use super::*;
    use nianbao::serve::http::{Body, Reply};
    use nianbao::serve::server::{Answer, Limits, Request, Server};
    use std::net::TcpListener;
    use std::sync::Arc;

    fn server(limits: Limits) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        Server::start(
            listener,
            limits,
            Arc::new(|req: &Request| {
                if req.target == "/stream" {
                    return Answer::Stream(Box::new(|mut s: TcpStream| {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                        for i in 0..6 {
                            thread::sleep(Duration::from_millis(100));
                            if writeln!(s, "{i}").is_err() {
                                return;
                            }
                        }
                    }));
                }
                Answer::Reply(Reply {
                    status: 200,
                    headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
                    body: Body::Owned(req.target.as_bytes().to_vec()),
                })
            }),
        )
        .unwrap()
    }

    #[test]
    fn an_idle_connection_is_closed_and_its_thread_freed() {
        let s = server(Limits {
            idle: Duration::from_millis(300),
            ..Limits::default()
        });
        let mut conn = Conn::connect(s.addr()).unwrap();
        assert_eq!(conn.request("GET", "/a").unwrap().text(), "/a");
        // Still open while used within the idle time.
        thread::sleep(Duration::from_millis(100));
        assert_eq!(conn.request("GET", "/b").unwrap().text(), "/b");
        assert_eq!(s.open_connections(), 1);
        assert!(conn.closed_within(Duration::from_secs(5)));
        wait_for(|| s.open_connections() == 0);
        s.stop();
    }

    #[test]
    fn a_head_sent_too_slowly_gets_408() {
        let s = server(Limits {
            head_time: Duration::from_millis(300),
            ..Limits::default()
        });
        let mut c = TcpStream::connect(s.addr()).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        let t = Instant::now();
        let mut out = String::new();
        c.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{out}");
        assert!(t.elapsed() < Duration::from_secs(5));
        s.stop();
    }

    #[test]
    fn connections_beyond_the_limit_get_503_and_streams_outlive_the_idle_time() {
        let s = server(Limits {
            connections: 3,
            idle: Duration::from_millis(200),
            ..Limits::default()
        });
        // An event stream outlives the idle time (it writes for 600 ms) and counts.
        let mut stream = TcpStream::connect(s.addr()).unwrap();
        stream
            .write_all(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut kept: Vec<Conn> = (0..2)
            .map(|_| {
                let mut c = Conn::connect(s.addr()).unwrap();
                assert_eq!(c.request("GET", "/x").unwrap().status, 200);
                c
            })
            .collect();
        wait_for(|| s.open_connections() == 3);
        let mut refused = Conn::connect(s.addr()).unwrap();
        let r = refused.read_response(false).unwrap();
        assert_eq!(r.status, 503, "{}", r.head);
        assert_eq!(r.header("Retry-After"), Some("1"));
        assert!(r.text().contains("连接过多"));

        let mut streamed = String::new();
        stream.read_to_string(&mut streamed).unwrap();
        assert!(
            streamed.ends_with("\r\n\r\n0\n1\n2\n3\n4\n5\n"),
            "{streamed}"
        );
        // The idle ones were closed meanwhile: room again.
        for c in &mut kept {
            assert!(c.closed_within(Duration::from_secs(5)));
        }
        wait_for(|| s.open_connections() == 0);
        let mut c = Conn::connect(s.addr()).unwrap();
        assert_eq!(c.request("GET", "/y").unwrap().text(), "/y");
        s.stop();
    }

    #[test]
    fn stop_ends_accepting() {
        let s = server(Limits::default());
        let addr = s.addr();
        s.stop();
        s.wait();
        assert!(TcpStream::connect(addr).is_err());
    }

    fn wait_for(mut f: impl FnMut() -> bool) {
        let until = Instant::now() + Duration::from_secs(10);
        while !f() {
            assert!(Instant::now() < until, "timed out");
            thread::sleep(Duration::from_millis(10));
        }
    }
}
