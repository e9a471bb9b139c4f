//! `serve`: builds the site into memory, serves it on 127.0.0.1, watches the site's folders,
//! rebuilds on every change and tells open pages to reload.
//!
//! - [`http`]: which file a URL names (refusing anything that leaves the site), content types,
//!   the script and overlay added to HTML responses only.
//! - [`server`]: the HTTP/1.1 server itself: connections, keep-alive, limits.
//! - [`sse`]: the reload channel, one thread per open page.
//! - [`state`]: the published snapshot: the last good site and the latest failure.
//! - [`model`]: full builds, and the fast path that re-renders only edited reports.
//! - [`rebuild`]: the rebuild loop, a state machine from saves to published sites.
//! - [`watch`]: file notifications, with a polling fallback.
//!
//! A failed build never replaces the last good site: it adds an overlay listing the findings
//! to every page, and the next good build removes it. When the very first build fails, serving
//! starts anyway and every page shows why.

pub mod http;
pub mod model;
pub mod overlay;
pub mod rebuild;
pub mod server;
pub mod sse;
pub mod state;
pub mod watch;

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};

use state::Shared;

/// When to re-render only the edited reports first (the rest of the site follows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Incremental {
    /// When a full build takes longer than [`rebuild::FAST_ENOUGH`].
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Poll the files instead of using the system's file notifications.
    pub poll: bool,
    pub incremental: Incremental,
    /// Print nothing on stderr (benchmarks).
    pub quiet: bool,
    /// Colour the findings printed on stderr.
    pub color: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            poll: false,
            incremental: Incremental::Auto,
            quiet: false,
            color: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "站点根目录 {} 不存在：请用 --root 指定站点根目录（其中应有 content/ 文件夹）",
        .0.display()
    )]
    NoRoot(PathBuf),
    #[error(
        "端口 {port} 已被占用（{addr}），可能已有一个 nianbao serve 在运行。请用 --port 换一个端口，如 --port {next}；或用 --port 0 自动选一个空闲端口",
        addr = .0,
        port = .0.port(),
        next = .0.port().wrapping_add(1).max(1024)
    )]
    PortInUse(SocketAddr),
    #[error("无法在 {0} 上提供服务：{1}。请检查 --bind 的地址，或用 --port 换一个端口")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("无法监视文件变化：{0}")]
    Watch(#[source] notify::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A running server. Dropping it does not stop it; the process ends it.
pub struct Running {
    /// `http://127.0.0.1:1111/`
    pub url: String,
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    server: server::Server,
    stopped: Arc<AtomicBool>,
    /// Wakes the rebuild loop so it sees `stopped`.
    wake: Sender<watch::Event>,
}

impl Running {
    /// Blocks until the server stops (it does not by itself: Ctrl-C ends the process).
    pub fn wait(self) {
        self.server.wait();
    }

    /// Stops answering requests, watching and rebuilding (tests and benchmarks). Open event
    /// streams end with their next keep-alive.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        let _ = self.wake.send(watch::Event::Changed(Vec::new()));
        self.server.stop();
    }
}

fn log(quiet: bool, msg: impl AsRef<str>) {
    if !quiet {
        eprintln!("{}", msg.as_ref());
    }
}

fn url_of(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match host {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Binds, builds the site once, starts watching and serving; returns once pages can be asked for.
pub fn start(opts: ServeOptions) -> Result<Running, ServeError> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|_| ServeError::NoRoot(opts.root.clone()))?;
    if !root.is_dir() {
        return Err(ServeError::NoRoot(opts.root.clone()));
    }
    let want = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(want).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse(want),
        _ => ServeError::Bind(want, e),
    })?;
    let addr = listener.local_addr().map_err(ServeError::Io)?;
    let url = url_of(addr);

    // Watch before the first build, so an edit made while it runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut notes = Vec::new();
    let watcher = watch::Watcher::start(&root, tx.clone(), opts.poll, &mut notes)
        .map_err(ServeError::Watch)?;
    let stopped = Arc::new(AtomicBool::new(false));
    for n in notes {
        log(opts.quiet, n);
    }

    let rebuilder = rebuild::Rebuilder::first(
        rebuild::Settings {
            root,
            url: url.clone(),
            incremental: opts.incremental,
            quiet: opts.quiet,
            color: opts.color,
        },
        watcher,
        stopped.clone(),
    );
    let shared = rebuilder.shared().clone();

    let server = {
        let shared = shared.clone();
        server::Server::start(
            listener,
            server::Limits::default(),
            Arc::new(move |req: &server::Request| handle(req, &shared)),
        )
        .map_err(ServeError::Io)?
    };
    let watcher = rebuilder.watcher();
    let folders = watcher.describe();
    log(
        opts.quiet,
        format!(
            "正在{}监视{}的变化，保存后自动刷新页面",
            if watcher.is_polling() { "轮询" } else { "" },
            if folders.is_empty() {
                "站点根目录".to_string()
            } else {
                format!(" {folders} ")
            }
        ),
    );
    rebuilder.spawn(rx).map_err(ServeError::Io)?;
    Ok(Running {
        url,
        addr,
        shared,
        server,
        stopped,
        wake: tx,
    })
}

/// Answers one request; an event stream keeps its connection (and thread) until it ends.
fn handle(req: &server::Request, shared: &Arc<Shared>) -> server::Answer {
    let snap = shared.current();
    match http::route(&snap, req.method, req.target) {
        http::Route::Events { page, shown } => {
            let shared = shared.clone();
            server::Answer::Stream(Box::new(move |mut stream| {
                // Registered before the head is sent: a client that has the head gets every
                // later publication.
                let rx = shared.hub.subscribe(page, shown, || shared.current());
                if stream.write_all(sse::HEAD.as_bytes()).is_err() {
                    return;
                }
                sse::stream(Box::new(stream), rx);
            }))
        }
        http::Route::Reply(r) => server::Answer::Reply(r),
    }
}

/// Opens `url` in the user's browser (the `webbrowser` crate knows each system's way, and
/// `$BROWSER`); a failure only prints a note.
pub fn open_browser(url: &str) {
    if webbrowser::open(url).is_err() {
        eprintln!("注意：无法自动打开浏览器，请手动打开 {url}");
    }
}
