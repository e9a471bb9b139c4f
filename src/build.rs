//! `build` as a library call: check, then render into a folder atomically or into memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::{Checked, check_site};
use crate::diagnostic::Diagnostic;
use crate::load::LoadError;
use crate::output::{BuildTarget, MemorySink, OutputError};
use crate::render::{self, RenderError, RenderInput, theme};

#[derive(Debug, Default, Clone)]
pub struct BuildOptions {
    pub base_url: Option<String>,
    pub force: bool,
}

/// Why a build produced nothing. The previous output is untouched in every case.
#[derive(Debug)]
pub enum BuildError {
    /// The site cannot be read (exit status 2).
    Load(LoadError),
    /// Errors in the content or the templates (exit status 1); warnings come along.
    Findings(Vec<Diagnostic>),
    /// The output folder cannot be used or written (exit status 2).
    Output(OutputError),
}

impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> Self {
        BuildError::Output(e)
    }
}

pub struct Built {
    pub checked: Checked,
    /// Published reports rendered (drafts excluded).
    pub reports: usize,
    pub theme_dirs: Vec<PathBuf>,
}

fn render_error(e: RenderError) -> BuildError {
    match e {
        RenderError::Template(d) => BuildError::Findings(vec![*d]),
        RenderError::Io(path, err) => BuildError::Output(OutputError::Io(PathBuf::from(path), err)),
    }
}

/// Checks and loads the theme: the common start of `build` and `serve`.
pub fn prepare(root: &Path) -> Result<(Checked, theme::Theme), BuildError> {
    let checked = check_site(root).map_err(BuildError::Load)?;
    if checked.outcome.has_errors() {
        return Err(BuildError::Findings(checked.outcome.diagnostics.clone()));
    }
    let theme = theme::load(root, checked.loaded.site.config.theme.as_deref())
        .map_err(BuildError::Findings)?;
    Ok((checked, theme))
}

fn input<'a>(
    checked: &'a Checked,
    theme: &'a theme::Theme,
    opts: &BuildOptions,
) -> RenderInput<'a> {
    RenderInput {
        site: &checked.loaded.site,
        silenced: &checked.outcome.silenced,
        theme,
        base_url: opts.base_url.clone(),
        attachments: &checked.loaded.attachments,
    }
}

/// Reports that go on the site (drafts are checked but not published).
fn published_count(checked: &Checked) -> usize {
    checked
        .loaded
        .site
        .reports
        .iter()
        .filter(|r| !r.draft)
        .count()
}

/// Builds the site at `root` into `out`, replacing it only when everything succeeded.
pub fn build_to_disk(root: &Path, out: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    let (checked, theme) = prepare(root)?;
    let target = BuildTarget::prepare(out, root, opts.force)?;
    render::render(&input(&checked, &theme, opts), &target.sink()).map_err(render_error)?;
    target.commit()?;
    let reports = published_count(&checked);
    Ok(Built {
        checked,
        reports,
        theme_dirs: theme.dirs,
    })
}

/// Builds the site at `root` into memory (for `serve` and tests).
pub fn build_to_memory(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Built, HashMap<String, Vec<u8>>), BuildError> {
    let (checked, theme) = prepare(root)?;
    let sink = MemorySink::default();
    render::render(&input(&checked, &theme, opts), &sink).map_err(render_error)?;
    let reports = published_count(&checked);
    Ok((
        Built {
            checked,
            reports,
            theme_dirs: theme.dirs,
        },
        sink.into_files(),
    ))
}
