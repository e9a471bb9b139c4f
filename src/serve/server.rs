//! The preview's HTTP/1.1 server: one thread per connection on `std::net`, with the limits a
//! server open to a browser needs.
//!
//! Why not a crate: tiny_http (used before) exposes no socket options, no size limits and no
//! idle timeout, so every keep-alive answer after the first waited ~40 ms for Nagle's algorithm
//! and one idle connection held a thread forever; the servers that do have these controls are
//! async stacks (hyper on tokio) far larger than a preview server on 127.0.0.1 needs. Parsing
//! is left to `httparse` (hyper's parser); this module keeps only the connection handling:
//!
//! - a request line longer than [`Limits::request_line`] gets 414, a head longer than
//!   [`Limits::head`] or with more than [`Limits::headers`] lines gets 431, and neither is
//!   buffered past its limit;
//! - a request head that is not HTTP gets 400, as does an HTTP/1.1 request without exactly one
//!   `Host` (RFC 9112 §3.2), another HTTP version 505;
//! - keep-alive (HTTP/1.1 unless `Connection: close`; HTTP/1.0 when asked for), pipelining,
//!   absolute-form targets (`GET http://host/x`), `HEAD`;
//! - a kept-alive connection waits [`Limits::idle`] for its next request, a started head must
//!   arrive within [`Limits::head_time`] (else 408);
//! - at most [`Limits::connections`] open connections, event streams included; one more gets
//!   503 at once;
//! - each answer goes out in one write (head and body together) with `TCP_NODELAY` set.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use super::http::{Body, Reply};

/// What a client may send and how long it may take.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest request line (method, target, version) in bytes; longer gets 414.
    pub request_line: usize,
    /// Longest request head (request line and header lines) in bytes; longer gets 431.
    pub head: usize,
    /// Most header lines; more gets 431.
    pub headers: usize,
    /// How long a connection waits for the first byte of its next request.
    pub idle: Duration,
    /// How long a client may take to send a whole request head once it started; longer gets 408.
    pub head_time: Duration,
    /// Open connections (event streams included) beyond which a new one gets 503.
    pub connections: usize,
    /// How long one write may wait for a client that does not read.
    pub write_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_line: 8 * 1024,
            head: 32 * 1024,
            headers: 100,
            // Browsers keep idle connections longer; they open a new one when this one is gone.
            idle: Duration::from_secs(30),
            head_time: Duration::from_secs(10),
            // A browser opens up to 6 connections per site and one event stream per tab.
            connections: 256,
            write_time: Duration::from_secs(30),
        }
    }
}

/// One request as the handler sees it.
pub struct Request<'a> {
    /// `GET`, `HEAD`, …
    pub method: &'a str,
    /// Origin-form: `/path?query` (an absolute-form target is reduced to this).
    pub target: &'a str,
}

/// What the handler does with a request.
pub enum Answer {
    /// A complete response; the server adds `Date`, `Content-Length` and `Connection`.
    Reply(Reply),
    /// Takes the connection over: the function writes the whole response itself and may keep
    /// the connection as long as it likes (event streams). It runs on the connection's own
    /// thread; no idle timeout applies, and the connection ends when it returns.
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

pub type Handler = dyn Fn(&Request) -> Answer + Send + Sync;

/// A running server. Dropping it leaves it running; [`Server::stop`] ends it.
pub struct Server {
    addr: SocketAddr,
    stopped: Arc<AtomicBool>,
    open: Arc<AtomicUsize>,
    acceptor: JoinHandle<()>,
}

impl Server {
    /// Starts accepting connections on `listener`.
    pub fn start(listener: TcpListener, limits: Limits, handler: Arc<Handler>) -> io::Result<Self> {
        let addr = listener.local_addr()?;
        let stopped = Arc::new(AtomicBool::new(false));
        let open = Arc::new(AtomicUsize::new(0));
        let acceptor = {
            let (stopped, open) = (stopped.clone(), open.clone());
            thread::Builder::new()
                .name("nianbao-http-accept".into())
                .spawn(move || accept(listener, limits, handler, stopped, open))?
        };
        Ok(Server {
            addr,
            stopped,
            open,
            acceptor,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections open now (event streams included).
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Stops accepting connections; an open connection is closed instead of answering its next
    /// request. Event streams end on their own (see [`super::sse`]).
    pub fn stop(&self) {
        if self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the acceptor, which is blocked in accept().
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let _ = TcpStream::connect_timeout(&SocketAddr::new(ip, self.addr.port()), WAKE_TIME);
    }

    /// Blocks until the server was stopped and stopped accepting.
    pub fn wait(self) {
        let _ = self.acceptor.join();
    }
}

const WAKE_TIME: Duration = Duration::from_secs(1);

/// Counts an open connection until dropped (also when its thread panics or cannot start).
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn accept(
    listener: TcpListener,
    limits: Limits,
    handler: Arc<Handler>,
    stopped: Arc<AtomicBool>,
    open: Arc<AtomicUsize>,
) {
    let limits = Arc::new(limits);
    for conn in listener.incoming() {
        if stopped.load(Ordering::SeqCst) {
            return;
        }
        let stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: let other connections end first.
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::Relaxed) >= limits.connections {
            open.fetch_sub(1, Ordering::Relaxed);
            refuse(stream);
            continue;
        }
        let guard = Open(open.clone());
        let (limits, handler, stopped) = (limits.clone(), handler.clone(), stopped.clone());
        // When the thread cannot start, the closure (and with it the guard and the stream) is
        // dropped: the connection closes and is no longer counted.
        let _ = thread::Builder::new()
            .name("nianbao-http".into())
            .spawn(move || {
                let _guard = guard;
                serve_connection(stream, &limits, &*handler, &stopped);
            });
    }
}

/// Answers 503 to a connection beyond the limit without giving it a thread: the answer is
/// small enough for the socket's send buffer, so the write never waits.
fn refuse(stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let mut buf = Vec::new();
    let mut reply = plain(503, "服务器当前连接过多，请稍后再试。\n");
    reply.headers.push(("Retry-After", "1".to_string()));
    write_head(&mut buf, &reply, reply.body.as_ref().len(), Keep::Close);
    buf.extend_from_slice(reply.body.as_ref());
    let _ = (&stream).write_all(&buf);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Whether the connection stays open after an answer, and how to say so.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// HTTP/1.1: open unless said otherwise.
    Open,
    /// HTTP/1.0 that asked for `Connection: keep-alive`.
    OpenSaid,
    Close,
}

/// Why a request head could not be read; each becomes an answer and the connection closes.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    BadRequest(&'static str),
    TargetTooLong,
    HeadTooLarge,
    Timeout,
    Version,
}

impl Refusal {
    fn reply(&self, limits: &Limits) -> Reply {
        match self {
            Refusal::BadRequest(why) => plain(400, &format!("请求格式不对：{why}。\n")),
            Refusal::TargetTooLong => plain(
                414,
                &format!(
                    "请求的网址太长（请求行上限 {} 字节）。\n",
                    limits.request_line
                ),
            ),
            Refusal::HeadTooLarge => plain(
                431,
                &format!(
                    "请求头太大（上限 {} 字节、{} 行）。\n",
                    limits.head, limits.headers
                ),
            ),
            Refusal::Timeout => plain(
                408,
                &format!(
                    "请求头没有在 {} 秒内发完。\n",
                    limits.head_time.as_secs_f64()
                ),
            ),
            Refusal::Version => plain(505, "只支持 HTTP/1.0 和 HTTP/1.1。\n"),
        }
    }
}

fn plain(status: u16, text: &str) -> Reply {
    Reply {
        status,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".to_string()),
            ("Cache-Control", "no-store".to_string()),
        ],
        body: Body::Owned(text.as_bytes().to_vec()),
    }
}

/// Reads and answers requests on one connection until it closes, idles out or is taken over.
fn serve_connection(
    mut stream: TcpStream,
    limits: &Limits,
    handler: &Handler,
    stopped: &AtomicBool,
) {
    // Nothing is ever held back waiting for an ACK; each answer is one write anyway.
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.write_time));
    // Bytes received and not yet used: the head being read, or pipelined requests after it.
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut out: Vec<u8> = Vec::new();
    loop {
        let head_len = match read_head(&mut stream, &mut buf, limits) {
            Ok(Some(n)) => n,
            Ok(None) => return,
            Err(refusal) => {
                answer_and_close(stream, &refusal.reply(limits));
                return;
            }
        };
        if stopped.load(Ordering::SeqCst) {
            return;
        }
        let mut headers = vec![httparse::EMPTY_HEADER; limits.headers];
        let mut req = httparse::Request::new(&mut headers);
        // `read_head` parsed this very head already.
        let Ok(httparse::Status::Complete(_)) = req.parse(&buf[..head_len]) else {
            return;
        };
        let parsed = match check(&req) {
            Ok(p) => p,
            Err(refusal) => {
                answer_and_close(stream, &refusal.reply(limits));
                return;
            }
        };
        let method = req.method.unwrap_or("");
        let request = Request {
            method,
            target: &parsed.target,
        };
        let head_only = method == "HEAD";
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
            .unwrap_or_else(|_| {
                Answer::Reply(plain(
                    500,
                    "nianbao 内部错误（终端中有详情），请把终端输出报告给维护者。\n",
                ))
            });
        let reply = match answer {
            Answer::Reply(r) => r,
            Answer::Stream(take) => {
                let _ = stream.set_read_timeout(None);
                take(stream);
                return;
            }
        };
        // A request body is never read: the connection closes after the answer instead.
        let keep = if parsed.has_body || reply.status == 500 {
            Keep::Close
        } else {
            parsed.keep
        };
        out.clear();
        let body = reply.body.as_ref();
        write_head(&mut out, &reply, body.len(), keep);
        // One write per answer; only a large file goes out as a second write.
        let separate = !head_only && body.len() > ONE_WRITE;
        if !head_only && !separate {
            out.extend_from_slice(body);
        }
        let sent = stream.write_all(&out).and_then(|_| {
            if separate {
                stream.write_all(body)
            } else {
                Ok(())
            }
        });
        if sent.is_err() || keep == Keep::Close {
            if sent.is_ok() {
                linger(stream);
            }
            return;
        }
        buf.drain(..head_len);
    }
}

/// Bodies up to this size are copied behind the head and sent with it.
const ONE_WRITE: usize = 256 * 1024;

/// Reads until `buf` starts with a complete request head; returns its length, or `None` when
/// the connection closed or idled out before a request began.
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
) -> Result<Option<usize>, Refusal> {
    let mut started: Option<Instant> = None;
    loop {
        if !buf.is_empty() {
            // Blank lines before a request line are ignored (RFC 9112 §2.2).
            let blank = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            buf.drain(..blank);
        }
        if !buf.is_empty() {
            let began = *started.get_or_insert_with(Instant::now);
            if let Some(n) = complete_head(buf, limits)? {
                return Ok(Some(n));
            }
            let left = limits.head_time.saturating_sub(began.elapsed());
            if left.is_zero() {
                return Err(Refusal::Timeout);
            }
            let _ = stream.set_read_timeout(Some(left));
        } else {
            let _ = stream.set_read_timeout(Some(limits.idle));
        }
        // Never more than one byte past the head limit is kept.
        let room = (limits.head + 1)
            .saturating_sub(buf.len())
            .clamp(1, 16 * 1024);
        let old = buf.len();
        buf.resize(old + room, 0);
        let read = stream.read(&mut buf[old..]);
        buf.truncate(old + *read.as_ref().unwrap_or(&0));
        match read {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) && !buf.is_empty() =>
            {
                return Err(Refusal::Timeout);
            }
            Err(_) => return Ok(None),
        }
    }
}

/// The length of the complete head at the start of `buf`, `None` while it may still grow, or
/// why it is refused.
fn complete_head(buf: &[u8], limits: &Limits) -> Result<Option<usize>, Refusal> {
    let line_end = buf.iter().position(|&b| b == b'\n');
    if line_end.unwrap_or(buf.len()) > limits.request_line {
        return Err(Refusal::TargetTooLong);
    }
    let mut headers = vec![httparse::EMPTY_HEADER; limits.headers];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => Ok(Some(n)),
        Ok(httparse::Status::Partial) if buf.len() > limits.head => Err(Refusal::HeadTooLarge),
        Ok(httparse::Status::Partial) => Ok(None),
        Err(httparse::Error::TooManyHeaders) => Err(Refusal::HeadTooLarge),
        Err(httparse::Error::Version) if names_a_version(buf) => Err(Refusal::Version),
        Err(httparse::Error::Token | httparse::Error::Version) => Err(Refusal::BadRequest(
            "请求行应为“方法 网址 HTTP/1.1”，网址须是 UTF-8",
        )),
        Err(httparse::Error::HeaderName | httparse::Error::HeaderValue) => {
            Err(Refusal::BadRequest("请求头中有不合格式的行"))
        }
        Err(_) => Err(Refusal::BadRequest("请求行或请求头不合格式")),
    }
}

/// Whether the request line ends in an HTTP version (`HTTP/2.0`), one httparse does not take.
fn names_a_version(buf: &[u8]) -> bool {
    let line = buf.split(|&b| b == b'\n').next().unwrap_or(buf);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let version = line.rsplit(|&b| b == b' ').next().unwrap_or(line);
    matches!(version, [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
        if major.is_ascii_digit() && minor.is_ascii_digit())
}

/// What the server needs to know of a parsed request.
struct Parsed<'a> {
    target: Cow<'a, str>,
    keep: Keep,
    /// A body follows the head (`Content-Length` above 0 or any `Transfer-Encoding`).
    has_body: bool,
}

fn check<'a>(req: &httparse::Request<'_, 'a>) -> Result<Parsed<'a>, Refusal> {
    let version = req.version.unwrap_or(1);
    let target = origin_form(req.path.unwrap_or("")).ok_or(Refusal::BadRequest(
        "网址应以 / 开头，或是完整的 http:// 网址",
    ))?;
    let mut hosts = 0;
    let mut close = false;
    let mut keep_alive = false;
    let mut has_body = false;
    let mut length: Option<u64> = None;
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value).unwrap_or("");
        if h.name.eq_ignore_ascii_case("host") {
            hosts += 1;
        } else if h.name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                close |= token.eq_ignore_ascii_case("close");
                keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        } else if h.name.eq_ignore_ascii_case("content-length") {
            for v in value.split(',').map(str::trim) {
                let n: u64 = v
                    .parse()
                    .ok()
                    .filter(|_| v.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or(Refusal::BadRequest("Content-Length 应是一个整数"))?;
                if length.is_some_and(|l| l != n) {
                    return Err(Refusal::BadRequest("Content-Length 前后不一致"));
                }
                length = Some(n);
                has_body |= n > 0;
            }
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        }
    }
    if hosts > 1 || (version == 1 && hosts == 0) {
        return Err(Refusal::BadRequest(
            "HTTP/1.1 请求须有且只有一个 Host 请求头",
        ));
    }
    let keep = match version {
        _ if close => Keep::Close,
        1 => Keep::Open,
        _ if keep_alive => Keep::OpenSaid,
        _ => Keep::Close,
    };
    Ok(Parsed {
        target,
        keep,
        has_body,
    })
}

/// The origin-form (`/path?query`) of a request target: as it is, or the part of an
/// absolute-form target (`http://host:port/path?query`) after its authority. `*` (OPTIONS)
/// passes as it is. `None` for anything else.
fn origin_form(target: &str) -> Option<Cow<'_, str>> {
    if target.starts_with('/') || target == "*" {
        return Some(Cow::Borrowed(target));
    }
    let scheme_len = ["http://", "https://"].iter().find_map(|s| {
        target
            .get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .map(|_| s.len())
    })?;
    let rest = &target[scheme_len..];
    let path = rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]);
    Some(if path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        // `http://host` and `http://host?x=1` name the root.
        Cow::Owned(format!("/{path}"))
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Status line and headers of `reply`, with `Date`, `Content-Length` and `Connection`.
fn write_head(out: &mut Vec<u8>, reply: &Reply, len: usize, keep: Keep) {
    use std::fmt::Write as _;
    let mut head = String::with_capacity(256);
    let _ = write!(
        head,
        "HTTP/1.1 {} {}\r\nDate: {}\r\n",
        reply.status,
        reason(reply.status),
        httpdate::fmt_http_date(SystemTime::now())
    );
    for (k, v) in &reply.headers {
        let _ = write!(head, "{k}: {v}\r\n");
    }
    let _ = write!(head, "Content-Length: {len}\r\n");
    head.push_str(match keep {
        Keep::Open => "",
        Keep::OpenSaid => "Connection: keep-alive\r\n",
        Keep::Close => "Connection: close\r\n",
    });
    head.push_str("\r\n");
    out.extend_from_slice(head.as_bytes());
}

/// Sends a refusal and closes the connection.
fn answer_and_close(mut stream: TcpStream, reply: &Reply) {
    let mut out = Vec::new();
    write_head(&mut out, reply, reply.body.as_ref().len(), Keep::Close);
    out.extend_from_slice(reply.body.as_ref());
    if stream.write_all(&out).is_ok() {
        linger(stream);
    }
}

/// How long a closing connection keeps reading what the client still sends.
const LINGER: Duration = Duration::from_secs(2);

/// Closes a connection after its last answer without losing that answer: closing a socket with
/// unread bytes makes the system send a reset, and a reset can make the client drop the answer
/// before reading it. So the sending side is shut first and what still arrives is read and
/// dropped, for at most [`LINGER`].
fn linger(mut stream: TcpStream) {
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let until = Instant::now() + LINGER;
    let mut sink = [0u8; 16 * 1024];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_form_targets_become_origin_form() {
        for (target, origin) in [
            ("/a/b?x=1", Some("/a/b?x=1")),
            ("*", Some("*")),
            ("http://127.0.0.1:1111/a/", Some("/a/")),
            ("HTTPS://example.com", Some("/")),
            ("http://example.com?x=1", Some("/?x=1")),
            ("http://example.com/../x", Some("/../x")),
            ("example.com:443", None),
            ("ftp://example.com/", None),
            ("a/b", None),
        ] {
            assert_eq!(origin_form(target).as_deref(), origin, "{target}");
        }
    }

    #[test]
    fn only_a_version_token_is_an_unsupported_version() {
        assert!(names_a_version(b"GET / HTTP/2.0\r\n"));
        assert!(names_a_version(b"GET / HTTP/3.0\n"));
        assert!(!names_a_version(b"NOT A REQUEST\r\n"));
        assert!(!names_a_version(b"GET / HTTP/1.10\r\n"));
    }
}
