//! The rebuild loop: turns saves into published sites.
//!
//! It is a state machine ([`State`]): idle; settling (a save arrived, waiting until the files
//! are quiet, so one save is one rebuild); due (the fast path showed the edited reports, the
//! whole site follows once edits pause); building (a full build runs on the builder thread). A
//! save in any state goes back to settling, cancelling a full build that no longer matters.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use crate::output::Files;
use crate::site::LoadedSite;

use super::model::{self, Built};
use super::overlay::{self, Failure};
use super::state::{self, Shared};
use super::{Incremental, log, watch};

/// How long the files must stay quiet after a save before it is built.
///
/// An editor's save is several file operations (vim: rename the file away, write a new one,
/// remove the backup; others: truncate, then write). Their notifications arrive within a
/// millisecond or two on an idle machine, but tens of milliseconds apart — and late — when the
/// cores are busy: at 10 ms a save then gave two rebuilds and two reloads, with a half-written
/// or missing page in between. 200 ms holds on a busy machine and is what it costs in
/// save-to-reload latency (`cargo bench --bench serve`); Hugo's and mdBook's watchers wait
/// longer.
pub const SETTLE: Duration = Duration::from_millis(200);
/// How long to wait when a changed file is gone: editors save by renaming the file away and
/// writing a new one, and the page must not disappear in between. Only a real deletion waits
/// this long.
pub const GONE: Duration = Duration::from_millis(500);
/// A site that builds this fast is simply rebuilt as a whole on every change.
pub const FAST_ENOUGH: Duration = Duration::from_millis(60);
/// After an edited report was shown, the whole site is rebuilt once edits pause this long.
pub const QUIET: Duration = Duration::from_millis(250);

/// What the loop is told at start, as values.
pub struct Settings {
    pub root: PathBuf,
    pub url: String,
    pub incremental: Incremental,
    /// Print nothing on stderr.
    pub quiet: bool,
    /// Colour the findings printed on stderr.
    pub color: bool,
}

/// Saves not yet in a full build.
struct Pending {
    files: BTreeSet<String>,
    since: Instant,
    /// Whether the fast path showed them already.
    fast_shown: bool,
}

enum State {
    /// The served site is up to date.
    Idle,
    /// Saves arrived; they are built once nothing changed for a while (`until`).
    Settling {
        until: Instant,
        changed: BTreeSet<String>,
        pending: Pending,
    },
    /// The fast path showed the edited reports; the whole site is rebuilt at `at`.
    Due { at: Instant, pending: Pending },
    /// A full build runs; a result of another generation is stale.
    Building {
        generation: u64,
        cancel: Arc<AtomicBool>,
        pending: Pending,
    },
}

impl State {
    fn deadline(&self) -> Option<Instant> {
        match self {
            State::Settling { until, .. } => Some(*until),
            State::Due { at, .. } => Some(*at),
            State::Idle | State::Building { .. } => None,
        }
    }
}

enum Msg {
    Watch(watch::Event),
    FullDone {
        generation: u64,
        result: Option<Box<(Option<LoadedSite>, Built)>>,
        took: Duration,
    },
}

/// A full build for the builder thread.
struct Job {
    generation: u64,
    cancel: Arc<AtomicBool>,
    /// Run at low priority: the edited reports are shown already.
    background: bool,
}

/// The loop: owns the loaded site and what it last published.
pub struct Rebuilder {
    settings: Settings,
    shared: Arc<Shared>,
    watcher: watch::Watcher,
    stopped: Arc<AtomicBool>,
    /// What the last full build loaded, kept up to date by the fast path.
    site: Option<LoadedSite>,
    /// The last good site.
    good: Option<Arc<Files>>,
    last_full: Duration,
    /// A hash of each changed file's bytes when its last change was seen: one save can reach
    /// us as more than one notification (written, then closed), and a file whose bytes are what
    /// they were is no change.
    contents: HashMap<String, Option<u64>>,
    /// The failure last printed, so the same findings are not printed twice.
    printed: Option<u64>,
    /// Counts full builds started.
    generation: u64,
    state: State,
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

/// Makes the calling thread yield to others (Linux: nice 10 for this thread only).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; failure leaves the priority as it was.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// Gives memory freed by the previous site back to the system.
///
/// glibc keeps freed memory in the arena of the thread that allocated it. A site is rendered on
/// several pools' threads, so each full build left the previous site's pages in other arenas,
/// and the process grew to about three sites (1.5 GB at 2,000 reports) before levelling off.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn internal_error() -> Built {
    Built::Failed(Failure::new(&[overlay::Finding::plain(
        "nianbao 内部错误：这次生成中断了（终端中有详情）。请把终端输出报告给维护者；保存任意文件会再试一次。",
    )]))
}

/// Prints a failure: every error as `check` shows it, and how many warnings.
fn report_failure(s: &Settings, f: &Failure, site: Option<&LoadedSite>, has_site: bool) {
    if s.quiet {
        return;
    }
    let style = crate::diagnostic::Style { color: s.color };
    for m in &f.plain {
        eprintln!("错误：{m}");
    }
    if let Some(site) = site {
        for d in site.findings().iter().filter(|d| d.is_error()) {
            let src = site.source(&d.file);
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
    let what = if has_site {
        "页面上列出这些问题，网站仍是上一次成功生成的样子"
    } else {
        "网站还没有生成，每个页面都列出这些问题；改正后自动刷新"
    };
    eprintln!("{} 个错误{warnings}：{what}", f.errors);
}

/// Runs full builds one at a time, on one long-lived thread: a build superseded by an edit
/// finishes (it stops at its next file) before the next starts, so at most one site is being
/// built beside the one served.
fn spawn_builder(root: PathBuf, url: String, done: Sender<Msg>) -> std::io::Result<Sender<Job>> {
    // The full rebuild that follows the fast path runs at a lower priority: the next edited
    // report (re-rendered on rayon's global pool) and page requests come first. A full rebuild
    // nobody has seen anything of yet runs on the global pool at normal priority.
    let background = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("nianbao-build-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .map_err(std::io::Error::other)?;
    let (tx, rx) = mpsc::channel::<Job>();
    thread::Builder::new()
        .name("nianbao-full-build".into())
        .spawn(move || {
            for job in rx {
                let t = Instant::now();
                let build = || model::full(&root, &url, &job.cancel).map(Box::new);
                // A bug must not leave the loop waiting for a build that never ends.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if job.background {
                        background.install(build)
                    } else {
                        build()
                    }
                }))
                .unwrap_or_else(|_| Some(Box::new((None, internal_error()))));
                let msg = Msg::FullDone {
                    generation: job.generation,
                    result,
                    took: t.elapsed(),
                };
                if done.send(msg).is_err() {
                    return;
                }
            }
        })?;
    Ok(tx)
}

impl Rebuilder {
    /// Builds the site once and publishes it (or why it failed) as the first snapshot.
    pub fn first(
        settings: Settings,
        watcher: watch::Watcher,
        stopped: Arc<AtomicBool>,
    ) -> Rebuilder {
        let started = Instant::now();
        let never = AtomicBool::new(false);
        let (site, built) = model::full(&settings.root, &settings.url, &never)
            .unwrap_or_else(|| (None, internal_error()));
        let took = started.elapsed();
        let (files, failure) = match built {
            Built::Site { files, warnings } => {
                let reports = site.as_ref().map_or(0, LoadedSite::published);
                log(
                    settings.quiet,
                    format!(
                        "已生成网站：{reports} 份报告，{} 个文件（{warnings} 个警告，用时 {} 毫秒）",
                        files.len(),
                        took.as_millis()
                    ),
                );
                (Some(Arc::new(files)), None)
            }
            Built::Failed(f) => {
                log(settings.quiet, "第一次生成失败，预览照常启动：");
                report_failure(&settings, &f, site.as_ref(), false);
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
        Rebuilder {
            settings,
            shared,
            watcher,
            stopped,
            site,
            good: files,
            last_full: took,
            contents: HashMap::new(),
            printed,
            generation: 0,
            state: State::Idle,
        }
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub fn watcher(&self) -> &watch::Watcher {
        &self.watcher
    }

    /// Runs the loop on its own thread until [`Rebuilder::stopped`] is set and the loop woken.
    pub fn spawn(self, events: Receiver<watch::Event>) -> std::io::Result<()> {
        thread::Builder::new()
            .name("nianbao-rebuild".into())
            .spawn(move || self.run(events))
            .map(drop)
    }

    fn run(mut self, events: Receiver<watch::Event>) {
        // Watcher events and finished builds arrive on one channel.
        let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
        {
            let msg_tx = msg_tx.clone();
            let relay = thread::Builder::new()
                .name("nianbao-watch".into())
                .spawn(move || {
                    for e in events {
                        if msg_tx.send(Msg::Watch(e)).is_err() {
                            return;
                        }
                    }
                });
            if relay.is_err() {
                log(
                    self.settings.quiet,
                    "错误：无法新建监视线程，保存后不会自动刷新",
                );
                return;
            }
        }
        let root = self.settings.root.clone();
        let jobs = match spawn_builder(root, self.settings.url.clone(), msg_tx) {
            Ok(jobs) => jobs,
            Err(e) => {
                log(self.settings.quiet, format!("错误：无法新建生成线程：{e}"));
                return;
            }
        };
        loop {
            let msg = match self.state.deadline() {
                Some(t) => match msg_rx.recv_timeout(t.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                },
                None => match msg_rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return,
                },
            };
            if self.stopped.load(Ordering::Relaxed) {
                // Dropping the loop drops the watcher, which stops it.
                if let State::Building { cancel, .. } = &self.state {
                    cancel.store(true, Ordering::Relaxed);
                }
                return;
            }
            match msg {
                None => self.deadline_reached(&jobs),
                Some(Msg::Watch(watch::Event::Limit)) => {
                    log(self.settings.quiet, watch::limit_message());
                    if let Err(e) = self.watcher.to_polling() {
                        log(self.settings.quiet, format!("错误：无法改为轮询：{e}"));
                    }
                }
                Some(Msg::Watch(watch::Event::Changed(paths))) => self.saved(&paths),
                Some(Msg::FullDone {
                    generation,
                    result,
                    took,
                }) => self.full_done(generation, result, took),
            }
        }
    }

    /// A hash of `file`'s bytes (`None`: gone or unreadable).
    fn hash_of(&self, file: &str) -> Option<u64> {
        let bytes = std::fs::read(self.settings.root.join(file)).ok()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&bytes, &mut h);
        Some(std::hash::Hasher::finish(&h))
    }

    /// Whether `file` (relative to the root) differs from when it was last built or seen.
    fn content_changed(&mut self, file: &str) -> bool {
        if self.settings.root.join(file).is_dir() {
            return true;
        }
        let hash = self.hash_of(file);
        self.contents.insert(file.to_string(), hash) != Some(hash)
    }

    /// Files changed: wait until they are quiet, and drop a full build they make stale.
    fn saved(&mut self, paths: &[PathBuf]) {
        let relevant: Vec<String> = paths
            .iter()
            .filter_map(|p| watch::relevant(&self.settings.root, p))
            .collect();
        let changed: BTreeSet<String> = relevant
            .into_iter()
            .filter(|f| self.content_changed(f))
            .collect();
        if changed.is_empty() {
            return;
        }
        let now = Instant::now();
        let (mut all, pending) = match std::mem::replace(&mut self.state, State::Idle) {
            State::Idle => (
                BTreeSet::new(),
                Pending {
                    files: BTreeSet::new(),
                    since: now,
                    fast_shown: false,
                },
            ),
            State::Settling {
                changed, pending, ..
            } => (changed, pending),
            State::Due { pending, .. } => (BTreeSet::new(), pending),
            State::Building {
                cancel, pending, ..
            } => {
                cancel.store(true, Ordering::Relaxed);
                (BTreeSet::new(), pending)
            }
        };
        all.extend(changed);
        let root = &self.settings.root;
        let gone = all.iter().any(|f| !root.join(f).exists());
        self.state = State::Settling {
            until: now + if gone { GONE } else { SETTLE },
            changed: all,
            pending,
        };
    }

    fn deadline_reached(&mut self, jobs: &Sender<Job>) {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Settling {
                changed, pending, ..
            } => self.settled(changed, pending, jobs),
            State::Due { pending, .. } => self.start_full(pending, true, jobs),
            other => self.state = other,
        }
    }

    fn use_fast_path(&self) -> bool {
        match self.settings.incremental {
            Incremental::Always => true,
            Incremental::Never => false,
            Incremental::Auto => self.last_full > FAST_ENOUGH,
        }
    }

    /// The files are quiet: show the edited reports at once if the fast path applies, and build
    /// the whole site.
    fn settled(&mut self, changed: BTreeSet<String>, mut pending: Pending, jobs: &Sender<Job>) {
        let t = Instant::now();
        // What is built now: a notification of these bytes that arrives late is no change.
        for f in &changed {
            let hash = self.hash_of(f);
            self.contents.insert(f.clone(), hash);
        }
        if let Err(e) = self.watcher.refresh()
            && matches!(e.kind, notify::ErrorKind::MaxFilesWatch)
        {
            log(self.settings.quiet, watch::limit_message());
            let _ = self.watcher.to_polling();
        }
        // A folder's own change (its list of files) says nothing the changed files do not; a
        // folder made or removed is not an existing folder here and takes the full build.
        let root = &self.settings.root;
        let files: Vec<String> = changed
            .iter()
            .filter(|f| !root.join(f).is_dir())
            .cloned()
            .collect();
        let only_folders = files.is_empty();
        if only_folders {
            pending.files.extend(changed.iter().cloned());
        } else {
            pending.files.extend(files.iter().cloned());
        }
        let use_fast = self.use_fast_path() && !only_folders;
        let url = &self.settings.url;
        let fast = match (&mut self.site, &self.good) {
            (Some(site), Some(good)) if use_fast => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    model::fast(site, good, &files, url).ok()
                })) {
                    Ok(r) => r,
                    Err(_) => {
                        // The site may be half updated: start again from a full build.
                        self.site = None;
                        None
                    }
                }
            }
            _ => None,
        };
        let Some(built) = fast else {
            self.start_full(pending, false, jobs);
            return;
        };
        pending.fast_shown = true;
        match built {
            Built::Site { files: pages, .. } => {
                let pages = Arc::new(pages);
                self.good = Some(pages.clone());
                self.shared.publish(Some(pages), None);
                self.printed = None;
                let shown: BTreeSet<String> = files.into_iter().collect();
                log(
                    self.settings.quiet,
                    format!(
                        "已更新 {}（{} 毫秒）；其余页面稍后更新",
                        names(&shown),
                        t.elapsed().as_millis()
                    ),
                );
            }
            Built::Failed(f) => {
                let site = self.site.take();
                self.failed(f, site.as_ref());
                self.site = site;
            }
        }
        self.state = State::Due {
            at: Instant::now() + QUIET,
            pending,
        };
    }

    fn start_full(&mut self, pending: Pending, background: bool, jobs: &Sender<Job>) {
        self.generation += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        let job = Job {
            generation: self.generation,
            cancel: cancel.clone(),
            background,
        };
        if jobs.send(job).is_err() {
            log(
                self.settings.quiet,
                "错误：生成线程已停止，保存后不会再更新",
            );
        }
        self.state = State::Building {
            generation: self.generation,
            cancel,
            pending,
        };
    }

    /// Shows a failure: in the terminal (once, not again for the same findings) and on every page.
    fn failed(&mut self, f: Failure, site: Option<&LoadedSite>) {
        if self.printed != Some(f.id) {
            report_failure(&self.settings, &f, site, self.good.is_some());
            self.printed = Some(f.id);
        }
        self.shared.publish(self.good.clone(), Some(Arc::new(f)));
    }

    fn full_done(
        &mut self,
        generation: u64,
        result: Option<Box<(Option<LoadedSite>, Built)>>,
        took: Duration,
    ) {
        let current =
            matches!(&self.state, State::Building { generation: g, .. } if *g == generation);
        if !current {
            // Superseded by a later save: the loop is settling or building again.
            return;
        }
        let State::Building { pending, .. } = std::mem::replace(&mut self.state, State::Idle)
        else {
            unreachable!("matched above");
        };
        let Some((site, built)) = result.map(|b| *b) else {
            return;
        };
        self.last_full = took;
        match built {
            Built::Site { files, warnings } => {
                let files = Arc::new(files);
                self.good = Some(files.clone());
                self.shared.publish(Some(files), None);
                self.printed = None;
                let msg = if pending.fast_shown {
                    format!("全站已更新（生成用时 {} 毫秒）", took.as_millis())
                } else {
                    let what = if pending.files.is_empty() {
                        "网站".to_string()
                    } else {
                        names(&pending.files)
                    };
                    format!(
                        "已更新 {what}（{} 毫秒，{warnings} 个警告）",
                        pending.since.elapsed().as_millis()
                    )
                };
                log(self.settings.quiet, msg);
            }
            Built::Failed(f) => self.failed(f, site.as_ref()),
        }
        self.site = site;
        release_freed_memory();
    }
}
