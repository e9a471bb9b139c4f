//! `serve`: builds the site into memory, serves it on 127.0.0.1, watches the site's folders,
//! rebuilds on every change and tells open pages to reload.
//!
//! - [`http`]: which file a URL names (refusing anything that leaves the site), content types,
//!   the script and overlay added to HTML responses only.
//! - [`server`]: the HTTP/1.1 server itself: connections, keep-alive, limits.
//! - [`sse`]: the reload channel, one thread per open page.
//! - [`state`]: the published snapshot: the last good site and the latest failure.
//! - [`model`]: full builds, and the fast path that re-renders only edited reports.
//! - [`watch`]: file notifications, with a polling fallback.
//!
//! A failed build never replaces the last good site: it adds an overlay listing the findings
//! to every page, and the next good build removes it. When the very first build fails, serving
//! starts anyway and every page shows why.

pub mod http;
pub mod model;
pub mod overlay;
pub mod server;
pub mod sse;
pub mod state;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use model::{Built, Model};
use overlay::Failure;
use state::{Files, Shared};

/// When to re-render only the edited reports first (the rest of the site follows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Incremental {
    /// When a full build takes longer than [`FAST_ENOUGH`].
    #[default]
    Auto,
    Always,
    Never,
}

/// A site that builds this fast is simply rebuilt as a whole on every change.
pub const FAST_ENOUGH: Duration = Duration::from_millis(60);
/// After an edited report was shown, the whole site is rebuilt once edits pause this long.
pub const QUIET: Duration = Duration::from_millis(250);
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
        }
    }
}

#[derive(Debug)]
pub enum ServeError {
    NoRoot(PathBuf),
    PortInUse(SocketAddr),
    Bind(SocketAddr, std::io::Error),
    Watch(notify::Error),
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NoRoot(p) => write!(
                f,
                "站点根目录 {} 不存在：请用 --root 指定站点根目录（其中应有 content/ 文件夹）",
                p.display()
            ),
            ServeError::PortInUse(a) => write!(
                f,
                "端口 {} 已被占用（{a}），可能已有一个 nianbao serve 在运行。请用 --port 换一个端口，如 --port {}；或用 --port 0 自动选一个空闲端口",
                a.port(),
                a.port().wrapping_add(1).max(1024)
            ),
            ServeError::Bind(a, e) => write!(
                f,
                "无法在 {a} 上提供服务：{e}。请检查 --bind 的地址，或用 --port 换一个端口"
            ),
            ServeError::Watch(e) => write!(f, "无法监视文件变化：{e}"),
            ServeError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServeError {}

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

/// Makes the calling thread yield to others (Linux: nice 10 for this thread only).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; failure leaves the priority as it was.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
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

/// Names of changed files for a message: `a.md`, or `a.md、b.md 等 5 个文件`.
fn names(files: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
    let mut s = shown.join("、");
    if files.len() > shown.len() {
        s.push_str(&format!(" 等 {} 个文件", files.len()));
    }
    s
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

    // A full rebuild that follows the fast path runs at a lower priority: the next edited
    // report (re-rendered on rayon's global pool) and page requests come first. A full rebuild
    // nobody has seen anything of yet runs on the global pool at normal priority.
    let background = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("nianbao-build-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))?,
    );
    let started = Instant::now();
    let never = AtomicBool::new(false);
    let (model, built) = model::full(&root, &url, &never).expect("never cancelled");
    let took = started.elapsed();
    let (files, failure) = match built {
        Built::Site { files, warnings } => {
            let reports = model
                .as_ref()
                .map(|m| m.site.reports.iter().filter(|r| !r.draft).count())
                .unwrap_or(0);
            log(
                opts.quiet,
                format!(
                    "已生成网站：{reports} 份报告，{} 个文件（{warnings} 个警告，用时 {} 毫秒）",
                    files.len(),
                    took.as_millis()
                ),
            );
            (Some(Arc::new(files)), None)
        }
        Built::Failed(f) => {
            log(opts.quiet, "第一次生成失败，预览照常启动：");
            report_failure(opts.quiet, &f, model.as_ref(), &root, false);
            (None, Some(Arc::new(f)))
        }
    };
    let printed = failure.as_ref().map(|f| f.id);
    let shared = Arc::new(Shared::new(state::Snapshot {
        assets: files.as_deref().map(state::assets_hash).unwrap_or(0),
        files: files.clone(),
        failure,
        version: 1,
    }));

    let server = {
        let shared = shared.clone();
        server::Server::start(
            listener,
            server::Limits::default(),
            Arc::new(move |req: &server::Request| handle(req, &shared)),
        )
        .map_err(ServeError::Io)?
    };
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
    let looper = Loop {
        root,
        url: url.clone(),
        shared: shared.clone(),
        model,
        good: files,
        watcher,
        background,
        cancel: Arc::new(AtomicBool::new(false)),
        generation: 0,
        running: false,
        due: None,
        last_full: took,
        incremental: opts.incremental,
        quiet: opts.quiet,
        pending: BTreeSet::new(),
        pending_since: None,
        contents: HashMap::new(),
        fast_shown: false,
        latest_fast: false,
        printed,
        stopped: stopped.clone(),
    };
    thread::Builder::new()
        .name("nianbao-rebuild".into())
        .spawn(move || looper.run(rx))
        .map_err(ServeError::Io)?;
    Ok(Running {
        url,
        addr,
        shared,
        server,
        stopped,
        wake: tx,
    })
}

/// Prints a failure: every error as `check` shows it, and how many warnings.
fn report_failure(quiet: bool, f: &Failure, model: Option<&Model>, root: &Path, has_site: bool) {
    if quiet {
        return;
    }
    let style = crate::diagnostic::Style {
        color: crate::cli::stderr_color(),
    };
    for m in &f.plain {
        eprintln!("错误：{m}");
    }
    if let Some(m) = model {
        let theme_errors = m.theme.as_ref().err().cloned().unwrap_or_default();
        for d in m
            .outcome
            .diagnostics
            .iter()
            .chain(theme_errors.iter())
            .filter(|d| d.is_error())
        {
            let src = m
                .sources
                .get(&d.file)
                .cloned()
                .or_else(|| std::fs::read_to_string(root.join(&d.file)).ok());
            eprint!(
                "{}",
                crate::diagnostic::render_human(d, src.as_deref(), style)
            );
        }
    }
    let warnings = if f.warnings > 0 {
        format!("，另有 {} 个警告（nianbao check 可列出）", f.warnings)
    } else {
        String::new()
    };
    let site = if has_site {
        "页面上列出这些问题，网站仍是上一次成功生成的样子"
    } else {
        "网站还没有生成，每个页面都列出这些问题；改正后自动刷新"
    };
    eprintln!("{} 个错误{warnings}：{site}", f.errors);
}

enum Msg {
    Watch(watch::Event),
    FullDone {
        generation: u64,
        result: Option<Box<(Option<Model>, Built)>>,
        took: Duration,
    },
}

/// The rebuild loop: owns the model, decides between the fast path and a full build, and runs
/// full builds on their own thread (and rayon pool) so a new edit never waits for one.
struct Loop {
    root: PathBuf,
    url: String,
    shared: Arc<Shared>,
    model: Option<Model>,
    good: Option<Arc<Files>>,
    watcher: watch::Watcher,
    /// Low-priority threads for the full rebuild after the fast path.
    background: Arc<rayon::ThreadPool>,
    cancel: Arc<AtomicBool>,
    /// Counts edits; a full build started before the latest edit is discarded.
    generation: u64,
    running: bool,
    /// When to start the next full build.
    due: Option<Instant>,
    last_full: Duration,
    incremental: Incremental,
    quiet: bool,
    /// Files changed since the last full build, for its message.
    pending: BTreeSet<String>,
    pending_since: Option<Instant>,
    /// A hash of each changed file's bytes when its last change was handled: one save can reach
    /// us as more than one notification (written, then closed), and a file whose bytes are what
    /// they were is no change — without this a fast build shows one save twice.
    contents: HashMap<String, Option<u64>>,
    /// Whether the edits since the last full build were shown by the fast path.
    fast_shown: bool,
    /// Whether the latest edit was: the full rebuild is then a background job.
    latest_fast: bool,
    /// The failure last printed, so the same findings are not printed twice.
    printed: Option<u64>,
    stopped: Arc<AtomicBool>,
}

impl Loop {
    fn run(mut self, rx: Receiver<watch::Event>) {
        // Both watcher events and finished builds arrive on one channel.
        let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
        {
            let msg_tx = msg_tx.clone();
            thread::Builder::new()
                .name("nianbao-watch".into())
                .spawn(move || {
                    while let Ok(e) = rx.recv() {
                        if msg_tx.send(Msg::Watch(e)).is_err() {
                            return;
                        }
                    }
                })
                .expect("spawn watcher relay");
        }
        loop {
            let msg = match (self.due, self.running) {
                (Some(due), false) => {
                    match msg_rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                _ => match msg_rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return,
                },
            };
            if self.stopped.load(Ordering::Relaxed) {
                // Dropping the loop drops the watcher, which stops it.
                self.cancel.store(true, Ordering::Relaxed);
                return;
            }
            match msg {
                None => self.start_full(&msg_tx),
                Some(Msg::Watch(watch::Event::Limit)) => {
                    log(self.quiet, watch::limit_message());
                    if let Err(e) = self.watcher.to_polling() {
                        log(self.quiet, format!("错误：无法改为轮询：{e}"));
                    }
                }
                Some(Msg::Watch(watch::Event::Changed(paths))) => {
                    let mut changed: BTreeSet<String> = paths
                        .iter()
                        .filter_map(|p| watch::relevant(&self.root, p))
                        .collect();
                    // Take every batch already waiting: one rebuild for a burst of saves.
                    let mut later = Vec::new();
                    while let Ok(m) = msg_rx.try_recv() {
                        match m {
                            Msg::Watch(watch::Event::Changed(p)) => changed
                                .extend(p.iter().filter_map(|p| watch::relevant(&self.root, p))),
                            other => later.push(other),
                        }
                    }
                    for m in later {
                        let _ = msg_tx.send(m);
                    }
                    if !changed.is_empty() {
                        self.changed(changed);
                    }
                }
                Some(Msg::FullDone {
                    generation,
                    result,
                    took,
                }) => self.full_done(generation, result, took),
            }
        }
    }

    fn use_fast_path(&self) -> bool {
        match self.incremental {
            Incremental::Always => true,
            Incremental::Never => false,
            Incremental::Auto => self.last_full > FAST_ENOUGH,
        }
    }

    /// Whether `file` (relative to the root) differs from when its last change was handled.
    fn content_changed(&mut self, file: &str) -> bool {
        let path = self.root.join(file);
        if path.is_dir() {
            return true;
        }
        let hash = std::fs::read(&path).ok().map(|bytes| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&bytes, &mut h);
            std::hash::Hasher::finish(&h)
        });
        self.contents.insert(file.to_string(), hash) != Some(hash)
    }

    fn changed(&mut self, changed: BTreeSet<String>) {
        let changed: BTreeSet<String> = changed
            .into_iter()
            .filter(|f| self.content_changed(f))
            .collect();
        if changed.is_empty() {
            return;
        }
        let t = Instant::now();
        self.generation += 1;
        self.cancel.store(true, Ordering::Relaxed);
        if let Err(e) = self.watcher.refresh()
            && matches!(e.kind, notify::ErrorKind::MaxFilesWatch)
        {
            log(self.quiet, watch::limit_message());
            let _ = self.watcher.to_polling();
        }
        // A folder's own change (its list of files) says nothing the changed files do not; a
        // folder made or removed is not an existing folder here and takes the full build.
        let files: BTreeSet<String> = changed
            .iter()
            .filter(|f| !self.root.join(f).is_dir())
            .cloned()
            .collect();
        let only_folders = files.is_empty();
        let changed = if only_folders { changed } else { files };
        self.pending.extend(changed.iter().cloned());
        self.pending_since.get_or_insert(t);
        let files: Vec<String> = changed.iter().cloned().collect();
        let use_fast = self.use_fast_path();
        let (root, url) = (&self.root, &self.url);
        let fast = match (&mut self.model, &self.good) {
            (Some(m), Some(good)) if use_fast && !only_folders => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    model::fast(m, good, &files, root, url).ok()
                })) {
                    Ok(r) => r,
                    Err(_) => {
                        // The model may be half updated: start again from a full build.
                        self.model = None;
                        None
                    }
                }
            }
            _ => None,
        };
        self.latest_fast = fast.is_some();
        match fast {
            Some(built) => {
                let took = t.elapsed();
                self.fast_shown = true;
                match built {
                    Built::Site { files, .. } => {
                        let files = Arc::new(files);
                        self.good = Some(files.clone());
                        self.shared.publish(Some(files), None);
                        self.printed = None;
                        log(
                            self.quiet,
                            format!(
                                "已更新 {}（{} 毫秒）；其余页面稍后更新",
                                names(&changed),
                                took.as_millis()
                            ),
                        );
                    }
                    Built::Failed(f) => {
                        let model = self.model.take();
                        self.failed(f, model.as_ref());
                        self.model = model;
                    }
                }
                self.due = Some(Instant::now() + QUIET);
            }
            None => {
                self.due = Some(Instant::now());
            }
        }
    }

    /// Shows a failure: in the terminal (once, not again for the same findings) and on every page.
    fn failed(&mut self, f: Failure, model: Option<&Model>) {
        if self.printed != Some(f.id) {
            report_failure(self.quiet, &f, model, &self.root, self.good.is_some());
            self.printed = Some(f.id);
        }
        self.shared.publish(self.good.clone(), Some(Arc::new(f)));
    }

    fn start_full(&mut self, msg_tx: &Sender<Msg>) {
        self.due = None;
        if self.running {
            return;
        }
        self.running = true;
        self.cancel = Arc::new(AtomicBool::new(false));
        let cancel = self.cancel.clone();
        let generation = self.generation;
        let (root, url, tx) = (self.root.clone(), self.url.clone(), msg_tx.clone());
        let background = self.latest_fast.then(|| self.background.clone());
        thread::Builder::new()
            .name("nianbao-full-build".into())
            .spawn(move || {
                let t = Instant::now();
                let build = || model::full(&root, &url, &cancel).map(Box::new);
                // A bug must not leave the loop waiting for a build that never ends.
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match background {
                        Some(pool) => pool.install(build),
                        None => build(),
                    }))
                    .unwrap_or_else(|_| Some(Box::new((None, internal_error()))));
                let _ = tx.send(Msg::FullDone {
                    generation,
                    result,
                    took: t.elapsed(),
                });
            })
            .expect("spawn build thread");
    }

    fn full_done(
        &mut self,
        generation: u64,
        result: Option<Box<(Option<Model>, Built)>>,
        took: Duration,
    ) {
        self.running = false;
        let Some((model, built)) = result.filter(|_| generation == self.generation).map(|b| *b)
        else {
            // Superseded: build again once the edits pause.
            self.due.get_or_insert(Instant::now());
            return;
        };
        self.last_full = took;
        let since = self
            .pending_since
            .take()
            .map(|t| t.elapsed())
            .unwrap_or(took);
        let changed = std::mem::take(&mut self.pending);
        let fast_shown = std::mem::replace(&mut self.fast_shown, false);
        match built {
            Built::Site { files, warnings } => {
                let files = Arc::new(files);
                self.good = Some(files.clone());
                self.shared.publish(Some(files), None);
                self.printed = None;
                let what = if changed.is_empty() {
                    "网站".to_string()
                } else {
                    names(&changed)
                };
                let msg = if fast_shown {
                    format!("全站已更新（生成用时 {} 毫秒）", took.as_millis())
                } else {
                    format!(
                        "已更新 {what}（{} 毫秒，{warnings} 个警告）",
                        since.as_millis()
                    )
                };
                log(self.quiet, msg);
            }
            Built::Failed(f) => self.failed(f, model.as_ref()),
        }
        self.model = model;
    }
}

fn internal_error() -> Built {
    Built::Failed(Failure::new(&[overlay::Finding::plain(
        "nianbao 内部错误：这次生成中断了（终端中有详情）。请把终端输出报告给维护者；保存任意文件会再试一次。",
    )]))
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
