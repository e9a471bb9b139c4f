//! Load and validate in one call: what `check`, `build` and `serve` all start with.

use std::path::Path;

use crate::load::{self, LoadError, Loaded};
use crate::validate::{self, Outcome};

pub struct Checked {
    pub loaded: Loaded,
    pub outcome: Outcome,
}

pub fn check_site(root: &Path) -> Result<Checked, LoadError> {
    check_site_with(root, true)
}

/// [`check_site`], keeping the source texts only with `keep_sources` (see [`load::load_with`]).
pub fn check_site_with(root: &Path, keep_sources: bool) -> Result<Checked, LoadError> {
    let mut loaded = load::load_with(root, keep_sources)?;
    let parsed = std::mem::take(&mut loaded.diagnostics);
    let outcome = validate::validate(&loaded.site, parsed);
    Ok(Checked { loaded, outcome })
}
