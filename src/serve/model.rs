//! Building for `serve`: the whole site, or — when only report files changed — just those
//! reports, on top of the model of the previous build.
//!
//! A full build is `load → validate → theme → render` as in [`crate::build`], but it keeps what
//! it loaded even when there are errors, so the next edit can start from it, and it stops early
//! when a newer edit makes it pointless.
//!
//! The fast path re-reads the changed report files only, re-runs the rules for the units they
//! belong to (every rule looks at one report, its unit, and the same unit's previous year), and
//! renders those units' report pages. The bytes are those a full build gives; the pages that
//! list or sum many reports (unit, year, home, open data) follow with the next full build.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::content::Site;
use crate::content::parse;
use crate::diagnostic::{self, Diagnostic};
use crate::load;
use crate::render::{self, Data, RenderError, RenderInput, Sink, theme::Theme};
use crate::validate::{self, Outcome};

use super::overlay::{Failure, Finding};
use super::state::Files;

/// What the last full build read, kept up to date by the fast path.
pub struct Model {
    pub site: Site,
    pub sources: BTreeMap<String, String>,
    pub attachments: BTreeMap<String, PathBuf>,
    /// Findings of reading each file (before the rules), by file.
    pub parsed: HashMap<String, Vec<Diagnostic>>,
    pub outcome: Outcome,
    pub theme: Result<Arc<Theme>, Vec<Diagnostic>>,
}

/// The result of a build: the site, or why there is none.
pub enum Built {
    Site { files: Files, warnings: usize },
    Failed(Failure),
}

/// Collects rendered files; refuses further files once `cancel` is set, which stops rendering.
struct ServeSink<'a> {
    files: Mutex<Files>,
    cancel: &'a AtomicBool,
}

impl Sink for ServeSink<'_> {
    fn put(&self, path: &str, data: Data) -> std::io::Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "superseded by a newer edit",
            ));
        }
        let bytes = match data {
            Data::Bytes(b) => b,
            Data::Copy(src) => std::fs::read(src)?,
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(Arc::from(path), Arc::new(bytes));
        Ok(())
    }
}

fn failure(model: Option<&Model>, root: &Path, diags: &[Diagnostic]) -> Failure {
    let mut cache: HashMap<&str, Option<String>> = HashMap::new();
    let findings: Vec<Finding> = diags
        .iter()
        .map(|d| {
            let src = cache.entry(d.file.as_str()).or_insert_with(|| {
                model
                    .and_then(|m| m.sources.get(&d.file).cloned())
                    .or_else(|| {
                        // Templates are not in the model: read them (a built-in one has no file).
                        std::fs::read_to_string(root.join(&d.file))
                            .ok()
                            .map(|t| parse::normalize(&t).into_owned())
                    })
            });
            Finding::new(d, src.as_deref())
        })
        .collect();
    Failure::new(&findings)
}

/// Every finding to show when `model` cannot be rendered, or `None` when it can.
fn blocking(model: &Model) -> Option<Vec<Diagnostic>> {
    let theme_errors = model.theme.as_ref().err();
    if !model.outcome.has_errors() && theme_errors.is_none() {
        return None;
    }
    let mut all = model.outcome.diagnostics.clone();
    all.extend(theme_errors.into_iter().flatten().cloned());
    diagnostic::sort(&mut all);
    Some(all)
}

fn render_failure(model: &Model, root: &Path, e: RenderError) -> Failure {
    match e {
        RenderError::Template(d) => failure(Some(model), root, &[*d]),
        RenderError::Io(path, err) => {
            Failure::new(&[Finding::plain(format!("无法生成 {path}：{err}"))])
        }
    }
}

fn input<'a>(model: &'a Model, theme: &'a Theme, base_url: &str) -> RenderInput<'a> {
    RenderInput {
        site: &model.site,
        silenced: &model.outcome.silenced,
        theme,
        base_url: Some(base_url.to_string()),
        attachments: &model.attachments,
    }
}

/// Builds the whole site. `None` when `cancel` was set before it finished.
pub fn full(root: &Path, base_url: &str, cancel: &AtomicBool) -> Option<(Option<Model>, Built)> {
    let loaded = match load::load(root) {
        Ok(l) => l,
        Err(e) => {
            return Some((
                None,
                Built::Failed(Failure::new(&[Finding::plain(e.to_string())])),
            ));
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let mut parsed: HashMap<String, Vec<Diagnostic>> = HashMap::new();
    for d in &loaded.diagnostics {
        parsed.entry(d.file.clone()).or_default().push(d.clone());
    }
    let outcome = validate::validate(&loaded.site, loaded.diagnostics);
    let theme = render::theme::load(root, loaded.site.config.theme.as_deref()).map(Arc::new);
    let model = Model {
        site: loaded.site,
        sources: loaded.sources,
        attachments: loaded.attachments,
        parsed,
        outcome,
        theme,
    };
    if let Some(diags) = blocking(&model) {
        let f = failure(Some(&model), root, &diags);
        return Some((Some(model), Built::Failed(f)));
    }
    let theme = model.theme.as_ref().expect("checked by blocking").clone();
    let sink = ServeSink {
        files: Mutex::new(Files::new()),
        cancel,
    };
    let result = render::render(&input(&model, &theme, base_url), &sink);
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let built = match result {
        Ok(()) => Built::Site {
            files: sink.files.into_inner().unwrap_or_else(|e| e.into_inner()),
            warnings: model.outcome.diagnostics.len(),
        },
        Err(e) => Built::Failed(render_failure(&model, root, e)),
    };
    Some((Some(model), built))
}

/// `content/<unit>/<YYYY>.md` → (unit, year), as `load` classifies report files.
pub fn report_key(file: &str) -> Option<(&str, i32)> {
    let rel = file.strip_prefix("content/")?;
    let (unit, name) = rel.rsplit_once('/')?;
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".md")?;
    if unit.is_empty() || stem.len() != 4 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((unit, stem.parse().ok()?))
}

/// Why the fast path does not apply; the caller then builds everything.
#[derive(Debug)]
pub struct NotApplicable;

/// Updates `model` for the changed report files `changed` (paths like `content/a/2024.md`) and
/// renders those reports on top of `good`, the last good site. `Err` when something other than
/// existing reports changed: nothing was modified then.
pub fn fast(
    model: &mut Model,
    good: &Files,
    changed: &[String],
    root: &Path,
    base_url: &str,
) -> Result<Built, NotApplicable> {
    // Check everything before touching the model.
    let mut texts = Vec::new();
    for file in changed {
        let (unit, year) = report_key(file).ok_or(NotApplicable)?;
        if model.site.unit(unit).is_none() || !model.sources.contains_key(file) {
            return Err(NotApplicable);
        }
        match model.site.report(unit, year) {
            Some(r) if r.file != *file => return Err(NotApplicable),
            _ => {}
        }
        let bytes = std::fs::read(root.join(file)).map_err(|_| NotApplicable)?;
        let text = String::from_utf8(bytes).map_err(|_| NotApplicable)?;
        texts.push((file.clone(), unit.to_string(), year, text));
    }

    let mut units: BTreeSet<String> = BTreeSet::new();
    for (file, unit, year, text) in texts {
        let text = parse::normalize(&text).into_owned();
        let (report, diags) = parse::report(&file, &unit, year, &text);
        let old = model.site.reports.iter().position(|r| r.file == file);
        let attachments = match old {
            Some(i) => model.site.reports.remove(i).attachments,
            None => model
                .attachments
                .keys()
                .filter_map(|k| {
                    let (dir, name) = k.rsplit_once('/')?;
                    let stem = name.rsplit_once('.')?.0;
                    (dir == unit && stem == year.to_string()).then(|| name.to_string())
                })
                .collect(),
        };
        if let Some(mut r) = report {
            r.attachments = attachments;
            let at = model
                .site
                .reports
                .partition_point(|x| (x.unit.as_str(), x.year) < (r.unit.as_str(), r.year));
            model.site.reports.insert(at, r);
        }
        model.sources.insert(file.clone(), text);
        if diags.is_empty() {
            model.parsed.remove(&file);
        } else {
            model.parsed.insert(file, diags);
        }
        units.insert(unit);
    }

    // Every rule looks at one report, its unit and the unit's previous year: re-check the
    // changed units on a site of their own and replace their files' findings.
    // The maps and lists are sorted by path and unit, so each unit's files are a range: walking
    // all 5,000 reports of a large site here took a tenth of the fast path.
    let mut affected: HashSet<String> = HashSet::new();
    for unit in &units {
        let prefix = format!("content/{unit}/");
        affected.extend(
            model
                .sources
                .range::<str, _>((
                    std::ops::Bound::Included(prefix.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .map(|(f, _)| f)
                .take_while(|f| f.starts_with(&prefix))
                .filter(|f| report_key(f).is_some_and(|(u, _)| u == unit))
                .cloned(),
        );
    }
    let mini = Site {
        config: model.site.config.clone(),
        units: units
            .iter()
            .filter_map(|u| model.site.unit(u))
            .cloned()
            .collect(),
        reports: units
            .iter()
            .flat_map(|u| model.site.reports_of(u))
            .cloned()
            .collect(),
    };
    let parsed: Vec<Diagnostic> = affected
        .iter()
        .flat_map(|f| model.parsed.get(f).into_iter().flatten().cloned())
        .collect();
    let fresh = validate::validate(&mini, parsed);
    let merge = |old: &mut Vec<Diagnostic>, new: Vec<Diagnostic>| {
        old.retain(|d| !affected.contains(&d.file));
        old.extend(new.into_iter().filter(|d| affected.contains(&d.file)));
        diagnostic::sort(old);
    };
    merge(&mut model.outcome.diagnostics, fresh.diagnostics);
    merge(&mut model.outcome.silenced, fresh.silenced);

    if let Some(diags) = blocking(model) {
        return Ok(Built::Failed(failure(Some(model), root, &diags)));
    }
    let theme = model.theme.as_ref().expect("checked by blocking").clone();
    let never = AtomicBool::new(false);
    let sink = ServeSink {
        files: Mutex::new(Files::new()),
        cancel: &never,
    };
    let files: HashSet<&str> = units
        .iter()
        .flat_map(|u| model.site.reports_of(u))
        .map(|r| r.file.as_str())
        .collect();
    if let Err(e) = render::render_reports(&input(model, &theme, base_url), &sink, &files) {
        return Ok(Built::Failed(render_failure(model, root, e)));
    }
    // The changed units' report folders are replaced as a whole: a report that became a draft
    // or unreadable disappears.
    let dirs: Vec<String> = affected
        .iter()
        .filter_map(|f| report_key(f).map(|(u, y)| format!("{u}/{y}/")))
        .collect();
    let mut next = good.clone();
    next.retain(|k, _| !dirs.iter().any(|d| k.starts_with(d.as_str())));
    next.extend(sink.files.into_inner().unwrap_or_else(|e| e.into_inner()));
    Ok(Built::Site {
        files: next,
        warnings: model.outcome.diagnostics.len(),
    })
}
