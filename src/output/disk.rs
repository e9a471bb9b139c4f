//! The disk target: render into `.<name>.nianbao-tmp-<pid>` beside the output folder, then swap.
//!
//! A symbolic link as output is followed; files whose bytes did not change are linked from the
//! old output instead of written (see `reuse`); files the last build did not write are carried
//! over (see `keep`); leftovers of killed builds are removed (see `stale`) and Ctrl+C removes the
//! folder in progress (see `interrupt`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::reuse::Previous;
use super::{interrupt, keep, stale};
use crate::render::{Data, Piecewise, Sink};

/// Marks a folder as written by nianbao; only such a folder is ever replaced.
pub const MARKER: &str = ".nianbao-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "输出文件夹 {} 已存在，且不是 nianbao 生成的（没有 {MARKER} 标记文件），为防止误删，不会覆盖它。\n请换一个输出文件夹（--output），或确认可以整体替换后加 --force",
        .0.display()
    )]
    NotOurs(PathBuf),
    #[error(
        "输出文件夹 {} 包含站点源文件（content/ 或站点根目录），即使加 --force 也不会替换它；请用 --output 指定另一个文件夹",
        .0.display()
    )]
    Dangerous(PathBuf),
    /// The output is a symbolic link to nothing.
    #[error(
        "输出文件夹 {} 是一个符号链接，但它指向的文件夹不存在；请先创建链接指向的文件夹，或删除这个链接",
        .0.display()
    )]
    DanglingLink(PathBuf),
    /// A folder of the old output whose files cannot be removed.
    #[error(
        "输出文件夹中的 {} 不可写，旧文件无法删除，网站没有替换，原来的网站保持不变。\n请改成可写（如 `chmod -R u+w {}`），或用 --output 指定另一个文件夹",
        .0.display(),
        .0.display()
    )]
    ReadOnly(PathBuf),
    /// A file nianbao never wrote where the new site has one of its own.
    #[error(
        "输出文件夹中的 {} 不是 nianbao 生成的，但新网站也要生成这个文件；为防止误删，网站没有替换。\n请移走这个文件，或加 --force 用新网站的文件覆盖它",
        .0.display()
    )]
    Clash(PathBuf),
    #[error("无法写入 {path}：{1}", path = .0.display())]
    Io(PathBuf, #[source] std::io::Error),
}

/// A build in progress into a temporary folder; dropped without `commit`, it leaves no trace.
pub struct BuildTarget {
    /// The real output folder (a symbolic link is followed: the swap happens at its target).
    out: PathBuf,
    tmp: PathBuf,
    force: bool,
    /// Every file written, for the marker: the next build keeps all others.
    written: Mutex<Vec<String>>,
    /// The files written in pieces: compared with the old output once the render is done.
    pieces: Mutex<Vec<String>>,
    /// The old output, whose unchanged files are linked instead of written.
    previous: Option<Previous>,
    committed: bool,
}

/// `(folder, ".<name>.nianbao-")`: where and under what name the temporary and old folders of
/// the output `out` live.
pub(super) fn sibling_prefix(out: &Path) -> (PathBuf, String) {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, format!(".{name}.nianbao-"))
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let (parent, prefix) = sibling_prefix(out);
    parent.join(format!("{prefix}{tag}-{}", std::process::id()))
}

/// A symbolic link as output folder (`public` → the web server's folder) is followed: the site
/// is built beside the link's target and swapped in there, so the link stays as it is.
fn resolve(out: &Path) -> Result<PathBuf, OutputError> {
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => out
            .canonicalize()
            .map_err(|_| OutputError::DanglingLink(out.to_path_buf())),
        _ => Ok(out.to_path_buf()),
    }
}

impl BuildTarget {
    /// Checks that `out` may be replaced and creates the temporary folder.
    pub fn prepare(out: &Path, site_root: &Path, force: bool) -> Result<BuildTarget, OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        let out = resolve(out)?;
        let out = out.as_path();
        if out.exists() {
            let canon_out = out.canonicalize().map_err(|e| io(out, e))?;
            let canon_root = site_root.canonicalize().map_err(|e| io(site_root, e))?;
            if !out.is_dir() || canon_root.starts_with(&canon_out) || out.join("content").exists() {
                return Err(OutputError::Dangerous(out.to_path_buf()));
            }
            let ours = out.join(MARKER).is_file();
            let empty = std::fs::read_dir(out)
                .map_err(|e| io(out, e))?
                .next()
                .is_none();
            if !ours && !empty && !force {
                return Err(OutputError::NotOurs(out.to_path_buf()));
            }
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        stale::remove_stale(out);
        let tmp = sibling(out, "tmp");
        if tmp.exists() {
            remove_tree(&tmp).map_err(|e| io(&tmp, e))?;
        }
        // Registered before it exists and marked at once, so that an interrupt removes it and
        // a kill leaves it recognisable to the next build.
        let mut in_progress = interrupt::in_progress();
        in_progress.push(tmp.clone());
        let made = std::fs::create_dir(&tmp)
            .and_then(|()| std::fs::write(tmp.join(MARKER), keep::marker_text(Vec::new())));
        if let Err(e) = made {
            interrupt::forget(&mut in_progress, &tmp);
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(io(&tmp, e));
        }
        drop(in_progress);
        Ok(BuildTarget {
            out: out.to_path_buf(),
            tmp,
            force,
            written: Mutex::new(Vec::new()),
            pieces: Mutex::new(Vec::new()),
            previous: Previous::of(out),
            committed: false,
        })
    }

    pub fn sink(&self) -> DiskSink<'_> {
        DiskSink {
            dir: &self.tmp,
            written: &self.written,
            pieces: &self.pieces,
            previous: self.previous.as_ref(),
        }
    }

    /// Puts the finished site in place of the old output. Files of the old output that the
    /// last build did not write are kept; a folder that cannot be emptied stops the swap.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        if let Some(previous) = &self.previous {
            let pieces =
                std::mem::take(&mut *self.pieces.lock().unwrap_or_else(|e| e.into_inner()));
            for path in pieces {
                let target = self.tmp.join(&path);
                previous
                    .relink(&path, &target)
                    .map_err(|e| io(&target, e))?;
            }
        }
        let had_old = self.out.exists();
        if had_old {
            let ours = keep::written_before(&self.out);
            let foreign = keep::scan(&self.out, ours.as_ref())?;
            keep::carry_over(&self.out, &self.tmp, &foreign, self.force)?;
        }
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        std::fs::write(self.tmp.join(MARKER), keep::marker_text(written))
            .map_err(|e| io(&self.tmp, e))?;
        let old = sibling(&self.out, "old");
        {
            let mut in_progress = interrupt::in_progress();
            if had_old {
                std::fs::rename(&self.out, &old).map_err(|e| io(&self.out, e))?;
            }
            if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
                if had_old {
                    let _ = std::fs::rename(&old, &self.out);
                }
                return Err(io(&self.out, e));
            }
            self.committed = true;
            interrupt::forget(&mut in_progress, &self.tmp);
            if had_old {
                in_progress.push(old.clone());
            }
        }
        if had_old {
            // A folder forced over had no marker: mark it, so that the next build removes it
            // if this one is killed while removing it.
            let _ = std::fs::write(old.join(MARKER), keep::marker_text(Vec::new()));
            let removed = remove_tree(&old).map_err(|e| io(&old, e));
            interrupt::forget(&mut interrupt::in_progress(), &old);
            removed?;
        }
        Ok(())
    }
}

/// Removes a folder and everything in it, on every core: the previous output of a large site
/// holds tens of thousands of files, and unlinking them one by one was a fifth of a rebuild.
/// Symbolic links are removed, never followed.
pub(super) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for BuildTarget {
    fn drop(&mut self) {
        if !self.committed {
            let mut in_progress = interrupt::in_progress();
            let _ = remove_tree(&self.tmp);
            interrupt::forget(&mut in_progress, &self.tmp);
        }
    }
}

pub struct DiskSink<'a> {
    dir: &'a Path,
    written: &'a Mutex<Vec<String>>,
    pieces: &'a Mutex<Vec<String>>,
    previous: Option<&'a Previous>,
}

impl DiskSink<'_> {
    /// Where `path` goes; records it for the marker. Refused once an interrupt is handled.
    fn create(&self, path: &str) -> std::io::Result<PathBuf> {
        if interrupt::interrupted() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "已中断",
            ));
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        Ok(target)
    }
}

impl Sink for DiskSink<'_> {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        let target = self.create(path)?;
        match data {
            Data::Bytes(b) => Previous::put_bytes(self.previous, path, &target, &b),
            Data::Copy(src) => Previous::put_copy(self.previous, path, &target, &src),
        }
    }

    fn open(&self, path: &str) -> std::io::Result<Piecewise> {
        let target = self.create(path)?;
        let file = std::fs::File::create(&target)?;
        self.pieces
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        Ok(Piecewise::File(std::io::BufWriter::with_capacity(
            1 << 17,
            file,
        )))
    }
}
