//! Embeds `themes/default/` into the binary, so a site without a `themes/` folder builds, and
//! tells the tests whether the browser and HTML-checker tools are installed (`cfg(web_tools)`)
//! and whether LibreOffice and poppler are (`cfg(office_tools)`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if !p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            out.push(p);
        }
    }
}

/// Sets `cfg(web_tools)` when the tests that drive Chromium, the Nu HTML Checker and the npm
/// tools can run: when `NIANBAO_WEB_TESTS` is set (CI, which installs them; the tests then fail
/// if anything is missing) or when everything is installed here. Without it those tests are
/// compiled as `#[ignore]`d with the reason, so `cargo test` counts them as ignored instead of
/// reporting a pass for a check that never ran.
fn detect_web_tools(manifest: &Path) {
    println!("cargo::rustc-check-cfg=cfg(web_tools)");
    println!("cargo:rerun-if-env-changed=NIANBAO_WEB_TESTS");
    println!("cargo:rerun-if-env-changed=PATH");
    let chromium = Path::new("/usr/bin/chromium");
    let node_modules = manifest.join("node_modules");
    // Watch what exists: a path that does not exist would rerun this script on every build.
    // After installing the tools, `touch build.rs` (or set NIANBAO_WEB_TESTS=1) re-detects.
    for watched in [
        chromium.to_path_buf(),
        node_modules.join(".package-lock.json"),
        manifest.join("package-lock.json"),
    ] {
        if watched.exists() {
            println!("cargo:rerun-if-changed={}", watched.display());
        }
    }
    let forced = std::env::var_os("NIANBAO_WEB_TESTS").is_some_and(|v| !v.is_empty());
    let on_path = |tool: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
    };
    let installed = chromium.exists()
        && on_path("java")
        && on_path("node")
        && [
            "vnu-jar/build/dist/vnu.jar",
            "axe-core/axe.min.js",
            "playwright-core/package.json",
            "linkinator/package.json",
            "yaml-language-server/package.json",
        ]
        .iter()
        .all(|f| node_modules.join(f).exists());
    if forced || installed {
        println!("cargo:rustc-cfg=web_tools");
    }
}

/// Sets `cfg(office_tools)` when the export tests can open the exported Word document in
/// LibreOffice and read the PDF back: when `soffice`, `pdfinfo` and `pdftotext` are on the PATH,
/// or when `NIANBAO_OFFICE_TESTS` or `NIANBAO_WEB_TESTS` is set (CI installs them; the tests
/// then fail if anything is missing). Otherwise those tests are `#[ignore]`d with the reason.
fn detect_office_tools() {
    println!("cargo::rustc-check-cfg=cfg(office_tools)");
    println!("cargo:rerun-if-env-changed=NIANBAO_OFFICE_TESTS");
    let forced = ["NIANBAO_OFFICE_TESTS", "NIANBAO_WEB_TESTS"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    let on_path = |tool: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
    };
    if forced
        || ["soffice", "pdfinfo", "pdftotext"]
            .iter()
            .all(|t| on_path(t))
    {
        println!("cargo:rustc-cfg=office_tools");
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    detect_web_tools(&manifest);
    detect_office_tools();
    let theme = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    walk(&theme, &mut files);
    let mut code = String::from(
        "/// Files of the built-in default theme: (path below themes/default, bytes).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for f in files {
        let rel = f
            .strip_prefix(&theme)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            f.to_string_lossy()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(out, code).unwrap();
}
