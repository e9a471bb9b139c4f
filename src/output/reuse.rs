//! Rebuilds rewrite only what changed: a file whose new bytes equal those of the previous
//! output's file at the same path is hard-linked from there into the new tree instead of being
//! written again.
//!
//! The swap stays as it was (the new tree is complete before it is renamed in), and the old
//! output is never modified: its files are only read and linked, never opened for writing, so a
//! failed build still leaves it byte-identical. An unchanged file keeps its inode and its
//! modification time, so `rsync` and HTTP caches see it as unchanged too.
//!
//! The old file is compared byte for byte (size first) rather than trusted by a hash kept in the
//! marker: a file edited by hand in the output folder is then never mistaken for the build's own,
//! and reading a file that is usually still in the page cache costs far less than writing it.
//! When a link cannot be made (another file system, `fs.protected_hardlinks` refusing a file of
//! another user), the file is written as before.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::disk::MARKER;
use super::keep;

/// The previous output of this build, when nianbao wrote it.
pub(super) struct Previous {
    dir: PathBuf,
    /// The files its marker lists; `None` for a marker without a list (an older version), which
    /// means every file was nianbao's.
    ours: Option<HashSet<String>>,
}

impl Previous {
    /// The previous output at `out`, if there is one with nianbao's marker. A folder taken over
    /// with `--force` has none: nothing of it is reused.
    pub(super) fn of(out: &Path) -> Option<Previous> {
        out.join(MARKER).is_file().then(|| Previous {
            dir: out.to_path_buf(),
            ours: keep::written_before(out),
        })
    }

    /// The previous build's own regular file at `path` with exactly `len` bytes, opened to be read.
    fn file(&self, path: &str, len: u64) -> Option<(PathBuf, File)> {
        if self.ours.as_ref().is_some_and(|o| !o.contains(path)) {
            return None;
        }
        let old = self.dir.join(path);
        let meta = std::fs::symlink_metadata(&old).ok()?;
        if !meta.is_file() || meta.len() != len {
            return None;
        }
        let file = File::open(&old).ok()?;
        // The size again, of the file actually opened.
        (file.metadata().ok()?.len() == len).then_some((old, file))
    }

    /// Puts `bytes` at `target` (the new tree's file for `path`): a link to the previous file
    /// when it holds the same bytes, else a new file.
    pub(super) fn put_bytes(
        prev: Option<&Previous>,
        path: &str,
        target: &Path,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        Self::put_bytes_linking(prev, path, target, bytes, link)
    }

    /// [`Previous::put_bytes`] with the way of linking given (tests make it fail).
    fn put_bytes_linking(
        prev: Option<&Previous>,
        path: &str,
        target: &Path,
        bytes: &[u8],
        link: fn(&Path, &Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let same = prev.and_then(|p| p.file(path, bytes.len() as u64));
        if let Some((old, file)) = same
            && equals(file, bytes)?
            && link(&old, target).is_ok()
        {
            return Ok(());
        }
        std::fs::write(target, bytes)
    }

    /// Puts a copy of the file `src` at `target`, or a link to the previous file when it holds
    /// the same bytes.
    pub(super) fn put_copy(
        prev: Option<&Previous>,
        path: &str,
        target: &Path,
        src: &Path,
    ) -> std::io::Result<()> {
        let len = std::fs::metadata(src)?.len();
        if let Some((old, file)) = prev.and_then(|p| p.file(path, len))
            && same_files(file, File::open(src)?, len)?
            && link(&old, target).is_ok()
        {
            return Ok(());
        }
        std::fs::copy(src, target).map(drop)
    }

    /// Replaces the finished file `target` (written in pieces for `path`) by a link to the
    /// previous file when they are equal, so that it keeps its inode too. The written file
    /// stays when anything fails.
    pub(super) fn relink(&self, path: &str, target: &Path) -> std::io::Result<()> {
        let len = std::fs::metadata(target)?.len();
        let Some((old, file)) = self.file(path, len) else {
            return Ok(());
        };
        if !same_files(file, File::open(target)?, len)? {
            return Ok(());
        }
        let mut beside = target.as_os_str().to_owned();
        beside.push(".nianbao-link");
        let beside = PathBuf::from(beside);
        if link(&old, &beside).is_err() {
            return Ok(());
        }
        std::fs::rename(&beside, target).inspect_err(|_| {
            let _ = std::fs::remove_file(&beside);
        })
    }
}

fn link(old: &Path, new: &Path) -> std::io::Result<()> {
    std::fs::hard_link(old, new)
}

/// Chunk size of the comparisons.
const CHUNK: usize = 1 << 16;

/// Whether `file` (of the same length as `bytes`) holds exactly `bytes`.
fn equals(mut file: File, bytes: &[u8]) -> std::io::Result<bool> {
    let mut buf = vec![0; CHUNK.min(bytes.len())];
    for want in bytes.chunks(CHUNK) {
        let got = &mut buf[..want.len()];
        if !read_full(&mut file, got)? || got != want {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether the files `a` and `b`, both `len` bytes long, hold the same bytes.
fn same_files(mut a: File, mut b: File, len: u64) -> std::io::Result<bool> {
    let size = CHUNK.min(usize::try_from(len).unwrap_or(CHUNK));
    let (mut x, mut y) = (vec![0; size], vec![0; size]);
    let mut left = len;
    while left > 0 {
        let n = size.min(usize::try_from(left).unwrap_or(size));
        if !read_full(&mut a, &mut x[..n])? || !read_full(&mut b, &mut y[..n])? || x[..n] != y[..n]
        {
            return Ok(false);
        }
        left -= n as u64;
    }
    Ok(true)
}

/// Fills `buf`; `false` when the file ends first (it shrank since its size was read).
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<bool> {
    match file.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn previous(dir: &Path) -> Previous {
        std::fs::write(dir.join(MARKER), "nianbao\na.html\nb.html\n").unwrap();
        Previous::of(dir).unwrap()
    }

    fn ino(p: &Path) -> u64 {
        std::fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn equal_bytes_are_linked_and_others_written() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("a.html"), "甲乙").unwrap();
        std::fs::write(old.path().join("b.html"), "甲乙").unwrap();
        let prev = previous(old.path());

        let (a, b) = (new.path().join("a.html"), new.path().join("b.html"));
        Previous::put_bytes(Some(&prev), "a.html", &a, "甲乙".as_bytes()).unwrap();
        // Same length, other bytes.
        Previous::put_bytes(Some(&prev), "b.html", &b, "甲丙".as_bytes()).unwrap();
        assert_eq!(ino(&a), ino(&old.path().join("a.html")));
        assert_ne!(ino(&b), ino(&old.path().join("b.html")));
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "甲丙");
        assert_eq!(
            std::fs::read_to_string(old.path().join("b.html")).unwrap(),
            "甲乙"
        );
    }

    #[test]
    fn a_file_the_marker_does_not_list_is_never_linked() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("robots.txt"), "x").unwrap();
        let prev = previous(old.path());
        let target = new.path().join("robots.txt");
        Previous::put_bytes(Some(&prev), "robots.txt", &target, b"x").unwrap();
        assert_ne!(ino(&target), ino(&old.path().join("robots.txt")));
    }

    #[test]
    fn when_linking_fails_the_file_is_written() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("a.html"), "甲乙").unwrap();
        let prev = previous(old.path());
        let target = new.path().join("a.html");
        let cross_device = |_: &Path, _: &Path| Err(std::io::Error::from_raw_os_error(libc::EXDEV));
        Previous::put_bytes_linking(
            Some(&prev),
            "a.html",
            &target,
            "甲乙".as_bytes(),
            cross_device,
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "甲乙");
        assert_ne!(ino(&target), ino(&old.path().join("a.html")));
    }

    #[test]
    fn a_finished_piecewise_file_is_relinked_only_when_equal() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut other = big.clone();
        *other.last_mut().unwrap() ^= 1;
        std::fs::write(old.path().join("a.html"), &big).unwrap();
        std::fs::write(old.path().join("b.html"), &big).unwrap();
        let prev = previous(old.path());
        let (a, b) = (new.path().join("a.html"), new.path().join("b.html"));
        std::fs::write(&a, &big).unwrap();
        std::fs::write(&b, &other).unwrap();
        prev.relink("a.html", &a).unwrap();
        prev.relink("b.html", &b).unwrap();
        assert_eq!(ino(&a), ino(&old.path().join("a.html")));
        assert_ne!(ino(&b), ino(&old.path().join("b.html")));
        assert_eq!(std::fs::read(&b).unwrap(), other);
        assert_eq!(std::fs::read_dir(new.path()).unwrap().count(), 2);
    }
}
