//! Load and validate in one call: what `check`, `build` and `serve` all start with.

use std::path::Path;

use crate::load::{self, LoadError, Loaded};
use crate::validate::{self, Outcome};

pub struct Checked {
    pub loaded: Loaded,
    pub outcome: Outcome,
}

pub fn check_site(root: &Path) -> Result<Checked, LoadError> {
    let mut loaded = load::load(root)?;
    let parsed = std::mem::take(&mut loaded.diagnostics);
    let outcome = validate::validate(&loaded.site, parsed);
    Ok(Checked { loaded, outcome })
}
