//! The disk target: render into `.<name>.nianbao-tmp-<pid>` beside the output folder, then swap.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Data, Piecewise, Sink};

/// Marks a folder as written by nianbao; only such a folder is ever replaced.
pub const MARKER: &str = ".nianbao-output";

#[derive(Debug)]
pub enum OutputError {
    NotOurs(PathBuf),
    Dangerous(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::NotOurs(p) => write!(
                f,
                "输出文件夹 {} 已存在，且不是 nianbao 生成的（没有 {MARKER} 标记文件），为防止误删，不会覆盖它。\n请换一个输出文件夹（--output），或确认可以整体替换后加 --force",
                p.display()
            ),
            OutputError::Dangerous(p) => write!(
                f,
                "输出文件夹 {} 包含站点源文件（content/ 或站点根目录），即使加 --force 也不会替换它；请用 --output 指定另一个文件夹",
                p.display()
            ),
            OutputError::Io(p, e) => write!(f, "无法写入 {}：{e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

/// A build in progress into a temporary folder; dropped without `commit`, it leaves no trace.
pub struct BuildTarget {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.nianbao-{tag}-{}", std::process::id()))
}

impl BuildTarget {
    /// Checks that `out` may be replaced and creates the temporary folder.
    pub fn prepare(out: &Path, site_root: &Path, force: bool) -> Result<BuildTarget, OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
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
        let tmp = sibling(out, "tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
        Ok(BuildTarget {
            out: out.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    pub fn sink(&self) -> DiskSink<'_> {
        DiskSink { dir: &self.tmp }
    }

    /// Puts the finished site in place of the old output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        std::fs::write(self.tmp.join(MARKER), "nianbao\n").map_err(|e| io(&self.tmp, e))?;
        let old = sibling(&self.out, "old");
        let had_old = self.out.exists();
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
        if had_old {
            remove_tree(&old).map_err(|e| io(&old, e))?;
        }
        Ok(())
    }
}

/// Removes a folder and everything in it, on every core: the previous output of a large site
/// holds tens of thousands of files, and unlinking them one by one was a fifth of a rebuild.
/// Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

pub struct DiskSink<'a> {
    dir: &'a Path,
}

impl Sink for DiskSink<'_> {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match data {
            Data::Bytes(b) => std::fs::write(&target, b),
            Data::Copy(src) => std::fs::copy(src, &target).map(|_| ()),
        }
    }

    fn open(&self, path: &str) -> std::io::Result<Piecewise> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = std::fs::File::create(&target)?;
        Ok(Piecewise::File(std::io::BufWriter::with_capacity(
            1 << 17,
            file,
        )))
    }
}
