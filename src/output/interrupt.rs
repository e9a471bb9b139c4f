//! Ctrl+C and SIGTERM during `build`: remove the half-written folders, then exit.
//!
//! Folders being written are registered here. The handler (on its own thread, from the `ctrlc`
//! crate) takes the same lock as the swap of a finished site, so an interrupt never lands
//! between moving the old output aside and moving the new one in. `kill -9` cannot be caught:
//! the next build removes what it left (see `stale`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The exit status of an interrupted build (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl+C and SIGTERM remove the folders in progress before the process exits.
pub fn clean_up_on_interrupt() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        let folders = in_progress();
        INTERRUPTED.store(true, Ordering::SeqCst);
        for f in folders.iter() {
            remove_while_written(f);
        }
        eprintln!("已中断：网站没有生成完，临时文件夹已删除");
        std::process::exit(EXIT_INTERRUPTED);
    })
}

/// The registry of folders in progress, locked; hold it while swapping folders.
pub(super) fn in_progress() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn forget(list: &mut Vec<PathBuf>, dir: &Path) {
    list.retain(|d| d != dir);
}

/// Whether an interrupt is being handled: writers stop adding files.
pub(super) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Render threads may still finish a file or two after the flag is set; try again briefly.
fn remove_while_written(dir: &Path) {
    for _ in 0..50 {
        let _ = super::disk::remove_tree(dir);
        if std::fs::symlink_metadata(dir).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
