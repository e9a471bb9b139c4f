//! Watching the site's folders: `content/`, `templates/`, `static/` and `themes/`.
//!
//! Events pass `notify-debouncer-full` (repeats of an event merged), then a filter:
//! reads and opens are not changes (our own builds read every file), and editor temp and backup
//! files (`.swp`, `~`, `.#x`, `4913`, `.subl*.tmp`, JetBrains `___jb_tmp___`) are not content.
//! Folders are watched rather than files, so an editor that saves by writing a new file and
//! renaming it over the old one (vim, neovim) is seen as a change of that file.
//!
//! Linux limits how many folders inotify can watch (`fs.inotify.max_user_watches`) and how many
//! watchers a user may have (`fs.inotify.max_user_instances`). Past either limit we say so and
//! poll instead.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

/// How long `notify-debouncer-full` holds each event, merging repeats of it (a write in several
/// chunks). It does not wait for the files to be quiet: every event leaves this long after it
/// happened, so the steps of one save can come in different batches. The rebuild loop waits
/// for quiet files ([`super::rebuild::SETTLE`]); this only keeps the batches few.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
pub const TICK: Duration = Duration::from_millis(5);
/// How often the polling fallback looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The top-level folders of a site that make up its pages.
pub const WATCHED: &[&str] = &["content", "templates", "static", "themes"];

/// What the watcher tells the rebuild loop.
pub enum Event {
    Changed(Vec<PathBuf>),
    /// The inotify limit was reached after start: switch to polling.
    Limit,
}

/// Whether an event kind can mean a file's content or presence changed.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Editor temp and backup files, hidden files and folders: never part of the site.
pub fn is_ignored(name: &str) -> bool {
    crate::load::is_ignored_name(name)
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name.ends_with(".crdownload")
        || name.ends_with(".part")
}

/// The path below `root` with `/` separators, when a change there can change the site.
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => {
                let s = s.to_str()?;
                if is_ignored(s) {
                    return None;
                }
                parts.push(s);
            }
            _ => return None,
        }
    }
    if !WATCHED.contains(parts.first()?) {
        return None;
    }
    Some(parts.join("/"))
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, p: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(p, mode),
            Inner::Poll(d) => d.watch(p, mode),
        }
    }

    fn unwatch(&mut self, p: &Path) {
        let _ = match self {
            Inner::Native(d) => d.unwatch(p),
            Inner::Poll(d) => d.unwatch(p),
        };
    }
}

pub struct Watcher {
    inner: Inner,
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
    tx: Sender<Event>,
}

fn handler(tx: Sender<Event>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |res: DebounceEventResult| match res {
        Ok(events) => {
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths.clone())
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(Event::Changed(paths));
            }
        }
        Err(errors) => {
            if errors.iter().any(is_limit) {
                let _ = tx.send(Event::Limit);
            }
        }
    }
}

fn is_limit(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::MaxFilesWatch => true,
        // inotify_init: too many inotify instances (EMFILE), or no memory for watches (ENOSPC).
        notify::ErrorKind::Io(io) => matches!(io.raw_os_error(), Some(24) | Some(28)),
        _ => false,
    }
}

/// The message shown when the system cannot watch every folder.
pub fn limit_message() -> String {
    format!(
        "注意：系统的文件监视数量已达上限（Linux 的 fs.inotify.max_user_watches 或 fs.inotify.max_user_instances），改为每 {} 毫秒轮询一次文件变化。\n      提高上限可恢复即时监视：sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=1024",
        POLL_INTERVAL.as_millis()
    )
}

fn poll_inner(tx: &Sender<Event>) -> notify::Result<Inner> {
    // notify's poller compares modification times in whole seconds: a save in the same second
    // as the last one would be missed, so it compares contents too.
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    new_debouncer_opt::<_, PollWatcher, NoCache>(
        DEBOUNCE,
        Some(TICK),
        handler(tx.clone()),
        NoCache,
        config,
    )
    .map(Inner::Poll)
}

impl Watcher {
    /// Watches the folders of the site at `root` (which must be absolute). With `poll`, or when
    /// the system cannot give file notifications, polls instead; `notes` gets what to tell the
    /// user.
    pub fn start(
        root: &Path,
        tx: Sender<Event>,
        poll: bool,
        notes: &mut Vec<String>,
    ) -> notify::Result<Watcher> {
        let inner = if poll {
            poll_inner(&tx)?
        } else {
            match new_debouncer(DEBOUNCE, Some(TICK), handler(tx.clone())) {
                Ok(d) => Inner::Native(d),
                Err(e) if is_limit(&e) => {
                    notes.push(limit_message());
                    poll_inner(&tx)?
                }
                Err(e) => return Err(e),
            }
        };
        let mut w = Watcher {
            inner,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
            tx,
        };
        if let Err(e) = w.refresh() {
            if is_limit(&e) {
                notes.push(limit_message());
                w.to_polling()?;
            } else {
                return Err(e);
            }
        }
        Ok(w)
    }

    pub fn is_polling(&self) -> bool {
        matches!(self.inner, Inner::Poll(_))
    }

    /// Switches to polling (after the inotify limit was reached).
    pub fn to_polling(&mut self) -> notify::Result<()> {
        if self.is_polling() {
            return Ok(());
        }
        self.inner = poll_inner(&self.tx)?;
        self.watched.clear();
        self.refresh()
    }

    /// Watches the site folders that exist now and were not watched yet (a `templates/` folder
    /// made while serving), and forgets those that were removed.
    pub fn refresh(&mut self) -> notify::Result<()> {
        let gone: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|p| !p.exists())
            .cloned()
            .collect();
        for p in gone {
            self.inner.unwatch(&p);
            self.watched.remove(&p);
        }
        // The root itself, not recursively: to see the site folders appear.
        let mut wanted = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for name in WATCHED {
            let p = self.root.join(name);
            if p.is_dir() {
                wanted.push((p, RecursiveMode::Recursive));
            }
        }
        for (p, mode) in wanted {
            if self.watched.contains(&p) {
                continue;
            }
            match self.inner.watch(&p, mode) {
                Ok(()) => {
                    self.watched.insert(p);
                }
                Err(e) if matches!(e.kind, notify::ErrorKind::PathNotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Folders watched, relative to the root, for the start-up message.
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .watched
            .iter()
            .filter_map(|p| p.strip_prefix(&self.root).ok())
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| format!("{}/", p.to_string_lossy()))
            .collect();
        names.join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_other_folders_are_not_changes() {
        let root = Path::new("/site");
        let ok = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            ok("/site/content/a/2024.md").as_deref(),
            Some("content/a/2024.md")
        );
        assert_eq!(
            ok("/site/templates/report.html").as_deref(),
            Some("templates/report.html")
        );
        for p in [
            "/site/content/a/.2024.md.swp",
            "/site/content/a/2024.md~",
            "/site/content/a/4913",
            "/site/content/a/.#2024.md",
            "/site/content/a/#2024.md#",
            "/site/content/a/.subl5f3.tmp",
            "/site/content/a/2024.md___jb_tmp___",
            "/site/content/.git/index",
            "/site/public/index.html",
            "/site/README.md",
            "/elsewhere/content/a/2024.md",
        ] {
            assert_eq!(ok(p), None, "{p}");
        }
    }

    #[test]
    fn opening_and_reading_is_not_a_change() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
        assert!(is_limit(&notify::Error::new(
            notify::ErrorKind::MaxFilesWatch
        )));
        assert!(limit_message().contains("fs.inotify.max_user_watches"));
    }
}
