//! A report file through parse → validate → render, as `nianbao build` reads it: the input is
//! written as `content/huaian/hongze/2024.md` of a site that also holds the unit and its 2023
//! report (so the cross-year rules run), then checked and, when it has no errors, rendered into
//! memory. Any panic, overflow (debug assertions are on), hang or runaway allocation is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

/// The site, laid out once per process from the real-report fixtures.
fn site() -> &'static Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/real");
        let dir = tempfile::tempdir().expect("tempdir");
        for file in [
            "content/_index.md",
            "content/huaian/_index.md",
            "content/huaian/hongze/_index.md",
            "content/huaian/hongze/2023.md",
        ] {
            let to = dir.path().join(file);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
            std::fs::copy(fixtures.join(file), to).expect("copy fixture");
        }
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    std::fs::write(root.join("content/huaian/hongze/2024.md"), data).expect("write report");
    let _ = nianbao::build::build_to_memory(root, &nianbao::build::BuildOptions::default());
});
