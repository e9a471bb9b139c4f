//! `check` as a library call: load the site and run every rule ([`LoadedSite`] with the texts
//! of the files that have findings only).

use std::path::Path;

use crate::load::LoadError;
pub use crate::site::LoadedSite as Checked;
use crate::site::{LoadedSite, Texts};

/// Reads and validates the site below `root`.
pub fn check_site(root: &Path) -> Result<Checked, LoadError> {
    LoadedSite::load(root, Texts::Quoted)
}
