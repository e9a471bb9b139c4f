//! Output safety (issue 14), on the real binary and temp sites: nothing outside the output folder
//! or the site is touched or published, odd files never stall a build, interrupted builds leave
//! nothing behind.
#![cfg(unix)]

mod common;

use common::*;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd`, failing the test if it has not finished after `secs` seconds (a hang).
fn run_within(mut cmd: Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {secs} s; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn build(root: &Path, output: &str) -> Output {
    let mut cmd = nianbao();
    cmd.arg("build").arg("--root").arg(root);
    cmd.arg("--output").arg(output);
    run_within(cmd, 120)
}

fn check(root: &Path) -> Output {
    let mut cmd = nianbao();
    cmd.arg("check").arg("--root").arg(root);
    run_within(cmd, 120)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(o));
}

/// Names in `dir` of nianbao's temporary and old folders.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".nianbao-tmp-") || n.contains(".nianbao-old-"))
        .collect()
}

/// Every file below `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, b)| b.windows(needle.len()).any(|w| w == needle))
        .map(|(p, _)| p)
        .collect()
}

// 1. A symlinked output folder

#[test]
fn a_symlinked_output_folder_is_updated_in_place_and_keeps_files_nianbao_never_wrote() {
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "webroot"));
    std::fs::write(root.join("webroot/UNRELATED.txt"), "服务器的文件").unwrap();
    std::fs::create_dir_all(root.join("webroot/ssl")).unwrap();
    std::fs::write(root.join("webroot/ssl/cert.pem"), "证书").unwrap();
    symlink("webroot", root.join("public")).unwrap();

    let o = build(root, "public");
    assert_ok(&o);
    let link = std::fs::symlink_metadata(root.join("public")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(read(&root.join("webroot/UNRELATED.txt")), "服务器的文件");
    assert_eq!(read(&root.join("webroot/ssl/cert.pem")), "证书");
    assert!(root.join("public/index.html").is_file());
    assert!(root.join("webroot/huaian/2024/index.html").is_file());
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn a_rebuild_keeps_added_files_but_removes_pages_it_no_longer_writes() {
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    std::fs::write(root.join("public/robots.txt"), "User-agent: *\n").unwrap();
    assert!(root.join("public/huaian/2024/index.html").is_file());
    let report = root.join("content/huaian/2024.md");
    let text = read(&report).replacen("year: 2024\n", "year: 2024\ndraft: true\n", 1);
    std::fs::write(&report, text).unwrap();

    assert_ok(&build(root, "public"));
    assert_eq!(read(&root.join("public/robots.txt")), "User-agent: *\n");
    assert!(
        !root.join("public/huaian/2024/index.html").exists(),
        "the page of a draft stayed published"
    );
}

#[test]
fn a_file_nianbao_never_wrote_at_a_path_the_site_needs_is_not_overwritten_without_force() {
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    // Replace a page by a hand-written one: without the manifest entry it counts as foreign.
    std::fs::create_dir_all(root.join("public/notes")).unwrap();
    std::fs::write(root.join("public/notes/a.txt"), "手写").unwrap();
    let marker = root.join("public/.nianbao-output");
    let text = read(&marker).replace("\n404.html\n", "\n");
    std::fs::write(&marker, text).unwrap();
    std::fs::write(root.join("public/404.html"), "手写的 404").unwrap();

    let o = build(root, "public");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("404.html"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(read(&root.join("public/404.html")), "手写的 404");
    assert!(leftovers(root).is_empty());

    let mut cmd = nianbao();
    cmd.args(["build", "--force", "--output", "public", "--root"])
        .arg(root);
    assert_ok(&run_within(cmd, 120));
    assert_ne!(read(&root.join("public/404.html")), "手写的 404");
    assert_eq!(read(&root.join("public/notes/a.txt")), "手写");
}

// 2. Symlinks in content/

#[test]
fn symlinks_out_of_the_site_are_skipped_with_a_warning_and_never_published() {
    let site = example_site();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "TOP-SECRET-BYTES").unwrap();
    symlink(
        outside.path().join("secret.pdf"),
        root.join("content/huaian/2024.pdf"),
    )
    .unwrap();
    symlink("/dev/zero", root.join("content/huaian/2024.doc")).unwrap();
    // A whole unit folder outside the site.
    copy_dir(
        &root.join("content/xiangcheng/huayuan"),
        &outside.path().join("unit"),
    );
    symlink(outside.path().join("unit"), root.join("content/elsewhere")).unwrap();
    // A link that stays inside the site is fine.
    std::fs::create_dir_all(root.join("files")).unwrap();
    std::fs::write(root.join("files/2023.pdf"), "INSIDE-PDF").unwrap();
    symlink(
        "../../../files/2023.pdf",
        root.join("content/huaian/hongze/2023.pdf"),
    )
    .unwrap();

    let o = build(root, "public");
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("skipped-file"), "{err}");
    assert!(err.contains("content/huaian/2024.pdf"), "{err}");
    assert!(err.contains("content/huaian/2024.doc"), "{err}");
    assert!(err.contains("content/elsewhere"), "{err}");
    let public = root.join("public");
    assert!(files_containing(&public, b"TOP-SECRET-BYTES").is_empty());
    assert!(!public.join("elsewhere").exists());
    assert!(!public.join("huaian/2024/2024.pdf").exists());
    assert_eq!(
        files_containing(&public, b"INSIDE-PDF"),
        vec!["huaian/hongze/2023/2023.pdf".to_string()]
    );
}

/// `serve` builds from the same load: links out of the site and devices are not served.
#[test]
fn serve_publishes_nothing_from_outside_the_site_either() {
    let site = example_site();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "TOP-SECRET-BYTES").unwrap();
    symlink(
        outside.path().join("secret.pdf"),
        root.join("content/huaian/2024.pdf"),
    )
    .unwrap();
    symlink("/dev/zero", root.join("content/huaian/2024.doc")).unwrap();
    let never = std::sync::atomic::AtomicBool::new(false);
    let files = match nianbao::serve::model::full(root, "http://127.0.0.1:1/", &never)
        .unwrap()
        .1
    {
        nianbao::serve::model::Built::Site { files, .. } => files,
        nianbao::serve::model::Built::Failed(f) => panic!("{}", f.html),
    };
    assert!(files.contains_key("huaian/2024/index.html"));
    assert!(!files.contains_key("huaian/2024/2024.pdf"));
    assert!(!files.contains_key("huaian/2024/2024.doc"));
}

// 3. FIFOs, dangling links, loops

#[test]
fn a_fifo_named_like_an_attachment_or_report_does_not_hang_the_build() {
    let site = example_site();
    let root = site.path();
    for f in ["content/huaian/2024.pdf", "content/huaian/2022.md"] {
        let st = Command::new("mkfifo").arg(root.join(f)).status().unwrap();
        assert!(st.success());
    }
    let o = build(root, "public");
    assert_ok(&o);
    let err = stderr(&o);
    assert!(err.contains("content/huaian/2024.pdf"), "{err}");
    assert!(err.contains("content/huaian/2022.md"), "{err}");
    assert!(leftovers(root).is_empty());
    assert!(root.join("public/huaian/2024/index.html").is_file());
}

#[test]
fn dangling_links_and_loops_are_warnings_that_name_the_link() {
    let site = example_site();
    let root = site.path();
    symlink("missing.txt", root.join("content/notes.txt")).unwrap();
    symlink("..", root.join("content/huaian/up")).unwrap();
    symlink("b.md", root.join("content/huaian/a.md")).unwrap();
    symlink("a.md", root.join("content/huaian/b.md")).unwrap();
    // Two folders linking to each other: each link alone points to no ancestor.
    std::fs::create_dir_all(root.join("content/notes/a")).unwrap();
    std::fs::create_dir_all(root.join("content/notes/b")).unwrap();
    symlink("../b", root.join("content/notes/a/to-b")).unwrap();
    symlink("../a", root.join("content/notes/b/to-a")).unwrap();

    let o = check(root);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // `check` prints its findings on standard output.
    let err = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    for name in [
        "content/notes.txt",
        "content/huaian/up",
        "content/huaian/a.md",
        "content/huaian/b.md",
        "content/notes/a/to-b/to-a",
    ] {
        assert!(err.contains(name), "{name} not named: {err}");
    }
    assert!(
        err.lines().all(|l| l.chars().count() < 300) && !err.contains("to-b/to-a/to-b"),
        "the walk went round a loop: {err}"
    );
    assert_ok(&build(root, "public"));
}

// 4. Interrupted builds

/// A site that takes a while to build: many units and large attachments.
fn slow_site() -> tempfile::TempDir {
    let site = example_site();
    let root = site.path();
    for i in 0..150 {
        copy_dir(
            &root.join("content/huaian/hongze"),
            &root.join(format!("content/u{i}")),
        );
    }
    let big = vec![b'x'; 40 << 20];
    for i in 0..4 {
        std::fs::write(root.join(format!("content/u{i}/2024.pdf")), &big).unwrap();
    }
    site
}

/// Starts a build of `root` into `public` and returns once files are being written into its
/// temporary folder.
fn start_build(root: &Path) -> Child {
    let mut child = nianbao()
        .args(["build", "--output", "public", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let writing = |root: &Path| {
        leftovers(root)
            .iter()
            .any(|t| std::fs::read_dir(root.join(t)).is_ok_and(|d| d.count() > 1))
    };
    while !writing(root) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be interrupted"
        );
        assert!(start.elapsed() < Duration::from_secs(120), "no temp folder");
        std::thread::sleep(Duration::from_millis(1));
    }
    child
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) with the pid of our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

#[test]
fn sigterm_and_ctrl_c_remove_the_temporary_folder_and_keep_the_old_site() {
    let site = slow_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    let before = snapshot(&root.join("public"));
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let child = start_build(root);
        signal(&child, sig);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
        assert!(stderr(&o).contains("中断"), "{}", stderr(&o));
        assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
        assert!(snapshot(&root.join("public")) == before, "output changed");
    }
}

#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let site = slow_site();
    let root = site.path();
    let mut child = start_build(root);
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    let left = leftovers(root);
    assert_eq!(left.len(), 1, "{left:?}");

    assert_ok(&build(root, "public"));
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn only_stale_folders_of_dead_builds_with_the_marker_are_removed() {
    let site = example_site();
    let root = site.path();
    let mut dead = Command::new("true").spawn().unwrap();
    dead.wait().unwrap();
    let dead = dead.id();
    let make = |name: String, marker: bool| -> PathBuf {
        let d = root.join(name);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/page.html"), "x").unwrap();
        if marker {
            std::fs::write(d.join(".nianbao-output"), "nianbao\n").unwrap();
        }
        d
    };
    let stale_tmp = make(format!(".public.nianbao-tmp-{dead}"), true);
    let stale_old = make(format!(".public.nianbao-old-{dead}"), true);
    let unmarked = make(format!(".public.nianbao-tmp-{dead}x"), false);
    let no_marker = make(format!(".public.nianbao-old-{}", dead + 1), false);
    let live = make(format!(".public.nianbao-tmp-{}", std::process::id()), true);
    let other = make(format!(".other.nianbao-tmp-{dead}"), true);

    assert_ok(&build(root, "public"));
    assert!(!stale_tmp.exists());
    assert!(!stale_old.exists());
    for kept in [&unmarked, &no_marker, &live, &other] {
        assert!(kept.join("sub/page.html").exists(), "{}", kept.display());
    }
}

// 5. A read-only output folder

/// `nianbao` run as an unprivileged user (root may write anywhere).
fn nianbao_unprivileged() -> Command {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_nianbao"));
        c
    } else {
        nianbao()
    }
}

fn chown_tree(path: &Path) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let st = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(path)
            .status()
            .unwrap();
        assert!(st.success());
    }
}

#[test]
fn a_read_only_output_folder_is_refused_before_the_swap() {
    let site = example_site();
    let root = site.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    chown_tree(root);
    let build_as_user = || {
        let mut cmd = nianbao_unprivileged();
        cmd.args(["build", "--output", "public", "--root"])
            .arg(root);
        run_within(cmd, 120)
    };
    assert_ok(&build_as_user());
    let before = snapshot(&root.join("public"));
    let locked = root.join("public/huaian");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();

    let o = build_as_user();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("public/huaian"), "{}", stderr(&o));
    assert!(snapshot(&root.join("public")) == before, "output changed");
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

// 6. Rebuilds rewrite only what changed

/// Path below `dir` → (inode, number of links) of every file.
fn inodes(dir: &Path) -> std::collections::BTreeMap<String, (u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|p| {
            let m = std::fs::metadata(dir.join(&p)).unwrap();
            (p, (m.ino(), m.nlink()))
        })
        .collect()
}

/// Asserts that across a rebuild of `dir` every file whose bytes stayed the same kept its inode
/// (it was linked, not written) and every other file is a new one; returns the changed paths.
fn assert_only_changes_rewritten(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    inodes_before: &std::collections::BTreeMap<String, (u64, u64)>,
    dir: &Path,
) -> Vec<String> {
    let after = snapshot(dir);
    let inodes_after = inodes(dir);
    let mut changed = Vec::new();
    for (path, bytes) in &after {
        if path == ".nianbao-output" {
            continue;
        }
        let old_ino = inodes_before.get(path).map(|i| i.0);
        let new_ino = inodes_after[path].0;
        if before.get(path) == Some(bytes) {
            assert_eq!(
                old_ino,
                Some(new_ino),
                "{path} is unchanged but was written again"
            );
        } else {
            assert_ne!(
                old_ino,
                Some(new_ino),
                "{path} changed but kept the old file"
            );
            changed.push(path.clone());
        }
    }
    changed
}

#[test]
fn a_rebuild_after_one_edit_links_unchanged_files_and_writes_changed_ones() {
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    let out = root.join("public");
    let before = snapshot(&out);
    let inodes_before = inodes(&out);
    // The same number of bytes (both characters take three in UTF-8), other content: the
    // page keeps its size, so only comparing the bytes tells it changed.
    let report = root.join("content/huaian/hongze/2024.md");
    let text = read(&report);
    assert!(text.contains("全面贯彻落实"));
    std::fs::write(&report, text.replacen("全面贯彻落实", "全面贯彻执行", 1)).unwrap();

    assert_ok(&build(root, "public"));
    let changed = assert_only_changes_rewritten(&before, &inodes_before, &out);
    let page = "huaian/hongze/2024/index.html";
    assert!(changed.iter().any(|p| p == page), "{changed:?}");
    assert_eq!(
        before[page].len(),
        std::fs::metadata(out.join(page)).unwrap().len() as usize
    );
    assert!(read(&out.join(page)).contains("全面贯彻执行"));
    // Far from everything changed: the other reports' pages and the assets were linked.
    assert!(
        !changed.iter().any(|p| p == "huaian/2024/index.html"),
        "{changed:?}"
    );
    assert!(changed.len() * 2 < before.len(), "{changed:?}");
    // The old output is gone: nothing else holds the linked files.
    assert!(inodes(&out).values().all(|&(_, links)| links == 1));
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn a_rebuild_through_a_symlinked_output_folder_links_unchanged_files() {
    let site = example_site();
    let root = site.path();
    std::fs::create_dir(root.join("webroot")).unwrap();
    symlink("webroot", root.join("public")).unwrap();
    assert_ok(&build(root, "public"));
    let out = root.join("webroot");
    let before = snapshot(&out);
    let inodes_before = inodes(&out);

    assert_ok(&build(root, "public"));
    assert!(
        std::fs::symlink_metadata(root.join("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let changed = assert_only_changes_rewritten(&before, &inodes_before, &out);
    assert!(changed.is_empty(), "{changed:?}");
}

#[test]
fn a_failed_rebuild_leaves_the_linked_old_files_as_they_were() {
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    let out = root.join("public");
    // A hand-written 404.html the marker does not list stops the swap, after the render linked
    // every unchanged file into the temporary folder.
    let marker = out.join(".nianbao-output");
    std::fs::write(&marker, read(&marker).replace("\n404.html\n", "\n")).unwrap();
    std::fs::write(out.join("404.html"), "手写的 404").unwrap();
    let before = snapshot(&out);
    let inodes_before = inodes(&out);

    let o = build(root, "public");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "the old output changed");
    // Same files, and no link left to them from the removed temporary folder.
    assert_eq!(inodes(&out), inodes_before);
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn files_that_cannot_be_linked_are_written_instead() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to give the old output to another user");
        return;
    }
    if read(Path::new("/proc/sys/fs/protected_hardlinks")).trim() != "1" {
        eprintln!("skipped: fs.protected_hardlinks is off, so linking another user's file works");
        return;
    }
    let site = example_site();
    let root = site.path();
    assert_ok(&build(root, "public"));
    let out = root.join("public");
    let before = snapshot(&out);
    let inodes_before = inodes(&out);
    // The user may replace the folders' entries but not link root's files:
    // fs.protected_hardlinks refuses (EPERM) a link to a file one may not write.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    chown_tree(root);
    let st = Command::new("find")
        .arg(&out)
        .args(["-type", "f", "-exec", "chown", "0:0", "{}", "+"])
        .status()
        .unwrap();
    assert!(st.success());

    let mut cmd = nianbao_unprivileged();
    cmd.args(["build", "--output", "public", "--root"])
        .arg(root);
    let o = run_within(cmd, 120);
    assert_ok(&o);
    assert!(snapshot(&out) == before, "the site's bytes changed");
    let inodes_after = inodes(&out);
    for (path, (ino, _)) in &inodes_before {
        assert_ne!(inodes_after[path].0, *ino, "{path} was linked");
    }
}
