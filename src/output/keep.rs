//! Files in the output folder that nianbao never wrote survive a rebuild.
//!
//! A web server's folder (often reached through a link such as `public` → `/var/www/site`)
//! holds files of its own: `robots.txt`, verification files, certificates. The marker file
//! lists every file the last build wrote; anything else is carried into the new site by a hard
//! link before the swap, so the swap stays one rename and nothing is lost. The same walk
//! checks that every folder of the old output can be emptied, before anything is moved.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::disk::{MARKER, OutputError};

/// The files the build that wrote `out` listed in its marker; `None` when there is no list
/// (no marker, or one from a version that wrote none): then every file counts as nianbao's.
pub(super) fn written_before(out: &Path) -> Option<HashSet<String>> {
    let text = std::fs::read_to_string(out.join(MARKER)).ok()?;
    let files: HashSet<String> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    (!files.is_empty()).then_some(files)
}

/// The marker's text: a first line, then each written file, sorted (output is deterministic).
pub(super) fn marker_text(mut written: Vec<String>) -> String {
    written.sort_unstable();
    written.dedup();
    let mut text = String::from("nianbao\n");
    for f in written {
        text.push_str(&f);
        text.push('\n');
    }
    text
}

/// An entry of the old output that nianbao did not write.
pub(super) struct Foreign {
    rel: String,
    dir: bool,
}

/// Walks the old output `out`: refuses a folder that cannot be emptied, and lists the entries
/// not in `ours` (none when `ours` is `None`).
pub(super) fn scan(
    out: &Path,
    ours: Option<&HashSet<String>>,
) -> Result<Vec<Foreign>, OutputError> {
    let parents: HashSet<&str> = ours
        .into_iter()
        .flatten()
        .flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..i]))
        .collect();
    let mut found = scan_dir(out, "", ours, &parents)?;
    found.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

fn scan_dir(
    dir: &Path,
    rel: &str,
    ours: Option<&HashSet<String>>,
    parents: &HashSet<&str>,
) -> Result<Vec<Foreign>, OutputError> {
    if !writable(dir) {
        return Err(OutputError::ReadOnly(dir.to_path_buf()));
    }
    let io = |e| OutputError::Io(dir.to_path_buf(), e);
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    let found: Vec<Vec<Foreign>> = entries
        .par_iter()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let is_dir = e
                .file_type()
                .map_err(|err| OutputError::Io(e.path(), err))?
                .is_dir();
            let mut found = Vec::new();
            if let Some(ours) = ours {
                let foreign = if is_dir {
                    !parents.contains(child.as_str())
                } else {
                    child != MARKER && !ours.contains(&child)
                };
                if foreign {
                    found.push(Foreign {
                        rel: child.clone(),
                        dir: is_dir,
                    });
                }
            }
            if is_dir {
                found.extend(scan_dir(&e.path(), &child, ours, parents)?);
            }
            Ok(found)
        })
        .collect::<Result<_, OutputError>>()?;
    Ok(found.into_iter().flatten().collect())
}

/// Whether the files in `dir` can be removed by this process (root may, a read-only mount not).
#[cfg(unix)]
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access(2) reads the NUL-terminated path and nothing else.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
}

/// Links the `foreign` entries of `out` into the new site `new`. An entry where the new site
/// has a file of its own is refused, unless `force`: then the site's file wins.
pub(super) fn carry_over(
    out: &Path,
    new: &Path,
    foreign: &[Foreign],
    force: bool,
) -> Result<(), OutputError> {
    let mut given_up: Vec<&str> = Vec::new();
    for f in foreign {
        if given_up
            .iter()
            .any(|g| f.rel.strip_prefix(g).is_some_and(|r| r.starts_with('/')))
        {
            continue;
        }
        let from = out.join(&f.rel);
        let to = new.join(&f.rel);
        let clash = match std::fs::symlink_metadata(&to) {
            Ok(m) => !(f.dir && m.is_dir()),
            Err(_) => false,
        };
        if clash {
            if force {
                given_up.push(&f.rel);
                continue;
            }
            return Err(OutputError::Clash(from));
        }
        if f.dir {
            if std::fs::symlink_metadata(&to).is_err() {
                std::fs::create_dir_all(&to).map_err(|e| OutputError::Io(to.clone(), e))?;
            }
        } else {
            link_or_copy(&from, &to).map_err(|e| OutputError::Io(to.clone(), e))?;
        }
    }
    Ok(())
}

/// A hard link shares the file (no copy of a large download); across file systems, a copy.
fn link_or_copy(from: &Path, to: &PathBuf) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if std::fs::symlink_metadata(from)?.is_file() => {
            std::fs::copy(from, to).map(|_| ()).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}
