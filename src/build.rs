//! `build` as a library call: load and check the site, then render it into a folder atomically
//! or into memory.

use std::path::{Path, PathBuf};

use indicatif::ProgressBar;

use crate::diagnostic::Diagnostic;
use crate::load::LoadError;
use crate::output::{BuildTarget, Files, MemorySink, OutputError};
use crate::render::{RenderError, Sink};
use crate::site::{LoadedSite, Texts};

#[derive(Debug, Default, Clone)]
pub struct BuildOptions {
    pub base_url: Option<String>,
    pub force: bool,
}

/// Why a build produced nothing. The previous output is untouched in every case.
#[derive(thiserror::Error)]
pub enum BuildError {
    /// The site cannot be read (exit status 2).
    #[error(transparent)]
    Load(LoadError),
    /// Errors in the content or the templates (exit status 1); warnings come along. `site`
    /// quotes the files the findings point into.
    #[error("{} 个错误：网站没有生成", crate::diagnostic::count(findings).0)]
    Findings {
        findings: Vec<Diagnostic>,
        site: Box<LoadedSite>,
    },
    /// The output folder cannot be used or written (exit status 2).
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl std::fmt::Debug for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Load(e) => f.debug_tuple("Load").field(e).finish(),
            BuildError::Findings { findings, .. } => {
                f.debug_tuple("Findings").field(findings).finish()
            }
            BuildError::Output(e) => f.debug_tuple("Output").field(e).finish(),
        }
    }
}

pub struct Built {
    pub site: LoadedSite,
    /// Published reports rendered (drafts excluded).
    pub reports: usize,
}

/// Loads and checks the site and its theme; findings with errors stop the build.
fn prepare(root: &Path) -> Result<LoadedSite, BuildError> {
    let mut site = LoadedSite::load(root, Texts::Quoted).map_err(BuildError::Load)?;
    if !site.outcome.has_errors() {
        site.load_theme();
    }
    if site.has_errors() {
        return Err(BuildError::Findings {
            findings: site.findings(),
            site: Box::new(site),
        });
    }
    Ok(site)
}

/// Renders `site` into `sink`; a template error is a finding like any other.
fn render(site: LoadedSite, opts: &BuildOptions, sink: &dyn Sink) -> Result<Built, BuildError> {
    match site.render(opts.base_url.clone(), sink) {
        Ok(()) => Ok(Built {
            reports: site.published(),
            site,
        }),
        Err(RenderError::Template(d)) => Err(BuildError::Findings {
            findings: vec![*d],
            site: Box::new(site),
        }),
        Err(RenderError::Io(path, err)) => Err(BuildError::Output(OutputError::Io(
            PathBuf::from(path),
            err,
        ))),
    }
}

/// Builds the site at `root` into `out`, replacing it only when everything succeeded.
pub fn build_to_disk(root: &Path, out: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    build_to_disk_showing(root, out, opts, &ProgressBar::hidden())
}

/// [`build_to_disk`], counting the reports rendered on `progress` (its length is set to the
/// number of published reports once the site is checked).
pub fn build_to_disk_showing(
    root: &Path,
    out: &Path,
    opts: &BuildOptions,
    progress: &ProgressBar,
) -> Result<Built, BuildError> {
    let site = prepare(root)?;
    let target = BuildTarget::prepare(out, root, opts.force)?;
    progress.set_length(site.published() as u64);
    let sink = Counted {
        sink: &target.sink(),
        progress,
    };
    let built = render(site, opts, &sink)?;
    target.commit()?;
    Ok(built)
}

/// A sink that counts the reports rendered on a progress bar.
struct Counted<'a> {
    sink: &'a dyn Sink,
    progress: &'a ProgressBar,
}

impl Sink for Counted<'_> {
    fn put(&self, path: &str, data: crate::render::Data) -> std::io::Result<()> {
        self.sink.put(path, data)
    }

    fn open(&self, path: &str) -> std::io::Result<crate::render::Piecewise> {
        self.sink.open(path)
    }

    fn reports_rendered(&self, count: usize) {
        self.progress.inc(count as u64);
    }
}

/// Builds the site at `root` into memory (tests compare it with what `serve` holds).
pub fn build_to_memory(root: &Path, opts: &BuildOptions) -> Result<(Built, Files), BuildError> {
    let site = prepare(root)?;
    let sink = MemorySink::default();
    let built = render(site, opts, &sink)?;
    Ok((built, sink.into_files()))
}
