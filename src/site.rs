//! One loaded site: what `check`, `build` and `serve` all work on.
//!
//! [`LoadedSite`] owns the stages before rendering — the files read ([`crate::load`]), the
//! findings of every rule ([`crate::validate`]) and the theme ([`crate::render::theme`]) — and
//! renders into any [`Sink`]. `check` loads and reports; `build` loads, adds the theme and
//! renders into a folder; `serve` keeps one between edits, [`LoadedSite::reload`]s the report
//! files that changed, and renders into memory.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{self, Diagnostic};
use crate::load::{self, LoadError, Loaded};
use crate::render::{self, RenderError, RenderInput, Sink, theme::Theme};
use crate::validate::{self, Outcome};

/// Which source texts a loaded site keeps for quoting findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    /// Only those of the files that have findings (`check`, `build`): holding every text (47 MB
    /// for 5,000 reports) cost a third of a check's memory and time for findings that are
    /// usually few, so the files with findings are read again after validation.
    Quoted,
    /// Every content file's (`serve`): [`LoadedSite::reload`] then reads only what changed.
    All,
}

/// A site read and checked, with its theme once [`LoadedSite::load_theme`] ran.
pub struct LoadedSite {
    root: PathBuf,
    /// The content model, attachments and texts. `loaded.diagnostics` is empty: the findings
    /// of reading are in `outcome` (and by file in `parsed`).
    pub loaded: Loaded,
    /// Every finding, after `acknowledged` entries were applied.
    pub outcome: Outcome,
    /// Findings of reading each file (before the rules), by file: a reload re-checks a unit
    /// from these and its reports.
    parsed: HashMap<String, Vec<Diagnostic>>,
    texts: Texts,
    theme: Option<Result<Arc<Theme>, Vec<Diagnostic>>>,
}

/// Why [`LoadedSite::reload`] cannot take the changed files alone; load the whole site instead.
#[derive(Debug, PartialEq, Eq)]
pub struct NeedsFullLoad;

/// What a reload changed.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// Units whose reports were re-read and re-checked.
    pub units: BTreeSet<String>,
    /// Every report file of those units: their findings and pages were replaced.
    pub files: BTreeSet<String>,
}

impl LoadedSite {
    /// Reads and validates the site below `root` (which holds `content/`).
    pub fn load(root: &Path, texts: Texts) -> Result<LoadedSite, LoadError> {
        let mut loaded = load::load_with(root, texts == Texts::All)?;
        let read = std::mem::take(&mut loaded.diagnostics);
        let mut parsed: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in &read {
            parsed.entry(d.file.clone()).or_default().push(d.clone());
        }
        let outcome = validate::validate(&loaded.site, read);
        let mut site = LoadedSite {
            root: root.to_path_buf(),
            loaded,
            outcome,
            parsed,
            texts,
            theme: None,
        };
        if texts == Texts::Quoted {
            let files: BTreeSet<&str> = site
                .outcome
                .diagnostics
                .iter()
                .map(|d| d.file.as_str())
                .collect();
            let quoted = files
                .into_iter()
                .filter_map(|f| Some((f.to_string(), load::read_source(root, f)?)))
                .collect();
            site.loaded.sources = quoted;
        }
        Ok(site)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Loads the theme the site's settings name (once): rendering needs it, checking does not.
    pub fn load_theme(&mut self) {
        if self.theme.is_none() {
            let name = self.loaded.site.config.theme.as_deref();
            self.theme = Some(render::theme::load(&self.root, name).map(Arc::new));
        }
    }

    /// The theme, when it was loaded and has no errors.
    pub fn theme(&self) -> Option<&Arc<Theme>> {
        self.theme.as_ref().and_then(|t| t.as_ref().ok())
    }

    /// Findings of the content and of the loaded theme, sorted: every finding to show.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut all = self.outcome.diagnostics.clone();
        if let Some(Err(theme)) = &self.theme {
            all.extend(theme.iter().cloned());
            diagnostic::sort(&mut all);
        }
        all
    }

    /// Whether the content or the loaded theme has errors: then there is nothing to render.
    pub fn has_errors(&self) -> bool {
        self.outcome.has_errors() || matches!(self.theme, Some(Err(_)))
    }

    /// The normalised text of `file` (a path below the root, as findings name it) for quoting
    /// a finding: the text kept when loading, else read again (templates, files that changed).
    pub fn source(&self, file: &str) -> Option<Cow<'_, str>> {
        match self.loaded.sources.get(file) {
            Some(t) => Some(Cow::Borrowed(t)),
            None => load::read_source(&self.root, file).map(Cow::Owned),
        }
    }

    /// Reports that go on the site (drafts are checked but not published).
    pub fn published(&self) -> usize {
        self.loaded.site.reports.iter().filter(|r| !r.draft).count()
    }

    fn input<'a>(&'a self, theme: &'a Theme, base_url: Option<String>) -> RenderInput<'a> {
        RenderInput {
            site: &self.loaded.site,
            silenced: &self.outcome.silenced,
            theme,
            base_url,
            attachments: &self.loaded.attachments,
        }
    }

    /// Renders the whole site into `sink`. `base_url` overrides the site's setting.
    ///
    /// # Panics
    /// When the theme was not loaded or has errors: see [`LoadedSite::has_errors`].
    pub fn render(&self, base_url: Option<String>, sink: &dyn Sink) -> Result<(), RenderError> {
        let theme = self
            .theme()
            .expect("render after load_theme, without errors");
        render::render(&self.input(theme, base_url), sink)
    }

    /// Renders the pages of the report files `files` only (see [`LoadedSite::reload`]).
    pub fn render_reports(
        &self,
        base_url: Option<String>,
        sink: &dyn Sink,
        files: &BTreeSet<String>,
    ) -> Result<(), RenderError> {
        let theme = self
            .theme()
            .expect("render after load_theme, without errors");
        let files: HashSet<&str> = files.iter().map(String::as_str).collect();
        render::render_reports(&self.input(theme, base_url), sink, &files)
    }

    /// Takes in the changed report files `changed` (paths like `content/a/2024.md`): reads them
    /// again and re-checks their units. Correct because validation is local to a unit (see
    /// [`validate::validate_units`]): the findings and pages of the other units stay as they
    /// are. The pages that list or sum many reports (unit, year, home, open data) are not
    /// covered: render the whole site for those.
    ///
    /// `Err` when something other than existing units' report files changed, or a file cannot
    /// be read as text: nothing was modified then. Needs [`Texts::All`].
    pub fn reload(&mut self, changed: &[String]) -> Result<Reloaded, NeedsFullLoad> {
        if self.texts != Texts::All {
            return Err(NeedsFullLoad);
        }
        // Check everything before touching the model.
        let mut texts = Vec::new();
        for file in changed {
            let (unit, year) = load::report_key(file).ok_or(NeedsFullLoad)?;
            let site = &self.loaded.site;
            if site.unit(&unit).is_none() || !self.loaded.sources.contains_key(file) {
                return Err(NeedsFullLoad);
            }
            if site.report(&unit, year).is_some_and(|r| r.file != *file) {
                return Err(NeedsFullLoad);
            }
            let bytes = std::fs::read(self.root.join(file)).map_err(|_| NeedsFullLoad)?;
            let text = String::from_utf8(bytes).map_err(|_| NeedsFullLoad)?;
            texts.push((file.clone(), unit, year, text));
        }

        let mut units = BTreeSet::new();
        for (file, unit, year, text) in texts {
            let text = crate::content::parse::normalize(&text).into_owned();
            let (report, diags) = crate::content::parse::report(&file, &unit, year, &text);
            let reports = &mut self.loaded.site.reports;
            if let Some(i) = reports.iter().position(|r| r.file == file) {
                reports.remove(i);
            }
            if let Some(mut r) = report {
                r.attachments = load::attachments_of(&self.loaded.attachments, &unit, year);
                let at = reports
                    .partition_point(|x| (x.unit.as_str(), x.year) < (r.unit.as_str(), r.year));
                reports.insert(at, r);
            }
            self.loaded.sources.insert(file.clone(), text);
            if diags.is_empty() {
                self.parsed.remove(&file);
            } else {
                self.parsed.insert(file, diags);
            }
            units.insert(unit);
        }

        // The units' report files, read or not: those of a report that failed to parse too.
        // The texts are sorted by path, so each unit's files are a range.
        let mut files = BTreeSet::new();
        for unit in &units {
            let prefix = format!("content/{unit}/");
            files.extend(
                self.loaded
                    .sources
                    .range::<str, _>((
                        std::ops::Bound::Included(prefix.as_str()),
                        std::ops::Bound::Unbounded,
                    ))
                    .map(|(f, _)| f)
                    .take_while(|f| f.starts_with(&prefix))
                    .filter(|f| load::report_key(f).is_some_and(|(u, _)| u == *unit))
                    .cloned(),
            );
        }
        let parsed: Vec<Diagnostic> = files
            .iter()
            .flat_map(|f| self.parsed.get(f).into_iter().flatten().cloned())
            .collect();
        let fresh = validate::validate_units(&self.loaded.site, &units, parsed);
        self.outcome.merge_files(fresh, &files);
        Ok(Reloaded { units, files })
    }
}
