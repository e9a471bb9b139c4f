//! Temporary and old folders left beside the output by builds that were killed (`kill -9`,
//! a power cut): removed by the next build, but only those that carry nianbao's marker (or are
//! empty) and whose process is gone, so a build running at the same time and folders of
//! others are safe.

use std::path::Path;

use super::disk::{MARKER, remove_tree, sibling_prefix};

/// Removes `.<name>.nianbao-tmp-<pid>` and `.<name>.nianbao-old-<pid>` beside `out` whose
/// process no longer runs. Failures are ignored: the folders only take space.
pub(super) fn remove_stale(out: &Path) {
    let (parent, prefix) = sibling_prefix(out);
    let Ok(list) = std::fs::read_dir(&parent) else {
        return;
    };
    for e in list.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix("tmp-").or(rest.strip_prefix("old-")))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if pid == std::process::id() || !is_dir || alive(pid) || !ours(&e.path()) {
            continue;
        }
        let _ = remove_tree(&e.path());
    }
}

/// Marked by nianbao, or empty: a build killed between creating its folder and marking it.
fn ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether process `pid` exists (signal 0 checks without sending anything).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: kill(2) with signal 0 sends nothing; it only reports whether the process exists.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Without a way to ask, every process counts as running: nothing is removed.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}
