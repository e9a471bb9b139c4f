//! Writing the files a person keeps (`init`, `new`, `import`, `export`): atomically, never
//! clobbering unless asked, and readable by whoever the umask lets read them, like any editor's files.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` (a report's text, a workbook) to `path` atomically: a temporary file beside it, flushed, then renamed over
/// it. Without `overwrite` an existing file is never replaced (`AlreadyExists`), even one that
/// appears while we write.
pub fn write_atomic(path: &Path, bytes: impl AsRef<[u8]>, overwrite: bool) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".nianbao-tmp-");
    // A temporary file is private (0600) by default; these files are the user's documents, so
    // they are created like any editor's: 0666 less the umask (the kernel applies it).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes.as_ref())?;
    tmp.as_file().sync_all()?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map(|_| ()).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_do_not_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/2024.md");
        write_atomic(&p, "one", false).unwrap();
        let e = write_atomic(&p, "two", false).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one");
        write_atomic(&p, "three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "three");
        assert_eq!(
            std::fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
