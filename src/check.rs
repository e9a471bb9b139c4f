//! Load and validate in one call: what `check`, `build` and `serve` all start with.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::load::{self, LoadError, Loaded};
use crate::validate::{self, Outcome};

pub struct Checked {
    /// The site; `loaded.sources` holds the texts of the files that have findings.
    pub loaded: Loaded,
    pub outcome: Outcome,
}

/// Reads and validates the site below `root`.
///
/// Each file's text is dropped once the file is parsed: holding every text (47 MB for 5,000
/// reports) cost a third of a check's memory and time for findings that are usually few. The
/// files that have findings are read again afterwards, so the findings can quote their lines.
pub fn check_site(root: &Path) -> Result<Checked, LoadError> {
    let mut loaded = load::load_with(root, false)?;
    let parsed = std::mem::take(&mut loaded.diagnostics);
    let outcome = validate::validate(&loaded.site, parsed);
    loaded.sources = quoted_sources(root, &outcome.diagnostics);
    Ok(Checked { loaded, outcome })
}

/// The texts of the files that `diagnostics` point into, by the path the findings name.
pub fn quoted_sources(root: &Path, diagnostics: &[Diagnostic]) -> BTreeMap<String, String> {
    let files: BTreeSet<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
    files
        .into_iter()
        .filter_map(|f| Some((f.to_string(), load::read_source(root, f)?)))
        .collect()
}
