//! Building for `serve`: the whole site, or — when only report files changed — just those
//! reports, on top of the [`LoadedSite`] and the files of the previous build.
//!
//! A full build loads the site with every text kept ([`Texts::All`]) so the next edit can start
//! from it, keeps it even when it has errors, and stops early when a newer edit makes it
//! pointless. The fast path is [`LoadedSite::reload`] of the changed report files and a render
//! of their units' report pages: the bytes are those a full build gives; the pages that list or
//! sum many reports (unit, year, home, open data) follow with the next full build.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::diagnostic::Diagnostic;
use crate::output::{Files, MemorySink};
use crate::render::RenderError;
use crate::site::{LoadedSite, NeedsFullLoad, Texts};

use super::overlay::{Failure, Finding};

/// The result of a build: the site, or why there is none.
pub enum Built {
    Site { files: Files, warnings: usize },
    Failed(Failure),
}

/// The overlay for `diags`, quoting the files of `site`.
fn failure(site: &LoadedSite, diags: &[Diagnostic]) -> Failure {
    let mut cache = std::collections::HashMap::new();
    let findings: Vec<Finding> = diags
        .iter()
        .map(|d| {
            let src = cache
                .entry(d.file.as_str())
                .or_insert_with(|| site.source(&d.file));
            Finding::new(d, src.as_deref())
        })
        .collect();
    Failure::new(&findings)
}

/// Every finding when `site` cannot be rendered.
fn blocked(site: &LoadedSite) -> Option<Failure> {
    site.has_errors().then(|| failure(site, &site.findings()))
}

fn render_failure(site: &LoadedSite, e: RenderError) -> Failure {
    match e {
        RenderError::Template(d) => failure(site, &[*d]),
        RenderError::Io(path, err) => {
            Failure::new(&[Finding::plain(format!("无法生成 {path}：{err}"))])
        }
    }
}

/// Builds the whole site at `root`. `None` when `cancel` was set before it finished.
pub fn full(
    root: &std::path::Path,
    base_url: &str,
    cancel: &AtomicBool,
) -> Option<(Option<LoadedSite>, Built)> {
    let mut site = match LoadedSite::load(root, Texts::All) {
        Ok(s) => s,
        Err(e) => {
            let f = Failure::new(&[Finding::plain(e.to_string())]);
            return Some((None, Built::Failed(f)));
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    site.load_theme();
    if let Some(f) = blocked(&site) {
        return Some((Some(site), Built::Failed(f)));
    }
    let sink = MemorySink::cancellable(cancel);
    let result = site.render(Some(base_url.to_string()), &sink);
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let built = match result {
        Ok(()) => Built::Site {
            files: sink.into_files(),
            warnings: site.outcome.diagnostics.len(),
        },
        Err(e) => Built::Failed(render_failure(&site, e)),
    };
    Some((Some(site), built))
}

/// Takes the changed report files `changed` (paths like `content/a/2024.md`) into `site` and
/// renders those reports on top of `good`, the last good site. `Err` when something other than
/// existing reports changed: nothing was modified then.
pub fn fast(
    site: &mut LoadedSite,
    good: &Files,
    changed: &[String],
    base_url: &str,
) -> Result<Built, NeedsFullLoad> {
    let reloaded = site.reload(changed)?;
    if let Some(f) = blocked(site) {
        return Ok(Built::Failed(f));
    }
    let sink = MemorySink::default();
    if let Err(e) = site.render_reports(Some(base_url.to_string()), &sink, &reloaded.files) {
        return Ok(Built::Failed(render_failure(site, e)));
    }
    // The changed units' report folders are replaced as a whole: a report that became a draft
    // or unreadable disappears.
    let dirs: Vec<String> = reloaded
        .files
        .iter()
        .filter_map(|f| crate::load::report_key(f).map(|(u, y)| format!("{u}/{y}/")))
        .collect();
    let mut next = good.clone();
    next.retain(|k, _| !dirs.iter().any(|d| k.starts_with(d.as_str())));
    next.extend(sink.into_files());
    Ok(Built::Site {
        files: next,
        warnings: site.outcome.diagnostics.len(),
    })
}
